-- PostgreSQL twin of migrations/sqlite/0206_accounts_two_step_setups.sql.
-- Two-step verification waiting for its first code belongs to the session that
-- began it, and only for a few minutes (issue 23, item 11). Before, the secret
-- waited in `user_totp` with `confirmed_at` NULL, shared by every session of the
-- account and kept for ever: whoever once held a session or the password learnt
-- the secret its owner would later confirm.
--
-- A setup now lives here, one per session, and goes with the session (sign-out,
-- password change, reset). It expires after `two_step::SETUP_SECS` (10 minutes);
-- the accounts' housekeeping job removes the expired ones. Confirming it needs a
-- code and the account's password. `user_totp` holds only confirmed secrets from
-- now on.

CREATE TABLE two_step_setups (
    -- The session that began the setup (SHA-256 of its cookie token).
    session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The new shared secret, base32; shown to that session only.
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE INDEX two_step_setups_user ON two_step_setups (user_id);
CREATE INDEX two_step_setups_created ON two_step_setups (created_at);

-- Setups waiting under the old rule are bound to no session: whoever was in the
-- middle of one starts again (the page shows a new QR code).
DELETE FROM user_totp WHERE confirmed_at IS NULL;
