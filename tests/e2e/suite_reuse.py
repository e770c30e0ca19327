"""Pages whose inputs did not change since the last build are kept, not
rendered (generator/publish/reuse.h). What is kept must be what a clean
build writes, whatever changed, and a manifest that is damaged, a link, or
out of step with the output folder must never keep a page that changed."""
import http.client
import os
import random
import re
import shutil
import stat
import struct
import subprocess
import tempfile
import threading
import time

from e2e import test, run, min_site, write_record, record, tree_digest, TOOL, ROOT
from reuse_common import build, assert_like_clean, seal, written

MANIFEST = ".output.partnermap-manifest"
INST = os.path.join("content", "institutions")
WAIT = 60


def append(path, text):
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text)


def edit_body(site, slug, text):
    append(os.path.join(site, INST, slug + ".md"), "\n%s\n" % text)


def own_theme(site):
    """The site's themes/ as a folder of its own (min_site links it)."""
    themes = os.path.join(site, "themes")
    real = os.path.realpath(themes)
    os.unlink(themes)
    shutil.copytree(real, themes)


def template(site, name):
    return os.path.join(site, "themes", "default", "templates", name + ".mustache")


def add_schools(site, n):
    places = [("UG", "Kampala", 0.34, 32.58), ("TH", "Bangkok", 13.75, 100.5),
              ("CM", "Douala", 4.05, 9.7)]
    for i in range(n):
        country, city, lat, lon = places[i % len(places)]
        fields = record(country, city, lat + i / 1000.0, lon)
        fields["name"] = "School %d" % i
        write_record(site, "school-%02d" % i, **fields)


