//! The real binary in tmux, driven by keys like an operator: triage a finding on the findings
//! screen at 80×24, quit, and check the result with the CLI. Needs tmux (`.ci/run` installs it).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_jicha");

fn jicha(db: &Path, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(["--today", "2026-11-23", "--lang", "en"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "jicha {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A scanned 1,000-customer demo dataset in a temp dir.
fn dataset() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    let db = dir.path().join("e2e.jicha");
    jicha(
        &db,
        &[
            "demo",
            "--out",
            export.to_str().unwrap(),
            "--customers",
            "1000",
            "--end",
            "2026-10",
        ],
    );
    jicha(&db, &["import", export.to_str().unwrap()]);
    jicha(&db, &["scan"]);
    (dir, db)
}

struct Tmux {
    session: String,
}

impl Tmux {
    fn start(cmd: &str, env: &[(&str, &str)]) -> Tmux {
        let session = format!("jicha-e2e-{}-{}", std::process::id(), rand_suffix());
        let mut c = Command::new("tmux");
        c.args(["new-session", "-d", "-s", &session, "-x", "80", "-y", "24"]);
        for (k, v) in env {
            c.args(["-e", &format!("{k}={v}")]);
        }
        let status = c
            .arg(cmd)
            .status()
            .expect("tmux is installed (.ci/run installs it)");
        assert!(status.success());
        Tmux { session }
    }

    fn keys(&self, keys: &[&str]) {
        let status = Command::new("tmux")
            .args(["send-keys", "-t", &self.session])
            .args(keys)
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn screen(&self, escapes: bool) -> String {
        let mut c = Command::new("tmux");
        c.args(["capture-pane", "-p", "-t", &self.session]);
        if escapes {
            c.arg("-e");
        }
        String::from_utf8_lossy(&c.output().unwrap().stdout).into_owned()
    }

    /// Waits up to 10 s for `text` on screen; returns the screen.
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen(false);
            if s.contains(text) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "never saw {text:?}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits up to 10 s for the findings list to show its first `n` rows; their ids. The
    /// table's heading is drawn before the rows arrive from the background query.
    fn first_rows(&self, n: usize) -> Vec<i64> {
        let start = Instant::now();
        loop {
            let s = self.screen(false);
            if let Some(ids) = first_rows(&s, n) {
                return ids;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "never saw {n} rows of the findings list; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn alive(&self) -> bool {
        Command::new("tmux")
            .args(["has-session", "-t", &self.session])
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap()
            .success()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.session])
            .status();
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
        % 1_000_000
}

#[test]
fn triage_by_keys_in_tmux_then_check_with_the_cli() {
    let (_dir, db) = dataset();
    // The session ends when jicha exits, so `alive` tells whether it quit.
    let t = Tmux::start(
        &format!("{BIN} --db {} --today 2026-11-23 --lang en", db.display()),
        &[],
    );
    let dash = t.wait_for("Daily alerts");
    assert!(dash.contains("Rule hit counts"), "{dash}");
    for line in dash.lines() {
        assert!(
            jicha::text::width(line) <= 80,
            "line wider than 80 columns: {line}"
        );
    }
    t.keys(&["2"]);
    // The first row of the list is the worst finding; take its id from the screen.
    let id = t.first_rows(1)[0];
    t.keys(&["c"]);
    t.wait_for("1 finding confirmed");
    t.keys(&["q"]);
    let start = Instant::now();
    while t.alive() {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "jicha did not quit on q"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    let json: serde_json::Value =
        serde_json::from_str(&jicha(&db, &["findings", "--format", "json"])).unwrap();
    let f = json
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap();
    assert_eq!(f["status"], "confirmed", "finding {id}");
    let log = jicha(&db, &["log", "--limit", "1"]);
    assert!(
        log.contains("finding.confirm") && log.contains(&format!("finding:{id}")),
        "{log}"
    );
    assert!(jicha(&db, &["log", "verify"]).contains("chain intact"));
}

#[test]
fn no_color_sends_no_colour_codes() {
    let (_dir, db) = dataset();
    let t = Tmux::start(
        &format!("{BIN} --db {} --today 2026-11-23 --lang zh", db.display()),
        &[("NO_COLOR", "1")],
    );
    t.wait_for("今日预警");
    let raw = t.screen(true);
    // SGR colour parameters: 30–37/90–97 foreground, 40–47/100–107 background, 38;/48; extended.
    let colour = regex_lite_colour(&raw);
    assert!(
        colour.is_none(),
        "colour code {colour:?} with NO_COLOR; screen:\n{raw}"
    );
}

/// Finds an SGR sequence that sets a colour, without a regex crate.
fn regex_lite_colour(s: &str) -> Option<String> {
    for seq in s.split("\u{1b}[").skip(1) {
        let Some(end) = seq.find('m') else { continue };
        let params = &seq[..end];
        if !params.chars().all(|c| c.is_ascii_digit() || c == ';') {
            continue;
        }
        for p in params.split(';') {
            if let Ok(n) = p.parse::<u32>() {
                if (30..=38).contains(&n)
                    || (40..=48).contains(&n)
                    || (90..=97).contains(&n)
                    || (100..=107).contains(&n)
                {
                    return Some(params.to_string());
                }
            }
        }
    }
    None
}

#[test]
fn too_small_terminal_says_so() {
    let (_dir, db) = dataset();
    let t = Tmux::start(
        &format!("{BIN} --db {} --today 2026-11-23 --lang en", db.display()),
        &[],
    );
    t.wait_for("Daily alerts");
    Command::new("tmux")
        .args(["resize-window", "-t", &t.session, "-x", "70", "-y", "20"])
        .status()
        .unwrap();
    let s = t.wait_for("80×24");
    assert!(s.to_lowercase().contains("enlarge"), "{s}");
    Command::new("tmux")
        .args(["resize-window", "-t", &t.session, "-x", "100", "-y", "30"])
        .status()
        .unwrap();
    t.wait_for("Daily alerts");
}

/// The finding ids of the first `n` rows of the findings list on screen; None until they are
/// all drawn.
fn first_rows(screen: &str, n: usize) -> Option<Vec<i64>> {
    let ids: Vec<i64> = screen
        .lines()
        .skip_while(|l| !l.contains("# Sev"))
        .skip(1)
        .take(n)
        .map_while(|row| {
            row.trim_start_matches(['│', ' ', '*', '!'])
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        })
        .collect();
    (ids.len() == n).then_some(ids)
}

#[test]
fn w_with_two_marks_asks_with_the_count_and_whitelists_exactly_those() {
    let (_dir, db) = dataset();
    let t = Tmux::start(
        &format!("{BIN} --db {} --today 2026-11-23 --lang en", db.display()),
        &[],
    );
    t.wait_for("Daily alerts");
    t.keys(&["2"]);
    // The rows, not just the table's heading: Space on a list still loading marks nothing.
    let rows = t.first_rows(3);
    // Their rules and customers, read before anything is whitelisted (and hidden).
    let all: serde_json::Value =
        serde_json::from_str(&jicha(&db, &["findings", "--format", "json"])).unwrap();
    let subject = |id: i64| {
        let f = all
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .unwrap_or_else(|| panic!("finding {id}"));
        (
            f["rule"].as_str().unwrap().to_string(),
            f["cust_no"].as_str().unwrap().to_string(),
        )
    };
    let mut want: Vec<(String, String)> = rows[..2].iter().map(|id| subject(*id)).collect();
    want.sort();
    want.dedup();
    // Mark the first two; the cursor rests on the third, which nobody chose.
    t.keys(&["Space", "Space"]);
    t.wait_for("2 marked");
    t.keys(&["w"]);
    let dialog = t.wait_for("Whitelist 2 marked findings");
    assert!(dialog.contains("each finding's own rule"), "{dialog}");
    t.keys(&["Enter"]);
    t.wait_for("Days (1-365");
    t.keys(&["Enter"]);
    t.wait_for("Reason for the whitelist entry");
    t.keys(&["-l", "tmux mark test"]);
    t.keys(&["C-s"]);
    let confirm = t.wait_for("Whitelist 2 marked findings?");
    // The footer comes from the keymap's [confirm] section.
    assert!(confirm.contains("y/Y/Enter yes"), "{confirm}");
    t.keys(&["y"]);
    t.wait_for("whitelisted");
    t.keys(&["q"]);
    let start = Instant::now();
    while t.alive() {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "jicha did not quit"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // The entries are exactly the marked findings' rules and customers.
    let wl: serde_json::Value =
        serde_json::from_str(&jicha(&db, &["whitelist", "list", "--format", "json"])).unwrap();
    let mut got: Vec<(String, String)> = wl
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["reason"] == "tmux mark test")
        .map(|e| {
            (
                e["rule"].as_str().unwrap().to_string(),
                e["cust_no"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(got, want, "marked {:?}, cursor on {}", &rows[..2], rows[2]);
    assert!(jicha(&db, &["log", "verify"]).contains("chain intact"));
}
