//! The report of workflow.md "Reports", exactly: hand-computed scenarios on the shared
//! fixture (tests/common: findings 1 ARC-04 C1, 2 BIL-05 C1, 3 ARC-01 C2, 4 BIL-05 C2 in
//! 城关供电所 / 西湖区, 5 ARC-01 C3 in 城北供电所 / 拱墅区, all `new` since 2026-11-01).
//! Every expected number is worked out by hand in the comment beside it.

mod common;
use common::*;
use jicha::actions::{perform, Action};
use jicha::context::Role;
use jicha::db::Dataset;
use jicha::reports::{compute, compute_for, Figures, Report};

fn report(ds: &Dataset, from: &str, to: &str) -> Report {
    compute(&ds.conn, day(from), day(to)).unwrap()
}

fn report_for(ds: &Dataset, from: &str, to: &str, unit: &str) -> Report {
    compute_for(&ds.conn, day(from), day(to), Some(unit)).unwrap()
}

fn auditor(today: &str) -> jicha::context::Ctx {
    ctx("auditor1", Role::Auditor, today)
}

fn ticket(ds: &mut Dataset, today: &str, findings: &[i64], unit: Option<&str>, due: Option<&str>) {
    perform(
        ds,
        &auditor(today),
        &Action::TicketCreate {
            findings: findings.to_vec(),
            unit: unit.map(String::from),
            person: None,
            due: due.map(day),
            requirement: "整改".into(),
        },
    )
    .unwrap();
}

fn submit_and_approve(ds: &mut Dataset, number: &str, submitted: &str, approved: &str) {
    perform(
        ds,
        &auditor(submitted),
        &Action::TicketSubmit {
            number: number.into(),
            cause: "c".into(),
            measures: "m".into(),
            recovered: None,
        },
    )
    .unwrap();
    perform(
        ds,
        &ctx("rev1", Role::Reviewer, approved),
        &Action::TicketApprove {
            number: number.into(),
        },
    )
    .unwrap();
}

/// A finding as a scan writes it: the row and its first `new` history row.
fn add_finding(ds: &mut Dataset, id: i64, rule: &str, cust: &str, first_seen: &str) {
    ds.write(|tx| {
        tx.execute(
            "INSERT INTO findings(id, rule, cust_no, subject, status, severity, evidence, first_seen,
                                  last_seen, first_scan, last_scan, status_date)
             VALUES (?1, ?2, ?3, '-', 'new', 'high', 'e', ?4, ?4, 1, 1, ?4)",
            rusqlite::params![id, rule, cust, first_seen],
        )?;
        tx.execute(
            "INSERT INTO finding_status_history(finding_id, business_date, status, operator)
             VALUES (?1, ?2, 'new', 'scan')",
            rusqlite::params![id, first_seen],
        )?;
        Ok(())
    })
    .unwrap();
}

fn add_customer(ds: &mut Dataset, cust: &str, station: &str, district: &str, status: &str) {
    ds.write(|tx| {
        tx.execute(
            "INSERT INTO customers VALUES (?1,'户',NULL,NULL,NULL,'resident','RES','single',0.22,8,NULL,0,0,
                                           ?2,?3,'2020-01-01',?4,NULL,1,9)",
            rusqlite::params![cust, station, district, status],
        )?;
        Ok(())
    })
    .unwrap();
}

/// Every rate of every scope (total, units, rules) lies in [0, 1], except 累计完成率 and the
/// change rates, which are changes (≤ 1 still holds for 累计完成率: open after ≥ 0).
fn assert_rates_at_most_one(r: &Report) {
    let scopes = std::iter::once(("total", &r.total))
        .chain(r.by_unit.iter().map(|(u, f)| (u.as_str(), f)))
        .chain(r.by_rule.iter().map(|(u, f)| (u.as_str(), f)));
    for (name, f) in scopes {
        for (what, rate) in [
            ("initiation", f.initiation_rate),
            ("completion", f.completion_rate),
            ("rectification", f.rectification_rate),
            ("overdue", f.overdue_rate),
        ] {
            if let Some(x) = rate {
                assert!((0.0..=1.0).contains(&x), "{name} {what} rate {x}");
            }
        }
        if let Some(x) = f.cumulative_completion_rate {
            assert!(x <= 1.0, "{name} cumulative {x}");
        }
    }
}

