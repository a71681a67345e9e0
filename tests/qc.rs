//! QC of audit work (稽查质检), hand-computed on a small November 2026.
//!
//! Fixture: 城关供电所 (C1, C2) and 城北供电所 (C3) under 西湖区 and 拱墅区; findings 1–5, plus
//! twelve ARC-01 findings 6–17 on C1 (城关) and a BIL-01 finding 30 on C1 first seen 11-04.
//! Tickets issued 2026-11-02: JC-20261102-001 … -012 (findings 6 … 17, 城关) and -013
//! (finding 5, 城北), all submitted 11-05 and approved 11-06.
//! Scans ran on 11-01 (Sunday, the fixture's), 11-02 and 11-04. Triage: the tickets'
//! `finding.ticket` on 11-02 (城关 and 城北), a note on finding 2 (城关) on 11-04, the
//! approvals' `finding.close` on 11-06 (城关 and 城北). `--today 2026-11-06` (a Friday).

mod common;
use common::*;
use jicha::actions::qc::{perform, QcAction};
use jicha::actions::{perform as act, Action};
use jicha::context::{Ctx, Role};
use jicha::db::Dataset;
use jicha::qc::{self, Month};

const GUAN: &str = "城关供电所";
const BEI: &str = "城北供电所";

fn t(n: usize) -> String {
    format!("JC-20261102-{n:03}")
}

fn reviewer_of(unit: Option<&str>, day: &str) -> Ctx {
    let mut c = ctx("rev2", Role::Reviewer, day);
    c.unit = unit.map(String::from);
    c
}

fn log_len(ds: &Dataset) -> i64 {
    ds.conn
        .query_row("SELECT count(*) FROM action_log", [], |r| r.get(0))
        .unwrap()
}

fn scenario() -> (tempfile::TempDir, Dataset) {
    let (d, mut ds) = fixture();
    ds.write(|tx| {
        for id in 6..=17 {
            tx.execute(
                "INSERT INTO findings(id, rule, cust_no, subject, status, severity, evidence, first_seen, last_seen, first_scan, last_scan, status_date)
                 VALUES (?1, 'ARC-01', 'C1', 's' || ?1, 'new', 'low', 'phone empty', '2026-11-01', '2026-11-01', 1, 1, '2026-11-01')",
                [id],
            )?;
        }
        tx.execute_batch(
            "INSERT INTO findings(id, rule, cust_no, subject, status, severity, evidence, first_seen, last_seen, first_scan, last_scan, status_date)
               VALUES (30, 'BIL-01', 'C1', '2026-10', 'new', 'medium', 'zero', '2026-11-04', '2026-11-04', 3, 3, '2026-11-04');
             INSERT INTO scans(id, started_at, finished_at, business_date, as_of, operator, thresholds, summary) VALUES
               (2,'t','t','2026-11-02','2026-11-02','admin1','{}','{}'),
               (3,'t','t','2026-11-04','2026-11-04','admin1','{}','{}');
             INSERT INTO whitelist(id, rule, cust_no, reason, author, created_at, starts_on, expires_on, effective_from, revoked_on) VALUES
               (1, 'ARC-01', 'C1', '已核实', 'auditor1', 't', '2026-11-01', '2026-12-01', '2026-11-01', NULL),
               (2, '*',      'C2', '已核实', 'auditor1', 't', '2026-11-01', '2027-05-01', '2026-11-01', NULL),
               (3, 'ARC-01', 'C3', '已核实', 'auditor1', 't', '2026-10-01', '2026-11-15', '2026-10-01', '2026-11-10'),
               (4, 'ARC-04', 'C1', '已核实', 'auditor1', 't', '2026-08-01', '2026-10-30', '2026-08-01', NULL);",
        )?;
        Ok(())
    })
    .unwrap();
    let a = |day: &str| ctx("auditor1", Role::Auditor, day);
    for f in (6..=17).chain([5]) {
        act(
            &mut ds,
            &a("2026-11-02"),
            &Action::TicketCreate {
                findings: vec![f],
                unit: None,
                person: None,
                due: None,
                requirement: "补录电话".into(),
            },
        )
        .unwrap();
    }
    act(
        &mut ds,
        &a("2026-11-04"),
        &Action::Note {
            ids: vec![2],
            text: "待核".into(),
        },
    )
    .unwrap();
    act(
        &mut ds,
        &a("2026-11-05"),
        &Action::WhitelistExtend {
            id: 1,
            days: 10,
            reason: "用户外出".into(),
        },
    )
    .unwrap();
    for n in 1..=13 {
        act(
            &mut ds,
            &a("2026-11-05"),
            &Action::TicketSubmit {
                number: t(n),
                cause: "漏录".into(),
                measures: "已补录".into(),
                recovered: None,
            },
        )
        .unwrap();
        act(
            &mut ds,
            &ctx("rev1", Role::Reviewer, "2026-11-06"),
            &Action::TicketApprove { number: t(n) },
        )
        .unwrap();
    }
    (d, ds)
}

