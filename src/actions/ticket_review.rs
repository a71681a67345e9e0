//! Who may take a ticket through its review chain (workflow.md, "Tickets"; the handbooks' 审核
//! by each unit's 稽查专责, then 稽查信息室 再次审核 and 归档):
//!
//! - nobody reviews (approves or returns) their own submission, at any level;
//! - one review (`review_levels` = 1): a reviewer whose unit holds the ticket's unit approves or
//!   returns a submitted ticket;
//! - two reviews: the first (submitted → reviewed, or returned) by a reviewer bound to the
//!   ticket's unit or a unit above it, or of the audit centre; the second (reviewed → approved,
//!   or returned) by a reviewer of the audit centre who did not pass the first: a second review
//!   by the first reviewer would be no second review;
//! - archiving an approved ticket is the audit centre's.
//!
//! The moves themselves are `crate::states`' table; this only says who.

use super::tickets::Step;
use crate::context::Ctx;
use crate::error::{JichaError, Result};
use crate::i18n::refusals_tickets::TicketWrong;
use crate::states::TicketState;
use crate::tickets::{self, Ticket};
use crate::units::Hierarchy;
use rusqlite::Connection;

/// Which review a decision on a ticket in `from` is: 1 on a submitted ticket, 2 on a reviewed one.
pub(super) fn level_of(from: TicketState) -> u8 {
    if from == TicketState::Reviewed {
        2
    } else {
        1
    }
}

/// Refuses `step` on `t` when `ctx` may not take it (the move itself was checked already).
pub(super) fn check(tx: &Connection, ctx: &Ctx, t: &Ticket, step: &Step) -> Result<()> {
    let number = || t.number.clone();
    match step {
        Step::Archive => {
            if let Some(unit) = &ctx.unit {
                return Err(JichaError::invalid(TicketWrong::ArchiveNeedsCentre {
                    number: number(),
                    unit: unit.clone(),
                }));
            }
            Ok(())
        }
        Step::Review | Step::Approve | Step::Return { .. } => {
            let levels = tickets::review_levels(tx)?;
            if matches!(step, Step::Review) && levels < 2 {
                return Err(JichaError::invalid(TicketWrong::OneReviewLevel {
                    number: number(),
                }));
            }
            if matches!(step, Step::Approve) && levels >= 2 && t.state == TicketState::Submitted {
                return Err(JichaError::invalid(TicketWrong::NeedsFirstReview {
                    number: number(),
                }));
            }
            if t.submitted_by.as_deref() == Some(ctx.operator.as_str()) {
                return Err(JichaError::invalid(TicketWrong::OwnSubmission {
                    number: number(),
                }));
            }
            if level_of(t.state) == 2 {
                second_review(ctx, t)
            } else {
                first_review(tx, ctx, t)
            }
        }
        Step::Ack | Step::Submit { .. } | Step::Cancel { .. } => Ok(()),
    }
}

/// The first (or only) review: the audit centre, or a reviewer bound to the ticket's unit or a
/// unit above it.
fn first_review(tx: &Connection, ctx: &Ctx, t: &Ticket) -> Result<()> {
    let Some(unit) = &ctx.unit else {
        return Ok(());
    };
    if Hierarchy::load(tx)?.within(&t.unit, unit) {
        return Ok(());
    }
    Err(JichaError::invalid(TicketWrong::ReviewOutsideUnit {
        number: t.number.clone(),
        ticket_unit: t.unit.clone(),
        unit: unit.clone(),
    }))
}

/// The second review: the audit centre's, by someone other than the first reviewer.
fn second_review(ctx: &Ctx, t: &Ticket) -> Result<()> {
    if let Some(unit) = &ctx.unit {
        return Err(JichaError::invalid(TicketWrong::SecondReviewNeedsCentre {
            number: t.number.clone(),
            unit: unit.clone(),
        }));
    }
    if t.reviewed_by.as_deref() == Some(ctx.operator.as_str()) {
        return Err(JichaError::invalid(TicketWrong::SameReviewer {
            number: t.number.clone(),
            on: t.reviewed_on.clone().unwrap_or_default(),
        }));
    }
    Ok(())
}
