//! Audit tickets (稽查工单): made from findings, dispatched to the responsible unit, rectified,
//! submitted, reviewed. The read side is here; creation and every change of state are actions
//! (`crate::actions`, tickets.rs), and the moves a ticket may make are in `crate::states`.

use crate::error::{JichaError, Result};
use crate::findings::{self, FindingRow};
use crate::i18n::queries::QueryWrong;
use crate::i18n::refusals_tickets::TicketWrong;
use chrono::{Days, NaiveDate};
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;
use std::collections::BTreeMap;

use crate::states::{TicketState, TicketState as T};

/// The states' texts, for filters and the lists the CLI and the UI offer.
pub const STATES: &[&str] = &[
    T::Dispatched.as_str(),
    T::Rectifying.as_str(),
    T::Submitted.as_str(),
    T::Reviewed.as_str(),
    T::Approved.as_str(),
    T::Returned.as_str(),
    T::Cancelled.as_str(),
    T::Archived.as_str(),
];
/// States in which a ticket still needs work (`TicketState::OPEN`).
pub const OPEN_STATES: &[&str] = &[
    T::Dispatched.as_str(),
    T::Rectifying.as_str(),
    T::Submitted.as_str(),
    T::Reviewed.as_str(),
    T::Returned.as_str(),
];

/// How many reviews a submitted ticket needs (`review_levels`, 1 or 2): with 2, a reviewer of
/// its unit (or above it) first (→ `reviewed`, 待复核), then one of the audit centre.
pub fn review_levels(conn: &Connection) -> Result<i64> {
    Ok(crate::thresholds::Thresholds::load(conn)?.int("review_levels"))
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ticket {
    pub id: i64,
    pub number: String,
    pub state: TicketState,
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
    /// The business date of the final approval (kept when the ticket is archived).
    pub approved_on: Option<String>,
    pub cancelled_on: Option<String>,
    pub version: i64,
    /// Overdue on the day asked: open past `due_on`, or approved after it (超期完成).
    pub overdue: bool,
    pub findings: i64,
    /// The first review of the current submission (`review_levels` = 2; cleared on return).
    pub reviewed_by: Option<String>,
    pub reviewed_on: Option<String>,
    pub archived_by: Option<String>,
    pub archived_on: Option<String>,
}

const COLUMNS: &str = "t.id, t.number, t.state, t.unit, t.person, t.requirement, t.issued_by, t.issued_on, t.due_on,
    t.cause, t.measures, t.recovered_yuan, t.submitted_by, t.submitted_on, t.approved_by, t.approved_on,
    t.cancelled_on, t.version,
    CASE WHEN t.state IN ('approved','archived') THEN t.approved_on > t.due_on
         WHEN t.state = 'cancelled' THEN 0
         ELSE :today > t.due_on END,
    (SELECT count(*) FROM ticket_findings tf WHERE tf.ticket_id = t.id),
    t.reviewed_by, t.reviewed_on, t.archived_by, t.archived_on";

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
        reviewed_by: r.get(20)?,
        reviewed_on: r.get(21)?,
        archived_by: r.get(22)?,
        archived_on: r.get(23)?,
    })
}

/// Tickets, oldest first; `state` may be a state, `open`, or `overdue`.
pub fn list(conn: &Connection, state: Option<&str>, today: NaiveDate) -> Result<Vec<Ticket>> {
    let open = TicketState::sql_list(TicketState::OPEN);
    let filter = match state {
        None => "1".to_string(),
        Some("open") => format!("t.state IN ({open})"),
        // Approved late (超期完成), archived afterwards or not; or open past the due date.
        Some("overdue") => format!(
            "((t.state IN ('approved','archived') AND t.approved_on > t.due_on) OR (t.state IN ({open}) AND :today > t.due_on))"
        ),
        Some(s) if STATES.contains(&s) => format!("t.state = '{s}'"),
        Some(other) => {
            return Err(JichaError::invalid(QueryWrong::UnknownTicketState {
                given: other.to_string(),
                allowed: STATES.to_vec(),
            }))
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
    let soon = today
        .checked_add_days(Days::new(3))
        .unwrap_or(today)
        .to_string();
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
        JichaError::invalid(TicketWrong::NoTicket {
            number: number.to_string(),
        })
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
            &format!(
                "SELECT t.number FROM ticket_findings tf JOIN tickets t ON t.id = tf.ticket_id
                 WHERE tf.finding_id = ?1 AND t.state NOT IN ({})",
                TicketState::sql_list(TicketState::DONE)
            ),
            [finding_id],
            |r| r.get(0),
        )
        .optional()?)
}
