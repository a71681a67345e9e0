//! Site rules (rules.md, "Site rules"): the shipped example's hits, the sandbox refusing every
//! forbidden thing by name (when added and again when run), the time limit, wrong columns,
//! parameters as thresholds, rescan identity, removal keeping history, `rules test`.

use jicha::actions::site_rules::{add_rule, perform, SiteRuleAction};
use jicha::actions::{perform as perform_action, Action};
use jicha::context::{Lang, Role};
use jicha::progress;
use jicha::scan::run_scan;

mod common;
use common::rule_db::{d, T};

const EXAMPLE: &str = include_str!("../data/site-rules/x-mtr-event-drop.toml");
const D: &str = "2026-06-15";

fn admin() -> jicha::context::Ctx {
    common::ctx("tester", Role::Admin, "2026-06-20")
}

/// A rule file around `sql` (id X-T, no parameters unless `params` adds some).
fn rule(id: &str, sql: &str, params: &str) -> String {
    format!(
        "id = \"{id}\"\nname_zh = \"测试规则\"\nname_en = \"Test rule\"\ncategory = \"billing\"\nseverity = \"low\"\nchecks_zh = \"测试\"\nchecks_en = \"a test\"\nsql = \"\"\"\n{sql}\n\"\"\"\n{params}"
    )
}

