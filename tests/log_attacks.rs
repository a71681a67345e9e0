//! The 13 attacks on the action log of issue 9 by someone who can write the dataset file and its
//! directory (a plain group-shared install, SECURITY.md tier 0), each run against
//! `jicha log verify` without and with the syslog witness (`--witness`, here a file through
//! `JICHA_WITNESS_FILE`). Each is detected, or — where SECURITY.md says the anchor alone cannot
//! see it — shown to pass without the witness and to be caught with it. Also: the anchor is not
//! silently recreated, a re-anchoring is explicit and logged, a lagging anchor is reported and
//! repaired, killed writers' temporary anchors are removed, and planted links are not followed.

use jicha::actionlog::{self, LogRecord};
use rusqlite::Connection;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Records in the log before each attack.
const N: i64 = 6;

struct Fixture {
    _dir: tempfile::TempDir,
    db: PathBuf,
    witness: PathBuf,
}

impl Fixture {
    /// A dataset whose log holds `N` records written by jicha, each commit witnessed.
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("audit.jicha");
        let witness = dir.path().join("witness.log");
        jicha::db::Dataset::create(&db, &jicha::context::os_login(), "2026-01-01T00:00:00Z")
            .unwrap();
        let f = Fixture {
            _dir: dir,
            db,
            witness,
        };
        for i in 0..N {
            f.write_ok(&format!("2.{i}"));
        }
        assert_eq!(f.records().len() as i64, N);
        f.verify().assert_passes("pristine");
        f.verify_witnessed().assert_passes("pristine, witnessed");
        f
    }

    fn jicha(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_jicha"))
            .arg("--db")
            .arg(&self.db)
            .args(["--today", "2026-11-02", "--lang", "en"])
            .args(args)
            .env_remove("JICHA_DB")
            .env("JICHA_WITNESS_FILE", &self.witness)
            .output()
            .unwrap()
    }

    /// A normal write through jicha: one log record.
    fn write(&self, surge: &str) -> Output {
        self.jicha(&["thresholds", "set", "surge_ratio", surge])
    }

    fn write_ok(&self, surge: &str) {
        let out = self.write(surge);
        assert!(out.status.success(), "{}", stderr(&out));
    }

    fn verify(&self) -> Verdict {
        Verdict(self.jicha(&["log", "verify"]))
    }

    fn verify_witnessed(&self) -> Verdict {
        Verdict(self.jicha(&["log", "verify", "--witness", self.witness.to_str().unwrap()]))
    }

    /// The dataset as an attacker with write access opens it: the append-only triggers dropped.
    fn raw(&self) -> Connection {
        let conn = Connection::open(&self.db).unwrap();
        conn.execute_batch("DROP TRIGGER action_log_no_update; DROP TRIGGER action_log_no_delete;")
            .unwrap();
        conn
    }

    fn records(&self) -> Vec<LogRecord> {
        let conn = Connection::open(&self.db).unwrap();
        let mut recs = actionlog::recent(&conn, 1_000_000).unwrap();
        recs.reverse();
        recs
    }

    fn anchor_path(&self) -> PathBuf {
        actionlog::sidecar_path(&self.db)
    }

    fn dataset_id(&self) -> String {
        let conn = Connection::open(&self.db).unwrap();
        conn.query_row("SELECT value FROM meta WHERE key = 'dataset_id'", [], |r| {
            r.get(0)
        })
        .unwrap()
    }

    /// Writes an anchor the way jicha does, for the log's record `seq`.
    fn forge_anchor(&self, seq: i64) {
        let hash = self
            .records()
            .iter()
            .find(|r| r.seq == seq)
            .map(|r| r.hash.clone())
            .unwrap();
        std::fs::write(
            self.anchor_path(),
            format!("{seq} {hash} dataset={} since=0\n", self.dataset_id()),
        )
        .unwrap();
    }

    fn truncate_from(&self, seq: i64) {
        self.raw()
            .execute("DELETE FROM action_log WHERE seq >= ?1", [seq])
            .unwrap();
    }

    /// What a careful forger does after truncating: removes the state-ledger rows that no
    /// remaining record seals and puts the threshold the fixture's later records changed
    /// (`surge_ratio`) back as the ledger last sealed them, so the state agrees with the
    /// shorter log.
    fn cover_tracks_in_the_state(&self) {
        let conn = Connection::open(&self.db).unwrap();
        let sealed_to: i64 = conn
            .query_row(
                "SELECT coalesce(max(details ->> '$.\"~ledger_seal\".last'), 0) FROM action_log WHERE json_valid(details)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        conn.execute("DELETE FROM state_ledger WHERE seq > ?1", [sealed_to])
            .unwrap();
        conn.execute(
            "UPDATE thresholds SET value = l.vals ->> '$.value', updated_at = l.vals ->> '$.updated_at', updated_by = l.vals ->> '$.updated_by'
             FROM (SELECT row_key, vals FROM state_ledger s WHERE tbl = 'thresholds'
                   AND seq = (SELECT max(seq) FROM state_ledger WHERE tbl = 'thresholds' AND row_key = s.row_key)) AS l
             WHERE thresholds.name = l.row_key AND l.row_key = 'surge_ratio'",
            [],
        )
        .unwrap();
    }
}

