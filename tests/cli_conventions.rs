//! The command line's conventions (issue 11, "CLI conventions"): closed sets are clap choices
//! (a typo exits 2 naming the choices), every command and option has a doc line and every
//! command examples, global and UI-only options are apart, a closed pipe ends quietly with 0,
//! `--format` on every listing, completions, man pages, the long version line, and the CLI's
//! own words in Chinese under `--lang zh`, aligned by display width.

mod common;
use jicha::cli::run_in_process;
use std::path::Path;
use std::process::{Command, Stdio};

fn run(db: &Path, args: &[&str]) -> (u8, String, String) {
    let mut full = vec![
        "jicha",
        "--db",
        db.to_str().unwrap(),
        "--today",
        "2026-11-02",
    ];
    full.extend(["--operator", "admin1"]);
    full.extend(args);
    let (code, out, err) = run_in_process(full);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn fixture() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, ds) = common::fixture();
    let db = ds.path.clone();
    drop(ds);
    (dir, db)
}

#[test]
fn a_bad_choice_is_a_usage_error_that_lists_the_choices() {
    let (_dir, db) = fixture();
    let cases: &[(&[&str], &str)] = &[
        (&["findings", "--status", "opne"], "confirmed"),
        (&["findings", "--severity", "hgh"], "medium"),
        (&["findings", "--sort", "amont"], "first_seen"),
        (&["findings", "--suppressed", "no"], "include"),
        (&["findings", "--format", "xml"], "json"),
        (
            &["finding", "close", "1", "--resolution", "fixed"],
            "false_positive",
        ),
        (&["operator", "add", "x", "--role", "boss"], "reviewer"),
        (&["ticket", "list", "--state", "late"], "overdue"),
        (&["whitelist", "list", "--view", "old"], "expiring"),
        (&["--lang", "fr", "findings"], "zh"),
        (&["log", "--format", "xml"], "csv"),
        (&["scan", "--format", "xml"], "table"),
        (&["thresholds", "show", "--format", "yaml"], "json"),
        (
            &[
                "report",
                "--from",
                "2026-11-01",
                "--to",
                "2026-11-30",
                "--format",
                "pdf",
            ],
            "md",
        ),
        (&["theme", "--category", "bills"], "metering"),
        (&["completions", "tcsh"], "fish"),
    ];
    for (args, choice) in cases {
        let (code, out, err) = run(&db, args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains("possible values") && err.contains(choice),
            "{args:?}: {err}"
        );
        assert!(out.is_empty(), "{args:?}: {out}");
    }
    // The choices also show in --help.
    let (code, out, _) = run(&db, &["findings", "--help"]);
    assert_eq!(code, 0);
    assert!(
        out.contains(
            "- open:      new, confirmed and ticketed\n          - new\n          - confirmed\n"
        ),
        "{out}"
    );
    let (_, short, _) = run(&db, &["findings", "-h"]);
    assert!(
        short.contains("[possible values: open, new, confirmed, ticketed, closed, cleared]"),
        "{short}"
    );
}

