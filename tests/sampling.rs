//! 抽检 (sampling): a fixed seed draws a fixed sample (the ids below were computed by hand
//! from SplitMix64 and the partial Fisher–Yates draw the module documents, with an independent
//! Python implementation), the same seed on the same population draws the same sample, another
//! seed another; ceil(ratio × n) per station, at least one; bad input; the store and the log.

mod common;
use common::*;
use jicha::actions::sampling::{perform, SampleDraw};
use jicha::context::{Lang, Role};
use jicha::sampling::{self, Basis, Of};

/// The fixture, plus ten open ARC-01 findings at 城关供电所 (ids 101–110, customers C1/C2) and
/// three at 城北供电所 (201–203, C3); one closed and one cleared finding that are not open.
fn dataset() -> (tempfile::TempDir, jicha::db::Dataset) {
    let (d, mut ds) = fixture();
    ds.write(|tx| {
        let mut sql = String::new();
        for i in 101..=110 {
            let cust = if i % 2 == 0 { "C1" } else { "C2" };
            sql.push_str(&format!(
                "INSERT INTO findings(id, rule, cust_no, subject, status, severity, evidence, first_seen, last_seen, first_scan, last_scan, status_date)
                 VALUES ({i}, 'ARC-01', '{cust}', 's{i}', 'new', 'low', 'e', '2026-11-01', '2026-11-01', 1, 1, '2026-11-01');"
            ));
        }
        for i in 201..=203 {
            sql.push_str(&format!(
                "INSERT INTO findings(id, rule, cust_no, subject, status, severity, evidence, first_seen, last_seen, first_scan, last_scan, status_date)
                 VALUES ({i}, 'ARC-01', 'C3', 's{i}', 'confirmed', 'low', 'e', '2026-11-01', '2026-11-01', 1, 1, '2026-11-01');"
            ));
        }
        sql.push_str(
            "INSERT INTO findings(id, rule, cust_no, subject, status, resolution, severity, evidence, first_seen, last_seen, first_scan, last_scan, status_date)
             VALUES (301, 'ARC-01', 'C3', 'closed', 'closed', 'false_positive', 'low', 'e', '2026-11-01', '2026-11-01', 1, 1, '2026-11-01'),
                    (302, 'ARC-01', 'C3', 'cleared', 'cleared', NULL, 'low', 'e', '2026-11-01', '2026-11-01', 1, 1, '2026-11-01');
             DELETE FROM findings WHERE id IN (3, 5);",
        );
        tx.execute_batch(&sql)?;
        Ok(())
    })
    .unwrap();
    (d, ds)
}

fn rule_draw(seed: u64, ratio: f64) -> SampleDraw {
    SampleDraw {
        basis: Basis::Rule("ARC-01".into()),
        unit: None,
        ratio,
        seed,
        of: Of::Findings,
        inspect: None,
    }
}

