-- Saved segments (expressions over customer records) and their stored
-- membership, kept current incrementally as events arrive.
-- Timestamps are microseconds since the Unix epoch (UTC); 0 = never.
CREATE TABLE segments (
    name         TEXT PRIMARY KEY,
    expression   TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    refreshed_at INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE segment_members (
    segment     TEXT NOT NULL REFERENCES segments (name) ON DELETE CASCADE,
    customer_id TEXT NOT NULL,
    since       INTEGER NOT NULL,
    PRIMARY KEY (segment, customer_id)
) WITHOUT ROWID;
CREATE INDEX segment_members_customer ON segment_members (customer_id);
