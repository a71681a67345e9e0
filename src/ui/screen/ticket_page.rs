//! One ticket's page: its fields, its transitions and its findings, read on this thread (one
//! ticket, its findings and events are few rows). Enter opens a finding; the transition keys
//! act on the ticket shown (`ticket_actions`); the view key goes to the list's next queue.

use super::tickets::{urgency, TicketsMsg};
use super::{list_delta, step, ticket_actions, Arg, Cx, Invalid, Screen, ScreenId, Ui};
use crate::findings::FindingRow;
use crate::states::FindingStatus;
use crate::text::{self, escape};
use crate::tickets::{self, Event, Ticket};
use crate::ui::dialog::Value;
use crate::ui::i18n::{self, Msg};
use crate::ui::keymap::{Action, Context};
use crate::ui::render::{block, count, cut, esc, esc_cut, rpad, yuan};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use std::any::Any;

/// The page of the ticket last opened; `number` is empty until one is.
#[derive(Default)]
pub struct TicketPage {
    pub number: String,
    pub ticket: Option<Ticket>,
    pub findings: Vec<FindingRow>,
    pub events: Vec<Event>,
    pub cursor: usize,
    pub error: Option<String>,
    /// `review_levels` as last read: which review keys the page offers.
    pub levels: i64,
    /// Its deductions (business at dispatch, direct) and accountability (`deductions`).
    pub deductions: Vec<crate::deductions::TicketDeduction>,
    pub accountability: Option<crate::deductions::Accountability>,
}

impl TicketPage {
    fn load(&mut self, cx: &Cx) {
        if self.number.is_empty() {
            return;
        }
        let conn = &cx.ds.conn;
        let today = cx.ctx.today;
        let loaded = tickets::get(conn, &self.number, today).and_then(|t| {
            let f = tickets::findings_of(conn, t.id, today)?;
            let e = tickets::events(conn, t.id)?;
            let d = crate::deductions::of_ticket(conn, t.id)?;
            let a = crate::deductions::accountability(conn, t.id)?;
            Ok((t, f, e, tickets::review_levels(conn)?, d, a))
        });
        match loaded {
            Ok((t, f, e, levels, d, a)) => {
                self.levels = levels;
                self.deductions = d;
                self.accountability = a;
                self.ticket = Some(t);
                self.cursor = self.cursor.min(f.len().saturating_sub(1));
                self.findings = f;
                self.events = e;
                self.error = None;
            }
            Err(e) => self.error = Some(escape(&e.to_string()).into_owned()),
        }
    }
}

impl Screen for TicketPage {
    fn context(&self) -> Context {
        Context::Tickets
    }

