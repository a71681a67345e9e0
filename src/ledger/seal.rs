//! The write side: per-connection TEMP triggers note what a write changed; `seal` ledgers and
//! seals it inside the same transaction, before the commit.
//!
//! Why triggers and not SQLite's update hook: the update hook does not fire for WITHOUT ROWID
//! tables (operators, thresholds, ticket_findings, quality_values, quality_levels are), and the
//! pre-update hook needs a libsqlite3-sys build with bindgen (libclang). TEMP triggers live in
//! the connection, not in the file, so nobody else's sqlite3 sees or runs them; a table with a
//! trigger is never emptied by the truncate optimisation; their `WHEN` clause skips updates
//! that move only volatile columns (a rescan's last_seen / last_scan) at SQL speed. Source
//! tables get no triggers (an import writes every row); a write that adds an `imports` row
//! digests them all.

use super::canon::{content, update_fields, Content, RowHasher, TableShape};
use super::sources::source_digest;
use super::{AUDITED, SEAL_ACTION, SOURCES};
use crate::context::{Ctx, Lang, Role};
use crate::error::Result;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The SQL function the triggers call to hash a row's old values: `(name, value, name, value…)`.
const HASH_FUNCTION: &str = "jicha_ledger_row_hash";
/// Bumped when the triggers' text changes, so an open connection reinstalls them.
const TRIGGER_GENERATION: &str = "jicha_ledger_v6";

/// The key under which a log record's details carry its seal. `~` sorts after every letter, so
/// the seal comes last when details are shown (serde_json sorts keys) and truncated.
pub const SEAL_KEY: &str = "~ledger_seal";

/// The ledger's watch over one write transaction: start it when the transaction begins and
/// `seal` before the commit. The triggers stay installed for the connection's next write.
pub struct Watch;

impl Watch {
    pub fn start(conn: &Connection) -> Result<Watch> {
        if !installed(conn) {
            install(conn, &shapes(conn)?)?;
        }
        Ok(Watch)
    }

    /// Seals what the write changed after its last log record (a write that logged nothing,
    /// or changes made after its record) with a `state.seal` record of its own. A write on a
    /// dataset without a ledger yet (creating it) leaves the baseline to its first log record.
    pub fn seal(&self, conn: &Connection) -> Result<()> {
        if ledger_is_empty(conn)? {
            take_touched(conn)?;
            return Ok(());
        }
        if let Some(seal) = pending_seal(conn)? {
            let details = json!({ SEAL_KEY: seal });
            crate::actionlog::append(conn, &seal_ctx(conn)?, SEAL_ACTION, "state", &details)?;
        }
        Ok(())
    }
}

/// The details of a log record about to be appended, with the seal of every change the write
/// made since its previous record (the first record on a dataset without a ledger seals the
/// baseline of every row). Unchanged when nothing is pending or the connection is not watched.
pub fn with_seal<'d>(
    conn: &Connection,
    details: &'d serde_json::Value,
) -> Result<std::borrow::Cow<'d, serde_json::Value>> {
    use std::borrow::Cow;
    if !details.is_object() || !installed(conn) {
        return Ok(Cow::Borrowed(details));
    }
    match pending_seal(conn)? {
        None => Ok(Cow::Borrowed(details)),
        Some(seal) => {
            let mut d = details.clone();
            d[SEAL_KEY] = seal;
            Ok(Cow::Owned(d))
        }
    }
}

fn installed(conn: &Connection) -> bool {
    conn.query_row(
        "SELECT count(*) > 0 FROM temp.sqlite_schema WHERE type = 'table' AND name = ?1",
        [TRIGGER_GENERATION],
        |r| r.get(0),
    )
    .unwrap_or(false)
}

/// For `log reanchor`: records may have been lost before the re-established anchor, so the
/// ledger rows that no seal covers go (the records that would have sealed them are gone), and
/// the re-anchoring record seals a new baseline of every row, from which the state is checked
/// against the log again. Returns how many unsealed ledger rows were removed.
pub fn rebaseline(conn: &Connection) -> Result<u64> {
    let sealed_to: i64 = conn.query_row(
        &format!(
            "SELECT coalesce(max(details ->> '$.\"{SEAL_KEY}\".last'), 0) FROM action_log WHERE json_valid(details)"
        ),
        [],
        |r| r.get(0),
    )?;
    let removed = conn.execute("DELETE FROM state_ledger WHERE seq > ?1", [sealed_to])?;
    conn.execute_batch("CREATE TEMP TABLE IF NOT EXISTS ledger_rebaseline(requested)")?;
    Ok(removed as u64)
}

