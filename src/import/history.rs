//! The import's side of source history (ARCHITECTURE.md "Source history"): while a run
//! writes, TEMP triggers keep the version every upsert replaces and every row a full export no
//! longer holds in `source_history`; a key hash set per file finds duplicates (in the reader)
//! and the rows gone (here, once the file is read); at the end the run's history rows are
//! counted per file and digested for its action-log record.

use super::contract::{FileSpec, FILES};
use crate::error::Result;
use rusqlite::Transaction;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};

/// A row's key as two independent 64-bit SipHash values: 128 bits, so that two keys of one
/// file colliding is out of reach (about 2⁻⁸⁰ for ten million rows), in 16 bytes a key.
pub type KeyHash = (u64, u64);

/// Keys seen in one file of the run, with the physical line that carried each first.
pub type Seen = HashMap<KeyHash, u64>;

pub fn key_hash<'a>(parts: impl IntoIterator<Item = &'a str> + Clone) -> KeyHash {
    let half = |seed: u8| {
        let mut h = std::hash::DefaultHasher::new();
        seed.hash(&mut h);
        for p in parts.clone() {
            p.hash(&mut h);
        }
        h.finish()
    };
    (half(1), half(2))
}

fn json_args(spec: &FileSpec, row: &str) -> String {
    spec.table_columns()
        .iter()
        .map(|c| format!("'{c}', {row}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn key_array(spec: &FileSpec, row: &str) -> String {
    let k: Vec<String> = spec
        .table_key()
        .iter()
        .map(|c| format!("{row}.{c}"))
        .collect();
    format!("json_array({})", k.join(", "))
}

fn cust_of(spec: &FileSpec, row: &str) -> String {
    if spec.column_index("cust_no").is_some() {
        format!("{row}.cust_no")
    } else {
        "NULL".into()
    }
}

/// Installs the run's triggers (TEMP: this connection, this transaction only).
pub fn install(tx: &Transaction, import_id: i64) -> Result<()> {
    let mut sql = String::new();
    for spec in FILES {
        let (t, f) = (spec.table, spec.file);
        sql.push_str(&format!(
            "DROP TRIGGER IF EXISTS temp.hist_{t}_u; DROP TRIGGER IF EXISTS temp.hist_{t}_d;
             CREATE TEMP TRIGGER hist_{t}_u AFTER UPDATE ON facts.{t} BEGIN
               INSERT INTO source_history(file, key, cust_no, kind, old, new, since_import, replaced_by)
               VALUES ('{f}', {ko}, {co}, 'changed', json_object({old}), json_object({new}), OLD.import_id, NEW.import_id);
             END;
             CREATE TEMP TRIGGER hist_{t}_d BEFORE DELETE ON facts.{t} BEGIN
               INSERT INTO source_history(file, key, cust_no, kind, old, new, since_import, replaced_by)
               VALUES ('{f}', {ko}, {co}, 'gone', json_object({old}), NULL, OLD.import_id, {import_id});
             END;\n",
            ko = key_array(spec, "OLD"),
            co = cust_of(spec, "OLD"),
            old = json_args(spec, "OLD"),
            new = json_args(spec, "NEW"),
        ));
    }
    tx.execute_batch(&sql)?;
    Ok(())
}

/// Drops the run's triggers (also undone by a rollback, but a run that commits must not leave
/// them to a later write on the same connection).
pub fn remove(tx: &Transaction) -> Result<()> {
    let mut sql = String::new();
    for spec in FILES {
        let t = spec.table;
        sql.push_str(&format!(
            "DROP TRIGGER IF EXISTS temp.hist_{t}_u; DROP TRIGGER IF EXISTS temp.hist_{t}_d;\n"
        ));
    }
    tx.execute_batch(&sql)?;
    Ok(())
}

/// A full export's file: every stored row whose key the file did not hold is gone (moved to
/// history by the delete trigger). Returns how many.
pub fn mark_gone(tx: &Transaction, spec: &FileSpec, seen: &Seen) -> Result<u64> {
    let key = spec.table_key();
    let mut gone: Vec<Vec<String>> = Vec::new();
    {
        let mut stmt = tx.prepare(&format!("SELECT {} FROM {}", key.join(", "), spec.table))?;
        let mut rows = stmt.query([])?;
        let mut parts: Vec<String> = Vec::with_capacity(key.len());
        while let Some(r) = rows.next()? {
            parts.clear();
            for i in 0..key.len() {
                parts.push(r.get::<_, Option<String>>(i)?.unwrap_or_default());
            }
            if !seen.contains_key(&key_hash(parts.iter().map(String::as_str))) {
                gone.push(parts.clone());
            }
        }
    }
    delete_gone(tx, spec, &gone)
}

/// Deletes the stored rows of `gone` (keys in the table's key order), which moves them to
/// history through the delete trigger. Returns how many.
pub fn delete_gone(tx: &Transaction, spec: &FileSpec, gone: &[Vec<String>]) -> Result<u64> {
    if gone.is_empty() {
        return Ok(0);
    }
    let key = spec.table_key();
    let cond: Vec<String> = key
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ?{}", i + 1))
        .collect();
    let mut del = tx.prepare(&format!(
        "DELETE FROM {} WHERE {}",
        spec.table,
        cond.join(" AND ")
    ))?;
    for k in gone {
        del.execute(rusqlite::params_from_iter(k))?;
    }
    Ok(gone.len() as u64)
}

/// Once customers went: the rows of the other files that name a customer no longer there go
/// with it (into history, never lost), so that no row refers to a missing customer.
pub fn cascade(tx: &Transaction) -> Result<()> {
    for spec in FILES.iter().filter(|s| s.table != "customers") {
        if spec.column_index("cust_no").is_none() {
            continue;
        }
        tx.execute(
            &format!(
                "DELETE FROM {t} WHERE cust_no IS NOT NULL AND cust_no <> ''
                   AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.cust_no = {t}.cust_no)",
                t = spec.table
            ),
            [],
        )?;
    }
    Ok(())
}

/// What one run changed: per file, rows changed and rows gone; and the SHA-256 over every
/// history row the run wrote, in order (id, file, key, kind, old, new, imports).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RunChanges {
    pub changed: BTreeMap<String, u64>,
    pub gone: BTreeMap<String, u64>,
    pub digest: String,
}

