-- PostgreSQL twin of migrations/sqlite/0003_platform_installation.sql.
-- 'demo_data': this database was filled with the demo dataset and its published
-- password, so the server refuses production settings on it.

CREATE TABLE installation_flags (
    name TEXT PRIMARY KEY,
    set_at BIGINT NOT NULL
);
