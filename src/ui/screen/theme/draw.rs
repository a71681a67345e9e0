//! The theme screen's drawing: counts and amounts by unit along the tree (bar chart), a
//! station's months (line chart), and the findings of one station-month.

use super::{ThemeScreen, TH_CATEGORIES};
use crate::quality::theme::Counts;
use crate::quality::Selector;
use crate::text;
use crate::ui::i18n::{self, Msg};
use crate::ui::keymap::Action as Key;
use crate::ui::render::{block, count, cut, draw_pending, esc, rpad};
use crate::ui::screen::line_chart::{bar_lines, line_chart, HBar};
use crate::ui::screen::Ui;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

fn selector_name(st: &ThemeScreen, ui: &Ui) -> String {
    let zh = ui.lang() == crate::context::Lang::Zh;
    match &st.selector {
        Selector::Rule(_) => esc(&st.selector.label(zh)),
        Selector::Category(c) => c.label(zh).to_string(),
    }
}

pub(super) fn draw(f: &mut Frame, st: &ThemeScreen, ui: &Ui, area: Rect) {
    let [tabs, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(4)]).areas(area);
    draw_tabs(f, st, ui, tabs);
    let Some(t) = &st.data else {
        let b = block(ui.theme, ui.t(Msg::Themes), true);
        let inner = b.inner(body);
        f.render_widget(b, body);
        draw_pending(f, ui.theme, st.error.as_ref(), inner);
        return;
    };
    let [total, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(body);
    let c = &t.total;
    let amount = format!("{:.2}", c.amount_yuan);
    f.render_widget(
        Paragraph::new(Span::styled(
            cut(
                &i18n::theme_total(ui.lang(), c.findings, &amount, c.open, c.rectified),
                usize::from(total.width),
            ),
            ui.theme.title(),
        )),
        total,
    );
    if st.at_findings() {
        draw_findings(f, st, ui, body);
        return;
    }
    let (ta, ca) = if body.width >= 120 {
        let [a, b] = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
            .areas(body);
        (a, b)
    } else {
        let [a, b] = Layout::vertical([Constraint::Min(5), Constraint::Length(9)]).areas(body);
        (a, b)
    };
    let items = st.items();
    draw_table(f, st, ui, &items, ta);
    if st.at_months() {
        let series: Vec<(String, f64)> = items
            .iter()
            .map(|(m, c)| (m.to_string(), c.findings as f64))
            .collect();
        let values: Vec<String> = items
            .iter()
            .map(|(m, c)| format!("{m} {}", count(c.findings)))
            .collect();
        let b = block(ui.theme, ui.t(Msg::ThByMonth), false);
        let inner = b.inner(ca);
        f.render_widget(b, ca);
        // Counts start at 0 and need no fixed top: the highest month fills the chart.
        line_chart(f, ui.theme, inner, &series, &values, 1.0);
    } else {
        draw_bars(f, st, ui, &items, ca);
    }
}

fn draw_tabs(f: &mut Frame, st: &ThemeScreen, ui: &Ui, area: Rect) {
    let cat = match &st.selector {
        Selector::Category(c) => Some(*c),
        Selector::Rule(_) => None,
    };
    let mut spans = vec![Span::styled(
        format!("{} ", ui.keymap.hint(Key::ThCategory)),
        ui.theme.key(),
    )];
    let zh = ui.lang() == crate::context::Lang::Zh;
    // Every category when they fit, else only the current one: the key cycles them anyway.
    let all: usize = TH_CATEGORIES
        .iter()
        .map(|(c, _)| text::width(c.label(zh)) + 2)
        .sum();
    let room = usize::from(area.width).saturating_sub(40);
    for (c, _) in TH_CATEGORIES {
        let cur = cat == Some(c);
        if all > room && !cur {
            continue;
        }
        let name = c.label(zh);
        spans.push(if cur {
            Span::styled(format!("[{name}]"), ui.theme.selected())
        } else {
            Span::raw(format!(" {name} "))
        });
    }
    if cat.is_none() {
        spans.push(Span::styled(
            format!("[{}]", selector_name(st, ui)),
            ui.theme.selected(),
        ));
    }
    let wait = if ui.loading("theme") || ui.loading("findings") {
        " …"
    } else {
        ""
    };
    spans.push(Span::raw(format!("{wait}  ")));
    for k in [Key::ThRule, Key::ThExport] {
        spans.push(Span::styled(ui.keymap.hint(k), ui.theme.key()));
        spans.push(Span::raw(format!(
            " {}  ",
            i18n::action_short(ui.lang(), k)
        )));
    }
    let mut line = Line::from(spans);
    while line.spans.len() > 2
        && line
            .spans
            .iter()
            .map(|s| text::width(&s.content))
            .sum::<usize>()
            > usize::from(area.width)
    {
        line.spans.pop();
    }
    f.render_widget(Paragraph::new(line), area);
}

/// Where the cursor is: the theme, then the units and month drilled into.
fn path_title(st: &ThemeScreen, ui: &Ui) -> String {
    let mut parts = vec![selector_name(st, ui)];
    for p in st.path.iter().chain(&st.month) {
        parts.push(esc(p));
    }
    format!("{} · {}", parts.join(" › "), rows_name(st, ui))
}

