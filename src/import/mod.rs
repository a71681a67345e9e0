//! `jicha import DIR`: reads an export directory (the CSV files of `spec/data-contract.md`)
//! into the dataset, all-or-nothing, in one transaction of the facts file (`db::facts`), which
//! never takes the workflow file's write lock; its log record follows in a short workflow
//! write (`land`: how the two land whole or not at all, also when the import is killed).
//!
//! Rows are checked and upserted as they are read; errors are collected and, if there is any,
//! the transaction is rolled back, so a failed or cancelled run writes nothing. Each run gets a
//! new `imports.id` that is stored on every row it writes: an upsert that changes nothing then
//! means the key was already written by this run, i.e. a duplicate in the file.

pub mod contract;
pub mod decode;
mod errors;
mod files;
pub mod history;
pub mod land;
mod load;
mod read_errors;
pub mod records;
mod units;
pub mod values;

use crate::context::{Ctx, Role};
use crate::db::Dataset;
use crate::error::{JichaError, Result};
use crate::i18n::import_read::ExportProblem;
use crate::progress::Callback;
use crate::text::escape;
use rusqlite::Transaction;
use serde_json::json;
use std::fmt;
use std::path::Path;

pub use decode::Encoding;
pub use errors::MAX_SHOWN as MAX_ERRORS_SHOWN;

/// SQLite page cache for the import, in KiB (negative = KiB for `PRAGMA cache_size`): large
/// enough that upserts into a big table mostly hit memory, bounded so memory does not grow with
/// the file. The previous setting is restored afterwards.
const IMPORT_CACHE_KIB: i64 = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSummary {
    pub file: String,
    /// Data rows read (header excluded).
    pub rows: u64,
    /// Rows whose key was not in the dataset before.
    pub inserted: u64,
    /// Rows that differed from the stored row with the same key (the old one kept in
    /// `source_history`); rows equal to the stored one are not rewritten.
    pub updated: u64,
    /// Stored rows this (full) export's file no longer holds, moved to `source_history`
    /// as gone; their customer's rows of other files go with a gone customer.
    pub gone: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// `imports.id` of this run; rows it wrote carry it as `import_id`.
    pub import_id: i64,
    pub source_dir: String,
    /// The files imported, customers first.
    pub files: Vec<FileSummary>,
    /// Ignored files and columns: the first `MAX_ERRORS_SHOWN`, then `… and N more warnings`.
    pub warnings: Vec<String>,
    /// Warnings in all, shown or not.
    pub warnings_total: u64,
    /// SHA-256 over the source history rows this run wrote (also in its log record).
    pub history_digest: String,
}

/// How an export is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportOptions {
    pub encoding: Encoding,
    /// A delta (or partial) export: its files hold only new and changed rows, so a stored row
    /// missing from them is kept — what `import_dir` and `jicha import` do unless told `--full`.
    /// Otherwise (`delta: false`) every file present is its whole table and the rows it lacks
    /// are gone (a file absent from the export says nothing about its table).
    pub delta: bool,
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "import {} from {}",
            self.import_id,
            escape(&self.source_dir)
        )?;
        for s in &self.files {
            writeln!(
                f,
                "  {:<22} {:>10} rows  {:>10} new  {:>10} updated  {:>8} gone",
                s.file, s.rows, s.inserted, s.updated, s.gone
            )?;
        }
        match self.warnings_total {
            0 => {}
            1 => writeln!(f, "1 warning:")?,
            n => writeln!(f, "{n} warnings:")?,
        }
        for w in &self.warnings {
            writeln!(f, "  {w}")?;
        }
        Ok(())
    }
}

/// Imports every contract file found in `dir`. On any data error returns
/// `JichaError::Import(lines)` (at most `MAX_ERRORS_SHOWN` lines plus a count) and writes
/// nothing; when `progress` answers `Break`, returns `JichaError::Cancelled` and writes nothing.
pub fn import_dir(
    ds: &mut Dataset,
    ctx: &Ctx,
    dir: &Path,
    progress: Callback,
) -> Result<ImportSummary> {
    import_dir_encoded(ds, ctx, dir, Encoding::Utf8, progress)
}

/// `import_dir` for an export whose CSV files are in `encoding` (`--encoding gb18030`).
pub fn import_dir_encoded(
    ds: &mut Dataset,
    ctx: &Ctx,
    dir: &Path,
    encoding: Encoding,
    progress: Callback,
) -> Result<ImportSummary> {
    // Rows missing from a file are kept unless the caller says the export is full (`--full`):
    // a partial export must never make the rest of a table gone.
    let options = ImportOptions {
        encoding,
        delta: true,
    };
    import_dir_with(ds, ctx, dir, options, progress)
}

