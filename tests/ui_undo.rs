//! Issue 16 item 2, undo of the operator's own last triage action beyond status moves: a note
//! is withdrawn by a later note (notes are append-only, workflow.md), a whitelist entry added
//! is revoked with the reason "撤销 undo"; each logged as its own action, and refused when
//! someone changed the record since.

mod ui_fixture;

use jicha::actions::{perform, Action};
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::ui::app::App;
use ui_fixture::*;

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

fn log(app: &App, action: &str) -> Vec<(String, String)> {
    let mut st = app
        .ds
        .conn
        .prepare("SELECT target, details FROM action_log WHERE action = ?1 ORDER BY seq")
        .unwrap();
    st.query_map([action], |r| Ok((r.get(0)?, r.get(1)?)))
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

#[test]
fn undo_of_a_note_withdraws_it_by_a_later_note_and_keeps_the_first() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    // The open queue starts with finding 5, which has one note already.
    press(&mut a, &[key('2'), key('a')]);
    type_text(&mut a, "写错了的批注");
    press(&mut a, &[ctrl('s')]);
    assert_eq!(notes(&a, 5).len(), 2);
    let note_seq: i64 =
        a.ds.conn
            .query_row(
                "SELECT MAX(seq) FROM action_log WHERE action = 'finding.note'",
                [],
                |r| r.get(0),
            )
            .unwrap();
    press(&mut a, &[key('U')]);
    let n = notes(&a, 5);
    assert_eq!(n.len(), 3, "nothing deleted, one note added: {n:?}");
    assert_eq!(n[1].1, "写错了的批注", "the note stays as written");
    assert_eq!(n[2].0, "auditor1");
    assert!(n[2].1.contains(&format!("第 {note_seq} 号")), "{n:?}");
    assert!(n[2].1.contains("withdrawn"), "both languages: {n:?}");
    let undo = log(&a, "finding.undo");
    assert_eq!(undo.len(), 1, "logged as its own action");
    assert_eq!(undo[0].0, "finding:5");
    let d: serde_json::Value = serde_json::from_str(&undo[0].1).unwrap();
    assert_eq!(d["undoes"], note_seq);
    assert_eq!(d["undone"], "finding.note");
    assert!(status_line(&a).contains("已撤销"), "{}", status_line(&a));
    // Not undone twice.
    press(&mut a, &[key('U')]);
    assert_eq!(notes(&a, 5).len(), 3);
    // The log still verifies: the undo is a change like any other.
    let v = jicha::ui::screen::action_log::verify(&a.ds, Lang::En).unwrap();
    assert!(v.intact, "{:?}", v.lines);
}

/// Adds an entry for C003 and THF-01 from the whitelist screen.
fn add_entry(a: &mut App) {
    press(a, &[key('4'), key('a')]);
    type_text(a, "C003\n");
    press(a, &[ctrl('u')]);
    type_text(a, "THF-01\n\n");
    type_text(a, "临时停产，已报备");
    press(a, &[ctrl('s')]);
}

fn entry(app: &App) -> Option<(i64, Option<String>, Option<String>)> {
    app.ds
        .conn
        .query_row(
            "SELECT id, revoked_on, revoke_reason FROM whitelist WHERE cust_no = 'C003' AND rule = 'THF-01'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .ok()
}

#[test]
fn undo_of_a_whitelist_add_revokes_the_entry_with_the_reason_undo() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    add_entry(&mut a);
    let (id, revoked, _) = entry(&a).expect("the entry was added");
    assert_eq!(revoked, None);
    press(&mut a, &[key('U')]);
    let (_, revoked, reason) = entry(&a).unwrap();
    assert_eq!(
        revoked.as_deref(),
        Some(TODAY),
        "revoked, kept in the history"
    );
    assert_eq!(reason.as_deref(), Some("撤销 undo"));
    let undo = log(&a, "whitelist.undo");
    assert_eq!(undo.len(), 1);
    assert_eq!(undo[0].0, format!("whitelist:{id}"));
    assert!(
        status_line(&a).contains("whitelist.undo"),
        "{}",
        status_line(&a)
    );
    // The undo is the last change: another U has nothing to undo.
    press(&mut a, &[key('U')]);
    assert!(
        status_line(&a).contains("nothing to undo"),
        "{}",
        status_line(&a)
    );
    assert_eq!(log(&a, "whitelist.undo").len(), 1);
}

#[test]
fn undo_of_a_whitelist_add_is_refused_when_someone_changed_the_entry_since() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    add_entry(&mut a);
    let (id, _, _) = entry(&a).unwrap();
    let mut other = Dataset::open(&p).unwrap();
    perform(
        &mut other,
        &ctx("auditor2", Role::Auditor, Lang::En),
        &Action::WhitelistExtend {
            id,
            days: 30,
            reason: "延长".into(),
        },
    )
    .unwrap();
    press(&mut a, &[key('U')]);
    assert_eq!(entry(&a).unwrap().1, None, "nothing revoked");
    assert!(log(&a, "whitelist.undo").is_empty());
    assert_eq!(a.status.as_ref().unwrap().tone, jicha::ui::app::Tone::Error);
}

#[test]
fn a_change_that_is_not_triage_forgets_what_undo_would_reverse() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    add_entry(&mut a);
    // An extension of another entry is no whitelist add: undo forgets the add.
    press(&mut a, &[key('g'), key('e')]);
    type_text(&mut a, "\n");
    type_text(&mut a, "续期");
    press(&mut a, &[ctrl('s')]);
    if a.dialog().is_some() {
        press(&mut a, &[key('y')]);
    }
    assert!(
        !log(&a, "whitelist.extend").is_empty(),
        "{}",
        status_line(&a)
    );
    press(&mut a, &[key('U')]);
    assert_eq!(entry(&a).unwrap().1, None, "the add is not undone");
    assert!(
        status_line(&a).contains("nothing to undo"),
        "{}",
        status_line(&a)
    );
}
