//! 报表: the report of workflow.md for today, this week or this month — every figure with `—`
//! for an empty denominator, the units ranked, the overdue tickets, and a bar chart by unit.
//! Computed on the worker; the figures on screen are never for a different period than named.

use super::{block, count, cut, esc, rpad};
use crate::reports::{pct, Figures, Report};
use crate::text;
use crate::ui::app::{App, Period};
use crate::ui::i18n::{self, Msg};
use crate::ui::keymap::Action as Key;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph};
use ratatui::Frame;

fn period_name(p: Period) -> Msg {
    match p {
        Period::Today => Msg::PeriodToday,
        Period::Week => Msg::PeriodWeek,
        Period::Month => Msg::PeriodMonth,
    }
}

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let [tabs, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(4)]).areas(area);
    draw_tabs(f, app, tabs);
    let Some(r) = &app.rp.data else {
        let b = block(&app.theme, app.t(Msg::Reports), true);
        let inner = b.inner(body);
        f.render_widget(b, body);
        super::draw_pending(f, &app.theme, app.rp.error.as_ref(), inner);
        return;
    };
    let (figs, overdue, units, chart) = if body.width >= 120 {
        let [top, bottom] =
            Layout::vertical([Constraint::Length(7), Constraint::Min(4)]).areas(body);
        let [fa, oa] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(top);
        let [ua, ca] = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
            .areas(bottom);
        (fa, oa, ua, ca)
    } else {
        // The unit table needs the full width at 80 columns; chart and overdue list share
        // the bottom.
        let [fa, ua, bottom] = Layout::vertical([
            Constraint::Length(7),
            Constraint::Min(4),
            Constraint::Length(6),
        ])
        .areas(body);
        let [ca, oa] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(bottom);
        (fa, oa, ua, ca)
    };
    draw_figures(f, app, r, figs);
    draw_overdue(f, app, r, overdue);
    draw_units(f, app, r, units);
    draw_chart(f, app, r, chart);
}

