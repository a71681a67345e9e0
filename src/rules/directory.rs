//! The rule directory: every rule a finding can name — the built-in catalogue and the site
//! rules the dataset holds (removed ones too: their findings stay, as history) — with its
//! name, category and severity. Whatever names or counts rules by id (scan summary, reports,
//! theme analysis, `finding show`, the UI) looks the id up here, so a site rule is shown like
//! a built-in one. External rules (`EXT:<source>:<rule_code>`) are looked up here too, by id
//! (`get`, `name`), with what the export says: the `rule_name` of external_findings.csv, the
//! severity of its rows (the worst when they differ; `medium` — the default of
//! `rules::external` — when the export no longer has the rule), and a description naming the
//! source system and its rule code. They are not in `iter`: they are not rules of this pack.

use super::catalogue::{self, Category, Severity, RULES};
use super::evidence::Evidence;
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
    /// A rule of another system, from its export (external_findings.csv): the system's name.
    External {
        system: String,
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
    /// The external rules of the dataset's export, by id.
    external: Vec<Entry>,
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
            external: Vec::new(),
        }
    }

    /// The catalogue and the site rules of the dataset `conn` reads.
    pub fn load(conn: &Connection) -> Result<Directory> {
        let mut d = Directory::builtin();
        for s in store::all(conn)? {
            d.push_site(s);
        }
        d.external = external_entries(conn, None)?;
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
        self.entries
            .iter()
            .chain(&self.external)
            .find(|e| e.id == id)
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
    if id.starts_with(EXT) {
        return Ok(external_entries(conn, Some(id))?
            .pop()
            .map(|e| e.name(zh).to_string()));
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
    if id.starts_with(EXT) {
        return Ok(external_entries(conn, Some(id))?.pop());
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

const EXT: &str = "EXT:";

/// The external rules of the export (`only`: that one), as the export describes them. A rule
/// whose findings outlived its rows (a later export dropped it) still gets an entry from its
/// findings: its id says the system and code, the finding's evidence keeps the name.
fn external_entries(conn: &Connection, only: Option<&str>) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare(
        "SELECT source, rule_code, min(rule_name),
                min(CASE severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END), count(*)
           FROM external_findings
          WHERE ?1 IS NULL OR 'EXT:' || source || ':' || rule_code = ?1
          GROUP BY source, rule_code ORDER BY source, rule_code",
    )?;
    let mut out: Vec<Entry> = stmt
        .query_map([only], |r| {
            let (system, code, name): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let rank: i64 = r.get(3)?;
            Ok(external_entry(&system, &code, &name, rank))
        })?
        .collect::<rusqlite::Result<_>>()?;
    if out.is_empty() {
        if let Some(id) = only {
            // Gone from the export: the name the finding's evidence kept.
            let stored: Option<String> = conn
                .query_row(
                    "SELECT evidence FROM findings WHERE rule = ?1 ORDER BY id DESC LIMIT 1",
                    [id],
                    |r| r.get(0),
                )
                .ok();
            let name = match stored.as_deref().and_then(Evidence::from_stored) {
                Some(Evidence::External { rule_name, .. }) => Some(rule_name),
                _ => None,
            };
            let rest = &id[EXT.len()..];
            let (system, code) = rest.split_once(':').unwrap_or((rest, ""));
            let name = name.unwrap_or_else(|| code.to_string());
            out.push(external_entry(system, code, &name, 1));
        }
    }
    Ok(out)
}

fn external_entry(system: &str, code: &str, name: &str, rank: i64) -> Entry {
    Entry {
        id: catalogue::external_rule_id(system, code),
        name_zh: name.to_string(),
        name_en: name.to_string(),
        category: Category::External,
        severity: match rank {
            0 => Severity::High,
            2 => Severity::Low,
            _ => Severity::Medium,
        },
        checks_zh: format!("外部系统“{system}”的规则 {code}：{name}（据该系统导出的 external_findings.csv）"),
        checks_en: format!("Rule {code} of the external system “{system}”: {name} (as its export, external_findings.csv, says)"),
        thresholds: Vec::new(),
        source: Source::External {
            system: system.to_string(),
        },
    }
}
