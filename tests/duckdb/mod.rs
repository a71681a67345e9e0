//! The bridge to DuckDB for tests/dialect_duckdb.rs: the prebuilt DuckDB of the `duckdb` Python
//! wheel, driven by `run_rules.py` (tables and queries in as JSON, rows out as JSON). Without
//! Python or the wheel the tests fail, saying what to install: CI (.ci/run) installs both.
#![allow(dead_code)]

use rusqlite::types::{Value, ValueRef};
use rusqlite::Connection;
use serde_json::{json, Value as Json};
use std::io::Write;
use std::process::{Command, Stdio};

/// The Python that has the `duckdb` package: `$JICHA_PYTHON`, else `python3` when it has it,
/// else a virtual environment of the tests' own (under target/, made once with the wheel from
/// the package registry), so that the README's test command runs on a fresh machine.
pub fn python() -> String {
    static PYTHON: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PYTHON.get_or_init(find_python).clone()
}

fn has_duckdb(py: &str) -> std::io::Result<std::process::Output> {
    Command::new(py)
        .args(["-c", "import duckdb; print(duckdb.__version__)"])
        .output()
}

fn find_python() -> String {
    if let Ok(py) = std::env::var("JICHA_PYTHON") {
        return match has_duckdb(&py) {
            Ok(o) if o.status.success() => py,
            Ok(o) => panic!(
                "the DuckDB dialect test needs the duckdb Python package for JICHA_PYTHON={py}: \
                 install it with `{py} -m pip install duckdb` (or unset JICHA_PYTHON to let the \
                 test make its own environment). {py} said: {}",
                String::from_utf8_lossy(&o.stderr).trim()
            ),
            Err(e) => panic!("JICHA_PYTHON={py} cannot be run: {e}"),
        };
    }
    if has_duckdb("python3").is_ok_and(|o| o.status.success()) {
        return "python3".into();
    }
    let venv = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("duckdb-venv");
    let py = venv.join("bin/python").display().to_string();
    if has_duckdb(&py).is_ok_and(|o| o.status.success()) {
        return py;
    }
    let run = |cmd: &mut Command, what: &str| match cmd.output() {
        Ok(o) if o.status.success() => {}
        Ok(o) => panic!(
            "the DuckDB dialect test needs Python 3 with the duckdb wheel; {what} failed: {} \
             (install python3 and python3-venv, or set JICHA_PYTHON to a Python that has \
             duckdb; .ci/run does both)",
            String::from_utf8_lossy(&o.stderr).trim()
        ),
        Err(e) => panic!(
            "the DuckDB dialect test needs Python 3 with the duckdb wheel: install python3 and \
             python3-venv (or set JICHA_PYTHON; .ci/run does both). Running python3 failed: {e}"
        ),
    };
    run(
        Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(&venv),
        "making a virtual environment",
    );
    run(
        Command::new(&py).args(["-m", "pip", "install", "--quiet", "duckdb==2.0.1"]),
        "installing the duckdb wheel",
    );
    py
}

/// One query for DuckDB.
pub struct Query {
    pub id: String,
    pub precondition: Option<String>,
    pub sql: String,
    pub params: serde_json::Map<String, Json>,
}

/// What DuckDB answered for one query.
#[derive(Debug)]
pub struct Answer {
    pub id: String,
    pub ran: bool,
    pub rows: Vec<Vec<Json>>,
    pub error: Option<String>,
}

/// A table to create in DuckDB: its columns with DuckDB types, and its rows.
pub struct Table {
    pub name: String,
    pub columns: Vec<(String, String)>,
    pub rows: Vec<Vec<Json>>,
}

/// The DuckDB type for an SQLite declared type (SQLite's affinity rules, rules.md's columns).
fn duck_type(declared: &str) -> &'static str {
    let d = declared.to_ascii_uppercase();
    if d.contains("INT") {
        "BIGINT"
    } else if d.contains("REAL") || d.contains("FLOA") || d.contains("DOUB") {
        "DOUBLE"
    } else {
        "VARCHAR"
    }
}

/// A value as JSON: integers, reals, text and NULL as they are.
pub fn to_json(v: ValueRef<'_>) -> Json {
    match v {
        ValueRef::Null => Json::Null,
        ValueRef::Integer(i) => json!(i),
        ValueRef::Real(f) => json!(f),
        ValueRef::Text(t) => json!(String::from_utf8_lossy(t)),
        ValueRef::Blob(_) => panic!("no blob in a data-contract table"),
    }
}

pub fn value_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Integer(i) => json!(i),
        Value::Real(f) => json!(f),
        Value::Text(t) => json!(t),
        Value::Blob(_) => panic!("no blob parameter"),
    }
}

/// `name` copied out of an SQLite dataset, with its declared column types.
pub fn export(conn: &Connection, name: &str) -> Table {
    let mut info = conn
        .prepare(&format!(
            "SELECT name, type FROM pragma_table_info('{name}') ORDER BY cid"
        ))
        .unwrap();
    let columns: Vec<(String, String)> = info
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                duck_type(&r.get::<_, String>(1)?).to_string(),
            ))
        })
        .unwrap()
        .map(|c| c.unwrap())
        .collect();
    assert!(!columns.is_empty(), "no table {name}");
    let mut stmt = conn.prepare(&format!("SELECT * FROM {name}")).unwrap();
    let n = columns.len();
    let mut rows = Vec::new();
    let mut q = stmt.query([]).unwrap();
    while let Some(r) = q.next().unwrap() {
        rows.push((0..n).map(|i| to_json(r.get_ref(i).unwrap())).collect());
    }
    Table {
        name: name.to_string(),
        columns,
        rows,
    }
}

/// Loads `tables` into a fresh in-memory DuckDB and runs `queries` there, in one Python run.
pub fn run(tables: &[Table], queries: &[Query]) -> (String, Vec<Answer>) {
    let py = python();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/duckdb/run_rules.py");
    let doc = json!({
        "tables": tables.iter().map(|t| json!({
            "name": t.name,
            "columns": t.columns.iter().map(|(c, ty)| json!([c, ty])).collect::<Vec<_>>(),
            "rows": t.rows,
        })).collect::<Vec<_>>(),
        "queries": queries.iter().map(|q| json!({
            "id": q.id, "precondition": q.precondition, "sql": q.sql, "params": q.params,
        })).collect::<Vec<_>>(),
    });
    let mut child = Command::new(&py)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("running {py} {script}: {e}"));
    let input = serde_json::to_vec(&doc).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "{script} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answer: Json = serde_json::from_slice(&out.stdout).unwrap();
    let version = answer["duckdb"].as_str().unwrap_or_default().to_string();
    let answers = answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| Answer {
            id: a["id"].as_str().unwrap().to_string(),
            ran: a["ran"].as_bool().unwrap(),
            rows: a["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_array().unwrap().clone())
                .collect(),
            error: a["error"].as_str().map(str::to_string),
        })
        .collect();
    (version, answers)
}
