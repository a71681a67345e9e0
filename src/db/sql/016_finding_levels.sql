-- Level history of findings (QC whitelist audit: "got worse while frozen"): a row each time a
-- scan gives a finding a severity or a THF-01 level other than its last recorded one (the first
-- sighting included), written in the scan's findings transaction. A finding's severity and
-- level at any scan are those of its latest row at or before that scan.
CREATE TABLE finding_levels (
    id          INTEGER PRIMARY KEY,
    finding_id  INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
    scan_id     INTEGER,
    seen_on     TEXT NOT NULL,
    severity    TEXT NOT NULL,
    level       INTEGER
);
CREATE INDEX finding_levels_by_finding ON finding_levels(finding_id, id);

-- What the dataset knows already: each finding's current severity and level as of its last
-- sighting (the changes before it were not kept).
INSERT INTO finding_levels(finding_id, scan_id, seen_on, severity, level)
SELECT id, last_scan, last_seen, severity, level FROM findings ORDER BY id;
