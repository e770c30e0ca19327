"""The benchmark's Hugo site (tests/bench/hugo/) must keep building the
records the benchmark generates: they are copies of the example's, and
when the example's front matter changes shape (elective offers became
mappings), a template written for the old shape fails and `make
bench-hugo` prints no figures. Builds a small generated site with Hugo and
checks every institution's page and what it shows of its offers."""
import glob
from html import unescape
import os
import re
import shutil
import subprocess
import sys
import tempfile

from e2e import test, ROOT

sys.path.insert(0, os.path.join(ROOT, "tests", "bench"))
import hugo as hugo_bench  # noqa: E402  (the benchmark's Hugo side)
import scale  # noqa: E402


@test
def bench_hugo_theme_builds_the_generated_records():
    n = 40
    tmp = tempfile.mkdtemp(prefix="pm-e2e-hugo-")
    try:
        site = os.path.join(tmp, "hugo")
        os.makedirs(site)
        hugo_bench.make_hugo_site(site, n)
        out = os.path.join(tmp, "out")
        p = subprocess.run(["hugo", "--quiet", "-s", site, "-d", out,
                            "--cacheDir", os.path.join(tmp, "cache")],
                           capture_output=True, text=True)
        assert p.returncode == 0, p.stderr[-2000:]
        pages = glob.glob(os.path.join(out, "institutions", "*", "index.html"))
        assert len(pages) == n, len(pages)
        offers = 0
        for name, text in scale.institution_texts(n):
            page = os.path.join(out, "institutions", name[:-3], "index.html")
            html = open(page, encoding="utf-8").read()
            title = re.search(r"^name: (.*)$", text, re.M).group(1).strip().strip('"')
            h1 = re.search(r"<h1>(.*?)</h1>", html).group(1)
            assert unescape(h1) == title, (page, h1, title)
            # every offer of the record is on its page, by type
            types = re.findall(r"^  - type: (\w+)$", text, re.M)
            shown = re.findall(r'<section class="offer"><h3>(\w+)</h3>', html)
            assert [t.lower() for t in shown] == types, (page, shown, types)
            offers += len(types)
        assert offers > 0, "the generated records have no offers to show"
    finally:
        shutil.rmtree(tmp)
