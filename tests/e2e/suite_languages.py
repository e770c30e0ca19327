"""A site in several languages: languages: [en, fr] builds the default at the
top and French under fr/, each page with its hreflang alternates and a
language switcher that keeps the reader on the same page; one sitemap with
every language's pages and their alternates; a feed per language; the open
data once; a note where a text is shown untranslated; translation files
that set what cannot be translated, and the single-language site unchanged."""
import os
import re
import xml.etree.ElementTree as ET

from e2e import test, run, min_site, tree_digest, read, html_pages, resolve, html_unescape

BASE = "https://partners.example.org/map/"
NOTE_FR = ("Cette description n’est pas encore disponible en français : "
           "elle est affichée dans la langue principale du site.")


def put(site, rel, text):
    path = os.path.join(site, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def two_languages(site):
    """The minimal site in English and French, with French texts for the
    About page, the African network and Makerere (name and body)."""
    yml = read(os.path.join(site, "site.yml"))
    put(site, "site.yml", re.sub(r"(?m)^language: en$", "languages: [en, fr]", yml))
    put(site, "content/pages/about.fr.md",
        "---\ntitle: À propos du réseau\n---\nDes écoles partenaires.\n")
    put(site, "content/networks/africa.fr.md",
        "---\nname: Réseau régional africain\ndescription: Écoles d’Afrique.\n"
        "---\nUn réseau régional.\n")
    put(site, "content/institutions/makerere.fr.md",
        "---\nname: Université Makerere\n---\nUne école à Kampala.\n")


def build_two(tmp, site):
    two_languages(site)
    out = os.path.join(tmp, "out")
    rc, _, se = run("build", "-q", "-C", site, "-o", out)
    assert rc == 0, se
    return out


def pages_of(out):
    """Every page of the default tree, as paths relative to out."""
    return [os.path.relpath(p, out) for p in html_pages(out)
            if not os.path.relpath(p, out).startswith("fr" + os.sep)]


def page_url(rel):
    rel = rel.replace(os.sep, "/")
    if rel == "404.html":
        return rel
    return rel[:-len("index.html")]


@test
def languages_every_page_in_both_with_lang_and_alternates():
    with min_site() as (site, tmp):
        out = build_two(tmp, site)
        pages = pages_of(out)
        assert len(pages) > 10, pages
        fr_pages = [os.path.relpath(p, os.path.join(out, "fr"))
                    for p in html_pages(os.path.join(out, "fr"))]
        assert sorted(fr_pages) == sorted(pages)
        for rel in pages:
            path = page_url(rel)
            for lang, prefix in (("en", ""), ("fr", "fr/")):
                html = read(os.path.join(out, prefix + rel))
                assert '<html lang="%s" dir="ltr">' % lang in html, (lang, rel)
                links = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
                assert links == [("en", BASE + path), ("fr", BASE + "fr/" + path),
                                 ("x-default", BASE + path)], (lang, rel, links)


@test
def languages_switcher_lands_on_the_same_page():
    with min_site() as (site, tmp):
        out = build_two(tmp, site)
        item = re.compile(r'<li><a href="([^"]+)" lang="(\w+)" hreflang="(\w+)" dir="ltr"'
                          r'( aria-current="page")?>([^<]+)</a></li>')
        for rel in pages_of(out):
            if rel == "404.html":
                continue  # its links start from the site's path
            for lang, prefix in (("en", ""), ("fr", "fr/")):
                page = os.path.join(out, prefix + rel)
                nav = re.search(r'<nav class="site-nav language-switch" aria-label="([^"]+)">(.*?)</nav>',
                                read(page), re.S)
                assert nav, page
                assert nav.group(1) == {"en": "Languages", "fr": "Langues"}[lang]
                got = item.findall(nav.group(2))
                assert [(g[1], g[2], g[4]) for g in got] == [
                    ("en", "en", "English"), ("fr", "fr", "Français")], got
                for href, tag, _, current, _ in got:
                    target = os.path.normpath(resolve(out, page, html_unescape(href)))
                    want = os.path.normpath(os.path.join(out, ("fr/" if tag == "fr" else "") + rel))
                    assert target == want, (page, href)
                    assert os.path.isfile(target)
                    assert bool(current) == (tag == lang), (page, tag)


@test
def languages_sitemap_lists_every_language_with_alternates():
    with min_site() as (site, tmp):
        out = build_two(tmp, site)
        ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
              "x": "http://www.w3.org/1999/xhtml"}
        root = ET.parse(os.path.join(out, "sitemap.xml")).getroot()
        urls = root.findall("s:url", ns)
        pages = [p for p in pages_of(out) if p != "404.html"]
        assert len(urls) == 2 * len(pages)
        locs = set()
        for u in urls:
            loc = u.find("s:loc", ns).text
            locs.add(loc)
            path = loc[len(BASE):]
            if path.startswith("fr/"):
                path = path[3:]
            alts = [(a.get("rel"), a.get("hreflang"), a.get("href"))
                    for a in u.findall("x:link", ns)]
            assert alts == [("alternate", "en", BASE + path),
                            ("alternate", "fr", BASE + "fr/" + path),
                            ("alternate", "x-default", BASE + path)], alts
        assert BASE + "fr/institutions/makerere/" in locs
        assert not os.path.exists(os.path.join(out, "fr", "sitemap.xml"))


