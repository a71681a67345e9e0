//! The words of on-site inspections (现场稽查) in both languages: refusals, what an action did,
//! the values (method, outcome, determination, state) and the labels of the list and the page.

use crate::context::Lang;

crate::sentence_kinds! {
    /// Refusals of `inspection create|record|cancel` and of a ticket that needs one.
    #[derive(Debug, Clone, PartialEq)]
    pub enum InspectionWrong {
        NeedFindings,
        NeedInspectors,
        NoFinding { id: i64 },
        /// Closed, cleared or suppressed (whitelisted) findings: nothing to inspect.
        NotInspectable { ids: Vec<i64>, statuses: Vec<String> },
        Whitelisted { ids: Vec<i64> },
        AlreadyPlanned { id: i64, number: String },
        ManyStations { stations: Vec<String> },
        NoStation,
        NoInspection { number: String },
        NotPlanned { number: String, state: String },
        /// The ticket given with --ticket does not exist, or is done.
        TicketNotOpen { number: String, state: String },
        NoTicket { number: String },
        FindingNotOnTicket { id: i64, ticket: String },
        /// A finding in the recording that the inspection does not check.
        NotInInspection { id: i64, number: String },
        /// A finding of the inspection the recording gives no outcome for.
        NoOutcome { ids: Vec<i64>, number: String },
        DuplicateFinding { id: i64 },
        /// `--outcome` etc. given neither once nor once per `--finding`.
        CountMismatch { flag: String, given: usize, findings: usize },
        NegativeAmount { flag: String, value: String },
        NeedAccount,
        NeedReason,
        VisitInFuture { visit: String, today: String },
        VisitBeforeCreated { visit: String, created: String },
        BadValue { what: String, given: String, allowed: Vec<&'static str> },
        AttachmentMissing { path: String },
        AttachmentUnreadable { path: String, why: String },
        AttachmentStore { path: String, why: String },
        /// `ticket submit` of a ticket that requires an inspection none recorded.
        SubmitNeedsInspection { number: String, planned: Vec<String> },
        PlannedInPast { planned: String, today: String },
    }
}

impl InspectionWrong {
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en(),
            Lang::Zh => self.zh(),
        }
    }

    fn en(&self) -> String {
        use InspectionWrong::*;
        match self {
            NeedFindings => "an inspection needs at least one finding (--findings ID,ID… or --ticket JC-…)".into(),
            NeedInspectors => "an inspection needs its inspectors (--inspectors NAME,NAME…)".into(),
            NoFinding { id } => format!("there is no finding {id}; nothing was changed"),
            NotInspectable { ids, statuses } => format!(
                "finding(s) {} are {}: only open findings (new, confirmed, ticketed) are inspected; nothing was changed",
                ids_text(ids),
                statuses.join(", ")
            ),
            Whitelisted { ids } => format!(
                "finding(s) {} are suppressed by a whitelist entry: they are in no queue and are not inspected; nothing was changed",
                ids_text(ids)
            ),
            AlreadyPlanned { id, number } => format!(
                "finding {id} is already on planned inspection {number}: record or cancel that one first"
            ),
            ManyStations { stations } => format!(
                "the findings belong to {} supply stations ({}): make one inspection per station",
                stations.len(),
                stations.join(", ")
            ),
            NoStation => "the findings have no supply station on record".into(),
            NoInspection { number } => format!(
                "there is no inspection {number}; `jicha inspection list` shows them"
            ),
            NotPlanned { number, state } => format!(
                "inspection {number} is {state}: only a planned inspection can be recorded or cancelled"
            ),
            TicketNotOpen { number, state } => format!(
                "ticket {number} is {state}: only an open ticket's findings are inspected for it"
            ),
            NoTicket { number } => format!("there is no ticket {number}; `jicha ticket list` shows them"),
            FindingNotOnTicket { id, ticket } => format!(
                "finding {id} is not on ticket {ticket}: an inspection for a ticket checks that ticket's findings"
            ),
            NotInInspection { id, number } => format!(
                "finding {id} is not checked by inspection {number}; `jicha inspection show {number}` lists its findings"
            ),
            NoOutcome { ids, number } => format!(
                "no outcome given for finding(s) {} of inspection {number}: give --finding ID --outcome true|false|partly for each",
                ids_text(ids)
            ),
            DuplicateFinding { id } => format!("finding {id} is given twice"),
            CountMismatch { flag, given, findings } => format!(
                "{flag} is given {given} time(s) for {findings} --finding: give it once (for every finding) or once per --finding, in the same order"
            ),
            NegativeAmount { flag, value } => format!(
                "{flag} {value}: an amount is a number, 0 or more"
            ),
            NeedAccount => "recording needs the written account of the visit (--account)".into(),
            NeedReason => "cancelling needs a reason (--reason)".into(),
            VisitInFuture { visit, today } => format!(
                "the visit date {visit} is after today ({today}): record a visit once it took place"
            ),
            VisitBeforeCreated { visit, created } => format!(
                "the visit date {visit} is before the inspection was planned ({created})"
            ),
            BadValue { what, given, allowed } => format!(
                "{what} `{given}` is not one of: {}",
                allowed.join(", ")
            ),
            AttachmentMissing { path } => format!(
                "attachment {path} does not exist; nothing was recorded"
            ),
            AttachmentUnreadable { path, why } => format!(
                "attachment {path} {why}; nothing was recorded"
            ),
            AttachmentStore { path, why } => format!(
                "could not store the attachment in {path}: {why}; nothing was recorded"
            ),
            SubmitNeedsInspection { number, planned } => format!(
                "ticket {number} requires an on-site inspection before it is submitted, and none is recorded{}",
                if planned.is_empty() {
                    format!("; plan one with `jicha inspection create --ticket {number}`")
                } else {
                    format!(" (planned: {}; record it with `jicha inspection record`)", planned.join(", "))
                }
            ),
            PlannedInPast { planned, today } => format!(
                "the planned date {planned} is before today ({today})"
            ),
        }
    }

    fn zh(&self) -> String {
        use InspectionWrong::*;
        match self {
            NeedFindings => "现场稽查至少需要一条异常（`--findings ID,ID…` 或 `--ticket JC-…`）".into(),
            NeedInspectors => "现场稽查需要填写稽查人员（--inspectors 姓名,姓名…）".into(),
            NoFinding { id } => format!("没有异常 {id}；未做任何更改"),
            NotInspectable { ids, statuses } => format!(
                "异常 {} 的状态为 {}：只有未结异常（新发现、确认异常、已派单）才能现场稽查；未做任何更改",
                ids_text(ids),
                statuses.join("、")
            ),
            Whitelisted { ids } => format!(
                "异常 {} 已被白名单屏蔽：不在任何队列中，不安排现场稽查；未做任何更改",
                ids_text(ids)
            ),
            AlreadyPlanned { id, number } => format!(
                "异常 {id} 已在待稽查的现场稽查 {number} 中：请先记录或取消该稽查"
            ),
            ManyStations { stations } => format!(
                "这些异常属于 {} 个供电所（{}）：请每个供电所各建一次现场稽查",
                stations.len(),
                stations.join("、")
            ),
            NoStation => "这些异常没有登记供电所".into(),
            NoInspection { number } => format!(
                "没有现场稽查 {number}；`jicha inspection list` 列出全部"
            ),
            NotPlanned { number, state } => format!(
                "现场稽查 {number} 的状态为“{}”：只有待稽查的才能记录结果或取消",
                state_zh(state)
            ),
            TicketNotOpen { number, state } => format!(
                "工单 {number} 的状态为“{}”：只能为未完结工单的异常安排现场稽查",
                crate::i18n::ticket_state(Lang::Zh, state)
            ),
            NoTicket { number } => format!("没有工单 {number}；`jicha ticket list` 列出全部"),
            FindingNotOnTicket { id, ticket } => format!(
                "异常 {id} 不在工单 {ticket} 上：为工单安排的现场稽查只核查该工单的异常"
            ),
            NotInInspection { id, number } => format!(
                "异常 {id} 不在现场稽查 {number} 中；`jicha inspection show {number}` 列出其异常"
            ),
            NoOutcome { ids, number } => format!(
                "现场稽查 {number} 的异常 {} 没有给出核查结果：请为每条异常给出 `--finding ID --outcome true|false|partly`",
                ids_text(ids)
            ),
            DuplicateFinding { id } => format!("异常 {id} 重复给出"),
            CountMismatch { flag, given, findings } => format!(
                "{flag} 给出了 {given} 次，而 --finding 有 {findings} 个：请只给一次（适用于全部异常），或按 --finding 的顺序每个给一次"
            ),
            NegativeAmount { flag, value } => format!("{flag} {value}：金额须为 0 或以上的数"),
            NeedAccount => "记录结果需要填写现场处理情况（--account）".into(),
            NeedReason => "取消需要填写原因（--reason）".into(),
            VisitInFuture { visit, today } => format!(
                "稽查日期 {visit} 晚于今天（{today}）：请在现场稽查完成后再记录"
            ),
            VisitBeforeCreated { visit, created } => format!(
                "稽查日期 {visit} 早于安排日期（{created}）"
            ),
            BadValue { what, given, allowed } => format!(
                "{what} `{given}` 不是以下之一：{}",
                allowed.join("、")
            ),
            AttachmentMissing { path } => format!("附件 {path} 不存在；未记录任何内容"),
            AttachmentUnreadable { path, why } => format!(
                "附件 {path} 无法读取（{why}）；未记录任何内容"
            ),
            AttachmentStore { path, why } => format!(
                "无法将附件保存到 {path}（{why}）；未记录任何内容"
            ),
            SubmitNeedsInspection { number, planned } => format!(
                "工单 {number} 要求提交前完成现场稽查，但尚无已记录的现场稽查{}",
                if planned.is_empty() {
                    format!("；请用 `jicha inspection create --ticket {number}` 安排")
                } else {
                    format!("（待稽查：{}；请用 `jicha inspection record` 记录结果）", planned.join("、"))
                }
            ),
            PlannedInPast { planned, today } => format!(
                "计划日期 {planned} 早于今天（{today}）"
            ),
        }
    }
}

