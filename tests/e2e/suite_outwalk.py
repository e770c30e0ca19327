"""The walk of the output folder after an in-place build trusts the listing
of a folder that is still the one the last build recorded (its inode,
modification and change times: generator/publish/update.h, upd_listed),
and reads every other folder again. Whatever was added, removed, replaced
or edited by hand in a folder whose listing was trusted before must be
found all the same: the output must stay what a clean build writes."""
import os
import re
import shutil
import subprocess
import time

from e2e import test, run, min_site, write_record, record, tree_digest
from reuse_common import build, assert_like_clean, seal

MANIFEST = ".output.partnermap-manifest"
# generator/publish/update.h, UPD_SETTLE_S, and a margin
SETTLE = 2.2


def settled_site(site, n=4):
    """site with n more schools, built twice with a pause between, so the
    manifest records its folders (those changed in the last 2 seconds are
    not); returns the output folder."""
    for i in range(n):
        fields = record("UG", "Kampala", 0.3 + i / 100.0, 32.5)
        fields["name"] = "School %d" % i
        write_record(site, "school-%d" % i, **fields)
    build(site)
    time.sleep(SETTLE)
    build(site)
    folders = recorded_folders(site)
    assert "institutions" in folders and "institutions/school-1" in folders, folders
    return os.path.join(site, "output")


def recorded_folders(site):
    with open(os.path.join(site, MANIFEST), encoding="utf-8") as fh:
        return re.findall(r"(?m)^d \d+ \d+ \d+ \d+ \d+ (.*)$", fh.read())


def put(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


@test
def outwalk_files_added_by_hand_in_trusted_folders_are_removed():
    with min_site() as (site, tmp):
        out = settled_site(site)
        added = ["institutions/school-1/extra.html", "institutions/stray.html",
                 "institutions/school-2/sub/deep.html", "countries/ug/old.html"]
        for rel in added:
            put(os.path.join(out, rel), "not the site's")
        build(site)
        for rel in added:
            assert not os.path.exists(os.path.join(out, rel)), rel
        assert not os.path.exists(os.path.join(out, "institutions/school-2/sub"))
        assert_like_clean(site, tmp)


@test
def outwalk_hidden_entries_added_in_trusted_folders():
    """Hidden entries below the top are removed as any other; one at the
    top (git init in output/) makes the build refuse the folder."""
    with min_site() as (site, tmp):
        out = settled_site(site)
        for rel in ("institutions/.env", "institutions/school-1/.git/HEAD",
                    "countries/.nojekyll"):
            put(os.path.join(out, rel), "hidden")
        build(site)
        for rel in ("institutions/.env", "institutions/school-1/.git", "countries/.nojekyll"):
            assert not os.path.exists(os.path.join(out, rel)), rel
        assert_like_clean(site, tmp)
        time.sleep(SETTLE)
        build(site)
        subprocess.run(["git", "init", "-q", out], check=True)
        before = tree_digest(out)
        rc, so, se = run("build", "-C", site)
        assert rc == 3, (rc, so, se)
        want = ("partnermap: error: refusing to build into 'output': it holds "
                "'.git', which partnermap did not write and a build would delete "
                "with the folder; move it out, or build into a folder of its own "
                "and copy the site in, which leaves hidden entries alone (rsync -a "
                "--delete --exclude='.*' BUILT/ THIS/)")
        assert want in se.splitlines(), se
        assert tree_digest(out) == before


@test
def outwalk_folder_replaced_by_a_link_is_replaced_never_followed():
    with min_site() as (site, tmp):
        out = settled_site(site)
        page = os.path.join(out, "institutions", "school-1")
        away = os.path.join(tmp, "away")
        shutil.move(page, away)
        os.symlink(away, page)
        linked_folder = os.path.join(out, "countries")
        away_countries = os.path.join(tmp, "away-countries")
        shutil.move(linked_folder, away_countries)
        os.symlink(away_countries, linked_folder)
        before = {p: open(os.path.join(away, p), "rb").read() for p in os.listdir(away)}
        build(site)
        assert not os.path.islink(page) and os.path.isdir(page)
        assert not os.path.islink(linked_folder) and os.path.isdir(linked_folder)
        assert {p: open(os.path.join(away, p), "rb").read()
                for p in os.listdir(away)} == before, "written through a link"
        assert_like_clean(site, tmp)


@test
def outwalk_file_edited_keeping_size_and_mtime_is_rendered_again():
    """touch -d puts the modification time back; the change time, which
    no one can set, still tells."""
    with min_site() as (site, tmp):
        out = settled_site(site)
        page = os.path.join(out, "institutions", "school-1", "index.html")
        data = open(page, "rb").read()
        forged = data.replace(b"<main", b"<MAIN", 1)
        assert forged != data and len(forged) == len(data)
        st = os.stat(page)
        with open(page, "r+b") as fh:
            fh.write(forged)
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(st.st_mtime))
        subprocess.run(["touch", "-d", "%s.%09d UTC" % (stamp, st.st_mtime_ns % 10**9),
                        page], check=True)
        assert os.stat(page).st_mtime_ns == st.st_mtime_ns
        assert os.stat(page).st_size == st.st_size
        build(site)
        assert open(page, "rb").read() == data
        assert_like_clean(site, tmp)


