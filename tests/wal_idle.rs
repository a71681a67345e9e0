//! A UI left open while other operators write must not hold a read snapshot: if it did, SQLite
//! could not reset the WAL and the file would grow with every write. The screen idles (ticks,
//! polls for changes, refreshes) for `JICHA_WAL_SOAK_SECS` seconds (default 12; the 10-minute
//! run of BENCHMARKS.md sets 600) while a writer adds notes; the WAL must stay bounded.

mod common;
use common::*;
use jicha::actions::{perform, Action};
use jicha::context::Role;
use jicha::ui::{app::App, render, theme::Theme};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[test]
#[allow(clippy::too_many_lines)] // one scenario, step by step; split, its steps would lose the state they share
fn an_idle_screen_does_not_make_the_wal_grow() {
    let secs: u64 = std::env::var("JICHA_WAL_SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(12);
    let (dir, ds) = fixture();
    drop(ds);
    let db = dir.path().join("t.jicha");
    let wal = dir.path().join("t.jicha-wal");
    let stop = Arc::new(AtomicBool::new(false));

    let ui = {
        let db = db.clone();
        let stop = stop.clone();
        std::thread::spawn(move || {
            let keymap = jicha::ui::load_keymap("default", None).unwrap();
            let mut app = App::new(
                db,
                ctx("viewer1", Role::Viewer, "2026-11-02"),
                keymap,
                Theme::new(false, false),
                None,
            )
            .unwrap();
            let mut term =
                ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
            app.resize(80, 24);
            let mut screens = ['1', '2', '3', '4'].iter().cycle();
            let mut last_switch = Instant::now();
            while !stop.load(Ordering::Relaxed) {
                app.tick();
                term.draw(|f| render::draw(f, &app)).unwrap();
                // Now and then the operator looks at another screen.
                if last_switch.elapsed() > Duration::from_secs(2) {
                    let c = *screens.next().unwrap();
                    app.handle(crossterm::event::Event::Key(
                        crossterm::event::KeyEvent::new(
                            crossterm::event::KeyCode::Char(c),
                            crossterm::event::KeyModifiers::NONE,
                        ),
                    ));
                    last_switch = Instant::now();
                }
                std::thread::sleep(Duration::from_millis(150));
            }
        })
    };

    let mut writer = jicha::db::Dataset::open(&db).unwrap();
    let a = ctx("auditor1", Role::Auditor, "2026-11-02");
    let wal_size = || std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    let note = |writer: &mut jicha::db::Dataset, n: u64| {
        // A long note makes each write touch several pages.
        let text = format!("{n} {}", "备注".repeat(400));
        perform(
            writer,
            &a,
            &Action::Note {
                ids: vec![(n % 5 + 1) as i64],
                text,
            },
        )
        .unwrap();
    };
    let start = Instant::now();
    let mut writes = 0u64;
    let mut max_wal = 0u64;
    while start.elapsed() < Duration::from_secs(secs) {
        note(&mut writer, writes);
        writes += 1;
        max_wal = max_wal.max(wal_size());
        std::thread::sleep(Duration::from_millis(5));
    }
    stop.store(true, Ordering::Relaxed);
    ui.join().unwrap();
    eprintln!(
        "idle screen: {writes} writes in {secs} s; WAL peaked at {} KiB",
        max_wal / 1024
    );

    // Control: the same writes while a reader holds a snapshot, as a screen that kept a read
    // transaction open would. The WAL cannot reset and must outgrow the bound: this shows the
    // bound can tell the two apart.
    let reader = rusqlite::Connection::open(&db).unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let _: i64 = reader
        .query_row("SELECT count(*) FROM findings", [], |r| r.get(0))
        .unwrap();
    let mut pinned_wal = 0u64;
    for n in 0..writes {
        note(&mut writer, writes + n);
        pinned_wal = pinned_wal.max(wal_size());
    }
    reader.execute_batch("COMMIT").unwrap();
    eprintln!(
        "pinned snapshot: same writes; WAL grew to {} KiB",
        pinned_wal / 1024
    );

    // An idle screen's WAL stays bounded: SQLite checkpoints and starts the WAL over once it
    // passes 1,000 pages (16 MB with our 16 KiB pages), which it can only do when no reader
    // holds a snapshot. Measured: 16 MB peaks over 12 s and over 10 minutes (68,369 writes).
    // A screen that held a snapshot would grow with every write, like the control (125 MB
    // over 12 s, 4.8 GB over 10 minutes).
    const BOUND: u64 = 32 * 1024 * 1024;
    assert!(
        max_wal < BOUND,
        "WAL grew to {} KiB with a screen open",
        max_wal / 1024
    );
    assert!(
        pinned_wal > 2 * max_wal,
        "the control ({} KiB) did not outgrow the idle screen's WAL ({} KiB): too few writes to tell",
        pinned_wal / 1024,
        max_wal / 1024
    );
}
