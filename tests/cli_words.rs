//! The CLI's own words under `--lang zh` and `--lang en`: the import and scan summaries, table
//! headers and `show` labels; Chinese columns line up by display width.

mod common;
use jicha::cli::run_in_process;
use jicha::text::width;
use std::path::Path;

fn run(db: &Path, lang: &str, args: &[&str]) -> (u8, String, String) {
    let mut full = vec![
        "jicha",
        "--db",
        db.to_str().unwrap(),
        "--today",
        "2026-11-02",
    ];
    full.extend(["--operator", "admin1", "--lang", lang]);
    full.extend(args);
    let (code, out, err) = run_in_process(full);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

/// A small demo export, imported into a new dataset once in English and once in Chinese.
fn imported() -> (tempfile::TempDir, std::path::PathBuf, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    let opts = jicha::demo::DemoOptions {
        customers: 200,
        months: 8,
        seed: 3,
        end_period: "2026-10".into(),
    };
    jicha::demo::write_demo(&export, &opts, &mut jicha::progress::silent).unwrap();
    let db = dir.path().join("t.jicha");
    jicha::db::Dataset::create(&db, "admin1", "2026-01-01T00:00:00Z").unwrap();
    let (code, en, err) = run(&db, "en", &["import", export.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (code, zh, err) = run(&db, "zh", &["import", export.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    (dir, db, en, zh)
}

#[test]
fn import_and_scan_summaries_in_both_languages() {
    let (_dir, db, en, zh) = imported();
    assert!(en.starts_with("import 1 from "), "{en}");
    assert!(
        en.contains(
            "  customers.csv                 200 rows         200 new           0 updated\n"
        ),
        "{en}"
    );
    assert!(zh.starts_with("第 2 次导入，来源 "), "{zh}");
    assert!(
        zh.contains("  customers.csv                 200 行  新增          0  更新          0\n"),
        "{zh}"
    );
    assert!(!zh.contains("rows") && !zh.contains("updated"), "{zh}");

    let (code, en, err) = run(&db, "en", &["scan", "--as-of", "2026-11-02"]);
    assert_eq!(code, 0, "{err}");
    let en_lines: Vec<&str> = en.lines().collect();
    assert!(
        en_lines[0].starts_with("scan 1 as of 2026-11-02 (business date 2026-11-02)"),
        "{en}"
    );
    // A first scan is a full one: the line says so, then the table.
    assert_eq!(en_lines[1], "full scan: all 200 customers judged", "{en}");
    assert_eq!(
        en_lines[2],
        "rule                         hits      new    again  cleared reopened suppressed"
    );
    assert!(en_lines.iter().any(|l| l.starts_with("total ")), "{en}");
    assert!(
        en_lines.last().unwrap().contains(" hits: ") && en.contains(" again ("),
        "{en}"
    );

    let (code, zh, err) = run(&db, "zh", &["scan", "--as-of", "2026-11-02"]);
    assert_eq!(code, 0, "{err}");
    let zh_lines: Vec<&str> = zh.lines().collect();
    assert_eq!(
        zh_lines[0],
        "第 2 次扫描，数据日期 2026-11-02（业务日期 2026-11-02）"
    );
    // The second scan after an unchanged export is incremental and says so.
    assert!(zh_lines[1].starts_with("增量扫描："), "{zh}");
    assert!(
        zh_lines[2].starts_with("规则 ") && zh_lines[2].contains("新发现"),
        "{zh}"
    );
    assert!(zh_lines.iter().any(|l| l.starts_with("合计 ")), "{zh}");
    assert!(zh_lines.last().unwrap().starts_with("命中 "), "{zh}");
    // Header, rule rows and the total row: every column ends in the same terminal column.
    let table = &zh_lines[2..zh_lines.len() - 1];
    let widths: Vec<usize> = table.iter().map(|l| width(l)).collect();
    assert!(widths.iter().all(|w| *w == widths[0]), "{widths:?}\n{zh}");
    let en_widths: Vec<usize> = en_lines[2..en_lines.len() - 1]
        .iter()
        .map(|l| width(l))
        .collect();
    assert_eq!(widths[0], en_widths[0], "same layout in both languages");
    for l in table {
        assert!(!l.contains("hits") && !l.contains("total"), "{l}");
    }
}

#[test]
fn table_headers_and_show_labels_follow_the_language() {
    let (_dir, ds) = common::fixture();
    let db = ds.path.clone();
    drop(ds);
    let (_, en, _) = run(&db, "en", &["findings"]);
    assert!(
        en.starts_with("id      rule     cust_no         name"),
        "{en}"
    );
    assert!(en.trim_end().ends_with("(5 findings)"), "{en}");
    let (_, zh, _) = run(&db, "zh", &["findings"]);
    let header = zh.lines().next().unwrap();
    for word in ["编号", "规则", "户号", "户名", "状态", "严重度", "依据"] {
        assert!(header.contains(word), "{header}");
    }
    assert!(zh.contains("新发现") && zh.contains(" 高 "), "{zh}");
    assert!(zh.trim_end().ends_with("（共 5 条异常）"), "{zh}");
    // The header's columns start where the rows' do (display width, not bytes or chars).
    let row = zh.lines().nth(1).unwrap();
    let col_of = |line: &str, needle: &str| width(&line[..line.find(needle).unwrap()]);
    let fields: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        col_of(header, "规则"),
        col_of(row, fields[1]),
        "{header}\n{row}"
    );
    assert_eq!(
        col_of(header, "户号"),
        col_of(row, fields[2]),
        "{header}\n{row}"
    );
    assert_eq!(
        col_of(header, "户名"),
        col_of(row, fields[3]),
        "{header}\n{row}"
    );

    let (_, en, _) = run(&db, "en", &["finding", "show", "1"]);
    assert!(
        en.contains("\n  status:   new\n") && en.contains("\n  evidence: "),
        "{en}"
    );
    let (_, zh, _) = run(&db, "zh", &["finding", "show", "1"]);
    assert!(zh.starts_with("异常 1  ARC-04 "), "{zh}");
    assert!(
        zh.contains("\n  状态：     新发现\n") && zh.contains("\n  依据：     "),
        "{zh}"
    );
    assert!(!zh.contains("status:") && !zh.contains("checks:"), "{zh}");

    let (_, zh, _) = run(&db, "zh", &["thresholds", "show"]);
    assert!(zh.starts_with("参数 "), "{zh}");
    let (_, zh, _) = run(&db, "zh", &["operator", "list"]);
    assert!(zh.starts_with("登录名") && zh.contains("管理员"), "{zh}");
    // Machines read the same keys and values whatever the language.
    let (_, csv_zh, _) = run(&db, "zh", &["findings", "--format", "csv"]);
    let (_, csv_en, _) = run(&db, "en", &["findings", "--format", "csv"]);
    assert_eq!(csv_zh, csv_en);
}

#[test]
fn log_verify_speaks_the_language() {
    let (_dir, ds) = common::fixture();
    let db = ds.path.clone();
    drop(ds);
    assert_eq!(
        run(&db, "en", &["thresholds", "set", "surge_ratio", "2.5"]).0,
        0
    );
    let (code, en, err) = run(&db, "en", &["log", "verify"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        en.contains("action log verified: 1 records, chain intact"),
        "{en}"
    );
    let (code, zh, err) = run(&db, "zh", &["log", "verify"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        zh.contains("操作日志校验通过：共 1 条记录，哈希链完整"),
        "{zh}"
    );
    assert!(zh.contains("数据状态校验通过："), "{zh}");
}
