"""The map's colours come from the theme: assets/map.css is linked by every
page and copied into map.svg's <style> element; the SVG itself paints
nothing but each marker's network colour."""
import os
import re
import shutil
import xml.etree.ElementTree as ET

from e2e import (test, run, min_site, tree_digest, read, Example, ROOT,
                 SVG_NS)

DEFAULT_CSS = os.path.join(ROOT, "themes", "default", "assets", "map.css")
PAINT = ("fill", "stroke", "stroke-width", "stroke-opacity", "fill-opacity",
         "opacity", "color", "style")
MAP_RE = re.compile(r'<svg[^>]*class="pm-map.*?</svg>', re.S)
MAP_LINK_RE = re.compile(r'<link rel="stylesheet" href="((?:\.\./)*assets/map\.[0-9a-f]{10}\.css)">')


def own_theme(site, css=None):
    """Give the site its own theme "mine", a copy of the default one, with
    css as its map.css (None: left as copied; False: no map.css)."""
    themes = os.path.join(site, "themes")
    if os.path.islink(themes):
        os.unlink(themes)
    shutil.copytree(os.path.join(ROOT, "themes", "default"), os.path.join(themes, "mine"))
    with open(os.path.join(site, "site.yml"), "a", encoding="utf-8") as fh:
        fh.write("theme: mine\n")
    path = os.path.join(themes, "mine", "assets", "map.css")
    if css is False:
        os.unlink(path)
    elif css is not None:
        with open(path, "wb") as fh:
            fh.write(css.encode("utf-8") if isinstance(css, str) else css)
    return path


def svg_style(svg_bytes):
    """map.svg's <style> texts (it must parse as XML)."""
    root = ET.fromstring(svg_bytes)
    assert root.tag == SVG_NS + "svg", root.tag
    return [s.text or "" for s in root.iter(SVG_NS + "style")]


def painted(svg_root):
    """Attributes that paint something, other than a marker's fill."""
    bad = []
    for e in svg_root.iter():
        cls = (e.get("class") or "").split()
        for a in PAINT:
            if e.get(a) is None:
                continue
            if a == "fill" and "marker-shape" in cls and re.match(r"^#[0-9a-fA-F]{6}$", e.get(a)):
                continue
            bad.append("<%s class=%r> %s=%r" % (e.tag.replace(SVG_NS, ""), e.get("class"), a, e.get(a)))
    return bad


def page_map(path):
    """The page's map, parsed, and the page's link to map.css."""
    text = read(path)
    m = MAP_RE.search(text)
    assert m, "no map in " + path
    link = MAP_LINK_RE.search(text)
    return ET.fromstring(m.group(0)), (link.group(1) if link else None), text


@test
def map_theme_default_rules_are_one_file_for_site_and_map_svg():
    out = Example.get()
    css = read(DEFAULT_CSS)
    raw = open(os.path.join(out, "map.svg"), "rb").read()
    assert svg_style(raw) == [css], "map.svg does not carry themes/default/assets/map.css as it is"
    root = ET.fromstring(raw)
    kids = [k.tag.replace(SVG_NS, "") for k in root][:4]
    assert kids == ["title", "desc", "style", "path"], kids
    assert painted(root) == [], painted(root)[:5]
    # every kind of page with a map links the same rules, and its map
    # paints nothing either: sea and land look alike everywhere
    pages = ["index.html", "institutions/makerere-university/index.html",
             "countries/ug/index.html", "networks/africa/index.html"]
    for p in pages:
        svg, href, text = page_map(os.path.join(out, p))
        assert href, "%s does not link map.css" % p
        assert read(os.path.normpath(os.path.join(out, os.path.dirname(p), href))) == css, p
        assert painted(svg) == [], (p, painted(svg)[:5])
        assert svg.find(SVG_NS + "style") is None, "%s: the inline map brings its own style" % p
        # the map rules come first, so the page's style.css may refine them
        assert text.index(href) < text.index("assets/style."), p
    # style.css leaves the map's colours to map.css
    style = [f for f in os.listdir(os.path.join(out, "assets")) if f.startswith("style.")]
    assert not re.search(r"\.pm-map \.(sphere|country|graticule)\b", read(os.path.join(out, "assets", style[0])))


