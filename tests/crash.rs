//! Writers killed with SIGKILL at random moments lose nothing they acknowledged and leave
//! nothing half applied; the file passes `PRAGMA integrity_check` and the log verifies.

mod common;
use std::process::{Command, Stdio};
use std::time::Duration;

const NOTES_PER_WRITE: usize = 20;
const LANES: usize = 4;
const KILLS_PER_LANE: usize = 55;

/// A small deterministic generator: the kill moments vary, the test stays repeatable.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
#[allow(clippy::too_many_lines)] // one scenario, step by step; split, its steps would lose the state they share
fn sigkill_at_random_moments_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.jicha");
    {
        let (_fd, ds) = common::fixture();
        common::vacuum_into(&ds.conn, &db);
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "INSERT INTO operators(login, role, added_at, added_by) VALUES (?1, 'auditor', 't', 't')",
        [jicha::context::os_login()],
    )
    .unwrap();
    drop(conn);
    let ids: Vec<String> = (0..NOTES_PER_WRITE)
        .map(|i| (i % 5 + 1).to_string())
        .collect();
    let ids = ids.join(",");

    // Kill moments spread over a whole writer's life (start-up, transaction, commit, exit):
    // measure one uninterrupted write first.
    let started = std::time::Instant::now();
    for _ in 0..3 {
        let out = Command::new(env!("CARGO_BIN_EXE_jicha"))
            .arg("--db")
            .arg(&db)
            .args([
                "--today",
                "2026-11-02",
                "finding",
                "note",
                &ids,
                "--text",
                "calibration",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let life_us = (started.elapsed().as_micros() as u64 / 3).max(1_000);

    let lanes: Vec<_> = (0..LANES)
        .map(|lane| {
            let db = db.clone();
            let ids = ids.clone();
            std::thread::spawn(move || {
                let mut rng = Lcg(lane as u64 + 1);
                let mut outcomes = Vec::new(); // (tag, acknowledged)
                let mut kills = 0;
                for i in 0.. {
                    if kills >= KILLS_PER_LANE && i >= 2 * KILLS_PER_LANE {
                        break;
                    }
                    let tag = format!("lane{lane}-w{i}");
                    let mut child = Command::new(env!("CARGO_BIN_EXE_jicha"))
                        .arg("--db")
                        .arg(&db)
                        .args([
                            "--today",
                            "2026-11-02",
                            "finding",
                            "note",
                            &ids,
                            "--text",
                            &tag,
                        ])
                        .stdout(Stdio::null())
                        .stderr(Stdio::piped())
                        .spawn()
                        .unwrap();
                    // Up to 2.5 writer lives: with all lanes writing at once a writer lives
                    // longer than the calibration run measured alone, and the sweep must still
                    // reach past its commit (the lane goes on until it has its kills).
                    std::thread::sleep(Duration::from_micros(rng.next() % (life_us * 5 / 2)));
                    let acknowledged = match child.try_wait().unwrap() {
                        Some(status) => {
                            let mut err = String::new();
                            use std::io::Read;
                            child
                                .stderr
                                .take()
                                .unwrap()
                                .read_to_string(&mut err)
                                .unwrap();
                            assert!(
                                status.success(),
                                "writer failed without being killed: {err}"
                            );
                            true
                        }
                        None => {
                            child.kill().unwrap(); // SIGKILL
                            child.wait().unwrap();
                            kills += 1;
                            false
                        }
                    };
                    outcomes.push((tag, acknowledged));
                }
                (outcomes, kills)
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    let mut kills = 0;
    for l in lanes {
        let (o, k) = l.join().unwrap();
        outcomes.extend(o);
        kills += k;
    }
    assert!(kills >= 200, "only {kills} kills");

    let conn = common::raw(&db);
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let mut acknowledged = 0;
    let mut killed_but_committed = 0;
    for (tag, ack) in &outcomes {
        let notes: i64 = conn
            .query_row(
                "SELECT count(*) FROM finding_notes WHERE text = ?1",
                [tag],
                |r| r.get(0),
            )
            .unwrap();
        let logged: i64 = conn
            .query_row(
                "SELECT count(*) FROM action_log WHERE action = 'finding.note' AND details ->> '$.text' = ?1",
                [tag],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            notes == 0 || notes == NOTES_PER_WRITE as i64,
            "{tag}: {notes} of {NOTES_PER_WRITE} notes: half applied"
        );
        assert_eq!(
            notes, logged,
            "{tag}: every note has its log record and no more"
        );
        if *ack {
            acknowledged += 1;
            assert_eq!(
                notes, NOTES_PER_WRITE as i64,
                "{tag} was acknowledged but is missing"
            );
        } else if notes > 0 {
            killed_but_committed += 1;
        }
    }
    let v = jicha::actionlog::verify(&conn).unwrap();
    assert!(v.first_broken.is_none(), "{:?}", v.first_broken);
    // The last writer may have died between its commit and the anchor update: that is reported
    // as lagging, never as anything worse, and the next write moves the anchor on.
    if let Some(problem) = jicha::actionlog::check_sidecar(&db, &conn).unwrap() {
        assert!(problem.contains("lags"), "{problem}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_jicha"))
        .arg("--db")
        .arg(&db)
        .args([
            "--today",
            "2026-11-02",
            "finding",
            "note",
            "1",
            "--text",
            "after",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(jicha::actionlog::check_sidecar(&db, &conn).unwrap(), None);
    assert!(
        acknowledged > 0 && killed_but_committed + acknowledged < outcomes.len(),
        "kills should land before, during and after commits"
    );
    eprintln!(
        "writer life {life_us} µs; {} writes, {kills} killed ({killed_but_committed} of those had committed), {acknowledged} acknowledged",
        outcomes.len()
    );
}
