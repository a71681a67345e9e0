//! 报表: the report of workflow.md for today, this week or this month — every figure with `—`
//! for an empty denominator, the units ranked, the overdue tickets, and a bar chart by unit.
//! Computed on the loader; the figures on screen are never for a different period than named.

use super::export::{self, ExportMsg};
use super::{list_delta, step, Cx, Invalid, Screen, Ui};
use crate::reports::{self, pct, Figures, Report};
use crate::text;
use crate::text::escape;
use crate::ui::dialog::Value;
use crate::ui::i18n::{self, Msg};
use crate::ui::keymap::{Action as Key, Context};
use crate::ui::loader::Loaded;
use crate::ui::render::{block, count, cut, draw_pending, esc, rpad};
use chrono::{Datelike, Days, NaiveDate};
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph};
use ratatui::Frame;
use std::any::Any;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    #[default]
    Today,
    Week,
    Month,
}

impl Period {
    pub const ALL: [Period; 3] = [Period::Today, Period::Week, Period::Month];

    /// Today; Monday to today; the 1st to today.
    pub fn range(self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let from = match self {
            Period::Today => today,
            Period::Week => today - Days::new(u64::from(today.weekday().num_days_from_monday())),
            Period::Month => today.with_day(1).unwrap_or(today),
        };
        (from, today)
    }

    /// The next period (`forward`) or the one before, round the three.
    fn turn(self, forward: bool) -> Period {
        let i = Period::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Period::ALL[(i + if forward { 1 } else { 2 }) % 3]
    }
}

#[derive(Default)]
pub struct Reports {
    pub period: Period,
    /// The report for `range`; an older one stays on screen while a new one is computed.
    pub data: Option<Box<Report>>,
    pub error: Option<String>,
    pub range: Option<(NaiveDate, NaiveDate)>,
    /// The chart shows open findings per unit instead of the completion rate.
    pub chart_open: bool,
    pub scroll: usize,
}

impl Reports {
    fn request(&mut self, cx: &mut Cx) {
        let (from, to) = self.period.range(cx.ctx.today);
        if self.range != Some((from, to)) {
            // Another period: the old figures would be mislabelled.
            self.data = None;
            self.scroll = 0;
        }
        self.range = Some((from, to));
        cx.load("report", move |ds| {
            reports::compute(&ds.conn, from, to).map(Box::new)
        });
    }
}

impl Screen for Reports {
    fn context(&self) -> Context {
        Context::Reports
    }