/// Replaces the whole log by `recs`, re-chained with fresh hashes as a forger with the code
/// would: a self-consistent chain.
fn rechain(conn: &Connection, mut recs: Vec<LogRecord>) {
    let mut prev = actionlog::GENESIS_HASH.to_string();
    conn.execute("DELETE FROM action_log", []).unwrap();
    for (i, r) in recs.iter_mut().enumerate() {
        r.seq = i as i64 + 1;
        r.prev_hash = prev;
        r.hash = actionlog::record_hash(r);
        prev = r.hash.clone();
        conn.execute(
            "INSERT INTO action_log(seq, at_utc, business_date, operator, action, target, details, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            rusqlite::params![
                r.seq, r.at_utc, r.business_date, r.operator, r.action, r.target, r.details,
                r.prev_hash, r.hash
            ],
        )
        .unwrap();
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

struct Verdict(Output);

impl Verdict {
    fn assert_detects(&self, what: &str, wanted: &str) {
        let err = stderr(&self.0);
        assert_eq!(self.0.status.code(), Some(1), "{what}: not detected: {err}");
        assert!(err.contains(wanted), "{what}: wanted {wanted:?} in:\n{err}");
        assert!(!err.contains("panicked"), "{what}: {err}");
    }

    /// What SECURITY.md states the anchor alone cannot see: verify passes.
    fn assert_passes(&self, what: &str) {
        assert!(
            self.0.status.success(),
            "{what}: expected to pass: {}",
            stderr(&self.0)
        );
        let out = String::from_utf8_lossy(&self.0.stdout);
        assert!(out.contains("action log verified"), "{what}: {out}");
    }
}

#[test]
fn attack_01_update_with_the_trigger_in_place_is_refused_by_the_dataset() {
    let f = Fixture::new();
    let conn = Connection::open(&f.db).unwrap();
    let err = conn
        .execute(
            "UPDATE action_log SET operator = 'forger' WHERE seq = 3",
            [],
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("append-only") || err.to_string().contains("log"),
        "{err}"
    );
    assert!(conn
        .execute("DELETE FROM action_log WHERE seq = 3", [])
        .is_err());
    drop(conn);
    assert!(f.records().iter().all(|r| r.operator != "forger"));
    f.verify().assert_passes("nothing changed");
}

#[test]
fn attack_02_edit_a_record_with_the_trigger_dropped() {
    let f = Fixture::new();
    f.raw()
        .execute(
            "UPDATE action_log SET operator = 'someone_else' WHERE seq = 3",
            [],
        )
        .unwrap();
    f.verify()
        .assert_detects("edited record", "broken at record 3");
    f.verify_witnessed()
        .assert_detects("edited record", "broken at record 3");
}

#[test]
fn attack_03_delete_a_middle_record() {
    let f = Fixture::new();
    f.raw()
        .execute("DELETE FROM action_log WHERE seq = 3", [])
        .unwrap();
    f.verify()
        .assert_detects("deleted record", "broken at record 3");
    f.verify_witnessed().assert_detects(
        "deleted record",
        "record 3, which the witness saw committed, is missing",
    );
}

#[test]
fn attack_04_truncate_the_tail_with_the_anchor_intact() {
    let f = Fixture::new();
    f.truncate_from(5);
    f.verify()
        .assert_detects("truncated", "records 5–6 were removed from its end");
    f.verify_witnessed()
        .assert_detects("truncated", "truncated or rolled back");
    // A write on top is refused: it would otherwise bury the evidence under a new record 5.
    let out = f.write("3.0");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Nothing was written"),
        "{}",
        stderr(&out)
    );
    assert_eq!(f.records().len(), 4);
}

