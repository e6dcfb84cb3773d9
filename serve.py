#!/usr/bin/env python3
"""Serve the built oauth-setup page on a local address.

    python3 serve.py                  # http://127.0.0.1:8000/, serving build/site
    python3 serve.py --port 0         # any free port (the printed line shows it)
    python3 serve.py --dir other/site --host 0.0.0.0 --port 9000 --public-host oauth.example.com

Relay status, for the page (GET <page folder>/relay, the path the page POSTs to)
--------------------------------------------------------------------------------
    relay on:  200, Content-Type: application/json, X-OAuth-Setup-Relay: 1,
               Cache-Control: no-store, body exactly
               {"relay": true, "allow": ["login.microsoftonline.com", "*.amazoncognito.com",
                                         "auth.example.com:8443", "[::1]", ...]}
               ("allow" lists the allowlist: "host" means port 443, "host:port" that port only,
               "*.domain" its subdomains, IPv6 addresses in brackets).
    relay off: 404, exactly like any missing file (a static host answers the same).
HEAD /relay answers the same status and headers without the body.

Python 3 standard library only. Static files only: GET and HEAD, no directory listings, no
dotfiles (a path segment starting with "."), nothing outside the served folder. Every response
carries the security headers below; callback.html and callback.js (they see authorization
codes in their URL) are sent with Cache-Control: no-store, other files with no-cache.
Request log lines go to stderr and never include query strings (OAuth callback URLs carry
authorization codes), headers or bodies.

Requests (static files and relay alike)
---------------------------------------
- Host header (DNS rebinding defence): only these values are answered, anything else gets
  421 Misdirected Request (400 if the Host header is missing, repeated or malformed):
  the bound address with the port; localhost, 127.0.0.1 and [::1] with the port; when bound to
  all interfaces (0.0.0.0 or ::), any IP address with the port (an address cannot be rebound);
  and every --public-host NAME (repeatable; Host "NAME", or NAME with port 80, 443 or this
  server's port) or --public-host NAME:PORT (exactly that port).
- A GET or HEAD that carries a body (Content-Length other than 0, or Transfer-Encoding) is
  answered 400 and the connection is closed: the body is never read as another request.
- A client has --request-timeout seconds (default 10) to send a whole request, request line,
  headers and body together, from the moment its connection is accepted (or, on a kept-alive
  connection, from the first byte of the next request); then 408 and the connection closes.
  An idle kept-alive connection closes after 30 s.
- At most 32 connections are handled at once; a connection beyond that gets 503 right away
  and is closed.

CORS relay (off by default)
---------------------------
    python3 serve.py --relay [--relay-allow HOST[:PORT] ...] [--relay-timeout SECONDS]

Some providers' token endpoints do not answer browsers (no CORS). With --relay, the page can
send its token, device, revocation and introspection POSTs to this server, which forwards
them. Without --relay, /relay is a missing file like any other (GET answers 404).
(./scripts/run.sh passes --relay unless it is given --no-relay.)

POST /relay with header  X-OAuth-Setup-Target: <absolute URL>
    Forwards a POST to that URL, over a connection the relay opens itself:
    - the request body as is (at most 64 KiB, else 413);
    - ONLY the request headers Content-Type, Accept, Authorization and DPoP (the proof of RFC
      9449 section 4.1, which binds the token to the page's key) (never Origin, Cookie,
      Referer or any other), plus the relay's own Host, User-Agent: oauth-setup-relay,
      Content-Length, Accept-Encoding: identity and Connection: close. A forwarded header
      whose value holds CR, LF or another control character (a folded header, RFC 9112
      section 5.2) is refused (400), never passed on.
    Answers with the provider's status code, body (at most 1 MiB, else 502) and Content-Type
    (and Content-Encoding, DPoP-Nonce and WWW-Authenticate, if the provider sent them: the
    nonce a DPoP retry needs, RFC 9449 section 8, and the challenge of a 401), plus
    X-OAuth-Setup-Relay: 1 and
    Cache-Control: no-store (token responses must not be stored, RFC 6749 section 5.1).

    Target rules, checked in this order before any connection is opened:
    - an absolute http(s) URL without user name or password (else 400);
    - the host is on the allowlist (else 403): the provider presets' hosts, listed in
      static/relay-hosts.json, the file the page's presets are built with (today
      login.microsoftonline.com, login.microsoft.com, oauth2.googleapis.com,
      accounts.google.com, *.amazoncognito.com, api.dropboxapi.com, api.dropbox.com,
      www.linkedin.com), plus every --relay-allow HOST (repeatable; "*.example.com" allows
      any subdomain of example.com, not example.com itself);
    - the scheme is https (else 403);
    - the port is 443, or the host is allowlisted with that port: --relay-allow
      auth.example.com:8443 allows port 8443 of that host (and only that port) (else 403);
    - the host is looked up ONCE and every address it resolves to must be public: private,
      loopback, link-local, site-local (fec0::/10), multicast, reserved, unspecified,
      IETF protocol assignments (192.0.0.0/24), carrier-grade NAT (100.64/10) and cloud
      metadata addresses (169.254.169.254, fd00:ec2::254, 100.100.100.200, ...) are refused
      (403), also when embedded in IPv6 addresses. The relay then connects to the checked
      address itself (no second lookup); for https the certificate is verified against the
      host name.
    Redirects are not followed: a 3xx answer becomes a 502 relay_refused. Looking up,
    connecting and the whole exchange together must finish within 20 s (--relay-timeout),
    else 504.

    Same origin only: no Access-Control-* headers are ever sent, and a request whose Origin
    header is neither http://<its Host header> nor https://<its Host header> (the latter for
    a TLS proxy in front of this server), or whose Sec-Fetch-Site is cross-site or
    same-site, is refused with 403. Other methods on /relay answer 405.

    Errors made by the relay itself are JSON, like a provider's OAuth errors:
        {"error": "relay_refused" | "relay_failed", "error_description": "<one sentence>"}
    relay_refused (400, 403, 405, 413, 421, or 502 for a redirect): the relay would not
    forward; relay_failed (502, 504): forwarding was attempted and did not work.

    Every /relay answer carries the usual security headers, Cache-Control: no-store and
    X-OAuth-Setup-Relay: 1. The log line of a relayed POST is only
    "POST /relay -> <target host> <status>": never the target's path or query, headers
    (Authorization) or bodies.

    --relay-allow-loopback-for-tests (tests only; prints a warning at start-up) also allows
    http:// targets, loopback addresses (127.0.0.0/8, ::1) and any port, so tests can use a
    local fake provider on a free port. The allowlist still applies.
"""

import argparse
import errno
import gzip
import http.client
import io
import ipaddress
import json
import os
import re
import signal
import socket
import ssl
import stat
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socketserver import TCPServer
from urllib.parse import unquote_to_bytes, urlsplit

PROG = "serve.py"
DEFAULT_DIR = Path(__file__).resolve().parent / "build" / "site"
DEFAULT_DIR_DISPLAY = "build/site"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

