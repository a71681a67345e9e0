//! Rescan semantics (rules.md, "A rescan"; workflow.md, "Findings"): identity kept, last_seen
//! moves, cleared by data, reopened with recurred, closed stays closed, whitelist suppression,
//! coverage, cancellation, and the action log.

mod common;
use chrono::NaiveDate;
use common::assert_audited_state_verifies;
use jicha::actionlog;
use jicha::context::{Ctx, Lang, Role};
use jicha::db::Dataset;
use jicha::progress;
use jicha::scan::{run_scan, ScanSummary};
use jicha::JichaError;
use rusqlite::OptionalExtension;
use tempfile::TempDir;

struct T {
    _dir: TempDir,
    ds: Dataset,
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn ctx(today: &str) -> Ctx {
    Ctx {
        unit: None,
        operator: "tester".into(),
        role: Role::Admin,
        today: d(today),
        lang: Lang::En,
    }
}

#[derive(Debug, PartialEq)]
struct Finding {
    id: i64,
    status: String,
    resolution: Option<String>,
    first_seen: String,
    last_seen: String,
    first_scan: i64,
    last_scan: i64,
    cleared_scan: Option<i64>,
    recurred: i64,
    reopened_scan: Option<i64>,
    status_date: String,
    version: i64,
    evidence: String,
}

impl T {
    fn new() -> T {
        let dir = TempDir::new().unwrap();
        let ds =
            Dataset::create(&dir.path().join("t.db"), "tester", "2026-01-01T00:00:00Z").unwrap();
        T { _dir: dir, ds }
    }

    fn exec(&self, sql: &str) {
        self.ds.conn.execute_batch(sql).unwrap();
    }

    /// A customer that breaks no rule.
    fn cust(&self, no: &str) {
        self.ds
            .conn
            .execute(
                "INSERT INTO customers(cust_no, name, address, contact, phone, category, price_code, billing_mode,
                     voltage_kv, capacity_kva, hslm, temporary, station, district, opened_on, status, import_id, src_line)
                 VALUES (?1, '测试户', '杭州市西湖区文三路1号', '张三', '13800138000', 'commercial', 'COM', 'single',
                     0.38, 50, 0, 0, 'S1', 'D1', '2020-01-01', 'active', 0, 1)",
                [no],
            )
            .unwrap();
    }

    /// A clean bill (continuous readings are not checked across these single rows).
    fn bill(&self, cust: &str, period: &str, amount: f64) {
        self.ds
            .conn
            .execute(
                "INSERT INTO bills(cust_no, period, read_on, prev_reading, curr_reading, multiplier, kwh,
                     loss_kwh, amount, paid, import_id, src_line)
                 VALUES (?1, ?2, ?2 || '-25', 0, 100, 1, 100, 0, ?3, ?3, 0, 1)",
                rusqlite::params![cust, period, amount],
            )
            .unwrap();
    }

    fn scan(&mut self, today: &str, as_of: &str) -> ScanSummary {
        // Full: these tests edit the data tables with SQL, behind the import's back, where an
        // incremental rescan (which knows changes by their import) would not look.
        jicha::scan::run_scan_with(
            &mut self.ds,
            &ctx(today),
            d(as_of),
            jicha::scan::Mode::Full,
            &mut progress::silent,
        )
        .unwrap()
    }

    fn finding(&self, rule: &str, cust: &str, subject: &str) -> Option<Finding> {
        self.ds
            .conn
            .query_row(
                "SELECT id, status, resolution, first_seen, last_seen, first_scan, last_scan, cleared_scan,
                        recurred, reopened_scan, status_date, version, evidence
                 FROM findings WHERE rule = ?1 AND cust_no = ?2 AND subject = ?3",
                [rule, cust, subject],
                |r| {
                    Ok(Finding {
                        id: r.get(0)?,
                        status: r.get(1)?,
                        resolution: r.get(2)?,
                        first_seen: r.get(3)?,
                        last_seen: r.get(4)?,
                        first_scan: r.get(5)?,
                        last_scan: r.get(6)?,
                        cleared_scan: r.get(7)?,
                        recurred: r.get(8)?,
                        reopened_scan: r.get(9)?,
                        status_date: r.get(10)?,
                        version: r.get(11)?,
                        evidence: r.get(12)?,
                    })
                },
            )
            .optional()
            .unwrap()
    }

    fn count(&self, sql: &str) -> i64 {
        self.ds.conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    fn history(&self, id: i64) -> Vec<(String, String)> {
        let mut stmt = self
            .ds
            .conn
            .prepare("SELECT business_date, status FROM finding_status_history WHERE finding_id = ?1 ORDER BY id")
            .unwrap();
        stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }
}

