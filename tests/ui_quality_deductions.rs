//! The quality screen's deductions (`d` on a unit): the indicators with their sources, the
//! unit's business deduction proposed at dispatch, and a reviewer's adjustment with a reason —
//! the action `jicha deduction adjust` performs, logged; the role checked before the form.
//!
//! On top of the UI fixture: ticket JC-20261102-001 for findings 1 and 2 (城关供电所), whose
//! business deduction the seeded standard proposes at dispatch.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::actions::{perform as act, Action};
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::ui::app::{App, ScreenId};
use jicha::ui::dialog::{DialogKind, Form};
use jicha::ui::screen::deductions::Deductions;
use jicha::ui::screen::quality::Quality;
use std::path::{Path, PathBuf};
use ui_fixture::*;

const GUAN: &str = "城关供电所";
const TICKET: &str = "JC-20261102-001";

fn with_ticket() -> (tempfile::TempDir, PathBuf) {
    let (d, p) = dataset();
    let mut ds = Dataset::open(&p).unwrap();
    act(
        &mut ds,
        &ctx("auditor1", Role::Auditor, Lang::En),
        &Action::TicketCreate {
            findings: vec![1, 2],
            unit: None,
            person: None,
            due: None,
            requirement: "整改".into(),
        },
    )
    .unwrap();
    drop(ds);
    (d, p)
}

/// The business deduction as stored: (proposed, points, reason, adjusted by).
fn stored(p: &Path) -> (f64, f64, Option<String>, Option<String>) {
    let ds = Dataset::open(p).unwrap();
    ds.conn
        .query_row(
            "SELECT d.proposed, d.points, d.adjust_reason, d.adjusted_by FROM ticket_deductions d
             JOIN tickets t ON t.id = d.ticket_id WHERE t.number = ?1 AND d.kind = 'business'",
            [TICKET],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap()
}

fn logged(p: &Path, action: &str) -> i64 {
    let ds = Dataset::open(p).unwrap();
    ds.conn
        .query_row(
            "SELECT count(*) FROM action_log WHERE action = ?1",
            [action],
            |r| r.get(0),
        )
        .unwrap()
}

fn status_line(a: &App) -> String {
    a.status_text().map(|(_, s)| s).unwrap_or_default()
}

/// The quality screen, the cursor on 城关供电所, then `d`.
fn open_deductions(a: &mut App) {
    press(a, &[key('7')]);
    let at = a
        .screen_state::<Quality>()
        .unwrap()
        .rows()
        .iter()
        .position(|u| u.unit == GUAN)
        .expect("城关 is ranked");
    press(a, &[key('g')]);
    for _ in 0..at {
        press(a, &[key('j')]);
    }
    press(a, &[key('d')]);
    assert_eq!(a.screen, ScreenId::Deductions);
}

fn ded(a: &App) -> &Deductions {
    a.screen_state::<Deductions>().unwrap()
}

#[test]
fn a_unit_shows_its_business_deduction_and_the_indicators_sources() {
    let (_d, p) = with_ticket();
    let (proposed, points, _, _) = stored(&p);
    assert!(proposed > 0.0, "the standard proposes a deduction");
    assert_eq!(points, proposed);
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    open_deductions(&mut a);
    let data = ded(&a).data.as_ref().expect("loaded");
    assert_eq!(data.lines.len(), 1);
    assert_eq!(data.lines[0].number, TICKET);
    assert_eq!(data.lines[0].d.kind, "business");
    assert!(!data.indicators.is_empty());
    let text = screen(&mut a, 120, 30);
    assert!(text.contains(TICKET), "{text}");
    assert!(
        text.contains(&format!(
            "business proposed {}",
            jicha::ui::screen::deductions::points(proposed)
        )),
        "{text}"
    );
    assert!(text.contains("completion_rate"), "a source: {text}");
}

#[test]
fn an_auditor_is_refused_before_the_form_opens() {
    let (_d, p) = with_ticket();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    open_deductions(&mut a);
    press(&mut a, &[key('a')]);
    assert!(a.dialog().is_none(), "no form for an auditor");
    assert!(status_line(&a).contains("reviewer"), "{}", status_line(&a));
}

#[test]
fn a_reviewer_adjusts_the_deduction_with_a_reason_and_it_is_logged() {
    let (_d, p) = with_ticket();
    let (proposed, ..) = stored(&p);
    let mut a = app(&p, "reviewer1", Role::Reviewer, Lang::Zh);
    open_deductions(&mut a);
    press(&mut a, &[key('a')]);
    let form = a.dialog_as::<Form>().expect("the form");
    let shown = form.fields[0].text();
    assert_eq!(shown, jicha::ui::screen::deductions::points(proposed));
    for _ in 0..shown.chars().count() {
        press(&mut a, &[code(KeyCode::Backspace)]);
    }
    // Not a number: the form stays, on the points field.
    type_text(&mut a, "一分");
    press(&mut a, &[ctrl('s')]);
    assert_eq!(a.dialog_kind(), Some(DialogKind::Form));
    let form = a.dialog_as::<Form>().unwrap();
    assert_eq!(form.focus, 0);
    assert!(form.error.as_deref().unwrap_or("").contains("0 到 100"));
    for _ in 0..2 {
        press(&mut a, &[code(KeyCode::Backspace)]);
    }
    type_text(&mut a, "1");
    press(&mut a, &[code(KeyCode::Tab)]);
    type_text(&mut a, "两条异常为同一差错");
    press(&mut a, &[ctrl('s')]);
    a.settle();
    assert!(a.dialog().is_none(), "{}", status_line(&a));
    let (p2, points, reason, by) = stored(&p);
    assert_eq!(p2, proposed, "the proposal is kept");
    assert_eq!(points, 1.0);
    assert_eq!(reason.as_deref(), Some("两条异常为同一差错"));
    assert_eq!(by.as_deref(), Some("reviewer1"));
    assert_eq!(logged(&p, "deduction.adjust"), 1);
    let text = screen(&mut a, 80, 24);
    assert!(text.contains("调整为 1"), "{text}");
    assert!(text.contains("两条异常为同一差错"), "{text}");
}

#[test]
fn the_deductions_screen_at_three_sizes_in_both_languages() {
    let (_d, p) = with_ticket();
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        open_deductions(&mut a);
        for (w, h) in [(80, 24), (120, 30), (200, 50)] {
            let text = screen(&mut a, w, h);
            assert!(text.contains(TICKET), "{w}x{h}: {text}");
            insta::assert_snapshot!(format!("deductions_{tag}_{w}x{h}"), text);
        }
    }
}
