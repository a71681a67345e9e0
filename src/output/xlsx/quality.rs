//! The quality evaluation (营销服务工作质量评价) and theme analysis (主题分析) as workbooks:
//! stations, the other units and indicators on their own sheets; a theme's rows on one.

use super::{count, Book, Cell, Col, Sheet};
use crate::context::Lang;
use crate::error::Result;
use crate::i18n::columns::{Column as C, SheetName};
use crate::quality::indicators::Source;
use crate::quality::theme::Theme;
use crate::quality::{Evaluation, Level, UnitScore};

/// The evaluation's workbook: a sheet of stations and one of the other units (counties and up,
/// departments; scores, then each enabled indicator's value and score), ranked within their
/// level, and the indicators they use.
pub fn evaluation(lang: Lang, e: &Evaluation) -> Result<(Vec<u8>, u64)> {
    let mut book = Book::new(lang);
    let stations: Vec<&UnitScore> = e.ranked(Level::Station);
    let others: Vec<&UnitScore> = e
        .levels()
        .into_iter()
        .filter(|l| *l != Level::Station)
        .flat_map(|l| e.ranked(l))
        .collect();
    units(&mut book, SheetName::Stations, e, &stations)?;
    units(&mut book, SheetName::Districts, e, &others)?;
    indicators(&mut book, e)?;
    book.finish()
}

/// An indicator's value as its source measures it: rates in %, amounts in 元.
pub(super) fn indicator_value(source: Source, v: Option<f64>) -> Cell<'static> {
    match (source, v) {
        (
            Source::CompletionRate
            | Source::OverdueRate
            | Source::RectificationRate
            | Source::QcScore,
            v,
        ) => Cell::Rate(v),
        (Source::AmountRecovered, v) => Cell::Yuan(v),
        (_, Some(v)) => Cell::Num(v),
        (_, None) => Cell::text(""),
    }
}

/// The columns of a unit's scores, before its indicators' (`unit_cells` fills them).
pub(super) fn unit_cols(lang: Lang) -> Vec<Col> {
    vec![
        Col::new(C::Rank, lang, 6.0),
        Col::new(C::Unit, lang, 16.0),
        Col::new(C::Parent, lang, 20.0),
        Col::new(C::MainScore, lang, 12.0),
        Col::new(C::ProcessScore, lang, 12.0),
        Col::new(C::BusinessScore, lang, 12.0),
        Col::new(C::BusinessDeductions, lang, 12.0),
        Col::new(C::DirectDeductions, lang, 10.0),
        Col::new(C::Bonus, lang, 10.0),
        Col::new(C::Composite, lang, 12.0),
        Col::new(C::Unvalued, lang, 16.0),
        Col::new(C::Level, lang, 10.0),
    ]
}

fn units(book: &mut Book, name: SheetName, e: &Evaluation, list: &[&UnitScore]) -> Result<()> {
    let lang = book.lang;
    let mut cols = unit_cols(lang);
    for i in &e.indicators {
        let sep = if lang == Lang::Zh { "" } else { " " };
        for part in [C::IndicatorValue, C::IndicatorScore] {
            cols.push(Col::named(
                format!("{}{sep}{}", i.name, part.text(lang)),
                14.0,
            ));
        }
    }
    let mut sheet = book.sheet(name, &cols)?;
    for u in list {
        unit_row(&mut sheet, e, u)?;
    }
    sheet.end()
}

/// A unit's scores, in the order of `unit_cols`.
pub(super) fn unit_cells(u: &UnitScore) -> Vec<Cell<'_>> {
    let parent = u.parent.clone().unwrap_or_default();
    vec![
        Cell::Int(i64::try_from(u.rank).unwrap_or(i64::MAX)),
        Cell::text(&u.unit),
        Cell::owned(parent),
        Cell::Num(u.main),
        Cell::Num(u.process),
        Cell::Num(u.business),
        Cell::Num(u.business_deductions),
        Cell::Num(u.direct),
        Cell::Num(u.bonus),
        Cell::Num(u.composite),
        Cell::owned(u.not_applicable.join(",")),
        Cell::text(u.level.as_str()),
    ]
}

fn unit_row(sheet: &mut Sheet, e: &Evaluation, u: &UnitScore) -> Result<()> {
    let mut cells = unit_cells(u);
    for i in &e.indicators {
        let s = u.indicators.iter().find(|s| s.id == i.id);
        cells.push(indicator_value(i.source, s.and_then(|s| s.value)));
        cells.push(match s.and_then(|s| s.score) {
            Some(v) => Cell::Num(v),
            None => Cell::text(""),
        });
    }
    sheet.row(&cells)
}

fn indicators(book: &mut Book, e: &Evaluation) -> Result<()> {
    let lang = book.lang;
    let cols = [
        Col::new(C::Id, lang, 6.0),
        Col::new(C::Category, lang, 12.0),
        Col::new(C::Name, lang, 24.0),
        Col::new(C::Kind, lang, 10.0),
        Col::new(C::Level, lang, 9.0),
        Col::new(C::Source, lang, 20.0),
        Col::new(C::BaseValue, lang, 10.0),
        Col::new(C::FullValue, lang, 10.0),
        Col::new(C::FullScore, lang, 8.0),
    ];
    let mut sheet = book.sheet(SheetName::Indicators, &cols)?;
    for i in &e.indicators {
        sheet.row(&[
            Cell::Int(i.id),
            Cell::text(&i.category),
            Cell::text(&i.name),
            Cell::text(match lang {
                Lang::Zh => i.kind.label_zh(),
                Lang::En => i.kind.as_str(),
            }),
            Cell::text(i.level.as_str()),
            Cell::text(i.source.as_str()),
            indicator_value(i.source, Some(i.base_value)),
            indicator_value(i.source, Some(i.full_value)),
            Cell::Num(i.full_score),
        ])?;
    }
    sheet.end()
}

/// A theme's rows (parent, station, month) as `jicha theme --format csv` writes them.
pub fn theme(lang: Lang, t: &Theme) -> Result<(Vec<u8>, u64)> {
    let mut book = Book::new(lang);
    let cols = [
        Col::new(C::Parent, lang, 14.0),
        Col::new(C::Station, lang, 14.0),
        Col::new(C::Month, lang, 9.0),
        Col::new(C::Findings, lang, 9.0),
        Col::new(C::AmountYuan, lang, 16.0),
        Col::new(C::OpenFindings, lang, 9.0),
        Col::new(C::Rectified, lang, 12.0),
    ];
    let mut sheet = book.sheet(SheetName::Theme, &cols)?;
    for r in t.rows() {
        sheet.row(&[
            Cell::owned(r.parent),
            Cell::owned(r.station),
            Cell::owned(r.month),
            count(r.counts.findings),
            Cell::Yuan(Some(r.counts.amount_yuan)),
            count(r.counts.open),
            count(r.counts.rectified),
        ])?;
    }
    sheet.end()?;
    book.finish()
}
