"""Faults a newcomer meets with the README alone, each with its whole kind:
the Host header's whitespace and broken lines in partnermap serve (RFC 9110
section 5.5, RFC 9112 sections 5.1 and 5.2), the answer and the reason for
every kind of refused path, the messages refusing an output folder (no
position, no claim of an output kept that never was), a translation's name
written for a record's slug, and serve's line counting what build's
counts."""
import os
import re
import socket

import e2e
from e2e import test, run, min_site, read, write_record, record

# suite_serve's helpers, without registering its tests a second time
_registered = list(e2e.TESTS)
from suite_serve import serving, write, INST  # noqa: E402
e2e.TESTS[:] = _registered

HIDDEN = ("the path names a hidden entry (a name starting with \".\"), which "
          "no page of the site links to, so serve never serves it\n")


def ask(port, raw):
    """(status, body) for the request raw, sent as given on a connection of
    its own."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as c:
        c.sendall(raw)
        data = b"".join(iter(lambda: c.recv(65536), b""))
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def request(target, *headers):
    """A GET of target with headers (bytes, each a whole line)."""
    return b"\r\n".join((b"GET " + target + b" HTTP/1.1",) + headers +
                        (b"Connection: close", b"", b""))


# ------------------------------------------------------- serve: Host ---

FOLDED = (b"Bad request: its Host header is not on one line (a line folded onto "
          b"the next, obs-fold, which RFC 9112 section 5.2 refuses) or has a space "
          b"before its colon (section 5.1); send it on one line, such as Host: "
          b"127.0.0.1:1313\n")
BAD_NAME = (b"Bad request: the name of one of its headers holds a space or a "
            b"character a name may not have (RFC 9110, section 5.6.2), as a space "
            b"before the colon or a line folded onto the next leaves it (RFC 9112, "
            b"sections 5.1 and 5.2); send each header on one line, as Name: value\n")
EMPTY = (b"Bad request: its Host header is empty; send the host and port "
         b"partnermap serve printed, such as Host: 127.0.0.1:1313\n")


@test
def fixes_serve_host_whitespace_and_broken_lines():
    with min_site() as (site, tmp), serving(site) as s:
        home = s.get("/")[2]
        cases = [
            # the whitespace around a value is not part of it (RFC 9110, 5.5)
            ((b"Host: 127.0.0.1 ",), 200, home),
            ((b"Host: 127.0.0.1\t",), 200, home),
            ((b"Host: \t localhost:%d \t " % s.port,), 200, home),
            ((b"Host:  \t ",), 400, EMPTY),
            # a folded Host line (obs-fold), both ways it can be folded
            ((b"Host:", b" 127.0.0.1"), 400, FOLDED),
            ((b"Host: 127.0.0.1", b"\t:%d" % s.port), 400, FOLDED),
            # a space before the colon (RFC 9112, 5.1: refused with 400)
            ((b"Host : 127.0.0.1",), 400, FOLDED),
            ((b"Host: 127.0.0.1", b"Accept : */*"), 400, BAD_NAME),
            # a folded line of another field is joined to its name: no
            # harm, the field is one serve does not read
            ((b"Host: 127.0.0.1", b"X-Note: a", b" b"), 200, home),
        ]
        for headers, status, body in cases:
            got = ask(s.port, request(b"/", *headers))
            assert got == (status, body), (headers, got[0], got[1][:200])


# ------------------------------------------------------- serve: paths ---

REFUSED = [
    # (path, start of the answer's one line)
    (b"/../site.yml", b"Bad request: the path has a \"..\" segment (plain or as "
                      b"%2e%2e), which would climb out of the site; ask for a path "
                      b"inside it, such as /institutions/\n"),
    (b"/%2e%2e/site.yml", b"Bad request: the path has a \"..\" segment"),
    (b"/.git/../../site.yml", b"Bad request: the path has a \"..\" segment"),
    (b"/./index.html", b"Bad request: the path has a \".\" segment or an empty one "
                       b"(\"//\"), which name one file in several ways; write the "
                       b"path without them\n"),
    (b"//site.yml", b"Bad request: the path has a \".\" segment or an empty one"),
    (b"/institutions%2F..%2F..%2Fsite.yml",
     b"Bad request: the path has an encoded slash (%2F), which would join two "
     b"segments into one; write the slash itself\n"),
    (b"/..%5csite.yml", b"Bad request: the path has a backslash"),
    (b"/a%5csite.yml", b"Bad request: the path has a backslash (\\ or %5C), which "
                       b"some systems read as a folder separator; write / instead\n"),
    (b"/index.html%00.txt", b"Bad request: the path has a control character or NUL "
                            b"(such as %00 or %0A), which no file of the site has in "
                            b"its name; leave it out\n"),
    (b"/a%zz", b"Bad request: the path has a % that is not followed by two "
               b"hexadecimal digits; write a percent sign as %25\n"),
    (b"site.yml", b"Bad request: what it asks for is neither a path starting with / "
                  b"nor an http:// URL; ask for a path such as /institutions/\n"),
]


@test
def fixes_serve_hidden_entries_are_not_found_and_refusals_say_why():
    with min_site() as (site, tmp):
        # hidden entries the built site could be thought to hold
        os.makedirs(os.path.join(site, ".git"))
        write(os.path.join(site, ".git", "config"), "[core]\n")
        with serving(site) as s:
            missing = s.get("/no-such-page/")
            assert missing[0] == 404
            for path in (b"/.partnermap-output", b"/.git/config", b"/.well-known/",
                         b"/.well-known/security.txt", b"/%2egit/config",
                         b"/institutions/.hidden", b"/.%FF"):
                got = ask(s.port, request(path, b"Host: 127.0.0.1"))
                # the site's own 404 page, as for any file it lacks
                assert got == (404, missing[2]), (path, got[0], got[1][:200])
            for path, said in REFUSED:
                status, body = ask(s.port, request(path, b"Host: 127.0.0.1"))
                assert status == 400 and body.startswith(said), (path, status, body)
                assert body.count(b"\n") == 1 and body.endswith(b"\n"), body
        said = [l for l in s.err if l and l.startswith("partnermap: not found: ")]
        assert said == ["partnermap: not found: %s: %s" % (p, HIDDEN.rstrip("\n"))
                        for p in ("/.partnermap-output", "/.git/config", "/.well-known/",
                                  "/.well-known/security.txt", "/%2egit/config",
                                  "/institutions/.hidden", "/.%FF")], err


@test
def fixes_serve_hidden_entry_before_any_good_build():
    """While no build has succeeded, a hidden entry is still not found, and
    says why, rather than show the list of errors."""
    with min_site() as (site, tmp):
        write(os.path.join(site, "site.yml"), "title: [\n")
        with serving(site) as s:
            got = ask(s.port, request(b"/.partnermap-output", b"Host: 127.0.0.1"))
            assert got == (404, b"Not found: " + HIDDEN.encode()), got


# --------------------------------------------------- the output folder ---

AROUND = ("it is {}, and a build replaces the whole output folder; choose a "
          "folder of its own with -o (the default is output/ in the site folder)")


def refusal(out, why, after="nothing was written"):
    """The whole of stderr when the build into out is refused for why."""
    return ("partnermap: error: refusing to build into '%s': %s\n1 error, 0 warnings\n"
            "partnermap: the build failed; %s\n" % (out, why, after))


@test
def fixes_every_refused_output_folder_says_what_without_a_position():
    with min_site() as (site, tmp):
        os.makedirs(os.path.join(site, "foreign"))
        write(os.path.join(site, "foreign", "thesis.txt"), "mine\n")
        os.makedirs(os.path.join(site, "gh-pages", ".git"))
        os.symlink("foreign", os.path.join(site, "link"))
        write(os.path.join(site, "notes.txt"), "a file\n")
        os.makedirs(os.path.join(site, "maps"))
        os.rename(os.path.join(site, "_shared", "geodata"), os.path.join(site, "maps", "world"))
        os.unlink(os.path.join(site, "geodata"))
        cfg = os.path.join(site, "site.yml")
        write(cfg, read(cfg).replace("basemap: geodata/", "basemap: maps/world/"))
        cases = [
            ("foreign", "it is not empty ('thesis.txt' is in it) and partnermap did not "
                        "write it (there is no .partnermap-output in it); empty it, or "
                        "choose another folder with -o"),
            ("link", "it is a symbolic link, and partnermap replaces the output folder "
                     "itself, never through a link; give the real folder with -o"),
            ("notes.txt", "it is a file, not a folder; move it away, or choose another "
                          "folder with -o"),
            (".", AROUND.format("the site folder itself")),
            ("..", "it holds the site folder, and a build replaces the whole output "
                   "folder; choose a folder of its own with -o (the default is "
                   "output/ in the site folder)"),
            ("content/", AROUND.format("the site's content folder, which the build reads")),
            ("content/pages", AROUND.format(
                "inside the site's content folder, which the build reads")),
            ("themes", AROUND.format("the site's themes folder, which the build reads")),
            ("geodata", AROUND.format("the site's geodata folder, which the build reads")),
            ("maps/world", AROUND.format("the site's maps/world folder, which the build "
                                         "reads")),
        ]
        for out, why in cases:
            rc, so, se = run("build", "-o", out, cwd=site)
            assert (rc, so, se) == (3, "", refusal(out, why)), (out, rc, se)
        rc, _, se = run("build", "-o", "gh-pages", cwd=site)
        assert rc == 3 and se.startswith(
            "partnermap: error: refusing to build into 'gh-pages': it holds '.git'"), se
        assert se.endswith("partnermap: the build failed; nothing was written\n"), se
        # a folder partnermap wrote that has since gained a hidden entry: the
        # previous output is there, and kept
        assert run("build", "-q", cwd=site)[0] == 0
        os.makedirs(os.path.join(site, "output", ".git"))
        rc, _, se = run("build", cwd=site)
        assert rc == 3 and se.startswith(
            "partnermap: error: refusing to build into 'output': it holds '.git'"), se
        assert se.endswith("partnermap: the build failed; the previous output was kept\n"), se
        assert read(os.path.join(site, "foreign", "thesis.txt")) == "mine\n"


# ------------------------------------------------ names of translations ---

@test
def fixes_a_translation_named_for_a_network_says_which_network():
    with min_site() as (site, tmp):
        cfg = os.path.join(site, "site.yml")
        write(cfg, read(cfg).replace("language: en", "languages: [en, fr]"))
        write(os.path.join(site, "content", "networks", "africa.fr.md"),
              "---\nname: Réseau régional africain\n---\n")
        fields = record("UG", "Kampala", 0.33, 32.57)
        fields["networks"] = "[global, africa.fr]"
        path = write_record(site, "kampala-school", **fields)
        rc, _, se = run("check", "-q", "-C", site)
        assert rc == 1, se
        assert se == ("%s:6:20: error: 'africa.fr' names a translation "
                      "(content/networks/africa.fr.md translates network 'africa' "
                      "into fr), not a network: write the network's slug, africa\n"
                      "1 error, 0 warnings\n"
                      "partnermap: fix the errors above\n" % path), se


@test
def fixes_a_translation_named_by_a_point_says_which_institution():
    with min_site() as (site, tmp):
        e2e.located_by_points(site, [("nairobi-school.fr", 36.8, -1.3),
                                     ("nobody", 36.8, -1.3)])
        rc, _, se = run("check", "-C", site)
        lines = [l for l in se.splitlines() if "[points-unknown-slug]" in l]
        assert lines == [
            "points/partners.shp:1:1: warning: record 1: 'nairobi-school.fr' names a "
            "translation of institution 'nairobi-school', not an institution: write "
            "its slug, nairobi-school [points-unknown-slug]",
            "points/partners.shp:1:1: warning: record 2: no institution with slug "
            "'nobody' [points-unknown-slug]"], se


@test
def fixes_a_point_for_a_record_left_out_is_no_unknown_slug():
    """A record's error no longer stops the checks that follow, among them
    the point file's: its point for that record then said "no institution
    with slug" as well, as it did for a draft's. The record exists: only
    the record's own error is given, and nothing for the draft."""
    with min_site() as (site, tmp):
        e2e.located_by_points(site, [("nairobi-school", 36.8, -1.3),
                                     ("broken-school", 36.8, -1.3),
                                     ("draft-school", 36.8, -1.3),
                                     ("nobody", 36.8, -1.3)],
                              slugs=("nairobi-school", "broken-school", "draft-school"))
        inst = os.path.join(site, "content", "institutions")
        path = os.path.join(inst, "broken-school.md")
        text = read(path).replace("country: KE", "country: XX")
        write(path, text)
        path = os.path.join(inst, "draft-school.md")
        write(path, read(path).replace("---\nname:", "---\ndraft: true\nname:", 1))
        rc, _, se = run("check", "-C", site)
        assert rc == 1, (rc, se)
        assert [l for l in se.splitlines() if "[points-unknown-slug]" in l] == [
            "points/partners.shp:1:1: warning: record 4: no institution with slug "
            "'nobody' [points-unknown-slug]"], se
        assert "content/institutions/broken-school.md:3:10: error: unknown country code 'XX'" in se, se
        # and the point file's own warning that it has no .prj
        assert re.search(r"^1 error, 2 warnings$", se, re.M), se


