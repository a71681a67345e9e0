//! The quality evaluation as workflow.md "Quality evaluation" says it since issue 13, against
//! hand-computed scores (the arithmetic is in the comments): not-applicable indicators left
//! out, a part with none scoring 100, parents from their own pooled figures with only the
//! business score averaged, departments scored, quarter periods, weights as thresholds.
//!
//! The organisation (inserted as an import of units.csv would leave it):
//!
//! ```text
//! 市公司 (city)
//! ├── 东县 (county) ── 城关供电所 (C1, C2), 城南供电所 (C4)
//! ├── 北县 (county) ── 城北供电所 (C3)
//! └── 计量中心 (department)
//! ```

mod common;
use common::*;
use jicha::actions::{perform as act, Action};
use jicha::context::Role;
use jicha::db::Dataset;
use jicha::quality::actions::{perform, QualityAction as Q};
use jicha::quality::indicators::{score_value, IndicatorSpec};
use jicha::quality::{self, Direction, Kind, Level, Period, Source};

const GUAN: &str = "城关供电所";
const NAN: &str = "城南供电所";
const BEI: &str = "城北供电所";
const DONG: &str = "东县";
const BEIXIAN: &str = "北县";
const DEPT: &str = "计量中心";
const CITY: &str = "市公司";

macro_rules! assert_close {
    ($a:expr, $b:expr) => {{
        let (a, b): (f64, f64) = ($a, $b);
        assert!(
            (a - b).abs() < 1e-9,
            "{} = {a} but expected {b}",
            stringify!($a)
        )
    }};
}

fn admin() -> jicha::context::Ctx {
    ctx("admin1", Role::Admin, "2026-11-20")
}

fn reviewer() -> jicha::context::Ctx {
    ctx("rev1", Role::Reviewer, "2026-11-20")
}

fn nov() -> Period {
    Period::parse("2026-11").unwrap()
}

fn ticket(ds: &mut Dataset, findings: Vec<i64>, unit: Option<&str>) {
    // Deductions at dispatch (issue 14) are zeroed: the business scores below are those of
    // the entries recorded by hand.
    ds.write(|tx| Ok(tx.execute("UPDATE deduction_standard SET points = 0", [])?))
        .unwrap();
    act(
        ds,
        &ctx("auditor1", Role::Auditor, "2026-11-02"),
        &Action::TicketCreate {
            findings,
            unit: unit.map(Into::into),
            person: None,
            due: None,
            requirement: "整改".into(),
        },
    )
    .unwrap();
}

/// Submitted on 11-05 and approved on 11-06, before any due date (high: 11-09).
fn approve(ds: &mut Dataset, number: &str) {
    act(
        ds,
        &ctx("auditor1", Role::Auditor, "2026-11-05"),
        &Action::TicketSubmit {
            number: number.into(),
            cause: "c".into(),
            measures: "m".into(),
            recovered: None,
        },
    )
    .unwrap();
    act(
        ds,
        &ctx("rev1", Role::Reviewer, "2026-11-06"),
        &Action::TicketApprove {
            number: number.into(),
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
            reason: "差错".into(),
            unit: None,
            date: Some(day(date)),
        },
    )
    .unwrap();
}

fn disable_defaults(ds: &mut Dataset) {
    for id in 1..=4 {
        perform(ds, &admin(), &Q::IndicatorEnable { id, enabled: false }).unwrap();
    }
}

fn add(
    ds: &mut Dataset,
    name: &str,
    kind: Kind,
    level: Level,
    source: Source,
    full_score: f64,
) -> i64 {
    perform(
        ds,
        &admin(),
        &Q::IndicatorAdd(IndicatorSpec {
            category: "稽查管理".into(),
            name: name.into(),
            kind,
            level,
            base_value: 0.0,
            full_value: 1.0,
            full_score,
            direction: Direction::Higher,
            source,
        }),
    )
    .unwrap();
    ds.conn
        .query_row("SELECT max(id) FROM quality_indicators", [], |r| r.get(0))
        .unwrap()
}

