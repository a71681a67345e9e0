//! The writer's merge of a file in key order with the stored rows of its table, read in the same
//! order (the tables are WITHOUT ROWID, clustered by their key): each row of the file is new,
//! the same as the stored one — nothing to write, no statement at all — or changed. In a full
//! export the stored rows the file steps over are gone. A re-import of an unchanged file then
//! costs one ordered read of the table beside the file, instead of an upsert (a key look-up)
//! per row.
//!
//! The stored rows are read per batch, by a statement that starts after the last key merged
//! and is reset before the batch's rows are written, so no write happens under an open read.

use super::Batch;
use crate::error::Result;
use crate::import::contract::FileSpec;
use crate::import::values::Val;
use rusqlite::types::ValueRef;
use rusqlite::{Row, Statement, Transaction};
use std::cmp::Ordering;
use std::ops::Range;

/// Stored rows a delta's file steps over (rows it does not carry) before the read seeks to the
/// file's next key instead: a sparse file costs a seek per row, a dense one a step.
const STEPS_BEFORE_SEEK: u32 = 16;

/// What a row of the file is to the stored table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    New,
    /// Every column equals the stored row's: nothing to write.
    Same,
    Changed,
}

/// The reads of the stored rows: from the start, after a key, from a key on.
struct Reads<'t> {
    from_start: Statement<'t>,
    after: Statement<'t>,
    at_least: Statement<'t>,
}

impl<'t> Reads<'t> {
    /// The statement that reads the stored rows from where row `r` is to be merged: in a full
    /// export right after the last key merged (every stored row is stepped over), in a delta
    /// from row `r`'s key.
    fn from(
        &mut self,
        full: bool,
        last: Option<&[String]>,
        key: impl Iterator<Item = String>,
    ) -> Result<&mut Statement<'t>> {
        if full {
            let Some(last) = last else {
                return Ok(&mut self.from_start);
            };
            for (k, v) in last.iter().enumerate() {
                self.after.raw_bind_parameter(k + 1, v.as_str())?;
            }
            return Ok(&mut self.after);
        }
        for (k, v) in key.enumerate() {
            self.at_least.raw_bind_parameter(k + 1, v)?;
        }
        Ok(&mut self.at_least)
    }
}

pub struct Merge<'t> {
    n_cols: usize,
    /// Positions of the key's columns among the file's, in key order.
    key_idx: Vec<usize>,
    reads: Reads<'t>,
    /// A full export: every stored row the file steps over is gone.
    full: bool,
    /// The key of the file's last row merged.
    last: Option<Vec<String>>,
    /// Stored keys a full export's file stepped over, in key order.
    pub gone: Vec<Vec<String>>,
    /// Rows of the file found the same, new and changed (for the diagnostic log).
    pub same: u64,
    pub new: u64,
    pub changed: u64,
}

impl<'t> Merge<'t> {
    pub fn new(tx: &'t Transaction, spec: &FileSpec, full: bool) -> Result<Merge<'t>> {
        let cols = spec.table_columns();
        let key = spec.table_key();
        let key_idx = spec
            .key
            .iter()
            .map(|k| spec.column_index(k).expect("key column"))
            .collect();
        let select = format!("SELECT {} FROM {}", cols.join(", "), spec.table);
        let order = format!("ORDER BY {}", key.join(", "));
        let params: Vec<String> = (1..=key.len()).map(|i| format!("?{i}")).collect();
        let (k, p) = (key.join(", "), params.join(", "));
        Ok(Merge {
            n_cols: cols.len(),
            key_idx,
            reads: Reads {
                from_start: tx.prepare(&format!("{select} {order}"))?,
                after: tx.prepare(&format!("{select} WHERE ({k}) > ({p}) {order}"))?,
                at_least: tx.prepare(&format!("{select} WHERE ({k}) >= ({p}) {order}"))?,
            },
            full,
            last: None,
            gone: Vec::new(),
            same: 0,
            new: 0,
            changed: 0,
        })
    }

    fn key_text<'b>(&self, batch: &'b Batch, row: usize, k: usize) -> &'b str {
        let cell = batch.cells[row * self.n_cols + self.key_idx[k]];
        batch.val(cell).text().unwrap_or("")
    }

    /// Classifies `rows` of the batch (in key order, each after the last merged), appending one
    /// class per row to `out`.
    pub fn classify(
        &mut self,
        batch: &Batch,
        rows: Range<usize>,
        out: &mut Vec<Class>,
    ) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut r = rows.start;
        while r < rows.end {
            let key = (0..self.key_idx.len()).map(|k| self.key_text(batch, r, k).to_string());
            let key: Vec<String> = key.collect();
            let stmt = self
                .reads
                .from(self.full, self.last.as_deref(), key.into_iter())?;
            let mut q = stmt.raw_query();
            let mut cur = q.next()?;
            let mut steps = 0u32;
            let mut seek = false;
            while r < rows.end {
                let Some(stored) = cur else {
                    out.push(Class::New);
                    r += 1;
                    continue;
                };
                match cmp_key(stored, &self.key_idx, |k| {
                    let cell = batch.cells[r * self.n_cols + self.key_idx[k]];
                    batch.val(cell).text().unwrap_or("")
                })? {
                    Ordering::Less if self.full => {
                        self.gone.push(stored_key(stored, &self.key_idx)?);
                        cur = q.next()?;
                    }
                    Ordering::Less => {
                        steps += 1;
                        if steps > STEPS_BEFORE_SEEK {
                            seek = true;
                            break;
                        }
                        cur = q.next()?;
                    }
                    Ordering::Equal => {
                        let same = same_row(stored, batch, r, self.n_cols, &self.key_idx)?;
                        out.push(if same { Class::Same } else { Class::Changed });
                        r += 1;
                        steps = 0;
                        cur = q.next()?;
                    }
                    Ordering::Greater => {
                        out.push(Class::New);
                        r += 1;
                    }
                }
            }
            if !seek {
                break;
            }
        }
        let last = rows.end - 1;
        self.last = Some(
            (0..self.key_idx.len())
                .map(|k| self.key_text(batch, last, k).to_string())
                .collect(),
        );
        for c in &out[out.len() - rows.len()..] {
            match c {
                Class::Same => self.same += 1,
                Class::New => self.new += 1,
                Class::Changed => self.changed += 1,
            }
        }
        Ok(())
    }

    /// A full export's file is read: the stored rows after its last key are gone too.
    pub fn finish(&mut self) -> Result<()> {
        if !self.full {
            return Ok(());
        }
        let stmt = self
            .reads
            .from(true, self.last.as_deref(), std::iter::empty())?;
        let mut q = stmt.raw_query();
        while let Some(stored) = q.next()? {
            self.gone.push(stored_key(stored, &self.key_idx)?);
        }
        Ok(())
    }
}

