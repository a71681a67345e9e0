//! Evidence kept as values end to end: every finding the demo's scan writes holds evidence
//! values of its own rule's kind, shown in Chinese under zh and in English under en, by the
//! renderer and by the CLI (`findings` table and csv in the chosen language; json keeps the
//! English sentence and adds the values).

use jicha::context::{Ctx, Lang, Role};
use jicha::db::Dataset;
use jicha::demo::{write_demo, DemoOptions};
use jicha::i18n::evidence::render;
use jicha::rules::evidence::Evidence;
use std::path::{Path, PathBuf};
use std::process::Command;

const TODAY: &str = "2026-11-01";

/// The demo export imported and scanned as of TODAY.
fn demo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    let opts = DemoOptions {
        customers: 2000,
        months: 12,
        seed: 11,
        end_period: "2026-10".into(),
    };
    write_demo(&export, &opts, &mut jicha::progress::silent).unwrap();
    let db = dir.path().join("d.jicha");
    let ctx = scan_ctx();
    let mut ds = Dataset::create(&db, &ctx.operator, "2026-01-01T00:00:00Z").unwrap();
    jicha::import::import_dir(&mut ds, &ctx, &export, &mut jicha::progress::silent).unwrap();
    jicha::scan::run_scan(&mut ds, &ctx, ctx.today, &mut jicha::progress::silent).unwrap();
    (dir, db)
}

fn scan_ctx() -> Ctx {
    Ctx {
        unit: None,
        operator: jicha::context::os_login(),
        role: Role::Admin,
        today: jicha::dates::parse_date(TODAY).unwrap(),
        lang: Lang::En,
    }
}

fn rescan(db: &Path) {
    let mut ds = Dataset::open(db).unwrap();
    let ctx = scan_ctx();
    jicha::scan::run_scan(&mut ds, &ctx, ctx.today, &mut jicha::progress::silent).unwrap();
}

fn findings(db: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut st = conn
        .prepare("SELECT rule, evidence FROM findings ORDER BY id")
        .unwrap();
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn jicha(db: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_jicha"))
        .arg("--db")
        .arg(db)
        .args(["--today", TODAY])
        .args(args)
        .env_remove("JICHA_DB")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_finding_of_the_demo_holds_values_of_its_rule_and_reads_in_both_languages() {
    let (_dir, db) = demo();
    let all = findings(&db);
    let mut rules_seen = std::collections::BTreeSet::new();
    for (rule, stored) in &all {
        let e = Evidence::from_stored(stored)
            .unwrap_or_else(|| panic!("{rule}: evidence is not values: {stored}"));
        let kind = e.kind();
        let own = if rule.starts_with("EXT:") {
            kind == "EXT"
        } else {
            kind == rule
                || kind
                    .strip_prefix(rule.as_str())
                    .is_some_and(|k| k.starts_with('.'))
        };
        assert!(own, "{rule} wrote evidence of kind {kind}");
        let (en, zh) = (render(Lang::En, stored), render(Lang::Zh, stored));
        assert!(
            !en.starts_with('{') && !zh.starts_with('{'),
            "{rule}: {stored}"
        );
        assert!(has_chinese(&zh), "{rule}: {zh}");
        assert_ne!(en, zh, "{rule}");
        rules_seen.insert(rule.clone());
    }
    // The demo plants every built-in rule (tests/demo_scan.rs): all of them were looked at.
    // (but the source-history rules, which need two imports: tests/rules_history.rs).
    for r in jicha::rules::RULES
        .iter()
        .filter(|r| !r.id.starts_with("HIS-"))
    {
        assert!(rules_seen.contains(r.id), "{} has no finding", r.id);
    }

    // A rescan on the same data and date writes the same values: nothing an operator sees
    // changed, so no finding's version moves.
    let versions = |db: &Path| -> Vec<(i64, i64, String)> {
        let conn = rusqlite::Connection::open(db).unwrap();
        let mut st = conn
            .prepare("SELECT id, version, evidence FROM findings ORDER BY id")
            .unwrap();
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    };
    let before = versions(&db);
    rescan(&db);
    assert_eq!(versions(&db), before);

    // The CLI: a BIL-05 finding (negative bill) in each language and format.
    let (_, stored) = all.iter().find(|(r, _)| r == "BIL-05").unwrap();
    let zh_sentence = render(Lang::Zh, stored);
    let en_sentence = render(Lang::En, stored);
    assert!(zh_sentence.starts_with("电费 ") && en_sentence.starts_with("amount "));
    let args = ["findings", "--rule", "BIL-05", "--limit", "100000"];
    let zh_csv = jicha(
        &db,
        &[&["--lang", "zh"], &args[..], &["--format", "csv"]].concat(),
    );
    assert!(zh_csv.contains(&zh_sentence), "{zh_csv}");
    assert!(!zh_csv.contains(r#"{"kind""#));
    let en_csv = jicha(
        &db,
        &[&["--lang", "en"], &args[..], &["--format", "csv"]].concat(),
    );
    assert!(en_csv.contains(&en_sentence), "{en_csv}");
    let zh_table = jicha(&db, &[&["--lang", "zh"], &args[..]].concat());
    assert!(zh_table.contains("电费 "), "{zh_table}");

    // JSON stays stable English whatever the language: the sentence plus the values.
    let json = jicha(
        &db,
        &[&["--lang", "zh"], &args[..], &["--format", "json"]].concat(),
    );
    let items: serde_json::Value = serde_json::from_str(&json).unwrap();
    let items = items.as_array().unwrap();
    assert!(!items.is_empty());
    for f in items {
        assert_eq!(f["evidence_values"]["kind"], "BIL-05", "{f}");
        assert!(
            f["evidence_values"]["amount"].as_f64().unwrap() < 0.0,
            "{f}"
        );
        let sentence = f["evidence"].as_str().unwrap();
        assert!(
            sentence.starts_with("amount ") && !sentence.contains("电费"),
            "{f}"
        );
    }
}
