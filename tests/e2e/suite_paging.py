"""Long listings over numbered pages: a network, country or elective page
lists site.yml's page_size of its institutions, in the directory's order,
and links the other pages (rel prev/next, a pagination nav, the sitemap).
A short list shows no pagination at all; page_size is checked."""
import contextlib
import json
import os
import re
import xml.etree.ElementTree as ET

import html5lib

from e2e import test, run, min_site, write_record, read

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://partners.example.org/map/"
# (country, city, latitude, longitude): the generated schools' places
PLACES = [("UG", "Kampala", 0.33, 32.58), ("KE", "Nairobi", -1.29, 36.82),
          ("UG", "Gulu", 2.78, 32.30), ("UG", "Mbarara", -0.61, 30.65)]
GENERATED = 246   # with the fixture's three African schools: 249 members


def set_page_size(site, value):
    """Append page_size: value (written as given) to site.yml."""
    with open(os.path.join(site, "site.yml"), "a", encoding="utf-8") as fh:
        fh.write("page_size: %s\n" % value)


def big_site(site):
    """GENERATED schools in the africa network, spread over PLACES, all
    offering clinical electives, and page_size 100."""
    for i in range(GENERATED):
        country, city, lat, lon = PLACES[i % len(PLACES)]
        write_record(site, "school-%03d" % i, name="School %03d of %s" % (i, city),
                     country=country, city=city,
                     location="[%.3f, %.3f]" % (lat + (i % 7) * 0.01, lon),
                     networks="[global, africa]", exchanges="[undergraduate]",
                     electives="[clinical]")
    set_page_size(site, 100)


@contextlib.contextmanager
def big_built():
    """big_site built in a temporary folder: its output folder."""
    with min_site() as (site, tmp):
        big_site(site)
        yield build(site, tmp)


def build(site, tmp):
    out = os.path.join(tmp, "out")
    rc, _, se = run("build", "-C", site, "-o", out)
    assert rc == 0, se
    return out


def parse(path):
    with open(path, "rb") as fh:
        return html5lib.parse(fh.read(), namespaceHTMLElements=False)


def expected_order(out, keep):
    """The slugs partners.geojson holds for which keep(properties) is true,
    in the directory's order: by country name, then name."""
    with open(os.path.join(out, "partners.geojson"), encoding="utf-8") as fh:
        feats = json.load(fh)["features"]
    props = [f["properties"] for f in feats if keep(f["properties"])]
    props.sort(key=lambda p: (p["country_name"], p["country"], p["name"], p["slug"]))
    return [p["slug"] for p in props]


def listed(doc):
    """The slugs a page lists, in order."""
    return [li.get("data-slug") for li in doc.iter("li")
            if "inst" in (li.get("class") or "").split()]


def page_folder(first, n):
    return first if n == 1 else "%spage/%d/" % (first, n)


def check_listing(out, first, slugs, size=100):
    """Every page of the listing at folder `first` exists and lists its
    share of slugs in order, with its links; the page after the last does
    not exist. Returns the number of pages."""
    pages = (len(slugs) + size - 1) // size
    for n in range(1, pages + 1):
        folder = page_folder(first, n)
        doc = parse(os.path.join(out, folder, "index.html"))
        assert listed(doc) == slugs[(n - 1) * size:n * size], (folder, listed(doc)[:3])
        check_links(out, doc, first, folder, n, pages)
    assert not os.path.exists(os.path.join(out, page_folder(first, pages + 1)))
    return pages


def target(folder, href):
    return os.path.normpath(os.path.join(folder, href)).replace(os.sep, "/")


def check_links(out, doc, first, folder, n, pages):
    """Page n's head links and navigation name pages that exist."""
    links = {l.get("rel"): l.get("href") for l in doc.iter("link")}
    assert links["canonical"] == BASE + folder, links["canonical"]
    want = {"prev": n - 1 if n > 1 else None, "next": n + 1 if n < pages else None}
    for rel, m in want.items():
        if m is None:
            assert rel not in links, (folder, rel)
        else:
            assert target(folder, links[rel]) == page_folder(first, m) + "index.html"
    nav = [e for e in doc.iter("nav") if e.get("aria-label") == "Pages"]
    assert len(nav) == 1, folder
    hrefs = [a.get("href") for a in nav[0].iter("a")]
    for h in hrefs:
        assert os.path.isfile(os.path.join(out, target(folder, h))), (folder, h)
    current = [a for a in nav[0].iter("a") if a.get("aria-current") == "page"]
    assert [a.text for a in current] == [str(n)], folder
    assert target(folder, current[0].get("href")) == folder + "index.html"
    title = doc.find(".//title").text
    assert " — page %d of %d · " % (n, pages) in title, title


@test
def paging_network_country_and_elective_pages():
    with big_built() as out:
        africa = expected_order(out, lambda p: "africa" in p["networks"])
        assert len(africa) == 249, len(africa)
        assert check_listing(out, "networks/africa/", africa) == 3
        uganda = expected_order(out, lambda p: p["country"] == "UG")
        assert len(uganda) == 186, len(uganda)
        assert check_listing(out, "countries/ug/", uganda) == 2
        clinical = expected_order(out, lambda p: "clinical" in p["electives"])
        assert check_listing(out, "electives/clinical/", clinical) == 3
        # page 2's CSV link still names the list beside the first page
        doc = parse(os.path.join(out, "electives/clinical/page/2/index.html"))
        csv = [a.get("href") for a in doc.iter("a") if a.get("download") is not None]
        assert [target("electives/clinical/page/2/", h) for h in csv] == \
            ["electives/clinical/partners.csv"], csv


