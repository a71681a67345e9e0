//! 稽查工作督办单 (escalation notices): which tickets put a unit on a notice, whom it is
//! addressed to, once per unit and business day, closing, the log, and the CLI's list, show
//! and workbook.
//!
//! The reading of "once per unit and day" these tests pin: a run on a business day issues,
//! for each unit with an open ticket `escalate_after_days` (3) or more days past its due date
//! and no notice of that day yet, a NEW notice (its own number, that day's days overdue,
//! 第 N 次督办); the unit's previous open notice is closed as superseded by it. So at most one
//! notice per unit is open, and the notices of a lagging unit are a dated series the audit
//! centre can show its head. A notice whose unit has nothing past the limit any more is
//! closed as resolved on the run's date. A run that changes nothing logs nothing.

mod common;
use common::*;
use jicha::actions::escalation::{run, Trigger};
use jicha::actions::{perform, Action};
use jicha::context::{Lang, Role};
use jicha::escalation::{self, Closed};
use std::path::Path;
use std::process::{Command, Output};

/// The fixture with a units tree: 城关供电所 has a head, 城北供电所 has none.
fn dataset() -> (tempfile::TempDir, jicha::db::Dataset) {
    let (d, mut ds) = fixture();
    ds.write(|tx| {
        tx.execute_batch(
            "INSERT INTO units(name, parent, level, head, import_id, src_line) VALUES
               ('杭州供电公司', NULL, 'city', '周经理', 1, 2),
               ('西湖区', '杭州供电公司', 'county', '吴主任', 1, 3),
               ('拱墅区', '杭州供电公司', 'county', NULL, 1, 4),
               ('城关供电所', '西湖区', 'station', '张所长', 1, 5),
               ('城北供电所', '拱墅区', 'station', NULL, 1, 6);",
        )?;
        Ok(())
    })
    .unwrap();
    (d, ds)
}

/// A ticket of `findings` issued on 2026-11-02, due `due`; its number.
fn ticket(ds: &mut jicha::db::Dataset, findings: &[i64], due: &str) -> String {
    let a = ctx("auditor1", Role::Auditor, "2026-11-02");
    let out = perform(
        ds,
        &a,
        &Action::TicketCreate {
            findings: findings.to_vec(),
            unit: None,
            person: None,
            due: Some(day(due)),
            requirement: "核实并更正档案".into(),
        },
    )
    .unwrap();
    let text = out.text(Lang::En);
    text.split_whitespace()
        .find(|w| w.starts_with("JC-"))
        .unwrap()
        .to_string()
}

fn run_on(ds: &mut jicha::db::Dataset, today: &str) -> jicha::actions::Outcome {
    run(ds, &ctx("centre1", Role::Auditor, today), Trigger::Command).unwrap()
}

fn log_records(ds: &jicha::db::Dataset) -> i64 {
    ds.conn
        .query_row(
            "SELECT count(*) FROM action_log WHERE action = 'escalation.run'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

fn approve(ds: &mut jicha::db::Dataset, number: &str, today: &str) {
    let a = ctx("auditor1", Role::Auditor, today);
    let r = ctx("reviewer1", Role::Reviewer, today);
    let n = number.to_string();
    perform(ds, &a, &Action::TicketAck { number: n.clone() }).unwrap();
    perform(
        ds,
        &a,
        &Action::TicketSubmit {
            number: n.clone(),
            cause: "录入错误".into(),
            measures: "已更正".into(),
            recovered: None,
        },
    )
    .unwrap();
    perform(ds, &r, &Action::TicketApprove { number: n }).unwrap();
}

#[test]
fn two_days_overdue_is_not_escalated_three_days_is_once_to_the_units_head() {
    let (_d, mut ds) = dataset();
    let t = ticket(&mut ds, &[1], "2026-11-10");

    // 2 days past the due date: below escalate_after_days (3). Nothing written, nothing logged.
    let out = run_on(&mut ds, "2026-11-12");
    assert_eq!(out.changed, 0);
    assert!(escalation::list(&ds.conn, false).unwrap().is_empty());
    assert_eq!(
        log_records(&ds),
        0,
        "a run that changes nothing logs nothing"
    );

    // 3 days: one notice for the ticket's unit, addressed to its head.
    let out = run_on(&mut ds, "2026-11-13");
    assert!(
        out.text(Lang::En).contains("DB-20261113-001"),
        "{}",
        out.text(Lang::En)
    );
    let all = escalation::list(&ds.conn, false).unwrap();
    assert_eq!(all.len(), 1);
    let e = &all[0];
    assert_eq!(e.number, "DB-20261113-001");
    assert_eq!(e.unit, "城关供电所");
    assert_eq!(e.head.as_deref(), Some("张所长"));
    assert_eq!(e.issued_on, "2026-11-13");
    assert_eq!((e.round, e.limit_days), (1, 3));
    assert!(e.is_open());
    let listed = escalation::listed(&ds.conn, e.id).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].number.as_str(), listed[0].days_overdue),
        (t.as_str(), 3)
    );
    assert_eq!(log_records(&ds), 1);

    // The same day again: still one notice, and no second log record.
    let out = run_on(&mut ds, "2026-11-13");
    assert_eq!(out.changed, 0);
    assert_eq!(escalation::list(&ds.conn, false).unwrap().len(), 1);
    assert_eq!(log_records(&ds), 1);
    assert_state_verifies(&ds);
}