/// The example's customers: a true hit and its near misses.
fn example_data(t: &T) {
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

fn add(t: &mut T, text: &str) -> jicha::Result<u64> {
    add_rule(&mut t.ds, &admin(), "rule.toml", text, d(D), 5).map(|(trial, _)| trial.hits)
}

fn scan(t: &mut T) -> jicha::Result<jicha::scan::ScanSummary> {
    run_scan(&mut t.ds, &admin(), d(D), &mut progress::silent)
}

fn count(t: &T, sql: &str) -> i64 {
    t.ds.conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// `(cust_no, subject, id, status)` of a rule's findings.
fn findings(t: &T, rule: &str) -> Vec<(String, String, i64, String)> {
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

#[test]
fn the_example_finds_the_event_then_the_drop_and_only_that() {
    let mut t = T::new();
    example_data(&t);
    assert_eq!(add(&mut t, EXAMPLE).unwrap(), 1);
    let s = scan(&mut t).unwrap();
    let c = s.per_rule.iter().find(|c| c.rule == "X-MTR-EVT").unwrap();
    assert_eq!(c.hits, 1);
    let f = findings(&t, "X-MTR-EVT");
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].0.as_str(), f[0].1.as_str()), ("A", "2026-04"));
    let (evidence, amount, severity): (String, f64, String) =
        t.ds.conn
            .query_row(
                "SELECT evidence, amount_yuan, severity FROM findings WHERE rule = 'X-MTR-EVT'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
    assert!(evidence.contains("电压失压事件"), "{evidence}");
    assert!(evidence.contains("300 kWh"), "{evidence}");
    assert!(evidence.contains("0.30 倍"), "{evidence}");
    // 700 kWh fell away at the event month's 0.6 元/kWh.
    assert!((amount - 420.0).abs() < 0.005, "{amount}");
    assert_eq!(severity, "high");
    // Evidence is the rule's own text, shown as it is in both languages.
    assert_eq!(
        jicha::i18n::evidence::render(Lang::En, &evidence),
        jicha::i18n::evidence::render(Lang::Zh, &evidence)
    );
    // The scan recorded the version it ran.
    let sha: String =
        t.ds.conn
            .query_row(
                "SELECT sha256 FROM scan_site_rules WHERE scan_id = ?1 AND rule = 'X-MTR-EVT'",
                [s.scan_id],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(sha, jicha::rules::site::sha256(EXAMPLE));
}

#[test]
fn bill_rows_after_the_month_of_d_are_left_out() {
    let mut t = T::new();
    example_data(&t);
    // As of March, April's bill is not visible: no hit.
    let hits = add_rule(
        &mut t.ds,
        &admin(),
        "rule.toml",
        EXAMPLE,
        d("2026-03-31"),
        5,
    )
    .unwrap()
    .0
    .hits;
    assert_eq!(hits, 0);
}

#[test]
fn every_forbidden_thing_is_refused_by_name_when_added() {
    let cols = "'c' AS cust_no, '-' AS subject, '' AS evidence, NULL AS amount_yuan";
    let cases: Vec<(String, &str)> = vec![
        (
            "DELETE FROM main.customers RETURNING cust_no, name AS subject, '' AS evidence, NULL AS amount_yuan".into(),
            "writing to customers",
        ),
        (
            "UPDATE main.bills SET kwh = 0 RETURNING cust_no, period AS subject, '' AS evidence, NULL AS amount_yuan".into(),
            "writing to bills",
        ),
        (
            "INSERT INTO findings(rule) VALUES ('x') RETURNING rule AS cust_no, rule AS subject, rule AS evidence, NULL AS amount_yuan".into(),
            "writing to findings",
        ),
        ("PRAGMA table_info(bills)".into(), "PRAGMA table_info"),
        ("ATTACH DATABASE '/tmp/x.db' AS x".into(), "ATTACH"),
        (format!("SELECT {cols} FROM findings"), "reading findings"),
        (format!("SELECT {cols} FROM tickets"), "reading tickets"),
        (format!("SELECT {cols} FROM action_log"), "reading action_log"),
        (format!("SELECT {cols} FROM whitelist"), "reading whitelist"),
        (format!("SELECT {cols} FROM thresholds"), "reading thresholds"),
        (format!("SELECT {cols} FROM sqlite_master"), "reading sqlite_master"),
        (format!("SELECT {cols} FROM main.bills"), "reading main.bills"),
        (
            format!("SELECT {cols} FROM pragma_table_info('bills')"),
            "reading pragma_table_info",
        ),
        (
            "SELECT load_extension('/tmp/evil.so') AS cust_no, '-' AS subject, '' AS evidence, NULL AS amount_yuan".into(),
            "load_extension",
        ),
        ("CREATE TABLE x(a)".into(), "changing the schema"),
        ("DROP VIEW bills".into(), "changing the schema"),
        ("BEGIN".into(), "transaction"),
    ];
    let mut t = T::new();
    t.cust("c");
    for (sql, named) in cases {
        let e = add(&mut t, &rule("X-BAD", &sql, ""))
            .unwrap_err()
            .to_string();
        assert!(e.contains("X-BAD") && e.contains(named), "{sql}: {e}");
    }
    // Nothing of it was stored or logged.
    assert_eq!(count(&t, "SELECT count(*) FROM site_rules"), 0);
    assert_eq!(
        count(
            &t,
            "SELECT count(*) FROM action_log WHERE action LIKE 'rules.%'"
        ),
        0
    );
    // Internal columns are not in the views.
    let e = add(
        &mut t,
        &rule(
            "X-BAD",
            "SELECT cust_no, '-' AS subject, '' AS evidence, import_id AS amount_yuan FROM bills",
            "",
        ),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("no such column: import_id"), "{e}");
    // More than one statement.
    let e = add(
        &mut t,
        &rule("X-BAD", &format!("SELECT {cols}; SELECT 1"), ""),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("one SELECT"), "{e}");
}

#[test]
fn a_rule_put_in_behind_jichas_back_is_refused_again_when_it_runs() {
    let mut t = T::new();
    t.cust("c");
    let good = rule(
        "X-SNEAK",
        "SELECT cust_no, '-' AS subject, '' AS evidence, NULL AS amount_yuan FROM customers",
        "",
    );
    add(&mut t, &good).unwrap();
    let bad = good.replace("FROM customers", "FROM findings");
    t.exec(&format!(
        "UPDATE site_rules SET source = '{}' WHERE id = 'X-SNEAK'",
        bad.replace('\'', "''")
    ));
    let scans = count(&t, "SELECT count(*) FROM scans");
    let e = scan(&mut t).unwrap_err().to_string();
    assert!(
        e.contains("X-SNEAK") && e.contains("reading findings"),
        "{e}"
    );
    assert_eq!(count(&t, "SELECT count(*) FROM scans"), scans);
    // `log verify`'s state check sees the rule changed outside jicha.
    let report = jicha::ledger::verify(&t.ds.conn).unwrap();
    assert!(
        report.problems.iter().any(|p| p.contains("site_rules")),
        "{:#?}",
        report.problems
    );
}

#[test]
fn a_rule_that_never_ends_is_stopped_at_the_time_limit_and_the_scan_writes_nothing() {
    let mut t = T::new();
    t.cust("c");
    // A first scan leaves findings and log records to compare with.
    scan(&mut t).unwrap();
    let looping = rule(
        "X-LOOP",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
         SELECT 'c' AS cust_no, '-' AS subject, '' AS evidence, NULL AS amount_yuan
         FROM n WHERE i < 0",
        "",
    );
    // Stored directly: its trial run at `rules add` would stop at the limit as well.
    let ctx = admin();
    perform_action(
        &mut t.ds,
        &ctx,
        &Action::ThresholdSet {
            name: "site_rule_timeout_s".into(),
            value: "0.2".into(),
        },
    )
    .unwrap();
    let e = add(&mut t, &looping).unwrap_err().to_string();
    assert!(
        e.contains("X-LOOP") && e.contains("site_rule_timeout_s"),
        "{e}"
    );
    t.exec(&format!(
        "INSERT INTO site_rules(id, name_zh, name_en, category, severity, checks_zh, checks_en, source, sha256, added_at, added_by)
         VALUES ('X-LOOP', '循环', 'Loop', 'billing', 'low', '-', '-', '{}', 'x', '2026-01-01', 'tester')",
        looping.replace('\'', "''")
    ));
    let before = (
        count(&t, "SELECT count(*) FROM scans"),
        count(&t, "SELECT count(*) FROM findings"),
        count(&t, "SELECT count(*) FROM action_log"),
    );
    let e = scan(&mut t).unwrap_err().to_string();
    assert!(
        e.contains("X-LOOP") && e.contains("stopped after 0.2 s"),
        "{e}"
    );
    let after = (
        count(&t, "SELECT count(*) FROM scans"),
        count(&t, "SELECT count(*) FROM findings"),
        count(&t, "SELECT count(*) FROM action_log"),
    );
    assert_eq!(before, after);
}

/// Reading taken: "exactly the columns cust_no, subject, evidence, amount_yuan" is these four
/// names in this order, nothing more; a NULL or empty subject is `-` (no subject), as for the
/// built-in rules.
#[test]
fn wrong_columns_are_refused_naming_what_came_back() {
    let mut t = T::new();
    for sql in [
        "SELECT cust_no, '-' AS subject, '' AS evidence FROM customers",
        "SELECT cust_no, '-' AS subject, '' AS evidence, NULL AS amount FROM customers",
        "SELECT '-' AS subject, cust_no, '' AS evidence, NULL AS amount_yuan FROM customers",
    ] {
        let e = add(&mut t, &rule("X-COLS", sql, ""))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("exactly the columns cust_no, subject, evidence, amount_yuan"),
            "{sql}: {e}"
        );
    }
    // A value of the wrong type is named with its row when the rule runs.
    t.cust("c");
    let e = add(
        &mut t,
        &rule(
            "X-COLS",
            "SELECT cust_no, '-' AS subject, '' AS evidence, 'lots' AS amount_yuan FROM customers",
            "",
        ),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("row 1: amount_yuan must be a number"), "{e}");
}

#[test]
fn a_parameter_set_with_thresholds_set_changes_the_hits_and_the_scan_records_it() {
    let mut t = T::new();
    example_data(&t);
    add(&mut t, EXAMPLE).unwrap();
    let ctx = admin();
    // Unknown parameters and wrong kinds are refused like any threshold.
    let set = |t: &mut T, name: &str, value: &str| {
        perform_action(
            &mut t.ds,
            &ctx,
            &Action::ThresholdSet {
                name: name.into(),
                value: value.into(),
            },
        )
    };
    let e = set(&mut t, "X-MTR-EVT.nope", "1").unwrap_err().to_string();
    assert!(e.contains("unknown threshold"), "{e}");
    let e = set(&mut t, "X-MTR-EVT.drop_ratio", "abc")
        .unwrap_err()
        .to_string();
    assert!(e.contains("needs a number"), "{e}");
    // At 0.6 B's 0.60 is not below it; past it B fires.
    set(&mut t, "X-MTR-EVT.drop_ratio", "0.6").unwrap();
    scan(&mut t).unwrap();
    assert_eq!(findings(&t, "X-MTR-EVT").len(), 1);
    set(&mut t, "X-MTR-EVT.drop_ratio", "0.61").unwrap();
    let s = scan(&mut t).unwrap();
    let f = findings(&t, "X-MTR-EVT");
    let custs: Vec<&str> = f.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(custs, ["A", "B"]);
    let used: String =
        t.ds.conn
            .query_row(
                "SELECT thresholds FROM scans WHERE id = ?1",
                [s.scan_id],
                |r| r.get(0),
            )
            .unwrap();
    let used: serde_json::Value = serde_json::from_str(&used).unwrap();
    assert_eq!(used["X-MTR-EVT.drop_ratio"], "0.61");
    // A list parameter: without 失压 among the keywords, only F's 开盖 could match (too small).
    set(&mut t, "X-MTR-EVT.event_keywords", "开盖,倒走").unwrap();
    scan(&mut t).unwrap();
    let open: Vec<String> = findings(&t, "X-MTR-EVT").into_iter().map(|x| x.3).collect();
    assert_eq!(open, ["cleared", "cleared"]);
}

#[test]
fn a_rescan_keeps_the_identity_and_status_of_site_rule_findings() {
    let mut t = T::new();
    example_data(&t);
    add(&mut t, EXAMPLE).unwrap();
    scan(&mut t).unwrap();
    let first = findings(&t, "X-MTR-EVT");
    let ctx = common::ctx("tester", Role::Auditor, "2026-06-20");
    perform_action(
        &mut t.ds,
        &ctx,
        &Action::Confirm {
            ids: vec![first[0].2],
        },
    )
    .unwrap();
    let s = scan(&mut t).unwrap();
    let again = findings(&t, "X-MTR-EVT");
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].2, first[0].2);
    assert_eq!(again[0].3, "confirmed");
    let c = s.per_rule.iter().find(|c| c.rule == "X-MTR-EVT").unwrap();
    assert_eq!((c.hits, c.new, c.again), (1, 0, 1));
    // A whitelist entry for the site rule suppresses it like any rule's.
    perform_action(
        &mut t.ds,
        &ctx,
        &Action::WhitelistAdd {
            rule: "X-MTR-EVT".into(),
            cust_no: "A".into(),
            reason: "已现场核实".into(),
            days: Some(30),
        },
    )
    .unwrap();
    let s = scan(&mut t).unwrap();
    let c = s.per_rule.iter().find(|c| c.rule == "X-MTR-EVT").unwrap();
    assert_eq!(c.suppressed, 1);
}

