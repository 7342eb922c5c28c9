-- PostgreSQL twin of migrations/sqlite/0205_accounts_email_conflicts.sql: the
-- e-mail address is unique among the real accounts only; a placeholder
-- (`email_conflict`) made for an address of another organisation never signs in.

ALTER TABLE users ADD COLUMN email_conflict BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users DROP CONSTRAINT users_email_key;
CREATE UNIQUE INDEX users_email ON users (email) WHERE NOT email_conflict;
CREATE UNIQUE INDEX users_org_email ON users (org_id, email);
