"""Review fixes: the output folder kept out of every folder a build reads,
positions and wording of errors in site.yml, records and i18n files, the
form of numbers and dates, and the preview server's limits."""
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

from e2e import test, run, min_site, tree_digest, TOOL

AROUND = ("partnermap: error: refusing to build into '{}': it is {}the site's "
          "{} folder, which the build reads, and a build replaces the whole output folder; "
          "choose a folder of its own with -o (the default is output/ in "
          "the site folder)")


def error_lines(stderr):
    return [l for l in stderr.splitlines() if ": error: " in l]


def write(site, rel, text):
    path = os.path.join(site, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def set_yml(site, old, new):
    """Replace old with new in site.yml (old must be there)."""
    path = os.path.join(site, "site.yml")
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    assert old in text, (old, text)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text.replace(old, new, 1))


@test
def output_folder_is_never_a_folder_the_build_reads():
    with min_site() as (site, tmp):
        write(site, "i18n/en.yml", "next: Next\n")
        write(site, "archetypes/institution.md", "---\nname: x\n---\n")
        before = tree_digest(site)
        for out, folder in (("i18n", "i18n"), ("i18n/out", "i18n"),
                            ("themes", "themes"),
                            ("themes/default/out", "themes"),
                            ("geodata", "geodata"), ("geodata/out", "geodata"),
                            ("_shared/geodata/out", "geodata"),
                            ("archetypes/out", "archetypes"),
                            ("content/out", "content")):
            # themes/ and geodata/ are links here: a relative -o through
            # a link is refused on its own (exit 2); named absolute, the
            # rule under test answers
            given = os.path.join(site, out) if out.split("/")[0] in (
                "themes", "geodata") and out not in ("themes", "geodata") else out
            rc, so, se = run("build", "-o", given, cwd=site)
            assert rc == 3, (out, rc, se)
            want = AROUND.format(given, "" if out == folder else "inside ", folder)
            assert error_lines(se) == [want], (want, se)
        assert tree_digest(site) == before


@test
def output_folder_is_never_the_basemaps_folder():
    with min_site() as (site, tmp):
        os.rename(os.path.join(site, "geodata"), os.path.join(site, "world"))
        set_yml(site, "basemap: geodata/", "basemap: world/")
        out = os.path.join(site, "world", "out")  # world/ is a link here
        rc, so, se = run("build", "-o", out, cwd=site)
        assert rc == 3, se
        want = AROUND.format(out, "inside ", "world")
        assert error_lines(se) == [want], (want, se)
        rc, so, se = run("build", "-o", "public", cwd=site)
        assert rc == 0, se


def grow(path, size):
    """Pad the file at path with a YAML comment to size bytes."""
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("#" + "x" * (size - os.path.getsize(path) - 2) + "\n")


@test
def a_file_too_large_is_named_for_what_it_is():
    big = 3355443  # 3.2 MiB
    for rel, start, noun in (
            ("i18n/en.yml", "next: Next\n", "a translation file"),
            ("content/networks/africa.md", None, "a network"),
            ("content/pages/about.md", None, "a page")):
        with min_site() as (site, tmp):
            if start is not None:
                write(site, rel, start)
            grow(os.path.join(site, rel), big)
            rc, so, se = run("build", cwd=site)
            assert rc == 1, (rel, rc, se)
            fix = ("shorten it: it needs only the texts of the theme"
                   if noun == "a translation file" else "shorten it")
            want = "%s:1:1: error: %s is 3.2 MiB; %s may be at most 1 MiB: %s" % (
                rel, rel, noun, fix)
            assert want in se.splitlines(), (want, se)


@test
def an_archetype_too_large_is_named_an_archetype():
    with min_site() as (site, tmp):
        rel = "archetypes/institution.md"
        write(site, rel, "---\nname: x\n---\n")
        grow(os.path.join(site, rel), 3355443)
        rc, so, se = run("new", "institution", "Big School", cwd=site)
        assert rc == 1, (rc, se)
        want = ("%s:1:1: error: %s is 3.2 MiB; an archetype may be at most "
                "1 MiB: shorten it: it is only the start of a new file" % (rel, rel))
        assert want in se.splitlines(), (want, se)
        assert not os.path.exists(os.path.join(site, "content", "institutions",
                                               "big-school.md"))


def append_yml(site, text):
    """Append text to site.yml; the line number its first line gets."""
    path = os.path.join(site, "site.yml")
    with open(path, encoding="utf-8") as fh:
        old = fh.read()
    if not old.endswith("\n"):
        old += "\n"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(old + text)
    return old.count("\n") + 1


def diag_lines(stderr):
    return [l for l in stderr.splitlines() if ": error: " in l or ": warning: " in l]


