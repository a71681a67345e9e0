//! The writer's part, on the thread that holds the transaction: each batch of checked rows is
//! merged with the stored rows while the file is in key order (`merge.rs`: a row the same as
//! the stored one is not written at all), the others upserted, several rows per statement; every
//! error is recorded in row order.

use super::merge::{Class, Merge};
use super::{event, missing_customer, Batch, RunState, CHUNK_ROWS};
use crate::error::Result;
use crate::i18n::import::StructureError;
use crate::import::contract::FileSpec;
use crate::text::escape;
use rusqlite::{ffi, CachedStatement, ErrorCode, Transaction};
use std::sync::mpsc::{Receiver, Sender};

/// Rows per statement for what is left of a batch after its `CHUNK_ROWS` chunks (a delta's
/// few new rows among many the same).
const SMALL_CHUNK_ROWS: usize = 16;

/// What the writer made of one row.
#[derive(Debug, Clone, Default)]
enum Outcome {
    #[default]
    Stored,
    MissingCustomer,
    /// The schema refused the row (a check the reader should have made).
    Refused(String),
}

/// What one file's writing did.
#[derive(Debug, Default)]
pub struct Written {
    /// Rows inserted or updated, as SQLite counts them (an upsert that finds its row the same
    /// changes nothing).
    pub changes: u64,
    /// The whole file was merged in key order: in a full export, the stored keys it lacks.
    pub merged: Option<Vec<Vec<String>>>,
    /// Rows found the same (not written), new and changed by the merge.
    pub same: u64,
    pub new: u64,
    pub changed: u64,
}

/// Writes every batch of the file. `full`: a full export (stored rows the file lacks are gone).
#[allow(clippy::too_many_arguments)]
pub fn write(
    tx: &Transaction,
    spec: &FileSpec,
    import_id: i64,
    st: &mut RunState,
    full: bool,
    from_reader: Receiver<Batch>,
    recycle: Sender<Batch>,
    report: &mut dyn FnMut(u64) -> Result<()>,
) -> Result<Written> {
    let mut w = Writer {
        spec,
        one: tx.prepare_cached(&spec.upsert_sql())?,
        many: tx.prepare_cached(&spec.upsert_rows_sql(CHUNK_ROWS))?,
        few: tx.prepare_cached(&spec.upsert_rows_sql(SMALL_CHUNK_ROWS))?,
        customer_exists: tx.prepare_cached("SELECT 1 FROM customers WHERE cust_no = ?1")?,
        import_id,
        // Exports list a customer's rows together, so most rows name the customer just checked.
        last_customer: String::new(),
        cust_idx: spec.column_index("cust_no"),
        // A stored row names a customer that is there, unless this run's customers went.
        stored_customers_exist: st.customers_gone == 0,
        changes: 0,
    };
    w.many.raw_bind_parameter(1, import_id)?;
    w.few.raw_bind_parameter(1, import_id)?;
    let mut merge = Some(Merge::new(tx, spec, full)?);
    let mut classes: Vec<Class> = Vec::new();
    let mut outcomes: Vec<Outcome> = Vec::new();
    let mut todo: Vec<usize> = Vec::new();
    for batch in from_reader {
        let n_rows = batch.lines.len();
        classes.clear();
        if let Some(m) = &mut merge {
            m.classify(
                &batch,
                0..batch.unsorted_from.unwrap_or(n_rows),
                &mut classes,
            )?;
        }
        if batch.unsorted_from.is_some() {
            // From here on the rows are upserted one by one: each may be anywhere in the table.
            if let Some(m) = merge.take() {
                let (same, new, changed) = (m.same, m.new, m.changed);
                tracing::debug!(
                    file = spec.file,
                    same,
                    new,
                    changed,
                    "merge given up: keys out of order"
                );
            }
        }
        // Rows out of key order: the upsert finds out what they are.
        classes.resize(n_rows, Class::New);
        outcomes.clear();
        outcomes.resize(n_rows, Outcome::Stored);
        todo.clear();
        for row in 0..n_rows {
            if !w.customer_ok(&batch, row, classes[row])? {
                outcomes[row] = Outcome::MissingCustomer;
            } else if classes[row] != Class::Same {
                todo.push(row);
            }
        }
        w.write_rows(&batch, &todo, &mut outcomes)?;
        record(spec, st, &batch, &outcomes, w.cust_idx, report)?;
        let mut batch = batch;
        batch.clear();
        // The reader may have finished and gone: then the batch is simply dropped.
        let _ = recycle.send(batch);
    }
    let mut out = Written {
        changes: w.changes,
        ..Written::default()
    };
    if let Some(mut m) = merge {
        m.finish()?;
        (out.same, out.new, out.changed) = (m.same, m.new, m.changed);
        out.merged = Some(std::mem::take(&mut m.gone));
    }
    Ok(out)
}

