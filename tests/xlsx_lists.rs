//! `--format xlsx --out FILE` on the summaries and record lists (scan, import, log,
//! thresholds show, operator list) and on the quality entries, trend, drill-down and
//! indicator list, read back with calamine: sheet names and headers in both languages, cell
//! types (numbers as numbers, dates as dates, identifiers as text), the 元 and % formats, a
//! frozen header with an autofilter, and the 22-digit 表号 intact where the listing has one.

mod common;

use calamine::{open_workbook, Data, Reader, Xlsx};
use jicha::context::Role;
use jicha::quality::actions::{perform, QualityAction};
use std::io::Read;
use std::path::{Path, PathBuf};

const CUST: &str = "330100012345678";
const METER: &str = "3301000000000012345678";
const STATION: &str = "城北供电所";

/// The common fixture plus customer 330100012345678 (城北供电所) with finding 6 on its
/// 22-digit meter (1234.5 元 at stake), and a bonus entry of 2.5 points for 城北供电所.
fn dataset() -> (tempfile::TempDir, PathBuf) {
    let (dir, mut ds) = common::fixture();
    ds.write(|tx| {
        tx.execute_batch(&format!(
            "INSERT INTO customers VALUES
               ('{CUST}','赵六工厂',NULL,'赵六','13800000009','commercial','COM','single',10,400,NULL,0,0,'{STATION}','拱墅区','2020-01-01','active',NULL,1,5);
             INSERT INTO findings(id, rule, cust_no, subject, status, severity, evidence, amount_yuan, first_seen, last_seen, first_scan, last_scan, status_date) VALUES
               (6,'MTR-02','{CUST}','{METER}','new','medium','meter overdue',1234.5,'2026-11-01','2026-11-01',1,1,'2026-11-01');"
        ))?;
        Ok(())
    })
    .unwrap();
    // Whoever runs the test scans and imports as themselves: make them an admin.
    ds.conn
        .execute(
            "INSERT OR IGNORE INTO operators(login, role, added_at, added_by) VALUES (?1, 'admin', 't', 't')",
            [jicha::context::os_login()],
        )
        .unwrap();
    let ctx = common::ctx("admin1", Role::Admin, "2026-11-02");
    perform(
        &mut ds,
        &ctx,
        &QualityAction::Bonus {
            unit: STATION.into(),
            points: 2.5,
            reason: "表扬 praise".into(),
            date: Some(common::day("2026-11-02")),
        },
    )
    .unwrap();
    let path = ds.path.clone();
    drop(ds);
    (dir, path)
}

fn jicha(db: &Path, args: &[&str]) -> (u8, Vec<u8>, String) {
    let mut all = vec![
        "jicha",
        "--db",
        db.to_str().unwrap(),
        "--today",
        "2026-11-02",
    ];
    all.extend_from_slice(args);
    let (code, out, err) = jicha::cli::run_in_process(all);
    (code, out, String::from_utf8_lossy(&err).into_owned())
}

/// Runs `args` in `lang` with `--format xlsx --out DIR/NAME` and returns the workbook's path.
fn workbook(dir: &Path, db: &Path, lang: &str, args: &[&str]) -> PathBuf {
    let out = dir.join(format!("{}-{lang}.xlsx", args.join("_").replace('/', "-")));
    let mut all = vec!["--lang", lang];
    all.extend_from_slice(args);
    all.extend(["--format", "xlsx", "--out", out.to_str().unwrap()]);
    let (code, printed, err) = jicha(db, &all);
    assert_eq!(code, 0, "{all:?}: {err}");
    assert!(printed.is_empty(), "{all:?}: the workbook went to the file");
    out
}

fn book(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).unwrap()
}

fn rows(path: &Path, sheet: &str) -> Vec<Vec<Data>> {
    let range = book(path)
        .worksheet_range(sheet)
        .unwrap_or_else(|e| panic!("{sheet} in {}: {e}", path.display()));
    range.rows().map(<[Data]>::to_vec).collect()
}

fn col(header: &[Data], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == &Data::String(name.into()))
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

/// The cell under header `name` in the first data row whose `key` column holds `value`.
fn cell<'a>(rows: &'a [Vec<Data>], key: &str, value: &Data, name: &str) -> &'a Data {
    let (k, c) = (col(&rows[0], key), col(&rows[0], name));
    let row = rows[1..]
        .iter()
        .find(|r| &r[k] == value)
        .unwrap_or_else(|| panic!("no row with {key} = {value:?} in {rows:?}"));
    &row[c]
}

