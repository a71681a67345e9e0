//! A UI left open past midnight moves to the new business date (workflow.md "Dates"): the
//! header, the actions it logs and what it loads are on the day the clock says, not the day
//! it was started. The clock is driven by the test; nothing waits for real time.

mod ui_fixture;

use chrono::{DateTime, Utc};
use jicha::context::{BusinessClock, Lang, Role};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use ui_fixture::*;

fn last_logged_date(p: &std::path::Path) -> String {
    rusqlite::Connection::open(p)
        .unwrap()
        .query_row(
            "SELECT business_date FROM action_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

/// A clock the test sets: seconds since the epoch, UTC.
fn driven_clock() -> (Arc<AtomicI64>, BusinessClock) {
    let secs = Arc::new(AtomicI64::new(0));
    let read = secs.clone();
    let clock = BusinessClock::driven(chrono_tz::Asia::Shanghai, move || {
        DateTime::<Utc>::from_timestamp(read.load(Ordering::SeqCst), 0).unwrap()
    });
    (secs, clock)
}

fn utc(s: &str) -> i64 {
    DateTime::parse_from_rfc3339(s).unwrap().timestamp()
}

#[test]
fn the_business_date_rolls_over_at_midnight_in_the_dataset_timezone() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    let (secs, clock) = driven_clock();
    // 23:59:30 in Shanghai (UTC+8) on the fixture's business date.
    secs.store(utc("2026-11-02T15:59:30Z"), Ordering::SeqCst);
    a.set_clock(clock);
    a.settle();
    assert_eq!(a.ctx.today.to_string(), "2026-11-02");
    press(&mut a, &[key('2')]);
    press(&mut a, &[key('c')]);
    assert_eq!(last_logged_date(&p), "2026-11-02");

    // Midnight passes while the screen stays open.
    secs.store(utc("2026-11-02T16:00:30Z"), Ordering::SeqCst);
    a.tick();
    a.settle();
    assert_eq!(a.ctx.today.to_string(), "2026-11-03");
    let shown = screen(&mut a, 100, 30);
    assert!(shown.contains("2026-11-03"), "{shown}");
    press(&mut a, &[code(crossterm::event::KeyCode::Down), key('c')]);
    assert_eq!(
        last_logged_date(&p),
        "2026-11-03",
        "an action after midnight is logged on the new business date"
    );
}

#[test]
fn a_given_date_never_rolls_over() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    a.set_clock(BusinessClock::new(
        Some(day("2026-11-02")),
        chrono_tz::Asia::Shanghai,
    ));
    a.tick();
    assert_eq!(a.ctx.today.to_string(), "2026-11-02");
    assert!(a.clock.is_fixed());
}

#[test]
fn the_demo_dataset_is_marked_in_the_header_in_both_languages() {
    let (_d, p) = dataset();
    for lang in [Lang::En, Lang::Zh] {
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        assert!(!screen(&mut a, 120, 30).contains("演示数据 demo"));
        a.demo = true;
        let shown = screen(&mut a, 120, 30);
        assert!(shown.contains("演示数据 demo"), "{lang:?}: {shown}");
    }
}
