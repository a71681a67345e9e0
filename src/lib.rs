//! jicha (稽查): audit of an electric utility's marketing data — dataset, import, rule pack,
//! triage, tickets, reports — shared by the command line and the terminal UI.

pub mod actionlog;
pub mod actions;
pub mod backup;
pub mod campaigns;
pub mod cli;
pub mod config;
pub mod context;
pub mod dates;
pub mod db;
pub mod deductions;
pub mod demo;
pub mod diag;
pub mod error;
pub mod escalation;
pub mod findings;
pub mod fsutil;
#[doc(hidden)]
pub mod fuzz_args;
pub mod history;
pub mod i18n;
pub mod import;
pub mod inspections;
pub mod ledger;
pub mod lookup;
pub mod output;
pub mod privilege;
pub mod progress;
pub mod qc;
pub mod quality;
pub mod reports;
pub mod rules;
pub mod safefile;
pub mod sampling;
pub mod scan;
pub mod states;
pub mod text;
pub mod thresholds;
pub mod tickets;
pub mod ui;
pub mod units;
pub mod units_summary;
pub mod views;
pub mod whitelist;

pub use error::{JichaError, Result};
