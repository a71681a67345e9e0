//! Writing the facts file alone (`Dataset::write_facts`): what the import does, so that it
//! never holds the workflow file's write lock (see `facts`).

use super::{busy, errors, Dataset};
use crate::error::{JichaError, Result};
use rusqlite::{Transaction, TransactionBehavior};

impl Dataset {
    /// Runs `work` in one transaction that writes the facts file only, and commits it. The
    /// transaction is DEFERRED (`BEGIN IMMEDIATE` would take the write lock of every attached
    /// file, the workflow file's too) and its first statement takes the facts file's write
    /// lock, so nothing it reads there can go stale under it; it may read the workflow file
    /// (a WAL read never blocks a writer) and must not write it (`work` writing a workflow
    /// table would take that lock until the commit: refused here, rolled back). While another
    /// import holds the facts file, the whole unit is retried as `write` is.
    pub fn write_facts<T>(&mut self, mut work: impl FnMut(&Transaction) -> Result<T>) -> Result<T> {
        let facts = super::facts::path_of(&self.path);
        match busy::retry(|| self.try_write_facts(&mut work)) {
            Err(e) if errors::is_read_only(&e) => Err(self.read_only_error()),
            Err(e) => Err(errors::explain(&facts, "importing", e)),
            ok => ok,
        }
    }

    fn try_write_facts<T>(
        &mut self,
        work: &mut impl FnMut(&Transaction) -> Result<T>,
    ) -> Result<T> {
        if self.conn.is_readonly(super::facts::SCHEMA)? {
            return Err(self.read_only_error());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)?;
        // A write first: it takes the facts file's write lock (waiting in the busy handler).
        tx.execute(
            "UPDATE facts.facts_meta SET value = value WHERE key = ?1",
            [super::facts::PAIR_KEY],
        )?;
        let value = work(&tx)?;
        crate::ledger::facts::forget_facts_notes(&tx)?;
        if writes_main(&tx)? {
            return Err(JichaError::Dataset(
                "internal error: a facts transaction wrote the workflow file; nothing was written"
                    .into(),
            ));
        }
        tx.commit()?;
        Ok(value)
    }
}

/// Whether the connection's transaction holds the workflow file's write lock.
fn writes_main(conn: &rusqlite::Connection) -> Result<bool> {
    use std::ffi::CString;
    let main = CString::new("main").unwrap_or_default();
    // SAFETY: a live connection handle and a NUL-terminated schema name.
    let state = unsafe { rusqlite::ffi::sqlite3_txn_state(conn.handle(), main.as_ptr()) };
    Ok(state == rusqlite::ffi::SQLITE_TXN_WRITE)
}
