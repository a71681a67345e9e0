//! The deductions screen's drawing: the indicators with their sources on top, then two rows per
//! deduction (ticket, kind, points; then reason, who and when), wrapped rather than cut.

use super::deductions::{points, DdMsg, Deductions, Line as DLine};
use super::Ui;
use crate::context::Lang;
use crate::ui::render::{block, cut, draw_pending, esc};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

pub(super) fn draw(f: &mut Frame, st: &Deductions, ui: &Ui, area: Rect) {
    let lang = ui.lang();
    let Some((unit, period)) = &st.unit else {
        let b = block(ui.theme, DdMsg::Title.text(lang), true);
        let inner = b.inner(area);
        f.render_widget(b, area);
        f.render_widget(
            Paragraph::new(DdMsg::NoUnit.text(lang)).wrap(Wrap { trim: false }),
            inner,
        );
        return;
    };
    let n_ind = st.data.as_ref().map_or(1, |d| d.indicators.len().max(1)) as u16;
    let ind_h = (n_ind + 2).min(area.height / 3).max(3);
    let [top, bottom] =
        Layout::vertical([Constraint::Length(ind_h), Constraint::Min(4)]).areas(area);
    let b = block(ui.theme, DdMsg::Indicators.text(lang), false);
    let inner = b.inner(top);
    f.render_widget(b, top);
    let Some(data) = &st.data else {
        draw_pending(f, ui.theme, st.error.as_ref(), inner);
        return;
    };
    let ind: Vec<Line> = data
        .indicators
        .iter()
        .map(|i| {
            let on = if i.enabled {
                DdMsg::Enabled
            } else {
                DdMsg::Disabled
            };
            let level = crate::ui::i18n::unit_level_name(lang, i.level.unit_level());
            Line::from(vec![
                Span::styled(esc(&i.name), ui.theme.title()),
                Span::raw(format!(
                    " · {level} · {} · {}",
                    i.source.as_str(),
                    on.text(lang)
                )),
            ])
        })
        .collect();
    f.render_widget(Paragraph::new(ind), inner);

    let title = format!(
        "{} · {} · {} · {}",
        DdMsg::Lines.text(lang),
        esc(unit),
        esc(&period.label()),
        data.lines.len()
    );
    let w = usize::from(bottom.width.saturating_sub(2));
    let b = block(ui.theme, &cut(&title, w.saturating_sub(2)), true);
    let inner = b.inner(bottom);
    f.render_widget(b, bottom);
    if data.lines.is_empty() {
        f.render_widget(Paragraph::new(DdMsg::Empty.text(lang)), inner);
        return;
    }
    let per_page = usize::from(inner.height / 2).max(1);
    let start = st.cursor.saturating_sub(per_page - 1);
    let mut lines = Vec::new();
    for (i, l) in data.lines.iter().enumerate().skip(start).take(per_page) {
        let style = if i == st.cursor {
            ui.theme.selected()
        } else {
            Style::new()
        };
        let [a, b] = rows(lang, l, i == st.cursor);
        lines.push(Line::from(Span::styled(a, style)));
        lines.push(Line::from(b));
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// A deduction's two rows: what it is and costs; why, who, when.
fn rows(lang: Lang, l: &DLine, selected: bool) -> [String; 2] {
    let d = &l.d;
    let mark = if selected { ">" } else { " " };
    let what = if d.kind == "business" {
        let adjusted = d
            .adjusted_by
            .as_ref()
            .map(|_| format!(" → {} {}", DdMsg::Adjusted.text(lang), points(d.points)))
            .unwrap_or_default();
        format!(
            "{} {} {}{adjusted}",
            DdMsg::Business.text(lang),
            DdMsg::Proposed.text(lang),
            points(d.proposed)
        )
    } else {
        format!(
            "{} {} {}",
            DdMsg::Direct.text(lang),
            esc(d.level.as_deref().unwrap_or("")),
            points(d.points)
        )
    };
    let first = format!("{mark} {} · {what} · {}", esc(&l.number), esc(&d.unit));
    let (who, on) = match (&d.adjusted_by, &d.adjusted_on) {
        (Some(b), Some(o)) => (b.as_str(), o.as_str()),
        _ => (d.created_by.as_str(), d.created_on.as_str()),
    };
    let reason = d
        .adjust_reason
        .as_deref()
        .map(|r| format!("{}: {} · ", DdMsg::Reason.text(lang), esc(r)))
        .unwrap_or_default();
    let second = format!(
        "    {reason}{} {} {}",
        DdMsg::By.text(lang),
        esc(who),
        esc(on)
    );
    [first, second]
}
