-- When a product's descriptive fields (everything but stock, active, price,
-- currency and the links) last changed: recommendation models learn from
-- those, so a stock or price update keeps the saved model (it re-reads the
-- catalog's availability) instead of retraining it.
ALTER TABLE products ADD COLUMN described_at BIGINT NOT NULL DEFAULT 0;
UPDATE products SET described_at = updated_at;
