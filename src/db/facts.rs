//! The facts file: the imported export (the data-contract tables, the `imports` table and the
//! source history) in an SQLite file of its own beside the workflow file, `<dataset>.facts`
//! (WAL, `synchronous=FULL`), ATTACHed to every connection as the schema `facts`.
//!
//! No workflow table shares a name with a facts table, and SQLite resolves an unqualified
//! name in `main` first and then in the attached schemas, so every query (the rule SQL
//! included) reads `customers` or `bills` unqualified. DDL on a facts table must name the
//! schema (`CREATE INDEX facts.x ON bills(…)`).
//!
//! Why: the import writes this file in one facts transaction, which takes the facts file's
//! write lock, never the workflow file's: operators' actions (workflow writes) never wait for
//! an import. How an import lands in both files whole or not at all: `crate::import::land`.
//!
//! A facts file is paired with its workflow file: both hold the same random `facts_id`
//! (`meta` in the workflow file, `facts_meta` in the facts file), and the facts file's header
//! carries its own application id, so a missing, foreign or swapped facts file is refused
//! with a message saying what to do, before anything is written.

use super::header::{self, FileKind};
use super::held;
use crate::error::{JichaError, Result};
use crate::i18n::dataset::DatasetWrong;
use rusqlite::{Connection, OptionalExtension};
use std::path::{Path, PathBuf};

/// The schema name the facts file is attached under.
pub const SCHEMA: &str = "facts";
/// `PRAGMA application_id` of a facts file ("JCHF").
pub const APPLICATION_ID: i64 = 0x4A43_4846;
/// The first workflow schema version whose facts live in the facts file.
pub const FIRST_VERSION: i64 = 15;
/// The tables of the facts file, children before parents (the order they are dropped in).
pub const TABLES: &[&str] = &[
    "bills",
    "meters",
    "external_findings",
    "suspensions",
    "contracts",
    "applications",
    "units",
    "source_history",
    "imports",
    "customers",
];
/// The key of the pairing id in `meta` (workflow) and `facts_meta` (facts).
pub const PAIR_KEY: &str = "facts_id";
/// The key in the workflow file's `meta` of the last import whose log record is written.
pub const LANDED_KEY: &str = "imports_landed";

/// `<dataset>.facts`.
pub fn path_of(dataset: &Path) -> PathBuf {
    let mut p = dataset.as_os_str().to_os_string();
    p.push(".facts");
    PathBuf::from(p)
}

/// How the facts file is attached: as the connection opened its workflow file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    ReadWrite,
    ReadOnly,
    /// `immutable=1` (a reader without shared memory, see `Dataset::open_immutable`).
    Immutable,
}

/// This process's claim on the facts file (see `held`); keep it as long as the connection.
pub struct FactsHold {
    _held: held::Held,
}

/// Whether `conn` has the facts file attached.
pub fn is_attached(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM pragma_database_list WHERE name = ?1",
            [SCHEMA],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// The schema `table` lives in: `facts` when the facts file is attached and holds it, else
/// `main`.
pub fn schema_of(conn: &Connection, table: &str) -> Result<&'static str> {
    if !TABLES.contains(&table) || !is_attached(conn)? {
        return Ok("main");
    }
    let there: bool = conn.query_row(
        "SELECT count(*) > 0 FROM facts.sqlite_schema WHERE type = 'table' AND name = ?1",
        [table],
        |r| r.get(0),
    )?;
    Ok(if there { SCHEMA } else { "main" })
}

fn missing(dataset: &Path, facts: &Path) -> JichaError {
    JichaError::DatasetSaid(DatasetWrong::FactsMissing {
        path: dataset.display().to_string(),
        facts: facts.display().to_string(),
    })
}

fn foreign(dataset: &Path, facts: &Path) -> JichaError {
    JichaError::DatasetSaid(DatasetWrong::FactsForeign {
        path: dataset.display().to_string(),
        facts: facts.display().to_string(),
    })
}

