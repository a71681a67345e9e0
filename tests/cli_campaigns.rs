//! `jicha campaign …`, `jicha sample …` and `ticket create --campaign` through the CLI, in
//! both languages; the report in every format; refusals saying what to fix.

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

fn refused(db: &Path, args: &[&str]) -> String {
    let (code, _, err) = run(db, args);
    assert_eq!(code, 1, "{args:?} should be refused");
    err
}

#[test]
fn create_ticket_progress_and_report_through_the_cli() {
    let (d, ds) = fixture();
    drop(ds);
    let db = d.path().join("t.jicha");
    let out = ok(
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
    assert!(out.contains("campaign ZX-20261105-001"), "{out}");
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
        ],
    );
    assert!(out.contains("JC-20261105-001"), "{out}");
    let err = refused(
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
        ],
    );
    assert!(err.contains("finding(s) 1 do not belong"), "{err}");

    let out = ok(
        &db,
        &["campaign", "progress", "ZX-20261105-001", "--format", "csv"],
    );
    assert!(out.contains("城关供电所,1,1,1,0"), "{out}");
    assert!(out.contains("城北供电所,1,0,0,0"), "{out}");
    assert!(out.contains("*,2,1,1,0"), "{out}");

    check_report(&db, d.path());

    let show = ok(&db, &["campaign", "show", "ZX-20261105-001"]);
    assert!(show.contains("Tickets (1): JC-20261105-001"), "{show}");
    let list = ok(&db, &["campaign", "list", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(v[0]["number"], "ZX-20261105-001");
    assert_eq!(v[0]["due"], 2);
    ok(&db, &["campaign", "close", "ZX-20261105-001"]);
    let list = ok(&db, &["campaign", "list", "--open"]);
    assert!(list.contains("No campaign."), "{list}");
}

/// The report of the campaign ZX-20261105-001 (2 due, 1 checked and confirmed) in every format.
fn check_report(db: &Path, dir: &Path) {
    let zh = ok(
        db,
        &["--lang", "zh", "campaign", "report", "ZX-20261105-001"],
    );
    assert!(
        zh.contains("专项稽查报告 ZX-20261105-001 — 电话专项"),
        "{zh}"
    );
    assert!(zh.contains("各单位应查、实查及稽查结果"), "{zh}");
    assert!(zh.contains("专项"), "{zh}");
    let md = ok(
        db,
        &["campaign", "report", "ZX-20261105-001", "--format", "md"],
    );
    assert!(
        md.starts_with("# Audit campaign report ZX-20261105-001"),
        "{md}"
    );
    assert!(
        md.contains("| Total | 2 | 1 | 1 | 0 | 50.0% | 100.0% | 0.0% |"),
        "{md}"
    );
    let json = ok(
        db,
        &["campaign", "report", "ZX-20261105-001", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["total"]["due"], 2);
    assert_eq!(v["campaign"]["rules"][0], "ARC-01");
    assert_eq!(v["total"]["rectified_rate"], 0.0);
    let xlsx = dir.join("zx.xlsx");
    ok(
        db,
        &[
            "campaign",
            "report",
            "ZX-20261105-001",
            "--format",
            "xlsx",
            "--out",
            xlsx.to_str().unwrap(),
        ],
    );
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
}

#[test]
fn sample_draws_lists_and_shows_and_refuses_bad_input_in_both_languages() {
    let (d, ds) = fixture();
    drop(ds);
    let db = d.path().join("t.jicha");
    let out = ok(
        &db,
        &[
            "sample", "--rule", "BIL-05", "--ratio", "0.5", "--seed", "9",
        ],
    );
    assert_eq!(out.trim(), "sample CY-20261105-001: 1 of 2 drawn (seed 9)");
    let out = ok(
        &db,
        &["--lang", "zh", "sample", "--rule", "ARC-01", "--ratio", "1"],
    );
    assert!(
        out.contains("抽检 CY-20261105-002：自 2 个对象中抽取 2 个（种子 "),
        "{out}"
    );
    let list = ok(&db, &["sample", "list", "--format", "csv"]);
    assert!(
        list.starts_with("number,basis,unit,of,ratio,seed,population,drawn"),
        "{list}"
    );
    assert!(
        list.contains("CY-20261105-001,BIL-05,,findings,0.5,9,2,1,admin1,2026-11-05"),
        "{list}"
    );
    let show = ok(
        &db,
        &["sample", "show", "CY-20261105-002", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_str(&show).unwrap();
    assert_eq!(v["items"][0]["unit"], "城关供电所");
    assert_eq!(v["items"][0]["items"], serde_json::json!(["3"]));
    assert_eq!(v["items"][1]["items"], serde_json::json!(["5"]));

    let err = refused(&db, &["sample", "--rule", "BIL-05", "--ratio", "1.5"]);
    assert!(err.contains("above 0 and at most 1"), "{err}");
    let err = refused(
        &db,
        &["--lang", "zh", "sample", "--rule", "BIL-05", "--ratio", "0"],
    );
    assert!(err.contains("抽检比例须大于 0 且不超过 1"), "{err}");
    let err = refused(&db, &["sample", "--rule", "XYZ-1", "--ratio", "0.5"]);
    assert!(err.contains("unknown rule `XYZ-1`"), "{err}");
    let err = refused(
        &db,
        &[
            "sample",
            "--rule",
            "BIL-05",
            "--unit",
            "城关供电",
            "--ratio",
            "0.5",
        ],
    );
    assert!(err.contains("城关供电所"), "{err}");
    let err = refused(&db, &["sample", "--ratio", "0.5"]);
    assert!(err.contains("--rule and --campaign"), "{err}");
    let err = refused(&db, &["--lang", "zh", "campaign", "show", "ZX-1"]);
    assert!(err.contains("没有专项稽查 ZX-1"), "{err}");
}
