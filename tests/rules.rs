//! Every rule at its threshold (fires or not, as its `>` / `≥` says) and just past it, the
//! 0.005 tolerance, period boundaries, calendar arithmetic, THF-01 levels and external rules.

use jicha::db::Dataset;
use jicha::progress;
use jicha::rules::{evaluate, Hit, Severity};
use jicha::thresholds::Thresholds;

mod common;
use common::rule_db::{d, en, T};

const D: &str = "2026-06-15";

// ---------------------------------------------------------------- archive rules

#[test]
fn arc01_contact_and_phone() {
    let t = T::new();
    let phones = [
        ("ok_mobile", "13800138000"),
        ("ok_land_dash3", "010-12345678"),
        ("ok_land_dash4", "0755-1234567"),
        ("ok_land_plain", "01012345678"),
        ("ok_land_plain10", "0101234567"),
        ("bad_mobile10", "1380013800"),
        ("bad_mobile12", "138001380001"),
        ("bad_fullwidth", "１３８００１３８０００"),
        ("bad_short_number", "010-123456"),
        ("bad_area_len", "01-1234567"),
        ("bad_two_dashes", "010-1234-567"),
        ("bad_space", "138 0013 800"),
        ("bad_plain9", "010123456"),
    ];
    for (no, phone) in phones {
        t.cust_with(no, &format!("phone = '{phone}'"));
    }
    t.cust_with("no_contact", "contact = '  '");
    t.cust_with("no_phone", "phone = NULL");
    t.cust_with("closed", "phone = NULL, status = 'closed'");
    let fired = t.fired("ARC-01", D);
    assert_eq!(
        fired,
        [
            "bad_area_len",
            "bad_fullwidth",
            "bad_mobile10",
            "bad_mobile12",
            "bad_plain9",
            "bad_short_number",
            "bad_space",
            "bad_two_dashes",
            "no_contact",
            "no_phone"
        ]
    );
    let h = t.hits("ARC-01", D);
    assert!(h
        .iter()
        .any(|h| h.cust_no == "no_phone" && en(h) == "phone empty"));
    assert!(h
        .iter()
        .all(|h| h.severity == Severity::Low && h.subject == "-"));
}

#[test]
fn arc02_capacity_against_voltage() {
    let t = T::new();
    t.cust_with("v220_at", "voltage_kv = 0.22, capacity_kva = 10");
    t.cust_with("v220_tol", "voltage_kv = 0.22, capacity_kva = 10.004");
    t.cust_with("v220_past", "voltage_kv = 0.22, capacity_kva = 10.006");
    t.cust_with("v380_at", "voltage_kv = 0.38, capacity_kva = 100");
    t.cust_with("v380_past", "voltage_kv = 0.38, capacity_kva = 100.01");
    t.cust_with("v10_at", "voltage_kv = 10, capacity_kva = 8000");
    t.cust_with("v10_past", "voltage_kv = 10, capacity_kva = 8001");
    t.cust_with("v35", "voltage_kv = 35, capacity_kva = 90000");
    assert_eq!(t.fired("ARC-02", D), ["v10_past", "v220_past", "v380_past"]);
    let e = &en(&t.hits("ARC-02", D)[0]);
    assert!(e.contains("8001") && e.contains("8000"), "{e}");
}

#[test]
fn arc03_tariff_against_category() {
    let t = T::new();
    t.cust_with("res_ok", "category = 'resident', price_code = 'RES'");
    t.cust_with("res_com", "category = 'resident', price_code = 'COM'");
    t.cust_with(
        "ind_ok",
        "category = 'large_industry', price_code = 'IND', billing_mode = 'two_part'",
    );
    t.cust_with("agr_res", "category = 'agriculture', price_code = 'RES'");
    assert_eq!(t.fired("ARC-03", D), ["agr_res", "res_com"]);
}

#[test]
fn arc04_business_name_on_resident_tariff() {
    let t = T::new();
    t.cust_with(
        "shop",
        "category = 'resident', price_code = 'RES', name = '张记超市'",
    );
    t.cust_with(
        "person",
        "category = 'resident', price_code = 'RES', name = '张三'",
    );
    t.cust_with("com", "name = '某某公司'");
    assert_eq!(t.fired("ARC-04", D), ["shop"]);
    assert!(en(&t.hits("ARC-04", D)[0]).contains("\"超市\""));
}

