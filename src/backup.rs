//! `jicha backup DEST`: a copy of the dataset made while operators keep working, with the log
//! anchor that lets the copy be verified on its own; `jicha backup --verify DEST` checks a copy
//! the way `log verify` checks the dataset.
//!
//! The copy is SQLite's online backup, page by page in small steps, inside one read
//! transaction on the dataset: in WAL mode a reader never blocks a writer, so operators' writes
//! go on during the whole backup, and the copy is exactly the dataset as of the transaction's
//! start (a backup whose source changes between steps would otherwise start again, possibly
//! forever on a busy dataset). The anchor for the copy is taken in the same snapshot, from the
//! dataset's own anchor, so a copy is anchored only where the dataset's anchor vouched for the
//! log. Everything is built under temporary names beside DEST and renamed into place once the
//! backup is logged: DEST is never a half-made copy.

use crate::actionlog::{self, anchor};
use crate::actions::{Command, Outcome};
use crate::context::{Ctx, Lang, Role};
use crate::db::Dataset;
use crate::error::{JichaError, Result};
use crate::i18n::backup::BackupWrong;
use crate::i18n::dataset::DatasetWrong;
use crate::progress::{Callback, Progress};
use crate::text::escape;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::io::Write;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The action the backup is logged as.
pub const ACTION: &str = "dataset.backup";
/// Pages copied per step: 1 MiB with the dataset's 16 KiB pages.
pub const PAGES_PER_STEP: i32 = 64;
/// The pause between steps, so a backup leaves the disk to the operators now and then.
pub const PAUSE: Duration = Duration::from_millis(1);

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  jicha --db /srv/jicha/audit.jicha backup /srv/backup/audit-2026-12-01.jicha
  jicha backup --verify /srv/backup/audit-2026-12-01.jicha
  jicha backup --force /srv/backup/audit-latest.jicha")]
pub struct BackupArgs {
    /// The copy to write (a new file; its log anchor goes beside it as DEST.loghead), or with
    /// --verify the copy to check.
    pub dest: PathBuf,
    /// Check the copy DEST (read-only): its hash chain, its anchor and its state, as `log
    /// verify` does for the dataset. No dataset is opened.
    #[arg(long)]
    pub verify: bool,
    /// Replace DEST (and DEST.loghead) when they exist.
    #[arg(long, conflicts_with = "verify")]
    pub force: bool,
}

/// How the copy is made.
#[derive(Debug, Clone)]
pub struct Options {
    pub force: bool,
    pub pages_per_step: i32,
    pub pause: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            force: false,
            pages_per_step: PAGES_PER_STEP,
            pause: PAUSE,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub dest: PathBuf,
    pub bytes: u64,
    /// The copy's log head: records 1..=seq, the last with `hash` (0 and empty: no record).
    pub seq: i64,
    pub hash: String,
    /// The record in the dataset's log that says this backup was made.
    pub logged_as: i64,
}

impl Summary {
    /// The line `jicha backup` prints, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        crate::i18n::backup::Written {
            dest: &escape(&self.dest.display().to_string()),
            size: &crate::fsutil::human_bytes(self.bytes),
            seq: self.seq,
            hash: if self.hash.is_empty() {
                "-"
            } else {
                &self.hash
            },
            anchor: &escape(&loghead_of(&self.dest).display().to_string()),
            logged_as: self.logged_as,
        }
        .text(lang)
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// `jicha backup`: `open` is called only for a backup, never for `--verify`, which reads the
/// copy alone.
pub fn cli(
    args: BackupArgs,
    lang: Lang,
    open: impl FnOnce() -> Result<(Dataset, Ctx)>,
) -> Result<()> {
    let out = crate::output::stream::stdout();
    if args.verify {
        let checked = verify_copy(&args.dest)?;
        for note in &checked.log.notes {
            writeln!(out.lock(), "{}", escape(&note.text(lang)))?;
        }
        writeln!(out.lock(), "{}", escape(&checked.verdict_in(lang)?))?;
        return Ok(());
    }
    let (mut ds, ctx) = open()?;
    let options = Options {
        force: args.force,
        ..Options::default()
    };
    let summary = backup(&mut ds, &ctx, &args.dest, &options, &mut progress_line())?;
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        eprint!("\r\x1b[K");
    }
    writeln!(out.lock(), "{}", summary.text(lang))?;
    Ok(())
}