fn number_format(path: &Path, sheet: &str, at: (u32, u32)) -> Option<String> {
    let styles = book(path).worksheet_style(sheet).unwrap();
    styles
        .get(at)
        .and_then(|s| s.number_format.as_ref())
        .map(|f| f.format_code.clone())
}

/// The XML of worksheet `n` (1-based), for the frozen pane and the autofilter.
fn sheet_xml(path: &Path, n: usize) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{n}.xml"))
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn assert_frozen_and_filtered(path: &Path, n: usize) {
    let xml = sheet_xml(path, n);
    assert!(xml.contains("<autoFilter ref=\"A1:"), "{xml}");
    assert!(
        xml.contains("ySplit=\"1\"") && xml.contains("state=\"frozen\""),
        "{xml}"
    );
}

fn s(v: &str) -> Data {
    Data::String(v.into())
}

/// Arguments, sheets under en, under zh, a header of the first sheet in en, in zh.
type Case<'a> = (
    &'a [&'a str],
    &'a [&'a str],
    &'a [&'a str],
    &'a str,
    &'a str,
);

#[test]
fn every_listing_writes_a_workbook_with_headers_in_both_languages() {
    let (d, db) = dataset();
    let cases: [Case; 8] = [
        (
            &["log", "--all"],
            &["Action log"],
            &["操作日志"],
            "Hash",
            "哈希",
        ),
        (
            &["thresholds", "show"],
            &["Thresholds"],
            &["阀值"],
            "Parameter",
            "参数",
        ),
        (
            &["operator", "list"],
            &["Operators"],
            &["操作员"],
            "Login",
            "登录名",
        ),
        (
            &["quality", "entries", "--period", "2026-11"],
            &["Deductions and bonuses"],
            &["扣分与加分"],
            "Points",
            "分数",
        ),
        (
            &["quality", "trend", "--unit", STATION, "--period", "2026-11"],
            &["Trend"],
            &["趋势"],
            "Composite score",
            "综合得分",
        ),
        (
            &["quality", "drill", "--unit", STATION, "--period", "2026-11"],
            &[
                "Score",
                "Indicators",
                "Deductions and bonuses",
                "Tickets",
                "Findings",
            ],
            &["得分", "指标", "扣分与加分", "稽查工单", "异常清单"],
            "Composite score",
            "综合得分",
        ),
        (
            &["quality", "indicator", "list"],
            &["Indicators"],
            &["指标"],
            "Full-mark value",
            "满分值",
        ),
        // Last: the scan reconciles the fixture's findings.
        (
            &["scan", "--as-of", "2026-11-02"],
            &["Figures", "Hits by rule"],
            &["汇总指标", "按规则命中"],
            "Figure",
            "指标",
        ),
    ];
    for (args, en_sheets, zh_sheets, en_head, zh_head) in cases {
        for (lang, sheets, head) in [("en", en_sheets, en_head), ("zh", zh_sheets, zh_head)] {
            let path = workbook(d.path(), &db, lang, args);
            assert_eq!(
                book(&path).sheet_names(),
                sheets.to_vec(),
                "{args:?} {lang}"
            );
            col(&rows(&path, sheets[0])[0], head);
            for n in 1..=sheets.len() {
                assert_frozen_and_filtered(&path, n);
            }
        }
    }
}

