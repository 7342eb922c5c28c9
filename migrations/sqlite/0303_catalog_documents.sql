-- Documents attached to equipment models: manuals, drawings, service bulletins
-- and parts lists, each in one language, with every uploaded version kept (the
-- newest is the current one). Files live under the data directory by the
-- SHA-256 of their content (`platform::files`); rows only name the hash.
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    model_id INTEGER NOT NULL REFERENCES equipment_models (id),
    kind TEXT NOT NULL CHECK (kind IN ('manual', 'drawing', 'service_bulletin', 'parts_list')),
    title TEXT NOT NULL,
    -- ISO 639-1, lower case ("en", "de").
    language TEXT NOT NULL,
    -- A service-level document: only partner users holding this certification
    -- level may read it (besides the supplier's staff).
    required_level TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (model_id, kind, title, language)
);

CREATE TABLE document_versions (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id),
    version TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
    uploaded_by INTEGER REFERENCES users (id),
    uploaded_at INTEGER NOT NULL,
    UNIQUE (document_id, version)
);

CREATE INDEX document_versions_document ON document_versions (document_id, id);
