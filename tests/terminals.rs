//! Terminal types and escape timing, on the real binary in tmux over a scanned 1,000-customer
//! demo dataset: with TERM `linux`, `screen`, `xterm-256color` and `dumb`, with and without
//! NO_COLOR, and tmux `escape-time` 0 and 500, the first screen is up in under 1 s and `q`
//! quits cleanly; a lone Esc, and an Esc split from the rest of its sequence (`Escape`, then
//! `[A` 100 ms later), on the findings screen and inside a confirmation dialog never performs
//! an action: the dataset and its log are unchanged.

mod tty;

use std::path::Path;
use std::time::{Duration, Instant};
use tty::*;

const TERMS: [&str; 4] = ["linux", "screen", "xterm-256color", "dumb"];

/// Starts the UI with `env` in a tmux with `escape_ms`; returns the server and the time from
/// the Enter that launches it to the first screen.
fn launch(tag: &str, env: &str, escape_ms: u32) -> (Tmux, Duration) {
    let db = dataset();
    let cmd = format!(
        "read _; env {env} {}; echo \"exit=$?\"; sleep 20",
        ui_cmd(db)
    );
    let t = Tmux::start(tag, &format!("sh -c '{cmd}'"), escape_ms);
    std::thread::sleep(Duration::from_millis(150));
    t.keys(&["Enter"]);
    let start = Instant::now();
    t.wait_for_within("Daily alerts", Duration::from_secs(5));
    (t, start.elapsed())
}

fn starts_fast_and_quits(escape_ms: u32) {
    let mut times = Vec::new();
    for term in TERMS {
        for no_color in [false, true] {
            let env = if no_color {
                format!("TERM={term} NO_COLOR=1")
            } else {
                format!("-u NO_COLOR TERM={term}")
            };
            let (t, took) = launch("term", &env, escape_ms);
            times.push(format!("{env} escape-time {escape_ms}: {took:?}"));
            assert!(
                took < Duration::from_secs(1),
                "{env}, escape-time {escape_ms}: first screen after {took:?}"
            );
            let screen = t.screen();
            assert!(!screen.contains("panicked"), "{env}: {screen}");
            t.keys(&["q"]);
            let s = t.wait_for("exit=0");
            assert!(!s.contains("internal error"), "{env}: {s}");
        }
    }
    eprintln!("{}", times.join("\n"));
}

#[test]
fn every_term_starts_within_1s_escape_time_0() {
    starts_fast_and_quits(0);
}

#[test]
fn every_term_starts_within_1s_escape_time_500() {
    starts_fast_and_quits(500);
}

/// What an action would change: the open findings and the log's length.
fn state(db: &Path) -> (String, String) {
    let findings = jicha(
        db,
        &["findings", "--format", "csv", "--suppressed", "include"],
    );
    let log = jicha(db, &["log", "verify"]);
    let records = log
        .split_whitespace()
        .skip_while(|w| *w != "verified:")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    assert!(records.parse::<u64>().is_ok(), "log verify: {log}");
    (findings, records)
}

/// Escape alone, or Escape and then `[A` as a separate write 100 ms later.
fn esc(t: &Tmux, split: bool) {
    t.keys(&["Escape"]);
    if split {
        std::thread::sleep(Duration::from_millis(100));
        t.literal("[A");
    }
    std::thread::sleep(Duration::from_millis(300));
}

fn esc_never_acts(escape_ms: u32) {
    let db = dataset();
    let before = state(db);
    for split in [false, true] {
        let (t, _) = launch("esc", "TERM=xterm-256color", escape_ms);
        // On the findings screen, with two findings marked.
        t.keys(&["2"]);
        // The rows, not just the table's heading: Space on a list still loading marks nothing.
        t.wait_for(" high ");
        t.keys(&["Space", "Space"]);
        t.wait_for("2 marked");
        esc(&t, split);
        // Back on the findings screen with the marks, then inside the bulk confirmation.
        t.keys(&["2"]);
        t.wait_for("# Sev");
        t.keys(&["c"]);
        t.wait_for("Confirm 2 marked findings");
        esc(&t, split);
        let screen = t.screen();
        assert!(
            !screen.contains("confirmed"),
            "escape-time {escape_ms}, split {split}: {screen}"
        );
        // A confirmation dialog again, Esc again; then quit.
        // The marks are still there, so the question comes again: wait for it (reading the
        // screen at once raced the redraw, and a `q` sent into the question is ignored).
        t.keys(&["2"]);
        t.keys(&["c"]);
        t.wait_for("Confirm 2 marked findings");
        esc(&t, split);
        t.keys(&["q"]);
        let _ = t.wait_for("exit=");
        assert_eq!(
            state(db),
            before,
            "escape-time {escape_ms}, split {split}: the dataset changed"
        );
    }
}

#[test]
fn esc_never_acts_escape_time_0() {
    esc_never_acts(0);
}

#[test]
fn esc_never_acts_escape_time_500() {
    esc_never_acts(500);
}
