"""A site folder from a pull request, built by CI and published: nothing
outside the site may be read (let alone published), and no file may make
the build hang or read without end.

Every hostile site here is built first as it was (so there is an output to
keep), then with the hostile change: the build must exit 1 with the exact
message at path:1:1 (or at the site.yml value), leave the previous output
byte for byte, leave no staging folder, and nothing of the secret kept
outside the site may appear anywhere in the output or the messages.
"""
import os
import re
import shutil
import subprocess

from e2e import test, run, min_site, tree_digest, write_record, record, set_map_option, line_col, read, ROOT, TOOL

# Kept outside the site, in a file and in the environment of the build.
SECRET = "PM-SECRET-c0ffee-7f3a9c"
COPY_IT = "copy the file into the site folder instead"


def build(site, timeout=120):
    """Build with a secret in the environment. A build that blocks on a
    named pipe fails by the timeout instead of hanging the suite."""
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    env["PM_CI_TOKEN"] = SECRET
    p = subprocess.run([TOOL, "build", "-C", site], capture_output=True, text=True,
                       env=env, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def outside(tmp):
    """A folder beside the site holding secret.txt: what a link may reach."""
    out = os.path.join(tmp, "outside")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "secret.txt"), "w") as fh:
        fh.write(SECRET + "\n")
    return out


def no_secret_in(folder):
    for dirpath, _, files in os.walk(folder):
        for f in files:
            with open(os.path.join(dirpath, f), "rb") as fh:
                data = fh.read()
            assert SECRET.encode() not in data, os.path.join(dirpath, f)
            assert b"root:x:0:0:" not in data, os.path.join(dirpath, f)


def built_once(site):
    rc, _, se = build(site)
    assert rc == 0, se
    return tree_digest(os.path.join(site, "output"))


def assert_refused(site, before, where, msg):
    """The build exits 1 with exactly `where: error: msg` and keeps the
    output it had."""
    rc, so, se = build(site)
    assert rc == 1, "exit %d\n%s" % (rc, se)
    line = "%s: error: %s" % (where, msg)
    assert line in se.splitlines(), "expected\n  %s\nin:\n%s" % (line, se)
    assert "nothing was written" in se, se
    assert SECRET not in se and SECRET not in so, se
    assert tree_digest(os.path.join(site, "output")) == before, "the output changed"
    assert not [d for d in os.listdir(site) if "staging" in d], os.listdir(site)
    no_secret_in(os.path.join(site, "output"))
    return se


