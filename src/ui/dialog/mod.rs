//! Dialogs: one module each, drawn over the screen that opened them. Their keys come from the
//! keymap's dialog sections ([confirm], [choice], [prompt], [editor], [discard]); every other
//! key is text or ignored. A dialog answers its opener with a `Value` and the tag the opener
//! gave it (`Screen::reply`); a confirm question performs its change itself.
//!
//! A bare Esc or Backspace never discards text or confirms a change: over a slow SSH link a
//! lone Esc may be the first byte of an arrow key (Esc [ A).

pub mod choice;
pub mod confirm;
pub mod editor;
pub mod form;
pub mod help;
pub mod page;
pub mod picker;
pub mod prompt;
pub mod unit_tree;

pub use choice::Choice;
pub use confirm::Confirm;
pub use editor::Editor;
pub use form::{Field, Form};
pub use help::Help;
pub use page::Page;
pub use picker::Picker;
pub use prompt::Prompt;
pub use unit_tree::UnitTree;

use super::keymap::{self, Action, Context, Keymap};
use super::screen::{Cx, Invalid, Ui};
use crate::text;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;
use std::any::Any;

/// What a dialog answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A one-line prompt's text, as typed (untrimmed), or an editor's text, trimmed.
    Text(String),
    /// The index of the item chosen.
    Choice(usize),
    /// A form's fields, each trimmed.
    Fields(Vec<String>),
}

/// After a key.
pub enum Step {
    Stay,
    Close,
    /// Give the opener this answer; it closes the dialog, or keeps it open with `Invalid`.
    Reply(Value),
}

/// For tests and the too-small gate: which dialog is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogKind {
    Help,
    Confirm,
    Choice,
    Prompt,
    Editor,
    Form,
    /// A page of text to read (a printable notice).
    Page,
}

pub trait Dialog {
    fn kind(&self) -> DialogKind;
    fn on_key(&mut self, k: KeyEvent, cx: &mut Cx) -> Step;
    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui);
    /// What the opener asked it for (its own type); `()` for dialogs that answer nobody.
    fn tag(&self) -> &dyn Any;
    /// The opener refused the answer: show why and stay open.
    fn invalid(&mut self, _why: Invalid) {}
    /// Text is being typed: only Ctrl-c quits (a `q` must not throw the text away).
    fn typing(&self) -> bool {
        matches!(
            self.kind(),
            DialogKind::Prompt | DialogKind::Editor | DialogKind::Form
        )
    }
    fn as_any(&self) -> &dyn Any;
}

/// The action `k` does in a dialog's keymap section.
pub fn action(keymap: &Keymap, ctx: Context, k: &KeyEvent) -> Option<Action> {
    keymap::Key::from_event(k).and_then(|key| keymap.lookup(ctx, key))
}

/// A dialog's footer from the keymap: each group of actions' keys and what they do, `·`
/// between.
pub fn footer(ui: &Ui, items: &[(&[Action], &str)]) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, (actions, what)) in items.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" · "));
        }
        let keys: Vec<String> = actions.iter().map(|a| ui.keymap.all_keys(*a)).collect();
        spans.push(Span::styled(keys.join("/"), ui.theme.key()));
        spans.push(Span::raw(format!(" {what}")));
    }
    Line::from(spans)
}

/// The footer's width, for sizing a dialog.
pub fn footer_width(line: &Line) -> usize {
    line.spans.iter().map(|s| text::width(&s.content)).sum()
}
