//! One file of an export: header to columns, then each record checked and upserted at once,
//! streaming (one reused record, one prepared statement, nothing collected per row).

use super::contract::{FileSpec, MAX_COLUMNS};
use super::errors::Errors;
use super::files::Planned;
use super::lines::Records;
use super::values::{self, show, Val};
use crate::error::{JichaError, Result};
use crate::progress::{Callback, Progress};
use crate::text::escape;
use rusqlite::{ffi, ErrorCode, Transaction};
use std::collections::HashMap;
use std::fs::File;
use std::ops::ControlFlow;

/// How often (in rows) progress is reported and cancellation checked.
const PROGRESS_EVERY: u64 = 10_000;
/// Customers whose rows failed are remembered (up to this many) so that a bill for one of them
/// says "its row has errors" rather than "does not exist".
const MAX_BAD_CUSTOMERS: usize = 100_000;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
}

/// What the files of one run share.
#[derive(Default)]
pub struct RunState {
    pub errors: Errors,
    pub warnings: Vec<String>,
    bad_customers: HashMap<String, u64>,
}

impl RunState {
    pub fn new(warnings: Vec<String>) -> Self {
        RunState {
            warnings,
            ..Default::default()
        }
    }
}

pub fn load_file(
    tx: &Transaction,
    planned: &Planned,
    import_id: i64,
    st: &mut RunState,
    progress: Callback,
) -> Result<Counts> {
    let spec = planned.spec;
    let name = spec.file;
    let report = |progress: &mut dyn FnMut(&Progress) -> ControlFlow<()>, done: u64| {
        let p = Progress {
            stage: name.to_string(),
            done,
            total: planned.size,
        };
        match progress(&p) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(JichaError::Cancelled),
        }
    };
    report(progress, 0)?;
    let file = File::open(&planned.path)
        .map_err(|e| JichaError::invalid(format!("{name}: cannot be read: {e}")))?;
    let mut recs = Records::new(file);
    let read_err = |e: csv::Error| JichaError::invalid(format!("{name}: cannot be read: {e}"));

    let Some(map) = read_header(spec, &mut recs, st).map_err(read_err)? else {
        return Ok(Counts::default());
    };
    let n_fields = recs.record.len();
    let n_cols = spec.columns.len();
    let key_idx: Vec<usize> = spec
        .key
        .iter()
        .map(|k| spec.column_index(k).expect("key column in spec"))
        .collect();
    let cust_idx = spec.column_index("cust_no");
    let order_idx: Vec<(usize, usize)> = spec
        .date_order
        .iter()
        .map(|(a, b)| {
            (
                spec.column_index(a).expect("date column"),
                spec.column_index(b).expect("date column"),
            )
        })
        .collect();
    let empty_as = spec
        .empty_as
        .map(|(c, v)| (spec.column_index(c).expect("column"), v));

    let before = count(tx, spec)?;
    let mut upsert = tx.prepare_cached(&spec.upsert_sql())?;
    let mut customer_exists = tx.prepare_cached("SELECT 1 FROM customers WHERE cust_no = ?1")?;
    // Exports list a customer's rows together, so most rows name the customer just checked.
    let mut last_customer = String::new();
    let mut rows = 0u64;
    let mut stored = 0u64;
    while let Some(line) = recs.next_record().map_err(read_err)? {
        rows += 1;
        if rows.is_multiple_of(PROGRESS_EVERY) {
            report(progress, recs.bytes_read())?;
        }
        let rec = &recs.record;
        if rec.len() != n_fields {
            st.errors.add(|| {
                format!(
                    "{name}:{line}: the row has {} fields but the header has {n_fields} (a missing comma or an unclosed quote?)",
                    rec.len()
                )
            });
            continue;
        }
        let mut vals = [Val::Null; MAX_COLUMNS];
        let mut bad = false;
        for (i, col) in spec.columns.iter().enumerate() {
            let raw: &[u8] = map[i].map_or(b"", |j| &rec[j]);
            if raw.is_empty() {
                if col.required {
                    st.errors.add(|| {
                        format!("{name}:{line}: {}: required; the field is empty", col.name)
                    });
                    bad = true;
                } else if let Some((_, v)) = empty_as.filter(|(c, _)| *c == i) {
                    vals[i] = Val::Text(v);
                }
                continue;
            }
            let s = match std::str::from_utf8(raw) {
                Ok(s) => s,
                Err(e) => {
                    st.errors
                        .add(|| format!("{name}:{line}: {}: {}", col.name, not_utf8(raw, &e)));
                    bad = true;
                    continue;
                }
            };
            match values::parse(col, s) {
                Ok(v) => vals[i] = v,
                Err(why) => {
                    st.errors
                        .add(|| format!("{name}:{line}: {}: {why}", col.name));
                    bad = true;
                }
            }
        }
        if !bad {
            for &(later, earlier) in &order_idx {
                if let (Some(a), Some(b)) = (vals[later].text(), vals[earlier].text()) {
                    // YYYY-MM-DD compares as text.
                    if a < b {
                        st.errors.add(|| {
                            format!(
                                "{name}:{line}: {}: {a} is before {} {b}",
                                spec.columns[later].name, spec.columns[earlier].name
                            )
                        });
                        bad = true;
                    }
                }
            }
        }
        if bad {
            if spec.table == "customers" && st.bad_customers.len() < MAX_BAD_CUSTOMERS {
                if let Some(c) = cust_idx.and_then(|i| vals[i].text()) {
                    st.bad_customers.entry(c.to_string()).or_insert(line);
                }
            }
            continue;
        }

        if spec.references_customer {
            let cust = cust_idx.and_then(|i| vals[i].text()).unwrap_or("");
            if cust != last_customer {
                if !customer_exists.exists([cust])? {
                    missing_customer(st, name, line, cust);
                    continue;
                }
                last_customer.clear();
                last_customer.push_str(cust);
            }
        }

        for (i, v) in vals[..n_cols].iter().enumerate() {
            upsert.raw_bind_parameter(i + 1, v)?;
        }
        upsert.raw_bind_parameter(n_cols + 1, import_id)?;
        upsert.raw_bind_parameter(n_cols + 2, line as i64)?;
        match upsert.raw_execute() {
            Ok(0) => {
                let key: Vec<Val> = key_idx.iter().map(|&i| vals[i]).collect();
                let first: i64 = tx
                    .prepare_cached(&spec.first_line_sql())?
                    .query_row(rusqlite::params_from_iter(key.iter()), |r| r.get(0))?;
                st.errors.add(|| {
                    let shown: Vec<String> = key
                        .iter()
                        .map(|v| escape(v.text().unwrap_or("")).into_owned())
                        .collect();
                    format!(
                        "{name}:{line}: {}: duplicate key {}: first on line {first}, again on line {line}",
                        spec.key.join(", "),
                        shown.join(" / ")
                    )
                });
            }
            Ok(_) => stored += 1,
            Err(rusqlite::Error::SqliteFailure(f, msg))
                if f.code == ErrorCode::ConstraintViolation =>
            {
                let cust = cust_idx.and_then(|i| vals[i].text()).unwrap_or("");
                if f.extended_code == ffi::SQLITE_CONSTRAINT_FOREIGNKEY && spec.references_customer
                {
                    missing_customer(st, name, line, cust);
                } else {
                    // The checks above should catch everything the schema refuses; if one is
                    // missed, still name the row rather than abort with a bare SQLite error.
                    st.errors.add(|| {
                        format!(
                            "{name}:{line}: the dataset refuses this row ({})",
                            escape(msg.as_deref().unwrap_or("constraint failed"))
                        )
                    });
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    drop(upsert);
    drop(customer_exists);
    report(progress, planned.size)?;
    let inserted = count(tx, spec)? - before;
    Ok(Counts {
        rows,
        inserted,
        updated: stored - inserted,
    })
}

/// Maps each contract column to its field in the file; `None` when the header has errors.
fn read_header<R: std::io::Read>(
    spec: &FileSpec,
    recs: &mut Records<R>,
    st: &mut RunState,
) -> csv::Result<Option<[Option<usize>; MAX_COLUMNS]>> {
    let name = spec.file;
    let Some(line) = recs.next_record()? else {
        st.errors
            .add(|| format!("{name}:1: the file is empty; it needs a header row"));
        return Ok(None);
    };
    let mut map = [None; MAX_COLUMNS];
    let mut ok = true;
    for (j, raw) in recs.record.iter().enumerate() {
        let Ok(text) = std::str::from_utf8(raw) else {
            st.errors.add(|| {
                format!("{name}:{line}: the header is not valid UTF-8; save the file as UTF-8")
            });
            return Ok(None);
        };
        // csv-core drops a leading BOM; this keeps a stray one from hiding the first column.
        let header = text.trim_start_matches('\u{feff}').trim();
        match spec.column_index(header) {
            Some(i) if map[i].is_some() => {
                st.errors
                    .add(|| format!("{name}:{line}: column {header}: appears twice in the header"));
                ok = false;
            }
            Some(i) => map[i] = Some(j),
            None => st.warnings.push(format!(
                "{name}: column {} is not in the contract; ignored",
                escape(header)
            )),
        }
    }
    for (i, col) in spec.columns.iter().enumerate() {
        if col.required && map[i].is_none() {
            st.errors.add(|| {
                format!(
                    "{name}:{line}: column {}: required column is missing",
                    col.name
                )
            });
            ok = false;
        }
    }
    Ok(ok.then_some(map))
}

fn missing_customer(st: &mut RunState, file: &str, line: u64, cust: &str) {
    let bad_line = st.bad_customers.get(cust).copied();
    st.errors.add(|| match bad_line {
        Some(at) => format!(
            "{file}:{line}: cust_no: customer {} is on customers.csv line {at}, which has errors",
            escape(cust)
        ),
        None => format!(
            "{file}:{line}: cust_no: customer {} does not exist (not in customers.csv nor in the dataset)",
            escape(cust)
        ),
    });
}

fn not_utf8(raw: &[u8], e: &std::str::Utf8Error) -> String {
    let at = e.valid_up_to();
    format!(
        "not valid UTF-8 (byte 0x{:02X} after {}); save the file as UTF-8 — a spreadsheet's GBK/ANSI export needs converting",
        raw[at],
        show(&String::from_utf8_lossy(&raw[..at]))
    )
}

fn count(tx: &Transaction, spec: &FileSpec) -> Result<u64> {
    let n: i64 = tx.query_row(&format!("SELECT count(*) FROM {}", spec.table), [], |r| {
        r.get(0)
    })?;
    Ok(n as u64)
}
