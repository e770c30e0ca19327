"""partnermap new, partnermap init and the bash completion.

Records are started in copies of the minimal site; `init` is run by a
partnermap installed into a temporary prefix (make install), the way an
editor gets it, and the site it writes is built by that install."""
import atexit
import json
import os
import re
import shutil
import subprocess
import tempfile

import yaml

from e2e import test, run, min_site, tree_digest, front_matter, read, ROOT, TOOL


def new(site, *args):
    return run("new", *args, "-C", site)


def path_in(site, kind, slug):
    return os.path.join(site, "content", kind, slug + ".md")


def set_field(path, key, value):
    """Fill one field of a record the way an editor's sed would."""
    text = read(path)
    text, n = re.subn(r"(?m)^%s:.*$" % re.escape(key), "%s: %s" % (key, value), text)
    assert n == 1, (key, text)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def drop_draft(path):
    text = read(path)
    assert "\ndraft: true\n" in text, text
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text.replace("\ndraft: true\n", "\n"))


def fill_institution(path):
    set_field(path, "country", "UG")
    set_field(path, "city", "Mbarara")
    set_field(path, "location", "[-0.6072, 30.6545]")
    set_field(path, "networks", "[africa]")
    set_field(path, "exchanges", "[undergraduate]")
    drop_draft(path)


def no_dates_or_addresses(text):
    assert "@" not in text, text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), text


# ----------------------------------------------------------------- new ---

@test
def new_institution_is_a_draft_with_every_field_to_fill():
    with min_site() as (site, tmp):
        rc, so, se = new(site, "institution", "Mbarara University of Science and Technology")
        assert rc == 0, (rc, se)
        assert se == "", se
        slug = "mbarara-university-of-science-and-technology"
        path = path_in(site, "institutions", slug)
        assert so == (
            "partnermap: wrote %s\n"
            "  fill in: country, city, location, networks, exchanges\n"
            "  networks to choose from: africa, global\n"
            "  then delete the line 'draft: true' (until then build and check "
            "leave the record out) and run partnermap check -C %s\n" % (path, site)), so
        fm = front_matter(path)
        assert fm["name"] == "Mbarara University of Science and Technology", fm
        assert fm["draft"] is True, fm
        for key in ("country", "city", "location", "networks", "exchanges"):
            assert key in fm and not fm[key], (key, fm)
        text = read(path)
        no_dates_or_addresses(text)
        # a draft is left out: the site still checks
        rc, so, se = run("check", "-C", site)
        assert rc == 0, se
        # without the draft line, the checker names every field to fill
        drop_draft(path)
        rc, so, se = run("check", "-C", site)
        assert rc == 1, (rc, se)
        rel = "content/institutions/%s.md" % slug
        assert se == (
            "%s:6:9: error: country is empty: write its value\n"
            "%s:7:6: error: city is empty: write its value\n"
            "%s:8:11: error: location must be [latitude, longitude]: two numbers in degrees\n"
            "%s:9:11: error: networks must name at least one network: write the "
            "slug of a file in content/networks/ between the brackets\n"
            "%s:10:12: error: exchanges must list at least one of undergraduate or postgraduate\n"
            "5 errors, 0 warnings\n"
            "partnermap: fix the errors above\n" % ((rel,) * 5)), se
        # filled in, it builds, with its page
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        fill_institution(path)
        rc, so, se = run("build", "-C", site)
        assert rc == 0, se
        assert "warning" not in se, se
        assert os.path.isfile(os.path.join(site, "output", "institutions", slug, "index.html"))


@test
def new_network_and_page():
    with min_site() as (site, tmp):
        rc, so, se = new(site, "network", "West Africa")
        assert rc == 0, se
        path = path_in(site, "networks", "west-africa")
        assert so == ("partnermap: wrote %s\n  fill in: kind\n"
                      "  then run partnermap check -C %s\n" % (path, site)), so
        fm = front_matter(path)
        assert fm == {"name": "West Africa", "kind": None, "description": None}, fm
        assert '# colour: "#rrggbb"' in read(path)
        no_dates_or_addresses(read(path))
        rc, so, se = run("check", "-C", site)
        assert rc == 1, se
        # from the top of the file: the file as a whole (no member) first
        assert ("content/networks/west-africa.md:5:6: error: kind is empty: "
                "write global or regional\n") in se, se
        assert se.startswith("content/networks/west-africa.md:1:1: warning: no institution "
                             "belongs to network 'west-africa'"), se

        rc, so, se = new(site, "page", "How to apply")
        assert rc == 0, se
        path = path_in(site, "pages", "how-to-apply")
        assert so == "partnermap: wrote %s\n  then run partnermap check -C %s\n" % (path, site), so
        assert front_matter(path) == {"title": "How to apply"}
        set_field(path_in(site, "networks", "west-africa"), "kind", "regional")
        # a network without members yet is only a warning
        rc, so, se = run("build", "-C", site)
        assert rc == 0, se
        assert se == ("content/networks/west-africa.md:1:1: warning: no institution "
                      "belongs to network 'west-africa': add 'west-africa' to the "
                      "networks of its members, or remove this file [empty-network]\n"
                      "0 errors, 1 warning\n"), se
        assert os.path.isfile(os.path.join(site, "output", "how-to-apply", "index.html"))


