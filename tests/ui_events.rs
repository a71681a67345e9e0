//! Keys in, dataset out: the App on a fixture dataset, driven by key events, checked in SQL.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::actions::{perform, Action};
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::ui::app::{App, ScreenId, Tone};
use jicha::ui::dialog::{Confirm, DialogKind, Editor};
use jicha::ui::screen::rules::Rules;
use jicha::ui::screen::whitelist::Whitelist;
use std::ops::ControlFlow;
use std::sync::Arc;
use ui_fixture::*;

fn status_of(app: &App, id: i64) -> (String, Option<String>) {
    app.ds
        .conn
        .query_row(
            "SELECT status, resolution FROM findings WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

fn notes(app: &App, id: i64) -> Vec<(String, String)> {
    let mut st = app
        .ds
        .conn
        .prepare("SELECT author, text FROM finding_notes WHERE finding_id = ?1 ORDER BY id")
        .unwrap();
    st.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn status_line(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// The list in severity order is 5, 4, 2, 1, 6, 9, 3 (see the snapshots).
fn current_id(app: &App) -> i64 {
    list(app).current().unwrap().id
}

#[test]
fn confirm_one_finding() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2')]);
    assert_eq!(current_id(&a), 5);
    press(&mut a, &[key('c')]);
    assert_eq!(status_of(&a, 5).0, "confirmed");
    assert_eq!(status_of(&a, 4).0, "new");
    assert_eq!(
        a.status.as_ref().unwrap().tone,
        Tone::Info,
        "{}",
        status_line(&a)
    );
}

#[test]
fn bulk_confirm_of_three_marked_rows_asks_and_applies_to_exactly_three() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    // Mark 5 and 4, skip 2, mark 1.
    press(&mut a, &[key('2'), key(' '), key(' '), key('j'), key(' ')]);
    assert_eq!(list(&a).marked.len(), 3);
    press(&mut a, &[key('c')]);
    match a.dialog_as::<Confirm>() {
        Some(Confirm { question, .. }) => {
            assert!(question.contains("3 marked findings"), "{question}")
        }
        _ => panic!("a bulk confirm must ask first"),
    }
    // Nothing happens before the answer.
    assert_eq!(status_of(&a, 5).0, "new");
    press(&mut a, &[key('y')]);
    for id in [5, 4, 1] {
        assert_eq!(status_of(&a, id).0, "confirmed", "finding {id}");
    }
    for id in [2, 6, 9] {
        assert_eq!(status_of(&a, id).0, "new", "finding {id}");
    }
    assert!(list(&a).marked.is_empty());
}

#[test]
fn bulk_confirm_can_be_declined() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key(' '), key(' '), key('c')]);
    // A stray byte of a split escape sequence keeps the question open; n declines.
    press(&mut a, &[key('['), key('n')]);
    assert!(a.dialog().is_none());
    assert_eq!(status_of(&a, 5).0, "new");
    assert_eq!(status_of(&a, 4).0, "new");
}

#[test]
fn close_as_false_positive_needs_a_note() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(
        &mut a,
        &[key('2'), key('x'), key('j'), code(KeyCode::Enter)],
    );
    assert!(a.dialog_kind() == Some(DialogKind::Editor));
    // Saving an empty note is refused in the editor itself.
    press(&mut a, &[ctrl('s')]);
    assert!(a.dialog_kind() == Some(DialogKind::Editor));
    assert_eq!(status_of(&a, 5).0, "new");
    type_text(&mut a, "重复数据，已核实为误报");
    press(&mut a, &[ctrl('s')]);
    assert!(a.dialog().is_none());
    assert_eq!(
        status_of(&a, 5),
        ("closed".to_string(), Some("false_positive".to_string()))
    );
    assert_eq!(
        notes(&a, 5).last().unwrap(),
        &("auditor1".to_string(), "重复数据，已核实为误报".to_string())
    );
}

#[test]
fn close_as_rectified_without_a_note() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key('j'), key('x'), key('1'), ctrl('s')]);
    assert_eq!(
        status_of(&a, 4),
        ("closed".to_string(), Some("rectified".to_string()))
    );
    // Reopen from the detail screen.
    list_mut(&mut a).filter.status = None;
    press(&mut a, &[key('0')]);
    let pos = list(&a)
        .ids
        .as_ref()
        .unwrap()
        .iter()
        .position(|i| *i == 4)
        .unwrap();
    list_mut(&mut a).cursor = pos;
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(a.screen, ScreenId::Detail);
    press(&mut a, &[key('R')]);
    assert_eq!(status_of(&a, 4).0, "new");
}

#[test]
fn multi_line_cjk_note_is_stored() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    press(&mut a, &[key('2'), key('j'), key('a')]);
    type_text(&mut a, "现场核查：表计封印完好\n用户称三月停产");
    press(&mut a, &[ctrl('s')]);
    assert_eq!(
        notes(&a, 4),
        vec![(
            "auditor1".to_string(),
            "现场核查：表计封印完好\n用户称三月停产".to_string()
        )]
    );
}

