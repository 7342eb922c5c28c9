-- Two-step verification (TOTP, RFC 6238) with single-use recovery codes, and the
-- short-lived challenge between a correct password and the second factor.

CREATE TABLE user_totp (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    -- The shared secret, base32. The server needs it to compute codes, so it
    -- cannot be hashed; protect the database (and its backups) accordingly.
    secret TEXT NOT NULL,
    -- NULL while enrolment waits for the first correct code.
    confirmed_at INTEGER,
    -- The last time step whose code was accepted: a code is accepted once.
    last_step INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- SHA-256 (hex) of the normalised code; codes carry 125 random bits.
    code_hash TEXT NOT NULL,
    UNIQUE (user_id, code_hash)
);

CREATE TABLE mfa_challenges (
    -- SHA-256 (hex) of the cookie token; the token itself is never stored.
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX mfa_challenges_created ON mfa_challenges (created_at);
