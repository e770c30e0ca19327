"""A record, free page or translation left out of the build for an error
still has the links of its Markdown checked in the same run: a broken
link to another page of the site (and, for a free page, a link out of the
site's page rules) was told only once the first error was fixed, so an editor
and a pull request met one round of errors after another."""
import os

from e2e import test, run, min_site, read

INST = os.path.join("content", "institutions", "makerere.md")
PAGE = os.path.join("content", "pages", "about.md")
TR = os.path.join("content", "institutions", "yaounde.fr.md")


def write(path, text):
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def errors(se):
    return [l for l in se.splitlines() if ": error: " in l]


def row_col(path, line, needle):
    """The 1-based line and column of needle in line of the file at path."""
    rows = read(path).split("\n")
    return rows.index(line) + 1, line.index(needle) + 1


@test
def left_out_records_still_have_their_links_checked():
    with min_site() as (site, _):
        inst = os.path.join(site, INST)
        body = "See [a school](../yaunde/) and [Africa](../../networks/africa/)."
        housing = "[rooms](../../networks/asai/)"
        text = read(inst).replace("country: UG", "country: Uganda")
        text = text.replace("joined: 2019-04-01\n",
                            "joined: 2019-04-01\nhousing: \"%s\"\n" % housing)
        write(inst, text.rstrip("\n") + "\n\n" + body + "\n")
        page = os.path.join(site, PAGE)
        pline = "Our [members](../networks/afirca/) and [the form](form.pdf)."
        ptext = read(page).replace("---\n", "---\nmenu: first\n", 1)
        write(page, ptext.rstrip("\n") + "\n\n" + pline + "\n")
        tr = os.path.join(site, TR)
        tline = "Voir [Makerere](../makerere/) et [rien](../nulle-part/)."
        write(tr, "---\nname: Université de Yaoundé\ncountry: CM\n---\n" + tline + "\n")
        yml = os.path.join(site, "site.yml")
        write(yml, read(yml).replace("language: en", "languages: [en, fr]"))
        for command in ("check", "build"):
            rc, _, se = run(command, "-C", site)
            assert rc == 1, (command, se)
            got = errors(se)
            r, c = row_col(inst, body, "../yaunde/")
            hr, hc = row_col(inst, 'housing: "%s"' % housing, "../../networks/asai/")
            pr, pc = row_col(page, pline, "../networks/afirca/")
            fr, fc = row_col(page, pline, "form.pdf")
            tr_, tc = row_col(tr, tline, "../nulle-part/")
            for want in [
                "%s:%d:%d: error: the body links to '../yaunde/', which names no "
                "institution of the site (institutions/yaunde/); did you mean yaounde?"
                % (INST, r, c),
                "%s:%d:%d: error: housing links to '../../networks/asai/', which names "
                "no network of the site (networks/asai/); the networks are africa, global"
                % (INST, hr, hc),
                "%s:%d:%d: error: the body links to '../networks/afirca/', which names "
                "no network of the site (networks/afirca/); did you mean africa?"
                % (PAGE, pr, pc),
                "%s:%d:%d: error: the body links to '../nulle-part/', which names no "
                "institution of the site (fr/institutions/nulle-part/)"
                % (TR, tr_, tc),
            ]:
                assert want in got, (command, want, "\n".join(got))
            # the errors that left each out are told too, and the page's
            # link to a file, which a page cannot have
            assert any(l.startswith(INST + ":") and "Uganda" in l for l in got), got
            assert any(l.startswith(PAGE + ":") and "menu" in l for l in got), got
            assert any(l.startswith("%s:%d:%d: error: the body links to 'form.pdf' as a "
                                    "file beside the page" % (PAGE, fr, fc))
                       for l in got), got
            # the links that are right are not told, nor one to makerere,
            # left out for its error: fixed there, the link is right
            assert not [l for l in got if "../../networks/africa/" in l or
                        "../makerere/" in l], got


@test
def a_files_problems_are_told_together_from_its_top():
    """The checks of links between pages run after every file is read, so
    a free page's broken link to another page was told after the other
    files' problems, apart from the problems the page's own reading gave
    on the same line: the README says a file's problems come from its
    top. They now join the file's first problem, by line and column."""
    with min_site() as (site, _):
        page = os.path.join(site, PAGE)
        line = "[a](../abuot/) [b](../institutions/moi/) [c](x@y.org)"
        write(page, read(page).rstrip("\n") + "\n\n" + line + "\n")
        inst = os.path.join(site, INST)
        write(inst, read(inst).replace("country: UG", "country: Uganda"))
        rc, _, se = run("check", "-C", site)
        assert rc == 1, se
        row = read(page).split("\n").index(line) + 1
        got = [l.split(": error: ")[0] for l in errors(se)]
        spots = ["%s:%d:%d" % (PAGE, row, line.index(n) + 1)
                 for n in ("../abuot/", "../institutions/moi/", "x@y.org")]
        # the page's three, together and in order, wherever they start
        at = got.index(spots[0])
        assert got[at:at + 3] == spots, got
        assert len([g for g in got if g.startswith(PAGE)]) == 3, got


@test
def left_out_for_yaml_that_cannot_be_read_still_has_its_links_checked():
    """A file whose front matter is not YAML (a list opened with [ and never
    closed) has no fields to read, but its body, after the closing ---, is
    there: its links were told only once the YAML was fixed. They are
    told now, with the YAML's error: a record's, a free page's (and its
    page rules), a network's page rules and a translation's."""
    with min_site() as (site, _):
        yml = os.path.join(site, "site.yml")
        write(yml, read(yml).replace("language: en", "languages: [en, fr]"))
        files = {
            INST: ("---\nname: [Makerere\n---\n", "See [x](../yaunde/)."),
            PAGE: ("---\ntitle: [About\n---\n", "See [y](../nope/) and [f](form.pdf)."),
            os.path.join("content", "networks", "africa.md"):
                ("---\nname: [Africa\n---\n", "Read [f](guide.pdf)."),
            TR: ("---\nname: [Yaounde\n---\n", "Voir [z](../nulle-part/)."),
        }
        for rel, (head, line) in files.items():
            write(os.path.join(site, rel), head + line + "\n")
        rc, _, se = run("check", "-C", site)
        assert rc == 1, se
        got = errors(se)

        def at(rel, needle):
            return "%s:4:%d: error: the body links to '%s'" % (
                rel, files[rel][1].index(needle) + 1, needle)
        for want in [
            at(INST, "../yaunde/") + ", which names no institution of the site "
            "(institutions/yaunde/); did you mean yaounde?",
            at(PAGE, "../nope/") + ", which names no page of the site (nope/)",
            at(PAGE, "form.pdf") + " as a file beside the page, but a page has no files",
            at(os.path.join("content", "networks", "africa.md"), "guide.pdf") +
            " as a file beside the page, but a network has no files",
            at(TR, "../nulle-part/") + ", which names no institution of the site "
            "(fr/institutions/nulle-part/)",
        ]:
            assert any(l.startswith(want) for l in got), (want, got)
        for rel in files:
            assert any(l.startswith(rel + ":2:") and "is not closed" in l
                       for l in got), (rel, got)