fn progress_line() -> impl FnMut(&Progress) -> ControlFlow<()> {
    let show = std::io::IsTerminal::is_terminal(&std::io::stderr());
    move |p| {
        if show {
            if let Some(pct) = (p.done * 100).checked_div(p.total) {
                eprint!("\r\x1b[Kbackup {pct:>3}%");
            }
        }
        ControlFlow::Continue(())
    }
}

/// The snapshot the copy is made from: the log's head and the anchor the copy gets.
struct Snapshot {
    seq: i64,
    hash: String,
}

/// Copies the dataset to `dest` with its anchor and logs it. Writers may work meanwhile; on any
/// error or cancellation nothing is left under DEST's names and nothing is logged.
pub fn backup(
    ds: &mut Dataset,
    ctx: &Ctx,
    dest: &Path,
    options: &Options,
    progress: Callback,
) -> Result<Summary> {
    ctx.require(Role::Auditor, "backup")?;
    let dest = check_dest(&ds.path, dest, options.force)?;
    let temp = Temp::new(&dest)?;
    let snapshot = copy(ds, &temp.db, options, progress)?;
    let record = Record {
        dest: dest.display().to_string(),
        seq: snapshot.seq,
        hash: snapshot.hash.clone(),
        bytes: temp.bytes()?,
        logged_as: std::cell::Cell::new(0),
    };
    crate::actions::run(ds, ctx, &[(&record, &[][..])])?;
    let logged_as = record.logged_as.get();
    let bytes = temp.bytes()?;
    temp.place(&dest).map_err(|e| {
        said(BackupWrong::NotPlaced {
            dest: dest.display().to_string(),
            logged_as,
            why: e.to_string(),
        })
    })?;
    Ok(Summary {
        dest,
        bytes,
        seq: snapshot.seq,
        hash: snapshot.hash,
        logged_as,
    })
}

/// DEST made absolute and checked: its directory exists, it is not the dataset or one of its
/// side files, and it exists only when `force` (and then is a file nobody has open).
fn check_dest(db: &Path, dest: &Path, force: bool) -> Result<PathBuf> {
    let shown = || escape(&dest.display().to_string()).into_owned();
    let (Some(name), parent) = (dest.file_name(), dest.parent()) else {
        return Err(JichaError::invalid(BackupWrong::NoCopyName {
            dest: shown(),
        }));
    };
    let parent = match parent {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let dir = std::fs::canonicalize(parent).map_err(|e| {
        JichaError::invalid(BackupWrong::DirUnusable {
            dest: shown(),
            why: e.to_string(),
        })
    })?;
    let dest = dir.join(name);
    let real_db = std::fs::canonicalize(db).unwrap_or_else(|_| db.to_path_buf());
    let real_facts = crate::db::facts::path_of(&real_db);
    let mut side_files = vec![
        real_db.clone(),
        anchor::sidecar_path(db),
        real_facts.clone(),
    ];
    for suffix in ["-wal", "-shm", "-journal"] {
        for file in [&real_db, &real_facts] {
            let mut n = file.as_os_str().to_os_string();
            n.push(suffix);
            side_files.push(PathBuf::from(n));
        }
    }
    let same_file = std::fs::canonicalize(&dest).is_ok_and(|d| d == real_db);
    if same_file || side_files.contains(&dest) {
        return Err(JichaError::invalid(BackupWrong::IsTheDataset {
            dest: shown(),
        }));
    }
    let mut existing: Vec<PathBuf> = Vec::new();
    for p in [
        dest.clone(),
        loghead_of(&dest),
        crate::db::facts::path_of(&dest),
    ] {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.is_dir() => {
                return Err(JichaError::invalid(BackupWrong::DestIsDirectory {
                    path: escape(&p.display().to_string()).into_owned(),
                }))
            }
            Ok(_) => existing.push(p),
            Err(_) => {}
        }
    }
    if !existing.is_empty() && !force {
        let names: Vec<String> = existing
            .iter()
            .map(|p| escape(&p.display().to_string()).into_owned())
            .collect();
        return Err(JichaError::invalid(BackupWrong::AlreadyExist { names }));
    }
    for (file, suffix) in [&dest, &crate::db::facts::path_of(&dest)]
        .into_iter()
        .flat_map(|f| ["-wal", "-shm", "-journal"].map(|s| (f, s)))
    {
        let mut n = file.as_os_str().to_os_string();
        n.push(suffix);
        if std::fs::symlink_metadata(&n).is_ok() {
            return Err(JichaError::invalid(BackupWrong::CopyOpen {
                dest: shown(),
                side: escape(&PathBuf::from(n).display().to_string()).into_owned(),
            }));
        }
    }
    Ok(dest)
}

