//! `jicha ticket …`: create, move through the workflow, list, show.

use super::args::*;
use super::{csv_err, output, perform, Session};
use crate::actions::Action;
use crate::error::Result;
use crate::{text, tickets};
use output::{for_stdout, json_for_stdout, Table};
use std::io::Write;

pub(super) fn ticket_cmd(s: &mut Session, verb: TicketVerb) -> Result<()> {
    let action = match verb {
        TicketVerb::Create {
            findings,
            unit,
            person,
            due,
            requirement,
        } => Action::TicketCreate {
            findings,
            unit,
            person,
            due,
            requirement,
        },
        TicketVerb::Ack { number } => Action::TicketAck { number },
        TicketVerb::Submit {
            number,
            cause,
            measures,
            recovered,
        } => Action::TicketSubmit {
            number,
            cause,
            measures,
            recovered,
        },
        TicketVerb::Approve { number } => Action::TicketApprove { number },
        TicketVerb::Return { number, reason } => Action::TicketReturn { number, reason },
        TicketVerb::Cancel { number, reason } => Action::TicketCancel { number, reason },
        TicketVerb::List { state, format } => {
            let list = tickets::list(&s.ds.conn, state.as_deref(), s.ctx.today)?;
            return print_tickets(&list, format);
        }
        TicketVerb::Show { number } => return show_ticket(s, &number),
    };
    perform(s, action)
}

pub(super) fn print_tickets(list: &[tickets::Ticket], format: Format) -> Result<()> {
    let stdout = output::stdout();
    let mut out = stdout.lock();
    match format {
        Format::Json => writeln!(
            out,
            "{}",
            json_for_stdout(serde_json::to_string_pretty(list).expect("serializable"))
        )?,
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "number",
                "state",
                "unit",
                "person",
                "issued_on",
                "due_on",
                "overdue",
                "findings",
                "approved_on",
                "recovered_yuan",
            ])
            .map_err(csv_err)?;
            for t in list {
                let rec = [
                    t.number.clone(),
                    t.state.clone(),
                    t.unit.clone(),
                    t.person.clone().unwrap_or_default(),
                    t.issued_on.clone(),
                    t.due_on.clone(),
                    t.overdue.to_string(),
                    t.findings.to_string(),
                    t.approved_on.clone().unwrap_or_default(),
                    t.recovered_yuan
                        .map(|r| format!("{r:.2}"))
                        .unwrap_or_default(),
                ];
                w.write_record(rec.iter().map(|c| for_stdout(c).into_owned()))
                    .map_err(csv_err)?;
            }
            w.flush()?;
        }
        Format::Table => {
            let mut t = Table::new(
                &mut out,
                &[
                    ("number", 15),
                    ("state", 10),
                    ("unit", 16),
                    ("issued_on", 10),
                    ("due_on", 10),
                    ("overdue", 7),
                    ("findings", 8),
                    ("requirement", 50),
                ],
            )?;
            for k in list {
                t.row(&[
                    &k.number,
                    &k.state,
                    &k.unit,
                    &k.issued_on,
                    &k.due_on,
                    if k.overdue { "OVERDUE" } else { "" },
                    &k.findings.to_string(),
                    &k.requirement,
                ])?;
            }
            drop(t);
            writeln!(out, "({} tickets)", list.len())?;
        }
    }
    Ok(())
}

pub(super) fn show_ticket(s: &Session, number: &str) -> Result<()> {
    let t = tickets::get(&s.ds.conn, number, s.ctx.today)?;
    let mut out = format!(
        "ticket {}  [{}]{}\n  unit: {}  person: {}\n  issued {} by {}, due {}\n  requirement: {}\n",
        t.number,
        t.state,
        if t.overdue { "  OVERDUE" } else { "" },
        t.unit,
        t.person.as_deref().unwrap_or("-"),
        t.issued_on,
        t.issued_by,
        t.due_on,
        t.requirement
    );
    if let Some(c) = &t.cause {
        out.push_str(&format!(
            "  cause: {c}\n  measures: {}\n  recovered: {} 元\n",
            t.measures.as_deref().unwrap_or(""),
            t.recovered_yuan
                .map(|r| format!("{r:.2}"))
                .unwrap_or_else(|| "-".into())
        ));
    }
    out.push_str("findings:\n");
    for f in tickets::findings_of(&s.ds.conn, t.id, s.ctx.today)? {
        out.push_str(&format!(
            "  {} {} {} {} [{}] {}\n",
            f.id, f.rule, f.cust_no, f.subject, f.status, f.evidence
        ));
    }
    out.push_str("history:\n");
    for e in tickets::events(&s.ds.conn, t.id)? {
        out.push_str(&format!(
            "  {} {} {} → {} {}\n",
            e.business_date,
            e.operator,
            e.from_state.as_deref().unwrap_or("-"),
            e.to_state,
            e.details
        ));
    }
    write!(
        output::stdout(),
        "{}",
        text::escape(&out).replace('␊', "\n")
    )?;
    Ok(())
}
