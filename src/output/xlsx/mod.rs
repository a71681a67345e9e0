//! Workbooks for Excel (`--format xlsx`, the UI's export), shared by the CLI and the UI: each
//! document is a function over the same rows its CSV takes. Every sheet has a bold frozen
//! header row in the operator's language and an autofilter; 户号, 表号 and other numbers that
//! are names are text cells (Excel would show a 15-digit 户号 as `3.30100E+14` and keep only
//! 15 digits of a 22-digit 表号); amounts are numbers in a 元 format, rates numbers in a %
//! format, dates real dates. Text from the dataset is escaped as in CSV (`␛`, `⟨U+202E⟩`)
//! unless `--raw`.

pub mod campaign;
pub mod escalation;
pub mod findings;
pub mod lists;
pub mod quality;
pub mod quality_detail;
pub mod records;
pub mod report;
pub mod summaries;

use super::stream::for_stdout;
use crate::context::Lang;
use crate::error::{JichaError, Result};
use crate::i18n::columns::{Column, SheetName};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError};
use std::borrow::Cow;

/// Excel's last row is 1,048,576; the header takes one.
pub const MAX_DATA_ROWS: u32 = 1_048_575;
/// Excel keeps at most this many characters in a cell.
const MAX_CELL_CHARS: usize = 32_767;

/// The number formats: 元 with thousands separators, rates as percentages.
pub const YUAN_FORMAT: &str = "#,##0.00\" 元\"";
pub const RATE_FORMAT: &str = "0.0%";
pub const DATE_FORMAT: &str = "yyyy-mm-dd";

/// One cell of a row. A rate or an amount that is `None` has no denominator or no amount.
pub enum Cell<'a> {
    /// Dataset or interface text, escaped unless `--raw`.
    Text(Cow<'a, str>),
    Int(i64),
    /// A number in Excel's general format (a parameter's value, as precise as it was set).
    Plain(f64),
    /// A plain number with two decimals (scores, points).
    Num(f64),
    Yuan(Option<f64>),
    Rate(Option<f64>),
    /// `YYYY-MM-DD` as a date cell; anything else (empty, `-`) as text.
    Date(&'a str),
}

impl<'a> Cell<'a> {
    pub fn text(s: &'a str) -> Cell<'a> {
        Cell::Text(Cow::Borrowed(s))
    }
    pub fn owned(s: String) -> Cell<'a> {
        Cell::Text(Cow::Owned(s))
    }
    pub fn opt(s: Option<&'a str>) -> Cell<'a> {
        Cell::text(s.unwrap_or(""))
    }
}

/// A column: its header, its width in characters, and whether it holds identifiers written
/// as text (its empty cells are text too, so a number typed there later stays as typed).
pub struct Col {
    pub head: String,
    pub width: f64,
    pub ident: bool,
}

impl Col {
    pub fn new(c: Column, lang: Lang, width: f64) -> Col {
        Col {
            head: c.text(lang).to_string(),
            width,
            ident: false,
        }
    }
    /// A column of identifiers (户号, 表号, ticket numbers) kept as text.
    pub fn ident(c: Column, lang: Lang, width: f64) -> Col {
        Col {
            ident: true,
            ..Col::new(c, lang, width)
        }
    }
    /// A header made of dataset text (an indicator's name), escaped.
    pub fn named(head: String, width: f64) -> Col {
        Col {
            head: for_stdout(&head).into_owned(),
            width,
            ident: false,
        }
    }
}

struct Formats {
    header: Format,
    text: Format,
    yuan: Format,
    rate: Format,
    num: Format,
    date: Format,
}

/// A workbook being written; `finish` gives its bytes.
pub struct Book {
    wb: Workbook,
    fmt: Formats,
    /// Data rows written so far, over every sheet.
    rows: std::cell::Cell<u64>,
    pub lang: Lang,
}

impl Book {
    pub fn new(lang: Lang) -> Book {
        Book {
            wb: Workbook::new(),
            fmt: Formats {
                header: Format::new()
                    .set_bold()
                    .set_background_color("#DDEBF7")
                    .set_border_bottom(FormatBorder::Thin),
                text: Format::new().set_num_format("@"),
                yuan: Format::new().set_num_format(YUAN_FORMAT),
                rate: Format::new().set_num_format(RATE_FORMAT),
                num: Format::new().set_num_format("0.00"),
                date: Format::new().set_num_format(DATE_FORMAT),
            },
            rows: std::cell::Cell::new(0),
            lang,
        }
    }

    /// A new sheet with its header row written and frozen. Rows are flushed as they are
    /// written, so a long list does not stay in memory.
    pub fn sheet(&mut self, name: SheetName, cols: &[Col]) -> Result<Sheet<'_>> {
        let ws = self.wb.add_worksheet_with_low_memory().map_err(xlsx_err)?;
        ws.set_name(name.text(self.lang)).map_err(xlsx_err)?;
        for (i, c) in cols.iter().enumerate() {
            let i = col_index(i)?;
            ws.set_column_width(i, c.width).map_err(xlsx_err)?;
            if c.ident {
                ws.set_column_format(i, &self.fmt.text).map_err(xlsx_err)?;
            }
            ws.write_string_with_format(0, i, &c.head, &self.fmt.header)
                .map_err(xlsx_err)?;
        }
        ws.set_freeze_panes(1, 0).map_err(xlsx_err)?;
        Ok(Sheet {
            ws,
            fmt: &self.fmt,
            total: &self.rows,
            row: 0,
            cols: col_index(cols.len())?,
        })
    }

    /// The workbook's bytes (an .xlsx file) and how many data rows its sheets hold.
    pub fn finish(mut self) -> Result<(Vec<u8>, u64)> {
        let bytes = self.wb.save_to_buffer().map_err(xlsx_err)?;
        Ok((bytes, self.rows.get()))
    }
}

/// A sheet being written row by row. `end` sets the autofilter over what was written.
pub struct Sheet<'a> {
    ws: &'a mut Worksheet,
    fmt: &'a Formats,
    total: &'a std::cell::Cell<u64>,
    /// The last row written (0: the header).
    row: u32,
    cols: u16,
}