# The page's Content-Security-Policy. The README documents this exact string: change both.
# connect-src allows any https: origin (providers' token/userinfo endpoints) and local
# http servers (a local relay or a provider under test on the loopback interface).
CSP = (
    "default-src 'self'; "
    "script-src 'self' 'wasm-unsafe-eval'; "
    "style-src 'self'; "
    "img-src 'self' data: blob:; "
    "font-src 'self'; "
    "connect-src 'self' https: http://127.0.0.1:* http://localhost:*; "
    "worker-src 'self'; "
    "frame-ancestors 'none'; "
    "base-uri 'none'; "
    "form-action 'none'; "
    "object-src 'none'"
)

# Sent on every response. Cross-Origin-Opener-Policy must never be "same-origin": it would
# cut the page off from the OAuth consent popups it opens.
SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Opener-Policy", "unsafe-none"),
)

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".map": "application/json",
    ".css": "text/css",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".ttf": "font/ttf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
}
DEFAULT_CONTENT_TYPE = "application/octet-stream"

# Extensions worth compressing when the client accepts gzip.
GZIP_EXTENSIONS = frozenset({".wasm", ".js", ".mjs", ".html", ".htm", ".json", ".map", ".css"})

MAX_LOGGED_PATH = 200

# Pages that see an authorization code in their URL: no copy of them may be kept anywhere.
NO_STORE_FILES = frozenset({"callback.html", "callback.js"})

# Slow or idle clients (see "Requests" in the module docstring).
REQUEST_TIMEOUT_DEFAULT = 10.0  # seconds to send one whole request: line, headers and body
IDLE_TIMEOUT = 30  # seconds a kept-alive connection may wait for its next request (and per write)
MAX_CONNECTIONS = 32  # connections handled at once, one thread each
BUSY_LOG_INTERVAL = 5.0  # at most one "too many connections" log line per this many seconds


class UsageError(Exception):
    """A startup problem reported as one line on stderr, exit code 2."""


# ---------------------------------------------------------------------------------------------
# Relay (--relay): a same-origin endpoint that forwards the page's POSTs (token, device,
# revocation, introspection requests) to providers whose endpoints do not answer browsers.
# The contract is in the module docstring. Handler._dispatch() asks `server.relay` first for
# every request; without --relay there is no Relay and /relay is a missing file like any other.
# ---------------------------------------------------------------------------------------------
RELAY_PATH = "/relay"
RELAY_TARGET_HEADER = "X-OAuth-Setup-Target"
RELAY_MARK_HEADER = "X-OAuth-Setup-Relay"
RELAY_FORWARDED_HEADERS = ("Content-Type", "Accept", "Authorization", "DPoP")
# The provider's answer headers the page reads besides Content-Type (the relay passes no others).
RELAY_PASSED_RESPONSE_HEADERS = ("Content-Encoding", "DPoP-Nonce", "WWW-Authenticate")
RELAY_MAX_REQUEST_BYTES = 64 * 1024
RELAY_MAX_RESPONSE_BYTES = 1024 * 1024
RELAY_DRAIN_LIMIT = 1024 * 1024  # an oversized request body up to this size is read and dropped
RELAY_DEFAULT_TIMEOUT = 20.0
RELAY_MAX_TIMEOUT = 600.0
RELAY_USER_AGENT = "oauth-setup-relay"
# CR, LF, NUL and the other controls except HTAB: never allowed in a field value (RFC 9110
# section 5.5). A folded header (obs-fold, RFC 9112 section 5.2) reaches us with its CRLF.
FORWARD_FORBIDDEN_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")

# The provider presets' hosts: static/relay-hosts.json, the one list the page's presets are built
# with too (embedded at build time). A leading "*." matches any subdomain (not the domain itself).
# The build copies it into the page's folder, so a serve.py copied beside a built page (without
# the repository) reads that copy.
RELAY_HOSTS_NAME = "relay-hosts.json"
RELAY_HOSTS_FILE = Path(__file__).resolve().parent / "static" / RELAY_HOSTS_NAME


def load_relay_hosts(path=RELAY_HOSTS_FILE):
    """Every preset's hosts from relay-hosts.json, each once, in the file's order."""
    with open(path, encoding="utf-8") as f:
        presets = json.load(f)["presets"]
    hosts = []
    for preset_hosts in presets.values():
        hosts += [h for h in preset_hosts if h not in hosts]
    return tuple(hosts)


def read_relay_hosts(path):
    """load_relay_hosts, with a file that cannot be read or parsed as a UsageError."""
    try:
        return load_relay_hosts(path)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise UsageError("the relay's allowlist %s cannot be read: %s" % (path, e))


def _bundled_relay_hosts():
    """(hosts, None) from static/ beside serve.py; (None, None) when it is not there; (None,
    the reason) when it is broken: said when the relay starts, so that importing serve.py, or
    serving without the relay, never fails on it."""
    if not RELAY_HOSTS_FILE.is_file():
        return None, None
    try:
        return read_relay_hosts(RELAY_HOSTS_FILE), None
    except UsageError as e:
        return None, str(e)


RELAY_DEFAULT_ALLOWED_HOSTS, RELAY_HOSTS_PROBLEM = _bundled_relay_hosts()


def default_relay_hosts(site_dir):
    """The presets' hosts, from static/ beside serve.py or else from the served folder."""
    if RELAY_HOSTS_PROBLEM:
        raise UsageError(RELAY_HOSTS_PROBLEM)
    if RELAY_DEFAULT_ALLOWED_HOSTS is not None:
        return RELAY_DEFAULT_ALLOWED_HOSTS
    copy = Path(site_dir) / RELAY_HOSTS_NAME
    if not copy.is_file():
        raise UsageError("the relay's allowlist is missing: neither %s nor %s exists"
                         % (RELAY_HOSTS_FILE, copy))
    return read_relay_hosts(copy)

# Instance metadata services: refused by name in the error message (most are also caught by
# the link-local, private or shared-address checks below).
CLOUD_METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254",  # AWS, Google Cloud, Azure, Oracle, OpenStack, DigitalOcean, ...
    "169.254.170.2",  # AWS ECS task metadata
    "169.254.169.253",  # AWS DNS resolver
    "fd00:ec2::254",  # AWS IPv6 metadata
    "fd00:ec2::253",  # AWS IPv6 DNS resolver
    "100.100.100.200",  # Alibaba Cloud
    "192.0.0.192",  # Oracle Cloud (classic)
))
SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT, RFC 6598
# RFC 6890 section 2.2.2: IETF protocol assignments. Python counts some of them (192.0.0.9,
# 192.0.0.10, ...) as global; none is a provider's token endpoint.
IETF_PROTOCOL_ASSIGNMENTS = ipaddress.ip_network("192.0.0.0/24")
# RFC 3879 deprecated IPv6 site-local addresses, but networks still route them internally,
# and Python counts them as global.
SITE_LOCAL_V6 = ipaddress.ip_network("fec0::/10")
RELAY_DEFAULT_PORT = 443  # an allowlist entry without a port allows this port only
NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
HOSTNAME_RE = re.compile(r"^%s(?:\.%s)*$" % (_LABEL, _LABEL))


class RelayError(Exception):
    """A refusal or failure of the relay itself, answered as a JSON OAuth-style error."""

    def __init__(self, status, error, description):
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description


def relay_refused(status, description):
    return RelayError(status, "relay_refused", description)


def relay_failed(status, description):
    return RelayError(status, "relay_failed", description)


