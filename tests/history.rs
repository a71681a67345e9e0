//! Source history (issue 15): a re-import keeps the superseded version of every changed row,
//! rewrites no identical row, moves rows a full export lacks to history as gone (never lost,
//! out of the rules), logs counts and a digest, and `log verify` names an edited history row.

use chrono::NaiveDate;
use jicha::context::{Ctx, Lang, Role};
use jicha::db::Dataset;
use jicha::history::{self, Filter, Since};
use jicha::import::{import_dir_with, ImportOptions, ImportSummary};
use jicha::progress;
use std::path::Path;
use tempfile::TempDir;

const CUSTOMERS_H: &str = "cust_no,name,address,contact,phone,category,price_code,billing_mode,voltage_kv,capacity_kva,pf_standard,hslm,temporary,station,district,opened_on,status,closed_on";
const BILLS_H: &str =
    "cust_no,period,read_on,prev_reading,curr_reading,multiplier,kwh,loss_kwh,amount,paid";

fn customer(no: &str, category: &str, price: &str) -> String {
    format!("{no},张三,杭州市西湖区文三路1号,李四,13800000000,{category},{price},single,0.38,50,0.90,0,0,城西供电所,西湖区,2020-01-05,active,")
}

fn bill(cust: &str, period: &str, curr: u32, kwh: u32) -> String {
    format!(
        "{cust},{period},2026-02-25,100,{curr},1,{kwh},0,{amt},{amt}",
        amt = kwh / 2
    )
}

fn write(dir: &Path, name: &str, header: &str, rows: &[String]) {
    let mut s = format!("{header}\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    std::fs::write(dir.join(name), s).unwrap();
}

struct Env {
    _tmp: TempDir,
    path: std::path::PathBuf,
    ds: Dataset,
    ctx: Ctx,
    export: std::path::PathBuf,
}

fn env() -> Env {
    let tmp = TempDir::new().unwrap();
    let path = tmp.path().join("d.jicha");
    let me = jicha::context::os_login();
    let ds = Dataset::create(&path, &me, "2026-01-01T00:00:00Z").unwrap();
    let export = tmp.path().join("export");
    std::fs::create_dir(&export).unwrap();
    Env {
        _tmp: tmp,
        path,
        ds,
        ctx: Ctx {
            unit: None,
            operator: me,
            role: Role::Admin,
            today: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            lang: Lang::En,
        },
        export,
    }
}

impl Env {
    /// A full export (`jicha import --full`): rows it lacks are gone.
    fn import(&mut self) -> ImportSummary {
        let o = ImportOptions {
            delta: false,
            ..Default::default()
        };
        import_dir_with(
            &mut self.ds,
            &self.ctx,
            &self.export,
            o,
            &mut progress::silent,
        )
        .unwrap()
    }
    fn import_delta(&mut self) -> ImportSummary {
        let o = ImportOptions {
            delta: true,
            ..Default::default()
        };
        import_dir_with(
            &mut self.ds,
            &self.ctx,
            &self.export,
            o,
            &mut progress::silent,
        )
        .unwrap()
    }
    fn int(&self, sql: &str) -> i64 {
        self.ds.conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }
    fn first_export(&self) {
        write(
            &self.export,
            "customers.csv",
            CUSTOMERS_H,
            &[
                customer("C1", "commercial", "COM"),
                customer("C2", "commercial", "COM"),
            ],
        );
        write(
            &self.export,
            "bills.csv",
            BILLS_H,
            &[
                bill("C1", "2026-01", 200, 100),
                bill("C1", "2026-02", 300, 200),
                bill("C2", "2026-01", 200, 100),
            ],
        );
    }
}

fn file<'a>(s: &'a ImportSummary, name: &str) -> &'a jicha::import::FileSummary {
    s.files.iter().find(|f| f.file == name).unwrap()
}

