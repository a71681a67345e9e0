//! The concurrency matrix: many `jicha` processes at once on one dataset, in each situation
//! where a raw SQLite error ("database is locked", "UNIQUE constraint failed: meta.key", "not a
//! jicha dataset (application id 0x0)") used to reach an operator. Every call must succeed and
//! leave what it promised: (a) a dataset still in rollback mode (a `VACUUM INTO` copy) opened
//! by many at once, (b) many first imports onto a path that does not exist yet, (c) many
//! writers and readers on a warm WAL dataset, (d) triage while a scan and while an import hold
//! the write lock. In all at least `TOTAL_CALLS` calls.
//!
//! `JICHA_MATRIX_BIN` runs the matrix against another build (e.g. one from before a fix).

mod common;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Barrier};

/// How much each scenario does; `CI` in every `cargo test`, `LONG` in the ignored long run.
#[derive(Clone, Copy)]
struct Sizes {
    /// Fresh rollback-mode copies, each hit by `PROCS` processes (a note, then a listing).
    rollback_rounds: usize,
    /// Fresh paths, each imported onto by `PROCS` processes (an import, a listing, a verify).
    create_rounds: usize,
    /// Calls by each of `PROCS` processes on the warm dataset.
    warm_each: usize,
    /// The least calls by each of `TRIAGE_PROCS` triage processes during the scan and during
    /// the import (they go on until it has finished).
    triage_min_each: usize,
}

impl Sizes {
    const fn least_calls(&self) -> usize {
        self.rollback_rounds * PROCS * 2
            + self.create_rounds * PROCS * 3
            + self.warm_each * PROCS
            + 2 * (self.triage_min_each * TRIAGE_PROCS + 1)
    }
}

const PROCS: usize = 8;
const TRIAGE_PROCS: usize = 6;

const CI: Sizes = Sizes {
    rollback_rounds: 50,
    create_rounds: 10,
    warm_each: 100,
    triage_min_each: 20,
};
const _: () = assert!(CI.least_calls() >= 2000);

const LONG: Sizes = Sizes {
    rollback_rounds: 160,
    create_rounds: 30,
    warm_each: 700,
    triage_min_each: 100,
};
const _: () = assert!(LONG.least_calls() >= 10_000);

const TODAY: &str = "2026-11-23";

fn bin() -> PathBuf {
    std::env::var_os("JICHA_MATRIX_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_jicha")))
}

