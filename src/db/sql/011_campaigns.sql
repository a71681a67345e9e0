-- Schema version 11: 专项稽查 (campaigns) and 抽检 (samples), workflow issue 14.
-- A campaign's findings are not copied: a finding belongs to it when it lies in its scope
-- (rules, units with their subtrees, customer categories; an empty JSON list means all) and
-- was seen during its period (first_seen <= period_to and last_seen >= period_from).
CREATE TABLE campaigns (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,   -- ZX-YYYYMMDD-NNN
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('routine','special','incident')),
    method         TEXT NOT NULL CHECK (method IN ('online','onsite')),
    rules          TEXT NOT NULL DEFAULT '[]',  -- JSON array of rule ids; [] = every rule
    units          TEXT NOT NULL DEFAULT '[]',  -- JSON array of unit names; [] = every unit
    categories     TEXT NOT NULL DEFAULT '[]',  -- JSON array of customer categories; [] = all
    period_from    TEXT NOT NULL,
    period_to      TEXT NOT NULL,
    owner          TEXT NOT NULL,          -- the operator in charge
    state          TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','closed')),
    source_finding INTEGER REFERENCES findings(id),  -- 举一反三: the finding it spread from
    created_by     TEXT NOT NULL,
    created_on     TEXT NOT NULL,
    closed_by      TEXT,
    closed_on      TEXT,
    version        INTEGER NOT NULL DEFAULT 1,
    CHECK (period_from <= period_to),
    CHECK ((state = 'closed') = (closed_on IS NOT NULL))
);

-- The campaign a ticket was dispatched for (NULL: none).
ALTER TABLE tickets ADD COLUMN campaign TEXT REFERENCES campaigns(number);
CREATE INDEX tickets_campaign ON tickets(campaign);

-- A drawn sample: what it was drawn from, the seed, and a fingerprint of the population.
CREATE TABLE samples (
    id                INTEGER PRIMARY KEY,
    number            TEXT NOT NULL UNIQUE,   -- CY-YYYYMMDD-NNN
    rule              TEXT,                   -- the population: a rule's open findings …
    campaign          TEXT REFERENCES campaigns(number),  -- … or a campaign's
    unit              TEXT,                   -- only stations under it; NULL: every unit
    of_what           TEXT NOT NULL CHECK (of_what IN ('findings','customers')),
    ratio             REAL NOT NULL CHECK (ratio > 0 AND ratio <= 1),
    seed              TEXT NOT NULL,          -- u64 in decimal
    population        INTEGER NOT NULL,
    population_sha256 TEXT NOT NULL,
    drawn_by          TEXT NOT NULL,
    drawn_on          TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1,
    CHECK ((rule IS NULL) <> (campaign IS NULL))
);

-- The drawn items, per station, in the order they were drawn.
CREATE TABLE sample_items (
    sample_id INTEGER NOT NULL REFERENCES samples(id),
    item      TEXT NOT NULL,                 -- a finding id, or a cust_no
    station   TEXT NOT NULL,
    position  INTEGER NOT NULL,              -- order of the draw within its station
    PRIMARY KEY (sample_id, item)
) WITHOUT ROWID;