impl Sheet<'_> {
    pub fn row(&mut self, cells: &[Cell]) -> Result<()> {
        if self.row >= MAX_DATA_ROWS {
            return Err(JichaError::invalid(format!(
                "more than {MAX_DATA_ROWS} rows do not fit in an Excel sheet: narrow the \
                 selection, or use --format csv"
            )));
        }
        self.row += 1;
        for (i, cell) in cells.iter().enumerate() {
            self.cell(col_index(i)?, cell)?;
        }
        Ok(())
    }

    fn cell(&mut self, col: u16, cell: &Cell) -> Result<()> {
        let (ws, f, row) = (&mut *self.ws, self.fmt, self.row);
        let done = match cell {
            Cell::Text(s) => return self.string(col, s),
            Cell::Int(n) => ws.write_number(row, col, *n as f64),
            Cell::Plain(v) => ws.write_number(row, col, *v),
            Cell::Num(v) => ws.write_number_with_format(row, col, *v, &f.num),
            Cell::Yuan(Some(v)) => ws.write_number_with_format(row, col, *v, &f.yuan),
            Cell::Yuan(None) => return Ok(()),
            Cell::Rate(Some(v)) => ws.write_number_with_format(row, col, *v, &f.rate),
            // No denominator: the report's `—`, not a 0% that was never measured.
            Cell::Rate(None) => ws.write_string(row, col, "—"),
            Cell::Date(d) => match parse_date(d) {
                Some(date) => ws.write_datetime_with_format(row, col, &date, &f.date),
                None => return self.string(col, d),
            },
        };
        done.map(|_| ()).map_err(xlsx_err)
    }

    /// Text as a string cell (never a number or a formula, whatever it looks like), escaped,
    /// and cut to what a cell holds with a `…` that says so.
    fn string(&mut self, col: u16, s: &str) -> Result<()> {
        if s.is_empty() {
            return Ok(());
        }
        let escaped = for_stdout(s);
        let text: Cow<str> = if escaped.chars().count() > MAX_CELL_CHARS {
            let mut cut: String = escaped.chars().take(MAX_CELL_CHARS - 1).collect();
            cut.push('…');
            Cow::Owned(cut)
        } else {
            escaped
        };
        self.ws
            .write_string_with_format(self.row, col, text.as_ref(), &self.fmt.text)
            .map(|_| ())
            .map_err(xlsx_err)
    }

    /// Sets the autofilter over the header and every row written.
    pub fn end(self) -> Result<()> {
        self.total.set(self.total.get() + u64::from(self.row));
        if self.cols > 0 {
            self.ws
                .autofilter(0, 0, self.row, self.cols - 1)
                .map_err(xlsx_err)?;
        }
        Ok(())
    }
}

