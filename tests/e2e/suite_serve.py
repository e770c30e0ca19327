"""partnermap serve: the live preview. A server is started on a copy of the
minimal site at a free port (--port 0) with a TMPDIR of its own; pages are
fetched over HTTP, the event stream is read in a thread, and the site is
edited in every way editors save files. Every wait is bounded, so a hang
fails the test instead of blocking the suite."""
import contextlib
import http.client
import json
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

from e2e import test, run, min_site, tree_digest, write_record, record, read, TOOL

# The sanitizer build is slow: a build of the minimal site takes about a
# second, more on a busy machine.
WAIT = 60
TAG = re.compile(r'<script src="/_partnermap/live\.js\?build=\d+"></script>\n')
INST = os.path.join("content", "institutions")


class Events:
    """The event stream, read in a thread into a queue of (name, data)."""

    def __init__(self, port, since=None):
        self.q = queue.Queue()
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
        path = "/_partnermap/events" + ("" if since is None else "?since=%d" % since)
        self.conn.request("GET", path)
        self.resp = self.conn.getresponse()
        assert self.resp.status == 200, self.resp.status
        assert self.resp.getheader("Content-Type") == "text/event-stream; charset=utf-8"
        assert self.resp.getheader("Cache-Control") == "no-store"
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        name, data = None, []
        try:
            for raw in iter(self.resp.readline, b""):
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: "):
                    data.append(line[6:])
                elif line == "" and name:
                    self.q.put((name, "\n".join(data)))
                    name, data = None, []
        except (OSError, ValueError, http.client.HTTPException):
            pass
        self.q.put(("closed", ""))

    def next(self, want=None, timeout=WAIT):
        """The next event (named want, skipping others); fails after timeout."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            assert left > 0, "no %s event within %d s" % (want or "", timeout)
            try:
                name, data = self.q.get(timeout=left)
            except queue.Empty:
                continue
            if want is None or name == want:
                return name, data
            assert name != "closed", "the stream closed while waiting for " + want

    def errors(self, timeout=WAIT):
        return json.loads(self.next("errors", timeout)[1])

    def quiet(self, seconds):
        """Every event that arrives within seconds."""
        got = []
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                got.append(self.q.get(timeout=max(0.01, end - time.monotonic())))
            except queue.Empty:
                pass
        return got

    def close(self):
        self.conn.close()


class Served:
    """partnermap serve on site, with a TMPDIR of its own; stop() sends a
    signal and checks it ended well."""

    def __init__(self, site, *args):
        self.site = site
        self.tmpdir = tempfile.mkdtemp(prefix="pm-serve-tmp-")
        env = dict(os.environ, TMPDIR=self.tmpdir)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
        self.p = subprocess.Popen([TOOL, "serve", "-C", site, "--port", "0", *args],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env=env)
        self.out, self.err = [], []
        self.lines = threading.Condition()
        for stream, into in ((self.p.stdout, self.out), (self.p.stderr, self.err)):
            threading.Thread(target=self._collect, args=(stream, into), daemon=True).start()
        line = self.wait_line(r"^Serving .* at (http://127\.0\.0\.1:(\d+)/) \(Ctrl-C to stop\)$")
        self.url, self.port = line.group(1), int(line.group(2))

    def _collect(self, stream, into):
        for line in stream:
            with self.lines:
                into.append(line.rstrip("\n"))
                self.lines.notify_all()
        with self.lines:
            into.append(None)
            self.lines.notify_all()

    def wait_line(self, pattern, lines=None, count=1, timeout=WAIT):
        """The count-th line of stdout (or lines) matching pattern."""
        lines = self.out if lines is None else lines
        end = time.monotonic() + timeout
        with self.lines:
            while True:
                hits = [m for m in (re.search(pattern, l) for l in lines if l) if m]
                if len(hits) >= count:
                    return hits[count - 1]
                assert None not in lines or self.p.poll() is None or hits, \
                    "serve ended (%s) before printing %r:\n%s" % (
                        self.p.poll(), pattern, "\n".join(l for l in self.err if l))
                left = end - time.monotonic()
                assert left > 0, "no line %r within %d s; stdout:\n%s\nstderr:\n%s" % (
                    pattern, timeout, "\n".join(l for l in self.out if l),
                    "\n".join(l for l in self.err if l))
                self.lines.wait(left)

    @contextlib.contextmanager
    def paused(self):
        """The server stopped (SIGSTOP) while a save of several steps is
        made, so that the machine's load cannot spread it over more than
        the 50 ms a build waits for: serve then reads the whole burst at
        once, as it does on a quiet machine."""
        self.p.send_signal(signal.SIGSTOP)
        try:
            yield
        finally:
            self.p.send_signal(signal.SIGCONT)

    def builds(self):
        with self.lines:
            return sum(1 for l in self.out if l and l.startswith("partnermap: built "))

    def get(self, path, method="GET", host="127.0.0.1"):
        """(status, headers, body) for a path sent exactly as given."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=WAIT) as s:
            s.sendall(("%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"
                       % (method, path, host)).encode("latin-1"))
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for l in lines[1:]:
            k, _, v = l.partition(":")
            headers[k.strip().lower()] = v.strip()
        if headers.get("transfer-encoding") == "chunked":
            body = unchunk(body)
        return status, headers, body

    def page(self, path):
        status, _, body = self.get(path)
        assert status == 200, (path, status)
        return body.decode("utf-8")

    def stop(self, sig=signal.SIGINT):
        self.p.send_signal(sig)
        try:
            rc = self.p.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
            raise AssertionError("serve did not stop within %d s of %s" % (WAIT, sig))
        time.sleep(0.1)  # the reader threads take the last lines
        err = "\n".join(l for l in self.err if l)
        assert rc == 0, "serve ended with %d:\n%s" % (rc, err)
        assert "ERROR: " not in err and "runtime error" not in err, err
        left = os.listdir(self.tmpdir)
        shutil.rmtree(self.tmpdir)
        assert left == [], "left in TMPDIR: %s" % left
        return err

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()
        shutil.rmtree(self.tmpdir, ignore_errors=True)