/// The copy and its anchor under temporary names beside DEST, removed unless placed.
struct Temp {
    db: PathBuf,
    placed: bool,
}

/// The copy of the facts file beside a copy `db` (`db.facts`, as beside a dataset).
fn facts_of(db: &Path) -> PathBuf {
    crate::db::facts::path_of(db)
}

impl Temp {
    fn new(dest: &Path) -> Result<Temp> {
        let db = crate::safefile::temp_name_for(dest)?;
        // Claimed with O_EXCL|O_NOFOLLOW as the user who runs jicha: SQLite then writes into
        // this file, and a planted link cannot redirect it.
        crate::privilege::as_real_user(|| crate::safefile::create_new(&db, 0o660))
            .map_err(|e| explain_dest(dest, e))?;
        let temp = Temp { db, placed: false };
        crate::privilege::as_real_user(|| crate::safefile::create_new(&facts_of(&temp.db), 0o660))
            .map_err(|e| explain_dest(dest, e))?;
        Ok(temp)
    }

    /// Both files of the copy.
    fn bytes(&self) -> Result<u64> {
        Ok(std::fs::metadata(&self.db)?.len() + std::fs::metadata(facts_of(&self.db))?.len())
    }

    /// The facts and the anchor first, then the copy: once DEST is there, so are they.
    fn place(mut self, dest: &Path) -> std::io::Result<()> {
        crate::privilege::as_real_user(|| {
            std::fs::File::open(facts_of(&self.db))?.sync_all()?;
            std::fs::rename(facts_of(&self.db), facts_of(dest))?;
            let anchor = loghead_of(&self.db);
            if std::fs::symlink_metadata(&anchor).is_ok() {
                std::fs::rename(&anchor, loghead_of(dest))?;
            }
            std::fs::rename(&self.db, dest)?;
            if let Some(dir) = dest.parent() {
                std::fs::File::open(dir)?.sync_all()?;
            }
            Ok(())
        })?;
        self.placed = true;
        Ok(())
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.placed {
            // As the user who created them, in the user's directory.
            let _ = crate::privilege::as_real_user(|| {
                let facts = facts_of(&self.db);
                let _ = std::fs::remove_file(&self.db);
                let _ = std::fs::remove_file(&facts);
                let _ = std::fs::remove_file(loghead_of(&self.db));
                for suffix in ["-journal", "-wal", "-shm"] {
                    for file in [&self.db, &facts] {
                        let mut n = file.as_os_str().to_os_string();
                        n.push(suffix);
                        let _ = std::fs::remove_file(n);
                    }
                }
                Ok(())
            });
        }
    }
}

fn explain_dest(dest: &Path, e: std::io::Error) -> JichaError {
    said(BackupWrong::CannotWriteCopy {
        dest: escape(&dest.display().to_string()).into_owned(),
        why: e.to_string(),
    })
}

/// Ends the read transaction however the copy ends.
struct ReadTransaction<'a>(&'a Connection);

impl Drop for ReadTransaction<'_> {
    fn drop(&mut self) {
        let _ = self.0.execute_batch("ROLLBACK");
    }
}

