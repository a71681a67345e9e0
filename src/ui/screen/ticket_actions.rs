//! A ticket's transitions, the same from the tickets list (the ticket under the cursor) and
//! from a ticket's page: acknowledge, submit the rectification, the first review (two levels),
//! approve, return, cancel, archive. `keys` says which of them a ticket's state offers.

use super::{Cx, Invalid};
use crate::actions::Action as Op;
use crate::states::TicketState as T;
use crate::text::escape;
use crate::tickets::Ticket;
use crate::ui::dialog::{Confirm, Editor, Field, Form, Value};
use crate::ui::i18n::{self, Msg};
use crate::ui::keymap::Action;
use crate::ui::worker::Change;
use crate::ui::write::Write;
use std::any::Any;

/// What a ticket's dialog is for, with the ticket's version as it was shown.
#[derive(Debug, Clone)]
pub enum Ask {
    /// Fields: cause, measures, amount recovered, responsible person, accountability.
    Submit {
        number: String,
        id: i64,
        version: i64,
    },
    ReturnReason {
        number: String,
        id: i64,
        version: i64,
    },
    CancelReason {
        number: String,
        id: i64,
        version: i64,
        findings: i64,
    },
}

/// Starts the transition `a` on ticket `t`; false when `a` is not one.
pub fn start(a: Action, t: &Ticket, cx: &mut Cx) -> bool {
    let (number, id, version) = (t.number.clone(), t.id, t.version);
    if t.state == T::Archived && TRANSITIONS.contains(&a) {
        // Read-only: said at once, not after a dialog whose answer would be refused.
        let why = crate::i18n::refusals_tickets::TicketWrong::Archived {
            number,
            on: t.archived_on.clone().unwrap_or_default(),
        };
        cx.error(escape(&why.text(cx.lang())).into_owned());
        return true;
    }
    if !allowed(a, t, cx) {
        return true;
    }
    match a {
        Action::TkAck => {
            let op = Op::TicketAck { number };
            cx.perform(Write::new(Change::one(op, vec![(id, version)])));
        }
        Action::TkSubmit => submit_form(t, cx),
        Action::TkApprove => {
            let question = i18n::approve_ticket_question(cx.lang(), &number, t.findings);
            let op = Op::TicketApprove { number };
            let write = Write::new(Change::one(op, vec![(id, version)]));
            cx.dialog(Confirm::new(question, write));
        }
        Action::TkReview => {
            let question = i18n::review_ticket_question(cx.lang(), &number);
            let op = Op::TicketReview { number };
            let write = Write::new(Change::one(op, vec![(id, version)]));
            cx.dialog(Confirm::new(question, write));
        }
        Action::TkArchive => {
            let question = i18n::archive_ticket_question(cx.lang(), &number);
            let op = Op::TicketArchive { number };
            let write = Write::new(Change::one(op, vec![(id, version)]));
            cx.dialog(Confirm::new(question, write));
        }
        Action::TkReturn => {
            let title = format!("{} — {}", cx.t(Msg::EditReturnReason), escape(&number));
            let ask = Ask::ReturnReason {
                number,
                id,
                version,
            };
            cx.dialog(Editor::new(title, ask));
        }
        Action::TkCancel => {
            let title = format!(
                "{} — {} ({})",
                cx.t(Msg::EditCancelReason),
                escape(&number),
                t.findings
            );
            let ask = Ask::CancelReason {
                number,
                id,
                version,
                findings: t.findings,
            };
            cx.dialog(Editor::new(title, ask));
        }
        _ => return false,
    }
    true
}

