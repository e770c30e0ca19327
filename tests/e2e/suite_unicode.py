"""Unicode text end to end: records saved decomposed come out composed
(NFC), every list follows the collation of site.yml's language, the search
index holds the fold of every script, Kosovo (XK) is a country the basemap
finds, and site.yml's countries: adds countries and says where the basemap
has them."""
import csv
import json
import os
import re
import shutil
import struct
import unicodedata

from e2e import test, run, min_site, write_record, record, read, drop_translations
from steps import record_with

NFD_NAME = unicodedata.normalize("NFD", "Trường Đại học Y Hà Nội")
NFD_CITY = unicodedata.normalize("NFD", "Hà Nội")


def output(site, *parts):
    return read(os.path.join(site, "output", *parts))


def only_records(site, records):
    """Replace the site's institutions by records: {slug: fields}."""
    inst = os.path.join(site, "content", "institutions")
    shutil.rmtree(inst)
    os.makedirs(inst)
    for slug, fields in records.items():
        write_record(site, slug, **fields)


def add_to_site_yml(site, text):
    with open(os.path.join(site, "site.yml"), "a", encoding="utf-8") as fh:
        fh.write(text)


def set_language(site, lang):
    drop_translations(site)
    path = os.path.join(site, "site.yml")
    text = re.sub(r"(?m)^languages?: .*$", "language: " + lang, read(path))
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def build_ok(site):
    rc, _, se = run("build", "-C", site)
    assert rc == 0, se
    return se


def directory_countries(site):
    """The country codes of the home page's directory, in order."""
    return re.findall(r'<h3 id="dir-([a-z]+)"', output(site, "index.html"))


def directory_slugs(site):
    return re.findall(r'<li class="inst" data-slug="([^"]+)"', output(site, "index.html"))


def named(name, country, city, lat, lon):
    return record_with(country, city, lat, lon, name='"%s"' % name)


@test
def unicode_record_in_nfd_is_written_nfc():
    with min_site() as (site, tmp):
        r = named(NFD_NAME, "VN", NFD_CITY, 21.003, 105.83)
        path = os.path.join(site, write_record(site, "hanoi", **r))
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(unicodedata.normalize("NFD", "Bệnh viện Bạch Mai.\n"))
        build_ok(site)
        nfc = unicodedata.normalize("NFC", NFD_NAME)
        page = output(site, "institutions", "hanoi", "index.html")
        assert nfc in page and NFD_NAME not in page, "the page keeps the NFD name"
        assert "Bệnh viện Bạch Mai." in page, "the body is not NFC"
        with open(os.path.join(site, "output", "partners.csv"), encoding="utf-8") as fh:
            rows = [row for row in csv.DictReader(fh) if row.get("slug") == "hanoi"]
        assert rows and rows[0]["name"] == nfc and rows[0]["city"] == "Hà Nội", rows
        geo = json.loads(output(site, "partners.geojson"))
        props = [f["properties"] for f in geo["features"] if f["properties"]["slug"] == "hanoi"]
        assert props[0]["name"] == nfc, props
        home = output(site, "index.html")
        assert 'data-search="truong dai hoc y ha noi ha noi vietnam"' in home, \
            re.findall(r'data-slug="hanoi"[^>]*', home)


COUNTRY_RECORDS = {
    "abidjan": ("CI", "Abidjan", 5.35, -4.0),
    "havana": ("CU", "Havana", 23.13, -82.38),
    "willemstad": ("CW", "Willemstad", 12.1, -68.9),
    "prague": ("CZ", "Prague", 50.08, 14.42),
    "mariehamn": ("AX", "Mariehamn", 60.1, 19.94),
    "kampala": ("UG", "Kampala", 0.34, 32.58),
}


def country_site(site):
    only_records(site, {slug: record(*v) for slug, v in COUNTRY_RECORDS.items()})


