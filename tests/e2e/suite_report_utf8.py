"""Every report form stays valid UTF-8 when a content file's name is not:
such a name is an error asking to rename the file, and its bytes from
another encoding show as <0xXX> in the text, GitHub, GitLab and JSON
forms alike."""
import json
import os
import subprocess

from e2e import test, min_site, TOOL

BAD_MESSAGE = ("the file name is not valid UTF-8 (the bytes shown as <0x..> are "
               "from another encoding), so it is not read: rename it with "
               "lower-case letters, digits and single dashes ending in .md "
               "(e.g. makerere-university.md)")
BAD_PATH = "content/pages/<0xC3>.md"


def run_bytes(*args):
    """run(), with stdout and stderr kept as bytes, and no CI variables."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("GITHUB_WORKSPACE", "CI_PROJECT_DIR")}
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    p = subprocess.run([TOOL, *args], capture_output=True, env=env)
    return p.returncode, p.stdout, p.stderr


def with_bad_name(site):
    open(os.path.join(os.fsencode(site), b"content", b"pages", b"\xc3.md"), "wb").close()


def check_bad_name(*options, report=None):
    """Check a small site holding a file whose name is not UTF-8, with
    options (and --report into a temporary file named report); the check
    must fail. Returns its stdout (or the report's bytes) and stderr."""
    with min_site() as (site, tmp):
        with_bad_name(site)
        to = ["--report", os.path.join(tmp, report)] if report else []
        rc, so, se = run_bytes("check", "-C", site, *options, *to)
        assert rc == 1, se
        if report:
            with open(to[1], "rb") as fh:
                so = fh.read()
        return so, se


@test
def report_file_name_not_utf8_is_an_error_to_rename():
    _, se = check_bad_name()
    text = se.decode("utf-8")  # raises if any raw byte got through
    assert text == (BAD_PATH + ":1:1: error: " + BAD_MESSAGE + "\n"
                    "1 error, 0 warnings\n"
                    "partnermap: fix the errors above\n"), text


@test
def report_json_stays_utf8_with_a_name_not_utf8():
    so, _ = check_bad_name("--format=json")
    problems = json.loads(so)  # from bytes: must be UTF-8
    assert problems == [{"severity": "error", "check": None, "path": BAD_PATH,
                         "line": 1, "column": 1, "message": BAD_MESSAGE}], problems


@test
def report_gitlab_stays_utf8_with_a_name_not_utf8():
    report, _ = check_bad_name("--format=gitlab", report="gl-code-quality.json")
    issues = json.loads(report)
    assert len(issues) == 1, issues
    assert issues[0]["location"]["path"] == BAD_PATH, issues
    assert BAD_MESSAGE in issues[0]["description"], issues


@test
def report_github_stays_utf8_with_a_name_not_utf8():
    so, se = check_bad_name("--format=github")
    lines = [l for l in (so + se).decode("utf-8").splitlines() if l.startswith("::")]
    # its name as shown names no file of the repository (the bytes are
    # written <0xC3>): no annotation on a file, its path in the message
    assert lines == ["::error title=partnermap::" + BAD_PATH + ": " + BAD_MESSAGE], lines
