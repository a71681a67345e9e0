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
        (Done::ViewSaved { name, replaced: false }, Lang::En) => format!("view `{name}` saved"),
        (Done::ViewSaved { name, replaced: true }, Lang::En) => format!("view `{name}` replaced"),
        (Done::ViewSaved { name, replaced: false }, Lang::Zh) => format!("已保存视图 `{name}`"),
        (Done::ViewSaved { name, replaced: true }, Lang::Zh) => format!("已更新视图 `{name}`"),
        (Done::ViewDeleted { name }, Lang::En) => format!("view `{name}` deleted"),
        (Done::ViewDeleted { name }, Lang::Zh) => format!("已删除视图 `{name}`"),
        (Done::ViewPinned { name, pinned: true }, Lang::En) => {
            format!("view `{name}` pinned to the dashboard")
        }
        (Done::ViewPinned { name, pinned: false }, Lang::En) => {
            format!("view `{name}` unpinned from the dashboard")
        }
        (Done::ViewPinned { name, pinned: true }, Lang::Zh) => format!("已将视图 `{name}` 固定到总览"),
        (Done::ViewPinned { name, pinned: false }, Lang::Zh) => format!("已取消在总览固定视图 `{name}`"),
        _ => return None,
    })
}
