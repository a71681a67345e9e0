//! Migration 15: a single-file dataset (schema 14) moves its facts tables into the new facts
//! file on open, all or nothing, keeping every row.

use jicha::db::{facts, migrations, Dataset};
use rusqlite::Connection;
use std::path::Path;

const OLD: &[&str] = &[
    include_str!("../src/db/sql/001_init.sql"),
    include_str!("../src/db/sql/002_tickets.sql"),
    include_str!("../src/db/sql/003_quality.sql"),
    include_str!("../src/db/sql/004_state_ledger.sql"),
    include_str!("../src/db/sql/005_site_rules.sql"),
    include_str!("../src/db/sql/006_units.sql"),
    include_str!("../src/db/sql/007_review_chain.sql"),
    include_str!("../src/db/sql/008_escalations.sql"),
    include_str!("../src/db/sql/009_quality_levels.sql"),
    include_str!("../src/db/sql/010_inspections.sql"),
    include_str!("../src/db/sql/011_campaigns.sql"),
    include_str!("../src/db/sql/012_deductions_qc.sql"),
    include_str!("../src/db/sql/013_source_history.sql"),
    include_str!("../src/db/sql/014_saved_views.sql"),
];

/// A schema-14 dataset file: two customers, their bills, an import, a source history row, a
/// finding.
fn old_dataset(path: &Path) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("PRAGMA journal_mode=WAL;").unwrap();
    for sql in OLD {
        conn.execute_batch(sql).unwrap();
    }
    conn.execute_batch(&format!(
        "PRAGMA user_version = 14; PRAGMA application_id = {};
         INSERT INTO meta(key, value) VALUES ('created_at', '2026-01-01T00:00:00Z'), ('created_by', 'admin1'), ('timezone', 'Asia/Shanghai');
         INSERT INTO operators(login, role, name, added_at, added_by) VALUES ('admin1', 'admin', NULL, 't', 'admin1');
         INSERT INTO imports(id, at_utc, business_date, operator, source_dir, summary) VALUES (1, 't', '2026-10-01', 'admin1', '/x', '{{}}'), (2, 't', '2026-11-01', 'admin1', '/x', '{{}}');
         INSERT INTO customers VALUES
           ('C1','张三',NULL,'张三','13800000000','resident','RES','single',0.22,8,NULL,0,0,'城关供电所','西湖区','2020-01-01','active',NULL,1,2),
           ('C2','李四',NULL,'李四','13800000001','resident','RES','single',0.22,8,NULL,0,0,'城关供电所','西湖区','2020-01-01','active',NULL,2,3);
         INSERT INTO bills VALUES ('C1','2026-09','2026-09-30',0,100,1,100,0,50,50,1,2), ('C1','2026-10','2026-10-31',100,180,1,80,0,40,40,2,2);
         INSERT INTO source_history(file, key, cust_no, kind, old, new, since_import, replaced_by)
           VALUES ('customers.csv', '[\"C1\"]', 'C1', 'changed', '{{\"name\":\"张\"}}', '{{\"name\":\"张三\"}}', 1, 2);
         INSERT INTO scans(id, started_at, finished_at, business_date, as_of, operator, thresholds, summary)
           VALUES (1,'t','t','2026-11-01','2026-11-01','admin1','{{}}','{{}}');
         INSERT INTO findings(id, rule, cust_no, subject, status, severity, evidence, first_seen, last_seen, first_scan, last_scan, status_date)
           VALUES (1,'ARC-01','C1','-','ticketed','low','phone','2026-11-01','2026-11-01',1,1,'2026-11-01');",
        migrations::APPLICATION_ID
    ))
    .unwrap();
    drop(conn);
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_schema_14_dataset_moves_its_facts_into_the_facts_file_keeping_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.jicha");
    old_dataset(&path);
    let ds = Dataset::open(&path).unwrap();
    assert_eq!(
        migrations::user_version(&ds.conn).unwrap(),
        migrations::SCHEMA_VERSION
    );
    assert!(facts::path_of(&path).exists());
    for table in facts::TABLES {
        assert_eq!(
            facts::schema_of(&ds.conn, table).unwrap(),
            "facts",
            "{table}"
        );
    }
    assert_eq!(count(&ds.conn, "SELECT count(*) FROM customers"), 2);
    assert_eq!(count(&ds.conn, "SELECT count(*) FROM facts.bills"), 2);
    assert_eq!(count(&ds.conn, "SELECT count(*) FROM facts.imports"), 2);
    assert_eq!(
        count(&ds.conn, "SELECT count(*) FROM facts.source_history"),
        1
    );
    let name: String = ds
        .conn
        .query_row("SELECT name FROM customers WHERE cust_no = 'C2'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(name, "李四");
    // The workflow file keeps the workflow and no longer the facts.
    assert_eq!(count(&ds.conn, "SELECT count(*) FROM main.findings"), 1);
    assert_eq!(
        count(&ds.conn, "SELECT count(*) FROM main.sqlite_schema WHERE name IN ('customers', 'bills', 'imports')"),
        0
    );
    // The old imports had their records: nothing to roll forward.
    assert!(jicha::import::land::pending(&ds.conn).unwrap().is_empty());
    // The indexes came along.
    assert!(
        count(&ds.conn, "SELECT count(*) FROM facts.sqlite_schema WHERE type = 'index' AND name = 'source_history_cust'") == 1
    );
    drop(ds);
    // Opened again: as it was.
    let ds = Dataset::open(&path).unwrap();
    assert_eq!(count(&ds.conn, "SELECT count(*) FROM customers"), 2);
}

/// A facts file left by an upgrade that died before its commit (the workflow file still at
/// schema 14, holding every row) is replaced by the next attempt.
#[test]
fn a_facts_file_left_by_an_upgrade_that_died_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.jicha");
    old_dataset(&path);
    // What a dead upgrade leaves: a facts file with some of the rows, never committed to.
    let left = Connection::open(facts::path_of(&path)).unwrap();
    left.execute_batch(&format!(
        "PRAGMA application_id = {}; CREATE TABLE customers(cust_no TEXT); INSERT INTO customers VALUES ('C1');",
        facts::APPLICATION_ID
    ))
    .unwrap();
    drop(left);
    let ds = Dataset::open(&path).unwrap();
    assert_eq!(count(&ds.conn, "SELECT count(*) FROM customers"), 2);
    assert_eq!(count(&ds.conn, "SELECT count(*) FROM facts.bills"), 2);
}

/// A file at the facts file's place that is not a jicha facts file stops the upgrade: the
/// dataset stays at schema 14 with every row, and the file is left alone.
#[test]
fn an_upgrade_that_cannot_place_the_facts_file_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.jicha");
    old_dataset(&path);
    std::fs::write(facts::path_of(&path), "someone's notes").unwrap();
    let e = Dataset::open(&path).err().expect("refused");
    assert!(
        e.to_string().contains("is not this dataset's facts file"),
        "{e}"
    );
    assert_eq!(
        std::fs::read_to_string(facts::path_of(&path)).unwrap(),
        "someone's notes"
    );
    let conn = Connection::open(&path).unwrap();
    assert_eq!(migrations::user_version(&conn).unwrap(), 14);
    assert_eq!(count(&conn, "SELECT count(*) FROM customers"), 2);
    assert_eq!(count(&conn, "SELECT count(*) FROM bills"), 2);
}
