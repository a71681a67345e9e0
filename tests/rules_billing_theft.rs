//! Issue 12's bill rules (BIL-11 missing months, BIL-12 multiplier change, BIL-13 amount surge
//! or drop, BIL-14 low load), BIL-08 outside suspensions and THF-01's sixth signal (a
//! metering-system event), each at its threshold and one step past it, at the edges of the
//! month a suspension overlaps, and with their evidence in English and Chinese.
//!
//! Readings taken where rules.md can be read two ways:
//! - BIL-12 and BIL-14 compare numbers with the Terms' 0.005 tolerance (`≠`, `0 < kwh`, `<`).
//! - THF-01 signal 6 is one signal however many events the customer has; its evidence names
//!   the most recent. `contains` is a plain substring test of the name as given. An external
//!   finding counts whatever its subject.
//! - A suspension row that ends before it starts shares no day with any month.

use jicha::context::Lang;
use jicha::rules::{Hit, Severity};

mod common;
use common::rule_db::{en, T};

const D: &str = "2026-06-15";

fn zh(h: &Hit) -> String {
    jicha::i18n::evidence::render(Lang::Zh, &h.evidence)
}

// ---------------------------------------------------------------- BIL-11

#[test]
fn bil11_one_finding_per_missing_month_between_first_and_last() {
    let t = T::new();
    t.cust("gap");
    for p in ["2026-01", "2026-02", "2026-05"] {
        t.bill("gap", p, 0.0, 100.0, 100.0);
    }
    // Bills from 2026-03 to 2026-06, then 2026-08 after the month of D: 2026-07 is not
    // "between" as of June (the August row is ignored), and nothing before the first bill is.
    t.cust("edge");
    t.series("edge", "2026-03", &[100.0; 4]);
    t.bill("edge", "2026-08", 0.0, 100.0, 100.0);
    t.cust("whole");
    t.series("whole", "2025-01", &[100.0; 18]);

    assert_eq!(t.fired("BIL-11", D), ["gap 2026-03", "gap 2026-04"]);
    let h = &t.hits("BIL-11", D)[0];
    assert_eq!(en(h), "no bill for 2026-03 (billed 2026-02 and 2026-05)");
    assert_eq!(zh(h), "2026-03 无账单（前后账单期为 2026-02 与 2026-05）");
    assert_eq!(h.severity, Severity::Medium);

    // Once D reaches August, the August bill is the last one and July lies between.
    assert_eq!(
        t.fired("BIL-11", "2026-08-01"),
        ["edge 2026-07", "gap 2026-03", "gap 2026-04"]
    );
}

// ---------------------------------------------------------------- BIL-12

#[test]
fn bil12_multiplier_differs_from_the_previous_row() {
    let t = T::new();
    for c in ["chg", "tol", "past"] {
        t.cust(c);
        t.series(c, "2026-01", &[100.0; 4]);
    }
    t.exec(
        "UPDATE bills SET multiplier = 2 WHERE cust_no = 'chg' AND period = '2026-03';
         UPDATE bills SET multiplier = 1.005 WHERE cust_no = 'tol' AND period = '2026-03';
         UPDATE bills SET multiplier = 1.006 WHERE cust_no = 'past' AND period = '2026-03';",
    );
    // A gap month: 2026-03's previous period has no row, so its change from 2026-01 is not
    // judged (rules.md "previous period").
    t.cust("gapped");
    t.bill("gapped", "2026-01", 0.0, 100.0, 100.0);
    t.bill("gapped", "2026-03", 100.0, 150.0, 100.0);
    t.exec("UPDATE bills SET multiplier = 2 WHERE cust_no = 'gapped' AND period = '2026-03'");

    assert_eq!(
        t.fired("BIL-12", D),
        ["chg 2026-03", "chg 2026-04", "past 2026-03", "past 2026-04"]
    );
    let h = &t.hits("BIL-12", D)[0];
    assert_eq!(en(h), "multiplier 2, was 1 in 2026-02");
    assert_eq!(zh(h), "计费倍率 2，上月 2026-02 为 1");
}

// ---------------------------------------------------------------- BIL-13

