//! The line chart of the quality screen's trend and the theme screen's months, and the
//! horizontal bars of the reports and theme screens.

use crate::text;
use crate::ui::render::cut;
use crate::ui::theme::Theme;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph};
use ratatui::Frame;

/// A line chart of `series` over `area` with its exact values written under it (a chart's
/// shape alone does not say 36 or 40). Braille dots normally; with `--ascii`, `*` points joined
/// by `.` on an ASCII grid, since braille and the axes' box lines are not ASCII. `floor_max` is
/// the least top of the y-axis (100 for scores, so that 40 looks like 40 of 100).
pub fn line_chart(
    f: &mut Frame,
    theme: &Theme,
    area: Rect,
    series: &[(String, f64)],
    values: &[String],
    floor_max: f64,
) {
    let w = usize::from(area.width);
    let value_lines = wrap_tokens(values, w);
    let keep = value_lines
        .len()
        .min(usize::from(area.height.saturating_sub(3)));
    let [plot, under] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(keep as u16)]).areas(area);
    f.render_widget(
        Paragraph::new(
            value_lines
                .into_iter()
                .take(keep)
                .map(|l| Line::from(Span::styled(l, theme.dim())))
                .collect::<Vec<_>>(),
        ),
        under,
    );
    if series.is_empty() {
        return;
    }
    let lo = series.iter().map(|s| s.1).fold(0.0f64, f64::min).floor();
    let hi = series
        .iter()
        .map(|s| s.1)
        .fold(floor_max, f64::max)
        .ceil()
        .max(lo + 1.0);
    if theme.ascii {
        let lines = ascii_plot(series, lo, hi, plot.width, plot.height);
        f.render_widget(Paragraph::new(lines.join("\n")), plot);
        return;
    }
    let data: Vec<(f64, f64)> = series
        .iter()
        .enumerate()
        .map(|(i, s)| (i as f64, s.1))
        .collect();
    let n = series.len();
    let x_labels: Vec<Span> = if n == 1 {
        vec![Span::raw(series[0].0.clone())]
    } else {
        vec![
            Span::raw(series[0].0.clone()),
            Span::raw(series[n - 1].0.clone()),
        ]
    };
    let ds = Dataset::default()
        .marker(Marker::Braille)
        .graph_type(GraphType::Line)
        .style(theme.chart())
        .data(&data);
    let chart = Chart::new(vec![ds])
        .x_axis(
            Axis::default()
                .bounds([0.0, (n.max(2) - 1) as f64])
                .labels(x_labels),
        )
        .y_axis(
            Axis::default()
                .bounds([lo, hi])
                .labels(vec![Span::raw(num(lo)), Span::raw(num(hi))]),
        );
    f.render_widget(chart, plot);
}

fn num(v: f64) -> String {
    format!("{v:.0}")
}

