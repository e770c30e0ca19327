"""The parsed records kept beside the output folder
(.output.partnermap-cache, generator/load/reccache.h): an in-place build
takes an unchanged record from it, and must give the very bytes and
warnings of a clean build whatever changed; a cache of another site.yml or
program, one whose entry names another change time or inode, and a
damaged or linked one are never used."""
import os
import random
import re
import shutil
import stat
import struct
import subprocess
import zlib

from e2e import test, run, min_site, write_record, record, tree_digest, TOOL

CACHE = ".output.partnermap-cache"
INST = os.path.join("content", "institutions")
MAGIC = b"partnermap-record-cache 1\n"
BODY = b"A test record."


def build(site, *args):
    """Build site (in place unless args say otherwise): its messages, the
    lines that say a warning or an error."""
    rc, so, se = run("build", "-C", site, *args)
    assert rc == 0, "build %s failed (%d):\n%s%s" % (" ".join(args), rc, so, se)
    return [l for l in (so + se).splitlines() if ": warning: " in l or ": error: " in l]


def assert_like_clean(site, tmp, said, why):
    """site's output/ holds the files of a --clean build, and the build
    that made it said what a clean build says."""
    twin = os.path.join(tmp, "clean")
    shutil.rmtree(twin, ignore_errors=True)
    clean_said = build(site, "--clean", "-o", twin)
    got, want = tree_digest(os.path.join(site, "output")), tree_digest(twin)
    bad = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
    assert not bad, "%sfiles differ from the clean build: %s" % (why, bad[:20])
    assert said == clean_said, "%smessages differ:\n%s\n---\n%s" % (why, said, clean_said)


# ------------------------------------------------- the cache file's bytes ---

def split_cache(data):
    """(key, [(path, [size, mtime, ctime, inode, device], rest)]) of a cache
    file's bytes (reccodec.h)."""
    assert data.startswith(MAGIC) and zlib.crc32(data[:-4]) == struct.unpack("<I", data[-4:])[0]
    at = len(MAGIC)
    (n,) = struct.unpack_from("<I", data, at)
    key = data[at + 4:at + 4 + n]
    at += 4 + n
    (count,) = struct.unpack_from("<I", data, at)
    at += 4
    entries = []
    for _ in range(count):
        (size,) = struct.unpack_from("<I", data, at)
        entry = data[at + 4:at + 4 + size]
        (plen,) = struct.unpack_from("<I", entry, 0)
        ident = list(struct.unpack_from("<5Q", entry, 4 + plen))
        entries.append((entry[4:4 + plen], ident, entry[4 + plen + 40:]))
        at += 4 + size
    assert at == len(data) - 4
    return key, entries


def join_cache(key, entries):
    out = [MAGIC, struct.pack("<I", len(key)), key, struct.pack("<I", len(entries))]
    for path, ident, rest in entries:
        entry = struct.pack("<I", len(path)) + path + struct.pack("<5Q", *ident) + rest
        out += [struct.pack("<I", len(entry)), entry]
    data = b"".join(out)
    return data + struct.pack("<I", zlib.crc32(data))


def forge(site, key=lambda k: k, ident=lambda i: i):
    """Rewrite site's cache: every body saying BODY says it otherwise
    (same length), the key and each entry's identity as the functions
    make them, the CRC right."""
    path = os.path.join(site, CACHE)
    with open(path, "rb") as fh:
        k, entries = split_cache(fh.read())
    entries = [(p, ident(list(i)), rest.replace(BODY, b"A fake record."))
               for p, i, rest in entries]
    with open(path, "wb") as fh:
        fh.write(join_cache(key(k), entries))


def shown(site, slug="makerere"):
    """What the institution's page says of its body, once every page is
    rendered (no manifest: no page kept)."""
    manifest = os.path.join(site, ".output.partnermap-manifest")
    if os.path.exists(manifest):
        os.unlink(manifest)
    build(site)
    with open(os.path.join(site, "output", "institutions", slug, "index.html"), "rb") as fh:
        page = fh.read()
    return "fake" if b"A fake record." in page else "real" if BODY in page else "none"


