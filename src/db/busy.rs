//! Waiting out other processes' locks. Each statement waits up to `BUSY_TIMEOUT` in SQLite's
//! busy handler (`wait_for_locks`, which logs each wait to the diagnostic log); SQLite skips that handler where waiting could deadlock (a read transaction
//! upgraded to a write, the WAL switch of a rollback-mode file, a stale WAL snapshot) and
//! answers SQLITE_BUSY at once. So every step that touches the file runs as one unit under
//! `retry`, which re-runs the whole unit with a growing, jittered pause until `BUSY_WINDOW` has
//! passed, then gives up with a message that says what to do.

use crate::error::{JichaError, Result};
use rusqlite::ErrorCode;
use std::cell::Cell;
use std::time::{Duration, Instant};

/// How long one statement waits for another process's lock before SQLite reports it busy.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole unit of work (opening the dataset, or one write) is retried while the
/// dataset stays busy: long enough to wait out the longest write jicha makes, the import of a
/// 1,000,000-customer export (35–45 s in BENCHMARKS.md), on a loaded machine. Documented in
/// README "Sharing a dataset".
pub const BUSY_WINDOW: Duration = Duration::from_secs(120);

/// Whether an error means another process holds the lock we need (including the extended
/// codes SQLITE_BUSY_SNAPSHOT, SQLITE_BUSY_RECOVERY and SQLITE_LOCKED_SHAREDCACHE, whose
/// primary code is BUSY or LOCKED).
pub fn is_busy(e: &JichaError) -> bool {
    matches!(e, JichaError::Sql(rusqlite::Error::SqliteFailure(f, _))
        if f.code == ErrorCode::DatabaseBusy || f.code == ErrorCode::DatabaseLocked)
}

thread_local! {
    /// The busy waits SQLite's busy handler made on this thread (`wait_for_locks`), since the
    /// `retry` that runs it began: `retry` logs how the wait ended.
    static HANDLER_WAITS: Cell<u32> = const { Cell::new(0) };
}

/// SQLite's own schedule of pauses between attempts at a lock (`sqliteDefaultBusyCallback`),
/// in milliseconds; after the last, each pause is the last.
const PAUSES_MS: [u64; 12] = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100];

/// Sets `conn`'s busy handler: what `Connection::busy_timeout(timeout)` does (wait and try the
/// lock again, up to `timeout`, on SQLite's schedule), and also logs the wait to the diagnostic
/// log: the first attempt of each wait for a lock at warn ("dataset busy, retrying … retry=1"),
/// later ones at debug. How the wait ended is logged by `retry`.
pub fn wait_for_locks(conn: &mut rusqlite::Connection, timeout: Duration) -> Result<()> {
    let mut started = Instant::now();
    conn.busy_handler(Some(move |count: i32| {
        // `count`: how many times SQLite called this for the same lock: 0 begins a new wait.
        if count == 0 {
            started = Instant::now();
        }
        let waited = started.elapsed();
        if waited >= timeout {
            return false;
        }
        let retry = u32::try_from(count).unwrap_or(u32::MAX).saturating_add(1);
        HANDLER_WAITS.with(|w| w.set(w.get().saturating_add(1)));
        let waited_ms = waited.as_millis() as u64;
        if retry == 1 {
            tracing::warn!(
                target: "jicha::busy",
                retry,
                waited_ms,
                "dataset busy, retrying: another connection holds the lock; waiting up to {} s",
                timeout.as_secs()
            );
        } else {
            tracing::debug!(target: "jicha::busy", retry, waited_ms, "dataset busy, retrying");
        }
        let pause = PAUSES_MS[(retry as usize - 1).min(PAUSES_MS.len() - 1)];
        let pause = Duration::from_millis(pause).min(timeout.saturating_sub(waited));
        std::thread::sleep(pause);
        true
    }))?;
    Ok(())
}

/// Runs `unit` until it succeeds, fails for a reason other than a busy dataset, or the dataset
/// has stayed busy for `BUSY_WINDOW`; then the busy error is returned as it is (the caller
/// words it for its step).
pub fn retry<T>(mut unit: impl FnMut() -> Result<T>) -> Result<T> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(5);
    let mut seed = jitter_seed();
    let mut retries = 0u32;
    HANDLER_WAITS.with(|w| w.set(0));
    loop {
        match unit() {
            Err(e) if is_busy(&e) && start.elapsed() < BUSY_WINDOW => {
                retries += 1;
                tracing::warn!(
                    target: "jicha::busy",
                    retries,
                    waited_ms = start.elapsed().as_millis() as u64,
                    "dataset busy, retrying: {e}"
                );
                // Jitter so that processes that collided once do not collide again in step.
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let jitter = (seed >> 33) % (pause.as_micros() as u64 + 1);
                std::thread::sleep(pause / 2 + Duration::from_micros(jitter));
                pause = (pause * 2).min(Duration::from_millis(500));
            }
            other => {
                let handler_waits = HANDLER_WAITS.with(|w| w.replace(0));
                if retries > 0 || handler_waits > 0 {
                    tracing::info!(
                        target: "jicha::busy",
                        retries,
                        handler_waits,
                        waited_ms = start.elapsed().as_millis() as u64,
                        ok = other.is_ok(),
                        "dataset busy wait ended"
                    );
                }
                return other;
            }
        }
    }
}

fn jitter_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    (u64::from(std::process::id()) << 32) ^ u64::from(nanos)
}

/// The message for a dataset that stayed busy for the whole window.
pub fn busy_message(path: &std::path::Path, doing: &str) -> JichaError {
    JichaError::DatasetSaid(crate::i18n::dataset::DatasetWrong::Busy {
        path: path.display().to_string(),
        seconds: BUSY_WINDOW.as_secs(),
        doing: doing.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn busy(extended: i32) -> JichaError {
        JichaError::Sql(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(extended),
            None,
        ))
    }

    #[test]
    fn extended_busy_codes_are_busy() {
        for code in [
            rusqlite::ffi::SQLITE_BUSY,
            rusqlite::ffi::SQLITE_BUSY_SNAPSHOT,
            rusqlite::ffi::SQLITE_BUSY_RECOVERY,
            rusqlite::ffi::SQLITE_LOCKED,
        ] {
            assert!(is_busy(&busy(code)), "code {code}");
        }
        assert!(!is_busy(&busy(rusqlite::ffi::SQLITE_FULL)));
    }

    #[test]
    fn retry_reruns_the_whole_unit_until_it_succeeds() {
        let mut runs = 0;
        let got = retry(|| {
            runs += 1;
            if runs < 4 {
                Err(busy(rusqlite::ffi::SQLITE_BUSY_SNAPSHOT))
            } else {
                Ok(runs)
            }
        })
        .unwrap();
        assert_eq!(got, 4);
    }

    #[test]
    fn retry_does_not_repeat_other_errors() {
        let mut runs = 0;
        let got: Result<()> = retry(|| {
            runs += 1;
            Err(busy(rusqlite::ffi::SQLITE_FULL))
        });
        assert!(got.is_err());
        assert_eq!(runs, 1);
    }
}