@test
def unicode_country_lists_follow_the_language():
    # English: Å and Ô sort with A and O; Swedish: ô with ö, after z, and
    # å after z (CLDR's tailorings through ICU)
    want = {
        "en": ["ax", "ci", "cu", "cw", "cz", "ug"],
        "sv": ["cu", "cw", "cz", "ci", "ug", "ax"],
    }
    with min_site() as (site, tmp):
        country_site(site)
        for lang, codes in want.items():
            set_language(site, lang)
            build_ok(site)
            assert directory_countries(site) == codes, (lang, directory_countries(site))
            # the network page and the sitemap list countries the same way
            net = re.findall(r'href="\.\./\.\./countries/([a-z]+)/index.html"',
                             output(site, "networks", "global", "index.html"))
            assert [c for c in dict.fromkeys(net)] == codes, (lang, net)
            sitemap = re.findall(r"countries/([a-z]+)/", output(site, "sitemap.xml"))
            assert sitemap == codes, (lang, sitemap)


@test
def unicode_names_sort_by_collation_ties_by_slug():
    with min_site() as (site, tmp):
        only_records(site, {
            "zeta": named("Zeta School", "UG", "Gulu", 2.78, 32.3),
            "ete": named("Été School", "UG", "Mbarara", -0.6, 30.65),
            "eagle": named("Eagle School", "UG", "Jinja", 0.44, 33.2),
            "b-same": named("Same School", "UG", "Mbale", 1.08, 34.17),
            "a-same": named("Same School", "UG", "Lira", 2.25, 32.9),
        })
        build_ok(site)
        # bytes would put Été after Zeta
        want = ["eagle", "ete", "a-same", "b-same", "zeta"]
        assert directory_slugs(site) == want, directory_slugs(site)
        country = re.findall(r'data-slug="([^"]+)"', output(site, "countries", "ug", "index.html"))
        assert [s for s in dict.fromkeys(country)] == want, country


@test
def unicode_kosovo_is_a_country_the_map_finds():
    with min_site() as (site, tmp):
        only_records(site, {
            "pristina": record("XK", "Pristina", 42.6629, 21.1655),
            "belgrade": record("xk", "Belgrade", 44.8, 20.46),
        })
        se = build_ok(site)
        # located: the one in Serbia is told, the one in Kosovo is not
        assert "content/institutions/belgrade.md:5:11: warning: location falls in Serbia, not Kosovo" in se, se
        assert "pristina" not in se, se
        assert directory_countries(site) == ["xk"]
        svg = output(site, "map.svg")
        assert re.search(r'<path id="country-XKX" class="country has-partners"', svg), \
            "Kosovo is not marked on the map"
        assert re.search(r"<h1[^>]*>\s*<bdi>Kosovo</bdi>\s*</h1>", output(site, "countries", "xk", "index.html"))


@test
def unicode_site_yml_adds_countries():
    with min_site() as (site, tmp):
        only_records(site, {
            "hargeisa": record("XS", "Hargeisa", 9.56, 44.06),
            "kyrenia": record("XN", "Kyrenia", 35.34, 33.32),
            "dire-dawa": record("XS", "Dire Dawa", 9.6, 41.87),
        })
        add_to_site_yml(site, "countries:\n"
                        "  - {code: XS, name: Somaliland, basemap: {field: ISO_A3, value: SOL}}\n"
                        "  - code: xn\n"
                        "    name: Northern Cyprus\n"
                        "    basemap: {value: n. cyprus}\n")
        se = build_ok(site)
        assert "content/institutions/dire-dawa.md:5:11: warning: location falls in Ethiopia, not Somaliland" in se, se
        assert "hargeisa" not in se and "kyrenia" not in se, se
        svg = output(site, "map.svg")
        for code in ("XXS", "XXN"):
            assert re.search(r'<path id="country-%s" class="country has-partners"' % code, svg), code
        assert "Northern Cyprus" in output(site, "countries", "xn", "index.html")
        assert directory_countries(site) == ["xn", "xs"]


