-- The shop's own settings (name, language, time_zone, currency, country):
-- set with `chorus shop set`, or inferred from the first import that gives
-- evidence. The configuration's shop.* keys override them.
CREATE TABLE shop_settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    source     TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);