@test
def new_in_the_current_folder_names_paths_from_it():
    with min_site() as (site, tmp):
        rc, so, se = run("new", "page", "Contact", cwd=site)
        assert rc == 0, se
        assert so == ("partnermap: wrote content/pages/contact.md\n"
                      "  then run partnermap check\n"), so
        rc, so, se = run("new", "-q", "page", "Contact us", cwd=site)
        assert (rc, so, se) == (0, "", "")
        assert os.path.isfile(path_in(site, "pages", "contact-us"))


@test
def new_names_with_yaml_syntax_stay_text():
    names = ['Foo: "bar" # baz', "- [x], {y}: & *z ! | > % @ `", "yes", "1.5",
             "null", "C:\\Temp\\O'Brien", "Hôpital « Saint-Louis »: #1"]
    with min_site() as (site, tmp):
        for i, name in enumerate(names):
            slug = "special-%d" % i
            rc, so, se = run("new", "-C", site, "--slug", slug, "institution", "--", name)
            assert rc == 0, (name, se)
            path = path_in(site, "institutions", slug)
            assert front_matter(path)["name"] == name, (name, read(path))
            fill_institution(path)
            set_field(path, "city", "Mbarara %d" % i)
        rc, so, se = run("build", "-C", site)
        assert rc == 0, se
        with open(os.path.join(site, "output", "partners.geojson"), encoding="utf-8") as fh:
            geo = json.load(fh)
        got = {f["properties"]["slug"]: f["properties"]["name"] for f in geo["features"]}
        for i, name in enumerate(names):
            assert got.get("special-%d" % i) == name, (i, got)


@test
def new_slugs_from_other_scripts():
    cases = [("institution", "Trường Đại học Y Hà Nội", "truong-dai-hoc-y-ha-noi"),
             ("institution", "İstanbul Üniversitesi Cerrahpaşa", "istanbul-universitesi-cerrahpasa"),
             ("institution", "Université de Yaoundé I", "universite-de-yaounde-i"),
             ("institution", "አዲስ አበባ ዩኒቨርሲቲ", "adis-ababa-yunivarsiti"),
             ("network", "Südostasien", "sudostasien"),
             ("page", "Как подать заявку", "kak-podat-zaavku")]
    with min_site() as (site, tmp):
        for kind, name, slug in cases:
            rc, so, se = new(site, kind, name)
            assert rc == 0, (name, se)
            path = path_in(site, kind + "s", slug)
            assert os.path.isfile(path), (name, os.listdir(os.path.dirname(path)))
            key = "title" if kind == "page" else "name"
            assert front_matter(path)[key] == name


