//! One file of an export, in two threads. A reader thread parses and checks each record into
//! compact owned rows (values plus physical line, text in a per-batch arena) and sends them in
//! batches over a bounded channel, so memory stays bounded whatever the file's size; the calling
//! thread, which holds the transaction, upserts them, several rows per statement. Parse and check
//! errors come from the reader, duplicate and missing-customer errors from the writer; both travel
//! in row order, so the error list reads exactly as a one-pass import would write it.

use super::contract::{FileSpec, MAX_COLUMNS};
use super::errors::{Errors, Warnings, MAX_SHOWN};
use super::files::Planned;
use super::history::{self, Seen};
use super::read_errors::{bad_record_message, field_name, not_utf8, read_err, stops_reading};
use super::records::{BadRecord, Problem, Records};
use super::values::{self, Val};
use crate::context::Lang;
use crate::error::{JichaError, Result};
use crate::i18n::import::{column_named, StructureError};
use crate::i18n::import_read::{ExportProblem, ReadProblem, RecordPart};
use crate::progress::{Callback, Progress};
use crate::text::escape;
use rusqlite::{ffi, CachedStatement, ErrorCode, Transaction};
use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};

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
}

impl Batch {
    fn clear(&mut self) {
        self.text.clear();
        self.cells.clear();
        self.lines.clear();
        self.events.clear();
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
    /// Every key the file held (its good rows), with the line of its first row.
    seen: Seen,
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
    let reader = Reader {
        spec,
        map,
        n_fields: recs.record.len(),
        errors_before: st.errors.total(),
        bad_room: MAX_BAD_CUSTOMERS.saturating_sub(st.bad_customers.len()),
        bad_customers: HashMap::new(),
        lang: st.lang,
    };

    let before = count(tx, spec)?;
    let reader_errors_before = st.errors.total();
    let (stored, end) = std::thread::scope(|s| {
        let (to_writer, from_reader) = sync_channel(CHANNEL_BATCHES);
        let (recycle, recycled) = channel();
        let handle = std::thread::Builder::new()
            .name("import-reader".into())
            .spawn_scoped(s, move || reader.run(recs, to_writer, recycled))?;
        // `from_reader` is dropped when `write` returns, which stops a reader still sending.
        let written = write(tx, spec, import_id, st, from_reader, recycle, &mut report);
        let read = match handle.join() {
            Ok(r) => r,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        let stored = written?;
        Ok::<_, JichaError>((stored, read?))
    })?;
    for (cust, line) in end.bad_customers {
        st.bad_customers.entry(cust).or_insert(line);
    }
    let clean = st.errors.total() == reader_errors_before && !st.stopped;
    let gone = if st.full && clean {
        history::mark_gone(tx, spec, &end.seen)?
    } else {
        0
    };
    drop(end.seen);
    report(planned.size)?;
    // Into an empty table every stored row is new: no need to count it again.
    let inserted = if before == 0 {
        stored
    } else {
        (count(tx, spec)? + gone).saturating_sub(before)
    };
    let updated: i64 = tx.query_row(
        "SELECT count(*) FROM source_history WHERE replaced_by = ?1 AND file = ?2 AND kind = 'changed'",
        rusqlite::params![st.import_id, spec.file],
        |r| r.get(0),
    )?;
    Ok(Counts {
        rows: end.rows,
        inserted,
        updated: updated as u64,
        gone,
    })
}

/// The reader thread's part: records to checked rows.
struct Reader {
    spec: &'static FileSpec,
    map: [Option<usize>; MAX_COLUMNS],
    n_fields: usize,
    /// Errors of the run before this file: the reader formats only errors that may be shown.
    errors_before: u64,
    /// Bad customers this file may still add to the run's, and those it found.
    bad_room: usize,
    bad_customers: HashMap<String, u64>,
    /// The language the operator reads the errors in.
    lang: Lang,
}

impl Reader {
    #[allow(clippy::too_many_lines)] // the reader thread's hot loop over records; split, its per-record state would be passed through every call
    fn run(
        mut self,
        mut recs: Records<super::files::Input<'_>>,
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
        let mut seen = Seen::default();

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
                let first = *seen.entry(history::key_hash(key)).or_insert(line);
                if first != line {
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
                    b.text.truncate(text_start);
                    continue;
                }
            }
            if bad {
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
                        seen,
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
            seen,
        })
    }
}

fn push_text(arena: &mut String, s: &str, lang: Lang) -> Result<Cell> {
    let too_big = || JichaError::invalid(ReadProblem::RowTooBig.text(lang));
    let a = u32::try_from(arena.len()).map_err(|_| too_big())?;
    arena.push_str(s);
    let b = u32::try_from(arena.len()).map_err(|_| too_big())?;
    Ok(Cell::Text(a, b))
}

/// What the writer made of one row.
enum Outcome {
    Stored,
    MissingCustomer,
    /// The schema refused the row (a check the reader should have made).
    Refused(String),
}

