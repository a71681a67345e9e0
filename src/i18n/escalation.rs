//! The words of the 稽查工作督办单 (escalation notice) in both languages: its refusals, what a
//! run did, and the labels of the printed notice, its list and its workbook.

use super::cli::fill;
use crate::context::Lang;

crate::sentence_kinds! {
    /// Refusals of `escalation run|show`.
    #[derive(Debug, Clone, PartialEq)]
    pub enum EscalationWrong {
        NoNotice { number: String },
        /// The operator is bound to a unit: notices are the audit centre's to issue.
        NotAuditCentre { unit: String, role: String },
        /// A notice was issued on a later business date than the run's (a replay of an
        /// earlier day after a later one): issuing now would supersede it with an older one.
        LaterNotice { number: String, issued_on: String, today: String },
    }
}

impl EscalationWrong {
    pub fn text(&self, lang: Lang) -> String {
        use EscalationWrong::*;
        match (self, lang) {
            (NoNotice { number }, Lang::En) => format!(
                "there is no escalation notice {number}; `jicha escalation list` shows the numbers"
            ),
            (NoNotice { number }, Lang::Zh) => format!(
                "没有督办单 {number}；`jicha escalation list` 列出全部编号"
            ),
            (NotAuditCentre { unit, role }, Lang::En) => format!(
                "escalation.run is the audit centre's: you are a {role} bound to {unit}; an operator without a unit (operator add without --unit) runs it"
            ),
            (NotAuditCentre { unit, role }, Lang::Zh) => format!(
                "生成督办单由稽查中心执行：你是绑定到 {unit} 的 `{role}`；需由未绑定单位的操作员（`operator add` 不带 --unit）执行"
            ),
            (LaterNotice { number, issued_on, today }, Lang::En) => format!(
                "escalation notice {number} was issued on {issued_on}, after the business date {today}; run it for {issued_on} or later (--today)"
            ),
            (LaterNotice { number, issued_on, today }, Lang::Zh) => format!(
                "督办单 {number} 签发于 {issued_on}，晚于业务日期 {today}；请按 {issued_on} 或之后的日期执行（--today）"
            ),
        }
    }
}

crate::bilingual_messages! {
    /// Labels of the notice, its list, the run's summary and the dashboard.
    pub enum EscWord {
        Title => "Audit work escalation notice", "稽查工作督办单";
        Number => "Notice no.", "编号";
        To => "To", "致";
        Head => "Head", "负责人";
        NoHead => "no head on record: addressed to the unit itself", "未登记负责人：直接发至该单位";
        Unit => "Unit", "单位";
        IssuedOn => "Issued on", "签发日期";
        IssuedBy => "Issued by", "签发人";
        Round => "Round", "督办次数";
        State => "State", "状态";
        Open => "open", "督办中";
        Resolved => "closed: no ticket past the limit any more", "已关闭：已无超限工单";
        Superseded => "closed: superseded by a later notice", "已关闭：已由后续督办单取代";
        ClosedOn => "Closed on", "关闭日期";
        SupersededBy => "Superseded by", "取代者";
        Tickets => "Tickets", "工单数";
        TicketNo => "Ticket no.", "工单编号";
        TicketIssued => "Ticket issued", "派发日期";
        DueOn => "Due on", "要求完成日期";
        DaysOverdue => "Days overdue", "超期天数";
        TicketState => "State now", "当前状态";
        Requirement => "Requirement", "工作要求";
        Body => "The audit tickets below are {limit} or more days past their due date. Please see to their rectification and report back on each.", "下列稽查工单已超过整改期限 {limit} 天及以上，请督促整改，并逐项反馈整改情况。";
        RoundLine => "escalation no. {round} in a row", "第 {round} 次督办";
        IssuerSign => "Issued by the audit centre (signature / date): ____________", "签发单位（稽查信息室）签字／日期：____________";
        HeadSign => "Received by the unit's head (signature / date): ____________", "接收单位负责人签字／日期：____________";
        Feedback => "Rectification feedback:", "整改情况反馈：";
        Count => "({n} escalation notices)", "（共 {n} 张督办单）";
        OpenOnDashboard => "Escalations", "督办单";
        UnitsLine => "Escalated", "被督办";
        ListTitle => "Open escalation notices", "督办中的督办单";
        NoneOpen => "No open escalation notice.", "没有督办中的督办单。";
        ScanFollowUp => "escalation after the scan", "扫描后的督办";
    }
}

/// `{limit}`, `{round}`, `{n}` of a label, filled.
pub fn say(lang: Lang, w: EscWord, values: &[(&str, &dyn std::fmt::Display)]) -> String {
    fill(w.text(lang), values)
}

/// What a run did, for `Done::EscalationsRun`.
pub fn run_text(
    lang: Lang,
    issued: &[String],
    resolved: &[String],
    superseded: &[String],
    open: usize,
) -> String {
    let list = |v: &[String]| v.join(if lang == Lang::Zh { "、" } else { ", " });
    let mut parts = Vec::new();
    match lang {
        Lang::En => {
            if !issued.is_empty() {
                parts.push(format!(
                    "{} escalation notice(s) issued: {}",
                    issued.len(),
                    list(issued)
                ));
            }
            if !superseded.is_empty() {
                parts.push(format!("superseded: {}", list(superseded)));
            }
            if !resolved.is_empty() {
                parts.push(format!(
                    "closed, nothing past the limit: {}",
                    list(resolved)
                ));
            }
            if parts.is_empty() {
                parts.push("escalation notices: nothing to change".into());
            }
            format!("{}; {open} open", parts.join("; "))
        }
        Lang::Zh => {
            if !issued.is_empty() {
                parts.push(format!("签发督办单 {} 张：{}", issued.len(), list(issued)));
            }
            if !superseded.is_empty() {
                parts.push(format!("被取代：{}", list(superseded)));
            }
            if !resolved.is_empty() {
                parts.push(format!("已无超限工单而关闭：{}", list(resolved)));
            }
            if parts.is_empty() {
                parts.push("督办单无需变更".into());
            }
            format!("{}；督办中 {open} 张", parts.join("；"))
        }
    }
}