#[test]
fn arc05_large_industry_two_part() {
    let t = T::new();
    t.cust_with("single", "category = 'large_industry', price_code = 'IND'");
    t.cust_with(
        "two",
        "category = 'large_industry', price_code = 'IND', billing_mode = 'two_part'",
    );
    assert_eq!(t.fired("ARC-05", D), ["single"]);
}

#[test]
fn arc06_capacity_at_large_industry_standard() {
    let t = T::new();
    t.cust_with("at", "capacity_kva = 315");
    t.cust_with("tol", "capacity_kva = 314.996");
    t.cust_with("below", "capacity_kva = 314.994");
    t.cust_with("two_part", "capacity_kva = 400, billing_mode = 'two_part'");
    t.cust_with(
        "resident",
        "capacity_kva = 400, category = 'resident', price_code = 'RES'",
    );
    assert_eq!(t.fired("ARC-06", D), ["at", "tol"]);
}

#[test]
fn arc07_power_factor_standard() {
    let t = T::new();
    t.cust_with("at", "capacity_kva = 100");
    t.cust_with("below", "capacity_kva = 99.99");
    t.cust_with("assessed", "capacity_kva = 200, pf_standard = 0.9");
    t.cust_with(
        "resident",
        "capacity_kva = 200, category = 'resident', price_code = 'RES'",
    );
    assert_eq!(t.fired("ARC-07", D), ["at"]);
}

#[test]
fn arc08_temporary_years_and_leap_day() {
    let t = T::new();
    t.cust_with("at", "temporary = 1, opened_on = '2023-06-15'");
    t.cust_with("past", "temporary = 1, opened_on = '2023-06-14'");
    t.cust_with("permanent", "opened_on = '2000-01-01'");
    assert_eq!(t.fired("ARC-08", D), ["past"]);

    // D = 29 Feb 2028: D − 3 years is 28 Feb 2025; strictly before it fires.
    let t = T::new();
    t.cust_with("at", "temporary = 1, opened_on = '2025-02-28'");
    t.cust_with("past", "temporary = 1, opened_on = '2025-02-27'");
    assert_eq!(t.fired("ARC-08", "2028-02-29"), ["past"]);
}

#[test]
fn arc09_closed_unpaid_bound_and_periods() {
    let t = T::new();
    for c in ["at", "past", "later", "active"] {
        t.cust_with(c, "status = 'closed', closed_on = '2026-03-31'");
    }
    t.exec("UPDATE customers SET status = 'active', closed_on = NULL WHERE cust_no = 'active'");
    for c in ["at", "past", "later", "active"] {
        t.bill(c, "2026-02", 0.0, 100.0, 100.0);
        t.bill(c, "2026-03", 100.0, 200.0, 100.0);
    }
    t.exec(
        "UPDATE bills SET paid = amount - 0.01 WHERE cust_no = 'at' AND period = '2026-03';
         UPDATE bills SET paid = amount - 0.011 WHERE cust_no = 'past' AND period = '2026-03';
         UPDATE bills SET paid = amount - 50 WHERE cust_no = 'active';",
    );
    // A bill after D is not looked at.
    t.bill("later", "2026-07", 200.0, 300.0, 100.0);
    t.exec("UPDATE bills SET paid = 0 WHERE cust_no = 'later' AND period = '2026-07'");
    assert_eq!(t.fired("ARC-09", D), ["past"]);
    let h = &t.hits("ARC-09", D)[0];
    assert!((h.amount_yuan.unwrap() - 0.011).abs() < 1e-9);
    assert_eq!(h.severity, Severity::High);
    assert_eq!(t.fired("ARC-09", "2026-07-01"), ["later", "past"]);
}

// ---------------------------------------------------------------- billing rules

#[test]
fn bil01_reading_continuity() {
    let t = T::new();
    for c in ["equal", "tol", "past", "gap"] {
        t.cust(c);
    }
    t.bill("equal", "2026-04", 0.0, 100.0, 100.0);
    t.bill("equal", "2026-05", 100.0, 200.0, 100.0);
    t.bill("tol", "2026-04", 0.0, 100.0, 100.0);
    t.bill("tol", "2026-05", 100.004, 200.0, 99.996);
    t.bill("past", "2026-04", 0.0, 100.0, 100.0);
    t.bill("past", "2026-05", 100.006, 200.0, 99.994);
    // A missing month: 2026-05's previous period (04) does not exist, nothing to compare.
    t.bill("gap", "2026-03", 0.0, 100.0, 100.0);
    t.bill("gap", "2026-05", 150.0, 250.0, 100.0);
    assert_eq!(t.fired("BIL-01", D), ["past 2026-05"]);
    let e = &en(&t.hits("BIL-01", D)[0]);
    assert!(e.contains("2026-04 curr_reading 100"), "{e}");
}

