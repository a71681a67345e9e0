-- Schema version 12 (issue 14, items 4 and 5): deductions at dispatch and the QC of audit work.

-- The deduction standard (业务评价扣分标准): points a finding of a severity costs its unit's
-- business evaluation when a ticket is dispatched for it. `subject` is a rule id ('BIL-05'),
-- a customer category ('category:resident', data-contract `category`) or '*' (every finding).
-- A finding takes the most specific row: its rule's, else its customer's category's, else '*'.
-- 0 points: no deduction for such findings.
CREATE TABLE deduction_standard (
    subject    TEXT NOT NULL,
    severity   TEXT NOT NULL CHECK (severity IN ('high','medium','low')),
    points     REAL NOT NULL CHECK (points >= 0 AND points <= 100),
    updated_at TEXT,
    updated_by TEXT,
    PRIMARY KEY (subject, severity)
) WITHOUT ROWID;
INSERT INTO deduction_standard(subject, severity, points) VALUES
    ('*', 'high',   2.0),
    ('*', 'medium', 1.0),
    ('*', 'low',    0.5);

-- A ticket's deductions: one business row per ticket, made at dispatch from the standard
-- (`proposed`, with the per-finding basis as JSON), adjusted by a reviewer with a reason
-- (`points`); and direct deductions (营销差错 / 责任事故) the ticket triggered. `entry_id` is the
-- quality_entries row that counts in the evaluation (NULL: nothing counts, 0 points or a
-- ticket unit with units below it).
CREATE TABLE ticket_deductions (
    id            INTEGER PRIMARY KEY,
    ticket_id     INTEGER NOT NULL REFERENCES tickets(id),
    kind          TEXT NOT NULL CHECK (kind IN ('business','direct')),
    unit          TEXT NOT NULL,
    entry_id      INTEGER REFERENCES quality_entries(id),
    level         TEXT,
    proposed      REAL NOT NULL,
    points        REAL NOT NULL,
    basis         TEXT NOT NULL,            -- JSON
    created_on    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    adjusted_by   TEXT,
    adjusted_on   TEXT,
    adjust_reason TEXT,
    version       INTEGER NOT NULL DEFAULT 1,
    CHECK ((kind = 'direct') = (level IS NOT NULL))
);
CREATE UNIQUE INDEX ticket_deductions_business ON ticket_deductions(ticket_id) WHERE kind = 'business';

-- Who is responsible and the accountability outcome (问责), named at `ticket submit`.
CREATE TABLE ticket_accountability (
    ticket_id   INTEGER PRIMARY KEY REFERENCES tickets(id),
    person      TEXT,
    outcome     TEXT CHECK (outcome IN ('none','criticism','assessment','discipline')),
    recorded_by TEXT NOT NULL,
    recorded_on TEXT NOT NULL,
    CHECK (person IS NOT NULL OR outcome IS NOT NULL)
);

-- QC (稽查质检): a month's sample of approved tickets per unit, drawn once, reproducibly.
CREATE TABLE qc_samples (
    id          INTEGER PRIMARY KEY,
    month       TEXT NOT NULL,              -- YYYY-MM
    unit        TEXT NOT NULL,              -- tickets.unit of the population
    seed        INTEGER NOT NULL,
    ratio       REAL NOT NULL,
    population  INTEGER NOT NULL,
    digest      TEXT NOT NULL,              -- SHA-256 of the population's ticket numbers, one a line
    drawn_by    TEXT NOT NULL,
    drawn_at    TEXT NOT NULL,
    drawn_on    TEXT NOT NULL,
    UNIQUE (month, unit)
);
CREATE TABLE qc_sample_tickets (
    sample_id INTEGER NOT NULL REFERENCES qc_samples(id),
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    PRIMARY KEY (sample_id, ticket_id)
) WITHOUT ROWID;

-- One score per sampled ticket and checklist item (004 part 8, items 1-6); a later score of
-- the same item replaces it (the log keeps every one).
CREATE TABLE qc_scores (
    ticket_id   INTEGER NOT NULL REFERENCES tickets(id),
    item        INTEGER NOT NULL CHECK (item BETWEEN 1 AND 6),
    passed      INTEGER NOT NULL CHECK (passed IN (0,1)),
    note        TEXT NOT NULL,
    scored_by   TEXT NOT NULL,
    scored_unit TEXT,
    scored_at   TEXT NOT NULL,
    scored_on   TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (ticket_id, item)
) WITHOUT ROWID;

-- A quality indicator's value can be a unit's QC score (`qc_score`): the CHECK on `source`
-- is widened, so the indicators and their values are copied into tables of the new shape,
-- row for row (same ids and values, as migration 9 did).
CREATE TABLE quality_indicators_m12 (
    id          INTEGER PRIMARY KEY,
    category    TEXT NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('main','process')),
    level       TEXT NOT NULL CHECK (level IN ('province','city','county','station','department','district')),
    base_value  REAL NOT NULL,
    full_value  REAL NOT NULL,
    full_score  REAL NOT NULL CHECK (full_score > 0),
    direction   TEXT NOT NULL CHECK (direction IN ('higher','lower')),
    source      TEXT NOT NULL CHECK (source IN ('manual','completion_rate','overdue_rate',
                                                'rectification_rate','findings_per_1000','amount_recovered',
                                                'qc_score')),
    enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0,1)),
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    CHECK ((direction = 'higher' AND full_value > base_value) OR (direction = 'lower' AND full_value < base_value))
);
INSERT INTO quality_indicators_m12 SELECT id, category, name, kind, level, base_value, full_value,
    full_score, direction, source, enabled, created_at, created_by, version FROM quality_indicators;

CREATE TABLE quality_values_m12 (
    indicator_id  INTEGER NOT NULL REFERENCES quality_indicators_m12(id),
    unit          TEXT NOT NULL,
    period        TEXT NOT NULL,
    value         REAL NOT NULL,
    entered_by    TEXT NOT NULL,
    entered_at    TEXT NOT NULL,
    business_date TEXT NOT NULL,
    PRIMARY KEY (indicator_id, unit, period)
) WITHOUT ROWID;
INSERT INTO quality_values_m12 SELECT indicator_id, unit, period, value, entered_by, entered_at,
    business_date FROM quality_values;

DROP TABLE quality_values;
DROP TABLE quality_indicators;
ALTER TABLE quality_indicators_m12 RENAME TO quality_indicators;
ALTER TABLE quality_values_m12 RENAME TO quality_values;
