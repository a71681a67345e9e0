//! ARC-10..15 and SUS-04 (rules.md): each at its threshold and one step past it, each boundary
//! its definition names, the 0.005 tolerance, and the evidence in English and Chinese.

use jicha::context::Lang;
use jicha::rules::{Hit, Severity};

mod common;
use common::rule_db::{en, T};

const D: &str = "2026-06-15";

fn zh(h: &Hit) -> String {
    jicha::i18n::evidence::render(Lang::Zh, &h.evidence)
}

fn hit<'a>(hits: &'a [Hit], cust: &str) -> &'a Hit {
    hits.iter()
        .find(|h| h.cust_no == cust)
        .unwrap_or_else(|| panic!("no hit for {cust} in {hits:?}"))
}

/// Sets one customer's bills to `price` 元/kWh, paid in full.
fn price_bills(t: &T, cust: &str, price: f64) {
    t.ds.conn
        .execute(
            "UPDATE bills SET amount = kwh * ?2, paid = kwh * ?2 WHERE cust_no = ?1",
            rusqlite::params![cust, price],
        )
        .unwrap();
}

// ---------------------------------------------------------------- ARC-10

#[test]
fn arc10_new_account_not_billed() {
    let t = T::new();
    // The earliest bill period of the dataset is 2026-01.
    t.cust("base");
    t.series("base", "2026-01", &[100.0; 6]);
    // P = the earliest period itself: applies (at or after).
    t.cust_with("at_earliest", "opened_on = '2026-01-10'");
    t.series("at_earliest", "2026-03", &[100.0; 4]);
    // P one month before the earliest period: does not apply.
    t.cust_with("before_earliest", "opened_on = '2025-12-31'");
    // P + 1 = 2026-05 < month(D) 2026-06: applies. P + 1 = 2026-06 = month(D): not yet.
    t.cust_with("p1_before_d", "opened_on = '2026-04-30'");
    t.cust_with("p1_is_d", "opened_on = '2026-05-01'");
    // Billed in P, or in P + 1: silent.
    t.cust_with("billed_p", "opened_on = '2026-02-01'");
    t.bill("billed_p", "2026-02", 0.0, 10.0, 10.0);
    t.cust_with("billed_p1", "opened_on = '2026-02-01'");
    t.bill("billed_p1", "2026-03", 0.0, 10.0, 10.0);
    // Only a bill after the month of D: ignored, so no bill yet.
    t.cust_with("later_bill", "opened_on = '2026-03-15'");
    t.bill("later_bill", "2026-07", 0.0, 10.0, 10.0);
    t.cust_with("closed", "opened_on = '2026-02-01', status = 'closed'");
    assert_eq!(
        t.fired("ARC-10", D),
        [
            "at_earliest 2026-01",
            "later_bill 2026-03",
            "p1_before_d 2026-04"
        ]
    );
    let hits = t.hits("ARC-10", D);
    let h = hit(&hits, "at_earliest");
    assert_eq!(h.severity, Severity::Medium);
    assert_eq!(
        en(h),
        "opened 2026-01-10, no bill for 2026-01 nor 2026-02 (first bill 2026-03, as-of 2026-06-15)"
    );
    assert_eq!(
        zh(h),
        "2026-01-10 立户，2026-01 及 2026-02 均无账单（首期账单 2026-03，统计日 2026-06-15）"
    );
    assert!(en(hit(&hits, "later_bill")).contains("no bill yet"));
    // Coverage: an opening month P is judged only when month(D) > P + 1.
    let (_, cov) = t.run(D);
    assert!(cov.covers("ARC-10", "2026-04") && !cov.covers("ARC-10", "2026-05"));
    // One month later P + 1 = 2026-06 < 2026-07: p1_is_d fires too.
    assert!(t
        .fired("ARC-10", "2026-07-01")
        .contains(&"p1_is_d 2026-05".to_string()));
}

