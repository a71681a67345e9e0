//! No action lands on a row the operator did not choose, and a write never freezes the screen:
//! marks are the targets of every finding action (with the count asked), they survive a
//! refresh and a refused change, nothing but quitting acts while the screen is too small, and
//! a change waits for the dataset on the writer thread while the screen keeps answering keys.
//! Keys in, dataset out, as in ui_events.rs. The list in severity order is 5, 4, 2, 1, 6, 9, 3.

mod ui_fixture;

use crossterm::event::{Event, KeyCode};
use jicha::actions::{perform, Action};
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::ui::app::{App, Flow, Tone};
use jicha::ui::dialog::{Confirm, Editor};
use jicha::ui::screen::triage::Ask;
use std::path::Path;
use ui_fixture::*;

fn status_of(app: &App, id: i64) -> String {
    app.ds
        .conn
        .query_row("SELECT status FROM findings WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap()
}

fn status_line(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn question(app: &App) -> String {
    match app.dialog_as::<Confirm>() {
        Some(Confirm { question, .. }) => question.clone(),
        _ => panic!("expected a confirmation; status: {}", status_line(app)),
    }
}

fn marked(app: &App) -> Vec<i64> {
    list(app).marked.keys().copied().collect()
}

/// Puts the cursor on finding `id` of the list on screen.
fn cursor_to(app: &mut App, id: i64) {
    let pos = list(app)
        .ids
        .as_ref()
        .unwrap()
        .iter()
        .position(|i| *i == id)
        .unwrap_or_else(|| panic!("finding {id} is not on the list"));
    list_mut(app).cursor = pos;
    app.settle();
}

/// Everything an operator can change, as one comparable value.
fn dataset_state(p: &Path) -> Vec<String> {
    let ds = Dataset::open(p).unwrap();
    let mut out = Vec::new();
    for sql in [
        "SELECT group_concat(id || ':' || status || ':' || version, ' ') FROM findings",
        "SELECT count(*) || '' FROM finding_notes",
        "SELECT count(*) || '' FROM whitelist",
        "SELECT count(*) || '' FROM tickets",
        "SELECT count(*) || '' FROM action_log",
    ] {
        out.push(ds.conn.query_row(sql, [], |r| r.get(0)).unwrap());
    }
    out
}

/// The screen as text at 80×24 without waiting for background answers.
fn drawn(app: &App) -> String {
    let mut t =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| jicha::ui::render::draw(f, app)).unwrap();
    t.backend().to_string()
}

fn other_operator(p: &Path, action: Action) {
    let mut other = Dataset::open(p).unwrap();
    perform(
        &mut other,
        &ctx("auditor2", Role::Auditor, Lang::En),
        &action,
    )
    .unwrap();
}

#[test]
fn w_with_marks_whitelists_the_marked_findings_after_asking_with_the_count() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    // Mark 5 (THF-01, C003) and 4 (BIL-05, C002); the cursor rests on 2 (BIL-05, C001).
    press(&mut a, &[key('2'), key(' '), key(' ')]);
    assert_eq!(list(&a).current().unwrap().id, 2);
    press(&mut a, &[key('w')]);
    match a.dialog_tag::<Ask>() {
        Some(Ask::WlScope(findings)) => {
            assert_eq!(findings.targets.len(), 2);
            assert!(findings.targets.marked);
        }
        _ => panic!("w must open the whitelist dialog for the marks"),
    }
    assert!(drawn(&a).contains("Whitelist 2 marked findings"));
    // Their own rules; the 90 days offered; a reason.
    press(&mut a, &[code(KeyCode::Enter), code(KeyCode::Enter)]);
    type_text(&mut a, "季节性停产，已现场确认");
    press(&mut a, &[ctrl('s')]);
    let q = question(&a);
    assert!(
        q.contains("2 marked findings") && q.contains("2 entries"),
        "{q}"
    );
    press(&mut a, &[key('y')]);
    let mut st =
        a.ds.conn
            .prepare("SELECT rule, cust_no FROM whitelist WHERE id > 3 ORDER BY cust_no")
            .unwrap();
    let added: Vec<(String, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        added,
        vec![
            ("BIL-05".to_string(), "C002".to_string()),
            ("THF-01".to_string(), "C003".to_string())
        ],
        "exactly the marked findings' entries, not the cursor row's: {}",
        status_line(&a)
    );
    assert!(
        status_line(&a).contains("2 findings whitelisted"),
        "{}",
        status_line(&a)
    );
    assert!(list(&a).marked.is_empty(), "applied marks are cleared");
}