def afresh(site):
    """A cache the build writes from the records as they are."""
    os.unlink(os.path.join(site, CACHE))
    assert shown(site) == "real"


def give_body(site, slug):
    path = os.path.join(site, INST, slug + ".md")
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    head, body = text.rsplit("---\n", 1)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(head + "---\n" + BODY.decode() + "\n" + body)


@test
def rcache_is_used_and_only_when_its_key_and_files_match():
    """A forged cache (its bodies changed) shows that a build takes records
    from it; with another site.yml, another program version, an entry of
    another change time or inode, it is not used."""
    with min_site() as (site, tmp):
        give_body(site, "makerere")
        assert shown(site) == "real"
        cases = [
            ("as it is", {}, "fake"),
            ("another program version",
             dict(key=lambda k: k.replace(b"version ", b"version 9.")), "real"),
            ("another change time", dict(ident=lambda i: i[:2] + [i[2] + 1] + i[3:]), "real"),
            ("another inode", dict(ident=lambda i: i[:3] + [i[3] + 1] + i[4:]), "real"),
            ("same size and times", dict(ident=lambda i: i), "fake"),
        ]
        for name, how, want in cases:
            afresh(site)
            forge(site, **how)
            assert shown(site) == want, name
        afresh(site)
        forge(site)
        with open(os.path.join(site, "site.yml"), "a", encoding="utf-8") as fh:
            fh.write("# a comment changes no setting\n")
        assert shown(site) == "real", "another site.yml"


@test
def rcache_and_manifest_another_may_write_are_not_taken():
    """A cache or manifest someone else may write (group or others), or
    that another user owns, could have been planted beside a shared output
    folder (-o /tmp/site): it is not used, and the build writes its own."""
    with min_site() as (site, tmp):
        give_body(site, "makerere")
        assert shown(site) == "real"
        cache = os.path.join(site, CACHE)
        manifest = os.path.join(site, ".output.partnermap-manifest")
        harms = [("group-writable", lambda p: os.chmod(p, 0o664)),
                 ("writable by others", lambda p: os.chmod(p, 0o646))]
        if os.geteuid() == 0:
            harms.append(("owned by another", lambda p: os.chown(p, 1, 1)))
        for name, harm in harms:
            afresh(site)
            forge(site)
            harm(cache)
            rc, so, se = run("build", "-C", site)
            assert rc == 0 and ("partnermap: did not use '%s': another user owns it, "
                                "or its group or others may write it; this build "
                                "wrote its own" % cache) in se, se
            assert shown(site) == "real", "cache " + name
            st = os.stat(cache)
            assert st.st_uid == os.geteuid() and st.st_mode & 0o022 == 0, name
            forge(site)
            assert shown(site) == "fake", "the build's own cache, after " + name
            # the manifest: every page is rendered again
            build(site)
            every = kept(site)
            assert every > 0
            harm(manifest)
            rc, so, se = run("build", "-C", site)
            assert rc == 0 and "partnermap: did not use '%s'" % manifest in se, se
            assert "pages kept" not in so, so
            harm(manifest)
            assert kept(site) == 0, "manifest " + name
            assert kept(site) == every, "the build's own manifest, after " + name


def kept(site):
    """How many pages an in-place build of site kept from the last one."""
    rc, so, se = run("build", "-C", site)
    assert rc == 0, so + se
    m = re.search(r"\((\d+) pages? kept from the last build\)", so)
    return int(m.group(1)) if m else 0


@test
def a_link_to_the_program_keeps_pages_and_records():
    """A hard link made to the program (a package manager's, perf's build-id
    cache) changes its change time, not the program: the pages and the
    parsed records of the last build are still used."""
    with min_site() as (site, tmp):
        build(site)
        every = kept(site)
        assert every > 0
        give_body(site, "makerere")
        afresh(site)
        forge(site)
        link = os.path.join(os.path.dirname(TOOL), ".link-test-%d" % os.getpid())
        os.link(TOOL, link)
        try:
            got = kept(site)
            assert got == every, "%d pages kept of %d" % (got, every)
            assert shown(site) == "fake", "the record cache was set aside"
        finally:
            os.unlink(link)


