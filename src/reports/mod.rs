//! The daily / weekly / monthly report (日报 周报 月报) of workflow.md "Reports": every figure of
//! its table, overall, by responsible unit along the unit hierarchy and by rule, computed as of
//! the end of `to`, optionally restricted to one unit's subtree (`--unit`).
//!
//! Each figure is one set query grouped by station, ticket or rule (`history`, `tickets`,
//! `whitelist`, `kpis`); `rollup` adds them up the hierarchy.

mod gather;
mod history;
pub mod kpis;
mod memo;
mod rollup;
mod tickets;
mod whitelist;

use crate::error::{JichaError, Result};
use crate::units::{Hierarchy, UnitLevel};
use chrono::{Days, NaiveDate};
use rollup::Sink;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;

pub use kpis::{Kpi, Kpis};

/// The figures of the report's table for one scope (the total, a unit, a rule), in its order.
/// Rates are exact ratios of the counts; None (`—`, JSON `null`) when the denominator is 0.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    /// Distinct rules with at least one finding open on some day of the range.
    pub themes_monitored: u64,
    /// Distinct rules with at least one finding on a ticket issued in the range, not cancelled.
    pub themes_ticketed: u64,
    /// 稽查异常问题发起率: themes ticketed / themes monitored.
    pub initiation_rate: Option<f64>,
    /// Findings on tickets issued in the range, not cancelled (a 5-finding ticket is 5).
    pub problems_dispatched: u64,
    /// Of those, the ones whose ticket was approved by the end of `to`.
    pub problems_completed: u64,
    /// 稽查问题完成率: problems completed / problems dispatched.
    pub completion_rate: Option<f64>,
    /// Findings `confirmed` or `ticketed` at some moment of some day of the range.
    pub findings_to_rectify: u64,
    /// Of those, the ones closed as `rectified` at the end of `to`.
    pub findings_rectified: u64,
    /// 异常问题整改完成率: findings rectified / findings to rectify.
    pub rectification_rate: Option<f64>,
    /// Of problems dispatched, those whose ticket was approved after `due_on`, or is not
    /// approved by the end of `to` and `to` is after `due_on`.
    pub problems_overdue: u64,
    /// 稽查超期率: problems overdue / problems dispatched.
    pub overdue_rate: Option<f64>,
    /// Findings open at the end of the day before `from` (suppressed ones included).
    pub open_before: u64,
    /// Findings open at the end of `to` (suppressed ones included).
    pub open_after: u64,
    pub suppressed_before: u64,
    pub suppressed_after: u64,
    /// 累计完成率: (open before − open after) / open before.
    pub cumulative_completion_rate: Option<f64>,
    /// 指标改变率 of the business indicators (the total and units; not per rule).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kpis: Option<Kpis>,
    pub tickets_issued: u64,
    pub tickets_completed: u64,
    pub tickets_overdue: u64,
    pub whitelist_added: u64,
    pub whitelist_extended: u64,
    pub whitelist_revoked: u64,
    pub whitelist_active_after: u64,
    pub whitelist_long_active_after: u64,
    /// Per rule only: 异常数改变率, (open after − open before) / open before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_change_rate: Option<Option<f64>>,
}

/// An exact ratio, or None (shown `—` / `null`) when the denominator is 0.
pub(crate) fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

#[derive(Debug, Clone, Serialize)]
pub struct OverdueTicket {
    pub number: String,
    pub unit: String,
    pub state: String,
    pub issued_on: String,
    pub due_on: String,
    pub approved_on: Option<String>,
    pub days_late: i64,
    /// Findings on the ticket: the problems it makes overdue.
    pub problems: u64,
}

/// A unit of `by_unit` in the hierarchy's order (parents before their units).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitRow {
    pub name: String,
    pub parent: Option<String>,
    /// None for a unit the hierarchy does not know (a ticket sent to an unlisted unit).
    pub level: Option<UnitLevel>,
    pub depth: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub from: String,
    pub to: String,
    /// The `--unit` the report is restricted to (its subtree), None for the whole dataset.
    pub unit: Option<String>,
    /// The billing periods (first, last) the range touches, for the business indicators.
    pub billing_periods: (String, String),
    /// As many months just before them.
    pub previous_periods: (String, String),
    #[serde(flatten)]
    pub total: Figures,
    pub by_unit: BTreeMap<String, Figures>,
    /// The units of `by_unit` in tree order, with their place in the hierarchy.
    pub unit_tree: Vec<UnitRow>,
    pub by_rule: BTreeMap<String, Figures>,
    /// The name (Chinese, English) of each rule of `by_rule` the rule directory knows: built-in
    /// and site rules (the dataset's own, so the layout needs no database).
    #[serde(skip)]
    pub rule_names: BTreeMap<String, (String, String)>,
    /// The units that receive tickets (stations, departments, units outside the tree) with
    /// problems dispatched, best first: completion rate, then rectification rate, then the
    /// lowest overdue rate.
    pub unit_ranking: Vec<String>,
    pub overdue: Vec<OverdueTicket>,
    /// The whole unit tree the report was computed over (the screen's unit filter walks it).
    #[serde(skip)]
    pub hierarchy: Hierarchy,
}

