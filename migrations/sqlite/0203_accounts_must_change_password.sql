-- A password set by an administrator (a new user's initial password) must be
-- changed at the first sign-in; until then only the password change is allowed.

ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
