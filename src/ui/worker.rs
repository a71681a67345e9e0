//! Queries that read the whole findings table (a new filter's ordered ids, the dashboard's
//! counts), the tickets table (queues, a state's list), the report, the quality evaluation
//! (ranking, trend, drill-down) and the theme analysis run here, on a thread with its own
//! connection, so the screen never waits for them. Screens ask through the loader
//! (`loader::job`); only the newest request of each key is answered: a burst of filter keys
//! costs one query.
//! Every change an operator makes goes to a second thread (`Writer`), so a write that waits
//! for the dataset never freezes the screen.

use super::loader::LoadKey;
use crate::actions::{self, Action as Op};
use crate::context::Ctx;
use crate::db::Dataset;
use crate::error::JichaError;
use crate::progress::Progress;
use crate::quality;
use crate::quality::actions::QualityAction;
use crate::tickets::{self, Ticket};
use chrono::NaiveDate;
use std::any::Any;
use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

/// The dashboard's ticket panel and the counts of the tickets screen's queues.
#[derive(Debug, Clone, Default)]
pub struct TicketSummary {
    /// Open tickets, overdue first, then due within 3 days (`tickets::queue`).
    pub queue: Vec<Ticket>,
    /// Tickets per state, plus `open` and `overdue` (as `tickets::list` counts them).
    pub counts: BTreeMap<String, u64>,
    /// Open tickets past their due date: the header's "overdue tickets".
    pub overdue_open: u64,
    /// The open escalation notices (督办单), at most one per unit: the header's count and
    /// the dashboard's line of escalated units.
    pub escalations: Vec<crate::escalation::Escalation>,
}

pub fn ticket_summary(
    conn: &rusqlite::Connection,
    today: NaiveDate,
) -> crate::Result<TicketSummary> {
    let queue = tickets::queue(conn, today)?;
    let mut counts = tickets::count_by_state(conn)?;
    counts.insert("open".into(), queue.len() as u64);
    counts.insert(
        "overdue".into(),
        tickets::list(conn, Some("overdue"), today)?.len() as u64,
    );
    counts.insert(
        "inspections_overdue".into(),
        crate::inspections::overdue_count(conn, today)?,
    );
    let overdue_open = queue.iter().filter(|t| t.overdue).count() as u64;
    Ok(TicketSummary {
        queue,
        counts,
        overdue_open,
        escalations: crate::escalation::list(conn, true)?,
    })
}

/// A query for the loader's thread: it gets the thread's read connection (or why it could not
/// be opened) and the operator's language, and answers anything, boxed; `loader::job` makes
/// one from a typed query.
pub type JobFn =
    Box<dyn FnOnce(Result<&Dataset, &str>, crate::context::Lang) -> Box<dyn Any + Send> + Send>;

pub struct JobRequest {
    pub key: LoadKey,
    pub gen: u64,
    pub run: JobFn,
}

pub struct JobAnswer {
    pub key: LoadKey,
    pub gen: u64,
    pub value: Box<dyn Any + Send>,
}

/// The thread that runs the loader's jobs on its own connection.
pub struct QueryThread {
    tx: Sender<JobRequest>,
    pub rx: Receiver<JobAnswer>,
}

impl QueryThread {
    /// `lang`: the language the thread says why the dataset could not be opened in.
    pub fn start(path: &Path, lang: crate::context::Lang) -> QueryThread {
        let (tx, req_rx) = mpsc::channel::<JobRequest>();
        let (ans_tx, rx) = mpsc::channel::<JobAnswer>();
        let path = path.to_path_buf();
        std::thread::Builder::new()
            .name("jicha-query".into())
            .spawn(move || serve(&path, lang, req_rx, ans_tx))
            .expect("spawn the query thread");
        QueryThread { tx, rx }
    }

    pub fn send(&self, req: JobRequest) {
        // The thread only stops when this QueryThread is dropped.
        let _ = self.tx.send(req);
    }
}

fn serve(path: &Path, lang: crate::context::Lang, rx: Receiver<JobRequest>, tx: Sender<JobAnswer>) {
    let ds = Dataset::open(path).map_err(|e| e.text(lang));
    while let Ok(first) = rx.recv() {
        // Keep only the newest job of each key, in the order the keys were first asked for:
        // a burst of filter keys costs one query.
        let mut batch: Vec<JobRequest> = Vec::new();
        for req in std::iter::once(first).chain(rx.try_iter()) {
            match batch.iter_mut().find(|r| r.key == req.key) {
                Some(slot) => *slot = req,
                None => batch.push(req),
            }
        }
        for req in batch {
            let value = (req.run)(ds.as_ref().map_err(String::as_str), lang);
            let answer = JobAnswer {
                key: req.key,
                gen: req.gen,
                value,
            };
            if tx.send(answer).is_err() {
                return;
            }
        }
    }
}