#[test]
fn arc10_applies_only_once_the_dataset_holds_bills() {
    let t = T::new();
    t.cust_with("new", "opened_on = '2026-01-10'");
    let (hits, cov) = t.run(D);
    assert!(hits.iter().all(|h| h.rule != "ARC-10"));
    assert!(cov.get("ARC-10").is_none(), "not run, so it clears nothing");
    // The earliest period of any bill row: a closed customer's counts too.
    t.cust_with("base", "status = 'closed'");
    t.bill("base", "2025-12", 0.0, 10.0, 10.0);
    assert_eq!(t.fired("ARC-10", D), ["new 2026-01"]);
    t.exec("UPDATE bills SET period = '2026-02' WHERE cust_no = 'base'");
    assert!(
        t.fired("ARC-10", D).is_empty(),
        "P 2026-01 is before 2026-02"
    );
}

// ---------------------------------------------------------------- ARC-11

/// One bill of `kwh` at 0.6 元/kWh with `unpaid` 元 left unpaid.
fn owing(t: &T, cust: &str, period: &str, kwh: f64, unpaid: f64) {
    t.bill(cust, period, 0.0, kwh, kwh);
    t.ds.conn
        .execute(
            "UPDATE bills SET paid = amount - ?3 WHERE cust_no = ?1 AND period = ?2",
            rusqlite::params![cust, period, unpaid],
        )
        .unwrap();
}

#[test]
fn arc11_arrears_after_the_grace_months() {
    let t = T::new();
    // month(D) − 2 = 2026-04 is the last period counted.
    t.cust("at_min");
    owing(&t, "at_min", "2026-04", 500.0, 100.0);
    t.cust("within_tol");
    owing(&t, "within_tol", "2026-04", 500.0, 100.004);
    t.cust("past_min");
    owing(&t, "past_min", "2026-04", 500.0, 100.01);
    t.cust("in_grace");
    owing(&t, "in_grace", "2026-05", 1000.0, 500.0);
    t.cust("summed");
    owing(&t, "summed", "2026-03", 500.0, 60.0);
    owing(&t, "summed", "2026-04", 500.0, 50.0);
    owing(&t, "summed", "2026-05", 500.0, 50.0);
    t.cust_with("closed", "status = 'closed'");
    owing(&t, "closed", "2026-01", 1000.0, 500.0);
    assert_eq!(t.fired("ARC-11", D), ["past_min", "summed"]);
    let hits = t.hits("ARC-11", D);
    let h = hit(&hits, "summed");
    assert_eq!(h.amount_yuan, Some(110.0));
    assert_eq!(h.severity, Severity::Medium);
    assert_eq!(
        en(h),
        "2 bills up to 2026-04 leave 110 元 unpaid > 100 元 (arrears_min_yuan)"
    );
    assert_eq!(
        zh(h),
        "2026-04 及以前 2 期账单欠费 110 元 > 100 元（arrears_min_yuan）"
    );
    assert!((hit(&hits, "past_min").amount_yuan.unwrap() - 100.01).abs() < 1e-9);
    // One grace month: 2026-05 counts, so in_grace owes 500 and summed 160.
    let mut t = t;
    t.th.set("arrears_grace_months", "1").unwrap();
    assert_eq!(t.fired("ARC-11", D), ["in_grace", "past_min", "summed"]);
    assert_eq!(hit(&t.hits("ARC-11", D), "summed").amount_yuan, Some(160.0));
}

// ---------------------------------------------------------------- ARC-12

fn set_address(t: &T, cust: &str, address: Option<&str>) {
    t.cust(cust);
    t.ds.conn
        .execute(
            "UPDATE customers SET address = ?2 WHERE cust_no = ?1",
            rusqlite::params![cust, address],
        )
        .unwrap();
}

