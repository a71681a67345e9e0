//! A change on its way to the writer thread (`worker::Writer`), with what the UI does with its
//! answer. Screens make a `Write` and hand it over with `cx.perform`; the router sends it, shows
//! "waiting for the dataset…" and, once answered, tells every screen (`Screen::written`).

use super::worker::Change;
use crate::actions::Action as Op;
use std::time::Instant;

/// Findings an action applies to, with the versions the screen showed.
#[derive(Debug, Clone, PartialEq)]
pub struct Targets {
    pub seen: Vec<(i64, i64)>,
    /// Taken from the marks, not the row under the cursor: always confirmed with the count.
    pub marked: bool,
}

impl Targets {
    pub fn ids(&self) -> Vec<i64> {
        self.seen.iter().map(|(id, _)| *id).collect()
    }
    pub fn len(&self) -> usize {
        self.seen.len()
    }
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
    /// A bulk action, or one on a marked row that may not be under the cursor: ask first.
    pub fn needs_question(&self) -> bool {
        self.marked || self.len() > 1
    }
}

/// A change ready for the writer, with what the UI does with its answer.
#[derive(Debug, Clone)]
pub struct Write {
    pub change: Change,
    /// The marked findings it is for: unmarked once it is applied, still marked if refused.
    pub marked: Vec<i64>,
    /// The status line once applied, for a change of several actions (else its outcome).
    pub done: Option<String>,
}

impl Write {
    pub fn new(change: Change) -> Write {
        Write {
            change,
            marked: Vec::new(),
            done: None,
        }
    }

    /// An action on findings: when they are the marked ones, applying it unmarks them.
    pub fn on(op: Op, t: Targets) -> Write {
        let marked = if t.marked { t.ids() } else { Vec::new() };
        Write {
            change: Change::one(op, t.seen),
            marked,
            done: None,
        }
    }
}

/// A change sent to the writer and not answered yet.
pub struct Pending {
    pub id: u64,
    pub write: Write,
    pub since: Instant,
}
