"""partnermap schema: the JSON Schema checked with a real validator
against every example record, the README's field reference against the
tool, the Front Matter CMS settings init writes, and the command line."""
import datetime
import glob
import json
import os
import re
import shutil
import subprocess
import tempfile

import yaml
from jsonschema import Draft202012Validator, FormatChecker

from e2e import test, run, min_site, front_matter, read, ROOT, FIXTURES, TOOL, record_files

KINDS = ("institution", "network", "page", "site")


def schema(*args):
    rc, so, se = run("schema", *args)
    assert rc == 0 and se == "", (args, rc, se)
    return json.loads(so)


def validator(kind=None):
    s = schema(kind) if kind else schema()
    Draft202012Validator.check_schema(s)
    return Draft202012Validator(s, format_checker=FormatChecker())


def as_read(doc):
    """A document as partnermap reads it: YAML reads `joined: 2019-04-01`
    as a date, partnermap as the text 2019-04-01."""
    if isinstance(doc, dict):
        return {k: as_read(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [as_read(v) for v in doc]
    if isinstance(doc, (datetime.date, datetime.datetime)):
        return doc.isoformat()
    return doc


def documents(site):
    """(kind, path, document) for site.yml and every record of a site."""
    out = [("site", os.path.join(site, "site.yml"),
            as_read(yaml.safe_load(read(os.path.join(site, "site.yml")))))]
    for kind in ("institution", "network", "page"):
        for path in sorted(record_files(os.path.join(site, "content", kind + "s", "*.md"))):
            out.append((kind, path, as_read(front_matter(path))))
    return out


def errors(v, doc):
    return sorted(e.message for e in v.iter_errors(doc))


# ------------------------------------------------------------- the schema ---

@test
def schema_accepts_every_example_record():
    each = {k: validator(k) for k in KINDS}
    every = validator()
    docs = documents(ROOT) + documents(os.path.join(FIXTURES, "site-min")) + \
        documents(os.path.join(ROOT, "tests", "regress", "site"))
    assert len(docs) > 80, len(docs)
    kinds = {k for k, _, _ in docs}
    assert kinds == set(KINDS), kinds
    json_records = 0
    for kind, path, doc in docs:
        json_records += read(path).lstrip().startswith("{")
        if path.endswith("regress/site/content/institutions/chiang-mai.md"):
            # the golden site's record with an unknown key, which the
            # build warns about
            assert errors(each[kind], doc) == [
                "Additional properties are not allowed ('fax' was unexpected)"], \
                errors(each[kind], doc)
            continue
        assert errors(each[kind], doc) == [], (path, errors(each[kind], doc))
        assert errors(every, doc) == [], (path, errors(every, doc))
    assert json_records >= 2, json_records


# Bad records: (file, front matter, what the validator says). Each is
# also an error or a warning of partnermap check.
BAD_RECORDS = [
    ("netwrks.md", "name: A\ncountry: UG\ncity: K\nlocation: [0.3, 32.5]\n"
     "netwrks: [africa]\nnetworks: [africa]\nexchanges: [undergraduate]\n",
     "Additional properties are not allowed ('netwrks' was unexpected)"),
    ("alpha3.md", "name: A\ncountry: UGA\ncity: K\nlocation: [0.3, 32.5]\n"
     "networks: [africa]\nexchanges: [undergraduate]\n",
     "'UGA' does not match '^[A-Za-z]{2}$'"),
    ("north.md", "name: A\ncountry: UG\ncity: K\nlocation: [95.2, 32.5]\n"
     "networks: [africa]\nexchanges: [undergraduate]\n",
     "95.2 is greater than the maximum of 90"),
    ("one-number.md", "name: A\ncountry: UG\ncity: K\nlocation: [0.3]\n"
     "networks: [africa]\nexchanges: [undergraduate]\n",
     "[0.3] is too short"),
    ("three-numbers.md", "name: A\ncountry: UG\ncity: K\nlocation: [0.3, 32.5, 1200]\n"
     "networks: [africa]\nexchanges: [undergraduate]\n",
     "[0.3, 32.5, 1200] is too long"),
    ("text-location.md", "name: A\ncountry: UG\ncity: K\nlocation: [north, 32.5]\n"
     "networks: [africa]\nexchanges: [undergraduate]\n",
     "'north' is not of type 'number'"),
    ("level.md", "name: A\ncountry: UG\ncity: K\nlocation: [0.3, 32.5]\n"
     "networks: [africa]\nexchanges: [graduate]\n",
     "'graduate' is not one of ['undergraduate', 'postgraduate']"),
    ("lone-level.md", "name: A\ncountry: UG\ncity: K\nlocation: [0.3, 32.5]\n"
     "networks: africa\nexchanges: graduate\n",
     "'graduate' does not match '^(undergraduate|postgraduate)$'"),
    ("lone-network.md", "name: A\ncountry: UG\ncity: K\nlocation: [0.3, 32.5]\n"
     "networks: Africa\nexchanges: undergraduate\n",
     "'Africa' does not match '^[a-z0-9]+(-[a-z0-9]+)*$'"),
    ("no-city.md", "name: A\ncountry: UG\nlocation: [0.3, 32.5]\n"
     "networks: [africa]\nexchanges: [undergraduate]\n",
     "'city' is a required property"),
    ("date.md", "name: A\ncountry: UG\ncity: K\nlocation: [0.3, 32.5]\n"
     "networks: [africa]\nexchanges: [undergraduate]\njoined: 2019-4-1\n",
     "'2019-4-1' does not match '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'"),
    ("scheme.md", "name: A\ncountry: UG\ncity: K\nlocation: [0.3, 32.5]\n"
     "networks: [africa]\nexchanges: [undergraduate]\nwebsite: www.mak.ac.ug\n",
     "'www.mak.ac.ug' does not match"),
    ("mail.md", "name: A\ncountry: UG\ncity: K\nlocation: [0.3, 32.5]\n"
     "networks: [africa]\nexchanges: [undergraduate]\nemail: office@localhost\n",
     "'office@localhost' does not match"),
    ("blank.md", "name: '  '\ncountry: UG\ncity: K\nlocation: [0.3, 32.5]\n"
     "networks: [africa]\nexchanges: [undergraduate]\n",
     "'  ' does not match '\\\\S'"),
    ("no-networks.md", "name: A\ncountry: UG\ncity: K\nlocation: [0.3, 32.5]\n"
     "networks: []\nexchanges: [undergraduate]\n",
     "[] is too short"),
    ("lat-lon.md", "name: A\ncountry: UG\ncity: K\nlat: 0.3\nlon: 32.5\n"
     "networks: [africa]\nexchanges: [undergraduate]\n",
     "'location' is a required property"),
]


@test
def schema_rejects_bad_records_the_tool_reports():
    v = validator("institution")
    with min_site() as (site, tmp):
        for name, fm, want in BAD_RECORDS:
            doc = as_read(yaml.safe_load(fm))
            got = errors(v, doc)
            assert any(e.startswith(want) for e in got), (name, want, got)
            with open(os.path.join(site, "content", "institutions", name), "w",
                      encoding="utf-8") as fh:
                fh.write("---\n%s---\nBody.\n" % fm)
        rc, so, se = run("check", "-C", site)
        assert rc == 1, se
        for name, _, _ in BAD_RECORDS:
            assert re.search(r"^content/institutions/%s:\d+:\d+: (error|warning): "
                             % re.escape(name), se, re.M), (name, se)


@test
def schema_rejects_bad_networks_pages_and_site_yml():
    cases = [
        ("network", {"name": "N", "kind": "continental"},
         "'continental' is not one of ['global', 'regional']"),
        ("network", {"name": "N", "kind": "global", "colour": "#12345"},
         "'#12345' does not match '^#[0-9A-Fa-f]{6}$'"),
        ("network", {"name": "N", "kind": "global", "colour": None},
         "None is not of type 'string'"),
        ("page", {"title": "T", "menu": 1.5}, "1.5 is not of type 'integer', 'null'"),
        ("page", {"menu": 1}, "'title' is a required property"),
        ("site", {"title": "T", "base_url": "example.org/partners/"},
         "'example.org/partners/' does not match"),
        ("site", {"title": "T", "base_url": "https://e.org/", "map": {"simplify": 0}},
         "0 is less than or equal to the minimum of 0"),
        ("site", {"title": "T", "base_url": "https://e.org/", "map": {"projecton": "robinson"}},
         "Additional properties are not allowed ('projecton' was unexpected)"),
        ("site", {"title": "T", "base_url": "https://e.org/", "map": {"basemap": "../world.shp"}},
         "'../world.shp' does not match"),
        ("site", {"title": "T", "base_url": "https://e.org/", "language": "English!"},
         "'English!' does not match"),
    ]
    for kind, doc, want in cases:
        got = errors(validator(kind), doc)
        assert any(e.startswith(want) for e in got), (kind, doc, want, got)
    # and the same documents are valid once mended
    assert errors(validator("network"), {"name": "N", "kind": "global",
                                         "colour": "#0072B2"}) == []
    assert errors(validator("site"), {"title": "T", "base_url": "https://e.org/",
                                      "map": {"simplify": 1, "basemap": "geo/w.shp"}}) == []


@test
def schema_of_every_kind_has_one_definition_each():
    s = schema()
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert sorted(s["$defs"]) == sorted(KINDS)
    for kind in KINDS:
        one = schema(kind)
        assert one["$schema"] == s["$schema"]
        del one["$schema"]
        assert s["$defs"][kind] == one, kind
        assert one["additionalProperties"] is False
        for key, prop in one["properties"].items():
            assert prop["description"] and prop["examples"], (kind, key)


@test
def schema_writes_a_file_and_reports_one_it_cannot_write():
    with tempfile.TemporaryDirectory(prefix="pm-e2e-") as tmp:
        out = os.path.join(tmp, "institution.json")
        rc, so, se = run("schema", "institution", "-o", out)
        assert (rc, so, se) == (0, "", ""), se
        assert json.loads(read(out)) == schema("institution")
        rc, so, se = run("schema", "--markdown", "--output=" + out)
        assert (rc, so, se) == (0, "", ""), se
        assert read(out) == run("schema", "--markdown")[1]
        missing = os.path.join(tmp, "no", "such.json")
        rc, so, se = run("schema", "-o", missing)
        assert rc == 2, se
        assert se == ("partnermap: -o '%s': its folder '%s' does not exist: make it first, "
                      "or name a file in a folder that does\nTry 'partnermap schema --help'.\n"
                      % (missing, os.path.join(tmp, "no"))), se


@test
def schema_command_line():
    rc, so, se = run("schema", "--help")
    assert rc == 0 and se == "", se
    assert so.startswith("Usage: partnermap schema [KIND] [--markdown | --front-matter-cms]"
                         " [-o FILE]\n"), so
    rc, so, _ = run("--help")
    assert "  schema " in so and "schema --help" in so, so
    cases = [
        (["frobnicate"], "unknown kind 'frobnicate' (expected institution, network, page or site)"),
        (["institutions"], "unknown kind 'institutions' (expected institution, network, page "
                           "or site); did you mean institution?"),
        (["page", "site"], "unexpected argument 'site': give one KIND, or none for every kind"),
        (["--markdown", "--front-matter-cms"], "'--front-matter-cms' cannot go with another "
                                               "output format: choose --markdown or "
                                               "--front-matter-cms"),
        (["--front-matter-cms", "page"], "--front-matter-cms describes every record kind at "
                                         "once: give no KIND"),
        (["-o"], "option '-o' needs a value"),
        (["--bogus"], "unknown option '--bogus'"),
    ]
    for args, msg in cases:
        rc, so, se = run("schema", *args)
        assert rc == 2 and so == "", (args, rc, so)
        assert se == "partnermap: %s\nTry 'partnermap schema --help'.\n" % msg, (args, se)


# ------------------------------------------------------------- the README ---

@test
def readme_field_reference_is_the_tools():
    text = read(os.path.join(ROOT, "README.md"))
    m = re.search(r"\n### Field reference\n\n<!-- fields:begin -->\n(.*?)<!-- fields:end -->\n",
                  text, re.S)
    assert m, "README.md has no '### Field reference' with fields:begin/end markers"
    rc, so, se = run("schema", "--markdown")
    assert rc == 0, se
    assert m.group(1) == so, (
        "README.md's field reference differs from `partnermap schema --markdown`: "
        "run make readme-fields (and commit README.md)")


@test
def readme_check_table_names_every_check():
    """The README's table of check names had fallen behind the tool:
    large-file, missing-translation and unknown-language were not in it.
    It names each check --list-checks prints, in its order."""
    text = read(os.path.join(ROOT, "README.md"))
    m = re.search(r"prints every name:\n\n\| name \| meaning \|\n\|-+\|-+\|\n((?:\|.*\n)+)",
                  text)
    assert m, "README.md has no table of check names"
    listed = [re.match(r"\| `([a-z-]+)` \|", l).group(1) for l in m.group(1).splitlines()]
    rc, so, se = run("check", "--list-checks")
    assert rc == 0, se
    names = [l.split()[0] for l in so.splitlines() if l.strip()]
    assert listed == names, (listed, names)


# ----------------------------------------------------- Front Matter CMS ---

def fake_install(prefix):
    """A partnermap installed in prefix as init needs it: the binary, the
    default theme and the basemap."""
    os.makedirs(os.path.join(prefix, "bin"))
    shutil.copy(TOOL, os.path.join(prefix, "bin", "partnermap"))
    share = os.path.join(prefix, "share", "partnermap")
    shutil.copytree(os.path.join(ROOT, "themes", "default"),
                    os.path.join(share, "themes", "default"))
    os.makedirs(os.path.join(share, "geodata"))
    for ext in ("shp", "shx", "dbf", "prj", "cpg"):
        shutil.copy(os.path.join(ROOT, "geodata", "naturalearth_lowres." + ext),
                    os.path.join(share, "geodata"))
    return os.path.join(prefix, "bin", "partnermap")


@test
def init_writes_front_matter_cms_content_types():
    with tempfile.TemporaryDirectory(prefix="pm-e2e-") as tmp:
        tool = fake_install(os.path.join(tmp, "prefix"))
        site = os.path.join(tmp, "site")
        p = subprocess.run([tool, "init", site, "-q"], capture_output=True, text=True)
        assert p.returncode == 0 and p.stderr == "", p.stderr
        text = read(os.path.join(site, "frontmatter.json"))
        assert text == run("schema", "--front-matter-cms")[1]
        cms = json.loads(text)
        types = {t["name"]: t for t in cms["frontMatter.taxonomy.contentTypes"]}
        assert sorted(types) == ["institution", "network", "page"], sorted(types)
        for kind, t in types.items():
            fields = {f["name"]: f for f in t["fields"]}
            s = schema(kind)
            assert sorted(fields) == sorted(s["properties"]), kind
            for key in s["required"]:
                assert fields[key].get("required") is True, (kind, key)
            for key, f in fields.items():
                assert f["description"] == s["properties"][key]["description"] or \
                    f["description"].startswith(s["properties"][key]["description"]), key
                assert key in s["required"] or "required" not in f, (kind, key)
        inst = {f["name"]: f for f in types["institution"]["fields"]}
        assert inst["exchanges"]["type"] == "choice" and inst["exchanges"]["multiple"] is True
        assert inst["exchanges"]["choices"] == ["undergraduate", "postgraduate"]
        assert inst["joined"]["type"] == "datetime"
        assert inst["draft"]["type"] == "draft"
        folders = cms["frontMatter.content.pageFolders"]
        for f in folders:
            path = f["path"].replace("[[workspace]]", site)
            assert os.path.isdir(path), path
            assert f["contentTypes"] == [f["path"].rsplit("/", 1)[1][:-1]], f
        # the records init wrote are valid as their kinds
        for kind, path, doc in documents(site):
            assert errors(validator(kind), doc) == [], (path, errors(validator(kind), doc))


# ------------------------------------------------------------ completion ---

@test
def completion_of_schema():
    def complete(*words):
        script = ('source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); '
                  '_partnermap; printf "%s\\n" "${COMPREPLY[@]}"')
        p = subprocess.run(["bash", "-c", script, "bash",
                            os.path.join(ROOT, "completion", "partnermap.bash"), "partnermap",
                            *words], capture_output=True, text=True, cwd=tmp)
        assert p.returncode == 0, p.stderr
        return sorted(w for w in p.stdout.split("\n") if w)

    with tempfile.TemporaryDirectory(prefix="pm-e2e-") as tmp:
        os.mkdir(os.path.join(tmp, "schemas"))
        open(os.path.join(tmp, "schema.json"), "w").close()
        assert complete("sch") == ["schema"]
        assert complete("schema", "") == ["institution", "network", "page", "site"]
        assert complete("schema", "institution", "") == []
        assert complete("schema", "--") == ["--front-matter-cms", "--help", "--markdown",
                                            "--output"]
        assert complete("schema", "-o", "sch") == ["schema.json", "schemas"]
        assert complete("build", "-o", "sch") == ["schemas"]