@test
def unicode_site_yml_countries_errors():
    cases = [
        ("  - {code: XQ}\n",
         "site.yml:13:5: error: countries: XQ is no ISO 3166-1 code, so it needs a name: "
         "add name: followed by the country's name"),
        ("  - {code: X1, name: One}\n",
         "site.yml:13:12: error: countries: code must be two letters, such as XK, not 'X1'"),
        ("  - {code: XS, name: A}\n  - {code: xs, name: B}\n",
         "site.yml:14:12: error: countries: XS is already listed at line 13; list each country once"),
        ("  - {name: Somaliland}\n",
         "site.yml:13:5: error: missing required key 'code'"),
        ("  - {code: XS, name: S, basemap: {field: NOPE, value: x}}\n",
         'site.yml:13:34: error: the basemap geodata/naturalearth_lowres.dbf has no field "NOPE" '
         'to find "x" in; its fields are: pop_est, continent, name, iso_a3, gdp_md_est '
         "(name one of them as field:)"),
    ]
    for text, want in cases:
        with min_site() as (site, tmp):
            add_to_site_yml(site, "countries:\n" + text)
            rc, _, se = run("build", "-C", site)
            assert rc == 1 and want in se, (text, se)
            assert not os.path.exists(os.path.join(site, "output")), text


def patch_dbf_code(dbf, name, code):
    """Write code into the iso_a3 field of the record called name."""
    with open(dbf, "r+b") as fh:
        data = bytearray(fh.read())
        nrec, hlen, rlen = struct.unpack("<IHH", data[4:12])
        fields, off, pos = [], 32, 1
        while data[off] != 0x0D:
            fname = data[off:off + 11].split(b"\0")[0].decode()
            width = data[off + 16]
            fields.append((fname, pos, width))
            pos += width
            off += 32
        at = {f: (p, w) for f, p, w in fields}
        for i in range(nrec):
            rec = hlen + i * rlen
            p, w = at["name"]
            if data[rec + p:rec + p + w].decode().strip() == name:
                p, w = at["iso_a3"]
                data[rec + p:rec + p + w] = code.encode().ljust(w)
                fh.seek(0)
                fh.write(data)
                return
    raise AssertionError("no record " + name)


@test
def unicode_basemap_code_minus_99_found_by_name():
    # Some Natural Earth editions give France and Norway ISO_A3 -99
    with min_site() as (site, tmp):
        dbf = os.path.join(site, "_shared", "geodata", "naturalearth_lowres.dbf")
        for name in ("France", "Norway"):
            patch_dbf_code(dbf, name, "-99")
        only_records(site, {
            "paris": record("FR", "Paris", 48.85, 2.35),
            "oslo": record("NO", "Oslo", 59.91, 10.75),
            "brussels": record("FR", "Brussels", 50.85, 4.35),
        })
        se = build_ok(site)
        assert "content/institutions/brussels.md:5:11: warning: location falls in Belgium, not France" in se, se
        svg = output(site, "map.svg")
        for code in ("FRA", "NOR"):
            assert re.search(r'<path id="country-%s" class="country has-partners"' % code, svg), code


@test
def unicode_local_name_is_shown_and_searched():
    with min_site() as (site, tmp):
        write_record(site, "aub", **record_with(
            "LB", "Beirut", 33.9, 35.48, local_name="الْجَامِعَةُ الأَمِيرْكِيَّة"))
        build_ok(site)
        page = output(site, "institutions", "aub", "index.html")
        assert '<p class="local-name" dir="auto">الْجَامِعَةُ الأَمِيرْكِيَّة</p>' in page
        home = output(site, "index.html")
        assert 'data-search="test school of beirut الجامعة الاميركية beirut lebanon"' in home, \
            re.findall(r'data-slug="aub"[^>]*', home)
        # a record without one shows no empty paragraph
        assert 'class="local-name"' not in output(site, "institutions", "makerere", "index.html")
