//! The state behind the log (issue 9, item 4): an insider with write access edits the dataset
//! with plain SQL instead of jicha. Each of the six edits of the issue must make `jicha log
//! verify` fail and name the table, the row and the field; editing the state ledger itself must
//! be caught by its seals; and a dataset changed only through jicha must verify clean.

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::Output;

const TODAY: &str = "2026-11-23";

fn jicha(db: &Path, args: &[&str]) -> Output {
    jicha_on(db, TODAY, args)
}

fn jicha_on(db: &Path, today: &str, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_jicha"))
        .arg("--db")
        .arg(db)
        .args(["--today", today, "--lang", "en"])
        .args(args)
        .env_remove("JICHA_DB")
        .output()
        .unwrap()
}

fn ok(db: &Path, args: &[&str]) -> String {
    ok_on(db, TODAY, args)
}

fn ok_on(db: &Path, today: &str, args: &[&str]) -> String {
    let out = jicha_on(db, today, args);
    assert!(
        out.status.success(),
        "jicha {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `log verify` with its exit status and everything it printed.
fn verify(db: &Path) -> (bool, String) {
    let out = jicha(db, &["log", "verify"]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// A small dataset made through jicha only: an import, a scan and a rescan, a confirmed
/// finding with a note, a ticket submitted with 100 元 recovered, a viewer, a changed
/// threshold, a manual quality value.
fn build(dir: &Path) -> PathBuf {
    let export = dir.join("export");
    let db = dir.join("a.jicha");
    ok(
        &db,
        &[
            "demo",
            "--out",
            export.to_str().unwrap(),
            "--customers",
            "200",
        ],
    );
    ok(&db, &["import", export.to_str().unwrap()]);
    ok(&db, &["scan"]);
    ok(&db, &["finding", "confirm", "1,2"]);
    ok(
        &db,
        &[
            "finding",
            "note",
            "1",
            "--text",
            "DO NOT CLOSE: meter under review",
        ],
    );
    ok(
        &db,
        &[
            "ticket",
            "create",
            "--findings",
            "2",
            "--requirement",
            "核实并整改",
        ],
    );
    let number = ticket_number(&db);
    ok(&db, &["ticket", "ack", &number]);
    ok(
        &db,
        &[
            "ticket",
            "submit",
            &number,
            "--cause",
            "wrong multiplier",
            "--measures",
            "corrected",
            "--recovered",
            "100",
        ],
    );
    ok(&db, &["operator", "add", "vera", "--role", "viewer"]);
    ok(&db, &["thresholds", "set", "surge_ratio", "2.5"]);
    // A rescan and a re-import of the same export: the daily routine must not alarm.
    ok(&db, &["import", export.to_str().unwrap()]);
    ok_on(&db, "2026-11-24", &["scan"]);
    db
}

fn ticket_number(db: &Path) -> String {
    let conn = open_raw(db);
    conn.query_row("SELECT number FROM tickets ORDER BY id LIMIT 1", [], |r| {
        r.get(0)
    })
    .unwrap()
}

/// A copy of the dataset (and its anchor) to tamper with.
fn copy(db: &Path, to: &Path) -> PathBuf {
    std::fs::create_dir_all(to).unwrap();
    let name = db.file_name().unwrap().to_string_lossy().into_owned();
    for entry in std::fs::read_dir(db.parent().unwrap()).unwrap() {
        let entry = entry.unwrap();
        let file = entry.file_name().to_string_lossy().into_owned();
        if file.starts_with(&name) {
            std::fs::copy(entry.path(), to.join(&file)).unwrap();
        }
    }
    to.join(name)
}

/// The insider's `sqlite3`: plain SQL on the file, no jicha involved.
fn tamper(db: &Path, sql: &str) {
    let conn = open_raw(db);
    let changed = conn.execute(sql, []).unwrap();
    assert!(changed > 0, "the edit `{sql}` changed nothing");
}

/// Applies one edit to a fresh copy and returns what `log verify` said; asserts it failed.
fn detect(base: &Path, scratch: &Path, name: &str, sql: &str) -> String {
    let db = copy(base, &scratch.join(name));
    let (clean, before) = verify(&db);
    assert!(clean, "the copy must verify before the edit: {before}");
    tamper(&db, sql);
    let (passed, text) = verify(&db);
    assert!(!passed, "{name}: log verify passed after `{sql}`:\n{text}");
    text
}

fn assert_names(text: &str, parts: &[&str]) {
    for p in parts {
        assert!(text.contains(p), "expected `{p}` in:\n{text}");
    }
}

#[test]
fn six_direct_edits_are_each_detected_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let base = build(dir.path());
    let (clean, text) = verify(&base);
    assert!(
        clean,
        "a dataset changed only through jicha verifies: {text}"
    );
    assert!(text.contains("state verified"), "{text}");
    let scratch = dir.path().join("edits");

    let t = detect(
        &base,
        &scratch,
        "finding_closed",
        "UPDATE findings SET status = 'closed', resolution = 'no_action' WHERE id = 1",
    );
    assert_names(
        &t,
        &["findings 1: changed outside jicha", "status", "\"closed\""],
    );

    let t = detect(
        &base,
        &scratch,
        "recovered_amount",
        "UPDATE tickets SET recovered_yuan = 999999 WHERE recovered_yuan = 100",
    );
    assert_names(
        &t,
        &[
            "tickets 1: changed outside jicha",
            "recovered_yuan: 100.0 → 999999",
        ],
    );

    let t = detect(
        &base,
        &scratch,
        "viewer_made_admin",
        "UPDATE operators SET role = 'admin' WHERE login = 'vera'",
    );
    assert_names(
        &t,
        &[
            "operators vera: changed outside jicha",
            "role: \"viewer\" → \"admin\"",
        ],
    );

    let t = detect(
        &base,
        &scratch,
        "note_deleted",
        "DELETE FROM finding_notes WHERE text LIKE 'DO NOT CLOSE%'",
    );
    assert_names(
        &t,
        &["finding_notes 1: deleted outside jicha", "DO NOT CLOSE"],
    );

    let t = detect(
        &base,
        &scratch,
        "bills_halved",
        "UPDATE bills SET amount = amount / 2",
    );
    assert_names(
        &t,
        &[
            "bills: differs from what log record",
            "changed outside jicha",
        ],
    );

    let t = detect(
        &base,
        &scratch,
        "threshold_changed",
        "UPDATE thresholds SET value = '9' WHERE name = 'surge_ratio'",
    );
    assert_names(
        &t,
        &[
            "thresholds surge_ratio: changed outside jicha",
            "value: \"2.5\" → \"9\"",
        ],
    );
}

#[test]
fn rows_inserted_outside_jicha_and_laundering_writes_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let base = build(dir.path());
    let scratch = dir.path().join("edits");

    let t = detect(
        &base,
        &scratch,
        "operator_inserted",
        "INSERT INTO operators(login, role, added_at, added_by) VALUES ('mallory', 'admin', 'x', 'x')",
    );
    assert_names(&t, &["operators mallory: inserted outside jicha"]);

    // The self-made admin then acts through jicha: the write that rewrites a tampered row
    // does not launder it, the seal records that the row had been changed outside jicha.
    let db = copy(&base, &scratch.join("laundered"));
    tamper(
        &db,
        "UPDATE findings SET status = 'closed', resolution = 'no_action' WHERE id = 3",
    );
    ok(&db, &["finding", "reopen", "3"]);
    let (passed, t) = verify(&db);
    assert!(!passed, "{t}");
    assert_names(
        &t,
        &["findings 3: had been changed outside jicha before the write sealed by log record"],
    );
}

#[test]
fn editing_the_state_ledger_itself_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let base = build(dir.path());
    let scratch = dir.path().join("edits");

    // Cover a state edit with a matching ledger row: the new row is in no seal.
    let db = copy(&base, &scratch.join("forged_entry"));
    tamper(
        &db,
        "UPDATE operators SET role = 'admin' WHERE login = 'vera'",
    );
    let conn = open_raw(&db);
    let (hash, vals): (String, String) = conn
        .query_row(
            "SELECT hash, vals FROM state_ledger WHERE tbl = 'operators' AND row_key = 'vera' ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    conn.execute(
        "INSERT INTO state_ledger(tbl, row_key, hash, vals) VALUES ('operators', 'vera', ?1, ?2)",
        [&hash, &vals.replace("viewer", "admin")],
    )
    .unwrap();
    drop(conn);
    let (passed, t) = verify(&db);
    assert!(!passed, "{t}");
    assert_names(&t, &["not sealed by any log record", "operators vera"]);

    // Rewrite the latest ledger entry in place: its seal's digest no longer matches.
    let t = detect(
        &base,
        &scratch,
        "ledger_rewritten",
        "UPDATE state_ledger SET vals = replace(vals, 'viewer', 'admin') WHERE tbl = 'operators' AND row_key = 'vera'",
    );
    assert_names(
        &t,
        &[
            "state ledger rows",
            "were changed outside jicha",
            "digest differs",
        ],
    );

    // Empty the ledger: every seal's rows are gone; the next write's new baseline is named.
    let db = copy(&base, &scratch.join("ledger_emptied"));
    tamper(&db, "DELETE FROM state_ledger");
    ok(
        &db,
        &[
            "finding",
            "note",
            "4",
            "--text",
            "after the ledger was emptied",
        ],
    );
    let (passed, t) = verify(&db);
    assert!(!passed, "{t}");
    assert_names(&t, &["is a second state baseline", "digest differs"]);
}

#[test]
fn a_dataset_made_before_the_ledger_gets_a_baseline_and_says_what_it_cannot_verify() {
    use jicha::context::{Ctx, Lang, Role};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.jicha");
    let me = jicha::context::os_login();
    drop(jicha::db::Dataset::create(&db, &me, "2026-01-01T00:00:00Z").unwrap());
    let ctx = Ctx {
        unit: None,
        operator: me,
        role: Role::Admin,
        today: jicha::dates::parse_date(TODAY).unwrap(),
        lang: Lang::En,
    };
    // What an older jicha wrote: a change and its log record, with no ledger and no seal.
    let conn = open_raw(&db);
    conn.execute(
        "INSERT INTO operators(login, role, added_at, added_by) VALUES ('vera', 'viewer', 'x', 'x')",
        [],
    )
    .unwrap();
    jicha::actionlog::append(
        &conn,
        &ctx,
        "operator.add",
        "operator:vera",
        &serde_json::json!({"role": "viewer"}),
    )
    .unwrap();
    drop(conn);
    let report = jicha::ledger::verify(&open_raw(&db)).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.to_string().contains("no state ledger yet")),
        "{:?}",
        report.notes
    );
    // The next logged write takes the baseline; from then on edits are caught again.
    ok(&db, &["thresholds", "set", "surge_ratio", "2.5"]);
    let report = jicha::ledger::verify(&open_raw(&db)).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert!(
        report.notes.iter().any(|n| n
            .to_string()
            .contains("starts at its baseline, log record 2")),
        "{:?}",
        report.notes
    );
    tamper(
        &db,
        "UPDATE operators SET role = 'admin' WHERE login = 'vera'",
    );
    let (passed, t) = verify(&db);
    assert!(!passed, "{t}");
    assert_names(
        &t,
        &["operators vera: changed outside jicha since log record 2"],
    );
}

