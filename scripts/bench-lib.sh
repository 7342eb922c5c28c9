# Shared by the bench scripts (sourced after scripts/env.sh).

sudo_or() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Sets BIN to the release server for backend $1 (sqlite or postgres). The
# PostgreSQL build is kept as target/release/server-postgres and rebuilt when
# missing or older than the sources (cargo builds it in place of
# target/release/server, which then needs `cargo leptos build --release`).
bench_server_bin() {
  BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/server"
  if [ "$1" = postgres ]; then
    local pg_bin="$BIN-postgres"
    if [ ! -x "$pg_bin" ] || [ -n "$(find app server migrations -newer "$pg_bin" -type f | head -1)" ]; then
      cargo build --release -p server --features postgres
      cp "$BIN" "$pg_bin"
      echo "note: target/release/server is now the PostgreSQL build; rebuild with cargo leptos build --release" >&2
    fi
    BIN=$pg_bin
  fi
}
