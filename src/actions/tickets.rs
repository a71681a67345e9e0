//! Audit tickets' write side: creation from findings and every change of state. The moves a
//! ticket may make are `crate::states`' table; the read side is `crate::tickets`.
//! Findings follow: ticketed on creation, closed as rectified on approval, back to confirmed on
//! cancellation. The review chain (`review_levels`): with 1, a submitted ticket is approved by a
//! reviewer; with 2, it is first reviewed by a reviewer of its unit, a unit above it or the audit
//! centre (→ `reviewed`, 待复核), then approved by another reviewer of the audit centre. An
//! approved ticket is archived by the audit centre and is read-only from then on.

use super::{set_finding_status, Action, Outcome};
use crate::context::Ctx;
use crate::error::{JichaError, Result};
use crate::findings;
use crate::i18n::outcomes::Done;
use crate::i18n::refusals_tickets::TicketWrong;
use crate::rules::Severity;
use crate::states::{FindingStatus, Resolution, TicketState};
use crate::thresholds::Thresholds;
use crate::tickets;
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde_json::json;
use std::collections::BTreeSet;

use super::ticket_review as review;

pub(super) fn apply(tx: &Connection, ctx: &Ctx, action: &Action) -> Result<Outcome> {
    match action {
        Action::TicketCreate {
            findings,
            unit,
            person,
            due,
            requirement,
        } => create(
            tx,
            ctx,
            &NewTicket {
                findings,
                unit: unit.as_deref(),
                person: person.as_deref(),
                due: *due,
                requirement,
                campaign: None,
            },
        ),
        Action::TicketAck { number } => step(tx, ctx, number, &Step::Ack),
        Action::TicketSubmit {
            number,
            cause,
            measures,
            recovered,
        } => step(
            tx,
            ctx,
            number,
            &Step::Submit {
                cause,
                measures,
                recovered: *recovered,
            },
        ),
        Action::TicketApprove { number } => step(tx, ctx, number, &Step::Approve),
        Action::TicketReturn { number, reason } => step(tx, ctx, number, &Step::Return { reason }),
        Action::TicketCancel { number, reason } => step(tx, ctx, number, &Step::Cancel { reason }),
        Action::TicketReview { number } => step(tx, ctx, number, &Step::Review),
        Action::TicketArchive { number } => step(tx, ctx, number, &Step::Archive),
        _ => unreachable!("{} is not a ticket action", action.name()),
    }
}

pub struct NewTicket<'a> {
    pub findings: &'a [i64],
    pub unit: Option<&'a str>,
    pub person: Option<&'a str>,
    pub due: Option<NaiveDate>,
    pub requirement: &'a str,
    /// The campaign (专项稽查) it is dispatched for; None: the one open campaign all its
    /// findings belong to, if exactly one.
    pub campaign: Option<&'a str>,
}

/// `ticket create --campaign ZX-…`: `action` (an `Action::TicketCreate`) for that campaign.
pub(super) fn create_for_campaign(
    tx: &Connection,
    ctx: &Ctx,
    action: &Action,
    campaign: &str,
) -> Result<Outcome> {
    let Action::TicketCreate {
        findings,
        unit,
        person,
        due,
        requirement,
    } = action
    else {
        unreachable!("{} is not ticket.create", action.name())
    };
    create(
        tx,
        ctx,
        &NewTicket {
            findings,
            unit: unit.as_deref(),
            person: person.as_deref(),
            due: *due,
            requirement,
            campaign: Some(campaign),
        },
    )
}

fn create(tx: &Connection, ctx: &Ctx, t: &NewTicket) -> Result<Outcome> {
    if t.findings.is_empty() {
        return Err(JichaError::invalid(TicketWrong::NeedFindings));
    }
    if t.requirement.trim().is_empty() {
        return Err(JichaError::invalid(TicketWrong::NeedRequirement));
    }
    // A typed unit must be one the tree knows (a typo is refused with the nearest names).
    super::scope::require_known_unit(tx, t.unit)?;
    let mut stations = BTreeSet::new();
    let mut worst = Severity::Low;
    for &id in t.findings {
        let f = findings::get(tx, id, ctx.today)?;
        let status: FindingStatus = f.status;
        if !status.can_go_to(FindingStatus::Ticketed, crate::states::Mover::Ticket) {
            return Err(JichaError::invalid(TicketWrong::NotTicketable {
                id,
                status: f.status.to_string(),
                on_ticket: tickets::open_ticket_of(tx, id)?,
            }));
        }
        stations.insert(f.station.clone());
        worst = worst.max(Severity::parse(&f.severity).unwrap_or(worst));
    }
    let unit = responsible_unit(t.unit, stations)?;
    let due = due_date(tx, ctx, t.due, worst)?;
    let campaign = crate::campaigns::for_ticket(tx, t.campaign, t.findings)?;
    let prefix = format!("JC-{}-", ctx.today.format("%Y%m%d"));
    let seq: i64 = tx.query_row(
        "SELECT count(*) FROM tickets WHERE number LIKE ?1 || '%'",
        [&prefix],
        |r| r.get(0),
    )?;
    let number = format!("{prefix}{:03}", seq + 1);
    tx.execute(
        "INSERT INTO tickets(number, state, unit, person, requirement, issued_by, issued_on, due_on,
                             campaign)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            number,
            TicketState::Dispatched,
            unit,
            t.person,
            t.requirement,
            ctx.operator,
            ctx.today.to_string(),
            due.to_string(),
            campaign
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
            FindingStatus::Ticketed,
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
        TicketState::Dispatched,
        json!({ "unit": unit, "person": t.person, "due_on": due.to_string(),
                "requirement": t.requirement, "findings": t.findings, "campaign": campaign }),
    )?;
    // 业务评价扣分 at dispatch (004 part 1), in the ticket's transaction.
    super::deductions::record_at_dispatch(tx, ctx, ticket_id, &number, &unit, t.findings)?;
    Ok(Outcome {
        message: Done::TicketDispatched {
            number,
            unit,
            due: due.to_string(),
            findings: t.findings.len(),
        },
        changed: 1,
    })
}

