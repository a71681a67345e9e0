-- Schema version 4 (state ledger): what jicha itself last wrote to each audited row, sealed by
-- `state.seal` / `state.baseline` records of the action log (see src/ledger/mod.rs).
-- hash NULL: jicha deleted the row. vals: the counted columns as JSON, to name a changed field.
CREATE TABLE state_ledger (
    seq     INTEGER PRIMARY KEY,
    tbl     TEXT NOT NULL,
    row_key TEXT NOT NULL,
    hash    TEXT,
    vals    TEXT
);
CREATE INDEX state_ledger_row ON state_ledger(tbl, row_key, seq);
