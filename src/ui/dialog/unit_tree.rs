//! The unit tree (组织机构) as a pick list: every unit of the organisation, indented under its
//! parent, with "all units" first. The reports, quality and theme screens open it to move their
//! unit filter up or down the hierarchy (workflow.md: roll up and drill down along it).
//!
//! It is a [`Choice`] (the same keys and scrolling), so the opener maps the answer's index back
//! to a unit with [`UnitTree::unit_at`].

use super::Choice;
use crate::text;
use crate::units::Hierarchy;
use std::any::Any;

/// What the opener keeps to read the answer: the unit of each row (None for "all units").
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitTree {
    rows: Vec<Option<String>>,
}

impl UnitTree {
    /// The pick list over `h`, its mark on `current` (None: "all units"). `all` is the first
    /// row's label in the operator's language; a unit's level is shown after its name in
    /// `level_word`'s words so that a county and a station of the same name are told apart.
    pub fn dialog(
        h: &Hierarchy,
        current: Option<&str>,
        title: String,
        all: &str,
        level_word: impl Fn(crate::units::UnitLevel) -> String,
        tag: impl Any,
    ) -> (Choice, UnitTree) {
        let mut rows = vec![None];
        let mut items = vec![all.to_string()];
        for (unit, depth) in h.preorder() {
            items.push(format!(
                "{}{} · {}",
                "  ".repeat(depth),
                text::escape(&unit.name),
                level_word(unit.level)
            ));
            rows.push(Some(unit.name.clone()));
        }
        let sel = current
            .and_then(|c| rows.iter().position(|r| r.as_deref() == Some(c)))
            .unwrap_or(0);
        let mut choice = Choice::new(title, items, tag);
        choice.numbered = false;
        choice.sel = sel;
        choice.size = (64, None);
        (choice, UnitTree { rows })
    }

    /// The unit of the row chosen; `Some(None)` is "all units", `None` an index out of range.
    pub fn unit_at(&self, index: usize) -> Option<Option<&str>> {
        self.rows.get(index).map(Option::as_deref)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::{Unit, UnitLevel};

    #[test]
    fn rows_follow_the_tree_and_map_back_to_units() {
        let u = |n: &str, p: Option<&str>, l| Unit {
            name: n.into(),
            parent: p.map(Into::into),
            level: l,
            head: None,
        };
        let h = Hierarchy::from_units(vec![
            u("市公司", None, UnitLevel::City),
            u("东县", Some("市公司"), UnitLevel::County),
            u("米市巷供电所\u{1b}[2J", Some("东县"), UnitLevel::Station),
        ]);
        let (choice, tree) =
            UnitTree::dialog(&h, Some("东县"), "t".into(), "全部", |l| l.zh().into(), ());
        assert_eq!(choice.items[0], "全部");
        assert_eq!(choice.items[1], "市公司 · 地市公司");
        assert!(choice.items[3].starts_with("    米市巷供电所"));
        assert!(
            !choice.items[3].contains('\u{1b}'),
            "dataset text is escaped"
        );
        assert_eq!(choice.sel, 2);
        assert_eq!(tree.unit_at(0), Some(None));
        assert_eq!(tree.unit_at(2), Some(Some("东县")));
        assert_eq!(tree.unit_at(9), None);
    }
}