#[test]
fn every_finding_action_on_a_mark_asks_with_the_count_and_never_takes_the_cursor_row() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    // Only 5 is marked; the cursor is on 4, which nobody chose.
    press(&mut a, &[key('2'), key(' ')]);
    assert_eq!(list(&a).current().unwrap().id, 4);
    let before = dataset_state(&p);
    // Each key's dialog path up to its confirmation, which names "1 marked finding".
    let paths: Vec<(&str, Vec<Event>, &str)> = vec![
        ("c", vec![key('c')], ""),
        ("R", vec![key('R')], ""),
        ("x", vec![key('x'), key('1'), ctrl('s')], ""),
        ("a", vec![key('a')], "a note\n"),
        (
            "w",
            vec![key('w'), code(KeyCode::Enter), code(KeyCode::Enter)],
            "reason\n",
        ),
    ];
    for (name, keys, text) in paths {
        press(&mut a, &keys);
        if !text.is_empty() {
            type_text(&mut a, text.trim_end());
            press(&mut a, &[ctrl('s')]);
        }
        let q = question(&a);
        assert!(q.contains("1 marked finding"), "{name}: {q}");
        press(&mut a, &[key('n')]);
        assert!(a.dialog().is_none(), "{name}");
        assert_eq!(marked(&a), vec![5], "{name}: the mark stays");
    }
    // The ticket form is for the mark too, and its question has the count.
    press(&mut a, &[key('t')]);
    type_text(&mut a, "核实");
    press(&mut a, &[ctrl('s')]);
    let q = question(&a);
    assert!(q.contains("1 finding") && q.contains("开发区供电所"), "{q}");
    // `no` goes back to the form with its text; the form's cancel and discard close it.
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_eq!(a.dialog_kind(), Some(jicha::ui::dialog::DialogKind::Form));
    press(&mut a, &[code(KeyCode::F(10)), key('y')]);
    assert!(a.dialog().is_none());
    assert_eq!(dataset_state(&p), before, "nothing was applied");
    // Yes applies to the mark only.
    press(&mut a, &[key('c'), key('y')]);
    assert_eq!(status_of(&a, 5), "confirmed", "{}", status_line(&a));
    assert_eq!(status_of(&a, 4), "new", "the cursor row was not chosen");
    assert!(list(&a).marked.is_empty());
}

#[test]
fn a_refused_bulk_change_keeps_every_mark_and_names_the_changed_rows() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    // Mark 5, 4 and 1.
    press(&mut a, &[key('2'), key(' '), key(' '), key('j'), key(' ')]);
    assert_eq!(marked(&a), vec![1, 4, 5]);
    // Another operator touches 4 and 1 (close, then reopen: new again, newer versions).
    for id in [4, 1] {
        other_operator(
            &p,
            Action::Close {
                ids: vec![id],
                resolution: "rectified".into(),
                note: None,
            },
        );
        other_operator(&p, Action::Reopen { ids: vec![id] });
    }
    press(&mut a, &[key('c')]);
    assert!(question(&a).contains("3 marked findings"));
    press(&mut a, &[key('y')]);
    let s = a.status.as_ref().unwrap();
    assert_eq!(s.tone, Tone::Error);
    assert!(s.text.contains("2 of 3 refused"), "{}", s.text);
    assert!(s.text.contains("finding 1, 4 changed"), "{}", s.text);
    assert!(s.text.contains("all 3 still marked"), "{}", s.text);
    // One transaction: nothing applied, every mark kept.
    assert_eq!(status_of(&a, 5), "new");
    assert_eq!(marked(&a), vec![1, 4, 5]);
    // The changed marks show as `!`, the unchanged one as `*`; the whole message is readable.
    let screen = screen(&mut a, 80, 24);
    assert!(screen.contains("│! 4 high"), "{screen}");
    assert!(screen.contains("│* 5 high"), "{screen}");
    assert!(screen.contains("still marked"), "{screen}");
    // The next c is for the marks again, with the count; never the cursor row.
    cursor_to(&mut a, 2);
    press(&mut a, &[key('c')]);
    assert!(question(&a).contains("3 marked findings"));
    press(&mut a, &[key('n')]);
    assert_eq!(status_of(&a, 2), "new");
    // Marking the changed rows again takes their new state; then the confirm lands on all 3.
    for id in [4, 1] {
        cursor_to(&mut a, id);
        press(&mut a, &[key(' ')]);
        cursor_to(&mut a, id);
        press(&mut a, &[key(' ')]);
    }
    assert_eq!(marked(&a), vec![1, 4, 5]);
    press(&mut a, &[key('c'), key('y')]);
    for id in [5, 4, 1] {
        assert_eq!(status_of(&a, id), "confirmed", "{}", status_line(&a));
    }
    assert_eq!(status_of(&a, 2), "new");
    assert!(list(&a).marked.is_empty());
}

