#!/usr/bin/env bash
# Measures the release server's memory under sign-ins: RSS after start, after N
# sign-ins one after another (default 1000), and after a burst of 100 parallel
# ones, plus the peak (VmHWM). Needs `cargo leptos build --release` first.
# Loopback only; bounded in count.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/server"
PORT=${BENCH_PORT:-3191}
N=${SIGNINS:-1000}
[ -x "$BIN" ] || { echo "build first: cargo leptos build --release" >&2; exit 1; }
DATA=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT
CAREPORT_ADDR=127.0.0.1:$PORT CAREPORT_DATA_DIR="$DATA" CAREPORT_DEMO_DATA=true CAREPORT_LOG=warn "$BIN" >/dev/null 2>&1 &
pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz"; do sleep 0.05; done
mib() { awk -v k="$1:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$pid/status"; }
signin() {
  curl -s -o /dev/null -w '%{http_code}\n' -X POST "http://127.0.0.1:$PORT/api/accounts/login" \
    -H 'Sec-Fetch-Site: same-origin' -H 'Accept: application/json' \
    --data-urlencode "email=$1" --data-urlencode 'password=careport-demo'
}
echo "| measure | result |"
echo "| --- | --- |"
echo "| RSS after start | $(mib VmRSS) MiB |"
t0=$(date +%s%3N)
ok=0
for i in $(seq 1 "$N"); do
  [ "$(signin admin@nordlift.example)" = 200 ] && ok=$((ok + 1))
done
ms=$(( $(date +%s%3N) - t0 ))
echo "| RSS after $N sign-ins one after another ($ok answered 200, $((ms / N)) ms each) | $(mib VmRSS) MiB |"
codes=$(for i in $(seq 1 100); do signin "admin@nordlift.example" & done; wait)
echo "| RSS after a burst of 100 parallel sign-ins ($(grep -c '^200$' <<<"$codes") × 200, $(grep -c '^503$' <<<"$codes") × 503 busy, $(grep -c '^429$' <<<"$codes") × 429) | $(mib VmRSS) MiB |"
echo "| peak RSS of the whole run (VmHWM) | $(mib VmHWM) MiB |"
