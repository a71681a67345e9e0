//! One file of an export, in two threads. A reader thread (`load/reader.rs`) parses and checks
//! each record into compact owned rows (values plus physical line, text in a per-batch arena)
//! and sends them in batches over a bounded channel, so memory stays bounded whatever the file's
//! size; the calling thread, which holds the transaction (`load/writer.rs`), merges them with the
//! stored rows while the file is in key order (`load/merge.rs`: a row the same as the stored one
//! costs no write) and upserts the rest, several rows per statement. Parse, check and duplicate
//! errors come from the reader, missing-customer errors from the writer; both travel in row
//! order, so the error list reads exactly as a one-pass import would write it.

mod merge;
mod reader;
mod writer;

use super::contract::{FileSpec, MAX_COLUMNS};
use super::errors::{Errors, Warnings};
use super::files::Planned;
use super::history::{self, Seen};
use super::read_errors::{bad_record_message, read_err, stops_reading};
use super::records::{BadRecord, Problem, Records};
use super::values::Val;
use crate::context::Lang;
use crate::error::{JichaError, Result};
use crate::i18n::import::{column_named, StructureError};
use crate::i18n::import_read::{ExportProblem, RecordPart};
use crate::progress::{Callback, Progress};
use crate::text::escape;
use rusqlite::Transaction;
use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::mpsc::{channel, sync_channel};

/// How often (in rows) progress is reported and cancellation checked.
const PROGRESS_EVERY: u64 = 10_000;
/// Customers whose rows failed are remembered (up to this many) so that a bill for one of them
/// says "its row has errors" rather than "does not exist".
const MAX_BAD_CUSTOMERS: usize = 100_000;
/// Only customer numbers up to this long are remembered (real ones have about ten digits), so
/// that memory stays bounded when the numbers are long junk.
const MAX_REMEMBERED_CUST_NO: usize = 64;
/// Good rows per batch sent from the reader to the writer.
const BATCH_ROWS: usize = 4096;
/// A batch is also sent once its text reaches this size (rows with long text fields).
const BATCH_TEXT: usize = 4 << 20;
/// Batches in flight between the threads: the reader waits when the writer is this far behind.
const CHANNEL_BATCHES: usize = 4;
/// Rows per multi-row `INSERT` statement: fewer statements, and each page a statement touches is
/// copied to its statement journal once per statement rather than once per few rows.
const CHUNK_ROWS: usize = 256;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub rows: u64,
    pub inserted: u64,
    /// Rows that differed from the stored row of their key (its old version kept in history).
    pub updated: u64,
    /// Stored rows a full export's file no longer holds (moved to history).
    pub gone: u64,
}

/// What the files of one run share.
#[derive(Default)]
pub struct RunState {
    pub errors: Errors,
    pub warnings: Warnings,
    /// A file could not be read on (a limit was passed): the run goes no further.
    pub stopped: bool,
    bad_customers: HashMap<String, u64>,
    /// The language the operator reads the errors in.
    pub lang: Lang,
    /// Each file is the whole table (a full export): stored rows it lacks are gone.
    pub full: bool,
    /// The run's `imports.id` (history rows name it).
    pub import_id: i64,
    /// Customers this (full) run found gone: their stored rows of other files name a customer
    /// that is no longer there.
    pub customers_gone: u64,
}

impl RunState {
    pub fn new(warnings: Warnings) -> Self {
        RunState {
            warnings,
            ..Default::default()
        }
    }
}

/// A checked value of a row in a batch; text is a range of the batch's arena.
#[derive(Debug, Clone, Copy)]
enum Cell {
    Null,
    Text(u32, u32),
    Real(f64),
    Int(i64),
}

/// Something the writer must do before the row at its position: record a reader's error
/// (`None` once it can no longer be shown), record why the reader stopped (always shown), or
/// report progress (bytes read) and check for cancellation.
enum Event {
    Error(Option<String>),
    Stop(String),
    Progress(u64),
}