#[test]
fn bil02_formula_tolerance_used_alone() {
    let t = T::new();
    for c in ["at", "past", "loss"] {
        t.cust(c);
    }
    t.bill("at", "2026-05", 0.0, 100.0, 101.0);
    t.bill("past", "2026-05", 0.0, 100.0, 101.01);
    // (curr − prev) × multiplier + loss: 10 × 40 + 12 = 412.
    t.bill("loss", "2026-05", 0.0, 10.0, 412.0);
    t.exec("UPDATE bills SET multiplier = 40, loss_kwh = 12 WHERE cust_no = 'loss'");
    assert_eq!(t.fired("BIL-02", D), ["past 2026-05"]);
    let h = &t.hits("BIL-02", D)[0];
    // 1.01 kWh off at the bill's own 0.6 元/kWh.
    assert_eq!(h.amount_yuan, Some(0.61));
    assert!(en(h).contains("off by 1.01 > 1"), "{}", en(h));

    let mut t = t;
    t.th.set("formula_tolerance_kwh", "2").unwrap();
    assert!(t.fired("BIL-02", D).is_empty());
}

#[test]
fn bil03_surge_and_drop() {
    let t = T::new();
    let cases: &[(&str, [f64; 4])] = &[
        ("surge_at", [100.0, 100.0, 100.0, 300.0]),
        ("surge_tol", [100.0, 100.0, 100.0, 300.004]),
        ("surge_past", [100.0, 100.0, 100.0, 300.01]),
        ("drop_at", [100.0, 100.0, 100.0, 30.0]),
        ("drop_past", [100.0, 100.0, 100.0, 29.99]),
        ("base_below", [99.98, 99.98, 99.98, 1000.0]),
        ("base_tol", [99.996, 99.996, 99.996, 1000.0]),
    ];
    for (c, kwhs) in cases {
        t.cust(c);
        t.series(c, "2026-02", kwhs);
    }
    // A missing month among the three previous periods: no mean, no finding.
    t.cust("gap");
    t.bill("gap", "2026-01", 0.0, 100.0, 100.0);
    t.bill("gap", "2026-02", 100.0, 200.0, 100.0);
    t.bill("gap", "2026-04", 200.0, 300.0, 100.0);
    t.bill("gap", "2026-05", 300.0, 1300.0, 1000.0);
    assert_eq!(
        t.fired("BIL-03", D),
        [
            "base_tol 2026-05",
            "drop_past 2026-05",
            "surge_past 2026-05"
        ]
    );
    let h = t.hits("BIL-03", D);
    let surge = h.iter().find(|h| h.cust_no == "surge_past").unwrap();
    assert_eq!(
        en(surge),
        "kwh 300.01 vs mean 100 of 2026-02..04 (×3.00 > 3)"
    );
}

#[test]
fn bil03_on_a_zero_mean_still_reads_as_a_sentence() {
    // change_min_base_kwh 0 lets a zero mean through: any kWh is then a surge, with no ratio.
    let mut t = T::new();
    t.th.set("change_min_base_kwh", "0").unwrap();
    t.cust("idle");
    t.series("idle", "2026-02", &[0.0, 0.0, 0.0, 50.0]);
    let h = t.hits("BIL-03", D);
    assert_eq!(h.len(), 1);
    assert_eq!(en(&h[0]), "kwh 50 vs mean 0 of 2026-02..04 (×∞ > 3)");
}