#[test]
fn attack_05_truncate_and_delete_the_anchor() {
    let f = Fixture::new();
    f.truncate_from(5);
    std::fs::remove_file(f.anchor_path()).unwrap();
    f.verify().assert_detects("anchor deleted", "is missing");
    f.verify_witnessed()
        .assert_detects("anchor deleted", "truncated or rolled back");
}

#[test]
fn attack_06_truncate_delete_the_anchor_then_a_normal_write() {
    let f = Fixture::new();
    f.truncate_from(5);
    std::fs::remove_file(f.anchor_path()).unwrap();
    let out = f.write("3.0");
    assert_eq!(out.status.code(), Some(1), "the write must be refused");
    let err = stderr(&out);
    assert!(
        err.contains("is missing") && err.contains("log reanchor"),
        "{err}"
    );
    assert!(
        !f.anchor_path().exists(),
        "a normal write recreated the anchor"
    );
    assert_eq!(f.records().len(), 4, "nothing was written");
    f.verify().assert_detects("anchor deleted", "is missing");
    f.verify_witnessed()
        .assert_detects("anchor deleted", "truncated or rolled back");
}

#[test]
fn attack_07_truncate_and_rewrite_the_anchor_needs_the_witness() {
    let f = Fixture::new();
    f.truncate_from(5);
    f.forge_anchor(4);
    // The removed records' state changes stay behind, unsealed: the state check sees them.
    f.verify().assert_detects(
        "truncated, anchor rewritten",
        "state ledger rows not sealed by any log record",
    );
    // SECURITY.md: without tier 1 or the witness, a forger who also puts the state back to
    // what the shorter log says is undetectable.
    f.cover_tracks_in_the_state();
    f.verify()
        .assert_passes("truncated, anchor rewritten, state put back");
    f.verify_witnessed().assert_detects(
        "truncated, anchor rewritten",
        "the log ends at record 4, but the witness saw record 6",
    );
}

#[test]
fn attack_08_rewrite_the_whole_chain_and_the_anchor_needs_the_witness() {
    let f = Fixture::new();
    let mut recs = f.records();
    for r in &mut recs {
        r.operator = "forger".into();
    }
    rechain(&f.raw(), recs);
    f.forge_anchor(N);
    f.verify().assert_passes("rewritten with anchor");
    f.verify_witnessed()
        .assert_detects("rewritten with anchor", "the log was rewritten");
}

#[test]
fn attack_09_rewrite_the_chain_and_leave_the_anchor() {
    let f = Fixture::new();
    let mut recs = f.records();
    recs[1].details = recs[1].details.replace("2.1", "9.9");
    rechain(&f.raw(), recs);
    f.verify().assert_detects(
        "rewritten",
        "record 6 differs from the hash recorded outside the dataset",
    );
    f.verify_witnessed().assert_detects(
        "rewritten",
        "record 2, 3, 4, 5, 6 differs from the hash the witness saw",
    );
    let out = f.write("3.0");
    assert_eq!(
        out.status.code(),
        Some(1),
        "a write would move the anchor onto the forgery"
    );
}

/// Appends a record that chains correctly onto the head, as jicha would have written it.
fn forge_append(f: &Fixture) {
    let mut recs = f.records();
    let mut forged = recs.last().unwrap().clone();
    forged.operator = "forger".into();
    forged.details = r#"{"name":"surge_ratio","value":"99"}"#.into();
    recs.push(forged);
    rechain(&f.raw(), recs);
}

#[test]
fn attack_10_append_a_forged_record() {
    let f = Fixture::new();
    forge_append(&f);
    f.verify()
        .assert_detects("forged append", "the anchor file lags");
    f.verify_witnessed().assert_detects(
        "forged append",
        "record(s) 7 come after the last witnessed record 6",
    );
}