@test
def a_country_name_refused_is_one_error():
    for name, what in (("\"Somali\u202eland\"",
                        "name contains U+202E (RIGHT-TO-LEFT OVERRIDE), which reorders "
                        "the text shown after it; remove it (right-to-left text "
                        "needs no such character)"),
                       ("[Somaliland]", None)):
        with min_site() as (site, tmp):
            line = append_yml(site, "countries:\n  - code: XS\n    name: %s\n" % name)
            write(site, "content/institutions/hargeisa.md",
                  "---\nname: Hargeisa School\ncountry: XS\ncity: Hargeisa\n"
                  "location: [9.56, 44.06]\nnetworks: [global]\n"
                  "exchanges: [undergraduate]\n---\nA school.\n")
            rc, so, se = run("build", cwd=site)
            assert rc == 1, se
            errs = error_lines(se)
            assert len(errs) == 1, (name, se)
            assert errs[0].startswith("site.yml:%d:11: error: " % (line + 2)), se
            if what:
                assert errs[0].endswith(what), se


@test
def a_discipline_listed_twice_is_reported_at_the_second():
    with min_site() as (site, tmp):
        line = append_yml(site, "disciplines:\n  - surgery\n"
                          "  - slug: paediatrics\n    name: Paediatrics\n"
                          "  - surgery\n  - {slug: paediatrics}\n  - surgery\n")
        rc, so, se = run("build", cwd=site)
        assert rc == 0, se
        fmt = ("site.yml:%d:5: warning: discipline '%s' is listed twice (first "
               "at line %d): delete this one [listed-twice]")
        assert diag_lines(se) == [
            fmt % (line + 4, "surgery", line + 1),
            fmt % (line + 5, "paediatrics", line + 2),
            fmt % (line + 6, "surgery", line + 1)], se


@test
def a_network_or_level_listed_twice_is_reported_at_the_second():
    with min_site() as (site, tmp):
        write(site, "content/institutions/twice.md",
              "---\nname: Twice School\ncountry: UG\ncity: Kampala\n"
              "location: [0.31, 32.58]\nnetworks:\n  - global\n  - africa\n"
              "  - global\nexchanges:\n  - undergraduate\n  - undergraduate\n"
              "---\nA school.\n")
        rc, so, se = run("build", cwd=site)
        assert rc == 0, se
        rel = "content/institutions/twice.md"
        assert diag_lines(se) == [
            rel + ":9:5: warning: network 'global' is listed twice (first at "
            "line 7): delete this one [listed-twice]",
            rel + ":12:5: warning: exchange level 'undergraduate' is listed "
            "twice (first at line 11): delete this one [listed-twice]"], se


I18N_FR = """home: Accueil
institution_word:
  one: établissement
  two: deux
  other: établissements
country_word:
  other: pays
network_word:
  one: "{{#x}}"
  many: réseaux
  other: "réseaux {{>rien}}"
menu_map: "{{>carte}}"
"""


@test
def every_error_in_a_translation_file_points_at_its_key_or_value():
    with min_site() as (site, tmp):
        set_yml(site, "language: en", "language: fr")
        write(site, "i18n/fr.yml", I18N_FR)
        rc, so, se = run("build", cwd=site)
        assert rc == 1, se
        rel = "i18n/fr.yml"
        got = [l for l in diag_lines(se) if "no translation of" not in l]
        # from the top of the file (diags_sort_runs)
        assert got == [
            rel + ":2:1: warning: 'institution_word' has no 'many' form, which fr "
            "needs: the 'other' form is shown; add many: [missing-translation]",
            rel + ":4:3: warning: 'institution_word' has a 'two' form, which fr "
            "never uses (ignored): its forms are one many other [unknown-key]",
            rel + ":6:1: warning: 'country_word' has no 'one' form, which fr "
            "needs: the 'other' form is shown; add one: [missing-translation]",
            rel + ":6:1: warning: 'country_word' has no 'many' form, which fr "
            "needs: the 'other' form is shown; add many: [missing-translation]",
            rel + ":9:8: error: the text of 'network_word' is not a valid "
            "template: unclosed section {{#x}}: no {{/x}} follows",
            rel + ":11:10: error: partial {{>rien}} names no template: there is "
            "no template 'rien'",
            rel + ":12:11: error: partial {{>carte}} names no template: there is "
            "no template 'carte'"], se


@test
def sections_in_a_translation_nest_as_deep_as_in_a_template():
    for depth, want in ((900, None),
                        (1001, "i18n/en.yml:1:7: error: the text of 'home' is "
                               "not a valid template: sections nested more than "
                               "1000 deep; nest them less")):
        with min_site() as (site, tmp):
            write(site, "i18n/en.yml", 'home: "%s"\n' % (
                "{{#site}}" * depth + "Home" + "{{/site}}" * depth))
            rc, so, se = run("build", cwd=site)
            if want is None:
                assert rc == 0, se
            else:
                assert rc == 1 and error_lines(se) == [want], se