/// The organisation above, C4 at 城南 with finding 6, and the tickets:
/// A = JC-20261102-001 [1, 2, 3] 城关, approved 11-06; B = JC-20261102-002 [6] 城南, open;
/// D = JC-20261102-003 [4] sent to 计量中心, approved 11-06. 城北's finding 5 is not ticketed.
fn organisation() -> (tempfile::TempDir, Dataset) {
    let (d, mut ds) = fixture();
    ds.write(|tx| {
        tx.execute_batch(
            "INSERT INTO customers VALUES
               ('C4','赵六',NULL,'赵六','13800000004','resident','RES','single',0.22,8,NULL,0,0,'城南供电所','东县','2020-01-01','active',NULL,1,5);
             INSERT INTO findings(id, rule, cust_no, subject, status, severity, evidence, amount_yuan, first_seen, last_seen, first_scan, last_scan, status_date) VALUES
               (6,'ARC-01','C4','-','new','high','phone empty',NULL,'2026-11-01','2026-11-01',1,1,'2026-11-01');
             INSERT INTO units(name, parent, level, head, import_id, src_line) VALUES
               ('市公司', NULL, 'city', NULL, 1, 2),
               ('东县', '市公司', 'county', NULL, 1, 3),
               ('北县', '市公司', 'county', NULL, 1, 4),
               ('计量中心', '市公司', 'department', NULL, 1, 5),
               ('城关供电所', '东县', 'station', NULL, 1, 6),
               ('城南供电所', '东县', 'station', NULL, 1, 7),
               ('城北供电所', '北县', 'station', NULL, 1, 8);",
        )?;
        Ok(())
    })
    .unwrap();
    ticket(&mut ds, vec![1, 2, 3], None);
    ticket(&mut ds, vec![6], None);
    ticket(&mut ds, vec![4], Some(DEPT));
    approve(&mut ds, "JC-20261102-001");
    approve(&mut ds, "JC-20261102-003");
    (d, ds)
}

#[test]
fn linear_between_base_and_full_and_capped_both_ends() {
    // Higher is better, base 0.6 → 0 points, full mark 1.0 → 40 points.
    // 0.8: (0.8 − 0.6) / (1.0 − 0.6) = 0.5 → 20; 1.2 → capped 40; 0.5 → capped 0.
    assert_close!(score_value(0.8, 0.6, 1.0, 40.0), 20.0);
    assert_close!(score_value(1.2, 0.6, 1.0, 40.0), 40.0);
    assert_close!(score_value(0.5, 0.6, 1.0, 40.0), 0.0);
    // Lower is better, base 0.3 → 0, full mark 0 → 20: 0.15 → (0.15 − 0.3)/(0 − 0.3) = 0.5 → 10;
    // −0.1 → capped 20; 0.4 → capped 0.
    assert_close!(score_value(0.15, 0.3, 0.0, 20.0), 10.0);
    assert_close!(score_value(-0.1, 0.3, 0.0, 20.0), 20.0);
    assert_close!(score_value(0.4, 0.3, 0.0, 20.0), 0.0);
}

/// The issue's example with the default indicators: a station with no ticket scored 40 against
/// 89.2 for one that had errors and fixed them, because its unvalued indicators scored zero.
#[test]
fn a_station_with_nothing_to_rectify_is_not_ranked_below_one_that_had_errors() {
    let (_d, mut ds) = fixture();
    // 城关: one ticket of its four findings, approved on 11-06 before its due date 11-09,
    // and a business deduction of 2 points for the errors it found. 城北: finding 5 stays new.
    ticket(&mut ds, vec![1, 2, 3, 4], None);
    approve(&mut ds, "JC-20261102-001");
    business(&mut ds, "JC-20261102-001", 2.0, "2026-11-06");
    let e = quality::evaluate(&ds.conn, &nov()).unwrap();
    let g = e.unit(GUAN).unwrap();
    // Defaults: completion 0.6→1 (40), rectification 0.6→1 (40), overdue 0.3→0 (20), and the
    // process indicator findings per 1000 customers 50→0 (100).
    // 城关: completion 4/4 = 1 → 40; rectification 4 ticketed, 4 rectified → 40; overdue
    // 0/4 → 20; main 100. Process: 4 findings / 2 customers = 2000 per 1000 → 0.
    // Business 100 − 2 = 98. Composite 100 × 0.5 + 0 × 0.1 + 98 × 0.4 = 89.2.
    assert_close!(g.main, 100.0);
    assert_close!(g.process, 0.0);
    assert_close!(g.business, 98.0);
    assert_close!(g.composite, 89.2);
    // 城北: no problem dispatched and nothing confirmed or ticketed: the three main indicators
    // are not applicable → main 100 (it was 0, hence the issue's 40). Process 1 finding / 1
    // customer = 1000 per 1000 → 0. Business 100. Composite 50 + 0 + 40 = 90.
    let b = e.unit(BEI).unwrap();
    assert_eq!(b.not_applicable.len(), 3, "{:?}", b.not_applicable);
    assert!(b
        .indicators
        .iter()
        .filter(|i| i.kind == Kind::Main)
        .all(|i| i.value.is_none()));
    assert_close!(b.main, 100.0);
    assert_close!(b.process, 0.0);
    assert_close!(b.composite, 90.0);
    assert!(
        b.rank < g.rank,
        "城北 {} must not rank below 城关 {}",
        b.rank,
        g.rank
    );
    assert_state_verifies(&ds);
}

