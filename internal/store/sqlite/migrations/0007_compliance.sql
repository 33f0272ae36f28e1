-- Contact policy: the global suppression list, the sends log the frequency
-- caps count, one lock row per contacted customer (what serialises cap
-- checks), and the skips log that says why a message was not sent.
-- Timestamps are Unix microseconds.
CREATE TABLE policy_suppressions (
    kind           TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'customer')),
    value          TEXT NOT NULL,
    reason         TEXT NOT NULL,
    marketing_only INTEGER NOT NULL DEFAULT 0,
    note           TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (kind, value)
);

CREATE TABLE policy_sends (
    id          INTEGER PRIMARY KEY,
    customer_id TEXT NOT NULL,
    channel     TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    campaign    TEXT NOT NULL DEFAULT '',
    sent_at     INTEGER NOT NULL
);
CREATE INDEX policy_sends_customer ON policy_sends (customer_id, sent_at);

-- Upserted at the start of every cap-checked insert: the row lock makes a
-- second worker for the same customer wait until the first has committed.
CREATE TABLE policy_contact_locks (
    customer_id TEXT PRIMARY KEY,
    touched_at  INTEGER NOT NULL
);

CREATE TABLE policy_skips (
    id          INTEGER PRIMARY KEY,
    campaign    TEXT NOT NULL DEFAULT '',
    customer_id TEXT NOT NULL,
    channel     TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    planned_at  INTEGER NOT NULL,
    code        TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    next_at     INTEGER NOT NULL DEFAULT 0,
    decided_at  INTEGER NOT NULL,
    UNIQUE (campaign, customer_id, channel, purpose, planned_at)
);
CREATE INDEX policy_skips_code ON policy_skips (campaign, code);
