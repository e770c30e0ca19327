"""The output folder: what a build may replace, where it may not write, the
line it prints, and what an interrupted or killed build leaves behind."""
import atexit
import contextlib
import glob
import hashlib
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time

from e2e import (test, run, tree_digest, min_site, read, foreign_folder,
                 foreign_folder_kept, ROOT, TOOL, record_files)

BUILT = (r"partnermap: built \d+ institutions? in \d+ countr(?:y|ies), \d+ networks?, "
         r"\d+ pages?: \d+ files?, \d+ KB in ")
# a build into a folder a build wrote before keeps the unchanged pages
KEPT = r"(?: \(\d+ pages? kept from the last build\))?"

HIDDEN = ("which partnermap did not write and a build would delete with the "
          "folder; move {} out, or build into a folder of its own and copy the "
          "site in, which leaves hidden entries alone (rsync -a --delete "
          "--exclude='.*' BUILT/ THIS/)")

AROUND = ("{}, and a build replaces the "
          "whole output folder; choose a folder of its own with -o (the "
          "default is output/ in the site folder)")


def full_digest(folder):
    """Every entry below folder, hidden ones too, by kind: a file by its
    sha256, a link by its target; pipes and sockets are never opened."""
    out = {}
    for dirpath, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, folder)
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                out[rel] = "link:" + os.readlink(path)
            elif stat.S_ISDIR(mode):
                out[rel] = "folder"
            elif stat.S_ISREG(mode):
                with open(path, "rb") as fh:
                    out[rel] = hashlib.sha256(fh.read()).hexdigest()
            else:
                out[rel] = "special %o" % stat.S_IFMT(mode)
    return out


def side_tmps(out):
    """Temporary files of the files kept beside out (the manifest, the
    record cache, the pieces' tables) that a write left there."""
    hidden = os.path.join(os.path.dirname(out), "." + os.path.basename(out))
    return [p for p in glob.glob(glob.escape(hidden) + ".partnermap-*.tmp")
            if re.fullmatch(r"\.partnermap-(manifest|cache|pieces)\.[0-9a-f]{16}\.tmp",
                            os.path.basename(p)[len(os.path.basename(hidden)):])]


def beside(out):
    """Staging and old folders partnermap left next to out, and the
    temporary files of what it keeps beside it."""
    return sorted(glob.glob(out + ".staging-*") + glob.glob(out + ".old-*") +
                  side_tmps(out))


def lock_of(out):
    """The lock file builds into out take turns by, beside it."""
    return os.path.join(os.path.dirname(out), "." + os.path.basename(out) +
                        ".partnermap-lock")


def fatal_line(stderr, path, msg):
    """The refusal of the output folder path, said without a position (a
    folder has no line), with the reason msg."""
    want = "partnermap: error: refusing to build into '%s': %s" % (path, msg)
    assert want in stderr.splitlines(), "expected\n  %s\nin:\n%s" % (want, stderr)


def dead_pid():
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


def start_time(pid):
    with open("/proc/%d/stat" % pid) as fh:
        text = fh.read()
    return int(text[text.rindex(")") + 2:].split()[19])


def marked(path, *files):
    os.makedirs(path)
    with open(os.path.join(path, ".partnermap-output"), "w") as fh:
        fh.write("partnermap\n")
    for f in files:
        with open(os.path.join(path, f), "w") as fh:
            fh.write("part of a site")


# ------------------------------------------------------- the success line ---

@test
def success_line_names_the_real_output_folder():
    with min_site() as (site, tmp):
        absolute = os.path.join(tmp, "abs-out")
        for args, cwd, shown in (
                (["-C", "site"], tmp, "site/output"),
                (["-C", "site/"], tmp, "site/output"),
                (["-C", "site", "-o", "public"], tmp, "public"),
                (["-C", "site", "-o", "public/"], tmp, "public/"),
                (["-C", "site", "-o", absolute], tmp, absolute),
                ([], site, "output"),
                (["-o", "../elsewhere"], site, "../elsewhere")):
            rc, so, se = run("build", *args, cwd=cwd)
            assert rc == 0, (args, se)
            lines = so.splitlines()
            assert len(lines) == 1 and re.fullmatch(BUILT + re.escape(shown) + KEPT,
                                                    lines[0]), \
                (args, so)
            folder = os.path.join(cwd, shown)
            assert os.path.isfile(os.path.join(folder, "index.html")), folder
        rc, so, se = run("build", "-q", "-C", "site", cwd=tmp)
        assert rc == 0 and so == "", (so, se)


# ------------------------------------------------ data loss through -o -----

@test
def output_folder_with_only_dotfiles_is_refused():
    """A checkout of a gh-pages branch: partnermap refuses it, keeping .git."""
    with min_site() as (site, tmp):
        out = os.path.join(tmp, "gh-pages")
        os.makedirs(os.path.join(out, ".git", "refs", "heads"))
        with open(os.path.join(out, ".git", "HEAD"), "w") as fh:
            fh.write("ref: refs/heads/gh-pages\n")
        open(os.path.join(out, ".nojekyll"), "w").close()
        before = full_digest(out)
        rc, so, se = run("build", "-C", site, "-o", out)
        assert rc == 3, (rc, se)
        fatal_line(se, out, "it holds '.git' and 1 "
                   "other hidden entry, " + HIDDEN.format("them"))
        # it was no output of partnermap's: nothing of it was "kept"
        assert se.endswith("partnermap: the build failed; nothing was written\n"), se
        assert so == ""
        assert full_digest(out) == before
        assert beside(out) == []
        # a single .env, given relative to the working folder
        os.makedirs(os.path.join(tmp, "env-only"))
        with open(os.path.join(tmp, "env-only", ".env"), "w") as fh:
            fh.write("TOKEN=secret\n")
        rc, _, se = run("build", "-C", "site", "-o", "env-only", cwd=tmp)
        assert rc == 3, se
        fatal_line(se, "env-only", "it holds '.env', "
                   + HIDDEN.format("it"))
        assert read(os.path.join(tmp, "env-only", ".env")) == "TOKEN=secret\n"


@test
def hidden_entry_beside_the_marker_is_refused():
    """git init inside a folder partnermap wrote: the next build keeps .git."""
    with min_site() as (site, tmp):
        assert run("build", "-C", site)[0] == 0
        out = os.path.join(site, "output")
        os.makedirs(os.path.join(out, ".git"))
        with open(os.path.join(out, ".git", "config"), "w") as fh:
            fh.write("[core]\n")
        before = full_digest(out)
        rc, _, se = run("build", "-C", site)
        assert rc == 3, se
        fatal_line(se, "output", "it holds '.git', "
                   + HIDDEN.format("it"))
        assert full_digest(out) == before
        assert beside(out) == []


@test
def output_path_of_every_kind_is_refused():
    """A link, file, pipe or socket at OUT_DIR, or any entry in a folder
    without the marker: never replaced, never followed."""
    with min_site() as (site, tmp):
        built = os.path.join(tmp, "built")
        assert run("build", "-C", site, "-o", built)[0] == 0
        built_digest = full_digest(built)
        not_a_folder = "it is {}, not a folder; " \
                       "move it away, or choose another folder with -o"
        link_msg = ("it is a symbolic link, and "
                    "partnermap replaces the output folder itself, never through a "
                    "link; give the real folder with -o")

        def make(kind, path):
            if kind == "link to a built site":
                os.symlink(built, path)
            elif kind == "dangling link":
                os.symlink(os.path.join(tmp, "nowhere"), path)
            elif kind == "file":
                with open(path, "w") as fh:
                    fh.write("a thesis")
            elif kind == "pipe":
                os.mkfifo(path)
            elif kind == "socket":
                s = socket.socket(socket.AF_UNIX)
                s.bind(path)
                s.close()

        for kind, msg in (("link to a built site", link_msg), ("dangling link", link_msg),
                          ("file", not_a_folder.format("a file")),
                          ("pipe", not_a_folder.format("a named pipe")),
                          ("socket", not_a_folder.format("a socket"))):
            out = os.path.join(tmp, "out")
            make(kind, out)
            rc, so, se = run("build", "-C", site, "-o", "out", cwd=tmp)
            assert rc == 3, (kind, rc, se)
            fatal_line(se, "out", msg)
            # a link is never built through, so whatever it leads to was
            # not "the previous output"
            assert se.endswith("partnermap: the build failed; nothing was written\n"), \
                (kind, se)
            assert os.path.lexists(out), kind
            assert beside(out) == [], kind
            os.unlink(out)
        assert full_digest(built) == built_digest
        # entries of every kind inside a folder without the marker
        for kind in ("link to a built site", "dangling link", "file", "pipe", "socket"):
            out = os.path.join(tmp, "out")
            os.makedirs(out)
            make(kind, os.path.join(out, "entry"))
            before = full_digest(out)
            rc, _, se = run("build", "-C", site, "-o", out)
            assert rc == 3, (kind, se)
            fatal_line(se, out, "it is not empty "
                       "('entry' is in it) and partnermap did not write it (there is "
                       "no .partnermap-output in it); empty it, or choose another "
                       "folder with -o")
            assert full_digest(out) == before, kind
            shutil.rmtree(out)
        assert full_digest(built) == built_digest


def put_text(path, text):
    with open(path, "w") as fh:
        fh.write(text)


@test
def marker_that_is_a_link_or_folder_does_not_count():
    """A marker that is not the file partnermap writes refuses the folder,
    and the message says what it is instead (found by a review: it named
    three things it might be)."""
    with min_site() as (site, tmp):
        out = foreign_folder(os.path.join(tmp, "out"))
        real = os.path.join(tmp, "real-marker")
        put_text(real, "partnermap\n")
        marker = os.path.join(out, ".partnermap-output")
        msg = ("its .partnermap-output is not the file partnermap writes (%s), "
               "so partnermap did not write this folder; empty it, or choose "
               "another folder with -o")
        for make, what in (
                (lambda: os.symlink(real, marker), "it is a symbolic link"),
                (lambda: os.makedirs(marker), "it is a folder"),
                (lambda: os.mkfifo(marker), "it is a named pipe"),
                (lambda: put_text(marker, ""), "it is empty"),
                (lambda: put_text(marker, "partnermap"),
                 "it holds other text than 'partnermap' and a line end"),
                (lambda: put_text(marker, "garbage\n"),
                 "it holds other text than 'partnermap' and a line end")):
            make()
            rc, _, se = run("build", "-C", site, "-o", out)
            assert rc == 3, se
            fatal_line(se, out, msg % what)
            assert foreign_folder_kept(out)
            assert beside(out) == []
            if os.path.isdir(marker) and not os.path.islink(marker):
                os.rmdir(marker)
            else:
                os.unlink(marker)


@test
def output_folder_is_never_the_site_or_around_it():
    with min_site() as (site, tmp):
        before = full_digest(tmp)
        for args, cwd, shown, what in (
                (["-o", "."], site, ".", "it is the site folder itself"),
                (["-o", "./"], site, "./", "it is the site folder itself"),
                (["-C", "site", "-o", "site"], tmp, "site", "it is the site folder itself"),
                (["-o", "../site"], site, "../site", "it is the site folder itself"),
                (["-o", ".."], site, "..", "it holds the site folder"),
                (["-C", "site", "-o", "."], tmp, ".", "it holds the site folder"),
                (["-o", "content"], site, "content",
                 "it is the site's content folder, which the build reads"),
                (["-o", "content/pages"], site, "content/pages",
                 "it is inside the site's content folder, which the build reads"),
                (["-o", "content/new/out"], site, "content/new/out",
                 "it is inside the site's content folder, which the build reads")):
            rc, so, se = run("build", *args, cwd=cwd)
            assert rc == 3, (args, rc, se)
            fatal_line(se, shown, AROUND.format(what))
            assert full_digest(tmp) == before, args


