//! Saved views: saving the filter under a name (a logged change), recalling it gives the same
//! rows, pinning one puts it on the dashboard with its count, deleting asks first; each
//! operator's own; a bad name is refused in the dialog; an old dataset gains the table.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::context::{Lang, Role};
use jicha::ui::app::{App, ScreenId};
use jicha::ui::dialog::{Choice, Confirm, Prompt};
use ui_fixture::*;

fn ids(app: &App) -> Vec<i64> {
    list(app).ids.clone().unwrap()
}

fn log_actions(app: &App) -> Vec<String> {
    let mut st = app
        .ds
        .conn
        .prepare("SELECT action FROM action_log WHERE action LIKE 'view.%' ORDER BY seq")
        .unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// operator, name, severity, status, pinned
type Saved = (String, String, Option<String>, Option<String>, i64);

fn saved(app: &App) -> Vec<Saved> {
    let mut st = app
        .ds
        .conn
        .prepare("SELECT operator, name, severity, status, pinned FROM saved_views ORDER BY id")
        .unwrap();
    st.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// Findings: high severity, the open queue, saved as `高风险 未关闭`.
fn save_high_open(a: &mut App) -> Vec<i64> {
    press(a, &[key('2'), key('v')]);
    assert_eq!(list(a).filter.severity.as_deref(), Some("high"));
    let rows = ids(a);
    press(a, &[key('S')]);
    type_text(a, "高风险 未关闭\n");
    rows
}

#[test]
fn a_saved_view_is_logged_and_recalled_gives_the_same_rows() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    let rows = save_high_open(&mut a);
    assert!(a.dialog().is_none());
    assert_eq!(
        saved(&a),
        vec![(
            "auditor1".into(),
            "高风险 未关闭".into(),
            Some("high".into()),
            Some("open".into()),
            0
        )]
    );
    assert_eq!(log_actions(&a), ["view.save"]);
    press(&mut a, &[key('0')]);
    assert_ne!(ids(&a), rows, "clearing the filters shows more");
    press(&mut a, &[key('b')]);
    assert!(a.dialog_as::<Choice>().unwrap().items[0].contains("高风险 未关闭"));
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(ids(&a), rows);
    // The command line recalls it too.
    press(&mut a, &[key('0'), key(':')]);
    type_text(&mut a, "view 高");
    press(&mut a, &[code(KeyCode::Tab), code(KeyCode::Enter)]);
    assert_eq!(ids(&a), rows);
}

#[test]
fn pinning_puts_the_view_on_the_dashboard_with_its_count() {
    for lang in [Lang::En, Lang::Zh] {
        let (_d, p) = dataset();
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        let rows = save_high_open(&mut a);
        // b, then "pin…" (after the one view), then the view.
        press(&mut a, &[key('b'), key('2'), key('1')]);
        assert_eq!(saved(&a)[0].4, 1);
        assert_eq!(log_actions(&a), ["view.save", "view.pin"]);
        press(&mut a, &[key('1')]);
        assert_eq!(a.screen, ScreenId::Dashboard);
        let s = screen(&mut a, 80, 24);
        let (title, count) = match lang {
            Lang::En => (
                "Pinned view: 高风险 未关闭",
                format!("{} findings", rows.len()),
            ),
            Lang::Zh => ("固定视图：高风险 未关闭", format!("{} 条异常", rows.len())),
        };
        assert!(s.contains(title) && s.contains(&count), "{s}");
        let wide = screen(&mut a, 120, 30);
        assert!(wide.contains(&count), "{wide}");
    }
}

#[test]
fn deleting_asks_first_and_views_are_each_operators_own() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    save_high_open(&mut a);
    let mut b = app(&p, "auditor2", Role::Auditor, Lang::En);
    press(&mut b, &[key('2'), key('b')]);
    assert!(b.dialog().is_none());
    assert!(b.status.as_ref().unwrap().text.contains("no saved views"));
    // "Delete…" is the entry after "pin…".
    press(&mut a, &[key('b'), key('3'), key('1')]);
    assert!(a
        .dialog_as::<Confirm>()
        .unwrap()
        .question
        .contains("(1 view)"));
    assert_eq!(saved(&a).len(), 1, "nothing before the answer");
    press(&mut a, &[key('y')]);
    assert!(saved(&a).is_empty());
    assert_eq!(log_actions(&a), ["view.save", "view.delete"]);
}

