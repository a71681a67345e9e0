//! The hash-chained action log (操作日志). Each record's hash covers the previous record's hash
//! and every field of its own, so an edited, deleted, swapped or inserted record breaks the chain
//! at that record and `verify` names it. The program only appends.

use crate::context::Ctx;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, serde::Serialize)]
pub struct LogRecord {
    pub seq: i64,
    pub at_utc: String,
    pub business_date: String,
    pub operator: String,
    pub action: String,
    pub target: String,
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of a record: SHA-256 over its previous hash and each of its fields (not its own
/// `hash`), length-prefixed so that moving text from one field to the next changes the hash.
pub fn record_hash(rec: &LogRecord) -> String {
    let mut h = Sha256::new();
    let seq = rec.seq.to_string();
    for field in [
        rec.prev_hash.as_str(),
        &seq,
        &rec.at_utc,
        &rec.business_date,
        &rec.operator,
        &rec.action,
        &rec.target,
        &rec.details,
    ] {
        h.update((field.len() as u64).to_le_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Appends one record inside the caller's write transaction; returns its sequence number.
pub fn append(
    conn: &Connection,
    ctx: &Ctx,
    action: &str,
    target: &str,
    details: &serde_json::Value,
) -> Result<i64> {
    // The record also seals the state changes made since the previous one (src/ledger).
    let details = &*crate::ledger::with_seal(conn, details)?;
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM action_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev_hash) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS_HASH.to_string()),
    };
    let mut rec = LogRecord {
        seq,
        at_utc: ctx.now_utc(),
        business_date: ctx.today.to_string(),
        operator: ctx.operator.clone(),
        action: action.to_string(),
        target: target.to_string(),
        details: details.to_string(),
        prev_hash,
        hash: String::new(),
    };
    rec.hash = record_hash(&rec);
    conn.execute(
        "INSERT INTO action_log(seq, at_utc, business_date, operator, action, target, details, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            rec.seq,
            rec.at_utc,
            rec.business_date,
            rec.operator,
            rec.action,
            rec.target,
            rec.details,
            rec.prev_hash,
            rec.hash
        ],
    )?;
    Ok(seq)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The sequence number of the first record that does not verify.
    pub seq: i64,
    pub why: String,
}

#[derive(Debug, Clone)]
pub struct Verification {
    pub records: u64,
    pub last_hash: String,
    pub first_broken: Option<Broken>,
}

/// Walks the whole chain in sequence order and names the first record that breaks it.
///
/// A record is named by the sequence number where the chain first fails: the first missing
/// number when records were removed or renumbered, else the record whose link or content does
/// not match. A field that is not text (a blob, a number where text belongs, bytes that are not
/// UTF-8) is itself a break at that record, not a read error that would hide which record it is.
pub fn verify(conn: &Connection) -> Result<Verification> {
    let mut stmt = conn.prepare(
        "SELECT seq, at_utc, business_date, operator, action, target, details, prev_hash, hash
         FROM action_log ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut expected_seq = 1i64;
    let mut prev_hash = GENESIS_HASH.to_string();
    let mut records = 0u64;
    while let Some(r) = rows.next()? {
        records += 1;
        let broken = |seq: i64, why: String| Verification {
            records,
            last_hash: prev_hash.clone(),
            first_broken: Some(Broken { seq, why }),
        };
        let rec = match row_to_record_checked(r) {
            Ok(rec) => rec,
            Err((seq, why)) => {
                // A record whose seq itself is unreadable is named by its position.
                return Ok(broken(seq.unwrap_or(expected_seq), why));
            }
        };
        if rec.seq > expected_seq {
            return Ok(broken(
                expected_seq,
                format!(
                    "record {expected_seq} is missing: the sequence jumps from {} to {}",
                    expected_seq - 1,
                    rec.seq
                ),
            ));
        }
        if rec.seq < expected_seq {
            return Ok(broken(
                rec.seq,
                format!(
                    "sequence number {} is out of place: record {expected_seq} was expected",
                    rec.seq
                ),
            ));
        }
        if rec.prev_hash != prev_hash {
            return Ok(broken(
                rec.seq,
                "its link to the previous record does not match: a record before it was changed, removed or swapped".into(),
            ));
        }
        let want = record_hash(&rec);
        if rec.hash != want {
            return Ok(broken(
                rec.seq,
                "its content does not match its hash: the record was edited".into(),
            ));
        }
        prev_hash = rec.hash;
        expected_seq += 1;
    }
    Ok(Verification {
        records,
        last_hash: prev_hash,
        first_broken: None,
    })
}

/// Reads a record for `verify`, refusing values the program never writes: a seq that is not an
/// integer, a field that is not UTF-8 text. Err carries the seq when it could be read.
fn row_to_record_checked(
    r: &rusqlite::Row,
) -> std::result::Result<LogRecord, (Option<i64>, String)> {
    use rusqlite::types::ValueRef;
    let seq = match r.get_ref(0) {
        Ok(ValueRef::Integer(n)) => n,
        _ => return Err((None, "its sequence number is not an integer".into())),
    };
    const NAMES: [&str; 9] = [
        "seq",
        "at_utc",
        "business_date",
        "operator",
        "action",
        "target",
        "details",
        "prev_hash",
        "hash",
    ];
    let mut fields: Vec<String> = Vec::with_capacity(8);
    for (i, name) in NAMES.iter().enumerate().skip(1) {
        let text = match r.get_ref(i) {
            Ok(ValueRef::Text(b)) => std::str::from_utf8(b).ok().map(str::to_string),
            _ => None,
        };
        match text {
            Some(t) => fields.push(t),
            None => {
                return Err((
                    Some(seq),
                    format!(
                    "its field {name} is not text as the program writes it: the record was edited"
                ),
                ))
            }
        }
    }
    let mut f = fields.into_iter();
    let mut next = || f.next().unwrap_or_default();
    Ok(LogRecord {
        seq,
        at_utc: next(),
        business_date: next(),
        operator: next(),
        action: next(),
        target: next(),
        details: next(),
        prev_hash: next(),
        hash: next(),
    })
}

fn row_to_record(r: &rusqlite::Row) -> rusqlite::Result<LogRecord> {
    Ok(LogRecord {
        seq: r.get(0)?,
        at_utc: r.get(1)?,
        business_date: r.get(2)?,
        operator: r.get(3)?,
        action: r.get(4)?,
        target: r.get(5)?,
        details: r.get(6)?,
        prev_hash: r.get(7)?,
        hash: r.get(8)?,
    })
}

/// The newest `limit` records, newest first.
pub fn recent(conn: &Connection, limit: i64) -> Result<Vec<LogRecord>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at_utc, business_date, operator, action, target, details, prev_hash, hash
         FROM action_log ORDER BY seq DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], row_to_record)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every record about one target (e.g. `finding:42`), oldest first: a finding's history.