/// Four months of 100 kWh with the given amounts (元) for 2026-02..05.
fn amounts(t: &T, cust: &str, amounts: [f64; 4]) {
    t.cust(cust);
    t.series(cust, "2026-02", &[100.0; 4]);
    for (k, a) in amounts.iter().enumerate() {
        t.exec(&format!(
            "UPDATE bills SET amount = {a}, paid = {a} WHERE cust_no = '{cust}' AND period = '2026-0{}'",
            k + 2
        ));
    }
}

#[test]
fn bil13_amount_against_the_three_previous_months() {
    let t = T::new();
    // Mean exactly change_min_base_yuan 50: judged. 150 = 3.0 × 50 is no surge; 150.01 is.
    amounts(&t, "s_at", [50.0, 50.0, 50.0, 150.0]);
    amounts(&t, "s_past", [50.0, 50.0, 50.0, 150.01]);
    // Mean 49.99 < 50: not judged, however large the month.
    amounts(&t, "base_below", [49.99, 49.99, 49.99, 1000.0]);
    // Drop: 30 = 0.3 × 100 is none; 29.99 is.
    amounts(&t, "d_at", [100.0, 100.0, 100.0, 30.0]);
    amounts(&t, "d_past", [100.0, 100.0, 100.0, 29.99]);
    assert_eq!(t.fired("BIL-13", D), ["d_past 2026-05", "s_past 2026-05"]);

    let h = t.hits("BIL-13", D);
    assert_eq!(
        en(&h[1]),
        "amount 150.01 元 vs mean 50 元 of 2026-02..04 (×3.00 > 3)"
    );
    assert_eq!(
        zh(&h[0]),
        "电费 29.99 元，为 2026-02..04 均值 100 元的 0.30 倍（< 0.3）"
    );
    // The ratios are BIL-03's: a lower surge_ratio makes 150 a surge.
    let mut t = t;
    t.th.set("surge_ratio", "2.5").unwrap();
    assert!(t.fired("BIL-13", D).contains(&"s_at 2026-05".to_string()));
}

#[test]
fn bil13_needs_all_three_previous_months() {
    let t = T::new();
    t.cust("gap");
    for (p, a) in [("2026-01", 100.0), ("2026-02", 100.0), ("2026-04", 1000.0)] {
        t.bill("gap", p, 0.0, 100.0, 100.0);
        t.exec(&format!(
            "UPDATE bills SET amount = {a} WHERE cust_no = 'gap' AND period = '{p}'"
        ));
    }
    assert!(t.fired("BIL-13", D).is_empty());
}

// ---------------------------------------------------------------- BIL-14

#[test]
fn bil14_kwh_below_capacity_times_low_load_hours() {
    let t = T::new();
    // 100 kVA × 5 h = 500 kWh: 499.99 fires, 500 does not; zero (and zero within 0.005) is
    // not "0 < kwh".
    for (c, kwh) in [
        ("below", 499.99),
        ("at", 500.0),
        ("zero", 0.0),
        ("tiny", 0.004),
        ("small", 0.01),
    ] {
        t.cust_with(c, "capacity_kva = 100");
        t.bill(c, "2026-05", 0.0, kwh, kwh);
    }
    // Below low_load_min_kva 100, or a resident: not judged.
    t.cust_with("cap_below", "capacity_kva = 99.99");
    t.bill("cap_below", "2026-05", 0.0, 100.0, 100.0);
    t.cust_with(
        "resident",
        "capacity_kva = 200, category = 'resident', price_code = 'RES'",
    );
    t.bill("resident", "2026-05", 0.0, 100.0, 100.0);

    assert_eq!(t.fired("BIL-14", D), ["below 2026-05", "small 2026-05"]);
    let h = &t.hits("BIL-14", D)[0];
    assert_eq!(h.severity, Severity::Low);
    assert_eq!(
        en(h),
        "kwh 499.99 < capacity 100 kVA × 5 h = 500 (not suspended or reduced)"
    );
    assert_eq!(
        zh(h),
        "电量 499.99 kWh < 容量 100 kVA × 5 小时 = 500（非暂停减容期间）"
    );
}