def unchunk(body):
    out = b""
    while body:
        size, _, rest = body.partition(b"\r\n")
        n = int(size.split(b";")[0], 16)
        if n == 0:
            break
        out += rest[:n]
        body = rest[n + 2:]
    return out


class serving:
    """with serving(site) as s: ... ; stops it with SIGINT, or kills it when
    the test failed."""

    def __init__(self, site, *args):
        self.site, self.args = site, args

    def __enter__(self):
        self.s = Served(self.site, *self.args)
        return self.s

    def __exit__(self, kind, *_):
        if kind is None:
            self.s.stop()
        else:
            self.s.kill()


def write(path, text):
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def replace_line(path, key, value):
    """The record at path with its key: line set to value (as a string)."""
    text = read(path)
    return re.sub(r"(?m)^%s: .*$" % key, "%s: %s" % (key, value), text, count=1)


def reloaded(ev, s, path, text, timeout=WAIT):
    """Reload events came until the page at path holds text; returns it."""
    end = time.monotonic() + timeout
    while True:
        ev.next("reload", max(1, end - time.monotonic()))
        status, _, body = s.get(path)
        if status == 200 and text in body.decode("utf-8"):
            return body.decode("utf-8")


# ---------------------------------------------------------------- usage ---

@test
def serve_help_and_bad_command_lines():
    rc, so, se = run("serve", "--help")
    assert rc == 0, se
    assert so.startswith("Usage: partnermap serve [-C SITE_DIR] [--port N] [--bind ADDR]\n"), so
    for opt in ("-C, --site DIR", "-p, --port N", "-b, --bind ADDR", "-h, --help"):
        assert opt in so, opt
    rc, so, _ = run("--help")
    assert "  serve    preview the site while you edit it" in so, so
    cases = [
        (["--port", "70000"], "'--port' wants a port number from 0 to 65535, not '70000'"),
        (["--port=-1"], "'--port=-1' wants a port number from 0 to 65535, not '-1'"),
        (["-p", "http"], "'-p' wants a port number from 0 to 65535, not 'http'"),
        (["--bind", "localhost"], "'--bind' wants an IP address such as 127.0.0.1, "
                                  "0.0.0.0 or ::1, not 'localhost'"),
        (["--port"], "option '--port' needs a value"),
        (["--bogus"], "unknown option '--bogus'"),
        (["extra"], "unexpected argument 'extra'"),
    ]
    for args, msg in cases:
        rc, so, se = run("serve", *args)
        assert rc == 2, (args, rc, se)
        assert se == "partnermap: %s\nTry 'partnermap serve --help'.\n" % msg, (args, se)


