//! A finding's history (its action-log records) as sentences an operator reads:
//! `2026-12-01 zhangsan confirmed (new → confirmed)` / `2026-12-01 zhangsan 确认异常（新发现 → 确认异常）`.
//! The record's JSON details are read into a [`HistoryEvent`]; a record this version does not
//! know is shown with its action name and details as they are.

use super::values::{resolution, status};
use crate::actionlog::LogRecord;
use crate::context::Lang;
use serde_json::Value;

crate::sentence_kinds! {
    /// What one action-log record did to a finding.
    #[derive(Debug, Clone, PartialEq)]
    pub enum HistoryEvent {
        Confirmed { from: String, to: String, note: Option<String> },
        Closed { from: String, to: String, resolution: String, note: Option<String> },
        ClosedByTicket { from: String, to: String, ticket: String },
        Reopened { from: String, to: String },
        ReopenedByScan { scan: String, from: String },
        Noted { text: String },
        Ticketed { from: String, to: String, ticket: String },
        Unticketed { from: String, to: String, ticket: String },
        Other { action: String, details: String },
    }
}

fn text_of(d: &Value, key: &str) -> String {
    match d.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn note_of(d: &Value) -> Option<String> {
    d.get("note")
        .and_then(Value::as_str)
        .filter(|n| !n.trim().is_empty())
        .map(str::to_string)
}

impl HistoryEvent {
    /// The event a record stands for.
    pub fn of(rec: &LogRecord) -> HistoryEvent {
        let d: Value = serde_json::from_str(&rec.details).unwrap_or(Value::Null);
        let (from, to) = (text_of(&d, "from"), text_of(&d, "to"));
        let ticket = text_of(&d, "ticket");
        match rec.action.as_str() {
            "finding.confirm" => HistoryEvent::Confirmed {
                from,
                to,
                note: note_of(&d),
            },
            "finding.close" if !ticket.is_empty() => {
                HistoryEvent::ClosedByTicket { from, to, ticket }
            }
            "finding.close" => HistoryEvent::Closed {
                from,
                to,
                resolution: text_of(&d, "resolution"),
                note: note_of(&d),
            },
            "finding.reopen" if d.get("scan").is_some() => HistoryEvent::ReopenedByScan {
                scan: text_of(&d, "scan"),
                from: text_of(&d, "from_status"),
            },
            "finding.reopen" => HistoryEvent::Reopened { from, to },
            "finding.note" => HistoryEvent::Noted {
                text: text_of(&d, "text"),
            },
            "finding.ticket" => HistoryEvent::Ticketed { from, to, ticket },
            "finding.unticket" => HistoryEvent::Unticketed { from, to, ticket },
            other => HistoryEvent::Other {
                action: other.to_string(),
                details: rec.details.clone(),
            },
        }
    }

    pub fn text(&self, lang: Lang) -> String {
        use HistoryEvent::*;
        let moved = |from: &str, to: &str| match lang {
            Lang::En => format!(" ({} → {})", status(lang, from), status(lang, to)),
            Lang::Zh => format!("（{} → {}）", status(lang, from), status(lang, to)),
        };
        let noted = |note: &Option<String>| match (note, lang) {
            (None, _) => String::new(),
            (Some(n), Lang::En) => format!(": {n}"),
            (Some(n), Lang::Zh) => format!("：{n}"),
        };
        match (self, lang) {
            (Confirmed { from, to, note }, Lang::En) => {
                format!("confirmed{}{}", moved(from, to), noted(note))
            }
            (Confirmed { from, to, note }, Lang::Zh) => {
                format!("确认异常{}{}", moved(from, to), noted(note))
            }
            (
                Closed {
                    from,
                    to,
                    resolution: r,
                    note,
                },
                Lang::En,
            ) => format!(
                "closed as {}{}{}",
                resolution(lang, r),
                moved(from, to),
                noted(note)
            ),
            (
                Closed {
                    from,
                    to,
                    resolution: r,
                    note,
                },
                Lang::Zh,
            ) => format!(
                "关闭，处理结论为{}{}{}",
                resolution(lang, r),
                moved(from, to),
                noted(note)
            ),
            (ClosedByTicket { from, to, ticket }, Lang::En) => {
                format!(
                    "closed as rectified: ticket {ticket} approved{}",
                    moved(from, to)
                )
            }
            (ClosedByTicket { from, to, ticket }, Lang::Zh) => {
                format!("工单 {ticket} 审核通过，整改完成{}", moved(from, to))
            }
            (Reopened { from, to }, Lang::En) => format!("reopened{}", moved(from, to)),
            (Reopened { from, to }, Lang::Zh) => format!("重新打开{}", moved(from, to)),
            (ReopenedByScan { scan, from }, Lang::En) => {
                format!("reopened by scan {scan}: it recurred{}", moved(from, "new"))
            }
            (ReopenedByScan { scan, from }, Lang::Zh) => {
                format!("扫描 {scan} 再次发现，重新打开{}", moved(from, "new"))
            }
            (Noted { text }, Lang::En) => format!("added a note: {text}"),
            (Noted { text }, Lang::Zh) => format!("添加备注：{text}"),
            (Ticketed { from, to, ticket }, Lang::En) => {
                format!("put on ticket {ticket}{}", moved(from, to))
            }
            (Ticketed { from, to, ticket }, Lang::Zh) => {
                format!("派入工单 {ticket}{}", moved(from, to))
            }
            (Unticketed { from, to, ticket }, Lang::En) => {
                format!("ticket {ticket} cancelled{}", moved(from, to))
            }
            (Unticketed { from, to, ticket }, Lang::Zh) => {
                format!("工单 {ticket} 已取消{}", moved(from, to))
            }
            (Other { action, details }, _) => format!("{action} {details}"),
        }
    }
}

/// One history row: `date operator sentence`. Not escaped: the caller escapes it for the
/// terminal, as it does every text from the dataset.
pub fn line(lang: Lang, rec: &LogRecord) -> String {
    format!(
        "{} {} {}",
        rec.business_date,
        rec.operator,
        HistoryEvent::of(rec).text(lang)
    )
}