#[test]
fn bil04_zero_runs() {
    let t = T::new();
    t.cust("two");
    t.series("two", "2026-01", &[100.0, 0.0, 0.0, 100.0]);
    t.cust("three");
    t.series("three", "2026-01", &[100.0, 0.0, 0.0, 0.004, 100.0]);
    t.cust("notzero");
    t.series("notzero", "2026-01", &[0.0, 0.0, 0.006, 0.0, 0.0]);
    t.cust("long");
    t.series(
        "long",
        "2025-10",
        &[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 5.0, 0.0, 0.0, 0.0],
    );
    // A missing month ends a run: 2026-01..02 and 2026-04..05 are two runs of two.
    t.cust("gap");
    t.bill("gap", "2026-01", 0.0, 0.0, 0.0);
    t.bill("gap", "2026-02", 0.0, 0.0, 0.0);
    t.bill("gap", "2026-04", 0.0, 0.0, 0.0);
    t.bill("gap", "2026-05", 0.0, 0.0, 0.0);
    // long's second run 2026-05..07 is three long only once July is at or before D.
    assert_eq!(
        t.fired("BIL-04", "2026-07-31"),
        ["long 2025-10", "long 2026-05", "three 2026-02"]
    );
    assert_eq!(t.fired("BIL-04", D), ["long 2025-10", "three 2026-02"]);
    let h = t.hits("BIL-04", D);
    assert!(
        en(&h[0]).contains("6 consecutive periods 2025-10..03"),
        "{}",
        en(&h[0])
    );
}

#[test]
fn bil05_negative_amount() {
    let t = T::new();
    for c in ["tol", "past", "after_d"] {
        t.cust(c);
        t.bill(c, "2026-05", 0.0, 100.0, 100.0);
    }
    t.bill("after_d", "2026-07", 100.0, 200.0, 100.0);
    t.exec(
        "UPDATE bills SET amount = -0.004 WHERE cust_no = 'tol';
         UPDATE bills SET amount = -12.5 WHERE cust_no = 'past';
         UPDATE bills SET amount = -99 WHERE cust_no = 'after_d' AND period = '2026-07';",
    );
    assert_eq!(t.fired("BIL-05", D), ["past 2026-05"]);
    assert_eq!(t.hits("BIL-05", D)[0].amount_yuan, Some(12.5));
    assert_eq!(
        t.fired("BIL-05", "2026-07-01"),
        ["after_d 2026-07", "past 2026-05"]
    );
}

#[test]
fn bil06_energy_without_amount() {
    let t = T::new();
    for c in ["tol", "past", "none"] {
        t.cust(c);
        t.bill(c, "2026-04", 0.0, 100.0, 100.0);
        t.bill(c, "2026-05", 100.0, 200.0, 100.0);
    }
    t.exec(
        "UPDATE bills SET amount = 50 WHERE period = '2026-04';
         UPDATE bills SET amount = 0.006 WHERE cust_no = 'tol' AND period = '2026-05';
         UPDATE bills SET amount = 0.004 WHERE cust_no = 'past' AND period = '2026-05';
         UPDATE bills SET amount = 0 WHERE cust_no = 'none';",
    );
    assert_eq!(
        t.fired("BIL-06", D),
        ["none 2026-04", "none 2026-05", "past 2026-05"]
    );
    let h = t.hits("BIL-06", D);
    // past: 100 kWh at its other month's 0.5 元/kWh; none: no priced month, the 0.6 default.
    assert_eq!(h[2].amount_yuan, Some(50.0));
    assert_eq!(h[0].amount_yuan, Some(60.0));
}

#[test]
fn bil07_resident_limit() {
    let t = T::new();
    for (c, kwh) in [("at", 3000.0), ("past", 3000.01)] {
        t.cust_with(c, "category = 'resident', price_code = 'RES'");
        t.bill(c, "2026-05", 0.0, kwh, kwh);
    }
    t.cust("commercial");
    t.bill("commercial", "2026-05", 0.0, 5000.0, 5000.0);
    assert_eq!(t.fired("BIL-07", D), ["past 2026-05"]);
}

#[test]
fn bil08_hslm_without_loss() {
    let t = T::new();
    for c in ["zero", "tol", "loss", "lv"] {
        t.cust_with(c, "hslm = 1");
        t.bill(c, "2026-05", 0.0, 100.0, 100.0);
    }
    t.exec(
        "UPDATE bills SET loss_kwh = 0.004 WHERE cust_no = 'tol';
         UPDATE bills SET loss_kwh = 0.006 WHERE cust_no = 'loss';
         UPDATE customers SET hslm = 0 WHERE cust_no = 'lv';",
    );
    assert_eq!(t.fired("BIL-08", D), ["tol 2026-05", "zero 2026-05"]);
}

#[test]
fn bil09_capacity_limit() {
    let t = T::new();
    for (c, kwh) in [("at", 7440.0), ("tol", 7440.004), ("past", 7440.01)] {
        t.cust_with(c, "capacity_kva = 10");
        t.bill(c, "2026-05", 0.0, kwh, kwh);
    }
    assert_eq!(t.fired("BIL-09", D), ["past 2026-05"]);
}