@test
def new_says_how_it_read_han_and_asks_a_japanese_name_for_a_slug():
    """ICU reads Han characters as Mandarin, so 東京大学 became
    dong-jing-da-xue without a word, and a Japanese name with kana a
    mixture of pinyin and romaji. A name with Han characters is written
    with a note saying how its slug was read, and what to do for a
    Japanese or Korean name; one with kana too (Japanese) writes nothing
    and asks for --slug."""
    with min_site() as (site, tmp):
        rc, so, se = new(site, "institution", "北京大学")
        assert rc == 0, se
        assert os.path.isfile(path_in(site, "institutions", "bei-jing-da-xue"))
        assert se == ("partnermap: note: the slug bei-jing-da-xue reads the Han "
                      "characters of the name as Mandarin Chinese; for a Japanese or "
                      "Korean name, delete %s and give the slug with --slug SLUG\n"
                      % path_in(site, "institutions", "bei-jing-da-xue")), se
        before = tree_digest(os.path.join(site, "content"))
        rc, so, se = new(site, "institution", "はこだて未来大学")
        assert rc == 2, (rc, se)
        assert so == ""
        assert se == ("partnermap: 'はこだて未来大学' is written in Japanese, whose Han "
                      "characters (kanji) partnermap cannot read aloud: give the slug "
                      "with --slug SLUG, as the institution writes its name in Latin "
                      "letters (e.g. --slug university-of-tokyo)\n"
                      "Try 'partnermap new --help'.\n"), se
        assert tree_digest(os.path.join(site, "content")) == before
        rc, so, se = new(site, "institution", "はこだて未来大学", "--slug", "fun-hakodate")
        assert rc == 0 and se == "", se
        # kana alone are read well
        rc, so, se = new(site, "page", "アクセス")
        assert rc == 0 and se == "", se
        assert os.path.isfile(path_in(site, "pages", "akusesu"))


@test
def new_refuses_a_taken_slug_and_never_writes_over():
    with min_site() as (site, tmp):
        before = tree_digest(os.path.join(site, "content"))
        rc, so, se = new(site, "institution", "Makerere")
        assert rc == 1, (rc, se)
        assert so == ""
        assert se == ("content/institutions/makerere.md:1:1: error: the slug 'makerere' is "
                      "taken by this institution, and partnermap new never writes over a "
                      "record: give the new institution another slug with --slug SLUG "
                      "(e.g. --slug makerere-2)\n1 error, 0 warnings\n"), se
        assert tree_digest(os.path.join(site, "content")) == before
        # the suggestion is itself free
        open(path_in(site, "institutions", "makerere-2"), "w").close()
        rc, so, se = new(site, "institution", "Makerere")
        assert rc == 1 and "(e.g. --slug makerere-3)" in se, se
        # a record kept as a folder (with its images) takes its slug too
        os.mkdir(os.path.join(site, "content", "institutions", "kampala-school"))
        rc, so, se = new(site, "institution", "Kampala School")
        assert rc == 1, se
        assert se.startswith("content/institutions/kampala-school:1:1: error: the slug "
                             "'kampala-school' is taken by this institution folder, and "
                             "partnermap new never writes over a record: give the new "
                             "institution another slug with --slug SLUG "
                             "(e.g. --slug kampala-school-2)\n"), se
        # even a dangling link
        os.symlink("nowhere.md", path_in(site, "networks", "europe"))
        rc, so, se = new(site, "network", "Europe")
        assert rc == 1 and se.startswith("content/networks/europe.md:1:1: error:"), se
        # another kind's slug is not in the way: pages live elsewhere
        rc, so, se = new(site, "page", "Makerere")
        assert rc == 0, se
        # --slug chooses another
        rc, so, se = new(site, "institution", "Makerere", "--slug", "makerere-mbarara")
        assert rc == 0, se
        assert front_matter(path_in(site, "institutions", "makerere-mbarara"))["name"] == "Makerere"
        # a page may not take a folder the build writes
        rc, so, se = new(site, "page", "Countries")
        assert rc == 1, se
        # of the command line: content/pages/countries.md is no file
        assert se == ("partnermap: error: a page cannot be called "
                      "'countries': the site's countries/ folder has that name; give it "
                      "another slug with --slug SLUG (e.g. --slug countries-page)\n"
                      "1 error, 0 warnings\n"), se
        assert not os.path.exists(path_in(site, "pages", "countries"))