#[test]
fn the_typed_choices_reach_the_domain_unchanged() {
    let (_dir, db) = fixture();
    let (code, out, err) = run(&db, &["findings", "--severity", "low", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 3, "header and findings 3 and 5: {out}");
    let (code, out, err) = run(
        &db,
        &["findings", "--sort", "cust_no", "--desc", "--format", "csv"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().nth(1).unwrap().starts_with("5,"), "{out}");
    let (code, _, err) = run(
        &db,
        &[
            "finding",
            "close",
            "3",
            "--resolution",
            "false_positive",
            "--text",
            "核实无误",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        common::status(&jicha::db::Dataset::open(&db).unwrap(), 3),
        ("closed".into(), Some("false_positive".into()))
    );
}

fn all_commands(cmd: &clap::Command, path: String, out: &mut Vec<(String, clap::Command)>) {
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let p = format!("{path} {}", sub.get_name());
        out.push((p.clone(), sub.clone()));
        all_commands(sub, p, out);
    }
}

#[test]
fn every_command_and_option_has_a_doc_line_and_every_command_examples() {
    let mut root = jicha::cli::args::command();
    root.build();
    let mut commands = vec![("jicha".to_string(), root.clone())];
    all_commands(&root, "jicha".into(), &mut commands);
    assert!(commands.len() > 50, "{}", commands.len());
    let mut missing = Vec::new();
    for (path, c) in &commands {
        if c.get_about().is_none() && path != "jicha" {
            missing.push(format!("{path}: no doc line"));
        }
        match c.get_after_help().map(|h| h.to_string()) {
            Some(h) if h.starts_with("Examples:") && h.lines().count() >= 2 => {}
            _ => missing.push(format!("{path}: no examples")),
        }
        for a in c.get_arguments() {
            let id = a.get_id().as_str();
            if id == "help" || id == "version" {
                continue;
            }
            if a.get_help().is_none() && a.get_long_help().is_none() {
                missing.push(format!("{path} {id}: no doc line"));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn global_options_have_their_heading_and_ui_options_stay_with_the_ui() {
    let (_dir, db) = fixture();
    let (_, top, _) = run(&db, &["--help"]);
    assert!(
        top.contains("Global options:") && top.contains("Terminal UI options:"),
        "{top}"
    );
    assert!(top.contains("--keymap") && top.contains("--ascii"));
    for sub in [
        &["findings", "--help"][..],
        &["ticket", "list", "--help"],
        &["log", "verify", "--help"],
    ] {
        let (code, help, _) = run(&db, sub);
        assert_eq!(code, 0);
        assert!(
            help.contains("Global options:") && help.contains("--db <PATH>"),
            "{help}"
        );
        assert!(
            !help.contains("--keymap") && !help.contains("--ascii"),
            "{sub:?}: {help}"
        );
    }
    let (code, _, err) = run(&db, &["findings", "--ascii"]);
    assert_eq!(code, 2, "{err}");
    let (code, out, err) = run(&db, &["--ascii", "findings"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(
        err.contains("--ascii") && err.contains("terminal UI"),
        "{err}"
    );
}

/// `jicha findings | head`: the reader closes the pipe; the command ends quietly with 0.
#[test]
fn a_closed_pipe_ends_quietly_with_zero() {
    let (_dir, db) = fixture();
    let commands: &[&[&str]] = &[
        &["findings"],
        &["findings", "--format", "csv"],
        &["findings", "--format", "json"],
        &["finding", "show", "1"],
        &["log"],
        &["log", "--all", "--format", "csv"],
        &["log", "verify"],
        &["thresholds", "show"],
        &["thresholds", "show", "--format", "json"],
        &["operator", "list"],
        &["whitelist", "list"],
        &["ticket", "list", "--format", "csv"],
        &[
            "report",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--format",
            "md",
        ],
        &["quality", "--period", "2026-11"],
        &["scan", "--as-of", "2026-11-02"],
        &["completions", "bash"],
        &["--help"],
        &["--version"],
        &["finding", "note", "1", "--text", "checked"],
    ];
    for args in commands {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_jicha"))
            .arg("--db")
            .arg(&db)
            .args([
                "--today",
                "2026-11-02",
                "--lang",
                "en",
                "--operator",
                "admin1",
            ])
            .args(*args)
            .env_remove("JICHA_DB")
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}

/// The same with a reader that takes the first line of a long listing and then goes away.
#[test]
fn a_reader_that_stops_early_leaves_exit_zero() {
    let (_dir, db) = fixture();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jicha"))
        .arg("--db")
        .arg(&db)
        .args(["--today", "2026-11-02", "completions", "zsh"])
        .env_remove("JICHA_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn completions_and_man_pages_come_from_the_command_tree() {
    let (dir, db) = fixture();
    for shell in ["bash", "zsh", "fish"] {
        let (code, out, err) = run(&db, &["completions", shell]);
        assert_eq!(code, 0, "{err}");
        for word in [
            "findings",
            "ticket",
            "confirmed",
            "false_positive",
            "--format",
        ] {
            assert!(out.contains(word), "{shell} completions lack {word}");
        }
    }
    let man = dir.path().join("man");
    let (code, out, err) = run(&db, &["man", "--out", man.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    for page in [
        "jicha.1",
        "jicha-findings.1",
        "jicha-finding-close.1",
        "jicha-log-verify.1",
    ] {
        let text = std::fs::read_to_string(man.join(page)).unwrap();
        assert!(
            text.starts_with(".ie") || text.contains(".TH"),
            "{page}: {text:.80}"
        );
    }
    let pages = std::fs::read_dir(&man).unwrap().count();
    assert!(out.contains(&format!("{pages} manual pages")), "{out}");
    let close = std::fs::read_to_string(man.join("jicha-finding-close.1")).unwrap();
    assert!(
        close.contains("resolution") && close.contains("Examples"),
        "{close}"
    );
}

#[test]
fn version_names_the_schema_and_sqlite() {
    let (_dir, db) = fixture();
    let (code, out, _) = run(&db, &["--version"]);
    assert_eq!(code, 0);
    let expected = format!(
        "jicha {} (dataset schema {}, SQLite {})\n",
        env!("CARGO_PKG_VERSION"),
        jicha::db::migrations::SCHEMA_VERSION,
        rusqlite::version()
    );
    assert_eq!(out, expected);
}

#[test]
fn log_csv_and_json_carry_every_field_with_english_keys() {
    let (_dir, db) = fixture();
    for (name, value) in [("surge_ratio", "2.5"), ("drop_ratio", "0.25")] {
        assert_eq!(run(&db, &["thresholds", "set", name, value]).0, 0);
    }
    let (code, out, err) = run(&db, &["--lang", "zh", "log", "--all", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let records = v.as_array().unwrap();
    assert!(records.len() >= 2, "{out}");
    let keys: Vec<&str> = records[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = [
        "seq",
        "at_utc",
        "business_date",
        "operator",
        "action",
        "target",
        "details",
        "prev_hash",
        "hash",
    ];
    expected.sort();
    let mut keys = keys;
    keys.sort();
    assert_eq!(keys, expected);
    // The record as stored: its hash recomputes from these fields.
    let stored: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT hash FROM action_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(records[0]["hash"], stored.as_str());
    let (code, out, _) = run(
        &db,
        &["--lang", "zh", "log", "--limit", "1", "--format", "csv"],
    );
    assert_eq!(code, 0);
    assert_eq!(
        out.lines().next().unwrap(),
        "seq,at_utc,business_date,operator,action,target,details,prev_hash,hash"
    );
    assert_eq!(out.lines().count(), 2, "{out}");
}

#[test]
fn listings_take_the_one_format_set() {
    let (_dir, db) = fixture();
    for args in [
        &["thresholds", "show", "--format", "json"][..],
        &["operator", "list", "--format", "json"],
        &["findings", "--format", "json"],
        &["ticket", "list", "--format", "json"],
        &["whitelist", "list", "--format", "json"],
        &["scan", "--as-of", "2026-11-02", "--format", "json"],
    ] {
        let (code, out, err) = run(&db, args);
        assert_eq!(code, 0, "{args:?}: {err}");
        serde_json::from_str::<serde_json::Value>(&out)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"));
    }
    let (_, out, _) = run(&db, &["thresholds", "show", "--format", "csv"]);
    assert!(
        out.starts_with("name,value,default,rules,about,about_zh\n"),
        "{out}"
    );
    let (_, out, _) = run(&db, &["operator", "list", "--format", "csv"]);
    assert!(
        out.starts_with("login,role,unit,name,added_at,added_by\nadmin1,admin,,"),
        "{out}"
    );
    let (_, out, _) = run(&db, &["scan", "--as-of", "2026-11-02", "--format", "csv"]);
    assert!(
        out.starts_with("rule,hits,new,again,again_closed,cleared,reopened,suppressed\n"),
        "{out}"
    );
    assert!(out.lines().last().unwrap().starts_with("total,"), "{out}");
}