fn rule<'a>(s: &'a ScanSummary, id: &str) -> &'a jicha::scan::RuleCount {
    s.per_rule.iter().find(|c| c.rule == id).unwrap()
}

/// Customer `a` with a negative bill in 2026-05 (BIL-05).
fn negative_bill() -> T {
    let t = T::new();
    t.cust("a");
    t.bill("a", "2026-05", -10.0);
    t
}

#[test]
fn first_scan_records_new_findings_scan_counts_and_log() {
    let mut t = negative_bill();
    let s = t.scan("2026-06-20", "2026-06-15");
    let f = t.finding("BIL-05", "a", "2026-05").unwrap();
    assert_eq!(f.status, "new");
    assert_eq!(
        (f.first_seen.as_str(), f.last_seen.as_str()),
        ("2026-06-20", "2026-06-20")
    );
    assert_eq!((f.first_scan, f.last_scan), (s.scan_id, s.scan_id));
    assert_eq!(
        t.history(f.id),
        [("2026-06-20".to_string(), "new".to_string())]
    );
    let c = rule(&s, "BIL-05");
    assert_eq!((c.hits, c.new, c.again, c.cleared), (1, 1, 0, 0));
    assert_eq!(
        s.totals.hits,
        s.per_rule.iter().map(|c| c.hits).sum::<u64>()
    );

    let (as_of, bd, summary): (String, String, String) =
        t.ds.conn
            .query_row(
                "SELECT as_of, business_date, summary FROM scans WHERE id = ?1",
                [s.scan_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
    assert_eq!((as_of.as_str(), bd.as_str()), ("2026-06-15", "2026-06-20"));
    assert!(summary.contains("\"BIL-05\""));
    let thresholds: String =
        t.ds.conn
            .query_row(
                "SELECT thresholds FROM scans WHERE id = ?1",
                [s.scan_id],
                |r| r.get(0),
            )
            .unwrap();
    assert!(thresholds.contains("\"surge_ratio\""));
    assert_eq!(
        t.count("SELECT hits FROM scan_rule_counts WHERE rule = 'BIL-05'"),
        1
    );
    assert_eq!(
        t.count("SELECT count(*) FROM scan_rule_counts"),
        s.per_rule.len() as i64
    );
    let log = actionlog::for_target(&t.ds.conn, &format!("scan:{}", s.scan_id)).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, "scan");
    assert!(actionlog::verify(&t.ds.conn)
        .unwrap()
        .first_broken
        .is_none());
    let shown = s.to_string();
    assert!(
        shown.contains("BIL-05") && shown.contains("1 new"),
        "{shown}"
    );
    // Temp tables are gone.
    assert_eq!(
        t.count("SELECT count(*) FROM temp.sqlite_master WHERE name LIKE 'scan_%'"),
        0
    );
}

#[test]
fn rescan_keeps_identity_and_status_and_moves_last_seen() {
    let mut t = negative_bill();
    t.scan("2026-06-20", "2026-06-15");
    let before = t.finding("BIL-05", "a", "2026-05").unwrap();
    t.exec(&format!(
        "UPDATE findings SET status = 'confirmed', version = version + 1 WHERE id = {}",
        before.id
    ));
    let s2 = t.scan("2026-06-21", "2026-06-15");
    let after = t.finding("BIL-05", "a", "2026-05").unwrap();
    assert_eq!(after.id, before.id);
    assert_eq!(after.status, "confirmed");
    assert_eq!(after.first_seen, "2026-06-20");
    assert_eq!(after.last_seen, "2026-06-21");
    assert_eq!(
        (after.first_scan, after.last_scan),
        (before.first_scan, s2.scan_id)
    );
    // Nothing an operator sees changed: the version stays.
    assert_eq!(after.version, before.version + 1);
    let c = rule(&s2, "BIL-05");
    assert_eq!((c.hits, c.new, c.again, c.reopened), (1, 0, 1, 0));
    assert_eq!(
        t.count("SELECT count(*) FROM findings WHERE rule = 'BIL-05'"),
        1
    );

    // Evidence refreshed when the data changes; that is a change: version moves.
    t.exec("UPDATE bills SET amount = -20");
    t.scan("2026-06-22", "2026-06-15");
    let refreshed = t.finding("BIL-05", "a", "2026-05").unwrap();
    assert!(refreshed.evidence.contains("-20"), "{}", refreshed.evidence);
    assert_eq!(refreshed.version, after.version + 1);
    assert_eq!(refreshed.status, "confirmed");
}

#[test]
fn corrected_data_clears_and_recurrence_reopens() {
    let mut t = negative_bill();
    t.scan("2026-06-20", "2026-06-15");
    let f0 = t.finding("BIL-05", "a", "2026-05").unwrap();

    t.exec("UPDATE bills SET amount = 10");
    let s = t.scan("2026-06-21", "2026-06-15");
    let f1 = t.finding("BIL-05", "a", "2026-05").unwrap();
    assert_eq!(f1.status, "cleared");
    assert_eq!(f1.cleared_scan, Some(s.scan_id));
    assert_eq!(f1.status_date, "2026-06-21");
    assert_eq!(f1.version, f0.version + 1);
    assert_eq!(f1.last_seen, "2026-06-20", "not seen by the clearing scan");
    assert_eq!(rule(&s, "BIL-05").cleared, 1);
    assert_eq!(
        t.count(&format!(
            "SELECT cleared FROM scan_rule_counts WHERE rule = 'BIL-05' AND scan_id = {}",
            s.scan_id
        )),
        1
    );

    // Cleared again by a second clean scan? No: it is already cleared.
    let s = t.scan("2026-06-22", "2026-06-15");
    assert_eq!(rule(&s, "BIL-05").cleared, 0);

    t.exec("UPDATE bills SET amount = -10");
    let s = t.scan("2026-06-23", "2026-06-15");
    let f2 = t.finding("BIL-05", "a", "2026-05").unwrap();
    assert_eq!(f2.id, f0.id);
    assert_eq!(f2.status, "new");
    assert_eq!(f2.recurred, 1);
    assert_eq!(f2.reopened_scan, Some(s.scan_id));
    assert_eq!(f2.cleared_scan, None);
    assert_eq!(f2.status_date, "2026-06-23");
    assert_eq!(f2.version, f1.version + 1);
    let c = rule(&s, "BIL-05");
    assert_eq!((c.hits, c.new, c.again, c.reopened), (1, 0, 0, 1));
    assert_eq!(
        t.history(f0.id),
        [
            ("2026-06-20".to_string(), "new".to_string()),
            ("2026-06-21".to_string(), "cleared".to_string()),
            ("2026-06-23".to_string(), "new".to_string()),
        ]
    );
    let log = actionlog::for_target(&t.ds.conn, &format!("finding:{}", f0.id)).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, "finding.reopen");
    assert!(actionlog::verify(&t.ds.conn)
        .unwrap()
        .first_broken
        .is_none());
}

