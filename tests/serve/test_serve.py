"""Tests for serve.py: runs it as a real subprocess and talks HTTP to it.

    python3 -m unittest discover -s tests/serve -v      (from the repository root)

Every server is started with the interpreter running the tests (sys.executable), so running
the suite with two interpreters tests serve.py on both.
"""

import contextlib
import gzip
import http.client
import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SERVE_PY = REPO / "serve.py"

TIMEOUT = 10  # seconds for any single wait: start-up, request, exit

# Written out here on purpose (not read from serve.py) so a change to the policy fails a test.
EXPECTED_CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data: blob:; font-src 'self'; "
    "connect-src 'self' https: http://127.0.0.1:* http://localhost:*; "
    "worker-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; "
    "object-src 'none'"
)

READY_RE = re.compile(r"^Serving oauth-setup at http://(\[[0-9a-fA-F:.]+\]|[^/:\[\]]+):(\d+)/$")

INDEX_HTML = b"<!doctype html><html><head><title>oauth-setup</title></head><body>index</body></html>\n"
CALLBACK_HTML = b"<!doctype html><html><body>callback</body></html>\n"
CALLBACK_JS = b"// callback: reads the code from location\n" * 10
APP_JS = b"// app\n" + b"console.log('oauth-setup');\n" * 200
APP_WASM = b"\x00asm\x01\x00\x00\x00" + bytes(range(256)) * 40
DATA_JSON = b'{"providers": ["a", "b", "c"]}\n' * 50
STYLE_CSS = b"body { margin: 0; }\n" * 50
IMAGE_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ICON_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"></svg>\n'
FAVICON_ICO = b"\x00\x00\x01\x00" + b"\x00" * 32
FONT_TTF = b"\x00\x01\x00\x00" + b"\x00" * 64
FONT_WOFF2 = b"wOF2" + b"\x00" * 64
DECOY = b"DECOY-OUTSIDE-THE-SITE-FOLDER\n"

FILES = {
    "index.html": INDEX_HTML,
    "callback.html": CALLBACK_HTML,
    "callback.js": CALLBACK_JS,
    "app.js": APP_JS,
    "app.wasm": APP_WASM,
    "data.json": DATA_JSON,
    "style.css": STYLE_CSS,
    "image.png": IMAGE_PNG,
    "icon.svg": ICON_SVG,
    "favicon.ico": FAVICON_ICO,
    "font.ttf": FONT_TTF,
    "font.woff2": FONT_WOFF2,
    "sub/inner.js": b"// inner\n",
}


def make_site(folder):
    """A fake built page in `folder`, with a decoy serve.py next to it (outside it)."""
    folder = Path(folder)
    for name, data in FILES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (folder / "emptydir").mkdir(exist_ok=True)
    (folder.parent / "serve.py").write_bytes(DECOY)
    (folder.parent / "secret.txt").write_bytes(DECOY)
    return folder


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def can_bind(host, family=socket.AF_INET):
    try:
        with socket.socket(family) as s:
            s.bind((host, 0))
        return True
    except OSError:
        return False


class ServerProcess:
    """serve.py running as a subprocess; stdout is a pipe, stderr goes to a file."""

    def __init__(self, args, script=SERVE_PY, cwd=None):
        self._errfile = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, str(script)] + list(args),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._errfile,
            cwd=cwd or REPO,
        )
        self.ready_line = None
        self.host = None
        self.port = None

    def wait_ready(self):
        """Read the ready line (with a timeout); fail the test if it does not come."""
        import selectors
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + TIMEOUT
        buf = b""
        try:
            while b"\n" not in buf:
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(left):
                    raise AssertionError("serve.py printed no ready line in time; stderr: %r" % self.stderr())
                chunk = os.read(self.proc.stdout.fileno(), 4096)
                if not chunk:
                    raise AssertionError("serve.py exited before it was ready (rc=%r); stderr: %r"
                                         % (self.proc.wait(TIMEOUT), self.stderr()))
                buf += chunk
        finally:
            sel.close()
        line, _, rest = buf.partition(b"\n")
        if rest:
            raise AssertionError("serve.py printed more than one line: %r" % buf)
        self.ready_line = line.decode()
        m = READY_RE.match(self.ready_line)
        if not m:
            raise AssertionError("unexpected ready line: %r" % self.ready_line)
        self.host, self.port = m.group(1).strip("[]"), int(m.group(2))
        return self

    def stderr(self):
        self._errfile.seek(0)
        return self._errfile.read().decode("utf-8", "replace")

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(TIMEOUT)
        if self.proc.stdout.closed:
            return b""
        rest = self.proc.stdout.read()
        self.proc.stdout.close()
        return rest

    def close(self):
        self.stop()
        self._errfile.close()


def run_to_exit(args, script=SERVE_PY, cwd=None):
    """Run serve.py expecting it to exit on its own; returns CompletedProcess (text)."""
    return subprocess.run([sys.executable, str(script)] + list(args), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=TIMEOUT, cwd=cwd or REPO)


def request(host, port, method, path, headers=None, body=None, family_host=None):
    """One HTTP request on a fresh connection; path is sent exactly as given."""
    conn = http.client.HTTPConnection(family_host or host, port, timeout=TIMEOUT)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return resp, data
    finally:
        conn.close()


def host_line(port):
    """The Host header line a browser sends to this test's server on 127.0.0.1."""
    return b"Host: 127.0.0.1:%d\r\n" % port


