//! The built-in rule pack of rules.md: the catalogue, the evaluators, and the hits they produce.

pub mod address;
pub mod billing;
pub mod catalogue;
pub mod dialect;
pub mod directory;
pub mod eval;
pub mod evidence;
pub mod external;
pub mod history;
pub mod incremental;
pub mod num;
pub mod parallel;
pub mod recent_change;
pub mod site;
pub mod sql_rules;
pub mod suspension;

pub use catalogue::{Category, RuleDef, Severity, SubjectKind, RULES};
pub use eval::{evaluate, Coverage, RuleCoverage};

/// One rule firing on one subject of one customer, as an evaluator reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub rule: String,
    /// '' for SVC-01 on an application without a 户号.
    pub cust_no: String,
    /// '-' where the rule has no subject.
    pub subject: String,
    pub severity: Severity,
    /// THF-01's level (1 most likely … 4); None for other rules.
    pub level: Option<i64>,
    /// What made it fire, as stored in `findings.evidence`: `evidence::Evidence` values as JSON
    /// for the built-in rules and external findings (rendered per language by
    /// `crate::i18n::evidence`), plain text for site rules.
    pub evidence: String,
    /// Money rules: the estimated amount at stake in 元.
    pub amount_yuan: Option<f64>,
}
