//! The `:` command line: completion candidates, each command landing where it says, refusals
//! that name the nearest names, the commands in the help overlay; `/` searching as you type,
//! Esc clearing a search before it leaves the list; the fuzzy rule and unit pickers.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::context::{Lang, Role};
use jicha::ui::app::{App, ScreenId};
use jicha::ui::cmdline::CmdLine;
use jicha::ui::dialog::Picker;
use std::collections::BTreeSet;
use ui_fixture::*;

fn line(app: &App) -> &CmdLine {
    app.dialog_as::<CmdLine>()
        .expect("the command line is open")
}

fn cands(app: &App) -> Vec<String> {
    line(app)
        .candidates
        .iter()
        .map(|c| c.text.clone())
        .collect()
}

fn ids(app: &App) -> BTreeSet<i64> {
    list(app).ids.clone().unwrap().into_iter().collect()
}

fn ids_where(app: &App, sql_where: &str) -> BTreeSet<i64> {
    let mut st = app
        .ds
        .conn
        .prepare(&format!("SELECT id FROM findings WHERE {sql_where}"))
        .unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn run(app: &mut App, text: &str) {
    press(app, &[key(':')]);
    type_text(app, text);
    press(app, &[code(KeyCode::Enter)]);
}

#[test]
fn tab_completes_the_command_then_its_rule() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key(':')]);
    type_text(&mut a, "ru");
    assert_eq!(
        &cands(&a)[..2],
        ["rule", "rules"],
        "exact prefix, shortest first"
    );
    press(&mut a, &[code(KeyCode::Tab)]);
    assert_eq!(line(&a).text(), "rule ");
    type_text(&mut a, "bil-05");
    assert_eq!(cands(&a).first().map(String::as_str), Some("BIL-05"));
    // ↓ and Tab take the second candidate instead.
    press(&mut a, &[code(KeyCode::Backspace)]);
    let second = cands(&a)[1].clone();
    press(&mut a, &[code(KeyCode::Down), code(KeyCode::Tab)]);
    assert_eq!(line(&a).text(), format!("rule {second}"));
}

#[test]
fn rule_command_lands_on_that_rules_findings() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    run(&mut a, "rule bil-05");
    assert!(a.dialog().is_none(), "the command ran and closed");
    assert_eq!(a.screen, ScreenId::Findings);
    assert_eq!(list(&a).filter.rule.as_deref(), Some("BIL-05"));
    assert_eq!(ids(&a), ids_where(&a, "rule = 'BIL-05'"));
    assert_eq!(ids(&a).len(), 2);
}

#[test]
fn unit_command_completes_from_the_unit_tree_and_refuses_free_text() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key(':')]);
    type_text(&mut a, "unit 开发");
    assert_eq!(cands(&a), ["开发区供电所"]);
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(a.screen, ScreenId::Findings);
    assert_eq!(list(&a).filter.station.as_deref(), Some("开发区供电所"));
    assert_eq!(ids(&a), ids_where(&a, "cust_no = 'C003'"));

    run(&mut a, "unit 不存在的所");
    let err = line(&a).error.clone().expect("refused");
    assert!(err.contains("不存在的所"), "{err}");
    assert_eq!(
        list(&a).filter.station.as_deref(),
        Some("开发区供电所"),
        "nothing changed"
    );
}

#[test]
fn cust_ticket_and_unknown_commands() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    run(&mut a, "cust C00");
    let err = line(&a).error.clone().expect("C00 is a prefix of several");
    assert!(err.contains("C001"), "nearest named: {err}");
    press(&mut a, &[code(KeyCode::Esc)]);
    run(&mut a, "cust C003");
    assert_eq!(a.screen, ScreenId::Findings);
    assert_eq!(ids(&a), ids_where(&a, "cust_no = 'C003'"));

    run(&mut a, "ticket JC-20991231-001");
    assert!(line(&a)
        .error
        .as_deref()
        .unwrap()
        .contains("No ticket number"));
    press(&mut a, &[code(KeyCode::Esc)]);
    run(&mut a, "frobnicate");
    assert!(line(&a)
        .error
        .as_deref()
        .unwrap()
        .contains("Unknown command"));
}

