//! 白名单: active, awaiting approval, expiring within 7 days, history; entries are added by
//! typing a customer, a rule and a number of days, then extended, revoked or approved. The
//! list is small (an entry per customer and rule), so it is read on this thread.

use super::{list_delta, step, Cx, Invalid, Screen, Ui};
use crate::actions::Action as Op;
use crate::findings::Filter;
use crate::text::{self, escape};
use crate::ui::dialog::{Confirm, Editor, Prompt, Value};
use crate::ui::find::{self, Find, Listing};
use crate::ui::i18n::{self, Msg};
use crate::ui::keymap::{Action, Context};
use crate::ui::render::columns::{fit, pad, Spec};
use crate::ui::render::{block, esc};
use crate::ui::worker::Change;
use crate::ui::write::Write;
use crate::whitelist::{self, Entry, View};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use std::any::Any;

/// The views, in the order the view key (and Tab) cycles through them.
pub const WL_VIEWS: [View; 4] = [View::Active, View::Pending, View::Expiring, View::History];

pub struct Whitelist {
    pub view: View,
    pub entries: Vec<Entry>,
    pub cursor: usize,
    pub error: Option<String>,
    /// The view as read; `entries` is what the search (`find`) keeps of it.
    all: Vec<Entry>,
    pub find: Find,
}

impl Default for Whitelist {
    fn default() -> Whitelist {
        Whitelist {
            view: View::Active,
            entries: Vec::new(),
            cursor: 0,
            error: None,
            all: Vec::new(),
            find: Find::default(),
        }
    }
}

/// The entries as a list the search filters.
fn listing<'a>(
    all: &'a [Entry],
    shown: &'a mut Vec<Entry>,
    cursor: &'a mut usize,
) -> Listing<'a, Entry> {
    Listing {
        all,
        shown,
        cursor,
        same: |a, b| a.id == b.id,
    }
}

/// What this screen's dialogs are for: adding an entry asks customer → rule → days → reason.
#[derive(Debug, Clone)]
pub enum Ask {
    Customer,
    Rule {
        cust_no: String,
    },
    Days {
        rule: String,
        cust_no: String,
    },
    Reason {
        rule: String,
        cust_no: String,
        days: Option<i64>,
    },
    ExtendDays {
        id: i64,
        version: i64,
    },
    ExtendReason {
        id: i64,
        version: i64,
        days: i64,
    },
    RevokeReason {
        id: i64,
        version: i64,
    },
}

impl Whitelist {
    fn load(&mut self, cx: &Cx) {
        match whitelist::list(&cx.ds.conn, self.view, cx.ctx.today) {
            Ok(e) => {
                self.all = e;
                listing(&self.all, &mut self.entries, &mut self.cursor)
                    .refilter(&self.find, cx.lang());
                self.error = None;
            }
            Err(e) => self.error = Some(escape(&e.to_string()).into_owned()),
        }
        self.cursor = self.cursor.min(self.entries.len().saturating_sub(1));
    }

    fn set_view(&mut self, view: View, cx: &Cx) {
        self.view = view;
        self.cursor = 0;
        self.entries.clear();
        self.load(cx);
    }

    /// The view `by` steps along `WL_VIEWS` (wrapping).
    fn view_after(&self, by: usize) -> View {
        let i = WL_VIEWS.iter().position(|v| *v == self.view).unwrap_or(0);
        WL_VIEWS[(i + by) % WL_VIEWS.len()]
    }

    fn current(&self) -> Option<&Entry> {
        self.entries.get(self.cursor)
    }
}

fn parse_days(s: &str) -> Option<i64> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=365).contains(d))
}

/// The change a whitelist key leads to, for the role check at the key.
fn key_op(a: Action) -> Op {
    match a {
        Action::WlExtend => Op::WhitelistExtend {
            id: 0,
            days: 1,
            reason: String::new(),
        },
        Action::WlRevoke => Op::WhitelistRevoke {
            id: 0,
            reason: String::new(),
        },
        Action::WlApprove => Op::WhitelistApprove { id: 0 },
        _ => Op::WhitelistAdd {
            rule: String::new(),
            cust_no: String::new(),
            reason: String::new(),
            days: None,
        },
    }
}

