"""Rendering on threads: every kind of file (institution, network, country,
elective and free pages, the home page, map.svg, 404.html and the exports)
is a job of one queue shared by the -j threads, so the output and the
messages never depend on how many there are."""
import os
import shutil
import sys
import subprocess
import tempfile

from e2e import test, run, min_site, tree_digest, ROOT, TOOL

sys.path.insert(0, os.path.join(ROOT, "tests", "bench"))
import scale  # noqa: E402  (the benchmark's generated site)

JOBS = ("1", "2", "4")


def digests_by_jobs(site, tmp, *extra):
    """Build site once per number of threads: {jobs: tree digest}."""
    out = {}
    for j in JOBS:
        dest = os.path.join(tmp, "out-j" + j)
        rc, _, se = run("build", "-q", "-C", site, "-o", dest, "-j", j, *extra)
        assert rc == 0, (j, se)
        out[j] = tree_digest(dest)
        shutil.rmtree(dest)
    return out


def assert_all_same(by_jobs):
    first = by_jobs[JOBS[0]]
    for j in JOBS[1:]:
        other = by_jobs[j]
        diff = sorted(k for k in set(first) | set(other) if first.get(k) != other.get(k))
        assert not diff, ("-j 1 and -j %s differ" % j, diff[:10])


@test
def parallel_example_is_byte_identical_at_any_jobs():
    tmp = tempfile.mkdtemp(prefix="pm-e2e-")
    try:
        by_jobs = digests_by_jobs(ROOT, tmp)
        assert_all_same(by_jobs)
        files = by_jobs["1"]
        # every kind of job wrote its file
        for rel in ("index.html", "map.svg", "404.html", "partners.geojson",
                    "partners.csv", "sitemap.xml", "feed.xml",
                    "networks/global/index.html", "countries/ug/index.html",
                    "electives/clinical/index.html",
                    "electives/clinical/partners.csv", "about/index.html",
                    "institutions/makerere-university/index.html"):
            assert rel in files, rel
    finally:
        shutil.rmtree(tmp)


@test
def parallel_generated_site_is_byte_identical_at_any_jobs():
    tmp = tempfile.mkdtemp(prefix="pm-e2e-")
    try:
        site = os.path.join(tmp, "site")
        scale.make_site(site, 500)
        by_jobs = digests_by_jobs(site, tmp, "--clean")
        assert_all_same(by_jobs)
        pages = [k for k in by_jobs["1"] if k.startswith("institutions/school-")]
        assert len(pages) == 500, len(pages)
    finally:
        shutil.rmtree(tmp)


# a recursion over data that never ends ({{#site}} is found at every
# level): only the render can stop it
LOOP = ("themes/default/templates/%s.mustache:1:10: error: {{>%s}} nests "
        "partials, parents or blocks more than 100 deep: does a template "
        "include itself without end? Make the recursion stop with a section "
        "over data that ends, or remove it; %s was not written")
# the first network page a one-thread build renders
FIRST_NETWORK = "networks/africa/index.html"


def loop_of(line, loop, folder):
    """Whether line is LOOP's message for loop at a page below folder."""
    head = LOOP.rsplit("; ", 1)[0] % (loop, loop) + "; " + folder
    return line.startswith(head) and line.endswith("/index.html was not written")


def endless_loops(site, pages):
    """Make each (page, loop) of pages start page.mustache with {{>loop}},
    a partial that includes itself over data that never ends, in the
    site's own copy of the theme."""
    templates = os.path.join(site, "themes", "default", "templates")
    for page, loop in pages:
        with open(os.path.join(templates, loop + ".mustache"), "w") as fh:
            fh.write("{{#site}}{{>%s}}{{/site}}\n" % loop)
        path = os.path.join(templates, page + ".mustache")
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("{{>%s}}" % loop + text)


@test
def parallel_failing_pages_report_in_page_order_at_any_jobs():
    """Network and country pages that cannot render: whatever the threads,
    the first message is about the first kind of page a one-thread build
    renders (networks come before countries), each message is given once,
    and nothing is published."""
    with min_site() as (site, tmp):
        endless_loops(site, (("network", "loop_n"), ("country", "loop_c")))
        said = {}
        for j in JOBS:
            out = os.path.join(tmp, "out-j" + j)
            rc, _, se = run("build", "-q", "-C", site, "-o", out, "-j", j)
            lines = se.splitlines()
            assert rc == 1, (j, rc, se)
            assert lines[0] == LOOP % ("loop_n", "loop_n", FIRST_NETWORK), (j, se)
            assert len(set(lines)) == len(lines), (j, se)
            assert all(loop_of(l, "loop_c", "countries/") for l in lines[1:-2]), (j, se)
            assert lines[-2] in ("1 error, 0 warnings", "2 errors, 0 warnings"), (j, se)
            assert lines[-1] == "partnermap: nothing was written; fix the errors above", \
                (j, se)
            assert not os.path.exists(out), j
            said[j] = se
        # the same words at any -j: a page after the first that failed
        # says nothing, though a thread of its own rendered it
        assert all(se == said["1"] for se in said.values()), said


@test
def parallel_a_failed_page_says_the_same_at_any_jobs():
    """A network page (a large file, taken early) and every institution
    page (small, taken by the other threads meanwhile) that cannot render:
    a one-thread build stops at the network page, while with more threads
    institution pages failed at the same time and were reported too. The
    messages are now -j 1's at any -j."""
    with min_site() as (site, tmp):
        endless_loops(site, (("network", "loop_n"), ("institution", "loop_i")))
        said = {}
        for j in JOBS:
            for k in range(3):
                rc, _, se = run("build", "-q", "-C", site, "-o",
                                os.path.join(tmp, "out"), "-j", j)
                assert rc == 1, (j, rc, se)
                said[j, k] = se
        assert said["1", 0].splitlines() == [
            LOOP % ("loop_n", "loop_n", FIRST_NETWORK), "1 error, 0 warnings",
            "partnermap: nothing was written; fix the errors above"], said["1", 0]
        assert all(se == said["1", 0] for se in said.values()), said


@test
def parallel_site_past_the_byte_cap_always_says_so():
    """Past the most a build writes, every -j build fails with the error.
    The first write past it told the error once, to its own job; a job of
    an earlier turn refused after it failed silently and, being earlier,
    was the failure kept, so the error was dropped and the build exited 0
    with nothing written, about one run in two at -j 8."""
    tmp = tempfile.mkdtemp(prefix="pm-e2e-")
    try:
        site = os.path.join(tmp, "site")
        scale.make_site(site, 300)
        dest = os.path.join(tmp, "out")
        rc, _, se = run("build", "-q", "-C", site, "-o", dest)
        assert rc == 0, se
        total = sum(os.path.getsize(os.path.join(d, f))
                    for d, _, fs in os.walk(dest) for f in fs)
        before = tree_digest(dest)
        env = dict(os.environ, PARTNERMAP_TEST_MAX_SITE_BYTES=str(total // 3))
        for k in range(12):
            p = subprocess.run([TOOL, "build", "-C", site, "-o", dest, "--clean",
                                "-j", "8"], env=env, capture_output=True,
                               text=True, timeout=120)
            said = [l for l in p.stderr.splitlines()
                    if "the site would be larger than" in l]
            assert p.returncode == 1, (k, p.returncode, p.stdout, p.stderr)
            assert len(said) == 1, (k, p.stderr)
            assert "nothing was written; fix the errors above" in p.stderr
            assert "built" not in p.stdout, p.stdout
        assert tree_digest(dest) == before
    finally:
        shutil.rmtree(tmp)
