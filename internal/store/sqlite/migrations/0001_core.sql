-- Core data model: customers, consent ledger, products, events.
-- Timestamps are microseconds since the Unix epoch (UTC); JSON is TEXT.
CREATE TABLE customers (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    gender      TEXT NOT NULL DEFAULT '',
    birth_year  INTEGER NOT NULL DEFAULT 0,
    occupation  TEXT NOT NULL DEFAULT '',
    city        TEXT NOT NULL DEFAULT '',
    country     TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '',
    time_zone   TEXT NOT NULL DEFAULT '',
    language    TEXT NOT NULL DEFAULT '',
    interests   TEXT NOT NULL DEFAULT '[]',
    tags        TEXT NOT NULL DEFAULT '[]',
    attrs       TEXT NOT NULL DEFAULT '{}',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE consents (
    id          INTEGER PRIMARY KEY,
    customer_id TEXT NOT NULL,
    channel     TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('granted', 'revoked')),
    legal_basis TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT '',
    at          INTEGER NOT NULL,
    UNIQUE (customer_id, channel, purpose, status, at)
);

CREATE TABLE products (
    sku            TEXT PRIMARY KEY,
    title          TEXT NOT NULL DEFAULT '',
    description    TEXT NOT NULL DEFAULT '',
    category       TEXT NOT NULL DEFAULT '',
    brand          TEXT NOT NULL DEFAULT '',
    price          REAL NOT NULL DEFAULT 0,
    currency       TEXT NOT NULL DEFAULT '',
    selling_points TEXT NOT NULL DEFAULT '[]',
    tags           TEXT NOT NULL DEFAULT '[]',
    stock          INTEGER NOT NULL DEFAULT 0,
    url            TEXT NOT NULL DEFAULT '',
    image_url      TEXT NOT NULL DEFAULT '',
    active         BOOLEAN NOT NULL DEFAULT 1,
    language       TEXT NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    dedup_key   INTEGER NOT NULL,
    customer_id TEXT,
    type        TEXT NOT NULL,
    sku         TEXT NOT NULL DEFAULT '',
    quantity    REAL NOT NULL DEFAULT 0,
    amount      REAL NOT NULL DEFAULT 0,
    currency    TEXT NOT NULL DEFAULT '',
    order_id    TEXT NOT NULL DEFAULT '',
    channel     TEXT NOT NULL DEFAULT '',
    campaign    TEXT NOT NULL DEFAULT '',
    occurred_at INTEGER NOT NULL,
    properties  TEXT
);
CREATE UNIQUE INDEX events_dedup_key ON events (dedup_key);
CREATE INDEX events_customer ON events (customer_id, occurred_at);
