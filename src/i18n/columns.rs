//! Column headers and sheet names of the documents people open in Excel (xlsx, and CSV
//! written for people), in English and Chinese. The CSV columns programs read keep their
//! stable identifiers (`cust_no`); these are the words a person reads above them.

crate::bilingual_messages! {
    pub enum Column {
        Id => "ID", "编号";
        Rule => "Rule", "规则";
        RuleName => "Rule name", "规则名称";
        CustNo => "Customer no.", "户号";
        CustName => "Customer name", "户名";
        Station => "Supply station", "供电所";
        District => "District", "区县";
        Subject => "Subject (meter no., period…)", "对象（表号、账期…）";
        Status => "Status", "状态";
        Resolution => "Resolution", "处理结果";
        Severity => "Severity", "严重程度";
        Level => "Level", "级别";
        FirstSeen => "First seen", "首次发现";
        LastSeen => "Last seen", "最近发现";
        Whitelisted => "Whitelisted", "白名单";
        Recurred => "Recurred", "复发";
        Evidence => "Evidence", "依据";
        AmountYuan => "Amount at stake (元)", "涉及金额（元）";
        Version => "Version", "版本";
        TicketNo => "Ticket no.", "工单编号";
        State => "State", "状态";
        Unit => "Responsible unit", "责任单位";
        Person => "Responsible person", "责任人";
        IssuedOn => "Issued on", "派发日期";
        DueOn => "Due on", "要求完成日期";
        Overdue => "Overdue", "超期";
        Findings => "Findings", "异常数";
        ApprovedOn => "Approved on", "审核通过日期";
        RecoveredYuan => "Recovered (元)", "追补电费（元）";
        Requirement => "Requirement", "工作要求";
        StartsOn => "Starts on", "生效日期";
        ExpiresOn => "Expires on", "到期日期";
        Author => "Requested by", "申请人";
        ApprovedBy => "Approved by", "审批人";
        Reason => "Reason", "原因";
        Period => "Period", "报表期间";
        Figure => "Figure", "指标";
        Value => "Value", "数值";
        Issued => "Tickets issued", "派发工单";
        Completed => "Tickets completed", "完成工单";
        CompletionRate => "Completion rate", "稽查问题完成率";
        RectificationRate => "Rectification rate", "异常问题整改完成率";
        OverdueRate => "Overdue rate", "稽查超期率";
        OpenAfter => "Open at the end", "期末未关闭";
        OpenBefore => "Open before the range", "期初未关闭";
        CumulativeRate => "Cumulative completion rate", "累计完成率";
        Detected => "Themes with findings", "发现问题主题数";
        Ticketed => "Themes ticketed", "已派单主题数";
        InitiationRate => "Initiation rate", "稽查异常问题发起率";
        ToRectify => "Findings to rectify", "应整改异常数";
        Rectified => "Findings rectified", "已整改异常数";
        TicketsOverdue => "Tickets overdue", "超期工单";
        ChangeRate => "Indicator change rate", "指标改变率";
        Rank => "Rank", "排名";
        DaysLate => "Days late", "超期天数";
        Month => "Month", "月份";
        OpenFindings => "Open", "未关闭";
        Parent => "District / stations", "所属区县 / 下辖供电所";
        MainScore => "Main indicators", "主要指标得分";
        ProcessScore => "Process indicators", "过程指标得分";
        BusinessScore => "Business evaluation", "业务评价得分";
        BusinessDeductions => "Business deductions", "业务评价扣分";
        DirectDeductions => "Direct deductions", "直接扣分";
        Bonus => "Bonus", "奖励加分";
        Composite => "Composite score", "综合得分";
        Unvalued => "Indicators without a value", "缺值指标";
        Category => "Category", "业务类别";
        Name => "Name", "名称";
        Kind => "Kind", "指标类型";
        Source => "Source", "数据来源";
        BaseValue => "Base value", "基本值";
        FullValue => "Full-mark value", "满分值";
        FullScore => "Full score", "分值";
        IndicatorValue => "value", "值";
        IndicatorScore => "score", "得分";
        Yes => "yes", "是";
        No => "no", "否";
        // The summaries and record lists (scan, import, log, thresholds, operators) and the
        // quality entries, trend and drill-down.
        ScanId => "Scan", "扫描批次";
        AsOf => "Data as of", "数据日期";
        BusinessDate => "Business date", "业务日期";
        Hits => "Hits", "命中数";
        NewFindings => "New", "新发现";
        Again => "Found again", "再次命中";
        AgainClosed => "Of which closed, left closed", "其中已关闭（保持关闭）";
        Cleared => "Cleared", "已更正";
        Reopened => "Reopened", "重新打开";
        Suppressed => "Suppressed by the whitelist", "白名单屏蔽";
        ImportId => "Import", "导入批次";
        SourceDir => "Source directory", "来源目录";
        File => "File", "文件";
        RowsRead => "Rows read", "读取行数";
        RowsInserted => "New rows", "新增行数";
        RowsUpdated => "Updated rows", "更新行数";
        WarningsTotal => "Warnings", "警告数";
        Warning => "Warning", "警告内容";
        Seq => "Seq.", "序号";
        AtUtc => "Time (UTC)", "时间（UTC）";
        Operator => "Operator", "操作员";
        Action => "Action", "操作";
        Target => "Target", "对象";
        Details => "Details", "详情";
        PrevHash => "Previous hash", "前一条哈希";
        Hash => "Hash", "哈希";
        Parameter => "Parameter", "参数";
        Default => "Default", "默认值";
        Rules => "Rules", "适用规则";
        About => "About", "说明";
        Login => "Login", "登录名";
        Role => "Role", "角色";
        PersonName => "Name", "姓名";
        AddedAt => "Added at (UTC)", "添加时间（UTC）";
        AddedBy => "Added by", "添加人";
        EntryKind => "Kind", "类型";
        OnDate => "Date", "日期";
        Points => "Points", "分数";
        EnteredBy => "Entered by", "录入人";
        RevokedOn => "Revoked on", "撤销日期";
        RankedOf => "Units ranked", "参评单位数";
        Score => "Score", "得分";
        Deducted => "Points deducted", "扣分";
        Enabled => "Enabled", "启用";
        Direction => "Direction", "方向";
        OperatorUnit => "Unit (empty: audit centre)", "所属单位（空为稽查中心）";
    }
}