/// Runs a scan on the dataset at the path given, reporting progress through the callback and
/// answering a one-line summary. `jicha`'s main connects this to `scan::run_scan`; the UI
/// shows the scan key as unavailable when it is not connected.
pub type ScanFn = Arc<
    dyn Fn(&Path, &Ctx, NaiveDate, crate::progress::Callback) -> Result<String, String>
        + Send
        + Sync,
>;

/// A scan running in the background: its progress, a cancel flag, and its outcome.
pub struct Job {
    pub progress: Arc<Mutex<Progress>>,
    pub cancel: Arc<AtomicBool>,
    pub done: Receiver<Result<String, String>>,
}

impl Job {
    pub fn start(scan: ScanFn, path: PathBuf, ctx: Ctx) -> Job {
        let progress = Arc::new(Mutex::new(Progress {
            stage: String::new(),
            done: 0,
            total: 0,
        }));
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, done) = mpsc::channel();
        let (p, c) = (progress.clone(), cancel.clone());
        std::thread::Builder::new()
            .name("jicha-scan".into())
            .spawn(move || {
                let mut cb = |pr: &Progress| {
                    if let Ok(mut slot) = p.lock() {
                        *slot = pr.clone();
                    }
                    if c.load(Ordering::SeqCst) {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    }
                };
                let today = ctx.today;
                let result = scan(&path, &ctx, today, &mut cb);
                let _ = tx.send(result);
            })
            .expect("spawn the scan thread");
        Job {
            progress,
            cancel,
            done,
        }
    }
}

/// A change the writer thread applies for the UI.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Actions with the `(id, version)`s the screen showed, applied in one transaction: every
    /// one, or (on the first refusal) none.
    Actions(Vec<(Op, Vec<(i64, i64)>)>),
    /// A hand-entered value of a quality indicator.
    Quality(QualityAction),
    /// An on-site inspection planned, recorded or cancelled (现场稽查).
    Inspection(crate::ui::screen::inspections::InspChange),
    /// A campaign action (专项稽查: 举一反三 from the detail screen).
    Campaign(crate::actions::campaigns::CampaignAction),
    /// A QC checklist score (稽查质检).
    Qc(crate::actions::qc::QcAction),
    /// Saving, deleting or pinning one of the operator's saved views.
    View(crate::actions::views::ViewChange),
    /// The operator's last status move undone, with the versions the moved findings had after it.
    Undo(crate::actions::undo::Undo, Vec<(i64, i64)>),
    /// A ticket submitted naming the person responsible and the accountability outcome, with
    /// the ticket's `(id, version)` as shown.
    Submit(
        crate::actions::deductions::SubmitAccountable,
        Vec<(i64, i64)>,
    ),
    /// A sample drawn (抽检), maybe with its inspections planned.
    Sample(crate::actions::sampling::SampleDraw),
    /// A reviewer's adjustment of a ticket's business deduction (`jicha deduction adjust`).
    Deduction(crate::actions::deductions::DeductionAction),
    /// A site rule enabled or disabled (`jicha rules enable|disable`).
    SiteRule(crate::actions::site_rules::SiteRuleAction),
}

impl Change {
    pub fn one(op: Op, seen: Vec<(i64, i64)>) -> Change {
        Change::Actions(vec![(op, seen)])
    }
}

pub struct WriteRequest {
    pub id: u64,
    pub ctx: Ctx,
    pub change: Change,
}

/// Why a change was refused. Nothing of it was applied.
#[derive(Debug, Clone)]
pub struct Refusal {
    /// The error as jicha words it for an operator.
    pub message: String,
    /// The refusal was for a record changed by someone else after the screen showed it.
    pub stale: bool,
    /// For a stale refusal over findings: every finding whose version is no longer the one
    /// the screen showed (ascending); empty when that cannot be told.
    pub changed: Vec<i64>,
}

pub struct WriteAnswer {
    pub id: u64,
    /// Each applied action's one-line outcome, in order.
    pub result: Result<Vec<String>, Refusal>,
}

/// The UI's writes, on a thread with its own connection: a change that waits for another
/// process's write lock (an import, a scan) waits here, never on the thread that draws.
pub struct Writer {
    tx: Sender<WriteRequest>,
    pub rx: Receiver<WriteAnswer>,
}

