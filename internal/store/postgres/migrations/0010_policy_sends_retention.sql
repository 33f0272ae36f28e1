-- Retention of the sends log: pruning deletes sends by time alone
-- (sent_at < cutoff), which policy_sends_customer (customer_id, sent_at)
-- cannot serve, so without this index every prune, even one that finds
-- nothing, would read the whole log.
CREATE INDEX policy_sends_sent_at ON policy_sends (sent_at);
