//! What `jicha scan` and `jicha import` report, as workbooks: the figures of the run on one
//! sheet (Figure | Value, as the report's), and its rows (hits per rule; files read, then the
//! warnings) on the next.

use super::{count, Book, Cell, Col};
use crate::context::Lang;
use crate::error::Result;
use crate::i18n::cli::Msg;
use crate::i18n::columns::{Column as C, SheetName};
use crate::import::ImportSummary;
use crate::scan::{RuleCount, ScanSummary};

/// The figures sheet: one labelled value per row.
fn figures(book: &mut Book, rows: Vec<(C, Cell)>) -> Result<()> {
    let lang = book.lang;
    let cols = [
        Col::new(C::Figure, lang, 22.0),
        Col::new(C::Value, lang, 40.0),
    ];
    let mut sheet = book.sheet(SheetName::Figures, &cols)?;
    for (label, value) in rows {
        sheet.row(&[Cell::text(label.text(lang)), value])?;
    }
    sheet.end()
}

/// A rule's (or the total's) row: its name, then the counts.
fn rule_row<'a>(name: &'a str, c: &RuleCount) -> [Cell<'a>; 8] {
    [
        Cell::text(name),
        count(c.hits),
        count(c.new),
        count(c.again),
        count(c.again_closed),
        count(c.cleared),
        count(c.reopened),
        count(c.suppressed),
    ]
}

/// The scan's workbook: its id and dates, then hits and changes per rule with a total row.
pub fn scan(lang: Lang, s: &ScanSummary) -> Result<(Vec<u8>, u64)> {
    let mut book = Book::new(lang);
    let (as_of, date) = (s.as_of.to_string(), s.business_date.to_string());
    figures(
        &mut book,
        vec![
            (C::ScanId, Cell::Int(s.scan_id)),
            (C::AsOf, Cell::Date(&as_of)),
            (C::BusinessDate, Cell::Date(&date)),
            (C::Hits, count(s.totals.hits)),
        ],
    )?;
    let cols = [
        Col::ident(C::Rule, lang, 16.0),
        Col::new(C::Hits, lang, 9.0),
        Col::new(C::NewFindings, lang, 9.0),
        Col::new(C::Again, lang, 10.0),
        Col::new(C::AgainClosed, lang, 14.0),
        Col::new(C::Cleared, lang, 9.0),
        Col::new(C::Reopened, lang, 9.0),
        Col::new(C::Suppressed, lang, 12.0),
    ];
    let mut sheet = book.sheet(SheetName::ScanRules, &cols)?;
    for c in &s.per_rule {
        sheet.row(&rule_row(&c.rule, c))?;
    }
    let total = match lang {
        Lang::En => s.totals.rule.as_str(),
        Lang::Zh => Msg::Total.text(lang),
    };
    sheet.row(&rule_row(total, &s.totals))?;
    sheet.end()?;
    book.finish()
}

/// The import's workbook: its id and source, the rows read per file, and the warnings.
pub fn import(lang: Lang, s: &ImportSummary) -> Result<(Vec<u8>, u64)> {
    let mut book = Book::new(lang);
    figures(
        &mut book,
        vec![
            (C::ImportId, Cell::Int(s.import_id)),
            (C::SourceDir, Cell::text(&s.source_dir)),
            (C::WarningsTotal, count(s.warnings_total)),
        ],
    )?;
    let cols = [
        Col::new(C::File, lang, 22.0),
        Col::new(C::RowsRead, lang, 11.0),
        Col::new(C::RowsInserted, lang, 11.0),
        Col::new(C::RowsUpdated, lang, 11.0),
    ];
    let mut sheet = book.sheet(SheetName::ImportFiles, &cols)?;
    for f in &s.files {
        sheet.row(&[
            Cell::text(&f.file),
            count(f.rows),
            count(f.inserted),
            count(f.updated),
        ])?;
    }
    sheet.end()?;
    let mut sheet = book.sheet(SheetName::Warnings, &[Col::new(C::Warning, lang, 100.0)])?;
    for w in &s.warnings {
        sheet.row(&[Cell::text(w)])?;
    }
    sheet.end()?;
    book.finish()
}
