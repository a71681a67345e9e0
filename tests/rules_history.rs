//! HIS-01 抄表示数被修改 and HIS-02 档案关键字段变更无业务依据 at and just past each threshold,
//! HIS-02 with and without an application: two imports of a small export, the rules run over
//! the history the second one kept.

use chrono::NaiveDate;
use jicha::context::{Ctx, Lang, Role};
use jicha::db::Dataset;
use jicha::import::import_dir;
use jicha::progress;
use jicha::rules::evidence::Evidence;
use jicha::rules::{history, Hit};
use jicha::thresholds::Thresholds;
use std::path::Path;
use tempfile::TempDir;

const CUSTOMERS_H: &str = "cust_no,name,address,contact,phone,category,price_code,billing_mode,voltage_kv,capacity_kva,pf_standard,hslm,temporary,station,district,opened_on,status,closed_on";
const METERS_H: &str =
    "meter_no,cust_no,model,ct_ratio,pt_ratio,multiplier,installed_on,verified_on";
const BILLS_H: &str =
    "cust_no,period,read_on,prev_reading,curr_reading,multiplier,kwh,loss_kwh,amount,paid";
const APPS_H: &str = "app_no,cust_no,kind,accepted_on,completed_on,limit_days";

fn write(dir: &Path, name: &str, header: &str, rows: &[String]) {
    let mut s = format!("{header}\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    std::fs::write(dir.join(name), s).unwrap();
}

fn customer(no: &str, category: &str, capacity: &str) -> String {
    format!("{no},某公司,杭州市西湖区文三路1号,李四,13800000000,{category},COM,single,10,{capacity},0.90,0,0,城西供电所,西湖区,2020-01-05,active,")
}

fn bill(cust: &str, prev: f64, curr: f64, kwh: f64) -> String {
    format!(
        "{cust},2026-05,2026-05-25,{prev},{curr},1,{kwh},0,{a},{a}",
        a = kwh * 0.5
    )
}

struct Env {
    _tmp: TempDir,
    ds: Dataset,
    export: std::path::PathBuf,
}

fn ctx(day: &str) -> Ctx {
    Ctx {
        unit: None,
        operator: "tester".into(),
        role: Role::Admin,
        today: jicha::dates::parse_date(day).unwrap(),
        lang: Lang::En,
    }
}

fn env() -> Env {
    let tmp = TempDir::new().unwrap();
    let ds = Dataset::create(
        &tmp.path().join("d.jicha"),
        "tester",
        "2026-01-01T00:00:00Z",
    )
    .unwrap();
    let export = tmp.path().join("export");
    std::fs::create_dir(&export).unwrap();
    Env {
        _tmp: tmp,
        ds,
        export,
    }
}

impl Env {
    fn import_on(&mut self, day: &str) {
        import_dir(&mut self.ds, &ctx(day), &self.export, &mut progress::silent).unwrap();
    }

    fn hits(&self, rule: &str) -> Vec<Hit> {
        let mut out = Vec::new();
        history::run(
            &self.ds.conn,
            &Thresholds::defaults(),
            NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(),
            &mut |h| {
                out.push(h);
                Ok(())
            },
        )
        .unwrap();
        out.retain(|h| h.rule == rule);
        out
    }
}

/// Bills of five customers before and after an edit: (customer, before, after) as
/// (prev, curr, kwh).
type Reading = (f64, f64, f64);

fn his01(cases: &[(&str, Reading, Reading)]) -> Vec<Hit> {
    let mut e = env();
    let custs: Vec<String> = cases
        .iter()
        .map(|(c, _, _)| customer(c, "commercial", "200"))
        .collect();
    write(&e.export, "customers.csv", CUSTOMERS_H, &custs);
    let before: Vec<String> = cases
        .iter()
        .map(|(c, b, _)| bill(c, b.0, b.1, b.2))
        .collect();
    write(&e.export, "bills.csv", BILLS_H, &before);
    e.import_on("2026-06-01");
    let after: Vec<String> = cases
        .iter()
        .map(|(c, _, a)| bill(c, a.0, a.1, a.2))
        .collect();
    write(&e.export, "bills.csv", BILLS_H, &after);
    e.import_on("2026-06-02");
    e.hits("HIS-01")
}

fn custs(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.cust_no.as_str()).collect()
}

