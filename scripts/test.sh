#!/usr/bin/env bash
# Runs the whole test suite: formatting and lints, unit and integration tests on
# SQLite and on PostgreSQL (a throwaway cluster started here and removed at the
# end, also when a test fails), then the release build and the Playwright
# journeys in Debian's chromium (on SQLite).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh
source scripts/pg.sh
E2E_DATA=
cleanup() {
  pg_stop
  [ -z "$E2E_DATA" ] || rm -rf "$E2E_DATA"
}
trap cleanup EXIT
# A one-shot build (CI, a fresh clone) gains nothing from incremental state, which
# would take gigabytes of disk.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi
say() { printf '\033[1;36m==>\033[0m [%ss] %s\n' "$SECONDS" "$*"; }

say "formatting and lints"
cargo fmt --all -- --check
cargo clippy -p app -p server --all-targets -- -D warnings
cargo clippy -p app -p server --all-targets --features app/postgres,server/postgres -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

say "unit and integration tests on SQLite"
cargo test -p app --features ssr
cargo test -p server

say "unit and integration tests on PostgreSQL (throwaway cluster)"
pg_start
echo "PostgreSQL on 127.0.0.1:$PG_PORT, cluster in $PG_TMP"
cargo test -p app --features ssr,postgres
cargo test -p server --features postgres
pg_stop

say "release build (server + wasm)"
cargo leptos build --release
./scripts/check-bundle.sh

say "browser journeys (Playwright, chromium)"
E2E_DATA=$(mktemp -d)
export CAREPORT_E2E_DATA_DIR="$E2E_DATA"
export CAREPORT_SERVER_BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/server"
(cd end2end && npx playwright test)
say "all tests passed"
