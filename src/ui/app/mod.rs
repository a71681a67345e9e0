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

use super::dialog::{self, Dialog, Value};
use super::i18n::{self, Msg};
use super::keymap::{Action as Key, Context, Keymap};
use super::loader::Loader;
use super::screen::{self as scr, Arg, Cx, Effect, Invalid, Shared};
pub use super::screen::{ScreenId, Tone};
use super::theme::Theme;
use super::worker::{Job, ScanFn, Writer};
pub use super::write::{Pending, Targets, Write};
use crate::context::{BusinessClock, Ctx};
use crate::db::Dataset;
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
    /// OSC 52 sequences for the terminal, written by the run loop after the next draw.
    pub clipboard: Vec<String>,
    /// The terminal takes OSC 52 (not the Linux console, not `dumb`): from `TERM` at start.
    pub osc52: bool,
    /// The log's newest record when the change being written was sent (`undo.rs`).
    undo_from: i64,
    /// The operator's last status move of this session, which the undo key reverses.
    pub undoable: Option<undo::Undoable>,
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

mod background;
mod clip;
mod shared;
mod undo;
mod view;
mod writes;

pub use clip::{osc52, send_clipboard};

impl App {
    pub fn new(
        db: PathBuf,
        ctx: Ctx,
        keymap: Keymap,
        theme: Theme,
        scan: Option<ScanFn>,
    ) -> crate::Result<App> {
        let ds = Dataset::open(&db)?;
        let data_version = ds.data_version();
        let thresholds = Thresholds::load(&ds.conn)?;
        let dataset_name = db
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| db.display().to_string());
        let loader = Loader::start(&db, ctx.lang);
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
            clipboard: Vec::new(),
            osc52: clip::terminal_takes_osc52(std::env::var("TERM").ok().as_deref()),
            undo_from: 0,
            undoable: None,
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
                Effect::Do(a) => {
                    if self.on_action(a) == Flow::Quit {
                        self.quit_now = true;
                    }
                }
                Effect::Copy(what, text) => self.copy(&what, &text),
            }
        }
    }

    /// Goes to `s` (remembering where from, unless the screen left is not `remembered`) and
    /// tells it what it is opened for.
    fn go_to(&mut self, s: ScreenId, arg: Arg) {
        if self.screen != s {
            if self.current().is_none_or(|c| c.remembered()) {
                self.back.push(self.screen);
            }
            self.screen = s;
        }
        self.with_screen(s, |sc, cx| sc.enter(arg, cx));
    }

    /// Where `Back` leads: the screen before, else the tab the screen belongs to.
    fn back(&mut self) {
        if let Some(s) = self.back.pop() {
            self.screen = s;
        } else if let Some(tab) = self.current().and_then(|c| c.tab()) {
            self.screen = tab;
        }
    }

    /// The keymap section of the screen on top.
    fn context(&self) -> Context {
        self.current().map_or(Context::List, |s| s.context())
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
        if self.pending.is_some() && action.starts_a_change() {
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
            Key::Command => self.open_command_line(),
            Key::Undo => self.undo(),
            a if scr::tab_of_key(a).is_some() => {
                if let Some(s) = scr::tab_of_key(a) {
                    self.go_to(s, Arg::None);
                }
            }
            Key::Refresh => {
                self.refresh();
                let m = self.t(Msg::Refreshed);
                self.set_status(Tone::Info, m);
            }
            Key::Scan => self.start_scan(),
            Key::GoInspections => self.go_to(scr::ScreenId::Inspections, Arg::None),
            // Without a scan running, the key goes to the screen (a running import).
            Key::CancelJob if self.job.is_some() => {
                if let Some(j) = &self.job {
                    j.cancel.store(true, Ordering::SeqCst);
                    let m = self.t(Msg::Cancelling);
                    self.set_status(Tone::Info, m);
                }
            }
            Key::GoLog => self.go_to(scr::ScreenId::Log, Arg::None),
            Key::GoImport => self.go_to(scr::ScreenId::Import, Arg::None),
            Key::GoThresholds => self.go_to(scr::ScreenId::Thresholds, Arg::None),
            Key::GoOperators => self.go_to(scr::ScreenId::Operators, Arg::None),
            Key::GoUnits => self.go_to(scr::ScreenId::Units, Arg::None),
            Key::GoSiteRules => self.go_to(scr::ScreenId::SiteRules, Arg::None),
            _ => {
                self.with_screen(self.screen, |s, cx| s.on_action(a, cx));
            }
        }
        if self.quit_now {
            return Flow::Quit;
        }
        Flow::Continue
    }
}