#[test]
fn marks_are_by_finding_and_survive_a_refresh_and_a_new_sort() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key(' '), key(' ')]);
    assert_eq!(marked(&a), vec![4, 5]);
    // Another operator's change appears (a refresh), then the list is sorted otherwise.
    other_operator(&p, Action::Confirm { ids: vec![9] });
    press(&mut a, &[code(KeyCode::F(5))]);
    press(
        &mut a,
        &[key('o'), key('o'), key('o'), key('o'), key('o'), key('o')],
    );
    assert_eq!(
        list(&a).ids.as_ref().unwrap(),
        &vec![1, 2, 3, 4, 5, 6, 9],
        "by id now"
    );
    assert_eq!(marked(&a), vec![4, 5]);
    press(&mut a, &[key('c')]);
    assert!(question(&a).contains("2 marked findings"));
    press(&mut a, &[key('y')]);
    assert_eq!(status_of(&a, 5), "confirmed");
    assert_eq!(status_of(&a, 4), "confirmed");
    // A new order starts at its top (issue 16): the cursor is on its first row.
    assert_eq!(list(&a).current().unwrap().id, 1);
    assert_eq!(status_of(&a, 1), "new", "the cursor row");
}

#[test]
fn nothing_but_quitting_acts_while_the_screen_is_too_small() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key(' ')]);
    let before = dataset_state(&p);
    a.handle(Event::Resize(79, 23));
    assert!(drawn(&a).contains("Enlarge the window"));
    let keys = [
        key('c'),
        key('y'),
        key('x'),
        key('1'),
        ctrl('s'),
        key('R'),
        key('w'),
        code(KeyCode::Enter),
        key('n'),
        key('t'),
        key(' '),
        key('M'),
        key('j'),
        key('3'),
        key('4'),
        key('a'),
        key('A'),
        key('5'),
        key('s'),
        key('7'),
        key('e'),
        code(KeyCode::F(9)),
        code(KeyCode::Esc),
        code(KeyCode::Backspace),
    ];
    for k in keys {
        assert_eq!(a.handle(k.clone()), Flow::Continue, "{k:?}");
        a.settle();
    }
    assert!(a.dialog().is_none(), "no dialog opened behind the message");
    assert_eq!(
        a.screen,
        jicha::ui::app::ScreenId::Findings,
        "no screen switched"
    );
    assert_eq!(marked(&a), vec![5], "marks untouched");
    assert_eq!(list(&a).cursor, 1, "the cursor did not move");
    assert_eq!(dataset_state(&p), before, "the dataset is unchanged");
    // Back at 80×24 the keys act again; at 79×23 q quits.
    a.handle(Event::Resize(80, 24));
    press(&mut a, &[key('j')]);
    assert_eq!(list(&a).cursor, 2);
    a.handle(Event::Resize(79, 23));
    assert_eq!(a.handle(key('q')), Flow::Quit);
}

#[test]
fn a_note_out_of_sight_on_a_small_screen_is_not_lost_to_a_typed_q() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key('a')]);
    type_text(&mut a, "half");
    a.handle(Event::Resize(60, 20));
    assert_eq!(a.handle(key('q')), Flow::Continue);
    assert_eq!(a.handle(ctrl('s')), Flow::Continue);
    a.handle(Event::Resize(80, 24));
    match a.dialog_as::<Editor>() {
        Some(e) => assert_eq!(e.area.lines().join("\n"), "half"),
        _ => panic!("the note editor must still be open"),
    }
    a.handle(Event::Resize(60, 20));
    assert_eq!(a.handle(ctrl('c')), Flow::Quit, "Ctrl-c still quits");
}