#[test]
fn two_overdue_tickets_of_one_unit_are_one_notice_listing_both_with_their_days() {
    let (_d, mut ds) = dataset();
    // Findings 1 (C1) and 3 (C2) are both 城关供电所's; 5 (C3) is 城北供电所's.
    let t1 = ticket(&mut ds, &[1], "2026-11-10");
    let t2 = ticket(&mut ds, &[3], "2026-11-08");
    let _t3 = ticket(&mut ds, &[5], "2026-11-12");
    run_on(&mut ds, "2026-11-13");
    let open = escalation::list(&ds.conn, true).unwrap();
    assert_eq!(
        open.len(),
        1,
        "城北's ticket is only 1 day overdue: {open:?}"
    );
    let listed = escalation::listed(&ds.conn, open[0].id).unwrap();
    let got: Vec<(&str, i64)> = listed
        .iter()
        .map(|l| (l.number.as_str(), l.days_overdue))
        .collect();
    assert_eq!(
        got,
        [(t2.as_str(), 5), (t1.as_str(), 3)],
        "most overdue first"
    );
    assert_eq!(open[0].tickets, 2);
}

#[test]
fn a_unit_without_a_head_gets_its_notice_addressed_to_itself() {
    let (_d, mut ds) = dataset();
    ticket(&mut ds, &[5], "2026-11-03");
    run_on(&mut ds, "2026-11-13");
    let e = &escalation::list(&ds.conn, true).unwrap()[0];
    assert_eq!(e.unit, "城北供电所");
    assert_eq!(e.head, None);
    let listed = escalation::listed(&ds.conn, e.id).unwrap();
    let en = jicha::output::escalation::notice(Lang::En, e, &listed, false);
    assert!(
        en.contains("To: 城北供电所 (no head on record: addressed to the unit itself)"),
        "{en}"
    );
    let zh = jicha::output::escalation::notice(Lang::Zh, e, &listed, false);
    assert!(
        zh.contains("致：城北供电所 （未登记负责人：直接发至该单位）"),
        "{zh}"
    );
}

#[test]
fn a_unit_still_lagging_the_next_day_gets_a_new_notice_that_supersedes_the_last() {
    let (_d, mut ds) = dataset();
    let t = ticket(&mut ds, &[1], "2026-11-10");
    run_on(&mut ds, "2026-11-13");
    run_on(&mut ds, "2026-11-14");
    let all = escalation::list(&ds.conn, false).unwrap();
    assert_eq!(all.len(), 2);
    let (first, second) = (&all[0], &all[1]);
    assert_eq!(first.closed_on.as_deref(), Some("2026-11-14"));
    assert_eq!(first.closed_reason, Some(Closed::Superseded));
    assert_eq!(first.superseded_by.as_deref(), Some("DB-20261114-001"));
    assert_eq!(second.number, "DB-20261114-001");
    assert!(second.is_open());
    assert_eq!(second.round, 2, "第 2 次督办");
    let listed = escalation::listed(&ds.conn, second.id).unwrap();
    assert_eq!(
        (listed[0].number.as_str(), listed[0].days_overdue),
        (t.as_str(), 4)
    );
    // The first keeps what it said on its day.
    let listed = escalation::listed(&ds.conn, first.id).unwrap();
    assert_eq!(listed[0].days_overdue, 3);
    assert_eq!(escalation::open_count(&ds.conn).unwrap(), 1);
    assert_eq!(log_records(&ds), 2);
}

