//! The daily / weekly / monthly report (日报 周报 月报) of workflow.md: every figure of its table,
//! overall, by responsible unit and by rule, computed as of the end of `to`.
//!
//! A finding's status at the end of a day comes from `finding_status_history` (the last change
//! on or before that day; `new` from its first scan until the first change); whether it was
//! suppressed that day comes from the whitelist entries in force that day.

use crate::error::{JichaError, Result};
use crate::findings::SUPPRESSED_SQL;
use crate::states::TicketState;
use chrono::{Days, NaiveDate};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    pub themes_with_findings: u64,
    pub themes_ticketed: u64,
    pub initiation_rate: Option<f64>,
    pub tickets_issued: u64,
    pub tickets_completed: u64,
    pub completion_rate: Option<f64>,
    pub findings_to_rectify: u64,
    pub findings_rectified: u64,
    pub rectification_rate: Option<f64>,
    pub tickets_overdue: u64,
    pub overdue_rate: Option<f64>,
    pub open_before: u64,
    pub open_after: u64,
    pub cumulative_completion_rate: Option<f64>,
    /// Per rule only: (open after − open before) / open before (指标改变率).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator_change_rate: Option<Option<f64>>,
}

impl Figures {
    fn finish(&mut self) {
        self.initiation_rate = ratio(self.themes_ticketed, self.themes_with_findings);
        self.completion_rate = ratio(self.tickets_completed, self.tickets_issued);
        self.rectification_rate = ratio(self.findings_rectified, self.findings_to_rectify);
        self.overdue_rate = ratio(self.tickets_overdue, self.tickets_issued);
        self.cumulative_completion_rate = (self.open_before > 0)
            .then(|| (self.open_before as f64 - self.open_after as f64) / self.open_before as f64);
    }
}

/// An exact ratio, or None (shown `—` / `null`) when the denominator is 0.
fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

#[derive(Debug, Clone, Serialize)]
pub struct OverdueTicket {
    pub number: String,
    pub unit: String,
    pub state: TicketState,
    pub issued_on: String,
    pub due_on: String,
    pub approved_on: Option<String>,
    pub days_late: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub from: String,
    pub to: String,
    #[serde(flatten)]
    pub total: Figures,
    pub by_unit: BTreeMap<String, Figures>,
    pub by_rule: BTreeMap<String, Figures>,
    /// The name (Chinese, English) of each rule of `by_rule` the rule directory knows: built-in
    /// and site rules (the dataset's own, so the layout needs no database).
    #[serde(skip)]
    pub rule_names: BTreeMap<String, (String, String)>,
    /// Units best first: completion rate, then rectification rate, then fewest overdue.
    pub unit_ranking: Vec<String>,
    pub overdue: Vec<OverdueTicket>,
}

