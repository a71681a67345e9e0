//! A dataset shared by a Unix group (file 0660 in a setgid directory): a second operator carries
//! on after the first one's writer was killed mid-transaction; someone outside the group, and
//! someone who may only read, get a clear message instead of a raw SQLite error.
//!
//! Needs root to create the throwaway users (CI runs as root); elsewhere it says so and stops.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const GROUP: &str = "jicha_t_audit";
const OP1: &str = "jicha_t_op1";
const OP2: &str = "jicha_t_op2";
const OUTSIDER: &str = "jicha_t_op3";

fn sh(cmd: &str, args: &[&str]) {
    let _ = Command::new(cmd)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

fn as_user(user: &str, bin: &Path, args: &[&str]) -> Output {
    Command::new("runuser")
        .args(["-u", user, "--"])
        .arg(bin)
        .args(["--today", "2026-11-23", "--lang", "en"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn group_shared_dataset_survives_a_crashed_writer() {
    if !jicha::context::is_root() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run this test as root"
        );
        eprintln!("skipped: creating test users needs root");
        return;
    }
    sh("groupadd", &[GROUP]);
    for u in [OP1, OP2, OUTSIDER] {
        sh("useradd", &["-M", "-s", "/bin/sh", u]);
    }
    for u in [OP1, OP2] {
        sh("usermod", &["-aG", GROUP, u]);
    }
    let top = tempfile::tempdir().unwrap();
    std::fs::set_permissions(top.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    // The binary and the export where every test user can read them.
    let bin = top.path().join("jicha");
    std::fs::copy(env!("CARGO_BIN_EXE_jicha"), &bin).unwrap();
    let export = top.path().join("export");
    let out = Command::new(&bin)
        .args(["demo", "--customers", "1000", "--end", "2026-10", "--out"])
        .arg(&export)
        .output()
        .unwrap();
    assert!(out.status.success());
    sh("chmod", &["-R", "a+rX", top.path().to_str().unwrap()]);
    let shared = top.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    sh("chgrp", &[GROUP, shared.to_str().unwrap()]);
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o2770)).unwrap();
    let db = shared.join("audit.jicha");
    let db_s = db.to_str().unwrap();

    // Operator 1 creates, imports, scans and makes operator 2 an auditor.
    for args in [
        vec!["--db", db_s, "import", export.to_str().unwrap()],
        vec!["--db", db_s, "scan"],
        vec!["--db", db_s, "operator", "add", OP2, "--role", "auditor"],
    ] {
        let out = as_user(OP1, &bin, &args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let meta = std::fs::metadata(&db).unwrap();
    assert_eq!(
        meta.mode() & 0o777,
        0o660,
        "a dataset in a setgid directory is group-writable"
    );

    // Operator 1's writer dies by SIGKILL in the middle of a long transaction.
    let ids: Vec<String> = (1..=300).map(|i| i.to_string()).collect();
    let ids = ids.join(",");
    let mut crashed_wal = false;
    // Sweep the moment of the kill across the writer's life until it dies with the dataset open.
    for attempt in 0..60u64 {
        let mut child = Command::new("runuser")
            .args(["-u", OP1, "--"])
            .arg(&bin)
            .args([
                "--db",
                db_s,
                "--today",
                "2026-11-23",
                "finding",
                "note",
                &ids,
                "--text",
                "op1 crashed here",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(2 + 3 * attempt));
        // runuser's child is jicha: kill the whole process group of the writer.
        sh("pkill", &["-KILL", "-u", OP1]);
        let _ = child.kill();
        let _ = child.wait();
        if shared.join("audit.jicha-wal").exists() {
            crashed_wal = true;
            break;
        }
    }
    assert!(
        crashed_wal,
        "could not leave a WAL behind by killing the writer"
    );

    // Operator 2 carries on: recovers the WAL and writes.
    let out = as_user(
        OP2,
        &bin,
        &[
            "--db",
            db_s,
            "finding",
            "note",
            "1",
            "--text",
            "op2 after the crash",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = as_user(OP2, &bin, &["--db", db_s, "log", "verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let partial: i64 = conn
        .query_row(
            "SELECT count(*) FROM finding_notes WHERE text = 'op1 crashed here'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        partial == 0 || partial % 300 == 0,
        "half a bulk note survived: {partial}"
    );
    drop(conn);

    // Someone outside the group: a clear message, exit 1, no panic.
    let out = as_user(OUTSIDER, &bin, &["--db", db_s, "findings", "--limit", "1"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot reach the dataset") && !err.contains("panicked"),
        "{err}"
    );

    // A member who may only read: reads work, a write is refused clearly and changes nothing.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o640)).unwrap();
    let out = as_user(OP2, &bin, &["--db", db_s, "findings", "--limit", "1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = as_user(
        OP2,
        &bin,
        &[
            "--db",
            db_s,
            "finding",
            "note",
            "1",
            "--text",
            "should not land",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("you can read this dataset but not change it"),
        "{err}"
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let n: i64 = conn
        .query_row(
            "SELECT count(*) FROM finding_notes WHERE text = 'should not land'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 0);
}
