#!/usr/bin/env bash
# Measures e-learning at scale: 10,000 learners in 20 customer organisations
# of 500, 200 courses of 10 lessons, 100,000 enrollments and 1,000,000
# lesson-progress rows (added in SQL to a fresh demo database).
#  1. Recording lesson progress (`POST /api/courses/lesson/done`) by 64
#     concurrent learners, each marking the lessons of their own fresh
#     enrollments: p50/p95/p99 and requests per second; then a check in the
#     database that every answered mark is one progress row.
#  2. SSR of the training matrix of a 500-person organisation whose 5 job
#     roles need 20 courses (`GET /training` as its admin: a page of 100
#     people; the first page and the third): p50/p95 of 40 loads each.
#
#   ./scripts/bench-learning.sh              # SQLite
#   ./scripts/bench-learning.sh postgres     # PostgreSQL (throwaway cluster)
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
CLIENTS=64
bench_server_bin "$BACKEND"
[ -x "$BIN" ] || { echo "build first: cargo leptos build --release" >&2; exit 1; }
[ "$BACKEND" = postgres ] || command -v sqlite3 >/dev/null || sudo_or apt-get install -y -qq sqlite3 >/dev/null
bench_setup 3195
start   # migrations and the demo data
stop

echo "generating 10,000 learners, 200 courses, 1,000,000 progress rows…" >&2
t0=$(date +%s)
SEQ="WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < %d)"
upto() { printf "$SEQ" "$1"; }
sql "$(upto 20) INSERT INTO organisations (name, kind, segment, active, created_at)
     SELECT 'Bench Learners ' || CAST(n AS TEXT), 'customer', 'large_global', TRUE, 0 FROM s"
sql "$(upto 200) INSERT INTO courses (slug, title, summary, audience, level, duration_minutes, validity_months, published, created_at, updated_at)
     SELECT 'bench-' || CAST(n AS TEXT), 'Bench course ' || CAST(n AS TEXT), 'Generated.', 'customer', 'foundation', 60, 24, TRUE, 0, 0 FROM s"
sql "INSERT INTO course_modules (course_id, position, title)
     SELECT c.id, m.p, 'Module ' || CAST(m.p AS TEXT) FROM courses c, (SELECT 1 AS p UNION ALL SELECT 2) m WHERE c.slug LIKE 'bench-%'"
sql "$(upto 10) INSERT INTO lessons (course_id, module_id, position, title, body_md, minutes)
     SELECT c.id, m.id, s.n, 'Lesson ' || CAST(s.n AS TEXT), '## Lesson

Text of a generated lesson, with **some** Markdown.', 6
     FROM s CROSS JOIN courses c JOIN course_modules m ON m.course_id = c.id AND m.position = CASE WHEN s.n <= 5 THEN 1 ELSE 2 END
     WHERE c.slug LIKE 'bench-%'"
# 10,000 learners (500 per organisation) and each organisation's admin, with the demo password.
sql "$(upto 10000) INSERT INTO users (org_id, email, display_name, role, password_hash, active, created_at, password_changed_at)
     SELECT o.id, 'learner' || CAST(s.n AS TEXT) || '@bench.example', 'Learner ' || CAST(s.n AS TEXT), 'customer_user', h.password_hash, TRUE, 0, 0
     FROM s JOIN organisations o ON o.name = 'Bench Learners ' || CAST((s.n - 1) / 500 + 1 AS TEXT),
          (SELECT password_hash FROM users WHERE email = 'ops@globalport.example') h"
sql "INSERT INTO users (org_id, email, display_name, role, password_hash, active, created_at, password_changed_at)
     SELECT o.id, 'admin' || substr(o.name, 16) || '@bench.example', 'Bench admin', 'customer_admin', h.password_hash, TRUE, 0, 0
     FROM organisations o, (SELECT password_hash FROM users WHERE email = 'ops@globalport.example') h
     WHERE o.name LIKE 'Bench Learners %'"
# 10 enrollments per learner, all 10 lessons done: 100,000 enrollments, 1,000,000 progress rows.
sql "$(upto 10) INSERT INTO enrollments (course_id, user_id, source, enrolled_at, completed_at, expires_at)
     SELECT c.id, u.id, 'self', 0, 1000, 999999999999
     FROM s CROSS JOIN users u JOIN courses c ON c.slug = 'bench-' || CAST((u.id * 7 + s.n * 17) % 200 + 1 AS TEXT)
     WHERE u.email LIKE 'learner%@bench.example'"
sql "INSERT INTO lesson_progress (enrollment_id, lesson_id, done_at)
     SELECT e.id, l.id, 1000 FROM enrollments e JOIN courses c ON c.id = e.course_id AND c.slug LIKE 'bench-%'
     JOIN lessons l ON l.course_id = c.id"
# The first organisation's development plan: 5 job roles × 4 courses, 100 people each.
sql "$(upto 5) INSERT INTO job_roles (org_id, name)
     SELECT o.id, 'Role ' || CAST(s.n AS TEXT) FROM s, organisations o WHERE o.name = 'Bench Learners 1'"
sql "$(upto 4) INSERT INTO job_role_courses (job_role_id, course_id)
     SELECT r.id, c.id FROM s CROSS JOIN job_roles r JOIN courses c ON c.slug = 'bench-' || CAST(r.id * 4 + s.n AS TEXT)
     JOIN organisations o ON o.id = r.org_id AND o.name = 'Bench Learners 1'"