#[test]
fn the_drill_down_keeps_the_22_digit_meter_and_types_its_cells() {
    let (d, db) = dataset();
    let args = ["quality", "drill", "--unit", STATION, "--period", "2026-11"];
    let path = workbook(d.path(), &db, "zh", &args);
    let findings = rows(&path, "异常清单");
    let id = Data::Float(6.0);
    assert_eq!(cell(&findings, "编号", &id, "户号"), &s(CUST));
    assert_eq!(
        cell(&findings, "编号", &id, "对象（表号、账期…）"),
        &s(METER),
        "all 22 digits of the 表号, as text"
    );
    assert_eq!(
        cell(&findings, "编号", &id, "涉及金额（元）"),
        &Data::Float(1234.5)
    );
    assert_eq!(cell(&findings, "编号", &id, "状态"), &s("新发现"));
    assert!(matches!(
        cell(&findings, "编号", &id, "首次发现"),
        Data::DateTime(_)
    ));
    let at = findings.iter().position(|r| r[0] == id).unwrap() as u32;
    let amount = col(&findings[0], "涉及金额（元）") as u32;
    let fmt = number_format(&path, "异常清单", (at, amount)).unwrap();
    assert!(fmt.contains('元'), "{fmt}");
    let subject = col(&findings[0], "对象（表号、账期…）") as u32;
    assert_eq!(
        number_format(&path, "异常清单", (at, subject)).as_deref(),
        Some("@")
    );
    // The score: one row for the unit, numbers as numbers.
    let score = rows(&path, "得分");
    assert_eq!(score.len(), 2, "{score:?}");
    assert_eq!(
        cell(&score, "责任单位", &s(STATION), "奖励加分"),
        &Data::Float(2.5)
    );
    // The entries, with their kind in Chinese.
    let entries = rows(&path, "扣分与加分");
    assert_eq!(
        cell(&entries, "责任单位", &s(STATION), "类型"),
        &s("奖励加分")
    );
    // A rate indicator's value: a fraction in a % format, or `—` with no denominator.
    let indicators = rows(&path, "指标");
    let source = col(&indicators[0], "数据来源");
    let value = col(&indicators[0], "数值");
    let rates: Vec<usize> = (1..indicators.len())
        .filter(|&r| indicators[r][source] == s("completion_rate"))
        .collect();
    assert!(!rates.is_empty(), "{indicators:?}");
    for r in rates {
        match &indicators[r][value] {
            Data::Float(_) => {
                let fmt = number_format(&path, "指标", (r as u32, value as u32)).unwrap();
                assert!(fmt.contains('%'), "{fmt}");
            }
            other => assert_eq!(other, &s("—"), "no tickets issued: no rate"),
        }
    }
}

#[test]
fn entries_and_trend_cells_are_typed() {
    let (d, db) = dataset();
    let path = workbook(
        d.path(),
        &db,
        "en",
        &["quality", "entries", "--period", "2026-11"],
    );
    let rows_ = rows(&path, "Deductions and bonuses");
    assert_eq!(rows_.len(), 2, "{rows_:?}");
    let unit = s(STATION);
    assert_eq!(cell(&rows_, "Responsible unit", &unit, "Kind"), &s("bonus"));
    assert_eq!(
        cell(&rows_, "Responsible unit", &unit, "Points"),
        &Data::Float(2.5)
    );
    assert!(matches!(
        cell(&rows_, "Responsible unit", &unit, "Date"),
        Data::DateTime(_)
    ));
    assert_eq!(
        cell(&rows_, "Responsible unit", &unit, "Reason"),
        &s("表扬 praise")
    );

    let args = [
        "quality",
        "trend",
        "--unit",
        STATION,
        "--period",
        "2026-11",
        "--periods",
        "3",
    ];
    let path = workbook(d.path(), &db, "en", &args);
    let trend = rows(&path, "Trend");
    let periods: Vec<&Data> = trend[1..]
        .iter()
        .map(|r| &r[col(&trend[0], "Period")])
        .collect();
    assert_eq!(periods, [&s("2026-09"), &s("2026-10"), &s("2026-11")]);
    let nov = s("2026-11");
    assert_eq!(cell(&trend, "Period", &nov, "Bonus"), &Data::Float(2.5));
    assert!(matches!(cell(&trend, "Period", &nov, "Rank"), Data::Float(r) if *r >= 1.0));
}

