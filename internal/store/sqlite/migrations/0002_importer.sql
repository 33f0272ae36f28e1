-- Events: one index that both deduplicates and serves time-ordered scans.
--
-- The natural key (dedup_key) hashes the event's time among its fields, so
-- (occurred_at, dedup_key) is unique exactly where dedup_key was, while a
-- B-tree on a random 64-bit hash alone takes every insert to a random leaf:
-- a bulk import dirtied most of that index on every commit. Led by the
-- time, inserts of events that arrive in time order append at the right
-- edge, and a scan "ORDER BY occurred_at, id" walks the index instead of
-- sorting every row in a temporary B-tree (ties within one microsecond are
-- few, so ordering them by id is a small sort per group).
DROP INDEX events_dedup_key;
CREATE UNIQUE INDEX events_time_key ON events (occurred_at, dedup_key);