/// Whether `rebaseline` asked for a baseline in this transaction; the request is used once.
fn take_rebaseline_request(conn: &Connection) -> Result<bool> {
    let requested: bool = conn.query_row(
        "SELECT count(*) > 0 FROM temp.sqlite_schema WHERE type = 'table' AND name = 'ledger_rebaseline'",
        [],
        |r| r.get(0),
    )?;
    if requested {
        conn.execute_batch("DROP TABLE temp.ledger_rebaseline")?;
    }
    Ok(requested)
}

fn ledger_is_empty(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM state_ledger LIMIT 1", [], |_| Ok(()))
        .optional()?
        .is_none())
}

/// Ledgers the audited rows changed since the last seal and returns the seal that commits to
/// those ledger rows (and to the digests of changed source tables); None when nothing changed.
fn pending_seal(conn: &Connection) -> Result<Option<serde_json::Value>> {
    let shapes = shapes(conn)?;
    let baseline = ledger_is_empty(conn)? || take_rebaseline_request(conn)?;
    let first: i64 = conn.query_row(
        "SELECT coalesce(max(seq), 0) + 1 FROM state_ledger",
        [],
        |r| r.get(0),
    )?;
    let touched = take_touched(conn)?;
    // Only an import writes the source tables, and every import adds an `imports` row: a
    // trigger on each source row instead would cost an import more than the digest itself.
    let imported = touched
        .iter()
        .any(|t| t.table == "imports" && t.before.is_none());
    let mut writer = LedgerWriter::new(conn, first);
    let mut unexpected = Vec::new();
    let mut sources = BTreeMap::new();
    if baseline {
        for shape in shapes.iter() {
            writer.all_rows(shape)?;
        }
    } else {
        // Prepared once per seal, not per row: a scan seals thousands of rows, and the
        // connection's statement cache is too small to hold these beside the scan's own.
        let mut latest_stmt = conn.prepare(
            "SELECT hash FROM state_ledger WHERE tbl = ?1 AND row_key = ?2 ORDER BY seq DESC LIMIT 1",
        )?;
        let mut current_stmts: Vec<Option<rusqlite::Statement>> =
            shapes.iter().map(|_| None).collect();
        for t in &touched {
            let Some(at) = shapes.iter().position(|s| s.name == t.table) else {
                continue;
            };
            let shape = &shapes[at];
            let key = &t.key[..shape.key_len()];
            let key_text = shape.key_text(key);
            let latest: Option<Option<String>> = latest_stmt
                .query_row([shape.name, key_text.as_str()], |r| r.get(0))
                .optional()?;
            // The row as this write found it should be what the ledger last recorded:
            // otherwise it had been changed outside jicha, and this write would hide that.
            if let Some(before) = &t.before {
                if latest.as_ref().and_then(|h| h.as_deref()) != Some(before.as_str()) {
                    unexpected.push(format!("{} {key_text}", shape.name));
                }
            }
            let stmt = match &mut current_stmts[at] {
                Some(stmt) => stmt,
                slot => slot.insert(conn.prepare(&shape.select_by_key_sql())?),
            };
            let now = stmt
                .query_row(rusqlite::params_from_iter(key), |r| {
                    content(shape, |i| r.get_ref(i))
                })
                .optional()?;
            if now.as_ref().map(|c| &c.hash) != latest.as_ref().and_then(|h| h.as_ref()) {
                writer.push(shape.name, &key_text, now.as_ref())?;
            }
        }
    }
    if imported && !baseline {
        // The import digested the source tables in its own facts transaction, so this
        // (workflow) write does not hold the lock for it; see `super::facts`.
        sources = super::facts::stored_digests(conn)?;
    }
    for table in SOURCES {
        if (baseline || imported) && !sources.contains_key(*table) {
            sources.insert(*table, source_digest(conn, table)?);
        }
    }
    let (rows, digest) = writer.finish();
    if rows == 0 && sources.is_empty() && unexpected.is_empty() && !baseline {
        return Ok(None);
    }
    let mut seal = json!({"rows": rows, "digest": digest});
    if rows > 0 {
        seal["first"] = json!(first);
        seal["last"] = json!(first + rows as i64 - 1);
    }
    if baseline {
        seal["baseline"] = json!(true);
    }
    if !sources.is_empty() {
        seal["sources"] = serde_json::to_value(&sources).unwrap_or_default();
    }
    if !unexpected.is_empty() {
        seal["changed_outside"] = json!(unexpected);
    }
    Ok(Some(seal))
}