def link(target, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    os.symlink(target, path)


def outside_link_msg(path, kind="file"):
    return ("%s is a symbolic link to a %s outside the site folder: copy the %s "
            "into the site folder instead" % (path, kind, kind))


def fifo_msg(path):
    return ("%s is a named pipe (FIFO), not a regular file: replace it "
            "with an ordinary file" % path)


# ------------------------------------------------ files outside the site ---

@test
def files_outside_the_site_are_refused_asset_linked_to_proc_environ():
    with min_site() as (site, tmp):
        before = built_once(site)
        rel = "themes/default/assets/env.txt"
        link("/proc/self/environ", os.path.join(site, rel))
        assert_refused(site, before, rel + ":1:1", outside_link_msg(rel))


@test
def files_outside_the_site_are_refused_asset_linked_to_etc_passwd():
    with min_site() as (site, tmp):
        before = built_once(site)
        rel = "themes/default/assets/passwd.txt"
        link("/etc/passwd", os.path.join(site, rel))
        assert_refused(site, before, rel + ":1:1", outside_link_msg(rel))


@test
def files_outside_the_site_are_refused_record_linked_outside():
    with min_site() as (site, tmp):
        before = built_once(site)
        far = outside(tmp)
        fields = record("UG", "Kampala", 0.3136, 32.5811)
        fields["name"] = SECRET
        write_record(site, "spy", **fields)
        shutil.move(os.path.join(site, "content", "institutions", "spy.md"),
                    os.path.join(far, "spy.md"))
        rel = "content/institutions/spy.md"
        link(os.path.join(far, "spy.md"), os.path.join(site, rel))
        assert_refused(site, before, rel + ":1:1", outside_link_msg(rel))


@test
def files_outside_the_site_are_refused_institutions_folder_linked_to_etc():
    with min_site() as (site, tmp):
        before = built_once(site)
        inst = os.path.join(site, "content", "institutions")
        shutil.rmtree(inst)
        os.symlink("/etc", inst)
        se = assert_refused(site, before, "content/institutions:1:1",
                            outside_link_msg("content/institutions", "folder"))
        # one message, not one per file of /etc, and no empty site built
        assert "passwd" not in se and "hostname" not in se, se
        assert re.search(r"^1 error, 0 warnings$", se, re.M), se


@test
def files_outside_the_site_are_refused_template_linked_outside():
    with min_site() as (site, tmp):
        before = built_once(site)
        far = outside(tmp)
        rel = "themes/default/templates/page.mustache"
        os.unlink(os.path.join(site, rel))
        link(os.path.join(far, "secret.txt"), os.path.join(site, rel))
        assert_refused(site, before, rel + ":1:1", outside_link_msg(rel))


@test
def files_outside_the_site_are_refused_site_yml_linked_outside():
    with min_site() as (site, tmp):
        before = built_once(site)
        far = outside(tmp)
        yml = os.path.join(site, "site.yml")
        shutil.move(yml, os.path.join(far, "site.yml"))
        os.symlink(os.path.join(far, "site.yml"), yml)
        assert_refused(site, before, "site.yml:1:1", outside_link_msg("site.yml"))


@test
def files_outside_the_site_are_refused_basemap_folder_linked_outside():
    with min_site() as (site, tmp):
        before = built_once(site)
        far = outside(tmp)
        geo = os.path.join(site, "geodata")
        shutil.copytree(os.path.realpath(geo), os.path.join(far, "geodata"))
        os.unlink(geo)
        os.symlink(os.path.join(far, "geodata"), geo)
        assert_refused(site, before, "geodata/naturalearth_lowres.shp:1:1",
                       outside_link_msg("geodata", "folder"))


@test
def missing_map_files_misspelt_basemap_is_an_error_at_its_line():
    """A map.basemap naming a file the site lacks is the editor's to fix:
    exit 1 at the value in site.yml, with the .shp meant; not exit 3 at
    the missing file's 1:1."""
    with min_site() as (site, tmp):
        before = built_once(site)
        set_map_option(site, "basemap", "geodata/naturalearth_lowers.shp")
        se = assert_refused(site, before, "site.yml:%s" % line_col(site, "basemap"),
                            "map.basemap names 'geodata/naturalearth_lowers.shp', "
                            "which the site folder does not have; did you mean "
                            "'geodata/naturalearth_lowres.shp'?")
        assert "1 error," in se, se
        rc, _, se = run("check", "-C", site)
        assert rc == 1 and "site.yml:%s: error: map.basemap names" % line_col(
            site, "basemap") in se, (rc, se)


@test
def missing_map_files_points_in_a_missing_folder_is_an_error_at_its_line():
    """map.points in a folder the site lacks; the basemap, the one .shp
    there is, is never offered as the points' fix."""
    with min_site() as (site, tmp):
        before = built_once(site)
        set_map_option(site, "points", "geodata/partners.shp")
        assert_refused(site, before, "site.yml:%s" % line_col(site, "points"),
                       "map.points names 'geodata/partners.shp', which the site "
                       "folder does not have; name the .shp of a shapefile in the "
                       "site folder, with its .shx and .dbf beside it")
        set_map_option(site, "points", "points/partners.shp")
        assert_refused(site, before, "site.yml:%s" % line_col(site, "points"),
                       "map.points names 'points/partners.shp', which the site "
                       "folder does not have; it has no folder 'points' either; "
                       "name the .shp of a shapefile in the site folder, with "
                       "its .shx and .dbf beside it")


@test
def missing_map_files_a_folder_or_another_part_named_is_told_at_site_yml():
    """map.basemap naming a folder, or a shapefile's .dbf, was read as
    '<it>.shp' and told at that made-up file; a name without .shp still
    stands for the .shp, as in shapelib."""
    with min_site() as (site, tmp):
        before = built_once(site)
        for value, msg in [
                ("geodata", "map.basemap must name a shapefile's .shp file, not "
                 "'geodata': write the path of the .shp, such as "
                 "geodata/naturalearth_lowres.shp"),
                ("geodata/", "map.basemap must name a shapefile's .shp file, not "
                 "'geodata/': write the path of the .shp, such as "
                 "geodata/naturalearth_lowres.shp"),
                ("geodata/naturalearth_lowres.dbf", "map.basemap must name a "
                 "shapefile's .shp, not its .dbf: write "
                 "geodata/naturalearth_lowres.shp")]:
            set_map_option(site, "basemap", value)
            assert_refused(site, before, "site.yml:%s" % line_col(site, "basemap"), msg)
        set_map_option(site, "basemap", "geodata/naturalearth_lowres")
        rc, _, se = build(site)
        assert rc == 0, se


@test
def map_files_that_are_no_shapefile_are_told_at_site_yml():
    """map.points or map.basemap naming a file that is there but is no
    shapefile (a CSV of points, a GeoJSON, site.yml itself) was read as
    '<it>.shp' and told as 'cannot open' at that made-up file, with no
    place a CI annotation could show; now told at the key in site.yml."""
    with min_site() as (site, tmp):
        before = built_once(site)
        with open(os.path.join(site, "geodata", "points.csv"), "w") as fh:
            fh.write("slug,lat,lon\n")
        for key, value, example in [
                ("basemap", "geodata/points.csv", "geodata/naturalearth_lowres.shp"),
                ("basemap", "site.yml", "geodata/naturalearth_lowres.shp"),
                ("points", "geodata/points.csv", "geodata/partners.shp")]:
            set_map_option(site, key, value)
            assert_refused(site, before, "site.yml:%s" % line_col(site, key),
                           "map.%s must name a shapefile's .shp, not '%s', which is "
                           "not one: partnermap reads map data from shapefiles (a .shp "
                           "with its .shx and .dbf beside it); write the path of one, "
                           "such as %s" % (key, value, example))
            set_map_option(site, "basemap", "geodata/naturalearth_lowres.shp")


@test
def missing_map_files_dbf_missing_beside_its_shp_is_an_error():
    with min_site() as (site, tmp):
        before = built_once(site)
        geo = os.path.join(site, "geodata")
        real = os.path.realpath(geo)
        if real != os.path.abspath(geo):  # a link to the shared basemap
            os.unlink(geo)
            shutil.copytree(real, geo)
        os.unlink(os.path.join(geo, "naturalearth_lowres.dbf"))
        assert_refused(site, before, "geodata/naturalearth_lowres.dbf:1:1",
                       "cannot open: No such file or directory; a shapefile is "
                       "its .shp with the .shx and .dbf of the same name beside "
                       "it: export the layer again, with all its files")


@test
def missing_map_files_tell_nothing_of_what_lies_outside_the_site():
    """A basemap folder linked out of the site: whether a file exists out
    there is never told (a pull request could probe the machine); the
    link is refused as any link out is."""
    with min_site() as (site, tmp):
        before = built_once(site)
        far = outside(tmp)
        link(far, os.path.join(site, "probe"))
        for name in ("secret.shp", "nothing-here.shp"):
            set_map_option(site, "points", "probe/" + name)
            rc, so, se = build(site)
            assert rc == 1, se
            assert "does not have" not in se and "did you mean" not in se, se
            assert "probe is a symbolic link to a folder outside the site folder" in se, se
            assert tree_digest(os.path.join(site, "output")) == before


@test
def files_outside_the_site_are_refused_basemap_prj_linked_to_proc_environ():
    with min_site() as (site, tmp):
        before = built_once(site)
        rel = "geodata/naturalearth_lowres.prj"
        os.unlink(os.path.join(site, rel))
        link("/proc/self/environ", os.path.join(site, rel))
        assert_refused(site, before, rel + ":1:1", outside_link_msg(rel))


@test
def files_outside_the_site_are_refused_absolute_basemap_path():
    with min_site() as (site, tmp):
        before = built_once(site)
        shp = os.path.join(os.path.realpath(os.path.join(site, "geodata")),
                           "naturalearth_lowres.shp")
        set_map_option(site, "basemap", shp)
        assert_refused(site, before, "site.yml:%s" % line_col(site, "basemap"),
                       "map.basemap must be a path relative to the site folder "
                       "(such as geodata/naturalearth_lowres.shp), not an absolute "
                       "path: copy the files into the site folder and name them "
                       "from there")


@test
def files_outside_the_site_are_refused_points_path_climbing_out():
    with min_site() as (site, tmp):
        before = built_once(site)
        set_map_option(site, "points", "../../../../etc/partners.shp")
        assert_refused(site, before, "site.yml:%s" % line_col(site, "points"),
                       "map.points climbs out of the site folder with '..': copy "
                       "the files into the site folder and name them from there "
                       "(such as geodata/partners.shp)")


@test
def files_outside_the_site_are_refused_every_one_reported():
    """Several at once: every one is named in one run."""
    with min_site() as (site, tmp):
        before = built_once(site)
        link("/etc/passwd", os.path.join(site, "content/institutions/a.md"))
        link("/etc/hostname", os.path.join(site, "content/pages/b.md"))
        link("/etc", os.path.join(site, "content/networks/etc"))
        rc, _, se = build(site)
        assert rc == 1, se
        for rel, kind in (("content/institutions/a.md", "file"),
                          ("content/pages/b.md", "file"),
                          ("content/networks/etc", "folder")):
            line = "%s:1:1: error: %s" % (rel, outside_link_msg(rel, kind))
            assert line in se.splitlines(), (line, se)
        assert tree_digest(os.path.join(site, "output")) == before


@test
def links_inside_the_site_keep_working():
    """Links whose target stays inside the site are followed: a record, a
    folder of pages, a theme asset, and geodata/ and themes/ themselves
    (make_min_site links those to copies inside the site)."""
    with min_site() as (site, tmp):
        assert os.path.islink(os.path.join(site, "geodata"))
        assert os.path.islink(os.path.join(site, "themes"))
        extra = os.path.join(site, "extra")
        os.makedirs(os.path.join(extra, "pages"))
        write_record(site, "linked", **record("UG", "Kampala", 0.3136, 32.5811))
        shutil.move(os.path.join(site, "content", "institutions", "linked.md"),
                    os.path.join(extra, "linked.md"))
        os.symlink("../../extra/linked.md", os.path.join(site, "content", "institutions", "linked.md"))
        pages = os.path.join(site, "content", "pages")
        for f in os.listdir(pages):
            shutil.move(os.path.join(pages, f), os.path.join(extra, "pages", f))
        os.rmdir(pages)
        os.symlink(os.path.join(extra, "pages"), pages)  # absolute, still inside
        with open(os.path.join(extra, "note.txt"), "w") as fh:
            fh.write("a note\n")
        os.symlink(os.path.join(extra, "note.txt"), os.path.join(site, "themes", "default", "assets", "note.txt"))
        rc, _, se = build(site)
        assert rc == 0, se
        out = os.path.join(site, "output")
        assert os.path.isfile(os.path.join(out, "institutions", "linked", "index.html"))
        assert os.path.isfile(os.path.join(out, "about", "index.html"))
        notes = [f for f in os.listdir(os.path.join(out, "assets")) if f.startswith("note.")]
        assert len(notes) == 1, os.listdir(os.path.join(out, "assets"))
        assert read(os.path.join(out, "assets", notes[0])) == "a note\n"


# -------------------------------------------------------- unbounded reads ---

@test
def unbounded_reads_are_refused_record_fifo():
    with min_site() as (site, tmp):
        before = built_once(site)
        rel = "content/institutions/pipe.md"
        os.mkfifo(os.path.join(site, rel))
        assert_refused(site, before, rel + ":1:1", fifo_msg(rel))


@test
def unbounded_reads_are_refused_basemap_dbf_fifo():
    with min_site() as (site, tmp):
        before = built_once(site)
        rel = "geodata/naturalearth_lowres.dbf"
        os.unlink(os.path.join(site, rel))
        os.mkfifo(os.path.join(site, rel))
        assert_refused(site, before, rel + ":1:1", fifo_msg(rel))


@test
def unbounded_reads_are_refused_asset_linked_to_dev_zero():
    with min_site() as (site, tmp):
        before = built_once(site)
        rel = "themes/default/assets/zero.js"
        link("/dev/zero", os.path.join(site, rel))
        assert_refused(site, before, rel + ":1:1", outside_link_msg(rel))


@test
def unbounded_reads_are_refused_cpg_linked_to_dev_urandom():
    with min_site() as (site, tmp):
        before = built_once(site)
        rel = "geodata/naturalearth_lowres.cpg"
        os.unlink(os.path.join(site, rel))
        link("/dev/urandom", os.path.join(site, rel))
        assert_refused(site, before, rel + ":1:1", outside_link_msg(rel))


@test
def unbounded_reads_are_refused_record_over_the_limit():
    with min_site() as (site, tmp):
        before = built_once(site)
        rel = write_record(site, "long", **record("UG", "Kampala", 0.3136, 32.5811))
        with open(os.path.join(site, rel), "a") as fh:
            fh.write("x" * (3355443 - os.path.getsize(os.path.join(site, rel))))
        assert_refused(site, before, rel + ":1:1",
                       "%s is 3.2 MiB; a record may be at most 1 MiB: shorten it" % rel)


@test
def unbounded_reads_are_refused_asset_over_the_limit():
    with min_site() as (site, tmp):
        before = built_once(site)
        rel = "themes/default/assets/huge.bin"
        with open(os.path.join(site, rel), "wb") as fh:
            fh.truncate(17 << 20)
        assert_refused(site, before, rel + ":1:1",
                       "%s is 17.0 MiB; a theme asset may be at most 16 MiB: make it "
                       "smaller (compress the image, minify the script)" % rel)


# ------------------------------------------------------ hidden files ---

def hidden_msg(path, kind, name):
    return ("%s leads into the hidden %s %s of the site folder, which is never "
            "read (hidden files such as .git/config may hold secrets): copy the "
            "file into the site folder under a name that does not start with "
            "'.' instead" % (path, kind, name))


@test
def hidden_files_are_never_read_asset_linked_to_git_config():
    """The site is a git checkout: CI keeps its token in .git/config."""
    with min_site() as (site, tmp):
        before = built_once(site)
        os.makedirs(os.path.join(site, ".git"))
        with open(os.path.join(site, ".git", "config"), "w") as fh:
            fh.write("[http]\n\textraheader = AUTHORIZATION: basic %s\n" % SECRET)
        # themes/ links into the site's _shared/ copy, three levels below
        rel = "themes/default/assets/config.txt"
        real = os.path.realpath(os.path.join(site, "themes/default/assets"))
        link(os.path.relpath(os.path.join(site, ".git", "config"), real),
             os.path.join(site, rel))
        assert_refused(site, before, rel + ":1:1", hidden_msg(rel, "folder", ".git"))


# ------------------------------------- check refuses what build refuses ---

def check(site, timeout=120):
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    env["PM_CI_TOKEN"] = SECRET
    p = subprocess.run([TOOL, "check", "-C", site], capture_output=True, text=True,
                       env=env, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def assert_check_refuses(site, where, msg):
    """check exits 1 with exactly the line build gives, and writes nothing."""
    line = "%s: error: %s" % (where, msg)
    rc, so, se = check(site)
    assert rc == 1, "check exit %d\n%s" % (rc, se)
    assert line in se.splitlines(), "expected\n  %s\nin:\n%s" % (line, se)
    assert SECRET not in se and SECRET not in so, se
    assert not os.path.exists(os.path.join(site, "output")), os.listdir(site)
    rc, _, se = build(site)
    assert rc == 1 and line in se.splitlines(), "build: exit %d\n%s" % (rc, se)


@test
def check_refuses_assets_build_refuses_asset_linked_to_etc_passwd():
    with min_site() as (site, tmp):
        rel = "themes/default/assets/passwd.txt"
        link("/etc/passwd", os.path.join(site, rel))
        assert_check_refuses(site, rel + ":1:1", outside_link_msg(rel))


@test
def check_refuses_assets_build_refuses_fifo_asset():
    with min_site() as (site, tmp):
        rel = "themes/default/assets/pipe.css"
        os.mkfifo(os.path.join(site, rel))
        assert_check_refuses(site, rel + ":1:1",
                             "%s is a named pipe (FIFO), not a regular file: "
                             "replace it with an ordinary file" % rel)


@test
def check_refuses_assets_build_refuses_beside_a_records_error():
    """A build with a record's error never reached the assets, and did not
    say what check says of them: both now give both errors."""
    with min_site() as (site, tmp):
        rel = "themes/default/assets/pipe.css"
        os.mkfifo(os.path.join(site, rel))
        bad = write_record(site, "bad-code", **record("XX", "Nowhere", 1, 1))
        assert_check_refuses(site, rel + ":1:1",
                             "%s is a named pipe (FIFO), not a regular file: "
                             "replace it with an ordinary file" % rel)
        for run_it in (check, build):
            rc, _, se = run_it(site)
            assert rc == 1 and bad + ":3:10: error: unknown country code" in se, se
            assert re.search(r"^2 errors, 0 warnings$", se, re.M), se


@test
def check_refuses_assets_build_refuses_assets_folder_linked_to_etc():
    with min_site() as (site, tmp):
        rel = "themes/default/assets"
        real = os.path.realpath(os.path.join(site, rel))
        shutil.rmtree(real)
        link("/etc", real)
        assert_check_refuses(site, rel + ":1:1", outside_link_msg(rel, "folder"))


@test
def site_yml_that_is_a_pipe_or_a_device_is_never_read_without_end():
    """site.yml as a named pipe, or as a link to /dev/zero (a checkout can
    hold either), is refused as every file of the site is: the build ends
    at once with an error about it, never waiting on the pipe nor reading
    the device without end (the record cache's key read it before the
    site's own checks did)."""
    with min_site() as (site, tmp):
        yml = os.path.join(site, "site.yml")
        os.unlink(yml)
        os.symlink("/dev/zero", yml)
        rc, out, err = build(site, timeout=30)
        assert rc != 0 and "site.yml" in err, (rc, err)
        os.unlink(yml)
        os.mkfifo(yml)
        rc, out, err = build(site, timeout=30)
        assert rc != 0 and "site.yml" in err, (rc, err)