/// The days typed for a new entry (none: the default), refused in the prompt when they are
/// not a number of days or beyond the freeze period's limit, before the reason is typed.
fn entry_days(cx: &Cx, value: &str) -> Result<Option<i64>, Invalid> {
    if value.is_empty() {
        return Ok(None);
    }
    let Some(d) = parse_days(value) else {
        return Err(Invalid::from(cx.t(Msg::BadDays)));
    };
    let max = cx.shared.thresholds.int("whitelist_max_days");
    if d > max {
        let why = crate::i18n::refusals::WhitelistWrong::FreezePeriod { max, days: d };
        return Err(Invalid::from(why.text(cx.lang())));
    }
    Ok(Some(d))
}

/// Refuses a 户号 the dataset has no customer for, in the prompt (escaped: it is typed text).
fn known_customer(cx: &Cx, cust_no: &str) -> Result<(), Invalid> {
    use rusqlite::OptionalExtension;
    let found = cx
        .ds
        .conn
        .query_row(
            "SELECT 1 FROM customers WHERE cust_no = ?1",
            [cust_no],
            |_| Ok(()),
        )
        .optional();
    match found {
        Ok(Some(())) => Ok(()),
        Ok(None) => {
            let why = crate::i18n::refusals::WhitelistWrong::NoCustomer {
                cust_no: cust_no.to_string(),
            };
            Err(Invalid::from(escape(&why.text(cx.lang())).into_owned()))
        }
        Err(e) => Err(Invalid::from(e.to_string())),
    }
}

fn prompt(cx: &mut Cx, title: Msg, initial: Option<&str>, ask: Ask) {
    let title = cx.t(title).to_string();
    cx.dialog(Prompt::new(title, initial.map(str::to_string), ask));
}

impl Screen for Whitelist {
    fn context(&self) -> Context {
        Context::Whitelist
    }

