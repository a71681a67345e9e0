//! The admin's changes to the site rules (`jicha rules add|enable|disable|remove`): each one
//! transaction through `actions::run`, logged with the rule file's SHA-256.

use super::{Command, Outcome};
use crate::actionlog;
use crate::context::{Ctx, Role};
use crate::error::{JichaError, Result};
use crate::i18n::errors::RecordKind;
use crate::i18n::outcomes::Done;
use crate::i18n::site_rules::SiteRuleWrong;
use crate::rules::site::{self, store, SiteRule};
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde_json::json;

#[derive(Debug, Clone, PartialEq)]
pub enum SiteRuleAction {
    /// Stores (or replaces) the rule in `text`; `file` names it in refusals. `hits` is what its
    /// trial run as of `as_of` found just before, logged with it.
    Add {
        file: String,
        text: String,
        as_of: NaiveDate,
        hits: u64,
    },
    Enable {
        id: String,
    },
    Disable {
        id: String,
    },
    Remove {
        id: String,
    },
}

impl SiteRuleAction {
    pub fn name(&self) -> &'static str {
        match self {
            SiteRuleAction::Add { .. } => "rules.add",
            SiteRuleAction::Enable { .. } => "rules.enable",
            SiteRuleAction::Disable { .. } => "rules.disable",
            SiteRuleAction::Remove { .. } => "rules.remove",
        }
    }

    fn id(&self) -> &str {
        match self {
            SiteRuleAction::Add { .. } => "",
            SiteRuleAction::Enable { id }
            | SiteRuleAction::Disable { id }
            | SiteRuleAction::Remove { id } => id,
        }
    }
}

impl Command for SiteRuleAction {
    fn name(&self) -> &'static str {
        SiteRuleAction::name(self)
    }

    fn required_role(&self) -> Role {
        Role::Admin
    }

    fn check_input(&self) -> Result<()> {
        match self {
            SiteRuleAction::Add { file, text, .. } => SiteRule::parse(file, text).map(|_| ()),
            _ if crate::rules::catalogue::find(self.id()).is_some() => {
                Err(JichaError::invalid(SiteRuleWrong::BuiltInId {
                    id: self.id().to_string(),
                }))
            }
            _ => Ok(()),
        }
    }

    fn seen_records(&self) -> (&'static str, RecordKind) {
        ("site_rules", RecordKind::SiteRule)
    }

    /// Site rules are changed by id from the command line: no screen showed a version.
    fn check_seen(&self, _tx: &Connection, _seen: &[(i64, i64)]) -> Result<()> {
        Ok(())
    }

    /// A site rule runs over every unit's customers.
    fn reach(&self, _tx: &Connection) -> Result<super::scope::Reach> {
        Ok(super::scope::Reach::EveryUnit)
    }

    fn apply(&self, tx: &Connection, ctx: &Ctx) -> Result<Outcome> {
        match self {
            SiteRuleAction::Add {
                file,
                text,
                as_of,
                hits,
            } => add(tx, ctx, file, text, *as_of, *hits),
            SiteRuleAction::Enable { id } => set_enabled(tx, ctx, self.name(), id, true),
            SiteRuleAction::Disable { id } => set_enabled(tx, ctx, self.name(), id, false),
            SiteRuleAction::Remove { id } => remove(tx, ctx, id),
        }
    }
}

fn add(
    tx: &Connection,
    ctx: &Ctx,
    file: &str,
    text: &str,
    as_of: NaiveDate,
    hits: u64,
) -> Result<Outcome> {
    let rule = SiteRule::parse(file, text)?;
    // The SQL is checked again inside the transaction that stores it.
    site::check(tx, &rule, as_of)?;
    let before = store::get(tx, &rule.id)?;
    tx.execute(
        "INSERT INTO site_rules(id, name_zh, name_en, category, severity, checks_zh, checks_en, source,
                                sha256, enabled, added_at, added_by, removed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?11, NULL)
         ON CONFLICT(id) DO UPDATE SET
             name_zh = excluded.name_zh, name_en = excluded.name_en, category = excluded.category,
             severity = excluded.severity, checks_zh = excluded.checks_zh,
             checks_en = excluded.checks_en, source = excluded.source, sha256 = excluded.sha256,
             enabled = 1, added_at = excluded.added_at, added_by = excluded.added_by,
             removed_at = NULL, version = version + 1",
        params![
            rule.id,
            rule.name_zh,
            rule.name_en,
            rule.category.as_str(),
            rule.severity.as_str(),
            rule.checks_zh,
            rule.checks_en,
            rule.source,
            rule.sha256,
            ctx.now_utc(),
            ctx.operator
        ],
    )?;
    // Its parameters become thresholds: a value an admin set for this rule before is kept.
    let mut keep = tx.prepare(
        "INSERT OR IGNORE INTO thresholds(name, value, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (name, p) in &rule.params {
        keep.execute(params![
            site::threshold_name(&rule.id, name),
            p.default,
            ctx.now_utc(),
            ctx.operator
        ])?;
    }
    let dropped = drop_params(tx, &rule.id, |name| !rule.params.contains_key(name))?;
    actionlog::append(
        tx,
        ctx,
        "rules.add",
        &format!("rule:{}", rule.id),
        &json!({
            "sha256": rule.sha256,
            "previous_sha256": before.as_ref().map(|b| b.rule.sha256.clone()),
            "name_en": rule.name_en,
            "name_zh": rule.name_zh,
            "category": rule.category.as_str(),
            "severity": rule.severity.as_str(),
            "params": rule.params.iter().map(|(k, p)| (k.clone(), p.default.clone())).collect::<std::collections::BTreeMap<_, _>>(),
            "params_dropped": dropped,
            "trial_as_of": as_of.to_string(),
            "trial_hits": hits,
        }),
    )?;
    Ok(Outcome {
        message: Done::SiteRuleAdded {
            id: rule.id.clone(),
            sha256: rule.sha256.clone(),
            hits,
            replaced: before.is_some(),
        },
        changed: 1,
    })
}

