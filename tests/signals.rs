//! Signals and disconnects, on the real binary in tmux over a scanned 1,000-customer demo
//! dataset: SIGTERM ends the UI within 1 s and SIGHUP within 2 s, leaving the pane's tty exactly
//! as it was (`stty -g` before = after: raw mode off) and the alternate screen left; the same
//! when jicha is not the session leader (a child of `sh -c '…; sleep'`); dropping the "link"
//! (the terminal server goes away) ends it without spinning (CPU time from `/proc/PID/stat`);
//! and a panic restores the terminal and prints a readable message.

mod tty;

use std::time::Duration;
use tty::*;

/// How jicha is started in the pane: as the pane's own process (the session leader), or as a
/// child of a shell that outlives it (not the session leader, like a wrapper script).
#[derive(Clone, Copy, Debug)]
enum Launch {
    Leader,
    Child,
}

/// Starts the UI in a fresh tmux; returns the server, the jicha pid, `stty -g` from before it
/// started. The shell waits on `read` (cooked mode, no line editor) so that the "before"
/// settings can be taken first.
fn start_ui(tag: &str, launch: Launch, env: &str) -> (Tmux, i32, String) {
    let db = dataset();
    let ui = ui_cmd(db);
    let cmd = match launch {
        Launch::Leader => format!("read _; exec env {env} {ui}"),
        Launch::Child => format!("read _; env {env} {ui}; echo \"exit=$?\"; sleep 20"),
    };
    let t = Tmux::start(tag, &format!("sh -c '{cmd}'"), 0);
    let tty = t.pane_tty();
    // The shell's `read` is waiting once the tty is in its steady state.
    std::thread::sleep(Duration::from_millis(200));
    let before = stty(&tty);
    t.keys(&["Enter"]);
    t.wait_for("Daily alerts");
    let pid = find_jicha(t.pane_pid());
    match launch {
        Launch::Leader => assert_eq!(pid, t.pane_pid()),
        Launch::Child => assert_ne!(pid, t.pane_pid(), "jicha is not the session leader"),
    }
    // While the UI runs the terminal is really changed, so the checks below can fail.
    assert_ne!(stty(&tty), before, "raw mode is on while the UI runs");
    assert_eq!(
        t.format("#{alternate_on}"),
        "1",
        "UI on the alternate screen"
    );
    (t, pid, before)
}

/// The tty settings (when the pane's tty outlives jicha, i.e. it was a child of the pane's
/// shell) and the screen state tmux keeps for the pane.
fn assert_restored(t: &Tmux, before: &str, launch: Launch, what: &str) {
    // tmux reads the pane's last output and notices its end in its own time.
    let start = std::time::Instant::now();
    while let Launch::Leader = launch {
        if t.format("#{pane_dead}") == "1" {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{what}: pane not dead"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    if let Launch::Child = launch {
        assert_eq!(
            stty(&t.pane_tty()),
            before,
            "{what}: tty settings not restored"
        );
    }
    assert_eq!(
        t.format("#{alternate_on}"),
        "0",
        "{what}: still on the alternate screen"
    );
    // tmux 3.3a reports the cursor flag of a dead pane unreliably (the same byte stream gives
    // either value), so the cursor is checked where the pane lives on.
    if let Launch::Child = launch {
        assert_eq!(t.format("#{cursor_flag}"), "1", "{what}: cursor hidden");
    }
}

fn signal_case(sig: i32, name: &str, limit: Duration) {
    for launch in [Launch::Child, Launch::Leader] {
        let what = format!("{name}, {launch:?}");
        let (t, pid, before) = start_ui(name, launch, "");
        send_signal(pid, sig);
        let (took, cpu) = wait_gone(pid, limit);
        eprintln!("{what}: gone after {took:?}, {cpu} CPU ticks");
        assert_restored(&t, &before, launch, &what);
        if let Launch::Child = launch {
            t.wait_for(&format!("exit={}", 128 + sig));
        }
    }
}

#[test]
fn sigterm_restores_the_terminal_within_1s() {
    signal_case(libc::SIGTERM, "SIGTERM", Duration::from_secs(1));
}

#[test]
fn sighup_restores_the_terminal_within_2s() {
    signal_case(libc::SIGHUP, "SIGHUP", Duration::from_secs(2));
}

#[test]
fn dropped_link_ends_the_ui_without_spinning() {
    for launch in [Launch::Leader, Launch::Child] {
        // The pane goes away (as when sshd closes the pty), then the whole terminal server.
        let (t, pid, _) = start_ui("drop", launch, "");
        let cpu_before = stat(pid).unwrap().3;
        let out = t.tmux(&["kill-pane", "-t", "main"]);
        assert!(out.status.success());
        let (took, cpu) = wait_gone(pid, Duration::from_secs(2));
        eprintln!("link dropped, {launch:?}: gone after {took:?}, {cpu} CPU ticks");
        // 2 s of spinning would be ~200 ticks; an orderly exit takes a few.
        assert!(cpu < 30, "{launch:?}: {cpu} ticks of CPU while dying");
        assert!(stat(pid).is_none_or(|s| s.3 - cpu_before < 30));

        let (t2, pid2, _) = start_ui("drop-server", launch, "");
        t2.kill_server();
        let (took, cpu) = wait_gone(pid2, Duration::from_secs(2));
        eprintln!("server killed, {launch:?}: gone after {took:?}, {cpu} CPU ticks");
        assert!(cpu < 30, "{launch:?}: {cpu} ticks of CPU while dying");
        drop(t);
    }
}

#[test]
fn a_panic_restores_the_terminal_and_says_what_happened() {
    // The hook panics right after the first frame; the "before" settings are taken while the
    // shell waits on `read`.
    let db = dataset();
    let cmd = format!(
        "read _; JICHA_TEST_PANIC=1 {}; echo \"exit=$?\"; sleep 20",
        ui_cmd(db)
    );
    let t = Tmux::start("panic", &format!("sh -c '{cmd}'"), 0);
    std::thread::sleep(Duration::from_millis(200));
    let before = stty(&t.pane_tty());
    t.keys(&["Enter"]);
    let screen = t.wait_for("exit=101");
    assert!(
        screen.contains("jicha: the screen stopped on an internal error"),
        "{screen}"
    );
    assert!(screen.contains("dataset is consistent"), "{screen}");
    assert_restored(&t, &before, Launch::Child, "panic");
}
