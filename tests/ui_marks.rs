//! Acting on exactly what was chosen: bulk marks (every filtered row, invert, a range), the
//! count in the confirmation, exactly the marked rows changed (checked in SQL), a refused bulk
//! action keeping the marks and naming the changed row; `y` copying with OSC 52.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::actions::{perform, Action};
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::ui::app::App;
use jicha::ui::dialog::Confirm;
use std::collections::BTreeSet;
use ui_fixture::*;

fn status(app: &App, id: i64) -> String {
    app.ds
        .conn
        .query_row("SELECT status FROM findings WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap()
}

fn marked(app: &App) -> BTreeSet<i64> {
    list(app).marked.keys().copied().collect()
}

fn question(app: &App) -> String {
    app.dialog_as::<Confirm>()
        .expect("a confirmation")
        .question
        .clone()
}

/// The open queue in severity order is 5, 4, 2, 1, 6, 9, 3.
const ORDER: [i64; 7] = [5, 4, 2, 1, 6, 9, 3];

#[test]
fn mark_all_marks_every_filtered_row_with_its_version() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key('*')]);
    assert_eq!(marked(&a), ORDER.into_iter().collect());
    let v: i64 =
        a.ds.conn
            .query_row("SELECT version FROM findings WHERE id = 5", [], |r| {
                r.get(0)
            })
            .unwrap();
    assert_eq!(list(&a).marked[&5], v);
    // Filtered to one customer, invert unmarks only what the filter shows.
    press(&mut a, &[key('/')]);
    type_text(&mut a, "C003\n");
    press(&mut a, &[key('~')]);
    assert_eq!(marked(&a), [4, 2, 1, 6, 9, 3].into_iter().collect());
}

#[test]
fn invert_and_range_marks() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    // Space marks 5 and moves to 4; invert marks all but 5.
    press(&mut a, &[key('2'), key(' '), key('~')]);
    assert_eq!(marked(&a), [4, 2, 1, 6, 9, 3].into_iter().collect());
    press(&mut a, &[key('M')]);
    assert!(marked(&a).is_empty());
    // V on 4, down two, V: 4, 2, 1.
    press(&mut a, &[key('V'), key('j'), key('j'), key('V')]);
    assert_eq!(marked(&a), [4, 2, 1].into_iter().collect());
    assert!(a.status.as_ref().unwrap().text.contains("已标记 3 条"));
}

#[test]
fn a_bulk_confirm_says_the_count_and_changes_exactly_the_marked_rows() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(
        &mut a,
        &[key('2'), key('j'), key('V'), key('j'), key('j'), key('V')],
    );
    press(&mut a, &[key('c')]);
    assert!(
        question(&a).contains("3 marked findings"),
        "{}",
        question(&a)
    );
    press(&mut a, &[key('y')]);
    for id in [4, 2, 1] {
        assert_eq!(status(&a, id), "confirmed", "finding {id}");
    }
    for id in [5, 6, 9] {
        assert_eq!(status(&a, id), "new", "finding {id}");
    }
    assert!(marked(&a).is_empty(), "applied marks are cleared");
}

#[test]
fn a_refused_bulk_action_names_the_changed_row_and_keeps_the_marks() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key('V'), key('j'), key('j'), key('V')]);
    assert_eq!(marked(&a), [5, 4, 2].into_iter().collect());
    // Another operator confirms 4 after it was marked.
    let mut other = Dataset::open(&p).unwrap();
    perform(
        &mut other,
        &ctx("auditor2", Role::Auditor, Lang::En),
        &Action::Confirm { ids: vec![4] },
    )
    .unwrap();
    press(&mut a, &[key('c'), key('y')]);
    let s = a.status.as_ref().unwrap().text.clone();
    assert!(s.contains('4'), "the changed finding is named: {s}");
    assert_eq!(marked(&a), [5, 4, 2].into_iter().collect(), "{s}");
    assert_eq!(status(&a, 5), "new", "nothing was applied");
    // A refresh keeps them too.
    press(&mut a, &[code(KeyCode::F(5))]);
    assert_eq!(marked(&a), [5, 4, 2].into_iter().collect());
}

