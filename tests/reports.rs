//! The report's figures against a hand-computed scenario, played day by day.
//!
//! Fixture: findings 1 ARC-04 C1, 2 BIL-05 C1, 3 ARC-01 C2, 4 BIL-05 C2 (城关供电所) and
//! 5 ARC-01 C3 (城北供电所), all first seen 2026-11-01.
//! 11-02 ticket A [1,3] (城关, high → due 11-09); ticket B [5] (城北, due 11-10 given)
//! 11-03 finding 4 closed as false_positive
//! 11-04 finding 2 whitelisted for 30 days
//! 11-05 A submitted; 11-06 A approved → 1 and 3 closed as rectified
//!
//! Issue 13 changed what the report counts (workflow.md "Reports"): themes monitored are
//! rules with a finding open on some day of the range (not first detected in it), completion
//! and overdue rates count problems (findings on tickets), and whitelisted findings stay open.

mod common;
use common::*;
use jicha::actions::{perform, Action};
use jicha::context::Role;
use jicha::reports::{compute, Report};

fn scenario() -> (tempfile::TempDir, jicha::db::Dataset) {
    let (d, mut ds) = fixture();
    let a = |day: &str| ctx("auditor1", Role::Auditor, day);
    perform(
        &mut ds,
        &a("2026-11-02"),
        &Action::TicketCreate {
            findings: vec![1, 3],
            unit: None,
            person: None,
            due: None,
            requirement: "整改".into(),
        },
    )
    .unwrap();
    perform(
        &mut ds,
        &a("2026-11-02"),
        &Action::TicketCreate {
            findings: vec![5],
            unit: None,
            person: None,
            due: Some(day("2026-11-10")),
            requirement: "补录".into(),
        },
    )
    .unwrap();
    perform(
        &mut ds,
        &a("2026-11-03"),
        &Action::Close {
            ids: vec![4],
            resolution: "false_positive".into(),
            note: Some("退费正常".into()),
        },
    )
    .unwrap();
    perform(
        &mut ds,
        &a("2026-11-04"),
        &Action::WhitelistAdd {
            rule: "BIL-05".into(),
            cust_no: "C1".into(),
            reason: "冲正".into(),
            days: Some(30),
        },
    )
    .unwrap();
    perform(
        &mut ds,
        &a("2026-11-05"),
        &Action::TicketSubmit {
            number: "JC-20261102-001".into(),
            cause: "c".into(),
            measures: "m".into(),
            recovered: Some(12.0),
        },
    )
    .unwrap();
    perform(
        &mut ds,
        &ctx("rev1", Role::Reviewer, "2026-11-06"),
        &Action::TicketApprove {
            number: "JC-20261102-001".into(),
        },
    )
    .unwrap();
    (d, ds)
}

fn report(ds: &jicha::db::Dataset, from: &str, to: &str) -> Report {
    compute(&ds.conn, day(from), day(to)).unwrap()
}

#[test]
fn first_week_figures() {
    let (_d, ds) = scenario();
    let r = report(&ds, "2026-11-01", "2026-11-08");
    let t = &r.total;
    assert_eq!(t.themes_monitored, 3, "ARC-04, BIL-05, ARC-01");
    assert_eq!(t.themes_ticketed, 2, "ARC-04, ARC-01");
    assert_eq!(t.initiation_rate, Some(2.0 / 3.0));
    assert_eq!((t.tickets_issued, t.tickets_completed), (2, 1));
    assert_eq!(
        (t.problems_dispatched, t.problems_completed),
        (3, 2),
        "A's 1 and 3 and B's 5; A approved"
    );
    assert_eq!(t.completion_rate, Some(2.0 / 3.0));
    assert_eq!((t.findings_to_rectify, t.findings_rectified), (3, 2));
    assert_eq!(t.rectification_rate, Some(2.0 / 3.0));
    assert_eq!(t.tickets_overdue, 0, "B is due 11-10, after the 11-08 end");
    assert_eq!(t.problems_overdue, 0);
    assert_eq!(t.overdue_rate, Some(0.0));
    assert_eq!(t.open_before, 0, "nothing detected before 11-01");
    assert_eq!(t.cumulative_completion_rate, None, "empty denominator");
    assert_eq!(
        (t.open_after, t.suppressed_after),
        (2, 1),
        "5 ticketed and 2 whitelisted: 1 and 3 rectified, 4 closed"
    );
}

