"""Building into a folder partnermap wrote updates it in place: only the
files whose bytes changed are replaced, only the gone ones removed, and the
result is byte for byte what `build --clean` writes."""
import contextlib
import fcntl
import glob
import os
import random
import select
import shutil
import signal
import stat
import subprocess
import time

from e2e import test, run, min_site, write_record, record, tree_digest, read, TOOL


def entries(out):
    """{relative path: (kind, inode, mtime_ns)} of every entry below out."""
    got = {}
    for dirpath, dirs, files in os.walk(out):
        for name in dirs + files:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            kind = "folder" if stat.S_ISDIR(st.st_mode) else \
                "file" if stat.S_ISREG(st.st_mode) else "other"
            got[os.path.relpath(path, out)] = (kind, st.st_ino, st.st_mtime_ns)
    return got


def build(site, *args):
    rc, so, se = run("build", "-q", "-C", site, *args)
    assert rc == 0, "build %s failed (%d):\n%s%s" % (" ".join(args), rc, so, se)


def clean_twin(site, tmp):
    """The site built with --clean into a fresh folder beside it: its
    entries' kinds and its files' digests."""
    twin = os.path.join(tmp, "clean")
    shutil.rmtree(twin, ignore_errors=True)
    build(site, "--clean", "-o", twin)
    return twin


def assert_same_site(out, twin, why=""):
    got, want = tree_digest(out), tree_digest(twin)
    kinds = lambda d: {k: v[0] for k, v in entries(d).items()}  # noqa: E731
    assert kinds(out) == kinds(twin), "%sentries differ: only in place %s, only clean %s" % (
        why, sorted(set(kinds(out)) - set(kinds(twin))), sorted(set(kinds(twin)) - set(kinds(out))))
    bad = sorted(k for k in want if got.get(k) != want[k])
    assert not bad, "%sfiles differ from the clean build: %s" % (why, bad)


@contextlib.contextmanager
def built_site():
    """The minimal site, built once: (site, its temporary folder, output)."""
    with min_site() as (site, tmp):
        build(site)
        yield site, tmp, os.path.join(site, "output")


def rewritten(before, after):
    """Files present before and after whose inode or mtime changed."""
    return sorted(k for k, v in after.items()
                  if v[0] == "file" and k in before and before[k] != v)


def append(path, text):
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text)


@test
def incremental_one_edit_rewrites_only_changed_files():
    with built_site() as (site, tmp, out):
        before, old = entries(out), tree_digest(out)
        append(os.path.join(site, "content", "institutions", "makerere.md"),
               "\nA second paragraph.\n")
        build(site)
        after, new = entries(out), tree_digest(out)
        changed = sorted(k for k in new if old.get(k) != new[k])
        assert "institutions/makerere/index.html" in changed, changed
        assert "institutions/chiang-mai/index.html" not in changed, changed
        # a file is rewritten exactly when its bytes changed; the others
        # keep their inode and modification time
        assert rewritten(before, after) == changed, (rewritten(before, after), changed)
        assert_same_site(out, clean_twin(site, tmp))


@test
def incremental_no_change_rebuild_writes_nothing():
    with built_site() as (site, tmp, out):
        before = entries(out)
        build(site)
        assert entries(out) == before


@test
def incremental_clean_rewrites_every_file():
    with built_site() as (site, tmp, out):
        before, old = entries(out), tree_digest(out)
        build(site, "--clean")
        after = entries(out)
        assert tree_digest(out) == old
        kept = [k for k, v in after.items() if v[0] == "file" and before.get(k) == v]
        assert kept == [], kept


@test
def incremental_deletion_removes_exactly_the_gone_pages():
    with built_site() as (site, tmp, out):
        before = entries(out)
        # the only partner in Thailand: its page and its country's page go
        os.unlink(os.path.join(site, "content", "institutions", "chiang-mai.md"))
        build(site)
        after = entries(out)
        gone = sorted(set(before) - set(after))
        assert gone == ["countries/th", "countries/th/index.html",
                        "institutions/chiang-mai", "institutions/chiang-mai/index.html"], gone
        assert set(after) <= set(before)
        assert_same_site(out, clean_twin(site, tmp))


