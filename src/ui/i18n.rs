//! Every interface string in Chinese and English. Dataset text is never here: it is shown as
//! it is, escaped.

use super::keymap::Action as Key;
use crate::actions::Action as Op;
use crate::context::Lang;

macro_rules! msgs {
    ($($name:ident => $en:literal, $zh:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($name,)* }

        impl Msg {
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$name, Lang::En) => $en, (Msg::$name, Lang::Zh) => $zh,)*
                }
            }
        }
    };
}

msgs! {
    AppName => "jicha", "稽查";
    Dashboard => "Dashboard", "总览";
    Findings => "Findings", "异常";
    Rules => "Rules", "规则";
    Whitelist => "Whitelist", "白名单";
    Detail => "Finding", "异常详情";
    HelpHint => "? help", "? 帮助";
    NewToday => "new today", "今日新增";
    Open => "open", "未关闭";
    OverdueTickets => "overdue tickets", "超期工单";
    WlExpiring => "whitelist expiring", "白名单将到期";
    DailyAlerts => "Daily alerts", "今日预警";
    RuleHits => "Rule hit counts", "规则命中";
    TicketQueues => "Ticket queues", "工单队列";
    NoOpenTickets => "No open tickets.", "没有未结工单。";
    Tickets => "Tickets", "工单";
    Reports => "Reports", "报表";
    Ticket => "Ticket", "工单";
    Number => "Number", "编号";
    Due => "Due", "到期";
    Issued => "Issued", "派发";
    Person => "Person", "责任人";
    Requirement => "Requirement", "工作要求";
    Cause => "Cause", "原因分析";
    Measures => "Measures", "整改措施";
    Recovered => "Recovered (元)", "追补电费（元）";
    Submitted => "Submitted", "提交";
    Approved => "Approved", "审核";
    CancelledOn => "Cancelled", "取消";
    By => "by", "经办";
    Transitions => "Transitions", "流转记录";
    TicketFindings => "Findings on this ticket", "工单关联异常";
    NoTickets => "No tickets in this queue.", "此队列没有工单。";
    OverdueMark => "LATE", "超期";
    SoonMark => "soon", "将到期";
    Count => "Findings", "异常数";
    EditReturnReason => "Reason for returning", "退回原因";
    EditCancelReason => "Reason for cancelling", "取消原因";
    FormCreateTicket => "New ticket (稽查工单)", "新建稽查工单";
    FormSubmitTicket => "Submit rectification", "提交整改";
    FormKeys => "next/previous field", "下一项/上一项";
    FieldRequired => "required", "必填";
    FieldOptional => "optional", "可选";
    UnitMixed => "the findings belong to several units: give one", "异常分属多个供电所，请填写责任单位";
    BadDate => "Give a date as YYYY-MM-DD, today or later.", "日期格式为 YYYY-MM-DD，不早于今天。";
    BadAmount => "The amount is in 元, 0 or more.", "金额以元计，不小于 0。";
    NeedRequirement => "Write the requirement (工作要求) first.", "请先填写工作要求。";
    NeedCauseMeasures => "Write the cause and the measures first.", "请先填写原因分析和整改措施。";
    NoFindingSelected => "No finding here to put on a ticket.", "没有可派单的异常。";
    PeriodToday => "Today", "日报";
    PeriodWeek => "This week", "周报";
    PeriodMonth => "This month", "月报";
    Figures => "Figures", "指标";
    ByUnit => "By unit, ranked", "分单位（排名）";
    OverdueList => "Overdue tickets", "超期工单";
    NoOverdue => "No overdue tickets.", "没有超期工单。";
    NoUnits => "No units in this period.", "本期无数据。";
    ChartCompletion => "Completion rate by unit (%)", "各单位稽查问题完成率（%）";
    ChartOpen => "Open findings by unit", "各单位未关闭异常";
    ThemesWithFindings => "Themes with findings", "发现异常主题数";
    ThemesTicketed => "ticketed", "已派单主题";
    InitiationRate => "Initiation 发起率", "稽查异常问题发起率";
    TicketsIssued => "Tickets issued", "派发工单数";
    TicketsCompleted => "completed", "已完成";
    CompletionRate => "Completion 完成率", "稽查问题完成率";
    FindingsToRectify => "Findings to rectify", "应整改异常";
    FindingsRectified => "rectified", "已整改";
    RectificationRate => "Rectification 整改率", "异常问题整改完成率";
    TicketsOverdue => "overdue", "超期工单";
    OverdueRate => "Overdue 超期率", "稽查超期率";
    OpenBefore => "Open before", "期初未关闭";
    OpenAfter => "after", "期末未关闭";
    CumulativeRate => "Cumulative 累计完成率", "累计完成率";
    RankCol => "#", "名";
    IssuedCol => "Iss", "派单";
    DoneCol => "Done", "完成";
    ComplCol => "Compl", "完成率";
    RectCol => "Rect", "整改率";
    LateCol => "Late", "超期";
    OpenNowCol => "Open", "未关";
    DaysLate => "days late", "超期天数";
    NoScanYet => "No scan yet: alerts appear after the first scan.", "尚无扫描：首次扫描后显示预警。";
    NoAlerts => "No new findings in the latest scan.", "最近一次扫描没有新发现。";
    LatestScan => "latest scan", "最近扫描";
    Loading => "loading…", "加载中…";
    Rule => "Rule", "规则";
    Name => "Name", "名称";
    Severity => "Sev", "级别";
    Status => "Status", "状态";
    Customer => "Customer", "客户";
    CustNo => "Cust no", "户号";
    Unit => "Unit", "供电所";
    Amount => "Amount", "金额";
    Evidence => "Evidence", "依据";
    Subject => "Subject", "对象";
    LastSeen => "Last seen", "最近发现";
    FirstSeen => "First seen", "首次发现";
    Level => "Level", "等级";
    OpenCol => "Open", "未关";
    NewCol => "New", "新增";
    SuppressedCol => "Supp", "屏蔽";
    ClosedCol => "Closed", "关闭";
    Trend30 => "30 days", "30天趋势";
    All => "all", "全部";
    Text => "Text", "文本";
    Suppressed => "Whitelisted", "白名单屏蔽";
    SuppHide => "hidden", "隐藏";
    SuppOnly => "only", "仅显示";
    SuppInclude => "shown", "显示";
    Sort => "Sort", "排序";
    Ascending => "↑", "↑";
    Descending => "↓ reversed", "↓ 反向";
    FindingsCount => "findings", "条";
    Marked => "marked", "已标记";
    NoFindings => "No findings match this filter.", "没有符合条件的异常。";
    Checks => "Checks", "检查内容";
    CustomerArchive => "Customer archive", "客户档案";
    Meters => "Meters", "计量装置";
    Notes => "Notes", "批注";
    History => "History", "操作记录";
    Consumption => "kWh, last 12 months", "近12个月电量（千瓦时）";
    NoBills => "No bills on record.", "无电费记录。";
    NoCustomer => "The customer is not in the archive.", "档案中无此客户。";
    NoneYet => "none", "无";
    Recurred => "recurred", "复发";
    Yes => "yes", "是";
    DlgOk => "OK", "确认";
    DlgCancel => "cancel", "取消";
    DlgChoose => "choose", "选择";
    DlgByNumber => "or its number", "或输入序号";
    EmptyClears => "empty clears", "留空清除";
    No => "no", "否";
    Thresholds => "Thresholds", "阀值";
    NoThresholds => "none", "无";
    WlActive => "Active", "生效中";
    WlPending => "Awaiting approval", "待审批";
    WlExpiringView => "Expiring within 7 days", "7天内到期";
    WlHistory => "History", "历史";
    Reason => "Reason", "原因";
    Author => "Author", "创建人";
    Starts => "Starts", "开始";
    Expires => "Expires", "到期";
    State => "State", "状态";
    NoEntries => "No entries in this view.", "此视图无记录。";
    Help => "Help — keys of this keymap", "帮助 — 当前键位";
    HelpClose => "any other key closes", "按其他任意键关闭";
    Legend => "Marks: * marked · R recurred (整改不到位) · W whitelisted (suppressed)", "标记：* 已选 · R 复发（整改不到位）· W 白名单屏蔽";
    DialogKeys => "Fixed keys in dialogs: y/Enter yes, n/Esc no; ↑↓ choose; Enter OK.", "对话框固定键：y/Enter 确定，n/Esc 取消；↑↓ 选择；Enter 确认。";
    CtxGlobal => "Everywhere", "全局";
    CtxList => "Lists", "列表";
    CtxFindings => "Findings list", "异常列表";
    CtxDetail => "Finding detail", "异常详情";
    CtxWhitelist => "Whitelist", "白名单";
    CtxTickets => "Tickets and a ticket's page", "工单列表与工单页";
    CtxReports => "Reports", "报表";
    CtxEditor => "Note editor", "批注编辑";
    CtxConfirm => "Questions (yes / no)", "确认对话框";
    CtxChoice => "Choices", "选择对话框";
    CtxPrompt => "One-line input", "单行输入";
    CtxDiscard => "Discard question after cancel", "取消时的放弃确认";
    YesNo => "y / Enter: yes    n / Esc: no", "y / Enter：确定    n / Esc：取消";
    ChooseResolution => "Close as…", "关闭原因…";
    NoteRequired => "note required", "需填写说明";
    NoteOptional => "note optional", "说明可选";
    PickKeys => "↑↓ or 1-3 choose · Enter OK · Esc cancel", "↑↓ 或 1-3 选择 · Enter 确认 · Esc 取消";
    WlScopeTitle => "Whitelist which rules for this customer?", "为该客户屏蔽哪些规则？";
    ThisRule => "this rule", "仅此规则";
    EveryRule => "every rule (*)", "全部规则 (*)";
    ScopeKeys => "↑↓ choose · Enter OK · Esc cancel", "↑↓ 选择 · Enter 确认 · Esc 取消";
    PromptKeys => "Enter OK · Esc cancel · empty clears", "Enter 确认 · Esc 取消 · 留空清除";
    PromptSearch => "Search (customer, name, subject, evidence, unit, rule)", "搜索（户号、户名、对象、依据、供电所、规则）";
    PromptUnit => "Unit (供电所), exact name", "供电所（完整名称）";
    PromptRule => "Rule id, e.g. BIL-02 or EXT:source:code", "规则编号，如 BIL-02 或 EXT:来源:代码";
    PromptWlCustomer => "Whitelist: customer number (户号)", "白名单：户号";
    PromptWlRule => "Whitelist: rule id, or * for every rule", "白名单：规则编号，* 表示全部规则";
    PromptDays => "Days (1-365; longer than 90 needs a reviewer's approval)", "天数（1-365；超过 90 天需审核批准）";
    PromptExtendDays => "Extend by how many days (1-365)", "延长天数（1-365）";
    EditNote => "Note (批注)", "批注";
    EditCloseNote => "Closing note", "关闭说明";
    EditWlReason => "Reason for the whitelist entry", "白名单原因";
    EditExtendReason => "Reason for the extension", "延期原因";
    EditRevokeReason => "Reason for revoking", "撤销原因";
    EditorSave => "save", "保存";
    EditorCancel => "cancel", "取消";
    DiscardAsk => "Discard this text?  y = discard · any other key = keep editing", "放弃已输入的内容？ y = 放弃 · 其他键 = 继续编辑";
    TextRequired => "Write something first: this text is required.", "请先填写：此项必填。";
    Discarded => "Text discarded.", "已放弃输入。";
    Cancelled => "Cancelled; nothing changed.", "已取消，未做更改。";
    Refreshed => "Refreshed.", "已刷新。";
    StillWriting => "A change is still being written; wait for its outcome.", "上一项更改仍在写入，请等其结果。";
    QuitAfterWrite => "Quitting once the change is written… (q again quits without waiting)", "更改写入后即退出…（再按 q 立即退出，不再等待）";
    NeedCustomer => "Give a customer number.", "请输入户号。";
    BadDays => "Days must be a whole number from 1 to 365.", "天数须为 1 到 365 的整数。";
    ScanRunning => "Scanning", "扫描中";
    ScanCancelHint => "to cancel", "取消";
    Cancelling => "Cancelling the scan…", "正在取消扫描…";
    ScanAlreadyRunning => "A scan is already running.", "扫描已在进行中。";
    ScanNotConnected => "Scanning from the screen is not available in this build; run `jicha scan`.", "此版本界面内不能扫描，请运行 `jicha scan`。";
    ScanStopped => "The scan stopped unexpectedly; nothing was written.", "扫描意外中止，未写入任何数据。";
    Error => "error", "错误";
    Opened => "opened", "立户";
    Installed => "installed", "安装";
    Verified => "verified", "校验";
    Temporary => "temporary", "临时用电";
    Bills => "Bills", "电费";
    Period => "Period", "月份";
    Kwh => "kWh", "电量";
    Billed => "Amount", "应收";
    Paid => "Paid", "实收";
    Quality => "Quality", "质量评价";
    Themes => "Themes", "主题分析";
    CtxQuality => "Quality evaluation", "质量评价";
    CtxTheme => "Theme analysis", "主题分析";
    QMonth => "Month", "月度";
    QHalf => "Half-year", "半年";
    QYear => "Year", "年度";
    QStations => "Stations", "供电所";
    QDistricts => "Districts", "区县";
    QRanking => "Ranked by composite", "综合得分排名";
    QMainCol => "Main", "主要";
    QProcessCol => "Proc", "过程";
    QBusinessCol => "Bus", "业务";
    QDirectCol => "Ded", "直接扣分";
    QBonusCol => "Bonus", "奖励";
    QCompositeCol => "Total", "综合";
    QFormula => "Total = Main×50% + Proc×10% + Bus×40% − Ded + Bonus", "综合 = 主要×50% + 过程×10% + 业务×40% − 直接扣分 + 奖励";
    QTrend => "Composite, last 6 periods", "综合得分近6期";
    QNoUnits => "No units: customers carry the stations and districts.", "无评价单位：供电所与区县来自客户档案。";
    QIndicators => "Indicators", "指标";
    QEntries => "Deductions and bonuses", "扣分与加分";
    QTickets => "Tickets", "工单";
    QFindings => "Findings first seen in the period", "本期发现的异常";
    QNoValue => "no value", "无值";
    QNone => "none", "无";
    QValueKeys => "Enter OK · Esc cancel", "Enter 确认 · Esc 取消";
    QPickIndicator => "Enter a value of…", "录入指标值…";
    QPickKeys => "↑↓ or 1-9 choose · Enter OK · Esc cancel", "↑↓ 或 1-9 选择 · Enter 确认 · Esc 取消";
    QBadValue => "Enter a number such as 0.95 or 12 (a point for decimals).", "请输入数字，如 0.95 或 12（小数点用半角“.”）。";
    QIssuedIn => "issued", "本期派发";
    QApprovedIn => "approved", "本期通过";
    QDeducted => "deducted", "扣分";
    QRank => "rank", "排名";
    QEntryBusiness => "business", "业务扣分";
    QEntryDirect => "direct", "直接扣分";
    QEntryBonus => "bonus", "奖励加分";
    ThTheme => "Theme", "主题";
    ThAllDates => "all dates", "全部日期";
    ThByDistrict => "Findings by district", "各区县异常数";
    ThByStation => "Findings by station", "各供电所异常数";
    ThByMonth => "Findings by month", "各月异常数";
    ThWhere => "Where", "单位/月份";
    ThFindingsCol => "Finds", "异常";
    ThAmountCol => "Amount 元", "金额（元）";
    ThRectCol => "Rect", "已整改";
    ThNoFindings => "No findings for this theme.", "此主题没有异常。";
    ThFindingsOf => "Findings", "异常明细";
    PromptThemeRule => "Theme rule, e.g. BIL-05 or EXT:source:code (empty: categories)", "主题规则，如 BIL-05 或 EXT:来源:代码（留空回到分类）";
    PromptThemeExport => "Export the theme as CSV to the file", "将当前主题导出为 CSV 文件";
}

