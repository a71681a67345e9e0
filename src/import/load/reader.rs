//! The reader thread of one file: records to checked rows, in batches, with the errors in row
//! order. It also watches the order of the keys: while each key is greater than the one before
//! (a file in key order, as exports usually are), a key seen twice can only follow itself, so no
//! key needs remembering and the writer can merge the file with the stored rows; from the first
//! key out of order on, every key goes into a hash set (the keys before it are read again
//! from the file, at a reader position of their own), and the writer upserts row by row.

use super::{Batch, Cell, Event, ReadEnd};
use crate::context::Lang;
use crate::error::{JichaError, Result};
use crate::i18n::import::StructureError;
use crate::i18n::import_read::{ReadProblem, RecordPart};
use crate::import::contract::{FileSpec, MAX_COLUMNS};
use crate::import::errors::MAX_SHOWN;
use crate::import::files::Planned;
use crate::import::history::{self, Seen};
use crate::import::read_errors::{
    bad_record_message, field_name, not_utf8, read_err, stops_reading,
};
use crate::import::records::{BadRecord, Problem, Records};
use crate::import::values::{self, Val};
use crate::text::escape;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::mpsc::{Receiver, SyncSender};

use super::{BATCH_ROWS, BATCH_TEXT, MAX_REMEMBERED_CUST_NO, PROGRESS_EVERY};

/// The reader thread's part: records to checked rows.
pub(super) struct Reader<'p> {
    pub spec: &'static FileSpec,
    /// The file, read again from its start when its keys turn out not to be in order.
    pub planned: &'p Planned,
    pub map: [Option<usize>; MAX_COLUMNS],
    pub n_fields: usize,
    /// Errors of the run before this file: the reader formats only errors that may be shown.
    pub errors_before: u64,
    /// Bad customers this file may still add to the run's, and those it found.
    pub bad_room: usize,
    pub bad_customers: HashMap<String, u64>,
    /// The language the operator reads the errors in.
    pub lang: Lang,
}

