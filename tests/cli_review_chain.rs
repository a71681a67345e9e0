//! The review chain through the real binary: `ticket review`, `ticket approve` at the second
//! level, `ticket archive`, `ticket list --state reviewed|archived`, and `ticket show` listing
//! each step with who took it, in both languages. Operators bound to a unit are given their
//! unit with SQL here (`operator add --unit` is another change's).

mod common;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const N: &str = "JC-20261102-001";

fn skipped_without_root() -> bool {
    if jicha::context::is_root() {
        return false;
    }
    assert!(std::env::var_os("CI").is_none(), "CI runs as root");
    eprintln!("skipped: needs root for --operator");
    true
}

fn jicha(db: &Path, who: &str, lang: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jicha"))
        .arg("--db")
        .arg(db)
        .args(["--today", "2026-11-02", "--lang", lang, "--operator", who])
        .args(args)
        .env_remove("JICHA_DB")
        .output()
        .unwrap()
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn refused(o: Output) -> String {
    assert!(
        !o.status.success(),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    String::from_utf8(o.stderr).unwrap()
}

/// Two levels; alice (auditor) submitted ticket N for 城关供电所; rita reviews for 西湖区,
/// carl and admin1 are the audit centre.
fn dataset() -> (tempfile::TempDir, PathBuf) {
    let (dir, mut ds) = common::fixture();
    let db = ds.path.clone();
    ds.write(|tx| {
        tx.execute_batch(
            "INSERT INTO operators(login, role, name, added_at, added_by, unit) VALUES
               ('alice','auditor',NULL,'2026-01-01T00:00:00Z','admin1',NULL),
               ('rita','reviewer',NULL,'2026-01-01T00:00:00Z','admin1','西湖区'),
               ('carl','reviewer',NULL,'2026-01-01T00:00:00Z','admin1',NULL);",
        )?;
        Ok(())
    })
    .unwrap();
    drop(ds);
    ok(jicha(
        &db,
        "admin1",
        "en",
        &["thresholds", "set", "review_levels", "2"],
    ));
    ok(jicha(
        &db,
        "alice",
        "en",
        &[
            "ticket",
            "create",
            "--findings",
            "1,3",
            "--requirement",
            "核实",
        ],
    ));
    ok(jicha(
        &db,
        "alice",
        "en",
        &[
            "ticket",
            "submit",
            N,
            "--cause",
            "录入错误",
            "--measures",
            "已更正",
        ],
    ));
    (dir, db)
}

fn numbers(db: &Path, state: &str) -> Vec<String> {
    let out = ok(jicha(
        db,
        "alice",
        "en",
        &["ticket", "list", "--state", state, "--format", "json"],
    ));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|t| t["number"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn review_approve_archive_and_show_through_the_cli() {
    if skipped_without_root() {
        return;
    }
    let (_d, db) = dataset();
    let e = refused(jicha(&db, "carl", "en", &["ticket", "approve", N]));
    assert!(e.contains("jicha ticket review"), "{e}");
    ok(jicha(&db, "rita", "en", &["ticket", "review", N]));
    assert_eq!(numbers(&db, "reviewed"), [N]);
    assert_eq!(numbers(&db, "open"), [N]);
    let e = refused(jicha(&db, "rita", "zh", &["ticket", "approve", N]));
    assert!(e.contains("稽查中心") && e.contains("西湖区"), "{e}");
    ok(jicha(&db, "carl", "en", &["ticket", "approve", N]));
    ok(jicha(&db, "admin1", "en", &["ticket", "archive", N]));
    assert_eq!(numbers(&db, "archived"), [N]);
    assert!(numbers(&db, "open").is_empty());
    let e = refused(jicha(
        &db,
        "alice",
        "en",
        &["ticket", "cancel", N, "--reason", "x"],
    ));
    assert!(e.contains("archived") && e.contains("read-only"), "{e}");

    let show = ok(jicha(&db, "alice", "en", &["ticket", "show", N]));
    for line in [
        "[archived]",
        "submitted 2026-11-02 by alice",
        "first review passed 2026-11-02 by rita",
        "approved 2026-11-02 by carl",
        "archived 2026-11-02 by admin1; read-only",
        "2026-11-02 rita first review passed",
        "2026-11-02 carl approved at the second review (first review by rita) (reviewed → approved)",
        "2026-11-02 admin1 archived; read-only from now on (approved → archived)",
    ] {
        assert!(show.contains(line), "`{line}` not in:\n{show}");
    }
    let zh = ok(jicha(&db, "alice", "zh", &["ticket", "show", N]));
    for line in [
        "[已归档]",
        "2026-11-02 由 rita 初审通过",
        "2026-11-02 由 carl 审核通过",
        "2026-11-02 rita 初审通过，等待稽查中心复核（待审核 → 待复核）",
        "2026-11-02 admin1 已归档，此后只读（审核通过 → 已归档）",
    ] {
        assert!(zh.contains(line), "`{line}` not in:\n{zh}");
    }
}
