-- What the installation itself is, recorded in its database (platform range 00xx).
-- 'demo_data': this database was filled with the demo dataset and its published
-- password, so the server refuses production settings on it.

CREATE TABLE installation_flags (
    name TEXT PRIMARY KEY,
    set_at INTEGER NOT NULL
);