#[test]
fn a_rule_first_detected_before_the_range_but_ticketed_in_it_keeps_initiation_at_most_one() {
    let (_d, mut ds) = fixture();
    // Finding 6, SUS-01 on C3, first seen 11-03, inside the range.
    add_finding(&mut ds, 6, "SUS-01", "C3", "2026-11-03");
    // 11-02: tickets for ARC-04 (finding 1) and BIL-05 (finding 4): rules detected on 11-01.
    ticket(&mut ds, "2026-11-02", &[1], None, None);
    ticket(&mut ds, "2026-11-02", &[4], None, None);
    let r = report(&ds, "2026-11-02", "2026-11-08");
    let t = &r.total;
    // Open on some day of 11-02..11-08: findings 1–5 (open since 11-01) and 6 (from 11-03):
    // rules ARC-04, BIL-05, ARC-01, SUS-01 = 4. The old definition (first detected in the
    // range) gave 1 (SUS-01) against 2 ticketed: 200 %.
    assert_eq!(t.themes_monitored, 4);
    // ARC-04 and BIL-05 have a finding on a ticket issued in the range.
    assert_eq!(t.themes_ticketed, 2);
    assert_eq!(t.initiation_rate, Some(0.5), "2 / 4");
    // 城北供电所: findings 5 (ARC-01) and 6 (SUS-01) monitored, none ticketed: 0 / 2.
    assert_eq!(r.by_unit["城北供电所"].initiation_rate, Some(0.0));
    // 城关供电所: ARC-04, BIL-05, ARC-01 monitored; ARC-04 and BIL-05 ticketed: 2 / 3.
    assert_eq!(r.by_unit["城关供电所"].initiation_rate, Some(2.0 / 3.0));
    assert_eq!(r.by_rule["SUS-01"].themes_monitored, 1);
    assert_eq!(r.by_rule["SUS-01"].themes_ticketed, 0);
    assert_rates_at_most_one(&r);
    // A range after all of it: findings 1 and 4 still ticketed (open), so ARC-04 and BIL-05
    // are monitored but ticketed in no ticket of this range: 0 / 4.
    let later = report(&ds, "2026-11-09", "2026-11-10");
    assert_eq!(
        (later.total.themes_monitored, later.total.themes_ticketed),
        (4, 0)
    );
    assert_eq!(later.total.initiation_rate, Some(0.0));
    assert_rates_at_most_one(&later);
}

#[test]
fn whitelisting_thirty_customers_without_a_ticket_leaves_cumulative_completion_unchanged() {
    let (_d, mut ds) = fixture();
    for i in 0..30 {
        let cust = format!("W{i:02}");
        add_customer(&mut ds, &cust, "城南供电所", "上城区", "active");
        add_finding(&mut ds, 100 + i, "ARC-01", &cust, "2026-11-01");
    }
    // Before any whitelist: 35 findings open at the end of 11-01 and of 11-10: (35 − 35) / 35.
    let r0 = report(&ds, "2026-11-02", "2026-11-10");
    assert_eq!((r0.total.open_before, r0.total.open_after), (35, 35));
    assert_eq!(r0.total.cumulative_completion_rate, Some(0.0));
    for i in 0..30 {
        perform(
            &mut ds,
            &auditor("2026-11-05"),
            &Action::WhitelistAdd {
                rule: "ARC-01".into(),
                cust_no: format!("W{i:02}"),
                reason: "已核实，冻结观察".into(),
                days: Some(30),
            },
        )
        .unwrap();
    }
    let r = report(&ds, "2026-11-02", "2026-11-10");
    let t = &r.total;
    // Suppressed findings stay open: 35 before, 35 after, of which 30 whitelisted after.
    assert_eq!((t.open_before, t.open_after), (35, 35));
    assert_eq!((t.suppressed_before, t.suppressed_after), (0, 30));
    assert_eq!(t.cumulative_completion_rate, Some(0.0), "was 32.8 % before");
    // The whitelist's own figures: 30 added on 11-05, active at the end, none longer than the
    // 90-day review period.
    assert_eq!(t.whitelist_added, 30);
    assert_eq!(t.whitelist_active_after, 30);
    assert_eq!(
        (
            t.whitelist_long_active_after,
            t.whitelist_extended,
            t.whitelist_revoked
        ),
        (0, 0, 0)
    );
    let south = &r.by_unit["城南供电所"];
    assert_eq!((south.open_after, south.suppressed_after), (30, 30));
    assert_eq!(south.cumulative_completion_rate, Some(0.0));
    assert_eq!(r.by_rule["ARC-01"].suppressed_after, 30);
    // ARC-01: 2 + 30 open before and after: 异常数改变率 (32 − 32) / 32 = 0.
    assert_eq!(r.by_rule["ARC-01"].open_change_rate, Some(Some(0.0)));
}

