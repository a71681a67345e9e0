//! Deductions at dispatch, their adjustment, a direct deduction a ticket triggers, and the
//! accountability named at submission: a `Command` of its own ([`DeductionAction`]), through
//! the one write path (`super::run`). Every deduction is a `quality_entries` row — the same
//! business and direct entries `quality deduct` makes — so the quality evaluation's business
//! score and ranking move with it; `ticket_deductions` links it to its ticket, with what the
//! standard proposed and any adjustment.
//!
//! Roles: the standard is an admin's (it decides how every unit is scored); an adjustment or a
//! direct deduction is a reviewer's; the proposal at dispatch is part of `ticket create`.

use super::scope::{ticket_target, Reach};
use super::{Action, Command, Outcome};
use crate::actionlog;
use crate::context::{Ctx, Role};
use crate::db::Dataset;
use crate::deductions::{self, CATEGORIES, SEVERITIES};
use crate::error::{JichaError, Result};
use crate::i18n::errors::RecordKind;
use crate::i18n::outcomes::Done;
use crate::i18n::qc::{QcDone, QcWrong};
use crate::i18n::refusals_tickets::QualityWrong;
use crate::states::TicketState;
use crate::units::Hierarchy;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;

#[derive(Debug, Clone, PartialEq)]
pub enum DeductionAction {
    /// A row of the standard (added when new).
    StandardSet {
        subject: String,
        severity: String,
        points: f64,
    },
    /// A reviewer's change of a ticket's business deduction; 0 points: none counts.
    Adjust {
        ticket: String,
        points: f64,
        reason: String,
    },
    /// 直接扣分 triggered by a ticket (营销差错 / 责任事故 at a level), against its unit.
    Direct {
        ticket: String,
        level: String,
        reason: String,
    },
}

impl DeductionAction {
    pub fn name(&self) -> &'static str {
        match self {
            DeductionAction::StandardSet { .. } => "deduction.standard.set",
            DeductionAction::Adjust { .. } => "deduction.adjust",
            DeductionAction::Direct { .. } => "deduction.direct",
        }
    }
}

pub fn perform(ds: &mut Dataset, ctx: &Ctx, action: &DeductionAction) -> Result<Outcome> {
    let mut out = super::run(ds, ctx, &[(action, &[][..])])?;
    Ok(out.remove(0))
}

fn points_in_range(flag: &'static str, points: f64) -> Result<()> {
    if points.is_finite() && (0.0..=deductions::MAX_POINTS).contains(&points) {
        Ok(())
    } else {
        Err(JichaError::invalid(QcWrong::BadPoints { flag, points }))
    }
}

fn need_text(flag: &'static str, s: &str) -> Result<()> {
    if s.trim().is_empty() {
        Err(JichaError::invalid(QcWrong::NeedText { flag }))
    } else {
        Ok(())
    }
}

/// A standard's subject as typed: `*`, `category:<c>`, or a rule id (checked against the
/// dataset's rules inside the transaction).
pub fn check_subject(subject: &str) -> Result<()> {
    let bad = || {
        JichaError::invalid(QcWrong::BadSubject {
            given: subject.to_string(),
        })
    };
    if subject == "*" {
        return Ok(());
    }
    if let Some(c) = subject.strip_prefix("category:") {
        return if CATEGORIES.contains(&c) {
            Ok(())
        } else {
            Err(bad())
        };
    }
    let ok = !subject.is_empty()
        && subject
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':'));
    if ok {
        Ok(())
    } else {
        Err(bad())
    }
}

