//! Keys that could act on the wrong thing: Backspace is never "back" (only text fields delete
//! with it), the help overlay scrolls on `g`/`G` instead of closing, a viewer is refused at the
//! key before any editor opens, and a reviewer's own submission is refused before "approve?".

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::actions::{perform, Action};
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::ui::app::{App, ScreenId, Tone};
use jicha::ui::dialog::Help;
use ui_fixture::*;

fn status_line(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn backspace_is_never_back_and_the_letters_after_it_stay_on_the_screen() {
    for keymap in ["default", "vim"] {
        let (_d, p) = dataset();
        let mut a = app_with(
            &p,
            ctx("auditor1", Role::Auditor, Lang::En),
            keymap,
            true,
            false,
        );
        press(&mut a, &[key('2'), code(KeyCode::Enter)]);
        assert_eq!(a.screen, ScreenId::Detail, "{keymap}");
        press(
            &mut a,
            &[code(KeyCode::Backspace), code(KeyCode::Backspace)],
        );
        assert_eq!(a.screen, ScreenId::Detail, "{keymap}: Backspace stays");
        // After a note, stray Backspaces leave the detail where it is.
        press(&mut a, &[key('a')]);
        type_text(&mut a, "ok");
        press(&mut a, &[ctrl('s')]);
        press(
            &mut a,
            &[code(KeyCode::Backspace), code(KeyCode::Backspace)],
        );
        assert_eq!(a.screen, ScreenId::Detail, "{keymap}");
    }
}

#[test]
fn the_keymaps_bind_backspace_only_to_deleting_text() {
    for (name, text) in [
        ("default", include_str!("../keymaps/default.toml")),
        ("vim", include_str!("../keymaps/vim.toml")),
    ] {
        let mut section = String::new();
        for (i, line) in text.lines().enumerate() {
            let l = line.trim();
            if l.starts_with('#') {
                continue;
            }
            if l.starts_with('[') {
                section = l.to_string();
                continue;
            }
            if l.contains("\"Backspace\"") {
                assert!(
                    l.starts_with("delete_before"),
                    "{name}.toml:{}: {section} binds Backspace to `{l}`",
                    i + 1
                );
            }
            if l.contains("\"Esc\"") {
                let action = l.split('=').next().unwrap().trim();
                assert!(
                    ["back", "cancel", "no", "clear", "close"].contains(&action),
                    "{name}.toml:{}: a lone Esc does `{action}`",
                    i + 1
                );
            }
        }
    }
}

#[test]
fn the_help_overlay_scrolls_on_g_and_shift_g() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    press(&mut a, &[key('?')]);
    let _ = screen(&mut a, 80, 24);
    press(&mut a, &[key('G')]);
    let bottom = a.dialog_as::<Help>().expect("G keeps the help open").scroll;
    assert!(bottom > 0, "G scrolls to the end");
    press(&mut a, &[key('g')]);
    assert_eq!(
        a.dialog_as::<Help>().expect("g keeps the help open").scroll,
        0
    );
    // Up from the end moves at once (the end is the last full page, not past it).
    press(&mut a, &[key('G'), code(KeyCode::Up)]);
    assert_eq!(a.dialog_as::<Help>().unwrap().scroll, bottom - 1);
    press(&mut a, &[key('q')]);
    assert!(a.dialog().is_none(), "another key closes it");
}

#[test]
fn a_viewer_is_refused_at_the_key_before_any_editor_opens() {
    let (_d, p) = dataset();
    for (lang, role_word) in [(Lang::En, "auditor"), (Lang::Zh, "稽查员")] {
        let mut v = app(&p, "viewer9", Role::Viewer, lang);
        press(&mut v, &[key('2')]);
        for k in ['a', 'x', 't', 'w', 'c'] {
            press(&mut v, &[key(k)]);
            assert!(v.dialog().is_none(), "{lang:?} {k}: no dialog for a viewer");
            assert_eq!(v.status.as_ref().map(|s| s.tone), Some(Tone::Error), "{k}");
            assert!(
                status_line(&v).contains(role_word),
                "{lang:?} {k}: {}",
                status_line(&v)
            );
        }
        press(&mut v, &[key('4'), key('a')]);
        assert!(v.dialog().is_none(), "whitelist add");
        assert!(status_line(&v).contains(role_word), "{}", status_line(&v));
    }
}

#[test]
fn a_reviewer_is_refused_approving_their_own_submission_before_the_question() {
    let (_d, p) = dataset();
    let mut ds = Dataset::open(&p).unwrap();
    let r = ctx("reviewer1", Role::Reviewer, Lang::En);
    perform(
        &mut ds,
        &r,
        &Action::TicketCreate {
            findings: vec![4],
            unit: None,
            person: None,
            due: None,
            requirement: "整改".into(),
        },
    )
    .unwrap();
    perform(
        &mut ds,
        &r,
        &Action::TicketSubmit {
            number: "JC-20261102-001".into(),
            cause: "原因".into(),
            measures: "措施".into(),
            recovered: None,
        },
    )
    .unwrap();
    drop(ds);
    let mut a = app(&p, "reviewer1", Role::Reviewer, Lang::En);
    press(&mut a, &[key('5'), key('A')]);
    assert!(a.dialog().is_none(), "no \"approve?\" before the refusal");
    assert!(
        status_line(&a).contains("another reviewer must approve it"),
        "{}",
        status_line(&a)
    );
    press(&mut a, &[key('R')]);
    assert!(a.dialog().is_none(), "no return reason typed for nothing");
    // An auditor is told the role at the key.
    let mut b = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut b, &[key('5'), key('A')]);
    assert!(b.dialog().is_none());
    assert!(status_line(&b).contains("reviewer"), "{}", status_line(&b));
}