#[test]
fn esc_never_discards_a_note_without_asking() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key('a')]);
    type_text(&mut a, "half a thought");
    // Esc asks; a second Esc (or the rest of an arrow key's sequence) goes back to the text.
    press(&mut a, &[code(KeyCode::Esc)]);
    match a.dialog_as::<Editor>() {
        Some(e) => assert!(e.ask_discard),
        _ => panic!("the editor must stay open"),
    }
    press(&mut a, &[code(KeyCode::Esc)]);
    match a.dialog_as::<Editor>() {
        Some(e) => {
            assert!(!e.ask_discard);
            assert_eq!(e.area.lines().join("\n"), "half a thought");
        }
        _ => panic!("the editor must stay open"),
    }
    // An explicit y discards, and nothing is written.
    press(&mut a, &[code(KeyCode::Esc), key('y')]);
    assert!(a.dialog().is_none());
    assert!(notes(&a, 5).len() == 1, "only the fixture's note");
    // An empty editor closes on Esc at once: nothing to lose.
    press(&mut a, &[key('a'), code(KeyCode::Esc)]);
    assert!(a.dialog().is_none());
}

#[test]
fn whitelist_add_from_a_finding() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    // 5 is THF-01 on C003: this rule, 30 days.
    press(&mut a, &[key('2'), key('w'), code(KeyCode::Enter)]);
    press(
        &mut a,
        &[code(KeyCode::Backspace), code(KeyCode::Backspace)],
    );
    type_text(&mut a, "30");
    press(&mut a, &[code(KeyCode::Enter)]);
    type_text(&mut a, "季节性停产，已现场确认");
    press(&mut a, &[ctrl('s')]);
    let (rule, cust, reason, expires): (String, String, String, String) =
        a.ds.conn
            .query_row(
                "SELECT rule, cust_no, reason, expires_on FROM whitelist ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
    assert_eq!((rule.as_str(), cust.as_str()), ("THF-01", "C003"));
    assert_eq!(reason, "季节性停产，已现场确认");
    assert_eq!(expires, "2026-12-02");
    // The finding is now suppressed, so the default list no longer shows it.
    assert!(!list(&a).ids.as_ref().unwrap().contains(&5));
}

#[test]
fn whitelist_add_extend_and_revoke_from_the_whitelist_screen() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('4'), key('a')]);
    type_text(&mut a, "C001");
    press(&mut a, &[code(KeyCode::Enter)]);
    // Rule prompt starts with `*`: accept it; days prompt starts at 90: accept it.
    press(&mut a, &[code(KeyCode::Enter), code(KeyCode::Enter)]);
    type_text(&mut a, "商户已改为商业电价，待系统同步");
    press(&mut a, &[ctrl('s')]);
    let n: i64 = a
        .ds
        .conn
        .query_row(
            "SELECT count(*) FROM whitelist WHERE rule = '*' AND cust_no = 'C001' AND expires_on = '2027-01-31'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 1, "{}", status_line(&a));

    // Extend entry 1 (the only active one before; the list is ordered by expiry).
    let pos = a
        .screen_state::<Whitelist>()
        .unwrap()
        .entries
        .iter()
        .position(|e| e.id == 1)
        .unwrap();
    a.screen_state_mut::<Whitelist>().unwrap().cursor = pos;
    press(
        &mut a,
        &[key('e'), code(KeyCode::Backspace), code(KeyCode::Backspace)],
    );
    type_text(&mut a, "10");
    press(&mut a, &[code(KeyCode::Enter)]);
    type_text(&mut a, "季度更新推迟");
    press(&mut a, &[ctrl('s')]);
    let exp: String =
        a.ds.conn
            .query_row("SELECT expires_on FROM whitelist WHERE id = 1", [], |r| {
                r.get(0)
            })
            .unwrap();
    assert_eq!(exp, "2026-11-16", "{}", status_line(&a));

    // Revoke asks for a reason, then for confirmation.
    let pos = a
        .screen_state::<Whitelist>()
        .unwrap()
        .entries
        .iter()
        .position(|e| e.id == 1)
        .unwrap();
    a.screen_state_mut::<Whitelist>().unwrap().cursor = pos;
    press(&mut a, &[key('d')]);
    type_text(&mut a, "联系人已更新");
    press(&mut a, &[ctrl('s')]);
    assert!(a.dialog_kind() == Some(DialogKind::Confirm));
    press(&mut a, &[key('y')]);
    let revoked: Option<String> =
        a.ds.conn
            .query_row("SELECT revoked_on FROM whitelist WHERE id = 1", [], |r| {
                r.get(0)
            })
            .unwrap();
    assert_eq!(
        revoked.as_deref(),
        Some("2026-11-02"),
        "{}",
        status_line(&a)
    );
}

#[test]
fn stale_change_is_refused_and_the_screen_refreshed() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2')]);
    assert_eq!(current_id(&a), 5);
    // Another operator closes finding 5 after this screen was drawn.
    let mut other = Dataset::open(&p).unwrap();
    perform(
        &mut other,
        &ctx("auditor2", Role::Auditor, Lang::En),
        &Action::Close {
            ids: vec![5],
            resolution: "rectified".into(),
            note: None,
        },
    )
    .unwrap();
    press(&mut a, &[key('c')]);
    let s = a.status.as_ref().unwrap();
    assert_eq!(s.tone, Tone::Error);
    assert!(s.text.contains("changed by someone else"), "{}", s.text);
    assert_eq!(
        status_of(&a, 5),
        ("closed".to_string(), Some("rectified".to_string()))
    );
    // Refreshed: the open queue no longer holds 5.
    assert!(!list(&a).ids.as_ref().unwrap().contains(&5));
}