    fn hints(&self) -> &'static [Action] {
        let state = self.ticket.as_ref().map(|t| t.state);
        ticket_actions::keys(state, self.levels, ticket_actions::Then::Page)
    }

    fn tab(&self) -> Option<ScreenId> {
        Some(ScreenId::Tickets)
    }

    fn enter(&mut self, arg: Arg, cx: &mut Cx) {
        if let Arg::Ticket(number) = arg {
            *self = TicketPage {
                number,
                ..TicketPage::default()
            };
            self.load(cx);
        }
    }

    fn on_action(&mut self, a: Action, cx: &mut Cx) {
        if let Some(delta) = list_delta(a, cx.page) {
            self.cursor = step(self.cursor, delta, self.findings.len());
            return;
        }
        if a == Action::Copy {
            let number = self.ticket.as_ref().map(|t| t.number.clone());
            return crate::ui::cmdline::copy_ticket(number, cx);
        }
        match a {
            Action::Open => {
                if let Some(r) = self.findings.get(self.cursor) {
                    cx.go(ScreenId::Detail, Arg::Finding(r.id));
                }
            }
            Action::TkView => {
                cx.send(ScreenId::Tickets, TicketsMsg::NextView);
                cx.go(ScreenId::Tickets, Arg::None);
            }
            Action::Back => cx.back(),
            _ => {
                if let Some(t) = &self.ticket {
                    ticket_actions::start(a, t, cx);
                }
            }
        }
    }

    fn reply(&mut self, tag: &dyn Any, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
        ticket_actions::reply(tag, value, cx)
    }

    fn refresh(&mut self, _shown: bool, cx: &mut Cx) {
        self.load(cx);
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let title = format!("{} {}", ui.t(Msg::Ticket), esc(&self.number));
        let Some(t) = &self.ticket else {
            let b = block(ui.theme, &title, true);
            let inner = b.inner(area);
            f.render_widget(b, area);
            let (m, st) = match &self.error {
                Some(e) => (e.clone(), ui.theme.error()),
                None => (ui.t(Msg::Loading).to_string(), Style::new()),
            };
            f.render_widget(
                Paragraph::new(Span::styled(m, st)).wrap(Wrap { trim: true }),
                inner,
            );
            return;
        };
        // The fields' width, as the layout below gives it (the left 55 % when wide).
        let fields_w = if area.width >= 120 {
            usize::from(area.width) * 55 / 100
        } else {
            usize::from(area.width)
        }
        .saturating_sub(3);
        let mut fields = field_lines(ui, t, fields_w);
        // The deductions come last: a small window cuts them before the cause and measures.
        fields.extend(self.deduction_lines(ui, fields_w));
        let (fields_area, events_area, findings_area) = if area.width >= 120 {
            let top_h = (fields.len().max(self.events.len()) as u16 + 2).clamp(8, area.height / 2);
            let [top, bottom] =
                Layout::vertical([Constraint::Length(top_h), Constraint::Min(4)]).areas(area);
            let [l, r] =
                Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                    .areas(top);
            (l, r, bottom)
        } else {
            // Findings and transitions take what they need (within limits); the fields the rest.
            let events_h = (self.events.len() as u16 + 2).clamp(3, 6);
            let findings_h = (self.findings.len() as u16 + 3).clamp(4, 8);
            let fields_h = (fields.len() as u16 + 2)
                .min(area.height.saturating_sub(events_h + findings_h))
                .max(5);
            let [a, b, c] = Layout::vertical([
                Constraint::Length(fields_h),
                Constraint::Min(4),
                Constraint::Length(events_h),
            ])
            .areas(area);
            (a, c, b)
        };
        let b = block(ui.theme, &title, false);
        let inner = b.inner(fields_area);
        f.render_widget(b, fields_area);
        f.render_widget(Paragraph::new(fields).wrap(Wrap { trim: false }), inner);
        self.draw_events(f, events_area, ui);
        self.draw_findings(f, findings_area, ui);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

impl TicketPage {
    /// `扣分: …` for each deduction, then the accountability, each cut to `w`.
    fn deduction_lines(&self, ui: &Ui, w: usize) -> Vec<Line<'static>> {
        let lang = ui.lang();
        let label = crate::i18n::qc::QcWord::Deductions.text(lang);
        let mut out: Vec<Line<'static>> = self
            .deductions
            .iter()
            .map(|d| {
                let text = crate::output::qc::deduction_line(lang, d);
                Line::from(vec![
                    Span::styled(format!("{label}: "), ui.theme.title()),
                    Span::raw(cut(
                        &esc(&text),
                        w.saturating_sub(unicode_width::UnicodeWidthStr::width(label) + 2),
                    )),
                ])
            })
            .collect();
        if let Some(a) = &self.accountability {
            let text = crate::output::qc::accountability_line(lang, a);
            out.push(Line::from(cut(&esc(&text), w)));
        }
        out
    }
}

/// `Label: value`, a multi-line value continuing on indented lines.
fn field(ui: &Ui, label: Msg, value: &str) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for (i, l) in value.lines().enumerate() {
        if i == 0 {
            out.push(Line::from(vec![
                Span::styled(format!("{}: ", ui.t(label)), ui.theme.title()),
                Span::raw(esc(l)),
            ]));
        } else {
            out.push(Line::from(format!("  {}", esc(l))));
        }
    }
    if out.is_empty() {
        out.push(Line::from(vec![
            Span::styled(format!("{}: ", ui.t(label)), ui.theme.title()),
            Span::raw("-"),
        ]));
    }
    out
}

