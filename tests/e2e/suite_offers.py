"""Elective offers and page bundles: the files a bundle's page links are
published beside it and listed with their kind and size, an oversize file
warns, a missing form is an error at its name, a record that is both a
bundle and a file is an error, hostile bundle files (a link out of the
site, a named pipe, a hidden file) are refused, the JSON Schema accepts
the example's records, and the GeoJSON and CSV carry the offers."""
import contextlib
import csv
import glob
import io
import json
import os
import re
import struct
import subprocess
import zlib

from jsonschema import Draft202012Validator, FormatChecker

from e2e import test, run, min_site, tree_digest, front_matter, read, ROOT, record_files, TOOL
from steps import built

BUNDLE = os.path.join("content", "institutions", "makerere")
RECORD = os.path.join(BUNDLE, "index.md")

OFFER = """electives:
  - type: clinical
    disciplines: [surgery]
    months: [Jan, Feb]
    fee: {amount: 250, currency: EUR}
    forms: [{file: application.pdf, title: Application form}]
    contact: {name: Dr A. Sample, email: electives@example.org}
  - research
photo: {file: photo.png, alt: The main entrance}
updated: 2026-09-15
"""


def png(width, height):
    """A valid PNG of width x height grey pixels."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\0" + b"\x80" * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + \
        chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data.encode() if isinstance(data, str) else data)


@contextlib.contextmanager
def bundle_site(fields=OFFER, files=None, body="See [the guide](guide.pdf)."):
    """The minimal site with makerere.md turned into a page bundle whose
    front matter gains fields, holding files (name -> bytes): by default a
    3000-byte application.pdf, a 40 x 30 photo.png and the guide the body
    links."""
    if files is None:
        files = {"application.pdf": b"%PDF-1.4\n" + b"0" * 2991,
                 "photo.png": png(40, 30), "guide.pdf": b"%PDF-1.4 guide\n"}
    with min_site() as (site, tmp):
        flat = os.path.join(site, "content", "institutions", "makerere.md")
        text = read(flat)
        os.remove(flat)
        head, rest = text[4:].split("\n---\n", 1)
        head = "\n".join(l for l in head.split("\n")
                         if not l.startswith("electives:"))
        write(os.path.join(site, RECORD), "---\n%s\n%s---\n%s\n" % (head, fields, body))
        for name, data in files.items():
            write(os.path.join(site, BUNDLE, name), data)
        yield site


def build(site):
    return run("build", "-C", site, "-o", os.path.join(site, "output"))


def page(site):
    return read(os.path.join(site, "output", "institutions", "makerere", "index.html"))


def fails_with(site, expected):
    """A build that stops with exactly the errors expected (lines of
    stderr before the count), leaving the previous output untouched."""
    before = tree_digest(os.path.join(site, "output"))
    rc, _, se = build(site)
    lines = [l for l in se.splitlines() if ": error: " in l or ": warning: " in l]
    assert rc == 1, (rc, se)
    assert lines == expected, "\n".join(lines)
    assert tree_digest(os.path.join(site, "output")) == before


# ------------------------------------------------------------ bundles ---

@test
def offers_fee_shows_the_currencys_decimals():
    """An amount is shown with its currency's minor unit (ISO 4217), as
    the README says: 1000.5 EUR was shown "1000.5 EUR", 250.00 EUR "250
    EUR"."""
    for amount, currency, shown in (
            ("1000.5", "EUR", "1000.50 EUR"),
            ("250.00", "EUR", "250.00 EUR"),
            ("12.5", "BHD", "12.500 BHD"),
            ("25000", "JPY", "25000 JPY")):
        fields = "electives:\n  - type: clinical\n    fee: {amount: %s, currency: %s}\n" % (
            amount, currency)
        with bundle_site(fields=fields) as site:
            rc, _, se = build(site)
            assert rc == 0, se
            assert "<dd>%s</dd>" % shown in page(site), (amount, currency)

@test
def offers_bundle_files_published_and_listed():
    with bundle_site() as site:
        rc, _, se = build(site)
        assert rc == 0, se
        out = os.path.join(site, "output", "institutions", "makerere")
        assert sorted(os.listdir(out)) == [
            "application.pdf", "guide.pdf", "index.html", "photo.png"]
        for name in ("application.pdf", "guide.pdf", "photo.png"):
            with open(os.path.join(out, name), "rb") as a, \
                    open(os.path.join(site, BUNDLE, name), "rb") as b:
                assert a.read() == b.read(), name
        html = page(site)
        assert '<li><a href="./application.pdf" download>Application form</a> ' \
            '<span class="file-meta">(PDF, 3 KB)</span></li>' in html, html
        assert '<img src="./photo.png" alt="The main entrance" width="40" ' \
            'height="30" loading="lazy" decoding="async">' in html
        assert '<a href="guide.pdf">the guide</a>' in html
        assert 'Information last confirmed on <time datetime="2026-09-15">' \
            '15 September 2026</time>.' in html
        assert '<h3 id="offer-1">Clinical elective</h3>' in html
        assert '<h3 id="offer-2">Research elective</h3>' in html
        assert "<p>January and February</p>" in html
        assert '<li class="on" title="January">Jan</li>' in html
        assert '<li title="March">Mar</li>' in html
        assert "<dd>250.00 EUR</dd>" in html
        assert 'Dr A. Sample <a href="mailto:electives@example.org">' in html
        # the research offer gives nothing but its type
        research = html.split('id="offer-2"', 1)[1].split("</section>", 1)[0]
        assert research.count("Not given") == 10, research


@test
def offers_record_without_updated_says_not_confirmed():
    with bundle_site(fields="electives: [clinical]\n", files={}, body="") as site:
        rc, _, se = build(site)
        assert rc == 0, se
        html = page(site)
        assert "Information not yet confirmed by the partner." in html
        assert "<img" not in html


@test
def offers_large_file_warns():
    with bundle_site() as site:
        with open(os.path.join(site, "site.yml"), "a", encoding="utf-8") as fh:
            fh.write("max_file_size: 2 KB\n")
        rc, _, se = build(site)
        assert rc == 0, se
        assert "content/institutions/makerere/application.pdf:1:1: warning: " \
            "application.pdf is 3 KB, more than site.yml's max_file_size " \
            "(2 KB): students on slow connections may not get it; make it " \
            "smaller, or raise max_file_size [large-file]" in se, se
        rc, _, se = run("check", "-C", site, "--strict")
        assert rc == 1 and "[large-file]" in se, se


@test
def offers_missing_form_is_an_error_at_its_name():
    with bundle_site() as site:
        assert build(site)[0] == 0
        os.remove(os.path.join(site, BUNDLE, "application.pdf"))
        fails_with(site, [MISSING_FORM])


@test
def offers_bundle_and_file_for_one_slug_is_an_error():
    with bundle_site() as site:
        assert build(site)[0] == 0
        write(os.path.join(site, "content", "institutions", "makerere.md"),
              read(os.path.join(site, RECORD)).replace(OFFER, ""))
        fails_with(site, [
            "content/institutions/makerere/index.md:1:1: error: "
            "content/institutions/makerere.md and "
            "content/institutions/makerere/index.md are both the record of "
            "'makerere': keep one (move makerere.md into "
            "content/institutions/makerere/index.md, or remove the folder)"])


# ------------------------------------------------- hostile bundle files ---

MISSING_FORM = ("content/institutions/makerere/index.md:16:20: error: file "
                "'application.pdf' is not in the page bundle "
                "content/institutions/makerere/; the bundle holds guide.pdf, "
                "photo.png")


def hostile_form(make, refusal):
    """The form replaced by what make(path) puts there: refused with
    refusal, after which the form is missing."""
    with bundle_site() as site:
        assert build(site)[0] == 0
        form = os.path.join(site, BUNDLE, "application.pdf")
        os.remove(form)
        make(form)
        # and told once: that the form is missing follows from it
        fails_with(site, [
            "content/institutions/makerere/application.pdf:1:1: error: "
            "content/institutions/makerere/application.pdf " + refusal])


@test
def offers_bundle_link_out_of_the_site_is_refused():
    hostile_form(lambda path: os.symlink("/etc/passwd", path),
                 "is a symbolic link to a file outside the site folder: copy "
                 "the file into the site folder instead")


@test
def offers_bundle_fifo_is_refused():
    hostile_form(os.mkfifo, "is a named pipe (FIFO), not a regular file: "
                 "replace it with an ordinary file")


@test
def offers_hidden_bundle_file_is_never_published():
    fields = OFFER.replace("file: application.pdf", "file: .env")
    with bundle_site(fields=fields) as site:
        write(os.path.join(site, BUNDLE, ".env"), "TOKEN=secret\n")
        os.makedirs(os.path.join(site, "output"))
        fails_with(site, [
            "content/institutions/makerere/index.md:16:20: error: file "
            "'.env' is a hidden file, which is never read or published: "
            "rename it without the leading dot"])
    # a hidden file no one names is not published either
    with bundle_site() as site:
        write(os.path.join(site, BUNDLE, ".env"), "TOKEN=secret\n")
        write(os.path.join(site, BUNDLE, "notes.txt"), "not linked\n")
        assert build(site)[0] == 0
        out = os.path.join(site, "output", "institutions", "makerere")
        assert ".env" not in os.listdir(out) and "notes.txt" not in os.listdir(out)


# ----------------------------------------------------- schema and exports ---

def institution_records():
    folder = os.path.join(ROOT, "content", "institutions")
    return sorted(record_files(os.path.join(folder, "*.md")) +
                  glob.glob(os.path.join(folder, "*", "index.md")))


@test
def offers_schema_accepts_the_example_records():
    rc, so, se = run("schema", "institution")
    assert rc == 0, se
    schema = json.loads(so)
    Draft202012Validator.check_schema(schema)
    v = Draft202012Validator(schema, format_checker=FormatChecker())
    with_offers = 0
    for path in institution_records():
        doc = json.loads(json.dumps(front_matter(path), default=str))
        errs = sorted(e.message for e in v.iter_errors(doc))
        assert errs == [], (path, errs)
        with_offers += any(isinstance(e, dict) for e in doc.get("electives", []))
    assert with_offers >= 20, with_offers
    # and refuses what check refuses
    bad = {"name": "N", "country": "UG", "city": "C", "location": [0, 30],
           "networks": ["global"], "exchanges": ["undergraduate"],
           "electives": [{"type": "clinical", "fee": {"amount": 5}},
                         {"type": "surgery"}, {"type": "research", "duration": 0}],
           "photo": {"file": "photo.jpg"}}
    assert len(list(v.iter_errors(bad))) == 2


