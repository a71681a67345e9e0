//! 稽查工作督办单 (escalation notices; handbook 004 part 8: 对……异常问题较多的单位……通过制定
//! 《稽查工作督办单》督促各单位负责人及专责人给予重视和协调). The read side: the notices on
//! record, one with its tickets, and what a run on a business day would change ([`plan`]).
//! Issuing and closing them is an action (`actions::escalation`); nothing here writes.
//!
//! A ticket is **past the limit** on business date D when it is open (its state is not
//! `approved`, `archived` or `cancelled`) and D − `due_on` ≥ `escalate_after_days`. A run on D
//! issues, for every unit (`tickets.unit`) with a ticket past the limit and no notice issued on
//! D yet, a new notice listing those tickets with their days overdue, addressed to the unit's
//! `head`; the unit's previous open notice is closed as *superseded* by it. An open notice
//! whose unit has no ticket past the limit any more is closed as *resolved*. So a unit lagging
//! for five days has five notices, 第 1 … 第 5 次督办, each a dated record of what was overdue
//! that day, and at most one of them open.

use crate::error::{JichaError, Result};
use crate::i18n::escalation::EscalationWrong;
use crate::states::TicketState;
use crate::units::Hierarchy;
use chrono::NaiveDate;
use rusqlite::{named_params, Connection, OptionalExtension, Row};
use serde::Serialize;
use std::collections::BTreeMap;

/// The threshold: days past `due_on` from which an open ticket is escalated.
pub const THRESHOLD: &str = "escalate_after_days";

/// SQL expression: whole days from `t.due_on` to `:today` (negative before the due date).
const DAYS_OVERDUE_SQL: &str = "CAST(julianday(:today) - julianday(t.due_on) AS INTEGER)";

/// Why a notice was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Closed {
    /// The unit had no ticket past the limit any more.
    Resolved,
    /// A newer notice for the same unit replaced it.
    Superseded,
}

impl Closed {
    pub fn as_str(self) -> &'static str {
        match self {
            Closed::Resolved => "resolved",
            Closed::Superseded => "superseded",
        }
    }

    fn parse(s: &str) -> Option<Closed> {
        match s {
            "resolved" => Some(Closed::Resolved),
            "superseded" => Some(Closed::Superseded),
            _ => None,
        }
    }
}

/// One notice as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Escalation {
    pub id: i64,
    pub number: String,
    pub unit: String,
    /// Whom it is addressed to; None: the unit had no head on record, so the unit itself.
    pub head: Option<String>,
    pub issued_on: String,
    pub issued_by: String,
    /// `escalate_after_days` when it was issued.
    pub limit_days: i64,
    /// 第 N 次督办: how many notices in a row the unit has had, this one included.
    pub round: i64,
    pub closed_on: Option<String>,
    pub closed_reason: Option<Closed>,
    /// The number of the notice that replaced it.
    pub superseded_by: Option<String>,
    pub version: i64,
    /// How many tickets it lists.
    pub tickets: i64,
}

impl Escalation {
    pub fn is_open(&self) -> bool {
        self.closed_on.is_none()
    }
}

/// A ticket on a notice: as it was on the day of issue (days overdue) and as it is now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Listed {
    pub number: String,
    pub issued_on: String,
    pub due_on: String,
    /// Days past `due_on` on the notice's issue date.
    pub days_overdue: i64,
    /// The ticket's state now.
    pub state: String,
    pub person: Option<String>,
    pub requirement: String,
}

const COLUMNS: &str =
    "e.id, e.number, e.unit, e.head, e.issued_on, e.issued_by, e.limit_days, e.round,
    e.closed_on, e.closed_reason, (SELECT s.number FROM escalations s WHERE s.id = e.superseded_by),
    e.version, (SELECT count(*) FROM escalation_tickets et WHERE et.escalation_id = e.id)";

fn read(r: &Row) -> rusqlite::Result<Escalation> {
    let reason: Option<String> = r.get(9)?;
    Ok(Escalation {
        id: r.get(0)?,
        number: r.get(1)?,
        unit: r.get(2)?,
        head: r.get(3)?,
        issued_on: r.get(4)?,
        issued_by: r.get(5)?,
        limit_days: r.get(6)?,
        round: r.get(7)?,
        closed_on: r.get(8)?,
        closed_reason: reason.as_deref().and_then(Closed::parse),
        superseded_by: r.get(10)?,
        version: r.get(11)?,
        tickets: r.get(12)?,
    })
}

/// The notices, oldest first; `open_only`: those not closed.
pub fn list(conn: &Connection, open_only: bool) -> Result<Vec<Escalation>> {
    let filter = if open_only {
        "e.closed_on IS NULL"
    } else {
        "1"
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM escalations e WHERE {filter} ORDER BY e.issued_on, e.id"
    ))?;
    let rows = stmt.query_map([], read)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many notices are open (at most one per unit).