#[test]
fn bil10_bill_multiplier_against_meter() {
    let t = T::new();
    for c in ["same", "tol", "past", "two_meters", "no_meter"] {
        t.cust(c);
        t.bill(c, "2026-05", 0.0, 10.0, 400.0);
    }
    t.exec("UPDATE bills SET multiplier = 40");
    t.meter("same", "M1", 40.0, 1.0, 40.0);
    t.meter("tol", "M2", 40.0, 1.0, 40.004);
    t.meter("past", "M3", 40.0, 1.0, 40.006);
    t.meter("two_meters", "M4", 80.0, 1.0, 80.0);
    t.meter("two_meters", "M5", 80.0, 1.0, 80.0);
    assert_eq!(t.fired("BIL-10", D), ["past 2026-05"]);

    t.exec("UPDATE meters SET multiplier = 80, ct_ratio = 80 WHERE meter_no = 'M3'");
    let h = &t.hits("BIL-10", D)[0];
    // 10 kWh of readings × (80 − 40) mis-billed, at the bill's 0.6 元/kWh.
    assert_eq!(h.amount_yuan, Some(240.0));
    assert!(en(h).contains("M3"), "{}", en(h));
}

// ---------------------------------------------------------------- metering rules

#[test]
fn mtr01_multiplier_against_ct_pt() {
    let t = T::new();
    t.cust("a");
    t.meter("a", "OK", 40.0, 100.0, 4000.0);
    t.meter("a", "TOL", 40.0, 1.0, 40.004);
    t.meter("a", "BAD", 40.0, 1.0, 40.006);
    t.cust_with("closed", "status = 'closed'");
    t.meter("closed", "CLOSED", 40.0, 1.0, 1.0);
    assert_eq!(t.fired("MTR-01", D), ["a BAD"]);
}

#[test]
fn mtr02_rotation_years() {
    let t = T::new();
    t.cust("a");
    for (no, installed, verified) in [
        ("AT", "2010-01-01", Some("2018-06-15")),
        ("PAST", "2010-01-01", Some("2018-06-14")),
        ("INST_PAST", "2018-06-14", None),
        ("INST_AT", "2018-06-15", None),
        ("VERIFIED_RECENTLY", "2001-01-01", Some("2025-01-01")),
    ] {
        t.meter("a", no, 1.0, 1.0, 1.0);
        t.ds.conn
            .execute(
                "UPDATE meters SET installed_on = ?1, verified_on = ?2 WHERE meter_no = ?3",
                rusqlite::params![installed, verified, no],
            )
            .unwrap();
    }
    assert_eq!(t.fired("MTR-02", D), ["a INST_PAST", "a PAST"]);
}

#[test]
fn mtr03_obsolete_models_ascii_case() {
    let t = T::new();
    t.cust("a");
    for (no, model) in [
        ("M1", "dd862"),
        ("M2", "DD8620"),
        ("M3", "ＤＤ28"),
        ("M4", "Dt8"),
    ] {
        t.meter("a", no, 1.0, 1.0, 1.0);
        t.exec(&format!(
            "UPDATE meters SET model = '{model}' WHERE meter_no = '{no}'"
        ));
    }
    assert_eq!(t.fired("MTR-03", D), ["a M1", "a M4"]);
}

#[test]
fn mtr04_hslm_capacity() {
    let t = T::new();
    t.cust_with("at", "hslm = 1, capacity_kva = 500");
    t.cust_with("below", "hslm = 1, capacity_kva = 499.99");
    t.cust_with("hv", "hslm = 0, capacity_kva = 800");
    assert_eq!(t.fired("MTR-04", D), ["at"]);
}

#[test]
fn mtr05_only_once_meters_exist() {
    let t = T::new();
    t.cust("a");
    t.cust("b");
    let (hits, cov) = t.run(D);
    assert!(!hits.iter().any(|h| h.rule == "MTR-05"));
    assert!(cov.get("MTR-05").is_none(), "did not run, covers nothing");
    t.meter("a", "M1", 1.0, 1.0, 1.0);
    assert_eq!(t.fired("MTR-05", D), ["b"]);
}

// ---------------------------------------------------------------- business rules

