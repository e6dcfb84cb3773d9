#!/usr/bin/env bash
# Installs everything the build and the tests need, idempotently: Debian packages, the Dear ImGui
# sources (Debian source package, unpacked into third_party/, never committed) and the npm packages
# of the demo server (demo/) and the browser tests (tests/e2e). Fast when everything is already there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

need_pkgs=(emscripten chromium nlohmann-json3-dev catch2 fonts-inter fonts-jetbrains-mono
           python3-fonttools clang libclang-rt-14-dev cmake make xz-utils)
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

# Dear ImGui 1.86 from the Debian source package (the binary package has no imgui.cpp).
imgui_dir="$root/third_party/imgui"
if [ ! -f "$imgui_dir/imgui.cpp" ]; then
  echo "setup: fetching the Dear ImGui sources (Debian source package imgui)"
  tmp=$(mktemp -d)
  mkdir -p "$tmp/parts" "$tmp/lists/partial"
  # A deb-src list derived from the system's own apt sources, used only for this download.
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > "$tmp/parts/src.sources"
  else
    grep -h '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' > "$tmp/parts/src.list"
  fi
  aptopts=(-o APT::Sandbox::User=root -o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$tmp/parts" -o "Dir::State::Lists=$tmp/lists")
  apt-get "${aptopts[@]}" update -qq
  (cd "$tmp" && apt-get "${aptopts[@]}" source --download-only imgui >/dev/null)
  tarball=$(ls "$tmp"/imgui_*.orig.tar.* | head -1)
  rm -rf "$imgui_dir" && mkdir -p "$imgui_dir"
  tar -xf "$tarball" -C "$imgui_dir" --strip-components=1
  rm -rf "$tmp"
  test -f "$imgui_dir/imgui.cpp"
fi

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