sql "INSERT INTO staff_job_roles (user_id, job_role_id)
     SELECT u.id, r.id FROM users u JOIN organisations o ON o.id = u.org_id AND o.name = 'Bench Learners 1'
     JOIN job_roles r ON r.org_id = o.id AND r.name = 'Role ' || CAST(u.id % 5 + 1 AS TEXT)
     WHERE u.role = 'customer_user'"
# The 64 benchmark learners (of organisation 2) get 20 fresh enrollments each, nothing done yet.
sql "$(upto 20) INSERT INTO enrollments (course_id, user_id, source, enrolled_at)
     SELECT c.id, u.id, 'self', 0 FROM s CROSS JOIN users u
     JOIN courses c ON c.slug = 'bench-' || CAST((u.id * 7 + s.n * 5 + 100) % 200 + 1 AS TEXT)
     WHERE u.email IN ($(for i in $(seq 501 564); do printf "'learner%d@bench.example'," "$i"; done | sed 's/,$//'))
     ON CONFLICT (user_id, course_id) DO NOTHING"
# Statistics, and (PostgreSQL) the visibility map that autovacuum keeps on a
# live database: without it no index-only scan is possible on rows just
# bulk-loaded.
if [ "$BACKEND" = postgres ]; then sql "VACUUM ANALYZE" >/dev/null; else sql "ANALYZE" >/dev/null; fi
echo "generated in $(( $(date +%s) - t0 )) s: $(sql "SELECT COUNT(*) FROM lesson_progress") progress rows, $(sql "SELECT COUNT(*) FROM users WHERE email LIKE '%@bench.example'") bench users" >&2
before=$(sql "SELECT COUNT(*) FROM lesson_progress")
start

python3 - "$BASE" "$CLIENTS" "$DURATION" > "$DATA/result" <<'PY'
import http.client, json, sys, threading, time, urllib.parse
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

def login(conn, email):
    status, cookie, body = post(conn, "/api/accounts/login", {"email": email, "password": "careport-demo"})
    assert status == 200, (email, status, body)
    return cookie.split(";")[0]

# Sign in one after another first (64 parallel sign-ins would only test the
# sign-in throttle), then start the clients together.
conns = [http.client.HTTPConnection(host, port, timeout=60) for _ in range(clients)]
cookies = [login(conns[i], f"learner{501 + i}@bench.example") for i in range(clients)]

lock = threading.Lock()
latencies, inserted, errors = [], [0], []
gate = threading.Barrier(clients, timeout=120)

def client(i):
    try:
        run(i)
    except Exception as e:
        gate.abort()
        errors.append(("client", i, repr(e)))

def run(i):
    conn, cookie = conns[i], cookies[i]
    status, _, body = post(conn, "/api/transcript", {}, cookie)
    fresh = [r["course"]["slug"] for r in json.loads(body)["rows"] if r["lessons_done"] == 0]
    marks = [(slug, n) for slug in fresh for n in range(1, 11)]
    gate.wait()
    end, k = time.monotonic() + duration, 0
    while time.monotonic() < end:
        slug, n = marks[k % len(marks)]
        k += 1
        t0 = time.monotonic()
        status, _, body = post(conn, "/api/courses/lesson/done", {"slug": slug, "n": str(n)}, cookie)
        took = time.monotonic() - t0
        with lock:
            if status != 200:
                errors.append(("done", status, body[:200]))
            else:
                latencies.append(took)
                if k <= len(marks):
                    inserted[0] += 1

threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
for t in threads: t.start()
for t in threads: t.join()
for e in errors[:5]:
    print("ERROR", e, file=sys.stderr)
latencies.sort() if latencies else latencies.append(0.0)
pct = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000
print(len(latencies), inserted[0], len(errors), f"{len(latencies) / duration:.0f}",
      f"{pct(0.5):.1f}", f"{pct(0.95):.1f}", f"{pct(0.99):.1f}")
PY
read -r marks fresh errs rate p50 p95 p99 < "$DATA/result"
after=$(sql "SELECT COUNT(*) FROM lesson_progress")
echo "| $BACKEND | lesson progress, $CLIENTS learners, ${DURATION} s | $rate marks/s | p50 $p50 ms, p95 $p95 ms, p99 $p99 ms | $marks marks answered ($fresh new), $((after - before)) new progress rows, $errs errors |"
[ "$errs" = 0 ] && [ "$((after - before))" = "$fresh" ] || { echo "progress check FAILED" >&2; exit 1; }

# The 500-person organisation's matrix (its pages of 100 people: the first and
# a middle one), each loaded 40 times by its admin (after 3 warm-up loads).
python3 - "$BASE" <<'PY'
import http.client, re, sys, time, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
h = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json", "Sec-Fetch-Site": "same-origin"}
while True:
    conn.request("POST", "/api/accounts/login", "email=admin1%40bench.example&password=careport-demo", h)
    r = conn.getresponse(); r.read()
    if r.status not in (429, 503): break
    time.sleep(0.5)
cookie = r.getheader("Set-Cookie").split(";")[0]
for path in ("/training", "/training?page=3"):
    times, size = [], 0
    for i in range(43):
        t0 = time.monotonic()
        conn.request("GET", path, headers={"Cookie": cookie})
        r = conn.getresponse(); body = r.read()
        assert r.status == 200, r.status
        size = len(body)
        if i >= 3: times.append(time.monotonic() - t0)
    times.sort()
    rows = body.count(b'<tr data-user=')
    m = re.search(rb"of the (\d+) people who match", body)
    total = m.group(1).decode() if m else "?"
    print(f"| matrix | GET {path}, {rows} people × 20 courses of an organisation of {total} ({size // 1024} KB) | p50 {times[len(times)//2]*1000:.1f} ms, p95 {times[int(len(times)*0.95)]*1000:.1f} ms |")
PY
