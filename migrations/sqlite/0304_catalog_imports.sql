-- Catalogue imports: the supplier admin's upload of the ERP's CSV files, done
-- by the job runner (`catalog.import`). The files are in the content store
-- (`platform::files`) under the hashes named here; the outcome is kept: the
-- counts written, or every faulty row (JSON list of {file, line, reason}).
CREATE TABLE catalog_imports (
    id INTEGER PRIMARY KEY,
    uploaded_by INTEGER NOT NULL REFERENCES users (id),
    -- JSON object: file kind ("parts", "bom", "fits", "supersessions") → SHA-256.
    files TEXT NOT NULL,
    -- Names the running import's progress, kept in memory by the node doing it.
    progress_key TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'done', 'refused')),
    summary TEXT NOT NULL DEFAULT '',
    errors TEXT NOT NULL DEFAULT '[]',
    error_count INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    finished_at INTEGER
);

CREATE INDEX catalog_imports_created ON catalog_imports (created_at);