#[test]
fn arc12_address_length_in_code_points_and_keywords() {
    let t = T::new();
    set_address(&t, "null", None);
    set_address(&t, "blank", Some(""));
    // 文三路88号: six code points (CJK and ASCII alike), with 路 and 号.
    set_address(&t, "six_cjk", Some("文三路88号"));
    set_address(&t, "five_cjk", Some("文三路8号"));
    // Four-byte code points count one each: six, then five.
    set_address(&t, "six_astral", Some("𠀀𠀀𠀀𠀀路号"));
    set_address(&t, "five_astral", Some("𠀀𠀀𠀀路号"));
    // A NUL is a code point of the field as given, not its end.
    set_address(&t, "six_with_nul", Some("文三路\u{0}8号"));
    set_address(&t, "no_keyword", Some("杭州市西湖区"));
    let keywords = ["路", "街", "道", "巷", "弄", "村", "号", "组", "镇", "乡"];
    for (k, w) in keywords.iter().enumerate() {
        set_address(&t, &format!("kw{k}"), Some(&format!("杭州市西湖区{w}")));
    }
    t.cust_with("closed", "address = NULL, status = 'closed'");
    assert_eq!(
        t.fired("ARC-12", D),
        ["blank", "five_astral", "five_cjk", "no_keyword", "null"]
    );
    let hits = t.hits("ARC-12", D);
    assert!(hits.iter().all(|h| h.severity == Severity::Low));
    assert_eq!(en(hit(&hits, "null")), "address empty");
    assert_eq!(zh(hit(&hits, "blank")), "用电地址为空");
    assert_eq!(
        en(hit(&hits, "five_cjk")),
        "address \"文三路8号\": 5 characters < 6 (address_min_chars)"
    );
    assert_eq!(
        zh(hit(&hits, "no_keyword")),
        "用电地址“杭州市西湖区”：不含 address_keywords 中任一字样"
    );
    // Seven code points needed: the six-character addresses fire too.
    let mut t = t;
    t.th.set("address_min_chars", "7").unwrap();
    let fired = t.fired("ARC-12", D);
    assert!(fired.contains(&"six_cjk".to_string()) && fired.contains(&"six_with_nul".to_string()));
}

// ---------------------------------------------------------------- ARC-13

#[test]
fn arc13_recent_application_at_a_dedicated_transformer() {
    let t = T::new();
    let hv = "voltage_kv = 10, capacity_kva = 100, pf_standard = 0.85";
    t.cust_with("hv", hv);
    // D − 90 = 2026-03-17.
    t.application(
        "A_edge",
        Some("hv"),
        "increase",
        "2026-03-01",
        Some("2026-03-17"),
    );
    t.application(
        "A_early",
        Some("hv"),
        "change",
        "2026-03-01",
        Some("2026-03-16"),
    );
    t.application(
        "A_on_d",
        Some("hv"),
        "new",
        "2026-06-01",
        Some("2026-06-15"),
    );
    t.application(
        "A_future",
        Some("hv"),
        "increase",
        "2026-06-01",
        Some("2026-06-16"),
    );
    t.application("A_open", Some("hv"), "change", "2026-06-01", None);
    t.cust_with("cap_tol", "voltage_kv = 10, capacity_kva = 99.996");
    t.application(
        "B",
        Some("cap_tol"),
        "change",
        "2026-05-01",
        Some("2026-05-10"),
    );
    t.cust_with("cap_low", "voltage_kv = 10, capacity_kva = 99.99");
    t.application(
        "C",
        Some("cap_low"),
        "change",
        "2026-05-01",
        Some("2026-05-10"),
    );
    t.cust_with("lv", "voltage_kv = 0.38, capacity_kva = 100");
    t.application(
        "E",
        Some("lv"),
        "increase",
        "2026-05-01",
        Some("2026-05-10"),
    );
    t.cust_with("closed", &format!("{hv}, status = 'closed'"));
    t.application(
        "F",
        Some("closed"),
        "increase",
        "2026-05-01",
        Some("2026-05-10"),
    );
    t.application("G", None, "new", "2026-05-01", Some("2026-05-10"));
    assert_eq!(
        t.fired("ARC-13", D),
        ["cap_tol B", "hv A_edge", "hv A_on_d"]
    );
    let hits = t.hits("ARC-13", D);
    let h = hits.iter().find(|h| h.subject == "A_edge").unwrap();
    assert_eq!(h.severity, Severity::Low);
    assert_eq!(
        en(h),
        "10 kV, 100 kVA (≥ 100 kVA), increase application completed 2026-03-17, 90 days before as-of (≤ 90)"
    );
    assert_eq!(
        zh(h),
        "10 kV、100 kVA（≥ 100 kVA）专变客户，增容申请 2026-03-17 完成，距统计日 90 天（≤ 90）"
    );
    // 91 recent days reach the change completed a day earlier.
    let mut t = t;
    t.th.set("focus_recent_days", "91").unwrap();
    assert!(t.fired("ARC-13", D).contains(&"hv A_early".to_string()));
}

