//! Fixtures shared by the integration tests: a small dataset with findings, and contexts.
#![allow(dead_code)]

use chrono::NaiveDate;
use jicha::context::{Ctx, Lang, Role};
use jicha::db::Dataset;

pub fn day(s: &str) -> NaiveDate {
    jicha::dates::parse_date(s).unwrap()
}

pub fn ctx(who: &str, role: Role, today: &str) -> Ctx {
    Ctx {
        unit: None,
        operator: who.into(),
        role,
        today: day(today),
        lang: Lang::En,
    }
}

/// Customers C1, C2 (城关供电所) and C3 (城北供电所); findings 1–5, all `new`, first seen
/// 2026-11-01 by scan 1: 1 ARC-04 C1 high, 2 BIL-05 C1 high, 3 ARC-01 C2 low,
/// 4 BIL-05 C2 high, 5 ARC-01 C3 low.
pub fn fixture() -> (tempfile::TempDir, Dataset) {
    let dir = tempfile::tempdir().unwrap();
    let mut ds = Dataset::create(
        &dir.path().join("t.jicha"),
        "admin1",
        "2026-01-01T00:00:00Z",
    )
    .unwrap();
    ds.write(|tx| {
        tx.execute_batch(
            "INSERT INTO customers VALUES
               ('C1','张三商店',NULL,'张三','13800000000','resident','RES','single',0.22,8,NULL,0,0,'城关供电所','西湖区','2020-01-01','active',NULL,1,2),
               ('C2','李四',NULL,'李四','13800000001','resident','RES','single',0.22,8,NULL,0,0,'城关供电所','西湖区','2020-01-01','active',NULL,1,3),
               ('C3','王五',NULL,'王五','','resident','RES','single',0.22,8,NULL,0,0,'城北供电所','拱墅区','2020-01-01','active',NULL,1,4);
             INSERT INTO scans(id, started_at, finished_at, business_date, as_of, operator, thresholds, summary)
               VALUES (1,'t','t','2026-11-01','2026-11-01','admin1','{}','{}');
             INSERT INTO findings(id, rule, cust_no, subject, status, severity, evidence, amount_yuan, first_seen, last_seen, first_scan, last_scan, status_date) VALUES
               (1,'ARC-04','C1','-','new','high','name 张三商店 has 商店',NULL,'2026-11-01','2026-11-01',1,1,'2026-11-01'),
               (2,'BIL-05','C1','2026-09','new','high','amount -12.00',12.0,'2026-11-01','2026-11-01',1,1,'2026-11-01'),
               (3,'ARC-01','C2','-','new','low','phone empty',NULL,'2026-11-01','2026-11-01',1,1,'2026-11-01'),
               (4,'BIL-05','C2','2026-10','new','high','amount -99.00',99.0,'2026-11-01','2026-11-01',1,1,'2026-11-01'),
               (5,'ARC-01','C3','-','new','low','phone empty',NULL,'2026-11-01','2026-11-01',1,1,'2026-11-01');",
        )?;
        Ok(())
    })
    .unwrap();
    (dir, ds)
}

pub fn status(ds: &Dataset, id: i64) -> (String, Option<String>) {
    ds.conn
        .query_row(
            "SELECT status, resolution FROM findings WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

/// `log verify`'s state check finds nothing: every change the test made went through jicha.
pub fn assert_state_verifies(ds: &Dataset) {
    let report = jicha::ledger::verify(&ds.conn).unwrap();
    assert!(
        report.problems.is_empty(),
        "false alarm: {:#?}",
        report.problems
    );
    assert!(
        report.rows_checked > 0
            || report
                .notes
                .iter()
                .any(|n| n.to_string().contains("no state ledger yet")),
        "the state check read no rows: {:?}",
        report.notes
    );
}

/// The same for the audited tables only, where a test loads source data with plain SQL (the
/// source digests rightly flag that as a change outside jicha).
pub fn assert_audited_state_verifies(ds: &Dataset) {
    let report = jicha::ledger::verify(&ds.conn).unwrap();
    let audited: Vec<&jicha::i18n::state_verify::StateProblem> = report
        .problems
        .iter()
        .filter(|p| {
            !jicha::ledger::SOURCES
                .iter()
                .any(|s| p.to_string().starts_with(&format!("{s}: ")))
        })
        .collect();
    assert!(audited.is_empty(), "false alarm: {audited:#?}");
    assert!(report.rows_checked > 0, "the state check read no rows");
}
pub mod old_log;
pub mod rule_db;

/// `<dataset>.facts`, the facts file beside a dataset.
pub fn facts_path(db: &std::path::Path) -> std::path::PathBuf {
    jicha::db::facts::path_of(db)
}

/// A plain rusqlite connection to a dataset with its facts file ATTACHed as `facts` (when it
/// exists), as every connection the program opens has it: the facts tables then resolve
/// unqualified, as in the program.
pub fn raw(db: &std::path::Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(db).unwrap();
    attach_facts(&conn, db);
    conn
}

/// Attaches the facts file of `db` to `conn` as `facts` (nothing when it does not exist).
pub fn attach_facts(conn: &rusqlite::Connection, db: &std::path::Path) {
    let facts = facts_path(db);
    if facts.exists() {
        conn.execute("ATTACH DATABASE ?1 AS facts", [facts.to_str().unwrap()])
            .unwrap();
    }
}

/// Copies a dataset with its facts file (both WAL-checkpointed first, so each copy is whole
/// in its one file) from `src` to `dst`.
pub fn copy_dataset(src: &std::path::Path, dst: &std::path::Path) {
    {
        let conn = raw(src);
        let _: (i64, i64, i64) = conn
            .query_row("PRAGMA main.wal_checkpoint(TRUNCATE)", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        if facts_path(src).exists() {
            let _: (i64, i64, i64) = conn
                .query_row("PRAGMA facts.wal_checkpoint(TRUNCATE)", [], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .unwrap();
        }
    }
    std::fs::copy(src, dst).unwrap();
    if facts_path(src).exists() {
        std::fs::copy(facts_path(src), facts_path(dst)).unwrap();
    }
}

/// `VACUUM INTO` for a two-file dataset: the workflow file to `dest` and the facts file to
/// `<dest>.facts`.
pub fn vacuum_into(conn: &rusqlite::Connection, dest: &std::path::Path) {
    conn.execute("VACUUM INTO ?1", [dest.to_str().unwrap()])
        .unwrap();
    conn.execute("VACUUM facts INTO ?1", [facts_path(dest).to_str().unwrap()])
        .unwrap();
}
