-- Course seats sold as order lines. A course with a seat price is bought by
-- the seat by customers: each customer learner who starts it takes one of
-- their organisation's seats. An order line is now a part or a course seat.

ALTER TABLE courses ADD COLUMN seat_price_cents INTEGER CHECK (seat_price_cents > 0);

-- SQLite cannot relax a NOT NULL in place: the lines are copied to a new table.
CREATE TABLE order_lines_new (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    part_id INTEGER REFERENCES parts (id),
    course_id INTEGER REFERENCES courses (id),
    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 9999),
    -- Captured at submission; NULL while in the cart (which shows today's price).
    unit_price_cents INTEGER,
    -- The key of the add-to-cart form last applied: the same form sent twice
    -- (a double click, a reload) adds once.
    last_add_key TEXT,
    CHECK ((part_id IS NULL) <> (course_id IS NULL)),
    UNIQUE (order_id, part_id),
    UNIQUE (order_id, course_id)
);
INSERT INTO order_lines_new (id, order_id, part_id, quantity, unit_price_cents, last_add_key)
    SELECT id, order_id, part_id, quantity, unit_price_cents, last_add_key FROM order_lines;
DROP TABLE order_lines;
ALTER TABLE order_lines_new RENAME TO order_lines;

-- An organisation's seats of a course: bought when the supplier confirms an
-- order with seat lines (given back if a confirmed order is cancelled), used
-- when one of its learners starts the course. A seat is taken only while
-- used < bought, in one conditional UPDATE, so two admins assigning the last
-- seat at once cannot both have it.
CREATE TABLE course_seats (
    org_id INTEGER NOT NULL REFERENCES organisations (id),
    course_id INTEGER NOT NULL REFERENCES courses (id),
    bought INTEGER NOT NULL DEFAULT 0,
    used INTEGER NOT NULL DEFAULT 0 CHECK (used >= 0),
    PRIMARY KEY (org_id, course_id)
);
