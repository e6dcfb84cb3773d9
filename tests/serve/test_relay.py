"""Tests for serve.py's CORS relay (--relay): runs serve.py as a real subprocess.

    python3 -m unittest discover -s tests/serve -v      (from the repository root)

Traffic never leaves the loopback interface: the only provider ever contacted is a small fake
one on 127.0.0.1 started by these tests. Targets that must be refused (private, link-local,
metadata addresses; real provider hosts over http; hosts off the allowlist) are refused
before any lookup or connection, and the tests check that they are refused quickly and that
the fake provider saw nothing.

Belt and braces: the relay servers run serve.py through sandboxed_serve.py, where host names
resolve only from a table in the test (real provider names map to loopback or to forbidden
addresses) and any connect() to a non-loopback address fails and is logged. Every test then
checks that nothing was blocked, so even a broken relay cannot reach the network here.
"""

import http.client
import http.server
import importlib.util
import ipaddress
import json
import os
import socket
import sys
import tempfile
import threading
import time
import unittest
from pathlib import Path
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_serve import (EXPECTED_CSP, SERVE_PY, TIMEOUT, OneServer, ServerProcess,  # noqa: E402
                        free_port, host_line, make_site, raw_exchange, request, run_to_exit)

SANDBOX_PY = Path(__file__).resolve().parent / "sandboxed_serve.py"

QUICK = 2.0  # seconds: a refusal made before connecting anywhere must come at least this fast
MAX_REQUEST = 64 * 1024
MAX_RESPONSE = 1024 * 1024

DEFAULT_ALLOWED = [
    "login.microsoftonline.com", "login.microsoft.com", "oauth2.googleapis.com",
    "accounts.google.com", "*.amazoncognito.com", "api.dropboxapi.com", "api.dropbox.com",
    "www.linkedin.com",
]

# Headers the relay itself may send upstream; everything else must come from the forwarded three.
RELAY_OWN_HEADERS = {"host", "user-agent", "content-length", "accept-encoding", "connection"}
FORWARDED = {"content-type", "accept", "authorization", "dpop"}

SECRET_AUTH = "Basic Q0xJRU5UOlNVUEVSU0VDUkVUQVVUSA=="
SECRET_BODY = b"grant_type=authorization_code&code=BODYSECRETCODE&client_secret=BODYSECRETVALUE"

TOKEN_JSON = b'{"access_token":"AT-123","token_type":"Bearer","expires_in":3600}'
ERROR_JSON = b'{"error":"invalid_grant","error_description":"The code has expired."}'


def msg_not_allowed(host):
    return ("The target host %s is not on the relay's allowlist; start serve.py with "
            "--relay-allow %s to add it." % (host, host))


MSG_HTTPS_ONLY = "The relay only forwards to https:// targets, and this target uses plain http."
MSG_MISSING = ("The X-OAuth-Setup-Target header is missing; it must hold the absolute https:// "
               "URL to forward the POST to.")
MSG_NOT_ABSOLUTE = ("The X-OAuth-Setup-Target header must be an absolute https:// URL, such as "
                    "https://login.microsoftonline.com/common/oauth2/v2.0/token.")
MSG_BAD_CHARS = ("The X-OAuth-Setup-Target header contains spaces, control characters, "
                 "backslashes or non-ASCII characters, which the relay does not accept in a "
                 "target URL.")
MSG_INVALID_URL = "The X-OAuth-Setup-Target header is not a valid URL (check the host and port)."
MSG_USERINFO = ("The target URL must not contain a user name or password; send credentials in "
                "the Authorization header or the request body.")
MSG_NO_HOST = "The target URL does not have a valid host name."
MSG_TWO_TARGETS = "The request has more than one X-OAuth-Setup-Target header."
MSG_TOO_LARGE = "The request body is larger than 64 KiB, the relay's limit."
MSG_CROSS_ORIGIN = ("The relay only answers the page served by this server, and this request "
                    "comes from another origin.")
MSG_REDIRECT = "The provider answered with a redirect (HTTP %d), which the relay does not follow."
MSG_RESPONSE_TOO_LARGE = "The provider's answer is larger than 1 MiB, the relay's limit."
MSG_TIMEOUT = "The provider did not answer within the relay's 1-second limit."


def msg_address(target_text, ip, kind):
    ip = str(ipaddress.ip_address(ip))  # the text form differs between Python versions
    if target_text is None:
        return "The target address %s is %s, which the relay never connects to." % (ip, kind)
    return ("The target host %s resolves to %s, %s, which the relay never connects to."
            % (target_text, ip, kind))


# ---------------------------------------------------------------------------------------------
# A fake provider on 127.0.0.1
# ---------------------------------------------------------------------------------------------
DPOP_NONCE_JSON = b'{"error":"use_dpop_nonce","error_description":"Authorization server requires nonce in DPoP proof"}'


class FakeProviderHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        self.server.record(self.command, self.path, list(self.headers.items()), body)
        route = self.path.split("?", 1)[0]
        if route == "/token":
            self.reply(200, "application/json", TOKEN_JSON)
        elif route == "/error":
            self.reply(400, "application/json;charset=UTF-8", ERROR_JSON)
        elif route == "/dpop-nonce":  # RFC 9449 section 8's answer: retry with this nonce
            self.reply(400, "application/json", DPOP_NONCE_JSON, [
                ("DPoP-Nonce", "eyJ7S_zG.eyJH0-Z.HX4w-7v"),
                ("WWW-Authenticate", 'DPoP error="use_dpop_nonce"'),
                ("X-Provider-Internal", "not for the page")])
        elif route == "/text":
            self.reply(401, "text/plain; charset=utf-8", b"unauthorized, plain text\n")
        elif route == "/no-content":
            self.send_response(204)
            self.end_headers()
        elif route == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/token")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif route == "/slow":
            time.sleep(3)
            self.reply(200, "application/json", TOKEN_JSON)
        elif route == "/drip":  # headers at once, then one body byte every 0.3 s (3 s in all)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "10")
            self.end_headers()
            self.wfile.flush()
            for _ in range(10):
                time.sleep(0.3)
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:
                    return
        elif route == "/big":
            self.reply(200, "application/json", b"x" * (MAX_RESPONSE + 1))
        elif route == "/big-unsized":  # no Content-Length: the body ends when the connection does
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            try:
                self.wfile.write(b"y" * (MAX_RESPONSE + 1))
            except OSError:
                pass
        elif route == "/odd-status":  # a status line no real provider sends
            self.wfile.write(b"HTTP/1.1 700 Odd\r\nContent-Type: text/plain\r\n"
                             b"Content-Length: 3\r\nConnection: close\r\n\r\nodd")
            self.close_connection = True
        elif route == "/exact-max":
            self.reply(200, "application/octet-stream", b"z" * MAX_RESPONSE)
        else:
            self.reply(404, "text/plain", b"no such fake route\n")

    def reply(self, status, content_type, body, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass


class FakeProvider(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FakeProviderHandler)
        self.lock = threading.Lock()
        self.requests = []
        self.connections = 0
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    @property
    def port(self):
        return self.server_address[1]

    def url(self, path, scheme="http", host="127.0.0.1"):
        return "%s://%s:%d%s" % (scheme, host, self.port, path)

    def verify_request(self, request, client_address):
        with self.lock:
            self.connections += 1
        return True

    def record(self, method, path, headers, body):
        with self.lock:
            self.requests.append({"method": method, "path": path, "headers": headers, "body": body})

    def snapshot(self):
        with self.lock:
            return self.connections, list(self.requests)

    def stop(self):
        self.shutdown()
        self.server_close()


def header_values(headers, name):
    return [v for k, v in headers if k.lower() == name.lower()]


# ---------------------------------------------------------------------------------------------
# Shared set-up
# ---------------------------------------------------------------------------------------------
class RelayTestCase(OneServer, unittest.TestCase):
    SERVER_ARGS = ["--relay"]
    SANDBOX = True  # run serve.py through sandboxed_serve.py
    DNS = {}  # the sandbox's names: {"name": [[first answer's ips], [second answer's], ...]}

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.site = make_site(Path(cls.tmp.name) / "site")
        cls.fake = FakeProvider()
        args = ["--port", "0", "--dir", str(cls.site)] + cls.server_args()
        cls.sandbox_log = Path(cls.tmp.name) / "sandbox.log"
        cls.sandbox_log.write_text("")
        if cls.SANDBOX:
            config = Path(cls.tmp.name) / "sandbox.json"
            config.write_text(json.dumps({"dns": cls.DNS, "log": str(cls.sandbox_log)}))
            cls.server = ServerProcess([str(config)] + args, script=SANDBOX_PY).wait_ready()
        else:
            cls.server = ServerProcess(args).wait_ready()

    def setUp(self):
        self.sandbox_log_start = len(self.sandbox_log.read_text().splitlines())

    def tearDown(self):
        lines = self.sandbox_log.read_text().splitlines()[self.sandbox_log_start:]
        blocked = [l for l in lines if l.startswith("BLOCKED")]
        self.assertEqual(blocked, [], "serve.py tried to connect outside the loopback interface")

    def lookups(self, name):
        """How many times the sandboxed serve.py looked `name` up."""
        return self.sandbox_log.read_text().splitlines().count("LOOKUP " + name)

    @classmethod
    def server_args(cls):
        return list(cls.SERVER_ARGS)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.fake.stop()
        cls.tmp.cleanup()

    @property
    def origin(self):
        return "http://127.0.0.1:%d" % self.server.port

    def relay(self, target=None, body=b"", headers=None, method="POST", origin=True):
        """POST to /relay; returns (response, body bytes, seconds taken)."""
        all_headers = {}
        if origin:
            all_headers["Origin"] = self.origin  # what a browser sends on a same-origin POST
        if target is not None:
            all_headers["X-OAuth-Setup-Target"] = target
        all_headers.update(headers or {})
        start = time.monotonic()
        resp, data = request("127.0.0.1", self.server.port, method, "/relay", all_headers, body)
        return resp, data, time.monotonic() - start

    def assert_relay_error(self, resp, data, status, error, description):
        self.assertEqual(resp.status, status, data)
        self.assertEqual(resp.getheader("Content-Type"), "application/json")
        self.assertEqual(json.loads(data), {"error": error, "error_description": description})
        self.assertEqual(resp.getheader("X-OAuth-Setup-Relay"), "1")
        self.assert_common_headers(resp)

    def assert_common_headers(self, resp):
        self.assertEqual(resp.getheader("Content-Security-Policy"), EXPECTED_CSP)
        self.assertEqual(resp.getheader("X-Content-Type-Options"), "nosniff")
        self.assertEqual(resp.getheader("Referrer-Policy"), "no-referrer")
        self.assertEqual(resp.getheader("Cross-Origin-Opener-Policy"), "unsafe-none")
        # Relayed token answers must not be stored (RFC 6749 section 5.1), nor the relay status.
        self.assertEqual(resp.headers.get_all("Cache-Control"), ["no-store"])
        cors = [k for k, _ in resp.getheaders() if k.lower().startswith("access-control-")]
        self.assertEqual(cors, [])

    def assert_refused_before_connecting(self, target, status, description, **kw):
        before = self.fake.snapshot()
        resp, data, took = self.relay(target, **kw)
        self.assert_relay_error(resp, data, status, "relay_refused", description)
        self.assertLess(took, QUICK, "a refusal must come before any connection attempt")
        self.assertEqual(self.fake.snapshot(), before, "the fake provider was contacted")


# ---------------------------------------------------------------------------------------------
# Relay off
# ---------------------------------------------------------------------------------------------
class TestRelayOff(RelayTestCase):
    SERVER_ARGS = []

    def test_relay_paths_are_missing_files(self):
        _, missing = request("127.0.0.1", self.server.port, "GET", "/missing-file")
        for path in ("/relay", "/relay/", "/relay/info", "/relay?x=1"):
            with self.subTest(path=path):
                resp, data = request("127.0.0.1", self.server.port, "GET", path)
                self.assertEqual(resp.status, 404)
                self.assertEqual(data, missing)
                self.assertIsNone(resp.getheader("X-OAuth-Setup-Relay"))
        resp, data = request("127.0.0.1", self.server.port, "HEAD", "/relay")
        self.assertEqual(resp.status, 404)

    def test_post_is_not_forwarded(self):
        missing, _ = request("127.0.0.1", self.server.port, "POST", "/missing-file", body=b"a=b")
        before = self.fake.snapshot()
        resp, data, _ = self.relay(self.fake.url("/token"), body=b"a=b")
        self.assertEqual(resp.status, missing.status)  # exactly like a POST to a missing file
        self.assertNotIn(b"access_token", data)
        self.assertIsNone(resp.getheader("X-OAuth-Setup-Relay"))
        self.assertEqual(self.fake.snapshot(), before)


# ---------------------------------------------------------------------------------------------
# Flags
# ---------------------------------------------------------------------------------------------
class TestRelayFlags(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.site = make_site(Path(self.tmp.name) / "site")

    def start(self, args):
        server = ServerProcess(["--port", "0", "--dir", str(self.site)] + args)
        self.addCleanup(server.close)
        return server.wait_ready()

    def test_relay_options_need_relay(self):
        for args in (["--relay-allow", "auth.example.com"], ["--relay-timeout", "5"],
                     ["--relay-allow-loopback-for-tests"]):
            with self.subTest(args=args):
                result = run_to_exit(["--port", "0", "--dir", str(self.site)] + args)
                self.assertEqual(result.returncode, 2)
                self.assertEqual(result.stderr,
                                 "serve.py: --relay-allow, --relay-timeout and "
                                 "--relay-allow-loopback-for-tests only apply with --relay\n")
                self.assertEqual(result.stdout, "")

    def test_bad_relay_allow(self):
        for value in ("https://auth.example.com", "auth.example.com/token", "auth.example.com:0",
                      "auth.example.com:65536", "auth.example.com:", "auth.example.com:x",
                      ":8443", "[::1]8443", "user@auth.example.com", "*", "*.", "ex ample.com", "*.*.example.com", "-a.com",
                      "*.10.0.0.1", "10.1", ""):
            with self.subTest(value=value):
                result = run_to_exit(["--relay", "--relay-allow=" + value, "--port", "0",
                                      "--dir", str(self.site)])
                self.assertEqual(result.returncode, 2)
                self.assertIn("argument --relay-allow: not a host name: %r" % value, result.stderr)
                self.assertNotIn("Traceback", result.stderr)
        result = run_to_exit(["--relay", "--relay-allow", "*.com", "--port", "0", "--dir", str(self.site)])
        self.assertEqual(result.returncode, 2)
        self.assertIn("argument --relay-allow: too broad: '*.com'", result.stderr)

    def test_bad_relay_timeout(self):
        for value in ("0", "-1", "abc", "nan", "601"):
            with self.subTest(value=value):
                result = run_to_exit(["--relay", "--relay-timeout", value, "--port", "0",
                                      "--dir", str(self.site)])
                self.assertEqual(result.returncode, 2)
                self.assertIn("argument --relay-timeout", result.stderr)
                self.assertNotIn("Traceback", result.stderr)

    def test_loopback_flag_warns_at_startup(self):
        server = self.start(["--relay", "--relay-allow-loopback-for-tests"])
        self.assertEqual(server.ready_line, "Serving oauth-setup at http://127.0.0.1:%d/" % server.port)
        deadline = time.monotonic() + TIMEOUT
        while "warning" not in server.stderr() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(server.stderr().splitlines()[0],
                         "serve.py: warning: --relay-allow-loopback-for-tests is on: the relay also "
                         "forwards to http:// targets, loopback addresses and any port; use it only "
                         "in tests")

    def test_no_warning_without_the_test_flag(self):
        server = self.start(["--relay"])
        resp, _ = request("127.0.0.1", server.port, "GET", "/relay")
        self.assertEqual(resp.status, 200)
        self.assertNotIn("warning", server.stderr())


# ---------------------------------------------------------------------------------------------
# GET /relay and the endpoint's own rules
# ---------------------------------------------------------------------------------------------
class TestRelayInfo(RelayTestCase):
    SERVER_ARGS = ["--relay", "--relay-allow", "Auth.Example.com", "--relay-allow", "*.example.org",
                   "--relay-allow", "[::1]", "--relay-allow", "login.microsoftonline.com",
                   "--relay-allow", "alt.example.com:8443", "--relay-allow", "Auth.Example.com:443",
                   "--relay-allow", "[::1]:8443", "--public-host", "oauth.test"]

    def test_info(self):
        for path in ("/relay", "/relay?probe=1"):
            with self.subTest(path=path):
                resp, data = request("127.0.0.1", self.server.port, "GET", path)
                self.assertEqual(resp.status, 200)
                self.assertEqual(resp.getheader("Content-Type"), "application/json")
                self.assertEqual(int(resp.getheader("Content-Length")), len(data))
                # The exact shape the page reads (documented at the top of serve.py).
                self.assertEqual(json.loads(data), {
                    "relay": True,
                    "allow": DEFAULT_ALLOWED + ["auth.example.com", "*.example.org", "[::1]",
                                                "alt.example.com:8443", "[::1]:8443"],
                })
                self.assertEqual(resp.getheader("X-OAuth-Setup-Relay"), "1")
                self.assert_common_headers(resp)

    def test_info_same_origin(self):
        resp, data = request("127.0.0.1", self.server.port, "GET", "/relay",
                             {"Origin": self.origin, "Sec-Fetch-Site": "same-origin"})
        self.assertEqual(resp.status, 200)
        self.assertTrue(json.loads(data)["relay"])

    def test_head(self):
        resp, data = request("127.0.0.1", self.server.port, "HEAD", "/relay")
        self.assertEqual(resp.status, 200)
        self.assertEqual(data, b"")
        self.assertEqual(resp.getheader("Content-Type"), "application/json")

    def test_other_methods(self):
        for method in ("PUT", "DELETE", "PATCH", "OPTIONS"):
            with self.subTest(method=method):
                resp, data = request("127.0.0.1", self.server.port, method, "/relay",
                                     {"Origin": "http://evil.example",
                                      "Access-Control-Request-Method": "POST"}
                                     if method == "OPTIONS" else {})
                self.assertEqual(resp.status, 403 if method == "OPTIONS" else 405)
                self.assert_common_headers(resp)  # above all: no Access-Control-* headers
                self.assertEqual(json.loads(data)["error"], "relay_refused")
                if method != "OPTIONS":
                    self.assertEqual(resp.getheader("Allow"), "GET, HEAD, POST")

    def test_other_paths_are_static(self):
        for path in ("/relay/", "/relay/x", "/relayx", "/Relay"):
            with self.subTest(path=path):
                resp, _ = request("127.0.0.1", self.server.port, "GET", path)
                self.assertEqual(resp.status, 404)
                self.assertIsNone(resp.getheader("X-OAuth-Setup-Relay"))

    def test_cross_origin_refused(self):
        cases = [
            {"Origin": "http://evil.example"},
            {"Origin": "null"},
            {"Origin": "http://127.0.0.1"},
            {"Origin": "https://evil.example:%d" % self.server.port},
            {"Origin": "http://127.0.0.1:%d" % (self.server.port + 1)},
            {"Origin": "http://localhost:%d" % self.server.port},
            {"Sec-Fetch-Site": "cross-site"},
            {"Sec-Fetch-Site": "same-site"},
        ]
        for headers in cases:
            for method in ("GET", "POST"):
                with self.subTest(headers=headers, method=method):
                    # (a GET carries no body: one with a body is refused before this rule)
                    resp, data, took = self.relay("https://not-allowed.example/token",
                                                  body=b"a=b" if method == "POST" else None,
                                                  headers=headers, method=method, origin=False)
                    self.assert_relay_error(resp, data, 403, "relay_refused", MSG_CROSS_ORIGIN)
                    self.assertLess(took, QUICK)

    def test_same_origin_passes_the_origin_check(self):
        # A same-origin Origin header passes; the next rule (the allowlist) is what answers.
        port = self.server.port
        for headers in ({"Sec-Fetch-Site": "same-origin"},
                        {"Origin": "HTTP://127.0.0.1:%d" % port},
                        {"Origin": "https://127.0.0.1:%d" % port},  # a TLS proxy in front
                        {"Origin": "http://localhost:%d" % port, "Host": "localhost:%d" % port},
                        {"Origin": "http://oauth.test", "Host": "oauth.test:80"},
                        {"Origin": "https://oauth.test:443", "Host": "oauth.test"}):
            with self.subTest(headers=headers):
                resp, data, _ = self.relay("https://not-allowed.example/token", body=b"a=b",
                                           headers=headers)
                self.assert_relay_error(resp, data, 403, "relay_refused",
                                        msg_not_allowed("not-allowed.example"))

    def test_foreign_host_refused(self):
        # DNS rebinding: an attacker's name pointed at 127.0.0.1 carries its own Host and Origin.
        port = self.server.port
        for host in ("evil.example:%d" % port, "127.0.0.1.nip.io:%d" % port, "oauth.test:1234"):
            for method in ("GET", "POST"):
                with self.subTest(host=host, method=method):
                    before = self.fake.snapshot()
                    name, _, host_port = host.rpartition(":")
                    resp, data, _ = self.relay(self.fake.url("/token"), body=b"a=b" if method == "POST" else None,
                                               method=method, origin=False,
                                               headers={"Host": host, "Origin": "http://" + host})
                    suggestion = name if host_port == str(port) else host
                    self.assert_relay_error(
                        resp, data, 421, "relay_refused",
                        "This server does not answer for %s, the host in the Host header (a defence "
                        "against DNS rebinding); if you reach it under that name, start serve.py "
                        "with --public-host %s." % (host, suggestion))
                    self.assertEqual(self.fake.snapshot(), before)

    def test_status_with_a_body_is_refused_and_closes(self):
        port = self.server.port
        smuggled = b"POST /relay HTTP/1.1\r\n" + host_line(port) + b"Content-Length: 0\r\n\r\n"
        reply = raw_exchange(port, b"GET /relay HTTP/1.1\r\n" + host_line(port)
                             + b"Content-Length: %d\r\n\r\n" % len(smuggled) + smuggled)
        self.assertEqual(reply.count(b"HTTP/1.1 "), 1, reply)
        head, _, body = reply.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 400 "), head[:80])
        self.assertEqual(json.loads(body), {
            "error": "relay_refused",
            "error_description": "A GET request must not carry a body; this server closes the "
                                 "connection instead of reading it."})


# ---------------------------------------------------------------------------------------------
# Refusals (no test flag): every one of them before any lookup or connection
# ---------------------------------------------------------------------------------------------
class TestRelayRefusals(RelayTestCase):
    ADDRESSES = ["localhost", "127.0.0.1", "10.0.0.1", "192.168.1.1", "172.16.0.1",
                 "169.254.169.254", "169.254.1.1", "[::1]", "100.100.100.200", "[fd00:ec2::254]",
                 "100.64.0.1", "0.0.0.0", "224.0.0.1", "240.0.0.1", "[::ffff:10.0.0.1]",
                 "[fe80::1]", "[fc00::1]", "[64:ff9b::a9fe:a9fe]", "[fec0::1]", "192.0.0.9",
                 "192.0.0.1", "[::ffff:192.0.0.10]"]

    DNS = {  # allowed names that resolve to addresses the relay must refuse
        "login.microsoftonline.com": [["10.0.0.1"]],
        "oauth2.googleapis.com": [["20.190.160.1", "169.254.169.254"]],  # public first: all are checked
        "accounts.google.com": [["::1"]],
        "mydomain.auth.us-east-1.amazoncognito.com": [["192.168.0.5"]],
        "a.b.example.org": [["100.64.0.9"]],
        "www.linkedin.com": [["fd00:ec2::254"]],
        "site-local.example.org": [["2606:4700::1111", "fec0::5"]],
        "ietf.example.org": [["192.0.0.170"]],
    }

    @classmethod
    def server_args(cls):
        args = ["--relay", "--relay-allow", "*.example.org"]
        for host in cls.ADDRESSES:  # also on the fake provider's port, which the tests use
            args += ["--relay-allow", host, "--relay-allow", "%s:%d" % (host, cls.fake.port)]
        return args

    def test_http_target_refused_without_the_test_flag(self):
        for target in ("http://login.microsoftonline.com/common/oauth2/v2.0/token",
                       self.fake.url("/token")):
            with self.subTest(target=target):
                self.assert_refused_before_connecting(target, 403, MSG_HTTPS_ONLY, body=b"a=b")

    def test_host_not_on_allowlist(self):
        for target, host in (("https://example.com/token", "example.com"),
                             ("https://login.microsoftonline.com.evil.example/x",
                              "login.microsoftonline.com.evil.example"),
                             ("https://LOGIN.evil.example/x", "login.evil.example"),
                             ("https://192.0.2.1/token", "192.0.2.1")):
            with self.subTest(target=target):
                self.assert_refused_before_connecting(target, 403, msg_not_allowed(host), body=b"a=b")

    def test_allowed_names_resolving_to_forbidden_addresses(self):
        cases = [  # (target, the refused address, why); the sandbox's DNS answers above
            ("https://login.microsoftonline.com/common/oauth2/v2.0/token", "10.0.0.1",
             "a private address"),
            ("https://oauth2.googleapis.com/token", "169.254.169.254", "a cloud metadata address"),
            ("https://accounts.google.com/o/oauth2/token", "::1", "a loopback address"),
            ("https://mydomain.auth.us-east-1.amazoncognito.com/oauth2/token", "192.168.0.5",
             "a private address"),
            ("https://a.b.example.org/token", "100.64.0.9", "a carrier-grade NAT (shared) address"),
            ("https://www.linkedin.com/oauth/v2/accessToken", "fd00:ec2::254",
             "a cloud metadata address"),
        ]
        for target, ip, kind in cases:
            with self.subTest(target=target):
                host = target.split("/")[2]
                self.assert_refused_before_connecting(target, 403, msg_address(host, ip, kind),
                                                      body=b"a=b")
                self.assertEqual(self.lookups(host), 1)  # looked up once, then refused

    def test_unknown_name(self):
        resp, data, took = self.relay("https://api.dropbox.com/oauth2/token", body=b"a=b")
        self.assert_relay_error(resp, data, 502, "relay_failed",
                                "The address of the target host api.dropbox.com could not be looked up.")
        self.assertLess(took, QUICK)

    def test_refused_names_are_never_looked_up(self):
        for target, host, status in (("https://evil-amazoncognito.com/x", "evil-amazoncognito.com", 403),
                                     ("https://example.com/x", "example.com", 403),
                                     ("http://login.microsoftonline.com/x", "login.microsoftonline.com", 403),
                                     ("https://bad_host!.example/x", "bad_host!.example", 400)):
            with self.subTest(target=target):
                before = self.lookups(host)
                resp, _, _ = self.relay(target, body=b"a=b")
                self.assertEqual(resp.status, status)
                self.assertEqual(self.lookups(host), before)

    def test_wildcard_non_matches(self):
        for host in ("evil-amazoncognito.com", "amazoncognito.com", "xamazoncognito.com",
                     "amazoncognito.com.evil.example", "example.org", "evil-example.org"):
            with self.subTest(host=host):
                self.assert_refused_before_connecting("https://%s/oauth2/token" % host, 403,
                                                      msg_not_allowed(host), body=b"a=b")

    def test_wildcard_matches(self):
        # The allowlist is checked before the scheme: an http target on a wildcard host gets
        # past the allowlist and is refused by the https rule, still before any lookup.
        for host in ("mydomain.auth.us-east-1.amazoncognito.com", "cognito-idp.amazoncognito.com",
                     "a.example.org", "a.b.example.org", "A.Example.Org."):
            with self.subTest(host=host):
                self.assert_refused_before_connecting("http://%s/oauth2/token" % host, 403,
                                                      MSG_HTTPS_ONLY, body=b"a=b")
        # Exact entries are exact: www.linkedin.com does not allow its sibling or parent.
        for host in ("linkedin.com", "api.linkedin.com"):
            with self.subTest(host=host):
                self.assert_refused_before_connecting("https://%s/oauth/v2/accessToken" % host, 403,
                                                      msg_not_allowed(host), body=b"a=b")

    def test_non_public_addresses_refused(self):
        port = self.fake.port  # if the relay did connect, the fake provider would notice
        localhost = socket.getaddrinfo("localhost", port, socket.AF_UNSPEC, socket.SOCK_STREAM,
                                       socket.IPPROTO_TCP)[0][4][0]  # the first address is checked first
        cases = [  # (host in the URL, the address refused, why); None: the host is that address
            ("localhost", localhost, "a loopback address"),
            ("127.0.0.1", None, "a loopback address"),
            ("[::1]", None, "a loopback address"),
            ("10.0.0.1", None, "a private address"),
            ("192.168.1.1", None, "a private address"),
            ("172.16.0.1", None, "a private address"),
            ("[fc00::1]", None, "a private address"),
            ("169.254.169.254", None, "a cloud metadata address"),
            ("[fd00:ec2::254]", None, "a cloud metadata address"),
            ("100.100.100.200", None, "a cloud metadata address"),
            ("169.254.1.1", None, "a link-local address"),
            ("[fe80::1]", None, "a link-local address"),
            ("100.64.0.1", None, "a carrier-grade NAT (shared) address"),
            ("0.0.0.0", None, "the unspecified address"),
            ("224.0.0.1", None, "a multicast address"),
            ("240.0.0.1", None, "a reserved address"),
            ("[::ffff:10.0.0.1]", None, "a private address"),
            ("[64:ff9b::a9fe:a9fe]", None, "a cloud metadata address"),
        ]
        for host, ip, kind in cases:
            with self.subTest(host=host):
                if ip is None:
                    expected = msg_address(None, host.strip("[]"), kind)
                else:
                    expected = msg_address(host, ip, kind)
                self.assert_refused_before_connecting("https://%s:%d/token" % (host, port), 403,
                                                      expected, body=SECRET_BODY,
                                                      headers={"Authorization": SECRET_AUTH})

    def test_site_local_and_ietf_protocol_addresses_refused(self):
        # Both passed before: Python counts fec0::/10 and 192.0.0.9/10 as global.
        site_local, ietf = "a site-local address (fec0::/10)", \
            "an IETF protocol assignment address (192.0.0.0/24)"
        port = self.fake.port
        for host, ip, kind in (("[fec0::1]", None, site_local), ("192.0.0.9", None, ietf),
                               ("192.0.0.1", None, ietf), ("[::ffff:192.0.0.10]", None, ietf),
                               ("site-local.example.org", "fec0::5", site_local),
                               ("ietf.example.org", "192.0.0.170", ietf)):
            targets = ["https://%s/token" % host]
            if ip is None:  # the addresses are allowlisted on the fake provider's port too
                targets.append("https://%s:%d/token" % (host, port))
            for target in targets:
                with self.subTest(target=target):
                    expected = (msg_address(None, host.strip("[]"), kind) if ip is None
                                else msg_address(host, ip, kind))
                    self.assert_refused_before_connecting(target, 403, expected, body=b"a=b")

    def test_missing_or_malformed_target(self):
        cases = [
            (None, MSG_MISSING),
            ("", MSG_NOT_ABSOLUTE),
            ("not a url", MSG_BAD_CHARS),
            ("/token", MSG_NOT_ABSOLUTE),
            ("login.microsoftonline.com/token", MSG_NOT_ABSOLUTE),
            ("//login.microsoftonline.com/token", MSG_NOT_ABSOLUTE),
            ("ftp://login.microsoftonline.com/token", MSG_NOT_ABSOLUTE),
            ("file:///etc/passwd", MSG_NOT_ABSOLUTE),
            ("javascript:alert(1)", MSG_NOT_ABSOLUTE),
            ("https://", MSG_NOT_ABSOLUTE),
            ("https://user:pw@login.microsoftonline.com/token", MSG_USERINFO),
            ("https://login.microsoftonline.com@10.0.0.1/token", MSG_USERINFO),
            ("https://login.microsoftonline.com:99999/token", MSG_INVALID_URL),
            ("https://login.microsoftonline.com:x/token", MSG_INVALID_URL),
            ("https://[::1/token", MSG_INVALID_URL),
            ("https://login.microsoftonline.com\\@evil.example/", MSG_BAD_CHARS),
            ("https://login.microsoftonline.com/a b", MSG_BAD_CHARS),
            ("https://log\tin.microsoftonline.com/", MSG_BAD_CHARS),
            ("https://bad_host!.example/", MSG_NO_HOST),
            ("https://-bad.example/", MSG_NO_HOST),
            ("https://10.1/", MSG_NO_HOST),
            ("https://:443/", MSG_NO_HOST),
        ]
        for target, description in cases:
            with self.subTest(target=target):
                self.assert_refused_before_connecting(target, 400, description, body=b"a=b")

    def test_two_target_headers(self):
        with self.connection() as conn:
            conn.putrequest("POST", "/relay")
            conn.putheader("X-OAuth-Setup-Target", "https://login.microsoftonline.com/t")
            conn.putheader("X-OAuth-Setup-Target", "https://example.com/t")
            conn.putheader("Content-Length", "0")
            conn.endheaders()
            resp = conn.getresponse()
            self.assert_relay_error(resp, resp.read(), 400, "relay_refused", MSG_TWO_TARGETS)

    def test_body_too_large(self):
        target = "https://localhost:%d/token" % self.fake.port
        self.assert_refused_before_connecting(target, 413, MSG_TOO_LARGE, body=b"a" * (MAX_REQUEST + 1))
        # Even a body the relay would refuse on the address is refused on size first.
        self.assert_refused_before_connecting(target, 413, MSG_TOO_LARGE, body=b"a" * (MAX_REQUEST * 4))

    def test_chunked_or_bad_length_refused(self):
        cases = [
            (b"Transfer-Encoding: chunked\r\n", b"3\r\na=b\r\n0\r\n\r\n",
             "The relay does not accept chunked request bodies; send the body with a "
             "Content-Length header."),
            (b"Content-Length: -1\r\n", b"", "The request's Content-Length header is not valid."),
            (b"Content-Length: 3\r\nContent-Length: 4\r\n", b"a=b",
             "The request's Content-Length header is not valid."),
        ]
        for extra, body, description in cases:
            with self.subTest(extra=extra):
                with socket.create_connection(("127.0.0.1", self.server.port), timeout=TIMEOUT) as s:
                    s.sendall(b"POST /relay HTTP/1.1\r\n" + host_line(self.server.port)
                              + b"X-OAuth-Setup-Target: "
                              b"https://localhost/token\r\n" + extra + b"\r\n" + body)
                    resp = http.client.HTTPResponse(s)
                    resp.begin()
                    self.assertEqual(resp.status, 400)
                    self.assertEqual(json.loads(resp.read())["error_description"], description)

    def test_log_shows_only_method_path_host_status(self):
        self.relay("https://169.254.169.254/latest/meta-data?token=QUERYSECRET", body=SECRET_BODY,
                   headers={"Authorization": SECRET_AUTH, "Cookie": "s=COOKIESECRET"})
        log = self.wait_for_log("POST /relay -> 169.254.169.254 403")
        for secret in ("QUERYSECRET", "meta-data", "COOKIESECRET", SECRET_AUTH, "Q0xJRU5U",
                       "BODYSECRET", "client_secret"):
            self.assertNotIn(secret, log)


# ---------------------------------------------------------------------------------------------
# Ports (no test flag): 443 unless the host is allowlisted with its port
# ---------------------------------------------------------------------------------------------
class TestRelayPorts(RelayTestCase):
    SERVER_ARGS = ["--relay", "--relay-allow", "auth.example.com", "--relay-allow",
                   "alt.example.com:8443", "--relay-allow", "*.ports.example:9443"]
    DNS = {  # loopback answers: a target that gets past the port rule is refused on its address
        "auth.example.com": [["127.0.0.1"]],
        "alt.example.com": [["127.0.0.1"]],
        "a.ports.example": [["127.0.0.1"]],
    }

    def msg_port(self, port, host, entry):
        return ("The relay does not forward to port %d of %s: the host is not on the allowlist with "
                "that port (an entry without a port means port 443); start serve.py with "
                "--relay-allow %s to add it." % (port, host, entry))

    def test_other_ports_refused(self):
        for target, port, host, entry in (
                ("https://auth.example.com:8443/token", 8443, "auth.example.com", "auth.example.com:8443"),
                ("https://auth.example.com:80/token", 80, "auth.example.com", "auth.example.com:80"),
                ("https://alt.example.com/token", 443, "alt.example.com", "alt.example.com"),
                ("https://alt.example.com:9443/token", 9443, "alt.example.com", "alt.example.com:9443"),
                ("https://a.ports.example/token", 443, "a.ports.example", "a.ports.example")):
            with self.subTest(target=target):
                before = self.lookups(host)
                self.assert_refused_before_connecting(target, 403, self.msg_port(port, host, entry),
                                                      body=b"a=b")
                self.assertEqual(self.lookups(host), before)  # refused before the lookup

    def test_allowed_ports_pass_the_port_rule(self):
        # Past the port rule, the next rule answers: these names resolve to loopback.
        for target, host in (("https://auth.example.com/token", "auth.example.com"),
                             ("https://auth.example.com:443/token", "auth.example.com"),
                             ("https://alt.example.com:8443/token", "alt.example.com"),
                             ("https://a.ports.example:9443/token", "a.ports.example")):
            with self.subTest(target=target):
                self.assert_refused_before_connecting(
                    target, 403, msg_address(host, "127.0.0.1", "a loopback address"), body=b"a=b")

    def test_unlisted_host_on_another_port_gets_the_entry_with_its_port(self):
        self.assert_refused_before_connecting(
            "https://other.example.com:8443/token", 403,
            "The target host other.example.com is not on the relay's allowlist; start serve.py "
            "with --relay-allow other.example.com:8443 to add it.", body=b"a=b")

    def test_status_lists_the_ports(self):
        resp, data = request("127.0.0.1", self.server.port, "GET", "/relay")
        self.assertEqual(resp.status, 200)
        self.assertEqual(json.loads(data), {"relay": True, "allow": DEFAULT_ALLOWED + [
            "auth.example.com", "alt.example.com:8443", "*.ports.example:9443"]})


# ---------------------------------------------------------------------------------------------
# Forwarding to the fake provider (test flag on)
# ---------------------------------------------------------------------------------------------
class TestRelayForwarding(RelayTestCase):
    SERVER_ARGS = ["--relay", "--relay-allow-loopback-for-tests", "--relay-allow", "127.0.0.1",
                   "--relay-allow", "localhost", "--relay-allow", "10.0.0.1",
                   "--relay-allow", "169.254.169.254", "--relay-allow", "rebind.example"]
    DNS = {  # provider names point at the fake provider on loopback
        "login.microsoftonline.com": [["127.0.0.1"]],
        "tenant.auth.eu-west-1.amazoncognito.com": [["127.0.0.1"]],
        "evil-amazoncognito.com": [["127.0.0.1"]],
        # A rebinding name: a second lookup would get an address where nothing listens.
        "rebind.example": [["127.0.0.1"], ["127.0.0.3"]],
    }

    def test_default_allowlist_and_wildcard_reach_the_provider(self):
        for host in ("login.microsoftonline.com", "tenant.auth.eu-west-1.amazoncognito.com"):
            with self.subTest(host=host):
                before = self.fake.snapshot()
                resp, data, _ = self.relay(self.fake.url("/token", host=host), body=b"a=b")
                self.assertEqual(resp.status, 200)
                self.assertEqual(data, TOKEN_JSON)
                self.assertEqual(header_values(self.last_request(before)["headers"], "Host"),
                                 ["%s:%d" % (host, self.fake.port)])
        # Resolvable and on loopback, but not on the allowlist: refused before the lookup.
        self.assert_refused_before_connecting(self.fake.url("/token", host="evil-amazoncognito.com"),
                                              403, msg_not_allowed("evil-amazoncognito.com"), body=b"a=b")
        self.assertEqual(self.lookups("evil-amazoncognito.com"), 0)

    def test_one_lookup_and_the_checked_address_is_used(self):
        before = self.fake.snapshot()
        resp, data, _ = self.relay(self.fake.url("/token", host="rebind.example"), body=b"a=b")
        self.assertEqual(resp.status, 200, data)
        self.assertEqual(data, TOKEN_JSON)
        self.assertEqual(self.lookups("rebind.example"), 1)
        self.last_request(before)

    def last_request(self, before):
        _, requests = self.fake.snapshot()
        self.assertEqual(len(requests), len(before[1]) + 1, "expected exactly one upstream request")
        return requests[-1]

    def test_forwards_body_and_only_the_three_headers(self):
        body = SECRET_BODY + b"&bin=" + bytes(range(256))
        headers = {
            "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
            "Accept": "application/json, text/plain;q=0.5",
            "Authorization": SECRET_AUTH,
            "Cookie": "session=COOKIESECRET",
            "Referer": "http://127.0.0.1/REFSECRET",
            "X-Custom": "CUSTOMSECRET",
            "User-Agent": "BrowserUA/1.0",
            "X-Forwarded-For": "1.2.3.4",
            "Accept-Language": "en",
            "Sec-Fetch-Site": "same-origin",
        }
        before = self.fake.snapshot()
        resp, data, _ = self.relay(self.fake.url("/error?x=1&y=%20z#fragment"), body=body,
                                   headers=headers)
        # The provider's answer, as it was.
        self.assertEqual(resp.status, 400)
        self.assertEqual(data, ERROR_JSON)
        self.assertEqual(resp.getheader("Content-Type"), "application/json;charset=UTF-8")
        self.assertEqual(resp.getheader("X-OAuth-Setup-Relay"), "1")
        self.assertEqual(int(resp.getheader("Content-Length")), len(ERROR_JSON))
        self.assert_common_headers(resp)
        # What the provider received.
        got = self.last_request(before)
        self.assertEqual(got["method"], "POST")
        self.assertEqual(got["path"], "/error?x=1&y=%20z")
        self.assertEqual(got["body"], body)
        names = {k.lower() for k, _ in got["headers"]}
        self.assertLessEqual(names, RELAY_OWN_HEADERS | FORWARDED, got["headers"])
        for name in ("Content-Type", "Accept", "Authorization"):
            self.assertEqual(header_values(got["headers"], name), [headers[name]])
        for name in ("Origin", "Cookie", "Referer", "X-Custom", "X-Forwarded-For",
                     "Accept-Language", "Sec-Fetch-Site", "X-OAuth-Setup-Target"):
            self.assertEqual(header_values(got["headers"], name), [], name)
        self.assertEqual(header_values(got["headers"], "User-Agent"), ["oauth-setup-relay"])
        self.assertEqual(header_values(got["headers"], "Host"), ["127.0.0.1:%d" % self.fake.port])
        self.assertEqual(header_values(got["headers"], "Content-Length"), [str(len(body))])
        for value in ("COOKIESECRET", "REFSECRET", "CUSTOMSECRET", "BrowserUA", "1.2.3.4"):
            self.assertNotIn(value, repr(got["headers"]))  # not even under another name

    def test_dpop_proof_forwarded_and_nonce_passed_back(self):
        # RFC 9449: the proof goes to the provider (section 4.1), and its nonce answer comes back
        # with the DPoP-Nonce header the page's retry needs (section 8); other headers do not.
        proof = "eyJ0eXAiOiJkcG9wK2p3dCJ9.eyJodG0iOiJQT1NUIn0.c2ln"
        before = self.fake.snapshot()
        resp, data, _ = self.relay(self.fake.url("/dpop-nonce"), body=b"grant_type=client_credentials",
                                   headers={"Content-Type": "application/x-www-form-urlencoded",
                                            "DPoP": proof})
        self.assertEqual(resp.status, 400)
        self.assertEqual(data, DPOP_NONCE_JSON)
        self.assertEqual(resp.getheader("DPoP-Nonce"), "eyJ7S_zG.eyJH0-Z.HX4w-7v")
        self.assertEqual(resp.getheader("WWW-Authenticate"), 'DPoP error="use_dpop_nonce"')
        self.assertIsNone(resp.getheader("X-Provider-Internal"))
        self.assertEqual(header_values(self.last_request(before)["headers"], "DPoP"), [proof])

    def test_line_breaks_in_forwarded_headers_refused(self):
        # A folded header (obs-fold) arrives with its CRLF inside the value; before, a folded
        # Authorization header reached the provider unchanged.
        port = self.server.port
        for name, value in (("Authorization", b"Basic Q0xJRU5U\r\n OlNFQ1JFVA=="),
                            ("Authorization", b"Bearer AT\r\n\tX-Injected: 1"),
                            ("Content-Type", b"application/x-www-form-urlencoded\r\n ; x=1"),
                            ("Accept", b"application/json\x00"),
                            ("Authorization", b"Basic abc\x0bdef")):
            with self.subTest(name=name, value=value):
                before = self.fake.snapshot()
                with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
                    s.sendall(b"POST /relay HTTP/1.1\r\n" + host_line(port)
                              + b"X-OAuth-Setup-Target: " + self.fake.url("/token").encode() + b"\r\n"
                              + name.encode() + b": " + value + b"\r\nContent-Length: 3\r\n\r\na=b")
                    resp = http.client.HTTPResponse(s)
                    resp.begin()
                    self.assert_relay_error(
                        resp, resp.read(), 400, "relay_refused",
                        "The request's %s header contains a line break or another control "
                        "character, which the relay does not forward; send the header on one line."
                        % name)
                self.assertEqual(self.fake.snapshot(), before, "the provider got the request")

    def test_nothing_optional_is_invented(self):
        before = self.fake.snapshot()
        resp, data, _ = self.relay(self.fake.url("/token"))
        self.assertEqual(resp.status, 200)
        self.assertEqual(data, TOKEN_JSON)
        self.assertEqual(resp.getheader("Content-Type"), "application/json")
        got = self.last_request(before)
        self.assertEqual(got["body"], b"")
        for name in ("Content-Type", "Accept", "Authorization"):
            self.assertEqual(header_values(got["headers"], name), [])
        self.assertEqual(header_values(got["headers"], "Content-Length"), ["0"])

    def test_status_body_and_type_passed_back(self):
        cases = [
            ("/token", 200, "application/json", TOKEN_JSON),
            ("/error", 400, "application/json;charset=UTF-8", ERROR_JSON),
            ("/text", 401, "text/plain; charset=utf-8", b"unauthorized, plain text\n"),
            ("/nowhere", 404, "text/plain", b"no such fake route\n"),
            ("/no-content", 204, None, b""),
        ]
        for path, status, ctype, body in cases:
            with self.subTest(path=path):
                resp, data, _ = self.relay(self.fake.url(path), body=b"token=abc",
                                           headers={"Content-Type": "application/x-www-form-urlencoded"})
                self.assertEqual(resp.status, status)
                self.assertEqual(data, body)
                self.assertEqual(resp.getheader("Content-Type"), ctype)
                self.assertEqual(resp.getheader("X-OAuth-Setup-Relay"), "1")
                self.assert_common_headers(resp)

    def test_host_name_resolving_to_loopback(self):
        before = self.fake.snapshot()
        resp, data, _ = self.relay(self.fake.url("/token", host="localhost"), body=b"a=b")
        self.assertEqual(resp.status, 200)
        self.assertEqual(data, TOKEN_JSON)
        self.assertEqual(header_values(self.last_request(before)["headers"], "Host"),
                         ["localhost:%d" % self.fake.port])

    def test_request_body_at_the_limit(self):
        before = self.fake.snapshot()
        resp, data, _ = self.relay(self.fake.url("/token"), body=b"b" * MAX_REQUEST)
        self.assertEqual(resp.status, 200)
        self.assertEqual(self.last_request(before)["body"], b"b" * MAX_REQUEST)
        before = self.fake.snapshot()
        resp, data, _ = self.relay(self.fake.url("/token"), body=b"b" * (MAX_REQUEST + 1))
        self.assert_relay_error(resp, data, 413, "relay_refused", MSG_TOO_LARGE)
        self.assertEqual(self.fake.snapshot(), before)

    def test_test_flag_only_opens_loopback(self):
        for host, ip, kind in (("10.0.0.1", "10.0.0.1", "a private address"),
                               ("169.254.169.254", "169.254.169.254", "a cloud metadata address")):
            with self.subTest(host=host):
                self.assert_refused_before_connecting("http://%s:%d/token" % (host, self.fake.port),
                                                      403, msg_address(None, ip, kind), body=b"a=b")
        self.assert_refused_before_connecting(self.fake.url("/token", host="127.0.0.2"), 403,
                                              msg_not_allowed("127.0.0.2"), body=b"a=b")

    def test_redirect_not_followed(self):
        before = self.fake.snapshot()
        resp, data, _ = self.relay(self.fake.url("/redirect"), body=b"a=b")
        self.assert_relay_error(resp, data, 502, "relay_refused", MSG_REDIRECT % 302)
        self.assertIsNone(resp.getheader("Location"))
        got = self.last_request(before)  # exactly one request: /token was never asked for
        self.assertEqual(got["path"], "/redirect")

    def test_response_too_large(self):
        for path in ("/big", "/big-unsized"):
            with self.subTest(path=path):
                resp, data, _ = self.relay(self.fake.url(path), body=b"a=b")
                self.assert_relay_error(resp, data, 502, "relay_failed", MSG_RESPONSE_TOO_LARGE)
        resp, data, _ = self.relay(self.fake.url("/exact-max"), body=b"a=b")
        self.assertEqual(resp.status, 200)
        self.assertEqual(data, b"z" * MAX_RESPONSE)

    def test_odd_status_not_passed_on(self):
        resp, data, _ = self.relay(self.fake.url("/odd-status"), body=b"a=b")
        self.assert_relay_error(resp, data, 502, "relay_failed",
                                "The provider answered with HTTP status 700, which the relay does "
                                "not pass on.")

    def test_connection_refused(self):
        port = free_port()  # nothing listens there
        resp, data, took = self.relay("http://127.0.0.1:%d/token" % port, body=b"a=b")
        self.assertEqual(resp.status, 502)
        body = json.loads(data)
        self.assertEqual(body["error"], "relay_failed")
        self.assertTrue(body["error_description"].startswith(
            "The relay could not connect to 127.0.0.1 on port %d (" % port), body)
        self.assertLess(took, QUICK)

    def test_https_to_a_plain_http_server_fails_cleanly(self):
        before = self.fake.snapshot()
        resp, data, _ = self.relay(self.fake.url("/token", scheme="https"), body=SECRET_BODY)
        self.assertEqual(resp.status, 502)
        body = json.loads(data)
        self.assertEqual(body["error"], "relay_failed")
        self.assertTrue(body["error_description"].startswith("The TLS handshake with 127.0.0.1 failed"),
                        body)
        self.assertEqual(self.fake.snapshot()[1], before[1])  # no plain-text request got through

    def test_keep_alive_after_a_relayed_request(self):
        with self.connection() as conn:
            for _ in range(2):
                conn.request("POST", "/relay", body=b"a=b",
                             headers={"X-OAuth-Setup-Target": self.fake.url("/token")})
                resp = conn.getresponse()
                self.assertEqual(resp.status, 200)
                self.assertEqual(resp.read(), TOKEN_JSON)
            conn.request("GET", "/")
            resp = conn.getresponse()
            self.assertEqual(resp.status, 200)
            resp.read()

    def test_log_never_holds_authorization_or_body(self):
        resp, _, _ = self.relay(self.fake.url("/error?state=QUERYSECRET"), body=SECRET_BODY,
                                headers={"Authorization": SECRET_AUTH, "Content-Type":
                                         "application/x-www-form-urlencoded"})
        self.assertEqual(resp.status, 400)
        log = self.wait_for_log("POST /relay -> 127.0.0.1 400")
        line = [l for l in log.splitlines() if "POST /relay -> 127.0.0.1 400" in l][-1]
        self.assertRegex(line, r"^\d\d:\d\d:\d\d POST /relay -> 127\.0\.0\.1 400$")
        for secret in (SECRET_AUTH, "Q0xJRU5U", "BODYSECRET", "client_secret", "QUERYSECRET",
                       "/error", "invalid_grant", "expired"):
            self.assertNotIn(secret, log)


class TestRelayTimeout(RelayTestCase):
    SERVER_ARGS = ["--relay", "--relay-allow-loopback-for-tests", "--relay-allow", "127.0.0.1",
                   "--relay-timeout", "1"]

    def test_slow_provider(self):
        resp, data, took = self.relay(self.fake.url("/slow"), body=b"a=b")
        self.assert_relay_error(resp, data, 504, "relay_failed", MSG_TIMEOUT)
        self.assertGreaterEqual(took, 0.9)
        self.assertLess(took, 2.5)

    def test_trickling_provider_hits_the_total_limit(self):
        # Each byte comes well within 1 s, but the whole answer takes 3 s.
        resp, data, took = self.relay(self.fake.url("/drip"), body=b"a=b")
        self.assert_relay_error(resp, data, 504, "relay_failed", MSG_TIMEOUT)
        self.assertLess(took, 2.5)

    def test_fast_provider_within_the_limit(self):
        resp, data, _ = self.relay(self.fake.url("/token"), body=b"a=b")
        self.assertEqual(resp.status, 200)
        self.assertEqual(data, TOKEN_JSON)


class TestRelaySlowClient(RelayTestCase):
    SERVER_ARGS = ["--relay", "--relay-allow-loopback-for-tests", "--relay-allow", "127.0.0.1",
                   "--request-timeout", "1"]

    def test_trickled_body_is_cut_and_never_forwarded(self):
        port = self.server.port
        before = self.fake.snapshot()
        start = time.monotonic()
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
            s.sendall(b"POST /relay HTTP/1.1\r\n" + host_line(port) + b"X-OAuth-Setup-Target: "
                      + self.fake.url("/token").encode() + b"\r\nContent-Length: 40\r\n\r\n")
            reply, closed = b"", False
            for _ in range(40):  # one body byte every 0.2 s: 8 s in all, if nothing cut it
                try:
                    s.sendall(b"a")
                except (BrokenPipeError, ConnectionResetError):
                    closed = True
                    break
                s.settimeout(0.2)
                try:
                    chunk = s.recv(65536)
                except socket.timeout:
                    continue
                except ConnectionResetError:
                    closed = True
                    break
                reply += chunk
                if not chunk:
                    closed = True
                    break
            took = time.monotonic() - start
        self.assertTrue(closed, "still reading the body after %.1f s" % took)
        self.assertLess(took, 2.5)
        self.assertTrue(reply.startswith(b"HTTP/1.1 408 "), reply[:80])
        self.assertEqual(self.fake.snapshot(), before)

    def test_a_prompt_request_is_relayed(self):
        resp, data, _ = self.relay(self.fake.url("/token"), body=b"a=b")
        self.assertEqual(resp.status, 200)
        self.assertEqual(data, TOKEN_JSON)


# ---------------------------------------------------------------------------------------------
# In-process: one lookup, and the connection goes to the address that was checked
# ---------------------------------------------------------------------------------------------
def load_serve():
    spec = importlib.util.spec_from_file_location("serve_relay_under_test", SERVE_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestRelayAddressPinning(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.serve = load_serve()
        cls.fake = FakeProvider()

    @classmethod
    def tearDownClass(cls):
        cls.fake.stop()

    def fake_dns(self, answers):
        """A getaddrinfo that answers pinned.example from `answers` (one list per call)."""
        real = socket.getaddrinfo
        calls = []

        def getaddrinfo(host, port, *args, **kw):
            if host != "pinned.example":
                return real(host, port, *args, **kw)
            calls.append(host)
            ips = answers[min(len(calls), len(answers)) - 1]
            return [(socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM,
                     socket.IPPROTO_TCP, "", (ip, port) if ":" not in ip else (ip, port, 0, 0))
                    for ip in ips]
        return getaddrinfo, calls

    def relay(self):
        return self.serve.Relay(["pinned.example"], timeout=5, allow_loopback_for_tests=True)

    def target(self, path="/token"):
        return self.serve.parse_relay_target("http://pinned.example:%d%s" % (self.fake.port, path))

    def test_one_lookup_and_the_checked_address_is_used(self):
        # A rebinding resolver: the fake provider first, then an address where nothing listens.
        getaddrinfo, calls = self.fake_dns([["127.0.0.1"], ["127.0.0.3"]])
        before = self.fake.snapshot()
        with mock.patch.object(self.serve.socket, "getaddrinfo", getaddrinfo):
            upstream = self.relay().forward(self.target(), b"a=b", [("Accept", "application/json")])
        self.assertEqual(calls, ["pinned.example"])
        self.assertEqual(upstream.status, 200)
        self.assertEqual(upstream.body, TOKEN_JSON)
        _, requests = self.fake.snapshot()
        self.assertEqual(len(requests), len(before[1]) + 1)
        self.assertEqual(header_values(requests[-1]["headers"], "Host"),
                         ["pinned.example:%d" % self.fake.port])

    def test_every_address_is_checked(self):
        # The allowed (loopback) address comes first: a relay that connected before checking
        # them all would reach the fake provider. Only loopback addresses are ever reachable.
        for ips, bad, kind in ((["127.0.0.1", "10.0.0.1"], "10.0.0.1", "a private address"),
                               (["127.0.0.1", "::ffff:169.254.169.254"], "::ffff:169.254.169.254",
                                "a cloud metadata address"),
                               (["127.0.0.1", "100.64.1.1"], "100.64.1.1",
                                "a carrier-grade NAT (shared) address")):
            with self.subTest(ips=ips):
                getaddrinfo, calls = self.fake_dns([ips])
                before = self.fake.snapshot()
                with mock.patch.object(self.serve.socket, "getaddrinfo", getaddrinfo):
                    with self.assertRaises(self.serve.RelayError) as caught:
                        self.relay().forward(self.target(), b"a=b", [])
                self.assertEqual(caught.exception.status, 403)
                self.assertEqual(caught.exception.error, "relay_refused")
                self.assertEqual(caught.exception.description,
                                 msg_address("pinned.example", bad, kind))
                self.assertEqual(calls, ["pinned.example"])
                self.assertEqual(self.fake.snapshot(), before)

    def test_default_allowlist_is_the_presets_file(self):
        # static/relay-hosts.json is the one list: the page's presets are built with it too.
        self.assertEqual(self.serve.RELAY_DEFAULT_ALLOWED_HOSTS, tuple(DEFAULT_ALLOWED))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "relay-hosts.json"
            path.write_text(json.dumps({"presets": {"a": ["x.example.com", "y.example.com"],
                                                    "b": ["y.example.com", "*.z.example"], "c": []}}))
            self.assertEqual(self.serve.load_relay_hosts(path),
                             ("x.example.com", "y.example.com", "*.z.example"))

    def test_site_local_and_ietf_protocol_kinds(self):
        reason = self.serve.refused_address_reason
        for ip in ("fec0::1", "fed0::1", "feff:ffff::1"):
            self.assertEqual(reason(ipaddress.ip_address(ip)), "a site-local address (fec0::/10)")
        for ip in ("192.0.0.0", "192.0.0.8", "192.0.0.9", "192.0.0.10", "192.0.0.170", "::ffff:192.0.0.9"):
            self.assertEqual(reason(ipaddress.ip_address(ip)),
                             "an IETF protocol assignment address (192.0.0.0/24)", ip)
        for ip in ("192.0.1.1", "fe00::1"):  # neighbours stay as they were
            self.assertNotEqual(reason(ipaddress.ip_address(ip)),
                                "an IETF protocol assignment address (192.0.0.0/24)")

    def test_address_rules(self):
        reason = self.serve.refused_address_reason
        public = ["8.8.8.8", "20.190.160.1", "142.250.1.1", "2606:4700::1111", "2a00:1450::1"]
        for ip in public:
            self.assertIsNone(reason(ipaddress.ip_address(ip)), ip)
        refused = ["127.0.0.1", "127.8.9.10", "::1", "10.1.2.3", "172.31.255.255", "192.168.0.1",
                   "169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200",
                   "100.64.0.0", "100.127.255.255", "0.0.0.0", "::", "224.0.0.251", "ff02::1",
                   "240.0.0.1", "255.255.255.255", "fe80::1", "fc00::1", "::ffff:127.0.0.1",
                   "::ffff:192.168.0.1", "64:ff9b::10.0.0.1", "2002:a00:1::1", "192.0.2.1",
                   "198.51.100.1", "203.0.113.1", "198.18.0.1", "fec0::1", "feff::1",
                   "192.0.0.1", "192.0.0.9", "192.0.0.10", "192.0.0.255", "::ffff:192.0.0.9"]
        for ip in refused:
            self.assertIsNotNone(reason(ipaddress.ip_address(ip)), ip)
        self.assertIsNone(reason(ipaddress.ip_address("127.0.0.1"), allow_loopback=True))
        self.assertIsNone(reason(ipaddress.ip_address("::1"), allow_loopback=True))
        for ip in ("10.0.0.1", "169.254.169.254", "100.64.0.1", "0.0.0.0"):
            self.assertIsNotNone(reason(ipaddress.ip_address(ip), allow_loopback=True), ip)

    def test_allowlist_matching(self):
        allowed = tuple(self.serve.relay_allow_entry(e) for e in
                        self.serve.RELAY_DEFAULT_ALLOWED_HOSTS + ("*.Example.org", "[::1]"))
        match = self.serve.host_allowed
        for host in ("login.microsoftonline.com", "x.auth.eu-west-1.amazoncognito.com",
                     "a.amazoncognito.com", "a.example.org", "a.b.example.org", "::1"):
            self.assertTrue(match(host, allowed), host)
        for host in ("evil-amazoncognito.com", "amazoncognito.com", "xamazoncognito.com",
                     "amazoncognito.com.evil.example", "example.org", "evil-example.org",
                     "microsoftonline.com", "evil.login.microsoftonline.com", "linkedin.com", "127.0.0.1"):
            self.assertFalse(match(host, allowed), host)


if __name__ == "__main__":
    unittest.main()
