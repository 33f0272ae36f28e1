-- Events: one index that both deduplicates and serves time-ordered scans.
--
-- The natural key (dedup_key) hashes the event's time among its fields, so
-- (occurred_at, dedup_key) is unique exactly where dedup_key was, while a
-- B-tree on a random 64-bit hash alone takes every insert to a random leaf
-- page. Led by the time, inserts of events that arrive in time order go to
-- the right edge, and a scan "ORDER BY occurred_at, id" can walk the index
-- with an incremental sort of each (small) group of equal times instead of
-- sorting every row.
DROP INDEX events_dedup_key;
CREATE UNIQUE INDEX events_time_key ON events (occurred_at, dedup_key);