@test
def stale_staging_folders_are_removed_only_when_safe():
    """After a killed build: a folder named like a staging folder goes only
    when it holds the marker and its process is gone."""
    with min_site() as (site, tmp):
        out = os.path.join(site, "output")
        gone = dead_pid()
        sleeper = subprocess.Popen(["sleep", "60"])
        try:
            live = sleeper.pid
            stale = out + ".staging-%d-1-0a1b2c3d" % gone
            marked(stale, "index.html")
            nostart = out + ".staging-%d-0-0a1b2c3d" % gone
            marked(nostart, "index.html")
            reused = out + ".staging-%d-0-0a1b2c3d" % live  # live, but not partnermap
            marked(reused, "index.html")
            running = out + ".staging-%d-%d-0a1b2c3d" % (live, start_time(live))
            marked(running, "index.html")
            unmarked = out + ".staging-%d-2-0a1b2c3d" % gone
            foreign_folder(unmarked)
            elsewhere = os.path.join(tmp, "elsewhere")
            marked(elsewhere, "precious.txt")
            link = out + ".staging-%d-3-0a1b2c3d" % gone
            os.symlink(elsewhere, link)
            # a copy the user named so (or an earlier version's name):
            # not a build's, kept
            copy = out + ".old-2024"
            marked(copy, "index.html")
            before = full_digest(elsewhere)
            rc, _, se = run("build", "-C", site)
            assert rc == 0, se
            assert beside(out) == sorted([running, unmarked, link, copy]), beside(out)
            assert foreign_folder_kept(unmarked)
            assert os.path.isfile(os.path.join(running, ".partnermap-output"))
            assert full_digest(elsewhere) == before
        finally:
            sleeper.kill()
            sleeper.wait()
        # its process gone, the next build removes the running one's folder
        assert run("build", "-C", site)[0] == 0
        assert beside(out) == sorted([unmarked, link, copy])


@test
def kill_between_two_renames_is_repaired_by_next_build():
    """Without RENAME_EXCHANGE a kill between the two renames leaves no
    output folder, the previous site at output.old-*; the next build puts
    it back, then replaces it."""
    with min_site() as (site, tmp):
        out = os.path.join(site, "output")
        assert run("build", "-C", site)[0] == 0
        want = tree_digest(out)
        gone = dead_pid()
        os.rename(out, out + ".old-%d-7-0a1b2c3d" % gone)
        marked(out + ".staging-%d-7-0a1b2c3d" % gone, "index.html")
        env = dict(os.environ, PARTNERMAP_TEST_NO_EXCHANGE="1")
        p = subprocess.run([TOOL, "build", "-C", site], capture_output=True, text=True, env=env)
        assert p.returncode == 0, p.stderr
        assert tree_digest(out) == want
        assert beside(out) == []


# --------------------------------------------------------- interrupted ------

class BigSite:
    """A site of a few hundred institutions made from the example's records,
    in two versions A and B that differ in one record's name; built once
    each for reference. Long enough to build that signals land at
    every stage."""
    N = 300
    tmp = site = None
    digests = {}
    refs = {}

    @classmethod
    def get(cls):
        if cls.site is None:
            cls.tmp = tempfile.mkdtemp(prefix="pm-e2e-big-")
            cls.site = os.path.join(cls.tmp, "site")
            inst = os.path.join(cls.site, "content", "institutions")
            os.makedirs(inst)
            shutil.copy(os.path.join(ROOT, "site.yml"), cls.site)
            for d in ("networks", "pages"):
                shutil.copytree(os.path.join(ROOT, "content", d),
                                os.path.join(cls.site, "content", d))
            # copies, not links: a build reads nothing from outside the site
            shutil.copytree(os.path.join(ROOT, "themes"), os.path.join(cls.site, "themes"))
            shutil.copytree(os.path.join(ROOT, "geodata"), os.path.join(cls.site, "geodata"),
                            ignore=shutil.ignore_patterns("*.sh", "*.md", "SHA256SUMS"))
            sources = sorted(record_files(os.path.join(ROOT, "content", "institutions", "*.md")))
            texts = [t for t in (read(p) for p in sources) if t.startswith("---")]
            for i in range(cls.N):
                t = re.sub(r"(?m)^name: (.*)$", lambda m: "name: %s %d" % (m.group(1), i),
                           texts[i % len(texts)], count=1)
                with open(os.path.join(inst, "school-%04d.md" % i), "w", encoding="utf-8") as fh:
                    fh.write(t)
            for v in "AB":
                cls.version(v)
                ref = cls.refs[v] = os.path.join(cls.tmp, "ref-" + v)
                rc, _, se = run("build", "-q", "-C", cls.site, "-o", ref)
                assert rc == 0, se
                cls.digests[v] = tree_digest(ref)
            assert cls.digests["A"] != cls.digests["B"]
        return cls.site

    @classmethod
    def remove(cls):
        if cls.tmp:
            shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def version(cls, v):
        path = os.path.join(cls.site, "content", "institutions", "school-0000.md")
        text = re.sub(r"(?m)^name: .*$", "name: Version %s School" % v, read(path), count=1)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)

    @classmethod
    def which(cls, out):
        """'A' or 'B': the complete site at out; anything else fails."""
        d = tree_digest(out)
        for v, want in cls.digests.items():
            if d == want:
                return v
        missing = [k for k in cls.digests["A"] if k not in d]
        raise AssertionError("%s holds neither complete site (%d files, %d missing, e.g. %s)"
                             % (out, len(d), len(missing), missing[:3]))


atexit.register(BigSite.remove)


def staged_pages(out, pid):
    """Institution pages process pid has written so far into its staging
    folder beside out."""
    n = 0
    for st in glob.glob(out + ".staging-%d-*" % pid):
        try:
            n = max(n, len(os.listdir(os.path.join(st, "institutions"))))
        except OSError:
            pass
    return n


# When to send the signal: right away, or once the staging folder holds
# that many institution pages (the rest of the pages, the exports and the
# swap follow the last of them).
MOMENTS = {"at once": None, "first pages": 1, "half the pages": BigSite.N // 2,
           "every page": BigSite.N}


