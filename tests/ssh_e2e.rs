//! Over real SSH: sshd on the loopback address with throwaway keys, two local users in two tmux
//! sessions running jicha on one dataset. One whitelists a finding by keys; the other's
//! whitelist screen shows it within 2 s. Then one link is dropped: its jicha is gone within
//! 2 s, and the dataset verifies.
//!
//! Needs root (users, sshd) and openssh-server (`.ci/run` installs it); elsewhere it says so.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const GROUP: &str = "jicha_t_ssh";
const USERS: [&str; 2] = ["jicha_t_ssh1", "jicha_t_ssh2"];

fn run(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn capture(session: &str) -> String {
    let out = Command::new("tmux")
        .args(["capture-pane", "-p", "-t", session])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn wait_for(session: &str, text: &str, within: Duration) -> Duration {
    let start = Instant::now();
    loop {
        let s = capture(session);
        if s.contains(text) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < within,
            "{session}: never saw {text:?} within {within:?}; screen:\n{s}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn keys(session: &str, keys: &[&str]) {
    assert!(run(
        "tmux",
        &[&["send-keys", "-t", session][..], keys].concat()
    ));
    std::thread::sleep(Duration::from_millis(250));
}

fn jicha_pids(user: &str) -> Vec<String> {
    let out = Command::new("pgrep")
        .args(["-u", user, "-x", "jicha"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

struct Cleanup {
    sshd: Child,
    sessions: Vec<String>,
}
impl Drop for Cleanup {
    fn drop(&mut self) {
        for s in &self.sessions {
            let _ = Command::new("tmux")
                .args(["kill-session", "-t", s])
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.sshd.kill();
        let _ = self.sshd.wait();
    }
}

#[test]
#[allow(clippy::too_many_lines)] // one scenario, step by step; split, its steps would lose the state they share
fn two_operators_over_ssh() {
    if !jicha::context::is_root() || !Path::new("/usr/sbin/sshd").exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run this test as root with openssh-server"
        );
        eprintln!("skipped: needs root and /usr/sbin/sshd");
        return;
    }
    run("groupadd", &[GROUP]);
    for u in USERS {
        run("useradd", &["-m", "-s", "/bin/sh", "-G", GROUP, u]);
        run("usermod", &["-aG", GROUP, u]);
        // Not locked (sshd refuses locked accounts), but no password either: keys only.
        run("usermod", &["-p", "*", u]);
    }
    let top = tempfile::tempdir().unwrap();
    std::fs::set_permissions(top.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let t = top.path();
    let bin = t.join("jicha");
    std::fs::copy(env!("CARGO_BIN_EXE_jicha"), &bin).unwrap();
    let shared = t.join("shared");
    std::fs::create_dir(&shared).unwrap();
    assert!(run("chgrp", &[GROUP, shared.to_str().unwrap()]));
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o2770)).unwrap();
    let db = shared.join("ssh.jicha");
    let export = t.join("export");

    // The dataset: made by root, shared with the group; user 1 auditor, user 2 viewer.
    let jicha = |args: &[&str]| {
        let out = Command::new(&bin)
            .arg("--db")
            .arg(&db)
            .args(["--today", "2026-11-23"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    jicha(&[
        "demo",
        "--out",
        export.to_str().unwrap(),
        "--customers",
        "1000",
        "--end",
        "2026-10",
    ]);
    jicha(&["import", export.to_str().unwrap()]);
    jicha(&["scan"]);
    jicha(&["operator", "add", USERS[0], "--role", "auditor"]);
    assert!(run("chgrp", &["-R", GROUP, shared.to_str().unwrap()]));
    assert!(run("chmod", &["-R", "a+rX", t.to_str().unwrap()]));
    for f in std::fs::read_dir(&shared).unwrap() {
        std::fs::set_permissions(f.unwrap().path(), std::fs::Permissions::from_mode(0o660))
            .unwrap();
    }

    // Throwaway keys and an sshd on loopback.
    let key = t.join("client_key");
    let host = t.join("host_key");
    for k in [&key, &host] {
        assert!(run(
            "ssh-keygen",
            &["-q", "-t", "ed25519", "-N", "", "-f", k.to_str().unwrap()]
        ));
    }
    let auth = t.join("authorized_keys");
    std::fs::copy(t.join("client_key.pub"), &auth).unwrap();
    std::fs::set_permissions(&auth, std::fs::Permissions::from_mode(0o644)).unwrap();
    let port = 20000 + (std::process::id() % 20000);
    let cfg = t.join("sshd_config");
    std::fs::write(
        &cfg,
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nPidFile {}\nAuthorizedKeysFile {}\n\
             PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n\
             PermitRootLogin no\nAllowUsers {} {}\n",
            host.display(),
            t.join("sshd.pid").display(),
            auth.display(),
            USERS[0],
            USERS[1]
        ),
    )
    .unwrap();
    std::fs::create_dir_all("/run/sshd").unwrap();
    let sshd = Command::new("/usr/sbin/sshd")
        .args(["-D", "-e", "-f"])
        .arg(&cfg)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut cleanup = Cleanup {
        sshd,
        sessions: Vec::new(),
    };
    std::thread::sleep(Duration::from_millis(500));

    let start_session = |name: &str, user: &str| {
        let remote = format!(
            "LANG=C.UTF-8 {} --db {} --today 2026-11-23 --lang en",
            bin.display(),
            db.display()
        );
        let ssh = format!(
            "ssh -tt -i {} -p {port} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR {user}@127.0.0.1 '{remote}'",
            key.display()
        );
        assert!(run(
            "tmux",
            &[
                "new-session",
                "-d",
                "-s",
                name,
                "-x",
                "100",
                "-y",
                "30",
                &ssh
            ]
        ));
    };
    let (a, b) = (format!("ssh-a-{port}"), format!("ssh-b-{port}"));
    start_session(&a, USERS[0]);
    cleanup.sessions.push(a.clone());
    start_session(&b, USERS[1]);
    cleanup.sessions.push(b.clone());
    wait_for(&a, "Daily alerts", Duration::from_secs(15));
    wait_for(&b, "Daily alerts", Duration::from_secs(15));
    assert!(capture(&a).contains("auditor"), "{}", capture(&a));
    assert!(capture(&b).contains("viewer"), "{}", capture(&b));

    // B watches the whitelist screen; A whitelists the first finding of the queue by keys.
    keys(&b, &["4"]);
    keys(&a, &["2"]);
    wait_for(&a, "# Sev", Duration::from_secs(5));
    keys(&a, &["w"]);
    keys(&a, &["Enter"]); // this rule
    keys(&a, &["Enter"]); // the default freeze period
    keys(&a, &["-l", "ssh e2e: field check booked"]);
    keys(&a, &["C-s"]);
    let seen_after = wait_for(&b, "ssh e2e", Duration::from_secs(10));
    assert!(
        seen_after <= Duration::from_secs(2),
        "the other operator saw it after {seen_after:?}"
    );

    // Drop B's link: kill its ssh client (the tmux session). Its jicha must be gone within 2 s.
    let before = jicha_pids(USERS[1]);
    assert_eq!(before.len(), 1, "one jicha for user 2: {before:?}");
    let _ = Command::new("tmux")
        .args(["kill-session", "-t", &b])
        .status();
    let dropped = Instant::now();
    while !jicha_pids(USERS[1]).is_empty() {
        assert!(
            dropped.elapsed() < Duration::from_secs(2),
            "jicha still running 2 s after its SSH link dropped"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // A is unaffected, and the dataset verifies.
    assert_eq!(jicha_pids(USERS[0]).len(), 1);
    keys(&a, &["q"]);
    let out = Command::new(&bin)
        .arg("--db")
        .arg(&db)
        .args(["log", "verify"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (author, reason): (String, String) = conn
        .query_row(
            "SELECT author, reason FROM whitelist ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (author.as_str(), reason.as_str()),
        (USERS[0], "ssh e2e: field check booked")
    );
}
