"""Checking in CI: named warnings, --strict and site.yml's checks:, the
GitHub, GitLab and JSON forms of the problems, a position on every
message, and the shipped recipes in examples/ci run as CI would run them."""
import contextlib
import fcntl
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time

import yaml

from e2e import test, run, make_min_site, tree_digest, write_record, record, read, ROOT, TOOL
from steps import built_digest

CI_ENV = ("GITHUB_WORKSPACE", "CI_PROJECT_DIR")


def run_ci(*args, cwd=None, env=None):
    """run(), with the CI variables of the machine the tests run on left
    out (and those of env put in)."""
    e = {k: v for k, v in os.environ.items() if k not in CI_ENV}
    e.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    e.update(env or {})
    p = subprocess.run([TOOL, *args], cwd=cwd, capture_output=True, text=True, env=e)
    return p.returncode, p.stdout, p.stderr


@contextlib.contextmanager
def ci_repo():
    """A repository (a folder with .git) holding the minimal site in its
    sub-folder site/: (repo, site)."""
    with tempfile.TemporaryDirectory(prefix="pm-e2e-") as tmp:
        repo = os.path.join(tmp, "repo")
        os.makedirs(os.path.join(repo, ".git"))
        yield repo, make_min_site(repo)


def one_warning_one_error(site):
    """A record with an unknown key (a warning) and one with a latitude
    out of range (an error), both found when records load."""
    typo = record("UG", "Kampala", 0.3383, 32.5761)
    typo["netwrks"] = "[africa]"
    write_record(site, "typo", **typo)
    write_record(site, "far-north", **record("UG", "Gulu", 95.2, 132.3))


WARNING_TEXT = ("content/institutions/typo.md:8:1: warning: unknown key 'netwrks' "
                "(ignored); did you mean networks? [unknown-key]")
ERROR_TEXT = ("content/institutions/far-north.md:5:12: error: latitude 95.2 is out "
              "of range [-90, 90]")
GITHUB_LINES = [
    "::error file=site/content/institutions/far-north.md,line=5,col=12,title=partnermap::"
    "latitude 95.2 is out of range [-90, 90]",
    "::warning file=site/content/institutions/typo.md,line=8,col=1,"
    "title=unknown-key::unknown key 'netwrks' (ignored); did you mean networks?",
]


def outside_country(site):
    """Nairobi's coordinates for a Ugandan school: a warning found when
    the map is loaded, after every record."""
    return write_record(site, "wrong-country", **record("UG", "Kampala", -1.2921, 36.8219))


OUTSIDE = ("content/institutions/wrong-country.md:5:11: %s: location falls in "
           "Kenya, not Uganda [location-outside-country]")


def add_to_site_yml(site, text):
    with open(os.path.join(site, "site.yml"), "a", encoding="utf-8") as fh:
        fh.write(text)
    return read(os.path.join(site, "site.yml")).count("\n")


# ------------------------------------------------------ --strict, checks: ---

@test
def ci_strict_fails_on_a_warning_and_keeps_the_output():
    with ci_repo() as (repo, site):
        before = built_digest(site, run_ci)
        out = os.path.join(site, "output")
        outside_country(site)
        rc, _, se = run_ci("check", "-C", site)
        assert rc == 0, se
        assert se == OUTSIDE % "warning" + "\n0 errors, 1 warning\n", se
        for cmd in ("check", "build"):
            rc, so, se = run_ci(cmd, "-C", site, "--strict")
            assert rc == 1, (cmd, rc, se)
            ending = ("partnermap: fix the errors above\n" if cmd == "check" else
                      "partnermap: nothing was written; fix the errors above\n")
            assert se == OUTSIDE % "error" + "\n1 error, 0 warnings\n" + ending, se
            assert so == "", so
        assert tree_digest(out) == before
        # without --strict the same site builds, and the output changes
        rc, _, se = run_ci("build", "-C", site)
        assert rc == 0, se
        assert tree_digest(out) != before


@test
def ci_checks_make_a_warning_an_error_or_ignore_it():
    with ci_repo() as (repo, site):
        outside_country(site)
        base = read(os.path.join(site, "site.yml"))
        for action, rc_want, err_want in (
                ("error", 1, OUTSIDE % "error" + "\n1 error, 0 warnings\n"
                 "partnermap: nothing was written; fix the errors above\n"),
                ("warning", 0, OUTSIDE % "warning" + "\n0 errors, 1 warning\n"),
                ("ignore", 0, "")):
            with open(os.path.join(site, "site.yml"), "w", encoding="utf-8") as fh:
                fh.write(base + "checks:\n  location-outside-country: %s\n" % action)
            rc, _, se = run_ci("build", "-C", site)
            assert rc == rc_want, (action, rc, se)
            assert se == err_want, (action, se)
        # an ignored warning stays ignored under --strict; others fail
        with open(os.path.join(site, "site.yml"), "w", encoding="utf-8") as fh:
            fh.write(base + "checks: {location-outside-country: ignore}\n")
        rc, _, se = run_ci("check", "-C", site, "--strict")
        assert rc == 0 and se == "", (rc, se)
        typo = record("UG", "Mbarara", -0.6072, 30.6545)
        typo["netwrks"] = "[africa]"
        write_record(site, "typo", **typo)
        rc, _, se = run_ci("check", "-C", site, "--strict")
        assert rc == 1, se
        assert se.startswith("content/institutions/typo.md:8:1: error: unknown key "
                             "'netwrks' (ignored); did you mean networks? [unknown-key]\n"), se


