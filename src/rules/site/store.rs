//! Site rules as the dataset keeps them (`site_rules`): the file text, its SHA-256, whether it
//! is enabled, and when it was removed (a removed rule's row stays so its findings, kept as
//! history, still have a name). Reads only; the changes are `actions::site_rules`.

use super::{SiteRule, VIEW_NAMES};
use crate::error::Result;
use crate::thresholds::Kind;
use rusqlite::{Connection, OptionalExtension, Row};

/// One row of `site_rules`, its file read again.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRule {
    pub rule: SiteRule,
    pub enabled: bool,
    pub added_at: String,
    pub added_by: String,
    /// Set once the rule is removed: it no longer runs, its findings stay.
    pub removed_at: Option<String>,
    pub version: i64,
}

impl StoredRule {
    /// Runs in a scan: enabled and not removed.
    pub fn runs(&self) -> bool {
        self.enabled && self.removed_at.is_none()
    }
}

const SELECT: &str =
    "SELECT id, source, enabled, added_at, added_by, removed_at, version FROM site_rules";

/// A row as read: id, source, enabled, added_at, added_by, removed_at, version.
type Raw = (String, String, bool, String, String, Option<String>, i64);

fn stored(r: &Row) -> rusqlite::Result<Raw> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get::<_, i64>(2)? == 1,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ))
}

fn read((id, source, enabled, added_at, added_by, removed_at, version): Raw) -> Result<StoredRule> {
    Ok(StoredRule {
        rule: SiteRule::parse(&id, &source)?,
        enabled,
        added_at,
        added_by,
        removed_at,
        version,
    })
}

/// Every site rule on record, removed ones included, by id.
pub fn all(conn: &Connection) -> Result<Vec<StoredRule>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} ORDER BY id"))?;
    let rows = stmt.query_map([], stored)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(read(row?)?);
    }
    Ok(out)
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<StoredRule>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?;
    match stmt.query_row([id], stored).optional()? {
        Some(row) => Ok(Some(read(row)?)),
        None => Ok(None),
    }
}

/// The rules a scan runs, by id.
pub fn running(conn: &Connection) -> Result<Vec<SiteRule>> {
    Ok(all(conn)?
        .into_iter()
        .filter(StoredRule::runs)
        .map(|s| s.rule)
        .collect())
}

/// The kind of a site rule's parameter `X-ID.name`; None when no rule in the pack declares it.
pub fn param_kind(conn: &Connection, threshold: &str) -> Result<Option<Kind>> {
    let Some((id, name)) = threshold.split_once('.') else {
        return Ok(None);
    };
    if !super::is_site_id(id) {
        return Ok(None);
    }
    Ok(get(conn, id)?
        .filter(|s| s.removed_at.is_none())
        .and_then(|s| s.rule.params.get(name).map(|p| p.kind)))
}

/// Every parameter of the rules in the pack: `(threshold name, rule id, default)`.
pub fn params(conn: &Connection) -> Result<Vec<(String, String, String)>> {
    let mut out = Vec::new();
    for s in all(conn)? {
        if s.removed_at.is_some() {
            continue;
        }
        for (name, p) in &s.rule.params {
            out.push((
                super::threshold_name(&s.rule.id, name),
                s.rule.id.clone(),
                p.default.clone(),
            ));
        }
    }
    Ok(out)
}

/// Whether `name` is one of the data-contract views a site rule reads.
pub fn is_view(name: &str) -> bool {
    VIEW_NAMES.contains(&name)
}