# ------------------------------------------------------ serve's counts ---

@test
def fixes_serve_line_counts_what_build_counts():
    """serve's line after a build has build's counts in build's words, and
    how many institution records were read from their files, page bundles
    included, and how many were kept unchanged."""
    with min_site() as (site, tmp):
        # a page bundle, and a draft (read, never an institution)
        bundle = os.path.join(site, INST, "kampala-school")
        os.makedirs(bundle)
        os.rename(os.path.join(site, INST, write_record(site, "kampala-school", **record(
            "UG", "Kampala", 0.33, 32.57)).split("/")[-1]), os.path.join(bundle, "index.md"))
        write(os.path.join(site, INST, "draft.md"), "---\ndraft: true\nname: D\n---\n")
        rc, so, _ = run("build", "-C", site, "-o", os.path.join(tmp, "out"))
        assert rc == 0
        counts = re.match(r"partnermap: built (.*): \d+ files", so).group(1)
        assert counts == "5 institutions in 3 countries, 2 networks, 1 page", so
        with serving(site) as s:
            s.wait_line(r"^partnermap: built %s \(5 institution records read\) in \d+ ms$"
                        % re.escape(counts))
            path = os.path.join(site, INST, "makerere.md")
            write(path, read(path).replace("oldest", "eldest"))
            # the saved record, and the bundle, which is always read again
            s.wait_line(r"^partnermap: built %s \(2 institution records read, 3 unchanged\) "
                        r"in \d+ ms$" % re.escape(counts))


