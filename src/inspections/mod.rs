//! On-site inspections (现场稽查), read side: the values an inspection is made of, its list and
//! page, what it found per finding, its attachments. The write side is
//! `actions::inspections`; the attachments' content-addressed store is [`store`].
//!
//! An inspection is **overdue** (超期) when it is still planned and its planned date is before
//! the business date.

pub mod store;

use crate::context::Lang;
use crate::error::{JichaError, Result};
use crate::i18n::inspections::InspectionWrong;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;

/// A value stored as text with a fixed set of spellings.
macro_rules! stored_value {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "lowercase")]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The stored spelling back; anything else is refused naming the allowed ones.
            pub fn parse(s: &str) -> Result<$name> {
                match s.trim() {
                    $($text => Ok($name::$variant),)+
                    other => Err(JichaError::invalid(InspectionWrong::BadValue {
                        what: $what.to_string(),
                        given: other.to_string(),
                        allowed: $name::ALL.iter().map(|v| v.as_str()).collect(),
                    })),
                }
            }

            /// As people read it in `lang` (现场, 属实, 窃电 …).
            pub fn label(self, lang: Lang) -> String {
                crate::i18n::inspections::value(lang, self.as_str())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let text = v.as_str()?;
                $name::parse(text).map_err(|e| rusqlite::types::FromSqlError::Other(Box::new(e)))
            }
        }

        impl rusqlite::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(rusqlite::types::ToSqlOutput::from(self.as_str()))
            }
        }
    };
}

stored_value!(
    /// How the check is made: 现场 on site, 电话 by phone, 资料核查 on the records.
    Method, "method" { Onsite => "onsite", Phone => "phone", Records => "records" }
);
stored_value!(
    /// What the check found of one finding: 属实 / 不属实 / 部分属实.
    Verdict, "outcome" { True => "true", False => "false", Partly => "partly" }
);
stored_value!(
    /// The determination (定性): none, 违约用电 violation, 窃电 theft.
    Determination, "determination" { None => "none", Violation => "violation", Theft => "theft" }
);
stored_value!(
    /// Where an inspection is: planned (待稽查), recorded (已记录), cancelled (已取消).
    InspState, "state" { Planned => "planned", Recorded => "recorded", Cancelled => "cancelled" }
);

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Inspection {
    pub id: i64,
    pub number: String,
    pub state: InspState,
    pub method: Method,
    pub inspectors: Vec<String>,
    pub planned_on: String,
    pub unit: String,
    pub campaign: Option<String>,
    pub ticket: Option<String>,
    pub created_by: String,
    pub created_on: String,
    pub visit_on: Option<String>,
    pub account: Option<String>,
    pub recorded_by: Option<String>,
    pub recorded_on: Option<String>,
    pub cancelled_on: Option<String>,
    pub cancel_reason: Option<String>,
    pub version: i64,
    /// Still planned, and planned before the business date asked.
    pub overdue: bool,
    pub findings: i64,
}

const COLUMNS: &str = "i.id, i.number, i.state, i.method, i.inspectors, i.planned_on, i.unit,
    i.campaign, i.ticket, i.created_by, i.created_on, i.visit_on, i.account, i.recorded_by,
    i.recorded_on, i.cancelled_on, i.cancel_reason, i.version,
    (i.state = 'planned' AND i.planned_on < :today),
    (SELECT count(*) FROM inspection_findings x WHERE x.inspection_id = i.id)";

fn read(r: &Row) -> rusqlite::Result<Inspection> {
    let inspectors: String = r.get(4)?;
    Ok(Inspection {
        id: r.get(0)?,
        number: r.get(1)?,
        state: r.get(2)?,
        method: r.get(3)?,
        inspectors: serde_json::from_str(&inspectors).unwrap_or_else(|_| vec![inspectors]),
        planned_on: r.get(5)?,
        unit: r.get(6)?,
        campaign: r.get(7)?,
        ticket: r.get(8)?,
        created_by: r.get(9)?,
        created_on: r.get(10)?,
        visit_on: r.get(11)?,
        account: r.get(12)?,
        recorded_by: r.get(13)?,
        recorded_on: r.get(14)?,
        cancelled_on: r.get(15)?,
        cancel_reason: r.get(16)?,
        version: r.get(17)?,
        overdue: r.get(18)?,
        findings: r.get(19)?,
    })
}

/// Which inspections a list shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub state: Option<InspState>,
    /// Only the overdue ones (planned before the business date, not recorded).
    pub overdue: bool,
    pub ticket: Option<String>,
}

