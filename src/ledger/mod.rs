//! The state ledger: what jicha itself last wrote to every audited row, sealed into the
//! hash-chained action log, so that `jicha log verify` can tell a change made through jicha from
//! one made behind its back with `sqlite3`.
//!
//! Every write goes through `Dataset::write`. While it runs, a pre-update hook (which, unlike
//! the update hook, also fires for WITHOUT ROWID tables and turns off SQLite's truncate
//! optimisation) notes the key of every audited row changed in a way that counts. Before the
//! commit, [`Watch::seal`] hashes the current content of those rows, appends a ledger row for
//! each whose hash moved, and appends one `state.seal` log record whose details commit to the
//! digest of exactly those ledger rows — so the ledger is covered by the chain. Source tables
//! (the imported export) are too large for a ledger row each: a seal records an ordered SHA-256
//! of each source table the write changed. A dataset without a ledger (made before it existed)
//! gets a `state.baseline` of every row on its next write; earlier state cannot be verified.
//!
//! [`verify`] replays that: seal digests against the ledger, every audited row against its
//! latest ledger entry, every source table against its latest recorded digest.

mod canon;
mod seal;
mod sources;
mod verify;

pub use seal::Watch;
pub use verify::{verify, StateReport};

/// Tables whose every row is in the ledger, with the columns left out of a row's hash: those a
/// rescan rewrites on every finding it sees again (they carry no operator decision).
pub const AUDITED: &[(&str, &[&str])] = &[
    ("operators", &[]),
    ("thresholds", &[]),
    ("findings", &["last_seen", "last_scan"]),
    ("finding_status_history", &[]),
    ("finding_notes", &[]),
    ("whitelist", &[]),
    ("tickets", &[]),
    ("ticket_findings", &[]),
    ("ticket_events", &[]),
    ("quality_indicators", &[]),
    ("quality_values", &[]),
    ("quality_entries", &[]),
    ("quality_levels", &[]),
    ("imports", &[]),
    ("scans", &[]),
    ("scan_rule_counts", &[]),
];

/// The imported export: covered by a digest per table, not by a ledger row per row.
pub const SOURCES: &[&str] = &[
    "customers",
    "meters",
    "bills",
    "suspensions",
    "contracts",
    "applications",
    "external_findings",
];

/// Log actions that seal ledger rows.
pub const SEAL_ACTION: &str = "state.seal";
pub const BASELINE_ACTION: &str = "state.baseline";

/// `jicha log verify`'s state part: prints what agrees and what cannot be checked; an error
/// naming every difference when the state does not agree with the log.
pub fn cli_report(conn: &rusqlite::Connection) -> crate::error::Result<()> {
    let report = verify(conn)?;
    for note in &report.notes {
        println!("state: note: {note}");
    }
    if report.problems.is_empty() {
        println!(
            "state verified: {} audited rows agree with the state ledger, {} source tables with their sealed digests",
            report.rows_checked, report.sources_checked
        );
        return Ok(());
    }
    Err(crate::error::JichaError::Dataset(format!(
        "the state differs from the action log in {} ways:\n  {}",
        report.problems.len(),
        report.problems.join("\n  ")
    )))
}
