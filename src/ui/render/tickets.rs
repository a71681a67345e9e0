//! 工单: the queues by state (a windowed list) and one ticket's page with its fields, its
//! findings and every transition.

use super::{block, count, cut, esc, esc_cut, yuan};
use crate::text;
use crate::tickets::{Event, Ticket};
use crate::ui::app::{App, TK_VIEWS};
use crate::ui::i18n::{self, Msg};
use crate::ui::keymap::Action as Key;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

fn state_w(app: &App) -> usize {
    crate::tickets::STATES
        .iter()
        .map(|s| text::width(i18n::ticket_state(app.lang(), s)))
        .max()
        .unwrap_or(10)
}

fn mark_w(app: &App) -> usize {
    text::width(app.t(Msg::OverdueMark)).max(text::width(app.t(Msg::SoonMark)))
}

/// The overdue / due-soon word for a ticket, with its style; empty for neither.
fn urgency(app: &App, t: &Ticket) -> (&'static str, Style) {
    let soon = (app.ctx.today + chrono::Days::new(3)).to_string();
    let open = crate::tickets::OPEN_STATES.contains(&t.state.as_str());
    if t.overdue {
        (app.t(Msg::OverdueMark), app.theme.error())
    } else if open && t.due_on <= soon {
        (app.t(Msg::SoonMark), app.theme.key())
    } else {
        ("", Style::new())
    }
}