/// Reading taken: a removed (or disabled) rule no longer runs, so a scan does not cover its
/// findings: they keep their status (history), rather than being cleared by data.
#[test]
fn a_removed_rule_keeps_its_findings_as_history_and_stops_running() {
    let mut t = T::new();
    example_data(&t);
    add(&mut t, EXAMPLE).unwrap();
    scan(&mut t).unwrap();
    let ctx = admin();
    let auditor = common::ctx("aud", Role::Auditor, "2026-06-20");
    let e = perform(
        &mut t.ds,
        &auditor,
        &SiteRuleAction::Remove {
            id: "X-MTR-EVT".into(),
        },
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("admin"), "{e}");
    let out = perform(
        &mut t.ds,
        &ctx,
        &SiteRuleAction::Remove {
            id: "X-MTR-EVT".into(),
        },
    )
    .unwrap();
    assert!(
        out.text(Lang::En).contains("1 finding(s) stay"),
        "{}",
        out.text(Lang::En)
    );
    let logged: String =
        t.ds.conn
            .query_row(
                "SELECT details FROM action_log WHERE action = 'rules.remove'",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert!(
        logged.contains(&jicha::rules::site::sha256(EXAMPLE)),
        "{logged}"
    );
    let s = scan(&mut t).unwrap();
    assert!(s.per_rule.iter().all(|c| c.rule != "X-MTR-EVT"));
    let f = findings(&t, "X-MTR-EVT");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].3, "new", "not cleared: the rule no longer covers it");
    // Its name is still known, and its parameters are gone from the thresholds.
    let dir = jicha::rules::directory::Directory::load(&t.ds.conn).unwrap();
    assert_eq!(
        dir.name("X-MTR-EVT", true),
        Some("计量异常事件后次月电量骤降")
    );
    assert_eq!(
        count(
            &t,
            "SELECT count(*) FROM thresholds WHERE name LIKE 'X-MTR-EVT.%'"
        ),
        0
    );
    let e = perform(
        &mut t.ds,
        &ctx,
        &SiteRuleAction::Enable {
            id: "X-MTR-EVT".into(),
        },
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("was removed"), "{e}");
}

