//! Dialogs go through the keymap: the vim keymap and a user's overrides reach every dialog,
//! the one-line prompt edits like readline, and a bare Esc or Backspace never discards text.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::ui::app::App;
use jicha::ui::dialog::DialogKind;
use jicha::ui::search::Search;
use jicha::ui::theme::Theme;
use std::io::Write;
use ui_fixture::*;

fn app_with_override(p: &std::path::Path, text: &str) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let u = dir.path().join("keymap.toml");
    std::fs::File::create(&u)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let km = jicha::ui::load_keymap("default", Some(&u)).unwrap();
    let c = ctx("auditor1", Role::Auditor, Lang::En);
    let mut a = App::new(p.to_path_buf(), c, km, Theme::new(true, false), None).unwrap();
    a.resize(80, 24);
    a.settle();
    (dir, a)
}

fn status_of(p: &std::path::Path, id: i64) -> String {
    let ds = Dataset::open(p).unwrap();
    ds.conn
        .query_row("SELECT status FROM findings WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap()
}

#[test]
fn a_user_override_reaches_the_confirm_question() {
    let (_d, p) = dataset();
    let (_k, mut a) = app_with_override(&p, "[confirm]\nyes = \"o\"\nno = \"Ctrl-g\"\n");
    press(&mut a, &[key('2'), key(' '), key(' ')]);
    let marked: Vec<i64> = list(&a).marked.keys().copied().collect();
    press(&mut a, &[key('c')]);
    assert_eq!(a.dialog_kind(), Some(DialogKind::Confirm));
    // The default keys no longer answer: y and Enter leave the question open.
    press(
        &mut a,
        &[key('y'), code(KeyCode::Enter), code(KeyCode::Esc)],
    );
    assert_eq!(a.dialog_kind(), Some(DialogKind::Confirm));
    assert!(screen(&mut a, 80, 24).contains("o yes · Ctrl-g no"));
    press(&mut a, &[key('o')]);
    assert!(a.dialog().is_none());
    for id in marked {
        assert_eq!(status_of(&p, id), "confirmed");
    }
}

#[test]
fn a_user_override_reaches_the_choice_dialog() {
    let (_d, p) = dataset();
    let (_k, mut a) = app_with_override(&p, "[choice]\npick = \"Tab\"\ncancel = \"F3\"\n");
    press(&mut a, &[key('2'), key('x')]);
    assert_eq!(a.dialog_kind(), Some(DialogKind::Choice));
    // Enter is no longer the pick key; Esc no longer cancels.
    press(&mut a, &[code(KeyCode::Enter), code(KeyCode::Esc)]);
    assert_eq!(a.dialog_kind(), Some(DialogKind::Choice));
    press(&mut a, &[key('j'), code(KeyCode::Tab)]);
    // The second resolution (false positive) needs a note: the editor is open for it.
    assert_eq!(a.dialog_kind(), Some(DialogKind::Editor));
    assert!(screen(&mut a, 80, 24).contains("false positive"));
    press(&mut a, &[ctrl('s')]);
    assert_eq!(
        a.dialog_kind(),
        Some(DialogKind::Editor),
        "empty note refused"
    );
}

#[test]
fn the_prompt_edits_with_cursor_keys_home_end_and_readline_keys() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key('/')]);
    // `/` is the incremental search: its input is the prompt these keys edit.
    let text = |a: &App| a.dialog_as::<Search>().unwrap().input.text();
    type_text(&mut a, "abc");
    press(
        &mut a,
        &[code(KeyCode::Left), code(KeyCode::Left), key('X')],
    );
    assert_eq!(text(&a), "aXbc");
    press(&mut a, &[code(KeyCode::Home), key('Z')]);
    assert_eq!(text(&a), "ZaXbc");
    press(&mut a, &[code(KeyCode::End), key(' '), key('d'), key('e')]);
    assert_eq!(text(&a), "ZaXbc de");
    press(&mut a, &[ctrl('w')]);
    assert_eq!(text(&a), "ZaXbc ");
    press(
        &mut a,
        &[ctrl('a'), code(KeyCode::Right), code(KeyCode::Delete)],
    );
    assert_eq!(text(&a), "ZXbc ");
    press(&mut a, &[ctrl('e'), code(KeyCode::Left), ctrl('u')]);
    assert_eq!(text(&a), " ");
    // Enter is the submit key, never a second line.
    press(
        &mut a,
        &[code(KeyCode::Backspace), key('q'), code(KeyCode::Enter)],
    );
    assert!(a.dialog().is_none());
    assert_eq!(list(&a).filter.text.as_deref(), Some("q"));
}

#[test]
fn backspace_and_esc_in_the_discard_question_keep_the_note() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key('a')]);
    type_text(&mut a, "keep me");
    // Esc asks; Esc again (a split arrow key) and Backspace go back to the text.
    press(&mut a, &[code(KeyCode::Esc), code(KeyCode::Esc)]);
    press(&mut a, &[code(KeyCode::Esc), code(KeyCode::Backspace)]);
    assert_eq!(a.dialog_kind(), Some(DialogKind::Editor));
    assert!(screen(&mut a, 80, 24).contains("keep me"));
    // Only the [discard] key throws it away.
    press(&mut a, &[code(KeyCode::Esc), key('y')]);
    assert!(a.dialog().is_none());
}

#[test]
fn a_bad_key_in_a_dialog_section_is_refused_with_file_and_line() {
    let e = jicha::ui::keymap::parse_keymap(
        "k.toml",
        "[confirm]\nyes = \"y\"\n\n[prompt]\nsubmit = \"Hyper-Enter\"\n",
        None,
    )
    .unwrap_err();
    assert!(e.starts_with("k.toml:5: unknown key `Hyper-Enter`"), "{e}");
    let e = jicha::ui::keymap::parse_keymap("k.toml", "[choice]\nup = \"k\"\ndown = \"k\"\n", None)
        .unwrap_err();
    assert!(e.starts_with("k.toml:3: `k` for choice.down"), "{e}");
}

#[test]
fn a_user_override_reaches_the_prompt_and_a_forms_one_line_fields() {
    let (_d, p) = dataset();
    let (_k, mut a) = app_with_override(&p, "[prompt]\nsubmit = \"Ctrl-o\"\nline_start = \"F4\"\n");
    press(&mut a, &[key('2'), key('/')]);
    type_text(&mut a, "bc");
    // Home is no longer bound: it types nothing and moves nothing; F4 does.
    press(
        &mut a,
        &[code(KeyCode::Home), key('x'), code(KeyCode::F(4)), key('a')],
    );
    assert_eq!(a.dialog_as::<Search>().unwrap().input.text(), "abcx");
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(
        a.dialog_kind(),
        Some(DialogKind::Prompt),
        "Enter is not submit"
    );
    press(&mut a, &[ctrl('o')]);
    assert!(a.dialog().is_none());
    assert_eq!(list(&a).filter.text.as_deref(), Some("abcx"));
}
