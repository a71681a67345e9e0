//! `jicha scan`: evaluates the rule pack as of a date and reconciles the hits with the
//! findings already on record (rules.md, "A rescan"; workflow.md, "Findings").
//!
//! Evaluation runs in a read snapshot and writes hits into a TEMP table, so that other
//! operators can keep working; only the reconciliation holds the write lock, and it is
//! set-based: one upsert for found / new / reopened, one UPDATE for cleared.

use crate::actionlog;
use crate::context::{Ctx, Role};
use crate::error::{JichaError, Result};
use crate::progress::{self, Progress};
use crate::rules::incremental::{self, Kind};
use crate::rules::{self, catalogue, Coverage, Hit};
use crate::thresholds::Thresholds;
use chrono::NaiveDate;
use rusqlite::{named_params, params, Connection, Transaction};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// What one scan found and changed for one rule. `hits = new + again + reopened`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    pub rule: String,
    pub hits: u64,
    /// Findings seen for the first time.
    pub new: u64,
    /// Findings already on record found again (status kept).
    pub again: u64,
    /// Of `again`: closed as false_positive / no_action, found again and left closed.
    pub again_closed: u64,
    /// Cleared or closed-as-rectified findings that fired again: back to `new`, recurred.
    pub reopened: u64,
    /// New or confirmed findings no longer found by this scan.
    pub cleared: u64,
    /// Hits matched by a whitelist entry active on the business date.
    pub suppressed: u64,
}

impl RuleCount {
    fn add(&mut self, o: &RuleCount) {
        self.hits += o.hits;
        self.new += o.new;
        self.again += o.again;
        self.again_closed += o.again_closed;
        self.reopened += o.reopened;
        self.cleared += o.cleared;
        self.suppressed += o.suppressed;
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScanSummary {
    pub scan_id: i64,
    pub as_of: NaiveDate,
    pub business_date: NaiveDate,
    /// Rules that ran, in catalogue order, then external rules by id.
    pub per_rule: Vec<RuleCount>,
    /// Sums over `per_rule` (`rule` = "total").
    pub totals: RuleCount,
    /// Full, or incremental: only the customers changed since the last scan re-judged.
    pub kind: Kind,
    /// Customers judged by this scan (a full scan: every customer of the dataset).
    pub rejudged: u64,
}

impl ScanSummary {
    /// The summary as stored in `scans.summary`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "scan_id": self.scan_id,
            "as_of": self.as_of.to_string(),
            "business_date": self.business_date.to_string(),
            "per_rule": self.per_rule,
            "totals": self.totals,
            "kind": self.kind,
            "rejudged": self.rejudged,
        })
    }
}

impl fmt::Display for ScanSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "scan {} as of {} (business date {})",
            self.scan_id, self.as_of, self.business_date
        )?;
        writeln!(
            f,
            "{:<24} {:>8} {:>8} {:>8} {:>8} {:>8} {:>10}",
            "rule", "hits", "new", "again", "cleared", "reopened", "suppressed"
        )?;
        for c in self.per_rule.iter().chain(std::iter::once(&self.totals)) {
            // External rule ids carry imported text: never let it reach the terminal raw.
            let name: String = c.rule.chars().filter(|ch| !ch.is_control()).collect();
            writeln!(
                f,
                "{:<24} {:>8} {:>8} {:>8} {:>8} {:>8} {:>10}",
                name, c.hits, c.new, c.again, c.cleared, c.reopened, c.suppressed
            )?;
        }
        writeln!(
            f,
            "{} scan: {} customers judged",
            self.kind.as_str(),
            self.rejudged
        )?;
        write!(
            f,
            "{} hits: {} new, {} again ({} on closed findings, left closed), {} cleared, {} reopened, {} suppressed",
            self.totals.hits,
            self.totals.new,
            self.totals.again,
            self.totals.again_closed,
            self.totals.cleared,
            self.totals.reopened,
            self.totals.suppressed
        )
    }
}

