//! "Use the whole screen" (issue 16, item 3): the findings, detail, whitelist, tickets and
//! dashboard screens at 80×24, 120×30 and 200×50 in both languages, recorded as snapshots, and
//! none of them cuts a figure: a `…` inside a figure cell (digits, `%`, an amount in 元) fails.

mod ui_fixture;

use crossterm::event::{Event, KeyCode};
use jicha::context::{Lang, Role};
use ui_fixture::*;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 30), (200, 50)];

/// The cells of `screen` that are figures cut short: a run of figure characters (digits,
/// `.`, `,`, `%`, `-`, `:`) that touches a `…`, or a `…` right before `元`. Runs are split on
/// spaces and box drawing, as the cells of a table are.
fn cut_figures(screen: &str) -> Vec<String> {
    let is_fig = |c: char| c.is_ascii_digit() || ".,%-:/".contains(c);
    let mut found = Vec::new();
    for line in screen.lines() {
        // The `Hidden by multi-width symbols` note of the test backend is not on screen.
        let line = line.split("\" Hidden").next().unwrap_or(line);
        for cell in
            line.split(|c: char| c == ' ' || c == '"' || ('\u{2500}'..='\u{257f}').contains(&c))
        {
            let Some(at) = cell.find('…') else { continue };
            let before = cell[..at].chars().next_back();
            let after = cell[at + '…'.len_utf8()..].chars().next();
            let digits_before = cell[..at].chars().rev().take_while(|c| is_fig(*c)).count();
            let cut_number = before.is_some_and(|c| c.is_ascii_digit())
                && digits_before == cell[..at].chars().count();
            if cut_number
                || after == Some('元')
                || (after.is_some_and(|c| c.is_ascii_digit()) && at == 0)
            {
                found.push(cell.to_string());
            }
        }
    }
    found
}

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
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        press(&mut a, keys);
        for (w, h) in SIZES {
            let s = screen(&mut a, w, h);
            let cut = cut_figures(&s);
            assert!(
                cut.is_empty(),
                "{name} {tag} {w}x{h}: figures cut {cut:?}\n{s}"
            );
            insta::assert_snapshot!(format!("{name}_{tag}_{w}x{h}"), s);
        }
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
