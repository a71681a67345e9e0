//! The quality evaluation's lists as workbooks: deduction and bonus entries (`quality
//! entries`), a unit's trend (`quality trend`), what is behind its score (`quality drill`: a
//! sheet per table of its text) and the indicators (`quality indicator list`).

use super::quality::{indicator_value, unit_cells, unit_cols};
use super::{value, yes_no, Book, Cell, Col};
use crate::context::Lang;
use crate::error::Result;
use crate::i18n::columns::{Column as C, SheetName};
use crate::i18n::{status, ticket_state};
use crate::quality::indicators::{Indicator, Kind};
use crate::quality::Drill;
use crate::quality::{Entry, TrendPoint};

/// An entry's kind as people read it: the code under en, its Chinese name under zh.
fn entry_kind(lang: Lang, kind: &str) -> Cell<'_> {
    let zh = match kind {
        "business" => C::BusinessDeductions,
        "direct" => C::DirectDeductions,
        "bonus" => C::Bonus,
        _ => return Cell::text(kind),
    };
    match lang {
        Lang::En => Cell::text(kind),
        Lang::Zh => Cell::text(zh.text(lang)),
    }
}

fn kind_name(lang: Lang, k: Kind) -> Cell<'static> {
    Cell::text(match lang {
        Lang::Zh => k.label_zh(),
        Lang::En => k.as_str(),
    })
}

fn entries_sheet(book: &mut Book, list: &[Entry]) -> Result<()> {
    let lang = book.lang;
    let cols = [
        Col::new(C::Id, lang, 6.0),
        Col::new(C::EntryKind, lang, 12.0),
        Col::new(C::Unit, lang, 16.0),
        Col::new(C::OnDate, lang, 11.0),
        Col::new(C::Points, lang, 8.0),
        Col::new(C::Level, lang, 9.0),
        Col::ident(C::TicketNo, lang, 17.0),
        Col::new(C::Reason, lang, 40.0),
        Col::new(C::EnteredBy, lang, 12.0),
        Col::new(C::RevokedOn, lang, 11.0),
    ];
    let mut sheet = book.sheet(SheetName::Entries, &cols)?;
    for e in list {
        sheet.row(&[
            Cell::Int(e.id),
            entry_kind(lang, &e.kind),
            Cell::text(&e.unit),
            Cell::Date(&e.on_date),
            Cell::Num(e.points),
            Cell::opt(e.level.as_deref()),
            Cell::opt(e.ticket.as_deref()),
            Cell::text(&e.reason),
            Cell::text(&e.entered_by),
            Cell::Date(e.revoked_on.as_deref().unwrap_or("")),
        ])?;
    }
    sheet.end()
}

/// `quality entries`: one sheet of the period's entries.
pub fn entries(lang: Lang, list: &[Entry]) -> Result<(Vec<u8>, u64)> {
    let mut book = Book::new(lang);
    entries_sheet(&mut book, list)?;
    book.finish()
}

/// `quality trend`: a unit's scores per period, oldest first.
pub fn trend(lang: Lang, unit: &str, points: &[TrendPoint]) -> Result<(Vec<u8>, u64)> {
    let mut book = Book::new(lang);
    let cols = [
        Col::new(C::Unit, lang, 16.0),
        Col::ident(C::Period, lang, 10.0),
        Col::new(C::Composite, lang, 12.0),
        Col::new(C::MainScore, lang, 12.0),
        Col::new(C::ProcessScore, lang, 12.0),
        Col::new(C::BusinessScore, lang, 12.0),
        Col::new(C::DirectDeductions, lang, 10.0),
        Col::new(C::Bonus, lang, 10.0),
        Col::new(C::Rank, lang, 6.0),
        Col::new(C::RankedOf, lang, 10.0),
    ];
    let mut sheet = book.sheet(SheetName::Trend, &cols)?;
    let int = |n: usize| Cell::Int(i64::try_from(n).unwrap_or(i64::MAX));
    for t in points {
        sheet.row(&[
            Cell::text(unit),
            Cell::text(&t.period),
            Cell::Num(t.composite),
            Cell::Num(t.main),
            Cell::Num(t.process),
            Cell::Num(t.business),
            Cell::Num(t.direct),
            Cell::Num(t.bonus),
            int(t.rank),
            int(t.of),
        ])?;
    }
    sheet.end()?;
    book.finish()
}