def raw_exchange(port, data):
    """Send raw bytes, read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
        s.sendall(data)
        reply = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return reply
            reply += chunk


class OneServer:
    """For a test case whose serve.py runs as self.server."""

    def connection(self):
        """One kept-alive HTTP connection to the server, closed when the with block ends."""
        return contextlib.closing(http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=TIMEOUT))

    def wait_for_log(self, needle):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            log = self.server.stderr()
            if needle in log:
                return log
            time.sleep(0.05)
        self.fail("%r never appeared in the server log: %r" % (needle, self.server.stderr()))


class ServeTestCase(OneServer, unittest.TestCase):
    """One server for the whole class, serving a fake site through --dir."""
    ARGS = []  # more serve.py arguments

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.site = make_site(Path(cls.tmp.name) / "site")
        cls.server = ServerProcess(["--port", "0", "--dir", str(cls.site)] + cls.ARGS).wait_ready()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.tmp.cleanup()

    def get(self, path, headers=None, method="GET", body=None):
        return request("127.0.0.1", self.server.port, method, path, headers, body)

    def assert_serves(self, path, body, headers=None, method="GET"):
        """`path` answers 200 with exactly `body`; returns the response for more checks."""
        resp, data = self.get(path, headers=headers, method=method)
        self.assertEqual(resp.status, 200)
        self.assertEqual(data, body)
        return resp


class TestStartup(ServeTestCase):
    def test_ready_line(self):
        self.assertEqual(self.server.ready_line, "Serving oauth-setup at http://127.0.0.1:%d/" % self.server.port)
        self.assertNotEqual(self.server.port, 0)
        self.assertNotEqual(self.server.port, 8000)


class TestContent(ServeTestCase):
    def test_root_serves_index(self):
        resp = self.assert_serves("/", INDEX_HTML)
        self.assertEqual(resp.getheader("Content-Type"), "text/html; charset=utf-8")

    def test_content_types(self):
        expected = {
            "/index.html": "text/html; charset=utf-8",
            "/callback.html": "text/html; charset=utf-8",
            "/app.js": "text/javascript",
            "/app.wasm": "application/wasm",
            "/data.json": "application/json",
            "/style.css": "text/css",
            "/image.png": "image/png",
            "/icon.svg": "image/svg+xml",
            "/font.ttf": "font/ttf",
            "/font.woff2": "font/woff2",
        }
        for path, ctype in expected.items():
            with self.subTest(path=path):
                resp, data = self.get(path)
                self.assertEqual(resp.status, 200)
                self.assertEqual(resp.getheader("Content-Type"), ctype)
                self.assertEqual(data, FILES[path.lstrip("/")])
                self.assertEqual(int(resp.getheader("Content-Length")), len(data))
        resp, data = self.get("/favicon.ico")
        self.assertEqual(resp.status, 200)
        self.assertIn(resp.getheader("Content-Type"), ("image/x-icon", "image/vnd.microsoft.icon"))
        self.assertEqual(data, FAVICON_ICO)

    def test_file_in_subfolder(self):
        self.assert_serves("/sub/inner.js", FILES["sub/inner.js"])

    def test_query_string_ignored_for_lookup(self):
        self.assert_serves("/callback.html?code=abc&state=xyz", CALLBACK_HTML)

    def test_head(self):
        get_resp, get_data = self.get("/app.wasm")
        resp = self.assert_serves("/app.wasm", b"", method="HEAD")
        self.assertEqual(resp.getheader("Content-Type"), "application/wasm")
        self.assertEqual(int(resp.getheader("Content-Length")), len(get_data))
        resp = self.assert_serves("/app.js", b"", method="HEAD", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(resp.getheader("Content-Encoding"), "gzip")
        _, gz = self.get("/app.js", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(int(resp.getheader("Content-Length")), len(gz))

    def test_head_sends_no_body_on_the_wire(self):
        for extra in (b"", b"Accept-Encoding: gzip\r\n"):
            with self.subTest(extra=extra):
                reply = raw_exchange(self.server.port, b"HEAD /app.js HTTP/1.1\r\n" + host_line(self.server.port) + extra
                                     + b"Connection: close\r\n\r\n")
                head, sep, body = reply.partition(b"\r\n\r\n")
                self.assertTrue(head.startswith(b"HTTP/1.1 200 "), head[:80])
                self.assertEqual(sep, b"\r\n\r\n")
                self.assertEqual(body, b"")

    def test_keep_alive_serves_several_requests(self):
        with self.connection() as conn:
            for path, expected in (("/", INDEX_HTML), ("/app.js", APP_JS), ("/app.wasm", APP_WASM)):
                conn.request("GET", path)
                resp = conn.getresponse()
                self.assertEqual(resp.status, 200)
                self.assertEqual(resp.read(), expected)


class TestNotFound(ServeTestCase):
    def test_missing_file(self):
        resp, data = self.get("/nope.js")
        self.assertEqual(resp.status, 404)
        self.assertNotIn(b"nope", data)

    def test_directories_are_not_listed(self):
        for path in ("/sub", "/sub/", "/emptydir", "/emptydir/", "//sub/"):
            with self.subTest(path=path):
                resp, data = self.get(path)
                self.assertEqual(resp.status, 404)
                self.assertNotIn(b"inner.js", data)

    def test_path_traversal_refused(self):
        paths = [
            "/../serve.py",
            "/%2e%2e/serve.py",
            "/%2E%2E/serve.py",
            "/..%2fserve.py",
            "/%2e%2e%2fserve.py",
            "/sub/../../serve.py",
            "/sub/%2e%2e/%2e%2e/serve.py",
            "//../serve.py",
            "/..\\serve.py",
            "/..%5cserve.py",
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/./index.html/../../serve.py",
            "/%00/../serve.py",
        ]
        for path in paths:
            with self.subTest(path=path):
                resp, data = self.get(path)
                self.assertIn(resp.status, (400, 403, 404))
                self.assertNotIn(b"DECOY", data)

    def test_absolute_form_target_cannot_escape(self):
        resp, data = self.get("http://127.0.0.1/../serve.py")
        self.assertNotIn(b"DECOY", data)
        self.assertNotEqual(resp.status, 200)

    def test_symlink_out_of_the_site_refused(self):
        link = self.site / "escape.txt"
        try:
            os.symlink(self.site.parent / "secret.txt", link)
        except (OSError, NotImplementedError):
            self.skipTest("cannot create symlinks here")
        try:
            resp, data = self.get("/escape.txt")
            self.assertEqual(resp.status, 404)
            self.assertNotIn(b"DECOY", data)
        finally:
            link.unlink()

    def test_raw_traversal_over_a_socket(self):
        # No client library in between: the exact bytes reach the server.
        for target in (b"/../serve.py", b"/%2e%2e/serve.py", b"/../../../../etc/passwd"):
            with self.subTest(target=target):
                reply = raw_exchange(self.server.port,
                                     b"GET " + target + b" HTTP/1.1\r\n" + host_line(self.server.port)
                                     + b"Connection: close\r\n\r\n")
                self.assertTrue(reply.startswith(b"HTTP/1.1 404 "), reply[:80])
                self.assertNotIn(b"DECOY", reply)
                self.assertNotIn(b"root:", reply)


class TestMethods(ServeTestCase):
    def test_post_refused(self):
        resp, data = self.get("/index.html", method="POST", body=b"a=b",
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertIn(resp.status, (405, 501))
        self.assertNotIn(b"index", data)

    def test_other_methods_refused(self):
        for method in ("PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "BREW"):
            with self.subTest(method=method):
                resp, data = self.get("/index.html", method=method)
                self.assertIn(resp.status, (405, 501))
                self.assertNotEqual(data, INDEX_HTML)


class TestHeaders(ServeTestCase):
    def check_security_headers(self, resp, cache_control="no-cache"):
        self.assertEqual(resp.getheader("Content-Security-Policy"), EXPECTED_CSP)
        self.assertEqual(len(resp.headers.get_all("Content-Security-Policy")), 1)
        self.assertEqual(resp.getheader("X-Content-Type-Options"), "nosniff")
        self.assertEqual(resp.getheader("Referrer-Policy"), "no-referrer")
        coop = resp.headers.get_all("Cross-Origin-Opener-Policy") or []
        for value in coop:
            self.assertNotIn("same-origin", value.lower())
        self.assertIn(resp.getheader("Cross-Origin-Opener-Policy"), (None, "unsafe-none"))
        self.assertIsNone(resp.getheader("Cross-Origin-Embedder-Policy"))
        self.assertEqual(resp.headers.get_all("Cache-Control"), [cache_control])

    def test_security_headers_on_every_response(self):
        cases = [
            ("GET", "/", 200), ("GET", "/index.html", 200), ("GET", "/callback.html?code=x", 200),
            ("GET", "/app.wasm", 200), ("GET", "/app.js", 200), ("GET", "/image.png", 200),
            ("HEAD", "/", 200), ("GET", "/missing", 404), ("GET", "/sub/", 404),
            ("GET", "/../serve.py", 404), ("POST", "/", None), ("BREW", "/", None),
        ]
        for method, path, status in cases:
            with self.subTest(method=method, path=path):
                resp, _ = self.get(path, method=method)
                if status is not None:
                    self.assertEqual(resp.status, status)
                # The callback page's URL holds the authorization code: never stored.
                self.check_security_headers(
                    resp, "no-store" if path.startswith("/callback.html") else "no-cache")
        resp, _ = self.get("/app.js", headers={"Accept-Encoding": "gzip"})
        self.check_security_headers(resp)

    def test_csp_constant_exported(self):
        spec = importlib.util.spec_from_file_location("serve_under_test", SERVE_PY)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        self.assertEqual(module.CSP, EXPECTED_CSP)
        self.assertTrue(callable(module.main))

    def test_protocol_error_still_has_headers(self):
        # 101 header lines: http.server refuses the request (431) before any do_* method runs.
        headers = b"".join(b"X-H%d: v\r\n" % i for i in range(101))
        reply = raw_exchange(self.server.port, b"GET / HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
        self.assertTrue(reply.startswith(b"HTTP/1.1 431 "), reply[:80])
        self.assertIn(b"\r\nContent-Security-Policy: " + EXPECTED_CSP.encode() + b"\r\n", reply)
        self.assertIn(b"\r\nX-Content-Type-Options: nosniff\r\n", reply)


class TestGzip(ServeTestCase):
    COMPRESSIBLE = ("/index.html", "/app.js", "/app.wasm", "/data.json", "/style.css")

    def test_gzip_when_asked(self):
        for path in self.COMPRESSIBLE:
            with self.subTest(path=path):
                resp, data = self.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
                self.assertEqual(resp.status, 200)
                self.assertEqual(resp.getheader("Content-Encoding"), "gzip")
                self.assertIn("accept-encoding", resp.getheader("Vary", "").lower())
                self.assertEqual(int(resp.getheader("Content-Length")), len(data))
                self.assertEqual(gzip.decompress(data), FILES[path.lstrip("/")])

    def test_gzip_cached_bytes_are_stable(self):
        _, first = self.get("/app.wasm", headers={"Accept-Encoding": "gzip"})
        _, second = self.get("/app.wasm", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(first, second)
        self.assertEqual(gzip.decompress(second), APP_WASM)

    def test_no_gzip_when_not_asked(self):
        for headers in ({}, {"Accept-Encoding": "identity"}, {"Accept-Encoding": "gzip;q=0"},
                        {"Accept-Encoding": "br, deflate"}):
            for path in self.COMPRESSIBLE:
                with self.subTest(headers=headers, path=path):
                    resp, data = self.get(path, headers=headers)
                    self.assertEqual(resp.status, 200)
                    self.assertIsNone(resp.getheader("Content-Encoding"))
                    self.assertEqual(data, FILES[path.lstrip("/")])

    def test_no_gzip_for_other_types(self):
        for path in ("/image.png", "/font.woff2", "/font.ttf", "/favicon.ico"):
            with self.subTest(path=path):
                resp, data = self.get(path, headers={"Accept-Encoding": "gzip"})
                self.assertIsNone(resp.getheader("Content-Encoding"))
                self.assertEqual(data, FILES[path.lstrip("/")])

    def test_changed_file_is_recompressed(self):
        path = self.site / "changing.js"
        path.write_bytes(b"// version one\n" * 20)
        try:
            _, data = self.get("/changing.js", headers={"Accept-Encoding": "gzip"})
            self.assertEqual(gzip.decompress(data), b"// version one\n" * 20)
            path.write_bytes(b"// version two!\n" * 20)
            st = path.stat()
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
            _, data = self.get("/changing.js", headers={"Accept-Encoding": "gzip"})
            self.assertEqual(gzip.decompress(data), b"// version two!\n" * 20)
        finally:
            path.unlink()


class TestLogging(ServeTestCase):
    def test_query_string_never_logged(self):
        resp, _ = self.get("/callback.html?code=SECRET123&state=x")
        self.assertEqual(resp.status, 200)
        self.get("/missing.html?code=SECRET123")
        self.get("/callback.html?code=SECRET123", method="POST", body=b"x")
        self.get("/callback.html?code=SECRET123", method="BREW")
        raw_exchange(self.server.port, b"GET /callback.html?code=SECRET123 HTTP/1.1 junk\r\n\r\n")
        self.get("/callback.html?marker=1")  # logged last; everything above is in the log now
        log = self.wait_for_log("/callback.html")
        self.assertIn("/callback.html", log)
        self.assertNotIn("SECRET123", log)
        self.assertNotIn("code=", log)
        self.assertNotIn("marker", log)

    def test_headers_and_bodies_never_logged(self):
        self.get("/index.html", headers={"Authorization": "Bearer HEADERSECRET",
                                         "Cookie": "s=COOKIESECRET", "Referer": "http://x/REFSECRET"})
        self.get("/index.html", method="POST", body=b"client_secret=BODYSECRET")
        log = self.wait_for_log("POST")
        for secret in ("HEADERSECRET", "COOKIESECRET", "REFSECRET", "BODYSECRET"):
            self.assertNotIn(secret, log)

    def test_log_lines_are_short(self):
        self.get("/style.css")
        log = self.wait_for_log("/style.css")
        line = [l for l in log.splitlines() if "/style.css" in l][-1]
        self.assertIn("200", line)
        self.assertIn("GET", line)
        self.assertLess(len(line), 120)


def read_reply(sock, limit):
    """Bytes from `sock` until it closes or `limit` seconds pass; (bytes, closed, seconds)."""
    start = time.monotonic()
    reply = b""
    while True:
        left = limit - (time.monotonic() - start)
        if left <= 0:
            return reply, False, time.monotonic() - start
        sock.settimeout(left)
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            return reply, False, time.monotonic() - start
        except ConnectionResetError:
            return reply, True, time.monotonic() - start
        if not chunk:
            return reply, True, time.monotonic() - start
        reply += chunk


def trickle(port, first, line, every, limit):
    """Send `first`, then `line` every `every` seconds until the server closes the connection
    or `limit` seconds pass; returns (reply bytes, closed, seconds since the first byte)."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
        start = time.monotonic()
        s.sendall(first)
        reply = b""
        while time.monotonic() - start < limit:
            chunk, closed, _ = read_reply(s, every)
            reply += chunk
            if closed:
                return reply, True, time.monotonic() - start
            try:
                s.sendall(line)
            except (BrokenPipeError, ConnectionResetError):
                more, _, _ = read_reply(s, 0.5)
                return reply + more, True, time.monotonic() - start
        return reply, False, time.monotonic() - start


