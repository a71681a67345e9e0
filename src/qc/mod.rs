//! QC of audit work (稽查质检, 004 part 8), monthly and per unit — the read side:
//!
//! - (a) 稽查例日 gaps ([`gaps`]): the business days of the month — Monday to Friday (public
//!   holidays are not known to jicha and count as business days) up to the business date —
//!   on which no scan ran (a scan covers every unit), or no finding of the unit's scope was
//!   triaged: no `finding.confirm|close|note|ticket` log record on a finding whose customer's
//!   station is in the unit's subtree (a rescan's `finding.reopen` is not triage);
//! - (b) the sample of approved tickets ([`sample`]) and its scores on the six items
//!   ([`scores`]); the QC score of a unit = items passed / items scored over the sampled
//!   tickets of its subtree (pooled, like the quality figures; None when nothing is scored);
//! - (c) the whitelist audit ([`whitelist`]).
//!
//! The changes (drawing a sample, scoring an item) are `actions::qc`.

pub mod levels;
pub mod sample;
pub mod whitelist;

use crate::error::{JichaError, Result};
use crate::i18n::qc::QcWrong;
use crate::quality::Period;
use crate::units::Hierarchy;
use chrono::{Datelike, NaiveDate, Weekday};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A month `YYYY-MM`: its label and first and last day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Month {
    pub fn parse(s: &str) -> Result<Month> {
        match Period::parse(s) {
            Ok(p @ Period::Month(..)) => {
                let (from, to) = p.range();
                Ok(Month {
                    label: p.label(),
                    from,
                    to,
                })
            }
            _ => Err(JichaError::invalid(QcWrong::BadMonth {
                given: s.to_string(),
            })),
        }
    }

    /// Mon–Fri of the month, up to `today` (a day still to come is no gap).
    pub fn business_days(&self, today: NaiveDate) -> Vec<NaiveDate> {
        self.from
            .iter_days()
            .take_while(|d| *d <= self.to && *d <= today)
            .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
            .collect()
    }
}

/// One business day without a scan or without triage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapDay {
    pub date: String,
    pub no_scan: bool,
    pub no_triage: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitGaps {
    pub unit: String,
    pub depth: usize,
    pub days: Vec<GapDay>,
}

/// The triage actions of 稽查例日 (an operator acting on findings).
pub const TRIAGE_ACTIONS: &[&str] = &[
    "finding.confirm",
    "finding.close",
    "finding.note",
    "finding.ticket",
];

/// Every unit of the tree (preorder) with its gap days in `m` up to `today`.
pub fn gaps(
    conn: &Connection,
    h: &Hierarchy,
    m: &Month,
    today: NaiveDate,
) -> Result<Vec<UnitGaps>> {
    let days = m.business_days(today);
    let (f, t) = (m.from.to_string(), m.to.to_string());
    let mut scanned: BTreeSet<String> = BTreeSet::new();
    let mut stmt = conn.prepare(
        "SELECT DISTINCT business_date FROM scans WHERE business_date BETWEEN ?1 AND ?2",
    )?;
    for d in stmt.query_map([&f, &t], |r| r.get::<_, String>(0))? {
        scanned.insert(d?);
    }
    let actions = TRIAGE_ACTIONS
        .iter()
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(",");
    let mut stmt = conn.prepare(&format!(
        "SELECT DISTINCT a.business_date, coalesce(c.station, '')
         FROM action_log a
         JOIN findings f ON a.target = 'finding:' || f.id
         LEFT JOIN customers c ON c.cust_no = f.cust_no
         WHERE a.action IN ({actions}) AND a.business_date BETWEEN ?1 AND ?2"
    ))?;
    // Each (day, unit) with triage: the station and every unit above it.
    let mut triaged: BTreeSet<(String, String)> = BTreeSet::new();
    for row in stmt.query_map([&f, &t], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })? {
        let (day, station) = row?;
        for u in std::iter::once(station.as_str()).chain(h.ancestors(&station)) {
            triaged.insert((day.clone(), u.to_string()));
        }
    }
    Ok(h.preorder()
        .into_iter()
        .map(|(u, depth)| UnitGaps {
            unit: u.name.clone(),
            depth,
            days: days
                .iter()
                .map(|d| d.to_string())
                .filter_map(|d| {
                    let no_scan = !scanned.contains(&d);
                    let no_triage = !triaged.contains(&(d.clone(), u.name.clone()));
                    (no_scan || no_triage).then_some(GapDay {
                        date: d,
                        no_scan,
                        no_triage,
                    })
                })
                .collect(),
        })
        .collect())
}

