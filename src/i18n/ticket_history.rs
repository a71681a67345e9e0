//! A ticket's events (`ticket_events` rows) as sentences:
//! `2026-12-01 admin1 dispatched to 城关供电所, due 2026-12-31 (→ dispatched)` /
//! `2026-12-01 admin1 派发给 城关供电所，整改期限 2026-12-31（→ 已派发）`.

use super::values::ticket_state;
use crate::context::Lang;
use crate::tickets::Event;
use serde_json::Value;

crate::sentence_kinds! {
    /// What one change of a ticket's state did, read from the event's details.
    #[derive(Debug, Clone, PartialEq)]
    pub enum TicketEvent {
        Dispatched { unit: String, due: String },
        Acknowledged,
        Submitted { cause: String, measures: String, recovered: Option<f64> },
        Approved { late: bool },
        Returned { reason: String },
        Cancelled { reason: String },
        /// The first of two reviews passed (待复核).
        Reviewed,
        /// The final approval after a first review by `first`.
        ApprovedAfterReview { late: bool, first: String },
        /// Returned at the second review.
        ReturnedAtSecond { reason: String },
        Archived,
        /// A state this version does not know: its details as they are.
        Other { details: String },
    }
}

fn text_of(d: &Value, key: &str) -> String {
    d.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

impl TicketEvent {
    pub fn of(e: &Event) -> TicketEvent {
        let d: Value = serde_json::from_str(&e.details).unwrap_or(Value::Null);
        match e.to_state.as_str() {
            "dispatched" => TicketEvent::Dispatched {
                unit: text_of(&d, "unit"),
                due: text_of(&d, "due_on"),
            },
            "rectifying" => TicketEvent::Acknowledged,
            "submitted" => TicketEvent::Submitted {
                cause: text_of(&d, "cause"),
                measures: text_of(&d, "measures"),
                recovered: d.get("recovered_yuan").and_then(Value::as_f64),
            },
            "approved" if d.get("reviewed_by").is_some() => TicketEvent::ApprovedAfterReview {
                late: d.get("late").and_then(Value::as_bool).unwrap_or(false),
                first: text_of(&d, "reviewed_by"),
            },
            "approved" => TicketEvent::Approved {
                late: d.get("late").and_then(Value::as_bool).unwrap_or(false),
            },
            "returned" if d.get("level").and_then(Value::as_i64) == Some(2) => {
                TicketEvent::ReturnedAtSecond {
                    reason: text_of(&d, "reason"),
                }
            }
            "returned" => TicketEvent::Returned {
                reason: text_of(&d, "reason"),
            },
            "reviewed" => TicketEvent::Reviewed,
            "archived" => TicketEvent::Archived,
            "cancelled" => TicketEvent::Cancelled {
                reason: text_of(&d, "reason"),
            },
            _ => TicketEvent::Other {
                details: e.details.clone(),
            },
        }
    }

    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en(),
            Lang::Zh => self.zh(),
        }
    }

    fn en(&self) -> String {
        use TicketEvent::*;
        match self {
            Dispatched { unit, due } => format!("dispatched to {unit}, due {due}"),
            Acknowledged => "acknowledged; rectification under way".into(),
            Submitted {
                cause,
                measures,
                recovered,
            } => {
                let mut s = format!("submitted: cause {cause}; measures {measures}");
                if let Some(r) = recovered {
                    s.push_str(&format!("; {r} yuan recovered"));
                }
                s
            }
            Approved { late: true } => "approved, after the due date".into(),
            Approved { late: false } => "approved".into(),
            Returned { reason } => format!("returned: {reason}"),
            Cancelled { reason } => format!("cancelled: {reason}"),
            Reviewed => "first review passed; waiting for the audit centre's second review".into(),
            ApprovedAfterReview { late, first } => format!(
                "approved at the second review (first review by {first}){}",
                if *late { ", after the due date" } else { "" }
            ),
            ReturnedAtSecond { reason } => format!("returned at the second review: {reason}"),
            Archived => "archived; read-only from now on".into(),
            Other { details } => details.clone(),
        }
    }

    fn zh(&self) -> String {
        use TicketEvent::*;
        match self {
            Dispatched { unit, due } => format!("派发给 {unit}，整改期限 {due}"),
            Acknowledged => "签收，开始整改".into(),
            Submitted {
                cause,
                measures,
                recovered,
            } => {
                let mut s = format!("提交整改：原因分析 {cause}；整改措施 {measures}");
                if let Some(r) = recovered {
                    s.push_str(&format!("；追补 {r} 元"));
                }
                s
            }
            Approved { late: true } => "审核通过（超过整改期限）".into(),
            Approved { late: false } => "审核通过".into(),
            Returned { reason } => format!("退回：{reason}"),
            Cancelled { reason } => format!("取消：{reason}"),
            Reviewed => "初审通过，等待稽查中心复核".into(),
            ApprovedAfterReview { late, first } => format!(
                "复核通过（初审人 {first}）{}",
                if *late {
                    "（超过整改期限）"
                } else {
                    ""
                }
            ),
            ReturnedAtSecond { reason } => format!("复核退回：{reason}"),
            Archived => "已归档，此后只读".into(),
            Other { details } => details.clone(),
        }
    }
}

/// One ticket history row: `date operator sentence (from → to)`. Not escaped: the caller
/// escapes it for the terminal.
pub fn line(lang: Lang, e: &Event) -> String {
    // A creation has no state before it: `(→ dispatched)`.
    let from = e
        .from_state
        .as_deref()
        .map_or(String::new(), |f| format!("{} ", ticket_state(lang, f)));
    let to = ticket_state(lang, &e.to_state);
    let moved = match lang {
        Lang::En => format!(" ({from}→ {to})"),
        Lang::Zh => format!("（{from}→ {to}）"),
    };
    format!(
        "{} {} {}{moved}",
        e.business_date,
        e.operator,
        TicketEvent::of(e).text(lang)
    )
}