    fn hints(&self) -> &'static [Key] {
        &[
            Key::RpPeriod,
            Key::RpChart,
            Key::RpExport,
            Key::Refresh,
            Key::Help,
        ]
    }

    fn enter(&mut self, _arg: super::Arg, cx: &mut Cx) {
        self.request(cx);
    }

    fn on_action(&mut self, a: Key, cx: &mut Cx) {
        if let Some(delta) = list_delta(a, cx.page) {
            let n = self.data.as_ref().map_or(0, |r| r.by_unit.len());
            self.scroll = step(self.scroll, delta, n);
            return;
        }
        match a {
            Key::RpPeriod => {
                self.period = self.period.turn(true);
                self.request(cx);
            }
            // Tab walks the periods as it walks the whitelist's views.
            Key::NextPanel | Key::PrevPanel => {
                self.period = self.period.turn(a == Key::NextPanel);
                self.request(cx);
            }
            Key::RpChart => self.chart_open = !self.chart_open,
            Key::RpExport => match (&self.data, self.range) {
                (Some(_), Some((from, to))) => {
                    let name = export::default_name(&format!("report-{from}-{to}"));
                    export::ask_file(cx, ExportMsg::PromptReport, name);
                }
                _ => cx.info(ExportMsg::NothingYet.text(cx.lang())),
            },
            Key::Back => cx.back(),
            _ => {}
        }
    }

    fn loaded(&mut self, slot: &'static str, answer: Loaded, cx: &mut Cx) {
        if slot == export::SLOT {
            return export::done(answer, cx);
        }
        if slot == "report" {
            match answer.take::<Box<Report>>() {
                Ok(r) => {
                    self.data = Some(r);
                    self.error = None;
                }
                Err(e) => self.error = Some(escape(&e).into_owned()),
            }
        }
    }

    /// The report on screen, with a sheet per breakdown, as `jicha report --format xlsx`.
    fn reply(&mut self, tag: &dyn Any, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
        let (Some(ask), Some(r)) = (tag.downcast_ref::<export::Ask>(), &self.data) else {
            return Ok(());
        };
        if let Some(target) = export::reply(ask, value, cx) {
            let (r, lang) = (r.clone(), cx.lang());
            export::write(target, cx, move |_| {
                crate::output::xlsx::report::workbook(lang, &r)
            });
        }
        Ok(())
    }

    /// The report reads whole tables: computed again only while it is on screen.
    fn refresh(&mut self, shown: bool, cx: &mut Cx) {
        if shown {
            self.request(cx);
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        draw(f, self, ui, area);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

fn period_name(p: Period) -> Msg {
    match p {
        Period::Today => Msg::PeriodToday,
        Period::Week => Msg::PeriodWeek,
        Period::Month => Msg::PeriodMonth,
    }
}

fn draw(f: &mut Frame, st: &Reports, ui: &Ui, area: Rect) {
    let [tabs, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(4)]).areas(area);
    draw_tabs(f, st, ui, tabs);
    let Some(r) = &st.data else {
        let b = block(ui.theme, ui.t(Msg::Reports), true);
        let inner = b.inner(body);
        f.render_widget(b, body);
        draw_pending(f, ui.theme, st.error.as_ref(), inner);
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
    draw_figures(f, ui, r, figs);
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
    if let Some((from, to)) = st.range {
        let wait = if ui.loading("report") { " …" } else { "" };
        spans.push(Span::styled(
            format!("  {from} – {to}{wait}"),
            ui.theme.title(),
        ));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A count, the count taken of it, and the rate of the two.
type FigureRow = (Msg, u64, Msg, u64, Msg, Option<f64>);

/// Five lines, each a rate with the two counts it is made of, so every figure of the table is
/// on screen and named.
fn draw_figures(f: &mut Frame, ui: &Ui, r: &Report, area: Rect) {
    let b = block(ui.theme, ui.t(Msg::Figures), false);
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
            .map(|x| text::width(ui.t(pick(x))))
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
                    text::fit(ui.t(*a), w1),
                    rpad(&count(*an), 6),
                    text::fit(ui.t(*b), w2),
                    rpad(&count(*bn), 6),
                    text::fit(ui.t(*c), w3),
                )),
                Span::styled(rpad(&pct(*rate), 7), ui.theme.title()),
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

fn draw_units(f: &mut Frame, st: &Reports, ui: &Ui, r: &Report, area: Rect) {
    let b = block(ui.theme, ui.t(Msg::ByUnit), true);
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
        ui.t(Msg::RankCol),
        ui.t(Msg::Unit),
        [
            ui.t(Msg::IssuedCol).into(),
            ui.t(Msg::DoneCol).into(),
            ui.t(Msg::ComplCol).into(),
            ui.t(Msg::RectCol).into(),
            ui.t(Msg::LateCol).into(),
            ui.t(Msg::OpenNowCol).into(),
        ],
    );
    let mut lines = vec![Line::from(Span::styled(cut(&head, w), ui.theme.title()))];
    if units.is_empty() {
        lines.push(Line::from(ui.t(Msg::NoUnits)));
    }
    let page = usize::from(inner.height.saturating_sub(1));
    let start = if page == 0 {
        0
    } else {
        st.scroll.saturating_sub(page - 1)
    };
    for (i, (u, fg)) in units.iter().enumerate().skip(start).take(page) {
        let style = if i == st.scroll {
            ui.theme.selected()
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
            unit_name(&o.unit),
            i18n::ticket_state(lang, &o.state),
            ui.t(Msg::Due),
            esc(&o.due_on),
        );
        lines.push(Line::from(cut(&line, w)));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// Horizontal bars, one per unit in ranking order: the unit's name reads better beside its
/// bar than under it, and CJK names need the room.
fn draw_chart(f: &mut Frame, st: &Reports, ui: &Ui, r: &Report, area: Rect) {
    let title = if st.chart_open {
        ui.t(Msg::ChartOpen)
    } else {
        ui.t(Msg::ChartCompletion)
    };
    let title = format!("{} · {}", title, ui.keymap.hint(Key::RpChart));
    let b = block(
        ui.theme,
        &cut(&title, usize::from(area.width.saturating_sub(4))),
        false,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let units = ranked(r);
    if units.is_empty() {
        f.render_widget(Paragraph::new(ui.t(Msg::NoUnits)), inner);
        return;
    }
    let label_w = (usize::from(inner.width) / 3).clamp(4, 16);
    let bars: Vec<Bar> = units
        .iter()
        .take(usize::from(inner.height))
        .map(|(u, fg)| {
            let (v, shown) = if st.chart_open {
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
                .style(ui.theme.chart())
        })
        .collect();
    let mut chart = BarChart::default()
        .direction(Direction::Horizontal)
        .bar_width(1)
        .bar_gap(0)
        .bar_set(ui.theme.bars())
        .value_style(ui.theme.title())
        .data(BarGroup::default().bars(&bars));
    if !st.chart_open {
        chart = chart.max(100);
    }
    f.render_widget(chart, inner);
}