@test
def serve_says_when_the_port_is_taken():
    with min_site() as (site, tmp), socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        env = dict(os.environ, TMPDIR=tmp)
        p = subprocess.run([TOOL, "serve", "-C", site, "--port", str(port)],
                           capture_output=True, text=True, env=env, timeout=WAIT)
        assert p.returncode == 3, (p.returncode, p.stderr)
        assert ("partnermap: error: cannot listen on 127.0.0.1 port %d: Address already "
                "in use; choose another port with --port N (--port 0 picks a free one)\n"
                % port) in p.stderr, p.stderr
        assert not [f for f in os.listdir(tmp) if f.startswith("partnermap-serve-")]


@test
def serve_says_when_the_site_folder_is_missing():
    with min_site() as (site, tmp):
        missing = os.path.join(tmp, "nowhere")
        p = subprocess.run([TOOL, "serve", "-C", missing, "--port", "0"], capture_output=True,
                           text=True, env=dict(os.environ, TMPDIR=tmp), timeout=WAIT)
        assert p.returncode == 3, (p.returncode, p.stderr)
        assert p.stderr == ("partnermap: error: cannot watch the site folder %s for changes: "
                            "No such file or directory; give the site folder with -C DIR\n"
                            % missing), p.stderr
        assert sorted(os.listdir(tmp)) == ["site"], os.listdir(tmp)


@test
def serve_ends_at_once_on_a_second_signal_of_another_kind():
    """Ctrl-C, then SIGTERM before serve has stopped: the second signal
    ends it at once, as a second Ctrl-C does. Only the signal caught first
    was reset, so SIGTERM after SIGINT (or SIGINT after SIGHUP) was taken
    for a first one again. Both are sent while serve is stopped (SIGSTOP),
    so that both are pending when it goes on, whatever the machine's load:
    the lower number (SIGINT, SIGHUP) is delivered first."""
    # (two of one kind pending at once are one signal: not sent here)
    for first, second in ((signal.SIGINT, signal.SIGTERM), (signal.SIGHUP, signal.SIGINT),
                          (signal.SIGHUP, signal.SIGTERM)):
        with min_site() as (site, tmp):
            s = Served(site)
            try:
                s.p.send_signal(signal.SIGSTOP)
                s.p.send_signal(first)
                s.p.send_signal(second)
                s.p.send_signal(signal.SIGCONT)
                rc = s.p.wait(timeout=WAIT)
                time.sleep(0.1)  # the reader threads take the last lines
                assert rc == -second, (first, second, rc, s.err)
                assert not [l for l in s.out + s.err if l and "stopped" in l], s.err
            finally:
                s.kill()


# ----------------------------------------------------- what is served ---

def build_copy(site, tmp):
    out = os.path.join(tmp, "built")
    rc, _, se = run("build", "-C", site, "-o", out)
    assert rc == 0, se
    return out


TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml; charset=utf-8",
    ".xml": "application/xml; charset=utf-8", ".csv": "text/csv; charset=utf-8",
    ".geojson": "application/geo+json; charset=utf-8",
}


