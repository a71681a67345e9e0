-- Schema version 1: the imported export, findings, whitelist, people, scans and the action log.
-- Dates are TEXT 'YYYY-MM-DD', periods 'YYYY-MM' (both sort as text). Money in 元 as REAL.
-- import_id / src_line on imported rows say which import wrote the row and from which physical line.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE imports (
    id            INTEGER PRIMARY KEY,
    at_utc        TEXT NOT NULL,
    business_date TEXT NOT NULL,
    operator      TEXT NOT NULL,
    source_dir    TEXT NOT NULL,
    summary       TEXT NOT NULL           -- JSON: rows per file
);

CREATE TABLE customers (
    cust_no      TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    address      TEXT,
    contact      TEXT,
    phone        TEXT,
    category     TEXT NOT NULL CHECK (category IN ('resident','commercial','large_industry','agriculture')),
    price_code   TEXT NOT NULL CHECK (price_code IN ('RES','COM','IND','AGR')),
    billing_mode TEXT NOT NULL CHECK (billing_mode IN ('single','two_part')),
    voltage_kv   REAL NOT NULL,
    capacity_kva REAL NOT NULL,
    pf_standard  REAL,
    hslm         INTEGER NOT NULL CHECK (hslm IN (0,1)),
    temporary    INTEGER NOT NULL CHECK (temporary IN (0,1)),
    station      TEXT NOT NULL,
    district     TEXT NOT NULL,
    opened_on    TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('active','closed')),
    closed_on    TEXT,
    import_id    INTEGER NOT NULL,
    src_line     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX customers_station ON customers(station);

CREATE TABLE meters (
    meter_no     TEXT PRIMARY KEY,
    cust_no      TEXT NOT NULL REFERENCES customers(cust_no),
    model        TEXT NOT NULL,
    ct_ratio     REAL NOT NULL,
    pt_ratio     REAL NOT NULL,
    multiplier   REAL NOT NULL,
    installed_on TEXT NOT NULL,
    verified_on  TEXT,
    import_id    INTEGER NOT NULL,
    src_line     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX meters_cust ON meters(cust_no);

-- Clustered by customer then period: the period rules read each customer's months in order.
CREATE TABLE bills (
    cust_no      TEXT NOT NULL REFERENCES customers(cust_no),
    period       TEXT NOT NULL,
    read_on      TEXT NOT NULL,
    prev_reading REAL NOT NULL,
    curr_reading REAL NOT NULL,
    multiplier   REAL NOT NULL,
    kwh          REAL NOT NULL,
    loss_kwh     REAL NOT NULL,
    amount       REAL NOT NULL,
    paid         REAL NOT NULL,
    import_id    INTEGER NOT NULL,
    src_line     INTEGER NOT NULL,
    PRIMARY KEY (cust_no, period)
) WITHOUT ROWID;

CREATE TABLE suspensions (
    cust_no      TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('suspend','reduce')),
    start_on     TEXT NOT NULL,
    end_on       TEXT NOT NULL,
    capacity_kva REAL NOT NULL,
    import_id    INTEGER NOT NULL,
    src_line     INTEGER NOT NULL,
    PRIMARY KEY (cust_no, kind, start_on)
) WITHOUT ROWID;

