//! The audit organisation (组织机构): the units of `units.csv` (data-contract.md) — province,
//! city, county, supply station, department — and their tree; without that file, the customers'
//! own `district` → `station` (each district a county-level unit with its stations below it).
//!
//! Reports, the quality evaluation, theme analysis, operator scopes and ticket units all go
//! through [`Hierarchy`], so that they roll up and drill down along the same tree.

use crate::error::{JichaError, Result};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A unit's level (层级), as `units.csv` spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitLevel {
    Province,
    City,
    County,
    Station,
    /// A functional unit (计量中心, 客户服务中心, 稽查信息室 …): receives tickets, is scored.
    Department,
}

impl UnitLevel {
    pub const ALL: [UnitLevel; 5] = [
        UnitLevel::Province,
        UnitLevel::City,
        UnitLevel::County,
        UnitLevel::Station,
        UnitLevel::Department,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitLevel::Province => "province",
            UnitLevel::City => "city",
            UnitLevel::County => "county",
            UnitLevel::Station => "station",
            UnitLevel::Department => "department",
        }
    }

    pub fn parse(s: &str) -> Option<UnitLevel> {
        UnitLevel::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The level's name in the handbooks' words.
    pub fn zh(self) -> &'static str {
        match self {
            UnitLevel::Province => "省公司",
            UnitLevel::City => "地市公司",
            UnitLevel::County => "县公司",
            UnitLevel::Station => "供电所",
            UnitLevel::Department => "部门",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    pub name: String,
    pub parent: Option<String>,
    pub level: UnitLevel,
    /// 负责人: whom a 督办单 is addressed to.
    pub head: Option<String>,
}

/// The unit tree. Built once per query (it is small: hundreds of units), never kept across
/// screens, so an import that changes it is seen by the next read.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Hierarchy {
    units: BTreeMap<String, Unit>,
    #[serde(skip)]
    children: BTreeMap<String, Vec<String>>,
    /// True when the tree comes from `units.csv`, false when derived from the customers.
    pub imported: bool,
}

