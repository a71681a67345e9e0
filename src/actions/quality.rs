//! Changes to the quality evaluation, through the same write path as every action
//! (`super::run`): the role is checked (and named in a refusal), the input is checked before
//! the write lock, the change is applied in one transaction, and every change appends an
//! action-log record.
//!
//! Roles: indicator definitions and level points are an admin's (they decide how everyone is
//! scored); values, deductions, bonuses and revocations are a reviewer's (审核, who judges the
//! units' work).

mod entries;

use super::{non_empty, Command, Outcome};
use crate::actionlog;
use crate::context::{Ctx, Role};
use crate::db::Dataset;
use crate::error::{JichaError, Result};
use crate::i18n::errors::{Field, RecordKind};
use crate::i18n::outcomes::Done;
use crate::i18n::refusals_tickets::QualityWrong;
use crate::quality::indicators::Level;
use crate::quality::indicators::{self, IndicatorPatch, IndicatorSpec, Source};
use crate::quality::Period;
use crate::units::Hierarchy;
use chrono::NaiveDate;
use entries::{apply_bonus_or_revoke, apply_deduction, apply_direct};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;

#[derive(Debug, Clone, PartialEq)]
pub enum QualityAction {
    IndicatorAdd(IndicatorSpec),
    IndicatorEdit {
        id: i64,
        patch: IndicatorPatch,
    },
    IndicatorEnable {
        id: i64,
        enabled: bool,
    },
    /// A hand-entered value of a `manual` indicator for a unit and period.
    ValueSet {
        indicator: i64,
        unit: String,
        period: String,
        value: f64,
    },
    /// 业务评价 deduction: an audit ticket found the unit's errors. `unit` defaults to the
    /// ticket's responsible unit, `date` to the business date.
    BusinessDeduct {
        ticket: String,
        points: f64,
        reason: String,
        unit: Option<String>,
        date: Option<NaiveDate>,
    },
    /// 直接扣分 for a marketing error or accident; its points are the level's.
    DirectDeduct {
        unit: String,
        level: String,
        reason: String,
        date: Option<NaiveDate>,
    },
    /// 奖励加分
    Bonus {
        unit: String,
        points: f64,
        reason: String,
        date: Option<NaiveDate>,
    },
    /// A wrong entry stops counting; the row and its history stay.
    EntryRevoke {
        id: i64,
        reason: String,
    },
    /// The points of a direct-deduction level (added when new).
    LevelSet {
        level: String,
        points: f64,
        label: Option<String>,
    },
}

impl QualityAction {
    pub fn name(&self) -> &'static str {
        match self {
            QualityAction::IndicatorAdd(_) => "quality.indicator.add",
            QualityAction::IndicatorEdit { .. } => "quality.indicator.edit",
            QualityAction::IndicatorEnable { enabled: true, .. } => "quality.indicator.enable",
            QualityAction::IndicatorEnable { enabled: false, .. } => "quality.indicator.disable",
            QualityAction::ValueSet { .. } => "quality.value.set",
            QualityAction::BusinessDeduct { .. } => "quality.deduct.business",
            QualityAction::DirectDeduct { .. } => "quality.deduct.direct",
            QualityAction::Bonus { .. } => "quality.bonus",
            QualityAction::EntryRevoke { .. } => "quality.entry.revoke",
            QualityAction::LevelSet { .. } => "quality.level.set",
        }
    }

    pub fn required_role(&self) -> Role {
        match self {
            QualityAction::IndicatorAdd(_)
            | QualityAction::IndicatorEdit { .. }
            | QualityAction::IndicatorEnable { .. }
            | QualityAction::LevelSet { .. } => Role::Admin,
            _ => Role::Reviewer,
        }
    }
}

pub fn perform(ds: &mut Dataset, ctx: &Ctx, action: &QualityAction) -> Result<Outcome> {
    perform_seen(ds, ctx, action, None)
}

/// Like `perform`, but an indicator edit or enable/disable is refused when the indicator's
/// version is no longer the one the screen showed (someone changed it meanwhile).
pub fn perform_seen(
    ds: &mut Dataset,
    ctx: &Ctx,
    action: &QualityAction,
    seen_version: Option<i64>,
) -> Result<Outcome> {
    let seen: Vec<(i64, i64)> = match (seen_version, action) {
        (
            Some(v),
            QualityAction::IndicatorEdit { id, .. } | QualityAction::IndicatorEnable { id, .. },
        ) => vec![(*id, v)],
        _ => Vec::new(),
    };
    let mut outcomes = super::run(ds, ctx, &[(action, &seen)])?;
    Ok(outcomes.remove(0))
}

