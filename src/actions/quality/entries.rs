//! The quality evaluation's entries: business and direct deductions, bonuses, and revoking
//! one. Each is one row of `quality_entries` and one action-log record.

use super::QualityAction;
use crate::actionlog;
use crate::actions::Outcome;
use crate::context::Ctx;
use crate::error::{JichaError, Result};
use crate::i18n::outcomes::Done;
use crate::i18n::refusals_tickets::QualityWrong;
use crate::units::Hierarchy;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;

/// A business deduction.
pub(super) fn apply_deduction(
    tx: &Connection,
    ctx: &Ctx,
    action: &QualityAction,
) -> Result<Outcome> {
    let done = |message: Done| {
        Ok(Outcome {
            message,
            changed: 1,
        })
    };
    match action {
        QualityAction::BusinessDeduct {
            ticket,
            points,
            reason,
            unit,
            date,
        } => {
            let t = crate::tickets::get(tx, ticket, ctx.today)?;
            if t.state == crate::states::TicketState::Cancelled {
                return Err(JichaError::invalid(QualityWrong::CancelledTicket {
                    ticket: ticket.clone(),
                }));
            }
            let unit = unit.clone().unwrap_or(t.unit.clone());
            // Business deductions are the 基层 units' (004 part 1): a parent's business score is
            // the mean of its children's, so nothing is recorded against a unit with units below.
            let h = Hierarchy::load(tx)?;
            h.resolve(&unit)?;
            if !h.children(&unit).is_empty() {
                return Err(JichaError::invalid(QualityWrong::NeedStation { unit }));
            }
            let on = date.unwrap_or(ctx.today);
            let id = insert_entry(
                tx,
                ctx,
                "business",
                &unit,
                on,
                *points,
                reason,
                Some(ticket),
                None,
            )?;
            actionlog::append(
                tx,
                ctx,
                action.name(),
                &format!("quality_entry:{id}"),
                &json!({ "unit": unit, "ticket": ticket, "points": points, "reason": reason, "on": on.to_string() }),
            )?;
            done(Done::BusinessDeducted {
                id,
                unit,
                points: *points,
                on: on.to_string(),
                ticket: ticket.clone(),
            })
        }
        _ => unreachable!("{} is not handled by apply_deduction", action.name()),
    }
}

/// A direct deduction (an error or accident at a level).
pub(super) fn apply_direct(tx: &Connection, ctx: &Ctx, action: &QualityAction) -> Result<Outcome> {
    let done = |message: Done| {
        Ok(Outcome {
            message,
            changed: 1,
        })
    };
    match action {
        QualityAction::DirectDeduct {
            unit,
            level,
            reason,
            date,
        } => {
            let points: Option<f64> = tx
                .query_row(
                    "SELECT points FROM quality_levels WHERE level = ?1",
                    [level],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(points) = points else {
                let known: Vec<String> = crate::quality::levels(tx)?
                    .into_iter()
                    .map(|l| l.level)
                    .collect();
                return Err(JichaError::invalid(QualityWrong::UnknownLevel {
                    level: level.clone(),
                    known,
                }));
            };
            Hierarchy::load(tx)?.resolve(unit)?;
            let on = date.unwrap_or(ctx.today);
            let id = insert_entry(
                tx,
                ctx,
                "direct",
                unit,
                on,
                points,
                reason,
                None,
                Some(level),
            )?;
            actionlog::append(
                tx,
                ctx,
                action.name(),
                &format!("quality_entry:{id}"),
                &json!({ "unit": unit, "level": level, "points": points, "reason": reason, "on": on.to_string() }),
            )?;
            done(Done::DirectDeducted {
                id,
                unit: unit.clone(),
                points,
                level: level.clone(),
                on: on.to_string(),
            })
        }
        _ => unreachable!("{} is not handled by apply_direct", action.name()),
    }
}

/// A bonus, or an entry revoked.
pub(super) fn apply_bonus_or_revoke(
    tx: &Connection,
    ctx: &Ctx,
    action: &QualityAction,
) -> Result<Outcome> {
    let done = |message: Done| {
        Ok(Outcome {
            message,
            changed: 1,
        })
    };
    match action {
        QualityAction::Bonus {
            unit,
            points,
            reason,
            date,
        } => {
            Hierarchy::load(tx)?.resolve(unit)?;
            let on = date.unwrap_or(ctx.today);
            let id = insert_entry(tx, ctx, "bonus", unit, on, *points, reason, None, None)?;
            actionlog::append(
                tx,
                ctx,
                action.name(),
                &format!("quality_entry:{id}"),
                &json!({ "unit": unit, "points": points, "reason": reason, "on": on.to_string() }),
            )?;
            done(Done::BonusAdded {
                id,
                unit: unit.clone(),
                points: *points,
                on: on.to_string(),
            })
        }
        QualityAction::EntryRevoke { id, reason } => {
            let row: Option<(String, String, f64, Option<String>)> = tx
                .query_row(
                    "SELECT kind, unit, points, revoked_on FROM quality_entries WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            let Some((kind, unit, points, revoked)) = row else {
                return Err(JichaError::invalid(QualityWrong::NoEntry { id: *id }));
            };
            if let Some(on) = revoked {
                return Err(JichaError::invalid(QualityWrong::EntryRevoked {
                    id: *id,
                    on,
                }));
            }
            tx.execute(
                "UPDATE quality_entries SET revoked_on = ?1, revoked_by = ?2, revoke_reason = ?3 WHERE id = ?4",
                params![ctx.today.to_string(), ctx.operator, reason, id],
            )?;
            actionlog::append(
                tx,
                ctx,
                action.name(),
                &format!("quality_entry:{id}"),
                &json!({ "kind": kind, "unit": unit, "points": points, "reason": reason }),
            )?;
            done(Done::EntryRevoked {
                id: *id,
                kind,
                unit,
                points,
            })
        }
        _ => unreachable!("{} is not handled by apply_bonus_or_revoke", action.name()),
    }
}

#[allow(clippy::too_many_arguments)]
fn insert_entry(
    tx: &Connection,
    ctx: &Ctx,
    kind: &str,
    unit: &str,
    on: NaiveDate,
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
            on.to_string(),
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
