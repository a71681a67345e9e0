//! units.csv (data-contract.md): imported with the other files, all or nothing; each refusal
//! names its `file:line` (physical line) and what to fix; the customers' stations and
//! districts are checked against the tree; a later import without the file keeps the units.

use chrono::NaiveDate;
use jicha::context::{Ctx, Lang, Role};
use jicha::db::Dataset;
use jicha::import::{import_dir, ImportSummary};
use jicha::progress;
use jicha::units::{Hierarchy, UnitLevel};
use jicha::JichaError;
use std::path::Path;
use tempfile::TempDir;

const CUSTOMERS_H: &str = "cust_no,name,address,contact,phone,category,price_code,billing_mode,voltage_kv,capacity_kva,pf_standard,hslm,temporary,station,district,opened_on,status,closed_on";
const UNITS_H: &str = "unit,parent,level,head";

fn customer(no: &str, station: &str, district: &str) -> String {
    format!("{no},张三,杭州市西湖区文三路1号,张三,13800000000,resident,RES,single,0.22,8,,0,0,{station},{district},2020-01-05,active,")
}

/// The good tree: a province, a city, two counties with two stations each, a department.
const TREE: &[&str] = &[
    "国网某省电力公司,,province,周建国",
    "国网某市供电公司,国网某省电力公司,city,吴海燕",
    "西湖区,国网某市供电公司,county,郑立新",
    "拱墅区,国网某市供电公司,county,",
    "城西供电所,西湖区,station,王磊",
    "文新供电所,西湖区,station,",
    "米市巷供电所,拱墅区,station,陈静",
    "湖墅供电所,拱墅区,station,",
    "计量中心,国网某市供电公司,department,刘洋",
];

fn write(dir: &Path, name: &str, header: &str, rows: &[String]) {
    let mut s = String::from(header);
    s.push('\n');
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    std::fs::write(dir.join(name), s).unwrap();
}

fn units(dir: &Path, rows: &[&str]) {
    let rows: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
    write(dir, "units.csv", UNITS_H, &rows);
}

fn customers(dir: &Path, rows: &[(&str, &str, &str)]) {
    let rows: Vec<String> = rows.iter().map(|(n, s, d)| customer(n, s, d)).collect();
    write(dir, "customers.csv", CUSTOMERS_H, &rows);
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

    /// The refusal wrote nothing: no units, no customers, no import.
    fn assert_nothing_written(&self) {
        assert_eq!(self.count("units"), 0);
        assert_eq!(self.count("customers"), 0);
        assert_eq!(self.count("imports"), 0);
    }
}

fn good_customers(dir: &Path) {
    customers(
        dir,
        &[
            ("C1", "城西供电所", "西湖区"),
            ("C2", "米市巷供电所", "拱墅区"),
            // A district may be any unit above the station, not only its parent.
            ("C3", "湖墅供电所", "国网某市供电公司"),
        ],
    );
}

#[test]
fn a_good_file_is_the_tree_with_lines_and_import_id() {
    let mut e = env();
    good_customers(&e.export);
    units(&e.export, TREE);
    let s = e.import().unwrap();
    let f = s.files.iter().find(|f| f.file == "units.csv").unwrap();
    assert_eq!((f.rows, f.inserted), (9, 9));
    let h = Hierarchy::load(&e.ds.conn).unwrap();
    assert!(h.imported);
    assert_eq!(h.roots(), vec!["国网某省电力公司"]);
    assert_eq!(h.get("计量中心").unwrap().level, UnitLevel::Department);
    assert_eq!(h.get("城西供电所").unwrap().head.as_deref(), Some("王磊"));
    assert_eq!(h.get("拱墅区").unwrap().head, None);
    assert_eq!(
        h.stations_under("国网某市供电公司"),
        // Depth first, children by name: 拱墅区's stations, then 西湖区's.
        vec!["湖墅供电所", "米市巷供电所", "城西供电所", "文新供电所"]
    );
    let (line, import): (i64, i64) =
        e.ds.conn
            .query_row(
                "SELECT src_line, import_id FROM units WHERE name = '米市巷供电所'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
    assert_eq!((line, import), (8, s.import_id));
}

#[test]
fn an_unknown_level_is_refused_at_its_line() {
    let mut e = env();
    good_customers(&e.export);
    let mut rows = TREE.to_vec();
    rows[2] = "西湖区,国网某市供电公司,district,郑立新";
    units(&e.export, &rows);
    let errs = e.errors();
    assert!(
        errs[0].starts_with("units.csv:4: level: `district` is not one of `province`"),
        "{errs:?}"
    );
    e.assert_nothing_written();
}

#[test]
fn a_duplicate_unit_is_refused_with_both_lines() {
    let mut e = env();
    good_customers(&e.export);
    let mut rows = TREE.to_vec();
    rows.push("文新供电所,拱墅区,station,");
    units(&e.export, &rows);
    let errs = e.errors();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("units.csv:11: unit: duplicate key 文新供电所: first on line 7"),
        "{errs:?}"
    );
    e.assert_nothing_written();
}

