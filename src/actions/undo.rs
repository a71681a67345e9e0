//! `u`ndo (the UI's undo key): the operator's own last triage action within the session,
//! reversed as a change of its own — one transaction, one action-log record per finding
//! (`finding.undo`) or entry (`whitelist.undo`) naming the record it undoes. A status move
//! (confirm, close, reopen) goes back; a note, append-only (workflow.md: corrected by a later
//! note, never edited away), is withdrawn by a later note saying so (`RETRACTION`); a whitelist
//! entry added is revoked with the reason `UNDO_REASON` (nothing deleted: the entry stays in
//! the history). Refused, with nothing written, when a record changed since (the screen's
//! versions: `JichaError::Stale`), when a log record is not this operator's or not such an
//! action, or when the finding is no longer where that move left it.

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

/// The log actions on findings an undo reverses.
pub const UNDOABLE: &[&str] = &[
    "finding.confirm",
    "finding.close",
    "finding.reopen",
    "finding.note",
];

/// The log action of adding a whitelist entry, which an undo revokes.
pub const WHITELIST_ADD: &str = "whitelist.add";

/// The revocation reason of an entry whose adding was undone (both languages: the entry is
/// read by operators of either).
pub const UNDO_REASON: &str = "撤销 undo";

/// The note that withdraws note `seq` (both languages, as above).
pub fn retraction(seq: i64) -> String {
    format!("撤销：第 {seq} 号日志记录的批注作废。Undo: the note of log record {seq} is withdrawn.")
}

/// What the records of an undo are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Of {
    /// Status moves and notes of findings (`UNDOABLE`); `seen` are findings.
    #[default]
    Findings,
    /// Whitelist entries added (`WHITELIST_ADD`); `seen` are entries.
    Whitelist,
}

/// Reverses the actions logged as records `seqs` (one per finding or entry).
#[derive(Debug, Clone, PartialEq)]
pub struct Undo {
    pub seqs: Vec<i64>,
    pub of: Of,
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

/// Record `seq` when it is this operator's action among `allowed`: (action, target id of
/// `prefix`, details).
fn read_own(
    tx: &Connection,
    ctx: &Ctx,
    seq: i64,
    allowed: &[&str],
    prefix: &str,
) -> Result<(String, i64, String)> {
    let rec: Option<(String, String, String, String)> = tx
        .query_row(
            "SELECT operator, action, target, details FROM action_log WHERE seq = ?1",
            [seq],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let refuse = || JichaError::invalid(UndoWrong::NotUndoable { seq });
    let (operator, action, target, details) = rec.ok_or_else(refuse)?;
    if operator != ctx.operator || !allowed.contains(&action.as_str()) {
        return Err(refuse());
    }
    let id: i64 = target
        .strip_prefix(prefix)
        .and_then(|s| s.parse().ok())
        .ok_or_else(refuse)?;
    Ok((action, id, details))
}

fn read_move(seq: i64, action: String, id: i64, details: &str) -> Result<Move> {
    let refuse = || JichaError::invalid(UndoWrong::NotUndoable { seq });
    let d: serde_json::Value = serde_json::from_str(details).map_err(|_| refuse())?;
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
        match self.of {
            Of::Findings => "finding.undo",
            Of::Whitelist => "whitelist.undo",
        }
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
        match self.of {
            Of::Findings => ("findings", RecordKind::Finding),
            Of::Whitelist => ("whitelist", RecordKind::WhitelistEntry),
        }
    }

    fn reach(&self, tx: &Connection) -> Result<super::scope::Reach> {
        let prefix = match self.of {
            Of::Findings => "finding:",
            Of::Whitelist => "whitelist:",
        };
        let ids: Vec<i64> = self
            .seqs
            .iter()
            .filter_map(|seq| {
                tx.query_row("SELECT target FROM action_log WHERE seq = ?1", [seq], |r| {
                    r.get::<_, String>(0)
                })
                .ok()
                .and_then(|t| t.strip_prefix(prefix).and_then(|s| s.parse().ok()))
            })
            .collect();
        let targets = match self.of {
            Of::Findings => super::scope::finding_targets(tx, &ids)?,
            Of::Whitelist => super::scope::whitelist_targets(tx, &ids)?,
        };
        Ok(super::scope::Reach::Records(targets))
    }

    fn apply(&self, tx: &Connection, ctx: &Ctx) -> Result<Outcome> {
        if self.of == Of::Whitelist {
            return self.revoke_entries(tx, ctx);
        }
        let today = ctx.today.to_string();
        for &seq in &self.seqs {
            let (action, id, details) = read_own(tx, ctx, seq, UNDOABLE, "finding:")?;
            if action == "finding.note" {
                self.retract_note(tx, ctx, seq, id)?;
                continue;
            }
            let m = read_move(seq, action, id, &details)?;
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

impl Undo {
    /// A note is never removed: a later note of the same author withdraws it.
    fn retract_note(&self, tx: &Connection, ctx: &Ctx, seq: i64, id: i64) -> Result<()> {
        let text = retraction(seq);
        super::findings::add_note(tx, ctx, id, &text)?;
        actionlog::append(
            tx,
            ctx,
            Command::name(self),
            &format!("finding:{id}"),
            &json!({"undoes": seq, "undone": "finding.note", "text": text}),
        )?;
        Ok(())
    }

    /// Entries added are revoked (kept in the history), the reason saying it was an undo.
    fn revoke_entries(&self, tx: &Connection, ctx: &Ctx) -> Result<Outcome> {
        for &seq in &self.seqs {
            let (_, id, _) = read_own(tx, ctx, seq, &[WHITELIST_ADD], "whitelist:")?;
            let e = crate::whitelist::get(tx, id, ctx.today)?;
            if e.revoked_on.is_some() {
                return Err(JichaError::invalid(
                    crate::i18n::refusals::WhitelistWrong::AlreadyRevoked { id },
                ));
            }
            tx.execute(
                "UPDATE whitelist SET revoked_on = ?1, revoked_by = ?2, revoke_reason = ?3, version = version + 1 WHERE id = ?4",
                params![ctx.today.to_string(), ctx.operator, UNDO_REASON, id],
            )?;
            actionlog::append(
                tx,
                ctx,
                Command::name(self),
                &format!("whitelist:{id}"),
                &json!({"undoes": seq, "undone": WHITELIST_ADD, "reason": UNDO_REASON}),
            )?;
        }
        Ok(Outcome {
            message: Done::WhitelistUndone {
                entries: self.seqs.len(),
            },
            changed: self.seqs.len(),
        })
    }
}

/// `operator`'s whitelist entries added after record `after`: `(seq, entry id)` in order.
pub fn whitelist_adds_since(
    conn: &Connection,
    operator: &str,
    after: i64,
) -> Result<Vec<(i64, i64)>> {
    let mut st = conn.prepare(
        "SELECT seq, target FROM action_log WHERE operator = ?1 AND seq > ?2 AND action = ?3 ORDER BY seq",
    )?;
    let rows = st.query_map(params![operator, after, WHITELIST_ADD], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, target) = row?;
        if let Some(id) = target
            .strip_prefix("whitelist:")
            .and_then(|s| s.parse().ok())
        {
            out.push((seq, id));
        }
    }
    Ok(out)
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
