//! Operators' actions while an import (and then a scan) runs in another process: issue 15
//! item 4's benchmark. Run by hand, in release:
//!
//!   cargo build --release && cargo run --release --example import_contention -- DIR [CUSTOMERS]
//!
//! DIR is a scratch directory (the exports are generated there once and reused); CUSTOMERS is
//! the size of the big export (default 200000; the integrator runs 1000000). Steps: a dataset
//! with a small first import and its scan (findings to act on); then `jicha import BIG` in a
//! child process while this process notes and confirms findings in a loop, one action at a
//! time, recording each action's latency; then the same during `jicha scan`. Prints, per
//! phase, the child's wall time, the actions done, p50 / p99 / max latency and the failures.
//! Target: p99 < 1 s, zero failures. Not a test: nothing here asserts a time.

use jicha::actions::{self, Action};
use jicha::context::{Ctx, Lang, Role};
use jicha::db::Dataset;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn ctx() -> Ctx {
    Ctx {
        operator: "admin1".into(),
        role: Role::Admin,
        today: "2026-11-02".parse().unwrap(),
        lang: Lang::En,
        unit: None,
    }
}

fn export(dir: &Path, customers: u64, seed: u64) -> PathBuf {
    let out = dir.join(format!("export-{customers}-{seed}"));
    if !out.join("customers.csv").exists() {
        eprintln!("generating {}", out.display());
        let opts = jicha::demo::DemoOptions {
            customers,
            months: 12,
            seed,
            end_period: "2026-10".into(),
        };
        jicha::demo::write_demo(&out, &opts, &mut jicha::progress::silent).expect("demo");
    }
    out
}

/// The `jicha` binary built beside this example (target/release/jicha).
fn jicha_bin() -> PathBuf {
    if let Ok(p) = std::env::var("JICHA_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("current exe");
    let dir = exe.parent().and_then(Path::parent).expect("target dir");
    dir.join("jicha")
}

fn child(db: &Path, args: &[&str]) -> Child {
    Command::new(jicha_bin())
        .arg("--db")
        .arg(db)
        .args(["--today", "2026-11-02", "--operator", "admin1"])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("run jicha (cargo build --release first, or set JICHA_BIN)")
}

struct Phase {
    name: String,
    wall: Duration,
    latencies: Vec<Duration>,
    failures: Vec<String>,
}

impl Phase {
    fn print(&mut self) {
        self.latencies.sort();
        let n = self.latencies.len();
        let at = |q: f64| -> Duration {
            if n == 0 {
                return Duration::ZERO;
            }
            self.latencies[((n as f64 * q).ceil() as usize).clamp(1, n) - 1]
        };
        println!(
            "{:<34} child {:>7.2} s  actions {:>5}  p50 {:>7.1} ms  p99 {:>7.1} ms  max {:>7.1} ms  failures {}",
            self.name,
            self.wall.as_secs_f64(),
            n,
            at(0.50).as_secs_f64() * 1e3,
            at(0.99).as_secs_f64() * 1e3,
            self.latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
            self.failures.len()
        );
        for f in self.failures.iter().take(5) {
            println!("    failure: {f}");
        }
    }
}

/// Notes and confirms findings, one action at a time, until `child` exits.
fn act_while(name: &str, db: &Path, mut child: Child) -> Phase {
    let started = Instant::now();
    let mut ds = Dataset::open(db).expect("open");
    let ids: Vec<i64> = {
        let mut stmt = ds
            .conn
            .prepare("SELECT id FROM findings WHERE status = 'new' ORDER BY id")
            .unwrap();
        let rows = stmt.query_map([], |r| r.get(0)).unwrap();
        rows.map(Result::unwrap).collect()
    };
    assert!(!ids.is_empty(), "no new findings to act on");
    let (mut confirm, mut note) = (0usize, 0usize);
    let mut phase = Phase {
        name: name.into(),
        wall: Duration::ZERO,
        latencies: Vec::new(),
        failures: Vec::new(),
    };
    let ctx = ctx();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            phase.wall = started.elapsed();
            if !status.success() {
                phase.failures.push(format!("the child failed: {status}"));
            }
            break;
        }
        // Every other action confirms a finding not confirmed yet; the others note one.
        let action = if phase.latencies.len().is_multiple_of(2) && confirm < ids.len() / 2 {
            confirm += 1;
            Action::Confirm {
                ids: vec![ids[confirm - 1]],
            }
        } else {
            note += 1;
            Action::Note {
                ids: vec![ids[ids.len() - 1 - note % (ids.len() / 2).max(1)]],
                text: format!("contention check {note}"),
            }
        };
        let t = Instant::now();
        let r = actions::perform(&mut ds, &ctx, &action);
        phase.latencies.push(t.elapsed());
        if let Err(e) = r {
            phase.failures.push(e.to_string());
        }
        // An operator does not press keys back to back.
        std::thread::sleep(Duration::from_millis(20));
    }
    phase
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .expect("usage: import_contention DIR [CUSTOMERS]"),
    );
    let customers: u64 = args
        .next()
        .map_or(200_000, |n| n.parse().expect("CUSTOMERS"));
    std::fs::create_dir_all(&dir).unwrap();
    let small = export(&dir, 3_000, 11);
    let big = export(&dir, customers, 12);
    let db = dir.join("contention.jicha");
    for f in [
        db.clone(),
        jicha::db::facts::path_of(&db),
        dir.join("contention.jicha.loghead"),
    ] {
        let _ = std::fs::remove_file(f);
    }
    let status = child(&db, &["import", small.to_str().unwrap()])
        .wait()
        .unwrap();
    assert!(status.success());
    let status = child(&db, &["scan", "--as-of", "2026-10-31"])
        .wait()
        .unwrap();
    assert!(status.success());
    println!(
        "jicha import {} ({customers} customers) and scan, operators acting meanwhile (cores: {}, load: {})",
        big.display(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim()
    );
    let import = child(&db, &["import", big.to_str().unwrap()]);
    act_while("during the import", &db, import).print();
    let scan = child(&db, &["scan", "--as-of", "2026-10-31"]);
    act_while("during the scan", &db, scan).print();
}