@test
def new_archetype_site_over_theme_over_builtin():
    with min_site() as (site, tmp):
        os.unlink(os.path.join(site, "themes"))
        shutil.copytree(os.path.join(ROOT, "themes"), os.path.join(site, "themes"))
        theme_arch = os.path.join(site, "themes", "default", "archetypes")
        os.makedirs(theme_arch)
        with open(os.path.join(theme_arch, "network.md"), "w", encoding="utf-8") as fh:
            fh.write("---\nname: {{ name }}\nkind: regional\ndescription: from the theme\n---\n"
                     "Theme's body for {{name}}.\n")
        rc, so, se = new(site, "network", "East: Africa")
        assert rc == 0, se
        path = path_in(site, "networks", "east-africa")
        assert read(path) == ('---\nname: "East: Africa"\nkind: regional\n'
                              'description: from the theme\n---\nTheme\'s body for "East: Africa".\n')
        # nothing left to fill: none named
        assert so == "partnermap: wrote %s\n  then run partnermap check -C %s\n" % (path, site), so
        os.makedirs(os.path.join(site, "archetypes"))
        with open(os.path.join(site, "archetypes", "network.md"), "w", encoding="utf-8") as fh:
            fh.write("---\nname: {{name}}\nkind: global\ndescription: from the site\n---\n")
        rc, so, se = new(site, "network", "South Asia")
        assert rc == 0, se
        assert front_matter(path_in(site, "networks", "south-asia"))["description"] == "from the site"
        # no page archetype in either: the built-in one
        rc, so, se = new(site, "page", "Visas")
        assert rc == 0, se
        assert "Write the page here, in Markdown." in read(path_in(site, "pages", "visas"))
        # a site archetype that cannot make a record is named, nothing written
        with open(os.path.join(site, "archetypes", "institution.md"), "w", encoding="utf-8") as fh:
            fh.write('---\nname: "{{name}}"\ncountry: UG\n---\n')
        rc, so, se = new(site, "institution", "Broken")
        assert rc == 1, se
        assert se.startswith("archetypes/institution.md:2:"), se
        assert se.endswith("archetypes/institution.md:1:1: error: this archetype does not "
                           "make a record partnermap can read once {{name}} is filled in (see "
                           "above); {{name}} becomes the name in quotes, so write it bare: "
                           "name: {{name}}\n2 errors, 0 warnings\n"), se
        assert not os.path.exists(path_in(site, "institutions", "broken"))


@test
def new_bad_command_lines_exit_2():
    cases = [
        ([], "partnermap: missing kind: partnermap new institution|network|page NAME\n"),
        (["instituton", "X"], "partnermap: unknown kind 'instituton' (expected institution, "
                              "network or page); did you mean institution?\n"),
        (["page"], 'partnermap: missing name: partnermap new page "NAME"\n'),
        (["page", "a", "b"], "partnermap: unexpected argument 'b' (put a name with spaces "
                             "in quotes)\n"),
        (["page", "  "], 'partnermap: the name is empty: write it in quotes, e.g. '
                         'partnermap new institution "Makerere University"\n'),
        (["page", "a\nb"], "partnermap: the name holds a control character (a line break "
                           "or tab?): write it on one line\n"),
        (["page", "..."], "partnermap: cannot make a slug from '...': give one with --slug "
                          "SLUG (lower-case letters, digits and dashes)\n"),
        (["page", "x", "--slug", "Bad_Slug"], "partnermap: 'Bad_Slug' cannot be a slug: use "
                                              "lower-case letters a-z, digits and single "
                                              "dashes, at most 200 of them (e.g. --slug "
                                              "makerere-university)\n"),
        (["page", "x", "--slug"], "partnermap: option '--slug' needs a value\n"),
        (["page", "x", "-C"], "partnermap: option '-C' needs a value\n"),
        (["page", "x", "--bogus"], "partnermap: unknown option '--bogus' (a name that "
                                   "begins with '-' goes after --)\n"),
        (["page", "-x"], "partnermap: unknown option '-x' (a name that begins with '-' "
                         "goes after --)\n"),
        (["page", "x" * 1001], "partnermap: the name is 1001 bytes long: keep it under 1000\n"),
    ]
    with min_site() as (site, tmp):
        before = tree_digest(site)
        for args, msg in cases:
            rc, so, se = run("new", *args, cwd=site)
            assert rc == 2, (args, rc, se)
            assert se == msg + "Try 'partnermap new --help'.\n", (args, se)
        assert tree_digest(site) == before
    # not a site folder: a content problem, told how to start one
    with tempfile.TemporaryDirectory(prefix="pm-e2e-") as tmp:
        rc, so, se = run("new", "page", "About", "-C", tmp)
        assert rc == 1, se
        assert se == ("site.yml:1:1: error: %s is not a site folder (it has no site.yml): run "
                      "partnermap in the site folder, name it with -C SITE_DIR, or start a "
                      "site with partnermap init DIR\n1 error, 0 warnings\n" % tmp), se
        assert os.listdir(tmp) == []


@test
def new_io_failure_exits_3():
    # a file where the folder should be (read-only folders do not stop root)
    with min_site() as (site, tmp):
        pages = os.path.join(site, "content", "pages")
        shutil.rmtree(pages)
        with open(pages, "w") as fh:
            fh.write("not a folder")
        rc, so, se = new(site, "page", "About us")
        assert rc == 3, (rc, se)
        assert se == ("content/pages/about-us.md:1:1: error: cannot create the folder for "
                      "it: File exists; check that content/pages is a folder you may write "
                      "to\n1 error, 0 warnings\n"), se
        assert read(pages) == "not a folder"