impl Command for DeductionAction {
    fn name(&self) -> &'static str {
        DeductionAction::name(self)
    }

    fn required_role(&self) -> Role {
        match self {
            DeductionAction::StandardSet { .. } => Role::Admin,
            _ => Role::Reviewer,
        }
    }

    fn check_input(&self) -> Result<()> {
        match self {
            DeductionAction::StandardSet {
                subject,
                severity,
                points,
            } => {
                check_subject(subject)?;
                if !SEVERITIES.contains(&severity.as_str()) {
                    return Err(JichaError::invalid(QcWrong::BadSeverity {
                        given: severity.clone(),
                    }));
                }
                points_in_range("--points", *points)
            }
            DeductionAction::Adjust { points, reason, .. } => {
                points_in_range("--points", *points)?;
                need_text("--reason", reason)
            }
            DeductionAction::Direct { reason, .. } => need_text("--reason", reason),
        }
    }

    fn seen_records(&self) -> (&'static str, RecordKind) {
        ("tickets", RecordKind::Ticket)
    }

    fn reach(&self, tx: &Connection) -> Result<Reach> {
        match self {
            DeductionAction::StandardSet { .. } => Ok(Reach::EveryUnit),
            DeductionAction::Adjust { ticket, .. } | DeductionAction::Direct { ticket, .. } => Ok(
                Reach::Records(ticket_target(tx, ticket)?.into_iter().collect()),
            ),
        }
    }

    fn apply(&self, tx: &Connection, ctx: &Ctx) -> Result<Outcome> {
        let said = match self {
            DeductionAction::StandardSet {
                subject,
                severity,
                points,
            } => set_standard(tx, ctx, subject, severity, *points)?,
            DeductionAction::Adjust {
                ticket,
                points,
                reason,
            } => adjust(tx, ctx, ticket, *points, reason)?,
            DeductionAction::Direct {
                ticket,
                level,
                reason,
            } => direct(tx, ctx, ticket, level, reason)?,
        };
        Ok(Outcome {
            message: Done::Qc { said },
            changed: 1,
        })
    }
}

fn set_standard(
    tx: &Connection,
    ctx: &Ctx,
    subject: &str,
    severity: &str,
    points: f64,
) -> Result<QcDone> {
    let is_rule = subject != "*" && !subject.starts_with("category:");
    if is_rule
        && crate::rules::directory::Directory::load(tx)?
            .get(subject)
            .is_none()
    {
        return Err(JichaError::invalid(QcWrong::UnknownRule {
            rule: subject.to_string(),
        }));
    }
    let old: Option<f64> = tx
        .query_row(
            "SELECT points FROM deduction_standard WHERE subject = ?1 AND severity = ?2",
            params![subject, severity],
            |r| r.get(0),
        )
        .optional()?;
    tx.execute(
        "INSERT INTO deduction_standard(subject, severity, points, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(subject, severity) DO UPDATE SET points = excluded.points,
            updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        params![subject, severity, points, ctx.now_utc(), ctx.operator],
    )?;
    actionlog::append(
        tx,
        ctx,
        "deduction.standard.set",
        &format!("deduction_standard:{subject}/{severity}"),
        &json!({ "old": old, "new": points }),
    )?;
    Ok(QcDone::StandardSet {
        subject: subject.to_string(),
        severity: severity.to_string(),
        points,
        old,
    })
}

