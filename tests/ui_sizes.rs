//! "Use the whole screen" (issue 16, item 3): every screen and its panels at 80×24, 120×30
//! and 200×50 in both languages, recorded as snapshots, and none of them cuts a figure: a `…`
//! inside a figure cell (digits, `%`, an amount in 元) fails (`ui_fixture::sizes`, the one
//! helper: a new screen gets the check by adding a test here).

mod ui_fixture;

use crossterm::event::{Event, KeyCode};
use jicha::context::{Lang, Role};
use ui_fixture::sizes::{cut_figures, every_size};
use ui_fixture::*;

#[test]
fn the_figure_check_finds_cut_figures_and_passes_whole_ones() {
    assert_eq!(
        cut_figures("│ 52000.00 元  100.0 % │"),
        Vec::<String>::new()
    );
    assert_eq!(cut_figures("│稽查问题完成率 1… │"), ["1…"]);
    assert_eq!(cut_figures("│ 5200… │ 12,3… │"), ["5200…", "12,3…"]);
    assert_eq!(cut_figures("  …元 "), ["…元"]);
    // Text cut after a word is text, not a figure.
    assert_eq!(
        cut_figures("│宏达机械加工厂有限责… │ model DD862 is obsol… │"),
        Vec::<String>::new()
    );
}

fn each(name: &str, keys: &[Event]) {
    let (_d, p) = dataset();
    each_on(&p, name, keys);
}

/// `keys` pressed on a fresh UI over `p`, the screen at every size in both languages.
fn each_on(p: &std::path::Path, name: &str, keys: &[Event]) {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut a = app(p, "auditor1", Role::Auditor, lang);
        press(&mut a, keys);
        every_size(&mut a, &format!("{name} {tag}"), |size, s| {
            insta::assert_snapshot!(format!("{name}_{tag}_{size}"), s);
        });
    }
}

#[test]
fn dashboard() {
    each("dashboard", &[]);
}

#[test]
fn findings() {
    each("findings", &[key('2')]);
}

#[test]
fn detail() {
    each("detail", &[key('2'), code(KeyCode::Enter)]);
}

#[test]
fn whitelist() {
    each("whitelist", &[key('4')]);
}

#[test]
fn tickets() {
    each("tickets", &[key('5')]);
}

#[test]
fn rules() {
    each("rules", &[key('3')]);
}

#[test]
fn reports() {
    each("reports", &[key('6')]);
}

#[test]
fn reports_chart() {
    each("reports_chart", &[key('6'), key('m')]);
}

#[test]
fn quality() {
    each("quality", &[key('7')]);
}

#[test]
fn quality_qc() {
    each("quality_qc", &[key('7'), key('c')]);
}

#[test]
fn theme() {
    each("theme", &[key('8')]);
}

#[test]
fn inspections() {
    each("inspections", &[key('9')]);
}

#[test]
fn campaigns() {
    each("campaigns", &[key('1'), key('z')]);
}

#[test]
fn action_log() {
    each("action_log", &[key('L')]);
}

#[test]
fn help_overlay() {
    each("help", &[key('2'), key('?')]);
}

/// A ticket of finding 5 (开发区供电所): the tickets queue with a row, and its page.
fn with_ticket() -> (tempfile::TempDir, std::path::PathBuf) {
    let (d, p) = dataset();
    let mut ds = jicha::db::Dataset::open(&p).unwrap();
    jicha::actions::perform(
        &mut ds,
        &ctx("auditor1", Role::Auditor, Lang::En),
        &jicha::actions::Action::TicketCreate {
            findings: vec![5],
            unit: None,
            person: Some("赵六".into()),
            due: Some(day("2026-11-20")),
            requirement: "现场核查计量装置并整改".into(),
        },
    )
    .unwrap();
    (d, p)
}

#[test]
fn tickets_with_a_ticket() {
    let (_d, p) = with_ticket();
    each_on(&p, "tickets_one", &[key('5')]);
}

#[test]
fn ticket_page() {
    let (_d, p) = with_ticket();
    each_on(&p, "ticket_page", &[key('5'), code(KeyCode::Enter)]);
}
