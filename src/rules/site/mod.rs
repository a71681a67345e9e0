//! Site rules (自定义稽查规则, rules.md "Site rules"): an audit centre's own checks, a TOML file
//! holding one SELECT over read-only views of the data-contract files. This file reads and
//! checks the file; `sandbox` runs its SQL where it can read those views and nothing else;
//! `store` keeps the rules in the dataset.

pub mod export;
pub mod pack;
pub mod sandbox;
pub mod store;

pub use pack::{check, trial, Pack, Trial};

use super::catalogue::{self, Category, Severity};
use crate::error::{JichaError, Result};
use crate::i18n::site_rules::SiteRuleWrong;
use crate::thresholds::Kind;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The views a site rule's SQL reads, named after the data-contract files.
pub const VIEW_NAMES: &[&str] = &[
    "customers",
    "meters",
    "bills",
    "suspensions",
    "contracts",
    "applications",
    "external_findings",
];

/// The columns a site rule's SELECT returns, in this order.
pub const COLUMNS: &[&str] = &["cust_no", "subject", "evidence", "amount_yuan"];

/// The `category` values a site rule may name: the built-in categories.
pub const CATEGORY_NAMES: &[&str] = &[
    "archive", "billing", "metering", "business", "service", "theft", "external",
];

/// Parameters every site rule may use without declaring them.
pub const AS_OF: &str = "as_of";
pub const AS_OF_MONTH: &str = "as_of_month";

impl Category {
    /// The name a site rule file and the dataset use for the category.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Archive => "archive",
            Category::Billing => "billing",
            Category::Metering => "metering",
            Category::Business => "business",
            Category::Service => "service",
            Category::Theft => "theft",
            Category::External => "external",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        [
            Category::Archive,
            Category::Billing,
            Category::Metering,
            Category::Business,
            Category::Service,
            Category::Theft,
            Category::External,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// One declared parameter: its kind (from the default's TOML type) and its default as the
/// `thresholds` table stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub kind: Kind,
    pub default: String,
}

/// A site rule as its file declares it.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteRule {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub category: Category,
    pub severity: Severity,
    pub checks_zh: String,
    pub checks_en: String,
    pub params: BTreeMap<String, Param>,
    pub sql: String,
    /// The file as given, and its hex SHA-256: the version stored, logged and recorded by scans.
    pub source: String,
    pub sha256: String,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    id: String,
    name_zh: String,
    name_en: String,
    category: String,
    severity: String,
    checks_zh: String,
    checks_en: String,
    #[serde(default)]
    params: BTreeMap<String, toml::Value>,
    sql: String,
}

/// The hex SHA-256 of a rule file's text.
pub fn sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The threshold name of a site rule's parameter: `X-ID.name`.
pub fn threshold_name(rule: &str, param: &str) -> String {
    format!("{rule}.{param}")
}

/// Whether `id` has the shape of a site rule id: `X-`, then letters, digits, `-`, `_`.
pub fn is_site_id(id: &str) -> bool {
    id.len() <= 32
        && id.len() > 2
        && id.starts_with("X-")
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl SiteRule {
    /// Reads a rule file; `file` names it in a refusal. Checks everything that needs no data:
    /// the fields, the id, category, severity and parameters. The SQL is checked by the sandbox.
    pub fn parse(file: &str, text: &str) -> Result<SiteRule> {
        let f: File = toml::from_str(text).map_err(|e| {
            JichaError::invalid(SiteRuleWrong::BadFile {
                file: file.to_string(),
                why: e.message().to_string(),
            })
        })?;
        if catalogue::find(&f.id).is_some() {
            return Err(JichaError::invalid(SiteRuleWrong::BuiltInId { id: f.id }));
        }
        if !is_site_id(&f.id) {
            return Err(JichaError::invalid(SiteRuleWrong::BadId { id: f.id }));
        }
        let category = Category::parse(&f.category).ok_or_else(|| {
            JichaError::invalid(SiteRuleWrong::UnknownCategory {
                given: f.category.clone(),
            })
        })?;
        let severity = Severity::parse(&f.severity).ok_or_else(|| {
            JichaError::invalid(SiteRuleWrong::UnknownSeverity {
                given: f.severity.clone(),
            })
        })?;
        for (field, value) in [
            ("name_zh", &f.name_zh),
            ("name_en", &f.name_en),
            ("checks_zh", &f.checks_zh),
            ("checks_en", &f.checks_en),
            ("sql", &f.sql),
        ] {
            if value.trim().is_empty() {
                return Err(JichaError::invalid(SiteRuleWrong::EmptyField { field }));
            }
        }
        let mut params = BTreeMap::new();
        for (name, value) in &f.params {
            params.insert(name.clone(), param(&f.id, name, value)?);
        }
        Ok(SiteRule {
            id: f.id,
            name_zh: f.name_zh,
            name_en: f.name_en,
            category,
            severity,
            checks_zh: f.checks_zh,
            checks_en: f.checks_en,
            params,
            sql: f.sql,
            sha256: sha256(text),
            source: text.to_string(),
        })
    }

    pub fn name(&self, zh: bool) -> &str {
        if zh {
            &self.name_zh
        } else {
            &self.name_en
        }
    }
}

/// One `[params]` entry: a plain name, and a default a threshold of its kind can hold.
fn param(rule: &str, name: &str, value: &toml::Value) -> Result<Param> {
    let plain = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && name.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && name.len() <= 40;
    if !plain || name == AS_OF || name == AS_OF_MONTH {
        return Err(JichaError::invalid(SiteRuleWrong::BadParamName {
            rule: rule.to_string(),
            name: name.to_string(),
        }));
    }
    let bad = || {
        JichaError::invalid(SiteRuleWrong::BadParamValue {
            rule: rule.to_string(),
            name: name.to_string(),
        })
    };
    let (kind, text) = match value {
        toml::Value::Integer(i) => (Kind::Integer, i.to_string()),
        toml::Value::Float(f) => (Kind::Number, f.to_string()),
        toml::Value::Array(items) => {
            let words: Option<Vec<&str>> = items.iter().map(|i| i.as_str()).collect();
            (Kind::List, words.ok_or_else(bad)?.join(","))
        }
        _ => return Err(bad()),
    };
    // The default must be a value `thresholds set` would accept for that kind.
    let stored = crate::thresholds::validate_kind(name, kind, &text).map_err(|_| bad())?;
    Ok(Param {
        kind,
        default: stored,
    })
}

/// Whether a threshold name is a site rule's parameter: `X-ID.name`.
pub fn is_param_name(name: &str) -> bool {
    name.split_once('.')
        .is_some_and(|(rule, _)| is_site_id(rule))
}
