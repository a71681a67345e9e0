//! The site rules a scan runs, on one sandbox in one snapshot, and a single rule's trial run
//! (`rules add` shows its hits before it is stored; `rules test` runs it on an export).

use super::sandbox::Sandbox;
use super::{store, SiteRule};
use crate::error::{JichaError, Result};
use crate::progress::{self, Progress};
use crate::rules::Hit;
use crate::thresholds::Thresholds;
use chrono::NaiveDate;
use std::ops::ControlFlow;
use std::time::Duration;

/// How long one site rule may run (`site_rule_timeout_s`).
pub fn timeout(th: &Thresholds) -> Duration {
    Duration::from_secs_f64(th.num("site_rule_timeout_s").clamp(0.0, 86_400.0))
}

pub struct Pack {
    sandbox: Sandbox,
    rules: Vec<SiteRule>,
}

impl Pack {
    /// The enabled site rules of the dataset `conn` reads, on a sandbox whose snapshot begins
    /// now; None when there are none (no sandbox is opened).
    pub fn open(conn: &rusqlite::Connection, as_of: NaiveDate) -> Result<Option<Pack>> {
        let rules = store::running(conn)?;
        if rules.is_empty() {
            return Ok(None);
        }
        let sandbox = Sandbox::open(conn, as_of)?;
        sandbox.begin()?;
        Ok(Some(Pack { sandbox, rules }))
    }

    /// Runs every rule, by id; the first that is refused, errs or runs too long stops the scan.
    /// Returns the `(id, sha256)` of each rule run.
    pub fn run_all(
        &self,
        th: &Thresholds,
        sink: &mut dyn FnMut(Hit) -> Result<()>,
        progress: progress::Callback,
    ) -> Result<Vec<(String, String)>> {
        let limit = timeout(th);
        let total = self.rules.len() as u64;
        let mut ran = Vec::new();
        for (k, rule) in self.rules.iter().enumerate() {
            let at = Progress {
                stage: rule.id.clone(),
                done: k as u64,
                total,
            };
            if let ControlFlow::Break(()) = progress(&at) {
                return Err(JichaError::Cancelled);
            }
            let since = std::time::Instant::now();
            let hits = self.sandbox.run(rule, th, limit, sink)?;
            let ms = u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX);
            tracing::info!(rule = %rule.id, hits, ms, "site rule done");
            ran.push((rule.id.clone(), rule.sha256.clone()));
        }
        Ok(ran)
    }
}

/// What a trial run found: how many hits, and the first few.
#[derive(Debug, Clone, PartialEq)]
pub struct Trial {
    pub hits: u64,
    pub first: Vec<Hit>,
}

/// Checks `rule` and runs it once on the dataset `conn` reads, as of `as_of`, with the
/// dataset's thresholds (its own parameters at their stored values, else their defaults).
pub fn trial(
    conn: &rusqlite::Connection,
    rule: &SiteRule,
    as_of: NaiveDate,
    keep: usize,
) -> Result<Trial> {
    let th = Thresholds::load(conn)?;
    let sandbox = Sandbox::open(conn, as_of)?;
    sandbox.begin()?;
    let mut first = Vec::new();
    let mut hits = 0;
    sandbox.run(rule, &th, timeout(&th), &mut |h| {
        hits += 1;
        if first.len() < keep {
            first.push(h);
        }
        Ok(())
    })?;
    Ok(Trial { hits, first })
}

/// Checks `rule`'s SQL on the dataset `conn` reads without running it.
pub fn check(conn: &rusqlite::Connection, rule: &SiteRule, as_of: NaiveDate) -> Result<()> {
    Sandbox::open(conn, as_of)?.check(rule)
}
