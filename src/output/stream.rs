//! Printing lists for people (aligned table, escaped) and machines (CSV, JSON), streamed.
//!
//! Text from the dataset is escaped in every format however it leaves the process — to a
//! terminal, a pipe (`jicha findings --format csv | cat` ends on a terminal too) or a file —
//! unless `--raw` asks for the bytes as stored. Tables are for reading and always escaped.

use crate::text;
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::io::Write;

thread_local! {
    /// `--raw`: CSV and JSON cells and report text keep the data's bytes.
    static RAW: Cell<bool> = const { Cell::new(false) };
    /// Where the command's output goes when it runs in-process (tests, fuzzers): captured.
    static CAPTURE: RefCell<Option<Vec<u8>>> = const { RefCell::new(None) };
    /// `--out FILE`: the temporary file the output goes to until it is complete.
    static FILE: RefCell<Option<std::io::BufWriter<std::fs::File>>> = const { RefCell::new(None) };
    /// `--bom` / `--bom=false`; None: the default (a file written for people has one).
    static BOM: Cell<Option<bool>> = const { Cell::new(None) };
}

pub fn set_raw(raw: bool) {
    RAW.with(|r| r.set(raw));
}

fn raw() -> bool {
    RAW.with(Cell::get)
}

/// The command's standard output: the process's, or the capture of [`capture`].
pub fn stdout() -> Stdout {
    Stdout
}

pub struct Stdout;

impl Stdout {
    /// Stands in for `std::io::Stdout::lock` (the process's stdout locks itself per write).
    pub fn lock(&self) -> Stdout {
        Stdout
    }
}

/// Runs `f` on where the output goes: the `--out` file, else the capture, else stdout.
fn with_sink<T>(f: impl FnOnce(&mut dyn Write) -> T) -> T {
    FILE.with(|file| {
        if let Some(w) = file.borrow_mut().as_mut() {
            return f(w);
        }
        CAPTURE.with(|c| match c.borrow_mut().as_mut() {
            Some(v) => f(v),
            None => f(&mut std::io::stdout()),
        })
    })
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        with_sink(|w| w.write(buf))
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        with_sink(|w| w.write_all(buf))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        with_sink(|w| w.flush())
    }
}

/// Whether the output goes to an `--out` file.
pub fn to_file() -> bool {
    FILE.with(|f| f.borrow().is_some())
}

/// Whether the output goes straight to a terminal (not a file, a pipe or a capture).
pub fn to_terminal() -> bool {
    use std::io::IsTerminal;
    !to_file() && CAPTURE.with(|c| c.borrow().is_none()) && std::io::stdout().is_terminal()
}

/// `--bom`: Some(true) always, Some(false) never, None the default.
pub fn set_bom(bom: Option<bool>) {
    BOM.with(|b| b.set(bom));
}

/// Whether CSV starts with a UTF-8 byte-order mark, so that Excel on a Chinese Windows desk
/// reads it as UTF-8 rather than GBK: as `--bom` says, else when it is written to a file
/// (`--out`) for people — not to a pipe, and not with `--raw`, which is for programs.
pub fn bom_wanted() -> bool {
    BOM.with(Cell::get).unwrap_or_else(|| to_file() && !raw())
}

/// Starts a CSV document: the byte-order mark when `bom_wanted`.
pub fn csv_start(out: &mut dyn Write) -> std::io::Result<()> {
    if bom_wanted() {
        out.write_all("\u{feff}".as_bytes())?;
    }
    Ok(())
}

/// `--out FILE`: while it lives, the command's output goes to a new temporary file beside
/// FILE; `finish` moves it into place (replacing FILE), dropping it unfinished removes it, so
/// a failed command leaves FILE as it was.
pub struct OutFile {
    tmp: std::path::PathBuf,
    target: std::path::PathBuf,
    placed: bool,
}

impl OutFile {
    pub fn open(target: &std::path::Path) -> crate::Result<OutFile> {
        let shown = || text::escape(&target.display().to_string()).into_owned();
        let (tmp, f) = super::save::temp_beside(target)
            .map_err(|e| crate::JichaError::invalid(format!("--out {}: {e}", shown())))?;
        FILE.with(|file| *file.borrow_mut() = Some(std::io::BufWriter::new(f)));
        Ok(OutFile {
            tmp,
            target: target.to_path_buf(),
            placed: false,
        })
    }

    pub fn finish(mut self) -> crate::Result<()> {
        let shown = text::escape(&self.target.display().to_string()).into_owned();
        let bad = |e: std::io::Error| crate::JichaError::invalid(format!("--out {shown}: {e}"));
        let w = FILE.with(|file| file.borrow_mut().take());
        if let Some(w) = w {
            let f = w.into_inner().map_err(|e| bad(e.into_error()))?;
            f.sync_all().map_err(bad)?;
        }
        self.placed = true;
        super::save::place(&self.tmp, &self.target, true).map_err(bad)
    }
}

impl Drop for OutFile {
    fn drop(&mut self) {
        FILE.with(|file| file.borrow_mut().take());
        if !self.placed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Runs `f` with this thread's command output collected instead of printed; returns it.
pub fn capture<T>(f: impl FnOnce() -> T) -> (T, Vec<u8>) {
    let before = CAPTURE.with(|c| c.borrow_mut().replace(Vec::new()));
    let value = f();
    let out = CAPTURE.with(|c| std::mem::replace(&mut *c.borrow_mut(), before));
    (value, out.unwrap_or_default())
}

/// A CSV cell or a report's text headed for stdout: every control, bidi and invisible
/// character shown as in [`text::escape`] (`␛`, `⟨U+202E⟩`), except line feeds and the CR of a
/// CRLF, which cannot drive a terminal and keep multi-line cells and CSV records as they are;
/// with `--raw`, as is.
pub fn for_stdout(s: &str) -> Cow<'_, str> {
    if raw() {
        return Cow::Borrowed(s);
    }
    escape_keeping_lines(s)
}

fn escape_keeping_lines(s: &str) -> Cow<'_, str> {
    let escaped = text::escape(s);
    if !escaped.contains('␊') {
        return escaped;
    }
    // `escape` wrote every real control picture in the data as ⟨U+24xx⟩, so the pictures left
    // are ours: turn the harmless ones back.
    let mut out = String::with_capacity(escaped.len());
    let mut chars = escaped.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '␊' => out.push('\n'),
            '␍' if chars.peek() == Some(&'␊') => out.push('\r'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// JSON headed for stdout: every character that could drive a terminal (DEL, C1 controls,
/// bidi and invisible characters, which JSON allows raw in strings) is written as a `\uXXXX`
/// escape, so the document still parses to the same values; with `--raw`, as serde wrote it.
pub fn json_for_stdout(json: String) -> String {
    if raw() {
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
    fn cells_are_escaped_but_keep_their_lines() {
        let hostile = "a\u{1b}]52;c;eA==\u{7}\r\nb\tc\rd\u{9b}e\u{202e}f␊";
        let out = super::escape_keeping_lines(hostile);
        assert_eq!(out, "a␛]52;c;eA==␇\r\nb␉c␍d⟨U+009B⟩e⟨U+202E⟩f⟨U+240A⟩");
        super::set_raw(true);
        assert_eq!(super::for_stdout(hostile), hostile);
        super::set_raw(false);
        assert_eq!(super::for_stdout(hostile), out);
    }

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