@test
def outwalk_listing_of_a_recorded_folder_is_not_read_again():
    """The walk takes a recorded folder's listing from the manifest: a
    file added there is removed only because the folder's identity
    changed. Forging the folder's line to its new identity (only whoever
    writes beside OUT_DIR can) leaves the file, which shows that the
    folder was not read."""
    with min_site() as (site, tmp):
        out = settled_site(site)
        folder = os.path.join(out, "institutions", "school-1")
        put(os.path.join(folder, "extra.html"), "left")
        st = os.stat(folder)
        line = "d %d %d %d %d %d institutions/school-1" % (
            st.st_mtime_ns // 10**9, st.st_mtime_ns % 10**9,
            st.st_ctime_ns // 10**9, st.st_ctime_ns % 10**9, st.st_ino)
        path = os.path.join(site, MANIFEST)
        text = open(path, encoding="utf-8").read()
        text, n = re.subn(r"(?m)^d .* institutions/school-1$", line, text)
        assert n == 1
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(seal(text))
        build(site)
        assert os.path.isfile(os.path.join(folder, "extra.html"))
        # a folder line naming a path out of the folder: the manifest is
        # refused whole, every folder read, every page rendered
        text = open(path, encoding="utf-8").read()
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(seal(text.replace("\nd ", "\nd 1 2 3 4 5 ../elsewhere\nd ", 1)))
        assert build(site) == 0
        assert not os.path.exists(os.path.join(folder, "extra.html"))
        assert_like_clean(site, tmp)


def stat_fields(st, with_size):
    """A manifest line's numbers for st (generator/publish/reuse.c)."""
    times = [st.st_mtime_ns // 10**9, st.st_mtime_ns % 10**9,
             st.st_ctime_ns // 10**9, st.st_ctime_ns % 10**9, st.st_ino]
    return ([st.st_size] if with_size else []) + times


@test
def outwalk_manifest_gives_each_file_and_folder_as_it_is():
    with min_site() as (site, tmp):
        out = settled_site(site, 2)
        path = os.path.join(site, MANIFEST)
        text = open(path, encoding="utf-8").read()
        files = {os.path.relpath(os.path.join(dp, f), out)
                 for dp, _, fs in os.walk(out) for f in fs} - {".partnermap-output"}
        seen = set()
        for kind, numbers, rel in re.findall(r"(?m)^([fd])((?: -?\d+)+) (.*)$", text):
            st = os.lstat(os.path.join(out, rel))
            assert [int(x) for x in numbers.split()] == stat_fields(st, kind == "f"), rel
            if kind == "f":
                seen.add(rel)
        assert seen == files, sorted(seen ^ files)[:10]
        # numbers the reader refuses: the manifest is dropped whole
        for bad in ("99999999999999999999", "+1", "-", "1x", " 1"):
            text = open(path, encoding="utf-8").read()
            spoilt, n = re.subn(r"(?m)^f \d+ ", "f %s " % bad, text, count=1)
            assert n == 1
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(spoilt)
            assert build(site) == 0, bad
        assert_like_clean(site, tmp)
