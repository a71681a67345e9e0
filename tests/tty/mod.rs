//! The real binary on a real terminal: a private tmux server per test (its own socket, so
//! server options such as `escape-time` do not leak between tests), the pane's tty settings
//! (`stty -g`), the process behind the pane, and its CPU time from `/proc`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_jicha");
pub const TODAY: &str = "2026-11-23";

pub fn jicha(db: &Path, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(["--today", TODAY, "--lang", "en"])
        .args(args)
        .env_remove("JICHA_DB")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "jicha {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// One scanned 1,000-customer demo dataset per test binary (`jicha demo` + import + scan),
/// shared by its tests; they only read it, or check that it did not change.
pub fn dataset() -> &'static Path {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        // One directory per test binary, replaced on each run.
        let exe = std::env::current_exe().unwrap();
        let name = exe.file_stem().unwrap().to_string_lossy().into_owned();
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("tty-{}", name.split('-').next().unwrap_or("t")));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let export = dir.join("export");
        let db = dir.join("tty.jicha");
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
        db
    })
}

/// The shell command that starts the UI on `db`.
pub fn ui_cmd(db: &Path) -> String {
    format!("{BIN} --db {} --today {TODAY} --lang en", db.display())
}

pub struct Tmux {
    pub socket: String,
}

impl Tmux {
    /// A private server with `escape-time` set, one 80×24 window running `cmd` under `sh -c`.
    /// The pane stays (dead) after its command exits, so its tty can still be inspected.
    pub fn start(tag: &str, cmd: &str, escape_ms: u32) -> Tmux {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let socket = format!(
            "jicha-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        );
        let t = Tmux { socket };
        let esc = escape_ms.to_string();
        let status = Command::new("tmux")
            .args(["-L", &t.socket, "-f", "/dev/null"])
            .args([
                "new-session",
                "-d",
                "-s",
                "main",
                "-x",
                "80",
                "-y",
                "24",
                cmd,
            ])
            .args([";", "set-option", "-s", "escape-time", &esc])
            .args([";", "set-option", "-g", "remain-on-exit", "on"])
            .args([";", "set-option", "-w", "remain-on-exit", "on"])
            .env_remove("TMUX")
            .status()
            .expect("tmux is installed (.ci/run installs it)");
        assert!(status.success(), "tmux new-session");
        t
    }

    pub fn tmux(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .stderr(Stdio::piped())
            .output()
            .unwrap()
    }

    pub fn format(&self, f: &str) -> String {
        let out = self.tmux(&["display-message", "-p", "-t", "main", f]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut a = vec!["send-keys", "-t", "main"];
        a.extend_from_slice(keys);
        assert!(self.tmux(&a).status.success());
    }

    pub fn literal(&self, text: &str) {
        assert!(self
            .tmux(&["send-keys", "-t", "main", "-l", text])
            .status
            .success());
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "main"]).stdout)
            .into_owned()
    }

    /// Waits up to `limit` for `text` on screen; returns the screen.
    pub fn wait_for_within(&self, text: &str, limit: Duration) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            assert!(
                start.elapsed() < limit,
                "never saw {text:?} within {limit:?}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn wait_for(&self, text: &str) -> String {
        self.wait_for_within(text, Duration::from_secs(10))
    }

    pub fn pane_tty(&self) -> String {
        self.format("#{pane_tty}")
    }

    pub fn pane_pid(&self) -> i32 {
        self.format("#{pane_pid}").parse().expect("pane pid")
    }

    pub fn kill_server(&self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.kill_server();
    }
}

/// `stty -g` of a tty, read from outside.
pub fn stty(tty: &str) -> String {
    let out = Command::new("stty")
        .args(["-g", "-F", tty])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "stty -F {tty}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// `stat` fields of a live process: (comm, state, ppid, utime+stime in ticks); None when gone.
pub fn stat(pid: i32) -> Option<(String, char, i32, u64)> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let open = s.find('(')?;
    let close = s.rfind(')')?;
    let comm = s[open + 1..close].to_string();
    let rest: Vec<&str> = s[close + 2..].split_whitespace().collect();
    let state = rest.first()?.chars().next()?;
    let ppid = rest.get(1)?.parse().ok()?;
    // Fields 14 and 15 of stat; `rest` starts at field 3.
    let utime: u64 = rest.get(11)?.parse().ok()?;
    let stime: u64 = rest.get(12)?.parse().ok()?;
    Some((comm, state, ppid, utime + stime))
}

/// Alive and not a zombie.
pub fn alive(pid: i32) -> bool {
    stat(pid).is_some_and(|(_, st, _, _)| st != 'Z' && st != 'X')
}

/// The jicha process: the pane's own process when it is jicha, else its child named jicha.
pub fn find_jicha(pane_pid: i32) -> i32 {
    let start = Instant::now();
    loop {
        if stat(pane_pid).is_some_and(|(c, _, _, _)| c == "jicha") {
            return pane_pid;
        }
        for e in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(pid) = e.file_name().to_string_lossy().parse::<i32>() else {
                continue;
            };
            if let Some((comm, st, ppid, _)) = stat(pid) {
                if ppid == pane_pid && comm == "jicha" && st != 'Z' {
                    return pid;
                }
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no jicha under pane process {pane_pid}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits up to `limit` for `pid` to end; returns how long it took and the CPU ticks it used
/// from the call on (the last sample before it vanished).
pub fn wait_gone(pid: i32, limit: Duration) -> (Duration, u64) {
    let start = Instant::now();
    let first = stat(pid).map(|s| s.3).unwrap_or(0);
    let mut last = first;
    loop {
        match stat(pid) {
            Some((_, st, _, cpu)) if st != 'Z' && st != 'X' => last = cpu,
            _ => return (start.elapsed(), last - first),
        }
        assert!(
            start.elapsed() < limit,
            "process {pid} still running after {limit:?}; stat {:?}",
            stat(pid)
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

pub fn send_signal(pid: i32, sig: i32) {
    // SAFETY: kill(2) on the jicha process this test started.
    assert_eq!(unsafe { libc::kill(pid, sig) }, 0, "kill {pid}");
}