@test
def languages_one_feed_each_open_data_once():
    with min_site() as (site, tmp):
        out = build_two(tmp, site)
        atom = "{http://www.w3.org/2005/Atom}"
        for prefix in ("", "fr/"):
            feed = ET.parse(os.path.join(out, prefix + "feed.xml")).getroot()
            assert feed.find(atom + "id").text == BASE + prefix
            for e in feed.findall(atom + "entry"):
                href = e.find(atom + "link").get("href")
                assert href.startswith(BASE + prefix + "institutions/"), href
        fr_feed = read(os.path.join(out, "fr", "feed.xml"))
        assert "Université Makerere" in fr_feed
        for name in ("partners.csv", "partners.geojson"):
            assert os.path.isfile(os.path.join(out, name))
            assert not os.path.exists(os.path.join(out, "fr", name))
        home = read(os.path.join(out, "fr", "index.html"))
        assert '<a href="../partners.geojson">GeoJSON</a>' in home
        assert '<a href="../partners.csv">CSV</a>' in home
        assert re.search(r'href="\.\./assets/style\.[0-9a-f]+\.css"', home)


@test
def languages_fallback_says_so_and_marks_the_text():
    with min_site() as (site, tmp):
        out = build_two(tmp, site)
        fr = os.path.join(out, "fr")
        yaounde = read(os.path.join(fr, "institutions", "yaounde", "index.html"))
        assert '<p class="sample-note fallback-note">%s</p>' % NOTE_FR in yaounde
        assert '<div class="prose" dir="auto" lang="en">' in yaounde
        makerere = read(os.path.join(fr, "institutions", "makerere", "index.html"))
        assert "fallback-note" not in makerere
        assert "<h1><bdi>Université Makerere</bdi></h1>" in makerere
        assert "<p>Une école à Kampala.</p>" in makerere
        africa = read(os.path.join(fr, "networks", "africa", "index.html"))
        assert "fallback-note" not in africa
        assert '<p class="lead" dir="auto">Écoles d’Afrique.</p>' in africa
        about = read(os.path.join(fr, "about", "index.html"))
        assert "<h1>À propos du réseau</h1>" in about
        assert "fallback-note" not in about
        # nothing is said in the default language
        for page in html_pages(out):
            if not os.path.relpath(page, out).startswith("fr"):
                assert "fallback-note" not in read(page), page
        # the name is French in the lists of the French tree, English at the top
        assert "Université Makerere" in read(os.path.join(fr, "index.html"))
        assert "Université Makerere" not in read(os.path.join(out, "index.html"))


@test
def languages_translation_of_a_fixed_field_is_an_error():
    with min_site() as (site, tmp):
        two_languages(site)
        put(site, "content/institutions/makerere.fr.md",
            "---\nname: Université Makerere\nlocation: [1, 2]\n---\n")
        put(site, "content/pages/join.fr.md", "---\ntitle: Adhérer\n---\n")
        rc, _, se = run("build", "-q", "-C", site, "-o", os.path.join(tmp, "out"))
        assert rc == 1, se
        assert ("content/institutions/makerere.fr.md:3:1: error: location cannot be "
                "translated: it is the same in every language and comes from "
                "content/institutions/makerere.md; remove it from this file") in se, se
        assert ("content/pages/join.fr.md:1:1: error: this file translates 'join' "
                "into fr, but there is no content/pages/join.md: write the record "
                "in the default language (en) first, or rename this file after the "
                "record it translates") in se, se


@test
def languages_one_language_builds_as_before():
    """languages: [en] is language: en; a stray about.fr.md in a one-language
    site is an error that says how to add French."""
    with min_site() as (site, tmp):
        a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
        assert run("build", "-q", "-C", site, "-o", a)[0] == 0
        yml = read(os.path.join(site, "site.yml"))
        put(site, "site.yml", yml.replace("language: en\n", "languages: [en]\n"))
        assert run("build", "-q", "-C", site, "-o", b)[0] == 0
        assert tree_digest(a) == tree_digest(b)
        assert not os.path.exists(os.path.join(a, "fr"))
        put(site, "content/pages/about.fr.md", "---\ntitle: À propos\n---\n")
        rc, _, se = run("build", "-q", "-C", site, "-o", b)
        assert rc == 1
        assert ("content/pages/about.fr.md:1:1: error: this file translates 'about' "
                "into fr, which site.yml's languages does not list: add fr to "
                "languages (languages: [en, fr]), or remove this file") in se, se


