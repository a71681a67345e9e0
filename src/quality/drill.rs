//! A unit's trend over past periods and what is behind its score in one period.

use super::score::{evaluate_in, UnitScore};
use super::{entries, Entry, Period};
use crate::error::{JichaError, Result};
use crate::i18n::refusals_input::InputWrong;
use crate::states::{FindingStatus, Resolution, TicketState};
use crate::tickets::{self, Ticket};
use crate::units::Hierarchy;
use rusqlite::Connection;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    pub period: String,
    pub composite: f64,
    pub main: f64,
    pub process: f64,
    pub business: f64,
    pub direct: f64,
    pub bonus: f64,
    pub rank: usize,
    /// How many units of the same level were ranked.
    pub of: usize,
}

/// A unit's scores over the `n` periods ending with `last` (of `last`'s length), oldest first.
pub fn trend(conn: &Connection, unit: &str, last: &Period, n: usize) -> Result<Vec<TrendPoint>> {
    let h = Hierarchy::load(conn)?;
    h.resolve(unit)?;
    if n == 0 {
        return Err(JichaError::invalid(InputWrong::TrendNeedsPeriod));
    }
    // Each period is a full evaluation: ten years of months is plenty, and bounds the work.
    const MAX_PERIODS: usize = 120;
    if n > MAX_PERIODS {
        return Err(JichaError::invalid(InputWrong::TrendTooLong {
            max: MAX_PERIODS,
            n,
        }));
    }
    let mut periods = vec![*last];
    while periods.len() < n {
        let p = periods.last().expect("non-empty").previous();
        periods.push(p);
    }
    periods.reverse();
    let mut out = Vec::new();
    for p in periods {
        let e = evaluate_in(conn, &h, &p)?;
        let u = e
            .unit(unit)
            .expect("every unit is evaluated in every period");
        out.push(TrendPoint {
            period: p.label(),
            composite: u.composite,
            main: u.main,
            process: u.process,
            business: u.business,
            direct: u.direct,
            bonus: u.bonus,
            rank: u.rank,
            of: u.of,
        });
    }
    Ok(out)
}

/// A ticket behind a unit's scores in a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrillTicket {
    #[serde(flatten)]
    pub ticket: Ticket,
    /// Issued in the period: counts in the completion, overdue and rectification rates.
    pub issued_in_period: bool,
    /// Approved in the period: its amount counts in amount_recovered.
    pub approved_in_period: bool,
    /// Business deduction points recorded against it in the period.
    pub deducted: f64,
}

/// A finding first detected in the period on one of the unit's customers (findings_per_1000).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrillFinding {
    pub id: i64,
    pub rule: String,
    pub cust_no: String,
    pub station: String,
    pub subject: String,
    pub status: FindingStatus,
    pub resolution: Option<Resolution>,
    pub severity: String,
    pub first_seen: String,
    pub amount_yuan: Option<f64>,
    /// The ticket it is on, if any (the latest).
    pub ticket: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Drill {
    pub period: String,
    pub score: UnitScore,
    /// Deductions and bonuses dated in the period of the unit and every unit below it.
    pub entries: Vec<Entry>,
    pub tickets: Vec<DrillTicket>,
    pub findings: Vec<DrillFinding>,
}

/// What is behind a unit's score in a period: its entries, tickets and findings.
pub fn drill(conn: &Connection, unit: &str, period: &Period) -> Result<Drill> {
    let h = Hierarchy::load(conn)?;
    h.resolve(unit)?;
    let evaluation = evaluate_in(conn, &h, period)?;
    let score = evaluation
        .unit(unit)
        .expect("every unit is evaluated")
        .clone();
    let (from, to) = period.range();
    let (f, t) = (from.to_string(), to.to_string());
    // The unit's scope: its subtree (workflow.md, tickets by unit, findings by station).
    let scope: Vec<String> = h.subtree(unit).into_iter().map(str::to_string).collect();
    let entries = entries(conn, from, to, Some(&scope), false)?;
    let mut tickets = Vec::new();
    for tk in tickets::list(conn, None, to)? {
        if !scope.contains(&tk.unit) {
            continue;
        }
        let issued = tk.issued_on >= f && tk.issued_on <= t;
        let approved = tk.approved_on.is_some()
            && tk.state != TicketState::Cancelled
            && tk
                .approved_on
                .as_deref()
                .is_some_and(|a| a >= f.as_str() && a <= t.as_str());
        let deducted: f64 = entries
            .iter()
            .filter(|e| e.ticket.as_deref() == Some(tk.number.as_str()))
            .map(|e| e.points)
            .sum();
        if issued || approved || deducted > 0.0 {
            tickets.push(DrillTicket {
                ticket: tk,
                issued_in_period: issued,
                approved_in_period: approved,
                deducted,
            });
        }
    }
    let mut findings = Vec::new();
    {
        let mut stmt = conn.prepare(
            "SELECT f.id, f.rule, f.cust_no, c.station, f.subject, f.status, f.resolution, f.severity,
                    f.first_seen, f.amount_yuan,
                    (SELECT t.number FROM ticket_findings tf JOIN tickets t ON t.id = tf.ticket_id
                     WHERE tf.finding_id = f.id ORDER BY t.id DESC LIMIT 1)
             FROM findings f JOIN customers c ON c.cust_no = f.cust_no
             WHERE f.first_seen BETWEEN ?1 AND ?2 ORDER BY f.first_seen, f.id",
        )?;
        let rows = stmt.query_map([&f, &t], |r| {
            Ok(DrillFinding {
                id: r.get(0)?,
                rule: r.get(1)?,
                cust_no: r.get(2)?,
                station: r.get(3)?,
                subject: r.get(4)?,
                status: r.get(5)?,
                resolution: r.get(6)?,
                severity: r.get(7)?,
                first_seen: r.get(8)?,
                amount_yuan: r.get(9)?,
                ticket: r.get(10)?,
            })
        })?;
        for row in rows {
            let row = row?;
            if scope.contains(&row.station) {
                findings.push(row);
            }
        }
    }
    Ok(Drill {
        period: period.label(),
        score,
        entries,
        tickets,
        findings,
    })
}
