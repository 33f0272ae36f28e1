-- The skips log keeps entries for compliance.contact.skip_retention; pruning
-- finds the old ones by decided_at, so a prune that finds nothing is one
-- index probe.
CREATE INDEX policy_skips_decided ON policy_skips (decided_at);
