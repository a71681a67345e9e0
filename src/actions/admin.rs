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
        Action::OperatorAdd { login, role, .. } => {
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
        Action::OperatorAdd { login, role, name } => {
            let old: Option<String> = tx
                .query_row(
                    "SELECT role FROM operators WHERE login = ?1",
                    [login],
                    |r| r.get(0),
                )
                .optional()?;
            if old.as_deref() == Some("admin") && role != "admin" {
                let admins: i64 = tx.query_row(
                    "SELECT count(*) FROM operators WHERE role = 'admin'",
                    [],
                    |r| r.get(0),
                )?;
                if admins == 1 {
                    return Err(JichaError::invalid(AdminWrong::OnlyAdmin {
                        login: login.clone(),
                    }));
                }
            }
            tx.execute(
                "INSERT INTO operators(login, role, name, added_at, added_by) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(login) DO UPDATE SET role = excluded.role, name = coalesce(excluded.name, operators.name)",
                params![login, role, name, ctx.now_utc(), ctx.operator],
            )?;
            actionlog::append(
                tx,
                ctx,
                action.name(),
                &format!("operator:{login}"),
                &json!({ "role": role, "old_role": old, "name": name }),
            )?;
            Ok(Outcome {
                message: match old {
                    Some(from) => Done::RoleChanged {
                        login: login.clone(),
                        from,
                        to: role.clone(),
                    },
                    None => Done::OperatorAdded {
                        login: login.clone(),
                        role: role.clone(),
                    },
                },
                changed: 1,
            })
        }
        _ => unreachable!("{} is not an admin action", action.name()),
    }
}