@test
def help_lists_new_and_init():
    rc, so, se = run("--help")
    assert rc == 0
    assert "  new      start a record: new institution|network|page NAME\n" in so, so
    assert "  init     start a site in a new folder: init DIR\n" in so, so
    for cmd, first in (("new", "Usage: partnermap new KIND NAME [-C SITE_DIR] [--slug SLUG] [-q]\n"),
                       ("init", "Usage: partnermap init DIR [-q]\n")):
        rc, so, se = run(cmd, "--help")
        assert rc == 0, se
        assert so.startswith(first), so


# ---------------------------------------------------------------- init ---

class Installed:
    """partnermap installed into a temporary prefix with make install, once;
    the sanitizer build is put beside it so that it finds the same data."""
    prefix = None

    @classmethod
    def get(cls):
        if cls.prefix is None:
            tmp = tempfile.mkdtemp(prefix="pm-e2e-")
            atexit.register(shutil.rmtree, tmp, True)
            prefix = os.path.join(tmp, "prefix")
            p = subprocess.run(["make", "-s", "install", "PREFIX=" + prefix], cwd=ROOT,
                               capture_output=True, text=True)
            assert p.returncode == 0, p.stderr
            shutil.copy(TOOL, os.path.join(prefix, "bin", "partnermap-asan"))
            cls.prefix = prefix
        return cls.prefix


def installed(*args, cwd=None, binary="partnermap-asan"):
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    p = subprocess.run([os.path.join(Installed.get(), "bin", binary), *args], cwd=cwd,
                       capture_output=True, text=True, env=env)
    return p.returncode, p.stdout, p.stderr


@test
def install_puts_basemap_and_completion_in_place():
    prefix = Installed.get()
    for ext in ("shp", "shx", "dbf", "prj", "cpg"):
        src = os.path.join(ROOT, "geodata", "naturalearth_lowres." + ext)
        dst = os.path.join(prefix, "share", "partnermap", "geodata", "naturalearth_lowres." + ext)
        with open(src, "rb") as a, open(dst, "rb") as b:
            assert a.read() == b.read(), ext
    comp = os.path.join(prefix, "share", "bash-completion", "completions", "partnermap")
    assert read(comp) == read(os.path.join(ROOT, "completion", "partnermap.bash"))


