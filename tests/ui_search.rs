//! Issue 16 item 1, "find anything": `/` on every list filters as you type, `n` / `N` jump to
//! the next / previous match (wrapping), Esc clears a search before it leaves a screen (and
//! does nothing else), and a pick list filters its items the same way. The note key moved to
//! `a` (annotate) so that `n` is the next match everywhere.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::actions::{perform, Action};
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::ui::app::{App, ScreenId};
use jicha::ui::dialog::{Choice, Editor};
use jicha::ui::screen::{action_log::ActionLog, rules::Rules, tickets::Tickets, whitelist};
use std::path::Path;
use ui_fixture::*;

fn status_line(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// Three open tickets: findings 1 and 2 of 城关供电所, 5 of 开发区供电所.
fn tickets(path: &Path) {
    let mut ds = Dataset::open(path).unwrap();
    let c = ctx("auditor1", Role::Auditor, Lang::En);
    for (f, req) in [(1, "核实户名"), (5, "现场核查计量"), (2, "退费核实")] {
        perform(
            &mut ds,
            &c,
            &Action::TicketCreate {
                findings: vec![f],
                unit: None,
                person: None,
                due: Some(day("2026-11-20")),
                requirement: req.into(),
            },
        )
        .unwrap();
    }
}

fn ticket_units(a: &App) -> Vec<String> {
    a.screen_state::<Tickets>()
        .unwrap()
        .rows
        .as_ref()
        .unwrap()
        .iter()
        .map(|t| t.unit.clone())
        .collect()
}

#[test]
fn the_tickets_filter_as_you_type_and_back_clears_the_search_before_leaving() {
    let (_d, p) = dataset();
    tickets(&p);
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    press(&mut a, &[key('1'), key('5')]);
    assert_eq!(ticket_units(&a).len(), 3);
    press(&mut a, &[key('/')]);
    type_text(&mut a, "开发");
    // Filtered while the search line is still open.
    assert!(a.dialog().is_some(), "the search line is open");
    assert_eq!(ticket_units(&a), ["开发区供电所"]);
    press(&mut a, &[code(KeyCode::Enter)]);
    assert!(a.dialog().is_none());
    assert_eq!(ticket_units(&a), ["开发区供电所"], "Enter keeps the filter");
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("/开发"), "the title says what filters:\n{s}");
    // Back clears the search and stays on the screen…
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_eq!(a.screen, ScreenId::Tickets);
    assert_eq!(ticket_units(&a).len(), 3);
    let t = a.screen_state::<Tickets>().unwrap();
    assert_eq!(
        t.current().unwrap().unit,
        "开发区供电所",
        "cursor on the same row"
    );
    assert!(
        status_line(&a).contains("已清除搜索"),
        "{}",
        status_line(&a)
    );
    // …and only a second Back leaves it.
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_eq!(a.screen, ScreenId::Dashboard);
}

#[test]
fn the_search_lines_cancel_puts_back_the_filter_there_was() {
    let (_d, p) = dataset();
    tickets(&p);
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('5'), key('/')]);
    type_text(&mut a, "城关");
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(ticket_units(&a).len(), 2);
    press(&mut a, &[key('/')]);
    type_text(&mut a, "x");
    assert!(ticket_units(&a).is_empty(), "城关x matches nothing");
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_eq!(ticket_units(&a).len(), 2, "cancel: 城关 again");
}

#[test]
fn n_and_shift_n_jump_between_matches_after_back_cleared_the_filter() {
    let (_d, p) = dataset();
    tickets(&p);
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('5'), key('n')]);
    assert!(
        status_line(&a).contains("No search yet"),
        "{}",
        status_line(&a)
    );
    press(&mut a, &[key('/')]);
    type_text(&mut a, "城关");
    press(&mut a, &[code(KeyCode::Enter)]);
    let cur = |a: &App| a.screen_state::<Tickets>().unwrap().cursor;
    // With the filter every row is a match: n walks them and wraps.
    press(&mut a, &[key('n')]);
    assert_eq!(cur(&a), 1);
    assert_eq!(status_line(&a), "Match 2 of 2 for “城关”");
    press(&mut a, &[key('n')]);
    assert_eq!(cur(&a), 0, "wraps");
    // Back: the whole list; n / N jump over the 开发区 row.
    press(&mut a, &[code(KeyCode::Esc), key('g')]);
    let all = ticket_units(&a);
    assert_eq!(all.len(), 3);
    let matching: Vec<usize> = (0..3).filter(|i| all[*i] == "城关供电所").collect();
    press(&mut a, &[key('G')]);
    press(&mut a, &[key('n')]);
    assert_eq!(
        cur(&a),
        matching[0],
        "from the last row n wraps to the first match"
    );
    press(&mut a, &[key('n')]);
    assert_eq!(cur(&a), matching[1]);
    press(&mut a, &[key('N')]);
    assert_eq!(cur(&a), matching[0]);
    assert_eq!(status_line(&a), "Match 1 of 2 for “城关”");
    assert_eq!(a.screen, ScreenId::Tickets, "n / N never leave");
}

