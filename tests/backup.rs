//! `jicha backup`: the online copy while another operator writes, the copy verifying on its
//! own, a tampered copy failing, and the refusals that keep DEST from being half a backup.

mod common;

use common::ctx;
use jicha::actions::{self, Action};
use jicha::backup::{self, Options};
use jicha::context::Role;
use jicha::db::Dataset;
use jicha::progress::Progress;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// The common fixture with a few logged changes, so the log has records to anchor.
fn logged_fixture() -> (tempfile::TempDir, Dataset) {
    let (dir, mut ds) = common::fixture();
    let admin = ctx("admin1", Role::Admin, "2026-11-20");
    for id in 1..=3 {
        actions::perform(&mut ds, &admin, &Action::Confirm { ids: vec![id] }).unwrap();
    }
    (dir, ds)
}

fn log_head(conn: &rusqlite::Connection) -> i64 {
    conn.query_row("SELECT max(seq) FROM action_log", [], |r| r.get(0))
        .unwrap()
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_writer_keeps_working_during_the_backup_and_the_copy_is_the_snapshot() {
    let (dir, mut ds) = logged_fixture();
    let db = ds.path.clone();
    let head_before = log_head(&ds.conn);
    let dest = dir.path().join("copy.jicha");
    let admin = ctx("admin1", Role::Admin, "2026-11-20");
    // One page per step, so the backup takes many steps; at the first one the writer thread
    // commits notes through its own connection, and the backup goes on only after they landed.
    let (go, start_writing) = mpsc::channel::<()>();
    let (wrote, writes_done) = mpsc::channel::<Result<usize, String>>();
    let writer = std::thread::spawn(move || {
        start_writing.recv().unwrap();
        let mut other = Dataset::open(&db).unwrap();
        let auditor = ctx("admin1", Role::Admin, "2026-11-20");
        let mut done = 0;
        for i in 0..20 {
            let note = Action::Note {
                ids: vec![4],
                text: format!("written during the backup {i}"),
            };
            if let Err(e) = actions::perform(&mut other, &auditor, &note) {
                wrote.send(Err(e.to_string())).unwrap();
                return;
            }
            done += 1;
        }
        wrote.send(Ok(done)).unwrap();
    });
    let mut steps = 0u64;
    let mut writes = None;
    let mut progress = |p: &Progress| {
        steps += 1;
        if steps == 1 {
            go.send(()).unwrap();
            writes = Some(writes_done.recv().unwrap());
        }
        assert!(p.done <= p.total);
        ControlFlow::Continue(())
    };
    let options = Options {
        pages_per_step: 1,
        pause: std::time::Duration::ZERO,
        ..Options::default()
    };
    let summary = backup::backup(&mut ds, &admin, &dest, &options, &mut progress).unwrap();
    writer.join().unwrap();
    assert_eq!(writes, Some(Ok(20)), "a writer failed during the backup");
    assert!(steps > 5, "the backup took {steps} steps");
    // The copy is the dataset as of the backup's start: none of the 20 notes.
    assert_eq!(summary.seq, head_before);
    let copy = rusqlite::Connection::open(&dest).unwrap();
    assert_eq!(log_head(&copy), head_before);
    let notes: i64 = copy
        .query_row("SELECT count(*) FROM finding_notes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(notes, 0);
    drop(copy);
    // The dataset has the notes and then the backup's own record, and still verifies.
    assert_eq!(log_head(&ds.conn), head_before + 21);
    assert_eq!(summary.logged_as, head_before + 21);
    let last = jicha::actionlog::recent(&ds.conn, 1).unwrap().remove(0);
    assert_eq!(last.action, backup::ACTION);
    assert!(last.details.contains(&summary.hash), "{}", last.details);
    let report = jicha::actionlog::audit(&ds.path, &ds.conn, None).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    // The copy verifies on its own, with its anchor beside it.
    let checked = backup::verify_copy(&dest).unwrap();
    assert!(checked.verdict().is_ok(), "{:?}", checked.verdict());
    assert_eq!(checked.log.records, head_before as u64);
    // Nothing but the copy, its anchor and the dataset's own files is left.
    assert_eq!(
        entries(dir.path()),
        [
            "copy.jicha",
            "copy.jicha.facts",
            "copy.jicha.loghead",
            "t.jicha",
            "t.jicha-shm",
            "t.jicha-wal",
            "t.jicha.facts",
            "t.jicha.facts-shm",
            "t.jicha.facts-wal",
            "t.jicha.loghead"
        ]
    );
}

/// A copy made through the command line, as an operator would.
fn cli_backup(db: &Path, dest: &Path, extra: &[&str]) -> (u8, String, String) {
    let mut args: Vec<String> = vec![
        "jicha".into(),
        "--db".into(),
        db.display().to_string(),
        "--operator".into(),
        "admin1".into(),
    ];
    args.push("backup".into());
    args.extend(extra.iter().map(|s| s.to_string()));
    args.push(dest.display().to_string());
    let (code, out, err) = jicha::cli::run_in_process(args);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn verify_cli(dest: &Path) -> (u8, String, String) {
    let (code, out, err) = jicha::cli::run_in_process([
        "jicha".to_string(),
        "backup".into(),
        "--verify".into(),
        dest.display().to_string(),
    ]);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn made_copy() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (dir, ds) = logged_fixture();
    let db = ds.path.clone();
    drop(ds);
    let dest = dir.path().join("copy.jicha");
    let (code, out, err) = cli_backup(&db, &dest, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("backup written: "), "{out}");
    (dir, db, dest)
}

#[test]
fn the_copy_passes_verify_and_a_tampered_copy_fails() {
    let (_dir, _db, dest) = made_copy();
    let (code, out, err) = verify_cli(&dest);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("backup verified: "), "{out}");
    let before = std::fs::read(&dest).unwrap();

    // An edited log record breaks the chain.
    let c = rusqlite::Connection::open(&dest).unwrap();
    c.execute_batch(
        "DROP TRIGGER IF EXISTS action_log_no_update;
         UPDATE action_log SET operator = 'nobody' WHERE seq = 2;",
    )
    .unwrap();
    drop(c);
    let (code, _, err) = verify_cli(&dest);
    assert_eq!(code, 1);
    assert!(err.contains("backup NOT verified"), "{err}");
    assert!(err.contains("broken at record 2"), "{err}");

    // A finding closed behind the log's back is named by the state check.
    std::fs::write(&dest, &before).unwrap();
    let c = rusqlite::Connection::open(&dest).unwrap();
    c.execute_batch("UPDATE findings SET status = 'closed' WHERE id = 1")
        .unwrap();
    drop(c);
    let (code, _, err) = verify_cli(&dest);
    assert_eq!(code, 1);
    assert!(err.contains("state: "), "{err}");

    // A copy whose last records were cut off, anchor intact.
    std::fs::write(&dest, &before).unwrap();
    let c = rusqlite::Connection::open(&dest).unwrap();
    c.execute_batch(
        "DROP TRIGGER IF EXISTS action_log_no_delete;
         DELETE FROM action_log WHERE seq = (SELECT max(seq) FROM action_log);",
    )
    .unwrap();
    drop(c);
    let (code, _, err) = verify_cli(&dest);
    assert_eq!(code, 1);
    assert!(err.contains("removed from its end"), "{err}");
}

#[test]
fn a_copy_without_its_anchor_fails_verify() {
    let (_dir, _db, dest) = made_copy();
    std::fs::remove_file(dest.with_file_name("copy.jicha.loghead")).unwrap();
    let (code, _, err) = verify_cli(&dest);
    assert_eq!(code, 1);
    assert!(err.contains("is missing"), "{err}");
}

#[test]
fn an_existing_dest_is_kept_unless_forced() {
    let (dir, db, dest) = made_copy();
    let first = std::fs::read(&dest).unwrap();
    let (code, _, err) = cli_backup(&db, &dest, &[]);
    assert_eq!(code, 1);
    assert!(err.contains("already exist"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read(&dest).unwrap(), first);

    let (code, _, err) = cli_backup(&db, &dest, &["--force"]);
    assert_eq!(code, 0, "{err}");
    // The second copy holds the first backup's record, so it differs, and verifies.
    assert_ne!(std::fs::read(&dest).unwrap(), first);
    assert_eq!(verify_cli(&dest).0, 0);
    assert!(!entries(dir.path()).iter().any(|e| e.contains(".tmp-")));
}

#[test]
fn the_dataset_itself_is_never_a_destination() {
    let (_dir, db, _dest) = made_copy();
    for target in [db.clone(), db.with_file_name("t.jicha.loghead")] {
        let (code, _, err) = cli_backup(&db, &target, &["--force"]);
        assert_eq!(code, 1);
        assert!(err.contains("the dataset itself"), "{err}");
    }
    assert!(backup::verify_copy(&db).is_ok());
}

#[test]
fn a_viewer_may_not_back_up_and_nothing_is_written() {
    let (dir, mut ds) = logged_fixture();
    let viewer = ctx("someone", Role::Viewer, "2026-11-20");
    let dest = dir.path().join("copy.jicha");
    let e = backup::backup(
        &mut ds,
        &viewer,
        &dest,
        &Options::default(),
        &mut jicha::progress::silent,
    )
    .unwrap_err();
    assert!(e.to_string().contains("needs the auditor role"), "{e}");
    assert!(!dest.exists());
}

#[test]
fn a_cancelled_backup_leaves_nothing_and_logs_nothing() {
    let (dir, mut ds) = logged_fixture();
    let head = log_head(&ds.conn);
    let admin = ctx("admin1", Role::Admin, "2026-11-20");
    let dest = dir.path().join("copy.jicha");
    let options = Options {
        pages_per_step: 1,
        ..Options::default()
    };
    let e = backup::backup(&mut ds, &admin, &dest, &options, &mut |_: &Progress| {
        ControlFlow::Break(())
    })
    .unwrap_err();
    assert!(matches!(e, jicha::JichaError::Cancelled), "{e}");
    assert_eq!(log_head(&ds.conn), head);
    assert!(!entries(dir.path())
        .iter()
        .any(|e| e.starts_with("copy.jicha")));
}

#[test]
fn a_dataset_whose_anchor_does_not_vouch_for_the_log_is_not_backed_up() {
    let (dir, mut ds) = logged_fixture();
    std::fs::remove_file(jicha::actionlog::sidecar_path(&ds.path)).unwrap();
    let admin = ctx("admin1", Role::Admin, "2026-11-20");
    let dest = dir.path().join("copy.jicha");
    let e = backup::backup(
        &mut ds,
        &admin,
        &dest,
        &Options::default(),
        &mut jicha::progress::silent,
    )
    .unwrap_err();
    assert!(e.to_string().contains("cannot be vouched for"), "{e}");
    assert!(!dest.exists());
}
