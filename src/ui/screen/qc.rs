//! 稽查质检 (QC of audit work) for a month: each unit's 稽查例日 gaps and QC score, the sampled
//! tickets with their six items, the whitelist audit. Reached with the QC key of the quality
//! screen. ↑↓ pick a sampled ticket, ←→ an item, the pass key scores it passed, the fail key
//! asks for the note and scores it failed; `[`/`]` change the month. The month is read on
//! this thread (a month's QC is a few hundred rows at most).

use super::{Arg, Cx, Invalid, Screen, ScreenId, Ui};
use crate::actions::qc::QcAction;
use crate::i18n::qc::{item_name, QcWord as W};
use crate::output::qc::item_marks;
use crate::output::table::pct;
use crate::qc::{self, Month, MonthReport};
use crate::text::escape;
use crate::ui::dialog::{Prompt, Value};
use crate::ui::keymap::{Action, Context};
use crate::ui::render::{block, cut, esc};
use crate::ui::worker::Change;
use crate::ui::write::Write;
use chrono::{Datelike, NaiveDate};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::any::Any;

#[derive(Default)]
pub struct QcScreen {
    /// The month shown, `YYYY-MM` (empty until entered: the business date's month).
    pub month: String,
    pub report: Option<MonthReport>,
    /// The sampled ticket and the item (0–5) the cursor is on.
    pub cursor: usize,
    pub item: usize,
    pub error: Option<String>,
}

/// The fail key's note prompt: for which ticket and item.
#[derive(Debug, Clone)]
struct FailNote {
    ticket: String,
    item: i64,
}

const HINTS: &[Action] = &[
    Action::QcPass,
    Action::QcFail,
    Action::QcPrevMonth,
    Action::QcNextMonth,
    Action::Back,
];

impl QcScreen {
    /// The sampled tickets in the order drawn: by unit, then by number.
    pub fn tickets(&self) -> Vec<&qc::SampledTicket> {
        self.report
            .iter()
            .flat_map(|r| r.samples.iter().flat_map(|s| s.tickets.iter()))
            .collect()
    }

    fn load(&mut self, cx: &Cx) {
        if self.month.is_empty() {
            self.month = crate::dates::period_of(cx.ctx.today);
        }
        let got =
            Month::parse(&self.month).and_then(|m| qc::month_report(&cx.ds.conn, &m, cx.ctx.today));
        match got {
            Ok(r) => {
                self.report = Some(r);
                self.cursor = self.cursor.min(self.tickets().len().saturating_sub(1));
                self.error = None;
            }
            Err(e) => self.error = Some(escape(&e.text(cx.lang())).into_owned()),
        }
    }

    fn shift_month(&mut self, by: i32, cx: &Cx) {
        let Ok(m) = Month::parse(&self.month) else {
            return;
        };
        let (y, mo) = (m.from.year(), m.from.month() as i32 - 1 + by);
        let (y, mo) = (y + mo.div_euclid(12), mo.rem_euclid(12) as u32 + 1);
        if let Some(d) = NaiveDate::from_ymd_opt(y, mo, 1) {
            self.month = crate::dates::period_of(d);
            self.cursor = 0;
            self.load(cx);
        }
    }

    fn score(&mut self, passed: bool, cx: &mut Cx) {
        let Some(t) = self.tickets().get(self.cursor).map(|t| t.number.clone()) else {
            cx.info(W::NotDrawn.text(cx.lang()));
            return;
        };
        let item = self.item as i64 + 1;
        if passed {
            cx.perform(Write::new(Change::Qc(QcAction::Score {
                ticket: t,
                item,
                passed: true,
                note: String::new(),
            })));
        } else {
            let title = format!(
                "{} {} · {} {item} {}",
                W::Fail.text(cx.lang()),
                escape(&t),
                W::Items.text(cx.lang()),
                item_name(cx.lang(), item as u8)
            );
            cx.dialog(Prompt::new(title, None, FailNote { ticket: t, item }));
        }
    }
}

impl Screen for QcScreen {
    fn context(&self) -> Context {
        Context::Qc
    }

