//! The state ledger: what jicha itself last wrote to every audited row, sealed into the
//! hash-chained action log, so that `jicha log verify` can tell a change made through jicha from
//! one made behind its back with `sqlite3`.
//!
//! Every write goes through `Dataset::write`. While it runs, per-connection TEMP triggers note
//! the key of every audited row changed in a way that counts (see `seal.rs` for why triggers).
//! When the write appends a log record, [`with_seal`] first hashes the current content of
//! those rows, appends a ledger row for each whose hash moved, and puts a seal into that
//! record's details (`"~ledger_seal": {rows, first, last, digest, …}`) that commits to exactly
//! those ledger rows — so the ledger is covered by the hash chain without adding records or
//! renumbering the log. Changes after a write's last record get a `state.seal` record of their
//! own at [`Watch::seal`], before the commit. Source tables (the imported export) are too large
//! for a ledger row each: a seal records an ordered SHA-256 of each source table the write
//! changed. The first sealed record of a dataset without a ledger (a new one, or one made
//! before the ledger existed) is its baseline: every row; earlier state cannot be verified.
//!
//! [`verify`] replays that: seal digests against the ledger, every audited row against its
//! latest ledger entry, every source table against its latest recorded digest.

mod canon;
pub mod facts;
mod seal;
mod sources;
mod verify;

pub use seal::{rebaseline, with_seal, Watch, SEAL_KEY};
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
    ("site_rules", &[]),
    ("scan_site_rules", &[]),
    ("escalations", &[]),
    ("escalation_tickets", &[]),
    ("inspections", &[]),
    ("inspection_findings", &[]),
    ("inspection_attachments", &[]),
    ("campaigns", &[]),
    ("samples", &[]),
    ("sample_items", &[]),
    ("deduction_standard", &[]),
    ("ticket_deductions", &[]),
    ("ticket_accountability", &[]),
    ("qc_samples", &[]),
    ("qc_sample_tickets", &[]),
    ("qc_scores", &[]),
    ("source_history", &[]),
    ("saved_views", &[]),
    ("scan_state", &[]),
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
    "units",
];

/// The log action of a seal that has no action record of its own to ride on.
pub const SEAL_ACTION: &str = "state.seal";
