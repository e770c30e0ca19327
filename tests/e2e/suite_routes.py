"""Where pages live and the numbers the tool states: every page the build
writes is the one its routes name (sitemap, links, open data agree), and
the render-thread limits read the same in the help, the errors, the README
and the man page."""
import csv
import io
import json
import os
import re
import xml.etree.ElementTree as ET

from e2e import test, run, min_site, tree_digest, read, ROOT
from steps import built

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
JOBS_MAX = 64          # PM_JOBS_MAX in generator/build.h
JOBS_DEFAULT_MAX = 8   # PM_JOBS_DEFAULT_MAX


def written_pages(out):
    """Every page written, as its folder ("" for home, "about/", ...)."""
    pages = set()
    for dirpath, _, files in os.walk(out):
        rel = os.path.relpath(dirpath, out)
        if rel.split(os.sep)[0] == "assets" or "index.html" not in files:
            continue
        pages.add("" if rel == "." else rel.replace(os.sep, "/") + "/")
    return pages


@test
def routes_sitemap_names_every_page_written():
    with min_site() as (site, tmp):
        out = built(site, tmp)
        base = "https://partners.example.org/map/"
        root = ET.parse(os.path.join(out, "sitemap.xml")).getroot()
        locs = [e.text for e in root.iter(SITEMAP_NS + "loc")]
        assert all(u.startswith(base) for u in locs), locs
        listed = [u[len(base):] for u in locs]
        assert len(listed) == len(set(listed)), listed
        assert set(listed) == written_pages(out), (sorted(listed), sorted(written_pages(out)))
        # countries by their lower-case alpha-2 code, as the sitemap names them
        countries = sorted(p for p in listed if p.startswith("countries/"))
        assert countries == ["countries/cm/", "countries/th/", "countries/ug/"], countries
        # open data names the same institution pages
        with open(os.path.join(out, "partners.geojson"), encoding="utf-8") as fh:
            urls = {f["properties"]["url"] for f in json.load(fh)["features"]}
        rows = list(csv.DictReader(io.StringIO(read(os.path.join(out, "partners.csv")))))
        assert urls == {r["url"] for r in rows}
        assert urls == {base + p for p in listed if p.startswith("institutions/")}, urls


@test
def routes_links_name_files_relative_to_each_page():
    with min_site() as (site, tmp):
        out = built(site, tmp)
        about = read(os.path.join(out, "about", "index.html"))
        assert 'href="../index.html"' in about
        inst = read(os.path.join(out, "institutions", "makerere", "index.html"))
        assert 'href="../../countries/ug/index.html"' in inst
        assert 'href="../../institutions/makerere/index.html"' in inst  # its marker
        home = read(os.path.join(out, "index.html"))
        assert 'href="institutions/makerere/index.html"' in home
        # the 404 page starts its links at base_url's path
        missing = read(os.path.join(out, "404.html"))
        assert 'href="/map/index.html"' in missing, missing


@test
def jobs_limits_agree_in_help_errors_and_docs():
    rc, so, _ = run("build", "--help")
    assert rc == 0
    line = re.search(r"-j, --jobs N\s+(.*?)\n\s+-q", so, re.S)
    assert line, so
    text = " ".join(line.group(1).split())
    assert text == ("render on N threads, 1 to %d (default: one per processor, "
                    "at most %d)" % (JOBS_MAX, JOBS_DEFAULT_MAX)), text

    for bad in ("0", str(JOBS_MAX + 1)):
        rc, so, se = run("build", "-j", bad)
        assert rc == 2, (bad, rc, se)
        assert se == ("partnermap: '-j' wants a number of threads from 1 to %d\n"
                      "Try 'partnermap build --help'.\n" % JOBS_MAX), se

    # the most threads one may ask for build the same site as one thread
    with min_site() as (site, tmp):
        one, most = os.path.join(tmp, "one"), os.path.join(tmp, "most")
        rc, _, se = run("build", "-q", "-C", site, "-o", one, "-j", "1")
        assert rc == 0, se
        rc, _, se = run("build", "-q", "-C", site, "-o", most, "-j", str(JOBS_MAX))
        assert rc == 0, se
        assert tree_digest(one) == tree_digest(most)

    readme = " ".join(read(os.path.join(ROOT, "README.md")).split())
    assert ("rendering pages on N threads, 1 to %d (default: one per processor, "
            "at most %d;" % (JOBS_MAX, JOBS_DEFAULT_MAX)) in readme
    man = " ".join(read(os.path.join(ROOT, "generator", "partnermap.1")).split())
    assert ("threads, 1 to %d (default: one per processor, at most %d)."
            % (JOBS_MAX, JOBS_DEFAULT_MAX)) in man


@test
def size_limits_in_readme_and_man_page_are_the_programs():
    """The basemap's size limits as util/safefs.h sets them, in the
    README's table of limits and in the man page alike."""
    header = read(os.path.join(ROOT, "generator", "util", "safefs.h"))

    def limit(name):
        m = re.search(r"#define PM_MAX_%s\s+\((\d+)ul << (\d+)\)" % name, header)
        assert m, name
        size = int(m.group(1)) << int(m.group(2))
        for unit, shift in (("MiB", 20), ("KiB", 10)):
            if size % (1 << shift) == 0:
                return "%d %s" % (size >> shift, unit)
        return "%d bytes" % size

    readme = read(os.path.join(ROOT, "README.md"))
    man = " ".join(read(os.path.join(ROOT, "generator", "partnermap.1")).split())
    for ext in ("shp", "shx", "dbf", "prj", "cpg"):
        row = re.search(r"(?m)^\|[^|\n]*`\.%s`[^|\n]*\| ([^|\n]+) \|$" % ext, readme)
        assert row and row.group(1) == limit(ext.upper()), (ext, row and row.group(0))
    assert limit("SHP") == limit("SHX") == limit("DBF")
    assert (".Pa .shp , .Pa .shx and .Pa .dbf %s each; .Pa .prj %s; .Pa .cpg %s."
            % (limit("SHP"), limit("PRJ"), limit("CPG"))) in man, man[man.find(".Pa .shp"):][:120]

