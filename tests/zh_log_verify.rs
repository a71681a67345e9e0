//! Under `--lang zh` what `log verify`, `backup --verify`, a bad config file, the diagnostic
//! log's directory and `jicha demo`'s options say is Chinese, through the real binary; the
//! record numbers and `file:line` are kept.

use std::path::Path;
use std::process::{Command, Output};

/// A run sealed off from the machine's config files and locale.
fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jicha"))
        .args(["--today", "2026-11-02"])
        .args(args)
        .env("JICHA_SITE_CONFIG", dir.join("site.toml"))
        .env("JICHA_CONFIG_DIR", dir.join("config"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("HOME", dir)
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("JICHA_DB")
        .env_remove("JICHA_LOG")
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A dataset with three logged threshold changes.
fn dataset(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("t.jicha");
    jicha::db::Dataset::create(&db, &jicha::context::os_login(), "2026-01-01T00:00:00Z").unwrap();
    let d = db.to_str().unwrap();
    for (name, value) in [
        ("surge_ratio", "2.5"),
        ("drop_ratio", "0.25"),
        ("resident_max_kwh", "3500"),
    ] {
        let out = run(dir, &["--db", d, "thresholds", "set", name, value]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    db
}

fn tamper(db: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn a_tampered_log_is_named_in_chinese_with_its_record_number() {
    let dir = tempfile::tempdir().unwrap();
    let db = dataset(dir.path());
    let d = db.to_str().unwrap();
    let out = run(dir.path(), &["--db", d, "--lang", "zh", "log", "verify"]);
    assert!(out.status.success(), "{}", stderr(&out));

    tamper(
        &db,
        "DROP TRIGGER action_log_no_update;
         UPDATE action_log SET details = replace(details, '0.25', '0.9') WHERE seq = 2;",
    );
    let out = run(dir.path(), &["--db", d, "--lang", "zh", "log", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("操作日志在第 2 条记录处断裂：它的内容与其哈希不符：该记录被编辑过"),
        "{err}"
    );
    assert!(!err.contains("broken at record"), "no English left: {err}");
    // The same dataset under English says what it always said.
    let out = run(dir.path(), &["--db", d, "--lang", "en", "log", "verify"]);
    let err = stderr(&out);
    assert!(
        err.contains("action log broken at record 2: its content does not match its hash: the record was edited (2 records read)"),
        "{err}"
    );
}

#[test]
fn a_removed_record_and_a_state_change_are_said_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let db = dataset(dir.path());
    let d = db.to_str().unwrap();
    tamper(
        &db,
        "DROP TRIGGER IF EXISTS action_log_no_delete;
         DELETE FROM action_log WHERE seq = 2;
         UPDATE thresholds SET value = '9' WHERE name = 'surge_ratio';",
    );
    let out = run(dir.path(), &["--db", d, "--lang", "zh", "log", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("操作日志在第 2 条记录处断裂：第 2 条记录不见了：序号从 1 跳到 3"),
        "{err}"
    );
    assert!(
        err.contains("数据状态：thresholds surge_ratio：自第 1 条日志记录以来在 jicha 之外被修改"),
        "{err}"
    );
    assert!(!err.contains("outside jicha"), "no English left: {err}");
}

#[test]
fn backup_verify_of_a_tampered_copy_is_said_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let db = dataset(dir.path());
    let d = db.to_str().unwrap();
    let copy = dir.path().join("copy.jicha");
    let c = copy.to_str().unwrap();
    let out = run(dir.path(), &["--db", d, "backup", c]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(dir.path(), &["--lang", "zh", "backup", "--verify", c]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("备份核验通过"), "{}", stdout(&out));

    tamper(
        &copy,
        "DROP TRIGGER action_log_no_update;
         UPDATE action_log SET operator = 'mallory' WHERE seq = 3;",
    );
    let out = run(dir.path(), &["--lang", "zh", "backup", "--verify", c]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("备份未通过核验"), "{err}");
    assert!(
        err.contains("操作日志在第 3 条记录处断裂：它的内容与其哈希不符"),
        "{err}"
    );
    assert!(!err.contains("broken at record"), "no English left: {err}");
}

#[test]
fn a_bad_config_file_is_refused_in_chinese_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site.toml");
    std::fs::write(&site, "lang = \"zh\"\ncolour = 1\n").unwrap();
    let out = run(dir.path(), &["--lang", "zh", "findings"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    let at = format!("{}:2：", site.display());
    assert!(err.contains(&at), "{err}");
    assert!(err.contains("未知的设置项 `colour`"), "{err}");

    // No flag: the user's file that reads fine chooses the language of the site file's error.
    std::fs::create_dir_all(dir.path().join("config")).unwrap();
    std::fs::write(dir.path().join("config/config.toml"), "lang = \"zh\"\n").unwrap();
    std::fs::write(&site, "timezone = \"Mars/Base\"\n").unwrap();
    let out = run(dir.path(), &["findings"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{}:1：`timezone = \"Mars/Base\"`：不是时区名称",
            site.display()
        )),
        "{err}"
    );
    // Under English the same file says what it always said.
    let out = run(dir.path(), &["--lang", "en", "findings"]);
    assert!(
        stderr(&out).contains(": timezone = \"Mars/Base\": not a timezone name"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_unusable_log_directory_is_refused_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let db = dataset(dir.path());
    let not_a_dir = dir.path().join("plain-file");
    std::fs::write(&not_a_dir, "x").unwrap();
    let out = run(
        dir.path(),
        &[
            "--db",
            db.to_str().unwrap(),
            "--lang",
            "zh",
            "--log-dir",
            not_a_dir.to_str().unwrap(),
            "findings",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("诊断日志目录"), "{err}");
    assert!(err.contains("请给出你有写权限的目录"), "{err}");
}

#[test]
fn demo_option_errors_are_said_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("export");
    let o = out_dir.to_str().unwrap();
    let out = run(
        dir.path(),
        &["--lang", "zh", "demo", "--out", o, "--months", "3"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("--months 3 超出范围"), "{err}");

    std::fs::create_dir_all(&out_dir).unwrap();
    std::fs::write(out_dir.join("notes.txt"), "keep me").unwrap();
    let out = run(dir.path(), &["--lang", "zh", "demo", "--out", o]);
    let err = stderr(&out);
    assert!(err.contains("不是空目录"), "{err}");
    assert!(err.contains("\"notes.txt\""), "{err}");
}
