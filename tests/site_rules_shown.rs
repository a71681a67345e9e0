//! Site rules as operators meet them: `rules test` on an export, `rules add|list|show` on the
//! command line, the rules screen grouped by category, theme analysis by the rule's category.

use jicha::actions::site_rules::{add_rule, perform, SiteRuleAction};
use jicha::context::{Lang, Role};

mod common;
mod site_rules_common;
use common::rule_db::{d, T};
use site_rules_common::*;

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
