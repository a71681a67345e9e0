//! The rule pack on a warehouse engine: every built-in SQL rule runs on DuckDB (the prebuilt
//! engine of the `duckdb` Python wheel, see tests/duckdb/) over the same data as on SQLite, and
//! its full result rows (all columns, sorted) must be SQLite's. The data: the demo export (every
//! rule planted, with near misses just inside each threshold) imported by the real importer,
//! plus rows where the engines' naive spellings part (full-width digits, U+3000, non-ASCII
//! letters, two keywords in one name). A second test shows why a row-for-row comparison is
//! needed: the rule text before the dialect layer runs on DuckDB without an error for ARC-01
//! and MTR-03 and gives other rows.

mod duckdb;

use duckdb::{Answer, Query, Table};
use jicha::context::{Ctx, Lang, Role};
use jicha::db::Dataset;
use jicha::demo::{write_demo, DemoOptions};
use jicha::rules::dialect::Dialect;
use jicha::rules::eval::sql_params;
use jicha::rules::sql_rules::{Params, SQL_RULES};
use jicha::thresholds::Thresholds;
use rusqlite::types::Value;
use rusqlite::Connection;
use serde_json::Value as Json;

const AS_OF: &str = "2026-11-15";

/// The tables the rules read.
const TABLES: &[&str] = &[
    "customers",
    "meters",
    "bills",
    "suspensions",
    "contracts",
    "applications",
    "external_findings",
];

/// The demo (800 customers, every rule planted) through the real importer, then the rows where
/// the engines' naive spellings give different answers, inserted straight into the tables.
fn dataset(dir: &std::path::Path) -> Dataset {
    let export = dir.join("export");
    let opts = DemoOptions {
        customers: 800,
        months: 12,
        seed: 11,
        end_period: "2026-10".into(),
    };
    write_demo(&export, &opts, &mut jicha::progress::silent).unwrap();
    let mut ds = Dataset::create(&dir.join("d.jicha"), "tester", "2026-01-01T00:00:00Z").unwrap();
    let ctx = Ctx {
        unit: None,
        operator: "tester".into(),
        role: Role::Admin,
        today: jicha::dates::parse_date(AS_OF).unwrap(),
        lang: Lang::En,
    };
    jicha::import::import_dir(&mut ds, &ctx, &export, &mut jicha::progress::silent).unwrap();
    ds.conn.execute_batch(TRAPS).unwrap();
    ds
}

/// Customers and meters at the places the engines part.
const TRAPS: &str = "
WITH c(cust_no, name, contact, phone, category, price_code) AS (VALUES
    ('T-FULLWIDTH', '测试户', '张三', '１３８００１３８０００', 'commercial', 'COM'),
    ('T-MIXED', '测试户', '张三', '1380013800a', 'commercial', 'COM'),
    ('T-DASH', '测试户', '张三', '0571-8888666', 'commercial', 'COM'),
    ('T-DASH-FW', '测试户', '张三', '0571-８888666', 'commercial', 'COM'),
    ('T-IDEO-SPACE', '测试户', '　', '13800138000', 'commercial', 'COM'),
    ('T-TAB', '测试户', '	', '13800138000', 'commercial', 'COM'),
    ('T-SPACES', '测试户', '   ', '13800138000', 'commercial', 'COM'),
    ('T-TWO-WORDS', '张记商店有限公司', '张三', '13800138000', 'resident', 'RES'),
    ('T-MODELS', '测试户', '张三', '13800138000', 'commercial', 'COM')
)
INSERT INTO customers(cust_no, name, address, contact, phone, category, price_code, billing_mode,
    voltage_kv, capacity_kva, pf_standard, hslm, temporary, station, district, opened_on, status,
    closed_on, import_id, src_line)
SELECT c.cust_no, c.name, '杭州市西湖区文三路1号', c.contact, c.phone, c.category, c.price_code,
    'single', 0.38, 50, NULL, 0, 0, 'S1', 'D1', '2020-01-01', 'active', NULL, 0, 1
FROM c;
INSERT INTO meters(meter_no, cust_no, model, ct_ratio, pt_ratio, multiplier, installed_on,
    verified_on, import_id, src_line)
VALUES ('T-M1', 'T-MODELS', 'dd862', 1, 1, 1, '2024-01-01', NULL, 0, 1),
       ('T-M2', 'T-MODELS', 'ｄｄ862', 1, 1, 1, '2024-01-01', NULL, 0, 1),
       ('T-M3', 'T-MODELS', 'dx-é', 1, 1, 1, '2024-01-01', NULL, 0, 1);
";

