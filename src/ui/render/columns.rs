//! Column fitting for the tables: every column asks for the width of its widest cell, figures
//! are never cut (a column that does not fit is dropped, the least important first), and text
//! columns share what is left. One rule for every list, so a wide terminal shows more columns
//! and a narrow one shows fewer, whole.

use crate::text;

/// One column as a table wants it.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// The width its widest cell (or heading) takes.
    pub want: usize,
    /// The narrowest it may be drawn: a figure column's is its `want` (figures are never cut).
    pub min: usize,
    /// Its share of the width left over once every column has its `min` (0: never more than
    /// `want`; a flexible column grows past `want` only when it is the last to grow).
    pub flex: usize,
    /// Higher is kept longer: when the columns do not fit, the lowest goes first.
    pub keep: u8,
}

impl Spec {
    /// A figure (count, amount, date): exactly as wide as its widest cell.
    pub fn figure(cells: impl IntoIterator<Item = usize>, head: usize, keep: u8) -> Spec {
        let want = cells.into_iter().max().unwrap_or(0).max(head);
        Spec {
            want,
            min: want,
            flex: 0,
            keep,
        }
    }

    /// Text that may be cut (with `…`) down to `min` columns and shares the rest by `flex`.
    pub fn text(
        cells: impl IntoIterator<Item = usize>,
        head: usize,
        min: usize,
        flex: usize,
        keep: u8,
    ) -> Spec {
        let want = cells.into_iter().max().unwrap_or(0).max(head);
        Spec {
            want,
            min: min.min(want).max(head.min(min)),
            flex,
            keep,
        }
    }
}

/// The widths of `cols` in `width` columns with one space between neighbours: None for a
/// column dropped because even its narrowest does not fit beside the more important ones.
pub fn fit(cols: &[Spec], width: usize) -> Vec<Option<usize>> {
    let mut shown: Vec<bool> = vec![true; cols.len()];
    let need = |shown: &[bool]| -> usize {
        let n = shown.iter().filter(|s| **s).count();
        cols.iter()
            .zip(shown)
            .filter(|(_, s)| **s)
            .map(|(c, _)| c.min)
            .sum::<usize>()
            + n.saturating_sub(1)
    };
    while need(&shown) > width {
        // The least important shown column; of equals, the rightmost.
        let Some(drop) = (0..cols.len())
            .filter(|i| shown[*i])
            .min_by_key(|i| (cols[*i].keep, usize::MAX - *i))
        else {
            break;
        };
        shown[drop] = false;
    }
    let mut w: Vec<usize> = cols.iter().map(|c| c.min).collect();
    let mut left = width.saturating_sub(need(&shown));
    // First every column up to what it wants, the most important first.
    let mut order: Vec<usize> = (0..cols.len()).filter(|i| shown[*i]).collect();
    order.sort_by_key(|i| (std::cmp::Reverse(cols[*i].keep), *i));
    // Fixed columns (figures, short words) take their whole want before text shares the rest.
    for i in order.iter().copied().filter(|i| cols[*i].flex == 0) {
        let more = cols[i].want.saturating_sub(w[i]).min(left);
        w[i] += more;
        left -= more;
    }
    // Flexible columns share the rest by `flex`, each up to its want; what they do not want
    // goes to the last flexible column (the evidence: it has the most to say).
    let flexible: Vec<usize> = order
        .iter()
        .copied()
        .filter(|i| cols[*i].flex > 0)
        .collect();
    loop {
        let hungry: Vec<usize> = flexible
            .iter()
            .copied()
            .filter(|i| w[*i] < cols[*i].want)
            .collect();
        let shares: usize = hungry.iter().map(|i| cols[*i].flex).sum();
        if left == 0 || hungry.is_empty() {
            break;
        }
        let mut given = 0;
        for i in &hungry {
            let share = (left * cols[*i].flex / shares).max(1);
            let more = share.min(cols[*i].want - w[*i]).min(left - given);
            w[*i] += more;
            given += more;
        }
        left -= given;
        if given == 0 {
            break;
        }
    }
    if let Some(last) = (0..cols.len())
        .filter(|i| shown[*i] && cols[*i].flex > 0)
        .max()
    {
        w[last] += left;
    }
    w.into_iter()
        .zip(shown)
        .map(|(w, s)| s.then_some(w))
        .collect()
}

