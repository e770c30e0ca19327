"""One check reports every problem it can find, and nothing untrue: a
record's errors leave it out while the checks across records, the map and
the theme run on; an error in a setting those read makes them, and the
content, wait; a file with errors is never the cause of a second message
about another file (a network called empty, a duplicate name, a point
naming no record, a partner at sea)."""
import os
import json
import re
import shutil
import struct

import e2e
from e2e import test, run, min_site, read, write_record, record, set_map_option, ROOT


def write(path, text):
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def edit(path, old, new):
    text = read(path)
    assert old in text, (path, old)
    write(path, text.replace(old, new, 1))


def own_theme(site):
    """The site's theme made a copy it may change; its templates folder."""
    os.unlink(os.path.join(site, "themes"))
    shutil.copytree(os.path.join(ROOT, "themes"), os.path.join(site, "themes"))
    return os.path.join(site, "themes", "default", "templates")


def break_template(site):
    """An unclosed section at the end of page.mustache: the message it
    gives."""
    tpl = own_theme(site)
    page = os.path.join(tpl, "page.mustache")
    text = read(page)
    write(page, text + "{{#unclosed}}\n")
    return ("themes/default/templates/page.mustache:%d:1: error: unclosed section "
            "{{#unclosed}}: no {{/unclosed}} follows" % (text.count("\n") + 1))


def problems(se):
    """The message lines of stderr, without the summary and the last line."""
    return [l for l in se.splitlines()
            if re.match(r"^[^ ]+:\d+:\d+: (error|warning): ", l)
            or l.startswith("partnermap: error: ")]


def check(site, *extra, env=None):
    if env:
        old = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
    try:
        return run("check", "-C", site, *extra)
    finally:
        if env:
            for k, v in old.items():
                if v is None:
                    del os.environ[k]
                else:
                    os.environ[k] = v


INST = os.path.join("content", "institutions")
BAD_CODE = ("content/institutions/bad-code.md:3:10: error: unknown country code 'XX' "
            "(expected an ISO 3166-1 alpha-2 code such as UG)")


def bad_record(site):
    write_record(site, "bad-code", **record("XX", "Nowhere", 1, 1))
    return BAD_CODE


# ------------------------------------------- settings the content reads ---

@test
def one_run_a_site_yml_that_does_not_parse_is_reported_alone():
    """site.yml that YAML cannot read made every translation file say that
    site.yml's languages do not list its language, and records were
    checked against the default settings: its one error is reported alone."""
    with min_site() as (site, tmp):
        yml = os.path.join(site, "site.yml")
        edit(yml, "language: en", "languages: [en, fr]")
        write(os.path.join(site, INST, "makerere.fr.md"), "---\nname: Université Makerere\n---\n")
        edit(yml, "intro: Medical", "intro: [Medical")
        bad_record(site)
        break_template(site)
        rc, _, se = check(site)
        assert rc == 1, se
        assert problems(se) == [
            "site.yml:6:8: error: the list opened here with [ is not closed: end it with ]"], se


@test
def one_run_a_setting_the_content_reads_makes_it_wait():
    """An error in languages:, countries: or disciplines: made records and
    translations fail against defaults (an unknown country that countries:
    adds, an unknown discipline, a language languages: lists)."""
    cases = [
        ("language: en", "languages: en, fr",
         "languages is one text with commas, not a list: write languages: [en, fr]"),
        ("language: en", "language: en\ncountries: [{code: XS, name: \"\"}]", ": error: "),
        ("language: en", "language: en\ndisciplines: [Bad Slug]", ": error: "),
        ("language: en", "language: en\nmax_file_size: lots", ": error: "),
    ]
    for old, new, want in cases:
        with min_site() as (site, tmp):
            edit(os.path.join(site, "site.yml"), old, new)
            write_record(site, "somaliland", **record("XS", "Hargeisa", 9.56, 44.06))
            write(os.path.join(site, INST, "makerere.fr.md"), "---\nname: Makerere\n---\n")
            break_template(site)
            rc, _, se = check(site)
            assert rc == 1, se
            got = problems(se)
            assert got and all(l.startswith("site.yml:") for l in got), (new, se)
            assert want in got[0], (new, se)


@test
def one_run_a_setting_nothing_else_reads_does_not_hide_the_theme():
    """An error in the title, the description or base_url, which only pages
    show, hid a broken template until it was fixed."""
    for old, new in [("title: Partner Map Test Site", 'title: "bad\\u0001title"'),
                     ("base_url: https://partners.example.org/map", "base_url: ftp://x"),
                     ("description: A small", "description: [a, b]\nx_description: A small")]:
        with min_site() as (site, tmp):
            edit(os.path.join(site, "site.yml"), old, new)
            tpl = break_template(site)
            bad = bad_record(site)
            rc, _, se = check(site)
            assert rc == 1, se
            got = problems(se)
            assert tpl in got and bad in got, (new, se)
            assert any(l.startswith("site.yml:") and ": error: " in l for l in got), se


@test
def one_run_an_unknown_theme_is_one_error():
    """theme: nosuch also said that the theme had no texts in the site's
    language and no map.css."""
    with min_site() as (site, tmp):
        yml = os.path.join(site, "site.yml")
        write(yml, read(yml) + "theme: nosuch\n")
        bad = bad_record(site)
        rc, _, se = check(site)
        assert rc == 1, se
        got = problems(se)
        assert got == [bad, "site.yml:%d:8: error: unknown theme 'nosuch': there is no "
                       "folder themes/nosuch in the site, nor an installed theme of that "
                       "name; write theme: default, or put your theme in themes/nosuch/"
                       % read(yml).count("\n")], se


# --------------------------------------------- a record that cannot be read ---

@test
def one_run_a_record_that_cannot_be_read_does_not_hide_the_theme():
    with min_site() as (site, tmp):
        # a link to nothing: once "cannot read" (exit 3), now the site's
        # own mistake (exit 1, one_run_a_link_to_nothing_is_the_sites_mistake)
        os.symlink("gone.md", os.path.join(site, INST, "dangling.md"))
        tpl = break_template(site)
        rc, _, se = check(site)
        assert rc == 1, se
        got = problems(se)
        assert tpl in got, se
        assert any(l.startswith("content/institutions/dangling.md:1:1: ") and
                   "leads to nothing" in l for l in got), se


@test
def one_run_source_date_epoch_is_checked_beside_a_records_error():
    with min_site() as (site, tmp):
        bad = bad_record(site)
        rc, _, se = check(site, env={"SOURCE_DATE_EPOCH": "abc"})
        assert rc == 1, se
        got = problems(se)
        assert bad in got, se
        assert any(l.startswith("partnermap: error: SOURCE_DATE_EPOCH is 'abc'") for l in got), se


