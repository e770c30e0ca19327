"""Texts in the site's other languages and the data its scripts read: the
data files a large site's page loads (countries/<code>/list-N.js,
countries/search.js) keep a record's U+2028, U+2029, "</script" and "<!--"
escaped inside their strings."""
import json
import os
import re

from e2e import test, run, min_site, write_record, record, read

import suite_cluster
import suite_offers
import suite_reuse
import suite_languages
from suite_languages import put

LINKED_OUT = ("site.fr.yml:1:1: error: site.fr.yml is a symbolic link to a file outside "
              "the site folder: copy the file into the site folder instead")

# A name with every character that could end a JavaScript string or a
# script element early.
HOSTILE = "Evil\u2028School\u2029 </script><!-- x --> & <b>"
RAW = ["\u2028", "\u2029", "</script", "<!--", "-->"]


def hostile_large_site(site):
    """The minimal site, clustered (its data in scripts), with one record
    named HOSTILE in Uganda."""
    suite_cluster.add_records(site, suite_cluster.CLUSTER_ABOVE)
    fields = record("UG", "Kampala", 0.35, 32.6)
    fields["name"] = json.dumps(HOSTILE)
    write_record(site, "aaa-hostile", **fields)


@test
def translations_js_data_escapes_script_breakers():
    with min_site() as (site, tmp):
        hostile_large_site(site)
        rc, _, se = run("build", "-q", "-C", site)
        assert rc == 0, se
        out = os.path.join(site, "output")
        for rel, key in (("countries/ug/list-1.js", "ug-1"),
                         ("countries/search.js", "search")):
            text = read(os.path.join(out, rel))
            for raw in RAW:
                assert raw not in text, (rel, raw)
            # the value is the same once the script's JSON is read
            value = suite_cluster.payload(os.path.join(out, rel), key)
            if key == "search":
                # the search text is folded: marks and separators go
                entry = value["ug"][0]
                assert entry == "evil school < script>< x > <b> kampala uganda", entry
            else:
                assert ("<bdi>Evil\u2028School\u2029 &lt;/script&gt;&lt;!-- x --&gt; "
                        "&amp; &lt;b&gt;</bdi>") in value["html"], value["html"][:600]
        assert "Evil\\u2028School\\u2029" in read(os.path.join(out, "countries/ug/list-1.js"))
        assert "evil school \\u003c script\\u003e" in text


@test
def translations_tags_in_any_case_build_the_usual_folder():
    with min_site() as (site, tmp):
        suite_languages.two_languages(site)
        yml = read(os.path.join(site, "site.yml"))
        put(site, "site.yml", yml.replace("languages: [en, fr]", "languages: [EN, FR]"))
        os.rename(os.path.join(site, "content/pages/about.fr.md"),
                  os.path.join(site, "content/pages/about.Fr.md"))
        out = os.path.join(tmp, "out")
        rc, _, se = run("build", "-q", "-C", site, "-o", out)
        assert rc == 0, se
        assert sorted(os.listdir(out)).count("fr") == 1
        assert not os.path.exists(os.path.join(out, "FR"))
        about = read(os.path.join(out, "fr", "about", "index.html"))
        assert '<html lang="fr" dir="ltr">' in about
        assert "<h1>À propos du réseau</h1>" in about
        assert '<link rel="alternate" hreflang="fr" href="%sfr/about/">' % suite_languages.BASE in about
        assert '<html lang="en" dir="ltr">' in read(os.path.join(out, "index.html"))


# Forms of several kinds, and what each page's language calls them.
KIND_FILES = ["a.docx", "b.xlsx", "c.png", "d.zip", "e.pdf"]
KINDS = {
    "": ["Word document", "spreadsheet", "PNG image", "ZIP archive", "PDF"],
    "fr/": ["document Word", "tableur", "image PNG", "archive ZIP", "PDF"],
    "ar/": ["مستند Word", "جدول بيانات", "صورة PNG", "أرشيف ZIP", "PDF"],
}


