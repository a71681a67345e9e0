//! Dates through the real binary: every date argument, and every date computed from one, lies in
//! 1900–2200, or the command is refused with a message saying so — never a panic, never a date
//! such as `+10000-01-30` stored.

mod common;
use std::path::Path;
use std::process::{Command, Output};

/// `--operator` (acting as the fixture's operators) is for root only.
fn skipped_without_root() -> bool {
    if jicha::context::is_root() {
        return false;
    }
    assert!(std::env::var_os("CI").is_none(), "CI runs as root");
    eprintln!("skipped: needs root for --operator");
    true
}

fn jicha(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jicha"))
        .arg("--db")
        .arg(db)
        .args(["--lang", "en", "--operator", "admin1"])
        .args(args)
        .env_remove("JICHA_DB")
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const OUTSIDE: [&str; 5] = [
    "9999-12-31",
    "0000-01-01",
    "1899-12-31",
    "2201-01-01",
    "0026-11-02",
];

#[test]
fn date_arguments_outside_1900_2200_are_bad_usage() {
    if skipped_without_root() {
        return;
    }
    let (_dir, ds) = common::fixture();
    let db = ds.path.clone();
    drop(ds);
    for date in OUTSIDE {
        let cases: Vec<Vec<&str>> = vec![
            vec!["--today", date, "findings"],
            vec![
                "--today",
                date,
                "ticket",
                "create",
                "--findings",
                "1",
                "--requirement",
                "x",
            ],
            vec!["scan", "--as-of", date],
            vec!["report", "--from", date, "--to", "2026-11-30"],
            vec!["report", "--from", "2026-11-01", "--to", date],
            vec![
                "ticket",
                "create",
                "--findings",
                "1",
                "--requirement",
                "x",
                "--due",
                date,
            ],
            vec!["theme", "--category", "billing", "--from", date],
            vec![
                "quality",
                "bonus",
                "--unit",
                "城关供电所",
                "--points",
                "1",
                "--reason",
                "r",
                "--date",
                date,
            ],
        ];
        for args in cases {
            let out = jicha(&db, &args);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
            assert!(
                err.contains("outside the years 1900–2200"),
                "{args:?}: says why: {err}"
            );
        }
    }
    // Not dates at all, or not real ones: the same exit status, with the format to write.
    for bad in ["2026-02-30", "2026-2-3", "２０２６-11-02", ""] {
        let out = jicha(&db, &["--today", bad, "findings"]);
        assert_eq!(out.status.code(), Some(2), "{bad}: {}", stderr(&out));
        assert!(stderr(&out).contains("YYYY-MM-DD"), "{}", stderr(&out));
    }
    let tickets: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM tickets", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tickets, 0, "no ticket with a date out of range");
}

#[test]
fn periods_outside_1900_2200_and_malformed_ones_are_refused() {
    if skipped_without_root() {
        return;
    }
    let (_dir, ds) = common::fixture();
    let db = ds.path.clone();
    drop(ds);
    for period in ["9999", "0000-01", "1899-H2", "2201-12"] {
        let out = jicha(&db, &["quality", "--period", period]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{period}: {err}");
        assert!(
            err.contains("outside the years 1900–2200"),
            "{period}: {err}"
        );
    }
    // Seven bytes that are not seven characters once split at byte 4..6 (a panic before).
    for period in ["2026中", "20中-H1", "2026-H中"] {
        let out = jicha(&db, &["quality", "--period", period]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{period}: {err}");
        assert!(err.contains("is not a period"), "{period}: {err}");
    }
}

#[test]
fn the_last_accepted_day_still_works_and_a_due_date_past_it_is_refused() {
    if skipped_without_root() {
        return;
    }
    let (_dir, ds) = common::fixture();
    let db = ds.path.clone();
    drop(ds);
    // High severity: due 7 days after issue; issued on 2200-12-28 that would be in 2201.
    let out = jicha(
        &db,
        &[
            "--today",
            "2200-12-28",
            "ticket",
            "create",
            "--findings",
            "1",
            "--requirement",
            "x",
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("past 2200-12-31"), "{err}");
    let out = jicha(
        &db,
        &[
            "--today",
            "2200-12-28",
            "ticket",
            "create",
            "--findings",
            "1",
            "--requirement",
            "x",
            "--due",
            "2200-12-31",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let due: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT due_on FROM tickets", [], |r| r.get(0))
        .unwrap();
    assert_eq!(due, "2200-12-31");
}

#[test]
fn whitelist_extend_by_a_huge_number_of_days_does_not_panic() {
    if skipped_without_root() {
        return;
    }
    let (_dir, ds) = common::fixture();
    let db = ds.path.clone();
    drop(ds);
    let out = jicha(
        &db,
        &[
            "--today",
            "2026-11-02",
            "whitelist",
            "add",
            "--rule",
            "ARC-01",
            "--cust",
            "C2",
            "--reason",
            "r",
            "--days",
            "30",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    for days in ["999999999999", "9223372036854775807"] {
        let out = jicha(
            &db,
            // The same business day as the add: the entry must still be active, whatever
            // the real date is.
            &[
                "--today",
                "2026-11-02",
                "whitelist",
                "extend",
                "1",
                "--days",
                days,
                "--reason",
                "r",
            ],
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{days}: {err}");
        assert!(err.contains("the most is 365"), "{days}: {err}");
    }
}

#[test]
fn a_trend_goes_back_at_most_120_periods() {
    if skipped_without_root() {
        return;
    }
    let (_dir, ds) = common::fixture();
    let db = ds.path.clone();
    drop(ds);
    // Unbounded, a trend of N periods is N evaluations, and enough of them walk back past year
    // -262144, where chrono's dates end (a panic in `Period::range`).
    for periods in ["121", "1000000", "18446744073709551615"] {
        let out = jicha(
            &db,
            &[
                "quality",
                "trend",
                "--unit",
                "城关供电所",
                "--periods",
                periods,
            ],
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{periods}: {err}");
        assert!(err.contains("at most 120 periods"), "{periods}: {err}");
    }
    let out = jicha(
        &db,
        &[
            "--today",
            "2026-11-02",
            "quality",
            "trend",
            "--unit",
            "城关供电所",
            "--periods",
            "120",
            "--format",
            "csv",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 121);
}
