//! A page of text to read (a 稽查工作督办单 as it prints): [list] `up`/`down`/`page_up`/
//! `page_down` scroll, any other key closes, as the help overlay does. The opener gives the
//! text already made terminal-safe.

use super::{Dialog, DialogKind, Step};
use crate::text;
use crate::ui::i18n::Msg;
use crate::ui::keymap::{Action, Context};
use crate::ui::render::{block, centered, cut};
use crate::ui::screen::{Cx, Ui};
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;
use std::any::Any;

pub struct Page {
    /// Our own text.
    pub title: String,
    /// The page, line by line, escaped by the opener.
    pub lines: Vec<String>,
    pub scroll: u16,
}

impl Page {
    pub fn new(title: String, body: &str) -> Page {
        Page {
            title,
            lines: body.lines().map(str::to_string).collect(),
            scroll: 0,
        }
    }

    fn max_scroll(&self) -> u16 {
        u16::try_from(self.lines.len().saturating_sub(1)).unwrap_or(u16::MAX)
    }
}

impl Dialog for Page {
    fn kind(&self) -> DialogKind {
        DialogKind::Page
    }

    fn on_key(&mut self, k: KeyEvent, cx: &mut Cx) -> Step {
        self.scroll = match super::action(cx.keymap, Context::List, &k) {
            Some(Action::Down) => self.scroll.saturating_add(1),
            Some(Action::Up) => self.scroll.saturating_sub(1),
            Some(Action::PageDown) => self.scroll.saturating_add(10),
            Some(Action::PageUp) => self.scroll.saturating_sub(10),
            _ => return Step::Close,
        }
        .min(self.max_scroll());
        Step::Stay
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let widest = self.lines.iter().map(|l| text::width(l)).max().unwrap_or(0);
        let w = u16::try_from(widest + 4)
            .unwrap_or(u16::MAX)
            .clamp(40, area.width.saturating_sub(2).max(1));
        let h = u16::try_from(self.lines.len() + 2)
            .unwrap_or(u16::MAX)
            .min(area.height.saturating_sub(2).max(3));
        let r = centered(area, w, h);
        f.render_widget(Clear, r);
        let title = format!(
            "{} · {}/{} · {}",
            self.title,
            ui.keymap.hint(Action::Up),
            ui.keymap.hint(Action::Down),
            ui.t(Msg::HelpClose)
        );
        let inner_w = usize::from(w.saturating_sub(4));
        // Long lines wrap (never inside a wide character) rather than lose their end.
        let lines: Vec<Line> = self.lines.iter().map(|l| Line::from(l.clone())).collect();
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((self.scroll, 0))
                .block(block(ui.theme, &cut(&title, inner_w), true)),
            r,
        );
    }

    fn tag(&self) -> &dyn Any {
        &()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