#[test]
fn a_parent_not_in_the_file_is_refused_with_the_nearest_name() {
    let mut e = env();
    good_customers(&e.export);
    let mut rows = TREE.to_vec();
    rows[5] = "文新供电所,西湖区公司,station,";
    units(&e.export, &rows);
    let errs = e.errors();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with(
            "units.csv:7: parent: `西湖区公司` is not a unit of units.csv (did you mean 西湖区"
        ),
        "{errs:?}"
    );
    e.assert_nothing_written();
    e.ctx.lang = Lang::Zh;
    let errs = e.errors();
    assert!(
        errs[0].starts_with("units.csv:7: parent: `西湖区公司` 不是 `units.csv` 中的单位"),
        "{errs:?}"
    );
}

#[test]
fn a_cycle_is_refused_naming_its_units() {
    let mut e = env();
    good_customers(&e.export);
    let mut rows = TREE.to_vec();
    // 国网某市供电公司 → 西湖区 → 国网某市供电公司, and a unit that is its own parent.
    rows[1] = "国网某市供电公司,西湖区,city,吴海燕";
    rows.push("稽查信息室,稽查信息室,department,");
    units(&e.export, &rows);
    let errs = e.errors();
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!(
        errs[0],
        "units.csv:3: parent: the parents go round in a cycle: 国网某市供电公司 → 西湖区 → 国网某市供电公司; give one of these units another parent (or none, for the root)"
    );
    assert!(
        errs[1].starts_with(
            "units.csv:11: parent: the parents go round in a cycle: 稽查信息室 → 稽查信息室;"
        ),
        "{errs:?}"
    );
    e.assert_nothing_written();
    e.ctx.lang = Lang::Zh;
    let errs = e.errors();
    assert!(
        errs[0].starts_with(
            "units.csv:3: parent: 上级单位形成了循环：国网某市供电公司 → 西湖区 → 国网某市供电公司"
        ),
        "{errs:?}"
    );
}

#[test]
fn a_customer_inconsistent_with_the_file_is_refused_at_its_line() {
    let mut e = env();
    customers(
        &e.export,
        &[
            ("C1", "城西供电所", "西湖区"),
            ("C2", "米市巷所", "拱墅区"),
            ("C3", "米市巷供电所", "西湖区"),
            ("C4", "计量中心", "国网某市供电公司"),
        ],
    );
    units(&e.export, TREE);
    let errs = e.errors();
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert!(
        errs[0].starts_with("customers.csv:3: station: `米市巷所` is not a unit of units.csv (did you mean 米市巷供电所?)"),
        "{errs:?}"
    );
    assert_eq!(
        errs[1],
        "customers.csv:4: district: `西湖区` is not above station `米市巷供电所` in units.csv (above it are 拱墅区 → 国网某市供电公司 → 国网某省电力公司); correct the customer's district, or the station's parent"
    );
    assert!(
        errs[2].starts_with("customers.csv:5: station: `计量中心` is a unit of level `department`"),
        "{errs:?}"
    );
    e.assert_nothing_written();
    e.ctx.lang = Lang::Zh;
    let errs = e.errors();
    assert!(
        errs[1].starts_with(
            "customers.csv:4: district: 在 `units.csv` 中 `西湖区` 不是供电所 `米市巷供电所` 的上级"
        ),
        "{errs:?}"
    );
}

