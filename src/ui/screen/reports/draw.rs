//! Drawing the reports screen. The five headline rates come first on their lines, label and
//! value in fixed columns, so a narrow window cuts the counts after them, never a rate.

use super::{period_name, Period, Reports};
use crate::i18n::report::level;
use crate::reports::{pct, Figures, Report};
use crate::text;
use crate::ui::i18n::{self, Msg, RpMsg};
use crate::ui::keymap::Action as Key;
use crate::ui::render::{block, count, cut, draw_pending, esc, rpad};
use crate::ui::screen::line_chart::{bar_lines, HBar};
use crate::ui::screen::Ui;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub(super) fn draw(f: &mut Frame, st: &Reports, ui: &Ui, area: Rect) {
    let [tabs, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(4)]).areas(area);
    draw_tabs(f, st, ui, tabs);
    let Some(r) = &st.data else {
        let b = block(ui.theme, ui.t(Msg::Reports), true);
        let inner = b.inner(body);
        f.render_widget(b, body);
        draw_pending(f, ui.theme, st.error.as_ref(), inner);
        return;
    };
    // The figures' box is as tall as its lines at the width it gets (a line that does not fit
    // goes on under its value: figures are never cut).
    let fig_w = if body.width >= 120 {
        body.width * 55 / 100
    } else {
        body.width
    };
    let fig_lines = figure_lines(ui, r, usize::from(fig_w.saturating_sub(2)));
    let fig_h = (fig_lines.len() as u16 + 2).clamp(8, body.height.saturating_sub(10).max(8));
    let (figs, overdue, units, chart) = if body.width >= 120 {
        let [top, bottom] =
            Layout::vertical([Constraint::Length(fig_h), Constraint::Min(4)]).areas(body);
        let [fa, oa] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(top);
        let [ua, ca] = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
            .areas(bottom);
        (fa, oa, ua, ca)
    } else {
        // The unit table needs the full width at 80 columns; chart and overdue list share
        // the bottom.
        let [fa, ua, bottom] = Layout::vertical([
            Constraint::Length(fig_h),
            Constraint::Min(4),
            Constraint::Length(6),
        ])
        .areas(body);
        let [ca, oa] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(bottom);
        (fa, oa, ua, ca)
    };
    draw_figures(f, ui, fig_lines, figs);
    draw_overdue(f, ui, r, overdue);
    draw_units(f, st, ui, r, units);
    draw_chart(f, st, ui, r, chart);
}

fn draw_tabs(f: &mut Frame, st: &Reports, ui: &Ui, area: Rect) {
    let mut spans = vec![Span::styled(
        format!("{} ", ui.keymap.hint(Key::RpPeriod)),
        ui.theme.key(),
    )];
    for p in Period::ALL {
        let cur = p == st.period;
        let name = ui.t(period_name(p));
        spans.push(Span::styled(
            if cur {
                format!("[{name}]")
            } else {
                format!(" {name} ")
            },
            if cur {
                ui.theme.selected()
            } else {
                Style::new()
            },
        ));
    }
    let mut used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
    if let Some((from, to)) = st.range {
        let wait = if ui.loading("report") { " …" } else { "" };
        let s = format!("  {from} – {to}{wait}");
        used += text::width(&s);
        spans.push(Span::styled(s, ui.theme.title()));
    }
    let lang = ui.lang();
    let unit = st
        .unit
        .as_deref()
        .map(esc)
        .unwrap_or_else(|| RpMsg::AllUnits.text(lang).to_string());
    let key = format!("  {} ", ui.keymap.hint(Key::RpUnit));
    let rest = usize::from(area.width).saturating_sub(used + text::width(&key));
    spans.push(Span::styled(key, ui.theme.key()));
    spans.push(Span::raw(cut(
        &format!("{}: {unit}", RpMsg::UnitFilter.text(lang)),
        rest,
    )));
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A rate's lines: its name and value in fixed columns, then the counts it is made of, as
/// many groups as fit on the line; the rest go on under the counts (never cut).
fn rate_lines_of(
    ui: &Ui,
    (w, vw): (usize, usize),
    name: RpMsg,
    rate: Option<f64>,
    detail: &[String],
    width: usize,
) -> Vec<Line<'static>> {
    let lead = w + 1 + vw + 2;
    let first = vec![
        Span::raw(format!("{} ", text::fit(name.text(ui.lang()), w))),
        Span::styled(rpad(&pct(rate), vw), ui.theme.title()),
        Span::raw("  "),
    ];
    wrap_groups(first, detail, lead, width)
}