/// One customer per suspension edge around P = 2026-05 and one without any row, each with one
/// bill (100 kWh) in P; `set` is an SQL SET list applied to the customers, `bill_set` to the
/// bills.
fn suspension_edges(t: &T, set: &str, bill_set: &str) {
    let rows = [
        // Ends on the first day of P: shares 2026-05-01.
        ("ends_1st", "suspend", "2026-04-10", "2026-05-01"),
        // Starts on the last day of P: shares 2026-05-31.
        ("starts_last", "suspend", "2026-05-31", "2026-06-20"),
        // Ends the day before P: shares no day.
        ("ends_before", "suspend", "2026-04-01", "2026-04-30"),
        // Starts the day after P: shares no day.
        ("starts_after", "suspend", "2026-06-01", "2026-06-30"),
        // A capacity reduction covering P.
        ("reduced", "reduce", "2026-01-01", "2026-12-31"),
    ];
    for (c, kind, start, end) in rows {
        t.cust_with(c, set);
        t.bill(c, "2026-05", 0.0, 100.0, 100.0);
        t.exec(&format!(
            "UPDATE bills SET {bill_set} WHERE cust_no = '{c}'"
        ));
        t.suspension(c, kind, start, end);
    }
    t.cust_with("none", set);
    t.bill("none", "2026-05", 0.0, 100.0, 100.0);
    t.exec(&format!(
        "UPDATE bills SET {bill_set} WHERE cust_no = 'none'"
    ));
}

#[test]
fn bil14_leaves_out_months_a_suspension_or_reduction_overlaps() {
    let t = T::new();
    // 200 kVA × 5 = 1,000 kWh > 100.
    suspension_edges(&t, "capacity_kva = 200", "loss_kwh = 0");
    assert_eq!(
        t.fired("BIL-14", D),
        [
            "ends_before 2026-05",
            "none 2026-05",
            "starts_after 2026-05"
        ]
    );
}

// ---------------------------------------------------------------- BIL-08 (changed)

#[test]
fn bil08_leaves_out_months_a_suspension_overlaps() {
    let t = T::new();
    // 高供低计, kWh 100, loss 0; 50 kVA keeps BIL-14 (≥ 100 kVA) out of the way.
    suspension_edges(&t, "hslm = 1", "loss_kwh = 0");
    // A reduction is no suspension: BIL-08 still applies there.
    assert_eq!(
        t.fired("BIL-08", D),
        [
            "ends_before 2026-05",
            "none 2026-05",
            "reduced 2026-05",
            "starts_after 2026-05"
        ]
    );
}

#[test]
fn bil08_judges_each_month_of_a_longer_history_on_its_own() {
    let t = T::new();
    t.cust_with("h", "hslm = 1");
    t.series("h", "2026-01", &[100.0; 5]);
    // Suspended from the middle of February to the middle of March.
    t.suspension("h", "suspend", "2026-02-15", "2026-03-14");
    assert_eq!(
        t.fired("BIL-08", D),
        ["h 2026-01", "h 2026-04", "h 2026-05"]
    );
}

// ---------------------------------------------------------------- THF-01 (changed)

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

fn levels(t: &T, as_of: &str) -> Vec<(String, Option<i64>, Severity)> {
    t.hits("THF-01", as_of)
        .into_iter()
        .map(|h| (h.cust_no, h.level, h.severity))
        .collect()
}