pub fn draw_list(f: &mut Frame, app: &App, area: Rect) {
    let [tabs, list] = Layout::vertical([Constraint::Length(2), Constraint::Min(3)]).areas(area);
    draw_tabs(f, app, tabs);
    let tk = &app.tk;
    let title = format!(
        "{} · {}",
        app.t(Msg::Tickets),
        i18n::ticket_state(app.lang(), tk.view_name())
    );
    let b = block(&app.theme, &title, true);
    let inner = b.inner(list);
    f.render_widget(b, list);
    if let Some(e) = &tk.error {
        f.render_widget(
            Paragraph::new(Span::styled(e.clone(), app.theme.error())).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let w = usize::from(inner.width);
    let wide = w >= 120;
    let (mw, sw) = (mark_w(app), state_w(app));
    // mark, number 15, state, unit (flex), [person 10, issued 10], due 10, findings 4,
    // [requirement (flex)].
    let fixed = mw + 1 + 15 + 1 + sw + 1 + 1 + 10 + 1 + 8 + if wide { 11 + 11 + 1 } else { 0 };
    let flex = w.saturating_sub(fixed);
    let (unit_w, req_w) = if wide {
        (flex * 2 / 5, flex - flex * 2 / 5)
    } else {
        (flex, 0)
    };
    let row = |mark: &str,
               number: &str,
               state: &str,
               unit: &str,
               person: &str,
               issued: &str,
               due: &str,
               n: &str,
               req: &str| {
        let mut s = format!(
            "{} {} {} {} ",
            text::fit(mark, mw),
            text::fit(number, 15),
            text::fit(state, sw),
            text::fit(unit, unit_w),
        );
        if wide {
            s.push_str(&format!(
                "{} {} ",
                text::fit(person, 10),
                text::fit(issued, 10)
            ));
        }
        s.push_str(&format!("{} {}", text::fit(due, 10), super::rpad(n, 8)));
        if wide {
            s.push_str(&format!(" {}", text::fit(req, req_w)));
        }
        s
    };
    let head = row(
        "",
        app.t(Msg::Number),
        app.t(Msg::State),
        app.t(Msg::Unit),
        app.t(Msg::Person),
        app.t(Msg::Issued),
        app.t(Msg::Due),
        app.t(Msg::Count),
        app.t(Msg::Requirement),
    );
    let mut lines = vec![Line::from(Span::styled(cut(&head, w), app.theme.title()))];
    match &tk.rows {
        None => lines.push(Line::from(app.t(Msg::Loading))),
        Some(rows) if rows.is_empty() => lines.push(Line::from(app.t(Msg::NoTickets))),
        Some(rows) => {
            let page = usize::from(inner.height.saturating_sub(1));
            let start = if page == 0 {
                0
            } else {
                tk.cursor.saturating_sub(page - 1)
            };
            for (i, t) in rows.iter().enumerate().skip(start).take(page) {
                let base = if i == tk.cursor {
                    app.theme.selected()
                } else {
                    Style::new()
                };
                let (mark, mstyle) = urgency(app, t);
                let req = t.requirement.lines().next().unwrap_or("");
                let rest = row(
                    "",
                    &esc(&t.number),
                    i18n::ticket_state(app.lang(), &t.state),
                    &esc(&t.unit),
                    &esc(t.person.as_deref().unwrap_or("-")),
                    &esc(&t.issued_on),
                    &esc(&t.due_on),
                    &count(t.findings as u64),
                    &esc(req),
                );
                // The mark column is drawn separately so that it can carry its own style.
                let rest: String = rest.chars().skip(mw).collect();
                lines.push(Line::from(vec![
                    Span::styled(text::fit(mark, mw), mstyle.patch(base)),
                    Span::styled(cut(&rest, w.saturating_sub(mw)), base),
                ]));
            }
        }
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// `v [open 3]  dispatched 1  rectifying 0 …`: brackets mark the queue shown.
fn draw_tabs(f: &mut Frame, app: &App, area: Rect) {
    let lang = app.lang();
    let counts = app.shared.tickets.as_ref().map(|s| &s.counts);
    let mut spans = vec![Span::styled(
        format!("{} ", app.keymap.hint(Key::TkView)),
        app.theme.key(),
    )];
    for (i, v) in TK_VIEWS.iter().enumerate() {
        let n = counts
            .map(|c| count(c.get(*v).copied().unwrap_or(0)))
            .unwrap_or_else(|| "…".into());
        let cur = i == app.tk.view;
        let label = if cur {
            format!("[{} {n}]", i18n::ticket_state(lang, v))
        } else {
            format!(" {} {n} ", i18n::ticket_state(lang, v))
        };
        spans.push(Span::styled(
            label,
            if cur {
                app.theme.selected()
            } else {
                Style::new()
            },
        ));
    }
    f.render_widget(
        Paragraph::new(Line::from(spans)).wrap(Wrap { trim: false }),
        area,
    );
}

/// `Label: value`, a multi-line value continuing on indented lines.
fn field(app: &App, label: Msg, value: &str) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for (i, l) in value.lines().enumerate() {
        if i == 0 {
            out.push(Line::from(vec![
                Span::styled(format!("{}: ", app.t(label)), app.theme.title()),
                Span::raw(esc(l)),
            ]));
        } else {
            out.push(Line::from(format!("  {}", esc(l))));
        }
    }
    if out.is_empty() {
        out.push(Line::from(vec![
            Span::styled(format!("{}: ", app.t(label)), app.theme.title()),
            Span::raw("-"),
        ]));
    }
    out
}

fn field_lines(app: &App, t: &Ticket) -> Vec<Line<'static>> {
    let lang = app.lang();
    let by = app.t(Msg::By);
    let (mark, mstyle) = urgency(app, t);
    let mut state = vec![
        Span::styled(format!("{}: ", app.t(Msg::State)), app.theme.title()),
        Span::raw(i18n::ticket_state(lang, &t.state).to_string()),
    ];
    if !mark.is_empty() {
        state.push(Span::raw(" · "));
        state.push(Span::styled(mark.to_string(), mstyle));
    }
    state.push(Span::raw(format!(
        " · {} {} · ",
        count(t.findings as u64),
        app.t(Msg::FindingsCount)
    )));
    // State, unit and person share a line: an 80×24 page has few rows to spare.
    state.extend([
        Span::styled(format!("{}: ", app.t(Msg::Unit)), app.theme.title()),
        Span::raw(format!("{} · ", esc(&t.unit))),
        Span::styled(format!("{}: ", app.t(Msg::Person)), app.theme.title()),
        Span::raw(esc(t.person.as_deref().unwrap_or("-"))),
    ]);
    let mut lines = vec![Line::from(state)];
    lines.push(Line::from(vec![
        Span::styled(format!("{}: ", app.t(Msg::Issued)), app.theme.title()),
        Span::raw(format!(
            "{} {by} {} · ",
            esc(&t.issued_on),
            esc(&t.issued_by)
        )),
        Span::styled(format!("{}: ", app.t(Msg::Due)), app.theme.title()),
        Span::raw(esc(&t.due_on)),
    ]));
    lines.extend(field(app, Msg::Requirement, &t.requirement));
    if let Some(c) = &t.cause {
        lines.extend(field(app, Msg::Cause, c));
    }
    if let Some(m) = &t.measures {
        lines.extend(field(app, Msg::Measures, m));
    }
    if let (Some(on), Some(who)) = (&t.submitted_on, &t.submitted_by) {
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", app.t(Msg::Recovered)), app.theme.title()),
            Span::raw(format!("{} · ", yuan(t.recovered_yuan))),
            Span::styled(format!("{}: ", app.t(Msg::Submitted)), app.theme.title()),
            Span::raw(format!("{} {by} {}", esc(on), esc(who))),
        ]));
    }
    if let (Some(on), Some(who)) = (&t.approved_on, &t.approved_by) {
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", app.t(Msg::Approved)), app.theme.title()),
            Span::raw(format!("{} {by} {}", esc(on), esc(who))),
        ]));
    }
    if let Some(on) = &t.cancelled_on {
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", app.t(Msg::CancelledOn)), app.theme.title()),
            Span::raw(esc(on)),
        ]));
    }
    lines
}

/// One transition: date, operator, from → to, and what was said (reason, cause, due date).
fn event_line(app: &App, e: &Event, w: usize) -> Line<'static> {
    let lang = app.lang();
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