/// The rule parameters as of AS_OF, with one obsolete model that only a Unicode upper() matches.
fn params() -> Params {
    let th = Thresholds::defaults();
    let mut p = sql_params(&th, jicha::dates::parse_date(AS_OF).unwrap());
    let mut models = th.list("obsolete_models");
    models.push("DX-É".into());
    p.insert(
        "obsolete_models".into(),
        Value::Text(serde_json::Value::from(models).to_string()),
    );
    p
}

/// The rows SQLite gives for `sql` (`:name` parameters from `params`); None when `pre` is false.
fn sqlite_rows(
    conn: &Connection,
    pre: Option<&str>,
    sql: &str,
    params: &Params,
) -> Option<Vec<Vec<Json>>> {
    if let Some(pre) = pre {
        let holds: bool = conn.query_row(pre, [], |r| r.get(0)).unwrap();
        if !holds {
            return None;
        }
    }
    let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{e}: {sql}"));
    for i in 1..=stmt.parameter_count() {
        let name = stmt
            .parameter_name(i)
            .unwrap()
            .trim_start_matches(':')
            .to_string();
        stmt.raw_bind_parameter(i, &params[&name]).unwrap();
    }
    let n = stmt.column_count();
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while let Some(r) = rows.next().unwrap() {
        out.push(
            (0..n)
                .map(|i| duckdb::to_json(r.get_ref(i).unwrap()))
                .collect(),
        );
    }
    Some(out)
}

/// Numbers as f64 (500 and 500.0 are one value), JSON text (the evidence) parsed, rows sorted.
fn normal(rows: &[Vec<Json>]) -> Vec<String> {
    fn norm(v: &Json) -> Json {
        match v {
            Json::Number(n) => serde_json::json!(n.as_f64().unwrap()),
            // DuckDB's booleans are SQLite's 1 and 0.
            Json::Bool(b) => serde_json::json!(if *b { 1.0 } else { 0.0 }),
            Json::String(s) if s.starts_with('{') || s.starts_with('[') => {
                serde_json::from_str::<Json>(s).map_or_else(|_| v.clone(), |j| norm(&j))
            }
            Json::Array(a) => Json::Array(a.iter().map(norm).collect()),
            Json::Object(o) => Json::Object(o.iter().map(|(k, v)| (k.clone(), norm(v))).collect()),
            _ => v.clone(),
        }
    }
    let mut out: Vec<String> = rows
        .iter()
        .map(|r| Json::Array(r.iter().map(norm).collect()).to_string())
        .collect();
    out.sort();
    out
}

/// A DuckDB query of `sql` as DuckDB spells it, with the parameters it uses.
fn duck_query(id: &str, pre: Option<&str>, sql: &str, params: &Params) -> Query {
    let r = Dialect::DuckDb.render(sql).unwrap();
    Query {
        id: id.to_string(),
        precondition: pre.map(str::to_string),
        sql: r.sql,
        params: r
            .params
            .iter()
            .map(|n| (n.clone(), duckdb::value_json(&params[n])))
            .collect(),
    }
}

fn tables(conn: &Connection) -> Vec<Table> {
    TABLES.iter().map(|t| duckdb::export(conn, t)).collect()
}

fn answer<'a>(answers: &'a [Answer], id: &str) -> &'a Answer {
    answers.iter().find(|a| a.id == id).unwrap()
}

#[test]
fn every_sql_rule_gives_the_same_rows_on_duckdb_as_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let ds = dataset(dir.path());
    let params = params();
    let queries: Vec<Query> = SQL_RULES
        .iter()
        .map(|r| duck_query(r.id, r.precondition, r.sql, &params))
        .collect();
    let (version, answers) = duckdb::run(&tables(&ds.conn), &queries);
    let mut compared = 0;
    for rule in SQL_RULES {
        let sql = rule.text(Dialect::Sqlite).unwrap().sql;
        let lite = sqlite_rows(&ds.conn, rule.precondition, &sql, &params)
            .unwrap_or_else(|| panic!("{}: precondition false on the demo", rule.id));
        let duck = answer(&answers, rule.id);
        assert_eq!(duck.error, None, "{} failed on DuckDB {version}", rule.id);
        assert!(duck.ran, "{}: precondition false on DuckDB", rule.id);
        assert!(
            !lite.is_empty(),
            "{} has no row on SQLite: nothing compared",
            rule.id
        );
        assert_eq!(
            normal(&duck.rows),
            normal(&lite),
            "{}: DuckDB {version} rows (left) are not SQLite's (right)",
            rule.id
        );
        compared += lite.len();
    }
    assert!(compared > SQL_RULES.len(), "only {compared} rows compared");
}