#[test]
fn a_change_waits_for_the_dataset_off_the_ui_thread() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2')]);
    assert_eq!(list(&a).current().unwrap().id, 5);
    // Another process holds the write lock (an import, say).
    let lock = rusqlite::Connection::open(&p).unwrap();
    lock.execute_batch("BEGIN IMMEDIATE").unwrap();
    // `c` returns at once: the confirm waits on the writer thread, not here.
    assert_eq!(a.handle(key('c')), Flow::Continue);
    a.tick();
    assert!(a.pending.is_some());
    assert!(
        drawn(&a).contains("Waiting for the dataset"),
        "{}",
        drawn(&a)
    );
    // The screen still answers: the cursor moves, the detail opens and closes.
    a.handle(key('j'));
    a.tick();
    assert_eq!(list(&a).current().unwrap().id, 4);
    a.handle(code(KeyCode::Enter));
    assert_eq!(a.screen, jicha::ui::app::ScreenId::Detail);
    a.handle(code(KeyCode::Esc));
    assert_eq!(a.screen, jicha::ui::app::ScreenId::Findings);
    // A second change is refused, not queued against a screen about to change.
    a.handle(key('c'));
    let s = a.status.as_ref().unwrap();
    assert_eq!(s.tone, Tone::Error);
    assert!(s.text.contains("still being written"), "{}", s.text);
    assert!(drawn(&a).contains("still being written"));
    // q waits for the answer rather than dropping the change.
    assert_eq!(a.handle(key('q')), Flow::Continue);
    assert!(!a.wants_quit());
    assert_eq!(status_of(&a, 5), "new", "nothing written yet");
    lock.execute_batch("COMMIT").unwrap();
    a.settle();
    assert!(a.pending.is_none());
    assert_eq!(status_of(&a, 5), "confirmed");
    assert_eq!(status_of(&a, 4), "new", "the refused second c did nothing");
    assert!(
        status_line(&a).contains("1 finding confirmed"),
        "{}",
        status_line(&a)
    );
    assert!(
        a.wants_quit(),
        "the quit asked for while waiting goes ahead"
    );
}

#[test]
fn esc_and_backspace_never_apply_or_drop_marks() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key(' '), key(' ')]);
    let before = dataset_state(&p);
    for k in [code(KeyCode::Esc), code(KeyCode::Backspace)] {
        for opener in [key('c'), key('w'), key('x'), key('R')] {
            press(&mut a, &[opener.clone(), k.clone()]);
            // Esc cancels; Backspace leaves the dialog open. Neither applies anything.
            assert_eq!(dataset_state(&p), before, "{opener:?} then {k:?}");
            press(&mut a, &[code(KeyCode::Esc)]);
            assert!(a.dialog().is_none(), "{opener:?} then {k:?}, Esc");
        }
        // On the list itself they go back a screen.
        press(&mut a, &[k.clone(), key('2')]);
    }
    assert_eq!(marked(&a), vec![4, 5]);
    assert_eq!(dataset_state(&p), before);
}

/// New whitelist entries as (rule, customer), the fixture's three left out.
fn new_entries(app: &App) -> Vec<(String, String)> {
    let mut st = app
        .ds
        .conn
        .prepare("SELECT rule, cust_no FROM whitelist WHERE id > 3 ORDER BY rule, cust_no")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn every_rule_for_three_marks_of_one_customer_is_one_entry() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    // 2, 1 and 9 are all customer C001's (BIL-05, ARC-04, MTR-03).
    press(&mut a, &[key('2')]);
    for id in [2, 1, 9] {
        cursor_to(&mut a, id);
        press(&mut a, &[key(' ')]);
    }
    assert_eq!(marked(&a), vec![1, 2, 9]);
    press(&mut a, &[key('w')]);
    let dialog = drawn(&a);
    assert!(
        dialog.contains("each finding's own rule (3 entries)"),
        "{dialog}"
    );
    assert!(
        dialog.contains("every rule (*) of their customers (1 entry)"),
        "{dialog}"
    );
    press(
        &mut a,
        &[key('j'), code(KeyCode::Enter), code(KeyCode::Enter)],
    );
    type_text(&mut a, "空置房屋");
    press(&mut a, &[ctrl('s')]);
    let q = question(&a);
    assert!(
        q.contains("3 marked findings") && q.contains("1 entry for every rule"),
        "{q}"
    );
    press(&mut a, &[key('y')]);
    assert_eq!(
        new_entries(&a),
        vec![("*".to_string(), "C001".to_string())],
        "{}",
        status_line(&a)
    );
    assert!(list(&a).marked.is_empty());
}

#[test]
fn a_bulk_whitelist_with_one_changed_mark_adds_no_entry_at_all() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    // 5 (THF-01, C003) and 4 (BIL-05, C002): two entries in one transaction, 4's first; 5
    // changed, so 4's entry, already inserted when 5's is refused, must go too.
    press(&mut a, &[key('2'), key(' '), key(' ')]);
    other_operator(&p, Action::Confirm { ids: vec![5] });
    press(
        &mut a,
        &[key('w'), code(KeyCode::Enter), code(KeyCode::Enter)],
    );
    type_text(&mut a, "季节性停产");
    press(&mut a, &[ctrl('s'), key('y')]);
    let s = a.status.as_ref().unwrap();
    assert_eq!(s.tone, Tone::Error);
    assert!(
        s.text.contains("1 of 2 refused: finding 5 changed"),
        "{}",
        s.text
    );
    assert_eq!(
        new_entries(&a),
        Vec::<(String, String)>::new(),
        "all or nothing"
    );
    assert_eq!(marked(&a), vec![4, 5]);
}
