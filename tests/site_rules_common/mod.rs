//! What the site-rule tests share: the shipped example, a rule file around some SQL, the
//! example's customers, and short hands for adding a rule and scanning.
#![allow(dead_code)]

use crate::common::rule_db::{d, T};
use jicha::actions::site_rules::add_rule;
use jicha::context::Role;
use jicha::progress;
use jicha::scan::run_scan;

pub const EXAMPLE: &str = include_str!("../../data/site-rules/x-mtr-event-drop.toml");
pub const D: &str = "2026-06-15";

pub fn admin() -> jicha::context::Ctx {
    crate::common::ctx("tester", Role::Admin, "2026-06-20")
}

/// A rule file around `sql` (id X-T, no parameters unless `params` adds some).
pub fn rule(id: &str, sql: &str, params: &str) -> String {
    format!(
        "id = \"{id}\"\nname_zh = \"测试规则\"\nname_en = \"Test rule\"\ncategory = \"billing\"\nseverity = \"low\"\nchecks_zh = \"测试\"\nchecks_en = \"a test\"\nsql = \"\"\"\n{sql}\n\"\"\"\n{params}"
    )
}

/// The example's customers: a true hit and its near misses.
pub fn example_data(t: &T) {
    // A: 失压 in 2026-03, 1000 kWh then 300 in April (0.30 < 0.5): fires on 2026-04.
    t.cust("A");
    t.series("A", "2026-02", &[1000.0, 1000.0, 300.0, 900.0]);
    t.external("采集系统", "E01", "电压失压事件", "A", "2026-03-10");
    // B: the same event, April at 600 (0.60): fires only once drop_ratio is raised past 0.6.
    t.cust("B");
    t.series("B", "2026-02", &[1000.0, 1000.0, 600.0, 900.0]);
    t.external("采集系统", "E01", "电压失压事件", "B", "2026-03-10");
    // C: the drop without an event.
    t.cust("C");
    t.series("C", "2026-02", &[1000.0, 1000.0, 300.0, 900.0]);
    // E: an event whose name holds no keyword.
    t.cust("E");
    t.series("E", "2026-02", &[1000.0, 1000.0, 300.0, 900.0]);
    t.external("采集系统", "E09", "档案信息不全", "E", "2026-03-10");
    // F: the event month below min_base_kwh (80 < 100).
    t.cust("F");
    t.series("F", "2026-02", &[80.0, 80.0, 10.0, 80.0]);
    t.external("采集系统", "E02", "表计开盖", "F", "2026-03-10");
}

pub fn add(t: &mut T, text: &str) -> jicha::Result<u64> {
    add_rule(&mut t.ds, &admin(), "rule.toml", text, d(D), 5).map(|(trial, _)| trial.hits)
}

pub fn scan(t: &mut T) -> jicha::Result<jicha::scan::ScanSummary> {
    run_scan(&mut t.ds, &admin(), d(D), &mut progress::silent)
}

pub fn count(t: &T, sql: &str) -> i64 {
    t.ds.conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// `(cust_no, subject, id, status)` of a rule's findings.
pub fn findings(t: &T, rule: &str) -> Vec<(String, String, i64, String)> {
    let mut stmt = t
        .ds
        .conn
        .prepare("SELECT cust_no, subject, id, status FROM findings WHERE rule = ?1 ORDER BY cust_no, subject")
        .unwrap();
    stmt.query_map([rule], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}
