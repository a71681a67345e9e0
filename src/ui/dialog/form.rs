//! Several fields in one dialog, each a tui-textarea (CJK input like the note editor).
//! [editor] `save` answers every field trimmed, `next_field`/`prev_field` move, [prompt]
//! `submit` (Enter) in a one-line field goes to the next; `cancel` asks before discarding, as
//! in the editor.

use super::editor::discard_question;
use super::{action, footer, Dialog, DialogKind, Step, Value};
use crate::ui::i18n::Msg;
use crate::ui::keymap::{Action, Context};
use crate::ui::render::{block, centered, cut};
use crate::ui::screen::{Cx, Invalid, Ui};
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;
use std::any::Any;
use tui_textarea::TextArea;

pub struct Field {
    /// Display-safe label (our own text).
    pub label: String,
    pub area: TextArea<'static>,
    /// Enter adds a line; in a one-line field Enter goes to the next field.
    pub multiline: bool,
}

impl Field {
    pub fn new(label: String, multiline: bool, initial: &str) -> Field {
        // A text typed earlier (sent back by a confirmation, or a resubmission's last text)
        // keeps its lines.
        let lines: Vec<String> = if initial.is_empty() {
            vec![String::new()]
        } else {
            initial.split('\n').map(str::to_string).collect()
        };
        let mut area = TextArea::new(lines);
        area.set_cursor_line_style(Style::default());
        area.move_cursor(tui_textarea::CursorMove::Bottom);
        area.move_cursor(tui_textarea::CursorMove::End);
        Field {
            label,
            area,
            multiline,
        }
    }

    pub fn text(&self) -> String {
        self.area.lines().join("\n").trim().to_string()
    }
}

pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub ask_discard: bool,
    pub error: Option<String>,
    pub tag: Box<dyn Any>,
}

impl Form {
    pub fn new(title: String, fields: Vec<Field>, tag: impl Any) -> Form {
        let mut f = Form {
            title,
            fields,
            focus: 0,
            ask_discard: false,
            error: None,
            tag: Box::new(tag),
        };
        f.show_focus();
        f
    }

    fn has_text(&self) -> bool {
        self.fields.iter().any(|f| !f.text().is_empty())
    }

    /// Only the focused field shows a cursor.
    fn show_focus(&mut self) {
        for (i, f) in self.fields.iter_mut().enumerate() {
            let style = if i == self.focus {
                Style::default().add_modifier(Modifier::REVERSED)
            } else {
                Style::default()
            };
            f.area.set_cursor_style(style);
        }
    }
}

impl Dialog for Form {
    fn kind(&self) -> DialogKind {
        DialogKind::Form
    }

    fn on_key(&mut self, k: KeyEvent, cx: &mut Cx) -> Step {
        if self.ask_discard {
            self.ask_discard = false;
            if action(cx.keymap, Context::Discard, &k) == Some(Action::Discard) {
                cx.info(cx.t(Msg::Discarded));
                return Step::Close;
            }
            return Step::Stay;
        }
        let n = self.fields.len().max(1);
        match action(cx.keymap, Context::Editor, &k) {
            Some(Action::Save) => {
                return Step::Reply(Value::Fields(self.fields.iter().map(Field::text).collect()))
            }
            Some(Action::Cancel) if self.has_text() => self.ask_discard = true,
            Some(Action::Cancel) => return Step::Close,
            Some(Action::NextField) => self.focus = (self.focus + 1) % n,
            Some(Action::PrevField) => self.focus = (self.focus + n - 1) % n,
            // Enter is text in a multi-line field; a one-line field is like a prompt: its
            // [prompt] submit key moves on.
            _ if !self.fields[self.focus].multiline
                && action(cx.keymap, Context::Prompt, &k) == Some(Action::Submit) =>
            {
                self.focus = (self.focus + 1) % n;
            }
            _ => {
                let focus = self.focus;
                self.fields[focus].area.input(k);
                self.error = None;
            }
        }
        self.show_focus();
        Step::Stay
    }

    /// Each field's label, then its text box; `>` marks the field being edited (not colour
    /// alone). Multi-line fields get three rows, or four where the window allows.
    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let multi = self.fields.iter().filter(|x| x.multiline).count() as u16;
        let single = self.fields.len() as u16 - multi;
        // label + box per field, then a message line and the keys line, then the border.
        let fixed = self.fields.len() as u16 + single + 2 + 2;
        let room = area.height.saturating_sub(2 + fixed);
        let multi_rows = room.checked_div(multi).map_or(0, |r| r.clamp(2, 5));
        let h = fixed + multi * multi_rows;
        let w = area.width.saturating_sub(6).min(100);
        let r = centered(area, w, h);
        f.render_widget(Clear, r);
        let outer = block(
            ui.theme,
            &cut(&self.title, usize::from(w.saturating_sub(4))),
            true,
        );
        let inner = outer.inner(r);
        f.render_widget(outer, r);
        let mut y = inner.y;
        let bottom = inner.y + inner.height;
        for (i, field) in self.fields.iter().enumerate() {
            if y >= bottom {
                break;
            }
            let focused = i == self.focus;
            let mark = if focused { "> " } else { "  " };
            let style = if focused {
                ui.theme.title()
            } else {
                ui.theme.dim()
            };
            f.render_widget(
                Paragraph::new(Span::styled(
                    cut(&format!("{mark}{}", field.label), usize::from(inner.width)),
                    style,
                )),
                Rect::new(inner.x, y, inner.width, 1),
            );
            y += 1;
            let rows = if field.multiline { multi_rows } else { 1 };
            let rows = rows.min(bottom.saturating_sub(y));
            f.render_widget(
                &field.area,
                Rect::new(inner.x + 2, y, inner.width.saturating_sub(2), rows),
            );
            y += rows;
        }
        if bottom >= 2 {
            let msg = Rect::new(inner.x, bottom - 2, inner.width, 1);
            if self.ask_discard {
                let ask = discard_question(ui);
                f.render_widget(Paragraph::new(Span::styled(ask, ui.theme.error())), msg);
            } else if let Some(err) = &self.error {
                f.render_widget(
                    Paragraph::new(Span::styled(
                        cut(err, usize::from(inner.width)),
                        ui.theme.error(),
                    )),
                    msg,
                );
            }
            let keys = footer(
                ui,
                &[
                    (&[Action::Save], ui.t(Msg::EditorSave)),
                    (&[Action::Cancel], ui.t(Msg::EditorCancel)),
                    (&[Action::NextField, Action::PrevField], ui.t(Msg::FormKeys)),
                ],
            );
            f.render_widget(
                Paragraph::new(keys),
                Rect::new(inner.x, bottom - 1, inner.width, 1),
            );
        }
    }

    fn tag(&self) -> &dyn Any {
        self.tag.as_ref()
    }

    fn invalid(&mut self, why: Invalid) {
        self.error = Some(why.message);
        if let Some(i) = why.field {
            self.focus = i.min(self.fields.len().saturating_sub(1));
        }
        self.show_focus();
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