@test
def serve_gives_what_build_writes_byte_for_byte():
    with min_site() as (site, tmp), serving(site) as s:
        out = build_copy(site, tmp)
        files = sorted(tree_digest(out))
        assert "index.html" in files and "partners.geojson" in files, files
        for rel in files:
            if rel.startswith(".") or "/." in rel:
                # the build's mark .partnermap-output: hidden, never
                # published, so not found
                assert s.get("/" + rel)[0] == 404, rel
                continue
            with open(os.path.join(out, rel), "rb") as fh:
                want = fh.read()
            status, headers, body = s.get("/" + rel)
            assert status == 200, (rel, status)
            ext = os.path.splitext(rel)[1]
            assert headers["content-type"] == TYPES[ext], (rel, headers)
            assert headers["cache-control"] == "no-store", rel
            if ext == ".html":
                assert b"_partnermap" not in want, rel + ": build output has the script"
                tags = TAG.findall(body.decode("utf-8"))
                assert len(tags) == 1, (rel, tags)
                # the tag goes just before the last </body>
                assert body.decode("utf-8").rsplit("</body>", 1)[0].endswith(tags[0]), rel
                body = TAG.sub("", body.decode("utf-8")).encode("utf-8")
            assert body == want, rel + " differs from what build writes"
        # a folder is its index.html; without its slash, a redirect
        assert s.get("/")[2] == s.get("/index.html")[2]
        assert s.page("/institutions/makerere/") == s.page("/institutions/makerere/index.html")
        status, headers, body = s.get("/institutions/makerere")
        assert (status, headers["location"], body) == (301, "/institutions/makerere/", b""), status
        # HEAD: the headers of GET, no body
        status, headers, body = s.get("/partners.csv", "HEAD")
        assert (status, body) == (200, b""), status
        assert headers["content-type"] == "text/csv; charset=utf-8"
        assert int(headers["content-length"]) == os.path.getsize(os.path.join(out, "partners.csv"))
        # a miss is the site's 404 page, with status 404
        for miss in ("/nowhere", "/institutions/nobody/", "/index.html/", "/_partnermap/x"):
            status, headers, body = s.get(miss)
            assert status == 404, (miss, status)
            if not miss.startswith("/_partnermap"):
                assert TAG.sub("", body.decode("utf-8")) == read(os.path.join(out, "404.html")), miss
        status, headers, body = s.get("/_partnermap/live.js")
        assert status == 200 and headers["content-type"] == "text/javascript; charset=utf-8"
        assert b"EventSource" in body
        for method in ("POST", "PUT", "DELETE", "OPTIONS"):
            status, headers, _ = s.get("/", method)
            assert status == 405 and headers["allow"] == "GET, HEAD", (method, status, headers)
        assert "output" not in os.listdir(site), "serve wrote output/ into the site folder"


# Each a path sent as it is, with no way out of the output folder.
ESCAPES = [
    "/../site.yml", "/..", "/institutions/../../site.yml", "/%2e%2e/site.yml",
    "/%2E%2E/%2e%2e/site.yml", "/.%2e/site.yml", "/institutions%2F..%2F..%2Fsite.yml",
    "/%2F", "//site.yml", "/..%5csite.yml", "/..\\site.yml", "/a\\..\\..\\site.yml",
    "/index.html%00.txt", "/%00", "/./index.html", "/institutions/./makerere/",
    "http://127.0.0.1/../site.yml", "site.yml",
    # below the server's own prefix too (it answered 404, not 400)
    "/_partnermap/../site.yml", "/_partnermap/%2e%2e/%2e%2e/site.yml",
]


@test
def serve_refuses_paths_that_leave_the_output():
    with min_site() as (site, tmp), serving(site) as s:
        secret = read(os.path.join(site, "site.yml")).encode("utf-8")
        for path in ESCAPES:
            status, _, body = s.get(path)
            assert status == 400, (path, status)
            assert secret not in body, path
        # the server goes on answering after them
        assert "</html>" in s.page("/")
        # a page that points its own name at 127.0.0.1 reads nothing
        for host in ("evil.example", "evil.example:%d" % s.port, "127.0.0.1.evil.example"):
            status, _, body = s.get("/", host=host)
            assert (status, body) == (403, b"Forbidden: partnermap serve answers a request "
                                           b"for its IP address or localhost only; open the "
                                           b"address it printed\n"), (host, status, body)
        for host in ("localhost:%d" % s.port, "127.0.0.1:%d" % s.port):
            assert s.get("/", host=host)[0] == 200, host


# ------------------------------------------------------- saving files ---

