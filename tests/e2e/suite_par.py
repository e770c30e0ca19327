"""Records read on the -j threads: each record file is read and parsed by
whichever thread takes it, then the records join the model, and their
messages are given, in file-name order. So the messages (errors and
warnings from many records, in the very order and words) and the output
are the same for -j 1, 2, 3 and 8."""
import os
import re
import shutil
import sys
import tempfile

from e2e import test, run, min_site, tree_digest, write_record, record, ROOT, FIXTURES

sys.path.insert(0, os.path.join(ROOT, "tests", "bench"))
import scale  # noqa: E402  (the benchmark's generated site)

JOBS = ("1", "2", "3", "8")


def build_each(site, tmp, *extra):
    """Build site once per number of threads: {jobs: (exit, stderr, tree
    digest of the output, or None when there is none)}."""
    got = {}
    for j in JOBS:
        out = os.path.join(tmp, "out-j" + j)
        rc, _, se = run("build", "-C", site, "-o", out, "-j", j, *extra)
        digest = tree_digest(out) if os.path.isdir(out) else None
        got[j] = (rc, se, digest)
        if os.path.isdir(out):
            shutil.rmtree(out)
    return got


def assert_same_at_any_jobs(got):
    """-j 2, 3 and 8 exit, print and write what -j 1 does, byte for byte."""
    rc, se, digest = got["1"]
    for j in JOBS[1:]:
        assert got[j][0] == rc, ("exit", j, got[j][0], rc)
        assert got[j][1] == se, ("messages of -j %s differ from -j 1" % j,
                                 got[j][1], se)
        if digest is None:
            assert got[j][2] is None, j
            continue
        diff = sorted(k for k in set(digest) | set(got[j][2])
                      if digest.get(k) != got[j][2].get(k))
        assert not diff, ("-j 1 and -j %s wrote different files" % j, diff[:10])


def write_numbered(site, k, **changes):
    """Record school-<k> in Uganda (near Kampala), with changes made to
    its fields (a value None leaves the field out)."""
    fields = record("UG", "Kampala", "0.3%03d" % k, "32.58")
    fields["name"] = "Test School %d" % k
    fields.update(changes)
    return write_record(site, "school-%03d" % k,
                        **{f: v for f, v in fields.items() if v is not None})


def warned_records(site, n):
    """n records, many of which have a warning: an unknown key, a location
    in Kenya for a school in Uganda, a location far out at sea."""
    for k in range(n):
        changes = {}
        if k % 5 == 1:
            changes["netwrks"] = "[global]"
        if k % 7 == 2:
            changes["location"] = "[-1.28, 36.82]"
        if k % 11 == 3:
            changes["location"] = "[-20.0, 60.0]"
        write_numbered(site, k, **changes)


def message_paths(stderr):
    """The file of each message about an institution's file, in order."""
    return [m.group(1) for m in re.finditer(
        r"^content/institutions/([^:]+):\d+:\d+: ", stderr, re.M)]


def assert_told_together(paths, se):
    """Each file's problems in one run: a file's path never comes back
    after another's (util/diag.h, diags_sort_runs)."""
    runs = [p for i, p in enumerate(paths) if i == 0 or paths[i - 1] != p]
    assert len(runs) == len(set(runs)), se


@test
def par_warnings_of_many_records_are_the_same_at_any_jobs():
    with min_site() as (site, tmp):
        warned_records(site, 150)
        got = build_each(site, tmp, "--clean")
        assert_same_at_any_jobs(got)
        rc, se, digest = got["1"]
        assert rc == 0, se
        lines = se.splitlines()
        assert ("content/institutions/school-001.md:8:1: warning: unknown key "
                "'netwrks' (ignored); did you mean networks? [unknown-key]") in lines, se
        assert ("content/institutions/school-002.md:5:11: warning: location falls "
                "in Kenya, not Uganda [location-outside-country]") in lines, se
        # each file's problems together, from its top (read, then located
        # later in the build)
        unknown = [l for l in lines if "[unknown-key]" in l]
        located = [l for l in lines if "[location-" in l]
        assert len(unknown) == 30 and len(located) == 34, (len(unknown), len(located))
        assert unknown == sorted(unknown), se
        # a file located alone comes after the files read with problems,
        # the files of each kind in file-name order
        alone = [l for l in located if l.split(":")[0] not in
                 {u.split(":")[0] for u in unknown}]
        assert alone == sorted(alone) and lines.index(alone[0]) > lines.index(unknown[-1]), se
        assert_told_together(message_paths(se), se)
        assert (lines.index("content/institutions/school-016.md:5:11: warning: location "
                            "falls in Kenya, not Uganda [location-outside-country]") + 1 ==
                lines.index("content/institutions/school-016.md:8:1: warning: unknown "
                            "key 'netwrks' (ignored); did you mean networks? "
                            "[unknown-key]")), se
        assert lines[-1] == "0 errors, 64 warnings", lines[-1]
        assert "institutions/school-149/index.html" in digest


