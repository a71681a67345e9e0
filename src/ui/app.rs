//! The router: it owns the screens, the open dialog, the loader, the writer and the status
//! line; it turns a key into an action of the keymap, hands it to the screen (or the dialog)
//! on top, and applies the effects they return. No terminal here: tests drive an `App` with
//! key events on a fixture dataset and look at the dataset afterwards.
//!
//! Reads that touch few rows (the visible window of the list, one finding's detail, the
//! whitelist, thresholds) run on this thread; reads over the whole findings table go to the
//! worker. Every change goes to the worker's write thread (`Writer`) with the versions the
//! screen showed, so another operator's later change is never silently overwritten and a write
//! that waits for the dataset never freezes the screen. Marked findings are the targets of
//! every finding action while there are marks, always confirmed with their count.

use super::dialog::{self, Dialog, DialogKind, Value};
use super::i18n::{self, Msg};
use super::keymap::{Action as Key, Context, Keymap};
use super::loader::{LoadKey, Loaded, Loader, Owner};
use super::screen::{self as scr, Arg, Cx, Effect, Invalid, Shared, Ui};
pub use super::screen::{ScreenId, Tone};
use super::theme::Theme;
use super::worker::{Job, Refusal, ScanFn, TicketSummary, WriteAnswer, WriteRequest, Writer};
pub use super::write::{Pending, Targets, Write};
use crate::context::{BusinessClock, Ctx};
use crate::db::Dataset;
use crate::findings;
use crate::text::escape;
use crate::thresholds::Thresholds;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind};
use std::any::Any;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// The smallest terminal the layout is made for.
pub const MIN_W: u16 = 80;
pub const MIN_H: u16 = 24;

/// How often `PRAGMA data_version` is asked: other operators' changes show within 2 s.
const POLL_EVERY: Duration = Duration::from_millis(1000);

/// One line under the screen. `text` is display-safe: escaped when the status was set.
#[derive(Debug, Clone)]
pub struct Status {
    pub tone: Tone,
    pub text: String,
}

/// What the run loop does after a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

pub struct App {
    /// `ctx.today` follows `clock`: asked on every tick and before every write and scan.
    pub ctx: Ctx,
    pub clock: BusinessClock,
    /// The dataset is the demo one (nothing configured): the header says so.
    pub demo: bool,
    pub ds: Dataset,
    pub dataset_name: String,
    pub keymap: Keymap,
    pub theme: Theme,
    pub size: (u16, u16),
    /// The screen on top.
    pub screen: ScreenId,
    back: Vec<ScreenId>,
    /// Every screen (`screen::all`), each created once.
    screens: Vec<(ScreenId, Box<dyn scr::Screen>)>,
    /// The open dialog and the screen that opened it (its answer goes there).
    dialog: Option<(ScreenId, Box<dyn Dialog>)>,
    /// The header's counts, the dashboard's and the ticket summary, thresholds.
    pub shared: Shared,
    loader: Loader,
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
            // Fixed at the date given until `set_clock` hands over a live one.
            clock: BusinessClock::new(Some(ctx.today), crate::context::DEFAULT_TIMEZONE),
            demo: false,
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
        // The work queue first: the query thread answers in the order asked.
        app.each_screen(|s, cx| s.refresh(false, cx));
        app.request_shared();
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

    /// Rows of the findings list that fit on screen (the layout in `screen/findings/draw.rs`).
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

    /// Calls `f` on screen `id` with its `Cx`, then applies the effects it returned.
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

    /// Calls `f` on every screen, then applies their effects in order.
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

    /// Goes to `s` (remembering where from, except from a finding's detail) and tells it
    /// what it is opened for.
    fn go_to(&mut self, s: ScreenId, arg: Arg) {
        if self.screen != s {
            if self.screen != ScreenId::Detail {
                self.back.push(self.screen);
            }
            self.screen = s;
        }
        self.with_screen(s, |sc, cx| sc.enter(arg, cx));
    }

    fn back(&mut self) {
        if let Some(s) = self.back.pop() {
            self.screen = s;
        } else if self.screen == ScreenId::Detail {
            self.screen = ScreenId::Findings;
        }
    }

    /// The keymap section of the screen on top.
    fn context(&self) -> Context {
        self.current().map_or(Context::List, |s| s.context())
    }

    /// The screen on top (every `ScreenId` has one in `screen::all`).
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
        self.with_screen(owner, |s, cx| s.reply(tag, v, cx))
            .unwrap_or(Ok(()))
    }

    /// An answer of the loader: the shared data, or a screen's.
    fn take_answer(&mut self, key: LoadKey, answer: Loaded) {
        match key.owner {
            Owner::Shared => self.apply_shared(key, answer),
            Owner::Screen(id) => {
                self.with_screen(id, |s, cx| s.loaded(key.slot, answer, cx));
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
    /// Takes the business date from `clock` from now on (ui::run: the live clock when
    /// `--today` is not given).
    pub fn set_clock(&mut self, clock: BusinessClock) {
        self.clock = clock;
        self.roll_date();
    }

    /// Moves to the clock's business date when it has changed (midnight in the dataset
    /// timezone): every screen and the header counts reload, judged on the new day.
    fn roll_date(&mut self) {
        let today = self.clock.today();
        if today != self.ctx.today {
            self.ctx.today = today;
            self.refresh();
        }
    }

    pub fn tick(&mut self) {
        self.roll_date();
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

    /// Cheap upkeep after every event: each screen's `sync` (the findings window).
    fn sync(&mut self) {
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

    /// Everything again, keeping the cursor on the same finding.
    pub fn refresh(&mut self) {
        if let Ok(t) = Thresholds::load(&self.ds.conn) {
            self.shared.thresholds = t;
        }
        let shown = self.screen;
        self.each_screen(|s, cx| s.refresh(cx.me == shown, cx));
        self.request_shared();
    }

    pub fn resize(&mut self, w: u16, h: u16) {
        self.size = (w, h);
        self.sync();
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

    /// Global keys are the router's; the others go to the screen on top.
    fn on_action(&mut self, a: Key) -> Flow {
        match a {
            Key::Quit => return self.quit(),
            Key::Help => self.dialog = Some((self.screen, Box::new(dialog::Help::default()))),
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
            _ => {
                self.with_screen(self.screen, |s, cx| s.on_action(a, cx));
            }
        }
        if self.quit_now {
            return Flow::Quit;
        }
        Flow::Continue
    }

    fn start_scan(&mut self) {
        if self.job.is_some() {
            let m = self.t(Msg::ScanAlreadyRunning);
            self.set_status(Tone::Info, m);
            return;
        }
        self.roll_date();
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
        self.roll_date();
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

fn data_version(ds: &Dataset) -> i64 {
    ds.conn
        .query_row("PRAGMA data_version", [], |r| r.get(0))
        .unwrap_or(0)
}