/// The unit given, or else the findings' one supply station.
fn responsible_unit(given: Option<&str>, stations: BTreeSet<String>) -> Result<String> {
    let unit = match (given, stations.len()) {
        (Some(u), _) if !u.trim().is_empty() => u.to_string(),
        (_, 1) => stations.into_iter().next().expect("one station"),
        _ => {
            return Err(JichaError::invalid(TicketWrong::ManyStations {
                stations: stations.into_iter().collect(),
            }))
        }
    };
    if unit.is_empty() {
        return Err(JichaError::invalid(TicketWrong::NoStation));
    }
    Ok(unit)
}

/// The date given (not before today), or else today + `due_days` of the worst severity.
fn due_date(
    tx: &Connection,
    ctx: &Ctx,
    given: Option<NaiveDate>,
    worst: Severity,
) -> Result<NaiveDate> {
    let th = Thresholds::load(tx)?;
    let due = match given {
        Some(d) if d < ctx.today => {
            return Err(JichaError::invalid(TicketWrong::DueBeforeIssue {
                due: d.to_string(),
                issued: ctx.today.to_string(),
            }))
        }
        Some(d) => d,
        None => {
            let days = th.int(&format!("due_days_{}", worst.as_str()));
            crate::dates::add_days(ctx.today, days).ok_or_else(|| {
                JichaError::invalid(TicketWrong::DuePastLastDate {
                    days,
                    from: ctx.today.to_string(),
                    severity: worst.as_str(),
                    last_year: crate::dates::LAST_YEAR,
                })
            })?
        }
    };
    Ok(due)
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
    /// The first of two reviews (`review_levels` = 2): submitted → reviewed.
    Review,
    /// Approved → archived, by the audit centre.
    Archive,
}

fn step(tx: &Connection, ctx: &Ctx, number: &str, step: &Step) -> Result<Outcome> {
    let t = tickets::get(tx, number, ctx.today)?;
    let from: TicketState = t.state;
    let to = target(&t, step)?;
    review::check(tx, ctx, &t, step)?;
    let today = ctx.today.to_string();
    let details = match step {
        Step::Ack => json!({}),
        Step::Submit {
            cause,
            measures,
            recovered,
        } => {
            if cause.trim().is_empty() || measures.trim().is_empty() {
                return Err(JichaError::invalid(TicketWrong::SubmitNeedsText));
            }
            crate::inspections::require_before_submit(tx, t.id, number)?;
            if recovered.is_some_and(|r| !r.is_finite() || r < 0.0) {
                return Err(JichaError::invalid(TicketWrong::BadRecovered));
            }
            tx.execute(
                "UPDATE tickets SET cause = ?1, measures = ?2, recovered_yuan = ?3, submitted_by = ?4, submitted_on = ?5
                 WHERE id = ?6",
                params![cause, measures, recovered, ctx.operator, today, t.id],
            )?;
            json!({ "cause": cause, "measures": measures, "recovered_yuan": recovered })
        }
        Step::Review | Step::Approve | Step::Archive => reviewed(tx, ctx, &t, step)?,
        Step::Return { reason } | Step::Cancel { reason } => {
            if reason.trim().is_empty() {
                return Err(JichaError::invalid(TicketWrong::NeedsReason {
                    to: to.as_str(),
                }));
            }
            if matches!(step, Step::Return { .. }) {
                // The first review was of the submission sent back: the next one needs it again.
                tx.execute(
                    "UPDATE tickets SET reviewed_by = NULL, reviewed_on = NULL WHERE id = ?1",
                    [t.id],
                )?;
            }
            if matches!(step, Step::Cancel { .. }) {
                tx.execute(
                    "UPDATE tickets SET cancelled_on = ?1 WHERE id = ?2",
                    params![today, t.id],
                )?;
                for id in tickets::finding_ids(tx, t.id)? {
                    if !super::inspections::still_ticketed(tx, id)? {
                        continue; // closed as 不属实 by an inspection: it stays closed
                    }
                    set_finding_status(
                        tx,
                        ctx,
                        id,
                        FindingStatus::Confirmed,
                        None,
                        "finding.unticket",
                        json!({ "ticket": number }),
                    )?;
                }
            }
            let mut d = json!({ "reason": reason });
            if matches!(step, Step::Return { .. }) {
                d["level"] = json!(review::level_of(from));
            }
            d
        }
    };
    tx.execute(
        "UPDATE tickets SET state = ?1, version = version + 1 WHERE id = ?2",
        params![to, t.id],
    )?;
    record_event(tx, ctx, t.id, number, Some(from), to, details)?;
    Ok(Outcome {
        message: Done::TicketMoved {
            number: number.to_string(),
            from: from.as_str(),
            to: to.as_str(),
        },
        changed: 1,
    })
}

