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
