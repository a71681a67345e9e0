//! Every built-in rule parameter (data/thresholds.toml) says what it is in Chinese as well as
//! English, with no English words left in the Chinese; `--lang zh thresholds show` prints it.

mod common;
use jicha::cli::run_in_process;
use jicha::context::Lang;
use jicha::thresholds::specs;

/// English a Chinese description may keep: units, and the tariff codes (RES, COM, IND, AGR)
/// that name a tariff the same in both languages.
const ALLOWED_IN_ZH: &[&str] = &["V", "kV", "kVA", "kWh", "RES", "COM", "IND", "AGR"];

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

/// The English words left in a Chinese text (tests/i18n_complete.rs's checker): not words are
/// what is quoted in backticks, a `--flag`, a token holding a digit (a rule id such as THF-01,
/// a number) and a parameter's name.
fn english_words(zh: &str) -> Vec<String> {
    let mut words = Vec::new();
    for (i, part) in zh.split('`').enumerate() {
        if i % 2 == 1 {
            continue;
        }
        let tokens = part.split(|c: char| {
            !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '<' | '>'))
        });
        for t in tokens {
            let is_word = t.chars().any(|c| c.is_ascii_alphabetic());
            let is_id = t.chars().any(|c| c.is_ascii_digit()) || t.starts_with("--");
            let is_param = specs().contains_key(t);
            if is_word && !is_id && !is_param && !ALLOWED_IN_ZH.contains(&t) {
                words.push(t.to_string());
            }
        }
    }
    words
}

#[test]
fn the_checker_catches_an_english_word_and_allows_ids_units_and_names() {
    assert_eq!(
        english_words("容量超过 surge_ratio（kVA），见 THF-01 与 `jicha`"),
        Vec::<String>::new()
    );
    assert_eq!(
        english_words("largest 合同容量 for 220 V"),
        ["largest", "for"]
    );
}

#[test]
fn every_builtin_threshold_is_described_in_chinese() {
    let mut bad = Vec::new();
    for (name, spec) in specs() {
        let zh = spec.about_zh.trim();
        if zh.is_empty() {
            bad.push(format!("{name}: no about_zh"));
            continue;
        }
        if !zh.chars().any(is_cjk) {
            bad.push(format!("{name}: about_zh `{zh}` holds no Chinese"));
        }
        let words = english_words(zh);
        if !words.is_empty() {
            bad.push(format!("{name}: about_zh `{zh}` keeps English {words:?}"));
        }
        assert_eq!(spec.about(Lang::Zh), zh, "{name}");
        assert_eq!(spec.about(Lang::En), spec.about, "{name}");
    }
    assert!(bad.is_empty(), "untranslated:\n{}", bad.join("\n"));
}

fn run(db: &std::path::Path, lang: &str, args: &[&str]) -> (u8, String, String) {
    let mut full = vec![
        "jicha",
        "--db",
        db.to_str().unwrap(),
        "--today",
        "2026-11-02",
        "--operator",
        "admin1",
        "--lang",
        lang,
    ];
    full.extend(args);
    let (code, out, err) = run_in_process(full);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[test]
fn thresholds_show_prints_the_description_in_the_language_chosen() {
    let (_dir, ds) = common::fixture();
    let db = ds.path.clone();
    drop(ds);
    let surge = &specs()["surge_ratio"];

    let (code, zh, err) = run(&db, "zh", &["thresholds", "show"]);
    assert_eq!(code, 0, "{err}");
    assert!(zh.contains(&surge.about_zh), "{zh}");
    assert!(
        zh.contains("电量（或电费）高于平均值 × 此倍数即为突增"),
        "{zh}"
    );
    assert!(!zh.contains(&surge.about), "{zh}");

    let (code, en, err) = run(&db, "en", &["thresholds", "show"]);
    assert_eq!(code, 0, "{err}");
    assert!(en.contains(&surge.about), "{en}");
    assert!(!en.contains(&surge.about_zh), "{en}");

    // Machines read `about` in English and `about_zh` beside it, whatever the language.
    let (_, json_zh, _) = run(&db, "zh", &["thresholds", "show", "--format", "json"]);
    let (_, json_en, _) = run(&db, "en", &["thresholds", "show", "--format", "json"]);
    assert_eq!(json_zh, json_en);
    let list: serde_json::Value = serde_json::from_str(&json_zh).unwrap();
    let row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "surge_ratio")
        .unwrap();
    assert_eq!(row["about"], surge.about.as_str());
    assert_eq!(row["about_zh"], surge.about_zh.as_str());
}