impl Command for QualityAction {
    fn name(&self) -> &'static str {
        QualityAction::name(self)
    }

    fn required_role(&self) -> Role {
        QualityAction::required_role(self)
    }

    fn check_input(&self) -> Result<()> {
        check_input(self)
    }

    fn seen_records(&self) -> (&'static str, RecordKind) {
        ("quality_indicators", RecordKind::Indicator)
    }

    /// An indicator the screen showed is looked up as the indicator it is (its own message
    /// when it is gone), then its version compared.
    fn check_seen(&self, tx: &Connection, seen: &[(i64, i64)]) -> Result<()> {
        for (id, version) in seen {
            if indicators::get(tx, *id)?.version != *version {
                return Err(JichaError::stale(RecordKind::Indicator, id));
            }
        }
        Ok(())
    }

    fn reach(&self, tx: &Connection) -> Result<super::scope::Reach> {
        quality_reach(tx, self)
    }

    fn apply(&self, tx: &Connection, ctx: &Ctx) -> Result<Outcome> {
        apply(tx, ctx, self)
    }
}

/// Indicators and levels score every unit; a value, deduction, bonus or revocation is its
/// unit's (a business deduction's also its ticket's).
fn quality_reach(tx: &Connection, action: &QualityAction) -> Result<super::scope::Reach> {
    use super::scope::{ticket_target, unit_target, Reach};
    let records = match action {
        QualityAction::IndicatorAdd(_)
        | QualityAction::IndicatorEdit { .. }
        | QualityAction::IndicatorEnable { .. }
        | QualityAction::LevelSet { .. } => return Ok(Reach::EveryUnit),
        QualityAction::ValueSet { unit, .. }
        | QualityAction::DirectDeduct { unit, .. }
        | QualityAction::Bonus { unit, .. } => vec![unit_target(unit)],
        QualityAction::BusinessDeduct { ticket, unit, .. } => {
            let mut t: Vec<_> = ticket_target(tx, ticket)?.into_iter().collect();
            t.extend(unit.as_deref().map(unit_target));
            t
        }
        QualityAction::EntryRevoke { id, .. } => tx
            .query_row(
                "SELECT unit FROM quality_entries WHERE id = ?1",
                [id],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .map(|u| crate::error::ScopeTarget {
                kind: crate::i18n::errors::TargetKind::QualityEntry,
                id: id.to_string(),
                unit: Some(u),
            })
            .into_iter()
            .collect(),
    };
    Ok(Reach::Records(records))
}

fn points_ok(p: f64, what: Field) -> Result<()> {
    if p.is_finite() && p > 0.0 && p <= 100.0 {
        Ok(())
    } else {
        Err(JichaError::invalid(QualityWrong::BadPoints {
            what,
            points: p,
        }))
    }
}

/// Checks that need no data, done before taking the write lock.
fn check_input(action: &QualityAction) -> Result<()> {
    match action {
        QualityAction::IndicatorAdd(spec) => spec.validate(),
        QualityAction::IndicatorEdit { patch, .. } => {
            if patch.is_empty() {
                Err(JichaError::invalid(QualityWrong::EmptyPatch))
            } else {
                Ok(())
            }
        }
        QualityAction::IndicatorEnable { .. } => Ok(()),
        QualityAction::ValueSet { period, value, .. } => {
            Period::parse(period)?;
            if value.is_finite() {
                Ok(())
            } else {
                Err(JichaError::invalid(QualityWrong::ValueNotNumber))
            }
        }
        QualityAction::BusinessDeduct { points, reason, .. } => {
            points_ok(*points, Field::BusinessDeduction)?;
            non_empty(reason, Field::DeductionReason)
        }
        QualityAction::DirectDeduct { reason, .. } => non_empty(reason, Field::ErrorOrAccident),
        QualityAction::Bonus { points, reason, .. } => {
            points_ok(*points, Field::Bonus)?;
            non_empty(reason, Field::BonusReason)
        }
        QualityAction::EntryRevoke { reason, .. } => non_empty(reason, Field::RevocationReason),
        QualityAction::LevelSet { level, points, .. } => {
            if level.is_empty() || level.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(JichaError::invalid(QualityWrong::BadLevelWord));
            }
            points_ok(*points, Field::LevelDeduction)
        }
    }
}