/// `first` then the groups joined by ` · `, wrapping onto lines indented by `indent` columns
/// where the next group would not fit. A group wider than a whole line is kept whole (the
/// terminal cuts it, never this code).
fn wrap_groups(
    first: Vec<Span<'static>>,
    groups: &[String],
    indent: usize,
    width: usize,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut cur = first;
    let mut used: usize = cur.iter().map(|s| text::width(&s.content)).sum();
    let mut fresh = true;
    for g in groups {
        let gw = text::width(g);
        if !fresh && used + 3 + gw > width {
            lines.push(Line::from(std::mem::take(&mut cur)));
            cur.push(Span::raw(" ".repeat(indent.min(width.saturating_sub(gw)))));
            used = text::width(&cur[0].content);
            fresh = true;
        }
        if !fresh {
            cur.push(Span::raw(" · "));
            used += 3;
        }
        cur.push(Span::raw(g.clone()));
        used += gw;
        fresh = false;
    }
    lines.push(Line::from(cur));
    lines
}

/// A signed change rate, `—` when there is none.
fn change(c: Option<f64>) -> String {
    match c {
        Some(v) if v > 0.0 => format!("+{}", pct(Some(v))),
        other => pct(other),
    }
}

/// The five headline rates (稽查异常问题发起率, 稽查问题完成率, 异常问题整改完成率, 稽查超期率,
/// 累计完成率) with their counts, and the business indicators' change, as lines of `width`
/// columns.
fn figure_lines(ui: &Ui, r: &Report, width: usize) -> Vec<Line<'static>> {
    let mut lines = rate_lines(ui, &r.total, width);
    if let Some(k) = &r.total.kpis {
        lines.extend(kpi_lines(ui, k, width));
    }
    lines
}

fn draw_figures(f: &mut Frame, ui: &Ui, lines: Vec<Line<'static>>, area: Rect) {
    let b = block(ui.theme, RpMsg::Headline.text(ui.lang()), false);
    let inner = b.inner(area);
    f.render_widget(b, area);
    f.render_widget(Paragraph::new(lines), inner);
}

fn rate_lines(ui: &Ui, t: &Figures, width: usize) -> Vec<Line<'static>> {
    let lang = ui.lang();
    let m = |x: RpMsg| x.text(lang);
    let names = [
        RpMsg::InitiationRate,
        RpMsg::CompletionRate,
        RpMsg::RectificationRate,
        RpMsg::OverdueRate,
        RpMsg::CumulativeRate,
    ];
    let w = names
        .iter()
        .map(|n| text::width(n.text(lang)))
        .max()
        .unwrap_or(0);
    let details: [Vec<String>; 5] = [
        vec![format!(
            "{}/{} {}",
            count(t.themes_ticketed),
            count(t.themes_monitored),
            m(RpMsg::ThemesOf)
        )],
        vec![
            format!(
                "{}/{} {}",
                count(t.problems_completed),
                count(t.problems_dispatched),
                m(RpMsg::ProblemsDone)
            ),
            format!(
                "{} {}/{}",
                m(RpMsg::Tickets),
                count(t.tickets_completed),
                count(t.tickets_issued)
            ),
        ],
        vec![format!(
            "{}/{} {}",
            count(t.findings_rectified),
            count(t.findings_to_rectify),
            m(RpMsg::Rectified)
        )],
        vec![
            format!(
                "{}/{} {}",
                count(t.problems_overdue),
                count(t.problems_dispatched),
                m(RpMsg::ProblemsLate)
            ),
            format!("{} {}", m(RpMsg::Tickets), count(t.tickets_overdue)),
        ],
        vec![
            format!(
                "{} {} → {}",
                m(RpMsg::OpenWord),
                count(t.open_before),
                count(t.open_after)
            ),
            format!(
                "{} {} → {}",
                m(RpMsg::Whitelisted),
                count(t.suppressed_before),
                count(t.suppressed_after)
            ),
        ],
    ];
    let rates = [
        t.initiation_rate,
        t.completion_rate,
        t.rectification_rate,
        t.overdue_rate,
        t.cumulative_completion_rate,
    ];
    // The value column is as wide as the widest value: 累计完成率 can be far below zero
    // (−1,185.7 % when the open findings grew twelvefold) and is never cut.
    let vw = rates
        .iter()
        .map(|r| text::width(&pct(*r)))
        .max()
        .unwrap_or(0)
        .max(7);
    names
        .into_iter()
        .zip(rates)
        .zip(details)
        .flat_map(|((n, rate), d)| rate_lines_of(ui, (w, vw), n, rate, &d, width))
        .collect()
}

