"""The golden-output suite keeps the text of one page of each kind and a
digest of every file: a byte changed in any file the build writes, kept as
text or not, must still fail it. Each case runs tests/regress/run.sh with a
partnermap that builds as usual and then alters one byte of one file."""
import os
import stat
import subprocess
import tempfile

from e2e import test, ROOT, TOOL

EXPECTED = "tests/regress/expected"
MEANT = "(if the change is meant, run `make regress-update`)"

# The wrapper builds with the real binary, then changes the first FROM in
# the output file PATCH into TO (one byte: the two differ in their last).
WRAPPER = """#!/bin/sh
"$PM_REAL" "$@"
rc=$?
out=
prev=
for a in "$@"; do
	[ "$prev" = -o ] && out=$a
	prev=$a
done
if [ -n "$out" ] && [ -f "$out/$PM_PATCH" ]; then
	sed -i "s|$PM_FROM|$PM_TO|" "$out/$PM_PATCH"
fi
exit $rc
"""


def regress_with_patch(patch, old, new):
    """Run the suite with one byte of output file PATCH altered (the first
    OLD made NEW); returns its exit code and its lines."""
    with tempfile.TemporaryDirectory(prefix="pm-regress-patch-") as tmp:
        wrapper = os.path.join(tmp, "partnermap")
        with open(wrapper, "w") as fh:
            fh.write(WRAPPER)
        os.chmod(wrapper, stat.S_IRWXU)
        env = dict(os.environ, PARTNERMAP=wrapper, PM_REAL=TOOL,
                   PM_PATCH=patch, PM_FROM=old, PM_TO=new)
        p = subprocess.run(["sh", os.path.join(ROOT, "tests", "regress", "run.sh")],
                           capture_output=True, text=True, env=env)
        return p.returncode, p.stdout.splitlines()


def assert_one_failure(patch, old, new, message, diff_line=None):
    rc, lines = regress_with_patch(patch, old, new)
    fails = [l for l in lines if l.startswith("FAIL ")]
    assert rc == 1, (rc, lines)
    assert fails == ["FAIL %s: %s" % (patch, message)], fails
    with open(os.path.join(ROOT, EXPECTED, "digests.txt")) as fh:
        files = len(fh.readlines()) + 2  # and messages.txt, files.txt
    assert lines[-1] == "%d passed, 1 failed" % (files - 1), lines[-1]
    if diff_line is not None:
        assert diff_line in lines, lines


@test
def regress_digest_catches_a_page_kept_by_digest_alone():
    assert_one_failure(
        "countries/cm/index.html", "Cameroon<", "Cameroom<",
        "differs from its digest in %s/digests.txt (only the digest is kept:"
        " compare the page with one of its kind in %s/main) %s"
        % (EXPECTED, EXPECTED, MEANT))


@test
def regress_digest_catches_the_layout_of_a_page_kept_as_its_main():
    assert_one_failure(
        "about/index.html", "Open data:", "Open data;",
        "the page around its <main> element (head, header or footer) differs"
        " from its digest in %s/digests.txt; %s/output/index.html shows that"
        " layout %s" % (EXPECTED, EXPECTED, MEANT))


@test
def regress_diff_shows_the_main_of_a_page_kept_as_its_main():
    assert_one_failure(
        "about/index.html", "research placements", "research placementz",
        "differs from %s/main/about/index.html %s" % (EXPECTED, MEANT),
        "+research placementz.</p>")


@test
def regress_diff_shows_a_file_kept_whole():
    assert_one_failure(
        "partners.csv", "Chiang Mai,TH", "Chiang Mai,TI",
        "differs from %s/output/partners.csv %s" % (EXPECTED, MEANT))
