//! The router: it owns the screens, the open dialog, the loader, the writer and the status
//! line; it turns a key into an action of the keymap, hands it to the screen (or the dialog)
//! on top, and applies the effects they return. No terminal here: tests drive an `App` with
//! key events on a fixture dataset and look at the dataset afterwards.
//!
//! Screens not yet moved to `screen/` keep their state and keys here (the legacy part below
//! the router) until they are; the router falls back to it for them.
//!
//! Reads that touch few rows (the visible window of the list, one finding's detail, the
//! whitelist, thresholds) run on this thread; reads over the whole findings table go to the
//! worker. Every change goes to the worker's write thread (`Writer`) with the versions the
//! screen showed, so another operator's later change is never silently overwritten and a write
//! that waits for the dataset never freezes the screen. Marked findings are the targets of
//! every finding action while there are marks, always confirmed with their count.

use super::dialog::{self, Choice, Confirm, Dialog, DialogKind, Field, Form, Prompt, Value};
use super::i18n::{self, Msg};
use super::keymap::{Action as Key, Context, Keymap};
use super::loader::{LoadKey, Loaded, Loader, Owner};
use super::screen::{self as scr, Arg, Cx, Effect, Invalid, Shared, Ui};
pub use super::screen::{ScreenId, Tone};
use super::theme::Theme;
use super::worker::{
    Answer, Change, Job, Refusal, Request, ScanFn, TicketSummary, WriteAnswer, WriteRequest, Writer,
};
pub use super::write::{Pending, Targets, Write};
use crate::actions::Action as Op;
use crate::context::Ctx;
use crate::db::Dataset;
use crate::findings::{self, Filter, FindingDetail, FindingRow, SortKey, Suppressed};

use crate::text::escape;
use crate::thresholds::Thresholds;
use crate::tickets::{self, Ticket};
use crate::whitelist::{self, Entry, View};
use chrono::{Days, NaiveDate};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind};
use std::any::Any;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// The smallest terminal the layout is made for.
pub const MIN_W: u16 = 80;
pub const MIN_H: u16 = 24;

/// How often `PRAGMA data_version` is asked: other operators' changes show within 2 s.
const POLL_EVERY: Duration = Duration::from_millis(1000);

/// The keymap section of a screen not yet moved to `screen/`.
fn legacy_context(s: ScreenId) -> Context {
    match s {
        ScreenId::Dashboard | ScreenId::Rules => Context::List,
        ScreenId::Findings => Context::Findings,
        ScreenId::Detail => Context::Detail,
        ScreenId::Whitelist => Context::Whitelist,
        ScreenId::Tickets | ScreenId::Ticket => Context::Tickets,
        ScreenId::Reports => Context::Reports,
        ScreenId::Quality | ScreenId::QualityDrill => Context::Quality,
        ScreenId::Theme => Context::Theme,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DashPanel {
    Alerts,
    Rules,
    Tickets,
}

/// One line under the screen. `text` is display-safe: escaped when the status was set.
#[derive(Debug, Clone)]
pub struct Status {
    pub tone: Tone,
    pub text: String,
}

/// The dashboard's panels and cursors; its counts are `Shared::dashboard`.
#[derive(Default)]
pub struct DashState {
    pub panel: usize,
    pub alert_cursor: usize,
    pub rule_cursor: usize,
    pub ticket_cursor: usize,
}

/// The tickets screen's queues, in the order the view key cycles through them.
pub const TK_VIEWS: [&str; 8] = [
    "open",
    "dispatched",
    "rectifying",
    "submitted",
    "returned",
    "approved",
    "cancelled",
    "overdue",
];

#[derive(Default)]
pub struct TkState {
    pub view: usize,
    /// The queue shown; None until the worker answers for this view.
    pub rows: Option<Vec<Ticket>>,
    pub error: Option<String>,
    pub cursor: usize,
    gen: u64,
    have: u64,
    /// Keep the cursor on this ticket when the list is answered again.
    focus: Option<i64>,
}

impl TkState {
    pub fn loading(&self) -> bool {
        self.gen != self.have
    }
    pub fn view_name(&self) -> &'static str {
        TK_VIEWS[self.view % TK_VIEWS.len()]
    }
    pub fn current(&self) -> Option<&Ticket> {
        self.rows.as_ref()?.get(self.cursor)
    }
}

/// One ticket's page: read on this thread (one ticket, its findings and events are few rows).
pub struct PageState {
    pub number: String,
    pub ticket: Option<Ticket>,
    pub findings: Vec<FindingRow>,
    pub events: Vec<tickets::Event>,
    pub cursor: usize,
    pub error: Option<String>,
}

pub struct ListState {
    pub filter: Filter,
    pub sort: SortKey,
    pub desc: bool,
    /// The whole filtered list, ids only; None until the first answer for this filter.
    pub ids: Option<Vec<i64>>,
    pub error: Option<String>,
    pub cursor: usize,
    pub offset: usize,
    /// The rows on screen, `ids[offset..offset + window.len()]`.
    pub window: Vec<FindingRow>,
    window_key: Option<(u64, usize, usize)>,
    /// Marked findings with the version the screen showed when they were marked.
    pub marked: BTreeMap<i64, i64>,
    gen: u64,
    have: u64,
    /// Keep the cursor on this finding when the new list arrives.
    focus: Option<i64>,
}

impl ListState {
    pub fn loading(&self) -> bool {
        self.gen != self.have
    }

    pub fn total(&self) -> Option<usize> {
        self.ids.as_ref().map(Vec::len)
    }

    pub fn current(&self) -> Option<&FindingRow> {
        self.window.get(self.cursor.checked_sub(self.offset)?)
    }
}

pub struct DetailState {
    pub id: i64,
    pub data: Option<FindingDetail>,
    pub error: Option<String>,
    pub scroll: u16,
}

pub struct WlState {
    pub view: View,
    pub entries: Vec<Entry>,
    pub cursor: usize,
    pub error: Option<String>,
}

pub const WL_VIEWS: [View; 4] = [View::Active, View::Pending, View::Expiring, View::History];

/// Findings to whitelist, each with its rule and customer.
#[derive(Debug, Clone, PartialEq)]
pub struct WlFindings {
    pub targets: Targets,
    /// `(rule, customer)` of each target, in the targets' order.
    pub subjects: Vec<(String, String)>,
}

/// One whitelist entry to add for findings, with the versions of the findings it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct WlEntry {
    pub rule: String,
    pub cust_no: String,
    pub seen: Vec<(i64, i64)>,
}

impl WlFindings {
    /// One entry per distinct rule and customer (per customer for every rule), each with the
    /// findings it covers: two marked findings of one rule and customer make one entry.
    pub fn entries(&self, every_rule: bool) -> Vec<WlEntry> {
        let mut by_entry: BTreeMap<(String, String), Vec<(i64, i64)>> = BTreeMap::new();
        for (seen, (rule, cust_no)) in self.targets.seen.iter().zip(&self.subjects) {
            let rule = if every_rule { "*" } else { rule.as_str() };
            by_entry
                .entry((rule.to_string(), cust_no.clone()))
                .or_default()
                .push(*seen);
        }
        by_entry
            .into_iter()
            .map(|((rule, cust_no), seen)| WlEntry {
                rule,
                cust_no,
                seen,
            })
            .collect()
    }
}

/// What a new whitelist entry is for.
#[derive(Debug, Clone)]
pub enum WlSubject {
    /// Typed on the whitelist screen: a rule (or `*`) and a customer.
    Typed { rule: String, cust_no: String },
    /// Findings (the marked ones, or the one in focus): their rules or every rule.
    Findings {
        findings: WlFindings,
        every_rule: bool,
    },
}

pub const RESOLUTIONS: [&str; 3] = ["rectified", "false_positive", "no_action"];

