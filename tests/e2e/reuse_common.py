"""Helpers of the suites about pages kept from the last build
(suite_reuse*.py): build in place, compare with a clean build, and see
which files a build wrote."""
import os
import re
import shutil
import zlib

from e2e import run, tree_digest


def build(site, *args):
    """Build site (in place unless args say otherwise): the number of
    pages kept from the last build, as the summary line gives it."""
    rc, so, se = run("build", "-C", site, *args)
    assert rc == 0, "build %s failed (%d):\n%s%s" % (" ".join(args), rc, so, se)
    m = re.search(r"\((\d+) pages? kept from the last build\)", so + se)
    return int(m.group(1)) if m else 0


def seal(text):
    """A manifest's text with its CRC line (generator/publish/reuse.c,
    MANIFEST_CRC_LEN) made right for what it says now, as the build that
    wrote it would have: a forgery the CRC does not tell from a true
    manifest, for the checks behind the CRC to catch."""
    body = text[:text.rindex("crc ")]
    return body + "crc %08x\nend\n" % zlib.crc32(body.encode())


def assert_like_clean(site, tmp, why=""):
    """site's output/ holds exactly the files of a --clean build."""
    twin = os.path.join(tmp, "clean")
    shutil.rmtree(twin, ignore_errors=True)
    build(site, "--clean", "-o", twin)
    got, want = tree_digest(os.path.join(site, "output")), tree_digest(twin)
    bad = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
    assert not bad, "%sfiles differ from the clean build: %s" % (why, bad[:20])


def written(site, *args):
    """Build site in place: (pages kept, the sorted files written, made
    or removed), a file's identity being its inode and modification
    time."""
    out = os.path.join(site, "output")

    def ids():
        paths = (os.path.join(dp, f) for dp, _, fs in os.walk(out) for f in fs)
        return {os.path.relpath(p, out): (s.st_ino, s.st_mtime_ns)
                for p, s in ((p, os.lstat(p)) for p in paths)}
    before = ids()
    kept = build(site, *args)
    after = ids()
    return kept, sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
