-- Sign-in throttling by counters, counted before each password is verified
-- (see migrations/sqlite/0202_accounts_signin_counters.sql).

CREATE TABLE signin_counters (
    key TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    last_at BIGINT NOT NULL
);

CREATE INDEX signin_counters_window ON signin_counters (window_start);
