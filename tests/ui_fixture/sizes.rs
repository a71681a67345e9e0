//! "Every panel of every screen readable at 80×24, 120×30 and 200×50" (issue 16, item 3): the
//! one helper every size test uses. `every_size` draws the app at each size, fails on a figure
//! cut short, and hands each screen to the caller's snapshot (so `insta` names it after the
//! calling test file). A new screen gets the check by calling it.

use super::screen;
use jicha::ui::app::App;

pub const SIZES: [(u16, u16); 3] = [(80, 24), (120, 30), (200, 50)];

/// The cells of `screen` that are figures cut short: a run of figure characters (digits,
/// `.`, `,`, `%`, `-`, `:`) that touches a `…`, or a `…` right before `元`. Runs are split on
/// spaces and box drawing, as the cells of a table are.
pub fn cut_figures(screen: &str) -> Vec<String> {
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

/// Draws `a` at every size of `SIZES`; fails when a figure is cut; gives `snap` the size
/// (`80x24`) and the screen for the caller's snapshot.
pub fn every_size(a: &mut App, what: &str, mut snap: impl FnMut(&str, String)) {
    for (w, h) in SIZES {
        let s = screen(a, w, h);
        let cut = cut_figures(&s);
        assert!(cut.is_empty(), "{what} {w}x{h}: figures cut {cut:?}\n{s}");
        snap(&format!("{w}x{h}"), s);
    }
}
