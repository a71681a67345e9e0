//! Theme analysis (主题分析): for one rule, a rule category, or the external (EXT) rules, where
//! the findings concentrate — counts and amounts at stake along the unit tree
//! (`units::Hierarchy`: province → city → county → station, rolled up from the stations'
//! customers) and by month of first detection (`first_seen`).

use crate::error::{JichaError, Result};
use crate::i18n::refusals_input::InputWrong;
use crate::rules::catalogue::{self, Category};
use crate::rules::directory::Directory;
use crate::units::{Hierarchy, UnitLevel};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use std::collections::BTreeMap;

/// Which findings a theme covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// One rule: a built-in id (ARC-01) or an external one (EXT:<source>:<code>).
    Rule(String),
    /// Every rule of a category; `Category::External` is every EXT rule.
    Category(Category),
}

const CATEGORY_NAMES: &[(&str, Category)] = &[
    ("archive", Category::Archive),
    ("billing", Category::Billing),
    ("metering", Category::Metering),
    ("business", Category::Business),
    ("service", Category::Service),
    ("theft", Category::Theft),
    ("external", Category::External),
    ("ext", Category::External),
];

impl Selector {
    /// A rule id, checked against the catalogue (EXT rules against the findings).
    pub fn rule(conn: &Connection, id: &str) -> Result<Selector> {
        let known = catalogue::find(id).is_some()
            || (crate::rules::site::is_site_id(id)
                && crate::rules::site::store::get(conn, id)?.is_some())
            || (id.starts_with("EXT:")
                && conn
                    .query_row(
                        "SELECT 1 FROM findings WHERE rule = ?1 LIMIT 1",
                        [id],
                        |_| Ok(()),
                    )
                    .optional()?
                    .is_some());
        if known {
            Ok(Selector::Rule(id.to_string()))
        } else {
            Err(JichaError::invalid(InputWrong::UnknownRule {
                id: id.to_string(),
            }))
        }
    }

    /// A category by its English name (archive, billing, …, external or ext) or Chinese label.
    pub fn category(name: &str) -> Result<Selector> {
        let lower = name.to_ascii_lowercase();
        CATEGORY_NAMES
            .iter()
            .find(|(n, c)| *n == lower || c.label(true) == name)
            .map(|(_, c)| Selector::Category(*c))
            .ok_or_else(|| {
                JichaError::invalid(InputWrong::UnknownCategory {
                    name: name.to_string(),
                })
            })
    }

    pub fn label(&self, zh: bool) -> String {
        self.label_in(zh, &Directory::builtin())
    }

    /// The label with a site rule's name, from the dataset's rule directory.
    pub fn label_in(&self, zh: bool, dir: &Directory) -> String {
        match self {
            Selector::Rule(id) => match dir.name(id, zh) {
                Some(name) => format!("{id} {name}"),
                None => id.clone(),
            },
            Selector::Category(c) => c.label(zh).to_string(),
        }
    }

