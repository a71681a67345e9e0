//! The level history (migration 17) and the whitelist audit's "got worse while frozen" by a
//! rise: each scan records a finding's severity and THF-01 level when they change; a frozen
//! entry whose customer's finding rose in severity or in THF level during the freeze is
//! listed, a rise before the freeze or after its end is not. Hand-computed scenario.

mod common;
use common::*;
use jicha::context::{Lang, Role};
use jicha::qc::{self, levels::Rise, Month};

/// Simulates scan `scan` on `on`: the findings `(id, severity, level)` are seen by it (their
/// `last_scan` moves), then the level history is recorded as `scan::run_scan` does.
fn scan(ds: &mut jicha::db::Dataset, scan: i64, on: &str, seen: &[(i64, &str, Option<i64>)]) {
    let seen = seen.to_vec();
    let on = on.to_string();
    ds.write(move |tx| {
        tx.execute(
            "INSERT INTO scans(id, started_at, finished_at, business_date, as_of, operator, thresholds, summary)
             VALUES (?1, 't', 't', ?2, ?2, 'admin1', '{}', '{}')",
            rusqlite::params![scan, on],
        )?;
        for (id, severity, level) in &seen {
            tx.execute(
                "UPDATE findings SET severity = ?2, level = ?3, last_scan = ?4, last_seen = ?5 WHERE id = ?1",
                rusqlite::params![id, severity, level, scan, on],
            )?;
        }
        qc::levels::record(tx, scan, &on)?;
        Ok(())
    })
    .unwrap();
}

/// The fixture with a THF-01 finding 40 of C2 (level 4, medium) and C2 frozen by a
/// whitelist entry from 2026-11-01 to 2026-11-20 (entry 7); scans on 10-20, 10-25 (level
/// 3: a rise before the freeze), 11-01 (the freeze's first day: not inside), 11-03 (level 2,
/// high: a rise inside), 11-05 (finding 3 low → medium inside; 40 unchanged: no row),
/// 11-25 (level 1: after the freeze's end).
fn scenario() -> (tempfile::TempDir, jicha::db::Dataset) {
    let (d, mut ds) = fixture();
    ds.write(|tx| {
        tx.execute_batch(
            "INSERT INTO findings(id, rule, cust_no, subject, status, severity, level, evidence, first_seen, last_seen, first_scan, last_scan, status_date)
               VALUES (40, 'THF-01', 'C2', '2026-09', 'new', 'medium', 4, 'e', '2026-10-20', '2026-10-20', 1, 1, '2026-10-20');
             INSERT INTO whitelist(id, rule, cust_no, reason, author, created_at, starts_on, expires_on, effective_from, revoked_on)
               VALUES (7, '*', 'C2', '已核实', 'auditor1', 't', '2026-11-01', '2026-11-20', '2026-11-01', NULL);",
        )?;
        Ok(())
    })
    .unwrap();
    scan(
        &mut ds,
        11,
        "2026-10-20",
        &[(40, "medium", Some(4)), (3, "low", None)],
    );
    scan(&mut ds, 12, "2026-10-25", &[(40, "medium", Some(3))]);
    scan(&mut ds, 13, "2026-11-01", &[(3, "medium", None)]);
    scan(
        &mut ds,
        14,
        "2026-11-03",
        &[(40, "high", Some(2)), (3, "low", None)],
    );
    scan(
        &mut ds,
        15,
        "2026-11-05",
        &[(40, "high", Some(2)), (3, "medium", None)],
    );
    scan(&mut ds, 16, "2026-11-25", &[(40, "high", Some(1))]);
    (d, ds)
}

fn rise(finding: i64, rule: &str, on: &str, what: &'static str, from: &str, to: &str) -> Rise {
    Rise {
        finding,
        rule: rule.into(),
        on: on.into(),
        what,
        from: from.into(),
        to: to.into(),
    }
}

