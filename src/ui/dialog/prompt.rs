//! A one-line input on tui-textarea. Every key is the keymap's [prompt] section (`submit`
//! answers the text as typed, `cancel` closes; by default ←/→, Home/End and Ctrl-a/e move,
//! Backspace/Delete, Ctrl-w (word before) and Ctrl-u (everything before the cursor)
//! delete); any other key with a character types it.

use super::{action, footer, Dialog, DialogKind, Step, Value};
use crate::text;
use crate::ui::i18n::Msg;
use crate::ui::keymap::{Action, Context};
use crate::ui::render::{block, centered, cut, esc};
use crate::ui::screen::{Cx, Invalid, Ui};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;
use std::any::Any;
use tui_textarea::{CursorMove, TextArea};

pub struct Prompt {
    /// Our own text (dataset text escaped by the opener).
    pub title: String,
    /// A dim line above the input (an indicator's scale).
    pub note: Option<String>,
    /// The footer says that an empty answer clears (a filter).
    pub empty_clears: bool,
    pub area: TextArea<'static>,
    pub error: Option<String>,
    pub tag: Box<dyn Any>,
}

impl Prompt {
    pub fn new(title: String, initial: Option<String>, tag: impl Any) -> Prompt {
        let mut area = TextArea::new(vec![initial.unwrap_or_default()]);
        area.move_cursor(CursorMove::End);
        Prompt {
            title,
            note: None,
            empty_clears: true,
            area,
            error: None,
            tag: Box::new(tag),
        }
    }

    /// The text as typed.
    pub fn text(&self) -> String {
        self.area.lines().concat()
    }

    /// Types a character: any key with a character and no Ctrl.
    fn type_char(&mut self, k: &KeyEvent) {
        let plain = !k.modifiers.contains(KeyModifiers::CONTROL);
        if let (KeyCode::Char(c), true) = (k.code, plain) {
            self.area.insert_char(c);
            self.error = None;
        }
    }
}

impl Dialog for Prompt {
    fn kind(&self) -> DialogKind {
        DialogKind::Prompt
    }

    fn on_key(&mut self, k: KeyEvent, cx: &mut Cx) -> Step {
        // Moving and deleting leave an error to be read; typing clears it.
        let a = &mut self.area;
        match action(cx.keymap, Context::Prompt, &k) {
            Some(Action::Submit) => return Step::Reply(Value::Text(self.text())),
            Some(Action::PromptCancel) => return Step::Close,
            Some(Action::CursorLeft) => a.move_cursor(CursorMove::Back),
            Some(Action::CursorRight) => a.move_cursor(CursorMove::Forward),
            Some(Action::LineStart) => a.move_cursor(CursorMove::Head),
            Some(Action::LineEnd) => a.move_cursor(CursorMove::End),
            Some(Action::DeleteBefore) => {
                a.delete_char();
            }
            Some(Action::DeleteAfter) => {
                a.delete_next_char();
            }
            Some(Action::DeleteWord) => {
                a.delete_word();
            }
            Some(Action::DeleteToStart) => {
                a.delete_line_by_head();
            }
            _ => self.type_char(&k),
        }
        Step::Stay
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let w = area.width.saturating_sub(8).min(76);
        let r = centered(area, w, 6);
        f.render_widget(Clear, r);
        let inner = usize::from(w.saturating_sub(4));
        let mut lines = Vec::new();
        if let Some(note) = &self.note {
            lines.push(Line::from(Span::styled(cut(note, inner), ui.theme.dim())));
        }
        lines.push(input_line(self, inner, ui));
        lines.push(match &self.error {
            Some(e) => Line::from(Span::styled(cut(e, inner + 2), ui.theme.error())),
            None => Line::from(""),
        });
        let submit = if self.empty_clears {
            format!("{} · {}", ui.t(Msg::DlgOk), ui.t(Msg::EmptyClears))
        } else {
            ui.t(Msg::DlgOk).to_string()
        };
        lines.push(footer(
            ui,
            &[
                (&[Action::Submit], &submit),
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

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The text with the cursor: `_` after the end, else the character under it reversed. The
/// part before the cursor loses characters at its start until the cursor fits.
fn input_line(p: &Prompt, inner: usize, ui: &Ui) -> Line<'static> {
    let chars: Vec<char> = p.text().chars().collect();
    let col = p.area.cursor().1.min(chars.len());
    let mut before: String = esc(&chars[..col].iter().collect::<String>());
    let under = chars.get(col).map(|c| esc(&c.to_string()));
    let cursor_w = under.as_deref().map_or(1, text::width).max(1);
    // At the end the `_` may take the border's padding column, as it always did.
    let needed = if under.is_some() { cursor_w } else { 0 };
    while !before.is_empty() && text::width(&before) + needed > inner {
        before.remove(0);
    }
    let mut spans = vec![Span::raw(before.clone())];
    match under {
        None => spans.push(Span::styled("_", ui.theme.key())),
        Some(u) => {
            spans.push(Span::styled(
                u,
                ui.theme.key().add_modifier(Modifier::REVERSED),
            ));
            let after: String = esc(&chars[col + 1..].iter().collect::<String>());
            let room = inner.saturating_sub(text::width(&before) + cursor_w);
            spans.push(Span::raw(cut(&after, room)));
        }
    }
    Line::from(spans)
}