#[test]
fn stale_marks_refuse_the_whole_bulk_action() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key(' '), key(' ')]);
    let mut other = Dataset::open(&p).unwrap();
    perform(
        &mut other,
        &ctx("auditor2", Role::Auditor, Lang::En),
        &Action::Confirm { ids: vec![4] },
    )
    .unwrap();
    press(&mut a, &[key('R'), key('y')]);
    assert_eq!(a.status.as_ref().unwrap().tone, Tone::Error);
    // 5 was not touched either: one transaction, all or nothing.
    assert_eq!(status_of(&a, 5).0, "new");
}

#[test]
fn other_operators_changes_appear_within_two_seconds() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2')]);
    assert_eq!(list(&a).current().unwrap().status, "new");
    let mut other = Dataset::open(&p).unwrap();
    perform(
        &mut other,
        &ctx("auditor2", Role::Auditor, Lang::En),
        &Action::Confirm { ids: vec![5] },
    )
    .unwrap();
    let start = std::time::Instant::now();
    loop {
        a.tick();
        a.settle();
        if list(&a).current().map(|r| r.status.as_str()) == Some("confirmed") {
            break;
        }
        assert!(start.elapsed().as_secs_f64() < 2.0, "not picked up in 2 s");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn a_viewer_is_refused_with_the_role_named() {
    let (_d, p) = dataset();
    let mut a = app(&p, "someone", Role::Viewer, Lang::En);
    press(&mut a, &[key('2'), key('c')]);
    let s = a.status.as_ref().unwrap();
    assert_eq!(s.tone, Tone::Error);
    assert!(s.text.contains("auditor"), "{}", s.text);
    assert_eq!(status_of(&a, 5).0, "new");
}

#[test]
fn filters_sort_and_rule_screen_enter() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key('v')]); // high only
    assert_eq!(list(&a).ids.as_ref().unwrap().len(), 5);
    press(&mut a, &[key('r')]);
    type_text(&mut a, "bil-05");
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(list(&a).ids.as_ref().unwrap(), &vec![4, 2]);
    press(&mut a, &[key('O')]);
    assert_eq!(list(&a).ids.as_ref().unwrap(), &vec![2, 4]);
    // An unknown rule matches nothing in the rule picker: it stays open, the filter unchanged.
    press(&mut a, &[key('r')]);
    type_text(&mut a, "NOPE-1");
    press(&mut a, &[code(KeyCode::Enter)]);
    assert!(a.dialog_kind() == Some(DialogKind::Choice));
    press(&mut a, &[code(KeyCode::Esc)]);
    // Rules screen: Enter opens the rule's findings, every status.
    press(&mut a, &[key('3')]);
    let pos = Rules::ids(&a.shared)
        .iter()
        .position(|r| r == "ARC-05")
        .unwrap();
    a.screen_state_mut::<Rules>().unwrap().cursor = pos;
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(a.screen, ScreenId::Findings);
    assert_eq!(list(&a).ids.as_ref().unwrap(), &vec![7]);
    // Esc goes back to the rules screen.
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_eq!(a.screen, ScreenId::Rules);
}

#[test]
fn scan_runs_in_the_background_and_can_be_cancelled() {
    let (_d, p) = dataset();
    let km = jicha::ui::load_keymap("default", Some(std::path::Path::new("/dev/null"))).unwrap();
    // Stands in for scan::run_scan: reports progress until told to stop.
    let scan: jicha::ui::ScanFn = Arc::new(|_path, _ctx, _as_of, cb| {
        for i in 0..10_000u64 {
            let p = jicha::progress::Progress {
                stage: "BIL rules".into(),
                done: i,
                total: 10_000,
            };
            if cb(&p) == ControlFlow::Break(()) {
                return Err("cancelled; nothing was written".into());
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        Ok("scan finished".into())
    });
    let mut a = App::new(
        p.clone(),
        ctx("auditor1", Role::Auditor, Lang::En),
        km,
        jicha::ui::theme::Theme::new(true, false),
        Some(scan),
    )
    .unwrap();
    a.resize(80, 24);
    press(&mut a, &[code(KeyCode::F(9))]);
    assert!(a.job.is_some());
    std::thread::sleep(std::time::Duration::from_millis(50));
    let done = a.job.as_ref().unwrap().progress.lock().unwrap().done;
    assert!(done > 0, "progress is reported");
    press(&mut a, &[ctrl('x')]);
    a.wait_job();
    assert!(a.job.is_none());
    assert!(status_line(&a).contains("cancelled"), "{}", status_line(&a));
}

#[test]
fn quit_key_quits() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    assert_eq!(a.handle(key('q')), jicha::ui::app::Flow::Quit);
}