#[test]
fn a_not_applicable_indicator_is_left_out_and_a_part_with_none_scores_100() {
    let (_d, mut ds) = organisation();
    disable_defaults(&mut ds);
    // Main: completion rate 0 → 1, 100 points (points = rate × 100), and a manual indicator of
    // 50 points entered for nobody.
    let rate = add(
        &mut ds,
        "完成率",
        Kind::Main,
        Level::Station,
        Source::CompletionRate,
        100.0,
    );
    let manual = add(
        &mut ds,
        "手工",
        Kind::Main,
        Level::Station,
        Source::Manual,
        50.0,
    );
    let e = quality::evaluate(&ds.conn, &nov()).unwrap();
    // 城关: completion 3/3 → 100 of 100; the manual one not entered is left out of the
    // normalisation: main = 100 / 100 × 100 = 100 (not 100 / 150 = 66.7).
    let g = e.unit(GUAN).unwrap();
    let m = g.indicators.iter().find(|i| i.id == manual).unwrap();
    assert_eq!((m.value, m.score), (None, None));
    assert_eq!(g.not_applicable, vec!["手工".to_string()]);
    assert_close!(g.main, 100.0);
    // 城南: completion 0/1 → 0 of 100: main 0; its manual one is left out too.
    assert_close!(e.unit(NAN).unwrap().main, 0.0);
    // 城北: no problem dispatched (denominator 0) and nothing entered: no applicable main
    // indicator → 100; no process indicator at all → 100; business 100 → composite 100.
    let b = e.unit(BEI).unwrap();
    let r = b.indicators.iter().find(|i| i.id == rate).unwrap();
    assert_eq!(r.value, None);
    assert_close!(b.main, 100.0);
    assert_close!(b.process, 100.0);
    assert_close!(b.composite, 100.0);
    // Entering the manual value for 城北 makes it count: 0.4 → 20 of 50 → main 40.
    perform(
        &mut ds,
        &reviewer(),
        &Q::ValueSet {
            indicator: manual,
            unit: BEI.into(),
            period: "2026-11".into(),
            value: 0.4,
        },
    )
    .unwrap();
    let e = quality::evaluate(&ds.conn, &nov()).unwrap();
    assert_close!(e.unit(BEI).unwrap().main, 40.0);
    assert_state_verifies(&ds);
}