@test
def languages_offer_facet_and_elective_words_are_french():
    """The words that were English in every language: the confirmation
    line and its date, the facet legends, the elective pages."""
    with min_site() as (site, tmp):
        path = os.path.join(site, "content", "institutions", "makerere.md")
        put(site, path, read(path).replace("joined: 2019-04-01\n",
                                           "joined: 2019-04-01\nupdated: 2024-04-25\n"))
        out = build_two(tmp, site)
        fr = os.path.join(out, "fr")
        expected = [
            ("institutions/makerere", '<p class="confirmed">Informations confirmées pour la '
             'dernière fois le <time datetime="2024-04-25">25 avril 2024</time>.</p>'),
            ("institutions/makerere", '<h2 id="offers-heading">Stages proposés</h2>'),
            ("institutions/makerere", '<h3 id="offer-1">Stage : Clinique</h3>'),
            ("institutions/makerere", "<div><dt>Durée</dt><dd>Non précisé</dd></div>"),
            ("institutions/yaounde",
             '<p class="confirmed">Informations pas encore confirmées par le partenaire.</p>'),
            ("", '<legend>Type de stage <span class="legend-hint">(cochez pour affiner)</span></legend>'),
            ("", ">Télécharger cette liste (CSV)</a>"),
            ("electives/clinical", "<h1>Stages : Clinique</h1>"),
            ("electives/clinical", '<h2 id="members-heading">Par pays</h2>'),
        ]
        for page, needle in expected:
            assert needle in read(os.path.join(fr, page, "index.html")), (page, needle)
        english = read(os.path.join(out, "institutions", "makerere", "index.html"))
        assert ('<p class="confirmed">Information last confirmed on '
                '<time datetime="2024-04-25">25 April 2024</time>.</p>') in english


@test
def languages_a_page_cannot_take_another_languages_folder():
    """fr.md as a free page was written to fr/index.html, the French home
    page's file: one of the two was lost. Any letter case is the same
    folder on macOS and Windows; the default language has no folder."""
    with min_site() as (site, tmp):
        two_languages(site)
        yml = read(os.path.join(site, "site.yml"))
        put(site, "site.yml", yml.replace("languages: [en, fr]", "languages: [en, fr, pt-BR]"))
        put(site, "content/pages/fr.md", "---\ntitle: France\n---\nText.\n")
        put(site, "content/pages/pt-br.md", "---\ntitle: Brasil\n---\nText.\n")
        put(site, "content/pages/en.md", "---\ntitle: English\n---\nText.\n")
        out = os.path.join(tmp, "out")
        rc, _, se = run("build", "-C", site, "-o", out)
        assert rc == 1, se
        assert ("content/pages/fr.md:1:1: error: a page cannot be called 'fr': the site's "
                "pages in fr (languages: in site.yml) are in the fr/ folder; rename the file") in se, se
        assert ("content/pages/pt-br.md:1:1: error: a page cannot be called 'pt-br': the "
                "site's pages in pt-BR (languages: in site.yml) are in the pt-BR/ folder") in se, se
        assert "en.md" not in se and "2 errors" in se, se
        assert not os.path.exists(out)
        # partnermap new says so before writing a file
        os.unlink(os.path.join(site, "content", "pages", "fr.md"))
        os.unlink(os.path.join(site, "content", "pages", "pt-br.md"))
        rc, _, se = run("new", "-C", site, "page", "FR")
        assert rc == 1, se
        # no file is written: the mistake is the command line's
        assert se.startswith("partnermap: error: a page cannot be called 'fr': "
                             "the site's pages in fr (languages: in site.yml) are in the fr/ "
                             "folder; give it another slug with --slug SLUG (e.g. --slug fr-page)"), se
        assert not os.path.exists(os.path.join(site, "content", "pages", "fr.md"))
        # what a message suggests is never refused in turn
        rc, _, se = run("new", "-C", site, "page", "France", "--slug", "FR")
        assert rc == 2 and "did you mean --slug fr-page?" in se, se
        for name, want in (("FR", "fr-page"), ("Electives", "electives-page")):
            put(site, "content/pages/%s.md" % name, "---\ntitle: X\n---\n")
            rc, _, se = run("check", "-C", site)
            assert rc == 1 and ("content/pages/%s.md:1:1: error: '%s' cannot be a slug (the "
                                "file name is the record's address: lower-case letters, "
                                "digits and single dashes); rename the file %s.md"
                                % (name, name, want)) in se, se
            os.unlink(os.path.join(site, "content", "pages", name + ".md"))
        rc, _, se = run("new", "-C", site, "page", "Francais", "--slug", "fr-page")
        assert rc == 0, se
        rc, _, se = run("build", "-q", "-C", site, "-o", out)
        assert rc == 0, se
        assert os.path.isfile(os.path.join(out, "fr-page", "index.html"))
        assert 'lang="fr"' in read(os.path.join(out, "fr", "index.html"))
