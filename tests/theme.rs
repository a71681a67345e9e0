//! Theme analysis (主题分析) against a hand-counted tree.
//!
//! Fixture findings (all first seen 2026-11-01): 1 ARC-04 C1, 2 BIL-05 C1 12 元, 3 ARC-01 C2,
//! 4 BIL-05 C2 99 元 (城关供电所, 西湖区), 5 ARC-01 C3 (城北供电所, 拱墅区). Added here:
//! C4 in 城南供电所 (西湖区) with 6 BIL-05 7.5 元 first seen 2026-12-03; 7 EXT:yx:Y01 on C3
//! first seen 2026-11-05 with no amount; 8 SVC-01 on an application with no customer.
//! Finding 2 is ticketed and the ticket approved, so it is closed as rectified.

mod common;
use common::*;
use jicha::actions::{perform, Action};
use jicha::context::Role;
use jicha::quality::theme::{theme, Selector};

const GUAN: &str = "城关供电所";
const BEI: &str = "城北供电所";
const NAN: &str = "城南供电所";

fn scenario() -> (tempfile::TempDir, jicha::db::Dataset) {
    let (d, mut ds) = fixture();
    ds.write(|tx| {
        tx.execute_batch(
            "INSERT INTO customers VALUES
               ('C4','赵六',NULL,'赵六','13800000004','resident','RES','single',0.22,8,NULL,0,0,'城南供电所','西湖区','2020-01-01','active',NULL,1,5);
             INSERT INTO findings(id, rule, cust_no, subject, status, severity, evidence, amount_yuan, first_seen, last_seen, first_scan, last_scan, status_date) VALUES
               (6,'BIL-05','C4','2026-11','new','high','amount -7.50',7.5,'2026-12-03','2026-12-03',1,1,'2026-12-03'),
               (7,'EXT:yx:Y01','C3','-','new','medium','外部稽查',NULL,'2026-11-05','2026-11-05',1,1,'2026-11-05'),
               (8,'SVC-01','','A-9','new','medium','over limit',NULL,'2026-11-01','2026-11-01',1,1,'2026-11-01');",
        )?;
        Ok(())
    })
    .unwrap();
    let a = |d: &str| ctx("auditor1", Role::Auditor, d);
    perform(
        &mut ds,
        &a("2026-11-02"),
        &Action::TicketCreate {
            findings: vec![2],
            unit: None,
            person: None,
            due: None,
            requirement: "冲正".into(),
        },
    )
    .unwrap();
    perform(
        &mut ds,
        &a("2026-11-03"),
        &Action::TicketSubmit {
            number: "JC-20261102-001".into(),
            cause: "c".into(),
            measures: "m".into(),
            recovered: None,
        },
    )
    .unwrap();
    perform(
        &mut ds,
        &ctx("rev1", Role::Reviewer, "2026-11-04"),
        &Action::TicketApprove {
            number: "JC-20261102-001".into(),
        },
    )
    .unwrap();
    (d, ds)
}

#[test]
fn a_category_along_the_unit_tree_and_by_month() {
    let (_d, ds) = scenario();
    let billing = Selector::category("billing").unwrap();
    let t = theme(&ds.conn, &billing, None, None).unwrap();
    // BIL-05: 2 (城关, 12, rectified), 4 (城关, 99, open), 6 (城南, 7.5, open, December).
    assert_eq!(t.total.findings, 3);
    assert!((t.total.amount_yuan - 118.5).abs() < 1e-9);
    assert_eq!((t.total.open, t.total.rectified), (2, 1));
    // The unit tree without units.csv: the customers' districts (county units) → stations.
    assert_eq!(t.units.len(), 1, "no billing findings in 拱墅区");
    let x = &t.units[0];
    assert_eq!(x.unit, "西湖区");
    assert_eq!(x.level, Some(jicha::units::UnitLevel::County));
    // Stations most findings first: 城关 2 (111 元), then 城南 1 (7.5 元).
    let st: Vec<(&str, u64)> = x
        .children
        .iter()
        .map(|s| (s.unit.as_str(), s.counts.findings))
        .collect();
    assert_eq!(st, vec![(GUAN, 2), (NAN, 1)]);
    assert!((x.children[0].counts.amount_yuan - 111.0).abs() < 1e-9);
    assert_eq!(x.children[1].months[0].month, "2026-12");
    // The county's months roll up its stations': 2 in November, 1 in December.
    let m: Vec<(&str, u64)> = x
        .months
        .iter()
        .map(|m| (m.month.as_str(), m.counts.findings))
        .collect();
    assert_eq!(m, vec![("2026-11", 2), ("2026-12", 1)]);

    // One CSV row per (station, month), with the station's parent.
    let rows = t.rows();
    let keys: Vec<(&str, &str, &str, u64)> = rows
        .iter()
        .map(|r| {
            (
                r.parent.as_str(),
                r.station.as_str(),
                r.month.as_str(),
                r.counts.findings,
            )
        })
        .collect();
    assert_eq!(
        keys,
        vec![
            ("西湖区", GUAN, "2026-11", 2),
            ("西湖区", NAN, "2026-12", 1)
        ]
    );

    // The same theme in November only: 城关's two, 111 元. The Chinese label works too.
    let t = theme(
        &ds.conn,
        &Selector::category("电费电价").unwrap(),
        Some(day("2026-11-01")),
        Some(day("2026-11-30")),
    )
    .unwrap();
    assert_eq!(t.total.findings, 2);
    assert!((t.total.amount_yuan - 111.0).abs() < 1e-9);
    assert!(theme(
        &ds.conn,
        &billing,
        Some(day("2026-12-01")),
        Some(day("2026-11-01"))
    )
    .is_err());
}