crate::bilingual_messages! {
    pub enum SheetName {
        Findings => "Findings", "异常清单";
        Tickets => "Tickets", "稽查工单";
        Whitelist => "Whitelist", "白名单";
        Figures => "Figures", "汇总指标";
        ByUnit => "By unit", "按责任单位";
        ByRule => "By rule", "按规则";
        Ranking => "Unit ranking", "单位排名";
        OverdueList => "Overdue tickets", "超期工单";
        Stations => "Stations", "供电所";
        Districts => "Districts", "区县";
        Indicators => "Indicators", "指标";
        Theme => "Theme", "主题分析";
        // The summaries and record lists, and the quality entries, trend and drill-down.
        ScanRules => "Hits by rule", "按规则命中";
        ImportFiles => "Files", "导入文件";
        Warnings => "Warnings", "警告";
        ActionLog => "Action log", "操作日志";
        Thresholds => "Thresholds", "阀值";
        Operators => "Operators", "操作员";
        Entries => "Deductions and bonuses", "扣分与加分";
        Trend => "Trend", "趋势";
        Score => "Score", "得分";
        Escalations => "Escalation notices", "督办单";
        EscalatedTickets => "Escalated tickets", "督办工单";
        Kpis => "Business indicators", "营销关键指标";
        Campaign => "Campaign", "专项稽查";
        CampaignUnits => "By unit", "各单位进度";
        Samples => "Samples", "抽检";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Lang;

    #[test]
    fn every_header_and_sheet_name_differs_between_the_languages() {
        for c in Column::ALL {
            assert_ne!(c.text(Lang::En), c.text(Lang::Zh), "{c:?}");
        }
        for s in SheetName::ALL {
            assert_ne!(s.text(Lang::En), s.text(Lang::Zh), "{s:?}");
            // Excel refuses longer sheet names and these characters in them.
            assert!(s.text(Lang::En).chars().count() <= 31);
            assert!(!s
                .text(Lang::Zh)
                .contains(['[', ']', ':', '*', '?', '/', '\\']));
        }
    }
}
