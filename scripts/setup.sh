#!/usr/bin/env bash
# Installs everything the build and the tests need, idempotently: Debian packages, the Dear ImGui
# sources (Debian source package, unpacked into third_party/, never committed) and the npm packages
# of the demo server (demo/) and the browser tests (tests/e2e). Fast when everything is already there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

need_pkgs=(emscripten binaryen chromium nlohmann-json3-dev catch2 libssl-dev fonts-inter fonts-jetbrains-mono fonts-droid-fallback fonts-nanum
           fonts-tlwg-loma-ttf fonts-dejavu-core
           python3-fonttools clang libclang-rt-14-dev cmake make xz-utils universal-ctags)
missing=()
for p in "${need_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
apt_updated=0
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt_updated=1
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Sources of libraries the wasm build compiles, from Debian *source* packages (binary packages
# hold no sources, or no wasm build): fetch_source <source package> <dir> <file the dir must hold>.
fetch_source() {
  local package=$1 dir=$2 check=$3
  [ -f "$dir/$check" ] && return 0
  echo "setup: fetching the $package sources (Debian source package)"
  local tmp; tmp=$(mktemp -d)
  mkdir -p "$tmp/parts" "$tmp/lists/partial"
  # A deb-src list derived from the system's own apt sources, used only for this download.
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > "$tmp/parts/src.sources"
  else
    grep -h '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' > "$tmp/parts/src.list"
  fi
  local aptopts=(-o APT::Sandbox::User=root -o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$tmp/parts" -o "Dir::State::Lists=$tmp/lists")
  apt-get "${aptopts[@]}" update -qq
  # Only the upstream tarball is needed (and the mirror may lack the Debian patches): its URI and
  # SHA-256 come from the signed Sources index, and apt-helper checks the hash while downloading.
  local uri name hash tarball
  read -r uri name _ hash < <(apt-get "${aptopts[@]}" source --print-uris "$package" 2>/dev/null \
    | grep -E "^'[^']*\.orig\.tar\.[a-z0-9]+'" | head -1)
  uri=${uri//\'/}
  tarball="$tmp/$name"
  [ -n "$uri" ] && /usr/lib/apt/apt-helper -o APT::Sandbox::User=root download-file "$uri" "$tarball" "$hash" >/dev/null \
    || { echo "setup: could not download the $package sources" >&2; rm -rf "$tmp"; return 1; }
  rm -rf "$dir" && mkdir -p "$dir"
  tar -xf "$tarball" -C "$dir" --strip-components=1
  rm -rf "$tmp"
  test -f "$dir/$check"
}
# Dear ImGui 1.86 (the binary package has no imgui.cpp).
fetch_source imgui "$root/third_party/imgui" imgui.cpp
# Nayuki's QR Code generator (C version), for the device grant's verification URI.
fetch_source qr-code-generator "$root/third_party/qrcodegen" c/qrcodegen.c

# npm packages: the demo authorization server (demo/, a real oidc-provider) and the browser tests
# (tests/e2e; Chromium comes from Debian, never downloaded by Playwright).
npm_ci() { # folder, a package that must be there
  if [ ! -d "$root/$1/node_modules/$2" ] || [ "$root/$1/package-lock.json" -nt "$root/$1/node_modules/.package-lock.json" ]; then
    echo "setup: installing npm packages of $1"
    (cd "$root/$1" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_ci demo oidc-provider
npm_ci tests/e2e playwright-core
# esbuild, which the page build runs to bundle and minify the page's JavaScript (web/package.json).
npm_ci web esbuild
