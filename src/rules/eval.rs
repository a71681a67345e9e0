//! `evaluate`: runs the whole rule pack as of a date and reports each hit to a sink, then says
//! what it covered, so that a rescan clears only findings it could have found again.

use super::catalogue::{self, SubjectKind};
use super::sql_rules::{Params, SQL_RULES};
use super::{address, billing, external, history, num, recent_change, suspension, Hit};
use crate::dates::{period_from_index, period_index, period_of, years_before};
use crate::error::{JichaError, Result};
use crate::progress::{self, Progress};
use crate::thresholds::{self, Kind, Thresholds};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::Connection;
use std::ops::ControlFlow;

/// What one evaluation covered: the rules that ran and, for period rules, the latest subject
/// period it could judge. A finding of a rule not listed here, or with a later period, was
/// outside the scan's inputs and must not be cleared by it.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    pub as_of: NaiveDate,
    pub rules: Vec<RuleCoverage>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RuleCoverage {
    pub rule: String,
    /// Period rules: subjects up to this period (`YYYY-MM`) were judged. None: every subject.
    pub max_subject: Option<String>,
}

impl Coverage {
    pub fn get(&self, rule: &str) -> Option<&RuleCoverage> {
        self.rules.iter().find(|r| r.rule == rule)
    }

    /// Whether the evaluation could have found `(rule, subject)`.
    pub fn covers(&self, rule: &str, subject: &str) -> bool {
        self.get(rule).is_some_and(|c| match &c.max_subject {
            Some(max) => subject <= max.as_str(),
            None => true,
        })
    }
}

/// Runs every rule of the catalogue and every external finding as of `as_of`, reporting hits to
/// `sink`. `progress` may answer `Break` to cancel: the result is then `JichaError::Cancelled`.
pub fn evaluate(
    conn: &Connection,
    th: &Thresholds,
    as_of: NaiveDate,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
    progress: progress::Callback,
) -> Result<Coverage> {
    let params = sql_params(th, as_of);
    let stages = SQL_RULES.len() as u64 + 6;
    let mut ran: Vec<String> = Vec::new();
    let mut clock = StageClock::default();

    for (k, rule) in SQL_RULES.iter().enumerate() {
        clock.step(progress, rule.id, k as u64, stages)?;
        if rule.run(conn, &params, sink)? {
            ran.push(rule.id.to_string());
        }
    }

    clock.step(progress, suspension::RULE, SQL_RULES.len() as u64, stages)?;
    suspension::run(conn, th, as_of, sink)?;
    ran.push(suspension::RULE.to_string());

    clock.step(
        progress,
        recent_change::RULE,
        SQL_RULES.len() as u64 + 1,
        stages,
    )?;
    recent_change::run(conn, th, sink)?;
    ran.push(recent_change::RULE.to_string());

    clock.step(progress, address::RULE, SQL_RULES.len() as u64 + 2, stages)?;
    address::run(conn, th, sink)?;
    ran.push(address::RULE.to_string());

    clock.step(progress, "bills", SQL_RULES.len() as u64 + 3, stages)?;
    let arc10_ran = billing::run(conn, th, as_of, sink, progress)?;

    clock.step(progress, "source history", stages - 2, stages)?;
    history::run(conn, th, as_of, sink)?;
    ran.extend(history::RULES.iter().map(|r| r.to_string()));

    clock.step(progress, "external findings", stages - 1, stages)?;
    let external = external::run(conn, sink)?;
    clock.step(progress, "rules done", stages, stages)?;
    Ok(coverage(th, as_of, &ran, arc10_ran, external))
}

/// What an evaluation covered, from the rules that ran (`ran`: the SQL rules whose precondition
/// held and the Rust rules outside the bill pass; the bill pass's own are added here) and the
/// external rules seen.
pub(crate) fn coverage(
    th: &Thresholds,
    as_of: NaiveDate,
    ran: &[String],
    arc10_ran: bool,
    external: std::collections::BTreeSet<String>,
) -> Coverage {
    let mut ran = ran.to_vec();
    ran.extend(billing::RULES.iter().map(|r| r.to_string()));
    ran.extend(
        billing::ARCHIVE_RULES
            .iter()
            .filter(|r| arc10_ran || **r != "ARC-10")
            .map(|r| r.to_string()),
    );
    let month = period_of(as_of);
    let mut rules: Vec<RuleCoverage> = catalogue::RULES
        .iter()
        .filter(|d| ran.iter().any(|r| r == d.id))
        .map(|d| RuleCoverage {
            rule: d.id.to_string(),
            max_subject: (d.subject == SubjectKind::Period).then(|| {
                if d.id == "BIL-04" {
                    // A run's finding is about months after its first period: a scan can judge
                    // a run starting at F only when F and the next zero_run_periods − 1 months
                    // are at or before the month of D.
                    let back = th.int("zero_run_periods").max(1) as i32 - 1;
                    period_from_index(period_index(&month).expect("valid month") - back)
                } else if d.id == "ARC-10" {
                    // An opening month P is judged only once the month of D is after P + 1.
                    period_from_index(period_index(&month).expect("valid month") - 2)
                } else {
                    month.clone()
                }
            }),
        })
        .collect();
    rules.extend(external.into_iter().map(|rule| RuleCoverage {
        rule,
        max_subject: None,
    }));
    Coverage { as_of, rules }
}

/// The stage being evaluated and since when: each stage's time goes to the diagnostic log
/// (`--log-level info`), so that a slow rule — a site rule above all — can be found.
#[derive(Default)]
struct StageClock {
    current: Option<(String, std::time::Instant)>,
}

impl StageClock {
    fn step(
        &mut self,
        progress: progress::Callback,
        stage: &str,
        done: u64,
        total: u64,
    ) -> Result<()> {
        if let Some((prev, since)) = self.current.take() {
            let ms = u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX);
            tracing::info!(stage = %prev, ms, "scan stage done");
        }
        self.current = Some((stage.to_string(), std::time::Instant::now()));
        let at = Progress {
            stage: stage.to_string(),
            done,
            total,
        };
        match progress(&at) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(JichaError::Cancelled),
        }
    }
}

/// The named parameters of the SQL rules: every threshold (lists as JSON arrays), the as-of
/// date, its month, the tolerance and the "D minus n years" cut-offs.
pub fn sql_params(th: &Thresholds, as_of: NaiveDate) -> Params {
    let mut p = Params::new();
    for (name, spec) in thresholds::specs() {
        let v = match spec.kind {
            Kind::Number => Value::Real(th.num(name)),
            Kind::Integer => Value::Integer(th.int(name)),
            Kind::List => Value::Text(serde_json::Value::from(th.list(name)).to_string()),
        };
        p.insert(name.clone(), v);
    }
    let cutoff = |name: &str| {
        let years = u32::try_from(th.int(name)).unwrap_or(0);
        Value::Text(years_before(as_of, years).to_string())
    };
    p.insert("temporary_cutoff".into(), cutoff("temporary_max_years"));
    p.insert("rotation_cutoff".into(), cutoff("rotation_years"));
    p.insert("as_of".into(), Value::Text(as_of.to_string()));
    p.insert("max_period".into(), Value::Text(period_of(as_of)));
    p.insert("tol".into(), Value::Real(num::TOL));
    p
}
