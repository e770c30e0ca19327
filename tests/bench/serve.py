#!/usr/bin/env python3
"""partnermap serve benchmark: for each N (default 1000 and 10000), a site
of N institutions (tests/bench/scale.py's), serve started on it, then one
record edited several times; prints the time from each write to the reload
event the pages get, to the edited record's page served after it (what an
editor waits for), how much of it the build took (serve's own "built ...
in X ms" line), and how long the home page takes when it is first asked
for after a save (rendered on request). Asserts nothing; never part of
make test. PARTNERMAP names another binary (to compare with an older one).

    python3 tests/bench/serve.py [N...]
"""
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scale import ROOT, make_site  # noqa: E402

EDITS = 5
WAIT = 1800  # seconds: a first build of 100,000 takes minutes


def lines_of(stream, into, cond):
    for line in stream:
        with cond:
            into.append(line.rstrip("\n"))
            cond.notify_all()


def wait_for(lines, cond, pattern, start=0, timeout=WAIT):
    """The first line at or after index start matching pattern, and its index."""
    end = time.monotonic() + timeout
    with cond:
        while True:
            for i in range(start, len(lines)):
                m = re.search(pattern, lines[i])
                if m:
                    return m, i
            left = end - time.monotonic()
            if left <= 0:
                raise SystemExit("no line %r within %d s" % (pattern, timeout))
            cond.wait(left)


def cpu_ms(pid):
    """The processor time serve has used so far (user and system), in ms:
    on a busy machine the wall-clock figures are mostly waiting."""
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def fetch_ms(port, path):
    """GET path; the milliseconds until its whole body arrived."""
    t0 = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    conn.request("GET", path)
    resp = conn.getresponse()
    resp.read()
    conn.close()
    if resp.status != 200:
        raise SystemExit("GET %s: %d" % (path, resp.status))
    return (time.monotonic() - t0) * 1000


def reload_times(pid, port, record, text, out, cond):
    """(write-to-reload seconds, build ms, processor ms, write-to-page
    seconds, home page ms) for each edit of record."""
    page = "/institutions/%s/" % os.path.basename(record)[:-3]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    conn.request("GET", "/_partnermap/events")
    resp = conn.getresponse()

    def next_event(name):
        event = None
        for raw in iter(resp.readline, b""):
            line = raw.decode("utf-8").rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line == "" and event == name:
                return
        raise SystemExit("the event stream ended")

    next_event("errors")  # the state on connecting
    got = []
    for k in range(EDITS):
        seen = len(out)
        c0 = cpu_ms(pid)
        t0 = time.monotonic()
        with open(record, "w", encoding="utf-8") as fh:
            fh.write(text.replace("name: ", "name: Edit %d " % k, 1))
        next_event("reload")
        dt = time.monotonic() - t0
        fetch_ms(port, page)
        dp = time.monotonic() - t0
        home = fetch_ms(port, "/")
        m, _ = wait_for(out, cond, r"^partnermap: built .* in (\d+) ms$", seen)
        got.append((dt, int(m.group(1)), cpu_ms(pid) - c0, dp, home))
        time.sleep(0.3)
    conn.close()
    return got


def bench(n):
    tool = os.environ.get("PARTNERMAP", os.path.join(ROOT, "partnermap"))
    tmp = tempfile.mkdtemp(prefix="pm-bench-serve-")
    try:
        site = os.path.join(tmp, "site")
        make_site(site, n)
        record = os.path.join(site, "content", "institutions", "school-%06d.md" % (n // 2))
        text = open(record, encoding="utf-8").read()
        out, cond = [], threading.Condition()
        t0 = time.monotonic()
        p = subprocess.Popen([tool, "serve", "-C", site, "--port", "0"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             text=True, env=dict(os.environ, TMPDIR=tmp))
        threading.Thread(target=lines_of, args=(p.stdout, out, cond), daemon=True).start()
        try:
            m, _ = wait_for(out, cond, r"^Serving .* at http://127\.0\.0\.1:(\d+)/")
            first = time.monotonic() - t0
            got = reload_times(p.pid, int(m.group(1)), record, text, out, cond)
        finally:
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=60)
        total = [g[0] * 1000 for g in got]
        build = statistics.median(g[1] for g in got)
        cpu = statistics.median(g[2] for g in got)
        page = [g[3] * 1000 for g in got]
        home = [g[4] for g in got]
        print("N=%-6d first build and start %6.2f s; write to reload: median %5.0f ms "
              "(min %.0f, max %.0f), of which the build %5.0f ms, the rest %3.0f ms; "
              "write to the edited page served: median %5.0f ms (min %.0f, max %.0f); "
              "home page on request: median %5.0f ms; processor time %5.0f ms"
              % (n, first, statistics.median(total), min(total), max(total),
                 build, statistics.median(total) - build, statistics.median(page),
                 min(page), max(page), statistics.median(home), cpu))
        sys.stdout.flush()
    finally:
        shutil.rmtree(tmp)


def main():
    for n in [int(a) for a in sys.argv[1:]] or [1000, 10000]:
        bench(n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