impl Writer {
    pub fn start(path: &Path) -> Writer {
        let (tx, req_rx) = mpsc::channel::<WriteRequest>();
        let (ans_tx, rx) = mpsc::channel::<WriteAnswer>();
        let path = path.to_path_buf();
        std::thread::Builder::new()
            .name("jicha-write".into())
            .spawn(move || write_serve(&path, req_rx, ans_tx))
            .expect("spawn the write thread");
        Writer { tx, rx }
    }

    pub fn send(&self, req: WriteRequest) {
        // The thread only stops when this Writer is dropped.
        let _ = self.tx.send(req);
    }
}

fn write_serve(path: &Path, rx: Receiver<WriteRequest>, tx: Sender<WriteAnswer>) {
    // Opened on the first change, and again after a failed open: a UI that only reads never
    // holds a second writable connection.
    let mut ds: Option<Dataset> = None;
    while let Ok(req) = rx.recv() {
        let result = match ds.as_mut() {
            Some(d) => apply_change(d, &req.ctx, &req.change),
            None => match Dataset::open(path) {
                Ok(mut d) => {
                    let r = apply_change(&mut d, &req.ctx, &req.change);
                    ds = Some(d);
                    r
                }
                Err(e) => Err(Refusal {
                    message: e.to_string(),
                    stale: false,
                    changed: Vec::new(),
                }),
            },
        };
        if tx.send(WriteAnswer { id: req.id, result }).is_err() {
            return;
        }
    }
}

fn apply_change(ds: &mut Dataset, ctx: &Ctx, change: &Change) -> Result<Vec<String>, Refusal> {
    let done = match change {
        Change::Actions(steps) => match steps.as_slice() {
            [(op, seen)] => {
                actions::perform_seen(ds, ctx, op, seen).map(|o| vec![o.text(ctx.lang)])
            }
            _ => actions::perform_all_seen(ds, ctx, steps)
                .map(|outs| outs.iter().map(|o| o.text(ctx.lang)).collect()),
        },
        Change::Quality(action) => {
            quality::actions::perform(ds, ctx, action).map(|o| vec![o.text(ctx.lang)])
        }
        Change::Inspection(change) => change.apply(ds, ctx).map(|o| vec![o.text(ctx.lang)]),
        Change::Campaign(action) => {
            crate::actions::campaigns::perform(ds, ctx, action).map(|o| vec![o.text(ctx.lang)])
        }
        Change::Qc(action) => {
            crate::actions::qc::perform(ds, ctx, action).map(|o| vec![o.text(ctx.lang)])
        }
        Change::View(change) => {
            actions::views::perform(ds, ctx, change).map(|o| vec![o.text(ctx.lang)])
        }
        Change::Undo(undo, seen) => {
            actions::undo::perform(ds, ctx, undo, seen).map(|o| vec![o.text(ctx.lang)])
        }
        Change::Submit(cmd, seen) => actions::deductions::submit_seen(ds, ctx, cmd, seen)
            .map(|outs| outs.iter().map(|o| o.text(ctx.lang)).collect()),
        Change::Sample(draw) => {
            actions::sampling::perform(ds, ctx, draw).map(|o| vec![o.text(ctx.lang)])
        }
        Change::Deduction(action) => {
            actions::deductions::perform(ds, ctx, action).map(|o| vec![o.text(ctx.lang)])
        }
        Change::SiteRule(action) => {
            actions::site_rules::perform(ds, ctx, action).map(|o| vec![o.text(ctx.lang)])
        }
    };
    done.map_err(|e| {
        let stale = matches!(e, JichaError::Stale(_));
        let changed = match change {
            Change::Actions(steps) if stale => changed_findings(&ds.conn, steps),
            _ => Vec::new(),
        };
        Refusal {
            message: e.text(ctx.lang),
            stale,
            changed,
        }
    })
}

/// The findings among those the steps were checked against whose version moved on since the
/// screen showed them. `actions` stops at the first; the operator is told about every one.
fn changed_findings(conn: &rusqlite::Connection, steps: &[(Op, Vec<(i64, i64)>)]) -> Vec<i64> {
    let mut out = Vec::new();
    for (op, seen) in steps {
        if !seen_are_findings(op) {
            continue;
        }
        for (id, version) in seen {
            if crate::findings::version_of(conn, *id) != Some(*version) {
                out.push(*id);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether an action's shown versions are findings' (else a whitelist entry's or a ticket's).
fn seen_are_findings(op: &Op) -> bool {
    matches!(
        op,
        Op::Confirm { .. }
            | Op::Close { .. }
            | Op::Reopen { .. }
            | Op::Note { .. }
            | Op::TicketCreate { .. }
            | Op::WhitelistAdd { .. }
    )
}
