//! The caller's thread while the workers run: the hits to the sink once every worker reads the
//! caller's version of the data, the progress to the callback (neither is `Send`).

use super::Msg;
use crate::error::{JichaError, Result};
use crate::progress::{self, Progress};
use crate::rules::{billing, Hit};
use std::collections::BTreeSet;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};

/// The hits heard, to the caller's sink as they come once every worker has said it reads the
/// caller's version of the data (before that, kept: a scan that must start again sends none).
pub(super) struct Sinking<'s> {
    sink: &'s mut dyn FnMut(Hit) -> Result<()>,
    workers: usize,
    ready: usize,
    stale: bool,
    early: Vec<Hit>,
}

impl<'s> Sinking<'s> {
    pub(super) fn new(workers: usize, sink: &'s mut dyn FnMut(Hit) -> Result<()>) -> Self {
        Sinking {
            sink,
            workers,
            ready: 0,
            stale: false,
            early: Vec::new(),
        }
    }

    pub(super) fn all_ready(&self) -> bool {
        self.ready == self.workers
    }

    pub(super) fn consistent(&self) -> bool {
        !self.stale
    }

    fn ready(&mut self, same: bool) -> Result<()> {
        if !same {
            self.stale = true;
            self.early.clear();
            return Ok(());
        }
        self.ready += 1;
        if self.all_ready() && !self.stale {
            for h in std::mem::take(&mut self.early) {
                (self.sink)(h)?;
            }
        }
        Ok(())
    }

    fn hit(&mut self, h: Hit) -> Result<()> {
        if self.stale {
            Ok(())
        } else if self.all_ready() {
            (self.sink)(h)
        } else {
            self.early.push(h);
            Ok(())
        }
    }
}

/// The caller's thread while the workers run: hits to the sink, progress to the callback.
pub(super) struct Caller<'s> {
    pub heard: Heard,
    pub sink: Sinking<'s>,
    pub failed: Option<JichaError>,
}

impl Caller<'_> {
    pub(super) fn take(
        &mut self,
        msg: Msg,
        cancel: &AtomicBool,
        progress: progress::Callback,
        customers: u64,
        tasks: u64,
    ) {
        if self.failed.is_some() || !self.sink.consistent() {
            // Draining: the workers stop at their next task or tick.
            return;
        }
        let r = match msg {
            Msg::Hit(h) => self.sink.hit(h),
            Msg::Ready(same) => {
                let r = self.sink.ready(same);
                if !same {
                    cancel.store(true, Ordering::Relaxed);
                }
                r
            }
            other => {
                self.heard.take(other);
                match self.heard.progress(customers, tasks) {
                    Some(at) => tell(progress, &at),
                    None => Ok(()),
                }
            }
        };
        if let Err(e) = r {
            cancel.store(true, Ordering::Relaxed);
            self.failed = Some(e);
        }
    }
}

fn tell(progress: progress::Callback, at: &Progress) -> Result<()> {
    match progress(at) {
        ControlFlow::Continue(()) => Ok(()),
        ControlFlow::Break(()) => Err(JichaError::Cancelled),
    }
}

/// What the caller's thread has heard from the workers.
pub(super) struct Heard {
    pub ran: Vec<String>,
    pub parts: Vec<billing::Part>,
    pub external: BTreeSet<String>,
    ticks: Vec<u64>,
    started: u64,
    last_stage: Option<String>,
    changed: bool,
}

impl Heard {
    pub(super) fn new(bill_parts: usize) -> Heard {
        Heard {
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
            Msg::Hit(_) | Msg::Ready(_) => {}
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::catalogue::Severity;

    fn hit(cust: &str) -> Hit {
        Hit {
            rule: "ARC-01".into(),
            cust_no: cust.into(),
            subject: "-".into(),
            severity: Severity::Low,
            level: None,
            evidence: "{}".into(),
            amount_yuan: None,
        }
    }

    #[test]
    fn hits_wait_until_every_worker_reads_the_callers_data() {
        let mut got: Vec<String> = Vec::new();
        let mut sink = |h: Hit| {
            got.push(h.cust_no);
            Ok(())
        };
        let mut s = Sinking::new(2, &mut sink);
        s.ready(true).unwrap();
        s.hit(hit("1")).unwrap();
        assert!(!s.all_ready());
        s.ready(true).unwrap();
        s.hit(hit("2")).unwrap();
        assert!(s.all_ready() && s.consistent());
        drop(s);
        assert_eq!(got, ["1", "2"]);
    }

    #[test]
    fn a_worker_on_other_data_sends_no_hit_at_all() {
        let mut got: Vec<String> = Vec::new();
        let mut sink = |h: Hit| {
            got.push(h.cust_no);
            Ok(())
        };
        let mut s = Sinking::new(3, &mut sink);
        s.ready(true).unwrap();
        s.hit(hit("1")).unwrap();
        s.ready(false).unwrap();
        s.ready(true).unwrap();
        s.hit(hit("2")).unwrap();
        assert!(!s.consistent());
        drop(s);
        assert!(got.is_empty(), "{got:?}");
    }
}
