-- Course authoring: a lesson's unpublished draft (the editor previews it;
-- learners keep reading the published text until the editor publishes), and
-- a course's downloadable materials, stored by content hash like documents.

ALTER TABLE lessons ADD COLUMN draft_md TEXT;

CREATE TABLE course_materials (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by INTEGER REFERENCES users (id),
    uploaded_at INTEGER NOT NULL,
    -- The same file is attached to a course once.
    UNIQUE (course_id, sha256)
);
