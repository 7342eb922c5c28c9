-- Accounts: users, server-side sessions and sign-in throttling.
-- Timestamps are Unix epoch seconds (INTEGER here, BIGINT on PostgreSQL).
-- Migrations are numbered per domain (see CONTRIBUTING.md): 02xx accounts.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations (id),
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'partner_manager', 'support_engineer',
        'partner_admin', 'partner_user', 'customer_admin', 'customer_user')),
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at INTEGER NOT NULL,
    password_changed_at INTEGER NOT NULL,
    last_login_at INTEGER
);

CREATE INDEX users_org ON users (org_id);

CREATE TABLE sessions (
    -- SHA-256 (hex) of the cookie token; the token itself is never stored.
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    client_addr TEXT NOT NULL,
    user_agent TEXT NOT NULL
);

CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    client_addr TEXT NOT NULL,
    at INTEGER NOT NULL
);

CREATE INDEX login_failures_email ON login_failures (email, at);
CREATE INDEX login_failures_addr ON login_failures (client_addr, at);
CREATE INDEX login_failures_at ON login_failures (at);
