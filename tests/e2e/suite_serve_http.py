"""partnermap serve and the rules of HTTP/1.1 on the host a request names
(RFC 9112, section 3.2), sent over a raw socket; and the shorter wait
before a build after a plain save, which must not publish a site missing a
record that an editor removed and wrote again a few milliseconds later;
and the warnings from locating a record that did not change, said again
at every build."""
import os
import socket
import time

import e2e
from e2e import test, run, min_site, read, write_record, record

# suite_serve's helpers, without registering its tests a second time
_registered = list(e2e.TESTS)
from suite_serve import Events, serving, write, replace_line, INST  # noqa: E402
e2e.TESTS[:] = _registered

HOST_REFUSED = (b"Forbidden: partnermap serve answers a request for its IP address "
                b"or localhost only; open the address it printed\n")
NO_HOST = (b"Bad request: an HTTP/1.1 request must have a Host header (RFC 9112, "
           b"section 3.2); send the host and port partnermap serve printed, such "
           b"as Host: 127.0.0.1:1313\n")
EMPTY_HOST = (b"Bad request: its Host header is empty; send the host and port "
              b"partnermap serve printed, such as Host: 127.0.0.1:1313\n")
BAD_HOST = (b"Bad request: its Host header holds more than a host and port (a user "
            b"name before \"@\", a path, a space); send only the host and port, "
            b"such as Host: 127.0.0.1:1313\n")
BAD_URL = (b"Bad request: the URL it asks for is not http://HOST/PATH (no user "
           b"name before \"@\", no other scheme); ask for a path such as "
           b"/institutions/ or a URL such as http://127.0.0.1:1313/institutions/\n")


def status_and_body(answer):
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def ask(port, line, *headers):
    """(status, body) of the request line with headers, sent as given on a
    connection of its own."""
    head = "\r\n".join((line,) + headers + ("Connection: close", "", ""))
    with socket.create_connection(("127.0.0.1", port), timeout=60) as c:
        c.sendall(head.encode("latin-1"))
        return status_and_body(b"".join(iter(lambda: c.recv(65536), b"")))


@test
def serve_http_host_rules_of_rfc_9112():
    with min_site() as (site, tmp), serving(site) as s:
        here = "127.0.0.1:%d" % s.port
        cases = [
            # (request line, headers, status, body or None for the site's page)
            ("GET / HTTP/1.1", (), 400, NO_HOST),
            ("GET / HTTP/1.0", (), 200, None),
            ("GET / HTTP/1.1", ("Host:",), 400, EMPTY_HOST),
            ("GET / HTTP/1.1", ("Host: user@" + here,), 400, BAD_HOST),
            ("GET / HTTP/1.1", ("Host: %s/institutions" % here,), 400, BAD_HOST),
            ("GET / HTTP/1.0", ("Host: evil.example",), 403, HOST_REFUSED),
            # another port: a forwarded one (ssh -L, a container) is fine
            ("GET / HTTP/1.1", ("Host: 127.0.0.1:8080",), 200, None),
            ("GET / HTTP/1.1", ("Host: localhost",), 200, None),
            # absolute-form: the URL's host counts, not the Host header's
            ("GET http://evil.example/ HTTP/1.1", ("Host: " + here,), 403, HOST_REFUSED),
            ("GET http://%s/about/ HTTP/1.1" % here, ("Host: evil.example",), 200, None),
            ("GET HTTP://localhost HTTP/1.1", ("Host: " + here,), 200, None),
            ("GET http://me@%s/ HTTP/1.1" % here, ("Host: " + here,), 400, BAD_URL),
            ("GET http:///about/ HTTP/1.1", ("Host: " + here,), 400, BAD_URL),
            ("GET https://%s/ HTTP/1.1" % here, ("Host: " + here,), 400, BAD_URL),
            ("GET http://%s/../site.yml HTTP/1.1" % here, ("Host: " + here,), 400,
             b"Bad request: the path has a \"..\" segment (plain or as %2e%2e), "
             b"which would climb out of the site; ask for a path inside it, such "
             b"as /institutions/\n"),
            # no Host at all in HTTP/1.1, even with an absolute-form target
            ("GET http://%s/ HTTP/1.1" % here, (), 400, NO_HOST),
        ]
        home = s.page("/")
        for line, headers, status, body in cases:
            got = ask(s.port, line, *headers)
            assert got[0] == status, (line, headers, got)
            if body is not None:
                assert got[1] == body, (line, headers, got)
        # the URL's path is the page served, byte for byte
        assert ask(s.port, "GET http://%s/ HTTP/1.1" % here, "Host: " + here)[1] \
            == home.encode("utf-8")
        about = ask(s.port, "GET http://%s/about/ HTTP/1.1" % here, "Host: " + here)[1]
        assert about == s.page("/about/").encode("utf-8")


@test
def serve_delete_then_create_never_publishes_the_record_missing():
    """An editor that saves by removing the file and writing it anew a few
    milliseconds later (20 ms here, longer than the quiet after a plain
    save, 10 ms): the removal keeps the longer quiet (50 ms), so
    every build sees the record, and no errors are sent."""
    with min_site() as (site, tmp), serving(site) as s:
        path = os.path.join(site, INST, "makerere.md")
        ev = Events(s.port)
        assert ev.errors() == []
        checked = 0
        for k in range(8):
            text = replace_line(path, "city", "Kampala %d" % k)
            before = s.builds()
            t0 = time.monotonic()
            os.unlink(path)
            time.sleep(0.02)
            write(path, text)
            gap = time.monotonic() - t0
            built = s.wait_line(r"^partnermap: built (\d+) institutions", count=before + 1)
            # serve notes the removal after it happened: a gap under the
            # 50 ms quiet is one for serve too; a machine too busy to
            # write within 45 ms proves nothing
            if gap < 0.045:
                checked += 1
                assert built.group(1) == "4", (k, gap, built.group(0))
            time.sleep(0.2)
        assert checked >= 3, "the machine was too busy: %d checked" % checked
        assert "Kampala 7" in s.page("/institutions/makerere/")
        got = ev.quiet(0.5)
        assert [e for e in got if e[0] == "errors"] == [], got
        ev.close()
        assert "Kampala 7" in read(path)


@test
def serve_says_a_partners_place_on_the_map_again_after_another_save():
    """Where a record lands on the map is kept with it while the record and
    the basemap stay; the warnings locating it gave are said again at each
    build, as partnermap build says them."""
    with min_site() as (site, tmp):
        write_record(site, "lost", **record("UG", "Lost At Sea", 0.0, -30.0))
        _, _, said = run("check", "-C", site)
        warning = [l for l in said.splitlines() if "lost.md" in l]
        assert len(warning) == 1 and "outside any country" in warning[0], said
        with serving(site) as s:
            path = os.path.join(site, INST, "makerere.md")
            for k in range(2):
                write(path, replace_line(path, "city", "Kampala %d" % k))
                s.wait_line(r"^partnermap: built ", count=2 + k)
            s.wait_line(r"lost\.md", lines=s.err, count=3)
            with s.lines:
                got = [l for l in s.err if l and "lost.md" in l]
            assert got == warning * 3, got
