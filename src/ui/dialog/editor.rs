//! Multi-line text (a note, a reason) on tui-textarea. [editor] `save` answers the trimmed
//! text (refused when empty and required); `cancel` closes when there is no text, else asks,
//! and only a [discard] key then throws the text away: any other key (Esc too) goes back to
//! it. The text wraps by display width (a CJK character takes two columns and is never split)
//! and the view follows the cursor; with a length limit a counter shows how much is left and
//! saving beyond it is refused, the text kept.

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
    /// The most characters the text may have (a note: `actions::NOTE_MAX_CHARS`); none: no
    /// limit of its own.
    pub max_chars: Option<usize>,
    /// The first visual row shown, moved by drawing to keep the cursor in view.
    top: std::cell::Cell<usize>,
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
            max_chars: None,
            top: std::cell::Cell::new(0),
        }
    }

    /// An editor for a note: limited to `actions::NOTE_MAX_CHARS` characters.
    pub fn note(title: String, tag: impl Any) -> Editor {
        let mut e = Editor::new(title, tag);
        e.max_chars = Some(crate::actions::NOTE_MAX_CHARS);
        e
    }

    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    /// The text's length in characters, as the limit counts it (trimmed, as it is saved).
    pub fn chars(&self) -> usize {
        self.text().trim().chars().count()
    }
}

/// One row of the wrapped text: which line, and the character range of it on this row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub start: usize,
    pub end: usize,
}

/// The lines wrapped at `width` display columns, a wide character never split: each row with
/// its line and character range. An empty line is one empty row.
pub fn wrap_rows(lines: &[String], width: usize) -> Vec<Row> {
    use unicode_width::UnicodeWidthChar;
    let width = width.max(2);
    let mut rows = Vec::new();
    for (li, l) in lines.iter().enumerate() {
        let (mut start, mut used) = (0, 0);
        let mut n = 0;
        for (i, c) in l.chars().enumerate() {
            let w = c.width().unwrap_or(0);
            if used + w > width {
                rows.push(Row {
                    line: li,
                    start,
                    end: i,
                });
                start = i;
                used = 0;
            }
            used += w;
            n = i + 1;
        }
        rows.push(Row {
            line: li,
            start,
            end: n,
        });
    }
    rows
}

/// The row and display column of the cursor (`line`, `col` in characters) among `rows`. At
/// the end of a full row the cursor goes to the start of the next one when the line goes on.
pub fn cursor_at(lines: &[String], rows: &[Row], (line, col): (usize, usize)) -> (usize, usize) {
    use unicode_width::UnicodeWidthStr;
    let mut found = (0, 0);
    for (ri, r) in rows.iter().enumerate() {
        if r.line != line || col < r.start {
            continue;
        }
        let last_of_line = rows.get(ri + 1).is_none_or(|n| n.line != line);
        if col < r.end || (col == r.end && last_of_line) {
            let before: String = lines[line]
                .chars()
                .skip(r.start)
                .take(col - r.start)
                .collect();
            return (ri, before.width());
        }
        found = (ri, 0);
    }
    found
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
                if let Some(max) = self.max_chars {
                    let len = text.chars().count();
                    if len > max {
                        let why = crate::i18n::refusals::FindingWrong::NoteTooLong { len, max };
                        self.error = Some(why.text(cx.lang()));
                        return Step::Stay;
                    }
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
        self.draw_text(f, text_area);
        if self.ask_discard {
            let ask = discard_question(ui);
            f.render_widget(Paragraph::new(Span::styled(ask, ui.theme.error())), msg);
        } else if let Some(err) = &self.error {
            f.render_widget(
                Paragraph::new(Span::styled(err.clone(), ui.theme.error())),
                msg,
            );
        }
        let mut line = footer(
            ui,
            &[
                (&[Action::Save], ui.t(Msg::EditorSave)),
                (&[Action::Cancel], ui.t(Msg::EditorCancel)),
            ],
        );
        if let Some(max) = self.max_chars {
            // The counter, right-aligned: how much of the limit the text uses.
            let n = self.chars();
            let counter = format!("{n}/{max}");
            let used = super::footer_width(&line) + counter.len();
            let pad = usize::from(keys.width).saturating_sub(used).max(2);
            let style = if n > max {
                ui.theme.error()
            } else {
                ui.theme.dim()
            };
            line.spans.push(Span::raw(" ".repeat(pad)));
            line.spans.push(Span::styled(counter, style));
        }
        f.render_widget(Paragraph::new(line), keys);
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

impl Editor {
    /// The text wrapped to the area, scrolled so that the cursor's row is in view, the cursor
    /// drawn reversed (no colour needed).
    fn draw_text(&self, f: &mut Frame, area: Rect) {
        use ratatui::style::{Modifier, Style};
        use ratatui::text::Line;
        let lines: Vec<String> = self.area.lines().to_vec();
        let width = usize::from(area.width).saturating_sub(1).max(2);
        let rows = wrap_rows(&lines, width);
        let (crow, ccol) = cursor_at(&lines, &rows, self.area.cursor());
        let h = usize::from(area.height).max(1);
        let mut top = self.top.get().min(rows.len().saturating_sub(1));
        if crow < top {
            top = crow;
        } else if crow >= top + h {
            top = crow + 1 - h;
        }
        self.top.set(top);
        let shown: Vec<Line> = rows
            .iter()
            .skip(top)
            .take(h)
            .map(|r| {
                let t: String = lines[r.line]
                    .chars()
                    .skip(r.start)
                    .take(r.end - r.start)
                    .collect();
                Line::from(crate::text::escape(&t).into_owned())
            })
            .collect();
        f.render_widget(Paragraph::new(shown), area);
        let (x, y) = (area.x + ccol as u16, area.y + (crow - top) as u16);
        if x < area.right() && y < area.bottom() {
            let cell = &mut f.buffer_mut()[(x, y)];
            cell.set_style(Style::new().add_modifier(Modifier::REVERSED));
            if cell.symbol().is_empty() {
                cell.set_symbol(" ");
            }
        }
    }
}

/// "Discard this text?  y = discard · any other key = keep editing", with the keymap's keys.
pub fn discard_question(ui: &Ui) -> String {
    crate::ui::i18n::discard_ask(ui.lang(), &ui.keymap.all_keys(Action::Discard))
}
