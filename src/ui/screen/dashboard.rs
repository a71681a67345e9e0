//! 总览: daily alerts, rule hit counts with a 30-day trend, ticket queues. Its counts are the
//! router's `Shared` data (the header shows them too), so this screen only owns its panels and
//! cursors.

use super::dashboard_escalation as escalation;
use super::{list_delta, step, Arg, Cx, Screen, ScreenId, Shared, Ui};
use crate::findings::RuleCounts;
use crate::states::TicketState as T;
use crate::text;
use crate::ui::i18n::{self, Msg};
use crate::ui::keymap::{Action, Context};
use crate::ui::render::{block, count, cut, esc, rpad, yuan};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Sparkline, Wrap};
use ratatui::Frame;
use std::any::Any;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Alerts,
    Rules,
    Tickets,
}

#[derive(Default)]
pub struct Dashboard {
    pub panel: usize,
    pub alert_cursor: usize,
    pub rule_cursor: usize,
    pub ticket_cursor: usize,
    /// The operator's pinned saved view with its count (`dashboard_view`).
    pub pinned: Option<super::dashboard_view::Pinned>,
}

impl Dashboard {
    pub fn panel(&self) -> Panel {
        [Panel::Alerts, Panel::Rules, Panel::Tickets][self.panel % 3]
    }
}

/// The rule panel: rules with open findings first (most first), then those that hit
/// recently, then the rest by id — the busy rules fit on an 80×24 screen.
pub fn rules_by_activity(shared: &Shared) -> Vec<&RuleCounts> {
    let mut v: Vec<&RuleCounts> = shared
        .dashboard
        .as_ref()
        .map(|d| d.rules.iter().collect())
        .unwrap_or_default();
    v.sort_by(|a, b| {
        let recent = |r: &RuleCounts| r.trend.iter().sum::<u64>();
        b.open
            .cmp(&a.open)
            .then(recent(b).cmp(&recent(a)))
            .then(a.rule.cmp(&b.rule))
    });
    v
}

impl Screen for Dashboard {
    fn context(&self) -> Context {
        Context::Dashboard
    }

