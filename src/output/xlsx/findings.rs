//! The findings list as a workbook: the rows `jicha findings --format csv` writes, one sheet.

use super::{value, yes_no, Book, Cell, Col, Sheet};
use crate::context::Lang;
use crate::error::Result;
use crate::findings::FindingRow;
use crate::i18n::columns::{Column as C, SheetName};
use crate::i18n::{resolution, severity, status};

/// The findings sheet's columns, in the order `row` writes them.
pub fn columns(lang: Lang) -> Vec<Col> {
    vec![
        Col::new(C::Id, lang, 8.0),
        Col::ident(C::Rule, lang, 9.0),
        Col::ident(C::CustNo, lang, 17.0),
        Col::new(C::CustName, lang, 18.0),
        Col::new(C::Station, lang, 14.0),
        Col::ident(C::Subject, lang, 24.0),
        Col::new(C::Status, lang, 10.0),
        Col::new(C::Resolution, lang, 10.0),
        Col::new(C::Severity, lang, 8.0),
        Col::new(C::Level, lang, 6.0),
        Col::new(C::FirstSeen, lang, 11.0),
        Col::new(C::LastSeen, lang, 11.0),
        Col::new(C::Whitelisted, lang, 8.0),
        Col::new(C::Recurred, lang, 8.0),
        Col::new(C::AmountYuan, lang, 16.0),
        Col::new(C::Evidence, lang, 70.0),
        Col::new(C::Version, lang, 7.0),
    ]
}

/// The findings workbook and its row count. `each` calls its argument once per finding, in
/// the list's order: the CLI as it streams them, the UI as it reads its list page by page.
pub fn workbook(
    lang: Lang,
    each: impl FnOnce(&mut dyn FnMut(&FindingRow) -> Result<()>) -> Result<()>,
) -> Result<(Vec<u8>, u64)> {
    let mut book = Book::new(lang);
    let mut sheet = book.sheet(SheetName::Findings, &columns(lang))?;
    each(&mut |f| row(&mut sheet, lang, f))?;
    sheet.end()?;
    book.finish()
}

fn row(sheet: &mut Sheet, lang: Lang, f: &FindingRow) -> Result<()> {
    sheet.row(&[
        Cell::Int(f.id),
        Cell::text(&f.rule),
        Cell::text(&f.cust_no),
        Cell::text(&f.cust_name),
        Cell::text(&f.station),
        Cell::text(&f.subject),
        value(lang, status, f.status.as_str()),
        match &f.resolution {
            Some(r) => value(lang, resolution, r.as_str()),
            None => Cell::text(""),
        },
        value(lang, severity, &f.severity),
        match f.level {
            Some(l) => Cell::Int(l),
            None => Cell::text(""),
        },
        Cell::Date(&f.first_seen),
        Cell::Date(&f.last_seen),
        yes_no(lang, f.suppressed),
        yes_no(lang, f.recurred),
        Cell::Yuan(f.amount_yuan),
        // Stored as values; rendered in the operator's language, as CSV and tables show it.
        Cell::owned(crate::i18n::evidence::render(lang, &f.evidence)),
        Cell::Int(f.version),
    ])
}
