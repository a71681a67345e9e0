//! Rule parameters (阀值) as data. Defaults come from `data/thresholds.toml`; each dataset keeps
//! its own values in the `thresholds` table; a scan records the values it used.

use crate::context::Lang;
use crate::error::{JichaError, Result};
use crate::i18n::refusals::AdminWrong;
use rusqlite::{params, Connection};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

const DEFAULTS_TOML: &str = include_str!("../data/thresholds.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Number,
    Integer,
    List,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Spec {
    pub value: toml::Value,
    pub kind: Kind,
    pub rules: String,
    /// What it is, in English (JSON and CSV output keep this one).
    pub about: String,
    /// What it is, in Chinese (`tests/thresholds_zh.rs` checks every entry has one).
    #[serde(default)]
    pub about_zh: String,
    /// The smallest and largest value a threshold takes, when bounded (`review_levels`: 1 or 2;
    /// the quality weights are fractions, at most 1).
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
}

impl Spec {
    /// What the threshold is, in the operator's language (English when no Chinese is given).
    pub fn about(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh if !self.about_zh.is_empty() => &self.about_zh,
            _ => &self.about,
        }
    }
}

/// Every known threshold with its default, in name order.
pub fn specs() -> &'static BTreeMap<String, Spec> {
    static SPECS: OnceLock<BTreeMap<String, Spec>> = OnceLock::new();
    SPECS.get_or_init(|| {
        toml::from_str(DEFAULTS_TOML).expect("data/thresholds.toml is valid (checked by a test)")
    })
}

/// The stored text form of a default value: numbers as written, lists comma-joined.
fn default_text(v: &toml::Value) -> String {
    match v {
        toml::Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
            .join(","),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        other => other.to_string(),
    }
}

pub fn insert_defaults(conn: &Connection) -> Result<()> {
    let mut stmt = conn.prepare("INSERT OR IGNORE INTO thresholds(name, value) VALUES (?1, ?2)")?;
    for (name, spec) in specs() {
        stmt.execute(params![name, default_text(&spec.value)])?;
    }
    Ok(())
}

/// The largest value of an integer threshold.
pub const MAX_INTEGER: i64 = 36_500;

/// Checks `value` against the threshold's kind and returns its stored text form.
pub fn validate(name: &str, value: &str) -> Result<String> {
    let spec = specs().get(name).ok_or_else(|| {
        JichaError::invalid(AdminWrong::UnknownThreshold {
            name: name.to_string(),
        })
    })?;
    let text = validate_kind(name, spec.kind, value)?;
    if let (Some(min), Some(max)) = (spec.min, spec.max) {
        let n: f64 = text.parse().unwrap_or(f64::NAN);
        if !(n >= min as f64 && n <= max as f64) {
            return Err(JichaError::invalid(AdminWrong::OutOfRange {
                name: name.to_string(),
                min,
                max,
                value: text,
            }));
        }
    } else if let Some(max) = spec.max {
        if text.parse::<f64>().is_ok_and(|n| n > max as f64) {
            return Err(JichaError::invalid(AdminWrong::TooBig {
                name: name.to_string(),
                max,
                value: text,
            }));
        }
    }
    Ok(text)
}

/// Like `validate`, for any threshold of the dataset: a site rule's parameter (`X-ID.name`,
/// rules.md "Site rules") has the kind of the default its rule file declares.
pub fn validate_in(conn: &Connection, name: &str, value: &str) -> Result<String> {
    match crate::rules::site::store::param_kind(conn, name)? {
        Some(kind) => validate_kind(name, kind, value),
        None => validate(name, value),
    }
}