/// Inspections, oldest planned first.
pub fn list(conn: &Connection, f: &Filter, today: NaiveDate) -> Result<Vec<Inspection>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM inspections i
         WHERE (:state IS NULL OR i.state = :state)
           AND (:overdue = 0 OR (i.state = 'planned' AND i.planned_on < :today))
           AND (:ticket IS NULL OR i.ticket = :ticket)
         ORDER BY i.planned_on, i.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(
        rusqlite::named_params! {
            ":today": today.to_string(),
            ":state": f.state,
            ":overdue": f.overdue,
            ":ticket": f.ticket,
        },
        read,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One inspection by number, refused by name when there is none.
pub fn get(conn: &Connection, number: &str, today: NaiveDate) -> Result<Inspection> {
    find(conn, number, today)?.ok_or_else(|| {
        JichaError::invalid(InspectionWrong::NoInspection {
            number: number.to_string(),
        })
    })
}

pub fn find(conn: &Connection, number: &str, today: NaiveDate) -> Result<Option<Inspection>> {
    let sql = format!("SELECT {COLUMNS} FROM inspections i WHERE i.number = :number");
    Ok(conn
        .query_row(
            &sql,
            rusqlite::named_params! {":today": today.to_string(), ":number": number.trim()},
            read,
        )
        .optional()?)
}

/// How many inspections are overdue on `today` (the dashboard's count).
pub fn overdue_count(conn: &Connection, today: NaiveDate) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM inspections WHERE state = 'planned' AND planned_on < ?1",
        [today.to_string()],
        |r| r.get(0),
    )?;
    Ok(n as u64)
}

/// What an inspection found of one of its findings (the outcome columns are None until it is
/// recorded).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Checked {
    pub finding: i64,
    pub rule: String,
    pub cust_no: String,
    pub cust_name: String,
    pub subject: String,
    pub status: String,
    pub version: i64,
    pub outcome: Option<Verdict>,
    pub determination: Option<Determination>,
    pub back_kwh: Option<f64>,
    pub back_yuan: Option<f64>,
    pub penalty_yuan: Option<f64>,
}

/// The findings an inspection checks, by id.
pub fn checked(conn: &Connection, inspection_id: i64) -> Result<Vec<Checked>> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.id, f.rule, f.cust_no, coalesce(c.name, ''), f.subject, f.status, f.version,
                x.outcome, x.determination, x.back_kwh, x.back_yuan, x.penalty_yuan
         FROM inspection_findings x JOIN findings f ON f.id = x.finding_id
         LEFT JOIN customers c ON c.cust_no = f.cust_no
         WHERE x.inspection_id = ?1 ORDER BY f.id",
    )?;
    let rows = stmt.query_map([inspection_id], |r| {
        Ok(Checked {
            finding: r.get(0)?,
            rule: r.get(1)?,
            cust_no: r.get(2)?,
            cust_name: r.get(3)?,
            subject: r.get(4)?,
            status: r.get(5)?,
            version: r.get(6)?,
            outcome: r.get(7)?,
            determination: r.get(8)?,
            back_kwh: r.get(9)?,
            back_yuan: r.get(10)?,
            penalty_yuan: r.get(11)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One file recorded with an inspection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attachment {
    pub sha256: String,
    pub file_name: String,
    pub bytes: i64,
    pub added_by: String,
    pub added_on: String,
}

pub fn attachments(conn: &Connection, inspection_id: i64) -> Result<Vec<Attachment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT sha256, file_name, bytes, added_by, added_on FROM inspection_attachments
         WHERE inspection_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([inspection_id], |r| {
        Ok(Attachment {
            sha256: r.get(0)?,
            file_name: r.get(1)?,
            bytes: r.get(2)?,
            added_by: r.get(3)?,
            added_on: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The planned inspection a finding is on, if any (a finding is on one planned inspection at a
/// time).
pub fn planned_of(conn: &Connection, finding: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT i.number FROM inspection_findings x JOIN inspections i ON i.id = x.inspection_id
             WHERE x.finding_id = ?1 AND i.state = 'planned' ORDER BY i.id LIMIT 1",
            [finding],
            |r| r.get(0),
        )
        .optional()?)
}

/// Refuses submitting ticket `number` while it requires an inspection and none of its
/// inspections is recorded (`ticket create --require-inspection`).
pub fn require_before_submit(conn: &Connection, ticket_id: i64, number: &str) -> Result<()> {
    let required: Option<i64> = conn.query_row(
        "SELECT requires_inspection FROM tickets WHERE id = ?1",
        [ticket_id],
        |r| r.get(0),
    )?;
    if required != Some(1) {
        return Ok(());
    }
    let mut stmt = conn.prepare_cached(
        "SELECT number, state FROM inspections WHERE ticket = ?1 AND state != 'cancelled' ORDER BY id",
    )?;
    let rows: Vec<(String, String)> = stmt
        .query_map([number], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if rows.iter().any(|(_, s)| s == "recorded") {
        return Ok(());
    }
    Err(JichaError::invalid(
        InspectionWrong::SubmitNeedsInspection {
            number: number.to_string(),
            planned: rows.into_iter().map(|(n, _)| n).collect(),
        },
    ))
}
