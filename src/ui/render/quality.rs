//! 质量评价: one period's units ranked by composite with each part of the formula, the trend of
//! the unit under the cursor over the last 6 periods, and a unit's drill-down (the entries,
//! tickets and findings behind its score). Everything is computed on the worker.

use super::{block, cut, esc, rpad};
use crate::quality::{Level, UnitScore};
use crate::text;
use crate::ui::app::{drill_items, App, DrillItem};
use crate::ui::i18n::{self, Msg};
use crate::ui::keymap::Action as Key;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph, Wrap};
use ratatui::Frame;

/// A score with one decimal; `-0.0` would read as a deduction.
pub(super) fn score(v: f64) -> String {
    let s = format!("{v:.1}");
    if s == "-0.0" {
        "0.0".into()
    } else {
        s
    }
}

/// A deduction as the negative number it adds to the composite.
fn minus(v: f64) -> String {
    if v.abs() < 0.05 {
        "0.0".into()
    } else {
        format!("-{v:.1}")
    }
}

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let [tabs, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(4)]).areas(area);
    draw_tabs(f, app, tabs);
    let (table, chart) = if body.width >= 120 {
        let [t, c] = Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
            .areas(body);
        (t, c)
    } else {
        let [t, c] = Layout::vertical([Constraint::Min(5), Constraint::Length(10)]).areas(body);
        (t, c)
    };
    draw_ranking(f, app, table);
    draw_trend(f, app, chart);
}