@test
def ci_checks_with_an_unknown_name_or_value_say_so():
    with ci_repo() as (repo, site):
        n = add_to_site_yml(site, "checks:\n  location-outside-contry: error\n"
                                  "  unknown-key: fatal\n")
        rc, _, se = run_ci("check", "-C", site)
        assert rc == 1, se
        assert se.splitlines()[:2] == [
            "site.yml:%d:3: warning: unknown check 'location-outside-contry' (ignored; "
            "partnermap check --list-checks lists them); did you mean "
            "location-outside-country? [unknown-check]" % (n - 1),
            "site.yml:%d:16: error: checks: unknown-key must be error, warning or "
            "ignore, not 'fatal'" % n], se
    with ci_repo() as (repo, site):
        n = add_to_site_yml(site, "checks: [unknown-key]\n")
        rc, _, se = run_ci("check", "-C", site)
        assert rc == 1, se
        assert se.splitlines()[0] == (
            "site.yml:%d:9: error: checks must be a mapping of check names to error, "
            "warning or ignore (such as 'checks: {unknown-key: error}'), not a list" % n), se


@test
def ci_list_checks_names_every_warning():
    rc, so, se = run_ci("check", "--list-checks")
    assert rc == 0 and se == "", se
    names = [l.split()[0] for l in so.splitlines()]
    assert len(names) == len(set(names)) >= 15, names
    for n in ("unknown-key", "location-outside-country", "location-at-sea",
              "empty-network", "unknown-check"):
        assert n in names, n
    for line in so.splitlines():
        assert re.match(r"^[a-z]+(-[a-z]+)* +\S.*[^.]$", line), line


# ---------------------------------------------------------------- formats ---

@test
def ci_format_github_annotates_from_the_repository_top():
    with ci_repo() as (repo, site):
        one_warning_one_error(site)
        for env in ({}, {"GITHUB_WORKSPACE": repo}):
            rc, so, se = run_ci("check", "-C", site, "--format=github", env=env)
            assert rc == 1, se
            assert so.splitlines() == GITHUB_LINES, so
            # and the whole list as text, for the log
            assert se.splitlines()[:3] == [ERROR_TEXT, WARNING_TEXT, "1 error, 1 warning"], se
        # run from the site folder, a workspace that does not hold it is
        # passed over for the .git above
        rc, so, _ = run_ci("check", "--format", "github", cwd=site,
                           env={"GITHUB_WORKSPACE": os.path.join(repo, "elsewhere")})
        assert so.splitlines() == GITHUB_LINES, so


@test
def ci_format_github_annotates_no_file_the_repository_lacks():
    """A missing site.yml was annotated as file=.../site.yml, line 1, a file
    the pull request does not hold: GitHub shows such an annotation on no
    file. It goes to the summary, its path in its message; a file that is
    there is still annotated."""
    with ci_repo() as (repo, site):
        one_warning_one_error(site)
        os.unlink(os.path.join(site, "site.yml"))
        rc, so, se = run_ci("check", "-C", site, "--format=github")
        assert rc == 1, se
        lines = [l for l in so.splitlines() if "site.yml" in l]
        assert lines and all(l.startswith("::error title=partnermap::") and "file=" not in l
                             for l in lines), so
        prefix = os.path.relpath(site, repo)
        assert lines[0].startswith("::error title=partnermap::%s/site.yml: " % prefix), so


@test
def ci_format_github_with_nothing_wrong_prints_nothing_but_the_summary():
    with ci_repo() as (repo, site):
        rc, so, se = run_ci("check", "-C", site, "--format=github")
        assert rc == 0 and se == "", se
        assert so.startswith("partnermap: checked "), so


@test
def ci_format_gitlab_writes_a_code_quality_report():
    with ci_repo() as (repo, site):
        one_warning_one_error(site)
        report = os.path.join(repo, "gl-code-quality-report.json")
        rc, so, se = run_ci("check", "-C", site, "--format=gitlab", "--report", report,
                            env={"CI_PROJECT_DIR": repo})
        assert rc == 1, se
        assert se.splitlines()[:2] == [ERROR_TEXT, WARNING_TEXT], se
        issues = json.load(open(report, encoding="utf-8"))
        for i in issues:
            assert len(i.pop("fingerprint")) == 32
        assert issues == [
            {"type": "issue", "description": "latitude 95.2 is out of range [-90, 90]",
             "check_name": "error", "severity": "major",
             "location": {"path": "site/content/institutions/far-north.md",
                          "lines": {"begin": 5}}},
            {"type": "issue",
             "description": "unknown key 'netwrks' (ignored); did you mean networks?",
             "check_name": "unknown-key", "severity": "minor",
             "location": {"path": "site/content/institutions/typo.md",
                          "lines": {"begin": 8}}}], issues
        # the fingerprints stay when lines move
        first = [i["fingerprint"] for i in json.load(open(report, encoding="utf-8"))]
        path = os.path.join(site, "content", "institutions", "typo.md")
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text.replace("---\n", "---\n# a comment\n", 1))
        rc, _, _ = run_ci("check", "-C", site, "--format=gitlab", "--report=" + report)
        again = json.load(open(report, encoding="utf-8"))
        assert again[1]["location"]["lines"]["begin"] == 9
        assert [i["fingerprint"] for i in again] == first


