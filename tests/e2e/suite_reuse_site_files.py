"""The files that list every institution (home page, map.svg, exports,
404, elective pages, countries/' scripts) are kept like the pages of one
institution, country or network when what they show did not change
(generator/publish/reuse.h, "site files"). A change to a record's body
renders its own page alone; a change to a field they show renders them
again, and the result is always what a clean build writes."""
import os
import random
import re

from e2e import test, min_site, write_record, record
from reuse_common import build, assert_like_clean, written

INST = os.path.join("content", "institutions")
# What a site of min_site plus add_schools' records publishes that is not
# an institution's page or a page of a listing (a country's, a network's,
# an elective's): home, map.svg, feed, GeoJSON, CSV, sitemap, 404 and the
# CSV of each of the three elective types.
SITE_UNITS = 10
# Above this many institutions the home page is clustered and its lists
# and search data are scripts below countries/ (render.h).
CLUSTER_ABOVE = 1000


def add_schools(site, n):
    places = [("UG", "Kampala", 0.34, 32.58), ("TH", "Bangkok", 13.75, 100.5),
              ("CM", "Douala", 4.05, 9.7)]
    for i in range(n):
        country, city, lat, lon = places[i % len(places)]
        fields = record(country, city, lat + (i % 500) / 1000.0, lon + i // 500 / 100.0)
        fields["name"] = "School %d" % i
        write_record(site, "school-%04d" % i, **fields)


def listing_pages(out, folder):
    """The pages of each listing below folder (countries, networks,
    electives): its first and its numbered pages, a unit each."""
    n = 0
    for name in os.listdir(os.path.join(out, folder)):
        top = os.path.join(out, folder, name)
        if not os.path.isfile(os.path.join(top, "index.html")):
            continue
        n += 1
        paged = os.path.join(top, "page")
        if os.path.isdir(paged):
            n += len(os.listdir(paged))
    return n


def units(site):
    """The units a build of site has: one per institution and per page of
    each listing, and the site files (plus countries/' scripts when
    clustered)."""
    inst = [f for f in os.listdir(os.path.join(site, INST)) if f.endswith(".md")]
    out = os.path.join(site, "output")
    countries = [d for d in os.listdir(os.path.join(out, "countries"))
                 if os.path.isfile(os.path.join(out, "countries", d, "index.html"))]
    n = len(inst) + SITE_UNITS + sum(listing_pages(out, f) for f in
                                     ("countries", "networks", "electives"))
    if len(inst) > CLUSTER_ABOVE:
        n += 1 + len(countries)
    return n


def set_field(path, key, value):
    """key: value in the record at path, in place of the one there or
    added at the end of its front matter."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    line = "\n%s: %s" % (key, value)
    if re.search(r"\n%s: " % key, text):
        text = re.sub(r"\n%s: [^\n]*" % key, lambda m: line, text, count=1)
    else:
        end = text.index("\n---\n")
        text = text[:end] + line + text[end:]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def school_ops(site, rng):
    """Edits of one record each, named: the body alone, and each field the
    listings show."""
    def path(slug):
        return os.path.join(site, INST, slug + ".md")

    def body(slug):
        with open(path(slug), "a", encoding="utf-8") as fh:
            fh.write("\nEdit %d.\n" % rng.randrange(9999))

    def field(key, *values):
        return lambda slug: set_field(path(slug), key, rng.choice(values))

    def move(slug):
        country, city, lat, lon = rng.choice([("KE", "Nairobi", -1.29, 36.82),
                                              ("TH", "Chiang Mai", 18.79, 98.98)])
        for key, value in (("country", country), ("city", city),
                           ("location", "[%s, %s]" % (lat, lon))):
            set_field(path(slug), key, value)

    def nudge(slug):
        with open(path(slug), encoding="utf-8") as fh:
            lat, lon = re.search(r"\nlocation: \[([-\d.]+), ([-\d.]+)\]", fh.read()).groups()
        set_field(path(slug), "location", "[%.4f, %s]" % (float(lat) + rng.randint(1, 9) / 1000.0, lon))

    return [
        ("body", body),
        ("name", lambda slug: set_field(path(slug), "name", "%s %s" % (
            rng.choice(["Aardvark", "Zebra"]), slug))),
        ("city", field("city", "Entebbe", "Jinja")),
        ("networks", field("networks", "[global, asia]", "[global]", "[asia]")),
        ("elective", field("electives", "[clinical]", "[research, observership]")),
        ("location", nudge),
        ("move", move),
        ("website", field("website", "https://example.org/%d" % rng.randrange(99))),
    ]


def asia(site):
    with open(os.path.join(site, "content", "networks", "asia.md"), "w",
              encoding="utf-8") as fh:
        fh.write("---\nname: Asia\nkind: regional\ncolour: \"#123456\"\n"
                 "description: Schools in Asia.\n---\n")


def set_page_size(site, n):
    with open(os.path.join(site, "site.yml"), "a", encoding="utf-8") as fh:
        fh.write("page_size: %d\n" % n)


def random_school_edits(schools, steps, seed_env, page_size=None):
    seed = int(os.environ.get(seed_env, random.randrange(1 << 30)))
    rng = random.Random(seed)
    with min_site() as (site, tmp):
        add_schools(site, schools)
        if page_size:
            set_page_size(site, page_size)
        asia(site)
        ops = school_ops(site, rng)
        slugs = sorted(f[:-3] for f in os.listdir(os.path.join(site, INST))
                       if f.startswith("school-"))
        build(site)
        for i in range(steps):
            names = []
            for _ in range(rng.randint(1, 2)):
                name, op = rng.choice(ops)
                slug = rng.choice(slugs)
                op(slug)
                names.append("%s of %s" % (name, slug))
            build(site)
            assert_like_clean(site, tmp, "%s=%d to repeat, step %d (%s): " % (
                seed_env, seed, i, "; ".join(names)))


@test
def reuse_site_files_random_field_edits_match_clean_builds():
    """Seeded (PM_SEED repeats a run): a field or the body of one or two
    records changed, built in place, compared with a clean build."""
    random_school_edits(12, 14, "PM_SEED")


@test
def reuse_site_files_random_edits_of_a_clustered_site_match_clean_builds():
    """The same above CLUSTER_ABOVE institutions, where the home page's
    lists, zoom levels and search data are countries/' scripts, one set
    per country (PM_SEED_CLUSTERED repeats a run)."""
    random_school_edits(CLUSTER_ABOVE + 3, 5, "PM_SEED_CLUSTERED")


@test
def reuse_site_files_random_edits_of_numbered_pages_match_clean_builds():
    """The same with ten institutions a page (the least page_size), so
    that every listing has numbered pages, each a unit of its own, which
    an edit moves records between (PM_SEED_PAGED repeats a run)."""
    random_school_edits(40, 14, "PM_SEED_PAGED", page_size=10)


@test
def reuse_site_files_edit_renders_the_one_page_of_a_listing_that_shows_it():
    """Ten institutions a page: Uganda's twenty schools make two pages and
    the global network's seven. A field no map shows (website) renders
    school-0003's page, the one page of Uganda's and of the network's that
    lists it, and the six site files that list everyone; the other
    numbered pages are kept."""
    with min_site() as (site, tmp):
        add_schools(site, 60)
        set_page_size(site, 10)
        build(site)
        total = units(site)
        out = os.path.join(site, "output")
        assert os.path.isfile(os.path.join(out, "countries/ug/page/2/index.html"))
        assert os.path.isfile(os.path.join(out, "networks/global/page/6/index.html"))
        set_field(os.path.join(site, INST, "school-0003.md"), "website",
                  "https://example.org/three")
        kept, files = written(site)
        assert kept == total - 3 - 6, (kept, total, files)
        assert "institutions/school-0003/index.html" in files, files
        assert not any("/page/" in f for f in files), files
        assert_like_clean(site, tmp)
        # a field the maps show (the city, in a marker's name) is on every
        # page of Uganda's and of the network's: all of them are rendered
        set_field(os.path.join(site, INST, "school-0003.md"), "city", "Entebbe")
        kept, files = written(site)
        assert "countries/ug/page/2/index.html" in files, files
        assert "networks/global/page/6/index.html" in files, files
        assert_like_clean(site, tmp)


@test
def reuse_site_files_city_edit_inside_a_cluster_keeps_the_listing_pages():
    """Above CLUSTER_ABOVE members the global network's map draws
    clusters, and school-0003 shows in one as a count, not by its city.
    Its city edit renders the page listing it and the files that list
    everyone, not the hundred pages of the network: 11 units, where the
    map's inputs alone made it 144 (each page was rendered, to the same
    bytes). The output is a clean build's."""
    with min_site() as (site, tmp):
        add_schools(site, CLUSTER_ABOVE + 1)
        set_page_size(site, 10)
        build(site)
        total = units(site)
        assert build(site) == total
        set_field(os.path.join(site, INST, "school-0003.md"), "city", "Entebbe")
        kept, files = written(site)
        assert total - kept < 20, (total, kept, files)
        assert "institutions/school-0003/index.html" in files, files
        assert_like_clean(site, tmp)


