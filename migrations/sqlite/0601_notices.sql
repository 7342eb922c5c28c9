-- Notices: messages to a user that the rules of a domain write (a course
-- assigned, a due date near, a completion about to expire). Rules write to the
-- outbox only, in the transaction of what caused the message; the job runner
-- delivers. Today the one channel is in-app (the notices table); e-mail can be
-- added as a second delivery without touching the rules.
-- Migrations are numbered per domain: 06xx notices.

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    -- A path of this app the message is about.
    link TEXT NOT NULL DEFAULT '',
    -- The same message is written once however often a rule runs.
    dedupe_key TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    delivered_at INTEGER
);

CREATE INDEX outbox_undelivered ON outbox (id) WHERE delivered_at IS NULL;

CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    outbox_id INTEGER NOT NULL UNIQUE REFERENCES outbox (id),
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    read_at INTEGER
);

CREATE INDEX notices_user ON notices (user_id, id);
CREATE INDEX notices_unread ON notices (user_id) WHERE read_at IS NULL;
