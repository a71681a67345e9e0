//! The reports screen: the five headline rates whole at every supported size and language,
//! the unit filter from the unit tree, drilling into a unit and back up.

mod ui_fixture;
use crossterm::event::KeyCode;
use jicha::context::{Lang, Role};
use jicha::ui::app::{App, ScreenId};
use jicha::ui::screen::reports::Reports;
use ui_fixture::*;

fn reports(app: &App) -> &Reports {
    app.screen_state::<Reports>().expect("the reports screen")
}

const EN: [&str; 5] = [
    "Initiation",
    "Completion",
    "Rectification",
    "Overdue",
    "Cumulative",
];
const ZH: [&str; 5] = [
    "稽查异常问题发起率",
    "稽查问题完成率",
    "异常问题整改完成率",
    "稽查超期率",
    "累计完成率",
];

/// Each rate's name is on screen with its whole value after it (a percentage or `—`).
fn assert_rates_whole(s: &str, names: &[&str], what: &str) {
    for name in names {
        let line = s
            .lines()
            .find(|l| l.contains(&format!("│{name} ")))
            .unwrap_or_else(|| panic!("{what}: no line for {name}:\n{s}"));
        let rest = &line[line.find(name).unwrap() + name.len()..];
        let value = rest.split_whitespace().next().unwrap_or("");
        assert!(
            value == "—" || (value.ends_with('%') && value.len() > 1),
            "{what}: {name} shows `{value}`:\n{s}"
        );
    }
}

#[test]
fn the_five_headline_rates_are_never_cut_off() {
    let (_d, p) = dataset();
    for (lang, names) in [(Lang::En, EN), (Lang::Zh, ZH)] {
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        press(&mut a, &[key('6'), key('p'), key('p')]);
        assert_eq!(a.screen, ScreenId::Reports);
        for (w, h) in [(80, 24), (120, 30)] {
            let s = screen(&mut a, w, h);
            assert_rates_whole(&s, &names, &format!("{lang:?} {w}x{h}"));
        }
    }
}

#[test]
fn the_screen_at_120x30_in_both_languages() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('6'), key('p'), key('p')]);
    insta::assert_snapshot!("reports_month_en_120x30", screen(&mut a, 120, 30));
    let mut z = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    press(&mut z, &[key('6'), key('p'), key('p')]);
    insta::assert_snapshot!("reports_month_zh_120x30", screen(&mut z, 120, 30));
}

#[test]
fn a_unit_from_the_tree_restricts_the_report_and_esc_goes_back_up() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    press(&mut a, &[key('6'), key('p'), key('p')]);
    let all = reports(&a).data.as_ref().unwrap().clone();
    assert_eq!(all.unit, None);
    // The tree's rows: "all units", then the hierarchy depth first.
    let order: Vec<String> = all
        .hierarchy
        .preorder()
        .iter()
        .map(|(u, _)| u.name.clone())
        .collect();
    let at = order.iter().position(|u| u == "西湖区").unwrap() + 1;
    press(&mut a, &[key('u')]);
    let s = screen(&mut a, 80, 24);
    assert!(
        s.contains("全部单位") && s.contains("西湖区 · 县公司"),
        "{s}"
    );
    for _ in 0..at {
        press(&mut a, &[code(KeyCode::Down)]);
    }
    press(&mut a, &[code(KeyCode::Enter)]);
    let st = reports(&a);
    assert_eq!(st.unit.as_deref(), Some("西湖区"));
    let r = st.data.as_ref().expect("the unit's report");
    assert_eq!(r.unit.as_deref(), Some("西湖区"));
    assert!(
        r.by_unit.keys().all(|u| u == "西湖区" || u == "城关供电所"),
        "{:?}",
        r.by_unit.keys()
    );
    assert_eq!(
        r.total.open_after, all.by_unit["西湖区"].open_after,
        "the subtree's own figures"
    );
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("单位: 西湖区"), "{s}");
    // Esc: up to the parent (a district is a root here: every unit).
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_eq!(a.screen, ScreenId::Reports);
    assert_eq!(reports(&a).unit, None);
    // Enter on a row of the table drills into it.
    let row = reports(&a)
        .rows()
        .iter()
        .position(|u| *u == "城关供电所")
        .unwrap();
    for _ in 0..row {
        press(&mut a, &[code(KeyCode::Down)]);
    }
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(reports(&a).unit.as_deref(), Some("城关供电所"));
    let r = reports(&a).data.as_ref().unwrap();
    assert_eq!(r.total.open_after, all.by_unit["城关供电所"].open_after);
    // Up once: its district; twice: every unit; a third Esc leaves the screen.
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_eq!(reports(&a).unit.as_deref(), Some("西湖区"));
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_eq!(reports(&a).unit, None);
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_ne!(a.screen, ScreenId::Reports);
}