    fn hints(&self) -> &'static [Action] {
        &[
            Action::WlView,
            Action::WlAdd,
            Action::WlExtend,
            Action::WlRevoke,
            Action::WlApprove,
            Action::Help,
        ]
    }

    fn on_action(&mut self, a: Action, cx: &mut Cx) {
        if let Some(delta) = list_delta(a, cx.page) {
            self.cursor = step(self.cursor, delta, self.entries.len());
            return;
        }
        let list = listing(&self.all, &mut self.entries, &mut self.cursor);
        if find::act(&mut self.find, a, list, cx) {
            return;
        }
        match a {
            Action::WlView | Action::NextPanel => self.set_view(self.view_after(1), cx),
            Action::PrevPanel => self.set_view(self.view_after(WL_VIEWS.len() - 1), cx),
            Action::WlAdd | Action::WlExtend | Action::WlRevoke | Action::WlApprove
                if !super::triage::may(&key_op(a), cx) => {}
            Action::WlAdd => prompt(cx, Msg::PromptWlCustomer, None, Ask::Customer),
            Action::WlExtend => {
                if let Some(e) = self.current() {
                    let ask = Ask::ExtendDays {
                        id: e.id,
                        version: e.version,
                    };
                    prompt(cx, Msg::PromptExtendDays, Some("90"), ask);
                }
            }
            Action::WlRevoke => {
                if let Some(e) = self.current() {
                    let title = format!("{} — #{}", cx.t(Msg::EditRevokeReason), e.id);
                    let ask = Ask::RevokeReason {
                        id: e.id,
                        version: e.version,
                    };
                    cx.dialog(Editor::new(title, ask));
                }
            }
            Action::WlApprove => {
                if let Some(e) = self.current() {
                    let question = i18n::approve_question(cx.lang(), e.id);
                    let change =
                        Change::one(Op::WhitelistApprove { id: e.id }, vec![(e.id, e.version)]);
                    cx.dialog(Confirm::new(question, Write::new(change)));
                }
            }
            Action::Back => cx.back(),
            _ => {}
        }
    }

    fn reply(&mut self, tag: &dyn Any, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
        let (Some(ask), Value::Text(text)) = (tag.downcast_ref::<Ask>(), value) else {
            return Ok(());
        };
        let value = text.trim().to_string();
        match ask.clone() {
            Ask::Customer => {
                if value.is_empty() {
                    return Err(Invalid::from(cx.t(Msg::NeedCustomer)));
                }
                // The customer is checked here, before the rule, the days and the reason are
                // typed for an entry that would be refused.
                known_customer(cx, &value)?;
                prompt(
                    cx,
                    Msg::PromptWlRule,
                    Some("*"),
                    Ask::Rule { cust_no: value },
                );
            }
            Ask::Rule { cust_no } => {
                let rule = if value.is_empty() {
                    "*".to_string()
                } else if value == "*" {
                    value
                } else {
                    value.to_ascii_uppercase()
                };
                if rule != "*" {
                    let f = Filter {
                        rule: Some(rule.clone()),
                        ..Filter::default()
                    };
                    if let Err(e) = f.validate() {
                        return Err(Invalid::from(escape(&e.text(cx.ctx.lang)).into_owned()));
                    }
                }
                prompt(cx, Msg::PromptDays, Some("90"), Ask::Days { rule, cust_no });
            }
            Ask::Days { rule, cust_no } => {
                let days = entry_days(cx, &value)?;
                let title = format!(
                    "{} — {} {} {}",
                    cx.t(Msg::EditWlReason),
                    escape(&rule),
                    escape(&cust_no),
                    days.map(|d| format!("{d}d")).unwrap_or_default()
                );
                cx.dialog(Editor::new(
                    title,
                    Ask::Reason {
                        rule,
                        cust_no,
                        days,
                    },
                ));
            }
            Ask::Reason {
                rule,
                cust_no,
                days,
            } => {
                let op = Op::WhitelistAdd {
                    rule,
                    cust_no,
                    reason: value,
                    days,
                };
                cx.perform(Write::new(Change::one(op, Vec::new())));
            }
            Ask::ExtendDays { id, version } => {
                let Some(days) = parse_days(&value) else {
                    return Err(Invalid::from(cx.t(Msg::BadDays)));
                };
                let title = format!("{} — #{id} +{days}d", cx.t(Msg::EditExtendReason));
                cx.dialog(Editor::new(title, Ask::ExtendReason { id, version, days }));
            }
            Ask::ExtendReason { id, version, days } => {
                let op = Op::WhitelistExtend {
                    id,
                    days,
                    reason: value,
                };
                cx.perform(Write::new(Change::one(op, vec![(id, version)])));
            }
            Ask::RevokeReason { id, version } => {
                // Revoking brings suppressed findings back into the queues: ask first.
                let question = i18n::revoke_question(cx.lang(), id);
                let op = Op::WhitelistRevoke { id, reason: value };
                let write = Write::new(Change::one(op, vec![(id, version)]));
                cx.dialog(Confirm::new(question, write));
            }
        }
        Ok(())
    }

    /// Entries are few: read again on every refresh, shown or not (the header counts and
    /// other screens' changes touch them).
    fn refresh(&mut self, _shown: bool, cx: &mut Cx) {
        self.load(cx);
    }

    fn message(&mut self, msg: Box<dyn Any>, cx: &mut Cx) {
        let list = listing(&self.all, &mut self.entries, &mut self.cursor);
        find::typed(&mut self.find, msg.as_ref(), list, cx.lang());
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let [tabs, list, info] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(4),
            Constraint::Length(5),
        ])
        .areas(area);
        self.draw_tabs(f, tabs, ui);
        self.draw_list(f, list, ui);
        self.draw_entry(f, info, ui);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

fn view_name(v: View) -> Msg {
    match v {
        View::Active => Msg::WlActive,
        View::Pending => Msg::WlPending,
        View::Expiring => Msg::WlExpiringView,
        View::History => Msg::WlHistory,
    }
}

impl Whitelist {
    fn draw_tabs(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let mut spans = vec![Span::styled(
            format!("{} ", ui.keymap.hint(Action::WlView)),
            ui.theme.key(),
        )];
        for v in WL_VIEWS {
            let cur = v == self.view;
            let label = if cur {
                format!("[{}]", ui.t(view_name(v)))
            } else {
                format!(" {} ", ui.t(view_name(v)))
            };
            let style = if cur {
                ui.theme.selected()
            } else {
                Style::new()
            };
            spans.push(Span::styled(label, style));
        }
        f.render_widget(Paragraph::new(Line::from(spans)), area);
    }