@test
def offers_exports_carry_the_offers():
    import tempfile
    import shutil
    tmp = tempfile.mkdtemp(prefix="pm-e2e-")
    try:
        out = built(ROOT, tmp)
        with open(os.path.join(out, "partners.geojson"), encoding="utf-8") as fh:
            feats = {f["id"]: f["properties"] for f in json.load(fh)["features"]}
        rec = front_matter(os.path.join(ROOT, "content", "institutions",
                                        "makerere-university", "index.md"))
        p = feats["makerere-university"]
        assert len(p["offers"]) == len(rec["electives"])
        first, want = p["offers"][0], rec["electives"][0]
        assert first["type"] == want["type"]
        assert sorted(first["disciplines"]) == sorted(want["disciplines"])
        assert first["languages"] == want["languages"]
        assert first["fee"] == {"amount": want["fee"]["amount"],
                                "currency": want["fee"]["currency"]}
        assert first["forms"] == [{
            "url": "https://example.org/partners/institutions/"
                   "makerere-university/application.pdf",
            "title": "Application form",
            "bytes": os.path.getsize(os.path.join(
                ROOT, "content", "institutions", "makerere-university",
                "application.pdf"))}]
        assert first["contact"]["email"] == want["contact"]["email"]
        assert p["updated"] == str(rec["updated"])
        assert p["languages_of_instruction"] == rec["languages_of_instruction"]
        with open(os.path.join(out, "partners.csv"), encoding="utf-8", newline="") as fh:
            rows = {r["slug"]: r for r in csv.DictReader(fh)}
        row = rows["makerere-university"]
        months = sorted({m for o in p["offers"] for m in o["months"]})
        assert row["months"] == ";".join(str(m) for m in months), row
        assert row["languages"] == "en", row
        assert set(row["disciplines"].split(";")) == \
            {d for o in p["offers"] for d in o["disciplines"]}
        assert row["updated"] == str(rec["updated"])
        assert rows["university-of-tokyo"]["disciplines"] == ""
    finally:
        shutil.rmtree(tmp)


@test
def offers_photo_is_the_pages_sharing_image():
    """An institution with a photo shares it: og:image is the photo's
    absolute address beside the page, og:image:alt its text alternative,
    and the Twitter card the large one."""
    import re
    with bundle_site() as site:
        rc, _, se = build(site)
        assert rc == 0, se
        html = page(site)
        canon = re.search(r'<meta property="og:url" content="([^"]*)"', html).group(1)
        assert canon.endswith("/institutions/makerere/"), canon
        assert re.findall(r'<meta property="og:image" content="([^"]*)"', html) == [canon + "photo.png"]
        assert re.findall(r'<meta property="og:image:alt" content="([^"]*)"', html) == ["The main entrance"]
        assert re.findall(r'<meta name="twitter:card" content="([^"]*)"', html) == ["summary_large_image"]


# --------------------------------------------- hostile bundle file names ---

def refused_name(name, data, expected_tail, field="forms"):
    """A bundle whose form (or photo) is the file `name` holding data: the
    build stops with one error at the name's position ending with
    expected_tail, and nothing is published."""
    fields = ('electives:\n  - type: clinical\n    forms: [{file: "%s", title: Form}]\n' % name
              if field == "forms" else 'photo: {file: "%s", alt: A picture}\n' % name)
    with bundle_site(fields=fields, files={name: data}, body="Text.") as site:
        rc, _, se = build(site)
        errors = [l for l in se.splitlines() if ": error: " in l]
        assert rc == 1, (rc, se)
        assert len(errors) == 1 and errors[0].startswith(RECORD + ":"), se
        assert errors[0].endswith(expected_tail), errors[0]
        assert not os.path.exists(os.path.join(site, "output")), "something was written"


@test
def offers_bundle_names_that_would_be_links_elsewhere_are_refused():
    for name in ["javascript:alert(1).pdf", "a?b.pdf", "a#b.pdf", "a%20b.pdf"]:
        refused_name(name, b"%PDF-1.4\n",
                     "holds ':', '?', '#' or '%', which a link would read as "
                     "part of an address: rename the file without them")


@test
def offers_bundle_files_that_would_be_pages_are_refused():
    for name in ["index.html", "INDEX.HTML", "Index.MD", "guide.html", "form.htm",
                 "app.js"]:
        refused_name(name, b"<h1>x</h1>",
                     "would be published as a page or script of the site; "
                     "give it as PDF, an image or another document instead")


SVG_TAIL = (": opened on its own, on the site's address, the picture could run it or "
            "fetch what it names; export the picture as plain SVG without it, or give it "
            "as PNG or JPEG")


@test
def offers_bundle_svg_with_script_is_refused():
    """A script, an event attribute or a javascript: address in a bundle's
    SVG is refused. Each was told at 1:1 of the file, the first alone, by
    a text search whose words differed from the parse's: each is now told
    at its place, in one wording that names it."""
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">\n'
           b'  <script>alert(1)</script>\n'
           b'  <a href="javascript:alert(1)"><rect/></a>\n</svg>\n')
    with bundle_site(fields='photo: {file: p.svg, alt: A picture}\n',
                     files={"p.svg": svg}, body="Text.") as site:
        rc, _, se = build(site)
        assert rc == 1, (rc, se)
        errors = [l for l in se.splitlines() if ": error: " in l]
        assert errors == [
            BUNDLE + "/p.svg:1:41: error: p.svg holds an event attribute (onload)" + SVG_TAIL,
            BUNDLE + "/p.svg:2:3: error: p.svg holds a script or embedded document "
            "element (script)" + SVG_TAIL,
            BUNDLE + "/p.svg:3:6: error: p.svg holds a javascript: address (href)" + SVG_TAIL,
        ], se
    # past ten, the tenth says how many more
    many = b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<script/>" * 13 + b"</svg>"
    with bundle_site(fields='photo: {file: p.svg, alt: A picture}\n',
                     files={"p.svg": many}, body="Text.") as site:
        rc, _, se = build(site)
        errors = [l for l in se.splitlines() if ": error: " in l]
        assert len(errors) == 10, se
        assert errors[9].endswith("PNG or JPEG (and 3 more in this file)"), errors[9]
        assert errors[9].startswith(BUNDLE + "/p.svg:1:%d: " % (41 + 9 * 9)), errors[9]


@test
def offers_bundle_svg_that_runs_in_any_spelling_is_refused():
    """A script under a namespace prefix (<x:script>) passed the text
    search and ran on the site's address when the picture was opened;
    so would an XHTML element, an entity a browser expands into a
    script, or an XSLT stylesheet. Each is refused, naming what it
    found, where it is; nothing is written."""
    cases = [
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
         b'<x:script xmlns:x="http://www.w3.org/2000/svg">alert(1)</x:script></svg>',
         "1:64", "holds a script or embedded document element (x:script)"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><h:b xmlns:h="http://www.w3.org/1999/xhtml"/></svg>',
         "1:41", "holds an XHTML element (h:b)"),
        (b'<!DOCTYPE svg [<!ENTITY x "&#60;script&#62;alert(1)&#60;/script&#62;">]>'
         b'<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>', "1:16",
         "holds an entity declaration (x)"),
        (b'<?xml-stylesheet type="text/xsl" href="p.xsl"?><svg xmlns="http://www.w3.org/2000/svg"/>',
         "1:1", "holds a stylesheet instruction (xml-stylesheet)"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect',
         "1:46", "is not well-formed XML (libxml2: Couldn't find end of Start Tag rect "
         "line 1)"),
        # UTF-7, which libxml2 decodes and a browser does not: to one the
        # script is in a comment, to the other it runs
        (b'<?xml version="1.0" encoding="UTF-7"?><svg xmlns="http://www.w3.org/2000/svg">'
         b'+ADwAIQAtAC0-<x:script xmlns:x="http://www.w3.org/2000/svg">alert(1)</x:script>'
         b'+AC0ALQA+-</svg>', "1:31", "declares the encoding UTF-7, not UTF-8"),
    ]
    for svg, at, want in cases:
        with bundle_site(fields='photo: {file: p.svg, alt: A picture}\n',
                         files={"p.svg": svg}, body="Text.") as site:
            rc, _, se = build(site)
            assert rc == 1, (rc, se)
            assert (BUNDLE + "/p.svg:%s: error: p.svg %s" % (at, want)) in se, se
            assert not os.path.exists(os.path.join(site, "output")), se


@test
def offers_bundle_files_whose_bytes_are_not_their_kind_are_refused():
    """A photo whose bytes were text, a PNG named .jpg or an empty PDF
    was published as its extension's kind, a broken picture or download,
    without a word: each is an error at the file, saying what it holds."""
    cases = [
        ("fake.jpg", b"hello", "fake.jpg is not a JPEG image: its bytes are not that "
         "kind's; save it again as a JPEG image, or give it the extension of its kind"),
        ("p.jpg", png(4, 3), "p.jpg holds a PNG image, not a JPEG image: give it the "
         "extension of its kind (.png)"),
        ("e.png", b"", "e.png is not a PNG image: its bytes are not that kind's (it is "
         "empty); save it again as a PNG image, or give it the extension of its kind"),
    ]
    for name, data, want in cases:
        with bundle_site(fields="photo: {file: %s, alt: A picture}\n" % name,
                         files={name: data}, body="Text.") as site:
            rc, _, se = build(site)
            assert rc == 1, (rc, se)
            errors = [l for l in se.splitlines() if ": error: " in l]
            assert errors[0] == "%s/%s:1:1: error: %s" % (BUNDLE, name, want), se
            assert not os.path.exists(os.path.join(site, "output")), se
    # read deeper: an MP4 named .avif, a ZIP named .epub, text that is
    # not, a sound that is not
    deeper = [
        ("v.avif", b"\0\0\0\x18ftypmp42", "v.avif holds an MP4 file, not an AVIF image: "
         "give it the extension of its kind (.mp4)"),
        ("b.epub", b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0" + b"\0" * 12 + b"\x05\0\0\0a.txt",
         "b.epub is a ZIP archive but not of that kind (its first entry, mimetype, does "
         "not name it): save it again from its program, or give it the extension of "
         "its kind"),
        ("t.txt", b"\x89PNG\r\n\x1a\nrest", "t.txt holds another kind of file, not text: "
         "give it the extension of its kind"),
        ("z.csv", b"a,b\0c", "z.csv is not text (it holds NUL bytes): save it again as "
         "text, or give it the extension of its kind"),
        ("s.mp3", b"hello world", "s.mp3 is not an MP3 sound: its bytes are not that "
         "kind's; save it again as MP3, or give it the extension of its kind"),
    ]
    for name, data, want in deeper:
        with bundle_site(fields="", files={name: data}, body="[x](%s)" % name) as site:
            rc, _, se = build(site)
            assert rc == 1, (rc, se)
            errors = [l for l in se.splitlines() if ": error: " in l]
            assert errors[0] == "%s/%s:1:1: error: %s" % (BUNDLE, name, want), se
    odt = (b"PK\x03\x04\x14\0\0\0\0\0" + b"\0" * 16 + b"\x08\0\0\0mimetype"
           b"application/vnd.oasis.opendocument.text")
    files = {"f.pdf": b"%PDF-1.7\n", "d.docx": b"PK\x03\x04rest", "m.mp4": b"\0\0\0\x18ftypmp42",
             "a.avif": b"\0\0\0\x1cftypavif", "n.txt": b"plain", "o.odt": odt,
             "s.mp3": b"ID3\x04rest"}
    body = " ".join("[%s](%s)" % (n, n) for n in files)
    with bundle_site(fields="", files=files, body=body) as site:
        rc, _, se = build(site)
        assert rc == 0, se


