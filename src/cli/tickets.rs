//! `jicha ticket …`: create, move through the workflow, list, show.

use super::args::*;
use super::format::{headers, in_lang};
use super::{csv_err, output, perform, Session};
use crate::actions::Action;
use crate::context::Lang;
use crate::error::Result;
use crate::i18n::cli::{say, Col, Msg};
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
            require_inspection,
            campaign,
        } => {
            let create = Action::TicketCreate {
                findings,
                unit,
                person,
                due,
                requirement,
            };
            let outcome = match (campaign, require_inspection) {
                (Some(c), false) => return super::campaigns::ticket_for(s, create, c),
                (None, false) => return perform(s, create),
                (None, true) => {
                    crate::actions::inspections::create_ticket_requiring(&mut s.ds, &s.ctx, create)?
                }
                (Some(c), true) => crate::actions::inspections::create_campaign_ticket_requiring(
                    &mut s.ds, &s.ctx, create, c,
                )?,
            };
            super::print_outcome(&outcome, s.ctx.lang);
            return Ok(());
        }
        TicketVerb::Ack { number } => Action::TicketAck { number },
        TicketVerb::Submit {
            number,
            cause,
            measures,
            recovered,
            responsible,
            accountability,
        } => {
            let submit = Action::TicketSubmit {
                number,
                cause,
                measures,
                recovered,
            };
            if responsible.is_none() && accountability.is_none() {
                submit
            } else {
                return submit_accountable(s, submit, responsible, accountability);
            }
        }
        TicketVerb::Approve { number } => Action::TicketApprove { number },
        TicketVerb::Return { number, reason } => Action::TicketReturn { number, reason },
        TicketVerb::Cancel { number, reason } => Action::TicketCancel { number, reason },
        TicketVerb::Review { number } => Action::TicketReview { number },
        TicketVerb::Archive { number } => Action::TicketArchive { number },
        TicketVerb::List { state, format, .. } => {
            let list = tickets::list(&s.ds.conn, state.map(|v| v.as_str()), s.ctx.today)?;
            return print_tickets(&list, format, s.ctx.lang);
        }
        TicketVerb::Show { number } => return show_ticket(s, &number),
    };
    perform(s, action)
}

pub(super) fn print_tickets(list: &[tickets::Ticket], format: Format, lang: Lang) -> Result<()> {
    let stdout = output::stdout();
    let mut out = stdout.lock();
    match format {
        Format::Json => writeln!(
            out,
            "{}",
            json_for_stdout(serde_json::to_string_pretty(list).expect("serializable"))
        )?,
        Format::Xlsx => {
            crate::output::xlsx::emit(&crate::output::xlsx::lists::tickets(lang, list)?.0)?
        }
        Format::Csv => {
            output::csv_start(&mut out)?;
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
                    t.state.to_string(),
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
                &headers(
                    lang,
                    &[
                        (Col::Number, 15),
                        (Col::State, 10),
                        (Col::Unit, 16),
                        (Col::IssuedOn, 10),
                        (Col::DueOn, 10),
                        (Col::Overdue, 7),
                        (Col::Findings, 8),
                        (Col::Requirement, 50),
                    ],
                ),
            )?;
            let overdue = Msg::OverdueMark.text(lang);
            for k in list {
                t.row(&[
                    &k.number,
                    &state_name(lang, k.state.as_str()),
                    &k.unit,
                    &k.issued_on,
                    &k.due_on,
                    if k.overdue { overdue } else { "" },
                    &k.findings.to_string(),
                    &k.requirement,
                ])?;
            }
            drop(t);
            writeln!(
                out,
                "{}",
                say(lang, Msg::TicketsCount, &[("n", &list.len())])
            )?;
        }
    }
    Ok(())
}

/// A ticket state as people read it: the stored text under en, the Chinese name under zh.
fn state_name(lang: Lang, state: &str) -> String {
    in_lang(lang, state, crate::i18n::ticket_state(lang, state))
}

/// A label and the space after it (none after a full-width colon).
fn labelled(lang: Lang, m: Msg) -> String {
    let l = m.text(lang);
    if l.ends_with('：') {
        l.to_string()
    } else {
        format!("{l} ")
    }
}