#[test]
fn attack_10b_append_a_forged_record_then_a_normal_write_needs_the_witness() {
    let f = Fixture::new();
    forge_append(&f);
    // The next writer cannot tell a forged record from one whose writer died before its anchor
    // update: it moves the anchor on (SECURITY.md). The witness never saw record 7.
    f.write_ok("3.0");
    f.verify().assert_passes("forged append buried by a write");
    f.verify_witnessed().assert_detects(
        "forged append buried by a write",
        "record(s) 7 were never witnessed although later ones were",
    );
}

#[test]
fn attack_11_insert_a_back_dated_record_and_re_chain() {
    let f = Fixture::new();
    let mut recs = f.records();
    let mut back = recs[1].clone();
    back.at_utc = "2026-01-02T00:00:00.000Z".into();
    back.business_date = "2026-01-02".into();
    back.details = r#"{"name":"surge_ratio","value":"1.0"}"#.into();
    recs.insert(2, back);
    rechain(&f.raw(), recs);
    f.verify().assert_detects(
        "back-dated insert",
        "record 6 differs from the hash recorded outside",
    );
    f.verify_witnessed()
        .assert_detects("back-dated insert", "the log was rewritten");
}

#[test]
fn attack_12_anchor_garbage() {
    let f = Fixture::new();
    std::fs::write(f.anchor_path(), "not an anchor at all\n").unwrap();
    f.verify().assert_detects("garbage anchor", "is unreadable");
    f.verify_witnessed()
        .assert_detects("garbage anchor", "is unreadable");
    let out = f.write("3.0");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(f.anchor_path()).unwrap(),
        "not an anchor at all\n",
        "the evidence is left as it was"
    );
}

#[test]
fn attack_13_move_the_anchor_back_and_truncate_needs_the_witness() {
    let f = Fixture::new();
    f.forge_anchor(3);
    f.truncate_from(4);
    f.verify().assert_detects(
        "anchor moved back, log truncated",
        "state ledger rows not sealed by any log record",
    );
    f.cover_tracks_in_the_state();
    f.verify()
        .assert_passes("anchor moved back, log truncated, state put back");
    f.verify_witnessed().assert_detects(
        "anchor moved back, log truncated",
        "record(s) 4–6 were removed",
    );
}

#[test]
fn an_anchor_copied_from_another_dataset_is_refused() {
    let a = Fixture::new();
    let b = Fixture::new();
    std::fs::copy(a.anchor_path(), b.anchor_path()).unwrap();
    b.verify()
        .assert_detects("foreign anchor", "belongs to another dataset");
    assert_eq!(b.write("3.0").status.code(), Some(1));
}

#[test]
fn a_changed_dataset_id_leaves_the_witness_without_lines() {
    let f = Fixture::new();
    let other = "ab".repeat(16);
    f.raw()
        .execute(
            "UPDATE meta SET value = ?1 WHERE key = 'dataset_id'",
            [&other],
        )
        .unwrap();
    f.verify_witnessed()
        .assert_detects("id changed", "no line for this dataset");
}