@test
def offers_a_photo_must_be_a_picture():
    """photo: {file: x.pdf} was published as the page's <img> and og:image:
    a photo is a picture's kind, or an error at its file."""
    with bundle_site(fields="photo: {file: real.pdf, alt: A picture}\n",
                     files={"real.pdf": b"%PDF-1.7\n"}, body="Text.") as site:
        rc, _, se = build(site)
        assert rc == 1, se
        assert ("error: photo 'real.pdf' is no picture: a photo is a PNG, JPEG, WebP, "
                "GIF or SVG file; link other files from the body or forms") in se, se


@test
def offers_a_file_named_with_dot_slash_is_the_file():
    """photo: {file: ./p.png} was refused as a name "with folders", while
    a body link to ./p.png named p.png: it names p.png too."""
    with bundle_site(fields="photo: {file: ./p.png, alt: A picture}\n",
                     files={"p.png": png(4, 3)}, body="Text.") as site:
        rc, _, se = build(site)
        assert rc == 0, se
        assert os.path.exists(os.path.join(site, "output", "institutions", "makerere", "p.png"))
        assert 'src="./p.png"' in page(site), page(site)


@test
def offers_bundle_files_of_no_published_kind_are_refused():
    """.xml, .xsl, .xht, .rdf, .mht and .svgz were published and served as
    types a browser opens as a document of the site, running scripts they
    hold: only kinds a browser shows, plays or downloads are published."""
    for name in ["z.xml", "t.xsl", "t.XSLT", "p.xht", "r.rdf", "a.mht", "p.svgz",
                 "noextension"]:
        refused_name(name, b"<x/>",
                     "is no kind of file a page bundle publishes, and a browser "
                     "could open it as part of the site: give it as PDF, an office "
                     "or OpenDocument file, text, CSV, an image (PNG, JPEG, WebP, "
                     "GIF, AVIF, SVG), audio, video or ZIP, named with its usual "
                     "extension (" + KINDS + ")")


KINDS = (".pdf .doc .docx .odt .rtf .txt .csv .xls .xlsx .ods .ppt .pptx .odp .epub .ics "
         ".vcf .png .jpg .jpeg .gif .webp .avif .svg .mp3 .m4a .aac .flac .oga .ogg .opus "
         ".wav .mp4 .m4v .ogv .webm .zip")


@test
def offers_bundle_sound_and_video_kinds_say_what_to_convert_to():
    """A .mov or .mkv video and a .wma or .aiff sound were refused with the
    message for unknown files, which did not say what to give instead;
    FLAC and AAC sounds, which every browser plays, were refused too."""
    for name, kind in [("tour.mov", "video"), ("tour.MKV", "video"), ("tour.avi", "video"),
                       ("talk.wma", "sound"), ("talk.aiff", "sound")]:
        to = "MP4 (H.264) or WebM" if kind == "video" else "MP3, M4A, Ogg or FLAC"
        refused_name(name, b"\0\0\0\x14ftypqt  ",
                     "is a %s kind that not every browser plays: convert it to %s"
                     % (kind, to))
    flac, aac = b"fLaC\0\0\0\x22" + bytes(40), b"\xff\xf1\x50\x80" + bytes(40)
    # a FLAC after an ID3v2 tag, an AAC of ADIF's header: kinds of their own
    tagged, adif = b"ID3\x04\x00\x00\x00\x00\x00\x05" + bytes(5) + flac, b"ADIF" + bytes(40)
    body = ("Hear [the talk](talk.flac) or [the short one](short.aac), "
            "[this](tagged.flac) and [that](adif.aac).")
    with bundle_site(fields="", files={"talk.flac": flac, "short.aac": aac,
                                       "tagged.flac": tagged, "adif.aac": adif},
                     body=body) as site:
        rc, _, se = build(site)
        assert rc == 0, se
        folder = os.path.join(site, "output", "institutions", "makerere")
        assert sorted(os.listdir(folder)) == ["adif.aac", "index.html", "short.aac",
                                              "tagged.flac", "talk.flac"]
    # the bytes must be the kind's
    with bundle_site(fields="", files={"talk.flac": b"ID3" + bytes(40),
                                       "short.aac": b"<html>" + bytes(40)},
                     body=body) as site:
        rc, _, se = build(site)
        assert rc == 1, se
        assert ("talk.flac:1:1: error: talk.flac is not a FLAC sound: its bytes are "
                "not that kind's; save it again as a FLAC sound, or give it the "
                "extension of its kind") in se, se
        assert ("short.aac:1:1: error: short.aac is not an AAC sound: its bytes are "
                "not that kind's; save it again as AAC, or give it the extension of "
                "its kind") in se, se


@test
def offers_body_links_to_files_that_are_not_published_are_errors():
    """A body link by a bare name to a file the bundle lacks, to one of a
    kind it does not publish, or from a record that is no bundle, was
    published as a broken link without a word. Each is an error at the
    link; a name with a space, which the body's link encodes, is found."""
    body = ("See [the brochure](brochure.pdf) and [the site](www.example.org).\n"
            "The [form](<my form.pdf>) and [data](z.xml).")
    with bundle_site(fields="", files={"my form.pdf": b"%PDF-1.4\n", "z.xml": b"<x/>"},
                     body=body) as site:
        rc, _, se = build(site)
        assert rc == 1, se
        lines = [l for l in se.splitlines() if ": error: " in l]
        first = body.split("\n")[0]
        line = read(os.path.join(site, RECORD)).split("\n").index(first) + 1
        at = lambda name: "%s:%d:%d: " % (RECORD, line, first.index(name) + 1)
        assert lines[0].startswith(at("brochure.pdf") + "error: the body links to "
                                   "'brochure.pdf', which is not in the page bundle "
                                   + BUNDLE + "/;"), se
        assert (at("www.example.org") + "error: the body links to 'www.example.org' "
                "as a file beside the page, and there is none: for a web address, "
                "write it whole (https://www.example.org)") in se, se
        assert any("error: the body links to 'z.xml', which is no kind of file" in l
                   for l in lines), se
        assert len(lines) == 3, se
    with min_site() as (site, tmp):
        flat = os.path.join(site, "content", "institutions", "makerere.md")
        write(flat, read(flat) + "\nSee [the form](form.pdf).\n")
        rc, _, se = build(site)
        assert rc == 1, se
        assert ("error: the body links to 'form.pdf' as a file beside the page, but "
                "only a page bundle has files: move this record to "
                "content/institutions/makerere/index.md and put form.pdf beside it") in se, se
        # and from its translation, with what to move where
        write(flat, read(flat).replace("\nSee [the form](form.pdf).\n", "\n"))
        yml = os.path.join(site, "site.yml")
        write(yml, re.sub(r"(?m)^language: en$", "languages: [en, fr]", read(yml)))
        fr = os.path.join(site, "content", "institutions", "makerere.fr.md")
        write(fr, "---\nname: M\n---\nVoir [le formulaire](form.pdf).\n")
        rc, _, se = build(site)
        assert rc == 1, se
        assert ("content/institutions/makerere.fr.md:4:22: error: the body links to "
                "'form.pdf' as a file beside the page, but only a page bundle has files, "
                "and content/institutions/makerere.md is no bundle: move it to "
                "content/institutions/makerere/index.md, this file to "
                "content/institutions/makerere/index.fr.md, and put form.pdf beside "
                "them") in se, se


@test
def offers_body_links_with_a_dot_a_query_or_a_fragment_are_files_too():
    """./only.pdf, only.pdf#page=2 and only2.pdf?dl=1 name files beside the
    page as only.pdf does: they were neither published nor checked, so
    each was a broken link. Each is told at its first link, not at a
    mention in the text before it, with the count of further links to
    it."""
    body = ("We no longer take nothere.pdf by post.\n\n"
            "[a](./only.pdf) [b](only.pdf#page=2) [c](only2.pdf?dl=1)\n"
            "[d](nothere.pdf) [e](./nothere.pdf#x)")
    with bundle_site(fields="", files={"only.pdf": b"%PDF-1.4\n", "only2.pdf": b"%PDF-1.4\n"},
                     body=body) as site:
        rc, _, se = build(site)
        assert rc == 1, se
        lines = read(os.path.join(site, RECORD)).split("\n")
        row = lines.index("[d](nothere.pdf) [e](./nothere.pdf#x)") + 1
        errors = [l for l in se.splitlines() if ": error: " in l]
        assert errors == [
            "%s:%d:5: error: the body links to 'nothere.pdf', which is not in the page "
            "bundle %s/; the bundle holds only.pdf, only2.pdf; 1 more link to it in the "
            "body" % (RECORD, row, BUNDLE)], se
    body = "[a](./only.pdf) [b](only.pdf#page=2) [c](only2.pdf?dl=1)"
    with bundle_site(fields="", files={"only.pdf": b"%PDF-1.4\n", "only2.pdf": b"%PDF-1.4\n",
                                       "other.pdf": b"%PDF-1.4\n"}, body=body) as site:
        rc, _, se = build(site)
        assert rc == 0, se
        folder = os.path.join(site, "output", "institutions", "makerere")
        assert sorted(os.listdir(folder)) == ["index.html", "only.pdf", "only2.pdf"], os.listdir(folder)


