//! The undo key: the operator's own last triage action of this session — a status move of
//! findings (confirm, close, reopen), a note, or a whitelist entry added — reversed as a logged
//! change of its own (`actions::undo`: a move goes back, a note is withdrawn by a later note, an
//! entry is revoked with the reason "撤销 undo"). After every change this session makes, the
//! records it logged are remembered with the versions they left; any other change (a ticket, a
//! whitelist extension) forgets them, so undo never reaches past the last change. Another
//! operator's later change makes the undo stale: refused, nothing written.

use super::App;
use crate::actions::undo::{self, Of, Undo};
use crate::actions::Action as Op;
use crate::ui::screen::Tone;
use crate::ui::worker::Change;
use crate::ui::write::Write;

#[derive(Debug, Clone, PartialEq)]
pub struct Undoable {
    /// The log records of the actions, one per finding (or entry).
    pub seqs: Vec<i64>,
    /// Each finding (or entry) with the version the action left it at.
    pub seen: Vec<(i64, i64)>,
    /// Findings or whitelist entries.
    pub of: Of,
}

/// What a change answered `ok` leaves for undo: the kind of its records, None for a change
/// undo does not reverse (it forgets the last one), or `Err(())` for a change that is no
/// triage at all (a view, a quality value: what undo would reverse stays).
fn undoable_kind(change: &Change, ok: bool) -> Result<Option<Of>, ()> {
    match change {
        Change::Actions(steps) if ok => {
            let moves = steps.iter().all(|(op, _)| {
                matches!(
                    op,
                    Op::Confirm { .. } | Op::Close { .. } | Op::Reopen { .. } | Op::Note { .. }
                )
            });
            let adds = steps
                .iter()
                .all(|(op, _)| matches!(op, Op::WhitelistAdd { .. }));
            Ok(if moves {
                Some(Of::Findings)
            } else if adds {
                Some(Of::Whitelist)
            } else {
                None
            })
        }
        Change::View(_) | Change::Quality(_) => Err(()),
        _ => Ok(None),
    }
}

impl App {
    pub(super) fn note_log_head(&mut self) {
        self.undo_from = undo::log_head(&self.ds.conn).unwrap_or(i64::MAX);
    }

    /// After a change is answered: what it logged becomes what undo reverses.
    pub(super) fn remember_undo(&mut self, w: &Write, ok: bool) {
        let Ok(kind) = undoable_kind(&w.change, ok) else {
            return;
        };
        self.undoable = None;
        let Some(of) = kind else { return };
        let (conn, me) = (&self.ds.conn, &self.ctx.operator);
        let logged = match of {
            Of::Findings => undo::moves_since(conn, me, self.undo_from),
            Of::Whitelist => undo::whitelist_adds_since(conn, me, self.undo_from),
        };
        let Ok(logged) = logged else { return };
        let ids: Vec<i64> = logged.iter().map(|(_, id)| *id).collect();
        let seen = match of {
            Of::Findings => crate::lookup::finding_versions(conn, &ids),
            Of::Whitelist => crate::lookup::whitelist_versions(conn, &ids),
        };
        let Ok(seen) = seen else { return };
        if !logged.is_empty() {
            self.undoable = Some(Undoable {
                seqs: logged.iter().map(|(s, _)| *s).collect(),
                seen,
                of,
            });
        }
    }

    pub(super) fn undo(&mut self) {
        match self.undoable.clone() {
            Some(u) => self.submit(Write::new(Change::Undo(
                Undo {
                    seqs: u.seqs,
                    of: u.of,
                },
                u.seen,
            ))),
            None => {
                let e = crate::error::JichaError::invalid(crate::i18n::views::UndoWrong::Nothing);
                let m = e.text(self.lang());
                self.set_status(Tone::Error, &m);
            }
        }
    }
}
