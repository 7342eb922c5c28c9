#!/usr/bin/env bash
# Runs the whole test suite: formatting and lints, unit and integration tests,
# then the release build and the Playwright journeys in Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh
say() { printf '\033[1;36m==>\033[0m [%ss] %s\n' "$SECONDS" "$*"; }

say "formatting and lints"
cargo fmt --all -- --check
cargo clippy -p app -p server --all-targets -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

say "unit and integration tests"
cargo test -p app --features ssr
cargo test -p server

say "release build (server + wasm)"
cargo leptos build --release
./scripts/check-bundle.sh

say "browser journeys (Playwright, chromium)"
E2E_DATA=$(mktemp -d)
trap 'rm -rf "$E2E_DATA"' EXIT
export CAREPORT_E2E_DATA_DIR="$E2E_DATA"
export CAREPORT_SERVER_BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/server"
(cd end2end && npx playwright test)
say "all tests passed"
