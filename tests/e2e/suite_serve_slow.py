"""partnermap serve against clients that send their request headers one
line at a time, never idle long enough for the idle timeout (5 s): each
connection has SERVER_HEADER_SECONDS (10 s) from its accept, or from the
end of the answer before, to send a whole request, so such clients cannot
hold every slot, while a request being answered (the event stream) is left
alone. The server is started on a copy of the minimal site at a free port;
every wait is bounded."""
import os
import re
import signal
import socket
import subprocess
import shutil
import tempfile
import threading
import time

from e2e import test, min_site, write_record, record, TOOL

HEADER_SECONDS = 10   # SERVER_HEADER_SECONDS in generator/serve/server.h
MAX_CONNECTIONS = 128  # SERVER_MAX_CONNECTIONS
MARGIN = 6            # for the sanitizer build on a busy machine
WAIT = 60
GET = "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"


class Server:
    """partnermap serve -C site --port 0, with a TMPDIR of its own."""

    def __init__(self, site):
        self.tmpdir = tempfile.mkdtemp(prefix="pm-slow-tmp-")
        env = dict(os.environ, TMPDIR=self.tmpdir)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
        self.p = subprocess.Popen([TOOL, "serve", "-C", site, "--port", "0"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env=env)
        self.err = []
        threading.Thread(target=lambda: self.err.extend(self.p.stderr), daemon=True).start()
        seen = []
        for line in self.p.stdout:
            seen.append(line)
            m = re.search(r"^Serving .* at http://127\.0\.0\.1:(\d+)/ ", line)
            if m:
                break
        else:
            self.kill()
            raise AssertionError("no banner: %r %r" % (seen, self.err))
        self.port = int(m.group(1))
        threading.Thread(target=lambda: self.p.stdout.read(), daemon=True).start()

    def __enter__(self):
        return self

    def __exit__(self, kind, *_):
        if kind is None:
            self.stop()
        else:
            self.kill()

    def kill(self):
        self.p.kill()
        self.p.wait()
        shutil.rmtree(self.tmpdir, ignore_errors=True)

    def connect(self, timeout=WAIT):
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout)

    def ask(self, path, timeout=WAIT):
        """The whole answer to GET path (Connection: close), or an OSError
        (socket.timeout when none came within timeout seconds)."""
        with self.connect(timeout) as s:
            s.sendall((GET % path + "Connection: close\r\n\r\n").encode())
            return read_all(s)

    def stop(self):
        """SIGINT; it must end with 0 and no sanitizer report."""
        self.p.send_signal(signal.SIGINT)
        try:
            rc = self.p.wait(timeout=WAIT)
        finally:
            self.kill()
        time.sleep(0.1)
        err = "".join(self.err)
        assert rc == 0 and "ERROR: " not in err and "runtime error" not in err, (rc, err)


def read_all(s):
    """Everything s receives until the server closes it."""
    return b"".join(iter(lambda: s.recv(65536), b""))


class Slow:
    """Connections that send first and a request line at once, then one
    header line every two seconds (under the idle timeout) until closed.
    got[i] is what the server sent on connection i; closed[i], the seconds
    from the start to its end."""

    def __init__(self, server, count, first=b""):
        self.start = time.monotonic()
        self.conns, self.closed, self.stopping = [], {}, threading.Event()
        self.got = [b""] * count
        for _ in range(count):
            s = server.connect()
            s.sendall(first + (GET % "/").encode())
            s.setblocking(False)
            self.conns.append(s)
        self.thread = threading.Thread(target=self._drip, daemon=True)
        self.thread.start()

    def _drip(self):
        n = 0
        while not self.stopping.wait(0.2):
            n += 1
            for i, s in enumerate(self.conns):
                if i not in self.closed and not self._poke(i, s, n % 10 == 0):
                    self.closed[i] = time.monotonic() - self.start

    def _poke(self, i, s, send):
        """Reads what came on connection i, then sends a line if send;
        whether it is still open."""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    return False
                self.got[i] += chunk
        except BlockingIOError:
            pass
        except OSError:
            return False
        try:
            if send:
                s.send(b"X-Slow: one more line\r\n")
        except OSError:
            return False
        return True

    def all_closed(self, within):
        """closed once every connection ended, or within seconds passed."""
        end = self.start + within
        while len(self.closed) < len(self.conns) and time.monotonic() < end:
            time.sleep(0.2)
        return dict(self.closed)

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.stopping.set()
        self.thread.join()
        for s in self.conns:
            s.close()


def body(answer):
    return answer.partition(b"\r\n\r\n")[2]


def wait_event(ev, name):
    """Reads the event stream on socket ev until an event name comes."""
    ev.settimeout(WAIT)
    seen = b""
    end = time.monotonic() + WAIT
    while b"event: %s\n" % name.encode() not in seen:
        assert time.monotonic() < end, "no %s event within %d s: %r" % (name, WAIT, seen)
        chunk = ev.recv(65536)
        assert chunk, "the event stream was closed: %r" % seen
        seen += chunk


@test
def serve_closes_connections_that_send_their_headers_too_slowly():
    with min_site() as (site, tmp), Server(site) as srv:
        home = srv.ask("/")
        assert home.startswith(b"HTTP/1.1 200 "), home[:200]
        # a stream opened before is being answered: no deadline
        with srv.connect() as ev:
            ev.sendall((GET % "/_partnermap/events" + "\r\n").encode())
            head = ev.recv(65536)
            assert head.startswith(b"HTTP/1.1 200 "), head
            with Slow(srv, MAX_CONNECTIONS + 8) as slow:
                time.sleep(1)
                # every slot is taken: a request waits until the slow ones
                # are cut off at their deadline, and is then answered in full
                try:
                    got = srv.ask("/", HEADER_SECONDS + MARGIN)
                except OSError as e:
                    raise AssertionError("no answer while slow clients hold "
                                         "every slot: %r" % e)
                waited = time.monotonic() - slow.start
                assert got.startswith(b"HTTP/1.1 200 "), got[:200]
                assert body(got) == body(home)
                assert waited >= HEADER_SECONDS - 1, waited
                # the last ones waited to be accepted, then had their deadline
                within = 2 * HEADER_SECONDS + MARGIN
                closed = slow.all_closed(within)
                assert len(closed) == len(slow.conns), \
                    "%d of %d slow connections still open after %d s" % (
                        len(slow.conns) - len(closed), len(slow.conns), within)
                # closed without an answer, none before its deadline
                assert slow.got == [b""] * len(slow.conns), slow.got
                assert min(closed.values()) >= HEADER_SECONDS - 1, \
                    sorted(closed.values())
            # the stream outlived the deadline and still tells of a save
            write_record(site, "slow-new", **record("RW", "Kigali", -1.95, 30.06))
            wait_event(ev, "reload")
