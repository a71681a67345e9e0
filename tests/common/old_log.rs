//! An action log written into an old-schema file built from SQL, chained exactly as
//! `actionlog::append` chains records: what a dataset an older jicha made holds.

use jicha::actionlog::{record_hash, LogRecord, GENESIS_HASH};
use rusqlite::Connection;

/// The dataset id the old file is given (meta `dataset_id`, 32 hex digits).
pub const DATASET_ID: &str = "0123456789abcdef0123456789abcdef";

/// Appends `records` (at_utc, business date, operator, action, target, details) to the log
/// of `conn` (the dataset file `db`) as `actionlog::append` chains them — each hash over the
/// previous one and the record's fields — and gives the dataset its id and its anchor beside
/// it (`SEQ HASH dataset=ID since=0`), as jicha left them after its last write.
pub fn write_log(
    db: &std::path::Path,
    conn: &Connection,
    records: &[(&str, &str, &str, &str, &str, &str)],
) {
    let mut prev = GENESIS_HASH.to_string();
    for (i, (at, date, op, action, target, details)) in records.iter().enumerate() {
        let mut rec = LogRecord {
            seq: i as i64 + 1,
            at_utc: at.to_string(),
            business_date: date.to_string(),
            operator: op.to_string(),
            action: action.to_string(),
            target: target.to_string(),
            details: details.to_string(),
            prev_hash: prev.clone(),
            hash: String::new(),
        };
        rec.hash = record_hash(&rec);
        conn.execute(
            "INSERT INTO action_log(seq, at_utc, business_date, operator, action, target, details, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            rusqlite::params![
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
        )
        .unwrap();
        prev = rec.hash;
    }
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('dataset_id', ?1)",
        [DATASET_ID],
    )
    .unwrap();
    std::fs::write(
        jicha::actionlog::sidecar_path(db),
        format!("{} {prev} dataset={DATASET_ID} since=0\n", records.len()),
    )
    .unwrap();
}