fn nov() -> Month {
    Month::parse("2026-11").unwrap()
}

fn sample(ds: &mut Dataset, seed: Option<u64>) {
    perform(
        ds,
        &reviewer_of(None, "2026-11-06"),
        &QcAction::Sample {
            month: "2026-11".into(),
            seed,
        },
    )
    .unwrap();
}

fn sampled(ds: &Dataset) -> Vec<(String, Vec<String>)> {
    qc::samples(&ds.conn, &nov())
        .unwrap()
        .into_iter()
        .map(|s| (s.unit, s.tickets.into_iter().map(|t| t.number).collect()))
        .collect()
}

#[test]
fn business_days_are_monday_to_friday_up_to_today() {
    let m = nov();
    let days: Vec<String> = m
        .business_days(day("2026-11-06"))
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        days,
        [
            "2026-11-02",
            "2026-11-03",
            "2026-11-04",
            "2026-11-05",
            "2026-11-06"
        ]
    );
    assert_eq!(m.business_days(day("2026-12-31")).len(), 21);
}

#[test]
fn the_audit_days_without_a_scan_or_a_triage_are_listed_per_unit() {
    let (_d, ds) = scenario();
    let h = jicha::units::Hierarchy::load(&ds.conn).unwrap();
    let g = qc::gaps(&ds.conn, &h, &nov(), day("2026-11-06")).unwrap();
    let of = |u: &str| -> Vec<(String, bool, bool)> {
        g.iter()
            .find(|x| x.unit == u)
            .unwrap()
            .days
            .iter()
            .map(|d| (d.date[5..].to_string(), d.no_scan, d.no_triage))
            .collect()
    };
    let s = |d: &str, a: bool, b: bool| (d.to_string(), a, b);
    // 城关: ticketed 02, noted 04, approved 06; scans 02 and 04.
    assert_eq!(
        of(GUAN),
        [
            s("11-03", true, true),
            s("11-05", true, true),
            s("11-06", true, false)
        ]
    );
    // 城北: ticketed 02, approved 06.
    assert_eq!(
        of(BEI),
        [
            s("11-03", true, true),
            s("11-04", false, true),
            s("11-05", true, true),
            s("11-06", true, false)
        ]
    );
    // A district has its stations' triage.
    assert_eq!(of("西湖区"), of(GUAN));
}

