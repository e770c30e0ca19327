"""Steps that several e2e suites take alike. Import after run_e2e.py has
made the e2e module: `from steps import built_digest`."""
import os

from e2e import run, tree_digest, record


def built_digest(site, runner=run):
    """Build site into its output/ folder with runner (run, or a suite's
    own wrapper of it), which must succeed; returns that folder's
    tree_digest, to show later that a failed run left it as it was."""
    rc, _, se = runner("build", "-C", site)
    assert rc == 0, se
    return tree_digest(os.path.join(site, "output"))


def built(site, tmp):
    """Build site into tmp/out, which must succeed; returns that folder."""
    out = os.path.join(tmp, "out")
    rc, _, se = run("build", "-C", site, "-o", out)
    assert rc == 0, se
    return out


def record_with(country, city, lat, lon, **fields):
    """e2e's record() of a place, with fields added or replaced."""
    r = record(country, city, lat, lon)
    r.update(fields)
    return r
