"""The basemap's simplification kept beside the output folder
(.output.partnermap-map, generator/publish/mapcache.h): a build that moves
no partner takes it instead of simplifying the basemap again, and must
give the very bytes of a clean build whatever changed; one made for other
partners' places, and a damaged, linked or shared one, are never used."""
import os
import shutil
import stat
import subprocess

from e2e import test, run, min_site, write_record, record, TOOL
from reuse_common import assert_like_clean

MAP = ".output.partnermap-map"
MAGIC = b"partnermap-map-cache 1\n"


def build(site, *args):
    """Build site (in place unless args say otherwise): its stderr."""
    rc, so, se = run("build", "-C", site, *args)
    assert rc == 0, "build %s failed (%d):\n%s%s" % (" ".join(args), rc, so, se)
    return se


def read(path):
    with open(path, "rb") as fh:
        return fh.read()


@test
def map_cache_is_kept_and_follows_the_partners():
    """A build leaves the simplification beside the output (the user's
    alone); one that moves no partner leaves it as it is; one that moves,
    adds or removes a partner writes another; each build's site is the
    clean build's."""
    with min_site() as (site, tmp):
        build(site)
        path = os.path.join(site, MAP)
        st = os.lstat(path)
        assert stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o600, oct(st.st_mode)
        assert read(path).startswith(MAGIC)
        first = read(path)
        # a body edited: the same partners' places, the same file
        folder = os.path.join(site, "content", "institutions")
        name = sorted(n for n in os.listdir(folder) if n.endswith(".md"))[0]
        with open(os.path.join(folder, name), "a", encoding="utf-8") as fh:
            fh.write("\nOne more sentence.\n")
        build(site)
        assert os.lstat(path).st_ino == st.st_ino, "left as it was"
        assert_like_clean(site, tmp, "body: ")
        # a partner added by a border (Laos and Thailand), then moved,
        # then removed: another simplification each time
        seen = {first}
        for lat, lon in ((20.4, 100.1), (20.3, 100.2)):
            write_record(site, "by-the-border", **record("TH", "Chiang Saen", lat, lon))
            build(site)
            assert read(path) not in seen, (lat, lon)
            seen.add(read(path))
            assert_like_clean(site, tmp, "at %s, %s: " % (lat, lon))
        os.unlink(os.path.join(folder, "by-the-border.md"))
        build(site)
        assert read(path)[:len(MAGIC) + 32] == first[:len(MAGIC) + 32]
        assert_like_clean(site, tmp, "removed: ")


@test
def map_cache_of_other_partners_is_not_taken():
    """A simplification made for another site's partners, put beside this
    site's output, is not taken: its key names other places."""
    with min_site() as (site, tmp):
        build(site)
        other = os.path.join(tmp, "other")
        shutil.copytree(site, other)
        write_record(other, "by-the-border", **record("TH", "Chiang Saen", 20.4, 100.1))
        build(other)
        shutil.copyfile(os.path.join(other, MAP), os.path.join(site, MAP))
        os.chmod(os.path.join(site, MAP), 0o600)
        with open(os.path.join(site, "content", "institutions",
                               sorted(os.listdir(os.path.join(site, "content",
                                                              "institutions")))[0]),
                  "a", encoding="utf-8") as fh:
            fh.write("\nEdited.\n")
        se = build(site)
        assert "did not use" not in se, se
        assert_like_clean(site, tmp, "another site's: ")


def flip_of_two(good):
    """good with its first ring flip set to 2 and its digest made again."""
    import hashlib
    import struct
    d = bytearray(good)
    base = len(MAGIC) + 32 + 8
    npt, nring, nkeep = struct.unpack_from("<QQQ", d, base)
    d[base + 56 + 8 * npt] = 2
    d[-32:] = hashlib.sha256(bytes(d[:-32])).digest()
    return bytes(d)


def forge_all_at_sea(path):
    """The map file at path with every partner found at sea (feature -1),
    its digest made again: a file whose every value has the right shape,
    which only its key can refuse."""
    import hashlib
    import struct
    with open(path, "rb") as fh:
        d = bytearray(fh.read())
    nkeep = struct.unpack_from("<Q", d, len(MAGIC) + 32 + 8 + 16)[0]
    at = len(d) - 32 - 4 * nkeep
    d[at:at + 4 * nkeep] = b"\xff" * (4 * nkeep)
    d[-32:] = hashlib.sha256(bytes(d[:-32])).digest()
    with open(path, "wb") as fh:
        fh.write(d)


