//! 总览: daily alerts, rule hit counts with a 30-day trend, ticket queues.

use super::{block, count, cut, esc, rpad, yuan};
use crate::rules::catalogue;
use crate::text;
use crate::ui::app::{App, DashPanel};
use crate::ui::i18n::{self, Msg};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Sparkline, Wrap};
use ratatui::Frame;

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let (alerts, rules, tickets) = if area.width >= 120 {
        let [l, r] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(area);
        let [ru, t] = Layout::vertical([Constraint::Min(6), Constraint::Length(12)]).areas(r);
        (l, ru, t)
    } else {
        // Counts and the two most urgent tickets; the alerts give up a row for them.
        let [a, ru, t] = Layout::vertical([
            Constraint::Percentage(40),
            Constraint::Min(6),
            Constraint::Length(5),
        ])
        .areas(area);
        (a, ru, t)
    };
    draw_alerts(f, app, alerts);
    draw_rules(f, app, rules);
    draw_tickets(f, app, tickets);
}

fn loading_or_error(f: &mut Frame, app: &App, inner: Rect) -> bool {
    if let Some(e) = &app.shared.dashboard_error {
        f.render_widget(
            Paragraph::new(Span::styled(e.clone(), app.theme.error())).wrap(Wrap { trim: true }),
            inner,
        );
        return true;
    }
    if app.shared.dashboard.is_none() {
        f.render_widget(Paragraph::new(app.t(Msg::Loading)), inner);
        return true;
    }
    false
}

/// First row to show so that `cursor` stays visible in `rows` lines.
fn scroll_start(cursor: usize, rows: usize) -> usize {
    if rows == 0 {
        0
    } else {
        cursor.saturating_sub(rows - 1)
    }
}

