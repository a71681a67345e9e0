-- Schema version 8: 稽查工作督办单 (escalation notices, workflow issue 13). A run on a business
-- day issues, for each unit with open tickets overdue by `escalate_after_days` or more, one
-- notice addressed to the unit's head; the unit's previous open notice is closed as
-- superseded by it, and a unit with nothing past the limit any more has its notice closed as
-- resolved. One notice per unit and day (UNIQUE), so a second run the same day adds nothing.

CREATE TABLE escalations (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,   -- DB-YYYYMMDD-NNN
    unit          TEXT NOT NULL,          -- the tickets' responsible unit (tickets.unit)
    head          TEXT,                   -- units.head at issue; NULL: addressed to the unit itself
    issued_on     TEXT NOT NULL,          -- business date of the run that issued it
    issued_by     TEXT NOT NULL,          -- the operator whose run (or scan) issued it
    limit_days    INTEGER NOT NULL,       -- escalate_after_days at issue
    round         INTEGER NOT NULL,       -- 第 N 次督办: 1, or the superseded notice's round + 1
    closed_on     TEXT,                   -- NULL while open
    closed_reason TEXT CHECK (closed_reason IN ('resolved','superseded')),
    superseded_by INTEGER REFERENCES escalations(id),
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (unit, issued_on),
    CHECK ((closed_on IS NULL) = (closed_reason IS NULL))
);
CREATE INDEX escalations_open ON escalations(closed_on, unit);

-- The tickets a notice lists, with how many days each was overdue on the day it was issued.
CREATE TABLE escalation_tickets (
    escalation_id INTEGER NOT NULL REFERENCES escalations(id),
    ticket_id     INTEGER NOT NULL REFERENCES tickets(id),
    days_overdue  INTEGER NOT NULL,
    PRIMARY KEY (escalation_id, ticket_id)
) WITHOUT ROWID;
CREATE INDEX escalation_tickets_ticket ON escalation_tickets(ticket_id);