    fn hints(&self) -> &'static [Action] {
        HINTS
    }

    fn tab(&self) -> Option<ScreenId> {
        Some(ScreenId::Quality)
    }

    fn enter(&mut self, _arg: Arg, cx: &mut Cx) {
        self.load(cx);
    }

    fn on_action(&mut self, a: Action, cx: &mut Cx) {
        let n = self.tickets().len();
        match a {
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(n.saturating_sub(1)),
            Action::QcItemLeft => self.item = self.item.saturating_sub(1),
            Action::QcItemRight => self.item = (self.item + 1).min(5),
            Action::QcPass => self.score(true, cx),
            Action::QcFail => self.score(false, cx),
            Action::QcPrevMonth => self.shift_month(-1, cx),
            Action::QcNextMonth => self.shift_month(1, cx),
            Action::Back => cx.back(),
            _ => {}
        }
    }

    fn reply(&mut self, tag: &dyn Any, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
        let (Some(ask), Value::Text(note)) = (tag.downcast_ref::<FailNote>(), value) else {
            return Ok(());
        };
        if note.trim().is_empty() {
            let e = crate::i18n::qc::QcWrong::NeedText { flag: "--note" };
            return Err(Invalid::from(e.text(cx.lang())));
        }
        cx.perform(Write::new(Change::Qc(QcAction::Score {
            ticket: ask.ticket.clone(),
            item: ask.item,
            passed: false,
            note,
        })));
        Ok(())
    }

    fn refresh(&mut self, _shown: bool, cx: &mut Cx) {
        self.load(cx);
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let lang = ui.lang();
        let title = format!("{} {}", W::Title.text(lang), self.month);
        let Some(r) = &self.report else {
            let b = block(ui.theme, &title, true);
            let inner = b.inner(area);
            f.render_widget(b, area);
            let m = self.error.clone().unwrap_or_default();
            f.render_widget(Paragraph::new(Span::styled(m, ui.theme.error())), inner);
            return;
        };
        let n = self.tickets().len() as u16;
        let [units, sample, wl] = Layout::vertical([
            Constraint::Min(5),
            Constraint::Length((n + 3).clamp(4, 9)),
            Constraint::Length((r.whitelist.rows.len() as u16 + 3).clamp(3, 6)),
        ])
        .areas(area);
        self.draw_units(f, units, ui, r, &title);
        self.draw_sample(f, sample, ui);
        draw_whitelist(f, wl, ui, r);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

impl QcScreen {
    fn draw_units(&self, f: &mut Frame, area: Rect, ui: &Ui, r: &MonthReport, title: &str) {
        let lang = ui.lang();
        let b = block(ui.theme, title, false);
        let inner = b.inner(area);
        f.render_widget(b, area);
        let w = usize::from(inner.width);
        let mut lines = vec![Line::from(Span::styled(
            cut(
                &format!(
                    "{} · {} · {}",
                    W::Unit.text(lang),
                    W::Score.text(lang),
                    W::Gaps.text(lang)
                ),
                w,
            ),
            ui.theme.title(),
        ))];
        for (u, g) in r.units.iter().zip(&r.gaps) {
            let days: Vec<String> = g
                .days
                .iter()
                .map(|d| {
                    let m = match (d.no_scan, d.no_triage) {
                        (true, true) => "*",
                        (true, false) => "s",
                        _ => "t",
                    };
                    format!("{}{m}", &d.date[8..])
                })
                .collect();
            let text = format!(
                "{}{}  {} ({}/{})  {}: {}",
                "  ".repeat(u.depth),
                esc(&u.unit),
                pct(u.score),
                u.passed,
                u.scored,
                u.gap_days,
                days.join(" ")
            );
            lines.push(Line::from(cut(&text, w)));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }

    fn draw_sample(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let lang = ui.lang();
        let b = block(ui.theme, W::Sample.text(lang), true);
        let inner = b.inner(area);
        f.render_widget(b, area);
        let w = usize::from(inner.width);
        let tickets = self.tickets();
        let mut lines = vec![Line::from(Span::styled(
            cut(
                &format!(
                    "{} {} {}  ·  {}",
                    W::Items.text(lang),
                    self.item + 1,
                    item_name(lang, self.item as u8 + 1),
                    W::Keys.text(lang)
                ),
                w,
            ),
            ui.theme.title(),
        ))];
        if tickets.is_empty() {
            lines.push(Line::from(cut(W::NotDrawn.text(lang), w)));
        }
        let rows = usize::from(inner.height).saturating_sub(1).max(1);
        let first = self.cursor.saturating_sub(rows - 1);
        for (i, t) in tickets.iter().enumerate().skip(first).take(rows) {
            let text = format!(
                "{} {}  {}  {}/{}",
                esc(&t.number),
                esc(&t.unit),
                item_marks(&t.items),
                t.passed(),
                t.scored()
            );
            let style = if i == self.cursor {
                ui.theme.selected()
            } else {
                Style::new()
            };
            lines.push(Line::from(Span::styled(cut(&text, w), style)));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }
}

fn draw_whitelist(f: &mut Frame, area: Rect, ui: &Ui, r: &MonthReport) {
    let lang = ui.lang();
    let b = block(ui.theme, W::Whitelist.text(lang), false);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let w = usize::from(inner.width);
    let mut lines: Vec<Line> = r
        .whitelist
        .rows
        .iter()
        .map(|x| {
            Line::from(cut(
                &format!(
                    "{} {}  {} {}  {} {:.0}/{}  {} {}  {} {}",
                    esc(&x.unit),
                    esc(&x.rule),
                    W::Entries.text(lang),
                    x.entries,
                    W::MeanDays.text(lang),
                    x.mean_days,
                    x.max_days,
                    W::Renewals.text(lang),
                    x.renewals,
                    W::Long.text(lang),
                    x.long
                ),
                w,
            ))
        })
        .collect();
    if !r.whitelist.worse.is_empty() {
        // The worse entries first (each: entry, customer, why), then the per-rule rows.
        let mut top = vec![Line::from(Span::styled(
            cut(
                &format!("{}: {}", W::Worse.text(lang), r.whitelist.worse.len()),
                w,
            ),
            ui.theme.error(),
        ))];
        for x in &r.whitelist.worse {
            let why = crate::output::qc::why_worse(lang, x);
            top.push(Line::from(cut(
                &format!(
                    "#{} {} {}: {}",
                    x.entry,
                    esc(&x.cust_no),
                    esc(&x.rule),
                    esc(&why)
                ),
                w,
            )));
        }
        top.append(&mut lines);
        lines = top;
    }
    f.render_widget(Paragraph::new(lines), inner);
}
