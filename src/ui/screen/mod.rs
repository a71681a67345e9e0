//! Screens: one module each, owning its state, its keys, its loading and its drawing. A screen
//! never reaches into the router (`app.rs`): it reads what `Cx` lends it and asks for
//! everything else as an `Effect` (go to a screen, open a dialog, perform a change, …), which
//! the router applies after the call. See UI_MIGRATION.md for moving a screen here.

pub mod action_log;
pub mod admin;
pub mod campaigns;
pub mod campaigns_sample;
pub mod dashboard;
pub mod dashboard_escalation;
pub mod dashboard_view;
pub mod deductions;
pub mod deductions_draw;
pub mod detail;
pub mod detail_changes;
pub mod export;
pub mod findings;
pub mod import;
pub mod import_dirs;
pub mod import_draw;
pub mod inspections;
pub mod line_chart;
pub mod qc;
pub mod quality;
pub mod quality_drill;
pub mod quality_value;
pub mod reports;
pub mod rules;
pub mod theme;
pub mod ticket_actions;
pub mod ticket_page;
pub mod tickets;
pub mod triage;
pub mod views;
pub mod whitelist;

use super::dialog::Dialog;
use super::i18n::Msg;
use super::keymap::{Action, Context, Keymap};
use super::loader::{job, LoadKey, Loaded, Loader, Owner};
use super::theme::Theme;
use super::worker::TicketSummary;
use super::write::Write;
use crate::context::{Ctx, Lang};
use crate::db::Dataset;
use crate::findings::Dashboard;
use crate::thresholds::Thresholds;
use ratatui::layout::Rect;
use ratatui::Frame;
use std::any::Any;

/// Every screen, as the router and the header name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScreenId {
    Dashboard,
    Findings,
    Detail,
    Rules,
    Whitelist,
    Tickets,
    /// One ticket's page.
    Ticket,
    Reports,
    /// 质量评价: the ranking, a unit's trend, a district's stations.
    Quality,
    /// What is behind one unit's score.
    QualityDrill,
    /// 主题分析
    Theme,
    /// 现场稽查: the list and one inspection's page.
    Inspections,
    /// 专项稽查: the campaigns and one campaign's progress per unit.
    Campaigns,
    /// 稽查质检 of a month.
    Qc,
    /// 操作日志: the action log and its verification.
    Log,
    /// 导入: an export directory imported in the background.
    Import,
    /// 扣分: one unit's deductions at dispatch (quality screen `d`).
    Deductions,
    /// 阀值: every rule parameter; an admin edits one.
    Thresholds,
    /// 操作员: the operators; an admin adds one or changes a role.
    Operators,
    /// 组织机构: the unit tree with each unit's open findings and tickets.
    Units,
    /// 自定义规则: every rule with its source; an admin enables or disables a site rule.
    SiteRules,
}

/// What a screen is opened with (`Effect::Go`); `None` keeps what it showed.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    None,
    /// One finding (the detail screen).
    Finding(i64),
    /// One ticket by number (the ticket page).
    Ticket(String),
    /// The findings of one rule (the findings screen).
    Rule(String),
    /// One unit in one period (the quality drill-down).
    Unit(String, crate::quality::Period),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Error,
}

/// What a screen or a dialog asks the router to do.
pub enum Effect {
    Go(ScreenId, Arg),
    Back,
    Dialog(Box<dyn Dialog>),
    /// A change for the writer thread; the router refuses it while another is written.
    Perform(Write),
    /// A status line; the router escapes the text.
    Status(Tone, String),
    Load(LoadKey, super::worker::JobFn),
    /// A message for another screen (`Screen::message`), e.g. the quality drill-down telling
    /// the ranking that the period moved. The receiver downcasts it to its own type.
    Send(ScreenId, Box<dyn Any>),
    /// Everything again (what another operator may have changed).
    Refresh,
    Quit,
    /// A key action the router runs as if its key were pressed (the `:` command line).
    Do(Action),
    /// Text for the clipboard (OSC 52 where the terminal takes it) and the status line, with
    /// what it is (户号, ticket number).
    Copy(String, String),
}