/// The state `step` moves `t` to, refused when the states' table has no such move; an archived
/// ticket moves no more.
fn target(t: &tickets::Ticket, step: &Step) -> Result<TicketState> {
    let (number, from) = (t.number.as_str(), t.state);
    if from == TicketState::Archived {
        return Err(JichaError::invalid(TicketWrong::Archived {
            number: number.to_string(),
            on: t.archived_on.clone().unwrap_or_default(),
        }));
    }
    let to = match step {
        Step::Ack => TicketState::Rectifying,
        Step::Submit { .. } => TicketState::Submitted,
        Step::Approve => TicketState::Approved,
        Step::Return { .. } => TicketState::Returned,
        Step::Cancel { .. } => TicketState::Cancelled,
        Step::Review => TicketState::Reviewed,
        Step::Archive => TicketState::Archived,
    };
    if !from.can_go_to(to) {
        return Err(JichaError::invalid(TicketWrong::CannotMove {
            number: number.to_string(),
            from: from.as_str(),
            to: to.as_str(),
            sources: to.sources().iter().map(|s| s.as_str()).collect(),
        }));
    }
    Ok(to)
}

/// The review chain's writes: the first review, the (final) approval closing the findings as
/// rectified, the archive. The event's details.
fn reviewed(
    tx: &Connection,
    ctx: &Ctx,
    t: &tickets::Ticket,
    step: &Step,
) -> Result<serde_json::Value> {
    let today = ctx.today.to_string();
    Ok(match step {
        Step::Review => {
            tx.execute(
                "UPDATE tickets SET reviewed_by = ?1, reviewed_on = ?2 WHERE id = ?3",
                params![ctx.operator, today, t.id],
            )?;
            json!({ "level": 1 })
        }
        Step::Archive => {
            tx.execute(
                "UPDATE tickets SET archived_by = ?1, archived_on = ?2 WHERE id = ?3",
                params![ctx.operator, today, t.id],
            )?;
            json!({ "approved_on": t.approved_on })
        }
        _ => {
            tx.execute(
                "UPDATE tickets SET approved_by = ?1, approved_on = ?2 WHERE id = ?3",
                params![ctx.operator, today, t.id],
            )?;
            for id in tickets::finding_ids(tx, t.id)? {
                if !super::inspections::still_ticketed(tx, id)? {
                    continue; // closed as 不属实 by an inspection: not rectified
                }
                set_finding_status(
                    tx,
                    ctx,
                    id,
                    FindingStatus::Closed,
                    Some(Resolution::Rectified),
                    "finding.close",
                    json!({ "ticket": t.number, "resolution": Resolution::Rectified }),
                )?;
            }
            let mut d = json!({ "late": today > t.due_on });
            if let Some(first) = &t.reviewed_by {
                d["reviewed_by"] = json!(first);
            }
            d
        }
    })
}

fn record_event(
    tx: &Connection,
    ctx: &Ctx,
    ticket_id: i64,
    number: &str,
    from: Option<TicketState>,
    to: TicketState,
    details: serde_json::Value,
) -> Result<()> {
    tx.execute(
        "INSERT INTO ticket_events(ticket_id, business_date, at_utc, operator, from_state, to_state, details)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![ticket_id, ctx.today.to_string(), ctx.now_utc(), ctx.operator, from, to, details.to_string()],
    )?;
    let action = match to {
        TicketState::Dispatched => "ticket.create",
        TicketState::Rectifying => "ticket.ack",
        TicketState::Submitted => "ticket.submit",
        TicketState::Approved => "ticket.approve",
        TicketState::Returned => "ticket.return",
        TicketState::Cancelled => "ticket.cancel",
        TicketState::Reviewed => "ticket.review",
        TicketState::Archived => "ticket.archive",
    };
    let mut details = details;
    details["from"] = json!(from);
    crate::actionlog::append(tx, ctx, action, &format!("ticket:{number}"), &details)?;
    Ok(())
}