#[test]
fn the_log_sheet_holds_every_field_as_stored_and_hashed() {
    let (d, db) = dataset();
    let path = workbook(d.path(), &db, "en", &["log", "--all"]);
    let sheet = rows(&path, "Action log");
    let (code, json, err) = jicha(&db, &["log", "--all", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let json: Vec<serde_json::Value> = serde_json::from_slice(&json).unwrap();
    assert_eq!(sheet.len(), json.len() + 1, "a header and every record");
    assert!(!json.is_empty());
    for (row, rec) in sheet[1..].iter().zip(&json) {
        let field = |name: &str| &row[col(&sheet[0], name)];
        assert_eq!(field("Seq."), &Data::Float(rec["seq"].as_f64().unwrap()));
        for (head, key) in [
            ("Time (UTC)", "at_utc"),
            ("Business date", "business_date"),
            ("Action", "action"),
            ("Target", "target"),
            ("Details", "details"),
            ("Previous hash", "prev_hash"),
            ("Hash", "hash"),
        ] {
            let want = rec[key].as_str().unwrap();
            if want.is_empty() {
                assert_eq!(field(head), &Data::Empty, "{key}");
            } else {
                assert_eq!(field(head), &s(want), "{key}: text, exactly as stored");
            }
        }
    }
    assert!(
        json.iter().any(|r| r["action"] == "quality.bonus"),
        "{json:?}"
    );
}

#[test]
fn thresholds_are_numbers_where_they_are_numbers_and_roles_are_translated() {
    let (d, db) = dataset();
    let path = workbook(d.path(), &db, "zh", &["thresholds", "show"]);
    let sheet = rows(&path, "阀值");
    let (code, json, err) = jicha(&db, &["thresholds", "show", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let json: Vec<serde_json::Value> = serde_json::from_slice(&json).unwrap();
    assert_eq!(sheet.len(), json.len() + 1);
    let numeric = json
        .iter()
        .find(|t| {
            t["value"]
                .as_str()
                .is_some_and(|v| v.parse::<f64>().is_ok())
        })
        .expect("a numeric parameter");
    let name = s(numeric["name"].as_str().unwrap());
    let want: f64 = numeric["value"].as_str().unwrap().parse().unwrap();
    assert_eq!(cell(&sheet, "参数", &name, "数值"), &Data::Float(want));
    assert!(matches!(
        cell(&sheet, "参数", &name, "默认值"),
        Data::Float(_)
    ));

    for (lang, sheet, login, role, admin) in [
        ("zh", "操作员", "登录名", "角色", "管理员"),
        ("en", "Operators", "Login", "Role", "admin"),
    ] {
        let path = workbook(d.path(), &db, lang, &["operator", "list"]);
        let ops = rows(&path, sheet);
        assert_eq!(cell(&ops, login, &s("admin1"), role), &s(admin), "{lang}");
    }
}

#[test]
fn scan_and_import_summaries_as_workbooks() {
    let (d, db) = dataset();
    let export = d.path().join("export");
    let opts = jicha::demo::DemoOptions {
        customers: 60,
        months: 8,
        seed: 5,
        end_period: "2026-10".into(),
    };
    jicha::demo::write_demo(&export, &opts, &mut jicha::progress::silent).unwrap();
    // The fixture's own customers (城关供电所, 城北供电所) are not in the demo's organisation,
    // which would then apply to them too (data-contract.md, units.csv): import without it.
    std::fs::remove_file(export.join("units.csv")).unwrap();
    let path = workbook(d.path(), &db, "zh", &["import", export.to_str().unwrap()]);
    assert_eq!(
        book(&path).sheet_names(),
        ["汇总指标", "导入文件", "警告"].map(String::from)
    );
    let files = rows(&path, "导入文件");
    assert_eq!(
        cell(&files, "文件", &s("customers.csv"), "读取行数"),
        &Data::Float(60.0)
    );
    let figures = rows(&path, "汇总指标");
    assert_eq!(figures[0], vec![s("指标"), s("数值")]);
    assert_eq!(
        cell(&figures, "指标", &s("导入批次"), "数值"),
        &Data::Float(1.0)
    );

    let path = workbook(d.path(), &db, "en", &["scan", "--as-of", "2026-11-02"]);
    let (code, json, err) = jicha(&db, &["scan", "--as-of", "2026-11-02", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let figures = rows(&path, "Figures");
    assert!(matches!(
        cell(&figures, "Figure", &s("Data as of"), "Value"),
        Data::DateTime(_)
    ));
    let by_rule = rows(&path, "Hits by rule");
    let total = json["totals"]["hits"].as_f64().expect("totals.hits");
    assert!(total > 0.0, "the demo export plants hits");
    assert_eq!(
        cell(&by_rule, "Rule", &s("total"), "Hits"),
        &Data::Float(total)
    );
    assert_eq!(
        by_rule.len(),
        json["per_rule"].as_array().unwrap().len() + 2
    );

    // Under zh the total row is 合计 and the headers are Chinese.
    let path = workbook(d.path(), &db, "zh", &["scan", "--as-of", "2026-11-02"]);
    let by_rule = rows(&path, "按规则命中");
    assert!(matches!(
        cell(&by_rule, "规则", &s("合计"), "命中数"),
        Data::Float(_)
    ));
}

#[test]
fn csv_of_the_record_lists_to_a_file_starts_with_a_bom() {
    let (d, db) = dataset();
    let out = d.path().join("t.csv");
    for args in [
        vec!["thresholds", "show"],
        vec!["operator", "list"],
        vec!["log", "--all"],
    ] {
        let mut all = args.clone();
        all.extend(["--format", "csv", "--out", out.to_str().unwrap()]);
        let (code, _, err) = jicha(&db, &all);
        assert_eq!(code, 0, "{err}");
        let file = std::fs::read(&out).unwrap();
        assert!(file.starts_with("\u{feff}".as_bytes()), "{args:?}");
    }
}
