#!/usr/bin/env bash
# Measures the parts search at catalogue scale: 100,000 generated parts over 500
# equipment models (2 demo models + 498 generated, each part fitting two), then
# POST /api/catalog/search over HTTP at 32 connections for 15 s with a mix of
# queries (part-number prefixes typed with and without dashes, description
# words, a model filter, page 2), signed in as a partner (discounted prices).
# Prints p50/p95/p99 and requests/s, and the SSR time of a unit page
# (`GET /units/{serial}`: drawings, BOM lines, documents) at 8 connections.
#
#   ./scripts/bench-search.sh              # SQLite
#   ./scripts/bench-search.sh postgres     # PostgreSQL (throwaway cluster)
#
# Needs `cargo leptos build --release` first (postgres: builds
# target/release/server-postgres like scripts/bench.sh). Uses wrk and, on
# SQLite, the sqlite3 shell (installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/pg.sh
source scripts/bench-lib.sh
BACKEND=${1:-sqlite}
DURATION=${BENCH_SECONDS:-15}
bench_server_bin "$BACKEND"
[ -x "$BIN" ] || { echo "build first: cargo leptos build --release" >&2; exit 1; }
command -v wrk >/dev/null || sudo_or apt-get install -y -qq wrk >/dev/null
[ "$BACKEND" = postgres ] || command -v sqlite3 >/dev/null || sudo_or apt-get install -y -qq sqlite3 >/dev/null
bench_setup 3192
start   # migrations and the demo data
stop

# The generated catalogue, in SQL both databases run.
SEED="
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 498)
INSERT INTO equipment_models (code, name, description)
SELECT 'BM-' || CAST(n AS TEXT), 'Bench model ' || CAST(n AS TEXT), '' FROM s;
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 100000)
INSERT INTO parts (part_number, pn_key, description, list_price_cents, stock_qty, lead_time_days)
SELECT 'BX-' || CAST(100000 + n AS TEXT) || '-' || CAST(n % 97 AS TEXT),
       'BX' || CAST(100000 + n AS TEXT) || CAST(n % 97 AS TEXT),
       CASE n % 12 WHEN 0 THEN 'Bearing' WHEN 1 THEN 'Seal' WHEN 2 THEN 'Bolt' WHEN 3 THEN 'Washer'
         WHEN 4 THEN 'Bracket' WHEN 5 THEN 'Roller' WHEN 6 THEN 'Sensor' WHEN 7 THEN 'Relay'
         WHEN 8 THEN 'Cable' WHEN 9 THEN 'Spring' WHEN 10 THEN 'Bush' ELSE 'Gasket' END
       || ' ' || CASE n % 6 WHEN 0 THEN 'stainless' WHEN 1 THEN 'galvanised' WHEN 2 THEN 'nylon'
         WHEN 3 THEN 'steel' WHEN 4 THEN 'brass' ELSE 'polyurethane' END
       || ' ' || CAST(n % 90 + 4 AS TEXT) || ' mm for lift and hoist',
       (n % 900 + 1) * 100 + n % 100, n % 50, n % 30
FROM s;
INSERT INTO part_fits (part_id, model_id)
SELECT p.id, m.id FROM parts p JOIN equipment_models m
  ON m.id = 3 + (p.id % 498) OR m.id = 3 + ((p.id * 7) % 498)
WHERE p.part_number LIKE 'BX-%';
"
if [ "$BACKEND" = postgres ]; then
  psql -q "$DB_URL" -c "$SEED"
  psql -q "$DB_URL" -c "ANALYZE"
else
  sqlite3 "$DATA/careport.db" "$SEED ANALYZE;"
fi
start

JAR="$DATA/cookies"
curl -sf -c "$JAR" -H 'Sec-Fetch-Site: same-origin' -H 'Accept: application/json' \
  --data-urlencode email=admin@balticlift.example --data-urlencode password=careport-demo \
  "$BASE/api/accounts/login" >/dev/null
COOKIE=$(awk '$6 ~ /careport_session/ { print $6 "=" $7 }' "$JAR")

cat > "$DATA/search.lua" <<'LUA'
local queries = {
  "q=BX-1042", "q=bx10423", "q=BX%20105", "q=bearing%20stainless", "q=seal", "q=roller%2016",
  "q=gasket%20brass%20mm", "q=sensor&model=40", "q=BX-1&page=2", "q=bolt%20galvanised&model=200",
  "q=NL-1104", "q=brake%20pad", "q=relay&page=2", "q=cable%20nylon", "q=spring%20steel%2030",
}
local cookie = os.getenv("COOKIE")
local i = 0
request = function()
  i = i + 1
  local body = queries[(i % #queries) + 1]
  if not string.find(body, "model=") then body = body .. "&model=" end
  if not string.find(body, "page=") then body = body .. "&page=" end
  return wrk.format("POST", "/api/catalog/search", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
    ["Sec-Fetch-Site"] = "same-origin",
    ["Cookie"] = cookie,
  }, body)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.1f %.1f %.0f %d %d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), summary.errors.status, summary.requests))
end
LUA
cat > "$DATA/page.lua" <<'LUA'
local cookie = os.getenv("COOKIE")
request = function()
  return wrk.format("GET", "/units/HX5-2023-00151", { ["Cookie"] = cookie, ["Accept"] = "text/html" })
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.1f %.1f %.0f %d %d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), summary.errors.status, summary.requests))
end
LUA
# A check that the search answers hits before measuring.
curl -sf -b "$JAR" -H 'Sec-Fetch-Site: same-origin' -H 'Accept: application/json' \
  --data 'q=bearing%20stainless&model=&page=' "$BASE/api/catalog/search" | grep -q '"total":' 

export COOKIE
read -r p50 p95 p99 rps errs n < <(wrk -t2 -c32 -d"${DURATION}s" -s "$DATA/search.lua" "$BASE" | awk '/^RESULT/ { print $2, $3, $4, $5, $6, $7 }')
echo "| $BACKEND | search, 100,000 + 2,100 parts, 500 models, 32 connections, ${DURATION} s | p50 $p50 ms, p95 $p95 ms, p99 $p99 ms | $rps req/s ($n requests, $errs non-2xx) |"
read -r p50 p95 p99 rps errs n < <(wrk -t2 -c8 -d"${DURATION}s" -s "$DATA/page.lua" "$BASE" | awk '/^RESULT/ { print $2, $3, $4, $5, $6, $7 }')
echo "| $BACKEND | unit page SSR (GET /units/{serial}: 3 drawings, 21 BOM lines, documents), 8 connections | p50 $p50 ms, p95 $p95 ms, p99 $p99 ms | $rps req/s ($n requests, $errs non-2xx) |"