@test
def ci_format_gitlab_needs_a_report_it_can_write():
    with ci_repo() as (repo, site):
        for args, want in (
                (["--format=gitlab"], "partnermap: --format=gitlab needs --report FILE, "
                 "the Code Quality report to write (such as --report "
                 "gl-code-quality-report.json)\nTry 'partnermap check --help'.\n"),
                (["--report", "r.json"], "partnermap: --report is only for "
                 "--format=gitlab\nTry 'partnermap check --help'.\n"),
                (["--format=sarif"], "partnermap: '--format' wants text, github, "
                 "gitlab or json, not 'sarif'\nTry 'partnermap check --help'.\n"),
                (["--format"], "partnermap: option '--format' needs a value\n"
                 "Try 'partnermap check --help'.\n")):
            rc, so, se = run_ci("check", "-C", site, *args)
            assert rc == 2, (args, rc, se)
            assert se == want, (args, se)
        assert not os.path.exists(os.path.join(repo, "r.json"))
        # a report whose folder is missing is refused before the check or
        # the build runs: a build no longer publishes and then loses the
        # report (a folder gone while it runs is an I/O failure, exit 3)
        missing = os.path.join(repo, "no", "such", "r.json")
        out = os.path.join(repo, "out")
        for cmd in (["check", "-C", site], ["build", "-C", site, "-o", out]):
            rc, so, se = run_ci(*cmd, "--format=gitlab", "--report", missing)
            assert rc == 2 and so == "", (rc, so, se)
            assert se == (
                "partnermap: --report '%s': its folder '%s' does not exist: make it "
                "first, or name a file in a folder that does\n"
                "Try 'partnermap %s --help'.\n"
                % (missing, os.path.join(repo, "no", "such"), cmd[0])), se
        assert not os.path.exists(out)
        # a clean site: an empty list, which GitLab reads as no issue
        report = os.path.join(repo, "ok.json")
        rc, so, se = run_ci("build", "-C", site, "--format=gitlab", "--report", report)
        assert rc == 0, se
        assert read(report) == "[]\n"


@test
def ci_a_report_path_a_merge_request_made_a_link_is_replaced_not_written_through():
    """CI writes its report inside the checkout, which a merge request
    controls: one that commits a link where the report goes (to a file of
    the runner's, as ~/.bashrc) gets the link replaced by the report, and
    the file it pointed to is left alone. The same for schema -o."""
    with ci_repo() as (repo, site):
        victim = os.path.join(os.path.dirname(repo), "victim")
        with open(victim, "w") as fh:
            fh.write("keep me\n")
        report = os.path.join(repo, "gl-code-quality-report.json")
        os.symlink(victim, report)
        rc, _, se = run_ci("check", "-C", site, "--format=gitlab", "--report", report)
        assert rc == 0, se
        assert read(victim) == "keep me\n"
        assert not os.path.islink(report) and read(report) == "[]\n"
        schema = os.path.join(repo, "schema.json")
        os.symlink(victim, schema)
        rc, _, se = run_ci("schema", "-o", schema)
        assert rc == 0, se
        assert read(victim) == "keep me\n"
        assert not os.path.islink(schema) and read(schema).startswith("{")
        assert [n for n in os.listdir(repo) if n.endswith(".tmp")] == []
        # a folder link on the way, relative to the checkout: refused, and
        # nothing is written where it leads
        outside = os.path.join(os.path.dirname(repo), "outside")
        os.mkdir(outside)
        os.makedirs(os.path.join(repo, "w"))
        os.symlink(outside, os.path.join(repo, "w", "dl"))
        for args, cmd in ((["check", "-C", site, "--format=gitlab", "--report"], "check"),
                          (["schema", "-o"], "schema")):
            rc, _, se = run_ci(*args, "w/dl/r.json", cwd=repo)
            assert rc == 2, (args, rc, se)
            assert se == ("partnermap: %s 'w/dl/r.json': 'w/dl' on the way is a symbolic "
                          "link, which may lead out of this folder (a checkout can hold "
                          "one); give the real folder, or an absolute path\n"
                          "Try 'partnermap %s --help'.\n"
                          % ("--report" if cmd == "check" else "-o", cmd)), se
        assert os.listdir(outside) == []


@test
def ci_an_output_folder_through_a_checkouts_link_or_inside_another_output_is_refused():
    """-o public/site, with public/ committed as a link to a folder of the
    runner's, built there (and wrote the lock, manifest and cache beside
    it): a relative -o may go through no link, as a report may not. And an
    output folder inside another one partnermap wrote was built, to be
    removed by that one's next build: refused, nothing made."""
    with ci_repo() as (repo, site):
        outside = os.path.join(os.path.dirname(repo), "outside")
        os.mkdir(outside)
        os.symlink(outside, os.path.join(repo, "public"))
        rc, so, se = run_ci("build", "-C", site, "-o", "public/site", cwd=repo)
        assert rc == 2, (rc, se)
        assert se == ("partnermap: -o 'public/site': 'public' on the way is a symbolic "
                      "link, which may lead out of this folder (a checkout can hold "
                      "one); give the real folder, or an absolute path\n"
                      "Try 'partnermap build --help'.\n"), se
        assert os.listdir(outside) == []
        # named as the real folder it is, it builds
        rc, _, se = run_ci("build", "-q", "-C", site, "-o", os.path.join(outside, "site"))
        assert rc == 0, se
        # the default output/ in a site reached through a link is not -o
        os.symlink(site, os.path.join(repo, "linked"))
        rc, _, se = run_ci("build", "-q", "-C", "linked", cwd=repo)
        assert rc == 0, se
        assert os.path.isfile(os.path.join(site, "output", "index.html"))
        # inside another output folder, however spelled
        for inner in (os.path.join(outside, "site", "inner"),
                      os.path.join(outside, "site", "deep", "er"),
                      os.path.join(outside, "site", ".", "x")):
            rc, _, se = run_ci("build", "-C", site, "-o", inner)
            assert rc == 3, (inner, rc, se)
            assert se.startswith(
                "partnermap: error: refusing to build into '%s': it lies inside '%s', "
                "an output folder partnermap wrote, whose next build would remove it; "
                "choose a folder outside it with -o\n"
                % (inner, os.path.join(os.path.realpath(outside), "site"))), se
        assert sorted(os.listdir(os.path.join(outside, "site"))) == sorted(
            os.listdir(os.path.join(site, "output"))), os.listdir(os.path.join(outside, "site"))
        assert sorted(os.listdir(outside)) == [".site.partnermap-cache", ".site.partnermap-lock",
                                               ".site.partnermap-manifest",
                                               ".site.partnermap-map",
                                               ".site.partnermap-pieces", "site"]