#[test]
fn the_notice_closes_on_the_next_run_once_the_units_tickets_are_approved() {
    let (_d, mut ds) = dataset();
    let t1 = ticket(&mut ds, &[1], "2026-11-10");
    let t2 = ticket(&mut ds, &[3], "2026-11-08");
    run_on(&mut ds, "2026-11-13");
    approve(&mut ds, &t1, "2026-11-14");
    // One ticket still past the limit: the unit stays escalated (a new day's notice, t2 only).
    run_on(&mut ds, "2026-11-14");
    let open = escalation::list(&ds.conn, true).unwrap();
    assert_eq!(open.len(), 1);
    let listed = escalation::listed(&ds.conn, open[0].id).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].number, t2);

    approve(&mut ds, &t2, "2026-11-15");
    let out = run_on(&mut ds, "2026-11-15");
    assert_eq!(out.changed, 1, "{}", out.text(Lang::En));
    assert_eq!(escalation::open_count(&ds.conn).unwrap(), 0);
    let last = escalation::get(&ds.conn, &open[0].number).unwrap();
    assert_eq!(last.closed_on.as_deref(), Some("2026-11-15"));
    assert_eq!(last.closed_reason, Some(Closed::Resolved));
    assert_eq!(
        escalation::list(&ds.conn, false).unwrap().len(),
        2,
        "no new notice"
    );
    assert_eq!(log_records(&ds), 3);
    // A notice lists its tickets as they are now, beside the days they were overdue then.
    let listed = escalation::listed(&ds.conn, last.id).unwrap();
    assert_eq!(listed[0].state, "approved");
    assert_state_verifies(&ds);
}

#[test]
fn cancelled_tickets_are_not_escalated_and_a_raised_limit_closes_a_notice() {
    let (_d, mut ds) = dataset();
    let t = ticket(&mut ds, &[1], "2026-11-03");
    let a = ctx("auditor1", Role::Auditor, "2026-11-03");
    perform(
        &mut ds,
        &a,
        &Action::TicketCancel {
            number: t,
            reason: "重复派单".into(),
        },
    )
    .unwrap();
    run_on(&mut ds, "2026-11-13");
    assert!(escalation::list(&ds.conn, false).unwrap().is_empty());

    ticket(&mut ds, &[3], "2026-11-08");
    run_on(&mut ds, "2026-11-13");
    assert_eq!(escalation::open_count(&ds.conn).unwrap(), 1);
    let admin = ctx("admin1", Role::Admin, "2026-11-14");
    perform(
        &mut ds,
        &admin,
        &Action::ThresholdSet {
            name: "escalate_after_days".into(),
            value: "10".into(),
        },
    )
    .unwrap();
    run_on(&mut ds, "2026-11-14");
    assert_eq!(escalation::open_count(&ds.conn).unwrap(), 0);
}

