//! Triage of findings: confirm, close (with a resolution), reopen, and notes. Which status a
//! finding may move to is `crate::states`' table; this file applies the move.

use super::{non_empty, Action, Outcome};
use crate::actionlog;
use crate::context::Ctx;
use crate::error::{JichaError, Result};
use crate::i18n::errors::{Field, MoveBlock, RecordKind};
use crate::i18n::outcomes::Done;
use crate::i18n::refusals::{ActionWrong, FindingWrong};
use crate::states::{FindingStatus, Mover, Resolution};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;

/// The longest note (a finding's note, a closing note), in characters: the UI editor counts
/// toward it and the CLI is refused beyond it alike.
pub const NOTE_MAX_CHARS: usize = 2000;

fn note_length(text: &str) -> Result<()> {
    let len = text.trim().chars().count();
    if len > NOTE_MAX_CHARS {
        return Err(JichaError::invalid(FindingWrong::NoteTooLong {
            len,
            max: NOTE_MAX_CHARS,
        }));
    }
    Ok(())
}

pub(super) fn check_input(action: &Action) -> Result<()> {
    let need_ids = |ids: &Vec<i64>| {
        if ids.is_empty() {
            Err(JichaError::invalid(FindingWrong::NeedIds))
        } else {
            Ok(())
        }
    };
    match action {
        Action::Confirm { ids } | Action::Reopen { ids } => need_ids(ids),
        Action::Close {
            ids,
            resolution,
            note,
        } => {
            need_ids(ids)?;
            let Ok(parsed) = resolution.parse::<Resolution>() else {
                return Err(JichaError::invalid(FindingWrong::UnknownResolution {
                    given: resolution.clone(),
                }));
            };
            match note {
                None if parsed.needs_note() => {
                    Err(JichaError::invalid(FindingWrong::CloseNeedsNote {
                        resolution: resolution.clone(),
                    }))
                }
                Some(n) if n.trim().is_empty() => Err(JichaError::invalid(FindingWrong::EmptyNote)),
                Some(n) => note_length(n),
                None => Ok(()),
            }
        }
        Action::Note { ids, text } => {
            need_ids(ids)?;
            non_empty(text, Field::Note)?;
            note_length(text)
        }
        _ => Ok(()),
    }
}

pub(super) fn apply(tx: &Connection, ctx: &Ctx, action: &Action) -> Result<Outcome> {
    match action {
        Action::Confirm { ids } => {
            transition(tx, ctx, action, ids, FindingStatus::Confirmed, None, None)
        }
        Action::Close {
            ids,
            resolution,
            note,
        } => transition(
            tx,
            ctx,
            action,
            ids,
            FindingStatus::Closed,
            Some(resolution.parse()?),
            note.as_deref(),
        ),
        Action::Reopen { ids } => transition(tx, ctx, action, ids, FindingStatus::New, None, None),
        Action::Note { ids, text } => {
            for id in ids {
                load_finding(tx, *id)?;
                add_note(tx, ctx, *id, text)?;
                actionlog::append(
                    tx,
                    ctx,
                    action.name(),
                    &format!("finding:{id}"),
                    &json!({ "text": text }),
                )?;
            }
            Ok(Outcome {
                message: Done::NoteAdded {
                    findings: ids.len(),
                },
                changed: ids.len(),
            })
        }
        _ => unreachable!("{} is not a finding action", action.name()),
    }
}

struct FindingState {
    status: FindingStatus,
    resolution: Option<Resolution>,
}

fn load_finding(conn: &Connection, id: i64) -> Result<FindingState> {
    conn.query_row(
        "SELECT status, resolution FROM findings WHERE id = ?1",
        [id],
        |r| {
            Ok(FindingState {
                status: r.get(0)?,
                resolution: r.get(1)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| {
        JichaError::invalid(ActionWrong::NoRecord {
            kind: RecordKind::Finding,
            id: id.to_string(),
        })
    })
}

/// A note is a change like any other: it bumps the finding's version, so an action taken on a
/// screen drawn before someone's "do not close" note is refused as stale.
pub(super) fn add_note(conn: &Connection, ctx: &Ctx, id: i64, text: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO finding_notes(finding_id, author, at_utc, business_date, text) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, ctx.operator, ctx.now_utc(), ctx.today.to_string(), text],
    )?;
    conn.execute(
        "UPDATE findings SET version = version + 1 WHERE id = ?1",
        [id],
    )?;
    Ok(())
}

/// Moves findings to `to` (all or none). Findings already there are left alone and counted;
/// a finding that cannot make the move refuses the whole action, naming it.
fn transition(
    tx: &Connection,
    ctx: &Ctx,
    action: &Action,
    ids: &[i64],
    to: FindingStatus,
    resolution: Option<Resolution>,
    note: Option<&str>,
) -> Result<Outcome> {
    let mut changed = 0;
    let mut unchanged = 0;
    for &id in ids {
        let f = load_finding(tx, id)?;
        if f.status == to && f.resolution == resolution {
            unchanged += 1;
            continue;
        }
        if !f.status.can_go_to(to, Mover::Operator) {
            let why = match (to, f.status) {
                (_, FindingStatus::Ticketed) => MoveBlock::OnTicket,
                (FindingStatus::Confirmed, _) => MoveBlock::OnlyNewConfirmed,
                (FindingStatus::Closed, _) => MoveBlock::OnlyNewOrConfirmedClosed,
                _ => MoveBlock::OnlyClosedReopened,
            };
            return Err(JichaError::invalid(FindingWrong::CannotMove {
                id,
                status: f.status.as_str(),
                why,
            }));
        }
        if let Some(text) = note.filter(|n| !n.trim().is_empty()) {
            add_note(tx, ctx, id, text)?;
        }
        set_finding_status(
            tx,
            ctx,
            id,
            to,
            resolution,
            action.name(),
            json!({ "resolution": resolution, "note": note, "bulk": ids.len() }),
        )?;
        changed += 1;
    }
    Ok(Outcome {
        message: Done::FindingsMoved {
            to: to.as_str(),
            changed,
            unchanged,
        },
        changed,
    })
}

/// Moves one finding to `to`: bumps its version, records the status history row and one
/// action-log record (`details` plus `from` and `to`). Callers have checked the move is allowed.
pub(crate) fn set_finding_status(
    tx: &Connection,
    ctx: &Ctx,
    id: i64,
    to: FindingStatus,
    resolution: Option<Resolution>,
    log_action: &str,
    mut details: serde_json::Value,
) -> Result<()> {
    let from = load_finding(tx, id)?.status;
    let today = ctx.today.to_string();
    tx.execute(
        "UPDATE findings SET status = ?1, resolution = ?2, status_date = ?3, version = version + 1 WHERE id = ?4",
        params![to, resolution, today, id],
    )?;
    tx.execute(
        "INSERT INTO finding_status_history(finding_id, business_date, status, resolution, operator)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, today, to, resolution, ctx.operator],
    )?;
    details["from"] = json!(from);
    details["to"] = json!(to);
    actionlog::append(tx, ctx, log_action, &format!("finding:{id}"), &details)?;
    Ok(())
}
