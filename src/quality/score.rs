//! The composite score of workflow.md per unit and period, ranked, with trend and drill-down:
//!
//! `综合得分 = 主要 × 50% + 过程 × 10% + 业务 × 40% − 直接扣分 + 奖励加分`
//!
//! - 主要 / 过程: each enabled indicator of that kind and of the unit's level scores linearly
//!   (see `indicators`); the part is normalised to 100 as Σ points / Σ full scores × 100 over
//!   the enabled indicators *that have a value*. An indicator with no value (no hand-entered
//!   value for the period; a rate whose denominator is 0, such as a completion rate with no
//!   ticket issued) is left out of both sums, so it neither earns nor costs points, and is
//!   listed in `unvalued`. A part with no valued indicator at all is 0.
//! - 业务: 100 − the unit's business deductions dated in the period, floored at 0.
//! - 直接扣分 / 奖励加分: the sums of the unit's entries dated in the period. The composite is
//!   not floored or capped: a liability accident can take a unit below 0.
//! - A district (parent unit) takes each part as the mean of its stations' parts (so with
//!   nothing of its own its composite is exactly the mean of its stations'); when district-level
//!   indicators of a kind are enabled, that part is scored from them instead, on the district's
//!   pooled figures; direct deductions and bonuses entered against the district itself are
//!   added to the stations' mean.

use super::indicators::{self, Indicator, Kind, Level, Source};
use super::{entries, Entry, Period, Units};
use crate::error::{JichaError, Result};
use crate::i18n::refusals_input::InputWrong;
use crate::states::{FindingStatus, Resolution};
use crate::tickets::{self, Ticket};
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;