const CREATE_TEMP: &str = "
    DROP TABLE IF EXISTS temp.scan_hits;
    CREATE TEMP TABLE scan_hits (
        rule             TEXT NOT NULL,
        cust_no          TEXT NOT NULL,
        subject          TEXT NOT NULL,
        severity         TEXT NOT NULL,
        level            INTEGER,
        evidence         TEXT NOT NULL,
        amount_yuan      REAL,
        finding_id       INTEGER,       -- the finding on record, filled in by reconciliation
        prior_status     TEXT,
        prior_resolution TEXT,
        suppressed       INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (rule, cust_no, subject)
    ) WITHOUT ROWID;
    DROP TABLE IF EXISTS temp.scan_cover;
    CREATE TEMP TABLE scan_cover (
        rule        TEXT PRIMARY KEY,
        max_subject TEXT                -- NULL: every subject
    ) WITHOUT ROWID;";

/// Page cache during a scan, as SQLite's negative `cache_size` (KiB): 256 MiB per schema.
pub(crate) const SCAN_CACHE_KIB: i64 = -262_144;

const DROP_TEMP: &str = "DROP TABLE IF EXISTS temp.scan_hits; DROP TABLE IF EXISTS temp.scan_cover;
     DROP TABLE IF EXISTS temp.scan_scope;";

/// A hit (of `temp.scan_hits`, alias `h`) that fires again on a finding whose problem was
/// thought gone: cleared by data, or closed as rectified.
const REOPEN: &str =
    "(h.prior_status = 'cleared' OR (h.prior_status = 'closed' AND h.prior_resolution = 'rectified'))";

/// How a scan may run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Incremental when the last scan's inputs allow it (rules::incremental), else full.
    #[default]
    Auto,
    /// Every customer re-judged (`jicha scan --full`).
    Full,
}

/// Runs the rule pack as of `as_of` and reconciles its hits with the findings on record;
/// incremental when it can be ([`Mode::Auto`]).
pub fn run_scan(
    ds: &mut crate::db::Dataset,
    ctx: &Ctx,
    as_of: NaiveDate,
    progress: progress::Callback,
) -> Result<ScanSummary> {
    run_scan_with(ds, ctx, as_of, Mode::Auto, progress)
}

/// As [`run_scan`], full when `mode` says so.
pub fn run_scan_with(
    ds: &mut crate::db::Dataset,
    ctx: &Ctx,
    as_of: NaiveDate,
    mode: Mode,
    progress: progress::Callback,
) -> Result<ScanSummary> {
    ctx.require(Role::Auditor, "scan")?;
    let started_at = ctx.now_utc();
    // A large page cache for the scan: the hits table and the findings indexes it upserts into
    // are touched all over; SQLite's default 2 MB cache would go to the OS for every page.
    let cache: i64 = ds
        .conn
        .query_row("PRAGMA main.cache_size", [], |r| r.get(0))?;
    ds.conn.execute_batch(&format!(
        "PRAGMA main.cache_size = {SCAN_CACHE_KIB}; PRAGMA temp.cache_size = {SCAN_CACHE_KIB}; PRAGMA facts.cache_size = {SCAN_CACHE_KIB};"
    ))?;
    ds.conn.execute_batch(CREATE_TEMP)?;
    let result = scan_inner(ds, ctx, as_of, mode, &started_at, progress);
    // The temp tables are scratch: gone whether the scan succeeded or not.
    let dropped = ds.conn.execute_batch(DROP_TEMP);
    let restored = ds.conn.execute_batch(&format!(
        "PRAGMA main.cache_size = {cache}; PRAGMA temp.cache_size = {cache}; PRAGMA facts.cache_size = {cache};"
    ));
    let summary = result?;
    dropped?;
    restored?;
    Ok(summary)
}

