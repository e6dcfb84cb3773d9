#!/usr/bin/env bash
# The run command: installs what is missing, builds the page in release mode, starts the local demo
# authorization server (the "Local demo server" preset, http://127.0.0.1:9400) and serves the page.
# Arguments go to serve.py (e.g. --port 8080, --host 0.0.0.0, --relay).
# OAUTH_SETUP_DEMO_PORT changes the demo server's port; OAUTH_SETUP_DEMO=0 leaves it off.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh" page

port=8000
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --port) port="${args[$((i + 1))]:-8000}" ;;
    --port=*) port="${args[$i]#--port=}" ;;
  esac
done

demo_pid=""
if [ "${OAUTH_SETUP_DEMO:-1}" != "0" ]; then
  demo_port="${OAUTH_SETUP_DEMO_PORT:-9400}"
  # The demo server is the tests' oidc-provider set-up: demo clients for every grant, any user
  # name signs in, the password grant knows alice/wonderland.
  node "$root/tests/e2e/oidc/server.mjs" --port "$demo_port" \
    --page-origin "http://127.0.0.1:$port" --page-origin "http://localhost:$port" &
  demo_pid=$!
  trap '[ -n "$demo_pid" ] && kill "$demo_pid" 2>/dev/null || true' EXIT INT TERM
  sleep 0.5
  kill -0 "$demo_pid" 2>/dev/null || { echo "run: the demo server did not start (port $demo_port taken?); continuing without it" >&2; demo_pid=""; }
fi
python3 "$root/serve.py" "$@"
