#!/usr/bin/env bash
# Measures the catalogue import of a generated parts file (100,000 parts by
# default) through the release server: upload, job, all rows checked and
# written in one transaction. Prints the job's own time (from the import's
# summary) and the wall time from upload to "done", and checks the part count.
#
#   ./scripts/bench-import.sh              # SQLite
#   ./scripts/bench-import.sh postgres     # PostgreSQL (throwaway cluster)
#   BENCH_PARTS=200000 ./scripts/bench-import.sh
#
# Needs `cargo leptos build --release` first (and, for postgres, builds
# target/release/server-postgres like scripts/bench.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/pg.sh
source scripts/bench-lib.sh
BACKEND=${1:-sqlite}
N=${BENCH_PARTS:-100000}
bench_server_bin "$BACKEND"
[ -x "$BIN" ] || { echo "build first: cargo leptos build --release" >&2; exit 1; }
bench_setup 3191
start

# The file: new parts with words an ERP would export.
CSV="$DATA/parts.csv"
awk -v n="$N" 'BEGIN {
  print "part_number,description,list_price,stock_qty,lead_time_days";
  split("Bearing Seal Bolt Washer Bracket Roller Sensor Relay Cable Spring Bush Gasket", w, " ");
  split("stainless galvanised nylon steel brass polyurethane", m, " ");
  for (i = 1; i <= n; i++)
    printf "BX-%06d,%s %s %d mm,%d.%02d,%d,%d\n", i, w[i % 12 + 1], m[i % 6 + 1], i % 90 + 4, i % 900 + 1, i % 100, i % 50, i % 30;
}' > "$CSV"

JAR="$DATA/cookies"
H=(-H 'Sec-Fetch-Site: same-origin' -H 'Accept: application/json')
curl -sf -c "$JAR" "${H[@]}" --data-urlencode email=admin@nordlift.example \
  --data-urlencode password=careport-demo "$BASE/api/accounts/login" >/dev/null
t0=$(date +%s%3N)
id=$(curl -sf -b "$JAR" "${H[@]}" -F "parts=@$CSV;type=text/csv" "$BASE/api/catalog/imports/start")
status=queued
while [ "$status" = queued ]; do
  sleep 0.1
  answer=$(curl -sf -b "$JAR" "${H[@]}" --data "id=$id" "$BASE/api/catalog/imports/get")
  status=$(node -e 'const a=JSON.parse(process.argv[1]);console.log(a.import.status)' "$answer")
done
wall=$(( $(date +%s%3N) - t0 ))
summary=$(node -e 'const a=JSON.parse(process.argv[1]);console.log(a.import.summary)' "$answer")
size=$(stat -c %s "$CSV")
echo "| $BACKEND | $N parts ($(( size / 1024 / 1024 )) MB CSV) | $status: $summary | upload to done: $(awk -v ms="$wall" 'BEGIN{printf "%.1f", ms/1000}') s |"
[ "$status" = done ] || exit 1
