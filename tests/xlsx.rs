//! `--format xlsx --out FILE` read back with calamine: 户号 and 表号 are text cells (a 15-digit
//! 户号 and a 22-digit 表号 intact), amounts and rates numbers in 元 and % formats, dates
//! dates, a frozen bold header in the operator's language with an autofilter, and a sheet per
//! breakdown of the report. CSV written to a file starts with a UTF-8 BOM; to stdout it does
//! not unless asked.

mod common;

use calamine::{open_workbook, Data, Reader, Xlsx};
use std::io::Read;
use std::path::{Path, PathBuf};

const CUST: &str = "330100012345678";
const METER: &str = "3301000000000012345678";

/// The common fixture plus customer 330100012345678 with finding 6 on its 22-digit meter
/// (MTR rule, 1234.5 元 at stake), and ticket JC-20261102-001 for finding 2, overdue.
fn dataset() -> (tempfile::TempDir, PathBuf) {
    let (dir, mut ds) = common::fixture();
    ds.write(|tx| {
        tx.execute_batch(&format!(
            "INSERT INTO customers VALUES
               ('{CUST}','赵六工厂',NULL,'赵六','13800000009','commercial','COM','single',10,400,NULL,0,0,'城北供电所','拱墅区','2020-01-01','active',NULL,1,5);
             INSERT INTO findings(id, rule, cust_no, subject, status, severity, evidence, amount_yuan, first_seen, last_seen, first_scan, last_scan, status_date) VALUES
               (6,'MTR-02','{CUST}','{METER}','new','medium','meter overdue',1234.5,'2026-11-01','2026-11-01',1,1,'2026-11-01');"
        ))?;
        Ok(())
    })
    .unwrap();
    let path = ds.path.clone();
    drop(ds);
    (dir, path)
}

fn jicha(db: &Path, args: &[&str]) -> (u8, Vec<u8>, String) {
    jicha_on(db, "2026-11-02", args)
}

fn jicha_on(db: &Path, today: &str, args: &[&str]) -> (u8, Vec<u8>, String) {
    let mut all = vec!["jicha", "--db", db.to_str().unwrap(), "--today", today];
    all.extend_from_slice(args);
    let (code, out, err) = jicha::cli::run_in_process(all);
    (code, out, String::from_utf8_lossy(&err).into_owned())
}