def thread_count(pid):
    for line in Path("/proc/%d/status" % pid).read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    raise AssertionError("no thread count for %d" % pid)


class TestHostHeader(ServeTestCase):
    """DNS rebinding: only the configured Host values are answered (issue 11)."""
    ARGS = ["--public-host", "oauth.example.test", "--public-host", "alt.example.test:9443"]

    def misdirected(self, shown, suggestion):
        return ("421 Misdirected Request\nThis server does not answer for %s, the host in the Host "
                "header (a defence against DNS rebinding); if you reach it under that name, start "
                "serve.py with --public-host %s.\n" % (shown, suggestion)).encode()

    def test_configured_hosts_are_served(self):
        port = self.server.port
        for host in ("127.0.0.1:%d" % port, "localhost:%d" % port, "LocalHost:%d" % port,
                     "[::1]:%d" % port, "oauth.example.test", "oauth.example.test:%d" % port,
                     "oauth.example.test:443", "oauth.example.test:80", "OAUTH.example.test.",
                     "alt.example.test:9443"):
            with self.subTest(host=host):
                self.assert_serves("/", INDEX_HTML, headers={"Host": host})

    def test_other_hosts_are_misdirected(self):
        port = self.server.port
        cases = [
            ("evil.example:%d" % port, "evil.example:%d" % port, "evil.example"),
            ("evil.example", "evil.example", "evil.example"),
            ("127.0.0.1.nip.io:%d" % port, "127.0.0.1.nip.io:%d" % port, "127.0.0.1.nip.io"),
            ("localhost.evil.example:%d" % port, "localhost.evil.example:%d" % port,
             "localhost.evil.example"),
            ("oauth.example.test.evil.example", "oauth.example.test.evil.example",
             "oauth.example.test.evil.example"),
            ("127.0.0.2:%d" % port, "127.0.0.2:%d" % port, "127.0.0.2"),
            ("127.0.0.1:%d" % (port + 1), "127.0.0.1:%d" % (port + 1), "127.0.0.1:%d" % (port + 1)),
            ("localhost", "localhost", "localhost"),
            ("oauth.example.test:1234", "oauth.example.test:1234", "oauth.example.test:1234"),
            ("alt.example.test", "alt.example.test", "alt.example.test"),
            ("[::2]:%d" % port, "[::2]:%d" % port, "[::2]"),
        ]
        for host, shown, suggestion in cases:
            for method in ("GET", "HEAD"):
                with self.subTest(host=host, method=method):
                    resp, data = self.get("/", headers={"Host": host}, method=method)
                    self.assertEqual(resp.status, 421)
                    self.assertEqual(data, b"" if method == "HEAD" else self.misdirected(shown, suggestion))
                    self.assertEqual(resp.getheader("Connection"), "close")
                    self.assertEqual(resp.getheader("Content-Security-Policy"), EXPECTED_CSP)

    def test_missing_repeated_or_malformed_host(self):
        port = self.server.port
        cases = [
            (b"", b"The request must have exactly one Host header."),
            (host_line(port) + b"Host: evil.example\r\n", b"The request must have exactly one Host header."),
            (b"Host: bad_name!:%d\r\n" % port,
             b"The Host header is not a valid host name or address (with an optional port)."),
            (b"Host: 127.0.0.1:99999\r\n",
             b"The Host header is not a valid host name or address (with an optional port)."),
            (b"Host: user@127.0.0.1:%d\r\n" % port,
             b"The Host header is not a valid host name or address (with an optional port)."),
        ]
        for headers, sentence in cases:
            with self.subTest(headers=headers):
                reply = raw_exchange(port, b"GET /index.html HTTP/1.1\r\n" + headers + b"\r\n")
                head, _, body = reply.partition(b"\r\n\r\n")
                self.assertTrue(head.startswith(b"HTTP/1.1 400 "), head[:80])
                self.assertEqual(body, b"400 Bad Request\n" + sentence + b"\n")

    def test_bound_address_is_served(self):
        if not can_bind("127.0.0.2"):
            self.skipTest("127.0.0.2 is not a local address here")
        server = ServerProcess(["--port", "0", "--dir", str(self.site), "--host", "127.0.0.2"])
        self.addCleanup(server.close)
        server.wait_ready()
        for host, status in (("127.0.0.2:%d" % server.port, 200), ("localhost:%d" % server.port, 200),
                             ("127.0.0.3:%d" % server.port, 421)):
            with self.subTest(host=host):
                resp, _ = request("127.0.0.2", server.port, "GET", "/", {"Host": host})
                self.assertEqual(resp.status, status)

    def test_all_interfaces_take_ip_addresses_not_names(self):
        server = ServerProcess(["--port", "0", "--dir", str(self.site), "--host", "0.0.0.0"])
        self.addCleanup(server.close)
        server.wait_ready()
        for host, status in (("127.0.0.1:%d" % server.port, 200), ("192.168.1.20:%d" % server.port, 200),
                             ("192.168.1.20:%d" % (server.port + 1), 421),
                             ("rebound.example:%d" % server.port, 421)):
            with self.subTest(host=host):
                resp, _ = request("127.0.0.1", server.port, "GET", "/", {"Host": host})
                self.assertEqual(resp.status, status)

    def test_bad_public_host_flag(self):
        for value in ("https://oauth.example.com", "oauth.example.com/x", "*.example.com",
                      "oauth.example.com:0", "oauth.example.com:", "bad_name!", ""):
            with self.subTest(value=value):
                result = run_to_exit(["--port", "0", "--dir", str(self.site), "--public-host=" + value])
                self.assertEqual(result.returncode, 2)
                self.assertIn("argument --public-host: not a host name: %r" % value, result.stderr)
                self.assertNotIn("Traceback", result.stderr)


