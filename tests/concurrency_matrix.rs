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

const ROLLBACK_ROUNDS: usize = 50;
const ROLLBACK_PROCS: usize = 8;
/// Each process: a note, then a listing.
const ROLLBACK_CALLS: usize = ROLLBACK_ROUNDS * ROLLBACK_PROCS * 2;

const CREATE_ROUNDS: usize = 10;
const CREATE_PROCS: usize = 8;
/// Each process: the import, a listing and `log verify`.
const CREATE_CALLS: usize = CREATE_ROUNDS * CREATE_PROCS * 3;

const WARM_PROCS: usize = 8;
const WARM_EACH: usize = 100;
const WARM_CALLS: usize = WARM_PROCS * WARM_EACH;

const TRIAGE_PROCS: usize = 6;
/// Each triage process makes at least this many calls, and keeps going until the scan or the
/// import it runs against has finished.
const TRIAGE_MIN_EACH: usize = 20;
const TRIAGE_MIN_CALLS: usize = 2 * (TRIAGE_PROCS * TRIAGE_MIN_EACH + 1);

const TOTAL_CALLS: usize = ROLLBACK_CALLS + CREATE_CALLS + WARM_CALLS + TRIAGE_MIN_CALLS;
const _: () = assert!(TOTAL_CALLS >= 2000);

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
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
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
    ds.conn
        .execute("VACUUM INTO ?1", [dest.to_str().unwrap()])
        .unwrap();
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
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template.jicha");
    rollback_mode_copy(&template);
    assert!(!is_wal(&template), "VACUUM INTO makes a rollback-mode file");
    let mut calls = 0;
    let mut failures = Vec::new();
    for round in 0..ROLLBACK_ROUNDS {
        let db = dir.path().join(format!("r{round}.jicha"));
        std::fs::copy(&template, &db).unwrap();
        let shared = db.clone();
        let (n, failed) = in_parallel(ROLLBACK_PROCS, move |p, i| {
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
                ROLLBACK_PROCS,
                "round {round}: every note is there"
            );
            assert_log_verifies(&db);
        }
        failures.extend(failed);
    }
    assert_eq!(calls, ROLLBACK_CALLS);
    assert!(
        failures.is_empty(),
        "{} of {calls} calls failed: {failures:#?}",
        failures.len()
    );
}

#[test]
fn b_first_imports_by_many_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let export = demo_export(dir.path(), 20);
    let mut calls = 0;
    let mut failures = Vec::new();
    for round in 0..CREATE_ROUNDS {
        let home = dir.path().join(format!("round{round}"));
        std::fs::create_dir(&home).unwrap();
        let db = home.join("new.jicha");
        let (shared, export) = (db.clone(), export.clone());
        let (n, failed) = in_parallel(CREATE_PROCS, move |_, i| {
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
            CREATE_PROCS,
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
        assert_eq!(left, ["new.jicha", "new.jicha.loghead"], "round {round}");
    }
    assert_eq!(calls, CREATE_CALLS);
    assert!(
        failures.is_empty(),
        "{} of {calls} calls failed: {failures:#?}",
        failures.len()
    );
}

#[test]
fn c_warm_wal_many_writers_and_readers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("warm.jicha");
    rollback_mode_copy(&db);
    jicha(&db, &["finding", "note", "1", "--text", "warm up"]).unwrap();
    assert!(is_wal(&db));
    let shared = db.clone();
    let (calls, failures) = in_parallel(WARM_PROCS, move |p, i| {
        if i == WARM_EACH {
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
    assert_eq!(calls, WARM_CALLS);
    assert!(
        failures.is_empty(),
        "{} of {calls} calls failed: {failures:#?}",
        failures.len()
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM finding_notes") as usize,
        1 + WARM_CALLS / 2,
        "every note is there"
    );
    assert_log_verifies(&db);
}

/// Triage by `TRIAGE_PROCS` processes while `long` (a scan or an import, started with them)
/// runs: each notes and confirms findings of its own until `long` has finished (at least
/// `TRIAGE_MIN_EACH` calls). Returns the calls made, `long`'s included, and the confirms.
fn triage_during(db: &Path, long: &[&str], ids: &[i64]) -> (usize, usize) {
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
        if i >= TRIAGE_MIN_EACH && !still.load(std::sync::atomic::Ordering::SeqCst) {
            return None;
        }
        // Each process confirms findings of its own stripe, never one another has.
        let own = ids.get(p + TRIAGE_PROCS * (i / 2))?.to_string();
        Some(if i % 2 == 0 {
            jicha(
                &shared,
                &["finding", "note", &own, "--text", "checked on site"],
            )
        } else {
            confirmed.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            jicha(&shared, &["finding", "confirm", &own])
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

    let (during_scan, confirms_a) = triage_during(&db, &["scan"], half_a);
    let (during_import, confirms_b) =
        triage_during(&db, &["import", export.to_str().unwrap()], half_b);
    assert!(during_scan + during_import >= TRIAGE_MIN_CALLS);
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
}
