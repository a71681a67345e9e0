//! Deductions at dispatch (业务评价扣分), hand-computed.
//!
//! Fixture: 城关供电所 (C1, C2) and 城北供电所 (C3), all `resident`; findings 1 ARC-04 high C1,
//! 2 BIL-05 high C1, 3 ARC-01 low C2, 4 BIL-05 high C2, 5 ARC-01 low C3. The default
//! indicators are switched off, so the main and process parts score their full 100 and the
//! composite is 50 + 10 + 0.4 × business − direct.
//!
//! The standard used: ARC-01/low 1.5 (a rule row), category:resident/high 4 (a category row),
//! the seeded */high 2, */medium 1, */low 0.5 under them.
//! Ticket A = [1, 3] → 城关: 4 (finding 1 by category) + 1.5 (finding 3 by rule) = 5.5.
//! Ticket B = [5] → 城北: 1.5. Business: 城关 94.5, 城北 98.5; composite 城关 97.8, 城北 99.4.

mod common;
use common::*;
use jicha::actions::deductions::{self as ded, DeductionAction as D, SubmitAccountable};
use jicha::actions::{perform as act, Action};
use jicha::context::{Ctx, Lang, Role};
use jicha::db::Dataset;
use jicha::quality::actions::{perform as qperform, QualityAction as Q};
use jicha::quality::{self, Period};

const GUAN: &str = "城关供电所";
const BEI: &str = "城北供电所";
const A: &str = "JC-20261102-001";
const B: &str = "JC-20261102-002";

fn admin() -> Ctx {
    ctx("admin1", Role::Admin, "2026-11-02")
}

fn reviewer() -> Ctx {
    ctx("rev1", Role::Reviewer, "2026-11-10")
}

fn auditor() -> Ctx {
    ctx("auditor1", Role::Auditor, "2026-11-02")
}

fn log_len(ds: &Dataset) -> i64 {
    ds.conn
        .query_row("SELECT count(*) FROM action_log", [], |r| r.get(0))
        .unwrap()
}