def interrupt(out, sig, moment, env):
    """Build the other version into out, send sig at moment; returns the
    process's exit status, its stderr, and which version out held before."""
    site = BigSite.get()
    olds = glob.glob(out + ".old-*")
    held = BigSite.which(out if os.path.lexists(out) or not olds else olds[0])
    BigSite.version("B" if held == "A" else "A")
    # --clean: every page goes through the staging folder and the swap
    p = subprocess.Popen([TOOL, "build", "-q", "--clean", "-C", site, "-o", out],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    want = MOMENTS[moment]
    deadline = time.monotonic() + 120
    while want is not None and p.poll() is None and time.monotonic() < deadline:
        if staged_pages(out, p.pid) >= want:
            break
        time.sleep(0.002)
    if p.poll() is None:
        p.send_signal(sig)
    _, se = p.communicate(timeout=120)
    return p.returncode, se, held


def signal_rounds(env, rounds):
    """Each (signal, moment) in turn on one output folder."""
    BigSite.get()
    tmp = tempfile.mkdtemp(prefix="pm-e2e-sig-")
    try:
        out = os.path.join(tmp, "out")
        shutil.copytree(BigSite.refs["A"], out, symlinks=True)
        stopped = 0
        for sig, moment in rounds:
            name = signal.Signals(sig).name
            rc, se, held = interrupt(out, sig, moment, env)
            now = BigSite.which(out)
            where = "%s %s: exit %s\n%s" % (name, moment, rc, se)
            assert beside(out) == [], where + repr(beside(out))
            assert rc in (0, -sig), where
            if rc == -sig and se:
                # that line alone: a cancel is no error (it was told as "the
                # build failed without saying why; this is a bug")
                kept = se == ("partnermap: interrupted by %s; the previous "
                              "output was kept\n" % name)
                done = se == ("partnermap: interrupted by %s; the new site "
                              "was already in place\n" % name)
                assert kept or done, where
                assert now == (held if kept else "AB".replace(held, "")), where
            if rc == -sig and now == held:
                stopped += 1
        # most signals land mid-build, where the old site must stay
        assert stopped * 2 >= len(rounds), stopped
    finally:
        shutil.rmtree(tmp)


@test
def interrupted_build_leaves_old_or_new_site():
    """SIGTERM and SIGINT at any moment: the complete old or the complete
    new site at OUT_DIR, no staging folder, death by the same signal."""
    T, I = signal.SIGTERM, signal.SIGINT
    signal_rounds(dict(os.environ), [
        (T, "at once"), (T, "first pages"), (T, "half the pages"), (T, "every page"),
        (I, "first pages"), (I, "every page")])


@test
def interrupted_build_without_exchange_leaves_old_or_new_site():
    signal_rounds(dict(os.environ, PARTNERMAP_TEST_NO_EXCHANGE="1"), [
        (signal.SIGTERM, "half the pages"), (signal.SIGINT, "every page")])


def kill_rounds(env, moments):
    site = BigSite.get()
    tmp = tempfile.mkdtemp(prefix="pm-e2e-kill-")
    try:
        out = os.path.join(tmp, "out")
        shutil.copytree(BigSite.refs["A"], out, symlinks=True)
        left = 0
        for moment in moments:
            rc, se, held = interrupt(out, signal.SIGKILL, moment, env)
            assert rc in (0, -signal.SIGKILL), (moment, rc, se)
            if os.path.lexists(out):
                BigSite.which(out)
            else:
                # killed between the two renames of a swap without
                # RENAME_EXCHANGE: the previous site waits beside it
                olds = glob.glob(out + ".old-*")
                assert len(olds) == 1 and env.get("PARTNERMAP_TEST_NO_EXCHANGE"), beside(out)
                BigSite.which(olds[0])
            left += len(beside(out))
        assert left, "no kill left a staging folder behind"
        # the next build cleans up after every killed one, and succeeds
        BigSite.version("A")
        p = subprocess.run([TOOL, "build", "-C", site, "-o", out],
                           capture_output=True, text=True, env=env)
        assert p.returncode == 0, p.stderr
        assert beside(out) == []
        assert BigSite.which(out) == "A"
    finally:
        shutil.rmtree(tmp)


@test
def killed_build_is_cleaned_up_by_the_next():
    kill_rounds(dict(os.environ), ["first pages", "half the pages", "every page"])


@test
def killed_build_without_exchange_is_cleaned_up_by_the_next():
    kill_rounds(dict(os.environ, PARTNERMAP_TEST_NO_EXCHANGE="1"),
                ["half the pages", "every page"])


HEX = "0123456789abcdef"


@test
def next_build_removes_what_a_kill_left_of_the_files_beside_the_output():
    """A build killed while it wrote the manifest, the record cache or the
    pieces' tables leaves a temporary file beside the output folder, named
    after the file it was to become. The next build into that folder
    removes it: this user's regular files of those names alone; anything
    else of a like name (another output's, another spelling, a folder, a
    link, another user's) stays."""
    with min_site() as (site, tmp):
        out = os.path.join(site, "output")
        rc, _, se = run("build", "-q", "-C", site)
        assert rc == 0, se
        gone = [".output.partnermap-%s.%s.tmp" % (w, HEX)
                for w in ("manifest", "cache", "pieces")]
        kept = [".other.partnermap-cache.%s.tmp" % HEX,
                ".output.partnermap-cache.%s.tmp" % HEX.upper(),
                ".output.partnermap-cache.%s.tmp" % HEX[:15],
                ".output.partnermap-cache.tmp",
                ".output.partnermap-.%s.tmp" % HEX,
                ".output.partnermap-cache.%s.tmp~" % HEX,
                ".partnermap-%s.tmp" % HEX,
                "output.partnermap-cache.%s.tmp" % HEX,
                # the build writes no file of these names: not its own
                ".output.partnermap-notes.%s.tmp" % HEX,
                ".output.partnermap-lock.%s.tmp" % HEX]
        for name in gone + kept:
            with open(os.path.join(site, name), "w") as fh:
                fh.write("left by a kill")
        target = os.path.join(tmp, "target")
        with open(target, "w") as fh:
            fh.write("not the build's")
        link = ".output.partnermap-manifest.%s.tmp" % HEX.replace("0", "1")
        folder = ".output.partnermap-manifest.%s.tmp" % HEX.replace("0", "2")
        os.symlink(target, os.path.join(site, link))
        os.mkdir(os.path.join(site, folder))
        kept += [link, folder]
        if os.geteuid() == 0:
            theirs = ".output.partnermap-cache.%s.tmp" % HEX.replace("0", "3")
            with open(os.path.join(site, theirs), "w") as fh:
                fh.write("another user's")
            os.chown(os.path.join(site, theirs), 1, 1)
            kept.append(theirs)
        rc, _, se = run("build", "-q", "-C", site)
        assert rc == 0, se
        here = set(os.listdir(site))
        assert [n for n in gone if n in here] == []
        assert [n for n in kept if n not in here] == []
        assert read(target) == "not the build's"
        for name in (".output.partnermap-manifest", ".output.partnermap-cache",
                     ".output.partnermap-lock", ".output.partnermap-map"):
            assert name in here, name
        # no other: the ones left are the link, the folder, another's
        assert sorted(os.path.basename(p) for p in side_tmps(out)) == \
            sorted(kept[-3:] if os.geteuid() == 0 else kept[-2:])


@test
def build_killed_while_it_writes_beside_the_output_is_cleaned_up_by_the_next():
    """SIGKILL the moment a temporary file of the files kept beside the
    output appears (the record cache and the manifest are written after
    the commit): it is left, and the next build removes it and builds."""
    site = BigSite.get()
    tmp = tempfile.mkdtemp(prefix="pm-e2e-kill-side-")
    try:
        out = os.path.join(tmp, "out")
        shutil.copytree(BigSite.refs["A"], out, symlinks=True)
        caught = []
        for attempt in range(8):
            BigSite.version("B" if attempt % 2 == 0 else "A")
            # --clean: the record cache and the manifest are written anew
            p = subprocess.Popen([TOOL, "build", "-q", "--clean", "-C", site, "-o", out],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            deadline = time.monotonic() + 120
            while p.poll() is None and time.monotonic() < deadline:
                if side_tmps(out):
                    p.send_signal(signal.SIGKILL)
                    break
            p.communicate(timeout=120)
            left = side_tmps(out)
            if left:
                caught.append(left)
                break
        assert caught, "no kill caught a file beside the output being written"
        BigSite.version("A")
        rc, _, se = run("build", "-q", "-C", site, "-o", out)
        assert rc == 0, se
        assert beside(out) == []
        assert BigSite.which(out) == "A"
    finally:
        shutil.rmtree(tmp)


@test
def an_empty_folder_built_into_keeps_its_mode_owner_and_group():
    """A folder made ready for the site (its group the web server's, mode
    2750), empty or a site partnermap wrote, is replaced by the new site
    with the same owner, group and permission bits, by a first build and
    by --clean alike, which put a whole new folder in its place. Owner and
    group are given as far as this user may (root: any)."""
    with min_site() as (site, tmp):
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        os.chmod(out, 0o2750)
        if os.geteuid() == 0:
            os.chown(out, 1, 2)
        want = os.stat(out)
        for args in ((), ("--clean",), ()):
            rc, _, se = run("build", "-q", "-C", site, "-o", out, *args)
            assert rc == 0, (args, se)
            got = os.stat(out)
            assert os.path.isfile(os.path.join(out, "index.html"))
            assert stat.S_IMODE(got.st_mode) == 0o2750, (args, oct(got.st_mode))
            assert (got.st_uid, got.st_gid) == (want.st_uid, want.st_gid), args
            # what is written below it gets the folder's group, as the
            # setgid bit has it, so that group may read the site
            for rel in ("index.html", "institutions", "institutions/makerere/index.html"):
                assert os.stat(os.path.join(out, rel)).st_gid == want.st_gid, (args, rel)
        # the files kept beside it hold every record and the list of
        # files: the user's alone, whatever the folder lets others see
        for suffix in ("cache", "manifest", "lock"):
            side = os.path.join(tmp, ".out.partnermap-" + suffix)
            assert stat.S_IMODE(os.stat(side).st_mode) == 0o600, (suffix, oct(os.stat(side).st_mode))
        # a mode changed since stays with --clean too
        os.chmod(out, 0o755)
        rc, _, se = run("build", "-q", "-C", site, "-o", out, "--clean")
        assert rc == 0, se
        assert stat.S_IMODE(os.stat(out).st_mode) == 0o755


def home_of_nobody(site, tmp):
    """For a build as uid 65534 (setpriv): the site and tmp made readable
    to it, and a folder tmp/home of its own: the folder's path."""
    os.chmod(tmp, 0o755)
    for dirpath, dirs, files in os.walk(site):
        for n in dirs + files:
            os.chmod(os.path.join(dirpath, n), 0o755 if n in dirs else 0o644)
    home = os.path.join(tmp, "home")
    os.mkdir(home)
    os.chown(home, 65534, 65534)
    return home


def as_nobody(*args):
    """partnermap args run as uid 65534, without its groups."""
    return subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                           TOOL, *args], capture_output=True, text=True, timeout=120)


@contextlib.contextmanager
def built_as_nobody():
    """The small site built as uid 65534 (setpriv) into a folder of its
    own: (site, output folder), removed after; None, the test skipped,
    when not root (root reads any folder) or without setpriv."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        print("     (skipped: needs root and setpriv)")
        yield None
        return
    with min_site() as (site, tmp):
        out = os.path.join(home_of_nobody(site, tmp), "site")
        r = as_nobody("build", "-q", "-C", site, "-o", out)
        assert r.returncode == 0, r.stderr
        yield site, out


@test
def a_group_the_builder_cannot_give_gets_none_of_the_folders_group_bits():
    """A builder who is not in the folder's group cannot give the new site
    that group: the group's permission bits, meant for that group, are not
    granted to the builder's own group instead (it gets none), and the
    build says so. Needs root to build as another user (setpriv)."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        print("     (skipped: needs root and setpriv)")
        return
    with min_site() as (site, tmp):
        out = os.path.join(home_of_nobody(site, tmp), "site")
        os.mkdir(out)
        said = ("partnermap: could not give '%s' the group of the folder it replaced "
                "(gid 1), which you are not in: its group now gives no access; build "
                "as a member of that group to keep it\n" % out)
        for mode, want in ((0o2770, 0o700), (0o700, 0o700), (0o2755, 0o705)):
            os.chown(out, 65534, 1)
            os.chmod(out, mode)
            r = as_nobody("build", "-q", "--clean", "-C", site, "-o", out)
            assert r.returncode == 0 and r.stderr == said, (oct(mode), r.stderr)
            got = os.stat(out)
            assert got.st_uid == 65534 and got.st_gid == 65534
            assert stat.S_IMODE(got.st_mode) == want, (oct(mode), oct(got.st_mode))