pub fn too_small(lang: Lang, w: u16, h: u16) -> String {
    match lang {
        Lang::En => format!("Enlarge the window to at least 80×24 (now {w}×{h})."),
        Lang::Zh => format!("请将窗口放大到至少 80×24（当前 {w}×{h}）。"),
    }
}

pub fn ticket_state(lang: Lang, s: &str) -> &'static str {
    match (s, lang) {
        ("open", Lang::En) => "open",
        ("dispatched", Lang::En) => "dispatched",
        ("rectifying", Lang::En) => "rectifying",
        ("submitted", Lang::En) => "submitted",
        ("returned", Lang::En) => "returned",
        ("approved", Lang::En) => "approved",
        ("cancelled", Lang::En) => "cancelled",
        ("overdue", Lang::En) => "overdue",
        ("open", Lang::Zh) => "未结",
        ("dispatched", Lang::Zh) => "已派发",
        ("rectifying", Lang::Zh) => "整改中",
        ("submitted", Lang::Zh) => "待审核",
        ("returned", Lang::Zh) => "退回",
        ("approved", Lang::Zh) => "审核通过",
        ("cancelled", Lang::Zh) => "已取消",
        ("overdue", Lang::Zh) => "超期",
        _ => "?",
    }
}

pub fn create_ticket_question(lang: Lang, n: usize, unit: &str, due: &str) -> String {
    match lang {
        Lang::En => format!("Create a ticket for {n} findings, unit {unit}, due {due}?"),
        Lang::Zh => format!("为这 {n} 条异常派发工单（{unit}，{due} 到期）？"),
    }
}