/// Who took the ticket through its review chain, and when: submitted, first review (two
/// levels), approved, archived — those that happened.
fn review_lines(lang: Lang, t: &tickets::Ticket) -> Vec<String> {
    [
        (Msg::TicketSubmittedLine, &t.submitted_on, &t.submitted_by),
        (Msg::TicketFirstReviewLine, &t.reviewed_on, &t.reviewed_by),
        (Msg::TicketApprovedLine, &t.approved_on, &t.approved_by),
        (Msg::TicketArchivedLine, &t.archived_on, &t.archived_by),
    ]
    .into_iter()
    .filter_map(|(m, on, by)| Some(say(lang, m, &[("on", on.as_ref()?), ("by", by.as_ref()?)])))
    .collect()
}

pub(super) fn show_ticket(s: &Session, number: &str) -> Result<()> {
    let t = tickets::get(&s.ds.conn, number, s.ctx.today)?;
    let lang = s.ctx.lang;
    let l = |m: Msg| labelled(lang, m);
    let finding_status = |st: &str| in_lang(lang, st, crate::i18n::status(lang, st));
    let issued = say(
        lang,
        Msg::IssuedLine,
        &[
            ("issued", &t.issued_on),
            ("by", &t.issued_by),
            ("due", &t.due_on),
        ],
    );
    let mut out = format!(
        "{} {}  [{}]{}\n  {}{}  {}{}\n  {issued}\n  {}{}\n",
        Msg::TicketHead.text(lang),
        t.number,
        state_name(lang, t.state.as_str()),
        if t.overdue {
            format!("  {}", Msg::OverdueMark.text(lang))
        } else {
            String::new()
        },
        l(Msg::UnitLabel),
        t.unit,
        l(Msg::PersonLabel),
        t.person.as_deref().unwrap_or("-"),
        l(Msg::RequirementLabel),
        t.requirement
    );
    if let Some(c) = &t.cause {
        out.push_str(&format!(
            "  {}{c}\n  {}{}\n  {}{} 元\n",
            l(Msg::CauseLabel),
            l(Msg::MeasuresLabel),
            t.measures.as_deref().unwrap_or(""),
            l(Msg::RecoveredLabel),
            t.recovered_yuan
                .map(|r| format!("{r:.2}"))
                .unwrap_or_else(|| "-".into())
        ));
    }
    for line in review_lines(lang, &t) {
        out.push_str(&format!("  {line}\n"));
    }
    out.push_str(&super::qc::ticket_lines(s, t.id)?);
    out.push_str(&format!("{}\n", Msg::FindingsLabel.text(lang)));
    for f in tickets::findings_of(&s.ds.conn, t.id, s.ctx.today)? {
        out.push_str(&format!(
            "  {} {} {} {} [{}] {}\n",
            f.id,
            f.rule,
            f.cust_no,
            f.subject,
            finding_status(f.status.as_str()),
            crate::i18n::evidence::render(lang, &f.evidence)
        ));
    }
    out.push_str(&format!("{}\n", Msg::HistoryLabel.text(lang)));
    for e in tickets::events(&s.ds.conn, t.id)? {
        out.push_str(&format!(
            "  {}\n",
            crate::i18n::ticket_history::line(lang, &e)
        ));
    }
    write!(
        output::stdout(),
        "{}",
        text::escape(&out).replace('␊', "\n")
    )?;
    Ok(())
}

/// `ticket submit --responsible … --accountability …`: the submission and what it names, in one
/// transaction.
fn submit_accountable(
    s: &mut Session,
    submit: Action,
    person: Option<String>,
    outcome: Option<super::qc::AccountabilityArg>,
) -> Result<()> {
    let cmd = crate::actions::deductions::SubmitAccountable {
        submit,
        person,
        outcome: outcome.map(|o| o.as_str().to_string()),
    };
    for o in crate::actions::deductions::submit(&mut s.ds, &s.ctx, &cmd)? {
        super::print_outcome(&o, s.ctx.lang);
    }
    Ok(())
}
