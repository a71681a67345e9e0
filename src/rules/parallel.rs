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
use crate::progress::{self, Progress};
use crate::thresholds::Thresholds;
use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags};
use std::collections::{BTreeSet, VecDeque};
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex};

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
pub fn evaluate(
    conn: &Connection,
    th: &Thresholds,
    as_of: NaiveDate,
    threads: usize,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
    progress: progress::Callback,
) -> Result<Coverage> {
    let path = conn.path().filter(|p| !p.is_empty()).map(str::to_string);
    let Some(path) = path.filter(|_| threads > 1) else {
        return eval::evaluate(conn, th, as_of, sink, progress);
    };
    let imports = imports_seen(conn)?;
    let total_customers = billing::active_customers(conn, &billing::Range::ALL)?;
    let ranges = bill_ranges(conn, total_customers, threads)?;
    let mut tasks: VecDeque<Task> = ranges
        .into_iter()
        .enumerate()
        .map(|(k, r)| Task::Bills(k, r))
        .collect();
    let bill_parts = tasks.len();
    tasks.extend((0..SQL_RULES.len()).map(Task::Sql));
    tasks.extend([
        Task::Suspension,
        Task::RecentChange,
        Task::Address,
        Task::History,
        Task::External,
    ]);
    let total_tasks = tasks.len() as u64;
    let params = eval::sql_params(th, as_of);
    let queue = Mutex::new(tasks);
    let cancel = AtomicBool::new(false);
    let (tx, rx) = mpsc::channel::<Msg>();

    let outcome = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let tx = tx.clone();
                let (queue, cancel, params, path) = (&queue, &cancel, &params, path.as_str());
                scope.spawn(move || {
                    let r = work(path, imports, th, as_of, params, queue, cancel, &tx);
                    if r.is_err() {
                        cancel.store(true, Ordering::Relaxed);
                    }
                    r
                })
            })
            .collect();
        drop(tx);

        let mut heard = Heard::new(bill_parts);
        let mut failed: Option<JichaError> = None;
        for msg in rx {
            if failed.is_some() {
                continue;
            }
            heard.take(msg);
            if let Some(at) = heard.progress(total_customers, total_tasks) {
                if let Err(e) = tell(progress, &at) {
                    cancel.store(true, Ordering::Relaxed);
                    failed = Some(e);
                }
            }
        }
        let mut consistent = true;
        for w in workers {
            match w.join() {
                Ok(Ok(Consistent::Yes)) => {}
                Ok(Ok(Consistent::No)) => consistent = false,
                Ok(Err(e)) => {
                    failed.get_or_insert(e);
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        (heard, failed, consistent)
    });
    let (heard, failed, consistent) = outcome;
    // A worker's own error before the cancellation it caused in the others.
    if let Some(e) = failed {
        return Err(e);
    }
    if !consistent {
        // An import landed between the caller's snapshot and a worker's: the hits heard are of
        // two versions of the data. The caller's connection alone sees one.
        return eval::evaluate(conn, th, as_of, sink, progress);
    }
    for h in heard.hits {
        sink(h)?;
    }
    let arc10_ran = billing::finish(conn, heard.parts, sink)?;
    Ok(eval::coverage(
        th,
        as_of,
        &heard.ran,
        arc10_ran,
        heard.external,
    ))
}

enum Consistent {
    Yes,
    No,
}

fn tell(progress: progress::Callback, at: &Progress) -> Result<()> {
    match progress(at) {
        ControlFlow::Continue(()) => Ok(()),
        ControlFlow::Break(()) => Err(JichaError::Cancelled),
    }
}

/// What the caller's thread has heard from the workers.
struct Heard {
    /// Kept until every worker is done: a scan that must start again sends none of them.
    hits: Vec<Hit>,
    ran: Vec<String>,
    parts: Vec<billing::Part>,
    external: BTreeSet<String>,
    ticks: Vec<u64>,
    started: u64,
    last_stage: Option<String>,
    changed: bool,
}

impl Heard {
    fn new(bill_parts: usize) -> Heard {
        Heard {
            hits: Vec::new(),
            ran: Vec::new(),
            parts: Vec::new(),
            external: BTreeSet::new(),
            ticks: vec![0; bill_parts],
            started: 0,
            last_stage: None,
            changed: false,
        }
    }

