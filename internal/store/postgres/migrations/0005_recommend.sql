-- Trained recommendation models, so that `chorus recommend` and
-- `chorus profile` reuse one instead of training on every call. A snapshot
-- is valid while its fingerprint (data version + training options +
-- format, see recommend.Fingerprint) matches; one row per name, replaced
-- on each training. Timestamps are microseconds since the Unix epoch (UTC).
CREATE TABLE recommend_snapshots (
    name          TEXT PRIMARY KEY,
    fingerprint   TEXT NOT NULL,
    model         BYTEA NOT NULL,
    train_seconds DOUBLE PRECISION NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
);
