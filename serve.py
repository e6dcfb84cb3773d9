#!/usr/bin/env python3
"""Serve the built oauth-setup page on a local address.

    python3 serve.py                  # http://127.0.0.1:8000/, serving build/site
    python3 serve.py --port 0         # any free port (the printed line shows it)
    python3 serve.py --dir other/site --host 0.0.0.0 --port 9000

Python 3 standard library only. Static files only: GET and HEAD, no directory listings,
nothing outside the served folder. Every response carries the security headers below.
Request log lines go to stderr and never include query strings (OAuth callback URLs
carry authorization codes), headers or bodies.
"""

import argparse
import errno
import gzip
import os
import signal
import socket
import stat
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socketserver import TCPServer
from urllib.parse import unquote_to_bytes

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


class UsageError(Exception):
    """A startup problem reported as one line on stderr, exit code 2."""


# ---------------------------------------------------------------------------------------------
# RELAY: placeholder for the future `--relay` option (a CORS relay endpoint). NOT IMPLEMENTED.
#
# When it is added: parse `--relay` in parse_args(), build a Relay in main() and pass it to
# make_server(). Handler._dispatch() already asks `server.relay` first for every request
# (any method), so the relay gets its own path prefix and methods without touching the
# static-file code. Its responses must still go through Handler.end_headers() (security
# headers) and its logging must follow the same rules (no query strings, headers or bodies).
# ---------------------------------------------------------------------------------------------
class Relay:
    """Future CORS relay endpoint. Not implemented: matches nothing."""

    def matches(self, method, path):
        """Return True if this request (path without query) belongs to the relay."""
        return False

    def handle(self, handler):
        """Answer the request through `handler`."""
        raise NotImplementedError("the --relay option is not implemented yet")


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
    any '..' or '.' segment, backslashes, NUL bytes, directories (no listings) or
    anything that resolves (through symlinks) to outside `root`.
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
    if not parts or any(p in (".", "..") for p in parts):
        return None
    candidate = root.joinpath(*parts)
    try:
        real = Path(os.path.realpath(candidate))
        if real != root and root not in real.parents:
            return None
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


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds an idle keep-alive connection may stay open

    def version_string(self):
        return "oauth-setup"  # no Python version in the Server header

    # -- dispatch --------------------------------------------------------------------------
    def parse_request(self):
        self.path = None  # never log a previous request's path on a bad request line
        return super().parse_request()

    def _dispatch(self, method):
        path = split_target(self.path)
        relay = getattr(self.server, "relay", None)
        if relay is not None and relay.matches(method, path):
            relay.handle(self)
            return
        if method not in ("GET", "HEAD"):
            self.send_error(405)
            return
        self._serve_file(path, head=(method == "HEAD"))

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
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        """A short plain-text error that never echoes the request back."""
        short = self.responses.get(code, ("Error", ""))[0]
        body = ("%d %s\n" % (code, short)).encode("ascii", "replace")
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

    def __init__(self, address, family, root, relay=None):
        self.address_family = family
        self.root = root
        self.relay = relay
        self.gzip_cache = GzipCache()
        super().__init__(address, Handler)

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
    return parser.parse_args(argv)


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


def make_server(host, port, root, relay=None):
    try:
        infos = socket.getaddrinfo(host or None, port, socket.AF_UNSPEC, socket.SOCK_STREAM, 0,
                                   socket.AI_PASSIVE)
    except socket.gaierror as e:
        raise UsageError("cannot use host %r: %s" % (host, e.strerror))
    family, _, _, _, sockaddr = infos[0]
    try:
        return Server((sockaddr[0], sockaddr[1]), family, root, relay)
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
        root = site_root(args.dir)
        server = make_server(args.host, args.port, root)
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