def school(electives):
    return ("---\nname: Fee School\ncountry: UG\ncity: Kampala\n"
            "location: [0.31, 32.58]\nnetworks: [global]\n"
            "exchanges: [undergraduate]\nelectives:\n%s---\nA school.\n" % electives)


@test
def numbers_and_dates_are_plain_and_in_range():
    rel = "content/institutions/fee.md"
    cases = (
        ("  - {type: clinical, fee: {amount: 1e-10, currency: USD}}\n",
         rel + ":9:36: error: amount must be written in decimal digits, such "
         "as 250 or 12.50, not 1e-10"),
        ("  - {type: clinical, fee: {amount: 0.001, currency: EUR}}\n",
         rel + ":9:36: error: amount 0.001 has 3 decimals, but EUR has 2 (ISO "
         "4217): round it to 2"),
        ("  - {type: clinical, apply_by: 0001-01-01}\n",
         rel + ":9:32: error: apply_by: 0001-01-01 is not in the years 1900 "
         "to 2200: check the year, written in full, such as 2025-09-01"),
        # a whole number in hexadecimal is told its decimal
        ("  - {type: clinical, capacity: 0x10}\n",
         rel + ":9:32: error: capacity '0x10' is hexadecimal: numbers are "
         "written in plain decimal digits; write 16"),
        ("  - {type: clinical, capacity: 0x10000}\n",
         rel + ":9:32: error: capacity must be the number of places a year, a "
         "whole number from 1 to 10000, not '0x10000'"))
    for electives, want in cases:
        with min_site() as (site, tmp):
            write(site, rel, school(electives))
            rc, so, se = run("build", cwd=site)
            assert rc == 1 and error_lines(se) == [want], (want, se)
    with min_site() as (site, tmp):
        line = append_yml(site, "max_file_size: 0x10 KB\n")
        rc, so, se = run("build", cwd=site)
        assert rc == 1, se
        assert error_lines(se) == [
            "site.yml:%d:16: error: max_file_size must be a size in decimal "
            "digits such as 5 MB, 500 KB or 65536 (bytes), more than 0 and at "
            "most 64 MB, not '0x10 KB'" % line], se


@test
def a_fee_shows_the_decimals_of_its_currency():
    with min_site() as (site, tmp):
        write(site, "content/institutions/fee.md", school(
            "  - {type: clinical, fee: {amount: 1.125, currency: BHD}}\n"))
        rc, so, se = run("build", cwd=site)
        assert rc == 0, se
        with open(os.path.join(site, "output", "institutions", "fee",
                               "index.html"), encoding="utf-8") as fh:
            page = fh.read()
        assert "1.125 BHD" in page, page


def ignored_signals(pid):
    """The signals process pid ignores: the SigIgn mask of its status."""
    with open("/proc/%d/status" % pid) as fh:
        mask = next(int(l.split()[1], 16) for l in fh if l.startswith("SigIgn:"))
    return {sig for sig in signal.Signals if mask >> (sig - 1) & 1}


@test
def children_of_the_suite_take_sigint_and_sighup():
    """A shell starts a background job with SIGINT ignored, nohup with
    SIGHUP ignored, and partnermap keeps ignored what it was given
    ignored, as shells do: a server the suite stops with SIGINT would then
    never stop. The suite's children get both as a terminal gives them,
    however the suite was started."""
    p = subprocess.Popen(["sleep", "30"])
    try:
        ignored = ignored_signals(p.pid)
    finally:
        p.kill()
        p.wait()
    assert signal.SIGINT not in ignored and signal.SIGHUP not in ignored, ignored


