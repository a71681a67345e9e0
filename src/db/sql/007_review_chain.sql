-- Schema version 7: the review chain and the archive of tickets (workflow.md, "Tickets"):
-- states `reviewed` (待复核, the first of two reviews passed) and `archived` (已归档), who passed
-- the first review and when, who archived and when.
--
-- SQLite cannot change a CHECK, so `tickets` is rebuilt. Foreign keys are on (rusqlite's
-- bundled SQLite) and `PRAGMA foreign_keys` cannot change inside the migration's transaction;
-- dropping a parent table with children would leave the deferred violation counter above zero
-- (renaming the new table over it adds no parent rows back) and the commit would fail. So the
-- children (`ticket_findings`, `ticket_events`) are set aside first, the table is rebuilt with
-- no row referring to it, and the children go back unchanged (same ids, same content: their
-- state-ledger hashes hold). The columns keep their order and the new ones come last, all NULL,
-- so every existing ticket's ledger hash holds too. `migrations.rs` runs
-- `PRAGMA foreign_key_check` on the children before the commit.

CREATE TEMP TABLE m7_ticket_findings AS SELECT * FROM main.ticket_findings;
CREATE TEMP TABLE m7_ticket_events AS SELECT * FROM main.ticket_events;
DELETE FROM main.ticket_findings;
DELETE FROM main.ticket_events;

CREATE TABLE main.tickets_v7 (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,   -- JC-YYYYMMDD-NNN
    state          TEXT NOT NULL CHECK (state IN ('dispatched','rectifying','submitted','reviewed','approved','returned','cancelled','archived')),
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
    approved_by    TEXT,                   -- the final approval (the audit centre's with two levels)
    approved_on    TEXT,
    cancelled_on   TEXT,
    version        INTEGER NOT NULL DEFAULT 1,
    reviewed_by    TEXT,                   -- the first review of the current submission (待复核)
    reviewed_on    TEXT,
    archived_by    TEXT,                   -- 归档
    archived_on    TEXT
);
INSERT INTO main.tickets_v7 (id, number, state, unit, person, requirement, issued_by, issued_on,
        due_on, cause, measures, recovered_yuan, submitted_by, submitted_on, approved_by,
        approved_on, cancelled_on, version)
    SELECT id, number, state, unit, person, requirement, issued_by, issued_on, due_on, cause,
        measures, recovered_yuan, submitted_by, submitted_on, approved_by, approved_on,
        cancelled_on, version
    FROM main.tickets;
DROP TABLE main.tickets;
ALTER TABLE main.tickets_v7 RENAME TO tickets;
CREATE INDEX main.tickets_state ON tickets(state, due_on);
CREATE INDEX main.tickets_issued ON tickets(issued_on);

INSERT INTO main.ticket_findings (ticket_id, finding_id)
    SELECT ticket_id, finding_id FROM temp.m7_ticket_findings;
INSERT INTO main.ticket_events (id, ticket_id, business_date, at_utc, operator, from_state,
        to_state, details)
    SELECT id, ticket_id, business_date, at_utc, operator, from_state, to_state, details
    FROM temp.m7_ticket_events;
DROP TABLE temp.m7_ticket_findings;
DROP TABLE temp.m7_ticket_events;