#[test]
fn only_the_audit_centre_runs_it_by_hand_and_a_refusal_writes_nothing() {
    let (_d, mut ds) = dataset();
    ticket(&mut ds, &[1], "2026-11-03");
    let viewer = ctx("viewer1", Role::Viewer, "2026-11-13");
    let e = run(&mut ds, &viewer, Trigger::Command).unwrap_err();
    assert!(e.to_string().contains("auditor"), "{e}");
    let mut bound = ctx("station1", Role::Reviewer, "2026-11-13");
    bound.unit = Some("城关供电所".into());
    let e = run(&mut ds, &bound, Trigger::Command).unwrap_err();
    assert!(
        e.text(Lang::En).contains("audit centre") && e.text(Lang::En).contains("城关供电所"),
        "{}",
        e.text(Lang::En)
    );
    assert!(
        e.text(Lang::Zh).contains("稽查中心"),
        "{}",
        e.text(Lang::Zh)
    );
    assert!(escalation::list(&ds.conn, false).unwrap().is_empty());
    assert_eq!(log_records(&ds), 0);
    // After a scan the run follows under the scanning operator, whoever they are bound to.
    run(&mut ds, &bound, Trigger::Scan).unwrap();
    assert_eq!(escalation::open_count(&ds.conn).unwrap(), 1);
    let details: String = ds
        .conn
        .query_row(
            "SELECT details FROM action_log WHERE action = 'escalation.run'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(details.contains(r#""trigger":"scan""#), "{details}");
}

#[test]
fn replaying_an_earlier_day_after_a_later_one_is_refused() {
    let (_d, mut ds) = dataset();
    ticket(&mut ds, &[1], "2026-11-03");
    run_on(&mut ds, "2026-11-13");
    let e = run(
        &mut ds,
        &ctx("centre1", Role::Auditor, "2026-11-12"),
        Trigger::Command,
    )
    .unwrap_err();
    assert!(
        e.text(Lang::En).contains("DB-20261113-001"),
        "{}",
        e.text(Lang::En)
    );
    assert_eq!(escalation::list(&ds.conn, false).unwrap().len(), 1);
}

fn jicha(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jicha"))
        .arg("--db")
        .arg(db)
        .args(["--operator", "admin1"])
        .args(args)
        .env_remove("JICHA_DB")
        .output()
        .unwrap()
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn a_scan_is_followed_by_the_days_escalation_run() {
    let (d, mut ds) = dataset();
    ticket(&mut ds, &[1], "2026-11-03");
    let path = ds.path.clone();
    drop(ds);
    let o = jicha(&path, &["--today", "2026-11-13", "--lang", "en", "scan"]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    ok(o);
    assert!(err.contains("DB-20261113-001"), "{err}");
    let out = ok(jicha(
        &path,
        &[
            "--today",
            "2026-11-13",
            "escalation",
            "list",
            "--open",
            "--format",
            "csv",
        ],
    ));
    assert!(
        out.contains("DB-20261113-001,城关供电所,张所长,2026-11-13,admin1,1,1"),
        "{out}"
    );
    drop(d);
}

#[test]
fn list_and_show_in_both_languages() {
    let (_d, mut ds) = dataset();
    let t = ticket(&mut ds, &[1], "2026-11-10");
    let path = ds.path.clone();
    drop(ds);
    let run = ok(jicha(
        &path,
        &["--today", "2026-11-13", "--lang", "zh", "escalation", "run"],
    ));
    assert!(run.contains("签发督办单 1 张：DB-20261113-001"), "{run}");

    let en = ok(jicha(&path, &["--lang", "en", "escalation", "list"]));
    assert!(
        en.contains("Notice no.") && en.contains("DB-20261113-001"),
        "{en}"
    );
    assert!(en.contains("张所长") && en.contains("open"), "{en}");
    let zh = ok(jicha(
        &path,
        &["--lang", "zh", "escalation", "list", "--open"],
    ));
    assert!(
        zh.contains("编号") && zh.contains("督办中") && zh.contains("（共 1 张督办单）"),
        "{zh}"
    );

    let show = ok(jicha(
        &path,
        &["--lang", "zh", "escalation", "show", "DB-20261113-001"],
    ));
    for want in [
        "稽查工作督办单",
        "编号：DB-20261113-001",
        "第 1 次督办",
        "致：城关供电所 负责人 张所长",
        "签发日期：2026-11-13",
        "超过整改期限 3 天及以上",
        "超期天数",
        "已派发",
        "核实并更正档案",
        "接收单位负责人签字",
    ] {
        assert!(show.contains(want), "`{want}` missing:\n{show}");
    }
    let line = show.lines().find(|l| l.contains(&t)).unwrap();
    assert!(
        line.contains("2026-11-02") && line.contains("2026-11-10"),
        "{line}"
    );
    assert!(line.split_whitespace().any(|w| w == "3"), "{line}");

    let md = ok(jicha(
        &path,
        &[
            "--lang",
            "en",
            "escalation",
            "show",
            "DB-20261113-001",
            "--format",
            "md",
        ],
    ));
    assert!(md.starts_with("# Audit work escalation notice"), "{md}");
    assert!(
        md.contains(&format!(
            "| 1 | {t} | 2026-11-02 | 2026-11-10 | 3 | dispatched |"
        )),
        "{md}"
    );
    assert!(md.contains("Received by the unit's head"), "{md}");

    let o = jicha(
        &path,
        &["--lang", "en", "escalation", "show", "DB-20990101-001"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no escalation notice DB-20990101-001"));
}

#[test]
fn the_workbook_opens_with_notice_and_ticket_numbers_as_text() {
    use calamine::{Data, Reader, Xlsx};
    let (d, mut ds) = dataset();
    let t = ticket(&mut ds, &[1], "2026-11-10");
    let path = ds.path.clone();
    drop(ds);
    ok(jicha(
        &path,
        &["--today", "2026-11-13", "escalation", "run"],
    ));
    let file = d.path().join("esc.xlsx");
    ok(jicha(
        &path,
        &[
            "--lang",
            "zh",
            "escalation",
            "list",
            "--format",
            "xlsx",
            "--out",
            file.to_str().unwrap(),
        ],
    ));
    let mut book: Xlsx<_> = calamine::open_workbook(&file).unwrap();
    let names = book.sheet_names().to_vec();
    assert_eq!(names, ["督办单", "督办工单"]);
    let notices = book.worksheet_range("督办单").unwrap();
    assert_eq!(notices.get((0, 0)), Some(&Data::String("编号".into())));
    assert_eq!(
        notices.get((1, 0)),
        Some(&Data::String("DB-20261113-001".into()))
    );
    let tickets = book.worksheet_range("督办工单").unwrap();
    assert_eq!(tickets.get((1, 2)), Some(&Data::String(t)));
    assert_eq!(tickets.get((1, 5)), Some(&Data::Float(3.0)));
}

#[test]
fn reads_never_write() {
    let (_d, mut ds) = dataset();
    ticket(&mut ds, &[1], "2026-11-03");
    let path = ds.path.clone();
    drop(ds);
    ok(jicha(
        &path,
        &["--today", "2026-11-13", "escalation", "list"],
    ));
    let ds = jicha::db::Dataset::open(&path).unwrap();
    assert!(escalation::list(&ds.conn, false).unwrap().is_empty());
    assert_eq!(log_records(&ds), 0);
}

#[test]
fn a_limit_of_zero_still_lists_only_tickets_past_their_due_date() {
    let (_d, mut ds) = dataset();
    let admin = ctx("admin1", Role::Admin, "2026-11-02");
    perform(
        &mut ds,
        &admin,
        &Action::ThresholdSet {
            name: "escalate_after_days".into(),
            value: "0".into(),
        },
    )
    .unwrap();
    ticket(&mut ds, &[1], "2026-11-10");
    run_on(&mut ds, "2026-11-10");
    assert!(
        escalation::list(&ds.conn, false).unwrap().is_empty(),
        "due today: not overdue"
    );
    run_on(&mut ds, "2026-11-11");
    let e = &escalation::list(&ds.conn, true).unwrap()[0];
    assert_eq!(e.limit_days, 1);
    assert_eq!(
        escalation::listed(&ds.conn, e.id).unwrap()[0].days_overdue,
        1
    );
}

#[test]
fn the_uis_scan_job_is_followed_by_the_run_too() {
    let (_d, mut ds) = dataset();
    ticket(&mut ds, &[1], "2026-11-03");
    let path = ds.path.clone();
    drop(ds);
    let c = ctx("auditor1", Role::Auditor, "2026-11-13");
    let line =
        jicha::cli::load::scan_for_ui(&path, &c, day("2026-11-13"), &mut jicha::progress::silent)
            .unwrap();
    assert!(line.contains("DB-20261113-001"), "{line}");
    let ds = jicha::db::Dataset::open(&path).unwrap();
    assert_eq!(escalation::open_count(&ds.conn).unwrap(), 1);
    // The scan and the run are two records: the run is its own action after the scan's.
    let actions: Vec<String> = ds
        .conn
        .prepare("SELECT action FROM action_log ORDER BY seq DESC LIMIT 2")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(actions, ["escalation.run", "scan"]);
}