fn field_lines(ui: &Ui, t: &Ticket, w: usize) -> Vec<Line<'static>> {
    let lang = ui.lang();
    let by = ui.t(Msg::By);
    let label = |m: Msg| Span::styled(format!("{}: ", ui.t(m)), ui.theme.title());
    let (mark, mstyle) = urgency(ui, t);
    let mut state = vec![
        label(Msg::State),
        Span::raw(i18n::ticket_state(lang, &t.state).to_string()),
    ];
    if !mark.is_empty() {
        state.push(Span::raw(" · "));
        state.push(Span::styled(mark.to_string(), mstyle));
    }
    state.push(Span::raw(format!(
        " · {} {} · ",
        count(t.findings as u64),
        ui.t(Msg::FindingsCount)
    )));
    // State, unit and person share a line: an 80×24 page has few rows to spare.
    state.extend([
        label(Msg::RespUnit),
        Span::raw(format!("{} · ", esc(&t.unit))),
        label(Msg::Person),
        Span::raw(esc(t.person.as_deref().unwrap_or("-"))),
    ]);
    let mut lines = vec![Line::from(state)];
    lines.push(Line::from(vec![
        label(Msg::Issued),
        Span::raw(format!(
            "{} {by} {} · ",
            esc(&t.issued_on),
            esc(&t.issued_by)
        )),
        label(Msg::Due),
        Span::raw(esc(&t.due_on)),
    ]));
    // Who moved it and when come before the long texts, so that a small window never cuts
    // them off: the submission, the first review, the approval, the archive, the cancellation.
    lines.extend(chain_lines(ui, t, w));
    lines.extend(field(ui, Msg::Requirement, &t.requirement));
    if let Some(c) = &t.cause {
        lines.extend(field(ui, Msg::Cause, c));
    }
    if let Some(m) = &t.measures {
        lines.extend(field(ui, Msg::Measures, m));
    }
    lines
}

/// The ticket's way through review, as far as it went — amount recovered and submission, first
/// review (two levels), approval, archive, cancellation — each `Label: date by who`, packed
/// into as few lines of `w` columns as they fit in whole (a part is never split).
fn chain_lines(ui: &Ui, t: &Ticket, w: usize) -> Vec<Line<'static>> {
    let by = ui.t(Msg::By);
    let when = |on: &Option<String>, who: &Option<String>| match (on, who) {
        (Some(on), Some(who)) => Some(format!("{} {by} {}", esc(on), esc(who))),
        _ => None,
    };
    let mut parts: Vec<(Msg, String)> = Vec::new();
    if let Some(sub) = when(&t.submitted_on, &t.submitted_by) {
        // The label says the unit (元) already.
        parts.push((
            Msg::Recovered,
            t.recovered_yuan
                .map(|v| format!("{v:.2}"))
                .unwrap_or_else(|| "-".into()),
        ));
        parts.push((Msg::Submitted, sub));
    }
    let steps = [
        (Msg::FirstReview, &t.reviewed_on, &t.reviewed_by),
        // With a first review before it, the approval is the second review (复核).
        (
            if t.reviewed_by.is_some() {
                Msg::SecondReview
            } else {
                Msg::Approved
            },
            &t.approved_on,
            &t.approved_by,
        ),
        (Msg::ArchivedOn, &t.archived_on, &t.archived_by),
    ];
    for (m, on, who) in steps {
        if let Some(v) = when(on, who) {
            parts.push((m, v));
        }
    }
    if let Some(on) = &t.cancelled_on {
        parts.push((Msg::CancelledOn, esc(on)));
    }
    let mut lines = Vec::new();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (m, value) in parts {
        let head = format!("{}: ", ui.t(m));
        let width = text::width(&head) + text::width(&value);
        if !spans.is_empty() && used + 3 + width > w {
            lines.push(Line::from(std::mem::take(&mut spans)));
            used = 0;
        }
        if !spans.is_empty() {
            spans.push(Span::raw(" · "));
            used += 3;
        }
        spans.push(Span::styled(head, ui.theme.title()));
        spans.push(Span::raw(value));
        used += width;
    }
    if !spans.is_empty() {
        lines.push(Line::from(spans));
    }
    lines
}

/// One transition: date, operator, from → to, and what was said (reason, cause, due date).
fn event_line(ui: &Ui, e: &Event, w: usize) -> Line<'static> {
    let lang = ui.lang();
    let from = e
        .from_state
        .as_deref()
        .map(|s| format!("{} → ", i18n::ticket_state(lang, s)))
        .unwrap_or_default();
    let d: serde_json::Value = serde_json::from_str(&e.details).unwrap_or_default();
    let said = ["reason", "cause", "requirement"]
        .iter()
        .find_map(|k| d.get(k).and_then(|v| v.as_str()))
        .map(|s| s.replace('\n', " ⏎ "))
        .unwrap_or_default();
    let text = format!(
        "{} {} {from}{} {}",
        esc(&e.business_date),
        esc(&e.operator),
        i18n::ticket_state(lang, &e.to_state),
        esc(&said)
    );
    Line::from(cut(text.trim_end(), w))
}

