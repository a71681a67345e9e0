-- Schema version 13 (source history, issue 15): the superseded versions of the imported rows.
-- A re-import rewrites only rows that differ; before it does, the old version is kept here
-- with the import that first saw it (`since_import`, the old row's import_id) and the one that
-- replaced it (`replaced_by`). A row missing from a full export is moved here as `gone`
-- (`new` NULL): it leaves the live table, so no rule reads it, and is never lost.
-- The import's action-log record carries a SHA-256 digest over the rows it wrote here, and the
-- state ledger covers every row (ledger::AUDITED), so `jicha log verify` names a row edited
-- behind the program's back.
CREATE TABLE source_history (
    id           INTEGER PRIMARY KEY,
    file         TEXT NOT NULL,            -- the data-contract file, e.g. 'bills.csv'
    key          TEXT NOT NULL,            -- the row's key as a JSON array, e.g. '["C1","2026-05"]'
    cust_no      TEXT,                     -- the customer the row belongs to (NULL: none)
    kind         TEXT NOT NULL CHECK (kind IN ('changed','gone')),
    old          TEXT NOT NULL,            -- JSON object: the superseded row's columns
    new          TEXT,                     -- JSON object: the row that replaced it; NULL when gone
    since_import INTEGER NOT NULL,         -- the import that first saw the old version
    replaced_by  INTEGER NOT NULL          -- the import that replaced it (or found it gone)
);
CREATE INDEX source_history_cust ON source_history(cust_no, file);
CREATE INDEX source_history_import ON source_history(replaced_by, id);
CREATE INDEX source_history_key ON source_history(file, key);