/// The trap rows reach the rules they are for (else the comparison above would not cover them).
#[test]
fn the_trap_rows_fire_where_sqlite_says() {
    let dir = tempfile::tempdir().unwrap();
    let ds = dataset(dir.path());
    let params = params();
    let custs = |id: &str| -> Vec<String> {
        let rule = SQL_RULES.iter().find(|r| r.id == id).unwrap();
        let sql = rule.text(Dialect::Sqlite).unwrap().sql;
        let rows = sqlite_rows(&ds.conn, rule.precondition, &sql, &params).unwrap();
        let mut v: Vec<String> = rows
            .iter()
            .filter_map(|r| {
                r[0].as_str()
                    .filter(|c| c.starts_with("T-"))
                    .map(|c| format!("{c} {}", r[1].as_str().unwrap()))
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        custs("ARC-01"),
        ["T-DASH-FW -", "T-FULLWIDTH -", "T-MIXED -", "T-SPACES -"]
    );
    assert_eq!(custs("ARC-04"), ["T-TWO-WORDS -"]);
    assert_eq!(custs("MTR-03"), ["T-MODELS T-M1"]);
}

/// The SQLite-only spellings the dialect layer replaced, as they were: two give other rows on
/// DuckDB WITHOUT an error (only a row-for-row comparison catches them), the rest are refused.
mod before {
    pub const ARC01: &str = "
SELECT cust_no, '-' AS subject,
       json_object('kind', 'ARC-01',
                   'contact_empty', json(CASE WHEN no_contact THEN 'true' ELSE 'false' END),
                   'phone_empty', json(CASE WHEN phone = '' THEN 'true' ELSE 'false' END),
                   'bad_phone', CASE WHEN phone <> '' AND NOT phone_ok THEN phone END) AS evidence,
       NULL AS amount_yuan
FROM (
    SELECT cust_no, phone, no_contact,
           (length(phone) = 11 AND phone GLOB '1*' AND phone NOT GLOB '*[^0-9]*')
           OR (length(phone) BETWEEN 10 AND 12 AND phone GLOB '0*' AND phone NOT GLOB '*[^0-9]*')
           OR (phone GLOB '0*-*' AND instr(phone, '-') IN (4, 5)
               AND length(phone) - instr(phone, '-') IN (7, 8)
               AND length(replace(phone, '-', '')) = length(phone) - 1
               AND replace(phone, '-', '') NOT GLOB '*[^0-9]*') AS phone_ok
    FROM (SELECT cust_no, coalesce(phone, '') AS phone, trim(coalesce(contact, '')) = '' AS no_contact
          FROM customers WHERE status = 'active')
)
WHERE no_contact OR NOT phone_ok";

    pub const MTR03: &str = "
SELECT m.cust_no, m.meter_no AS subject,
       json_object('kind', 'MTR-03', 'model', m.model) AS evidence,
       NULL AS amount_yuan
FROM meters m JOIN customers c ON c.cust_no = m.cust_no
WHERE c.status = 'active'
  AND upper(m.model) IN (SELECT upper(value) FROM json_each(:obsolete_models))";

    /// `IS NOT` as null-safe inequality.
    pub const ARC03_IS_NOT: &str = "
SELECT cust_no FROM (
    SELECT cust_no, price_code,
           CASE category WHEN 'resident' THEN 'RES' WHEN 'commercial' THEN 'COM'
                         WHEN 'large_industry' THEN 'IND' WHEN 'agriculture' THEN 'AGR' END AS tariff
    FROM customers WHERE status = 'active'
) WHERE price_code IS NOT tariff";

    /// A bare column beside GROUP BY.
    pub const ARC04_BARE_COLUMN: &str = "
SELECT c.cust_no, c.name, count(*) FROM customers c
JOIN (SELECT value AS word FROM json_each(:business_keywords)) k ON instr(c.name, k.word) > 0
GROUP BY c.cust_no";

    /// julianday.
    pub const SUS02_JULIANDAY: &str = "
SELECT cust_no, CAST(julianday(end_on) - julianday(start_on) AS INTEGER) + 1 AS days
FROM suspensions";

    /// date(d, '-n days').
    pub const ARC13_DATE_MODIFIER: &str = "
SELECT app_no FROM applications
WHERE completed_on >= date(:as_of, '-' || :focus_recent_days || ' days')";
}

#[test]
fn the_old_spellings_give_other_rows_on_duckdb_two_of_them_silently() {
    let dir = tempfile::tempdir().unwrap();
    let ds = dataset(dir.path());
    let params = params();
    let old = [
        ("ARC-01", before::ARC01),
        ("MTR-03", before::MTR03),
        ("IS NOT", before::ARC03_IS_NOT),
        ("bare column", before::ARC04_BARE_COLUMN),
        ("julianday", before::SUS02_JULIANDAY),
        ("date modifier", before::ARC13_DATE_MODIFIER),
    ];
    let queries: Vec<Query> = old
        .iter()
        .map(|(id, sql)| duck_query(id, None, sql, &params))
        .collect();
    let (version, answers) = duckdb::run(&tables(&ds.conn), &queries);

    // Silent: DuckDB runs them, and the rows are not SQLite's.
    for (id, sql) in &old[..2] {
        let lite = sqlite_rows(&ds.conn, None, sql, &params).unwrap();
        let duck = answer(&answers, id);
        assert_eq!(
            duck.error, None,
            "{id} before the fix: DuckDB {version} refused it"
        );
        assert_ne!(
            normal(&duck.rows),
            normal(&lite),
            "{id} before the fix gives SQLite's rows on DuckDB {version}"
        );
    }
    // ARC-01: `[^0-9]` is no negated class in DuckDB's GLOB, so every phone is "bad".
    let active: i64 = ds
        .conn
        .query_row(
            "SELECT count(*) FROM customers WHERE status = 'active'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(answer(&answers, "ARC-01").rows.len() as i64, active);
    // MTR-03: json_each's value is JSON text ("DD862" with its quotes): no model matches.
    assert!(answer(&answers, "MTR-03").rows.is_empty());
    assert!(!sqlite_rows(&ds.conn, None, before::MTR03, &params)
        .unwrap()
        .is_empty());

    // Loud: DuckDB refuses the rest with an error.
    for (id, sql) in &old[2..] {
        assert!(
            sqlite_rows(&ds.conn, None, sql, &params).is_some(),
            "{id} runs on SQLite"
        );
        let duck = answer(&answers, id);
        assert!(
            duck.error.is_some(),
            "{id} before the fix ran on DuckDB {version}: {:?}",
            duck.rows.len()
        );
    }
}

/// Each mark of the dialect layer against the naive spelling, value by value: the naive one
/// parts the engines on some value, the mark never.
#[test]
fn each_mark_agrees_across_engines_where_the_naive_spelling_does_not() {
    let samples = [
        "13800138000",
        "１３８００",
        "",
        "a1",
        " 张三 ",
        "\u{3000}",
        "\t",
        "dd862",
        "ｄｄ862",
        "dx-é",
        "0571-8888666",
    ];
    let cases: [(&str, &str, &str); 4] = [
        ("digits", "v NOT GLOB '*[^0-9]*'", "{digits_only(v)}"),
        ("upper", "upper(v)", "{ascii_upper(v)}"),
        ("trim", "trim(v)", "{trim_spaces(v)}"),
        (
            "list",
            "(SELECT min(value) FROM json_each('[\"a\"]'))",
            "(SELECT min(value) FROM {text_list('[\"a\"]')} AS l)",
        ),
    ];
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch("CREATE TABLE s(v TEXT)").unwrap();
    for s in samples {
        conn.execute("INSERT INTO s VALUES (?1)", [s]).unwrap();
    }
    let table = duckdb::export(&conn, "s");
    let sql = |e: &str| format!("SELECT v, {e} FROM s");
    let mut queries = Vec::new();
    for (id, naive, mark) in cases {
        let p = Params::new();
        queries.push(duck_query(&format!("{id} naive"), None, &sql(naive), &p));
        queries.push(duck_query(&format!("{id} mark"), None, &sql(mark), &p));
    }
    let (version, answers) = duckdb::run(&[table], &queries);
    for (id, naive, mark) in cases {
        let lite_naive = sqlite_rows(&conn, None, &sql(naive), &Params::new()).unwrap();
        let rendered = Dialect::Sqlite.render(&sql(mark)).unwrap().sql;
        let lite_mark = sqlite_rows(&conn, None, &rendered, &Params::new()).unwrap();
        assert_eq!(
            normal(&lite_naive),
            normal(&lite_mark),
            "{id}: SQLite's mark is not its naive spelling"
        );
        let duck_naive = answer(&answers, &format!("{id} naive"));
        let duck_mark = answer(&answers, &format!("{id} mark"));
        assert_eq!(duck_naive.error, None, "{id} naive on DuckDB {version}");
        assert_ne!(
            normal(&duck_naive.rows),
            normal(&lite_naive),
            "{id}: naive spelling agrees on DuckDB {version}"
        );
        assert_eq!(
            normal(&duck_mark.rows),
            normal(&lite_mark),
            "{id}: the mark parts the engines on DuckDB {version}"
        );
    }
}
