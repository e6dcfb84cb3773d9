#!/usr/bin/env bash
# The run command: installs what is missing, builds the page in release mode, and serves it.
# Arguments go to serve.py (e.g. --port 8080, --host 0.0.0.0).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh" page
exec python3 "$root/serve.py" "$@"
