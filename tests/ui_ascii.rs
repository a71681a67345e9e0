//! `--ascii`: every glyph the UI draws is ASCII (cuts `...`, `-` for `·` and dashes, `!=`,
//! `#` bars, `*` charts, `+-|` borders); only letters — CJK text — stay as they are.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::context::{Lang, Role};
use jicha::ui::app::App;
use ui_fixture::*;

/// A character that is neither ASCII nor a letter or digit (CJK text) nor CJK punctuation nor
/// one of the visible placeholders of escaped control characters (`␛`): a symbol.
fn is_symbol(c: char) -> bool {
    !(c.is_ascii()
        || c.is_alphanumeric()
        || ('\u{3000}'..='\u{303F}').contains(&c)
        || ('\u{FF00}'..='\u{FFEF}').contains(&c)
        || ('\u{2400}'..='\u{243F}').contains(&c))
}

fn assert_ascii(a: &mut App, what: &str) {
    for (w, h) in [(80, 24), (120, 30)] {
        let s = screen(a, w, h);
        let bad: String = s.chars().filter(|c| is_symbol(*c)).collect();
        assert!(bad.is_empty(), "{what} {w}x{h}: `{bad}` drawn:\n{s}");
    }
}

#[test]
fn every_screen_in_ascii_mode_draws_ascii_symbols_only() {
    let (_d, p) = dataset();
    for lang in [Lang::En, Lang::Zh] {
        let mut a = app_with(
            &p,
            ctx("auditor1", Role::Auditor, lang),
            "default",
            false,
            true,
        );
        assert_ascii(&mut a, &format!("{lang:?} dashboard"));
        for (k, name) in [
            ('2', "findings"),
            ('3', "rules"),
            ('4', "whitelist"),
            ('5', "tickets"),
            ('6', "reports"),
            ('7', "quality"),
            ('8', "themes"),
        ] {
            press(&mut a, &[key(k)]);
            assert_ascii(&mut a, &format!("{lang:?} {name}"));
        }
        press(&mut a, &[key('2'), code(KeyCode::Enter)]);
        assert_ascii(&mut a, &format!("{lang:?} detail"));
        press(&mut a, &[key('?')]);
        assert_ascii(&mut a, &format!("{lang:?} help"));
    }
}

#[test]
fn a_cut_in_ascii_mode_is_three_dots() {
    let (_d, p) = dataset();
    let mut a = app_with(
        &p,
        ctx("auditor1", Role::Auditor, Lang::En),
        "default",
        false,
        true,
    );
    press(&mut a, &[key('2')]);
    let s = screen(&mut a, 80, 24);
    assert!(!s.contains('…'), "{s}");
    assert!(
        s.contains("..."),
        "something is cut at 80 columns, with `...`:\n{s}"
    );
}
