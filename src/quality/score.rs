//! The composite score of workflow.md per unit and period, ranked:
//!
//! `综合得分 = 主要 × w_main + 过程 × w_process + 业务 × w_business − 直接扣分 + 奖励加分`
//!
//! with the weights the thresholds `quality_weight_main|process|business` (0.5 / 0.1 / 0.4).
//!
//! - Every unit of the organisation (`units::Hierarchy`, any level, departments included) is
//!   evaluated. The enabled indicators of a kind whose level is the unit's own evaluate it;
//!   when its level has none of that kind, the station-level ones do (the default set), on the
//!   unit's own figures.
//! - 主要 / 过程: each indicator scores linearly (see `indicators`); the part is Σ points /
//!   Σ full scores × 100 over the indicators that are *applicable*: a computed value whose
//!   denominator is 0 for the unit and period, or a hand-entered value not entered, is left out
//!   of both sums (shown `—`, listed in `not_applicable`). A part with no applicable indicator
//!   scores its full 100, so that a unit with nothing to rectify is not ranked below one that
//!   had errors.
//! - A parent's computed values come from its own figures: the sums over its whole subtree
//!   (`figures::pooled`), never the mean of its children's scores.
//! - 业务: a unit with no unit below it: 100 − its business deductions dated in the period,
//!   floored at 0; a parent: the mean of its direct children's business scores (004 part 1).
//! - 直接扣分 / 奖励加分: the sums of the unit's own entries dated in the period (the
//!   responsible unit's, 004 part 1). The composite is not floored or capped.

use super::figures::{self, Figures};
use super::indicators::{self, Indicator, Kind, Level, Source};
use super::{entries, Entry, Period};
use crate::error::Result;
use crate::thresholds::Thresholds;
use crate::units::Hierarchy;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;

/// The business score's full mark, before deductions; also a part's score with no applicable
/// indicator.
pub const BUSINESS_FULL: f64 = 100.0;
pub const PART_FULL: f64 = 100.0;

/// The composite's weights, from the thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Weights {
    pub main: f64,
    pub process: f64,
    pub business: f64,
}

impl Weights {
    /// The handbook's 50 % / 10 % / 40 % (004 part 1), the thresholds' defaults.
    pub const HANDBOOK: Weights = Weights {
        main: 0.5,
        process: 0.1,
        business: 0.4,
    };

    pub fn load(conn: &Connection) -> Result<Weights> {
        Ok(Weights::from(&Thresholds::load(conn)?))
    }

    pub fn from(t: &Thresholds) -> Weights {
        Weights {
            main: t.num("quality_weight_main"),
            process: t.num("quality_weight_process"),
            business: t.num("quality_weight_business"),
        }
    }