@test
def serve_rebuilds_for_every_way_of_saving():
    with min_site() as (site, tmp), serving(site) as s:
        inst = os.path.join(site, INST)
        path = os.path.join(inst, "makerere.md")
        ev = Events(s.port)
        assert ev.errors() == []
        outside = os.path.join(tmp, "outside")
        os.makedirs(outside)

        # written in place
        with s.paused():
            write(path, replace_line(path, "city", "Kampala In Place"))
        reloaded(ev, s, "/institutions/makerere/", "Kampala In Place")

        # written beside, then renamed over it (vim, VS Code, most editors)
        side = os.path.join(inst, ".makerere.md.tmp")
        write(side, replace_line(path, "city", "Kampala Renamed"))
        os.rename(side, path)
        reloaded(ev, s, "/institutions/makerere/", "Kampala Renamed")

        # deleted, then created again
        text = replace_line(path, "city", "Kampala Recreated")
        with s.paused():
            os.unlink(path)
            write(path, text)
        reloaded(ev, s, "/institutions/makerere/", "Kampala Recreated")

        # a swap file alone changes nothing
        write(os.path.join(inst, ".makerere.md.swp"), "swap")
        write(os.path.join(inst, "4913"), "")
        assert [e for e in ev.quiet(1.5) if e[0] == "reload"] == []

        # many files at once, as a checkout writes them: one build
        before = s.builds()
        with s.paused():
            for i in range(20):
                write_record(site, "many-%02d" % i,
                             **record("UG", "Many%02d" % i, 0.3 + i * 0.01, 32.5))
        reloaded(ev, s, "/institutions/many-19/", "Many19")
        assert [e for e in ev.quiet(2) if e[0] == "reload"] == []
        assert s.builds() == before + 1, "%d builds for one burst" % (s.builds() - before)

        # a new folder with a record in it
        with s.paused():
            shutil.rmtree(os.path.join(site, "content", "pages"))
        ev.next("reload")
        assert s.get("/about/")[0] == 404
        os.makedirs(os.path.join(outside, "pages"))
        write(os.path.join(outside, "pages", "join.md"),
              "---\ntitle: How to Join Us\n---\nWrite to us.\n")
        os.rename(os.path.join(outside, "pages"), os.path.join(site, "content", "pages"))
        reloaded(ev, s, "/join/", "How to Join Us")
        write(os.path.join(site, "content", "pages", "later.md"),
              "---\ntitle: Written Later\n---\nIn the new folder.\n")
        reloaded(ev, s, "/later/", "Written Later")

        # a record moved out of the site, then one deleted
        os.rename(os.path.join(inst, "yaounde.md"), os.path.join(outside, "yaounde.md"))
        ev.next("reload")
        assert s.get("/institutions/yaounde/")[0] == 404
        os.unlink(os.path.join(inst, "chiang-mai.md"))
        ev.next("reload")
        assert s.get("/institutions/chiang-mai/")[0] == 404
        assert "Kampala Recreated" in s.page("/institutions/makerere/")
        ev.close()


@test
def serve_rebuilds_when_the_theme_changes():
    with min_site() as (site, tmp), serving(site) as s:
        ev = Events(s.port)
        tpl = os.path.join(site, "_shared", "themes", "default", "templates", "page.mustache")
        write(tpl, read(tpl).replace("<h1>", "<h1 data-edited=\"yes\">", 1))
        reloaded(ev, s, "/about/", 'data-edited="yes"')
        ev.close()



@test
def serve_is_not_woken_by_a_build_beside_it():
    """`partnermap build` run in the site folder while serve runs made
    every open page reload: output/ is not watched, but the staging folder
    a build makes beside it (output.staging-...) and the previous site it
    moves aside in a swap (output.old-...) were. A build, in place or
    --clean, writes nothing serve reads: no rebuild, no reload. A folder
    of the site named like them but not a build's is still watched."""
    with min_site() as (site, tmp), serving(site) as s:
        ev = Events(s.port)
        before = s.builds()
        for args in ((), ("--clean",), ()):
            rc, _, se = run("build", "-C", site, *args)
            assert rc == 0, se
        assert [e for e in ev.quiet(2) if e[0] == "reload"] == []
        assert s.builds() == before
        os.makedirs(os.path.join(site, "output.staging-1"))
        ev.next("reload")
        ev.close()

