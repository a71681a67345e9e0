//! 规则: per rule its hit counts and the thresholds it reads; Enter opens its findings.

use super::{block, count, esc, rpad};
use crate::rules::catalogue;
use crate::text;
use crate::ui::app::App;
use crate::ui::i18n::{self, Msg};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let [list, info] = Layout::vertical([Constraint::Min(5), Constraint::Length(6)]).areas(area);
    let lang = app.lang();
    let zh = lang == crate::context::Lang::Zh;
    let ids = app.rule_ids();
    let b = block(app, app.t(Msg::Rules), true);
    let inner = b.inner(list);
    f.render_widget(b, list);
    let num = 7;
    let sev_w = 4;
    let name_w = usize::from(inner.width).saturating_sub(8 + sev_w + 1 + 4 * (num + 1));
    let head = format!(
        "{} {} {} {} {} {} {}",
        text::fit(app.t(Msg::Rule), 7),
        text::fit(app.t(Msg::Name), name_w),
        text::fit(app.t(Msg::Severity), sev_w),
        rpad(app.t(Msg::OpenCol), num),
        rpad(app.t(Msg::NewCol), num),
        rpad(app.t(Msg::SuppressedCol), num),
        rpad(app.t(Msg::ClosedCol), num),
    );
    let mut lines = vec![Line::from(Span::styled(head, app.theme.title()))];
    let rows = usize::from(inner.height.saturating_sub(1));
    let start = if rows == 0 {
        0
    } else {
        app.rule_cursor.saturating_sub(rows - 1)
    };
    let counts = app.dash.data.as_ref().map(|d| &d.rules);
    for (i, id) in ids.iter().enumerate().skip(start).take(rows) {
        let def = catalogue::find(id);
        let name = def.map(|r| r.name(zh).to_string()).unwrap_or_default();
        let sev = def.map(|r| r.severity.as_str()).unwrap_or("");
        let c = counts.and_then(|rs| rs.iter().find(|rc| &rc.rule == id));
        let n = |v: Option<u64>| match (v, counts.is_some()) {
            (Some(v), _) => count(v),
            (None, true) => "0".into(),
            (None, false) => "…".into(),
        };
        let style = if i == app.rule_cursor {
            app.theme.selected()
        } else {
            Style::new()
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{} {} ", text::fit(&esc(id), 7), text::fit(&name, name_w)),
                style,
            ),
            Span::styled(
                text::fit(i18n::severity(lang, sev), sev_w),
                app.theme.severity(sev).patch(style),
            ),
            Span::styled(
                format!(
                    " {:>num$} {:>num$} {:>num$} {:>num$}",
                    n(c.map(|c| c.open)),
                    n(c.map(|c| c.new_today)),
                    n(c.map(|c| c.suppressed)),
                    n(c.map(|c| c.closed)),
                ),
                style,
            ),
        ]));
    }
    f.render_widget(Paragraph::new(lines), inner);

    // The selected rule: what it checks and its thresholds with today's values.
    let sel = ids.get(app.rule_cursor);
    let def = sel.and_then(|id| catalogue::find(id));
    let title = sel.map(|s| esc(s)).unwrap_or_default();
    let b = block(app, &title, false);
    let inner = b.inner(info);
    f.render_widget(b, info);
    let mut lines = Vec::new();
    if let Some(d) = def {
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", app.t(Msg::Checks)), app.theme.dim()),
            Span::raw(d.checks),
        ]));
        let th: Vec<String> = d
            .thresholds
            .iter()
            .map(|t| {
                let v = app
                    .thresholds
                    .iter()
                    .find(|(k, _)| k.as_str() == *t)
                    .map(|(_, v)| esc(v))
                    .unwrap_or_default();
                format!("{t} = {v}")
            })
            .collect();
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", app.t(Msg::Thresholds)), app.theme.dim()),
            Span::raw(if th.is_empty() {
                app.t(Msg::NoThresholds).to_string()
            } else {
                th.join(" · ")
            }),
        ]));
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}