#[test]
fn a_changed_bill_keeps_its_old_version_with_both_imports_named() {
    let mut e = env();
    e.first_export();
    let first = e.import();
    write(
        &e.export,
        "bills.csv",
        BILLS_H,
        &[
            bill("C1", "2026-01", 200, 100),
            bill("C1", "2026-02", 900, 800),
            bill("C2", "2026-01", 200, 100),
        ],
    );
    let second = e.import();
    let b = file(&second, "bills.csv");
    assert_eq!((b.rows, b.inserted, b.updated, b.gone), (3, 0, 1, 0));

    let changes = history::list(&e.ds.conn, &Filter::default()).unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    let c = &changes[0];
    assert_eq!(c.file, "bills.csv");
    assert_eq!(c.key, ["C1", "2026-02"]);
    assert_eq!(c.cust_no.as_deref(), Some("C1"));
    assert_eq!(
        (c.since_import, c.replaced_by),
        (first.import_id, second.import_id)
    );
    let shown: Vec<String> = c
        .fields
        .iter()
        .map(|f| {
            format!(
                "{} {} → {}",
                f.field,
                history::shown(&f.old),
                history::shown(f.new.as_ref().unwrap())
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            "curr_reading 300 → 900",
            "kwh 200 → 800",
            "amount 100 → 400",
            "paid 100 → 400"
        ]
    );
    // The live row is the new one, written by the second import.
    assert_eq!(
        e.int("SELECT import_id FROM bills WHERE cust_no = 'C1' AND period = '2026-02'"),
        second.import_id
    );
    // --since the second import: nothing newer; --since the first: this change.
    let since = |s| {
        history::list(
            &e.ds.conn,
            &Filter {
                since: Some(s),
                ..Default::default()
            },
        )
        .unwrap()
        .len()
    };
    assert_eq!(since(Since::Import(second.import_id)), 0);
    assert_eq!(since(Since::Import(first.import_id)), 1);
}

#[test]
fn identical_rows_are_not_rewritten() {
    let mut e = env();
    e.first_export();
    let first = e.import();
    let pages_before = e.int("SELECT count(*) FROM bills WHERE import_id = 1");
    let second = e.import();
    for f in &second.files {
        assert_eq!((f.inserted, f.updated, f.gone), (0, 0, 0), "{f:?}");
    }
    // Every row still carries the import that first saw it, and its line.
    assert_eq!(
        e.int(&format!(
            "SELECT count(*) FROM bills WHERE import_id = {}",
            first.import_id
        )),
        pages_before
    );
    assert_eq!(
        e.int(&format!(
            "SELECT count(*) FROM customers WHERE import_id = {}",
            second.import_id
        )),
        0
    );
    assert_eq!(e.int("SELECT count(*) FROM source_history"), 0);
    // The data changed by nobody: SQLite's change counter of the file's header did move only
    // for the imports row and the log, which the next test of counts checks through the log.
    let details: String =
        e.ds.conn
            .query_row(
                "SELECT details FROM action_log WHERE action = 'import' ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
    let v: serde_json::Value = serde_json::from_str(&details).unwrap();
    assert_eq!(v["history"]["changed"], 0);
    assert_eq!(v["history"]["added"], 0);
}

#[test]
fn a_row_missing_from_a_full_export_is_gone_kept_and_out_of_the_rules() {
    let mut e = env();
    e.first_export();
    e.import();
    // C2's bill made BIL-05 fire? Make it a negative bill first, to see it leave the scan.
    write(
        &e.export,
        "bills.csv",
        BILLS_H,
        &[
            bill("C1", "2026-01", 200, 100),
            bill("C1", "2026-02", 300, 200),
            "C2,2026-01,2026-02-25,100,200,1,100,0,-5,-5".to_string(),
        ],
    );
    e.import();
    let scan = |e: &mut Env| {
        jicha::scan::run_scan(
            &mut e.ds,
            &e.ctx,
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            &mut progress::silent,
        )
        .unwrap();
        e.int("SELECT count(*) FROM findings WHERE rule = 'BIL-05' AND status <> 'cleared'")
    };
    assert_eq!(scan(&mut e), 1);

    // The next full export no longer holds C2's bill: it is gone, not deleted.
    write(
        &e.export,
        "bills.csv",
        BILLS_H,
        &[
            bill("C1", "2026-01", 200, 100),
            bill("C1", "2026-02", 300, 200),
        ],
    );
    let s = e.import();
    assert_eq!(file(&s, "bills.csv").gone, 1);
    assert_eq!(e.int("SELECT count(*) FROM bills WHERE cust_no = 'C2'"), 0);
    let gone = history::list(
        &e.ds.conn,
        &Filter {
            cust: Some("C2".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(gone[0].is_gone());
    assert_eq!(gone[0].key, ["C2", "2026-01"]);
    assert!(gone[0]
        .fields
        .iter()
        .any(|f| f.field == "amount" && history::shown(&f.old) == "-5"));
    // The rules no longer see it: the scan clears the finding.
    assert_eq!(scan(&mut e), 0);

    // A delta export says nothing about missing rows: nothing goes.
    write(
        &e.export,
        "bills.csv",
        BILLS_H,
        &[bill("C1", "2026-03", 400, 100)],
    );
    let d = e.import_delta();
    assert_eq!(file(&d, "bills.csv").gone, 0);
    assert_eq!(file(&d, "bills.csv").inserted, 1);
    assert_eq!(e.int("SELECT count(*) FROM bills"), 3);
}

#[test]
fn a_gone_customer_takes_its_rows_into_history() {
    let mut e = env();
    e.first_export();
    e.import();
    write(
        &e.export,
        "customers.csv",
        CUSTOMERS_H,
        &[customer("C1", "commercial", "COM")],
    );
    std::fs::remove_file(e.export.join("bills.csv")).unwrap();
    let s = e.import();
    assert_eq!(file(&s, "customers.csv").gone, 1);
    assert_eq!(file(&s, "bills.csv").gone, 1);
    assert_eq!(
        e.int("SELECT count(*) FROM source_history WHERE cust_no = 'C2' AND kind = 'gone'"),
        2
    );
    assert_eq!(e.int("SELECT count(*) FROM bills WHERE cust_no = 'C2'"), 0);
}

#[test]
fn the_import_log_record_carries_counts_and_the_digest() {
    let mut e = env();
    e.first_export();
    e.import();
    write(
        &e.export,
        "customers.csv",
        CUSTOMERS_H,
        &[
            customer("C1", "resident", "RES"),
            customer("C2", "commercial", "COM"),
            customer("C3", "commercial", "COM"),
        ],
    );
    write(
        &e.export,
        "bills.csv",
        BILLS_H,
        &[
            bill("C1", "2026-01", 200, 100),
            bill("C1", "2026-02", 300, 200),
        ],
    );
    let s = e.import();
    let details: String =
        e.ds.conn
            .query_row(
                "SELECT details FROM action_log WHERE action = 'import' ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
    let v: serde_json::Value = serde_json::from_str(&details).unwrap();
    assert_eq!(v["history"]["added"], 1);
    assert_eq!(v["history"]["changed"], 1);
    assert_eq!(v["history"]["gone"], 1);
    assert_eq!(v["history"]["digest"], s.history_digest.as_str());
    assert_eq!(s.history_digest.len(), 64);
    // The digest is over what changed: recomputed from the rows, it agrees.
    assert_eq!(
        history::import_digest(&e.ds.conn, s.import_id).unwrap(),
        s.history_digest
    );
}

#[test]
fn log_verify_names_a_history_row_edited_behind_the_programs_back() {
    let mut e = env();
    e.first_export();
    e.import();
    write(
        &e.export,
        "bills.csv",
        BILLS_H,
        &[
            bill("C1", "2026-01", 200, 100),
            bill("C1", "2026-02", 900, 800),
            bill("C2", "2026-01", 200, 100),
        ],
    );
    e.import();
    let clean = jicha::ledger::verify(&e.ds.conn).unwrap();
    assert!(clean.problems.is_empty(), "{:?}", clean.problems);
    let id = e.int("SELECT id FROM source_history");
    drop(e.ds);
    let conn = rusqlite::Connection::open(&e.path).unwrap();
    // The history lives in the facts file beside the dataset (`db::facts`).
    conn.execute(
        "ATTACH DATABASE ?1 AS facts",
        [jicha::db::facts::path_of(&e.path)
            .to_string_lossy()
            .into_owned()],
    )
    .unwrap();
    conn.execute(
        "UPDATE source_history SET old = replace(old, '\"kwh\":200.0', '\"kwh\":790.0')",
        [],
    )
    .unwrap();
    assert_eq!(conn.changes(), 1);
    let report = jicha::ledger::verify(&conn).unwrap();
    let text: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert!(
        text.iter()
            .any(|t| t.contains("source_history") && t.contains(&id.to_string())),
        "{text:?}"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jicha"))
        .args(["--db", e.path.to_str().unwrap(), "log", "verify"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stdout =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("source_history"), "{stdout}");
}

#[test]
fn changes_cli_lists_field_by_field_in_text_json_and_csv() {
    let mut e = env();
    e.first_export();
    e.import();
    write(
        &e.export,
        "bills.csv",
        BILLS_H,
        &[
            bill("C1", "2026-01", 200, 100),
            bill("C1", "2026-02", 900, 800),
            bill("C2", "2026-01", 200, 100),
        ],
    );
    e.import();
    let path = e.path.clone();
    drop(e.ds);
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_jicha"))
            .args(["--db", path.to_str().unwrap(), "--lang", "en", "changes"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run(&["--cust", "C1"]);
    assert_eq!(
        text.trim_end(),
        "bills.csv C1/2026-02: curr_reading 300 → 900; kwh 200 → 800; amount 100 → 400; paid 100 → 400 (import 1 → 2, 2026-03-02)"
    );
    assert_eq!(run(&["--cust", "C2"]).trim_end(), "no changes");
    let json: serde_json::Value = serde_json::from_str(&run(&["--format", "json"])).unwrap();
    assert_eq!(json[0]["key"], serde_json::json!(["C1", "2026-02"]));
    assert_eq!(json[0]["fields"][1]["field"], "kwh");
    assert_eq!(json[0]["fields"][1]["old"], 200.0);
    assert_eq!(json[0]["fields"][1]["new"], 800.0);
    let csv = run(&["--format", "csv", "--file", "bills"]);
    assert!(
        csv.starts_with(
            "id,file,key,cust_no,kind,field,old,new,since_import,replaced_by,replaced_on"
        ),
        "{csv}"
    );
    assert!(
        csv.contains("bills.csv,C1/2026-02,C1,changed,kwh,200,800,1,2,2026-03-02"),
        "{csv}"
    );
    assert_eq!(run(&["--since", "2", "--format", "csv"]).lines().count(), 1);
    let zh = std::process::Command::new(env!("CARGO_BIN_EXE_jicha"))
        .args([
            "--db",
            path.to_str().unwrap(),
            "--lang",
            "zh",
            "changes",
            "--since",
            "昨天",
        ])
        .output()
        .unwrap();
    assert!(!zh.status.success());
    assert!(String::from_utf8_lossy(&zh.stderr).contains("请给出导入编号"));
}