/// The submit form of ticket `t`: cause, measures, amount recovered, the person responsible and
/// the accountability outcome.
fn submit_form(t: &Ticket, cx: &mut Cx) {
    let (number, id, version) = (t.number.clone(), t.id, t.version);
    let req = cx.t(Msg::FieldRequired);
    let opt = cx.t(Msg::FieldOptional);
    // A returned ticket is submitted again: the form holds the last submission, to
    // be corrected rather than typed again.
    let recovered = t.recovered_yuan.map(|v| v.to_string()).unwrap_or_default();
    // …and what it named of accountability (问责), in the operator's words.
    let named = crate::deductions::accountability(&cx.ds.conn, t.id)
        .ok()
        .flatten();
    let person = named.as_ref().and_then(|a| a.person.clone());
    let outcome = named
        .as_ref()
        .and_then(|a| a.outcome.as_deref())
        .map(|o| outcome_word(cx.lang(), o))
        .unwrap_or_default();
    let fields = vec![
        Field::new(
            format!("{} ({req})", cx.t(Msg::Cause)),
            true,
            t.cause.as_deref().unwrap_or(""),
        ),
        Field::new(
            format!("{} ({req})", cx.t(Msg::Measures)),
            true,
            t.measures.as_deref().unwrap_or(""),
        ),
        Field::new(
            format!("{} ({opt})", cx.t(Msg::Recovered)),
            false,
            &recovered,
        ),
        Field::new(
            format!("{} ({opt})", cx.t(Msg::Responsible)),
            false,
            person.as_deref().unwrap_or(""),
        ),
        Field::new(
            format!("{} ({opt})", cx.t(Msg::AccountabilityChoices)),
            false,
            &outcome,
        ),
    ];
    let title = format!("{} — {}", cx.t(Msg::FormSubmitTicket), escape(&number));
    let ask = Ask::Submit {
        number,
        id,
        version,
    };
    cx.dialog(Form::new(title, fields, ask));
}

/// Whether the operator may start `a` on `t`, said at the key before any dialog opens (the
/// status line names the role needed, or why a reviewer may not judge their own submission);
/// the action checks again when it is performed.
fn allowed(a: Action, t: &Ticket, cx: &mut Cx) -> bool {
    let number = t.number.clone();
    let op = match a {
        Action::TkAck => Op::TicketAck { number },
        Action::TkSubmit => Op::TicketSubmit {
            number,
            cause: String::new(),
            measures: String::new(),
            recovered: None,
        },
        Action::TkApprove => Op::TicketApprove { number },
        Action::TkReview => Op::TicketReview { number },
        Action::TkArchive => Op::TicketArchive { number },
        Action::TkReturn => Op::TicketReturn {
            number,
            reason: String::new(),
        },
        Action::TkCancel => Op::TicketCancel {
            number,
            reason: String::new(),
        },
        _ => return true,
    };
    if !super::triage::may(&op, cx) {
        return false;
    }
    let judges = matches!(a, Action::TkApprove | Action::TkReview | Action::TkReturn);
    if judges && t.submitted_by.as_deref() == Some(cx.ctx.operator.as_str()) {
        let why = crate::i18n::refusals_tickets::TicketWrong::OwnSubmission {
            number: t.number.clone(),
        };
        cx.error(escape(&why.text(cx.lang())).into_owned());
        return false;
    }
    true
}

/// The transition keys a ticket in `state` offers, `review_levels` being `levels`: the first
/// review only with two levels, approval of a submitted ticket only with one, archive only once
/// approved, none on a cancelled or archived ticket. `then` follows them (the screen's own keys).
pub fn keys(state: Option<T>, levels: i64, then: Then) -> &'static [Action] {
    use Action::*;
    macro_rules! with {
        ($($k:ident),*) => {
            match then {
                Then::Page => &[$($k,)* Open, Back],
                Then::List => &[TkView, Open, $($k,)* Help],
            }
        };
    }
    match state {
        Some(T::Dispatched) => with!(TkAck, TkSubmit, TkCancel),
        Some(T::Rectifying) => with!(TkSubmit, TkCancel),
        Some(T::Returned) => with!(TkAck, TkSubmit, TkCancel),
        Some(T::Submitted) if levels >= 2 => with!(TkReview, TkReturn, TkCancel),
        Some(T::Submitted) | Some(T::Reviewed) => with!(TkApprove, TkReturn, TkCancel),
        Some(T::Approved) => with!(TkArchive),
        Some(T::Cancelled) | Some(T::Archived) | None => with!(),
    }
}

/// Every key that moves a ticket.
const TRANSITIONS: &[Action] = &[
    Action::TkAck,
    Action::TkSubmit,
    Action::TkReview,
    Action::TkApprove,
    Action::TkReturn,
    Action::TkCancel,
    Action::TkArchive,
];

