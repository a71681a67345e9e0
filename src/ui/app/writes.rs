//! Changes: one at a time to the writer thread, and its answer on the status line.

use super::App;
use crate::ui::i18n::{self, Msg};
use crate::ui::screen::Tone;
use crate::ui::worker::{Refusal, WriteAnswer, WriteRequest};
use crate::ui::write::{Pending, Write};
use std::time::Instant;

impl App {
    /// Hands a change to the writer thread. The screen keeps drawing and answering keys
    /// ("waiting for the dataset…") until `apply_write_answer` shows the outcome.
    pub fn submit(&mut self, write: Write) {
        if self.pending.is_some() {
            let m = self.t(Msg::StillWriting);
            self.set_status(Tone::Error, m);
            return;
        }
        self.roll_date();
        self.note_log_head();
        self.writes_sent += 1;
        self.writer.send(WriteRequest {
            id: self.writes_sent,
            ctx: self.ctx.clone(),
            change: write.change.clone(),
        });
        self.pending = Some(Pending {
            id: self.writes_sent,
            write,
            since: Instant::now(),
        });
        self.status = None;
    }

    /// The writer's answer: the outcome on the status line, the marks it applied to cleared
    /// (a refused change keeps every mark and names what changed), and everything reloaded.
    pub(super) fn apply_write_answer(&mut self, a: WriteAnswer) {
        let Some(p) = self.pending.take_if(|p| p.id == a.id) else {
            return;
        };
        let ok = a.result.is_ok();
        match a.result {
            Ok(outcomes) => {
                let sep = if self.lang() == crate::context::Lang::Zh {
                    "；"
                } else {
                    "; "
                };
                let text = p.write.done.clone().unwrap_or_else(|| outcomes.join(sep));
                self.set_status(Tone::Info, &text);
            }
            Err(r) => {
                let text = self.refusal_text(&p.write, &r);
                self.set_status(Tone::Error, &text);
            }
        }
        self.remember_undo(&p.write, ok);
        self.each_screen(|s, cx| s.written(&p.write, ok, cx));
        self.refresh();
    }

    /// A refusal as the operator reads it: for the marks, which of them changed and that
    /// nothing was applied and every one is still marked.
    pub(super) fn refusal_text(&self, w: &Write, r: &Refusal) -> String {
        if w.marked.is_empty() {
            return r.message.clone();
        }
        let n = w.marked.len();
        if r.stale && !r.changed.is_empty() {
            i18n::marks_refused_changed(self.lang(), &r.changed, n)
        } else {
            format!("{}; {}", r.message, i18n::marks_kept(self.lang(), n))
        }
    }
}
