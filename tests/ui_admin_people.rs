//! The operators screen and the unit tree (issue 16 item 4): operators with login, name, role
//! and unit; an admin adds one or changes a role as `jicha operator add` does (same action,
//! logged), anyone else is refused at the key; the unit tree with level, head and open
//! findings / tickets per unit. Readable at 80×24, 120×30, 200×50 in both languages.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::ui::app::App;
use jicha::ui::dialog::DialogKind;
use jicha::ui::screen::admin::operators::OperatorsScreen;
use jicha::ui::screen::admin::units::UnitsScreen;
use std::path::Path;
use ui_fixture::*;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 30), (200, 50)];

fn operators(app: &App) -> &OperatorsScreen {
    app.screen_state().expect("the operators screen")
}

fn role_of(path: &Path, login: &str) -> Option<(String, Option<String>)> {
    let ds = Dataset::open(path).unwrap();
    ds.conn
        .query_row(
            "SELECT role, unit FROM operators WHERE login = ?1",
            [login],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .ok()
}

fn log_count(path: &Path) -> i64 {
    let ds = Dataset::open(path).unwrap();
    ds.conn
        .query_row(
            "SELECT count(*) FROM action_log WHERE action = 'operator.add'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn operators_are_listed_and_readable_at_three_sizes() {
    let (_d, path) = dataset();
    for lang in [Lang::En, Lang::Zh] {
        let mut app = app(&path, "auditor1", Role::Auditor, lang);
        press(&mut app, &[key('P')]);
        let logins: Vec<String> = operators(&app)
            .rows
            .as_ref()
            .expect("loaded")
            .iter()
            .map(|o| o.login.clone())
            .collect();
        assert_eq!(logins, ["admin1", "auditor1", "auditor2", "reviewer1"]);
        for (w, h) in SIZES {
            let s = screen(&mut app, w, h);
            let (role, centre) = match lang {
                Lang::En => ("reviewer", "audit centre"),
                Lang::Zh => ("审核", "稽查中心"),
            };
            assert!(
                s.contains("reviewer1") && s.contains("王审计"),
                "{w}x{h}\n{s}"
            );
            assert!(s.contains(role) && s.contains(centre), "{w}x{h}\n{s}");
            let tag = format!("operators_{lang:?}_{w}x{h}").to_lowercase();
            insta::assert_snapshot!(tag, s);
        }
    }
}

#[test]
fn an_admin_adds_an_operator_with_a_role_and_unit_from_the_tree() {
    let (_d, path) = dataset();
    let before = log_count(&path);
    let mut app = app(&path, "admin1", Role::Admin, Lang::En);
    press(&mut app, &[key('P'), key('a')]);
    assert_eq!(app.dialog_kind(), Some(DialogKind::Form));
    // A login with a space is refused in the form.
    type_text(&mut app, "new one");
    press(&mut app, &[ctrl('s')]);
    assert_eq!(app.dialog_kind(), Some(DialogKind::Form));
    for _ in 0.."new one".len() {
        press(&mut app, &[code(KeyCode::Backspace)]);
    }
    type_text(&mut app, "auditor9");
    press(&mut app, &[code(KeyCode::Tab)]);
    type_text(&mut app, "钱九");
    press(&mut app, &[ctrl('s')]);
    // The role: viewer, auditor (the mark), reviewer, admin; take reviewer.
    assert_eq!(app.dialog_kind(), Some(DialogKind::Choice));
    press(&mut app, &[code(KeyCode::Down), code(KeyCode::Enter)]);
    // The unit tree: the audit centre first, then the units; take the first unit below it.
    assert_eq!(app.dialog_kind(), Some(DialogKind::Choice));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("城关供电所"), "the unit tree is offered\n{s}");
    press(&mut app, &[code(KeyCode::Down), code(KeyCode::Enter)]);
    assert_eq!(app.dialog_kind(), Some(DialogKind::Confirm));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("auditor9"), "{s}");
    press(&mut app, &[key('y')]);
    let s = screen(&mut app, 80, 24);
    let (role, unit) = role_of(&path, "auditor9").unwrap_or_else(|| panic!("added\n{s}"));
    assert_eq!(role, "reviewer");
    assert!(unit.is_some(), "bound to the unit picked");
    assert_eq!(log_count(&path), before + 1);
    let ds = Dataset::open(&path).unwrap();
    let name: String = ds
        .conn
        .query_row(
            "SELECT name FROM operators WHERE login = 'auditor9'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(name, "钱九");
}

#[test]
fn an_admin_changes_a_role_and_the_last_admin_stays_one() {
    let (_d, path) = dataset();
    let mut app = app(&path, "admin1", Role::Admin, Lang::Zh);
    press(&mut app, &[key('P')]);
    // auditor2 is the third row; make it a viewer at the audit centre.
    press(&mut app, &[key('j'), key('j'), key('r')]);
    assert_eq!(app.dialog_kind(), Some(DialogKind::Choice));
    press(&mut app, &[code(KeyCode::Up), code(KeyCode::Enter)]);
    press(&mut app, &[code(KeyCode::Enter)]);
    assert_eq!(app.dialog_kind(), Some(DialogKind::Confirm));
    press(&mut app, &[key('y')]);
    assert_eq!(role_of(&path, "auditor2"), Some(("viewer".into(), None)));
    // admin1 is the only admin: demoting it is refused by the action, nothing written.
    let before = log_count(&path);
    press(
        &mut app,
        &[key('g'), key('r'), code(KeyCode::Up), code(KeyCode::Enter)],
    );
    press(&mut app, &[code(KeyCode::Enter), key('y')]);
    assert_eq!(role_of(&path, "admin1").unwrap().0, "admin");
    assert_eq!(log_count(&path), before);
}

#[test]
fn others_are_refused_at_the_key() {
    let (_d, path) = dataset();
    for role in [Role::Viewer, Role::Auditor, Role::Reviewer] {
        let mut app = app(&path, "reviewer1", role, Lang::En);
        press(&mut app, &[key('P'), key('a')]);
        assert_eq!(app.dialog_kind(), None, "{role:?}: no form");
        press(&mut app, &[key('r')]);
        assert_eq!(app.dialog_kind(), None, "{role:?}: no role list");
        let s = screen(&mut app, 80, 24);
        assert!(s.contains("admin"), "{s}");
    }
}

#[test]
fn the_unit_tree_counts_open_findings_and_tickets() {
    let (_d, path) = dataset();
    for lang in [Lang::En, Lang::Zh] {
        let mut app = app(&path, "auditor1", Role::Auditor, lang);
        press(&mut app, &[key('W')]);
        let rows = app
            .screen_state::<UnitsScreen>()
            .unwrap()
            .rows
            .clone()
            .expect("loaded");
        let row = |n: &str| rows.iter().find(|r| r.name == n).unwrap().clone();
        // 城关供电所: C001 (1, 2, 9), C002 (3, 4), C004 (6) open; 西湖区 rolls it up.
        assert_eq!(row("城关供电所").open_findings, 6);
        assert_eq!(row("西湖区").open_findings, 6);
        assert_eq!(
            row("开发区供电所").open_findings,
            1,
            "the closed one is not open"
        );
        assert_eq!(row("城关供电所").depth, 1);
        for (w, h) in SIZES {
            let s = screen(&mut app, w, h);
            assert!(
                s.contains("城关供电所") && s.contains("西湖区"),
                "{w}x{h}\n{s}"
            );
            let tag = format!("units_{lang:?}_{w}x{h}").to_lowercase();
            insta::assert_snapshot!(tag, s);
        }
        // Enter opens the unit's findings.
        press(&mut app, &[key('g'), code(KeyCode::Enter)]);
        assert!(app
            .screen_state::<jicha::ui::screen::findings::Findings>()
            .is_some());
    }
}
