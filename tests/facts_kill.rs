//! An import killed at any point lands whole or not at all (issue 15 item 4): aborted just
//! before its facts commit (nothing), just after it (rolled forward by the next open: the log
//! record is written), and a real `kill -9` of a child `jicha import` mid-run.

use jicha::db::{facts, Dataset};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn demo(out: &Path, customers: u64, seed: u64) {
    let opts = jicha::demo::DemoOptions {
        customers,
        months: 8,
        seed,
        end_period: "2026-10".into(),
    };
    jicha::demo::write_demo(out, &opts, &mut jicha::progress::silent).unwrap();
}

/// A dataset with export A imported (through the CLI) and export B beside it.
fn setup(b_customers: u64) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    demo(&a, 20, 1);
    demo(&b, b_customers, 2);
    let db = dir.path().join("t.jicha");
    let out = jicha(&db, &a, None).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, db, b)
}

fn jicha(db: &Path, export: &Path, abort: Option<&str>) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jicha"));
    c.arg("--db")
        .arg(db)
        .args(["--today", "2026-11-02", "--operator", "admin1", "import"])
        .arg(export)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(point) = abort {
        c.env(jicha::import::land::ABORT_ENV, point);
    }
    c
}

/// (imports in the facts file, import records in the log, customers), read from the two files
/// directly (opening a `Dataset` would roll forward).
fn raw_state(db: &Path) -> (i64, i64, i64) {
    let conn = Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    conn.execute(
        "ATTACH DATABASE ?1 AS facts",
        [facts::path_of(db).to_string_lossy().into_owned()],
    )
    .unwrap();
    let n = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    (
        n("SELECT count(*) FROM facts.imports"),
        n("SELECT count(*) FROM main.action_log WHERE action = 'import'"),
        n("SELECT count(*) FROM facts.customers"),
    )
}

fn assert_verifies(ds: &Dataset) {
    let report = jicha::ledger::verify(&ds.conn).unwrap();
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    let log = jicha::actionlog::verify(&ds.conn).unwrap();
    assert!(log.first_broken.is_none());
    assert_eq!(log.records, log_records(ds));
}

fn log_records(ds: &Dataset) -> u64 {
    ds.conn
        .query_row("SELECT count(*) FROM action_log", [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap() as u64
}

#[test]
fn killed_just_before_the_facts_commit_the_import_left_nothing() {
    let (_dir, db, b) = setup(30);
    let before = raw_state(&db);
    let out = jicha(&db, &b, Some("before_commit")).output().unwrap();
    assert!(!out.status.success(), "the child was aborted");
    assert_eq!(
        raw_state(&db),
        before,
        "nothing of the import in either file"
    );
    let ds = Dataset::open(&db).unwrap();
    assert_eq!(raw_state(&db), before, "and nothing to roll forward");
    assert_verifies(&ds);
}

#[test]
fn killed_just_after_the_facts_commit_the_import_is_rolled_forward_on_open() {
    let (_dir, db, b) = setup(30);
    let (imports, records, _) = raw_state(&db);
    let out = jicha(&db, &b, Some("after_commit")).output().unwrap();
    assert!(!out.status.success(), "the child was aborted");
    let (imports_now, records_now, customers) = raw_state(&db);
    assert_eq!(imports_now, imports + 1, "the facts commit happened");
    assert_eq!(records_now, records, "its log record did not");
    let ds = Dataset::open(&db).unwrap();
    let (imports_then, records_then, customers_then) = raw_state(&db);
    assert_eq!((imports_then, customers_then), (imports_now, customers));
    assert_eq!(records_then, records + 1, "opening wrote the record");
    let (target, details): (String, String) = ds
        .conn
        .query_row(
            "SELECT target, details FROM action_log WHERE action = 'import' ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(target, format!("import:{imports_now}"));
    assert!(
        details.contains("\"files\"") && details.contains("customers.csv"),
        "{details}"
    );
    assert_verifies(&ds);
    drop(ds);
    // Opening again writes nothing more.
    drop(Dataset::open(&db).unwrap());
    assert_eq!(raw_state(&db).1, records + 1);
}

/// A real SIGKILL while the child imports (its facts WAL growing): afterwards the dataset holds
/// the import whole (and its record) or not at all, and verifies.
#[test]
fn kill_9_of_a_child_import_mid_run_is_whole_or_nothing() {
    let (dir, db, b) = setup(4000);
    let before = raw_state(&db);
    let expected_after = {
        // The same import, uninterrupted, on a copy: what "whole" looks like.
        let copy = dir.path().join("whole.jicha");
        let a = dir.path().join("a");
        let out = jicha(&copy, &a, None).output().unwrap();
        assert!(out.status.success());
        let out = jicha(&copy, &b, None).output().unwrap();
        assert!(out.status.success());
        raw_state(&copy).2
    };
    let mut child = jicha(&db, &b, None).spawn().unwrap();
    let wal = {
        let mut p = facts::path_of(&db).into_os_string();
        p.push("-wal");
        PathBuf::from(p)
    };
    // Kill once the import is writing the facts file (or it ended first, which the
    // assertions below also accept).
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 256 * 1024) {
            child.kill().unwrap(); // SIGKILL
            eprintln!(
                "killed mid-run, facts WAL at {} bytes",
                std::fs::metadata(&wal).map_or(0, |m| m.len())
            );
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.wait().unwrap();
    let ds = Dataset::open(&db).unwrap();
    let (imports, records, customers) = raw_state(&db);
    eprintln!("after the kill: {imports} imports, {records} records, {customers} customers");
    if imports == before.0 {
        assert_eq!((records, customers), (before.1, before.2), "nothing");
    } else {
        assert_eq!(imports, before.0 + 1);
        assert_eq!(records, before.1 + 1, "whole, with its record");
        assert_eq!(customers, expected_after);
    }
    assert_verifies(&ds);
}
