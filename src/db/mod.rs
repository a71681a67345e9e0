//! The dataset: the workflow file and its facts file (`facts`, attached as `facts`), WAL mode,
//! foreign keys on, `synchronous=FULL` (it holds an audit record), a busy timeout, and every
//! write taking the workflow file's write lock first (`begin_workflow_write`).
//!
//! Opening never writes to a file before its header (read directly) says it is a jicha
//! dataset; a new dataset appears only complete (see `create`); every step that can meet
//! another process's lock is retried as a whole (see `busy`); a full disk or an I/O error is
//! said in words (see `errors`).

mod busy;
mod create;
mod errors;
pub mod facts;
pub mod header;
mod held;
pub mod migrations;
mod write_facts;

pub use busy::{is_busy, BUSY_TIMEOUT, BUSY_WINDOW};

/// How long moving the log anchor on waits for the write lock: a writer holding it longer
/// moves the anchor on itself after its commit.
const ANCHOR_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

use crate::error::{JichaError, Result};
use crate::i18n::dataset::DatasetWrong;
use header::FileKind;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};

pub struct Dataset {
    pub conn: Connection,
    pub path: PathBuf,
    /// Declared after `conn`, so released after the connection closed.
    _held: held::Held,
    /// The facts file's claim, likewise (None until it is attached).
    _facts: Option<facts::FactsHold>,
}