/// Cut to `w` columns (with `…` when cut) and padded, left or right aligned. Text is never
/// cut inside a number: a cut that would land in one (`mean 100,0…`) goes back to the space
/// before it (`mean…`), so a `…` never reads as part of a figure.
pub fn pad(s: &str, w: usize, right: bool) -> String {
    let t = cut_text(s, w);
    let fill = " ".repeat(w.saturating_sub(text::width(&t)));
    if right {
        format!("{fill}{t}")
    } else {
        format!("{t}{fill}")
    }
}

/// `s` cut to `w` columns, never inside a number (see `pad`).
pub fn cut_text(s: &str, w: usize) -> String {
    let t = text::truncate(s, w);
    let Some(kept) = t.strip_suffix('…') else {
        return t.into_owned();
    };
    let fig = |c: char| c.is_ascii_digit() || ".,%:-/".contains(c);
    let next = s[kept.len()..].chars().next();
    let ends_in_number = kept.chars().next_back().is_some_and(fig) && next.is_some_and(fig);
    // A number starting right at the cut (`mean 1…`); a digit inside a word (`[2J`, `X1`) is
    // not one.
    let starts_a_number = next.is_some_and(|c| c.is_ascii_digit())
        && kept.chars().next_back().is_some_and(char::is_whitespace);
    // An amount is not whole without its unit.
    let unit_cut = kept.chars().next_back().is_some_and(fig)
        && s[kept.len()..].trim_start().starts_with(['元', '%']);
    if !(ends_in_number || starts_a_number || unit_cut) {
        return t.into_owned();
    }
    let word = kept.trim_end_matches(|c: char| !c.is_whitespace());
    let back = word.trim_end();
    if back.is_empty() {
        // One long number: nothing before it to stop at. Text that is not all figure (a name
        // with a digit in it) is cut as text.
        if kept.chars().any(|c| !fig(c) && !c.is_whitespace()) {
            return t.into_owned();
        }
        return "…".to_string();
    }
    format!("{back}…")
}

/// `s` from display column `from` on (horizontal scroll), never splitting a wide character:
/// one whose left half is scrolled off is left out whole.
pub fn skip_cols(s: &str, from: usize) -> &str {
    let mut col = 0;
    for (i, c) in s.char_indices() {
        if col >= from {
            return &s[i..];
        }
        col += text::width(c.encode_utf8(&mut [0; 4]));
    }
    ""
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_is_never_cut_the_least_important_column_goes_first() {
        let cols = [
            Spec::figure([7], 1, 9),
            Spec::text([30], 4, 6, 1, 5),
            Spec::figure([12], 6, 2),
            Spec::figure([10], 6, 8),
        ];
        // 7 + 6 + 12 + 10 + 3 gaps = 38: at 30 the 12-wide figure (keep 2) is dropped.
        let w = fit(&cols, 30);
        assert_eq!(w, vec![Some(7), Some(11), None, Some(10)]);
        let w = fit(&cols, 80);
        assert_eq!(w[2], Some(12));
        assert_eq!(w[0], Some(7));
        // The text column takes the rest: 80 - 7 - 12 - 10 - 3.
        assert_eq!(w[1], Some(48));
    }

    #[test]
    fn text_columns_share_by_flex_up_to_what_they_want() {
        let cols = [Spec::text([10], 2, 4, 3, 5), Spec::text([100], 2, 4, 5, 4)];
        let w = fit(&cols, 61);
        assert_eq!(w, vec![Some(10), Some(50)]);
    }

    #[test]
    fn scrolling_never_splits_a_wide_character() {
        assert_eq!(skip_cols("ab用电", 2), "用电");
        assert_eq!(skip_cols("ab用电", 3), "电");
        assert_eq!(skip_cols("ab", 5), "");
        assert_eq!(pad("1234", 6, true), "  1234");
        assert_eq!(pad("用电检查", 5, false), "用电…");
        assert_eq!(
            pad("kWh fell 70% (mean 100,000", 24, false),
            "kWh fell 70% (mean…     "
        );
        assert_eq!(cut_text("phone 13800000001 ok", 12), "phone…");
        assert_eq!(cut_text("amount -99.00 元", 14), "amount…");
        assert_eq!(cut_text("model DD862 is obsolete", 12), "model DD862…");
    }
}