#[test]
fn sus01_times_and_days_in_window() {
    let t = T::new();
    // Window: 2025-06-16 ..= 2026-06-15.
    t.cust("two_times");
    t.suspension("two_times", "suspend", "2025-07-01", "2025-07-20");
    t.suspension("two_times", "suspend", "2025-09-01", "2025-09-20");
    t.suspension("two_times", "suspend", "2025-05-01", "2025-06-15"); // ends before the window
    t.cust("three_times");
    t.suspension("three_times", "suspend", "2025-07-01", "2025-07-20");
    t.suspension("three_times", "suspend", "2025-09-01", "2025-09-20");
    t.suspension("three_times", "suspend", "2025-05-01", "2025-06-16"); // one day inside
    t.cust("days_at");
    t.suspension("days_at", "suspend", "2026-01-01", "2026-07-02"); // 2026-01-01..06-15 = 166
    t.suspension("days_at", "suspend", "2025-06-01", "2025-07-02"); // 2025-06-16..07-02 = 17
    t.cust("days_past");
    t.suspension("days_past", "suspend", "2025-12-31", "2026-07-02"); // 167
    t.suspension("days_past", "suspend", "2025-06-01", "2025-07-02"); // 17
                                                                      // Overlapping rows: 100 days covered twice are 100 days, not 200.
    t.cust("overlap");
    t.suspension("overlap", "suspend", "2026-01-01", "2026-04-10");
    t.suspension("overlap", "suspend", "2026-01-02", "2026-04-10");
    t.cust("overlap_past");
    t.suspension("overlap_past", "suspend", "2025-10-01", "2026-03-01"); // 152
    t.suspension("overlap_past", "suspend", "2026-02-01", "2026-04-05"); // +35 beyond → 187
    t.cust("reduce");
    t.suspension("reduce", "reduce", "2025-07-01", "2026-06-01");
    assert_eq!(
        t.fired("SUS-01", D),
        ["days_past", "overlap_past", "three_times"]
    );
    let h = t.hits("SUS-01", D);
    assert!(
        en(&h[1]).contains("187 suspended days > 183"),
        "{}",
        en(&h[1])
    );
}

#[test]
fn sus02_short_suspension() {
    let t = T::new();
    t.cust("a");
    t.suspension("a", "suspend", "2026-01-01", "2026-01-15"); // 15 days
    t.suspension("a", "suspend", "2026-03-01", "2026-03-14"); // 14 days
    t.suspension("a", "reduce", "2026-05-01", "2026-05-02");
    assert_eq!(t.fired("SUS-02", D), ["a 2026-03-01"]);
}

#[test]
fn sus03_reduction_bounds() {
    let t = T::new();
    t.cust("a");
    t.suspension("a", "reduce", "2024-01-01", "2024-07-01"); // 183 days (leap year)
    t.suspension("a", "reduce", "2024-02-01", "2024-08-01"); // 183
    t.suspension("a", "reduce", "2025-01-01", "2025-07-01"); // 182
    t.suspension("a", "reduce", "2022-01-01", "2023-12-31"); // 730
    t.suspension("a", "reduce", "2020-01-01", "2021-12-31"); // 731
    t.suspension("a", "suspend", "2026-01-01", "2026-01-02");
    assert_eq!(t.fired("SUS-03", D), ["a 2020-01-01", "a 2025-01-01"]);
}

// ---------------------------------------------------------------- inspection and service

#[test]
fn con01_contracts() {
    let t = T::new();
    for c in ["expires_on_d", "expired", "none", "renewed"] {
        t.cust(c);
    }
    assert!(
        t.fired("CON-01", D).is_empty(),
        "no contract rows: rule does not run"
    );
    let contract = |no: &str, cust: &str, expires: &str| {
        t.ds.conn
            .execute(
                "INSERT INTO contracts(contract_no, cust_no, signed_on, expires_on, import_id, src_line)
                 VALUES (?1, ?2, '2020-01-01', ?3, 0, 1)",
                [no, cust, expires],
            )
            .unwrap();
    };
    contract("C1", "expires_on_d", D);
    contract("C2", "expired", "2026-06-14");
    contract("C3", "renewed", "2026-01-01");
    contract("C4", "renewed", "2029-01-01");
    assert_eq!(t.fired("CON-01", D), ["expired", "none"]);
}