#[test]
fn changes_only_are_recorded() {
    let (_d, ds) = scenario();
    let rows: Vec<(i64, i64, String, Option<i64>)> = ds
        .conn
        .prepare("SELECT finding_id, scan_id, severity, level FROM finding_levels ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let s = |x: &str| x.to_string();
    assert_eq!(
        rows,
        [
            (3, 11, s("low"), None),
            (40, 11, s("medium"), Some(4)),
            (40, 12, s("medium"), Some(3)),
            (3, 13, s("medium"), None),
            (3, 14, s("low"), None),
            (40, 14, s("high"), Some(2)),
            (3, 15, s("medium"), None),
            (40, 16, s("high"), Some(1)),
        ]
    );
}

#[test]
fn a_rise_during_the_freeze_lists_the_entry() {
    let (_d, ds) = scenario();
    let nov = Month::parse("2026-11").unwrap();
    let a = qc::whitelist::audit(&ds.conn, &nov, day("2026-11-30")).unwrap();
    let w = a
        .worse
        .iter()
        .find(|w| w.entry == 7)
        .expect("entry 7 is worse");
    assert!(w.findings.is_empty(), "no new finding: {w:?}");
    // Inside (11-01, 11-20): 11-03 finding 3 medium → low is a fall; 40 medium → high and
    // level 3 → 2; 11-05 finding 3 low → medium. 11-01 (the first day) and 11-25 are outside.
    assert_eq!(
        w.rises,
        [
            rise(3, "ARC-01", "2026-11-05", "severity", "low", "medium"),
            rise(40, "THF-01", "2026-11-03", "severity", "medium", "high"),
            rise(40, "THF-01", "2026-11-03", "level", "3", "2"),
        ]
    );
    let en = jicha::output::qc::why_worse(Lang::En, w);
    assert_eq!(
        en,
        "severity rose 3 (low→medium, 2026-11-05); severity rose 40 (medium→high, 2026-11-03); \
         THF level rose 40 (3→2, 2026-11-03)"
    );
    let zh = jicha::output::qc::why_worse(Lang::Zh, w);
    assert!(
        zh.contains("窃电等级上升 40（3→2, 2026-11-03）")
            || zh.contains("窃电等级上升 40 (3→2, 2026-11-03)"),
        "{zh}"
    );
    // Seen on 11-04 only the 11-03 rises count (the business date ends the window).
    let early = qc::whitelist::audit(&ds.conn, &nov, day("2026-11-04")).unwrap();
    let w = early.worse.iter().find(|w| w.entry == 7).unwrap();
    assert_eq!(w.rises.len(), 2);
    // October: the entry was not in force.
    let oct = Month::parse("2026-10").unwrap();
    let a = qc::whitelist::audit(&ds.conn, &oct, day("2026-11-30")).unwrap();
    assert!(a.worse.iter().all(|w| w.entry != 7));
}

#[test]
fn the_qc_report_names_the_rise() {
    let (d, ds) = scenario();
    drop(ds);
    let db = d.path().join("t.jicha");
    let (code, out, err) = jicha::cli::run_in_process([
        "jicha",
        "--db",
        db.to_str().unwrap(),
        "--today",
        "2026-11-30",
        "--operator",
        "admin1",
        "qc",
        "report",
        "--month",
        "2026-11",
    ]);
    let (out, err) = (
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("THF level rose 40 (3→2, 2026-11-03)"), "{out}");
}

#[test]
fn a_real_scan_records_the_levels_of_what_it_saw() {
    let (_d, mut ds) = fixture();
    let a = ctx("admin1", Role::Admin, "2026-11-05");
    jicha::scan::run_scan(&mut ds, &a, a.today, &mut jicha::progress::silent).unwrap();
    let seen: i64 = ds
        .conn
        .query_row(
            "SELECT count(*) FROM findings WHERE last_scan = (SELECT max(id) FROM scans)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let recorded: i64 = ds
        .conn
        .query_row(
            "SELECT count(*) FROM finding_levels WHERE scan_id = (SELECT max(id) FROM scans)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(seen > 0);
    assert_eq!(recorded, seen, "a first sighting is recorded");
    let b = ctx("admin1", Role::Admin, "2026-11-06");
    jicha::scan::run_scan(&mut ds, &b, b.today, &mut jicha::progress::silent).unwrap();
    let again: i64 = ds
        .conn
        .query_row(
            "SELECT count(*) FROM finding_levels WHERE scan_id = (SELECT max(id) FROM scans)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(again, 0, "nothing changed: nothing recorded");
}
