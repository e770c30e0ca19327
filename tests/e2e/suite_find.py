"""Helping students find a school: the text alternatives of locator maps,
structured data and sharing tags, the OpenStreetMap link, and the pages and
CSV files filtered by elective type that work without JavaScript."""
import contextlib
import os
import xml.etree.ElementTree as ET

from e2e import test, run, min_site, read

SVG_NS = "{http://www.w3.org/2000/svg}"


@contextlib.contextmanager
def built_min_site(edit=None):
    """The minimal site, changed by edit(site) when given, built; yields
    (site, out)."""
    with min_site() as (site, tmp):
        if edit:
            edit(site)
        out = os.path.join(tmp, "out")
        rc, _, se = run("build", "-C", site, "-o", out)
        assert rc == 0, se
        yield site, out


def page(out, *parts):
    return read(os.path.join(out, *parts, "index.html"))


def locator_text(html):
    """The <title> and <desc> of the page's locator map."""
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg" class="pm-map"')
    svg = ET.fromstring(html[start:html.index("</svg>", start) + 6])
    return svg.find(SVG_NS + "title").text, svg.find(SVG_NS + "desc").text


@test
def find_locator_maps_say_what_they_show():
    with built_min_site() as (_, out):
        # two partners in Uganda: the country page marks both
        title, desc = locator_text(page(out, "countries", "ug"))
        assert title == "Uganda", title
        assert desc == ("Map of Uganda and the countries around it, marking "
                        "its 2 partner institutions."), desc
        # one in Cameroon: named
        _, desc = locator_text(page(out, "countries", "cm"))
        assert desc == ("Map of Cameroon and the countries around it, marking "
                        "its one partner institution, Faculté de Médecine et "
                        "des Sciences Biomédicales, Université de Yaoundé I "
                        "in Yaoundé."), desc
        # an institution page marks the institution alone
        title, desc = locator_text(page(out, "institutions", "mengo-hospital"))
        assert title == "Mengo Hospital", title
        assert desc == ("Map of Uganda and the countries around it, marking "
                        "Mengo Hospital in Kampala."), desc