#[test]
fn a_rule_an_external_rule_and_findings_without_a_customer() {
    let (_d, ds) = scenario();
    // ARC-01: 3 (城关, 西湖区) and 5 (城北, 拱墅区): one each; ties by name, 拱 (U+62F1)
    // before 西 (U+897F).
    let t = theme(
        &ds.conn,
        &Selector::rule(&ds.conn, "ARC-01").unwrap(),
        None,
        None,
    )
    .unwrap();
    let ds_names: Vec<&str> = t.units.iter().map(|d| d.unit.as_str()).collect();
    assert_eq!(ds_names, vec!["拱墅区", "西湖区"]);
    assert_eq!(t.units[0].children[0].unit, BEI);
    assert_eq!(t.total.amount_yuan, 0.0);

    // EXT rules: finding 7 only, under 拱墅区/城北/2026-11.
    let ext = Selector::category("external").unwrap();
    let rows = theme(&ds.conn, &ext, None, None).unwrap().rows();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].station.as_str(), rows[0].month.as_str()),
        (BEI, "2026-11")
    );
    assert_eq!(
        Selector::rule(&ds.conn, "EXT:yx:Y01").unwrap(),
        Selector::Rule("EXT:yx:Y01".into())
    );

    // SVC-01 on an application with no customer falls under a root `-` that the unit tree
    // does not know (before issue 13: district and station `-`).
    let t = theme(
        &ds.conn,
        &Selector::category("service").unwrap(),
        None,
        None,
    )
    .unwrap();
    assert_eq!(t.units[0].unit, "-");
    assert_eq!(t.units[0].level, None);
    assert_eq!(t.rows()[0].station, "-");

    assert!(Selector::rule(&ds.conn, "XYZ-99").is_err());
    assert!(Selector::rule(&ds.conn, "EXT:none:Z").is_err());
    assert!(Selector::category("weather").is_err());
}

#[test]
fn theme_csv_through_the_command_line() {
    let (d, ds) = scenario();
    drop(ds);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jicha"))
        .arg("--db")
        .arg(d.path().join("t.jicha"))
        .args([
            "--today",
            "2026-12-31",
            "theme",
            "--category",
            "billing",
            "--format",
            "csv",
        ])
        .env_remove("JICHA_DB")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        csv,
        "parent,station,month,findings,amount_yuan,open,rectified\n\
         西湖区,城关供电所,2026-11,2,111.00,1,1\n\
         西湖区,城南供电所,2026-12,1,7.50,1,0\n"
    );
    // Neither --rule nor --category: a usage error (exit 2).
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jicha"))
        .arg("--db")
        .arg(d.path().join("t.jicha"))
        .args(["theme"])
        .env_remove("JICHA_DB")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// With units.csv's tree the theme rolls up along it: stations → counties → the city, and a
/// unit's subtree alone with `theme_in`.
#[test]
fn the_theme_rolls_up_the_imported_unit_tree() {
    let (_d, mut ds) = scenario();
    ds.write(|tx| {
        tx.execute_batch(
            "INSERT INTO units(name, parent, level, head, import_id, src_line) VALUES
               ('市公司', NULL, 'city', NULL, 1, 2),
               ('西湖区', '市公司', 'county', NULL, 1, 3),
               ('拱墅区', '市公司', 'county', NULL, 1, 4),
               ('计量中心', '市公司', 'department', NULL, 1, 5),
               ('城关供电所', '西湖区', 'station', NULL, 1, 6),
               ('城南供电所', '西湖区', 'station', NULL, 1, 7),
               ('城北供电所', '拱墅区', 'station', NULL, 1, 8);",
        )?;
        Ok(())
    })
    .unwrap();
    let arc01 = Selector::rule(&ds.conn, "ARC-01").unwrap();
    let t = theme(&ds.conn, &arc01, None, None).unwrap();
    // ARC-01: 3 (城关) and 5 (城北): the city holds both; the department none (left out).
    assert_eq!(t.units.len(), 1);
    let city = &t.units[0];
    assert_eq!((city.unit.as_str(), city.counts.findings), ("市公司", 2));
    let counties: Vec<&str> = city.children.iter().map(|c| c.unit.as_str()).collect();
    assert_eq!(counties, vec!["拱墅区", "西湖区"]);
    assert_eq!(t.node(BEI).unwrap().counts.findings, 1);
    let rows: Vec<(String, String)> = t
        .rows()
        .into_iter()
        .map(|r| (r.parent, r.station))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("拱墅区".into(), BEI.into()),
            ("西湖区".into(), GUAN.into())
        ]
    );
    // Within 西湖区 only: finding 3.
    let t = jicha::quality::theme::theme_in(&ds.conn, &arc01, None, None, Some("西湖区")).unwrap();
    assert_eq!(t.total.findings, 1);
    assert_eq!(t.units[0].unit, "西湖区");
    assert!(
        jicha::quality::theme::theme_in(&ds.conn, &arc01, None, None, Some("无此单位")).is_err()
    );
}