fn apply(tx: &Connection, ctx: &Ctx, action: &QualityAction) -> Result<Outcome> {
    match action {
        QualityAction::IndicatorAdd(_) | QualityAction::IndicatorEdit { .. } => {
            apply_indicator(tx, ctx, action)
        }
        QualityAction::IndicatorEnable { .. } => apply_enable(tx, ctx, action),
        QualityAction::ValueSet { .. } => apply_setting(tx, ctx, action),
        QualityAction::LevelSet { .. } => apply_level(tx, ctx, action),
        QualityAction::BusinessDeduct { .. } => apply_deduction(tx, ctx, action),
        QualityAction::DirectDeduct { .. } => apply_direct(tx, ctx, action),
        QualityAction::Bonus { .. } | QualityAction::EntryRevoke { .. } => {
            apply_bonus_or_revoke(tx, ctx, action)
        }
    }
}

/// An indicator added or edited.
fn apply_indicator(tx: &Connection, ctx: &Ctx, action: &QualityAction) -> Result<Outcome> {
    let done = |message: Done| {
        Ok(Outcome {
            message,
            changed: 1,
        })
    };
    match action {
        QualityAction::IndicatorAdd(s) => {
            tx.execute(
                "INSERT INTO quality_indicators(category, name, kind, level, base_value, full_value, full_score,
                                                direction, source, created_at, created_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    s.category.trim(),
                    s.name.trim(),
                    s.kind.as_str(),
                    s.level.as_str(),
                    s.base_value,
                    s.full_value,
                    s.full_score,
                    s.direction.as_str(),
                    s.source.as_str(),
                    ctx.now_utc(),
                    ctx.operator
                ],
            )?;
            let id = tx.last_insert_rowid();
            actionlog::append(
                tx,
                ctx,
                action.name(),
                &format!("indicator:{id}"),
                &spec_json(s),
            )?;
            done(Done::IndicatorAdded {
                id,
                category: s.category.clone(),
                name: s.name.clone(),
                main: s.kind == indicators::Kind::Main,
                level: s.level.as_str(),
                full_score: s.full_score,
                base: s.base_value,
                full: s.full_value,
            })
        }
        QualityAction::IndicatorEdit { id, patch } => {
            let old = indicators::get(tx, *id)?;
            let new = patch.apply(&old);
            new.validate()?;
            tx.execute(
                "UPDATE quality_indicators SET category = ?1, name = ?2, kind = ?3, level = ?4, base_value = ?5,
                        full_value = ?6, full_score = ?7, direction = ?8, source = ?9, version = version + 1
                 WHERE id = ?10",
                params![
                    new.category.trim(),
                    new.name.trim(),
                    new.kind.as_str(),
                    new.level.as_str(),
                    new.base_value,
                    new.full_value,
                    new.full_score,
                    new.direction.as_str(),
                    new.source.as_str(),
                    id
                ],
            )?;
            let old_spec = IndicatorPatch::default().apply(&old);
            actionlog::append(
                tx,
                ctx,
                action.name(),
                &format!("indicator:{id}"),
                &json!({ "old": spec_json(&old_spec), "new": spec_json(&new) }),
            )?;
            done(Done::IndicatorChanged {
                id: *id,
                name: new.name.clone(),
            })
        }
        _ => unreachable!("{} is not handled by apply_indicator", action.name()),
    }
}

/// An indicator enabled or disabled.
fn apply_enable(tx: &Connection, ctx: &Ctx, action: &QualityAction) -> Result<Outcome> {
    let done = |message: Done| {
        Ok(Outcome {
            message,
            changed: 1,
        })
    };
    match action {
        QualityAction::IndicatorEnable { id, enabled } => {
            let old = indicators::get(tx, *id)?;
            if old.enabled == *enabled {
                return Err(JichaError::invalid(QualityWrong::AlreadyEnabled {
                    id: *id,
                    name: old.name.clone(),
                    enabled: *enabled,
                }));
            }
            tx.execute(
                "UPDATE quality_indicators SET enabled = ?1, version = version + 1 WHERE id = ?2",
                params![enabled, id],
            )?;
            actionlog::append(
                tx,
                ctx,
                action.name(),
                &format!("indicator:{id}"),
                &json!({ "name": old.name }),
            )?;
            done(Done::IndicatorEnabled {
                id: *id,
                name: old.name.clone(),
                enabled: *enabled,
            })
        }
        _ => unreachable!("{} is not handled by apply_enable", action.name()),
    }
}

