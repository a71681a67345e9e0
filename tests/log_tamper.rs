//! The action log against tampering, exhaustively on a 10-record log: for every record, each
//! field changed (by one character, to a blob of the same bytes, to bytes that are not UTF-8),
//! the seq renumbered, the record deleted, swapped with its neighbour, the tail truncated from
//! it, the chain re-hashed from it. `actionlog::verify`, or the anchor check
//! `actionlog::check_sidecar` when the chain itself is consistent, must detect each and name
//! the first broken record; `jicha log verify` must say the same.

use jicha::actionlog::{self, LogRecord};
use jicha::context::{Ctx, Lang, Role};
use jicha::db::Dataset;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::Command;

const N: i64 = 10;
const FIELDS: [&str; 8] = [
    "at_utc",
    "business_date",
    "operator",
    "action",
    "target",
    "details",
    "prev_hash",
    "hash",
];

/// A dataset whose log holds exactly `N` records, with its anchor file.
fn pristine() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("log.jicha");
    let me = jicha::context::os_login();
    let mut ds = Dataset::create(&db, &me, "2026-01-01T00:00:00Z").unwrap();
    let ctx = Ctx {
        unit: None,
        operator: me,
        role: Role::Admin,
        today: jicha::dates::parse_date("2026-11-02").unwrap(),
        lang: Lang::En,
    };
    let already: i64 = ds
        .conn
        .query_row("SELECT count(*) FROM action_log", [], |r| r.get(0))
        .unwrap();
    for i in already..N {
        ds.write(|tx| {
            actionlog::append(
                tx,
                &ctx,
                "finding.note",
                &format!("finding:{i}"),
                &serde_json::json!({"text": format!("note {i} 现场核查"), "n": i}),
            )
        })
        .unwrap();
    }
    drop(ds);
    let conn = Connection::open(&db).unwrap();
    let v = actionlog::verify(&conn).unwrap();
    assert_eq!(v.records, N as u64);
    assert!(v.first_broken.is_none());
    assert_eq!(actionlog::check_sidecar(&db, &conn).unwrap(), None);
    (dir, db)
}

/// What the checks must report.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// `verify` names this seq as the first broken record.
    Chain(i64),
    /// The chain is consistent; the anchor check reports, naming this record.
    Anchor(i64),
}

enum Tamper {
    Sql(String),
    /// Edit record k's details and re-hash the chain from k on, as a forger with the code would.
    Rehash(i64),
    RemoveAnchor,
}

struct Case {
    name: String,
    tamper: Tamper,
    expect: Expect,
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let sql = |name: String, s: String, expect| Case {
        name,
        tamper: Tamper::Sql(s),
        expect,
    };
    for k in 1..=N {
        for f in FIELDS {
            // One character changed, length and alphabet kept (a hash stays 64 hex digits).
            out.push(sql(
                format!("record {k}: {f} changed by one character"),
                format!(
                    "UPDATE action_log SET {f} = substr({f}, 1, length({f}) - 1) ||
                       CASE WHEN substr({f}, -1) = '0' THEN '1' ELSE '0' END WHERE seq = {k}"
                ),
                Expect::Chain(k),
            ));
            out.push(sql(
                format!("record {k}: {f} stored as a blob of the same bytes"),
                format!("UPDATE action_log SET {f} = CAST({f} AS BLOB) WHERE seq = {k}"),
                Expect::Chain(k),
            ));
            out.push(sql(
                format!("record {k}: {f} not UTF-8"),
                format!("UPDATE action_log SET {f} = CAST({f} || X'FF' AS TEXT) WHERE seq = {k}"),
                Expect::Chain(k),
            ));
        }
        out.push(sql(
            format!("record {k}: seq renumbered up"),
            format!("UPDATE action_log SET seq = seq + 100 WHERE seq = {k}"),
            Expect::Chain(k),
        ));
        out.push(sql(
            format!("record {k}: seq renumbered negative"),
            format!("UPDATE action_log SET seq = -seq WHERE seq = {k}"),
            Expect::Chain(-k),
        ));
        out.push(sql(
            format!("record {k}: deleted"),
            format!("DELETE FROM action_log WHERE seq = {k}"),
            if k == N {
                Expect::Anchor(k)
            } else {
                Expect::Chain(k)
            },
        ));
        if k < N {
            let cols = FIELDS
                .iter()
                .map(|f| format!("{f} = (SELECT {f} FROM action_log o WHERE o.seq = {k} + {k} + 1 - action_log.seq)"))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(sql(
                format!("record {k}: swapped with record {}", k + 1),
                format!("UPDATE action_log SET {cols} WHERE seq IN ({k}, {})", k + 1),
                Expect::Chain(k),
            ));
        }
        out.push(sql(
            format!("tail truncated from record {k}"),
            format!("DELETE FROM action_log WHERE seq >= {k}"),
            Expect::Anchor(k),
        ));
        out.push(Case {
            name: format!("record {k}: edited and the chain re-hashed from it"),
            tamper: Tamper::Rehash(k),
            // A self-consistent forged chain: only the anchor outside the file catches it,
            // and all it can name is the record it holds, the last one.
            expect: Expect::Anchor(N),
        });
    }
    out.push(Case {
        name: "anchor file removed".into(),
        tamper: Tamper::RemoveAnchor,
        expect: Expect::Anchor(0),
    });
    out
}