#[test]
fn the_whitelist_searches_by_customer_reason_and_state_word() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    press(&mut a, &[key('4')]);
    let entries = |a: &App| -> Vec<i64> {
        a.screen_state::<whitelist::Whitelist>()
            .unwrap()
            .entries
            .iter()
            .map(|e| e.id)
            .collect()
    };
    // The active view holds entry 1 (C005); 2 (C002, 长期空置房屋) awaits approval.
    assert_eq!(entries(&a), [1]);
    press(&mut a, &[key('/')]);
    type_text(&mut a, "c005");
    assert_eq!(entries(&a), [1], "户号 without case");
    type_text(&mut a, "x");
    assert!(entries(&a).is_empty());
    press(&mut a, &[ctrl('u')]);
    type_text(&mut a, "空置");
    press(&mut a, &[code(KeyCode::Enter)]);
    assert!(entries(&a).is_empty());
    // The filter stays with the next view: the pending entry matches.
    press(&mut a, &[key('v')]);
    assert_eq!(entries(&a), [2]);
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_eq!(
        a.screen,
        ScreenId::Whitelist,
        "Back cleared the search only"
    );
    assert!(!entries(&a).is_empty());
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_ne!(a.screen, ScreenId::Whitelist);
}

#[test]
fn the_rules_keep_their_groups_and_open_the_rule_found() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('3'), key('/')]);
    type_text(&mut a, "BIL-05");
    press(&mut a, &[code(KeyCode::Enter)]);
    let s = screen(&mut a, 120, 30);
    assert!(s.contains("BIL-05"), "{s}");
    assert!(!s.contains("ARC-01"), "other rules hidden:\n{s}");
    let r = a.screen_state::<Rules>().unwrap();
    assert_eq!(r.shown_ids(&Default::default(), Lang::En).len(), 1);
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(a.screen, ScreenId::Findings);
    assert_eq!(list(&a).filter.rule.as_deref(), Some("BIL-05"));
}

#[test]
fn a_is_the_note_key_and_n_jumps_on_the_findings_list() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key('a')]);
    assert!(a.dialog_as::<Editor>().is_some(), "a: the note editor");
    press(&mut a, &[code(KeyCode::F(10))]);
    assert!(a.dialog().is_none());
    press(&mut a, &[key('n')]);
    assert!(a.dialog().is_none(), "n opens no editor");
    assert!(
        status_line(&a).contains("No search yet"),
        "{}",
        status_line(&a)
    );
    // Search C003 (宏达…): findings 5 and 7 are its, only 5 is open.
    press(&mut a, &[key('/')]);
    type_text(&mut a, "C001");
    press(&mut a, &[code(KeyCode::Enter)]);
    let ids = list(&a).ids.clone().unwrap();
    assert!(ids.len() >= 2, "{ids:?}");
    press(&mut a, &[key('n')]);
    assert_eq!(list(&a).cursor, 1);
    // Back: the whole open list, on the same finding; n goes to the next C001 finding.
    let on = list(&a).current().unwrap().id;
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_eq!(a.screen, ScreenId::Findings);
    assert_eq!(list(&a).filter.text, None);
    assert_eq!(list(&a).current().unwrap().id, on, "cursor kept");
    let all = list(&a).ids.clone().unwrap();
    assert!(all.len() > ids.len());
    for _ in 0..ids.len() {
        press(&mut a, &[key('n')]);
        let r = list(&a).current().unwrap();
        assert_eq!(r.cust_no, "C001", "n lands on matches only");
    }
    assert!(
        status_line(&a).contains("for “C001”"),
        "{}",
        status_line(&a)
    );
}

