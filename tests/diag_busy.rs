//! The diagnostic log records busy retries: a write that meets another connection holding the
//! dataset's write lock logs the wait at once (target `jicha::busy`, "retrying", `retry=1`)
//! and, once it got the lock, how the wait ended. The test releases the lock only after the
//! log shows the write waiting on it, so the order of events is fixed, not timed.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

/// Everything the daily files of `dir` hold (a run across midnight UTC writes two).
fn log_text(dir: &Path) -> String {
    let mut text = String::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        text.push_str(&std::fs::read_to_string(f).unwrap_or_default());
    }
    text
}

#[test]
fn a_write_that_meets_a_held_lock_logs_the_retry_and_how_it_ended() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    let (_fd, ds) = common::fixture();
    let db = ds.path.clone();
    drop(ds);
    // Whoever runs the test writes as themselves: make them an auditor.
    let holder = rusqlite::Connection::open(&db).unwrap();
    holder
        .execute(
            "INSERT OR IGNORE INTO operators(login, role, added_at, added_by) VALUES (?1, 'auditor', 't', 't')",
            [jicha::context::os_login()],
        )
        .unwrap();
    let notes_before: i64 = holder
        .query_row("SELECT count(*) FROM action_log", [], |r| r.get(0))
        .unwrap();

    // Another connection holds the write lock.
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jicha"))
        .arg("--db")
        .arg(&db)
        .arg("--log-dir")
        .arg(&logs)
        .args([
            "--today",
            "2026-11-02",
            "finding",
            "note",
            "1",
            "--text",
            "busy test",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    // Wait until the write says it is waiting for the lock. Should the line never come, the
    // child gives up after its busy window and exits, which ends the wait with a failure.
    let busy_line = loop {
        if let Some(line) = log_text(&logs)
            .lines()
            .find(|l| l.contains("jicha::busy") && l.contains("retrying"))
        {
            break line.to_string();
        }
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            panic!(
                "the write ended ({status}) with no busy line logged:\n{err}\n{}",
                log_text(&logs)
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    assert!(busy_line.contains("WARN"), "{busy_line}");
    assert!(
        busy_line.contains("retry=1"),
        "the retry is named: {busy_line}"
    );
    assert!(
        busy_line.contains("another connection holds the lock"),
        "{busy_line}"
    );

    // Release it: the write goes through.
    holder.execute_batch("COMMIT").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let notes_after: i64 = holder
        .query_row("SELECT count(*) FROM action_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(notes_after, notes_before + 1, "the note was written once");

    let text = log_text(&logs);
    let ended = text
        .lines()
        .find(|l| l.contains("jicha::busy") && l.contains("dataset busy wait ended"))
        .unwrap_or_else(|| panic!("no line saying how the wait ended:\n{text}"));
    assert!(ended.contains("ok=true"), "{ended}");
    assert!(
        !ended.contains("handler_waits=0"),
        "the waits in SQLite's busy handler are counted: {ended}"
    );
}