#[test]
fn disable_and_enable_are_logged_and_a_disabled_rule_leaves_its_findings_alone() {
    let mut t = T::new();
    example_data(&t);
    add(&mut t, EXAMPLE).unwrap();
    scan(&mut t).unwrap();
    let ctx = admin();
    perform(
        &mut t.ds,
        &ctx,
        &SiteRuleAction::Disable {
            id: "X-MTR-EVT".into(),
        },
    )
    .unwrap();
    let e = perform(
        &mut t.ds,
        &ctx,
        &SiteRuleAction::Disable {
            id: "X-MTR-EVT".into(),
        },
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("already disabled"), "{e}");
    let e = perform(
        &mut t.ds,
        &ctx,
        &SiteRuleAction::Disable {
            id: "BIL-03".into(),
        },
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("built-in"), "{e}");
    let s = scan(&mut t).unwrap();
    assert!(s.per_rule.iter().all(|c| c.rule != "X-MTR-EVT"));
    assert_eq!(
        count(
            &t,
            &format!(
                "SELECT count(*) FROM scan_site_rules WHERE scan_id = {}",
                s.scan_id
            )
        ),
        0
    );
    assert_eq!(findings(&t, "X-MTR-EVT")[0].3, "new");
    perform(
        &mut t.ds,
        &ctx,
        &SiteRuleAction::Enable {
            id: "X-MTR-EVT".into(),
        },
    )
    .unwrap();
    assert_eq!(
        count(&t, "SELECT count(*) FROM action_log WHERE action IN ('rules.add', 'rules.disable', 'rules.enable') AND details LIKE '%sha256%'"),
        3
    );
    common::assert_state_verifies(&t.ds);
}