/// Data the header and several screens show, loaded by the router (not any screen's state).
#[derive(Default)]
pub struct Shared {
    pub dashboard: Option<Dashboard>,
    pub dashboard_error: Option<String>,
    /// The dashboard's ticket queue and the tickets screen's counts.
    pub tickets: Option<TicketSummary>,
    pub tickets_error: Option<String>,
    pub thresholds: Thresholds,
}

impl Shared {
    pub const DASHBOARD: LoadKey = LoadKey {
        owner: Owner::Shared,
        slot: "dashboard",
    };
    pub const TICKETS: LoadKey = LoadKey {
        owner: Owner::Shared,
        slot: "tickets",
    };
}

/// What a screen may read while it handles a key, an answer or a refresh, and where its
/// effects go. Small reads (a page of rows, one finding) may use `ds` on this thread.
pub struct Cx<'a> {
    pub ds: &'a Dataset,
    pub ctx: &'a Ctx,
    pub keymap: &'a Keymap,
    pub shared: &'a Shared,
    pub loader: &'a Loader,
    /// Rows of a list that fit on screen (the findings layout).
    pub page: usize,
    /// A change is being written: keys that start another are refused by the router first.
    pub writing: bool,
    /// The screen this call is for: its loads are keyed by it.
    pub me: ScreenId,
    pub effects: Vec<Effect>,
}

impl Cx<'_> {
    pub fn lang(&self) -> Lang {
        self.ctx.lang
    }
    pub fn t(&self, m: Msg) -> &'static str {
        m.text(self.ctx.lang)
    }
    pub fn go(&mut self, s: ScreenId, arg: Arg) {
        self.effects.push(Effect::Go(s, arg));
    }
    pub fn back(&mut self) {
        self.effects.push(Effect::Back);
    }
    pub fn dialog(&mut self, d: impl Dialog + 'static) {
        self.effects.push(Effect::Dialog(Box::new(d)));
    }
    /// Opens a dialog already boxed (one a dialog kept to go back to).
    pub fn dialog_boxed(&mut self, d: Box<dyn Dialog>) {
        self.effects.push(Effect::Dialog(d));
    }
    pub fn perform(&mut self, w: Write) {
        self.effects.push(Effect::Perform(w));
    }
    pub fn info(&mut self, text: impl Into<String>) {
        self.effects.push(Effect::Status(Tone::Info, text.into()));
    }
    pub fn error(&mut self, text: impl Into<String>) {
        self.effects.push(Effect::Status(Tone::Error, text.into()));
    }
    pub fn refresh(&mut self) {
        self.effects.push(Effect::Refresh);
    }
    /// Tells screen `to` something (`Screen::message`).
    pub fn send(&mut self, to: ScreenId, msg: impl Any) {
        self.effects.push(Effect::Send(to, Box::new(msg)));
    }
    pub fn quit(&mut self) {
        self.effects.push(Effect::Quit);
    }
    /// Runs key action `a` after this call, as if its key were pressed.
    pub fn push_key(&mut self, a: Action) {
        self.effects.push(Effect::Do(a));
    }
    /// Copies `text` (what it is: `what`) to the clipboard.
    pub fn copy(&mut self, what: &str, text: &str) {
        self.effects
            .push(Effect::Copy(what.to_string(), text.to_string()));
    }
    /// Runs `f` on the loader's thread; its answer comes back to `Screen::loaded` with the
    /// same slot, unless a newer request for the slot overtook it.
    pub fn load<T, F>(&mut self, slot: &'static str, f: F)
    where
        T: Send + 'static,
        F: FnOnce(&Dataset) -> crate::Result<T> + Send + 'static,
    {
        let key = self.key(slot);
        self.effects.push(Effect::Load(key, job(f)));
    }
    /// Whether `slot` of this screen is asked and not answered yet.
    pub fn loading(&self, slot: &'static str) -> bool {
        self.loader.loading(self.key(slot))
    }
    fn key(&self, slot: &'static str) -> LoadKey {
        LoadKey {
            owner: Owner::Screen(self.me),
            slot,
        }
    }
}

