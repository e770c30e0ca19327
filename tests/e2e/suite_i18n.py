"""A site in any language: the example built in every shipped language
(<html lang> and dir, UI words, country names, dates, counts with their
plural), never depending on the machine's locale or time zone; missing
translations and unknown languages; names in the other direction kept
apart with <bdi>."""
import contextlib
import html
import os
import re
import shutil
import subprocess
import tempfile

from e2e import test, run, min_site, tree_digest, write_record, record, read, ROOT, TOOL, drop_translations
from steps import record_with


def example_copy(tmp, language):
    """The example site (records, basemap, theme) in tmp/site, with
    site.yml's language set."""
    site = os.path.join(tmp, "site")
    os.makedirs(site)
    for part in ("content", "geodata", "themes"):
        shutil.copytree(os.path.join(ROOT, part), os.path.join(site, part),
                        ignore=shutil.ignore_patterns("*.sh", "SHA256SUMS"))
    set_language(site, language)
    return site


def set_language(site, language, source=os.path.join(ROOT, "site.yml")):
    drop_translations(site)
    text = re.sub(r"(?m)^languages?:.*$", "language: %s" % language, read(source))
    with open(os.path.join(site, "site.yml"), "w", encoding="utf-8") as fh:
        fh.write(text)


def build(site, out, env=None):
    full = dict(os.environ)
    full.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    full.update(env or {})
    p = subprocess.run([TOOL, "build", "-q", "-C", site, "-o", out],
                       capture_output=True, text=True, env=full)
    return p.returncode, p.stderr


def text_of(page, pattern):
    """The text (tags removed) of the first match of pattern in page."""
    m = re.search(pattern, page, re.S)
    assert m, pattern
    return re.sub(r"<[^>]+>", "", m.group(0)).strip()


# One line per language, its fields separated by " | ": lang, dir, the
# skip link, Uganda, Makerere's joined date (2019-04-01), the home page's
# totals line, the filter status.
EXPECTED = [row.split(" | ") for row in """
en | ltr | Skip to content | Uganda | 1 April 2019 | 77 institutions in 62 countries, 3 networks | Showing 77 of 77 institutions
fr | ltr | Aller au contenu | Ouganda | 1 avril 2019 | 77 établissements dans 62 pays, 3 réseaux | 77 sur 77 établissements affichés
es | ltr | Saltar al contenido | Uganda | 1 de abril de 2019 | 77 instituciones en 62 países, 3 redes | Se muestran 77 de 77 instituciones
pt | ltr | Ir para o conteúdo | Uganda | 1 de abril de 2019 | 77 instituições em 62 países, 3 redes | A mostrar 77 de 77 instituições
ar | rtl | انتقل إلى المحتوى | أوغندا | ١ أبريل ٢٠١٩ | ٧٧ مؤسسة في ٦٢ دولة، ٣ شبكات | عرض ٧٧ من أصل ٧٧ مؤسسة
""".strip().splitlines()]


@contextlib.contextmanager
def example_site(language):
    """example_copy in a temporary folder: (site, tmp), removed after."""
    tmp = tempfile.mkdtemp(prefix="pm-e2e-")
    try:
        yield example_copy(tmp, language), tmp
    finally:
        shutil.rmtree(tmp)


@test
def i18n_example_in_every_shipped_language():
    with example_site("en") as (site, tmp):
        for lang, direction, skip, uganda, date, totals, status in EXPECTED:
            set_language(site, lang)
            out = os.path.join(tmp, "out-" + lang)
            rc, se = build(site, out)
            assert rc == 0 and se == "", (lang, rc, se)
            home = read(os.path.join(out, "index.html"))
            assert '<html lang="%s" dir="%s">' % (lang, direction) in home, lang
            assert text_of(home, r'<a class="skip-link".*?</a>') == skip
            assert text_of(home, r'<p class="totals">.*?</p>') == totals
            assert text_of(home, r'<p class="status".*?</p>') == status
            country = read(os.path.join(out, "countries", "ug", "index.html"))
            assert text_of(country, r"<h1>.*?</h1>") == uganda, lang
            inst = read(os.path.join(out, "institutions", "makerere-university",
                                     "index.html"))
            assert '<time datetime="2019-04-01">%s</time>' % date in inst, lang