class TestBodiesOnGet(ServeTestCase):
    """A GET or HEAD with a body: the connection closes, the body is never a second request."""
    SMUGGLED = b"GET /callback.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    def test_body_is_not_read_as_a_request(self):
        port = self.server.port
        for method in (b"GET", b"HEAD"):
            for framing in (b"Content-Length: %d\r\n" % len(self.SMUGGLED),
                            b"Transfer-Encoding: chunked\r\n", b"Content-Length: 00001\r\n"):
                with self.subTest(method=method, framing=framing):
                    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
                        s.sendall(method + b" /index.html HTTP/1.1\r\n" + host_line(port) + framing
                                  + b"\r\n" + self.SMUGGLED)
                        reply, closed, took = read_reply(s, 5)
                    self.assertTrue(closed, "the connection stayed open")
                    self.assertEqual(reply.count(b"HTTP/1.1 "), 1, reply)  # one answer, not two
                    head, _, body = reply.partition(b"\r\n\r\n")
                    self.assertTrue(head.startswith(b"HTTP/1.1 400 "), head[:80])
                    self.assertIn(b"\r\nConnection: close\r\n", head)
                    sentence = (b"400 Bad Request\nA %s request must not carry a body; this server "
                                b"closes the connection instead of reading it.\n" % method)
                    self.assertEqual(body, b"" if method == b"HEAD" else sentence)
                    self.assertNotIn(b"callback", reply)

    def test_content_length_zero_keeps_the_connection(self):
        port = self.server.port
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
            s.sendall(b"GET /index.html HTTP/1.1\r\n" + host_line(port) + b"Content-Length: 0\r\n\r\n"
                      + b"GET /callback.html HTTP/1.1\r\n" + host_line(port)
                      + b"Connection: close\r\n\r\n")
            reply, closed, _ = read_reply(s, 5)
        self.assertTrue(closed)
        self.assertEqual(reply.count(b"HTTP/1.1 200 "), 2, reply)
        self.assertIn(INDEX_HTML, reply)
        self.assertIn(CALLBACK_HTML, reply)


