//! The diagnostic log, for whoever runs the server: timings, row counts, busy retries, refused
//! imports and panics, through `tracing`. It is not the action log (that is the dataset's
//! hash-chained record of who changed what); nothing here is evidence and nothing here is read
//! back.
//!
//! Where it goes: with a log directory (`--log-dir DIR` or `log_dir` in a config file) a daily
//! file `DIR/jicha.YYYY-MM-DD.log` (UTC date), for the CLI and the UI alike; without one, the CLI
//! writes to stderr when `--log-level`/`$JICHA_LOG` asks (default off, so output stays clean)
//! and the UI writes nothing: stderr is the terminal it draws on.

use crate::error::{JichaError, Result};
use std::path::Path;
use std::sync::OnceLock;
use tracing_subscriber::filter::LevelFilter;

/// The level when a log directory is given and no level is: enough to see timings and counts.
pub const FILE_DEFAULT: LevelFilter = LevelFilter::INFO;

/// `off`, `error`, `warn`, `info`, `debug` or `trace` (`--log-level`, `$JICHA_LOG`).
pub fn parse_level(s: &str) -> std::result::Result<LevelFilter, String> {
    match s.to_ascii_lowercase().as_str() {
        "off" => Ok(LevelFilter::OFF),
        "error" => Ok(LevelFilter::ERROR),
        "warn" => Ok(LevelFilter::WARN),
        "info" => Ok(LevelFilter::INFO),
        "debug" => Ok(LevelFilter::DEBUG),
        "trace" => Ok(LevelFilter::TRACE),
        _ => Err(format!(
            "`{s}` is not a log level; use off, error, warn, info, debug or trace"
        )),
    }
}

/// Where the diagnostic log of this process goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sink {
    None,
    Stderr,
    File,
}

/// Where the log goes for this run: see the module comment.
pub fn sink_for(level: Option<LevelFilter>, dir: Option<&Path>, ui: bool) -> Sink {
    match (dir, level) {
        (_, Some(LevelFilter::OFF)) => Sink::None,
        (Some(_), _) => Sink::File,
        (None, Some(_)) if !ui => Sink::Stderr,
        _ => Sink::None,
    }
}

/// Starts the diagnostic log of this process (once; later calls, as in tests that run several
/// commands in one process, keep the first). A log directory that cannot be made or written is
/// refused at start, with what to fix, in `lang`.
pub fn init(
    level: Option<LevelFilter>,
    dir: Option<&Path>,
    ui: bool,
    lang: crate::context::Lang,
) -> Result<()> {
    static STARTED: OnceLock<()> = OnceLock::new();
    if STARTED.get().is_some() {
        return Ok(());
    }
    let sink = sink_for(level, dir, ui);
    let builder = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_target(true)
        .with_max_level(level.unwrap_or(FILE_DEFAULT));
    let installed = match (sink, dir) {
        (Sink::File, Some(dir)) => {
            let shown = crate::text::escape(&dir.display().to_string()).into_owned();
            let file = tracing_appender::rolling::Builder::new()
                .rotation(tracing_appender::rolling::Rotation::DAILY)
                .filename_prefix("jicha")
                .filename_suffix("log")
                .build(dir)
                .map_err(|e| {
                    let wrong = crate::i18n::config::ConfigWrong::LogDir {
                        dir: shown,
                        why: e.to_string(),
                    };
                    JichaError::Usage(wrong.text(lang))
                })?;
            builder.with_writer(file).try_init()
        }
        (Sink::Stderr, _) => builder.with_writer(std::io::stderr).try_init(),
        _ => return Ok(()),
    };
    // Another subscriber already set (a test harness): keep it.
    let _ = installed;
    STARTED.get_or_init(|| ());
    install_panic_hook();
    Ok(())
}

/// Logs a panic: what and where. The terminal's own hook calls this while the UI is up.
pub fn log_panic(info: &std::panic::PanicHookInfo<'_>) {
    let what = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown error".into());
    let place = info
        .location()
        .map(|l| format!("{}:{}", l.file(), l.line()))
        .unwrap_or_default();
    tracing::error!(target: "jicha::panic", %place, "panic: {what}");
}

/// Logs every panic, then does what was done before (print the message; the UI's hook, set
/// later over this one, restores the terminal first and logs through `log_panic`).
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        log_panic(info);
        previous(info);
    }));
}

/// Logs how long `what` took, in milliseconds, with its row count.
pub fn timed(what: &str, rows: u64, start: std::time::Instant) {
    tracing::info!(
        target: "jicha::timing",
        ms = start.elapsed().as_millis() as u64,
        rows,
        "{what}"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_parse_and_bad_ones_say_the_choices() {
        assert_eq!(parse_level("WARN"), Ok(LevelFilter::WARN));
        assert_eq!(parse_level("off"), Ok(LevelFilter::OFF));
        let e = parse_level("loud").unwrap_err();
        assert!(e.contains("off, error, warn, info, debug or trace"), "{e}");
    }

    #[test]
    fn the_ui_never_logs_to_its_terminal() {
        let dir = Path::new("/var/log/jicha");
        assert_eq!(sink_for(Some(LevelFilter::DEBUG), None, true), Sink::None);
        assert_eq!(sink_for(None, Some(dir), true), Sink::File);
        assert_eq!(sink_for(Some(LevelFilter::WARN), None, false), Sink::Stderr);
        assert_eq!(sink_for(None, None, false), Sink::None, "quiet by default");
        assert_eq!(
            sink_for(Some(LevelFilter::OFF), Some(dir), false),
            Sink::None
        );
    }
}
