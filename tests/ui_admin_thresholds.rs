//! The thresholds screen and the rules-and-source screen (issue 16 item 4): what
//! `jicha thresholds show` and `jicha rules list` list, readable at 80×24, 120×30 and 200×50 in
//! both languages; an admin edits a threshold and enables / disables a site rule with the
//! actions the CLI performs (logged); anyone else is refused at the key, no editor opened.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::ui::app::App;
use jicha::ui::dialog::DialogKind;
use jicha::ui::screen::admin::site_rules::SiteRulesScreen;
use jicha::ui::screen::admin::thresholds::ThresholdsScreen;
use std::path::Path;
use ui_fixture::*;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 30), (200, 50)];
const EXAMPLE: &str = include_str!("../data/site-rules/x-mtr-event-drop.toml");

fn value(path: &Path, name: &str) -> String {
    let ds = Dataset::open(path).unwrap();
    ds.conn
        .query_row(
            "SELECT value FROM thresholds WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
}

fn log_count(path: &Path, action: &str) -> i64 {
    let ds = Dataset::open(path).unwrap();
    ds.conn
        .query_row(
            "SELECT count(*) FROM action_log WHERE action = ?1",
            [action],
            |r| r.get(0),
        )
        .unwrap()
}

fn thresholds(app: &App) -> &ThresholdsScreen {
    app.screen_state().expect("the thresholds screen")
}

/// Moves the cursor of the thresholds screen onto `name`.
fn select(app: &mut App, name: &str) {
    let at = thresholds(app)
        .rows
        .as_ref()
        .expect("loaded")
        .iter()
        .position(|p| p.name == name)
        .expect("listed");
    press(app, &[key('g')]);
    for _ in 0..at {
        press(app, &[key('j')]);
    }
    assert_eq!(thresholds(app).selected().unwrap().name, name);
}

#[test]
fn every_parameter_is_listed_with_value_default_unit_and_rules() {
    let (_d, path) = dataset();
    let mut app = app(&path, "auditor1", Role::Auditor, Lang::En);
    press(&mut app, &[key('T')]);
    let rows = thresholds(&app).rows.clone().expect("loaded");
    assert_eq!(rows.len(), jicha::thresholds::specs().len());
    let kva = rows.iter().find(|p| p.name == "low220_max_kva").unwrap();
    assert_eq!((kva.value.as_str(), kva.default.as_str()), ("10", "10"));
    assert_eq!((kva.unit, kva.rules.as_str()), ("kVA", "ARC-02"));
    let days = rows.iter().find(|p| p.name == "due_days_high").unwrap();
    assert_eq!(days.unit, "days");
    select(&mut app, "low220_max_kva");
    let s = screen(&mut app, 120, 30);
    assert!(s.contains("Thresholds (rule parameters)"), "{s}");
    assert!(s.contains("ARC-02") && s.contains("kVA"), "{s}");
}

#[test]
fn readable_at_three_sizes_in_both_languages() {
    let (_d, path) = dataset();
    for lang in [Lang::En, Lang::Zh] {
        let mut app = app(&path, "admin1", Role::Admin, lang);
        press(&mut app, &[key('T')]);
        select(&mut app, "low220_max_kva");
        for (w, h) in SIZES {
            let s = screen(&mut app, w, h);
            let (title, about) = match lang {
                Lang::En => ("Thresholds (rule parameters)", "largest contract capacity"),
                Lang::Zh => ("阀值（规则参数）", "供电允许的最大合同容量"),
            };
            assert!(s.contains(title), "{w}x{h} {lang:?}\n{s}");
            assert!(
                s.contains(about),
                "the selected one's description {w}x{h}\n{s}"
            );
            assert!(s.contains("low220_max_kva"), "{s}");
            let tag = format!("thresholds_{lang:?}_{w}x{h}").to_lowercase();
            insta::assert_snapshot!(tag, s);
        }
    }
}

#[test]
fn an_admin_edits_a_value_through_the_form_and_it_is_logged() {
    let (_d, path) = dataset();
    let mut app = app(&path, "admin1", Role::Admin, Lang::En);
    press(&mut app, &[key('T')]);
    select(&mut app, "surge_ratio");
    let before = log_count(&path, "thresholds.set");
    press(&mut app, &[key('e')]);
    assert_eq!(app.dialog_kind(), Some(DialogKind::Form));
    // A bad value is refused in the form with the CLI's words; the form stays open.
    for _ in 0..8 {
        press(&mut app, &[code(KeyCode::Backspace)]);
    }
    type_text(&mut app, "lots");
    press(&mut app, &[ctrl('s')]);
    assert_eq!(
        app.dialog_kind(),
        Some(DialogKind::Form),
        "refused: stays open"
    );
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("lots"), "the refusal names the value\n{s}");
    assert_eq!(log_count(&path, "thresholds.set"), before);
    for _ in 0..4 {
        press(&mut app, &[code(KeyCode::Backspace)]);
    }
    type_text(&mut app, "2.5");
    press(&mut app, &[ctrl('s')]);
    assert_eq!(app.dialog_kind(), None);
    assert_eq!(value(&path, "surge_ratio"), "2.5");
    assert_eq!(log_count(&path, "thresholds.set"), before + 1);
    let row = thresholds(&app).selected().unwrap().clone();
    assert_eq!(row.value, "2.5", "the screen shows the new value");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("2.5*"), "a changed value is marked\n{s}");
}