@test
def a_refused_build_leaves_no_lock_file_it_made():
    """A build refused before it wrote anything (a checkout with .git, a
    file where the folder should be) leaves nothing beside it either: not
    the lock file it made to take its turn. One that was there stays."""
    with min_site() as (site, tmp):
        gitout = os.path.join(tmp, "gitout")
        os.makedirs(os.path.join(gitout, ".git"))
        plain = os.path.join(tmp, "plain")
        with open(plain, "w") as fh:
            fh.write("x")
        for out in (gitout, plain):
            rc, _, se = run("build", "-C", site, "-o", out)
            assert rc == 3 and "refusing to build into" in se, se
            assert not os.path.lexists(lock_of(out)), out
        assert sorted(os.listdir(tmp)) == ["gitout", "plain", "site"], os.listdir(tmp)
        # nor one that failed after it took its turn: a page that cannot
        # be rendered (a template recursing over data without end), or a
        # commit refused when the output folder became a checkout
        themes = os.path.join(site, "themes")
        was = os.readlink(themes)
        os.unlink(themes)
        shutil.copytree(os.path.join(ROOT, "themes"), themes)
        page = os.path.join(themes, "default", "templates", "page.mustache")
        with open(page, "a", encoding="utf-8") as fh:
            fh.write("{{#site}}{{>page}}{{/site}}")
        rc, _, se = run("build", "-C", site, "-o", os.path.join(tmp, "fresh"))
        assert rc == 1 and "more than 100 deep" in se, se
        assert sorted(os.listdir(tmp)) == ["gitout", "plain", "site"], os.listdir(tmp)
        shutil.rmtree(themes)
        os.symlink(was, themes)
        # a lock file that was there is the one builds take turns by: kept
        lock = lock_of(gitout)
        fd = os.open(lock, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
        rc, _, se = run("build", "-C", site, "-o", gitout)
        assert rc == 3 and os.path.isfile(lock), se


@test
def a_lock_file_of_ones_own_one_may_not_open_is_said_so():
    """A lock file of the builder's own that no one may write (mode 0400)
    cannot be opened to lock: the build goes on and says that, not that
    others may open it. Needs root to build as another user (setpriv)."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        print("     (skipped: needs root and setpriv)")
        return
    with min_site() as (site, tmp):
        out = os.path.join(home_of_nobody(site, tmp), "out")
        lock = lock_of(out)
        with open(lock, "w"):
            pass
        os.chown(lock, 65534, 65534)
        # others may read it too (0444): what stops the build is the same
        for mode in (0o400, 0o444):
            os.chmod(lock, mode)
            r = as_nobody("build", "-q", "-C", site, "-o", out)
            assert r.returncode == 0, r.stderr
            assert r.stderr == ("partnermap: did not use '%s': you may not open it to read "
                                "and write (mode %04o); give yourself both (chmod 600); this "
                                "build ran without it\n" % (lock, mode)), r.stderr


@test
def root_does_not_build_below_a_folder_another_user_owns():
    """Root building or writing a report below a folder a user owns: that
    user can move the folders below it between root's steps (put another
    folder, or a link, where the staging folder was) and have root publish
    or change the mode of what root never wrote. Refused before anything is
    made, saying whose folder it is and what to do instead."""
    if os.geteuid() != 0:
        print("     (skipped: the rule is root's)")
        return
    with min_site() as (site, tmp):
        home = os.path.join(tmp, "home")
        os.mkdir(home)
        os.chown(home, 65534, 65534)
        out = os.path.join(home, "site")
        rc, _, se = run("build", "-C", site, "-o", out)
        assert rc == 3, (rc, se)
        fatal_line(se, out, "'%s' on the way to it belongs to another user (uid 65534), "
                   "who can move or replace the folders below it while root writes "
                   "there; run as that user, or build into a folder of root's with -o"
                   % home)
        assert os.listdir(home) == [], os.listdir(home)
        rc, _, se = run("check", "-C", site, "--format=gitlab", "--report",
                        os.path.join(home, "r.json"))
        assert rc == 2 and "belongs to another user (uid 65534)" in se, se
        assert os.listdir(home) == []


@test
def a_folder_others_may_change_without_the_sticky_bit_is_not_built_below():
    """A folder anyone may write, without the sticky bit that keeps others
    from renaming what is not theirs, lets anyone swap the staging folder
    for one of their own between the build's steps: refused, for the
    output folder and for report and schema files, before anything is made
    there. For root, a folder a group other than root's may write is the
    same, links its members put there included."""
    with min_site() as (site, tmp):
        ww = os.path.join(tmp, "ww")
        os.mkdir(ww)
        os.chmod(ww, 0o777)
        says = ("'%s' on the way to it may be changed by anyone (mode 0777, without the "
                "sticky bit), who could swap the folders below it while the %s is "
                "written; %s a folder only you may change with %s")
        out = os.path.join(ww, "site")
        rc, _, se = run("build", "-C", site, "-o", out)
        assert rc == 3, se
        fatal_line(se, out, says % (ww, "site", "build into", "-o"))
        rc, _, se = run("schema", "-o", os.path.join(ww, "s.json"))
        assert rc == 2 and se.startswith("partnermap: -o '%s': %s" % (
            os.path.join(ww, "s.json"), says % (ww, "file", "give", "-o"))), se
        assert os.listdir(ww) == []
        os.chmod(ww, 0o1777)  # with the sticky bit: built as always
        rc, _, se = run("build", "-q", "-C", site, "-o", out)
        assert rc == 0, se
        if os.geteuid() != 0:
            return
        grp = os.path.join(tmp, "grp")
        os.mkdir(grp)
        os.chown(grp, 0, 4243)
        os.chmod(grp, 0o2775)
        secret = os.path.join(tmp, "secret")
        os.mkdir(secret, 0o700)
        link = os.path.join(grp, "reports")
        os.symlink(secret, link)
        os.lchown(link, 4242, 4243)
        for args in (["schema", "-o", os.path.join(link, "s.json")],
                     ["build", "-C", site, "-o", os.path.join(grp, "site")]):
            rc, _, se = run(*args)
            assert rc in (2, 3) and "may be changed by its group (mode 2775" in se, (args, se)
        assert os.listdir(secret) == [] and os.listdir(grp) == ["reports"]


@test
def folders_another_user_planted_in_a_shared_folder_are_not_taken():
    """In a folder anyone may write (as /tmp), an output folder another
    user made, marker and all, is refused, and an old site another user
    left as if from a killed build is not moved into the output folder's
    place: either would have the site built into a folder its planter can
    change before it is published. Needs root to give a folder away."""
    if os.geteuid() != 0:
        print("     (skipped: only root can make another user's folder)")
        return
    with min_site() as (site, tmp):
        shared = os.path.join(tmp, "shared")
        os.mkdir(shared)
        os.chmod(shared, 0o1777)
        out = os.path.join(shared, "site")
        marked(out, "index.html")
        for dirpath, dirs, files in os.walk(out):
            for n in [dirpath] + [os.path.join(dirpath, f) for f in files]:
                os.chown(n, 1, 1)
        rc, _, se = run("build", "-C", site, "-o", out)
        assert rc == 3, (rc, se)
        fatal_line(se, out, "it belongs to another user (uid 1), in a folder where "
                   "anyone may create one, so it may have been planted to be "
                   "built into; remove it, or choose a folder of your own with -o")
        assert se.endswith("partnermap: the build failed; nothing was written\n"), se
        assert os.stat(out).st_uid == 1
        shutil.rmtree(out)
        # an old site, as a kill between a swap's two renames leaves it
        old = out + ".old-%d-7" % dead_pid()
        marked(old, "planted.html")
        for dirpath, dirs, files in os.walk(old):
            for n in [dirpath] + [os.path.join(dirpath, f) for f in files]:
                os.chown(n, 1, 1)
        rc, _, se = run("build", "-C", site, "-o", out)
        assert rc == 0, se
        assert os.stat(out).st_uid == os.geteuid()
        assert not os.path.exists(os.path.join(out, "planted.html"))
        assert os.path.isdir(old), "another user's folder is left alone"
        # this user's own output folder there is built into as always
        rc, _, se = run("build", "-C", site, "-o", out)
        assert rc == 0, se


@test
def folders_and_links_another_user_owns_on_the_way_are_refused():
    """Below a folder anyone may write, every folder and link on the way
    to the output folder must be the user's own (or root's): another user
    who owns one can move what lies below it or point it elsewhere. The
    way is looked at as spelled and as its real path, before any folder is
    made on it. Needs root to give a folder away."""
    if os.geteuid() != 0:
        print("     (skipped: only root can make another user's folder)")
        return
    with min_site() as (site, tmp):
        tmp = os.path.realpath(tmp)
        shared = os.path.join(tmp, "shared")
        mine = os.path.join(tmp, "mine")
        theirs = os.path.join(shared, "theirs")
        os.makedirs(os.path.join(theirs, "deeper"))
        os.mkdir(mine)
        os.chmod(shared, 0o1777)
        os.chown(theirs, 1, 1)
        planted = os.path.join(shared, "planted")
        os.symlink(mine, planted)
        os.lchown(planted, 1, 1)
        own_link = os.path.join(tmp, "own-link")
        os.symlink(theirs, own_link)
        folder = ("'%s' on the way to it belongs to another user (uid 1) and lies in "
                  "'%s', where anyone may make one, so it may have been planted to "
                  "choose where the site goes; build into a folder of your own with -o"
                  % (theirs, shared))
        link = ("'%s' on the way to it is a symbolic link another user (uid 1) owns, "
                "in '%s', where anyone may make one, so it may have been planted to "
                "send the site elsewhere; give the real folder with -o" % (planted, shared))
        for out, why in [(os.path.join(theirs, "site"), folder),
                         (os.path.join(theirs, "deeper", "site"), folder),
                         (os.path.join(theirs, "new", "er", "site"), folder),
                         (os.path.join(planted, "site"), link),
                         (os.path.join(own_link, "site"), folder)]:
            before = full_digest(tmp)
            rc, _, se = run("build", "-C", site, "-o", out)
            assert rc == 3, (out, rc, se)
            fatal_line(se, out, why)
            assert full_digest(tmp) == before, out
        # in a folder only root may write, another user's folder was put
        # there by root, not planted; but its owner can still move what is
        # below it while root builds: root does not build there
        # (root_does_not_build_below_a_folder_another_user_owns)
        closed = os.path.join(shared, "closed")
        os.mkdir(closed, 0o755)
        given = os.path.join(closed, "given")
        os.mkdir(given)
        os.chown(given, 1, 1)
        out = os.path.join(given, "site")
        rc, _, se = run("build", "-C", site, "-o", out)
        assert rc == 3 and "who can move or replace the folders below it" in se, (out, se)
        # the user's own folder and link there, and root's, are used
        own = os.path.join(shared, "own")
        os.mkdir(own)
        os.symlink(own, os.path.join(shared, "own-link"))
        for out in [os.path.join(own, "site"), os.path.join(shared, "own-link", "s2"),
                    os.path.join(shared, "made", "site")]:
            rc, _, se = run("build", "-C", site, "-o", out)
            assert rc == 0, (out, se)
            assert os.path.isfile(os.path.join(out, "index.html")), out


@contextlib.contextmanager
def special_folder(path, make, undo, why):
    """A new folder at path that the command make (a list, ending with
    the folder) turns into something special, undone by undo after the
    block; yields False (the test is skipped, saying why) when make fails
    here."""
    os.mkdir(path)
    if subprocess.run(make, capture_output=True).returncode != 0:
        print("     (skipped: %s)" % why)
        yield False
        return
    try:
        yield True
    finally:
        subprocess.run(undo)


@test
def output_folder_names_too_long_for_the_staging_folder_are_refused():
    """The staging folder is named after the output folder with up to 50
    bytes more: a name of 206 bytes or more is refused, whatever this
    build's process id and start time, and nothing is made; 205 builds, in
    place too, and keeps its manifest and cache."""
    with min_site() as (site, tmp):
        ok = "a" * 205
        for _ in range(2):
            rc, so, se = run("build", "-C", site, "-o", ok, cwd=tmp)
            assert rc == 0 and se == "", (rc, se)
        assert os.path.isfile(os.path.join(tmp, "." + ok + ".partnermap-manifest"))
        assert os.path.isfile(os.path.join(tmp, "." + ok + ".partnermap-cache"))
        for n in (206, 230, 255):
            name = "b" * n
            before = sorted(os.listdir(tmp))
            rc, so, se = run("build", "-C", site, "-o", name, cwd=tmp)
            assert rc == 3, (n, rc, se)
            fatal_line(se, name, "its name is %d bytes long, and the folders a build "
                       "makes beside it are named after it with up to 50 bytes more, "
                       "past the 255 bytes a name may have; choose a name of at most "
                       "205 bytes with -o" % n)
            assert se.endswith("nothing was written\n"), se
            assert sorted(os.listdir(tmp)) == before, n
        # a path longer than the system allows: said, with what to do
        deep = os.path.join(*(["c" * 200] * 21), "out")
        rc, so, se = run("build", "-C", site, "-o", deep, cwd=tmp)
        assert rc == 3, (rc, se)
        assert "File name too long; the path is longer than the file system " \
               "allows: choose an output folder with a shorter path with -o" in se, se


@test
def a_folder_that_will_not_take_the_staging_folder_is_named_in_the_hint():
    """The folder the output folder is in, not the output folder, is the
    one that must take new entries: the hint says which, and why. Needs
    root for chattr."""
    if os.geteuid() != 0 or not shutil.which("chattr"):
        print("     (skipped: needs root and chattr)")
        return
    with min_site() as (site, tmp):
        fixed = os.path.join(tmp, "fixed")
        with special_folder(fixed, ["chattr", "+i", fixed], ["chattr", "-i", fixed],
                            "this file system has no immutable flag") as ready:
            if not ready:
                return
            out = os.path.join(fixed, "out")
            rc, _, se = run("build", "-C", site, "-o", out)
            assert rc == 3, (rc, se)
            want = re.compile(
                r"partnermap: error: cannot create the staging folder out\.staging-\d+-\d+-[0-9a-f]{8} "
                r"beside '%s': Operation not permitted; the folder it is made in, '%s', is "
                r"immutable \(lsattr -d shows an i\), where nothing may be made: clear the "
                r"flag \(chattr -i\) or choose another folder with -o\n"
                % (re.escape(out), re.escape(fixed)))
            assert want.match(se), se
            assert se.endswith("nothing was written\n"), se


@test
def an_append_only_folder_is_refused_before_anything_is_made_in_it():
    """In an append-only folder (chattr +a) entries can be made but never
    renamed or removed: a build would leave its staging folder and lock
    there, and a report or schema its temporary file. Each is refused
    before anything is made, saying why; an append-only output folder too,
    whose commit would stop half way. Needs root for chattr."""
    if os.geteuid() != 0 or not shutil.which("chattr"):
        print("     (skipped: needs root and chattr)")
        return
    with min_site() as (site, tmp):
        ao = os.path.join(tmp, "ao")
        with special_folder(ao, ["chattr", "+a", ao], ["chattr", "-a", ao],
                            "this file system has no append-only flag") as ready:
            if not ready:
                return
            out = os.path.join(ao, "out")
            rc, _, se = run("build", "-C", site, "-o", out)
            assert rc == 3, (rc, se)
            assert se.startswith(
                "partnermap: error: refusing to build into '%s': the folder it is in is "
                "append-only (lsattr -d shows an a), where a build could not rename or "
                "remove what it writes; clear the flag (chattr -a) or choose another "
                "folder with -o\n"
                % out), se
            # a report or schema file there is refused before the command
            # runs (a build would otherwise publish, then fail to report)
            hint = ("is append-only (lsattr -d shows an a): a file can be made there but "
                    "not put in place of another; clear the flag (chattr -a) or give "
                    "another path\n")
            rc, _, se = run("schema", "-o", os.path.join(ao, "s.json"))
            assert rc == 2 and se.startswith("partnermap: -o '%s': its folder '%s' %s"
                                             % (os.path.join(ao, "s.json"), ao, hint)), se
            rc, _, se = run("build", "-C", site, "-o", os.path.join(tmp, "out2"),
                            "--format=gitlab", "--report", os.path.join(ao, "r.json"))
            assert rc == 2 and se.startswith("partnermap: --report '%s': its folder '%s' %s"
                                             % (os.path.join(ao, "r.json"), ao, hint)), se
            assert not os.path.exists(os.path.join(tmp, "out2"))
            assert os.listdir(ao) == [], os.listdir(ao)
        # one its user may write but not read (mode 0300) is asked too
        if shutil.which("setpriv"):
            os.chmod(tmp, 0o755)
            hidden = os.path.join(tmp, "hidden")
            with special_folder(hidden, ["sh", "-c", "chown 65534:65534 \"$0\" && chmod 300 "
                                         "\"$0\" && chattr +a \"$0\"", hidden],
                                ["chattr", "-a", hidden], "no append-only flag") as ready:
                if ready:
                    r = as_nobody("schema", "-o", os.path.join(hidden, "s.json"))
                    assert r.returncode == 2 and "append-only" in r.stderr, r.stderr
                    assert os.listdir(hidden) == [], os.listdir(hidden)
        # the output folder itself append-only: left as it was
        out = os.path.join(tmp, "out")
        rc, _, se = run("build", "-q", "-C", site, "-o", out)
        assert rc == 0, se
        before = full_digest(out)
        with open(os.path.join(site, "content", "institutions", "makerere.md"), "a") as fh:
            fh.write("\nMore.\n")
        if subprocess.run(["chattr", "+a", out], capture_output=True).returncode == 0:
            try:
                rc, _, se = run("build", "-C", site, "-o", out)
                assert rc == 3 and "refusing to build into '%s': it is append-only" % out in se, se
                assert full_digest(out) == before
            finally:
                subprocess.run(["chattr", "-a", out])
        assert sorted(os.listdir(tmp)) == sorted([".out.partnermap-cache",
                                                  ".out.partnermap-lock",
                                                  ".out.partnermap-manifest",
                                                  ".out.partnermap-map",
                                                  ".out.partnermap-pieces", "ao",
                                                  "out", "site"] +
                                                 (["hidden"] if shutil.which("setpriv")
                                                  else [])), os.listdir(tmp)


@test
def the_staging_folder_is_made_private_not_made_so_after():
    """The staging folder was made 0755 and changed to 0700 after: another
    user watching the folder could open it in between and list the site
    later. It is made 0700 (strace shows the mode mkdir is given), and the
    site gets 0755 less the umask at the swap."""
    if not shutil.which("strace"):
        print("     (skipped: needs strace)")
        return
    with min_site() as (site, tmp):
        out = os.path.join(tmp, "out")
        p = subprocess.run(["strace", "-f", "-qq", "-e", "trace=mkdir,mkdirat", TOOL,
                            "build", "-q", "-C", site, "-o", out],
                           capture_output=True, text=True,
                           env=dict(os.environ, ASAN_OPTIONS="detect_leaks=0"))
        assert p.returncode == 0, p.stderr
        # the first mkdir of the staging folder itself makes it (the
        # later ones are mkdir -p on the way to its files)
        made = re.findall(r'mkdir(?:at)?\((?:AT_FDCWD, )?"[^"]*\.staging-[^"/]*", (0\d+)',
                          p.stderr)
        assert made and made[0] == "0700", (made, p.stderr[:2000])
        assert stat.S_IMODE(os.stat(out).st_mode) == 0o755 & ~current_umask()


def current_umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


@test
def a_previous_site_that_cannot_be_removed_is_said_and_removed_later():
    """A folder inside the output folder made append-only (chattr +a): a
    --clean build swaps the new site in, but the previous one cannot be
    removed. It was left beside the output without a word; now the build
    says where and what to do, and once the flag is cleared the next build
    removes it. With a swap by two renames too. Needs root for chattr."""
    with built_for_chattr() as got:
        if not got:
            return
        site, tmp, out = got
        flagged = os.path.join(out, "institutions")
        if subprocess.run(["chattr", "+a", flagged], capture_output=True).returncode:
            print("     (skipped: this file system has no append-only flag)")
            return
        left = []
        try:
            for env, kind in (({}, "staging"), ({"PARTNERMAP_TEST_NO_EXCHANGE": "1"}, "old")):
                if env:
                    subprocess.run(["chattr", "+a", flagged], check=True)
                p = subprocess.run([TOOL, "build", "-C", site, "-o", out, "--clean"],
                                   capture_output=True, text=True,
                                   env=dict(os.environ, **env))
                rc, so, se = p.returncode, p.stdout, p.stderr
                assert rc == 0, se
                assert so.startswith("partnermap: built "), so
                # named: the entry that would not go, and its folder
                m = re.fullmatch(
                    r"partnermap: could not remove '(%s\.%s-\d+-\d+-[0-9a-f]{8})', a site "
                    r"left beside the output folder: '\1/institutions/[a-z-]+' in it would "
                    r"not go: the folder '\1/institutions' is append-only \(lsattr -d shows "
                    r"an a\), where nothing may be removed: clear the flag \(chattr -a\), then "
                    r"remove it\n" % (re.escape(out), kind), se)
                assert m, se
                left.append(m.group(1))
                assert os.path.isdir(left[-1])
                assert os.path.isfile(os.path.join(out, "index.html"))
            # every build says so until it is gone, not only the one that
            # left it
            rc, _, se = run("build", "-q", "-C", site, "-o", out)
            assert rc == 0, se
            assert re.match(r"partnermap: could not remove '%s\.(staging|old)-"
                            % re.escape(out), se), se
        finally:
            subprocess.run(["chattr", "-R", "-a", tmp])
        rc, _, se = run("build", "-q", "-C", site, "-o", out)
        assert rc == 0 and se == "", se
        assert [p for p in left if os.path.exists(p)] == []


@test
def a_site_left_beside_a_relative_output_is_named_one_way():
    """A site left beside an output folder given as a relative path ("-o
    out", from its folder) was named 'out.staging-…' by the build that
    left it and './out.staging-…' by the builds after. Now the same way by
    each. Needs root for chattr."""
    with built_for_chattr() as got:
        if not got:
            return
        site, tmp, _ = got
        rc, _, se = run("build", "-q", "-C", site, "-o", "rel", cwd=tmp)
        assert rc == 0, se
        deep = os.path.join(tmp, "rel", "countries", "deep.html")
        with open(deep, "w") as fh:
            fh.write("no build wrote this")
        if subprocess.run(["chattr", "+i", deep], capture_output=True).returncode:
            print("     (skipped: this file system has no immutable flag)")
            return
        try:
            said = []
            for args in (("--clean",), ()):
                rc, _, se = run("build", "-q", *args, "-C", site, "-o", "rel", cwd=tmp)
                assert rc == 0, se
                said.append(se)
            assert re.fullmatch(r"partnermap: could not remove '(rel\.staging-[-0-9a-f]+)', "
                                r"a site left beside the output folder: '\1/countries/"
                                r"deep\.html' in it would not go: it is immutable \(lsattr "
                                r"shows an i\): clear the flag \(chattr -i\), then remove "
                                r"it\n", said[0]), said
            assert said[1] == said[0], said
        finally:
            subprocess.run(["chattr", "-R", "-i", tmp], capture_output=True)


@test
def another_users_marker_in_a_shared_folder_blocks_no_one():
    """A .partnermap-output file another user put in /tmp made every build
    and report below /tmp refused, as if /tmp were an output folder. Only
    the builder's own marker makes a folder an output folder. Needs root
    to act as two users (setpriv)."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        print("     (skipped: needs root and setpriv)")
        return
    with min_site() as (site, tmp):
        os.chmod(tmp, 0o755)
        shared = os.path.join(tmp, "shared")
        os.mkdir(shared)
        os.chmod(shared, 0o1777)
        # a true marker, as a build writes it, but another user's
        marker = os.path.join(shared, ".partnermap-output")
        shutil.copy(os.path.join(built_output(site, tmp), ".partnermap-output"), marker)
        os.chown(marker, 1, 1)
        r = as_nobody("build", "-q", "-C", site, "-o", os.path.join(shared, "site"),
                      "--format=gitlab", "--report", os.path.join(shared, "r.json"))
        assert r.returncode == 0, r.stderr
        assert os.path.isfile(os.path.join(shared, "site", "index.html"))
        assert read(os.path.join(shared, "r.json")) == "[]\n"
        # one's own marker there does make it an output folder
        os.chown(marker, 65534, 65534)
        r = as_nobody("build", "-C", site, "-o", os.path.join(shared, "two"))
        assert r.returncode == 3 and "it lies inside '%s', an output folder" % shared \
            in r.stderr, r.stderr


def built_output(site, tmp):
    """A folder the minimal site was built into, in tmp."""
    out = os.path.join(tmp, "first")
    rc, _, se = run("build", "-q", "-C", site, "-o", out)
    assert rc == 0, se
    return out


@test
def a_report_folder_that_cannot_take_the_file_is_refused_before_the_build():
    """--report in a folder that is missing, is a file, or is not the
    builder's to write in was found only after the build had published the
    site (exit 3, the report lost): now a usage error, nothing built."""
    with min_site() as (site, tmp):
        out = os.path.join(tmp, "out")
        ro = os.path.join(tmp, "ro")
        os.mkdir(ro)
        os.chmod(ro, 0o555)
        os.chmod(tmp, 0o755)
        yml = os.path.join(site, "site.yml")
        cases = [(os.path.join(tmp, "nowhere", "r.json"), os.path.join(tmp, "nowhere"),
                  "does not exist: make it first, or name a file in a folder that does"),
                 (os.path.join(yml, "r.json"), yml, "is a file, not a folder"),
                 (os.path.join(yml, "x", "r.json"), os.path.join(yml, "x"),
                  "is not a folder: a name on the way is a file")]
        for report, folder, why in cases:
            rc, so, se = run("build", "-C", site, "-o", out, "--format=gitlab",
                             "--report", report)
            assert rc == 2 and se == ("partnermap: --report '%s': its folder '%s' %s\n"
                                      "Try 'partnermap build --help'.\n"
                                      % (report, folder, why)), se
            assert not os.path.exists(out)
        if shutil.which("setpriv"):
            r = as_nobody("schema", "-o", os.path.join(ro, "s.json"))
            assert r.returncode == 2 and r.stderr.startswith(
                "partnermap: -o '%s': its folder '%s' is not yours to write in: make it "
                "writable for you, or give another path\n" % (os.path.join(ro, "s.json"), ro)), \
                r.stderr
        # what is at the path: a named pipe or a device is never replaced
        # (as root, /dev/null became a file holding the report); another
        # user's file in a sticky folder cannot be
        fifo = os.path.join(tmp, "fifo")
        os.mkfifo(fifo)
        said = [(fifo, "it is a named pipe, which partnermap never replaces; give the "
                       "path of a file")]
        if os.geteuid() == 0:
            dev = os.path.join(tmp, "null")
            os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
            said.append((dev, "it is a device, which partnermap never replaces; give the "
                              "path of a file"))
        # a link to one of those: as root, --report /dev/stdout made the
        # link a file
        tty = os.path.join(tmp, "stdout")
        os.symlink(fifo, tty)
        said.append((tty, "it is a symbolic link to something that is not a file (a "
                          "device, a pipe, a folder: /dev/stdout, say), which partnermap "
                          "would replace with a file; give the path of a file"))
        for report, why in said:
            rc, _, se = run("build", "-C", site, "-o", out, "--format=gitlab",
                            "--report", report)
            assert rc == 2 and se == ("partnermap: --report '%s': %s\n"
                                      "Try 'partnermap build --help'.\n" % (report, why)), se
            assert not os.path.exists(out)
            assert not stat.S_ISREG(os.lstat(report).st_mode)
        rc, _, se = run("build", "-C", site, "-o", out, "--format=gitlab", "--report", "-")
        assert rc == 2 and se.startswith("partnermap: --report - would write a file "
                                         "called '-'"), se
        if os.geteuid() == 0 and shutil.which("chattr"):
            imm = os.path.join(tmp, "imm")
            os.mkdir(imm)
            if subprocess.run(["chattr", "+i", imm], capture_output=True).returncode == 0:
                try:
                    rc, _, se = run("schema", "-o", os.path.join(imm, "s.json"))
                finally:
                    subprocess.run(["chattr", "-i", imm])
                assert rc == 2 and se.startswith(
                    "partnermap: -o '%s': its folder '%s' is immutable (lsattr -d shows an "
                    "i): nothing can be made there, by root either; clear the flag (chattr "
                    "-i) or give another path\n"
                    % (os.path.join(imm, "s.json"), imm)), se
        rc, _, se = run("schema", "-o", "/dev/partnermap-test.json")
        assert rc == 2 and "its folder is in /dev, the system's devices" in se, se
        assert not os.path.exists("/dev/partnermap-test.json")
        if shutil.which("setpriv"):
            sticky = os.path.join(tmp, "sticky")
            os.mkdir(sticky)
            os.chmod(sticky, 0o1777)
            theirs = os.path.join(sticky, "r.json")
            with open(theirs, "w") as fh:
                fh.write("root's\n")
            r = as_nobody("schema", "-o", theirs)
            assert r.returncode == 2 and r.stderr.startswith(
                "partnermap: -o '%s': another user owns it, in a folder with the sticky "
                "bit (as /tmp), where only its owner may replace it; give another path\n"
                % theirs), r.stderr
            assert read(theirs) == "root's\n"
        # a report beside the site, in the folder the command runs in
        rc, _, se = run("build", "-q", "-C", site, "-o", out, "--format=gitlab",
                        "--report", os.path.join(tmp, "r.json"))
        assert rc == 0 and os.path.isfile(os.path.join(tmp, "r.json")), se
        assert os.path.isfile(os.path.join(out, "index.html"))


@contextlib.contextmanager
def small_disk(size):
    """The minimal site and, in its temporary folder, a file system of
    size ("256k") mounted at small/: yields (site, small), or None when
    this is not root or cannot mount (the test is skipped, saying so)."""
    if os.geteuid() != 0:
        print("     (skipped: needs root to mount a small file system)")
        yield None
        return
    with min_site() as (site, tmp):
        small = os.path.join(tmp, "small")
        with special_folder(small, ["mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs",
                                    small], ["umount", small], "cannot mount here") as ready:
            yield (site, small) if ready else None


@test
def a_full_disk_is_said_without_a_position_and_leaves_nothing():
    """A file of the output has no line to point at: a full disk is said
    as a problem of the output folder, naming the file, with what to do,
    and the staging folder is removed. Needs root to mount a small file
    system."""
    with small_disk("256k") as disk:
        if disk:
            site, small = disk
            out = os.path.join(small, "out")
            rc, so, se = run("build", "-C", site, "-o", out)
            assert rc == 3, (rc, se)
            first = se.splitlines()[0]
            assert re.fullmatch(r"partnermap: error: cannot write '%s/[^']+': No space left "
                                r"on device; free some disk space and build again"
                                % re.escape(out), first), se
            assert se.endswith("partnermap: the build failed; nothing was written\n"), se
            # the staging folder is gone, and the lock file the build
            # made: nothing is left
            assert os.listdir(small) == [], os.listdir(small)


@test
def a_build_that_changes_nothing_succeeds_on_a_full_disk():
    """In place, a build that changes no file writes nothing: not the
    staging folder, not its marker, not a file to compare, and the last
    manifest and record cache stay, still true. An edit on the full disk
    then fails, saying why, with the folder as it was. Needs root to mount
    a small file system."""
    with small_disk("8m") as disk:
        if disk:
            site, small = disk
            out = os.path.join(small, "out")
            rc, so, se = run("build", "-q", "-C", site, "-o", out)
            assert rc == 0, se
            rc, so, se = run("build", "-q", "-C", site, "-o", out)  # takes the lock file
            assert rc == 0, se
            with open(os.path.join(small, "fill"), "wb") as fh:
                try:
                    while True:
                        fh.write(b"\0" * 65536)
                        fh.flush()
                except OSError:
                    pass
            before = full_digest(small)
            rc, so, se = run("build", "-C", site, "-o", out)
            assert rc == 0 and se == "", (rc, se)
            assert re.match(BUILT, so) and so.endswith(" pages kept from the last build)\n"), so
            assert full_digest(small) == before
            with open(os.path.join(site, "content", "institutions", "makerere.md"), "a") as fh:
                fh.write("\nAn edit.\n")
            rc, so, se = run("build", "-C", site, "-o", out)
            assert rc == 3, (rc, se)
            assert re.match(r"partnermap: error: cannot create the staging folder "
                            r"out\.staging-\d+-\d+-[0-9a-f]{8} beside '%s': No space left on device; "
                            r"free some disk space and build again\n" % re.escape(out), se), se
            assert se.endswith("partnermap: the build failed; the previous output was kept\n"), se
            assert full_digest(small) == before


@test
def a_folder_its_owner_cannot_enter_is_given_its_bits_again():
    """A folder of the output its owner may not list, enter or change
    (chmod 0, 300, 500) stopped every later build, whose files it could
    neither compare nor move in (found by a review): it is given the bits
    a clean build gives it (0755 less the umask), and the build completes.
    Needs root to build as another user (setpriv), as root reads any
    folder."""
    with built_as_nobody() as got:
        if not got:
            return
        site, out = got
        inst = sorted(os.listdir(os.path.join(out, "institutions")))
        shut = {os.path.join(out, "institutions", inst[0]): 0o000,
                os.path.join(out, "institutions", inst[1]): 0o300,
                os.path.join(out, "countries"): 0o500}
        for path, mode in shut.items():
            os.chmod(path, mode)
        for _ in range(2):
            r = as_nobody("build", "-q", "-C", site, "-o", out)
            assert r.returncode == 0, r.stderr
            for path in shut:
                assert stat.S_IMODE(os.stat(path).st_mode) == 0o755, \
                    (path, oct(os.stat(path).st_mode))
        clean = os.path.join(os.path.dirname(out), "clean")
        r = as_nobody("build", "-q", "--clean", "-C", site, "-o", clean)
        assert r.returncode == 0, r.stderr
        assert tree_digest(out) == tree_digest(clean)


@test
def a_folder_its_owner_cannot_enter_is_removed_all_the_same():
    """A folder of the output that its owner may not list, enter or change
    is removed when the new site no longer has it: the folder of a record
    removed, a folder where the new site puts a file, and the whole old
    site that --clean replaces. Before, --clean left the old site beside
    the output ("remove it yourself", where rm -rf fails too) and an
    in-place build failed. Needs root to build as another user (setpriv),
    as root reads any folder."""
    with built_as_nobody() as got:
        if not got:
            return
        site, out = got
        inst = sorted(os.listdir(os.path.join(out, "institutions")))
        gone = [os.path.join(out, "institutions", inst[0]),
                os.path.join(out, "institutions", inst[1])]
        for slug in inst[:2]:
            os.remove(os.path.join(site, "content", "institutions", slug + ".md"))
        os.chmod(gone[0], 0o000)
        os.chmod(gone[1], 0o500)
        # a folder, holding a file, where the new site writes map.svg
        svg = os.path.join(out, "map.svg")
        os.remove(svg)
        os.makedirs(os.path.join(svg, "inside"))
        for d in (os.path.join(svg, "inside"), svg):
            os.chown(d, 65534, 65534)
        os.chmod(svg, 0o000)
        r = as_nobody("build", "-q", "-C", site, "-o", out)
        assert r.returncode == 0 and r.stderr == "", (r.returncode, r.stderr)
        assert not any(os.path.lexists(g) for g in gone)
        assert os.path.isfile(svg)
        clean = os.path.join(os.path.dirname(out), "clean")
        r = as_nobody("build", "-q", "--clean", "-C", site, "-o", clean)
        assert r.returncode == 0, r.stderr
        assert tree_digest(out) == tree_digest(clean)
        # --clean: the old site goes whole, shut folders and all
        shut = os.path.join(out, "institutions", inst[2])
        os.chmod(shut, 0o000)
        os.chmod(os.path.join(out, "countries"), 0o500)
        r = as_nobody("build", "-q", "--clean", "-C", site, "-o", out)
        assert r.returncode == 0 and r.stderr == "", (r.returncode, r.stderr)
        beside = os.listdir(os.path.dirname(out))
        assert [n for n in beside if n.startswith("site.")] == [], beside
        assert tree_digest(out) == tree_digest(clean)


@test
def files_another_user_put_beside_the_output_are_never_said_replaced():
    """In a shared folder with the sticky bit, files another user put where
    a build keeps its manifest, record cache and pieces' tables cannot be
    replaced. Each is said not kept; the pieces' tables were said replaced
    ("this build wrote its own") though they are written after the
    manifest and never were (found by a review). Needs root to build as
    another user (setpriv)."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        print("     (skipped: needs root and setpriv)")
        return
    with min_site() as (site, tmp):
        home_of_nobody(site, tmp)
        pub = os.path.join(tmp, "pub")
        os.mkdir(pub)
        os.chmod(pub, 0o1777)
        planted = {}
        for suffix in ("manifest", "cache", "pieces"):
            path = os.path.join(pub, ".site.partnermap-" + suffix)
            with open(path, "w") as fh:
                fh.write("planted\n")
            os.chmod(path, 0o644)
            planted[suffix] = path
        out = os.path.join(pub, "site")
        r = as_nobody("build", "-q", "-C", site, "-o", out)
        assert r.returncode == 0, r.stderr
        assert "wrote its own" not in r.stderr, r.stderr
        for suffix, what in (("manifest", "the list of pages"),
                             ("cache", "the parsed records"),
                             ("pieces", "where each record's piece of the open data lies")):
            assert ("partnermap: could not keep %s in '%s' (Operation not permitted)"
                    % (what, planted[suffix])) in r.stderr, (suffix, r.stderr)
            assert read(planted[suffix]) == "planted\n"


@contextlib.contextmanager
def built_for_chattr():
    """The small site built into a folder of its own: (site, tmp, output
    folder), removed after; None, the test skipped, when not root or
    without chattr."""
    if os.geteuid() != 0 or not shutil.which("chattr"):
        print("     (skipped: needs root and chattr)")
        yield None
        return
    with min_site() as (site, tmp):
        out = os.path.join(tmp, "out")
        rc, _, se = run("build", "-q", "-C", site, "-o", out)
        assert rc == 0, se
        yield site, tmp, out


def files_and_modes(folder):
    """Every path below folder with its kind, bytes, mode and owner, for a
    folder that must be left as it was."""
    got = {}
    for dirpath, dirs, files in os.walk(folder):
        for n in dirs + files:
            path = os.path.join(dirpath, n)
            sb = os.lstat(path)
            data = b""
            if stat.S_ISREG(sb.st_mode):
                with open(path, "rb") as fh:
                    data = fh.read()
            got[os.path.relpath(path, folder)] = (stat.S_IFMT(sb.st_mode), data,
                                                  sb.st_mode & 0o7777, sb.st_uid,
                                                  sb.st_mtime_ns)
    return got


OUTPUT_KEPT = "partnermap: the build failed; the previous output was kept\n"


def refused_before_any_change(site, out, said, nobody=False):
    """Build site into out ("build -q"; as nobody when nobody is set): the
    build must exit 3, its message begin with said and end with
    OUTPUT_KEPT,
    and out be left as it was (files_and_modes)."""
    before = files_and_modes(out)
    if nobody:
        r = as_nobody("build", "-q", "-C", site, "-o", out)
        rc, se = r.returncode, r.stderr
    else:
        rc, _, se = run("build", "-q", "-C", site, "-o", out)
    assert rc == 3, (rc, se)
    assert se.startswith(said), se
    assert se.endswith(OUTPUT_KEPT), se
    assert files_and_modes(out) == before

@test
def a_folder_of_another_users_in_the_output_stops_the_build_before_any_change():
    """A folder of another user's inside the output folder (left by one
    build run with sudo, say), which the builder may not write in, stops a
    build that must add or remove something in it, before anything moves:
    the output is left as it was and the message names that folder and
    its owner, not 'No such file' at a page or the output folder itself.
    A build that changes only what lies in the builder's own folders below
    it goes on. Needs root to build as another user (setpriv)."""
    with built_as_nobody() as got:
        if not got:
            return
        site, out = got
        inst = os.path.join(out, "institutions")
        os.chown(inst, 0, 0)  # 0755, root's
        said = ("partnermap: error: cannot update the output folder: '%s' belongs "
                "to another user (uid 0), and you may not write in it (mode 0755): have "
                "that user or root remove it or give it to you (chown), or choose "
                "another folder with -o\n" % inst)
        records = os.path.join(site, "content", "institutions")
        # a new record: its folder would be made in institutions/
        with open(os.path.join(records, "makerere.md"), encoding="utf-8") as fh:
            text = fh.read()
        new = os.path.join(records, "kampala-new.md")
        with open(new, "w", encoding="utf-8") as fh:
            fh.write(text.replace("name: ", "name: New ", 1))
        os.chmod(new, 0o644)
        refused_before_any_change(site, out, said, nobody=True)
        os.remove(new)
        # a removed record: its folder would go from institutions/
        gone = os.path.join(records, "yaounde.md")
        with open(gone, encoding="utf-8") as fh:
            yaounde = fh.read()
        os.remove(gone)
        refused_before_any_change(site, out, said, nobody=True)
        with open(gone, "w", encoding="utf-8") as fh:
            fh.write(yaounde)
        os.chmod(gone, 0o644)
        # a changed body: the page is in a folder of the builder's own
        with open(os.path.join(records, "makerere.md"), "a", encoding="utf-8") as fh:
            fh.write("\nA sentence added to the body.\n")
        r = as_nobody("build", "-q", "-C", site, "-o", out)
        assert r.returncode == 0 and r.stderr == "", (r.returncode, r.stderr)
        page = os.path.join(inst, "makerere", "index.html")
        with open(page, encoding="utf-8") as fh:
            assert "A sentence added to the body." in fh.read()
        # a file no build wrote, which only the commit's walk meets: the
        # site is whole, and the build says what it left, where and whose
        # folder it is in
        stray = os.path.join(inst, "stray.html")
        with open(stray, "w", encoding="utf-8") as fh:
            fh.write("not from a build")
        r = as_nobody("build", "-q", "-C", site, "-o", out)
        assert (r.returncode, r.stderr) == (0, (
            "partnermap: could not remove '%s', which the new site does not have: "
            "the folder '%s' belongs to another user (uid 0), and you may not write "
            "in it (mode 0755): have that user or root remove it\n" % (stray, inst)))
        assert os.path.isfile(stray)
        # --clean puts a new site in place, but cannot remove the old one:
        # the entry that would not go is named, and the folder it is in
        r = as_nobody("build", "-q", "--clean", "-C", site, "-o", out)
        assert r.returncode == 0, (r.returncode, r.stderr)
        assert re.fullmatch(
            r"partnermap: could not remove '(%s\.staging-[-0-9a-f]+)', a site left "
            r"beside the output folder: '\1/institutions/[a-z.-]+' in it would not go: "
            r"the folder '\1/institutions' belongs to another user \(uid 0\), and you "
            r"may not write in it \(mode 0755\): have that user or root remove it\n"
            % re.escape(out), r.stderr), r.stderr
        assert os.stat(inst).st_uid == 65534


@test
def a_page_of_another_users_in_a_sticky_folder_stops_the_build_before_any_change():
    """A folder of another user's with the sticky bit (1777, as /tmp)
    lets the builder write in it, but not replace or remove what another
    user owns there. A page of the last build's, left as root's in such a
    folder, was met only by the moves: an edit stopped half way with a
    mixed site on every build, and a removed record's page stayed
    published with exit 0. Now the build stops before anything moves,
    and names the page, its owner and the folder. Needs root to build as
    another user (setpriv)."""
    with built_as_nobody() as got:
        if not got:
            return
        site, out = got
        folder = os.path.join(out, "institutions", "makerere")
        page = os.path.join(folder, "index.html")
        os.chown(folder, 0, 0)
        os.chmod(folder, 0o1777)
        os.chown(page, 0, 0)
        said = ("partnermap: error: cannot update the output folder: '%s' belongs "
                "to another user (uid 0), in the folder '%s', which has the sticky "
                "bit and another user's (uid 0, mode 1777): only the entry's owner "
                "may replace or remove it there: have that user or root remove it, "
                "or choose another folder with -o\n" % (page, folder))
        record = os.path.join(site, "content", "institutions", "makerere.md")
        with open(record, encoding="utf-8") as fh:
            text = fh.read()
        # the page changes: the move would replace root's file
        with open(record, "a", encoding="utf-8") as fh:
            fh.write("\nA sentence added to the body.\n")
        refused_before_any_change(site, out, said, nobody=True)
        # the record goes: its page would be removed
        os.remove(record)
        refused_before_any_change(site, out, said, nobody=True)
        # the builder's own page in that folder goes through
        os.chown(page, 65534, 65534)
        with open(record, "w", encoding="utf-8") as fh:
            fh.write(text + "\nA sentence added to the body.\n")
        os.chmod(record, 0o644)
        r = as_nobody("build", "-q", "-C", site, "-o", out)
        # said: the folder keeps a mode a clean build's never has
        assert r.returncode == 0 and r.stderr == (
            "partnermap: '%s' belongs to another user (uid 0) and keeps its "
            "mode 1777, which lets others change what it holds: have that user "
            "or root remove it, then build again\n" % folder), (r.returncode, r.stderr)
        with open(page, encoding="utf-8") as fh:
            assert "A sentence added to the body." in fh.read()
        # root's file where a new record's folder goes, in root's sticky
        # folder: the builder may not remove it
        inst = os.path.dirname(folder)
        os.chown(inst, 0, 0)
        os.chmod(inst, 0o1777)
        stray = os.path.join(inst, "zz6")
        with open(stray, "w") as fh:
            fh.write("root's")
        new = os.path.join(site, "content", "institutions", "zz6.md")
        with open(new, "w", encoding="utf-8") as fh:
            fh.write(text.replace("name: ", "name: New ", 1))
        os.chmod(new, 0o644)
        refused_before_any_change(site, out, (
            "partnermap: error: cannot update the output folder: '%s' belongs to another "
            "user (uid 0), in the folder '%s', which has the sticky bit and another "
            "user's (uid 0, mode 1777): only the entry's owner may replace or remove it "
            "there" % (stray, inst)), nobody=True)


@test
def a_flagged_page_or_folder_stops_the_build_before_any_change():
    """chattr +i on a page, +a on the folder a removed record's page goes
    from, +i on the folder a new record's folder is made in: the moves
    met them half way (a mixed site, 'part of the new site'), or the
    walk left a removed record's page published with exit 0. Now the
    build stops before anything moves, naming the flag and what to do.
    Needs root for chattr."""
    with built_for_chattr() as got:
        if not got:
            return
        site, tmp, out = got
        inst = os.path.join(out, "institutions")
        page = os.path.join(inst, "makerere", "index.html")
        if subprocess.run(["chattr", "+i", page], capture_output=True).returncode:
            print("     (skipped: this file system has no immutable flag)")
            return
        records = os.path.join(site, "content", "institutions")
        record = os.path.join(records, "makerere.md")
        try:
            with open(record, "a", encoding="utf-8") as fh:
                fh.write("\nA sentence added to the body.\n")
            refused_before_any_change(site, out, (
                "partnermap: error: cannot update the output folder: '%s' is immutable "
                "(lsattr shows an i), so it may not be replaced or removed: clear the "
                "flag (chattr -i) or choose another folder with -o\n" % page))
            subprocess.run(["chattr", "-i", page], check=True)
            # append-only: the removed record's folder cannot go
            subprocess.run(["chattr", "+a", inst], check=True)
            gone = os.path.join(records, "yaounde.md")
            with open(gone, encoding="utf-8") as fh:
                yaounde = fh.read()
            os.remove(gone)
            refused_before_any_change(site, out, (
                "partnermap: error: cannot update the output folder: '%s' is in the "
                "folder '%s', which is append-only (lsattr -d shows an a): an entry may "
                "be made there, but not replaced or removed: clear the flag (chattr -a) "
                "or choose another folder with -o\n"
                % (os.path.join(inst, "yaounde"), inst)))
            subprocess.run(["chattr", "-a", inst], check=True)
            with open(gone, "w", encoding="utf-8") as fh:
                fh.write(yaounde)
            # immutable: a new record's folder cannot be made in it
            subprocess.run(["chattr", "+i", inst], check=True)
            with open(os.path.join(records, "kampala-new.md"), "w", encoding="utf-8") as fh:
                fh.write(yaounde.replace("name: ", "name: New ", 1))
            refused_before_any_change(site, out, (
                "partnermap: error: cannot update the output folder: the folder '%s' is "
                "immutable (lsattr -d shows an i), so nothing in it may be made, replaced "
                "or removed: clear the flag (chattr -i) or choose another folder with -o\n"
                % inst))
            subprocess.run(["chattr", "-i", inst], check=True)
            os.remove(os.path.join(records, "kampala-new.md"))
            # no build wrote them, but a new page's way needs them gone:
            # a file where its folder goes, a file below a folder where
            # its page goes
            for slug, stray, flagged in (
                    ("zz-file", "zz-file", "zz-file"),
                    ("zz-folder", "zz-folder/index.html/sub/f", "zz-folder/index.html/sub/f")):
                path = os.path.join(inst, stray)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as fh:
                    fh.write("no build wrote this")
                subprocess.run(["chattr", "+i", os.path.join(inst, flagged)], check=True)
                new = os.path.join(records, slug + ".md")
                with open(new, "w", encoding="utf-8") as fh:
                    fh.write(yaounde.replace("name: ", "name: %s " % slug, 1))
                refused_before_any_change(site, out, (
                    "partnermap: error: cannot update the output folder: '%s' is immutable "
                    "(lsattr shows an i), so it may not be replaced or removed: clear the "
                    "flag (chattr -i) or choose another folder with -o\n"
                    % os.path.join(inst, flagged)))
                subprocess.run(["chattr", "-i", os.path.join(inst, flagged)], check=True)
                # without the flag, the build takes its place
                rc, _, se = run("build", "-q", "-C", site, "-o", out)
                assert (rc, se) == (0, ""), (slug, rc, se)
                assert os.path.isfile(os.path.join(inst, slug, "index.html")), slug
            # no build wrote it, and the new site does not have it: left,
            # and its own flag named, not guessed
            junk = os.path.join(inst, "junk.html")
            with open(junk, "w") as fh:
                fh.write("no build wrote this")
            subprocess.run(["chattr", "+i", junk], check=True)
            rc, _, se = run("build", "-q", "-C", site, "-o", out)
            assert (rc, se) == (0, "partnermap: could not remove '%s', which the new site "
                                "does not have: it is immutable (lsattr shows an i): clear "
                                "the flag (chattr -i), then remove it\n" % junk), (rc, se)
            subprocess.run(["chattr", "-i", junk], check=True)
            os.remove(junk)
            # the files kept beside the output: the flag named, not a mode
            lock = os.path.join(tmp, ".out.partnermap-lock")
            manifest = os.path.join(tmp, ".out.partnermap-manifest")
            subprocess.run(["chattr", "+i", lock, manifest], check=True)
            with open(record, "a", encoding="utf-8") as fh:
                fh.write("\nOne more sentence.\n")
            rc, _, se = run("build", "-q", "-C", site, "-o", out)
            subprocess.run(["chattr", "-i", lock, manifest], check=True)
            assert (rc, se) == (0, (
                "partnermap: did not use '%s': it is immutable (lsattr shows an i), so "
                "it cannot be opened to write; clear the flag (chattr -i); this build ran "
                "without it\n"
                "partnermap: could not keep the list of pages in '%s' (Operation not "
                "permitted): it is immutable (lsattr shows an i): clear the flag "
                "(chattr -i); the next build may render every page again\n")
                % (lock, manifest)), (rc, se)
        finally:
            subprocess.run(["chattr", "-R", "-i", "-a", out])
        # flags cleared: the build completes, as a clean one
        rc, _, se = run("build", "-q", "-C", site, "-o", out)
        assert (rc, se) == (0, "")
        clean = os.path.join(tmp, "clean")
        rc, _, se = run("build", "-q", "-C", site, "-o", clean)
        assert rc == 0, se
        assert files_and_modes(out).keys() == files_and_modes(clean).keys()


@test
def what_a_build_may_not_remove_is_said_and_the_build_completes():
    """A folder of another user's that no build wrote, deep in a folder the
    new site no longer has, was met only by the commit's walk after every
    file had moved: the build stopped with 'you may not write in' the
    output folder itself, claimed the folder held part of the new site,
    and did so again on every build, even one that changed nothing. Now
    the walk removes all else, the build completes (exit 0) and names the
    entry that would not go and whose folder holds it, each time until it
    is gone; in a folder with the sticky bit, that only its owner may
    remove it. Needs root to build as another user (setpriv)."""
    with built_as_nobody() as got:
        if not got:
            return
        site, out = got
        gone = os.path.join(out, "institutions", "yaounde")
        gone2 = os.path.join(out, "institutions", "mengo-hospital")
        junk = os.path.join(gone, "junk")
        os.mkdir(junk)                     # root's, 0755
        with open(os.path.join(junk, "f"), "w") as fh:
            fh.write("root's")
        sticky = os.path.join(gone2, "shared")
        os.mkdir(sticky)
        os.chmod(sticky, 0o1777)           # root's, like /tmp
        with open(os.path.join(sticky, "x"), "w") as fh:
            fh.write("root's")
        # root's folder that its owner alone may open, in the builder's
        gone3 = os.path.join(out, "institutions", "chiang-mai")
        shut = os.path.join(gone3, "shut")
        os.mkdir(shut, 0o700)
        with open(os.path.join(shut, "f"), "w") as fh:
            fh.write("root's")
        for name in ("yaounde.md", "mengo-hospital.md", "chiang-mai.md"):
            os.remove(os.path.join(site, "content", "institutions", name))
        said = {
            os.path.join(junk, "f"):
                "the folder '%s' belongs to another user (uid 0), and you may not "
                "write in it (mode 0755): have that user or root remove it" % junk,
            os.path.join(sticky, "x"):
                "the folder '%s' belongs to another user (uid 0) and has the sticky "
                "bit (mode 1777), which lets only an entry's owner remove it (this "
                "one's is uid 0): have that owner or root remove it" % sticky,
            shut:
                "it is a folder of another user's (uid 0), which you may not empty "
                "(mode 0700): have that user or root remove it",
        }
        for i in range(2):  # the record removed; then no change at all
            r = as_nobody("build", "-q", "-C", site, "-o", out)
            assert r.returncode == 0, (i, r.returncode, r.stderr)
            # the first one met, and a count of the others
            m = re.fullmatch(r"partnermap: could not remove '([^']+)', which the new "
                             r"site does not have: (.*) \(2 more such entries left\)\n",
                             r.stderr)
            assert m and said.get(m.group(1)) == m.group(2), (i, r.stderr)
            assert "part of the new site" not in r.stderr
            assert os.listdir(gone) == ["junk"] and os.listdir(gone2) == ["shared"]
            assert os.listdir(junk) == ["f"] and os.listdir(sticky) == ["x"]
            assert os.listdir(gone3) == ["shut"] and os.listdir(shut) == ["f"]
        # the rest of the site is a clean build's
        clean = os.path.join(os.path.dirname(out), "clean")
        r = as_nobody("build", "-q", "-C", site, "-o", clean)
        assert r.returncode == 0, r.stderr
        def pages(folder):
            return sorted(os.path.relpath(os.path.join(d, f), folder)
                          for d, _, fs in os.walk(folder) for f in fs
                          if not d.startswith((gone, gone2, gone3)))
        assert pages(out) == pages(clean)
        # once root removes them, the next build says nothing
        shutil.rmtree(gone)
        shutil.rmtree(gone2)
        shutil.rmtree(gone3)
        r = as_nobody("build", "-q", "-C", site, "-o", out)
        assert (r.returncode, r.stderr) == (0, "")


@test
def a_folder_of_another_users_that_others_may_write_is_said_after_the_build():
    """A folder of another user's below the output that anyone may write
    in (0777) lets the build through, but keeps bits a clean build's
    folders never have, which the builder cannot change: the build says
    so, naming it, its owner and its mode, every time until it is gone.
    Needs root to build as another user (setpriv)."""
    with built_as_nobody() as got:
        if not got:
            return
        site, out = got
        inst = os.path.join(out, "institutions")
        os.chown(inst, 0, 0)
        os.chmod(inst, 0o777)
        said = ("partnermap: '%s' belongs to another user (uid 0) and keeps its "
                "mode 0777, which lets others change what it holds: have that user "
                "or root remove it, then build again\n" % inst)
        with open(os.path.join(site, "content", "institutions", "makerere.md"), "a",
                  encoding="utf-8") as fh:
            fh.write("\nOne more sentence.\n")
        for _ in range(2):
            r = as_nobody("build", "-q", "-C", site, "-o", out)
            assert r.returncode == 0 and r.stderr == said, (r.returncode, r.stderr)
        shutil.rmtree(inst)
        r = as_nobody("build", "-q", "-C", site, "-o", out)
        assert r.returncode == 0 and r.stderr == "", (r.returncode, r.stderr)
        assert stat.S_IMODE(os.stat(inst).st_mode) == 0o755
        assert os.stat(inst).st_uid == 65534


@test
def another_users_folder_in_the_way_is_named():
    """A folder of another user's where the new site puts a file cannot be
    emptied: the build says that folder is the one, and whose it is, not
    that the output folder (which the builder may write in) is not
    writable, and stops before anything moves. Needs root to build as
    another user (setpriv)."""
    with built_as_nobody() as got:
        if not got:
            return
        site, out = got
        svg = os.path.join(out, "map.svg")
        os.remove(svg)
        os.makedirs(os.path.join(svg, "inside"))  # root's, 0755
        r = as_nobody("build", "-q", "-C", site, "-o", out)
        assert r.returncode == 3, (r.returncode, r.stderr)
        assert r.stderr == (
            "partnermap: error: cannot update the output folder: '%s' belongs to "
            "another user (uid 0), and you may not write in it (mode 0755): have that "
            "user or root remove it or give it to you (chown), or choose another "
            "folder with -o\n1 error, 0 warnings\n"
            "partnermap: the build failed; the previous output was kept\n" % svg), r.stderr
        shutil.rmtree(svg)
        r = as_nobody("build", "-q", "-C", site, "-o", out)
        assert r.returncode == 0 and r.stderr == "", (r.returncode, r.stderr)
        assert os.path.isfile(svg)
