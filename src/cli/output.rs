//! Printing lists for people (aligned table, escaped) and machines (CSV, JSON), streamed.

use crate::text;
use std::io::{IsTerminal, Write};

/// Text headed for stdout: escaped when stdout is a terminal (a CSV of hostile names opened
/// in a terminal must not drive it), byte for byte when it goes to a file or a pipe.
pub fn for_stdout(s: &str) -> std::borrow::Cow<'_, str> {
    if std::io::stdout().is_terminal() {
        text::escape(s)
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// JSON headed for stdout: on a terminal, every character that could drive it (DEL, C1
/// controls, bidi and invisible characters, which JSON allows raw in strings) is written as a
/// `\uXXXX` escape, so the document still parses to the same values; to a file or a pipe, as is.
pub fn json_for_stdout(json: String) -> String {
    if !std::io::stdout().is_terminal() {
        return json;
    }
    json_escape_unsafe(json)
}

/// `json` with each unsafe character in `\uXXXX` form (UTF-16 surrogate pairs above U+FFFF).
/// Such characters can only occur inside JSON strings, where the escape means the same.
pub fn json_escape_unsafe(json: String) -> String {
    if !json.chars().any(text::is_unsafe) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        // Newlines and indentation between tokens are serde's own, not data.
        if text::is_unsafe(c) && c != '\n' {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{:04x}", u));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A fixed-width table printed row by row, so a million rows need no buffering.
pub struct Table<W: Write> {
    out: W,
    widths: Vec<usize>,
}

impl<W: Write> Table<W> {
    /// `columns`: header and width in terminal columns; the last column is not padded.
    pub fn new(out: W, columns: &[(&str, usize)]) -> std::io::Result<Self> {
        let mut t = Table {
            out,
            widths: columns.iter().map(|c| c.1).collect(),
        };
        let header: Vec<&str> = columns.iter().map(|c| c.0).collect();
        t.row(&header)?;
        Ok(t)
    }

    pub fn row(&mut self, cells: &[&str]) -> std::io::Result<()> {
        let mut line = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let cell = text::escape(cell);
            let last = i + 1 == cells.len();
            let w = self.widths.get(i).copied().unwrap_or(20);
            if last {
                line.push_str(&text::truncate(&cell, w));
            } else {
                line.push_str(&text::fit(&cell, w));
                line.push(' ');
            }
        }
        writeln!(self.out, "{}", line.trim_end())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_escapes_keep_the_values() {
        let v = serde_json::json!({"n": "a\u{7f}\u{9b}2J\u{202e}x\u{e0041}\u{1b}]52;c;x\u{7}"});
        let s = super::json_escape_unsafe(serde_json::to_string_pretty(&v).unwrap());
        assert!(
            !s.chars().any(|c| crate::text::is_unsafe(c) && c != '\n'),
            "{s}"
        );
        assert_eq!(serde_json::from_str::<serde_json::Value>(&s).unwrap(), v);
    }
}