fn ids_text(ids: &[i64]) -> String {
    ids.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// An inspection's state in Chinese.
pub fn state_zh(state: &str) -> &'static str {
    match state {
        "planned" => "待稽查",
        "recorded" => "已记录",
        "cancelled" => "已取消",
        _ => "未知",
    }
}

/// A stored value (method, outcome, determination, state) as people read it in `lang`.
pub fn value(lang: Lang, v: &str) -> String {
    let zh = match v {
        "onsite" => "现场",
        "phone" => "电话",
        "records" => "资料核查",
        "true" => "属实",
        "false" => "不属实",
        "partly" => "部分属实",
        "none" => "无",
        "violation" => "违约用电",
        "theft" => "窃电",
        "planned" | "recorded" | "cancelled" => state_zh(v),
        _ => return v.to_string(),
    };
    let en = match v {
        "onsite" => "on site",
        "records" => "records check",
        "true" => "true",
        "false" => "not true",
        "partly" => "partly true",
        "violation" => "violation",
        other => other,
    };
    match lang {
        Lang::En => en.to_string(),
        Lang::Zh => zh.to_string(),
    }
}

crate::sentence_kinds! {
    /// What an inspection action did.
    #[derive(Debug, Clone, PartialEq)]
    pub enum InspDone {
        Planned { number: String, unit: String, planned_on: String, findings: usize },
        Recorded { number: String, closed: usize, confirmed: usize, kept: usize, attachments: usize },
        Cancelled { number: String },
        /// A ticket created with --require-inspection.
        Required { number: String },
    }
}