/// The writer's part, on the thread that holds the transaction: upserts every batch and records
/// every error in row order. Returns the number of rows stored (inserted or updated).
fn write(
    tx: &Transaction,
    spec: &FileSpec,
    import_id: i64,
    st: &mut RunState,
    from_reader: Receiver<Batch>,
    recycle: Sender<Batch>,
    report: &mut dyn FnMut(u64) -> Result<()>,
) -> Result<u64> {
    let (name, lang) = (spec.file, st.lang);
    let n_cols = spec.columns.len();
    let cust_idx = spec.column_index("cust_no");
    let mut w = Writer {
        spec,
        one: tx.prepare_cached(&spec.upsert_sql())?,
        many: tx.prepare_cached(&spec.upsert_rows_sql(CHUNK_ROWS))?,
        customer_exists: tx.prepare_cached("SELECT 1 FROM customers WHERE cust_no = ?1")?,
        import_id,
        // Exports list a customer's rows together, so most rows name the customer just checked.
        last_customer: String::new(),
        cust_idx,
    };
    w.many.raw_bind_parameter(1, import_id)?;
    let mut stored = 0u64;
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(CHUNK_ROWS);
    for batch in from_reader {
        let n_rows = batch.lines.len();
        let mut events = batch.events.iter().peekable();
        let mut start = 0;
        while start < n_rows {
            let end = if start + CHUNK_ROWS <= n_rows {
                start + CHUNK_ROWS
            } else {
                start + 1
            };
            outcomes.clear();
            if end - start == CHUNK_ROWS {
                w.chunk(&batch, start, &mut outcomes)?;
            } else {
                outcomes.push(w.row(&batch, start)?);
            }
            for (k, outcome) in outcomes.drain(..).enumerate() {
                let row = start + k;
                while let Some((_, ev)) = events.next_if(|(pos, _)| *pos <= row) {
                    event(ev, st, report)?;
                }
                let line = batch.lines[row];
                let cells = &batch.cells[row * n_cols..(row + 1) * n_cols];
                match outcome {
                    Outcome::Stored => stored += 1,
                    Outcome::MissingCustomer => {
                        let cust = cust_idx
                            .and_then(|i| batch.val(cells[i]).text())
                            .unwrap_or("");
                        missing_customer(st, name, line, cust);
                    }
                    Outcome::Refused(msg) => st.errors.add(|| {
                        format!(
                            "{name}:{line}: {}",
                            StructureError::RowRefused {
                                why: escape(&msg).into_owned()
                            }
                            .text(lang)
                        )
                    }),
                }
            }
            start = end;
        }
        for (_, ev) in events {
            event(ev, st, report)?;
        }
        let mut batch = batch;
        batch.clear();
        // The reader may have finished and gone: then the batch is simply dropped.
        let _ = recycle.send(batch);
    }
    Ok(stored)
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

struct Writer<'t> {
    spec: &'t FileSpec,
    /// The upsert of one row, and of `CHUNK_ROWS` rows.
    one: CachedStatement<'t>,
    many: CachedStatement<'t>,
    customer_exists: CachedStatement<'t>,
    import_id: i64,
    last_customer: String,
    cust_idx: Option<usize>,
}

impl Writer<'_> {
    /// Whether the row's customer exists (rows that name no customer pass).
    fn customer_ok(&mut self, batch: &Batch, row: usize) -> Result<bool> {
        if !self.spec.references_customer {
            return Ok(true);
        }
        let n_cols = self.spec.columns.len();
        let cust = self
            .cust_idx
            .and_then(|i| batch.val(batch.cells[row * n_cols + i]).text())
            .unwrap_or("");
        if cust != self.last_customer {
            if !self.customer_exists.exists([cust])? {
                return Ok(false);
            }
            self.last_customer.clear();
            self.last_customer.push_str(cust);
        }
        Ok(true)
    }

    /// Upserts `CHUNK_ROWS` rows from `start` in one statement; falls back to one row at a time
    /// when a row's customer is missing or the schema refuses a row, so that errors stay exact.
    fn chunk(&mut self, batch: &Batch, start: usize, out: &mut Vec<Outcome>) -> Result<()> {
        for row in start..start + CHUNK_ROWS {
            if !self.customer_ok(batch, row)? {
                return self.each_row(batch, start, out);
            }
        }
        let n_cols = self.spec.columns.len();
        for r in 0..CHUNK_ROWS {
            let row = start + r;
            let first = 2 + r * (n_cols + 1);
            for (c, &cell) in batch.cells[row * n_cols..(row + 1) * n_cols]
                .iter()
                .enumerate()
            {
                self.many.raw_bind_parameter(first + c, batch.val(cell))?;
            }
            self.many
                .raw_bind_parameter(first + n_cols, batch.lines[row] as i64)?;
        }
        match self.many.raw_execute() {
            // Rows equal to the stored ones change nothing: they are stored all the same.
            Ok(_) => {
                out.extend((0..CHUNK_ROWS).map(|_| Outcome::Stored));
                Ok(())
            }
            // The statement changed nothing: redo its rows one by one to name the bad one.
            Err(rusqlite::Error::SqliteFailure(f, _))
                if f.code == ErrorCode::ConstraintViolation =>
            {
                self.each_row(batch, start, out)
            }
            Err(e) => Err(e.into()),
        }
    }

    fn each_row(&mut self, batch: &Batch, start: usize, out: &mut Vec<Outcome>) -> Result<()> {
        for row in start..start + CHUNK_ROWS {
            out.push(self.row(batch, row)?);
        }
        Ok(())
    }

    fn row(&mut self, batch: &Batch, row: usize) -> Result<Outcome> {
        if !self.customer_ok(batch, row)? {
            return Ok(Outcome::MissingCustomer);
        }
        let n_cols = self.spec.columns.len();
        let cells = &batch.cells[row * n_cols..(row + 1) * n_cols];
        for (i, &cell) in cells.iter().enumerate() {
            self.one.raw_bind_parameter(i + 1, batch.val(cell))?;
        }
        self.one.raw_bind_parameter(n_cols + 1, self.import_id)?;
        self.one
            .raw_bind_parameter(n_cols + 2, batch.lines[row] as i64)?;
        match self.one.raw_execute() {
            Ok(_) => Ok(Outcome::Stored),
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

fn count(tx: &Transaction, spec: &FileSpec) -> Result<u64> {
    let n: i64 = tx.query_row(&format!("SELECT count(*) FROM {}", spec.table), [], |r| {
        r.get(0)
    })?;
    Ok(n as u64)
}