impl Dataset {
    /// Opens an existing dataset, upgrading an older schema. Refuses, without writing a byte to
    /// it, a file that is not a jicha dataset. A user who may only read it gets a read-only
    /// dataset (writes are then refused with a clear message).
    pub fn open(path: &Path) -> Result<Dataset> {
        let kind = match held::unless_held(path, || header::read(path)) {
            // This process has it open already, so it was checked: the checks in `prepare`
            // (which read before they write) suffice.
            None => None,
            Some(Ok(kind)) => Some(kind),
            Some(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(JichaError::DatasetSaid(DatasetWrong::NoSuchDataset {
                    path: path.display().to_string(),
                }))
            }
            Some(Err(e)) if e.raw_os_error() == Some(libc::EISDIR) => {
                return Err(JichaError::DatasetSaid(DatasetWrong::IsDirectory {
                    path: path.display().to_string(),
                }))
            }
            Some(Err(e)) => {
                return Err(JichaError::DatasetSaid(DatasetWrong::CannotReach {
                    path: path.display().to_string(),
                    why: e.to_string(),
                }))
            }
        };
        if let Some(kind) = kind {
            check_kind(path, kind)?;
        }
        crate::actionlog::refuse_linked_sidecars(path)?;
        crate::safefile::share_new_files_with_group_if_setgid(&create::dir_of(path));
        let held = held::hold(path);
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| errors::not_a_dataset(path, e.into()))?;
        let mut ds = Dataset {
            conn,
            path: path.to_path_buf(),
            _held: held,
            _facts: None,
        };
        // SQLite opens a file it may not write read-only.
        let read_only = ds.conn.is_readonly(rusqlite::MAIN_DB)?;
        match busy::retry(|| ds.prepare(read_only, false)) {
            Ok(()) => {
                // An import killed between its facts commit and its log record is rolled
                // forward by whoever opens the dataset next (see `import::land`).
                if !read_only {
                    if let Err(e) = crate::import::land::land_pending(&mut ds) {
                        eprintln!("jicha: warning: could not write the log record of an import that landed: {e}");
                    }
                }
                Ok(ds)
            }
            Err(e) if read_only && cannot_share_memory(&e) => Dataset::open_immutable(path),
            Err(e) => Err(errors::not_a_dataset(path, e)),
        }
    }

    /// A reader who can neither write the directory nor find the -shm file of a running
    /// writer cannot set up SQLite's shared memory. With no -wal file, every committed change
    /// is in the main file, which is then read as it is (`immutable`): what a read-only command
    /// needs. A writer that starts and closes meanwhile copies its changes into the file when
    /// it closes, which such a reader could see half done (SQLite then reports the file
    /// damaged or the read misses rows); rare, and repeating the read command answers it.
    fn open_immutable(path: &Path) -> Result<Dataset> {
        if std::fs::metadata(wal_path(path)).is_ok_and(|m| m.len() > 0) {
            return Err(JichaError::DatasetSaid(DatasetWrong::WalInUse {
                path: path.display().to_string(),
                wal: wal_path(path).display().to_string(),
                shm: shm_path(path).display().to_string(),
            }));
        }
        let uri = format!(
            "file:{}?mode=ro&immutable=1",
            uri_escape(&path.to_string_lossy())
        );
        let held = held::hold(path);
        let conn = Connection::open_with_flags(
            uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| errors::not_a_dataset(path, e.into()))?;
        let mut ds = Dataset {
            conn,
            path: path.to_path_buf(),
            _held: held,
            _facts: None,
        };
        busy::retry(|| ds.prepare(true, true)).map_err(|e| errors::not_a_dataset(path, e))?;
        Ok(ds)
    }

    /// Everything opening does after the header check, as one unit that `busy::retry` can run
    /// again from the start: the application id (read before anything is written), the WAL
    /// switch (only when needed), the connection's pragmas and the schema upgrade.
    fn prepare(&mut self, read_only: bool, immutable: bool) -> Result<()> {
        busy::wait_for_locks(&mut self.conn, BUSY_TIMEOUT)?;
        let app_id = migrations::application_id(&self.conn)?;
        if app_id != migrations::APPLICATION_ID {
            return Err(foreign_file(&self.path, app_id as u32));
        }
        if !read_only {
            self.ensure_wal()?;
        }
        self.conn
            .execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")?;
        if read_only && migrations::user_version(&self.conn)? < migrations::SCHEMA_VERSION {
            return Err(JichaError::DatasetSaid(DatasetWrong::NeedsUpgrade {
                path: self.path.display().to_string(),
            }));
        }
        let mode = if immutable {
            facts::Mode::Immutable
        } else if read_only {
            facts::Mode::ReadOnly
        } else {
            facts::Mode::ReadWrite
        };
        self.attach_facts(mode, false)?;
        migrations::migrate(&mut self.conn)?;
        self.attach_facts(mode, true)
    }

    /// Attaches the facts file (once the schema has one; `upgraded`: after the migrations, when
    /// it must have one).
    fn attach_facts(&mut self, mode: facts::Mode, upgraded: bool) -> Result<()> {
        if self._facts.is_some() {
            return Ok(());
        }
        if upgraded || migrations::user_version(&self.conn)? >= facts::FIRST_VERSION {
            self._facts = Some(facts::attach(&self.conn, &self.path, mode)?);
        }
        Ok(())
    }

    /// Switches a rollback-mode file to WAL. The mode is asked first (after a read, SQLite
    /// knows it without a lock): the switch needs the write lock, and its SQLITE_BUSY skips the
    /// busy handler, so it runs only when needed (and `prepare`'s caller retries it).
    fn ensure_wal(&self) -> Result<()> {
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        if mode.eq_ignore_ascii_case("wal") {
            return Ok(());
        }
        // journal_mode answers with a row, so it is read rather than executed.
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(JichaError::DatasetSaid(DatasetWrong::NoWal {
                path: self.path.display().to_string(),
                mode,
            }));
        }
        Ok(())
    }

    /// Creates a new dataset file; `creator` becomes its first admin. Refuses when `path`
    /// exists (also when another process creates it meanwhile).
    pub fn create(path: &Path, creator: &str, now_utc: &str) -> Result<Dataset> {
        match Dataset::create_with(path, creator, now_utc, |_| Ok(()))? {
            Some(()) => Dataset::open(path),
            None => Err(JichaError::DatasetSaid(DatasetWrong::AlreadyExists {
                path: path.display().to_string(),
            })),
        }
    }

    /// Creates the dataset at `path` with `creator` as its first admin, and runs `fill` on it
    /// (e.g. the first import) before anyone else can see it: all of it is built under a
    /// temporary name and renamed into place only once `fill` committed, never over an existing
    /// file. On any error nothing is left at `path`. Returns None, having built nothing there,
    /// when `path` exists already or another process put its dataset there first: then open
    /// theirs.
    pub fn create_with<T>(
        path: &Path,
        creator: &str,
        now_utc: &str,
        fill: impl FnOnce(&mut Dataset) -> Result<T>,
    ) -> Result<Option<T>> {
        if std::fs::symlink_metadata(path).is_ok() {
            return Ok(None);
        }
        crate::actionlog::refuse_linked_sidecars(path)?;
        crate::safefile::share_new_files_with_group_if_setgid(&create::dir_of(path));
        let creating = "creating the dataset";
        let building =
            create::Building::start(path).map_err(|e| errors::explain(path, creating, e.into()))?;
        let built = (|| {
            let mut ds = Dataset::init(building.temp(), creator, now_utc)?;
            let value = fill(&mut ds)?;
            ds.close()?;
            Ok(value)
        })()
        .map_err(|e| errors::explain(path, creating, e))?;
        let placed = building
            .place(path)
            .map_err(|e| errors::explain(path, creating, e.into()))?;
        Ok(placed.then_some(built))
    }

    /// Opens `path`, creating it (with `creator` as admin) when it does not exist yet; true
    /// when this call created it.
    pub fn open_or_create(path: &Path, creator: &str, now_utc: &str) -> Result<(Dataset, bool)> {
        let created = Dataset::create_with(path, creator, now_utc, |_| Ok(()))?.is_some();
        Ok((Dataset::open(path)?, created))
    }

    /// The schema, the meta rows, the first admin and the default thresholds in a new, private
    /// file (nobody else knows its name, so nothing here can be busy).
    fn init(temp: &Path, creator: &str, now_utc: &str) -> Result<Dataset> {
        let held = held::hold(temp);
        let conn = Connection::open_with_flags(
            temp,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // Before the first table: 16 KiB pages import and scan large tables faster.
        conn.execute_batch("PRAGMA page_size = 16384")?;
        let mut ds = Dataset {
            conn,
            path: temp.to_path_buf(),
            _held: held,
            _facts: None,
        };
        ds.prepare_new()?;
        ds.write(|tx| {
            tx.execute(
                "INSERT INTO meta(key, value) VALUES ('created_at', ?1), ('created_by', ?2), ('timezone', 'Asia/Shanghai')",
                [now_utc, creator],
            )?;
            tx.execute(
                "INSERT INTO operators(login, role, name, added_at, added_by) VALUES (?1, 'admin', NULL, ?2, ?1)",
                [creator, now_utc],
            )?;
            crate::thresholds::insert_defaults(tx)?;
            Ok(())
        })?;
        Ok(ds)
    }

    fn prepare_new(&mut self) -> Result<()> {
        busy::wait_for_locks(&mut self.conn, BUSY_TIMEOUT)?;
        self.ensure_wal()?;
        self.conn
            .execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")?;
        migrations::migrate(&mut self.conn)?;
        self.attach_facts(facts::Mode::ReadWrite, true)
    }

    /// Closes the connection, checkpointing the WAL into the file (the last connection to
    /// close also removes the -wal and -shm files).
    fn close(self) -> Result<()> {
        self.conn
            .query_row("PRAGMA main.wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        // The facts file is renamed beside the dataset without its -wal: all of it must be in
        // the file.
        if facts::is_attached(&self.conn)? {
            self.conn
                .query_row("PRAGMA facts.wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        let Dataset { conn, _held, .. } = self;
        conn.close().map_err(|(_, e)| JichaError::Sql(e))
    }

    /// Runs `work` in one transaction that takes the workflow file's write lock first
    /// (`begin_workflow_write`) and commits it. While the dataset is
    /// busy (another writer holds it past the busy timeout, or SQLite answers BUSY without
    /// waiting, e.g. SQLITE_BUSY_SNAPSHOT) the whole unit of work is retried within
    /// `BUSY_WINDOW`: rusqlite's `commit()` itself cannot be retried. A full disk or an I/O
    /// error is reported as such; either way the transaction was rolled back.
    pub fn write<T>(&mut self, mut work: impl FnMut(&Transaction) -> Result<T>) -> Result<T> {
        match busy::retry(|| self.try_write(&mut work)) {
            Err(e) if errors::is_read_only(&e) => Err(self.read_only_error()),
            Err(e) => Err(errors::explain(&self.path, "writing", e)),
            ok => ok,
        }
    }

    fn try_write<T>(&mut self, work: &mut impl FnMut(&Transaction) -> Result<T>) -> Result<T> {
        if self.conn.is_readonly(rusqlite::MAIN_DB)? {
            return Err(self.read_only_error());
        }
        let tx = begin_workflow_write(&mut self.conn)?;
        // The state ledger notes what the work changes and seals it into the log before commit.
        let ledger = crate::ledger::Watch::start(&tx)?;
        let value = work(&tx)?;
        ledger.seal(&tx)?;
        tx.commit()?;
        // After the commit, never inside it: the anchor must not run ahead of the data.
        // A failure here loses no data: `log verify` reports the anchor as lagging and the next
        // write moves it on.
        if let Err(e) = self.advance_anchor() {
            eprintln!(
                "jicha: warning: could not update the log anchor {}: {e}",
                crate::actionlog::sidecar_path(&self.path).display()
            );
        }
        Ok(value)
    }

    /// Moves the log anchor on to the chain's head. Anchor writers take turns under the
    /// dataset's write lock and read the head under it: otherwise a writer that read head 7
    /// could rename its anchor over another's 8, and the anchor would lag behind a log nobody
    /// touched. When the lock is taken, its holder is a writer that moves the anchor on after
    /// its own commit, past this one's record: so a busy lock is left to it.
    fn advance_anchor(&mut self) -> Result<()> {
        self.conn.busy_timeout(ANCHOR_WAIT)?;
        let moved = (|| -> Result<()> {
            let tx = begin_workflow_write(&mut self.conn)?;
            crate::actionlog::update_sidecar(&self.path, &tx)?;
            // Nothing was written: this only releases the lock.
            tx.commit()?;
            Ok(())
        })();
        busy::wait_for_locks(&mut self.conn, BUSY_TIMEOUT)?;
        match moved {
            Err(e) if busy::is_busy(&e) => Ok(()),
            other => other,
        }
    }

    fn read_only_error(&self) -> JichaError {
        use std::os::unix::fs::MetadataExt;
        let owner = std::fs::metadata(&self.path)
            .ok()
            .map(|m| (m.mode() & 0o7777, m.uid(), m.gid()));
        JichaError::DatasetSaid(DatasetWrong::NotWritable {
            path: self.path.display().to_string(),
            owner,
        })
    }

    /// SQLite's `PRAGMA data_version`: it moves when another connection commits, so an
    /// idle screen can tell cheaply that it should reload (0 if it cannot be read).
    pub fn data_version(&self) -> i64 {
        self.conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .unwrap_or(0)
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }
}

/// Begins a transaction holding the workflow file's write lock, and only that one: `BEGIN
/// IMMEDIATE` would take the write lock of every attached file, so an operator's action would
/// wait for an import holding the facts file's. A DEFERRED transaction whose first statement
/// is a write to `main` (that deletes nothing) takes the workflow lock as IMMEDIATE would,
/// waiting in the busy handler; the facts file is locked only if the work writes it (an
/// import does that in `write_facts`, never here).
pub fn begin_workflow_write(conn: &mut Connection) -> Result<Transaction<'_>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
    tx.execute("DELETE FROM main.meta WHERE 0", [])?;
    Ok(tx)
}

/// Refuses a file whose header says it is not a jicha dataset, before anything opens it.
fn check_kind(path: &Path, kind: FileKind) -> Result<()> {
    match kind {
        FileKind::Empty => Err(JichaError::DatasetSaid(DatasetWrong::EmptyFile {
            path: path.display().to_string(),
        })),
        FileKind::NotSqlite => Err(JichaError::DatasetSaid(DatasetWrong::NotSqlite {
            path: path.display().to_string(),
        })),
        FileKind::Sqlite { application_id, .. }
            if i64::from(application_id) == migrations::APPLICATION_ID =>
        {
            Ok(())
        }
        // A dataset of an older jicha that was never checkpointed has its id only in the WAL:
        // read it there, through a connection that cannot write (nor checkpoint on close).
        FileKind::Sqlite {
            application_id: 0,
            wal: true,
        } if std::fs::metadata(wal_path(path)).is_ok_and(|m| m.len() > 0) => {
            let uri = format!("file:{}?mode=ro", uri_escape(&path.to_string_lossy()));
            let id = busy::retry(|| {
                let mut conn = Connection::open_with_flags(
                    &uri,
                    OpenFlags::SQLITE_OPEN_READ_ONLY
                        | OpenFlags::SQLITE_OPEN_URI
                        | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                busy::wait_for_locks(&mut conn, BUSY_TIMEOUT)?;
                migrations::application_id(&conn)
            })
            .map_err(|e| errors::not_a_dataset(path, e))?;
            if id == migrations::APPLICATION_ID {
                Ok(())
            } else {
                Err(foreign_file(path, id as u32))
            }
        }
        FileKind::Sqlite { application_id, .. } => Err(foreign_file(path, application_id)),
    }
}

fn foreign_file(path: &Path, application_id: u32) -> JichaError {
    JichaError::DatasetSaid(DatasetWrong::Foreign {
        path: path.display().to_string(),
        application_id,
    })
}

/// A read-only connection failed because it could not set up SQLite's shared memory (no -shm
/// file and no right to create one in the directory).
fn cannot_share_memory(e: &JichaError) -> bool {
    matches!(e, JichaError::Sql(rusqlite::Error::SqliteFailure(f, _))
        if f.extended_code == rusqlite::ffi::SQLITE_READONLY_DIRECTORY
            || f.extended_code == rusqlite::ffi::SQLITE_READONLY_CANTINIT
            || f.code == rusqlite::ErrorCode::CannotOpen)
}

fn companion(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_os_string();
    p.push(suffix);
    PathBuf::from(p)
}

fn wal_path(path: &Path) -> PathBuf {
    companion(path, "-wal")
}

fn shm_path(path: &Path) -> PathBuf {
    companion(path, "-shm")
}

/// A path as the file part of an SQLite URI (`?`, `#` and `%` escaped).
fn uri_escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '?' | '#' | '%' => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}
