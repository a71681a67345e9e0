//! A re-import is cheap and keeps every promise (issue 15, "Deltas are cheap"): a file in key
//! order is merged with the stored rows (a row the same is not written), a file out of order
//! is upserted row by row — and both give the same tables, the same counts, the same history,
//! the same gone rows and the same errors (duplicates with the line of the first, missing
//! customers), in a full export and in a delta.

use chrono::NaiveDate;
use jicha::context::{Ctx, Lang, Role};
use jicha::db::Dataset;
use jicha::import::{import_dir_with, ImportOptions, ImportSummary};
use jicha::progress;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const CUSTOMERS_H: &str = "cust_no,name,address,contact,phone,category,price_code,billing_mode,voltage_kv,capacity_kva,pf_standard,hslm,temporary,station,district,opened_on,status,closed_on";
const BILLS_H: &str =
    "cust_no,period,read_on,prev_reading,curr_reading,multiplier,kwh,loss_kwh,amount,paid";

fn customer(no: &str, phone: &str) -> String {
    format!("{no},张三,杭州市西湖区文三路1号,李四,{phone},commercial,COM,single,0.38,50,0.90,0,0,城西供电所,西湖区,2020-01-05,active,")
}

fn bill(cust: &str, period: &str, kwh: u32) -> String {
    format!(
        "{cust},{period},{period}-25,100,{c},1,{kwh},0,{a}.50,{a}.50",
        c = 100 + kwh,
        a = kwh / 2
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
    ds: Dataset,
    export: PathBuf,
    day: u32,
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
        export,
        day: 1,
    }
}

impl Env {
    fn try_import(&mut self, full: bool) -> jicha::error::Result<ImportSummary> {
        self.day += 1;
        let ctx = Ctx {
            unit: None,
            operator: "tester".into(),
            role: Role::Admin,
            today: NaiveDate::from_ymd_opt(2026, 3, self.day).unwrap(),
            lang: Lang::En,
        };
        let o = ImportOptions {
            delta: !full,
            ..Default::default()
        };
        import_dir_with(&mut self.ds, &ctx, &self.export, o, &mut progress::silent)
    }

    fn import(&mut self, full: bool) -> ImportSummary {
        self.try_import(full).unwrap()
    }

    fn rows(&self, sql: &str) -> Vec<String> {
        let mut stmt = self.ds.conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut s = Vec::new();
                for i in 0..n {
                    s.push(format!("{:?}", r.get_ref(i)?));
                }
                Ok(s.join("|"))
            })
            .unwrap();
        rows.map(Result::unwrap).collect()
    }

    /// The live bills, history and customers, without the lines (which follow the file's order).
    fn state(&self) -> Vec<String> {
        let mut s = self.rows(
            "SELECT cust_no, period, read_on, prev_reading, curr_reading, multiplier, kwh, loss_kwh, amount, paid, import_id FROM bills ORDER BY 1, 2",
        );
        s.extend(self.rows(
            "SELECT file, key, kind, old, new, since_import, replaced_by FROM source_history ORDER BY file, key, id",
        ));
        s.extend(self.rows("SELECT cust_no, phone, import_id FROM customers ORDER BY 1"));
        s
    }
}

fn counts(s: &ImportSummary, name: &str) -> (u64, u64, u64, u64) {
    let f = s.files.iter().find(|f| f.file == name).unwrap();
    (f.rows, f.inserted, f.updated, f.gone)
}

fn customers(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| customer(&format!("C{i:03}"), "13800000000"))
        .collect()
}

fn bills(n: usize, periods: &[&str]) -> Vec<String> {
    let mut v = Vec::new();
    for i in 0..n {
        for (k, p) in periods.iter().enumerate() {
            v.push(bill(&format!("C{i:03}"), p, 100 + (i * 7 + k) as u32));
        }
    }
    v
}

/// A scrambled order: every third row moved to the end, reversed.
fn scrambled(rows: &[String]) -> Vec<String> {
    let (mut keep, mut moved) = (Vec::new(), Vec::new());
    for (i, r) in rows.iter().enumerate() {
        if i % 3 == 1 {
            moved.push(r.clone());
        } else {
            keep.push(r.clone());
        }
    }
    moved.reverse();
    keep.extend(moved);
    keep
}

#[test]
fn an_unchanged_reimport_writes_no_row() {
    let mut e = env();
    write(&e.export, "customers.csv", CUSTOMERS_H, &customers(30));
    write(
        &e.export,
        "bills.csv",
        BILLS_H,
        &bills(30, &["2026-01", "2026-02"]),
    );
    let first = e.import(true);
    assert_eq!(counts(&first, "bills.csv"), (60, 60, 0, 0));
    let before = e.state();
    for full in [true, false] {
        let again = e.import(full);
        assert_eq!(counts(&again, "customers.csv"), (30, 0, 0, 0));
        assert_eq!(counts(&again, "bills.csv"), (60, 0, 0, 0));
        assert_eq!(e.state(), before, "no row rewritten, no history");
    }
}

