//! The incremental rescan (ARCHITECTURE.md "Incremental rescan"): a rescan with the same as-of
//! date, thresholds and built-in rule pack as the scan before it re-judges only the customers
//! whose rows within the rules' window changed since that scan, and carries every other
//! customer's hits over from the findings that scan left.
//!
//! Every built-in rule but SVC-01 judges one customer from that customer's own rows (its
//! `customers` row, its bills up to the month of D, meters, suspensions, contracts,
//! applications, external events, source history), reached through a join with `customers`
//! (or, for the bill pass, an ordered read of `customers` and `bills`). So the evaluation runs
//! unchanged with two TEMP views named `customers` and `bills` in front of the tables: SQLite
//! resolves an unqualified name in `temp` first, and the views hold only the customers of
//! `temp.scan_scope`. The one judgement that spans customers is ARC-10's "the earliest bill
//! period of the dataset": the rescan is incremental only while that period is the one the
//! last scan saw, and a customer holding it is put in the scope so that the pass sees it.
//! SVC-01 (applications without a 户号 are nobody's), the external findings and the site rules
//! read their own tables in full: they are re-judged whole and not carried.

use super::catalogue;
use super::sql_rules::SQL_RULES;
use super::Coverage;
use crate::dates::period_of;
use crate::error::Result;
use crate::thresholds::Thresholds;
use chrono::NaiveDate;
use rusqlite::{named_params, params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

/// The rules re-judged whole on every scan (their findings are never carried over).
pub const WHOLE: &[&str] = &["SVC-01"];

/// Above this share of the active customers changed, a full scan is cheaper than the views.
pub const MAX_SHARE: f64 = 0.25;

/// What kind of scan ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Full,
    Incremental,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Full => "full",
            Kind::Incremental => "incremental",
        }
    }
}

/// Why a rescan could not be incremental (said in the diagnostic log and kept in tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FullBecause {
    Asked,
    NoEarlierScan,
    /// The last scan has no recorded state (made before schema 17).
    NoState,
    AsOf,
    Thresholds,
    Pack,
    /// An import the last scan saw is no longer there.
    Imports,
    /// The earliest bill period of the dataset moved (ARC-10 judges every customer by it).
    Earliest,
    /// Too many customers changed.
    Share,
    /// The rules that ran (a precondition such as "the dataset holds meters") differ.
    Coverage,
}

/// What a scan judged, as `scan_state` keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub as_of: NaiveDate,
    pub thresholds_sha: String,
    pub pack_sha: String,
    pub imports_max: i64,
    pub imports_count: i64,
    pub earliest_period: Option<String>,
    pub earliest_cust: Option<String>,
    /// `(rule, max_subject)` of the built-in rules that ran, in catalogue order.
    pub coverage: Vec<(String, Option<String>)>,
}

/// The source of the built-in rule pack: a change to any rule's SQL or Rust code, or another
/// version of jicha, is another pack (and the next scan is full).
const PACK_SOURCES: &[&str] = &[
    include_str!("eval.rs"),
    include_str!("sql_rules.rs"),
    include_str!("catalogue.rs"),
    include_str!("dialect.rs"),
    include_str!("evidence.rs"),
    include_str!("num.rs"),
    include_str!("address.rs"),
    include_str!("suspension.rs"),
    include_str!("recent_change.rs"),
    include_str!("history.rs"),
    include_str!("external.rs"),
    include_str!("billing/mod.rs"),
    include_str!("billing/archive.rs"),
    include_str!("billing/gaps.rs"),
    include_str!("billing/periods.rs"),
    include_str!("billing/streams.rs"),
    include_str!("billing/theft.rs"),
    include_str!("billing/view.rs"),
];

/// SHA-256 of the built-in pack: jicha's version, every SQL rule's text and the rules' code.
pub fn pack_sha() -> String {
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    for r in SQL_RULES {
        h.update(r.id.as_bytes());
        h.update([0]);
        h.update(r.sql.as_bytes());
        h.update([0]);
        h.update(r.precondition.unwrap_or_default().as_bytes());
        h.update([0]);
    }
    for src in PACK_SOURCES {
        h.update(src.as_bytes());
        h.update([0]);
    }
    hex::encode(h.finalize())
}

pub fn thresholds_sha(th: &Thresholds) -> String {
    hex::encode(Sha256::digest(th.to_json().to_string().as_bytes()))
}

