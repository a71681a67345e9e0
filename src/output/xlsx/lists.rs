//! Tickets and whitelist entries as workbooks: the rows of `ticket list` and `whitelist list`
//! in CSV, one sheet each.

use super::{value, yes_no, Book, Cell, Col};
use crate::context::Lang;
use crate::error::Result;
use crate::i18n::columns::{Column as C, SheetName};
use crate::i18n::{ticket_state, wl_state};
use crate::tickets::Ticket;
use crate::whitelist::Entry;

pub fn tickets(lang: Lang, list: &[Ticket]) -> Result<(Vec<u8>, u64)> {
    let mut book = Book::new(lang);
    let cols = [
        Col::ident(C::TicketNo, lang, 17.0),
        Col::new(C::State, lang, 10.0),
        Col::new(C::Unit, lang, 16.0),
        Col::new(C::Person, lang, 12.0),
        Col::new(C::IssuedOn, lang, 11.0),
        Col::new(C::DueOn, lang, 13.0),
        Col::new(C::Overdue, lang, 7.0),
        Col::new(C::Findings, lang, 8.0),
        Col::new(C::ApprovedOn, lang, 13.0),
        Col::new(C::RecoveredYuan, lang, 16.0),
        Col::new(C::Requirement, lang, 50.0),
    ];
    let mut sheet = book.sheet(SheetName::Tickets, &cols)?;
    for t in list {
        sheet.row(&[
            Cell::text(&t.number),
            value(lang, ticket_state, t.state.as_str()),
            Cell::text(&t.unit),
            Cell::opt(t.person.as_deref()),
            Cell::Date(&t.issued_on),
            Cell::Date(&t.due_on),
            yes_no(lang, t.overdue),
            Cell::Int(t.findings),
            Cell::Date(t.approved_on.as_deref().unwrap_or("")),
            Cell::Yuan(t.recovered_yuan),
            Cell::text(&t.requirement),
        ])?;
    }
    sheet.end()?;
    book.finish()
}

pub fn whitelist(lang: Lang, entries: &[Entry]) -> Result<(Vec<u8>, u64)> {
    let mut book = Book::new(lang);
    let cols = [
        Col::new(C::Id, lang, 6.0),
        Col::ident(C::Rule, lang, 9.0),
        Col::ident(C::CustNo, lang, 17.0),
        Col::new(C::State, lang, 9.0),
        Col::new(C::StartsOn, lang, 11.0),
        Col::new(C::ExpiresOn, lang, 11.0),
        Col::new(C::Author, lang, 12.0),
        Col::new(C::ApprovedBy, lang, 12.0),
        Col::new(C::Reason, lang, 50.0),
    ];
    let mut sheet = book.sheet(SheetName::Whitelist, &cols)?;
    for e in entries {
        sheet.row(&[
            Cell::Int(e.id),
            Cell::text(&e.rule),
            Cell::text(&e.cust_no),
            value(lang, wl_state, &e.state),
            Cell::Date(&e.starts_on),
            Cell::Date(&e.expires_on),
            Cell::text(&e.author),
            Cell::opt(e.approved_by.as_deref()),
            Cell::text(&e.reason),
        ])?;
    }
    sheet.end()?;
    book.finish()
}