def normalize_host(text):
    """Lower-case host name, or canonical IP address text without brackets; None if neither."""
    if not text or not text.isascii() or "%" in text:
        return None
    text = text.lower()
    if text.startswith("[") and text.endswith("]"):
        try:
            return str(ipaddress.IPv6Address(text[1:-1]))
        except ValueError:
            return None
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    if text.endswith("."):
        text = text[:-1]
    if len(text) > 253 or not HOSTNAME_RE.match(text):
        return None
    if text.rsplit(".", 1)[-1].isdigit():
        return None  # "10.1", "0x7f.1" style shorthands that resolvers read as IPv4 addresses
    return text


def display_host(host):
    """A host as written in a URL: IPv6 addresses in brackets."""
    return "[%s]" % host if ":" in host else host


def _split_port(text):
    """("host", port text or None) from "host", "host:port", "[v6]" or "[v6]:port". The port
    text may be invalid (the caller checks it); "" also stands for junk after "]". A bare IPv6
    address (more than one colon, no brackets) has no port."""
    if text.startswith("["):
        close = text.find("]")
        if close < 0:
            return text, None
        rest = text[close + 1:]
        if rest.startswith(":"):
            return text[:close + 1], rest[1:]
        return text, None if not rest else ""
    if text.count(":") == 1:
        host, port = text.split(":")
        return host, port
    return text, None


def relay_allow_entry(text):
    """argparse type for --relay-allow: a host name, an IP address or *.domain, optionally
    with :PORT. Returns the entry as the allowlist keeps it: "host" (port 443) or
    "host:port", IPv6 addresses bare without a port and in brackets with one."""
    raw = text.strip()
    hostpart, port_text = _split_port(raw)
    port = RELAY_DEFAULT_PORT
    if port_text is not None:
        port = int(port_text) if re.fullmatch(r"[0-9]{1,5}", port_text) else 0
    wildcard = hostpart.startswith("*.")
    host = normalize_host(hostpart[2:] if wildcard else hostpart)
    if (host is None or not 0 < port <= 65535
            or (wildcard and RelayTarget("https", host, 443, "/").is_ip)):
        raise argparse.ArgumentTypeError(
            "not a host name: %r (give a bare host such as auth.example.com, an IP address, "
            "or *.example.com for its subdomains, optionally with :PORT when the provider does "
            "not use port 443; no scheme or path)" % text)
    if wildcard and "." not in host:
        raise argparse.ArgumentTypeError(
            "too broad: %r (a wildcard needs a domain of at least two labels, such as "
            "*.example.com)" % text)
    pattern = "*." + host if wildcard else host
    if port == RELAY_DEFAULT_PORT:
        return pattern
    return "%s:%d" % (display_host(pattern), port)


def allow_entry_parts(entry):
    """(host pattern, port) of an entry made by relay_allow_entry."""
    hostpart, port_text = _split_port(entry)
    if port_text is None:
        return entry, RELAY_DEFAULT_PORT
    return hostpart.strip("[]"), int(port_text)


def display_allow_entry(entry):
    """An allowlist entry as GET /relay and messages show it: IPv6 addresses in brackets."""
    host, port = allow_entry_parts(entry)
    if port == RELAY_DEFAULT_PORT:
        return display_host(host)
    return "%s:%d" % (display_host(host), port)


def relay_timeout(text):
    """argparse type for --relay-timeout and --request-timeout: seconds, more than 0 and at
    most RELAY_MAX_TIMEOUT."""
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("not a number of seconds: %r" % text)
    if not 0 < seconds <= RELAY_MAX_TIMEOUT:
        raise argparse.ArgumentTypeError("must be more than 0 and at most %g seconds" % RELAY_MAX_TIMEOUT)
    return seconds


def host_allowed(host, allowed, port=None):
    """True if `host` (normalized) is an entry of `allowed` or a subdomain of a *. entry;
    with `port`, only entries for that port count (an entry without a port means 443)."""
    for entry in allowed:
        pattern, entry_port = allow_entry_parts(entry)
        if port is not None and entry_port != port:
            continue
        if pattern.startswith("*."):
            suffix = pattern[1:]  # ".amazoncognito.com"
            if host.endswith(suffix) and len(host) > len(suffix):
                return True
        elif host == pattern:
            return True
    return False


def _address_kind(ip, allow_loopback):
    """Why one address is refused (a short noun phrase), or None."""
    if ip in CLOUD_METADATA_ADDRESSES:
        return "a cloud metadata address"
    if ip.is_loopback:
        return None if allow_loopback else "a loopback address"
    if ip.is_unspecified:
        return "the unspecified address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.version == 4 and ip in SHARED_ADDRESS_SPACE:
        return "a carrier-grade NAT (shared) address"
    if ip.version == 4 and ip in IETF_PROTOCOL_ASSIGNMENTS:
        return "an IETF protocol assignment address (192.0.0.0/24)"
    if ip.version == 6 and ip in SITE_LOCAL_V6:
        return "a site-local address (fec0::/10)"
    if ip.is_reserved:  # before is_private, which also covers 240.0.0.0/4
        return "a reserved address"
    if ip.is_private:
        return "a private address"
    if not ip.is_global:
        return "a non-public address"
    return None


def refused_address_reason(ip, allow_loopback=False):
    """Why the relay refuses to connect to `ip`, or None. IPv4 addresses embedded in IPv6
    ones (mapped, NAT64, 6to4, Teredo) are checked as well."""
    if ip.version == 6:
        embedded = []
        if ip.ipv4_mapped is not None:
            embedded.append(ip.ipv4_mapped)
        if ip in NAT64_PREFIX:
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if ip.sixtofour is not None:
            embedded.append(ip.sixtofour)
        if ip.teredo is not None:
            embedded.extend(ip.teredo)
        if ip.ipv4_mapped is not None and ip.ipv4_mapped.is_loopback and allow_loopback:
            return None
        for inner in embedded:
            kind = _address_kind(inner, allow_loopback)
            if kind is not None:
                return kind
    return _address_kind(ip, allow_loopback)


class RelayTarget:
    """A parsed X-OAuth-Setup-Target URL."""

    def __init__(self, scheme, host, port, path):
        self.scheme, self.host, self.port, self.path = scheme, host, port, path

    @property
    def is_ip(self):
        try:
            ipaddress.ip_address(self.host)
            return True
        except ValueError:
            return False