@test
def i18n_joined_dates_shared_and_apart_each_show_their_own():
    """Each distinct joined date is formatted once and shared by the
    records that have it: a record shows its own date whatever the
    records before it had, and one without a date shows none."""
    dates = ["2019-04-01", "2019-04-01", "2020-11-30", None, "2019-04-01",
             "2020-11-30", "2021-01-02"]
    shown = {"2019-04-01": "1 avril 2019", "2020-11-30": "30 novembre 2020",
             "2021-01-02": "2 janvier 2021"}
    with example_site("fr") as (site, tmp):
        folder = os.path.join(site, "content", "institutions")
        names = sorted(n for n in os.listdir(folder) if n.endswith(".md") and
                       read(os.path.join(folder, n)).startswith("---\n"))[:len(dates)]
        for name, date in zip(names, dates):
            path = os.path.join(folder, name)
            text = re.sub(r"(?m)^joined:.*\n", "", read(path))
            if date:
                text = text.replace("\n", "\njoined: %s\n" % date, 1)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
        out = os.path.join(tmp, "out")
        rc, se = build(site, out)
        assert rc == 0 and se == "", se
        for name, date in zip(names, dates):
            page = read(os.path.join(out, "institutions", name[:-3], "index.html"))
            got = re.findall(r'<dt>Membre depuis le</dt>\s*<dd><time datetime="(\d{4}-\d\d-\d\d)">([^<]*)</time></dd>', page)
            assert got == ([(date, shown[date])] if date else []), (name, got)


@test
def i18n_output_ignores_the_machines_locale_and_time_zone():
    with example_site("fr") as (site, tmp):
        digests = []
        for env in ({"LANG": "C", "LC_ALL": "C", "TZ": "UTC"},
                    {"LANG": "fr_FR.UTF-8", "LC_ALL": "fr_FR.UTF-8",
                     "TZ": "Pacific/Kiritimati"}):
            out = os.path.join(tmp, "out-%d" % len(digests))
            rc, se = build(site, out, env)
            assert rc == 0 and se == "", (env, se)
            digests.append(tree_digest(out))
        assert digests[0] == digests[1]


@test
def i18n_script_texts_follow_the_language():
    with example_site("ar") as (site, tmp):
        out = os.path.join(tmp, "out")
        rc, se = build(site, out)
        assert rc == 0, se
        home = read(os.path.join(out, "index.html"))
        m = re.search(r'<p class="status"[^>]* data-texts="([^"]*)"', home)
        assert m
        assert html.unescape(m.group(1)) == (
            '{"lang":"ar","digits":"arab","status":"عرض {shown} من أصل ٧٧ مؤسسة",'
            '"place":"{city}، {country}","details_of":" عن {name}",'
            '"map_keys":"الخريطة: + و− للتكبير والتصغير، ومفاتيح الأسهم '
            'للتحريك، و0 لإعادة الضبط"}')
        # the map's country names and the marker labels are Arabic too
        assert "<title>أوغندا</title>" in home
        assert "<title>Makerere University College of Health Sciences، Kampala، أوغندا</title>" in home


def lines(stderr):
    return [l for l in stderr.splitlines() if l]


def build_with_i18n(site, lang, text):
    """Build site with its own i18n/<lang>.yml holding text: (rc, lines of
    stderr)."""
    os.makedirs(os.path.join(site, "i18n"))
    with open(os.path.join(site, "i18n", lang + ".yml"), "w", encoding="utf-8") as fh:
        fh.write(text)
    rc, so, se = run("build", "-C", site)
    return rc, lines(se)


@test
def i18n_missing_key_warns_and_shows_english():
    with min_site() as (site, tmp):
        set_language(site, "eo", os.path.join(site, "site.yml"))
        rc, said = build_with_i18n(site, "eo", "skip_to_content: Iri al la enhavo\n")
        assert rc == 0, said
        assert ("i18n/eo.yml:1:1: warning: no translation of 'menu_map': the "
                "English text is shown; add menu_map: to this file "
                "[missing-translation]") in said, said
        home = read(os.path.join(site, "output", "index.html"))
        assert '<html lang="eo" dir="ltr">' in home
        assert text_of(home, r'<a class="skip-link".*?</a>') == "Iri al la enhavo"
        assert text_of(home, r'<h2 id="map-heading">.*?</h2>') == "Partner map"


@test
def i18n_unknown_language_warns_and_builds_in_english():
    with min_site() as (site, tmp):
        set_language(site, "de", os.path.join(site, "site.yml"))
        rc, so, se = run("build", "-C", site)
        assert rc == 0, se
        assert lines(se)[0] == (
            "site.yml:4:11: warning: no translation for language 'de' "
            "(neither themes/default/i18n/de.yml nor i18n/de.yml): the pages "
            "are in English; write language: en, fr, es, pt or ar, or add "
            "i18n/de.yml to the site, with the keys of "
            "themes/default/i18n/en.yml [unknown-language]"), se
        home = read(os.path.join(site, "output", "index.html"))
        assert '<html lang="en" dir="ltr">' in home
        rc, so, se = run("build", "-C", site, "--strict")
        assert rc == 1, se