@test
def map_cache_from_another_checkout_is_not_taken():
    """A map file copied with the whole site into another folder (a
    checkout elsewhere, a CI cache restored), even one forged with every
    value in shape, is not taken: its key names the basemap's files as
    the folder it came from has them. Here the forged file would have put
    a partner at sea, where its location is in another country, which
    site.yml makes an error."""
    with min_site() as (site, tmp):
        write_record(site, "astray", **record("UG", "Nairobi", -1.2921, 36.8219))
        yml = os.path.join(site, "site.yml")
        with open(yml, encoding="utf-8") as fh:
            text = fh.read()
        with open(yml, "w", encoding="utf-8") as fh:
            fh.write(text + "checks:\n  location-outside-country: warning\n")
        se = build(site)
        assert "location falls in Kenya, not Uganda" in se, se
        other = os.path.join(tmp, "other")
        shutil.copytree(site, other, symlinks=True)
        with open(os.path.join(other, "site.yml"), "w", encoding="utf-8") as fh:
            fh.write(text + "checks:\n  location-outside-country: error\n")
        forge_all_at_sea(os.path.join(other, MAP))
        os.chmod(os.path.join(other, MAP), 0o600)
        rc, so, se = run("build", "-C", other)
        assert rc == 1 and "location falls in Kenya, not Uganda" in se, (rc, se)
        assert "did not use" not in se, se


@test
def map_cache_damaged_or_linked_is_ignored():
    """A truncated, corrupted, empty or other version's file, or a link,
    a named pipe or a file others may write in its place, is not used:
    the site is what a clean build writes, the build says why (but for
    another version's), and writes its own."""
    with min_site() as (site, tmp):
        build(site)
        path = os.path.join(site, MAP)
        good = read(path)
        outside = os.path.join(tmp, "elsewhere")
        with open(outside, "wb") as fh:
            fh.write(good)
        harms = {
            "truncated": (good[:len(good) // 2], True),
            "corrupted": (good[:60] + bytes([good[60] ^ 1]) + good[61:], True),
            "last byte": (good[:-1] + bytes([good[-1] ^ 1]), True),
            "empty": (b"", True),
            "version line harmed": (bytes([good[0] ^ 0x20]) + good[1:], True),
            "another version": (b"partnermap-map-cache 2\n" + good[len(MAGIC):], False),
            # in shape but for the value: a flip of 2, its digest made again
            "a value out of shape": (flip_of_two(good), True),
        }
        said = ("partnermap: did not use '%s': it was cut short or changed since "
                "a build wrote it; this build had to simplify the basemap, and "
                "wrote a new one" % path)
        for name, (data, told) in harms.items():
            with open(path, "wb") as fh:
                fh.write(data)
            os.chmod(path, 0o600)
            se = build(site)
            assert (said in se) == told, "%s: %r" % (name, se)
            assert read(path) == good, name + ": written afresh"
            with open(path, "wb") as fh:
                fh.write(data)
            build(site)
            assert_like_clean(site, tmp, name + ": ")
        os.unlink(path)
        os.symlink(outside, path)
        se = build(site)
        assert ("partnermap: did not use '%s': it is a symbolic link, which a build "
                "never follows; this build wrote its own\n" % path) in se, se
        assert not os.path.islink(path) and read(path) == good
        os.chmod(path, 0o622)
        se = build(site)
        assert "partnermap: did not use '%s': " % path in se and "this build wrote its own" in se, se
        assert stat.S_IMODE(os.lstat(path).st_mode) == 0o600
        os.unlink(path)
        os.mkfifo(path, 0o600)
        se = build(site)
        assert ("partnermap: did not use '%s': it is not a regular file; this "
                "build wrote its own\n" % path) in se, se
        assert not stat.S_ISFIFO(os.lstat(path).st_mode)
        assert read(outside) == good
        assert_like_clean(site, tmp, "after all: ")


@test
def map_cache_that_cannot_be_written_is_said():
    """A folder in its place: the build still succeeds and says what it
    could not keep and what that costs the next build."""
    with min_site() as (site, tmp):
        build(site)
        path = os.path.join(site, MAP)
        os.unlink(path)
        os.mkdir(path)
        # a partner added, so that the build has a new one to keep
        write_record(site, "by-the-border", **record("TH", "Chiang Saen", 20.4, 100.1))
        p = subprocess.run([TOOL, "build", "-C", site], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        assert p.returncode == 0, p.stdout
        lines = p.stdout.splitlines()
        assert lines[0].startswith("partnermap: built "), p.stdout
        assert lines[1:] == ["partnermap: could not keep the simplified basemap in "
                             "'%s' (Is a directory): remove what is in its place; the "
                             "next build may simplify the basemap again" % path], p.stdout
        assert os.path.isdir(path)
        os.rmdir(path)
        se = build(site)
        assert "could not keep" not in se, se
        assert_like_clean(site, tmp, "")