#[test]
fn range_with_an_overdue_ticket() {
    let (_d, ds) = scenario();
    let r = report(&ds, "2026-11-02", "2026-11-12");
    let t = &r.total;
    assert_eq!(
        t.themes_monitored, 3,
        "all open on 11-02, though first seen 11-01"
    );
    assert_eq!(t.initiation_rate, Some(2.0 / 3.0));
    assert_eq!(t.tickets_overdue, 1);
    assert_eq!(t.problems_overdue, 1, "B's one finding");
    assert_eq!(t.overdue_rate, Some(1.0 / 3.0));
    assert_eq!((t.open_before, t.open_after), (5, 2));
    assert_eq!(t.cumulative_completion_rate, Some(0.6));

    let cg = &r.by_unit["城关供电所"];
    assert_eq!(
        (cg.tickets_issued, cg.tickets_completed, cg.tickets_overdue),
        (1, 1, 0)
    );
    assert_eq!(
        (cg.open_before, cg.open_after),
        (4, 1),
        "2 whitelisted, open"
    );
    assert_eq!(cg.cumulative_completion_rate, Some(0.75));
    let cb = &r.by_unit["城北供电所"];
    assert_eq!(
        (cb.tickets_issued, cb.tickets_completed, cb.tickets_overdue),
        (1, 0, 1)
    );
    assert_eq!(cb.completion_rate, Some(0.0));
    assert_eq!(cb.cumulative_completion_rate, Some(0.0));
    assert_eq!(r.unit_ranking, ["城关供电所", "城北供电所"]);

    assert_eq!(r.by_rule["ARC-01"].open_change_rate, Some(Some(-0.5)));
    assert_eq!(r.by_rule["BIL-05"].open_change_rate, Some(Some(-0.5)));
    assert_eq!(r.by_rule["ARC-04"].open_change_rate, Some(Some(-1.0)));

    assert_eq!(r.overdue.len(), 1);
    assert_eq!(r.overdue[0].number, "JC-20261102-002");
    assert_eq!(r.overdue[0].days_late, 2);
}

#[test]
fn a_whitelisted_finding_stays_open_and_its_suppression_ends_with_the_entry() {
    let (_d, ds) = scenario();
    // The 30-day entry from 11-04 ends on 12-04: finding 2 is open throughout, suppressed
    // until then.
    let t = report(&ds, "2026-12-01", "2026-12-03").total;
    assert_eq!((t.open_after, t.suppressed_after), (2, 1));
    let t = report(&ds, "2026-12-01", "2026-12-04").total;
    assert_eq!((t.open_after, t.suppressed_after), (2, 0));
}

