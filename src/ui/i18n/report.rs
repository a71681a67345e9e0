//! The reports screen's own words: the headline rates' counts, the unit filter, the columns.
//! The figures' names are the report's (`crate::i18n::report::ReportWord`).

crate::bilingual_messages! {
    pub enum RpMsg {
        Headline => "Closed-loop rates", "闭环指标";
        InitiationRate => "Initiation", "稽查异常问题发起率";
        CompletionRate => "Completion", "稽查问题完成率";
        RectificationRate => "Rectification", "异常问题整改完成率";
        OverdueRate => "Overdue", "稽查超期率";
        CumulativeRate => "Cumulative", "累计完成率";
        ThemesOf => "themes ticketed / monitored", "发起/监控主题";
        ProblemsDone => "problems completed / dispatched", "完成/发起问题";
        Rectified => "rectified / to rectify", "整改完成/应整改";
        ProblemsLate => "problems overdue / dispatched", "超期/发起问题";
        Tickets => "tickets", "工单";
        OpenWord => "open", "未关闭";
        Whitelisted => "whitelisted", "白名单屏蔽";
        Change => "Change", "指标改变率";
        Collection => "collection", "回收率";
        Price => "price", "电价";
        Kwh => "kWh", "售电量";
        UnitFilter => "unit", "单位";
        AllUnits => "all units", "全部单位";
        PickUnit => "Report for which unit", "选择报表单位";
        ByUnitTree => "By unit", "分单位";
        RankCol => "#", "名";
        ProblemsCol => "Prob", "问题";
        ComplCol => "Compl", "完成率";
        RectCol => "Rect", "整改率";
        LateCol => "Late", "超期率";
        OpenCol => "Open", "未关";
        ChartCompletion => "Completion rate (%)", "稽查问题完成率（%）";
        ChartOpen => "Open findings", "未关闭异常";
        NoUnits => "No units in this period.", "本期无数据。";
        Drill => "drill down", "下钻";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Lang;

    #[test]
    fn every_screen_word_is_said_in_both_languages() {
        for m in RpMsg::ALL {
            assert!(
                !m.text(Lang::En).is_empty() && !m.text(Lang::Zh).is_empty(),
                "{m:?}"
            );
            assert_ne!(m.text(Lang::En), m.text(Lang::Zh), "{m:?}");
        }
    }
}
