-- Customers known only by a phone number were keyed by the number as
-- written ("+86 138-0013-8000"); the importer now keys them by
-- customer.PhoneKey ("13800138000"), the identity the suppression list and
-- the contact policy match on. This migration's Go step (sqlstore.rekeyPhones,
-- in this migration's transaction) moves each such customer, her events,
-- consents, memberships, sends and the rest to the key, merging her into a
-- customer already stored under it. customer_rekeys records every move, so
-- that an id issued before (a tracking link's token) can still be resolved.
CREATE TABLE IF NOT EXISTS customer_rekeys (
    old_id   TEXT PRIMARY KEY,
    new_id   TEXT NOT NULL,
    merged   BOOLEAN NOT NULL,
    rekeyed_at BIGINT NOT NULL
);
