//! Titled tables as aligned text (by display width, so CJK lines up) or Markdown, and the
//! small cell formats every rendering shares.

use crate::error::JichaError;

/// `s` padded with spaces to `cols` terminal columns (CJK characters count two).
pub fn pad(s: &str, cols: usize) -> String {
    let w = crate::text::width(s);
    format!("{s}{}", " ".repeat(cols.saturating_sub(w)))
}

/// `s` right-aligned in `cols` terminal columns.
pub fn pad_left(s: &str, cols: usize) -> String {
    let w = crate::text::width(s);
    format!("{}{s}", " ".repeat(cols.saturating_sub(w)))
}

/// A rate as a percentage, or `—` when its denominator is 0.
pub fn pct(rate: Option<f64>) -> String {
    match rate {
        Some(r) => format!("{:.1}%", r * 100.0),
        None => "—".to_string(),
    }
}

/// A titled table as aligned text (columns by display width, so CJK lines up) or Markdown.
pub fn section(
    out: &mut String,
    markdown: bool,
    title: &str,
    header: &[&str],
    rows: &[Vec<String>],
) {
    if markdown {
        out.push_str(&format!(
            "\n## {title}\n\n| {} |\n|{}\n",
            header.join(" | "),
            "---|".repeat(header.len())
        ));
        for r in rows {
            // A `|` in a cell would split it into two columns.
            let cells: Vec<String> = r.iter().map(|c| c.replace('|', "\\|")).collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        if rows.is_empty() {
            out.push_str("| (none) |\n");
        }
        return;
    }
    out.push_str(&format!("\n{title}\n"));
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| crate::text::width(&r[i]))
                .chain([crate::text::width(header[i])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let mut s = String::from(" ");
        for (c, w) in cells.iter().zip(&widths) {
            s.push(' ');
            s.push_str(&crate::text::fit(c, *w));
        }
        s.trim_end().to_string() + "\n"
    };
    out.push_str(&line(header.to_vec()));
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    if rows.is_empty() {
        out.push_str("  (none)\n");
    }
}

/// A CSV writer's error as an I/O error; one from the underlying writer keeps its kind, so a
/// closed pipe is still recognised as one.
pub(crate) fn csv_err(e: csv::Error) -> JichaError {
    if e.is_io_error() {
        if let csv::ErrorKind::Io(io) = e.into_kind() {
            return JichaError::Io(io);
        }
        unreachable!("is_io_error means ErrorKind::Io");
    }
    JichaError::Io(std::io::Error::other(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::{pad, pad_left};

    #[test]
    fn pads_by_display_width() {
        assert_eq!(pad("户号", 6), "户号  ");
        assert_eq!(pad_left("命中", 5), " 命中");
        assert_eq!(crate::text::width(&pad("新发现", 10)), 10);
        assert_eq!(pad("toolong", 3), "toolong");
    }
}