/// 指标改变率: this range's collection rate, average price and kWh, each with its change
/// (wrapped under each other when the line is too narrow).
fn kpi_lines(ui: &Ui, k: &crate::reports::Kpis, width: usize) -> Vec<Line<'static>> {
    let m = |x: RpMsg| x.text(ui.lang());
    let kwh = k
        .kwh
        .after
        .map_or("—".into(), |v| count(v.max(0.0).round() as u64));
    let price = k
        .average_price
        .after
        .map_or("—".into(), |v| format!("{v:.4}"));
    let head = format!("{}  ", m(RpMsg::Change));
    let indent = text::width(&head);
    let groups = [
        format!(
            "{} {} ({})",
            m(RpMsg::Collection),
            pct(k.collection_rate.after),
            change(k.collection_rate.change_rate)
        ),
        format!(
            "{} {price} ({})",
            m(RpMsg::Price),
            change(k.average_price.change_rate)
        ),
        format!("{} {kwh} ({})", m(RpMsg::Kwh), change(k.kwh.change_rate)),
    ];
    wrap_groups(vec![Span::raw(head)], &groups, indent, width)
}

fn unit_name(lang: crate::context::Lang, u: &str) -> String {
    if u.is_empty() {
        crate::i18n::report::ReportWord::NoUnit.text(lang).into()
    } else {
        esc(u)
    }
}