#[test]
fn reanchor_is_an_admins_explicit_logged_and_witnessed_act() {
    let f = Fixture::new();
    f.truncate_from(5);
    std::fs::remove_file(f.anchor_path()).unwrap();

    // Not for viewers; needs a reason.
    let viewer = Command::new("runuser")
        .args(["-u", "nobody", "--"])
        .arg(env!("CARGO_BIN_EXE_jicha"))
        .args([
            "--db",
            f.db.to_str().unwrap(),
            "log",
            "reanchor",
            "--reason",
            "x",
        ])
        .output();
    if jicha::context::is_root() {
        let out = viewer.unwrap();
        assert_ne!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let out = f.jicha(&["log", "reanchor", "--reason", ""]);
    assert_ne!(out.status.code(), Some(0));

    let out = f.jicha(&[
        "log",
        "reanchor",
        "--reason",
        "restored from the 2026-11-01 backup, ticket SEC-7",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let recs = f.records();
    let last = recs.last().unwrap();
    assert_eq!((last.seq, last.action.as_str()), (5, "log.reanchor"));
    assert!(
        last.details.contains("SEC-7") && last.details.contains("missing"),
        "{}",
        last.details
    );

    let v = f.verify();
    v.assert_passes("re-anchored");
    let said = String::from_utf8_lossy(&v.0.stdout);
    assert!(
        said.contains("re-established at record 5") && said.contains("SEC-7"),
        "{said}"
    );
    // The witness still shows what was lost before the re-anchoring.
    f.verify_witnessed()
        .assert_detects("re-anchored over a truncation", "the log was rewritten");
    // Writes go on, and a second re-anchoring is refused while the anchor vouches.
    f.write_ok("3.0");
    f.verify().assert_passes("after re-anchoring");
    assert_ne!(
        f.jicha(&["log", "reanchor", "--reason", "again"])
            .status
            .code(),
        Some(0)
    );

    // An anchor whose `since` points at an ordinary record is a forgery.
    let text = std::fs::read_to_string(f.anchor_path()).unwrap();
    std::fs::write(f.anchor_path(), text.replace("since=5", "since=2")).unwrap();
    f.verify()
        .assert_detects("forged since", "is not a re-anchoring");
}

/// A record committed without the anchor update after it, as when a writer is killed between
/// its commit and the anchor write.
fn commit_without_anchor_update(db: &Path) {
    let conn = Connection::open(db).unwrap();
    let ctx = jicha::context::Ctx {
        unit: None,
        operator: jicha::context::os_login(),
        role: jicha::context::Role::Admin,
        today: jicha::dates::parse_date("2026-11-02").unwrap(),
        lang: jicha::context::Lang::En,
    };
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    actionlog::append(
        &conn,
        &ctx,
        "finding.note",
        "finding:1",
        &serde_json::json!({"t": 1}),
    )
    .unwrap();
    conn.execute_batch("COMMIT").unwrap();
}

#[test]
fn a_lagging_anchor_is_reported_as_lagging_and_repaired_by_the_next_write() {
    let f = Fixture::new();
    commit_without_anchor_update(&f.db);
    let v = f.verify();
    v.assert_detects(
        "lagging",
        "the anchor file lags: it records record 6 but the log has 7 records",
    );
    assert!(
        !String::from_utf8_lossy(&v.0.stdout).contains("agrees"),
        "a lagging anchor must not be reported as agreeing"
    );
    f.write_ok("3.0");
    f.verify().assert_passes("repaired");
    let anchor = std::fs::read_to_string(f.anchor_path()).unwrap();
    assert!(anchor.starts_with("8 "), "{anchor}");
}

#[test]
fn killed_writers_temporary_anchors_are_removed_by_the_next_write() {
    let f = Fixture::new();
    let dir = f.db.parent().unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let plant = |name: &str, age: std::time::SystemTime| {
        let p = dir.join(name);
        std::fs::write(&p, "7 deadbeef\n").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_modified(age)
            .unwrap();
        p
    };
    // Left by killed writers: the old pid-named temp and the current random-named one.
    let legacy = plant("audit.jicha.loghead.31337", old);
    let random = plant("audit.jicha.loghead.tmp-0123456789abcdef", old);
    // A live writer's file (just made), and look-alikes jicha did not make: kept.
    let live = plant(
        "audit.jicha.loghead.tmp-fedcba9876543210",
        std::time::SystemTime::now(),
    );
    let other = plant("audit.jicha.loghead.backup", old);
    let target = dir.join("stand-in");
    std::fs::write(&target, "precious").unwrap();
    let link = dir.join("audit.jicha.loghead.tmp-aaaaaaaaaaaaaaaa");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let subdir = dir.join("audit.jicha.loghead.4242");
    std::fs::create_dir(&subdir).unwrap();

    f.write_ok("3.0");
    assert!(
        !legacy.exists() && !random.exists(),
        "stale temporary anchors left"
    );
    assert!(live.exists() && other.exists() && subdir.exists());
    assert!(link.symlink_metadata().is_ok(), "a link was removed");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");
    f.verify().assert_passes("after the clean-up");

    // Real kills: whatever temporary files they leave are jicha's names, and go once stale.
    for i in 0..30u64 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jicha"))
            .arg("--db")
            .arg(&f.db)
            .args(["--today", "2026-11-02", "thresholds", "set", "surge_ratio"])
            .arg(format!("4.{i}"))
            .env("JICHA_WITNESS_FILE", &f.witness)
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(500 * (i % 12)));
        let _ = child.kill();
        let _ = child.wait();
    }
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with("audit.jicha.loghead.tmp-") && e.file_type().unwrap().is_file() {
            std::fs::File::options()
                .write(true)
                .open(e.path())
                .unwrap()
                .set_modified(old)
                .unwrap();
        }
    }
    let out = f.write("5.0");
    assert!(out.status.success(), "{}", stderr(&out));
    let left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with("audit.jicha.loghead.tmp-")
                && *n != "audit.jicha.loghead.tmp-aaaaaaaaaaaaaaaa"
                && *n != "audit.jicha.loghead.tmp-fedcba9876543210"
        })
        .collect();
    assert!(left.is_empty(), "{left:?}");
    f.verify().assert_passes("after killed writers");
}