pub fn approve_ticket_question(lang: Lang, number: &str, n: i64) -> String {
    match lang {
        Lang::En => format!("Approve ticket {number}? Its {n} findings close as rectified."),
        Lang::Zh => format!("审核通过工单 {number}？其 {n} 条异常将以“整改完成”关闭。"),
    }
}

pub fn cancel_ticket_question(lang: Lang, number: &str, n: i64) -> String {
    match lang {
        Lang::En => format!("Cancel ticket {number}? Its {n} findings go back to confirmed."),
        Lang::Zh => format!("取消工单 {number}？其 {n} 条异常将退回“确认异常”。"),
    }
}

pub fn due_default(lang: Lang, due: &str) -> String {
    match lang {
        Lang::En => format!("Due date (empty = {due})"),
        Lang::Zh => format!("到期日（留空 = {due}）"),
    }
}

pub fn unit_label(lang: Lang, prefilled: bool) -> &'static str {
    match (lang, prefilled) {
        (Lang::En, true) => "Responsible unit (the findings' station)",
        (Lang::En, false) => "Responsible unit (required: the findings' stations differ)",
        (Lang::Zh, true) => "责任单位（异常所属供电所）",
        (Lang::Zh, false) => "责任单位（必填：异常分属不同供电所）",
    }
}