#[test]
fn a_five_finding_ticket_weighs_five_problems() {
    let (_d, mut ds) = fixture();
    add_finding(&mut ds, 6, "ARC-02", "C1", "2026-11-01");
    // A: findings 1, 2, 3, 4, 6 (城关), due 11-05, approved 11-06: one day late.
    ticket(
        &mut ds,
        "2026-11-02",
        &[1, 2, 3, 4, 6],
        None,
        Some("2026-11-05"),
    );
    // B: finding 5 (城北), due 11-20: neither approved nor late by 11-10.
    ticket(&mut ds, "2026-11-02", &[5], None, Some("2026-11-20"));
    submit_and_approve(&mut ds, "JC-20261102-001", "2026-11-05", "2026-11-06");
    let r = report(&ds, "2026-11-02", "2026-11-10");
    let t = &r.total;
    // Problems: 5 on A + 1 on B = 6; completed: A's 5; overdue: A's 5 (approved after due).
    assert_eq!(
        (
            t.problems_dispatched,
            t.problems_completed,
            t.problems_overdue
        ),
        (6, 5, 5)
    );
    assert_eq!(t.completion_rate, Some(5.0 / 6.0));
    assert_eq!(t.overdue_rate, Some(5.0 / 6.0));
    // Per ticket: 2 issued, 1 completed, 1 overdue (a ticket-based rate would say 50 %).
    assert_eq!(
        (t.tickets_issued, t.tickets_completed, t.tickets_overdue),
        (2, 1, 1)
    );
    // All six were `ticketed` in the range; A's five closed as rectified on 11-06.
    assert_eq!((t.findings_to_rectify, t.findings_rectified), (6, 5));
    assert_eq!(t.rectification_rate, Some(5.0 / 6.0));
    // 城关: A only: 5 / 5 completed, 5 / 5 overdue.
    let cg = &r.by_unit["城关供电所"];
    assert_eq!((cg.problems_dispatched, cg.problems_overdue), (5, 5));
    assert_eq!(
        (cg.completion_rate, cg.overdue_rate),
        (Some(1.0), Some(1.0))
    );
    // BIL-05 has two problems (findings 2 and 4), both on A.
    assert_eq!(r.by_rule["BIL-05"].problems_dispatched, 2);
    assert_eq!(r.by_rule["BIL-05"].tickets_issued, 1);
    assert_eq!(r.overdue.len(), 1);
    assert_eq!(
        (
            r.overdue[0].number.as_str(),
            r.overdue[0].days_late,
            r.overdue[0].problems
        ),
        ("JC-20261102-001", 1, 5)
    );
    // Open: 1–6 at the end of 11-01; only 5 (ticketed on B) at the end of 11-10: (6 − 1) / 6.
    assert_eq!((t.open_before, t.open_after), (6, 1));
    assert_eq!(t.cumulative_completion_rate, Some(5.0 / 6.0));
    assert_rates_at_most_one(&r);
}

fn bill(ds: &mut Dataset, cust: &str, period: &str, kwh: f64, amount: f64, paid: f64) {
    ds.write(|tx| {
        tx.execute(
            "INSERT INTO bills VALUES (?1, ?2, ?2 || '-28', 0, ?3, 1, ?3, 0, ?4, ?5, 1, 1)",
            rusqlite::params![cust, period, kwh, amount, paid],
        )?;
        Ok(())
    })
    .unwrap();
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-12)
}

