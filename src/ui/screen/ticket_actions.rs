//! A ticket's transitions, the same from the tickets list (the ticket under the cursor) and
//! from a ticket's page: acknowledge, submit the rectification, approve, return, cancel.

use super::{Cx, Invalid};
use crate::actions::Action as Op;
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
    /// Fields: cause, measures, amount recovered.
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
    match a {
        Action::TkAck => {
            let op = Op::TicketAck { number };
            cx.perform(Write::new(Change::one(op, vec![(id, version)])));
        }
        Action::TkSubmit => {
            let req = cx.t(Msg::FieldRequired);
            let opt = cx.t(Msg::FieldOptional);
            let fields = vec![
                Field::new(format!("{} ({req})", cx.t(Msg::Cause)), true, ""),
                Field::new(format!("{} ({req})", cx.t(Msg::Measures)), true, ""),
                Field::new(format!("{} ({opt})", cx.t(Msg::Recovered)), false, ""),
            ];
            let title = format!("{} — {}", cx.t(Msg::FormSubmitTicket), escape(&number));
            let ask = Ask::Submit {
                number,
                id,
                version,
            };
            cx.dialog(Form::new(title, fields, ask));
        }
        Action::TkApprove => {
            let question = i18n::approve_ticket_question(cx.lang(), &number, t.findings);
            let op = Op::TicketApprove { number };
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
            let op = Op::TicketSubmit {
                number,
                cause: texts[0].clone(),
                measures: texts[1].clone(),
                recovered,
            };
            cx.perform(Write::new(Change::one(op, vec![(id, version)])));
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
