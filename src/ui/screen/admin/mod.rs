//! The admin screens (issue 16 item 4, "what the CLI can do, the UI can do"): thresholds,
//! operators, the unit tree and the rules with their source. Each one lists what the CLI's
//! `show`/`list` prints; an admin's change goes through the same action the CLI performs,
//! with the role checked at the key, before any dialog opens (a viewer never sees an editor).

pub mod operators;
pub mod site_rules;
pub mod thresholds;
pub mod units;
pub mod words;

use super::{Cx, Ui};
use crate::context::Role;
use crate::text;
use crate::ui::render::{block, cut, esc};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// `s` cut to `n - 1` columns and padded to `n` (one column of air between cells).
pub(crate) fn fit(s: &str, n: usize) -> String {
    let t = cut(s, n.saturating_sub(1));
    format!("{t}{}", " ".repeat(n.saturating_sub(text::width(&t))))
}

/// `s` right-aligned in `n - 1` columns, then one column of air (figures are never cut).
pub(crate) fn right(s: &str, n: usize) -> String {
    let w = text::width(s);
    format!("{}{s} ", " ".repeat(n.saturating_sub(1).saturating_sub(w)))
}

/// Whether the operator is an admin, said on the status line (naming the role needed) when
/// not: the check the action makes again when it is performed.
pub(crate) fn admin_may(cx: &mut Cx, action: &str) -> bool {
    match cx.ctx.require(Role::Admin, action) {
        Ok(()) => true,
        Err(e) => {
            cx.error(esc(&e.text(cx.lang())));
            false
        }
    }
}

/// The first row drawn so that row `cursor` is within `room` rows.
pub(crate) fn top_of(cursor: usize, room: usize) -> usize {
    if room == 0 {
        0
    } else {
        cursor.saturating_sub(room - 1)
    }
}

/// A framed list: its heading line, then the rows from the one that keeps the cursor in sight,
/// the cursor's row highlighted; `empty` when there are none. Rows are display-safe already.
pub(crate) struct List<'a> {
    pub title: &'a str,
    pub head: String,
    pub rows: &'a [String],
    pub cursor: usize,
    pub empty: &'a str,
}

impl List<'_> {
    pub(crate) fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let b = block(ui.theme, self.title, true);
        let inner = b.inner(area);
        f.render_widget(b, area);
        let w = usize::from(inner.width);
        let mut out = vec![Line::from(Span::styled(
            cut(&self.head, w),
            ui.theme.title(),
        ))];
        if self.rows.is_empty() {
            out.push(Line::from(self.empty.to_string()));
        }
        let room = usize::from(inner.height).saturating_sub(1);
        let top = top_of(self.cursor, room);
        for (i, r) in self.rows.iter().enumerate().skip(top).take(room) {
            let st = if i == self.cursor {
                ui.theme.selected()
            } else {
                Style::new()
            };
            out.push(Line::from(Span::styled(cut(r, w), st)));
        }
        f.render_widget(Paragraph::new(out), inner);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_keep_their_width_with_wide_characters() {
        assert_eq!(text::width(&fit("米市巷供电所", 8)), 8);
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(right("12", 5), "  12 ");
        assert_eq!(text::width(&right("123456", 3)), 7, "a figure is never cut");
    }

    #[test]
    fn the_cursor_stays_in_sight() {
        assert_eq!(top_of(0, 5), 0);
        assert_eq!(top_of(4, 5), 0);
        assert_eq!(top_of(9, 5), 5);
        assert_eq!(top_of(3, 0), 0);
    }
}