@test
def offers_body_links_no_file_can_answer_are_errors():
    """A body link into a folder below the page (sub/form.pdf, a web
    address written without https:// or its //), to a folder (form.pdf/), to a
    hidden file, or with an escape servers read in different ways (%2F)
    or none (a bare '%') was passed over and published broken. Each is
    an error at the link, in a record and in a translation; links to the
    site's other pages, web addresses and fragments are left alone."""
    links = ["sub/form.pdf", ".hidden.pdf", "form.pdf/", "app%2Fx.pdf",
             "www.who.int/about", "50%off.pdf", "www.example.org/", "http//who.int/a",
             "index.md", "index.fr.md", "https:who.int/a", "HTTP:www.who.int",
             "https:/who.int/b", "https:%5Cwho.int%5Cc", "%2e%2e/x.pdf"]
    fine = ("[ok](form.pdf) [p](../yaounde/) [n](/networks/) [m](mailto:a@b.org) [t](#top) "
            "[u](./) [i](index.html)")
    line = " ".join("[%d](%s)" % (k, a) for k, a in enumerate(links))
    said = {
        "sub/form.pdf": "a file in a folder below the page: a page bundle publishes only "
                        "the files beside its index.md; put form.pdf there and link it "
                        "by its name alone (form.pdf)",
        ".hidden.pdf": "whose name starts with a dot: such a file is never published; "
                       "rename it without the dot",
        "form.pdf/": "a folder beside the page, and the site has none there: to link "
                     "the file form.pdf, leave out the '/'",
        "app%2Fx.pdf": "which holds %2F, an encoded '/', '\\' or NUL, that servers "
                       "read in different ways: link a file beside the page by its "
                       "name alone",
        "www.who.int/about": "an address below the page where the site has nothing: "
                             "for a web address, write it whole (https://www.who.int/about)",
        "50%off.pdf": "which holds a '%' that starts no escape (two hexadecimal "
                      "digits): write a '%' in an address as %25",
        "www.example.org/": "an address below the page where the site has nothing: "
                            "for a web address, write it whole (https://www.example.org/)",
        "http//who.int/a": "an address below the page where the site has nothing: a ':' "
                           "is missing after http (http://who.int/a)",
        "index.md": "a record of this page, which is never published: to link this "
                    "page, write ./",
        "index.fr.md": "a record of this page, which is never published: to link this "
                       "page in another language, write that page's folder's address "
                       "from this page's folder",
        "https:who.int/a": "a web address without the '//' after https:, which a "
                           "browser may read as an address on this site: write "
                           "https://who.int/a",
        "HTTP:www.who.int": "a web address without the '//' after HTTP:, which a "
                            "browser may read as an address on this site: write "
                            "HTTP://www.who.int",
        "https:/who.int/b": "a web address without the '//' after https:, which a "
                            "browser may read as an address on this site: write "
                            "https://who.int/b",
        # the backslashes made slashes in the address to write, not %5C
        "https:%5Cwho.int%5Cc": "a web address without the '//' after https:, which "
                                "a browser may read as an address on this site: write "
                                "https://who.int/c, with '/' for each backslash, which "
                                "is no folder separator on the web",
        "%2e%2e/x.pdf": "whose %2e%2e a browser reads as '..', a folder up: write it "
                        "as '..' if that is meant, or link the file by its name alone",
    }
    files = {"form.pdf": b"%PDF-1.4\n", "sub/form.pdf": b"%PDF-1.4\n",
             ".hidden.pdf": b"%PDF-1.4\n"}
    with bundle_site(fields="", files=files, body=fine + "\n\n" + line) as site:
        rc, _, se = build(site)
        assert rc == 1, se
        row = read(os.path.join(site, RECORD)).split("\n").index(line) + 1
        errors = [l for l in se.splitlines() if ": error: " in l]
        assert errors == ["%s:%d:%d: error: the body links to '%s', %s" % (
            RECORD, row, line.index("(%s)" % a) + 2, a, said[a]) for a in links], se
        # the same in a translation's body
        yml = os.path.join(site, "site.yml")
        write(yml, re.sub(r"(?m)^language: en$", "languages: [en, fr]", read(yml)))
        write(os.path.join(site, RECORD), read(os.path.join(site, RECORD)).replace(line, ""))
        fr = os.path.join(site, BUNDLE, "index.fr.md")
        write(fr, "---\nname: Makerere\n---\n" + fine + "\n\n" + line + "\n")
        rc, _, se = build(site)
        assert rc == 1, se
        errors = [l for l in se.splitlines() if ": error: " in l]
        assert errors == ["%s/index.fr.md:6:%d: error: the body links to '%s', %s" % (
            BUNDLE, line.index("(%s)" % a) + 2, a, said[a]) for a in links], se


@test
def offers_body_links_to_a_page_are_told_as_pages():
    """A link to other.html beside the page was told to become
    https://other.html, as if it were a web address: it is a page of the
    site the editor meant, and the message says how to link one."""
    hint = ("to link another page of the site, write its folder's address from this "
            "page's folder (../ climbs one folder: ../<slug>/ from an institution to "
            "another); for a web address, write it whole (https://%s)")
    body = "See [our page](other.html) and [notes](NOTES.md)."
    with bundle_site(fields="", files={}, body=body + " Or [mail](office@who.int).") as site:
        rc, _, se = build(site)
        assert rc == 1, se
        row = read(os.path.join(site, RECORD)).split("\n").index(
            body + " Or [mail](office@who.int).") + 1
        errors = [l for l in se.splitlines() if ": error: " in l]
        assert errors == ["%s:%d:%d: error: the body links to '%s' as a page beside this "
                          "one, and the site has none there: %s" % (
                              RECORD, row, body.index(n) + 1, n, hint % n)
                          for n in ["other.html", "NOTES.md"]] + [
            "%s:%d:%d: error: the body links to 'office@who.int' as a file beside the "
            "page, but it is an e-mail address: write mailto:office@who.int"
            % (RECORD, row, len(body) + 12)], se
        write(os.path.join(site, RECORD), read(os.path.join(site, RECORD)).replace(
            " Or [mail](office@who.int).", ""))
        write(os.path.join(site, RECORD), read(os.path.join(site, RECORD)).replace(body, "Text."))
        yml = os.path.join(site, "site.yml")
        write(yml, re.sub(r"(?m)^language: en$", "languages: [en, fr]", read(yml)))
        write(os.path.join(site, BUNDLE, "index.fr.md"), "---\nname: M\n---\n" + body + "\n")
        rc, _, se = build(site)
        errors = [l for l in se.splitlines() if ": error: " in l]
        assert errors == ["%s/index.fr.md:4:%d: error: the body links to '%s' as a page "
                          "beside this one, and the site has none there: %s" % (
                              BUNDLE, body.index(n) + 1, n, hint % n)
                          for n in ["other.html", "NOTES.md"]], se


@test
def offers_a_file_saved_in_other_unicode_code_points_is_found():
    """A file saved with its accent as a mark after the letter (NFD, as
    macOS writes names) was not found by a form or a link typed with the
    accented letter (NFC, as the loader reads all text): "not in the page
    bundle", naming a file that looks the same. It is the file, and is
    published under the name the page links."""
    nfc, nfd = "caf\u00e9.pdf", "cafe\u0301.pdf"
    fields = 'electives:\n  - type: clinical\n    forms: [{file: "%s", title: Form}]\n' % nfc
    for body in ["See [the menu](%s)." % nfc, "Text."]:
        with bundle_site(fields=fields, files={nfd: b"%PDF-1.4 menu\n"}, body=body) as site:
            rc, _, se = build(site)
            assert rc == 0, se
            folder = os.path.join(site, "output", "institutions", "makerere")
            assert sorted(os.listdir(folder)) == [nfc, "index.html"], os.listdir(folder)
            assert read(os.path.join(folder, nfc)) == "%PDF-1.4 menu\n"
            assert 'href="./caf%C3%A9.pdf"' in page(site), page(site)
    # both saved, with other contents: a link reaches one alone
    with bundle_site(fields=fields, files={nfd: b"%PDF-1.4 a\n", nfc: b"%PDF-1.4 b\n"},
                     body="Text.") as site:
        rc, _, se = build(site)
        assert rc == 1, se
        errors = [l for l in se.splitlines() if ": error: " in l]
        first, second = sorted([nfc, nfd])
        assert errors == ["%s/%s:1:1: error: this file's name and %s's look the same "
                          "but are written in other Unicode code points (an accent as a "
                          "mark after its letter in one): keep one of the two"
                          % (BUNDLE, second, first)], se


@test
def offers_links_in_pages_and_networks_are_checked_too():
    """Only an institution's body links were checked: a free page's or a
    network's (or their translations') link to form.pdf, to
    www.who.int/about or into a folder was published broken without a
    word. A page or network has no files beside it: each such link is an
    error at itself, saying what to write; other pages, web addresses
    and fragments are left alone."""
    line = ("[a](form.pdf) [b](www.who.int/about) [c](docs/x.pdf) [d](join.html) "
            "[e](a@b.org) [f](join/) [ok](/map/about/) [ok](https://who.int/) [ok](#top)")
    said = {
        "form.pdf": "as a file beside the page, but a %s has no files: link a file of "
                    "an institution's page bundle by its address from this page, or a "
                    "web address whole (https://form.pdf)",
        "www.who.int/about": ", an address below the page where the site has nothing: "
                             "for a web address, write it whole (https://www.who.int/about)",
        "docs/x.pdf": ", a file in a folder below the page, but a %s has no files: link "
                      "a file of an institution's page bundle by its address from this "
                      "page, or a web address whole (https://docs/x.pdf)",
        "join.html": "as a page beside this one, and the site has none there: to link "
                     "another page of the site, write its folder's address from this "
                     "page's folder (../ climbs one folder: ../<slug>/ from an institution "
                     "to another); for a web address, write it whole (https://join.html)",
        "join/": ", a folder beside this page, where the site has none: to link another "
                 "page of the site, write its address from this page's folder (../join/)",
        "a@b.org": "as a file beside the page, but it is an e-mail address: write "
                   "mailto:a@b.org",
    }
    names = ["form.pdf", "www.who.int/about", "docs/x.pdf", "join.html", "a@b.org", "join/"]
    with min_site() as (site, tmp):
        for rel, kind in [("content/pages/about.md", "page"),
                          ("content/networks/global.md", "network")]:
            path = os.path.join(site, rel)
            write(path, read(path).rstrip("\n") + "\n\n" + line + "\n")
        rc, _, se = build(site)
        assert rc == 1, se
        errors = [l for l in se.splitlines() if ": error: " in l]
        want = []
        for rel, kind in [("content/networks/global.md", "network"),
                          ("content/pages/about.md", "page")]:
            row = read(os.path.join(site, rel)).split("\n").index(line) + 1
            for n in names:
                tail = said[n] % kind if "%s" in said[n] else said[n]
                want.append("%s:%d:%d: error: the body links to '%s'%s%s" % (
                    rel, row, line.index("(%s)" % n) + 2, n,
                    "" if tail.startswith(",") else " ", tail))
        assert errors == want, "\n".join(errors)


