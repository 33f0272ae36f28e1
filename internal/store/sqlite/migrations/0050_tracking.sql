-- Tracking hits (issue 14): every open, click, unsubscribe and delivery
-- receipt of a send, typed for reports (the same hits are also events of
-- the event log, for insight). send_id is the id of the campaign_sends row
-- the hit's token or receipt names; customer_id, campaign (the name),
-- channel and variant are the send's, copied so attribution can read a
-- customer's hits without a join. hit_key identifies a hit that may come
-- twice: derived from the webhook-id for receipts and from the send and
-- scope for unsubscribes, so a repeat is skipped; opens and clicks have
-- none (0) and are never deduplicated (their events carry a random key),
-- which spares the busiest insert a random index entry. machine is 1
-- for a machine's open or click (machine_reason says why: apple_mpp,
-- scanner, prefetch, head, network, no_agent, link_burst). code is a
-- receipt's reason code or an unsubscribe's scope; detail hard|soft for
-- bounces. No address, IP or user agent is stored. Times are Unix
-- microseconds.
CREATE TABLE tracking_hits (
    id             INTEGER PRIMARY KEY,
    hit_key        INTEGER NOT NULL,
    send_id        INTEGER NOT NULL,
    customer_id    TEXT NOT NULL DEFAULT '',
    campaign       TEXT NOT NULL DEFAULT '',
    channel        TEXT NOT NULL DEFAULT '',
    variant        TEXT NOT NULL DEFAULT '',
    kind           TEXT NOT NULL,
    machine        INTEGER NOT NULL DEFAULT 0,
    machine_reason TEXT NOT NULL DEFAULT '',
    link           INTEGER NOT NULL DEFAULT 0,
    url            TEXT NOT NULL DEFAULT '',
    code           TEXT NOT NULL DEFAULT '',
    detail         TEXT NOT NULL DEFAULT '',
    occurred_at    INTEGER NOT NULL,
    recorded_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX tracking_hits_key ON tracking_hits (hit_key) WHERE hit_key <> 0;
CREATE INDEX tracking_hits_send ON tracking_hits (send_id, kind);
CREATE INDEX tracking_hits_customer ON tracking_hits (customer_id, occurred_at);