# ------------------------------------------------------ no second message ---

@test
def one_run_a_translations_error_does_not_hide_an_empty_network():
    """Any error while the institutions loaded, a translation file's too,
    kept a network without members from being said: only a record left out
    may be a member."""
    with min_site() as (site, tmp):
        write(os.path.join(site, "content", "networks", "empty.md"),
              "---\nname: Empty Network\nkind: regional\n---\n")
        write(os.path.join(site, INST, "makerere.fr.md"), "---\nname: Makerere\n---\n")
        rc, _, se = check(site)
        assert rc == 1, se
        got = problems(se)
        assert any(l.startswith("content/institutions/makerere.fr.md:1:1: error: ")
                   for l in got), se
        assert any("no institution belongs to network 'empty'" in l for l in got), se


@test
def one_run_a_networks_stand_in_name_is_no_duplicate():
    """A network whose name could not be read is kept under its slug; that
    stand-in was then 'already used' by a network really called so."""
    with min_site() as (site, tmp):
        nets = os.path.join(site, "content", "networks")
        write(os.path.join(nets, "other.md"), "---\nname: Global\nkind: regional\n---\n")
        edit(os.path.join(nets, "global.md"), "name: Global Exchange Network",
             "name: [Global Exchange Network")
        rc, _, se = check(site)
        assert rc == 1, se
        got = [l for l in problems(se) if ": error: " in l]
        assert len(got) == 1 and got[0].startswith("content/networks/global.md:2:7: "), se


def points_site(site, points, slugs):
    e2e.located_by_points(site, points, slugs=slugs)
    base = os.path.join(site, "points", "partners")
    shutil.copy(os.path.join(site, "geodata", "naturalearth_lowres.prj"), base + ".prj")


@test
def one_run_a_broken_point_file_does_not_blame_the_records():
    """A point file that could not be read, or whose point for a record was
    refused, also told each record waiting for a point that it had none,
    and then placed it at 0, 0, far out at sea."""
    with min_site() as (site, tmp):
        points_site(site, [("nairobi-school", 36.8, -1.3)], ("nairobi-school",))
        fields = record("KE", "Mombasa", 0, 0)
        del fields["location"]
        write_record(site, "mombasa-school", **fields)
        rc, _, se = check(site)
        assert rc == 1, se
        # a record that has no point: told so, once, and not placed at sea
        assert [l for l in problems(se) if "mombasa-school" in l] == [
            "content/institutions/mombasa-school.md:1:1: error: no location: add location: "
            "[latitude, longitude], or a point with slug = mombasa-school to "
            "points/partners.shp"], se
        # the point file missing: its own error alone, at site.yml's
        # value (the editor's to fix: exit 1)
        set_map_option(site, "points", "points/none.shp")
        rc, _, se = check(site)
        assert rc == 1, se
        got = problems(se)
        assert len(got) == 1 and got[0].startswith("site.yml:") and \
            "map.points names 'points/none.shp', which the site folder does not " \
            "have; did you mean 'points/partners.shp'?" in got[0], se


@test
def one_run_a_point_named_for_a_refused_records_translation_says_so():
    with min_site() as (site, tmp):
        points_site(site, [("nairobi-school.fr", 36.8, -1.3)], ("nairobi-school",))
        path = os.path.join(site, INST, "nairobi-school.md")
        edit(path, "country: KE", "country: XX")
        rc, _, se = check(site)
        assert rc == 1, se
        got = [l for l in problems(se) if "[points-unknown-slug]" in l]
        assert got == [
            "points/partners.shp:1:1: warning: record 1: 'nairobi-school.fr' names a "
            "translation of institution 'nairobi-school', not an institution: write its "
            "slug, nairobi-school [points-unknown-slug]"], se


@test
def one_run_a_default_text_error_is_said_once_whatever_the_languages():
    """An error in the theme's English text was said again for each other
    language whose file lacks the key, and counted each time."""
    with min_site() as (site, tmp):
        edit(os.path.join(site, "site.yml"), "language: en", "languages: [en, fr, es]")
        own_theme(site)
        i18n = os.path.join(site, "themes", "default", "i18n")
        en = os.path.join(i18n, "en.yml")
        write(en, re.sub(r"(?m)^note:.*$", 'note: "{{#x}}"', read(en)))
        for lang in ("fr", "es"):
            path = os.path.join(i18n, lang + ".yml")
            write(path, re.sub(r"(?m)^note:.*\n", "", read(path)))
        rc, _, se = check(site)
        assert rc == 1, se
        errors = [l for l in problems(se) if ": error: " in l]
        assert len(errors) == 1 and errors[0].startswith("themes/default/i18n/en.yml:"), se
        assert re.search(r"^1 error, \d+ warnings?$", se, re.M), se


@test
def one_run_a_warning_checks_make_an_error_counts_as_one_at_once():
    """With --strict (or checks: making a warning an error), build decided
    whether to look at the theme's assets before the warning became an
    error, and said less than check did."""
    with min_site() as (site, tmp):
        edit(os.path.join(site, INST, "makerere.md"), "city:", "citty: x\ncity:")
        own_theme(site)
        os.mkfifo(os.path.join(site, "themes", "default", "assets", "pipe.css"))
        pipe = ("themes/default/assets/pipe.css:1:1: error: themes/default/assets/pipe.css "
                "is a named pipe (FIFO), not a regular file: replace it with an ordinary file")
        for cmd in ("check", "build"):
            rc, _, se = run(cmd, "--strict", "-C", site)
            assert rc == 1, (cmd, se)
            assert pipe in problems(se), (cmd, se)
            assert any("unknown key 'citty'" in l and ": error: " in l for l in problems(se)), se


@test
def one_run_a_network_file_refused_is_still_a_network():
    """A network file that is refused (a named pipe, a link out of the
    site) was left out whole, and each member was then told that there is
    no such file."""
    with min_site() as (site, tmp):
        path = os.path.join(site, "content", "networks", "africa.md")
        os.unlink(path)
        os.mkfifo(path)
        rc, _, se = check(site)
        assert rc == 1, se
        got = [l for l in problems(se) if ": error: " in l]
        assert len(got) == 1 and got[0].startswith("content/networks/africa.md:1:1: "), se


@test
def one_run_a_networks_folder_that_is_a_file_is_one_error():
    """content/networks as a file was not reported at all, and every record
    naming a network was told that the site had no networks yet."""
    with min_site() as (site, tmp):
        nets = os.path.join(site, "content", "networks")
        shutil.rmtree(nets)
        write(nets, "not a folder\n")
        rc, _, se = check(site)
        assert rc == 1, se
        assert problems(se) == [
            "content/networks:1:1: error: content/networks is not a folder (it, or a "
            "folder above it, is a file): make it a folder of .md files, one per record"], se