#[test]
fn closed_findings_rectified_reopen_false_positive_stays_closed() {
    let mut t = T::new();
    for c in ["rect", "fp", "noact", "tick"] {
        t.cust(c);
        t.bill(c, "2026-05", -10.0);
    }
    t.scan("2026-06-20", "2026-06-15");
    t.exec(
        "UPDATE findings SET status = 'closed', resolution = 'rectified' WHERE cust_no = 'rect';
         UPDATE findings SET status = 'closed', resolution = 'false_positive' WHERE cust_no = 'fp';
         UPDATE findings SET status = 'closed', resolution = 'no_action' WHERE cust_no = 'noact';
         UPDATE findings SET status = 'ticketed' WHERE cust_no = 'tick';",
    );
    let s = t.scan("2026-06-21", "2026-06-15");
    let rect = t.finding("BIL-05", "rect", "2026-05").unwrap();
    assert_eq!(
        (
            rect.status.as_str(),
            rect.resolution.as_deref(),
            rect.recurred
        ),
        ("new", None, 1)
    );
    let fp = t.finding("BIL-05", "fp", "2026-05").unwrap();
    assert_eq!(
        (fp.status.as_str(), fp.resolution.as_deref(), fp.recurred),
        ("closed", Some("false_positive"), 0)
    );
    assert_eq!(fp.last_seen, "2026-06-21");
    let noact = t.finding("BIL-05", "noact", "2026-05").unwrap();
    assert_eq!(noact.status, "closed");
    let c = rule(&s, "BIL-05");
    assert_eq!(
        (c.hits, c.new, c.again, c.again_closed, c.reopened),
        (4, 0, 3, 2, 1)
    );
    assert_eq!(
        t.count("SELECT count(*) FROM action_log WHERE action = 'finding.reopen'"),
        1
    );

    // Corrected data: ticketed stays ticketed, closed stays closed; only new/confirmed clear.
    t.exec("UPDATE bills SET amount = 10");
    let s = t.scan("2026-06-22", "2026-06-15");
    assert_eq!(
        t.finding("BIL-05", "tick", "2026-05").unwrap().status,
        "ticketed"
    );
    assert_eq!(
        t.finding("BIL-05", "fp", "2026-05").unwrap().status,
        "closed"
    );
    assert_eq!(
        t.finding("BIL-05", "rect", "2026-05").unwrap().status,
        "cleared"
    );
    assert_eq!(rule(&s, "BIL-05").cleared, 1);
    assert_audited_state_verifies(&t.ds);
}