#[test]
fn a_bad_name_is_refused_in_the_dialog() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key('S')]);
    type_text(&mut a, &"x".repeat(41));
    press(&mut a, &[code(KeyCode::Enter)]);
    let p = a.dialog_as::<Prompt>().expect("still open");
    assert!(
        p.error.as_deref().unwrap().contains("1 to 40"),
        "{:?}",
        p.error
    );
    assert!(saved(&a).is_empty());
}

#[test]
fn a_viewer_keeps_views_too() {
    let (_d, p) = dataset();
    let mut a = app(&p, "viewer9", Role::Viewer, Lang::En);
    save_high_open(&mut a);
    assert_eq!(saved(&a).len(), 1);
}

/// A dataset of schema 9 (before saved views) with a ticket and its history: it opens with
/// `saved_views` added and the ticket as it was.
#[test]
fn an_old_dataset_gains_saved_views_and_keeps_its_tickets() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v9.jicha");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA journal_mode=WAL;").unwrap();
    for sql in [
        include_str!("../src/db/sql/001_init.sql"),
        include_str!("../src/db/sql/002_tickets.sql"),
        include_str!("../src/db/sql/003_quality.sql"),
        include_str!("../src/db/sql/004_state_ledger.sql"),
        include_str!("../src/db/sql/005_site_rules.sql"),
        include_str!("../src/db/sql/006_units.sql"),
        include_str!("../src/db/sql/007_review_chain.sql"),
        include_str!("../src/db/sql/008_escalations.sql"),
        include_str!("../src/db/sql/009_quality_levels.sql"),
    ] {
        conn.execute_batch(sql).unwrap();
    }
    conn.execute_batch(&format!(
        "PRAGMA user_version = 9; PRAGMA application_id = {};
         INSERT INTO tickets(id, number, state, unit, requirement, issued_by, issued_on, due_on)
           VALUES (1, 'JC-20261102-001', 'rectifying', '城关供电所', '核实户名', 'auditor1', '2026-11-02', '2026-11-09');
         INSERT INTO ticket_events(ticket_id, business_date, at_utc, operator, from_state, to_state, details)
           VALUES (1, '2026-11-02', '2026-11-02T01:00:00Z', 'auditor1', NULL, 'dispatched', '{{}}'),
                  (1, '2026-11-03', '2026-11-03T01:00:00Z', 'auditor1', 'dispatched', 'rectifying', '{{}}');",
        jicha::db::migrations::APPLICATION_ID
    ))
    .unwrap();
    drop(conn);
    let mut ds = jicha::db::Dataset::open(&path).unwrap();
    assert_eq!(
        jicha::db::migrations::user_version(&ds.conn).unwrap(),
        jicha::db::migrations::SCHEMA_VERSION
    );
    let today = jicha::dates::parse_date("2026-11-13").unwrap();
    let t = jicha::tickets::get(&ds.conn, "JC-20261102-001", today).unwrap();
    assert_eq!(jicha::tickets::events(&ds.conn, t.id).unwrap().len(), 2);
    assert!(jicha::views::list(&ds.conn, "auditor1").unwrap().is_empty());
    let c = ctx("auditor1", Role::Auditor, Lang::En);
    let save = jicha::actions::views::ViewChange::Save {
        name: "mine".into(),
        filter: jicha::findings::Filter::default(),
    };
    jicha::actions::views::perform(&mut ds, &c, &save).unwrap();
    assert_eq!(jicha::views::list(&ds.conn, "auditor1").unwrap().len(), 1);
}
