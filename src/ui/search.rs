//! `/`: incremental search. The list filters as each character is typed (the screen gets a
//! [`Typed`] message with the text so far); `submit` keeps the filter, `cancel` puts back the
//! text there was before `/`. On the list, Back clears a search before it leaves the screen.

use super::dialog::{Dialog, DialogKind, Prompt, Step, Value};
use super::keymap::{Action, Context};
use super::screen::{Cx, Ui};
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;
use std::any::Any;

/// The search text so far (None: empty), for the screen that opened the search.
#[derive(Debug, Clone, PartialEq)]
pub struct Typed(pub Option<String>);

pub struct Search {
    pub input: Prompt,
    /// The text before `/`, put back by cancel.
    before: Option<String>,
}

impl Search {
    pub fn new(title: String, before: Option<String>) -> Search {
        let mut input = Prompt::new(title, before.clone(), ());
        input.empty_clears = true;
        Search { input, before }
    }
}

fn typed(text: &str) -> Typed {
    let t = text.trim();
    Typed((!t.is_empty()).then(|| t.to_string()))
}

impl Dialog for Search {
    fn kind(&self) -> DialogKind {
        DialogKind::Prompt
    }

    fn on_key(&mut self, k: KeyEvent, cx: &mut Cx) -> Step {
        match super::dialog::action(cx.keymap, Context::Prompt, &k) {
            Some(Action::Submit) => Step::Close,
            Some(Action::PromptCancel) => {
                cx.send(cx.me, Typed(self.before.clone()));
                Step::Close
            }
            _ => {
                let before = self.input.text();
                if let Step::Reply(Value::Text(_)) = self.input.on_key(k, cx) {
                    return Step::Close;
                }
                let now = self.input.text();
                if now != before && typed(&now) != typed(&before) {
                    cx.send(cx.me, typed(&now));
                }
                Step::Stay
            }
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        self.input.draw(f, area, ui);
    }

    fn tag(&self) -> &dyn Any {
        &()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
