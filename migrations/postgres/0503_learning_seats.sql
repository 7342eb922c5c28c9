-- Course seats sold as order lines. A course with a seat price is bought by
-- the seat by customers: each customer learner who starts it takes one of
-- their organisation's seats. An order line is now a part or a course seat.

ALTER TABLE courses ADD COLUMN seat_price_cents BIGINT CHECK (seat_price_cents > 0);

ALTER TABLE order_lines ALTER COLUMN part_id DROP NOT NULL;
ALTER TABLE order_lines ADD COLUMN course_id BIGINT REFERENCES courses (id);
ALTER TABLE order_lines ADD CONSTRAINT order_lines_part_or_course
    CHECK ((part_id IS NULL) <> (course_id IS NULL));
ALTER TABLE order_lines ADD CONSTRAINT order_lines_order_course UNIQUE (order_id, course_id);

-- An organisation's seats of a course: bought when the supplier confirms an
-- order with seat lines (given back if a confirmed order is cancelled), used
-- when one of its learners starts the course. A seat is taken only while
-- used < bought, in one conditional UPDATE, so two admins assigning the last
-- seat at once cannot both have it.
CREATE TABLE course_seats (
    org_id BIGINT NOT NULL REFERENCES organisations (id),
    course_id BIGINT NOT NULL REFERENCES courses (id),
    bought BIGINT NOT NULL DEFAULT 0,
    used BIGINT NOT NULL DEFAULT 0 CHECK (used >= 0),
    PRIMARY KEY (org_id, course_id)
);
