"""Helping students find a school: the text alternatives of locator maps,
structured data and sharing tags, the OpenStreetMap link, and the pages and
CSV files filtered by elective type that work without JavaScript."""
import contextlib
import html as htmlmod
import json
import os
import re
import xml.etree.ElementTree as ET

import html5lib

from e2e import test, run, min_site, read, write_record

SVG_NS = "{http://www.w3.org/2000/svg}"


@contextlib.contextmanager
def built_min_site(edit=None):
    """The minimal site, changed by edit(site) when given, built; yields
    (site, out)."""
    with min_site() as (site, tmp):
        if edit:
            edit(site)
        out = os.path.join(tmp, "out")
        rc, _, se = run("build", "-C", site, "-o", out)
        assert rc == 0, se
        yield site, out


def page(out, *parts):
    return read(os.path.join(out, *parts, "index.html"))


def locator_text(html):
    """The <title> and <desc> of the page's locator map."""
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg" class="pm-map"')
    svg = ET.fromstring(html[start:html.index("</svg>", start) + 6])
    return svg.find(SVG_NS + "title").text, svg.find(SVG_NS + "desc").text


@test
def find_locator_maps_say_what_they_show():
    with built_min_site() as (_, out):
        # two partners in Uganda: the country page marks both
        title, desc = locator_text(page(out, "countries", "ug"))
        assert title == "Uganda", title
        assert desc == ("Map of Uganda and the countries around it, marking "
                        "its 2 partner institutions."), desc
        # one in Cameroon: named
        _, desc = locator_text(page(out, "countries", "cm"))
        assert desc == ("Map of Cameroon and the countries around it, marking "
                        "its one partner institution, Faculté de Médecine et "
                        "des Sciences Biomédicales, Université de Yaoundé I "
                        "in Yaoundé."), desc
        # an institution page marks the institution alone
        title, desc = locator_text(page(out, "institutions", "mengo-hospital"))
        assert title == "Mengo Hospital", title
        assert desc == ("Map of Uganda and the countries around it, marking "
                        "Mengo Hospital in Kampala."), desc


HOSTILE = "Evil </script><script>alert(1)</script> <!-- & ]]> \u2028 \u2029 \"q\" 'a'"


def json_ld(html):
    """The page's JSON-LD blocks, as the raw text and parsed."""
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [(raw, json.loads(raw)) for raw in found]


def hostile_record(site):
    write_record(site, "hostile", name=json.dumps(HOSTILE), country="UG",
                 city=json.dumps("Kampala " + HOSTILE), location="[0.31, 32.58]",
                 networks="[africa]", exchanges="[undergraduate]",
                 website="https://example.org/a?b=1&c=</script>",
                 email="x@example.org")


@test
def find_json_ld_describes_the_institution():
    with built_min_site() as (_, out):
        blocks = json_ld(page(out, "institutions", "makerere"))
        assert len(blocks) == 1, blocks
        got = blocks[0][1]
        assert got == {
            "@context": "https://schema.org",
            "@type": "CollegeOrUniversity",
            "@id": "https://partners.example.org/map/institutions/makerere/",
            "name": "Makerere University College of Health Sciences",
            "address": {"@type": "PostalAddress", "addressLocality": "Kampala",
                        "addressCountry": "UG"},
            "geo": {"@type": "GeoCoordinates", "latitude": 0.3383,
                    "longitude": 32.5761},
            "url": "https://chs.mak.ac.ug/",
            "email": "electives@example.org",
        }, got
        # no website, no e-mail: the keys are left out, not empty
        got = json_ld(page(out, "institutions", "mengo-hospital"))[0][1]
        assert "url" not in got and "email" not in got, got
        # only institution pages carry it
        assert json_ld(page(out, "countries", "ug")) == []


@test
def find_json_ld_keeps_hostile_text_inside_its_script():
    with built_min_site(hostile_record) as (_, out):
        html = page(out, "institutions", "hostile")
        blocks = json_ld(html)
        assert len(blocks) == 1, blocks
        raw, got = blocks[0]
        assert got["name"] == HOSTILE, got["name"]
        assert got["address"]["addressLocality"] == "Kampala " + HOSTILE
        assert got["url"].startswith("https://example.org/a?b=1&c="), got["url"]
        for bad in ("<", ">", "&", "\u2028", "\u2029"):
            assert bad not in raw, (bad, raw)
        # the page still holds exactly one script element of each kind
        doc = html5lib.parse(html, namespaceHTMLElements=False)
        scripts = doc.findall(".//script")
        assert [s.get("type") for s in scripts] == ["application/ld+json"], scripts