@test
def incremental_failed_build_leaves_output_untouched():
    with built_site() as (site, tmp, out):
        append(os.path.join(site, "content", "institutions", "yaounde.md"), "\nMore.\n")
        before, old = entries(out), tree_digest(out)
        rel = write_record(site, "broken", name="'unclosed", country="UG")
        rc, _, se = run("build", "-C", site)
        assert rc == 1, se
        assert rel + ":" in se, se
        assert entries(out) == before and tree_digest(out) == old
        assert [n for n in os.listdir(site) if n.startswith("output.")] == []


@test
def incremental_never_writes_through_links_in_the_output():
    with built_site() as (site, tmp, out):
        victim = os.path.join(tmp, "victim")
        os.makedirs(os.path.join(victim, "makerere"))
        with open(os.path.join(victim, "page.html"), "w") as fh:
            fh.write("keep me")
        # a page replaced by a link out, a folder of pages by a link to a
        # folder out, a page by a folder
        page = os.path.join(out, "countries", "ug", "index.html")
        os.unlink(page)
        os.symlink(os.path.join(victim, "page.html"), page)
        shutil.rmtree(os.path.join(out, "institutions"))
        os.symlink(victim, os.path.join(out, "institutions"))
        os.unlink(os.path.join(out, "404.html"))
        os.makedirs(os.path.join(out, "404.html", "inside"))
        append(os.path.join(site, "content", "institutions", "makerere.md"), "\nMore.\n")
        build(site)
        with open(os.path.join(victim, "page.html")) as fh:
            assert fh.read() == "keep me"
        assert sorted(os.listdir(victim)) == ["makerere", "page.html"], os.listdir(victim)
        assert os.listdir(os.path.join(victim, "makerere")) == []
        assert_same_site(out, clean_twin(site, tmp))


def staged(out, pid):
    """Institution pages process pid has written into its staging folder."""
    return sum(len(os.listdir(os.path.join(st, "institutions")))
               for st in glob.glob(out + ".staging-%d-*" % pid)
               if os.path.isdir(os.path.join(st, "institutions")))


