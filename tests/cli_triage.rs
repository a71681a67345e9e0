//! Triage and every other changing command through the real binary: a command that is refused
//! writes nothing (no half-applied command), and a change made after the caller read a finding
//! (a status change or a note) refuses a command that names the version it read (`--seen`).

mod common;
use std::path::Path;
use std::process::{Command, Output};

/// `--operator` (acting as the fixture's operators) is for root only.
fn skipped_without_root() -> bool {
    if jicha::context::is_root() {
        return false;
    }
    assert!(std::env::var_os("CI").is_none(), "CI runs as root");
    eprintln!("skipped: needs root for --operator");
    true
}

fn jicha(db: &Path, who: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jicha"))
        .arg("--db")
        .arg(db)
        .args(["--today", "2026-11-02", "--lang", "en", "--operator", who])
        .args(args)
        .env_remove("JICHA_DB")
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", stderr(&o));
    String::from_utf8(o.stdout).unwrap()
}

/// The fixture's five findings, with an auditor, a second auditor and a reviewer, a whitelist
/// entry and a ticket, so that every kind of change has something to act on.
fn dataset() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, ds) = common::fixture();
    let db = ds.path.clone();
    drop(ds);
    for (login, role) in [
        ("alice", "auditor"),
        ("bob", "auditor"),
        ("rita", "reviewer"),
    ] {
        ok(jicha(
            &db,
            "admin1",
            &["operator", "add", login, "--role", role],
        ));
    }
    ok(jicha(
        &db,
        "alice",
        &[
            "whitelist",
            "add",
            "--rule",
            "ARC-01",
            "--cust",
            "C3",
            "--reason",
            "装表中",
            "--days",
            "30",
        ],
    ));
    ok(jicha(
        &db,
        "alice",
        &[
            "ticket",
            "create",
            "--findings",
            "4",
            "--requirement",
            "核实",
        ],
    ));
    (dir, db)
}