#[test]
fn whitelisted_hits_are_recorded_and_counted_suppressed() {
    let mut t = T::new();
    for c in [
        "wl_rule", "wl_star", "expired", "pending", "revoked", "plain",
    ] {
        t.cust(c);
        t.bill(c, "2026-05", -10.0);
    }
    let today = "2026-06-20";
    let entry = |rule: &str,
                 cust: &str,
                 from: Option<&str>,
                 expires: &str,
                 revoked: Option<&str>| {
        t.ds.conn
            .execute(
                "INSERT INTO whitelist(rule, cust_no, reason, author, created_at, starts_on, expires_on, effective_from, revoked_on)
                 VALUES (?1, ?2, 'known', 'tester', '2026-06-01T00:00:00Z', '2026-06-01', ?3, ?4, ?5)",
                rusqlite::params![rule, cust, expires, from, revoked],
            )
            .unwrap();
    };
    entry("BIL-05", "wl_rule", Some("2026-06-01"), "2026-09-01", None);
    entry("*", "wl_star", Some("2026-06-01"), "2026-09-01", None);
    entry("BIL-05", "expired", Some("2026-03-01"), today, None); // expires_on is exclusive
    entry("BIL-05", "pending", None, "2027-06-01", None); // awaiting approval
    entry(
        "BIL-05",
        "revoked",
        Some("2026-06-01"),
        "2026-09-01",
        Some(today),
    );
    entry("BIL-04", "plain", Some("2026-06-01"), "2026-09-01", None); // another rule
    let s = t.scan(today, "2026-06-15");
    let c = rule(&s, "BIL-05");
    assert_eq!((c.hits, c.new, c.suppressed), (6, 6, 2));
    assert_eq!(
        t.count("SELECT suppressed FROM scan_rule_counts WHERE rule = 'BIL-05'"),
        2
    );
    // Suppressed findings are still recorded.
    assert_eq!(
        t.finding("BIL-05", "wl_rule", "2026-05").unwrap().status,
        "new"
    );
    assert_audited_state_verifies(&t.ds);
}

