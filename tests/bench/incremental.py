#!/usr/bin/env python3
"""Incremental build benchmark: for each N, a site of N institutions (the
records of scale.py) is built for the first time (no output folder, no
files beside it), built clean (--clean over the last output, which it
removes), rebuilt with nothing changed, then after one record's body
changed, then after that record's city changed (a field the listings
show). Each but the first is run RUNS times (default 3; the edits append
again, and the city is changed again) and the median is given. Prints the
wall and CPU times, the files each rebuild wrote, and each one-edit
rebuild as a share of the first build and of the clean one. Asserts
nothing.

    python3 tests/bench/incremental.py [N ...]     (default: 1000 10000)
    PARTNERMAP=path/to/partnermap RUNS=5 python3 tests/bench/incremental.py 10000

The rebuilds follow the clean builds at once, so the output's folders are
not yet "settled" (unchanged for 2 s, generator/publish/update.h) and each
is looked at afresh: the slowest case. SETTLE=1 waits until they are, and
builds once more (not timed) before the rebuilds, as an editor's next
build finds the output some seconds after the last.
"""
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scale import ROOT, make_site  # noqa: E402

TOOL = os.environ.get("PARTNERMAP", os.path.join(ROOT, "partnermap"))
RUNS = int(os.environ.get("RUNS", "3"))
SETTLE = os.environ.get("SETTLE") == "1"
SETTLE_S = 2.5  # UPD_SETTLE_S, and a margin


def snapshot(out):
    """{relative path: (inode, mtime_ns)} of every file below out."""
    got = {}
    for dp, _, fs in os.walk(out):
        for f in fs:
            st = os.lstat(os.path.join(dp, f))
            got[os.path.relpath(os.path.join(dp, f), out)] = (st.st_ino, st.st_mtime_ns)
    return got


def cpu_seconds():
    """User + system time of the finished child processes so far."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def timed_build(site, *extra):
    """Build site: (wall seconds, CPU seconds, files written, files)."""
    before = snapshot(os.path.join(site, "output"))
    t0, c0 = time.monotonic(), cpu_seconds()
    p = subprocess.run([TOOL, "build", "-q", "-C", site, *extra], capture_output=True, text=True)
    dt, cpu = time.monotonic() - t0, cpu_seconds() - c0
    if p.returncode != 0:
        sys.exit("build failed (exit %d):\n%s" % (p.returncode, p.stderr[-2000:]))
    after = snapshot(os.path.join(site, "output"))
    written = sum(1 for k, v in after.items() if before.get(k) != v)
    return dt, cpu, written, len(after)


def bench(n):
    tmp = tempfile.mkdtemp(prefix="pm-incr-bench-")
    try:
        site = os.path.join(tmp, "site")
        make_site(site, n)
        first = timed_build(site)  # and it makes output/
        rec = os.path.join(site, "content", "institutions", "school-%06d.md" % (n // 2))

        def edit_body():
            with open(rec, "a", encoding="utf-8") as fh:
                fh.write("\nOne more sentence for the benchmark.\n")

        def edit_city():
            with open(rec, encoding="utf-8") as fh:
                text = fh.read()
            with open(rec, "w", encoding="utf-8") as fh:
                fh.write(re.sub(r"\ncity: ([^\n]*)", r"\ncity: \1 Centre", text, count=1))

        def median_of(edit, *extra):
            got = []
            for _ in range(RUNS):
                edit()
                got.append(timed_build(site, *extra))
            got.sort(key=lambda t: t[0])
            return got[len(got) // 2]

        clean = median_of(lambda: None, "--clean")
        if SETTLE:
            time.sleep(SETTLE_S)
            timed_build(site)  # records the settled folders
            time.sleep(SETTLE_S)
        same = median_of(lambda: None)
        body = median_of(edit_body)
        city = median_of(edit_city)
        print("N=%d: %d files (medians of %d runs: wall time; CPU time, user + system)%s"
              % (n, clean[3], RUNS, "; folders settled" if SETTLE else ""))
        runs = (("first build", first), ("clean build", clean), ("no-change rebuild", same),
                ("body-edit rebuild", body), ("city-edit rebuild", city))
        for name, t in runs:
            print("  %-20s %7.2f s  %7.2f s CPU  (%d files written)" % (name, t[0], t[1], t[2]))
        for name, t in runs[3:]:
            for base, b in (("first", first), ("clean", clean)):
                print("  %-20s %7.1f %% wall, %.1f %% CPU of the %s build" % (
                    name.replace(" rebuild", ""), 100.0 * t[0] / b[0],
                    100.0 * t[1] / b[1], base))
    finally:
        shutil.rmtree(tmp)


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    for n in sizes:
        bench(n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
