#!/usr/bin/env python3
"""End-to-end tests: build real sites into temporary folders with the
sanitizer build of partnermap and check what came out.

Run from the repo root (make test does): python3 tests/e2e/run_e2e.py [NAME...]
Prints one line per test and a last line "N passed, M failed". Names given
on the command line run only the tests whose name contains one of them.
Further suites are the files tests/e2e/suite_*.py beside this one.
"""
import contextlib
import csv
import glob
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import traceback
import xml.etree.ElementTree as ET

import html5lib
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOOL = os.environ.get("PARTNERMAP", os.path.join(ROOT, "build", "asan", "partnermap"))
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
SVG_NS = "{http://www.w3.org/2000/svg}"

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def run(*args, cwd=None):
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    p = subprocess.run([TOOL, *args], cwd=cwd, capture_output=True, text=True, env=env)
    return p.returncode, p.stdout, p.stderr


def tree_digest(folder):
    """Map of relative path -> sha256 of every file below folder."""
    out = {}
    for dirpath, _, files in os.walk(folder):
        for f in files:
            path = os.path.join(dirpath, f)
            with open(path, "rb") as fh:
                out[os.path.relpath(path, folder)] = hashlib.sha256(fh.read()).hexdigest()
    return out


class Example:
    """The example site, built once into a temporary folder."""
    out = None
    tmp = None

    @classmethod
    def get(cls):
        if cls.out is None:
            cls.tmp = tempfile.mkdtemp(prefix="pm-e2e-")
            cls.out = os.path.join(cls.tmp, "out")
            rc, so, se = run("build", "-C", ROOT, "-o", cls.out)
            if rc != 0:
                raise AssertionError("example build failed (%d):\n%s%s" % (rc, so, se))
            cls.stderr = se
        return cls.out


def html_pages(out):
    return sorted(glob.glob(os.path.join(out, "**", "*.html"), recursive=True))


