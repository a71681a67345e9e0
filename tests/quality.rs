//! Quality evaluation against hand-computed cases.
//!
//! Units: the fixture's 城关供电所 (C1, C2) and 城北供电所 (C3), plus 城南供电所 (C4 active,
//! C5 closed 2026-10-01) added here; districts 西湖区 = {城关, 城南}, 拱墅区 = {城北}.
//! Findings 1–4 (城关) and 5 (城北) first seen 2026-11-01; finding 6 on C5 (城南) too.
//! Ticket A = JC-20261102-001 [1,3] 城关, issued 11-02, submitted with 12 元 recovered,
//! approved 11-06. Ticket B = JC-20261102-002 [5] 城北, issued 11-02, still open.

mod common;
use common::*;
use jicha::actions::{perform as act, Action};
use jicha::context::Role;
use jicha::db::Dataset;
use jicha::quality::actions::{perform, perform_seen, QualityAction as Q};
use jicha::quality::indicators::{score_value, IndicatorPatch, IndicatorSpec};
use jicha::quality::{self, Direction, Kind, Level, Period, Source};

const GUAN: &str = "城关供电所";
const BEI: &str = "城北供电所";
const NAN: &str = "城南供电所";
const XIHU: &str = "西湖区";
const GONGSHU: &str = "拱墅区";

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

macro_rules! assert_close {
    ($a:expr, $b:expr) => {
        assert!(
            close($a, $b),
            "{} = {} but expected {}",
            stringify!($a),
            $a,
            $b
        )
    };
}

fn admin() -> jicha::context::Ctx {
    ctx("admin1", Role::Admin, "2026-11-20")
}

fn reviewer() -> jicha::context::Ctx {
    ctx("rev1", Role::Reviewer, "2026-11-20")
}