class Serve:
    """partnermap serve --port 0 on site (from cwd), until stop()."""

    def __init__(self, cwd, *args):
        self.tmpdir = tempfile.mkdtemp(prefix="pm-serve-tmp-")
        env = dict(os.environ, TMPDIR=self.tmpdir)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
        self.p = subprocess.Popen([TOOL, "serve", "--port", "0", *args], cwd=cwd,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env=env)
        self.lines = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(l.rstrip("\n"))
                                         for l in self.p.stdout], daemon=True).start()
        self.banner = None
        while self.banner is None:
            line = self.lines.get(timeout=60)
            if line.startswith("Serving "):
                self.banner = line
        self.port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", line).group(1))

    def ask(self, head, timeout=30):
        """The raw answer to a request whose head (without the blank line
        ending it) is sent as given."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
            s.sendall((head + "\r\n\r\n").encode("latin-1"))
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    return data
                data += chunk

    def stop(self):
        self.p.send_signal(signal.SIGINT)
        rc = self.p.wait(timeout=60)
        err = self.p.stderr.read()
        shutil.rmtree(self.tmpdir)
        assert rc == 0 and "ERROR: " not in err and "runtime error" not in err, (rc, err)


@test
def serve_names_the_site_folder_as_given():
    with min_site() as (site, tmp):
        for cwd, args, shown in ((site, (), "the current folder"),
                                 (site, ("-C", "./"), "the current folder"),
                                 (tmp, ("-C", "site/"), "site")):
            s = Serve(cwd, *args)
            try:
                assert s.banner == ("Serving the site in %s at http://127.0.0.1:%d/ "
                                    "(Ctrl-C to stop)" % (shown, s.port)), s.banner
            finally:
                s.stop()


@test
def serve_drops_idle_connections_and_refuses_two_hosts():
    with min_site() as (site, tmp):
        s = Serve(site)
        idle = []
        try:
            for _ in range(200):
                idle.append(socket.create_connection(("127.0.0.1", s.port), timeout=5))
            # the idle ones are dropped after SERVER_IDLE_SECONDS (5 s);
            # until then a new one may be turned away
            end = time.monotonic() + 20
            while True:
                try:
                    got = s.ask("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Connection: close")
                except OSError as e:
                    got = repr(e).encode()
                if got.startswith(b"HTTP/1.1 200 ") or time.monotonic() > end:
                    break
                time.sleep(1)
            assert got.startswith(b"HTTP/1.1 200 "), got[:200]
            got = s.ask("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: example.org\r\n"
                        "Connection: close")
            assert got.startswith(b"HTTP/1.1 400 "), got[:200]
            assert got.endswith(b"\r\n\r\nBad request: it has more than one Host "
                                b"header, so which site it asks for is unclear; "
                                b"send one\n"), got
        finally:
            for c in idle:
                c.close()
            s.stop()


@test
def unknown_networks_past_ten_are_one_error_and_long_ones_are_cut():
    """A record naming thousands of unknown networks gets ten errors and
    one for the rest, not one each (megabytes of messages, seconds of
    hints); a long unknown slug is quoted cut, as every value is."""
    with min_site() as (site, tmp):
        rel = "content/institutions/makerere.md"
        path = os.path.join(site, rel)
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        names = ["n%d" % i for i in range(3000)] + ["z" * 5000]
        text = re.sub(r"\nnetworks: [^\n]*", "\nnetworks: [%s]" % ", ".join(names), text, count=1)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        rc, _, se = run("check", "-C", site)
        assert rc == 1, se
        mine = [l for l in error_lines(se) if l.startswith(rel + ":")]
        assert len(mine) == 11, mine
        assert "unknown network 'n0' (there is no content/networks/n0.md;" in mine[0], mine[0]
        assert mine[10].endswith("error: 'n10' and 2990 more words from here on in this "
                                 "list are no known network either: fix them as the "
                                 "errors above say"), mine[10]
        # the long one, alone, is quoted cut at 100 bytes
        text = re.sub(r"\nnetworks: [^\n]*", "\nnetworks: [global, %s]" % ("z" * 5000), text, count=1)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        rc, _, se = run("check", "-C", site)
        assert rc == 1, se
        line = [l for l in error_lines(se) if "unknown network" in l]
        assert len(line) == 1 and "'" + "z" * 100 + "…'" in line[0] and len(line[0]) < 600, line


@test
def a_theme_without_home_list_is_told_by_check_at_the_theme():
    """Past 1000 institutions the home page loads each country's list as
    a script made with home_list: a theme without it failed the build
    (exit 3) at an output file while check passed. It is an error of the
    theme, found by check, at its templates folder."""
    from e2e import write_record, record
    with min_site() as (site, tmp):
        themes = os.path.join(site, "themes")
        real = os.path.realpath(themes)
        os.unlink(themes)
        shutil.copytree(real, themes)
        os.unlink(os.path.join(themes, "default", "templates", "home_list.mustache"))
        folder = os.path.join(site, "content", "institutions")

        def records():
            return len([f for f in os.listdir(folder) if f.endswith(".md")])

        def add(upto):
            for i in range(records(), upto):
                write_record(site, "school-%04d" % i, **dict(
                    record("UG", "Kampala", 0.3 + i / 10000.0, 32.5), name="School %d" % i))

        add(1000)
        assert records() == 1000
        rc, _, se = run("check", "-C", site)
        assert rc == 0, se  # not clustered: home_list is not needed
        add(1001)
        want = ("themes/default/templates:1:1: error: the theme has no "
                "home_list.mustache, which a site of more than 1000 institutions "
                "needs (this one has 1001): copy it from themes/default/templates/")
        for cmd in ("check", "build"):
            rc, _, se = run(cmd, "-C", site)
            assert rc == 1, (cmd, rc, se)
            assert want in se.splitlines(), (cmd, se)
        assert not os.path.exists(os.path.join(site, "output", "countries"))
