//! The quality and theme screens along an imported unit tree: the unit tree pick list (`u`),
//! rolling up and drilling down, a department scored, `—` for what is not applicable, and
//! both screens at 80×24 and 120×30 in English and Chinese.
//!
//! On top of the UI fixture: units.csv's tree
//! 市公司 (city) → 西湖区 → 城关供电所; 滨江区 → 开发区供电所; East → Riverside station;
//! 计量中心 (department). Ticket JC-20261102-001 for findings 1 and 2 (城关), ticket
//! JC-20261102-002 for finding 4 sent to 计量中心.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::actions::{perform as act, Action};
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::quality::Level;
use jicha::ui::app::{App, ScreenId};
use jicha::ui::dialog::Choice;
use jicha::ui::screen::quality::Quality;
use jicha::ui::screen::quality_drill::QualityDrill;
use jicha::ui::screen::theme::ThemeScreen;
use std::path::PathBuf;
use ui_fixture::*;

const CITY: &str = "市公司";
const XIHU: &str = "西湖区";
const GUAN: &str = "城关供电所";
const DEPT: &str = "计量中心";

fn units_dataset() -> (tempfile::TempDir, PathBuf) {
    let (d, p) = dataset();
    let mut ds = Dataset::open(&p).unwrap();
    ds.write(|tx| {
        tx.execute_batch(
            "INSERT INTO units(name, parent, level, head, import_id, src_line) VALUES
               ('市公司', NULL, 'city', NULL, 1, 2),
               ('西湖区', '市公司', 'county', NULL, 1, 3),
               ('滨江区', '市公司', 'county', NULL, 1, 4),
               ('East', '市公司', 'county', NULL, 1, 5),
               ('计量中心', '市公司', 'department', NULL, 1, 6),
               ('城关供电所', '西湖区', 'station', NULL, 1, 7),
               ('开发区供电所', '滨江区', 'station', NULL, 1, 8),
               ('Riverside station', 'East', 'station', NULL, 1, 9);",
        )?;
        Ok(())
    })
    .unwrap();
    let a = ctx("auditor1", Role::Auditor, Lang::En);
    for (findings, unit) in [(vec![1, 2], None), (vec![4], Some(DEPT.to_string()))] {
        act(
            &mut ds,
            &a,
            &Action::TicketCreate {
                findings,
                unit,
                person: None,
                due: None,
                requirement: "整改".into(),
            },
        )
        .unwrap();
    }
    drop(ds);
    (d, p)
}

fn q(a: &App) -> &Quality {
    a.screen_state::<Quality>().unwrap()
}

fn th(a: &App) -> &ThemeScreen {
    a.screen_state::<ThemeScreen>().unwrap()
}

/// Opens the unit tree pick list and picks the row naming `unit` (None: all units).
fn pick(a: &mut App, unit: Option<&str>) {
    press(a, &[key('u')]);
    let items = match a.dialog_as::<Choice>() {
        Some(c) => c.items.clone(),
        None => panic!("u opens the unit tree"),
    };
    let at = match unit {
        None => 0,
        Some(u) => items
            .iter()
            .position(|i| i.trim_start().starts_with(&format!("{u} ·")))
            .unwrap_or_else(|| panic!("{u} in {items:?}")),
    };
    let sel = a.dialog_as::<Choice>().unwrap().sel;
    let key_ = if at >= sel { 'j' } else { 'k' };
    for _ in 0..at.abs_diff(sel) {
        press(a, &[key(key_)]);
    }
    press(a, &[code(KeyCode::Enter)]);
    assert!(a.dialog().is_none());
}