    fn take(&mut self, msg: Msg) {
        match msg {
            Msg::Hit(h) => self.hits.push(h),
            Msg::Started(stage) => {
                self.started += 1;
                self.last_stage = Some(stage);
                self.changed = true;
            }
            Msg::Tick(k, done) => {
                self.ticks[k] = done;
                self.changed = true;
            }
            Msg::Ran(rule) => self.ran.push(rule),
            Msg::Part(p) => self.parts.push(p),
            Msg::External(e) => self.external = e,
        }
    }

    /// Progress to show after a message that moved it: the bill pass's customers while a part
    /// of it runs, else the stage last started among all.
    fn progress(&mut self, customers: u64, tasks: u64) -> Option<Progress> {
        if !std::mem::take(&mut self.changed) {
            return None;
        }
        let bills_running = self.parts.len() < self.ticks.len();
        let stage = self.last_stage.clone().unwrap_or_default();
        Some(if bills_running && stage.starts_with("bills") {
            Progress {
                stage: "bills (BIL, THF, ARC-10/11/14)".into(),
                done: self.ticks.iter().sum(),
                total: customers,
            }
        } else {
            Progress {
                stage,
                done: self.started,
                total: tasks,
            }
        })
    }
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
#[allow(clippy::too_many_arguments)] // the scan's shared, read-only state, borrowed for the scope
fn work(
    path: &str,
    imports: (i64, i64),
    th: &Thresholds,
    as_of: NaiveDate,
    params: &Params,
    queue: &Mutex<VecDeque<Task>>,
    cancel: &AtomicBool,
    tx: &mpsc::Sender<Msg>,
) -> Result<Consistent> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(crate::db::BUSY_TIMEOUT)?;
    // The source tables live in the facts file (`db::facts`).
    let _facts = if crate::db::facts::path_of(std::path::Path::new(path)).exists() {
        Some(crate::db::facts::attach(
            &conn,
            std::path::Path::new(path),
            crate::db::facts::Mode::ReadOnly,
        )?)
    } else {
        None
    };
    conn.execute_batch(&format!(
        "PRAGMA cache_size = {0}; PRAGMA facts.cache_size = {0}; BEGIN;",
        crate::scan::SCAN_CACHE_KIB
    ))?;
    if imports_seen(&conn)? != imports {
        return Ok(Consistent::No);
    }
    // The caller's thread listens until every worker is done: a send fails only if it stopped.
    let gone = || JichaError::Cancelled;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(JichaError::Cancelled);
        }
        let Some(task) = queue.lock().map_err(|_| gone())?.pop_front() else {
            break;
        };
        let stage = task.stage();
        tx.send(Msg::Started(stage.clone())).map_err(|_| gone())?;
        let since = std::time::Instant::now();
        let mut sink = |h: Hit| tx.send(Msg::Hit(h)).map_err(|_| gone());
        match &task {
            Task::Bills(k, range) => {
                let mut tick = |done: u64| {
                    if cancel.load(Ordering::Relaxed) {
                        return Err(JichaError::Cancelled);
                    }
                    tx.send(Msg::Tick(*k, done)).map_err(|_| gone())
                };
                let part = billing::run_range(&conn, th, as_of, range, &mut sink, &mut tick)?;
                tx.send(Msg::Part(part)).map_err(|_| gone())?;
            }
            Task::Sql(i) => {
                let rule = &SQL_RULES[*i];
                if rule.run(&conn, params, &mut sink)? {
                    tx.send(Msg::Ran(rule.id.to_string())).map_err(|_| gone())?;
                }
            }
            Task::Suspension => {
                suspension::run(&conn, th, as_of, &mut sink)?;
                tx.send(Msg::Ran(suspension::RULE.into()))
                    .map_err(|_| gone())?;
            }
            Task::RecentChange => {
                recent_change::run(&conn, th, &mut sink)?;
                tx.send(Msg::Ran(recent_change::RULE.into()))
                    .map_err(|_| gone())?;
            }
            Task::Address => {
                address::run(&conn, th, &mut sink)?;
                tx.send(Msg::Ran(address::RULE.into()))
                    .map_err(|_| gone())?;
            }
            Task::History => {
                history::run(&conn, th, as_of, &mut sink)?;
                for rule in history::RULES {
                    tx.send(Msg::Ran(rule.to_string())).map_err(|_| gone())?;
                }
            }
            Task::External => {
                let e = external::run(&conn, &mut sink)?;
                tx.send(Msg::External(e)).map_err(|_| gone())?;
            }
        }
        let ms = u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX);
        tracing::info!(stage = %stage, ms, "scan stage done");
    }
    Ok(Consistent::Yes)
}
