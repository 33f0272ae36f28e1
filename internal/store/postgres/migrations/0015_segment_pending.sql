-- The customers whose saved-segment membership a write may have moved,
-- marked in the same transaction as the write (a customer's record,
-- consents or events; '*' for everyone, when a product changed) while any
-- segment is saved. The segment engine (segment.Engine.Follow) re-evaluates
-- them and, in the transaction that applies who joined and left, deletes
-- the marks it evaluated: a mark renewed meanwhile (seq moved on) stays.
-- So an import's segment update cannot be lost between its commit and the
-- engine's, and runs again after a crash.
CREATE TABLE segment_pending (
    customer_id TEXT PRIMARY KEY,
    seq         BIGINT NOT NULL DEFAULT 1
);