/// Which screen's keys follow a ticket's transition keys in the footer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    /// The ticket's page: open a finding, back.
    Page,
    /// The tickets list: next queue and open first, help last.
    List,
}

/// The answer of a dialog `start` opened (other tags are not this module's: `Ok`).
pub fn reply(tag: &dyn Any, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
    let Some(ask) = tag.downcast_ref::<Ask>() else {
        return Ok(());
    };
    match (ask.clone(), value) {
        (
            Ask::Submit {
                number,
                id,
                version,
            },
            Value::Fields(texts),
        ) => {
            let fail = |field: usize, msg: Msg| {
                Err(Invalid {
                    message: cx.t(msg).to_string(),
                    field: Some(field),
                })
            };
            if texts[0].is_empty() || texts[1].is_empty() {
                let at = usize::from(!texts[0].is_empty());
                return fail(at, Msg::NeedCauseMeasures);
            }
            let recovered = if texts[2].is_empty() {
                None
            } else {
                match texts[2]
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && *v >= 0.0)
                {
                    Some(v) => Some(v),
                    None => return fail(2, Msg::BadAmount),
                }
            };
            let person = texts.get(3).filter(|p| !p.trim().is_empty()).cloned();
            let outcome = match texts.get(4).map(|o| o.trim()).filter(|o| !o.is_empty()) {
                None => None,
                Some(o) => match parse_outcome(o) {
                    Some(o) => Some(o.to_string()),
                    None => return fail(4, Msg::BadAccountability),
                },
            };
            let op = Op::TicketSubmit {
                number,
                cause: texts[0].clone(),
                measures: texts[1].clone(),
                recovered,
            };
            let change = if person.is_none() && outcome.is_none() {
                Change::one(op, vec![(id, version)])
            } else {
                let cmd = crate::actions::deductions::SubmitAccountable {
                    submit: op,
                    person,
                    outcome,
                };
                Change::Submit(cmd, vec![(id, version)])
            };
            cx.perform(Write::new(change));
        }
        (
            Ask::ReturnReason {
                number,
                id,
                version,
            },
            Value::Text(reason),
        ) => {
            let op = Op::TicketReturn { number, reason };
            cx.perform(Write::new(Change::one(op, vec![(id, version)])));
        }
        (
            Ask::CancelReason {
                number,
                id,
                version,
                findings,
            },
            Value::Text(reason),
        ) => {
            // Cancelling sends the findings back to the confirmed queue: ask first.
            let question = i18n::cancel_ticket_question(cx.lang(), &number, findings);
            let op = Op::TicketCancel { number, reason };
            let write = Write::new(Change::one(op, vec![(id, version)]));
            cx.dialog(Confirm::new(question, write));
        }
        _ => {}
    }
    Ok(())
}

/// An accountability outcome as the form shows it: the Chinese word in Chinese, the stored
/// word (`criticism` …) in English.
fn outcome_word(lang: crate::context::Lang, stored: &str) -> String {
    match lang {
        crate::context::Lang::Zh => crate::i18n::qc::accountability_word(lang, stored).to_string(),
        crate::context::Lang::En => stored.to_string(),
    }
}

/// The stored word of an outcome typed in either language (无 / none, 批评教育 / criticism,
/// 考核 / assessment, 移交纪检 / discipline); None for anything else.
pub fn parse_outcome(typed: &str) -> Option<&'static str> {
    let t = typed.trim().to_lowercase();
    crate::deductions::OUTCOMES.iter().copied().find(|o| {
        t == *o
            || t == crate::i18n::qc::accountability_word(crate::context::Lang::Zh, o)
            || t == crate::i18n::qc::accountability_word(crate::context::Lang::En, o)
    })
}

#[cfg(test)]
mod tests {
    use super::parse_outcome;

    #[test]
    fn outcomes_are_read_in_either_language() {
        assert_eq!(parse_outcome("批评教育"), Some("criticism"));
        assert_eq!(parse_outcome(" Discipline "), Some("discipline"));
        assert_eq!(parse_outcome("无"), Some("none"));
        assert_eq!(parse_outcome("考核"), Some("assessment"));
        assert_eq!(parse_outcome("移交"), None);
    }
}
