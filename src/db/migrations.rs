//! Versioned schema. `PRAGMA user_version` holds the version; each migration runs in the
//! same transaction as the version bump, so a crash leaves the old or the new schema, never half.

use crate::error::{JichaError, Result};
use rusqlite::Connection;

/// Migrations in order; the version of the schema after migration `i` is `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("sql/001_init.sql"),
    include_str!("sql/002_tickets.sql"),
    include_str!("sql/003_quality.sql"),
    include_str!("sql/004_state_ledger.sql"),
    include_str!("sql/005_site_rules.sql"),
    include_str!("sql/006_units.sql"),
    include_str!("sql/007_review_chain.sql"),
    include_str!("sql/008_escalations.sql"),
    include_str!("sql/009_quality_levels.sql"),
    include_str!("sql/010_inspections.sql"),
    include_str!("sql/011_campaigns.sql"),
    include_str!("sql/012_deductions_qc.sql"),
    include_str!("sql/013_source_history.sql"),
    include_str!("sql/014_saved_views.sql"),
    include_str!("sql/016_scan_state.sql"),
];

/// Tables whose foreign keys are checked after the migration that brings the schema to a
/// version (one that rebuilt a table they refer to), before its commit.
const FK_CHECKED: &[(i64, &[&str])] = &[(7, &["ticket_findings", "ticket_events"])];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// `PRAGMA application_id` of a jicha dataset ("JCHA").
pub const APPLICATION_ID: i64 = 0x4A43_4841;

pub fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

pub fn application_id(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA application_id", [], |r| r.get(0))?)
}

/// Brings the schema up to `SCHEMA_VERSION`. Refuses a dataset from a newer jicha.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    // Read first: an up-to-date dataset needs no write lock (and a read-only user can open it).
    if user_version(conn)? == SCHEMA_VERSION {
        return Ok(());
    }
    loop {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version = user_version(&tx)?;
        if version > SCHEMA_VERSION {
            return Err(JichaError::DatasetSaid(
                crate::i18n::dataset::DatasetWrong::NewerSchema {
                    version,
                    known: SCHEMA_VERSION,
                },
            ));
        }
        if version == SCHEMA_VERSION {
            tx.commit()?;
            return Ok(());
        }
        tx.execute_batch(MIGRATIONS[version as usize])?;
        check_foreign_keys(&tx, version + 1)?;
        tx.execute_batch(&format!(
            "PRAGMA user_version = {}; PRAGMA application_id = {APPLICATION_ID};",
            version + 1
        ))?;
        tx.commit()?;
    }
}

/// `PRAGMA foreign_key_check` on the tables `FK_CHECKED` names for `version`: a row referring to
/// nothing refuses the migration (its transaction is rolled back, the dataset stays as it was).
fn check_foreign_keys(conn: &Connection, version: i64) -> Result<()> {
    for (_, tables) in FK_CHECKED.iter().filter(|(v, _)| *v == version) {
        for table in *tables {
            let mut stmt = conn.prepare(&format!("PRAGMA main.foreign_key_check({table})"))?;
            // The rowid is NULL for a WITHOUT ROWID table (ticket_findings).
            let bad: Option<(String, Option<i64>, String)> = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .next()
                .transpose()?;
            if let Some((table, rowid, parent)) = bad {
                return Err(JichaError::Dataset(format!(
                    "upgrading to schema {version}: a {table} row{} refers to a missing {parent} row; nothing was changed",
                    rowid.map(|r| format!(" ({r})")).unwrap_or_default()
                )));
            }
        }
    }
    Ok(())
}