class TestSlowClients(ServeTestCase):
    """The whole request must arrive in --request-timeout seconds (1 here), not each read."""
    ARGS = ["--request-timeout", "1"]
    TIMED_OUT = (b"408 Request Timeout\nThe request did not arrive within 1 seconds, this server's "
                 b"limit for one whole request.\n")

    def assert_cut_at_the_limit(self, reply, closed, took, low=0.8, high=2.5):
        self.assertTrue(closed, "the server still listened after %.1f s" % took)
        self.assertGreaterEqual(took, low)
        self.assertLess(took, high)
        head, _, body = reply.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 408 "), reply[:80])
        self.assertEqual(body, self.TIMED_OUT)

    def test_trickled_headers_are_cut_at_the_whole_request_limit(self):
        # One header line every 0.2 s: each read is quick, the request never ends.
        reply, closed, took = trickle(self.server.port,
                                      b"GET / HTTP/1.1\r\n" + host_line(self.server.port),
                                      b"X-Slow: v\r\n", 0.2, 6)
        self.assert_cut_at_the_limit(reply, closed, took)

    def test_trickled_request_line_is_cut(self):
        reply, closed, took = trickle(self.server.port, b"G", b"E", 0.2, 6)
        self.assert_cut_at_the_limit(reply, closed, took)

    def test_a_silent_connection_is_closed(self):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=TIMEOUT) as s:
            reply, closed, took = read_reply(s, 6)
        self.assert_cut_at_the_limit(reply, closed, took, low=0.5)

    def test_each_request_on_a_kept_alive_connection_gets_its_own_time(self):
        with self.connection() as conn:
            for _ in range(2):
                conn.request("GET", "/index.html")
                resp = conn.getresponse()
                self.assertEqual(resp.status, 200)
                self.assertEqual(resp.read(), INDEX_HTML)
                time.sleep(1.5)  # idle, longer than one request's limit: not a slow request

    def test_the_server_still_answers_afterwards(self):
        self.assert_serves("/index.html", INDEX_HTML)