@test
def offers_pictures_from_other_sites_are_warned_of():
    """A body's picture from another site (![](https://...), or //host/)
    was published without a word: each visitor's browser then asks that
    site for it, which learns who reads the page, and the picture can be
    changed after review. Each is a remote-image warning at itself, in
    an institution's body and a free page's; site.yml's checks: can make
    it an error. A link to another site is no picture, and a picture at
    the site's own address (base_url's host) is left alone."""
    line = ("![Logo](https://img.example.org/logo.png?u=1) and "
            "![Pixel](//t.example.net/p.gif) and [a site](https://who.int/) and "
            "![ours](https://PARTNERS.example.org/map/map.svg)")
    said = ("warning: the body shows a picture from another site (%s): each "
            "visitor's browser asks that site for it, which so learns who opens the "
            "page, and the picture may change after review; save it with the site "
            "(in an institution's page bundle) and show it from there "
            "[remote-image]")
    shown = ["https://img.example.org/logo.png", "//t.example.net/p.gif"]
    with bundle_site(fields="", files={}, body=line) as site:
        about = os.path.join(site, "content", "pages", "about.md")
        write(about, read(about).rstrip("\n") + "\n\n" + line + "\n")
        rc, _, se = build(site)
        assert rc == 0, se
        warned = [l for l in se.splitlines() if "[remote-image]" in l]
        want = []
        for rel in ["content/pages/about.md", RECORD]:
            row = read(os.path.join(site, rel)).split("\n").index(line) + 1
            want += ["%s:%d:%d: %s" % (rel, row, line.index(u) + 1, said % u) for u in shown]
        assert sorted(warned) == sorted(want), "\n".join(warned)
        # made an error by checks:
        yml = os.path.join(site, "site.yml")
        write(yml, read(yml) + "checks:\n  remote-image: error\n")
        rc, _, se = build(site)
        assert rc == 1, se
        assert len([l for l in se.splitlines() if ": error: " in l and "[remote-image]" in l]) == 4, se


@test
def offers_links_to_the_sites_own_pages_are_checked():
    """A link to another page of the site (../<slug>/, as the README says
    to write one, or /map/networks/x/ below base_url's path) was never
    checked: a slug's typo was published as a broken link. Each that
    names no page or file the build writes is an error at the link,
    from an institution's body and a free page's; links outside the
    site's path, and to the pages and files it has, are left alone."""
    fine = ["guide.pdf", "../yaounde/", "../chiang-mai/index.html", "/map/networks/africa/",
            "/map/countries/ug/", "../../about/", "../../", "/map/", "/elsewhere/page/",
            "../mengo-hospital", "/map/electives/clinical/", "../makerere/guide.pdf",
            "/map/map.svg", "../../partners.csv", "./", "../yaounde/my%20form.pdf",
            "<../yaounde/my form.pdf>", "../yaounde/caf%C3%A9.pdf", "../yaounde/café.pdf",
            "/map/networks/africa/index.html", "/map/electives/clinical/partners.csv"]
    said = {
        "../yaunde/": "which names no institution of the site (institutions/yaunde/); "
                      "did you mean yaounde?",
        "/map/networks/asia/": "which names no network of the site (networks/asia/); "
                               "the networks are africa, global",
        "/map/countries/fr/": "which names no country page (countries/fr/): the site "
                              "has one for each country with partners, named by its "
                              "code in lower case",
        "../../abuot/": "which names no page of the site (abuot/); did you mean about?",
        "../../../up/": "which climbs above the site's root folder",
        "../yaounde/form.pdf": "which names no file of institution yaounde "
                               "(institutions/yaounde/form.pdf): a page bundle publishes "
                               "only the files its record names or links by their name "
                               "alone",
        "/map/electives/surgery/": "which names no elective page (electives/surgery/): "
                                   "the types are clinical, research, observership",
        "/map/institutions/": "which names no page of the site (institutions/): the "
                              "site has a page for each institution, below it",
        "../drafty/": "which names institution drafty, a draft (draft: true in its "
                      "record): its page is not written",
        "../../countries/UG/": "which names no country page (countries/UG/): the site "
                               "has one for each country with partners, named by its "
                               "code in lower case; did you mean countries/ug/?",
        "../../Map.svg": "which names no file of the site (Map.svg); did you mean "
                         "map.svg?",
        "../../about/x.pdf": "which names no page or file of the site (about/x.pdf): a "
                             "page has no files",
        "../../networks/global/page/2/": "which names no page of the site "
                                         "(networks/global/page/2/): the network's pages "
                                         "are networks/global/ and, when its list is "
                                         "paged, page/2/ onwards below it",
        "../../countries/ug/foo.pdf": "which names no page of the site "
                                      "(countries/ug/foo.pdf): the country's pages are "
                                      "countries/ug/ and, when its list is paged, page/2/ "
                                      "onwards below it",
    }
    bad = list(said)
    body = " ".join("[%d](%s)" % (k, a) for k, a in enumerate(fine)) + "\n\n" + \
        " ".join("[%d](%s)" % (k, a) for k, a in enumerate(bad))
    with bundle_site(fields="", files={"guide.pdf": b"%PDF-1.4\n"}, body=body) as site:
        # yaounde as a bundle publishing two files with a space and an accent
        ydir = os.path.join(site, "content", "institutions", "yaounde")
        os.makedirs(ydir)
        yflat = os.path.join(site, "content", "institutions", "yaounde.md")
        write(os.path.join(ydir, "index.md"), read(yflat).rstrip("\n") +
              "\n\n[a](<my form.pdf>) [b](café.pdf)\n")
        os.remove(yflat)
        write(os.path.join(site, "content", "institutions", "drafty.md"),
              read(os.path.join(ydir, "index.md")).replace("---\n", "---\ndraft: true\n", 1))
        write(os.path.join(ydir, "my form.pdf"), b"%PDF-1.4\n")
        write(os.path.join(ydir, "café.pdf"), b"%PDF-1.4\n")
        about = os.path.join(site, "content", "pages", "about.md")
        line = "See [a school](../yaunde/) and [us](../about/)."
        write(about, read(about).rstrip("\n") + "\n\n" + line + "\n")
        rc, _, se = build(site)
        assert rc == 1, se
        errors = [l for l in se.splitlines() if ": error: " in l]
        last = body.split("\n")[-1]
        row = read(os.path.join(site, RECORD)).split("\n").index(last) + 1
        arow = read(about).split("\n").index(line) + 1
        want = ["%s:%d:%d: error: the body links to '%s', %s" % (
            RECORD, row, last.index("(%s)" % a) + 2, a, said[a]) for a in bad]
        want += ["content/pages/about.md:%d:%d: error: the body links to '../yaunde/', "
                "which names no page of the site (yaunde/); did you mean "
                "institutions/yaounde/?"
                % (arow, line.index("(../yaunde/)") + 2)]
        assert errors == want, "\n".join(set(errors) ^ set(want))

@test
def offers_a_scheme_spelled_with_escapes_is_told_as_what_it_reads():
    """A link whose scheme is spelled with an escape, java%73cript:alert(1)
    or java&#x25;73cript:alert(1), was told as a file beside the page with
    a hint to write it whole as https://javascript:alert(1). Such a link
    reads as a javascript: address once decoded, which a page never links
    (a javascript: link is shown as its text alone): it is told so, with
    no web-address hint (a second link to it, so spelled, is counted with
    the first); another scheme so spelled (mailto%3A) is told to be
    written without the escape. (java&#x73;cript: itself is read by the
    Markdown as javascript: and shown as its text alone.)"""
    script = ("which reads as a %s: address once its escapes are decoded: a page "
              "never links to one, as it would run or open something other than a "
              "page (such a link is shown as its text alone); remove the link")
    said = [("java%73cript:alert(1)", script % "javascript" +
             "; 1 more link to it in the body"),
            ("VBScript%3Amsgbox", script % "vbscript"),
            ("mailto%3Aa@b.org", "which a browser reads as a file beside the page, "
             "not as a mailto: address, as its ':' or scheme is escaped: write "
             "mailto:a@b.org")]
    body = "\n\n".join("[x](%s)" % a for a, _ in said) + \
        "\n\n[z](java&#x25;73cript:alert(1)) [y](java&#x73;cript:alert(1))"
    with bundle_site(fields="", files={}, body=body) as site:
        rc, _, se = build(site)
        assert rc == 1, se
        text = read(os.path.join(site, RECORD)).split("\n")
        want = ["%s:%d:5: error: the body links to '%s', %s" % (
            RECORD, text.index("[x](%s)" % a) + 1, a, why)
            for a, why in said]
        told = [l for l in se.splitlines() if ": error: " in l]
        same_lines(told, want)


BACKSLASH = ("which holds a backslash ('\\', %%5C in an address): on the web a "
             "backslash is no folder separator, and browsers and servers read it in "
             "different ways; write '/' between folders (%s)")


@test
def offers_a_link_with_backslashes_is_told_to_write_slashes():
    """A link written with Windows' backslashes (..\\nope\\) was told as a
    hidden file ("whose name starts with a dot"), and nope\\x.pdf as an
    encoded '/': the editor was told to rename a file that does not
    exist. Each is told that a backslash is no folder separator on the
    web, with the address written with '/'; so is a link to the site's
    pages written so."""
    body = "[a](..\\nope\\\\) [b](nope\\x.pdf) [c](a%5Cb.pdf)"
    said = {"..%5Cnope%5C": "../nope/", "nope%5Cx.pdf": "nope/x.pdf",
            "a%5Cb.pdf": "a/b.pdf"}
    with bundle_site(fields="", files={}, body=body) as site:
        about = os.path.join(site, "content", "pages", "about.md")
        write(about, read(about).rstrip("\n") + "\n\n" + body + "\n")
        rc, _, se = build(site)
        assert rc == 1, se
        want = []
        for rel in [RECORD, "content/pages/about.md"]:
            row = read(os.path.join(site, rel)).split("\n").index(body) + 1
            want += ["%s:%d:%d: error: the body links to '%s', %s" % (
                rel, row, col, a, BACKSLASH % fix)
                for col, (a, fix) in zip([5, 20, 36], said.items())]
        told = [l for l in se.splitlines() if ": error: " in l]
        same_lines(told, want)
    body = "[d](../..\\countries\\ug\\\\)"
    row, told = bundle_errors(body, body)
    assert told == ["%s:%d:5: error: the body links to '../..%%5Ccountries%%5Cug%%5C', %s"
                    % (RECORD, row, BACKSLASH % "../../countries/ug/")], told




def tells_site_links(said, fine=()):
    """A bundle's body of a link to each address of said, then of fine, on
    one line, in a site of two languages (en, fr), gives exactly an error
    at each link of said, in order, ending with said's tail for it."""
    body = " ".join("[%d](%s)" % (k, a) for k, a in enumerate(list(said) + list(fine)))
    with bundle_site(fields="", files={}, body=body) as site:
        yml = os.path.join(site, "site.yml")
        write(yml, re.sub(r"(?m)^language: en$", "languages: [en, fr]", read(yml)))
        rc, _, se = build(site)
        assert rc == 1, se
        row = read(os.path.join(site, RECORD)).split("\n").index(body) + 1
        want = ["%s:%d:%d: error: the body links to '%s', %s" % (
            RECORD, row, body.index("(%s)" % a) + 2, a, why) for a, why in said.items()]
        told = [l for l in se.splitlines() if ": error: " in l]
        same_lines(told, want, ordered=True)


