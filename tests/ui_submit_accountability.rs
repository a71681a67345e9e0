//! The submit form asks, as `ticket submit --responsible --accountability` does, for the person
//! responsible and the accountability outcome (无 / 批评教育 / 考核 / 移交纪检); what it names
//! is recorded with the submission in one change; a resubmission after 退回 shows what was
//! typed before; a word that is no outcome is refused in the form.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::context::{Lang, Role};
use jicha::ui::app::App;
use jicha::ui::dialog::{DialogKind, Form};
use ui_fixture::*;

const N: &str = "JC-20261102-001";

fn state(a: &App) -> String {
    jicha::tickets::get(&a.ds.conn, N, day(TODAY))
        .unwrap()
        .state
        .as_str()
        .to_string()
}

fn status_line(a: &App) -> String {
    a.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn accountability(a: &App) -> Option<(Option<String>, Option<String>)> {
    let t = jicha::tickets::get(&a.ds.conn, N, day(TODAY)).unwrap();
    jicha::deductions::accountability(&a.ds.conn, t.id)
        .unwrap()
        .map(|x| (x.person, x.outcome))
}

/// A ticket of findings 4 and 2 (the form, then yes), acknowledged.
fn ticket(a: &mut App) {
    press(a, &[key('2'), key('j'), key(' '), key(' '), key('t')]);
    type_text(a, "核实负电费原因");
    press(a, &[ctrl('s'), key('y'), key('5'), key('a')]);
    assert_eq!(state(a), "rectifying", "{}", status_line(a));
}

fn form_texts(a: &App) -> Vec<String> {
    a.dialog_as::<Form>()
        .expect("the submit form")
        .fields
        .iter()
        .map(|f| f.text())
        .collect()
}

#[test]
fn the_submit_form_records_responsible_and_accountability_and_keeps_them_on_resubmit() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    ticket(&mut a);
    press(&mut a, &[key('s')]);
    assert!(a.dialog_kind() == Some(DialogKind::Form));
    assert_eq!(
        form_texts(&a).len(),
        5,
        "cause, measures, recovered, person, outcome"
    );
    type_text(&mut a, "表计接线错误");
    press(&mut a, &[code(KeyCode::Tab)]);
    type_text(&mut a, "已现场更正");
    press(&mut a, &[code(KeyCode::Tab), code(KeyCode::Tab)]);
    type_text(&mut a, "赵工");
    press(&mut a, &[code(KeyCode::Tab)]);
    type_text(&mut a, "移交");
    press(&mut a, &[ctrl('s')]);
    let f = a.dialog_as::<Form>().expect("refused in the form");
    assert_eq!(f.focus, 4, "back at the outcome");
    assert!(
        f.error.as_deref().unwrap_or("").contains("问责结果须为"),
        "{:?}",
        f.error
    );
    assert_eq!(state(&a), "rectifying", "nothing written");
    for _ in 0..2 {
        press(&mut a, &[code(KeyCode::Backspace)]);
    }
    type_text(&mut a, "批评教育");
    insta::assert_snapshot!("ticket_submit_accountable_zh_80x24", screen(&mut a, 80, 24));
    press(&mut a, &[ctrl('s')]);
    assert!(a.dialog().is_none(), "{}", status_line(&a));
    assert_eq!(state(&a), "submitted", "{}", status_line(&a));
    assert_eq!(
        accountability(&a),
        Some((Some("赵工".into()), Some("criticism".into())))
    );
    let log: Vec<String> =
        a.ds.conn
            .prepare("SELECT action FROM action_log WHERE target = ?1 ORDER BY seq")
            .unwrap()
            .query_map([format!("ticket:{N}")], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
    assert_eq!(
        &log[log.len() - 2..],
        ["ticket.submit", "ticket.accountability"]
    );

    // Returned by a reviewer; the resubmission's form holds what was typed.
    let mut r = app(&p, "reviewer1", Role::Reviewer, Lang::En);
    press(&mut r, &[key('5'), key('R')]);
    type_text(&mut r, "请补充现场照片");
    press(&mut r, &[ctrl('s')]);
    assert_eq!(state(&r), "returned", "{}", status_line(&r));
    a.refresh();
    a.settle();
    press(&mut a, &[key('s')]);
    assert_eq!(
        form_texts(&a),
        ["表计接线错误", "已现场更正", "", "赵工", "批评教育"]
    );
    // Changed to 考核 and sent again (the form opens on its first field).
    assert_eq!(a.dialog_as::<Form>().unwrap().focus, 0);
    press(
        &mut a,
        &[
            code(KeyCode::Tab),
            code(KeyCode::Tab),
            code(KeyCode::Tab),
            code(KeyCode::Tab),
        ],
    );
    for _ in 0.."批评教育".chars().count() {
        press(&mut a, &[code(KeyCode::Backspace)]);
    }
    type_text(&mut a, "考核");
    press(&mut a, &[ctrl('s')]);
    assert_eq!(state(&a), "submitted", "{}", status_line(&a));
    assert_eq!(
        accountability(&a),
        Some((Some("赵工".into()), Some("assessment".into())))
    );
}

#[test]
fn the_submit_form_in_english_takes_english_words_and_may_leave_them_empty() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    ticket(&mut a);
    press(&mut a, &[key('s')]);
    type_text(&mut a, "wiring");
    press(&mut a, &[code(KeyCode::Tab)]);
    type_text(&mut a, "fixed");
    press(&mut a, &[ctrl('s')]);
    assert_eq!(state(&a), "submitted", "{}", status_line(&a));
    assert_eq!(accountability(&a), None, "nothing named: nothing recorded");
    insta::assert_snapshot!("ticket_submitted_en_120x30", screen(&mut a, 120, 30));
}
