//! The tickets of the report: those issued in the range and not cancelled by the end of `to`,
//! each with its findings counted per rule (a problem, 稽查问题, is one finding on a ticket),
//! whether it was approved by the end of `to` (the business date of its final approval; an
//! archived ticket keeps it) and whether it is overdue.

use crate::error::Result;
use rusqlite::Connection;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct IssuedTicket {
    pub number: String,
    pub unit: String,
    pub state: String,
    pub issued_on: String,
    pub due_on: String,
    /// The approval's business date when it is on or before `to`.
    pub approved_on: Option<String>,
    /// Approved after `due_on`, or not approved by the end of `to` and `to` after `due_on`.
    pub late: bool,
    /// Days past `due_on` at approval, or at `to` when not approved (0 when not late).
    pub days_late: i64,
    /// Findings on the ticket by rule.
    pub problems: BTreeMap<String, u64>,
}

impl IssuedTicket {
    pub fn completed(&self) -> bool {
        self.approved_on.is_some()
    }
}

pub fn issued(conn: &Connection, from: &str, to: &str) -> Result<Vec<IssuedTicket>> {
    let mut stmt = conn.prepare(
        "SELECT t.number, t.unit, t.state, t.issued_on, t.due_on,
                CASE WHEN t.approved_on <= :to THEN t.approved_on END, f.rule, count(f.id)
         FROM tickets t
         LEFT JOIN ticket_findings tf ON tf.ticket_id = t.id
         LEFT JOIN findings f ON f.id = tf.finding_id
         WHERE t.issued_on BETWEEN :from AND :to AND (t.cancelled_on IS NULL OR t.cancelled_on > :to)
         GROUP BY t.id, f.rule ORDER BY t.id, f.rule",
    )?;
    let mut rows = stmt.query(rusqlite::named_params! {":from": from, ":to": to})?;
    let mut out: Vec<IssuedTicket> = Vec::new();
    let end = crate::dates::parse_date(to);
    while let Some(r) = rows.next()? {
        let number: String = r.get(0)?;
        let rule: Option<String> = r.get(6)?;
        let n = r.get::<_, i64>(7)? as u64;
        if out.last().map(|t| &t.number) != Some(&number) {
            let due_on: String = r.get(4)?;
            let approved_on: Option<String> = r.get(5)?;
            let at = approved_on.as_deref().map(crate::dates::parse_date);
            let days_late = match (at.unwrap_or(end), crate::dates::parse_date(&due_on)) {
                (Some(at), Some(due)) => (at - due).num_days().max(0),
                _ => 0,
            };
            out.push(IssuedTicket {
                number,
                unit: r.get(1)?,
                state: r.get(2)?,
                issued_on: r.get(3)?,
                late: days_late > 0,
                due_on,
                approved_on,
                days_late,
                problems: BTreeMap::new(),
            });
        }
        if let (Some(rule), Some(t)) = (rule, out.last_mut()) {
            *t.problems.entry(rule).or_default() += n;
        }
    }
    Ok(out)
}
