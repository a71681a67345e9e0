//! The findings screen's unit filter takes any unit of the organisation and means its subtree;
//! a unit that is not known keeps the prompt open with the nearest names.

mod ui_fixture;
use crossterm::event::KeyCode;
use jicha::context::{Lang, Role};
use jicha::ui::dialog::DialogKind;
use ui_fixture::*;

fn ids(a: &jicha::ui::App) -> Vec<i64> {
    let mut v = list(a).ids.clone().expect("the list answered");
    v.sort();
    v
}

#[test]
fn a_county_filter_lists_the_findings_of_its_stations() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key('u')]);
    type_text(&mut a, "西湖区\n");
    assert_eq!(list(&a).filter.station.as_deref(), Some("西湖区"));
    // 西湖区 → 城关供电所: C001, C002, C004's open findings.
    assert_eq!(ids(&a), [1, 2, 3, 4, 6, 9]);
    press(&mut a, &[key('u')]);
    for _ in 0.."西湖区".chars().count() {
        a.handle(code(KeyCode::Backspace));
    }
    type_text(&mut a, "开发区供电所\n");
    assert_eq!(ids(&a), [5]);
}

#[test]
fn the_unit_filter_is_picked_from_the_unit_list_never_free_text() {
    for lang in [Lang::En, Lang::Zh] {
        let (_d, p) = dataset();
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        // Nothing in the list matches: the picker stays open and the filter is unchanged.
        press(&mut a, &[key('2'), key('u')]);
        type_text(&mut a, "没有这个单位\n");
        assert_eq!(list(&a).filter.station, None, "the filter is unchanged");
        assert_eq!(a.dialog_kind(), Some(DialogKind::Choice), "{lang:?}");
        for (w, h) in [(80, 24), (120, 30)] {
            let s = screen(&mut a, w, h);
            assert!(!s.contains('\u{1b}'), "{w}x{h}");
        }
        press(&mut a, &[code(KeyCode::Esc)]);
        // Part of a listed name picks that unit (fuzzy), never the typed text itself.
        press(&mut a, &[key('u')]);
        type_text(&mut a, "西湖\n");
        assert_eq!(
            list(&a).filter.station.as_deref(),
            Some("西湖区"),
            "{lang:?}"
        );
    }
}