/// The same nightly change — bills edited, new bills, a customer's phone, rows missing from a
/// full export — imported from a file in key order and from the same rows scrambled, gives the
/// same tables, history and counts.
#[test]
fn a_file_out_of_key_order_gives_what_the_file_in_order_gives() {
    let night = |full: bool, scramble: bool| {
        let mut e = env();
        let cs = customers(40);
        write(&e.export, "customers.csv", CUSTOMERS_H, &cs);
        let b = bills(40, &["2026-01", "2026-02"]);
        write(
            &e.export,
            "bills.csv",
            BILLS_H,
            &if scramble { scrambled(&b) } else { b },
        );
        e.import(full);
        let mut cs = customers(40);
        cs[5] = customer("C005", "13900000000");
        write(&e.export, "customers.csv", CUSTOMERS_H, &cs);
        let mut b = bills(40, &["2026-01", "2026-02", "2026-03"]);
        b[4] = bill("C001", "2026-02", 999);
        b[30] = bill("C010", "2026-01", 5);
        b.remove(50);
        b.remove(10);
        write(
            &e.export,
            "bills.csv",
            BILLS_H,
            &if scramble { scrambled(&b) } else { b },
        );
        let s = e.import(full);
        let c = (counts(&s, "customers.csv"), counts(&s, "bills.csv"));
        (c, e.state())
    };
    for full in [true, false] {
        let (c_in_order, in_order) = night(full, false);
        let (c_scrambled, scrambled) = night(full, true);
        assert_eq!(c_in_order, c_scrambled, "full {full}");
        assert_eq!(in_order, scrambled, "full {full}");
        let gone = u64::from(full);
        assert_eq!(c_in_order.1, (118, 39, 2, gone), "full {full}");
        assert_eq!(c_in_order.0, (40, 0, 1, 0), "full {full}");
    }
}

#[test]
fn a_sparse_delta_touches_only_its_rows() {
    let mut e = env();
    write(&e.export, "customers.csv", CUSTOMERS_H, &customers(200));
    write(
        &e.export,
        "bills.csv",
        BILLS_H,
        &bills(200, &["2026-01", "2026-02"]),
    );
    e.import(false);
    // Three rows far apart: one the same, one changed, one new; the rest of the table
    // is not in the file (a delta export).
    std::fs::remove_file(e.export.join("customers.csv")).unwrap();
    write(&e.export, "customers.csv", CUSTOMERS_H, &[]);
    let rows = vec![
        bill("C003", "2026-01", 100 + 21),
        bill("C120", "2026-02", 1),
        bill("C199", "2026-03", 40),
    ];
    write(&e.export, "bills.csv", BILLS_H, &rows);
    let s = e.import(false);
    assert_eq!(counts(&s, "bills.csv"), (3, 1, 1, 0));
    let n: i64 =
        e.ds.conn
            .query_row("SELECT count(*) FROM bills", [], |r| r.get(0))
            .unwrap();
    assert_eq!(n, 401);
}

#[test]
fn duplicates_name_their_first_line_in_order_and_out_of_it() {
    for (rows, first, again) in [
        // In order: the duplicate follows its first.
        (
            vec![
                bill("C000", "2026-01", 1),
                bill("C000", "2026-01", 2),
                bill("C001", "2026-01", 3),
            ],
            2,
            3,
        ),
        // Out of order, the duplicate of a row read before the keys went out of order.
        (
            vec![
                bill("C000", "2026-01", 1),
                bill("C001", "2026-01", 2),
                bill("C002", "2026-01", 3),
                bill("C000", "2026-02", 4),
                bill("C001", "2026-01", 5),
            ],
            3,
            6,
        ),
        // Out of order, a duplicate of a row after that.
        (
            vec![
                bill("C002", "2026-01", 1),
                bill("C000", "2026-02", 2),
                bill("C001", "2026-01", 3),
                bill("C000", "2026-02", 4),
            ],
            3,
            5,
        ),
    ] {
        let mut e = env();
        write(&e.export, "customers.csv", CUSTOMERS_H, &customers(3));
        write(&e.export, "bills.csv", BILLS_H, &rows);
        let err = e.try_import(false).unwrap_err().to_string();
        assert!(
            err.contains(&format!("bills.csv:{again}:")) && err.contains(&format!("line {first}")),
            "{err}"
        );
        assert_eq!(err.matches("bills.csv:").count(), 1, "{err}");
        let n: i64 =
            e.ds.conn
                .query_row("SELECT count(*) FROM bills", [], |r| r.get(0))
                .unwrap();
        assert_eq!(n, 0, "nothing written");
    }
}

/// A refused row before the keys go out of order has no key to remember: a later row with
/// its key is no duplicate.
#[test]
fn a_refused_row_is_no_first_occurrence() {
    let mut e = env();
    write(&e.export, "customers.csv", CUSTOMERS_H, &customers(3));
    let rows = vec![
        bill("C001", "2026-01", 1).replace(",1,1,0,", ",1,x,0,"),
        bill("C002", "2026-01", 2),
        bill("C001", "2026-01", 3),
    ];
    write(&e.export, "bills.csv", BILLS_H, &rows);
    let err = e.try_import(false).unwrap_err().to_string();
    assert!(err.contains("bills.csv:2: kwh"), "{err}");
    assert!(!err.contains("duplicate"), "{err}");
    assert_eq!(err.matches("bills.csv:").count(), 1, "{err}");
}

#[test]
fn a_row_of_a_missing_customer_is_refused_new_or_stored() {
    let mut e = env();
    write(&e.export, "customers.csv", CUSTOMERS_H, &customers(3));
    write(&e.export, "bills.csv", BILLS_H, &bills(3, &["2026-01"]));
    e.import(true);
    // A full export without C001: its stored bill, sent again unchanged, names a customer
    // that is gone; a new bill of a customer never there is refused as well.
    let cs: Vec<String> = customers(3)
        .into_iter()
        .filter(|c| !c.starts_with("C001"))
        .collect();
    write(&e.export, "customers.csv", CUSTOMERS_H, &cs);
    let mut b = bills(3, &["2026-01"]);
    b.push(bill("C009", "2026-02", 5));
    write(&e.export, "bills.csv", BILLS_H, &b);
    let err = e.try_import(true).unwrap_err().to_string();
    assert!(
        err.contains("bills.csv:3: cust_no") && err.contains("C001"),
        "{err}"
    );
    assert!(
        err.contains("bills.csv:5: cust_no") && err.contains("C009"),
        "{err}"
    );
}