    pub fn composite(
        &self,
        main: f64,
        process: f64,
        business: f64,
        direct: f64,
        bonus: f64,
    ) -> f64 {
        main * self.main + process * self.process + business * self.business - direct + bonus
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorScore {
    pub id: i64,
    pub category: String,
    pub name: String,
    pub kind: Kind,
    /// The level the indicator evaluates (the unit's own, or station when its level has none).
    pub level: Level,
    pub source: Source,
    /// None: not applicable for this unit and period (left out of the part's normalisation).
    pub value: Option<f64>,
    pub score: Option<f64>,
    pub full_score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitScore {
    /// 1 = best among the units of the same level; equal composites share a rank; 0 for a
    /// unit with no name (`units::unnamed`), which is not ranked.
    pub rank: usize,
    /// How many units of that level were ranked.
    pub of: usize,
    pub unit: String,
    pub level: Level,
    pub parent: Option<String>,
    /// The units directly below, by name.
    pub children: Vec<String>,
    /// Units above it in the tree (0 for a root).
    pub depth: usize,
    /// 主要指标评价总分, 0–100.
    pub main: f64,
    /// 过程指标评价总分, 0–100.
    pub process: f64,
    /// 业务评价总分, 0–100.
    pub business: f64,
    /// The unit's own business deductions (a parent's business score is its children's mean).
    pub business_deductions: f64,
    /// 直接扣分
    pub direct: f64,
    /// 奖励加分
    pub bonus: f64,
    /// 综合得分
    pub composite: f64,
    /// The indicators that evaluate this unit, applicable or not.
    pub indicators: Vec<IndicatorScore>,
    /// Names of its indicators that are not applicable (shown `—`).
    pub not_applicable: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub period: String,
    pub from: String,
    pub to: String,
    pub weights: Weights,
    /// Every unit, in the tree's order (parents before their children).
    pub units: Vec<UnitScore>,
    /// The enabled indicators the scores use.
    pub indicators: Vec<Indicator>,
}

impl Evaluation {
    pub fn unit(&self, name: &str) -> Option<&UnitScore> {
        self.units.iter().find(|u| u.unit == name)
    }

    /// The units of one level, best first.
    pub fn ranked(&self, level: Level) -> Vec<&UnitScore> {
        let mut v: Vec<&UnitScore> = self.units.iter().filter(|u| u.level == level).collect();
        // Unranked (rank 0, a unit with no name) last.
        v.sort_by(|a, b| {
            (a.rank == 0, a.rank)
                .cmp(&(b.rank == 0, b.rank))
                .then_with(|| a.unit.cmp(&b.unit))
        });
        v
    }

    /// True when `unit` is `ancestor` or lies below it (by the units' parents).
    pub fn within(&self, unit: &str, ancestor: &str) -> bool {
        let mut at = Some(unit);
        let mut steps = 0;
        while let Some(u) = at {
            if u == ancestor {
                return true;
            }
            steps += 1;
            if steps > self.units.len() {
                return false;
            }
            at = self.unit(u).and_then(|s| s.parent.as_deref());
        }
        false
    }

    /// The levels present, station first.
    pub fn levels(&self) -> Vec<Level> {
        let mut l: Vec<Level> = self.units.iter().map(|u| u.level).collect();
        l.sort();
        l.dedup();
        l
    }

    /// The units directly below `parent` (None: the roots), best composite first.
    pub fn children(&self, parent: Option<&str>) -> Vec<&UnitScore> {
        let mut v: Vec<&UnitScore> = self
            .units
            .iter()
            .filter(|u| u.parent.as_deref() == parent)
            .collect();
        v.sort_by(|a, b| {
            b.composite
                .partial_cmp(&a.composite)
                .expect("scores are finite")
                .then_with(|| a.unit.cmp(&b.unit))
        });
        v
    }
}

/// Scores `indicators` for one unit: a manual indicator's value is the one entered for exactly
/// this unit and period; a computed one comes from the unit's figures.
fn score_indicators(
    conn: &Connection,
    indicators: &[&Indicator],
    unit: &str,
    period: &str,
    fig: &Figures,
) -> Result<Vec<IndicatorScore>> {
    let mut out = Vec::new();
    for i in indicators {
        let value = match i.source {
            Source::Manual => indicators::manual_value(conn, i.id, unit, period)?,
            s => fig.metric(s),
        };
        out.push(IndicatorScore {
            id: i.id,
            category: i.category.clone(),
            name: i.name.clone(),
            kind: i.kind,
            level: i.level,
            source: i.source,
            value,
            score: value.map(|v| i.score(v)),
            full_score: i.full_score,
        });
    }
    Ok(out)
}

/// Σ points / Σ full scores × 100 over the applicable indicators of a kind; None when none is
/// applicable (the part then scores `PART_FULL`).
pub fn part_total(scores: &[IndicatorScore], kind: Kind) -> Option<f64> {
    let (points, full) = scores
        .iter()
        .filter(|s| s.kind == kind)
        .filter_map(|s| s.score.map(|p| (p, s.full_score)))
        .fold((0.0, 0.0), |(p, f), (sp, sf)| (p + sp, f + sf));
    (full > 0.0).then(|| points / full * 100.0)
}

fn sum_entries(entries: &[Entry], unit: &str, kind: &str) -> f64 {
    entries
        .iter()
        .filter(|e| e.unit == unit && e.kind == kind)
        .map(|e| e.points)
        .sum()
}

/// The enabled indicators that evaluate a unit of `level`: per kind, those of its level, or
/// the station-level ones when its level has none of that kind.
pub fn indicators_for(enabled: &[Indicator], level: Level) -> Vec<&Indicator> {
    let mut out = Vec::new();
    for kind in Kind::ALL {
        let of = |l: Level| -> Vec<&Indicator> {
            enabled
                .iter()
                .filter(|i| i.kind == *kind && i.level == l)
                .collect()
        };
        let own = of(level);
        out.extend(if own.is_empty() {
            of(Level::Station)
        } else {
            own
        });
    }
    out
}

/// Every unit's parts and composite for a period, ranked within its level.
pub fn evaluate(conn: &Connection, period: &Period) -> Result<Evaluation> {
    let h = Hierarchy::load(conn)?;
    evaluate_in(conn, &h, period)
}

pub fn evaluate_in(conn: &Connection, h: &Hierarchy, period: &Period) -> Result<Evaluation> {
    let (from, to) = period.range();
    let label = period.label();
    let weights = Weights::load(conn)?;
    let enabled: Vec<Indicator> = indicators::list(conn)?
        .into_iter()
        .filter(|i| i.enabled)
        .collect();
    let sources: Vec<Source> = enabled.iter().map(|i| i.source).collect();
    let pooled = figures::pooled(h, &figures::own(conn, &sources, from, to)?);
    let entries = entries(conn, from, to, None, false)?;
    let business = business_scores(h, &entries);

    let mut units = Vec::new();
    for (u, depth) in h.preorder() {
        let level = Level::of(u.level);
        let scores = score_indicators(
            conn,
            &indicators_for(&enabled, level),
            &u.name,
            &label,
            &pooled[&u.name],
        )?;
        let main = part_total(&scores, Kind::Main).unwrap_or(PART_FULL);
        let process = part_total(&scores, Kind::Process).unwrap_or(PART_FULL);
        let business = business[&u.name];
        let direct = sum_entries(&entries, &u.name, "direct");
        let bonus = sum_entries(&entries, &u.name, "bonus");
        units.push(UnitScore {
            rank: 0,
            of: 0,
            unit: u.name.clone(),
            level,
            parent: h.parent(&u.name).map(str::to_string),
            children: h.children(&u.name).to_vec(),
            depth,
            main,
            process,
            business,
            business_deductions: sum_entries(&entries, &u.name, "business"),
            direct,
            bonus,
            composite: weights.composite(main, process, business, direct, bonus),
            not_applicable: scores
                .iter()
                .filter(|s| s.value.is_none())
                .map(|s| s.name.clone())
                .collect(),
            indicators: scores,
        });
    }
    rank(&mut units);
    Ok(Evaluation {
        period: label,
        from: from.to_string(),
        to: to.to_string(),
        weights,
        units,
        indicators: enabled,
    })
}

/// 业务评价总分 of every unit: a leaf's full mark minus its deductions (floored at 0), a
/// parent's the mean of its direct children's, computed from the leaves up.
fn business_scores(h: &Hierarchy, entries: &[Entry]) -> BTreeMap<String, f64> {
    let mut out: BTreeMap<String, f64> = BTreeMap::new();
    let mut order: Vec<(&str, usize)> = h
        .preorder()
        .into_iter()
        .map(|(u, d)| (u.name.as_str(), d))
        .collect();
    // Deepest first, so that children are scored before their parent.
    order.sort_by_key(|o| std::cmp::Reverse(o.1));
    for (name, _) in order {
        let children = h.children(name);
        let score = if children.is_empty() {
            (BUSINESS_FULL - sum_entries(entries, name, "business")).max(0.0)
        } else {
            let known: Vec<f64> = children
                .iter()
                .filter_map(|c| out.get(c))
                .copied()
                .collect();
            known.iter().sum::<f64>() / known.len().max(1) as f64
        };
        out.insert(name.to_string(), score);
    }
    out
}

/// Within each level: best composite first, ties by name; equal composites (to a millionth of
/// a point) share a rank. The units keep their tree order.
fn rank(units: &mut [UnitScore]) {
    let mut by_level: BTreeMap<Level, Vec<usize>> = BTreeMap::new();
    for (i, u) in units.iter().enumerate() {
        // A unit with no name (`-`, blank: customers without a station) is not a unit: it
        // keeps rank 0 (unranked) and does not count in `of`.
        if crate::units::unnamed(&u.unit) {
            continue;
        }
        by_level.entry(u.level).or_default().push(i);
    }
    for idx in by_level.values_mut() {
        idx.sort_by(|&a, &b| {
            units[b]
                .composite
                .partial_cmp(&units[a].composite)
                .expect("scores are finite")
                .then_with(|| units[a].unit.cmp(&units[b].unit))
        });
        let n = idx.len();
        let mut prev: Option<(f64, usize)> = None;
        for (pos, &i) in idx.iter().enumerate() {
            let c = units[i].composite;
            let r = match prev {
                Some((p, r)) if (p - c).abs() < 1e-6 => r,
                _ => pos + 1,
            };
            units[i].rank = r;
            units[i].of = n;
            prev = Some((c, r));
        }
    }
}