#[test]
fn a_gzip_file_with_bom_and_crlf_imports_and_is_named_as_it_is() {
    let mut e = env();
    good_customers(&e.export);
    let mut text = format!("\u{feff}{UNITS_H}\r\n");
    for r in TREE {
        text.push_str(r);
        text.push_str("\r\n");
    }
    let gz = |s: &str| {
        use std::io::Write;
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(s.as_bytes()).unwrap();
        z.finish().unwrap()
    };
    std::fs::write(e.export.join("units.csv.gz"), gz(&text)).unwrap();
    let s = e.import().unwrap();
    assert!(s
        .files
        .iter()
        .any(|f| f.file == "units.csv.gz" && f.rows == 9));
    assert_eq!(e.count("units"), 9);
    let line: i64 =
        e.ds.conn
            .query_row(
                "SELECT src_line FROM units WHERE name = '计量中心'",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(line, 10);

    // A bad row in the compressed file is named by the compressed file's name.
    let mut e = env();
    good_customers(&e.export);
    let bad = text.replace("文新供电所,西湖区,", "文新供电所,西糊区,");
    std::fs::write(e.export.join("units.csv.gz"), gz(&bad)).unwrap();
    let errs = e.errors();
    assert!(
        errs[0].starts_with("units.csv.gz:7: parent: `西糊区`"),
        "{errs:?}"
    );
}

#[test]
fn an_import_without_the_file_keeps_the_units_and_checks_its_customers_against_them() {
    let mut e = env();
    good_customers(&e.export);
    units(&e.export, TREE);
    e.import().unwrap();

    // The next export has no units.csv: the organisation stays as imported.
    std::fs::remove_file(e.export.join("units.csv")).unwrap();
    customers(
        &e.export,
        &[
            ("C4", "文新供电所", "西湖区"),
            ("C5", "新建供电所", "西湖区"),
        ],
    );
    let errs = e.errors();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("customers.csv:3: station: `新建供电所` is not a unit of units.csv"),
        "{errs:?}"
    );
    assert_eq!(e.count("customers"), 3, "the refused import wrote nothing");

    customers(&e.export, &[("C4", "文新供电所", "西湖区")]);
    e.import().unwrap();
    let h = Hierarchy::load(&e.ds.conn).unwrap();
    assert!(h.imported);
    assert_eq!(h.len(), 9);
    assert_eq!(e.count("customers"), 4);
}

#[test]
fn without_any_units_file_the_tree_is_district_then_station() {
    let mut e = env();
    customers(
        &e.export,
        &[
            ("C1", "城西供电所", "西湖区"),
            ("C2", "任意供电所", "任意区"),
        ],
    );
    e.import().unwrap();
    assert_eq!(e.count("units"), 0);
    let h = Hierarchy::load(&e.ds.conn).unwrap();
    assert!(!h.imported);
    assert_eq!(h.parent("任意供电所"), Some("任意区"));
    assert_eq!(h.get("西湖区").unwrap().level, UnitLevel::County);
}

#[test]
fn a_units_file_later_applies_to_the_customers_stored_before() {
    let mut e = env();
    customers(
        &e.export,
        &[("C1", "城西供电所", "西湖区"), ("C2", "旧供电所", "西湖区")],
    );
    e.import().unwrap();
    // Units now, with only C1 in this export: C2 (stored by import 1) has no station unit.
    customers(&e.export, &[("C1", "城西供电所", "西湖区")]);
    units(&e.export, TREE);
    let errs = e.errors();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("customers.csv:3 of import 1: station: `旧供电所` is not a unit"),
        "{errs:?}"
    );
    assert_eq!(e.count("units"), 0);
}
