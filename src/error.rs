//! Errors an operator can read. Every variant says what to fix; none carries a backtrace.

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
    Invalid(String),
    /// Someone else changed the record after it was read.
    #[error("{0} was changed by someone else since you read it; refresh and try again")]
    Stale(String),
    /// The file is not a dataset this version can use.
    #[error("{0}")]
    Dataset(String),
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
}

impl JichaError {
    pub fn invalid(msg: impl Into<String>) -> Self {
        JichaError::Invalid(msg.into())
    }
}

pub type Result<T, E = JichaError> = std::result::Result<T, E>;