@test
def one_run_check_never_says_a_build_failed():
    with min_site() as (site, tmp):
        # a point file that cannot be read (exit 3), and one missing (the
        # site's to fix: exit 1)
        os.makedirs(os.path.join(site, "points"))
        for ext in ("shp", "shx", "dbf"):
            write(os.path.join(site, "points", "bad." + ext), "not a shapefile\n")
        for name, want in (("points/bad.shp", 3), ("points/none.shp", 1)):
            set_map_option(site, "points", name)
            rc, _, se = check(site)
            assert rc == want, (name, rc, se)
            assert se.endswith("partnermap: fix the errors above\n"), se


@test
def one_run_a_template_refused_is_no_missing_template():
    """A template over the size limit was left out, and every template
    including it was told that there is no such template."""
    with min_site() as (site, tmp):
        tpl = own_theme(site)
        footer = os.path.join(tpl, "footer.mustache")
        write(footer, read(footer) + "a" * (1 << 20))
        rc, _, se = check(site)
        assert rc == 1, se
        got = [l for l in problems(se) if ": error: " in l]
        assert len(got) == 1 and got[0].startswith(
            "themes/default/templates/footer.mustache:1:1: error: "), se
        assert "names no template" not in se, se


@test
def one_run_strict_does_not_take_a_records_warning_for_the_point_files():
    """With --strict, any warning of the load became an error when the
    point file was read, and was taken for the point file's: a record with
    neither a location nor a point was then not told so."""
    with min_site() as (site, tmp):
        points_site(site, [("nairobi-school", 36.8, -1.3)], ("nairobi-school",))
        fields = record("KE", "Mombasa", 0, 0)
        del fields["location"]
        write_record(site, "mombasa-school", **fields)
        edit(os.path.join(site, INST, "makerere.md"), "city:", "citty: x\ncity:")
        rc, _, se = check(site, "--strict")
        assert rc == 1, se
        assert ("content/institutions/mombasa-school.md:1:1: error: no location: add "
                "location: [latitude, longitude], or a point with slug = mombasa-school "
                "to points/partners.shp") in problems(se), se


# ----------------------------- an error in one value hides no other one ---

# A record with a mistake in each of three other fields: what they say.
OTHER_ERRORS = [
    ": error: unknown country code 'XX'",
    ": error: unknown network 'nowhere'",
    ": error: unknown exchange level 'sideways'",
]


def flawed_record(site, field_line, json=False):
    """bad.md with field_line (the value with the mistake) and three more
    mistakes; the messages of those three, without their positions."""
    if json:
        text = ('{\n  %s,\n  "country": "XX",\n  "city": "Kampala",\n'
                '  "location": [0.3, 32.5],\n  "networks": ["global", "nowhere"],\n'
                '  "exchanges": ["sideways"]\n}\nBody.\n' % field_line)
    else:
        text = ("---\n%s\ncountry: XX\ncity: Kampala\nlocation: [0.3, 32.5]\n"
                "networks: [global, nowhere]\nexchanges: [sideways]\n---\nBody.\n"
                % field_line)
    write(os.path.join(site, INST, "bad.md"), text)


def said_of(se, path):
    """path's messages, "line:col: level: text" without the path."""
    return [l[len(path) + 1:] for l in problems(se) if l.startswith(path + ":")]


BAD_SCHOOL = ("---\nname: Bad School\ncountry: UG\ncity: Kampala\n"
              "location: [0.3, 32.5]\n")


def said_of_bad_school(rest):
    """Check a minimal site with content/institutions/bad.md, the Bad
    School's first fields then rest: bad.md's messages (said_of), and
    stderr."""
    with min_site() as (site, tmp):
        write(os.path.join(site, INST, "bad.md"), BAD_SCHOOL + rest)
        rc, _, se = check(site)
        assert rc == 1, se
        return said_of(se, "content/institutions/bad.md"), se


@test
def one_run_a_mistake_in_a_value_hides_no_other_error():
    """A NUL escape, a repeated key, an alias or a thousands comma in one
    value stopped the record's reading there: its other errors were told
    only once that one was fixed. Now the rest of the front matter is read
    and checked, the value with the mistake is not read (no second message
    about it), and the record is left out."""
    cases = [
        # at the escape, which the message names
        ('name: "Bad\\0 School"', False,
         "2:11: error: name contains a NUL character (the escape \\0), "
         "which would cut it short; remove it"),
        ('name: Bad School\nname: Other', False,
         "3:1: error: duplicate key 'name' (first at line 2): keep one of the two lines"),
        ('name: Bad School\nemail: *nothing', False,
         "3:8: error: YAML aliases (*nothing) are not allowed; write the value out"),
        ('name: Bad School\nlanguages_of_instruction: [1,000]', False,
         "3:28: error: '1,000' reads as two numbers, 1 and '000': inside { } or [ ] a comma "
         "separates values; write 1000, without the comma, or put a space after the "
         "comma for two numbers"),
        # a key that is a list, or an alias: the pair is left out
        ('name: Bad School\n[a, b]: 1', False,
         "3:1: error: a key must be plain text, not a list or mapping"),
        ('name: &n Bad School\n*n : x', False,
         "3:1: error: YAML aliases (*n) are not allowed; write the value out"),
        ('"name": "Bad\\u0000 School"', True,
         "2:15: error: name contains a NUL character (the escape \\u0000), which would "
         "cut it short; remove it"),
        ('"name": "Bad School",\n  "name": "Other"', True,
         "3:3: error: duplicate key 'name' (first at line 2): keep one of the two lines"),
    ]
    for field_line, json, first in cases:
        with min_site() as (site, tmp):
            flawed_record(site, field_line, json)
            rc, _, se = check(site)
            assert rc == 1, se
            got = said_of(se, "content/institutions/bad.md")
            assert got[0] == first, (field_line, se)
            others = [re.sub(r"^\d+:\d+", "", l) for l in got[1:]]
            assert len(others) == 3 and all(
                o.startswith(w) for o, w in zip(others, OTHER_ERRORS)), (field_line, se)
            # nothing more: not about the value with the mistake (a city
            # that is a list, a name required), nor anything that follows
            assert len(problems(se)) == 4, (field_line, se)
            # the record is left out: a build publishes nothing
            rc, _, se = run("build", "-C", site)
            assert rc == 1 and not os.path.exists(os.path.join(site, "output")), se


@test
def one_run_a_record_whose_only_mistake_is_in_a_value_is_left_out():
    """A repeated key with nothing else wrong: the record is refused, as
    before, and says so once."""
    with min_site() as (site, tmp):
        path = os.path.join(site, INST, "makerere.md")
        edit(path, "city:", "city: Kampala\ncity:")
        rc, _, se = run("build", "-C", site)
        assert rc == 1, se
        got = problems(se)
        assert len(got) == 1 and got[0].startswith(
            "content/institutions/makerere.md:") and "duplicate key 'city'" in got[0], se
        assert not os.path.exists(os.path.join(site, "output")), se


