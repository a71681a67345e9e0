//! The dataset: one SQLite file, WAL mode, foreign keys on, `synchronous=FULL` (it holds an
//! audit record), a busy timeout, and `BEGIN IMMEDIATE` for every write.

pub mod migrations;

use crate::error::{JichaError, Result};
use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long one statement waits for another process's write lock before we give up on it.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// How many times a whole unit of work is retried when the dataset stays busy.
const WRITE_ATTEMPTS: u32 = 5;

pub struct Dataset {
    pub conn: Connection,
    pub path: PathBuf,
}

impl Dataset {
    /// Opens an existing dataset, upgrading an older schema.
    pub fn open(path: &Path) -> Result<Dataset> {
        match std::fs::metadata(path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(JichaError::Dataset(format!(
                    "{}: no such dataset; create one with `jicha --db {} import DIR`",
                    path.display(),
                    path.display()
                )))
            }
            Err(e) => {
                return Err(JichaError::Dataset(format!(
                    "{}: cannot reach the dataset ({e}); ask its admin to add you to the group that shares its directory",
                    path.display()
                )))
            }
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| not_a_dataset(path, e))?;
        let mut ds = Dataset {
            conn,
            path: path.to_path_buf(),
        };
        ds.configure().map_err(|e| not_a_dataset_err(path, e))?;
        let app_id =
            migrations::application_id(&ds.conn).map_err(|e| not_a_dataset_err(path, e))?;
        if app_id != migrations::APPLICATION_ID {
            return Err(JichaError::Dataset(format!(
                "{}: this is an SQLite file but not a jicha dataset (application id {app_id:#x}); give the path of a dataset made by `jicha import`",
                path.display()
            )));
        }
        migrations::migrate(&mut ds.conn)?;
        Ok(ds)
    }

    /// Creates a new dataset file; `creator` becomes its first admin.
    pub fn create(path: &Path, creator: &str, now_utc: &str) -> Result<Dataset> {
        if path.exists() {
            return Err(JichaError::Dataset(format!(
                "{}: already exists; not overwriting it",
                path.display()
            )));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let conn = Connection::open(path)?;
        share_with_group_if_setgid(path)?;
        // Before the first table: 16 KiB pages import and scan large tables faster.
        conn.execute_batch("PRAGMA page_size = 16384")?;
        let mut ds = Dataset {
            conn,
            path: path.to_path_buf(),
        };
        ds.configure()?;
        migrations::migrate(&mut ds.conn)?;
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

    /// Opens `path`, creating it (with `creator` as admin) when it does not exist yet.
    pub fn open_or_create(path: &Path, creator: &str, now_utc: &str) -> Result<(Dataset, bool)> {
        if path.exists() {
            Ok((Dataset::open(path)?, false))
        } else {
            Ok((Dataset::create(path, creator, now_utc)?, true))
        }
    }

    fn configure(&mut self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        // journal_mode answers with a row, so it is read rather than executed.
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(JichaError::Dataset(format!(
                "{}: could not switch the dataset to WAL mode (got {mode}); is the directory writable?",
                self.path.display()
            )));
        }
        self.conn
            .execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")?;
        Ok(())
    }

    /// Runs `work` in one `BEGIN IMMEDIATE` transaction and commits it. When the dataset stays
    /// busy (another writer holds it past the busy timeout) the whole unit of work is retried:
    /// rusqlite's `commit()` itself cannot be retried.
    pub fn write<T>(&mut self, mut work: impl FnMut(&Transaction) -> Result<T>) -> Result<T> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.try_write(&mut work) {
                Err(e) if is_busy(&e) && attempt < WRITE_ATTEMPTS => {
                    std::thread::sleep(Duration::from_millis(50 * u64::from(attempt)));
                }
                Err(e) if is_busy(&e) => {
                    return Err(JichaError::Dataset(
                        "the dataset stayed busy: another operator is running a long write (an import or a scan); try again in a minute"
                            .into(),
                    ))
                }
                Err(e) if is_read_only(&e) => return Err(self.read_only_error()),
                other => return other,
            }
        }
    }

    fn try_write<T>(&mut self, work: &mut impl FnMut(&Transaction) -> Result<T>) -> Result<T> {
        if self.conn.is_readonly(rusqlite::MAIN_DB)? {
            return Err(self.read_only_error());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // The state ledger notes what the work changes and seals it into the log before commit.
        let ledger = crate::ledger::Watch::start(&tx)?;
        let value = work(&tx)?;
        ledger.seal(&tx)?;
        tx.commit()?;
        // After the commit, never inside it: the anchor must not run ahead of the data.
        // A failure here loses no data and `log verify` reports a lagging anchor as fine.
        if let Err(e) = crate::actionlog::update_sidecar(&self.path, &self.conn) {
            eprintln!(
                "jicha: warning: could not update the log anchor {}: {e}",
                crate::actionlog::sidecar_path(&self.path).display()
            );
        }
        Ok(value)
    }

    fn read_only_error(&self) -> JichaError {
        use std::os::unix::fs::MetadataExt;
        let how = std::fs::metadata(&self.path)
            .map(|m| {
                format!(
                    "mode {:o}, owner uid {}, group gid {}",
                    m.mode() & 0o7777,
                    m.uid(),
                    m.gid()
                )
            })
            .unwrap_or_default();
        JichaError::Dataset(format!(
            "{}: you can read this dataset but not change it: the file is not writable for you ({how}); nothing was changed. Ask its admin to make it group-writable (chmod 660) for your group",
            self.path.display()
        ))
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }
}

/// A dataset created in a setgid directory is meant to be shared by that directory's group:
/// make it group-writable (SQLite gives its -wal and -shm files the same mode), so that another
/// member can carry on — and recover the WAL — after the first one's process died.
fn share_with_group_if_setgid(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => d.to_path_buf(),
        None => std::env::current_dir()?,
    };
    if std::fs::metadata(&dir)?.permissions().mode() & 0o2000 != 0 {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o660))?;
    }
    Ok(())
}

/// Whether a write failed because the file is read-only for this user.
fn is_read_only(e: &JichaError) -> bool {
    matches!(e, JichaError::Sql(rusqlite::Error::SqliteFailure(f, _)) if f.code == ErrorCode::ReadOnly)
}

pub fn is_busy(e: &JichaError) -> bool {
    matches!(e, JichaError::Sql(rusqlite::Error::SqliteFailure(f, _))
        if f.code == ErrorCode::DatabaseBusy || f.code == ErrorCode::DatabaseLocked)
}

fn not_a_dataset(path: &Path, e: rusqlite::Error) -> JichaError {
    not_a_dataset_err(path, JichaError::Sql(e))
}

fn not_a_dataset_err(path: &Path, e: JichaError) -> JichaError {
    match &e {
        JichaError::Sql(rusqlite::Error::SqliteFailure(f, _))
            if f.code == ErrorCode::NotADatabase || f.code == ErrorCode::DatabaseCorrupt =>
        {
            JichaError::Dataset(format!(
                "{}: not a jicha dataset, or the file is damaged ({e}); give the path of a dataset made by `jicha import`",
                path.display()
            ))
        }
        JichaError::Sql(rusqlite::Error::SqliteFailure(f, _))
            if f.code == ErrorCode::CannotOpen || f.code == ErrorCode::ReadOnly =>
        {
            JichaError::Dataset(format!(
                "{}: cannot open the dataset for writing ({e}); check the file's and its directory's permissions",
                path.display()
            ))
        }
        _ => e,
    }
}
