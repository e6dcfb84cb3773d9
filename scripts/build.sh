#!/usr/bin/env bash
# Builds one or more of the project's builds. Usage: scripts/build.sh [page] [native] [wasm-tests] [anchor]
#   page        the hostable page, release mode, into build/site (em++)
#   anchor      the benchmark's anchor page (bench/anchor), with the page's flags, into build/anchor-site
#   native      src/core + unit tests with AddressSanitizer and UndefinedBehaviorSanitizer (g++)
#   wasm-tests  the same unit tests compiled to wasm, run under node (em++)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# Emscripten's JS optimizer needs Debian's acorn module, which the node on PATH does not look for.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
jobs=$(nproc 2>/dev/null || echo 2)

configure() { # dir, then cmake arguments; configures once, reconfigures when asked by CMake itself
  local dir=$1; shift
  if [ ! -f "$dir/CMakeCache.txt" ]; then "$@" -B "$dir" -S "$root" >/dev/null; fi
}

for what in "${@:-page}"; do
  case "$what" in
    page)
      configure build/web emcmake cmake -DCMAKE_BUILD_TYPE=Release -DOAUTH_BUILD_TESTS=OFF
      cmake --build build/web -j"$jobs" ;;
    native)
      configure build/native cmake -DCMAKE_BUILD_TYPE=Debug -DOAUTH_SANITIZE=ON -DOAUTH_BUILD_PAGE=OFF
      cmake --build build/native -j"$jobs" ;;
    wasm-tests)
      configure build/wasm-tests emcmake cmake -DCMAKE_BUILD_TYPE=Release -DOAUTH_BUILD_PAGE=OFF
      cmake --build build/wasm-tests -j"$jobs" ;;
    anchor) # only the anchor's target: the tree's core and app libraries are not part of it
      configure build/anchor emcmake cmake -DCMAKE_BUILD_TYPE=Release -DOAUTH_BUILD_TESTS=OFF \
        -DOAUTH_BUILD_PAGE=OFF -DOAUTH_BUILD_ANCHOR=ON
      cmake --build build/anchor -j"$jobs" --target anchor_page ;;
    *) echo "build.sh: unknown build '$what' (page, native, wasm-tests, anchor)" >&2; exit 2 ;;
  esac
done