/// The report over `[from, to]` for the whole dataset.
pub fn compute(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Report> {
    compute_for(conn, from, to, None)
}

/// The report over `[from, to]`, restricted to `unit`'s subtree when given (findings of its
/// stations' customers, tickets sent to it or below, their bill rows); an unknown unit is
/// refused with the nearest names.
pub fn compute_for(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    unit: Option<&str>,
) -> Result<Report> {
    compute_in(conn, from, to, unit, false)
}

/// `compute_for` for the reports screen, which computes again after every change anyone
/// makes: the unit tree and the bill sums are kept until the next import (`memo`).
pub fn compute_on_screen(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    unit: Option<&str>,
) -> Result<Report> {
    compute_in(conn, from, to, unit, true)
}

fn compute_in(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    unit: Option<&str>,
    memo: bool,
) -> Result<Report> {
    if from > to {
        return Err(JichaError::invalid(
            crate::i18n::refusals_input::InputWrong::FromAfterTo {
                from: from.to_string(),
                to: to.to_string(),
            },
        ));
    }
    let h = hierarchy(conn, memo)?;
    let scope = match unit {
        Some(u) => Some(h.resolve(u)?.name.clone()),
        None => None,
    };
    let (f, t) = (from.to_string(), to.to_string());
    let before = (from - Days::new(1)).to_string();
    let (range, previous) = kpis::periods(from, to);
    let mut sink = Sink::new(&h, scope.clone());

    gather::findings(&mut sink, conn, &f, &t, &before)?;
    let overdue = gather::tickets(&mut sink, conn, &f, &t)?;
    gather::whitelist(&mut sink, conn, &f, &t)?;
    gather::bills(&mut sink, conn, &range, &previous, memo)?;
    let total = sink.total.figures(true);
    let by_unit: BTreeMap<String, Figures> = sink
        .units
        .iter()
        .map(|(u, x)| (u.clone(), x.figures(true)))
        .collect();
    let by_rule: BTreeMap<String, Figures> = sink
        .rules
        .iter()
        .map(|(r, x)| (r.clone(), x.figures(false)))
        .collect();
    let dir = crate::rules::directory::Directory::load(conn)?;
    let rule_names = by_rule
        .keys()
        .filter_map(|id| {
            dir.get(id)
                .map(|e| (id.clone(), (e.name_zh.clone(), e.name_en.clone())))
        })
        .collect();
    Ok(Report {
        from: f,
        to: t,
        unit: scope,
        billing_periods: range,
        previous_periods: previous,
        total,
        unit_tree: unit_tree(&h, &by_unit),
        unit_ranking: ranking(&h, &by_unit),
        by_unit,
        by_rule,
        rule_names,
        overdue,
        hierarchy: h,
    })
}

/// The unit tree, kept until the next import (`memo`).
fn hierarchy(conn: &Connection, memo: bool) -> Result<Hierarchy> {
    static TREES: memo::Memo<memo::ImportKey, Hierarchy> = memo::Memo::new();
    if !memo {
        return Hierarchy::load(conn);
    }
    match memo::import_key(conn)? {
        Some(key) => TREES.get_or(key, || Hierarchy::load(conn)),
        None => Hierarchy::load(conn),
    }
}

/// The units of `by_unit` in the hierarchy's order, then those it does not know, by name.
fn unit_tree(h: &Hierarchy, by_unit: &BTreeMap<String, Figures>) -> Vec<UnitRow> {
    let mut out: Vec<UnitRow> = h
        .preorder()
        .into_iter()
        .filter(|(u, _)| by_unit.contains_key(&u.name))
        .map(|(u, depth)| UnitRow {
            name: u.name.clone(),
            parent: h.parent(&u.name).map(String::from),
            level: Some(u.level),
            depth,
        })
        .collect();
    out.extend(by_unit.keys().filter(|u| !h.contains(u)).map(|u| UnitRow {
        name: u.clone(),
        parent: None,
        level: None,
        depth: 0,
    }));
    out
}

/// Stations, departments and units outside the tree with problems dispatched, best first.
fn ranking(h: &Hierarchy, by_unit: &BTreeMap<String, Figures>) -> Vec<String> {
    let receives = |u: &str| {
        h.get(u)
            .is_none_or(|x| matches!(x.level, UnitLevel::Station | UnitLevel::Department))
    };
    let mut out: Vec<String> = by_unit
        .iter()
        .filter(|(u, fig)| fig.problems_dispatched > 0 && receives(u))
        .map(|(u, _)| u.clone())
        .collect();
    let key = |u: &String| {
        let fig = &by_unit[u];
        (
            -fig.completion_rate.unwrap_or(0.0),
            -fig.rectification_rate.unwrap_or(0.0),
            fig.overdue_rate.unwrap_or(0.0),
        )
    };
    out.sort_by(|a, b| {
        key(a)
            .partial_cmp(&key(b))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(b))
    });
    out
}

/// Kept here for the UI's report screen; the rendering lives in `crate::output`.
pub use crate::output::table::pct;