/// Tokens joined by two spaces, a new line when the next would not fit.
pub fn wrap_tokens(tokens: &[String], w: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for t in tokens {
        let t = cut(t, w);
        if !cur.is_empty() && text::width(&cur) + 2 + text::width(&t) > w {
            out.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push_str("  ");
        }
        cur.push_str(&t);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The chart in ASCII: y labels, `|` axis, `*` at each point and `.` along the segments.
fn ascii_plot(series: &[(String, f64)], lo: f64, hi: f64, w: u16, h: u16) -> Vec<String> {
    let label_w = num(hi).len().max(num(lo).len());
    let rows = usize::from(h.saturating_sub(1)).max(1);
    let cols = usize::from(w).saturating_sub(label_w + 1).max(2);
    let mut grid = vec![vec![' '; cols]; rows];
    let row_of = |v: f64| {
        let r = ((hi - v) / (hi - lo) * (rows - 1) as f64).round();
        (r.max(0.0) as usize).min(rows - 1)
    };
    let n = series.len();
    let col_of = |i: usize| {
        if n == 1 {
            0
        } else {
            i * (cols - 1) / (n - 1)
        }
    };
    for i in 1..n {
        let (c0, c1) = (col_of(i - 1), col_of(i));
        for c in c0..=c1 {
            let t = if c1 == c0 {
                0.0
            } else {
                (c - c0) as f64 / (c1 - c0) as f64
            };
            let v = series[i - 1].1 + (series[i].1 - series[i - 1].1) * t;
            let r = row_of(v);
            if let Some(cell) = grid[r].get_mut(c) {
                *cell = '.';
            }
        }
    }
    for (i, s) in series.iter().enumerate() {
        grid[row_of(s.1)][col_of(i)] = '*';
    }
    let mut out: Vec<String> = grid
        .into_iter()
        .enumerate()
        .map(|(r, cells)| {
            let label = if r == 0 {
                num(hi)
            } else if r == rows - 1 {
                num(lo)
            } else {
                String::new()
            };
            format!(
                "{label:>label_w$}|{}",
                cells.into_iter().collect::<String>()
            )
        })
        .collect();
    if h > 1 {
        let first = series.first().map(|s| s.0.as_str()).unwrap_or("");
        let last = series.last().map(|s| s.0.as_str()).unwrap_or("");
        let gap = cols.saturating_sub(first.len() + last.len()).max(1);
        let axis = if n > 1 {
            format!(
                "{}{first}{}{last}",
                " ".repeat(label_w + 1),
                " ".repeat(gap)
            )
        } else {
            format!("{}{first}", " ".repeat(label_w + 1))
        };
        out.push(cut(&axis, usize::from(w)));
    }
    out
}

/// One bar of [`bar_lines`]: its label, the value written beside it, and its length's value.
pub struct HBar {
    pub label: String,
    pub shown: String,
    pub value: f64,
}

/// Horizontal bars, one a line: labels in one column as wide as the widest (at most a third of
/// the width; a longer one is cut, never a value), the written values right-aligned in one
/// column as wide as the widest, then the bar. Every bar has the same scale: `max` (or the
/// largest value) fills the bar column, so 9 is always three times 3. Blocks with eighths, or
/// `#` with `--ascii`.
pub fn bar_lines(
    theme: &Theme,
    bars: &[HBar],
    max: Option<f64>,
    width: usize,
) -> Vec<Line<'static>> {
    let label_w = bars
        .iter()
        .map(|b| text::width(&b.label))
        .max()
        .unwrap_or(0)
        .min(width / 3);
    let value_w = bars
        .iter()
        .map(|b| text::width(&b.shown))
        .max()
        .unwrap_or(0);
    let bar_w = width.saturating_sub(label_w + 1 + value_w + 1);
    let top = max
        .unwrap_or(0.0)
        .max(bars.iter().map(|b| b.value).fold(0.0, f64::max));
    bars.iter()
        .map(|b| {
            let eighths = if top > 0.0 {
                ((b.value.max(0.0) / top).min(1.0) * bar_w as f64 * 8.0).round() as usize
            } else {
                0
            };
            Line::from(vec![
                Span::raw(format!("{} ", text::fit(&b.label, label_w))),
                Span::styled(
                    format!("{} ", crate::ui::render::rpad(&b.shown, value_w)),
                    theme.title(),
                ),
                Span::styled(bar_text(theme.ascii, eighths), theme.chart()),
            ])
        })
        .collect()
}

/// A bar of `eighths` eighths of a cell.
fn bar_text(ascii: bool, eighths: usize) -> String {
    if ascii {
        return "#".repeat((eighths + 4) / 8);
    }
    const PART: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    format!("{}{}", "█".repeat(eighths / 8), PART[eighths % 8])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widths(lines: &[Line]) -> Vec<usize> {
        lines
            .iter()
            .map(|l| {
                l.spans[2]
                    .content
                    .chars()
                    .filter(|c| *c == '█' || *c == '#')
                    .count()
            })
            .collect()
    }

    #[test]
    fn bars_share_one_scale_whatever_the_labels() {
        let bars = [
            HBar {
                label: "西湖区城关供电所".into(),
                shown: "9".into(),
                value: 9.0,
            },
            HBar {
                label: "East".into(),
                shown: "3 · 12 元".into(),
                value: 3.0,
            },
            HBar {
                label: "滨江区".into(),
                shown: "9".into(),
                value: 9.0,
            },
        ];
        for ascii in [false, true] {
            let t = Theme::new(false, ascii);
            let lines = bar_lines(&t, &bars, None, 60);
            let w = widths(&lines);
            assert_eq!(w[0], w[2], "equal values, equal bars: {w:?}");
            assert_eq!(w[0], 3 * w[1], "9 is three times 3: {w:?}");
            // The bars start in one column.
            let starts: Vec<usize> = lines
                .iter()
                .map(|l| text::width(&l.spans[0].content) + text::width(&l.spans[1].content))
                .collect();
            assert!(starts.windows(2).all(|p| p[0] == p[1]), "{starts:?}");
        }
    }

    #[test]
    fn a_fixed_top_scales_the_bars() {
        let bars = [HBar {
            label: "a".into(),
            shown: "50.0%".into(),
            value: 50.0,
        }];
        let lines = bar_lines(&Theme::new(false, true), &bars, Some(100.0), 2 + 6 + 40);
        assert_eq!(widths(&lines), [20]);
    }
}
