//! Record lists as workbooks: the action log (`jicha log`), the rule parameters (`thresholds
//! show`) and the operators (`operator list`), one sheet each.

use super::{Book, Cell, Col};
use crate::actionlog::LogRecord;
use crate::context::{Lang, Operator};
use crate::error::Result;
use crate::i18n::columns::{Column as C, SheetName};
use crate::thresholds::{Kind, Spec};

/// The action log's records with every field as stored and hashed (text, exactly), so an
/// external auditor can recompute the chain from the sheet; only `seq` is a number.
pub fn log(lang: Lang, records: &[LogRecord]) -> Result<(Vec<u8>, u64)> {
    let mut book = Book::new(lang);
    let cols = [
        Col::new(C::Seq, lang, 7.0),
        Col::ident(C::AtUtc, lang, 24.0),
        Col::ident(C::BusinessDate, lang, 11.0),
        Col::ident(C::Operator, lang, 12.0),
        Col::ident(C::Action, lang, 18.0),
        Col::ident(C::Target, lang, 24.0),
        Col::ident(C::Details, lang, 70.0),
        Col::ident(C::PrevHash, lang, 20.0),
        Col::ident(C::Hash, lang, 20.0),
    ];
    let mut sheet = book.sheet(SheetName::ActionLog, &cols)?;
    for r in records {
        sheet.row(&[
            Cell::Int(r.seq),
            Cell::text(&r.at_utc),
            Cell::text(&r.business_date),
            Cell::text(&r.operator),
            Cell::text(&r.action),
            Cell::text(&r.target),
            Cell::text(&r.details),
            Cell::text(&r.prev_hash),
            Cell::text(&r.hash),
        ])?;
    }
    sheet.end()?;
    book.finish()
}

/// One rule parameter: its name, its current value as stored, and its spec (default, the
/// rules that use it, what it is).
pub struct ThresholdRow<'a> {
    pub name: &'a str,
    pub value: &'a str,
    pub spec: &'a Spec,
}

/// A parameter's value: a number cell when the parameter is a number (as precise as it was
/// set), else its text (a list, a date).
fn threshold_value(kind: Kind, text: &str) -> Cell<'_> {
    match (kind, text.trim().parse::<f64>()) {
        (Kind::Number | Kind::Integer, Ok(v)) if v.is_finite() => Cell::Plain(v),
        _ => Cell::text(text),
    }
}

pub fn thresholds(lang: Lang, rows: &[ThresholdRow]) -> Result<(Vec<u8>, u64)> {
    let mut book = Book::new(lang);
    let cols = [
        Col::ident(C::Parameter, lang, 28.0),
        Col::new(C::Value, lang, 16.0),
        Col::new(C::Default, lang, 16.0),
        Col::ident(C::Rules, lang, 16.0),
        Col::new(C::About, lang, 70.0),
    ];
    let mut sheet = book.sheet(SheetName::Thresholds, &cols)?;
    for r in rows {
        let default = r.spec.value.to_string();
        sheet.row(&[
            Cell::text(r.name),
            threshold_value(r.spec.kind, r.value),
            threshold_value(r.spec.kind, &default),
            Cell::text(&r.spec.rules),
            Cell::text(r.spec.about(lang)),
        ])?;
    }
    sheet.end()?;
    book.finish()
}

/// The operators with their roles in the operator's language.
pub fn operators(lang: Lang, list: &[Operator]) -> Result<(Vec<u8>, u64)> {
    let mut book = Book::new(lang);
    let cols = [
        Col::ident(C::Login, lang, 16.0),
        Col::new(C::Role, lang, 10.0),
        Col::new(C::OperatorUnit, lang, 20.0),
        Col::new(C::PersonName, lang, 16.0),
        Col::ident(C::AddedAt, lang, 24.0),
        Col::ident(C::AddedBy, lang, 16.0),
    ];
    let mut sheet = book.sheet(SheetName::Operators, &cols)?;
    for o in list {
        sheet.row(&[
            Cell::text(&o.login),
            super::value(lang, crate::i18n::role, &o.role),
            Cell::text(o.unit.as_deref().unwrap_or("")),
            Cell::text(&o.name),
            Cell::text(&o.added_at),
            Cell::text(&o.added_by),
        ])?;
    }
    sheet.end()?;
    book.finish()
}
