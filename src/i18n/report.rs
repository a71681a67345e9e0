//! The report's words (workflow.md "Reports"): each figure's name in the handbooks' Chinese and
//! in English, the business indicators, the sections and columns. The text and Markdown report
//! shows both (`both`), the workbook and the screen the operator's language.

use crate::context::Lang;

crate::bilingual_messages! {
    pub enum ReportWord {
        Title => "Audit report", "稽查报表";
        ThemesMonitored => "Themes monitored", "监控业务异常主题数";
        ThemesTicketed => "Themes ticketed", "发起稽查任务主题数";
        InitiationRate => "Initiation rate", "稽查异常问题发起率";
        ProblemsDispatched => "Problems dispatched", "发起稽查问题数";
        ProblemsCompleted => "Problems completed", "稽查问题完成数";
        CompletionRate => "Completion rate", "稽查问题完成率";
        FindingsToRectify => "Findings to rectify", "发现应整改稽查问题数";
        FindingsRectified => "Findings rectified", "整改完成稽查问题数";
        RectificationRate => "Rectification rate", "异常问题整改完成率";
        ProblemsOverdue => "Problems overdue", "稽查问题超期数";
        OverdueRate => "Overdue rate", "稽查超期率";
        OpenBefore => "Open before the range", "期初未关闭异常数";
        OpenAfter => "Open at the end", "期末未关闭异常数";
        SuppressedBefore => "of which whitelisted, before", "期初其中白名单屏蔽";
        SuppressedAfter => "of which whitelisted, at the end", "期末其中白名单屏蔽";
        CumulativeRate => "Cumulative completion rate", "累计完成率";
        TicketsIssued => "Tickets issued", "派发工单数";
        TicketsCompleted => "Tickets completed", "完成工单数";
        TicketsOverdue => "Tickets overdue", "超期工单数";
        WhitelistAdded => "Whitelist entries added", "新增白名单";
        WhitelistExtended => "Whitelist entries extended", "延期白名单";
        WhitelistRevoked => "Whitelist entries revoked", "撤销白名单";
        WhitelistActive => "Whitelist entries active at the end", "期末有效白名单";
        WhitelistLong => "of which longer than the review period", "其中冻结期超过审批期限";
        Kpis => "Business indicators (indicator change rate)", "营销关键指标（指标改变率）";
        CollectionRate => "Collection rate", "电费回收率";
        AveragePrice => "Average price (yuan/kWh)", "平均电价（元/kWh）";
        Kwh => "Energy sold (kWh)", "售电量（kWh）";
        OpenFindings => "Open findings", "异常存量";
        Indicator => "Indicator", "指标";
        Before => "Previous range", "上期";
        After => "This range", "本期";
        Change => "Change rate", "改变率";
        OpenChangeRate => "Open findings change rate", "异常数改变率";
        Figure => "Figure", "指标";
        Value => "Value", "数值";
        Period => "Period", "报表期间";
        BillingPeriods => "Billing periods", "账期";
        Scope => "Unit", "范围";
        AllUnits => "all units", "全部单位";
        ByUnit => "By unit", "按责任单位";
        ByRule => "By rule", "按规则";
        Ranking => "Unit ranking", "单位排名";
        OverdueList => "Overdue tickets", "超期工单";
        Unit => "Unit", "单位";
        Level => "Level", "层级";
        Rule => "Rule", "规则";
        RuleName => "Rule name", "规则名称";
        Rank => "Rank", "排名";
        Ticket => "Ticket", "工单";
        State => "State", "状态";
        IssuedOn => "Issued on", "派发日期";
        DueOn => "Due on", "要求完成日期";
        ApprovedOn => "Approved on", "审核通过日期";
        DaysLate => "Days late", "超期天数";
        Problems => "Problems", "问题数";
        NoUnit => "(no unit)", "（无单位）";
    }
}

impl ReportWord {
    /// Chinese and English together, as the text and Markdown report shows a figure's name.
    pub fn both(self) -> String {
        format!("{} {}", self.text(Lang::Zh), self.text(Lang::En))
    }
}

/// A unit level's name in `lang` (the tree's and the report's).
pub fn level(lang: Lang, l: crate::units::UnitLevel) -> &'static str {
    use crate::units::UnitLevel as L;
    match lang {
        Lang::Zh => l.zh(),
        Lang::En => match l {
            L::Province => "province",
            L::City => "city",
            L::County => "county",
            L::Station => "station",
            L::Department => "department",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_report_word_differs_between_the_languages() {
        for w in ReportWord::ALL {
            assert_ne!(w.text(Lang::En), w.text(Lang::Zh), "{w:?}");
            assert!(w.both().contains(w.text(Lang::Zh)) && w.both().contains(w.text(Lang::En)));
        }
        for l in crate::units::UnitLevel::ALL {
            assert_ne!(level(Lang::En, l), level(Lang::Zh, l));
        }
    }
}