class TestSlowClientDefaults(ServeTestCase):
    """The defaults: 10 s for one whole request, 32 connections at once."""

    def test_header_line_every_second_is_cut_after_ten_seconds(self):
        # Before: one line every 5 s was still being read after 75 s (each read had 30 s).
        reply, closed, took = trickle(self.server.port,
                                      b"GET / HTTP/1.1\r\n" + host_line(self.server.port),
                                      b"X-Slow: v\r\n", 1.0, 14)
        self.assertTrue(closed, "still open after %.1f s" % took)
        self.assertGreaterEqual(took, 9.5)
        self.assertLess(took, 12.0)
        self.assertTrue(reply.startswith(b"HTTP/1.1 408 "), reply[:80])

    def test_connections_beyond_the_cap_get_503_and_threads_stay_bounded(self):
        sockets = []
        try:
            for _ in range(100):  # half-open: connected, nothing sent
                sockets.append(socket.create_connection(("127.0.0.1", self.server.port), timeout=TIMEOUT))
            refused = []
            deadline = time.monotonic() + 5
            for s in sockets:
                s.settimeout(max(0.05, deadline - time.monotonic()))
                try:
                    data = s.recv(4096)
                except socket.timeout:
                    continue  # being handled: waits for its request
                refused.append(data)
            threads = thread_count(self.server.proc.pid)
            self.assertLessEqual(threads, 32 + 1, "one thread per connection: %d" % threads)
            self.assertEqual(len(refused), 100 - 32)
            for data in refused:
                head, _, body = data.partition(b"\r\n\r\n")
                self.assertTrue(head.startswith(b"HTTP/1.1 503 Service Unavailable\r\n"), head[:80])
                self.assertIn(b"\r\nConnection: close\r\n", head)
                self.assertEqual(body, b"503 Service Unavailable\nThis server is already handling 32 "
                                       b"connections; try again in a moment.\n")
        finally:
            for s in sockets:
                s.close()
        deadline = time.monotonic() + TIMEOUT  # the slots come back when those connections end
        while True:
            resp, data = self.get("/index.html")
            if resp.status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertEqual(resp.status, 200)
        self.assertEqual(data, INDEX_HTML)


