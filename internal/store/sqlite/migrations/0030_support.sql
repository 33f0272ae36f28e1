-- Customer service (internal/support): the knowledge base, conversations
-- and their messages (stored redacted), the hand-off queue and feedback.
-- Timestamps are Unix microseconds; JSON is TEXT.
CREATE TABLE support_kb (
    id         TEXT NOT NULL,
    language   TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('policy', 'faq', 'review')),
    title      TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL DEFAULT '',
    topic      TEXT NOT NULL DEFAULT '',
    keywords   TEXT NOT NULL DEFAULT '[]',
    sku        TEXT NOT NULL DEFAULT '',
    source     TEXT NOT NULL DEFAULT '',
    deleted    BOOLEAN NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (id, language)
);
CREATE INDEX support_kb_updated ON support_kb (updated_at);

CREATE TABLE support_conversations (
    id              TEXT PRIMARY KEY,
    customer_id     TEXT NOT NULL DEFAULT '',
    language        TEXT NOT NULL DEFAULT '',
    channel         TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('open', 'handoff', 'closed')),
    verified_orders TEXT NOT NULL DEFAULT '[]',
    pending_order   TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX support_conversations_customer ON support_conversations (customer_id, created_at);

CREATE TABLE support_messages (
    id                INTEGER PRIMARY KEY,
    conversation_id   TEXT NOT NULL,
    role              TEXT NOT NULL CHECK (role IN ('customer', 'assistant', 'agent')),
    text              TEXT NOT NULL DEFAULT '',
    intent            TEXT NOT NULL DEFAULT '',
    citations         TEXT NOT NULL DEFAULT '[]',
    tool_calls        TEXT NOT NULL DEFAULT '[]',
    handoff           BOOLEAN NOT NULL DEFAULT 0,
    flags             TEXT NOT NULL DEFAULT '[]',
    model             TEXT NOT NULL DEFAULT '',
    author            TEXT NOT NULL DEFAULT '',
    latency_us        INTEGER NOT NULL DEFAULT 0,
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL
);
CREATE INDEX support_messages_conversation ON support_messages (conversation_id, id);
CREATE INDEX support_messages_created ON support_messages (created_at);

CREATE TABLE support_handoffs (
    id              INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    customer_id     TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL DEFAULT '',
    summary         TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('queued', 'taken', 'closed')),
    assignee        TEXT NOT NULL DEFAULT '',
    language        TEXT NOT NULL DEFAULT '',
    resolution      TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    taken_at        INTEGER NOT NULL DEFAULT 0,
    closed_at       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX support_handoffs_status ON support_handoffs (status, created_at);
CREATE INDEX support_handoffs_conversation ON support_handoffs (conversation_id);

CREATE TABLE support_feedback (
    message_id INTEGER PRIMARY KEY,
    thumb      INTEGER NOT NULL DEFAULT 0 CHECK (thumb IN (-1, 0, 1)),
    csat       INTEGER NOT NULL DEFAULT 0 CHECK (csat BETWEEN 0 AND 5),
    comment    TEXT NOT NULL DEFAULT '',
    at         INTEGER NOT NULL
);

-- The index learns of changed products by described_at; an order is
-- looked up by its id (only events that carry one are indexed).
CREATE INDEX products_described ON products (described_at);
CREATE INDEX events_order ON events (order_id) WHERE order_id <> '';
