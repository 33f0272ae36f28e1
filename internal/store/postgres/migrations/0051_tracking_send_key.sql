-- Receipts name a message by its id (webhook-id msg_KEY, Message-ID
-- KEY@domain), which holds the send's idempotency key: this index finds
-- the send from it.
CREATE INDEX campaign_sends_key ON campaign_sends (send_key);
