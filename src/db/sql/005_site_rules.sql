-- Schema version 5 (site rules, rules.md "Site rules"): an audit centre's own checks, added by
-- an admin without a new release. The file text is kept as given, with its SHA-256: what ran
-- and what was logged can be compared byte for byte. A removed rule keeps its row
-- (removed_at set) so that its findings, which stay as history, still have a name.
CREATE TABLE site_rules (
    id         TEXT PRIMARY KEY,          -- 'X-…', never a built-in id
    name_zh    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    category   TEXT NOT NULL,             -- one of the built-in categories (Category::as_str)
    severity   TEXT NOT NULL CHECK (severity IN ('high','medium','low')),
    checks_zh  TEXT NOT NULL,
    checks_en  TEXT NOT NULL,
    source     TEXT NOT NULL,             -- the TOML file as added
    sha256     TEXT NOT NULL,             -- hex SHA-256 of source
    enabled    INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0,1)),
    added_at   TEXT NOT NULL,
    added_by   TEXT NOT NULL,
    removed_at TEXT,                      -- NULL while the rule is in the pack
    version    INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;

-- Which version of every site rule each scan ran.
CREATE TABLE scan_site_rules (
    scan_id INTEGER NOT NULL REFERENCES scans(id),
    rule    TEXT NOT NULL,
    sha256  TEXT NOT NULL,
    PRIMARY KEY (scan_id, rule)
) WITHOUT ROWID;
