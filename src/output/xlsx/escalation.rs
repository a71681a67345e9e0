//! The escalation notices (督办单) as a workbook: the rows of `escalation list`, and a second
//! sheet with every ticket each notice lists. Notice and ticket numbers are text cells.

use super::{Book, Cell, Col};
use crate::context::Lang;
use crate::error::Result;
use crate::escalation::{Escalation, Listed};
use crate::i18n::columns::SheetName;
use crate::i18n::escalation::EscWord as W;
use crate::output::escalation::{state, ticket_state};

fn col(w: W, lang: Lang, width: f64, ident: bool) -> Col {
    Col {
        head: w.text(lang).to_string(),
        width,
        ident,
    }
}

/// `list` with, for each notice, the tickets it lists.
pub fn notices(lang: Lang, list: &[(Escalation, Vec<Listed>)]) -> Result<(Vec<u8>, u64)> {
    let mut book = Book::new(lang);
    let cols = [
        col(W::Number, lang, 17.0, true),
        col(W::Unit, lang, 16.0, false),
        col(W::Head, lang, 12.0, false),
        col(W::IssuedOn, lang, 11.0, false),
        col(W::IssuedBy, lang, 12.0, false),
        col(W::Round, lang, 8.0, false),
        col(W::Tickets, lang, 8.0, false),
        col(W::State, lang, 30.0, false),
        col(W::ClosedOn, lang, 11.0, false),
        col(W::SupersededBy, lang, 17.0, true),
    ];
    let mut sheet = book.sheet(SheetName::Escalations, &cols)?;
    for (e, _) in list {
        sheet.row(&[
            Cell::text(&e.number),
            Cell::text(&e.unit),
            Cell::opt(e.head.as_deref()),
            Cell::Date(&e.issued_on),
            Cell::text(&e.issued_by),
            Cell::Int(e.round),
            Cell::Int(e.tickets),
            Cell::owned(state(lang, e)),
            Cell::Date(e.closed_on.as_deref().unwrap_or("")),
            Cell::opt(e.superseded_by.as_deref()),
        ])?;
    }
    sheet.end()?;
    let cols = [
        col(W::Number, lang, 17.0, true),
        col(W::Unit, lang, 16.0, false),
        col(W::TicketNo, lang, 17.0, true),
        col(W::TicketIssued, lang, 11.0, false),
        col(W::DueOn, lang, 13.0, false),
        col(W::DaysOverdue, lang, 9.0, false),
        col(W::TicketState, lang, 10.0, false),
        col(W::Requirement, lang, 50.0, false),
    ];
    let mut sheet = book.sheet(SheetName::EscalatedTickets, &cols)?;
    for (e, tickets) in list {
        for t in tickets {
            sheet.row(&[
                Cell::text(&e.number),
                Cell::text(&e.unit),
                Cell::text(&t.number),
                Cell::Date(&t.issued_on),
                Cell::Date(&t.due_on),
                Cell::Int(t.days_overdue),
                Cell::owned(ticket_state(lang, &t.state)),
                Cell::text(&t.requirement),
            ])?;
        }
    }
    sheet.end()?;
    book.finish()
}