/// The online backup into `temp` and its anchor, in one snapshot of the dataset.
fn copy(ds: &Dataset, temp: &Path, options: &Options, progress: Callback) -> Result<Snapshot> {
    ds.conn.execute_batch("BEGIN DEFERRED")?;
    let _read = ReadTransaction(&ds.conn);
    // `standing` reads the anchor file before its first query starts the snapshot: a writer
    // committing in between can only make the snapshot's log longer than the anchor.
    let standing = anchor::standing(&ds.path, &ds.conn)?;
    if !standing.allows_writes() {
        return Err(said(BackupWrong::LogNotVouched {
            problem: standing.problem_said(&ds.path).unwrap_or_default(),
        }));
    }
    let head: Option<(i64, String)> = ds
        .conn
        .query_row(
            "SELECT seq, hash FROM action_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, hash) = head.unwrap_or((0, String::new()));
    let since = match &standing {
        anchor::Standing::Agrees(a) | anchor::Standing::Lagging { anchor: a, .. } => a.since,
        _ => 0,
    };
    let anchor = (seq > 0).then(|| anchor::Anchor {
        seq,
        hash: hash.clone(),
        dataset: anchor::dataset_id(&ds.conn).ok().flatten(),
        since,
    });
    // The facts file's snapshot is taken after the workflow file's (the query above): an
    // import's log record is written only after its facts commit, so the copy's facts hold
    // every import its log has landed (and one landed after the first snapshot is rolled
    // forward when the copy is opened, see `import::land`).
    ds.conn
        .query_row("SELECT count(*) FROM facts.imports", [], |_| Ok(()))?;
    let facts_temp = crate::db::facts::path_of(temp);
    for (schema, file) in [("main", temp), ("facts", facts_temp.as_path())] {
        let copied =
            crate::privilege::as_real_user(|| Ok(run_backup(ds, schema, file, options, progress)))
                .map_err(|e| explain_dest(file, e))?;
        copied.map_err(|e| match e {
            JichaError::Sql(s) => explain_dest(file, std::io::Error::other(s)),
            other => other,
        })?;
    }
    let copied: Option<(i64, String)> = {
        let c = open_read_only(temp)?;
        c.query_row(
            "SELECT seq, hash FROM action_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
    };
    if copied.unwrap_or((0, String::new())) != (seq, hash.clone()) {
        return Err(said(BackupWrong::CopyLogMoved));
    }
    if let Some(a) = &anchor {
        crate::privilege::as_real_user(|| {
            anchor::write(temp, a).map_err(|e| std::io::Error::other(e.to_string()))
        })
        .map_err(|e| explain_dest(temp, e))?;
    }
    Ok(Snapshot { seq, hash })
}

/// Copies every page of the snapshot of the dataset's file `schema` (`main`, the workflow
/// file, or `facts`) into `temp`, a few at a time; then makes the copy one self-contained file
/// (rollback journal mode, synced).
fn run_backup(
    ds: &Dataset,
    schema: &str,
    temp: &Path,
    options: &Options,
    progress: Callback,
) -> Result<()> {
    let mut dst = Connection::open_with_flags(
        temp,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    {
        let b = Backup::new_with_names(&ds.conn, schema, &mut dst, rusqlite::MAIN_DB)?;
        let mut waited = Duration::ZERO;
        loop {
            match b.step(options.pages_per_step)? {
                StepResult::Done => break,
                StepResult::More => waited = Duration::ZERO,
                // Only the copy could be locked, and nobody else knows its name; bounded anyway.
                StepResult::Busy | StepResult::Locked => {
                    waited += options.pause.max(Duration::from_millis(1));
                    if waited > crate::db::BUSY_WINDOW {
                        return Err(said(BackupWrong::CopyLocked));
                    }
                }
                _ => {}
            }
            let p = b.progress();
            let total = p.pagecount.max(0) as u64;
            let done = total.saturating_sub(p.remaining.max(0) as u64);
            if let ControlFlow::Break(()) = progress(&Progress {
                stage: "backup".into(),
                done,
                total,
            }) {
                return Err(JichaError::Cancelled);
            }
            std::thread::sleep(options.pause);
        }
    }
    // The dataset runs in WAL mode, which the copied header says too; a backup is one file.
    let mode: String = dst.query_row("PRAGMA journal_mode=DELETE", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(said(BackupWrong::NotSingleFile { mode }));
    }
    dst.close().map_err(|(_, e)| JichaError::Sql(e))?;
    std::fs::File::open(temp)?.sync_all()?;
    Ok(())
}

/// The log record that says a backup was made, and of what.
struct Record {
    dest: String,
    seq: i64,
    hash: String,
    bytes: u64,
    /// The record's seq, once appended.
    logged_as: std::cell::Cell<i64>,
}

impl Command for Record {
    fn name(&self) -> &'static str {
        ACTION
    }

    fn required_role(&self) -> Role {
        Role::Auditor
    }

    fn check_input(&self) -> Result<()> {
        Ok(())
    }

    fn seen_records(&self) -> (&'static str, crate::i18n::errors::RecordKind) {
        ("findings", crate::i18n::errors::RecordKind::Finding)
    }

    /// A copy is a read of what every operator may see: it changes no unit's records.
    fn reach(&self, _tx: &Connection) -> Result<crate::actions::scope::Reach> {
        Ok(crate::actions::scope::Reach::Records(Vec::new()))
    }

    fn apply(&self, tx: &Connection, ctx: &Ctx) -> Result<Outcome> {
        let seq = actionlog::append(
            tx,
            ctx,
            ACTION,
            "dataset",
            &serde_json::json!({
                "dest": self.dest,
                "records": self.seq,
                "head_hash": self.hash,
                "bytes": self.bytes,
            }),
        )?;
        self.logged_as.set(seq);
        Ok(Outcome {
            message: crate::i18n::outcomes::Done::BackupLogged { seq },
            changed: 1,
        })
    }
}

/// `PATH.loghead`: where the anchor of a copy at PATH is (the path itself, not a link's target:
/// the copy is renamed over DEST).
fn loghead_of(path: &Path) -> PathBuf {
    let mut n = path.as_os_str().to_os_string();
    n.push(".loghead");
    PathBuf::from(n)
}

fn open_read_only(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(crate::db::BUSY_TIMEOUT)?;
    Ok(conn)
}

/// What `backup --verify` found.
#[derive(Debug)]
pub struct Checked {
    pub dest: PathBuf,
    /// The log's problems and notes with the state's added (`Report::add_state`).
    pub log: actionlog::Report,
    pub state: crate::ledger::StateReport,
}

impl Checked {
    /// One line when the copy verifies, else the error listing every problem.
    pub fn verdict(&self) -> Result<String> {
        self.verdict_in(Lang::En)
    }

    /// The same, the line in `lang`.
    pub fn verdict_in(&self, lang: Lang) -> Result<String> {
        let dest = self.dest.display().to_string();
        let problems = self.log.problems.clone();
        if problems.is_empty() {
            return Ok(crate::i18n::backup::verified(
                lang,
                &dest,
                self.log.records,
                &self.log.last_hash,
                self.state.rows_checked,
                self.state.sources_checked as u64,
            ));
        }
        Err(said(BackupWrong::NotVerified {
            dest,
            records: self.log.records,
            problems,
        }))
    }
}

/// Opens the copy read-only and runs the checks of `log verify` on it: the chain, the anchor
/// beside it (DEST.loghead) and the state against its ledger.
pub fn verify_copy(dest: &Path) -> Result<Checked> {
    use crate::db::{header, migrations};
    let shown = || escape(&dest.display().to_string()).into_owned();
    match header::read(dest) {
        Ok(header::FileKind::Sqlite { application_id, .. })
            if i64::from(application_id) == migrations::APPLICATION_ID => {}
        Ok(_) => return Err(said(BackupWrong::NotDatasetOrBackup { path: shown() })),
        Err(e) => return Err(JichaError::Dataset(format!("{}: {e}", shown()))),
    }
    actionlog::refuse_linked_sidecars(dest)?;
    let conn = open_read_only(dest)?;
    let version = migrations::user_version(&conn)?;
    if version != migrations::SCHEMA_VERSION {
        return Err(said(BackupWrong::OtherSchema {
            path: shown(),
            version,
            known: migrations::SCHEMA_VERSION,
        }));
    }
    // The copy's facts file (DEST.facts) must be there and be its own.
    let _facts = crate::db::facts::attach(&conn, dest, crate::db::facts::Mode::ReadOnly)?;
    let mut log = actionlog::audit(dest, &conn, None)?;
    let state = crate::ledger::verify(&conn)?;
    log.add_state(&state);
    Ok(Checked {
        dest: dest.to_path_buf(),
        log,
        state,
    })
}

/// A refusal about the copy, said in the operator's language when shown.
fn said(wrong: BackupWrong) -> JichaError {
    JichaError::DatasetSaid(DatasetWrong::Backup { wrong })
}
