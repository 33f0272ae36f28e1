-- "Test on X%, then send the winner to the rest" (issue 14): a campaign's
-- test plan and, once decided, the winner and the decision (JSON of
-- experiment.Decision, with its reason in English and Chinese). window is
-- in microseconds, decided_at Unix microseconds.
CREATE TABLE campaign_tests (
    campaign_id    BIGINT PRIMARY KEY,
    share          DOUBLE PRECISION NOT NULL,
    window_us      BIGINT NOT NULL,
    metric         TEXT NOT NULL,
    default_variant TEXT NOT NULL DEFAULT '',
    winner         TEXT NOT NULL DEFAULT '',
    decision       TEXT NOT NULL DEFAULT '',
    decided_at     BIGINT NOT NULL DEFAULT 0
);

-- The content each waiting row (code awaiting_winner) would get with each
-- variant, written at launch from the approved items; the decision copies
-- the winner's into the row.
CREATE TABLE campaign_test_candidates (
    campaign_id BIGINT NOT NULL,
    customer_id TEXT NOT NULL,
    channel     TEXT NOT NULL,
    variant     TEXT NOT NULL,
    content_id  TEXT NOT NULL,
    PRIMARY KEY (campaign_id, customer_id, channel, variant)
);