/// Runs `jicha --db DB --today TODAY ARGS…`; Err carries what the operator would have seen.
fn jicha(db: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new(bin())
        .arg("--db")
        .arg(db)
        .args(["--today", TODAY, "--lang", "en"])
        .args(args)
        .output()
        .expect("run jicha");
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "jicha {args:?} exited {:?}: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Starts `procs` threads at the same instant; thread `p` runs `calls(p, i)` for i = 0, 1, …
/// until it answers None. Returns the number of calls made and every failure.
fn in_parallel(
    procs: usize,
    calls: impl Fn(usize, usize) -> Option<Result<String, String>> + Send + Sync + 'static,
) -> (usize, Vec<String>) {
    let calls = Arc::new(calls);
    let start = Arc::new(Barrier::new(procs));
    let threads: Vec<_> = (0..procs)
        .map(|p| {
            let calls = Arc::clone(&calls);
            let start = Arc::clone(&start);
            std::thread::spawn(move || {
                start.wait();
                let (mut made, mut failed) = (0, Vec::new());
                while let Some(result) = calls(p, made) {
                    made += 1;
                    if let Err(e) = result {
                        failed.push(e);
                    }
                }
                (made, failed)
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).fold(
        (0, Vec::new()),
        |(n, mut all), (made, failed)| {
            all.extend(failed);
            (n + made, all)
        },
    )
}

fn count(db: &Path, sql: &str) -> i64 {
    common::raw(db).query_row(sql, [], |r| r.get(0)).unwrap()
}

fn assert_log_verifies(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let v = jicha::actionlog::verify(&conn).unwrap();
    assert!(v.first_broken.is_none(), "{:?}", v.first_broken);
    assert_eq!(
        jicha::actionlog::check_sidecar(db, &conn).unwrap(),
        None,
        "the anchor agrees with the log"
    );
}

/// The fixture's dataset with the real login as an auditor, written as `dest` by `VACUUM INTO`,
/// which leaves it in rollback (not WAL) mode.
fn rollback_mode_copy(dest: &Path) {
    let (_dir, ds) = common::fixture();
    ds.conn
        .execute(
            "INSERT INTO operators(login, role, added_at, added_by) VALUES (?1, 'auditor', 't', 't')",
            [jicha::context::os_login()],
        )
        .unwrap();
    common::vacuum_into(&ds.conn, dest);
}

fn is_wal(db: &Path) -> bool {
    matches!(
        jicha::db::header::read(db).unwrap(),
        jicha::db::header::FileKind::Sqlite { wal: true, .. }
    )
}

fn demo_export(dir: &Path, customers: u32) -> PathBuf {
    let export = dir.join(format!("export{customers}"));
    let out = Command::new(bin())
        .args([
            "demo",
            "--customers",
            &customers.to_string(),
            "--end",
            "2026-10",
            "--out",
        ])
        .arg(&export)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    export
}

#[test]
fn a_rollback_mode_dataset_opened_by_many_at_once() {
    rollback_mode_opened_by_many(CI);
}

fn rollback_mode_opened_by_many(sizes: Sizes) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template.jicha");
    rollback_mode_copy(&template);
    assert!(!is_wal(&template), "VACUUM INTO makes a rollback-mode file");
    let mut calls = 0;
    let mut failures = Vec::new();
    for round in 0..sizes.rollback_rounds {
        let db = dir.path().join(format!("r{round}.jicha"));
        common::copy_dataset(&template, &db);
        let shared = db.clone();
        let (n, failed) = in_parallel(PROCS, move |p, i| {
            let text = format!("round {round} writer {p}");
            let finding = (p % 5 + 1).to_string();
            match i {
                0 => Some(jicha(
                    &shared,
                    &["finding", "note", &finding, "--text", &text],
                )),
                1 => Some(jicha(&shared, &["findings", "--limit", "1"])),
                _ => None,
            }
        });
        calls += n;
        if failed.is_empty() {
            assert!(
                is_wal(&db),
                "round {round}: the dataset was switched to WAL"
            );
            assert_eq!(
                count(&db, "SELECT count(*) FROM finding_notes") as usize,
                PROCS,
                "round {round}: every note is there"
            );
            assert_log_verifies(&db);
        }
        failures.extend(failed);
    }
    assert_eq!(calls, sizes.rollback_rounds * PROCS * 2);
    assert!(
        failures.is_empty(),
        "{} of {calls} calls failed: {failures:#?}",
        failures.len()
    );
    calls
}

/// The root of (a), made certain: while another process holds the write lock of a
/// rollback-mode file, the WAL switch (a read upgraded to a write) gets SQLITE_BUSY at once,
/// SQLite skipping its busy handler where waiting could deadlock. The opening process must
/// wait for the lock to be released, not fail.
#[test]
fn a_rollback_mode_dataset_being_written_is_switched_once_the_write_ends() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("locked.jicha");
    rollback_mode_copy(&db);
    let mut other = rusqlite::Connection::open(&db).unwrap();
    let tx = other
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .unwrap();
    tx.execute("UPDATE findings SET evidence = evidence WHERE id = 1", [])
        .unwrap();
    let writer = {
        let db = db.clone();
        std::thread::spawn(move || {
            jicha(&db, &["finding", "note", "1", "--text", "after the write"])
        })
    };
    // Long enough for the writer to meet the lock; it must then wait, however long.
    std::thread::sleep(std::time::Duration::from_millis(500));
    tx.commit().unwrap();
    drop(other);
    writer.join().unwrap().unwrap();
    assert!(is_wal(&db));
    assert_eq!(count(&db, "SELECT count(*) FROM finding_notes"), 1);
}

#[test]
fn b_first_imports_by_many_at_once() {
    first_imports_by_many(CI);
}

fn first_imports_by_many(sizes: Sizes) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let export = demo_export(dir.path(), 20);
    let mut calls = 0;
    let mut failures = Vec::new();
    for round in 0..sizes.create_rounds {
        let home = dir.path().join(format!("round{round}"));
        std::fs::create_dir(&home).unwrap();
        let db = home.join("new.jicha");
        let (shared, export) = (db.clone(), export.clone());
        let (n, failed) = in_parallel(PROCS, move |_, i| {
            let export = export.to_str().unwrap();
            match i {
                0 => Some(jicha(&shared, &["import", export])),
                1 => Some(jicha(&shared, &["findings", "--limit", "1"])),
                2 => Some(jicha(&shared, &["log", "verify"])),
                _ => None,
            }
        });
        calls += n;
        failures.extend(failed);
        if !failures.is_empty() {
            continue;
        }
        // One dataset, every import in it, nothing else left beside it.
        assert_eq!(
            count(&db, "SELECT count(*) FROM imports") as usize,
            PROCS,
            "round {round}: every import went into the one dataset"
        );
        assert_eq!(
            count(&db, "SELECT count(*) FROM operators WHERE role = 'admin'"),
            1
        );
        assert_log_verifies(&db);
        let mut left: Vec<String> = std::fs::read_dir(&home)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            ["new.jicha", "new.jicha.facts", "new.jicha.loghead"],
            "round {round}"
        );
    }
    assert_eq!(calls, sizes.create_rounds * PROCS * 3);
    assert!(
        failures.is_empty(),
        "{} of {calls} calls failed: {failures:#?}",
        failures.len()
    );
    calls
}

