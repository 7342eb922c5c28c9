#!/usr/bin/env bash
# Measures the release build: wasm size (raw and brotli), server start to first
# 200 on /healthz, idle RSS, and requests/s + p99 latency for the sign-in page and
# /healthz with wrk at 64 connections on loopback. Needs `cargo leptos build --release`
# first (./scripts/test.sh does it). Prints a Markdown table for BENCHMARKS.md.
#
# `./scripts/bench.sh postgres` measures the same on PostgreSQL: it builds the server
# with the `postgres` feature (kept as target/release/server-postgres), starts a
# throwaway cluster like the test command's (scripts/pg.sh) and runs the same steps.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/pg.sh
source scripts/bench-lib.sh
BACKEND=${1:-sqlite}
bench_server_bin "$BACKEND"
WASM=target/site/pkg/careport.wasm
PORT=${BENCH_PORT:-3190}
DURATION=${BENCH_SECONDS:-10}
[ -x "$BIN" ] && [ -f "$WASM" ] || { echo "build first: cargo leptos build --release" >&2; exit 1; }
command -v wrk >/dev/null || sudo_or apt-get install -y -qq wrk >/dev/null

DATA=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$DATA"; pg_stop; }
trap cleanup EXIT

now_ms() { date +%s%3N; }
# Starts the server and sets $pid and $started_ms (start to first 200 on /healthz).
start_server() {
  local t0
  t0=$(now_ms)
  env CAREPORT_ADDR=127.0.0.1:$PORT CAREPORT_DATA_DIR="$DATA" CAREPORT_DEMO_DATA=true CAREPORT_LOG=warn \
    ${DB_URL:+"CAREPORT_DATABASE_URL=$DB_URL"} "$BIN" >/dev/null 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz"; do sleep 0.005; done
  started_ms=$(( $(now_ms) - t0 ))
}

raw=$(stat -c %s "$WASM")
br=$(node -e 'const z=require("zlib"),fs=require("fs");const b=z.brotliCompressSync(fs.readFileSync(process.argv[1]),{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}});console.log(b.length)' "$WASM")
DB_URL=
if [ "$BACKEND" = postgres ]; then
  pg_start
  psql -q "$CAREPORT_TEST_POSTGRES_URL" -c "CREATE DATABASE careport_bench"
  DB_URL="${CAREPORT_TEST_POSTGRES_URL%/*}/careport_bench"
fi
start_server   # empty database: migrations + demo data
first_start=$started_ms
kill "$pid"; wait "$pid" 2>/dev/null || true
start_server   # existing database
warm_start=$started_ms
sleep 2
rss_kb=$(ps -o rss= -p "$pid" | tr -d ' ')

load() {
  local out rps p99
  out=$(wrk -t2 -c64 -d"${DURATION}s" --latency "http://127.0.0.1:$PORT$1")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  echo "| \`GET $1\` (wrk, 2 threads, 64 connections, ${DURATION}s) | $rps req/s, p99 $p99 |"
}

echo "backend: $BACKEND"
echo "| measure | result |"
echo "| --- | --- |"
echo "| release wasm, raw | $((raw / 1024)) KiB ($raw bytes) |"
echo "| release wasm, brotli (quality 11) | $((br / 1024)) KiB ($br bytes) |"
echo "| server start to first 200 on /healthz, empty database (migrations + demo data) | ${first_start} ms |"
echo "| server start to first 200 on /healthz, existing database | ${warm_start} ms |"
echo "| idle RSS after start | $((rss_kb / 1024)) MiB |"
load /login
load /healthz
