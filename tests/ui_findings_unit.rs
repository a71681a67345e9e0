//! The findings screen's unit filter takes any unit of the organisation and means its subtree;
//! a unit that is not known keeps the prompt open with the nearest names.

mod ui_fixture;
use crossterm::event::KeyCode;
use jicha::context::{Lang, Role};
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
fn an_unknown_unit_is_refused_in_the_prompt_with_the_nearest_name() {
    for (lang, said) in [
        (Lang::En, "did you mean 西湖区"),
        (Lang::Zh, "是否要找 西湖区"),
    ] {
        let (_d, p) = dataset();
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        press(&mut a, &[key('2'), key('u')]);
        type_text(&mut a, "西湖\n");
        assert_eq!(list(&a).filter.station, None, "the filter is unchanged");
        for (w, h) in [(80, 24), (120, 30)] {
            let s = screen(&mut a, w, h);
            assert!(s.contains(said), "{w}x{h}:\n{s}");
        }
    }
}