#[test]
fn business_indicators_compare_the_range_with_as_many_months_before() {
    let (_d, mut ds) = fixture();
    add_customer(&mut ds, "C9", "城关供电所", "西湖区", "closed");
    // The range 11-01..12-15 touches 2026-11 and 2026-12; the previous range is 09 and 10.
    // Previous: C1-09 (100 kWh, 50 元, paid 50), C1-10 (100, 50, 40), C2-09 (0, −10 refund,
    // 0), C2-10 (200, 100, 100).
    bill(&mut ds, "C1", "2026-09", 100.0, 50.0, 50.0);
    bill(&mut ds, "C1", "2026-10", 100.0, 50.0, 40.0);
    bill(&mut ds, "C2", "2026-09", 0.0, -10.0, 0.0);
    bill(&mut ds, "C2", "2026-10", 200.0, 100.0, 100.0);
    // Range: C1-11 (100, 60, 60), C1-12 (100, 60, 30), C2-11 (300, 150, 150), C3-12 (100, 30, 30).
    bill(&mut ds, "C1", "2026-11", 100.0, 60.0, 60.0);
    bill(&mut ds, "C1", "2026-12", 100.0, 60.0, 30.0);
    bill(&mut ds, "C2", "2026-11", 300.0, 150.0, 150.0);
    bill(&mut ds, "C3", "2026-12", 100.0, 30.0, 30.0);
    // Outside both ranges, and a closed customer's rows: none counts.
    bill(&mut ds, "C1", "2026-08", 999.0, 999.0, 0.0);
    bill(&mut ds, "C1", "2027-01", 999.0, 999.0, 0.0);
    bill(&mut ds, "C9", "2026-11", 1000.0, 500.0, 0.0);
    let r = report(&ds, "2026-11-01", "2026-12-15");
    assert_eq!(
        r.billing_periods,
        ("2026-11".to_string(), "2026-12".to_string())
    );
    assert_eq!(
        r.previous_periods,
        ("2026-09".to_string(), "2026-10".to_string())
    );
    let k = r.total.kpis.unwrap();
    // Collection: previous (50 + 40 + 100) / (50 + 50 + 100) = 0.95 (the refund row has
    // amount ≤ 0); range (60 + 30 + 150 + 30) / (60 + 60 + 150 + 30) = 0.9;
    // change (0.9 − 0.95) / 0.95 = −1/19.
    assert!(close(k.collection_rate.before, 0.95), "{k:?}");
    assert!(close(k.collection_rate.after, 0.9), "{k:?}");
    assert!(close(k.collection_rate.change_rate, -1.0 / 19.0), "{k:?}");
    // Average price: previous (50 + 50 − 10 + 100) / 400 = 0.475; range 300 / 600 = 0.5;
    // change 0.025 / 0.475 = 1/19.
    assert!(close(k.average_price.before, 0.475), "{k:?}");
    assert!(close(k.average_price.after, 0.5), "{k:?}");
    assert!(close(k.average_price.change_rate, 1.0 / 19.0), "{k:?}");
    // kWh: 400 → 600, +50 %.
    assert_eq!(
        (k.kwh.before, k.kwh.after, k.kwh.change_rate),
        (Some(400.0), Some(600.0), Some(0.5))
    );
    // Open findings: 0 at the end of 10-31 (all first seen 11-01), 5 at the end of 12-15:
    // change over 0 is none.
    assert_eq!(
        (
            k.open_findings.before,
            k.open_findings.after,
            k.open_findings.change_rate
        ),
        (Some(0.0), Some(5.0), None)
    );
    // 城北 (C3 only): nothing billed before, so no collection rate before and no change;
    // range 30 / 30 = 1, price 30 / 100 = 0.3; its county 拱墅区 has the same figures.
    for u in ["城北供电所", "拱墅区"] {
        let k = r.by_unit[u].kpis.unwrap();
        assert_eq!(k.collection_rate.before, None, "{u}");
        assert_eq!(k.collection_rate.after, Some(1.0), "{u}");
        assert_eq!(k.collection_rate.change_rate, None, "{u}");
        assert!(close(k.average_price.after, 0.3), "{u}");
        assert_eq!((k.kwh.before, k.kwh.change_rate), (Some(0.0), None), "{u}");
    }
    // The rules have no business indicators.
    assert!(r.by_rule.values().all(|f| f.kpis.is_none()));
    // --unit 城北供电所 takes only C3's rows.
    let north = report_for(&ds, "2026-11-01", "2026-12-15", "城北供电所");
    assert_eq!(north.total.kpis.unwrap().kwh.after, Some(100.0));
}