/// Issue 9 item 5: links planted for the anchor's temporary names (the old `NAME.loghead.<pid>`
/// for the coming pids, guesses at the new random names) pointing at a root-owned 0644 stand-in
/// for /etc/passwd; a write by root's jicha leaves the stand-in unchanged, content and mode.
#[test]
fn planted_links_for_the_temporary_anchor_do_not_redirect_roots_write() {
    let f = Fixture::new();
    let dir = f.db.parent().unwrap();
    std::fs::set_permissions(&f.db, std::fs::Permissions::from_mode(0o666)).unwrap();
    let stand_in = dir.join("passwd-stand-in");
    std::fs::write(&stand_in, "root:x:0:0:root:/root:/bin/sh\n").unwrap();
    std::fs::set_permissions(&stand_in, std::fs::Permissions::from_mode(0o644)).unwrap();
    let before = std::fs::metadata(&stand_in).unwrap();
    // SAFETY: getpid has no preconditions.
    let pid = unsafe { libc::getpid() } as u32;
    for p in pid..pid + 2000 {
        let _ = std::os::unix::fs::symlink(&stand_in, dir.join(format!("audit.jicha.loghead.{p}")));
    }
    for i in 0..64u64 {
        let _ = std::os::unix::fs::symlink(
            &stand_in,
            dir.join(format!(
                "audit.jicha.loghead.tmp-{:016x}",
                i * 0x0101_0101_0101_0101
            )),
        );
    }
    for i in 0..5 {
        f.write_ok(&format!("6.{i}"));
    }
    let after = std::fs::metadata(&stand_in).unwrap();
    assert_eq!(
        std::fs::read_to_string(&stand_in).unwrap(),
        "root:x:0:0:root:/root:/bin/sh\n"
    );
    assert_eq!(after.mode() & 0o7777, 0o644, "the stand-in's mode changed");
    assert_eq!(after.mode(), before.mode());
    assert_eq!(after.uid(), before.uid());
    f.verify().assert_passes("after writes among planted links");
    // The anchor jicha wrote is its own regular file.
    let anchor = std::fs::symlink_metadata(f.anchor_path()).unwrap();
    assert!(anchor.file_type().is_file());
}

#[test]
fn a_dataset_whose_side_files_are_links_is_refused() {
    for side in [
        "audit.jicha.loghead",
        "audit.jicha-wal",
        "audit.jicha-shm",
        "audit.jicha-journal",
    ] {
        let f = Fixture::new();
        let dir = f.db.parent().unwrap();
        let stand_in = dir.join("stand-in");
        std::fs::write(&stand_in, "keep").unwrap();
        std::fs::set_permissions(&stand_in, std::fs::Permissions::from_mode(0o644)).unwrap();
        let p = dir.join(side);
        let _ = std::fs::remove_file(&p);
        std::os::unix::fs::symlink(&stand_in, &p).unwrap();
        let out = f.write("7.0");
        assert_eq!(out.status.code(), Some(1), "{side}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(side) && err.contains("symbolic link"),
            "{side}: {err}"
        );
        assert_eq!(std::fs::read_to_string(&stand_in).unwrap(), "keep");
        assert_eq!(std::fs::metadata(&stand_in).unwrap().mode() & 0o7777, 0o644);
    }
}
