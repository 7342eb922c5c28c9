-- Background jobs (app/src/platform/jobs.rs). Platform range 00xx.
-- job_queue: units of work. A runner claims due items by writing a lease
-- (token and expiry); the item is finished in the same transaction as its work,
-- only while the lease is still its own, so no item is done twice, and an item
-- whose runner died is claimed again once its lease has expired.
-- Periodic jobs enqueue one item per period, deduplicated by unique_key.

CREATE TABLE job_queue (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    unique_key TEXT UNIQUE,
    run_at INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'due' CHECK (state IN ('due', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_token TEXT,
    lease_until INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    finished_at INTEGER
);

CREATE INDEX job_queue_due ON job_queue (state, run_at);
CREATE INDEX job_queue_finished ON job_queue (finished_at);

-- The last run of each kind of job, for the admin's jobs page.
CREATE TABLE job_status (
    kind TEXT PRIMARY KEY,
    last_started_at INTEGER NOT NULL,
    last_duration_ms INTEGER NOT NULL,
    last_outcome TEXT NOT NULL CHECK (last_outcome IN ('ok', 'failed')),
    last_summary TEXT NOT NULL DEFAULT '',
    last_node TEXT NOT NULL,
    last_failure_at INTEGER,
    last_error TEXT,
    runs INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0
);
