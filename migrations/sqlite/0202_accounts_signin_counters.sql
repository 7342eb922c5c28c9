-- Sign-in throttling by counters, counted before each password is verified:
-- one row per key ('pair:<e-mail> <address>', 'account:<e-mail>', 'address:<address>')
-- and window. Rows are updated by compare-and-set, so parallel attempts on several
-- nodes never get past a limit. Replaces the list of failures.

CREATE TABLE signin_counters (
    key TEXT PRIMARY KEY,
    window_start INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    last_at INTEGER NOT NULL
);

CREATE INDEX signin_counters_window ON signin_counters (window_start);

DROP TABLE login_failures;
