//! Several `jicha` processes write one dataset at the same time: no change is lost, no raw
//! "database is locked" reaches the operator, and the log is complete and verifies.
//!
//! The dataset is a `VACUUM INTO` copy, which is in rollback mode: the writers' first opens race
//! to switch it to WAL, the step whose SQLITE_BUSY skips SQLite's busy handler. One round of
//! it; `tests/concurrency_matrix.rs` runs fifty, and the other situations.

mod common;
use std::process::Command;

#[test]
fn concurrent_cli_writers_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.jicha");
    {
        // The fixture's creator is a placeholder; make the real login an auditor of a copy.
        let (_fd, ds) = common::fixture();
        common::vacuum_into(&ds.conn, &db);
    }
    let me = jicha::context::os_login();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "INSERT INTO operators(login, role, added_at, added_by) VALUES (?1, 'auditor', 't', 't')",
        [&me],
    )
    .unwrap();
    let log_before: i64 = conn
        .query_row("SELECT count(*) FROM action_log", [], |r| r.get(0))
        .unwrap();
    drop(conn);
    assert!(
        matches!(
            jicha::db::header::read(&db).unwrap(),
            jicha::db::header::FileKind::Sqlite { wal: false, .. }
        ),
        "the copy starts in rollback mode"
    );

    const WRITERS: usize = 4;
    const EACH: usize = 15;
    let handles: Vec<_> = (0..WRITERS)
        .map(|w| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                for i in 0..EACH {
                    let finding = (i % 5 + 1).to_string();
                    let text = format!("writer {w} note {i} 备注");
                    let out = Command::new(env!("CARGO_BIN_EXE_jicha"))
                        .arg("--db")
                        .arg(&db)
                        .args([
                            "--today",
                            "2026-11-02",
                            "finding",
                            "note",
                            &finding,
                            "--text",
                            &text,
                        ])
                        .output()
                        .unwrap();
                    if !out.status.success() {
                        failures.push(String::from_utf8_lossy(&out.stderr).into_owned());
                    }
                }
                failures
            })
        })
        .collect();
    let failures: Vec<String> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    assert!(failures.is_empty(), "writers failed: {failures:?}");
    assert!(
        matches!(
            jicha::db::header::read(&db).unwrap(),
            jicha::db::header::FileKind::Sqlite { wal: true, .. }
        ),
        "the writers switched it to WAL"
    );

    let conn = rusqlite::Connection::open(&db).unwrap();
    let notes: i64 = conn
        .query_row("SELECT count(*) FROM finding_notes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(notes as usize, WRITERS * EACH);
    for w in 0..WRITERS {
        for i in 0..EACH {
            let n: i64 = conn
                .query_row(
                    "SELECT count(*) FROM finding_notes WHERE text = ?1",
                    [format!("writer {w} note {i} 备注")],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(n, 1, "writer {w} note {i} present exactly once");
        }
    }
    let log_after: i64 = conn
        .query_row("SELECT count(*) FROM action_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!((log_after - log_before) as usize, WRITERS * EACH);
    let v = jicha::actionlog::verify(&conn).unwrap();
    assert!(v.first_broken.is_none(), "{:?}", v.first_broken);
}