@test
def one_run_a_mistake_in_a_network_or_translation_hides_no_other_error():
    """The same in a network's file, whose members then name no unknown
    network, and in a translation."""
    with min_site() as (site, tmp):
        net = os.path.join(site, "content", "networks", "africa.md")
        edit(net, "kind: regional", "kind: sideways")
        edit(net, "name: African Regional Network", 'name: "African\\0 Regional Network"')
        yml = os.path.join(site, "site.yml")
        edit(yml, "language: en", "languages: [en, fr]")
        write(os.path.join(site, INST, "makerere.fr.md"),
              "---\nname: Makerere\nname: Makerere 2\ncountry: UG\n---\n")
        rc, _, se = check(site)
        assert rc == 1, se
        got = problems(se)
        net_said = said_of(se, "content/networks/africa.md")
        assert any("name contains a NUL character" in l for l in net_said), se
        assert any("kind" in l and "sideways" in l for l in net_said), se
        assert "unknown network 'africa'" not in se, se
        tr_said = said_of(se, "content/institutions/makerere.fr.md")
        assert any("duplicate key 'name'" in l for l in tr_said), se
        assert any("country cannot be translated" in l for l in tr_said), se
        assert all(l.startswith(("content/networks/africa.md:",
                                 "content/institutions/makerere.fr.md:")) for l in got), se


@test
def one_run_a_link_to_nothing_is_the_sites_mistake():
    """A symbolic link to nothing in the site (a record's file, site.yml, a
    template, a folder on the basemap's way) was "cannot read: No such file
    or directory" and failed as an I/O error (exit 3), as a disk failing
    would. It is the site's mistake, told at the link with what it names
    (exit 1), and the build's other problems are told with it."""
    def nothing(name, target, at=None):
        return ("%s:1:1: error: %s is a symbolic link that leads to nothing (it names "
                "'%s'): remove it, or point it at what it stands for inside the site folder"
                % (at or name, name, target))

    def record_link(site):
        os.symlink("nowhere.md", os.path.join(site, INST, "dangling.md"))
        return nothing("content/institutions/dangling.md", "nowhere.md")

    def site_yml(site):
        # removed, it would be no site: only pointing it helps
        yml = os.path.join(site, "site.yml")
        os.rename(yml, os.path.join(site, "kept.yml"))
        os.symlink("site-old.yml", yml)
        return nothing("site.yml", "site-old.yml").replace(
            "remove it, or point it", "point it")

    def template(site):
        footer = os.path.join(own_theme(site), "footer.mustache")
        os.unlink(footer)
        os.symlink("footer-old.mustache", footer)
        return nothing("themes/default/templates/footer.mustache", "footer-old.mustache")

    def basemap_folder(site):
        os.symlink("old-geodata", os.path.join(site, "maps"))
        set_map_option(site, "basemap", "maps/naturalearth_lowres.shp")
        return nothing("maps", "old-geodata", at="maps/naturalearth_lowres.shp")

    def bundle_folder(site):
        # a folder is no Markdown file: it was a warning, the partner lost
        os.symlink("gone", os.path.join(site, INST, "kampala-clinic"))
        return nothing("content/institutions/kampala-clinic", "gone")

    for make in (record_link, site_yml, template, basemap_folder, bundle_folder):
        with min_site() as (site, tmp):
            want = make(site)
            rc, _, se = check(site)
            assert rc == 1, (make.__name__, rc, se)
            assert want in problems(se), (make.__name__, se)
            assert "No such file" not in se, se
            rc, _, se = run("build", "-C", site)
            assert rc == 1 and want in se, (make.__name__, rc, se)


@test
def one_run_a_theme_folder_linked_out_of_the_site_is_one_error():
    """themes (or themes/default) as a link to a folder outside the site
    was told four times, once per thing read from it: the templates, the
    English texts, map.css and the assets folder."""
    for linked in ("themes", os.path.join("themes", "default")):
        with min_site() as (site, tmp):
            outside = os.path.join(tmp, "elsewhere")
            shutil.copytree(os.path.join(ROOT, "themes"), outside)
            os.unlink(os.path.join(site, "themes"))
            if linked == "themes":
                os.symlink(outside, os.path.join(site, "themes"))
            else:
                os.mkdir(os.path.join(site, "themes"))
                os.symlink(os.path.join(outside, "default"), os.path.join(site, linked))
            bad = bad_record(site)
            rc, _, se = check(site)
            assert rc == 1, se
            assert problems(se) == [
                bad,
                "themes/default:1:1: error: %s is a symbolic link to a folder outside "
                "the site folder: copy the folder into the site folder instead" % linked,
            ], se


@test
def one_run_a_dot_part_no_language_has_is_no_translation():
    """feed.xml.md was told it translates 'feed' into xml and that xml
    should be added to languages; makerere.old.md, a copy kept aside, that
    'old' should. Neither is a language: the name is no slug, and the
    message says which to give. A language CLDR knows keeps its message."""
    with min_site() as (site, tmp):
        write(os.path.join(site, "content", "pages", "feed.xml.md"),
              "---\ntitle: Feed\n---\nText.\n")
        shutil.copy(os.path.join(site, INST, "makerere.md"),
                    os.path.join(site, INST, "makerere.old.md"))
        write(os.path.join(site, INST, "makerere.de.md"), "---\nname: Makerere\n---\n")
        rc, _, se = check(site)
        assert rc == 1, se
        assert sorted(problems(se)) == [
            "content/institutions/makerere.de.md:1:1: error: this file translates "
            "'makerere' into de, which site.yml's languages does not list: add de to "
            "languages (languages: [en, de]), or remove this file",
            "content/institutions/makerere.old.md:1:1: error: 'makerere.old' cannot be a "
            "slug (the file name is the record's address: lower-case letters, digits and "
            "single dashes); rename the file makerere-old.md",
            "content/pages/feed.xml.md:1:1: error: 'feed.xml' cannot be a slug (the file "
            "name is the record's address: lower-case letters, digits and single dashes); "
            "rename the file feed-xml.md",
        ], se


