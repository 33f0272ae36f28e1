-- Content studio: brand voices, generation runs (with their brief), the
-- completed units of a run (what makes a batch resumable), generated items
-- and their audit trail. Timestamps are Unix microseconds; JSON is TEXT.
CREATE TABLE content_voices (
    name       TEXT PRIMARY KEY,
    doc        TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE content_runs (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL DEFAULT '',
    brief      TEXT NOT NULL DEFAULT '{}',
    segment    TEXT NOT NULL DEFAULT '',
    channels   TEXT NOT NULL DEFAULT '[]',
    depth      TEXT NOT NULL DEFAULT '',
    variants   INTEGER NOT NULL DEFAULT 1,
    model      TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL DEFAULT '',
    audience   INTEGER NOT NULL DEFAULT 0,
    units      INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE content_units (
    run_id            TEXT NOT NULL,
    unit_key          TEXT NOT NULL,
    calls             INTEGER NOT NULL DEFAULT 0,
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    flagged           INTEGER NOT NULL DEFAULT 0,
    at                INTEGER NOT NULL,
    PRIMARY KEY (run_id, unit_key)
);

CREATE TABLE content_items (
    id             TEXT PRIMARY KEY,
    run_id         TEXT NOT NULL,
    unit_key       TEXT NOT NULL,
    variant        INTEGER NOT NULL DEFAULT 0,
    channel        TEXT NOT NULL,
    language       TEXT NOT NULL DEFAULT '',
    segment        TEXT NOT NULL DEFAULT '',
    cohort         TEXT NOT NULL DEFAULT '',
    customer_id    TEXT NOT NULL DEFAULT '',
    sku            TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL CHECK (status IN ('draft', 'flagged', 'approved', 'rejected')),
    copy           TEXT NOT NULL DEFAULT '{}',
    html           TEXT NOT NULL DEFAULT '',
    sms            TEXT NOT NULL DEFAULT 'null',
    violations     TEXT NOT NULL DEFAULT '[]',
    rounds         INTEGER NOT NULL DEFAULT 0,
    model          TEXT NOT NULL DEFAULT '',
    prompt_version TEXT NOT NULL DEFAULT '',
    slots          TEXT NOT NULL DEFAULT '[]',
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX content_items_run ON content_items (run_id, status);
CREATE INDEX content_items_status ON content_items (status, created_at);

CREATE TABLE content_audit (
    id          INTEGER PRIMARY KEY,
    item_id     TEXT NOT NULL,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status   TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX content_audit_item ON content_audit (item_id, id);