def tamper(path, keep_inode):
    """New bytes of the same size at path, its modification time put back:
    in place (same inode) or written beside and renamed over it."""
    st = os.stat(path)
    with open(path, "rb") as fh:
        data = fh.read()
    forged = data.replace(b"<main", b"<MAIN", 1)
    assert forged != data and len(forged) == len(data)
    target = path if keep_inode else path + ".new"
    with open(target, "wb") as fh:
        fh.write(forged)
    if not keep_inode:
        os.rename(target, path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    return forged


@test
def reuse_edit_changes_the_pages_that_show_it():
    with min_site() as (site, tmp):
        add_schools(site, 9)
        build(site)
        assert os.path.isfile(os.path.join(site, MANIFEST))
        out = os.path.join(site, "output")
        steps = [
            lambda: edit_body(site, "school-04", "A sentence only this page has."),
            lambda: append(template(site, "institution"), "<!-- theme edit -->\n"),
            lambda: write_record(site, "school-04", **dict(
                record("KE", "Nairobi", -1.29, 36.82), name="School Moved")),
            lambda: os.unlink(os.path.join(site, INST, "school-05.md")),
        ]
        for i, step in enumerate(steps):
            step()
            build(site)
            assert_like_clean(site, tmp, "step %d: " % i)
        page = open(os.path.join(out, "institutions", "school-07", "index.html")).read()
        # a template edited through the site's themes/ link is an input too
        assert "<!-- theme edit -->" in page
        assert "School Moved" in open(os.path.join(out, "countries", "ke", "index.html")).read()


@test
def reuse_a_networks_body_renders_its_own_pages_alone():
    """A network's body edited rendered every page of the site again: the
    site-wide list of networks every page gets holds each body, and a
    theme may show it anywhere. The default theme shows it on the
    network's own pages alone, which is all that is rendered now; a theme
    that shows the bodies in the list (here, as a partial, in the
    footer) has every page rendered again. Each build is a clean one's."""
    with min_site() as (site, tmp):
        own_theme(site)
        add_schools(site, 6)
        build(site)
        body = os.path.join(site, "content", "networks", "africa.md")
        append(body, "\nA sentence added to the network's body.\n")
        kept, files = written(site)
        assert files and all(f.startswith("networks/africa/") for f in files), files
        assert kept > 0
        with open(os.path.join(site, "output", "networks", "africa", "index.html"),
                  encoding="utf-8") as fh:
            assert "A sentence added to the network" in fh.read()
        assert_like_clean(site, tmp, "a network's body: ")
        # a theme that shows every network's body on every page
        with open(os.path.join(site, "themes", "default", "templates",
                               "net_bodies.mustache"), "w", encoding="utf-8") as fh:
            fh.write("{{{body_html}}}")
        footer = template(site, "footer")
        with open(footer, encoding="utf-8") as fh:
            text = fh.read()
        with open(footer, "w", encoding="utf-8") as fh:
            fh.write(text + "{{#networks}}{{>net_bodies}}{{/networks}}\n")
        build(site)
        append(body, "\nAnother sentence.\n")
        kept, files = written(site)
        assert kept == 0, kept
        assert "institutions/school-00/index.html" in files, files
        with open(os.path.join(site, "output", "institutions", "school-00",
                               "index.html"), encoding="utf-8") as fh:
            assert "Another sentence." in fh.read()
        assert_like_clean(site, tmp, "a network's body shown on every page: ")


@test
def reuse_output_changed_since_is_rendered_again():
    """A page someone changed in the output folder after the build, with
    its size and modification time kept (in place, or renamed over it), is
    rendered again by the next build even though its inputs did not
    change."""
    for keep_inode in (True, False):
        with min_site() as (site, tmp):
            add_schools(site, 3)
            build(site)
            page = os.path.join(site, "output", "institutions", "school-01", "index.html")
            tamper(page, keep_inode)
            edit_body(site, "school-02", "Another page changes.")
            build(site)
            assert b"<MAIN" not in open(page, "rb").read(), keep_inode
            assert_like_clean(site, tmp, "inode kept %s: " % keep_inode)


def forge(site, page):
    """The manifest as one forged for page after it was tampered with: its
    line gives the page's present size, times and inode."""
    st = os.stat(os.path.join(site, "output", page))
    line = "f %d %d %d %d %d %d %s" % (
        st.st_size, st.st_mtime_ns // 10**9, st.st_mtime_ns % 10**9,
        st.st_ctime_ns // 10**9, st.st_ctime_ns % 10**9, st.st_ino, page)
    with open(os.path.join(site, MANIFEST), encoding="utf-8") as fh:
        text = fh.read()
    text, n = re.subn(r"(?m)^f .* %s$" % re.escape(page), line, text)
    assert n == 1, text[:300]
    return seal(text)


def swap_two_files(text):
    lines = text.splitlines(True)
    at = [i for i, l in enumerate(lines) if l.startswith("f ")]
    lines[at[0]], lines[at[1]] = lines[at[1]], lines[at[0]]
    return "".join(lines)


# Manifests that must not be trusted: each made from the forged one, and
# whether the build says it was damaged (another version's is not: a new
# program reads none of an old one's).
BAD_MANIFESTS = [
    ("truncated", lambda t: t[:-len("end\n")], True),
    ("out of order", swap_two_files, True),
    ("another version", lambda t: t.replace("manifest 2\n", "manifest 9\n", 1), False),
    # the version line itself harmed, or nothing left: damage all the same
    ("its version line harmed", lambda t: t.replace("manifest 2", "manifesT 2", 1), True),
    ("its version a letter", lambda t: t.replace("manifest 2\n", "manifest x\n", 1), True),
    ("empty", lambda t: "", True),
    ("garbage", lambda t: "partnermap-manifest 2\nx y z\nend\n", True),
    ("garbage, sealed", lambda t: seal("partnermap-manifest 2\nx y z\ncrc 0\n"), True),
    # a fingerprint changed: it parses, but is not what the build wrote
    ("a digit changed", lambda t: re.sub(r"(?m)^u (.)", lambda m: "u " + (
        "1" if m.group(1) == "0" else "0"), t, count=1), True),
    ("a link", None, False),
]


@test
def reuse_bad_manifest_renders_every_page():
    page = "institutions/school-01/index.html"
    with min_site() as (site, tmp):
        add_schools(site, 3)
        build(site)
        outside = os.path.join(tmp, "forged-manifest")
        for name, spoil, told in BAD_MANIFESTS:
            build(site)  # a sound manifest first
            path = os.path.join(site, MANIFEST)
            tamper(os.path.join(site, "output", page), True)
            forged = forge(site, page)
            os.unlink(path)
            with open(outside if spoil is None else path, "w", encoding="utf-8") as fh:
                fh.write(forged if spoil is None else spoil(forged))
            if spoil is None:
                os.symlink(outside, path)
            edit_body(site, "school-02", "Edit for %s." % name)
            rc, so, se = run("build", "-C", site)
            assert rc == 0, se
            said = ("partnermap: did not use '%s': it was cut short or changed "
                    "since a build wrote it; this build had to render every page, "
                    "and wrote a new one" % path)
            assert (said in se) == told, "%s: %r" % (name, se)
            # a link is not followed, and is named as one (found by a review)
            linked = ("partnermap: did not use '%s': it is a symbolic link, which a "
                      "build never follows; this build wrote its own\n" % path)
            assert (linked in se) == (spoil is None), "%s: %r" % (name, se)
            got = open(os.path.join(site, "output", page), "rb").read()
            assert b"<MAIN" not in got, name + ": the page was kept"
            assert_like_clean(site, tmp, name + ": ")
            assert not os.path.islink(path), name
            if name == "a link":
                assert open(outside, encoding="utf-8").read() == forged, \
                    "the manifest was written through a link"


@test
def reuse_random_edits_match_clean_builds():
    """Records, networks, pages, site.yml and templates edited at random
    (seeded; PM_SEED repeats a run), in place builds compared with clean
    ones after each step."""
    seed = int(os.environ.get("PM_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    with min_site() as (site, tmp):
        own_theme(site)
        add_schools(site, 12)
        nets = os.path.join(site, "content", "networks")
        with open(os.path.join(nets, "asia.md"), "w", encoding="utf-8") as fh:
            fh.write("---\nname: Asia\nkind: regional\ncolour: \"#123456\"\n"
                     "description: Schools in Asia.\n---\n")
        yml = os.path.join(site, "site.yml")

        def schools():
            """The records still under their first name: renames take
            them away, never the last one."""
            return sorted(f[:-3] for f in os.listdir(os.path.join(site, INST))
                          if f.startswith("school-"))

        def school():
            return rng.choice(schools())

        def rewrite(path, old, new):
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text.replace(old, new, 1))

        def move(slug):
            country, city, lat, lon = rng.choice([("KE", "Nairobi", -1.29, 36.82),
                                                  ("TH", "Bangkok", 13.75, 100.5)])
            write_record(site, slug, **dict(record(country, city, lat, lon), name=slug))

        def join(slug):
            rewrite(os.path.join(site, INST, slug + ".md"), "networks: [global]",
                    "networks: [global, asia]")

        def rename(slug):
            src = os.path.join(site, INST, slug + ".md")
            if len(schools()) > 1:
                os.rename(src, os.path.join(site, INST, "renamed-%d.md" % rng.randrange(99)))
        ops = [
            ("body", lambda: edit_body(site, school(), "Edit %d." % rng.randrange(999))),
            ("move", lambda: move(school())),
            ("join asia", lambda: join(school())),
            ("rename", lambda: rename(school())),
            ("network name", lambda: rewrite(os.path.join(nets, "asia.md"), "name: Asia",
                                             "name: Asia %d" % rng.randrange(99))),
            ("network body", lambda: append(os.path.join(nets, "asia.md"),
                                            "\nAsia, edit %d.\n" % rng.randrange(999))),
            ("page", lambda: append(os.path.join(site, "content", "pages", "about.md"),
                                    "\nMore about.\n")),
            ("title", lambda: rewrite(yml, "title: Partner Map", "title: A Partner Map")),
            ("template", lambda: append(template(site, rng.choice(
                ["institution", "country", "network", "footer"])), "<!-- e -->\n")),
        ]
        build(site)
        for i in range(12):
            names = []
            for _ in range(rng.randint(1, 2)):
                name, op = rng.choice(ops)
                op()
                names.append(name)
            build(site)
            assert_like_clean(site, tmp, "seed %d (PM_SEED=%d to repeat), step %d (%s): " % (
                seed, seed, i, "; ".join(names)))


# ------------------------------------------------------------------ serve ---

class Serving:
    """partnermap serve on site with a TMPDIR of its own, its stdout read
    into lines by a thread."""

    def __init__(self, site):
        self.tmpdir = tempfile.mkdtemp(prefix="pm-reuse-")
        env = dict(os.environ, TMPDIR=self.tmpdir)
        self.p = subprocess.Popen([TOOL, "serve", "-C", site, "--port", "0"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env=env)
        self.lines, self.cond = [], threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self.port = int(self.line(r"at http://127\.0\.0\.1:(\d+)/").group(1))

    def _read(self):
        for line in self.p.stdout:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()

    def line(self, pattern, count=1):
        end = time.monotonic() + WAIT
        with self.cond:
            while True:
                hits = [m for m in map(re.compile(pattern).search, self.lines) if m]
                if len(hits) >= count:
                    return hits[count - 1]
                assert time.monotonic() < end, "no line %r in %s" % (pattern, self.lines)
                self.cond.wait(1)

    def get(self, path):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        c.request("GET", path)
        body = c.getresponse().read()
        c.close()
        return re.sub(rb'<script src="/_partnermap/live\.js\?build=\d+"></script>\n', b"", body)

    def close(self):
        self.p.terminate()
        self.p.communicate(timeout=WAIT)
        shutil.rmtree(self.tmpdir, ignore_errors=True)


@test
def reuse_serve_reads_only_what_a_save_changed():
    """After a save of one record, serve reads and parses that record alone
    (the others come from its cache); what it serves then is still what
    build writes, file by file."""
    with min_site() as (site, tmp):
        add_schools(site, 6)
        s = Serving(site)
        try:
            built = r"^partnermap: built (\d+) institutions in .*\((\d+) institution " \
                    r"records? read(?:, \d+ unchanged)?\) in \d+ ms$"
            first = s.line(built)
            assert first.group(1) == first.group(2), first.group(0)  # all read
            for k, slug in enumerate(("school-01", "makerere")):
                edit_body(site, slug, "Saved %d." % k)
                m = s.line(built, count=2 + k)
                assert m.group(2) == "1", m.group(0)
                out = os.path.join(tmp, "built")
                shutil.rmtree(out, ignore_errors=True)
                rc, _, se = run("build", "-q", "-C", site, "-o", out)
                assert rc == 0, se
                for rel in tree_digest(out):
                    want = open(os.path.join(out, rel), "rb").read()
                    assert rel.startswith(".") or s.get("/" + rel) == want, rel
        finally:
            s.close()


@test
def reuse_manifest_hard_linked_elsewhere_is_never_written_through():
    """A manifest path that is a hard link to another file: the build puts
    a new manifest in its place and leaves the other file as it was."""
    with min_site() as (site, tmp):
        victim = os.path.join(tmp, "precious")
        with open(victim, "w", encoding="utf-8") as fh:
            fh.write("precious data\n")
        os.link(victim, os.path.join(site, MANIFEST))
        build(site)
        assert open(victim, encoding="utf-8").read() == "precious data\n", \
            "the manifest was written through a hard link"
        st = os.stat(os.path.join(site, MANIFEST))
        assert st.st_nlink == 1 and st.st_ino != os.stat(victim).st_ino
        assert open(os.path.join(site, MANIFEST), encoding="utf-8").read() \
            .startswith("partnermap-manifest 2\n")


@test
def reuse_settled_folder_replaced_by_a_link_is_not_gone_through():
    """Once the output's folders are settled, a kept page is looked at
    through its folders as the last build recorded them. A folder someone
    replaced by a link to its own moved copy (the page in it the very file
    the manifest names) is no folder: the page is rendered again into a
    real folder, and the copy the link led to is left as it was."""
    for folder in ("institutions/school-01", "institutions"):
        with min_site() as (site, tmp):
            add_schools(site, 3)
            build(site)
            time.sleep(2.5)  # UPD_SETTLE_S: the folders are settled now
            build(site)
            text = open(os.path.join(site, MANIFEST), encoding="utf-8").read()
            assert re.search(r"(?m)^d .* institutions/school-01$", text), text[-600:]
            out = os.path.join(site, "output")
            moved = os.path.join(tmp, "moved")
            os.rename(os.path.join(out, folder), moved)
            os.symlink(moved, os.path.join(out, folder))
            page = os.path.join(moved, os.path.relpath(
                "institutions/school-01/index.html", folder))
            before = open(page, "rb").read()
            edit_body(site, "school-02", "Another page changes.")
            build(site)
            assert not os.path.islink(os.path.join(out, folder)), folder
            assert os.path.isfile(os.path.join(out, "institutions", "school-01",
                                               "index.html")), folder
            assert open(page, "rb").read() == before, folder
            assert_like_clean(site, tmp, folder + ": ")


@test
def reuse_a_partner_moved_near_a_border_redraws_every_map():
    """The outlines are simplified around every partner's location, so
    that each stays inside its country: moving one partner near a border
    can change how neighbouring countries are drawn on every map. An in
    place build kept the pages of other countries and networks with the
    old outlines, and kept them so until a --clean build. The outlines'
    simplification is now an input of every page; a move that changes no
    outline still keeps the pages that do not show the partner."""
    tmp = tempfile.mkdtemp(prefix="pm-e2e-")
    try:
        site = os.path.join(tmp, "site")
        for part in ("content", "geodata", "themes"):
            shutil.copytree(os.path.join(ROOT, part), os.path.join(site, part),
                            ignore=shutil.ignore_patterns("*.sh", "*.md5", "SHA256SUMS"))
        shutil.copy(os.path.join(ROOT, "site.yml"), site)
        for extra in ("site.fr.yml",):
            if os.path.exists(os.path.join(ROOT, extra)):
                shutil.copy(os.path.join(ROOT, extra), site)
        rec = os.path.join(site, "content", "institutions", "chiang-mai-university.md")
        laos = os.path.join(site, "output", "countries", "la", "index.html")

        def move(to):
            text = open(rec, encoding="utf-8").read()
            with open(rec, "w", encoding="utf-8") as fh:
                fh.write(re.sub(r"(?m)^location: .*$", "location: %s" % to, text, count=1))

        build(site)
        before = open(laos, "rb").read()
        move("[20.4, 100.1]")  # by the Lao border: Laos is drawn otherwise
        twin = os.path.join(tmp, "moved")
        build(site, "--clean", "-o", twin)
        assert open(os.path.join(twin, "countries", "la", "index.html"), "rb").read() \
            != before, "the move changed no outline: the test shows nothing"
        build(site)
        assert_like_clean(site, tmp, "near the border: ")
        move("[18.5, 98.5]")  # well inside Thailand: drawn as at first
        build(site)
        assert open(laos, "rb").read() == before
        assert_like_clean(site, tmp, "moved inside: ")
        move("[18.6, 98.6]")  # no outline changes: the other pages kept
        assert build(site) > 0, "no page kept"
        assert_like_clean(site, tmp, "moved a little: ")
    finally:
        shutil.rmtree(tmp)


def modes(folder):
    """{relative path: permission bits} of every file and folder below
    folder (not folder itself, whose bits a build keeps)."""
    got = {}
    for dp, ds, fs in os.walk(folder):
        for name in ds + fs:
            path = os.path.join(dp, name)
            got[os.path.relpath(path, folder)] = stat.S_IMODE(os.lstat(path).st_mode)
    return got


def build_with_umask(site, mask, *args):
    """Build site with the umask mask: the summary's pages kept."""
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    p = subprocess.run([TOOL, "build", "-C", site, *args], capture_output=True,
                       text=True, env=env, preexec_fn=lambda: os.umask(mask))
    assert p.returncode == 0, p.stderr
    m = re.search(r"\((\d+) pages? kept", p.stdout + p.stderr)
    return int(m.group(1)) if m else 0


@test
def reuse_gives_files_and_folders_a_clean_builds_modes():
    """The permission bits of the output are those a clean build gives,
    whatever the last build's umask or a chmod since (found by a review:
    a site built under umask 077 kept its 0600 pages after a build under
    022, and a page made 0666 stayed writable by anyone, though the
    bytes matched a clean build's): each page and folder the build keeps
    or compares, and the marker."""
    with min_site() as (site, tmp):
        add_schools(site, 4)
        out = os.path.join(site, "output")
        build_with_umask(site, 0o077)
        assert set(modes(out).values()) == {0o600, 0o700}, set(modes(out).values())
        edit_body(site, "school-02", "Edited under another umask.")
        build_with_umask(site, 0o022)
        twin = os.path.join(tmp, "clean")
        build_with_umask(site, 0o022, "--clean", "-o", twin)
        want = modes(twin)
        assert set(want.values()) == {0o644, 0o755}, set(want.values())
        assert modes(out) == want, sorted(
            (k, oct(v)) for k, v in modes(out).items() if want.get(k) != v)[:10]
        time.sleep(2.5)  # the folders settled: their listings trusted
        build_with_umask(site, 0o022)
        page = os.path.join(out, "institutions", "school-01", "index.html")
        changed = {page: 0o666, os.path.join(out, "index.html"): 0o600,
                   os.path.join(out, "institutions"): 0o777,
                   os.path.join(out, "institutions", "school-03"): 0o700,
                   os.path.join(out, "countries"): 0o1755,
                   os.path.join(out, ".partnermap-output"): 0o640}
        for path, mode in changed.items():
            os.chmod(path, mode)
        build_with_umask(site, 0o022)
        assert modes(out) == want, sorted(
            (k, oct(v)) for k, v in modes(out).items() if want.get(k) != v)[:10]
        assert_like_clean(site, tmp)
        # a folder with the setgid bit keeps it: mkdir gives it to what
        # is made in it, as a clean build's folder would have it
        sg = os.path.join(out, "networks")
        os.chmod(sg, 0o2777)
        build_with_umask(site, 0o022)
        assert stat.S_IMODE(os.stat(sg).st_mode) == 0o2755, oct(os.stat(sg).st_mode)


def posix_acl(entries):
    """The bytes of a system.posix_acl_* attribute (acl(5); the kernel's
    xattr format, version 2): (tag, permission bits, id) entries."""
    return struct.pack("<I", 2) + b"".join(struct.pack("<HHI", t, p, i)
                                           for t, p, i in entries)


@test
def reuse_leaves_the_bits_an_acl_gives():
    """In an output folder with a default ACL (which, not the umask, gives
    what is made in it its bits) the build leaves every file's bits as
    they are, and it never changes the bits of a folder with an ACL:
    they show the ACL's mask, what a web server's group may read, which
    a chmod would change. Build after build, nothing more is written."""
    with min_site() as (site, tmp):
        add_schools(site, 3)
        out = os.path.join(site, "output")
        build_with_umask(site, 0o022)
        none = 0xffffffff
        inst = os.path.join(out, "institutions")
        try:  # user::rwx group::r-x group:1:r-x mask::r-x other::r-x
            os.setxattr(out, "system.posix_acl_default", posix_acl(
                [(0x01, 7, none), (0x04, 5, none), (0x08, 5, 1), (0x10, 5, none),
                 (0x20, 5, none)]))
            # group 1 may write institutions/: its mask rwx, shown as 0775
            os.setxattr(inst, "system.posix_acl_access", posix_acl(
                [(0x01, 7, none), (0x04, 5, none), (0x08, 7, 1), (0x10, 7, none),
                 (0x20, 5, none)]))
        except OSError as e:
            print("     (skipped: no ACLs here: %s)" % e)
            return
        assert stat.S_IMODE(os.stat(inst).st_mode) == 0o775
        acl = os.getxattr(inst, "system.posix_acl_access")
        page = os.path.join(inst, "school-01", "index.html")
        os.chmod(page, 0o600)
        before = modes(out)

        def ids():
            return {rel: (os.lstat(os.path.join(out, rel)).st_ino,
                          os.lstat(os.path.join(out, rel)).st_mtime_ns)
                    for rel in modes(out)}
        files = ids()
        time.sleep(2.5)
        for _ in range(2):
            assert build_with_umask(site, 0o022) > 0
            assert modes(out) == before
            assert os.getxattr(inst, "system.posix_acl_access") == acl
            assert ids() == files, sorted(k for k in files if ids().get(k) != files[k])