#[test]
fn arc13_applies_only_once_the_dataset_holds_applications() {
    let t = T::new();
    t.cust_with(
        "hv",
        "voltage_kv = 10, capacity_kva = 400, pf_standard = 0.85",
    );
    let (_, cov) = t.run(D);
    assert!(cov.get("ARC-13").is_none());
    t.application("A", Some("hv"), "new", "2026-05-01", Some("2026-05-10"));
    let (_, cov) = t.run(D);
    assert!(cov.covers("ARC-13", "A"));
}

// ---------------------------------------------------------------- ARC-14

#[test]
fn arc14_average_price_over_the_latest_three_bills() {
    let t = T::new();
    // Commercial on COM: 0.40–1.50 元/kWh.
    for (no, price) in [
        ("at_min", 0.40),
        ("tol_min", 0.396),
        ("below", 0.39),
        ("at_max", 1.50),
        ("above", 1.51),
    ] {
        t.cust(no);
        t.series(no, "2026-04", &[100.0; 3]);
        price_bills(&t, no, price);
    }
    // Σkwh exactly 300 fires; 299.99 is not enough.
    t.cust("kwh_299");
    t.series("kwh_299", "2026-04", &[100.0, 100.0, 99.99]);
    price_bills(&t, "kwh_299", 0.2);
    // Three rows needed.
    t.cust("two_rows");
    t.series("two_rows", "2026-05", &[500.0, 500.0]);
    price_bills(&t, "two_rows", 0.2);
    // Only the latest three count: bad old months, good latest three.
    t.cust("old_bad");
    t.series("old_bad", "2026-01", &[100.0; 6]);
    price_bills(&t, "old_bad", 0.1);
    t.exec("UPDATE bills SET amount = kwh * 0.6, paid = kwh * 0.6 WHERE cust_no = 'old_bad' AND period >= '2026-04'");
    // A bill after the month of D is ignored: the latest three end at 2026-06.
    t.cust("later_bill");
    t.series("later_bill", "2026-04", &[100.0; 4]);
    price_bills(&t, "later_bill", 0.2);
    t.exec("UPDATE bills SET amount = 10000, paid = 10000 WHERE cust_no = 'later_bill' AND period = '2026-07'");
    // Resident on RES: 0.30–1.00.
    t.cust_with("res", "category = 'resident', price_code = 'RES'");
    t.series("res", "2026-04", &[150.0; 3]);
    price_bills(&t, "res", 0.25);
    t.cust_with("closed", "status = 'closed'");
    t.series("closed", "2026-04", &[100.0; 3]);
    price_bills(&t, "closed", 0.1);
    assert_eq!(
        t.fired("ARC-14", D),
        [
            "above 2026-06",
            "below 2026-06",
            "later_bill 2026-06",
            "res 2026-06"
        ]
    );
    let hits = t.hits("ARC-14", D);
    let h = hit(&hits, "res");
    assert_eq!(h.severity, Severity::Medium);
    assert_eq!(
        en(h),
        "2026-04..2026-06: 112.5 元 / 450 kWh = 0.25 元/kWh < 0.3 (RES, price_min_res)"
    );
    assert_eq!(
        zh(h),
        "2026-04..2026-06 电费 112.5 元 / 电量 450 kWh = 平均电价 0.25 元/kWh < 0.3（RES，price_min_res）"
    );
    assert!(en(hit(&hits, "above")).contains("> 1.5 (COM, price_max_com)"));
    // 299.99 kWh is judged once the minimum is lowered.
    let mut t = t;
    t.th.set("avg_price_min_kwh", "299.99").unwrap();
    assert!(t
        .fired("ARC-14", D)
        .contains(&"kwh_299 2026-06".to_string()));
}