fn scenario() -> (tempfile::TempDir, Dataset) {
    let (d, mut ds) = fixture();
    // Deductions at dispatch (issue 14) are zeroed: the business scores below are those of
    // the entries recorded by hand.
    ds.write(|tx| Ok(tx.execute("UPDATE deduction_standard SET points = 0", [])?))
        .unwrap();
    ds.write(|tx| {
        tx.execute_batch(
            "INSERT INTO customers VALUES
               ('C4','赵六',NULL,'赵六','13800000004','resident','RES','single',0.22,8,NULL,0,0,'城南供电所','西湖区','2020-01-01','active',NULL,1,5),
               ('C5','钱七',NULL,'钱七','13800000005','resident','RES','single',0.22,8,NULL,0,0,'城南供电所','西湖区','2020-01-01','closed','2026-10-01',1,6);
             INSERT INTO findings(id, rule, cust_no, subject, status, severity, evidence, amount_yuan, first_seen, last_seen, first_scan, last_scan, status_date) VALUES
               (6,'ARC-09','C5','-','new','high','unpaid 50.00',50.0,'2026-11-01','2026-11-01',1,1,'2026-11-01');",
        )?;
        Ok(())
    })
    .unwrap();
    let a = |day: &str| ctx("auditor1", Role::Auditor, day);
    for (findings, requirement) in [(vec![1, 3], "整改"), (vec![5], "补录")] {
        act(
            &mut ds,
            &a("2026-11-02"),
            &Action::TicketCreate {
                findings,
                unit: None,
                person: None,
                due: None,
                requirement: requirement.into(),
            },
        )
        .unwrap();
    }
    act(
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
    act(
        &mut ds,
        &ctx("rev1", Role::Reviewer, "2026-11-06"),
        &Action::TicketApprove {
            number: "JC-20261102-001".into(),
        },
    )
    .unwrap();
    // The default indicators (ids 1–4) are switched off so each test sets its own.
    for id in 1..=4 {
        perform(
            &mut ds,
            &admin(),
            &Q::IndicatorEnable { id, enabled: false },
        )
        .unwrap();
    }
    (d, ds)
}

fn add(ds: &mut Dataset, spec: IndicatorSpec) -> i64 {
    perform(ds, &admin(), &Q::IndicatorAdd(spec)).unwrap();
    ds.conn
        .query_row("SELECT max(id) FROM quality_indicators", [], |r| r.get(0))
        .unwrap()
}

#[allow(clippy::too_many_arguments)]
fn spec(
    name: &str,
    kind: Kind,
    level: Level,
    source: Source,
    base: f64,
    full: f64,
    score: f64,
    dir: Direction,
) -> IndicatorSpec {
    IndicatorSpec {
        category: "电费管理".into(),
        name: name.into(),
        kind,
        level,
        base_value: base,
        full_value: full,
        full_score: score,
        direction: dir,
        source,
    }
}

fn set(ds: &mut Dataset, indicator: i64, unit: &str, period: &str, value: f64) {
    perform(
        ds,
        &reviewer(),
        &Q::ValueSet {
            indicator,
            unit: unit.into(),
            period: period.into(),
            value,
        },
    )
    .unwrap();
}

fn business(ds: &mut Dataset, ticket: &str, points: f64, date: &str) {
    perform(
        ds,
        &reviewer(),
        &Q::BusinessDeduct {
            ticket: ticket.into(),
            points,
            reason: "抄表差错".into(),
            unit: None,
            date: Some(day(date)),
        },
    )
    .unwrap();
}

fn direct(ds: &mut Dataset, unit: &str, level: &str, date: &str) {
    perform(
        ds,
        &reviewer(),
        &Q::DirectDeduct {
            unit: unit.into(),
            level: level.into(),
            reason: "差错".into(),
            date: Some(day(date)),
        },
    )
    .unwrap();
}

fn bonus(ds: &mut Dataset, unit: &str, points: f64, date: &str) {
    perform(
        ds,
        &reviewer(),
        &Q::Bonus {
            unit: unit.into(),
            points,
            reason: "追补电费突出".into(),
            date: Some(day(date)),
        },
    )
    .unwrap();
}

fn nov() -> Period {
    Period::parse("2026-11").unwrap()
}

#[test]
fn indicator_score_is_linear_and_capped_both_directions() {
    // higher: base 0.6 (0 points) → full mark 1.0 (40 points).
    assert_close!(score_value(0.8, 0.6, 1.0, 40.0), 20.0); // 0.2 / 0.4 × 40
    assert_close!(score_value(1.2, 0.6, 1.0, 40.0), 40.0); // above full mark: capped
    assert_close!(score_value(0.5, 0.6, 1.0, 40.0), 0.0); // below base: 0
    assert_close!(score_value(0.6, 0.6, 1.0, 40.0), 0.0);
    // lower: base 0.3 → full mark 0.0 (20 points); 0.1 is (0.1−0.3)/(0−0.3) = 2/3 of the way.
    assert_close!(score_value(0.1, 0.3, 0.0, 20.0), 40.0 / 3.0);
    assert_close!(score_value(0.5, 0.3, 0.0, 20.0), 0.0); // worse than base
    assert_close!(score_value(-0.1, 0.3, 0.0, 20.0), 20.0); // better than full mark: capped
}

#[test]
fn periods_parse_and_step_back() {
    let h1 = Period::parse("2026-H1").unwrap();
    assert_eq!(h1.range(), (day("2026-01-01"), day("2026-06-30")));
    assert_eq!(h1.previous().label(), "2025-H2");
    assert_eq!(
        Period::parse("2026-02").unwrap().range(),
        (day("2026-02-01"), day("2026-02-28"))
    );
    assert_eq!(
        Period::parse("2026-01").unwrap().previous().label(),
        "2025-12"
    );
    assert_eq!(
        Period::parse("2026").unwrap().range(),
        (day("2026-01-01"), day("2026-12-31"))
    );
    for bad in ["2026-H3", "2026-13", "26", "2026-1", "2026H1", ""] {
        assert!(Period::parse(bad).is_err(), "{bad} accepted");
    }
}

/// Station and district composites of November, every number computed by hand below.
#[test]
#[allow(clippy::too_many_lines)] // one scenario, step by step; split, its steps would lose the state they share
fn composite_by_hand_with_caps_directions_manual_and_computed_values() {
    let (_d, mut ds) = scenario();
    use Direction::*;
    use Kind::*;
    // I5 main manual 0.9 → 1.0, 60 points; I6 main completion rate 0.5 → 1.0, 40 points;
    // I7 process manual lower 10 → 0, 50 points; I8 main manual, disabled below.
    let i5 = add(
        &mut ds,
        spec(
            "供电可靠率",
            Main,
            Level::Station,
            Source::Manual,
            0.9,
            1.0,
            60.0,
            Higher,
        ),
    );
    let i6 = add(
        &mut ds,
        spec(
            "稽查问题完成率",
            Main,
            Level::Station,
            Source::CompletionRate,
            0.5,
            1.0,
            40.0,
            Higher,
        ),
    );
    let i7 = add(
        &mut ds,
        spec(
            "投诉率",
            Process,
            Level::Station,
            Source::Manual,
            10.0,
            0.0,
            50.0,
            Lower,
        ),
    );
    let i8 = add(
        &mut ds,
        spec(
            "停用指标",
            Main,
            Level::Station,
            Source::Manual,
            0.0,
            1.0,
            100.0,
            Higher,
        ),
    );
    perform(
        &mut ds,
        &admin(),
        &Q::IndicatorEnable {
            id: i8,
            enabled: false,
        },
    )
    .unwrap();

    set(&mut ds, i5, GUAN, "2026-11", 0.95); // (0.05/0.1) × 60 = 30
    set(&mut ds, i5, BEI, "2026-11", 1.2); // above full mark: capped 60
    set(&mut ds, i5, NAN, "2026-11", 0.85); // below base: 0
    set(&mut ds, i5, GUAN, "2026-10", 1.0); // another period: not used in November
    set(&mut ds, i7, GUAN, "2026-11", 4.0); // (4−10)/(0−10) = 0.6 → 30
    set(&mut ds, i7, NAN, "2026-11", 12.0); // worse than base: 0; 城北 has no value
    set(&mut ds, i8, GUAN, "2026-11", 0.5); // disabled: must not count
                                            // I6 computed per problem: 城关 ticket A (2 findings) approved → 2/2 = 1.0 → 40;
                                            // 城北 ticket B open → 0/1 → 0; 城南 no ticket → not applicable, left out.

    business(&mut ds, "JC-20261102-001", 5.0, "2026-11-06");
    business(&mut ds, "JC-20261102-001", 3.0, "2026-10-31"); // October: not in November
    business(&mut ds, "JC-20261102-002", 60.0, "2026-11-10");
    business(&mut ds, "JC-20261102-002", 50.0, "2026-11-11"); // 110 in all: floored at 0
    direct(&mut ds, GUAN, "major", "2026-11-10"); // 3 points
    direct(&mut ds, BEI, "minor", "2026-11-12"); // 1 point
    direct(&mut ds, BEI, "accident", "2026-11-13"); // 5 points, revoked below
    direct(&mut ds, XIHU, "minor", "2026-11-15"); // the district's own: 1 point
    bonus(&mut ds, NAN, 2.0, "2026-11-18");
    let accident: i64 = ds
        .conn
        .query_row(
            "SELECT id FROM quality_entries WHERE level = 'accident'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    perform(
        &mut ds,
        &reviewer(),
        &Q::EntryRevoke {
            id: accident,
            reason: "录错单位".into(),
        },
    )
    .unwrap();

    let e = quality::evaluate(&ds.conn, &nov()).unwrap();
    assert_eq!(
        (e.from.as_str(), e.to.as_str()),
        ("2026-11-01", "2026-11-30")
    );
    assert_eq!(
        e.indicators.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![i5, i6, i7],
        "only enabled indicators"
    );
    let u = |name: &str| e.unit(name).unwrap().clone();

    // 城关: main (30 + 40) / (60 + 40) × 100 = 70; process 30 / 50 × 100 = 60;
    // business 100 − 5 = 95; composite 35 + 6 + 38 − 3 = 76.
    let g = u(GUAN);
    assert_close!(g.main, 70.0);
    assert_close!(g.process, 60.0);
    assert_close!(g.business, 95.0);
    assert_close!(g.direct, 3.0);
    assert_close!(g.composite, 76.0);
    let i6_guan = g.indicators.iter().find(|s| s.id == i6).unwrap();
    assert_eq!((i6_guan.value, i6_guan.score), (Some(1.0), Some(40.0)));
    assert_eq!(g.parent.as_deref(), Some(XIHU));

    // 城北: main (60 + 0) / 100 × 100 = 60; process: 投诉率 not entered → not applicable, and
    // with no applicable process indicator the part scores its full 100 (workflow.md; it was 0
    // before issue 13); business max(0, 100 − 110) = 0; direct 1 (the accident was revoked);
    // composite 30 + 10 + 0 − 1 = 39.
    let b = u(BEI);
    assert_close!(b.main, 60.0);
    assert_close!(b.process, 100.0);
    assert_eq!(b.not_applicable, vec!["投诉率".to_string()]);
    assert_close!(b.business, 0.0);
    assert_close!(b.business_deductions, 110.0);
    assert_close!(b.direct, 1.0);
    assert_close!(b.composite, 39.0);

    // 城南: main: I5 = 0 of 60, I6 not applicable → 0 / 60 → 0; process 0 / 50 → 0; business 100;
    // bonus 2; composite 0 + 0 + 40 + 2 = 42.
    let n = u(NAN);
    assert_close!(n.main, 0.0);
    assert_eq!(n.not_applicable, vec!["稽查问题完成率".to_string()]);
    assert_close!(n.composite, 42.0);

    // Ranking: 城关 76, 城南 42, 城北 39.
    let order: Vec<(usize, &str)> = e
        .ranked(Level::Station)
        .iter()
        .map(|s| (s.rank, s.unit.as_str()))
        .collect();
    assert_eq!(order, vec![(1, GUAN), (2, NAN), (3, BEI)]);

    // 西湖区 (a county of the customers' district → station tree) has no county indicator, so
    // the station ones evaluate it on its OWN pooled figures (workflow.md; before issue 13 it
    // was the mean of its stations): I5 manual not entered for 西湖区 → not applicable;
    // I6 completion (城关 2 + 城南 0) / (2 + 0) = 1 → 40/40 → main 100; process: I7 not
    // entered → 100; business = mean(95, 100) = 97.5; direct = its own 1, bonus its own 0;
    // composite 50 + 10 + 39 − 1 = 98.
    let x = u(XIHU);
    assert_eq!(x.children, vec![GUAN.to_string(), NAN.to_string()]);
    assert_close!(x.main, 100.0);
    assert_close!(x.process, 100.0);
    assert_close!(x.business, 97.5);
    assert_close!(x.direct, 1.0);
    assert_close!(x.bonus, 0.0);
    assert_close!(x.composite, 98.0);
    // 拱墅区 has only 城北: completion 0/1 → main 0; process 100; business 0;
    // composite 0 + 10 + 0 = 10.
    assert_close!(u(GONGSHU).composite, 10.0);
    assert_eq!(e.ranked(Level::County)[0].unit, XIHU);

    // Enabling I8 (100 points, 城关 at 0.5 → 50): 城关 main (30 + 40 + 50) / 200 × 100 = 60.
    // Others have no I8 value, so their mains are unchanged.
    perform(
        &mut ds,
        &admin(),
        &Q::IndicatorEnable {
            id: i8,
            enabled: true,
        },
    )
    .unwrap();
    let e = quality::evaluate(&ds.conn, &nov()).unwrap();
    assert_close!(e.unit(GUAN).unwrap().main, 60.0);
    assert_close!(e.unit(BEI).unwrap().main, 60.0);

    // A county-level main indicator replaces the station ones for counties only:
    // completion rate pooled over the county, 0.5 → 1.0, 10 points.
    // 西湖区: 城关 2/2 + 城南 0/0 = 2/2 → 10/10 → 100; 拱墅区: 0/1 → 0.
    add(
        &mut ds,
        spec(
            "区县完成率",
            Main,
            Level::County,
            Source::CompletionRate,
            0.5,
            1.0,
            10.0,
            Higher,
        ),
    );
    let e = quality::evaluate(&ds.conn, &nov()).unwrap();
    let x = e.unit(XIHU).unwrap();
    assert_eq!(x.indicators[0].level, Level::County);
    assert_close!(x.main, 100.0);
    assert_close!(e.unit(GONGSHU).unwrap().main, 0.0);
    assert_close!(e.unit(GUAN).unwrap().main, 60.0); // stations unaffected
    assert_state_verifies(&ds);
}

#[test]
fn findings_per_1000_and_amount_recovered_are_computed_from_the_dataset() {
    let (_d, mut ds) = scenario();
    // Process: findings per 1000 active customers, lower is better, 3000 → 0, 10 points.
    let f = add(
        &mut ds,
        spec(
            "千户异常数",
            Kind::Process,
            Level::Station,
            Source::FindingsPer1000,
            3000.0,
            0.0,
            10.0,
            Direction::Lower,
        ),
    );
    // Main: amount recovered on tickets approved in the period, 0 → 100 元, 10 points.
    let a = add(
        &mut ds,
        spec(
            "追补电费",
            Kind::Main,
            Level::Station,
            Source::AmountRecovered,
            0.0,
            100.0,
            10.0,
            Direction::Higher,
        ),
    );
    let e = quality::evaluate(&ds.conn, &nov()).unwrap();
    let val = |unit: &str, id: i64| {
        let s = e
            .unit(unit)
            .unwrap()
            .indicators
            .iter()
            .find(|s| s.id == id)
            .unwrap()
            .clone();
        (s.value.unwrap(), s.score.unwrap())
    };
    // 城关: findings 1–4 over 2 customers → 2000 per 1000; (2000−3000)/(0−3000) = 1/3 → 3.33.
    let (v, s) = val(GUAN, f);
    assert_close!(v, 2000.0);
    assert_close!(s, 10.0 / 3.0);
    assert_close!(e.unit(GUAN).unwrap().process, 100.0 / 3.0);
    // 城北: finding 5 over 1 customer → 1000; 2/3 → 6.67.
    assert_close!(val(BEI, f).0, 1000.0);
    // 城南: finding 6 over 1 active customer (C5 closed on 10-01 does not count) → 1000.
    assert_close!(val(NAN, f).0, 1000.0);
    // Amount: ticket A recovered 12 元 approved 11-06 → 12 → 1.2 points → main 12.
    assert_eq!(val(GUAN, a), (12.0, 1.2));
    assert_close!(e.unit(GUAN).unwrap().main, 12.0);
    // 城北's ticket B is not approved: 0 元, a real value (not missing) → 0 points.
    assert_eq!(val(BEI, a), (0.0, 0.0));
    assert!(e.unit(BEI).unwrap().not_applicable.is_empty());
    // In October nobody had findings or approvals: 城关 0 per 1000 → full 10 points.
    let oct = quality::evaluate(&ds.conn, &Period::parse("2026-10").unwrap()).unwrap();
    assert_close!(oct.unit(GUAN).unwrap().process, 100.0);
    assert_state_verifies(&ds);
}

#[test]
fn the_default_indicators_score_the_audit_loop() {
    // A fresh dataset's defaults: 1 completion 0.6→1 (40), 2 rectification 0.6→1 (40),
    // 3 overdue 0.3→0 lower (20), 4 findings per 1000 50→0 lower (100, process).
    let (_d, mut ds) = fixture();
    let a = ctx("auditor1", Role::Auditor, "2026-11-02");
    act(
        &mut ds,
        &a,
        &Action::TicketCreate {
            findings: vec![1, 3],
            unit: None,
            person: None,
            due: None,
            requirement: "整改".into(),
        },
    )
    .unwrap();
    let e = quality::evaluate(&ds.conn, &nov()).unwrap();
    assert_eq!(e.indicators.len(), 4);
    let g = e.unit(GUAN).unwrap();
    // November, ticket open and due 11-09 (high) → overdue at the end of 11-30:
    // completion 0/1 → 0; rectification 0/2 → 0; overdue 1/1 → 0 → main 0.
    // 4 findings / 2 customers → 2000 per 1000 → worse than 50 → process 0.
    // Business: the seeded deduction standard (issue 14) takes 2 (finding 1, high) + 0.5
    // (finding 3, low) at dispatch → 97.5. Composite 0.4 × 97.5 = 39.
    assert_close!(g.main, 0.0);
    assert_close!(g.process, 0.0);
    assert_close!(g.business, 97.5);
    assert_close!(g.composite, 39.0);
    assert_state_verifies(&ds);
}

#[test]
fn trend_steps_back_by_the_period_length() {
    let (_d, mut ds) = scenario();
    // No indicators enabled: main and process have no applicable indicator and score their
    // full 100 (workflow.md, issue 13; they were 0 before), so
    // composite = 100 × 0.5 + 100 × 0.1 + business × 0.4 − direct + bonus = 60 + business × 0.4 …
    business(&mut ds, "JC-20261102-001", 10.0, "2026-10-15");
    bonus(&mut ds, GUAN, 5.0, "2026-11-20");
    let t = quality::trend(&ds.conn, GUAN, &nov(), 3).unwrap();
    let got: Vec<(String, f64)> = t.iter().map(|p| (p.period.clone(), p.composite)).collect();
    // 09: 60 + 100 × 0.4 = 100; 10: 60 + 90 × 0.4 = 96; 11: 60 + 40 + 5 = 105.
    assert_eq!(
        got,
        vec![
            ("2026-09".into(), 100.0),
            ("2026-10".into(), 96.0),
            ("2026-11".into(), 105.0)
        ]
    );
    assert_eq!(
        t[1].rank, 3,
        "城关 is last of 3 stations in October (96 < 100)"
    );
    assert_eq!(t[1].of, 3);
    // Half-years: H1 100; H2 60 + 90 × 0.4 + 5 = 101.
    let t = quality::trend(&ds.conn, GUAN, &Period::parse("2026-H2").unwrap(), 2).unwrap();
    let got: Vec<(String, f64)> = t.iter().map(|p| (p.period.clone(), p.composite)).collect();
    assert_eq!(
        got,
        vec![("2026-H1".into(), 100.0), ("2026-H2".into(), 101.0)]
    );
    // The county's trend: 西湖区 in 2026: 60 + business mean(城关 90, 城南 100) = 95 × 0.4 = 38
    // → 98; 城关's bonus is 城关's own, not the county's (before issue 13 the county took the
    // mean of its stations' composites, 40.5).
    let t = quality::trend(&ds.conn, XIHU, &Period::parse("2026").unwrap(), 1).unwrap();
    assert_close!(t[0].composite, 98.0);
    assert!(quality::trend(&ds.conn, "无此所", &nov(), 3).is_err());
    assert_state_verifies(&ds);
}

#[test]
fn drill_down_lists_what_is_behind_the_score() {
    let (_d, mut ds) = scenario();
    business(&mut ds, "JC-20261102-001", 5.0, "2026-11-06");
    direct(&mut ds, GUAN, "major", "2026-11-10");
    bonus(&mut ds, NAN, 2.0, "2026-11-18");
    let d = quality::drill(&ds.conn, GUAN, &nov()).unwrap();
    // No indicator enabled: main and process 100 each; 50 + 10 + 95 × 0.4 − 3 = 95.
    assert_close!(d.score.composite, 60.0 + 95.0 * 0.4 - 3.0);
    let kinds: Vec<&str> = d.entries.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, vec!["business", "direct"]);
    assert_eq!(d.tickets.len(), 1);
    let t = &d.tickets[0];
    assert_eq!(t.ticket.number, "JC-20261102-001");
    assert!(t.issued_in_period && t.approved_in_period);
    assert_close!(t.deducted, 5.0);
    let ids: Vec<i64> = d.findings.iter().map(|f| f.id).collect();
    assert_eq!(ids, vec![1, 2, 3, 4]);
    assert_eq!(d.findings[0].ticket.as_deref(), Some("JC-20261102-001"));
    // The county gathers its subtree's: 城关's two entries and 城南's bonus, findings 1–4 and 6.
    let d = quality::drill(&ds.conn, XIHU, &nov()).unwrap();
    assert_eq!(d.entries.len(), 3);
    let ids: Vec<i64> = d.findings.iter().map(|f| f.id).collect();
    assert_eq!(ids, vec![1, 2, 3, 4, 6]);
    // October: nothing.
    let d = quality::drill(&ds.conn, GUAN, &Period::parse("2026-10").unwrap()).unwrap();
    assert!(d.entries.is_empty() && d.tickets.is_empty() && d.findings.is_empty());
    assert_state_verifies(&ds);
}

