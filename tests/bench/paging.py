#!/usr/bin/env python3
"""Listing pages at scale: a site of N institutions (scale.py's), built
once; then the heaviest network, country and elective page, raw and
gzipped, the number of such pages, and the build's time and memory.
Prints figures; asserts nothing.

    python3 tests/bench/paging.py [N ...]
    PARTNERMAP=path/to/partnermap python3 tests/bench/paging.py 10000
"""
import glob
import gzip
import os
import shutil
import sys
import tempfile

from scale import ROOT, make_site, measure

KINDS = ("networks", "countries", "electives")


def heaviest(out, kind):
    """(pages, path, raw bytes, gzipped bytes) of the largest page of a
    kind, its later pages included."""
    pages = glob.glob(os.path.join(out, kind, "*", "index.html")) + \
        glob.glob(os.path.join(out, kind, "*", "page", "*", "index.html"))
    sizes = [(os.path.getsize(p), p) for p in pages]
    raw, path = max(sizes)
    with open(path, "rb") as fh:
        gz = len(gzip.compress(fh.read(), 9))
    return len(pages), os.path.relpath(path, out), raw, gz


def main():
    tool = os.environ.get("PARTNERMAP", os.path.join(ROOT, "partnermap"))
    scratch = "/dev/shm" if os.path.isdir("/dev/shm") else None
    for n in [int(a) for a in sys.argv[1:]] or [10000]:
        tmp = tempfile.mkdtemp(prefix="pm-paging-", dir=scratch)
        try:
            site, out = os.path.join(tmp, "site"), os.path.join(tmp, "out")
            make_site(site, n)
            m = measure([tool, "build", "-q", "-C", site, "-o", out])
            print("N=%d: build %.1f s wall, %.1f s CPU, %.0f MiB peak (exit %d)"
                  % (n, m["wall"], m["cpu"], m["rss"] / 1024, m["rc"]))
            for kind in KINDS:
                pages, path, raw, gz = heaviest(out, kind)
                print("  %-9s %6d pages; heaviest %s: %.1f KB, %.1f KB gzipped"
                      % (kind, pages, path, raw / 1024, gz / 1024))
        finally:
            shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