/// Refuses a facts file that is missing or whose header is not a facts file's, reading the
/// header directly (never through SQLite, which could create or change it).
fn check_file(dataset: &Path, facts: &Path) -> Result<()> {
    match held::unless_held(facts, || header::read(facts)) {
        None => Ok(()),
        Some(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => Err(missing(dataset, facts)),
        Some(Err(e)) => Err(JichaError::DatasetSaid(DatasetWrong::CannotReach {
            path: facts.display().to_string(),
            why: e.to_string(),
        })),
        Some(Ok(FileKind::Sqlite { application_id, .. }))
            if i64::from(application_id) == APPLICATION_ID =>
        {
            Ok(())
        }
        Some(Ok(_)) => Err(foreign(dataset, facts)),
    }
}

/// Attaches the facts file of the workflow file `dataset` to `conn` as `facts` (nothing when it
/// is attached already) and checks that it is this dataset's: its header, then the pairing id.
/// A read-write connection gets `facts.synchronous=FULL`.
pub fn attach(conn: &Connection, dataset: &Path, mode: Mode) -> Result<FactsHold> {
    let facts = path_of(dataset);
    if !is_attached(conn)? {
        check_file(dataset, &facts)?;
        let name = match mode {
            Mode::Immutable => format!(
                "file:{}?mode=ro&immutable=1",
                super::uri_escape(&facts.to_string_lossy())
            ),
            _ => facts.to_string_lossy().into_owned(),
        };
        let attached = conn
            .execute("ATTACH DATABASE ?1 AS facts", [name])
            .map_err(JichaError::from)
            .and_then(|_| check_pair(conn, dataset, &facts));
        if let Err(e) = attached {
            let _ = conn.execute_batch("DETACH DATABASE facts");
            if mode == Mode::ReadOnly && super::cannot_share_memory(&e) {
                // A reader who may not create the facts file's -shm (no writer has it open)
                // reads it as it is, as the workflow file gets (`Dataset::open_immutable`).
                attach_immutable(conn, dataset, &facts)?;
            } else {
                return Err(e);
            }
        }
        if mode == Mode::ReadWrite {
            conn.execute_batch("PRAGMA facts.synchronous=FULL;")?;
            // A restored backup copy is in rollback mode: the facts file runs in WAL.
            let journal: String = conn.query_row("PRAGMA facts.journal_mode", [], |r| r.get(0))?;
            if !journal.eq_ignore_ascii_case("wal") {
                conn.query_row("PRAGMA facts.journal_mode=WAL", [], |_| Ok(()))?;
            }
        }
    }
    Ok(FactsHold {
        _held: held::hold(&facts),
    })
}

/// A read-only connection that cannot set up the facts file's shared memory: with no -wal
/// file, every committed import is in the facts file, which is then attached `immutable`.
fn attach_immutable(conn: &Connection, dataset: &Path, facts: &Path) -> Result<()> {
    let wal = super::wal_path(facts);
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Err(JichaError::DatasetSaid(DatasetWrong::WalInUse {
            path: facts.display().to_string(),
            wal: wal.display().to_string(),
            shm: super::shm_path(facts).display().to_string(),
        }));
    }
    let uri = format!(
        "file:{}?mode=ro&immutable=1",
        super::uri_escape(&facts.to_string_lossy())
    );
    conn.execute("ATTACH DATABASE ?1 AS facts", [uri])?;
    if let Err(e) = check_pair(conn, dataset, facts) {
        let _ = conn.execute_batch("DETACH DATABASE facts");
        return Err(e);
    }
    Ok(())
}

