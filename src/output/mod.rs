//! Rendering for people and files — text, Markdown, CSV, xlsx — shared by the CLI and the UI.
//! The domain modules compute (`crate::reports`, `crate::quality`); this module only lays out
//! what they computed, and never reads the database.

pub mod campaign;
pub mod escalation;
pub mod inspection;
pub mod qc;
pub mod quality;
pub mod report;
pub mod save;
pub mod stream;
pub mod table;
pub mod xlsx;
