-- The API's idempotency keys (internal/idempotency): the first request
-- with a key stores its response with a hash of its body; a retry with
-- the same key and body is answered from here. status 0: still running.
CREATE TABLE api_idempotency (
    owner        TEXT NOT NULL,
    key          TEXT NOT NULL,
    route        TEXT NOT NULL,
    body_hash    TEXT NOT NULL,
    status       INTEGER NOT NULL DEFAULT 0,
    content_type TEXT NOT NULL DEFAULT '',
    response     BYTEA,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (owner, key)
);
CREATE INDEX api_idempotency_created ON api_idempotency (created_at);
