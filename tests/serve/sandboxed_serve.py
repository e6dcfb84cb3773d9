"""Run serve.py with its network confined to the loopback interface (for the relay tests).

    python3 sandboxed_serve.py CONFIG.json [serve.py arguments...]

CONFIG is {"dns": {"name": [["ip", ...], ...]}, "log": "/path/to/log"}:
- a host name resolves only if it is in "dns" (its n-th lookup gets the n-th answer, and the
  last answer after that) or is "localhost"; any other name fails as unknown, so no DNS query
  ever leaves the machine, whatever serve.py does;
- IP literals resolve as usual (no DNS is involved);
- connect() to anything but a loopback address fails, and is logged as "BLOCKED <address>";
- every name lookup is logged as "LOOKUP <name>".
The tests read the log: no BLOCKED line may ever appear, and lookups are counted.

Not a test module (the name does not start with "test"): the relay tests start it.
"""

import ipaddress
import json
import runpy
import socket
import sys
import threading
from pathlib import Path

SERVE_PY = Path(__file__).resolve().parents[2] / "serve.py"

_config = json.loads(Path(sys.argv[1]).read_text())
_dns = {name.lower(): answers for name, answers in _config.get("dns", {}).items()}
_log_path = _config["log"]
_lock = threading.Lock()
_counts = {}
_real_getaddrinfo = socket.getaddrinfo
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _log(line):
    with _lock:
        with open(_log_path, "a") as f:
            f.write(line + "\n")


def _ip(text):
    try:
        return ipaddress.ip_address(str(text).split("%", 1)[0])
    except ValueError:
        return None


def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    name = host.decode() if isinstance(host, bytes) else host
    if name is None or _ip(name) is not None or name == "localhost":
        return _real_getaddrinfo(host, port, family, type, proto, flags)
    _log("LOOKUP %s" % name)
    key = name.lower().rstrip(".")
    if key not in _dns:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known (test sandbox)")
    with _lock:
        count = _counts[key] = _counts.get(key, 0) + 1
    answers = _dns[key]
    result = []
    for ip in answers[min(count, len(answers)) - 1]:
        if ":" in ip:
            result.append((socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (ip, port, 0, 0)))
        else:
            result.append((socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (ip, port)))
    return result


def _check(sock, address):
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return
    ip = _ip(address[0])
    if ip is None or not (ip.is_loopback or (ip.version == 6 and ip.ipv4_mapped is not None
                                             and ip.ipv4_mapped.is_loopback)):
        _log("BLOCKED %r" % (address,))
        raise ConnectionRefusedError(111, "non-loopback connection blocked by the test sandbox")


def connect(self, address):
    _check(self, address)
    return _real_connect(self, address)


def connect_ex(self, address):
    _check(self, address)
    return _real_connect_ex(self, address)


socket.getaddrinfo = getaddrinfo
socket.socket.connect = connect
socket.socket.connect_ex = connect_ex

sys.argv = [str(SERVE_PY)] + sys.argv[2:]
runpy.run_path(str(SERVE_PY), run_name="__main__")
