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

# Sets PORT (BENCH_PORT, else $1), BASE, DATA (a temporary data directory,
# removed at exit unless BENCH_KEEP_DATA is set, with the server and, for
# BACKEND=postgres, the throwaway cluster that it starts) and DB_URL. Then `sql` runs a statement on the
# bench database, `start` starts the release server and waits until it
# answers, `stop` stops it.
bench_setup() {
  PORT=${BENCH_PORT:-$1}
  BASE="http://127.0.0.1:$PORT"
  DATA=$(mktemp -d)
  pid=
  trap bench_cleanup EXIT
  DB_URL=
  if [ "$BACKEND" = postgres ]; then
    pg_start >/dev/null
    DB_URL="$CAREPORT_TEST_POSTGRES_URL"
  fi
}
bench_cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  # BENCH_KEEP_DATA=1 keeps the SQLite bench database for a closer look.
  if [ -n "${BENCH_KEEP_DATA:-}" ]; then echo "bench data kept in $DATA" >&2; else rm -rf "$DATA"; fi
  pg_stop
}
sql() {
  if [ "$BACKEND" = postgres ]; then psql -qtA -v ON_ERROR_STOP=1 "$DB_URL" -c "$1"; else sqlite3 -bail "$DATA/careport.db" "$1"; fi
}
start() {
  env CAREPORT_ADDR=127.0.0.1:$PORT CAREPORT_DATA_DIR="$DATA" CAREPORT_DEMO_DATA=true CAREPORT_LOG=warn \
    CAREPORT_DB_MAX_CONNECTIONS=32 ${DB_URL:+"CAREPORT_DATABASE_URL=$DB_URL"} LEPTOS_SITE_ROOT=target/site "$BIN" >/dev/null 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "$BASE/healthz"; do sleep 0.05; done
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