pub fn run_changes(tx: &Transaction, import_id: i64) -> Result<RunChanges> {
    let mut stmt = tx.prepare(
        "SELECT id, file, key, kind, old, coalesce(new, ''), since_import, replaced_by
         FROM source_history WHERE replaced_by = ?1 ORDER BY id",
    )?;
    let mut rows = stmt.query([import_id])?;
    let mut out = RunChanges::default();
    let mut h = Sha256::new();
    while let Some(r) = rows.next()? {
        let file: String = r.get(1)?;
        let kind: String = r.get(3)?;
        h.update(row_digest_input(
            r.get(0)?,
            &file,
            &r.get::<_, String>(2)?,
            &kind,
            &r.get::<_, String>(4)?,
            &r.get::<_, String>(5)?,
            r.get(6)?,
            r.get(7)?,
        ));
        let map = if kind == "gone" {
            &mut out.gone
        } else {
            &mut out.changed
        };
        *map.entry(file).or_default() += 1;
    }
    out.digest = hex::encode(h.finalize());
    Ok(out)
}

/// One history row's part of a run's digest: each field length-prefixed, so no two rows
/// encode alike. `crate::history::verify_digest` recomputes it the same way.
#[allow(clippy::too_many_arguments)]
pub fn row_digest_input(
    id: i64,
    file: &str,
    key: &str,
    kind: &str,
    old: &str,
    new: &str,
    since: i64,
    replaced_by: i64,
) -> Vec<u8> {
    let mut buf = Vec::with_capacity(64 + old.len() + new.len());
    for part in [
        id.to_string().as_str(),
        file,
        key,
        kind,
        old,
        new,
        since.to_string().as_str(),
        replaced_by.to_string().as_str(),
    ] {
        buf.extend_from_slice(&(part.len() as u64).to_le_bytes());
        buf.extend_from_slice(part.as_bytes());
    }
    buf
}
