//! 8 processes each apply 1,000 triage actions to one dataset at once: every action is there
//! exactly once, no "database is locked" reaches anyone, the log is complete and verifies.
//!
//! The writer processes are this test binary run again with `JICHA_LOAD_CHILD` set.

mod common;
use common::*;
use jicha::actions::{perform, Action};
use jicha::context::Role;
use std::process::Command;

const WRITERS: usize = 8;
const ACTIONS: usize = 1000;

/// One writer: notes on every finding, and a confirm → close → reopen cycle on the one finding
/// it alone owns, so the final state of each is known.
fn child(db: &str, k: usize) {
    let mut ds = jicha::db::Dataset::open(std::path::Path::new(db)).unwrap();
    let c = ctx(&format!("writer{k}"), Role::Auditor, "2026-11-02");
    let own = 100 + k as i64;
    for i in 0..ACTIONS {
        let action = match i % 4 {
            1 => Action::Confirm { ids: vec![own] },
            2 => Action::Close {
                ids: vec![own],
                resolution: "rectified".into(),
                note: None,
            },
            3 => Action::Reopen { ids: vec![own] },
            _ => Action::Note {
                ids: vec![(i % 5) as i64 + 1],
                text: format!("w{k}-{i}"),
            },
        };
        if let Err(e) = perform(&mut ds, &c, &action) {
            eprintln!("writer {k} action {i}: {e}");
            std::process::exit(3);
        }
    }
}

#[test]
fn eight_writers_a_thousand_actions_each() {
    if let Ok(spec) = std::env::var("JICHA_LOAD_CHILD") {
        let (db, k) = spec.split_once('|').unwrap();
        child(db, k.parse().unwrap());
        return;
    }
    let (dir, mut ds) = fixture();
    ds.write(|tx| {
        for k in 0..WRITERS as i64 {
            tx.execute(
                "INSERT INTO findings(id, rule, cust_no, subject, status, severity, evidence, first_seen, last_seen, first_scan, last_scan, status_date)
                 VALUES (?1, 'ARC-01', 'C3', ?2, 'new', 'low', 'e', '2026-11-01', '2026-11-01', 1, 1, '2026-11-01')",
                rusqlite::params![100 + k, format!("s{k}")],
            )?;
        }
        Ok(())
    })
    .unwrap();
    let log_before: i64 = ds
        .conn
        .query_row("SELECT count(*) FROM action_log", [], |r| r.get(0))
        .unwrap();
    let db = dir.path().join("t.jicha");
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..WRITERS)
        .map(|k| {
            Command::new(&exe)
                .args([
                    "--exact",
                    "eight_writers_a_thousand_actions_each",
                    "--nocapture",
                ])
                .env("JICHA_LOAD_CHILD", format!("{}|{k}", db.display()))
                .output_async()
        })
        .collect();
    for (k, c) in children.into_iter().enumerate() {
        let out = c.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "writer {k} failed: {err}");
        assert!(!err.contains("locked"), "writer {k}: {err}");
    }

    let notes_per_writer = ACTIONS - 3 * ACTIONS / 4;
    for k in 0..WRITERS {
        let n: i64 = ds
            .conn
            .query_row(
                "SELECT count(DISTINCT text), count(*) FROM finding_notes WHERE text LIKE ?1",
                [format!("w{k}-%")],
                |r| {
                    assert_eq!(
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        "a note stored twice"
                    );
                    r.get(0)
                },
            )
            .unwrap();
        assert_eq!(n as usize, notes_per_writer, "writer {k}'s notes");
        // 250 cycles of confirm → close → reopen end in `new`.
        assert_eq!(status(&ds, 100 + k as i64), ("new".into(), None));
        let hist: i64 = ds
            .conn
            .query_row(
                "SELECT count(*) FROM finding_status_history WHERE finding_id = ?1",
                [100 + k as i64],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(hist as usize, 3 * ACTIONS / 4);
    }
    let log_after: i64 = ds
        .conn
        .query_row("SELECT count(*) FROM action_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!((log_after - log_before) as usize, WRITERS * ACTIONS);
    let v = jicha::actionlog::verify(&ds.conn).unwrap();
    assert!(v.first_broken.is_none(), "{:?}", v.first_broken);
}

trait SpawnOutput {
    fn output_async(&mut self) -> std::process::Child;
}
impl SpawnOutput for Command {
    fn output_async(&mut self) -> std::process::Child {
        self.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    }
}