#[test]
fn arc14_each_tariff_reads_its_own_bounds() {
    let mut t = T::new();
    for (code, cat) in [
        ("RES", "resident"),
        ("COM", "commercial"),
        ("IND", "large_industry"),
        ("AGR", "agriculture"),
    ] {
        let no = code.to_ascii_lowercase();
        t.cust_with(&no, &format!("category = '{cat}', price_code = '{code}'"));
        t.series(&no, "2026-04", &[1000.0; 3]);
        price_bills(&t, &no, 0.6);
    }
    assert!(t.fired("ARC-14", D).is_empty());
    for code in ["res", "com", "ind", "agr"] {
        t.th.set(&format!("price_min_{code}"), "0.61").unwrap();
        assert_eq!(t.fired("ARC-14", D), [format!("{code} 2026-06")]);
        t.th.set(&format!("price_min_{code}"), "0.1").unwrap();
        t.th.set(&format!("price_max_{code}"), "0.59").unwrap();
        assert_eq!(t.fired("ARC-14", D), [format!("{code} 2026-06")]);
        t.th.set(&format!("price_max_{code}"), "2").unwrap();
    }
}

// ---------------------------------------------------------------- ARC-15

#[test]
fn arc15_the_three_branches_of_the_standard_due() {
    let t = T::new();
    let agr = "category = 'agriculture', price_code = 'AGR', capacity_kva = 100";
    t.cust_with("agr_080", &format!("{agr}, pf_standard = 0.80"));
    t.cust_with("agr_085", &format!("{agr}, pf_standard = 0.85"));
    let ind = "category = 'large_industry', price_code = 'IND', billing_mode = 'two_part'";
    // 10 kV and exactly 160 kVA: 0.90 due.
    t.cust_with(
        "ind_hv_090",
        &format!("{ind}, voltage_kv = 10, capacity_kva = 160, pf_standard = 0.90"),
    );
    t.cust_with(
        "ind_hv_085",
        &format!("{ind}, voltage_kv = 10, capacity_kva = 160, pf_standard = 0.85"),
    );
    // Below 10 kV or below 160 kVA: 0.85 due.
    t.cust_with(
        "ind_9kv_085",
        &format!("{ind}, voltage_kv = 9.99, capacity_kva = 400, pf_standard = 0.85"),
    );
    t.cust_with(
        "ind_9kv_090",
        &format!("{ind}, voltage_kv = 9.99, capacity_kva = 400, pf_standard = 0.90"),
    );
    t.cust_with(
        "ind_159_085",
        &format!("{ind}, voltage_kv = 10, capacity_kva = 159.99, pf_standard = 0.85"),
    );
    t.cust_with(
        "ind_159_090",
        &format!("{ind}, voltage_kv = 10, capacity_kva = 159.99, pf_standard = 0.90"),
    );
    // Commercial: 0.85 due; the 0.005 tolerance.
    let com = "voltage_kv = 10, capacity_kva = 200";
    t.cust_with("com_085", &format!("{com}, pf_standard = 0.85"));
    t.cust_with("com_0854", &format!("{com}, pf_standard = 0.854"));
    t.cust_with("com_0856", &format!("{com}, pf_standard = 0.856"));
    t.cust_with("com_090", &format!("{com}, pf_standard = 0.90"));
    // Outside the rule: no standard (ARC-07), below pf_min_kva, resident, closed.
    t.cust_with("com_none", com);
    t.cust_with("com_small", "capacity_kva = 99.99, pf_standard = 0.70");
    t.cust_with(
        "res",
        "category = 'resident', price_code = 'RES', capacity_kva = 200, pf_standard = 0.70",
    );
    t.cust_with(
        "closed",
        &format!("{com}, pf_standard = 0.90, status = 'closed'"),
    );
    assert_eq!(
        t.fired("ARC-15", D),
        [
            "agr_085",
            "com_0856",
            "com_090",
            "ind_159_090",
            "ind_9kv_090",
            "ind_hv_085"
        ]
    );
    let hits = t.hits("ARC-15", D);
    let h = hit(&hits, "ind_hv_085");
    assert_eq!(h.severity, Severity::Medium);
    assert_eq!(
        en(h),
        "large_industry at 10 kV, 160 kVA: power-factor standard 0.85, due 0.90 (large_industry at 10 kV or above with capacity ≥ pf_high_min_kva)"
    );
    assert_eq!(
        zh(h),
        "大工业客户 10 kV、160 kVA，力率考核标准 0.85，应为 0.90（10 kV 及以上、容量 ≥ pf_high_min_kva 的大工业）"
    );
    assert!(en(hit(&hits, "agr_085")).contains("due 0.80 (agriculture)"));
    // pf_high_min_kva 159.99 brings the 159.99 kVA customers into the 0.90 branch.
    let mut t = t;
    t.th.set("pf_high_min_kva", "159.99").unwrap();
    let fired = t.fired("ARC-15", D);
    assert!(
        fired.contains(&"ind_159_085".to_string()) && !fired.contains(&"ind_159_090".to_string())
    );
}