fn parse_date(s: &str) -> Option<ExcelDateTime> {
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    use chrono::Datelike;
    ExcelDateTime::from_ymd(
        u16::try_from(d.year()).ok()?,
        u8::try_from(d.month()).ok()?,
        u8::try_from(d.day()).ok()?,
    )
    .ok()
}

fn col_index(i: usize) -> Result<u16> {
    u16::try_from(i).map_err(|_| JichaError::invalid("too many columns for an Excel sheet"))
}

fn xlsx_err(e: XlsxError) -> JichaError {
    JichaError::Io(std::io::Error::other(format!("writing the xlsx file: {e}")))
}

/// A closed-set value (status, severity…) in the operator's language; a value outside the
/// set as stored.
pub fn value<'a>(lang: Lang, name: fn(Lang, &str) -> &'static str, raw: &'a str) -> Cell<'a> {
    match name(lang, raw) {
        "?" => Cell::text(raw),
        n => Cell::text(n),
    }
}

pub fn yes_no(lang: Lang, b: bool) -> Cell<'static> {
    Cell::text(if b { Column::Yes } else { Column::No }.text(lang))
}

/// A count as a number cell.
pub fn count(n: u64) -> Cell<'static> {
    Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// A workbook's bytes would be garbage on a terminal: refused, saying what to give instead.
pub fn refuse_terminal() -> Result<()> {
    if super::stream::to_terminal() {
        return Err(JichaError::Usage(
            "xlsx is a binary file: give --out FILE.xlsx (or redirect the output to a file)".into(),
        ));
    }
    Ok(())
}

/// A finished workbook to the command's output (`--out FILE`, or a pipe). Refused on a
/// terminal, where its bytes would be garbage.
pub fn emit(bytes: &[u8]) -> Result<()> {
    refuse_terminal()?;
    use std::io::Write;
    let mut out = super::stream::stdout();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    fn read_back(bytes: Vec<u8>, sheet: &str) -> Vec<Vec<Data>> {
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range(sheet).unwrap();
        range.rows().map(<[Data]>::to_vec).collect()
    }

    #[test]
    fn text_stays_text_escaped_and_cut_to_what_a_cell_holds() {
        let long = "证".repeat(MAX_CELL_CHARS + 10);
        let mut book = Book::new(Lang::En);
        let cols = [Col::new(Column::Evidence, Lang::En, 10.0)];
        let mut sheet = book.sheet(SheetName::Findings, &cols).unwrap();
        for s in ["=1+1", "007", "a\u{1b}]52;c;x\u{7}b\u{202e}", long.as_str()] {
            sheet.row(&[Cell::text(s)]).unwrap();
        }
        sheet.row(&[Cell::Rate(None)]).unwrap();
        sheet.end().unwrap();
        let (bytes, rows) = book.finish().unwrap();
        assert_eq!(rows, 5);
        let got = read_back(bytes, "Findings");
        assert_eq!(got[1][0], Data::String("=1+1".into()), "never a formula");
        assert_eq!(got[2][0], Data::String("007".into()), "never a number");
        assert_eq!(got[3][0], Data::String("a␛]52;c;x␇b⟨U+202E⟩".into()));
        let Data::String(cut) = &got[4][0] else {
            panic!("{:?}", got[4][0])
        };
        assert_eq!(cut.chars().count(), MAX_CELL_CHARS);
        assert!(cut.ends_with('…'));
        assert_eq!(got[5][0], Data::String("—".into()), "no denominator");
    }
}