impl Reader<'_> {
    #[allow(clippy::too_many_lines)] // the reader thread's hot loop over records; split, its per-record state would be passed through every call
    pub fn run(
        mut self,
        mut recs: Records<crate::import::files::Input<'_>>,
        out: SyncSender<Batch>,
        recycled: Receiver<Batch>,
    ) -> Result<ReadEnd> {
        let spec = self.spec;
        let name = spec.file;
        let n_fields = self.n_fields;
        let n_cols = spec.columns.len();
        let cust_idx = spec.column_index("cust_no");
        let order_idx: Vec<(usize, usize)> = spec
            .date_order
            .iter()
            .map(|(a, b)| {
                (
                    spec.column_index(a).expect("date column"),
                    spec.column_index(b).expect("date column"),
                )
            })
            .collect();
        let empty_as = spec
            .empty_as
            .map(|(c, v)| (spec.column_index(c).expect("column"), v));
        let key_idx: Vec<usize> = spec
            .key
            .iter()
            .map(|k| spec.column_index(k).expect("key column"))
            .collect();
        let mut keys = Keys::default();

        let mut errors = 0u64;
        let mut rows = 0u64;
        let mut b = Batch::default();
        // Records an error, formatting it only while it may be among those shown.
        let mut error = |b: &mut Batch, msg: &dyn Fn() -> String| {
            let shown = self.errors_before + errors < MAX_SHOWN as u64;
            errors += 1;
            let pos = b.lines.len();
            b.events.push((pos, Event::Error(shown.then(msg))));
        };
        loop {
            let line = match recs.next_record() {
                Ok(Some(line)) => line,
                Ok(None) => break,
                Err(BadRecord {
                    problem: Problem::Io(e),
                    ..
                }) => return Err(read_err(name, e, self.lang)),
                Err(bad) => {
                    rows += 1;
                    let lang = self.lang;
                    let field = |j| field_name(spec, &self.map, j, lang);
                    let msg = || bad_record_message(name, &bad, RecordPart::Row, &field, lang);
                    if stops_reading(&bad.problem) {
                        b.events.push((b.lines.len(), Event::Stop(msg())));
                        break;
                    }
                    error(&mut b, &msg);
                    keys.refused(bad.line);
                    continue;
                }
            };
            rows += 1;
            if rows.is_multiple_of(PROGRESS_EVERY) {
                b.events
                    .push((b.lines.len(), Event::Progress(recs.bytes_read())));
            }
            let rec = &recs.record;
            if rec.len() != n_fields {
                error(&mut b, &|| {
                    format!(
                        "{name}:{line}: {}",
                        StructureError::FieldCount {
                            fields: rec.len(),
                            header: n_fields
                        }
                        .text(self.lang)
                    )
                });
                keys.refused(line);
                continue;
            }
            let text_start = b.text.len();
            let mut vals = [Cell::Null; MAX_COLUMNS];
            let mut bad = false;
            for (i, col) in spec.columns.iter().enumerate() {
                let raw: &[u8] = self.map[i].map_or(b"", |j| &rec[j]);
                if raw.is_empty() {
                    if col.required {
                        error(&mut b, &|| {
                            format!(
                                "{name}:{line}: {}: {}",
                                col.name,
                                StructureError::EmptyRequired.text(self.lang)
                            )
                        });
                        bad = true;
                    } else if let Some((_, v)) = empty_as.filter(|(c, _)| *c == i) {
                        vals[i] = push_text(&mut b.text, v, self.lang)?;
                    }
                    continue;
                }
                let s = match std::str::from_utf8(raw) {
                    Ok(s) => s,
                    Err(e) => {
                        error(&mut b, &|| {
                            format!(
                                "{name}:{line}: {}: {}",
                                col.name,
                                not_utf8(raw, &e).text(self.lang)
                            )
                        });
                        bad = true;
                        continue;
                    }
                };
                match values::parse(col, s) {
                    Ok(Val::Null) => {}
                    Ok(Val::Text(t)) => vals[i] = push_text(&mut b.text, t, self.lang)?,
                    Ok(Val::Real(x)) => vals[i] = Cell::Real(x),
                    Ok(Val::Int(x)) => vals[i] = Cell::Int(x),
                    Err(why) => {
                        error(&mut b, &|| {
                            format!("{name}:{line}: {}: {}", col.name, why.text(self.lang))
                        });
                        bad = true;
                    }
                }
            }
            if !bad {
                for &(later, earlier) in &order_idx {
                    if let (Val::Text(a), Val::Text(e)) = (b.val(vals[later]), b.val(vals[earlier]))
                    {
                        // YYYY-MM-DD compares as text.
                        if a < e {
                            let (a, e) = (a.to_string(), e.to_string());
                            error(&mut b, &|| {
                                format!(
                                    "{name}:{line}: {}: {}",
                                    spec.columns[later].name,
                                    StructureError::DateBefore {
                                        later: a.clone(),
                                        earlier_col: spec.columns[earlier].name,
                                        earlier: e.clone(),
                                    }
                                    .text(self.lang)
                                )
                            });
                            bad = true;
                        }
                    }
                }
            }
            if !bad {
                let b_ref = &b;
                let key = key_idx
                    .iter()
                    .map(|&i| b_ref.val(vals[i]).text().unwrap_or(""));
                let at = b.lines.len();
                let (again, now_unsorted) =
                    keys.check(key, line, |refused| self.keys_before(line, refused))?;
                if now_unsorted {
                    b.unsorted_from = Some(at);
                }
                if let Some(first) = again {
                    let shown: Vec<String> = key_idx
                        .iter()
                        .map(|&i| escape(b.val(vals[i]).text().unwrap_or("")).into_owned())
                        .collect();
                    error(&mut b, &|| {
                        format!(
                            "{name}:{line}: {}: {}",
                            spec.key.join(", "),
                            StructureError::DuplicateKey {
                                shown: shown.join(" / "),
                                first: first as i64,
                                again: line,
                            }
                            .text(self.lang)
                        )
                    });
                    keys.refused(line);
                    b.text.truncate(text_start);
                    continue;
                }
            }
            if bad {
                keys.refused(line);
                if spec.table == "customers" && self.bad_customers.len() < self.bad_room {
                    if let Some(Val::Text(c)) = cust_idx.map(|i| b.val(vals[i])) {
                        if c.len() <= MAX_REMEMBERED_CUST_NO {
                            self.bad_customers.entry(c.to_string()).or_insert(line);
                        }
                    }
                }
                b.text.truncate(text_start);
                continue;
            }
            b.cells.extend_from_slice(&vals[..n_cols]);
            b.lines.push(line);
            if b.lines.len() >= BATCH_ROWS || b.text.len() >= BATCH_TEXT {
                let next = recycled.try_recv().unwrap_or_default();
                if out.send(std::mem::replace(&mut b, next)).is_err() {
                    // The writer stopped (cancelled or failed): it reports why.
                    return Ok(ReadEnd {
                        rows,
                        bad_customers: self.bad_customers,
                        seen: keys.seen,
                    });
                }
            }
        }
        if !b.lines.is_empty() || !b.events.is_empty() {
            // An error here means the writer stopped; it reports why.
            let _ = out.send(b);
        }
        Ok(ReadEnd {
            rows,
            bad_customers: self.bad_customers,
            seen: keys.seen,
        })
    }

    /// The keys of the good rows before `line`, read again from the file: the rows refused
    /// (`refused`, in line order) have none.
    fn keys_before(&self, line: u64, refused: &[u64]) -> Result<Seen> {
        let name = self.spec.file;
        let mut recs = self
            .planned
            .records_beside()
            .map_err(|e| read_err(name, e, self.lang))?;
        let key_cols: Vec<(usize, Option<&str>)> = self
            .spec
            .key
            .iter()
            .map(|k| {
                let i = self.spec.column_index(k).expect("key column");
                let empty = self.spec.empty_as.filter(|(c, _)| c == k).map(|(_, v)| v);
                (i, empty)
            })
            .collect();
        let mut seen = Seen::default();
        let mut refused = refused.iter().peekable();
        let mut header = true;
        loop {
            let at = match recs.next_record() {
                Ok(Some(at)) if at < line => at,
                Ok(_) => break,
                Err(BadRecord {
                    problem: Problem::Io(e),
                    ..
                }) => return Err(read_err(name, e, self.lang)),
                Err(_) => continue,
            };
            if std::mem::take(&mut header) {
                continue;
            }
            while refused.next_if(|r| **r < at).is_some() {}
            if refused.next_if(|r| **r == at).is_some() {
                continue;
            }
            let rec = &recs.record;
            let parts: Vec<&str> = key_cols
                .iter()
                .map(|&(i, empty)| {
                    let raw = self.map[i].map_or(&b""[..], |j| &rec[j]);
                    match (raw.is_empty(), empty) {
                        (true, Some(v)) => v,
                        _ => std::str::from_utf8(raw).unwrap_or(""),
                    }
                })
                .collect();
            seen.entry(history::key_hash(parts.iter().copied()))
                .or_insert(at);
        }
        Ok(seen)
    }
}

