//! The lists' own words: column names the shared table lacks, the column chooser, the
//! recurred filter.

crate::bilingual_messages! {
    pub enum LsMsg {
        ThfLevel => "THF", "窃电等级";
        ResolutionCol => "Resolution", "处理结果";
        Columns => "Columns (Enter: show/hide)", "显示的列（Enter：显示/隐藏）";
        ColumnsDone => "done", "完成";
        ColumnsSaveFailed => "column choice not saved", "列的选择未能保存";
        RecurredOnly => "recurred only", "仅复发";
        Flags => "Flags (R recurred, W whitelisted)", "标志（R 复发，W 白名单）";
        Mark => "Mark", "标记";
        Id => "Number", "编号";
        Scrolled => "evidence from column", "证据自第几列";
    }
}