#[test]
fn scan_with_earlier_as_of_does_not_clear_later_periods() {
    let mut t = T::new();
    t.cust("a");
    t.bill("a", "2026-03", -5.0);
    t.bill("a", "2026-05", -10.0);
    t.scan("2026-06-20", "2026-06-15");
    assert_eq!(
        t.count("SELECT count(*) FROM findings WHERE status = 'new' AND rule = 'BIL-05'"),
        2
    );
    let s = t.scan("2026-06-21", "2026-04-10");
    assert_eq!(t.finding("BIL-05", "a", "2026-05").unwrap().status, "new");
    assert_eq!(
        t.finding("BIL-05", "a", "2026-05").unwrap().last_seen,
        "2026-06-20"
    );
    assert_eq!(
        t.finding("BIL-05", "a", "2026-03").unwrap().last_seen,
        "2026-06-21"
    );
    assert_eq!(rule(&s, "BIL-05").cleared, 0);
    assert_audited_state_verifies(&t.ds);
}

#[test]
fn rules_that_did_not_run_clear_nothing() {
    let mut t = T::new();
    t.cust("a");
    // A finding of MTR-05 on record (from a dataset that once had meters, say).
    t.exec(
        "INSERT INTO findings(rule, cust_no, subject, status, severity, evidence, first_seen, last_seen,
                              first_scan, last_scan, status_date)
         VALUES ('MTR-05', 'a', '-', 'new', 'high', 'no meter', '2026-06-01', '2026-06-01', 0, 0, '2026-06-01'),
                ('ARC-01', 'a', '-', 'new', 'low', 'phone empty', '2026-06-01', '2026-06-01', 0, 0, '2026-06-01')",
    );
    let s = t.scan("2026-06-20", "2026-06-15");
    assert_eq!(t.finding("MTR-05", "a", "-").unwrap().status, "new");
    assert_eq!(t.finding("ARC-01", "a", "-").unwrap().status, "cleared");
    assert!(s.per_rule.iter().all(|c| c.rule != "MTR-05"));
    assert_audited_state_verifies(&t.ds);
}

#[test]
fn external_findings_scan_as_their_own_rules() {
    let mut t = T::new();
    t.cust("a");
    t.exec(
        "INSERT INTO external_findings(source, rule_code, rule_name, cust_no, subject, detected_on, severity, evidence, import_id, src_line)
         VALUES ('采集系统', 'CJ-07', '电压断相', 'a', '-', '2026-06-01', 'high', NULL, 0, 1)",
    );
    let s = t.scan("2026-06-20", "2026-06-15");
    assert_eq!(rule(&s, "EXT:采集系统:CJ-07").new, 1);
    assert_eq!(
        t.count("SELECT hits FROM scan_rule_counts WHERE rule = 'EXT:采集系统:CJ-07'"),
        1
    );
    let f = t.finding("EXT:采集系统:CJ-07", "a", "-").unwrap();
    assert!(f.evidence.contains("电压断相"));
    assert_audited_state_verifies(&t.ds);
}