/// Checked rows of one file, in file order.
#[derive(Default)]
struct Batch {
    text: String,
    /// `columns` cells per row.
    cells: Vec<Cell>,
    /// The physical line each row starts on.
    lines: Vec<u64>,
    /// Events, each before the row whose index it holds (or after the last row).
    events: Vec<(usize, Event)>,
    /// The row from which on the file's keys are not in order (set in one batch of a file).
    unsorted_from: Option<usize>,
}

impl Batch {
    fn clear(&mut self) {
        self.text.clear();
        self.cells.clear();
        self.lines.clear();
        self.events.clear();
        self.unsorted_from = None;
    }

    fn val(&self, cell: Cell) -> Val<'_> {
        match cell {
            Cell::Null => Val::Null,
            Cell::Text(a, b) => Val::Text(&self.text[a as usize..b as usize]),
            Cell::Real(x) => Val::Real(x),
            Cell::Int(i) => Val::Int(i),
        }
    }
}

/// What the reader hands back at the end of a file.
struct ReadEnd {
    rows: u64,
    bad_customers: HashMap<String, u64>,
    /// Every key the file held (its good rows), with the line of its first row, once its keys
    /// were found out of order (`None`: in order throughout, the writer merged it).
    seen: Option<Seen>,
}

pub fn load_file(
    tx: &Transaction,
    planned: &Planned,
    import_id: i64,
    st: &mut RunState,
    progress: Callback,
) -> Result<Counts> {
    let spec = planned.spec;
    let name = spec.file;
    let mut report = |done: u64| {
        let p = Progress {
            stage: name.to_string(),
            done,
            total: planned.size,
        };
        match progress(&p) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(JichaError::Cancelled),
        }
    };
    report(0)?;
    // From the start: a busy dataset makes the whole import run again.
    let mut recs = planned.records().map_err(|e| read_err(name, e, st.lang))?;

    let Some(map) = read_header(spec, &mut recs, st)? else {
        return Ok(Counts::default());
    };
    let reader = reader::Reader {
        spec,
        planned,
        map,
        n_fields: recs.record.len(),
        errors_before: st.errors.total(),
        bad_room: MAX_BAD_CUSTOMERS.saturating_sub(st.bad_customers.len()),
        bad_customers: HashMap::new(),
        lang: st.lang,
    };

    let reader_errors_before = st.errors.total();
    let full = st.full;
    let (written, end) = std::thread::scope(|s| {
        let (to_writer, from_reader) = sync_channel(CHANNEL_BATCHES);
        let (recycle, recycled) = channel();
        let handle = std::thread::Builder::new()
            .name("import-reader".into())
            .spawn_scoped(s, move || reader.run(recs, to_writer, recycled))?;
        // `from_reader` is dropped when `write` returns, which stops a reader still sending.
        let written = writer::write(
            tx,
            spec,
            import_id,
            st,
            full,
            from_reader,
            recycle,
            &mut report,
        );
        let read = match handle.join() {
            Ok(r) => r,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        let written = written?;
        Ok::<_, JichaError>((written, read?))
    })?;
    for (cust, line) in end.bad_customers {
        st.bad_customers.entry(cust).or_insert(line);
    }
    let clean = st.errors.total() == reader_errors_before && !st.stopped;
    let gone = match (&end.seen, &written.merged) {
        _ if !(full && clean) => 0,
        (Some(seen), _) => history::mark_gone(tx, spec, seen)?,
        (None, Some(keys)) => history::delete_gone(tx, spec, keys)?,
        (None, None) => 0,
    };
    drop(end.seen);
    if spec.table == super::contract::CUSTOMERS.table {
        st.customers_gone = gone;
    }
    report(planned.size)?;
    let updated: i64 = tx.query_row(
        "SELECT count(*) FROM source_history WHERE replaced_by = ?1 AND file = ?2 AND kind = 'changed'",
        rusqlite::params![st.import_id, spec.file],
        |r| r.get(0),
    )?;
    let updated = updated as u64;
    tracing::debug!(
        file = spec.file,
        rows = end.rows,
        same = written.same,
        new = written.new,
        changed = written.changed,
        merged = written.merged.is_some(),
        changes = written.changes,
        "import file written"
    );
    Ok(Counts {
        rows: end.rows,
        // Each upsert counts a row it inserted or updated; the updates are those history kept.
        inserted: written.changes.saturating_sub(updated),
        updated,
        gone,
    })
}

