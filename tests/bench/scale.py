#!/usr/bin/env python3
"""Scale benchmark: a site of N institutions (default 100,000), made by
copying the example records with new slugs and coordinates moved a little
(kept inside their country where the original was), then timed through
`partnermap check` and `partnermap build`. Prints figures; asserts nothing.
Several sizes give one site each, measured in turn, and a last line per
size, so that growth can be read at a glance (linear: the bytes per
institution stay about the same).

    python3 tests/bench/scale.py [N...]
    TRANSLATED=1 python3 tests/bench/scale.py [N...]   the site in English
        and French, each record with a translation file (<slug>.fr.md):
        twice the pages, and N more files to read
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def institution_texts(n):
    """The N generated records, in order: (file name, text). Each is an
    example record (YAML front matter) with a new name and its location
    nudged about 1 km, deterministically."""
    # records only: a translation (<slug>.<lang>.md) is not one
    sources = sorted(p for p in glob.glob(os.path.join(ROOT, "content", "institutions", "*.md"))
                     if os.path.basename(p).count(".") == 1)
    texts = [open(p, encoding="utf-8").read() for p in sources]
    yaml_texts = [t for t in texts if t.startswith("---")]
    for i in range(n):
        t = yaml_texts[i % len(yaml_texts)]
        nudge = ((i * 7919) % 21 - 10) * 0.001
        t = re.sub(r"location: \[([-0-9.]+), ([-0-9.]+)\]",
                   lambda m: "location: [%.4f, %.4f]" % (float(m.group(1)) + nudge,
                                                         float(m.group(2)) - nudge), t)
        t = re.sub(r"(?m)^name: (.*)$", lambda m: "name: %s %d" % (m.group(1), i), t, count=1)
        yield "school-%06d.md" % i, t


def make_site(site, n):
    """A partnermap site folder at `site` (created) with N institutions,
    the example's networks, pages, basemap and theme."""
    os.makedirs(os.path.join(site, "content", "institutions"))
    # one language, as the measurements before several languages were:
    # the example's languages: [en, fr] would build every page twice
    with open(os.path.join(ROOT, "site.yml"), encoding="utf-8") as fh:
        yml = re.sub(r"(?m)^languages:.*$", "language: en", fh.read())
    with open(os.path.join(site, "site.yml"), "w", encoding="utf-8") as fh:
        fh.write(yml)
    # and so without the translations (<slug>.<lang>.md)
    translations = lambda folder, names: [n for n in names if n.count(".") > 1]
    for d in ("networks", "pages"):
        shutil.copytree(os.path.join(ROOT, "content", d), os.path.join(site, "content", d),
                        ignore=translations)
    # copied, not linked: a build reads nothing outside its site folder
    for d in ("geodata", "themes"):
        shutil.copytree(os.path.join(ROOT, d), os.path.join(site, d))
    out_dir = os.path.join(site, "content", "institutions")
    translated = os.environ.get("TRANSLATED") == "1"
    for name, t in institution_texts(n):
        with open(os.path.join(out_dir, name), "w", encoding="utf-8") as fh:
            fh.write(t)
        if translated:
            with open(os.path.join(out_dir, name[:-3] + ".fr.md"), "w",
                      encoding="utf-8") as fh:
                fh.write("---\nname: École %s\n---\nUn texte.\n" % name[:-3])
    if translated:
        with open(os.path.join(site, "site.yml"), encoding="utf-8") as fh:
            yml = re.sub(r"(?m)^language: en$", "languages: [en, fr]", fh.read())
        with open(os.path.join(site, "site.yml"), "w", encoding="utf-8") as fh:
            fh.write(yml)


def measure(cmd):
    """Run cmd alone and wait for it: its exit code, stderr, wall time (s),
    CPU time (user + system, s) and peak resident set (KiB), from wait4's
    resource usage of that one child."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return {"rc": p.returncode, "stderr": err.decode("utf-8", "replace"),
            "wall": time.monotonic() - t0, "cpu": ru.ru_utime + ru.ru_stime,
            "rss": ru.ru_maxrss}


def bench(n, tool):
    """Check and build a site of n institutions: None when a command
    failed, else the build's peak resident set (KiB) and CPU time (s)."""
    tmp = tempfile.mkdtemp(prefix="pm-scale-")
    try:
        site = os.path.join(tmp, "site")
        make_site(site, n)
        print("site: %d institutions" % n)
        for args in (["check"], ["build", "-q"]):
            m = measure([tool, *args, "-C", site])
            warnings = m["stderr"].count(": warning: ")
            print("partnermap %-6s %7.2f s wall %7.2f s CPU %7.1f MiB peak  (exit %d, %d warnings)"
                  % (args[0], m["wall"], m["cpu"], m["rss"] / 1024, m["rc"], warnings))
            if m["rc"] != 0:
                print(m["stderr"][-2000:])
                return None
        out = os.path.join(site, "output")
        size = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(out) for f in fs)
        files = sum(len(fs) for _, _, fs in os.walk(out))
        print("output: %d files, %.1f MB" % (files, size / 1e6))
        home = os.path.getsize(os.path.join(out, "index.html"))
        print("home page: %.1f MB" % (home / 1e6))
        print("peak memory per institution: %.0f bytes (build)" % (m["rss"] * 1024 / max(n, 1)))
        return m["rss"], m["cpu"]
    finally:
        shutil.rmtree(tmp)


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [100000]
    tool = os.environ.get("PARTNERMAP", os.path.join(ROOT, "partnermap"))
    rows = []
    for n in sizes:
        got = bench(n, tool)
        if got is None:
            return 1
        rows.append((n, *got))
    if len(rows) > 1:
        print("%10s %10s %10s %12s" % ("records", "peak MiB", "CPU s", "bytes/inst"))
        for n, rss, cpu in rows:
            print("%10d %10.1f %10.2f %12.0f" % (n, rss / 1024, cpu, rss * 1024 / max(n, 1)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