def read(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def front_matter(path):
    text = read(path)
    if text.startswith("\ufeff"):
        text = text[1:]
    if text.lstrip().startswith("{"):
        dec = json.JSONDecoder()
        obj, _ = dec.raw_decode(text.lstrip())
        return obj
    m = re.match(r"---\r?\n(.*?)\r?\n---\r?\n", text, re.S)
    assert m, path
    return yaml.safe_load(m.group(1))


def record_files(pattern):
    """The record files glob finds for pattern: translation files
    (<slug>.<lang>.md, which give a record's texts in another language)
    left out."""
    return [p for p in glob.glob(pattern)
            if "." not in os.path.basename(p)[:-len(".md")]]


def drop_translations(site):
    """Remove the translation files of a copied site, as a site in one
    language has none: <slug>.<lang>.md, and index.<lang>.md in bundles."""
    for path in glob.glob(os.path.join(site, "content", "**", "*.md"), recursive=True):
        if "." in os.path.basename(path)[:-len(".md")]:
            os.remove(path)


def example_records():
    """Every institution of the example, by slug: <slug>.md, and the
    page bundles <slug>/index.md."""
    recs = {}
    folder = os.path.join(ROOT, "content", "institutions")
    paths = record_files(os.path.join(folder, "*.md")) + \
        glob.glob(os.path.join(folder, "*", "index.md"))
    for path in sorted(paths):
        fm = front_matter(path)
        if fm.get("draft"):
            continue
        rel = os.path.relpath(path, folder)
        recs[rel[:-len("/index.md")] if rel.endswith("/index.md") else rel[:-3]] = fm
    return recs


# ---------------------------------------------------------------- the CLI ---

@test
def cli_help_and_version():
    for args in (["--help"], ["build", "--help"], ["check", "--help"], ["--version"]):
        rc, so, se = run(*args)
        assert rc == 0, (args, rc, se)
        assert "partnermap" in so, args
    rc, so, _ = run("build", "--help")
    assert "-C" in so and "-o" in so


@test
def cli_bad_usage_exits_2():
    for args in ([], ["frobnicate"], ["build", "--bogus"], ["build", "-C"],
                 ["check", "-o", "x"], ["build", "extra"], ["build", "-j", "0"],
                 ["build", "--jobs=many"], ["check", "-j", "2"]):
        rc, so, se = run(*args)
        assert rc == 2, (args, rc, se)
        assert se.startswith("partnermap: "), se


@test
def cli_a_mistyped_command_is_told_the_one_meant():
    rc, so, se = run("buidl")
    assert rc == 2 and se == ("partnermap: unknown command 'buidl'; did you mean "
                              "'build'?\nTry 'partnermap --help'.\n"), se
    rc, so, se = run("frobnicate")
    assert rc == 2 and se == "partnermap: unknown command 'frobnicate'\nTry 'partnermap --help'.\n", se
    # before any command, a mistyped option is an option
    rc, so, se = run("--verison")
    assert rc == 2 and se == ("partnermap: unknown option '--verison'; did you mean "
                              "'--version'?\nTry 'partnermap --help'.\n"), se


@test
def check_writes_nothing():
    with min_site() as (site, tmp):
        rc, so, se = run("check", "-C", site)
        assert rc == 0, se
        assert not os.path.exists(os.path.join(site, "output"))


# ------------------------------------------------------- the example site ---

@test
def example_builds_every_page():
    out = Example.get()
    recs = example_records()
    assert len(recs) >= 60, len(recs)
    countries = {r["country"].lower() for r in recs.values()}
    assert len(countries) >= 30, len(countries)
    for slug in recs:
        assert os.path.isfile(os.path.join(out, "institutions", slug, "index.html")), slug
    for c in countries:
        assert os.path.isfile(os.path.join(out, "countries", c, "index.html")), c
    for path in record_files(os.path.join(ROOT, "content", "networks", "*.md")):
        slug = os.path.basename(path)[:-3]
        assert os.path.isfile(os.path.join(out, "networks", slug, "index.html")), slug
    for path in record_files(os.path.join(ROOT, "content", "pages", "*.md")):
        slug = os.path.basename(path)[:-3]
        assert os.path.isfile(os.path.join(out, slug, "index.html")), slug
    for f in ("index.html", "404.html", "map.svg", "partners.geojson",
              "partners.csv", "sitemap.xml", "feed.xml"):
        assert os.path.isfile(os.path.join(out, f)), f


@test
def example_builds_without_warnings():
    Example.get()
    assert "warning" not in Example.stderr, Example.stderr


@test
def every_page_is_valid_html5():
    out = Example.get()
    bad = []
    for page in html_pages(out):
        parser = html5lib.HTMLParser(strict=False)
        with open(page, "rb") as fh:
            parser.parse(fh, transport_encoding="utf-8")
        for pos, code, data in parser.errors:
            bad.append("%s:%d:%d: %s %s" % (os.path.relpath(page, out), pos[0], pos[1], code, data))
        text = read(page)
        assert text.lower().startswith("<!doctype html>"), page
        ids = re.findall(r'\sid="([^"]+)"', text)
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            bad.append("%s: duplicate ids %s" % (page, sorted(dup)[:5]))
    assert not bad, "\n".join(bad[:40])


LINK_RE = re.compile(r'\s(?:href|src)="([^"]*)"')


def resolve(out, page, url):
    url = url.split("#", 1)[0].split("?", 1)[0]
    if url == "":
        return page
    target = os.path.normpath(os.path.join(os.path.dirname(page), url))
    if url.endswith("/") or os.path.isdir(target):
        target = os.path.join(target, "index.html")
    return target


@test
def every_internal_link_resolves():
    out = Example.get()
    broken = []
    for page in html_pages(out):
        if page.endswith("404.html"):
            continue  # served from any path; checked on its own
        for url in LINK_RE.findall(read(page)):
            url = html_unescape(url)
            if re.match(r"^[a-z][a-z0-9+.-]*:", url) or url.startswith("//"):
                continue
            assert not url.startswith("/"), "absolute link %s in %s" % (url, page)
            target = resolve(out, page, url)
            if not os.path.isfile(target):
                broken.append("%s -> %s" % (os.path.relpath(page, out), url))
    assert not broken, "\n".join(broken[:30])


@test
def links_open_from_disk():
    """Opened from disk a folder link shows a listing, not the page: links
    between pages name the file."""
    out = Example.get()
    for page in html_pages(out):
        for url in LINK_RE.findall(read(page)):
            if re.match(r"^[a-z][a-z0-9+.-]*:", url) or url.startswith("#"):
                continue
            if page.endswith("404.html"):
                continue
            assert not url.split("#")[0].endswith("/"), "%s links to folder %s" % (page, url)


@test
def page_404_links_from_base_path():
    out = Example.get()
    text = read(os.path.join(out, "404.html"))
    site = yaml.safe_load(read(os.path.join(ROOT, "site.yml")))
    base_path = re.sub(r"^https?://[^/]+", "", site["base_url"])
    hrefs = [u for u in LINK_RE.findall(text)
             if not re.match(r"^[a-z]+:", u) and not u.startswith("#")]
    assert hrefs
    for u in hrefs:
        assert u.startswith(base_path), u


def html_unescape(s):
    import html
    return html.unescape(s)


@test
def assets_are_fingerprinted():
    out = Example.get()
    files = os.listdir(os.path.join(out, "assets"))
    assert any(re.match(r"style\.[0-9a-f]{10}\.css$", f) for f in files), files
    assert any(re.match(r"app\.[0-9a-f]{10}\.js$", f) for f in files), files
    home = read(os.path.join(out, "index.html"))
    for f in files:
        if f.endswith((".css", ".js")):
            assert ("assets/" + f) in home, f


@test
def geojson_matches_records():
    out = Example.get()
    recs = example_records()
    with open(os.path.join(out, "partners.geojson"), encoding="utf-8") as fh:
        gj = json.load(fh)
    assert gj["type"] == "FeatureCollection"
    feats = {f["properties"]["slug"]: f for f in gj["features"]}
    assert set(feats) == set(recs), set(feats) ^ set(recs)
    for slug, r in recs.items():
        f = feats[slug]
        assert f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert abs(lat - r["location"][0]) < 1e-9 and abs(lon - r["location"][1]) < 1e-9, slug
        p = f["properties"]
        assert p["name"] == r["name"], slug
        assert p["country"] == r["country"].upper(), slug
        assert p["networks"] == list(r["networks"]), slug
        assert p["exchanges"] == list(r["exchanges"]), slug


@test
def csv_matches_records():
    out = Example.get()
    recs = example_records()
    with open(os.path.join(out, "partners.csv"), "rb") as fh:
        raw = fh.read()
    assert raw.count(b"\r\n") >= len(recs) + 1, "RFC 4180 wants CRLF"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert len(rows) == len(recs)
    for row in rows:
        r = recs[row["slug"]]
        assert row["name"] == r["name"]
        assert row["city"] == r["city"]
        assert abs(float(row["latitude"]) - r["location"][0]) < 1e-6
        assert abs(float(row["longitude"]) - r["location"][1]) < 1e-6
        assert row["networks"].split() == list(r["networks"])


@test
def sitemap_and_feed_are_well_formed():
    out = Example.get()
    sm = ET.parse(os.path.join(out, "sitemap.xml")).getroot()
    locs = [e.text for e in sm.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) >= len(example_records()) + 3
    assert len(set(locs)) == len(locs)
    feed = ET.parse(os.path.join(out, "feed.xml")).getroot()
    A = "{http://www.w3.org/2005/Atom}"
    updated = [e.find(A + "updated").text for e in feed.findall(A + "entry")]
    assert updated, "feed has entries"
    assert updated == sorted(updated, reverse=True), "newest joined first"
    assert feed.find(A + "updated").text == updated[0]


@test
def builds_are_byte_identical():
    out = Example.get()
    again = os.path.join(Example.tmp, "again")
    # another number of render threads must not change a byte
    rc, _, se = run("build", "-C", ROOT, "-o", again, "-j", "3")
    assert rc == 0, se
    a, b = tree_digest(out), tree_digest(again)
    assert a == b, sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))[:10]
    shutil.rmtree(again)