#[test]
fn a_viewer_or_auditor_is_refused_at_the_key_without_an_editor() {
    let (_d, path) = dataset();
    for (who, role) in [("viewer1", Role::Viewer), ("auditor1", Role::Auditor)] {
        let mut app = app(&path, who, role, Lang::Zh);
        press(&mut app, &[key('T'), key('e')]);
        assert_eq!(app.dialog_kind(), None, "{who}: no editor opens");
        let s = screen(&mut app, 80, 24);
        assert!(
            s.contains("需要管理员角色"),
            "the refusal names the role needed\n{s}"
        );
    }
    assert_eq!(value(&path, "surge_ratio"), "3");
}

#[test]
fn the_command_line_opens_the_screens() {
    let (_d, path) = dataset();
    let mut app = app(&path, "auditor1", Role::Auditor, Lang::En);
    press(&mut app, &[key(':')]);
    type_text(&mut app, "thresholds");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert!(thresholds(&app).rows.is_some(), "opened by `:thresholds`");
    press(&mut app, &[key(':')]);
    type_text(&mut app, "site-rules");
    press(&mut app, &[code(KeyCode::Enter)]);
    assert!(app.screen_state::<SiteRulesScreen>().is_some());
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Rules and their source"), "{s}");
}

fn with_site_rule(path: &Path) {
    let mut ds = Dataset::open(path).unwrap();
    let admin = ctx("admin1", Role::Admin, Lang::En);
    jicha::actions::site_rules::add_rule(
        &mut ds,
        &admin,
        "x-mtr-event-drop.toml",
        EXAMPLE,
        day(TODAY),
        5,
    )
    .unwrap();
}

fn rules_screen(app: &App) -> &SiteRulesScreen {
    app.screen_state().expect("the rules-and-source screen")
}

fn select_rule(app: &mut App, id: &str) {
    let at = rules_screen(app)
        .ids
        .iter()
        .position(|i| i == id)
        .expect("listed");
    press(app, &[key('g')]);
    for _ in 0..at {
        press(app, &[key('j')]);
    }
    assert_eq!(rules_screen(app).selected(), Some(id));
}

fn enabled(path: &Path, id: &str) -> bool {
    let ds = Dataset::open(path).unwrap();
    jicha::rules::site::store::get(&ds.conn, id)
        .unwrap()
        .unwrap()
        .enabled
}

#[test]
fn site_rules_show_source_sql_and_are_disabled_and_enabled_by_an_admin() {
    let (_d, path) = dataset();
    with_site_rule(&path);
    let mut app = app(&path, "admin1", Role::Admin, Lang::En);
    press(&mut app, &[key('K')]);
    let ids = rules_screen(&app).ids.clone();
    assert!(ids.iter().any(|i| i == "ARC-01"), "built-in rules listed");
    select_rule(&mut app, "X-MTR-EVT");
    let s = screen(&mut app, 120, 30);
    assert!(
        s.contains("X-MTR-EVT") && s.contains("site") && s.contains("enabled"),
        "{s}"
    );
    assert!(s.contains("SQL:"), "the site rule's SQL is shown\n{s}");
    // Disable: asked first, then the action `jicha rules disable` performs.
    press(&mut app, &[key('D')]);
    assert_eq!(app.dialog_kind(), Some(DialogKind::Confirm));
    press(&mut app, &[key('y')]);
    assert!(!enabled(&path, "X-MTR-EVT"));
    assert_eq!(log_count(&path, "rules.disable"), 1);
    let s = screen(&mut app, 120, 30);
    assert!(s.contains("disabled"), "{s}");
    // Disabling again changes nothing: said at the key.
    press(&mut app, &[key('D')]);
    assert_eq!(app.dialog_kind(), None);
    press(&mut app, &[key('E'), key('y')]);
    assert!(enabled(&path, "X-MTR-EVT"));
    assert_eq!(log_count(&path, "rules.enable"), 1);
    // A built-in rule is not switched.
    select_rule(&mut app, "ARC-01");
    press(&mut app, &[key('D')]);
    assert_eq!(app.dialog_kind(), None);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Only a site rule"), "{s}");
}

#[test]
fn site_rules_refused_for_a_reviewer_and_readable_everywhere() {
    let (_d, path) = dataset();
    with_site_rule(&path);
    let mut app = app(&path, "reviewer1", Role::Reviewer, Lang::Zh);
    press(&mut app, &[key('K')]);
    select_rule(&mut app, "X-MTR-EVT");
    press(&mut app, &[key('D')]);
    assert_eq!(app.dialog_kind(), None, "no question for a reviewer");
    assert!(enabled(&path, "X-MTR-EVT"));
    for lang in [Lang::En, Lang::Zh] {
        let mut app = ui_fixture::app(&path, "admin1", Role::Admin, lang);
        press(&mut app, &[key('K')]);
        select_rule(&mut app, "X-MTR-EVT");
        for (w, h) in SIZES {
            let s = screen(&mut app, w, h);
            let word = match lang {
                Lang::En => "Rules and their source",
                Lang::Zh => "规则及来源",
            };
            assert!(s.contains(word) && s.contains("X-MTR-EVT"), "{w}x{h}\n{s}");
            let tag = format!("site_rules_{lang:?}_{w}x{h}").to_lowercase();
            insta::assert_snapshot!(tag, s);
        }
    }
}
