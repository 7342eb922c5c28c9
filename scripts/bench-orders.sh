#!/usr/bin/env bash
# Measures order submission at 32 concurrent clients, and checks the count.
# 32 customer users of GlobalPort (added in SQL to a fresh demo database, with
# the demo password) each sign in, then for the run's duration: add a part to
# their cart (`POST /api/cart/add`) and submit it (`POST /api/orders/submit`),
# then send the same submission again, as a retry after a lost answer would.
# Prints orders per second and the submit latency, then checks in the database
# that the orders made equal the submits answered (none lost) and that every
# retry answered its first order (none duplicated).
#
#   ./scripts/bench-orders.sh              # SQLite
#   ./scripts/bench-orders.sh postgres     # PostgreSQL (throwaway cluster)
#
# Needs `cargo leptos build --release` first (postgres: builds
# target/release/server-postgres like the other bench scripts).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/pg.sh
source scripts/bench-lib.sh
BACKEND=${1:-sqlite}
DURATION=${BENCH_SECONDS:-15}
CLIENTS=32
bench_server_bin "$BACKEND"
[ -x "$BIN" ] || { echo "build first: cargo leptos build --release" >&2; exit 1; }
[ "$BACKEND" = postgres ] || command -v sqlite3 >/dev/null || sudo_or apt-get install -y -qq sqlite3 >/dev/null
bench_setup 3194
start   # migrations and the demo data
stop

# 32 buyers with the demo password (the hash of ops@globalport.example).
sql "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < $CLIENTS)
INSERT INTO users (org_id, email, display_name, role, password_hash, active, created_at, password_changed_at)
SELECT o.org_id, 'buyer' || CAST(n AS TEXT) || '@globalport.example', 'Bench buyer ' || CAST(n AS TEXT),
       'customer_user', o.password_hash, TRUE, o.created_at, o.password_changed_at
FROM s, (SELECT org_id, password_hash, created_at, password_changed_at FROM users
         WHERE email = 'ops@globalport.example') o"
before=$(sql "SELECT COUNT(*) FROM orders WHERE status <> 'draft'")
start

python3 - "$BASE" "$CLIENTS" "$DURATION" > "$DATA/result" <<'PY'
import http.client, json, sys, threading, time, urllib.parse, uuid
base, clients, duration = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
host, port = urllib.parse.urlparse(base).hostname, urllib.parse.urlparse(base).port
HEAD = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json",
        "Sec-Fetch-Site": "same-origin"}

def post(conn, path, fields, cookie=None):
    headers = dict(HEAD)
    if cookie:
        headers["Cookie"] = cookie
    conn.request("POST", path, urllib.parse.urlencode(fields), headers)
    r = conn.getresponse()
    return r.status, r.getheader("Set-Cookie"), r.read()

lock = threading.Lock()
latencies, answered, errors = [], {}, []
start_gate = threading.Barrier(clients, timeout=120)

def client(i):
    try:
        run(i)
    except Exception as e:   # a client that fails stops the run, loudly
        start_gate.abort()
        errors.append(("client", i, repr(e)))

def run(i):
    conn = http.client.HTTPConnection(host, port, timeout=60)
    email = f"buyer{i + 1}@globalport.example"
    while True:   # 32 sign-ins from one address are slowed down: come back when told
        status, cookie, body = post(conn, "/api/accounts/login",
                                    {"email": email, "password": "careport-demo"})
        if status not in (429, 503):
            break
        time.sleep(0.5)
    assert status == 200, (status, body)
    cookie = cookie.split(";")[0]
    start_gate.wait()
    end = time.monotonic() + duration
    n = 0
    while time.monotonic() < end:
        n += 1
        status, _, body = post(conn, "/api/cart/add",
                               {"part_number": "NL-1104-022", "quantity": "1", "add_key": uuid.uuid4().hex},
                               cookie)
        if status != 200:
            errors.append(("add", status, body[:200])); continue
        key = uuid.uuid4().hex
        fields = {"po_reference": f"PO-{i}-{n}", "delivery_address": "GlobalPort, Quay 4, Rotterdam",
                  "submission_key": key}
        t0 = time.monotonic()
        status, _, body = post(conn, "/api/orders/submit", fields, cookie)
        took = time.monotonic() - t0
        if status != 200:
            errors.append(("submit", status, body[:200])); continue
        first = json.loads(body)
        status, _, body = post(conn, "/api/orders/submit", fields, cookie)   # the retry
        again = json.loads(body) if status == 200 else None
        with lock:
            latencies.append(took)
            answered[key] = first
            if again != first:
                errors.append(("retry", status, body[:200]))

threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
for t in threads: t.start()
for t in threads: t.join()
for e in errors[:5]:
    print("ERROR", e, file=sys.stderr)
latencies.sort() if latencies else latencies.append(0.0)
pct = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000
print(len(answered), len(set(answered.values())), len(errors),
      f"{len(answered) / duration:.0f}", f"{pct(0.5):.1f}", f"{pct(0.95):.1f}", f"{pct(0.99):.1f}")
PY
read -r submits distinct errs rate p50 p95 p99 < "$DATA/result"
after=$(sql "SELECT COUNT(*) FROM orders WHERE status <> 'draft'")
made=$((after - before))
echo "| $BACKEND | order submission, $CLIENTS clients, ${DURATION} s (each order submitted twice) | $rate orders/s | submit p50 $p50 ms, p95 $p95 ms, p99 $p99 ms | $submits submits answered, $distinct distinct orders, $made orders in the database, $errs errors |"
[ "$errs" = 0 ] && [ "$made" = "$submits" ] && [ "$distinct" = "$submits" ] || {
  echo "count check FAILED: $submits answered, $distinct distinct, $made made, $errs errors" >&2
  exit 1
}
echo "count check passed: every submit made exactly one order, every retry answered it"