/// The batch's events and outcomes, in row order.
fn record(
    spec: &FileSpec,
    st: &mut RunState,
    batch: &Batch,
    outcomes: &[Outcome],
    cust_idx: Option<usize>,
    report: &mut dyn FnMut(u64) -> Result<()>,
) -> Result<()> {
    let (name, lang, n_cols) = (spec.file, st.lang, spec.columns.len());
    let mut events = batch.events.iter().peekable();
    for (row, outcome) in outcomes.iter().enumerate() {
        while let Some((_, ev)) = events.next_if(|(pos, _)| *pos <= row) {
            event(ev, st, report)?;
        }
        let line = batch.lines[row];
        match outcome {
            Outcome::Stored => {}
            Outcome::MissingCustomer => {
                let cells = &batch.cells[row * n_cols..(row + 1) * n_cols];
                let cust = cust_idx
                    .and_then(|i| batch.val(cells[i]).text())
                    .unwrap_or("");
                missing_customer(st, name, line, cust);
            }
            Outcome::Refused(msg) => st.errors.add(|| {
                format!(
                    "{name}:{line}: {}",
                    StructureError::RowRefused {
                        why: escape(msg).into_owned()
                    }
                    .text(lang)
                )
            }),
        }
    }
    for (_, ev) in events {
        event(ev, st, report)?;
    }
    Ok(())
}

struct Writer<'t> {
    spec: &'t FileSpec,
    /// The upsert of one row, of `CHUNK_ROWS` rows and of `SMALL_CHUNK_ROWS` rows.
    one: CachedStatement<'t>,
    many: CachedStatement<'t>,
    few: CachedStatement<'t>,
    customer_exists: CachedStatement<'t>,
    import_id: i64,
    last_customer: String,
    cust_idx: Option<usize>,
    stored_customers_exist: bool,
    /// Rows inserted or updated so far.
    changes: u64,
}

impl Writer<'_> {
    /// Whether the row's customer exists (rows that name no customer pass). A row the merge
    /// found stored names a customer that is there (unless this run's customers went); its
    /// customer is then remembered as the one just checked.
    fn customer_ok(&mut self, batch: &Batch, row: usize, class: Class) -> Result<bool> {
        if !self.spec.references_customer {
            return Ok(true);
        }
        let n_cols = self.spec.columns.len();
        let cust = self
            .cust_idx
            .and_then(|i| batch.val(batch.cells[row * n_cols + i]).text())
            .unwrap_or("");
        if cust != self.last_customer {
            let stored = class != Class::New && self.stored_customers_exist;
            if !stored && !self.customer_exists.exists([cust])? {
                return Ok(false);
            }
            self.last_customer.clear();
            self.last_customer.push_str(cust);
        }
        Ok(true)
    }

    /// Upserts the rows `todo` of the batch (their customers checked), as many at a time as
    /// the statements take.
    fn write_rows(&mut self, batch: &Batch, todo: &[usize], out: &mut [Outcome]) -> Result<()> {
        let mut k = 0;
        while k < todo.len() {
            let left = todo.len() - k;
            let n = if left >= CHUNK_ROWS {
                CHUNK_ROWS
            } else if left >= SMALL_CHUNK_ROWS {
                SMALL_CHUNK_ROWS
            } else {
                1
            };
            if n == 1 {
                out[todo[k]] = self.row(batch, todo[k])?;
            } else {
                self.chunk(batch, &todo[k..k + n], out)?;
            }
            k += n;
        }
        Ok(())
    }

    /// Upserts `rows` in one statement; falls back to one row at a time when the schema
    /// refuses a row, so that errors stay exact.
    fn chunk(&mut self, batch: &Batch, rows: &[usize], out: &mut [Outcome]) -> Result<()> {
        let n_cols = self.spec.columns.len();
        let stmt = if rows.len() == CHUNK_ROWS {
            &mut self.many
        } else {
            &mut self.few
        };
        for (r, &row) in rows.iter().enumerate() {
            let first = 2 + r * (n_cols + 1);
            for (c, &cell) in batch.cells[row * n_cols..(row + 1) * n_cols]
                .iter()
                .enumerate()
            {
                stmt.raw_bind_parameter(first + c, batch.val(cell))?;
            }
            stmt.raw_bind_parameter(first + n_cols, batch.lines[row] as i64)?;
        }
        match stmt.raw_execute() {
            Ok(n) => {
                self.changes += n as u64;
                Ok(())
            }
            // The statement changed nothing: redo its rows one by one to name the bad one.
            Err(rusqlite::Error::SqliteFailure(f, _))
                if f.code == ErrorCode::ConstraintViolation =>
            {
                for &row in rows {
                    out[row] = self.row(batch, row)?;
                }
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }

    fn row(&mut self, batch: &Batch, row: usize) -> Result<Outcome> {
        let n_cols = self.spec.columns.len();
        let cells = &batch.cells[row * n_cols..(row + 1) * n_cols];
        for (i, &cell) in cells.iter().enumerate() {
            self.one.raw_bind_parameter(i + 1, batch.val(cell))?;
        }
        self.one.raw_bind_parameter(n_cols + 1, self.import_id)?;
        self.one
            .raw_bind_parameter(n_cols + 2, batch.lines[row] as i64)?;
        match self.one.raw_execute() {
            Ok(n) => {
                self.changes += n as u64;
                Ok(Outcome::Stored)
            }
            Err(rusqlite::Error::SqliteFailure(f, msg))
                if f.code == ErrorCode::ConstraintViolation =>
            {
                if f.extended_code == ffi::SQLITE_CONSTRAINT_FOREIGNKEY
                    && self.spec.references_customer
                {
                    Ok(Outcome::MissingCustomer)
                } else {
                    // The checks above should catch everything the schema refuses; if one is
                    // missed, still name the row rather than abort with a bare SQLite error.
                    Ok(Outcome::Refused(
                        msg.unwrap_or_else(|| "constraint failed".into()),
                    ))
                }
            }
            Err(e) => Err(e.into()),
        }
    }
}
