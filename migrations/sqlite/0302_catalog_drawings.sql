-- Exploded-view drawings: one SVG per assembly, and where each BOM line's
-- numbered callout sits on it (drawing units of the SVG's viewBox). The SVG is
-- served as an image (never inlined into a page), so it cannot run scripts.
CREATE TABLE assembly_drawings (
    assembly_id INTEGER PRIMARY KEY REFERENCES assemblies (id),
    svg TEXT NOT NULL,
    width INTEGER NOT NULL CHECK (width > 0),
    height INTEGER NOT NULL CHECK (height > 0),
    -- SHA-256 of the SVG, hex: the drawing's ETag.
    sha256 TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

ALTER TABLE bom_lines ADD COLUMN callout_x INTEGER;
ALTER TABLE bom_lines ADD COLUMN callout_y INTEGER;