fn scan_inner(
    ds: &mut crate::db::Dataset,
    ctx: &Ctx,
    as_of: NaiveDate,
    mode: Mode,
    started_at: &str,
    progress: progress::Callback,
) -> Result<ScanSummary> {
    let ev = evaluate_to_temp(&ds.conn, as_of, mode, progress)?;
    // Last chance to cancel: once the write starts it runs to the end.
    if progress(&Progress {
        stage: "saving findings".into(),
        done: 0,
        total: 0,
    })
    .is_break()
    {
        return Err(JichaError::Cancelled);
    }
    let since = std::time::Instant::now();
    let saved = rules::parallel::profile_phase("saving findings", || {
        ds.write(|tx| {
            let summary = reconcile(tx, ctx, as_of, started_at, &ev)?;
            record_site_rules(tx, summary.scan_id, &ev.site_ran)?;
            Ok(summary)
        })
    });
    let ms = u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX);
    tracing::info!(ms, "scan stage done: saving findings");
    saved
}

/// Which version (SHA-256) of every site rule the scan ran.
fn record_site_rules(tx: &Transaction, scan_id: i64, ran: &[(String, String)]) -> Result<()> {
    let mut stmt =
        tx.prepare("INSERT INTO scan_site_rules(scan_id, rule, sha256) VALUES (?1, ?2, ?3)")?;
    for (rule, sha) in ran {
        stmt.execute(params![scan_id, rule, sha])?;
    }
    Ok(())
}

/// What an evaluation leaves for the reconciliation.
struct Evaluated {
    th: Thresholds,
    coverage: Coverage,
    /// `(id, sha256)` of each site rule it ran.
    site_ran: Vec<(String, String)>,
    kind: Kind,
    /// Customers judged.
    rejudged: u64,
    /// What it judged, for the next scan.
    state: incremental::State,
}

/// Evaluates in one read snapshot (a deferred transaction that only reads the main database)
/// into `temp.scan_hits`; the thresholds are read in the same snapshot. The site rules run on
/// their sandbox connection, in a snapshot begun right after this one (see `rules::site`);
/// their `(id, sha256)` are returned for the scan's record.
fn evaluate_to_temp(
    conn: &Connection,
    as_of: NaiveDate,
    mode: Mode,
    progress: progress::Callback,
) -> Result<Evaluated> {
    let tx = conn.unchecked_transaction()?;
    let th = Thresholds::load(&tx)?;
    let site = rules::site::Pack::open(&tx, as_of)?;
    let mut site_ran = Vec::new();
    let state_earliest;
    let scan_kind;
    let coverage = {
        let mut insert = tx.prepare(
            "INSERT INTO temp.scan_hits(rule, cust_no, subject, severity, level, evidence, amount_yuan)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT DO NOTHING",
        )?;
        let mut sink = |h: Hit| -> Result<()> {
            insert.execute(params![
                h.rule,
                h.cust_no,
                h.subject,
                h.severity.as_str(),
                h.level,
                h.evidence,
                h.amount_yuan
            ])?;
            Ok(())
        };
        let plan = incremental::plan(&tx, &th, as_of, mode == Mode::Full)?;
        let (mut coverage, kind, rejudged, earliest) = match plan {
            Ok(plan) => {
                let cov = incremental::scoped(&tx, || {
                    rules::eval::evaluate(&tx, &th, as_of, &mut sink, progress)
                })?;
                if incremental::builtin_coverage(&cov) == plan.prev.coverage {
                    let carried =
                        incremental::carry_over(&tx, &plan.prev.coverage, plan.prev_scan)?;
                    tracing::info!(customers = plan.customers, carried, "incremental scan");
                    (cov, Kind::Incremental, plan.customers, Some(plan.earliest))
                } else {
                    tracing::info!("full scan: the rules that ran differ from the last scan's");
                    tx.execute_batch("DELETE FROM temp.scan_hits;")?;
                    full_evaluation(&tx, &th, as_of, &mut sink, progress)?
                }
            }
            Err(reason) => {
                tracing::info!(?reason, "full scan");
                full_evaluation(&tx, &th, as_of, &mut sink, progress)?
            }
        };
        incremental::drop_scope(&tx)?;
        state_earliest = earliest;
        scan_kind = (kind, rejudged);
        if let Some(pack) = &site {
            site_ran = pack.run_all(&th, &mut sink, progress)?;
            coverage
                .rules
                .extend(site_ran.iter().map(|(rule, _)| rules::RuleCoverage {
                    rule: rule.clone(),
                    max_subject: None,
                }));
        }
        coverage
    };
    let mut cover = tx.prepare("INSERT INTO temp.scan_cover(rule, max_subject) VALUES (?1, ?2)")?;
    for c in &coverage.rules {
        cover.execute(params![c.rule, c.max_subject])?;
    }
    drop(cover);
    let state = incremental::state_of(&tx, &th, as_of, &coverage, state_earliest)?;
    tx.commit()?;
    Ok(Evaluated {
        th,
        coverage,
        site_ran,
        kind: scan_kind.0,
        rejudged: scan_kind.1,
        state,
    })
}

