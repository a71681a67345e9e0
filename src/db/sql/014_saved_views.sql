-- Saved views (已存视图): an operator's named filters of the findings list, one of them maybe
-- pinned to the dashboard. Each operator's own; saving, deleting and pinning are logged actions.
CREATE TABLE saved_views (
    id         INTEGER PRIMARY KEY,
    operator   TEXT NOT NULL,
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
    status     TEXT,
    rule       TEXT,
    unit       TEXT,
    severity   TEXT,
    level      INTEGER,
    text       TEXT,
    suppressed TEXT NOT NULL DEFAULT 'hide' CHECK (suppressed IN ('hide', 'only', 'include')),
    pinned     INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    saved_at   TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    UNIQUE (operator, name)
);