@test
def ci_a_report_among_the_files_the_build_reads_is_refused():
    """--report site.yml replaced the site's settings with "[]", and a
    report in content/ added a file the next build read as a record: a
    report may not go where the build reads, as the output folder may
    not. Beside the site, it is written."""
    with ci_repo() as (repo, site):
        before = read(os.path.join(site, "site.yml"))
        for rel in ("site.yml", "site.fr.yml", os.path.join("content", "institutions", "zz.md"),
                    os.path.join("themes", "r.json"), os.path.join(".", "i18n", "r.json")):
            report = os.path.join(site, rel)
            for cmd in ("check", "build"):
                rc, _, se = run_ci(cmd, "-C", site, "--format=gitlab", "--report", report)
                assert rc == 2 and se == (
                    "partnermap: --report '%s' is among the files the build reads "
                    "(site.yml, site.<lang>.yml, and content/, i18n/, themes/, archetypes/ "
                    "and geodata/), which it would replace or add to; write it beside the "
                    "site (such as --report gl-code-quality-report.json)\n"
                    "Try 'partnermap %s --help'.\n" % (report, cmd)), (rel, se)
        assert read(os.path.join(site, "site.yml")) == before
        assert not os.path.exists(os.path.join(site, "content", "institutions", "zz.md"))
        assert not os.path.exists(os.path.join(site, "output"))
        rc, _, se = run_ci("check", "-C", site, "--format=gitlab", "--report",
                           os.path.join(site, "gl.json"))
        assert rc == 0 and read(os.path.join(site, "gl.json")) == "[]\n", se


@test
def ci_a_report_where_the_build_keeps_its_own_files_is_refused():
    """A report inside the output folder would be removed by the next build
    (or, hidden, make it refuse the folder); one named as the files kept
    beside the folder would overwrite the manifest, cache or lock. Each is
    a usage error, found on the real paths before anything is built,
    whether the output folder is there yet or not."""
    with ci_repo() as (repo, site):
        out = os.path.join(site, "output")
        inside = "partnermap: --report '%s' is inside the output folder '%s', " \
                 "whose next build removes what it did not write; write it " \
                 "beside the site (such as --report gl-code-quality-report.json)\n" \
                 "Try 'partnermap %s --help'.\n"
        # before the first build: nothing is made
        rc, _, se = run_ci("build", "-C", site, "--format=gitlab", "--report",
                           os.path.join(out, "gl.json"))
        assert rc == 2 and se == inside % (os.path.join(out, "gl.json"), out, "build"), se
        assert not os.path.exists(out)
        rc, _, se = run_ci("build", "-q", "-C", site)
        assert rc == 0, se
        before = tree_digest(out)
        manifest = os.path.join(site, ".output.partnermap-manifest")
        kept = read(manifest)
        link = os.path.join(repo, "to-output")
        os.symlink(out, link)
        for cmd, report, shown_out in (
                ("build", os.path.join(out, ".gl.json"), out),
                ("build", os.path.join(out, "new", "deeper", "gl.json"), out),
                ("build", os.path.join(link, "gl.json"), out),
                ("check", os.path.join(out, "gl.json"), out)):
            rc, _, se = run_ci(cmd, "-C", site, "--format=gitlab", "--report", report)
            assert rc == 2 and se == inside % (report, shown_out, cmd), (report, se)
        # -o spelled with a trailing slash, the report relative to it
        rc, _, se = run_ci("build", "-C", "site", "-o", "site/output/", "--format=gitlab",
                           "--report", "site/output/r.json", cwd=repo)
        assert rc == 2 and se == inside % ("site/output/r.json", "site/output/", "build"), se
        for name in (".output.partnermap-manifest", ".output.partnermap-lock",
                     ".output.partnermap-report.json"):
            rc, _, se = run_ci("build", "-C", site, "--format=gitlab", "--report",
                               os.path.join(site, name))
            assert rc == 2, (name, se)
            assert se == ("partnermap: --report '%s' is named as the files partnermap "
                          "keeps beside an output folder (.OUT.partnermap-...); give "
                          "it another name\nTry 'partnermap build --help'.\n"
                          % os.path.join(site, name)), se
        assert tree_digest(out) == before and read(manifest) == kept
        assert not os.path.exists(os.path.join(out, "new"))
        # an output folder not made yet, spelled with "/.": the same
        rc, _, se = run_ci("build", "-C", site, "-o", "new/./.", "--format=gitlab",
                           "--report", "new/r.json", cwd=repo)
        assert rc == 2 and se == inside % ("new/r.json", "new/./.", "build"), se
        rc, _, se = run_ci("build", "-C", site, "-o", "new/.", "--format=gitlab",
                           "--report", ".new.partnermap-manifest", cwd=repo)
        assert rc == 2 and "is named as the files partnermap keeps" in se, se
        assert not os.path.exists(os.path.join(repo, "new"))
        # a folder that is there, or "." or "..": names a folder, up front
        for report in ("site/content", "site/.", "site/content/.."):
            rc, _, se = run_ci("build", "-C", "site", "--format=gitlab", "--report",
                               report, cwd=repo)
            assert rc == 2 and se.startswith("partnermap: --report '%s' names a folder"
                                             % report), (report, se)
        # the output folder itself, with or without a slash
        for report in ("site/output", "site/output/"):
            rc, _, se = run_ci("build", "-C", "site", "--format=gitlab", "--report",
                               report, cwd=repo)
            assert rc == 2, (report, se)
        assert se.startswith("partnermap: --report 'site/output/' names a folder; name "
                             "a file in it (such as --report gl-code-quality-report.json)"), se
        # a "." or an empty name on the way of a folder not made yet: the same
        for report, o in (("public/./gl.json", "public"), ("deploy//site/gl.json", "deploy/site"),
                          ("na/nb/r.json", "na/./nb")):
            rc, _, se = run_ci("build", "-C", "site", "-o", o, "--format=gitlab",
                               "--report", report, cwd=repo)
            assert rc == 2 and "is inside the output folder '%s'" % o in se, (report, se)
        assert not any(os.path.exists(os.path.join(repo, n)) for n in ("public", "deploy", "na"))
        # another output folder than this build's, and an output folder itself
        rc, _, se = run_ci("build", "-C", "site", "-o", "elsewhere", "--format=gitlab",
                           "--report", "site/output/gl.json", cwd=repo)
        assert rc == 2 and "is inside the output folder" in se, se
        rc, _, se = run_ci("schema", "-o", "site/output", cwd=repo)
        assert rc == 2 and se.startswith("partnermap: -o 'site/output' is an output folder "
                                         "itself"), se
        rc, _, se = run_ci("check", "-C", ".", "--format=gitlab", "--report", "output",
                           cwd=site)
        assert rc == 2 and se.startswith("partnermap: --report 'output' is the output "
                                         "folder itself; name a file beside the site"), se
        # schema -o knows no output folder, but one partnermap wrote (its
        # marker) and the names of the files beside one
        for path, says in ((os.path.join(out, "schema.json"), "is inside the output "
                            "folder '%s'" % out),
                           (os.path.join(out, "institutions", "s.json"), "is inside"),
                           (os.path.join(site, ".output.partnermap-lock"), "is named as")):
            rc, _, se = run_ci("schema", "-o", path)
            assert rc == 2 and se.startswith("partnermap: -o '%s' %s" % (path, says)), se
        assert tree_digest(out) == before and read(manifest) == kept
        # beside the folder, under a name of its own: written
        for name in ("output.json", ".outputs.json"):
            rc, _, se = run_ci("build", "-q", "-C", site, "--format=gitlab", "--report",
                               os.path.join(site, name))
            assert rc == 0, (name, se)
            assert read(os.path.join(site, name)) == "[]\n"