/// A hand-entered value.
fn apply_setting(tx: &Connection, ctx: &Ctx, action: &QualityAction) -> Result<Outcome> {
    let done = |message: Done| {
        Ok(Outcome {
            message,
            changed: 1,
        })
    };
    match action {
        QualityAction::ValueSet {
            indicator,
            unit,
            period,
            value,
        } => {
            let ind = indicators::get(tx, *indicator)?;
            if ind.source != Source::Manual {
                return Err(JichaError::invalid(QualityWrong::NotManual {
                    id: *indicator,
                    name: ind.name.clone(),
                    source: ind.source.as_str(),
                }));
            }
            let level = Level::of(Hierarchy::load(tx)?.resolve(unit)?.level);
            if level != ind.level {
                return Err(JichaError::invalid(QualityWrong::WrongLevel {
                    id: *indicator,
                    name: ind.name.clone(),
                    evaluates: ind.level.as_str(),
                    unit: unit.clone(),
                    is: level.as_str(),
                }));
            }
            let period = Period::parse(period)?.label();
            let old = indicators::manual_value(tx, *indicator, unit, &period)?;
            tx.execute(
                "INSERT INTO quality_values(indicator_id, unit, period, value, entered_by, entered_at, business_date)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(indicator_id, unit, period) DO UPDATE SET value = excluded.value,
                    entered_by = excluded.entered_by, entered_at = excluded.entered_at,
                    business_date = excluded.business_date",
                params![
                    indicator,
                    unit,
                    period,
                    value,
                    ctx.operator,
                    ctx.now_utc(),
                    ctx.today.to_string()
                ],
            )?;
            actionlog::append(
                tx,
                ctx,
                action.name(),
                &format!("indicator:{indicator}"),
                &json!({ "unit": unit, "period": period, "old": old, "new": value }),
            )?;
            done(Done::ValueSet {
                name: ind.name.clone(),
                unit: unit.clone(),
                period,
                value: *value,
                old,
            })
        }
        _ => unreachable!("{} is not handled by apply_setting", action.name()),
    }
}

/// A deduction level's points.
fn apply_level(tx: &Connection, ctx: &Ctx, action: &QualityAction) -> Result<Outcome> {
    let done = |message: Done| {
        Ok(Outcome {
            message,
            changed: 1,
        })
    };
    match action {
        QualityAction::LevelSet {
            level,
            points,
            label,
        } => {
            let old: Option<(String, f64)> = tx
                .query_row(
                    "SELECT label, points FROM quality_levels WHERE level = ?1",
                    [level],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let label = label
                .clone()
                .or_else(|| old.as_ref().map(|o| o.0.clone()))
                .unwrap_or_else(|| level.clone());
            tx.execute(
                "INSERT INTO quality_levels(level, label, points, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(level) DO UPDATE SET label = excluded.label, points = excluded.points,
                    updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                params![level, label, points, ctx.now_utc(), ctx.operator],
            )?;
            actionlog::append(
                tx,
                ctx,
                action.name(),
                &format!("quality_level:{level}"),
                &json!({ "old": old.as_ref().map(|o| o.1), "new": points, "label": label }),
            )?;
            done(match old {
                Some((_, o)) => Done::LevelChanged {
                    level: level.clone(),
                    points: *points,
                    old: o,
                },
                None => Done::LevelAdded {
                    level: level.clone(),
                    points: *points,
                },
            })
        }
        _ => unreachable!("{} is not handled by apply_level", action.name()),
    }
}

fn spec_json(s: &IndicatorSpec) -> serde_json::Value {
    json!({
        "category": s.category, "name": s.name, "kind": s.kind.as_str(), "level": s.level.as_str(),
        "base_value": s.base_value, "full_value": s.full_value, "full_score": s.full_score,
        "direction": s.direction.as_str(), "source": s.source.as_str(),
    })
}