@test
def offers_a_link_below_a_language_folder_is_quoted_whole():
    """A link to a page below a language's folder (fr/) was told with the
    path below it, as if the link named the default language's page:
    '../../fr/institutions/nope/' "names no institution (institutions/
    nope/)", and a hint pointed the editor out of the folder. The quoted
    path keeps the language's folder, and so does a hint that is a path
    (a name in that folder, a slug, is a hint as it is)."""
    said = {
        "../../fr/institutions/yaunde/": "which names no institution of the site "
                                         "(fr/institutions/yaunde/); did you mean "
                                         "yaounde?",
        "/map/fr/networks/asia/": "which names no network of the site "
                                  "(fr/networks/asia/); the networks are africa, global",
        "../../fr/Map.svg": "which names no file of the site (fr/Map.svg); did you "
                            "mean map.svg?",
        "../../fr/partners.csv": "which names no file of the site (fr/partners.csv): "
                                 "it is written only at the site's root",
        "../../fr/abuot/": "which names no page of the site (fr/abuot/); did you "
                           "mean about?",
        "../../fr/yaunde/": "which names no page of the site (fr/yaunde/); did you "
                            "mean fr/institutions/yaounde/?",
        "../../fr/countries/ug/x.pdf": "which names no page of the site "
                                       "(fr/countries/ug/x.pdf): the country's pages "
                                       "are fr/countries/ug/ and, when its list is "
                                       "paged, page/2/ onwards below it",
        "../../fr/electives/surgery/": "which names no elective page "
                                       "(fr/electives/surgery/): the types are "
                                       "clinical, research, observership",
    }
    tells_site_links(said)


@test
def offers_a_country_code_in_upper_case_gets_its_page_as_a_hint():
    """A link to ../../countries/UG/ was told that it names no country
    page, with no hint, though the site has countries/ug/: a country's
    folder is its code in lower case. The lower-case page is the hint
    when it exists, below a language's folder too; a code of no page
    gets none. So is a section's folder in another case (Networks/)."""
    said = {
        "../../countries/UG/": "which names no country page (countries/UG/): the site "
                               "has one for each country with partners, named by its "
                               "code in lower case; did you mean countries/ug/?",
        "/map/fr/countries/Ug/page/2/": "which names no country page "
                                        "(fr/countries/Ug/): the site has one for "
                                        "each country with partners, named by its "
                                        "code in lower case; did you mean "
                                        "fr/countries/ug/?",
        "../../countries/ZZ/": "which names no country page (countries/ZZ/): the site "
                               "has one for each country with partners, named by its "
                               "code in lower case",
        "../../Networks/africa/": "which names no page of the site (Networks/); did "
                                  "you mean networks/africa/?",
        "../../fr/Countries/ug/": "which names no page of the site (fr/Countries/); "
                                  "did you mean fr/countries/ug/?",
    }
    tells_site_links(said)




@test
def offers_a_language_folder_named_twice_gets_the_page_as_a_hint():
    """A link that names a language's folder from below it (fr/fr/about/,
    from a French page linking ../../fr/about/) was told only that fr/fr/
    names no page. The page the link meant is the hint when there is one,
    and so is the first language's page for en/about/, which is at the
    top; en/ alone and fr/fr/nope/ get none."""
    said = {
        "../../fr/fr/about/": "which names no page of the site (fr/fr/); did you "
                              "mean fr/about/?",
        "../../fr/fr/institutions/yaounde/": "which names no page of the site "
                                             "(fr/fr/); did you mean "
                                             "fr/institutions/yaounde/?",
        "../../en/about/": "which names no page of the site (en/); did you mean "
                           "about/?",
        "../../en/": "which names no page of the site (en/)",
        "../../fr/fr/nope/": "which names no page of the site (fr/fr/)",
    }
    tells_site_links(said)

@test
def offers_a_slug_cut_short_gets_the_one_it_starts():
    """../cairo-univ/ got no hint, the nearest slug being searched by edit
    distance alone. The one slug a link's name starts (of four letters at
    least) is now the hint; none when two start so (chiang: chiang-mai
    and chiang-rai), or when the name is shorter."""
    body = "[a](../../institutions/mengo-h/) [b](../../institutions/chiang/) " \
           "[c](../../institutions/men/)"
    with bundle_site(fields="", files={}, body=body) as site:
        with open(os.path.join(site, "content", "institutions", "chiang-rai.md"), "w",
                  encoding="utf-8") as fh:
            fh.write("---\nname: Chiang Rai Medical School\ncountry: TH\n"
                     "city: Chiang Rai\nlocation: [19.9, 99.83]\n"
                     "exchanges: [undergraduate]\nnetworks: [global]\n---\n")
        rc, _, se = build(site)
        assert rc == 1, se
        row = read(os.path.join(site, RECORD)).split("\n").index(body) + 1
        told = [l for l in se.splitlines() if ": error: " in l]
        same_lines(told, ["%s:%d:%d: error: the body links to '%s', which names no "
                          "institution of the site (%s)%s" % (
                              RECORD, row, body.index("(" + link) + 2, link,
                              link[6:], hint) for link, hint in [
            ("../../institutions/mengo-h/", "; did you mean mengo-hospital?"),
            ("../../institutions/chiang/", ""),
            ("../../institutions/men/", ""),
        ]], ordered=True)

@test
def offers_a_full_address_on_the_site_is_checked_as_its_path():
    """https://<base_url's host>/map/institutions/ghost/ was left alone,
    as a web address, and broke unseen. A full address on the site's host
    (in http: or https:, the host in any case, or //host) is now checked
    as the rooted link it is; one outside base_url's path, on another
    host, or to a page that exists is left alone."""
    said = {
        "https://partners.example.org/map/institutions/ghost/":
            "which names no institution of the site (institutions/ghost/)",
        "HTTP://Partners.Example.ORG/map/fr/networks/asai/":
            "which names no network of the site (fr/networks/asai/); the "
            "networks are africa, global",
        "//partners.example.org/map/nope/":
            "which names no page of the site (nope/)",
        # as a browser reaches it: the default port, user information
        "https://partners.example.org:443/map/nope1/":
            "which names no page of the site (nope1/)",
        "http://partners.example.org:80/map/nope2/":
            "which names no page of the site (nope2/)",
        "https://who@partners.example.org/map/nope3/":
            "which names no page of the site (nope3/)",
    }
    tells_site_links(said, fine=[
        "https://partners.example.org:8443/map/nope/",
        "https://partners.example.org@elsewhere.org/map/nope/",
        "https://partners.example.org/other/x/", "https://elsewhere.org/map/nope/",
        "https://partners.example.org/map/institutions/yaounde/#x",
        "https://partners.example.org"])



@test
def offers_a_backslash_in_a_rooted_or_full_address_is_told():
    """Browsers read a backslash as '/', so /\\evil.org/ is a link to another
    host, and https://<host>\\map\\x a link into the site; both passed:
    the backslash was told only in links that climb. It is told in every
    link a browser may read as one to this site, or from it to another
    host, with the address written with '/'."""
    said = {
        "https://partners.example.org%5Cmap%5Cinstitutions%5Cnope":
            BACKSLASH % "https://partners.example.org/map/institutions/nope",
        "/map%5Cinstitutions%5Cnope": BACKSLASH % "/map/institutions/nope",
        "/%5Cevil.example/": BACKSLASH % "//evil.example/",
        "%5Cmap/institutions/yaounde/": BACKSLASH % "/map/institutions/yaounde/",
        "/other%5Cx/": BACKSLASH % "/other/x/",
    }
    tells_site_links(said, fine=["https://partners.example.org/map/institutions/yaounde/"])


@test
def offers_a_full_address_on_an_ipv6_host_is_checked():
    """With base_url on an IPv6 host (https://[2001:db8::1]:8443/Map), a
    full address there was left alone: the Markdown renderer writes its
    brackets escaped (%5B, %5D). It is checked as its path; another
    host's is left alone. The page keeps the host's brackets (a browser
    takes %5B...%5D for a host name), and the message quotes them so."""
    body = ("[a](https://[2001:db8::1]:8443/Map/institutions/nope/) "
            "[b](https://[2001:db8::2]:8443/Map/institutions/nope/) "
            "[c](https://[2001:db8::1]:8443/Map/institutions/yaounde/)")
    with bundle_site(fields="", files={}, body=body) as site:
        yml = os.path.join(site, "site.yml")
        write(yml, re.sub(r"(?m)^base_url: .*$", "base_url: https://[2001:db8::1]:8443/Map",
                          read(yml)))
        rc, _, se = build(site)
        assert rc == 1, se
        row = read(os.path.join(site, RECORD)).split("\n").index(body) + 1
        told = [l for l in se.splitlines() if ": error: " in l]
        same_lines(told, ["%s:%d:5: error: the body links to "
                          "'https://[2001:db8::1]:8443/Map/institutions/nope/', which "
                          "names no institution of the site (institutions/nope/)" % (
                              RECORD, row)])
        fixed = body.replace("institutions/nope/", "institutions/yaounde/")
        write(os.path.join(site, RECORD), read(os.path.join(site, RECORD)).replace(body, fixed))
        rc, _, se = build(site)
        assert rc == 0, se
        page = read(os.path.join(site, "output", "institutions", "makerere", "index.html"))
        assert 'href="https://[2001:db8::2]:8443/Map/institutions/yaounde/"' in page, page

@test
def offers_a_code_written_for_a_country_gets_its_iso_code_as_a_hint():
    """UK is no ISO 3166-1 code (it is reserved there; the United
    Kingdom's is GB), nor is EL (the European Union's for Greece, GR).
    `country: UK` was told only that the code is unknown, and a link to
    ../../countries/uk/ that it names no country page. Both now name the
    ISO code: the link's hint only when that country has a page."""
    with bundle_site(fields="", files={},
                     body="[a](../../countries/uk/) [b](../../countries/EL/) "
                          "[c](../../countries/gbr/) [d](../../countries/united-kingdom/)") as site:
        inst = os.path.join(site, "content", "institutions")
        with open(os.path.join(inst, "edinburgh.md"), "w", encoding="utf-8") as fh:
            fh.write("---\nname: Edinburgh Medical School\ncountry: GB\n"
                     "city: Edinburgh\nlocation: [55.94, -3.19]\n"
                     "exchanges: [undergraduate]\nnetworks: [global]\n---\n")
        with open(os.path.join(inst, "london.md"), "w", encoding="utf-8") as fh:
            fh.write("---\nname: A London School\ncountry: uk\n"
                     "city: London\nlocation: [51.5, -0.12]\n"
                     "exchanges: [undergraduate]\nnetworks: [global]\n---\n")
        rc, _, se = build(site)
        assert rc == 1, se
        line = ("[a](../../countries/uk/) [b](../../countries/EL/) "
                "[c](../../countries/gbr/) [d](../../countries/united-kingdom/)")
        row = read(os.path.join(site, RECORD)).split("\n").index(line) + 1
        told = [l for l in se.splitlines() if ": error: " in l]
        same_lines(told, [
            "content/institutions/london.md:3:10: error: unknown country code 'uk' "
            "(not an ISO 3166-1 code); did you mean GB (United Kingdom)?",
            "%s:%d:5: error: the body links to '../../countries/uk/', which names "
            "no country page (countries/uk/): the site has one for each country "
            "with partners, named by its code in lower case; did you mean "
            "countries/gb/?" % (RECORD, row),
            "%s:%d:30: error: the body links to '../../countries/EL/', which names "
            "no country page (countries/EL/): the site has one for each country "
            "with partners, named by its code in lower case" % (RECORD, row),
        ] + ["%s:%d:%d: error: the body links to '../../countries/%s/', which names "
             "no country page (countries/%s/): the site has one for each country "
             "with partners, named by its code in lower case; did you mean "
             "countries/gb/?" % (RECORD, row, line.index("(../../countries/%s/)" % c) + 2,
                                 c, c) for c in ("gbr", "united-kingdom")])


