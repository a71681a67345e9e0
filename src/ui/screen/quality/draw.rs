//! The quality screen's drawing: the period tabs, the ranking and the unit's trend.

use super::Quality;
use crate::quality::{Level, UnitScore};
use crate::text;
use crate::ui::i18n::{self, Msg};
use crate::ui::keymap::Action as Key;
use crate::ui::render::{block, cut, draw_pending, esc, rpad};
use crate::ui::screen::line_chart::line_chart;
use crate::ui::screen::Ui;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

/// A score with one decimal; `-0.0` would read as a deduction.
pub(crate) fn score(v: f64) -> String {
    let s = format!("{v:.1}");
    if s == "-0.0" {
        "0.0".into()
    } else {
        s
    }
}

/// A deduction as the negative number it adds to the composite.
pub(crate) fn minus(v: f64) -> String {
    if v.abs() < 0.05 {
        "0.0".into()
    } else {
        format!("-{v:.1}")
    }
}

pub(super) fn draw(f: &mut Frame, st: &Quality, ui: &Ui, area: Rect) {
    let [tabs, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(4)]).areas(area);
    draw_tabs(f, st, ui, tabs);
    let (table, chart) = if body.width >= 120 {
        let [t, c] = Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
            .areas(body);
        (t, c)
    } else {
        let [t, c] = Layout::vertical([Constraint::Min(5), Constraint::Length(10)]).areas(body);
        (t, c)
    };
    draw_ranking(f, st, ui, table);
    draw_trend(f, st, ui, chart);
}

fn draw_tabs(f: &mut Frame, st: &Quality, ui: &Ui, area: Rect) {
    use crate::quality::Period as P;
    let p = st.period;
    let mut spans = vec![Span::styled(
        format!("{} ", ui.keymap.hint(Key::QPeriodKind)),
        ui.theme.key(),
    )];
    for (m, cur) in [
        (Msg::QMonth, matches!(p, P::Month(..))),
        (Msg::QQuarter, matches!(p, P::Quarter(..))),
        (Msg::QHalf, matches!(p, P::Half(..))),
        (Msg::QYear, matches!(p, P::Year(..))),
    ] {
        let name = ui.t(m);
        spans.push(if cur {
            Span::styled(format!("[{name}]"), ui.theme.selected())
        } else {
            Span::raw(format!(" {name} "))
        });
    }
    let wait = if ui.loading("evaluation") { " …" } else { "" };
    spans.push(Span::styled(
        format!(
            "  {} {} {}{wait}",
            ui.keymap.hint(Key::QPrevPeriod),
            i18n::period_label(ui.lang(), &p),
            ui.keymap.hint(Key::QNextPeriod),
        ),
        ui.theme.title(),
    ));
    let (from, to) = p.range();
    spans.push(Span::styled(format!("  {from} – {to}"), ui.theme.dim()));
    let line = Line::from(spans);
    let used: usize = line.spans.iter().map(|s| text::width(&s.content)).sum();
    if used > usize::from(area.width) {
        // The dates are the first thing to go on a narrow screen: the period names them.
        let mut l = line;
        l.spans.pop();
        f.render_widget(Paragraph::new(l), area);
    } else {
        f.render_widget(Paragraph::new(line), area);
    }
}

