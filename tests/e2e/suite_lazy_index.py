"""The facet index and the search texts of a large site
(countries/facets.js, countries/search.js), checked byte for byte in
their encoding: made a country at a time, never as one tree, they must
still be the JSON the page's script reads, safe inside a script."""
import json
import os

from e2e import test, run, min_site, write_record, record, read
from suite_cluster import add_records, payload, country_entries

# Fields of an institution in Thailand that alone offers an elective: the
# facets of offers (types, languages, months) turn up in one country only.
ELECTIVE = dict(record("TH", "Chiang Rai", 19.9, 99.8),
                electives="[{type: clinical, languages: [fr, th], months: [11, 3]}]")
# A name that would end the script or break the line were it not escaped.
HOSTILE = 'Ecole </script><!-- "quoted" & back\\\\slash \u2028 end'


def base36(n):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    return base36(n // 36) + digits[n % 36] if n >= 36 else digits[n]


def runs_text(rows):
    """Ascending rows as the index writes them: per run of consecutive
    rows, the rows skipped since the last run and the run's length, in
    base 36, separated by spaces."""
    out, end, k = [], 0, 0
    rows = sorted(set(rows))
    while k < len(rows):
        start = rows[k]
        while k + 1 < len(rows) and rows[k + 1] == rows[k] + 1:
            k += 1
        out += [base36(start - end), base36(rows[k] + 1 - start)]
        end = rows[k] + 1
        k += 1
    return " ".join(out)


def expected_rows(facets, entries):
    """A country's rows as the index writes them, from its entries'
    data-* attributes: per facet up to the last one the country uses, per
    word code up to the last word it carries, its rows as runs."""
    rows = []
    for attr, words in facets:
        per = [[] for _ in words]
        for row, e in enumerate(entries):
            for w in e.get(attr, "").split():
                per[words.index(w)].append(row)
        while per and not per[-1]:
            per.pop()
        rows.append([runs_text(l) for l in per])
    # networks and exchanges always stand, a facet of offers only up to
    # the last one the country has
    while len(rows) > 2 and not any(facets[len(rows) - 1][0] in e for e in entries):
        rows.pop()
    return rows


@test
def lazy_index_rows_and_texts_exact_and_escaped():
    with min_site() as (site, tmp):
        add_records(site, 1000)
        write_record(site, "zz-elective", **ELECTIVE)
        fields = record("UG", "Gulu", 2.77, 32.3)
        fields["name"] = json.dumps(HOSTILE)
        write_record(site, "zz-hostile", **fields)
        rc, _, se = run("build", "-C", site)
        assert rc == 0, se
        out = os.path.join(site, "output")
        for name in ("facets.js", "search.js"):
            raw = read(os.path.join(out, "countries", name))
            # nothing a script's parser could take for markup or a line end
            for bad in ("<", ">", "&", "\u2028"):
                assert bad not in raw, (name, bad)
        index = payload(os.path.join(out, "countries", "facets.js"), "facets")
        assert index["facets"] == [
            ["networks", ["global", "africa"]],
            ["exchanges", ["undergraduate", "postgraduate"]],
            ["types", ["research", "clinical", "observership"]],
            ["languages", ["fr", "th"]], ["months", ["3", "11"]]], index["facets"]
        for code in ("cm", "th", "ug"):
            entries = country_entries(out, code)
            assert index["rows"][code] == expected_rows(index["facets"], entries), code
        # the offers' facets reach Thailand's rows alone
        assert [len(index["rows"][c]) for c in ("cm", "th", "ug")] == [3, 5, 3]
        texts = payload(os.path.join(out, "countries", "search.js"), "search")
        hostile = [t for t in texts["ug"] if "quoted" in t]
        # folded: the markup's "<" kept, and escaped in the file (above)
        assert hostile == ["ecole < script>< quoted back slash end gulu uganda"], hostile
        # one thread or two: the same bytes
        before = [read(os.path.join(out, "countries", n)) for n in ("facets.js", "search.js")]
        rc, _, se = run("build", "-C", site, "-j", "2")
        assert rc == 0, se
        assert [read(os.path.join(out, "countries", n))
                for n in ("facets.js", "search.js")] == before