def same_lines(told, want, ordered=False):
    """The lines told are those wanted (in that order when ordered); else
    the difference, each marked told or want."""
    same = told == want if ordered else sorted(told) == sorted(want)
    assert same, "\n".join(
        "told: " + l if l in told else "want: " + l for l in set(told) ^ set(want))


def bundle_errors(body, line):
    """The row of line in the record of a bundle of body, and the errors
    a build of that site (which must fail) tells."""
    with bundle_site(fields="", files={}, body=body) as site:
        rc, _, se = build(site)
        assert rc == 1, se
        row = read(os.path.join(site, RECORD)).split("\n").index(line) + 1
        return row, [l for l in se.splitlines() if ": error: " in l]


def cut(s):
    """s as a message quotes a user-written value: its first 100 bytes,
    cut before a character that would not fit, then an ellipsis."""
    b = s.encode()
    if len(b) <= 100:
        return s
    return b[:100].decode("utf-8", "ignore") + "\u2026"


@test
def offers_link_messages_quote_a_long_link_cut_short():
    """A message quoted a link however long it was: a link of a megabyte
    made an error line of a megabyte, and a web-address hint or a folder's
    name from it repeated it. Each quoted link, and each part of one, is
    its first 100 bytes (cut on a character's boundary) and an ellipsis;
    the place is the link's."""
    long = "\u00e9" * 3000
    escaped = "%C3%A9" * 3000  # as the rendered page writes the address
    links = {
        long: "the body links to '%s' as a file beside the page, and there is "
              "none: for a web address, write it whole (https://%s); for a file, "
              "put it in the record's page bundle" % (cut(long), cut(long)),
        "docs/%s.pdf" % long: "the body links to '%s', a file in a folder below "
                              "the page: a page bundle publishes only the files "
                              "beside its index.md; put %s there and link it by "
                              "its name alone (%s)" % (cut("docs/" + escaped + ".pdf"),
                                                       cut(escaped + ".pdf"),
                                                       cut(escaped + ".pdf")),
    }
    body = "\n\n".join("[x](%s)" % a for a in links)
    picture = "https://img.example.org/%s.png" % ("p" * 3000)
    with bundle_site(fields="", files={}, body=body + "\n\n![p](%s)" % picture) as site:
        about = os.path.join(site, "content", "pages", "about.md")
        write(about, read(about).rstrip("\n") + "\n\n[x](%s)\n" % long)
        rc, _, se = build(site)
        assert rc == 1, se
        text = read(os.path.join(site, RECORD)).split("\n")
        want = ["%s:%d:5: error: %s" % (RECORD, text.index("[x](%s)" % a) + 1, m)
                for a, m in links.items()]
        want.append("%s:%d:6: warning: the body shows a picture from another site "
                    "(%s): each visitor's browser asks that site for it, which so "
                    "learns who opens the page, and the picture may change after "
                    "review; save it with the site (in an institution's page "
                    "bundle) and show it from there [remote-image]"
                    % (RECORD, text.index("![p](%s)" % picture) + 1, cut(picture)))
        row = read(about).split("\n").index("[x](%s)" % long) + 1
        want.append("content/pages/about.md:%d:5: error: the body links to '%s' as a "
                    "file beside the page, but a page has no files: link a file of "
                    "an institution's page bundle by its address from this page, or "
                    "a web address whole (https://%s)" % (row, cut(long), cut(long)))
        told = [l for l in se.splitlines() if ": error: " in l or ": warning: " in l]
        same_lines(told, want)
    # a link to the site's pages, checked once the records have no errors
    row, told = bundle_errors("[x](../%s/)" % long, "[x](../%s/)" % long)
    assert told == ["%s:%d:5: error: the body links to '%s', which names no "
                    "institution of the site (institutions/%s/)"
                    % (RECORD, row, cut("../" + escaped + "/"), cut(long))], told


@test
def offers_many_links_to_one_wrong_target_are_told_once():
    """A body that linked one missing or wrong target many times got an
    error for each link: 60,000 links made 60,000 lines. Each target is
    told once per body or value, at its first link, saying how many more
    links to it there are; another target keeps its own message."""
    body = ("See [a](missing.pdf) and [b](missing.pdf).\n"
            "Also [c](missing.pdf), [d](other.pdf) and [e](join.html).")
    housing = "housing: \"[h](nope.pdf) or [i](nope.pdf)\"\n"
    with bundle_site(fields=housing, files={}, body=body) as site:
        about = os.path.join(site, "content", "pages", "about.md")
        line = "[x](join.html) [y](join.html) [z](join.html)"
        write(about, read(about).rstrip("\n") + "\n\n" + line + "\n")
        rc, _, se = build(site)
        assert rc == 1, se
        text = read(os.path.join(site, RECORD)).split("\n")
        first, second = text.index(body.split("\n")[0]) + 1, text.index(body.split("\n")[1]) + 1
        hrow = [k for k, l in enumerate(text) if l.startswith("housing:")][0] + 1
        arow = read(about).split("\n").index(line) + 1
        bundle = "which is not in the page bundle %s/; the bundle holds no other file" % BUNDLE
        want = [
            "%s:%d:%d: error: housing links to 'nope.pdf', %s; 1 more link to it in "
            "housing" % (RECORD, hrow, len("housing: \"[h](") + 1, bundle),
            "%s:%d:9: error: the body links to 'missing.pdf', %s; 2 more links to it "
            "in the body" % (RECORD, first, bundle),
            "%s:%d:28: error: the body links to 'other.pdf', %s" % (RECORD, second, bundle),
            "%s:%d:47: error: the body links to 'join.html' as a page beside this one, "
            "and the site has none there: %s" % (RECORD, second, PAGE_HINT % "join.html"),
            "content/pages/about.md:%d:5: error: the body links to 'join.html' as a page "
            "beside this one, and the site has none there: %s; 2 more links to it in the "
            "body" % (arow, PAGE_HINT % "join.html"),
        ]
        told = [l for l in se.splitlines() if ": error: " in l]
        same_lines(told, want)
    # the site's own pages: checked once the records have no errors
    body = "[a](../nowhere/) [b](../../abuot/) [c](../nowhere/)\n\n[d](../nowhere/)"
    row, told = bundle_errors(body, body.split("\n")[0])
    assert told == [
        "%s:%d:5: error: the body links to '../nowhere/', which names no institution "
        "of the site (institutions/nowhere/); 2 more links to it in the body"
        % (RECORD, row),
        "%s:%d:22: error: the body links to '../../abuot/', which names no page of "
        "the site (abuot/); did you mean about?" % (RECORD, row)], "\n".join(told)


PAGE_HINT = ("to link another page of the site, write its folder's address from this "
             "page's folder (../ climbs one folder: ../<slug>/ from an institution to "
             "another); for a web address, write it whole (https://%s)")


@test
def offers_a_body_of_many_links_is_checked_in_linear_time():
    """Each body link's place was counted from the body's start, and each
    second link to a name looked back over every link before it: a body
    of 40,000 links to its bundle's file took 7 s to check, 70,000 took
    22 s, so a pull request of such records could hold CI up. They are
    placed in one pass: the build ends well inside the limit here (a
    guard against a hang, not a measure), each target's error at its
    first link. A body whose links cannot be found in its text has its
    search bounded, and the rest told at the body's start."""
    many = "[x](guide.pdf) " * 60000
    for last, cols in [("[y](missing.pdf) [z](missing.pdf)", [5]),
                       ("[y](../nowhere/) [z](../nowhere/)", [5])]:
        with bundle_site(fields="", files={"guide.pdf": b"%PDF-1.4\n"},
                         body=many + "\n\n" + last) as site:
            p = subprocess.run([TOOL, "check", "-C", site], capture_output=True,
                               text=True, timeout=120)
            assert p.returncode == 1, p.stderr
            row = read(os.path.join(site, RECORD)).split("\n").index(last) + 1
            errors = [l for l in p.stderr.splitlines() if ": error: " in l]
            assert [e.split(": error: ")[0] for e in errors] == [
                "%s:%d:%d" % (RECORD, row, c) for c in cols], errors
            assert errors[0].endswith("; 1 more link to it in the body"), errors
    # links the search cannot find as the text writes them, each another name
    # (all in the JSON: the text shows a file's first 30)
    odd = " ".join("[x](g&#x75;ide%d&#46;pdf)" % k for k in range(20000))
    with bundle_site(fields="", files={}, body=odd) as site:
        p = subprocess.run([TOOL, "check", "-C", site, "--format", "json"],
                           capture_output=True, text=True, timeout=120)
        assert p.returncode == 1, p.stderr
        errors = [e for e in json.loads(p.stdout) if e["severity"] == "error"]
        assert len(errors) == 20000, len(errors)
        assert len({(e["line"], e["column"]) for e in errors}) == 20000
        assert "19970 more problems of this file are not shown (19970 errors)" \
            in p.stderr, p.stderr[-2000:]


@test
def offers_pictures_cut_short_are_refused():
    """A PNG of its signature alone, one cut short or of 0 x 0 pixels, a
    JPEG or GIF of its header alone, a WebP shorter than its header says:
    each was published as the page's photo (without a size) or beside
    it, and shown broken. Each is an error at the file, saying what is
    missing; a whole picture is kept."""
    whole = png(4, 3)
    cases = {
        "sig.png": (b"\x89PNG\r\n\x1a\n", "its header (IHDR) gives no size"),
        "cut.png": (whole[:-12], "it does not end with PNG's IEND chunk"),
        "empty.png": (png(4, 3)[:16] + struct.pack(">II", 0, 0) + whole[24:],
                      "its header (IHDR) gives no size"),
        "head.jpg": (b"\xff\xd8\xff", "it has no frame header (SOF) giving its size"),
        "head.gif": (b"GIF89a", "its header gives no size"),
        "short.webp": (b"RIFF\xff\x00\x00\x00WEBPVP8 ", "its header gives no size"),
    }
    for name, (data, why) in cases.items():
        field = "photo" if name.endswith(".png") else "forms"
        body = "Text." if field == "photo" else "See ![p](%s)." % name
        fields = 'photo: {file: "%s", alt: A picture}\n' % name if field == "photo" else ""
        with bundle_site(fields=fields, files={name: data}, body=body) as site:
            rc, _, se = build(site)
            assert rc == 1, (name, se)
            assert ("%s/%s:1:1: error: %s is cut short or damaged: %s; a browser "
                    "would show a broken or partial picture; save it again from its "
                    "program" % (BUNDLE, name, name, why)) in se.splitlines(), (name, se)
    # whole pictures, with bytes after their end, as browsers show them
    gif = b"GIF89a\x04\x00\x03\x00\x00\x00\x00,\x00\x00\x00\x00\x04\x00\x03\x00\x00\x02\x02D\x01\x00;"
    with bundle_site(fields='photo: {file: "p.png", alt: A picture}\n',
                     files={"p.png": whole + bytes(8), "g.gif": gif + b"\x00"},
                     body="See ![g](g.gif).") as site:
        rc, _, se = build(site)
        assert rc == 0, se