@test
def i18n_unknown_language_in_a_list_is_told_at_its_tag():
    """In languages: [en, de, fr] the warning pointed at the list's '['
    and told to write language:, the key for a site of one language: it
    points at de, and says to list languages that have a translation."""
    with min_site() as (site, tmp):
        yml = os.path.join(site, "site.yml")
        text = re.sub(r"(?m)^language: en$", "languages: [en, de, fr]", read(yml))
        with open(yml, "w", encoding="utf-8") as fh:
            fh.write(text)
        row = read(yml).split("\n").index("languages: [en, de, fr]") + 1
        rc, so, se = run("check", "-C", site)
        assert rc == 0, se
        assert lines(se)[0] == (
            "site.yml:%d:17: warning: no translation for language 'de' "
            "(neither themes/default/i18n/de.yml nor i18n/de.yml): the pages "
            "are in English; list languages that have one: en, fr, es, pt or "
            "ar, or add i18n/de.yml to the site, with the keys of "
            "themes/default/i18n/en.yml [unknown-language]" % row), se


@test
def i18n_a_language_cldr_does_not_know_is_an_error():
    """languages: [en, xx] built a copy of the site in English under xx/,
    every page marked hreflang="xx" and the switcher showing "English"
    twice. A tag CLDR names no language for is an error at the tag; an
    ISO 639-2 bibliographic code gets the tag to write."""
    with min_site() as (site, tmp):
        yml = os.path.join(site, "site.yml")
        for value, col, want in [
                ("[en, xx]", 17, "'xx' is not a language CLDR (the Unicode locale "
                 "data) knows: write its tag, such as en, fr or pt-BR"),
                ("[en, fre]", 17, "'fre' is the language's three-letter ISO 639-2 "
                 "code, where its tag has two letters: write fr"),
                ("[en, iw]", 17, "'iw' is a language tag the IANA registry has "
                 "deprecated: write he"),
                ("[en, zxx]", 17, "'zxx' is ISO 639's code for no linguistic "
                 "content, which no page is written in: write a language's tag, "
                 "such as en, fr or pt-BR")]:
            text = re.sub(r"(?m)^languages?:.*$", "languages: " + value, read(yml))
            with open(yml, "w", encoding="utf-8") as fh:
                fh.write(text)
            row = read(yml).split("\n").index("languages: " + value) + 1
            rc, so, se = run("check", "-C", site)
            assert rc == 1, se
            assert lines(se)[0] == "site.yml:%d:%d: error: %s" % (row, col, want), se


@test
def i18n_a_language_without_texts_is_named_in_itself():
    """A language CLDR knows but the theme has no texts for (de) was
    named "English" in the language switcher, as its pages fell back to
    English texts: it is named in itself, as CLDR writes it."""
    with min_site() as (site, tmp):
        yml = os.path.join(site, "site.yml")
        text = re.sub(r"(?m)^language: en$", "languages: [en, de, he]", read(yml))
        with open(yml, "w", encoding="utf-8") as fh:
            fh.write(text)
        rc, so, se = run("build", "-C", site)
        assert rc == 0, se
        home = read(os.path.join(site, "output", "de", "index.html"))
        assert re.search(r'hreflang="de"[^>]*>Deutsch</a>', home), \
            re.findall(r'<a[^>]*hreflang[^>]*>[^<]*</a>', home)
        # in its own direction
        assert re.search(r'hreflang="he" dir="rtl"[^>]*>\u05e2\u05d1\u05e8\u05d9\u05ea</a>',
                         home), re.findall(r'<a[^>]*hreflang[^>]*>[^<]*</a>', home)


@test
def i18n_folder_linked_out_of_the_site_is_told_once():
    """A site's i18n/ (or its theme's) linked to a folder outside the site
    was told once per language file, the same error three times for a
    site in three languages: it is told once, at the folder."""
    with min_site() as (site, tmp):
        yml = os.path.join(site, "site.yml")
        text = re.sub(r"(?m)^language: en$", "languages: [en, fr, es]", read(yml))
        with open(yml, "w", encoding="utf-8") as fh:
            fh.write(text)
        outside = os.path.join(tmp, "outside")
        os.makedirs(outside)
        for lang in ["en", "fr", "es"]:
            with open(os.path.join(outside, lang + ".yml"), "w", encoding="utf-8") as fh:
                fh.write("home: Start\n")
        os.symlink(outside, os.path.join(site, "i18n"))
        rc, _, se = run("check", "-C", site)
        assert rc == 1, se
        errors = [l for l in se.splitlines() if ": error: " in l]
        assert errors == ["i18n:1:1: error: i18n is a symbolic link to a folder outside "
                          "the site folder: copy the folder into the site folder "
                          "instead"], se
        os.unlink(os.path.join(site, "i18n"))
        theme_i18n = os.path.join(site, "themes", "default", "i18n")
        shutil.rmtree(theme_i18n)
        os.symlink(outside, theme_i18n)
        rc, _, se = run("check", "-C", site)
        assert rc == 1, se
        errors = [l for l in se.splitlines() if ": error: " in l]
        assert errors == ["themes/default/i18n:1:1: error: themes/default/i18n is a "
                          "symbolic link to a folder outside the site folder: copy the "
                          "folder into the site folder instead"], se
        # and nothing that only follows from it (no texts for fr, es)
        assert ": warning: " not in se, se