// ---------------------------------------------------------------- SUS-04

#[test]
fn sus04_after_a_new_connection_or_increase() {
    let t = T::new();
    t.cust("a");
    t.application(
        "A1",
        Some("a"),
        "increase",
        "2024-02-01",
        Some("2024-03-01"),
    );
    // X = 2024-03-01, X + 2 years = 2026-03-01: a day before is within, the day itself not.
    t.suspension("a", "suspend", "2026-02-28", "2026-04-30");
    t.suspension("a", "reduce", "2026-03-01", "2026-12-31");
    // On X itself: within; a day before X: not after it.
    t.cust("b");
    t.application("B1", Some("b"), "new", "2024-02-01", Some("2024-03-01"));
    t.suspension("b", "suspend", "2024-03-01", "2024-03-31");
    t.suspension("b", "reduce", "2024-02-29", "2024-09-30");
    // 29 February + 2 years is 28 February.
    t.cust("leap");
    t.application(
        "L1",
        Some("leap"),
        "increase",
        "2024-02-01",
        Some("2024-02-29"),
    );
    t.suspension("leap", "suspend", "2026-02-27", "2026-03-31");
    t.suspension("leap", "reduce", "2026-02-28", "2026-09-30");
    // A change application, another customer's, an open one: not a basis.
    t.cust("c");
    t.application("C1", Some("c"), "change", "2025-01-01", Some("2025-01-10"));
    t.application("C2", Some("a"), "new", "2025-05-01", None);
    t.application("C3", Some("d"), "new", "2025-01-01", Some("2025-01-10"));
    t.suspension("c", "suspend", "2025-06-01", "2025-06-30");
    t.cust_with("closed", "status = 'closed'");
    t.application(
        "Z1",
        Some("closed"),
        "increase",
        "2025-01-01",
        Some("2025-01-10"),
    );
    t.suspension("closed", "suspend", "2025-06-01", "2025-06-30");
    assert_eq!(
        t.fired("SUS-04", D),
        [
            "a suspend:2026-02-28",
            "b suspend:2024-03-01",
            "leap suspend:2026-02-27"
        ]
    );
    let hits = t.hits("SUS-04", D);
    let h = hit(&hits, "a");
    assert_eq!(h.severity, Severity::Low);
    assert_eq!(
        en(h),
        "suspend from 2026-02-28, within 2 years after increase application A1 completed 2024-03-01 (recent_change_years, before 2026-03-01)"
    );
    assert_eq!(
        zh(h),
        "暂停自 2026-02-28 起，增容申请 A1 于 2024-03-01 完成后 2 年内（recent_change_years，早于 2026-03-01）"
    );
    // Three years reach the rows starting exactly two years after.
    let mut t = t;
    t.th.set("recent_change_years", "3").unwrap();
    let fired = t.fired("SUS-04", D);
    assert!(fired.contains(&"a reduce:2026-03-01".to_string()));
    assert!(fired.contains(&"leap reduce:2026-02-28".to_string()));
    assert!(!fired.contains(&"b reduce:2024-02-29".to_string()));
}