/// A quality entry, as `quality deduct` stores one.
#[allow(clippy::too_many_arguments)]
fn insert_entry(
    tx: &Connection,
    ctx: &Ctx,
    kind: &str,
    unit: &str,
    points: f64,
    reason: &str,
    ticket: Option<&str>,
    level: Option<&str>,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO quality_entries(kind, unit, on_date, points, reason, ticket, level, entered_by, entered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            kind,
            unit,
            ctx.today.to_string(),
            points,
            reason,
            ticket,
            level,
            ctx.operator,
            ctx.now_utc()
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Business deductions are recorded against a unit with no units below it (`quality deduct
/// business` says the same): a parent's business score is its units' mean.
fn counts_for(h: &Hierarchy, unit: &str) -> bool {
    h.children(unit).is_empty()
}

/// Called by `ticket create` inside its transaction: the standard's proposal for the new
/// ticket's findings, recorded at once against its unit (a quality entry when it counts) and
/// logged (`deduction.propose`).
pub(crate) fn record_at_dispatch(
    tx: &Connection,
    ctx: &Ctx,
    ticket_id: i64,
    number: &str,
    unit: &str,
    findings: &[i64],
) -> Result<()> {
    let (points, basis) = deductions::propose(tx, findings)?;
    let h = Hierarchy::load(tx)?;
    let counts = points > 0.0 && counts_for(&h, unit);
    let entry = if counts {
        Some(insert_entry(
            tx,
            ctx,
            "business",
            unit,
            points,
            "派单扣分 deduction at dispatch (扣分标准)",
            Some(number),
            None,
        )?)
    } else {
        None
    };
    let basis = serde_json::to_value(&basis).expect("serializable");
    tx.execute(
        "INSERT INTO ticket_deductions(ticket_id, kind, unit, entry_id, proposed, points, basis,
                                       created_on, created_by)
         VALUES (?1, 'business', ?2, ?3, ?4, ?4, ?5, ?6, ?7)",
        params![
            ticket_id,
            unit,
            entry,
            points,
            basis.to_string(),
            ctx.today.to_string(),
            ctx.operator
        ],
    )?;
    actionlog::append(
        tx,
        ctx,
        "deduction.propose",
        &format!("ticket:{number}"),
        &json!({ "unit": unit, "points": points, "entry": entry, "counted": counts, "basis": basis }),
    )?;
    Ok(())
}

fn open_ticket(tx: &Connection, ctx: &Ctx, number: &str) -> Result<crate::tickets::Ticket> {
    let t = crate::tickets::get(tx, number, ctx.today)?;
    match t.state {
        TicketState::Cancelled => Err(JichaError::invalid(QcWrong::CancelledTicket {
            ticket: number.to_string(),
        })),
        TicketState::Archived => Err(JichaError::invalid(QcWrong::ArchivedTicket {
            ticket: number.to_string(),
        })),
        _ => Ok(t),
    }
}

fn adjust(tx: &Connection, ctx: &Ctx, number: &str, points: f64, reason: &str) -> Result<QcDone> {
    let t = open_ticket(tx, ctx, number)?;
    let row: Option<(i64, String, Option<i64>, f64)> = tx
        .query_row(
            "SELECT id, unit, entry_id, points FROM ticket_deductions
             WHERE ticket_id = ?1 AND kind = 'business'",
            [t.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((id, unit, old_entry, old)) = row else {
        return Err(JichaError::invalid(QcWrong::NoDeduction {
            ticket: number.to_string(),
        }));
    };
    let points = deductions::round2(points);
    if (points - old).abs() < 1e-9 {
        return Err(JichaError::invalid(QcWrong::SamePoints {
            ticket: number.to_string(),
            points,
        }));
    }
    let today = ctx.today.to_string();
    if let Some(e) = old_entry {
        tx.execute(
            "UPDATE quality_entries SET revoked_on = ?1, revoked_by = ?2, revoke_reason = ?3
             WHERE id = ?4 AND revoked_on IS NULL",
            params![today, ctx.operator, format!("adjusted 调整: {reason}"), e],
        )?;
    }
    let h = Hierarchy::load(tx)?;
    let entry = if points > 0.0 && counts_for(&h, &unit) {
        Some(insert_entry(
            tx,
            ctx,
            "business",
            &unit,
            points,
            reason,
            Some(number),
            None,
        )?)
    } else {
        None
    };
    tx.execute(
        "UPDATE ticket_deductions SET points = ?1, entry_id = ?2, adjusted_by = ?3, adjusted_on = ?4,
                adjust_reason = ?5, version = version + 1 WHERE id = ?6",
        params![points, entry, ctx.operator, today, reason, id],
    )?;
    actionlog::append(
        tx,
        ctx,
        "deduction.adjust",
        &format!("ticket:{number}"),
        &json!({ "unit": unit, "old": old, "new": points, "reason": reason,
                 "old_entry": old_entry, "entry": entry }),
    )?;
    Ok(QcDone::Adjusted {
        ticket: number.to_string(),
        unit,
        from: old,
        to: points,
    })
}

fn direct(tx: &Connection, ctx: &Ctx, number: &str, level: &str, reason: &str) -> Result<QcDone> {
    let t = open_ticket(tx, ctx, number)?;
    let points: Option<f64> = tx
        .query_row(
            "SELECT points FROM quality_levels WHERE level = ?1",
            [level],
            |r| r.get(0),
        )
        .optional()?;
    let Some(points) = points else {
        let known = crate::quality::levels(tx)?
            .into_iter()
            .map(|l| l.level)
            .collect();
        return Err(JichaError::invalid(QualityWrong::UnknownLevel {
            level: level.to_string(),
            known,
        }));
    };
    let text = format!("{number}: {reason}");
    let entry = insert_entry(tx, ctx, "direct", &t.unit, points, &text, None, Some(level))?;
    tx.execute(
        "INSERT INTO ticket_deductions(ticket_id, kind, unit, entry_id, level, proposed, points,
                                       basis, created_on, created_by, adjust_reason)
         VALUES (?1, 'direct', ?2, ?3, ?4, ?5, ?5, '[]', ?6, ?7, NULL)",
        params![
            t.id,
            t.unit,
            entry,
            level,
            points,
            ctx.today.to_string(),
            ctx.operator
        ],
    )?;
    actionlog::append(
        tx,
        ctx,
        "deduction.direct",
        &format!("ticket:{number}"),
        &json!({ "unit": t.unit, "level": level, "points": points, "reason": reason, "entry": entry }),
    )?;
    Ok(QcDone::DirectRecorded {
        ticket: number.to_string(),
        unit: t.unit,
        level: level.to_string(),
        points,
    })
}

/// `ticket submit` naming the person responsible and the accountability outcome: the submit
/// itself and the accountability, in one transaction (two log records: `ticket.submit`,
/// `ticket.accountability`). A later submission (after a return) replaces what was named.
#[derive(Debug, Clone, PartialEq)]
pub struct SubmitAccountable {
    /// An `Action::TicketSubmit`.
    pub submit: Action,
    pub person: Option<String>,
    /// One of `deductions::OUTCOMES`.
    pub outcome: Option<String>,
}

impl SubmitAccountable {
    fn number(&self) -> &str {
        match &self.submit {
            Action::TicketSubmit { number, .. } => number,
            other => unreachable!("{} is not a submission", other.name()),
        }
    }
}

pub fn submit(ds: &mut Dataset, ctx: &Ctx, s: &SubmitAccountable) -> Result<Vec<Outcome>> {
    super::run(ds, ctx, &[(s, &[][..])])
}

/// As [`submit`], checked against the ticket's `(id, version)` as a screen showed it.
pub fn submit_seen(
    ds: &mut Dataset,
    ctx: &Ctx,
    s: &SubmitAccountable,
    seen: &[(i64, i64)],
) -> Result<Vec<Outcome>> {
    super::run(ds, ctx, &[(s, seen)])
}

impl Command for SubmitAccountable {
    fn name(&self) -> &'static str {
        self.submit.name()
    }

    fn required_role(&self) -> Role {
        self.submit.required_role()
    }

    fn check_input(&self) -> Result<()> {
        Command::check_input(&self.submit)?;
        if let Some(p) = &self.person {
            need_text("--responsible", p)?;
        }
        if let Some(o) = &self.outcome {
            if !deductions::OUTCOMES.contains(&o.as_str()) {
                return Err(JichaError::invalid(
                    crate::i18n::refusals_input::InputWrong::UnknownChoice {
                        what: crate::i18n::refusals_input::Choice::Accountability,
                        given: o.clone(),
                        allowed: deductions::OUTCOMES.to_vec(),
                    },
                ));
            }
        }
        Ok(())
    }

    fn seen_records(&self) -> (&'static str, RecordKind) {
        self.submit.seen_records()
    }

    fn reach(&self, tx: &Connection) -> Result<Reach> {
        self.submit.reach(tx)
    }

    fn apply(&self, tx: &Connection, ctx: &Ctx) -> Result<Outcome> {
        let submitted = self.submit.apply(tx, ctx)?;
        if self.person.is_none() && self.outcome.is_none() {
            return Ok(submitted);
        }
        let number = self.number();
        let t = crate::tickets::get(tx, number, ctx.today)?;
        tx.execute(
            "INSERT INTO ticket_accountability(ticket_id, person, outcome, recorded_by, recorded_on)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(ticket_id) DO UPDATE SET person = excluded.person, outcome = excluded.outcome,
                recorded_by = excluded.recorded_by, recorded_on = excluded.recorded_on",
            params![
                t.id,
                self.person.as_deref().map(str::trim),
                self.outcome,
                ctx.operator,
                ctx.today.to_string()
            ],
        )?;
        actionlog::append(
            tx,
            ctx,
            "ticket.accountability",
            &format!("ticket:{number}"),
            &json!({ "person": self.person, "outcome": self.outcome }),
        )?;
        let said = QcDone::Accountability {
            ticket: number.to_string(),
            person: self.person.clone(),
            outcome: self.outcome.clone(),
        };
        Ok(Outcome {
            message: Done::Several {
                each: vec![submitted.message, Done::Qc { said }],
            },
            changed: submitted.changed,
        })
    }
}
