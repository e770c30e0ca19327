"""partnermap new and init with hostile arguments: a slug with '/' or
'..', a name with a control or bidi character, bytes that are not UTF-8,
a name too long, a slug taken in another letter case, a target that is a
symbolic link. Each is refused with what to do instead, and nothing is
made anywhere."""
import os

from e2e import test, run, min_site
from listing import listing


def put(folder, name, text):
    """Write text (UTF-8) as the file name in folder."""
    with open(os.path.join(folder, name), "w", encoding="utf-8") as fh:
        fh.write(text)

SLUG_RULE = ("cannot be a slug: use lower-case letters a-z, digits and single "
             "dashes, at most 200 of them (e.g. --slug makerere-university)")
TRY_NEW = "\nTry 'partnermap new --help'.\n"

# (arguments after "new institution", the one line said before TRY_NEW)
REFUSED = (
    (["X", "--slug", "a/b"], "'a/b' " + SLUG_RULE),
    (["X", "--slug", ".."], "'..' " + SLUG_RULE),
    (["X", "--slug", "../../evil"], "'../../evil' " + SLUG_RULE),
    (["X", "--slug", "a\\0b"], "'a\\0b' " + SLUG_RULE),
    (["X", "--slug", "x" * 201], "'%s' %s" % ("x" * 201, SLUG_RULE)),
    (["X", "--slug", "Foo"], "'Foo' " + SLUG_RULE + "; did you mean --slug foo?"),
    ([".."], "cannot make a slug from '..': give one with --slug SLUG (lower-case "
             "letters, digits and dashes)"),
    (["a" * 1001], "the name is 1001 bytes long: keep it under 1000"),
    (["a\u0085b"], "the name holds a control character (a line break or tab?): "
                   "write it on one line"),
    (["\u202eevil"], "the name holds U+202E (RIGHT-TO-LEFT OVERRIDE), which "
                     "reorders the text shown after it: remove it (right-to-left "
                     "text needs no such character)"),
    (["a\udcffb"], "the name is not valid UTF-8 text: write it in UTF-8 (set your "
                   "terminal's or script's encoding to UTF-8)"),
)


@test
def new_refuses_hostile_arguments_and_makes_nothing():
    with min_site() as (site, tmp):
        before = listing(tmp)
        for args, said in REFUSED:
            rc, so, se = run("new", "institution", *args, cwd=site)
            assert (rc, so, se) == (2, "", "partnermap: " + said + TRY_NEW), \
                (args, rc, so, se)
            assert listing(tmp) == before, (args, listing(tmp) ^ before)


@test
def new_refuses_a_slug_taken_in_another_case():
    with min_site() as (site, tmp):
        folder = os.path.join(site, "content", "institutions")
        put(folder, "Foo.md", "---\nname: Foo\n---\n")
        before = listing(tmp)
        for name in ("Foo", "FOO", "foo"):
            rc, so, se = run("new", "institution", name, cwd=site)
            assert (rc, so) == (1, ""), (name, rc, se)
            assert se == (
                "content/institutions/Foo.md:1:1: error: the slug 'foo' is taken by "
                "this institution (its name differs only in letter case: one file on "
                "macOS and Windows), and partnermap new never writes over a record: "
                "give the new institution another slug with --slug SLUG (e.g. --slug "
                "foo-2)\n1 error, 0 warnings\n"), (name, se)
            assert listing(tmp) == before, name


@test
def new_never_writes_through_a_link_at_the_record():
    with min_site() as (site, tmp):
        link = os.path.join(site, "content", "institutions", "bar.md")
        os.symlink(os.path.join(tmp, "outside.md"), link)
        before = listing(tmp)
        rc, so, se = run("new", "institution", "Bar", cwd=site)
        assert (rc, so) == (1, ""), se
        assert se.startswith("content/institutions/bar.md:1:1: error: the slug 'bar' "
                             "is taken by this institution, "), se
        assert listing(tmp) == before
        assert not os.path.lexists(os.path.join(tmp, "outside.md"))


def init_link_refusal(shown, to, where):
    return ("%s:1:1: error: this is a symbolic link (to %s), and partnermap init "
            "writes only into the folder it is given: give the folder itself "
            "(partnermap init %s), or the name of a new folder\n"
            "1 error, 0 warnings\n" % (shown, to, where))


@test
def init_refuses_a_symbolic_link_and_makes_nothing():
    with min_site() as (site, tmp):
        os.mkdir(os.path.join(tmp, "empty"))
        os.mkdir(os.path.join(tmp, "sub"))
        os.symlink(os.path.join(tmp, "empty"), os.path.join(tmp, "to-empty"))
        os.symlink(os.path.join(tmp, "nowhere"), os.path.join(tmp, "dangling"))
        os.symlink("../empty", os.path.join(tmp, "sub", "up"))
        before = listing(tmp)
        cases = (("to-empty", os.path.join(tmp, "empty"), os.path.join(tmp, "empty")),
                 ("to-empty/", os.path.join(tmp, "empty"), os.path.join(tmp, "empty")),
                 ("dangling", os.path.join(tmp, "nowhere"), os.path.join(tmp, "nowhere")),
                 ("sub/up", "../empty", "sub/../empty"))
        for arg, to, where in cases:
            rc, so, se = run("init", arg, "-q", cwd=tmp)
            assert (rc, so, se) == (1, "", init_link_refusal(arg, to, where)), \
                (arg, rc, so, se)
            assert listing(tmp) == before, (arg, listing(tmp) ^ before)


@test
def new_lists_networks_by_slug_never_their_translations():
    # africa.fr.md is africa's French text, not a network: listing it
    # told the editor to write a slug that check then refuses
    with min_site() as (site, tmp):
        nets = os.path.join(site, "content", "networks")
        put(nets, "africa.fr.md", "---\nname: Réseau africain\n---\n")
        put(nets, "notes.txt", "not a record\n")
        rc, so, se = run("new", "-C", site, "institution", "Zeta Test")
        assert rc == 0, se
        assert "  networks to choose from: africa, global\n" in so, so


@test
def new_lists_at_most_a_line_of_networks():
    # a site of thousands of networks printed every slug on one line
    with min_site() as (site, tmp):
        nets = os.path.join(site, "content", "networks")
        for i in range(3000):
            put(nets, "n%04d.md" % i, "---\nname: N %d\nkind: regional\n---\n" % i)
        rc, so, se = run("new", "-C", site, "institution", "Zeta Test")
        assert rc == 0, se
        shown = ["africa", "global"] + ["n%04d" % i for i in range(22)]
        want = ("  networks to choose from: %s and 2978 more in content/networks/\n"
                % ", ".join(sorted(shown)))
        assert want in so, so
