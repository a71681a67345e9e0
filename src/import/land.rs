//! How an import lands: the facts file and the workflow file are two SQLite files, and a
//! transaction spanning both is atomic per file only (WAL), so the import commits them in two
//! steps and the facts file is the truth:
//!
//! 1. the facts transaction (`Dataset::write_facts`): the rows, their history, and the
//!    `imports` row with the run's summary and the source digests. Before its commit nothing
//!    of the import exists anywhere (killed before it, SQLite rolls it back: nothing).
//! 2. the landing (`land_pending`, a short workflow write): for every `imports` row after the
//!    workflow file's `meta.imports_landed`, in order, the import's log record (built from that
//!    row alone, so it is the same whoever writes it) with the seal of its audited rows, and
//!    `imports_landed` moved on.
//!
//! Killed between the two, the import is in the facts file but not in the log: every
//! `Dataset::open` (read-write) lands what is pending, as does the next import, so the import
//! is rolled forward — whole. Two processes landing at once take turns under the workflow
//! lock and the second finds nothing left. No "begun" record is needed: an import that never
//! reached its facts commit left nothing to record (a failed or cancelled import writes
//! nothing, as before).

use crate::context::{Ctx, Lang, Role};
use crate::db::{facts, Dataset};
use crate::error::Result;
use rusqlite::{Connection, OptionalExtension};
use serde_json::json;

/// The test hook: `JICHA_TEST_IMPORT_ABORT=before_commit|after_commit` aborts the process
/// (as a `kill -9` would) just before the facts commit or just after it, before the landing.
pub const ABORT_ENV: &str = "JICHA_TEST_IMPORT_ABORT";

fn abort_at(point: &str, import_id: i64) {
    if std::env::var(ABORT_ENV).is_ok_and(|v| v == point) {
        eprintln!("jicha: {ABORT_ENV}={point}: aborting import {import_id}");
        std::process::abort();
    }
}

/// Called by the import inside its facts transaction, just before the commit.
pub fn before_commit(import_id: i64) -> Result<()> {
    abort_at("before_commit", import_id);
    Ok(())
}

/// Called by the import just after its facts commit, before the landing.
pub fn after_commit(import_id: i64) -> Result<()> {
    abort_at("after_commit", import_id);
    Ok(())
}

/// The imports in the facts file whose log record is not written yet, in order (a read).
pub fn pending(conn: &Connection) -> Result<Vec<i64>> {
    if !facts::is_attached(conn)? {
        return Ok(Vec::new());
    }
    let landed = landed_to(conn)?;
    let mut stmt = conn.prepare("SELECT id FROM facts.imports WHERE id > ?1 ORDER BY id")?;
    let ids = stmt.query_map([landed], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

fn landed_to(conn: &Connection) -> Result<i64> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM main.meta WHERE key = ?1",
            [facts::LANDED_KEY],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Lands every pending import (see the module); returns the ids it landed. Nothing is written
/// when none is pending.
pub fn land_pending(ds: &mut Dataset) -> Result<Vec<i64>> {
    if pending(&ds.conn)?.is_empty() {
        return Ok(Vec::new());
    }
    ds.write(|tx| {
        let ids = pending(tx)?;
        for &id in &ids {
            land_one(tx, id)?;
        }
        if let Some(last) = ids.last() {
            tx.execute(
                "INSERT OR REPLACE INTO main.meta(key, value) VALUES (?1, ?2)",
                rusqlite::params![facts::LANDED_KEY, last.to_string()],
            )?;
        }
        Ok(ids)
    })
}

/// The log record of import `id`, from its `imports` row: what the import itself logged
/// before the facts file existed (`dir`, `files`, `warnings`, `history` with its digest).
fn land_one(tx: &Connection, id: i64) -> Result<()> {
    let (operator, business_date, source_dir, summary): (String, String, String, String) = tx
        .query_row(
            "SELECT operator, business_date, source_dir, summary FROM facts.imports WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
    let summary: serde_json::Value = serde_json::from_str(&summary).unwrap_or_default();
    let details = json!({
        "dir": source_dir,
        "files": summary["files"],
        "warnings": summary["warnings"],
        "history": summary["history"],
    });
    crate::ledger::facts::note_import(tx, id)?;
    let today = chrono::Utc::now().date_naive();
    let ctx = Ctx {
        unit: None,
        operator,
        role: Role::Auditor,
        today: business_date.parse().unwrap_or(today),
        lang: Lang::En,
    };
    crate::actionlog::append(tx, &ctx, "import", &format!("import:{id}"), &details)?;
    Ok(())
}
