//! A question with a count in it before a change: [confirm] `yes` performs the change, `no`
//! cancels (or goes back to the form the question came from, with its text), any other key (a
//! stray byte of a split escape sequence) leaves it open.

use super::{action, footer, Dialog, DialogKind, Step};
use crate::ui::i18n::Msg;
use crate::ui::keymap::{Action, Context};
use crate::ui::render::{block, centered, esc};
use crate::ui::screen::{Cx, Ui};
use crate::ui::write::Write;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;
use std::any::Any;

pub struct Confirm {
    /// Dataset text in it is escaped when drawn.
    pub question: String,
    pub write: Write,
    /// The dialog `no` goes back to (the form whose answer this asks about, its text kept);
    /// none: `no` cancels.
    pub back: Option<Box<dyn Dialog>>,
}

impl Confirm {
    pub fn new(question: String, write: Write) -> Confirm {
        Confirm {
            question,
            write,
            back: None,
        }
    }
}

impl Dialog for Confirm {
    fn kind(&self) -> DialogKind {
        DialogKind::Confirm
    }

    fn on_key(&mut self, k: KeyEvent, cx: &mut Cx) -> Step {
        match action(cx.keymap, Context::Confirm, &k) {
            Some(Action::Yes) => {
                cx.perform(self.write.clone());
                Step::Close
            }
            Some(Action::No) => {
                match self.back.take() {
                    Some(d) => cx.dialog_boxed(d),
                    None => cx.info(cx.t(Msg::Cancelled)),
                }
                Step::Close
            }
            _ => Step::Stay,
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let q = &self.question;
        let w = (crate::text::width(q) as u16 + 6).clamp(40, area.width.saturating_sub(4));
        let r = centered(area, w, 6);
        f.render_widget(Clear, r);
        let keys = footer(
            ui,
            &[
                (&[Action::Yes], ui.t(Msg::Yes)),
                (&[Action::No], ui.t(Msg::No)),
            ],
        );
        let p = Paragraph::new(vec![
            Line::from(Span::styled(esc(q), ui.theme.title())),
            Line::from(""),
            keys,
        ])
        .wrap(Wrap { trim: false })
        .block(block(ui.theme, ui.t(Msg::ConfirmTitle), true));
        f.render_widget(p, r);
    }

    fn tag(&self) -> &dyn Any {
        &()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
