//! `jicha unit list|show` in both languages, a typed unit that is not known refused with the
//! nearest names, and `findings --unit` (and its old name `--station`) rolling up a unit to
//! the findings of every station below it.

mod common;
use jicha::cli::run_in_process;
use std::path::{Path, PathBuf};

fn run(db: &Path, args: &[&str]) -> (u8, String, String) {
    run_on(db, "2026-11-20", args)
}

fn run_on(db: &Path, today: &str, args: &[&str]) -> (u8, String, String) {
    let mut full = vec![
        "jicha",
        "--db",
        db.to_str().unwrap(),
        "--today",
        today,
        "--operator",
        "admin1",
    ];
    full.extend(args);
    let (code, out, err) = run_in_process(full);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn ok(db: &Path, args: &[&str]) -> String {
    let (code, out, err) = run(db, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

/// The fixture (C1, C2 at 城关供电所 in 西湖区; C3 at 城北供电所 in 拱墅区; findings 1–4 of
/// C1/C2, 5 of C3) with a ticket on finding 4 (unit 城关供电所), overdue on 2026-11-20 when
/// `due` is before it.
fn dataset(due: &str) -> (tempfile::TempDir, PathBuf) {
    let (dir, ds) = common::fixture();
    let db = ds.path.clone();
    drop(ds);
    let (code, _, err) = run_on(
        &db,
        "2026-11-02",
        &[
            "ticket",
            "create",
            "--findings",
            "4",
            "--requirement",
            "核实",
            "--due",
            due,
        ],
    );
    assert_eq!(code, 0, "{err}");
    (dir, db)
}

/// An imported organisation above the fixture's stations, and an operator bound to a county.
fn with_units(db: &Path) {
    let conn = common::raw(db);
    conn.execute_batch(
        "INSERT INTO units(name, parent, level, head, import_id, src_line) VALUES
           ('国网某市供电公司', NULL, 'city', '吴海燕', 1, 2),
           ('西湖区', '国网某市供电公司', 'county', '郑立新', 1, 3),
           ('拱墅区', '国网某市供电公司', 'county', NULL, 1, 4),
           ('城关供电所', '西湖区', 'station', '王磊', 1, 5),
           ('城北供电所', '拱墅区', 'station', NULL, 1, 6),
           ('计量中心', '国网某市供电公司', 'department', '刘洋', 1, 7);
         INSERT INTO operators(login, role, name, added_at, added_by, unit)
           VALUES ('zhou', 'auditor', '周敏', '2026-01-01T00:00:00Z', 'admin1', '西湖区');",
    )
    .unwrap();
}

fn ids(csv: &str) -> Vec<i64> {
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let mut v: Vec<i64> = r
        .records()
        .map(|rec| rec.unwrap()[0].parse().unwrap())
        .collect();
    v.sort();
    v
}

#[test]
fn list_is_the_tree_with_customers_and_open_tickets_per_subtree() {
    let (_dir, db) = dataset("2026-12-31");
    let out = ok(&db, &["--lang", "en", "unit", "list"]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("(no units.csv imported"), "{out}");
    assert!(lines[1].starts_with("unit "), "{out}");
    let row = |name: &str| {
        *lines
            .iter()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("{name} missing: {out}"))
    };
    // Derived tree: each district a county with its stations indented below it.
    assert!(row("西湖区").starts_with("西湖区"), "{out}");
    assert!(row("城关供电所").starts_with("  城关供电所"), "{out}");
    let cells = |l: &str| l.split_whitespace().map(String::from).collect::<Vec<_>>();
    assert_eq!(cells(row("西湖区")), ["西湖区", "county", "2", "1"]);
    assert_eq!(
        cells(row("城北供电所")),
        ["城北供电所", "station", "拱墅区", "1", "0"]
    );

    let zh = ok(&db, &["--lang", "zh", "unit", "list"]);
    assert!(zh.contains("未导入 `units.csv`"), "{zh}");
    assert!(zh.lines().nth(1).unwrap().starts_with("单位"), "{zh}");
    assert!(zh.contains("县公司") && zh.contains("供电所"), "{zh}");

    let json = ok(&db, &["unit", "list", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let xh = v
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == "西湖区")
        .unwrap();
    assert_eq!(xh["level"], "county");
    assert_eq!(xh["customers"], 2);
    assert_eq!(xh["open_tickets"], 1);
    assert_eq!(xh["overdue_tickets"], 0);
    let csv = ok(&db, &["unit", "list", "--format", "csv"]);
    assert!(
        csv.starts_with("unit,level,parent,head,depth,customers,open_tickets,overdue_tickets\n")
    );
    assert!(
        csv.contains("\n城关供电所,station,西湖区,,1,2,1,0\n"),
        "{csv}"
    );
}

#[test]
fn show_gives_path_stations_operators_and_tickets_in_both_languages() {
    let (_dir, db) = dataset("2026-11-10");
    with_units(&db);
    let out = ok(&db, &["--lang", "en", "unit", "show", "西湖区"]);
    assert!(out.starts_with("西湖区\n"), "{out}");
    for want in [
        "国网某市供电公司 → 西湖区",
        "county",
        "郑立新",
        "城关供电所",
        "zhou (周敏, auditor)",
    ] {
        assert!(out.contains(want), "{want}: {out}");
    }
    let line = |label: &str| {
        out.lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("{label}: {out}"))
            .to_string()
    };
    assert!(line("customers:").ends_with(" 2"), "{out}");
    assert!(line("open tickets:").ends_with(" 1"), "{out}");
    assert!(line("overdue tickets:").ends_with(" 1"), "{out}");
    assert!(
        out.lines().any(|l| l.contains("城关供电所")
            && l.contains("2026-11-10")
            && l.ends_with("OVERDUE")),
        "{out}"
    );

    let zh = ok(&db, &["--lang", "zh", "unit", "show", "国网某市供电公司"]);
    assert!(zh.contains("层级："), "{zh}");
    assert!(zh.contains("地市公司") && zh.contains("吴海燕"), "{zh}");
    let below = zh.lines().find(|l| l.starts_with("下级单位：")).unwrap();
    assert!(below.ends_with(" 拱墅区、西湖区、计量中心"), "{zh}");
    let under = zh.lines().find(|l| l.starts_with("所辖供电所：")).unwrap();
    assert!(
        under.contains("城关供电所") && under.contains("城北供电所"),
        "{zh}"
    );
    assert!(
        zh.lines()
            .any(|l| l.starts_with("客户数：") && l.ends_with(" 3")),
        "{zh}"
    );
    assert!(
        zh.lines()
            .any(|l| l.starts_with("超期工单：") && l.ends_with(" 1")),
        "{zh}"
    );

    let json = ok(&db, &["unit", "show", "计量中心", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["level"], "department");
    assert_eq!(
        v["path"],
        serde_json::json!(["国网某市供电公司", "计量中心"])
    );
    assert_eq!(v["stations"], serde_json::json!([]));
    assert_eq!(v["customers"], 0);
}

#[test]
fn a_typo_is_refused_with_the_nearest_names_in_both_languages() {
    let (_dir, db) = dataset("2026-12-31");
    let (code, out, err) = run(&db, &["--lang", "en", "unit", "show", "城关所"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(
        err.contains("`城关所` is not a unit") && err.contains("城关供电所"),
        "{err}"
    );
    let (code, _, err) = run(&db, &["--lang", "zh", "unit", "show", "城关所"]);
    assert_eq!(code, 1);
    assert!(err.contains("是否要找 城关供电所"), "{err}");
    let (code, _, err) = run(&db, &["--lang", "en", "findings", "--unit", "西湖"]);
    assert_eq!(code, 1);
    assert!(err.contains("did you mean 西湖区"), "{err}");
}

#[test]
fn findings_unit_on_a_county_is_the_findings_of_its_stations() {
    let (_dir, db) = dataset("2026-12-31");
    // Derived tree: 西湖区 → 城关供电所 (C1, C2).
    let county = ok(&db, &["findings", "--unit", "西湖区", "--format", "csv"]);
    assert_eq!(ids(&county), [1, 2, 3, 4]);
    let old = ok(&db, &["findings", "--station", "西湖区", "--format", "csv"]);
    assert_eq!(
        ids(&old),
        [1, 2, 3, 4],
        "--station is the old name of --unit"
    );
    let station = ok(
        &db,
        &["findings", "--unit", "城北供电所", "--format", "csv"],
    );
    assert_eq!(ids(&station), [5]);

    // Imported tree: the city holds both counties; a department holds no customers.
    with_units(&db);
    let city = ok(
        &db,
        &["findings", "--unit", "国网某市供电公司", "--format", "csv"],
    );
    assert_eq!(ids(&city), [1, 2, 3, 4, 5]);
    let county = ok(
        &db,
        &[
            "findings",
            "--unit",
            "拱墅区",
            "--status",
            "new",
            "--format",
            "csv",
        ],
    );
    assert_eq!(ids(&county), [5]);
    let dept = ok(&db, &["findings", "--unit", "计量中心", "--format", "csv"]);
    assert!(ids(&dept).is_empty());
}
