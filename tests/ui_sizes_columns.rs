//! The column chooser (`C`, issue 16 item 3): columns chosen on the findings list are hidden,
//! the choice is remembered per operator in the config directory's `columns.toml`, and a new
//! session (and the chooser opened again) shows it. Its own test binary: it sets
//! `JICHA_CONFIG_DIR` for the process.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::context::{Lang, Role};
use jicha::ui::dialog::Choice;
use jicha::ui::screen::findings::columns::Col;
use ui_fixture::*;

/// The chooser's item of column `c`.
fn item(c: Col) -> usize {
    Col::ALL.iter().position(|x| *x == c).unwrap()
}

#[test]
fn the_column_choice_is_remembered_per_operator_and_shown_again() {
    let cfg = tempfile::tempdir().unwrap();
    std::env::set_var("JICHA_CONFIG_DIR", cfg.path());
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2')]);
    let before = screen(&mut a, 200, 50);
    assert!(
        before.contains("Cust no"),
        "the 户号 column at 200:\n{before}"
    );
    // Hide the customer number and the subject: Enter on each item toggles it.
    press(&mut a, &[key('C')]);
    assert!(a.dialog_as::<Choice>().is_some(), "the chooser");
    for c in [Col::CustNo, Col::Subject] {
        let at = a.dialog_as::<Choice>().unwrap().sel;
        let to = item(c);
        for _ in at..to {
            press(&mut a, &[code(KeyCode::Down)]);
        }
        press(&mut a, &[code(KeyCode::Enter)]);
        let d = a.dialog_as::<Choice>().expect("the chooser opens again");
        assert!(d.items[to].starts_with("[ ]"), "{:?}", d.items[to]);
        assert_eq!(d.sel, to, "on the same item");
    }
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_eq!(list(&a).hidden, vec![Col::CustNo, Col::Subject]);
    let after = screen(&mut a, 200, 50);
    assert!(!after.contains("Cust no"), "hidden:\n{after}");
    let file = std::fs::read_to_string(cfg.path().join("columns.toml")).unwrap();
    assert_eq!(file, "\"auditor1\" = \"cust_no,subject\"\n");

    // Another session of the same operator: the same columns; the chooser shows them.
    let mut b = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    press(&mut b, &[key('2')]);
    assert_eq!(list(&b).hidden, vec![Col::CustNo, Col::Subject]);
    press(&mut b, &[key('C')]);
    let d = b.dialog_as::<Choice>().unwrap();
    assert!(d.items[item(Col::CustNo)].starts_with("[ ]"));
    assert!(d.items[item(Col::Subject)].starts_with("[ ]"));
    assert!(d.items[item(Col::Evidence)].starts_with("[x]"));
    // Another operator keeps every column.
    let mut c = app(&p, "auditor2", Role::Auditor, Lang::En);
    press(&mut c, &[key('2')]);
    assert!(list(&c).hidden.is_empty());
    assert!(screen(&mut c, 200, 50).contains("Cust no"));
    // Shown again: toggled back on, the file keeps both operators apart.
    press(&mut b, &[code(KeyCode::Down)]);
    let sel = b.dialog_as::<Choice>().unwrap().sel;
    for _ in sel..item(Col::CustNo) {
        press(&mut b, &[code(KeyCode::Down)]);
    }
    press(&mut b, &[code(KeyCode::Enter), code(KeyCode::Esc)]);
    assert_eq!(list(&b).hidden, vec![Col::Subject]);
    let file = std::fs::read_to_string(cfg.path().join("columns.toml")).unwrap();
    assert_eq!(file, "\"auditor1\" = \"subject\"\n");
}