#[test]
fn cancelled_scan_writes_nothing() {
    let mut t = negative_bill();
    let log_before = t.count("SELECT count(*) FROM action_log");
    let mut calls = 0;
    let mut cancel = |_p: &progress::Progress| {
        calls += 1;
        if calls > 5 {
            std::ops::ControlFlow::Break(())
        } else {
            std::ops::ControlFlow::Continue(())
        }
    };
    let r = run_scan(&mut t.ds, &ctx("2026-06-20"), d("2026-06-15"), &mut cancel);
    assert!(matches!(r, Err(JichaError::Cancelled)), "{r:?}");
    assert_eq!(t.count("SELECT count(*) FROM findings"), 0);
    assert_eq!(t.count("SELECT count(*) FROM scans"), 0);
    assert_eq!(t.count("SELECT count(*) FROM scan_rule_counts"), 0);
    assert_eq!(t.count("SELECT count(*) FROM action_log"), log_before);
    // And the dataset is usable afterwards.
    let s = t.scan("2026-06-20", "2026-06-15");
    assert_eq!(rule(&s, "BIL-05").new, 1);
}

#[test]
fn viewers_cannot_scan() {
    let mut t = negative_bill();
    let mut c = ctx("2026-06-20");
    c.role = Role::Viewer;
    let e = run_scan(&mut t.ds, &c, d("2026-06-15"), &mut progress::silent).unwrap_err();
    assert!(e.to_string().contains("auditor"), "{e}");
    c.role = Role::Auditor;
    assert!(run_scan(&mut t.ds, &c, d("2026-06-15"), &mut progress::silent).is_ok());
}

/// Timing on a large dataset: `JICHA_PERF_DB=/path/copy.db cargo test --release --test scan
/// -- --ignored --nocapture perf`. Scans twice (first scan, then a rescan of the same data).
#[test]
#[ignore]
fn perf_scan_of_a_large_dataset() {
    let Ok(path) = std::env::var("JICHA_PERF_DB") else {
        return;
    };
    let mut ds = Dataset::open(std::path::Path::new(&path)).unwrap();
    for (today, as_of) in [("2026-01-10", "2025-12-31"), ("2026-01-11", "2025-12-31")] {
        let started = std::time::Instant::now();
        let mut stages = Vec::new();
        let mut log = |p: &progress::Progress| {
            if stages.last() != Some(&p.stage) {
                eprintln!("{:>8.2}s {}", started.elapsed().as_secs_f64(), p.stage);
                stages.push(p.stage.clone());
            }
            std::ops::ControlFlow::Continue(())
        };
        let s = run_scan(&mut ds, &ctx(today), d(as_of), &mut log).unwrap();
        eprintln!("{s}");
        eprintln!("scan took {:.2}s", started.elapsed().as_secs_f64());
    }
}

/// The UI's scan line says how many findings recurred (a reopened finding is what the morning
/// triage looks for), in both languages; it used to say `0 new, 0 cleared` and nothing else.
#[test]
fn the_uis_scan_line_counts_recurred_findings() {
    let mut t = negative_bill();
    t.scan("2026-06-20", "2026-06-15");
    t.exec("UPDATE bills SET amount = 10");
    t.scan("2026-06-21", "2026-06-15");
    t.exec("UPDATE bills SET amount = -10");
    let path = t.ds.path.clone();
    let en = jicha::cli::load::scan_for_ui(
        &path,
        &ctx("2026-06-23"),
        d("2026-06-15"),
        &mut progress::silent,
    )
    .unwrap();
    assert!(en.contains("0 new, 1 recurred"), "{en}");
    assert_eq!(t.finding("BIL-05", "a", "2026-05").unwrap().recurred, 1);
    // Scanned again: found again, no longer a recurrence of this scan.
    let mut zh_ctx = ctx("2026-06-24");
    zh_ctx.lang = Lang::Zh;
    let zh = jicha::cli::load::scan_for_ui(&path, &zh_ctx, d("2026-06-15"), &mut progress::silent)
        .unwrap();
    assert!(zh.contains("复发 0 条"), "{zh}");
}
