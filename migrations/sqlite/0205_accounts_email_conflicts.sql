-- An organisation administrator who adds a user whose e-mail address already
-- belongs to an account of another organisation must not learn that it does
-- (OWASP ASVS: no account enumeration). The new account is then created as a
-- placeholder (`email_conflict`) that looks the same to them but can never
-- sign in; the supplier's administrators see it marked and resolve it.
-- So the e-mail address is unique among the real accounts only.
--
-- SQLite cannot drop a column's UNIQUE constraint: the table is rebuilt. Dropping
-- `users` would delete the sessions (ON DELETE CASCADE), so they are kept aside
-- and put back: nobody is signed out by the upgrade.

CREATE TEMP TABLE sessions_kept AS SELECT * FROM sessions;

CREATE TABLE users_new (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations (id),
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'partner_manager', 'support_engineer',
        'partner_admin', 'partner_user', 'customer_admin', 'customer_user')),
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at INTEGER NOT NULL,
    password_changed_at INTEGER NOT NULL,
    last_login_at INTEGER,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    email_conflict BOOLEAN NOT NULL DEFAULT FALSE
);

INSERT INTO users_new (id, org_id, email, display_name, role, password_hash, active,
        created_at, password_changed_at, last_login_at, must_change_password)
    SELECT id, org_id, email, display_name, role, password_hash, active,
        created_at, password_changed_at, last_login_at, must_change_password
    FROM users;

DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

CREATE INDEX users_org ON users (org_id);
CREATE UNIQUE INDEX users_email ON users (email) WHERE NOT email_conflict;
CREATE UNIQUE INDEX users_org_email ON users (org_id, email);

INSERT INTO sessions SELECT * FROM sessions_kept;
DROP TABLE sessions_kept;