#[test]
fn the_unit_tree_moves_the_ranking_up_and_down_the_hierarchy() {
    let (_d, p) = units_dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('7')]);
    // The pick list shows the tree indented under its parents, levels named.
    press(&mut a, &[key('u')]);
    let items = a.dialog_as::<Choice>().unwrap().items.clone();
    assert_eq!(items[0], "All units");
    assert_eq!(items[1], "市公司 · Cities");
    assert!(
        items.iter().any(|i| i == "    城关供电所 · Stations"),
        "{items:?}"
    );
    press(&mut a, &[code(KeyCode::Esc)]);
    // The city: its units below it, counties and the department side by side, level named.
    pick(&mut a, Some(CITY));
    assert_eq!(q(&a).within.as_deref(), Some(CITY));
    assert_eq!(q(&a).level, None);
    let rows: Vec<String> = q(&a).rows().iter().map(|u| u.unit.clone()).collect();
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert!(rows.contains(&DEPT.to_string()));
    let s = screen(&mut a, 120, 30);
    assert!(s.contains("Units of 市公司"), "{s}");
    assert!(s.contains("计量中心 · department"), "{s}");
    // Enter on a county drills down to its stations; Esc rolls back up.
    let at = q(&a).rows().iter().position(|u| u.unit == XIHU).unwrap();
    press(&mut a, &[key('g')]);
    for _ in 0..at {
        press(&mut a, &[key('j')]);
    }
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(q(&a).within.as_deref(), Some(XIHU));
    assert_eq!(q(&a).rows()[0].unit, GUAN);
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_eq!(q(&a).within.as_deref(), Some(CITY));
    assert_eq!(q(&a).current().unwrap().unit, XIHU);
    // A department picked from the tree: ranked among departments, Enter opens its drill-down,
    // where its ticket is listed and an indicator with nothing to measure reads `—`.
    pick(&mut a, Some(DEPT));
    assert_eq!(q(&a).level, Some(Level::Department));
    assert_eq!(q(&a).current().unwrap().unit, DEPT);
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(a.screen, ScreenId::QualityDrill);
    let d = a
        .screen_state::<QualityDrill>()
        .unwrap()
        .data
        .clone()
        .unwrap();
    assert_eq!(d.score.unit, DEPT);
    assert_eq!(d.tickets.len(), 1);
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("— not applicable"), "{s}");
    // Back, and "all units": the roots (the city).
    press(&mut a, &[code(KeyCode::Esc)]);
    pick(&mut a, None);
    let rows: Vec<String> = q(&a).rows().iter().map(|u| u.unit.clone()).collect();
    assert_eq!(rows, vec![CITY.to_string()]);
    // v ranks each level in turn: stations first.
    press(&mut a, &[key('v')]);
    assert_eq!(q(&a).level, Some(Level::Station));
    press(&mut a, &[key('v')]);
    assert_eq!(q(&a).level, Some(Level::County));
}

#[test]
fn the_theme_rolls_up_and_drills_down_the_tree() {
    let (_d, p) = units_dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    // Billing: BIL-05 findings 2 and 4 (both customers of 城关).
    press(&mut a, &[key('8'), key('c')]);
    assert_eq!(th(&a).items()[0].0, CITY);
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(th(&a).items()[0].0, XIHU);
    press(&mut a, &[code(KeyCode::Enter), code(KeyCode::Enter)]);
    assert!(th(&a).at_months());
    assert_eq!(
        th(&a).path,
        vec![CITY.to_string(), XIHU.to_string(), GUAN.to_string()]
    );
    // The tree jumps: a station straight away (its path opened), then all units.
    pick(&mut a, Some(GUAN));
    assert_eq!(th(&a).path.last().map(String::as_str), Some(GUAN));
    pick(&mut a, None);
    assert_eq!(th(&a).depth(), 0);
    // A unit without billing findings: the screen stops at its nearest unit that has some.
    pick(&mut a, Some("开发区供电所"));
    assert_eq!(th(&a).path, vec![CITY.to_string()]);
    let s = screen(&mut a, 120, 30);
    assert!(s.contains("市公司"), "{s}");
}

#[test]
fn both_screens_at_80x24_and_120x30_in_both_languages() {
    let (_d, p) = units_dataset();
    for lang in [Lang::En, Lang::Zh] {
        let tag = if lang == Lang::En { "en" } else { "zh" };
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        press(&mut a, &[key('7')]);
        pick(&mut a, Some(CITY));
        for (w, h) in [(80, 24), (120, 30)] {
            let s = screen(&mut a, w, h);
            // Every unit below the city and the composite column are on screen.
            for u in [XIHU, "滨江区", "East", DEPT] {
                assert!(s.contains(u), "{tag} {w}x{h}: {u} missing\n{s}");
            }
            insta::assert_snapshot!(format!("quality_units_{tag}_{w}x{h}"), s);
        }
        press(&mut a, &[key('8'), key('c'), code(KeyCode::Enter)]);
        for (w, h) in [(80, 24), (120, 30)] {
            let s = screen(&mut a, w, h);
            assert!(s.contains(XIHU), "{tag} {w}x{h}\n{s}");
            insta::assert_snapshot!(format!("theme_units_{tag}_{w}x{h}"), s);
        }
    }
}
