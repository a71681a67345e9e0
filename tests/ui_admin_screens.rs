//! The admin screens: the action log (paged, `log verify` from a key with its verdict, a
//! tampered log named), in both languages at 80×24 and 120×30.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::actions::{perform, Action};
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::ui::app::App;
use jicha::ui::screen::action_log::ActionLog;
use std::path::Path;
use ui_fixture::*;

/// `n` notes on finding 1, each one logged record, by auditor1.
fn notes(path: &Path, n: usize) {
    let mut ds = Dataset::open(path).unwrap();
    let a = ctx("auditor1", Role::Auditor, Lang::En);
    for i in 0..n {
        perform(
            &mut ds,
            &a,
            &Action::Note {
                ids: vec![1],
                text: format!("现场核查 note {i}"),
            },
        )
        .unwrap();
    }
}

fn log_count(path: &Path) -> i64 {
    let ds = Dataset::open(path).unwrap();
    ds.conn
        .query_row("SELECT count(*) FROM action_log", [], |r| r.get(0))
        .unwrap()
}

fn log_screen(app: &App) -> &ActionLog {
    app.screen_state::<ActionLog>()
        .expect("the action log screen")
}

fn opened(path: &Path, lang: Lang, w: u16, h: u16) -> App {
    let mut app = app(path, "admin1", Role::Admin, lang);
    app.resize(w, h);
    press(&mut app, &[key('L')]);
    app
}

#[test]
fn shows_the_newest_records_in_both_languages_and_sizes() {
    let (_d, path) = dataset();
    notes(&path, 3);
    let total = log_count(&path);
    for lang in [Lang::En, Lang::Zh] {
        for (w, h) in [(80, 24), (120, 30)] {
            let mut app = opened(&path, lang, w, h);
            let s = screen(&mut app, w, h);
            let (title, col, who) = match lang {
                Lang::En => ("Action log", "Operator", "auditor1"),
                Lang::Zh => ("操作日志", "操作员", "auditor1"),
            };
            assert!(s.contains(title), "{lang:?} {w}x{h}:\n{s}");
            assert!(s.contains(col), "{lang:?} {w}x{h}:\n{s}");
            assert!(s.contains(who), "{lang:?} {w}x{h}:\n{s}");
            assert!(s.contains("finding.note"), "{lang:?} {w}x{h}:\n{s}");
            assert!(s.contains(&total.to_string()), "{lang:?} {w}x{h}:\n{s}");
            // The newest record is first and selected.
            let shown = log_screen(&app).selected().expect("a selected record");
            assert_eq!(shown.seq, total);
            let newest_line = s
                .lines()
                .position(|l| l.contains(&format!("│{total} ")))
                .expect("the newest record's line");
            let older_line = s
                .lines()
                .position(|l| l.contains(&format!("│{} ", total - 1)))
                .expect("the record before it");
            assert!(newest_line < older_line, "{s}");
            if w == 120 {
                assert!(s.contains("现场核查 note 2"), "{lang:?}:\n{s}");
            }
        }
    }
}

#[test]
fn pages_fetch_only_the_rows_shown() {
    let (_d, path) = dataset();
    notes(&path, 60);
    let total = log_count(&path) as usize;
    let mut app = opened(&path, Lang::En, 80, 24);
    let page = log_screen(&app).page.as_ref().expect("a page");
    assert_eq!(page.total as usize, total);
    assert!(page.records.len() < 30, "fetched {}", page.records.len());
    assert_eq!(page.offset, 0);
    let first_len = page.records.len();
    press(&mut app, &[code(crossterm::event::KeyCode::PageDown)]);
    let l = log_screen(&app);
    let page = l.page.as_ref().unwrap();
    assert!(page.offset > 0, "the second page");
    assert!(page.records.len() <= first_len);
    assert_eq!(
        l.selected().unwrap().seq as usize,
        total - l.cursor,
        "the selected record is the one under the cursor"
    );
    // The last record is reachable: seq 1.
    press(&mut app, &[code(crossterm::event::KeyCode::End)]);
    assert_eq!(log_screen(&app).selected().unwrap().seq, 1);
    let s = screen(&mut app, 80, 24);
    assert!(s.lines().any(|l| l.contains("│1 ")), "{s}");
}

#[test]
fn verify_shows_intact_in_both_languages() {
    let (_d, path) = dataset();
    notes(&path, 2);
    let total = log_count(&path);
    for lang in [Lang::En, Lang::Zh] {
        for (w, h) in [(80, 24), (120, 30)] {
            let mut app = opened(&path, lang, w, h);
            press(&mut app, &[key('v')]);
            let v = log_screen(&app)
                .verdict
                .clone()
                .expect("a verdict")
                .expect("verify ran");
            assert!(v.intact, "{v:?}");
            let s = screen(&mut app, w, h);
            let word = match lang {
                Lang::En => "[INTACT]",
                Lang::Zh => "[完好]",
            };
            assert!(s.contains(word), "{lang:?} {w}x{h}:\n{s}");
            assert!(
                v.lines[0].contains(&total.to_string()),
                "the record count: {v:?}"
            );
        }
    }
}

#[test]
fn verify_names_the_first_broken_record_of_a_tampered_log() {
    let (_d, path) = dataset();
    notes(&path, 5);
    let total = log_count(&path);
    let broken = total - 2;
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("DROP TRIGGER action_log_no_update; DROP TRIGGER action_log_no_delete;")
            .unwrap();
        conn.execute(
            "UPDATE action_log SET operator = 'mallory' WHERE seq = ?1",
            [broken],
        )
        .unwrap();
    }
    for lang in [Lang::En, Lang::Zh] {
        for (w, h) in [(80, 24), (120, 30)] {
            let mut app = opened(&path, lang, w, h);
            press(&mut app, &[key('v')]);
            let v = log_screen(&app)
                .verdict
                .clone()
                .expect("a verdict")
                .expect("verify ran");
            assert!(!v.intact, "{v:?}");
            let all = v.lines.join("\n");
            assert!(all.contains(&broken.to_string()), "{all}");
            let s = screen(&mut app, w, h);
            let word = match lang {
                Lang::En => "[BROKEN]",
                Lang::Zh => "[已损坏]",
            };
            assert!(s.contains(word), "{lang:?} {w}x{h}:\n{s}");
            assert!(s.contains(&format!("{broken}")), "{s}");
        }
    }
}

#[test]
fn the_verdict_is_the_cli_verdict() {
    let (_d, path) = dataset();
    notes(&path, 1);
    let ds = Dataset::open(&path).unwrap();
    let ui = jicha::ui::screen::action_log::verify(&ds, Lang::En).unwrap();
    let report = jicha::actionlog::audit(&ds.path, &ds.conn, None).unwrap();
    assert_eq!(ui.intact, report.problems.is_empty());
    assert!(ui.lines[0].contains(&report.last_hash), "{ui:?}");
}

#[test]
fn the_vim_keymap_reaches_the_log_too() {
    let (_d, path) = dataset();
    let mut app = app_with(
        &path,
        ctx("viewer1", Role::Viewer, Lang::Zh),
        "vim",
        true,
        false,
    );
    press(&mut app, &[code(KeyCode::F(8))]);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("操作日志"), "{s}");
    assert!(log_screen(&app).page.is_some());
}
