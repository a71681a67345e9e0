//! The ledger's side of the facts file (`crate::db::facts`): the import writes its rows in a
//! facts transaction of its own, and its log record is written afterwards, in a short workflow
//! write (`crate::import::land`). So the import digests the source tables itself, before its
//! facts commit (`source_digests`, stored in `imports.sources`), and the landing write notes the
//! import's audited rows (`note_import`) for the seal of its record to ledger them.

use super::sources::{source_digest, SourceDigest};
use super::SOURCES;
use crate::error::Result;
use rusqlite::{Connection, OptionalExtension};
use std::collections::BTreeMap;

/// The facts tables the ledger keeps a row for (every other facts table is a source table).
const AUDITED_FACTS: &[&str] = &["imports", "source_history"];

/// The digest of every source table after import `import_id`, within its facts transaction:
/// a table the import did not touch (no row inserted or updated in its file, no history row of
/// its file replaced by it) keeps the digest the import before it stored, and is not re-read.
/// Re-reading it would cost a pass over every row (all the bills) on every import, and would
/// also launder an edit made behind jicha's back since that import: carried forward, the digest
/// still names such an edit in `log verify`. Without a previous digest the table is read.
pub fn source_digests_after(
    conn: &Connection,
    import_id: i64,
    written: &std::collections::BTreeSet<String>,
) -> Result<BTreeMap<&'static str, SourceDigest>> {
    let previous: Option<String> = conn
        .query_row(
            "SELECT sources FROM facts.imports WHERE id < ?1 ORDER BY id DESC LIMIT 1",
            [import_id],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let previous: BTreeMap<String, SourceDigest> = previous
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let mut replaced = std::collections::BTreeSet::new();
    let mut stmt =
        conn.prepare("SELECT DISTINCT file FROM facts.source_history WHERE replaced_by = ?1")?;
    for file in stmt.query_map([import_id], |r| r.get::<_, String>(0))? {
        replaced.insert(file?);
    }
    SOURCES
        .iter()
        .map(|t| {
            let file = format!("{t}.csv");
            let touched = written.contains(&file) || replaced.contains(&file);
            match previous.get(*t) {
                Some(d) if !touched => Ok((*t, d.clone())),
                _ => Ok((*t, source_digest(conn, t)?)),
            }
        })
        .collect()
}

/// The source digests the latest import stored with its facts commit: the state of the source
/// tables as the facts file holds it (only an import writes them). Empty when there is none
/// (or it cannot be read: the seal then digests the tables itself).
pub fn stored_digests(conn: &Connection) -> Result<BTreeMap<&'static str, SourceDigest>> {
    if !crate::db::facts::is_attached(conn)? {
        return Ok(BTreeMap::new());
    }
    let text: Option<String> = conn
        .query_row(
            "SELECT sources FROM facts.imports ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let Some(text) = text else {
        return Ok(BTreeMap::new());
    };
    let stored: BTreeMap<String, SourceDigest> = serde_json::from_str(&text).unwrap_or_default();
    Ok(SOURCES
        .iter()
        .filter_map(|t| stored.get(*t).map(|d| (*t, d.clone())))
        .collect())
}

fn watched(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) > 0 FROM temp.sqlite_schema WHERE type = 'table' AND name = 'ledger_touched'",
        [],
        |r| r.get(0),
    )?)
}

/// Notes import `id`'s audited rows (its `imports` row and the source history rows it wrote)
/// as changed by the current write, whose seal then ledgers them. Needs the ledger's watch
/// (inside `Dataset::write`).
pub fn note_import(conn: &Connection, id: i64) -> Result<()> {
    if !watched(conn)? {
        return Ok(());
    }
    conn.execute(
        "INSERT INTO temp.ledger_touched(tbl, k1, k2, k3, before) VALUES ('imports', ?1, '', '', NULL)
         ON CONFLICT DO NOTHING",
        [id],
    )?;
    conn.execute(
        "INSERT INTO temp.ledger_touched(tbl, k1, k2, k3, before)
         SELECT 'source_history', id, '', '', NULL FROM facts.source_history WHERE replaced_by = ?1
         ORDER BY id
         ON CONFLICT DO NOTHING",
        [id],
    )?;
    Ok(())
}

/// Forgets what the ledger's triggers noted about the facts tables in the current (facts)
/// transaction: its landing notes them itself (`note_import`), also when another process
/// lands it, and an operator's next write must not seal (and digest) an import again.
pub fn forget_facts_notes(conn: &Connection) -> Result<()> {
    if !watched(conn)? {
        return Ok(());
    }
    let listed = AUDITED_FACTS
        .iter()
        .map(|t| format!("'{t}'"))
        .collect::<Vec<_>>()
        .join(", ");
    conn.execute(
        &format!("DELETE FROM temp.ledger_touched WHERE tbl IN ({listed})"),
        [],
    )?;
    Ok(())
}
