//! The report (日报 周报 月报) as a workbook: a sheet per breakdown — the figures, by unit, by
//! rule, the unit ranking and the overdue tickets. Rates are numbers in a % format (`—` when
//! the denominator is 0), as `crate::reports` computed them.

use super::{value, Book, Cell, Col};
use crate::context::Lang;
use crate::error::Result;
use crate::i18n::columns::{Column as C, SheetName};
use crate::i18n::ticket_state;
use crate::reports::{Figures, Report};

/// The report's workbook, for `jicha report --format xlsx` and the reports screen.
pub fn workbook(lang: Lang, r: &Report) -> Result<(Vec<u8>, u64)> {
    let mut book = Book::new(lang);
    figures(&mut book, r)?;
    by_unit(&mut book, r)?;
    by_rule(&mut book, r)?;
    ranking(&mut book, r)?;
    overdue(&mut book, r)?;
    book.finish()
}

fn count(n: u64) -> Cell<'static> {
    Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// Every figure of the total, in the order of workflow.md's table.
fn total_figures(f: &Figures) -> [(C, Cell<'static>); 14] {
    [
        (C::Detected, count(f.themes_with_findings)),
        (C::Ticketed, count(f.themes_ticketed)),
        (C::InitiationRate, Cell::Rate(f.initiation_rate)),
        (C::Issued, count(f.tickets_issued)),
        (C::Completed, count(f.tickets_completed)),
        (C::CompletionRate, Cell::Rate(f.completion_rate)),
        (C::ToRectify, count(f.findings_to_rectify)),
        (C::Rectified, count(f.findings_rectified)),
        (C::RectificationRate, Cell::Rate(f.rectification_rate)),
        (C::TicketsOverdue, count(f.tickets_overdue)),
        (C::OverdueRate, Cell::Rate(f.overdue_rate)),
        (C::OpenBefore, count(f.open_before)),
        (C::OpenAfter, count(f.open_after)),
        (C::CumulativeRate, Cell::Rate(f.cumulative_completion_rate)),
    ]
}

fn figures(book: &mut Book, r: &Report) -> Result<()> {
    let lang = book.lang;
    let cols = [
        Col::new(C::Figure, lang, 30.0),
        Col::new(C::Value, lang, 24.0),
    ];
    let mut sheet = book.sheet(SheetName::Figures, &cols)?;
    sheet.row(&[
        Cell::text(C::Period.text(lang)),
        Cell::owned(format!("{} .. {}", r.from, r.to)),
    ])?;
    for (label, v) in total_figures(&r.total) {
        sheet.row(&[Cell::text(label.text(lang)), v])?;
    }
    sheet.end()
}

fn by_unit(book: &mut Book, r: &Report) -> Result<()> {
    let lang = book.lang;
    let cols = [
        Col::new(C::Unit, lang, 16.0),
        Col::new(C::Issued, lang, 10.0),
        Col::new(C::Completed, lang, 10.0),
        Col::new(C::CompletionRate, lang, 14.0),
        Col::new(C::RectificationRate, lang, 14.0),
        Col::new(C::OverdueRate, lang, 12.0),
        Col::new(C::OpenAfter, lang, 10.0),
        Col::new(C::CumulativeRate, lang, 14.0),
    ];
    let mut sheet = book.sheet(SheetName::ByUnit, &cols)?;
    for (u, f) in &r.by_unit {
        sheet.row(&[
            Cell::text(u),
            count(f.tickets_issued),
            count(f.tickets_completed),
            Cell::Rate(f.completion_rate),
            Cell::Rate(f.rectification_rate),
            Cell::Rate(f.overdue_rate),
            count(f.open_after),
            Cell::Rate(f.cumulative_completion_rate),
        ])?;
    }
    sheet.end()
}

fn by_rule(book: &mut Book, r: &Report) -> Result<()> {
    let lang = book.lang;
    let cols = [
        Col::ident(C::Rule, lang, 10.0),
        Col::new(C::RuleName, lang, 24.0),
        Col::new(C::Detected, lang, 12.0),
        Col::new(C::ToRectify, lang, 12.0),
        Col::new(C::Rectified, lang, 12.0),
        Col::new(C::OpenBefore, lang, 12.0),
        Col::new(C::OpenAfter, lang, 12.0),
        Col::new(C::ChangeRate, lang, 12.0),
    ];
    let mut sheet = book.sheet(SheetName::ByRule, &cols)?;
    for (rule, f) in &r.by_rule {
        let name = r
            .rule_names
            .get(rule)
            .map(|(zh, en)| if lang == Lang::Zh { zh } else { en })
            .map_or("", String::as_str);
        sheet.row(&[
            Cell::text(rule),
            Cell::text(name),
            count(f.themes_with_findings),
            count(f.findings_to_rectify),
            count(f.findings_rectified),
            count(f.open_before),
            count(f.open_after),
            Cell::Rate(f.indicator_change_rate.flatten()),
        ])?;
    }
    sheet.end()
}

fn ranking(book: &mut Book, r: &Report) -> Result<()> {
    let lang = book.lang;
    let cols = [
        Col::new(C::Rank, lang, 6.0),
        Col::new(C::Unit, lang, 16.0),
        Col::new(C::CompletionRate, lang, 14.0),
    ];
    let mut sheet = book.sheet(SheetName::Ranking, &cols)?;
    for (i, u) in r.unit_ranking.iter().enumerate() {
        let rate = r.by_unit.get(u).and_then(|f| f.completion_rate);
        sheet.row(&[
            Cell::Int(i64::try_from(i + 1).unwrap_or(i64::MAX)),
            Cell::text(u),
            Cell::Rate(rate),
        ])?;
    }
    sheet.end()
}

fn overdue(book: &mut Book, r: &Report) -> Result<()> {
    let lang = book.lang;
    let cols = [
        Col::ident(C::TicketNo, lang, 17.0),
        Col::new(C::Unit, lang, 16.0),
        Col::new(C::State, lang, 10.0),
        Col::new(C::IssuedOn, lang, 11.0),
        Col::new(C::DueOn, lang, 13.0),
        Col::new(C::ApprovedOn, lang, 13.0),
        Col::new(C::DaysLate, lang, 10.0),
    ];
    let mut sheet = book.sheet(SheetName::OverdueList, &cols)?;
    for o in &r.overdue {
        sheet.row(&[
            Cell::text(&o.number),
            Cell::text(&o.unit),
            value(lang, ticket_state, o.state.as_str()),
            Cell::Date(&o.issued_on),
            Cell::Date(&o.due_on),
            Cell::Date(o.approved_on.as_deref().unwrap_or("")),
            Cell::Int(o.days_late),
        ])?;
    }
    sheet.end()
}