def meta(html, attr, key):
    m = re.findall(r'<meta %s="%s" content="([^"]*)">' % (attr, re.escape(key)), html)
    return [htmlmod.unescape(v) for v in m]


@test
def find_every_page_kind_has_sharing_tags():
    with built_min_site() as (_, out):
        base = "https://partners.example.org/map/"
        kinds = {
            "": ("", None),
            "institutions/makerere/": ("Makerere University College of Health Sciences", "Kampala, Uganda"),
            "networks/africa/": ("", None),
            "countries/ug/": ("Uganda", None),
            "about/": ("", None),
        }
        for path, (title_has, desc_has) in kinds.items():
            html = read(os.path.join(out, path, "index.html"))
            title = meta(html, "property", "og:title")
            assert len(title) == 1 and title_has in title[0], (path, title)
            assert title[0] == htmlmod.unescape(re.search(r"<title>(.*?)</title>", html).group(1))
            desc = meta(html, "property", "og:description")
            assert len(desc) == 1 and desc[0] == meta(html, "name", "description")[0], (path, desc)
            if desc_has:
                assert desc_has in desc[0], (path, desc)
            assert meta(html, "property", "og:url") == [base + path], (path, meta(html, "property", "og:url"))
            assert meta(html, "property", "og:type") == ["website"], path
            assert meta(html, "name", "twitter:card") == ["summary"], path
            assert meta(html, "property", "og:image") == [], path
        # the 404 page is served at any address: no og:url
        html = read(os.path.join(out, "404.html"))
        assert meta(html, "property", "og:url") == []
        assert meta(html, "property", "og:title") == ["Page not found · " + meta(html, "property", "og:site_name")[0]]


@test
def find_institution_page_links_to_openstreetmap():
    with built_min_site() as (_, out):
        doc = html5lib.parse(page(out, "institutions", "makerere"), namespaceHTMLElements=False)
        links = [a for a in doc.iter("a") if "".join(a.itertext()).strip() == "Open in OpenStreetMap"]
        assert len(links) == 1, links
        assert links[0].get("href") == ("https://www.openstreetmap.org/?mlat=0.3383"
                                        "&mlon=32.5761#map=12/0.3383/32.5761"), links[0].get("href")


TYPES = ["clinical", "research", "observership"]


def read_exact(path):
    """A file's text with its line ends as written (CRLF in CSV)."""
    with open(path, "rb") as fh:
        return fh.read().decode("utf-8")


def listed_slugs(html):
    """The institutions a page lists, from the links of its directory."""
    return sorted(set(re.findall(r'<li class="inst" data-slug="([^"]+)"', html)))


@test
def find_elective_pages_list_exactly_the_right_schools():
    def more(site):
        # a school without electives and one with research only
        write_record(site, "none", name="No Electives School", country="TH",
                     city="Bangkok", location="[13.75, 100.5]",
                     networks="[global]", exchanges="[undergraduate]")
        write_record(site, "research-only", name="Research Only School", country="CM",
                     city="Douala", location="[4.05, 9.7]", networks="[africa]",
                     exchanges="[postgraduate]", electives="[research]")

    with built_min_site(more) as (_, out):
        with open(os.path.join(out, "partners.geojson"), encoding="utf-8") as fh:
            feats = [f["properties"] for f in json.load(fh)["features"]]
        full = read_exact(os.path.join(out, "partners.csv")).split("\r\n")
        for t in TYPES:
            want = sorted(p["slug"] for p in feats if t in p["electives"])
            html = page(out, "electives", t)
            assert listed_slugs(html) == want, (t, listed_slugs(html), want)
            assert "<h1>%s electives</h1>" % t.capitalize() in html, t
            assert "<dd>%d</dd>" % len(want) in html, t
            # the CSV beside it: partners.csv's header and those rows, in order
            csv_text = read_exact(os.path.join(out, "electives", t, "partners.csv"))
            rows = [l for l in full[1:] if l and l.split(",")[0] in want]
            assert csv_text == "\r\n".join([full[0]] + rows) + "\r\n", (t, csv_text)
        assert listed_slugs(page(out, "electives", "clinical")) == ["makerere", "mengo-hospital"]
        research = listed_slugs(page(out, "electives", "research"))
        assert "research-only" in research and "mengo-hospital" not in research, research
        assert all("none" not in listed_slugs(page(out, "electives", t)) for t in TYPES)
        # the home page links each page and its CSV for readers without scripts
        home = read(os.path.join(out, "index.html"))
        for t in TYPES:
            assert 'href="electives/%s/index.html"' % t in home, t
            assert 'href="electives/%s/partners.csv"' % t in home, t
        # each directory entry carries its types (none: no attribute)
        assert 'data-slug="none" data-networks="global" data-exchanges="undergraduate" data-search=' in home
        assert 'data-types="research"' in home


