//! jicha (稽查): audit of an electric utility's marketing data — dataset, import, rule pack,
//! triage, tickets, reports — shared by the command line and the terminal UI.

pub mod actionlog;
pub mod context;
pub mod dates;
pub mod db;
pub mod error;
pub mod progress;
pub mod rules;
pub mod scan;
pub mod text;
pub mod thresholds;

pub use error::{JichaError, Result};
