-- The console's dashboard reads the shop's activity per day: sends by
-- the time they went out and human clicks by the time they were made
-- (events already have events_time). Partial indexes keep them to the
-- rows the dashboard reads, so the busiest inserts (hits) pay little.
CREATE INDEX campaign_sends_sent ON campaign_sends (sent_at) WHERE state = 'sent';
CREATE INDEX tracking_hits_click_time ON tracking_hits (occurred_at) WHERE kind = 'click';
