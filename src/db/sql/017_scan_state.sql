-- Schema version 16 (incremental rescan, issue 15): what each scan judged, so that a rescan
-- with the same inputs re-judges only the customers whose rows changed since (rules.md "A
-- rescan"; ARCHITECTURE.md "Incremental rescan"). One row per scan, written in the scan's own
-- transaction. A scan without a row here (made before this schema) makes the next scan full.
CREATE TABLE scan_state (
    scan_id         INTEGER PRIMARY KEY REFERENCES scans(id),
    kind            TEXT NOT NULL CHECK (kind IN ('full', 'incremental')),
    as_of           TEXT NOT NULL,
    thresholds_sha  TEXT NOT NULL,   -- SHA-256 of the thresholds as the scan read them
    pack_sha        TEXT NOT NULL,   -- SHA-256 of the built-in rule pack (rules::incremental)
    imports_max     INTEGER NOT NULL, -- the newest import the scan's snapshot held (0: none)
    imports_count   INTEGER NOT NULL, -- how many imports it held
    earliest_period TEXT,            -- the earliest bill period up to the month of as_of
    earliest_cust   TEXT,            -- a customer with a bill of that period
    coverage        TEXT NOT NULL,   -- JSON: [[rule, max_subject], ...] of the built-in rules
    rejudged        INTEGER NOT NULL -- customers the scan judged (a full scan: every one)
);