@test
def par_errors_and_warnings_come_in_file_order_at_any_jobs():
    """Every bad-input fixture, records with errors and warnings, page
    bundles, translation files and names refused, in one folder."""
    with min_site() as (site, tmp):
        warned_records(site, 60)
        folder = os.path.join(site, "content", "institutions")
        for name in os.listdir(os.path.join(FIXTURES, "bad")):
            if name != "EXPECT":
                shutil.copy(os.path.join(FIXTURES, "bad", name), folder)
        write_numbered(site, 61, country="UGX")
        bundle = os.path.join(folder, "school-062")
        os.makedirs(bundle)
        shutil.move(write_numbered(site, 62, email="not-an-address").replace(
            "content/institutions/", folder + "/"), os.path.join(bundle, "index.md"))
        with open(os.path.join(folder, "school-003.fr.md"), "w") as fh:
            fh.write("---\nname: École 3\n---\n")
        with open(os.path.join(folder, "Notes.TXT"), "w") as fh:
            fh.write("not a record\n")
        got = build_each(site, tmp)
        assert_same_at_any_jobs(got)
        rc, se, digest = got["1"]
        assert rc == 1 and digest is None, (rc, se)
        lines = se.splitlines()
        want = [
            "content/institutions/Makerere University.md:1:1: error: 'Makerere "
            "University' cannot be a slug (the file name is the record's address: "
            "lower-case letters, digits and single dashes); rename the file "
            "makerere-university.md",
            "content/institutions/Notes.TXT:1:1: error: 'Notes.TXT' is not read: "
            "a record's file name ends in .md, in lower case; rename it to notes.md",
            # read on past its aliases: its fields a to i are no fields
            # of a record (b to i lists of aliases, each item left out);
            # told from the top of the file (diags_sort_runs)
            "content/institutions/alias-bomb.md:8:1: warning: unknown key 'a' "
            "(ignored)",
            "content/institutions/alias-bomb.md:9:8: error: YAML aliases (*a) "
            "are not allowed",
            "content/institutions/alias-bomb.md:16:1: warning: unknown key 'i' "
            "(ignored)",
            "content/institutions/json-syntax.md:7:3: error: expected ',' or '}' "
            "after the value of 'networks' (is a comma missing?)",
            "content/institutions/school-001.md:8:1: warning: unknown key "
            "'netwrks' (ignored); did you mean networks? [unknown-key]",
            "content/institutions/school-003.fr.md:1:1: error: this file "
            "translates 'school-003' into fr, which site.yml's languages does not "
            "list: add fr to languages (languages: [en, fr]), or remove this file",
            "content/institutions/school-061.md:3:10: error: unknown country "
            "code 'UGX' (expected an ISO 3166-1 alpha-2 code such as UG)",
            "content/institutions/school-062/index.md:8:8: error:",
            "content/institutions/yaml-unclosed-list.md:6:11: error: the list "
            "opened here with [ is not closed: end it with ]",
        ]
        at = 0
        for w in want:
            found = [i for i, l in enumerate(lines) if l.startswith(w)]
            assert found and found[0] >= at, ("missing or out of order", w, se)
            at = found[0]
        # every file's problems together, the load's and then locate's
        # (the records' errors no longer stop it), in file-name order
        located = [l for l in lines if "[location-" in l]
        # in Kenya: k % 7 == 2 but 58; at sea: k % 11 == 3
        assert len(located) == 8 + 6, located
        assert_told_together(message_paths(se), se)
        # the load's in file-name order (a file only located comes after)
        read = [p.split("/")[0] for p in message_paths(se.split(located[0])[0])]
        assert read == sorted(read, key=lambda e: e.encode()), read
        assert lines[-2:] == ["33 errors, %d warnings" % (21 + len(located)),
                              "partnermap: nothing was written; fix the errors "
                              "above"], lines[-2:]


def clean_build_everywhere(make_site, *extra):
    """The site make_site(tmp) returns, built in a temporary folder at
    each -j and checked the same at all: -j 1's tree digest."""
    tmp = tempfile.mkdtemp(prefix="pm-e2e-")
    try:
        got = build_each(make_site(tmp), tmp, *extra)
        assert_same_at_any_jobs(got)
        rc, se, digest = got["1"]
        assert rc == 0, se
        return digest
    finally:
        shutil.rmtree(tmp)


@test
def par_example_site_is_byte_identical_at_any_jobs():
    digest = clean_build_everywhere(lambda tmp: ROOT)
    assert "institutions/makerere-university/index.html" in digest
    assert "fr/institutions/makerere-university/index.html" in digest


def generated_site(tmp, n=2000):
    site = os.path.join(tmp, "site")
    scale.make_site(site, n)
    return site


@test
def par_generated_site_of_2000_is_byte_identical_at_any_jobs():
    digest = clean_build_everywhere(generated_site, "-q", "--clean")
    pages = [k for k in digest if re.match(r"institutions/school-\d+/index\.html$", k)]
    assert len(pages) == 2000, len(pages)
