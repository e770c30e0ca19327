"""The words of an offer follow the page's language: month names (ICU's
stand-alone forms, full and short), exchange levels, the built-in
disciplines' names and file size units, on institution pages and in the
home page's filters; English stays as it was, and disciplines site.yml
names keep the site's own names."""
import contextlib
import os
import re
import shutil
import tempfile

from e2e import test, run, min_site, write_record, record, read, ROOT

MAKERERE = os.path.join("institutions", "makerere-university", "index.html")

# For each language's folder in the output: what Makerere's first offer
# shows (the When line, one cell of the month row, the For line, its
# disciplines and its form's size) and a month and a discipline among the
# home page's filters.
EXPECTED = {
    "": ["January, February, March and April",
         '<li class="on" title="January">Jan</li>',
         "<dd>Undergraduate students</dd>",
         "<dd>Internal medicine, Paediatrics and Surgery</dd>",
         "(PDF, 2 KB)", ">January</span>", ">Paediatrics</span>"],
    "fr": ["janvier, février, mars et avril",
           '<li class="on" title="janvier">janv.</li>',
           "<dd>Étudiants de premier cycle</dd>",
           "<dd>Médecine interne, Pédiatrie et Chirurgie</dd>",
           "(PDF, 2 Ko)", ">janvier</span>", ">Pédiatrie</span>"],
    "ar": ["يناير، فبراير، مارس وأبريل",
           '<li class="on" title="يناير">يناير</li>',
           "<dd>طلاب المرحلة الجامعية الأولى</dd>",
           "<dd>الطب الباطني، طب الأطفال والجراحة</dd>",
           "(PDF, ٢ كيلوبايت)", ">يناير</span>", ">طب الأطفال</span>"],
}


@contextlib.contextmanager
def example_in(languages):
    """The example site built with site.yml's languages: set to languages:
    yields its output folder; everything is removed after."""
    tmp = tempfile.mkdtemp(prefix="pm-e2e-")
    try:
        site = os.path.join(tmp, "site")
        os.makedirs(site)
        for part in ("content", "geodata", "themes"):
            shutil.copytree(os.path.join(ROOT, part), os.path.join(site, part),
                            ignore=shutil.ignore_patterns("*.sh", "SHA256SUMS"))
        text = re.sub(r"(?m)^languages?:.*$", "languages: [%s]" % languages,
                      read(os.path.join(ROOT, "site.yml")))
        with open(os.path.join(site, "site.yml"), "w", encoding="utf-8") as fh:
            fh.write(text)
        out = os.path.join(tmp, "out")
        rc, _, se = run("build", "-q", "-C", site, "-o", out)
        assert rc == 0, se
        yield out
    finally:
        shutil.rmtree(tmp)


def missing(page, wanted):
    """The strings of wanted that page lacks."""
    return [w for w in wanted if w not in page]


@test
def offer_words_follow_the_page_language():
    with example_in("en, fr, ar") as out:
        for folder, wanted in EXPECTED.items():
            base = os.path.join(out, folder)
            page = read(os.path.join(base, MAKERERE))
            home = read(os.path.join(base, "index.html"))
            assert not missing(page + home, wanted), (folder, missing(page + home, wanted))
        # no English month or unit left on the French page
        fr = read(os.path.join(out, "fr", MAKERERE))
        assert not re.search(r">(Jan|Feb|Mar|Apr)<| KB\)|<dd>Undergraduate", fr)
        # every filter count in the page's digits: the Arabic home page's
        # counts (networks, levels, elective types, disciplines ...) are
        # all Arabic-Indic, none ASCII
        counts = re.findall(r'<span class="check-count">([^<]*)<',
                            read(os.path.join(out, "ar", "index.html")))
        assert counts and all(re.fullmatch("[(]?[\u0660-\u0669\u066c]+[)]?", c) for c in counts), counts


@test
def site_disciplines_keep_their_names_in_french():
    with min_site() as (site, tmp):
        yml = os.path.join(site, "site.yml")
        text = read(yml).replace("language: en", "language: fr")
        with open(yml, "w", encoding="utf-8") as fh:
            fh.write(text + "disciplines:\n  - {slug: surgery, name: General surgery}\n"
                     "  - tropical-medicine\n")
        fields = record("UG", "Kampala", 0.3383, 32.5761)
        fields["electives"] = ("\n  - type: clinical\n"
                               "    disciplines: [surgery, tropical-medicine]\n"
                               "    levels: [undergraduate, postgraduate]\n"
                               "    months: [9, 12]")
        write_record(site, "words", **fields)
        rc, _, se = run("build", "-q", "-C", site)
        assert rc == 0, se
        page = read(os.path.join(site, "output", "institutions", "words", "index.html"))
        wanted = ["<dd>General surgery et Tropical medicine</dd>",
                  "<dd>Étudiants de premier cycle et de cycle supérieur</dd>",
                  "<p>septembre et décembre</p>", 'title="septembre">sept.</li>']
        assert not missing(page, wanted), missing(page, wanted)
