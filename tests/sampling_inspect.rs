//! `sample --inspect`: the drawn sample becomes on-site inspections in the same transaction,
//! one per supply station with that station's drawn findings. A fixed seed gives fixed
//! inspections (seed 42, ratio 0.25 draws 107, 106, 103 at 城关供电所 and 203 at 城北供电所 —
//! the sample tests/sampling.rs computes by hand); the sample's log record names the
//! inspections and each inspection's names the sample; whitelisted or already planned findings
//! are left out and named; a refusal leaves neither sample nor inspection.

mod common;
use common::*;
use jicha::actions::sampling::{perform, InspectPlan, SampleDraw};
use jicha::context::{Lang, Role};
use jicha::inspections::Method;
use jicha::sampling::{self, Basis, Of};

/// The fixture plus ten open ARC-01 findings at 城关供电所 (101–110, C1 even / C2 odd) and
/// three at 城北供电所 (201–203, C3), as in tests/sampling.rs.
fn dataset() -> (tempfile::TempDir, jicha::db::Dataset) {
    let (d, mut ds) = fixture();
    ds.write(|tx| {
        let mut sql = String::new();
        for i in (101..=110).chain(201..=203) {
            let cust = match i {
                201.. => "C3",
                _ if i % 2 == 0 => "C1",
                _ => "C2",
            };
            sql.push_str(&format!(
                "INSERT INTO findings(id, rule, cust_no, subject, status, severity, evidence, first_seen, last_seen, first_scan, last_scan, status_date)
                 VALUES ({i}, 'ARC-01', '{cust}', 's{i}', 'new', 'low', 'e', '2026-11-01', '2026-11-01', 1, 1, '2026-11-01');"
            ));
        }
        sql.push_str("DELETE FROM findings WHERE id IN (3, 5);");
        tx.execute_batch(&sql)?;
        Ok(())
    })
    .unwrap();
    (d, ds)
}

fn plan(planned: &str) -> InspectPlan {
    InspectPlan {
        inspectors: vec!["张工".into(), "李工".into()],
        planned_on: day(planned),
        method: Method::Onsite,
    }
}

fn draw(seed: u64, ratio: f64, of: Of, planned: &str) -> SampleDraw {
    SampleDraw {
        basis: Basis::Rule("ARC-01".into()),
        unit: None,
        ratio,
        seed,
        of,
        inspect: Some(plan(planned)),
    }
}

