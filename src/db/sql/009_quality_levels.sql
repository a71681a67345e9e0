-- Schema version 9: a quality indicator evaluates units of any
-- level of the audit organisation (units::Hierarchy: province, city, county, station,
-- department), not only station or district. SQLite cannot change a CHECK in place, so the
-- indicators and their entered values are copied into tables of the new shape, row for row
-- (same ids, same values: the state ledger's hashes of them stay valid). `district`, the word
-- of older datasets, is kept where stored and read as `county` (the level a district always
-- stood for, as `Hierarchy::load` makes districts county units); new rows say `county`.

CREATE TABLE quality_indicators_v12 (
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
                                                'rectification_rate','findings_per_1000','amount_recovered')),
    enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0,1)),
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    CHECK ((direction = 'higher' AND full_value > base_value) OR (direction = 'lower' AND full_value < base_value))
);
INSERT INTO quality_indicators_v12 SELECT id, category, name, kind, level, base_value, full_value,
    full_score, direction, source, enabled, created_at, created_by, version FROM quality_indicators;

CREATE TABLE quality_values_v12 (
    indicator_id  INTEGER NOT NULL REFERENCES quality_indicators_v12(id),
    unit          TEXT NOT NULL,
    period        TEXT NOT NULL,
    value         REAL NOT NULL,
    entered_by    TEXT NOT NULL,
    entered_at    TEXT NOT NULL,
    business_date TEXT NOT NULL,
    PRIMARY KEY (indicator_id, unit, period)
) WITHOUT ROWID;
INSERT INTO quality_values_v12 SELECT indicator_id, unit, period, value, entered_by, entered_at,
    business_date FROM quality_values;

-- The child first, so that no row refers to the table being dropped.
DROP TABLE quality_values;
DROP TABLE quality_indicators;
-- Renaming rewrites quality_values_v12's reference to the new name.
ALTER TABLE quality_indicators_v12 RENAME TO quality_indicators;
ALTER TABLE quality_values_v12 RENAME TO quality_values;
