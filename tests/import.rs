//! `import_dir` against real files in temporary directories: the data contract's format rules,
//! every error kind with its exact `file:line: column:` text, all-or-nothing, upsert, the log.

use chrono::NaiveDate;
use jicha::actionlog;
use jicha::context::{Ctx, Lang, Role};
use jicha::db::Dataset;
use jicha::import::{import_dir, ImportSummary};
use jicha::progress::{self, Progress};
use jicha::JichaError;
use std::ops::ControlFlow;
use std::path::Path;
use tempfile::TempDir;

// ---- fixtures -------------------------------------------------------------------------------

const CUSTOMERS_H: &str = "cust_no,name,address,contact,phone,category,price_code,billing_mode,voltage_kv,capacity_kva,pf_standard,hslm,temporary,station,district,opened_on,status,closed_on";
const METERS_H: &str =
    "meter_no,cust_no,model,ct_ratio,pt_ratio,multiplier,installed_on,verified_on";
const BILLS_H: &str =
    "cust_no,period,read_on,prev_reading,curr_reading,multiplier,kwh,loss_kwh,amount,paid";
const SUSPENSIONS_H: &str = "cust_no,kind,start_on,end_on,capacity_kva";
const CONTRACTS_H: &str = "contract_no,cust_no,signed_on,expires_on";
const APPLICATIONS_H: &str = "app_no,cust_no,kind,accepted_on,completed_on,limit_days";
const FINDINGS_H: &str = "source,rule_code,rule_name,cust_no,subject,detected_on,severity,evidence";

/// A valid customer row on one physical line.
fn customer(no: &str, name: &str) -> String {
    format!("{no},{name},杭州市西湖区文三路1号,李四,13800000000,commercial,COM,single,0.38,50,0.90,0,0,城西供电所,西湖区,2020-01-05,active,")
}

fn bill(cust: &str, period: &str, amount: &str) -> String {
    format!("{cust},{period},2026-02-25,100,200,1,100,0,{amount},{amount}")
}

/// Writes `name` in `dir` with `rows` under `header`, lines ended by `eol`.
fn write(dir: &Path, name: &str, header: &str, rows: &[String], eol: &str) {
    let mut s = String::from(header);
    s.push_str(eol);
    for r in rows {
        s.push_str(r);
        s.push_str(eol);
    }
    std::fs::write(dir.join(name), s).unwrap();
}

fn customers(dir: &Path, nos: &[&str]) {
    let rows: Vec<String> = nos.iter().map(|n| customer(n, "张三商店")).collect();
    write(dir, "customers.csv", CUSTOMERS_H, &rows, "\n");
}

struct Env {
    _tmp: TempDir,
    ds: Dataset,
    ctx: Ctx,
    export: std::path::PathBuf,
}

fn env() -> Env {
    let tmp = TempDir::new().unwrap();
    let ds = Dataset::create(
        &tmp.path().join("d.jicha"),
        "tester",
        "2026-01-01T00:00:00Z",
    )
    .unwrap();
    let export = tmp.path().join("export");
    std::fs::create_dir(&export).unwrap();
    Env {
        _tmp: tmp,
        ds,
        ctx: Ctx {
            unit: None,
            operator: "tester".into(),
            role: Role::Admin,
            today: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            lang: Lang::En,
        },
        export,
    }
}

impl Env {
    fn import(&mut self) -> Result<ImportSummary, JichaError> {
        import_dir(&mut self.ds, &self.ctx, &self.export, &mut progress::silent)
    }

    fn errors(&mut self) -> Vec<String> {
        match self.import() {
            Err(JichaError::Import(lines)) => lines,
            other => panic!("expected import errors, got {other:?}"),
        }
    }