#[test]
#[allow(clippy::too_many_lines)] // one scenario, step by step; split, its steps would lose the state they share
fn changes_need_their_role_are_checked_and_logged() {
    let (_d, mut ds) = scenario();
    let s = spec(
        "x",
        Kind::Main,
        Level::Station,
        Source::Manual,
        0.0,
        1.0,
        10.0,
        Direction::Higher,
    );
    let err = perform(&mut ds, &reviewer(), &Q::IndicatorAdd(s.clone())).unwrap_err();
    assert!(err.to_string().contains("needs the admin role"), "{err}");
    let err = perform(
        &mut ds,
        &ctx("auditor1", Role::Auditor, "2026-11-20"),
        &Q::Bonus {
            unit: GUAN.into(),
            points: 1.0,
            reason: "r".into(),
            date: None,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("needs the reviewer role"), "{err}");

    // Direction must agree with base vs full mark.
    let mut wrong = s.clone();
    wrong.direction = Direction::Lower;
    let err = perform(&mut ds, &admin(), &Q::IndicatorAdd(wrong)).unwrap_err();
    assert!(err.to_string().contains("direction lower"), "{err}");
    // An edit that would break it is refused too, and nothing changes.
    let id = add(&mut ds, s);
    let err = perform(
        &mut ds,
        &admin(),
        &Q::IndicatorEdit {
            id,
            patch: IndicatorPatch {
                base_value: Some(2.0),
                ..Default::default()
            },
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("full-mark value above"), "{err}");
    assert_close!(
        quality::indicators::get(&ds.conn, id).unwrap().base_value,
        0.0
    );
    // A stale screen's edit is refused.
    let v = quality::indicators::get(&ds.conn, id).unwrap().version;
    perform(
        &mut ds,
        &admin(),
        &Q::IndicatorEdit {
            id,
            patch: IndicatorPatch {
                name: Some("y".into()),
                ..Default::default()
            },
        },
    )
    .unwrap();
    let err = perform_seen(
        &mut ds,
        &admin(),
        &Q::IndicatorEnable { id, enabled: false },
        Some(v),
    )
    .unwrap_err();
    assert!(matches!(err, jicha::JichaError::Stale(_)), "{err}");

    // Values only for manual indicators, on a unit of the indicator's level, known units only.
    let err = perform(
        &mut ds,
        &reviewer(),
        &Q::ValueSet {
            indicator: 1,
            unit: GUAN.into(),
            period: "2026-11".into(),
            value: 1.0,
        },
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("computed from the dataset"),
        "{err}"
    );
    let err = perform(
        &mut ds,
        &reviewer(),
        &Q::ValueSet {
            indicator: id,
            unit: XIHU.into(),
            period: "2026-11".into(),
            value: 1.0,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("evaluates stations"), "{err}");
    let err = perform(
        &mut ds,
        &reviewer(),
        &Q::ValueSet {
            indicator: id,
            unit: "无此所".into(),
            period: "2026-11".into(),
            value: 1.0,
        },
    )
    .unwrap_err();
    // The unit tree's refusal (units::Hierarchy::resolve) replaces the module's own.
    assert!(
        err.to_string()
            .contains("is not a unit of the organisation"),
        "{err}"
    );
    let err = perform(
        &mut ds,
        &reviewer(),
        &Q::ValueSet {
            indicator: id,
            unit: GUAN.into(),
            period: "2026-H3".into(),
            value: 1.0,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("not a period"), "{err}");
    // A re-entered value replaces the old one and logs both.
    set(&mut ds, id, GUAN, "2026-11", 0.4);
    set(&mut ds, id, GUAN, "2026-11", 0.7);
    assert_eq!(
        quality::indicators::manual_value(&ds.conn, id, GUAN, "2026-11").unwrap(),
        Some(0.7)
    );

    // Deductions: an unknown ticket, a bad level, points out of range, a district's business.
    let bad = [
        Q::BusinessDeduct {
            ticket: "JC-1".into(),
            points: 1.0,
            reason: "r".into(),
            unit: None,
            date: None,
        },
        Q::BusinessDeduct {
            ticket: "JC-20261102-001".into(),
            points: 0.0,
            reason: "r".into(),
            unit: None,
            date: None,
        },
        Q::BusinessDeduct {
            ticket: "JC-20261102-001".into(),
            points: 1.0,
            reason: "r".into(),
            unit: Some(XIHU.into()),
            date: None,
        },
        Q::DirectDeduct {
            unit: GUAN.into(),
            level: "huge".into(),
            reason: "r".into(),
            date: None,
        },
        Q::Bonus {
            unit: GUAN.into(),
            points: 1.0,
            reason: " ".into(),
            date: None,
        },
    ];
    for b in &bad {
        assert!(perform(&mut ds, &reviewer(), b).is_err(), "{b:?} accepted");
    }
    // Level points are data: a changed level changes new entries, not old ones.
    direct(&mut ds, GUAN, "minor", "2026-11-03");
    perform(
        &mut ds,
        &admin(),
        &Q::LevelSet {
            level: "minor".into(),
            points: 2.0,
            label: None,
        },
    )
    .unwrap();
    direct(&mut ds, GUAN, "minor", "2026-11-04");
    let e = quality::evaluate(&ds.conn, &nov()).unwrap();
    assert_close!(e.unit(GUAN).unwrap().direct, 3.0); // 1 + 2
    let entry: i64 = ds
        .conn
        .query_row("SELECT max(id) FROM quality_entries", [], |r| r.get(0))
        .unwrap();
    perform(
        &mut ds,
        &reviewer(),
        &Q::EntryRevoke {
            id: entry,
            reason: "重复".into(),
        },
    )
    .unwrap();
    assert!(perform(
        &mut ds,
        &reviewer(),
        &Q::EntryRevoke {
            id: entry,
            reason: "again".into()
        }
    )
    .is_err());

    let mut stmt = ds
        .conn
        .prepare("SELECT action FROM action_log WHERE action LIKE 'quality.%' ORDER BY seq")
        .unwrap();
    let logged: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    for name in [
        "quality.indicator.disable",
        "quality.indicator.add",
        "quality.indicator.edit",
        "quality.value.set",
        "quality.deduct.direct",
        "quality.level.set",
        "quality.entry.revoke",
    ] {
        assert!(
            logged.iter().any(|l| l == name),
            "{name} not logged: {logged:?}"
        );
    }
    // 4 disables in the scenario + add + edit + 2 values + 2 direct + level + revoke = 12;
    // the refused ones wrote nothing.
    assert_eq!(logged.len(), 12, "{logged:?}");
    assert!(jicha::actionlog::verify(&ds.conn)
        .unwrap()
        .first_broken
        .is_none());
    assert_state_verifies(&ds);
}

fn me() -> String {
    jicha::context::os_login()
}

fn jicha(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_jicha"))
        .arg("--db")
        .arg(db)
        .args(["--today", "2026-11-20"])
        .args(args)
        .env_remove("JICHA_DB")
        .output()
        .unwrap()
}

/// One unit of `jicha quality --format json`.
fn unit_json(json: &serde_json::Value, unit: &str) -> serde_json::Value {
    let units = json["units"].as_array().unwrap();
    units.iter().find(|u| u["unit"] == unit).unwrap().clone()
}

#[test]
fn command_line_evaluates_and_records() {
    let (d, mut ds) = scenario();
    let me = me();
    ds.write(|tx| {
        tx.execute(
            "INSERT INTO operators(login, role, added_at, added_by) VALUES (?1, 'admin', 't', 'admin1')",
            [&me],
        )?;
        Ok(())
    })
    .unwrap();
    drop(ds);
    let db = d.path().join("t.jicha");
    let ok = |args: &[&str]| {
        let out = jicha(&db, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    ok(&[
        "quality",
        "indicator",
        "add",
        "--category",
        "计量管理",
        "--name",
        "表计轮换率",
        "--kind",
        "main",
        "--base",
        "0.8",
        "--full-mark",
        "1",
        "--full-score",
        "10",
        "--direction",
        "higher",
    ]);
    ok(&[
        "quality",
        "value",
        "set",
        "--indicator",
        "5",
        "--unit",
        GUAN,
        "--period",
        "2026-11",
        "--value",
        "0.9",
    ]);
    ok(&[
        "quality",
        "deduct",
        "business",
        "--ticket",
        "JC-20261102-001",
        "--points",
        "10",
        "--reason",
        "抄表差错",
    ]);
    ok(&[
        "quality", "bonus", "--unit", BEI, "--points", "1", "--reason", "表扬",
    ]);
    // 城关: main 0.1/0.2 × 10 = 5 of 10 → 50; process: none → 100; business 90;
    // composite 25 + 10 + 36 = 71 (61 before issue 13, when a part with nothing scored 0).
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["quality", "--period", "2026-11", "--format", "json"])).unwrap();
    // 城北 and 城南 have no 表计轮换率 entered: not applicable, main 100; 城北 100 + bonus 1 =
    // 101 (rank 1), 城南 100 (rank 2), 城关 71 (rank 3).
    let of = |unit: &str| unit_json(&json, unit);
    let guan = of(GUAN);
    assert!(
        (guan["composite"].as_f64().unwrap() - 71.0).abs() < 1e-9,
        "{guan}"
    );
    assert_eq!(guan["rank"], 3);
    assert_eq!(of(BEI)["rank"], 1);
    assert!((of(BEI)["composite"].as_f64().unwrap() - 101.0).abs() < 1e-9);
    assert_eq!(json["weights"]["main"], 0.5);
    let csv = ok(&["quality", "--period", "2026-11", "--format", "csv"]);
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("level,rank,unit,parent,main,process,business"));
    assert_eq!(lines.count(), 5, "3 stations and 2 counties");
    let text = ok(&["quality", "--period", "2026-11"]);
    assert!(text.contains("综合得分") && text.contains(GUAN));
    let err = jicha(&db, &["quality", "--period", "2026-13"]);
    assert_eq!(err.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&err.stderr).contains("not a period"));
    let verify = jicha(&db, &["log", "verify"]);
    assert!(
        verify.status.success(),
        "false alarm: {}",
        String::from_utf8_lossy(&verify.stderr)
    );
}
