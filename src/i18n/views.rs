//! The words of saved views (已存视图) in both languages: refusals and what a change did.

use super::outcomes::Done;
use crate::context::Lang;

crate::sentence_kinds! {
    /// Refusals of saving, deleting or pinning a view.
    #[derive(Debug, Clone, PartialEq)]
    pub enum ViewWrong {
        BadName { name: String, max: usize },
        NoView { name: String },
    }
}

impl ViewWrong {
    pub fn text(&self, lang: Lang) -> String {
        use ViewWrong::*;
        match (self, lang) {
            (BadName { name, max }, Lang::En) => format!(
                "`{name}` is not a view name: give 1 to {max} characters, no spaces at either end, no control characters"
            ),
            (BadName { name, max }, Lang::Zh) => {
                format!("`{name}` 不能作为视图名称：请输入 1 至 {max} 个字符，首尾无空格，不含控制字符")
            }
            (NoView { name }, Lang::En) => {
                format!("you have no saved view `{name}`; the views key lists yours")
            }
            (NoView { name }, Lang::Zh) => format!("你没有名为 `{name}` 的已存视图；按视图键列出你的视图"),
        }
    }
}

/// The one line for a view change; None for other outcomes.
pub fn done(lang: Lang, d: &Done) -> Option<String> {
    Some(match (d, lang) {
        (
            Done::ViewSaved {
                name,
                replaced: false,
            },
            Lang::En,
        ) => format!("view `{name}` saved"),
        (
            Done::ViewSaved {
                name,
                replaced: true,
            },
            Lang::En,
        ) => format!("view `{name}` replaced"),
        (
            Done::ViewSaved {
                name,
                replaced: false,
            },
            Lang::Zh,
        ) => format!("已保存视图 `{name}`"),
        (
            Done::ViewSaved {
                name,
                replaced: true,
            },
            Lang::Zh,
        ) => format!("已更新视图 `{name}`"),
        (Done::ViewDeleted { name }, Lang::En) => format!("view `{name}` deleted"),
        (Done::ViewDeleted { name }, Lang::Zh) => format!("已删除视图 `{name}`"),
        (Done::ViewPinned { name, pinned: true }, Lang::En) => {
            format!("view `{name}` pinned to the dashboard")
        }
        (
            Done::ViewPinned {
                name,
                pinned: false,
            },
            Lang::En,
        ) => {
            format!("view `{name}` unpinned from the dashboard")
        }
        (Done::ViewPinned { name, pinned: true }, Lang::Zh) => {
            format!("已将视图 `{name}` 固定到总览")
        }
        (
            Done::ViewPinned {
                name,
                pinned: false,
            },
            Lang::Zh,
        ) => format!("已取消在总览固定视图 `{name}`"),
        (Done::Undone { findings }, Lang::En) => {
            format!("undone: {findings} finding(s) back where they were, or their note withdrawn by a later note (logged as finding.undo)")
        }
        (Done::Undone { findings }, Lang::Zh) => {
            format!(
                "已撤销：{findings} 条异常恢复原状态或其批注以新批注作废（已作为撤销操作记入日志）"
            )
        }
        (Done::WhitelistUndone { entries }, Lang::En) => {
            format!("undone: {entries} whitelist entry(ies) revoked (logged as whitelist.undo)")
        }
        (Done::WhitelistUndone { entries }, Lang::Zh) => {
            format!("已撤销：{entries} 条白名单已终止（已作为撤销操作 `whitelist.undo` 记入日志）")
        }
        _ => return None,
    })
}

crate::sentence_kinds! {
    /// Refusals of the UI's undo (`actions::undo`).
    #[derive(Debug, Clone, PartialEq)]
    pub enum UndoWrong {
        Nothing,
        /// The record is not this operator's status move of a finding.
        NotUndoable { seq: i64 },
        /// The finding is no longer where the move left it.
        Moved { id: i64, status: String },
    }
}

impl UndoWrong {
    pub fn text(&self, lang: Lang) -> String {
        use UndoWrong::*;
        match (self, lang) {
            (Nothing, Lang::En) => "nothing to undo: undo reverses your own last confirm, close, reopen, note or whitelist add of this session".into(),
            (Nothing, Lang::Zh) => "没有可撤销的操作：撤销只针对你本次会话中最后一次确认、关闭、重新打开、批注或加白名单".into(),
            (NotUndoable { seq }, Lang::En) => format!(
                "log record {seq} is not your own confirm, close, reopen or note of a finding, nor your own whitelist add; only those can be undone"
            ),
            (NotUndoable { seq }, Lang::Zh) => format!(
                "日志记录 {seq} 不是你本人对异常的确认、关闭、重新打开或批注，也不是你本人添加的白名单，无法撤销"
            ),
            (Moved { id, status }, Lang::En) => format!(
                "finding {id} is {status} now, not where your action left it; nothing was undone"
            ),
            (Moved { id, status }, Lang::Zh) => {
                format!("异常 {id} 现为 {status}，已不是你操作后的状态；未撤销任何内容")
            }
        }
    }
}