/// `quality drill`: the unit's score, its indicators, entries, tickets and findings, a sheet
/// each, as its text prints them.
pub fn drill(lang: Lang, d: &Drill) -> Result<(Vec<u8>, u64)> {
    let mut book = Book::new(lang);
    let mut sheet = book.sheet(SheetName::Score, &unit_cols(lang))?;
    sheet.row(&unit_cells(&d.score))?;
    sheet.end()?;
    let cols = [
        Col::new(C::Id, lang, 6.0),
        Col::new(C::Name, lang, 24.0),
        Col::new(C::Kind, lang, 10.0),
        Col::new(C::Source, lang, 20.0),
        Col::new(C::Value, lang, 12.0),
        Col::new(C::Score, lang, 8.0),
        Col::new(C::FullScore, lang, 8.0),
    ];
    let mut sheet = book.sheet(SheetName::Indicators, &cols)?;
    for i in &d.score.indicators {
        sheet.row(&[
            Cell::Int(i.id),
            Cell::text(&i.name),
            kind_name(lang, i.kind),
            Cell::text(i.source.as_str()),
            indicator_value(i.source, i.value),
            i.score.map_or(Cell::text(""), Cell::Num),
            Cell::Num(i.full_score),
        ])?;
    }
    sheet.end()?;
    entries_sheet(&mut book, &d.entries)?;
    drill_tickets(&mut book, d)?;
    drill_findings(&mut book, d)?;
    book.finish()
}

fn drill_tickets(book: &mut Book, d: &Drill) -> Result<()> {
    let lang = book.lang;
    let cols = [
        Col::ident(C::TicketNo, lang, 17.0),
        Col::new(C::Unit, lang, 16.0),
        Col::new(C::State, lang, 10.0),
        Col::new(C::IssuedOn, lang, 11.0),
        Col::new(C::DueOn, lang, 13.0),
        Col::new(C::ApprovedOn, lang, 13.0),
        Col::new(C::Overdue, lang, 7.0),
        Col::new(C::RecoveredYuan, lang, 16.0),
        Col::new(C::Deducted, lang, 8.0),
    ];
    let mut sheet = book.sheet(SheetName::Tickets, &cols)?;
    for t in &d.tickets {
        let tk = &t.ticket;
        sheet.row(&[
            Cell::text(&tk.number),
            Cell::text(&tk.unit),
            value(lang, ticket_state, tk.state.as_str()),
            Cell::Date(&tk.issued_on),
            Cell::Date(&tk.due_on),
            Cell::Date(tk.approved_on.as_deref().unwrap_or("")),
            yes_no(lang, tk.overdue),
            Cell::Yuan(tk.recovered_yuan),
            Cell::Num(t.deducted),
        ])?;
    }
    sheet.end()
}

fn drill_findings(book: &mut Book, d: &Drill) -> Result<()> {
    let lang = book.lang;
    let cols = [
        Col::new(C::Id, lang, 8.0),
        Col::ident(C::Rule, lang, 9.0),
        Col::ident(C::CustNo, lang, 17.0),
        Col::new(C::Station, lang, 14.0),
        Col::ident(C::Subject, lang, 24.0),
        Col::new(C::FirstSeen, lang, 11.0),
        Col::new(C::Status, lang, 10.0),
        Col::new(C::AmountYuan, lang, 16.0),
        Col::ident(C::TicketNo, lang, 17.0),
    ];
    let mut sheet = book.sheet(SheetName::Findings, &cols)?;
    for f in &d.findings {
        sheet.row(&[
            Cell::Int(f.id),
            Cell::text(&f.rule),
            Cell::text(&f.cust_no),
            Cell::text(&f.station),
            Cell::text(&f.subject),
            Cell::Date(&f.first_seen),
            value(lang, status, f.status.as_str()),
            Cell::Yuan(f.amount_yuan),
            Cell::opt(f.ticket.as_deref()),
        ])?;
    }
    sheet.end()
}

/// `quality indicator list`: every indicator with its scoring, enabled or not.
pub fn indicators(lang: Lang, list: &[Indicator]) -> Result<(Vec<u8>, u64)> {
    let mut book = Book::new(lang);
    let cols = [
        Col::new(C::Id, lang, 6.0),
        Col::new(C::Enabled, lang, 7.0),
        Col::new(C::Category, lang, 12.0),
        Col::new(C::Name, lang, 24.0),
        Col::new(C::Kind, lang, 10.0),
        Col::new(C::Level, lang, 9.0),
        Col::new(C::Source, lang, 20.0),
        Col::new(C::Direction, lang, 9.0),
        Col::new(C::BaseValue, lang, 10.0),
        Col::new(C::FullValue, lang, 10.0),
        Col::new(C::FullScore, lang, 8.0),
    ];
    let mut sheet = book.sheet(SheetName::Indicators, &cols)?;
    for i in list {
        sheet.row(&[
            Cell::Int(i.id),
            yes_no(lang, i.enabled),
            Cell::text(&i.category),
            Cell::text(&i.name),
            kind_name(lang, i.kind),
            Cell::text(i.level.as_str()),
            Cell::text(i.source.as_str()),
            Cell::text(i.direction.as_str()),
            indicator_value(i.source, Some(i.base_value)),
            indicator_value(i.source, Some(i.full_value)),
            Cell::Num(i.full_score),
        ])?;
    }
    sheet.end()?;
    book.finish()
}