@test
def reuse_site_files_body_edit_renders_one_page():
    with min_site() as (site, tmp):
        add_schools(site, 9)
        build(site)
        total = units(site)
        assert build(site) == total
        with open(os.path.join(site, INST, "school-0004.md"), "a", encoding="utf-8") as fh:
            fh.write("\nA sentence only this page shows.\n")
        kept, files = written(site)
        assert files == ["institutions/school-0004/index.html"], files
        assert kept == total - 1, (kept, total)
        assert_like_clean(site, tmp)


@test
def reuse_site_files_city_edit_renders_what_shows_the_city():
    """school-0003 is in Uganda (add_schools) and in the global network:
    its page, Uganda's, the network's and every site file but 404.html
    are rendered; Thailand's and Cameroon's pages are kept."""
    with min_site() as (site, tmp):
        add_schools(site, 9)
        build(site)
        total = units(site)
        set_field(os.path.join(site, INST, "school-0003.md"), "city", "Entebbe")
        kept, files = written(site)
        # rendered: its page, its country's, its network's, and home,
        # map.svg, feed, GeoJSON, CSV, sitemap (404 and the elective pages,
        # which list only those offering electives, are kept)
        assert kept == total - 3 - 6, (kept, total)
        for f in ["institutions/school-0003/index.html", "countries/ug/index.html",
                  "index.html", "partners.csv", "partners.geojson"]:
            assert f in files, (f, files)
        for f in files:
            assert not f.startswith(("countries/th/", "countries/cm/", "institutions/school-0005/")), files
        assert_like_clean(site, tmp)


