//! Versioned schema. `PRAGMA user_version` holds the version; each migration runs in the
//! same transaction as the version bump, so a crash leaves the old or the new schema, never half.

use super::facts;
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
    include_str!("sql/015_facts_file.sql"),
    include_str!("sql/016_finding_levels.sql"),
    include_str!("sql/017_scan_state.sql"),
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
    // A connection without a file (tests) keeps its facts in an attached in-memory schema.
    let in_memory = conn.path().is_none_or(|p| p.is_empty());
    if in_memory && user_version(conn)? < facts::FIRST_VERSION {
        facts::attach_in_memory(conn)?;
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
        if version + 1 == facts::FIRST_VERSION {
            split_facts(&tx, in_memory)?;
        }
        tx.execute_batch(MIGRATIONS[version as usize])?;
        check_foreign_keys(&tx, version + 1)?;
        tx.execute_batch(&format!(
            "PRAGMA user_version = {}; PRAGMA application_id = {APPLICATION_ID};",
            version + 1
        ))?;
        tx.commit()?;
        if version + 1 == facts::FIRST_VERSION && !in_memory {
            // Later migrations may change facts tables: attach the new file now.
            let path = conn.path().unwrap_or_default().to_string();
            facts::attach(conn, std::path::Path::new(&path), facts::Mode::ReadWrite)?;
        }
    }
}

/// Migration 15's first half (see `facts`): the facts file is built from the workflow file's
/// facts tables and put in place; `meta` gets the pairing id and the last import (all landed:
/// each wrote its log record in its own transaction). The migration's SQL then drops the
/// tables, in the same transaction.
fn split_facts(tx: &Connection, in_memory: bool) -> Result<()> {
    let pair = if in_memory {
        facts::move_in_memory(tx)?
    } else {
        let path = tx.path().unwrap_or_default().to_string();
        facts::build_from(std::path::Path::new(&path))?
    };
    tx.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
        [facts::PAIR_KEY, pair.as_str()],
    )?;
    tx.execute(
        "INSERT OR REPLACE INTO meta(key, value) SELECT ?1, coalesce(max(id), 0) FROM main.imports",
        [facts::LANDED_KEY],
    )?;
    Ok(())
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
