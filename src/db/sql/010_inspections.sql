-- Schema version 10: 现场稽查 (on-site inspections, issue 14 item 1). An inspection is planned
-- from one or more findings (or for a ticket's findings), then recorded from the 现场处理单:
-- the visit date, per finding an outcome, a determination and the amounts to recover, a
-- written account and attachments (photos, scanned forms) kept beside the dataset in a
-- content-addressed folder (`<dataset>.files/sha256/ab/abcdef…`), their SHA-256 here and in
-- the action-log record of the recording.
--
-- `tickets.requires_inspection` is a new nullable column (NULL: not required), last, so every
-- existing ticket keeps its state-ledger hash (NULL columns are left out of a row's hash).

CREATE TABLE inspections (
    id           INTEGER PRIMARY KEY,
    number       TEXT NOT NULL UNIQUE,   -- XC-YYYYMMDD-NNN
    state        TEXT NOT NULL CHECK (state IN ('planned','recorded','cancelled')),
    method       TEXT NOT NULL CHECK (method IN ('onsite','phone','records')),  -- 现场 / 电话 / 资料核查
    inspectors   TEXT NOT NULL,          -- JSON array of names
    planned_on   TEXT NOT NULL,
    unit         TEXT NOT NULL,          -- the findings' customers' station (as tickets.unit)
    campaign     TEXT,                   -- a campaign id, as given (专项稽查)
    ticket       TEXT,                   -- the ticket number that asked for the visit
    created_by   TEXT NOT NULL,
    created_on   TEXT NOT NULL,
    visit_on     TEXT,                   -- recorded: the date of the visit
    account      TEXT,                   -- recorded: the written account (现场处理情况)
    recorded_by  TEXT,
    recorded_on  TEXT,
    cancelled_on TEXT,
    cancel_reason TEXT,
    version      INTEGER NOT NULL DEFAULT 1,
    CHECK ((state = 'recorded') = (visit_on IS NOT NULL))
);
CREATE INDEX inspections_state ON inspections(state, planned_on);
CREATE INDEX inspections_ticket ON inspections(ticket);

-- The findings an inspection checks, and (once recorded) what it found for each.
CREATE TABLE inspection_findings (
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    finding_id    INTEGER NOT NULL REFERENCES findings(id),
    outcome       TEXT CHECK (outcome IN ('true','false','partly')),           -- 属实 / 不属实 / 部分属实
    determination TEXT CHECK (determination IN ('none','violation','theft')),  -- 无 / 违约用电 / 窃电
    back_kwh      REAL CHECK (back_kwh >= 0),      -- 追补电量
    back_yuan     REAL CHECK (back_yuan >= 0),     -- 追补电费
    penalty_yuan  REAL CHECK (penalty_yuan >= 0),  -- 违约使用电费
    PRIMARY KEY (inspection_id, finding_id)
) WITHOUT ROWID;
CREATE INDEX inspection_findings_finding ON inspection_findings(finding_id);

-- Files recorded with an inspection, stored by content (`.files/sha256/<2 hex>/<64 hex>`).
CREATE TABLE inspection_attachments (
    id            INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    sha256        TEXT NOT NULL,
    file_name     TEXT NOT NULL,         -- the original file name, as given
    bytes         INTEGER NOT NULL,
    added_by      TEXT NOT NULL,
    added_on      TEXT NOT NULL
);
CREATE INDEX inspection_attachments_inspection ON inspection_attachments(inspection_id);

ALTER TABLE tickets ADD COLUMN requires_inspection INTEGER
    CHECK (requires_inspection IS NULL OR requires_inspection IN (0, 1));
