-- Campaigns (issue 13) and their send table: one row per (campaign,
-- customer, channel), the unit of state that the queue's batch jobs work
-- on and that tracking joins hits and purchases to. Timestamps are Unix
-- microseconds; lists and maps are JSON text.
CREATE TABLE campaigns (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    state        TEXT NOT NULL,
    segment      TEXT NOT NULL,
    channels     TEXT NOT NULL,
    mode         TEXT NOT NULL,
    brief        TEXT NOT NULL DEFAULT '',
    brief_file   TEXT NOT NULL DEFAULT '',
    depth        TEXT NOT NULL,
    variants     TEXT NOT NULL,
    holdout      REAL NOT NULL DEFAULT 0,
    approval     TEXT NOT NULL,
    schedule     TEXT NOT NULL,
    rates        TEXT NOT NULL DEFAULT '{}',
    content_run  TEXT NOT NULL DEFAULT '',
    fallback_run TEXT NOT NULL DEFAULT '',
    recipients   INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    launched_at  INTEGER NOT NULL DEFAULT 0,
    completed_at INTEGER NOT NULL DEFAULT 0
);

-- campaign_sends: see docs/design.md "The send table" for every column.
-- state: pending | sent | failed | skipped | holdout. A holdout row has
-- channel ''. job_id is the River job that owns a pending row; in_flight
-- is 1 while an attempt is out and its outcome not yet recorded.
CREATE TABLE campaign_sends (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL,
    customer_id   TEXT NOT NULL,
    channel       TEXT NOT NULL,
    state         TEXT NOT NULL,
    reason_code   TEXT NOT NULL DEFAULT '',
    reason        TEXT NOT NULL DEFAULT '',
    variant       TEXT NOT NULL DEFAULT '',
    content_id    TEXT NOT NULL DEFAULT '',
    language      TEXT NOT NULL DEFAULT '',
    sku           TEXT NOT NULL DEFAULT '',
    send_key      TEXT NOT NULL,
    message_id    TEXT NOT NULL DEFAULT '',
    peer_id       TEXT NOT NULL DEFAULT '',
    attempts      INTEGER NOT NULL DEFAULT 0,
    resends       INTEGER NOT NULL DEFAULT 0,
    in_flight     INTEGER NOT NULL DEFAULT 0,
    fallback_from TEXT NOT NULL DEFAULT '',
    fallback_code TEXT NOT NULL DEFAULT '',
    job_id        INTEGER NOT NULL DEFAULT 0,
    planned_at    INTEGER NOT NULL,
    next_at       INTEGER NOT NULL DEFAULT 0,
    sent_at       INTEGER NOT NULL DEFAULT 0,
    updated_at    INTEGER NOT NULL,
    UNIQUE (campaign_id, customer_id, channel)
);
CREATE INDEX campaign_sends_state ON campaign_sends (campaign_id, state);
CREATE INDEX campaign_sends_job ON campaign_sends (job_id);

-- The sends log learns which send an entry admits (the campaign send's
-- key), so a retried admission neither counts its own earlier entry
-- against the caps nor logs the send twice.
ALTER TABLE policy_sends ADD COLUMN send_key TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX policy_sends_key ON policy_sends (send_key) WHERE send_key <> '';
