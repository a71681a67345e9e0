//! The organisation's words (units.csv, `jicha unit list|show`) in both languages: what the
//! import refuses about the tree, and the headers and labels of the unit commands. Unit names
//! are dataset text: shown as they are, escaped by the caller.

use super::errors::or_list;
use crate::context::Lang;

crate::sentence_kinds! {
    /// What is wrong with the tree of units.csv, or with a customer against it, after
    /// `file:line: column:`. Names are escaped.
    #[derive(Debug, Clone, PartialEq)]
    pub enum TreeWrong {
        /// `parent` is not a unit of the file; `nearest`: the file's closest names.
        ParentNotInFile { parent: String, nearest: Vec<String> },
        /// The units of a cycle, in parent order, the first repeated at the end.
        Cycle { units: Vec<String> },
        /// A customer's station that units.csv does not have.
        StationNotUnit { station: String, nearest: Vec<String> },
        /// A customer's station that units.csv has, at another level (`level`: its code).
        StationNotStation { station: String, level: String },
        /// A customer's district that is not above its station; `above`: the station's
        /// ancestors, nearest first.
        DistrictNotAbove { district: String, station: String, above: Vec<String> },
        /// Said of a customer stored by an earlier import (its line is in that import's file).
        OfImport { import: i64 },
    }
}

fn names(lang: Lang, v: &[String]) -> String {
    or_list(lang, &v.iter().map(String::as_str).collect::<Vec<_>>())
}

fn chain(v: &[String]) -> String {
    v.join(" → ")
}

impl TreeWrong {
    pub fn text(&self, lang: Lang) -> String {
        use TreeWrong::*;
        match (self, lang) {
            (ParentNotInFile { parent, nearest }, Lang::En) => {
                let mean = if nearest.is_empty() {
                    String::new()
                } else {
                    format!(" (did you mean {}?)", names(lang, nearest))
                };
                format!("`{parent}` is not a unit of units.csv{mean}; add a row for it, correct the name, or leave parent empty for the root")
            }
            (ParentNotInFile { parent, nearest }, Lang::Zh) => {
                let mean = if nearest.is_empty() {
                    String::new()
                } else {
                    format!("（是否要找 {}？）", names(lang, nearest))
                };
                format!("`{parent}` 不是 `units.csv` 中的单位{mean}；请为它加一行、改正名称，根单位的 `parent` 留空")
            }
            (Cycle { units }, Lang::En) => format!(
                "the parents go round in a cycle: {}; give one of these units another parent (or none, for the root)",
                chain(units)
            ),
            (Cycle { units }, Lang::Zh) => format!(
                "上级单位形成了循环：{}；请为其中一个单位改填上级（根单位留空）",
                chain(units)
            ),
            (StationNotUnit { station, nearest }, Lang::En) => {
                let mean = if nearest.is_empty() {
                    String::new()
                } else {
                    format!(" (did you mean {}?)", names(lang, nearest))
                };
                format!("`{station}` is not a unit of units.csv{mean}; add it there with level `station`, or correct the customer's station")
            }
            (StationNotUnit { station, nearest }, Lang::Zh) => {
                let mean = if nearest.is_empty() {
                    String::new()
                } else {
                    format!("（是否要找 {}？）", names(lang, nearest))
                };
                format!("`{station}` 不是 `units.csv` 中的单位{mean}；请在 `units.csv` 中以层级 `station` 加上它，或改正该客户的供电所")
            }
            (StationNotStation { station, level }, Lang::En) => format!(
                "`{station}` is a unit of level `{level}` in units.csv, not a supply station; give the customer its station, or make `{station}` level `station`"
            ),
            (StationNotStation { station, level }, Lang::Zh) => format!(
                "`{station}` 在 `units.csv` 中是层级 `{level}` 的单位，不是供电所；请填该客户所属的供电所，或把 `{station}` 的层级改为 `station`"
            ),
            (DistrictNotAbove { district, station, above }, Lang::En) => {
                let above = if above.is_empty() {
                    "it has no unit above it".to_string()
                } else {
                    format!("above it are {}", chain(above))
                };
                format!("`{district}` is not above station `{station}` in units.csv ({above}); correct the customer's district, or the station's parent")
            }
            (DistrictNotAbove { district, station, above }, Lang::Zh) => {
                let above = if above.is_empty() {
                    "它没有上级单位".to_string()
                } else {
                    format!("它的上级依次为 {}", chain(above))
                };
                format!("在 `units.csv` 中 `{district}` 不是供电所 `{station}` 的上级（{above}）；请改正该客户的区县，或该供电所的上级")
            }
            (OfImport { import }, Lang::En) => format!("of import {import}"),
            (OfImport { import }, Lang::Zh) => format!("（第 {import} 次导入）"),
        }
    }
}

crate::bilingual_messages! {
    /// Headers and labels of `jicha unit list` and `jicha unit show`.
    pub enum UnitWord {
        Unit => "unit", "单位";
        Level => "level", "层级";
        Parent => "parent", "上级单位";
        Head => "head", "负责人";
        Customers => "customers", "客户数";
        OpenTickets => "open tickets", "在办工单";
        Path => "path:", "隶属：";
        LevelLabel => "level:", "层级：";
        HeadLabel => "head:", "负责人：";
        Children => "units below:", "下级单位：";
        Stations => "stations under it:", "所辖供电所：";
        CustomersLabel => "customers:", "客户数：";
        Operators => "operators bound to it:", "绑定的操作员：";
        OpenLabel => "open tickets:", "在办工单：";
        OverdueLabel => "overdue tickets:", "超期工单：";
        None => "none", "无";
        Derived => "(no units.csv imported: the customers' districts and stations)",
            "（未导入 `units.csv`：按客户的区县和供电所）";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sentence_has_both_languages() {
        for k in TreeWrong::every_kind() {
            let (en, zh) = (k.text(Lang::En), k.text(Lang::Zh));
            assert!(!en.is_empty() && !zh.is_empty() && en != zh, "{k:?}");
        }
        for w in UnitWord::ALL {
            assert_ne!(w.text(Lang::En), w.text(Lang::Zh));
        }
        let c = TreeWrong::Cycle {
            units: vec!["A".into(), "B".into(), "A".into()],
        };
        assert!(c.text(Lang::Zh).contains("A → B → A"));
    }
}