/// Counties, the city and the department from their own figures; business averaged.
#[test]
#[allow(clippy::too_many_lines)] // one organisation, every unit's numbers by hand
fn parents_score_their_own_pooled_figures_and_average_only_business() {
    let (_d, mut ds) = organisation();
    disable_defaults(&mut ds);
    // One main indicator, completion rate 0 → 1 worth 100: points = rate × 100. It is a
    // station indicator; the other levels have none of their own, so it evaluates them too,
    // each on its own figures. No process indicator: every process part is 100.
    add(
        &mut ds,
        "完成率",
        Kind::Main,
        Level::Station,
        Source::CompletionRate,
        100.0,
    );
    business(&mut ds, "JC-20261102-001", 10.0, "2026-11-06"); // 城关 90
    business(&mut ds, "JC-20261102-002", 20.0, "2026-11-07"); // 城南 80
    business(&mut ds, "JC-20261102-003", 5.0, "2026-11-06"); // 计量中心 95
    let e = quality::evaluate(&ds.conn, &nov()).unwrap();
    let u = |n: &str| e.unit(n).unwrap().clone();
    let value = |n: &str| u(n).indicators[0].value;

    // Stations: 城关 3/3 → 100, composite 50 + 10 + 36 = 96; 城南 0/1 → 0, 0 + 10 + 32 = 42;
    // 城北 nothing dispatched → not applicable → 100, 50 + 10 + 40 = 100.
    assert_eq!(value(GUAN), Some(1.0));
    assert_close!(u(GUAN).composite, 96.0);
    assert_eq!(value(NAN), Some(0.0));
    assert_close!(u(NAN).composite, 42.0);
    assert_eq!(value(BEI), None);
    assert_close!(u(BEI).composite, 100.0);

    // 东县: its own problems are its stations' pooled: (3 + 0) / (3 + 1) = 0.75 → 75
    // (the mean of its stations' rates would be (1 + 0) / 2 = 0.5 → 50, and of their main
    // scores (100 + 0) / 2 = 50). Business = mean(90, 80) = 85.
    // Composite 75 × 0.5 + 100 × 0.1 + 85 × 0.4 = 37.5 + 10 + 34 = 81.5.
    let d = u(DONG);
    assert_eq!(d.level, Level::County);
    assert_eq!(value(DONG), Some(0.75));
    assert_close!(d.main, 75.0);
    assert_close!(d.business, 85.0);
    assert_close!(d.composite, 81.5);
    // 北县: 城北 dispatched nothing → not applicable → main 100; business mean(100) = 100.
    assert_eq!(value(BEIXIAN), None);
    assert_close!(u(BEIXIAN).composite, 100.0);

    // 计量中心, a department that received ticket D (1 problem, approved): 1/1 → 100;
    // business 100 − 5 = 95; composite 50 + 10 + 38 = 98.
    let m = u(DEPT);
    assert_eq!(m.level, Level::Department);
    assert_eq!(value(DEPT), Some(1.0));
    assert_close!(m.composite, 98.0);
    assert_eq!((m.rank, m.of), (1, 1));

    // 市公司: all its subtree's problems: (3 + 0 + 1) / (3 + 1 + 1) = 0.8 → 80; business the
    // mean of its DIRECT children 东县 85, 北县 100, 计量中心 95 = 280 / 3 (not the mean of
    // the stations); composite 40 + 10 + 0.4 × 280 / 3 = 50 + 112 / 3.
    let c = u(CITY);
    assert_eq!(value(CITY), Some(0.8));
    assert_close!(c.business, 280.0 / 3.0);
    assert_close!(c.composite, 50.0 + 112.0 / 3.0);

    // Ranks are within a level: counties 北县 100 then 东县 81.5; stations 城北, 城关, 城南.
    let counties: Vec<&str> = e
        .ranked(Level::County)
        .iter()
        .map(|u| u.unit.as_str())
        .collect();
    assert_eq!(counties, vec![BEIXIAN, DONG]);
    let stations: Vec<(usize, &str)> = e
        .ranked(Level::Station)
        .iter()
        .map(|u| (u.rank, u.unit.as_str()))
        .collect();
    assert_eq!(stations, vec![(1, BEI), (2, GUAN), (3, NAN)]);
    assert_eq!(e.children(Some(CITY)).len(), 3);
    assert!(e.within(GUAN, CITY) && !e.within(GUAN, BEIXIAN));

    // A county's business score is its units' mean, so nothing is deducted from it directly.
    let err = perform(
        &mut ds,
        &reviewer(),
        &Q::BusinessDeduct {
            ticket: "JC-20261102-001".into(),
            points: 1.0,
            reason: "r".into(),
            unit: Some(DONG.into()),
            date: None,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains(DONG), "{err}");
    // The department's drill-down: its ticket and its deduction.
    let dr = quality::drill(&ds.conn, DEPT, &nov()).unwrap();
    assert_eq!(dr.tickets.len(), 1);
    assert_eq!(dr.entries.len(), 1);
    assert_state_verifies(&ds);
}

/// A county-level indicator evaluates counties instead of the station ones.
#[test]
fn an_indicator_of_the_county_level_evaluates_counties_only() {
    let (_d, mut ds) = organisation();
    disable_defaults(&mut ds);
    add(
        &mut ds,
        "所完成率",
        Kind::Main,
        Level::Station,
        Source::CompletionRate,
        100.0,
    );
    // County: completion 0 → 1 worth 10: 东县 0.75 → 7.5 of 10 → main 75.
    let c = add(
        &mut ds,
        "县完成率",
        Kind::Main,
        Level::County,
        Source::CompletionRate,
        10.0,
    );
    let e = quality::evaluate(&ds.conn, &nov()).unwrap();
    let d = e.unit(DONG).unwrap();
    assert_eq!(d.indicators.len(), 1);
    assert_eq!(d.indicators[0].id, c);
    assert_close!(d.indicators[0].score.unwrap(), 7.5);
    assert_close!(d.main, 75.0);
    // The stations keep the station indicator.
    assert_eq!(e.unit(GUAN).unwrap().indicators[0].name, "所完成率");
}

#[test]
fn a_quarter_is_a_period_and_its_trend_steps_back_by_quarters() {
    let (_d, mut ds) = organisation();
    disable_defaults(&mut ds);
    add(
        &mut ds,
        "完成率",
        Kind::Main,
        Level::Station,
        Source::CompletionRate,
        100.0,
    );
    business(&mut ds, "JC-20261102-001", 5.0, "2026-08-15"); // in Q3
    let q4 = Period::parse("2026-Q4").unwrap();
    assert_eq!(q4, Period::Quarter(2026, 4));
    assert_eq!(q4.label(), "2026-Q4");
    let e = quality::evaluate(&ds.conn, &q4).unwrap();
    assert_eq!(
        (e.from.as_str(), e.to.as_str()),
        ("2026-10-01", "2026-12-31")
    );
    // Q4 holds November: 城关 3/3 → main 100, business 100 (the deduction is in Q3) → 100;
    // 城南 0/1 → 0 + 10 + 40 = 50.
    assert_close!(e.unit(GUAN).unwrap().composite, 100.0);
    assert_close!(e.unit(NAN).unwrap().composite, 50.0);
    // Trend over three quarters: Q2 nothing → 100; Q3 business 95 → 50 + 10 + 38 = 98; Q4 100.
    let t = quality::trend(&ds.conn, GUAN, &q4, 3).unwrap();
    let got: Vec<(&str, f64)> = t.iter().map(|p| (p.period.as_str(), p.composite)).collect();
    assert_eq!(
        got,
        vec![("2026-Q2", 100.0), ("2026-Q3", 98.0), ("2026-Q4", 100.0)]
    );
    assert_eq!(
        Period::parse("2026-Q1").unwrap().previous(),
        Period::Quarter(2025, 4)
    );
    assert_eq!(Period::Quarter(2026, 4).next(), Period::Quarter(2027, 1));
    for bad in ["2026-Q0", "2026-Q5", "2026-Q", "26-Q1"] {
        assert!(Period::parse(bad).is_err(), "{bad} accepted");
    }
}

#[test]
fn weights_are_thresholds_and_change_the_composite() {
    let (_d, mut ds) = organisation();
    disable_defaults(&mut ds);
    add(
        &mut ds,
        "完成率",
        Kind::Main,
        Level::Station,
        Source::CompletionRate,
        100.0,
    );
    business(&mut ds, "JC-20261102-001", 10.0, "2026-11-06");
    // Defaults 0.5 / 0.1 / 0.4: 城关 100 × 0.5 + 100 × 0.1 + 90 × 0.4 = 96.
    let e = quality::evaluate(&ds.conn, &nov()).unwrap();
    assert_close!(e.weights.main, 0.5);
    assert_close!(e.unit(GUAN).unwrap().composite, 96.0);
    let set = |ds: &mut Dataset, name: &str, value: &str| {
        act(
            ds,
            &admin(),
            &Action::ThresholdSet {
                name: name.into(),
                value: value.into(),
            },
        )
    };
    set(&mut ds, "quality_weight_main", "0.3").unwrap();
    set(&mut ds, "quality_weight_business", "0.6").unwrap();
    // 城关 100 × 0.3 + 100 × 0.1 + 90 × 0.6 = 30 + 10 + 54 = 94; 城南 (0/1 → main 0, no
    // deduction here) 0 × 0.3 + 100 × 0.1 + 100 × 0.6 = 70.
    let e = quality::evaluate(&ds.conn, &nov()).unwrap();
    assert_close!(e.unit(GUAN).unwrap().composite, 94.0);
    assert_close!(e.unit(NAN).unwrap().composite, 70.0);
    // A weight is a fraction in [0, 1].
    let err = set(&mut ds, "quality_weight_process", "1.5").unwrap_err();
    assert!(
        err.to_string()
            .contains("quality_weight_process is at most 1"),
        "{err}"
    );
    assert!(set(&mut ds, "quality_weight_process", "-0.1").is_err());
    assert_state_verifies(&ds);
}

/// A dataset of schema 6 (indicators evaluate `station` or `district`) upgrades in place: its
/// indicators and entered values are kept, `district` reads as the county level, and the
/// values still refer to their indicators.
#[test]
fn a_dataset_with_district_indicators_upgrades_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.jicha");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA journal_mode=WAL;").unwrap();
    for sql in [
        include_str!("../src/db/sql/001_init.sql"),
        include_str!("../src/db/sql/002_tickets.sql"),
        include_str!("../src/db/sql/003_quality.sql"),
        include_str!("../src/db/sql/004_state_ledger.sql"),
        include_str!("../src/db/sql/005_site_rules.sql"),
        include_str!("../src/db/sql/006_units.sql"),
    ] {
        conn.execute_batch(sql).unwrap();
    }
    conn.execute_batch(&format!(
        "PRAGMA user_version = 6; PRAGMA application_id = {};
         INSERT INTO customers VALUES ('C1','张三',NULL,'张三','13800000000','resident','RES','single',0.22,8,NULL,0,0,'城关供电所','西湖区','2020-01-01','active',NULL,1,2);
         INSERT INTO quality_indicators(category, name, kind, level, base_value, full_value, full_score, direction, source, created_at, created_by)
           VALUES ('营销管理', '区县手工', 'main', 'district', 0, 1, 10, 'higher', 'manual', 't', 'admin1');
         INSERT INTO quality_values VALUES (5, '西湖区', '2026-11', 0.5, 'rev1', 't', '2026-11-20');",
        jicha::db::migrations::APPLICATION_ID
    ))
    .unwrap();
    drop(conn);

    let ds = Dataset::open(&path).unwrap();
    assert_eq!(
        jicha::db::migrations::user_version(&ds.conn).unwrap(),
        jicha::db::migrations::SCHEMA_VERSION
    );
    let i = quality::indicators::get(&ds.conn, 5).unwrap();
    assert_eq!(i.level, Level::County);
    // The stored word is kept (the state ledger hashed it); the schema now takes any level.
    let stored: String = ds
        .conn
        .query_row(
            "SELECT level FROM quality_indicators WHERE id = 5",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, "district");
    let refers: String = ds
        .conn
        .query_row(
            "SELECT \"table\" FROM pragma_foreign_key_list('quality_values')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(refers, "quality_indicators");
    // 西湖区 (a county of the customers' tree) is evaluated by it: 0.5 → 5 of 10 → main 50.
    let e = quality::evaluate(&ds.conn, &nov()).unwrap();
    let x = e.unit("西湖区").unwrap();
    assert_eq!(x.level, Level::County);
    assert_close!(x.main, 50.0);
    ds.conn
        .execute_batch(
            "INSERT INTO quality_indicators(category, name, kind, level, base_value, full_value, full_score, direction, source, created_at, created_by)
               VALUES ('x', '部门', 'main', 'department', 0, 1, 10, 'higher', 'manual', 't', 'a')",
        )
        .unwrap();
}

/// The rebuild of migration 9 copies every row as it was, so the state ledger's hashes of the
/// indicators and values still match: `log verify` finds nothing after it.
#[test]
fn the_table_rebuild_keeps_the_state_ledger_valid() {
    let (_d, mut ds) = organisation();
    let id = add(
        &mut ds,
        "手工",
        Kind::Main,
        Level::Station,
        Source::Manual,
        10.0,
    );
    perform(
        &mut ds,
        &reviewer(),
        &Q::ValueSet {
            indicator: id,
            unit: GUAN.into(),
            period: "2026-11".into(),
            value: 0.5,
        },
    )
    .unwrap();
    assert_state_verifies(&ds);
    ds.conn
        .execute_batch(include_str!("../src/db/sql/009_quality_levels.sql"))
        .unwrap();
    assert_state_verifies(&ds);
    assert_eq!(
        quality::indicators::manual_value(&ds.conn, id, GUAN, "2026-11").unwrap(),
        Some(0.5)
    );
}
