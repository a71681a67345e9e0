//! The terminal UI's diagnostic log goes to the daily file, never to the screen it draws on:
//! a panic is logged there (what and where) while the terminal is restored as always.

mod tty;

use std::time::Duration;
use tty::*;

#[test]
fn a_panic_in_the_ui_is_logged_to_the_file_and_not_drawn_on_the_screen() {
    let db = dataset();
    let logs = tempfile::tempdir().unwrap();
    let cmd = format!(
        "read _; JICHA_TEST_PANIC=1 {} --log-dir {}; echo \"exit=$?\"; sleep 20",
        ui_cmd(db),
        logs.path().display()
    );
    let t = Tmux::start("panic-log", &format!("sh -c '{cmd}'"), 0);
    std::thread::sleep(Duration::from_millis(200));
    t.keys(&["Enter"]);
    let screen = t.wait_for("exit=101");
    assert!(
        screen.contains("jicha: the screen stopped on an internal error"),
        "{screen}"
    );
    assert!(
        !screen.contains("jicha::"),
        "no log line on the screen: {screen}"
    );
    let file = std::fs::read_dir(logs.path())
        .unwrap()
        .next()
        .expect("a log file")
        .unwrap()
        .path();
    let text = std::fs::read_to_string(&file).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("jicha::panic"))
        .unwrap_or_else(|| panic!("no panic line in {}:\n{text}", file.display()));
    assert!(
        line.contains("ERROR") && line.contains("JICHA_TEST_PANIC"),
        "{line}"
    );
    assert!(line.contains("src/ui/mod.rs"), "where it happened: {line}");
}