CREATE TABLE contracts (
    contract_no TEXT PRIMARY KEY,
    cust_no     TEXT NOT NULL,
    signed_on   TEXT NOT NULL,
    expires_on  TEXT NOT NULL,
    import_id   INTEGER NOT NULL,
    src_line    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX contracts_cust ON contracts(cust_no);

CREATE TABLE applications (
    app_no       TEXT PRIMARY KEY,
    cust_no      TEXT,                    -- NULL for a new connection without a 户号 yet
    kind         TEXT NOT NULL CHECK (kind IN ('new','increase','change')),
    accepted_on  TEXT NOT NULL,
    completed_on TEXT,
    limit_days   REAL NOT NULL,
    import_id    INTEGER NOT NULL,
    src_line     INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE external_findings (
    source      TEXT NOT NULL,
    rule_code   TEXT NOT NULL,
    rule_name   TEXT NOT NULL,
    cust_no     TEXT NOT NULL REFERENCES customers(cust_no),
    subject     TEXT NOT NULL,            -- '-' when the export leaves it empty
    detected_on TEXT NOT NULL,
    severity    TEXT NOT NULL CHECK (severity IN ('high','medium','low')),
    evidence    TEXT,
    import_id   INTEGER NOT NULL,
    src_line    INTEGER NOT NULL,
    PRIMARY KEY (source, rule_code, cust_no, subject)
) WITHOUT ROWID;

CREATE TABLE thresholds (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,             -- a number, or a comma-separated list
    updated_at TEXT,
    updated_by TEXT
) WITHOUT ROWID;

CREATE TABLE operators (
    login    TEXT PRIMARY KEY,
    role     TEXT NOT NULL CHECK (role IN ('viewer','auditor','reviewer','admin')),
    name     TEXT,
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE scans (
    id            INTEGER PRIMARY KEY,
    started_at    TEXT NOT NULL,
    finished_at   TEXT NOT NULL,
    business_date TEXT NOT NULL,
    as_of         TEXT NOT NULL,
    operator      TEXT NOT NULL,
    thresholds    TEXT NOT NULL,          -- JSON: the thresholds this scan used
    summary       TEXT NOT NULL           -- JSON: hits per rule, new / again / cleared / reopened / suppressed
);

-- Per scan and rule, for the dashboard's 30-day trend.
CREATE TABLE scan_rule_counts (
    scan_id    INTEGER NOT NULL REFERENCES scans(id),
    rule       TEXT NOT NULL,
    hits       INTEGER NOT NULL,
    new        INTEGER NOT NULL,
    cleared    INTEGER NOT NULL,
    suppressed INTEGER NOT NULL,
    PRIMARY KEY (scan_id, rule)
) WITHOUT ROWID;

CREATE TABLE findings (
    id            INTEGER PRIMARY KEY,
    rule          TEXT NOT NULL,
    cust_no       TEXT NOT NULL,          -- '' for SVC-01 on an application without a 户号
    subject       TEXT NOT NULL,          -- '-' where the rule has none
    status        TEXT NOT NULL CHECK (status IN ('new','confirmed','ticketed','closed','cleared')),
    resolution    TEXT CHECK (resolution IN ('rectified','false_positive','no_action')),
    severity      TEXT NOT NULL CHECK (severity IN ('high','medium','low')),
    level         INTEGER,                -- THF-01 only
    evidence      TEXT NOT NULL,
    amount_yuan   REAL,
    first_seen    TEXT NOT NULL,          -- business date of the scan that first found it
    last_seen     TEXT NOT NULL,
    first_scan    INTEGER NOT NULL,
    last_scan     INTEGER NOT NULL,
    cleared_scan  INTEGER,                -- the scan that found the condition gone
    recurred      INTEGER NOT NULL DEFAULT 0,
    reopened_scan INTEGER,                -- the latest scan that reopened it
    status_date   TEXT NOT NULL,          -- business date of the latest status change
    version       INTEGER NOT NULL DEFAULT 1, -- bumped by every change: stale edits are refused
    UNIQUE (rule, cust_no, subject)
);
CREATE INDEX findings_status ON findings(status, severity);
CREATE INDEX findings_cust ON findings(cust_no);
CREATE INDEX findings_first_seen ON findings(first_seen);
CREATE INDEX findings_last_scan ON findings(last_scan);

-- Every status a finding has had, with the business date: reports need the status at a past date.
CREATE TABLE finding_status_history (
    id            INTEGER PRIMARY KEY,
    finding_id    INTEGER NOT NULL REFERENCES findings(id),
    business_date TEXT NOT NULL,
    status        TEXT NOT NULL,
    resolution    TEXT,
    operator      TEXT NOT NULL
);
CREATE INDEX finding_status_history_finding ON finding_status_history(finding_id, id);

CREATE TABLE finding_notes (
    id            INTEGER PRIMARY KEY,
    finding_id    INTEGER NOT NULL REFERENCES findings(id),
    author        TEXT NOT NULL,
    at_utc        TEXT NOT NULL,
    business_date TEXT NOT NULL,
    text          TEXT NOT NULL
);
CREATE INDEX finding_notes_finding ON finding_notes(finding_id);

-- A finding matches an entry when cust_no is equal and rule is equal or '*'.
-- It is suppressed on date t when effective_from <= t < expires_on and not revoked by t.
CREATE TABLE whitelist (
    id             INTEGER PRIMARY KEY,
    rule           TEXT NOT NULL,
    cust_no        TEXT NOT NULL,
    reason         TEXT NOT NULL,
    author         TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    starts_on      TEXT NOT NULL,
    expires_on     TEXT NOT NULL,
    effective_from TEXT,                  -- NULL while an entry longer than whitelist_review_days awaits approval
    approved_by    TEXT,
    requested_expires_on TEXT,            -- an extension past whitelist_review_days awaiting approval
    requested_by   TEXT,                  -- who asked for the pending entry or extension
    requested_reason TEXT,
    revoked_on     TEXT,
    revoked_by     TEXT,
    revoke_reason  TEXT,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX whitelist_cust ON whitelist(cust_no, rule);

CREATE TABLE action_log (
    seq           INTEGER PRIMARY KEY,
    at_utc        TEXT NOT NULL,
    business_date TEXT NOT NULL,
    operator      TEXT NOT NULL,
    action        TEXT NOT NULL,
    target        TEXT NOT NULL,
    details       TEXT NOT NULL,          -- JSON
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
);
CREATE INDEX action_log_target ON action_log(target);

-- The program only ever appends to the log; these stop an accidental UPDATE or DELETE.
-- Deliberate tampering is caught by the hash chain (`jicha log verify`), not by these.
CREATE TRIGGER action_log_no_update BEFORE UPDATE ON action_log
BEGIN SELECT RAISE(ABORT, 'the action log is append-only'); END;
CREATE TRIGGER action_log_no_delete BEFORE DELETE ON action_log
BEGIN SELECT RAISE(ABORT, 'the action log is append-only'); END;
