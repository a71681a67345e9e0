//! Drawing the inspections list and one inspection's page.

use super::{title, Inspections, Page};
use crate::i18n::inspections::InspWord as W;
use crate::output::inspection::{cells, columns, page_lines};
use crate::text;
use crate::ui::render::{block, cut, esc};
use crate::ui::screen::Ui;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

pub(super) fn list(s: &Inspections, f: &mut Frame, area: Rect, ui: &Ui) {
    let lang = ui.lang();
    let t = format!(
        "{}{}",
        title(ui, s.view_name()),
        crate::ui::find::title(&s.find)
    );
    let b = block(ui.theme, &t, true);
    let inner = b.inner(area);
    f.render_widget(b, area);
    if let Some(e) = &s.error {
        f.render_widget(
            Paragraph::new(Span::styled(e.clone(), ui.theme.error())).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let w = usize::from(inner.width);
    let cols = columns();
    let row = |cells: &[String]| {
        cells
            .iter()
            .zip(cols.iter())
            .map(|(c, (_, cw))| text::fit(c, *cw))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let head: Vec<String> = cols.iter().map(|(c, _)| c.text(lang).to_string()).collect();
    let mut lines = vec![Line::from(Span::styled(
        cut(&row(&head), w),
        ui.theme.title(),
    ))];
    match &s.rows {
        None => lines.push(Line::from(crate::ui::i18n::Msg::Loading.text(lang))),
        Some(rows) if rows.is_empty() => lines.push(Line::from(W::NoInspections.text(lang))),
        Some(rows) => {
            let page = usize::from(inner.height.saturating_sub(1));
            let start = if page == 0 {
                0
            } else {
                s.cursor.saturating_sub(page - 1)
            };
            for (i, insp) in rows.iter().enumerate().skip(start).take(page) {
                let base = if i == s.cursor {
                    ui.theme.selected()
                } else {
                    Style::new()
                };
                // Dataset text escaped once; the overdue word in the error style.
                let c: Vec<String> = cells(lang, insp).iter().map(|c| esc(c)).collect();
                let mut spans = Vec::new();
                let mut used = 0;
                for (k, (cell, (col, cw))) in c.iter().zip(cols.iter()).enumerate() {
                    let part = format!("{}{}", if k == 0 { "" } else { " " }, text::fit(cell, *cw));
                    let pw = text::width(&part);
                    if used + pw > w {
                        spans.push(Span::styled(cut(&part, w - used), base));
                        break;
                    }
                    used += pw;
                    let style = if *col == W::Overdue && insp.overdue {
                        ui.theme.error().patch(base)
                    } else {
                        base
                    };
                    spans.push(Span::styled(part, style));
                }
                lines.push(Line::from(spans));
            }
        }
    }
    f.render_widget(Paragraph::new(lines), inner);
}

pub(super) fn page(p: &Page, f: &mut Frame, area: Rect, ui: &Ui) {
    let lang = ui.lang();
    let b = block(ui.theme, &esc(&p.inspection.number), true);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let lines: Vec<Line> = page_lines(lang, &p.inspection, &p.checked, &p.files)
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let l = esc(&l);
            if i == 0 && p.inspection.overdue {
                Line::from(Span::styled(l, ui.theme.error()))
            } else if i == 0 {
                Line::from(Span::styled(l, ui.theme.title()))
            } else {
                Line::from(l)
            }
        })
        .collect();
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