@test
def paging_sitemap_lists_every_page():
    with big_built() as out:
        locs = [e.text for e in ET.parse(os.path.join(out, "sitemap.xml")).iter(SITEMAP_NS + "loc")]
        paged = sorted(l[len(BASE):] for l in locs if "/page/" in l)
        assert paged == ["countries/ug/page/2/", "electives/clinical/page/2/",
                         "electives/clinical/page/3/", "networks/africa/page/2/",
                         "networks/africa/page/3/", "networks/global/page/2/",
                         "networks/global/page/3/"], paged
        for l in locs:
            assert os.path.isfile(os.path.join(out, l[len(BASE):], "index.html")), l


@test
def paging_short_lists_show_no_pagination():
    with min_site() as (site, tmp):
        out = build(site, tmp)
        for page in ("networks/africa/", "countries/ug/", "electives/clinical/"):
            text = read(os.path.join(out, page, "index.html"))
            assert 'aria-label="Pages"' not in text and 'rel="next"' not in text, page
            assert " — page " not in text, page
        assert not [d for d, _, _ in os.walk(out) if os.path.basename(d) == "page"]


# (value as written in site.yml, what the message quotes)
# 1e2 is a number YAML reads as 100: told the decimal (test_numbers.c),
# so 1e4, which is out of bounds too, stands for the exponent here
# (value, as told, the size suggested: the nearest there is, or 100)
BAD_SIZES = [("0", "0", 10), ("-5", "-5", 10), ("5000", "5000", 1000),
             ("many", "many", 100), ("2.5", "2.5", 10), ("[100]", "a list", 100),
             ("9", "9", 10), ("1e4", "1e4", 1000), ("20.0", "20.0", 20)]


@test
def paging_page_size_out_of_bounds_is_an_error():
    with min_site() as (site, tmp):
        yml = os.path.join(site, "site.yml")
        before = read(yml)
        line = before.count("\n") + 1
        for value, shown, meant in BAD_SIZES:
            with open(yml, "w", encoding="utf-8") as fh:
                fh.write(before)
            set_page_size(site, value)
            rc, _, se = run("check", "-C", site)
            want = ("site.yml:%d:12: error: page_size must be a whole number "
                    "from 10 to 1000, the institutions one network, country or "
                    "elective page lists, not '%s': write page_size: %d, or "
                    "leave it out for 100" % (line, shown, meant))
            assert rc == 1 and want in se.splitlines(), (value, rc, se)


@test
def paging_page_size_bounds_are_accepted():
    with min_site() as (site, tmp):
        yml = os.path.join(site, "site.yml")
        before = read(yml)
        for value in ("10", "1000"):
            with open(yml, "w", encoding="utf-8") as fh:
                fh.write(before)
            set_page_size(site, value)
            rc, _, se = run("check", "-C", site)
            assert rc == 0 and "page_size" not in se, (value, se)


@test
def paging_page_size_is_in_the_schema():
    rc, so, se = run("schema")
    assert rc == 0, se
    prop = json.loads(so)
    found = re.search(r'"page_size":\s*(\{[^{}]*\})', json.dumps(prop))
    assert found, "page_size missing from the schema"
    spec = json.loads(found.group(1))
    assert (spec.get("minimum"), spec.get("maximum")) == (10, 1000), spec


def map_of(doc):
    """The page's inline map: its lone markers' slugs and its count markers
    as (count, label)."""
    svg = [e for e in doc.iter() if e.tag.endswith("svg") and "pm-map" in (e.get("class") or "")][0]
    lone = [a.get("data-slug") for a in svg.iter() if a.tag.endswith("a")
            and "marker" in (a.get("class") or "").split()]
    counts = [(int(g.get("data-count")), g.get("aria-label")) for g in svg.iter()
              if "marker-cluster" in (g.get("class") or "").split()]
    return lone, counts


@test
def paging_big_maps_draw_count_markers():
    with big_built() as out:
        africa = expected_order(out, lambda p: "africa" in p["networks"])
        uganda = expected_order(out, lambda p: p["country"] == "UG")
        for folder, members in (("networks/africa/", africa), ("countries/ug/", uganda),
                                ("networks/africa/page/3/", africa)):
            lone, counts = map_of(parse(os.path.join(out, folder, "index.html")))
            # every member once: alone, or counted in one count marker
            assert len(lone) + sum(c for c, _ in counts) == len(members), folder
            assert set(lone) <= set(members), folder
            assert counts and all(c >= 2 for c, _ in counts), (folder, counts)
            for c, label in counts:
                assert re.fullmatch(r"%d partner institutions close together, among them "
                                    r"(School \d{3}|[A-Z]\w+).*" % c, label), label
        # a map of a few members draws each one
        lone, counts = map_of(parse(os.path.join(out, "countries/cm/index.html")))
        cameroon = expected_order(out, lambda p: p["country"] == "CM")
        assert not counts and sorted(lone) == sorted(cameroon)


@test
def paging_a_link_to_a_numbered_page_without_its_slash_is_its_folder():
    """../../networks/africa/page/2 was an error, though networks/africa
    without its '/' is the network's page, as a server answers both. A
    numbered page without its '/' is its folder too; one past the last
    page still is an error."""
    with min_site() as (site, tmp):
        big_site(site)
        rec = os.path.join(site, "content", "pages", "about.md")
        with open(rec, "a", encoding="utf-8") as fh:
            fh.write("\n[a](../networks/africa/page/2) [b](../networks/africa/page/9)\n")
        rc, _, se = run("check", "-C", site)
        errors = [l for l in se.splitlines() if ": error: " in l]
        assert rc == 1 and len(errors) == 1, se
        assert "'../networks/africa/page/9'" in errors[0], errors