fn draw_alerts(f: &mut Frame, app: &App, area: Rect) {
    let focused = app.dash_panel() == DashPanel::Alerts;
    let d = app.shared.dashboard.as_ref();
    let title = match d.and_then(|d| d.latest_scan.as_ref()) {
        Some((_, date)) => format!(
            "{} · {} {}",
            app.t(Msg::DailyAlerts),
            app.t(Msg::LatestScan),
            esc(date)
        ),
        None => app.t(Msg::DailyAlerts).to_string(),
    };
    let b = block(&app.theme, &title, focused);
    let inner = b.inner(area);
    f.render_widget(b, area);
    if loading_or_error(f, app, inner) {
        return;
    }
    let d = d.expect("checked above");
    if d.latest_scan.is_none() || d.alerts.is_empty() {
        let m = if d.latest_scan.is_none() {
            Msg::NoScanYet
        } else {
            Msg::NoAlerts
        };
        f.render_widget(Paragraph::new(app.t(m)).wrap(Wrap { trim: true }), inner);
        return;
    }
    let w = usize::from(inner.width);
    let lang = app.lang();
    // sev 4 · rule 7 · amount 10 · then customer, unit and evidence share the rest.
    let sev_w = 4;
    let rule_w = 7;
    let amt_w = 10;
    let rest = w.saturating_sub(sev_w + rule_w + amt_w + 4);
    let cust_w = rest * 2 / 5;
    let unit_w = rest / 5;
    let ev_w = rest.saturating_sub(cust_w + unit_w + 1);
    let rows = usize::from(inner.height);
    let start = scroll_start(app.dash.alert_cursor, rows);
    let mut lines = Vec::new();
    for (i, r) in d.alerts.iter().enumerate().skip(start).take(rows) {
        let sel = focused && i == app.dash.alert_cursor;
        let base = if sel {
            app.theme.selected()
        } else {
            ratatui::style::Style::new()
        };
        let sev = text::fit(i18n::severity(lang, &r.severity), sev_w);
        let mut spans = vec![
            Span::styled(sev, app.theme.severity(&r.severity).patch(base)),
            Span::styled(
                format!(
                    " {} {} {} {:>amt_w$} {}",
                    text::fit(&esc(&r.rule), rule_w - 1),
                    text::fit(&esc(&r.cust_name), cust_w),
                    text::fit(&esc(&r.station), unit_w),
                    yuan(r.amount_yuan),
                    text::fit(&esc(&r.evidence), ev_w),
                ),
                base,
            ),
        ];
        if ev_w == 0 {
            spans.truncate(2);
        }
        lines.push(Line::from(spans));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

fn draw_rules(f: &mut Frame, app: &App, area: Rect) {
    let focused = app.dash_panel() == DashPanel::Rules;
    let b = block(&app.theme, app.t(Msg::RuleHits), focused);
    let inner = b.inner(area);
    f.render_widget(b, area);
    if loading_or_error(f, app, inner) {
        return;
    }
    let d = app.shared.dashboard.as_ref().expect("checked above");
    let lang = app.lang();
    let zh = lang == crate::context::Lang::Zh;
    let num_w = 6;
    let spark_w: usize = if inner.width >= 70 { 30 } else { 15 };
    let name_w = usize::from(inner.width)
        .saturating_sub(7 + 4 * (num_w + 1) + spark_w + 2)
        .max(4);
    let head = format!(
        "{} {} {} {} {} {}  {}",
        text::fit(app.t(Msg::Rule), 6),
        text::fit(app.t(Msg::Name), name_w),
        rpad(app.t(Msg::OpenCol), num_w),
        rpad(app.t(Msg::NewCol), num_w),
        rpad(app.t(Msg::SuppressedCol), num_w),
        rpad(app.t(Msg::ClosedCol), num_w),
        app.t(Msg::Trend30),
    );
    let rows_h = inner.height.saturating_sub(1);
    f.render_widget(
        Paragraph::new(Span::styled(
            cut(&head, usize::from(inner.width)),
            app.theme.title(),
        )),
        Rect::new(inner.x, inner.y, inner.width, 1),
    );
    if d.rules.is_empty() {
        f.render_widget(
            Paragraph::new(app.t(Msg::NoScanYet)),
            Rect::new(inner.x, inner.y + 1, inner.width, rows_h),
        );
        return;
    }
    let start = scroll_start(app.dash.rule_cursor, usize::from(rows_h));
    for (row, (i, rc)) in app
        .dash_rules()
        .into_iter()
        .enumerate()
        .skip(start)
        .take(usize::from(rows_h))
        .enumerate()
    {
        let y = inner.y + 1 + row as u16;
        let name = catalogue::find(&rc.rule)
            .map(|r| r.name(zh).to_string())
            .unwrap_or_default();
        let sel = focused && i == app.dash.rule_cursor;
        let style = if sel {
            app.theme.selected()
        } else {
            ratatui::style::Style::new()
        };
        let line = format!(
            "{} {} {:>num_w$} {:>num_w$} {:>num_w$} {:>num_w$}  ",
            text::fit(&esc(&rc.rule), 6),
            text::fit(&name, name_w),
            count(rc.open),
            count(rc.new_today),
            count(rc.suppressed),
            count(rc.closed),
        );
        let lw = text::width(&line) as u16;
        f.render_widget(
            Paragraph::new(Span::styled(line, style)),
            Rect::new(inner.x, y, lw.min(inner.width), 1),
        );
        if lw < inner.width {
            let sw = (spark_w as u16).min(inner.width - lw);
            let data: Vec<u64> = rc
                .trend
                .iter()
                .rev()
                .take(usize::from(sw))
                .rev()
                .copied()
                .collect();
            f.render_widget(
                Sparkline::default()
                    .data(&data)
                    .bar_set(app.theme.bars())
                    .style(app.theme.chart()),
                Rect::new(inner.x + lw, y, sw, 1),
            );
        }
    }
}

fn draw_tickets(f: &mut Frame, app: &App, area: Rect) {
    let focused = app.dash_panel() == DashPanel::Tickets;
    let b = block(&app.theme, app.t(Msg::TicketQueues), focused);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let Some(s) = &app.shared.tickets else {
        let (m, st) = match &app.shared.tickets_error {
            Some(e) => (e.clone(), app.theme.error()),
            None => (
                app.t(Msg::Loading).to_string(),
                ratatui::style::Style::new(),
            ),
        };
        f.render_widget(Paragraph::new(Span::styled(m, st)), inner);
        return;
    };
    let lang = app.lang();
    let n = |k: &str| count(s.counts.get(k).copied().unwrap_or(0));
    let head = [
        "dispatched",
        "rectifying",
        "submitted",
        "returned",
        "overdue",
    ]
    .iter()
    .map(|k| format!("{} {}", i18n::ticket_state(lang, k), n(k)))
    .collect::<Vec<_>>()
    .join(" · ");
    let w = usize::from(inner.width);
    let mut lines = vec![Line::from(Span::styled(cut(&head, w), app.theme.title()))];
    if s.queue.is_empty() {
        lines.push(Line::from(app.t(Msg::NoOpenTickets)));
    }
    let rows = usize::from(inner.height.saturating_sub(1));
    let start = scroll_start(app.dash.ticket_cursor, rows);
    let soon = (app.ctx.today + chrono::Days::new(3)).to_string();
    for (i, t) in s.queue.iter().enumerate().skip(start).take(rows) {
        let sel = focused && i == app.dash.ticket_cursor;
        let base = if sel {
            app.theme.selected()
        } else {
            ratatui::style::Style::new()
        };
        lines.push(queue_line(app, t, &soon, w, base));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// `LATE JC-20261102-001 unit  state  due 2026-11-09`: the urgency is a word, not a colour.
pub(super) fn queue_line(
    app: &App,
    t: &crate::tickets::Ticket,
    soon: &str,
    w: usize,
    base: ratatui::style::Style,
) -> Line<'static> {
    let lang = app.lang();
    let mark_w = text::width(app.t(Msg::OverdueMark)).max(text::width(app.t(Msg::SoonMark)));
    let (mark, mstyle) = if t.overdue {
        (app.t(Msg::OverdueMark), app.theme.error())
    } else if t.due_on.as_str() <= soon {
        (app.t(Msg::SoonMark), app.theme.key())
    } else {
        ("", ratatui::style::Style::new())
    };
    let state_w = ["dispatched", "rectifying", "submitted", "returned"]
        .iter()
        .map(|k| text::width(i18n::ticket_state(lang, k)))
        .max()
        .unwrap_or(10);
    let due = format!("{} {}", app.t(Msg::Due), esc(&t.due_on));
    let unit_w = w
        .saturating_sub(mark_w + 1 + 16 + state_w + 1 + text::width(&due) + 1)
        .max(4);
    let rest = format!(
        " {} {} {} {due}",
        text::fit(&esc(&t.number), 15),
        text::fit(&esc(&t.unit), unit_w),
        text::fit(i18n::ticket_state(lang, &t.state), state_w),
    );
    Line::from(vec![
        Span::styled(text::fit(mark, mark_w), mstyle.patch(base)),
        Span::styled(cut(&rest, w.saturating_sub(mark_w)), base),
    ])
}