fn event(ev: &Event, st: &mut RunState, report: &mut dyn FnMut(u64) -> Result<()>) -> Result<()> {
    match ev {
        Event::Error(msg) => st.errors.add_formatted(msg.clone()),
        Event::Stop(msg) => {
            st.errors.add_always(msg.clone());
            st.stopped = true;
        }
        Event::Progress(bytes) => report(*bytes)?,
    }
    Ok(())
}

/// Maps each contract column to its field in the file; `None` when the header has errors.
fn read_header<R: std::io::Read>(
    spec: &FileSpec,
    recs: &mut Records<R>,
    st: &mut RunState,
) -> Result<Option<[Option<usize>; MAX_COLUMNS]>> {
    let (name, lang) = (spec.file, st.lang);
    let line = match recs.next_record() {
        Ok(Some(line)) => line,
        Ok(None) => {
            st.errors
                .add(|| format!("{name}:1: {}", StructureError::EmptyFile.text(lang)));
            return Ok(None);
        }
        Err(BadRecord {
            problem: Problem::Io(e),
            ..
        }) => return Err(read_err(name, e, lang)),
        Err(bad) => {
            let field = |j: usize| ExportProblem::HeaderField { n: j + 1 }.text(lang);
            let msg = bad_record_message(name, &bad, RecordPart::Header, &field, lang);
            st.stopped |= stops_reading(&bad.problem);
            st.errors.add_always(msg);
            return Ok(None);
        }
    };
    let mut map = [None; MAX_COLUMNS];
    let mut ok = true;
    for (j, raw) in recs.record.iter().enumerate() {
        let Ok(text) = std::str::from_utf8(raw) else {
            st.errors.add(|| {
                format!(
                    "{name}:{line}: {}",
                    StructureError::HeaderNotUtf8.text(lang)
                )
            });
            return Ok(None);
        };
        // csv-core drops a leading BOM; this keeps a stray one from hiding the first column.
        let header = text.trim_start_matches('\u{feff}').trim();
        match spec.column_index(header) {
            Some(i) if map[i].is_some() => {
                st.errors.add(|| {
                    format!(
                        "{name}:{line}: {}: {}",
                        column_named(lang, header),
                        StructureError::AppearsTwice.text(lang)
                    )
                });
                ok = false;
            }
            Some(i) => map[i] = Some(j),
            None => st.warnings.add(|| {
                format!(
                    "{name}: {}",
                    StructureError::UnknownColumn {
                        shown: crate::text::truncate(&escape(header), 60).into_owned()
                    }
                    .text(lang)
                )
            }),
        }
    }
    for (i, col) in spec.columns.iter().enumerate() {
        if col.required && map[i].is_none() {
            st.errors.add(|| {
                format!(
                    "{name}:{line}: {}: {}",
                    column_named(lang, col.name),
                    StructureError::MissingColumn.text(lang)
                )
            });
            ok = false;
        }
    }
    Ok(ok.then_some(map))
}

fn missing_customer(st: &mut RunState, file: &str, line: u64, cust: &str) {
    let bad_line = st.bad_customers.get(cust).copied();
    let lang = st.lang;
    st.errors.add(|| {
        let cust = escape(cust).into_owned();
        let what = match bad_line {
            Some(at) => StructureError::CustomerHasErrors { cust, at },
            None => StructureError::NoSuchCustomer { cust },
        };
        format!("{file}:{line}: cust_no: {}", what.text(lang))
    });
}