/// What a multi-line text is for; decides what saving it does.
#[derive(Debug, Clone)]
pub enum EditFor {
    Note(Targets),
    CloseNote(Targets, &'static str),
    WhitelistAdd {
        subject: WlSubject,
        days: Option<i64>,
    },
    WhitelistExtend {
        id: i64,
        version: i64,
        days: i64,
    },
    WhitelistRevoke {
        id: i64,
        version: i64,
    },
    TicketReturn {
        number: String,
        id: i64,
        version: i64,
    },
    TicketCancel {
        number: String,
        id: i64,
        version: i64,
        findings: i64,
    },
}

/// What a form of several fields is for.
#[derive(Debug, Clone)]
pub enum FormFor {
    /// Fields: requirement, unit, person, due date.
    TicketCreate {
        targets: Targets,
        default_due: NaiveDate,
    },
    /// Fields: cause, measures, amount recovered.
    TicketSubmit {
        number: String,
        id: i64,
        version: i64,
    },
}

/// What a one-line prompt is for.
#[derive(Debug, Clone)]
pub enum PromptFor {
    Search,
    Unit,
    Rule,
    WlCustomer,
    WlRule { cust_no: String },
    WlAddDays { subject: WlSubject },
    WlExtendDays { id: i64, version: i64 },
}

/// What a choice dialog opened by a legacy screen is for.
#[derive(Debug, Clone)]
pub enum ChoiceFor {
    Resolution(Targets),
    /// Whitelist the findings' own rules (0) or every rule for their customers (1).
    WlScope(WlFindings),
}

/// What the run loop does after a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

pub struct App {
    pub ctx: Ctx,
    pub ds: Dataset,
    pub dataset_name: String,
    pub keymap: Keymap,
    pub theme: Theme,
    pub size: (u16, u16),
    /// The screen on top.
    pub screen: ScreenId,
    back: Vec<ScreenId>,
    /// The screens moved to `screen/`, each created once.
    screens: Vec<(ScreenId, Box<dyn scr::Screen>)>,
    /// The open dialog and the screen that opened it (its answer goes there).
    dialog: Option<(ScreenId, Box<dyn Dialog>)>,
    /// The header's counts, the dashboard's and the ticket summary, thresholds.
    pub shared: Shared,
    loader: Loader,
    pub dash: DashState,
    pub list: ListState,
    pub detail: Option<DetailState>,
    pub wl: WlState,
    pub tk: TkState,
    pub page: Option<PageState>,
    pub status: Option<Status>,
    pub job: Option<Job>,
    scan: Option<ScanFn>,
    writer: Writer,
    /// The change being written; while it waits, no other change starts.
    pub pending: Option<Pending>,
    writes_sent: u64,
    /// `q` was pressed while a change was being written: quit once it is answered.
    quit_when_written: bool,
    /// A screen asked to quit and nothing is being written.
    quit_now: bool,
    data_version: i64,
    last_poll: Instant,
}

/// A screen's `Cx`, borrowing the router's fields one by one (so that a screen in
/// `self.screens` can be borrowed mutably beside it).
macro_rules! cx {
    ($app:ident, $me:expr, $page:expr) => {
        Cx {
            ds: &$app.ds,
            ctx: &$app.ctx,
            keymap: &$app.keymap,
            shared: &$app.shared,
            loader: &$app.loader,
            page: $page,
            writing: $app.pending.is_some(),
            me: $me,
            effects: Vec::new(),
        }
    };
}

impl App {
    pub fn new(
        db: PathBuf,
        ctx: Ctx,
        keymap: Keymap,
        theme: Theme,
        scan: Option<ScanFn>,
    ) -> crate::Result<App> {
        let ds = Dataset::open(&db)?;
        let data_version = data_version(&ds);
        let thresholds = Thresholds::load(&ds.conn)?;
        let dataset_name = db
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| db.display().to_string());
        let loader = Loader::start(&db);
        let writer = Writer::start(&db);
        let screens = scr::all(&ctx);
        let mut app = App {
            ctx,
            ds,
            dataset_name,
            keymap,
            theme,
            size: (MIN_W, MIN_H),
            screen: ScreenId::Dashboard,
            back: Vec::new(),
            screens,
            dialog: None,
            shared: Shared {
                thresholds,
                ..Shared::default()
            },
            loader,
            dash: DashState::default(),
            list: ListState {
                // The findings screen opens on the work queue.
                filter: Filter {
                    status: Some("open".into()),
                    ..Filter::default()
                },
                sort: SortKey::Severity,
                desc: false,
                ids: None,
                error: None,
                cursor: 0,
                offset: 0,
                window: Vec::new(),
                window_key: None,
                marked: BTreeMap::new(),
                gen: 0,
                have: 0,
                focus: None,
            },
            detail: None,
            wl: WlState {
                view: View::Active,
                entries: Vec::new(),
                cursor: 0,
                error: None,
            },
            tk: TkState::default(),
            page: None,
            status: None,
            job: None,
            scan,
            writer,
            pending: None,
            writes_sent: 0,
            quit_when_written: false,
            quit_now: false,
            data_version,
            last_poll: Instant::now(),
        };
        app.request_shared();
        app.request_tickets(false);
        app.request_ids(false);
        app.load_whitelist();
        app.each_screen(|s, cx| s.refresh(false, cx));
        Ok(app)
    }

    pub fn lang(&self) -> crate::context::Lang {
        self.ctx.lang
    }

