//! Audit tickets (稽查工单): made from findings, dispatched to the responsible unit, rectified,
//! submitted, reviewed. The read side is here; the transitions are applied through `actions`.
//!
//! States: dispatched → rectifying → submitted → approved, or → returned (with a reason) →
//! rectifying/submitted again; any open state → cancelled (with a reason). Findings follow:
//! ticketed on creation, closed as rectified on approval, back to confirmed on cancellation.

use crate::actions::{set_finding_status, Outcome};
use crate::context::Ctx;
use crate::error::{JichaError, Result};
use crate::findings::{self, FindingRow};
use crate::thresholds::Thresholds;
use chrono::{Days, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

pub const STATES: &[&str] = &[
    "dispatched",
    "rectifying",
    "submitted",
    "approved",
    "returned",
    "cancelled",
];
/// States in which a ticket still needs work.
pub const OPEN_STATES: &[&str] = &["dispatched", "rectifying", "submitted", "returned"];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ticket {
    pub id: i64,
    pub number: String,
    pub state: String,
    pub unit: String,
    pub person: Option<String>,
    pub requirement: String,
    pub issued_by: String,
    pub issued_on: String,
    pub due_on: String,
    pub cause: Option<String>,
    pub measures: Option<String>,
    pub recovered_yuan: Option<f64>,
    pub submitted_by: Option<String>,
    pub submitted_on: Option<String>,
    pub approved_by: Option<String>,
    pub approved_on: Option<String>,
    pub cancelled_on: Option<String>,
    pub version: i64,
    /// Overdue on the day asked: open past `due_on`, or approved after it (超期完成).
    pub overdue: bool,
    pub findings: i64,
}

const COLUMNS: &str = "t.id, t.number, t.state, t.unit, t.person, t.requirement, t.issued_by, t.issued_on, t.due_on,
    t.cause, t.measures, t.recovered_yuan, t.submitted_by, t.submitted_on, t.approved_by, t.approved_on,
    t.cancelled_on, t.version,
    CASE WHEN t.state = 'approved' THEN t.approved_on > t.due_on
         WHEN t.state = 'cancelled' THEN 0
         ELSE :today > t.due_on END,
    (SELECT count(*) FROM ticket_findings tf WHERE tf.ticket_id = t.id)";

fn read(r: &Row) -> rusqlite::Result<Ticket> {
    Ok(Ticket {
        id: r.get(0)?,
        number: r.get(1)?,
        state: r.get(2)?,
        unit: r.get(3)?,
        person: r.get(4)?,
        requirement: r.get(5)?,
        issued_by: r.get(6)?,
        issued_on: r.get(7)?,
        due_on: r.get(8)?,
        cause: r.get(9)?,
        measures: r.get(10)?,
        recovered_yuan: r.get(11)?,
        submitted_by: r.get(12)?,
        submitted_on: r.get(13)?,
        approved_by: r.get(14)?,
        approved_on: r.get(15)?,
        cancelled_on: r.get(16)?,
        version: r.get(17)?,
        overdue: r.get(18)?,
        findings: r.get(19)?,
    })
}

/// Tickets, oldest first; `state` may be a state, `open`, or `overdue`.
pub fn list(conn: &Connection, state: Option<&str>, today: NaiveDate) -> Result<Vec<Ticket>> {
    let filter = match state {
        None => "1".to_string(),
        Some("open") => "t.state IN ('dispatched','rectifying','submitted','returned')".into(),
        Some("overdue") => {
            "((t.state = 'approved' AND t.approved_on > t.due_on) OR (t.state IN ('dispatched','rectifying','submitted','returned') AND :today > t.due_on))".into()
        }
        Some(s) if STATES.contains(&s) => format!("t.state = '{s}'"),
        Some(other) => {
            return Err(JichaError::invalid(format!(
                "unknown ticket state `{other}`; use open, overdue, {}",
                STATES.join(", ")
            )))
        }
    };
    let sql = format!("SELECT {COLUMNS} FROM tickets t WHERE {filter} ORDER BY t.issued_on, t.id");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::named_params! {":today": today.to_string()}, read)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The work queue: open tickets, overdue first, then those due within 3 days, then by due date.
pub fn queue(conn: &Connection, today: NaiveDate) -> Result<Vec<Ticket>> {
    let mut open = list(conn, Some("open"), today)?;
    let soon = (today + Days::new(3)).to_string();
    open.sort_by(|a, b| {
        let key = |t: &Ticket| (!t.overdue, t.due_on > soon, t.due_on.clone(), t.id);
        key(a).cmp(&key(b))
    });
    Ok(open)
}

/// How many tickets are in each state (states without tickets are absent).
pub fn count_by_state(conn: &Connection) -> Result<BTreeMap<String, u64>> {
    let mut stmt = conn.prepare("SELECT state, count(*) FROM tickets GROUP BY state")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(conn: &Connection, number: &str, today: NaiveDate) -> Result<Ticket> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM tickets t WHERE t.number = :number"),
        rusqlite::named_params! {":number": number, ":today": today.to_string()},
        read,
    )
    .optional()?
    .ok_or_else(|| {
        JichaError::invalid(format!(
            "there is no ticket {number}; `jicha ticket list` shows them"
        ))
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub business_date: String,
    pub at_utc: String,
    pub operator: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub details: String,
}

pub fn events(conn: &Connection, ticket_id: i64) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare(
        "SELECT business_date, at_utc, operator, from_state, to_state, details FROM ticket_events
         WHERE ticket_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([ticket_id], |r| {
        Ok(Event {
            business_date: r.get(0)?,
            at_utc: r.get(1)?,
            operator: r.get(2)?,
            from_state: r.get(3)?,
            to_state: r.get(4)?,
            details: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn finding_ids(conn: &Connection, ticket_id: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT finding_id FROM ticket_findings WHERE ticket_id = ?1 ORDER BY finding_id",
    )?;
    let ids = stmt.query_map([ticket_id], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

pub fn findings_of(conn: &Connection, ticket_id: i64, today: NaiveDate) -> Result<Vec<FindingRow>> {
    findings::rows_by_ids(conn, &finding_ids(conn, ticket_id)?, today)
}

/// The open ticket a finding is on, if any.
pub fn open_ticket_of(conn: &Connection, finding_id: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT t.number FROM ticket_findings tf JOIN tickets t ON t.id = tf.ticket_id
             WHERE tf.finding_id = ?1 AND t.state NOT IN ('approved','cancelled')",
            [finding_id],
            |r| r.get(0),
        )
        .optional()?)
}

pub struct NewTicket<'a> {
    pub findings: &'a [i64],
    pub unit: Option<&'a str>,
    pub person: Option<&'a str>,
    pub due: Option<NaiveDate>,
    pub requirement: &'a str,
}

pub(crate) fn create(tx: &Connection, ctx: &Ctx, t: &NewTicket) -> Result<Outcome> {
    if t.findings.is_empty() {
        return Err(JichaError::invalid(
            "a ticket needs at least one finding (--findings ID,ID…)",
        ));
    }
    if t.requirement.trim().is_empty() {
        return Err(JichaError::invalid(
            "a ticket needs a requirement (工作要求, --requirement)",
        ));
    }
    let mut stations = std::collections::BTreeSet::new();
    let mut worst = crate::rules::Severity::Low;
    for &id in t.findings {
        let f = findings::get(tx, id, ctx.today)?;
        if f.status != "new" && f.status != "confirmed" {
            let on = open_ticket_of(tx, id)?
                .map(|n| format!(" (on ticket {n})"))
                .unwrap_or_default();
            return Err(JichaError::invalid(format!(
                "finding {id} is {}{on}: only new or confirmed findings go on a ticket; nothing was changed",
                f.status
            )));
        }
        stations.insert(f.station.clone());
        worst = worst.max(crate::rules::Severity::parse(&f.severity).unwrap_or(worst));
    }
    let unit = match (t.unit, stations.len()) {
        (Some(u), _) if !u.trim().is_empty() => u.to_string(),
        (_, 1) => stations.into_iter().next().expect("one station"),
        _ => {
            return Err(JichaError::invalid(format!(
                "the findings belong to {} supply stations ({}); give the responsible unit with --unit, or make one ticket per station",
                stations.len(),
                stations.into_iter().collect::<Vec<_>>().join(", ")
            )))
        }
    };
    if unit.is_empty() {
        return Err(JichaError::invalid(
            "the findings have no supply station on record; give the responsible unit with --unit",
        ));
    }
    let th = Thresholds::load(tx)?;
    let due = match t.due {
        Some(d) if d < ctx.today => {
            return Err(JichaError::invalid(format!(
                "due date {d} is before the issue date {}",
                ctx.today
            )))
        }
        Some(d) => d,
        None => ctx.today + Days::new(th.int(&format!("due_days_{}", worst.as_str())) as u64),
    };
    let prefix = format!("JC-{}-", ctx.today.format("%Y%m%d"));
    let seq: i64 = tx.query_row(
        "SELECT count(*) FROM tickets WHERE number LIKE ?1 || '%'",
        [&prefix],
        |r| r.get(0),
    )?;
    let number = format!("{prefix}{:03}", seq + 1);
    tx.execute(
        "INSERT INTO tickets(number, state, unit, person, requirement, issued_by, issued_on, due_on)
         VALUES (?1, 'dispatched', ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            number,
            unit,
            t.person,
            t.requirement,
            ctx.operator,
            ctx.today.to_string(),
            due.to_string()
        ],
    )?;
    let ticket_id = tx.last_insert_rowid();
    for &id in t.findings {
        tx.execute(
            "INSERT INTO ticket_findings(ticket_id, finding_id) VALUES (?1, ?2)",
            params![ticket_id, id],
        )?;
        set_finding_status(
            tx,
            ctx,
            id,
            "ticketed",
            None,
            "finding.ticket",
            json!({ "ticket": number }),
        )?;
    }
    record_event(
        tx,
        ctx,
        ticket_id,
        &number,
        None,
        "dispatched",
        json!({ "unit": unit, "person": t.person, "due_on": due.to_string(),
                "requirement": t.requirement, "findings": t.findings }),
    )?;
    Ok(Outcome {
        message: format!(
            "ticket {number} dispatched to {unit}, due {due}, with {} finding(s)",
            t.findings.len()
        ),
        changed: 1,
    })
}

/// A change of state asked for by an operator.
pub enum Step<'a> {
    Ack,
    Submit {
        cause: &'a str,
        measures: &'a str,
        recovered: Option<f64>,
    },
    Approve,
    Return {
        reason: &'a str,
    },
    Cancel {
        reason: &'a str,
    },
}

pub(crate) fn step(tx: &Connection, ctx: &Ctx, number: &str, step: &Step) -> Result<Outcome> {
    let t = get(tx, number, ctx.today)?;
    let (to, allowed_from): (&str, &[&str]) = match step {
        Step::Ack => ("rectifying", &["dispatched", "returned"]),
        Step::Submit { .. } => ("submitted", &["dispatched", "rectifying", "returned"]),
        Step::Approve => ("approved", &["submitted"]),
        Step::Return { .. } => ("returned", &["submitted"]),
        Step::Cancel { .. } => ("cancelled", OPEN_STATES),
    };
    if !allowed_from.contains(&t.state.as_str()) {
        return Err(JichaError::invalid(format!(
            "ticket {number} is {}; it can become {to} only from {}",
            t.state,
            allowed_from.join(" or ")
        )));
    }
    let today = ctx.today.to_string();
    let details = match step {
        Step::Ack => json!({}),
        Step::Submit {
            cause,
            measures,
            recovered,
        } => {
            if cause.trim().is_empty() || measures.trim().is_empty() {
                return Err(JichaError::invalid(
                    "submitting needs the cause analysis (--cause) and the measures taken (--measures)",
                ));
            }
            if recovered.is_some_and(|r| !r.is_finite() || r < 0.0) {
                return Err(JichaError::invalid(
                    "--recovered is an amount in 元, 0 or more",
                ));
            }
            tx.execute(
                "UPDATE tickets SET cause = ?1, measures = ?2, recovered_yuan = ?3, submitted_by = ?4, submitted_on = ?5
                 WHERE id = ?6",
                params![cause, measures, recovered, ctx.operator, today, t.id],
            )?;
            json!({ "cause": cause, "measures": measures, "recovered_yuan": recovered })
        }
        Step::Approve => {
            if t.submitted_by.as_deref() == Some(ctx.operator.as_str()) {
                return Err(JichaError::invalid(format!(
                    "you submitted ticket {number} yourself; another reviewer must approve it"
                )));
            }
            tx.execute(
                "UPDATE tickets SET approved_by = ?1, approved_on = ?2 WHERE id = ?3",
                params![ctx.operator, today, t.id],
            )?;
            for id in finding_ids(tx, t.id)? {
                set_finding_status(
                    tx,
                    ctx,
                    id,
                    "closed",
                    Some("rectified"),
                    "finding.close",
                    json!({ "ticket": number, "resolution": "rectified" }),
                )?;
            }
            json!({ "late": today > t.due_on })
        }
        Step::Return { reason } | Step::Cancel { reason } => {
            if reason.trim().is_empty() {
                return Err(JichaError::invalid(format!(
                    "{to} needs a reason (--reason)"
                )));
            }
            if matches!(step, Step::Cancel { .. }) {
                tx.execute(
                    "UPDATE tickets SET cancelled_on = ?1 WHERE id = ?2",
                    params![today, t.id],
                )?;
                for id in finding_ids(tx, t.id)? {
                    set_finding_status(
                        tx,
                        ctx,
                        id,
                        "confirmed",
                        None,
                        "finding.unticket",
                        json!({ "ticket": number }),
                    )?;
                }
            }
            json!({ "reason": reason })
        }
    };
    tx.execute(
        "UPDATE tickets SET state = ?1, version = version + 1 WHERE id = ?2",
        params![to, t.id],
    )?;
    record_event(tx, ctx, t.id, number, Some(&t.state), to, details)?;
    Ok(Outcome {
        message: format!("ticket {number}: {} → {to}", t.state),
        changed: 1,
    })
}

fn record_event(
    tx: &Connection,
    ctx: &Ctx,
    ticket_id: i64,
    number: &str,
    from: Option<&str>,
    to: &str,
    details: serde_json::Value,
) -> Result<()> {
    tx.execute(
        "INSERT INTO ticket_events(ticket_id, business_date, at_utc, operator, from_state, to_state, details)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![ticket_id, ctx.today.to_string(), ctx.now_utc(), ctx.operator, from, to, details.to_string()],
    )?;
    let action = match to {
        "dispatched" => "ticket.create",
        "rectifying" => "ticket.ack",
        "submitted" => "ticket.submit",
        "approved" => "ticket.approve",
        "returned" => "ticket.return",
        _ => "ticket.cancel",
    };
    let mut details = details;
    details["from"] = json!(from);
    crate::actionlog::append(tx, ctx, action, &format!("ticket:{number}"), &details)?;
    Ok(())
}
