//! Refusals of the read side: an unknown filter, sort, view or stored value.

use super::errors::ValueSet;
use crate::context::Lang;

crate::sentence_kinds! {
    /// A filter or a value the read side does not know; `allowed` are identifiers.
    #[derive(Debug, Clone, PartialEq)]
    pub enum QueryWrong {
        UnknownView { given: String },
        UnknownTicketState { given: String, allowed: Vec<&'static str> },
        UnknownStatus { given: String, allowed: Vec<&'static str> },
        UnknownSeverity { given: String },
        UnknownRule { given: String },
        ThfLevels,
        UnknownSort { given: String },
        UnknownValue { what: ValueSet, given: String, allowed: Vec<&'static str> },
    }
}

/// Identifiers quoted for a Chinese sentence: `a`、`b`.
fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join("、")
}

impl QueryWrong {
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en(),
            Lang::Zh => self.zh(),
        }
    }

    fn en(&self) -> String {
        use QueryWrong::*;
        match self {
            UnknownView { given } => format!(
                "unknown whitelist view `{given}`; use active, pending, expiring or history"
            ),
            UnknownTicketState { given, allowed } => format!(
                "unknown ticket state `{given}`; use open, overdue, {}",
                allowed.join(", ")
            ),
            UnknownStatus { given, allowed } => {
                format!("unknown status `{given}`; use open, {}", allowed.join(", "))
            }
            UnknownSeverity { given } => {
                format!("unknown severity `{given}`; use high, medium or low")
            }
            UnknownRule { given } => format!(
                "unknown rule `{given}`; `jicha thresholds show` and the rules screen list them (external rules are EXT:<source>:<code>)"
            ),
            ThfLevels => "THF-01 levels are 1 to 4".into(),
            UnknownSort { given } => format!(
                "unknown sort `{given}`; use severity, amount, first_seen, last_seen, rule, customer or id"
            ),
            UnknownValue { what, given, allowed } => format!(
                "unknown {} `{given}`; use {}",
                what.text(Lang::En),
                allowed.join(", ")
            ),
        }
    }

    fn zh(&self) -> String {
        use QueryWrong::*;
        match self {
            UnknownView { given } => format!(
                "未知的白名单视图 `{given}`；可用 {}",
                quoted(&["active", "pending", "expiring", "history"])
            ),
            UnknownTicketState { given, allowed } => {
                let mut all = vec!["open", "overdue"];
                all.extend(allowed);
                format!("未知的工单状态 `{given}`；可用 {}", quoted(&all))
            }
            UnknownStatus { given, allowed } => {
                let mut all = vec!["open"];
                all.extend(allowed);
                format!("未知的异常状态 `{given}`；可用 {}", quoted(&all))
            }
            UnknownSeverity { given } => format!(
                "未知的严重度 `{given}`；可用 {}",
                quoted(&["high", "medium", "low"])
            ),
            UnknownRule { given } => format!(
                "未知的规则 `{given}`；`jicha thresholds show` 和规则页面列出全部规则（外部规则写作 `EXT:<source>:<code>`）"
            ),
            ThfLevels => "THF-01 的等级为 1 到 4".into(),
            UnknownSort { given } => format!(
                "未知的排序 `{given}`；可用 {}",
                quoted(&["severity", "amount", "first_seen", "last_seen", "rule", "customer", "id"])
            ),
            UnknownValue { what, given, allowed } => format!(
                "未知的{} `{given}`；可用 {}",
                what.text(Lang::Zh),
                quoted(allowed)
            ),
        }
    }
}
