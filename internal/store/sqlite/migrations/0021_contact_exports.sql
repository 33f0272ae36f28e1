-- Every export of contact details (segment export --include-contact): who,
-- when, which segment, which contact fields, how many rows were written and
-- how many members consent or suppression held back.
CREATE TABLE contact_exports (
    id          INTEGER PRIMARY KEY,
    segment     TEXT NOT NULL,
    actor       TEXT NOT NULL,
    fields      TEXT NOT NULL,
    purpose     TEXT NOT NULL DEFAULT '',
    rows_out    INTEGER NOT NULL,
    withheld    INTEGER NOT NULL DEFAULT 0,
    exported_at INTEGER NOT NULL
);
CREATE INDEX contact_exports_at ON contact_exports (exported_at);
