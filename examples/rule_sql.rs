//! Writes the built-in SQL rules as one engine spells them, for running the rule pack outside
//! jicha (a warehouse's DuckDB, the sqlite3 CLI of bench/scan_sqlite_baseline.sh):
//!
//!     cargo run --release --example rule_sql -- sqlite|duckdb OUT_DIR [AS_OF]
//!
//! OUT_DIR gets one `<rule>.sql` per rule (the precondition, when the rule has one, as a comment
//! on its first line: `-- precondition: SELECT …`) and `params.json`: the parameter values with
//! the default thresholds as of AS_OF (default today), the names without `:` / `$`.
use jicha::rules::dialect::Dialect;
use jicha::rules::eval::sql_params;
use jicha::rules::sql_rules::SQL_RULES;
use jicha::thresholds::Thresholds;
use rusqlite::types::Value;
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: rule_sql sqlite|duckdb OUT_DIR [AS_OF YYYY-MM-DD]";
    let dialect = match args.get(1).map(String::as_str) {
        Some("sqlite") => Dialect::Sqlite,
        Some("duckdb") => Dialect::DuckDb,
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    let Some(out) = args.get(2).map(PathBuf::from) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let as_of = match args.get(3) {
        Some(s) => jicha::dates::parse_date(s).unwrap_or_else(|| {
            eprintln!("AS_OF {s} is not a date YYYY-MM-DD\n{usage}");
            std::process::exit(2);
        }),
        None => chrono::Local::now().date_naive(),
    };
    std::fs::create_dir_all(&out).expect("create OUT_DIR");
    for rule in SQL_RULES {
        let text = rule.text(dialect).expect("built-in rules render");
        let pre = rule
            .precondition
            .map(|p| format!("-- precondition: {p}\n"))
            .unwrap_or_default();
        let name = format!("{}.sql", rule.id.to_ascii_lowercase().replace('-', ""));
        std::fs::write(out.join(name), format!("{pre}{}\n", text.sql.trim_end()))
            .expect("write a rule file");
    }
    let params: serde_json::Map<String, serde_json::Value> =
        sql_params(&Thresholds::defaults(), as_of)
            .into_iter()
            .map(|(k, v)| {
                let j = match v {
                    Value::Integer(i) => serde_json::json!(i),
                    Value::Real(f) => serde_json::json!(f),
                    Value::Text(t) => serde_json::json!(t),
                    Value::Null | Value::Blob(_) => serde_json::Value::Null,
                };
                (k, j)
            })
            .collect();
    std::fs::write(
        out.join("params.json"),
        serde_json::to_string_pretty(&params).expect("params serialize"),
    )
    .expect("write params.json");
    println!(
        "{} rules and params.json in {}",
        SQL_RULES.len(),
        out.display()
    );
}