/// `import_dir` with its options (`--encoding`, `--delta`).
pub fn import_dir_with(
    ds: &mut Dataset,
    ctx: &Ctx,
    dir: &Path,
    options: ImportOptions,
    progress: Callback,
) -> Result<ImportSummary> {
    ctx.require(Role::Auditor, "import")?;
    let mut warnings = errors::Warnings::default();
    let plan = files::plan(dir, options.encoding, &mut warnings, ctx.lang)?;
    let source_dir = dir
        .canonicalize()
        .unwrap_or_else(|_| dir.to_path_buf())
        .display()
        .to_string();

    let cache: i64 = ds
        .conn
        .query_row("PRAGMA facts.cache_size", [], |r| r.get(0))?;
    let foreign_keys: i64 = ds.conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
    let temp_store: i64 = ds.conn.query_row("PRAGMA temp_store", [], |r| r.get(0))?;
    // The loader checks `cust_no` itself, once per run of rows of one customer, instead of
    // SQLite probing `customers` for every row; the pragma only takes effect outside a
    // transaction, hence here. Statement journals (each multi-row upsert has one) are kept in
    // memory rather than in a temporary file.
    ds.conn.execute_batch(&format!(
        "PRAGMA facts.cache_size = -{IMPORT_CACHE_KIB}; PRAGMA foreign_keys = OFF; PRAGMA temp_store = MEMORY"
    ))?;
    let result = ds.write_facts(|tx| {
        run(
            tx,
            ctx,
            &plan,
            &source_dir,
            &warnings,
            options.delta,
            &mut *progress,
        )
    });
    let restored = ds.conn.execute_batch(&format!(
        "PRAGMA facts.cache_size = {cache}; PRAGMA foreign_keys = {foreign_keys}; PRAGMA temp_store = {temp_store}"
    ));
    let summary = result?;
    restored?;
    land::after_commit(summary.import_id)?;
    // The facts commit is the import: its log record is written now (or, should this fail or
    // the process die first, by the next jicha to open the dataset).
    if let Err(e) = land::land_pending(ds) {
        eprintln!(
            "jicha: warning: import {} is in the dataset, but its log record could not be written yet ({e}); the next jicha command on the dataset writes it",
            summary.import_id
        );
    }
    Ok(summary)
}

/// The ledger's digests of the source tables after this import, as JSON: the tables its files
/// wrote are read again, the others keep the previous import's (`source_digests_after`).
fn source_digests(tx: &Transaction, import_id: i64, files: &[FileSummary]) -> Result<String> {
    let written: std::collections::BTreeSet<String> = files
        .iter()
        .filter(|f| f.inserted + f.updated + f.gone > 0)
        .map(|f| f.file.clone())
        .collect();
    let digests = crate::ledger::facts::source_digests_after(tx, import_id, &written)?;
    Ok(serde_json::to_value(digests)
        .unwrap_or_default()
        .to_string())
}

fn run(
    tx: &Transaction,
    ctx: &Ctx,
    plan: &[files::Planned],
    source_dir: &str,
    warnings: &errors::Warnings,
    delta: bool,
    progress: Callback,
) -> Result<ImportSummary> {
    tx.execute(
        "INSERT INTO imports(at_utc, business_date, operator, source_dir, summary) VALUES (?1, ?2, ?3, ?4, '{}')",
        rusqlite::params![ctx.now_utc(), ctx.today.to_string(), ctx.operator, source_dir],
    )?;
    let import_id = tx.last_insert_rowid();
    let mut st = load::RunState::new(warnings.clone());
    st.lang = ctx.lang;
    st.full = !delta;
    st.import_id = import_id;
    history::install(tx, import_id)?;
    let mut files = Vec::with_capacity(plan.len());
    let mut units_file = None;
    for p in plan {
        let errors_before = st.errors.total();
        let c = load::load_file(tx, p, import_id, &mut st, &mut *progress)?;
        if p.spec.table == contract::UNITS.table {
            units_file = Some(units::UnitsFile {
                name: p.spec.file,
                clean: st.errors.total() == errors_before,
            });
        }
        files.push(FileSummary {
            file: p.spec.file.to_string(),
            rows: c.rows,
            inserted: c.inserted,
            updated: c.updated,
            gone: c.gone,
        });
        if st.stopped {
            // A file that cannot be read as CSV at all: its error says why; the other files
            // would only add noise (every row naming a customer of an unread file).
            break;
        }
    }
    if st.errors.is_empty() && files.first().is_some_and(|f| f.gone > 0) {
        history::cascade(tx)?;
    }
    if !st.stopped {
        units::check(tx, import_id, units_file, plan[0].spec.file, &mut st)?;
    }
    if !st.errors.is_empty() {
        return Err(JichaError::Import(
            st.errors
                .into_lines(|n| ExportProblem::MoreErrors { n }.text(ctx.lang)),
        ));
    }

    history::remove(tx)?;
    let changes = history::run_changes(tx, import_id)?;
    // A gone customer's rows of files that were not in the export went with it.
    for (file, n) in &changes.gone {
        if let Some(f) = files.iter_mut().find(|f| &f.file == file) {
            f.gone = *n;
        } else {
            files.push(FileSummary {
                file: file.clone(),
                rows: 0,
                inserted: 0,
                updated: 0,
                gone: *n,
            });
        }
    }
    let per_file: serde_json::Map<String, serde_json::Value> = files
        .iter()
        .map(|s| {
            (
                s.file.clone(),
                json!({"rows": s.rows, "inserted": s.inserted, "updated": s.updated, "gone": s.gone}),
            )
        })
        .collect();
    let warnings_total = st.warnings.total();
    let total = |f: fn(&FileSummary) -> u64| files.iter().map(f).sum::<u64>();
    let history = json!({
        "added": total(|f| f.inserted),
        "changed": total(|f| f.updated),
        "gone": total(|f| f.gone),
        "digest": changes.digest,
        "delta": delta,
    });
    let summary = json!({"files": per_file, "warnings": warnings_total, "history": history});
    // The ledger's digests of the source tables, taken here under the facts lock (the log
    // record that seals them is written after the commit, see `land`).
    let sources = source_digests(tx, import_id, &files)?;
    tx.execute(
        "UPDATE imports SET summary = ?1, sources = ?2 WHERE id = ?3",
        rusqlite::params![summary.to_string(), sources, import_id],
    )?;
    land::before_commit(import_id)?;
    Ok(ImportSummary {
        import_id,
        source_dir: source_dir.to_string(),
        files,
        warnings: st
            .warnings
            .into_lines(|n| ExportProblem::MoreWarnings { n }.text(ctx.lang)),
        warnings_total,
        history_digest: changes.digest,
    })
}