/// Attaches the facts file to a further connection of this process (a scan worker, the site
/// rules' sandbox) opened on the file of `dataset_conn`. Nothing when the dataset has none yet.
pub fn attach_beside(conn: &Connection, dataset_conn: &Connection) -> Result<Option<FactsHold>> {
    if !is_attached(dataset_conn)? {
        return Ok(None);
    }
    let Some(path) = dataset_conn.path().filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    let mode = if conn.is_readonly(rusqlite::MAIN_DB)? {
        Mode::ReadOnly
    } else {
        Mode::ReadWrite
    };
    attach(conn, Path::new(path), mode).map(Some)
}

/// The pairing id of both files must be the same.
fn check_pair(conn: &Connection, dataset: &Path, facts: &Path) -> Result<()> {
    let has_meta: bool = conn.query_row(
        "SELECT count(*) > 0 FROM facts.sqlite_schema WHERE type = 'table' AND name = 'facts_meta'",
        [],
        |r| r.get(0),
    )?;
    if !has_meta {
        return Err(foreign(dataset, facts));
    }
    let theirs: Option<String> = conn
        .query_row(
            "SELECT value FROM facts.facts_meta WHERE key = ?1",
            [PAIR_KEY],
            |r| r.get(0),
        )
        .optional()?;
    let ours: Option<String> = conn
        .query_row(
            "SELECT value FROM main.meta WHERE key = ?1",
            [PAIR_KEY],
            |r| r.get(0),
        )
        .optional()?;
    match (ours, theirs) {
        (Some(a), Some(b)) if a == b => Ok(()),
        _ => Err(foreign(dataset, facts)),
    }
}

/// A new random pairing id.
fn new_pair_id() -> String {
    let mut bytes = [0u8; 16];
    if getrandom(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        bytes = (nanos ^ (u128::from(std::process::id()) << 64)).to_le_bytes();
    }
    hex::encode(bytes)
}

fn getrandom(buf: &mut [u8]) -> std::io::Result<()> {
    use std::io::Read;
    std::fs::File::open("/dev/urandom")?.read_exact(buf)
}

/// Migration 15's first half: builds the facts file of the schema-14 workflow file `dataset`
/// from its facts tables (the rows as committed; the caller holds the workflow file's write
/// lock, so they cannot change meanwhile) under a temporary name, and renames it into place.
/// Returns the pairing id, which the caller's transaction records in `meta` as it drops the
/// tables from the workflow file: until that commits, the workflow file is still version 14
/// and holds every row, so a facts file left by a migration that died is only a copy, which
/// the next attempt replaces.
pub fn build_from(dataset: &Path) -> Result<String> {
    let facts = path_of(dataset);
    remove_leftover(dataset, &facts)?;
    let building = super::create::Building::start(&facts)?;
    let pair = new_pair_id();
    {
        let conn = Connection::open(building.temp())?;
        conn.execute_batch(&format!(
            "PRAGMA page_size = 16384; PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 1;"
        ))?;
        let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(JichaError::DatasetSaid(DatasetWrong::NoWal {
                path: facts.display().to_string(),
                mode,
            }));
        }
        conn.execute_batch("PRAGMA synchronous=FULL;")?;
        let src = format!(
            "file:{}?mode=ro",
            super::uri_escape(&dataset.to_string_lossy())
        );
        conn.execute("ATTACH DATABASE ?1 AS src", [src])?;
        conn.execute_batch("BEGIN")?;
        copy_tables(&conn, "main", "src", &pair)?;
        conn.execute_batch("COMMIT")?;
        conn.execute_batch("DETACH DATABASE src")?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        conn.close().map_err(|(_, e)| JichaError::Sql(e))?;
    }
    if !building.place(&facts)? {
        // Another process placed one meanwhile: it cannot (we hold the workflow write lock).
        return Err(foreign(dataset, &facts));
    }
    Ok(pair)
}