@test
def find_elective_page_without_schools_says_so():
    def no_observers(site):
        path = os.path.join(site, "content", "institutions", "makerere.md")
        text = read(path).replace("electives: [clinical, research, observership]",
                                  "electives: [clinical, research]")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)

    with built_min_site(no_observers) as (_, out):
        html = page(out, "electives", "observership")
        assert listed_slugs(html) == []
        assert "No partner institution offers observership electives yet." in html
        assert read_exact(os.path.join(out, "electives", "observership", "partners.csv")).count("\r\n") == 1


@test
def find_a_page_cannot_take_the_electives_folder():
    def page_named_electives(site):
        with open(os.path.join(site, "content", "pages", "electives.md"), "w", encoding="utf-8") as fh:
            fh.write("---\ntitle: Electives\n---\nText.\n")

    with min_site() as (site, tmp):
        page_named_electives(site)
        rc, _, se = run("build", "-C", site, "-o", os.path.join(tmp, "out"))
        assert rc == 1, se
        assert ("content/pages/electives.md:1:1: error: a page cannot be called 'electives': "
                "the site's electives/ folder has that name; rename the file") in se, se


def offers_record(site):
    """Two schools with detailed offers beside the fixture's short ones."""
    write_record(site, "detailed", name="Detailed Offers School", country="CM",
                 city="Douala", location="[4.05, 9.7]", networks="[africa]",
                 exchanges="[postgraduate]",
                 electives="[{type: clinical, disciplines: [surgery, paediatrics], "
                           "languages: [fr, EN], months: [Jan, 2, 12]}, "
                           "{type: research, languages: [pt-BR]}]")
    write_record(site, "surgeons", name="Surgeons School", country="TH",
                 city="Bangkok", location="[13.75, 100.5]", networks="[global]",
                 exchanges="[undergraduate]",
                 electives="[{type: observership, disciplines: [surgery], months: [12]}]")


def facet_options(html):
    """Each facet fieldset of the home page: param -> [(value, label, count)]."""
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    out = {}
    for fs in doc.iter("fieldset"):
        if fs.get("data-narrow") is None:
            continue
        rows = []
        for li in fs.iter("li"):
            box = li.find("input")
            label = "".join(li.find("label").itertext()).strip()
            count = li.find("span[@class='check-count']").text.strip()
            rows.append((box.get("value"), label, int(count)))
        out[fs.get("data-param")] = rows
    return out


@test
def find_facets_count_each_value_from_the_offers():
    with built_min_site(offers_record) as (_, out):
        home = read(os.path.join(out, "index.html"))
        got = facet_options(home)
        assert got == {
            "type": [("clinical", "Clinical", 3), ("research", "Research", 3),
                     ("observership", "Observership", 2)],
            "discipline": [("paediatrics", "Paediatrics", 1), ("surgery", "Surgery", 2)],
            "lang": [("en", "English", 1), ("fr", "French", 1),
                     ("pt-br", "Portuguese (Brazil)", 1)],
            "month": [("1", "January", 1), ("2", "February", 1), ("12", "December", 2)],
        }, got
        assert ('data-slug="detailed" data-networks="africa" data-exchanges="postgraduate" '
                'data-types="clinical research" data-disciplines="paediatrics surgery" '
                'data-languages="fr en pt-br" data-months="1 2 12"') in home
        assert ('data-slug="surgeons" data-networks="global" data-exchanges="undergraduate" '
                'data-types="observership" data-disciplines="surgery" data-months="12" '
                'data-search=') in home


def entry_tags(html):
    """The opening <li class="inst" ...> tag of each directory entry."""
    return re.findall(r'<li class="inst"[^>]*>', html)


@test
def find_only_the_home_directory_carries_the_filters_data():
    # the filters and the search (app.js) read the home page's entries; a
    # listing's entries are read by no script and carry their slug alone
    with built_min_site(offers_record) as (_, out):
        home = entry_tags(read(os.path.join(out, "index.html")))
        assert home and all(" data-networks=" in t and " data-search=" in t
                            for t in home), home
        assert any(" data-types=" in t for t in home), home
        listings = [page(out, "networks", "africa"), page(out, "countries", "ug"),
                    page(out, "electives", "clinical"),
                    page(out, "electives", "observership")]
        for html in listings:
            tags = entry_tags(html)
            assert tags, html
            for t in tags:
                assert re.fullmatch(r'<li class="inst" data-slug="[a-z0-9-]+">', t), t


@test
def find_facets_without_values_are_left_out():
    with built_min_site() as (_, out):
        got = facet_options(read(os.path.join(out, "index.html")))
        assert list(got) == ["type"], got
