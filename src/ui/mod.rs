//! The terminal UI (`jicha` with no subcommand): the router in `app`, one module per screen
//! in `screen/` and per dialog in `dialog/`, keys in `keymap`, strings in `i18n`, colours in
//! `theme`, shared drawing helpers in `render`, terminal set-up and restore in `terminal`,
//! the generic loader in `loader` over the query thread of `worker`, which also holds the
//! writer thread and the scan job.

pub mod app;
pub mod cmdline;
pub mod dialog;
pub mod find;
pub mod fuzzy;
pub mod i18n;
pub mod keymap;
pub mod loader;
pub mod marks;
pub mod render;
pub mod screen;
pub mod search;
pub mod terminal;
pub mod theme;
pub mod worker;
pub mod write;

pub use app::App;
pub use keymap::{load_keymap, Keymap};
pub use worker::ScanFn;

use crate::context::Ctx;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How the UI looks and which keys it uses; `jicha`'s options fill it in.
#[derive(Clone, Default)]
pub struct UiOptions {
    /// A keymap name (`default`, `vim`) or a path; empty means `default`.
    pub keymap: String,
    /// The user's override file; None means `~/.config/jicha/keymap.toml` when it exists.
    pub keymap_override: Option<PathBuf>,
    /// ASCII borders and bars (`--ascii`): box drawing is ambiguous-width in CJK terminals.
    pub ascii: bool,
    /// Runs a scan for the scan key; None shows the key as unavailable.
    pub scan: Option<ScanFn>,
    /// The dataset is the demo one because none is configured: the header says so.
    pub demo: bool,
    /// Where the business date comes from; None keeps the date in `ctx` (fixed).
    pub clock: Option<crate::context::BusinessClock>,
}

/// Opens the UI on `db` and runs it until the operator quits. The terminal is restored on every
/// way out (see `terminal`).
pub fn run(db: &Path, ctx: Ctx, opts: UiOptions) -> anyhow::Result<()> {
    let name = if opts.keymap.is_empty() {
        "default"
    } else {
        opts.keymap.as_str()
    };
    // Checked before the terminal is touched, so a bad keymap is a plain error message.
    let keymap = load_keymap(name, opts.keymap_override.as_deref()).map_err(anyhow::Error::msg)?;
    // `TERM=linux` (the console) and the VT terminals draw ASCII only: as with --ascii.
    let ascii = opts.ascii || theme::ascii_terminal(std::env::var("TERM").ok().as_deref());
    let theme = theme::Theme::new(!theme::no_color_env(), ascii);
    let mut app = App::new(db.to_path_buf(), ctx, keymap, theme, opts.scan.clone())?;
    app.demo = opts.demo;
    if let Some(clock) = opts.clock.clone() {
        app.set_clock(clock);
    }
    let (mut term, _guard) = terminal::init()?;
    let size = term.size()?;
    app.resize(size.width, size.height);
    // Test-only hook, not for operators: `JICHA_TEST_PANIC=1` panics right after the first
    // screen is drawn (raw mode on, alternate screen active), so that tests/signals.rs can prove
    // the panic path restores the terminal and prints a readable message. Read once, here.
    let test_panic = std::env::var_os("JICHA_TEST_PANIC").is_some_and(|v| v == "1");
    loop {
        app.tick();
        if app.wants_quit() {
            break;
        }
        term.draw(|f| render::draw(f, &app))?;
        app::send_clipboard(term.backend_mut(), &mut app.clipboard)?;
        if test_panic {
            panic!("JICHA_TEST_PANIC is set: a deliberate panic for the terminal-restore test");
        }
        // Short polls keep background answers and other operators' changes flowing in.
        if crossterm::event::poll(Duration::from_millis(150))? {
            let ev = crossterm::event::read()?;
            if app.handle(ev) == app::Flow::Quit {
                break;
            }
            // Drain what arrived together (a paste, key repeat) before drawing again.
            while crossterm::event::poll(Duration::ZERO)? {
                if app.handle(crossterm::event::read()?) == app::Flow::Quit {
                    return Ok(());
                }
            }
        }
    }
    Ok(())
}