@test
def reuse_site_files_clustered_body_and_city_edits():
    """Above CLUSTER_ABOVE institutions: a body edit renders its page
    alone; a city edit renders its country's scripts, not another's."""
    with min_site() as (site, tmp):
        add_schools(site, CLUSTER_ABOVE + 3)
        build(site)
        total = units(site)
        slug = "school-0003"  # in Uganda
        with open(os.path.join(site, INST, slug + ".md"), "a", encoding="utf-8") as fh:
            fh.write("\nOne more sentence.\n")
        kept, files = written(site)
        assert files == ["institutions/%s/index.html" % slug], files
        assert kept == total - 1, (kept, total)
        set_field(os.path.join(site, INST, slug + ".md"), "city", "Entebbe")
        kept, files = written(site)
        assert any(f.startswith("countries/ug/list-") for f in files), files
        assert not any(f.startswith(("countries/th/", "countries/cm/")) for f in files), files
        assert "countries/search.js" in files, files
        # its page, Uganda's scripts, the search data, the six site files
        # that list everyone, and the one page of Uganda's and of the
        # network's listings that lists it: their clustered maps draw it
        # in a cluster, without its city, so their other pages are kept
        out = os.path.join(site, "output")
        ug = 1 + len(os.listdir(os.path.join(out, "countries/ug/page")))
        net = 1 + len(os.listdir(os.path.join(out, "networks/global/page")))
        assert ug > 1 and net > 1, (ug, net)
        assert kept == total - 3 - 1 - 1 - 6, (kept, total, ug, net)
        assert_like_clean(site, tmp)