    fn draw_list(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let title = format!("{}{}", ui.t(Msg::Whitelist), find::title(&self.find));
        let b = block(ui.theme, &title, true);
        let inner = b.inner(area);
        f.render_widget(b, area);
        if let Some(e) = &self.error {
            f.render_widget(
                Paragraph::new(Span::styled(e.clone(), ui.theme.error())),
                inner,
            );
            return;
        }
        let lang = ui.lang();
        let rows = usize::from(inner.height.saturating_sub(1));
        let start = if rows == 0 {
            0
        } else {
            self.cursor.saturating_sub(rows - 1)
        };
        let shown: Vec<[String; 8]> = self
            .entries
            .iter()
            .skip(start)
            .take(rows)
            .map(|e| {
                // First line of the reason only: the panel below shows all of it.
                let reason = e.reason.lines().next().unwrap_or("");
                [
                    e.id.to_string(),
                    esc(&e.rule),
                    esc(&e.cust_no),
                    i18n::wl_state(lang, &e.state).to_string(),
                    esc(&e.starts_on),
                    esc(&e.expires_on),
                    esc(&e.author),
                    esc(reason),
                ]
            })
            .collect();
        let heads = [
            "#",
            ui.t(Msg::Rule),
            ui.t(Msg::CustNo),
            ui.t(Msg::State),
            ui.t(Msg::Starts),
            ui.t(Msg::Expires),
            ui.t(Msg::Author),
            ui.t(Msg::Reason),
        ];
        let state_w = ["active", "pending", "expired", "revoked", "scheduled"]
            .iter()
            .map(|s| text::width(i18n::wl_state(lang, s)))
            .max()
            .unwrap_or(9);
        // The 户号 is what an entry covers: whole at every width, like the dates and the
        // number. The start date only where there is room: the reason matters more at 80.
        let specs: Vec<Spec> = (0..8)
            .map(|i| {
                let cells = shown.iter().map(|r| text::width(&r[i]));
                let head = text::width(heads[i]);
                match i {
                    0 => Spec::figure(cells, head, 20),
                    1 => Spec::figure(cells, head, 18),
                    2 => Spec::figure(cells, head, 19),
                    3 => Spec::figure([state_w], head, 17),
                    4 => Spec::figure(cells, head, 5),
                    5 => Spec::figure(cells, head, 16),
                    6 => Spec::text(cells, head, 6, 1, 8),
                    _ => Spec::text(cells, head, 8, 4, 10),
                }
            })
            .collect();
        let mut widths = fit(&specs, usize::from(inner.width));
        if inner.width < 100 {
            widths[4] = None;
            // What the start date left goes to the reason.
            let used: usize = widths.iter().flatten().sum::<usize>()
                + widths.iter().flatten().count().saturating_sub(1);
            if let Some(w) = &mut widths[7] {
                *w += usize::from(inner.width).saturating_sub(used);
            }
        }
        let line = |cells: &[&str]| -> String {
            cells
                .iter()
                .zip(&widths)
                .enumerate()
                .filter_map(|(i, (c, w))| w.map(|w| pad(c, w, i == 0)))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut lines = vec![Line::from(Span::styled(line(&heads), ui.theme.title()))];
        if self.entries.is_empty() {
            lines.push(Line::from(ui.t(Msg::NoEntries)));
        }
        for (i, cells) in shown.iter().enumerate() {
            let style = if start + i == self.cursor {
                ui.theme.selected()
            } else {
                Style::new()
            };
            let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
            lines.push(Line::from(Span::styled(line(&cells), style)));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }

    /// The selected entry: its whole reason and its history.
    fn draw_entry(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let lang = ui.lang();
        let sel = self.current();
        let title = sel.map(|e| format!("#{}", e.id)).unwrap_or_default();
        let b = block(ui.theme, &title, false);
        let inner = b.inner(area);
        f.render_widget(b, area);
        let Some(e) = sel else { return };
        let mut lines = vec![Line::from(format!(
            "{}: {}",
            ui.t(Msg::Reason),
            esc(&e.reason)
        ))];
        let o = |v: &Option<String>| v.as_deref().map(esc).unwrap_or_default();
        let mut facts = vec![i18n::wl_period(
            lang,
            &esc(&e.starts_on),
            &esc(&e.expires_on),
        )];
        if let Some(a) = &e.approved_by {
            facts.push(i18n::wl_approved(lang, &esc(a)));
        }
        if let Some(r) = &e.requested_expires_on {
            facts.push(i18n::wl_requested(lang, &esc(r), &o(&e.requested_by)));
        }
        if let Some(r) = &e.revoked_on {
            facts.push(i18n::wl_revoked(
                lang,
                &esc(r),
                &o(&e.revoked_by),
                &o(&e.revoke_reason),
            ));
        }
        lines.push(Line::from(facts.join(" · ")));
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
    }
}
