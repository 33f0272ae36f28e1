-- A campaign's send rate per channel, shared by every worker process
-- (issue 13): the time the next free slot opens (Unix microseconds). A
-- worker reserves n slots in one statement that moves it forward by n
-- intervals from the later of itself and now (virtual scheduling, GCRA),
-- and waits for each message's slot before it sends.
CREATE TABLE campaign_rates (
    campaign_id INTEGER NOT NULL,
    channel     TEXT NOT NULL,
    next_slot   INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, channel)
);