fn read_all(conn: &Connection) -> Vec<LogRecord> {
    let mut recs = actionlog::recent(conn, 1000).unwrap();
    recs.reverse();
    recs
}

fn apply(db: &Path, t: &Tamper) {
    let conn = Connection::open(db).unwrap();
    conn.execute_batch("DROP TRIGGER action_log_no_update; DROP TRIGGER action_log_no_delete;")
        .unwrap();
    match t {
        Tamper::Sql(s) => conn.execute_batch(s).unwrap(),
        Tamper::Rehash(k) => {
            let mut prev = if *k == 1 {
                actionlog::GENESIS_HASH.to_string()
            } else {
                read_all(&conn)[*k as usize - 2].hash.clone()
            };
            for mut r in read_all(&conn).into_iter().skip(*k as usize - 1) {
                if r.seq == *k {
                    r.details = r.details.replace("note", "NOTE");
                }
                r.prev_hash = prev;
                r.hash = actionlog::record_hash(&r);
                conn.execute(
                    "UPDATE action_log SET details = ?1, prev_hash = ?2, hash = ?3 WHERE seq = ?4",
                    rusqlite::params![r.details, r.prev_hash, r.hash, r.seq],
                )
                .unwrap();
                prev = r.hash;
            }
        }
        Tamper::RemoveAnchor => std::fs::remove_file(actionlog::sidecar_path(db)).unwrap(),
    }
}

fn copy_of(src: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("copy.jicha");
    std::fs::copy(src, &db).unwrap();
    std::fs::copy(actionlog::sidecar_path(src), actionlog::sidecar_path(&db)).unwrap();
    // The facts file (the imported export) goes with its dataset.
    std::fs::copy(
        jicha::db::facts::path_of(src),
        jicha::db::facts::path_of(&db),
    )
    .unwrap();
    (dir, db)
}

#[test]
fn every_tampering_of_every_record_is_named() {
    let (_keep, original) = pristine();
    let all = cases();
    assert!(all.len() > 250, "{} cases", all.len());
    let mut failures = Vec::new();
    for case in &all {
        let (_d, db) = copy_of(&original);
        apply(&db, &case.tamper);
        let conn = Connection::open(&db).unwrap();
        let v = match actionlog::verify(&conn) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!(
                    "{}: verify failed instead of naming: {e}",
                    case.name
                ));
                continue;
            }
        };
        let anchor = actionlog::check_sidecar(&db, &conn).unwrap();
        let ok = match case.expect {
            Expect::Chain(seq) => v
                .first_broken
                .as_ref()
                .is_some_and(|b| b.seq == seq && !b.why.to_string().is_empty()),
            Expect::Anchor(0) => {
                v.first_broken.is_none() && anchor.as_deref().is_some_and(|m| m.contains("missing"))
            }
            Expect::Anchor(seq) => {
                v.first_broken.is_none()
                    && anchor
                        .as_deref()
                        .is_some_and(|m| m.contains(&format!("record {seq}")))
            }
        };
        if !ok {
            failures.push(format!(
                "{}: expected {:?}, verify said {:?}, anchor said {:?}",
                case.name, case.expect, v.first_broken, anchor
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases not detected or misnamed:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}

#[test]
fn log_verify_on_the_command_line_names_the_record() {
    let (_keep, original) = pristine();
    // One case of each kind, through the binary: exit status 1 and the record in the message.
    let picks = [
        (
            "record 4: details changed by one character",
            "broken at record 4",
        ),
        (
            "record 6: hash stored as a blob of the same bytes",
            "broken at record 6",
        ),
        ("record 3: deleted", "broken at record 3"),
        ("record 7: swapped with record 8", "broken at record 7"),
        ("record 2: seq renumbered up", "broken at record 2"),
        ("tail truncated from record 5", "before record 5"),
        (
            "record 9: edited and the chain re-hashed from it",
            "record 10",
        ),
    ];
    let all = cases();
    for (name, want) in picks {
        let case = all.iter().find(|c| c.name == name).expect(name);
        let (_d, db) = copy_of(&original);
        apply(&db, &case.tamper);
        let out = Command::new(env!("CARGO_BIN_EXE_jicha"))
            .arg("--db")
            .arg(&db)
            .args(["--today", "2026-11-02", "log", "verify"])
            .env_remove("JICHA_DB")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert!(err.contains(want), "{name}: wanted {want:?} in {err}");
        assert!(
            !err.contains("Invalid column type") && !err.contains("Utf8"),
            "{name}: a read error instead of a finding: {err}"
        );
    }
}