    pub fn t(&self, m: Msg) -> &'static str {
        m.text(self.ctx.lang)
    }

    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_W || self.size.1 < MIN_H
    }

    /// Rows of the findings list that fit on screen (the layout in `render::findings`).
    pub fn list_page(&self) -> usize {
        // header 2, filter bar 2, table borders 2 and heading 1, status line 1 or 2, scan bar 1
        let job = u16::from(self.job.is_some());
        usize::from(self.size.1.saturating_sub(7 + self.status_rows() + job)).max(1)
    }

    /// The status line as drawn, with its "Error: " prefix; "waiting for the dataset…" while
    /// a change is written and nothing else is to be said; None for the key hints.
    pub fn status_text(&self) -> Option<(Tone, String)> {
        match &self.status {
            Some(s) if s.tone == Tone::Error => {
                Some((s.tone, format!("{}: {}", self.t(Msg::Error), s.text)))
            }
            Some(s) => Some((s.tone, s.text.clone())),
            None => self.pending.as_ref().map(|p| {
                let secs = p.since.elapsed().as_secs();
                (Tone::Info, i18n::waiting(self.lang(), secs))
            }),
        }
    }

    /// Two rows for a status longer than the screen is wide, else one.
    pub fn status_rows(&self) -> u16 {
        let wide = self
            .status_text()
            .is_some_and(|(_, t)| crate::text::width(&t) > usize::from(self.size.0));
        if wide {
            2
        } else {
            1
        }
    }

    pub fn set_status(&mut self, tone: Tone, raw: &str) {
        self.status = Some(Status {
            tone,
            text: escape(raw).into_owned(),
        });
    }

    // ---- the router ------------------------------------------------------------------------

    /// Whether `s` lives in `screen/` (else in the legacy part of this file).
    fn is_moved(&self, s: ScreenId) -> bool {
        self.screens.iter().any(|(id, _)| *id == s)
    }

    /// Calls `f` on screen `id` with its `Cx`, then applies the effects it returned. False
    /// when the screen is not in `screen/`.
    fn with_screen<R>(
        &mut self,
        id: ScreenId,
        f: impl FnOnce(&mut dyn scr::Screen, &mut Cx) -> R,
    ) -> Option<R> {
        let page = self.list_page();
        let i = self.screens.iter().position(|(s, _)| *s == id)?;
        let mut cx = cx!(self, id, page);
        let r = f(self.screens[i].1.as_mut(), &mut cx);
        let effects = cx.effects;
        self.apply(id, effects);
        Some(r)
    }

    /// Calls `f` on every screen in `screen/`, then applies their effects in order.
    fn each_screen(&mut self, mut f: impl FnMut(&mut dyn scr::Screen, &mut Cx)) {
        let page = self.list_page();
        let mut all = Vec::new();
        for (id, s) in self.screens.iter_mut() {
            let mut cx = cx!(self, *id, page);
            f(s.as_mut(), &mut cx);
            all.push((*id, cx.effects));
        }
        for (id, effects) in all {
            self.apply(id, effects);
        }
    }

    /// Applies what screen (or dialog opener) `from` asked for.
    fn apply(&mut self, from: ScreenId, effects: Vec<Effect>) {
        for e in effects {
            match e {
                Effect::Go(s, arg) => self.go_to(s, arg),
                Effect::Back => self.back(),
                Effect::Dialog(d) => self.dialog = Some((from, d)),
                Effect::Perform(w) => self.submit(w),
                Effect::Status(tone, text) => self.set_status(tone, &text),
                Effect::Load(key, job) => self.loader.request(key, job),
                Effect::Send(to, msg) => {
                    self.with_screen(to, |s, cx| s.message(msg, cx));
                }
                Effect::Refresh => self.refresh(),
                Effect::Quit => {
                    if self.quit() == Flow::Quit {
                        self.quit_now = true;
                    }
                }
            }
        }
    }

    /// Opens a dialog for the screen on top (legacy screens).
    fn open(&mut self, d: impl Dialog + 'static) {
        self.dialog = Some((self.screen, Box::new(d)));
    }

    /// Goes to `s` (remembering where from, except from a finding's detail) and tells it
    /// what it is opened for.
    fn go_to(&mut self, s: ScreenId, arg: Arg) {
        if self.screen != s {
            if self.screen != ScreenId::Detail {
                self.back.push(self.screen);
            }
            self.screen = s;
        }
        if self.is_moved(s) {
            self.with_screen(s, |sc, cx| sc.enter(arg, cx));
        } else {
            self.legacy_enter(s, arg);
        }
    }

    fn back(&mut self) {
        if self.screen == ScreenId::Detail {
            self.detail = None;
        }
        if let Some(s) = self.back.pop() {
            self.screen = s;
        } else if self.screen == ScreenId::Detail {
            self.screen = ScreenId::Findings;
        }
    }

    /// The keymap section of the screen on top.
    fn context(&self) -> Context {
        match self.current() {
            Some(s) => s.context(),
            None => legacy_context(self.screen),
        }
    }

    /// The screen on top when it lives in `screen/`.
    pub fn current(&self) -> Option<&dyn scr::Screen> {
        self.screens
            .iter()
            .find(|(id, _)| *id == self.screen)
            .map(|(_, s)| s.as_ref())
    }

    /// A screen's state, for tests and drawing: `app.screen_state::<Rules>()`.
    pub fn screen_state<T: 'static>(&self) -> Option<&T> {
        self.screens
            .iter()
            .find_map(|(_, s)| s.as_any().downcast_ref::<T>())
    }

    pub fn screen_state_mut<T: 'static>(&mut self) -> Option<&mut T> {
        self.screens
            .iter_mut()
            .find_map(|(_, s)| s.as_any_mut().downcast_mut::<T>())
    }

    /// The open dialog, if any.
    pub fn dialog(&self) -> Option<&dyn Dialog> {
        self.dialog.as_ref().map(|(_, d)| d.as_ref())
    }

    pub fn dialog_kind(&self) -> Option<DialogKind> {
        self.dialog().map(|d| d.kind())
    }

    /// What the open dialog was opened for (the opener's tag): `app.dialog_tag::<ChoiceFor>()`.
    pub fn dialog_tag<T: 'static>(&self) -> Option<&T> {
        self.dialog()?.tag().downcast_ref::<T>()
    }

    /// The open dialog as its own type: `app.dialog_as::<Confirm>()`.
    pub fn dialog_as<T: 'static>(&self) -> Option<&T> {
        self.dialog()?.as_any().downcast_ref::<T>()
    }

    /// What drawing for screen `me` may read.
    pub fn ui(&self, me: ScreenId) -> Ui<'_> {
        Ui {
            ctx: &self.ctx,
            keymap: &self.keymap,
            theme: &self.theme,
            shared: &self.shared,
            loader: &self.loader,
            me,
        }
    }

    /// The open dialog and the screen it answers, for drawing.
    pub fn dialog_with_owner(&self) -> Option<(ScreenId, &dyn Dialog)> {
        self.dialog.as_ref().map(|(o, d)| (*o, d.as_ref()))
    }

    /// Whether a load of `key` is asked and not answered (drawing shows "…").
    pub fn loading_key(&self, key: LoadKey) -> bool {
        self.loader.loading(key)
    }

    /// A key while a dialog is open: the dialog's keys, then its answer to its opener.
    fn on_dialog_key(&mut self, k: KeyEvent) {
        let Some((owner, mut d)) = self.dialog.take() else {
            return;
        };
        let page = self.list_page();
        let mut cx = cx!(self, owner, page);
        let step = d.on_key(k, &mut cx);
        let effects = cx.effects;
        self.apply(owner, effects);
        match step {
            dialog::Step::Stay => self.dialog = Some((owner, d)),
            dialog::Step::Close => {}
            dialog::Step::Reply(v) => {
                if let Err(why) = self.reply(owner, d.tag(), v) {
                    d.invalid(why);
                    self.dialog = Some((owner, d));
                }
            }
        }
    }

    fn reply(&mut self, owner: ScreenId, tag: &dyn Any, v: Value) -> Result<(), Invalid> {
        if self.is_moved(owner) {
            self.with_screen(owner, |s, cx| s.reply(tag, v, cx))
                .unwrap_or(Ok(()))
        } else {
            self.legacy_reply(tag, v)
        }
    }

    /// An answer of the loader: the shared data, a screen's, or a legacy screen's.
    fn take_answer(&mut self, key: LoadKey, answer: Loaded) {
        match key.owner {
            Owner::Shared => self.apply_shared(key, answer),
            Owner::Screen(id) if self.is_moved(id) => {
                self.with_screen(id, |s, cx| s.loaded(key.slot, answer, cx));
            }
            Owner::Screen(_) => {
                if let Ok(a) = answer.into_any().downcast::<Answer>() {
                    self.apply_answer(*a);
                }
            }
        }
    }

    /// The header's counts (dashboard) and the ticket summary, for every screen.
    fn request_shared(&mut self) {
        let today = self.ctx.today;
        self.loader.request(
            Shared::DASHBOARD,
            super::loader::job(move |ds| findings::dashboard(&ds.conn, today)),
        );
        self.loader.request(
            Shared::TICKETS,
            super::loader::job(move |ds| super::worker::ticket_summary(&ds.conn, today)),
        );
    }

    fn apply_shared(&mut self, key: LoadKey, answer: Loaded) {
        if key == Shared::DASHBOARD {
            match answer.take() {
                Ok(d) => {
                    self.shared.dashboard = Some(d);
                    self.shared.dashboard_error = None;
                }
                Err(e) => self.shared.dashboard_error = Some(escape(&e).into_owned()),
            }
        } else if key == Shared::TICKETS {
            match answer.take::<TicketSummary>() {
                Ok(s) => {
                    self.dash.ticket_cursor =
                        self.dash.ticket_cursor.min(s.queue.len().saturating_sub(1));
                    self.shared.tickets = Some(s);
                    self.shared.tickets_error = None;
                }
                Err(e) => self.shared.tickets_error = Some(escape(&e).into_owned()),
            }
        }
        let shared = &self.shared;
        for (_, s) in self.screens.iter_mut() {
            s.shared_changed(shared);
        }
    }

    // ---- background answers, polling, and the window --------------------------------------

    /// Applies whatever the loader, the writer and the scan job have answered, and picks up
    /// other operators' changes. Called by the run loop between keys.
    pub fn tick(&mut self) {
        while let Some((key, answer)) = self.loader.try_next() {
            self.take_answer(key, answer);
        }
        while let Ok(a) = self.writer.rx.try_recv() {
            self.apply_write_answer(a);
        }
        self.poll_job();
        if self.last_poll.elapsed() >= POLL_EVERY {
            self.last_poll = Instant::now();
            let v = data_version(&self.ds);
            if v != self.data_version {
                self.data_version = v;
                self.refresh();
            }
        }
        self.sync();
    }

    /// Blocks until every query asked of the loader and the change given to the writer are
    /// answered (tests, and nothing else).
    pub fn settle(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if self.pending.is_some() {
                if let Ok(a) = self.writer.rx.recv_timeout(Duration::from_millis(20)) {
                    self.apply_write_answer(a);
                }
            }
            if !self.loading() || Instant::now() >= deadline {
                break;
            }
            if let Some((key, answer)) = self.loader.next_within(Duration::from_millis(20)) {
                self.take_answer(key, answer);
            }
        }
        self.sync();
    }

    /// Some query or the pending change is not answered yet.
    fn loading(&self) -> bool {
        self.pending.is_some() || self.loader.any_loading()
    }

    /// Cheap upkeep after every event: the findings window, and each screen's `sync`.
    fn sync(&mut self) {
        self.sync_window();
        self.each_screen(|s, cx| s.sync(cx));
    }

    /// Waits for a running scan to finish (tests).
    pub fn wait_job(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.job.is_some() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
            self.poll_job();
        }
        self.settle();
    }

    fn apply_answer(&mut self, a: Answer) {
        match a {
            Answer::Ids { gen, result } => {
                if gen != self.list.gen {
                    return;
                }
                self.list.have = gen;
                match result {
                    Ok(ids) => {
                        let focus = self.list.focus.take();
                        if let Some(pos) = focus.and_then(|id| ids.iter().position(|x| *x == id)) {
                            self.list.cursor = pos;
                        }
                        self.list.cursor = self.list.cursor.min(ids.len().saturating_sub(1));
                        self.list.ids = Some(ids);
                        self.list.error = None;
                    }
                    Err(e) => {
                        self.list.ids = Some(Vec::new());
                        self.list.error = Some(escape(&e).into_owned());
                    }
                }
                self.list.window_key = None;
            }
            Answer::Tickets { gen, result } => {
                if gen != self.tk.gen {
                    return;
                }
                self.tk.have = gen;
                match result {
                    Ok(rows) => {
                        let focus = self.tk.focus.take();
                        if let Some(pos) = focus.and_then(|id| rows.iter().position(|t| t.id == id))
                        {
                            self.tk.cursor = pos;
                        }
                        self.tk.cursor = self.tk.cursor.min(rows.len().saturating_sub(1));
                        self.tk.rows = Some(rows);
                        self.tk.error = None;
                    }
                    Err(e) => {
                        self.tk.rows = Some(Vec::new());
                        self.tk.error = Some(escape(&e).into_owned());
                    }
                }
            }
        }
    }

    fn poll_job(&mut self) {
        let Some(job) = &self.job else { return };
        match job.done.try_recv() {
            Ok(result) => {
                self.job = None;
                match result {
                    Ok(summary) => self.set_status(Tone::Info, &summary),
                    Err(e) => self.set_status(Tone::Error, &e),
                }
                self.refresh();
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.job = None;
                let m = self.t(Msg::ScanStopped);
                self.set_status(Tone::Error, m);
            }
        }
    }

    fn request_ids(&mut self, keep: bool) {
        self.list.gen += 1;
        self.list.focus = if keep {
            self.list.current().map(|r| r.id)
        } else {
            None
        };
        if !keep {
            // A new filter or sort: the old list means nothing any more.
            self.list.ids = None;
            self.list.cursor = 0;
            self.list.offset = 0;
            self.list.window.clear();
            self.list.window_key = None;
        }
        self.legacy_send(Request::Ids {
            gen: self.list.gen,
            filter: self.list.filter.clone(),
            sort: self.list.sort,
            desc: self.list.desc,
            today: self.ctx.today,
        });
    }

    /// A query of a screen not yet in `screen/`, through the loader.
    fn legacy_send(&mut self, req: Request) {
        self.loader.request(req.key(), req.into_job());
    }

    /// The queue on the tickets screen; `keep` holds the cursor on the same ticket.
    fn request_tickets(&mut self, keep: bool) {
        self.tk.gen += 1;
        self.tk.focus = if keep {
            self.tk.current().map(|t| t.id)
        } else {
            None
        };
        if !keep {
            self.tk.rows = None;
            self.tk.cursor = 0;
        }
        self.legacy_send(Request::Tickets {
            gen: self.tk.gen,
            view: self.tk.view_name(),
            today: self.ctx.today,
        });
    }

    fn load_page(&mut self) {
        let Some(p) = &mut self.page else { return };
        let conn = &self.ds.conn;
        let today = self.ctx.today;
        let loaded = tickets::get(conn, &p.number, today).and_then(|t| {
            let f = tickets::findings_of(conn, t.id, today)?;
            let e = tickets::events(conn, t.id)?;
            Ok((t, f, e))
        });
        match loaded {
            Ok((t, f, e)) => {
                p.ticket = Some(t);
                p.cursor = p.cursor.min(f.len().saturating_sub(1));
                p.findings = f;
                p.events = e;
                p.error = None;
            }
            Err(e) => p.error = Some(escape(&e.to_string()).into_owned()),
        }
    }

    fn load_whitelist(&mut self) {
        match whitelist::list(&self.ds.conn, self.wl.view, self.ctx.today) {
            Ok(e) => {
                self.wl.entries = e;
                self.wl.error = None;
            }
            Err(e) => self.wl.error = Some(escape(&e.to_string()).into_owned()),
        }
        self.wl.cursor = self.wl.cursor.min(self.wl.entries.len().saturating_sub(1));
    }

    fn load_detail(&mut self) {
        let Some(d) = &mut self.detail else { return };
        match findings::detail(&self.ds.conn, d.id, self.ctx.today) {
            Ok(x) => {
                d.data = Some(x);
                d.error = None;
            }
            Err(e) => d.error = Some(escape(&e.to_string()).into_owned()),
        }
    }

    /// Everything again, keeping the cursor on the same finding.
    pub fn refresh(&mut self) {
        self.request_shared();
        if let Ok(t) = Thresholds::load(&self.ds.conn) {
            self.shared.thresholds = t;
        }
        let shown = self.screen;
        self.each_screen(|s, cx| s.refresh(cx.me == shown, cx));
        self.request_ids(true);
        self.request_tickets(true);
        self.load_whitelist();
        self.load_detail();
        self.load_page();
        self.list.window_key = None;
    }

    /// Fetches the visible rows when the window moved or the list changed: a page of primary
    /// key look-ups, however long the list.
    pub fn sync_window(&mut self) {
        let page = self.list_page();
        let l = &mut self.list;
        let Some(ids) = &l.ids else { return };
        let n = ids.len();
        l.cursor = l.cursor.min(n.saturating_sub(1));
        if l.cursor < l.offset {
            l.offset = l.cursor;
        } else if l.cursor >= l.offset + page {
            l.offset = l.cursor + 1 - page;
        }
        l.offset = l.offset.min(n.saturating_sub(page));
        let end = (l.offset + page).min(n);
        let key = (l.have, l.offset, end);
        if l.window_key == Some(key) {
            return;
        }
        match findings::rows_by_ids(&self.ds.conn, &ids[l.offset..end], self.ctx.today) {
            Ok(rows) => {
                l.window = rows;
                l.window_key = Some(key);
            }
            Err(e) => {
                l.window.clear();
                l.error = Some(escape(&e.to_string()).into_owned());
            }
        }
    }

    pub fn resize(&mut self, w: u16, h: u16) {
        self.size = (w, h);
        self.list.window_key = None;
        self.sync_window();
    }

    // ---- keys ------------------------------------------------------------------------------

    pub fn handle(&mut self, ev: Event) -> Flow {
        let flow = match ev {
            Event::Key(k) if k.kind != KeyEventKind::Release => self.on_key(k),
            Event::Resize(w, h) => {
                self.resize(w, h);
                Flow::Continue
            }
            _ => Flow::Continue,
        };
        self.sync();
        if self.quit_now {
            return Flow::Quit;
        }
        flow
    }

    fn on_key(&mut self, k: KeyEvent) -> Flow {
        if self.too_small() {
            return self.on_key_too_small(k);
        }
        if self.dialog.is_some() {
            self.on_dialog_key(k);
            return Flow::Continue;
        }
        let Some(key) = super::keymap::Key::from_event(&k) else {
            return Flow::Continue;
        };
        let Some(action) = self.keymap.lookup(self.context(), key) else {
            return Flow::Continue;
        };
        // A new key clears an old message, except while it may still be read.
        if self.status.as_ref().is_some_and(|s| s.tone == Tone::Info) {
            self.status = None;
        }
        let action = action.triage_equivalent();
        if self.pending.is_some() && starts_a_change(action) {
            // The screen it would act on is about to change: one change at a time.
            let m = self.t(Msg::StillWriting);
            self.set_status(Tone::Error, m);
            return Flow::Continue;
        }
        self.on_action(action)
    }

    /// Only the request to enlarge the window is on screen, so no key may act on what the
    /// operator cannot see; quitting still works. While text is being typed only Ctrl-c
    /// quits: a `q` typed into a note that went out of sight must not throw the note away.
    fn on_key_too_small(&mut self, k: KeyEvent) -> Flow {
        use crossterm::event::KeyModifiers;
        let ctrl_c = k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL);
        let typing = self.dialog().is_some_and(|d| d.typing());
        let quit_key = super::keymap::Key::from_event(&k)
            .and_then(|key| self.keymap.lookup(self.context(), key))
            == Some(Key::Quit);
        if ctrl_c || (quit_key && !typing) {
            self.quit()
        } else {
            Flow::Continue
        }
    }

    /// Quits, unless a change is still being written: then once it is answered (the run loop
    /// asks `wants_quit`), or at once on a second quit key.
    fn quit(&mut self) -> Flow {
        if self.pending.is_none() || self.quit_when_written {
            return Flow::Quit;
        }
        self.quit_when_written = true;
        let m = self.t(Msg::QuitAfterWrite);
        self.set_status(Tone::Info, m);
        Flow::Continue
    }

    /// The operator quit while a change was being written, and it has been answered now.
    pub fn wants_quit(&self) -> bool {
        self.quit_now || (self.quit_when_written && self.pending.is_none())
    }

    /// Legacy screens move by themselves (they are not told `enter`).
    fn go(&mut self, s: ScreenId) {
        if self.screen != s {
            if self.screen != ScreenId::Detail {
                self.back.push(self.screen);
            }
            self.screen = s;
        }
    }

    /// Global keys are the router's; the others go to the screen on top.
    fn on_action(&mut self, a: Key) -> Flow {
        match a {
            Key::Quit => return self.quit(),
            Key::Help => self.open(dialog::Help::default()),
            Key::GoDashboard => self.go_to(ScreenId::Dashboard, Arg::None),
            Key::GoFindings => self.go_to(ScreenId::Findings, Arg::None),
            Key::GoRules => self.go_to(ScreenId::Rules, Arg::None),
            Key::GoWhitelist => self.go_to(ScreenId::Whitelist, Arg::None),
            Key::GoTickets => self.go_to(ScreenId::Tickets, Arg::None),
            Key::GoReports => self.go_to(ScreenId::Reports, Arg::None),
            Key::GoQuality => self.go_to(ScreenId::Quality, Arg::None),
            Key::GoTheme => self.go_to(ScreenId::Theme, Arg::None),
            Key::Refresh => {
                self.refresh();
                let m = self.t(Msg::Refreshed);
                self.set_status(Tone::Info, m);
            }
            Key::Scan => self.start_scan(),
            Key::CancelJob => {
                if let Some(j) = &self.job {
                    j.cancel.store(true, Ordering::SeqCst);
                    let m = self.t(Msg::Cancelling);
                    self.set_status(Tone::Info, m);
                }
            }
            _ if self.is_moved(self.screen) => {
                self.with_screen(self.screen, |s, cx| s.on_action(a, cx));
            }
            _ => self.legacy_action(a),
        }
        if self.quit_now {
            return Flow::Quit;
        }
        Flow::Continue
    }

    // ---- the legacy part: screens not yet moved to `screen/` --------------------------------

    /// What a legacy screen does when it is gone to (`Effect::Go` or a global key).
    fn legacy_enter(&mut self, s: ScreenId, arg: Arg) {
        match (s, arg) {
            (ScreenId::Detail, Arg::Finding(id)) => {
                self.detail = Some(DetailState {
                    id,
                    data: None,
                    error: None,
                    scroll: 0,
                });
                self.load_detail();
            }
            (ScreenId::Ticket, Arg::Ticket(number)) => {
                self.page = Some(PageState {
                    number,
                    ticket: None,
                    findings: Vec::new(),
                    events: Vec::new(),
                    cursor: 0,
                    error: None,
                });
                self.load_page();
            }
            // "Enter on a rule opens its findings": every status, suppressed ones hidden.
            (ScreenId::Findings, Arg::Rule(rule)) => {
                self.list.filter = Filter {
                    rule: Some(rule),
                    ..Filter::default()
                };
                self.request_ids(false);
            }
            _ => {}
        }
    }

    fn legacy_action(&mut self, a: Key) {
        match a {
            Key::NextPanel | Key::PrevPanel => self.switch_panel(a == Key::NextPanel),
            Key::Up => self.move_by(-1),
            Key::Down => self.move_by(1),
            Key::PageUp => self.move_by(-(self.list_page() as i64)),
            Key::PageDown => self.move_by(self.list_page() as i64),
            Key::Top => self.move_by(i64::MIN / 2),
            Key::Bottom => self.move_by(i64::MAX / 2),
            Key::Open => self.legacy_open(),
            Key::Back => self.back(),
            Key::Search => self.prompt(PromptFor::Search, self.list.filter.text.clone()),
            Key::FilterUnit => self.prompt(PromptFor::Unit, self.list.filter.station.clone()),
            Key::FilterRule => self.prompt(PromptFor::Rule, self.list.filter.rule.clone()),
            Key::FilterStatus => {
                const CYCLE: [Option<&str>; 7] = [
                    Some("open"),
                    Some("new"),
                    Some("confirmed"),
                    Some("ticketed"),
                    Some("closed"),
                    Some("cleared"),
                    None,
                ];
                let cur = self.list.filter.status.as_deref();
                self.list.filter.status = next_in(&CYCLE, cur).map(str::to_string);
                self.request_ids(false);
            }
            Key::FilterSeverity => {
                const CYCLE: [Option<&str>; 4] = [None, Some("high"), Some("medium"), Some("low")];
                let cur = self.list.filter.severity.as_deref();
                self.list.filter.severity = next_in(&CYCLE, cur).map(str::to_string);
                self.request_ids(false);
            }
            Key::FilterLevel => {
                const CYCLE: [Option<i64>; 5] = [None, Some(1), Some(2), Some(3), Some(4)];
                self.list.filter.level = next_in(&CYCLE, self.list.filter.level);
                self.request_ids(false);
            }
            Key::FilterSuppressed => {
                const CYCLE: [Suppressed; 3] =
                    [Suppressed::Hide, Suppressed::Only, Suppressed::Include];
                self.list.filter.suppressed = next_in(&CYCLE, self.list.filter.suppressed);
                self.request_ids(false);
            }
            Key::ClearFilters => {
                self.list.filter = Filter::default();
                self.request_ids(false);
            }
            Key::Sort => {
                self.list.sort = next_in(&SortKey::ALL, self.list.sort);
                self.request_ids(true);
            }
            Key::Reverse => {
                self.list.desc = !self.list.desc;
                self.request_ids(true);
            }
            Key::Mark => {
                if let Some(r) = self.list.current() {
                    let (id, v) = (r.id, r.version);
                    if self.list.marked.remove(&id).is_none() {
                        self.list.marked.insert(id, v);
                    }
                    self.move_by(1);
                }
            }
            Key::ClearMarks => self.list.marked.clear(),
            Key::Confirm => self.triage_simple(TriageKind::Confirm),
            Key::Reopen => self.triage_simple(TriageKind::Reopen),
            Key::Close => {
                if let Some(t) = self.targets() {
                    self.resolution_choice(t);
                }
            }
            Key::Note => {
                if let Some(t) = self.targets() {
                    self.editor(EditFor::Note(t));
                }
            }
            Key::WhitelistAdd => self.whitelist_findings(),
            Key::WlView => {
                self.wl.view = next_in(&WL_VIEWS, self.wl.view);
                self.wl.cursor = 0;
                self.load_whitelist();
            }
            Key::WlAdd => self.prompt(PromptFor::WlCustomer, None),
            Key::WlExtend => {
                if let Some(e) = self.wl.entries.get(self.wl.cursor) {
                    let (id, version) = (e.id, e.version);
                    self.prompt(PromptFor::WlExtendDays { id, version }, Some("90".into()));
                }
            }
            Key::WlRevoke => {
                if let Some(e) = self.wl.entries.get(self.wl.cursor) {
                    let (id, version) = (e.id, e.version);
                    self.editor(EditFor::WhitelistRevoke { id, version });
                }
            }
            Key::WlApprove => {
                if let Some(e) = self.wl.entries.get(self.wl.cursor) {
                    let question = i18n::approve_question(self.lang(), e.id);
                    let change =
                        Change::one(Op::WhitelistApprove { id: e.id }, vec![(e.id, e.version)]);
                    self.open(Confirm::new(question, Write::new(change)));
                }
            }
            Key::TicketCreate => self.ticket_form(),
            Key::TkView => {
                self.tk.view = (self.tk.view + 1) % TK_VIEWS.len();
                self.request_tickets(false);
                self.go(ScreenId::Tickets);
            }
            Key::TkAck => {
                if let Some(t) = self.focused_ticket() {
                    let op = Op::TicketAck {
                        number: t.number.clone(),
                    };
                    let seen = vec![(t.id, t.version)];
                    self.submit(Write::new(Change::one(op, seen)));
                }
            }
            Key::TkSubmit => {
                if let Some(t) = self.focused_ticket() {
                    let req = self.t(Msg::FieldRequired);
                    let opt = self.t(Msg::FieldOptional);
                    let fields = vec![
                        Field::new(format!("{} ({req})", self.t(Msg::Cause)), true, ""),
                        Field::new(format!("{} ({req})", self.t(Msg::Measures)), true, ""),
                        Field::new(format!("{} ({opt})", self.t(Msg::Recovered)), false, ""),
                    ];
                    let purpose = FormFor::TicketSubmit {
                        number: t.number.clone(),
                        id: t.id,
                        version: t.version,
                    };
                    self.form(purpose, fields);
                }
            }
            Key::TkApprove => {
                if let Some(t) = self.focused_ticket() {
                    let question =
                        i18n::approve_ticket_question(self.lang(), &t.number, t.findings);
                    let op = Op::TicketApprove {
                        number: t.number.clone(),
                    };
                    let seen = vec![(t.id, t.version)];
                    let write = Write::new(Change::one(op, seen));
                    self.open(Confirm::new(question, write));
                }
            }
            Key::TkReturn => {
                if let Some(t) = self.focused_ticket() {
                    let purpose = EditFor::TicketReturn {
                        number: t.number.clone(),
                        id: t.id,
                        version: t.version,
                    };
                    self.editor(purpose);
                }
            }
            Key::TkCancel => {
                if let Some(t) = self.focused_ticket() {
                    let purpose = EditFor::TicketCancel {
                        number: t.number.clone(),
                        id: t.id,
                        version: t.version,
                        findings: t.findings,
                    };
                    self.editor(purpose);
                }
            }
            // Detail's own names were mapped to these by `triage_equivalent`; editor keys
            // only reach the editor.
            Key::DConfirm
            | Key::DClose
            | Key::DReopen
            | Key::DNote
            | Key::DWhitelistAdd
            | Key::DTicketCreate
            | Key::Save
            | Key::Cancel
            | Key::NextField
            | Key::PrevField => {}
            // The router's (global) keys and the dialogs' keys never reach a screen.
            _ => {}
        }
    }

    fn switch_panel(&mut self, forward: bool) {
        match self.screen {
            ScreenId::Dashboard => {
                self.dash.panel = (self.dash.panel + if forward { 1 } else { 2 }) % 3;
            }
            // Tab walks the queues and the periods as it walks the whitelist's views.
            ScreenId::Tickets => {
                let n = TK_VIEWS.len();
                self.tk.view = (self.tk.view + if forward { 1 } else { n - 1 }) % n;
                self.request_tickets(false);
            }
            ScreenId::Whitelist => {
                let i = WL_VIEWS
                    .iter()
                    .position(|v| *v == self.wl.view)
                    .unwrap_or(0);
                let n = WL_VIEWS.len();
                self.wl.view = WL_VIEWS[(i + if forward { 1 } else { n - 1 }) % n];
                self.wl.cursor = 0;
                self.load_whitelist();
            }
            _ => {}
        }
    }

    pub fn dash_panel(&self) -> DashPanel {
        [DashPanel::Alerts, DashPanel::Rules, DashPanel::Tickets][self.dash.panel % 3]
    }

    /// The dashboard's rule panel: rules with open findings first (most first), then those
    /// that hit recently, then the rest by id — the busy rules fit on an 80×24 screen.
    pub fn dash_rules(&self) -> Vec<&findings::RuleCounts> {
        let mut v: Vec<&findings::RuleCounts> = self
            .shared
            .dashboard
            .as_ref()
            .map(|d| d.rules.iter().collect())
            .unwrap_or_default();
        v.sort_by(|a, b| {
            let recent = |r: &findings::RuleCounts| r.trend.iter().sum::<u64>();
            b.open
                .cmp(&a.open)
                .then(recent(b).cmp(&recent(a)))
                .then(a.rule.cmp(&b.rule))
        });
        v
    }

    fn move_by(&mut self, delta: i64) {
        fn step(cur: usize, delta: i64, len: usize) -> usize {
            if len == 0 {
                return 0;
            }
            (cur as i64).saturating_add(delta).clamp(0, len as i64 - 1) as usize
        }
        match self.screen {
            ScreenId::Dashboard => match self.dash_panel() {
                DashPanel::Alerts => {
                    let n = self.shared.dashboard.as_ref().map_or(0, |d| d.alerts.len());
                    self.dash.alert_cursor = step(self.dash.alert_cursor, delta, n);
                }
                DashPanel::Rules => {
                    let n = self.dash_rules().len();
                    self.dash.rule_cursor = step(self.dash.rule_cursor, delta, n);
                }
                DashPanel::Tickets => {
                    let n = self.shared.tickets.as_ref().map_or(0, |s| s.queue.len());
                    self.dash.ticket_cursor = step(self.dash.ticket_cursor, delta, n);
                }
            },
            ScreenId::Tickets => {
                let n = self.tk.rows.as_ref().map_or(0, Vec::len);
                self.tk.cursor = step(self.tk.cursor, delta, n);
            }
            ScreenId::Ticket => {
                if let Some(p) = &mut self.page {
                    p.cursor = step(p.cursor, delta, p.findings.len());
                }
            }
            ScreenId::Findings => {
                let n = self.list.total().unwrap_or(0);
                self.list.cursor = step(self.list.cursor, delta, n);
            }
            ScreenId::Detail => {
                if let Some(d) = &mut self.detail {
                    d.scroll = step(usize::from(d.scroll), delta, 2000) as u16;
                }
            }
            ScreenId::Whitelist => {
                self.wl.cursor = step(self.wl.cursor, delta, self.wl.entries.len());
            }
            // Screens in `screen/` move their own cursors.
            ScreenId::Rules
            | ScreenId::Reports
            | ScreenId::Theme
            | ScreenId::Quality
            | ScreenId::QualityDrill => {}
        }
    }

    fn legacy_open(&mut self) {
        match self.screen {
            ScreenId::Dashboard => match self.dash_panel() {
                DashPanel::Alerts => {
                    let id = self
                        .shared
                        .dashboard
                        .as_ref()
                        .and_then(|d| d.alerts.get(self.dash.alert_cursor))
                        .map(|r| r.id);
                    if let Some(id) = id {
                        self.open_detail(id);
                    }
                }
                DashPanel::Rules => {
                    let rule = self
                        .dash_rules()
                        .get(self.dash.rule_cursor)
                        .map(|r| r.rule.clone());
                    if let Some(rule) = rule {
                        self.open_rule(rule);
                    }
                }
                DashPanel::Tickets => {
                    let number = self
                        .shared
                        .tickets
                        .as_ref()
                        .and_then(|s| s.queue.get(self.dash.ticket_cursor))
                        .map(|t| t.number.clone());
                    if let Some(n) = number {
                        self.open_ticket(n);
                    }
                }
            },
            ScreenId::Tickets => {
                if let Some(n) = self.tk.current().map(|t| t.number.clone()) {
                    self.open_ticket(n);
                }
            }
            ScreenId::Ticket => {
                let id = self
                    .page
                    .as_ref()
                    .and_then(|p| p.findings.get(p.cursor))
                    .map(|r| r.id);
                if let Some(id) = id {
                    self.open_detail(id);
                }
            }
            ScreenId::Findings => {
                if let Some(id) = self.list.current().map(|r| r.id) {
                    self.open_detail(id);
                }
            }
            ScreenId::Detail
            | ScreenId::Whitelist
            | ScreenId::Reports
            | ScreenId::Rules
            | ScreenId::Theme
            | ScreenId::Quality
            | ScreenId::QualityDrill => {}
        }
    }

    fn open_ticket(&mut self, number: String) {
        self.go_to(ScreenId::Ticket, Arg::Ticket(number));
    }

    /// The ticket under the cursor (tickets list) or on screen (its page).
    fn focused_ticket(&self) -> Option<&Ticket> {
        match self.screen {
            ScreenId::Tickets => self.tk.current(),
            ScreenId::Ticket => self.page.as_ref().and_then(|p| p.ticket.as_ref()),
            _ => None,
        }
    }

    /// The new-ticket form for the marked findings or the current one, with the unit
    /// prefilled when they share a station and the default due date shown.
    fn ticket_form(&mut self) {
        let Some(t) = self.targets() else {
            let m = self.t(Msg::NoFindingSelected);
            self.set_status(Tone::Error, m);
            return;
        };
        let rows = match findings::rows_by_ids(&self.ds.conn, &t.ids(), self.ctx.today) {
            Ok(r) => r,
            Err(e) => {
                self.set_status(Tone::Error, &e.to_string());
                return;
            }
        };
        let stations: std::collections::BTreeSet<&str> =
            rows.iter().map(|r| r.station.as_str()).collect();
        let unit = if stations.len() == 1 {
            stations.iter().next().copied().unwrap_or("")
        } else {
            ""
        };
        // The default of `tickets::create`: issued on + due_days of the worst severity.
        let worst = rows
            .iter()
            .filter_map(|r| crate::rules::Severity::parse(&r.severity))
            .max()
            .unwrap_or(crate::rules::Severity::Low);
        let days = self
            .shared
            .thresholds
            .int(&format!("due_days_{}", worst.as_str()));
        let default_due = self.ctx.today + Days::new(days.max(0) as u64);
        let lang = self.lang();
        let fields = vec![
            Field::new(
                format!(
                    "{} ({})",
                    self.t(Msg::Requirement),
                    self.t(Msg::FieldRequired)
                ),
                true,
                "",
            ),
            Field::new(
                i18n::unit_label(lang, !unit.is_empty()).to_string(),
                false,
                &escape(unit),
            ),
            Field::new(
                format!("{} ({})", self.t(Msg::Person), self.t(Msg::FieldOptional)),
                false,
                "",
            ),
            Field::new(i18n::due_default(lang, &default_due.to_string()), false, ""),
        ];
        self.form(
            FormFor::TicketCreate {
                targets: t,
                default_due,
            },
            fields,
        );
    }

    fn form(&mut self, purpose: FormFor, fields: Vec<Field>) {
        let title = match &purpose {
            FormFor::TicketCreate { targets, .. } => format!(
                "{} ({} {})",
                self.t(Msg::FormCreateTicket),
                targets.len(),
                self.t(Msg::FindingsCount)
            ),
            FormFor::TicketSubmit { number, .. } => {
                format!("{} — {}", self.t(Msg::FormSubmitTicket), escape(number))
            }
        };
        self.open(Form::new(title, fields, purpose));
    }

    fn open_detail(&mut self, id: i64) {
        self.go_to(ScreenId::Detail, Arg::Finding(id));
    }

    fn open_rule(&mut self, rule: String) {
        self.go_to(ScreenId::Findings, Arg::Rule(rule));
    }

    /// The finding under the cursor (list) or on screen (detail), with its shown version.
    fn focused_finding(&self) -> Option<&FindingRow> {
        match self.screen {
            ScreenId::Detail => self
                .detail
                .as_ref()
                .and_then(|d| d.data.as_ref())
                .map(|d| &d.row),
            ScreenId::Findings => self.list.current(),
            _ => None,
        }
    }

    /// Marked findings when there are any (findings screen), else the focused one. With marks
    /// the row under the cursor is never taken instead: the marks are what was chosen.
    fn targets(&self) -> Option<Targets> {
        if self.screen == ScreenId::Findings && !self.list.marked.is_empty() {
            return Some(Targets {
                seen: self.list.marked.iter().map(|(i, v)| (*i, *v)).collect(),
                marked: true,
            });
        }
        self.focused_finding().map(|r| Targets {
            seen: vec![(r.id, r.version)],
            marked: false,
        })
    }

    fn triage_simple(&mut self, kind: TriageKind) {
        let Some(t) = self.targets() else { return };
        let op = match kind {
            TriageKind::Confirm => Op::Confirm { ids: t.ids() },
            TriageKind::Reopen => Op::Reopen { ids: t.ids() },
        };
        self.ask_or_submit(op, t);
    }

    /// A change on findings: asked first with the count when it is for the marks or several
    /// findings, else sent at once.
    fn ask_or_submit(&mut self, op: Op, t: Targets) {
        if t.needs_question() {
            let question = i18n::bulk_question(self.lang(), &op, t.len(), t.marked);
            self.open(Confirm::new(question, Write::on(op, t)));
        } else {
            self.submit(Write::on(op, t));
        }
    }

    /// The whitelist dialog for the marked findings (else the one in focus): their own rules
    /// or every rule of their customers.
    fn whitelist_findings(&mut self) {
        let Some(targets) = self.targets() else {
            return;
        };
        let rows = match findings::rows_by_ids(&self.ds.conn, &targets.ids(), self.ctx.today) {
            Ok(r) => r,
            Err(e) => {
                self.set_status(Tone::Error, &e.to_string());
                return;
            }
        };
        let by_id: BTreeMap<i64, &FindingRow> = rows.iter().map(|r| (r.id, r)).collect();
        let mut subjects = Vec::new();
        for id in targets.ids() {
            match by_id.get(&id) {
                Some(r) => subjects.push((r.rule.clone(), r.cust_no.clone())),
                None => {
                    let key = self.keymap.hint(Key::ClearMarks);
                    let m = i18n::finding_gone(self.lang(), id, &key);
                    self.set_status(Tone::Error, &m);
                    return;
                }
            }
        }
        self.wl_scope_choice(WlFindings { targets, subjects });
    }

    fn prompt(&mut self, purpose: PromptFor, initial: Option<String>) {
        let title = match &purpose {
            PromptFor::Search => self.t(Msg::PromptSearch).to_string(),
            PromptFor::Unit => self.t(Msg::PromptUnit).to_string(),
            PromptFor::Rule => self.t(Msg::PromptRule).to_string(),
            PromptFor::WlCustomer => self.t(Msg::PromptWlCustomer).to_string(),
            PromptFor::WlRule { .. } => self.t(Msg::PromptWlRule).to_string(),
            PromptFor::WlAddDays { .. } => self.t(Msg::PromptDays).to_string(),
            PromptFor::WlExtendDays { .. } => self.t(Msg::PromptExtendDays).to_string(),
        };
        self.open(Prompt::new(title, initial, purpose));
    }

    fn editor(&mut self, purpose: EditFor) {
        let lang = self.lang();
        let title = match &purpose {
            EditFor::Note(t) => format!("{} ({})", self.t(Msg::EditNote), t.len()),
            EditFor::CloseNote(t, res) => format!(
                "{} — {} ({})",
                self.t(Msg::EditCloseNote),
                i18n::resolution(lang, res),
                t.len()
            ),
            EditFor::WhitelistAdd { subject, days } => format!(
                "{} — {} {}",
                self.t(Msg::EditWlReason),
                wl_subject(lang, subject),
                days.map(|d| format!("{d}d")).unwrap_or_default()
            ),
            EditFor::WhitelistExtend { id, days, .. } => {
                format!("{} — #{id} +{days}d", self.t(Msg::EditExtendReason))
            }
            EditFor::WhitelistRevoke { id, .. } => {
                format!("{} — #{id}", self.t(Msg::EditRevokeReason))
            }
            EditFor::TicketReturn { number, .. } => {
                format!("{} — {}", self.t(Msg::EditReturnReason), escape(number))
            }
            EditFor::TicketCancel {
                number, findings, ..
            } => format!(
                "{} — {} ({findings})",
                self.t(Msg::EditCancelReason),
                escape(number)
            ),
        };
        let required = !matches!(purpose, EditFor::CloseNote(_, "rectified"));
        let mut e = dialog::Editor::new(title, purpose);
        e.required = required;
        self.open(e);
    }

    /// Close as rectified, false positive or no action (then the note editor).
    fn resolution_choice(&mut self, t: Targets) {
        let items = RESOLUTIONS
            .iter()
            .map(|res| {
                let need = if *res == "rectified" {
                    self.t(Msg::NoteOptional)
                } else {
                    self.t(Msg::NoteRequired)
                };
                format!("{} ({need})", i18n::resolution(self.lang(), res))
            })
            .collect();
        let title = format!("{} ({})", self.t(Msg::ChooseResolution), t.len());
        let mut c = Choice::new(title, items, ChoiceFor::Resolution(t));
        c.size = (56, Some(9));
        self.open(c);
    }

    /// Whitelist the findings' own rules or every rule of their customers.
    fn wl_scope_choice(&mut self, findings: WlFindings) {
        let lang = self.lang();
        let t = &findings.targets;
        let (title, opts, first) = match findings.subjects.as_slice() {
            [(rule, cust_no)] if !t.marked => (
                self.t(Msg::WlScopeTitle).to_string(),
                vec![
                    format!("{} ({})", self.t(Msg::ThisRule), escape(rule)),
                    self.t(Msg::EveryRule).to_string(),
                ],
                format!("{}: {}", self.t(Msg::CustNo), escape(cust_no)),
            ),
            _ => {
                let own = findings.entries(false).len();
                let every = findings.entries(true).len();
                (
                    i18n::wl_scope_title(lang, t.len(), t.marked),
                    vec![
                        i18n::wl_scope_own(lang, own),
                        i18n::wl_scope_every(lang, every),
                    ],
                    i18n::wl_scope_customers(lang, &customers(&findings)),
                )
            }
        };
        let mut c = Choice::new(title, opts, ChoiceFor::WlScope(findings));
        c.intro = Some(first);
        c.numbered = false;
        c.wraps = true;
        c.size = (64, Some(8));
        self.open(c);
    }

    fn start_scan(&mut self) {
        if self.job.is_some() {
            let m = self.t(Msg::ScanAlreadyRunning);
            self.set_status(Tone::Info, m);
            return;
        }
        if let Err(e) = self.ctx.require(crate::context::Role::Auditor, "scan") {
            self.set_status(Tone::Error, &e.to_string());
            return;
        }
        match &self.scan {
            Some(f) => {
                self.job = Some(Job::start(
                    f.clone(),
                    self.ds.path.clone(),
                    self.ctx.clone(),
                ));
            }
            None => {
                let m = self.t(Msg::ScanNotConnected);
                self.set_status(Tone::Error, m);
            }
        }
    }

    /// Hands a change to the writer thread. The screen keeps drawing and answering keys
    /// ("waiting for the dataset…") until `apply_write_answer` shows the outcome.
    pub fn submit(&mut self, write: Write) {
        if self.pending.is_some() {
            let m = self.t(Msg::StillWriting);
            self.set_status(Tone::Error, m);
            return;
        }
        self.writes_sent += 1;
        self.writer.send(WriteRequest {
            id: self.writes_sent,
            ctx: self.ctx.clone(),
            change: write.change.clone(),
        });
        self.pending = Some(Pending {
            id: self.writes_sent,
            write,
            since: Instant::now(),
        });
        self.status = None;
    }

    /// The writer's answer: the outcome on the status line, the marks it applied to cleared
    /// (a refused change keeps every mark and names what changed), and everything reloaded.
    fn apply_write_answer(&mut self, a: WriteAnswer) {
        let Some(p) = self.pending.take_if(|p| p.id == a.id) else {
            return;
        };
        let ok = a.result.is_ok();
        match a.result {
            Ok(outcomes) => {
                let text = p.write.done.clone().unwrap_or_else(|| outcomes.join("; "));
                self.set_status(Tone::Info, &text);
                for id in &p.write.marked {
                    self.list.marked.remove(id);
                }
            }
            Err(r) => {
                let text = self.refusal_text(&p.write, &r);
                self.set_status(Tone::Error, &text);
            }
        }
        self.each_screen(|s, cx| s.written(&p.write, ok, cx));
        self.refresh();
    }

    /// A refusal as the operator reads it: for the marks, which of them changed and that
    /// nothing was applied and every one is still marked.
    fn refusal_text(&self, w: &Write, r: &Refusal) -> String {
        if w.marked.is_empty() {
            return r.message.clone();
        }
        let n = w.marked.len();
        if r.stale && !r.changed.is_empty() {
            i18n::marks_refused_changed(self.lang(), &r.changed, n)
        } else {
            format!("{}; {}", r.message, i18n::marks_kept(self.lang(), n))
        }
    }

    // ---- legacy dialog answers ----------------------------------------------------------

    /// The answer of a dialog a legacy screen opened, by the tag it gave the dialog.
    fn legacy_reply(&mut self, tag: &dyn Any, v: Value) -> Result<(), Invalid> {
        match v {
            Value::Text(text) => {
                if let Some(p) = tag.downcast_ref::<PromptFor>() {
                    return self.submit_prompt(p.clone(), &text);
                }
                if let Some(e) = tag.downcast_ref::<EditFor>() {
                    return self.save_editor(e.clone(), text);
                }
            }
            Value::Fields(texts) => {
                if let Some(f) = tag.downcast_ref::<FormFor>() {
                    return self.save_form(f.clone(), &texts);
                }
            }
            Value::Choice(i) => {
                if let Some(c) = tag.downcast_ref::<ChoiceFor>() {
                    self.choose(c.clone(), i);
                }
            }
        }
        Ok(())
    }

    fn choose(&mut self, c: ChoiceFor, i: usize) {
        match c {
            ChoiceFor::Resolution(targets) => {
                if let Some(res) = RESOLUTIONS.get(i) {
                    self.editor(EditFor::CloseNote(targets, res));
                }
            }
            ChoiceFor::WlScope(findings) => {
                let subject = WlSubject::Findings {
                    findings,
                    every_rule: i == 1,
                };
                self.prompt(PromptFor::WlAddDays { subject }, Some("90".into()));
            }
        }
    }

    fn save_form(&mut self, purpose: FormFor, texts: &[String]) -> Result<(), Invalid> {
        let fail = |field: usize, msg: &str| {
            Err(Invalid {
                message: msg.to_string(),
                field: Some(field),
            })
        };
        match purpose {
            FormFor::TicketCreate {
                targets,
                default_due,
            } => {
                if texts[0].is_empty() {
                    return fail(0, self.t(Msg::NeedRequirement));
                }
                if texts[1].is_empty() {
                    return fail(1, self.t(Msg::UnitMixed));
                }
                let due = if texts[3].is_empty() {
                    None
                } else {
                    match crate::dates::parse_date(&texts[3]).filter(|d| *d >= self.ctx.today) {
                        Some(d) => Some(d),
                        None => return fail(3, self.t(Msg::BadDate)),
                    }
                };
                let question = i18n::create_ticket_question(
                    self.lang(),
                    targets.len(),
                    &texts[1],
                    &due.unwrap_or(default_due).to_string(),
                );
                let op = Op::TicketCreate {
                    findings: targets.ids(),
                    unit: Some(texts[1].clone()),
                    person: (!texts[2].is_empty()).then(|| texts[2].clone()),
                    due,
                    requirement: texts[0].clone(),
                };
                self.open(Confirm::new(question, Write::on(op, targets)));
                Ok(())
            }
            FormFor::TicketSubmit {
                number,
                id,
                version,
            } => {
                if texts[0].is_empty() || texts[1].is_empty() {
                    let at = usize::from(!texts[0].is_empty());
                    return fail(at, self.t(Msg::NeedCauseMeasures));
                }
                let recovered = if texts[2].is_empty() {
                    None
                } else {
                    match texts[2]
                        .parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite() && *v >= 0.0)
                    {
                        Some(v) => Some(v),
                        None => return fail(2, self.t(Msg::BadAmount)),
                    }
                };
                let op = Op::TicketSubmit {
                    number,
                    cause: texts[0].clone(),
                    measures: texts[1].clone(),
                    recovered,
                };
                self.submit(Write::new(Change::one(op, vec![(id, version)])));
                Ok(())
            }
        }
    }

    fn submit_prompt(&mut self, purpose: PromptFor, input: &str) -> Result<(), Invalid> {
        let value = input.trim().to_string();
        let opt = (!value.is_empty()).then(|| value.clone());
        match purpose {
            PromptFor::Search => {
                self.list.filter.text = opt;
                self.request_ids(false);
                self.go(ScreenId::Findings);
                Ok(())
            }
            PromptFor::Unit => {
                self.list.filter.station = opt;
                self.request_ids(false);
                Ok(())
            }
            PromptFor::Rule => {
                let rule = opt.map(|r| r.to_ascii_uppercase());
                let f = Filter {
                    rule: rule.clone(),
                    ..Filter::default()
                };
                if let Err(e) = f.validate() {
                    return Err(Invalid::from(escape(&e.to_string()).into_owned()));
                }
                self.list.filter.rule = rule;
                self.request_ids(false);
                Ok(())
            }
            PromptFor::WlCustomer => {
                if value.is_empty() {
                    return Err(Invalid::from(self.t(Msg::NeedCustomer).to_string()));
                }
                self.prompt(PromptFor::WlRule { cust_no: value }, Some("*".into()));
                Ok(())
            }
            PromptFor::WlRule { cust_no } => {
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
                        return Err(Invalid::from(escape(&e.to_string()).into_owned()));
                    }
                }
                let subject = WlSubject::Typed { rule, cust_no };
                self.prompt(PromptFor::WlAddDays { subject }, Some("90".into()));
                Ok(())
            }
            PromptFor::WlAddDays { subject } => {
                let days = if value.is_empty() {
                    None
                } else {
                    match parse_days(&value) {
                        Some(d) => Some(d),
                        None => {
                            return Err(Invalid::from(self.t(Msg::BadDays).to_string()));
                        }
                    }
                };
                self.editor(EditFor::WhitelistAdd { subject, days });
                Ok(())
            }
            PromptFor::WlExtendDays { id, version } => match parse_days(&value) {
                Some(days) => {
                    self.editor(EditFor::WhitelistExtend { id, version, days });
                    Ok(())
                }
                None => Err(Invalid::from(self.t(Msg::BadDays).to_string())),
            },
        }
    }

    /// `trimmed` is the editor's text; the editor refused it empty where a text is required.
    fn save_editor(&mut self, purpose: EditFor, trimmed: String) -> Result<(), Invalid> {
        match purpose {
            EditFor::Note(t) => {
                let op = Op::Note {
                    ids: t.ids(),
                    text: trimmed,
                };
                self.ask_or_submit(op, t);
                Ok(())
            }
            EditFor::CloseNote(t, resolution) => {
                let op = Op::Close {
                    ids: t.ids(),
                    resolution: resolution.to_string(),
                    note: (!trimmed.is_empty()).then_some(trimmed),
                };
                self.ask_or_submit(op, t);
                Ok(())
            }
            EditFor::WhitelistAdd { subject, days } => {
                self.whitelist_add(subject, days, trimmed);
                Ok(())
            }
            EditFor::WhitelistExtend { id, version, days } => {
                let op = Op::WhitelistExtend {
                    id,
                    days,
                    reason: trimmed,
                };
                self.submit(Write::new(Change::one(op, vec![(id, version)])));
                Ok(())
            }
            EditFor::TicketReturn {
                number,
                id,
                version,
            } => {
                let op = Op::TicketReturn {
                    number,
                    reason: trimmed,
                };
                self.submit(Write::new(Change::one(op, vec![(id, version)])));
                Ok(())
            }
            EditFor::TicketCancel {
                number,
                id,
                version,
                findings,
            } => {
                // Cancelling sends the findings back to the confirmed queue: ask first.
                let question = i18n::cancel_ticket_question(self.lang(), &number, findings);
                let op = Op::TicketCancel {
                    number,
                    reason: trimmed,
                };
                self.open(Confirm::new(
                    question,
                    Write::new(Change::one(op, vec![(id, version)])),
                ));
                Ok(())
            }
            EditFor::WhitelistRevoke { id, version } => {
                // Revoking brings suppressed findings back into the queues: ask first.
                let question = i18n::revoke_question(self.lang(), id);
                let op = Op::WhitelistRevoke {
                    id,
                    reason: trimmed,
                };
                self.open(Confirm::new(
                    question,
                    Write::new(Change::one(op, vec![(id, version)])),
                ));
                Ok(())
            }
        }
    }

    /// The entries for typed input go at once; for findings, one entry per distinct rule and
    /// customer in one transaction, asked first with the count when it is for the marks.
    fn whitelist_add(&mut self, subject: WlSubject, days: Option<i64>, reason: String) {
        let (findings, every_rule) = match subject {
            WlSubject::Typed { rule, cust_no } => {
                let op = Op::WhitelistAdd {
                    rule,
                    cust_no,
                    reason,
                    days,
                };
                self.submit(Write::new(Change::one(op, Vec::new())));
                return;
            }
            WlSubject::Findings {
                findings,
                every_rule,
            } => (findings, every_rule),
        };
        let entries = findings.entries(every_rule);
        let steps: Vec<(Op, Vec<(i64, i64)>)> = entries
            .into_iter()
            .map(|e| {
                let op = Op::WhitelistAdd {
                    rule: e.rule,
                    cust_no: e.cust_no,
                    reason: reason.clone(),
                    days,
                };
                (op, e.seen)
            })
            .collect();
        let t = &findings.targets;
        let marked = if t.marked { t.ids() } else { Vec::new() };
        let done = (steps.len() > 1).then(|| i18n::whitelisted(self.lang(), t.len(), steps.len()));
        let write = Write {
            change: Change::Actions(steps.clone()),
            marked,
            done,
        };
        if t.needs_question() {
            let question =
                i18n::whitelist_question(self.lang(), t.len(), steps.len(), every_rule, t.marked);
            self.open(Confirm::new(question, write));
            return;
        }
        self.submit(write);
    }
}