#[test]
fn json_and_text_through_the_binary() {
    let (d, ds) = scenario();
    drop(ds);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jicha"))
        .args(["--db"])
        .arg(d.path().join("t.jicha"))
        .args([
            "report",
            "--from",
            "2026-11-02",
            "--to",
            "2026-11-12",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "themes_monitored",
        "themes_ticketed",
        "initiation_rate",
        "problems_dispatched",
        "problems_completed",
        "tickets_issued",
        "tickets_completed",
        "completion_rate",
        "findings_to_rectify",
        "findings_rectified",
        "rectification_rate",
        "problems_overdue",
        "tickets_overdue",
        "overdue_rate",
        "open_before",
        "open_after",
        "suppressed_before",
        "suppressed_after",
        "cumulative_completion_rate",
        "kpis",
        "by_unit",
        "by_rule",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert!(
        v.get("themes_with_findings").is_none(),
        "an old key is gone"
    );
    assert_eq!(v["initiation_rate"], 2.0 / 3.0);
    assert_eq!(v["overdue_rate"], 1.0 / 3.0);
    assert_eq!(v["cumulative_completion_rate"], 0.6);
    assert_eq!(v["by_unit"]["城北供电所"]["tickets_overdue"], 1);

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jicha"))
        .args(["--db"])
        .arg(d.path().join("t.jicha"))
        .args([
            "report",
            "--from",
            "2026-11-02",
            "--to",
            "2026-11-12",
            "--format",
            "md",
        ])
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.contains("| 稽查异常问题发起率 Initiation rate | 66.7% |"),
        "{md}"
    );
    assert!(md.contains("| 稽查超期率 Overdue rate | 33.3% |"), "{md}");
    assert!(md.contains("JC-20261102-002"), "{md}");
}

/// The same scenario through the real binary, each day's command with `--today`.
#[test]
#[allow(clippy::too_many_lines)] // one scenario, step by step; split, its steps would lose the state they share
fn scenario_driven_by_the_cli_with_today() {
    if !jicha::context::is_root() {
        // Approving as a second reviewer needs `--operator`, which only root may use.
        assert!(std::env::var_os("CI").is_none(), "CI runs as root");
        eprintln!("skipped: needs root for --operator");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.jicha");
    {
        let (_fd, ds) = fixture();
        vacuum_into(&ds.conn, &db);
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "INSERT INTO operators(login, role, added_at, added_by) VALUES (?1, 'auditor', 't', 't'), ('rev1', 'reviewer', 't', 't')",
        [jicha::context::os_login()],
    )
    .unwrap();
    drop(conn);
    let run = |today: &str, args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_jicha"))
            .arg("--db")
            .arg(&db)
            .args(["--today", today])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{today} {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    run(
        "2026-11-02",
        &[
            "ticket",
            "create",
            "--findings",
            "1,3",
            "--requirement",
            "整改",
        ],
    );
    run(
        "2026-11-02",
        &[
            "ticket",
            "create",
            "--findings",
            "5",
            "--due",
            "2026-11-10",
            "--requirement",
            "补录",
        ],
    );
    run(
        "2026-11-03",
        &[
            "finding",
            "close",
            "4",
            "--resolution",
            "false_positive",
            "--text",
            "退费正常",
        ],
    );
    run(
        "2026-11-04",
        &[
            "whitelist",
            "add",
            "--rule",
            "BIL-05",
            "--cust",
            "C1",
            "--reason",
            "冲正",
            "--days",
            "30",
        ],
    );
    run(
        "2026-11-05",
        &[
            "ticket",
            "submit",
            "JC-20261102-001",
            "--cause",
            "c",
            "--measures",
            "m",
            "--recovered",
            "12",
        ],
    );
    run(
        "2026-11-06",
        &["--operator", "rev1", "ticket", "approve", "JC-20261102-001"],
    );

    assert!(
        !run("2026-11-10", &["ticket", "list", "--state", "overdue"]).contains("JC-20261102-002")
    );
    assert!(
        run("2026-11-11", &["ticket", "list", "--state", "overdue"]).contains("JC-20261102-002")
    );
    let v: serde_json::Value = serde_json::from_str(&run(
        "2026-11-12",
        &[
            "report",
            "--from",
            "2026-11-02",
            "--to",
            "2026-11-12",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    assert_eq!(v["tickets_issued"], 2);
    assert_eq!(v["tickets_completed"], 1);
    assert_eq!(v["completion_rate"], 2.0 / 3.0);
    assert_eq!(v["findings_to_rectify"], 3);
    assert_eq!(v["findings_rectified"], 2);
    assert_eq!(v["tickets_overdue"], 1);
    assert_eq!(v["problems_overdue"], 1);
    assert_eq!(v["open_before"], 5);
    assert_eq!(v["open_after"], 2);
    assert_eq!(v["suppressed_after"], 1);
    assert_eq!(v["cumulative_completion_rate"], 0.6);
    assert_eq!(v["initiation_rate"], 2.0 / 3.0);
    assert_eq!(v["by_unit"]["城关供电所"]["completion_rate"], 1.0);
    let week: serde_json::Value = serde_json::from_str(&run(
        "2026-11-08",
        &[
            "report",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-08",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    assert_eq!(week["themes_monitored"], 3);
    assert_eq!(week["themes_ticketed"], 2);
    assert_eq!(week["tickets_overdue"], 0);
}