#[allow(clippy::derivable_impls)] // the enum comes from `sentence_kinds!`
impl Default for InspDone {
    fn default() -> Self {
        InspDone::Cancelled {
            number: String::new(),
        }
    }
}

impl InspDone {
    pub fn text(&self, lang: Lang) -> String {
        use InspDone::*;
        match (self, lang) {
            (Planned { number, unit, planned_on, findings }, Lang::En) => format!(
                "inspection {number} planned for {planned_on} at {unit}: {findings} finding(s)"
            ),
            (Planned { number, unit, planned_on, findings }, Lang::Zh) => format!(
                "现场稽查 {number} 已安排：{unit}，计划 {planned_on}，{findings} 条异常"
            ),
            (Recorded { number, closed, confirmed, kept, attachments }, Lang::En) => format!(
                "inspection {number} recorded: {closed} finding(s) closed as false positive, {confirmed} confirmed, {kept} left as they were; {attachments} attachment(s)"
            ),
            (Recorded { number, closed, confirmed, kept, attachments }, Lang::Zh) => format!(
                "现场稽查 {number} 已记录：误报关闭 {closed}，确认 {confirmed}，不变 {kept}，附件 {attachments}"
            ),
            (Cancelled { number }, Lang::En) => format!("inspection {number} cancelled"),
            (Cancelled { number }, Lang::Zh) => format!("现场稽查 {number} 已取消"),
            (Required { number }, Lang::En) => format!(
                "ticket {number} requires a recorded inspection before it is submitted"
            ),
            (Required { number }, Lang::Zh) => {
                format!("工单 {number} 须在提交前完成现场稽查")
            }
        }
    }
}

