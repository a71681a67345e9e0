//! The campaign report as a workbook: its definition (label, value) on a first sheet, the
//! figures per unit down the tree on a second, the total last.

use super::{count, Book, Cell, Col};
use crate::campaigns::progress::{Figures, Progress};
use crate::campaigns::Campaign;
use crate::context::Lang;
use crate::error::Result;
use crate::i18n::campaigns::CampWord as W;
use crate::i18n::columns::SheetName;

fn col(head: &str, width: f64) -> Col {
    Col {
        head: head.to_string(),
        width,
        ident: false,
    }
}

fn figures<'a>(name: String, f: &Figures) -> Vec<Cell<'a>> {
    vec![
        Cell::owned(name),
        count(f.due),
        count(f.checked),
        count(f.confirmed),
        count(f.rectified),
        Cell::Rate(f.checked_rate()),
        Cell::Rate(f.confirmed_rate()),
        Cell::Rate(f.rectified_rate()),
    ]
}

/// The report's workbook and how many data rows it holds.
pub fn workbook(lang: Lang, c: &Campaign, p: &Progress, as_of: &str) -> Result<(Vec<u8>, u64)> {
    let mut book = Book::new(lang);
    let cols = [col(W::Definition.text(lang), 22.0), col("", 60.0)];
    let mut sheet = book.sheet(SheetName::Campaign, &cols)?;
    for (label, value) in crate::output::campaign::definition(lang, c) {
        sheet.row(&[Cell::text(label), Cell::owned(value)])?;
    }
    sheet.row(&[Cell::text(W::AsOf.text(lang)), Cell::Date(as_of)])?;
    sheet.row(&[Cell::text(""), Cell::text(W::Footnote.text(lang))])?;
    sheet.end()?;
    let heads = crate::output::campaign::headers(lang);
    let cols: Vec<Col> = heads
        .iter()
        .enumerate()
        .map(|(i, h)| col(h, if i == 0 { 24.0 } else { 10.0 }))
        .collect();
    let mut sheet = book.sheet(SheetName::CampaignUnits, &cols)?;
    for u in &p.units {
        sheet.row(&figures(
            format!("{}{}", "  ".repeat(u.depth), u.unit),
            &u.figures,
        ))?;
    }
    sheet.row(&figures(W::Total.text(lang).to_string(), &p.total))?;
    sheet.end()?;
    book.finish()
}