@test
def init_makes_a_site_that_builds_without_warnings():
    Installed.get()
    with tempfile.TemporaryDirectory(prefix="pm-e2e-") as tmp:
        site = os.path.join(tmp, "partners")
        rc, so, se = installed("init", site)
        assert rc == 0, se
        assert se == "", se
        assert so == (
            "partnermap: started a site in %s\n"
            "  build it: cd %s && partnermap build   (then open output/index.html)\n"
            "  add partners: partnermap new institution \"Name\", then delete the sample one\n"
            "  to publish with GitHub Pages, set PARTNERMAP_GIT in "
            ".github/workflows/partnermap.yml\n" % (site, site)), so
        files = sorted(os.path.relpath(os.path.join(d, f), site)
                       for d, _, fs in os.walk(site) for f in fs)
        assert files == [
            ".github/workflows/partnermap.yml", ".gitignore",
            "content/institutions/example-medical-school.md",
            "content/networks/example-network.md", "content/pages/about.md",
            "frontmatter.json", "geodata/naturalearth_lowres.cpg", "geodata/naturalearth_lowres.dbf",
            "geodata/naturalearth_lowres.prj", "geodata/naturalearth_lowres.shp",
            "geodata/naturalearth_lowres.shx", "site.yml"], files
        assert "/output/\n" in read(os.path.join(site, ".gitignore"))
        # what a build leaves beside output/ is ignored too, as git sees it
        if shutil.which("git"):
            subprocess.run(["git", "init", "-q", site], check=True)
            leftovers = [".output.partnermap-manifest", ".output.partnermap-cache",
                         ".output.partnermap-lock", ".output.partnermap-map", "output.staging-1-2/x", "output/x"]
            r = subprocess.run(["git", "-C", site, "check-ignore", "--no-index"] + leftovers,
                               capture_output=True, text=True)
            assert r.stdout.split() == leftovers, r.stdout
            shutil.rmtree(os.path.join(site, ".git"))
        inst = front_matter(os.path.join(site, "content", "institutions",
                                         "example-medical-school.md"))
        assert inst["name"] == "Example Medical School"
        assert inst["email"].endswith("@example.org") and "example.org" in inst["website"]
        # the workflow: checks pull requests, builds, deploys main to Pages
        with open(os.path.join(site, ".github", "workflows", "partnermap.yml"), encoding="utf-8") as fh:
            wf = yaml.safe_load(fh)
        on = wf[True]  # YAML 1.1 reads the key "on" as true
        assert "pull_request" in on and on["push"]["branches"] == ["main"], on
        steps = wf["jobs"]["build"]["steps"]
        runs = "\n".join(s.get("run", "") for s in steps)
        assert "git clone" in runs and "make -C" in runs and "install" in runs, runs
        assert "partnermap check" in runs and "partnermap build" in runs, runs
        assert wf["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")
        assert "refs/heads/main" in wf["jobs"]["deploy"]["if"]
        # the installed release binary and the sanitizer build both build it
        for binary in ("partnermap", "partnermap-asan"):
            rc, so, se = installed("build", cwd=site, binary=binary)
            assert rc == 0, (binary, se)
            assert se == "", (binary, se)
            assert so.startswith("partnermap: built 1 institution in 1 country, "
                                 "1 network, 1 page: "), so
        out = os.path.join(site, "output")
        for f in ("index.html", "about/index.html", "institutions/example-medical-school/index.html",
                  "networks/example-network/index.html", "countries/ke/index.html"):
            assert os.path.isfile(os.path.join(out, f)), f
        # new uses the installed theme's archetype when there is one
        arch = os.path.join(Installed.get(), "share", "partnermap", "themes", "default",
                            "archetypes")
        os.makedirs(arch, exist_ok=True)
        with open(os.path.join(arch, "page.md"), "w", encoding="utf-8") as fh:
            fh.write("---\ntitle: {{name}}\nmenu: 9\n---\nFrom the installed theme.\n")
        try:
            rc, so, se = installed("new", "page", "Visas", cwd=site)
        finally:
            shutil.rmtree(arch)
        assert rc == 0, se
        assert read(os.path.join(site, "content", "pages", "visas.md")) == \
            '---\ntitle: "Visas"\nmenu: 9\n---\nFrom the installed theme.\n'
        rc, so, se = installed("check", cwd=site)
        assert rc == 0 and se == "", se


@test
def init_into_an_empty_folder():
    Installed.get()
    with tempfile.TemporaryDirectory(prefix="pm-e2e-") as tmp:
        rc, so, se = installed("init", ".", "-q", cwd=tmp)
        assert (rc, so, se) == (0, "", ""), se
        assert os.path.isfile(os.path.join(tmp, "site.yml"))
        rc, so, se = installed("check", "-C", tmp)
        assert rc == 0 and se == "", se


@test
def init_refuses_a_folder_that_is_not_empty():
    Installed.get()
    with tempfile.TemporaryDirectory(prefix="pm-e2e-") as tmp:
        with open(os.path.join(tmp, "notes.txt"), "w") as fh:
            fh.write("mine\n")
        rc, so, se = installed("init", tmp)
        assert rc == 1, se
        assert so == ""
        assert se == ("%s:1:1: error: the folder is not empty (it holds notes.txt): partnermap "
                      "init writes only into a new or empty folder, so that it never mixes a "
                      "site with other files; give it another folder\n1 error, 0 warnings\n"
                      % tmp), se
        assert os.listdir(tmp) == ["notes.txt"]
        assert read(os.path.join(tmp, "notes.txt")) == "mine\n"
        # a hidden file counts too
        os.unlink(os.path.join(tmp, "notes.txt"))
        os.mkdir(os.path.join(tmp, ".git"))
        rc, so, se = installed("init", tmp)
        assert rc == 1 and "(it holds .git)" in se, se
        # a file is not a folder
        with open(os.path.join(tmp, "f"), "w") as fh:
            fh.write("x")
        rc, so, se = installed("init", "f", cwd=tmp)
        assert rc == 1, se
        assert se == ("f:1:1: error: this is a file, not a folder: give partnermap init the "
                      "name of a new folder\n1 error, 0 warnings\n"), se
        # command line
        for args, msg in ((["init"], "missing folder: partnermap init DIR"),
                          (["init", "a", "b"], "unexpected argument 'b': init makes one site folder"),
                          (["init", "--bogus"], "unknown option '--bogus'")):
            rc, so, se = installed(*args, cwd=tmp)
            assert rc == 2, (args, se)
            assert se == "partnermap: %s\nTry 'partnermap init --help'.\n" % msg, se


