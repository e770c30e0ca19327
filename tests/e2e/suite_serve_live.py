"""partnermap serve renders each file when it is asked for, from a model it
keeps in memory between saves: after every kind of change (a record
edited, added, renamed, deleted; a network, site.yml, the languages), every
file it serves is what `partnermap build` writes for the site as it is
then, asked for in any order, and a file the site no longer has is a 404."""
import http.client
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time

from e2e import test, run, min_site, tree_digest, write_record, record, read, TOOL

WAIT = 60
SCRIPT = re.compile(rb'<script src="/_partnermap/live\.js\?build=\d+"></script>\n')
BUILT = (r"^partnermap: built (\d+) institutions? in \d+ countr(?:y|ies), \d+ networks?, "
         r"\d+ pages? \((\d+) institution records? read(?:, \d+ unchanged)?\) in \d+ ms$")


class Live:
    """serve on a site: its output lines, its reload events, its files."""

    def __init__(self, site):
        self.tmpdir = tempfile.mkdtemp(prefix="pm-live-tmp-")
        self.p = subprocess.Popen(
            [TOOL, "serve", "-C", site, "--port", "0"], stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
            env=dict(os.environ, TMPDIR=self.tmpdir))
        self.cond = threading.Condition()
        self.out, self.err, self.reloads = [], [], 0
        for stream, into in ((self.p.stdout, self.out), (self.p.stderr, self.err)):
            threading.Thread(target=self._lines, args=(stream, into), daemon=True).start()
        self.port = int(self.line(r"at http://127\.0\.0\.1:(\d+)/").group(1))
        self.events = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        self.events.request("GET", "/_partnermap/events")
        stream = self.events.getresponse()
        threading.Thread(target=self._events, args=(stream,), daemon=True).start()

    def _lines(self, stream, into):
        for line in stream:
            with self.cond:
                into.append(line.rstrip("\n"))
                self.cond.notify_all()

    def _events(self, stream):
        for raw in iter(stream.readline, b""):
            if raw == b"event: reload\n":
                with self.cond:
                    self.reloads += 1
                    self.cond.notify_all()

    def _until(self, done, what):
        end = time.monotonic() + WAIT
        with self.cond:
            while not done():
                left = end - time.monotonic()
                assert left > 0, "no %s within %d s:\n%s\n%s" % (
                    what, WAIT, "\n".join(self.out), "\n".join(self.err))
                self.cond.wait(left)

    def line(self, pattern, count=1):
        """The count-th line of serve's output (stdout, then stderr)
        matching pattern."""
        hits = []

        def found():
            hits[:] = [m for m in map(re.compile(pattern).search, self.out + self.err)
                       if m]
            return len(hits) >= count
        self._until(found, "line %r" % pattern)
        return hits[count - 1]

    def saved(self, builds):
        """Wait for the build-th model and its reload event; its line."""
        m = self.line(BUILT, builds)
        self._until(lambda: self.reloads >= builds - 1, "reload event")
        return m

    def get(self, path):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        c.request("GET", path)
        r = c.getresponse()
        body = r.read()
        c.close()
        return r.status, SCRIPT.sub(b"", body)

    def close(self):
        self.events.close()
        self.p.send_signal(signal.SIGTERM)
        _, err = self.p.communicate(timeout=WAIT)
        left = os.listdir(self.tmpdir)
        shutil.rmtree(self.tmpdir)
        assert self.p.returncode == 0, err
        assert "ERROR: " not in err and "runtime error" not in err, err
        assert left == [], left


def same_as_build(s, site, tmp, gone=()):
    """Every file build writes is served as it is, asked for last to
    first (the order build writes in is not the one pages are asked in);
    each path of gone is a 404."""
    out = os.path.join(tmp, "built")
    shutil.rmtree(out, ignore_errors=True)
    rc, _, se = run("build", "-q", "-C", site, "-o", out)
    assert rc == 0, se
    files = sorted((r for r in tree_digest(out) if not r.startswith(".")), reverse=True)
    assert "index.html" in files, files
    for rel in files:
        with open(os.path.join(out, rel), "rb") as fh:
            want = fh.read()
        status, body = s.get("/" + rel)
        assert status == 200, (rel, status)
        assert body == want, rel + " differs from what build writes"
    for path in gone:
        assert s.get(path)[0] == 404, path
    return files


def rewrite(path, old, new):
    """The file at path saved with its first old replaced by new."""
    text = read(path)
    assert old in text, (path, old)
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
    os.write(fd, text.replace(old, new, 1).encode("utf-8"))
    os.close(fd)


@test
def serve_live_matches_build_after_edits_adds_renames_and_deletes():
    with min_site() as (site, tmp):
        inst = os.path.join(site, "content", "institutions")
        s = Live(site)
        try:
            m = s.saved(1)
            assert m.group(1) == m.group(2) == "4", m.group(0)  # all read
            same_as_build(s, site, tmp)
            steps = [
                # (the change, records read then, pages gone)
                (lambda: rewrite(os.path.join(inst, "makerere.md"),
                                 "name: ", "name: Renamed "), "1", ()),
                (lambda: write_record(site, "kigali", **record("RW", "Kigali", -1.95, 30.06)),
                 "1", ()),
                (lambda: os.rename(os.path.join(inst, "chiang-mai.md"),
                                   os.path.join(inst, "chiang-mai-uni.md")),
                 "1", ("/institutions/chiang-mai/",)),
                (lambda: os.remove(os.path.join(inst, "yaounde.md")), "0",
                 ("/institutions/yaounde/", "/countries/cm/")),
                # a network's name is in every member's reading: all again
                (lambda: rewrite(os.path.join(site, "content", "networks", "africa.md"),
                                 "name: African", "name: Pan-African"), "4", ()),
                # site.yml: everything is read again, a second language too
                (lambda: rewrite(os.path.join(site, "site.yml"), "language: en",
                                 "languages: [en, fr]"), "4", ()),
                (lambda: rewrite(os.path.join(inst, "kigali.md"), "city: Kigali",
                                 "city: Kigali City"), "1", ()),
            ]
            for k, (change, reads, gone) in enumerate(steps):
                change()
                m = s.saved(2 + k)
                assert m.group(2) == reads, (k, m.group(0))
                files = same_as_build(s, site, tmp, gone)
            assert "fr/institutions/kigali/index.html" in files, files
            assert b"Kigali City" in s.get("/fr/institutions/kigali/")[1]
        finally:
            s.close()


@test
def serve_live_keeps_the_last_good_model_while_a_save_breaks_it():
    """A broken save changes nothing served, not even pages never asked
    for before it; the fix is served as build writes it."""
    with min_site() as (site, tmp):
        path = os.path.join(site, "content", "institutions", "makerere.md")
        s = Live(site)
        try:
            s.saved(1)
            before = s.get("/institutions/mengo-hospital/")[1]
            rewrite(path, "country: UG", "country: ZZ")
            s.line(r"^partnermap: the build failed")
            assert s.get("/institutions/mengo-hospital/")[1] == before
            status, body = s.get("/countries/ug/")  # never asked for yet
            assert status == 200 and b"Makerere" in body, status
            rewrite(path, "country: ZZ", "country: UG")
            s.saved(2)
            same_as_build(s, site, tmp)
        finally:
            s.close()
