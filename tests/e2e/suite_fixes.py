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
          "partnermap build never publishes, so serve never serves it\n")


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
                      "1 error, 0 warnings\n" % path), se


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
