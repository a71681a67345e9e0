//! What an operator sees: every screen rendered into a test buffer at 80×24 and 160×48.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::context::{Lang, Role};
use jicha::ui::app::App;
use jicha::ui::render;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use ui_fixture::*;

fn both(name: &str, app: &mut App) {
    insta::assert_snapshot!(format!("{name}_80x24"), screen(app, 80, 24));
    insta::assert_snapshot!(format!("{name}_160x48"), screen(app, 160, 48));
}

#[test]
fn dashboard() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    both("dashboard_en", &mut a);
    let mut z = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    both("dashboard_zh", &mut z);
}

#[test]
fn findings() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key(' '), key(' ')]);
    both("findings_en", &mut a);
    let mut z = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    press(&mut z, &[key('2')]);
    both("findings_zh", &mut z);
}

#[test]
fn findings_filtered_and_empty() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key('v'), key('h'), key('h')]);
    insta::assert_snapshot!("findings_high_all_80x24", screen(&mut a, 80, 24));
    press(&mut a, &[key('/')]);
    type_text(&mut a, "nobody");
    press(&mut a, &[code(KeyCode::Enter)]);
    insta::assert_snapshot!("findings_none_80x24", screen(&mut a, 80, 24));
}

#[test]
fn detail() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    // THF-01 on C003 is third in severity order (high, by amount): id 5 first.
    press(&mut a, &[key('2'), code(KeyCode::Enter)]);
    both("detail_en", &mut a);
    let mut z = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    press(&mut z, &[key('2'), code(KeyCode::Enter)]);
    both("detail_zh", &mut z);
}

#[test]
fn rules() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('3'), key('j'), key('j'), key('j')]);
    both("rules_en", &mut a);
}

#[test]
fn whitelist_views() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('4')]);
    both("whitelist_active", &mut a);
    press(&mut a, &[key('v')]);
    insta::assert_snapshot!("whitelist_pending_80x24", screen(&mut a, 80, 24));
    press(&mut a, &[key('v')]);
    insta::assert_snapshot!("whitelist_expiring_80x24", screen(&mut a, 80, 24));
    press(&mut a, &[key('v')]);
    both("whitelist_history", &mut a);
}

#[test]
fn help_overlay() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key('?')]);
    both("help_en", &mut a);
    let mut v = app_with(
        &p,
        ctx("auditor1", Role::Auditor, Lang::Zh),
        "vim",
        true,
        false,
    );
    press(&mut v, &[key('?')]);
    insta::assert_snapshot!("help_vim_zh_160x48", screen(&mut v, 160, 48));
}

#[test]
fn too_small() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    insta::assert_snapshot!("too_small_en", screen(&mut a, 60, 20));
    let mut z = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    insta::assert_snapshot!("too_small_zh", screen(&mut z, 79, 24));
}

#[test]
fn hostile_names_are_shown_as_placeholders() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key('/')]);
    type_text(&mut a, "C004");
    press(&mut a, &[code(KeyCode::Enter)]);
    let s = screen(&mut a, 160, 48);
    assert!(s.contains('␛'), "{s}");
    assert!(s.contains("⟨U+202E⟩"), "{s}");
    assert!(!s.contains('\u{1b}') && !s.contains('\u{202e}'));
    insta::assert_snapshot!("hostile_findings_160x48", s);
    press(&mut a, &[code(KeyCode::Enter)]);
    let s = screen(&mut a, 160, 48);
    assert!(s.contains('␛') && s.contains("⟨U+202E⟩"), "{s}");
    insta::assert_snapshot!("hostile_detail_160x48", s);
}

#[test]
fn no_color_and_ascii() {
    let (_d, p) = dataset();
    let mut a = app_with(
        &p,
        ctx("auditor1", Role::Auditor, Lang::En),
        "default",
        false,
        true,
    );
    press(&mut a, &[key('2')]);
    a.resize(80, 24);
    a.settle();
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| render::draw(f, &a)).unwrap();
    for cell in t.backend().buffer().content() {
        assert_eq!(
            cell.fg,
            ratatui::style::Color::Reset,
            "a colour under NO_COLOR"
        );
        assert_eq!(
            cell.bg,
            ratatui::style::Color::Reset,
            "a colour under NO_COLOR"
        );
    }
    insta::assert_snapshot!("no_color_ascii_findings_80x24", t.backend().to_string());
    press(&mut a, &[key('1')]);
    insta::assert_snapshot!("no_color_ascii_dashboard_80x24", screen(&mut a, 80, 24));
}

#[test]
fn dialogs() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key('x')]);
    insta::assert_snapshot!("close_picker_80x24", screen(&mut a, 80, 24));
    press(&mut a, &[key('j'), code(KeyCode::Enter)]);
    type_text(&mut a, "重复数据，已核实为误报");
    insta::assert_snapshot!("close_note_editor_80x24", screen(&mut a, 80, 24));
    press(&mut a, &[code(KeyCode::Esc)]);
    insta::assert_snapshot!("editor_discard_question_80x24", screen(&mut a, 80, 24));
}
