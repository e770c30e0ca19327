"""Review fixes: the output folder kept out of every folder a build reads,
positions and wording of errors in site.yml, records and i18n files, the
form of numbers and dates, and the preview server's limits."""
import os

from e2e import test, run, min_site, tree_digest

AROUND = ("refusing to build into this folder: it is the site's {} folder, "
          "or inside it, and a build replaces the whole output folder; "
          "choose a folder of its own with -o (the default is output/ in "
          "the site folder)")


def error_lines(stderr):
    return [l for l in stderr.splitlines() if ": error: " in l]


def write(site, rel, text):
    path = os.path.join(site, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def set_yml(site, old, new):
    """Replace old with new in site.yml (old must be there)."""
    path = os.path.join(site, "site.yml")
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    assert old in text, (old, text)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text.replace(old, new, 1))


@test
def output_folder_is_never_a_folder_the_build_reads():
    with min_site() as (site, tmp):
        write(site, "i18n/en.yml", "next: Next\n")
        write(site, "archetypes/institution.md", "---\nname: x\n---\n")
        before = tree_digest(site)
        for out, folder in (("i18n", "i18n"), ("i18n/out", "i18n"),
                            ("themes", "themes"),
                            ("themes/default/out", "themes"),
                            ("geodata", "geodata"), ("geodata/out", "geodata"),
                            ("_shared/geodata/out", "geodata"),
                            ("archetypes/out", "archetypes"),
                            ("content/out", "content")):
            rc, so, se = run("build", "-o", out, cwd=site)
            assert rc == 3, (out, rc, se)
            want = "%s:1:1: error: %s" % (out, AROUND.format(folder))
            assert error_lines(se) == [want], (want, se)
        assert tree_digest(site) == before


@test
def output_folder_is_never_the_basemaps_folder():
    with min_site() as (site, tmp):
        os.rename(os.path.join(site, "geodata"), os.path.join(site, "world"))
        set_yml(site, "basemap: geodata/", "basemap: world/")
        rc, so, se = run("build", "-o", "world/out", cwd=site)
        assert rc == 3, se
        want = "world/out:1:1: error: " + AROUND.format("world")
        assert error_lines(se) == [want], (want, se)
        rc, so, se = run("build", "-o", "public", cwd=site)
        assert rc == 0, se


def grow(path, size):
    """Pad the file at path with a YAML comment to size bytes."""
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("#" + "x" * (size - os.path.getsize(path) - 2) + "\n")


@test
def a_file_too_large_is_named_for_what_it_is():
    big = 3355443  # 3.2 MiB
    for rel, start, noun in (
            ("i18n/en.yml", "next: Next\n", "a translation file"),
            ("content/networks/africa.md", None, "a network"),
            ("content/pages/about.md", None, "a page")):
        with min_site() as (site, tmp):
            if start is not None:
                write(site, rel, start)
            grow(os.path.join(site, rel), big)
            rc, so, se = run("build", cwd=site)
            assert rc == 1, (rel, rc, se)
            fix = ("shorten it: it needs only the texts of the theme"
                   if noun == "a translation file" else "shorten it")
            want = "%s:1:1: error: %s is 3.2 MiB; %s may be at most 1 MiB: %s" % (
                rel, rel, noun, fix)
            assert want in se.splitlines(), (want, se)


@test
def an_archetype_too_large_is_named_an_archetype():
    with min_site() as (site, tmp):
        rel = "archetypes/institution.md"
        write(site, rel, "---\nname: x\n---\n")
        grow(os.path.join(site, rel), 3355443)
        rc, so, se = run("new", "institution", "Big School", cwd=site)
        assert rc == 1, (rc, se)
        want = ("%s:1:1: error: %s is 3.2 MiB; an archetype may be at most "
                "1 MiB: shorten it: it is only the start of a new file" % (rel, rel))
        assert want in se.splitlines(), (want, se)
        assert not os.path.exists(os.path.join(site, "content", "institutions",
                                               "big-school.md"))
