//! The undo key: the operator's own last status move of findings (confirm, close, reopen) in
//! this session, reversed as a logged change of its own (`actions::undo`). After every change
//! this session makes, the moves it logged are remembered with the versions they left; any
//! other change (a note, a ticket, a view) forgets them, so undo never reaches past the last
//! change. Another operator's later change makes the undo stale: refused, nothing written.

use super::App;
use crate::actions::undo::{self, Undo};
use crate::actions::Action as Op;
use crate::ui::screen::Tone;
use crate::ui::worker::Change;
use crate::ui::write::Write;

#[derive(Debug, Clone, PartialEq)]
pub struct Undoable {
    /// The log records of the moves, one per finding.
    pub seqs: Vec<i64>,
    /// Each moved finding with the version the move left it at.
    pub seen: Vec<(i64, i64)>,
}

impl App {
    pub(super) fn note_log_head(&mut self) {
        self.undo_from = undo::log_head(&self.ds.conn).unwrap_or(i64::MAX);
    }

    /// After a change is answered: the moves it logged become what undo reverses.
    pub(super) fn remember_undo(&mut self, w: &Write, ok: bool) {
        let moves = match &w.change {
            Change::Actions(steps) if ok => steps.iter().all(|(op, _)| {
                matches!(
                    op,
                    Op::Confirm { .. } | Op::Close { .. } | Op::Reopen { .. }
                )
            }),
            // A view or a quality value is no triage: what undo would reverse stays.
            Change::View(_) | Change::Quality(_) => return,
            _ => false,
        };
        self.undoable = None;
        if !moves {
            return;
        }
        let Ok(logged) = undo::moves_since(&self.ds.conn, &self.ctx.operator, self.undo_from)
        else {
            return;
        };
        let ids: Vec<i64> = logged.iter().map(|(_, id)| *id).collect();
        let Ok(seen) = crate::lookup::finding_versions(&self.ds.conn, &ids) else {
            return;
        };
        if !logged.is_empty() {
            self.undoable = Some(Undoable {
                seqs: logged.iter().map(|(s, _)| *s).collect(),
                seen,
            });
        }
    }

    pub(super) fn undo(&mut self) {
        match self.undoable.clone() {
            Some(u) => self.submit(Write::new(Change::Undo(Undo { seqs: u.seqs }, u.seen))),
            None => {
                let e = crate::error::JichaError::invalid(crate::i18n::views::UndoWrong::Nothing);
                let m = e.text(self.lang());
                self.set_status(Tone::Error, &m);
            }
        }
    }
}
