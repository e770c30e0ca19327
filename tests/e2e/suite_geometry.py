"""End-to-end tests for hostile and odd shapefiles: basemaps and point
files out of range, over the limits, corrupt, in other code pages; record
locations out of range; Mercator's missing poles."""
import array
import json
import math
import os
import re
import struct
import xml.etree.ElementTree as ET

from e2e import (test, run, min_site, tree_digest, write_record, record, read,
                 set_map_option, located_by_points, built_coordinates, SVG_NS)
from steps import built_digest

WGS84_PRJ = ('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",'
             '6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],'
             'UNIT["Degree",0.0174532925199433]]')


def write_polygon_shapefile(base, records, cpg=None):
    """A polygon shapefile with fields iso_a3 and name. records is a list
    of (rings, code, name): rings are closed lists of (x, y) (clockwise for
    outer rings); code and name are bytes, written as they are."""
    shp, shx = bytearray(), bytearray()
    for i, (rings, _, _) in enumerate(records):
        xy = array.array("d")
        starts = []
        for ring in rings:
            starts.append(len(xy) // 2)
            for x, y in ring:
                xy.append(x)
                xy.append(y)
        if struct.pack("=i", 1) != struct.pack("<i", 1):
            xy.byteswap()
        body = struct.pack("<i4d2i", 5, 0, 0, 0, 0, len(rings), len(xy) // 2)
        body += struct.pack("<%di" % len(starts), *starts) + xy.tobytes()
        shx += struct.pack(">2i", (100 + len(shp)) // 2, len(body) // 2)
        shp += struct.pack(">2i", i + 1, len(body) // 2) + body

    def header(length):
        return struct.pack(">7i", 9994, 0, 0, 0, 0, 0, length // 2) + \
            struct.pack("<2i8d", 1000, 5, 0, 0, 0, 0, 0, 0, 0, 0)
    fields = ((b"iso_a3", 3), (b"name", 60))
    width = 1 + sum(w for _, w in fields)
    dbf = bytearray(struct.pack("<4BIHH20x", 3, 126, 1, 1, len(records),
                                32 + 32 * len(fields) + 1, width))
    for name, w in fields:
        dbf += struct.pack("<11sc4xBB14x", name, b"C", w, 0)
    dbf += b"\r"
    for _, code, name in records:
        dbf += b" " + code.ljust(3)[:3] + name.ljust(60)[:60]
    dbf += b"\x1a"
    files = {"shp": header(100 + len(shp)) + shp, "shx": header(100 + len(shx)) + shx,
             "dbf": dbf, "prj": WGS84_PRJ.encode()}
    if cpg is not None:
        files["cpg"] = cpg
    for ext, data in files.items():
        with open(base + "." + ext, "wb") as fh:
            fh.write(data)


def square(x0, y0, side, hole=False):
    ring = [(x0, y0), (x0, y0 + side), (x0 + side, y0 + side), (x0 + side, y0), (x0, y0)]
    return ring[::-1] if hole else ring


def map_of_one(site, rings, code, name):
    """Build site on a basemap of one country (code, name) made of rings,
    which must succeed and draw it; returns map.svg's root element."""
    own_basemap(site, [(rings, code, name)])
    rc, _, se = run("build", "-C", site)
    assert rc == 0, se
    root = ET.parse(os.path.join(site, "output", "map.svg")).getroot()
    ids = [p.get("id") for p in root.iter(SVG_NS + "path")]
    assert "country-" + code.decode() in ids, ids
    return root


def assert_says(site, command, code, line):
    """partnermap COMMAND of site must exit with code and print line."""
    rc, _, se = run(command, "-C", site)
    assert rc == code, (rc, se)
    assert line in se.splitlines(), se


def own_basemap(site, records, cpg=None):
    """Replace the site's basemap with geodata/own.shp made of records."""
    os.unlink(os.path.join(site, "geodata"))
    os.makedirs(os.path.join(site, "geodata"))
    write_polygon_shapefile(os.path.join(site, "geodata", "own"), records, cpg)
    set_map_option(site, "basemap", "geodata/own.shp")


def error_lines(stderr, prefix):
    return [l for l in stderr.splitlines() if l.startswith(prefix)]


# ------------------------------------------------------- point shapefiles ---

@test
def geometry_point_out_of_range_is_an_error():
    with min_site() as (site, tmp):
        before = built_digest(site)
        points = [("nairobi-school", 36.8219, -1.2921),
                  ("far-north", 10.0, 95.0),
                  ("far-east", 400.0, 10.0),
                  ("huge", 10.0, 1e308),
                  ("not-a-number", float("nan"), 10.0),
                  ("infinite", 10.0, float("-inf"))]
        located_by_points(site, points, [p[0] for p in points])
        rc, _, se = run("build", "-C", site)
        assert rc == 1, (rc, se)
        # write_point_shapefile writes no .prj
        hint = ("without a .prj, coordinates are read as WGS 84 longitude/latitude "
                "in degrees: add the .prj that describes the data")
        want = [
            "points/partners.shp:1:1: error: record 2: latitude 95 is out of range [-90, 90]; " + hint,
            "points/partners.shp:1:1: error: record 3: longitude 400 is out of range [-180, 180]; " + hint,
            "points/partners.shp:1:1: error: record 4: latitude 1e+308 is out of range [-90, 90]; " + hint,
            "points/partners.shp:1:1: error: record 5: coordinate nan is not a finite number; "
            "fix or delete the shape in a GIS",
            "points/partners.shp:1:1: error: record 6: coordinate -inf is not a finite number; "
            "fix or delete the shape in a GIS",
        ]
        got = error_lines(se, "points/partners.shp:1:1: error:")
        assert got == want, se
        assert tree_digest(os.path.join(site, "output")) == before


@test
def geometry_point_slug_twice_warns():
    with min_site() as (site, tmp):
        pts = [("a%d" % i, 0.0, 0.0) for i in range(1, 11)]
        pts[2] = ("nairobi-school", 36.8219, -1.2921)
        pts[8] = ("nairobi-school", 39.6682, -4.0435)  # Mombasa
        located_by_points(site, pts)
        se, at = built_coordinates(site)
        assert ("points/partners.shp:1:1: warning: record 3 and record 9 both give "
                "slug 'nairobi-school'; the first is used: correct or remove "
                "record 9 [points-duplicate-slug]") in se.splitlines(), se
        assert at["nairobi-school"] == [36.8219, -1.2921], at["nairobi-school"]


# ---------------------------------------------------------- record locations ---

@test
def geometry_record_location_out_of_range_is_refused():
    """load/fields.c's check, seen from outside: nothing out of range, not
    a number or infinite gets through."""
    cases = [
        ("[95, 10]", 'latitude 95 is out of range [-90, 90]'),
        ("[10, 400]", 'longitude 400 is out of range [-180, 180]'),
        ("[1e308, 10]", 'latitude 1e308 is out of range [-90, 90]'),
        ("[10, -1e308]", 'longitude -1e308 is out of range [-180, 180]'),
        ("[1e999, 10]", 'latitude 1e999 is out of range [-90, 90]'),
        ("[10, -1e999]", 'longitude -1e999 is out of range [-180, 180]'),
        # YAML's special floats are not numbers to partnermap
        ("[.nan, 10]", "latitude '.nan' is no number of degrees: write it in decimal"),
        ("[10, .inf]", "longitude '.inf' is no number of degrees: write it in decimal"),
        ("[-.inf, 10]", "latitude '-.inf' is no number of degrees: write it in decimal"),
    ]
    with min_site() as (site, tmp):
        rels = []
        for i, (loc, _) in enumerate(cases):
            fields = record("KE", "Nairobi", 0, 0)
            fields["location"] = loc
            rels.append(write_record(site, "bad-%d" % i, **fields))
        # JSON front matter: 1e999 overflows to infinity
        with open(os.path.join(site, "content", "institutions", "bad-json.md"), "w") as fh:
            fh.write('{"name": "X", "country": "KE", "city": "Nairobi", '
                     '"location": [1e999, 10], "networks": ["global"], '
                     '"exchanges": ["undergraduate"]}\nA record.\n')
        rc, _, se = run("build", "-C", site)
        assert rc == 1, (rc, se)
        assert ("content/institutions/bad-json.md:1:64: error: latitude 1e999 is out "
                "of range [-90, 90]") in se.splitlines(), se
        for rel, (_, msg) in zip(rels, cases):
            lines = [l for l in se.splitlines() if l.startswith(rel + ":5:")]
            assert any(("error: " + msg) in l for l in lines), (rel, msg, se)
        assert not os.path.exists(os.path.join(site, "output"))


# ------------------------------------------------------------------ Mercator ---

@test
def geometry_mercator_beyond_85_warns_and_clamps():
    with min_site() as (site, tmp):
        set_map_option(site, "projection", "mercator")
        rel = write_record(site, "pole-station", **record("AQ", "South Pole", -89.5, 0))
        rc, _, se = run("build", "-C", site)
        assert rc == 0, se
        want = (rel + ":5:11: warning: latitude -89.5 is beyond the 85 degrees this "
                "projection can show: the marker is drawn at -85, on the map's edge "
                "(the data keep -89.5); to show it where it is, choose a projection "
                "that reaches the poles, such as equal-earth [location-beyond-map]")
        assert want in se.splitlines(), se
        root = ET.parse(os.path.join(site, "output", "map.svg")).getroot()
        marker = [e for e in root.iter(SVG_NS + "a") if e.get("id") == "marker-pole-station"]
        assert marker, "the marker was dropped"
        # drawn on the bottom edge of the map
        vb = [float(v) for v in root.get("viewBox").split()]
        y = float(marker[0].get("data-y"))
        assert abs(y - (vb[1] + vb[3])) < 5, (y, vb)
        # the data keep the real latitude
        gj = json.load(open(os.path.join(site, "output", "partners.geojson"), encoding="utf-8"))
        at = {f["id"]: f["geometry"]["coordinates"] for f in gj["features"]}
        assert at["pole-station"] == [0, -89.5], at["pole-station"]


@test
def geometry_a_projection_of_one_side_of_the_globe_is_refused():
    """With a projection that shows one side of the globe (a PROJ string
    for ortho), the partners on the other side had no marker and the
    rest were drawn outside the map's picture (its viewBox 960 x 189),
    without a word. It is an error at projection:, saying what to
    choose; nothing is written."""
    with min_site() as (site, tmp):
        set_map_option(site, "projection", '"+proj=ortho +lon_0=30 +lat_0=10"')
        rc, _, se = run("build", "-C", site)
        assert rc == 1, se
        line = [i for i, l in enumerate(read(os.path.join(site, "site.yml")).split("\n"))
                if "projection:" in l][0] + 1
        assert ("site.yml:%d:15: error: projection: it cannot place longitude -180, "
                "latitude -85, so it shows no whole world (an orthographic view shows "
                "one side of the globe); partnermap draws a world map: choose "
                "equal-earth, robinson, natural-earth, mercator or equirectangular, or "
                "a PROJ string of a projection of the whole world" % line) in se.splitlines(), se
        assert not os.path.exists(os.path.join(site, "output"))
        # one that places the grid but cannot draw the globe's outline (a
        # sphere of 1e-10 m) was told at the basemap, as a failure to read
        # it (exit 3): it is the projection's error, at projection:
        set_map_option(site, "projection", '"+proj=eqearth +R=1e-10"')
        rc, _, se = run("build", "-C", site)
        assert rc == 1, (rc, se)
        assert ("site.yml:%d:15: error: projection: PROJ cannot draw the outline of "
                "the globe with it; choose equal-earth, robinson, natural-earth, "
                "mercator or equirectangular, or a PROJ string of a projection of the "
                "whole world" % line) in se.splitlines(), se


# ------------------------------------------------------------------ basemaps ---

@test
def geometry_many_holes_basemap_builds():
    """A record of 2,000 islands, each with a lake, through the whole map
    stage (times: make bench-map)."""
    k, side = 2000, 45
    step = 60.0 / side
    rings = []
    for i in range(k):
        x0, y0 = -30 + (i % side) * step, -30 + (i // side) * step
        rings.append(square(x0, y0, step * 0.9))
    for i in range(k):
        x0, y0 = -30 + (i % side) * step, -30 + (i // side) * step
        rings.append(square(x0 + step * 0.3, y0 + step * 0.3, step * 0.3, hole=True))
    with min_site() as (site, tmp):
        map_of_one(site, rings, b"XXA", b"Lakeland")


@test
def geometry_dense_basemap_builds():
    """1,500 squares one inside the other, the partners inside them all, and
    1,500 lakes crowded into one spot: every stage that compares rings or
    segments meets its worst case and must stay within its bounds (times:
    make bench-map)."""
    k = 1500
    d = 80.0 / (k + 1)
    rings = [square(-80 + i * d, -80 + i * d, 160 - 2 * i * d) for i in range(k)]
    rings += [square(-d / 4 + (i % 7) * d / 100, -d / 4, d / 1000, hole=True) for i in range(k)]
    with min_site() as (site, tmp):
        root = map_of_one(site, rings, b"XXN", b"Nested")
        markers = [a for a in root.iter(SVG_NS + "a") if (a.get("id") or "").startswith("marker-")]
        assert len(markers) == 4, len(markers)


@test
def geometry_basemap_over_the_vertex_limit_is_a_content_error():
    n = 1000001
    ring = [(10 * math.cos(-2 * math.pi * i / (n - 1)), 10 * math.sin(-2 * math.pi * i / (n - 1)))
            for i in range(n - 1)]
    ring.append(ring[0])
    with min_site() as (site, tmp):
        own_basemap(site, [([ring], b"BIG", b"Big")])
        assert_says(site, "check", 1,
                    "geodata/own.shp:1:1: error: record 1 has 1000001 vertices, more than "
                    "the 1000000 a record may have: simplify it (for example mapshaper "
                    "-simplify 10%)")


@test
def geometry_basemap_out_of_range_is_a_content_error():
    with min_site() as (site, tmp):
        bad = square(20, 20, 10)
        bad[2] = (400, 30)
        own_basemap(site, [([square(0, 0, 10)], b"AAA", b"Alpha"), ([bad], b"BBB", b"Beta")])
        assert_says(site, "check", 1,
                    "geodata/own.shp:1:1: error: record 2, vertex 3: longitude 400 is out of "
                    "range [-180, 180]; the .prj says WGS 84 longitude/latitude in degrees: "
                    "if the data is in another coordinate system, the .prj must say which")


@test
def geometry_corrupt_basemap_is_an_io_error_and_keeps_output():
    with min_site() as (site, tmp):
        own_basemap(site, [([square(0, 0, 10)], b"AAA", b"Alpha"),
                           ([square(10, 0, 10)], b"BBB", b"Beta")])
        before = built_digest(site)
        # the index sends record 2 past the end of the .shp
        shx = os.path.join(site, "geodata", "own.shx")
        data = bytearray(open(shx, "rb").read())
        data[108:112] = struct.pack(">i", 5000)
        open(shx, "wb").write(bytes(data))
        assert_says(site, "build", 3,
                    "geodata/own.shx:1:1: error: truncated or corrupt shapefile: record 2 "
                    "is said to be at bytes 10000 to 10136 of the .shp, which has 372; "
                    "export the layer again (its .shp, .shx and .dbf together)")
        assert tree_digest(os.path.join(site, "output")) == before


@test
def geometry_ansi_1252_names_and_no_control_characters():
    with min_site() as (site, tmp):
        own_basemap(site, [([square(0, 0, 10)], b"CIV", b"C\xf4te d\x92Ivoire"),
                           ([square(10, 0, 10)], b"BBB", b"Bad\x01Name\x07")],
                    cpg=b"ANSI 1252\r\n")
        rc, _, se = run("build", "-C", site)
        assert rc == 0, se
        assert ('geodata/own.dbf:1:1: warning: record 2: control characters in field '
                '"name" were removed, giving "BadName"; remove them in a GIS '
                '[basemap-name-controls]') \
            in se.splitlines(), se
        svg = open(os.path.join(site, "output", "map.svg"), "rb").read()
        assert "C\u00f4te d\u2019Ivoire".encode() in svg
        assert b"BadName" in svg
        assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", svg)
