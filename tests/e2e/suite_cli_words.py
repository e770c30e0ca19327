"""What a newcomer reads on the command line: counts of one in the singular,
a failed check that does not speak of writing, and short options with their
value attached (-j1, -Cdir, -odir) as getopt reads them."""
import os
import re

from e2e import test, run, min_site


def one_of_each(site):
    """Leave one institution (Chiang Mai, in network global only), one
    network and one page."""
    inst = os.path.join(site, "content", "institutions")
    for f in os.listdir(inst):
        if f != "chiang-mai.md":
            os.unlink(os.path.join(inst, f))
    os.unlink(os.path.join(site, "content", "networks", "africa.md"))


@test
def cli_check_of_one_says_one_in_the_singular():
    with min_site() as (site, _):
        one_of_each(site)
        rc, so, se = run("check", "-C", site)
        assert rc == 0, se
        assert so + se == ("partnermap: checked 1 institution, 1 network, 1 page: ok\n"), (so, se)


@test
def cli_build_of_one_says_one_in_the_singular():
    with min_site() as (site, tmp):
        one_of_each(site)
        out = os.path.join(tmp, "out")
        rc, so, se = run("build", "-C", site, "-o", out)
        assert rc == 0, se
        assert re.fullmatch(r"partnermap: built 1 institution in 1 country, 1 network, "
                            r"1 page: \d+ files, \d+ KB in %s\n" % re.escape(out), so), so


@test
def cli_check_with_errors_does_not_speak_of_writing():
    with min_site() as (site, _):
        os.unlink(os.path.join(site, "content", "networks", "global.md"))
        for cmd, ending in (("check", "partnermap: fix the errors above"),
                            ("build", "partnermap: nothing was written; fix the errors above")):
            rc, _, se = run(cmd, "-C", site)
            assert rc == 1, (cmd, se)
            assert se.splitlines()[-1] == ending, (cmd, se)


@test
def cli_short_options_take_an_attached_value():
    with min_site() as (site, tmp):
        out = os.path.join(tmp, "out")
        rc, so, se = run("build", "-C" + site, "-j1", "-o" + out)
        assert rc == 0, se
        assert so.endswith(" KB in %s\n" % out), so
        assert os.path.isfile(os.path.join(out, "index.html"))
        rc, so, se = run("check", "-C.", cwd=site)
        assert rc == 0, se
        assert so.startswith("partnermap: checked 4 institutions, "), so
        rc, _, se = run("build", "-C" + site, "-j0")
        assert (rc, se) == (2, "partnermap: '-j0' wants a number of threads from 1 to 64\n"
                                "Try 'partnermap build --help'.\n"), (rc, se)
        # check writes nothing: it has no -o nor -j
        rc, _, se = run("check", "-C" + site, "-j1")
        assert (rc, se) == (2, "partnermap: unknown option '-j1'\n"
                                "Try 'partnermap check --help'.\n"), (rc, se)