/// The shapes of the audited tables, read once per schema: a log record in a bulk action must
/// not re-read sixteen table definitions.
fn shapes(conn: &Connection) -> Result<std::sync::Arc<Vec<TableShape>>> {
    use std::sync::{Arc, Mutex};
    static CACHE: Mutex<Option<(String, Arc<Vec<TableShape>>)>> = Mutex::new(None);
    let names: Vec<&str> = AUDITED.iter().map(|(n, _)| *n).collect();
    let listed = names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut from = format!(
        "SELECT 'main' AS s, name, sql FROM main.sqlite_schema WHERE type = 'table' AND name IN ({listed})"
    );
    if crate::db::facts::is_attached(conn)? {
        from.push_str(&format!(
            " UNION ALL SELECT 'facts', name, sql FROM facts.sqlite_schema WHERE type = 'table' AND name IN ({listed})"
        ));
    }
    let schema: String = conn.query_row(
        &format!(
            "SELECT coalesce(group_concat(s || '.' || name || ':' || sql, ';'), '') FROM ({from} ORDER BY name)"
        ),
        [],
        |r| r.get(0),
    )?;
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((key, shapes)) = cache.as_ref() {
        if *key == schema {
            return Ok(shapes.clone());
        }
    }
    let shapes = Arc::new(
        AUDITED
            .iter()
            .map(|(name, volatile)| TableShape::read(conn, name, volatile))
            .collect::<Result<Vec<_>>>()?,
    );
    *cache = Some((schema, shapes.clone()));
    Ok(shapes)
}

/// Installs, for this connection only, the function, the temp table and the triggers that
/// note every change to an audited table.
fn install(conn: &Connection, shapes: &[TableShape]) -> Result<()> {
    conn.create_scalar_function(
        HASH_FUNCTION,
        -1,
        FunctionFlags::SQLITE_UTF8
            | FunctionFlags::SQLITE_DETERMINISTIC
            | FunctionFlags::SQLITE_INNOCUOUS,
        |ctx| {
            let mut h = RowHasher::default();
            for i in (0..ctx.len()).step_by(2) {
                let name = ctx.get_raw(i).as_str().unwrap_or_default().to_string();
                if i + 1 < ctx.len() {
                    h.add(&name, ctx.get_raw(i + 1));
                }
            }
            Ok(hex::encode(h.finish()))
        },
    )?;
    let mut sql = String::from(
        "CREATE TEMP TABLE IF NOT EXISTS ledger_touched (
             n INTEGER PRIMARY KEY, tbl TEXT NOT NULL, k1 NOT NULL, k2 NOT NULL, k3 NOT NULL, before TEXT,
             UNIQUE (tbl, k1, k2, k3));\n",
    );
    for shape in shapes {
        sql.push_str(&triggers_sql(shape));
    }

    sql.push_str(&format!(
        "CREATE TEMP TABLE IF NOT EXISTS {TRIGGER_GENERATION} (x);\n"
    ));
    conn.execute_batch(&sql)?;
    Ok(())
}

/// Three TEMP triggers on one audited table: insert, delete, and update of a counted column.
fn triggers_sql(shape: &TableShape) -> String {
    let t = shape.name;
    let keys = |row: &str| -> String {
        let mut k: Vec<String> = if shape.without_rowid {
            shape
                .key_columns
                .iter()
                .map(|&i| format!("{row}.\"{}\"", shape.columns[i]))
                .collect()
        } else {
            vec![format!("{row}.rowid")]
        };
        k.resize(3, "''".into());
        k.join(", ")
    };
    let hash_old = {
        let args: Vec<String> = shape
            .columns
            .iter()
            .zip(&shape.counted)
            .filter(|(_, counted)| **counted)
            .map(|(c, _)| format!("'{c}', OLD.\"{c}\""))
            .collect();
        format!("{HASH_FUNCTION}({})", args.join(", "))
    };
    let changed: Vec<String> = shape
        .columns
        .iter()
        .zip(&shape.counted)
        .filter(|(_, counted)| **counted)
        .map(|(c, _)| format!("OLD.\"{c}\" IS NOT NEW.\"{c}\""))
        .collect();
    // Not `INSERT OR IGNORE`: inside a trigger the outer statement's conflict policy wins (an
    // upsert of thresholds failed on it). Not `… WHERE NOT EXISTS (…)` either: SQLite runs that
    // form in time quadratic in the rows of the write (1.5 s for 5,000 inserted findings). An
    // upsert clause is the trigger's own and keeps the first state noted.
    let note = |row: &str, before: &str| {
        format!(
            "INSERT INTO temp.ledger_touched(tbl, k1, k2, k3, before) VALUES ('{t}', {}, {before})
             ON CONFLICT DO NOTHING;",
            keys(row)
        )
    };
    format!(
        "DROP TRIGGER IF EXISTS temp.ledger_{t}_i; DROP TRIGGER IF EXISTS temp.ledger_{t}_d; DROP TRIGGER IF EXISTS temp.ledger_{t}_u;
         CREATE TEMP TRIGGER ledger_{t}_i AFTER INSERT ON {s}.{t} BEGIN {ins} END;
         CREATE TEMP TRIGGER ledger_{t}_d BEFORE DELETE ON {s}.{t} BEGIN {del} END;
         CREATE TEMP TRIGGER ledger_{t}_u BEFORE UPDATE ON {s}.{t} WHEN {when} BEGIN {upd_old} {upd_new} END;\n",
        s = shape.schema,
        ins = note("NEW", "NULL"),
        del = note("OLD", &hash_old),
        when = changed.join(" OR "),
        upd_old = note("OLD", &hash_old),
        upd_new = note("NEW", "NULL"),
    )
}