#[test]
fn a_bad_file_is_refused_saying_what_to_fix() {
    let mut t = T::new();
    let base = rule(
        "X-OK",
        "SELECT cust_no, '-' AS subject, '' AS evidence, NULL AS amount_yuan FROM customers",
        "",
    );
    for (text, says) in [
        (base.replace("X-OK", "OK-1"), "must start with X-"),
        (base.replace("X-OK", "BIL-03"), "built-in"),
        (
            base.replace("\"billing\"", "\"site\""),
            "unknown category `site`",
        ),
        (base.replace("\"low\"", "\"urgent\""), "unknown severity"),
        (base.replace("name_en = \"Test rule\"\n", ""), "name_en"),
        (
            format!("{base}\n[params]\nratio = \"big\"\n"),
            "parameter `ratio`",
        ),
        (
            format!("{base}\n[params]\nas_of = 1\n"),
            "parameter `as_of`",
        ),
        (
            base.replace("FROM customers", "FROM customers WHERE capacity_kva > :cap"),
            ":cap",
        ),
        (
            base.replace("FROM customers", "FROM customers WHERE capacity_kva > ?"),
            "bound by name",
        ),
    ] {
        let e = add(&mut t, &text).unwrap_err().to_string();
        assert!(e.contains(says), "{says}: {e}");
    }
}

