//! The dataset's settings: thresholds and the operator list (an admin's).

use super::{Action, Outcome};
use crate::actionlog;
use crate::context::{Ctx, Role};
use crate::error::{JichaError, Result};
use crate::i18n::outcomes::Done;
use crate::i18n::refusals::AdminWrong;
use crate::thresholds::{self, Thresholds};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;

pub(super) fn check_input(action: &Action) -> Result<()> {
    match action {
        // A site rule's parameter (X-ID.name) is known only to the dataset: checked in `apply`.
        Action::ThresholdSet { name, .. } if crate::rules::site::is_param_name(name) => Ok(()),
        Action::ThresholdSet { name, value } => thresholds::validate(name, value).map(|_| ()),
        Action::OperatorAdd {
            login, role, unit, ..
        } => {
            if unit.as_deref().is_some_and(|u| u.trim().is_empty()) {
                return Err(JichaError::invalid(AdminWrong::BlankUnit));
            }
            Role::parse(role).map_err(|_| {
                JichaError::invalid(AdminWrong::UnknownRole {
                    given: role.clone(),
                })
            })?;
            if login.is_empty() || login.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(JichaError::invalid(AdminWrong::BadLogin));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

pub(super) fn apply(tx: &Connection, ctx: &Ctx, action: &Action) -> Result<Outcome> {
    match action {
        Action::ThresholdSet { name, value } => {
            let value = thresholds::validate_in(tx, name, value)?;
            let old = Thresholds::load(tx)?
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone());
            tx.execute(
                "INSERT INTO thresholds(name, value, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
                                                 updated_by = excluded.updated_by",
                params![name, value, ctx.now_utc(), ctx.operator],
            )?;
            actionlog::append(
                tx,
                ctx,
                action.name(),
                &format!("threshold:{name}"),
                &json!({ "old": old, "new": value }),
            )?;
            Ok(Outcome {
                message: Done::ThresholdSet {
                    name: name.clone(),
                    value,
                    old: old.unwrap_or_default(),
                },
                changed: 1,
            })
        }
        Action::OperatorAdd {
            login,
            role,
            name,
            unit,
        } => operator_add(
            tx,
            ctx,
            action,
            login,
            role,
            name.as_deref(),
            unit.as_deref(),
        ),
        _ => unreachable!("{} is not an admin action", action.name()),
    }
}

/// Adds `login`, or sets an existing operator's role and unit as given (None: the audit
/// centre). The unit must be one the tree knows; the last admin stays an admin.
fn operator_add(
    tx: &Connection,
    ctx: &Ctx,
    action: &Action,
    login: &str,
    role: &str,
    name: Option<&str>,
    unit: Option<&str>,
) -> Result<Outcome> {
    super::scope::require_known_unit(tx, unit)?;
    let old: Option<(String, Option<String>)> = tx
        .query_row(
            "SELECT role, unit FROM operators WHERE login = ?1",
            [login],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if old.as_ref().is_some_and(|(r, _)| r == "admin") && role != "admin" {
        let admins: i64 = tx.query_row(
            "SELECT count(*) FROM operators WHERE role = 'admin'",
            [],
            |r| r.get(0),
        )?;
        if admins == 1 {
            return Err(JichaError::invalid(AdminWrong::OnlyAdmin {
                login: login.to_string(),
            }));
        }
    }
    tx.execute(
        "INSERT INTO operators(login, role, name, added_at, added_by, unit) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(login) DO UPDATE SET role = excluded.role, name = coalesce(excluded.name, operators.name),
                                          unit = excluded.unit",
        params![login, role, name, ctx.now_utc(), ctx.operator, unit],
    )?;
    let (old_role, old_unit) = match &old {
        Some((r, u)) => (Some(r.clone()), u.clone()),
        None => (None, None),
    };
    actionlog::append(
        tx,
        ctx,
        action.name(),
        &format!("operator:{login}"),
        &json!({ "role": role, "old_role": old_role, "name": name,
                 "unit": unit, "old_unit": old_unit }),
    )?;
    let (login, role, unit) = (
        login.to_string(),
        role.to_string(),
        unit.map(str::to_string),
    );
    let message = match (old, unit) {
        (Some((from, from_unit)), to) if from_unit != to => Done::UnitChanged {
            login,
            role_from: from,
            role_to: role,
            from: from_unit,
            to,
        },
        (Some((from, _)), _) => Done::RoleChanged {
            login,
            from,
            to: role,
        },
        (None, Some(unit)) => Done::OperatorAddedIn { login, role, unit },
        (None, None) => Done::OperatorAdded { login, role },
    };
    Ok(Outcome {
        message,
        changed: 1,
    })
}