#[test]
fn thf01_six_signals_five_and_two() {
    let t = T::new();
    // Five signals without an event (drop, yoy, mismatch, discontinuity, zero) → level 1.
    theft_customer(&t, "five", [1000.0, 400.0, 0.0], true);
    break_readings(&t, "five", "2026-04");
    // The same and an event → six signals, still level 1 (max(1, 6 − 6)).
    theft_customer(&t, "six", [1000.0, 400.0, 0.0], true);
    break_readings(&t, "six", "2026-04");
    t.external("采集系统", "CJ-011", "电能表失压", "six", "2026-06-01");
    // Mismatch + event → two signals, level 4.
    theft_customer(&t, "two", [1000.0; 3], true);
    t.external("采集系统", "CJ-014", "电能表开盖事件", "two", "2026-05-20");
    // An event alone is one signal.
    theft_customer(&t, "one", [1000.0; 3], false);
    t.external("95598", "KF-07", "举报窃电", "one", "2026-06-10");

    let s = |c: &str, l: i64, sev: Severity| (c.to_string(), Some(l), sev);
    assert_eq!(
        levels(&t, D),
        [
            s("five", 1, Severity::High),
            s("six", 1, Severity::High),
            s("two", 4, Severity::Medium)
        ]
    );
    let h = t.hits("THF-01", D);
    let six_en = en(&h[1]);
    assert!(six_en.starts_with("level 1, 6 signals: "), "{six_en}");
    assert!(
        six_en.ends_with("; metering event \"电能表失压\" detected 2026-06-01"),
        "{six_en}"
    );
    let two_zh = zh(&h[2]);
    assert_eq!(
        two_zh,
        "可疑等级 4，2 项信号：表计 two-M 计费倍率 ≠ CT 变比 × PT 变比；计量自动化事件「电能表开盖事件」（2026-05-20 发现）"
    );
}

#[test]
fn thf01_event_window_and_keywords() {
    let t = T::new();
    // D − 92 days = 2026-03-15: counts; 2026-03-14 (93 days before) does not.
    let cases = [
        ("d92", "电能表失压", "2026-03-15"),
        ("d93", "电能表失压", "2026-03-14"),
        // D itself counts; the day after D does not.
        ("on_d", "断相告警", "2026-06-15"),
        ("after_d", "断相告警", "2026-06-16"),
        // A keyword inside a longer name; a name with no keyword.
        ("longer", "计量装置A相失流异常告警", "2026-06-01"),
        ("no_word", "电能表时钟偏差", "2026-06-01"),
        // 反向 is a keyword; 反映 (a service call) is not.
        ("reverse", "反向有功示数增加", "2026-06-01"),
        ("complaint", "客户反映电费异常", "2026-06-01"),
    ];
    for (c, name, on) in cases {
        theft_customer(&t, c, [1000.0; 3], true);
        t.external("采集系统", "CJ", name, c, on);
    }
    let fired: Vec<String> = levels(&t, D).into_iter().map(|l| l.0).collect();
    assert_eq!(fired, ["d92", "longer", "on_d", "reverse"]);

    // The window is theft_event_days: at 93 the 93-day-old event counts too.
    let mut t = t;
    t.th.set("theft_event_days", "93").unwrap();
    let fired: Vec<String> = levels(&t, D).into_iter().map(|l| l.0).collect();
    assert_eq!(fired, ["d92", "d93", "longer", "on_d", "reverse"]);
}

#[test]
fn thf01_takes_one_event_signal_however_many_events() {
    let t = T::new();
    theft_customer(&t, "many", [1000.0; 3], true);
    t.external("采集系统", "CJ-1", "电能表失压", "many", "2026-05-01");
    t.external("采集系统", "CJ-2", "电能表开盖事件", "many", "2026-06-02");
    t.external("采集系统", "CJ-3", "日冻结示数倒走", "many", "2026-04-01");
    let h = t.hits("THF-01", D);
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].level, Some(4));
    // The most recent event is the one named.
    assert!(
        en(&h[0]).contains("\"电能表开盖事件\" detected 2026-06-02"),
        "{}",
        en(&h[0])
    );
}

#[test]
fn thf01_event_of_a_customer_without_bills_makes_no_finding() {
    let t = T::new();
    t.cust("nobills");
    t.meter("nobills", "NB-M", 40.0, 1.0, 41.0);
    t.external("采集系统", "CJ-011", "电能表失压", "nobills", "2026-06-01");
    assert!(t.fired("THF-01", D).is_empty());
}

// ---------------------------------------------------------------- coverage

#[test]
fn new_period_rules_cover_periods_up_to_the_month_of_d() {
    let t = T::new();
    t.cust("a");
    let (_, cov) = t.run(D);
    for rule in ["BIL-11", "BIL-12", "BIL-13", "BIL-14"] {
        assert!(cov.covers(rule, "2026-06"), "{rule}");
        assert!(cov.covers(rule, "2025-01"), "{rule}");
        assert!(!cov.covers(rule, "2026-07"), "{rule}");
    }
}
