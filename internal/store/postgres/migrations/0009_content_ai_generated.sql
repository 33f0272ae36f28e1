-- AI-content labelling (China's 2025 Measures for Labelling AI-Generated
-- Synthetic Content): every content item says whether a model (or the
-- offline writer, which is machine generation too) wrote it. Items stored
-- before this column existed were all generated, hence the default.
-- A separate migration from 0007 because content_items is created in 0008.
ALTER TABLE content_items ADD COLUMN ai_generated BOOLEAN NOT NULL DEFAULT TRUE;