#[test]
fn seals_ride_on_the_action_records_and_do_not_renumber_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.jicha");
    let me = jicha::context::os_login();
    drop(jicha::db::Dataset::create(&db, &me, "2026-01-01T00:00:00Z").unwrap());
    ok(&db, &["operator", "add", "vera", "--role", "viewer"]);
    ok(&db, &["thresholds", "set", "surge_ratio", "2.5"]);
    let conn = open_raw(&db);
    let actions: Vec<(String, String)> = conn
        .prepare("SELECT action, details FROM action_log ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let names: Vec<&str> = actions.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(names, ["operator.add", "thresholds.set"]);
    assert!(
        actions[0].1.contains("\"baseline\":true"),
        "{}",
        actions[0].1
    );
    assert!(
        actions[1].1.contains("\"~ledger_seal\""),
        "{}",
        actions[1].1
    );
}

/// The dataset's files opened as plain SQLite, the facts file attached as jicha attaches it.
fn open_raw(db: &Path) -> Connection {
    let conn = Connection::open(db).unwrap();
    let facts = jicha::db::facts::path_of(db);
    if facts.exists() {
        conn.execute(
            "ATTACH DATABASE ?1 AS facts",
            [facts.to_string_lossy().into_owned()],
        )
        .unwrap();
    }
    conn
}

