-- Catalog: equipment models and their assemblies, parts with their bills of
-- materials, model fits and supersessions, the installed base (units), and
-- price agreements. Migrations are numbered per domain: 03xx catalog.
-- Timestamps are Unix epoch seconds; prices are whole cents (EUR).

CREATE TABLE equipment_models (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE assemblies (
    id INTEGER PRIMARY KEY,
    model_id INTEGER NOT NULL REFERENCES equipment_models (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (model_id, code)
);

CREATE TABLE parts (
    id INTEGER PRIMARY KEY,
    part_number TEXT NOT NULL UNIQUE,
    -- The part number as searched: upper case, without spaces, dashes, dots or slashes.
    pn_key TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    list_price_cents INTEGER NOT NULL CHECK (list_price_cents >= 0),
    stock_qty INTEGER NOT NULL DEFAULT 0 CHECK (stock_qty >= 0),
    lead_time_days INTEGER NOT NULL DEFAULT 0 CHECK (lead_time_days >= 0),
    superseded_by INTEGER REFERENCES parts (id),
    CHECK (superseded_by IS NULL OR superseded_by <> id)
);

CREATE INDEX parts_superseded_by ON parts (superseded_by);

-- Full-text search over descriptions (and part numbers as words), kept in step
-- with `parts` by triggers. PostgreSQL uses a generated tsvector instead.
CREATE VIRTUAL TABLE parts_fts USING fts5 (
    description, part_number,
    content = 'parts', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER parts_fts_insert AFTER INSERT ON parts BEGIN
    INSERT INTO parts_fts (rowid, description, part_number)
    VALUES (new.id, new.description, new.part_number);
END;
CREATE TRIGGER parts_fts_delete AFTER DELETE ON parts BEGIN
    INSERT INTO parts_fts (parts_fts, rowid, description, part_number)
    VALUES ('delete', old.id, old.description, old.part_number);
END;
CREATE TRIGGER parts_fts_update AFTER UPDATE OF description, part_number ON parts BEGIN
    INSERT INTO parts_fts (parts_fts, rowid, description, part_number)
    VALUES ('delete', old.id, old.description, old.part_number);
    INSERT INTO parts_fts (rowid, description, part_number)
    VALUES (new.id, new.description, new.part_number);
END;

-- The bill of materials of an assembly: the item number is the callout on its drawing.
CREATE TABLE bom_lines (
    id INTEGER PRIMARY KEY,
    assembly_id INTEGER NOT NULL REFERENCES assemblies (id),
    item_no INTEGER NOT NULL CHECK (item_no > 0),
    part_id INTEGER NOT NULL REFERENCES parts (id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    UNIQUE (assembly_id, item_no)
);

CREATE INDEX bom_lines_part ON bom_lines (part_id);

-- Models a part fits besides its BOM positions (consumables, kits, tools).
CREATE TABLE part_fits (
    part_id INTEGER NOT NULL REFERENCES parts (id),
    model_id INTEGER NOT NULL REFERENCES equipment_models (id),
    PRIMARY KEY (part_id, model_id)
);

CREATE INDEX part_fits_model ON part_fits (model_id);

-- The installed base: one row per machine.
CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    serial TEXT NOT NULL UNIQUE,
    model_id INTEGER NOT NULL REFERENCES equipment_models (id),
    customer_id INTEGER NOT NULL REFERENCES organisations (id),
    servicing_partner_id INTEGER REFERENCES organisations (id),
    site TEXT NOT NULL DEFAULT '',
    installed_at INTEGER NOT NULL,
    warranty_until INTEGER NOT NULL
);

CREATE INDEX units_customer ON units (customer_id);
CREATE INDEX units_partner ON units (servicing_partner_id);

-- A negotiated discount off the list price for one organisation.
CREATE TABLE price_agreements (
    org_id INTEGER PRIMARY KEY REFERENCES organisations (id),
    discount_pct INTEGER NOT NULL CHECK (discount_pct BETWEEN 0 AND 90),
    label TEXT NOT NULL
);