    fn hints(&self) -> &'static [Action] {
        &[
            Action::NextPanel,
            Action::Open,
            Action::Escalations,
            Action::GoFindings,
            Action::Scan,
            Action::Help,
            Action::Quit,
        ]
    }

    fn on_action(&mut self, a: Action, cx: &mut Cx) {
        if let Some(delta) = list_delta(a, cx.page) {
            let shared = cx.shared;
            match self.panel() {
                Panel::Alerts => {
                    let n = shared.dashboard.as_ref().map_or(0, |d| d.alerts.len());
                    self.alert_cursor = step(self.alert_cursor, delta, n);
                }
                Panel::Rules => {
                    let n = rules_by_activity(shared).len();
                    self.rule_cursor = step(self.rule_cursor, delta, n);
                }
                Panel::Tickets => {
                    let n = shared.tickets.as_ref().map_or(0, |s| s.queue.len());
                    self.ticket_cursor = step(self.ticket_cursor, delta, n);
                }
            }
            return;
        }
        match a {
            Action::NextPanel => self.panel = (self.panel + 1) % 3,
            Action::PrevPanel => self.panel = (self.panel + 2) % 3,
            Action::Open => self.open(cx),
            Action::Back => cx.back(),
            Action::Escalations => escalation::list(cx),
            Action::Campaigns => cx.go(ScreenId::Campaigns, Arg::None),
            _ => {}
        }
    }

    fn reply(
        &mut self,
        tag: &dyn Any,
        value: crate::ui::dialog::Value,
        cx: &mut Cx,
    ) -> Result<(), super::Invalid> {
        escalation::reply(tag, &value, cx).unwrap_or(Ok(()))
    }

    fn refresh(&mut self, _shown: bool, cx: &mut Cx) {
        super::dashboard_view::load(cx);
    }

    fn loaded(&mut self, slot: &'static str, answer: crate::ui::loader::Loaded, _cx: &mut Cx) {
        if slot == super::dashboard_view::SLOT {
            self.pinned = super::dashboard_view::loaded(answer);
        }
    }

    fn shared_changed(&mut self, shared: &Shared) {
        if let Some(s) = &shared.tickets {
            self.ticket_cursor = self.ticket_cursor.min(s.queue.len().saturating_sub(1));
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        draw_all(f, self, ui, area);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

impl Dashboard {
    /// Enter: an alert's finding, a rule's findings, a ticket's page.
    fn open(&self, cx: &mut Cx) {
        let shared = cx.shared;
        match self.panel() {
            Panel::Alerts => {
                let id = shared
                    .dashboard
                    .as_ref()
                    .and_then(|d| d.alerts.get(self.alert_cursor))
                    .map(|r| r.id);
                if let Some(id) = id {
                    cx.go(ScreenId::Detail, Arg::Finding(id));
                }
            }
            Panel::Rules => {
                let rule = rules_by_activity(shared)
                    .get(self.rule_cursor)
                    .map(|r| r.rule.clone());
                if let Some(rule) = rule {
                    cx.go(ScreenId::Findings, Arg::Rule(rule));
                }
            }
            Panel::Tickets => {
                let number = shared
                    .tickets
                    .as_ref()
                    .and_then(|s| s.queue.get(self.ticket_cursor))
                    .map(|t| t.number.clone());
                if let Some(n) = number {
                    cx.go(ScreenId::Ticket, Arg::Ticket(n));
                }
            }
        }
    }
}

fn draw_all(f: &mut Frame, s: &Dashboard, ui: &Ui, area: Rect) {
    let area = match &s.pinned {
        Some(p) => {
            let [top, rest] = Layout::vertical([
                Constraint::Length(super::dashboard_view::ROWS),
                Constraint::Min(0),
            ])
            .areas(area);
            super::dashboard_view::draw(f, p, ui, top);
            rest
        }
        None => area,
    };
    // The line of escalated units takes a row of its own in the ticket panel.
    let esc_row = u16::from(!escalation::open_notices(ui.shared).is_empty());
    let (alerts, rules, tickets) = if area.width >= 120 {
        let [l, r] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(area);
        let [ru, t] =
            Layout::vertical([Constraint::Min(6), Constraint::Length(12 + esc_row)]).areas(r);
        (l, ru, t)
    } else {
        // Counts and the two most urgent tickets; the alerts give up a row for them.
        let [a, ru, t] = Layout::vertical([
            Constraint::Percentage(40),
            Constraint::Min(6),
            Constraint::Length(5 + esc_row),
        ])
        .areas(area);
        (a, ru, t)
    };
    draw_alerts(f, s, ui, alerts);
    draw_rules(f, s, ui, rules);
    draw_tickets(f, s, ui, tickets);
}

fn loading_or_error(f: &mut Frame, ui: &Ui, inner: Rect) -> bool {
    if let Some(e) = &ui.shared.dashboard_error {
        f.render_widget(
            Paragraph::new(Span::styled(e.clone(), ui.theme.error())).wrap(Wrap { trim: true }),
            inner,
        );
        return true;
    }
    if ui.shared.dashboard.is_none() {
        f.render_widget(Paragraph::new(ui.t(Msg::Loading)), inner);
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

fn draw_alerts(f: &mut Frame, s: &Dashboard, ui: &Ui, area: Rect) {
    let focused = s.panel() == Panel::Alerts;
    let d = ui.shared.dashboard.as_ref();
    let title = match d.and_then(|d| d.latest_scan.as_ref()) {
        Some((_, date)) => format!(
            "{} · {} {}",
            ui.t(Msg::DailyAlerts),
            ui.t(Msg::LatestScan),
            esc(date)
        ),
        None => ui.t(Msg::DailyAlerts).to_string(),
    };
    let b = block(ui.theme, &title, focused);
    let inner = b.inner(area);
    f.render_widget(b, area);
    if loading_or_error(f, ui, inner) {
        return;
    }
    let d = d.expect("checked above");
    if d.latest_scan.is_none() || d.alerts.is_empty() {
        let m = if d.latest_scan.is_none() {
            Msg::NoScanYet
        } else {
            Msg::NoAlerts
        };
        f.render_widget(Paragraph::new(ui.t(m)).wrap(Wrap { trim: true }), inner);
        return;
    }
    let w = usize::from(inner.width);
    let lang = ui.lang();
    // sev 4 · rule as wide as its widest up to `RULE_W_MAX` (a longer id cut) · amount as wide
    // as its widest (never cut) · then customer, unit and evidence share the rest.
    let sev_w = 4;
    let rule_w = 1 + super::findings::columns::rule_width(
        d.alerts.iter().map(|r| text::width(&esc(&r.rule))),
    );
    let amt_w = d
        .alerts
        .iter()
        .map(|r| text::width(&yuan(r.amount_yuan)))
        .max()
        .unwrap_or(1);
    let rest = w.saturating_sub(sev_w + rule_w + amt_w + 4);
    let cust_w = rest * 2 / 5;
    let unit_w = rest / 5;
    let ev_w = rest.saturating_sub(cust_w + unit_w + 1);
    let rows = usize::from(inner.height);
    let start = scroll_start(s.alert_cursor, rows);
    let mut lines = Vec::new();
    for (i, r) in d.alerts.iter().enumerate().skip(start).take(rows) {
        let sel = focused && i == s.alert_cursor;
        let base = if sel {
            ui.theme.selected()
        } else {
            ratatui::style::Style::new()
        };
        let sev = text::fit(i18n::severity(lang, &r.severity), sev_w);
        let mut spans = vec![
            Span::styled(sev, ui.theme.severity(&r.severity).patch(base)),
            Span::styled(
                format!(
                    " {} {} {} {:>amt_w$} {}",
                    text::fit(&esc(&r.rule), rule_w - 1),
                    text::fit(&esc(&r.cust_name), cust_w),
                    text::fit(&esc(&r.station), unit_w),
                    yuan(r.amount_yuan),
                    crate::ui::render::columns::pad(
                        &esc(&crate::i18n::evidence::render(lang, &r.evidence)),
                        ev_w,
                        false
                    ),
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

#[allow(clippy::too_many_lines)] // one table: its column widths are fitted together, then drawn
fn draw_rules(f: &mut Frame, s: &Dashboard, ui: &Ui, area: Rect) {
    let focused = s.panel() == Panel::Rules;
    let b = block(ui.theme, ui.t(Msg::RuleHits), focused);
    let inner = b.inner(area);
    f.render_widget(b, area);
    if loading_or_error(f, ui, inner) {
        return;
    }
    let d = ui.shared.dashboard.as_ref().expect("checked above");
    let lang = ui.lang();
    let zh = lang == crate::context::Lang::Zh;
    // Ids and counts whole (as wide as the widest); the name gets at least NAME_MIN columns
    // before the trend, which shrinks (and goes) first.
    const NAME_MIN: usize = 12;
    let listed = rules_by_activity(ui.shared);
    let num_w = listed
        .iter()
        .flat_map(|rc| [rc.open, rc.new_today, rc.suppressed, rc.closed])
        .map(|n| count(n).len())
        .chain(
            [
                Msg::OpenCol,
                Msg::NewCol,
                Msg::SuppressedCol,
                Msg::ClosedCol,
            ]
            .iter()
            .map(|m| text::width(ui.t(*m))),
        )
        .max()
        .unwrap_or(6)
        .max(6);
    let id_w =
        super::findings::columns::rule_width(listed.iter().map(|rc| text::width(&esc(&rc.rule))));
    let fixed = id_w + 1 + 4 * (num_w + 1) + 2;
    let room = usize::from(inner.width).saturating_sub(fixed + NAME_MIN);
    let spark_w: usize = match room {
        r if r >= 30 => 30,
        r if r >= 10 => r,
        _ => 0,
    };
    let name_w = usize::from(inner.width)
        .saturating_sub(fixed + spark_w)
        .max(4);
    let head = format!(
        "{} {} {} {} {} {}  {}",
        text::fit(ui.t(Msg::Rule), id_w),
        text::fit(ui.t(Msg::Name), name_w),
        rpad(ui.t(Msg::OpenCol), num_w),
        rpad(ui.t(Msg::NewCol), num_w),
        rpad(ui.t(Msg::SuppressedCol), num_w),
        rpad(ui.t(Msg::ClosedCol), num_w),
        if spark_w > 0 { ui.t(Msg::Trend30) } else { "" },
    );
    let rows_h = inner.height.saturating_sub(1);
    f.render_widget(
        Paragraph::new(Span::styled(
            cut(&head, usize::from(inner.width)),
            ui.theme.title(),
        )),
        Rect::new(inner.x, inner.y, inner.width, 1),
    );
    if d.rules.is_empty() {
        f.render_widget(
            Paragraph::new(ui.t(Msg::NoScanYet)),
            Rect::new(inner.x, inner.y + 1, inner.width, rows_h),
        );
        return;
    }
    let start = scroll_start(s.rule_cursor, usize::from(rows_h));
    for (row, (i, rc)) in rules_by_activity(ui.shared)
        .into_iter()
        .enumerate()
        .skip(start)
        .take(usize::from(rows_h))
        .enumerate()
    {
        let y = inner.y + 1 + row as u16;
        // Site rules' names come from the dataset: escaped like any text of it.
        let name = ui
            .shared
            .dashboard
            .as_ref()
            .and_then(|d| d.directory.name(&rc.rule, zh))
            .map(esc)
            // An external rule without a name: its id after `EXT:` (the id column cuts it).
            .unwrap_or_else(|| esc(rc.rule.split_once(':').map_or("", |(_, rest)| rest)));
        let sel = focused && i == s.rule_cursor;
        let style = if sel {
            ui.theme.selected()
        } else {
            ratatui::style::Style::new()
        };
        let line = format!(
            "{} {} {:>num_w$} {:>num_w$} {:>num_w$} {:>num_w$}  ",
            text::fit(&esc(&rc.rule), id_w),
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
        if lw < inner.width && spark_w > 0 {
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
                    .bar_set(ui.theme.bars())
                    .style(ui.theme.chart()),
                Rect::new(inner.x + lw, y, sw, 1),
            );
        }
    }
}

fn draw_tickets(f: &mut Frame, s: &Dashboard, ui: &Ui, area: Rect) {
    let focused = s.panel() == Panel::Tickets;
    let b = block(ui.theme, ui.t(Msg::TicketQueues), focused);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let Some(summary) = &ui.shared.tickets else {
        let (m, st) = match &ui.shared.tickets_error {
            Some(e) => (e.clone(), ui.theme.error()),
            None => (ui.t(Msg::Loading).to_string(), ratatui::style::Style::new()),
        };
        f.render_widget(Paragraph::new(Span::styled(m, st)), inner);
        return;
    };
    let lang = ui.lang();
    let n = |k: &str| count(summary.counts.get(k).copied().unwrap_or(0));
    // "overdue" is the summary's count of late open tickets, not a state. `reviewed` (the
    // first of two reviews passed) only when there are such tickets; the parts go closer
    // together when they would not fit, so that the overdue count is never cut off.
    let parts = [
        "overdue",
        T::Dispatched.as_str(),
        T::Rectifying.as_str(),
        T::Submitted.as_str(),
        T::Reviewed.as_str(),
        T::Returned.as_str(),
    ]
    .iter()
    .filter(|k| **k != T::Reviewed.as_str() || summary.counts.get(**k).is_some_and(|c| *c > 0))
    .map(|k| format!("{} {}", i18n::ticket_state(lang, k), n(k)))
    .collect::<Vec<_>>();
    let w = usize::from(inner.width);
    // The counts never cut: the overdue one first, and what does not fit on the first line
    // goes on a second.
    let mut heads: Vec<String> = vec![String::new()];
    for p in &parts {
        let cur = heads.last_mut().expect("one line at least");
        if cur.is_empty() {
            cur.push_str(p);
        } else if text::width(cur) + 3 + text::width(p) <= w {
            cur.push_str(" · ");
            cur.push_str(p);
        } else {
            heads.push(p.clone());
        }
    }
    let mut lines: Vec<Line> = heads
        .iter()
        .map(|h| Line::from(Span::styled(cut(h, w), ui.theme.title())))
        .collect();
    lines.extend(escalation::units_line(ui, w));
    // Overdue inspections (现场稽查), a line of their own when there are some.
    if let Some(c) = summary
        .counts
        .get("inspections_overdue")
        .filter(|c| **c > 0)
    {
        let word = crate::i18n::inspections::InspWord::OverdueInspections.text(lang);
        let line = cut(&format!("{word} {}", count(*c)), w);
        lines.push(Line::from(Span::styled(line, ui.theme.error())));
    }
    if summary.queue.is_empty() {
        lines.push(Line::from(ui.t(Msg::NoOpenTickets)));
    }
    let rows = usize::from(inner.height).saturating_sub(lines.len());
    let start = scroll_start(s.ticket_cursor, rows);
    let soon = (ui.ctx.today + chrono::Days::new(3)).to_string();
    for (i, t) in summary.queue.iter().enumerate().skip(start).take(rows) {
        let sel = focused && i == s.ticket_cursor;
        let base = if sel {
            ui.theme.selected()
        } else {
            ratatui::style::Style::new()
        };
        lines.push(queue_line(ui, t, &soon, w, base));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// `LATE JC-20261102-001 unit  state  due 2026-11-09`: the urgency is a word, not a colour.
fn queue_line(
    ui: &Ui,
    t: &crate::tickets::Ticket,
    soon: &str,
    w: usize,
    base: ratatui::style::Style,
) -> Line<'static> {
    let lang = ui.lang();
    let mark_w = text::width(ui.t(Msg::OverdueMark)).max(text::width(ui.t(Msg::SoonMark)));
    let (mark, mstyle) = if t.overdue {
        (ui.t(Msg::OverdueMark), ui.theme.error())
    } else if t.due_on.as_str() <= soon {
        (ui.t(Msg::SoonMark), ui.theme.key())
    } else {
        ("", ratatui::style::Style::new())
    };
    let state_w = T::OPEN
        .iter()
        .map(|k| text::width(i18n::ticket_state(lang, k)))
        .max()
        .unwrap_or(10);
    let due = format!("{} {}", ui.t(Msg::Due), esc(&t.due_on));
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