def parse_relay_target(text):
    """Parse the target header; RelayError (400) if it is not a usable absolute URL."""
    if any(c <= " " or c >= "\x7f" or c == "\\" for c in text):
        raise relay_refused(400, "The %s header contains spaces, control characters, backslashes "
                                 "or non-ASCII characters, which the relay does not accept in a "
                                 "target URL." % RELAY_TARGET_HEADER)
    try:
        parts = urlsplit(text)
        port = parts.port
        hostname = parts.hostname
    except ValueError:
        raise relay_refused(400, "The %s header is not a valid URL (check the host and port)."
                            % RELAY_TARGET_HEADER)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.netloc:
        raise relay_refused(400, "The %s header must be an absolute https:// URL, such as "
                                 "https://login.microsoftonline.com/common/oauth2/v2.0/token."
                            % RELAY_TARGET_HEADER)
    if "@" in parts.netloc:
        raise relay_refused(400, "The target URL must not contain a user name or password; send "
                                 "credentials in the Authorization header or the request body.")
    host = normalize_host(hostname or "")
    if host is None:
        raise relay_refused(400, "The target URL does not have a valid host name.")
    if port == 0:
        raise relay_refused(400, "The target URL has port 0, which is not a usable port.")
    if port is None:
        port = 443 if scheme == "https" else 80
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return RelayTarget(scheme, host, port, path)


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection over a socket the relay opened itself (to a checked address)."""

    def __init__(self, target, sock, timeout):
        super().__init__(target.host, target.port, timeout=timeout)
        self.default_port = 443 if target.scheme == "https" else 80  # for the Host header
        self.sock = sock

    def connect(self):
        raise OSError("the relay connection is already open")


class Upstream:
    """The provider's answer: status, Content-Type, the RELAY_PASSED_RESPONSE_HEADERS it sent
    ((name, value) pairs) and body bytes."""

    def __init__(self, status, content_type, passed_headers, body):
        self.status, self.content_type, self.passed_headers, self.body = (
            status, content_type, passed_headers, body)


class Relay:
    """The /relay endpoint: GET/HEAD describe it, POST forwards to the target header's URL."""

    def __init__(self, allowed_hosts=RELAY_DEFAULT_ALLOWED_HOSTS or (), timeout=RELAY_DEFAULT_TIMEOUT,
                 allow_loopback_for_tests=False):
        allowed = []
        for entry in allowed_hosts:
            entry = relay_allow_entry(entry)
            if entry not in allowed:
                allowed.append(entry)
        self.allowed = tuple(allowed)
        self.timeout = float(timeout)
        self.allow_loopback_for_tests = bool(allow_loopback_for_tests)
        self._tls = ssl.create_default_context()

    # -- request side ----------------------------------------------------------------------
    def matches(self, method, path):
        """Return True if this request (path without query) belongs to the relay."""
        return path == RELAY_PATH

    def handle(self, handler):
        """Answer the request through `handler` (its end_headers adds the security headers)."""
        method = handler.command
        if method == "POST":
            handler.relay_log_host = "-"  # log "POST /relay -> - 403" until the target is known
        try:
            self._check_same_origin(handler)
            if method in ("GET", "HEAD"):
                body = json.dumps({"relay": True,
                                   "allow": [display_allow_entry(e) for e in self.allowed]}).encode()
                self._send(handler, 200, "application/json", body)
            elif method == "POST":
                self._post(handler)
            else:
                raise relay_refused(405, "The relay answers GET (to describe itself) and POST (to "
                                         "forward a request), not %s." % method)
        except RelayError as e:
            self._send_error(handler, e)

    def _check_same_origin(self, handler):
        origins = handler.headers.get_all("Origin") or []
        fetch_site = (handler.headers.get("Sec-Fetch-Site") or "").strip().lower()
        cross = fetch_site not in ("", "same-origin", "none")
        if origins:
            # This server's own origin is http://<Host>; https://<Host> too, for a TLS proxy
            # in front of it (no other page can be served from that exact host and port).
            host = (handler.headers.get("Host") or "").strip().lower()
            theirs = origins[0].strip().lower()
            for scheme, port in (("http://", ":80"), ("https://", ":443")):
                if theirs.startswith(scheme) and theirs.endswith(port):
                    theirs = theirs[:-len(port)]
            mine = set()
            for scheme, port in (("http://", ":80"), ("https://", ":443")):
                mine.add(scheme + (host[:-len(port)] if host.endswith(port) else host))
            cross = cross or len(origins) > 1 or not host or theirs not in mine
        if cross:
            raise relay_refused(403, "The relay only answers the page served by this server, and "
                                     "this request comes from another origin.")

    def _post(self, handler):
        body = self._read_body(handler)
        targets = handler.headers.get_all(RELAY_TARGET_HEADER) or []
        if not targets:
            raise relay_refused(400, "The %s header is missing; it must hold the absolute https:// "
                                     "URL to forward the POST to." % RELAY_TARGET_HEADER)
        if len(targets) > 1:
            raise relay_refused(400, "The request has more than one %s header." % RELAY_TARGET_HEADER)
        target = parse_relay_target(targets[0].strip())
        handler.relay_log_host = display_host(target.host)
        headers = []
        for name in RELAY_FORWARDED_HEADERS:
            values = handler.headers.get_all(name) or []
            if len(values) > 1:
                raise relay_refused(400, "The request has more than one %s header, which the relay "
                                         "does not forward." % name)
            if values and FORWARD_FORBIDDEN_RE.search(values[0]):
                raise relay_refused(400, "The request's %s header contains a line break or another "
                                         "control character, which the relay does not forward; "
                                         "send the header on one line." % name)
            if values:
                headers.append((name, values[0]))
        upstream = self.forward(target, body, headers)
        self._send(handler, upstream.status, upstream.content_type, upstream.body,
                   upstream.passed_headers)

    def _read_body(self, handler):
        if handler.headers.get_all("Transfer-Encoding"):
            raise relay_refused(400, "The relay does not accept chunked request bodies; send the "
                                     "body with a Content-Length header.")
        lengths = set(v.strip() for v in handler.headers.get_all("Content-Length") or [])
        if len(lengths) > 1 or any(not re.fullmatch(r"[0-9]{1,18}", v) for v in lengths):
            raise relay_refused(400, "The request's Content-Length header is not valid.")
        length = int(lengths.pop()) if lengths else 0
        if length > RELAY_MAX_REQUEST_BYTES:
            if length <= RELAY_DRAIN_LIMIT:  # read it so the client sees the 413, not a reset
                handler.rfile.read(length)
            raise relay_refused(413, "The request body is larger than %d KiB, the relay's limit."
                                % (RELAY_MAX_REQUEST_BYTES // 1024))
        body = handler.rfile.read(length) if length else b""
        if len(body) != length:
            raise ConnectionError("the client sent a short body")
        return body

    # -- upstream side ---------------------------------------------------------------------
    def check_target(self, target):
        """Apply the allowlist and scheme rules (no network). RelayError (403) if refused."""
        if not host_allowed(target.host, self.allowed):
            entry = target.host
            if target.port != RELAY_DEFAULT_PORT and not self.allow_loopback_for_tests:
                entry = "%s:%d" % (display_host(target.host), target.port)
            raise relay_refused(403, "The target host %s is not on the relay's allowlist; start "
                                     "serve.py with --relay-allow %s to add it."
                                % (display_host(target.host), entry))
        if target.scheme != "https" and not self.allow_loopback_for_tests:
            raise relay_refused(403, "The relay only forwards to https:// targets, and this target "
                                     "uses plain http.")
        if not self.allow_loopback_for_tests and not host_allowed(target.host, self.allowed,
                                                                  target.port):
            entry = display_allow_entry(relay_allow_entry("%s:%d" % (display_host(target.host),
                                                                     target.port)))
            raise relay_refused(403, "The relay does not forward to port %d of %s: the host is not "
                                     "on the allowlist with that port (an entry without a port "
                                     "means port 443); start serve.py with --relay-allow %s to "
                                     "add it." % (target.port, display_host(target.host), entry))

    def forward(self, target, body, headers):
        """POST `body` with `headers` to `target` (a RelayTarget); returns an Upstream.
        Raises RelayError for every refusal and failure."""
        self.check_target(target)
        deadline = time.monotonic() + self.timeout
        addresses = self._resolve_checked(target, deadline)
        sock = self._connect(target, addresses, deadline)
        return self._exchange(target, sock, body, headers, deadline)

    def _timeout_error(self, what):
        return relay_failed(504, "The provider did not %s within the relay's %g-second limit."
                            % (what, self.timeout))

    def _resolve_checked(self, target, deadline):
        """Resolve the host ONCE and check every address; return [(family, sockaddr)]."""
        result = {}

        def lookup():
            try:
                result["infos"] = socket.getaddrinfo(target.host, target.port, socket.AF_UNSPEC,
                                                     socket.SOCK_STREAM, socket.IPPROTO_TCP)
            except (OSError, UnicodeError) as e:
                result["error"] = e

        worker = threading.Thread(target=lookup, name="relay-dns", daemon=True)
        worker.start()
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.is_alive():
            raise relay_failed(504, "Looking up the address of %s took longer than the relay's "
                                    "%g-second limit." % (target.host, self.timeout))
        if "error" in result:
            raise relay_failed(502, "The address of the target host %s could not be looked up."
                               % target.host)
        addresses = []
        for family, _, _, _, sockaddr in result["infos"]:
            if family not in (socket.AF_INET, socket.AF_INET6):
                continue
            ip = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
            kind = refused_address_reason(ip, self.allow_loopback_for_tests)
            if kind is not None:
                if target.is_ip:
                    text = "The target address %s is %s" % (ip, kind)
                else:
                    text = "The target host %s resolves to %s, %s" % (target.host, ip, kind)
                raise relay_refused(403, text + ", which the relay never connects to.")
            if (family, sockaddr) not in addresses:
                addresses.append((family, sockaddr))
        if not addresses:
            raise relay_failed(502, "The target host %s has no IPv4 or IPv6 address."
                               % target.host)
        return addresses

    def _connect(self, target, addresses, deadline):
        """A connected (and for https, TLS-wrapped) socket to one of the checked addresses."""
        sock, last_error = None, None
        for family, sockaddr in addresses:
            left = deadline - time.monotonic()
            if left <= 0:
                raise self._timeout_error("accept the connection")
            candidate = socket.socket(family, socket.SOCK_STREAM)
            candidate.settimeout(left)
            try:
                candidate.connect(sockaddr)  # the checked address itself: no second lookup
            except (socket.timeout, TimeoutError):
                candidate.close()
                raise self._timeout_error("accept the connection")
            except OSError as e:
                candidate.close()
                last_error = e
                continue
            sock = candidate
            break
        if sock is None:
            reason = getattr(last_error, "strerror", None) or type(last_error).__name__
            raise relay_failed(502, "The relay could not connect to %s on port %d (%s)."
                               % (target.host, target.port, reason.lower()))
        if target.scheme != "https":
            return sock
        sock.settimeout(max(0.001, deadline - time.monotonic()))
        try:
            # Verifies the certificate against the host NAME while talking to the checked address.
            return self._tls.wrap_socket(sock, server_hostname=target.host)
        except ssl.SSLCertVerificationError as e:
            sock.close()
            raise relay_failed(502, "The TLS certificate of %s could not be verified (%s)."
                               % (target.host, e.verify_message or e.reason or "unknown reason"))
        except (socket.timeout, TimeoutError):
            sock.close()
            raise self._timeout_error("complete the TLS handshake")
        except (ssl.SSLError, OSError) as e:
            sock.close()
            raise relay_failed(502, "The TLS handshake with %s failed (%s)."
                               % (target.host, getattr(e, "reason", None) or type(e).__name__))

    def _exchange(self, target, sock, body, headers, deadline):
        timed_out = threading.Event()

        def cut():  # a hard limit on the whole exchange, however slowly the bytes trickle in
            timed_out.set()
            try:
                socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's, also for TLS
            except OSError:
                pass

        left = deadline - time.monotonic()
        if left <= 0:
            sock.close()
            raise self._timeout_error("answer")
        sock.settimeout(left)
        timer = threading.Timer(left, cut)
        timer.daemon = True
        conn = _PinnedConnection(target, sock, left)
        timer.start()
        try:
            conn.putrequest("POST", target.path, skip_accept_encoding=True)
            conn.putheader("User-Agent", RELAY_USER_AGENT)
            for name, value in headers:
                conn.putheader(name, value)
            conn.putheader("Accept-Encoding", "identity")
            conn.putheader("Content-Length", str(len(body)))
            conn.putheader("Connection", "close")
            conn.endheaders(body)
            resp = conn.getresponse()
            status = resp.status
            if 300 <= status < 400:
                raise relay_refused(502, "The provider answered with a redirect (HTTP %d), which the "
                                         "relay does not follow." % status)
            if not 200 <= status <= 599:
                raise relay_failed(502, "The provider answered with HTTP status %d, which the relay "
                                        "does not pass on." % status)
            declared = (resp.getheader("Content-Length") or "").strip()
            too_big = relay_failed(502, "The provider's answer is larger than %d MiB, the relay's "
                                        "limit." % (RELAY_MAX_RESPONSE_BYTES // (1024 * 1024)))
            if declared.isdigit() and int(declared) > RELAY_MAX_RESPONSE_BYTES:
                raise too_big
            chunks, size = [], 0
            while True:
                chunk = resp.read(64 * 1024)
                if not chunk:
                    break
                size += len(chunk)
                if size > RELAY_MAX_RESPONSE_BYTES:
                    raise too_big
                chunks.append(chunk)
            if timed_out.is_set():
                raise self._timeout_error("answer")
            passed = [(name, resp.getheader(name)) for name in RELAY_PASSED_RESPONSE_HEADERS
                      if resp.getheader(name) is not None
                      and not FORWARD_FORBIDDEN_RE.search(resp.getheader(name))]
            return Upstream(status, resp.getheader("Content-Type"), passed, b"".join(chunks))
        except RelayError:
            if timed_out.is_set():
                raise self._timeout_error("answer")
            raise
        except (socket.timeout, TimeoutError):
            raise self._timeout_error("answer")
        except (http.client.HTTPException, OSError, ValueError) as e:
            if timed_out.is_set():
                raise self._timeout_error("answer")
            if isinstance(e, http.client.IncompleteRead):
                raise relay_failed(502, "The provider's answer was cut off before its end.")
            if isinstance(e, (http.client.HTTPException, ValueError)):
                raise relay_failed(502, "The provider's answer is not valid HTTP.")
            raise relay_failed(502, "The connection to %s broke before the provider answered."
                               % target.host)
        finally:
            timer.cancel()
            conn.close()

    # -- answers ---------------------------------------------------------------------------
    def refuse(self, handler, error):
        """Answer a request the server refused before the relay saw it (Host, body rules)."""
        self._send_error(handler, error)

    def _send(self, handler, status, content_type, body, extra=()):
        handler.cache_control = "no-store"  # tokens, and the status the page must read fresh
        handler.send_response(status)
        if content_type:
            handler.send_header("Content-Type", content_type)
        if status not in (204, 304):
            handler.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            handler.send_header(name, value)
        handler.send_header(RELAY_MARK_HEADER, "1")
        handler.end_headers()
        if handler.command != "HEAD" and status not in (204, 304):
            handler.wfile.write(body)

    def _send_error(self, handler, error):
        body = json.dumps({"error": error.error, "error_description": error.description}).encode()
        extra = [("Connection", "close")]
        if error.status == 405:
            extra.append(("Allow", "GET, HEAD, POST"))
        # The request body may be unread: never take it for the next request.
        handler.close_connection = True
        self._send(handler, error.status, "application/json", body, extra)


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------
def split_target(target):
    """Return the path of a request target, without query string or fragment."""
    for sep in ("?", "#"):
        target = target.split(sep, 1)[0]
    return target


def percent_decode(path):
    """Percent-decode a URL path to text; None if the bytes are not UTF-8."""
    try:
        raw = unquote_to_bytes(path)
        return raw.decode("utf-8")
    except (UnicodeDecodeError, ValueError):
        return None


def resolve_path(root, url_path):
    """Map a URL path (no query) to a regular file inside `root` (a resolved Path).

    Returns the file's Path, or None if there is no such file or the path is refused:
    any segment starting with '.' ('..', '.', '.git', '.env', ...), backslashes, NUL bytes,
    directories (no listings) or anything that resolves (through symlinks) to outside
    `root` or to a dotfile.
    """
    if not url_path.startswith("/"):
        return None
    if url_path == "/":
        url_path = "/index.html"
    elif url_path.endswith("/"):
        return None  # a directory form: no listings, no implicit index files
    decoded = percent_decode(url_path)
    if decoded is None or "\x00" in decoded or "\\" in decoded:
        return None
    parts = [p for p in decoded.split("/") if p]
    if not parts or any(p.startswith(".") for p in parts):  # ".", ".." and every dotfile
        return None
    candidate = root.joinpath(*parts)
    try:
        real = Path(os.path.realpath(candidate))
        if real != root and root not in real.parents:
            return None
        if any(p.startswith(".") for p in real.relative_to(root).parts):
            return None  # a symlink to a dotfile inside the folder
        st = os.stat(real)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return real


def content_type_for(path):
    return CONTENT_TYPES.get(path.suffix.lower(), DEFAULT_CONTENT_TYPE)


def accepts_gzip(accept_encoding):
    """True if an Accept-Encoding header value allows gzip (q > 0)."""
    if not accept_encoding:
        return False
    qualities = {}
    for item in accept_encoding.split(","):
        coding, _, params = item.partition(";")
        coding = coding.strip().lower()
        if not coding:
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
        qualities.setdefault(coding, q)
    for coding in ("gzip", "x-gzip", "*"):
        if coding in qualities:
            return qualities[coding] > 0
    return False


class GzipCache:
    """Compressed file bytes in memory, keyed by path and modification time (and size)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._entries = {}  # path -> ((mtime_ns, size), gzipped bytes)

    def get(self, path, key, data):
        with self._lock:
            entry = self._entries.get(path)
        if entry is not None and entry[0] == key:
            return entry[1]
        packed = gzip.compress(data, compresslevel=6, mtime=0)
        with self._lock:
            self._entries[path] = (key, packed)
        return packed


def read_file(path):
    """Return (bytes, (mtime_ns, size)) of a regular file, or None."""
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode):
                return None
            data = f.read()
    except OSError:
        return None
    return data, (st.st_mtime_ns, st.st_size)


# ---------------------------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------------------------
def safe_for_log(text):
    """Printable, bounded, query-free text for a log line."""
    text = split_target(text)
    if len(text) > MAX_LOGGED_PATH:
        text = text[:MAX_LOGGED_PATH] + "..."
    return "".join(c if c.isprintable() and c != " " else "\\x%02x" % ord(c) if ord(c) < 256
                   else "\\u%04x" % ord(c) for c in text)


def parse_host_header(value):
    """(normalized host, port or None) of a Host header value; None if it is not valid."""
    hostpart, port_text = _split_port(value.strip())
    host = normalize_host(hostpart)
    if host is None:
        return None
    if not port_text:  # no port, or "host:" (an empty port, RFC 3986 section 3.2.3)
        return host, None
    if not re.fullmatch(r"[0-9]{1,5}", port_text) or not 0 < int(port_text) <= 65535:
        return None
    return host, int(port_text)


def public_host_entry(text):
    """argparse type for --public-host: NAME or NAME:PORT -> (normalized name, port or None)."""
    hostpart, port_text = _split_port(text.strip())
    parsed = parse_host_header(text) if hostpart and port_text != "" else None
    if parsed is None:
        raise argparse.ArgumentTypeError(
            "not a host name: %r (give the name people use to reach this server, such as "
            "oauth.example.com, optionally with :PORT; no scheme or path)" % text)
    return parsed


class HostRule:
    """Which Host header values this server answers (DNS rebinding defence)."""

    def __init__(self, bound_host, port, public_hosts=()):
        self.port = port
        bound = normalize_host(bound_host.split("%", 1)[0])
        self.any_address = bound in ("0.0.0.0", "::")
        self.allowed = {(name, port) for name in ("localhost", "127.0.0.1", "::1")}
        if bound is not None and not self.any_address:
            self.allowed.add((bound, port))
        for name, public_port in public_hosts:
            if public_port is None:  # behind a proxy on 80 or 443, or straight on this port
                self.allowed.update({(name, port), (name, 80), (name, 443)})
            else:
                self.allowed.add((name, public_port))

    def accepts(self, host, port):
        ports = (80, 443) if port is None else (port,)  # no port: the scheme's default
        if any((host, p) in self.allowed for p in ports):
            return True
        # Bound to every interface: any address of this machine is the bound address. An IP
        # address in the Host header cannot be a rebound name.
        return self.any_address and _is_ip(host) and self.port in ports

    def suggestion(self, host, port):
        if port is None or port in (80, 443, self.port):
            return display_host(host)
        return "%s:%d" % (display_host(host), port)


def _is_ip(text):
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


class DeadlineReader(io.RawIOBase):
    """The connection's reading side. While `deadline` (time.monotonic()) is set, every recv
    waits at most until then, so a request that trickles in byte by byte still ends on time."""

    def __init__(self, sock):
        super().__init__()
        self.sock = sock
        self.deadline = None
        self.timed_out = False

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                self.timed_out = True
                raise TimeoutError("the request took too long to arrive")
            self.sock.settimeout(left)
        try:
            return self.sock.recv_into(buffer)
        except TimeoutError:
            self.timed_out = self.deadline is not None and time.monotonic() >= self.deadline
            raise


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT  # seconds an idle keep-alive connection may stay open

    def version_string(self):
        return "oauth-setup"  # no Python version in the Server header

    # -- connection and request timing -----------------------------------------------------
    def setup(self):
        self.accepted_at = time.monotonic()
        super().setup()
        self.rfile.close()  # the socket file made by StreamRequestHandler; ours replaces it
        self.reader = DeadlineReader(self.connection)
        self.rfile = io.BufferedReader(self.reader)
        self.first_request = True

    def handle_one_request(self):
        self.path = self.command = None  # never log a previous request's on a timeout
        self.cache_control = "no-cache"
        self.response_started = False
        self.reader.timed_out = False
        if self.first_request:  # the first request's time runs from the accept
            self.first_request = False
            self.reader.deadline = self.accepted_at + self.server.request_timeout
        elif not self._wait_for_next_request():
            self.close_connection = True
            return
        super().handle_one_request()
        if self.reader.timed_out and not self.response_started:
            self._answer_request_timeout()

    def _wait_for_next_request(self):
        """Wait (up to the idle timeout) for the first byte of the next request on a kept-alive
        connection, then start that request's clock. False if it never comes."""
        self.reader.deadline = time.monotonic() + self.timeout
        try:
            if not self.rfile.peek(1):
                return False
        except OSError:  # the idle timeout, or the client went away
            return False
        self.reader.deadline = time.monotonic() + self.server.request_timeout
        return True

    def _answer_request_timeout(self):
        self.close_connection = True
        if getattr(self, "request_version", None) in (None, "HTTP/0.9"):
            self.request_version = "HTTP/1.1"
        self.reader.deadline = None
        try:
            self.connection.settimeout(1.0)  # a client this slow gets one short try
            self.send_error(408, explain="The request did not arrive within %g seconds, this "
                                         "server's limit for one whole request."
                                         % self.server.request_timeout)
            self.wfile.flush()
        except OSError:
            pass

    def send_response(self, code, message=None):
        # The request has been read (or will never be): writes get the ordinary timeout.
        self.response_started = True
        if self.reader.deadline is not None:
            self.reader.deadline = None
            self.connection.settimeout(self.timeout)
        super().send_response(code, message)

    # -- dispatch --------------------------------------------------------------------------
    def parse_request(self):
        self.path = None  # never log a previous request's path on a bad request line
        self.relay_log_host = None  # set by the relay once it knows the target host
        return super().parse_request()

    def _dispatch(self, method):
        path = split_target(self.path)
        relay = getattr(self.server, "relay", None)
        for_relay = relay is not None and relay.matches(method, path)
        problem = self._host_problem() or self._body_problem(method)
        if problem is not None:
            status, text = problem
            if for_relay:
                relay.refuse(self, relay_refused(status, text))
            else:
                self.send_error(status, explain=text)
            return
        if for_relay:
            relay.handle(self)
            return
        if method not in ("GET", "HEAD"):
            self.send_error(405)
            return
        self._serve_file(path, head=(method == "HEAD"))

    def _host_problem(self):
        """(status, sentence) if the Host header is not one this server answers, else None."""
        values = self.headers.get_all("Host") or []
        if len(values) != 1:
            return 400, "The request must have exactly one Host header."
        parsed = parse_host_header(values[0])
        if parsed is None:
            return 400, "The Host header is not a valid host name or address (with an optional port)."
        rule = self.server.host_rule
        if rule.accepts(*parsed):
            return None
        host, port = parsed
        shown = display_host(host) if port is None else "%s:%d" % (display_host(host), port)
        return 421, ("This server does not answer for %s, the host in the Host header (a defence "
                     "against DNS rebinding); if you reach it under that name, start serve.py "
                     "with --public-host %s." % (shown, rule.suggestion(host, port)))

    def _body_problem(self, method):
        """A GET or HEAD with a body: its bytes must never be read as the next request."""
        if method not in ("GET", "HEAD"):
            return None
        lengths = [v.strip() for v in self.headers.get_all("Content-Length") or []]
        if self.headers.get_all("Transfer-Encoding") or any(v != "0" for v in lengths):
            return 400, ("A %s request must not carry a body; this server closes the connection "
                         "instead of reading it." % method)
        return None

    def do_GET(self):
        self._dispatch("GET")

    def do_HEAD(self):
        self._dispatch("HEAD")

    def do_POST(self):
        self._dispatch("POST")

    def do_PUT(self):
        self._dispatch("PUT")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def do_PATCH(self):
        self._dispatch("PATCH")

    def do_OPTIONS(self):
        self._dispatch("OPTIONS")

    # -- static files ----------------------------------------------------------------------
    def _serve_file(self, url_path, head):
        path = resolve_path(self.server.root, url_path)
        loaded = read_file(path) if path is not None else None
        if loaded is None:
            self.send_error(404)
            return
        data, key = loaded
        compressible = path.suffix.lower() in GZIP_EXTENSIONS
        encoding = None
        if compressible and accepts_gzip(self.headers.get("Accept-Encoding", "")):
            data = self.server.gzip_cache.get(path, key, data)
            encoding = "gzip"
        if path.name in NO_STORE_FILES:
            self.cache_control = "no-store"
        self.send_response(200)
        self.send_header("Content-Type", content_type_for(path))
        self.send_header("Content-Length", str(len(data)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        if compressible:
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    # -- headers and errors ----------------------------------------------------------------
    def end_headers(self):
        for name, value in SECURITY_HEADERS:
            self.send_header(name, value)
        self.send_header("Cache-Control", getattr(self, "cache_control", "no-cache"))
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        """A short plain-text error that never echoes the request back. `explain` is one
        sentence of this server's own (never the client's raw bytes)."""
        short = self.responses.get(code, ("Error", ""))[0]
        text = "%d %s\n" % (code, short)
        if explain:  # only ever this server's own sentences (the base class passes none)
            text += explain + "\n"
        body = text.encode("ascii", "replace")
        self.send_response(code, short)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if code == 405:
            self.send_header("Allow", "GET, HEAD")
        # An unread request body (or a broken request line) must not be taken for the next
        # request on this connection: close it after any error.
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(body)

    # -- logging: short, no query strings, no headers, no bodies ---------------------------
    def log_request(self, code="-", size="-"):
        method = self.command or "-"
        path = safe_for_log(self.path) if self.path else "-"
        code = getattr(code, "value", code)
        relay_host = getattr(self, "relay_log_host", None)
        if relay_host is not None:  # a relayed POST: "POST /relay -> host status", nothing more
            self.log_message("%s %s -> %s %s", safe_for_log(method), path, safe_for_log(relay_host), code)
            return
        self.log_message("%s %s %s", code, safe_for_log(method), path)

    def log_error(self, format, *args):
        self.log_message(format, *args)

    def log_message(self, format, *args):
        try:
            line = format % args
        except (TypeError, ValueError):
            line = format
        # Defense in depth: drop anything that looks like a query string.
        line = " ".join(split_target(word) if "?" in word else word for word in line.split(" "))
        sys.stderr.write("%s %s\n" % (time.strftime("%H:%M:%S"), line))
        sys.stderr.flush()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # connections the kernel holds until they are accepted

    def __init__(self, address, family, root, relay=None, public_hosts=(),
                 request_timeout=REQUEST_TIMEOUT_DEFAULT, max_connections=MAX_CONNECTIONS):
        self.address_family = family
        self.root = root
        self.relay = relay
        self.request_timeout = float(request_timeout)
        self.max_connections = max_connections
        self.slots = threading.BoundedSemaphore(max_connections)
        self.busy_logged_at = None
        self.gzip_cache = GzipCache()
        super().__init__(address, Handler)
        self.host_rule = HostRule(self.server_address[0], self.server_address[1], public_hosts)

    def server_bind(self):
        # TCPServer's bind, not HTTPServer's: that one does a (possibly slow) reverse DNS
        # lookup of the host just to fill server_name.
        if self.address_family == socket.AF_INET6 and self.server_address[0] in ("::", ""):
            try:  # "::" also accepts IPv4, so the printed 127.0.0.1 URL works
                self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            except (AttributeError, OSError):
                pass
        TCPServer.server_bind(self)
        self.server_name = self.server_address[0]
        self.server_port = self.server_address[1]

    # -- at most max_connections threads ---------------------------------------------------
    def process_request(self, request, client_address):
        if not self.slots.acquire(blocking=False):
            self._refuse_busy(request)
            return
        try:
            super().process_request(request, client_address)  # starts the connection's thread
        except RuntimeError:  # no thread could be started: the slot was never used
            self.slots.release()
            raise
        # Any other exception here (Ctrl-C while start() waits for the thread) comes after the
        # thread began: that thread releases the slot, so releasing it here too would raise
        # ValueError and hide the KeyboardInterrupt from serve_forever.

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def _refuse_busy(self, request):
        """503 to a connection beyond the limit, without waiting on it, then close it."""
        body = ("503 Service Unavailable\nThis server is already handling %d connections; try "
                "again in a moment.\n" % self.max_connections).encode()
        head = ["HTTP/1.1 503 Service Unavailable", "Content-Type: text/plain; charset=utf-8",
                "Content-Length: %d" % len(body), "Retry-After: 1", "Connection: close"]
        head += ["%s: %s" % pair for pair in SECURITY_HEADERS] + ["Cache-Control: no-cache"]
        try:
            request.setblocking(False)  # a full send buffer must not stall the accept loop
            request.send(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        except OSError:
            pass
        self.shutdown_request(request)
        now = time.monotonic()
        if self.busy_logged_at is None or now - self.busy_logged_at >= BUSY_LOG_INTERVAL:
            self.busy_logged_at = now
            sys.stderr.write("%s 503 too many connections (%d at once): closing new ones\n"
                             % (time.strftime("%H:%M:%S"), self.max_connections))
            sys.stderr.flush()

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError, socket.timeout)):
            return  # the client went away: nothing to report
        sys.stderr.write("%s: error while answering a request: %s\n" % (PROG, type(exc).__name__))
        sys.stderr.flush()


# ---------------------------------------------------------------------------------------------
# Startup
# ---------------------------------------------------------------------------------------------
def parse_args(argv):
    parser = argparse.ArgumentParser(prog=PROG, description="Serve the built oauth-setup page.")
    parser.add_argument("--dir", help="folder to serve (default: build/site next to serve.py)")
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=port_number, default=DEFAULT_PORT,
                        help="port to listen on, 0 for any free port (default: %(default)s)")
    relay = parser.add_argument_group("CORS relay (off unless --relay is given)")
    parser.add_argument("--public-host", action="append", default=[], type=public_host_entry,
                        metavar="NAME[:PORT]",
                        help="also answer requests for this host name (repeatable), e.g. the name "
                             "of a proxy in front of this server; others get 421")
    parser.add_argument("--request-timeout", type=relay_timeout, default=REQUEST_TIMEOUT_DEFAULT,
                        metavar="SECONDS",
                        help="time a client has to send one whole request (default: %g)"
                             % REQUEST_TIMEOUT_DEFAULT)
    relay.add_argument("--relay", action="store_true",
                       help="answer POST /relay by forwarding to the https URL in the %s header"
                            % RELAY_TARGET_HEADER)
    relay.add_argument("--relay-allow", action="append", default=[], type=relay_allow_entry,
                       metavar="HOST[:PORT]",
                       help="also allow this target host (repeatable; *.example.com allows its "
                            "subdomains; without :PORT only port 443)")
    relay.add_argument("--relay-timeout", type=relay_timeout, default=None, metavar="SECONDS",
                       help="limit on connecting to and hearing from the provider (default: %g)"
                            % RELAY_DEFAULT_TIMEOUT)
    relay.add_argument("--relay-allow-loopback-for-tests", action="store_true",
                       help="TESTS ONLY: also allow http:// targets, loopback addresses and "
                            "any port")
    return parser.parse_args(argv)


def make_relay(args):
    """The Relay the flags ask for, or None; UsageError for relay flags without --relay."""
    if not args.relay:
        if args.relay_allow or args.relay_timeout is not None or args.relay_allow_loopback_for_tests:
            raise UsageError("--relay-allow, --relay-timeout and --relay-allow-loopback-for-tests "
                             "only apply with --relay")
        return None
    timeout = RELAY_DEFAULT_TIMEOUT if args.relay_timeout is None else args.relay_timeout
    hosts = default_relay_hosts(DEFAULT_DIR if args.dir is None else args.dir)
    return Relay(hosts + tuple(args.relay_allow), timeout,
                 args.relay_allow_loopback_for_tests)


def port_number(text):
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("not a port number: %r" % text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError("port must be between 0 and 65535")
    return port


def site_root(dir_arg):
    """The resolved folder to serve; UsageError if its index.html is missing."""
    if dir_arg is None:
        folder, shown = DEFAULT_DIR, DEFAULT_DIR_DISPLAY
    else:
        folder, shown = Path(dir_arg), dir_arg.rstrip("/") or "/"
    if not (folder / "index.html").is_file():
        raise UsageError("the page is not built: %s/index.html is missing; "
                         "run the run command from the README first" % shown)
    return folder.resolve()


def make_server(host, port, root, relay=None, public_hosts=(), request_timeout=REQUEST_TIMEOUT_DEFAULT):
    try:
        infos = socket.getaddrinfo(host or None, port, socket.AF_UNSPEC, socket.SOCK_STREAM, 0,
                                   socket.AI_PASSIVE)
    except socket.gaierror as e:
        raise UsageError("cannot use host %r: %s" % (host, e.strerror))
    family, _, _, _, sockaddr = infos[0]
    try:
        return Server((sockaddr[0], sockaddr[1]), family, root, relay, public_hosts, request_timeout)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise UsageError("port %d on %s is already in use; pick another with --port" % (port, host))
        raise UsageError("cannot listen on %s port %d: %s" % (host, port, e.strerror or e))


def display_url(host, port):
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    if ":" in host:
        host = "[%s]" % host
    return "http://%s:%d/" % (host, port)


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    args = parse_args(argv)
    server = None
    try:
        relay = make_relay(args)
        root = site_root(args.dir)
        if relay is not None and relay.allow_loopback_for_tests:
            sys.stderr.write("%s: warning: --relay-allow-loopback-for-tests is on: the relay also "
                             "forwards to http:// targets, loopback addresses and any port; use it "
                             "only in tests\n" % PROG)
            sys.stderr.flush()
        server = make_server(args.host, args.port, root, relay, args.public_host,
                             args.request_timeout)
        signal.signal(signal.SIGTERM, _raise_interrupt)
        print("Serving oauth-setup at %s" % display_url(args.host, server.server_address[1]), flush=True)
        server.serve_forever()
    except UsageError as e:
        sys.stderr.write("%s: %s\n" % (PROG, e))
        return 2
    except KeyboardInterrupt:
        return 0
    finally:
        if server is not None:
            server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
