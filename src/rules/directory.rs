//! The rule directory: every rule a finding can name — the built-in catalogue and the site
//! rules the dataset holds (removed ones too: their findings stay, as history) — with its
//! name, category and severity. Whatever names or counts rules by id (scan summary, reports,
//! theme analysis, `finding show`, the UI) looks the id up here, so a site rule is shown like
//! a built-in one. External rules (`EXT:…`) are not in it: their name is their id.

use super::catalogue::{self, Category, Severity, RULES};
use super::site::store;
use crate::error::Result;
use rusqlite::Connection;

/// Where a rule comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    BuiltIn,
    /// A site rule: the SHA-256 of its file, whether it runs, whether it was removed.
    Site {
        sha256: String,
        enabled: bool,
        removed: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub category: Category,
    pub severity: Severity,
    pub checks_zh: String,
    pub checks_en: String,
    /// The thresholds it reads (a site rule's parameters as `X-ID.name`).
    pub thresholds: Vec<String>,
    pub source: Source,
}

impl Entry {
    pub fn name(&self, zh: bool) -> &str {
        if zh {
            &self.name_zh
        } else {
            &self.name_en
        }
    }

    pub fn checks(&self, zh: bool) -> &str {
        if zh {
            &self.checks_zh
        } else {
            &self.checks_en
        }
    }

    pub fn is_site(&self) -> bool {
        matches!(self.source, Source::Site { .. })
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Directory {
    /// The catalogue in its order, then the site rules by id.
    entries: Vec<Entry>,
}

impl Directory {
    /// The built-in catalogue alone.
    pub fn builtin() -> Directory {
        Directory {
            entries: RULES
                .iter()
                .map(|r| Entry {
                    id: r.id.to_string(),
                    name_zh: r.name_zh.to_string(),
                    name_en: r.name_en.to_string(),
                    category: r.category,
                    severity: r.severity,
                    checks_zh: r.checks_zh.to_string(),
                    checks_en: r.checks_en.to_string(),
                    thresholds: r.thresholds.iter().map(|t| t.to_string()).collect(),
                    source: Source::BuiltIn,
                })
                .collect(),
        }
    }

    /// The catalogue and the site rules of the dataset `conn` reads.
    pub fn load(conn: &Connection) -> Result<Directory> {
        let mut d = Directory::builtin();
        for s in store::all(conn)? {
            d.push_site(s);
        }
        Ok(d)
    }

    fn push_site(&mut self, s: store::StoredRule) {
        let r = s.rule;
        self.entries.push(Entry {
            thresholds: r
                .params
                .keys()
                .map(|p| super::site::threshold_name(&r.id, p))
                .collect(),
            id: r.id,
            name_zh: r.name_zh,
            name_en: r.name_en,
            category: r.category,
            severity: r.severity,
            checks_zh: r.checks_zh,
            checks_en: r.checks_en,
            source: Source::Site {
                sha256: r.sha256,
                enabled: s.enabled,
                removed: s.removed_at.is_some(),
            },
        });
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    pub fn name(&self, id: &str, zh: bool) -> Option<&str> {
        self.get(id).map(|e| e.name(zh))
    }

    pub fn category(&self, id: &str) -> Option<Category> {
        self.get(id).map(|e| e.category)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter()
    }

    /// Whether `id` is a built-in rule or a site rule on record.
    pub fn knows(&self, id: &str) -> bool {
        self.get(id).is_some()
    }
}

/// The name of rule `id` in the dataset `conn` reads: a built-in rule's from the catalogue
/// (no query), a site rule's from the dataset; None for an external or unknown id.
pub fn name_in(conn: &Connection, id: &str, zh: bool) -> Result<Option<String>> {
    if let Some(r) = catalogue::find(id) {
        return Ok(Some(r.name(zh).to_string()));
    }
    if !super::site::is_site_id(id) {
        return Ok(None);
    }
    Ok(store::get(conn, id)?.map(|s| s.rule.name(zh).to_string()))
}

/// The directory entry of rule `id` in the dataset `conn` reads (one row, not the whole pack).
pub fn entry_in(conn: &Connection, id: &str) -> Result<Option<Entry>> {
    if catalogue::find(id).is_some() {
        return Ok(Directory::builtin().get(id).cloned());
    }
    if !super::site::is_site_id(id) {
        return Ok(None);
    }
    let Some(s) = store::get(conn, id)? else {
        return Ok(None);
    };
    let mut d = Directory::default();
    d.push_site(s);
    Ok(d.entries.pop())
}