@test
def i18n_a_variable_the_english_text_lacks_is_told():
    """A translation's {{shwon}} for {{shown}} rendered as nothing, and the
    build said nothing. A variable the English text of that key does not
    name, nor an object of its ({{elective.label}} where it has
    {{elective.count}}), is an unknown-variable warning at the text, with
    the names it has; a section's name ({{#x}}) too. Comments, triple
    braces and the right names pass."""
    with min_site() as (site, tmp):
        set_language(site, "eo", os.path.join(site, "site.yml"))
        rc, said = build_with_i18n(
            site, "eo", 'made_with: "Farita per {{generatr}}."\n'
                        'status:\n  one: "{{shwon}} el {{count}}"\n'
                        '  other: "{{{shown}}} el {{count}}{{! komento}}"\n'
                        'home: "{{#x}}Hejmo{{/x}}"\n'
                        'elective_description: "{{elective.label}} {{elektive.label}}"\n')
        assert rc == 0, said
        warned = [l for l in said if "[unknown-variable]" in l]
        assert warned == [
            "i18n/eo.yml:1:12: warning: the text of 'made_with' names {{generatr}}, "
            "which its English text does not: a name the page does not give shows "
            "nothing (a typo?); the names it has are {{generator}} [unknown-variable]",
            "i18n/eo.yml:3:8: warning: the text of 'status' names {{shwon}}, which "
            "its English text does not: a name the page does not give shows nothing "
            "(a typo?); the names it has are {{count}} {{shown}} [unknown-variable]",
            "i18n/eo.yml:5:7: warning: the text of 'home' names {{#x}}, which its "
            "English text does not: a name the page does not give shows nothing "
            "(a typo?); it has no names [unknown-variable]",
            "i18n/eo.yml:6:23: warning: the text of 'elective_description' names "
            "{{elektive.label}}, which its English text does not: a name the page "
            "does not give shows nothing (a typo?); the names it has are "
            "{{elective.count}} {{elective.slug}} {{site.title}} [unknown-variable]"], said
    # many names in one text: one warning, naming the first three (a text
    # of 130,000 names held a build for a minute, one warning each)
    with min_site() as (site, tmp):
        set_language(site, "eo", os.path.join(site, "site.yml"))
        names = "".join("{{n%d}}" % k for k in range(50000))
        rc, said = build_with_i18n(site, "eo", 'made_with: "%s"\n' % names)
        assert rc == 0, said
        warned = [l for l in said if "[unknown-variable]" in l]
        assert warned == [
            "i18n/eo.yml:1:12: warning: the text of 'made_with' names {{n0}}, {{n1}}, "
            "{{n2}} and 49997 more, which its English text does not: a name the page "
            "does not give shows nothing (a typo?); the names it has are {{generator}} "
            "[unknown-variable]"], warned


@test
def i18n_bad_translation_is_an_error_at_its_place():
    with min_site() as (site, tmp):
        rc, said = build_with_i18n(site, "en", "home: Start\nstatus:\n  one: x\n")
        assert rc == 1, said
        assert ("i18n/en.yml:2:1: error: 'status' has no 'other' form, which "
                "every language needs: add other: with the text for most "
                "numbers") in said, said
        assert not os.path.exists(os.path.join(site, "output"))


@test
def i18n_names_in_the_other_direction_are_isolated():
    with min_site() as (site, tmp):
        write_record(site, "khartoum", **record_with("SD", "الخرطوم", 15.5, 32.53,
                                                      name="جامعة الخرطوم"))
        rc, so, se = run("build", "-C", site)
        assert rc == 0, se
        out = os.path.join(site, "output")
        home = read(os.path.join(out, "index.html"))
        assert '<bdi>جامعة الخرطوم</bdi>' in home
        assert '<bdi class="inst-city">الخرطوم</bdi>' in home
        page = read(os.path.join(out, "institutions", "khartoum", "index.html"))
        assert "<h1><bdi>جامعة الخرطوم</bdi></h1>" in page
        assert '<p class="place"><bdi>الخرطوم</bdi>, <a href="../../countries/sd/index.html"><bdi>Sudan</bdi></a></p>' in page