pub fn open_count(conn: &Connection) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM escalations WHERE closed_on IS NULL",
        [],
        |r| r.get(0),
    )?;
    Ok(n as u64)
}

/// One notice by number; a number not on record is refused by name.
pub fn get(conn: &Connection, number: &str) -> Result<Escalation> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM escalations e WHERE e.number = :number"),
        named_params! {":number": number},
        read,
    )
    .optional()?
    .ok_or_else(|| {
        JichaError::invalid(EscalationWrong::NoNotice {
            number: number.to_string(),
        })
    })
}

/// The tickets a notice lists, most overdue first.
pub fn listed(conn: &Connection, escalation_id: i64) -> Result<Vec<Listed>> {
    let mut stmt = conn.prepare(
        "SELECT t.number, t.issued_on, t.due_on, et.days_overdue, t.state, t.person, t.requirement
         FROM escalation_tickets et JOIN tickets t ON t.id = et.ticket_id
         WHERE et.escalation_id = ?1 ORDER BY et.days_overdue DESC, t.id",
    )?;
    let rows = stmt.query_map([escalation_id], |r| {
        Ok(Listed {
            number: r.get(0)?,
            issued_on: r.get(1)?,
            due_on: r.get(2)?,
            days_overdue: r.get(3)?,
            state: r.get(4)?,
            person: r.get(5)?,
            requirement: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A ticket past the limit on the day asked.
#[derive(Debug, Clone, PartialEq)]
pub struct PastLimit {
    pub ticket_id: i64,
    pub number: String,
    pub days_overdue: i64,
}

/// Open tickets overdue by `limit` days or more on `today` (at least 1: a ticket due today is
/// not overdue), by unit (most overdue first).
pub fn past_limit(
    conn: &Connection,
    today: NaiveDate,
    limit: i64,
) -> Result<BTreeMap<String, Vec<PastLimit>>> {
    let done = TicketState::sql_list(TicketState::DONE);
    let mut stmt = conn.prepare(&format!(
        "SELECT t.unit, t.id, t.number, {DAYS_OVERDUE_SQL} AS late FROM tickets t
         WHERE t.state NOT IN ({done}) AND {DAYS_OVERDUE_SQL} >= :limit
         ORDER BY t.unit, late DESC, t.id"
    ))?;
    let rows = stmt.query_map(
        named_params! {":today": today.to_string(), ":limit": limit.max(1)},
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                PastLimit {
                    ticket_id: r.get(1)?,
                    number: r.get(2)?,
                    days_overdue: r.get(3)?,
                },
            ))
        },
    )?;
    let mut by_unit: BTreeMap<String, Vec<PastLimit>> = BTreeMap::new();
    for row in rows {
        let (unit, t) = row?;
        by_unit.entry(unit).or_default().push(t);
    }
    Ok(by_unit)
}

/// A notice a run would issue.
#[derive(Debug, Clone, PartialEq)]
pub struct ToIssue {
    pub unit: String,
    pub head: Option<String>,
    pub tickets: Vec<PastLimit>,
    /// The unit's open notice, which the new one supersedes: `(id, number, round)`.
    pub supersedes: Option<(i64, String, i64)>,
}

/// What a run on `today` with `limit` would change.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub issue: Vec<ToIssue>,
    /// Open notices whose unit has nothing past the limit any more: `(id, number)`.
    pub resolve: Vec<(i64, String)>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.issue.is_empty() && self.resolve.is_empty()
    }
}

/// What a run on `today` would change: a read, so a caller inside a write transaction sees
/// the state it is about to change. A unit that already has a notice issued on `today` (open
/// or closed) gets no second one.
pub fn plan(conn: &Connection, today: NaiveDate, limit: i64) -> Result<Plan> {
    let past = past_limit(conn, today, limit)?;
    let open: BTreeMap<String, (i64, String, i64)> = list(conn, true)?
        .into_iter()
        .map(|e| (e.unit.clone(), (e.id, e.number, e.round)))
        .collect();
    let mut plan = Plan::default();
    for (unit, (id, number, _)) in &open {
        if !past.contains_key(unit) {
            plan.resolve.push((*id, number.clone()));
        }
    }
    let today_s = today.to_string();
    let mut issued_today =
        conn.prepare_cached("SELECT 1 FROM escalations WHERE unit = ?1 AND issued_on = ?2")?;
    let units = Hierarchy::load(conn)?;
    for (unit, tickets) in past {
        if issued_today.exists(rusqlite::params![unit, today_s])? {
            continue;
        }
        let head = units
            .get(&unit)
            .and_then(|u| u.head.clone())
            .filter(|h| !h.trim().is_empty());
        let supersedes = open.get(&unit).cloned();
        plan.issue.push(ToIssue {
            unit,
            head,
            tickets,
            supersedes,
        });
    }
    Ok(plan)
}
