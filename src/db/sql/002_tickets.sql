-- Schema version 2: audit tickets (稽查工单) and their transitions.

CREATE TABLE tickets (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,   -- JC-YYYYMMDD-NNN
    state          TEXT NOT NULL CHECK (state IN ('dispatched','rectifying','submitted','approved','returned','cancelled')),
    unit           TEXT NOT NULL,          -- 责任单位
    person         TEXT,                   -- 责任人
    requirement    TEXT NOT NULL,          -- 工作要求
    issued_by      TEXT NOT NULL,
    issued_on      TEXT NOT NULL,
    due_on         TEXT NOT NULL,
    cause          TEXT,                   -- 原因分析
    measures       TEXT,                   -- 整改措施
    recovered_yuan REAL,                   -- 追补电费
    submitted_by   TEXT,
    submitted_on   TEXT,
    approved_by    TEXT,
    approved_on    TEXT,
    cancelled_on   TEXT,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tickets_state ON tickets(state, due_on);
CREATE INDEX tickets_issued ON tickets(issued_on);

CREATE TABLE ticket_findings (
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
    finding_id INTEGER NOT NULL REFERENCES findings(id),
    PRIMARY KEY (ticket_id, finding_id)
) WITHOUT ROWID;
CREATE INDEX ticket_findings_finding ON ticket_findings(finding_id);

-- Every transition with its business date and what was given with it (reason, cause, …).
CREATE TABLE ticket_events (
    id            INTEGER PRIMARY KEY,
    ticket_id     INTEGER NOT NULL REFERENCES tickets(id),
    business_date TEXT NOT NULL,
    at_utc        TEXT NOT NULL,
    operator      TEXT NOT NULL,
    from_state    TEXT,
    to_state      TEXT NOT NULL,
    details       TEXT NOT NULL             -- JSON
);
CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, id);
