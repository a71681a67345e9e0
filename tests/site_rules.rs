//! Site rules (rules.md, "Site rules"): the shipped example's hits, the sandbox refusing every
//! forbidden thing by name (when added and again when run), the time limit, wrong columns,
//! parameters as thresholds, rescan identity, removal keeping history. `site_rules_shown.rs`
//! has the command line, the UI and theme analysis.

use jicha::actions::site_rules::{add_rule, perform, SiteRuleAction};
use jicha::actions::{perform as perform_action, Action};
use jicha::context::{Lang, Role};

mod common;
mod site_rules_common;
use common::rule_db::{d, T};
use site_rules_common::*;

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
            "DELETE FROM facts.customers RETURNING cust_no, name AS subject, '' AS evidence, NULL AS amount_yuan".into(),
            "writing to customers",
        ),
        (
            "UPDATE facts.bills SET kwh = 0 RETURNING cust_no, period AS subject, '' AS evidence, NULL AS amount_yuan".into(),
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
        (format!("SELECT {cols} FROM facts.bills"), "reading facts.bills"),
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
        report
            .problems
            .iter()
            .any(|p| p.to_string().contains("site_rules")),
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
