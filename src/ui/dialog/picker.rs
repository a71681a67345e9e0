//! Pick one name of a list by typing a few of its characters in order (fuzzy: `米巷` finds
//! `米市巷供电所`, `b5` finds `BIL-05`): the rule, unit or operator pickers. Only a name of the
//! list can be answered — never free text. [prompt] keys edit the filter, `next`/`previous`
//! move the highlight, `submit` answers the highlighted name (an empty filter with the
//! highlight not moved answers "" — the opener's "none", e.g. clearing a filter).

use super::{action, footer, Dialog, DialogKind, Prompt, Step, Value};
use crate::text;
use crate::ui::fuzzy;
use crate::ui::i18n::Msg;
use crate::ui::keymap::{Action, Context};
use crate::ui::render::{block, centered, cut, esc};
use crate::ui::screen::{Cx, Invalid, Ui};
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;
use std::any::Any;

/// One name to pick (dataset text: escaped when drawn) and a few words beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub name: String,
    pub label: String,
}

pub struct Picker {
    pub title: String,
    pub input: Prompt,
    pub items: Vec<Item>,
    /// Indexes of the items matching the filter, best first.
    pub shown: Vec<usize>,
    pub sel: usize,
    moved: bool,
    pub error: Option<String>,
    tag: Box<dyn Any>,
}

const ROWS: usize = 10;

impl Picker {
    pub fn new(title: String, items: Vec<Item>, tag: impl Any) -> Picker {
        let mut p = Picker {
            title,
            input: Prompt::new(String::new(), None, ()),
            shown: Vec::new(),
            items,
            sel: 0,
            moved: false,
            error: None,
            tag: Box::new(tag),
        };
        p.filter();
        p
    }

    /// The highlight starts on `name` when it is in the list.
    pub fn at(mut self, name: Option<&str>) -> Picker {
        if let Some(i) = name.and_then(|n| self.shown.iter().position(|&i| self.items[i].name == n))
        {
            self.sel = i;
        }
        self
    }

    fn filter(&mut self) {
        let q = self.input.text();
        let q = q.trim();
        let mut scored: Vec<(i64, usize)> = self
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, it)| {
                let by_name = fuzzy::score(q, &it.name);
                let by_label = fuzzy::score(q, &it.label).map(|s| s - 1000);
                by_name.max(by_label).map(|s| (s, i))
            })
            .collect();
        if !q.is_empty() {
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        }
        self.shown = scored.into_iter().map(|(_, i)| i).collect();
        self.sel = 0;
        self.moved = false;
    }

    /// The name under the highlight.
    pub fn current(&self) -> Option<&Item> {
        self.shown.get(self.sel).map(|&i| &self.items[i])
    }
}

impl Dialog for Picker {
    fn kind(&self) -> DialogKind {
        DialogKind::Choice
    }

    fn on_key(&mut self, k: KeyEvent, cx: &mut Cx) -> Step {
        let n = self.shown.len();
        match action(cx.keymap, Context::Prompt, &k) {
            Some(Action::NextCandidate) if n > 0 => {
                self.sel = (self.sel + 1) % n;
                self.moved = true;
            }
            Some(Action::PrevCandidate) if n > 0 => {
                self.sel = (self.sel + n - 1) % n;
                self.moved = true;
            }
            Some(Action::Submit) => {
                if self.input.text().trim().is_empty() && !self.moved {
                    return Step::Reply(Value::Text(String::new()));
                }
                match self.current() {
                    Some(it) => return Step::Reply(Value::Text(it.name.clone())),
                    None => {
                        self.error = Some(
                            crate::ui::cmdline::words::CmdMsg::NoMatch
                                .text(cx.lang())
                                .to_string(),
                        )
                    }
                }
            }
            Some(Action::PromptCancel) => return Step::Close,
            _ => {
                let before = self.input.text();
                self.input.on_key(k, cx);
                if self.input.text() != before {
                    self.error = None;
                    self.filter();
                }
            }
        }
        Step::Stay
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let w = area.width.saturating_sub(8).min(72);
        let rows = ROWS.min(usize::from(area.height.saturating_sub(9)).max(3));
        let r = centered(area, w, rows as u16 + 6);
        f.render_widget(Clear, r);
        let inner = usize::from(w.saturating_sub(2));
        let mut q = esc(&self.input.text());
        while !q.is_empty() && text::width(&q) + 3 > inner {
            q.remove(0);
        }
        let mut lines = vec![Line::from(vec![
            Span::styled("> ", ui.theme.key()),
            Span::raw(q),
            Span::styled("_", ui.theme.key()),
        ])];
        let start = self.sel.saturating_sub(rows - 1);
        for (pos, &i) in self.shown.iter().enumerate().skip(start).take(rows) {
            let it = &self.items[i];
            let name = esc(&it.name);
            let pad = 20usize.saturating_sub(text::width(&name));
            let mark = if pos == self.sel { ">" } else { " " };
            let row = format!("{mark} {name}{}  {}", " ".repeat(pad), esc(&it.label));
            let style = if pos == self.sel {
                ui.theme.selected()
            } else {
                Style::new()
            };
            lines.push(Line::from(Span::styled(cut(&row, inner), style)));
        }
        while lines.len() < rows + 1 {
            lines.push(Line::from(""));
        }
        let count = format!("{}/{}", self.shown.len(), self.items.len());
        lines.push(match &self.error {
            Some(e) => Line::from(Span::styled(cut(e, inner), ui.theme.error())),
            None => Line::from(Span::styled(count, ui.theme.dim())),
        });
        let ok = format!("{} · {}", ui.t(Msg::DlgOk), ui.t(Msg::EmptyClears));
        lines.push(footer(
            ui,
            &[
                (
                    &[Action::PrevCandidate, Action::NextCandidate],
                    ui.t(Msg::DlgChoose),
                ),
                (&[Action::Submit], &ok),
                (&[Action::PromptCancel], ui.t(Msg::DlgCancel)),
            ],
        ));
        f.render_widget(
            Paragraph::new(lines).block(block(ui.theme, &cut(&self.title, inner), true)),
            r,
        );
    }

    fn tag(&self) -> &dyn Any {
        self.tag.as_ref()
    }

    fn invalid(&mut self, why: Invalid) {
        self.error = Some(why.message);
    }

    fn typing(&self) -> bool {
        true
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
