//! The rule pack on several read connections at once (the audit server has cores to spare
//! while one scan runs): the independent rules are tasks on a queue, the bill pass is split into
//! ranges of customer numbers, and the workers' hits come back to the caller's thread, which
//! alone calls `sink` and `progress` (the UI's progress callback is not `Send`).
//!
//! Every worker reads the same data as the caller's open read transaction: each checks, in its
//! own read transaction, that the dataset holds the same imports as the caller's; when one
//! landed in between the scan runs on the caller's connection alone, as [`super::evaluate`].
//! The order hits arrive in does not matter: the scan collects them in a table keyed by rule,
//! customer and subject.

use super::eval::{self, Coverage};
use super::sql_rules::{Params, SQL_RULES};
use super::{address, billing, external, history, recent_change, suspension, Hit};
use crate::error::{JichaError, Result};
use crate::progress;
use crate::thresholds::Thresholds;
use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags};
use std::collections::{BTreeSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex};

mod listen;
mod profile;

use listen::{Caller, Heard, Sinking};

/// Worker threads for a scan: `JICHA_SCAN_THREADS` when set (1 runs the scan on one connection,
/// as a baseline to measure against), else the cores the process may use, at most four.
pub fn threads() -> usize {
    std::env::var("JICHA_SCAN_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
                .min(4)
        })
}

/// One piece of the rule pack a worker runs on its own connection.
#[derive(Debug, Clone)]
enum Task {
    Bills(usize, billing::Range),
    Sql(usize),
    Suspension,
    RecentChange,
    Address,
    History,
    External,
}

impl Task {
    fn stage(&self) -> String {
        match self {
            Task::Bills(k, _) => format!("bills, part {}", k + 1),
            Task::Sql(i) => SQL_RULES[*i].id.to_string(),
            Task::Suspension => suspension::RULE.to_string(),
            Task::RecentChange => recent_change::RULE.to_string(),
            Task::Address => address::RULE.to_string(),
            Task::History => "source history".to_string(),
            Task::External => "external findings".to_string(),
        }
    }
}

/// What a worker tells the caller's thread.
enum Msg {
    /// Whether the worker's read transaction holds the caller's imports: sent before any hit.
    Ready(bool),
    Hit(Hit),
    Started(String),
    /// Customers of bill part `k` judged so far.
    Tick(usize, u64),
    Ran(String),
    Part(billing::Part),
    External(BTreeSet<String>),
}

/// As [`super::evaluate`], on `threads` connections to the file of `conn` (whose read
/// transaction is open). One thread, or a connection without a file, runs [`super::evaluate`].
/// With `JICHA_SCAN_PROFILE=1` each task's thread, times and CPU time go to stderr.
pub fn evaluate(
    conn: &Connection,
    th: &Thresholds,
    as_of: NaiveDate,
    threads: usize,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
    progress: progress::Callback,
) -> Result<Coverage> {
    let profile = profile::enabled().then(profile::Profile::new);
    let path = conn.path().filter(|p| !p.is_empty()).map(str::to_string);
    let Some(path) = path.filter(|_| threads > 1) else {
        let Some(prof) = &profile else {
            return eval::evaluate(conn, th, as_of, sink, progress);
        };
        let out = prof.time("main", "rule pack on one connection", || {
            eval::evaluate(conn, th, as_of, sink, progress)
        });
        eprint!("{}", profile::report(&prof.spans(), 1));
        return out;
    };
    let out = on_workers(conn, &path, th, as_of, threads, sink, progress, &profile);
    if let Some(prof) = &profile {
        eprint!("{}", profile::report(&prof.spans(), threads));
    }
    out
}

/// A phase of the scan after the rule pack (saving the findings), measured and printed to
/// stderr with `JICHA_SCAN_PROFILE=1`.
pub fn profile_phase<T>(name: &str, f: impl FnOnce() -> T) -> T {
    if !profile::enabled() {
        return f();
    }
    let p = profile::Profile::new();
    let out = p.time("main", name, f);
    for s in p.spans() {
        eprintln!(
            "scan profile, after the rule pack: {} {:.3} s wall, {:.3} s cpu",
            s.name,
            s.end.saturating_sub(s.start).as_secs_f64(),
            s.cpu.as_secs_f64()
        );
    }
    out
}

