//! Pick one of a few items: [choice] `up`/`down` move, `pick` takes the item under the mark,
//! `cancel` closes; in a numbered list the item's number (1–9, shown beside it) takes it.
//! [choice] `search` (`/`) filters the items as you type (`ui::find::matches`): every key is
//! text then but the arrows (move), Enter (take) and the cancel key, which clears the filter
//! first and closes only on a second press.

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
    /// The search typed after `/` (None: not searching); only matching items are shown.
    pub filter: Option<String>,
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
            filter: None,
        }
    }

    /// The items shown, by their index in `items`: those matching the filter.
    pub fn shown(&self) -> Vec<usize> {
        (0..self.items.len())
            .filter(|i| {
                self.filter
                    .as_deref()
                    .is_none_or(|f| crate::ui::find::matches(&self.items[*i], f))
            })
            .collect()
    }

    fn step(&mut self, down: bool) {
        let shown = self.shown();
        let n = shown.len();
        if n == 0 {
            return;
        }
        let at = shown.iter().position(|i| *i == self.sel).unwrap_or(0);
        let to = match (down, self.wraps) {
            (true, true) => (at + 1) % n,
            (false, true) => (at + n - 1) % n,
            (true, false) => (at + 1).min(n - 1),
            (false, false) => at.saturating_sub(1),
        };
        self.sel = shown[to];
    }

    /// The mark on a shown item after the filter changed.
    fn settle(&mut self) {
        let shown = self.shown();
        if !shown.contains(&self.sel) {
            self.sel = shown.first().copied().unwrap_or(self.sel);
        }
    }

    /// A key while the filter is typed.
    fn on_search_key(&mut self, k: KeyEvent, a: Option<Action>) -> Step {
        use crossterm::event::KeyModifiers;
        match (a, k.code) {
            (Some(Action::ChoiceCancel), _) => self.filter = None,
            (_, KeyCode::Up) => self.step(false),
            (_, KeyCode::Down) => self.step(true),
            (Some(Action::Pick), _) | (_, KeyCode::Enter) if self.shown().contains(&self.sel) => {
                return Step::Reply(Value::Choice(self.sel));
            }
            (Some(Action::Pick), _) | (_, KeyCode::Enter) => {}
            (_, KeyCode::Backspace) => {
                if let Some(f) = self.filter.as_mut() {
                    f.pop();
                }
            }
            (_, KeyCode::Char(c))
                if !k
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                if let Some(f) = self.filter.as_mut() {
                    f.push(c);
                }
            }
            _ => {}
        }
        self.settle();
        Step::Stay
    }
}

impl Dialog for Choice {
    fn kind(&self) -> DialogKind {
        DialogKind::Choice
    }

    fn on_key(&mut self, k: KeyEvent, cx: &mut Cx) -> Step {
        let a = action(cx.keymap, Context::Choice, &k);
        if self.filter.is_some() {
            return self.on_search_key(k, a);
        }
        match a {
            Some(Action::ChoiceSearch) => self.filter = Some(String::new()),
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
        if let Some(f) = &self.filter {
            let line = format!("/{}▏", crate::text::escape(f));
            lines.push(Line::from(Span::styled(cut(&line, inner), ui.theme.key())));
        }
        let rows = usize::from(area.height.saturating_sub(8)).clamp(1, 9);
        let visible = self.shown();
        let at = visible.iter().position(|i| *i == self.sel).unwrap_or(0);
        let start = at.saturating_sub(rows - 1);
        if visible.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("  {}", ui.t(Msg::DlgNoMatch)),
                ui.theme.dim(),
            )));
        }
        for n in visible.iter().copied().skip(start).take(rows) {
            let item = &self.items[n];
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
        let cancel = if self.filter.is_some() {
            ui.t(Msg::DlgClearSearch)
        } else {
            ui.t(Msg::DlgCancel)
        };
        lines.push(footer(
            ui,
            &[
                (&[Action::ChoiceUp, Action::ChoiceDown], &choose),
                (&[Action::Pick], ui.t(Msg::DlgOk)),
                (&[Action::ChoiceCancel], cancel),
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