/// One audited row the write changed, as the triggers noted it (first state first).
struct Touched {
    table: String,
    key: Vec<Value>,
    before: Option<String>,
}

fn take_touched(conn: &Connection) -> Result<Vec<Touched>> {
    let touched = {
        let mut stmt = conn
            .prepare_cached("SELECT tbl, k1, k2, k3, before FROM temp.ledger_touched ORDER BY n")?;
        let rows = stmt.query_map([], |r| {
            Ok(Touched {
                table: r.get(0)?,
                key: vec![r.get(1)?, r.get(2)?, r.get(3)?],
                before: r.get(4)?,
            })
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    conn.execute("DELETE FROM temp.ledger_touched WHERE true", [])?;
    Ok(touched)
}

/// Appends ledger rows in sequence order and digests them as it goes.
struct LedgerWriter<'c> {
    conn: &'c Connection,
    insert: Option<rusqlite::Statement<'c>>,
    next: i64,
    rows: u64,
    digest: Sha256,
}

impl<'c> LedgerWriter<'c> {
    fn new(conn: &'c Connection, first: i64) -> Self {
        LedgerWriter {
            conn,
            insert: None,
            next: first,
            rows: 0,
            digest: Sha256::new(),
        }
    }

    fn push(&mut self, table: &str, key: &str, now: Option<&Content>) -> Result<()> {
        let (hash, vals) = match now {
            Some(c) => (Some(c.hash.as_str()), Some(c.vals.as_str())),
            None => (None, None),
        };
        let insert = match &mut self.insert {
            Some(stmt) => stmt,
            slot => slot.insert(self.conn.prepare(
                "INSERT INTO state_ledger(seq, tbl, row_key, hash, vals) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?),
        };
        insert.execute(params![self.next, table, key, hash, vals])?;
        digest_entry(&mut self.digest, self.next, table, key, hash, vals);
        self.next += 1;
        self.rows += 1;
        Ok(())
    }

    /// Ledgers every row of a table, for the baseline.
    fn all_rows(&mut self, shape: &TableShape) -> Result<()> {
        let mut stmt = self.conn.prepare(&shape.select_all_sql())?;
        let offset = usize::from(!shape.without_rowid);
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let key = shape.key_text(&shape.key_of_row(r)?);
            let c = content(shape, |i| r.get_ref(i + offset))?;
            self.push(shape.name, &key, Some(&c))?;
        }
        Ok(())
    }

    fn finish(self) -> (u64, String) {
        (self.rows, hex::encode(self.digest.finalize()))
    }
}

/// One ledger row's part of a seal's digest.
pub fn digest_entry(
    h: &mut Sha256,
    seq: i64,
    table: &str,
    key: &str,
    hash: Option<&str>,
    vals: Option<&str>,
) {
    let seq = seq.to_string();
    update_fields(
        h,
        &[&seq, table, key, hash.unwrap_or("-"), vals.unwrap_or("-")],
    );
}

/// The seal is logged as the operator and business date of the write's own log record (the
/// latest one); a write that logged nothing (creating a dataset) as the real login, today.
fn seal_ctx(conn: &Connection) -> Result<Ctx> {
    let last: Option<(String, String)> = conn
        .query_row(
            "SELECT operator, business_date FROM action_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let today = chrono::Utc::now().date_naive();
    let (operator, date) = last.unwrap_or_else(|| (crate::context::os_login(), today.to_string()));
    Ok(Ctx {
        unit: None,
        operator,
        role: Role::Viewer,
        today: date.parse().unwrap_or(today),
        lang: Lang::En,
    })
}