#[test]
fn a_fixed_seed_draws_fixed_tickets_at_the_ratio() {
    let (_d, mut ds) = scenario();
    sample(&mut ds, Some(42));
    // 城关: 12 approved → ⌈1.2⌉ = 2; 城北: 1 → 1.
    assert_eq!(
        sampled(&ds),
        [
            (GUAN.to_string(), vec![t(SEED42_A), t(SEED42_B)]),
            (BEI.to_string(), vec![t(13)]),
        ]
    );
    let (seed, digest, population): (i64, String, i64) = ds
        .conn
        .query_row(
            "SELECT seed, digest, population FROM qc_samples WHERE unit = ?1",
            [GUAN],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((seed, population), (42, 12));
    let numbers: String = (1..=12).map(|n| format!("{}\n", t(n))).collect();
    use sha2::Digest;
    assert_eq!(
        digest,
        hex::encode(sha2::Sha256::digest(numbers.as_bytes()))
    );
    let logged: String = ds
        .conn
        .query_row(
            "SELECT details FROM action_log WHERE action = 'qc.sample'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&logged).unwrap();
    assert_eq!(v["seed"], 42);

    // The same seed on the same population in another dataset: the same tickets.
    let (_d2, mut again) = scenario();
    sample(&mut again, Some(42));
    assert_eq!(sampled(&again), sampled(&ds));
    // Drawn once: a second draw finds nothing left to sample and writes nothing.
    let n = log_len(&ds);
    let e = perform(
        &mut ds,
        &reviewer_of(None, "2026-11-06"),
        &QcAction::Sample {
            month: "2026-11".into(),
            seed: Some(7),
        },
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("nothing to sample"), "{e}");
    assert_eq!(log_len(&ds), n);
}

/// The two 城关 tickets seed 42 draws (pinned: the draw is ChaCha8 from SHA-256 of
/// "42\n2026-11\n城关供电所", see `qc::sample`).
const SEED42_A: usize = 9;
const SEED42_B: usize = 10;

fn score(
    ds: &mut Dataset,
    c: &Ctx,
    ticket: &str,
    item: i64,
    passed: bool,
    note: &str,
) -> jicha::Result<()> {
    perform(
        ds,
        c,
        &QcAction::Score {
            ticket: ticket.into(),
            item,
            passed,
            note: note.into(),
        },
    )
    .map(|_| ())
}

#[test]
fn scoring_is_refused_for_the_tickets_own_unit_and_below() {
    let (_d, mut ds) = scenario();
    sample(&mut ds, Some(42));
    let n = log_len(&ds);
    let own = reviewer_of(Some(GUAN), "2026-11-10");
    let e = score(&mut ds, &own, &t(SEED42_A), 1, true, "")
        .unwrap_err()
        .to_string();
    assert!(e.contains("reviewer of another unit"), "{e}");
    let e = score(
        &mut ds,
        &reviewer_of(Some(BEI), "2026-11-10"),
        &t(13),
        1,
        true,
        "",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("another unit"), "{e}");
    // Bad input, not sampled, wrong role: refused with what to fix.
    let other = reviewer_of(Some(BEI), "2026-11-10");
    let e = score(&mut ds, &other, &t(SEED42_A), 7, true, "")
        .unwrap_err()
        .to_string();
    assert!(e.contains("items are 1 to 6"), "{e}");
    let e = score(&mut ds, &other, &t(SEED42_A), 2, false, " ")
        .unwrap_err()
        .to_string();
    assert!(e.contains("--note needs a text"), "{e}");
    let unsampled = (1..=12).find(|n| *n != SEED42_A && *n != SEED42_B).unwrap();
    let e = score(&mut ds, &other, &t(unsampled), 1, true, "")
        .unwrap_err()
        .to_string();
    assert!(e.contains("in no QC sample"), "{e}");
    let e = score(
        &mut ds,
        &ctx("a", Role::Auditor, "2026-11-10"),
        &t(13),
        1,
        true,
        "",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("reviewer"), "{e}");
    assert_eq!(log_len(&ds), n, "nothing logged");
    let scored: i64 = ds
        .conn
        .query_row("SELECT count(*) FROM qc_scores", [], |r| r.get(0))
        .unwrap();
    assert_eq!(scored, 0);
    // A reviewer of another unit (城北 for 城关) and the audit centre may.
    score(&mut ds, &other, &t(SEED42_A), 1, true, "").unwrap();
    score(
        &mut ds,
        &reviewer_of(None, "2026-11-10"),
        &t(13),
        1,
        true,
        "",
    )
    .unwrap();
}

#[test]
fn the_qc_score_per_unit_is_items_passed_over_items_scored() {
    let (_d, mut ds) = scenario();
    sample(&mut ds, Some(42));
    let bei = reviewer_of(Some(BEI), "2026-11-10");
    for item in 1..=6 {
        let pass = item != 2;
        score(
            &mut ds,
            &bei,
            &t(SEED42_A),
            item,
            pass,
            if pass { "" } else { "原因分析不到位" },
        )
        .unwrap();
    }
    score(&mut ds, &bei, &t(SEED42_B), 1, true, "").unwrap();
    score(&mut ds, &bei, &t(SEED42_B), 2, true, "").unwrap();
    score(&mut ds, &bei, &t(SEED42_B), 3, false, "要求不明确").unwrap();
    // A later score of the same item replaces the first.
    score(&mut ds, &bei, &t(SEED42_B), 3, false, "工作要求未写时限").unwrap();
    score(
        &mut ds,
        &reviewer_of(Some(GUAN), "2026-11-10"),
        &t(13),
        4,
        true,
        "",
    )
    .unwrap();
    let r = qc::month_report(&ds.conn, &nov(), day("2026-11-10")).unwrap();
    let of = |u: &str| {
        let s = r.scores.iter().find(|s| s.unit == u).unwrap();
        (s.tickets, s.scored, s.passed, s.score)
    };
    assert_eq!(of(GUAN), (2, 9, 7, Some(7.0 / 9.0)));
    assert_eq!(of("西湖区"), (2, 9, 7, Some(7.0 / 9.0)));
    assert_eq!(of(BEI), (1, 1, 1, Some(1.0)));
    let notes = &r.samples.iter().find(|s| s.unit == GUAN).unwrap().tickets[1].notes;
    assert_eq!(notes[2].as_deref(), Some("工作要求未写时限"));

    // The QC score feeds a process indicator of the quality evaluation.
    use jicha::quality::actions::{perform as q, QualityAction as Q};
    use jicha::quality::{Direction, IndicatorSpec, Kind, Level, Source};
    q(
        &mut ds,
        &ctx("admin1", Role::Admin, "2026-11-10"),
        &Q::IndicatorAdd(IndicatorSpec {
            category: "稽查管理".into(),
            name: "稽查质检得分".into(),
            kind: Kind::Process,
            level: Level::Station,
            base_value: 0.5,
            full_value: 1.0,
            full_score: 10.0,
            direction: Direction::Higher,
            source: Source::QcScore,
        }),
    )
    .unwrap();
    let e = jicha::quality::evaluate(&ds.conn, &jicha::quality::Period::parse("2026-11").unwrap())
        .unwrap();
    let value = |u: &str| {
        e.unit(u)
            .unwrap()
            .indicators
            .iter()
            .find(|i| i.source == Source::QcScore)
            .unwrap()
            .value
    };
    assert_eq!(value(GUAN), Some(7.0 / 9.0));
    assert_eq!(value(BEI), Some(1.0));
}

#[test]
fn the_whitelist_audit_counts_entries_freezes_renewals_long_and_worse() {
    let (_d, ds) = scenario();
    let a = qc::whitelist::audit(&ds.conn, &nov(), day("2026-11-06")).unwrap();
    let rows: Vec<(String, String, u64, f64, i64, u64, u64)> = a
        .rows
        .iter()
        .map(|r| {
            (
                r.unit.clone(),
                r.rule.clone(),
                r.entries,
                r.mean_days,
                r.max_days,
                r.renewals,
                r.long,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (GUAN.into(), "*".into(), 1, 181.0, 181, 0, 1),
            (GUAN.into(), "ARC-01".into(), 1, 40.0, 40, 1, 0),
            (BEI.into(), "ARC-01".into(), 1, 45.0, 45, 0, 0),
        ]
    );
    let worse: Vec<(i64, Vec<i64>)> = a
        .worse
        .iter()
        .map(|w| (w.entry, w.findings.clone()))
        .collect();
    // w1 (C1 from 11-01): finding 30 first seen 11-04; w3 (C3 from 10-01 to its revocation on
    // 11-10): finding 5 first seen 11-01; w2 (C2 from 11-01): nothing new after its start.
    assert_eq!(worse, [(1, vec![30]), (3, vec![5])]);
}

#[test]
fn a_month_that_is_no_month_is_refused() {
    for bad in ["2026-13", "2026", "2026-Q1", "11-2026"] {
        let e = Month::parse(bad).unwrap_err().to_string();
        assert!(e.contains("YYYY-MM"), "{bad}: {e}");
    }
}
