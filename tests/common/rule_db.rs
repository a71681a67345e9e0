//! A bare dataset for rule tests: clean customers (break no rule), bills, meters, suspensions,
//! applications, contracts and external findings inserted straight into the tables, and
//! `fired` / `hits` over one evaluation as of a date.

use chrono::NaiveDate;
use jicha::db::Dataset;
use jicha::progress;
use jicha::rules::{evaluate, Coverage, Hit};
use jicha::thresholds::Thresholds;
use tempfile::TempDir;

/// A hit's evidence as an English-reading operator sees it.
pub fn en(h: &Hit) -> String {
    jicha::i18n::evidence::render(jicha::context::Lang::En, &h.evidence)
}

pub struct T {
    _dir: TempDir,
    pub ds: Dataset,
    pub th: Thresholds,
}

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

impl T {
    pub fn new() -> T {
        let dir = TempDir::new().unwrap();
        let ds =
            Dataset::create(&dir.path().join("t.db"), "tester", "2026-01-01T00:00:00Z").unwrap();
        T {
            _dir: dir,
            ds,
            th: Thresholds::defaults(),
        }
    }

    pub fn exec(&self, sql: &str) {
        self.ds.conn.execute_batch(sql).unwrap();
    }

    /// A customer that breaks no rule: commercial on COM, single-part, 50 kVA at 380 V.
    pub fn cust(&self, no: &str) {
        self.ds
            .conn
            .execute(
                "INSERT INTO customers(cust_no, name, address, contact, phone, category, price_code, billing_mode,
                     voltage_kv, capacity_kva, pf_standard, hslm, temporary, station, district, opened_on, status,
                     closed_on, import_id, src_line)
                 VALUES (?1, '测试户', '杭州市西湖区文三路1号', '张三', '13800138000', 'commercial', 'COM', 'single',
                     0.38, 50, NULL, 0, 0, 'S1', 'D1', '2020-01-01', 'active', NULL, 0, 1)",
                [no],
            )
            .unwrap();
    }

    /// A clean customer, then `set` (an SQL SET list) applied to it.
    pub fn cust_with(&self, no: &str, set: &str) {
        self.cust(no);
        self.exec(&format!(
            "UPDATE customers SET {set} WHERE cust_no = '{no}'"
        ));
    }

    /// One bill: multiplier 1, no loss, 0.6 元/kWh, paid in full.
    pub fn bill(&self, cust: &str, period: &str, prev: f64, curr: f64, kwh: f64) {
        self.ds
            .conn
            .execute(
                "INSERT INTO bills(cust_no, period, read_on, prev_reading, curr_reading, multiplier, kwh,
                     loss_kwh, amount, paid, import_id, src_line)
                 VALUES (?1, ?2, ?2 || '-25', ?3, ?4, 1, ?5, 0, ?5 * 0.6, ?5 * 0.6, 0, 1)",
                rusqlite::params![cust, period, prev, curr, kwh],
            )
            .unwrap();
    }

    /// Consecutive months from `first` with continuous readings and the given kWh.
    pub fn series(&self, cust: &str, first: &str, kwhs: &[f64]) {
        let idx = jicha::dates::period_index(first).unwrap();
        let mut reading = 1000.0;
        for (k, kwh) in kwhs.iter().enumerate() {
            let p = jicha::dates::period_from_index(idx + k as i32);
            self.bill(cust, &p, reading, reading + kwh, *kwh);
            reading += kwh;
        }
    }

    pub fn meter(&self, cust: &str, no: &str, ct: f64, pt: f64, mult: f64) {
        self.ds
            .conn
            .execute(
                "INSERT INTO meters(meter_no, cust_no, model, ct_ratio, pt_ratio, multiplier, installed_on,
                     verified_on, import_id, src_line)
                 VALUES (?1, ?2, 'DDZY666', ?3, ?4, ?5, '2024-01-01', NULL, 0, 1)",
                rusqlite::params![no, cust, ct, pt, mult],
            )
            .unwrap();
    }

    pub fn run(&self, as_of: &str) -> (Vec<Hit>, Coverage) {
        let mut hits = Vec::new();
        let mut sink = |h: Hit| {
            hits.push(h);
            Ok(())
        };
        let cov = evaluate(
            &self.ds.conn,
            &self.th,
            d(as_of),
            &mut sink,
            &mut progress::silent,
        )
        .unwrap();
        (hits, cov)
    }

    pub fn hits(&self, rule: &str, as_of: &str) -> Vec<Hit> {
        let mut v: Vec<Hit> = self
            .run(as_of)
            .0
            .into_iter()
            .filter(|h| h.rule == rule)
            .collect();
        v.sort_by(|a, b| (&a.cust_no, &a.subject).cmp(&(&b.cust_no, &b.subject)));
        v
    }

    /// A suspension (`suspend`) or capacity reduction (`reduce`) of 50 kVA.
    pub fn suspension(&self, cust: &str, kind: &str, start: &str, end: &str) {
        self.ds
            .conn
            .execute(
                "INSERT INTO suspensions(cust_no, kind, start_on, end_on, capacity_kva, import_id, src_line)
                 VALUES (?1, ?2, ?3, ?4, 50, 0, 1)",
                rusqlite::params![cust, kind, start, end],
            )
            .unwrap();
    }

    /// An application (业扩) of `kind` new / increase / change with a 20-day limit.
    pub fn application(
        &self,
        app_no: &str,
        cust: Option<&str>,
        kind: &str,
        accepted: &str,
        completed: Option<&str>,
    ) {
        self.ds
            .conn
            .execute(
                "INSERT INTO applications(app_no, cust_no, kind, accepted_on, completed_on, limit_days, import_id, src_line)
                 VALUES (?1, ?2, ?3, ?4, ?5, 20, 0, 1)",
                rusqlite::params![app_no, cust, kind, accepted, completed],
            )
            .unwrap();
    }

    /// An external system's finding (`subject` '-' for none).
    pub fn external(&self, source: &str, code: &str, name: &str, cust: &str, detected_on: &str) {
        self.ds
            .conn
            .execute(
                "INSERT INTO external_findings(source, rule_code, rule_name, cust_no, subject, detected_on, severity, evidence, import_id, src_line)
                 VALUES (?1, ?2, ?3, ?4, '-', ?5, 'high', NULL, 0, 1)",
                rusqlite::params![source, code, name, cust, detected_on],
            )
            .unwrap();
    }

    /// The customers (and subjects) a rule fires on.
    pub fn fired(&self, rule: &str, as_of: &str) -> Vec<String> {
        self.hits(rule, as_of)
            .into_iter()
            .map(|h| {
                if h.subject == "-" {
                    h.cust_no
                } else {
                    format!("{} {}", h.cust_no, h.subject)
                }
            })
            .collect()
    }
}
