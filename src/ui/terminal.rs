//! Entering and leaving the full-screen terminal, and getting out cleanly on every exit path:
//! normal return, error, panic, SIGTERM and SIGHUP.
//!
//! Only raw mode, the alternate screen and the hidden cursor are changed: mouse capture,
//! bracketed paste and keyboard enhancement flags are never enabled, because a restore after
//! the SSH session is gone could not undo them and probing for them slows start-up.

use crossterm::terminal::EnterAlternateScreen;
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use std::io::{self, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

/// The terminal settings before raw mode, kept so that the signal thread can restore them with
/// one `tcsetattr` call, taking no lock that the UI thread might hold.
static ORIGINAL_TERMIOS: OnceLock<libc::termios> = OnceLock::new();
/// Set once the screen is ours; the restore paths do nothing when it is clear.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Leave the alternate screen, show the cursor, reset attributes.
const RESTORE_SEQ: &[u8] = b"\x1b[0m\x1b[?25h\x1b[?1049l";

pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// Takes over the terminal. Call [`restore`] (or let [`Guard`] do it) on the way out.
pub fn init() -> io::Result<(Tui, Guard)> {
    // SAFETY: tcgetattr writes into the zeroed struct we own; fd 0 is our controlling tty.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(libc::STDIN_FILENO, &mut t) == 0 {
            let _ = ORIGINAL_TERMIOS.set(t);
        }
    }
    install_panic_hook();
    install_signal_thread()?;
    crossterm::terminal::enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut stdout = io::stdout();
    if let Err(e) = crossterm::execute!(stdout, EnterAlternateScreen) {
        restore();
        return Err(e);
    }
    let term = match Terminal::new(CrosstermBackend::new(stdout)) {
        Ok(t) => t,
        Err(e) => {
            restore();
            return Err(e);
        }
    };
    Ok((term, Guard))
}

/// Restores the terminal; safe to call more than once and from any thread.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    // Raw writes and tcsetattr: no Rust stdout lock, which a UI thread stuck in a write to a
    // vanished SSH session could be holding.
    // SAFETY: writing a static buffer to fd 1 and restoring a termios we read earlier.
    unsafe {
        let _ = libc::write(
            libc::STDOUT_FILENO,
            RESTORE_SEQ.as_ptr().cast(),
            RESTORE_SEQ.len(),
        );
        if let Some(t) = ORIGINAL_TERMIOS.get() {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, t);
        }
    }
    // Keeps crossterm's own idea of raw mode consistent for a later init (tests, re-entry).
    let _ = crossterm::terminal::disable_raw_mode();
}

/// Restores the terminal when dropped: covers `?` returns and unwinding.
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

fn install_panic_hook() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let was_ours = ACTIVE.load(Ordering::SeqCst);
            restore();
            if !was_ours {
                previous(info);
                return;
            }
            crate::diag::log_panic(info);
            let what = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown error".into());
            let place = info
                .location()
                .map(|l| format!(" ({}:{})", l.file(), l.line()))
                .unwrap_or_default();
            eprintln!(
                "jicha: the screen stopped on an internal error: {what}{place}\n\
                 Any change in progress was rolled back; the dataset is consistent. Please report this message."
            );
        }));
    });
}

/// SIGTERM and SIGHUP: restore and leave at once. Waiting for the event loop is not safe:
/// crossterm 0.28 can spin on a dead SSH terminal (crossterm issue 793). An unfinished write
/// transaction is rolled back by SQLite's journal, so nothing is left half done.
fn install_signal_thread() -> io::Result<()> {
    static ONCE: OnceLock<()> = OnceLock::new();
    if ONCE.get().is_some() {
        return Ok(());
    }
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ])?;
    ONCE.get_or_init(|| ());
    std::thread::Builder::new()
        .name("jicha-signals".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                restore();
                // SAFETY: _exit ends the process without running destructors or atexit
                // handlers, none of which may run safely while another thread holds locks.
                unsafe { libc::_exit(128 + sig) };
            }
        })?;
    Ok(())
}
