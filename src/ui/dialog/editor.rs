//! Multi-line text (a note, a reason) on tui-textarea. [editor] `save` answers the trimmed
//! text (refused when empty and required); `cancel` closes when there is no text, else asks,
//! and only a [discard] key then throws the text away: any other key (Esc too) goes back to
//! it.

use super::{action, footer, Dialog, DialogKind, Step, Value};
use crate::ui::i18n::Msg;
use crate::ui::keymap::{Action, Context};
use crate::ui::render::{block, centered, cut};
use crate::ui::screen::{Cx, Invalid, Ui};
use crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;
use std::any::Any;
use tui_textarea::TextArea;

pub struct Editor {
    /// Our own text (dataset text escaped by the opener).
    pub title: String,
    pub area: TextArea<'static>,
    /// Saving empty text is refused ("the note must not be empty").
    pub required: bool,
    /// Set after a cancel key with text in the editor: the next key decides.
    pub ask_discard: bool,
    pub error: Option<String>,
    pub tag: Box<dyn Any>,
}

impl Editor {
    pub fn new(title: String, tag: impl Any) -> Editor {
        let mut area = TextArea::default();
        area.set_cursor_line_style(ratatui::style::Style::default());
        Editor {
            title,
            area,
            required: true,
            ask_discard: false,
            error: None,
            tag: Box::new(tag),
        }
    }

    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }
}

impl Dialog for Editor {
    fn kind(&self) -> DialogKind {
        DialogKind::Editor
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
        match action(cx.keymap, Context::Editor, &k) {
            Some(Action::Save) => {
                let text = self.text().trim().to_string();
                if self.required && text.is_empty() {
                    self.error = Some(cx.t(Msg::TextRequired).to_string());
                    return Step::Stay;
                }
                Step::Reply(Value::Text(text))
            }
            Some(Action::Cancel) if self.text().trim().is_empty() => Step::Close,
            Some(Action::Cancel) => {
                self.ask_discard = true;
                Step::Stay
            }
            _ => {
                self.area.input(k);
                self.error = None;
                Step::Stay
            }
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let w = area.width.saturating_sub(6).min(100);
        let h = area.height.saturating_sub(6).min(16);
        let r = centered(area, w, h);
        f.render_widget(Clear, r);
        let outer = block(
            ui.theme,
            &cut(&self.title, usize::from(w.saturating_sub(4))),
            true,
        );
        let inner = outer.inner(r);
        f.render_widget(outer, r);
        let [text_area, msg, keys] = Layout::vertical([
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(inner);
        f.render_widget(&self.area, text_area);
        if self.ask_discard {
            let ask = discard_question(ui);
            f.render_widget(Paragraph::new(Span::styled(ask, ui.theme.error())), msg);
        } else if let Some(err) = &self.error {
            f.render_widget(
                Paragraph::new(Span::styled(err.clone(), ui.theme.error())),
                msg,
            );
        }
        f.render_widget(
            Paragraph::new(footer(
                ui,
                &[
                    (&[Action::Save], ui.t(Msg::EditorSave)),
                    (&[Action::Cancel], ui.t(Msg::EditorCancel)),
                ],
            )),
            keys,
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

/// "Discard this text?  y = discard · any other key = keep editing", with the keymap's keys.
pub fn discard_question(ui: &Ui) -> String {
    crate::ui::i18n::discard_ask(ui.lang(), &ui.keymap.all_keys(Action::Discard))
}