@test
def one_run_a_translation_into_an_unlisted_language_is_read_all_the_same():
    """A translation into a language site.yml does not list was told only
    that; its own errors (a field that cannot be translated, a key no
    record has, YAML of the wrong shape) came after the language was
    added. They are told with it now, and so are its broken links, read
    from the folder its language would have (de/); the file is still kept
    by no page."""
    with min_site() as (site, tmp):
        write(os.path.join(site, INST, "makerere.de.md"),
              "---\nname: Makerere\ncountry: DE\nbogus: 1\n---\n"
              "[x](../nope/) [y](../yaounde/) [z](../../about/)\n")
        rc, _, se = check(site)
        assert rc == 1, se
        assert problems(se) == [
            "content/institutions/makerere.de.md:1:1: error: this file translates "
            "'makerere' into de, which site.yml's languages does not list: add de to "
            "languages (languages: [en, de]), or remove this file",
            "content/institutions/makerere.de.md:3:1: error: country cannot be "
            "translated: it is the same in every language and comes from "
            "content/institutions/makerere.md; remove it from this file",
            "content/institutions/makerere.de.md:4:1: warning: unknown key 'bogus' "
            "(ignored) [unknown-key]",
            "content/institutions/makerere.de.md:6:5: error: the body links to "
            "'../nope/', which names no institution of the site "
            "(de/institutions/nope/)",
        ], se
        rc, _, se = run("build", "-C", site)
        assert rc == 1 and not os.path.isdir(os.path.join(site, "output", "de")), se

@test
def one_run_a_misnamed_or_refused_file_is_no_missing_one():
    """A record file that is there but refused (a named pipe) made its
    translation say that there is no such record; a translation of a
    misnamed record (Makerere.fr.md beside Makerere.md) was told to become
    makerere-fr.md, no translation's name; and a misnamed network file
    (Africa.md) made each of its members name an unknown network, though
    the file's own message tells it to become africa.md."""
    with min_site() as (site, tmp):
        edit(os.path.join(site, "site.yml"), "language: en", "languages: [en, fr]")
        os.rename(os.path.join(site, INST, "makerere.md"), os.path.join(site, INST, "Makerere.md"))
        write(os.path.join(site, INST, "Makerere.fr.md"), "---\nname: Makerere\n---\n")
        os.unlink(os.path.join(site, INST, "yaounde.md"))
        os.mkfifo(os.path.join(site, INST, "yaounde.md"))
        write(os.path.join(site, INST, "yaounde.fr.md"), "---\nname: Yaoundé\n---\n")
        nets = os.path.join(site, "content", "networks")
        os.rename(os.path.join(nets, "africa.md"), os.path.join(nets, "Africa.md"))
        rc, _, se = check(site)
        assert rc == 1, se
        slug = ("cannot be a slug (the file name is the record's address: lower-case "
                "letters, digits and single dashes); rename the file")
        assert sorted(problems(se)) == [
            "content/institutions/Makerere.fr.md:1:1: error: 'Makerere' %s makerere.fr.md" % slug,
            "content/institutions/Makerere.md:1:1: error: 'Makerere' %s makerere.md" % slug,
            "content/institutions/yaounde.md:1:1: error: content/institutions/yaounde.md is "
            "a named pipe (FIFO), not a regular file: replace it with an ordinary file",
            "content/networks/Africa.md:1:1: error: 'Africa' %s africa.md" % slug,
        ], se


@test
def one_run_a_record_whose_point_is_empty_is_told_so():
    """A point without coordinates (a null shape) was skipped with a
    warning, and its record, waiting for a location, was told to add a
    point with its slug to the file: the point it already has there."""
    with min_site() as (site, tmp):
        points_site(site, [("nairobi-school", 36.8, -1.3), ("mombasa-school", None, None)],
                    ("nairobi-school",))
        fields = record("KE", "Mombasa", 0, 0)
        del fields["location"]
        write_record(site, "mombasa-school", **fields)
        rc, _, se = check(site)
        assert rc == 1, se
        assert problems(se) == [
            "points/partners.shp:1:1: warning: record 2 has no point; skipped "
            "[points-empty-record]",
            "content/institutions/mombasa-school.md:1:1: error: no location: its point "
            "in points/partners.shp (record 2) is empty: give that point its place, or "
            "add location: [latitude, longitude]",
        ], se


@test
def one_run_an_unclosed_section_does_not_hide_a_missing_partial():
    """A template with an unclosed section was left out whole, so a
    partial it names that does not exist was told only once the section
    was closed."""
    with min_site() as (site, tmp):
        page = os.path.join(own_theme(site), "page.mustache")
        text = read(page)
        write(page, text + "{{> nosuch}}{{#open}}\n")
        n = text.count("\n") + 1
        rc, _, se = check(site)
        assert rc == 1, se
        assert problems(se) == [
            "themes/default/templates/page.mustache:%d:1: error: partial {{>nosuch}} "
            "names no template: there is no template 'nosuch'" % n,
            "themes/default/templates/page.mustache:%d:13: error: unclosed section "
            "{{#open}}: no {{/open}} follows" % n,
        ], se


@test
def one_run_two_files_told_one_name_are_told_of_each_other():
    """école.md twice, once in NFC and once in NFD (they look alike, and
    macOS and Linux write them differently), or École.md beside école.md:
    each was told to become ecole.md, and renaming both as told makes a
    clash. Each is told of the other."""
    import unicodedata
    for names, same in (((unicodedata.normalize("NFC", "école"),
                          unicodedata.normalize("NFD", "école")), True),
                        (("École", "école"), False)):
        with min_site() as (site, tmp):
            for n in names:
                shutil.copy(os.path.join(site, INST, "makerere.md"),
                            os.path.join(site, INST, n + ".md"))
            rc, _, se = check(site)
            assert rc == 1, se
            got = problems(se)
            assert len(got) == 2, se
            for mine, other in ((names[0], names[1]), (names[1], names[0])):
                want = ("content/institutions/%s.md:1:1: error: '%s' cannot be a slug (the "
                        "file name is the record's address: lower-case letters, digits and "
                        "single dashes), and %s.md beside it%s would be named ecole.md too: "
                        "keep one of the two as ecole.md, and give the other a name of its own"
                        % (mine, mine, other, " (the same name, written with other Unicode "
                           "code points)" if same else ""))
                assert want in got, (want, se)


@test
def one_run_a_theme_linked_to_nothing_is_no_installed_theme():
    """themes/default (or themes) as a link to nothing made the build take
    the installed theme without a word, and succeed: the site's own theme,
    broken, was never read."""
    for linked in ("themes", os.path.join("themes", "default")):
        with min_site() as (site, tmp):
            os.unlink(os.path.join(site, "themes"))
            if linked != "themes":
                os.mkdir(os.path.join(site, "themes"))
            os.symlink("gone", os.path.join(site, linked))
            rc, _, se = run("build", "-C", site)
            assert rc == 1, (linked, se)
            assert problems(se) == [
                "themes/default:1:1: error: %s is a symbolic link that leads to nothing "
                "(it names 'gone'): remove it, or point it at what it stands for inside "
                "the site folder" % linked], se


