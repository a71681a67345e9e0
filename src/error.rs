//! Errors an operator can read. Every variant says what to fix; none carries a backtrace.
//! `Display` is the English text (logs, tests); an operator reads [`JichaError::text`] in the
//! language chosen (`crate::i18n::errors`).

use crate::i18n::errors::{RecordKind, Wrong};
use std::fmt;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum JichaError {
    /// The operator may not do this: names the role needed.
    #[error("refused: {action} needs the {needed} role; you ({who}) are {have}")]
    Refused {
        action: String,
        needed: &'static str,
        who: String,
        have: &'static str,
    },
    /// The command line or a configuration file is wrong (exit status 2).
    #[error("{0}")]
    Usage(String),
    /// The request itself is wrong (bad value, unknown id, wrong state).
    #[error("{0}")]
    Invalid(Reason),
    /// Someone else changed the record after it was read.
    #[error("{0}")]
    Stale(Changed),
    /// The file is not a dataset this version can use.
    #[error("{0}")]
    Dataset(String),
    /// The same, said as a value, rendered in the operator's language.
    #[error("{0}")]
    DatasetSaid(crate::i18n::dataset::DatasetWrong),
    /// The import found errors; nothing was written.
    #[error("{}", .0.join("\n"))]
    Import(Vec<String>),
    /// The operation was cancelled by the operator; nothing was written.
    #[error("cancelled; nothing was written")]
    Cancelled,
    #[error(transparent)]
    Sql(#[from] rusqlite::Error),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// A bound operator acting on a record outside their unit's subtree (`actions::scope`):
    /// names the record, its unit, the operator's unit and role.
    #[error("{0}")]
    OutOfScope(Box<OutOfScope>),
}

/// Why a request is refused: one of the domain's refusals as a value (rendered per language),
/// or a text made elsewhere, shown as it is.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    Said(Wrong),
    Text(String),
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(crate::context::Lang::En))
    }
}

impl From<String> for Reason {
    fn from(s: String) -> Reason {
        Reason::Text(s)
    }
}

impl From<&str> for Reason {
    fn from(s: &str) -> Reason {
        Reason::Text(s.to_string())
    }
}

impl From<Wrong> for Reason {
    fn from(w: Wrong) -> Reason {
        Reason::Said(w)
    }
}

/// The record another operator changed since it was shown: which kind, which one.
#[derive(Debug, Clone, PartialEq)]
pub struct Changed {
    pub kind: RecordKind,
    pub id: String,
}

impl fmt::Display for Changed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(crate::context::Lang::En))
    }
}

/// A record a change acts on, with the unit it belongs to (None: it has none).
#[derive(Debug, Clone, PartialEq)]
pub struct ScopeTarget {
    pub kind: crate::i18n::errors::TargetKind,
    pub id: String,
    pub unit: Option<String>,
}

/// Why a bound operator may not make a change: `first` of the records it acts on (None: the
/// change reaches every unit, as a setting does) lies outside their unit `mine`.
#[derive(Debug, Clone, PartialEq)]
pub struct OutOfScope {
    pub action: String,
    pub first: Option<ScopeTarget>,
    /// How many of the `of` records are outside.
    pub outside: usize,
    pub of: usize,
    pub mine: String,
    pub role: &'static str,
}

impl fmt::Display for OutOfScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(crate::context::Lang::En))
    }
}

impl JichaError {
    pub fn invalid(reason: impl Into<Reason>) -> Self {
        JichaError::Invalid(reason.into())
    }

    pub fn stale(kind: RecordKind, id: impl ToString) -> Self {
        JichaError::Stale(Changed {
            kind,
            id: id.to_string(),
        })
    }
}

pub type Result<T, E = JichaError> = std::result::Result<T, E>;