#[test]
fn rules_test_runs_a_rule_on_an_export_without_a_dataset() {
    let dir = tempfile::TempDir::new().unwrap();
    let export = dir.path().join("export");
    std::fs::create_dir(&export).unwrap();
    let cust = |no: &str| {
        format!("{no},测试户,某路1号,张三,13800138000,commercial,COM,single,0.38,50,,0,0,S1,D1,2020-01-01,active,\n")
    };
    std::fs::write(
        export.join("customers.csv"),
        format!(
            "cust_no,name,address,contact,phone,category,price_code,billing_mode,voltage_kv,capacity_kva,pf_standard,hslm,temporary,station,district,opened_on,status,closed_on\n{}{}",
            cust("A"),
            cust("C")
        ),
    )
    .unwrap();
    std::fs::write(
        export.join("bills.csv"),
        "cust_no,period,read_on,prev_reading,curr_reading,multiplier,kwh,loss_kwh,amount,paid\n\
         A,2026-03,2026-03-25,0,1000,1,1000,0,600,600\n\
         A,2026-04,2026-04-25,1000,1300,1,300,0,180,180\n\
         C,2026-03,2026-03-25,0,1000,1,1000,0,600,600\n\
         C,2026-04,2026-04-25,1000,1300,1,300,0,180,180\n",
    )
    .unwrap();
    std::fs::write(
        export.join("external_findings.csv"),
        "source,rule_code,rule_name,cust_no,subject,detected_on,severity,evidence\n\
         采集系统,E01,电压失压事件,A,,2026-03-10,high,\n",
    )
    .unwrap();
    let file = dir.path().join("rule.toml");
    std::fs::write(&file, EXAMPLE).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jicha"))
        .args(["--lang", "en", "rules", "test"])
        .arg(&file)
        .arg(&export)
        .args(["--as-of", "2026-05-31"])
        .env("JICHA_DB", dir.path().join("never.jicha"))
        .env("HOME", dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("X-MTR-EVT: 1 hit(s) as of 2026-05-31"),
        "{stdout}"
    );
    assert!(stdout.contains("A  2026-04"), "{stdout}");
    assert!(!dir.path().join("never.jicha").exists());
}

mod ui_fixture;

/// Reading taken: "grouped by category" with a "site" group puts every site rule under the
/// site heading whatever category its file names (the category shows in the detail box and
/// counts in theme analysis); built-in rules sit under their category.
#[test]
fn the_rules_screen_groups_rules_and_keeps_the_cursor_in_view_whatever_the_length() {
    use crossterm::event::KeyCode;
    let (_d, p) = ui_fixture::dataset();
    {
        let mut ds = jicha::db::Dataset::open(&p).unwrap();
        let ctx = common::ctx("admin1", Role::Admin, "2026-11-02");
        for k in 0..20 {
            let text = rule(
                &format!("X-R{k:02}"),
                "SELECT cust_no, '-' AS subject, '' AS evidence, NULL AS amount_yuan FROM customers WHERE 0",
                "",
            );
            add_rule(&mut ds, &ctx, "r.toml", &text, d("2026-11-02"), 1).unwrap();
        }
        perform(
            &mut ds,
            &ctx,
            &SiteRuleAction::Disable { id: "X-R19".into() },
        )
        .unwrap();
    }
    let mut a = ui_fixture::app(&p, "auditor1", Role::Auditor, Lang::En);
    ui_fixture::press(&mut a, &[ui_fixture::key('3')]);
    let ids = jicha::ui::screen::rules::Rules::ids(&a.shared);
    assert_eq!(ids.len(), jicha::rules::RULES.len() + 20, "{ids:?}");
    let top = ui_fixture::screen(&mut a, 80, 24);
    assert!(top.contains("│── Archive · "), "{top}");
    // Every rule, walked down one at a time, is drawn in the list when the cursor is on it.
    for (k, id) in ids.iter().enumerate() {
        for (w, h) in [(80, 24), (120, 30)] {
            let s = ui_fixture::screen(&mut a, w, h);
            let shown = if id.starts_with("EXT:") {
                "EXT"
            } else {
                id.as_str()
            };
            assert!(
                s.lines()
                    .filter(|l| l.starts_with(&format!("\"│{shown}")))
                    .count()
                    >= 1,
                "rule {k} {id} not in view at {w}x{h}:\n{s}"
            );
        }
        ui_fixture::press(&mut a, &[ui_fixture::code(KeyCode::Down)]);
    }
    let end = ui_fixture::screen(&mut a, 80, 24);
    assert!(end.contains("X-R19") && end.contains(" off "), "{end}");
    ui_fixture::press(&mut a, &[ui_fixture::code(KeyCode::Home)]);
    let back = ui_fixture::screen(&mut a, 80, 24);
    assert!(back.contains("│── Archive · "), "{back}");
    // Going up from the first site rule shows its group's heading.
    let first_site = ids.iter().position(|i| i == "X-R00").unwrap();
    a.screen_state_mut::<jicha::ui::screen::rules::Rules>()
        .unwrap()
        .cursor = first_site;
    let s = ui_fixture::screen(&mut a, 80, 24);
    assert!(s.contains("│── Site rules · 20 "), "{s}");
}