/// The stored key's text (key columns are text; anything else is shown as SQLite writes it).
fn stored_key(row: &Row<'_>, key_idx: &[usize]) -> Result<Vec<String>> {
    key_idx
        .iter()
        .map(|&i| {
            Ok(match row.get_ref(i)? {
                ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                ValueRef::Integer(n) => n.to_string(),
                ValueRef::Real(x) => x.to_string(),
                ValueRef::Null | ValueRef::Blob(_) => String::new(),
            })
        })
        .collect()
}

/// The stored row's key against the file row's (`part(k)`), as SQLite orders them: text by its
/// bytes, and (should a key hold another type) NULL and numbers before text, blobs after.
fn cmp_key<'b>(
    row: &Row<'_>,
    key_idx: &[usize],
    part: impl Fn(usize) -> &'b str,
) -> Result<Ordering> {
    for (k, &i) in key_idx.iter().enumerate() {
        let o = match row.get_ref(i)? {
            ValueRef::Text(t) => t.cmp(part(k).as_bytes()),
            ValueRef::Blob(_) => Ordering::Greater,
            _ => Ordering::Less,
        };
        if o != Ordering::Equal {
            return Ok(o);
        }
    }
    Ok(Ordering::Equal)
}

/// Whether every non-key column of the stored row equals the file row's.
fn same_row(
    row: &Row<'_>,
    batch: &Batch,
    r: usize,
    n_cols: usize,
    key_idx: &[usize],
) -> Result<bool> {
    for i in (0..n_cols).filter(|i| !key_idx.contains(i)) {
        if !same_value(row.get_ref(i)?, batch.val(batch.cells[r * n_cols + i])) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether SQLite's `stored IS NOT new` is false — or, where that is not plain (a number
/// against text), "not the same": a row wrongly called changed is only upserted, and the
/// upsert's own `WHERE … IS NOT …` leaves it alone; a row wrongly called the same would lose a
/// change, so only exact equality counts.
pub fn same_value(stored: ValueRef<'_>, new: Val<'_>) -> bool {
    match (stored, new) {
        (ValueRef::Null, Val::Null) => true,
        (ValueRef::Text(a), Val::Text(b)) => a == b.as_bytes(),
        (ValueRef::Real(a), Val::Real(b)) => a == b,
        (ValueRef::Integer(a), Val::Int(b)) => a == b,
        (ValueRef::Integer(a), Val::Real(b)) | (ValueRef::Real(b), Val::Int(a)) => {
            b.fract() == 0.0 && b.abs() < 9.0e15 && b as i64 == a
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_exact_equality_is_the_same() {
        assert!(same_value(ValueRef::Null, Val::Null));
        assert!(same_value(ValueRef::Text(b"a"), Val::Text("a")));
        assert!(!same_value(ValueRef::Text(b"a"), Val::Text("a ")));
        assert!(same_value(ValueRef::Real(12.5), Val::Real(12.5)));
        assert!(!same_value(ValueRef::Real(12.5), Val::Real(12.500001)));
        assert!(same_value(ValueRef::Integer(1), Val::Int(1)));
        assert!(same_value(ValueRef::Integer(3), Val::Real(3.0)));
        assert!(!same_value(ValueRef::Integer(3), Val::Real(3.5)));
        assert!(!same_value(ValueRef::Text(b"3"), Val::Real(3.0)));
        assert!(!same_value(ValueRef::Null, Val::Text("")));
        assert!(!same_value(ValueRef::Real(0.0), Val::Null));
    }
}