/// What an evaluation covered, its kind, how many customers it judged, and the earliest bill
/// period with a customer holding it.
type Judged = (Coverage, Kind, u64, Option<(String, String)>);

/// Every customer judged, on the scan's worker connections; with the earliest bill period and
/// the number of customers, for the scan's state.
fn full_evaluation(
    tx: &Connection,
    th: &Thresholds,
    as_of: NaiveDate,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
    progress: progress::Callback,
) -> Result<Judged> {
    let threads = rules::parallel::threads();
    let coverage = rules::parallel::evaluate(tx, th, as_of, threads, sink, progress)?;
    let earliest = incremental::earliest_bill(tx, &crate::dates::period_of(as_of))?;
    let customers: i64 = tx.query_row("SELECT count(*) FROM facts.customers", [], |r| r.get(0))?;
    Ok((
        coverage,
        Kind::Full,
        u64::try_from(customers).unwrap_or(0),
        earliest,
    ))
}

#[allow(clippy::too_many_lines)] // the rescan's statements in the one order they must run inside its transaction
fn reconcile(
    tx: &Transaction,
    ctx: &Ctx,
    as_of: NaiveDate,
    started_at: &str,
    ev: &Evaluated,
) -> Result<ScanSummary> {
    let (th, coverage) = (&ev.th, &ev.coverage);
    let today = ctx.today.to_string();

    // What each hit was before this scan, and whether a whitelist entry covers it today.
    tx.execute_batch(
        "UPDATE temp.scan_hits SET finding_id = f.id, prior_status = f.status, prior_resolution = f.resolution
         FROM main.findings f
         WHERE f.rule = scan_hits.rule AND f.cust_no = scan_hits.cust_no AND f.subject = scan_hits.subject",
    )?;
    tx.execute(
        "UPDATE temp.scan_hits SET suppressed = 1
         WHERE EXISTS (SELECT 1 FROM main.whitelist w
                       WHERE w.cust_no = scan_hits.cust_no AND (w.rule = scan_hits.rule OR w.rule = '*')
                         AND w.effective_from IS NOT NULL AND w.effective_from <= :today
                         AND :today < w.expires_on
                         AND (w.revoked_on IS NULL OR :today < w.revoked_on))",
        named_params! {":today": today},
    )?;

    let mut counts: BTreeMap<String, RuleCount> = coverage
        .rules
        .iter()
        .map(|c| {
            (
                c.rule.clone(),
                RuleCount {
                    rule: c.rule.clone(),
                    ..RuleCount::default()
                },
            )
        })
        .collect();
    {
        let mut stmt = tx.prepare(&format!(
            "SELECT h.rule, count(*),
                    count(*) FILTER (WHERE h.prior_status IS NULL),
                    count(*) FILTER (WHERE {REOPEN}),
                    count(*) FILTER (WHERE h.prior_status = 'closed' AND h.prior_resolution IS NOT 'rectified'),
                    count(*) FILTER (WHERE h.suppressed = 1)
             FROM temp.scan_hits h GROUP BY h.rule"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let rule: String = r.get(0)?;
            let c = counts.entry(rule.clone()).or_insert_with(|| RuleCount {
                rule,
                ..RuleCount::default()
            });
            c.hits = r.get::<_, i64>(1)? as u64;
            c.new = r.get::<_, i64>(2)? as u64;
            c.reopened = r.get::<_, i64>(3)? as u64;
            c.again = c.hits - c.new - c.reopened;
            c.again_closed = r.get::<_, i64>(4)? as u64;
            c.suppressed = r.get::<_, i64>(5)? as u64;
        }
    }

    tx.execute(
        "INSERT INTO scans(started_at, finished_at, business_date, as_of, operator, thresholds, summary)
         VALUES (?1, ?1, ?2, ?3, ?4, ?5, '{}')",
        params![started_at, today, as_of.to_string(), ctx.operator, th.to_json().to_string()],
    )?;
    let scan_id = tx.last_insert_rowid();

    // Found again: identity, status, notes kept; last_seen / last_scan move; what the rule
    // says now replaces the old evidence. Cleared or rectified findings that fire again are
    // reopened as `new` and marked recurred. `version` moves with any change an operator sees.
    tx.execute(
        &format!(
            "INSERT INTO findings(rule, cust_no, subject, status, severity, level, evidence, amount_yuan,
                                  first_seen, last_seen, first_scan, last_scan, status_date)
             SELECT rule, cust_no, subject, 'new', severity, level, evidence, amount_yuan,
                    :today, :today, :scan, :scan, :today
             FROM temp.scan_hits WHERE true
             ON CONFLICT(rule, cust_no, subject) DO UPDATE SET
                 version = version + CASE WHEN {reopen} OR severity IS NOT excluded.severity
                                              OR level IS NOT excluded.level
                                              OR evidence IS NOT excluded.evidence
                                              OR amount_yuan IS NOT excluded.amount_yuan
                                          THEN 1 ELSE 0 END,
                 status        = CASE WHEN {reopen} THEN 'new' ELSE status END,
                 resolution    = CASE WHEN {reopen} THEN NULL ELSE resolution END,
                 recurred      = CASE WHEN {reopen} THEN 1 ELSE recurred END,
                 reopened_scan = CASE WHEN {reopen} THEN :scan ELSE reopened_scan END,
                 cleared_scan  = CASE WHEN {reopen} THEN NULL ELSE cleared_scan END,
                 status_date   = CASE WHEN {reopen} THEN :today ELSE status_date END,
                 severity = excluded.severity, level = excluded.level,
                 evidence = excluded.evidence, amount_yuan = excluded.amount_yuan,
                 last_seen = :today, last_scan = :scan",
            reopen = "(status = 'cleared' OR (status = 'closed' AND resolution = 'rectified'))"
        ),
        named_params! {":today": today, ":scan": scan_id},
    )?;
    crate::qc::levels::record(tx, scan_id, &today)?;

    // Status history of new and reopened findings.
    tx.execute(
        &format!(
            "INSERT INTO finding_status_history(finding_id, business_date, status, resolution, operator)
             SELECT f.id, :today, 'new', NULL, :op
             FROM temp.scan_hits h JOIN main.findings f
               ON f.rule = h.rule AND f.cust_no = h.cust_no AND f.subject = h.subject
             WHERE h.prior_status IS NULL OR {REOPEN}
             ORDER BY f.id"
        ),
        named_params! {":today": today, ":op": ctx.operator},
    )?;

    // Cleared by data: new or confirmed findings that this scan covered and did not find.
    // Every hit got last_scan = this scan above, so "not found" is last_scan <> this scan.
    let cleared: Vec<(i64, String)> = {
        let mut stmt = tx.prepare(
            "UPDATE findings SET status = 'cleared', cleared_scan = :scan, status_date = :today,
                                 version = version + 1
             WHERE status IN ('new', 'confirmed') AND last_scan <> :scan
               AND EXISTS (SELECT 1 FROM temp.scan_cover c
                           WHERE c.rule = findings.rule
                             AND (c.max_subject IS NULL OR findings.subject <= c.max_subject))
             RETURNING id, rule",
        )?;
        let rows = stmt.query_map(named_params! {":scan": scan_id, ":today": today}, |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    {
        let mut hist = tx.prepare(
            "INSERT INTO finding_status_history(finding_id, business_date, status, resolution, operator)
             VALUES (?1, ?2, 'cleared', NULL, ?3)",
        )?;
        let mut sorted = cleared.clone();
        sorted.sort();
        for (id, rule) in &sorted {
            hist.execute(params![id, today, ctx.operator])?;
            counts
                .entry(rule.clone())
                .or_insert_with(|| RuleCount {
                    rule: rule.clone(),
                    ..RuleCount::default()
                })
                .cleared += 1;
        }
    }

    let per_rule = order_rules(counts);
    let mut totals = RuleCount {
        rule: "total".into(),
        ..RuleCount::default()
    };
    for c in &per_rule {
        totals.add(c);
    }
    let summary = ScanSummary {
        scan_id,
        as_of,
        business_date: ctx.today,
        per_rule,
        totals,
        kind: ev.kind,
        rejudged: ev.rejudged,
    };

    {
        let mut stmt = tx.prepare(
            "INSERT INTO scan_rule_counts(scan_id, rule, hits, new, cleared, suppressed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for c in &summary.per_rule {
            stmt.execute(params![
                scan_id,
                c.rule,
                c.hits as i64,
                c.new as i64,
                c.cleared as i64,
                c.suppressed as i64
            ])?;
        }
    }
    // What this scan judged, for the next one's incremental plan: before the log record, so
    // the record seals it (no `state.seal` of its own).
    incremental::record(tx, scan_id, ev.kind, &ev.state, ev.rejudged)?;
    let summary_json = summary.to_json();
    tx.execute(
        "UPDATE scans SET finished_at = ?1, summary = ?2 WHERE id = ?3",
        params![ctx.now_utc(), summary_json.to_string(), scan_id],
    )?;

    actionlog::append(
        tx,
        ctx,
        "scan",
        &format!("scan:{scan_id}"),
        &serde_json::json!({
            "as_of": as_of.to_string(),
            "rules": summary.per_rule.len(),
            "hits": summary.totals.hits,
            "new": summary.totals.new,
            "again": summary.totals.again,
            "again_closed": summary.totals.again_closed,
            "reopened": summary.totals.reopened,
            "cleared": summary.totals.cleared,
            "suppressed": summary.totals.suppressed,
            "kind": summary.kind.as_str(),
            "rejudged": summary.rejudged,
        }),
    )?;

    // One log record per reopened finding: recurrence (整改不到位) is what auditors look for.
    let reopened: Vec<(i64, String, String, String, String, Option<String>)> = {
        let mut stmt = tx.prepare(&format!(
            "SELECT h.finding_id, h.rule, h.cust_no, h.subject, h.prior_status, h.prior_resolution
             FROM temp.scan_hits h WHERE {REOPEN} ORDER BY h.finding_id"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (id, rule, cust_no, subject, status, resolution) in reopened {
        actionlog::append(
            tx,
            ctx,
            "finding.reopen",
            &format!("finding:{id}"),
            &serde_json::json!({
                "scan": scan_id,
                "rule": rule,
                "cust_no": cust_no,
                "subject": subject,
                "from_status": status,
                "from_resolution": resolution,
                "recurred": true,
            }),
        )?;
    }
    Ok(summary)
}

/// Built-in rules in catalogue order, then external rules by id.
fn order_rules(mut counts: BTreeMap<String, RuleCount>) -> Vec<RuleCount> {
    let mut out: Vec<RuleCount> = catalogue::RULES
        .iter()
        .filter_map(|d| counts.remove(d.id))
        .collect();
    out.extend(counts.into_values());
    out
}