#[test]
fn c_warm_wal_many_writers_and_readers() {
    warm_wal_writers_and_readers(CI);
}

fn warm_wal_writers_and_readers(sizes: Sizes) -> usize {
    let warm_each = sizes.warm_each;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("warm.jicha");
    rollback_mode_copy(&db);
    jicha(&db, &["finding", "note", "1", "--text", "warm up"]).unwrap();
    assert!(is_wal(&db));
    let shared = db.clone();
    let (calls, failures) = in_parallel(PROCS, move |p, i| {
        if i == warm_each {
            return None;
        }
        let text = format!("writer {p} note {i}");
        let finding = (i % 5 + 1).to_string();
        Some(match i % 4 {
            0 | 1 => jicha(&shared, &["finding", "note", &finding, "--text", &text]),
            2 => jicha(&shared, &["findings", "--limit", "3"]),
            _ => jicha(&shared, &["finding", "show", &finding]),
        })
    });
    assert_eq!(calls, PROCS * warm_each);
    assert!(
        failures.is_empty(),
        "{} of {calls} calls failed: {failures:#?}",
        failures.len()
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM finding_notes") as usize,
        1 + calls / 2,
        "every note is there"
    );
    assert_log_verifies(&db);
    calls
}

/// Triage by `TRIAGE_PROCS` processes while `long` (a scan or an import, started with them)
/// runs: each notes and confirms findings of its own until `long` has finished (at least
/// `min_each` calls). Returns the calls made, `long`'s included, and the confirms.
fn triage_during(db: &Path, long: &[&str], ids: &[i64], min_each: usize) -> (usize, usize) {
    let running = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let long_done = {
        let (db, running) = (db.to_path_buf(), Arc::clone(&running));
        let args: Vec<String> = long.iter().map(|s| s.to_string()).collect();
        std::thread::spawn(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let result = jicha(&db, &args);
            running.store(false, std::sync::atomic::Ordering::SeqCst);
            result
        })
    };
    let shared = db.to_path_buf();
    let ids = Arc::new(ids.to_vec());
    let still = Arc::clone(&running);
    let confirms = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let confirmed = Arc::clone(&confirms);
    let (calls, failures) = in_parallel(TRIAGE_PROCS, move |p, i| {
        if i >= min_each && !still.load(std::sync::atomic::Ordering::SeqCst) {
            return None;
        }
        // Each process confirms findings of its own stripe, never one another has; once its
        // stripe is all confirmed it goes on with notes.
        let own = ids.get(p + TRIAGE_PROCS * (i / 2));
        Some(match own {
            Some(id) if i % 2 == 1 => {
                confirmed.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                jicha(&shared, &["finding", "confirm", &id.to_string()])
            }
            _ => {
                let any = ids[(p + i) % ids.len()].to_string();
                jicha(
                    &shared,
                    &["finding", "note", &any, "--text", "checked on site"],
                )
            }
        })
    });
    let long_result = long_done.join().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {calls} triage calls during {long:?} failed: {failures:#?}",
        failures.len()
    );
    long_result.unwrap();
    (
        calls + 1,
        confirms.load(std::sync::atomic::Ordering::SeqCst),
    )
}

