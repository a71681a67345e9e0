//! Exports as operators really get them: gzip-compressed files (`customers.csv.gz`) and CSV
//! saved by Excel on a Chinese Windows desk (GBK/GB18030, `--encoding gb18030`). Each is
//! imported and compared with the import of the same export as plain UTF-8.

mod common;

use common::ctx;
use jicha::context::Role;
use jicha::db::Dataset;
use jicha::import::{import_dir_encoded, Encoding};
use jicha::JichaError;
use std::io::Write;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const TABLES: [&str; 7] = [
    "customers",
    "meters",
    "bills",
    "suspensions",
    "contracts",
    "applications",
    "external_findings",
];

/// A small demo export in `tmp/name`.
fn demo_export(tmp: &Path, name: &str) -> PathBuf {
    let out = tmp.join(name);
    let opts = jicha::demo::DemoOptions {
        customers: 120,
        months: 8,
        seed: 7,
        end_period: "2026-10".into(),
    };
    jicha::demo::write_demo(&out, &opts, &mut jicha::progress::silent).unwrap();
    out
}

/// Every file of `from` written into a new directory `to` after `transform(name, bytes)`.
fn rewrite(from: &Path, to: &Path, transform: impl Fn(&str, &[u8]) -> (String, Vec<u8>)) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        let (new_name, bytes) = transform(&name, &std::fs::read(e.path()).unwrap());
        std::fs::write(to.join(new_name), bytes).unwrap();
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(bytes).unwrap();
    z.finish().unwrap()
}

fn gb18030(bytes: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(bytes).unwrap();
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    gb.into_owned()
}

fn import(
    tmp: &Path,
    db: &str,
    dir: &Path,
    encoding: Encoding,
) -> (Dataset, Result<jicha::import::ImportSummary, JichaError>) {
    let mut ds = Dataset::create(&tmp.join(db), "admin1", "2026-01-01T00:00:00Z").unwrap();
    let c = ctx("admin1", Role::Admin, "2026-11-20");
    let r = import_dir_encoded(&mut ds, &c, dir, encoding, &mut jicha::progress::silent);
    (ds, r)
}

/// Every contract table's rows, as text, in key order.
fn contents(ds: &Dataset) -> Vec<Vec<String>> {
    TABLES
        .iter()
        .map(|t| {
            let mut stmt = ds
                .conn
                .prepare(&format!("SELECT * FROM {t} ORDER BY 1, 2, 3"))
                .unwrap();
            let n = stmt.column_count();
            stmt.query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect()
        })
        .collect()
}