#[test]
fn theme_analysis_counts_a_site_rule_under_the_category_its_file_names() {
    use jicha::quality::theme::{theme, Selector};
    let mut t = T::new();
    example_data(&t);
    add(&mut t, EXAMPLE).unwrap();
    scan(&mut t).unwrap();
    let metering = theme(
        &t.ds.conn,
        &Selector::category("metering").unwrap(),
        None,
        None,
    )
    .unwrap();
    let billing = theme(
        &t.ds.conn,
        &Selector::category("billing").unwrap(),
        None,
        None,
    )
    .unwrap();
    let by_rule = Selector::rule(&t.ds.conn, "X-MTR-EVT").unwrap();
    let one = theme(&t.ds.conn, &by_rule, None, None).unwrap();
    assert_eq!(one.total.findings, 1);
    assert!((one.total.amount_yuan - 420.0).abs() < 0.005);
    assert_eq!(one.selector, "X-MTR-EVT 计量异常事件后次月电量骤降");
    // The built-in rules find nothing in this data: the site rule is metering's one finding.
    assert_eq!(metering.total.findings, 1);
    assert_eq!(billing.total.findings, 0);
    assert!(Selector::rule(&t.ds.conn, "X-NOPE").is_err());
}

#[test]
fn the_command_line_adds_lists_and_shows_a_site_rule() {
    let mut t = T::new();
    example_data(&t);
    let dir = tempfile::TempDir::new().unwrap();
    let file = dir.path().join("x.toml");
    std::fs::write(&file, EXAMPLE).unwrap();
    let db = t.ds.path.clone();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_jicha"))
            .arg("--db")
            .arg(&db)
            .args([
                "--operator",
                "tester",
                "--today",
                "2026-06-20",
                "--lang",
                "en",
            ])
            .args(args)
            .env("HOME", dir.path())
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, out, err) = run(&["rules", "add", file.to_str().unwrap(), "--as-of", D]);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("X-MTR-EVT: 1 hit(s) as of 2026-06-15"),
        "{out}"
    );
    assert!(out.contains("A  2026-04"), "{out}");
    assert!(out.contains("site rule X-MTR-EVT added"), "{out}");
    let (ok, out, _) = run(&["rules", "list", "--format", "json"]);
    assert!(ok);
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), jicha::rules::RULES.len() + 1);
    let site = rows.iter().find(|r| r["id"] == "X-MTR-EVT").unwrap();
    assert_eq!(site["source"], "site");
    assert_eq!(site["version"], jicha::rules::site::sha256(EXAMPLE));
    assert_eq!(site["enabled"], "yes");
    assert_eq!(site["category"], "metering");
    let (ok, out, _) = run(&["rules", "show", "X-MTR-EVT"]);
    assert!(ok);
    assert!(
        out.contains("parameter X-MTR-EVT.drop_ratio = 0.5"),
        "{out}"
    );
    assert!(out.contains("WITH events AS ("), "{out}");
    let (ok, _, err) = run(&["rules", "disable", "ARC-01"]);
    assert!(!ok && err.contains("built-in"), "{err}");
    drop(t.ds);
    t.ds = jicha::db::Dataset::open(&db).unwrap();
    common::assert_state_verifies(&t.ds);
}