fn draw_tabs(f: &mut Frame, app: &App, area: Rect) {
    let mut spans = vec![Span::styled(
        format!("{} ", app.keymap.hint(Key::RpPeriod)),
        app.theme.key(),
    )];
    for p in Period::ALL {
        let cur = p == app.rp.period;
        let name = app.t(period_name(p));
        spans.push(Span::styled(
            if cur {
                format!("[{name}]")
            } else {
                format!(" {name} ")
            },
            if cur {
                app.theme.selected()
            } else {
                Style::new()
            },
        ));
    }
    if let Some((from, to)) = app.rp.range {
        let wait = if app.rp.loading() { " …" } else { "" };
        spans.push(Span::styled(
            format!("  {from} – {to}{wait}"),
            app.theme.title(),
        ));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A count, the count taken of it, and the rate of the two.
type FigureRow = (Msg, u64, Msg, u64, Msg, Option<f64>);

/// Five lines, each a rate with the two counts it is made of, so every figure of the table is
/// on screen and named.
fn draw_figures(f: &mut Frame, app: &App, r: &Report, area: Rect) {
    let b = block(&app.theme, app.t(Msg::Figures), false);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let t = &r.total;
    let rows: [FigureRow; 5] = [
        (
            Msg::ThemesWithFindings,
            t.themes_with_findings,
            Msg::ThemesTicketed,
            t.themes_ticketed,
            Msg::InitiationRate,
            t.initiation_rate,
        ),
        (
            Msg::TicketsIssued,
            t.tickets_issued,
            Msg::TicketsCompleted,
            t.tickets_completed,
            Msg::CompletionRate,
            t.completion_rate,
        ),
        (
            Msg::FindingsToRectify,
            t.findings_to_rectify,
            Msg::FindingsRectified,
            t.findings_rectified,
            Msg::RectificationRate,
            t.rectification_rate,
        ),
        (
            Msg::TicketsIssued,
            t.tickets_issued,
            Msg::TicketsOverdue,
            t.tickets_overdue,
            Msg::OverdueRate,
            t.overdue_rate,
        ),
        (
            Msg::OpenBefore,
            t.open_before,
            Msg::OpenAfter,
            t.open_after,
            Msg::CumulativeRate,
            t.cumulative_completion_rate,
        ),
    ];
    let wcol = |pick: fn(&FigureRow) -> Msg| {
        rows.iter()
            .map(|x| text::width(app.t(pick(x))))
            .max()
            .unwrap_or(0)
    };
    let (w1, w2, w3) = (wcol(|x| x.0), wcol(|x| x.2), wcol(|x| x.4));
    let lines: Vec<Line> = rows
        .iter()
        .map(|(a, an, b, bn, c, rate)| {
            Line::from(vec![
                Span::raw(format!(
                    "{} {}  {} {}  {} ",
                    text::fit(app.t(*a), w1),
                    rpad(&count(*an), 6),
                    text::fit(app.t(*b), w2),
                    rpad(&count(*bn), 6),
                    text::fit(app.t(*c), w3),
                )),
                Span::styled(rpad(&pct(*rate), 7), app.theme.title()),
            ])
        })
        .collect();
    let w = usize::from(inner.width);
    let lines: Vec<Line> = lines
        .into_iter()
        .map(|l| {
            let s: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            if text::width(&s) > w {
                Line::from(cut(&s, w))
            } else {
                l
            }
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}

fn unit_name(u: &str) -> String {
    if u.is_empty() {
        "-".into()
    } else {
        esc(u)
    }
}

/// The units in ranking order (best first), then any the ranking leaves out.
fn ranked(r: &Report) -> Vec<(&str, &Figures)> {
    let mut out: Vec<(&str, &Figures)> = r
        .unit_ranking
        .iter()
        .filter_map(|u| r.by_unit.get(u).map(|f| (u.as_str(), f)))
        .collect();
    for (u, f) in &r.by_unit {
        if !r.unit_ranking.contains(u) {
            out.push((u.as_str(), f));
        }
    }
    out
}

fn draw_units(f: &mut Frame, app: &App, r: &Report, area: Rect) {
    let b = block(&app.theme, app.t(Msg::ByUnit), true);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let w = usize::from(inner.width);
    let units = ranked(r);
    // rank 3, unit (flex), issued 5, done 5, completion 7, rectification 7, late 5, open 6.
    let fixed = 3 + 1 + 1 + 5 + 1 + 5 + 1 + 7 + 1 + 7 + 1 + 5 + 1 + 6;
    let unit_w = w.saturating_sub(fixed).max(6);
    let row = |rank: &str, unit: &str, cols: [String; 6]| {
        format!(
            "{} {} {} {} {} {} {} {}",
            rpad(rank, 3),
            text::fit(unit, unit_w),
            rpad(&cols[0], 5),
            rpad(&cols[1], 5),
            rpad(&cols[2], 7),
            rpad(&cols[3], 7),
            rpad(&cols[4], 5),
            rpad(&cols[5], 6),
        )
    };
    let head = row(
        app.t(Msg::RankCol),
        app.t(Msg::Unit),
        [
            app.t(Msg::IssuedCol).into(),
            app.t(Msg::DoneCol).into(),
            app.t(Msg::ComplCol).into(),
            app.t(Msg::RectCol).into(),
            app.t(Msg::LateCol).into(),
            app.t(Msg::OpenNowCol).into(),
        ],
    );
    let mut lines = vec![Line::from(Span::styled(cut(&head, w), app.theme.title()))];
    if units.is_empty() {
        lines.push(Line::from(app.t(Msg::NoUnits)));
    }
    let page = usize::from(inner.height.saturating_sub(1));
    let start = if page == 0 {
        0
    } else {
        app.rp.scroll.saturating_sub(page - 1)
    };
    for (i, (u, fg)) in units.iter().enumerate().skip(start).take(page) {
        let style = if i == app.rp.scroll {
            app.theme.selected()
        } else {
            Style::new()
        };
        let line = row(
            &(i + 1).to_string(),
            &unit_name(u),
            [
                count(fg.tickets_issued),
                count(fg.tickets_completed),
                pct(fg.completion_rate),
                pct(fg.rectification_rate),
                count(fg.tickets_overdue),
                count(fg.open_after),
            ],
        );
        lines.push(Line::from(Span::styled(cut(&line, w), style)));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

fn draw_overdue(f: &mut Frame, app: &App, r: &Report, area: Rect) {
    let title = format!("{} ({})", app.t(Msg::OverdueList), r.overdue.len());
    let b = block(&app.theme, &title, false);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let w = usize::from(inner.width);
    let rows = usize::from(inner.height);
    if r.overdue.is_empty() {
        f.render_widget(Paragraph::new(app.t(Msg::NoOverdue)), inner);
        return;
    }
    let lang = app.lang();
    let mut lines = Vec::new();
    for o in r.overdue.iter().take(rows) {
        // Most telling first, so a narrow box cuts the least useful part.
        let line = format!(
            "{} {} {} · {} · {} · {} {}",
            esc(&o.number),
            app.t(Msg::DaysLate),
            o.days_late,
            unit_name(&o.unit),
            i18n::ticket_state(lang, &o.state),
            app.t(Msg::Due),
            esc(&o.due_on),
        );
        lines.push(Line::from(cut(&line, w)));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// Horizontal bars, one per unit in ranking order: the unit's name reads better beside its
/// bar than under it, and CJK names need the room.
fn draw_chart(f: &mut Frame, app: &App, r: &Report, area: Rect) {
    let title = if app.rp.chart_open {
        app.t(Msg::ChartOpen)
    } else {
        app.t(Msg::ChartCompletion)
    };
    let title = format!("{} · {}", title, app.keymap.hint(Key::RpChart));
    let b = block(
        &app.theme,
        &cut(&title, usize::from(area.width.saturating_sub(4))),
        false,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let units = ranked(r);
    if units.is_empty() {
        f.render_widget(Paragraph::new(app.t(Msg::NoUnits)), inner);
        return;
    }
    let label_w = (usize::from(inner.width) / 3).clamp(4, 16);
    let bars: Vec<Bar> = units
        .iter()
        .take(usize::from(inner.height))
        .map(|(u, fg)| {
            let (v, shown) = if app.rp.chart_open {
                (fg.open_after, count(fg.open_after))
            } else {
                (
                    fg.completion_rate.map_or(0, |c| (c * 100.0).round() as u64),
                    pct(fg.completion_rate),
                )
            };
            Bar::default()
                .value(v)
                .text_value(shown)
                .label(Line::from(text::fit(&unit_name(u), label_w)))
                .style(app.theme.chart())
        })
        .collect();
    let mut chart = BarChart::default()
        .direction(Direction::Horizontal)
        .bar_width(1)
        .bar_gap(0)
        .bar_set(app.theme.bars())
        .value_style(app.theme.title())
        .data(BarGroup::default().bars(&bars));
    if !app.rp.chart_open {
        chart = chart.max(100);
    }
    f.render_widget(chart, inner);
}
