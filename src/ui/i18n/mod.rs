//! The screen's own words in Chinese and English: the message table here, sentences with numbers
//! in `sentences`, key names and help in `keys`. Words the CLI shares (status, severity, …) come
//! from `crate::i18n`. Dataset text is never here: it is shown as it is, escaped.

mod keys;
mod lists;
mod report;
mod sentences;

pub use crate::i18n::values::*;
pub use keys::*;
pub use lists::LsMsg;
pub use report::RpMsg;
pub use sentences::*;

use crate::context::Lang;

crate::bilingual_messages! {
    pub enum Msg {
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
        RespUnit => "Unit", "责任单位";
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
        Ascending => "↑ smallest first", "↑ 从小到大";
        Descending => "↓ largest first", "↓ 从大到小";
        FindingsCount => "findings", "条";
        Marked => "marked", "已标记";
        NoFindings => "No findings match this filter.", "没有符合条件的异常。";
        Checks => "Checks", "检查内容";
        SiteRules => "Site rules", "自定义规则";
        VersionCol => "Version", "版本";
        BuiltInRule => "built-in", "内置";
        SiteRule => "site", "自定义";
        RuleOn => "on", "启用";
        RuleOff => "off", "停用";
        RuleGone => "removed", "已删除";
        RuleSource => "Source", "来源";
        RuleState => "Runs", "运行";
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
        PromptUnit => "Unit, exact name (a county: its stations)", "单位完整名称（县公司含所辖供电所）";
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
        ConfirmTitle => "Confirm", "请确认";
        AnswerOfOtherType => "internal error: an answer is not a", "内部错误：答复的类型不是";
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
        QRanking => "Ranked by composite", "综合得分排名";
        QMainCol => "Main", "主要";
        QProcessCol => "Proc", "过程";
        QBusinessCol => "Bus", "业务";
        QDirectCol => "Ded", "直接扣分";
        QBonusCol => "Bonus", "奖励";
        QCompositeCol => "Total", "综合";
        QTrend => "Composite, last 6 periods", "综合得分近6期";
        QNoUnits => "No units: customers carry the stations and districts.", "无评价单位：供电所与区县来自客户档案。";
        QIndicators => "Indicators", "指标";
        QEntries => "Deductions and bonuses", "扣分与加分";
        QTickets => "Tickets", "工单";
        QFindings => "Findings first seen in the period", "本期发现的异常";
        QNoValue => "— not applicable", "— 不适用";
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
        CtxDashboard => "Dashboard", "总览";
        CtxInspections => "On-site inspections", "现场稽查";
        CtxQc => "QC of audit work", "稽查质检";
        QQuarter => "Quarter", "季度";
        QAllUnits => "All units", "全部单位";
        QUnitTree => "Unit tree: roll up / drill down", "单位树：上卷/下钻";
        ThAllUnits => "All units", "全部单位";
        QUnitCol => "Unit", "单位";
        UnitFilter => "Unit", "单位";
        FirstReview => "First review", "初审";
        ArchivedOn => "Archived", "归档";
        SecondReview => "Approved", "复核";
        CtxCampaigns => "Campaigns", "专项稽查";
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
        (P::Quarter(y, q), Lang::En) => format!("{y} Q{q}"),
        (P::Quarter(y, q), Lang::Zh) => format!("{y}年第{q}季度"),
    }
}