/// Additive counts of a scope, to compare a parent with the sum of its units.
fn counts(f: &Figures) -> [u64; 14] {
    [
        f.problems_dispatched,
        f.problems_completed,
        f.problems_overdue,
        f.findings_to_rectify,
        f.findings_rectified,
        f.open_before,
        f.open_after,
        f.suppressed_before,
        f.suppressed_after,
        f.tickets_issued,
        f.tickets_completed,
        f.tickets_overdue,
        f.whitelist_added,
        f.whitelist_active_after,
    ]
}

#[test]
fn a_county_is_the_sum_of_its_stations_and_unit_restricts_everything() {
    let (_d, mut ds) = fixture();
    // 西湖区 gets a second station: 北山供电所 with C4 and its finding 6 (ARC-01).
    add_customer(&mut ds, "C4", "北山供电所", "西湖区", "active");
    add_finding(&mut ds, 6, "ARC-01", "C4", "2026-11-01");
    ticket(&mut ds, "2026-11-02", &[1, 3], None, Some("2026-11-04")); // 城关, late by 11-10
    ticket(&mut ds, "2026-11-02", &[6], None, Some("2026-11-20")); // 北山, on time
    ticket(&mut ds, "2026-11-02", &[5], None, None); // 城北, in 拱墅区
    perform(
        &mut ds,
        &auditor("2026-11-03"),
        &Action::WhitelistAdd {
            rule: "BIL-05".into(),
            cust_no: "C2".into(),
            reason: "冲正".into(),
            days: Some(30),
        },
    )
    .unwrap();
    let all = report(&ds, "2026-11-02", "2026-11-10");
    let west = report_for(&ds, "2026-11-02", "2026-11-10", "西湖区");
    // 西湖区 = 城关 (findings 1–4, ticket of 2) + 北山 (finding 6, ticket of 1):
    // problems 2 + 1 = 3, overdue 2 (the first ticket, due 11-04) + 0, open before 4 + 1 = 5,
    // open after 4 + 1 = 5 (nothing closed; 1, 3 and 6 ticketed), suppressed after 1 (4).
    let t = &west.total;
    assert_eq!(
        (t.problems_dispatched, t.problems_overdue, t.tickets_issued),
        (3, 2, 2)
    );
    assert_eq!((t.open_before, t.open_after, t.suppressed_after), (5, 5, 1));
    assert_eq!(t.whitelist_added, 1);
    // Rules: ARC-04, BIL-05, ARC-01 monitored; ARC-04 and ARC-01 ticketed: 2 / 3.
    assert_eq!((t.themes_monitored, t.themes_ticketed), (3, 2));
    let (cg, bs) = (&all.by_unit["城关供电所"], &all.by_unit["北山供电所"]);
    let sum: Vec<u64> = counts(cg)
        .iter()
        .zip(counts(bs))
        .map(|(a, b)| a + b)
        .collect();
    assert_eq!(counts(t).to_vec(), sum);
    assert_eq!(counts(&all.by_unit["西湖区"]), counts(t));
    assert_eq!(
        all.by_unit["西湖区"].overdue_rate,
        Some(2.0 / 3.0),
        "not the mean of 1 and 0"
    );
    // Restricted: no 城北, no 拱墅区, only 西湖区's units and overdue tickets.
    assert_eq!(
        west.by_unit.keys().collect::<Vec<_>>(),
        ["北山供电所", "城关供电所", "西湖区"]
    );
    assert!(west.by_rule.keys().all(|r| r != "SUS-01"));
    assert_eq!(west.overdue.len(), 1);
    assert_eq!(west.unit.as_deref(), Some("西湖区"));
    // The whole dataset: 3 tickets, 4 problems, 6 open before.
    assert_eq!(
        (
            all.total.tickets_issued,
            all.total.problems_dispatched,
            all.total.open_before
        ),
        (3, 4, 6)
    );
    // An unknown unit is refused with the nearest names.
    let e = compute_for(&ds.conn, day("2026-11-02"), day("2026-11-10"), Some("西湖"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("西湖区"), "{e}");
}

#[test]
fn a_department_ticket_appears_under_the_department_and_up_the_tree() {
    let (_d, mut ds) = fixture();
    ds.write(|tx| {
        tx.execute_batch(
            "INSERT INTO units(name, parent, level, head, import_id, src_line) VALUES
               ('市公司', NULL, 'city', NULL, 1, 2),
               ('西湖区', '市公司', 'county', NULL, 1, 3),
               ('拱墅区', '市公司', 'county', NULL, 1, 4),
               ('城关供电所', '西湖区', 'station', NULL, 1, 5),
               ('城北供电所', '拱墅区', 'station', NULL, 1, 6),
               ('计量中心', '市公司', 'department', '王主任', 1, 7);",
        )?;
        Ok(())
    })
    .unwrap();
    // Finding 3 (C2, 城关) is sent to the metering centre; finding 1 to 城关 itself.
    ticket(&mut ds, "2026-11-02", &[3], Some("计量中心"), None);
    ticket(&mut ds, "2026-11-02", &[1], None, None);
    let r = report(&ds, "2026-11-02", "2026-11-05");
    let dept = &r.by_unit["计量中心"];
    // The department: 1 ticket, 1 problem; no customers, so no findings or themes of its own.
    assert_eq!((dept.tickets_issued, dept.problems_dispatched), (1, 1));
    assert_eq!((dept.open_after, dept.themes_monitored), (0, 0));
    assert_eq!(dept.initiation_rate, None, "0 / 0");
    // 西湖区 has 城关's ticket only; the city both.
    assert_eq!(r.by_unit["西湖区"].tickets_issued, 1);
    assert_eq!(r.by_unit["市公司"].tickets_issued, 2);
    assert_eq!(r.by_unit["市公司"].problems_dispatched, 2);
    // Finding 3 still counts where its customer is: 城关 has findings 1–4 open.
    assert_eq!(r.by_unit["城关供电所"].open_after, 4);
    assert!(r.unit_ranking.contains(&"计量中心".to_string()));
    assert!(
        !r.unit_ranking.contains(&"市公司".to_string()),
        "parents are not ranked"
    );
    // The tree's order: the city, its counties with their stations, the department.
    let order: Vec<&str> = r.unit_tree.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(
        order,
        [
            "市公司",
            "拱墅区",
            "城北供电所",
            "西湖区",
            "城关供电所",
            "计量中心"
        ]
    );
    let only = report_for(&ds, "2026-11-02", "2026-11-05", "计量中心");
    assert_eq!((only.total.tickets_issued, only.total.open_after), (1, 0));
}

#[test]
fn empty_denominators_are_null_and_the_old_keys_are_gone() {
    let (_d, ds) = fixture();
    // October: nothing found yet, no ticket, no bill.
    let r = report(&ds, "2026-10-01", "2026-10-05");
    let t = &r.total;
    assert_eq!(
        (
            t.initiation_rate,
            t.completion_rate,
            t.rectification_rate,
            t.overdue_rate,
            t.cumulative_completion_rate
        ),
        (None, None, None, None, None)
    );
    let v = serde_json::to_value(&r).unwrap();
    for key in [
        "themes_monitored",
        "themes_ticketed",
        "initiation_rate",
        "problems_dispatched",
        "problems_completed",
        "completion_rate",
        "findings_to_rectify",
        "findings_rectified",
        "rectification_rate",
        "problems_overdue",
        "overdue_rate",
        "open_before",
        "open_after",
        "suppressed_before",
        "suppressed_after",
        "cumulative_completion_rate",
        "kpis",
        "tickets_issued",
        "tickets_completed",
        "tickets_overdue",
        "whitelist_added",
        "whitelist_extended",
        "whitelist_revoked",
        "whitelist_active_after",
        "whitelist_long_active_after",
        "by_unit",
        "by_rule",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    for gone in ["themes_with_findings", "indicator_change_rate"] {
        assert!(v.get(gone).is_none(), "{gone} is gone");
    }
    for rate in ["initiation_rate", "completion_rate", "overdue_rate"] {
        assert_eq!(v[rate], serde_json::Value::Null, "{rate}");
    }
    for kpi in ["collection_rate", "average_price", "kwh", "open_findings"] {
        let k = &v["kpis"][kpi];
        assert_eq!(k["change_rate"], serde_json::Value::Null, "{kpi}");
        assert!(
            k.get("before").is_some() && k.get("after").is_some(),
            "{kpi}"
        );
    }
    assert_eq!(
        v["kpis"]["collection_rate"]["after"],
        serde_json::Value::Null
    );
    assert_eq!(v["kpis"]["kwh"]["after"], 0.0);
}

#[test]
fn the_screen_keeps_the_bill_sums_until_the_next_import() {
    let (_d, mut ds) = fixture();
    bill(&mut ds, "C1", "2026-11", 100.0, 60.0, 60.0);
    let kwh = |r: &Report| r.total.kpis.unwrap().kwh.after;
    let on_screen = || {
        jicha::reports::compute_on_screen(&ds.conn, day("2026-11-01"), day("2026-11-30"), None)
            .unwrap()
    };
    let first = on_screen();
    assert_eq!(kwh(&first), Some(100.0));
    assert_eq!(kwh(&report(&ds, "2026-11-01", "2026-11-30")), Some(100.0));
    // An import brings C2's November bill (300 kWh): the next report on screen has it.
    ds.write(|tx| {
        tx.execute(
            "INSERT INTO imports(id, at_utc, business_date, operator, source_dir, summary)
             VALUES (7, '2026-11-20T01:00:00Z', '2026-11-20', 'admin1', '/x', '{}')",
            [],
        )?;
        Ok(())
    })
    .unwrap();
    bill(&mut ds, "C2", "2026-11", 300.0, 150.0, 150.0);
    let on_screen = || {
        jicha::reports::compute_on_screen(&ds.conn, day("2026-11-01"), day("2026-11-30"), None)
            .unwrap()
    };
    assert_eq!(kwh(&on_screen()), Some(400.0));
    assert_eq!(kwh(&report(&ds, "2026-11-01", "2026-11-30")), Some(400.0));
}

#[test]
fn whitelist_figures_count_entries_added_extended_revoked_and_active() {
    let (_d, mut ds) = fixture();
    let add = |ds: &mut Dataset, rule: &str, cust: &str, days: i64| {
        perform(
            ds,
            &auditor("2026-11-02"),
            &Action::WhitelistAdd {
                rule: rule.into(),
                cust_no: cust.into(),
                reason: "核实".into(),
                days: Some(days),
            },
        )
        .unwrap();
    };
    add(&mut ds, "ARC-04", "C1", 30); // entry 1, until 12-02
    add(&mut ds, "ARC-01", "C2", 30); // entry 2
    add(&mut ds, "*", "C3", 120); // entry 3: longer than 90 days, waits for a reviewer
    let rev = ctx("rev1", Role::Reviewer, "2026-11-03");
    perform(&mut ds, &rev, &Action::WhitelistApprove { id: 3 }).unwrap();
    let extend = Action::WhitelistExtend {
        id: 1,
        days: 10,
        reason: "延长观察".into(),
    };
    perform(&mut ds, &auditor("2026-11-04"), &extend).unwrap();
    let revoke = Action::WhitelistRevoke {
        id: 2,
        reason: "已整改".into(),
    };
    perform(&mut ds, &auditor("2026-11-05"), &revoke).unwrap();
    // 11-01..11-10: 3 added, 1 extended (entry 1), 1 revoked (entry 2); active at the end:
    // entries 1 (until 12-12) and 3 (from 11-03), of which 3 is longer than 90 days.
    let t = report(&ds, "2026-11-01", "2026-11-10").total;
    assert_eq!(
        (
            t.whitelist_added,
            t.whitelist_extended,
            t.whitelist_revoked,
            t.whitelist_active_after,
            t.whitelist_long_active_after
        ),
        (3, 1, 1, 2, 1)
    );
    // Suppressed at the end of 11-10: finding 1 (entry 1) and 5 (entry 3, every rule).
    assert_eq!(t.suppressed_after, 2);
    // 11-06..11-10: nothing added, extended or revoked; the same two active.
    let t = report(&ds, "2026-11-06", "2026-11-10").total;
    assert_eq!(
        (
            t.whitelist_added,
            t.whitelist_extended,
            t.whitelist_revoked,
            t.whitelist_active_after
        ),
        (0, 0, 0, 2)
    );
    // 城北 has entry 3 only; the `*` entry is under no rule.
    let r = report(&ds, "2026-11-01", "2026-11-10");
    let north = &r.by_unit["城北供电所"];
    assert_eq!(
        (
            north.whitelist_active_after,
            north.whitelist_long_active_after
        ),
        (1, 1)
    );
    assert_eq!(r.by_rule["ARC-04"].whitelist_extended, 1);
    assert_eq!(r.by_rule["ARC-01"].whitelist_revoked, 1);
    assert!(!r.by_rule.contains_key("*"));
}

fn jicha(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_jicha"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn report_unit_through_the_binary_in_every_format() {
    let (d, mut ds) = fixture();
    ticket(&mut ds, "2026-11-02", &[1, 2], None, Some("2026-11-03"));
    drop(ds);
    let db = d.path().join("t.jicha");
    let range = ["report", "--from", "2026-11-02", "--to", "2026-11-05"];
    let run = |extra: &[&str]| {
        let out = jicha(&db, &[&range[..], extra].concat());
        assert!(
            out.status.success(),
            "{extra:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    // 西湖区 (城关: findings 1–4 and the ticket of two): 2 problems, both overdue on 11-05.
    let v: serde_json::Value =
        serde_json::from_str(&run(&["--unit", "西湖区", "--format", "json"])).unwrap();
    assert_eq!(v["unit"], "西湖区");
    assert_eq!(v["problems_dispatched"], 2);
    assert_eq!(v["problems_overdue"], 2);
    assert_eq!(v["open_before"], 4);
    assert!(v["by_unit"].get("城北供电所").is_none());
    assert_eq!(v["by_rule"]["BIL-05"]["open_change_rate"], 0.0, "2 → 2");
    let md = run(&["--unit", "西湖区", "--format", "md"]);
    for want in [
        "| 发起稽查问题数 Problems dispatched | 2 |",
        "| 稽查超期率 Overdue rate | 100.0% |",
        "| 期末其中白名单屏蔽 of which whitelisted, at the end | 0 |",
        "## 营销关键指标（指标改变率） Business indicators (indicator change rate)",
        "范围 Unit 西湖区",
    ] {
        assert!(md.contains(want), "{want}:\n{md}");
    }
    let text = run(&["--lang", "zh"]);
    assert!(
        text.contains("  城关供电所"),
        "a station indented under its district:\n{text}"
    );
    let csv = run(&["--format", "csv"]);
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let head = rows.headers().unwrap().clone();
    for key in [
        "themes_monitored",
        "problems_overdue",
        "kwh_change_rate",
        "open_change_rate",
    ] {
        assert!(head.iter().any(|h| h == key), "{key}: {head:?}");
    }
    let recs: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    let col = |k: &str| head.iter().position(|h| h == k).unwrap();
    let west = recs
        .iter()
        .find(|r| &r[0] == "unit" && &r[1] == "西湖区")
        .unwrap();
    assert_eq!(&west[col("overdue_rate")], "1.000000");
    let total = recs.iter().find(|r| &r[0] == "total").unwrap();
    assert_eq!(
        &total[col("initiation_rate")],
        "0.666667",
        "ARC-04, BIL-05 of 3 rules"
    );
    // A unit nobody knows: refused, naming the nearest.
    let out = jicha(&db, &[&range[..], &["--unit", "西湖"]].concat());
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("西湖区"), "{err}");
}
