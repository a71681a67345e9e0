//! Deductions at dispatch (004 part 1: 在各种稽查方式发现问题下达整改通知的同时，应录入……业务评价扣分),
//! the read side: the deduction standard as data, what a ticket's findings cost its unit by it,
//! the deductions a ticket carries and its accountability (问责). The changes are
//! `actions::deductions`.
//!
//! A ticket carries one business deduction (made at dispatch): the sum over its findings of
//! each finding's points by the standard, against the ticket's unit, capped at 100 (one
//! quality entry). Each finding is one problem (workflow.md "Reports"), so a ticket of five
//! findings costs five findings' points; the per-finding basis is kept beside it.

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// Customer categories a standard row may name (`category:<c>`), data-contract `category`.
pub const CATEGORIES: &[&str] = &["resident", "commercial", "large_industry", "agriculture"];
pub const SEVERITIES: &[&str] = &["high", "medium", "low"];
pub const OUTCOMES: &[&str] = &["none", "criticism", "assessment", "discipline"];
/// The most one ticket's business deduction takes (the business full mark).
pub const MAX_POINTS: f64 = 100.0;

/// One row of the standard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StandardRow {
    pub subject: String,
    pub severity: String,
    pub points: f64,
    pub updated_at: Option<String>,
    pub updated_by: Option<String>,
}

/// The standard: rule rows first, then category rows, then `*`, each by severity.
pub fn standard(conn: &Connection) -> Result<Vec<StandardRow>> {
    let mut stmt = conn.prepare(
        "SELECT subject, severity, points, updated_at, updated_by FROM deduction_standard
         ORDER BY CASE WHEN subject = '*' THEN 2 WHEN subject LIKE 'category:%' THEN 1 ELSE 0 END,
                  subject, CASE severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(StandardRow {
            subject: r.get(0)?,
            severity: r.get(1)?,
            points: r.get(2)?,
            updated_at: r.get(3)?,
            updated_by: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The row that applies to a finding of `rule`, customer `category`, `severity`: the rule's,
/// else the category's, else `*`'s. None: the standard says nothing (no deduction).
pub fn applies<'a>(
    rows: &'a [StandardRow],
    rule: &str,
    category: Option<&str>,
    severity: &str,
) -> Option<&'a StandardRow> {
    let find = |subject: &str| {
        rows.iter()
            .find(|r| r.subject == subject && r.severity == severity)
    };
    find(rule)
        .or_else(|| category.and_then(|c| find(&format!("category:{c}"))))
        .or_else(|| find("*"))
}

/// One finding's part of a proposal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Basis {
    pub finding: i64,
    pub rule: String,
    pub severity: String,
    pub category: Option<String>,
    /// The standard's row that applied (None: none did).
    pub subject: Option<String>,
    pub points: f64,
}

/// What the standard proposes for `findings`: each finding's basis and the total (capped).
pub fn propose(conn: &Connection, findings: &[i64]) -> Result<(f64, Vec<Basis>)> {
    let rows = standard(conn)?;
    let mut stmt = conn.prepare_cached(
        "SELECT f.rule, f.severity, c.category FROM findings f
         LEFT JOIN customers c ON c.cust_no = f.cust_no WHERE f.id = ?1",
    )?;
    let mut out = Vec::new();
    for &id in findings {
        let (rule, severity, category): (String, String, Option<String>) =
            stmt.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        let row = applies(&rows, &rule, category.as_deref(), &severity);
        out.push(Basis {
            finding: id,
            points: row.map_or(0.0, |r| r.points),
            subject: row.map(|r| r.subject.clone()),
            rule,
            severity,
            category,
        });
    }
    let total: f64 = out.iter().map(|b| b.points).sum();
    Ok((round2(total.min(MAX_POINTS)), out))
}

/// Points to a hundredth (sums of 0.5s and user values stay exact in the report).
pub fn round2(p: f64) -> f64 {
    (p * 100.0).round() / 100.0
}

/// A deduction a ticket carries.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TicketDeduction {
    pub id: i64,
    /// `business` or `direct`.
    pub kind: String,
    pub unit: String,
    /// The quality entry that counts in the evaluation (None: nothing counts).
    pub entry: Option<i64>,
    pub level: Option<String>,
    pub proposed: f64,
    pub points: f64,
    pub basis: serde_json::Value,
    pub created_on: String,
    pub created_by: String,
    pub adjusted_by: Option<String>,
    pub adjusted_on: Option<String>,
    pub adjust_reason: Option<String>,
    pub version: i64,
}

/// A ticket's deductions, the business one first.
pub fn of_ticket(conn: &Connection, ticket_id: i64) -> Result<Vec<TicketDeduction>> {
    let mut stmt = conn.prepare(
        "SELECT id, kind, unit, entry_id, level, proposed, points, basis, created_on, created_by,
                adjusted_by, adjusted_on, adjust_reason, version
         FROM ticket_deductions WHERE ticket_id = ?1 ORDER BY kind = 'direct', id",
    )?;
    let rows = stmt.query_map([ticket_id], |r| {
        let basis: String = r.get(7)?;
        Ok(TicketDeduction {
            id: r.get(0)?,
            kind: r.get(1)?,
            unit: r.get(2)?,
            entry: r.get(3)?,
            level: r.get(4)?,
            proposed: r.get(5)?,
            points: r.get(6)?,
            basis: serde_json::from_str(&basis).unwrap_or(serde_json::Value::Null),
            created_on: r.get(8)?,
            created_by: r.get(9)?,
            adjusted_by: r.get(10)?,
            adjusted_on: r.get(11)?,
            adjust_reason: r.get(12)?,
            version: r.get(13)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Who is responsible and the accountability outcome, named at submission.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Accountability {
    pub person: Option<String>,
    /// `none`, `criticism`, `assessment` or `discipline`.
    pub outcome: Option<String>,
    pub recorded_by: String,
    pub recorded_on: String,
}

pub fn accountability(conn: &Connection, ticket_id: i64) -> Result<Option<Accountability>> {
    Ok(conn
        .query_row(
            "SELECT person, outcome, recorded_by, recorded_on FROM ticket_accountability
             WHERE ticket_id = ?1",
            params![ticket_id],
            |r| {
                Ok(Accountability {
                    person: r.get(0)?,
                    outcome: r.get(1)?,
                    recorded_by: r.get(2)?,
                    recorded_on: r.get(3)?,
                })
            },
        )
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(subject: &str, severity: &str, points: f64) -> StandardRow {
        StandardRow {
            subject: subject.into(),
            severity: severity.into(),
            points,
            updated_at: None,
            updated_by: None,
        }
    }

    #[test]
    fn the_most_specific_row_applies() {
        let rows = vec![
            row("*", "high", 2.0),
            row("category:resident", "high", 1.5),
            row("BIL-05", "high", 4.0),
        ];
        assert_eq!(
            applies(&rows, "BIL-05", Some("resident"), "high")
                .unwrap()
                .points,
            4.0
        );
        assert_eq!(
            applies(&rows, "BIL-01", Some("resident"), "high")
                .unwrap()
                .points,
            1.5
        );
        assert_eq!(
            applies(&rows, "BIL-01", Some("commercial"), "high")
                .unwrap()
                .points,
            2.0
        );
        assert_eq!(applies(&rows, "BIL-01", None, "high").unwrap().points, 2.0);
        assert!(applies(&rows, "BIL-01", None, "low").is_none());
    }
}