fn draw_ranking(f: &mut Frame, st: &Quality, ui: &Ui, area: Rect) {
    let level = match (&st.within, st.level) {
        (Some(w), None) => i18n::units_of(ui.lang(), &esc(w)),
        (None, None) => ui.t(Msg::QAllUnits).to_string(),
        (Some(w), Some(l)) => format!(
            "{} · {}",
            esc(w),
            i18n::unit_level_name(ui.lang(), l.unit_level())
        ),
        (None, Some(l)) => i18n::unit_level_name(ui.lang(), l.unit_level()).to_string(),
    };
    let title = format!(
        "{} · {} ({} {})",
        level,
        ui.t(Msg::QRanking),
        ui.keymap.hint(Key::QLevel),
        ui.keymap.hint(Key::QUnit)
    );
    let b = block(
        ui.theme,
        &cut(&title, usize::from(area.width.saturating_sub(4))),
        true,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let w = usize::from(inner.width);
    let Some(_) = &st.data else {
        draw_pending(f, ui.theme, st.error.as_ref(), inner);
        return;
    };
    // rank 3, unit (flex), main 6, process 6, business 6, direct 8, bonus 6, composite 7.
    let fixed = 3 + 1 + 7 + 7 + 7 + 9 + 7 + 8;
    let unit_w = w.saturating_sub(fixed).max(6);
    let row = |rank: &str, unit: &str, c: [String; 6]| {
        format!(
            "{} {} {} {} {} {} {} {}",
            rpad(rank, 3),
            text::fit(unit, unit_w),
            rpad(&c[0], 6),
            rpad(&c[1], 6),
            rpad(&c[2], 6),
            rpad(&c[3], 8),
            rpad(&c[4], 6),
            rpad(&c[5], 7),
        )
    };
    let head = row(
        ui.t(Msg::RankCol),
        ui.t(Msg::QUnitCol),
        [
            Msg::QMainCol,
            Msg::QProcessCol,
            Msg::QBusinessCol,
            Msg::QDirectCol,
            Msg::QBonusCol,
            Msg::QCompositeCol,
        ]
        .map(|m| ui.t(m).to_string()),
    );
    let mut lines = vec![Line::from(Span::styled(cut(&head, w), ui.theme.title()))];
    let rows = st.rows();
    if rows.is_empty() {
        lines.push(Line::from(ui.t(Msg::QNoUnits)));
    }
    // The formula under the table when there is room: the weights are the managers' question.
    let formula = usize::from(inner.height) > rows.len() + 2;
    let page = usize::from(inner.height.saturating_sub(1 + u16::from(formula))).max(1);
    let start = st.cursor.saturating_sub(page - 1);
    let mixed = rows.iter().any(|u| u.level != rows[0].level);
    for (i, u) in rows.iter().enumerate().skip(start).take(page) {
        let style = if i == st.cursor {
            ui.theme.selected()
        } else {
            Style::new()
        };
        // Rank 0: a unit with no name, not ranked.
        let rank = if u.rank == 0 {
            String::new()
        } else {
            u.rank.to_string()
        };
        let line = row(&rank, &unit_label(u, ui, mixed), parts(u));
        lines.push(Line::from(Span::styled(cut(&line, w), style)));
    }
    if formula {
        while lines.len() < usize::from(inner.height) - 1 {
            lines.push(Line::from(""));
        }
        let formula = match &st.data {
            Some(e) => i18n::quality_formula(ui.lang(), &e.weights),
            None => String::new(),
        };
        lines.push(Line::from(Span::styled(cut(&formula, w), ui.theme.dim())));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// A parent is marked `+` (ASCII, no colour needed): Enter opens its units. Beside units of
/// other levels (the tree view), each says its level.
fn unit_label(u: &UnitScore, ui: &Ui, mixed: bool) -> String {
    let plus = if u.children.is_empty() { "" } else { " +" };
    let name = if crate::units::unnamed(&u.unit) {
        crate::i18n::report::ReportWord::NoUnit
            .text(ui.lang())
            .to_string()
    } else {
        esc(&u.unit)
    };
    if mixed {
        format!("{name}{plus} · {}", short_level(ui, u.level))
    } else {
        format!("{name}{plus}")
    }
}

fn short_level(ui: &Ui, l: Level) -> &'static str {
    match ui.lang() {
        crate::context::Lang::Zh => l.unit_level().zh(),
        crate::context::Lang::En => l.as_str(),
    }
}

fn parts(u: &UnitScore) -> [String; 6] {
    [
        score(u.main),
        score(u.process),
        score(u.business),
        minus(u.direct),
        score(u.bonus),
        score(u.composite),
    ]
}

fn draw_trend(f: &mut Frame, st: &Quality, ui: &Ui, area: Rect) {
    let unit = st.current().map(|u| esc(&u.unit)).unwrap_or_default();
    let title = format!("{} · {}", ui.t(Msg::QTrend), unit);
    let b = block(
        ui.theme,
        &cut(&title, usize::from(area.width.saturating_sub(4))),
        false,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let points = match &st.trend {
        Some((u, p, pts))
            if Some(u.as_str()) == st.current().map(|c| c.unit.as_str()) && *p == st.period =>
        {
            pts
        }
        _ => {
            let (m, st) = match (&st.trend_error, st.current()) {
                (Some(e), _) => (e.clone(), ui.theme.error()),
                (None, None) => (ui.t(Msg::QNoUnits).to_string(), Style::new()),
                (None, Some(_)) => ("…".to_string(), Style::new()),
            };
            f.render_widget(
                Paragraph::new(Span::styled(m, st)).wrap(Wrap { trim: true }),
                inner,
            );
            return;
        }
    };
    let series: Vec<(String, f64)> = points
        .iter()
        .map(|p| (p.period.clone(), p.composite))
        .collect();
    let values: Vec<String> = points
        .iter()
        .map(|p| format!("{} {} ({}/{})", p.period, score(p.composite), p.rank, p.of))
        .collect();
    line_chart(f, ui.theme, inner, &series, &values, 100.0);
}
