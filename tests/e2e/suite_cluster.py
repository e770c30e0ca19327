"""The home page of a large site: above 1,000 institutions (RENDER_CLUSTER_ABOVE
in generator/render/render.h) the world map draws clusters, each linking to
its country's page, and the directory lists countries with their counts;
at 1,000 and below the page is as it always was."""
import gzip
import html
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


def chunk_parts(out, code):
    """The value of each chunk of a country's list, following "next" from
    list-1.js; checks each chunk's key and size on the way."""
    name, n = "list-1.js", 1
    while name:
        assert name == "list-%d.js" % n, name
        path = os.path.join(out, "countries", code, name)
        assert os.path.getsize(path) <= CHUNK_BYTES, (path, os.path.getsize(path))
        part = payload(path, "%s-%d" % (code, n))
        yield part
        name, n = part.get("next"), n + 1
    # no chunk beyond the last one named
    assert not os.path.exists(os.path.join(out, "countries", code, "list-%d.js" % n))


def country_chunks(out, code):
    """The slugs of each chunk of a country's list."""
    return [re.findall(r'<li class="inst" data-slug="([^"]+)"', part["html"])
            for part in chunk_parts(out, code)]


ENTRY = re.compile(r'<li class="inst" data-slug="([^"]+)"((?: data-[a-z]+="[^"]*")*)')


def country_entries(out, code):
    """The data-* attributes of each entry of a country's list, in
    directory order: {attr: value}."""
    entries = []
    for part in chunk_parts(out, code):
        for _, attrs in ENTRY.findall(part["html"]):
            entries.append(dict((a, html.unescape(v))
                                for a, v in re.findall(r' data-([a-z]+)="([^"]*)"', attrs)))
    return entries


def run_rows(runs):
    """The rows a list of runs of facets.js holds, in order."""
    n = [int(x, 36) for x in runs.split()]
    row, rows = 0, []
    for skip, take in zip(n[0::2], n[1::2]):
        row += skip
        rows += range(row, row + take)
        row += take
    return rows


def facet_words(index, code, count):
    """Per row of country code in facets.js, per facet attr, the sorted
    words whose rows (runs: rows skipped, rows taken, in base 36) hold it."""
    words = [dict((attr, []) for attr, _ in index["facets"]) for _ in range(count)]
    for f, per in enumerate(index["rows"][code]):
        attr, names = index["facets"][f]
        for c, runs in enumerate(per):
            for row in run_rows(runs):
                words[row][attr].append(names[c])
    return [dict((a, sorted(w)) for a, w in e.items()) for e in words]


def check_lazy_data(site, home):
    """Each country's entries, in chunks, the facet index and the search
    texts, as scripts: both indexes say exactly what the entries carry."""
    out = os.path.join(site, "output")
    assert ('data-index="countries/search.js" data-facets="countries/facets.js" '
            'data-chunk="%d"' % CHUNK) in home
    texts = payload(os.path.join(out, "countries", "search.js"), "search")
    index = payload(os.path.join(out, "countries", "facets.js"), "facets")
    assert sorted(texts) == sorted(index["rows"]) == sorted(index["cells"]) == ["cm", "th", "ug"]
    assert [len(texts[c]) for c in ("cm", "th", "ug")] == [401, 401, 402]
    # every institution in the facet index exactly once: in its cell
    assert [len(index["cells"][c]["of"]) for c in ("cm", "th", "ug")] == [401, 401, 402]
    assert index["facets"] == [["networks", ["global", "africa"]],
                               ["exchanges", ["undergraduate", "postgraduate"]],
                               ["types", ["research", "clinical", "observership"]]], index["facets"]
    seen = []
    for code in ("cm", "th", "ug"):
        entries = country_entries(out, code)
        # the folded text typed words are matched against, and each
        # facet's words, row for row as the entries carry them
        assert texts[code] == [e["search"] for e in entries]
        assert facet_words(index, code, len(entries)) == [
            dict((a, sorted(e.get(a, "").split())) for a, _ in index["facets"]) for e in entries]
        chunks = country_chunks(out, code)
        # 401 or 402 entries: six full chunks, then the rest
        assert [len(c) for c in chunks] == [CHUNK] * 6 + [len(entries) - 6 * CHUNK], \
            [len(c) for c in chunks]
        seen += [slug for c in chunks for slug in c]
    assert "mengo hospital kampala uganda" in texts["ug"]
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


# Zoom levels of the clustered map (RENDER_CLUSTER_LEVELS in
# generator/render/render.h): level 0 is drawn in the page, each finer
# level halves the cell and comes from countries/<code>/zoom.js.
LEVELS = 4
# Records at places at least 5 degrees apart within each country, so that
# on the finest level (cells of 4 viewBox units, about 1.5 degrees) each
# place is its own cluster: (country, city, lat, lon, how many).
ZOOM_PLACES = [("UG", "Kampala", 0.34, 32.58, 400),
               ("CM", "Yaounde", 3.87, 11.52, 350), ("CM", "Garoua", 9.3, 13.4, 50),
               ("TH", "Bangkok", 13.75, 100.5, 300), ("TH", "Chiang Mai", 18.79, 98.98, 1),
               ("TH", "Phuket", 7.88, 98.39, 1)]