/// What the rows are: units of a level (by the first row's), months, or findings.
fn rows_name(st: &ThemeScreen, ui: &Ui) -> String {
    if st.at_findings() {
        return ui.t(Msg::ThFindingsOf).to_string();
    }
    if st.at_months() {
        return ui.t(Msg::ThByMonth).to_string();
    }
    let first = match (&st.data, st.node()) {
        (_, Some(n)) => n.children.first(),
        (Some(t), None) => t.units.first(),
        (None, None) => None,
    };
    match first.and_then(|n| n.level) {
        Some(crate::units::UnitLevel::Station) => ui.t(Msg::ThByStation).to_string(),
        Some(l) => i18n::theme_by_level(ui.lang(), l),
        None => ui.t(Msg::ThByDistrict).to_string(),
    }
}

fn draw_table(f: &mut Frame, st: &ThemeScreen, ui: &Ui, items: &[(&str, Counts)], area: Rect) {
    let b = block(
        ui.theme,
        &cut(
            &path_title(st, ui),
            usize::from(area.width.saturating_sub(4)),
        ),
        true,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let w = usize::from(inner.width);
    let cells = |c: &Counts| {
        [
            count(c.findings),
            format!("{:.2}", c.amount_yuan),
            count(c.open),
            count(c.rectified),
        ]
    };
    // where (flex), then findings, amount, open, rectified: each as wide as its widest value
    // (at least 6, 12, 6, 6), so a figure is never cut; the name gives way.
    let mut cw = [6, 12, 6, 6];
    for (_, c) in items {
        for (w, v) in cw.iter_mut().zip(cells(c)) {
            *w = (*w).max(text::width(&v));
        }
    }
    let fixed = cw.iter().map(|c| c + 1).sum::<usize>();
    let name_w = w.saturating_sub(fixed).max(8);
    let row = |name: &str, c: [String; 4]| {
        let mut line = text::fit(name, name_w);
        for (w, v) in cw.iter().zip(c) {
            line.push(' ');
            line.push_str(&rpad(&v, *w));
        }
        line
    };
    let head = row(
        ui.t(Msg::ThWhere),
        [
            ui.t(Msg::ThFindingsCol).into(),
            ui.t(Msg::ThAmountCol).into(),
            ui.t(Msg::OpenCol).into(),
            ui.t(Msg::ThRectCol).into(),
        ],
    );
    let mut lines = vec![Line::from(Span::styled(cut(&head, w), ui.theme.title()))];
    if items.is_empty() {
        lines.push(Line::from(ui.t(Msg::ThNoFindings)));
    }
    let page = usize::from(inner.height.saturating_sub(1)).max(1);
    let start = st.cursor.saturating_sub(page - 1);
    for (i, (name, c)) in items.iter().enumerate().skip(start).take(page) {
        let style = if i == st.cursor {
            ui.theme.selected()
        } else {
            Style::new()
        };
        let line = row(&esc(name), cells(c));
        lines.push(Line::from(Span::styled(cut(&line, w), style)));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// Horizontal bars of findings per district or station, names beside their bars.
fn draw_bars(f: &mut Frame, st: &ThemeScreen, ui: &Ui, items: &[(&str, Counts)], area: Rect) {
    let title = rows_name(st, ui);
    let b = block(
        ui.theme,
        &cut(&title, usize::from(area.width.saturating_sub(4))),
        false,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    if items.is_empty() {
        f.render_widget(Paragraph::new(ui.t(Msg::ThNoFindings)), inner);
        return;
    }
    let bars: Vec<HBar> = items
        .iter()
        .take(usize::from(inner.height))
        .map(|(name, c)| HBar {
            label: esc(name),
            shown: format!("{} · {:.0} 元", count(c.findings), c.amount_yuan),
            value: c.findings as f64,
        })
        .collect();
    let lines = bar_lines(ui.theme, &bars, None, usize::from(inner.width));
    f.render_widget(Paragraph::new(lines), inner);
}

/// The findings of one station-month; Enter opens a finding's detail.
fn draw_findings(f: &mut Frame, st: &ThemeScreen, ui: &Ui, area: Rect) {
    let b = block(
        ui.theme,
        &cut(
            &path_title(st, ui),
            usize::from(area.width.saturating_sub(4)),
        ),
        true,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let w = usize::from(inner.width);
    let Some(rows) = &st.findings else {
        f.render_widget(Paragraph::new("…"), inner);
        return;
    };
    let mut lines = Vec::new();
    if let Some(e) = &st.findings_error {
        lines.push(Line::from(Span::styled(cut(e, w), ui.theme.error())));
    }
    if rows.is_empty() {
        lines.push(Line::from(ui.t(Msg::ThNoFindings)));
    }
    let page = usize::from(inner.height).max(1);
    let start = st.cursor.saturating_sub(page - 1);
    let lang = ui.lang();
    for (i, r) in rows.iter().enumerate().skip(start).take(page) {
        let style = if i == st.cursor {
            ui.theme.selected()
        } else {
            Style::new()
        };
        let amount = r
            .amount_yuan
            .map(|a| format!(" · {a:.2} 元"))
            .unwrap_or_default();
        let line = format!(
            "#{:<4} {} {} {} {} · {}{amount} · {}",
            r.id,
            esc(&r.first_seen),
            esc(&r.rule),
            i18n::severity(lang, &r.severity),
            esc(&r.cust_no),
            i18n::status(lang, &r.status),
            esc(&r.cust_name),
        );
        lines.push(Line::from(Span::styled(cut(&line, w), style)));
    }
    f.render_widget(Paragraph::new(lines), inner);
}
