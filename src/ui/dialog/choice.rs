//! Pick one of a few items: [choice] `up`/`down` move, `pick` takes the item under the mark,
//! `cancel` closes; in a numbered list the item's number (1–9, shown beside it) takes it.

use super::{action, footer, Dialog, DialogKind, Step, Value};
use crate::ui::i18n::Msg;
use crate::ui::keymap::{Action, Context};
use crate::ui::render::{block, centered, cut};
use crate::ui::screen::{Cx, Ui};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;
use std::any::Any;

pub struct Choice {
    /// Our own text (dataset text escaped by the opener).
    pub title: String,
    /// A line above the items (e.g. the customer).
    pub intro: Option<String>,
    pub items: Vec<String>,
    pub sel: usize,
    /// Items carry their number and a digit picks one.
    pub numbered: bool,
    /// Up on the first item goes to the last, and down on the last to the first.
    pub wraps: bool,
    /// Width, and a fixed height (else as many rows as the items need).
    pub size: (u16, Option<u16>),
    pub tag: Box<dyn Any>,
}

impl Choice {
    pub fn new(title: String, items: Vec<String>, tag: impl Any) -> Choice {
        Choice {
            title,
            intro: None,
            items,
            sel: 0,
            numbered: true,
            wraps: false,
            size: (56, None),
            tag: Box::new(tag),
        }
    }

    fn step(&mut self, down: bool) {
        let n = self.items.len();
        if n == 0 {
            return;
        }
        self.sel = match (down, self.wraps) {
            (true, true) => (self.sel + 1) % n,
            (false, true) => (self.sel + n - 1) % n,
            (true, false) => (self.sel + 1).min(n - 1),
            (false, false) => self.sel.saturating_sub(1),
        };
    }
}

impl Dialog for Choice {
    fn kind(&self) -> DialogKind {
        DialogKind::Choice
    }

    fn on_key(&mut self, k: KeyEvent, cx: &mut Cx) -> Step {
        match action(cx.keymap, Context::Choice, &k) {
            Some(Action::ChoiceUp) => self.step(false),
            Some(Action::ChoiceDown) => self.step(true),
            Some(Action::Pick) if self.sel < self.items.len() => {
                return Step::Reply(Value::Choice(self.sel))
            }
            Some(Action::ChoiceCancel) => return Step::Close,
            // The number typed is data (the one shown beside the item), not a binding.
            _ => {
                if let KeyCode::Char(c @ '1'..='9') = k.code {
                    let i = c as usize - '1' as usize;
                    if self.numbered && i < self.items.len() {
                        return Step::Reply(Value::Choice(i));
                    }
                }
            }
        }
        Step::Stay
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let w = self.size.0.min(area.width);
        let inner = usize::from(w.saturating_sub(4));
        let mut lines = Vec::new();
        if let Some(intro) = &self.intro {
            lines.push(Line::from(cut(intro, inner)));
        }
        let shown = usize::from(area.height.saturating_sub(8)).clamp(1, 9);
        let start = self.sel.saturating_sub(shown - 1);
        for (n, item) in self.items.iter().enumerate().skip(start).take(shown) {
            let mark = if n == self.sel { ">" } else { " " };
            let line = match (self.numbered, n < 9) {
                (true, true) => format!("{mark} {} {item}", n + 1),
                (true, false) => format!("{mark}   {item}"),
                (false, _) => format!("{mark} {item}"),
            };
            let style = if n == self.sel {
                ui.theme.selected()
            } else {
                Style::new()
            };
            lines.push(Line::from(Span::styled(cut(&line, inner + 2), style)));
        }
        lines.push(Line::from(""));
        let choose = if self.numbered {
            format!("{} {}", ui.t(Msg::DlgChoose), ui.t(Msg::DlgByNumber))
        } else {
            ui.t(Msg::DlgChoose).to_string()
        };
        lines.push(footer(
            ui,
            &[
                (&[Action::ChoiceUp, Action::ChoiceDown], &choose),
                (&[Action::Pick], ui.t(Msg::DlgOk)),
                (&[Action::ChoiceCancel], ui.t(Msg::DlgCancel)),
            ],
        ));
        let h = self.size.1.unwrap_or(lines.len() as u16 + 2);
        let r = centered(area, w, h);
        f.render_widget(Clear, r);
        f.render_widget(
            Paragraph::new(lines).block(block(ui.theme, &cut(&self.title, inner), true)),
            r,
        );
    }

    fn tag(&self) -> &dyn Any {
        self.tag.as_ref()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