@test
def one_run_a_misnamed_record_is_there_for_its_translation_and_members():
    """About.md beside about.fr.md: the page is told to become about.md,
    and its translation was also told there is no about.md; africa.MD (told
    to become africa.md) made each of its members name an unknown network.
    Each misnamed file is the record it is meant to be, for the others."""
    with min_site() as (site, tmp):
        edit(os.path.join(site, "site.yml"), "language: en", "languages: [en, fr]")
        pages = os.path.join(site, "content", "pages")
        os.rename(os.path.join(pages, "about.md"), os.path.join(pages, "About.md"))
        write(os.path.join(pages, "about.fr.md"), "---\ntitle: À propos\n---\n")
        nets = os.path.join(site, "content", "networks")
        os.rename(os.path.join(nets, "africa.md"), os.path.join(nets, "africa.MD"))
        rc, _, se = check(site)
        assert rc == 1, se
        assert sorted(problems(se)) == [
            "content/networks/africa.MD:1:1: error: 'africa.MD' is not read: a record's "
            "file name ends in .md, in lower case; rename it to africa.md",
            "content/pages/About.md:1:1: error: 'About' cannot be a slug (the file name "
            "is the record's address: lower-case letters, digits and single dashes); "
            "rename the file about.md",
        ], se


@test
def one_run_a_mistake_in_a_page_setting_does_not_hide_the_content():
    """A NUL escape in site.yml's title, or the title written twice, made
    site.yml unread: only its error was told, and the records' waited,
    though only pages show the title. The same in a setting the records
    read (language twice) still makes them wait."""
    cases = [
        ('title: Partner Map Test Site', 'title: "Partner\\0 Map"', True,
         "site.yml:2:16: error: title contains a NUL character (the escape \\0)"),
        ('title: Partner Map Test Site', 'title: A\ntitle: B', True,
         "site.yml:3:1: error: duplicate key 'title' (first at line 2)"),
        ('language: en', 'language: en\nlanguage: fr', False,
         "site.yml:5:1: error: duplicate key 'language' (first at line 4)"),
    ]
    for old, new, content, first in cases:
        with min_site() as (site, tmp):
            edit(os.path.join(site, "site.yml"), old, new)
            bad = bad_record(site)
            rc, _, se = check(site)
            assert rc == 1, se
            got = problems(se)
            assert got[0].startswith(first), (new, se)
            assert (bad in got) == content and len(got) == 1 + content, (new, se)


@test
def one_run_a_bad_item_hides_no_other_item():
    """A NUL in one item of networks: hid "unknown network" of the next
    item: the whole list was left unread. A list of plain values keeps its
    other items; the bad one alone is left out (YAML and JSON)."""
    for text in (
            "---\nname: Bad School\ncountry: UG\ncity: Kampala\nlocation: [0.3, 32.5]\n"
            "networks: [global, \"afr\\0ica\", nope]\nexchanges: [undergraduate, "
            "\"p\\0g\", sideways]\n---\nBody.\n",
            '{"name": "Bad School", "country": "UG", "city": "Kampala",\n'
            ' "location": [0.3, 32.5], "networks": ["global", "afr\\u0000ica", "nope"],\n'
            ' "exchanges": ["undergraduate", "p\\u0000g", "sideways"]}\nBody.\n'):
        with min_site() as (site, tmp):
            write(os.path.join(site, INST, "bad.md"), text)
            rc, _, se = check(site)
            assert rc == 1, se
            got = said_of(se, "content/institutions/bad.md")
            assert len(got) == 4, se
            assert sum("contains a NUL character" in l for l in got) == 2, se
            assert any("unknown network 'nope'" in l for l in got), se
            assert any("unknown exchange level 'sideways'" in l for l in got), se


@test
def one_run_a_bundle_whose_record_is_misnamed_is_no_lost_partner():
    """A page bundle whose record was Index.md was a warning about a folder
    not read, and the build went on without that partner; index.old.md
    beside index.md was told to add 'old' to the site's languages."""
    with min_site() as (site, tmp):
        for folder, name in (("kampala-clinic", "Index.md"), ("mulago-school", "index.md"),
                             ("mulago-school", "index.old.md"),
                             ("mulago-school", "Index.fr.md")):
            os.makedirs(os.path.join(site, INST, folder), exist_ok=True)
            fields = record("UG", "Kampala", 0.33, 32.57)
            fields["name"] = "%s %s" % (folder, name)
            write_record(site, os.path.join(folder, name[:-3]), **fields)
        rc, _, se = run("build", "-C", site)
        assert rc == 1, se
        assert problems(se) == [
            "content/institutions/kampala-clinic/Index.md:1:1: error: not read: a page "
            "bundle's record is index.md, in lower case; rename it to index.md",
            "content/institutions/mulago-school/Index.fr.md:1:1: error: not read: a "
            "translation of the bundle's record is index.<language>.md, in lower case; "
            "rename it to index.fr.md",
            "content/institutions/mulago-school/index.old.md:1:1: warning: not read: "
            "'old' is no language, so this is no translation of index.md "
            "(index.<language>.md is); give it another name if it is one of the files "
            "the page links [ignored-file]",
        ], se


@test
def one_run_a_content_folder_linked_away_is_one_error():
    """content/ as a link out of the site, or to nothing, was told three
    times, once for each of networks, pages and institutions."""
    for target, words in ((None, "is a symbolic link to a folder outside the site folder: "
                                 "copy the folder into the site folder instead"),
                          ("gone", "is a symbolic link that leads to nothing (it names "
                                   "'gone'): remove it, or point it at what it stands "
                                   "for inside the site folder")):
        with min_site() as (site, tmp):
            content = os.path.join(site, "content")
            away = os.path.join(tmp, "away")
            os.rename(content, away)
            os.symlink(target or away, content)
            rc, _, se = check(site)
            assert rc == 1, se
            assert problems(se) == ["content:1:1: error: content " + words], se


@test
def one_run_a_misnamed_translation_of_a_bundle_is_told_to_move_in():
    """Makerere.fr.md beside the page bundle makerere/ was told to become
    makerere.fr.md, which is refused in turn: a bundle keeps its
    translations inside its folder."""
    with min_site() as (site, tmp):
        edit(os.path.join(site, "site.yml"), "language: en", "languages: [en, fr]")
        os.mkdir(os.path.join(site, INST, "makerere"))
        os.rename(os.path.join(site, INST, "makerere.md"),
                  os.path.join(site, INST, "makerere", "index.md"))
        write(os.path.join(site, INST, "Makerere.fr.md"), "---\nname: Makerere\n---\n")
        rc, _, se = check(site)
        assert rc == 1, se
        assert problems(se) == [
            "content/institutions/Makerere.fr.md:1:1: error: 'Makerere' cannot be a slug "
            "(the file name is the record's address: lower-case letters, digits and "
            "single dashes), and the record it translates is the page bundle makerere/, "
            "which keeps its translations inside: move this file to "
            "makerere/index.fr.md"], se


