"""Paths named on the command line: a ".." right after a folder that does
not exist ("x/../pub" without x) names nothing, as the system resolves
x/.. through x; every command refuses it (exit 2) with the path it meant,
and makes nothing, where mkdir -p would have made x. A path whose last
folders are missing ("new/pub") is made as mkdir -p makes it, and nothing
but the folder, its staging folder and manifest beside it is written."""
import os

from e2e import test, run, min_site
from listing import listing


def refusal(cmd, opt, path, missing, meant):
    return ("partnermap: %s '%s': there is no folder '%s', so '%s/..' leads "
            "nowhere: write %s %s, or create %s first\n"
            "Try 'partnermap %s --help'.\n"
            % (opt, path, missing, missing, opt, meant, missing, cmd))


# (arguments, working folder: "site" or "tmp", the refusal's parts)
REFUSED = (
    (["build", "-o", "x/../pub"], "site", ("build", "-o", "x/../pub", "x", "pub")),
    (["build", "-o", "y/z/../../pub"], "site",
     ("build", "-o", "y/z/../../pub", "y/z", "pub")),
    (["build", "-C", "x/../site"], "tmp", ("build", "-C", "x/../site", "x", "site")),
    (["build", "-C", "site", "-o", "site/x/../out"], "tmp",
     ("build", "-o", "site/x/../out", "site/x", "site/out")),
    (["check", "-C", "x/../site"], "tmp", ("check", "-C", "x/../site", "x", "site")),
    (["check", "--format", "gitlab", "--report", "x/../r.json"], "site",
     ("check", "--report", "x/../r.json", "x", "r.json")),
    (["serve", "-C", "x/../site"], "tmp", ("serve", "-C", "x/../site", "x", "site")),
    (["new", "page", "About us", "-C", "x/../site"], "tmp",
     ("new", "-C", "x/../site", "x", "site")),
    (["init", "x/../fresh"], "tmp", ("init", "init", "x/../fresh", "x", "fresh")),
    (["schema", "-o", "x/../schema.json"], "site",
     ("schema", "-o", "x/../schema.json", "x", "schema.json")),
)


@test
def paths_through_a_missing_folder_are_refused_and_make_nothing():
    with min_site() as (site, tmp):
        before = listing(tmp)
        for args, where, parts in REFUSED:
            cwd = site if where == "site" else tmp
            rc, so, se = run(*args, cwd=cwd)
            assert (rc, so, se) == (2, "", refusal(*parts)), (args, rc, so, se)
            assert listing(tmp) == before, (args, listing(tmp) ^ before)


@test
def a_dotdot_after_a_folder_that_exists_is_followed():
    with min_site() as (site, tmp):
        os.mkdir(os.path.join(site, "x"))
        before = listing(tmp)
        rc, so, se = run("build", "-q", "-o", "x/../pub", cwd=site)
        assert (rc, so) == (0, ""), se
        new = listing(tmp) - before
        assert {n for n in new if not n.startswith("site/pub/")} == \
            {"site/pub", "site/.pub.partnermap-manifest",
             "site/.pub.partnermap-cache", "site/.pub.partnermap-lock",
             "site/.pub.partnermap-map", "site/.pub.partnermap-pieces"}, new
        assert os.listdir(os.path.join(site, "x")) == []


@test
def missing_last_folders_are_made_as_mkdir_p_makes_them():
    with min_site() as (site, tmp):
        before = listing(tmp)
        rc, so, se = run("build", "-q", "-o", "deep/er/pub", cwd=site)
        assert (rc, so) == (0, ""), se
        new = listing(tmp) - before
        assert {n for n in new if not n.startswith("site/deep/er/pub/")} == \
            {"site/deep", "site/deep/er", "site/deep/er/pub",
             "site/deep/er/.pub.partnermap-manifest",
             "site/deep/er/.pub.partnermap-cache",
             "site/deep/er/.pub.partnermap-lock",
             "site/deep/er/.pub.partnermap-map",
             "site/deep/er/.pub.partnermap-pieces"}, new
        assert os.path.isfile(os.path.join(site, "deep", "er", "pub", "index.html"))


@test
def a_build_that_fails_removes_the_folders_it_made_above_the_output():
    """An error found only as the build writes (a named pipe among the
    theme's assets) left deep/er, made for -o deep/er/pub, behind a last
    line saying that nothing was written. A folder that was there, or one
    something else was put in meanwhile, stays."""
    with min_site() as (site, tmp):
        theme = os.path.realpath(os.path.join(site, "themes"))
        os.mkfifo(os.path.join(theme, "default", "assets", "pipe.css"))
        before = listing(tmp)
        rc, _, se = run("build", "-o", "deep/er/pub", cwd=site)
        assert rc == 1 and "nothing was written" in se, (rc, se)
        assert listing(tmp) == before, listing(tmp) - before
        # whatever slashes the path repeats
        for spelling in ("deep//er/pub", "deep/er//pub", "deep/er/pub/"):
            rc, _, se = run("build", "-q", "-o", spelling, cwd=site)
            assert rc == 1, se
            assert listing(tmp) == before, (spelling, listing(tmp) - before)
        # a folder that was there is kept
        os.makedirs(os.path.join(site, "deep"))
        rc, _, se = run("build", "-q", "-o", "deep/er/pub", cwd=site)
        assert rc == 1, se
        assert listing(tmp) - before == {"site/deep"}, listing(tmp) - before
        os.makedirs(os.path.join(site, "deep", "er"))
        rc, _, se = run("build", "-q", "-o", "deep/er//pub", cwd=site)
        assert rc == 1, se
        assert listing(tmp) - before == {"site/deep", "site/deep/er"}, listing(tmp) - before



@test
def a_link_to_nothing_on_the_way_to_the_output_is_named():
    """mkdir -p through a link to nothing fails with "File exists", which
    the build passed on as "a file is where a folder should be"."""
    with min_site() as (site, tmp):
        os.symlink(os.path.join(tmp, "gone"), os.path.join(tmp, "dlink"))
        before = listing(tmp)
        out = os.path.join(tmp, "dlink", "a", "b")
        rc, _, se = run("build", "-q", "-C", site, "-o", out)
        assert rc == 3, se
        assert se.splitlines()[0] == (
            "partnermap: error: cannot create the folder '%s' goes in: '%s' is a "
            "symbolic link to '%s', which does not exist; create that folder, or "
            "choose another with -o" % (out, os.path.join(tmp, "dlink"),
                                        os.path.join(tmp, "gone"))), se
        assert listing(tmp) == before, listing(tmp) - before