impl Hierarchy {
    /// The dataset's tree: the `units` table when an import gave one, else district → station
    /// from the customers (a station listed under two districts goes with the district that
    /// has most of its customers, so that each station has one parent).
    pub fn load(conn: &Connection) -> Result<Hierarchy> {
        let mut stmt = conn.prepare("SELECT name, parent, level, head FROM units ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut units = Vec::new();
        for row in rows {
            let (name, parent, level, head) = row?;
            let level = UnitLevel::parse(&level).ok_or_else(|| {
                JichaError::Dataset(format!(
                    "units.level `{level}` is outside the schema's CHECK"
                ))
            })?;
            units.push(Unit {
                name,
                parent,
                level,
                head,
            });
        }
        if !units.is_empty() {
            let mut h = Hierarchy::from_units(units);
            h.imported = true;
            return Ok(h);
        }
        let mut stmt = conn.prepare(
            "SELECT station, district, count(*) AS n FROM customers GROUP BY station, district
             ORDER BY station, n DESC, district",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut seen_station = BTreeSet::new();
        let mut districts = BTreeSet::new();
        let mut units = Vec::new();
        for row in rows {
            let (station, district) = row?;
            if !seen_station.insert(station.clone()) {
                continue;
            }
            districts.insert(district.clone());
            units.push(Unit {
                name: station,
                parent: Some(district),
                level: UnitLevel::Station,
                head: None,
            });
        }
        for d in districts {
            // A name that is both a district and a station (a data oddity) stays a station.
            if !seen_station.contains(&d) {
                units.push(Unit {
                    name: d,
                    parent: None,
                    level: UnitLevel::County,
                    head: None,
                });
            }
        }
        Ok(Hierarchy::from_units(units))
    }

    /// A tree of the given units. A parent that is not among them makes its child a root
    /// (the importer refuses such a file; this keeps a reader total).
    pub fn from_units(units: Vec<Unit>) -> Hierarchy {
        let units: BTreeMap<String, Unit> =
            units.into_iter().map(|u| (u.name.clone(), u)).collect();
        let mut children: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for u in units.values() {
            if let Some(p) = u.parent.as_ref().filter(|p| units.contains_key(*p)) {
                children.entry(p.clone()).or_default().push(u.name.clone());
            }
        }
        Hierarchy {
            units,
            children,
            imported: false,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    pub fn len(&self) -> usize {
        self.units.len()
    }

    pub fn get(&self, name: &str) -> Option<&Unit> {
        self.units.get(name)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.units.contains_key(name)
    }

    /// Every unit, by name.
    pub fn units(&self) -> impl Iterator<Item = &Unit> {
        self.units.values()
    }

    /// The unit's parent, if it has one in the tree.
    pub fn parent(&self, name: &str) -> Option<&str> {
        self.units
            .get(name)?
            .parent
            .as_deref()
            .filter(|p| self.units.contains_key(*p))
    }

    /// The units directly below, by name.
    pub fn children(&self, name: &str) -> &[String] {
        self.children.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Units without a parent, by name.
    pub fn roots(&self) -> Vec<&str> {
        self.units
            .keys()
            .filter(|n| self.parent(n).is_none())
            .map(String::as_str)
            .collect()
    }

    /// The units above `name`, nearest first (not `name` itself). Guarded against a cycle.
    pub fn ancestors(&self, name: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let mut at = name;
        while let Some(p) = self.parent(at) {
            if p == name || out.contains(&p) {
                break;
            }
            out.push(p);
            at = p;
        }
        out
    }

    /// Root first, ending with `name`: the unit's path, as a breadcrumb shows it.
    pub fn path(&self, name: &str) -> Vec<&str> {
        let mut p = self.ancestors(name);
        p.reverse();
        if let Some((k, _)) = self.units.get_key_value(name) {
            p.push(k.as_str());
        }
        p
    }

    /// Number of units above `name` (0 for a root).
    pub fn depth(&self, name: &str) -> usize {
        self.ancestors(name).len()
    }

    /// True when `unit` is `ancestor` or lies below it. A unit the tree does not know is
    /// within only itself.
    pub fn within(&self, unit: &str, ancestor: &str) -> bool {
        unit == ancestor || self.ancestors(unit).contains(&ancestor)
    }

    /// `name` and every unit below it, depth first, children by name.
    pub fn subtree(&self, name: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let Some((root, _)) = self.units.get_key_value(name) else {
            return out;
        };
        let mut stack = vec![root.as_str()];
        while let Some(n) = stack.pop() {
            if out.contains(&n) {
                continue;
            }
            out.push(n);
            for c in self.children(n).iter().rev() {
                stack.push(c.as_str());
            }
        }
        out
    }

    /// The stations in `name`'s subtree (the units customers belong to).
    pub fn stations_under(&self, name: &str) -> Vec<&str> {
        self.subtree(name)
            .into_iter()
            .filter(|n| self.units[*n].level == UnitLevel::Station)
            .collect()
    }

    /// The whole tree depth first with each unit's depth: what a tree view draws.
    pub fn preorder(&self) -> Vec<(&Unit, usize)> {
        let mut out = Vec::new();
        for r in self.roots() {
            for n in self.subtree(r) {
                out.push((&self.units[n], self.depth(n)));
            }
        }
        out
    }

    /// The known unit named `typed`, or a refusal that suggests the nearest names (a typo is
    /// the usual cause).
    pub fn resolve(&self, typed: &str) -> Result<&Unit> {
        self.units.get(typed).ok_or_else(|| {
            JichaError::invalid(crate::i18n::refusals_input::InputWrong::NoSuchUnit {
                unit: typed.to_string(),
                nearest: self.nearest(typed, 3),
                known: self.units.len(),
            })
        })
    }

    /// Up to `n` unit names closest to `typed`: those containing it or contained in it first,
    /// then by edit distance over characters (so 米市巷所 finds 米市巷供电所).
    pub fn nearest(&self, typed: &str, n: usize) -> Vec<String> {
        let typed = typed.trim();
        let mut scored: Vec<(usize, &str)> = self
            .units
            .keys()
            .map(|k| {
                let d = strsim::levenshtein(typed, k);
                let contains =
                    !typed.is_empty() && (k.contains(typed) || typed.contains(k.as_str()));
                (if contains { 0 } else { d + 1 }, k.as_str())
            })
            .collect();
        scored.sort();
        let limit = typed.chars().count().max(2);
        scored
            .into_iter()
            .filter(|(s, _)| *s <= limit)
            .take(n)
            .map(|(_, k)| k.to_string())
            .collect()
    }
}

/// True for a name that names no unit: empty, blank, or only dashes (`-`, `—`, `–`), as an
/// export writes a customer with no station. Such a "unit" is shown as unassigned and never
/// ranked against real units.
pub fn unnamed(name: &str) -> bool {
    name.chars()
        .all(|c| c.is_whitespace() || matches!(c, '-' | '—' | '–' | '－'))
}

/// The stations of `unit`'s subtree, by name (a station: itself): what a unit filter over
/// customers means. A unit the tree lacks is refused with the nearest names.
pub fn stations_of(conn: &Connection, unit: &str) -> Result<Vec<String>> {
    // Without units.csv, a customers' station is a leaf of the derived tree: found on the
    // station index, without deriving the tree from every customer.
    let imported: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM units)", [], |r| r.get(0))?;
    if !imported {
        let station: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM customers WHERE station = ?1)",
            [unit],
            |r| r.get(0),
        )?;
        if station {
            return Ok(vec![unit.to_string()]);
        }
    }
    let h = Hierarchy::load(conn)?;
    h.resolve(unit)?;
    Ok(h.stations_under(unit)
        .into_iter()
        .map(String::from)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dash_or_blank_names_no_unit() {
        for n in ["", " ", "-", "—", "--", " - "] {
            assert!(unnamed(n), "{n:?}");
        }
        for n in ["城关供电所", "East", "-A", "1-2"] {
            assert!(!unnamed(n), "{n:?}");
        }
    }

    fn unit(name: &str, parent: Option<&str>, level: UnitLevel) -> Unit {
        Unit {
            name: name.into(),
            parent: parent.map(Into::into),
            level,
            head: None,
        }
    }

    fn tree() -> Hierarchy {
        Hierarchy::from_units(vec![
            unit("省公司", None, UnitLevel::Province),
            unit("市公司", Some("省公司"), UnitLevel::City),
            unit("东县公司", Some("市公司"), UnitLevel::County),
            unit("米市巷供电所", Some("东县公司"), UnitLevel::Station),
            unit("城关供电所", Some("东县公司"), UnitLevel::Station),
            unit("计量中心", Some("市公司"), UnitLevel::Department),
        ])
    }

    #[test]
    fn subtree_ancestors_and_within_follow_the_tree() {
        let h = tree();
        assert_eq!(h.roots(), vec!["省公司"]);
        assert_eq!(
            h.ancestors("米市巷供电所"),
            vec!["东县公司", "市公司", "省公司"]
        );
        assert_eq!(h.path("计量中心"), vec!["省公司", "市公司", "计量中心"]);
        assert!(h.within("米市巷供电所", "市公司"));
        assert!(!h.within("计量中心", "东县公司"));
        assert!(h.within("不存在", "不存在") && !h.within("不存在", "省公司"));
        assert_eq!(
            h.stations_under("市公司"),
            vec!["城关供电所", "米市巷供电所"]
        );
        assert_eq!(h.subtree("东县公司").len(), 3);
        assert_eq!(h.preorder().len(), 6);
        assert_eq!(h.depth("城关供电所"), 3);
    }

    #[test]
    fn a_typo_is_refused_with_the_nearest_names() {
        let h = tree();
        assert!(h.resolve("计量中心").is_ok());
        assert_eq!(h.nearest("米市巷所", 3)[0], "米市巷供电所");
        assert_eq!(h.nearest("计量部", 3)[0], "计量中心");
        let e = h.resolve("计量部").unwrap_err().to_string();
        assert!(e.contains("计量中心"), "{e}");
    }

    #[test]
    fn a_cycle_does_not_hang_a_reader() {
        let h = Hierarchy::from_units(vec![
            unit("A", Some("B"), UnitLevel::County),
            unit("B", Some("A"), UnitLevel::County),
        ]);
        assert_eq!(h.ancestors("A"), vec!["B"]);
        assert_eq!(h.subtree("A"), vec!["A", "B"]);
    }
}
