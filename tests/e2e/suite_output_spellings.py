"""One output folder, however -o spells it, keeps one manifest and one
record cache beside it (generator/publish/reuse.h, load/reccache.h), and one lock
(publish/stage.h): never
inside the folder, never missing; and
build's last line says how many pages it kept from the last build."""
import os
import re

from e2e import test, run, min_site

MANIFEST = ".pub.partnermap-manifest"
CACHE = ".pub.partnermap-cache"
LOCK = ".pub.partnermap-lock"
PIECES = ".pub.partnermap-pieces"
MAP = ".pub.partnermap-map"
MARKER = ".partnermap-output"
KEPT = re.compile(r" KB in (.*) \((\d+) pages? kept from the last build\)\n")


def build(site, out, cwd):
    rc, so, se = run("build", "-C", site, "-o", out, cwd=cwd)
    assert rc == 0, "build -o %s failed (%d):\n%s%s" % (out, rc, so, se)
    return so


def assert_beside_only(tmp, pub, out):
    """The manifest, the record cache, the map's and the lock a build takes beside
    pub; nothing hidden inside but the marker."""
    assert sorted(os.listdir(tmp)) == [CACHE, LOCK, MANIFEST, MAP, PIECES, "link", "pub", "site", "x"], \
        (out, os.listdir(tmp))
    hidden = sorted(n for n in os.listdir(pub) if n.startswith("."))
    assert hidden == [MARKER], (out, hidden)
    assert "y" not in os.listdir(pub), out


@test
def output_spellings_share_one_manifest_beside_the_folder():
    with min_site() as (site, tmp):
        pub = os.path.join(tmp, "pub")
        os.mkdir(os.path.join(tmp, "x"))
        os.symlink("pub", os.path.join(tmp, "link"))
        so = build(site, "pub", tmp)
        assert not KEPT.search(so), so
        assert_beside_only(tmp, pub, "pub")
        spellings = (("pub", tmp), ("pub/.", tmp), ("pub/./", tmp),
                     (".", pub), ("./", pub), ("./pub", tmp), ("pub/", tmp),
                     ("pub//", tmp), ("x/../pub", tmp), ("pub/../pub", tmp),
                     ("../pub", os.path.join(tmp, "x")),
                     (os.path.join(tmp, "link", "."), "/"), (os.path.join(pub, "."), "/"))
        for out, cwd in spellings:
            so = build(site, out, cwd)
            kept = KEPT.search(so)
            assert kept and kept.group(1) == out, (out, so)
            # 9 pages (4 institutions, 3 countries, 2 networks) and 13
            # site-wide units (home, map, feed, GeoJSON, CSV, sitemap, 404,
            # 3 elective pages and their 3 CSVs)
            assert int(kept.group(2)) == 22, (out, so)
            assert_beside_only(tmp, pub, out)
        # relative, through a link: refused, as a checkout can hold one
        rc, _, se = run("build", "-C", site, "-o", "link/.", cwd=tmp)
        assert rc == 2 and "'link' on the way is a symbolic link" in se, se
        assert_beside_only(tmp, pub, "link/.")


@test
def build_says_how_many_pages_it_kept():
    with min_site() as (site, tmp):
        out = os.path.join(tmp, "out")
        first = build(site, out, tmp)
        assert first.endswith(" KB in %s\n" % out), first
        again = build(site, out, tmp)
        assert again == first[:-1] + " (22 pages kept from the last build)\n", again
        # one institution's body changed: its own page alone is rendered
        # again (no other page shows the body)
        path = os.path.join(site, "content", "institutions")
        name = sorted(os.listdir(path))[0]
        with open(os.path.join(path, name), "a", encoding="utf-8") as fh:
            fh.write("\nMore about us.\n")
        so = build(site, out, tmp)
        assert so.endswith(" KB in %s (21 pages kept from the last build)\n"
                           % out), so
        rc, so, _ = run("build", "-q", "-C", site, "-o", out)
        assert (rc, so) == (0, ""), so
        rc, so, se = run("build", "--clean", "-C", site, "-o", out)
        assert rc == 0 and so == first, (so, se)
