#!/usr/bin/env python3
"""Seeds for fuzz_shapefile: the basemap and a few small shapefiles, in the
layout the harness reads (see tests/fuzz/fuzz_shapefile.c).

    python3 tests/fuzz/shapefile_seeds.py OUT_DIR [BASEMAP.shp]
"""
import os
import struct
import sys


LIMIT = 65536  # the longest input run.sh lets the fuzzer try


def header(length, shape_type):
    return struct.pack(">7i", 9994, 0, 0, 0, 0, 0, length // 2) + \
        struct.pack("<2i8d", 1000, shape_type, 0, 0, 0, 0, 0, 0, 0, 0)


def shapefile(contents, shape_type):
    """.shp and .shx bytes for record contents (bytes each)."""
    shp, shx = bytearray(), bytearray()
    for i, c in enumerate(contents):
        shx += struct.pack(">2i", (100 + len(shp)) // 2, len(c) // 2)
        shp += struct.pack(">2i", i + 1, len(c) // 2) + c
    return header(100 + len(shp), shape_type) + shp, header(100 + len(shx), shape_type) + shx


def polygon(rings):
    pts = [p for r in rings for p in r]
    starts, n = [], 0
    for r in rings:
        starts.append(n)
        n += len(r)
    c = struct.pack("<i4d2i", 5, 0, 0, 0, 0, len(rings), len(pts))
    c += struct.pack("<%di" % len(starts), *starts)
    return c + b"".join(struct.pack("<2d", x, y) for x, y in pts)


def point(x, y):
    return struct.pack("<i2d", 1, x, y)


def square(x0, y0, s, hole=False):
    r = [(x0, y0), (x0, y0 + s), (x0 + s, y0 + s), (x0 + s, y0), (x0, y0)]
    return r[::-1] if hole else r


def dbf(rows):
    """One record per row: iso_a3 (3), name (10), slug (10)."""
    fields = ((b"iso_a3", 3), (b"name", 10), (b"slug", 10))
    out = bytearray(struct.pack("<4BIHH20x", 3, 126, 1, 1, len(rows), 32 + 96 + 1, 24))
    for name, w in fields:
        out += struct.pack("<11sc4xBB14x", name, b"C", w, 0)
    out += b"\r"
    for row in rows:
        out += b" " + b"".join(v.ljust(w)[:w] for v, (_, w) in zip(row, fields))
    return bytes(out + b"\x1a")


def packed(mode, shp, shx=b"", dbf_bytes=b"", cpg=None):
    pre = bytes([mode]) + (bytes([cpg]) if cpg is not None else b"")
    if mode & 1:
        return pre + shp
    return pre + struct.pack("<2I", len(shp), len(shx)) + shp + shx + dbf_bytes


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    seeds = {}
    two = [polygon([square(0, 0, 10)]), polygon([square(10, 0, 10)])]
    holes = [polygon([square(0, 0, 10), square(20, 0, 10), square(2, 2, 3, True),
                      square(22, 2, 3, True)])]
    pts = [point(32.58, 0.35), point(-0.13, 51.5), point(0, 0)]
    rows = [(b"AAA", b"Alpha", b"a"), (b"BBB", b"B\xe9ta", b"b"), (b"CCC", b"C\x92", b"a")]
    for name, contents, kind in (("two", two, 5), ("holes", holes, 5), ("points", pts, 1)):
        shp, shx = shapefile(contents, kind)
        mode = 2 if kind == 1 else 0
        seeds[name] = packed(mode, shp, shx, dbf(rows[:len(contents)]))
        seeds[name + "-made"] = packed(mode | 1, shp)
        seeds[name + "-cpg"] = packed(mode | 4, shp, shx, dbf(rows[:len(contents)]), cpg=1)
    if len(sys.argv) > 2:
        base = sys.argv[2][:-4]
        files = {}
        for ext in ("shp", "shx", "dbf"):
            with open(base + "." + ext, "rb") as fh:
                files[ext] = fh.read()
        # the basemap's first records, as many as fit in LIMIT bytes
        shp = files["shp"]
        end = 100
        while end + 8 <= len(shp):
            size = 8 + 2 * struct.unpack(">i", shp[end + 4:end + 8])[0]
            if end + size > LIMIT - 64:
                break
            end += size
        seeds["basemap-made"] = packed(1, shp[:end])
    for name, data in seeds.items():
        with open(os.path.join(out, "seed-" + name), "wb") as fh:
            fh.write(data)


if __name__ == "__main__":
    main()