/// (number, unit, finding ids, method, inspectors JSON) of every inspection, by number.
fn inspections(ds: &jicha::db::Dataset) -> Vec<(String, String, Vec<i64>, String, String)> {
    let mut stmt = ds
        .conn
        .prepare("SELECT id, number, unit, method, inspectors FROM inspections ORDER BY number")
        .unwrap();
    let rows: Vec<(i64, String, String, String, String)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rows.into_iter()
        .map(|(id, number, unit, method, who)| {
            let mut f = ds
                .conn
                .prepare(
                    "SELECT finding_id FROM inspection_findings WHERE inspection_id = ?1 ORDER BY finding_id",
                )
                .unwrap();
            let ids: Vec<i64> = f
                .query_map([id], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            (number, unit, ids, method, who)
        })
        .collect()
}

fn log_details(ds: &jicha::db::Dataset, action: &str) -> Vec<serde_json::Value> {
    let mut stmt = ds
        .conn
        .prepare("SELECT details FROM action_log WHERE action = ?1 ORDER BY seq")
        .unwrap();
    stmt.query_map([action], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|d| serde_json::from_str(&d.unwrap()).unwrap())
        .collect()
}

#[test]
fn seed_42_gives_one_inspection_per_station_of_the_hand_computed_sample() {
    let (_d, mut ds) = dataset();
    let a = ctx("auditor1", Role::Auditor, "2026-11-05");
    let out = perform(&mut ds, &a, &draw(42, 0.25, Of::Findings, "2026-11-08")).unwrap();
    let text = out.text(Lang::En);
    assert!(
        text.contains("sample CY-20261105-001: 4 of 13 drawn (seed 42)"),
        "{text}"
    );
    assert!(text.contains("XC-20261105-001"), "{text}");
    assert!(text.contains("XC-20261105-002"), "{text}");
    let who = r#"["张工","李工"]"#.to_string();
    assert_eq!(
        inspections(&ds),
        vec![
            (
                "XC-20261105-001".to_string(),
                "城关供电所".to_string(),
                vec![103, 106, 107],
                "onsite".to_string(),
                who.clone()
            ),
            (
                "XC-20261105-002".to_string(),
                "城北供电所".to_string(),
                vec![203],
                "onsite".to_string(),
                who
            ),
        ]
    );
    let planned: String = ds
        .conn
        .query_row(
            "SELECT group_concat(DISTINCT planned_on) FROM inspections",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(planned, "2026-11-08");
    let sample = log_details(&ds, "sample.draw");
    assert_eq!(sample.len(), 1);
    assert_eq!(
        sample[0]["inspections"],
        serde_json::json!(["XC-20261105-001", "XC-20261105-002"])
    );
    assert_eq!(sample[0]["not_inspected"], serde_json::json!([]));
    let created = log_details(&ds, "inspection.create");
    assert_eq!(created.len(), 2);
    assert!(created.iter().all(|d| d["sample"] == "CY-20261105-001"));
    // The same seed on a fresh copy of the same data plans the same inspections.
    let (_d2, mut ds2) = dataset();
    perform(&mut ds2, &a, &draw(42, 0.25, Of::Findings, "2026-11-08")).unwrap();
    assert_eq!(inspections(&ds), inspections(&ds2));
    assert_state_verifies(&ds);
}

#[test]
fn a_sample_of_customers_inspects_their_open_findings_and_planned_ones_are_left_out() {
    let (_d, mut ds) = dataset();
    let a = ctx("auditor1", Role::Auditor, "2026-11-05");
    // 203 is on a planned inspection already: a second one would be refused.
    jicha::actions::inspections::create_for(
        &mut ds,
        &a,
        &[203],
        Method::Phone,
        day("2026-11-06"),
        vec!["王工".into()],
        None,
        None,
    )
    .unwrap();
    let mut d = draw(42, 1.0, Of::Customers, "2026-11-09");
    d.unit = Some("城北供电所".into());
    let out = perform(&mut ds, &a, &d).unwrap();
    let text = out.text(Lang::En);
    assert!(text.contains("finding(s) 203"), "{text}");
    let got = inspections(&ds);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[1].0, "XC-20261105-002");
    assert_eq!(got[1].1, "城北供电所");
    assert_eq!(got[1].2, vec![201, 202], "C3's open findings but 203");
    let sample = log_details(&ds, "sample.draw");
    assert_eq!(
        sample[0]["not_inspected"],
        serde_json::json!([[203, "planned:XC-20261105-001"]])
    );
    assert_eq!(
        sample[0]["inspections"],
        serde_json::json!(["XC-20261105-002"])
    );
    assert!(
        !text.contains("未列入"),
        "English outcome in English: {text}"
    );
    assert!(out.text(Lang::Zh).contains("未列入现场稽查"));
}

#[test]
fn a_refused_plan_leaves_neither_sample_nor_inspection() {
    let (_d, mut ds) = dataset();
    let a = ctx("auditor1", Role::Auditor, "2026-11-05");
    let e = perform(&mut ds, &a, &draw(42, 0.25, Of::Findings, "2026-11-01")).unwrap_err();
    assert!(e.to_string().contains("2026-11-01"), "{e}");
    let mut d = draw(42, 0.25, Of::Findings, "2026-11-06");
    d.inspect.as_mut().unwrap().inspectors = vec![" ".into()];
    let e = perform(&mut ds, &a, &d).unwrap_err();
    assert!(e.text(Lang::En).contains("inspector"), "{e}");
    assert!(sampling::list(&ds.conn).unwrap().is_empty());
    assert!(inspections(&ds).is_empty());
}
