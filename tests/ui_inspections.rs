//! 现场稽查 in the terminal UI: planning an inspection from the marked findings of the
//! findings screen, the inspections screen (views, overdue marking, one inspection's page) and
//! the 现场处理单 form driven by keys, at 80×24 and 120×30 in both languages.

mod ui_fixture;

use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::inspections::{self, Method};
use jicha::ui::app::App;
use jicha::ui::dialog::{DialogKind, Form};
use jicha::ui::screen::inspections::Inspections;
use jicha::ui::screen::Tone;
use std::path::Path;
use ui_fixture::*;

fn status_line(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn finding_status(app: &App, id: i64) -> (String, Option<String>) {
    app.ds
        .conn
        .query_row(
            "SELECT status, resolution FROM findings WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

/// Findings 4 and 2 (both 城关供电所) marked, an inspection planned from the form.
fn plan_from_two_marked(a: &mut App) {
    press(a, &[key('2'), key('j'), key(' '), key(' ')]);
    assert_eq!(list(a).marked.len(), 2);
    press(a, &[key('I')]);
    assert_eq!(a.dialog_kind(), Some(DialogKind::Form));
    // Method (onsite) and planned date (today) are prefilled: Enter moves on.
    type_text(a, "\n\n张工,李工");
    press(a, &[ctrl('s')]);
    assert_eq!(a.dialog_kind(), None, "{}", status_line(a));
    assert_eq!(
        a.status.as_ref().unwrap().tone,
        Tone::Info,
        "{}",
        status_line(a)
    );
}

#[test]
fn an_inspection_is_planned_from_the_marked_findings() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    plan_from_two_marked(&mut a);
    assert!(
        status_line(&a).contains("XC-20261102-001"),
        "{}",
        status_line(&a)
    );
    let i = inspections::get(&a.ds.conn, "XC-20261102-001", day(TODAY)).unwrap();
    assert_eq!(i.inspectors, vec!["张工", "李工"]);
    assert_eq!(i.unit, "城关供电所");
    let ids: Vec<i64> = inspections::checked(&a.ds.conn, i.id)
        .unwrap()
        .iter()
        .map(|c| c.finding)
        .collect();
    assert_eq!(ids, vec![2, 4]);
    assert!(
        list(&a).marked.is_empty(),
        "the marks are cleared once applied"
    );
}

#[test]
fn planning_without_inspectors_is_refused_in_the_form() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    press(&mut a, &[key('2'), key('I')]);
    type_text(&mut a, "\n\n");
    press(&mut a, &[ctrl('s')]);
    let f = a.dialog_as::<Form>().expect("the form stays open");
    assert!(
        f.error.as_deref().unwrap_or("").contains("稽查人员"),
        "{:?}",
        f.error
    );
}

#[test]
fn the_result_is_recorded_by_keys_and_drives_the_findings() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    plan_from_two_marked(&mut a);
    press(&mut a, &[key('9')]);
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("XC-20261102-001"), "{s}");
    press(&mut a, &[key('r')]);
    assert_eq!(a.dialog_kind(), Some(DialogKind::Form));
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("现场处理单"), "{s}");
    // A result that cannot be read keeps the form open on its field.
    type_text(&mut a, "\n也许\n");
    press(&mut a, &[ctrl('s')]);
    let f = a.dialog_as::<Form>().expect("still open");
    assert!(
        f.error.as_deref().unwrap_or("").contains("属实"),
        "{:?}",
        f.error
    );
    assert_eq!(f.focus, 1);
    // Visit date kept; finding 2: 属实 窃电 with amounts; finding 4: 不属实; the account.
    for _ in 0.."也许".chars().count() {
        press(&mut a, &[code(crossterm::event::KeyCode::Backspace)]);
    }
    type_text(
        &mut a,
        "属实 窃电 1200 780 2340\n不属实\n表计接线被改动；4 号核实无误",
    );
    press(&mut a, &[ctrl('s')]);
    assert_eq!(a.dialog_kind(), None, "{}", status_line(&a));
    assert!(status_line(&a).contains("已记录"), "{}", status_line(&a));
    assert_eq!(finding_status(&a, 2), ("confirmed".into(), None));
    assert_eq!(
        finding_status(&a, 4),
        ("closed".into(), Some("false_positive".into()))
    );
    let i = inspections::get(&a.ds.conn, "XC-20261102-001", day(TODAY)).unwrap();
    assert_eq!(i.state.as_str(), "recorded");
    assert_eq!(i.account.as_deref(), Some("表计接线被改动；4 号核实无误"));
    let c = inspections::checked(&a.ds.conn, i.id).unwrap();
    assert_eq!(c[0].back_kwh, Some(1200.0));
    assert_eq!(c[0].penalty_yuan, Some(2340.0));
    // The recorded view, then the page.
    press(&mut a, &[key('v'), key('v')]);
    let st = a.screen_state::<Inspections>().unwrap();
    assert_eq!(st.view_name(), "recorded");
    press(&mut a, &[code(crossterm::event::KeyCode::Enter)]);
    let s = screen(&mut a, 80, 24);
    for w in [
        "已记录",
        "属实",
        "窃电",
        "1200.00",
        "不属实",
        "表计接线被改动",
    ] {
        assert!(s.contains(w), "{w}:\n{s}");
    }
}

