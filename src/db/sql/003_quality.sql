-- Schema version 3: quality evaluation (营销服务工作质量评价): indicators as data, values entered
-- by hand, deductions / bonuses, and the points of each direct-deduction level.

-- base_value earns 0 points; full_value (满分值) is the value that earns full_score points;
-- a value between them earns points linearly. direction says which way is better and must
-- agree with base vs full value (higher: full > base; lower: full < base).
CREATE TABLE quality_indicators (
    id          INTEGER PRIMARY KEY,
    category    TEXT NOT NULL,             -- 业务类别, free text (电费管理, 计量管理, 业扩报装, …)
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('main','process')),
    level       TEXT NOT NULL CHECK (level IN ('station','district')),
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

-- A hand-entered value of an indicator for one unit and one period ('2026-11', '2026-H1', '2026').
CREATE TABLE quality_values (
    indicator_id  INTEGER NOT NULL REFERENCES quality_indicators(id),
    unit          TEXT NOT NULL,
    period        TEXT NOT NULL,
    value         REAL NOT NULL,
    entered_by    TEXT NOT NULL,
    entered_at    TEXT NOT NULL,
    business_date TEXT NOT NULL,
    PRIMARY KEY (indicator_id, unit, period)
) WITHOUT ROWID;

-- Points taken off or added: business (业务评价 deduction, from an audit ticket), direct
-- (直接扣分 for a marketing error or accident, with a level) and bonus (奖励加分).
-- Entries are never deleted: a wrong one is revoked with a reason and stops counting.
CREATE TABLE quality_entries (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('business','direct','bonus')),
    unit          TEXT NOT NULL,
    on_date       TEXT NOT NULL,
    points        REAL NOT NULL CHECK (points > 0),
    reason        TEXT NOT NULL,
    ticket        TEXT,                    -- business: the ticket number that found the errors
    level         TEXT,                    -- direct: the level (its points are copied in `points`)
    entered_by    TEXT NOT NULL,
    entered_at    TEXT NOT NULL,
    revoked_on    TEXT,
    revoked_by    TEXT,
    revoke_reason TEXT,
    CHECK ((kind = 'business') = (ticket IS NOT NULL)),
    CHECK ((kind = 'direct') = (level IS NOT NULL))
);
CREATE INDEX quality_entries_unit ON quality_entries(unit, on_date);

-- Direct-deduction levels and their points, kept as data like thresholds.
CREATE TABLE quality_levels (
    level      TEXT PRIMARY KEY,
    label      TEXT NOT NULL,
    points     REAL NOT NULL CHECK (points > 0),
    updated_at TEXT,
    updated_by TEXT
) WITHOUT ROWID;

INSERT INTO quality_levels(level, label, points) VALUES
    ('minor',    '一般营销差错 minor marketing error', 1.0),
    ('major',    '严重营销差错 major marketing error', 3.0),
    ('accident', '责任事故 liability accident',        5.0);

-- Default indicators, computed from the audit loop itself so that a new dataset scores
-- something at once; an admin edits, disables or adds to them. Rates are fractions (0.9 = 90%).
INSERT INTO quality_indicators(category, name, kind, level, base_value, full_value, full_score, direction, source, created_at, created_by) VALUES
    ('稽查管理', '稽查问题完成率',     'main',    'station', 0.6, 1.0, 40, 'higher', 'completion_rate',    '', 'jicha'),
    ('稽查管理', '异常问题整改完成率', 'main',    'station', 0.6, 1.0, 40, 'higher', 'rectification_rate', '', 'jicha'),
    ('稽查管理', '稽查超期率',         'main',    'station', 0.3, 0.0, 20, 'lower',  'overdue_rate',       '', 'jicha'),
    ('营销管理', '千户新增异常数',     'process', 'station', 50,  0,   100, 'lower', 'findings_per_1000',  '', 'jicha');