@test
def translations_file_kinds_in_the_page_language():
    forms = ", ".join("{file: %s, title: F%d}" % (f, i) for i, f in enumerate(KIND_FILES))
    fields = ("electives:\n  - type: clinical\n    disciplines: [surgery]\n"
              "    forms: [%s]\n" % forms)
    # each begins as its kind does (a build checks the first bytes)
    first = {"docx": b"PK\x03\x04", "xlsx": b"PK\x03\x04", "zip": b"PK\x03\x04",
             "png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-1.7\n"}
    files = {f: first[f.rsplit(".", 1)[1]] + b"x" * 10 for f in KIND_FILES}
    files["c.png"] = suite_offers.png(4, 3)
    with suite_offers.bundle_site(fields, files, body="") as site:
        yml = read(os.path.join(site, "site.yml"))
        put(site, "site.yml", re.sub(r"(?m)^language: en$", "languages: [en, fr, ar]", yml))
        rc, _, se = run("build", "-q", "-C", site)
        assert rc == 0, se
        for prefix, words in KINDS.items():
            html = read(os.path.join(site, "output", prefix + "institutions/makerere/index.html"))
            got = re.findall(r'<span class="file-meta">\(([^,]+), ', html)
            assert got == words, (prefix, got)


def site_texts_site(site, texts):
    """The minimal site in English and French, and site.fr.yml holding
    texts."""
    suite_languages.two_languages(site)
    put(site, "site.fr.yml", texts)


@test
def translations_site_texts_in_french_with_fallback():
    with min_site() as (site, tmp):
        site_texts_site(site, "title: Réseau d'essai\nintro: Trouvez une école.\n")
        rc, _, se = run("build", "-q", "-C", site)
        assert rc == 0, se
        out = os.path.join(site, "output")
        fr = read(os.path.join(out, "fr", "index.html"))
        assert "<h1><bdi>Réseau d&#39;essai</bdi></h1>" in fr
        assert '<div class="intro" dir="auto"><p>Trouvez une école.</p></div>' in fr
        # left out: the English text, marked as English
        assert '</strong> <span lang="en">Sample data for tests.</span></p>' in fr
        en = read(os.path.join(out, "index.html"))
        assert ('<div class="intro" dir="auto"><p>Medical schools that exchange '
                'students with one another.</p></div>') in en
        assert "<strong>Note:</strong> Sample data for tests.</p>" in en
        assert "Réseau" not in en


@test
def translations_site_texts_errors():
    cases = [
        ("site.fr.yml", "title: T\nbase_url: https://x.org/\n",
         ["site.fr.yml:2:1: error: base_url cannot be translated: it is the same in "
          "every language and comes from site.yml; remove it from this file"]),
        ("site.de.yml", "title: T\n",
         ["site.de.yml:1:1: error: this file translates 'site.yml' into de, which "
          "site.yml's languages does not list: add de to languages (languages: "
          "[en, fr, de]), or remove this file"]),
        ("site.EN.yml", "title: T\n",
         ["site.EN.yml:1:1: error: this file translates 'site.yml' into en, the "
          "default language: put its text in site.yml and remove this file"]),
        ("site.Fr.yml", "title: T\n",
         ["site.Fr.yml:1:1: error: this file and site.fr.yml both translate "
          "'site.yml' into fr: keep site.fr.yml (its name writes the language tag "
          "in its usual case) and remove this file, after copying into site.fr.yml "
          "any text only this file has"]),
    ]
    for name, text, want in cases:
        with min_site() as (site, tmp):
            site_texts_site(site, "title: Réseau\n")
            put(site, name, text)
            rc, _, se = run("build", "-q", "-C", site)
            assert rc == 1, (name, se)
            got = [l for l in se.splitlines() if ": error: " in l]
            assert got == want, (name, got)


@test
def translations_site_texts_linked_out_of_the_site_is_an_error():
    with min_site() as (site, tmp):
        site_texts_site(site, "title: Réseau\n")
        outside = os.path.join(tmp, "outside.yml")
        put(tmp, "outside.yml", "title: Dehors\n")
        os.unlink(os.path.join(site, "site.fr.yml"))
        os.symlink(outside, os.path.join(site, "site.fr.yml"))
        rc, _, se = run("build", "-q", "-C", site)
        assert rc == 1, se
        got = [l for l in se.splitlines() if ": error: " in l]
        assert got == [LINKED_OUT], got


@test
def translations_site_texts_edit_rebuilds_kept_pages():
    with min_site() as (site, tmp):
        site_texts_site(site, "title: Réseau d'essai\n")
        suite_reuse.build(site)
        put(site, "site.fr.yml", "title: Réseau modifié\n")
        suite_reuse.build(site)
        page = read(os.path.join(site, "output", "fr", "institutions", "makerere", "index.html"))
        assert "<bdi>Réseau modifié</bdi>" in page
        suite_reuse.assert_like_clean(site, tmp, "after editing site.fr.yml: ")