    fn matches(&self, rule: &str, dir: &Directory) -> bool {
        selector_matches(self, rule, dir)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Counts {
    pub findings: u64,
    /// Σ amount at stake (元) of the findings that carry one.
    pub amount_yuan: f64,
    /// Still new, confirmed or ticketed.
    pub open: u64,
    /// Closed as rectified.
    pub rectified: u64,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.findings += o.findings;
        self.amount_yuan += o.amount_yuan;
        self.open += o.open;
        self.rectified += o.rectified;
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthCell {
    /// `YYYY-MM` of `first_seen`.
    pub month: String,
    #[serde(flatten)]
    pub counts: Counts,
}

/// One unit of the organisation with the theme's findings of its subtree (a station's are its
/// customers'), its months, and the units below it that have any.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitNode {
    pub unit: String,
    /// None for `-` (findings with no customer) and for a station the unit tree does not know.
    pub level: Option<UnitLevel>,
    #[serde(flatten)]
    pub counts: Counts,
    /// By month of first detection, oldest first, over the whole subtree.
    pub months: Vec<MonthCell>,
    /// Most findings first.
    pub children: Vec<UnitNode>,
}

impl UnitNode {
    /// The node of `name` in this subtree.
    pub fn find(&self, name: &str) -> Option<&UnitNode> {
        if self.unit == name {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(name))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Theme {
    pub selector: String,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Only this unit's subtree, when asked.
    pub within: Option<String>,
    pub total: Counts,
    /// The roots of the unit tree (or `within`) that have findings, most first; findings with
    /// no customer on record fall under a root `-`, those of a station the tree does not know
    /// under a root of the station's name.
    pub units: Vec<UnitNode>,
}

/// One row per (station, month): the CSV export and flat screens.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeRow {
    /// The station's parent in the unit tree (`-` for none).
    pub parent: String,
    pub station: String,
    pub month: String,
    #[serde(flatten)]
    pub counts: Counts,
}

impl Theme {
    /// The node of a unit anywhere in the tree.
    pub fn node(&self, name: &str) -> Option<&UnitNode> {
        self.units.iter().find_map(|n| n.find(name))
    }

    /// The leaves' (stations') months, in the tree's order.
    pub fn rows(&self) -> Vec<ThemeRow> {
        fn walk(n: &UnitNode, parent: &str, out: &mut Vec<ThemeRow>) {
            if n.children.is_empty() {
                for m in &n.months {
                    out.push(ThemeRow {
                        parent: parent.to_string(),
                        station: n.unit.clone(),
                        month: m.month.clone(),
                        counts: m.counts,
                    });
                }
            }
            for c in &n.children {
                walk(c, &n.unit, out);
            }
        }
        let mut out = Vec::new();
        for n in &self.units {
            walk(n, "-", &mut out);
        }
        out
    }
}

/// The theme's tree for findings first detected in `[from, to]` (either end open).
pub fn theme(
    conn: &Connection,
    selector: &Selector,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Theme> {
    theme_in(conn, selector, from, to, None)
}

/// Like `theme`, within one unit's subtree (the unit named is then the only root).
pub fn theme_in(
    conn: &Connection,
    selector: &Selector,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    within: Option<&str>,
) -> Result<Theme> {
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(JichaError::invalid(InputWrong::FromAfterTo {
                from: f.to_string(),
                to: t.to_string(),
            }));
        }
    }
    let h = Hierarchy::load(conn)?;
    if let Some(w) = within {
        h.resolve(w)?;
    }
    let mut stmt = conn.prepare(
        "SELECT f.rule, coalesce(c.station, '-'), substr(f.first_seen, 1, 7),
                f.amount_yuan, f.status, f.resolution
         FROM findings f LEFT JOIN customers c ON c.cust_no = f.cust_no
         WHERE (?1 IS NULL OR f.first_seen >= ?1) AND (?2 IS NULL OR f.first_seen <= ?2)",
    )?;
    let mut rows = stmt.query([from.map(|d| d.to_string()), to.map(|d| d.to_string())])?;
    // station → month → counts
    let mut cells: BTreeMap<String, BTreeMap<String, Counts>> = BTreeMap::new();
    let dir = Directory::load(conn)?;
    while let Some(r) = rows.next()? {
        let rule: String = r.get(0)?;
        if !selector.matches(&rule, &dir) {
            continue;
        }
        let amount: Option<f64> = r.get(3)?;
        let status: String = r.get(4)?;
        let resolution: Option<String> = r.get(5)?;
        let cell = cells
            .entry(r.get(1)?)
            .or_default()
            .entry(r.get(2)?)
            .or_default();
        cell.findings += 1;
        cell.amount_yuan += amount.unwrap_or(0.0);
        cell.open += crate::findings::OPEN_STATUSES.contains(&status.as_str()) as u64;
        cell.rectified +=
            (resolution.as_deref() == Some(crate::states::Resolution::Rectified.as_str())) as u64;
    }
    let mut units: Vec<UnitNode> = match within {
        Some(w) => node(&h, w, &cells).into_iter().collect(),
        None => {
            let mut roots: Vec<UnitNode> = h
                .roots()
                .into_iter()
                .filter_map(|r| node(&h, r, &cells))
                .collect();
            // Findings the tree cannot place: no customer (`-`), or a station it does not know.
            for (station, months) in &cells {
                if !h.contains(station) {
                    roots.push(leaf(station, None, months));
                }
            }
            roots
        }
    };
    sort(&mut units);
    let mut total = Counts::default();
    for u in &units {
        total.add(&u.counts);
    }
    Ok(Theme {
        selector: selector.label_in(true, &dir),
        from: from.map(|d| d.to_string()),
        to: to.map(|d| d.to_string()),
        within: within.map(str::to_string),
        total,
        units,
    })
}

fn leaf(name: &str, level: Option<UnitLevel>, months: &BTreeMap<String, Counts>) -> UnitNode {
    let mut counts = Counts::default();
    let months = months
        .iter()
        .map(|(m, c)| {
            counts.add(c);
            MonthCell {
                month: m.clone(),
                counts: *c,
            }
        })
        .collect();
    UnitNode {
        unit: name.to_string(),
        level,
        counts,
        months,
        children: Vec::new(),
    }
}

/// The node of `name` with its subtree's findings, None when it has none.
fn node(
    h: &Hierarchy,
    name: &str,
    cells: &BTreeMap<String, BTreeMap<String, Counts>>,
) -> Option<UnitNode> {
    let level = h.get(name).map(|u| u.level);
    let children: Vec<UnitNode> = h
        .children(name)
        .iter()
        .filter_map(|c| node(h, c, cells))
        .collect();
    // A unit's own findings (a station's customers') and its children's, month by month.
    let mut months: BTreeMap<String, Counts> = cells.get(name).cloned().unwrap_or_default();
    for c in &children {
        for m in &c.months {
            months.entry(m.month.clone()).or_default().add(&m.counts);
        }
    }
    if months.is_empty() {
        return None;
    }
    let mut n = leaf(name, level, &months);
    n.children = children;
    sort(&mut n.children);
    Some(n)
}

fn sort(nodes: &mut [UnitNode]) {
    nodes.sort_by(|a, b| {
        b.counts
            .findings
            .cmp(&a.counts.findings)
            .then_with(|| a.unit.cmp(&b.unit))
    });
}

/// The rule test of `theme` (a rule, a category, or every EXT rule), for listing the
/// findings behind one cell of a theme.
/// A site rule counts in the built-in category its file names.
fn selector_matches(sel: &Selector, rule: &str, dir: &Directory) -> bool {
    match sel {
        Selector::Rule(id) => rule == id,
        Selector::Category(Category::External) => {
            rule.starts_with("EXT:") || dir.category(rule) == Some(Category::External)
        }
        Selector::Category(c) => dir.category(rule) == Some(*c),
    }
}

/// The ids of a theme's findings first seen at one station in one month (`YYYY-MM`), oldest
/// first, grouped as `theme` groups them: a finding without a customer is under station `-`.
pub fn finding_ids(
    conn: &Connection,
    sel: &Selector,
    station: &str,
    month: &str,
) -> crate::Result<Vec<i64>> {
    let mut stmt = conn.prepare(
        "SELECT f.id, f.rule FROM findings f LEFT JOIN customers c ON c.cust_no = f.cust_no
         WHERE coalesce(c.station, '-') = ?1 AND substr(f.first_seen, 1, 7) = ?2
         ORDER BY f.first_seen, f.id",
    )?;
    let rows = stmt.query_map([station, month], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    let dir = Directory::load(conn)?;
    let mut out = Vec::new();
    for row in rows {
        let (id, rule) = row?;
        if selector_matches(sel, &rule, &dir) {
            out.push(id);
        }
    }
    Ok(out)
}
