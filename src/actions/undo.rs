//! `u`ndo (the UI's undo key): the operator's own last status move of findings (confirm,
//! close, reopen) within the session, reversed as a change of its own — one transaction, one
//! action-log record per finding (`finding.undo`) naming the record it undoes. Refused, with
//! nothing written, when a finding changed since (the screen's versions: `JichaError::Stale`),
//! when a record is not this operator's or is not such a move, or when the finding is no longer
//! where that move left it. Notes are append-only (workflow.md): a note is corrected by a later
//! note, never undone.

use super::{Command, Outcome};
use crate::actionlog;
use crate::context::{Ctx, Role};
use crate::db::Dataset;
use crate::error::{JichaError, Result};
use crate::i18n::errors::RecordKind;
use crate::i18n::outcomes::Done;
use crate::i18n::views::UndoWrong;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;

/// The log actions an undo reverses.
pub const UNDOABLE: &[&str] = &["finding.confirm", "finding.close", "finding.reopen"];

/// Reverses the moves logged as records `seqs` (one per finding).
#[derive(Debug, Clone, PartialEq)]
pub struct Undo {
    pub seqs: Vec<i64>,
}

pub fn perform(ds: &mut Dataset, ctx: &Ctx, undo: &Undo, seen: &[(i64, i64)]) -> Result<Outcome> {
    let mut out = super::run(ds, ctx, &[(undo, seen)])?;
    Ok(out.remove(0))
}

/// One logged move: its finding and where it came from and went.
struct Move {
    seq: i64,
    action: String,
    id: i64,
    from: String,
    to: String,
}

fn read_move(tx: &Connection, ctx: &Ctx, seq: i64) -> Result<Move> {
    let rec: Option<(String, String, String, String)> = tx
        .query_row(
            "SELECT operator, action, target, details FROM action_log WHERE seq = ?1",
            [seq],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let refuse = || JichaError::invalid(UndoWrong::NotUndoable { seq });
    let (operator, action, target, details) = rec.ok_or_else(refuse)?;
    if operator != ctx.operator || !UNDOABLE.contains(&action.as_str()) {
        return Err(refuse());
    }
    let id: i64 = target
        .strip_prefix("finding:")
        .and_then(|s| s.parse().ok())
        .ok_or_else(refuse)?;
    let d: serde_json::Value = serde_json::from_str(&details).map_err(|_| refuse())?;
    let text = |k: &str| d.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let (Some(from), Some(to)) = (text("from"), text("to")) else {
        return Err(refuse());
    };
    Ok(Move {
        seq,
        action,
        id,
        from,
        to,
    })
}

impl Command for Undo {
    fn name(&self) -> &'static str {
        "finding.undo"
    }

    fn required_role(&self) -> Role {
        Role::Auditor
    }

    fn check_input(&self) -> Result<()> {
        if self.seqs.is_empty() {
            return Err(JichaError::invalid(UndoWrong::Nothing));
        }
        Ok(())
    }

    fn seen_records(&self) -> (&'static str, RecordKind) {
        ("findings", RecordKind::Finding)
    }

    fn reach(&self, tx: &Connection) -> Result<super::scope::Reach> {
        let ids: Vec<i64> = self
            .seqs
            .iter()
            .filter_map(|seq| {
                tx.query_row("SELECT target FROM action_log WHERE seq = ?1", [seq], |r| {
                    r.get::<_, String>(0)
                })
                .ok()
                .and_then(|t| t.strip_prefix("finding:").and_then(|s| s.parse().ok()))
            })
            .collect();
        Ok(super::scope::Reach::Records(super::scope::finding_targets(
            tx, &ids,
        )?))
    }

    fn apply(&self, tx: &Connection, ctx: &Ctx) -> Result<Outcome> {
        let today = ctx.today.to_string();
        for &seq in &self.seqs {
            let m = read_move(tx, ctx, seq)?;
            let now: String =
                tx.query_row("SELECT status FROM findings WHERE id = ?1", [m.id], |r| {
                    r.get(0)
                })?;
            if now != m.to {
                return Err(JichaError::invalid(UndoWrong::Moved {
                    id: m.id,
                    status: now,
                }));
            }
            // The resolution it had: the history row before the move's own (the latest).
            let resolution: Option<String> = tx
                .query_row(
                    "SELECT resolution FROM finding_status_history WHERE finding_id = ?1
                     ORDER BY id DESC LIMIT 1 OFFSET 1",
                    [m.id],
                    |r| r.get(0),
                )
                .optional()?
                .flatten();
            let resolution = if m.from == "closed" { resolution } else { None };
            tx.execute(
                "UPDATE findings SET status = ?1, resolution = ?2, status_date = ?3, version = version + 1 WHERE id = ?4",
                params![m.from, resolution, today, m.id],
            )?;
            tx.execute(
                "INSERT INTO finding_status_history(finding_id, business_date, status, resolution, operator)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![m.id, today, m.from, resolution, ctx.operator],
            )?;
            actionlog::append(
                tx,
                ctx,
                Command::name(self),
                &format!("finding:{}", m.id),
                &json!({"undoes": m.seq, "undone": m.action, "from": m.to, "to": m.from, "resolution": resolution}),
            )?;
        }
        Ok(Outcome {
            message: Done::Undone {
                findings: self.seqs.len(),
            },
            changed: self.seqs.len(),
        })
    }
}

/// The newest action-log record's number (0 for none): an undo considers only what follows it.
pub fn log_head(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM action_log", [], |r| {
            r.get(0)
        })?,
    )
}

/// `operator`'s undoable moves logged after record `after`: `(seq, finding id)` in order.
pub fn moves_since(conn: &Connection, operator: &str, after: i64) -> Result<Vec<(i64, i64)>> {
    let list = UNDOABLE
        .iter()
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(",");
    let mut st = conn.prepare(&format!(
        "SELECT seq, target FROM action_log WHERE operator = ?1 AND seq > ?2 AND action IN ({list}) ORDER BY seq"
    ))?;
    let rows = st.query_map(params![operator, after], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, target) = row?;
        if let Some(id) = target.strip_prefix("finding:").and_then(|s| s.parse().ok()) {
            out.push((seq, id));
        }
    }
    Ok(out)
}