enum TriageKind {
    Confirm,
    Reopen,
}

/// Keys that start a change of the dataset (directly, or through a dialog that ends in one).
fn starts_a_change(a: Key) -> bool {
    matches!(
        a,
        Key::Confirm
            | Key::Close
            | Key::Reopen
            | Key::Note
            | Key::WhitelistAdd
            | Key::TicketCreate
            | Key::WlAdd
            | Key::WlExtend
            | Key::WlRevoke
            | Key::WlApprove
            | Key::TkAck
            | Key::TkSubmit
            | Key::TkApprove
            | Key::TkReturn
            | Key::TkCancel
            | Key::QEnterValue
    )
}

/// The distinct customers of findings being whitelisted, escaped, in order.
fn customers(findings: &WlFindings) -> String {
    let mut seen = std::collections::BTreeSet::new();
    findings
        .subjects
        .iter()
        .filter(|(_, c)| seen.insert(c.as_str()))
        .map(|(_, c)| escape(c).into_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a whitelist reason is for: a rule and a customer, or how many findings and entries.
fn wl_subject(lang: crate::context::Lang, subject: &WlSubject) -> String {
    match subject {
        WlSubject::Typed { rule, cust_no } => format!("{} {}", escape(rule), escape(cust_no)),
        WlSubject::Findings {
            findings,
            every_rule,
        } => {
            let entries = findings.entries(*every_rule);
            match entries.as_slice() {
                [e] if !findings.targets.marked => {
                    format!("{} {}", escape(&e.rule), escape(&e.cust_no))
                }
                _ => i18n::wl_reason_for(
                    lang,
                    findings.targets.len(),
                    entries.len(),
                    findings.targets.marked,
                ),
            }
        }
    }
}

fn next_in<T: PartialEq + Copy>(cycle: &[T], cur: T) -> T {
    let i = cycle.iter().position(|x| *x == cur).map_or(0, |i| i + 1);
    cycle[i % cycle.len()]
}

fn parse_days(s: &str) -> Option<i64> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=365).contains(d))
}

fn data_version(ds: &Dataset) -> i64 {
    ds.conn
        .query_row("PRAGMA data_version", [], |r| r.get(0))
        .unwrap_or(0)
}