#[test]
fn svc01_application_time_limit() {
    let t = T::new();
    t.cust_with("closed", "status = 'closed'");
    let app = |no: &str, cust: Option<&str>, accepted: &str, completed: Option<&str>| {
        t.ds.conn
            .execute(
                "INSERT INTO applications(app_no, cust_no, kind, accepted_on, completed_on, limit_days, import_id, src_line)
                 VALUES (?1, ?2, 'new', ?3, ?4, 20, 0, 1)",
                rusqlite::params![no, cust, accepted, completed],
            )
            .unwrap();
    };
    app("AT", Some("closed"), "2026-01-01", Some("2026-01-21"));
    app("PAST", Some("closed"), "2026-01-01", Some("2026-01-22"));
    app("OPEN_AT", None, "2026-05-26", None);
    app("OPEN_PAST", None, "2026-05-25", None);
    assert_eq!(t.fired("SVC-01", D), [" OPEN_PAST", "closed PAST"]);
    let h = t.hits("SVC-01", D);
    assert_eq!(h[0].cust_no, "");
    assert!(en(&h[0]).contains("21 days > limit 20"), "{}", en(&h[0]));
}

// ---------------------------------------------------------------- theft suspicion

/// A year and a quarter of 1,000 kWh months, then `tail` for 2026-04..06 (the latest three).
fn theft_customer(t: &T, cust: &str, tail: [f64; 3], mismatched_meter: bool) {
    t.cust(cust);
    let mut kwhs = vec![1000.0; 15];
    kwhs.extend(tail);
    t.series(cust, "2025-01", &kwhs);
    let mult = if mismatched_meter { 41.0 } else { 40.0 };
    t.meter(cust, &format!("{cust}-M"), 40.0, 1.0, mult);
}

fn break_readings(t: &T, cust: &str, period: &str) {
    t.exec(&format!(
        "UPDATE bills SET prev_reading = prev_reading + 7 WHERE cust_no = '{cust}' AND period = '{period}'"
    ));
}

#[test]
fn thf01_levels() {
    let t = T::new();
    // One signal (meter mismatch): no finding.
    theft_customer(&t, "one", [1000.0, 1000.0, 1000.0], true);
    // Two: mismatch + discontinuity → level 4.
    theft_customer(&t, "two", [1000.0, 1000.0, 1000.0], true);
    break_readings(&t, "two", "2026-05");
    // Three: drop + year-on-year fall (2026-06 200 vs 2025-06 1,000) + mismatch → level 3.
    theft_customer(&t, "three", [1000.0, 1000.0, 200.0], true);
    // Four: drop, yoy, mismatch, discontinuity → level 2.
    theft_customer(&t, "four", [1000.0, 1000.0, 200.0], true);
    break_readings(&t, "four", "2026-04");
    // Five: 2026-05 400 vs 2025-05 1,000 is the yoy fall; 2026-06 is 0: drop and zero.
    theft_customer(&t, "five", [1000.0, 400.0, 0.0], true);
    break_readings(&t, "five", "2026-04");
    // A discontinuity four months back is outside the latest three.
    theft_customer(&t, "old", [1000.0, 1000.0, 1000.0], true);
    break_readings(&t, "old", "2026-03");

    let h = t.hits("THF-01", D);
    let got: Vec<(&str, &str, Option<i64>, Severity)> = h
        .iter()
        .map(|h| (h.cust_no.as_str(), h.subject.as_str(), h.level, h.severity))
        .collect();
    assert_eq!(
        got,
        [
            ("five", "2026-06", Some(1), Severity::High),
            ("four", "2026-06", Some(2), Severity::High),
            ("three", "2026-06", Some(3), Severity::Medium),
            ("two", "2026-06", Some(4), Severity::Medium),
        ]
    );
    let five = &en(&h[0]);
    for s in [
        "drop",
        "year-on-year fall 2026-05",
        "meter five-M",
        "reading discontinuity 2026-04",
        "zero kwh",
    ] {
        assert!(five.contains(s), "{s} missing in {five}");
    }
    // As of May, "three"'s latest three end at 2026-05: only the mismatch holds.
    assert!(!t
        .fired("THF-01", "2026-05-31")
        .iter()
        .any(|f| f.starts_with("three")));
}

#[test]
fn thf01_zero_latest_without_base() {
    // Small consumer: the mean is below change_min_base_kwh, so no drop; zero latest + mismatch
    // are two signals.
    let t = T::new();
    t.cust("small");
    t.series("small", "2026-01", &[50.0, 50.0, 50.0, 50.0, 0.0]);
    t.meter("small", "S-M", 1.0, 1.0, 2.0);
    let h = t.hits("THF-01", D);
    assert_eq!(h.len(), 1);
    assert_eq!((h[0].subject.as_str(), h[0].level), ("2026-05", Some(4)));
}

