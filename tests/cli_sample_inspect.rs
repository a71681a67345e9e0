//! Through the CLI: `sample … --inspect` plans the inspections in the same step (both
//! languages, with its flags), and `ticket create --campaign C --require-inspection` makes a
//! campaign ticket that cannot be submitted before its inspection is recorded.

mod common;
use common::*;
use jicha::cli::run_in_process;
use std::path::Path;

fn run(db: &Path, args: &[&str]) -> (u8, String, String) {
    let mut full = vec![
        "jicha",
        "--db",
        db.to_str().unwrap(),
        "--today",
        "2026-11-05",
        "--operator",
        "admin1",
    ];
    full.extend(args);
    let (code, out, err) = run_in_process(full);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn ok(db: &Path, args: &[&str]) -> String {
    let (code, out, err) = run(db, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

#[test]
fn sample_inspect_plans_one_inspection_per_station() {
    let (d, ds) = fixture();
    drop(ds);
    let db = d.path().join("t.jicha");
    let out = ok(
        &db,
        &[
            "sample",
            "--rule",
            "ARC-01",
            "--ratio",
            "1",
            "--seed",
            "3",
            "--inspect",
            "--inspectors",
            "张工,李工",
            "--planned",
            "2026-11-07",
            "--method",
            "phone",
        ],
    );
    assert!(
        out.contains("sample CY-20261105-001: 2 of 2 drawn (seed 3)"),
        "{out}"
    );
    // ARC-01: finding 3 (C2, 城关供电所) and 5 (C3, 城北供电所): one inspection each.
    let list = ok(&db, &["inspection", "list", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&list).unwrap();
    let got: Vec<(String, String, String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["number"].as_str().unwrap().to_string(),
                i["unit"].as_str().unwrap().to_string(),
                i["method"].as_str().unwrap().to_string(),
                i["planned_on"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "XC-20261105-001".into(),
                "城关供电所".into(),
                "phone".into(),
                "2026-11-07".into()
            ),
            (
                "XC-20261105-002".into(),
                "城北供电所".into(),
                "phone".into(),
                "2026-11-07".into()
            ),
        ]
    );
    // Drawn again: both findings are planned already, so they are named and left out.
    let out = ok(
        &db,
        &[
            "--lang",
            "zh",
            "sample",
            "--rule",
            "ARC-01",
            "--ratio",
            "1",
            "--inspect",
        ],
    );
    assert!(out.contains("未列入现场稽查"), "{out}");
    assert!(out.contains("3, 5"), "{out}");
    let (code, _, err) = run(
        &db,
        &[
            "sample",
            "--rule",
            "ARC-01",
            "--ratio",
            "1",
            "--planned",
            "2026-11-07",
        ],
    );
    assert_eq!(code, 2, "--planned needs --inspect: {err}");
    let (code, _, err) = run(
        &db,
        &[
            "sample",
            "--rule",
            "ARC-01",
            "--ratio",
            "1",
            "--inspect",
            "--method",
            "walk",
        ],
    );
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_campaign_ticket_can_require_an_inspection() {
    let (d, ds) = fixture();
    drop(ds);
    let db = d.path().join("t.jicha");
    ok(
        &db,
        &[
            "campaign",
            "create",
            "--name",
            "电话专项",
            "--rule",
            "ARC-01",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
        ],
    );
    let out = ok(
        &db,
        &[
            "ticket",
            "create",
            "--findings",
            "3",
            "--requirement",
            "核实电话",
            "--campaign",
            "ZX-20261105-001",
            "--require-inspection",
        ],
    );
    assert!(out.contains("JC-20261105-001"), "{out}");
    let ds = jicha::db::Dataset::open(&db).unwrap();
    let (campaign, requires): (Option<String>, i64) = ds
        .conn
        .query_row(
            "SELECT campaign, requires_inspection FROM tickets WHERE number = 'JC-20261105-001'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(campaign.as_deref(), Some("ZX-20261105-001"));
    assert_eq!(requires, 1);
    let actions: Vec<String> = ds
        .conn
        .prepare(
            "SELECT action FROM action_log WHERE target = 'ticket:JC-20261105-001' ORDER BY seq",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        actions,
        [
            "ticket.create",
            "deduction.propose",
            "ticket.require_inspection"
        ],
        "the deduction at dispatch too"
    );
    drop(ds);
    let (code, _, err) = run(
        &db,
        &[
            "ticket",
            "submit",
            "JC-20261105-001",
            "--cause",
            "c",
            "--measures",
            "m",
        ],
    );
    assert_eq!(code, 1, "no inspection recorded yet: {err}");
    assert!(err.contains("inspection"), "{err}");
    // A finding outside the campaign refuses both: no ticket, no requirement.
    let (code, _, err) = run(
        &db,
        &[
            "ticket",
            "create",
            "--findings",
            "1",
            "--requirement",
            "x",
            "--campaign",
            "ZX-20261105-001",
            "--require-inspection",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("do not belong"), "{err}");
    let list = ok(&db, &["ticket", "list", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
}