def zoom_site(site):
    """The minimal site with its own records replaced by ZOOM_PLACES'."""
    inst = os.path.join(site, "content", "institutions")
    for f in os.listdir(inst):
        os.unlink(os.path.join(inst, f))
    i = 0
    for code, city, lat, lon, n in ZOOM_PLACES:
        for _ in range(n):
            write_record(site, "z-%04d" % i, **record(code, "%s %d" % (city, i), lat, lon))
            i += 1
    return i


def check_level(level, slugs):
    """One zoom level of a country whose entries, in directory order, are
    slugs: every institution in exactly one cluster, each cluster's count
    the number of its members. Returns the clusters' members (slugs)."""
    assert len(level["of"]) == len(slugs), (len(level["of"]), len(slugs))
    members = [[] for _ in level["k"]]
    for e, j in enumerate(level["of"]):
        assert 0 <= j < len(members), j
        members[j].append(slugs[e])
    assert [k[2] for k in level["k"]] == [len(m) for m in members]
    assert sum(k[2] for k in level["k"]) == len(slugs)
    return members


def check_nested(coarse, fine):
    """Every cluster of a finer level lies inside one of the coarser."""
    owner = dict((s, j) for j, m in enumerate(coarse) for s in m)
    for m in fine:
        assert len(set(owner[s] for s in m)) == 1, m


def page_items(home):
    """The home page's clusters (data-key: count) and lone markers (slugs)."""
    return (dict((k, int(n)) for k, n in re.findall(r'data-key="([^"]+)" data-count="(\d+)"', home)),
            set(MARKER.findall(home)))


def check_country_zoom(out, code, index, page, lone):
    """A country's zoom levels: level 0 as the page draws it (its clusters
    and lone markers taken from page and lone) and as the facet index
    counts it, each level a partition, each nested in the coarser one.
    Returns its number of entries and the counts of its finest level."""
    slugs = [s for c in country_chunks(out, code) for s in c]
    levels = payload(os.path.join(out, "countries", code, "zoom.js"), code + "-zoom")["levels"]
    assert len(levels) == LEVELS, len(levels)
    assert levels[0] == index["cells"][code]
    for k in levels[0]["k"]:
        if k[2] > 1:
            assert page.pop(k[3]) == k[2], k
        else:
            lone.remove(k[3])
    members = [check_level(level, slugs) for level in levels]
    for coarse, fine in zip(members, members[1:]):
        check_nested(coarse, fine)
    # a finer level names each cluster and links it
    for k in levels[1]["k"]:
        if k[2] > 1:
            assert k[4:] == ["%s: %s partner institutions" % (NAMES[code.upper()], "{:,}".format(k[2])),
                             "countries/%s/index.html" % code], k
    return len(slugs), sorted(k[2] for k in levels[-1]["k"])


@test
def cluster_zoom_levels_split_and_count_every_school():
    with min_site() as (site, tmp):
        total = zoom_site(site)
        page, lone = page_items(build_home(site))
        out, seen, finest = os.path.join(site, "output"), 0, {}
        index = payload(os.path.join(out, "countries", "facets.js"), "facets")
        for code in ("cm", "th", "ug"):
            n, finest[code] = check_country_zoom(out, code, index, page, lone)
            seen += n
        # every cluster and marker of the page is in one country's level 0
        assert not page and not lone, (page, lone)
        assert seen == total
        # on the finest level, each place is one cluster: its records
        assert finest == {"cm": [50, 350], "th": [1, 1, 300], "ug": [400]}, finest
        # one alone: its slug, its marker's name and its page
        th = payload(os.path.join(out, "countries", "th", "zoom.js"), "th-zoom")["levels"][-1]["k"]
        phuket = [k[3:] for k in th if k[2] == 1 and k[4].startswith("Test School of Phuket")]
        assert phuket == [["z-1101", "Test School of Phuket 1101, Phuket 1101, Thailand",
                           "institutions/z-1101/index.html"]], phuket


def script_texts(home):
    """The texts the home page's script writes (the status line's data-texts)."""
    m = re.search(r'id="filter-status"[^>]*data-texts="([^"]*)"', home)
    assert m, "no data-texts on the status line"
    return json.loads(html.unescape(m.group(1)))


@test
def cluster_counts_that_follow_the_filters_have_their_texts():
    with min_site() as (site, tmp):
        add_records(site, CLUSTER_ABOVE + 200)
        texts = script_texts(build_home(site))
        assert texts["count_matches"] == "{shown} of {count} match the filters", texts
        assert texts["cluster_matches"] == "{country}: {shown} of {count} match the filters", texts
        # in the site's language
        yml = os.path.join(site, "site.yml")
        with open(yml, encoding="utf-8") as fh:
            text = fh.read().replace("language: en", "language: fr")
        with open(yml, "w", encoding="utf-8") as fh:
            fh.write(text)
        texts = script_texts(build_home(site))
        assert texts["cluster_matches"] == "{country} : {shown} sur {count} correspondent aux filtres", texts
