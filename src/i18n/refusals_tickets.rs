//! Refusals of the ticket and quality actions, as values with their text in both languages.

use super::errors::{or_list, Field};
use super::values::{severity, status, ticket_state};
use crate::context::Lang;

crate::sentence_kinds! {
    /// Refusals of ticket creation and of every change of a ticket's state.
    #[derive(Debug, Clone, PartialEq)]
    pub enum TicketWrong {
        NeedFindings,
        NeedRequirement,
        NotTicketable { id: i64, status: String, on_ticket: Option<String> },
        ManyStations { stations: Vec<String> },
        NoStation,
        DueBeforeIssue { due: String, issued: String },
        DuePastLastDate { days: i64, from: String, severity: &'static str, last_year: i32 },
        CannotMove { number: String, from: &'static str, to: &'static str, sources: Vec<&'static str> },
        SubmitNeedsText,
        BadRecovered,
        OwnSubmission { number: String },
        NeedsReason { to: &'static str },
        NoTicket { number: String },
        Archived { number: String, on: String },
        ArchiveNeedsCentre { number: String, unit: String },
        OneReviewLevel { number: String },
        NeedsFirstReview { number: String },
        ReviewOutsideUnit { number: String, ticket_unit: String, unit: String },
        SecondReviewNeedsCentre { number: String, unit: String },
        SameReviewer { number: String, on: String },
    }
}

impl TicketWrong {
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en(),
            Lang::Zh => self.zh(),
        }
    }

    fn en(&self) -> String {
        use TicketWrong::*;
        match self {
            NeedFindings => "a ticket needs at least one finding (--findings ID,ID…)".into(),
            NeedRequirement => "a ticket needs a requirement (--requirement)".into(),
            NotTicketable { id, status, on_ticket } => format!(
                "finding {id} is {status}{}: only new or confirmed findings go on a ticket; nothing was changed",
                on_ticket.as_ref().map(|n| format!(" (on ticket {n})")).unwrap_or_default()
            ),
            ManyStations { stations } => format!(
                "the findings belong to {} supply stations ({}); give the responsible unit with --unit, or make one ticket per station",
                stations.len(),
                stations.join(", ")
            ),
            NoStation => "the findings have no supply station on record; give the responsible unit with --unit".into(),
            DueBeforeIssue { due, issued } => {
                format!("due date {due} is before the issue date {issued}")
            }
            DuePastLastDate { days, from, severity, last_year } => format!(
                "the due date, {days} days after {from} (due_days_{severity}), is past {last_year}-12-31, the last date jicha accepts; give one with --due"
            ),
            CannotMove { number, from, to, sources } => format!(
                "ticket {number} is {from}; it can become {to} only from {}",
                sources.join(" or ")
            ),
            SubmitNeedsText => "submitting needs the cause analysis (--cause) and the measures taken (--measures)".into(),
            BadRecovered => "--recovered is an amount in yuan, 0 or more".into(),
            OwnSubmission { number } => format!(
                "you submitted ticket {number} yourself; another reviewer must approve it (or return it)"
            ),
            NeedsReason { to } => format!("{to} needs a reason (--reason)"),
            NoTicket { number } => {
                format!("there is no ticket {number}; `jicha ticket list` shows them")
            }
            Archived { number, on } => format!(
                "ticket {number} was archived{}: it is read-only and nothing can change it",
                if on.is_empty() { String::new() } else { format!(" on {on}") }
            ),
            ArchiveNeedsCentre { number, unit } => format!(
                "archiving ticket {number} is the audit centre's: you are a reviewer of {unit}; a reviewer or admin not bound to a unit archives it"
            ),
            OneReviewLevel { number } => format!(
                "review_levels is 1: ticket {number} needs one review; approve it (`jicha ticket approve {number}`) or return it"
            ),
            NeedsFirstReview { number } => format!(
                "ticket {number} needs its first review before the audit centre approves it (review_levels is 2): `jicha ticket review {number}`"
            ),
            ReviewOutsideUnit { number, ticket_unit, unit } => format!(
                "ticket {number} belongs to {ticket_unit}, outside {unit}: a reviewer of {ticket_unit}, of a unit above it or of the audit centre reviews it"
            ),
            SecondReviewNeedsCentre { number, unit } => format!(
                "the second review of ticket {number} is the audit centre's: you are a reviewer of {unit}; a reviewer not bound to a unit approves or returns it"
            ),
            SameReviewer { number, on } => format!(
                "you passed the first review of ticket {number}{}; the second review needs another reviewer of the audit centre",
                if on.is_empty() { String::new() } else { format!(" on {on}") }
            ),
        }
    }

    fn zh(&self) -> String {
        use TicketWrong::*;
        let lang = Lang::Zh;
        match self {
            NeedFindings => "工单至少需要一条异常（--findings 编号,编号…）".into(),
            NeedRequirement => "工单需要填写工作要求（--requirement）".into(),
            NotTicketable { id, status: s, on_ticket } => format!(
                "异常 {id} 的状态是“{}”{}：只有新发现或已确认的异常可以派单；未做任何更改",
                status(lang, s),
                on_ticket.as_ref().map(|n| format!("（在工单 {n} 上）")).unwrap_or_default()
            ),
            ManyStations { stations } => format!(
                "这些异常分属 {} 个供电所（{}）；请用 --unit 指定责任单位，或每个供电所各派一张工单",
                stations.len(),
                stations.join("、")
            ),
            NoStation => "这些异常没有登记供电所；请用 --unit 指定责任单位".into(),
            DueBeforeIssue { due, issued } => {
                format!("整改期限 {due} 早于派单日期 {issued}")
            }
            DuePastLastDate { days, from, severity: sev, last_year } => format!(
                "整改期限为 {from} 之后 {days} 天（{}严重度的期限），超过了系统接受的最后日期 {last_year}-12-31；请用 --due 指定",
                severity(lang, sev)
            ),
            CannotMove { number, from, to, sources } => {
                let sources: Vec<&str> = sources.iter().map(|s| ticket_state(lang, s)).collect();
                format!(
                    "工单 {number} 的状态是“{}”；只有“{}”状态的工单才能变为“{}”",
                    ticket_state(lang, from),
                    or_list(lang, &sources),
                    ticket_state(lang, to)
                )
            }
            SubmitNeedsText => "提交整改需要填写原因分析（--cause）和整改措施（--measures）".into(),
            BadRecovered => "--recovered 是追补金额（元），须不小于 0".into(),
            OwnSubmission { number } => {
                format!("工单 {number} 是你本人提交的；须由另一位审核人员审核（通过或退回）")
            }
            NeedsReason { to } => {
                format!("“{}”需要填写原因（--reason）", ticket_state(lang, to))
            }
            NoTicket { number } => format!("没有工单 {number}；`jicha ticket list` 列出全部工单"),
            Archived { number, on } => format!(
                "工单 {number} {}已归档：只读，不能再做任何更改",
                if on.is_empty() { String::new() } else { format!("已于 {on} ") }
            ),
            ArchiveNeedsCentre { number, unit } => format!(
                "工单 {number} 由稽查中心归档：你是 {unit} 的审核人员；须由不隶属任何单位的审核人员或管理员归档"
            ),
            OneReviewLevel { number } => format!(
                "审核级数（`review_levels`）为 1：工单 {number} 只需一级审核；请直接审核通过（`jicha ticket approve {number}`）或退回"
            ),
            NeedsFirstReview { number } => format!(
                "工单 {number} 须先经初审，稽查中心才能复核通过（`review_levels` 为 2）：`jicha ticket review {number}`"
            ),
            ReviewOutsideUnit { number, ticket_unit, unit } => format!(
                "工单 {number} 属于 {ticket_unit}，不在 {unit} 范围内：须由 {ticket_unit}、其上级单位或稽查中心的审核人员审核"
            ),
            SecondReviewNeedsCentre { number, unit } => format!(
                "工单 {number} 的复核由稽查中心进行：你是 {unit} 的审核人员；须由不隶属任何单位的审核人员复核通过或退回"
            ),
            SameReviewer { number, on } => format!(
                "工单 {number} 的初审是你{}通过的；复核须由稽查中心的另一位审核人员进行",
                if on.is_empty() { String::new() } else { format!("于 {on} ") }
            ),
        }
    }
}

crate::sentence_kinds! {
    /// Refusals of the quality evaluation's actions.
    #[derive(Debug, Clone, PartialEq)]
    pub enum QualityWrong {
        BadPoints { what: Field, points: f64 },
        EmptyPatch,
        ValueNotNumber,
        BadLevelWord,
        AlreadyEnabled { id: i64, name: String, enabled: bool },
        NotManual { id: i64, name: String, source: &'static str },
        WrongLevel { id: i64, name: String, evaluates: &'static str, unit: String, is: &'static str },
        CancelledTicket { ticket: String },
        NeedStation { unit: String },
        UnknownLevel { level: String, known: Vec<String> },
        NoEntry { id: i64 },
        EntryRevoked { id: i64, on: String },
    }
}

/// A unit level (`station`, `district`) as an operator reads it.
pub fn unit_level(lang: Lang, level: &str) -> &'static str {
    match (level, lang) {
        ("station", Lang::En) => "station",
        ("district", Lang::En) => "district",
        ("county", Lang::En) => "county",
        ("city", Lang::En) => "city",
        ("province", Lang::En) => "province",
        ("department", Lang::En) => "department",
        ("station", Lang::Zh) => "供电所",
        ("district", Lang::Zh) => "区县",
        ("county", Lang::Zh) => "县公司",
        ("city", Lang::Zh) => "地市公司",
        ("province", Lang::Zh) => "省公司",
        ("department", Lang::Zh) => "部门",
        _ => "?",
    }
}

impl QualityWrong {
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en(),
            Lang::Zh => self.zh(),
        }
    }

    fn en(&self) -> String {
        use QualityWrong::*;
        let lang = Lang::En;
        match self {
            BadPoints { what, points } => format!(
                "{} must be above 0 and at most 100 points, not {points}",
                what.text(lang)
            ),
            EmptyPatch => "name at least one field to change (--name, --base, --full-mark, …)".into(),
            ValueNotNumber => "--value must be a number".into(),
            BadLevelWord => "a level is one word, such as minor, major or accident".into(),
            AlreadyEnabled { id, name, enabled } => format!(
                "indicator {id} ({name}) is already {}",
                if *enabled { "enabled" } else { "disabled" }
            ),
            NotManual { id, name, source } => format!(
                "indicator {id} ({name}) is computed from the dataset ({source}); only manual indicators take entered values"
            ),
            WrongLevel { id, name, evaluates, unit, is } => {
                let plural = match *evaluates {
                    "county" => "counties".to_string(),
                    "city" => "cities".to_string(),
                    other => format!("{other}s"),
                };
                format!("indicator {id} ({name}) evaluates {plural}; {unit} is a {is}")
            }
            CancelledTicket { ticket } => {
                format!("ticket {ticket} is cancelled: it found no errors to deduct for")
            }
            NeedStation { unit } => format!(
                "business deductions are recorded against a unit with no units below it (a supply station, a department); {unit} has units below it (its business score is their mean)"
            ),
            UnknownLevel { level, known } => {
                format!("unknown level `{level}`; use {}", known.join(", "))
            }
            NoEntry { id } => format!(
                "there is no deduction or bonus entry {id}; `jicha quality entries` lists them"
            ),
            EntryRevoked { id, on } => format!("entry {id} was already revoked on {on}"),
        }
    }

    fn zh(&self) -> String {
        use QualityWrong::*;
        let lang = Lang::Zh;
        match self {
            BadPoints { what, points } => {
                format!(
                    "{}须大于 0 分且不超过 100 分，而不是 {points}",
                    what.text(lang)
                )
            }
            EmptyPatch => "请至少指定一项要修改的内容（--name、--base、--full-mark…）".into(),
            ValueNotNumber => "--value 必须是数字".into(),
            BadLevelWord => "扣分等级须为一个词，例如 `minor`、`major` 或 `accident`".into(),
            AlreadyEnabled { id, name, enabled } => format!(
                "指标 {id}（{name}）已经{}",
                if *enabled { "启用" } else { "停用" }
            ),
            NotManual { id, name, source } => format!(
                "指标 {id}（{name}）由数据集计算（`{source}`）；只有人工录入的指标可以录入数值"
            ),
            WrongLevel {
                id,
                name,
                evaluates,
                unit,
                is,
            } => format!(
                "指标 {id}（{name}）考核的是{}；{unit} 是{}",
                unit_level(lang, evaluates),
                unit_level(lang, is)
            ),
            CancelledTicket { ticket } => format!("工单 {ticket} 已取消：没有查出可扣分的差错"),
            NeedStation { unit } => {
                format!("业务扣分记在没有下属单位的单位上（供电所、部门）；{unit} 有下属单位（其业务得分是下属单位的平均分）")
            }
            UnknownLevel { level, known } => {
                let known: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
                let known: Vec<&str> = known.iter().map(String::as_str).collect();
                format!("未知的扣分等级 `{level}`；可用 {}", or_list(lang, &known))
            }
            NoEntry { id } => {
                format!("没有编号为 {id} 的扣分或加分记录；`jicha quality entries` 列出全部记录")
            }
            EntryRevoked { id, on } => format!("记录 {id} 已于 {on} 撤销"),
        }
    }
}
