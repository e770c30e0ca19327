"""The facet index of a large site (countries/facets.js): each word's rows
as runs of consecutive rows, a string the page parses at no cost and
decodes only when a click needs it."""
import json
import os

from e2e import test, run, min_site, write_record, record, read

# Records of a country of their own, Kenya, in directory order (their
# names sort as their numbers); every tenth row starts three with the
# Africa network. Enough records elsewhere that the site is clustered
# (above RENDER_CLUSTER_ABOVE, 1,000, in generator/render/render.h).
KENYA = 100
OTHERS = 1000


def index_of(site):
    """The value countries/facets.js hands to pmData."""
    text = read(os.path.join(site, "output", "countries", "facets.js"))
    head = 'pmData("facets",'
    assert text.startswith(head) and text.endswith(");\n"), text[:200]
    return json.loads(text[len(head):-3])


def runs_of(index, code, attr, word):
    """The runs of rows of code's institutions carrying word of facet attr."""
    at = [a for a, _ in index["facets"]].index(attr)
    words = index["facets"][at][1]
    per = index["rows"][code][at]
    c = words.index(word)
    return per[c] if c < len(per) else ""


@test
def click_facet_rows_are_runs_in_base_36():
    with min_site() as (site, tmp):
        for i in range(KENYA):
            rec = record("KE", "Nairobi %03d" % i, -1.28 + (i % 10) * 0.5, 36.8 + (i // 10) * 0.2)
            if i % 10 < 3:
                rec["networks"] = "[global, africa]"
            write_record(site, "ke-%03d" % i, **rec)
        for i in range(OTHERS):
            write_record(site, "ug-%04d" % i, **record("UG", "Gulu %04d" % i, 2.77 + (i % 20) * 0.3, 32.3 + (i // 20) * 0.05))
        rc, _, se = run("build", "-C", site)
        assert rc == 0, se
        index = index_of(site)
        # rows 0-2 carry it, then 7 skipped and 3 taken, nine times
        assert runs_of(index, "ke", "networks", "africa") == "0 3" + " 7 3" * 9
        # all 100 rows: one run, 100 written in base 36
        assert runs_of(index, "ke", "networks", "global") == "0 2s"
        assert runs_of(index, "ke", "exchanges", "undergraduate") == "0 2s"
        # a word no Kenyan school carries: no run
        assert runs_of(index, "ke", "exchanges", "postgraduate") == ""