fn entries(ds: &Dataset) -> Vec<(String, String, f64, Option<String>, bool)> {
    let mut stmt = ds
        .conn
        .prepare(
            "SELECT kind, unit, points, ticket, revoked_on IS NULL FROM quality_entries ORDER BY id",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .map(|r| r.unwrap())
    .collect()
}

fn create(ds: &mut Dataset, findings: Vec<i64>, unit: Option<&str>) {
    act(
        ds,
        &auditor(),
        &Action::TicketCreate {
            findings,
            unit: unit.map(String::from),
            person: None,
            due: None,
            requirement: "整改".into(),
        },
    )
    .unwrap();
}

fn standard(ds: &mut Dataset) {
    for (subject, severity, points) in [("ARC-01", "low", 1.5), ("category:resident", "high", 4.0)]
    {
        ded::perform(
            ds,
            &admin(),
            &D::StandardSet {
                subject: subject.into(),
                severity: severity.into(),
                points,
            },
        )
        .unwrap();
    }
    for id in 1..=4 {
        qperform(ds, &admin(), &Q::IndicatorEnable { id, enabled: false }).unwrap();
    }
}

fn scenario() -> (tempfile::TempDir, Dataset) {
    let (d, mut ds) = fixture();
    standard(&mut ds);
    create(&mut ds, vec![1, 3], None);
    create(&mut ds, vec![5], None);
    (d, ds)
}

fn nov() -> Period {
    Period::parse("2026-11").unwrap()
}

#[test]
fn the_seeded_standard_is_two_one_half_by_severity() {
    let (_d, ds) = fixture();
    let rows = jicha::deductions::standard(&ds.conn).unwrap();
    let got: Vec<(&str, &str, f64)> = rows
        .iter()
        .map(|r| (r.subject.as_str(), r.severity.as_str(), r.points))
        .collect();
    assert_eq!(
        got,
        [("*", "high", 2.0), ("*", "medium", 1.0), ("*", "low", 0.5)]
    );
}

#[test]
fn dispatch_records_exactly_the_standards_points_against_the_ticket_unit() {
    let (_d, ds) = scenario();
    assert_eq!(
        entries(&ds),
        [
            ("business".into(), GUAN.into(), 5.5, Some(A.into()), true),
            ("business".into(), BEI.into(), 1.5, Some(B.into()), true),
        ]
    );
    let t = jicha::tickets::get(&ds.conn, A, day("2026-11-02")).unwrap();
    let d = jicha::deductions::of_ticket(&ds.conn, t.id).unwrap();
    assert_eq!(d.len(), 1);
    assert_eq!(
        (d[0].proposed, d[0].points, d[0].unit.as_str()),
        (5.5, 5.5, GUAN)
    );
    let basis = d[0].basis.as_array().unwrap();
    let per: Vec<(i64, f64, &str)> = basis
        .iter()
        .map(|b| {
            (
                b["finding"].as_i64().unwrap(),
                b["points"].as_f64().unwrap(),
                b["subject"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(per, [(1, 4.0, "category:resident"), (3, 1.5, "ARC-01")]);
    // Logged in the ticket's transaction.
    let logged: i64 = ds
        .conn
        .query_row(
            "SELECT count(*) FROM action_log WHERE action = 'deduction.propose' AND target = 'ticket:' || ?1",
            [A],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(logged, 1);
}

#[test]
fn the_ranking_moves_by_the_deductions() {
    let (_d0, mut before) = fixture();
    standard(&mut before);
    let e = quality::evaluate(&before.conn, &nov()).unwrap();
    assert_eq!(
        e.unit(GUAN).unwrap().composite,
        e.unit(BEI).unwrap().composite
    );
    assert_eq!(e.unit(GUAN).unwrap().rank, e.unit(BEI).unwrap().rank);

    let (_d, ds) = scenario();
    let e = quality::evaluate(&ds.conn, &nov()).unwrap();
    let (g, b) = (e.unit(GUAN).unwrap(), e.unit(BEI).unwrap());
    assert!((g.business - 94.5).abs() < 1e-9, "{}", g.business);
    assert!((b.business - 98.5).abs() < 1e-9, "{}", b.business);
    assert!((g.composite - 97.8).abs() < 1e-9, "{}", g.composite);
    assert!((b.composite - 99.4).abs() < 1e-9, "{}", b.composite);
    assert!(
        b.rank < g.rank,
        "城北 ({}) now ranks above 城关 ({})",
        b.rank,
        g.rank
    );
}

#[test]
fn a_reviewer_adjusts_with_a_reason_and_the_old_entry_is_revoked() {
    let (_d, mut ds) = scenario();
    let o = ded::perform(
        &mut ds,
        &reviewer(),
        &D::Adjust {
            ticket: A.into(),
            points: 3.0,
            reason: "两条异常为同一差错".into(),
        },
    )
    .unwrap();
    assert!(
        o.text(Lang::En).contains("5.5 → 3 points"),
        "{}",
        o.text(Lang::En)
    );
    let e = entries(&ds);
    assert_eq!(
        e[0],
        ("business".into(), GUAN.into(), 5.5, Some(A.into()), false)
    );
    assert_eq!(
        e[2],
        ("business".into(), GUAN.into(), 3.0, Some(A.into()), true)
    );
    let t = jicha::tickets::get(&ds.conn, A, day("2026-11-10")).unwrap();
    let d = &jicha::deductions::of_ticket(&ds.conn, t.id).unwrap()[0];
    assert_eq!((d.proposed, d.points), (5.5, 3.0));
    assert_eq!(d.adjust_reason.as_deref(), Some("两条异常为同一差错"));
    assert_eq!(d.adjusted_by.as_deref(), Some("rev1"));
    let ev = quality::evaluate(&ds.conn, &nov()).unwrap();
    assert!((ev.unit(GUAN).unwrap().business - 97.0).abs() < 1e-9);
    let details: String = ds
        .conn
        .query_row(
            "SELECT details FROM action_log WHERE action = 'deduction.adjust'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&details).unwrap();
    assert_eq!(
        (v["old"].as_f64(), v["new"].as_f64()),
        (Some(5.5), Some(3.0))
    );
    // 0: nothing counts any more.
    ded::perform(
        &mut ds,
        &reviewer(),
        &D::Adjust {
            ticket: A.into(),
            points: 0.0,
            reason: "误判".into(),
        },
    )
    .unwrap();
    let ev = quality::evaluate(&ds.conn, &nov()).unwrap();
    assert!((ev.unit(GUAN).unwrap().business - 100.0).abs() < 1e-9);
}

#[test]
fn bad_adjustments_are_refused_and_write_nothing() {
    let (_d, mut ds) = scenario();
    let n = log_len(&ds);
    let cases: Vec<(Ctx, D, &str)> = vec![
        (
            reviewer(),
            D::Adjust {
                ticket: A.into(),
                points: 3.0,
                reason: " ".into(),
            },
            "--reason needs a text",
        ),
        (
            reviewer(),
            D::Adjust {
                ticket: A.into(),
                points: 101.0,
                reason: "x".into(),
            },
            "--points must be from 0 to 100",
        ),
        (
            reviewer(),
            D::Adjust {
                ticket: A.into(),
                points: 5.5,
                reason: "x".into(),
            },
            "already 5.5 points",
        ),
        (
            reviewer(),
            D::Adjust {
                ticket: "JC-1".into(),
                points: 1.0,
                reason: "x".into(),
            },
            "JC-1",
        ),
        (
            auditor(),
            D::Adjust {
                ticket: A.into(),
                points: 1.0,
                reason: "x".into(),
            },
            "reviewer",
        ),
        (
            reviewer(),
            D::StandardSet {
                subject: "*".into(),
                severity: "high".into(),
                points: 1.0,
            },
            "admin",
        ),
        (
            admin(),
            D::StandardSet {
                subject: "NOPE-99".into(),
                severity: "high".into(),
                points: 1.0,
            },
            "no rule NOPE-99",
        ),
        (
            admin(),
            D::StandardSet {
                subject: "category:shop".into(),
                severity: "high".into(),
                points: 1.0,
            },
            "category:resident",
        ),
        (
            admin(),
            D::StandardSet {
                subject: "*".into(),
                severity: "huge".into(),
                points: 1.0,
            },
            "high, medium or low",
        ),
        (
            reviewer(),
            D::Direct {
                ticket: A.into(),
                level: "huge".into(),
                reason: "x".into(),
            },
            "unknown level `huge`",
        ),
    ];
    for (c, a, says) in cases {
        let e = ded::perform(&mut ds, &c, &a).unwrap_err().to_string();
        assert!(e.contains(says), "{a:?}: {e}");
    }
    assert_eq!(log_len(&ds), n, "nothing logged");
    assert_eq!(entries(&ds).len(), 2, "nothing written");
}

#[test]
fn a_ticket_triggers_a_direct_deduction_at_a_level() {
    let (_d, mut ds) = scenario();
    ded::perform(
        &mut ds,
        &reviewer(),
        &D::Direct {
            ticket: A.into(),
            level: "major".into(),
            reason: "电价执行错误".into(),
        },
    )
    .unwrap();
    let e = entries(&ds);
    assert_eq!(e[2], ("direct".into(), GUAN.into(), 3.0, None, true));
    let ev = quality::evaluate(&ds.conn, &nov()).unwrap();
    let g = ev.unit(GUAN).unwrap();
    assert!((g.direct - 3.0).abs() < 1e-9);
    assert!((g.composite - 94.8).abs() < 1e-9, "{}", g.composite);
    let t = jicha::tickets::get(&ds.conn, A, day("2026-11-10")).unwrap();
    let d = jicha::deductions::of_ticket(&ds.conn, t.id).unwrap();
    assert_eq!(d.len(), 2);
    assert_eq!(
        (d[1].kind.as_str(), d[1].level.as_deref(), d[1].points),
        ("direct", Some("major"), 3.0)
    );
}

#[test]
fn a_ticket_of_a_unit_with_units_below_records_a_proposal_that_does_not_count() {
    let (_d, mut ds) = fixture();
    create(&mut ds, vec![2], Some("西湖区"));
    assert!(entries(&ds).is_empty());
    let t = jicha::tickets::get(&ds.conn, "JC-20261102-001", day("2026-11-02")).unwrap();
    let d = &jicha::deductions::of_ticket(&ds.conn, t.id).unwrap()[0];
    assert_eq!(
        (d.proposed, d.entry, d.unit.as_str()),
        (2.0, None, "西湖区")
    );
}

fn submit(number: &str) -> Action {
    Action::TicketSubmit {
        number: number.into(),
        cause: "漏抄".into(),
        measures: "补抄".into(),
        recovered: None,
    }
}

#[test]
fn submission_names_the_person_responsible_and_the_accountability() {
    let (_d, mut ds) = scenario();
    let n = log_len(&ds);
    let bad = SubmitAccountable {
        submit: submit(B),
        person: Some("王五".into()),
        outcome: Some("fired".into()),
    };
    let e = ded::submit(&mut ds, &auditor(), &bad)
        .unwrap_err()
        .to_string();
    assert!(e.contains("none, criticism, assessment, discipline"), "{e}");
    let empty = SubmitAccountable {
        submit: submit(B),
        person: Some("  ".into()),
        outcome: None,
    };
    let e = ded::submit(&mut ds, &auditor(), &empty)
        .unwrap_err()
        .to_string();
    assert!(e.contains("--responsible needs a text"), "{e}");
    assert_eq!(log_len(&ds), n, "refused: nothing logged");
    let t = jicha::tickets::get(&ds.conn, B, day("2026-11-02")).unwrap();
    assert_eq!(t.state.as_str(), "dispatched");

    let ok = SubmitAccountable {
        submit: submit(B),
        person: Some("王五".into()),
        outcome: Some("criticism".into()),
    };
    ded::submit(&mut ds, &auditor(), &ok).unwrap();
    let t = jicha::tickets::get(&ds.conn, B, day("2026-11-02")).unwrap();
    assert_eq!(t.state.as_str(), "submitted");
    let a = jicha::deductions::accountability(&ds.conn, t.id)
        .unwrap()
        .unwrap();
    assert_eq!(
        (a.person.as_deref(), a.outcome.as_deref()),
        (Some("王五"), Some("criticism"))
    );
    let actions: Vec<String> = {
        let mut s = ds
            .conn
            .prepare("SELECT action FROM action_log WHERE seq > ?1 ORDER BY seq")
            .unwrap();
        s.query_map([n], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    assert_eq!(actions, ["ticket.submit", "ticket.accountability"]);
}