#[test]
fn the_action_log_filters_its_pages_and_n_finds_records_in_the_whole_log() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    // Three logged changes: two notes and a confirm.
    press(&mut a, &[key('2'), key('a')]);
    type_text(&mut a, "第一条");
    press(&mut a, &[ctrl('s')]);
    press(&mut a, &[key('c')]);
    press(&mut a, &[key('j'), key('a')]);
    type_text(&mut a, "第二条");
    press(&mut a, &[ctrl('s')]);
    press(&mut a, &[key('L')]);
    assert_eq!(a.screen, ScreenId::Log);
    let total = |a: &App| {
        a.screen_state::<ActionLog>()
            .unwrap()
            .page
            .as_ref()
            .unwrap()
            .total
    };
    let all = total(&a);
    assert!(all >= 3, "{all}");
    press(&mut a, &[key('/')]);
    type_text(&mut a, "finding.note");
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(total(&a), 2, "only the notes");
    let s = screen(&mut a, 120, 30);
    assert!(!s.contains("finding.confirm"), "{s}");
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_eq!(a.screen, ScreenId::Log);
    assert_eq!(total(&a), all);
    // Newest first: the note of finding 4, the confirm, the note of finding 5.
    press(&mut a, &[key('g'), key('n')]);
    let sel = a
        .screen_state::<ActionLog>()
        .unwrap()
        .selected()
        .unwrap()
        .clone();
    assert_eq!(
        (sel.action.as_str(), sel.target.as_str()),
        ("finding.note", "finding:5"),
        "n goes down the log, over the confirm"
    );
    assert_eq!(status_line(&a), "Match 2 of 2 for “finding.note”");
    press(&mut a, &[key('n')]);
    let next = a
        .screen_state::<ActionLog>()
        .unwrap()
        .selected()
        .unwrap()
        .clone();
    assert_eq!(next.target, "finding:4", "wraps to the newest");
    assert_eq!(status_line(&a), "Match 1 of 2 for “finding.note”");
    press(&mut a, &[key('N')]);
    let back = a
        .screen_state::<ActionLog>()
        .unwrap()
        .selected()
        .unwrap()
        .clone();
    assert_eq!(back.target, "finding:5", "N wraps the other way");
}

#[test]
fn a_pick_list_filters_its_items_and_back_clears_the_search_first() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    // The reports' unit tree.
    press(&mut a, &[key('6'), key('u')]);
    let items = a.dialog_as::<Choice>().expect("the unit tree").items.len();
    press(&mut a, &[key('/')]);
    type_text(&mut a, "开发");
    let c = a.dialog_as::<Choice>().unwrap();
    let shown = c.shown();
    assert_eq!(shown.len(), 1, "{:?}", c.items);
    assert!(c.items[shown[0]].contains("开发区供电所"));
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("/开发"), "the search is shown:\n{s}");
    // Esc clears the search; the dialog stays.
    press(&mut a, &[code(KeyCode::Esc)]);
    let c = a.dialog_as::<Choice>().expect("still open");
    assert_eq!(c.shown().len(), items);
    press(&mut a, &[key('/')]);
    type_text(&mut a, "开发");
    press(&mut a, &[code(KeyCode::Enter)]);
    assert!(a.dialog().is_none(), "Enter took the one shown");
    let r = a
        .screen_state::<jicha::ui::screen::reports::Reports>()
        .unwrap();
    assert_eq!(r.unit.as_deref(), Some("开发区供电所"));
}

#[test]
fn the_keymaps_bind_search_and_the_matches_on_every_list_and_the_help_lists_them() {
    for name in ["default", "vim"] {
        let km = jicha::ui::load_keymap(name, Some(Path::new("/dev/null"))).unwrap();
        use jicha::ui::keymap::{Action as K, Context, Key};
        for ctx in [
            Context::Findings,
            Context::Tickets,
            Context::Whitelist,
            Context::List,
            Context::Inspections,
            Context::Campaigns,
            Context::Log,
        ] {
            assert_eq!(km.lookup(ctx, Key::parse("/").unwrap()), Some(K::Search));
            assert_eq!(km.lookup(ctx, Key::parse("n").unwrap()), Some(K::NextMatch));
            assert_eq!(km.lookup(ctx, Key::parse("N").unwrap()), Some(K::PrevMatch));
        }
        assert_eq!(
            km.lookup(Context::Findings, Key::parse("a").unwrap()),
            Some(K::Note)
        );
        assert_eq!(
            km.lookup(Context::Detail, Key::parse("a").unwrap()),
            Some(K::DNote)
        );
    }
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('?')]);
    let s = screen(&mut a, 200, 50);
    assert!(s.contains("next match"), "{s}");
}