#[test]
fn screen_commands_scan_help_and_quit() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    run(&mut a, "tickets");
    assert_eq!(a.screen, ScreenId::Tickets);
    run(&mut a, "whitelist");
    assert_eq!(a.screen, ScreenId::Whitelist);
    run(&mut a, "them");
    assert_eq!(
        a.screen,
        ScreenId::Theme,
        "the one candidate of an unfinished word"
    );
    run(&mut a, "zz");
    assert!(
        line(&a).error.as_deref().unwrap().contains("没有命令"),
        "zh refusal"
    );
    press(&mut a, &[code(KeyCode::Esc)]);
    run(&mut a, "help");
    assert_eq!(
        a.dialog().map(|d| d.kind()),
        Some(jicha::ui::dialog::DialogKind::Help)
    );
    press(&mut a, &[key('x')]);
    assert!(!a.wants_quit());
    run(&mut a, "q");
    assert!(a.wants_quit());
}

#[test]
fn the_help_overlay_lists_every_command() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('?')]);
    let mut seen = String::new();
    for _ in 0..40 {
        seen.push_str(&screen(&mut a, 80, 24));
        press(&mut a, &[code(KeyCode::PageDown)]);
    }
    for spec in jicha::ui::cmdline::COMMANDS {
        assert!(
            seen.contains(&format!(":{}", spec.name)),
            ":{} missing",
            spec.name
        );
    }
    assert!(seen.contains(":rule <rule>"));
}

#[test]
fn the_command_line_draws_its_candidates_at_80x24_in_both_languages() {
    for lang in [Lang::En, Lang::Zh] {
        let (_d, p) = dataset();
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        press(&mut a, &[key(':')]);
        type_text(&mut a, "unit ");
        let s = screen(&mut a, 80, 24);
        assert!(s.contains(":unit _"), "{s}");
        assert!(
            s.contains("城关供电所") && s.contains("开发区供电所"),
            "{s}"
        );
        let footer = if lang == Lang::En {
            "complete"
        } else {
            "补全"
        };
        assert!(s.contains(footer), "{s}");
    }
}

#[test]
fn slash_filters_as_you_type_and_esc_clears_it_before_leaving() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2')]);
    let all = ids(&a);
    press(&mut a, &[key('/')]);
    type_text(&mut a, "C00");
    assert_eq!(ids(&a), all, "every open finding's customer starts C00");
    type_text(&mut a, "3");
    assert_eq!(
        list(&a).filter.text.as_deref(),
        Some("C003"),
        "applied while typing"
    );
    assert_eq!(
        ids(&a),
        ids_where(&a, "cust_no = 'C003' AND status = 'new'")
    );
    press(&mut a, &[code(KeyCode::Enter)]);
    assert!(a.dialog().is_none());
    // Esc: the search goes first, the screen stays; then Esc leaves.
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_eq!(a.screen, ScreenId::Findings);
    assert_eq!(list(&a).filter.text, None);
    assert_eq!(ids(&a), all);
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_eq!(a.screen, ScreenId::Dashboard);
}

#[test]
fn cancelling_a_search_puts_back_the_text_before_it() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key('/')]);
    type_text(&mut a, "C001\n");
    let before = ids(&a);
    press(&mut a, &[key('/')]);
    type_text(&mut a, "zzz");
    assert!(ids(&a).is_empty());
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_eq!(list(&a).filter.text.as_deref(), Some("C001"));
    assert_eq!(ids(&a), before);
}

#[test]
fn the_rule_and_unit_pickers_match_fuzzily_and_answer_only_listed_names() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    press(&mut a, &[key('2'), key('r')]);
    type_text(&mut a, "thf-01");
    let first = a
        .dialog_as::<Picker>()
        .unwrap()
        .current()
        .unwrap()
        .name
        .clone();
    assert_eq!(first, "THF-01");
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(list(&a).filter.rule.as_deref(), Some("THF-01"));

    press(&mut a, &[key('u')]);
    type_text(&mut a, "开区");
    assert_eq!(a.dialog_as::<Picker>().unwrap().shown.len(), 1);
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(list(&a).filter.station.as_deref(), Some("开发区供电所"));
    // No name matches: nothing is answered, the picker says so.
    press(&mut a, &[key('u')]);
    type_text(&mut a, "qqq\n");
    assert!(a.dialog_as::<Picker>().unwrap().error.is_some());
    assert_eq!(list(&a).filter.station.as_deref(), Some("开发区供电所"));
}