// ---------------------------------------------------------------- external findings, coverage

#[test]
fn external_findings_are_rules_of_their_own() {
    let t = T::new();
    t.cust("a");
    t.exec(
        "INSERT INTO external_findings(source, rule_code, rule_name, cust_no, subject, detected_on, severity, evidence, import_id, src_line)
         VALUES ('采集系统', 'CJ-07', '电压断相', 'a', '2026-05', '2026-06-01', 'high', 'A相失压 3 天', 0, 1),
                ('95598', 'TS-1', '频繁投诉', 'a', '-', '2026-06-02', 'low', NULL, 0, 2)",
    );
    let (hits, cov) = t.run(D);
    let ext: Vec<&Hit> = hits.iter().filter(|h| h.rule.starts_with("EXT:")).collect();
    assert_eq!(ext.len(), 2);
    let cj = ext.iter().find(|h| h.rule == "EXT:采集系统:CJ-07").unwrap();
    assert_eq!(
        (cj.subject.as_str(), cj.severity),
        ("2026-05", Severity::High)
    );
    assert_eq!(en(cj), "电压断相, detected 2026-06-01: A相失压 3 天");
    let ts = ext.iter().find(|h| h.rule == "EXT:95598:TS-1").unwrap();
    assert_eq!(ts.severity, Severity::Low);
    assert!(en(ts).contains("频繁投诉") && en(ts).contains("2026-06-02"));
    assert!(cov.covers("EXT:95598:TS-1", "-"));
}

#[test]
fn coverage_of_period_rules() {
    let t = T::new();
    t.cust("a");
    let (_, cov) = t.run(D);
    assert!(cov.covers("BIL-05", "2026-06"));
    assert!(!cov.covers("BIL-05", "2026-07"));
    // A zero run starting in April needs April..June: covered; one starting in May is not.
    assert!(cov.covers("BIL-04", "2026-04"));
    assert!(!cov.covers("BIL-04", "2026-05"));
    assert!(cov.covers("ARC-01", "-"));
    assert!(cov.get("CON-01").is_none());
    assert_eq!(
        cov.rules.len(),
        39,
        "43 rules less MTR-05, CON-01, ARC-10 and ARC-13 without their files"
    );
}

#[test]
fn inactive_customers_are_not_judged_by_period_rules() {
    let t = T::new();
    t.cust_with("closed", "status = 'closed'");
    t.bill("closed", "2026-05", 0.0, 100.0, 100.0);
    t.exec("UPDATE bills SET amount = -5");
    assert!(t.fired("BIL-05", D).is_empty());
}

#[test]
fn cancel_stops_evaluation() {
    let t = T::new();
    t.cust("a");
    let mut sink = |_h: Hit| Ok(());
    let mut cancel = |_p: &progress::Progress| std::ops::ControlFlow::Break(());
    let r = evaluate(&t.ds.conn, &t.th, d(D), &mut sink, &mut cancel);
    assert!(matches!(r, Err(jicha::JichaError::Cancelled)));
}

/// Evaluation alone (hits discarded) on a large dataset: `JICHA_PERF_DB=/path.db cargo test
/// --release --test rules -- --ignored --nocapture perf`.
#[test]
#[ignore]
fn perf_evaluate_of_a_large_dataset() {
    let Ok(path) = std::env::var("JICHA_PERF_DB") else {
        return;
    };
    let ds = Dataset::open(std::path::Path::new(&path)).unwrap();
    let th = Thresholds::load(&ds.conn).unwrap();
    let started = std::time::Instant::now();
    let mut hits = 0u64;
    let mut sink = |_h: Hit| {
        hits += 1;
        Ok(())
    };
    let mut last = String::new();
    let mut log = |p: &progress::Progress| {
        if p.stage != last {
            eprintln!("{:>8.2}s {}", started.elapsed().as_secs_f64(), p.stage);
            last = p.stage.clone();
        }
        std::ops::ControlFlow::Continue(())
    };
    evaluate(&ds.conn, &th, d("2025-12-31"), &mut sink, &mut log).unwrap();
    eprintln!("{hits} hits in {:.2}s", started.elapsed().as_secs_f64());
}