impl TicketPage {
    /// Transitions: the latest ones when they do not all fit, with a count of those left out.
    fn draw_events(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let b = block(ui.theme, ui.t(Msg::Transitions), false);
        let inner = b.inner(area);
        f.render_widget(b, area);
        let rows = usize::from(inner.height);
        let w = usize::from(inner.width);
        let mut lines = Vec::new();
        let skip = if self.events.len() > rows {
            self.events.len() - rows.saturating_sub(1)
        } else {
            0
        };
        if skip > 0 {
            lines.push(Line::from(Span::styled(
                i18n::earlier_events(ui.lang(), skip),
                ui.theme.dim(),
            )));
        }
        for e in self.events.iter().skip(skip) {
            lines.push(event_line(ui, e, w));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }

    fn draw_findings(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let b = block(ui.theme, ui.t(Msg::TicketFindings), true);
        let inner = b.inner(area);
        f.render_widget(b, area);
        let lang = ui.lang();
        let w = usize::from(inner.width);
        let status_w = FindingStatus::ALL
            .iter()
            .map(|s| text::width(i18n::status(lang, s)))
            .max()
            .unwrap_or(9);
        let sev_w = text::width(ui.t(Msg::Severity)).max(4);
        // id 7, sev, rule (its widest id, at most RULE_W_MAX), status, customer (flex),
        // amount (its widest, never cut), evidence (flex, never cut inside a number).
        let rule_w = super::findings::columns::rule_width(
            self.findings.iter().map(|r| text::width(&esc(&r.rule))),
        );
        let amt_w = self
            .findings
            .iter()
            .map(|r| text::width(&yuan(r.amount_yuan)))
            .chain([text::width(ui.t(Msg::Amount)), 10])
            .max()
            .unwrap_or(10);
        let fixed = 7 + 1 + sev_w + 1 + rule_w + 1 + status_w + 1 + 1 + amt_w + 1;
        let flex = w.saturating_sub(fixed);
        let cust_w = flex * 2 / 5;
        let ev_w = flex - cust_w;
        let row = |cells: [&str; 7]| {
            let [id, sev, rule, st, cust, amt, ev] = cells;
            format!(
                "{:>7} {} {} {} {} {} {}",
                id,
                text::fit(sev, sev_w),
                text::fit(rule, rule_w),
                text::fit(st, status_w),
                text::fit(cust, cust_w),
                rpad(amt, amt_w),
                crate::ui::render::columns::pad(ev, ev_w, false),
            )
        };
        let head = row([
            "#",
            ui.t(Msg::Severity),
            ui.t(Msg::Rule),
            ui.t(Msg::Status),
            ui.t(Msg::Customer),
            ui.t(Msg::Amount),
            ui.t(Msg::Evidence),
        ]);
        let mut lines = vec![Line::from(Span::styled(cut(&head, w), ui.theme.title()))];
        let page = usize::from(inner.height.saturating_sub(1));
        let start = if page == 0 {
            0
        } else {
            self.cursor.saturating_sub(page - 1)
        };
        for (i, r) in self.findings.iter().enumerate().skip(start).take(page) {
            let style = if i == self.cursor {
                ui.theme.selected()
            } else {
                Style::new()
            };
            let status = match r.resolution {
                Some(res) if r.status == FindingStatus::Closed => {
                    i18n::resolution(lang, &res).to_string()
                }
                _ => i18n::status(lang, &r.status).to_string(),
            };
            let line = row([
                &r.id.to_string(),
                i18n::severity(lang, &r.severity),
                &esc(&r.rule),
                &status,
                &esc_cut(&r.cust_name, cust_w),
                &yuan(r.amount_yuan),
                &esc(&crate::i18n::evidence::render(lang, &r.evidence)),
            ]);
            lines.push(Line::from(Span::styled(cut(&line, w), style)));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }
}