/// Everything a command could change, row by row.
fn state(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut out = Vec::new();
    for table in [
        "findings",
        "finding_notes",
        "finding_status_history",
        "whitelist",
        "tickets",
        "ticket_findings",
        "ticket_events",
        "thresholds",
        "operators",
        "action_log",
    ] {
        let mut st = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
        let n = st.column_count();
        let rows = st
            .query_map([], |r| {
                let cells: Vec<String> = (0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect();
                Ok(format!("{table}: {}", cells.join("|")))
            })
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

fn version(db: &Path, id: i64) -> i64 {
    let out = ok(jicha(db, "alice", &["findings", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .expect("finding listed")["version"]
        .as_i64()
        .unwrap()
}

#[test]
#[allow(clippy::too_many_lines)] // one scenario, step by step; split, its steps would lose the state they share
fn a_refused_command_writes_nothing() {
    if skipped_without_root() {
        return;
    }
    let (_dir, db) = dataset();
    // Each is refused (exit 1) by its arguments or by the data, after or before parts of it
    // could have been applied: the dataset must be exactly as before.
    let refused: &[(&str, &[&str], &str)] = &[
        (
            "alice",
            &["finding", "confirm", "5", "--text", ""],
            "the note must not be empty",
        ),
        (
            "alice",
            &["finding", "confirm", "5", "--text", "  \n "],
            "the note must not be empty",
        ),
        (
            "alice",
            &["finding", "confirm", "5,99", "--text", "ok"],
            "no finding 99",
        ),
        (
            "alice",
            &["finding", "reopen", "1", "--text", ""],
            "the note must not be empty",
        ),
        (
            "alice",
            &[
                "finding",
                "close",
                "5",
                "--resolution",
                "rectified",
                "--text",
                "",
            ],
            "the note must not be empty",
        ),
        (
            "alice",
            &["finding", "close", "5", "--resolution", "false_positive"],
            "needs a note",
        ),
        (
            "alice",
            &["finding", "close", "5,4", "--resolution", "rectified"],
            "finding 4 is ticketed",
        ),
        (
            "alice",
            &["finding", "note", "5", "--text", " "],
            "the note must not be empty",
        ),
        (
            "alice",
            &["finding", "note", "5,99", "--text", "x"],
            "no finding 99",
        ),
        (
            "alice",
            &["finding", "confirm", "99", "--seen", "99:1"],
            "there is no finding 99",
        ),
        (
            "alice",
            &["finding", "confirm", "5", "--seen", "4:1"],
            "does not act on",
        ),
        (
            "alice",
            &[
                "whitelist",
                "add",
                "--rule",
                "ARC-01",
                "--cust",
                "C2",
                "--reason",
                "",
            ],
            "must not be empty",
        ),
        (
            "alice",
            &[
                "whitelist",
                "add",
                "--rule",
                "ARC-01",
                "--cust",
                "C2",
                "--reason",
                "r",
                "--days",
                "0",
            ],
            "1 to 365 days",
        ),
        (
            "alice",
            &[
                "whitelist",
                "add",
                "--rule",
                "NOPE",
                "--cust",
                "C2",
                "--reason",
                "r",
            ],
            "unknown rule",
        ),
        (
            "alice",
            &[
                "whitelist",
                "extend",
                "1",
                "--days",
                "999999999999",
                "--reason",
                "r",
            ],
            "the most is 365",
        ),
        (
            "alice",
            &["whitelist", "extend", "1", "--days=-5", "--reason", "r"],
            "1 or more",
        ),
        (
            "alice",
            &["whitelist", "extend", "1", "--days", "5", "--reason", ""],
            "must not be empty",
        ),
        (
            "alice",
            &["whitelist", "revoke", "1", "--reason", ""],
            "must not be empty",
        ),
        (
            "alice",
            &["whitelist", "approve", "1"],
            "needs the reviewer role",
        ),
        (
            "rita",
            &["whitelist", "approve", "1"],
            "waits for no approval",
        ),
        (
            "alice",
            &[
                "ticket",
                "create",
                "--findings",
                "5,4",
                "--requirement",
                "x",
            ],
            "finding 4 is ticketed",
        ),
        (
            "alice",
            &["ticket", "create", "--findings", "5", "--requirement", " "],
            "requirement",
        ),
        (
            "alice",
            &[
                "ticket",
                "create",
                "--findings",
                "5",
                "--requirement",
                "x",
                "--due",
                "2026-11-01",
            ],
            "before the issue date",
        ),
        (
            "alice",
            &[
                "ticket",
                "submit",
                "JC-20261102-001",
                "--cause",
                "c",
                "--measures",
                "",
            ],
            "--measures",
        ),
        (
            "alice",
            &[
                "ticket",
                "submit",
                "JC-20261102-001",
                "--cause",
                "c",
                "--measures",
                "m",
                "--recovered=-1",
            ],
            "0 or more",
        ),
        (
            "rita",
            &["ticket", "approve", "JC-20261102-001"],
            "only from submitted",
        ),
        (
            "alice",
            &["ticket", "cancel", "JC-20261102-001", "--reason", ""],
            "needs a reason",
        ),
        ("alice", &["ticket", "ack", "JC-29991231-001"], "no ticket"),
        (
            "admin1",
            &["thresholds", "set", "--", "surge_ratio", "-2"],
            "0 or more",
        ),
        (
            "admin1",
            &["thresholds", "set", "due_days_high", "99999999999"],
            "at most 36500",
        ),
        (
            "admin1",
            &["thresholds", "set", "no_such", "1"],
            "unknown threshold",
        ),
        (
            "admin1",
            &["operator", "add", "a b", "--role", "auditor"],
            "no spaces",
        ),
        (
            "admin1",
            &["operator", "add", "admin1", "--role", "viewer"],
            "only admin",
        ),
    ];
    let before = state(&db);
    for (who, args, why) in refused {
        let out = jicha(&db, who, args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains(why), "{args:?}: says why ({why}): {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(state(&db), before, "{args:?} changed the dataset");
    }
    // A role outside the closed set is bad usage (exit 2), refused by the parser with the
    // choices, before the dataset is opened.
    let out = jicha(
        &db,
        "admin1",
        &["operator", "add", "carol", "--role", "boss"],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("possible values: viewer, auditor, reviewer, admin"),
        "{err}"
    );
    assert_eq!(state(&db), before, "an unknown role changed the dataset");
}

#[test]
fn confirm_with_a_note_is_one_change() {
    if skipped_without_root() {
        return;
    }
    let (_dir, db) = dataset();
    let out = ok(jicha(
        &db,
        "alice",
        &["finding", "confirm", "5", "--text", "现场核实"],
    ));
    assert!(out.contains("1 finding confirmed"), "{out}");
    assert!(out.contains("note added"), "{out}");
    let show = ok(jicha(&db, "alice", &["finding", "show", "5"]));
    assert!(show.contains("status:   confirmed"), "{show}");
    assert!(show.contains("现场核实"), "{show}");
}

#[test]
fn a_note_by_someone_else_refuses_a_close_on_what_was_read_before() {
    if skipped_without_root() {
        return;
    }
    let (_dir, db) = dataset();
    let read = version(&db, 2);
    let show = ok(jicha(&db, "alice", &["finding", "show", "2"]));
    assert!(
        show.contains(&format!("version {read}")),
        "show prints it: {show}"
    );
    ok(jicha(
        &db,
        "bob",
        &["finding", "note", "2", "--text", "DO NOT CLOSE"],
    ));
    let seen = format!("2:{read}");
    let before = state(&db);
    let out = jicha(
        &db,
        "alice",
        &[
            "finding",
            "close",
            "2",
            "--resolution",
            "rectified",
            "--seen",
            &seen,
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("finding 2 was changed by someone else"),
        "{err}"
    );
    assert_eq!(state(&db), before, "nothing closed");
    // A status change counts the same way, and so does a bulk command naming several.
    let read5 = version(&db, 5);
    ok(jicha(&db, "bob", &["finding", "confirm", "5"]));
    let before = state(&db);
    let out = jicha(
        &db,
        "alice",
        &[
            "finding",
            "close",
            "1,5",
            "--resolution",
            "rectified",
            "--seen",
            &format!("1:{},5:{read5}", version(&db, 1)),
        ],
    );
    assert!(
        stderr(&out).contains("finding 5 was changed"),
        "{}",
        stderr(&out)
    );
    assert_eq!(state(&db), before, "finding 1 was not closed either");
    // Read again: the close goes through.
    let seen = format!("2:{}", version(&db, 2));
    ok(jicha(
        &db,
        "alice",
        &[
            "finding",
            "close",
            "2",
            "--resolution",
            "rectified",
            "--seen",
            &seen,
        ],
    ));
    // A bad --seen is bad usage.
    let out = jicha(&db, "alice", &["finding", "confirm", "3", "--seen", "3"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("ID:VERSION"), "{}", stderr(&out));
}