@test
def incremental_interrupted_build_leaves_output_untouched():
    """SIGTERM while changed pages are being staged: the old site, every
    file as it was, and no staging folder; the signal's death."""
    with min_site() as (site, tmp):
        for i in range(150):
            fields = record("UG", "Kampala", 0.3, 32.5)
            fields["name"] = "School %d" % i
            write_record(site, "school-%03d" % i, **fields)
        out = os.path.join(site, "output")
        yml = os.path.join(site, "site.yml")
        with open(yml, encoding="utf-8") as fh:
            text = fh.read()
        stopped = 0
        for _ in range(3):
            with open(yml, "w", encoding="utf-8") as fh:
                fh.write(text)
            build(site)
            before, old = entries(out), tree_digest(out)
            with open(yml, "w", encoding="utf-8") as fh:  # every page changes
                fh.write(text.replace("title: Partner Map Test Site", "title: Renamed"))
            p = subprocess.Popen([TOOL, "build", "-q", "-C", site], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
            deadline = time.monotonic() + 120
            while p.poll() is None and time.monotonic() < deadline and staged(out, p.pid) < 5:
                time.sleep(0.002)
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
            _, se = p.communicate(timeout=120)
            if p.returncode == 0:
                continue  # it finished before the signal: try again
            assert p.returncode == -signal.SIGTERM, (p.returncode, se)
            assert se.endswith("partnermap: interrupted by SIGTERM; the previous output "
                               "was kept\n"), se
            assert entries(out) == before and tree_digest(out) == old
            assert glob.glob(out + ".*") == []
            stopped += 1
            break
        assert stopped == 1, "every build ended before the signal"


# ----------------------------------------------- builds into one folder ---

def lock_path(out):
    return os.path.join(os.path.dirname(out), "." + os.path.basename(out) +
                        ".partnermap-lock")


def held(path, flags=os.O_RDONLY):
    """An open file at path with an exclusive flock on it, as anyone who
    can open it can hold: its descriptor (close it to release)."""
    fd = os.open(path, flags, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def read_until(p, text, seconds=60):
    """stderr of the running process p up to and with the line holding
    text; fails when p ends or the time is out first."""
    got, deadline = "", time.monotonic() + seconds
    while text not in got:
        left = deadline - time.monotonic()
        assert left > 0 and p.poll() is None, "no %r in:\n%s" % (text, got)
        if select.select([p.stderr], [], [], left)[0]:
            line = p.stderr.readline()
            assert line, "no %r in:\n%s" % (text, got)
            got += line
    return got


@test
def incremental_locks_others_may_take_do_not_stall_a_build():
    """Anyone who can read the output folder or the manifest can flock
    them; a build into the folder takes neither, so it neither waits for
    such a lock nor hangs on it."""
    with built_site() as (site, tmp, out):
        manifest = os.path.join(site, ".output.partnermap-manifest")
        fds = [held(out), held(manifest)]
        try:
            append(os.path.join(site, "content", "institutions", "makerere.md"),
                   "\nLocked out.\n")
            r = subprocess.run([TOOL, "build", "-q", "-C", site], capture_output=True,
                               text=True, timeout=60)
            assert r.returncode == 0 and r.stderr == "", (r.returncode, r.stderr)
            assert "Locked out." in read(os.path.join(out, "institutions", "makerere", "index.html"))
        finally:
            for fd in fds:
                os.close(fd)


@test
def waiting_names_the_lock_as_the_readme_shows_it():
    """Built from the site folder into the default output, the wait names
    the lock '.output.partnermap-lock', as the README shows it, not
    './.output.partnermap-lock' (found by a review)."""
    with built_site() as (site, tmp, out):
        fd = held(lock_path(out), os.O_RDWR | os.O_CREAT)
        try:
            p = subprocess.Popen([TOOL, "build", "-q"], cwd=site,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            got = read_until(p, "waiting for another build")
            assert got == ("partnermap: waiting for another build into 'output' to "
                           "finish (it holds '.output.partnermap-lock')\n"), got
        finally:
            os.close(fd)
        _, se = p.communicate(timeout=60)
        assert p.returncode == 0 and se == "", (p.returncode, se)


@test
def incremental_build_waits_for_another_and_can_be_cancelled():
    """Two builds into one folder commit in turn. The second says it is
    waiting; Ctrl-C then stops it with the folder untouched; once the first
    lets go, it completes."""
    with built_site() as (site, tmp, out):
        lock = lock_path(out)
        append(os.path.join(site, "content", "institutions", "makerere.md"),
               "\nWaited for.\n")
        waiting = ("partnermap: waiting for another build into '%s' to finish "
                   "(it holds '%s')\n" % (out, lock))
        # a lock of this user's own: what another build of it holds
        fd = held(lock, os.O_RDWR | os.O_CREAT)
        try:
            before, old = entries(out), tree_digest(out)
            p = subprocess.Popen([TOOL, "build", "-C", site, "-o", out],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            got = read_until(p, "waiting for another build")
            assert got == waiting, got
            p.send_signal(signal.SIGINT)
            _, se = p.communicate(timeout=60)
            assert p.returncode == -signal.SIGINT, (p.returncode, got + se)
            assert se == ("partnermap: interrupted by SIGINT; the previous output was "
                          "kept\n"), se
            assert entries(out) == before and tree_digest(out) == old
            assert glob.glob(out + ".staging-*") == []
            # waiting again, then let go: the build completes
            p = subprocess.Popen([TOOL, "build", "-q", "-C", site, "-o", out],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            assert read_until(p, "waiting for another build") == waiting
            os.close(fd)
            fd = -1
            _, se = p.communicate(timeout=60)
            assert p.returncode == 0 and se == "", (p.returncode, se)
            assert "Waited for." in read(os.path.join(out, "institutions", "makerere", "index.html"))
            assert os.stat(lock).st_mode & 0o777 == 0o600
        finally:
            if fd >= 0:
                os.close(fd)


@test
def a_build_compares_with_the_folder_only_once_it_holds_the_lock():
    """A build waiting for another one into the same folder compares its
    pages with the folder as that one left it, not as it was before: a
    commit between the two would otherwise leave the other build's page in
    place, and a manifest naming this build's inputs for it, which every
    later build trusted."""
    with built_site() as (site, tmp, out):
        clean = clean_twin(site, tmp)
        # what another build, of an edited copy, writes
        other = os.path.join(tmp, "other")
        shutil.copytree(site, other, ignore=shutil.ignore_patterns("output", ".output*"))
        append(os.path.join(other, "content", "institutions", "makerere.md"), "\nTheirs.\n")
        theirs = os.path.join(tmp, "theirs")
        build(other, "-o", theirs)
        page = os.path.join("institutions", "makerere", "index.html")
        fd = held(lock_path(out), os.O_RDWR | os.O_CREAT)
        try:
            p = subprocess.Popen([TOOL, "build", "-q", "-C", site, "-o", out],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            read_until(p, "waiting for another build")
            # the other build commits its page while this one waits
            shutil.copy(os.path.join(theirs, page), os.path.join(out, page + ".new"))
            os.rename(os.path.join(out, page + ".new"), os.path.join(out, page))
        finally:
            os.close(fd)
        _, se = p.communicate(timeout=60)
        assert p.returncode == 0 and se == "", (p.returncode, se)
        assert "Theirs." not in read(os.path.join(out, page))
        assert_same_site(out, clean)
        build(site)
        assert_same_site(out, clean)


@test
def a_lock_file_replaced_while_a_build_waits_is_taken_anew():
    """A build that waited on a lock file someone removed and made again
    takes the new one once the old is let go: the build that holds the new
    one is still running, and the two would otherwise run at once."""
    with built_site() as (site, tmp, out):
        lock = lock_path(out)
        old = held(lock, os.O_RDWR | os.O_CREAT)
        new = -1
        try:
            p = subprocess.Popen([TOOL, "build", "-q", "-C", site, "-o", out],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            read_until(p, "waiting for another build")
            os.unlink(lock)
            new = held(lock, os.O_RDWR | os.O_CREAT)  # as the next build would
            os.close(old)
            old = -1
            time.sleep(1)
            assert p.poll() is None, "ran beside the build holding the new lock file"
            os.close(new)
            new = -1
            _, se = p.communicate(timeout=60)
            assert p.returncode == 0, (p.returncode, se)
        finally:
            for fd in (old, new):
                if fd >= 0:
                    os.close(fd)


@test
def incremental_lock_file_another_user_planted_is_not_used():
    """A lock file beside the output folder that another user owns, that
    others may open, or that is a link, would let its planter stall every
    build; a folder or a pipe there cannot be locked: the build goes on
    without it and says so. Needs root to give a file away."""
    if os.geteuid() != 0:
        print("     (skipped: only root can make another user's file)")
        return
    with built_site() as (site, tmp, out):
        lock = lock_path(out)
        target = os.path.join(tmp, "target")
        note = "partnermap: did not use '%s': %s; this build ran without it\n"
        plants = [("another user (uid 1) owns it, who could hold it to stall every build; "
                   "remove it, or build into a folder of your own with -o",
                   lambda: (open(lock, "w").close(), os.chmod(lock, 0o600),
                            os.chown(lock, 1, 1))),
                  ("others could open it (mode 0644), and one who opened it could hold "
                   "it still to stall this build; it is now yours alone (mode 0600), and "
                   "the next build uses it",
                   lambda: (open(lock, "w").close(), os.chmod(lock, 0o644))),
                  ("it is a symbolic link, which could lead the lock to another file; "
                   "remove it",
                   lambda: os.symlink(target, lock)),
                  ("it is a folder, which cannot be locked; remove it", lambda: os.mkdir(lock)),
                  ("it is a named pipe, which cannot be locked; remove it",
                   lambda: os.mkfifo(lock, 0o600))]
        for i, (what, plant) in enumerate(plants):
            if os.path.isdir(lock) and not os.path.islink(lock):
                os.rmdir(lock)
            elif os.path.lexists(lock):
                os.unlink(lock)
            plant()
            fd = os.open(lock, os.O_RDONLY | os.O_NONBLOCK) \
                if os.path.isfile(lock) and not os.path.islink(lock) else -1
            if fd >= 0:
                fcntl.flock(fd, fcntl.LOCK_EX)  # as its planter would
            try:
                append(os.path.join(site, "content", "institutions", "makerere.md"),
                       "\nPlanted %d.\n" % i)
                r = subprocess.run([TOOL, "build", "-q", "-C", site, "-o", out],
                                   capture_output=True, text=True, timeout=60)
                assert r.returncode == 0 and r.stderr == note % (lock, what), \
                    (what, r.returncode, r.stderr)
                assert "Planted %d." % i in read(os.path.join(out, "institutions", "makerere", "index.html"))
                assert not os.path.exists(target), what
                if "now yours alone" in what:
                    assert os.stat(lock).st_mode & 0o7777 == 0o600
            finally:
                if fd >= 0:
                    os.close(fd)
        # once removed, the build makes its own again
        os.unlink(lock)
        build(site)
        assert os.stat(lock).st_uid == 0 and os.stat(lock).st_mode & 0o777 == 0o600


@contextlib.contextmanager
def no_modes_folder(tmp, how):
    """A folder below tmp that keeps no modes, as FAT or exFAT: every entry
    shows mode 0755 and a chmod fails (how "--chmod-deny", as vfat says
    EPERM) or does nothing (how "--chmod-ignore", as vfat's 'quiet'
    option): bindfs(1) over a folder of tmp's. Its path; None, the test
    skipped, without root, bindfs or FUSE."""
    back, front = os.path.join(tmp, "back-" + how[2:]), os.path.join(tmp, "fat-" + how[2:])
    os.mkdir(back)
    os.mkdir(front)
    if os.geteuid() != 0 or not shutil.which("bindfs") or not os.path.exists("/dev/fuse"):
        print("     (skipped: needs root, bindfs and /dev/fuse)")
        yield None
        return
    r = subprocess.run(["bindfs", "--perms=0755", how, "--chown-deny", back, front],
                       capture_output=True, text=True)
    if r.returncode:
        print("     (skipped: bindfs could not mount: %s)" % r.stderr.strip())
        yield None
        return
    try:
        yield front
    finally:
        subprocess.run(["fusermount3" if shutil.which("fusermount3") else "fusermount",
                        "-u", front], check=True)


@test
def a_file_system_that_keeps_no_modes_builds_in_place_and_locks():
    """On a file system that keeps no modes (FAT, exFAT), every entry
    shows the mount's bits (0755 here) and no chmod changes them. The lock
    file beside the output then seemed open to others on every build: the
    build ran without its lock each time and told the editor to chmod 600,
    which cannot work there. Now the lock is used as it is. The in-place
    builds write what a clean build writes, and say nothing else."""
    with built_site() as (site, tmp, _):
        for how in ("--chmod-deny", "--chmod-ignore"):
            with no_modes_folder(tmp, how) as fat:
                if not fat:
                    return
                out = os.path.join(fat, "out")
                for step in range(3):
                    if step == 2:
                        append(os.path.join(site, "content", "institutions", "makerere.md"),
                               "\nEdited on %s.\n" % how)
                    rc, _, se = run("build", "-q", "-C", site, "-o", out)
                    assert (rc, se) == (0, ""), (how, step, rc, se)
                lock = lock_path(out)
                assert os.stat(lock).st_mode & 0o7777 == 0o755, oct(os.stat(lock).st_mode)
                assert_same_site(out, clean_twin(site, tmp), how + ": ")
                # the lock is taken: a build waits for its holder
                fd = os.open(lock, os.O_RDONLY)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                    p = subprocess.Popen([TOOL, "build", "-C", site, "-o", out],
                                         stdout=subprocess.DEVNULL,
                                         stderr=subprocess.PIPE, text=True)
                    line = p.stderr.readline()
                    assert line == ("partnermap: waiting for another build into '%s' to "
                                    "finish (it holds '%s')\n" % (out, lock)), line
                finally:
                    os.close(fd)
                _, rest = p.communicate(timeout=60)
                assert p.returncode == 0, (p.returncode, rest)
                assert "did not use" not in rest, rest

# ------------------------------------------------ random edits vs --clean ---

COUNTRIES = [("UG", "Kampala", 0.34, 32.58), ("TH", "Bangkok", 13.75, 100.5),
             ("CM", "Douala", 4.05, 9.7), ("KE", "Nairobi", -1.29, 36.82),
             ("BR", "Recife", -8.05, -34.9)]


class Edits:
    """Random edits of a site: records, networks, pages and a template."""

    def __init__(self, site, rng):
        self.site, self.rng, self.serial = site, rng, 0
        self.networks = []  # networks the edits added (no record needs them)

    def path(self, kind, slug):
        return os.path.join(self.site, "content", kind, slug + ".md")

    def slugs(self, kind):
        folder = os.path.join(self.site, "content", kind)
        return sorted(f[:-3] for f in os.listdir(folder) if f.endswith(".md"))

    def fresh(self, stem):
        self.serial += 1
        return "%s-%d" % (stem, self.serial)

    def add_record(self):
        country, city, lat, lon = self.rng.choice(COUNTRIES)
        nudge = self.rng.randint(-50, 50) / 1000.0
        fields = record(country, city, lat + nudge, lon + nudge)
        fields["name"] = "School %d of %s" % (self.serial, city)
        if self.networks and self.rng.random() < 0.5:
            fields["networks"] = "[global, %s]" % self.rng.choice(self.networks)
        write_record(self.site, self.fresh("school"), **fields)

    def change_record(self):
        slug = self.rng.choice(self.slugs("institutions"))
        append(self.path("institutions", slug), "\nEdited %d.\n" % self.rng.randint(0, 9999))

    def rename(self, kind):
        slugs = self.slugs(kind)
        if kind == "networks":
            slugs = [s for s in slugs if s in self.networks]
        if not slugs:
            return
        slug = self.rng.choice(slugs)
        new = self.fresh(slug.split("-")[0])
        if kind == "networks":
            if any(slug in open(self.path("institutions", s)).read()
                   for s in self.slugs("institutions")):
                return  # members name it: renaming would break them
            self.networks[self.networks.index(slug)] = new
        os.rename(self.path(kind, slug), self.path(kind, new))

    def delete(self, kind):
        slugs = self.slugs(kind)
        if kind == "networks":
            slugs = [s for s in slugs if s in self.networks and not any(
                s in open(self.path("institutions", r)).read()
                for r in self.slugs("institutions"))]
        if len(slugs) < 2:
            return
        slug = self.rng.choice(slugs)
        if kind == "networks":
            self.networks.remove(slug)
        os.unlink(self.path(kind, slug))

    def add_network(self):
        slug = self.fresh("net")
        with open(self.path("networks", slug), "w") as fh:
            fh.write("---\nname: Network %s\nkind: regional\ncolour: \"#%06x\"\n"
                     "description: Added.\n---\n" % (slug, self.rng.randint(0, 0xffffff)))
        self.networks.append(slug)

    def add_page(self):
        slug = self.fresh("page")
        with open(self.path("pages", slug), "w") as fh:
            fh.write("---\ntitle: Page %s\n---\nSome text.\n" % slug)

    def change_template(self):
        name = self.rng.choice(["page", "country", "footer"])
        tpl = os.path.join(self.site, "themes", "default", "templates", name + ".mustache")
        append(tpl, "<!-- edit %d -->\n" % self.rng.randint(0, 9999))

    def step(self):
        """One random edit; its name."""
        ops = [("add record", self.add_record), ("change record", self.change_record),
               ("add network", self.add_network), ("add page", self.add_page),
               ("change template", self.change_template)]
        for kind in ("institutions", "pages", "networks"):
            ops.append(("rename " + kind, lambda k=kind: self.rename(k)))
            ops.append(("delete " + kind, lambda k=kind: self.delete(k)))
        name, op = self.rng.choice(ops)
        op()
        return name


@test
def incremental_random_edits_match_clean_builds():
    seed = int(os.environ.get("PM_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    with min_site() as (site, tmp):
        # the theme is the site's own copy, so a template may change
        themes = os.path.join(site, "themes")
        real = os.path.realpath(themes)
        os.unlink(themes)
        shutil.copytree(real, themes)
        out = os.path.join(site, "output")
        edits = Edits(site, rng)
        build(site)
        for i in range(10):
            what = "; ".join(edits.step() for _ in range(rng.randint(1, 3)))
            build(site)
            assert_same_site(out, clean_twin(site, tmp),
                             "seed %d (PM_SEED=%d to repeat), step %d (%s): " % (seed, seed, i, what))