@test
def rcache_edit_with_the_old_size_and_time_is_read():
    """A record rewritten with as many bytes and its modification time put
    back still has a new change time: it is read again."""
    with min_site() as (site, tmp):
        give_body(site, "makerere")
        assert shown(site) == "real"
        path = os.path.join(site, INST, "makerere.md")
        st = os.stat(path)
        with open(path, "rb") as fh:
            data = fh.read()
        with open(path, "wb") as fh:
            fh.write(data.replace(BODY, b"A fine record."))
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert shown(site) == "none"
        assert_like_clean(site, tmp, build(site), "same size and time: ")


@test
def rcache_damaged_or_linked_is_ignored():
    """A truncated, corrupted, empty or foreign cache, or a link in its
    place, is ignored: the site is what a clean build writes, and the
    cache is written afresh (a link replaced, never followed)."""
    with min_site() as (site, tmp):
        build(site)
        path = os.path.join(site, CACHE)
        with open(path, "rb") as fh:
            good = fh.read()
        outside = os.path.join(tmp, "elsewhere")
        with open(outside, "wb") as fh:
            fh.write(good)
        # each harm, and whether the build says the cache was damaged:
        # another version's is no cache of this program's; one cut to
        # nothing, or with its version line harmed, is
        harms = {
            "truncated": (good[:len(good) // 2], True),
            "corrupted": (good[:100] + bytes([good[100] ^ 1]) + good[101:], True),
            "empty": (b"", True),
            "version line harmed": (bytes([good[0] ^ 0x20]) + good[1:], True),
            "foreign": (b"partnermap-record-cache 2\n" + good[len(MAGIC):], False),
        }
        said = ("partnermap: did not use '%s': it was cut short or changed since "
                "a build wrote it; this build had to read every record, and "
                "wrote a new one" % path)
        for name, (data, told) in harms.items():
            with open(path, "wb") as fh:
                fh.write(data)
            rc, so, se = run("build", "-C", site)
            assert rc == 0 and (said in se) == told, "%s: %r" % (name, se)
            with open(path, "wb") as fh:
                fh.write(data)
            assert_like_clean(site, tmp, build(site), name + ": ")
        os.unlink(path)
        os.symlink(outside, path)
        rc, so, se = run("build", "-C", site)
        assert rc == 0, se
        assert ("partnermap: did not use '%s': it is a symbolic link, which a build "
                "never follows; this build wrote its own\n" % path) in se, se
        os.unlink(path)
        os.symlink(outside, path)
        assert_like_clean(site, tmp, build(site), "link: ")
        assert not os.path.islink(path)
        # a named pipe in its place is not read (a read would wait on it)
        os.unlink(path)
        os.mkfifo(path, 0o600)
        rc, so, se = run("build", "-C", site)
        assert rc == 0, se
        assert ("partnermap: did not use '%s': it is not a regular file; this "
                "build wrote its own\n" % path) in se, se
        assert not stat.S_ISFIFO(os.lstat(path).st_mode)
        with open(outside, "rb") as fh:
            assert fh.read() == good


@test
def rcache_random_edits_match_clean_builds():
    """Records edited at random (seeded; PM_SEED repeats a run): body,
    name, city, networks, electives, location, a new record, one removed,
    one renamed, site.yml, a touch, a warning; each in-place build, whose
    unchanged records come from the cache, compared with a clean build,
    its files and its warnings."""
    seed = int(os.environ.get("PM_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    with min_site() as (site, tmp):
        folder = os.path.join(site, INST)
        for i in range(8):
            write_record(site, "school-%d" % i, **dict(
                record("UG", "Kampala", 0.3 + i / 100.0, 32.5), name="School %d" % i))
        yml = os.path.join(site, "site.yml")

        def slugs():
            """The records this test wrote (YAML front matter)."""
            return sorted(f[:-3] for f in os.listdir(folder)
                          if f.startswith(("school-", "new-", "renamed-")))

        def one():
            return os.path.join(folder, rng.choice(slugs()) + ".md")

        def rewrite(path, field, value):
            with open(path, encoding="utf-8") as fh:
                lines = fh.read().split("\n")
            end = lines.index("---", 1)
            lines = [l for l in lines[:end] if not l.startswith(field + ":")] + \
                ["%s: %s" % (field, value)] + lines[end:]
            with open(path, "w", encoding="utf-8") as fh:
                fh.write("\n".join(lines))

        def body(path):
            with open(path, "a", encoding="utf-8") as fh:
                fh.write("\nEdit %d.\n" % rng.randrange(999))

        def remove(path):
            if len(slugs()) > 2:
                os.unlink(path)

        def touch(path):
            os.utime(path)

        n = [0]
        names = iter(range(1000))

        def new(path):
            n[0] += 1
            write_record(site, "new-%d" % n[0], **dict(
                record("TH", "Bangkok", 13.75, 100.5), name="New school %d" % n[0]))
        ops = [
            ("body", body),
            ("name", lambda p: rewrite(p, "name", "Named %d" % next(names))),
            ("city", lambda p: rewrite(p, "city", rng.choice(["Entebbe", "Jinja"]))),
            ("networks", lambda p: rewrite(p, "networks", rng.choice(
                ["[global]", "[global, africa]", "[africa]"]))),
            ("electives", lambda p: rewrite(p, "electives", rng.choice(
                ["[clinical]", "[research, observership]"]))),
            ("location", lambda p: rewrite(p, "location", "[%.2f, 32.6]" % rng.uniform(0.1, 2))),
            ("warning", lambda p: rewrite(p, "colour", "blue")),
            ("new", new),
            ("remove", remove),
            ("rename", lambda p: os.rename(p, os.path.join(folder, "renamed-%d.md" % rng.randrange(99)))),
            ("site.yml", lambda p: rewrite_yml(yml, rng)),
            ("touch", touch),
        ]
        said = build(site)
        for i in range(14):
            name, op = rng.choice(ops)
            op(one())
            said = build(site)
            assert os.path.isfile(os.path.join(site, CACHE))
            assert_like_clean(site, tmp, said, "seed %d (PM_SEED=%d to repeat), step %d (%s): "
                              % (seed, seed, i, name))


def rewrite_yml(path, rng):
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text.replace("intro: ", "intro: %s " % rng.choice(["New.", "Now."]), 1))


@test
def what_a_build_cannot_keep_for_the_next_is_said():
    """A folder where the record cache or the manifest goes: the build
    still succeeds (the site is in place), and says which it could not
    keep and what that costs the next build, where it said nothing."""
    with min_site() as (site, tmp):
        for name, words in ((CACHE, "could not keep the parsed records in "
                             "'%s' (Is a directory): remove what is in its place; "
                             "the next build may read every record again"),
                            (".output.partnermap-manifest",
                             "could not keep the list of pages in '%s' (Is a "
                             "directory): remove what is in its place; the next "
                             "build may render every page again")):
            build(site)
            path = os.path.join(site, name)
            os.unlink(path)
            os.mkdir(path)
            # stdout and stderr into one pipe, as a CI log takes them
            p = subprocess.run([TOOL, "build", "-C", site], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
            assert p.returncode == 0, p.stdout
            lines = p.stdout.splitlines()
            assert lines[0].startswith("partnermap: built "), p.stdout
            assert lines[1:] == ["partnermap: " + words % path], p.stdout
            assert os.path.isdir(path), "the folder is left as it was"
            os.rmdir(path)
            rc, so, se = run("build", "-C", site)
            assert rc == 0 and "could not keep" not in se, se


@test
def a_commit_that_fails_half_way_says_the_folder_holds_part_of_the_new_site():
    """An in-place build whose commit fails after it began changing the
    output folder exits 3, and its last line says the folder holds part of
    the new site, never that the previous output was kept; the next build
    completes it. What the commit can find beforehand (a flag, a folder of
    another user's) stops it before any move, so the failure here is one
    only a move meets, as a full disk's: PARTNERMAP_TEST_FAIL_MOVE fails
    the move of one page with EIO, after the pages before it moved."""
    with min_site() as (site, tmp):
        build(site)
        pages = [os.path.join(site, "output", "institutions", slug, "index.html")
                 for slug in ("makerere", "yaounde")]
        was = []
        for page in pages:
            with open(page, "rb") as fh:
                was.append(fh.read())
        give_body(site, "makerere")
        give_body(site, "yaounde")
        env = dict(os.environ, PARTNERMAP_TEST_FAIL_MOVE="institutions/yaounde/index.html")
        p = subprocess.run([TOOL, "build", "-C", site], capture_output=True, text=True,
                           env=env)
        rc, se = p.returncode, p.stderr
        last = se.strip().splitlines()[-1]
        assert rc == 3, (rc, se)
        assert se.startswith(
            "partnermap: error: cannot update the output folder at "
            "'output/institutions/yaounde/index.html': Input/output error; the "
            "disk reported an error"), se
        assert "part of the new site" in se, se
        assert last == ("partnermap: the build failed; the output folder holds "
                        "part of the new site, every file whole; build again "
                        "to complete it"), last
        assert "previous output was kept" not in se, se
        # half way: the page moved before it is the new one; its own is
        # the old one, as it was
        now = []
        for page in pages:
            with open(page, "rb") as fh:
                now.append(fh.read())
        assert now[0] != was[0] and BODY in now[0]
        assert now[1] == was[1]
        assert_like_clean(site, tmp, build(site), "after a half commit: ")


@test
def a_program_changed_with_its_size_and_time_kept_is_another():
    """A rebuilt program of the same size copied over with its modification
    time kept (cp -p) is another program: no page is kept and no record
    taken from the cache, where its stat alone could not tell."""
    with min_site() as (site, tmp):
        prog = os.path.join(tmp, "pm")
        shutil.copy2(TOOL, prog)

        def built(*args):
            p = subprocess.run([prog, "build", "-C", site, *args], capture_output=True,
                               text=True, env=dict(os.environ, ASAN_OPTIONS="detect_leaks=1"))
            assert p.returncode == 0, p.stdout + p.stderr
            m = re.search(r"\((\d+) pages? kept from the last build\)", p.stdout)
            return int(m.group(1)) if m else 0

        give_body(site, "makerere")
        built()
        assert built() > 0
        forge(site)
        st = os.stat(prog)
        with open(prog, "r+b") as fh:
            data = fh.read()
            at = data.index(b"GCC: (")  # the compiler's note: not run
            fh.seek(at)
            fh.write(b"g")
        os.utime(prog, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert os.stat(prog).st_size == st.st_size
        assert built() == 0, "pages kept from another program"
        with open(os.path.join(site, "output", "institutions", "makerere", "index.html"),
                  "rb") as fh:
            assert BODY in fh.read(), "a record taken from another program's cache"


@test
def a_library_replaced_with_the_same_version_is_another():
    """A distribution's fix to a library keeps its version string but not
    its file: with another copy of libyaml loaded (the same bytes, a new
    file), no page is kept and no record taken from the cache; with the
    same one again, both are used."""
    with min_site() as (site, tmp):
        ldd = subprocess.run(["ldd", TOOL], capture_output=True, text=True).stdout
        m = re.search(r"(libyaml\S*\.so\S*) => (\S+)", ldd)
        assert m, ldd
        lib = os.path.join(tmp, "lib")
        os.mkdir(lib)
        shutil.copy2(m.group(2), os.path.join(lib, m.group(1)))
        env = dict(os.environ, LD_LIBRARY_PATH=lib)

        def built(env=None):
            p = subprocess.run([TOOL, "build", "-C", site], capture_output=True, text=True,
                               env=env)
            assert p.returncode == 0, p.stdout + p.stderr
            m = re.search(r"\((\d+) pages? kept from the last build\)", p.stdout)
            return int(m.group(1)) if m else 0

        give_body(site, "makerere")
        built()
        every = built()
        assert every > 0
        forge(site)
        assert built(env) == 0, "pages kept from the build with the other libyaml"
        page = os.path.join(site, "output", "institutions", "makerere", "index.html")
        with open(page, "rb") as fh:
            assert BODY in fh.read(), "a record taken from the cache of another libyaml"
        assert built(env) == every, "the same library is the same"
