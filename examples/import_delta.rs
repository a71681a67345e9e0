//! The cost of a re-import against a first import, in one run (issue 15, "Deltas are cheap";
//! figures in BENCHMARKS.md):
//!
//!     cargo run --release --example import_delta -- [CUSTOMERS] [ROUNDS] [WORK_DIR] [--full]
//!
//! Writes a demo export of CUSTOMERS (100,000) customers × 12 months and its next night
//! (`jicha demo --delta`, 1 % archive edits, a new month of bills), then, ROUNDS (3) times in
//! turn on a new dataset: a first import of the export, an unchanged re-import of it, and the
//! delta's import. Prints each time, the medians and the ratios to the first import, and the
//! load average before and after (the machine is shared). `--full` imports as `jicha import
//! --full` (each file the whole table) instead of the default.
use jicha::context::{Ctx, Lang, Role};
use jicha::db::Dataset;
use jicha::demo::{write_delta, write_demo, DeltaOptions, DemoOptions};
use jicha::import::{import_dir_with, ImportOptions};
use std::path::Path;
use std::time::Instant;

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .trim()
        .to_string()
}

fn ctx(day: &str) -> Ctx {
    Ctx {
        unit: None,
        operator: "bench".into(),
        role: Role::Admin,
        today: jicha::dates::parse_date(day).expect("a date"),
        lang: Lang::En,
    }
}

fn import(ds: &mut Dataset, dir: &Path, day: &str, full: bool) -> f64 {
    let o = ImportOptions {
        delta: !full,
        ..Default::default()
    };
    let start = Instant::now();
    let s = import_dir_with(ds, &ctx(day), dir, o, &mut jicha::progress::silent).expect("imported");
    let secs = start.elapsed().as_secs_f64();
    let moved: Vec<String> = s
        .files
        .iter()
        .filter(|f| f.inserted + f.updated + f.gone > 0)
        .map(|f| format!("{} +{} ~{} -{}", f.file, f.inserted, f.updated, f.gone))
        .collect();
    eprintln!("    {secs:.2} s  {}", moved.join(", "));
    secs
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let full = args.iter().any(|a| a == "--full");
    let pos: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let customers: u64 = pos.first().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let rounds: usize = pos.get(1).and_then(|s| s.parse().ok()).unwrap_or(3);
    let work = pos.get(2).map_or_else(
        || std::env::temp_dir().join("jicha-import-delta"),
        |s| s.into(),
    );
    let (base, next, rooms) = (work.join("base"), work.join("next"), work.join("datasets"));
    println!("load before: {}", load());
    if !base.join("bills.csv").exists() {
        let opts = DemoOptions {
            customers,
            months: 12,
            seed: 1,
            end_period: "2026-06".into(),
        };
        write_demo(&base, &opts, &mut jicha::progress::silent).expect("demo written");
    }
    if !next.join("bills.csv").exists() {
        let d = write_delta(
            &base,
            &next,
            &DeltaOptions::default(),
            &mut jicha::progress::silent,
        )
        .expect("delta written");
        println!("{d}");
    }
    let (mut first, mut same, mut delta) = (Vec::new(), Vec::new(), Vec::new());
    for round in 1..=rounds {
        // A dataset is several files (WAL, anchor, …): each round gets a directory of its own.
        let _ = std::fs::remove_dir_all(&rooms);
        std::fs::create_dir_all(&rooms).expect("work directory");
        let db = rooms.join("bench.jicha");
        let mut ds = Dataset::create(&db, "bench", "2026-07-01T00:00:00Z").expect("dataset");
        eprintln!("round {round} (load {})", load());
        eprintln!("  first import");
        first.push(import(&mut ds, &base, "2026-07-10", full));
        eprintln!("  unchanged re-import");
        same.push(import(&mut ds, &base, "2026-07-11", full));
        eprintln!("  delta import");
        delta.push(import(&mut ds, &next, "2026-08-05", full));
    }
    let (f, s, d) = (median(first), median(same), median(delta));
    println!("customers {customers}, rounds {rounds}, full {full}");
    println!("first import       {f:.2} s (median)");
    println!("unchanged re-import {s:.2} s = {:.2}x the first", s / f);
    println!("delta import       {d:.2} s = {:.2}x the first", d / f);
    println!("load after: {}", load());
}
