#!/usr/bin/env python3
"""partnermap against Hugo: the same N generated institutions (scale.py's
records, the same front matter) built by each tool in turn, REPS times
interleaved, output on tmpfs when /dev/shm exists. Prints the median wall
time, CPU time (user + system) and peak resident memory of each, their
ratios (partnermap / Hugo), and the bytes and files each wrote. Prints
figures; asserts nothing.

    python3 tests/bench/hugo.py [N] [REPS]

The Hugo site is tests/bench/hugo/ (see its README.md). PARTNERMAP in the
environment names another partnermap binary to measure.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

from scale import ROOT, institution_texts, make_site, measure

HUGO_THEME = os.path.join(ROOT, "tests", "bench", "hugo")


def front_matter(path):
    """The YAML front matter of a Markdown file as text, and its body."""
    text = open(path, encoding="utf-8").read()
    _, fm, body = text.split("---\n", 2)
    return fm, body


def make_hugo_site(site, n):
    """The Hugo side: the same records, networks and pages as make_site."""
    shutil.copy(os.path.join(HUGO_THEME, "hugo.toml"), site)
    shutil.copytree(os.path.join(HUGO_THEME, "layouts"), os.path.join(site, "layouts"))
    content = os.path.join(site, "content")
    inst = os.path.join(content, "institutions")
    os.makedirs(inst)
    for name, t in institution_texts(n):
        with open(os.path.join(inst, name), "w", encoding="utf-8") as fh:
            fh.write(t)
    shutil.copytree(os.path.join(ROOT, "content", "pages"), os.path.join(content, "pages"))
    # a network's description is its term page's content
    nets = os.path.join(ROOT, "content", "networks")
    for f in sorted(os.listdir(nets)):
        fm, body = front_matter(os.path.join(nets, f))
        name = next(l.split(":", 1)[1].strip() for l in fm.splitlines() if l.startswith("name:"))
        d = os.path.join(content, "networks", f[:-3])
        os.makedirs(d)
        with open(os.path.join(d, "_index.md"), "w", encoding="utf-8") as fh:
            fh.write("---\ntitle: %s\n%s---\n%s" % (json.dumps(name), fm, body))
    # country names, from the iso-codes partnermap reads
    iso = json.load(open("/usr/share/iso-codes/json/iso_3166-1.json", encoding="utf-8"))
    names = {c["alpha_2"]: c.get("common_name", c["name"]) for c in iso["3166-1"]}
    os.makedirs(os.path.join(site, "data"))
    with open(os.path.join(site, "data", "countries.json"), "w", encoding="utf-8") as fh:
        json.dump(names, fh)


def tree_size(path):
    files = size = 0
    for dp, _, fs in os.walk(path):
        for f in fs:
            files += 1
            size += os.path.getsize(os.path.join(dp, f))
    return files, size


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    tool = os.environ.get("PARTNERMAP", os.path.join(ROOT, "partnermap"))
    base = "/dev/shm" if os.path.isdir("/dev/shm") else None
    tmp = tempfile.mkdtemp(prefix="pm-hugo-", dir=base)
    try:
        pm_site = os.path.join(tmp, "pm")
        hugo_site = os.path.join(tmp, "hugo")
        make_site(pm_site, n)
        os.makedirs(hugo_site)
        make_hugo_site(hugo_site, n)
        out = {"partnermap": os.path.join(tmp, "pm-out"), "hugo": os.path.join(tmp, "hugo-out")}
        cmds = {
            "partnermap": [tool, "build", "-q", "-C", pm_site, "-o", out["partnermap"]],
            "hugo": ["hugo", "--quiet", "-s", hugo_site, "-d", out["hugo"],
                     "--cacheDir", os.path.join(tmp, "hugo-cache")],
        }
        runs = {k: [] for k in cmds}
        print("site: %d institutions, %d runs each, output in %s" % (n, reps, base or "the temporary folder"))
        for rep in range(reps):
            for name, cmd in cmds.items():
                shutil.rmtree(out[name], ignore_errors=True)
                m = measure(cmd)
                if m["rc"] != 0:
                    print("%s failed (exit %d):\n%s" % (name, m["rc"], m["stderr"][-2000:]))
                    return 1
                runs[name].append(m)
        med = {k: {f: statistics.median(r[f] for r in v) for f in ("wall", "cpu", "rss")}
               for k, v in runs.items()}
        print("%-12s %10s %10s %12s %8s %12s" % ("", "wall s", "CPU s", "peak MiB", "files", "output MB"))
        for name in cmds:
            files, size = tree_size(out[name])
            m = med[name]
            print("%-12s %10.2f %10.2f %12.1f %8d %12.1f" %
                  (name, m["wall"], m["cpu"], m["rss"] / 1024, files, size / 1e6))
        p, h = med["partnermap"], med["hugo"]
        print("%-12s %10.3f %10.3f %12.3f" % ("ratio", p["wall"] / h["wall"], p["cpu"] / h["cpu"],
                                              p["rss"] / h["rss"]))
    finally:
        shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
