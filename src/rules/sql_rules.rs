//! The rules that are one SQL query each (archive, metering, suspension length, contract,
//! service). Every query returns `cust_no, subject, evidence, amount_yuan`, the evidence as a
//! `json_object` of its kind (`rules::evidence`); thresholds reach it
//! as named parameters (`:low220_max_kva`), lists as JSON arrays (`{text_list(:name)}`). The
//! text is one for every engine: portable SQL and the few marks `rules::dialect` spells per
//! engine (tests/dialect_duckdb.rs runs every rule on DuckDB and compares the rows).

use super::catalogue;
use super::dialect::{Dialect, Rendered};
use super::evidence::Evidence;
use super::Hit;
use crate::error::{JichaError, Result};
use rusqlite::types::Value;
use rusqlite::Connection;
use std::collections::BTreeMap;

pub struct SqlRule {
    pub id: &'static str,
    pub sql: &'static str,
    /// The rule runs only when this query answers true (MTR-05, CON-01, ARC-13: only once the
    /// dataset holds any meter / contract / application rows).
    pub precondition: Option<&'static str>,
}

pub const SQL_RULES: &[SqlRule] = &[
    rule("ARC-01", include_str!("sql/arc01.sql")),
    rule("ARC-02", include_str!("sql/arc02.sql")),
    rule("ARC-03", include_str!("sql/arc03.sql")),
    rule("ARC-04", include_str!("sql/arc04.sql")),
    rule("ARC-05", include_str!("sql/arc05.sql")),
    rule("ARC-06", include_str!("sql/arc06.sql")),
    rule("ARC-07", include_str!("sql/arc07.sql")),
    rule("ARC-08", include_str!("sql/arc08.sql")),
    rule("ARC-09", include_str!("sql/arc09.sql")),
    SqlRule {
        id: "ARC-13",
        sql: include_str!("sql/arc13.sql"),
        precondition: Some("SELECT EXISTS (SELECT 1 FROM applications)"),
    },
    rule("ARC-15", include_str!("sql/arc15.sql")),
    rule("MTR-01", include_str!("sql/mtr01.sql")),
    rule("MTR-02", include_str!("sql/mtr02.sql")),
    rule("MTR-03", include_str!("sql/mtr03.sql")),
    rule("MTR-04", include_str!("sql/mtr04.sql")),
    SqlRule {
        id: "MTR-05",
        sql: include_str!("sql/mtr05.sql"),
        precondition: Some("SELECT EXISTS (SELECT 1 FROM meters)"),
    },
    rule("SUS-02", include_str!("sql/sus02.sql")),
    rule("SUS-03", include_str!("sql/sus03.sql")),
    SqlRule {
        id: "CON-01",
        sql: include_str!("sql/con01.sql"),
        precondition: Some("SELECT EXISTS (SELECT 1 FROM contracts)"),
    },
    rule("SVC-01", include_str!("sql/svc01.sql")),
];

const fn rule(id: &'static str, sql: &'static str) -> SqlRule {
    SqlRule {
        id,
        sql,
        precondition: None,
    }
}

/// Named parameter values, without the leading `:`.
pub type Params = BTreeMap<String, Value>;

impl SqlRule {
    /// The rule's query as `dialect` spells it, with its parameter names.
    pub fn text(&self, dialect: Dialect) -> Result<Rendered> {
        dialect
            .render(self.sql)
            .map_err(|e| JichaError::invalid(format!("rule {}: {e}", self.id)))
    }

    /// Runs the rule; returns false (and reports nothing) when its precondition does not hold.
    pub fn run(
        &self,
        conn: &Connection,
        params: &Params,
        sink: &mut dyn FnMut(Hit) -> Result<()>,
    ) -> Result<bool> {
        if let Some(pre) = self.precondition {
            let holds: bool = conn.query_row(pre, [], |r| r.get(0))?;
            if !holds {
                return Ok(false);
            }
        }
        let def = catalogue::find(self.id).expect("SQL rules are in the catalogue");
        let sql = self.text(Dialect::Sqlite)?.sql;
        let mut stmt = conn.prepare_cached(&sql)?;
        for i in 1..=stmt.parameter_count() {
            let name = stmt.parameter_name(i).unwrap_or_default();
            let value = params.get(name.trim_start_matches(':')).ok_or_else(|| {
                JichaError::invalid(format!("rule {}: no value for parameter {name}", self.id))
            })?;
            stmt.raw_bind_parameter(i, value)?;
        }
        let mut rows = stmt.raw_query();
        while let Some(r) = rows.next()? {
            let evidence = self.evidence(r.get_ref(2)?.as_str().unwrap_or_default())?;
            sink(Hit {
                rule: self.id.to_string(),
                cust_no: r.get(0)?,
                subject: r.get(1)?,
                severity: def.severity,
                level: None,
                evidence,
                amount_yuan: r.get(3)?,
            })?;
        }
        Ok(true)
    }

    /// The query's `json_object(...)` as evidence values, stored in their one canonical form; a
    /// query whose evidence does not fit its kind is a defect of the rule, named as such.
    fn evidence(&self, json: &str) -> Result<String> {
        let e: Evidence = serde_json::from_str(json).map_err(|e| {
            JichaError::invalid(format!(
                "rule {}: its evidence {json} does not fit its kind: {e}",
                self.id
            ))
        })?;
        Ok(e.to_stored())
    }
}