/// A key's parts, one after the other.
#[derive(Default)]
struct KeyBuf {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl KeyBuf {
    fn set<'a>(&mut self, parts: impl Iterator<Item = &'a str>) {
        self.bytes.clear();
        self.ends.clear();
        for p in parts {
            self.bytes.extend_from_slice(p.as_bytes());
            self.ends.push(self.bytes.len());
        }
    }

    /// How `parts` compares with this key, part by part as SQLite compares the key's columns
    /// (text by its bytes).
    fn cmp_parts<'a>(&self, parts: impl Iterator<Item = &'a str>) -> Ordering {
        let mut start = 0;
        for (k, p) in parts.enumerate() {
            let end = self.ends[k];
            match p.as_bytes().cmp(&self.bytes[start..end]) {
                Ordering::Equal => start = end,
                other => return other,
            }
        }
        Ordering::Equal
    }
}

/// The keys of the file so far: while in order only the last one (and the lines of the rows
/// refused, which have none); from the first key out of order on, every key in a hash set.
#[derive(Default)]
struct Keys {
    last: Option<(KeyBuf, u64)>,
    refused: Vec<u64>,
    seen: Option<Seen>,
}

impl Keys {
    fn refused(&mut self, line: u64) {
        if self.seen.is_none() {
            self.refused.push(line);
        }
    }

    /// The line of the first row with the same key, if any; and whether this row is the first
    /// out of order (`before` then gives the keys of the rows before it).
    fn check<'a>(
        &mut self,
        key: impl Iterator<Item = &'a str> + Clone,
        line: u64,
        before: impl FnOnce(&[u64]) -> Result<Seen>,
    ) -> Result<(Option<u64>, bool)> {
        if let Some(seen) = &mut self.seen {
            let first = *seen.entry(history::key_hash(key)).or_insert(line);
            return Ok(((first != line).then_some(first), false));
        }
        match &mut self.last {
            None => {
                let mut k = KeyBuf::default();
                k.set(key);
                self.last = Some((k, line));
                Ok((None, false))
            }
            Some((last, first)) => match last.cmp_parts(key.clone()) {
                Ordering::Greater => {
                    last.set(key);
                    *first = line;
                    Ok((None, false))
                }
                Ordering::Equal => Ok((Some(*first), false)),
                Ordering::Less => {
                    let mut seen = before(&self.refused)?;
                    self.refused = Vec::new();
                    self.last = None;
                    let first = *seen.entry(history::key_hash(key)).or_insert(line);
                    self.seen = Some(seen);
                    Ok(((first != line).then_some(first), true))
                }
            },
        }
    }
}

pub(super) fn push_text(arena: &mut String, s: &str, lang: Lang) -> Result<Cell> {
    let too_big = || JichaError::invalid(ReadProblem::RowTooBig.text(lang));
    let a = u32::try_from(arena.len()).map_err(|_| too_big())?;
    arena.push_str(s);
    let b = u32::try_from(arena.len()).map_err(|_| too_big())?;
    Ok(Cell::Text(a, b))
}
