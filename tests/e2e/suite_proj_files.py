"""End-to-end tests for what a build may make PROJ read (nothing outside
the site: no grids, no init files) and for the cap on a whole site's
bytes."""
import os
import re
import subprocess
import time

from e2e import test, run, min_site, tree_digest, read, set_map_option, TOOL
from steps import built_digest

HINT = ("partnermap reads nothing outside the site: use a projection without "
        "grids or init files")


def run_env(env_extra, *args, timeout=60):
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    env.update(env_extra)
    p = subprocess.run([TOOL, *args], capture_output=True, text=True, env=env,
                       timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def projection_line(site):
    """(line, col) of the projection's value in site.yml."""
    for i, line in enumerate(read(os.path.join(site, "site.yml")).splitlines(), 1):
        m = re.match(r"  projection: ", line)
        if m:
            return i, m.end() + 1
    raise AssertionError("no projection in site.yml")


def refused_projection(spec, token, quoted=True):
    """The projection spec refused, told at token (its place in the
    value: after the opening quote when quoted)."""
    with min_site() as (site, tmp):
        assert run("build", "-C", site)[0] == 0
        before = tree_digest(os.path.join(site, "output"))
        fifo = os.path.join(tmp, "grid.fifo")
        os.mkfifo(fifo)
        spec = spec.replace("FIFO", fifo)
        token = token.replace("FIFO", fifo)
        set_map_option(site, "projection", '"%s"' % spec if quoted else spec)
        line, col = projection_line(site)
        col += quoted + spec.index(token)
        t0 = time.monotonic()
        rc, _, se = run_env({}, "build", "-C", site, timeout=30)
        assert time.monotonic() - t0 < 25
        assert rc == 1, (rc, se)
        want = ('site.yml:%d:%d: error: projection "%s" makes PROJ read files (%s); %s'
                % (line, col, spec, token, HINT))
        assert want in se.splitlines(), "expected\n%s\nin\n%s" % (want, se)
        assert tree_digest(os.path.join(site, "output")) == before


@test
def proj_files_grids_in_projection_refused():
    refused_projection("+proj=pipeline +step +proj=hgridshift +grids=FIFO +step +proj=eqearth",
                       "+grids=FIFO")


@test
def proj_files_deformation_grids_in_projection_refused():
    """xy_grids and z_grids (the deformation model's) were missing from
    the list of parameters that read files: PROJ opened the path named,
    and a FIFO or /proc/self/fd/0 hung the build."""
    refused_projection("+proj=pipeline +step +proj=deformation +xy_grids=FIFO "
                       "+z_grids=FIFO +t_epoch=2000 +step +proj=robin", "+xy_grids=FIFO")
    refused_projection("+proj=pipeline +step +proj=deformation +z_grids=FIFO "
                       "+t_epoch=2000 +step +proj=robin", "+z_grids=FIFO")


@test
def proj_files_init_in_projection_refused():
    refused_projection("+init=FIFO:root", "+init=FIFO:root")


@test
def proj_files_refused_parameter_is_told_at_itself():
    """A refused parameter was told at the start of the value, however
    long: it is told at itself, in a value in quotes or not; in a .prj,
    at its line and column in the file."""
    refused_projection("+proj=robin +lon_0=10 +nadgrids=@null", "+nadgrids=@null",
                       quoted=False)
    refused_projection("+proj=robin +lon_0=10 +nadgrids=@null", "+nadgrids=@null")
    # each of several, in one run
    with min_site() as (site, tmp):
        spec = "+proj=eqc +nadgrids=@null +geoidgrids=@y +init=z"
        set_map_option(site, "projection", '"%s"' % spec)
        line, col = projection_line(site)
        rc, _, se = run("check", "-C", site)
        assert rc == 1, se
        got = [l for l in se.splitlines() if ": error: " in l]
        assert [l.split(": error: ")[0] for l in got] == [
            "site.yml:%d:%d" % (line, col + 1 + spec.index(t))
            for t in ["+nadgrids", "+geoidgrids", "+init"]], se


@test
def proj_files_nadgrids_in_basemap_prj_refused():
    with min_site() as (site, tmp):
        assert run("build", "-C", site)[0] == 0
        before = tree_digest(os.path.join(site, "output"))
        fifo = os.path.join(tmp, "grid.fifo")
        os.mkfifo(fifo)
        prj = os.path.join(site, "geodata", "naturalearth_lowres.prj")
        os.unlink(prj) if os.path.islink(prj) else None
        text = ('PROJCS["merc",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID[\n'
                '"WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],'
                'UNIT["degree",0.0174532925199433]],PROJECTION["Mercator_1SP"],'
                'UNIT["metre",1],EXTENSION["PROJ4","+proj=merc +nadgrids=%s"]]'
                % fifo)
        with open(prj, "w", encoding="utf-8") as fh:
            fh.write(text)
        col = text.split("\n")[1].index("+nadgrids") + 1
        t0 = time.monotonic()
        rc, _, se = run_env({}, "build", "-C", site, timeout=30)
        assert time.monotonic() - t0 < 25
        assert rc == 1, (rc, se)
        want = ("geodata/naturalearth_lowres.prj:2:%d: error: this CRS makes PROJ "
                "read files (+nadgrids=%s); %s" % (col, fifo, HINT))
        assert want in se.splitlines(), "expected\n%s\nin\n%s" % (want, se)
        assert tree_digest(os.path.join(site, "output")) == before
        # on one line after a byte order mark, which is no column
        one = text.replace("\n", "")
        with open(prj, "w", encoding="utf-8") as fh:
            fh.write("\ufeff" + one)
        rc, _, se = run_env({}, "check", "-C", site, timeout=30)
        assert ("geodata/naturalearth_lowres.prj:1:%d: error: this CRS makes PROJ read "
                "files" % (one.index("+nadgrids") + 1)) in se, se


@test
def proj_files_site_bytes_cap():
    with min_site() as (site, tmp):
        before = built_digest(site)
        out = os.path.join(site, "output")
        total = sum(os.path.getsize(os.path.join(d, f))
                    for d, _, fs in os.walk(out) for f in fs)
        cap = total // 2
        rc, _, se = run_env({"PARTNERMAP_TEST_MAX_SITE_BYTES": str(cap)},
                            "build", "-C", site)
        assert rc == 1, (rc, se)
        want = ("partnermap: error: the site would be larger than %d bytes, the most a build "
                "writes: a template that copies a large value many times (such as "
                "{{{body_html}}} in a partial or section), or a record on thousands "
                "of pages (one in thousands of networks), makes it so; make them "
                "write less" % cap)
        assert se.splitlines().count(want) == 1, se
        assert tree_digest(out) == before
        assert not [n for n in os.listdir(site) if ".staging-" in n]
        # in whole units when it is one
        rc, _, se = run_env({"PARTNERMAP_TEST_MAX_SITE_BYTES": str(64 * 1024)},
                            "build", "-C", site)
        assert rc == 1 and "larger than 64 KiB, the most" in se, se
        # the default cap is far above a small site
        assert run("build", "-C", site)[0] == 0


@test
def proj_files_a_crs_nested_past_reason_is_refused():
    """A projection or a .prj nested thousands of levels deep made PROJ's
    reader take time and memory growing with the square of the depth (a
    CI runner's memory, in the end): refused before PROJ reads it."""
    deep = '{"type":"BoundCRS","source_crs":' * 3000 + "{}" + "}" * 3000
    with min_site() as (site, tmp):
        set_map_option(site, "projection", "'%s'" % deep)
        t0 = time.monotonic()
        rc, _, se = run_env({}, "check", "-C", site, timeout=60)
        assert time.monotonic() - t0 < 20
        assert rc == 1 and "its brackets are nested 3001 deep" in se, se
    with min_site() as (site, tmp):
        prj = os.path.join(site, "geodata", "naturalearth_lowres.prj")
        os.unlink(prj) if os.path.islink(prj) else None
        with open(prj, "w") as fh:
            fh.write("GEOGCS[" * 1500 + "]" * 1500)
        rc, _, se = run_env({}, "check", "-C", site, timeout=60)
        assert rc == 1 and "this CRS's brackets are nested 1500 deep" in se, se