/// `(count, max id)` of the imports a connection's snapshot holds.
pub fn imports_seen(conn: &Connection) -> Result<(i64, i64)> {
    Ok(conn.query_row(
        "SELECT count(*), coalesce(max(id), 0) FROM facts.imports",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// The built-in rules of a coverage, in its order (external rules left out).
pub fn builtin_coverage(c: &Coverage) -> Vec<(String, Option<String>)> {
    c.rules
        .iter()
        .filter(|r| catalogue::find(&r.rule).is_some())
        .map(|r| (r.rule.clone(), r.max_subject.clone()))
        .collect()
}

/// The earliest bill period up to `max_period` over every customer, and one customer with a
/// bill of it (a full read of the bills: run by full scans only).
pub fn earliest_bill(conn: &Connection, max_period: &str) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT period, cust_no FROM facts.bills WHERE period <= ?1
             ORDER BY period, cust_no LIMIT 1",
            [max_period],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The state of a scan about to be saved.
pub fn state_of(
    conn: &Connection,
    th: &Thresholds,
    as_of: NaiveDate,
    coverage: &Coverage,
    earliest: Option<(String, String)>,
) -> Result<State> {
    let (imports_count, imports_max) = imports_seen(conn)?;
    let (earliest_period, earliest_cust) = earliest.unzip();
    Ok(State {
        as_of,
        thresholds_sha: thresholds_sha(th),
        pack_sha: pack_sha(),
        imports_max,
        imports_count,
        earliest_period,
        earliest_cust,
        coverage: builtin_coverage(coverage),
    })
}

/// The latest scan and its state (None inside: a scan without one).
pub fn last_scan(conn: &Connection) -> Result<Option<(i64, Option<State>)>> {
    let Some(id) = conn.query_row("SELECT max(id) FROM main.scans", [], |r| {
        r.get::<_, Option<i64>>(0)
    })?
    else {
        return Ok(None);
    };
    let state = conn
        .query_row(
            "SELECT as_of, thresholds_sha, pack_sha, imports_max, imports_count, earliest_period,
                    earliest_cust, coverage
             FROM main.scan_state WHERE scan_id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get::<_, String>(7)?,
                ))
            },
        )
        .optional()?;
    let Some((as_of, thresholds_sha, pack_sha, imports_max, imports_count, ep, ec, cov)) = state
    else {
        return Ok(Some((id, None)));
    };
    let state = crate::dates::parse_date(&as_of).map(|as_of| State {
        as_of,
        thresholds_sha,
        pack_sha,
        imports_max,
        imports_count,
        earliest_period: ep,
        earliest_cust: ec,
        coverage: serde_json::from_str(&cov).unwrap_or_default(),
    });
    Ok(Some((id, state)))
}

/// Saves a scan's state, in the scan's transaction.
pub fn record(conn: &Connection, scan_id: i64, kind: Kind, s: &State, rejudged: u64) -> Result<()> {
    conn.execute(
        "INSERT INTO scan_state(scan_id, kind, as_of, thresholds_sha, pack_sha, imports_max,
                                imports_count, earliest_period, earliest_cust, coverage, rejudged)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            scan_id,
            kind.as_str(),
            s.as_of.to_string(),
            s.thresholds_sha,
            s.pack_sha,
            s.imports_max,
            s.imports_count,
            s.earliest_period,
            s.earliest_cust,
            serde_json::to_string(&s.coverage).expect("serializable"),
            i64::try_from(rejudged).unwrap_or(i64::MAX),
        ],
    )?;
    Ok(())
}

/// A rescan that may be incremental: the scan before it, its state, and the customers to
/// re-judge, in `temp.scan_scope`.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub prev_scan: i64,
    pub prev: State,
    /// Customers in `temp.scan_scope`.
    pub customers: u64,
    /// The earliest bill period now, and the customer holding it that is in the scope.
    pub earliest: (String, String),
}

const CREATE_SCOPE: &str = "
    DROP TABLE IF EXISTS temp.scan_scope;
    CREATE TEMP TABLE scan_scope (cust_no TEXT PRIMARY KEY) WITHOUT ROWID;";

/// The customers whose rows a rule reads changed since import `h` (exclusive): a row written
/// by a later import (new or changed; a bill only up to `:max`), or a row a later import
/// superseded or found gone (its old version's customer). Each with its earliest new bill
/// period up to `:max` (NULL: none).
const CHANGED_SQL: &str = "
    INSERT INTO temp.scan_scope(cust_no)
    SELECT cust_no FROM facts.customers WHERE import_id > :h
    UNION SELECT cust_no FROM facts.bills WHERE import_id > :h AND period <= :max
    UNION SELECT cust_no FROM facts.meters WHERE import_id > :h
    UNION SELECT cust_no FROM facts.suspensions WHERE import_id > :h
    UNION SELECT cust_no FROM facts.contracts WHERE import_id > :h
    UNION SELECT cust_no FROM facts.applications WHERE import_id > :h AND cust_no IS NOT NULL
    UNION SELECT cust_no FROM facts.external_findings WHERE import_id > :h
    UNION SELECT cust_no FROM facts.source_history WHERE replaced_by > :h AND cust_no IS NOT NULL";

/// Fills `temp.scan_scope` with the customers changed since import `h`; returns how many.
pub fn changed_customers(conn: &Connection, h: i64, max_period: &str) -> Result<u64> {
    conn.execute_batch(CREATE_SCOPE)?;
    let n = conn.execute(CHANGED_SQL, named_params! {":h": h, ":max": max_period})?;
    Ok(n as u64)
}