pub const MAIN_WEIGHT: f64 = 0.5;
pub const PROCESS_WEIGHT: f64 = 0.1;
pub const BUSINESS_WEIGHT: f64 = 0.4;
/// The business score's full mark, before deductions.
pub const BUSINESS_FULL: f64 = 100.0;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorScore {
    pub id: i64,
    pub category: String,
    pub name: String,
    pub kind: Kind,
    pub source: Source,
    /// None: no value for this unit and period (left out of the part's normalisation).
    pub value: Option<f64>,
    pub score: Option<f64>,
    pub full_score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitScore {
    /// 1 = best; equal composites share a rank.
    pub rank: usize,
    pub unit: String,
    pub level: Level,
    /// A station's district.
    pub parent: Option<String>,
    /// A district's stations.
    pub stations: Vec<String>,
    /// 主要指标评价总分, 0–100.
    pub main: f64,
    /// 过程指标评价总分, 0–100.
    pub process: f64,
    /// 业务评价总分, 0–100.
    pub business: f64,
    /// Business deductions behind `business` (a district: its stations' mean).
    pub business_deductions: f64,
    /// 直接扣分
    pub direct: f64,
    /// 奖励加分
    pub bonus: f64,
    /// 综合得分
    pub composite: f64,
    /// The indicators scored for this unit itself (a district's only when it has its own).
    pub indicators: Vec<IndicatorScore>,
    /// Names of enabled indicators without a value.
    pub unvalued: Vec<String>,
    /// Which parts of a district are its stations' mean rather than its own indicators.
    pub main_from_stations: bool,
    pub process_from_stations: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub period: String,
    pub from: String,
    pub to: String,
    /// Stations ranked best first.
    pub stations: Vec<UnitScore>,
    /// Districts ranked best first.
    pub districts: Vec<UnitScore>,
    /// The enabled indicators the scores use.
    pub indicators: Vec<Indicator>,
}

impl Evaluation {
    pub fn unit(&self, name: &str) -> Option<&UnitScore> {
        self.stations
            .iter()
            .chain(&self.districts)
            .find(|u| u.unit == name)
    }
}

/// The figures of one station in a period that computed indicators are made of. Counts, so
/// that a district's are its stations' sums and its rates are pooled ratios.
#[derive(Debug, Clone, Copy, Default)]
struct Raw {
    issued: u64,
    completed: u64,
    overdue: u64,
    to_rectify: u64,
    rectified: u64,
    findings: u64,
    active_customers: u64,
    recovered: f64,
}

impl Raw {
    fn add(&mut self, o: &Raw) {
        self.issued += o.issued;
        self.completed += o.completed;
        self.overdue += o.overdue;
        self.to_rectify += o.to_rectify;
        self.rectified += o.rectified;
        self.findings += o.findings;
        self.active_customers += o.active_customers;
        self.recovered += o.recovered;
    }

    fn metric(&self, source: Source) -> Option<f64> {
        let ratio = |n: u64, d: u64| (d > 0).then(|| n as f64 / d as f64);
        match source {
            Source::Manual => None,
            Source::CompletionRate => ratio(self.completed, self.issued),
            Source::OverdueRate => ratio(self.overdue, self.issued),
            Source::RectificationRate => ratio(self.rectified, self.to_rectify),
            Source::FindingsPer1000 => {
                ratio(self.findings, self.active_customers).map(|r| r * 1000.0)
            }
            Source::AmountRecovered => Some(self.recovered),
        }
    }
}

fn raw_by_station(
    conn: &Connection,
    units: &Units,
    indicators: &[Indicator],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeMap<String, Raw>> {
    let mut raw: BTreeMap<String, Raw> = units
        .station_district
        .keys()
        .map(|s| (s.clone(), Raw::default()))
        .collect();
    let needs = |sources: &[Source]| indicators.iter().any(|i| sources.contains(&i.source));
    if needs(&[
        Source::CompletionRate,
        Source::OverdueRate,
        Source::RectificationRate,
    ]) {
        // The report's own per-unit counts, so the scores and the report never disagree.
        let report = crate::reports::compute(conn, from, to)?;
        for (unit, fig) in &report.by_unit {
            if let Some(r) = raw.get_mut(unit) {
                r.issued = fig.tickets_issued;
                r.completed = fig.tickets_completed;
                r.overdue = fig.tickets_overdue;
                r.to_rectify = fig.findings_to_rectify;
                r.rectified = fig.findings_rectified;
            }
        }
    }
    let (f, t) = (from.to_string(), to.to_string());
    if needs(&[Source::FindingsPer1000]) {
        let mut stmt = conn.prepare(
            "SELECT c.station, count(*) FROM findings f JOIN customers c ON c.cust_no = f.cust_no
             WHERE f.first_seen BETWEEN ?1 AND ?2 GROUP BY c.station",
        )?;
        let mut rows = stmt.query([&f, &t])?;
        while let Some(row) = rows.next()? {
            if let Some(r) = raw.get_mut(&row.get::<_, String>(0)?) {
                r.findings = row.get::<_, i64>(1)? as u64;
            }
        }
        // Active at the end of the period: opened by then and not closed by then.
        let mut stmt = conn.prepare(
            "SELECT station, count(*) FROM customers
             WHERE opened_on <= ?1 AND (status = 'active' OR closed_on > ?1) GROUP BY station",
        )?;
        let mut rows = stmt.query([&t])?;
        while let Some(row) = rows.next()? {
            if let Some(r) = raw.get_mut(&row.get::<_, String>(0)?) {
                r.active_customers = row.get::<_, i64>(1)? as u64;
            }
        }
    }
    if needs(&[Source::AmountRecovered]) {
        let mut stmt = conn.prepare(
            "SELECT unit, sum(coalesce(recovered_yuan, 0)) FROM tickets
             WHERE state = 'approved' AND approved_on BETWEEN ?1 AND ?2 GROUP BY unit",
        )?;
        let mut rows = stmt.query([&f, &t])?;
        while let Some(row) = rows.next()? {
            if let Some(r) = raw.get_mut(&row.get::<_, String>(0)?) {
                r.recovered = row.get(1)?;
            }
        }
    }
    Ok(raw)
}

/// Scores `indicators` (already filtered to one level) for one unit: a manual indicator's value
/// is the one entered for exactly this period; a computed one comes from `raw`.
fn score_indicators(
    conn: &Connection,
    indicators: &[&Indicator],
    unit: &str,
    period: &str,
    raw: &Raw,
) -> Result<Vec<IndicatorScore>> {
    let mut out = Vec::new();
    for i in indicators {
        let value = match i.source {
            Source::Manual => indicators::manual_value(conn, i.id, unit, period)?,
            s => raw.metric(s),
        };
        out.push(IndicatorScore {
            id: i.id,
            category: i.category.clone(),
            name: i.name.clone(),
            kind: i.kind,
            source: i.source,
            value,
            score: value.map(|v| i.score(v)),
            full_score: i.full_score,
        });
    }
    Ok(out)
}

/// Σ points / Σ full scores × 100 over the valued indicators of a kind; 0 when none is valued.
pub fn part_total(scores: &[IndicatorScore], kind: Kind) -> f64 {
    let (points, full) = scores
        .iter()
        .filter(|s| s.kind == kind)
        .filter_map(|s| s.score.map(|p| (p, s.full_score)))
        .fold((0.0, 0.0), |(p, f), (sp, sf)| (p + sp, f + sf));
    if full > 0.0 {
        points / full * 100.0
    } else {
        0.0
    }
}

pub fn composite(main: f64, process: f64, business: f64, direct: f64, bonus: f64) -> f64 {
    main * MAIN_WEIGHT + process * PROCESS_WEIGHT + business * BUSINESS_WEIGHT - direct + bonus
}

fn sum_entries(entries: &[Entry], unit: &str, kind: &str) -> f64 {
    entries
        .iter()
        .filter(|e| e.unit == unit && e.kind == kind)
        .map(|e| e.points)
        .sum()
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

/// Every station's and district's parts and composite for a period, each list ranked.
pub fn evaluate(conn: &Connection, period: &Period) -> Result<Evaluation> {
    let (from, to) = period.range();
    let label = period.label();
    let units = Units::load(conn)?;
    let enabled: Vec<Indicator> = indicators::list(conn)?
        .into_iter()
        .filter(|i| i.enabled)
        .collect();
    let raw = raw_by_station(conn, &units, &enabled, from, to)?;
    let entries = entries(conn, from, to, None, false)?;
    let of_level =
        |level: Level| -> Vec<&Indicator> { enabled.iter().filter(|i| i.level == level).collect() };

    let station_ind = of_level(Level::Station);
    let mut stations = Vec::new();
    for (station, district) in &units.station_district {
        let scores = score_indicators(conn, &station_ind, station, &label, &raw[station])?;
        let deductions = sum_entries(&entries, station, "business");
        let business = (BUSINESS_FULL - deductions).max(0.0);
        let (main, process) = (
            part_total(&scores, Kind::Main),
            part_total(&scores, Kind::Process),
        );
        let (direct, bonus) = (
            sum_entries(&entries, station, "direct"),
            sum_entries(&entries, station, "bonus"),
        );
        stations.push(UnitScore {
            rank: 0,
            unit: station.clone(),
            level: Level::Station,
            parent: Some(district.clone()),
            stations: Vec::new(),
            main,
            process,
            business,
            business_deductions: deductions,
            direct,
            bonus,
            composite: composite(main, process, business, direct, bonus),
            unvalued: unvalued(&scores),
            indicators: scores,
            main_from_stations: false,
            process_from_stations: false,
        });
    }

    let district_ind = of_level(Level::District);
    let own = |kind: Kind| district_ind.iter().any(|i| i.kind == kind);
    let mut districts = Vec::new();
    for (district, members) in &units.districts {
        let mine: Vec<&UnitScore> = stations
            .iter()
            .filter(|s| members.contains(&s.unit))
            .collect();
        let mut pooled = Raw::default();
        for m in members {
            pooled.add(&raw[m]);
        }
        let scores = score_indicators(conn, &district_ind, district, &label, &pooled)?;
        let part = |kind: Kind, of: fn(&UnitScore) -> f64| {
            if own(kind) {
                part_total(&scores, kind)
            } else {
                mean(mine.iter().map(|s| of(s)))
            }
        };
        let main = part(Kind::Main, |s| s.main);
        let process = part(Kind::Process, |s| s.process);
        let business = mean(mine.iter().map(|s| s.business));
        let direct =
            mean(mine.iter().map(|s| s.direct)) + sum_entries(&entries, district, "direct");
        let bonus = mean(mine.iter().map(|s| s.bonus)) + sum_entries(&entries, district, "bonus");
        districts.push(UnitScore {
            rank: 0,
            unit: district.clone(),
            level: Level::District,
            parent: None,
            stations: members.clone(),
            main,
            process,
            business,
            business_deductions: mean(mine.iter().map(|s| s.business_deductions)),
            direct,
            bonus,
            composite: composite(main, process, business, direct, bonus),
            unvalued: unvalued(&scores),
            indicators: scores,
            main_from_stations: !own(Kind::Main),
            process_from_stations: !own(Kind::Process),
        });
    }
    rank(&mut stations);
    rank(&mut districts);
    Ok(Evaluation {
        period: label,
        from: from.to_string(),
        to: to.to_string(),
        stations,
        districts,
        indicators: enabled,
    })
}

fn unvalued(scores: &[IndicatorScore]) -> Vec<String> {
    scores
        .iter()
        .filter(|s| s.value.is_none())
        .map(|s| s.name.clone())
        .collect()
}

/// Best composite first, ties by name; equal composites (to a millionth of a point) share a rank.
fn rank(units: &mut [UnitScore]) {
    units.sort_by(|a, b| {
        b.composite
            .partial_cmp(&a.composite)
            .expect("scores are finite")
            .then_with(|| a.unit.cmp(&b.unit))
    });
    let mut prev: Option<f64> = None;
    for i in 0..units.len() {
        let c = units[i].composite;
        units[i].rank = match prev {
            Some(p) if (p - c).abs() < 1e-6 => units[i - 1].rank,
            _ => i + 1,
        };
        prev = Some(c);
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    pub period: String,
    pub composite: f64,
    pub main: f64,
    pub process: f64,
    pub business: f64,
    pub direct: f64,
    pub bonus: f64,
    pub rank: usize,
    /// How many units of the same level were ranked.
    pub of: usize,
}

/// A unit's scores over the `n` periods ending with `last` (of `last`'s length), oldest first.
pub fn trend(conn: &Connection, unit: &str, last: &Period, n: usize) -> Result<Vec<TrendPoint>> {
    let units = Units::load(conn)?;
    let level = units.check(unit)?;
    if n == 0 {
        return Err(JichaError::invalid(InputWrong::TrendNeedsPeriod));
    }
    // Each period is a full evaluation: ten years of months is plenty, and bounds the work.
    const MAX_PERIODS: usize = 120;
    if n > MAX_PERIODS {
        return Err(JichaError::invalid(InputWrong::TrendTooLong {
            max: MAX_PERIODS,
            n,
        }));
    }
    let mut periods = vec![*last];
    while periods.len() < n {
        let p = periods.last().expect("non-empty").previous();
        periods.push(p);
    }
    periods.reverse();
    let mut out = Vec::new();
    for p in periods {
        let e = evaluate(conn, &p)?;
        let list = match level {
            Level::Station => &e.stations,
            Level::District => &e.districts,
        };
        let u = list
            .iter()
            .find(|u| u.unit == unit)
            .expect("every unit is evaluated in every period");
        out.push(TrendPoint {
            period: p.label(),
            composite: u.composite,
            main: u.main,
            process: u.process,
            business: u.business,
            direct: u.direct,
            bonus: u.bonus,
            rank: u.rank,
            of: list.len(),
        });
    }
    Ok(out)
}

/// A ticket behind a unit's scores in a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrillTicket {
    #[serde(flatten)]
    pub ticket: Ticket,
    /// Issued in the period: counts in the completion, overdue and rectification rates.
    pub issued_in_period: bool,
    /// Approved in the period: its amount counts in amount_recovered.
    pub approved_in_period: bool,
    /// Business deduction points recorded against it in the period.
    pub deducted: f64,
}

/// A finding first detected in the period on one of the unit's customers (findings_per_1000).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrillFinding {
    pub id: i64,
    pub rule: String,
    pub cust_no: String,
    pub station: String,
    pub subject: String,
    pub status: FindingStatus,
    pub resolution: Option<Resolution>,
    pub severity: String,
    pub first_seen: String,
    pub amount_yuan: Option<f64>,
    /// The ticket it is on, if any (the latest).
    pub ticket: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Drill {
    pub period: String,
    pub score: UnitScore,
    /// Deductions and bonuses dated in the period: the unit's own and, for a district, its stations'.
    pub entries: Vec<Entry>,
    pub tickets: Vec<DrillTicket>,
    pub findings: Vec<DrillFinding>,
}

/// What is behind a unit's score in a period: its entries, tickets and findings.
pub fn drill(conn: &Connection, unit: &str, period: &Period) -> Result<Drill> {
    let units = Units::load(conn)?;
    units.check(unit)?;
    let evaluation = evaluate(conn, period)?;
    let score = evaluation
        .unit(unit)
        .expect("every unit is evaluated")
        .clone();
    let (from, to) = period.range();
    let (f, t) = (from.to_string(), to.to_string());
    let mut scope = units.stations_of(unit);
    if !scope.iter().any(|s| s == unit) {
        scope.push(unit.to_string());
    }
    let entries = entries(conn, from, to, Some(&scope), false)?;
    let mut tickets = Vec::new();
    for tk in tickets::list(conn, None, to)? {
        if !scope.contains(&tk.unit) {
            continue;
        }
        let issued = tk.issued_on >= f && tk.issued_on <= t;
        let approved = tk.state == crate::states::TicketState::Approved
            && tk
                .approved_on
                .as_deref()
                .is_some_and(|a| a >= f.as_str() && a <= t.as_str());
        let deducted: f64 = entries
            .iter()
            .filter(|e| e.ticket.as_deref() == Some(tk.number.as_str()))
            .map(|e| e.points)
            .sum();
        if issued || approved || deducted > 0.0 {
            tickets.push(DrillTicket {
                ticket: tk,
                issued_in_period: issued,
                approved_in_period: approved,
                deducted,
            });
        }
    }
    let mut findings = Vec::new();
    {
        let mut stmt = conn.prepare(
            "SELECT f.id, f.rule, f.cust_no, c.station, f.subject, f.status, f.resolution, f.severity,
                    f.first_seen, f.amount_yuan,
                    (SELECT t.number FROM ticket_findings tf JOIN tickets t ON t.id = tf.ticket_id
                     WHERE tf.finding_id = f.id ORDER BY t.id DESC LIMIT 1)
             FROM findings f JOIN customers c ON c.cust_no = f.cust_no
             WHERE f.first_seen BETWEEN ?1 AND ?2 ORDER BY f.first_seen, f.id",
        )?;
        let rows = stmt.query_map([&f, &t], |r| {
            Ok(DrillFinding {
                id: r.get(0)?,
                rule: r.get(1)?,
                cust_no: r.get(2)?,
                station: r.get(3)?,
                subject: r.get(4)?,
                status: r.get(5)?,
                resolution: r.get(6)?,
                severity: r.get(7)?,
                first_seen: r.get(8)?,
                amount_yuan: r.get(9)?,
                ticket: r.get(10)?,
            })
        })?;
        for row in rows {
            let row = row?;
            if scope.contains(&row.station) {
                findings.push(row);
            }
        }
    }
    Ok(Drill {
        period: period.label(),
        score,
        entries,
        tickets,
        findings,
    })
}