    fn count(&self, table: &str) -> i64 {
        self.ds
            .conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    fn text(&self, sql: &str) -> Option<String> {
        self.ds.conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    fn real(&self, sql: &str) -> f64 {
        self.ds.conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    /// Row counts of every imported table plus imports and the log: "was anything written?".
    fn snapshot(&self) -> Vec<i64> {
        [
            "customers",
            "meters",
            "bills",
            "suspensions",
            "contracts",
            "applications",
            "external_findings",
            "imports",
            "action_log",
        ]
        .iter()
        .map(|t| self.count(t))
        .collect()
    }
}

/// A full export: every file, Chinese text, quoted commas, quotes and newlines.
fn full_export(dir: &Path) {
    write(
        dir,
        "customers.csv",
        CUSTOMERS_H,
        &[
            customer("3301000001", "张三商店"),
            "3301000002,\"杭州\"\"东方\"\"纺织, 有限公司\",\"余杭区\n临平街道 88号\",王五,,large_industry,IND,two_part,10,800,,1,0,临平供电所,余杭区,2019-06-30,closed,2025-12-31".into(),
            "3301000003,李家村排灌站,,,,agriculture,AGR,single,0.38,30,,0,1,城西供电所,西湖区,2024-04-01,active,".into(),
        ],
        "\n",
    );
    write(
        dir,
        "meters.csv",
        METERS_H,
        &[
            "M0001,3301000001,DTZY666,1,1,1,2020-01-05,2019-12-20".into(),
            "M0002,3301000002,DSZY188,40,100,4000,2019-06-30,".into(),
        ],
        "\n",
    );
    write(
        dir,
        "bills.csv",
        BILLS_H,
        &[
            bill("3301000001", "2026-01", "812.50"),
            bill("3301000001", "2026-02", "-20.5"),
            bill("3301000002", "2026-01", "150000"),
        ],
        "\n",
    );
    write(
        dir,
        "suspensions.csv",
        SUSPENSIONS_H,
        &["3301000002,reduce,2025-03-01,2025-09-30,315".into()],
        "\n",
    );
    write(
        dir,
        "contracts.csv",
        CONTRACTS_H,
        &["HT-2020-001,3301000001,2020-01-05,2025-01-04".into()],
        "\n",
    );
    write(
        dir,
        "applications.csv",
        APPLICATIONS_H,
        &[
            "YK001,,new,2026-02-01,,15".into(),
            "YK002,3301000001,increase,2025-11-01,2025-11-20,30".into(),
        ],
        "\n",
    );
    write(
        dir,
        "external_findings.csv",
        FINDINGS_H,
        &[
            "采集系统,CJ-07,失压,3301000002,M0002,2026-02-10,high,\"A相失压, 持续 3 天\"".into(),
            "95598,KF-01,客户投诉,3301000001,,2026-02-11,low,".into(),
        ],
        "\n",
    );
}

// ---- a good import --------------------------------------------------------------------------

#[test]
fn good_import_of_every_file() {
    let mut e = env();
    full_export(&e.export);
    let s = e.import().unwrap();

    let rows: Vec<(&str, u64, u64, u64)> = s
        .files
        .iter()
        .map(|f| (f.file.as_str(), f.rows, f.inserted, f.updated))
        .collect();
    assert_eq!(
        rows,
        [
            ("customers.csv", 3, 3, 0),
            ("meters.csv", 2, 2, 0),
            ("bills.csv", 3, 3, 0),
            ("suspensions.csv", 1, 1, 0),
            ("contracts.csv", 1, 1, 0),
            ("applications.csv", 2, 2, 0),
            ("external_findings.csv", 2, 2, 0),
        ]
    );
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);

    // Quoted commas, doubled quotes and newlines arrive as given.
    assert_eq!(
        e.text("SELECT name FROM customers WHERE cust_no = '3301000002'")
            .unwrap(),
        "杭州\"东方\"纺织, 有限公司"
    );
    assert_eq!(
        e.text("SELECT address FROM customers WHERE cust_no = '3301000002'")
            .unwrap(),
        "余杭区\n临平街道 88号"
    );
    // Empty optional fields are NULL; the contract's special cases hold.
    assert_eq!(
        e.text("SELECT phone FROM customers WHERE cust_no = '3301000002'"),
        None
    );
    assert_eq!(
        e.text("SELECT CAST(pf_standard AS TEXT) FROM customers WHERE cust_no = '3301000002'"),
        None
    );
    assert_eq!(
        e.text("SELECT closed_on FROM customers WHERE cust_no = '3301000002'")
            .unwrap(),
        "2025-12-31"
    );
    assert_eq!(
        e.text("SELECT cust_no FROM applications WHERE app_no = 'YK001'"),
        None
    );
    assert_eq!(
        e.text("SELECT subject FROM external_findings WHERE source = '95598'")
            .unwrap(),
        "-"
    );
    assert_eq!(
        e.text("SELECT evidence FROM external_findings WHERE rule_code = 'CJ-07'")
            .unwrap(),
        "A相失压, 持续 3 天"
    );
    assert_eq!(
        e.real("SELECT amount FROM bills WHERE cust_no = '3301000001' AND period = '2026-02'"),
        -20.5
    );
    assert_eq!(
        e.real("SELECT pt_ratio FROM meters WHERE meter_no = 'M0002'"),
        100.0
    );
    let hslm: i64 =
        e.ds.conn
            .query_row(
                "SELECT hslm FROM customers WHERE cust_no = '3301000002'",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(hslm, 1);
    // src_line is the physical line: customer 3 follows a two-line record.
    let line: i64 =
        e.ds.conn
            .query_row(
                "SELECT src_line FROM customers WHERE cust_no = '3301000003'",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(line, 5);
    let import_ids: i64 =
        e.ds.conn
            .query_row(
                "SELECT count(DISTINCT import_id) FROM bills WHERE import_id = ?1",
                [s.import_id],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(import_ids, 1);

    let shown = s.to_string();
    assert!(
        shown.contains(&format!("import {} from", s.import_id)),
        "{shown}"
    );
    assert!(shown.contains("bills.csv"), "{shown}");
    assert_eq!(shown.lines().count(), 8, "{shown}");
}

#[test]
fn log_record_and_imports_row() {
    let mut e = env();
    full_export(&e.export);
    let s = e.import().unwrap();

    let (action, target, details): (String, String, String) =
        e.ds.conn
            .query_row(
                "SELECT action, target, details FROM action_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
    assert_eq!(action, "import");
    assert_eq!(target, format!("import:{}", s.import_id));
    let d: serde_json::Value = serde_json::from_str(&details).unwrap();
    assert_eq!(d["files"]["bills.csv"]["inserted"], 3);
    assert_eq!(d["files"]["customers.csv"]["rows"], 3);
    assert_eq!(d["warnings"], 0);
    assert_eq!(d["dir"], s.source_dir);

    let summary = e
        .text(&format!(
            "SELECT summary FROM imports WHERE id = {}",
            s.import_id
        ))
        .unwrap();
    let j: serde_json::Value = serde_json::from_str(&summary).unwrap();
    assert_eq!(j["files"]["meters.csv"]["rows"], 2);

    let v = actionlog::verify(&e.ds.conn).unwrap();
    assert!(v.first_broken.is_none(), "{:?}", v.first_broken);
    assert_eq!(v.records, 1);
}

// ---- format rules ---------------------------------------------------------------------------

#[test]
fn bom_reordered_columns_unknown_column_and_unknown_file() {
    let mut e = env();
    // Columns in another order, with a column the contract does not know, behind a BOM, CRLF.
    let header = "\u{feff}status,cust_no,备注,district,station,temporary,hslm,capacity_kva,voltage_kv,billing_mode,price_code,category,name,opened_on";
    let rows = vec![
        "active,3301000009,VIP,西湖区,城西供电所,0,1,630,10,two_part,IND,large_industry,某某机械厂,2021-07-01".to_string(),
    ];
    write(&e.export, "customers.csv", header, &rows, "\r\n");
    std::fs::write(e.export.join("readme.txt"), "hello").unwrap();
    std::fs::write(e.export.join("Bills.csv"), BILLS_H).unwrap();

    let s = e.import().unwrap();
    assert_eq!(
        s.warnings,
        [
            "Bills.csv: not a file of the data contract; ignored (names are case-sensitive: did you mean bills.csv?)",
            "readme.txt: not a file of the data contract; ignored",
            "customers.csv: column 备注 is not in the contract; ignored",
        ]
    );
    assert_eq!(
        e.text("SELECT status || '|' || name || '|' || station || '|' || capacity_kva || '|' || billing_mode FROM customers WHERE cust_no = '3301000009'")
            .unwrap(),
        "active|某某机械厂|城西供电所|630.0|two_part"
    );
    // Optional columns absent from the file are NULL.
    assert_eq!(
        e.text("SELECT address FROM customers WHERE cust_no = '3301000009'"),
        None
    );
    assert!(s.to_string().contains("3 warnings:"));
}

#[test]
fn missing_required_column() {
    let mut e = env();
    let header = CUSTOMERS_H.replace(",station", "");
    let row = customer("3301000001", "张三").replace(",城西供电所", "");
    write(&e.export, "customers.csv", &header, &[row], "\n");
    assert_eq!(
        e.errors(),
        ["customers.csv:1: column station: required column is missing"]
    );
    assert_eq!(e.count("customers"), 0);
}

#[test]
fn directory_without_customers() {
    let mut e = env();
    write(&e.export, "bills.csv", BILLS_H, &[], "\n");
    let lines = e.errors();
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].ends_with("customers.csv is missing; an export needs customers.csv (the other files are optional)"),
        "{lines:?}"
    );
}

#[test]
fn not_utf8() {
    let mut e = env();
    let mut bytes = format!("{CUSTOMERS_H}\n{}\n", customer("3301000001", "甲")).into_bytes();
    // "张三" in GBK, as a spreadsheet on a Chinese Windows would save it.
    let gbk_row = customer("3301000002", "NAME");
    let at = gbk_row.find("NAME").unwrap();
    bytes.extend_from_slice(&gbk_row.as_bytes()[..at]);
    bytes.extend_from_slice(&[0xD5, 0xC5, 0xC8, 0xFD]);
    bytes.extend_from_slice(&gbk_row.as_bytes()[at + 4..]);
    bytes.push(b'\n');
    std::fs::write(e.export.join("customers.csv"), bytes).unwrap();
    let lines = e.errors();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("customers.csv:3: name: not valid UTF-8 (byte 0xD5 after ``)"),
        "{lines:?}"
    );
}

// ---- every error kind, with exact text ------------------------------------------------------

#[test]
fn each_error_kind_with_exact_text() {
    let mut e = env();
    let bad_date = customer("3301000002", "乙").replace("2020-01-05", "2020-02-30");
    let bad_enum = customer("3301000003", "丙").replace("commercial", "Commercial");
    let empty_name = customer("3301000004", "");
    let bad_flag = customer("3301000005", "戊").replace(",0,0,", ",2,0,");
    write(
        &e.export,
        "customers.csv",
        CUSTOMERS_H,
        &[
            customer("3301000001", "甲"),
            bad_date,
            bad_enum,
            empty_name,
            bad_flag,
        ],
        "\n",
    );
    write(
        &e.export,
        "bills.csv",
        BILLS_H,
        &[
            bill("3301000001", "2026-01", "10"),
            bill("3301000001", "2026-1", "10"),
            bill("3301000001", "2026-02", "\"1,000\""),
            bill("3301000001", "2026-03", "NaN"),
            bill("3301000001", "2026-01", "11"),
            bill("3301000123", "2026-01", "10"),
            bill("3301000002", "2026-01", "10"),
            "3301000001,2026-04,2026-02-25,100,200,1,100,0,10".into(),
        ],
        "\n",
    );
    assert_eq!(
        e.errors(),
        [
            "customers.csv:3: opened_on: `2020-02-30` is not a date (write YYYY-MM-DD, e.g. 2026-03-01)",
            "customers.csv:4: category: `Commercial` is not one of `resident`, `commercial`, `large_industry`, `agriculture`",
            "customers.csv:5: name: required; the field is empty",
            "customers.csv:6: hslm: `2` is not 0 or 1",
            "bills.csv:3: period: `2026-1` is not a billing period (write YYYY-MM, e.g. 2026-03)",
            "bills.csv:4: amount: `1,000` is not a number (write digits with an optional `.` decimal point, no thousands separators, e.g. 1234.5)",
            "bills.csv:4: paid: `1,000` is not a number (write digits with an optional `.` decimal point, no thousands separators, e.g. 1234.5)",
            "bills.csv:5: amount: `NaN` is not a number (write digits with an optional `.` decimal point, no thousands separators, e.g. 1234.5)",
            "bills.csv:5: paid: `NaN` is not a number (write digits with an optional `.` decimal point, no thousands separators, e.g. 1234.5)",
            "bills.csv:6: cust_no, period: duplicate key 3301000001 / 2026-01: first on line 2, again on line 6",
            "bills.csv:7: cust_no: customer 3301000123 does not exist (not in customers.csv nor in the dataset)",
            "bills.csv:8: cust_no: customer 3301000002 is on customers.csv line 3, which has errors",
            "bills.csv:9: the row has 9 fields but the header has 10 (a missing comma or an unclosed quote?)",
        ]
    );
    assert_eq!(e.snapshot(), [0, 0, 0, 0, 0, 0, 0, 0, 0]);
}

#[test]
fn impossible_values() {
    let mut e = env();
    let neg_capacity = customer("3301000002", "乙").replace(",50,", ",-50,");
    let closed_before_open = customer("3301000003", "丙").replace("active,", "closed,2019-12-31");
    write(
        &e.export,
        "customers.csv",
        CUSTOMERS_H,
        &[
            customer("3301000001", "甲"),
            neg_capacity,
            closed_before_open,
        ],
        "\n",
    );
    write(
        &e.export,
        "meters.csv",
        METERS_H,
        &["M1,3301000001,DTZY666,0,1,1,2020-01-05,".into()],
        "\n",
    );
    write(
        &e.export,
        "suspensions.csv",
        SUSPENSIONS_H,
        &["3301000001,suspend,2025-03-01,2025-02-28,50".into()],
        "\n",
    );
    assert_eq!(
        e.errors(),
        [
            "customers.csv:3: capacity_kva: `-50` is negative; it cannot be below 0",
            "customers.csv:4: closed_on: 2019-12-31 is before opened_on 2020-01-05",
            "meters.csv:2: ct_ratio: `0` must be greater than 0",
            "suspensions.csv:2: end_on: 2025-02-28 is before start_on 2025-03-01",
        ]
    );
}

#[test]
fn duplicate_customer_names_both_lines() {
    let mut e = env();
    customers(&e.export, &["3301000001", "3301000002", "3301000001"]);
    assert_eq!(
        e.errors(),
        ["customers.csv:4: cust_no: duplicate key 3301000001: first on line 2, again on line 4"]
    );
}

// ---- physical line numbers ------------------------------------------------------------------

fn line_numbers_with(eol: &str) {
    let mut e = env();
    let multi = format!(
        "3301000002,\"多行{eol}户名\",\"地址第一行{eol}第二行{eol}第三行\",,,resident,RES,single,0.22,8,,0,0,城东供电所,上城区,2020-01-05,active,"
    );
    let bad = customer("3301000003", "丙").replace("0.38", "0,38");
    let bad = bad.replacen("0,38", "\"0,38\"", 1);
    write(
        &e.export,
        "customers.csv",
        CUSTOMERS_H,
        &[customer("3301000001", "甲"), multi, bad],
        eol,
    );
    // Lines: 1 header, 2 customer 1, 3–6 customer 2 (three newlines inside), 7 the bad one.
    let bills = vec![
        bill("3301000001", "2026-01", "1"),
        String::new(),
        bill("3301000001", "2026-13", "1"),
    ];
    write(&e.export, "bills.csv", BILLS_H, &bills, eol);
    assert_eq!(
        e.errors(),
        [
            "customers.csv:7: voltage_kv: `0,38` is not a number (write digits with an optional `.` decimal point, no thousands separators, e.g. 1234.5)",
            "bills.csv:4: period: `2026-13` is not a billing period (write YYYY-MM, e.g. 2026-03)",
        ]
    );
}

#[test]
fn line_numbers_lf() {
    line_numbers_with("\n");
}

#[test]
fn line_numbers_crlf() {
    line_numbers_with("\r\n");
}

// ---- all-or-nothing, upsert, caps, cancellation ---------------------------------------------

#[test]
fn failed_import_writes_nothing() {
    let mut e = env();
    full_export(&e.export);
    e.import().unwrap();
    let before = e.snapshot();

    // A newer export with changed values but one bad row at the end.
    write(
        &e.export,
        "bills.csv",
        BILLS_H,
        &[
            bill("3301000001", "2026-01", "999"),
            bill("3301000001", "2026-03", "5"),
            bill("3301000003", "2026-03", "abc"),
        ],
        "\n",
    );
    let lines = e.errors();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("bills.csv:4: amount: `abc` is not a number"));
    assert!(lines[1].starts_with("bills.csv:4: paid: `abc` is not a number"));
    assert_eq!(e.snapshot(), before);
    assert_eq!(
        e.real("SELECT amount FROM bills WHERE cust_no = '3301000001' AND period = '2026-01'"),
        812.5
    );
}

#[test]
fn reimport_upserts() {
    let mut e = env();
    full_export(&e.export);
    let first = e.import().unwrap();
    let before = e.snapshot();

    // The newer export: one bill changed, one customer renamed, rows in another order.
    write(
        &e.export,
        "bills.csv",
        BILLS_H,
        &[
            bill("3301000002", "2026-01", "150000"),
            bill("3301000001", "2026-02", "-20.5"),
            bill("3301000001", "2026-01", "900.25"),
        ],
        "\n",
    );
    write(
        &e.export,
        "customers.csv",
        CUSTOMERS_H,
        &[
            customer("3301000001", "张三商店（更名）"),
            customer("3301000002", "乙"),
            customer("3301000003", "丙"),
        ],
        "\r\n",
    );
    let second = e.import().unwrap();
    assert_ne!(first.import_id, second.import_id);
    let bills = second.files.iter().find(|f| f.file == "bills.csv").unwrap();
    // Only the changed bill is rewritten (source history: identical rows are not).
    assert_eq!((bills.rows, bills.inserted, bills.updated), (3, 0, 1));

    let mut after = e.snapshot();
    // Only the imports row and the log grew.
    assert_eq!(after.pop(), Some(before[8] + 1));
    assert_eq!(after.pop(), Some(before[7] + 1));
    assert_eq!(after, before[..7]);
    assert_eq!(
        e.real("SELECT amount FROM bills WHERE cust_no = '3301000001' AND period = '2026-01'"),
        900.25
    );
    assert_eq!(
        e.text("SELECT name FROM customers WHERE cust_no = '3301000001'")
            .unwrap(),
        "张三商店（更名）"
    );
    let (import_id, line): (i64, i64) = e
        .ds
        .conn
        .query_row(
            "SELECT import_id, src_line FROM bills WHERE cust_no = '3301000001' AND period = '2026-01'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((import_id, line), (second.import_id, 4));
    assert!(actionlog::verify(&e.ds.conn)
        .unwrap()
        .first_broken
        .is_none());
}

#[test]
fn many_errors_are_capped() {
    let mut e = env();
    customers(&e.export, &["3301000001"]);
    let rows: Vec<String> = (0..60)
        .map(|i| bill("3301000001", &format!("2026-{:02}", 13 + i), "1"))
        .collect();
    write(&e.export, "bills.csv", BILLS_H, &rows, "\n");
    let lines = e.errors();
    assert_eq!(lines.len(), 51);
    assert!(
        lines[0].starts_with("bills.csv:2: period: `2026-13`"),
        "{}",
        lines[0]
    );
    assert!(
        lines[49].starts_with("bills.csv:51: period:"),
        "{}",
        lines[49]
    );
    assert_eq!(lines[50], "… and 10 more errors");
}

fn many_bills(e: &Env, n: usize) {
    customers(&e.export, &["3301000001", "3301000002"]);
    let rows: Vec<String> = (0..n)
        .map(|i| {
            let cust = if i % 2 == 0 {
                "3301000001"
            } else {
                "3301000002"
            };
            bill(
                cust,
                &format!("{:04}-{:02}", 1000 + i / 24, 1 + (i / 2) % 12),
                "1",
            )
        })
        .collect();
    write(&e.export, "bills.csv", BILLS_H, &rows, "\r\n");
}

#[test]
fn cancellation_writes_nothing() {
    let mut e = env();
    many_bills(&e, 25_000);
    let before = e.snapshot();
    let mut seen = Vec::new();
    let mut cb = |p: &Progress| {
        seen.push(p.clone());
        if p.stage == "bills.csv" && p.done > 0 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    let r = import_dir(&mut e.ds, &e.ctx, &e.export, &mut cb);
    assert!(matches!(r, Err(JichaError::Cancelled)), "{r:?}");
    assert_eq!(e.snapshot(), before);
    // It stopped at the first report after 10,000 bills, not at the end.
    let last = seen.last().unwrap();
    assert_eq!(last.stage, "bills.csv");
    assert!(last.done > 0 && last.done < last.total, "{last:?}");
}

#[test]
fn progress_reports_bytes_per_file() {
    let mut e = env();
    many_bills(&e, 25_000);
    let size = std::fs::metadata(e.export.join("bills.csv")).unwrap().len();
    let mut seen = Vec::new();
    let mut cb = |p: &Progress| {
        seen.push(p.clone());
        ControlFlow::Continue(())
    };
    let s = import_dir(&mut e.ds, &e.ctx, &e.export, &mut cb).unwrap();
    assert_eq!(s.files[1].rows, 25_000);
    assert_eq!(e.count("bills"), 25_000);
    let bills: Vec<&Progress> = seen.iter().filter(|p| p.stage == "bills.csv").collect();
    // Start, after 10,000 and 20,000 rows, end.
    assert_eq!(bills.len(), 4, "{bills:?}");
    assert!(bills.iter().all(|p| p.total == size && p.done <= size));
    assert!(bills.windows(2).all(|w| w[0].done <= w[1].done));
    assert_eq!(bills[3].done, size);
}

// ---- roles and hostile text -----------------------------------------------------------------

#[test]
fn viewer_is_refused() {
    let mut e = env();
    full_export(&e.export);
    e.ctx.role = Role::Viewer;
    let r = e.import();
    assert!(matches!(r, Err(JichaError::Refused { .. })), "{r:?}");
    assert_eq!(e.count("customers"), 0);
}

#[test]
fn hostile_text_is_stored_as_given_and_escaped_in_messages() {
    let mut e = env();
    let name = "\u{1b}]0;pwned\u{7}\u{1b}[2J张三\u{202e}";
    write(
        &e.export,
        "customers.csv",
        CUSTOMERS_H,
        &[customer("3301000001", name)],
        "\n",
    );
    e.import().unwrap();
    assert_eq!(
        e.text("SELECT name FROM customers WHERE cust_no = '3301000001'")
            .unwrap(),
        name
    );

    let evil = customer("3301000002", "x")
        .replace("resident", "res")
        .replace("commercial", "\u{1b}[31m");
    write(&e.export, "customers.csv", CUSTOMERS_H, &[evil], "\n");
    let lines = e.errors();
    assert!(!lines[0].contains('\u{1b}'), "{lines:?}");
    assert!(
        lines[0].starts_with("customers.csv:2: category: `␛[31m` is not one of"),
        "{lines:?}"
    );
}

#[test]
fn connection_settings_are_restored() {
    let mut e = env();
    let pragma = |e: &Env, p: &str| -> i64 {
        e.ds.conn
            .query_row(&format!("PRAGMA {p}"), [], |r| r.get(0))
            .unwrap()
    };
    let cache = pragma(&e, "cache_size");
    full_export(&e.export);
    e.import().unwrap();
    assert_eq!(pragma(&e, "foreign_keys"), 1);
    assert_eq!(pragma(&e, "cache_size"), cache);
    // A failed run restores them too, and the schema's own check is live again.
    write(
        &e.export,
        "bills.csv",
        BILLS_H,
        &[bill("x", "2026-01", "1")],
        "\n",
    );
    e.errors();
    assert_eq!(pragma(&e, "foreign_keys"), 1);
    let r = e.ds.conn.execute(
        "INSERT INTO bills VALUES ('nobody', '2026-01', '2026-01-25', 0, 0, 1, 0, 0, 0, 0, 1, 2)",
        [],
    );
    assert!(r.is_err());
}

// ---- the reader/writer pipeline -------------------------------------------------------------

/// `n` good bills of two customers, in the file order `many_bills` writes (LF line ends).
fn bill_rows(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let cust = if i % 2 == 0 {
                "3301000001"
            } else {
                "3301000002"
            };
            bill(
                cust,
                &format!("{:04}-{:02}", 1000 + i / 24, 1 + (i / 2) % 12),
                "1",
            )
        })
        .collect()
}

#[test]
fn writer_errors_in_later_batches_keep_file_order() {
    let mut e = env();
    customers(&e.export, &["3301000001", "3301000002"]);
    let mut rows = bill_rows(20_000);
    // Line = index + 2. A parse error early, a duplicate and a missing customer far behind the
    // reader (several batches later), a duplicate inside one multi-row statement, and a parse
    // error on the very last row of the file.
    rows[100] = bill("3301000001", "2026-13", "1");
    rows[9_001] = rows[3].clone();
    rows[9_002] = bill("3301009999", "2026-01", "1");
    rows[12_001] = rows[12_000].clone();
    rows[19_999] = bill("3301000002", "2026-01", "x");
    write(&e.export, "bills.csv", BILLS_H, &rows, "\n");
    assert_eq!(
        e.errors(),
        [
            "bills.csv:102: period: `2026-13` is not a billing period (write YYYY-MM, e.g. 2026-03)",
            "bills.csv:9003: cust_no, period: duplicate key 3301000002 / 1000-02: first on line 5, again on line 9003",
            "bills.csv:9004: cust_no: customer 3301009999 does not exist (not in customers.csv nor in the dataset)",
            "bills.csv:12003: cust_no, period: duplicate key 3301000001 / 1500-01: first on line 12002, again on line 12003",
            "bills.csv:20001: amount: `x` is not a number (write digits with an optional `.` decimal point, no thousands separators, e.g. 1234.5)",
            "bills.csv:20001: paid: `x` is not a number (write digits with an optional `.` decimal point, no thousands separators, e.g. 1234.5)",
        ]
    );
    assert_eq!(e.snapshot(), [0, 0, 0, 0, 0, 0, 0, 0, 0]);
}

#[test]
fn error_cap_counts_reader_and_writer_errors_together() {
    let mut e = env();
    customers(&e.export, &["3301000001", "3301000002"]);
    let mut rows = bill_rows(5_000);
    // 30 duplicates (writer) interleaved with 30 bad periods (reader).
    for k in 0..30 {
        rows[1_000 + 2 * k] = rows[0].clone();
        rows[1_001 + 2 * k] = bill("3301000002", "2026-00", "1");
    }
    write(&e.export, "bills.csv", BILLS_H, &rows, "\n");
    let lines = e.errors();
    assert_eq!(lines.len(), 51);
    assert!(lines[0].starts_with("bills.csv:1002: cust_no, period: duplicate key"));
    assert!(lines[1].starts_with("bills.csv:1003: period: `2026-00`"));
    assert!(
        lines[49].starts_with("bills.csv:1051: period:"),
        "{}",
        lines[49]
    );
    assert_eq!(lines[50], "… and 10 more errors");
}

#[test]
fn large_import_then_cancelled_reimport_leaves_data_intact() {
    let mut e = env();
    customers(&e.export, &["3301000001", "3301000002"]);
    write(&e.export, "bills.csv", BILLS_H, &bill_rows(30_000), "\n");
    let s = e.import().unwrap();
    assert_eq!(s.files[1].inserted, 30_000);
    let before = e.snapshot();

    // Cancel in the middle of a much larger file: the reader thread is stopped, nothing written.
    write(&e.export, "bills.csv", BILLS_H, &bill_rows(100_000), "\n");
    let mut cb = |p: &Progress| {
        if p.stage == "bills.csv" && p.done > 0 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    let r = import_dir(&mut e.ds, &e.ctx, &e.export, &mut cb);
    assert!(matches!(r, Err(JichaError::Cancelled)), "{r:?}");
    assert_eq!(e.snapshot(), before);

    // The same file then imports: 70,000 new; the 30,000 already stored are identical, so
    // none is rewritten (source history).
    let s = e.import().unwrap();
    let b = &s.files[1];
    assert_eq!((b.rows, b.inserted, b.updated), (100_000, 70_000, 0));
    assert_eq!(e.count("bills"), 100_000);
}

// ---- the line of every kind of bad record ---------------------------------------------------

const NOT_A_NUMBER: &str = "voltage_kv: `0,38` is not a number (write digits with an optional `.` decimal point, no thousands separators, e.g. 1234.5)";
const UNCLOSED: &str = "a `\"` in this row opens a quoted field that is never closed (the file ends inside it); add the closing `\"` (a quote inside a quoted field is written `\"\"`)";

/// A customer row with a bad number (a quoted decimal comma).
fn bad_customer(no: &str) -> String {
    customer(no, "坏").replacen("0.38", "\"0,38\"", 1)
}

/// A customer row whose name opens a quote that nothing closes.
fn unclosed_customer(no: &str) -> String {
    customer(no, "\"未闭合")
}

/// A customer row whose name and address hold newlines (`{eol}` is replaced by the file's),
/// so it spans four physical lines.
fn multiline_customer(no: &str) -> String {
    format!("{no},\"多行{{eol}}户名\",\"地址第一行{{eol}}第二行{{eol}}第三行\",,,resident,RES,single,0.22,8,,0,0,城东供电所,上城区,2020-01-05,active,")
}

#[test]
fn every_error_is_on_the_physical_line_where_its_record_starts() {
    let c = |i: u32| customer(&format!("33010{i:05}"), "甲");
    // (what, rows, trailing newline, expected error)
    let cases: Vec<(&str, Vec<String>, bool, String)> = vec![
        (
            "bad value on line 5",
            vec![c(1), c(2), c(3), bad_customer("3301000004"), c(5)],
            true,
            format!("customers.csv:5: {NOT_A_NUMBER}"),
        ),
        (
            "bad value on the first data line",
            vec![bad_customer("3301000001"), c(2)],
            true,
            format!("customers.csv:2: {NOT_A_NUMBER}"),
        ),
        (
            "bad record after a record with quoted newlines",
            vec![
                c(1),
                multiline_customer("3301000002"),
                bad_customer("3301000003"),
            ],
            true,
            format!("customers.csv:7: {NOT_A_NUMBER}"),
        ),
        (
            "bad record that itself holds quoted newlines before the bad value",
            vec![
                c(1),
                multiline_customer("3301000002").replacen("0.22", "\"0,38\"", 1),
            ],
            true,
            format!("customers.csv:3: {NOT_A_NUMBER}"),
        ),
        (
            "bad value on a last line without a newline",
            vec![c(1), c(2), bad_customer("3301000003")],
            false,
            format!("customers.csv:4: {NOT_A_NUMBER}"),
        ),
        (
            "bad value after blank lines",
            vec![
                c(1),
                String::new(),
                String::new(),
                bad_customer("3301000002"),
            ],
            true,
            format!("customers.csv:5: {NOT_A_NUMBER}"),
        ),
        (
            "unclosed quote opened on line 4",
            vec![c(1), c(2), unclosed_customer("3301000003"), c(4), c(5)],
            true,
            format!("customers.csv:4: {UNCLOSED}"),
        ),
        (
            "unclosed quote after a record with quoted newlines",
            vec![
                c(1),
                multiline_customer("3301000002"),
                unclosed_customer("3301000003"),
                c(4),
            ],
            true,
            format!("customers.csv:7: {UNCLOSED}"),
        ),
        (
            "unclosed quote on a last line without a newline",
            vec![c(1), unclosed_customer("3301000002")],
            false,
            format!("customers.csv:3: {UNCLOSED}"),
        ),
    ];
    for eol in ["\n", "\r\n"] {
        for (what, rows, trailing, want) in &cases {
            let mut e = env();
            let mut text = String::from(CUSTOMERS_H);
            for r in rows {
                text.push_str(eol);
                text.push_str(&r.replace("{eol}", eol));
            }
            if *trailing {
                text.push_str(eol);
            }
            std::fs::write(e.export.join("customers.csv"), text).unwrap();
            assert_eq!(
                e.errors(),
                std::slice::from_ref(want),
                "{what}, eol {eol:?}"
            );
        }
    }
}

/// The reported case: a quote opened on physical line 6552 of bills.csv.
#[test]
fn unclosed_quote_deep_in_bills_is_on_its_own_line() {
    for eol in ["\n", "\r\n"] {
        let mut e = env();
        customers(&e.export, &["3301000001"]);
        let mut rows: Vec<String> = (0..6550)
            .map(|i| {
                bill(
                    "3301000001",
                    &format!("{:04}-{:02}", 1000 + i / 12, 1 + i % 12),
                    "1",
                )
            })
            .collect();
        rows.push("3301000001,2999-01,2026-02-25,100,200,1,100,0,\"12.5,12.5".into());
        rows.extend((0..20).map(|i| bill("3301000001", &format!("3000-{:02}", 1 + i % 12), "1")));
        write(&e.export, "bills.csv", BILLS_H, &rows, eol);
        assert_eq!(
            e.errors(),
            [format!("bills.csv:6552: {UNCLOSED}")],
            "eol {eol:?}"
        );
    }
}

// ---- limits on the input --------------------------------------------------------------------

const TOO_WIDE_TAIL: &str = "fields (the limit is 1000); check that the file is comma-separated and is the data contract's customers.csv; the rest of the file was not read";

#[test]
fn header_wider_than_the_limit_is_refused_at_once() {
    let mut e = env();
    let header = format!("{CUSTOMERS_H}{}", ",extra".repeat(20_000));
    std::fs::write(
        e.export.join("customers.csv"),
        format!("{header}\n{}\n", customer("3301000001", "甲")),
    )
    .unwrap();
    // Bills naming unknown customers would add errors if the run went on.
    write(
        &e.export,
        "bills.csv",
        BILLS_H,
        &[bill("3301009999", "2026-01", "1")],
        "\n",
    );
    assert_eq!(
        e.errors(),
        [format!(
            "customers.csv:1: the header has more than 1000 {TOO_WIDE_TAIL}"
        )]
    );
    assert_eq!(e.snapshot(), [0, 0, 0, 0, 0, 0, 0, 0, 0]);
}

#[test]
fn header_at_the_limit_is_read() {
    let mut e = env();
    let n_extra = 1000 - CUSTOMERS_H.split(',').count();
    let header = format!("{CUSTOMERS_H}{}", ",extra".repeat(n_extra));
    let row = format!("{}{}", customer("3301000001", "甲"), ",".repeat(n_extra));
    std::fs::write(e.export.join("customers.csv"), format!("{header}\n{row}\n")).unwrap();
    let s = e.import().unwrap();
    assert_eq!(s.files[0].rows, 1);
    // Each ignored column is a warning: capped like errors.
    assert_eq!(s.warnings_total, n_extra as u64);
    assert_eq!(s.warnings.len(), 51);
    assert_eq!(
        s.warnings[50],
        format!("… and {} more warnings", n_extra - 50)
    );
    assert!(s.to_string().contains(&format!("{n_extra} warnings:")));
}

#[test]
fn row_wider_than_the_limit_stops_the_import() {
    let mut e = env();
    let wide = format!("{}{}", customer("3301000002", "乙"), ",x".repeat(1000));
    write(
        &e.export,
        "customers.csv",
        CUSTOMERS_H,
        &[
            customer("3301000001", "甲"),
            wide,
            bad_customer("3301000003"),
        ],
        "\n",
    );
    write(
        &e.export,
        "bills.csv",
        BILLS_H,
        &[bill("3301009999", "2026-01", "1")],
        "\n",
    );
    assert_eq!(
        e.errors(),
        [format!(
            "customers.csv:3: the row has more than 1000 {TOO_WIDE_TAIL}"
        )]
    );
}

#[test]
fn field_longer_than_the_limit_is_refused_and_reading_goes_on() {
    let mut e = env();
    let long_name = customer("3301000002", &"名".repeat(22_000)); // 66,000 bytes
    let long_ignored = format!("{},{}", customer("3301000003", "丙"), "x".repeat(65_537));
    let header = format!("{CUSTOMERS_H},备注");
    let rows = [
        format!("{},", customer("3301000001", "甲")),
        format!("{long_name},"),
        long_ignored,
        format!("{},", bad_customer("3301000004")),
    ];
    write(&e.export, "customers.csv", &header, &rows, "\r\n");
    assert_eq!(
        e.errors(),
        [
            "customers.csv:3: name: the value is longer than 64 KiB (the limit); shorten it".to_string(),
            "customers.csv:4: field 19 (not a column of the contract): the value is longer than 64 KiB (the limit); shorten it".to_string(),
            format!("customers.csv:5: {NOT_A_NUMBER}"),
        ]
    );
}

#[test]
fn unclosed_quote_before_a_long_tail_stops_at_the_record_limit() {
    let mut e = env();
    let mut rows = vec![
        customer("3301000001", "甲"),
        unclosed_customer("3301000002"),
    ];
    // About 2 MiB after the quote, all of it inside the never-closed field.
    rows.extend((0..12_000).map(|i| customer(&format!("34{i:08}"), "丁")));
    write(&e.export, "customers.csv", CUSTOMERS_H, &rows, "\n");
    assert_eq!(
        e.errors(),
        ["customers.csv:3: the row starting on this line is longer than 1 MiB (the limit) — most likely a `\"` opened here is never closed; close the quote or shorten the row; the rest of the file was not read"]
    );
}

#[test]
fn stray_files_are_warned_about_within_the_cap() {
    let mut e = env();
    customers(&e.export, &["3301000001"]);
    for i in (0..55).rev() {
        std::fs::write(e.export.join(format!("stray{i:02}.txt")), "x").unwrap();
    }
    let s = e.import().unwrap();
    assert_eq!(s.warnings_total, 55);
    assert_eq!(s.warnings.len(), 51);
    assert_eq!(
        s.warnings[0],
        "stray00.txt: not a file of the data contract; ignored"
    );
    assert_eq!(
        s.warnings[49],
        "stray49.txt: not a file of the data contract; ignored"
    );
    assert_eq!(s.warnings[50], "… and 5 more warnings");
}

#[test]
fn export_files_that_are_not_regular_files_are_refused_clearly() {
    let tail = "not a regular file; put the export's CSV files in the directory as regular files (not pipes, devices or directories)";

    let mut e = env();
    std::fs::create_dir(e.export.join("customers.csv")).unwrap();
    assert_eq!(
        e.errors(),
        [format!("customers.csv: is a directory, {tail}")]
    );

    let mut e = env();
    customers(&e.export, &["3301000001"]);
    let fifo = e.export.join("bills.csv");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    // Nothing ever writes to the FIFO: waiting on it would hang this test.
    assert_eq!(
        e.errors(),
        [format!("bills.csv: is a FIFO (named pipe), {tail}")]
    );

    let mut e = env();
    customers(&e.export, &["3301000001"]);
    std::os::unix::fs::symlink("/dev/zero", e.export.join("meters.csv")).unwrap();
    assert_eq!(
        e.errors(),
        [format!("meters.csv: is a character device, {tail}")]
    );
}