fn draw_tabs(f: &mut Frame, app: &App, area: Rect) {
    use crate::quality::Period as P;
    let p = app.q.period;
    let mut spans = vec![Span::styled(
        format!("{} ", app.keymap.hint(Key::QPeriodKind)),
        app.theme.key(),
    )];
    for (m, cur) in [
        (Msg::QMonth, matches!(p, P::Month(..))),
        (Msg::QHalf, matches!(p, P::Half(..))),
        (Msg::QYear, matches!(p, P::Year(..))),
    ] {
        let name = app.t(m);
        spans.push(if cur {
            Span::styled(format!("[{name}]"), app.theme.selected())
        } else {
            Span::raw(format!(" {name} "))
        });
    }
    let wait = if app.q.loading() { " …" } else { "" };
    spans.push(Span::styled(
        format!(
            "  {} {} {}{wait}",
            app.keymap.hint(Key::QPrevPeriod),
            i18n::period_label(app.lang(), &p),
            app.keymap.hint(Key::QNextPeriod),
        ),
        app.theme.title(),
    ));
    let (from, to) = p.range();
    spans.push(Span::styled(format!("  {from} – {to}"), app.theme.dim()));
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

fn draw_ranking(f: &mut Frame, app: &App, area: Rect) {
    let level = match (&app.q.parent, app.q.districts) {
        (Some(d), _) => i18n::stations_of(app.lang(), &esc(d)),
        (None, true) => app.t(Msg::QDistricts).to_string(),
        (None, false) => app.t(Msg::QStations).to_string(),
    };
    let title = format!(
        "{} · {} ({})",
        level,
        app.t(Msg::QRanking),
        app.keymap.hint(Key::QLevel)
    );
    let b = block(
        &app.theme,
        &cut(&title, usize::from(area.width.saturating_sub(4))),
        true,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let w = usize::from(inner.width);
    let Some(_) = &app.q.data else {
        super::draw_pending(f, &app.theme, app.q.error.as_ref(), inner);
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
        app.t(Msg::RankCol),
        app.t(Msg::Unit),
        [
            Msg::QMainCol,
            Msg::QProcessCol,
            Msg::QBusinessCol,
            Msg::QDirectCol,
            Msg::QBonusCol,
            Msg::QCompositeCol,
        ]
        .map(|m| app.t(m).to_string()),
    );
    let mut lines = vec![Line::from(Span::styled(cut(&head, w), app.theme.title()))];
    let rows = app.q.rows();
    if rows.is_empty() {
        lines.push(Line::from(app.t(Msg::QNoUnits)));
    }
    // The formula under the table when there is room: the weights are the managers' question.
    let formula = usize::from(inner.height) > rows.len() + 2;
    let page = usize::from(inner.height.saturating_sub(1 + u16::from(formula))).max(1);
    let start = app.q.cursor.saturating_sub(page - 1);
    for (i, u) in rows.iter().enumerate().skip(start).take(page) {
        let style = if i == app.q.cursor {
            app.theme.selected()
        } else {
            Style::new()
        };
        let line = row(&u.rank.to_string(), &unit_label(u), parts(u));
        lines.push(Line::from(Span::styled(cut(&line, w), style)));
    }
    if formula {
        while lines.len() < usize::from(inner.height) - 1 {
            lines.push(Line::from(""));
        }
        lines.push(Line::from(Span::styled(
            cut(app.t(Msg::QFormula), w),
            app.theme.dim(),
        )));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// A district is marked `+` (ASCII, no colour needed): Enter opens its stations.
fn unit_label(u: &UnitScore) -> String {
    match u.level {
        Level::District => format!("{} +", esc(&u.unit)),
        Level::Station => esc(&u.unit),
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

fn draw_trend(f: &mut Frame, app: &App, area: Rect) {
    let unit = app.q.current().map(|u| esc(&u.unit)).unwrap_or_default();
    let title = format!("{} · {}", app.t(Msg::QTrend), unit);
    let b = block(
        &app.theme,
        &cut(&title, usize::from(area.width.saturating_sub(4))),
        false,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let points = match &app.q.trend {
        Some((u, p, pts))
            if Some(u.as_str()) == app.q.current().map(|c| c.unit.as_str())
                && *p == app.q.period =>
        {
            pts
        }
        _ => {
            let (m, st) = match (&app.q.trend_error, app.q.current()) {
                (Some(e), _) => (e.clone(), app.theme.error()),
                (None, None) => (app.t(Msg::QNoUnits).to_string(), Style::new()),
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
    line_chart(f, app, inner, &series, &values, 100.0);
}

/// A line chart of `series` over `area` with its exact values written under it (a chart's
/// shape alone does not say 36 or 40). Braille dots normally; with `--ascii`, `*` points joined
/// by `.` on an ASCII grid, since braille and the axes' box lines are not ASCII. `floor_max` is
/// the least top of the y-axis (100 for scores, so that 40 looks like 40 of 100).
pub(super) fn line_chart(
    f: &mut Frame,
    app: &App,
    area: Rect,
    series: &[(String, f64)],
    values: &[String],
    floor_max: f64,
) {
    let w = usize::from(area.width);
    let value_lines = wrap_tokens(values, w);
    let keep = value_lines
        .len()
        .min(usize::from(area.height.saturating_sub(3)));
    let [plot, under] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(keep as u16)]).areas(area);
    f.render_widget(
        Paragraph::new(
            value_lines
                .into_iter()
                .take(keep)
                .map(|l| Line::from(Span::styled(l, app.theme.dim())))
                .collect::<Vec<_>>(),
        ),
        under,
    );
    if series.is_empty() {
        return;
    }
    let lo = series.iter().map(|s| s.1).fold(0.0f64, f64::min).floor();
    let hi = series
        .iter()
        .map(|s| s.1)
        .fold(floor_max, f64::max)
        .ceil()
        .max(lo + 1.0);
    if app.theme.ascii {
        let lines = ascii_plot(series, lo, hi, plot.width, plot.height);
        f.render_widget(Paragraph::new(lines.join("\n")), plot);
        return;
    }
    let data: Vec<(f64, f64)> = series
        .iter()
        .enumerate()
        .map(|(i, s)| (i as f64, s.1))
        .collect();
    let n = series.len();
    let x_labels: Vec<Span> = if n == 1 {
        vec![Span::raw(series[0].0.clone())]
    } else {
        vec![
            Span::raw(series[0].0.clone()),
            Span::raw(series[n - 1].0.clone()),
        ]
    };
    let ds = Dataset::default()
        .marker(Marker::Braille)
        .graph_type(GraphType::Line)
        .style(app.theme.chart())
        .data(&data);
    let chart = Chart::new(vec![ds])
        .x_axis(
            Axis::default()
                .bounds([0.0, (n.max(2) - 1) as f64])
                .labels(x_labels),
        )
        .y_axis(
            Axis::default()
                .bounds([lo, hi])
                .labels(vec![Span::raw(num(lo)), Span::raw(num(hi))]),
        );
    f.render_widget(chart, plot);
}

fn num(v: f64) -> String {
    format!("{v:.0}")
}

/// Tokens joined by two spaces, a new line when the next would not fit.
fn wrap_tokens(tokens: &[String], w: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for t in tokens {
        let t = cut(t, w);
        if !cur.is_empty() && text::width(&cur) + 2 + text::width(&t) > w {
            out.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push_str("  ");
        }
        cur.push_str(&t);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The chart in ASCII: y labels, `|` axis, `*` at each point and `.` along the segments.
fn ascii_plot(series: &[(String, f64)], lo: f64, hi: f64, w: u16, h: u16) -> Vec<String> {
    let label_w = num(hi).len().max(num(lo).len());
    let rows = usize::from(h.saturating_sub(1)).max(1);
    let cols = usize::from(w).saturating_sub(label_w + 1).max(2);
    let mut grid = vec![vec![' '; cols]; rows];
    let row_of = |v: f64| {
        let r = ((hi - v) / (hi - lo) * (rows - 1) as f64).round();
        (r.max(0.0) as usize).min(rows - 1)
    };
    let n = series.len();
    let col_of = |i: usize| {
        if n == 1 {
            0
        } else {
            i * (cols - 1) / (n - 1)
        }
    };
    for i in 1..n {
        let (c0, c1) = (col_of(i - 1), col_of(i));
        for c in c0..=c1 {
            let t = if c1 == c0 {
                0.0
            } else {
                (c - c0) as f64 / (c1 - c0) as f64
            };
            let v = series[i - 1].1 + (series[i].1 - series[i - 1].1) * t;
            let r = row_of(v);
            if let Some(cell) = grid[r].get_mut(c) {
                *cell = '.';
            }
        }
    }
    for (i, s) in series.iter().enumerate() {
        grid[row_of(s.1)][col_of(i)] = '*';
    }
    let mut out: Vec<String> = grid
        .into_iter()
        .enumerate()
        .map(|(r, cells)| {
            let label = if r == 0 {
                num(hi)
            } else if r == rows - 1 {
                num(lo)
            } else {
                String::new()
            };
            format!(
                "{label:>label_w$}|{}",
                cells.into_iter().collect::<String>()
            )
        })
        .collect();
    if h > 1 {
        let first = series.first().map(|s| s.0.as_str()).unwrap_or("");
        let last = series.last().map(|s| s.0.as_str()).unwrap_or("");
        let gap = cols.saturating_sub(first.len() + last.len()).max(1);
        let axis = if n > 1 {
            format!(
                "{}{first}{}{last}",
                " ".repeat(label_w + 1),
                " ".repeat(gap)
            )
        } else {
            format!("{}{first}", " ".repeat(label_w + 1))
        };
        out.push(cut(&axis, usize::from(w)));
    }
    out
}

/// A unit's drill-down: its parts and indicators on top, then the entries, tickets and findings
/// behind them; Enter opens a ticket (an entry's or a ticket line) or a finding.
pub fn draw_drill(f: &mut Frame, app: &App, area: Rect) {
    let Some(st) = &app.qd else { return };
    let lang = app.lang();
    let title = format!(
        "{} · {} · {}",
        app.t(Msg::Quality),
        esc(&st.unit),
        i18n::period_label(lang, &st.period)
    );
    let Some(d) = &st.data else {
        let b = block(
            &app.theme,
            &cut(&title, usize::from(area.width.saturating_sub(4))),
            true,
        );
        let inner = b.inner(area);
        f.render_widget(b, area);
        super::draw_pending(f, &app.theme, st.error.as_ref(), inner);
        return;
    };
    let u = &d.score;
    let w = usize::from(area.width.saturating_sub(2));
    // The parts as "name value" pairs: wrapped, so zh and 80 columns both keep every number.
    let pairs: Vec<String> = [
        (Msg::QMainCol, score(u.main)),
        (Msg::QProcessCol, score(u.process)),
        (Msg::QBusinessCol, score(u.business)),
        (Msg::QDirectCol, minus(u.direct)),
        (Msg::QBonusCol, score(u.bonus)),
        (Msg::QCompositeCol, score(u.composite)),
    ]
    .iter()
    .map(|(m, v)| format!("{} {v}", app.t(*m)))
    .chain(std::iter::once(format!("{} {}", app.t(Msg::QRank), u.rank)))
    .collect();
    let mut top: Vec<Line> = wrap_tokens(&pairs, w)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, app.theme.title())))
        .collect();
    for i in &u.indicators {
        let v = match (i.value, i.score) {
            (Some(v), Some(s)) => format!("{} → {}/{}", num2(v), score(s), score(i.full_score)),
            _ => app.t(Msg::QNoValue).to_string(),
        };
        top.push(Line::from(cut(
            &format!("{} · {}: {v}", esc(&i.category), esc(&i.name)),
            w,
        )));
    }
    let top_h = (top.len() as u16 + 2).min(area.height / 2);
    let [ta, la] = Layout::vertical([Constraint::Length(top_h), Constraint::Min(3)]).areas(area);
    let b = block(
        &app.theme,
        &cut(&title, usize::from(area.width.saturating_sub(4))),
        false,
    );
    f.render_widget(Paragraph::new(top).block(b), ta);

    let items = drill_items(d);
    let mut lines: Vec<(Line, Option<usize>)> = Vec::new();
    let head = |m: Msg, n: usize| {
        Line::from(Span::styled(
            format!("— {} ({n}) —", app.t(m)),
            app.theme.title(),
        ))
    };
    let mut section = None;
    for (k, it) in items.iter().enumerate() {
        let (sec, n) = match it {
            DrillItem::Entry(_) => (Msg::QEntries, d.entries.len()),
            DrillItem::Ticket(_) => (Msg::QTickets, d.tickets.len()),
            DrillItem::Finding(_) => (Msg::QFindings, d.findings.len()),
        };
        if section != Some(sec) {
            lines.push((head(sec, n), None));
            section = Some(sec);
        }
        let text = match it {
            DrillItem::Entry(i) => {
                let e = &d.entries[*i];
                let kind = match e.kind.as_str() {
                    "business" => app.t(Msg::QEntryBusiness),
                    "direct" => app.t(Msg::QEntryDirect),
                    _ => app.t(Msg::QEntryBonus),
                };
                let sign = if e.kind == "bonus" { "+" } else { "-" };
                let mut s = format!(
                    "{} {kind} {sign}{} {}",
                    esc(&e.on_date),
                    num2(e.points),
                    esc(&e.unit)
                );
                if let Some(t) = &e.ticket {
                    s.push_str(&format!(" · {}", esc(t)));
                }
                if let Some(l) = &e.level {
                    s.push_str(&format!(" · {}", esc(l)));
                }
                s.push_str(&format!(" · {}", esc(&e.reason)));
                s
            }
            DrillItem::Ticket(i) => {
                let t = &d.tickets[*i];
                let mut flags = Vec::new();
                if t.issued_in_period {
                    flags.push(app.t(Msg::QIssuedIn).to_string());
                }
                if t.approved_in_period {
                    flags.push(app.t(Msg::QApprovedIn).to_string());
                }
                if t.deducted > 0.0 {
                    flags.push(format!("{} {}", app.t(Msg::QDeducted), num2(t.deducted)));
                }
                format!(
                    "{} {} · {} · {} {} · {}",
                    esc(&t.ticket.number),
                    i18n::ticket_state(lang, &t.ticket.state),
                    esc(&t.ticket.unit),
                    app.t(Msg::Due),
                    esc(&t.ticket.due_on),
                    flags.join(", ")
                )
            }
            DrillItem::Finding(i) => {
                let x = &d.findings[*i];
                let mut s = format!(
                    "#{} {} {} {} · {} · {}",
                    x.id,
                    esc(&x.rule),
                    i18n::severity(lang, &x.severity),
                    esc(&x.cust_no),
                    i18n::status(lang, &x.status),
                    esc(&x.station),
                );
                if let Some(a) = x.amount_yuan {
                    s.push_str(&format!(" · {a:.2} 元"));
                }
                if let Some(t) = &x.ticket {
                    s.push_str(&format!(" · {}", esc(t)));
                }
                s
            }
        };
        lines.push((Line::from(cut(&text, w)), Some(k)));
    }
    if items.is_empty() {
        lines.push((Line::from(app.t(Msg::QNone)), None));
    }
    let list_title = format!(
        "{} · {} · {}",
        app.t(Msg::QEntries),
        app.t(Msg::QTickets),
        app.t(Msg::Findings)
    );
    let b = block(&app.theme, &cut(&list_title, w.saturating_sub(2)), true);
    let inner = b.inner(la);
    f.render_widget(b, la);
    let h = usize::from(inner.height).max(1);
    let at = lines
        .iter()
        .position(|(_, k)| *k == Some(st.cursor))
        .unwrap_or(0);
    let start = at.saturating_sub(h - 1);
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(start)
        .take(h)
        .map(|(l, k)| {
            if k == Some(st.cursor) {
                l.style(app.theme.selected())
            } else {
                l
            }
        })
        .collect();
    f.render_widget(Paragraph::new(shown), inner);
}

/// Points and values: two decimals, trailing zeros dropped.
fn num2(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}