@test
def one_run_a_theme_assets_folder_linked_out_is_one_error():
    """themes/default/assets as a link out of the site was told twice: at
    assets/map.css, which the map's style reads, and at the folder."""
    with min_site() as (site, tmp):
        assets = os.path.join(own_theme(site), "..", "assets")
        away = os.path.join(tmp, "assets-away")
        shutil.move(assets, away)
        os.symlink(away, assets)
        for cmd in ("check", "build"):
            rc, _, se = run(cmd, "-C", site)
            assert rc == 1, se
            assert problems(se) == [
                "themes/default/assets:1:1: error: themes/default/assets is a symbolic "
                "link to a folder outside the site folder: copy the folder into the site "
                "folder instead"], (cmd, se)


@test
def one_run_a_files_problems_are_told_from_its_top():
    """A record's parser told a mistake inside a value (a NUL, a thousands
    comma) before the field checks told the lines above it: an editor
    going down the file met line 11, then line 3. Each file's problems now
    come line by line, column by column, in every report form, and files
    keep the order they are read in."""
    with min_site() as (site, tmp):
        text = ("---\nname: Order Test\ncountry: XX\ncity: Nairobi\n"
                "location: [-1.29, 36.82]\nnetworks: [nope]\n"
                'exchanges: [undergraduate, "post\\0graduate"]\n'
                "website: ftp://example.org/\n---\nBody.\n")
        for name in ("order-a", "order-b"):
            write(os.path.join(site, INST, name + ".md"), text)
        rc, _, se = check(site)
        assert rc == 1, se
        for name in ("order-a", "order-b"):
            got = [l for l in problems(se) if l.startswith("content/institutions/%s.md:" % name)]
            places = [tuple(int(x) for x in l.split(":")[1:3]) for l in got]
            assert len(places) == 4, se
            assert places == sorted(places), se
            assert places[0] == (3, 10) and places[2][0] == 7, se
        paths = [l.split(":")[0] for l in problems(se)]
        assert paths == sorted(paths), se
        rc, so, _ = check(site, "--format", "json")
        lines = [(p["path"], p["line"], p["column"]) for p in json.loads(so)]
        assert lines == sorted(lines) and len(lines) == 8, so


@test
def one_run_a_bad_item_in_an_offer_hides_nothing_around_it():
    """A NUL in one discipline of an elective left the whole electives:
    unread, so the other disciplines, the other offers and their keys were
    checked only once it was fixed. The bad item alone is left out; a
    thousands comma in months: is told as months, not "write 1000"."""
    for text in (
            "---\nname: Bad School\ncountry: UG\ncity: Kampala\nlocation: [0.3, 32.5]\n"
            "networks: [global]\nexchanges: [undergraduate]\nelectives:\n"
            "  - type: clinical\n    disciplines: [surgery, \"sur\\0gery\", nosuch]\n"
            "    months: [1,000]\n  - type: bogus\n---\nBody.\n",
            '{"name": "Bad School", "country": "UG", "city": "Kampala",\n'
            ' "location": [0.3, 32.5], "networks": ["global"], "exchanges": ["undergraduate"],\n'
            ' "electives": [{"type": "clinical", "disciplines": ["surgery", "sur\\u0000gery", "nosuch"]},\n'
            '   {"type": "bogus"}]}\nBody.\n'):
        with min_site() as (site, tmp):
            write(os.path.join(site, INST, "bad.md"), text)
            rc, _, se = check(site)
            assert rc == 1, se
            got = said_of(se, "content/institutions/bad.md")
            assert sum("contains a NUL character" in l for l in got) == 1, se
            assert any("unknown discipline 'nosuch'" in l for l in got), se
            assert any("unknown elective 'bogus'" in l for l in got), se
            if text.startswith("---"):
                assert len(got) == 4, se
                months = [l for l in got if "'1,000'" in l]
                assert len(months) == 1 and "write 1000" not in months[0], se
                assert "a month is a number from 1 to 12" in months[0], se
            else:
                assert len(got) == 3, se


@test
def one_run_a_mistake_in_an_offers_value_hides_nothing_beside_it():
    """A thousands comma in a fee ({amount: 1,000}) or a NUL in an offer's
    type left all the electives unread: a capacity beside it, another
    offer's contact, were told only after the fix."""
    got, se = said_of_bad_school(
        "networks: [global]\nexchanges: [undergraduate]\nelectives:\n"
        "  - type: clinical\n    fee: {amount: 1,000, currency: EUR}\n"
        "    capacity: lots\n  - type: \"rese\\0arch\"\n"
        "    contact: {name: A, email: bad}\n---\nBody.\n")
    assert len(got) == 4, se
    assert "'1,000' reads as 1 and a key '000'" in got[0], se
    assert "capacity must be the number of places" in got[1], se
    assert "type contains a NUL character" in got[2], se
    assert "email 'bad' does not look like an e-mail address" in got[3], se


@test
def one_run_a_folder_among_networks_or_pages_is_told_as_a_folder():
    """A folder in content/networks/ or content/pages/ was called "not a
    Markdown (.md) file". One holding index.md is a network or page the
    editor meant as a bundle, which only institutions have: an error that
    gives the file's name; an empty one is ignored, and says why."""
    with min_site() as (site, tmp):
        content = os.path.join(site, "content")
        os.makedirs(os.path.join(content, "networks", "extra"))
        write(os.path.join(content, "networks", "extra", "index.md"),
              "---\nname: Extra\nkind: regional\n---\n")
        os.makedirs(os.path.join(content, "networks", "old"))
        write(os.path.join(content, "networks", "extra", "index.fr.md"),
              "---\nname: Extra\n---\n")
        os.makedirs(os.path.join(content, "pages", "team"))
        write(os.path.join(content, "pages", "team", "index.md"), "---\ntitle: Team\n---\n")
        os.makedirs(os.path.join(content, "pages", "staff"))
        write(os.path.join(content, "pages", "staff", "staff.md"), "---\ntitle: Staff\n---\n")
        # a translation alone in a folder beside its record
        os.makedirs(os.path.join(content, "networks", "global"))
        write(os.path.join(content, "networks", "global", "index.fr.md"),
              "---\nname: Mondial\n---\n")
        # a member of the network refused is no "unknown network"
        inst = os.path.join(site, INST, "makerere.md")
        write(inst, re.sub(r"(?m)^networks: \[", "networks: [extra, ", read(inst)))
        rc, _, se = check(site)
        assert rc == 1, se
        assert problems(se) == [
            "content/networks/extra/index.md:1:1: error: not read: a network is one "
            "file, never a page bundle (only institutions have page bundles); move it "
            "to content/networks/extra.md, and index.fr.md to "
            "content/networks/extra.fr.md",
            "content/networks/global/index.fr.md:1:1: error: not read: a network's "
            "translation is one file beside its record, never in a folder; move it to "
            "content/networks/global.fr.md",
            "content/networks/old:1:1: warning: the folder content/networks/old is not "
            "read: a network is one file, content/networks/<slug>.md [ignored-file]",
            "content/pages/staff/staff.md:1:1: error: not read: a page is one file, "
            "never in a folder (only institutions have page bundles); move it to "
            "content/pages/staff.md",
            "content/pages/team/index.md:1:1: error: not read: a page is one file, "
            "never a page bundle (only institutions have page bundles); move it to "
            "content/pages/team.md"], se