# ------------------------------------------------------------- errors ---

def check_lines(site):
    """The error lines `partnermap check` prints for the site."""
    rc, _, se = run("check", "-C", site)
    assert rc == 1, se
    return [l for l in se.splitlines() if ": error: " in l]


def as_lines(errors):
    return ["%s:%d:%d: error: %s" % (e["path"], e["line"], e["column"], e["message"])
            for e in errors]


@test
def serve_keeps_the_last_good_site_while_a_save_breaks_it():
    with min_site() as (site, tmp), serving(site) as s:
        path = os.path.join(site, INST, "makerere.md")
        good = read(path)
        ev = Events(s.port)
        assert ev.errors() == []
        page = s.page("/institutions/makerere/")

        # bad YAML
        with s.paused():
            write(path, good.replace("city: Kampala", "city: [Kampala"))
        errors = ev.errors()
        want = check_lines(site)
        assert as_lines(errors) == want, (errors, want)
        assert len(errors) == 1 and errors[0]["path"] == "content/institutions/makerere.md"
        assert errors[0]["url"] == "/institutions/makerere/", errors
        assert s.page("/institutions/makerere/") == page, "the last good page is not served"
        s.wait_line(re.escape(want[0]), s.err)
        s.wait_line(r"^partnermap: the build failed; fix the errors above and save "
                    r"\(the last good site is still served\)$", s.err)

        # an unknown network, and a new record with an error: one entry each,
        # the new one with no page to link to
        with s.paused():
            write(path, good.replace("networks: [global, africa]", "networks: [global, afrika]"))
            write_record(site, "brand-new", **dict(record("UG", "Gulu", 2.78, 32.3), country="ZZ"))
        while True:
            errors = ev.errors()
            if len(errors) == 2:
                break
        assert as_lines(errors) == check_lines(site), errors
        by_path = {e["path"]: e for e in errors}
        assert "afrika" in by_path["content/institutions/makerere.md"]["message"]
        assert by_path["content/institutions/brand-new.md"]["url"] is None
        assert s.page("/institutions/makerere/") == page
        assert s.get("/institutions/brand-new/")[0] == 404

        # a page opened now is told the errors at once
        late = Events(s.port)
        assert late.errors() == errors
        late.close()

        # fixed: the overlay goes (an empty list), the page reloads
        with s.paused():
            os.unlink(os.path.join(site, INST, "brand-new.md"))
            write(path, good.replace("city: Kampala", "city: Kampala Fixed"))
        assert ev.errors() == []
        reloaded(ev, s, "/institutions/makerere/", "Kampala Fixed")
        ev.close()


@test
def serve_shows_the_errors_when_the_first_build_fails():
    with min_site() as (site, tmp):
        path = os.path.join(site, INST, "makerere.md")
        good = read(path)
        write(path, good.replace("country: UG", "country: UG\ncountry: KE"))
        want = check_lines(site)
        with serving(site) as s:
            status, headers, body = s.get("/")
            assert status == 503, status
            html = body.decode("utf-8")
            assert headers["content-type"] == "text/html; charset=utf-8"
            assert "could not be built" in html, html
            for line in want:
                assert "<li>%s</li>" % line.replace("'", "&#39;").replace('"', "&quot;") in html, (line, html)
            assert TAG.search(html), html
            assert s.get("/institutions/makerere/")[0] == 503
            # no last good site to speak of: the pages show the errors
            s.wait_line(r"^partnermap: the build failed; fix the errors above and "
                        r"save \(until it builds, every page shows them\)$", s.err)
            assert not any(l and "last good site" in l for l in s.err), s.err
            ev = Events(s.port, since=0)
            assert as_lines(ev.errors()) == want
            with s.paused():
                write(path, good)
            assert ev.errors() == []
            reloaded(ev, s, "/institutions/makerere/", "Kampala")
            assert "could not be built" not in s.page("/")
            ev.close()


# --------------------------------------------------------------- stop ---

