-- Events: deduplication and time-ordered scans by indexes led by the time.
--
-- The natural key (dedup_key) hashes the event's time among its fields, so
-- (occurred_at, dedup_key) is unique exactly where dedup_key was. A B-tree
-- on a random 64-bit hash alone takes every insert to a random leaf page;
-- led by the time, events that arrive in time order go to the right edge.
--
-- events_time serves ScanEvents' "ORDER BY occurred_at, id": the scan walks
-- it instead of sorting the whole table.
DROP INDEX events_dedup_key;
CREATE UNIQUE INDEX events_time_key ON events (occurred_at, dedup_key);
CREATE INDEX events_time ON events (occurred_at, id);