#[test]
fn sus04_strictly_after_another_reduction_ended() {
    let t = T::new();
    // Every customer: a reduction 2024-01-01..2024-06-30.
    let reduced = |c: &str| {
        t.cust(c);
        t.suspension(c, "reduce", "2024-01-01", "2024-06-30");
    };
    // Starting on the end day: not strictly after.
    reduced("on_end");
    t.suspension("on_end", "suspend", "2024-06-30", "2024-07-30");
    // The day after: strictly after, within two years.
    reduced("day_after");
    t.suspension("day_after", "suspend", "2024-07-01", "2024-07-31");
    // end_on + 2 years = 2026-06-30: the day before is within, the day itself not.
    reduced("last_day");
    t.suspension("last_day", "reduce", "2026-06-29", "2027-01-31");
    reduced("two_years");
    t.suspension("two_years", "reduce", "2026-06-30", "2027-01-31");
    // A suspension ending is no basis, nor a reduction still running.
    t.cust("after_suspend");
    t.suspension("after_suspend", "suspend", "2024-01-01", "2024-06-30");
    t.suspension("after_suspend", "reduce", "2024-07-01", "2025-01-31");
    reduced("overlap");
    t.suspension("overlap", "reduce", "2024-06-01", "2024-12-31");
    assert_eq!(
        t.fired("SUS-04", D),
        ["day_after suspend:2024-07-01", "last_day reduce:2026-06-29"]
    );
    let hits = t.hits("SUS-04", D);
    let h = hit(&hits, "last_day");
    assert_eq!(
        en(h),
        "reduce from 2026-06-29, within 2 years after the reduction 2024-01-01..2024-06-30 ended (recent_change_years, before 2026-06-30)"
    );
    assert_eq!(
        zh(h),
        "减容自 2026-06-29 起，减容 2024-01-01..2024-06-30 期满后 2 年内（recent_change_years，早于 2026-06-30）"
    );
}

#[test]
fn new_rules_are_in_the_catalogue_with_their_thresholds() {
    let specs = jicha::thresholds::specs();
    for (id, thresholds) in [
        ("ARC-10", &[][..]),
        ("ARC-11", &["arrears_grace_months", "arrears_min_yuan"][..]),
        ("ARC-12", &["address_min_chars", "address_keywords"][..]),
        ("ARC-13", &["focus_min_kva", "focus_recent_days"][..]),
        ("ARC-15", &["pf_min_kva", "pf_high_min_kva"][..]),
        ("SUS-04", &["recent_change_years"][..]),
    ] {
        let def = jicha::rules::catalogue::find(id).unwrap();
        assert_eq!(def.thresholds, thresholds, "{id}");
        for name in thresholds {
            assert!(specs[*name].rules.contains(id), "{name} names {id}");
        }
    }
    let arc14 = jicha::rules::catalogue::find("ARC-14").unwrap();
    assert_eq!(arc14.thresholds.len(), 9);
    assert!(jicha::rules::catalogue::find("ARC-11").unwrap().money);
    let th = jicha::thresholds::Thresholds::defaults();
    assert_eq!(th.int("arrears_grace_months"), 2);
    assert_eq!(th.num("arrears_min_yuan"), 100.0);
    assert_eq!(th.int("address_min_chars"), 6);
    assert_eq!(th.list("address_keywords").len(), 10);
    assert_eq!(th.num("focus_min_kva"), 100.0);
    assert_eq!(th.int("focus_recent_days"), 90);
    assert_eq!(th.num("avg_price_min_kwh"), 300.0);
    let bounds = ["res", "com", "ind", "agr"].map(|c| {
        (
            th.num(&format!("price_min_{c}")),
            th.num(&format!("price_max_{c}")),
        )
    });
    assert_eq!(
        bounds,
        [(0.30, 1.00), (0.40, 1.50), (0.35, 1.50), (0.25, 1.00)]
    );
    assert_eq!(th.num("pf_high_min_kva"), 160.0);
    assert_eq!(th.int("recent_change_years"), 2);
}