/// Copies each facts table of schema `src` as it is defined there (with its indexes and rows)
/// into schema `dst`, adds `imports.sources` and `facts_meta`. Inside the caller's transaction.
fn copy_tables(conn: &Connection, dst: &str, src: &str, pair: &str) -> Result<()> {
    for table in TABLES.iter().rev() {
        let sql: Option<String> = conn
            .query_row(
                &format!("SELECT sql FROM {src}.sqlite_schema WHERE type = 'table' AND name = ?1"),
                [table],
                |r| r.get(0),
            )
            .optional()?;
        let Some(sql) = sql else {
            return Err(JichaError::Dataset(format!(
                "upgrading to schema {FIRST_VERSION}: the dataset has no {table} table; nothing was changed"
            )));
        };
        conn.execute_batch(&qualify(&sql, dst))?;
        conn.execute_batch(&format!(
            "INSERT INTO {dst}.{table} SELECT * FROM {src}.{table};"
        ))?;
        let indexes: Vec<String> = {
            let mut stmt = conn.prepare(&format!(
                "SELECT sql FROM {src}.sqlite_schema WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL"
            ))?;
            let rows = stmt.query_map([table], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for sql in indexes {
            conn.execute_batch(&qualify(&sql, dst))?;
        }
    }
    conn.execute_batch(&format!(
        "ALTER TABLE {dst}.imports ADD COLUMN sources TEXT;
         CREATE TABLE {dst}.facts_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    ))?;
    conn.execute(
        &format!("INSERT INTO {dst}.facts_meta(key, value) VALUES (?1, ?2)"),
        [PAIR_KEY, pair],
    )?;
    Ok(())
}

/// A `CREATE TABLE name …` / `CREATE [UNIQUE] INDEX name ON …` of `sqlite_schema`, made to
/// create its object in schema `dst` (unchanged for `main`).
fn qualify(sql: &str, dst: &str) -> String {
    if dst == "main" {
        return sql.to_string();
    }
    for head in ["CREATE TABLE ", "CREATE UNIQUE INDEX ", "CREATE INDEX "] {
        if let Some(rest) = sql.strip_prefix(head) {
            let rest = rest.trim_start();
            let rest = rest
                .strip_prefix("main.")
                .or_else(|| rest.strip_prefix("\"main\"."))
                .unwrap_or(rest);
            return format!("{head}{dst}.{rest}");
        }
    }
    sql.to_string()
}

/// Migration 15 on a connection without a file (an in-memory dataset of the tests): the facts
/// tables move into an in-memory `facts` schema, attached here (outside any transaction).
pub fn attach_in_memory(conn: &Connection) -> Result<()> {
    if !is_attached(conn)? {
        conn.execute_batch("ATTACH DATABASE ':memory:' AS facts")?;
    }
    Ok(())
}

/// The in-memory half of migration 15, inside its transaction: copies the facts tables into
/// the attached in-memory `facts` and returns the pairing id.
pub fn move_in_memory(conn: &Connection) -> Result<String> {
    let pair = new_pair_id();
    copy_tables(conn, SCHEMA, "main", &pair)?;
    Ok(pair)
}

/// A facts file at the place of a workflow file still at schema 14 was left by an upgrade that
/// died before its commit (the workflow file still holds every row): it goes. Anything else
/// there is refused.
fn remove_leftover(dataset: &Path, facts: &Path) -> Result<()> {
    if std::fs::symlink_metadata(facts).is_err() {
        return Ok(());
    }
    match header::read(facts) {
        Ok(FileKind::Sqlite { application_id, .. })
            if i64::from(application_id) == APPLICATION_ID =>
        {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let mut p = facts.as_os_str().to_os_string();
                p.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(p));
            }
            Ok(())
        }
        _ => Err(foreign(dataset, facts)),
    }
}

/// The files of the facts file that `Building` leaves beside a dataset built under a temporary
/// name: moved to the dataset's final name by `place_beside`.
pub fn place_beside(built: &Path, dataset: &Path) -> std::io::Result<()> {
    let from = path_of(built);
    if std::fs::symlink_metadata(&from).is_err() {
        return Ok(());
    }
    std::fs::File::open(&from)?.sync_all()?;
    std::fs::rename(&from, path_of(dataset))
}