class TestDotfiles(ServeTestCase):
    SECRET = b"DOTFILE-SECRET\n"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for name in (".env", ".git/config", "sub/.hidden.js", ".well-known/openid-configuration",
                     "sub/.dir/app.js"):
            path = cls.site / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(cls.SECRET)
        try:
            os.symlink(".env", cls.site / "visible.txt")
        except (OSError, NotImplementedError):
            pass

    def test_dotfiles_are_never_served(self):
        paths = ["/.env", "/%2eenv", "/%2Eenv", "/.git/config", "/.git/", "/sub/.hidden.js",
                 "/.well-known/openid-configuration", "/sub/.dir/app.js", "/sub/%2edir/app.js"]
        if (self.site / "visible.txt").is_symlink():
            paths.append("/visible.txt")  # a symlink inside the folder to a dotfile
        for path in paths:
            for method in ("GET", "HEAD"):
                with self.subTest(path=path, method=method):
                    resp, data = self.get(path, method=method)
                    self.assertEqual(resp.status, 404)
                    self.assertNotIn(b"DOTFILE", data)

    def test_names_with_dots_inside_are_served(self):
        self.assert_serves("/app.js", APP_JS)


class TestCallbackNotStored(ServeTestCase):
    def test_callback_files_are_no_store(self):
        for path in ("/callback.html", "/callback.html?code=abc&state=xyz", "/callback.js"):
            for method, headers in (("GET", {}), ("HEAD", {}), ("GET", {"Accept-Encoding": "gzip"})):
                with self.subTest(path=path, method=method, headers=headers):
                    resp, _ = self.get(path, headers=headers, method=method)
                    self.assertEqual(resp.status, 200)
                    self.assertEqual(resp.headers.get_all("Cache-Control"), ["no-store"])

    def test_other_files_stay_no_cache(self):
        for path in ("/", "/index.html", "/app.js", "/sub/inner.js"):
            with self.subTest(path=path):
                resp, _ = self.get(path)
                self.assertEqual(resp.headers.get_all("Cache-Control"), ["no-cache"])


class TestStartupErrors(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.root = Path(self.tmp.name)

    def test_port_taken(self):
        site = make_site(self.root / "site")
        with socket.socket() as blocker:
            blocker.bind(("127.0.0.1", 0))
            blocker.listen(1)
            port = blocker.getsockname()[1]
            result = run_to_exit(["--dir", str(site), "--port", str(port)])
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr,
                         "serve.py: port %d on 127.0.0.1 is already in use; pick another with --port\n" % port)
        self.assertNotIn("Traceback", result.stderr)
        self.assertEqual(result.stdout, "")

    def test_page_not_built_default_folder(self):
        # A copy of serve.py with no build/site next to it: the default folder is missing.
        script = self.root / "serve.py"
        shutil.copy(SERVE_PY, script)
        result = run_to_exit(["--port", "0"], script=script, cwd=self.root)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr,
                         "serve.py: the page is not built: build/site/index.html is missing; "
                         "run the run command from the README first\n")
        self.assertNotIn("Traceback", result.stderr)
        self.assertEqual(result.stdout, "")

    def test_broken_relay_allowlist_beside_serve_py(self):
        # static/relay-hosts.json beside serve.py is not JSON: the relay does not start and says
        # why in one line; serving without the relay is not affected.
        script = self.root / "serve.py"
        shutil.copy(SERVE_PY, script)
        (self.root / "static").mkdir()
        broken = self.root / "static" / "relay-hosts.json"
        broken.write_text('{"presets": {"entra": ["login.microsoftonline.com",]}}\n', encoding="utf-8")
        site = make_site(self.root / "pages" / "site")  # its decoy serve.py goes into pages/
        result = run_to_exit(["--port", "0", "--dir", str(site), "--relay"], script=script, cwd=self.root)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr,
                         "serve.py: the relay's allowlist %s cannot be read: Expecting value: line 1 "
                         "column 52 (char 51)\n" % broken)
        self.assertEqual(result.stdout, "")
        server = ServerProcess(["--port", "0", "--dir", str(site)], script=script, cwd=self.root)
        self.addCleanup(server.close)
        server.wait_ready()
        resp, _ = request("127.0.0.1", server.port, "GET", "/")
        self.assertEqual(resp.status, 200)

    def test_page_not_built_folder_without_index(self):
        script = self.root / "serve.py"
        shutil.copy(SERVE_PY, script)
        (self.root / "build" / "site").mkdir(parents=True)
        (self.root / "build" / "site" / "app.js").write_bytes(APP_JS)
        result = run_to_exit(["--port", "0"], script=script, cwd=self.root)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr,
                         "serve.py: the page is not built: build/site/index.html is missing; "
                         "run the run command from the README first\n")

    def test_page_not_built_with_dir_flag(self):
        empty = self.root / "empty"
        empty.mkdir()
        result = run_to_exit(["--port", "0", "--dir", str(empty)])
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr.count("\n"), 1)
        self.assertTrue(result.stderr.startswith("serve.py: the page is not built: "))
        self.assertIn(str(empty / "index.html"), result.stderr)
        self.assertNotIn("Traceback", result.stderr)

    def test_bad_port_is_a_usage_error(self):
        result = run_to_exit(["--port", "70000"])
        self.assertEqual(result.returncode, 2)
        self.assertNotIn("Traceback", result.stderr)