/// A serial phase of the caller's thread, measured when profiling.
fn serial<T>(profile: &Option<profile::Profile>, name: &str, f: impl FnOnce() -> T) -> T {
    match profile {
        Some(p) => p.time("main", name, f),
        None => f(),
    }
}

#[allow(clippy::too_many_arguments)] // `evaluate`'s arguments and the profile
fn on_workers(
    conn: &Connection,
    path: &str,
    th: &Thresholds,
    as_of: NaiveDate,
    threads: usize,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
    progress: progress::Callback,
    profile: &Option<profile::Profile>,
) -> Result<Coverage> {
    let (imports, total_customers, tasks) = serial(profile, "setup", || -> Result<_> {
        let imports = imports_seen(conn)?;
        let total_customers = billing::active_customers(conn, &billing::Range::ALL)?;
        let ranges = bill_ranges(conn, total_customers, threads)?;
        Ok((imports, total_customers, schedule(ranges)))
    })?;
    let bill_parts = tasks
        .iter()
        .filter(|t| matches!(t, Task::Bills(..)))
        .count();
    let total_tasks = tasks.len() as u64;
    let shared = Shared {
        path,
        imports,
        th,
        as_of,
        params: eval::sql_params(th, as_of),
        queue: Mutex::new(tasks),
        cancel: AtomicBool::new(false),
        profile: profile.as_ref(),
    };
    let (tx, rx) = mpsc::channel::<Msg>();

    let (heard, failed, stale) = std::thread::scope(|scope| {
        let workers: Vec<_> = (1..=threads)
            .map(|n| {
                let tx = tx.clone();
                let shared = &shared;
                scope.spawn(move || {
                    let r = work(n, shared, &tx);
                    if r.is_err() {
                        shared.cancel.store(true, Ordering::Relaxed);
                    }
                    r
                })
            })
            .collect();
        drop(tx);
        let mut caller = Caller {
            heard: Heard::new(bill_parts),
            sink: Sinking::new(threads, sink),
            failed: None,
        };
        let listened = std::time::Instant::now();
        let cpu = profile::thread_cpu();
        for msg in rx {
            caller.take(msg, &shared.cancel, progress, total_customers, total_tasks);
        }
        if let Some(p) = profile {
            p.push_sink(listened, cpu);
        }
        let stale = !caller.sink.consistent();
        for w in workers {
            match w.join() {
                Ok(Ok(())) => {}
                // A worker that saw another import stopped the others: their Cancelled is no
                // failure, the scan starts again on the caller's connection.
                Ok(Err(JichaError::Cancelled)) if stale => {}
                Ok(Err(e)) => {
                    caller.failed.get_or_insert(e);
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        debug_assert!(stale || caller.failed.is_some() || caller.sink.all_ready());
        (caller.heard, caller.failed, stale)
    });
    if stale {
        // An import landed between the caller's snapshot and a worker's: the workers saw
        // another version of the data and no hit went to the sink. The caller's connection
        // alone sees its own.
        return eval::evaluate(conn, th, as_of, sink, progress);
    }
    // A worker's own error before the cancellation it caused in the others.
    if let Some(e) = failed {
        return Err(e);
    }
    let arc10_ran = serial(profile, "bills: ARC-10 across the parts", || {
        billing::finish(conn, heard.parts, sink)
    })?;
    Ok(eval::coverage(
        th,
        as_of,
        &heard.ran,
        arc10_ran,
        heard.external,
    ))
}

/// What the workers share, borrowed for the scope of the scan.
struct Shared<'a> {
    path: &'a str,
    /// The imports the caller's snapshot holds: a worker seeing others stops the scan.
    imports: (i64, i64),
    th: &'a Thresholds,
    as_of: NaiveDate,
    params: Params,
    queue: Mutex<VecDeque<Task>>,
    cancel: AtomicBool,
    profile: Option<&'a profile::Profile>,
}

/// The tasks in the order the workers take them: the longest first, so that the last ones to
/// finish are short and no worker waits long for another at the end (longest-processing-time
/// list scheduling). The bill parts are the longest by far; then the other rules by what they
/// cost on the demo (`COST`).
fn schedule(ranges: Vec<billing::Range>) -> VecDeque<Task> {
    let mut rest: Vec<Task> = (0..SQL_RULES.len()).map(Task::Sql).collect();
    rest.extend([
        Task::Suspension,
        Task::RecentChange,
        Task::Address,
        Task::History,
        Task::External,
    ]);
    // Stable: tasks of equal cost keep the catalogue's order.
    rest.sort_by_key(|t| std::cmp::Reverse(cost(&t.stage())));
    ranges
        .into_iter()
        .enumerate()
        .map(|(k, r)| Task::Bills(k, r))
        .chain(rest)
        .collect()
}

/// CPU milliseconds of the costlier tasks outside the bill pass on the 200k demo
/// (`JICHA_SCAN_PROFILE=1`; the two bill parts took 1.7 s each); the others take under 30.
/// Only their order matters: it is the order the workers take them in.
const COST: &[(&str, u32)] = &[
    ("CON-01", 511),
    ("ARC-01", 409),
    ("MTR-03", 300),
    ("MTR-02", 265),
    ("MTR-01", 241),
    ("ARC-04", 223),
    ("MTR-05", 155),
    ("ARC-12", 107),
    ("ARC-02", 43),
    ("ARC-09", 38),
    ("SUS-04", 35),
    ("ARC-03", 34),
    ("MTR-04", 34),
];

fn cost(stage: &str) -> u32 {
    COST.iter()
        .find(|(task, _)| *task == stage)
        .map_or(0, |(_, ms)| *ms)
}

/// The ranges of customer numbers that split the `total` active customers into `n` parts of
/// about the same size (fewer for a small dataset).
fn bill_ranges(conn: &Connection, total: u64, n: usize) -> Result<Vec<billing::Range>> {
    let n = n as u64;
    if total < n * 1000 {
        return Ok(vec![billing::Range::ALL]);
    }
    let mut stmt = conn.prepare(
        "SELECT cust_no FROM customers WHERE status = 'active' ORDER BY cust_no LIMIT 1 OFFSET ?1",
    )?;
    let mut bounds: Vec<String> = Vec::new();
    for k in 1..n {
        let at = i64::try_from(total * k / n).unwrap_or(i64::MAX);
        let b: String = stmt.query_row([at], |r| r.get(0))?;
        if bounds.last() != Some(&b) {
            bounds.push(b);
        }
    }
    let mut ranges = Vec::new();
    let mut lo: Option<String> = None;
    for b in bounds {
        ranges.push(billing::Range {
            lo: lo.take(),
            hi: Some(b.clone()),
        });
        lo = Some(b);
    }
    ranges.push(billing::Range { lo, hi: None });
    Ok(ranges)
}

/// The imports the dataset holds as a connection's read transaction sees it.
fn imports_seen(conn: &Connection) -> Result<(i64, i64)> {
    Ok(conn.query_row(
        "SELECT count(*), coalesce(max(id), 0) FROM imports",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// One worker: its own read-only connection and read transaction, tasks off the queue until it
/// is empty or the scan is cancelled.
fn work(n: usize, shared: &Shared, tx: &mpsc::Sender<Msg>) -> Result<()> {
    // The caller's thread listens until every worker is done: a send fails only if it stopped.
    let gone = || JichaError::Cancelled;
    let me = n.to_string();
    let timed = |name: &str, f: &mut dyn FnMut() -> Result<()>| match shared.profile {
        Some(p) => p.time(&me, name, f),
        None => f(),
    };
    let mut conn = None;
    timed("open connection", &mut || {
        let (c, hold) = open(shared.path)?;
        let same = imports_seen(&c)? == shared.imports;
        tx.send(Msg::Ready(same)).map_err(|_| gone())?;
        conn = same.then_some((c, hold));
        Ok(())
    })?;
    let Some((conn, _facts)) = conn else {
        return Ok(());
    };
    loop {
        if shared.cancel.load(Ordering::Relaxed) {
            return Err(JichaError::Cancelled);
        }
        let Some(task) = shared.queue.lock().map_err(|_| gone())?.pop_front() else {
            break;
        };
        let stage = task.stage();
        tx.send(Msg::Started(stage.clone())).map_err(|_| gone())?;
        let since = std::time::Instant::now();
        timed(&stage, &mut || run_task(&conn, shared, &task, tx))?;
        let ms = u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX);
        tracing::info!(stage = %stage, ms, "scan stage done");
    }
    Ok(())
}

/// A worker's connection: read-only, the scan's page cache, its read transaction begun.
/// `JICHA_SCAN_MMAP_MIB=N` maps up to N MiB of the file instead of reading pages into each
/// connection's cache (a measurement knob; default 0, SQLite's reads).
fn open(path: &str) -> Result<(Connection, Option<crate::db::facts::FactsHold>)> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(crate::db::BUSY_TIMEOUT)?;
    // The source tables live in the facts file (`db::facts`).
    let dataset = std::path::Path::new(path);
    let facts = if crate::db::facts::path_of(dataset).exists() {
        Some(crate::db::facts::attach(
            &conn,
            dataset,
            crate::db::facts::Mode::ReadOnly,
        )?)
    } else {
        None
    };
    let mmap: i64 = std::env::var("JICHA_SCAN_MMAP_MIB")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    conn.execute_batch(&format!(
        "PRAGMA cache_size = {0}; PRAGMA mmap_size = {1}; {2} BEGIN;",
        crate::scan::SCAN_CACHE_KIB,
        mmap * 1024 * 1024,
        if facts.is_some() {
            format!(
                "PRAGMA facts.cache_size = {}; PRAGMA facts.mmap_size = {};",
                crate::scan::SCAN_CACHE_KIB,
                mmap * 1024 * 1024
            )
        } else {
            String::new()
        }
    ))?;
    Ok((conn, facts))
}

fn run_task(conn: &Connection, shared: &Shared, task: &Task, tx: &mpsc::Sender<Msg>) -> Result<()> {
    let gone = || JichaError::Cancelled;
    let (th, as_of) = (shared.th, shared.as_of);
    let mut sink = |h: Hit| tx.send(Msg::Hit(h)).map_err(|_| gone());
    match task {
        Task::Bills(k, range) => {
            let mut tick = |done: u64| {
                if shared.cancel.load(Ordering::Relaxed) {
                    return Err(JichaError::Cancelled);
                }
                tx.send(Msg::Tick(*k, done)).map_err(|_| gone())
            };
            let part = billing::run_range(conn, th, as_of, range, &mut sink, &mut tick)?;
            tx.send(Msg::Part(part)).map_err(|_| gone())?;
        }
        Task::Sql(i) => {
            let rule = &SQL_RULES[*i];
            if rule.run(conn, &shared.params, &mut sink)? {
                tx.send(Msg::Ran(rule.id.to_string())).map_err(|_| gone())?;
            }
        }
        Task::Suspension => {
            suspension::run(conn, th, as_of, &mut sink)?;
            tx.send(Msg::Ran(suspension::RULE.into()))
                .map_err(|_| gone())?;
        }
        Task::RecentChange => {
            recent_change::run(conn, th, &mut sink)?;
            tx.send(Msg::Ran(recent_change::RULE.into()))
                .map_err(|_| gone())?;
        }
        Task::Address => {
            address::run(conn, th, &mut sink)?;
            tx.send(Msg::Ran(address::RULE.into()))
                .map_err(|_| gone())?;
        }
        Task::History => {
            history::run(conn, th, as_of, &mut sink)?;
            for rule in history::RULES {
                tx.send(Msg::Ran(rule.to_string())).map_err(|_| gone())?;
            }
        }
        Task::External => {
            let e = external::run(conn, &mut sink)?;
            tx.send(Msg::External(e)).map_err(|_| gone())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_holds_every_task_once_the_longest_first() {
        let ranges = vec![
            billing::Range {
                lo: None,
                hi: Some("5".into()),
            },
            billing::Range {
                lo: Some("5".into()),
                hi: None,
            },
        ];
        let tasks: Vec<String> = schedule(ranges).iter().map(Task::stage).collect();
        assert_eq!(tasks[..2], ["bills, part 1", "bills, part 2"]);
        let mut sorted = tasks.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), tasks.len(), "no task twice: {tasks:?}");
        assert_eq!(tasks.len(), 2 + SQL_RULES.len() + 5);
        for rule in SQL_RULES {
            assert!(tasks.iter().any(|t| t == rule.id), "{} scheduled", rule.id);
        }
        // The other tasks in falling cost; the costliest one right after the bill parts.
        let costs: Vec<u32> = tasks[2..].iter().map(|t| cost(t)).collect();
        assert!(costs.windows(2).all(|w| w[0] >= w[1]), "{tasks:?}");
        let max = COST.iter().map(|(_, ms)| *ms).max().unwrap();
        assert_eq!(cost(&tasks[2]), max);
        assert!(COST.iter().all(|(task, _)| tasks.iter().any(|t| t == task)));
    }
}