@test
def offers_links_in_housing_and_requirements_are_checked_too():
    """housing: and an offer's requirements: are Markdown too, and their
    links were not checked: a link to a file the bundle lacks, or to
    www.who.int/map, was published broken. Each is an error at itself in
    the value, and a bundle file they link is published with the page."""
    fields = ('housing: "See [the hostel form](hostel.pdf) and [map](www.who.int/map)."\n'
              'electives:\n  - type: clinical\n'
              '    requirements: "[Checklist](check.pdf) and [rules](rules.pdf)."\n')
    with bundle_site(fields=fields, files={"rules.pdf": b"%PDF-1.4\n"}, body="Text.") as site:
        rc, _, se = build(site)
        assert rc == 1, se
        lines = read(os.path.join(site, RECORD)).split("\n")
        h = [i for i, l in enumerate(lines) if l.startswith("housing:")][0]
        r = [i for i, l in enumerate(lines) if "requirements:" in l][0]
        errors = [l.split("', ")[0] for l in se.splitlines() if ": error: " in l]
        assert errors == [
            "%s:%d:%d: error: housing links to 'hostel.pdf" % (
                RECORD, h + 1, lines[h].index("hostel.pdf") + 1),
            "%s:%d:%d: error: housing links to 'www.who.int/map" % (
                RECORD, h + 1, lines[h].index("www.who.int") + 1),
            "%s:%d:%d: error: requirements links to 'check.pdf" % (
                RECORD, r + 1, lines[r].index("check.pdf") + 1)], se
    def told(fields, cases):
        """The errors a bundle with fields gives, as '<place>: error:
        <who> links to '<name>': each of cases (who, a text of the line,
        name, the line's offset from that text's, what to find in the
        line for the column) in turn."""
        with bundle_site(fields=fields, files={}, body="Text.") as site:
            _, _, se = build(site)
            lines = read(os.path.join(site, RECORD)).split("\n")
            want = []
            for who, mark, name, down, at in cases:
                i = [k for k, l in enumerate(lines) if mark in l][0] + down
                want.append("%s:%d:%d: error: %s links to '%s" % (
                    RECORD, i + 1, lines[i].index(at) + 1, who, name))
            errors = [l.split("', ")[0] for l in se.splitlines() if ": error: " in l]
            assert errors == want, se
    # a literal block (|) keeps its lines: each link at its place (it
    # was told at the '|'); a folded one, or one with escapes: at the value
    told('housing: |\n  Rooms.\n\n    See [list](h1.pdf) and\n  [map](www.who.int/m).\n'
         'electives:\n  - type: clinical\n    requirements: >\n      Read [x](h2.pdf).\n',
         [("housing", "[list]", "h1.pdf", 0, "h1.pdf"),
          ("housing", "[list]", "www.who.int/m", 1, "www.who.int"),
          ("requirements", "requirements:", "h2.pdf", 0, ">")])
    # links to the site's pages, checked in these values too, each at its place
    told('housing: |\n  Rooms.\n  Or [the hostel](../yaunde/).\n'
         'electives:\n  - type: clinical\n  - type: research\n'
         '    requirements: "See [y](../../abuot/) or [z](../yaounde/)."\n',
         [("housing", "[the hostel]", "../yaunde/", 0, "../yaunde/"),
          ("requirements", "requirements:", "../../abuot/", 0, "../../abuot/")])
    fields = 'housing: "See [the rules](rules.pdf)."\n'
    with bundle_site(fields=fields, files={"rules.pdf": b"%PDF-1.4\n"}, body="Text.") as site:
        rc, _, se = build(site)
        assert rc == 0, se
        assert os.path.exists(os.path.join(site, "output", "institutions", "makerere",
                                           "rules.pdf"))


@test
def offers_a_translations_body_links_only_files_its_page_has():
    """A translation's page has the files its record names or links: a
    French body linking a file the English one does not was published as
    a broken link without a word."""
    with bundle_site(fields="", files={"my form.pdf": b"%PDF-1.4\n"},
                     body="See [the form](<my form.pdf>).") as site:
        yml = os.path.join(site, "site.yml")
        write(yml, re.sub(r"(?m)^language: en$", "languages: [en, fr]", read(yml)))
        fr = os.path.join(site, BUNDLE, "index.fr.md")
        line2 = "Et [la brochure](brochure.pdf) ou [le site](www.example.org)."
        write(fr, "---\nname: Makerere\n---\nVoir [le formulaire](<my form.pdf>).\n" + line2 + "\n")
        rc, _, se = build(site)
        assert rc == 1, se
        errors = [l for l in se.splitlines() if ": error: " in l]
        assert errors == [
            "%s/index.fr.md:5:%d: error: the body links to 'brochure.pdf', which its page "
            "does not have: a translation's page has the files %s names or links; put "
            "brochure.pdf in the page bundle and link it from there too"
            % (BUNDLE, line2.index("brochure.pdf") + 1, RECORD),
            "%s/index.fr.md:5:%d: error: the body links to 'www.example.org' as a file "
            "beside the page, and its page has none: for a web address, write it whole "
            "(https://www.example.org)" % (BUNDLE, line2.index("www.") + 1)], se


@test
def offers_a_translation_linking_a_bundle_file_its_record_does_not_link():
    """A translation linking a file that the bundle holds, but its record
    neither names nor links, was told to put the file in the bundle,
    where it already is: it is told to link it from the record too."""
    with bundle_site(fields="", files={"form.pdf": b"%PDF-1.4\n", "brochure.pdf": b"%PDF-1.4\n"},
                     body="See [the form](form.pdf).") as site:
        yml = os.path.join(site, "site.yml")
        write(yml, re.sub(r"(?m)^language: en$", "languages: [en, fr]", read(yml)))
        line = "Voir [la brochure](brochure.pdf)."
        write(os.path.join(site, BUNDLE, "index.fr.md"), "---\nname: M\n---\n" + line + "\n")
        rc, _, se = build(site)
        assert rc == 1, se
        errors = [l for l in se.splitlines() if ": error: " in l]
        assert errors == [
            "%s/index.fr.md:4:%d: error: the body links to 'brochure.pdf', which its page "
            "does not have: a translation's page has the files %s names or links; link "
            "brochure.pdf from there too" % (BUNDLE, line.index("brochure.pdf") + 1, RECORD)], se


@test
def offers_a_bundle_folder_without_its_record_says_so():
    """A folder made before its record (or holding <slug>.md) was told
    'cannot read: Invalid argument', a failure of the machine (exit 3):
    the errno of 'no such file' was lost before it was looked at."""
    with min_site() as (site, tmp):
        folder = os.path.join(site, "content", "institutions", "new-school")
        os.makedirs(folder)
        rc, _, se = run("check", "-C", site)
        assert rc == 0, (rc, se)
        # at the folder: its index.md is no file
        assert ("content/institutions/new-school:1:1: warning: the folder "
                "content/institutions/new-school is not read: it holds no index.md") in se, se
        assert "Invalid argument" not in se, se
        write(os.path.join(folder, "new-school.md"), "---\nname: x\n---\n")
        rc, _, se = run("check", "-C", site)
        assert rc == 1, (rc, se)
        assert ("content/institutions/new-school/new-school.md:1:1: error: not read: "
                "a page bundle's record is named index.md, whatever the slug; rename "
                "it to content/institutions/new-school/index.md") in se, se
        # a translation alone: the record it translates is missing
        os.remove(os.path.join(folder, "new-school.md"))
        write(os.path.join(folder, "index.fr.md"), "---\nname: x\n---\n")
        rc, _, se = run("check", "-C", site)
        assert rc == 1, (rc, se)
        assert ("content/institutions/new-school/index.fr.md:1:1: error: this file "
                "translates 'new-school', but the bundle has no index.md, its record "
                "in the default language: write content/institutions/new-school/index.md "
                "first, or remove the folder") in se.splitlines(), se


@test
def offers_bundle_links_are_relative_and_encoded():
    """A file name with a space or non-ASCII letters is linked as
    ./name, percent-encoded (RFC 3986), so no name reads as a scheme."""
    fields = 'electives:\n  - type: clinical\n    forms: [{file: "Formulaire é 1.pdf", title: Form}]\n'
    with bundle_site(fields=fields, files={"Formulaire é 1.pdf": b"%PDF-1.4\n"}, body="Text.") as site:
        rc, _, se = build(site)
        assert rc == 0, se
        assert 'href="./Formulaire%20%C3%A9%201.pdf" download' in page(site), page(site)
        assert os.path.exists(os.path.join(site, "output", "institutions", "makerere",
                                           "Formulaire é 1.pdf"))


@test
def offers_a_site_of_80000_disciplines_is_read_in_linear_time():
    """Each discipline was looked for among those before it, twice: 80,000
    in site.yml took 30 s to check, and ten times that under the test
    build. Sorted now, the check takes a second."""
    with min_site() as (site, tmp):
        yml = os.path.join(site, "site.yml")
        with open(yml, "a", encoding="utf-8") as fh:
            fh.write("disciplines:\n")
            fh.write("".join("- d%d\n" % i for i in range(80000)))
            fh.write("- d5\n")
        rec = os.path.join(site, "content", "institutions", "zeta.md")
        with open(rec, "w", encoding="utf-8") as fh:
            fh.write("---\nname: Zeta\ncountry: UG\ncity: K\nlocation: [0.3, 32.5]\n"
                     "networks: [global]\nexchanges: [undergraduate]\n"
                     "electives: [{type: clinical, disciplines: [d79999, d5]}]\n---\n")
        with open(yml, encoding="utf-8") as fh:
            last = len(fh.read().splitlines())
        p = subprocess.run([TOOL, "check", "-C", site], capture_output=True,
                           text=True, timeout=60)
        rc, se = p.returncode, p.stderr
        assert rc == 0, se
        assert ("site.yml:%d:3: warning: discipline 'd5' is listed twice (first at "
                "line %d): delete this one [listed-twice]" % (
                    last, last - 80000 + 5)) in se.splitlines(), se