fn draw_units(f: &mut Frame, st: &Reports, ui: &Ui, r: &Report, area: Rect) {
    let lang = ui.lang();
    let title = format!(
        "{} · {} {}",
        RpMsg::ByUnitTree.text(lang),
        ui.keymap.hint(Key::Open),
        RpMsg::Drill.text(lang)
    );
    let b = block(
        ui.theme,
        &cut(&title, usize::from(area.width.saturating_sub(4))),
        true,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let w = usize::from(inner.width);
    let m = |x: RpMsg| x.text(lang).to_string();
    let heads = [
        m(RpMsg::ProblemsCol),
        m(RpMsg::ComplCol),
        m(RpMsg::RectCol),
        m(RpMsg::LateCol),
        m(RpMsg::OpenCol),
    ];
    let cells = |fg: &Figures| {
        [
            count(fg.problems_dispatched),
            pct(fg.completion_rate),
            pct(fg.rectification_rate),
            pct(fg.overdue_rate),
            count(fg.open_after),
        ]
    };
    // Each figure column as wide as its widest value (at least its usual width), so a figure
    // is never cut: the unit's name gives way instead.
    let mut cw = [6, 7, 7, 7, 6];
    for u in &r.unit_tree {
        if let Some(fg) = r.by_unit.get(&u.name) {
            for (c, v) in cw.iter_mut().zip(cells(fg)) {
                *c = (*c).max(text::width(&v));
            }
        }
    }
    let rank_w = r.unit_ranking.len().to_string().len().max(3);
    let fixed = rank_w + 1 + cw.iter().map(|c| c + 1).sum::<usize>();
    let unit_w = w.saturating_sub(fixed).max(6);
    let row = |rank: &str, unit: &str, cols: [String; 5]| {
        let mut line = format!("{} {}", rpad(rank, rank_w), text::fit(unit, unit_w));
        for (c, v) in cw.iter().zip(cols) {
            line.push(' ');
            line.push_str(&rpad(&v, *c));
        }
        line
    };
    let head = row(
        &m(RpMsg::RankCol),
        crate::i18n::report::ReportWord::Unit.text(lang),
        heads,
    );
    let mut lines = vec![Line::from(Span::styled(cut(&head, w), ui.theme.title()))];
    if r.unit_tree.is_empty() {
        lines.push(Line::from(RpMsg::NoUnits.text(lang)));
    }
    let page = usize::from(inner.height.saturating_sub(1));
    let start = if page == 0 {
        0
    } else {
        st.scroll.saturating_sub(page - 1)
    };
    let top = r.unit_tree.iter().map(|u| u.depth).min().unwrap_or(0);
    for (i, u) in r.unit_tree.iter().enumerate().skip(start).take(page) {
        let Some(fg) = r.by_unit.get(&u.name) else {
            continue;
        };
        let style = if i == st.scroll {
            ui.theme.selected()
        } else {
            Style::new()
        };
        let rank = r
            .unit_ranking
            .iter()
            .position(|x| *x == u.name)
            .map(|p| (p + 1).to_string())
            .unwrap_or_default();
        let name = format!(
            "{}{}",
            "  ".repeat(u.depth.saturating_sub(top)),
            unit_name(lang, &u.name)
        );
        let line = row(&rank, &name, cells(fg));
        lines.push(Line::from(Span::styled(cut(&line, w), style)));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

fn draw_overdue(f: &mut Frame, ui: &Ui, r: &Report, area: Rect) {
    let title = format!("{} ({})", ui.t(Msg::OverdueList), r.overdue.len());
    let b = block(ui.theme, &title, false);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let w = usize::from(inner.width);
    let rows = usize::from(inner.height);
    if r.overdue.is_empty() {
        f.render_widget(Paragraph::new(ui.t(Msg::NoOverdue)), inner);
        return;
    }
    let lang = ui.lang();
    let mut lines = Vec::new();
    for o in r.overdue.iter().take(rows) {
        // Most telling first, so a narrow box cuts the least useful part.
        let line = format!(
            "{} {} {} · {} · {} · {} {}",
            esc(&o.number),
            ui.t(Msg::DaysLate),
            o.days_late,
            unit_name(lang, &o.unit),
            i18n::ticket_state(lang, &o.state),
            ui.t(Msg::Due),
            esc(&o.due_on),
        );
        lines.push(Line::from(cut(&line, w)));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// The units one level below the report's unit (the roots, or the single root's units, for
/// every unit; the unit itself when it has none below it), as the chart compares them.
fn chart_units<'a>(st: &Reports, r: &'a Report) -> Vec<(&'a str, &'a Figures)> {
    let pick = |parent: Option<&str>| -> Vec<&'a str> {
        r.unit_tree
            .iter()
            .filter(|u| u.parent.as_deref() == parent)
            .map(|u| u.name.as_str())
            .collect()
    };
    let mut names = match &st.unit {
        Some(u) => pick(Some(u)),
        None => {
            let roots = pick(None);
            match roots.as_slice() {
                [only] => pick(Some(only)),
                _ => roots,
            }
        }
    };
    if names.is_empty() {
        names = r
            .unit_tree
            .iter()
            .take(1)
            .map(|u| u.name.as_str())
            .collect();
    }
    names
        .into_iter()
        .filter_map(|n| r.by_unit.get(n).map(|f| (n, f)))
        .collect()
}

/// Horizontal bars, one per unit of the level below the report's unit: the unit's name reads
/// better beside its bar than under it, and CJK names need the room.
fn draw_chart(f: &mut Frame, st: &Reports, ui: &Ui, r: &Report, area: Rect) {
    let lang = ui.lang();
    let what = if st.chart_open {
        RpMsg::ChartOpen.text(lang)
    } else {
        RpMsg::ChartCompletion.text(lang)
    };
    let title = format!("{what} · {}", ui.keymap.hint(Key::RpChart));
    let b = block(
        ui.theme,
        &cut(&title, usize::from(area.width.saturating_sub(4))),
        false,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let units = chart_units(st, r);
    if units.is_empty() {
        f.render_widget(Paragraph::new(RpMsg::NoUnits.text(lang)), inner);
        return;
    }
    let bars: Vec<HBar> = units
        .iter()
        .take(usize::from(inner.height))
        .map(|(u, fg)| {
            let (value, shown) = if st.chart_open {
                (fg.open_after as f64, count(fg.open_after))
            } else {
                (
                    fg.completion_rate.map_or(0.0, |c| c * 100.0),
                    pct(fg.completion_rate),
                )
            };
            let label = match r.hierarchy.get(u) {
                Some(x) if x.level == crate::units::UnitLevel::Department => {
                    format!("{}·{}", unit_name(lang, u), level(lang, x.level))
                }
                _ => unit_name(lang, u),
            };
            HBar {
                label,
                shown,
                value,
            }
        })
        .collect();
    // Completion rates on a scale of 100 %, open findings on the largest count.
    let top = (!st.chart_open).then_some(100.0);
    let lines = bar_lines(ui.theme, &bars, top, usize::from(inner.width));
    f.render_widget(Paragraph::new(lines), inner);
}
