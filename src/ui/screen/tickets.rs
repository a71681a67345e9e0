//! 工单: the queues by state, each a list read on the query thread; Enter opens a ticket's
//! page, and the transition keys act on the ticket under the cursor (`ticket_actions`). The
//! counts on the queue tabs are the router's ticket summary (`Shared::tickets`).

use super::{list_delta, step, ticket_actions, Arg, Cx, Invalid, Screen, ScreenId, Ui};
use crate::states::TicketState as T;
use crate::text::{self, escape};
use crate::tickets::{self, Ticket};
use crate::ui::dialog::Value;
use crate::ui::find::{self, Find, Listing};
use crate::ui::i18n::{self, Msg};
use crate::ui::keymap::{Action, Context};
use crate::ui::loader::Loaded;
use crate::ui::render::{block, count, cut, esc, rpad};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use std::any::Any;

/// The queues, in the order the view key cycles through them.
/// "open" and "overdue" are the queues of every open and every late ticket (tickets::list).
pub const TK_VIEWS: [&str; 10] = [
    "open",
    T::Dispatched.as_str(),
    T::Rectifying.as_str(),
    T::Submitted.as_str(),
    T::Reviewed.as_str(),
    T::Returned.as_str(),
    T::Approved.as_str(),
    T::Archived.as_str(),
    T::Cancelled.as_str(),
    "overdue",
];

/// What another screen asks of the list (`cx.send`).
pub enum TicketsMsg {
    /// The ticket page's view key: show the next queue.
    NextView,
}

#[derive(Default)]
pub struct Tickets {
    pub view: usize,
    /// The queue shown; None until the query thread answers for this view.
    pub rows: Option<Vec<Ticket>>,
    pub error: Option<String>,
    pub cursor: usize,
    /// Keep the cursor on this ticket when the list is answered again.
    focus: Option<i64>,
    /// `review_levels` as last read: which review keys the footer offers.
    pub levels: i64,
    /// The queue as read; `rows` is what the search (`find`) keeps of it.
    all: Vec<Ticket>,
    pub find: Find,
}

impl Tickets {
    pub fn view_name(&self) -> &'static str {
        TK_VIEWS[self.view % TK_VIEWS.len()]
    }

    pub fn current(&self) -> Option<&Ticket> {
        self.rows.as_ref()?.get(self.cursor)
    }

    /// The queue shown; `keep` holds the cursor on the same ticket.
    fn request(&mut self, keep: bool, cx: &mut Cx) {
        self.focus = if keep {
            self.current().map(|t| t.id)
        } else {
            None
        };
        if !keep {
            self.rows = None;
            self.cursor = 0;
        }
        // One small read: which review keys the footer offers.
        if let Ok(levels) = tickets::review_levels(&cx.ds.conn) {
            self.levels = levels;
        }
        let view = self.view_name();
        let today = cx.ctx.today;
        cx.load("list", move |ds| {
            // The open queue in work order; the others oldest first.
            if view == "open" {
                tickets::queue(&ds.conn, today)
            } else {
                tickets::list(&ds.conn, Some(view), today)
            }
        });
    }

    /// Another queue, `by` steps on (wrapping).
    fn move_view(&mut self, by: usize, cx: &mut Cx) {
        self.view = (self.view + by) % TK_VIEWS.len();
        self.request(false, cx);
    }
}

impl Screen for Tickets {
    fn context(&self) -> Context {
        Context::Tickets
    }