/// An inspection planned on 2026-10-30 for 2026-10-31 and not recorded: overdue on TODAY.
fn overdue(path: &Path) {
    let mut ds = Dataset::open(path).unwrap();
    let mut c = ctx("auditor1", Role::Auditor, Lang::En);
    c.today = day("2026-10-30");
    jicha::actions::inspections::create_for(
        &mut ds,
        &c,
        &[5],
        Method::Onsite,
        day("2026-10-31"),
        vec!["赵工".into()],
        None,
        None,
    )
    .unwrap();
}

#[test]
fn overdue_inspections_are_marked_in_the_list_and_counted_on_the_dashboard() {
    let (_d, p) = dataset();
    overdue(&p);
    for lang in [Lang::En, Lang::Zh] {
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        let (mark, count, title) = match lang {
            Lang::En => ("overdue", "inspections overdue 1", "On-site inspections"),
            Lang::Zh => ("超期", "现场稽查超期 1", "现场稽查"),
        };
        for (w, h) in [(120, 30), (80, 24)] {
            let s = screen(&mut a, w, h);
            assert!(s.contains(count), "{lang:?} {w}x{h}:\n{s}");
        }
        press(&mut a, &[key('9')]);
        for (w, h) in [(80, 24), (120, 30)] {
            let s = screen(&mut a, w, h);
            let row = s
                .lines()
                .find(|l| l.contains("XC-20261030-001"))
                .unwrap_or_else(|| panic!("{lang:?} {w}x{h}:\n{s}"));
            assert!(row.contains(mark), "{lang:?} {w}x{h}: {row}");
            assert!(row.contains("2026-10-31"), "{lang:?} {w}x{h}: {row}");
            assert!(s.contains(title), "{lang:?} {w}x{h}:\n{s}");
        }
        press(&mut a, &[key('v')]);
        assert_eq!(
            a.screen_state::<Inspections>().unwrap().view_name(),
            "overdue"
        );
        press(&mut a, &[code(crossterm::event::KeyCode::Enter)]);
        for (w, h) in [(80, 24), (120, 30)] {
            let s = screen(&mut a, w, h);
            assert!(
                s.contains("赵工") && s.contains(mark),
                "{lang:?} {w}x{h}:\n{s}"
            );
        }
        // Back leaves the page for the list, then the screen.
        press(&mut a, &[code(crossterm::event::KeyCode::Esc)]);
        assert!(a.screen_state::<Inspections>().unwrap().page.is_none());
    }
}

#[test]
fn cancelling_asks_for_a_reason() {
    let (_d, p) = dataset();
    overdue(&p);
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('9'), key('X')]);
    assert_eq!(a.dialog_kind(), Some(DialogKind::Editor));
    type_text(&mut a, "customer moved away");
    press(&mut a, &[ctrl('s')]);
    assert_eq!(a.dialog_kind(), None, "{}", status_line(&a));
    let i = inspections::get(&a.ds.conn, "XC-20261030-001", day(TODAY)).unwrap();
    assert_eq!(i.state.as_str(), "cancelled");
    assert_eq!(i.cancel_reason.as_deref(), Some("customer moved away"));
}