pub fn earlier_events(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("… {n} earlier"),
        Lang::Zh => format!("… 更早 {n} 条"),
    }
}

pub fn severity(lang: Lang, s: &str) -> &'static str {
    match (s, lang) {
        ("high", Lang::En) => "high",
        ("medium", Lang::En) => "med",
        ("low", Lang::En) => "low",
        ("high", Lang::Zh) => "高",
        ("medium", Lang::Zh) => "中",
        ("low", Lang::Zh) => "低",
        _ => "?",
    }
}

pub fn status(lang: Lang, s: &str) -> &'static str {
    match (s, lang) {
        ("open", Lang::En) => "open",
        ("new", Lang::En) => "new",
        ("confirmed", Lang::En) => "confirmed",
        ("ticketed", Lang::En) => "ticketed",
        ("closed", Lang::En) => "closed",
        ("cleared", Lang::En) => "cleared",
        ("open", Lang::Zh) => "未关闭",
        ("new", Lang::Zh) => "新发现",
        ("confirmed", Lang::Zh) => "确认异常",
        ("ticketed", Lang::Zh) => "已派单",
        ("closed", Lang::Zh) => "已关闭",
        ("cleared", Lang::Zh) => "已更正",
        _ => "?",
    }
}

pub fn resolution(lang: Lang, r: &str) -> &'static str {
    match (r, lang) {
        ("rectified", Lang::En) => "rectified",
        ("false_positive", Lang::En) => "false positive",
        ("no_action", Lang::En) => "no action needed",
        ("rectified", Lang::Zh) => "整改完成",
        ("false_positive", Lang::Zh) => "误报",
        ("no_action", Lang::Zh) => "无需处理",
        _ => "?",
    }
}

pub fn wl_state(lang: Lang, s: &str) -> &'static str {
    match (s, lang) {
        ("active", Lang::En) => "active",
        ("pending", Lang::En) => "pending",
        ("expired", Lang::En) => "expired",
        ("revoked", Lang::En) => "revoked",
        ("scheduled", Lang::En) => "scheduled",
        ("active", Lang::Zh) => "生效中",
        ("pending", Lang::Zh) => "待审批",
        ("expired", Lang::Zh) => "已到期",
        ("revoked", Lang::Zh) => "已撤销",
        ("scheduled", Lang::Zh) => "待生效",
        _ => "?",
    }
}

pub fn wl_period(lang: Lang, from: &str, to: &str) -> String {
    match lang {
        Lang::En => format!("from {from} until {to} (exclusive)"),
        Lang::Zh => format!("{from} 起至 {to} 止（不含）"),
    }
}

pub fn wl_approved(lang: Lang, who: &str) -> String {
    match lang {
        Lang::En => format!("approved by {who}"),
        Lang::Zh => format!("审批人 {who}"),
    }
}

pub fn wl_requested(lang: Lang, to: &str, who: &str) -> String {
    match lang {
        Lang::En => format!("extension to {to} requested by {who}, awaiting approval"),
        Lang::Zh => format!("{who} 申请延期至 {to}，待审批"),
    }
}