/// An import that leaves a source table untouched carries that table's digest forward instead
/// of re-reading it: re-importing the same export neither launders a bill slipped in behind
/// jicha's back before it (a row the export does not hold, which the import leaves alone) nor
/// breaks a dataset changed only through jicha.
#[test]
fn a_reimport_that_leaves_the_bills_alone_keeps_their_edit_named() {
    let dir = tempfile::tempdir().unwrap();
    let base = build(dir.path());
    let export = dir.path().join("export");
    let scratch = dir.path().join("edits");

    let clean = copy(&base, &scratch.join("clean"));
    ok(&clean, &["import", export.to_str().unwrap()]);
    let (passed, t) = verify(&clean);
    assert!(passed, "an unchanged re-import verifies:\n{t}");

    let db = copy(&base, &scratch.join("edited"));
    tamper(
        &db,
        "INSERT INTO bills SELECT cust_no, '2099-01', read_on, prev_reading, curr_reading,
                multiplier, kwh, loss_kwh, amount, paid, import_id, src_line
         FROM bills LIMIT 1",
    );
    ok(&db, &["import", export.to_str().unwrap()]);
    let (passed, t) = verify(&db);
    assert!(!passed, "the re-import laundered the edit:\n{t}");
    assert_names(&t, &["bills: differs from what log record"]);
}