crate::bilingual_messages! {
    /// Labels of the inspection list, the page and the UI.
    pub enum InspWord {
        Title => "On-site inspections", "现场稽查";
        Number => "Number", "编号";
        State => "State", "状态";
        Method => "Method", "方式";
        Unit => "Unit", "单位";
        PlannedOn => "Planned", "计划日期";
        VisitOn => "Visited", "稽查日期";
        Inspectors => "Inspectors", "稽查人员";
        Findings => "Findings", "异常";
        Overdue => "overdue", "超期";
        Ticket => "Ticket", "工单";
        Campaign => "Campaign", "专项";
        CreatedBy => "Planned by", "安排人";
        RecordedBy => "Recorded by", "记录人";
        Account => "Account", "现场处理情况";
        Outcome => "Outcome", "核查结果";
        Determination => "Determination", "定性";
        BackKwh => "Back kWh", "追补电量";
        BackYuan => "Back yuan", "追补电费";
        Penalty => "Penalty yuan", "违约使用电费";
        Attachments => "Attachments", "附件";
        Cancelled => "Cancelled", "取消原因";
        Count => "inspection(s)", "次现场稽查";
        Totals => "Totals", "合计";
        None => "(none)", "（无）";
        OverdueInspections => "inspections overdue", "现场稽查超期";
        All => "all", "全部";
        NoInspections => "No inspections in this view.", "此视图没有现场稽查。";
        FormPlan => "Plan an on-site inspection", "安排现场稽查";
        FormRecord => "Record the result (现场处理单)", "记录现场稽查结果（现场处理单）";
        FieldMethod => "Method: onsite/phone/records (现场/电话/资料核查)", "方式：onsite/phone/records（现场/电话/资料核查）";
        FieldPlanned => "Planned date (YYYY-MM-DD)", "计划日期（YYYY-MM-DD）";
        FieldInspectors => "Inspectors, comma-separated (required)", "稽查人员，逗号分隔（必填）";
        FieldCampaign => "Campaign id (optional)", "专项编号（选填）";
        FieldVisit => "Visit date (YYYY-MM-DD)", "稽查日期（YYYY-MM-DD）";
        FieldResult => "outcome [determination] [kWh yuan penalty]", "核查结果 [定性] [追补电量 追补电费 违约使用电费]";
        FieldAccount => "Account of the visit (required)", "现场处理情况（必填）";
        FieldAttach => "Attachment files, separated by ; (optional)", "附件文件，用 ; 分隔（选填）";
        BadResult => "give: true|false|partly (属实|不属实|部分属实), then none|violation|theft (无|违约用电|窃电), then up to three amounts ≥ 0", "请填写：true|false|partly（属实|不属实|部分属实），再填 none|violation|theft（无|违约用电|窃电），再填至多三个不小于 0 的金额";
        BadDate => "a date is YYYY-MM-DD", "日期格式为 YYYY-MM-DD";
    }
}
