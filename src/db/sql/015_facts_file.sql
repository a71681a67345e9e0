-- Schema version 15 (issue 15, "an import never blocks triage"): the facts — the data-contract
-- tables, `imports` and `source_history` — move into their own SQLite file beside the workflow
-- file, `<dataset>.facts`, attached as the schema `facts` (src/db/facts.rs). Before this runs,
-- in the same transaction, `facts::build_from` has built that file from these tables and put
-- it in place, and `meta` has been given the pairing id and the last landed import; until this
-- commits the workflow file still holds every row (a facts file left by a crash is a copy that
-- the next attempt replaces). Children first: with foreign keys on, DROP TABLE deletes first.
DROP TABLE main.bills;
DROP TABLE main.meters;
DROP TABLE main.external_findings;
DROP TABLE main.suspensions;
DROP TABLE main.contracts;
DROP TABLE main.applications;
DROP TABLE main.units;
DROP TABLE main.source_history;
DROP TABLE main.imports;
DROP TABLE main.customers;
