//! Digests of the source tables (the imported export): too many rows for a ledger row each, so
//! a seal records one ordered SHA-256 per table instead, over every row in primary-key order.

use super::canon::{encode_value, TableShape};
use crate::error::Result;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SourceDigest {
    pub rows: u64,
    pub digest: String,
}

/// The digest of one source table as it is now: SHA-256 over every row in key order, each value
/// tagged with its type and length-prefixed. Every column counts, `import_id` and `src_line`
/// included: only an import moves them.
pub fn source_digest(conn: &Connection, table: &'static str) -> Result<SourceDigest> {
    let shape = TableShape::read(conn, table, &[])?;
    let order: Vec<String> = if shape.without_rowid {
        shape
            .key_columns
            .iter()
            .map(|&i| format!("\"{}\"", shape.columns[i]))
            .collect()
    } else {
        vec!["rowid".into()]
    };
    let sql = format!("{} ORDER BY {}", shape.select_all_sql(), order.join(", "));
    let offset = usize::from(!shape.without_rowid);
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    // One stream over every row (no hash per row, no column names): the digest is re-read
    // on every import, so it must cost little next to the import itself.
    let mut h = Sha256::new();
    let mut buf = Vec::with_capacity(512);
    let mut n = 0u64;
    let width = shape.columns.len();
    while let Some(r) = rows.next()? {
        buf.clear();
        for i in 0..width {
            encode_value(&mut buf, r.get_ref(i + offset)?);
        }
        h.update(&buf);
        n += 1;
    }
    Ok(SourceDigest {
        rows: n,
        digest: hex::encode(h.finalize()),
    })
}
