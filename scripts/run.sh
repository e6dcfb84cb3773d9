#!/usr/bin/env bash
# The run command: installs what is missing, builds the page in release mode, starts the local demo
# authorization server (the "Local demo server" preset, http://127.0.0.1:9400) and serves the page.
# Arguments go to serve.py (e.g. --port 8080, --host 0.0.0.0, --relay-allow auth.example.com).
# The CORS relay is on (serve.py --relay: the provider presets' hosts and --relay-allow ones only);
# --no-relay turns it off. --relay is still accepted (it changes nothing).
# OAUTH_SETUP_DEMO_PORT changes the demo server's port; OAUTH_SETUP_DEMO=0 leaves it off.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

port=8000
relay=1
asked_relay=0
args=()
for ((i = 1; i <= $#; i++)); do
  arg="${!i}"
  case "$arg" in
    --no-relay) relay=0; continue ;;
    --relay) asked_relay=1; continue ;;
    --port) next=$((i + 1)); port="${!next:-8000}" ;;
    --port=*) port="${arg#--port=}" ;;
  esac
  args+=("$arg")
done
if [ "$relay" = 0 ] && [ "$asked_relay" = 1 ]; then
  echo "run: --relay and --no-relay contradict each other; give one of them" >&2
  exit 2
fi
if [ "$relay" = 1 ]; then args=(--relay "${args[@]}"); fi

"$root/scripts/setup.sh"
"$root/scripts/build.sh" page

demo_pid=""
if [ "${OAUTH_SETUP_DEMO:-1}" != "0" ]; then
  demo_port="${OAUTH_SETUP_DEMO_PORT:-9400}"
  # The demo server (demo/server.mjs, the browser tests use it too): clients for every grant, any
  # user name signs in, the password grant knows alice/wonderland.
  node "$root/demo/server.mjs" --port "$demo_port" \
    --page-origin "http://127.0.0.1:$port" --page-origin "http://localhost:$port" &
  demo_pid=$!
  trap '[ -n "$demo_pid" ] && kill "$demo_pid" 2>/dev/null || true' EXIT INT TERM
  sleep 0.5
  kill -0 "$demo_pid" 2>/dev/null || { echo "run: the demo server did not start (port $demo_port taken?); continuing without it" >&2; demo_pid=""; }
fi
python3 "$root/serve.py" "${args[@]}"