pub fn for_target(conn: &Connection, target: &str) -> Result<Vec<LogRecord>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at_utc, business_date, operator, action, target, details, prev_hash, hash
         FROM action_log WHERE target = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([target], row_to_record)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The file beside the dataset that holds the latest `seq hash` of the log. The chain inside
/// the dataset catches an edited or deleted record; this anchor outside it catches a truncated
/// tail or a log rewritten from scratch with fresh hashes.
pub fn sidecar_path(db: &std::path::Path) -> std::path::PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".loghead");
    db.with_file_name(name)
}

fn read_sidecar(db: &std::path::Path) -> Option<(i64, String)> {
    let text = std::fs::read_to_string(sidecar_path(db)).ok()?;
    let mut parts = text.split_whitespace();
    let seq = parts.next()?.parse().ok()?;
    let hash = parts.next()?.to_string();
    Some((seq, hash))
}

/// Records the log's latest record in the sidecar, atomically (write, fsync, rename), and only
/// forward: a slower process never moves the anchor back.
pub fn update_sidecar(db: &std::path::Path, conn: &Connection) -> Result<()> {
    use std::io::Write;
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM action_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((seq, hash)) = last else {
        return Ok(());
    };
    if read_sidecar(db).is_some_and(|(s, _)| s >= seq) {
        return Ok(());
    }
    let path = sidecar_path(db);
    let tmp = path.with_extension(format!("loghead.{}", std::process::id()));
    let mut f = std::fs::File::create(&tmp)?;
    // The anchor is shared like the dataset: the same mode, so every writer can move it on.
    if let Ok(meta) = std::fs::metadata(db) {
        let _ = f.set_permissions(meta.permissions());
    }
    writeln!(f, "{seq} {hash}")?;
    f.sync_all()?;
    std::fs::rename(&tmp, &path)?;
    Ok(())
}

/// Compares the chain with the sidecar: None when they agree, else what is wrong.
pub fn check_sidecar(db: &std::path::Path, conn: &Connection) -> Result<Option<String>> {
    let Some((seq, hash)) = read_sidecar(db) else {
        let any: Option<i64> = conn
            .query_row("SELECT seq FROM action_log LIMIT 1", [], |r| r.get(0))
            .optional()?;
        return Ok(any.map(|_| {
            format!(
                "the anchor file {} is missing: truncation or a rewrite of the log cannot be ruled out",
                sidecar_path(db).display()
            )
        }));
    };
    // Compared in SQL: a hash stored as a blob or as bytes that are not UTF-8 is a mismatch,
    // not a read error.
    let stored: Option<bool> = conn
        .query_row(
            "SELECT typeof(hash) = 'text' AND hash = ?2 FROM action_log WHERE seq = ?1",
            rusqlite::params![seq, hash],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match stored {
        None => {
            let last: Option<i64> =
                conn.query_row("SELECT max(seq) FROM action_log", [], |r| r.get(0))?;
            Some(match last {
                Some(l) if l >= seq => {
                    format!("record {seq}, which the anchor file recorded, is missing from the log")
                }
                _ => {
                    let first_gone = last.map_or(1, |l| l + 1);
                    format!(
                        "the log ends before record {first_gone}, but the anchor file recorded record {seq}: records {first_gone}–{seq} were removed from its end"
                    )
                }
            })
        }
        Some(false) => Some(format!(
            "record {seq} differs from the hash recorded outside the dataset: the log was rewritten"
        )),
        Some(true) => None,
    })
}