@test
def rebuild_replaces_output_in_place():
    with min_site() as (site, tmp):
        out = os.path.join(site, "output")
        assert run("build", "-C", site)[0] == 0
        stale = os.path.join(out, "stale.html")
        open(stale, "w").close()
        assert run("build", "-C", site)[0] == 0
        assert not os.path.exists(stale), "a rebuild starts from a clean folder"
        assert not [d for d in os.listdir(site) if "staging" in d or ".old-" in d]


def foreign_folder(path):
    """Make the folder path as one partnermap did not write: it holds a
    thesis.tex that must be kept (foreign_folder_kept). Returns path."""
    os.makedirs(path)
    with open(os.path.join(path, "thesis.tex"), "w") as fh:
        fh.write("keep me")
    return path


def foreign_folder_kept(path):
    """Whether foreign_folder's file is still in path as it was."""
    return read(os.path.join(path, "thesis.tex")) == "keep me"


@test
def refuses_to_replace_a_foreign_folder():
    with min_site() as (site, tmp):
        precious = foreign_folder(os.path.join(tmp, "precious"))
        rc, _, se = run("build", "-C", site, "-o", precious)
        assert rc == 3, (rc, se)
        assert "refusing" in se
        assert foreign_folder_kept(precious)


# ------------------------------------------------------------------ the map ---

def parse_path(d):
    """Absolute rings from relative/absolute path data (M m L l H h V v Z z)."""
    rings, ring = [], []
    x = y = 0.0
    for cmd, args in re.findall(r"([MmLlHhVvZz])([^MmLlHhVvZz]*)", d):
        nums = [float(n) for n in re.findall(r"-?\d*\.?\d+(?:e-?\d+)?", args)]
        if cmd in "Zz":
            if ring:
                rings.append(ring)
                x, y = ring[0]  # the current point returns to the start
            ring = []
            continue
        if cmd in "Hh":
            for n in nums:
                x = x + n if cmd == "h" else n
                ring.append((x, y))
            continue
        if cmd in "Vv":
            for n in nums:
                y = y + n if cmd == "v" else n
                ring.append((x, y))
            continue
        for i in range(0, len(nums) - 1, 2):
            if cmd in "ml" or (cmd == "m"):
                x, y = x + nums[i], y + nums[i + 1]
            else:
                x, y = nums[i], nums[i + 1]
            if cmd in "Mm" and i == 0:
                if ring:
                    rings.append(ring)
                ring = []
            ring.append((x, y))
    if ring:
        rings.append(ring)
    return rings


def inside(rings, px, py):
    hit = False
    for r in rings:
        n = len(r)
        for i in range(n):
            x1, y1 = r[i]
            x2, y2 = r[(i + 1) % n]
            if (y1 > py) != (y2 > py):
                if px < x1 + (py - y1) * (x2 - x1) / (y2 - y1):
                    hit = not hit
    return hit


def outline_distance(rings, px, py):
    best = float("inf")
    for r in rings:
        for i in range(len(r)):
            (x1, y1), (x2, y2) = r[i], r[(i + 1) % len(r)]
            dx, dy = x2 - x1, y2 - y1
            l2 = dx * dx + dy * dy
            u = 0 if l2 == 0 else max(0, min(1, ((px - x1) * dx + (py - y1) * dy) / l2))
            ex, ey = x1 + u * dx - px, y1 + u * dy - py
            best = min(best, (ex * ex + ey * ey) ** 0.5)
    return best