pub fn wl_revoked(lang: Lang, on: &str, who: &str, why: &str) -> String {
    match lang {
        Lang::En => format!("revoked on {on} by {who}: {why}"),
        Lang::Zh => format!("{on} 由 {who} 撤销：{why}"),
    }
}

pub fn role(lang: Lang, r: &str) -> &'static str {
    match (r, lang) {
        ("viewer", Lang::En) => "viewer",
        ("auditor", Lang::En) => "auditor",
        ("reviewer", Lang::En) => "reviewer",
        ("admin", Lang::En) => "admin",
        ("viewer", Lang::Zh) => "只读",
        ("auditor", Lang::Zh) => "稽查员",
        ("reviewer", Lang::Zh) => "审核",
        ("admin", Lang::Zh) => "管理员",
        _ => "?",
    }
}

pub fn sort_key(lang: Lang, k: crate::findings::SortKey) -> &'static str {
    use crate::findings::SortKey as S;
    match (k, lang) {
        (S::Severity, Lang::En) => "severity",
        (S::Amount, Lang::En) => "amount",
        (S::FirstSeen, Lang::En) => "first seen",
        (S::LastSeen, Lang::En) => "last seen",
        (S::Rule, Lang::En) => "rule",
        (S::Customer, Lang::En) => "customer",
        (S::Id, Lang::En) => "id",
        (S::Severity, Lang::Zh) => "严重程度",
        (S::Amount, Lang::Zh) => "金额",
        (S::FirstSeen, Lang::Zh) => "首次发现",
        (S::LastSeen, Lang::Zh) => "最近发现",
        (S::Rule, Lang::Zh) => "规则",
        (S::Customer, Lang::Zh) => "户号",
        (S::Id, Lang::Zh) => "编号",
    }
}

/// "Confirm 3 marked findings?" — every bulk action states how many findings it touches,
/// and whether they are the marked ones.
pub fn bulk_question(lang: Lang, op: &Op, n: usize, marked: bool) -> String {
    let what = findings_phrase(lang, n, marked);
    match (op, lang) {
        (Op::Confirm { .. }, Lang::En) => format!("Confirm {what} as real problems?"),
        (Op::Reopen { .. }, Lang::En) => format!("Reopen {what}?"),
        (Op::Note { .. }, Lang::En) => format!("Add this note to {what}?"),
        (Op::Close { resolution, .. }, Lang::En) => {
            format!("Close {what} as {}?", self::resolution(lang, resolution))
        }
        (Op::Confirm { .. }, Lang::Zh) => format!("确认{what}？"),
        (Op::Reopen { .. }, Lang::Zh) => format!("重新打开{what}？"),
        (Op::Note { .. }, Lang::Zh) => format!("为{what}添加此批注？"),
        (Op::Close { resolution, .. }, Lang::Zh) => {
            format!("以“{}”关闭{what}？", self::resolution(lang, resolution))
        }
        (_, Lang::En) => format!("Apply to {what}?"),
        (_, Lang::Zh) => format!("应用到{what}？"),
    }
}

/// "3 marked findings", "1 marked finding", "3 findings"; "这 3 条已标记异常".
fn findings_phrase(lang: Lang, n: usize, marked: bool) -> String {
    match (lang, marked) {
        (Lang::En, true) if n == 1 => "1 marked finding".to_string(),
        (Lang::En, true) => format!("{n} marked findings"),
        (Lang::En, false) if n == 1 => "1 finding".to_string(),
        (Lang::En, false) => format!("{n} findings"),
        (Lang::Zh, true) => format!("这 {n} 条已标记异常"),
        (Lang::Zh, false) => format!("这 {n} 条异常"),
    }
}

/// Whitelisting findings: how many, how many entries that makes, and which rules.
pub fn whitelist_question(
    lang: Lang,
    n: usize,
    entries: usize,
    every_rule: bool,
    marked: bool,
) -> String {
    let what = findings_phrase(lang, n, marked);
    match (lang, every_rule) {
        (Lang::En, false) => format!(
            "Whitelist {what}? Adds {} for their own rules.",
            plural_en(entries, "entry", "entries")
        ),
        (Lang::En, true) => format!(
            "Whitelist {what}? Adds {} for every rule of their customers.",
            plural_en(entries, "entry", "entries")
        ),
        (Lang::Zh, false) => format!("将{what}加入白名单？按各自规则新增 {entries} 条白名单。"),
        (Lang::Zh, true) => {
            format!("将{what}加入白名单？为其客户的全部规则新增 {entries} 条白名单。")
        }
    }
}

/// The outcome of whitelisting several findings at once.
pub fn whitelisted(lang: Lang, n: usize, entries: usize) -> String {
    match lang {
        Lang::En => format!(
            "{} whitelisted: {} added",
            plural_en(n, "finding", "findings"),
            plural_en(entries, "entry", "entries")
        ),
        Lang::Zh => format!("{n} 条异常已加入白名单：新增 {entries} 条白名单"),
    }
}

/// The title of the whitelist dialog for several findings.
pub fn wl_scope_title(lang: Lang, n: usize, marked: bool) -> String {
    let what = findings_phrase(lang, n, marked);
    match lang {
        Lang::En => format!("Whitelist {what}: which rules?"),
        Lang::Zh => format!("将{what}加入白名单：屏蔽哪些规则？"),
    }
}

