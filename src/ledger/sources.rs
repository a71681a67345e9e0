//! Digests of the source tables (the imported export): too many rows for a ledger row each, so
//! a seal records one ordered SHA-256 per table instead, over every row in primary-key order.

use super::canon::{row_hash, TableShape};
use crate::error::Result;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SourceDigest {
    pub rows: u64,
    pub digest: String,
}

/// The digest of one source table as it is now: SHA-256 over each row's content hash, in key
/// order. Every column counts, `import_id` and `src_line` included: only an import moves them.
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
    let mut h = Sha256::new();
    let mut n = 0u64;
    while let Some(r) = rows.next()? {
        h.update(row_hash(&shape, |i| r.get_ref(i + offset))?);
        n += 1;
    }
    Ok(SourceDigest {
        rows: n,
        digest: hex::encode(h.finalize()),
    })
}