@test
def map_has_every_country_and_marker():
    out = Example.get()
    raw = open(os.path.join(out, "map.svg"), "rb").read()
    root = ET.fromstring(raw)  # well-formed XML
    assert root.tag == SVG_NS + "svg"
    assert root.get("role") == "graphics-document"
    paths = [p for p in root.iter(SVG_NS + "path") if (p.get("id") or "").startswith("country-")]
    assert len(paths) == 177, len(paths)
    ids = [p.get("id") for p in paths]
    assert len(set(ids)) == len(ids)
    recs = example_records()
    markers = [a for a in root.iter(SVG_NS + "a") if "marker" in (a.get("class") or "").split()]
    assert len(markers) == len(recs), (len(markers), len(recs))
    assert {m.get("data-slug") for m in markers} == set(recs)
    labels = [m.get("aria-label") for m in markers]
    assert len(set(labels)) == len(labels), "accessible names are unique"
    colours = {os.path.basename(p)[:-3]: front_matter(p)["colour"].lower()
               for p in record_files(os.path.join(ROOT, "content", "networks", "*.md"))}
    for m in markers:
        # the class names the network whose shape and colour the marker wears
        styled = [c[4:] for c in m.get("class").split() if c.startswith("net-")]
        shape = next(e for e in m.iter(SVG_NS + "path") if "marker-shape" in e.get("class"))
        assert len(styled) == 1 and shape.get("fill").lower() == colours[styled[0]], \
            (m.get("data-slug"), styled, shape.get("fill"))
        assert m.get("data-networks").split()[0] == styled[0]
    for m in markers:
        r = recs[m.get("data-slug")]
        assert m.get("data-networks").split() and set(m.get("data-networks").split()) == set(r["networks"])
        assert set(m.get("data-exchanges").split()) == set(r["exchanges"])
    gz = len(gzip.compress(raw, 9))
    print("    map.svg: %d bytes, %d gzipped" % (len(raw), gz))
    # the map and, in its <style>, the theme's map rules (under 1 KB gzipped)
    assert gz <= 17 * 1024, gz


@test
def markers_lie_in_their_country():
    out = Example.get()
    root = ET.parse(os.path.join(out, "map.svg")).getroot()
    iso = json.load(open("/usr/share/iso-codes/json/iso_3166-1.json", encoding="utf-8"))
    a3 = {c["alpha_2"]: c["alpha_3"] for c in iso["3166-1"]}
    shapes = {p.get("id"): parse_path(p.get("d")) for p in root.iter(SVG_NS + "path")
              if (p.get("id") or "").startswith("country-")}
    recs = example_records()
    checked, outside = 0, []
    for m in root.iter(SVG_NS + "a"):
        if "marker" not in (m.get("class") or "").split():
            continue
        slug = m.get("data-slug")
        pid = "country-" + a3[recs[slug]["country"].upper()]
        if pid not in shapes:
            continue  # the basemap lacks it (Singapore)
        x, y = float(m.get("data-x")), float(m.get("data-y"))
        checked += 1
        # Inside, or (a city on the very coast, which the 1:110m data and
        # the path grid may pass by a kilometre or two) within one viewBox
        # unit, about one pixel, of its country's outline.
        if not inside(shapes[pid], x, y) and outline_distance(shapes[pid], x, y) > 1.0:
            outside.append((slug, round(outline_distance(shapes[pid], x, y), 2)))
    assert checked >= 55, checked
    assert not outside, outside


def country_segments(svg_text):
    root = ET.fromstring(svg_text)
    segs = []
    for p in root.iter(SVG_NS + "path"):
        if "country" not in (p.get("class") or "").split():
            continue
        for ring in parse_path(p.get("d")):
            segs += [(ring[i], ring[(i + 1) % len(ring)]) for i in range(len(ring))]
    return segs


def cross_properly(s, t):
    def orient(a, b, c):
        v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        return (v > 1e-9) - (v < -1e-9)
    (a, b), (c, d) = s, t
    if a in (c, d) or b in (c, d):
        return False
    return orient(a, b, c) * orient(a, b, d) < 0 and orient(c, d, a) * orient(c, d, b) < 0