fn drawn(ds: &jicha::db::Dataset, number: &str) -> Vec<(String, Vec<String>)> {
    let s = sampling::get(&ds.conn, number).unwrap();
    sampling::items(&ds.conn, s.id).unwrap()
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn seed_42_draws_the_hand_computed_sample_and_stores_and_logs_it() {
    let (_d, mut ds) = dataset();
    let a = ctx("auditor1", Role::Auditor, "2026-11-05");
    let out = perform(&mut ds, &a, &rule_draw(42, 0.25)).unwrap();
    assert_eq!(out.changed, 4);
    assert_eq!(
        out.text(Lang::En),
        "sample CY-20261105-001: 4 of 13 drawn (seed 42)"
    );
    // 城关: ceil(0.25 × 10) = 3; 城北: ceil(0.25 × 3) = 1. Closed and cleared ones are not open.
    assert_eq!(
        drawn(&ds, "CY-20261105-001"),
        vec![
            ("城关供电所".to_string(), strs(&["107", "106", "103"])),
            ("城北供电所".to_string(), strs(&["203"])),
        ]
    );
    let s = sampling::get(&ds.conn, "CY-20261105-001").unwrap();
    assert_eq!((s.population, s.drawn, s.seed.as_str()), (13, 4, "42"));
    let (action, details): (String, String) = ds
        .conn
        .query_row(
            "SELECT action, details FROM action_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(action, "sample.draw");
    let v: serde_json::Value = serde_json::from_str(&details).unwrap();
    assert_eq!(v["seed"], "42");
    assert_eq!(v["population"], 13);
    assert_eq!(v["population_sha256"], s.population_sha256.as_str());
    assert_eq!(v["sample"]["城北供电所"], serde_json::json!(["203"]));
    assert_state_verifies(&ds);
}

#[test]
fn same_seed_same_population_same_sample_and_another_seed_another() {
    let (_d, mut ds) = dataset();
    let a = ctx("auditor1", Role::Auditor, "2026-11-05");
    perform(&mut ds, &a, &rule_draw(42, 0.25)).unwrap();
    perform(&mut ds, &a, &rule_draw(42, 0.25)).unwrap();
    perform(&mut ds, &a, &rule_draw(7, 0.25)).unwrap();
    let first = drawn(&ds, "CY-20261105-001");
    assert_eq!(first, drawn(&ds, "CY-20261105-002"));
    let other = drawn(&ds, "CY-20261105-003");
    assert_ne!(first, other);
    assert_eq!(
        other,
        vec![
            ("城关供电所".to_string(), strs(&["110", "102", "108"])),
            ("城北供电所".to_string(), strs(&["201"])),
        ]
    );
    let a1 = sampling::get(&ds.conn, "CY-20261105-001").unwrap();
    let a3 = sampling::get(&ds.conn, "CY-20261105-003").unwrap();
    assert_eq!(
        a1.population_sha256, a3.population_sha256,
        "same population"
    );
}

#[test]
fn ratio_rounds_up_per_station_with_at_least_one() {
    assert_eq!(sampling::count_for(0.1, 30), 3, "0.1 × 30 is 3, not 4");
    assert_eq!(sampling::count_for(0.25, 10), 3);
    assert_eq!(sampling::count_for(0.25, 3), 1);
    assert_eq!(
        sampling::count_for(0.01, 5),
        1,
        "at least one of a non-empty station"
    );
    assert_eq!(sampling::count_for(0.5, 0), 0);
    assert_eq!(sampling::count_for(1.0, 7), 7);
    assert_eq!(sampling::count_for(0.34, 3), 2);
}

#[test]
fn a_unit_limits_the_population_and_customers_are_drawn_once() {
    let (_d, mut ds) = dataset();
    let a = ctx("auditor1", Role::Auditor, "2026-11-05");
    let mut d = rule_draw(42, 1.0);
    d.unit = Some("西湖区".into());
    perform(&mut ds, &a, &d).unwrap();
    let got = drawn(&ds, "CY-20261105-001");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, "城关供电所");
    assert_eq!(got[0].1.len(), 10);
    let mut d = rule_draw(42, 1.0);
    d.of = Of::Customers;
    perform(&mut ds, &a, &d).unwrap();
    let mut got = drawn(&ds, "CY-20261105-002");
    for (_, items) in got.iter_mut() {
        items.sort();
    }
    assert_eq!(
        got,
        vec![
            ("城关供电所".to_string(), strs(&["C1", "C2"])),
            ("城北供电所".to_string(), strs(&["C3"])),
        ]
    );
}

#[test]
fn bad_input_is_refused_and_nothing_is_written() {
    let (_d, mut ds) = dataset();
    let a = ctx("auditor1", Role::Auditor, "2026-11-05");
    for ratio in [0.0, 1.5, -0.1, f64::NAN] {
        let e = perform(&mut ds, &a, &rule_draw(1, ratio)).unwrap_err();
        assert!(e.to_string().contains("ratio"), "{ratio}: {e}");
    }
    let mut d = rule_draw(1, 0.5);
    d.basis = Basis::Rule("ARC-99".into());
    let e = perform(&mut ds, &a, &d).unwrap_err();
    assert!(e.to_string().contains("unknown rule `ARC-99`"), "{e}");
    let mut d = rule_draw(1, 0.5);
    d.unit = Some("城关供电".into());
    let e = perform(&mut ds, &a, &d).unwrap_err();
    assert!(e.to_string().contains("城关供电所"), "nearest name: {e}");
    let mut d = rule_draw(1, 0.5);
    d.basis = Basis::Campaign("ZX-20260101-001".into());
    let e = perform(&mut ds, &a, &d).unwrap_err();
    assert!(e.to_string().contains("no campaign ZX-20260101-001"), "{e}");
    let v = ctx("viewer1", Role::Viewer, "2026-11-05");
    assert!(perform(&mut ds, &v, &rule_draw(1, 0.5)).is_err());
    assert!(sampling::list(&ds.conn).unwrap().is_empty());
    let logged: i64 = ds
        .conn
        .query_row(
            "SELECT count(*) FROM action_log WHERE action = 'sample.draw'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(logged, 0);
}