#[test]
fn y_copies_the_customer_with_osc52_and_shows_it() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    a.osc52 = true;
    press(&mut a, &[key('2'), key('y')]);
    assert_eq!(
        a.clipboard,
        vec!["\x1b]52;c;QzAwMw==\x07".to_string()],
        "C003"
    );
    assert!(a.status.as_ref().unwrap().text.contains("C003"));
    // The run loop writes it to the terminal and empties the queue.
    let mut out = Vec::new();
    jicha::ui::app::send_clipboard(&mut out, &mut a.clipboard).unwrap();
    assert_eq!(out, b"\x1b]52;c;QzAwMw==\x07");
    assert!(a.clipboard.is_empty());
    // Where the terminal does not take OSC 52 the status line still shows it.
    a.osc52 = false;
    press(&mut a, &[key('j'), key('y')]);
    assert!(a.clipboard.is_empty());
    assert!(a.status.as_ref().unwrap().text.contains("C002"));
}

fn undo_records(app: &App) -> Vec<(String, i64)> {
    let mut st = app
        .ds
        .conn
        .prepare("SELECT target, json_extract(details, '$.undoes') FROM action_log WHERE action = 'finding.undo' ORDER BY seq")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn seq_of(app: &App, action: &str, target: &str) -> i64 {
    app.ds
        .conn
        .query_row(
            "SELECT MAX(seq) FROM action_log WHERE action = ?1 AND target = ?2",
            [action, target],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn undo_reverses_the_operators_own_last_move_as_its_own_logged_action() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('U')]);
    assert!(a.status.as_ref().unwrap().text.contains("nothing to undo"));
    press(&mut a, &[key('2'), key('c')]);
    assert_eq!(status(&a, 5), "confirmed");
    let confirm = seq_of(&a, "finding.confirm", "finding:5");
    press(&mut a, &[key('U')]);
    assert_eq!(status(&a, 5), "new");
    assert_eq!(undo_records(&a), vec![("finding:5".to_string(), confirm)]);
    // The undo is not undone again: it is the last change now.
    press(&mut a, &[key('U')]);
    assert_eq!(status(&a, 5), "new");
    assert_eq!(undo_records(&a).len(), 1);
}

#[test]
fn undo_of_a_bulk_close_restores_every_finding() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    press(
        &mut a,
        &[
            key('2'),
            key('V'),
            key('j'),
            key('V'),
            key('x'),
            key('1'),
            ctrl('s'),
        ],
    );
    if a.dialog_as::<Confirm>().is_some() {
        press(&mut a, &[key('y')]);
    }
    assert_eq!(
        (status(&a, 5), status(&a, 4)),
        ("closed".into(), "closed".into())
    );
    press(&mut a, &[key('U')]);
    assert_eq!((status(&a, 5), status(&a, 4)), ("new".into(), "new".into()));
    let res: Option<String> =
        a.ds.conn
            .query_row("SELECT resolution FROM findings WHERE id = 5", [], |r| {
                r.get(0)
            })
            .unwrap();
    assert_eq!(res, None);
    assert_eq!(undo_records(&a).len(), 2);
}

#[test]
fn undo_is_refused_when_someone_changed_the_finding_since() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key('c')]);
    let mut other = Dataset::open(&p).unwrap();
    perform(
        &mut other,
        &ctx("auditor2", Role::Auditor, Lang::En),
        &Action::Note {
            ids: vec![5],
            text: "复核中".into(),
        },
    )
    .unwrap();
    press(&mut a, &[key('U')]);
    assert_eq!(status(&a, 5), "confirmed", "nothing undone");
    assert!(undo_records(&a).is_empty());
    assert_eq!(a.status.as_ref().unwrap().tone, jicha::ui::app::Tone::Error);
}