def snapshot(site):
    """Every name below site, hidden ones too, with its digest."""
    names = sorted(os.path.relpath(os.path.join(dp, n), site)
                   for dp, ds, fs in os.walk(site) for n in ds + fs)
    return names, tree_digest(site)


@test
def serve_stops_cleanly_on_sigint_and_sigterm():
    for sig in (signal.SIGINT, signal.SIGTERM):
        with min_site() as (site, tmp):
            before = snapshot(site)
            s = Served(site)
            try:
                # an open stream and a page fetched do not hold it up
                ev = Events(s.port)
                ev.errors()
                s.page("/")
                # the pages are made in memory: nothing is written on disk
                assert os.listdir(s.tmpdir) == [], os.listdir(s.tmpdir)
                err = s.stop(sig)
            except BaseException:
                s.kill()
                raise
            assert err.endswith("partnermap: stopped"), err
            assert ev.next("closed")[0] == "closed"
            ev.close()
            assert snapshot(site) == before, "serve changed the site folder"


@test
def serve_sees_an_edit_through_another_name_of_a_record():
    """A record with another name (a hard link) changes when that name is
    written, and the watcher names only that one: serve kept showing the
    old record, where build sees the new change time (found by a review).
    A file with other names written in the site now has every record
    looked at, and a record with other names is looked at at every
    update, as build does."""
    with min_site() as (site, tmp), serving(site) as s:
        ev = Events(s.port)
        rec = os.path.join(site, INST, "makerere.md")
        shared = os.path.join(site, "shared")
        os.makedirs(shared)
        # the link made after serve read the record, as after a checkout
        os.link(rec, os.path.join(shared, "hard.md"))
        write(os.path.join(shared, "hard.md"),
              replace_line(rec, "city", "Hard Linked City"))
        reloaded(ev, s, "/institutions/makerere/", "Hard Linked City")
        # read again now, with its other name: an edit through a name
        # outside the site, which no event tells, shows at the next update
        outside = os.path.join(tmp, "outside.md")
        os.link(rec, outside)
        write(outside, replace_line(rec, "city", "Outside City"))
        write(os.path.join(shared, "note.txt"), "an update\n")
        reloaded(ev, s, "/institutions/makerere/", "Outside City")


@test
def serve_reads_again_a_record_that_is_a_link():
    """A record whose file is a symbolic link was kept by the link's own
    stat, and no event names the link when the file it names changes: an
    edit of that file, its making or its removal went unseen until the
    link itself was touched, while check saw each at once."""
    with min_site() as (site, tmp), serving(site) as s:
        shared = os.path.join(site, "shared")
        os.makedirs(shared)
        target = os.path.join(shared, "ghost.md")
        os.symlink(os.path.join("..", "..", "shared", "ghost.md"),
                   os.path.join(site, INST, "ghost-school.md"))
        ev = Events(s.port)

        def told_nothing():
            end = time.monotonic() + WAIT
            while True:
                errs = ev.errors(max(1, end - time.monotonic()))
                if any("ghost-school.md" in e["path"] and "leads to nothing" in e["message"]
                       for e in errs):
                    return
        told_nothing()
        fields = record("UG", "Kampala", 0.33, 32.57)
        fields["name"] = "Ghost School"
        text = "---\n%s\n---\nBody.\n" % "\n".join("%s: %s" % kv for kv in fields.items())
        # made: the record appears once something is saved in the site
        write(target, text)
        write(os.path.join(site, INST, "makerere.md"),
              replace_line(os.path.join(site, INST, "makerere.md"), "city", "Kampala Touch"))
        reloaded(ev, s, "/institutions/ghost-school/", "Ghost School")
        # edited: the page follows
        write(target, text.replace("Ghost School", "Phantom School"))
        write(os.path.join(site, INST, "makerere.md"),
              replace_line(os.path.join(site, INST, "makerere.md"), "city", "Kampala Again"))
        reloaded(ev, s, "/institutions/ghost-school/", "Phantom School")
        # removed: the link leads to nothing again, as check says
        os.unlink(target)
        write(os.path.join(site, INST, "makerere.md"),
              replace_line(os.path.join(site, INST, "makerere.md"), "city", "Kampala Last"))
        told_nothing()