@test
def one_run_keys_meant_under_an_empty_key_say_so():
    """photo: with its file: and alt: lined up under it, not indented, left
    the record without a photo and told two unknown keys, which checks:
    may silence; site.yml's map: the same, the projection chosen ignored.
    Each key of the empty one above it is an error that says so, and to
    indent it."""
    with min_site() as (site, tmp):
        path = os.path.join(site, INST, "makerere.md")
        text = read(path).replace("\n---\n", "\nphoto:\nfile: p.png\nalt: A picture\n---\n", 1)
        write(path, text)
        row = text.split("\n").index("photo:") + 1
        rc, _, se = check(site)
        assert rc == 1, se
        assert problems(se)[:2] == [
            "%s:%d:1: error: '%s' is a key of photo, on line %d, which has no value: "
            "indent it under photo" % (os.path.join(INST, "makerere.md"), row + k, key, row)
            for k, key in [(1, "file"), (2, "alt")]], se


@test
def one_run_a_record_in_no_kinds_folder_is_told_where_it_goes():
    """content/ucad.md, content/institution/x.md and content/Pages/ were
    read by no one and left out of the site without a word; an
    institution's record saved among networks got an unknown key for each
    field and "missing kind". Each is now told where it belongs, once."""
    with min_site() as (site, tmp):
        content = os.path.join(site, "content")
        write(os.path.join(content, "ucad.md"), "---\nname: UCAD\n---\n")
        os.makedirs(os.path.join(content, "institution"))
        write(os.path.join(content, "institution", "x.md"), "---\nname: X\n---\n")
        os.makedirs(os.path.join(content, "Pages"))
        os.makedirs(os.path.join(content, ".hidden"))
        rc, _, se = check(site)
        assert rc == 0, se
        assert problems(se) == [
            "content/Pages:1:1: warning: the folder content/Pages is not read: did "
            "you mean content/pages/? Its files are left out of the site until they "
            "are moved there [ignored-file]",
            "content/institution:1:1: warning: the folder content/institution is not "
            "read: did you mean content/institutions/? Its files are left out of the "
            "site until they are moved there [ignored-file]",
            "content/ucad.md:1:1: warning: not read: content/ holds only the folders "
            "institutions/, networks/ and pages/; move a record into "
            "content/institutions/, a network into content/networks/, a free page "
            "into content/pages/ [ignored-file]"], se
    with min_site() as (site, tmp):
        inst = read(os.path.join(site, INST, "makerere.md"))
        write(os.path.join(site, "content", "networks", "ucad.md"), inst)
        rc, _, se = check(site)
        assert rc == 1, se
        assert problems(se) == [
            "content/networks/ucad.md:1:1: error: this is an institution's record (it "
            "has country:), not one of content/networks/: move it to "
            "content/institutions/ucad.md"], se


@test
def one_run_a_repeated_name_is_told_at_the_name():
    """Two records or networks of one name were told at 1:1 of the later
    file; they are told at its name: line, also when the record comes
    from the record cache of the last build."""
    with min_site() as (site, tmp):
        a = record("UG", "Gulu", 2.77, 32.3)
        a["country"] = "UG"
        a["name"] = "General Hospital"
        write_record(site, "aa-general", **a)
        b = dict(a, city="Mbarara", location="[-0.6, 30.65]")
        write_record(site, "bb-general", **b)
        out = os.path.join(tmp, "out")
        for _ in range(2):  # the second from the record cache
            rc, _, se = run("build", "-C", site, "-o", out)
            assert rc == 0, se
            assert ("content/institutions/bb-general.md:2:7: warning: another institution "
                    "is also called 'General Hospital'") in se, se
        nets = os.path.join(site, "content", "networks")
        first = sorted(os.listdir(nets))[0]
        text = read(os.path.join(nets, first))
        write(os.path.join(nets, "zz-copy.md"), text)
        rc, _, se = check(site)
        assert rc == 1, se
        line = text.split("\n").index(next(l for l in text.split("\n") if l.startswith("name:"))) + 1
        assert "content/networks/zz-copy.md:%d:7: error: network name" % line in se, se


@test
def one_run_a_misnamed_bundle_and_its_misnamed_translation_are_told_together():
    """Index.md and Index.fr.md in one bundle were told in two runs: the
    translation only once the record was named index.md."""
    with min_site() as (site, tmp):
        yml = os.path.join(site, "site.yml")
        edit(yml, "language: en", "languages: [en, fr]")
        folder = os.path.join(site, INST, "bx")
        os.makedirs(folder)
        write(os.path.join(folder, "Index.md"), read(os.path.join(site, INST, "makerere.md")))
        write(os.path.join(folder, "Index.fr.md"), "---\nname: X\n---\n")
        rc, _, se = check(site)
        assert rc == 1, se
        assert said_of(se, "content/institutions/bx/Index.md") == [
            "1:1: error: not read: a page bundle's record "
            "is index.md, in lower case; rename it to index.md"], se
        assert said_of(se, "content/institutions/bx/Index.fr.md") == [
            "1:1: error: not read: a translation of the "
            "bundle's record is index.<language>.md, in lower case; rename it to "
            "index.fr.md"], se


@test
def one_run_an_item_that_is_a_list_hides_no_other_item():
    """networks: [global, [x], afrika] was told only that its items must
    be text: afrika, unknown, came one run later; so in electives'
    disciplines and months."""
    got, se = said_of_bad_school(
        "networks: [global, [x], afrika]\nexchanges: [undergraduate, {a: 1}, postgrad]\n"
        "electives:\n  - type: clinical\n    disciplines: [surgery, paediatricss, [n]]\n"
        "    months: [Jan, 13, {x: 1}]\n---\nBody.\n")
    assert len(got) == 8, se
    assert sum("must be text, not" in l for l in got) == 4, se
    for word in ("unknown network 'afrika'", "unknown exchange level 'postgrad'",
                 "unknown discipline 'paediatricss'", "unknown month '13'"):
        assert any(word in l for l in got), (word, se)