#[test]
fn his01_at_and_past_reading_edit_min_kwh() {
    // An earlier kWh of 1000: 20 % is 200, so only the 100 kWh bound is in play.
    let hits = his01(&[
        ("AT", (0.0, 1000.0, 1000.0), (0.0, 1100.0, 1100.0)),
        ("PAST", (0.0, 1000.0, 1000.0), (0.0, 1100.01, 1100.01)),
        ("TOL", (0.0, 1000.0, 1000.0), (0.0, 1100.004, 1100.004)),
    ]);
    assert_eq!(custs(&hits), ["PAST"]);
    let h = &hits[0];
    assert_eq!(h.subject, "2026-05");
    assert_eq!(h.severity, jicha::rules::Severity::High);
    // Amount at stake: 100.01 kWh × the row's average price 0.5.
    assert!((h.amount_yuan.unwrap() - 50.005).abs() < 1e-6, "{h:?}");
    match Evidence::from_stored(&h.evidence).unwrap() {
        Evidence::His01 {
            kwh_was,
            kwh,
            since_import,
            replaced_by,
            replaced_on,
            ..
        } => {
            assert_eq!((kwh_was, kwh), (1000.0, 1100.01));
            assert_eq!((since_import, replaced_by), (1, 2));
            assert_eq!(replaced_on, "2026-06-02");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn his01_at_and_past_reading_edit_ratio() {
    // An earlier kWh of 400: 20 % is 80, under the 100 kWh bound.
    let hits = his01(&[
        ("AT", (0.0, 400.0, 400.0), (0.0, 320.0, 320.0)),
        ("PAST", (0.0, 400.0, 400.0), (0.0, 319.99, 319.99)),
    ]);
    assert_eq!(custs(&hits), ["PAST"]);
}

#[test]
fn his01_needs_the_readings_edited() {
    // kWh moved a lot but both readings are as they were (a kWh fix, not a reading edit);
    // and a reading edited with kWh unchanged.
    let hits = his01(&[
        ("KWH_ONLY", (0.0, 400.0, 400.0), (0.0, 400.0, 900.0)),
        ("READ_ONLY", (0.0, 400.0, 400.0), (10.0, 410.0, 400.0)),
        ("PREV", (0.0, 400.0, 400.0), (500.0, 400.0, 0.0)),
    ]);
    assert_eq!(custs(&hits), ["PREV"]);
}

/// Customer C1 (with meter M1) changed by the second import, on `seen_on`; `app` an application
/// of C1 completed on that date, if any.
fn his02(change: impl Fn(&mut Vec<String>, &mut Vec<String>), app: Option<&str>) -> Vec<Hit> {
    let mut e = env();
    let mut cs = vec![customer("C1", "commercial", "200")];
    let mut ms = vec!["M1,C1,DTZY666,40,100,4000,2020-01-05,".to_string()];
    write(&e.export, "customers.csv", CUSTOMERS_H, &cs);
    write(&e.export, "meters.csv", METERS_H, &ms);
    let apps: Vec<String> = app
        .map(|d| format!("YK1,C1,change,2026-01-02,{d},30"))
        .into_iter()
        .collect();
    write(&e.export, "applications.csv", APPS_H, &apps);
    e.import_on("2026-06-01");
    change(&mut cs, &mut ms);
    write(&e.export, "customers.csv", CUSTOMERS_H, &cs);
    write(&e.export, "meters.csv", METERS_H, &ms);
    e.import_on("2026-06-30");
    e.hits("HIS-02")
}

#[allow(clippy::ptr_arg)] // the shape of every change function `his02` takes
fn to_resident(cs: &mut Vec<String>, _: &mut Vec<String>) {
    cs[0] = customer("C1", "resident", "200");
}

#[test]
fn his02_a_category_change_without_an_application() {
    let hits = his02(to_resident, None);
    assert_eq!(hits.len(), 1);
    assert_eq!(
        (hits[0].cust_no.as_str(), hits[0].subject.as_str()),
        ("C1", "category")
    );
    assert_eq!(hits[0].severity, jicha::rules::Severity::Medium);
    match Evidence::from_stored(&hits[0].evidence).unwrap() {
        Evidence::His02 {
            old, new, seen_on, ..
        } => assert_eq!(
            (old.as_str(), new.as_str(), seen_on.as_str()),
            ("commercial", "resident", "2026-06-30")
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn his02_at_and_past_change_basis_days() {
    // The import is on 2026-06-30: 30 days before is 2026-05-31.
    assert!(his02(to_resident, Some("2026-05-31")).is_empty());
    assert!(his02(to_resident, Some("2026-06-30")).is_empty());
    assert_eq!(his02(to_resident, Some("2026-05-30")).len(), 1);
    // An application completed after the import is no basis for it.
    assert_eq!(his02(to_resident, Some("2026-07-01")).len(), 1);
}

#[test]
fn his02_a_meter_multiplier_and_capacity_but_not_the_name() {
    let hits = his02(
        |cs, ms| {
            cs[0] = customer("C1", "commercial", "315").replace("某公司", "某某公司");
            ms[0] = "M1,C1,DTZY666,20,100,2000,2020-01-05,".to_string();
        },
        None,
    );
    let subjects: Vec<&str> = hits.iter().map(|h| h.subject.as_str()).collect();
    assert_eq!(
        subjects,
        ["capacity_kva", "meter M1:ct_ratio", "meter M1:multiplier"]
    );
    // The name alone changing is not watched.
    let none = his02(
        |cs, _| cs[0] = customer("C1", "commercial", "200").replace("某公司", "某某公司"),
        None,
    );
    assert!(none.is_empty(), "{none:?}");
}
