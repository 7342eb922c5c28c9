#!/usr/bin/env bash
# Installs what building, running and testing Careport needs, and only what is
# missing: the wasm target, cargo-leptos, wasm-bindgen-cli (the exact version in
# Cargo.lock), Debian's chromium and postgresql (the test suites run on both
# databases), and the npm packages of end2end/ (Playwright and binaryen's
# wasm-opt). Safe to run again: each step is skipped when done.
# `--no-browser` skips chromium and PostgreSQL (the run command needs neither).
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
# Build tools, not the product: compiled without fat LTO, with 16 codegen units and
# opt-level 1, cargo-leptos installs in about 12 instead of 15 minutes on 2 cores and
# wasm-bindgen-cli in a fraction of its release time; both run as fast as we need.
quick_install() {
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 cargo install "$@"
}
say() { printf '\033[1;36m==>\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (takes about 12 minutes on 2 cores)"
  quick_install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
fi

WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ]; then
  say "installing wasm-bindgen-cli $WB_VERSION"
  quick_install wasm-bindgen-cli --version "$WB_VERSION"
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  say "installing node and npm"
  apt_install nodejs npm
fi

if [ "${1:-}" != "--no-browser" ] && [ ! -x /usr/bin/chromium ]; then
  say "installing Debian's chromium for the browser tests"
  apt_install chromium
fi

if [ "${1:-}" != "--no-browser" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  say "installing Debian's postgresql for the PostgreSQL test suite"
  apt_install postgresql
fi

if [ ! -f end2end/node_modules/.package-lock.json ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "installing the npm packages of end2end/"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