@test
def init_without_an_install_leaves_nothing():
    # the sanitizer build alone, away from any share/partnermap
    with tempfile.TemporaryDirectory(prefix="pm-e2e-") as tmp:
        os.makedirs(os.path.join(tmp, "bare", "bin"))
        tool = os.path.join(tmp, "bare", "bin", "partnermap")
        shutil.copy(TOOL, tool)
        os.makedirs(os.path.join(tmp, "bare", "share", "partnermap"))
        env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1")
        p = subprocess.run([tool, "init", "site"], cwd=tmp, capture_output=True, text=True,
                           env=env)
        assert p.returncode == 3, p.stderr
        data = os.path.join(tmp, "bare", "bin", "..", "share", "partnermap")
        assert p.stderr.startswith(
            "partnermap: error: the default theme is not installed (no %s/themes/default/"
            "templates): install partnermap with make install, then run partnermap init "
            "again\n" % data), p.stderr
        assert "the basemap is not installed (no %s/geodata/naturalearth_lowres.shp)" % data \
            in p.stderr, p.stderr
        # one thing to install, told once: not once per .shp, .shx and .dbf
        assert p.stderr.count("the basemap is not installed") == 1, p.stderr
        assert p.stderr.endswith("\n2 errors, 0 warnings\n"), p.stderr
        assert not os.path.exists(os.path.join(tmp, "site"))


@test
def build_without_an_install_says_the_theme_is_not_installed():
    """A program copied away from its data (~/bin/partnermap) was told
    "unknown theme 'default' ... write theme: default" of a site that
    names no theme: the site asks for nothing wrong, the install lacks it."""
    with tempfile.TemporaryDirectory(prefix="pm-e2e-") as tmp:
        os.makedirs(os.path.join(tmp, "bare", "bin"))
        tool = os.path.join(tmp, "bare", "bin", "partnermap")
        shutil.copy(TOOL, tool)
        data = os.path.join(tmp, "bare", "bin", "..", "share", "partnermap")
        os.makedirs(data)
        with min_site() as (site, _):
            os.unlink(os.path.join(site, "themes"))  # the site's own copy
            env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1")
            p = subprocess.run([tool, "check", "-C", site], capture_output=True,
                               text=True, env=env)
            assert p.returncode == 1, (p.returncode, p.stderr)
            assert ("site.yml:1:1: error: theme 'default' is partnermap's own, but it "
                    "is not installed (no folder %s/themes/default): install "
                    "partnermap with make install and run the installed one, or the "
                    "one built in its checkout; or put a theme of your own in "
                    "themes/default/\n" % data) in p.stderr, p.stderr
            assert "unknown theme" not in p.stderr, p.stderr


def read_bytes(path):
    with open(path, "rb") as fh:
        return fh.read()