/// A sampled ticket with its scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampledTicket {
    pub number: String,
    pub unit: String,
    pub approved_on: String,
    /// Items 1–6: None not scored, Some(passed).
    pub items: [Option<bool>; 6],
    pub notes: [Option<String>; 6],
}

impl SampledTicket {
    pub fn scored(&self) -> usize {
        self.items.iter().flatten().count()
    }

    pub fn passed(&self) -> usize {
        self.items.iter().flatten().filter(|p| **p).count()
    }
}

/// A unit's drawn sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitSample {
    pub unit: String,
    pub seed: u64,
    pub ratio: f64,
    pub population: usize,
    pub digest: String,
    pub drawn_on: String,
    pub drawn_by: String,
    pub tickets: Vec<SampledTicket>,
}

/// The samples drawn for a month, by unit, each with its tickets and their scores.
pub fn samples(conn: &Connection, m: &Month) -> Result<Vec<UnitSample>> {
    let mut stmt = conn.prepare(
        "SELECT id, unit, seed, ratio, population, digest, drawn_on, drawn_by FROM qc_samples
         WHERE month = ?1 ORDER BY unit",
    )?;
    let heads = stmt
        .query_map([&m.label], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                UnitSample {
                    unit: r.get(1)?,
                    seed: r.get::<_, i64>(2)? as u64,
                    ratio: r.get(3)?,
                    population: r.get::<_, i64>(4)? as usize,
                    digest: r.get(5)?,
                    drawn_on: r.get(6)?,
                    drawn_by: r.get(7)?,
                    tickets: Vec::new(),
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut tickets = conn.prepare(
        "SELECT t.id, t.number, t.unit, coalesce(t.approved_on, '') FROM qc_sample_tickets s
         JOIN tickets t ON t.id = s.ticket_id WHERE s.sample_id = ?1 ORDER BY t.number",
    )?;
    let mut scores = conn
        .prepare("SELECT item, passed, note FROM qc_scores WHERE ticket_id = ?1 ORDER BY item")?;
    let mut out = Vec::new();
    for (id, mut s) in heads {
        let rows = tickets
            .query_map([id], |r| {
                Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<Vec<(i64, String, String, String)>>>()?;
        for (tid, number, unit, approved_on) in rows {
            let mut t = SampledTicket {
                number,
                unit,
                approved_on,
                items: [None; 6],
                notes: Default::default(),
            };
            for sc in scores.query_map([tid], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, bool>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })? {
                let (item, passed, note) = sc?;
                let i = (item - 1) as usize;
                t.items[i] = Some(passed);
                t.notes[i] = (!note.is_empty()).then_some(note);
            }
            s.tickets.push(t);
        }
        out.push(s);
    }
    Ok(out)
}

/// One unit's QC score: passed / scored items over its subtree's sampled tickets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitScore {
    pub unit: String,
    pub depth: usize,
    pub tickets: usize,
    pub scored: usize,
    pub passed: usize,
    /// passed / scored; None when nothing is scored.
    pub score: Option<f64>,
}

/// Every unit's QC score for a month (preorder), pooled over its subtree.
pub fn scores(h: &Hierarchy, samples: &[UnitSample]) -> Vec<UnitScore> {
    let mut own: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for s in samples {
        for t in &s.tickets {
            let e = own.entry(t.unit.as_str()).or_default();
            e.0 += 1;
            e.1 += t.scored();
            e.2 += t.passed();
        }
    }
    h.preorder()
        .into_iter()
        .map(|(u, depth)| {
            let (mut n, mut scored, mut passed) = (0, 0, 0);
            for name in h.subtree(&u.name) {
                if let Some(e) = own.get(name) {
                    n += e.0;
                    scored += e.1;
                    passed += e.2;
                }
            }
            UnitScore {
                unit: u.name.clone(),
                depth,
                tickets: n,
                scored,
                passed,
                score: (scored > 0).then(|| passed as f64 / scored as f64),
            }
        })
        .collect()
}

/// The QC score of every unit for a period of the quality evaluation: the months of
/// `[from, to]` pooled (a quarter's score is over its three months' samples). For
/// `quality::figures`.
pub fn score_counts(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeMap<String, (u64, u64)>> {
    let (f, t) = (crate::dates::period_of(from), crate::dates::period_of(to));
    let mut stmt = conn.prepare(
        "SELECT t.unit, count(sc.item), coalesce(sum(sc.passed), 0)
         FROM qc_samples s JOIN qc_sample_tickets st ON st.sample_id = s.id
         JOIN tickets t ON t.id = st.ticket_id
         JOIN qc_scores sc ON sc.ticket_id = t.id
         WHERE s.month BETWEEN ?1 AND ?2 GROUP BY t.unit",
    )?;
    let rows = stmt.query_map([&f, &t], |r| {
        Ok((
            r.get::<_, String>(0)?,
            (r.get::<_, i64>(1)? as u64, r.get::<_, i64>(2)? as u64),
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The whole month, for `qc month|report` and the QC screen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthReport {
    pub month: String,
    pub as_of: String,
    pub gaps: Vec<UnitGaps>,
    pub samples: Vec<UnitSample>,
    pub scores: Vec<UnitScore>,
    pub whitelist: whitelist::Audit,
    /// One line per unit (preorder), each figure over the unit's subtree except the gap days,
    /// which are the unit's own.
    pub units: Vec<UnitSummary>,
}

/// A unit's month in one line (`qc month`, the CSV).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitSummary {
    pub unit: String,
    pub depth: usize,
    pub gap_days: usize,
    pub no_scan: usize,
    pub no_triage: usize,
    pub sampled: usize,
    pub scored: usize,
    pub passed: usize,
    pub score: Option<f64>,
    pub whitelist: u64,
    pub long: u64,
    pub renewals: u64,
    pub worse: usize,
}

fn summaries(
    h: &Hierarchy,
    gaps: &[UnitGaps],
    scores: &[UnitScore],
    w: &whitelist::Audit,
) -> Vec<UnitSummary> {
    gaps.iter()
        .map(|g| {
            let sc = scores.iter().find(|s| s.unit == g.unit);
            let sub: BTreeSet<&str> = h.subtree(&g.unit).into_iter().collect();
            let rows: Vec<_> = w
                .rows
                .iter()
                .filter(|r| sub.contains(r.unit.as_str()))
                .collect();
            UnitSummary {
                unit: g.unit.clone(),
                depth: g.depth,
                gap_days: g.days.len(),
                no_scan: g.days.iter().filter(|d| d.no_scan).count(),
                no_triage: g.days.iter().filter(|d| d.no_triage).count(),
                sampled: sc.map_or(0, |s| s.tickets),
                scored: sc.map_or(0, |s| s.scored),
                passed: sc.map_or(0, |s| s.passed),
                score: sc.and_then(|s| s.score),
                whitelist: rows.iter().map(|r| r.entries).sum(),
                long: rows.iter().map(|r| r.long).sum(),
                renewals: rows.iter().map(|r| r.renewals).sum(),
                worse: w
                    .worse
                    .iter()
                    .filter(|x| sub.contains(x.unit.as_str()))
                    .count(),
            }
        })
        .collect()
}

pub fn month_report(conn: &Connection, m: &Month, today: NaiveDate) -> Result<MonthReport> {
    let h = Hierarchy::load(conn)?;
    let samples = samples(conn, m)?;
    let gaps = gaps(conn, &h, m, today)?;
    let scores = scores(&h, &samples);
    let whitelist = whitelist::audit(conn, m, today)?;
    Ok(MonthReport {
        month: m.label.clone(),
        as_of: today.min(m.to).to_string(),
        units: summaries(&h, &gaps, &scores, &whitelist),
        gaps,
        scores,
        samples,
        whitelist,
    })
}