fn ok(db: &Path, args: &[&str]) -> Vec<u8> {
    let (code, out, err) = jicha(db, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

fn book(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).unwrap()
}

/// The sheet's rows as calamine reads them.
fn rows(path: &Path, sheet: &str) -> Vec<Vec<Data>> {
    let range = book(path).worksheet_range(sheet).unwrap();
    range.rows().map(<[Data]>::to_vec).collect()
}

fn col(header: &[Data], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == &Data::String(name.into()))
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

/// The number format of the cell at (row, col), as calamine reads the styles.
fn number_format(path: &Path, sheet: &str, at: (u32, u32)) -> Option<String> {
    let styles = book(path).worksheet_style(sheet).unwrap();
    styles
        .get(at)
        .and_then(|s| s.number_format.as_ref())
        .map(|f| f.format_code.clone())
}

/// The XML of worksheet `n` (1-based), for what calamine does not expose.
fn sheet_xml(path: &Path, n: usize) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{n}.xml"))
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

#[test]
fn findings_keep_customer_and_meter_numbers_as_text_and_amounts_as_yuan() {
    let (d, db) = dataset();
    let out = d.path().join("findings.xlsx");
    let printed = ok(
        &db,
        &[
            "--lang",
            "zh",
            "findings",
            "--format",
            "xlsx",
            "--sort",
            "id",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(
        printed.is_empty(),
        "the workbook went to the file, not stdout"
    );
    let names = book(&out).sheet_names();
    assert_eq!(names, vec!["异常清单".to_string()]);
    let rows = rows(&out, "异常清单");
    let header = &rows[0];
    for h in [
        "编号",
        "规则",
        "户号",
        "对象（表号、账期…）",
        "状态",
        "涉及金额（元）",
        "依据",
    ] {
        col(header, h);
    }
    assert_eq!(rows.len(), 7, "a header and six findings");
    let last = &rows[6];
    assert_eq!(last[col(header, "户号")], Data::String(CUST.into()));
    assert_eq!(
        last[col(header, "对象（表号、账期…）")],
        Data::String(METER.into()),
        "all 22 digits of the 表号, as text"
    );
    assert_eq!(last[col(header, "编号")], Data::Float(6.0));
    assert_eq!(last[col(header, "涉及金额（元）")], Data::Float(1234.5));
    assert_eq!(last[col(header, "状态")], Data::String("新发现".into()));
    assert!(
        matches!(last[col(header, "首次发现")], Data::DateTime(_)),
        "{:?}",
        last[col(header, "首次发现")]
    );
    // A finding with no amount has an empty cell, not 0.
    assert_eq!(rows[1][col(header, "涉及金额（元）")], Data::Empty);
    let amount_col = col(header, "涉及金额（元）") as u32;
    let fmt = number_format(&out, "异常清单", (6, amount_col)).unwrap();
    assert!(fmt.contains('元') && fmt.contains("0.00"), "{fmt}");
    assert_eq!(
        number_format(&out, "异常清单", (6, col(header, "户号") as u32)).as_deref(),
        Some("@"),
        "户号 is formatted as text"
    );
    let xml = sheet_xml(&out, 1);
    assert!(xml.contains("<autoFilter ref=\"A1:Q7\""), "{xml}");
    assert!(
        xml.contains("ySplit=\"1\"") && xml.contains("state=\"frozen\""),
        "{xml}"
    );
}

#[test]
fn headers_are_english_under_en() {
    let (d, db) = dataset();
    let out = d.path().join("en.xlsx");
    ok(
        &db,
        &[
            "--lang",
            "en",
            "findings",
            "--format",
            "xlsx",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let rows = rows(&out, "Findings");
    col(&rows[0], "Customer no.");
    col(&rows[0], "Amount at stake (元)");
    assert!(rows[1..]
        .iter()
        .all(|r| r[col(&rows[0], "Status")] == Data::String("new".into())));
}

const REPORT_SHEETS: [&str; 6] = [
    "汇总指标",
    "营销关键指标",
    "按责任单位",
    "按规则",
    "单位排名",
    "超期工单",
];

#[test]
fn the_report_has_a_sheet_per_breakdown_with_rates_in_percent() {
    let (d, db) = dataset();
    let create = [
        "--operator",
        "admin1",
        "ticket",
        "create",
        "--findings",
        "2",
        "--requirement",
        "整改",
        "--due",
        "2026-11-01",
    ];
    if jicha::context::is_root() {
        let (code, _, err) = jicha_on(&db, "2026-10-20", &create);
        assert_eq!(code, 0, "{err}");
    }
    let out = d.path().join("report.xlsx");
    ok(
        &db,
        &[
            "--lang",
            "zh",
            "report",
            "--from",
            "2026-10-01",
            "--to",
            "2026-11-30",
            "--format",
            "xlsx",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(book(&out).sheet_names(), REPORT_SHEETS.map(String::from));
    let figures = rows(&out, "汇总指标");
    assert_eq!(
        figures[0],
        vec![Data::String("指标".into()), Data::String("数值".into())]
    );
    assert_eq!(
        figures[1][1],
        Data::String("2026-10-01 .. 2026-11-30".into())
    );
    let detected = figures
        .iter()
        .position(|r| r[0] == Data::String("监控业务异常主题数".into()))
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&ok(
        &db,
        &[
            "report",
            "--from",
            "2026-10-01",
            "--to",
            "2026-11-30",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    let want = json["themes_monitored"].as_f64().unwrap();
    assert!(want > 0.0);
    assert_eq!(
        figures[detected][1],
        Data::Float(want),
        "the figure as a number"
    );
    let rate = figures
        .iter()
        .position(|r| r[0] == Data::String("稽查异常问题发起率".into()))
        .unwrap();
    match &figures[rate][1] {
        Data::Float(r) => {
            assert_eq!(
                Some(*r),
                json["initiation_rate"].as_f64(),
                "a fraction shown as %"
            );
            let fmt = number_format(&out, "汇总指标", (rate as u32, 1)).unwrap();
            assert!(fmt.contains('%'), "{fmt}");
        }
        other => panic!("the rate is a number: {other:?}"),
    }
    let by_rule = rows(&out, "按规则");
    assert_eq!(by_rule[0][0], Data::String("规则".into()));
    assert!(by_rule
        .iter()
        .any(|r| r[0] == Data::String("MTR-02".into())));
    if jicha::context::is_root() {
        let overdue = rows(&out, "超期工单");
        assert_eq!(overdue.len(), 2, "{overdue:?}");
        assert_eq!(overdue[1][0], Data::String("JC-20261020-001".into()));
    }
}

#[test]
fn tickets_whitelist_quality_and_theme_write_workbooks() {
    let (d, db) = dataset();
    for (args, sheet, head) in [
        (vec!["ticket", "list"], "Tickets", "Ticket no."),
        (vec!["whitelist", "list"], "Whitelist", "Customer no."),
        (
            vec!["quality", "--period", "2026-11"],
            "Stations",
            "Composite score",
        ),
        (
            vec!["theme", "--category", "metering"],
            "Theme",
            "Amount at stake (元)",
        ),
    ] {
        let out = d.path().join(format!("{sheet}.xlsx"));
        let mut all = vec!["--lang", "en"];
        all.extend(args.iter().copied());
        all.extend(["--format", "xlsx", "--out", out.to_str().unwrap()]);
        ok(&db, &all);
        let rows = rows(&out, sheet);
        col(&rows[0], head);
        if sheet == "Theme" {
            let amount = col(&rows[0], head);
            assert!(
                rows[1..].iter().any(|r| r[amount] == Data::Float(1234.5)),
                "{rows:?}"
            );
        }
    }
}

#[test]
fn xlsx_is_never_half_written() {
    let (d, db) = dataset();
    // A failing command leaves the file it was to replace as it was, and nothing beside it.
    let out = d.path().join("keep.xlsx");
    std::fs::write(&out, b"before").unwrap();
    let (code, _, err) = jicha(
        &db,
        &[
            "findings",
            "--rule",
            "bad rule!",
            "--format",
            "xlsx",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_ne!(code, 0, "{err}");
    assert_eq!(std::fs::read(&out).unwrap(), b"before");
    let left: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // The drill-down's several tables have no one CSV: it says what to use instead.
    let (code, _, err) = jicha(
        &db,
        &[
            "quality",
            "drill",
            "--unit",
            "城北供电所",
            "--format",
            "csv",
        ],
    );
    assert_ne!(code, 0, "{err}");
    assert!(err.contains("xlsx"), "{err}");
}

#[test]
fn csv_to_a_file_starts_with_a_bom_and_to_stdout_does_not() {
    let (d, db) = dataset();
    let bom = "\u{feff}".as_bytes();
    let out = d.path().join("f.csv");
    let printed = ok(
        &db,
        &[
            "findings",
            "--format",
            "csv",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(printed.is_empty());
    let file = std::fs::read(&out).unwrap();
    assert!(file.starts_with(bom), "{:?}", &file[..8]);
    assert!(file[3..].starts_with(b"id,rule,cust_no"));
    let piped = ok(&db, &["findings", "--format", "csv"]);
    assert!(piped.starts_with(b"id,rule,cust_no"), "no BOM to a pipe");
    // Asked for, or turned off.
    assert!(ok(&db, &["findings", "--format", "csv", "--bom"]).starts_with(bom));
    ok(
        &db,
        &[
            "findings",
            "--format",
            "csv",
            "--bom=false",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(std::fs::read(&out).unwrap().starts_with(b"id,"));
    // --raw is for programs: no BOM unless asked, even to a file.
    ok(
        &db,
        &[
            "--raw",
            "findings",
            "--format",
            "csv",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(std::fs::read(&out).unwrap().starts_with(b"id,"));
    // Every CSV writer honours it.
    for args in [
        vec!["ticket", "list", "--format", "csv"],
        vec!["whitelist", "list", "--format", "csv"],
        vec![
            "report",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--format",
            "csv",
        ],
        vec!["theme", "--category", "billing", "--format", "csv"],
    ] {
        let mut all = args.clone();
        all.extend(["--out", out.to_str().unwrap()]);
        ok(&db, &all);
        assert!(std::fs::read(&out).unwrap().starts_with(bom), "{args:?}");
        assert!(!ok(&db, &args).starts_with(bom), "{args:?}");
    }
}