@test
def ci_a_report_through_another_users_link_in_a_shared_folder_is_refused():
    """In a folder anyone may write (as /tmp), a link or folder another user
    made on the way to a report or schema file, named by an absolute path
    as much as a relative one, may have been planted to send the file into
    one of this user's folders: refused (exit 2), and nothing is written
    where it leads. A folder of this user's there is written to as always.
    Needs root to give a link away."""
    if os.geteuid() != 0:
        print("     (skipped: only root can make another user's link)")
        return
    with ci_repo() as (repo, site):
        top = os.path.dirname(repo)
        shared, victim = os.path.join(top, "shared"), os.path.join(top, "victim")
        os.mkdir(shared)
        os.chmod(shared, 0o1777)
        os.mkdir(victim)
        os.symlink(victim, os.path.join(shared, "evil"))
        os.chown(os.path.join(shared, "evil"), 1, 1, follow_symlinks=False)
        theirs = os.path.join(shared, "theirs")
        os.mkdir(theirs)
        os.chmod(theirs, 0o777)
        os.chown(theirs, 1, 1)
        link_says = ("'%s' on the way to it is a symbolic link another user (uid 1) "
                     "owns, in '%s', where anyone may make one, so it may have been "
                     "planted to send the file elsewhere; give the real folder with %s")
        folder_says = ("'%s' on the way to it belongs to another user (uid 1) and lies "
                       "in '%s', where anyone may make one, so it may have been planted "
                       "to choose where the file goes; give a folder of your own with %s")
        for where, says in ((os.path.join(shared, "evil"), link_says),
                            (theirs, folder_says)):
            path = os.path.join(where, "r.json")
            for args, cmd, opt in ((["check", "-C", site, "--format=gitlab", "--report"],
                                    "check", "--report"),
                                   (["schema", "-o"], "schema", "-o")):
                rc, _, se = run_ci(*args, path)
                assert rc == 2, (args, rc, se)
                assert se == "partnermap: %s '%s': %s\nTry 'partnermap %s --help'.\n" % (
                    opt, path, says % (where, shared, opt), cmd), se
        assert os.listdir(victim) == [] and os.listdir(theirs) == []
        mine = os.path.join(shared, "mine")
        os.mkdir(mine)
        rc, _, se = run_ci("check", "-C", site, "--format=gitlab", "--report",
                           os.path.join(mine, "r.json"))
        assert rc == 0 and read(os.path.join(mine, "r.json")) == "[]\n", se
        # a folder on the way not there yet when the build begins, made
        # by another user while it runs (held up by its lock here), is
        # seen when the report is written: refused, nothing written
        out = os.path.join(top, "out")
        rc, _, se = run_ci("build", "-q", "-C", site, "-o", out)
        assert rc == 0, se
        lock = os.open(os.path.join(top, ".out.partnermap-lock"), os.O_RDWR)
        later = os.path.join(shared, "later")
        os.mkdir(later)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            p = subprocess.Popen([TOOL, "build", "-C", site, "-o", out, "--format=gitlab",
                                  "--report", os.path.join(later, "r.json")],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            deadline = time.monotonic() + 60
            line = ""
            while "waiting for another build" not in line:
                assert time.monotonic() < deadline and p.poll() is None, line
                line = p.stderr.readline()
            os.rmdir(later)
            os.symlink(victim, later)
            os.chown(later, 1, 1, follow_symlinks=False)
        finally:
            os.close(lock)
        so, se = p.communicate(timeout=60)
        assert p.returncode == 3, (p.returncode, se)
        # the site is in place; the last line says what failed
        assert so.startswith("partnermap: built "), so
        assert se.endswith("partnermap: the report was not written; the site was built "
                           "and is in place\n"), se
        assert ("partnermap: error: cannot write the report '%s': %s\n"
                % (os.path.join(later, "r.json"), link_says % (later, shared, "--report"))) \
            in se, se
        assert os.listdir(victim) == []


@test
def ci_a_report_path_with_control_characters_is_said_visibly():
    """A report or schema path that cannot be written is named in the
    message with its control characters and stray bytes written out, as
    every other message does: never a raw escape sequence or line break."""
    with ci_repo() as (repo, site):
        rc, _, se = run_ci("check", "-C", site, "--format=gitlab", "--report",
                           "no\x1b[31m\nX/r.json", cwd=repo)
        assert rc == 2, se
        assert se.startswith("partnermap: --report 'no<U+001B>[31m<U+000A>X/r.json': its "
                             "folder 'no<U+001B>[31m<U+000A>X' does not exist"), se
        assert "\x1b" not in se
        # the line that says where a site was built, too
        out = os.path.join(repo, "o\x1b[31m\nut")
        rc, so, se = run_ci("build", "-C", site, "-o", out)
        assert rc == 0, se
        shown = os.path.join(repo, "o<U+001B>[31m<U+000A>ut")
        assert so.endswith(" KB in %s\n" % shown), so
        assert "\x1b" not in so
        # and the one that says a build waits for another
        lock = os.open(os.path.join(repo, ".o\x1b[31m\nut.partnermap-lock"), os.O_RDWR)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            p = subprocess.Popen([TOOL, "build", "-C", site, "-o", out],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            line = p.stderr.readline()
        finally:
            os.close(lock)
        so, se = p.communicate(timeout=120)
        assert p.returncode == 0, se
        assert line == ("partnermap: waiting for another build into '%s' to finish (it "
                        "holds '%s')\n" % (shown, os.path.join(
                            repo, ".o<U+001B>[31m<U+000A>ut.partnermap-lock"))), line
        rc, _, se = run_ci("schema", "-o", os.fsdecode(b"nofold\xff/r.json"), cwd=repo)
        assert rc == 2, se
        assert se.startswith("partnermap: -o 'nofold<0xFF>/r.json': its folder 'nofold<0xFF>' "
                             "does not exist"), se


@test
def ci_format_json_is_a_stable_array_on_stdout():
    with ci_repo() as (repo, site):
        rc, so, se = run_ci("check", "-C", site, "--format=json")
        assert rc == 0, se
        assert so == "[]\n", so  # the summary goes to stderr
        assert se.startswith("partnermap: checked "), se
        one_warning_one_error(site)
        rc, so, se = run_ci("build", "-C", site, "--format=json")
        assert rc == 1, se
        assert json.loads(so) == [
            {"severity": "error", "check": None,
             "path": "content/institutions/far-north.md", "line": 5, "column": 12,
             "message": "latitude 95.2 is out of range [-90, 90]"},
            {"severity": "warning", "check": "unknown-key",
             "path": "content/institutions/typo.md", "line": 8, "column": 1,
             "message": "unknown key 'netwrks' (ignored); did you mean networks?"}], so
        rc, so, se = run_ci("build", "-C", site, "--format=json", "--strict")
        assert [(i["severity"], i["check"]) for i in json.loads(so)] == [
            ("error", None), ("error", "unknown-key")], so


# --------------------------------------------------------------- positions ---

@test
def ci_a_projection_proj_refuses_points_at_its_value():
    with ci_repo() as (repo, site):
        text = read(os.path.join(site, "site.yml"))
        text = re.sub(r"(?m)^  projection:.*\n", "", text)
        text = text.replace("map:\n", "map:\n  projection: \"+proj=nosuchthing\"\n")
        with open(os.path.join(site, "site.yml"), "w", encoding="utf-8") as fh:
            fh.write(text)
        line = text[:text.index("  projection:")].count("\n") + 1
        rc, _, se = run_ci("check", "-C", site)
        assert rc == 1, se
        first = se.splitlines()[0]
        assert first.startswith('site.yml:%d:15: error: projection "+proj=nosuchthing": '
                                % line), se
        assert first.endswith("; use equal-earth, robinson, natural-earth, mercator, "
                              "equirectangular or a PROJ string such as "
                              "\"+proj=robin +lon_0=10\""), se


@test
def ci_an_unknown_theme_points_at_theme_in_site_yml():
    with ci_repo() as (repo, site):
        text = read(os.path.join(site, "site.yml"))
        text = re.sub(r"(?m)^theme:.*\n", "", text) + "theme: midnight\n"
        with open(os.path.join(site, "site.yml"), "w", encoding="utf-8") as fh:
            fh.write(text)
        rc, _, se = run_ci("check", "-C", site)
        assert rc == 1, se
        assert se.splitlines()[0] == (
            "site.yml:%d:8: error: unknown theme 'midnight': there is no folder "
            "themes/midnight in the site, nor an installed theme of that name; write "
            "theme: default, or put your theme in themes/midnight/" % text.count("\n")), se


@test
def ci_no_site_yml_says_where_to_run():
    with tempfile.TemporaryDirectory(prefix="pm-e2e-") as tmp:
        rc, _, se = run_ci("check", cwd=tmp)
        assert rc == 1, se
        assert se == ("site.yml:1:1: error: no site.yml in the current folder: run "
                      "partnermap in a site folder or pass -C DIR (partnermap init DIR "
                      "starts a new site)\n1 error, 0 warnings\n"
                      "partnermap: fix the errors above\n"), se
        missing = os.path.join(tmp, "nowhere")
        rc, _, se = run_ci("build", "-C", missing)
        assert rc == 1, se
        assert se.splitlines()[0] == (
            "site.yml:1:1: error: no site.yml in '%s': run partnermap in a site folder "
            "or pass -C DIR (partnermap init %s starts a new site there)" % (missing, missing)), se
        assert not os.path.exists(missing)


@test
def ci_a_record_saved_under_another_ending_is_an_error():
    with ci_repo() as (repo, site):
        inst = os.path.join(site, "content", "institutions")
        shutil.copy(os.path.join(inst, "makerere.md"), os.path.join(inst, "Gulu.MD"))
        shutil.copy(os.path.join(inst, "makerere.md"), os.path.join(inst, "lira.markdown"))
        shutil.copy(os.path.join(inst, "makerere.md"), os.path.join(inst, "Mbarara Hospital.txt"))
        with open(os.path.join(inst, "photo.jpg"), "wb") as fh:
            fh.write(b"\xff\xd8\xff")
        rc, _, se = run_ci("check", "-C", site)
        assert rc == 1, se
        assert se.splitlines() == [
            "content/institutions/Gulu.MD:1:1: error: 'Gulu.MD' is not read: a record's "
            "file name ends in .md, in lower case; rename it to gulu.md",
            "content/institutions/Mbarara Hospital.txt:1:1: error: 'Mbarara Hospital.txt' "
            "is not read: a record's file name is its slug and .md; rename it to "
            "lower-case letters, digits and single dashes ending in .md (e.g. "
            "makerere-university.md)",
            "content/institutions/lira.markdown:1:1: error: 'lira.markdown' is not read: "
            "a record's file name ends in .md, in lower case; rename it to lira.md",
            "content/institutions/photo.jpg:1:1: warning: not a Markdown (.md) file: "
            "ignored (a record's file name ends in .md) [ignored-file]",
            "3 errors, 1 warning",
            "partnermap: fix the errors above"], se


@test
def ci_every_message_has_a_position():
    """Problems of whole files and folders, of site.yml and of records at
    once: each line is path:line:col, or partnermap: for one in no file."""
    with ci_repo() as (repo, site):
        inst = os.path.join(site, "content", "institutions")
        shutil.copy(os.path.join(inst, "makerere.md"), os.path.join(inst, "Bad_Name.md"))
        shutil.copy(os.path.join(inst, "makerere.md"), os.path.join(inst, "notes.TXT"))
        with open(os.path.join(inst, "broken.md"), "w", encoding="utf-8") as fh:
            fh.write("---\nname: A\ncity:Kampala\n---\n")
        add_to_site_yml(site, "colour: blue\n")
        os.makedirs(os.path.join(site, "content", "pages", "sub"))
        rc, _, se = run_ci("check", "-C", site, env={"SOURCE_DATE_EPOCH": "soon"})
        assert rc == 1, se
        lines = se.splitlines()
        assert len(lines) >= 5, se
        for l in lines[:-2]:
            assert re.match(r"^[^:]+:\d+:\d+: (error|warning): ", l) or \
                l.startswith("partnermap: error: "), l
        assert "content/institutions/broken.md:3:5: error: put a space after the " \
               "colon: city: Kampala" in lines, se


# ---------------------------------------------------------------- recipes ---

def recipe(name):
    with open(os.path.join(ROOT, "examples", "ci", name), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def check_command(text):
    """The one `partnermap check ...` line of a run: or script: text."""
    cmds = [l.strip() for l in text.splitlines() if l.strip().startswith("partnermap check")]
    assert len(cmds) == 1, text
    return cmds[0]


def run_recipe_command(cmd, repo, env):
    """cmd as the CI shell runs it, at the repository's top, with
    partnermap on PATH."""
    bin_dir = os.path.join(os.path.dirname(repo), "bin")
    os.makedirs(bin_dir, exist_ok=True)
    if not os.path.exists(os.path.join(bin_dir, "partnermap")):
        os.symlink(TOOL, os.path.join(bin_dir, "partnermap"))
    e = {k: v for k, v in os.environ.items() if k not in CI_ENV}
    e.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    e.update(env)
    e["PATH"] = bin_dir + os.pathsep + e.get("PATH", "")
    p = subprocess.run(["sh", "-c", cmd], cwd=repo, capture_output=True, text=True, env=e)
    return p.returncode, p.stdout, p.stderr


@test
def ci_github_recipe_checks_builds_attaches_and_deploys():
    wf = recipe("github-pages.yml")
    on = wf[True]  # YAML 1.1 reads the key "on" as true
    assert "pull_request" in on and on["push"]["branches"] == ["main"], on
    assert wf["env"]["SITE_DIR"] == "."
    steps = wf["jobs"]["build"]["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    # installed the way the README says
    assert "git clone" in runs and "make -C" in runs and " install" in runs, runs
    build = [l for l in runs.splitlines() if "partnermap build" in l]
    assert build == ['setpriv --reuid="$(stat -c %u .)" --regid="$(stat -c %g .)" '
                     '--clear-groups partnermap build -C "$SITE_DIR"'], build
    uses = {s.get("uses", "").split("@")[0]: s for s in steps}
    assert uses["actions/upload-artifact"]["if"] == "github.event_name == 'pull_request'"
    assert uses["actions/upload-artifact"]["with"]["path"] == "${{ env.SITE_DIR }}/output/"
    assert "refs/heads/main" in uses["actions/upload-pages-artifact"]["if"]
    deploy = wf["jobs"]["deploy"]
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "refs/heads/main" in deploy["if"] and deploy["needs"] == "build"

    cmd = check_command(runs)
    assert "--format=github" in shlex.split(cmd), cmd
    with ci_repo() as (repo, site):
        rc, so, se = run_recipe_command(cmd, repo, {"SITE_DIR": "site",
                                                    "GITHUB_WORKSPACE": repo})
        assert rc == 0, se  # a clean site passes
        one_warning_one_error(site)
        rc, so, se = run_recipe_command(cmd, repo, {"SITE_DIR": "site",
                                                    "GITHUB_WORKSPACE": repo})
        assert rc == 1, se  # the error fails the step ...
        assert so.splitlines() == GITHUB_LINES, so  # ... each problem annotated
        assert se.splitlines()[:2] == [ERROR_TEXT, WARNING_TEXT], se
        # a warning alone is an annotation, and the step passes
        os.unlink(os.path.join(site, "content", "institutions", "far-north.md"))
        rc, so, se = run_recipe_command(cmd, repo, {"SITE_DIR": "site",
                                                    "GITHUB_WORKSPACE": repo})
        assert rc == 0, se
        assert so.splitlines()[0] == GITHUB_LINES[1], so
        # the build step as a container job runs it: as root, in a
        # checkout the runner's user (uid 1001) owns, all the way up to
        # the workspace; root alone was refused there
        if os.geteuid() == 0 and shutil.which("setpriv"):
            top = os.path.dirname(repo)
            os.chmod(top, 0o755)
            for d, dirs, files in os.walk(top):
                for n in dirs + files:
                    os.chown(os.path.join(d, n), 1001, 1001, follow_symlinks=False)
            os.chown(top, 1001, 1001)
            rc, so, se = run_recipe_command(build[0], repo, {"SITE_DIR": "site"})
            assert rc == 0, se
            out = os.path.join(site, "output")
            assert os.stat(out).st_uid == 1001
            assert os.stat(os.path.join(out, "index.html")).st_uid == 1001
            rc, _, se = run_recipe_command("partnermap build -C site", repo, {})
            assert rc == 3 and "belongs to another user (uid 1001)" in se, se


@test
def ci_gitlab_recipe_reports_code_quality_and_publishes_pages():
    ci = recipe("gitlab-pages.yml")
    assert ci["variables"]["SITE_DIR"] == "."
    # the Docker executor's umask 0000 would make every folder of the
    # checkout writable by anyone, where partnermap does not build
    assert ci["variables"]["FF_DISABLE_UMASK_FOR_DOCKER_EXECUTOR"] == "true"
    base = ci[".partnermap"]
    setup = "\n".join(base["before_script"])
    assert "git clone" in setup and "make -C" in setup and " install" in setup, setup
    check = ci["check"]
    assert check["extends"] == ".partnermap" and check["stage"] == "check"
    assert check["artifacts"]["when"] == "always"
    report = check["artifacts"]["reports"]["codequality"]
    build = ci["build"]
    assert build["script"] == ['partnermap build -C "$SITE_DIR" -o public'], build
    assert build["artifacts"]["paths"] == ["public/"]
    pages = ci["pages"]
    assert pages["needs"] == ["build"] and pages["artifacts"]["paths"] == ["public"]
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]

    cmd = check_command("\n".join(check["script"]))
    args = shlex.split(cmd)
    assert "--format=gitlab" in args and args[args.index("--report") + 1] == report, cmd
    with ci_repo() as (repo, site):
        one_warning_one_error(site)
        rc, so, se = run_recipe_command(cmd, repo, {"SITE_DIR": "site",
                                                    "CI_PROJECT_DIR": repo})
        assert rc == 1, se
        assert se.splitlines()[:2] == [ERROR_TEXT, WARNING_TEXT], se
        issues = json.load(open(os.path.join(repo, report), encoding="utf-8"))
        assert [(i["severity"], i["check_name"], i["location"]["path"],
                 i["location"]["lines"]["begin"]) for i in issues] == [
            ("major", "error", "site/content/institutions/far-north.md", 5),
            ("minor", "unknown-key", "site/content/institutions/typo.md", 8)], issues


@test
def ci_init_writes_the_github_recipe_as_shipped():
    """partnermap init's workflow is examples/ci/github-pages.yml, byte for
    byte (compiled in from it). An install is faked beside a copy of the
    binary: the theme and the basemap are all init needs."""
    with tempfile.TemporaryDirectory(prefix="pm-e2e-") as tmp:
        os.makedirs(os.path.join(tmp, "bin"))
        shutil.copy(TOOL, os.path.join(tmp, "bin", "partnermap"))
        data = os.path.join(tmp, "share", "partnermap")
        os.makedirs(os.path.join(data, "themes"))
        os.symlink(os.path.join(ROOT, "themes", "default"), os.path.join(data, "themes", "default"))
        shutil.copytree(os.path.join(ROOT, "geodata"), os.path.join(data, "geodata"),
                        ignore=shutil.ignore_patterns("*.sh", "SHA256SUMS", "*.md"))
        site = os.path.join(tmp, "site")
        env = {k: v for k, v in os.environ.items() if k not in CI_ENV}
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
        p = subprocess.run([os.path.join(tmp, "bin", "partnermap"), "init", site, "-q"],
                           capture_output=True, text=True, env=env)
        assert p.returncode == 0, p.stderr
        with open(os.path.join(site, ".github", "workflows", "partnermap.yml"), "rb") as a, \
                open(os.path.join(ROOT, "examples", "ci", "github-pages.yml"), "rb") as b:
            assert a.read() == b.read()
