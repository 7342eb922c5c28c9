-- Orders: the cart is a server-side draft order (one per user), submitted once
-- (a submission key makes the submit idempotent), then moved on by the
-- supplier's staff. Every status change is kept in order_events.
-- Migrations are numbered per domain: 04xx orders.

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'confirmed', 'shipped',
        'delivered', 'cancelled')),
    -- The organisation that orders (a customer, or a partner for its customer).
    ordering_org_id INTEGER NOT NULL REFERENCES organisations (id),
    -- The customer the parts are for; chosen at checkout when a partner orders.
    customer_id INTEGER REFERENCES organisations (id),
    created_by INTEGER NOT NULL REFERENCES users (id),
    po_reference TEXT NOT NULL DEFAULT '',
    delivery_address TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    -- The key of the checkout form that submitted it: a second submit with the
    -- same key finds this order instead of making another.
    submission_key TEXT UNIQUE,
    discount_pct INTEGER,
    total_cents INTEGER,
    created_at INTEGER NOT NULL,
    submitted_at INTEGER,
    updated_at INTEGER NOT NULL,
    CHECK (status = 'draft' OR (customer_id IS NOT NULL AND submission_key IS NOT NULL
        AND total_cents IS NOT NULL AND submitted_at IS NOT NULL))
);

-- One cart per person.
CREATE UNIQUE INDEX orders_one_draft ON orders (created_by) WHERE status = 'draft';
CREATE INDEX orders_customer ON orders (customer_id, submitted_at);
CREATE INDEX orders_ordering ON orders (ordering_org_id, submitted_at);

CREATE TABLE order_lines (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    part_id INTEGER NOT NULL REFERENCES parts (id),
    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 9999),
    -- Captured at submission; NULL while in the cart (which shows today's price).
    unit_price_cents INTEGER,
    -- The key of the add-to-cart form last applied: the same form sent twice
    -- (a double click, a reload) adds once.
    last_add_key TEXT,
    UNIQUE (order_id, part_id)
);

CREATE TABLE order_events (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id),
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);

CREATE INDEX order_events_order ON order_events (order_id, at);