/// Deletes the rule's parameter thresholds whose name `gone` says; returns their names.
fn drop_params(tx: &Connection, rule: &str, gone: impl Fn(&str) -> bool) -> Result<Vec<String>> {
    let prefix = format!("{rule}.");
    let names: Vec<String> = {
        let mut stmt = tx.prepare("SELECT name FROM thresholds WHERE substr(name, 1, ?2) = ?1")?;
        let rows = stmt.query_map(params![prefix, prefix.len() as i64], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut dropped = Vec::new();
    for name in names {
        if gone(&name[prefix.len()..]) {
            tx.execute("DELETE FROM thresholds WHERE name = ?1", [&name])?;
            dropped.push(name);
        }
    }
    Ok(dropped)
}

/// The rule `id` as it is on record and still in the pack.
fn in_pack(tx: &Connection, id: &str) -> Result<store::StoredRule> {
    let stored = store::get(tx, id)?
        .ok_or_else(|| JichaError::invalid(SiteRuleWrong::NoSuchRule { id: id.to_string() }))?;
    if stored.removed_at.is_some() {
        return Err(JichaError::invalid(SiteRuleWrong::RuleRemoved {
            id: id.to_string(),
        }));
    }
    Ok(stored)
}

fn set_enabled(
    tx: &Connection,
    ctx: &Ctx,
    action: &str,
    id: &str,
    enabled: bool,
) -> Result<Outcome> {
    let stored = in_pack(tx, id)?;
    if stored.enabled == enabled {
        return Err(JichaError::invalid(SiteRuleWrong::AlreadyEnabled {
            id: id.to_string(),
            enabled,
        }));
    }
    tx.execute(
        "UPDATE site_rules SET enabled = ?2, version = version + 1 WHERE id = ?1",
        params![id, i64::from(enabled)],
    )?;
    actionlog::append(
        tx,
        ctx,
        action,
        &format!("rule:{id}"),
        &json!({ "sha256": stored.rule.sha256, "enabled": enabled }),
    )?;
    Ok(Outcome {
        message: Done::SiteRuleEnabled {
            id: id.to_string(),
            enabled,
        },
        changed: 1,
    })
}

fn remove(tx: &Connection, ctx: &Ctx, id: &str) -> Result<Outcome> {
    let stored = in_pack(tx, id)?;
    tx.execute(
        "UPDATE site_rules SET enabled = 0, removed_at = ?2, version = version + 1 WHERE id = ?1",
        params![id, ctx.now_utc()],
    )?;
    let dropped = drop_params(tx, id, |_| true)?;
    let findings: i64 =
        tx.query_row("SELECT count(*) FROM findings WHERE rule = ?1", [id], |r| {
            r.get(0)
        })?;
    actionlog::append(
        tx,
        ctx,
        "rules.remove",
        &format!("rule:{id}"),
        &json!({ "sha256": stored.rule.sha256, "findings_kept": findings, "params_dropped": dropped }),
    )?;
    Ok(Outcome {
        message: Done::SiteRuleRemoved {
            id: id.to_string(),
            findings: findings as u64,
        },
        changed: 1,
    })
}

/// Performs one site-rule change through the write path.
pub fn perform(ds: &mut crate::db::Dataset, ctx: &Ctx, action: &SiteRuleAction) -> Result<Outcome> {
    let mut outcomes = super::run(ds, ctx, &[(action, &[][..])])?;
    Ok(outcomes.remove(0))
}

/// `jicha rules add`: reads and checks the rule, runs it once on the dataset as of `as_of`
/// (its trial, whose hits the caller shows), then stores it in one transaction, logged with its
/// SHA-256. Only an admin gets as far as the trial.
pub fn add_rule(
    ds: &mut crate::db::Dataset,
    ctx: &Ctx,
    file: &str,
    text: &str,
    as_of: NaiveDate,
    keep: usize,
) -> Result<(site::Trial, Outcome)> {
    ctx.require(Role::Admin, "rules.add")?;
    let rule = SiteRule::parse(file, text)?;
    let trial = site::trial(&ds.conn, &rule, as_of, keep)?;
    let action = SiteRuleAction::Add {
        file: file.to_string(),
        text: text.to_string(),
        as_of,
        hits: trial.hits,
    };
    let outcome = perform(ds, ctx, &action)?;
    Ok((trial, outcome))
}