fn customer_count(ds: &Dataset) -> i64 {
    ds.conn
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_gzip_export_imports_exactly_as_the_plain_one() {
    let tmp = TempDir::new().unwrap();
    let plain = demo_export(tmp.path(), "plain");
    let gz = tmp.path().join("gz");
    rewrite(&plain, &gz, |name, bytes| {
        (format!("{name}.gz"), gzip(bytes))
    });
    let (a, ra) = import(tmp.path(), "a.jicha", &plain, Encoding::Utf8);
    let (b, rb) = import(tmp.path(), "b.jicha", &gz, Encoding::Utf8);
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert!(customer_count(&a) > 100);
    assert_eq!(contents(&a), contents(&b));
    // The summary names the files as they are, with the same counts.
    let names: Vec<&str> = rb.files.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(names[0], "customers.csv.gz");
    let counts = |r: &jicha::import::ImportSummary| {
        r.files
            .iter()
            .map(|f| (f.rows, f.inserted))
            .collect::<Vec<_>>()
    };
    assert_eq!(counts(&ra), counts(&rb));
    common::assert_state_verifies(&b);
}

#[test]
fn a_plain_and_a_compressed_copy_of_one_file_is_an_error_naming_both() {
    let tmp = TempDir::new().unwrap();
    let dir = demo_export(tmp.path(), "both");
    let bills = std::fs::read(dir.join("bills.csv")).unwrap();
    std::fs::write(dir.join("bills.csv.gz"), gzip(&bills)).unwrap();
    let (ds, r) = import(tmp.path(), "a.jicha", &dir, Encoding::Utf8);
    let msg = r.unwrap_err().to_string();
    assert!(
        msg.contains("both bills.csv and bills.csv.gz are there"),
        "{msg}"
    );
    assert_eq!(customer_count(&ds), 0);
}

#[test]
fn a_corrupt_gzip_file_is_a_clear_error_and_writes_nothing() {
    let tmp = TempDir::new().unwrap();
    let plain = demo_export(tmp.path(), "plain");
    for (case, damage) in [
        (
            "flipped",
            (|gz: &mut Vec<u8>| {
                let mid = gz.len() / 2;
                gz[mid] ^= 0x5A;
            }) as fn(&mut Vec<u8>),
        ),
        ("cut short", |gz: &mut Vec<u8>| {
            gz.truncate(gz.len() * 2 / 3)
        }),
    ] {
        let dir = tmp.path().join(case);
        rewrite(&plain, &dir, |name, bytes| {
            if name == "bills.csv" {
                let mut gz = gzip(bytes);
                damage(&mut gz);
                (format!("{name}.gz"), gz)
            } else {
                (name.to_string(), bytes.to_vec())
            }
        });
        let (ds, r) = import(tmp.path(), &format!("{case}.jicha"), &dir, Encoding::Utf8);
        let msg = r.unwrap_err().to_string();
        assert!(
            msg.starts_with("bills.csv.gz: is not a complete gzip file"),
            "{case}: {msg}"
        );
        assert_eq!(customer_count(&ds), 0, "{case}: customers were written");
        let logged: i64 = ds
            .conn
            .query_row("SELECT count(*) FROM action_log", [], |r| r.get(0))
            .unwrap();
        assert_eq!(logged, 0, "{case}");
    }
}

#[test]
fn an_excel_gb18030_export_with_chinese_names_imports() {
    let tmp = TempDir::new().unwrap();
    let plain = demo_export(tmp.path(), "plain");
    let gb = tmp.path().join("gb");
    rewrite(&plain, &gb, |name, bytes| {
        (name.to_string(), gb18030(bytes))
    });
    // Read as UTF-8 it is refused, and the message says what to do.
    let (_, wrong) = import(tmp.path(), "w.jicha", &gb, Encoding::Utf8);
    let msg = wrong.unwrap_err().to_string();
    assert!(msg.contains("--encoding gb18030"), "{msg}");

    let (a, ra) = import(tmp.path(), "a.jicha", &plain, Encoding::Utf8);
    let (b, rb) = import(tmp.path(), "b.jicha", &gb, Encoding::Gb18030);
    ra.unwrap();
    rb.unwrap();
    assert_eq!(contents(&a), contents(&b));
    let cjk: i64 = b
        .conn
        .query_row(
            "SELECT count(*) FROM customers WHERE name GLOB '*[一-龥]*'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(cjk > 50, "only {cjk} names with Chinese characters");
}

#[test]
fn a_compressed_gb18030_export_imports_too() {
    let tmp = TempDir::new().unwrap();
    let plain = demo_export(tmp.path(), "plain");
    let both = tmp.path().join("both");
    rewrite(&plain, &both, |name, bytes| {
        (format!("{name}.gz"), gzip(&gb18030(bytes)))
    });
    let (a, _) = import(tmp.path(), "a.jicha", &plain, Encoding::Utf8);
    let (b, rb) = import(tmp.path(), "b.jicha", &both, Encoding::Gb18030);
    rb.unwrap();
    assert_eq!(contents(&a), contents(&b));
}

#[test]
fn an_undecodable_byte_is_an_error_with_file_and_physical_line() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("bad");
    std::fs::create_dir_all(&dir).unwrap();
    let header = "cust_no,name,address,contact,phone,category,price_code,billing_mode,voltage_kv,capacity_kva,pf_standard,hslm,temporary,station,district,opened_on,status,closed_on";
    let row = |no: &str, name: &str| {
        format!("{no},{name},杭州市西湖区文三路1号,李四,13800000000,commercial,COM,single,0.38,50,0.90,0,0,城西供电所,西湖区,2020-01-05,active,")
    };
    // Line 3 holds a quoted newline, so the bad byte on the 4th record is on physical line 5.
    let text = format!(
        "{header}\r\n{}\r\n3301000002,\"王\r\n五\",x,李四,13800000000,commercial,COM,single,0.38,50,0.90,0,0,城西供电所,西湖区,2020-01-05,active,\r\n{}\r\n",
        row("3301000001", "张三"),
        row("3301000003", "赵六XX")
    );
    let mut bytes = gb18030(text.as_bytes());
    let at = bytes.windows(2).position(|w| w == b"XX").unwrap();
    bytes[at] = 0x81;
    bytes[at + 1] = 0x7F;
    std::fs::write(dir.join("customers.csv"), bytes).unwrap();
    let (ds, r) = import(tmp.path(), "a.jicha", &dir, Encoding::Gb18030);
    let msg = r.unwrap_err().to_string();
    assert!(
        msg.starts_with("customers.csv:5: 0x81 is not GB18030 text"),
        "{msg}"
    );
    assert_eq!(customer_count(&ds), 0);
}