#[test]
fn d_triage_during_a_scan_and_during_an_import() {
    triage_during_scan_and_import(CI);
}

fn triage_during_scan_and_import(sizes: Sizes) -> usize {
    let min_each = sizes.triage_min_each;
    let dir = tempfile::tempdir().unwrap();
    let export = demo_export(dir.path(), 3000);
    let db = dir.path().join("busy.jicha");
    jicha(&db, &["import", export.to_str().unwrap()]).unwrap();
    jicha(&db, &["scan"]).unwrap();
    let ids: Vec<i64> = {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let mut st = conn
            .prepare("SELECT id FROM findings WHERE status = 'new' ORDER BY id")
            .unwrap();
        let ids = st.query_map([], |r| r.get(0)).unwrap();
        ids.map(Result::unwrap).collect()
    };
    let (half_a, half_b) = ids.split_at(ids.len() / 2);

    let (during_scan, confirms_a) = triage_during(&db, &["scan"], half_a, min_each);
    let (during_import, confirms_b) =
        triage_during(&db, &["import", export.to_str().unwrap()], half_b, min_each);
    let calls = during_scan + during_import;
    assert!(calls >= 2 * (TRIAGE_PROCS * min_each + 1));
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM findings WHERE status = 'confirmed'"
        ) as usize,
        confirms_a + confirms_b,
        "every confirm landed"
    );
    assert_eq!(count(&db, "SELECT count(*) FROM imports"), 2);
    assert_log_verifies(&db);
    calls
}

/// The long run behind BENCHMARKS.md: every scenario at `LONG` sizes, one after the other,
/// while busy loops (one per CPU) compete for the processors. Prints its figures.
///
///     cargo test --release --test concurrency_matrix -- --ignored --nocapture
#[test]
#[ignore = "long: about 10,000 calls under CPU load; run by hand for BENCHMARKS.md"]
fn long_run_under_cpu_load() {
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
    let burners: Vec<_> = (0..cpus)
        .map(|_| {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut x = 0u64;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
                }
            })
        })
        .collect();
    let start = std::time::Instant::now();
    let mut total = 0;
    for (name, scenario) in [
        (
            "rollback-mode file",
            rollback_mode_opened_by_many as fn(Sizes) -> usize,
        ),
        ("first imports", first_imports_by_many),
        ("warm WAL", warm_wal_writers_and_readers),
        (
            "triage during scan and import",
            triage_during_scan_and_import,
        ),
    ] {
        let t = std::time::Instant::now();
        let calls = scenario(LONG);
        total += calls;
        eprintln!(
            "{name}: {calls} calls, 0 failed, {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for b in burners {
        b.join().unwrap();
    }
    eprintln!(
        "total: {total} calls, 0 failed, {:.1} s wall, {cpus} busy loops",
        start.elapsed().as_secs_f64()
    );
    assert!(total >= 10_000);
}
