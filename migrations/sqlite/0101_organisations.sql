-- Organisations: the supplier, its partners and its customers.
-- Timestamps are Unix epoch seconds (INTEGER here, BIGINT on PostgreSQL).
-- Migrations are numbered per domain (see CONTRIBUTING.md): 01xx organisations.

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('supplier', 'partner', 'customer')),
    partner_kind TEXT CHECK (partner_kind IN ('reseller', 'agent')),
    segment TEXT CHECK (segment IN ('large_global', 'small_local', 'end_user')),
    assigned_partner_id INTEGER REFERENCES organisations (id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at INTEGER NOT NULL,
    CHECK ((kind = 'partner') = (partner_kind IS NOT NULL)),
    CHECK ((kind = 'customer') = (segment IS NOT NULL)),
    CHECK ((segment = 'small_local') = (assigned_partner_id IS NOT NULL) OR segment IS NULL),
    CHECK (kind = 'customer' OR assigned_partner_id IS NULL)
);

-- One supplier per installation.
CREATE UNIQUE INDEX organisations_one_supplier ON organisations (kind) WHERE kind = 'supplier';
CREATE INDEX organisations_assigned_partner ON organisations (assigned_partner_id);
