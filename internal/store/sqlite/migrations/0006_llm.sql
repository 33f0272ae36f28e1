-- Model layer: persistent response cache, request log (audit), and token /
-- cost accounting per run and campaign. Timestamps are unix microseconds.

-- key is a SHA-256 of provider, model, messages and parameters (schema
-- included); campaign and item are deliberately not part of it.
CREATE TABLE llm_cache (
    key        TEXT PRIMARY KEY,
    provider   TEXT NOT NULL,
    model      TEXT NOT NULL,
    result     TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX llm_cache_created ON llm_cache (created_at);

-- What was sent and received. Prompts are PII-free by construction.
CREATE TABLE llm_log (
    id                INTEGER PRIMARY KEY,
    at                INTEGER NOT NULL,
    run               TEXT NOT NULL,
    campaign          TEXT NOT NULL DEFAULT '',
    item              TEXT NOT NULL DEFAULT '',
    provider          TEXT NOT NULL,
    model             TEXT NOT NULL,
    cache_key         TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL CHECK (status IN ('ok', 'cached', 'error')),
    error             TEXT NOT NULL DEFAULT '',
    attempts          INTEGER NOT NULL DEFAULT 0,
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    latency_ms        INTEGER NOT NULL DEFAULT 0,
    request           TEXT NOT NULL,
    response          TEXT
);
CREATE INDEX llm_log_run ON llm_log (run, id);
CREATE INDEX llm_log_campaign ON llm_log (campaign, id);

CREATE TABLE llm_usage (
    run               TEXT NOT NULL,
    campaign          TEXT NOT NULL DEFAULT '',
    provider          TEXT NOT NULL,
    model             TEXT NOT NULL,
    calls             INTEGER NOT NULL DEFAULT 0,
    cached            INTEGER NOT NULL DEFAULT 0,
    failed            INTEGER NOT NULL DEFAULT 0,
    attempts          INTEGER NOT NULL DEFAULT 0,
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    saved_tokens      INTEGER NOT NULL DEFAULT 0,
    cost_usd          REAL NOT NULL DEFAULT 0,
    saved_usd         REAL NOT NULL DEFAULT 0,
    updated_at        INTEGER NOT NULL,
    PRIMARY KEY (run, campaign, provider, model)
);
CREATE INDEX llm_usage_campaign ON llm_usage (campaign);
