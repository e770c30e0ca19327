"""partnermap new in a site folder nobody vouches for: it reads an
archetype only from inside the site (no link out, no named pipe) and
writes the new record only inside the site (never through content/ or
content/institutions linked elsewhere)."""
import os
import subprocess

from e2e import test, min_site, TOOL

SECRET = "PM-SECRET-new-5e1d0a"


def new(site, *args, timeout=60):
    """partnermap new; one that blocks on a named pipe fails by the
    timeout instead of hanging the suite."""
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    p = subprocess.run([TOOL, "new", *args, "-C", site], capture_output=True,
                       text=True, env=env, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def outside(tmp):
    out = os.path.join(tmp, "outside")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "institution.md"), "w") as fh:
        fh.write("---\nname: {{name}}\nsecret: %s\n---\n" % SECRET)
    return out


def files_under(folder):
    return sorted(os.path.join(d, f) for d, _, fs in os.walk(folder) for f in fs)


def assert_new_refused(site, line):
    rc, so, se = new(site, "institution", "Makerere University")
    assert rc == 1, "exit %d\n%s%s" % (rc, so, se)
    assert line in se.splitlines(), "expected\n  %s\nin:\n%s" % (line, se)
    assert SECRET not in se and SECRET not in so, se
    assert not os.path.lexists(os.path.join(site, "content", "institutions",
                                            "makerere-university.md"))


@test
def new_confined_archetype_linked_outside_is_refused():
    with min_site() as (site, tmp):
        out = outside(tmp)
        os.makedirs(os.path.join(site, "archetypes"), exist_ok=True)
        os.symlink(os.path.join(out, "institution.md"),
                   os.path.join(site, "archetypes", "institution.md"))
        assert_new_refused(site, "archetypes/institution.md:1:1: error: "
                           "archetypes/institution.md is a symbolic link to a file "
                           "outside the site folder: copy the file into the site "
                           "folder instead")


@test
def new_confined_archetype_fifo_is_refused():
    with min_site() as (site, tmp):
        os.makedirs(os.path.join(site, "archetypes"), exist_ok=True)
        os.mkfifo(os.path.join(site, "archetypes", "institution.md"))
        assert_new_refused(site, "archetypes/institution.md:1:1: error: "
                           "archetypes/institution.md is a named pipe (FIFO), not a "
                           "regular file: replace it with an ordinary file")


def link_msg(rel):
    return ("%s:1:1: error: %s is a symbolic link to a folder outside the site "
            "folder, and partnermap new writes only inside the site folder: "
            "replace the link with a folder of the site (copy what it holds "
            "into the site folder)" % (rel, rel))


def assert_folder_linked_outside_is_refused(rel):
    """The site's folder rel moved out of the site, a link to it left in
    its place: new refuses, and writes nothing out there."""
    with min_site() as (site, tmp):
        out = outside(tmp)
        folder = os.path.join(site, *rel.split("/"))
        moved = os.path.join(out, os.path.basename(folder))
        os.rename(folder, moved)
        os.symlink(moved, folder)
        before = files_under(out)
        assert_new_refused(site, link_msg(rel))
        assert files_under(out) == before


@test
def new_confined_institutions_folder_linked_outside_is_refused():
    assert_folder_linked_outside_is_refused("content/institutions")


@test
def new_confined_content_folder_linked_outside_is_refused():
    assert_folder_linked_outside_is_refused("content")


@test
def new_confined_links_inside_the_site_keep_working():
    with min_site() as (site, tmp):
        content = os.path.join(site, "content")
        os.rename(content, os.path.join(site, "kept"))
        os.symlink("kept", content)
        os.makedirs(os.path.join(site, "archetypes"), exist_ok=True)
        with open(os.path.join(site, "kept", "arch.md"), "w") as fh:
            fh.write("---\nname: {{name}}\ncity: Kampala\n---\n")
        os.symlink("../kept/arch.md", os.path.join(site, "archetypes", "institution.md"))
        rc, so, se = new(site, "institution", "Makerere University")
        assert rc == 0, se
        with open(os.path.join(site, "kept", "institutions",
                               "makerere-university.md")) as fh:
            assert fh.read() == ('---\nname: "Makerere University"\n'
                                 'city: Kampala\n---\n')
