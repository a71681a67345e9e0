//! Results that only an import can change (the bill sums of a range, the unit tree), kept for
//! the next report of the same dataset: the reports screen computes its report again after
//! every change any operator makes, and on a million customers these reads take seconds.
//! The key is the dataset's file, its latest import (id and time) and how many customers and
//! units it has; only an import writes customers, bills and units. Only the reports screen
//! uses it (`reports::compute_on_screen`): a command computes its report once.

use crate::error::Result;
use rusqlite::{Connection, OptionalExtension};
use std::sync::Mutex;

/// The dataset file, its latest import, its numbers of customers and units.
pub type ImportKey = (String, Option<(i64, String)>, i64, i64);

/// The key of what `conn`'s dataset holds now; None for a dataset without a file (in memory),
/// which is never cached.
pub fn import_key(conn: &Connection) -> Result<Option<ImportKey>> {
    let file = conn.path().unwrap_or("").to_string();
    if file.is_empty() {
        return Ok(None);
    }
    let import: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, at_utc FROM imports ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (customers, units) = conn.query_row(
        "SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM units)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Some((file, import, customers, units)))
}

/// The last few values by key.
pub struct Memo<K, V> {
    entries: Mutex<Vec<(K, V)>>,
}

const ENTRIES: usize = 8;

impl<K: PartialEq, V: Clone> Memo<K, V> {
    pub const fn new() -> Memo<K, V> {
        Memo {
            entries: Mutex::new(Vec::new()),
        }
    }

    /// The value kept for `key`, else `make`'s (kept when it succeeds).
    pub fn get_or(&self, key: K, make: impl FnOnce() -> Result<V>) -> Result<V> {
        let lock = || {
            self.entries
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some((_, v)) = lock().iter().find(|(k, _)| *k == key) {
            return Ok(v.clone());
        }
        let v = make()?;
        let mut e = lock();
        e.retain(|(k, _)| *k != key);
        if e.len() >= ENTRIES {
            e.remove(0);
        }
        e.push((key, v.clone()));
        Ok(v)
    }
}