/// What drawing may read: pure, no queries.
pub struct Ui<'a> {
    pub ctx: &'a Ctx,
    pub keymap: &'a Keymap,
    pub theme: &'a Theme,
    pub shared: &'a Shared,
    pub loader: &'a Loader,
    pub me: ScreenId,
}

impl Ui<'_> {
    pub fn lang(&self) -> Lang {
        self.ctx.lang
    }
    pub fn t(&self, m: Msg) -> &'static str {
        m.text(self.ctx.lang)
    }
    pub fn loading(&self, slot: &'static str) -> bool {
        self.loader.loading(LoadKey {
            owner: Owner::Screen(self.me),
            slot,
        })
    }
}

/// Why a dialog's answer is not taken: said in the dialog, which stays open.
#[derive(Debug, Clone)]
pub struct Invalid {
    pub message: String,
    /// The form field to go back to.
    pub field: Option<usize>,
}

impl From<String> for Invalid {
    fn from(message: String) -> Invalid {
        Invalid {
            message,
            field: None,
        }
    }
}

impl From<&str> for Invalid {
    fn from(message: &str) -> Invalid {
        Invalid::from(message.to_string())
    }
}

/// One screen. Only `context`, `hints`, `on_action` and `draw` are required.
pub trait Screen: Any {
    /// The keymap section of this screen's own keys (beside [global] and [list]).
    fn context(&self) -> Context;
    /// The keys shown in the status line, in order.
    fn hints(&self) -> &'static [Action];
    /// The header tab lit while this screen is shown (the detail lights the findings tab).
    fn tab(&self) -> Option<ScreenId> {
        None
    }
    /// Whether leaving this screen for another puts it on the back stack. The finding
    /// detail is not: from a ticket opened there, back leads to the list.
    fn remembered(&self) -> bool {
        true
    }
    /// Navigated to (`Effect::Go`), with what it is opened for.
    fn enter(&mut self, _arg: Arg, _cx: &mut Cx) {}
    /// A key of [list] or of the screen's own context (global keys are the router's).
    fn on_action(&mut self, a: Action, cx: &mut Cx);
    /// The answer of a `cx.load(slot, …)` that no newer request overtook.
    fn loaded(&mut self, _slot: &'static str, _answer: Loaded, _cx: &mut Cx) {}
    /// The answer of a dialog this screen opened, with the tag it gave it. `Err` keeps the
    /// dialog open with the message.
    fn reply(
        &mut self,
        _tag: &dyn Any,
        _value: super::dialog::Value,
        _cx: &mut Cx,
    ) -> Result<(), Invalid> {
        Ok(())
    }
    /// Load again; `shown` says whether this screen is on screen (costly reads only then).
    fn refresh(&mut self, _shown: bool, _cx: &mut Cx) {}
    /// A change was answered by the writer (`ok`): e.g. unmark what it applied to. Called on
    /// every screen before the refresh that follows every write.
    fn written(&mut self, _w: &Write, _ok: bool, _cx: &mut Cx) {}
    /// A message another screen sent with `cx.send(to, msg)`.
    fn message(&mut self, _msg: Box<dyn Any>, _cx: &mut Cx) {}
    /// After every event and tick: cheap upkeep such as fetching the visible rows.
    fn sync(&mut self, _cx: &mut Cx) {}
    /// Shared data arrived (dashboard counts, ticket summary): clamp cursors to it.
    fn shared_changed(&mut self, _shared: &Shared) {}
    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui);
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

/// How far a [list] key moves a cursor on a page of `page` rows; None for other keys.
pub fn list_delta(a: Action, page: usize) -> Option<i64> {
    Some(match a {
        Action::Up => -1,
        Action::Down => 1,
        Action::PageUp => -(page as i64),
        Action::PageDown => page as i64,
        Action::Top => i64::MIN / 2,
        Action::Bottom => i64::MAX / 2,
        _ => return None,
    })
}

/// A cursor moved by `delta` within `len` rows.
pub fn step(cur: usize, delta: i64, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    (cur as i64).saturating_add(delta).clamp(0, len as i64 - 1) as usize
}

/// The header's tabs, in order: the key that goes there, its name, the screen.
pub const TABS: [(Action, Msg, ScreenId); 8] = [
    (Action::GoDashboard, Msg::Dashboard, ScreenId::Dashboard),
    (Action::GoFindings, Msg::Findings, ScreenId::Findings),
    (Action::GoRules, Msg::Rules, ScreenId::Rules),
    (Action::GoWhitelist, Msg::Whitelist, ScreenId::Whitelist),
    (Action::GoTickets, Msg::Tickets, ScreenId::Tickets),
    (Action::GoReports, Msg::Reports, ScreenId::Reports),
    (Action::GoQuality, Msg::Quality, ScreenId::Quality),
    (Action::GoTheme, Msg::Themes, ScreenId::Theme),
];

/// The tab a global key goes to.
pub fn tab_of_key(a: Action) -> Option<ScreenId> {
    TABS.iter().find(|(k, _, _)| *k == a).map(|(_, _, s)| *s)
}

/// The screens moved into this module, each created once when the UI starts (`ctx` for a
/// screen whose first state depends on the business date). Adding a screen: its file,
/// `pub mod` above, and one line here.
pub fn all(ctx: &Ctx) -> Vec<(ScreenId, Box<dyn Screen>)> {
    vec![
        (
            ScreenId::Dashboard,
            Box::new(dashboard::Dashboard::default()),
        ),
        (ScreenId::Findings, Box::new(findings::Findings::default())),
        (ScreenId::Detail, Box::new(detail::Detail::default())),
        (ScreenId::Rules, Box::new(rules::Rules::default())),
        (
            ScreenId::Whitelist,
            Box::new(whitelist::Whitelist::default()),
        ),
        (ScreenId::Tickets, Box::new(tickets::Tickets::default())),
        (
            ScreenId::Ticket,
            Box::new(ticket_page::TicketPage::default()),
        ),
        (ScreenId::Reports, Box::new(reports::Reports::default())),
        (
            ScreenId::Quality,
            Box::new(quality::Quality::new(ctx.today)),
        ),
        (
            ScreenId::QualityDrill,
            Box::new(quality_drill::QualityDrill::new(ctx.today)),
        ),
        (ScreenId::Theme, Box::new(theme::ThemeScreen::default())),
        (
            ScreenId::Inspections,
            Box::new(inspections::Inspections::default()),
        ),
        (
            ScreenId::Campaigns,
            Box::new(campaigns::Campaigns::default()),
        ),
        (ScreenId::Qc, Box::new(qc::QcScreen::default())),
        (ScreenId::Log, Box::new(action_log::ActionLog::default())),
        (ScreenId::Import, Box::new(import::ImportScreen::default())),
        (
            ScreenId::Deductions,
            Box::new(deductions::Deductions::default()),
        ),
        (
            ScreenId::Thresholds,
            Box::new(admin::thresholds::ThresholdsScreen::default()),
        ),
        (
            ScreenId::Operators,
            Box::new(admin::operators::OperatorsScreen::default()),
        ),
        (
            ScreenId::Units,
            Box::new(admin::units::UnitsScreen::default()),
        ),
        (
            ScreenId::SiteRules,
            Box::new(admin::site_rules::SiteRulesScreen::default()),
        ),
    ]
}