@test
def init_from_a_checkouts_own_binary_takes_its_theme_and_basemap():
    """The ./partnermap that make site builds in a checkout, not installed,
    said that the theme and the basemap were not installed, though both
    are beside it: the README's first steps then needed make install."""
    with tempfile.TemporaryDirectory(prefix="pm-e2e-") as tmp:
        co = os.path.join(tmp, "checkout")
        os.makedirs(co)
        tool = os.path.join(co, "partnermap")
        shutil.copy(TOOL, tool)
        os.symlink(os.path.join(ROOT, "themes"), os.path.join(co, "themes"))
        os.symlink(os.path.join(ROOT, "geodata"), os.path.join(co, "geodata"))
        p = subprocess.run([tool, "init", "site"], cwd=tmp, capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        site = os.path.join(tmp, "site")
        for part in ("shp", "shx", "dbf"):
            got = os.path.join(site, "geodata", "naturalearth_lowres." + part)
            assert read_bytes(got) == read_bytes(os.path.join(
                ROOT, "geodata", "naturalearth_lowres." + part)), part
        p = subprocess.run([tool, "build", "-C", site], capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        assert os.path.isfile(os.path.join(site, "output", "index.html"))


@test
def init_from_a_checkout_before_make_site_says_to_fetch_the_basemap():
    """A checkout's ./partnermap before make site fetched the basemap
    was told that the default theme (which is there) and the basemap
    were not installed, and to run make install."""
    with tempfile.TemporaryDirectory(prefix="pm-e2e-") as tmp:
        co = os.path.join(tmp, "checkout")
        os.makedirs(os.path.join(co, "geodata"))
        tool = os.path.join(co, "partnermap")
        shutil.copy(TOOL, tool)
        os.symlink(os.path.join(ROOT, "themes"), os.path.join(co, "themes"))
        shutil.copy(os.path.join(ROOT, "geodata", "fetch-basemap.sh"),
                    os.path.join(co, "geodata"))
        p = subprocess.run([tool, "init", "site"], cwd=tmp, capture_output=True, text=True)
        assert p.returncode == 3, p.stderr
        assert p.stderr == (
            "partnermap: error: the basemap is not fetched yet (no %s/geodata/"
            "naturalearth_lowres.shp): run make site in %s, which fetches it, then run "
            "partnermap init again\n1 error, 0 warnings\n" % (co, co)), p.stderr
        assert not os.path.exists(os.path.join(tmp, "site"))


# ----------------------------------------------------------- completion ---

def complete(*words):
    """COMPREPLY of the completion function for the words typed so far
    (the last one is the word being completed)."""
    script = ('source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); '
              '_partnermap; printf "%s\\n" "${COMPREPLY[@]}"')
    p = subprocess.run(["bash", "-c", script, "bash",
                        os.path.join(ROOT, "completion", "partnermap.bash"), "partnermap", *words],
                       capture_output=True, text=True, cwd=Completion.dir())
    assert p.returncode == 0, p.stderr
    return [w for w in p.stdout.split("\n") if w]


class Completion:
    tmp = None

    @classmethod
    def dir(cls):
        if cls.tmp is None:
            cls.tmp = tempfile.mkdtemp(prefix="pm-e2e-")
            atexit.register(shutil.rmtree, cls.tmp, True)
            for d in ("site-a", "site-b", "output"):
                os.mkdir(os.path.join(cls.tmp, d))
            open(os.path.join(cls.tmp, "site-file"), "w").close()
        return cls.tmp


@test
def completion_of_commands_options_and_kinds():
    cases = [
        ([""], ["build", "check", "serve", "new", "init", "schema"]),
        (["se"], ["serve"]),
        (["serve", "-"], ["-C", "--site", "-p", "--port", "-b", "--bind", "-h", "--help"]),
        (["serve", "--port", ""], []),
        (["serve", "-b", ""], []),
        (["serve", "-p", "0", "-C", "si"], ["site-a", "site-b"]),
        (["b"], ["build"]),
        (["-"], ["--help", "--version"]),
        (["build", "-"], ["-C", "--site", "-o", "--output", "-j", "--jobs", "--clean", "-q",
                          "--quiet", "--strict", "--format", "--report", "-h", "--help"]),
        (["build", "--"], ["--site", "--output", "--jobs", "--clean", "--quiet", "--strict",
                           "--format", "--report", "--help"]),
        (["check", "-"], ["-C", "--site", "-q", "--quiet", "--strict", "--format", "--report",
                          "--list-checks", "-h", "--help"]),
        (["check", "--format", "g"], ["github", "gitlab"]),
        (["build", "--format", "=", ""], ["text", "github", "gitlab", "json"]),
        (["check", "--format=gitlab", "--report", "site-f"], ["site-file"]),
        (["new", "-"], ["-C", "--site", "--slug", "-q", "--quiet", "-h", "--help"]),
        (["init", "-"], ["-q", "--quiet", "-h", "--help"]),
        (["build", "-j", ""], ["1", "2", "4", "8"]),
        (["build", "-C", "si"], ["site-a", "site-b"]),
        (["build", "--site", "=", "site-"], ["site-a", "site-b"]),
        (["build", "-C", "site-a", "-o", "o"], ["output"]),
        (["new", ""], ["institution", "network", "page"]),
        (["new", "n"], ["network"]),
        (["new", "-C", "site-a", "p"], ["page"]),
        (["new", "institution", ""], []),
        (["new", "--slug", ""], []),
        (["init", "s"], ["site-a", "site-b"]),
        (["init", "site-a", ""], []),
        (["frobnicate", ""], []),
    ]
    for words, want in cases:
        got = complete(*words)
        assert sorted(got) == sorted(want), (words, got)
