//! A note is a change: a triage key pressed on a screen drawn before another operator's note
//! ("DO NOT CLOSE") is refused as stale, and goes through once the screen shows the note.

mod ui_fixture;

use jicha::actions::{perform, Action};
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::ui::app::Tone;
use ui_fixture::*;

fn status_of(p: &std::path::Path, id: i64) -> String {
    rusqlite::Connection::open(p)
        .unwrap()
        .query_row("SELECT status FROM findings WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap()
}

#[test]
fn a_note_by_another_operator_refuses_a_confirm_on_the_old_screen() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2')]);
    let id = list(&a).current().expect("a finding under the cursor").id;
    let mut other = Dataset::open(&p).unwrap();
    perform(
        &mut other,
        &ctx("auditor2", Role::Auditor, Lang::En),
        &Action::Note {
            ids: vec![id],
            text: "DO NOT CLOSE: meter replacement pending".into(),
        },
    )
    .unwrap();
    press(&mut a, &[key('c')]);
    let s = a.status.as_ref().expect("a status line");
    assert_eq!(s.tone, Tone::Error, "{}", s.text);
    assert!(
        s.text
            .contains(&format!("finding {id} was changed by someone else")),
        "{}",
        s.text
    );
    assert_eq!(status_of(&p, id), "new");
    // The refused action refreshed the screen: the same key now acts on what is shown.
    assert_eq!(list(&a).current().map(|r| r.id), Some(id));
    press(&mut a, &[key('c')]);
    assert_eq!(status_of(&p, id), "confirmed");
}
