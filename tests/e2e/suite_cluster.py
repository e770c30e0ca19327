"""The home page of a large site: above 1,000 institutions (RENDER_CLUSTER_ABOVE
in generator/render/render.h) the world map draws clusters, each linking to
its country's page, and the directory lists countries with their counts;
at 1,000 and below the page is as it always was."""
import gzip
import json
import os
import re

from e2e import test, run, min_site, write_record, record, read

CLUSTER_ABOVE = 1000
# A place in each country of the minimal site, and the spread around it
# (degrees): wide enough for several cells of the world map's grid.
PLACES = [("UG", "Kampala", 0.34, 32.58), ("CM", "Yaounde", 3.87, 11.52),
          ("TH", "Bangkok", 13.75, 100.5)]
NAMES = {"UG": "Uganda", "CM": "Cameroon", "TH": "Thailand"}


def add_records(site, n):
    """n records beside the minimal site's 4, spread over its 3 countries."""
    for i in range(n):
        code, city, lat, lon = PLACES[i % len(PLACES)]
        step = (i // len(PLACES)) % 40
        write_record(site, "gen-%05d" % i,
                     **record(code, "%s %d" % (city, i), lat + (step % 8) * 0.6,
                              lon + (step // 8) * 0.9))


def build_home(site):
    rc, _, se = run("build", "-C", site)
    assert rc == 0, se
    return read(os.path.join(site, "output", "index.html"))


CLUSTER = re.compile(r'<a class="cluster" id="cluster-([a-z]{2})-[-0-9]+-[-0-9]+" '
                     r'href="([^"]+)" data-key="[^"]+" data-count="(\d+)"[^>]*'
                     r'aria-label="([^"]+)">')
MARKER = re.compile(r'<a class="marker[ "][^>]*data-slug="([^"]+)"')


def check_clusters(site, home):
    """Every institution counted once, by a cluster linking to its
    country's page or a marker of its own."""
    clusters = CLUSTER.findall(home)
    lone = MARKER.findall(home)
    assert clusters, home[:2000]
    counted = sum(int(c[2]) for c in clusters) + len(lone)
    assert counted == CLUSTER_ABOVE + 204, counted
    per = set()
    for code, href, count, label in clusters:
        # a cluster never crosses a border: it links to its country
        assert href == "countries/%s/index.html" % code, href
        assert os.path.exists(os.path.join(site, "output", href)), href
        assert label == "%s: %s partner institutions" % (
            NAMES[code.upper()], "{:,}".format(int(count))), label
        per.add(code)
    assert per == {"ug", "cm", "th"}, per


def check_directory(home):
    """Countries with their counts, no entry per institution."""
    counts = re.findall(r'<h3 id="dir-([a-z]{2})"><a href="([^"]+)"><bdi>([^<]+)</bdi></a></h3>\s*'
                        r'<p class="dir-count">([^<]+) <button type="button" class="dir-open needs-js" '
                        r'data-list="countries/\1/list-1.js"', home)
    # 400 generated records per country, plus the minimal site's own
    assert counts == [("cm", "countries/cm/index.html", "Cameroon", "401 partner institutions"),
                      ("th", "countries/th/index.html", "Thailand", "401 partner institutions"),
                      ("ug", "countries/ug/index.html", "Uganda", "402 partner institutions")], counts
    assert 'class="inst-list"' not in home
    assert 'data-slug="gen-00001"' not in home


@test
def cluster_home_of_a_large_site():
    with min_site() as (site, tmp):
        add_records(site, CLUSTER_ABOVE + 200)
        home = build_home(site)
        check_clusters(site, home)
        check_directory(home)
        gz = len(gzip.compress(home.encode("utf-8"), 9))
        print("    home page of %d records: %d bytes, %d gzipped"
              % (CLUSTER_ABOVE + 204, len(home.encode("utf-8")), gz))
        assert gz < 300 * 1024, gz
        # map.svg draws the same clusters
        svg = read(os.path.join(site, "output", "map.svg"))
        keys = lambda s: re.findall(r'data-key="([^"]+)" data-count="(\d+)"', s)
        assert keys(svg) == keys(home), (keys(svg), keys(home))
        check_lazy_data(site, home)
        # the same records give the same bytes
        assert build_home(site) == home


def payload(path, key):
    """The value a lazy data script hands to pmData under key."""
    text = read(path)
    head = 'pmData("%s",' % key
    assert text.startswith(head) and text.endswith(");\n"), text[:200]
    return json.loads(text[len(head):-3])


# Entries per chunk of a country's list (RENDER_CHUNK in
# generator/render/render.h), and the most bytes a chunk may take.
CHUNK = 60
CHUNK_BYTES = 150 * 1024


def country_chunks(out, code):
    """The slugs of each chunk of a country's list, following "next" from
    list-1.js; checks each chunk's key and size on the way."""
    chunks, name, n = [], "list-1.js", 1
    while name:
        assert name == "list-%d.js" % n, name
        path = os.path.join(out, "countries", code, name)
        assert os.path.getsize(path) <= CHUNK_BYTES, (path, os.path.getsize(path))
        part = payload(path, "%s-%d" % (code, n))
        chunks.append(re.findall(r'<li class="inst" data-slug="([^"]+)"', part["html"]))
        name, n = part.get("next"), n + 1
    # no chunk beyond the last one named
    assert not os.path.exists(os.path.join(out, "countries", code, "list-%d.js" % n))
    return chunks


def check_lazy_data(site, home):
    """Each country's entries, in chunks, and the search index, as scripts."""
    out = os.path.join(site, "output")
    assert 'data-index="countries/search.js" data-chunk="%d"' % CHUNK in home
    whole = payload(os.path.join(out, "countries", "search.js"), "search")
    index = whole["countries"]
    assert sorted(index) == ["cm", "th", "ug"], sorted(index)
    assert [len(index[c]) for c in ("cm", "th", "ug")] == [401, 401, 402]
    # the folded text the page's script matches what is typed against,
    # then the codes of each facet's words
    facets = dict((attr, words) for attr, words in whole["facets"])
    mengo = [e for e in index["ug"] if e[0] == "mengo hospital kampala uganda"]
    assert len(mengo) == 1, index["ug"][:3]
    words = [[whole["facets"][f][1][c] for c in codes] for f, codes in enumerate(mengo[0][1:])]
    assert words[:2] == [["africa"], ["undergraduate"]], (words, facets)
    seen = []
    for code in ("cm", "th", "ug"):
        chunks = country_chunks(out, code)
        # 401 or 402 entries: six full chunks, then the rest
        assert [len(c) for c in chunks] == [CHUNK] * 6 + [len(index[code]) - 6 * CHUNK], \
            [len(c) for c in chunks]
        seen += [slug for c in chunks for slug in c]
    # every institution in exactly one chunk
    assert len(seen) == len(set(seen)) == CLUSTER_ABOVE + 204, len(seen)
    assert "makerere" in seen and "gen-00000" in seen


@test
def cluster_threshold_leaves_smaller_sites_as_they_were():
    with min_site() as (site, tmp):
        add_records(site, CLUSTER_ABOVE - 4)
        home = build_home(site)
        assert 'class="cluster"' not in home
        assert 'class="dir-count"' not in home
        assert len(MARKER.findall(home)) == CLUSTER_ABOVE
        assert home.count('<li class="inst"') == CLUSTER_ABOVE


@test
def cluster_theme_without_home_list_says_what_to_do():
    with min_site() as (site, tmp):
        add_records(site, CLUSTER_ABOVE + 200)
        os.unlink(os.path.join(site, "_shared", "themes", "default", "templates",
                               "home_list.mustache"))
        rc, _, se = run("build", "-C", site)
        assert rc != 0
        assert ("countries/cm/list-1.js:1:1: error: the theme has no template 'home_list', "
                "which a site of more than 1000 institutions needs: copy it from the "
                "default theme") in se, se