/// Shown while a change waits for the dataset (another operator's write, an import, a scan).
pub fn waiting(lang: Lang, secs: u64) -> String {
    match (lang, secs) {
        (Lang::En, 0) => "Waiting for the dataset… (someone else is writing; keep browsing)".into(),
        (Lang::En, s) => {
            format!("Waiting for the dataset… {s} s (someone else is writing; keep browsing)")
        }
        (Lang::Zh, 0) => "正在等待数据集…（其他人正在写入，可继续浏览）".into(),
        (Lang::Zh, s) => format!("正在等待数据集… {s} 秒（其他人正在写入，可继续浏览）"),
    }
}

/// The whitelist dialog's choices for several findings.
pub fn wl_scope_own(lang: Lang, entries: usize) -> String {
    match lang {
        Lang::En => format!(
            "each finding's own rule ({})",
            plural_en(entries, "entry", "entries")
        ),
        Lang::Zh => format!("各自的规则（{entries} 条白名单）"),
    }
}

pub fn wl_scope_every(lang: Lang, entries: usize) -> String {
    match lang {
        Lang::En => format!(
            "every rule (*) of their customers ({})",
            plural_en(entries, "entry", "entries")
        ),
        Lang::Zh => format!("其客户的全部规则 (*)（{entries} 条白名单）"),
    }
}

pub fn wl_scope_customers(lang: Lang, list: &str) -> String {
    match lang {
        Lang::En => format!("Customers: {list}"),
        Lang::Zh => format!("户号：{list}"),
    }
}

/// The reason editor's title when whitelisting several findings.
pub fn wl_reason_for(lang: Lang, n: usize, entries: usize, marked: bool) -> String {
    match lang {
        Lang::En => format!(
            "{}, {}",
            findings_phrase(lang, n, marked),
            plural_en(entries, "entry", "entries")
        ),
        Lang::Zh => format!("{}，{entries} 条白名单", findings_phrase(lang, n, marked)),
    }
}

/// A bulk change refused because marked findings changed after they were shown: which ones,
/// and that nothing was applied and every mark is kept.
pub fn marks_refused_changed(lang: Lang, changed: &[i64], marked: usize) -> String {
    const NAMED: usize = 10;
    let mut ids: Vec<String> = changed.iter().take(NAMED).map(i64::to_string).collect();
    if changed.len() > NAMED {
        ids.push(match lang {
            Lang::En => format!("and {} more", changed.len() - NAMED),
            Lang::Zh => format!("等另 {} 条", changed.len() - NAMED),
        });
    }
    let ids = ids.join(", ");
    let k = changed.len();
    match lang {
        Lang::En => format!(
            "{k} of {marked} refused: finding {ids} changed by another operator since your screen was drawn; nothing done; all {marked} still marked, changed ones shown as !"
        ),
        Lang::Zh => format!(
            "{marked} 条中 {k} 条被拒绝：异常 {ids} 在本屏显示后已被其他人改动；未做任何更改，{marked} 条仍为已标记（已改动的显示为 !）"
        ),
    }
}

/// Appended to a refusal of a change on the marks: nothing was applied, the marks are kept.
pub fn marks_kept(lang: Lang, marked: usize) -> String {
    match lang {
        Lang::En => format!("nothing was changed; all {marked} marked findings are still marked"),
        Lang::Zh => format!("未做任何更改，{marked} 条已标记异常仍为已标记"),
    }
}

/// A marked finding that is no longer in the dataset.
pub fn finding_gone(lang: Lang, id: i64, clear_key: &str) -> String {
    match lang {
        Lang::En => format!("marked finding {id} no longer exists; {clear_key} clears the marks"),
        Lang::Zh => format!("已标记的异常 {id} 已不存在；按 {clear_key} 清除标记"),
    }
}