    fn hints(&self) -> &'static [Action] {
        let state = self.current().map(|t| t.state);
        ticket_actions::keys(state, self.levels, ticket_actions::Then::List)
    }

    fn on_action(&mut self, a: Action, cx: &mut Cx) {
        if let Some(delta) = list_delta(a, cx.page) {
            let n = self.rows.as_ref().map_or(0, Vec::len);
            self.cursor = step(self.cursor, delta, n);
            return;
        }
        if let Some(shown) = self.rows.as_mut() {
            let list = Listing {
                all: &self.all,
                shown,
                cursor: &mut self.cursor,
                same: |a, b| a.id == b.id,
            };
            if find::act(&mut self.find, a, list, cx) {
                return;
            }
        }
        if a == Action::Copy {
            let number = self.current().map(|t| t.number.clone());
            return crate::ui::cmdline::copy_ticket(number, cx);
        }
        match a {
            // Tab walks the queues as it walks the whitelist's views.
            Action::TkView | Action::NextPanel => self.move_view(1, cx),
            Action::PrevPanel => self.move_view(TK_VIEWS.len() - 1, cx),
            Action::Open => {
                if let Some(t) = self.current() {
                    cx.go(ScreenId::Ticket, Arg::Ticket(t.number.clone()));
                }
            }
            Action::Back => cx.back(),
            _ => {
                if let Some(t) = self.current() {
                    ticket_actions::start(a, t, cx);
                }
            }
        }
    }

    fn loaded(&mut self, slot: &'static str, answer: Loaded, cx: &mut Cx) {
        if slot != "list" {
            return;
        }
        match answer.take::<Vec<Ticket>>() {
            Ok(all) => {
                let rows = self.find.keep(&all, cx.lang());
                self.all = all;
                let focus = self.focus.take();
                if let Some(pos) = focus.and_then(|id| rows.iter().position(|t| t.id == id)) {
                    self.cursor = pos;
                }
                self.cursor = self.cursor.min(rows.len().saturating_sub(1));
                self.rows = Some(rows);
                self.error = None;
            }
            Err(e) => {
                self.rows = Some(Vec::new());
                self.error = Some(escape(&e).into_owned());
            }
        }
    }

    fn reply(&mut self, tag: &dyn Any, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
        ticket_actions::reply(tag, value, cx)
    }

    /// The queue is read again on every refresh, shown or not: the dashboard's ticket panel
    /// leads here and the list must be current when it is gone to.
    fn refresh(&mut self, _shown: bool, cx: &mut Cx) {
        self.request(true, cx);
    }

    fn message(&mut self, msg: Box<dyn Any>, cx: &mut Cx) {
        let lang = cx.lang();
        if let Some(shown) = self.rows.as_mut() {
            let list = Listing {
                all: &self.all,
                shown,
                cursor: &mut self.cursor,
                same: |a, b| a.id == b.id,
            };
            if find::typed(&mut self.find, msg.as_ref(), list, lang) {
                return;
            }
        }
        if let Ok(m) = msg.downcast::<TicketsMsg>() {
            match *m {
                TicketsMsg::NextView => self.move_view(1, cx),
            }
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let [tabs, list] =
            Layout::vertical([Constraint::Length(2), Constraint::Min(3)]).areas(area);
        self.draw_tabs(f, tabs, ui);
        self.draw_list(f, list, ui);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

fn state_w(ui: &Ui) -> usize {
    crate::tickets::STATES
        .iter()
        .map(|s| text::width(i18n::ticket_state(ui.lang(), s)))
        .max()
        .unwrap_or(10)
}

fn mark_w(ui: &Ui) -> usize {
    text::width(ui.t(Msg::OverdueMark)).max(text::width(ui.t(Msg::SoonMark)))
}

/// The overdue / due-soon word for a ticket, with its style; empty for neither.
pub(super) fn urgency(ui: &Ui, t: &Ticket) -> (&'static str, Style) {
    let soon = (ui.ctx.today + chrono::Days::new(3)).to_string();
    let open = crate::tickets::OPEN_STATES.contains(&t.state.as_str());
    if t.overdue {
        (ui.t(Msg::OverdueMark), ui.theme.error())
    } else if open && t.due_on <= soon {
        (ui.t(Msg::SoonMark), ui.theme.key())
    } else {
        ("", Style::new())
    }
}

impl Tickets {
    fn draw_list(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let title = format!(
            "{} · {}{}",
            ui.t(Msg::Tickets),
            i18n::ticket_state(ui.lang(), self.view_name()),
            crate::ui::find::title(&self.find)
        );
        let b = block(ui.theme, &title, true);
        let inner = b.inner(area);
        f.render_widget(b, area);
        if let Some(e) = &self.error {
            f.render_widget(
                Paragraph::new(Span::styled(e.clone(), ui.theme.error())).wrap(Wrap { trim: true }),
                inner,
            );
            return;
        }
        let w = usize::from(inner.width);
        let wide = w >= 120;
        let (mw, sw) = (mark_w(ui), state_w(ui));
        // mark, number 15, state, unit (flex), [person 10, issued 10], due 10, findings 4,
        // [requirement (flex)].
        let fixed = mw + 1 + 15 + 1 + sw + 1 + 1 + 10 + 1 + 8 + if wide { 11 + 11 + 1 } else { 0 };
        let flex = w.saturating_sub(fixed);
        let (unit_w, req_w) = if wide {
            (flex * 2 / 5, flex - flex * 2 / 5)
        } else {
            (flex, 0)
        };
        let row = |cells: [&str; 9]| {
            let [mark, number, state, unit, person, issued, due, n, req] = cells;
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
            s.push_str(&format!("{} {}", text::fit(due, 10), rpad(n, 8)));
            if wide {
                s.push_str(&format!(" {}", text::fit(req, req_w)));
            }
            s
        };
        let head = row([
            "",
            ui.t(Msg::Number),
            ui.t(Msg::State),
            ui.t(Msg::RespUnit),
            ui.t(Msg::Person),
            ui.t(Msg::Issued),
            ui.t(Msg::Due),
            ui.t(Msg::Count),
            ui.t(Msg::Requirement),
        ]);
        let mut lines = vec![Line::from(Span::styled(cut(&head, w), ui.theme.title()))];
        match &self.rows {
            None => lines.push(Line::from(ui.t(Msg::Loading))),
            Some(rows) if rows.is_empty() => lines.push(Line::from(ui.t(Msg::NoTickets))),
            Some(rows) => {
                let page = usize::from(inner.height.saturating_sub(1));
                let start = if page == 0 {
                    0
                } else {
                    self.cursor.saturating_sub(page - 1)
                };
                for (i, t) in rows.iter().enumerate().skip(start).take(page) {
                    let base = if i == self.cursor {
                        ui.theme.selected()
                    } else {
                        Style::new()
                    };
                    let (mark, mstyle) = urgency(ui, t);
                    let req = t.requirement.lines().next().unwrap_or("");
                    let rest = row([
                        "",
                        &esc(&t.number),
                        i18n::ticket_state(ui.lang(), &t.state),
                        &esc(&t.unit),
                        &esc(t.person.as_deref().unwrap_or("-")),
                        &esc(&t.issued_on),
                        &esc(&t.due_on),
                        &count(t.findings as u64),
                        &esc(req),
                    ]);
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
    fn draw_tabs(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let lang = ui.lang();
        let counts = ui.shared.tickets.as_ref().map(|s| &s.counts);
        let mut spans = vec![Span::styled(
            format!("{} ", ui.keymap.hint(Action::TkView)),
            ui.theme.key(),
        )];
        for (i, v) in TK_VIEWS.iter().enumerate() {
            let n = counts
                .map(|c| count(c.get(*v).copied().unwrap_or(0)))
                .unwrap_or_else(|| "…".into());
            let cur = i == self.view;
            let label = if cur {
                format!("[{} {n}]", i18n::ticket_state(lang, v))
            } else {
                format!(" {} {n} ", i18n::ticket_state(lang, v))
            };
            let style = if cur {
                ui.theme.selected()
            } else {
                Style::new()
            };
            spans.push(Span::styled(label, style));
        }
        f.render_widget(
            Paragraph::new(Line::from(spans)).wrap(Wrap { trim: false }),
            area,
        );
    }
}
