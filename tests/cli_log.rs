//! The action log through the real binary: records appear, `log verify` passes, and an edit
//! made behind the program's back is named by `log verify`.

use std::process::Command;

fn jicha(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_jicha"))
        .arg("--db")
        .arg(db)
        .args(["--today", "2026-11-02"])
        .args(args)
        .env_remove("JICHA_DB")
        .output()
        .unwrap()
}

fn me() -> String {
    jicha::context::os_login()
}

#[test]
fn verify_names_the_record_edited_behind_our_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.jicha");
    jicha::db::Dataset::create(&db, &me(), "2026-01-01T00:00:00Z").unwrap();
    for (name, value) in [
        ("surge_ratio", "2.5"),
        ("drop_ratio", "0.25"),
        ("resident_max_kwh", "3500"),
    ] {
        let out = jicha(&db, &["thresholds", "set", name, value]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = jicha(&db, &["log", "verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("3 records"));

    // Tamper: drop the append-only guard and rewrite record 2's details.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER action_log_no_update;
         UPDATE action_log SET details = replace(details, '0.25', '0.9') WHERE seq = 2;",
    )
    .unwrap();
    drop(conn);
    let out = jicha(&db, &["log", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken at record 2"), "{err}");
    assert!(err.contains("edited"), "{err}");
}

#[test]
fn deleted_record_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.jicha");
    jicha::db::Dataset::create(&db, &me(), "2026-01-01T00:00:00Z").unwrap();
    for v in ["2.1", "2.2", "2.3"] {
        assert!(jicha(&db, &["thresholds", "set", "surge_ratio", v])
            .status
            .success());
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("DROP TRIGGER action_log_no_delete; DELETE FROM action_log WHERE seq = 2;")
        .unwrap();
    drop(conn);
    let out = jicha(&db, &["log", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    // The deleted record itself is named (before: the record after the gap, 3).
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken at record 2"), "{err}");
    assert!(err.contains("record 2 is missing"), "{err}");
}

#[test]
fn program_cannot_rewrite_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.jicha");
    let ds = jicha::db::Dataset::create(&db, &me(), "2026-01-01T00:00:00Z").unwrap();
    drop(ds);
    assert!(jicha(&db, &["thresholds", "set", "surge_ratio", "2.5"])
        .status
        .success());
    let conn = rusqlite::Connection::open(&db).unwrap();
    let err = conn
        .execute("UPDATE action_log SET operator = 'x'", [])
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
}

#[test]
fn bad_paths_get_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.jicha");
    let out = jicha(&missing, &["log"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such dataset"));

    let junk = dir.path().join("junk.jicha");
    std::fs::write(
        &junk,
        b"this is not sqlite at all, just some text that is long enough to matter....",
    )
    .unwrap();
    let out = jicha(&junk, &["log"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a jicha dataset"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    let other = dir.path().join("other.sqlite");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t(x);")
        .unwrap();
    let out = jicha(&other, &["log"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a jicha dataset"));

    // A dataset from a newer jicha is refused, not damaged.
    let newer = dir.path().join("newer.jicha");
    jicha::db::Dataset::create(&newer, &me(), "2026-01-01T00:00:00Z").unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99;")
        .unwrap();
    let out = jicha(&newer, &["log"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("newer jicha"));

    let out = jicha(&newer, &["findings", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2), "bad usage exits 2");
}

#[test]
fn truncation_and_rewrite_are_caught_by_the_anchor_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.jicha");
    jicha::db::Dataset::create(&db, &me(), "2026-01-01T00:00:00Z").unwrap();
    for v in ["2.1", "2.2", "2.3"] {
        assert!(jicha(&db, &["thresholds", "set", "surge_ratio", v])
            .status
            .success());
    }
    let anchor = std::fs::read_to_string(jicha::actionlog::sidecar_path(&db)).unwrap();
    assert!(anchor.starts_with("3 "), "{anchor}");
    assert!(jicha(&db, &["log", "verify"]).status.success());

    // Cut the tail: the chain that is left is intact, only the anchor shows the loss.
    let backup = dir.path().join("backup.jicha");
    std::fs::copy(&db, &backup).unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("DROP TRIGGER action_log_no_delete; DELETE FROM action_log WHERE seq = 3;")
        .unwrap();
    drop(conn);
    let out = jicha(&db, &["log", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("removed from its end"), "{err}");

    // Rewrite the whole log with a fresh, self-consistent chain: caught by the anchor hash.
    std::fs::copy(&backup, &db).unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("DROP TRIGGER action_log_no_update;")
        .unwrap();
    let mut prev = jicha::actionlog::GENESIS_HASH.to_string();
    let recs: Vec<jicha::actionlog::LogRecord> = jicha::actionlog::recent(&conn, 10)
        .unwrap()
        .into_iter()
        .rev()
        .collect();
    for mut r in recs {
        r.operator = "forger".into();
        r.prev_hash = prev.clone();
        r.hash = jicha::actionlog::record_hash(&r);
        conn.execute(
            "UPDATE action_log SET operator = ?1, prev_hash = ?2, hash = ?3 WHERE seq = ?4",
            rusqlite::params![r.operator, r.prev_hash, r.hash, r.seq],
        )
        .unwrap();
        prev = r.hash;
    }
    drop(conn);
    let out = jicha(&db, &["log", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rewritten"), "{err}");
}