pub fn draw_page(f: &mut Frame, app: &App, area: Rect) {
    let Some(p) = &app.page else { return };
    let title = format!("{} {}", app.t(Msg::Ticket), esc(&p.number));
    let Some(t) = &p.ticket else {
        let b = block(&app.theme, &title, true);
        let inner = b.inner(area);
        f.render_widget(b, area);
        let (m, st) = match &p.error {
            Some(e) => (e.clone(), app.theme.error()),
            None => (app.t(Msg::Loading).to_string(), Style::new()),
        };
        f.render_widget(
            Paragraph::new(Span::styled(m, st)).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    };
    let fields = field_lines(app, t);
    let (fields_area, events_area, findings_area) = if area.width >= 120 {
        let top_h = (fields.len().max(p.events.len()) as u16 + 2).clamp(8, area.height / 2);
        let [top, bottom] =
            Layout::vertical([Constraint::Length(top_h), Constraint::Min(4)]).areas(area);
        let [l, r] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(top);
        (l, r, bottom)
    } else {
        // Findings and transitions take what they need (within limits); the fields the rest.
        let events_h = (p.events.len() as u16 + 2).clamp(3, 6);
        let findings_h = (p.findings.len() as u16 + 3).clamp(4, 8);
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
    let b = block(&app.theme, &title, false);
    let inner = b.inner(fields_area);
    f.render_widget(b, fields_area);
    f.render_widget(Paragraph::new(fields).wrap(Wrap { trim: false }), inner);

    // Transitions: the latest ones when they do not all fit, with a count of those left out.
    let b = block(&app.theme, app.t(Msg::Transitions), false);
    let inner = b.inner(events_area);
    f.render_widget(b, events_area);
    let rows = usize::from(inner.height);
    let w = usize::from(inner.width);
    let mut lines = Vec::new();
    let skip = if p.events.len() > rows {
        p.events.len() - rows.saturating_sub(1)
    } else {
        0
    };
    if skip > 0 {
        lines.push(Line::from(Span::styled(
            i18n::earlier_events(app.lang(), skip),
            app.theme.dim(),
        )));
    }
    for e in p.events.iter().skip(skip) {
        lines.push(event_line(app, e, w));
    }
    f.render_widget(Paragraph::new(lines), inner);

    draw_page_findings(f, app, findings_area);
}

fn draw_page_findings(f: &mut Frame, app: &App, area: Rect) {
    let Some(p) = &app.page else { return };
    let b = block(&app.theme, app.t(Msg::TicketFindings), true);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let lang = app.lang();
    let w = usize::from(inner.width);
    let status_w = ["new", "confirmed", "ticketed", "closed", "cleared"]
        .iter()
        .map(|s| text::width(i18n::status(lang, s)))
        .max()
        .unwrap_or(9);
    let sev_w = text::width(app.t(Msg::Severity)).max(4);
    // id 7, sev, rule 6, status, customer (flex), amount 10, evidence (flex).
    let fixed = 7 + 1 + sev_w + 1 + 6 + 1 + status_w + 1 + 1 + 10 + 1;
    let flex = w.saturating_sub(fixed);
    let cust_w = flex * 2 / 5;
    let ev_w = flex - cust_w;
    let row = |id: &str, sev: &str, rule: &str, st: &str, cust: &str, amt: &str, ev: &str| {
        format!(
            "{:>7} {} {} {} {} {} {}",
            id,
            text::fit(sev, sev_w),
            text::fit(rule, 6),
            text::fit(st, status_w),
            text::fit(cust, cust_w),
            super::rpad(amt, 10),
            text::fit(ev, ev_w),
        )
    };
    let head = row(
        "#",
        app.t(Msg::Severity),
        app.t(Msg::Rule),
        app.t(Msg::Status),
        app.t(Msg::Customer),
        app.t(Msg::Amount),
        app.t(Msg::Evidence),
    );
    let mut lines = vec![Line::from(Span::styled(cut(&head, w), app.theme.title()))];
    let page = usize::from(inner.height.saturating_sub(1));
    let start = if page == 0 {
        0
    } else {
        p.cursor.saturating_sub(page - 1)
    };
    for (i, r) in p.findings.iter().enumerate().skip(start).take(page) {
        let style = if i == p.cursor {
            app.theme.selected()
        } else {
            Style::new()
        };
        let status = match r.resolution.as_deref() {
            Some(res) if r.status == "closed" => i18n::resolution(lang, res).to_string(),
            _ => i18n::status(lang, &r.status).to_string(),
        };
        let line = row(
            &r.id.to_string(),
            i18n::severity(lang, &r.severity),
            &esc(&r.rule),
            &status,
            &esc_cut(&r.cust_name, cust_w),
            &yuan(r.amount_yuan),
            &esc(&r.evidence),
        );
        lines.push(Line::from(Span::styled(cut(&line, w), style)));
    }
    f.render_widget(Paragraph::new(lines), inner);
}