fn plural_en(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

pub fn revoke_question(lang: Lang, id: i64) -> String {
    match lang {
        Lang::En => format!("Revoke whitelist entry {id}? Its findings return to the queues."),
        Lang::Zh => format!("撤销白名单 {id}？其屏蔽的异常将回到队列。"),
    }
}

pub fn approve_question(lang: Lang, id: i64) -> String {
    match lang {
        Lang::En => format!("Approve whitelist entry {id}?"),
        Lang::Zh => format!("批准白名单 {id}？"),
    }
}

/// Asked after the editor's cancel key when there is text; `keys` are [discard]'s.
pub fn discard_ask(lang: Lang, keys: &str) -> String {
    match lang {
        Lang::En => format!("Discard this text?  {keys} = discard · any other key = keep editing"),
        Lang::Zh => format!("放弃已输入的内容？ {keys} = 放弃 · 其他键 = 继续编辑"),
    }
}

pub fn scan_progress(lang: Lang, stage: &str) -> String {
    match lang {
        Lang::En => format!("Scanning: {stage}"),
        Lang::Zh => format!("扫描中：{stage}"),
    }
}

/// The status line's short label for an action.
pub fn action_short(lang: Lang, a: Key) -> &'static str {
    let (en, zh) = match a {
        Key::Confirm | Key::DConfirm => ("confirm", "确认"),
        Key::Close | Key::DClose => ("close", "关闭"),
        Key::Reopen | Key::DReopen => ("reopen", "重开"),
        Key::Note | Key::DNote => ("note", "批注"),
        Key::WhitelistAdd | Key::DWhitelistAdd => ("whitelist", "白名单"),
        Key::Mark => ("mark", "标记"),
        Key::Search => ("search", "搜索"),
        Key::FilterStatus => ("status", "状态"),
        Key::Sort => ("sort", "排序"),
        Key::Open => ("open", "打开"),
        Key::Back => ("back", "返回"),
        Key::Help => ("help", "帮助"),
        Key::Quit => ("quit", "退出"),
        Key::NextPanel => ("panel", "切换面板"),
        Key::Scan => ("scan", "扫描"),
        Key::GoFindings => ("findings", "异常"),
        Key::WlView => ("view", "视图"),
        Key::WlAdd => ("add", "新增"),
        Key::WlExtend => ("extend", "延期"),
        Key::WlRevoke => ("revoke", "撤销"),
        Key::WlApprove => ("approve", "批准"),
        Key::TicketCreate | Key::DTicketCreate => ("ticket", "派单"),
        Key::TkView => ("queue", "队列"),
        Key::TkAck => ("ack", "签收"),
        Key::TkSubmit => ("submit", "提交"),
        Key::TkApprove => ("approve", "通过"),
        Key::TkReturn => ("return", "退回"),
        Key::TkCancel => ("cancel", "取消"),
        Key::RpPeriod => ("period", "周期"),
        Key::RpChart => ("chart", "图表"),
        Key::GoTickets => ("tickets", "工单"),
        Key::GoReports => ("reports", "报表"),
        Key::QPeriodKind => ("month/half/year", "月/半年/年"),
        Key::QPrevPeriod => ("earlier", "上期"),
        Key::QNextPeriod => ("later", "下期"),
        Key::QLevel => ("stations/districts", "供电所/区县"),
        Key::QEnterValue => ("enter value", "录入值"),
        Key::ThCategory => ("category", "分类"),
        Key::ThRule => ("rule", "规则"),
        Key::ThExport => ("export CSV", "导出CSV"),
        Key::Yes => ("yes", "确定"),
        Key::No => ("no", "取消"),
        Key::ChoiceUp | Key::ChoiceDown => ("choose", "选择"),
        Key::Pick | Key::Submit => ("OK", "确认"),
        Key::ChoiceCancel | Key::PromptCancel => ("cancel", "取消"),
        Key::Discard => ("discard", "放弃"),
        other => return action_help(lang, other),
    };
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// One line of the help overlay per action.
#[allow(clippy::too_many_lines)] // a table: one arm per key action, in both languages
pub fn action_help(lang: Lang, a: Key) -> &'static str {
    let (en, zh) = match a {
        Key::Quit => ("quit", "退出"),
        Key::Help => ("this help", "帮助"),
        Key::GoDashboard => ("dashboard", "总览"),
        Key::GoFindings => ("findings", "异常列表"),
        Key::GoRules => ("rules", "规则"),
        Key::GoWhitelist => ("whitelist", "白名单"),
        Key::GoTickets => ("tickets", "工单"),
        Key::GoReports => ("reports", "报表"),
        Key::GoQuality => ("quality evaluation", "质量评价"),
        Key::GoTheme => ("theme analysis", "主题分析"),
        Key::NextPanel => ("next panel / view", "下一面板/视图"),
        Key::PrevPanel => ("previous panel / view", "上一面板/视图"),
        Key::Refresh => ("refresh now", "立即刷新"),
        Key::Scan => ("run a scan in the background", "后台扫描"),
        Key::CancelJob => ("cancel the running scan", "取消扫描"),
        Key::Up => ("up", "上移"),
        Key::Down => ("down", "下移"),
        Key::PageUp => ("page up", "上一页"),
        Key::PageDown => ("page down", "下一页"),
        Key::Top => ("first", "第一条"),
        Key::Bottom => ("last", "最后一条"),
        Key::Open => ("open", "打开"),
        Key::Back => ("back", "返回"),
        Key::Search => ("search text", "搜索文本"),
        Key::FilterStatus => ("cycle status filter", "切换状态筛选"),
        Key::FilterSeverity => ("cycle severity filter", "切换级别筛选"),
        Key::FilterLevel => ("cycle THF level filter", "切换窃电等级筛选"),
        Key::FilterUnit => ("filter by unit", "按供电所筛选"),
        Key::FilterRule => ("filter by rule", "按规则筛选"),
        Key::FilterSuppressed => ("whitelisted: hidden/only/shown", "白名单屏蔽：隐藏/仅/显示"),
        Key::ClearFilters => ("clear all filters", "清除全部筛选"),
        Key::Sort => ("next sort key", "切换排序"),
        Key::Reverse => ("reverse sort", "反向排序"),
        Key::Mark => ("mark / unmark for a bulk action", "标记/取消标记"),
        Key::ClearMarks => ("clear marks", "清除标记"),
        Key::Confirm | Key::DConfirm => ("confirm (marked or current)", "确认异常（已标记或当前）"),
        Key::Close | Key::DClose => ("close with a resolution", "关闭并选择原因"),
        Key::Reopen | Key::DReopen => ("reopen", "重新打开"),
        Key::Note | Key::DNote => ("add a note", "添加批注"),
        Key::WhitelistAdd | Key::DWhitelistAdd => (
            "whitelist (marked or current)",
            "加入白名单（已标记或当前）",
        ),
        Key::WlView => ("next view", "切换视图"),
        Key::WlAdd => ("add an entry", "新增"),
        Key::WlExtend => ("extend the entry", "延期"),
        Key::WlRevoke => ("revoke the entry", "撤销"),
        Key::WlApprove => ("approve the entry (reviewer)", "批准（审核）"),
        Key::TicketCreate | Key::DTicketCreate => (
            "make a ticket of the marked or current findings",
            "将已标记或当前异常派发工单",
        ),
        Key::TkView => ("next queue (state)", "切换队列（状态）"),
        Key::TkAck => ("acknowledge: start rectifying", "签收，开始整改"),
        Key::TkSubmit => ("submit cause, measures, amount", "提交原因、措施、追补金额"),
        Key::TkApprove => ("approve (reviewer)", "审核通过（审核）"),
        Key::TkReturn => ("return with a reason (reviewer)", "退回并说明原因（审核）"),
        Key::TkCancel => ("cancel with a reason", "取消并说明原因"),
        Key::RpPeriod => ("today / this week / this month", "日报/周报/月报"),
        Key::RpChart => (
            "chart: completion rate / open findings",
            "图表：完成率/未关闭异常",
        ),
        Key::QPeriodKind => ("period: month/half/year", "周期：月度/半年/年度"),
        Key::QPrevPeriod => ("previous period", "上一期"),
        Key::QNextPeriod => ("next period", "下一期"),
        Key::QLevel => ("rank stations / districts", "排名：供电所/区县"),
        Key::QEnterValue => ("enter manual value (reviewer)", "录入手工指标值（审核）"),
        Key::ThCategory => (
            "next rule category (and External)",
            "下一规则分类（含外部系统）",
        ),
        Key::ThRule => ("a single rule as the theme", "按单条规则分析"),
        Key::ThExport => ("export the theme as CSV", "导出当前主题 CSV"),
        Key::Save => ("save", "保存"),
        Key::Cancel => (
            "cancel (asks before discarding text)",
            "取消（有内容时先询问）",
        ),
        Key::NextField => ("next field (forms)", "下一项（表单）"),
        Key::PrevField => ("previous field (forms)", "上一项（表单）"),
        Key::Yes => ("yes: do it", "确定执行"),
        Key::No => ("no: leave it", "取消"),
        Key::ChoiceUp => ("previous choice", "上一选项"),
        Key::ChoiceDown => ("next choice", "下一选项"),
        Key::Pick => (
            "take this choice (or type its number)",
            "选定（或输入序号）",
        ),
        Key::ChoiceCancel => ("cancel", "取消"),
        Key::Submit => ("OK", "确认"),
        Key::PromptCancel => ("cancel", "取消"),
        Key::CursorLeft => ("cursor left", "光标左移"),
        Key::CursorRight => ("cursor right", "光标右移"),
        Key::LineStart => ("to the start", "移到开头"),
        Key::LineEnd => ("to the end", "移到末尾"),
        Key::DeleteBefore => ("delete the character before", "删除前一个字符"),
        Key::DeleteAfter => ("delete the character under the cursor", "删除光标处字符"),
        Key::DeleteWord => ("delete the word before", "删除前一个词"),
        Key::DeleteToStart => ("delete everything before the cursor", "删除光标前全部内容"),
        Key::Discard => ("discard the text", "放弃已输入内容"),
    };
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

pub fn period_label(lang: Lang, p: &crate::quality::Period) -> String {
    use crate::quality::Period as P;
    match (p, lang) {
        (P::Month(y, m), Lang::En) => format!("{y}-{m:02}"),
        (P::Month(y, m), Lang::Zh) => format!("{y}年{m}月"),
        (P::Half(y, h), Lang::En) => format!("{y} H{h}"),
        (P::Half(y, 1), Lang::Zh) => format!("{y}年上半年"),
        (P::Half(y, _), Lang::Zh) => format!("{y}年下半年"),
        (P::Year(y), Lang::En) => format!("{y}"),
        (P::Year(y), Lang::Zh) => format!("{y}年"),
    }
}

pub fn stations_of(lang: Lang, district: &str) -> String {
    match lang {
        Lang::En => format!("Stations of {district}"),
        Lang::Zh => format!("{district} 下属供电所"),
    }
}

pub fn theme_exported(lang: Lang, rows: usize, path: &str) -> String {
    match lang {
        Lang::En => format!("Exported {rows} rows to {path}"),
        Lang::Zh => format!("已导出 {rows} 行到 {path}"),
    }
}

pub fn theme_total(lang: Lang, findings: u64, amount: &str, open: u64, rectified: u64) -> String {
    match lang {
        Lang::En => {
            format!("{findings} findings · {amount} 元 · {open} open · {rectified} rectified")
        }
        Lang::Zh => {
            format!("异常 {findings} 条 · 金额 {amount} 元 · 未关闭 {open} · 已整改 {rectified}")
        }
    }
}

/// No enabled manual indicator evaluates the unit's level.
pub fn no_manual_indicator(lang: Lang, level: &str) -> String {
    match lang {
        Lang::En => format!(
            "No enabled manual indicator evaluates {level}s; an admin adds one with `jicha quality indicator add --source manual`."
        ),
        Lang::Zh => format!(
            "没有适用于{}的已启用手工指标；管理员可用 `jicha quality indicator add --source manual` 添加。",
            if level == "district" { "区县" } else { "供电所" }
        ),
    }
}

/// The title of the value prompt: the indicator, the unit and the period (all escaped by the
/// caller).
pub fn quality_value_title(lang: Lang, name: &str, unit: &str, period: &str) -> String {
    match lang {
        Lang::En => format!("Value of {name} · {unit} · {period}"),
        Lang::Zh => format!("{name} · {unit} · {period} 的值"),
    }
}

/// The scale of an indicator, above the value prompt.
pub fn quality_value_scale(lang: Lang, base: &str, full: &str, full_score: &str) -> String {
    match lang {
        Lang::En => format!("base {base} (0 points) → full mark {full} ({full_score} points)"),
        Lang::Zh => format!("基本值 {base}（0 分）→ 满分值 {full}（{full_score} 分）"),
    }
}