/// Decides whether this scan (in `conn`'s read snapshot) can be incremental; when it can, the
/// scope is filled. `Err(reason)` inside: a full scan.
pub fn plan(
    conn: &Connection,
    th: &Thresholds,
    as_of: NaiveDate,
    full: bool,
) -> Result<std::result::Result<Plan, FullBecause>> {
    use FullBecause as F;
    if full {
        return Ok(Err(F::Asked));
    }
    let Some((prev_scan, prev)) = last_scan(conn)? else {
        return Ok(Err(F::NoEarlierScan));
    };
    let Some(prev) = prev else {
        return Ok(Err(F::NoState));
    };
    if prev.as_of != as_of {
        return Ok(Err(F::AsOf));
    }
    if prev.thresholds_sha != thresholds_sha(th) {
        return Ok(Err(F::Thresholds));
    }
    if prev.pack_sha != pack_sha() {
        return Ok(Err(F::Pack));
    }
    let still: i64 = conn.query_row(
        "SELECT count(*) FROM facts.imports WHERE id <= ?1",
        [prev.imports_max],
        |r| r.get(0),
    )?;
    if still != prev.imports_count {
        return Ok(Err(F::Imports));
    }
    let (Some(ep), Some(ec)) = (prev.earliest_period.clone(), prev.earliest_cust.clone()) else {
        return Ok(Err(F::Earliest));
    };
    let max = period_of(as_of);
    let customers = changed_customers(conn, prev.imports_max, &max)?;
    let active: i64 = conn.query_row(
        "SELECT count(*) FROM facts.customers WHERE status = 'active'",
        [],
        |r| r.get(0),
    )?;
    if customers as f64 > MAX_SHARE * active as f64 {
        return Ok(Err(F::Share));
    }
    // The earliest period can only have moved through a changed customer's bills (a new
    // earlier one) or the holder's bill of it going.
    let earlier: Option<String> = conn.query_row(
        "SELECT min(b.period) FROM temp.scan_scope s JOIN facts.bills b ON b.cust_no = s.cust_no
         WHERE b.period < ?1",
        [&ep],
        |r| r.get(0),
    )?;
    let holder_still: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM facts.bills WHERE cust_no = ?1 AND period = ?2)",
        params![ec, ep],
        |r| r.get(0),
    )?;
    if earlier.is_some() || !holder_still {
        return Ok(Err(F::Earliest));
    }
    let added = conn.execute(
        "INSERT OR IGNORE INTO temp.scan_scope(cust_no) VALUES (?1)",
        [&ec],
    )?;
    Ok(Ok(Plan {
        prev_scan,
        prev,
        customers: customers + added as u64,
        earliest: (ep, ec),
    }))
}

/// The views that restrict the rules to `temp.scan_scope`.
const SHADOW: &str = "
    DROP VIEW IF EXISTS temp.customers; DROP VIEW IF EXISTS temp.bills;
    CREATE TEMP VIEW customers AS
        SELECT * FROM facts.customers WHERE cust_no IN (SELECT cust_no FROM temp.scan_scope);
    CREATE TEMP VIEW bills AS
        SELECT * FROM facts.bills WHERE cust_no IN (SELECT cust_no FROM temp.scan_scope);";

const UNSHADOW: &str = "DROP VIEW IF EXISTS temp.customers; DROP VIEW IF EXISTS temp.bills;";

/// Runs `f` with the rules restricted to the scope (the views are gone afterwards, whatever
/// `f` answered).
pub fn scoped<T>(conn: &Connection, f: impl FnOnce() -> Result<T>) -> Result<T> {
    conn.execute_batch(SHADOW)?;
    let out = f();
    let dropped = conn.execute_batch(UNSHADOW);
    let out = out?;
    dropped?;
    Ok(out)
}

/// Drops the scope table.
pub fn drop_scope(conn: &Connection) -> Result<()> {
    conn.execute_batch("DROP TABLE IF EXISTS temp.scan_scope;")?;
    Ok(())
}

/// The hits of scan `prev` for the customers outside the scope, of the rules carried over
/// (built-in, not in [`WHOLE`]), into `temp.scan_hits`. Returns how many.
pub fn carry_over(
    conn: &Connection,
    coverage: &[(String, Option<String>)],
    prev_scan: i64,
) -> Result<u64> {
    let rules: Vec<&str> = coverage
        .iter()
        .map(|(r, _)| r.as_str())
        .filter(|r| !WHOLE.contains(r))
        .collect();
    let list = serde_json::to_string(&rules).expect("serializable");
    let n = conn.execute(
        "INSERT INTO temp.scan_hits(rule, cust_no, subject, severity, level, evidence, amount_yuan)
         SELECT f.rule, f.cust_no, f.subject, f.severity, f.level, f.evidence, f.amount_yuan
         FROM main.findings f
         WHERE f.last_scan = ?1
           AND f.rule IN (SELECT value FROM json_each(?2))
           AND f.cust_no NOT IN (SELECT cust_no FROM temp.scan_scope)
         ON CONFLICT DO NOTHING",
        params![prev_scan, list],
    )?;
    Ok(n as u64)
}