/// Checks `value` against a threshold kind and returns its stored text form.
pub fn validate_kind(name: &str, kind: Kind, value: &str) -> Result<String> {
    let value = value.trim();
    match kind {
        Kind::Number | Kind::Integer => {
            let n: f64 = value
                .parse()
                .ok()
                .filter(|n: &f64| n.is_finite() && *n >= 0.0)
                .ok_or_else(|| {
                    JichaError::invalid(AdminWrong::NotNumber {
                        name: name.to_string(),
                        value: value.to_string(),
                    })
                })?;
            if kind == Kind::Integer && n.fract() != 0.0 {
                return Err(JichaError::invalid(AdminWrong::NotWhole {
                    name: name.to_string(),
                    value: value.to_string(),
                }));
            }
            // Integers are days, years, months or counts that date arithmetic is done with:
            // a hundred years of days bounds every date computed from them.
            if kind == Kind::Integer && n > MAX_INTEGER as f64 {
                return Err(JichaError::invalid(AdminWrong::TooBig {
                    name: name.to_string(),
                    max: MAX_INTEGER,
                    value: value.to_string(),
                }));
            }
            Ok(value.to_string())
        }
        Kind::List => {
            let items: Vec<&str> = value
                .split([',', '，'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            if items.is_empty() {
                return Err(JichaError::invalid(AdminWrong::EmptyList {
                    name: name.to_string(),
                }));
            }
            Ok(items.join(","))
        }
    }
}

/// The values in force in one dataset.
#[derive(Debug, Clone, Default)]
pub struct Thresholds {
    values: BTreeMap<String, String>,
}

impl Thresholds {
    pub fn load(conn: &Connection) -> Result<Thresholds> {
        let mut values: BTreeMap<String, String> = specs()
            .iter()
            .map(|(k, s)| (k.clone(), default_text(&s.value)))
            .collect();
        let mut stmt = conn.prepare("SELECT name, value FROM thresholds")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (k, v) = row?;
            values.insert(k, v);
        }
        Ok(Thresholds { values })
    }

    /// The built-in defaults, as a new dataset has them.
    pub fn defaults() -> Thresholds {
        Thresholds {
            values: specs()
                .iter()
                .map(|(k, s)| (k.clone(), default_text(&s.value)))
                .collect(),
        }
    }

    pub fn num(&self, name: &str) -> f64 {
        self.values
            .get(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("threshold {name} is a number (validated on set)"))
    }

    pub fn int(&self, name: &str) -> i64 {
        self.num(name) as i64
    }

    /// The stored text of any threshold, a site rule's parameter included.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    pub fn list(&self, name: &str) -> Vec<String> {
        self.values
            .get(name)
            .map(|v| v.split(',').map(str::to_string).collect())
            .unwrap_or_default()
    }

    /// Overrides one value (tests and `thresholds set` use this after `validate`).
    pub fn set(&mut self, name: &str, value: &str) -> Result<()> {
        let v = validate(name, value)?;
        self.values.insert(name.to_string(), v);
        Ok(())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.values.iter()
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(&self.values).expect("strings serialize")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse_and_match_rules_md() {
        let t = Thresholds::defaults();
        assert_eq!(t.num("low220_max_kva"), 10.0);
        assert_eq!(t.num("surge_ratio"), 3.0);
        assert_eq!(t.num("drop_ratio"), 0.3);
        assert_eq!(t.int("zero_run_periods"), 3);
        assert_eq!(t.num("capacity_hours"), 744.0);
        assert_eq!(
            t.list("obsolete_models"),
            ["DD28", "DD86", "DD862", "DT8", "DS8"]
        );
        assert_eq!(t.list("business_keywords").len(), 14);
        assert_eq!(t.int("whitelist_review_days"), 90);
    }

    #[test]
    fn validation_names_what_to_fix() {
        assert!(validate("surge_ratio", "2.5").is_ok());
        let e = validate("surge_ratio", "abc").unwrap_err().to_string();
        assert!(e.contains("surge_ratio needs a number"), "{e}");
        let e = validate("zero_run_periods", "2.5").unwrap_err().to_string();
        assert!(e.contains("whole number"), "{e}");
        let e = validate("nope", "1").unwrap_err().to_string();
        assert!(e.contains("unknown threshold"), "{e}");
        assert_eq!(validate("obsolete_models", " A, B ,，C").unwrap(), "A,B,C");
    }

    #[test]
    fn review_levels_is_one_or_two() {
        assert_eq!(Thresholds::defaults().int("review_levels"), 1);
        assert_eq!(validate("review_levels", "2").unwrap(), "2");
        assert_eq!(validate("review_levels", "1").unwrap(), "1");
        for bad in ["3", "0", "1.5"] {
            let e = validate("review_levels", bad).unwrap_err().to_string();
            assert!(e.contains("review_levels"), "{bad}: {e}");
        }
        let e = validate("review_levels", "3").unwrap_err().to_string();
        assert!(e.contains("1 or 2"), "{e}");
    }
}