def crossings(segs, cell=10.0):
    """Pairs of drawn segments that cross (a grid keeps it near-linear)."""
    grid = {}
    for i, (a, b) in enumerate(segs):
        for gx in range(int(min(a[0], b[0]) // cell), int(max(a[0], b[0]) // cell) + 1):
            for gy in range(int(min(a[1], b[1]) // cell), int(max(a[1], b[1]) // cell) + 1):
                grid.setdefault((gx, gy), []).append(i)
    found = set()
    for members in grid.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if (i, j) not in found and cross_properly(segs[i], segs[j]):
                    found.add((i, j))
    return found


@test
def no_border_or_coast_crosses_another_as_drawn():
    """Simplified and snapped to the path grid, no two lines of any map
    cross: the world map, and every locator map of the example."""
    out = Example.get()
    maps = [os.path.join(out, "map.svg")] + \
        glob.glob(os.path.join(out, "institutions", "*", "index.html")) + \
        glob.glob(os.path.join(out, "countries", "*", "index.html"))
    bad = []
    for page in maps:
        svg = re.search(r'<svg[^>]*class="pm-map.*?</svg>', read(page), re.S).group(0)
        n = len(crossings(country_segments(svg)))
        if n:
            bad.append("%s: %d" % (os.path.relpath(page, out), n))
    assert not bad, bad


@test
def network_pages_map_their_members_only():
    out = Example.get()
    recs = example_records()
    for path in record_files(os.path.join(ROOT, "content", "networks", "*.md")):
        slug = os.path.basename(path)[:-3]
        members = {s for s, r in recs.items() if slug in r["networks"]}
        page = read(os.path.join(out, "networks", slug, "index.html"))
        svg = re.search(r'<svg[^>]*class="pm-map.*?</svg>', page, re.S)
        assert svg, "no map on the %s page" % slug
        marked = set(re.findall(r'data-slug="([^"]+)"', svg.group(0)))
        assert marked == members, (slug, marked ^ members)


@test
def home_inlines_the_map_and_locators_are_small():
    out = Example.get()
    home = read(os.path.join(out, "index.html"))
    assert "<svg" in home and 'class="pm-map' in home
    biggest = 0
    for page in glob.glob(os.path.join(out, "institutions", "*", "index.html")):
        text = read(page)
        m = re.search(r'<svg[^>]*class="pm-map.*?</svg>', text, re.S)
        assert m, "no locator map in " + page
        assert 'class="marker' in m.group(0), page
        biggest = max(biggest, len(m.group(0).encode()))
        assert len(m.group(0).encode()) <= 8 * 1024, (page, len(m.group(0)))
    print("    largest locator map: %d bytes" % biggest)


# ---------------------------------------------------- bad input, kept output ---

def make_min_site(tmp):
    """A copy of the minimal site. A build reads nothing from outside its
    site folder, so the basemap and the theme are copied into the site's
    _shared/ folder; geodata/ and themes/ are links to those copies (links
    that stay inside the site keep working, and a test may unlink them)."""
    site = os.path.join(tmp, "site")
    shutil.copytree(os.path.join(FIXTURES, "site-min"), site)
    shared = os.path.join(site, "_shared")
    os.makedirs(shared)
    shutil.copytree(os.path.join(ROOT, "geodata"), os.path.join(shared, "geodata"),
                    ignore=shutil.ignore_patterns("*.sh", "SHA256SUMS", "*.md"))
    os.symlink(os.path.join("_shared", "geodata"), os.path.join(site, "geodata"))
    if not os.path.exists(os.path.join(site, "themes")):
        shutil.copytree(os.path.join(ROOT, "themes"), os.path.join(shared, "themes"))
        os.symlink(os.path.join("_shared", "themes"), os.path.join(site, "themes"))
    return site


@contextlib.contextmanager
def min_site():
    """A copy of tests/fixtures/site-min in a temporary folder, removed after."""
    tmp = tempfile.mkdtemp(prefix="pm-e2e-")
    try:
        yield make_min_site(tmp), tmp
    finally:
        shutil.rmtree(tmp)


def expectations():
    rows = []
    with open(os.path.join(FIXTURES, "bad", "EXPECT"), encoding="utf-8") as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                name, pos, msg = line.rstrip("\n").split("\t")
                rows.append((name, pos, msg))
    return rows


@test
def min_site_builds():
    with min_site() as (site, tmp):
        rc, so, se = run("build", "-C", site)
        assert rc == 0, se
        assert os.path.isfile(os.path.join(site, "output", "index.html"))


def bad_input_case(name, pos, msg):
    with min_site() as (site, tmp):
        rc, _, se = run("build", "-C", site)
        assert rc == 0, se
        before = tree_digest(os.path.join(site, "output"))
        shutil.copy(os.path.join(FIXTURES, "bad", name),
                    os.path.join(site, "content", "institutions", name))
        rc, so, se = run("build", "-C", site)
        assert rc == 1, "%s: exit %d\n%s" % (name, rc, se)
        want = "content/institutions/%s:%s: error: " % (name, pos)
        lines = [l for l in se.splitlines() if l.startswith(want)]
        assert lines, "%s: expected '%s…%s' in:\n%s" % (name, want, msg, se)
        assert any(msg in l for l in lines), "%s: expected '%s' in:\n%s" % (name, msg, se)
        assert re.search(r"^\d+ errors?, \d+ warnings?$", se, re.M), se
        assert tree_digest(os.path.join(site, "output")) == before, name + ": output changed"


def make_bad_tests():
    for name, pos, msg in expectations():
        def t(name=name, pos=pos, msg=msg):
            bad_input_case(name, pos, msg)
        t.__name__ = "bad_input_" + name[:-3].replace("-", "_")
        TESTS.append(t)


@test
def all_problems_are_reported_at_once():
    with min_site() as (site, tmp):
        names = [n for n, _, _ in expectations()]
        for n in names:
            shutil.copy(os.path.join(FIXTURES, "bad", n),
                        os.path.join(site, "content", "institutions", n))
        rc, _, se = run("build", "-C", site)
        assert rc == 1, se
        reported = {n for n in names if ("content/institutions/%s:" % n) in se}
        assert reported == set(names), set(names) - reported


@test
def missing_basemap_is_a_content_error_and_keeps_output():
    """A basemap the site lacks is the site's to fix (exit 1); a corrupt
    one is a failure to read it (exit 3)."""
    with min_site() as (site, tmp):
        assert run("build", "-C", site)[0] == 0
        before = tree_digest(os.path.join(site, "output"))
        os.unlink(os.path.join(site, "geodata"))
        os.makedirs(os.path.join(site, "geodata"))
        rc, _, se = run("build", "-C", site)
        assert rc == 1, (rc, se)
        assert "site.yml:%s: error: map.basemap names 'geodata/naturalearth_lowres.shp', " \
            "which the site folder does not have" % line_col(site, "basemap") in se, se
        # a truncated shapefile
        src = os.path.join(ROOT, "geodata", "naturalearth_lowres")
        for ext in ("shx", "dbf", "prj", "cpg"):
            shutil.copy(src + "." + ext, os.path.join(site, "geodata", "naturalearth_lowres." + ext))
        with open(src + ".shp", "rb") as fh:
            data = fh.read()
        with open(os.path.join(site, "geodata", "naturalearth_lowres.shp"), "wb") as fh:
            fh.write(data[: len(data) // 3])
        rc, _, se = run("build", "-C", site)
        assert rc == 3, (rc, se)
        assert "naturalearth_lowres.shp" in se, se
        assert tree_digest(os.path.join(site, "output")) == before


@test
def injected_markup_never_runs():
    with min_site() as (site, tmp):
        shutil.copy(os.path.join(FIXTURES, "inject.md"),
                    os.path.join(site, "content", "institutions", "inject.md"))
        rc, _, se = run("build", "-C", site)
        assert rc == 0, se
        out = os.path.join(site, "output")
        for page in html_pages(out) + [os.path.join(out, "map.svg")]:
            doc = html5lib.parse(open(page, "rb"), treebuilder="dom", namespaceHTMLElements=False) \
                if page.endswith(".html") else None
            text = read(page)
            assert "<script>alert" not in text, page
            assert "<img src=x" not in text.lower(), page
            if doc is None:
                continue
            for el in doc.getElementsByTagName("*"):
                for i in range(el.attributes.length):
                    a = el.attributes.item(i)
                    assert not a.name.lower().startswith("on"), (page, a.name, a.value)
                    if a.name in ("href", "src", "action", "xlink:href"):
                        assert not a.value.strip().lower().startswith("javascript:"), (page, a.value)
            for s in doc.getElementsByTagName("script"):
                if s.getAttribute("type") == "application/ld+json":
                    json.loads(s.firstChild.data)  # data, never run
                    continue
                assert s.getAttribute("src"), "inline script in " + page
                assert s.getAttribute("src").split("/")[-1].startswith("app."), page
        # the record is there, escaped
        page = read(os.path.join(out, "institutions", "inject", "index.html"))
        assert "&lt;script&gt;" in page


# ------------------------------------------- locating, projections, points ---

def write_record(site, slug, **fields):
    lines = ["---"]
    for k, v in fields.items():
        lines.append("%s: %s" % (k, v))
    lines += ["---", "A test record.", ""]
    path = os.path.join(site, "content", "institutions", slug + ".md")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    return "content/institutions/%s.md" % slug


def record(country, city, lat, lon):
    return dict(name="Test School of %s" % city, country=country, city=city,
                location="[%s, %s]" % (lat, lon), networks="[global]",
                exchanges="[undergraduate]")


@test
def counts_read_well_for_one():
    with min_site() as (site, tmp):
        inst = os.path.join(site, "content", "institutions")
        for f in sorted(os.listdir(inst))[1:]:
            os.unlink(os.path.join(inst, f))
        rc, _, se = run("build", "-C", site)
        assert rc == 0, se
        home = read(os.path.join(site, "output", "index.html"))
        text = re.sub(r"<[^>]+>", "", re.search(r'<p class="totals">.*?</p>', home, re.S).group(0))
        assert text.startswith("1 institution in 1 country,"), text


@test
def location_in_another_country_is_a_warning():
    with min_site() as (site, tmp):
        # Nairobi's coordinates given for a Ugandan school
        rel = write_record(site, "wrong-country", **record("UG", "Kampala", -1.2921, 36.8219))
        rc, _, se = run("build", "-C", site)
        assert rc == 0, se  # a warning, not an error
        line = [l for l in se.splitlines() if l.startswith(rel + ":5:")]
        assert line and "warning:" in line[0] and "Kenya" in line[0] and "Uganda" in line[0], se


@test
def swapped_latitude_and_longitude_get_a_hint():
    with min_site() as (site, tmp):
        # Madrid written [longitude, latitude]: lands in the sea off Somalia
        rel = write_record(site, "swapped", **record("ES", "Madrid", -3.7038, 40.4168))
        rc, _, se = run("build", "-C", site)
        assert rc == 0, se
        line = [l for l in se.splitlines() if l.startswith(rel + ":5:")]
        assert line and "swapped" in line[0] and "40.4168, -3.7038" in line[0], se


@test
def far_out_at_sea_is_a_warning_and_near_the_coast_is_not():
    with min_site() as (site, tmp):
        far = write_record(site, "at-sea", **record("PT", "Lisbon", 38.7, -12.5))
        near = write_record(site, "coast", **record("PT", "Cascais", 38.69, -9.45))
        rc, _, se = run("build", "-C", site)
        assert rc == 0, se
        assert any(l.startswith(far + ":5:") and "km from Portugal" in l
                   for l in se.splitlines()), se
        assert near not in se, se


def line_col(site, key):
    """Where the value of `key:` (at any depth) sits in site.yml, as
    "line:col"."""
    for n, text in enumerate(read(os.path.join(site, "site.yml")).splitlines(), 1):
        m = re.match(r"^(\s*%s:\s*)\S" % key, text)
        if m:
            return "%d:%d" % (n, len(m.group(1)) + 1)
    raise AssertionError("no %s in site.yml" % key)


def set_map_option(site, key, value):
    path = os.path.join(site, "site.yml")
    text = read(path)
    text = re.sub(r"(?m)^  %s:.*\n" % key, "", text)
    text = text.replace("map:\n", "map:\n  %s: %s\n" % (key, value))
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def longest_step(svg_root):
    """The longest straight step in any country path, in viewBox units."""
    worst = 0
    for p in svg_root.iter(SVG_NS + "path"):
        # Antarctica runs along the pole line, which is straight and as wide
        # as the map in projections with flat poles.
        if not (p.get("id") or "").startswith("country-") or p.get("id") == "country-ATA":
            continue
        for ring in parse_path(p.get("d")):
            for i in range(len(ring)):
                (x1, y1), (x2, y2) = ring[i], ring[(i + 1) % len(ring)]
                worst = max(worst, abs(x2 - x1))
    return worst


@test
def other_projections_draw_without_streaks():
    for proj in ("robinson", "natural-earth", "mercator", "equirectangular",
                 '"+proj=eqearth +lon_0=150"', '"+proj=robin +lon_0=-100"'):
        tmp = tempfile.mkdtemp(prefix="pm-e2e-")
        try:
            site = make_min_site(tmp)
            set_map_option(site, "projection", proj)
            rc, _, se = run("build", "-C", site)
            assert rc == 0, (proj, se)
            root = ET.parse(os.path.join(site, "output", "map.svg")).getroot()
            width = float(root.get("viewBox").split()[2])
            paths = [p for p in root.iter(SVG_NS + "path") if (p.get("id") or "").startswith("country-")]
            assert len(paths) == 177, (proj, len(paths))
            # a ring that wraps round the back of the globe shows as a
            # step across half the map
            assert longest_step(root) < width / 2, (proj, longest_step(root))
        finally:
            shutil.rmtree(tmp)


@test
def a_bad_projection_is_a_content_error():
    with min_site() as (site, tmp):
        set_map_option(site, "projection", '"+proj=nosuchthing"')
        rc, _, se = run("build", "-C", site)
        assert rc == 1, (rc, se)
        assert "proj" in se.lower()


def break_page_template(site, tail):
    """Give site a copy of the theme whose page.mustache ends with tail;
    the number of tail's first line."""
    os.unlink(os.path.join(site, "themes"))
    shutil.copytree(os.path.join(ROOT, "themes"), os.path.join(site, "themes"))
    page = os.path.join(site, "themes", "default", "templates", "page.mustache")
    text = read(page)
    with open(page, "w", encoding="utf-8") as fh:
        fh.write(text + tail)
    return text.count("\n") + 1


@test
def a_broken_template_points_at_its_line():
    with min_site() as (site, tmp):
        line = break_page_template(site, "\n{{#unclosed}}\n") + 1
        rc, _, se = run("build", "-C", site)
        assert rc == 1, (rc, se)
        assert re.search(r"^themes/default/templates/page\.mustache:%d:\d+: error: .*unclosed" % line,
                         se, re.M), se
        assert not os.path.exists(os.path.join(site, "output"))


@test
def one_run_reports_records_checks_map_and_theme_together():
    """A record's error stopped the checks across records, the map and the
    theme: an editor fixed the record, ran check again, and only then
    learnt of a duplicate, a partner in the wrong country and a broken
    template. One run now reports them all; an error in a setting of
    site.yml that those stages read still makes them wait."""
    with min_site() as (site, tmp):
        tpl_line = break_page_template(site, "{{#unclosed}}\n")
        bad = write_record(site, "bad-code", **record("XX", "Nowhere", 1, 1))
        mak = front_matter(os.path.join(site, "content", "institutions", "makerere.md"))
        dup = write_record(site, "makerere-again", name=mak["name"], country="UG",
                           city=mak["city"], location="[0.3383, 32.5761]",
                           networks="[global]", exchanges="[undergraduate]")
        # Nairobi's coordinates for a Ugandan school
        wrong = write_record(site, "wrong-country",
                             **record("UG", "Kampala", -1.2921, 36.8219))
        want = [
            (bad, "3:10", "error", "unknown country code 'XX'"),
            # at the name, which is what repeats
            (dup, "2:7", "error", "is already content/institutions/makerere.md"),
            (wrong, "5:11", "warning", "location falls in Kenya, not Uganda"),
            ("themes/default/templates/page.mustache", "%d:1" % tpl_line, "error",
             "unclosed section {{#unclosed}}"),
        ]
        for cmd in ("check", "build"):
            rc, _, se = run(cmd, "-C", site)
            assert rc == 1, (cmd, rc, se)
            for path, pos, level, msg in want:
                lines = [l for l in se.splitlines()
                         if l.startswith("%s:%s: %s: " % (path, pos, level))]
                assert lines and msg in lines[0], (cmd, path, msg, se)
            assert re.search(r"^3 errors, 1 warning$", se, re.M), se
            # no network is called empty for a member left out
            assert "no institution belongs" not in se, se
            assert not os.path.exists(os.path.join(site, "output"))

        # a setting the content, the map and the theme read: they wait
        # for its fix (suite_one_run has the kinds of setting)
        yml = os.path.join(site, "site.yml")
        with open(yml, "a", encoding="utf-8") as fh:
            fh.write("max_file_size: lots\n")
        rc, _, se = run("check", "-C", site)
        assert rc == 1, (rc, se)
        assert re.search(r"^site\.yml:\d+:\d+: error: .*max_file_size", se, re.M), se
        for path, _, _, _ in want:
            assert path + ":" not in se, se


def write_point_shapefile(base, points):
    """A minimal ESRI point shapefile (.shp, .shx, .dbf) with one character
    field "slug": points is a list of (slug, lon, lat); lon and lat None
    make that record a null shape, a point without coordinates."""
    import struct
    n = len(points)
    rec_len = 4 + 16  # shape type + x, y (bytes)
    null_len = 4      # shape type 0 alone
    shp_len = 100 + sum(8 + (null_len if p[1] is None else rec_len) for p in points)
    xs = [p[1] for p in points if p[1] is not None] or [0]
    ys = [p[2] for p in points if p[2] is not None] or [0]
    bbox = struct.pack("<4d", min(xs), min(ys), max(xs), max(ys)) + struct.pack("<4d", 0, 0, 0, 0)

    def header(length):
        return struct.pack(">7i", 9994, 0, 0, 0, 0, 0, length // 2) + \
            struct.pack("<2i", 1000, 1) + bbox
    shp = bytearray(header(shp_len))
    shx = bytearray(header(100 + 8 * n))
    for i, (slug, x, y) in enumerate(points):
        if x is None:
            shx += struct.pack(">2i", len(shp) // 2, null_len // 2)
            shp += struct.pack(">2i", i + 1, null_len // 2) + struct.pack("<i", 0)
            continue
        shx += struct.pack(">2i", len(shp) // 2, rec_len // 2)
        shp += struct.pack(">2i", i + 1, rec_len // 2) + struct.pack("<i2d", 1, x, y)
    width = 40
    dbf = bytearray(struct.pack("<4BIHH20x", 3, 126, 1, 1, n, 32 + 32 + 1, 1 + width))
    dbf += struct.pack("<11sc4xBB14x", b"slug", b"C", width, 0)
    dbf += b"\r"
    for slug, _, _ in points:
        dbf += b" " + slug.encode().ljust(width)
    dbf += b"\x1a"
    for ext, data in (("shp", shp), ("shx", shx), ("dbf", dbf)):
        with open(base + "." + ext, "wb") as fh:
            fh.write(data)


def located_by_points(site, points, slugs=("nairobi-school",)):
    """Write points, a list of (slug, longitude, latitude), as site's
    points/partners.shp, which site.yml's map.points then names, and for
    each of slugs a record in Nairobi without a location, for the
    shapefile to give."""
    os.makedirs(os.path.join(site, "points"))
    write_point_shapefile(os.path.join(site, "points", "partners"), points)
    for slug in slugs:
        fields = record("KE", "Nairobi", 0, 0)
        del fields["location"]
        write_record(site, slug, **fields)
    set_map_option(site, "points", "points/partners.shp")


def built_coordinates(site):
    """Build site, which must succeed; returns the build's stderr and the
    [longitude, latitude] of each institution in partners.geojson, by
    slug."""
    rc, _, se = run("build", "-C", site)
    assert rc == 0, se
    with open(os.path.join(site, "output", "partners.geojson"), encoding="utf-8") as fh:
        gj = json.load(fh)
    return se, {f["id"]: f["geometry"]["coordinates"] for f in gj["features"]}


@test
def locations_can_come_from_a_point_shapefile():
    with min_site() as (site, tmp):
        located_by_points(site, [("nairobi-school", 36.8219, -1.2921),
                                 ("makerere", 0.0, 0.0)])
        _, at = built_coordinates(site)
        assert at["nairobi-school"] == [36.8219, -1.2921], at["nairobi-school"]
        # a record's own location stays the default
        own = front_matter(os.path.join(FIXTURES, "site-min", "content", "institutions", "makerere.md"))
        assert at["makerere"] == [own["location"][1], own["location"][0]]
        # without the shapefile the record lacks a location: an error
        set_map_option(site, "points", "points/none.shp")
        rc, _, se = run("build", "-C", site)
        assert rc == 1, (rc, se)
        assert "site.yml:%s: error: map.points names 'points/none.shp'" % line_col(
            site, "points") in se, se


@test
def installed_binary_finds_its_theme():
    tmp = tempfile.mkdtemp(prefix="pm-e2e-")
    try:
        prefix = os.path.join(tmp, "prefix")
        p = subprocess.run(["make", "-s", "install", "PREFIX=" + prefix], cwd=ROOT,
                           capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        for f in ("bin/partnermap", "share/man/man1/partnermap.1",
                  "share/partnermap/themes/default/templates/home.mustache"):
            assert os.path.exists(os.path.join(prefix, f)), f
        site = make_min_site(tmp)
        os.unlink(os.path.join(site, "themes"))  # no theme in the site folder
        p = subprocess.run([os.path.join(prefix, "bin", "partnermap"), "build", "-C", site],
                           capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        assert os.path.isfile(os.path.join(site, "output", "index.html"))
    finally:
        shutil.rmtree(tmp)


def load_suites():
    """Further suites live beside this file as suite_*.py; each imports its
    helpers with `from e2e import ...` and registers tests with @test."""
    import importlib.util
    sys.modules["e2e"] = sys.modules[__name__]
    here = os.path.dirname(os.path.abspath(__file__))
    for path in sorted(glob.glob(os.path.join(here, "suite_*.py"))):
        name = os.path.basename(path)[:-3]
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        # known by its name before it runs, so that a suite importing
        # another (suite_translations takes suite_offers' helpers) gets
        # this one and does not register its tests a second time
        sys.modules[name] = mod
        spec.loader.exec_module(mod)


def take_signals():
    """Let this process's children get SIGINT and SIGHUP as a terminal
    gives them. Started in the background (`make test &`, a CI runner's
    shell, nohup) the suite may have them ignored, which every child
    inherits; partnermap then keeps them ignored, as shells do, and a
    server stopped with SIGINT runs on. A signal this process handles is
    reset to its default in each child at exec."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if signal.getsignal(signal.SIGHUP) == signal.SIG_IGN:
        signal.signal(signal.SIGHUP, signal.SIG_DFL)


def main():
    take_signals()
    make_bad_tests()
    load_suites()
    if not os.path.exists(TOOL):
        print("missing %s: run make first" % TOOL)
        print("0 passed, 1 failed")
        return 1
    passed = failed = 0
    only = sys.argv[1:]
    for t in TESTS:
        if only and not any(o in t.__name__ for o in only):
            continue
        try:
            t()
            print("ok   %s" % t.__name__)
            passed += 1
        except Exception:
            print("FAIL %s" % t.__name__)
            traceback.print_exc(file=sys.stdout)
            failed += 1
        sys.stdout.flush()
    if Example.tmp:
        shutil.rmtree(Example.tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