# -------------------------------------------- serve: the missing page ---

@test
def fixes_serve_missing_page_links_resolve_under_the_base_path():
    """404.html links from base_url's path (/map/ for the minimal site), as
    it is served at any depth: serve answers there too, so the page keeps
    its styles; the root stays the site."""
    with min_site() as (site, tmp), serving(site) as s:
        status, _, page = s.get("/.git/config")
        assert status == 404
        links = re.findall(r'href="(/map/[^"]+)"', page.decode("utf-8"))
        css = [l for l in links if l.endswith(".css")]
        assert css, links
        for link in links:
            got = s.get(link)
            assert got[0] == 200, (link, got[0])
        assert s.get(css[0])[2] == s.get(css[0][len("/map"):])[2]
        assert s.get("/map/nothing")[0] == 404
        assert s.get("/map")[0] == 301


@test
def quiet_keeps_the_line_that_says_what_a_failure_left():
    """-q leaves out the line of a build that worked, not the last line of
    one that failed, which says whether OUT_DIR still holds the previous
    build or nothing was written (found by a review: a CI log with -q had
    the errors but not that)."""
    with min_site() as (site, tmp):
        rc, so, se = run("build", "-q", "-C", site)
        assert rc == 0 and so == "" and se == "", (rc, so, se)
        fields = record("UG", "Kampala", 0.33, 32.57)
        fields["networks"] = "[no-such-network]"
        write_record(site, "kampala-school", **fields)
        rc, so, se = run("build", "-q", "-C", site)
        assert rc == 1 and so == "", (rc, so, se)
        assert se.endswith("\n1 error, 0 warnings\n"
                           "partnermap: nothing was written; fix the errors above\n"), se
        rc, so, se = run("check", "-q", "-C", site)
        assert rc == 1 and so == "", (rc, so, se)
        assert se.endswith("\n1 error, 0 warnings\npartnermap: fix the errors above\n"), se
        os.remove(os.path.join(site, "content", "institutions", "kampala-school.md"))
        out = os.path.join(site, "output")
        os.mkdir(os.path.join(out, ".git"))
        rc, so, se = run("build", "-q", "-C", site)
        assert rc == 3 and so == "", (rc, so, se)
        assert se.endswith("\n1 error, 0 warnings\npartnermap: the build failed; "
                           "the previous output was kept\n"), se