@test
def map_theme_own_rules_change_map_svg_and_home_page():
    css = ("/* mine: dark sea, pale land; a < b & c ]]> */\n"
           ".pm-map .sphere { fill: #102030; }\n"
           ".pm-map .country { fill: #f5f0e0; stroke: #102030; }\n")
    with min_site() as (site, tmp):
        rc, _, se = run("build", "-C", site)
        assert rc == 0, se
        out = os.path.join(site, "output")
        _, default_href, _ = page_map(os.path.join(out, "index.html"))
        assert svg_style(open(os.path.join(out, "map.svg"), "rb").read()) == [read(DEFAULT_CSS)]

        own_theme(site, css)
        rc, _, se = run("build", "-C", site)
        assert rc == 0, se
        assert "warning" not in se, se
        raw = open(os.path.join(out, "map.svg"), "rb").read()
        assert svg_style(raw) == [css], svg_style(raw)
        assert b"&lt; b &amp; c ]]&gt;" in raw, "the rules are escaped for XML"
        svg, href, _ = page_map(os.path.join(out, "index.html"))
        assert href and href != default_href, (href, default_href)
        assert read(os.path.join(out, href)) == css
        assert painted(svg) == [], painted(svg)[:5]
        svg, href, _ = page_map(os.path.join(out, "institutions", "makerere", "index.html"))
        assert read(os.path.normpath(os.path.join(out, "institutions", "makerere", href))) == css


@test
def map_theme_rules_cannot_break_map_svg():
    css = ("</style><script>alert(1)</script><![CDATA[ x ]]>\n"
           ".pm-map .sphere { fill: #fff; } /* &amp; \u00e9t\u00e9 */\n")
    with min_site() as (site, tmp):
        own_theme(site, css)
        rc, _, se = run("build", "-C", site)
        assert rc == 0, se
        raw = open(os.path.join(site, "output", "map.svg"), "rb").read()
        root = ET.fromstring(raw)
        assert svg_style(raw) == [css]
        assert not list(root.iter(SVG_NS + "script")), "a script got into map.svg"
        assert raw.count(b"<style>") == 1 and raw.count(b"</style>") == 1


@test
def map_theme_without_map_css_is_a_warning():
    msg = ("themes/mine/assets/map.css:1:1: warning: the theme has no map.css, so "
           "map.svg has no colours of its own (it shows black when opened alone); "
           "copy themes/default/assets/map.css into the theme and edit it "
           "[theme-no-map-css]")
    with min_site() as (site, tmp):
        own_theme(site, False)
        for cmd in ("check", "build"):
            rc, _, se = run(cmd, "-C", site)
            assert rc == 0, (cmd, se)
            assert se.splitlines() == [msg, "0 errors, 1 warning"], (cmd, se)
        raw = open(os.path.join(site, "output", "map.svg"), "rb").read()
        assert svg_style(raw) == []
        assert painted(ET.fromstring(raw)) == []


@test
def map_theme_bad_map_css_is_an_error_at_its_line():
    cases = [
        (b".pm-map .sphere {\n  fill: #fff;\n}\n.a\x0c{}\n", "4:3",
         "map.css contains the character U+000C, which map.svg (XML) cannot hold; delete it"),
        (b"/* caf\xe9 */\n", "1:7",
         "map.css is not valid UTF-8 (byte 0xE9); save it as UTF-8"),
    ]
    for data, pos, msg in cases:
        with min_site() as (site, tmp):
            path = own_theme(site)
            rc, _, se = run("build", "-C", site)
            assert rc == 0, se
            before = tree_digest(os.path.join(site, "output"))
            with open(path, "wb") as fh:
                fh.write(data)
            want = "themes/mine/assets/map.css:%s: error: %s" % (pos, msg)
            for cmd in ("check", "build"):
                rc, _, se = run(cmd, "-C", site)
                assert rc == 1, (cmd, rc, se)
                assert se.splitlines()[:2] == [want, "1 error, 0 warnings"], (cmd, se)
            assert tree_digest(os.path.join(site, "output")) == before, "output changed"