#[allow(clippy::too_many_lines)] // every figure of the report's table (workflow.md), one query each, in the table's order
pub fn compute(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Report> {
    if from > to {
        return Err(JichaError::invalid(
            crate::i18n::refusals_input::InputWrong::FromAfterTo {
                from: from.to_string(),
                to: to.to_string(),
            },
        ));
    }
    let (f, t) = (from.to_string(), to.to_string());
    let before = (from - Days::new(1)).to_string();
    let mut total = Figures::default();
    let mut by_unit: BTreeMap<String, Figures> = BTreeMap::new();
    let mut by_rule: BTreeMap<String, Figures> = BTreeMap::new();

    // Findings first detected in the range: themes with findings.
    {
        let mut stmt = conn.prepare(
            "SELECT DISTINCT f.rule, coalesce(c.station, '') FROM findings f LEFT JOIN customers c ON c.cust_no = f.cust_no
             WHERE f.first_seen BETWEEN ?1 AND ?2",
        )?;
        let mut rows = stmt.query([&f, &t])?;
        let mut rules = std::collections::BTreeSet::new();
        let mut unit_rules = std::collections::BTreeSet::new();
        while let Some(r) = rows.next()? {
            let rule: String = r.get(0)?;
            let unit: String = r.get(1)?;
            rules.insert(rule.clone());
            unit_rules.insert((unit, rule));
        }
        total.themes_with_findings = rules.len() as u64;
        for rule in rules {
            by_rule.entry(rule).or_default().themes_with_findings = 1;
        }
        for (unit, _) in unit_rules {
            by_unit.entry(unit).or_default().themes_with_findings += 1;
        }
    }

    // Tickets issued in the range and not cancelled by the end of `to`, with their findings.
    let mut overdue = Vec::new();
    {
        let mut stmt = conn.prepare(
            "SELECT t.id, t.number, t.unit, t.state, t.issued_on, t.due_on,
                    CASE WHEN t.approved_on <= ?2 THEN t.approved_on END
             FROM tickets t
             WHERE t.issued_on BETWEEN ?1 AND ?2 AND (t.cancelled_on IS NULL OR t.cancelled_on > ?2)
             ORDER BY t.issued_on, t.id",
        )?;
        let mut find = conn.prepare(
            "SELECT f.rule,
                    (SELECT h.status = 'closed' AND h.resolution = 'rectified' FROM finding_status_history h
                     WHERE h.finding_id = f.id AND h.business_date <= ?2 ORDER BY h.id DESC LIMIT 1)
             FROM ticket_findings tf JOIN findings f ON f.id = tf.finding_id WHERE tf.ticket_id = ?1",
        )?;
        let mut rows = stmt.query([&f, &t])?;
        let mut ticketed_rules = std::collections::BTreeSet::new();
        let mut unit_ticketed_rules = std::collections::BTreeSet::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let number: String = r.get(1)?;
            let unit: String = r.get(2)?;
            let state: TicketState = r.get(3)?;
            let issued_on: String = r.get(4)?;
            let due_on: String = r.get(5)?;
            let approved_on: Option<String> = r.get(6)?;
            let completed = approved_on.is_some();
            let late = match &approved_on {
                Some(a) => a > &due_on,
                None => t > due_on,
            };
            let u = by_unit.entry(unit.clone()).or_default();
            for fig in [&mut total, u] {
                fig.tickets_issued += 1;
                fig.tickets_completed += completed as u64;
                fig.tickets_overdue += late as u64;
            }
            if late {
                let end = approved_on.as_deref().unwrap_or(&t);
                let days_late = (crate::dates::parse_date(end).expect("stored date")
                    - crate::dates::parse_date(&due_on).expect("stored date"))
                .num_days();
                overdue.push(OverdueTicket {
                    number,
                    unit: unit.clone(),
                    state,
                    issued_on,
                    due_on,
                    approved_on: approved_on.clone(),
                    days_late,
                });
            }
            let mut frows = find.query([id.to_string(), t.clone()])?;
            while let Some(fr) = frows.next()? {
                let rule: String = fr.get(0)?;
                let rectified: bool = fr.get::<_, Option<bool>>(1)?.unwrap_or(false);
                ticketed_rules.insert(rule.clone());
                unit_ticketed_rules.insert((unit.clone(), rule.clone()));
                let ru = by_rule.entry(rule).or_default();
                ru.findings_to_rectify += 1;
                ru.findings_rectified += rectified as u64;
                let u = by_unit.entry(unit.clone()).or_default();
                u.findings_to_rectify += 1;
                u.findings_rectified += rectified as u64;
                total.findings_to_rectify += 1;
                total.findings_rectified += rectified as u64;
            }
        }
        total.themes_ticketed = ticketed_rules.len() as u64;
        for rule in ticketed_rules {
            by_rule.entry(rule).or_default().themes_ticketed = 1;
        }
        for (unit, _) in unit_ticketed_rules {
            by_unit.entry(unit).or_default().themes_ticketed += 1;
        }
    }

    // Open findings at the end of the day before `from` and at the end of `to`.
    for (day, after) in [(&before, false), (&t, true)] {
        for (unit, rule, n) in open_at(conn, day)? {
            let targets = [
                &mut total,
                by_unit.entry(unit).or_default(),
                by_rule.entry(rule).or_default(),
            ];
            for fig in targets {
                if after {
                    fig.open_after += n;
                } else {
                    fig.open_before += n;
                }
            }
        }
    }

    total.finish();
    for fig in by_unit.values_mut() {
        fig.finish();
    }
    for fig in by_rule.values_mut() {
        fig.finish();
        fig.indicator_change_rate =
            Some((fig.open_before > 0).then(|| {
                (fig.open_after as f64 - fig.open_before as f64) / fig.open_before as f64
            }));
    }
    let mut unit_ranking: Vec<String> = by_unit
        .iter()
        .filter(|(_, fig)| fig.tickets_issued > 0)
        .map(|(u, _)| u.clone())
        .collect();
    unit_ranking.sort_by(|a, b| {
        let key = |u: &String| {
            let fig = &by_unit[u];
            (
                -fig.completion_rate.unwrap_or(0.0),
                -fig.rectification_rate.unwrap_or(0.0),
                fig.overdue_rate.unwrap_or(0.0),
            )
        };
        key(a)
            .partial_cmp(&key(b))
            .expect("rates are finite")
            .then(a.cmp(b))
    });
    overdue.sort_by(|a, b| b.days_late.cmp(&a.days_late).then(a.number.cmp(&b.number)));
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
        total,
        by_unit,
        by_rule,
        rule_names,
        unit_ranking,
        overdue,
    })
}

/// (unit, rule, count) of findings open at the end of `day`: first detected by then, status
/// new / confirmed / ticketed at the end of that day, and not suppressed that day.
fn open_at(conn: &Connection, day: &str) -> Result<Vec<(String, String, u64)>> {
    let sql = format!(
        "SELECT station, rule, count(*) FROM (
             SELECT coalesce(c.station, '') AS station, f.rule,
                    coalesce((SELECT h.status FROM finding_status_history h
                              WHERE h.finding_id = f.id AND h.business_date <= :today
                              ORDER BY h.id DESC LIMIT 1), 'new') AS st
             FROM findings f LEFT JOIN customers c ON c.cust_no = f.cust_no
             WHERE f.first_seen <= :today AND NOT {SUPPRESSED_SQL})
         WHERE st IN ('new','confirmed','ticketed')
         GROUP BY station, rule"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::named_params! {":today": day}, |r| {
        Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Kept here for the UI's report screen; the rendering lives in `crate::output`.
pub use crate::output::table::pct;