class TestFlags(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.root = Path(self.tmp.name)

    def start(self, args, **kw):
        server = ServerProcess(args, **kw)
        self.addCleanup(server.close)
        return server.wait_ready()

    def start_on_host(self, host, shown, reach):
        """serve.py --host `host` on a free port: its ready line must show the address `shown`, and
        "/" must answer 200 at the address `reach`. Returns the server and that answer's body."""
        site = make_site(self.root / "site")
        server = self.start(["--port", "0", "--dir", str(site), "--host", host])
        self.assertEqual(server.ready_line, "Serving oauth-setup at http://%s:%d/" % (shown, server.port))
        resp, data = request(reach, server.port, "GET", "/")
        self.assertEqual(resp.status, 200)
        return server, data

    def test_default_folder_next_to_serve_py(self):
        script = self.root / "serve.py"
        shutil.copy(SERVE_PY, script)
        site = self.root / "build" / "site"
        site.mkdir(parents=True)
        (site / "index.html").write_bytes(b"default folder page\n")
        elsewhere = self.root / "elsewhere"
        elsewhere.mkdir()
        server = self.start(["--port", "0"], script=script, cwd=elsewhere)
        resp, data = request("127.0.0.1", server.port, "GET", "/")
        self.assertEqual(resp.status, 200)
        self.assertEqual(data, b"default folder page\n")

    def test_dir_flag(self):
        one = self.root / "one"
        two = self.root / "two"
        for folder, text in ((one, b"page one\n"), (two, b"page two\n")):
            folder.mkdir()
            (folder / "index.html").write_bytes(text)
        server = self.start(["--port", "0", "--dir", str(two)])
        resp, data = request("127.0.0.1", server.port, "GET", "/index.html")
        self.assertEqual(data, b"page two\n")
        # A relative --dir is taken from the current folder.
        server = self.start(["--port", "0", "--dir", "one"], cwd=self.root)
        resp, data = request("127.0.0.1", server.port, "GET", "/")
        self.assertEqual(data, b"page one\n")

    def test_explicit_port(self):
        site = make_site(self.root / "site")
        port = free_port()
        server = self.start(["--port", str(port), "--dir", str(site)])
        self.assertEqual(server.ready_line, "Serving oauth-setup at http://127.0.0.1:%d/" % port)
        resp, _ = request("127.0.0.1", port, "GET", "/")
        self.assertEqual(resp.status, 200)

    def test_default_host_is_loopback_only(self):
        if not can_bind("127.0.0.2"):
            self.skipTest("127.0.0.2 is not a local address here")
        site = make_site(self.root / "site")
        server = self.start(["--port", "0", "--dir", str(site)])
        self.assertEqual(server.host, "127.0.0.1")
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.2", server.port), timeout=TIMEOUT).close()

    def test_host_flag_honored(self):
        if not can_bind("127.0.0.2"):
            self.skipTest("127.0.0.2 is not a local address here")
        server, data = self.start_on_host("127.0.0.2", "127.0.0.2", reach="127.0.0.2")
        self.assertEqual(data, INDEX_HTML)
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT).close()

    def test_host_all_interfaces_prints_loopback(self):
        self.start_on_host("0.0.0.0", "127.0.0.1", reach="127.0.0.1")

    def test_ipv6_host_in_brackets(self):
        if not socket.has_ipv6 or not can_bind("::1", socket.AF_INET6):
            self.skipTest("no IPv6 loopback here")
        _, data = self.start_on_host("::1", "[::1]", reach="::1")
        self.assertEqual(data, INDEX_HTML)

    def test_ipv6_any_prints_loopback(self):
        if not socket.has_ipv6 or not can_bind("::", socket.AF_INET6):
            self.skipTest("no IPv6 here")
        self.start_on_host("::", "127.0.0.1", reach="127.0.0.1")


class TestShutdown(unittest.TestCase):
    def test_ctrl_c_exits_quietly(self):
        with tempfile.TemporaryDirectory() as tmp:
            site = make_site(Path(tmp) / "site")
            server = ServerProcess(["--port", "0", "--dir", str(site)])
            try:
                server.wait_ready()
                resp, _ = request("127.0.0.1", server.port, "GET", "/")
                self.assertEqual(resp.status, 200)
                rest = server.stop(signal.SIGINT)
                self.assertEqual(server.proc.returncode, 0)
                self.assertEqual(rest, b"")
                self.assertNotIn("Traceback", server.stderr())
                self.assertNotIn("KeyboardInterrupt", server.stderr())
            finally:
                server.close()


if __name__ == "__main__":
    unittest.main()
