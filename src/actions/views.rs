//! Saving, deleting and pinning a saved view (`crate::views`): a `Command` of its own, through
//! `actions::run` like every change — one transaction, one action-log record. A view is the
//! operator's own: any role may keep views (a viewer reads all day too), nobody touches
//! another's, and it reaches no unit's records.

use super::{Command, Outcome};
use crate::actionlog;
use crate::context::{Ctx, Role};
use crate::db::Dataset;
use crate::error::{JichaError, Result};
use crate::findings::Filter;
use crate::i18n::errors::RecordKind;
use crate::i18n::outcomes::Done;
use crate::i18n::views::ViewWrong;
use crate::views::{self, suppressed_str, MAX_NAME};
use rusqlite::{params, Connection};
use serde_json::json;

#[derive(Debug, Clone, PartialEq)]
pub enum ViewChange {
    /// Saves `filter` under `name`, replacing the operator's view of that name.
    Save {
        name: String,
        filter: Filter,
    },
    Delete {
        name: String,
    },
    /// Pins the view to the dashboard (unpinning any other), or unpins it.
    Pin {
        name: String,
        pinned: bool,
    },
}

impl ViewChange {
    fn name_of(&self) -> &str {
        match self {
            ViewChange::Save { name, .. }
            | ViewChange::Delete { name }
            | ViewChange::Pin { name, .. } => name,
        }
    }
}

pub fn perform(ds: &mut Dataset, ctx: &Ctx, change: &ViewChange) -> Result<Outcome> {
    let mut out = super::run(ds, ctx, &[(change, &[][..])])?;
    Ok(out.remove(0))
}

/// A name an operator can read back and type: 1 to 40 characters, no control characters.
pub fn check_name(name: &str) -> Result<()> {
    let n = name.chars().count();
    if name.trim() != name || n == 0 || n > MAX_NAME || name.chars().any(char::is_control) {
        return Err(JichaError::invalid(ViewWrong::BadName {
            name: crate::text::escape(name).into_owned(),
            max: MAX_NAME,
        }));
    }
    Ok(())
}

impl Command for ViewChange {
    fn name(&self) -> &'static str {
        match self {
            ViewChange::Save { .. } => "view.save",
            ViewChange::Delete { .. } => "view.delete",
            ViewChange::Pin { .. } => "view.pin",
        }
    }

    fn required_role(&self) -> Role {
        Role::Viewer
    }

    fn check_input(&self) -> Result<()> {
        check_name(self.name_of())?;
        if let ViewChange::Save { filter, .. } = self {
            filter.validate()?;
        }
        Ok(())
    }

    fn seen_records(&self) -> (&'static str, RecordKind) {
        ("saved_views", RecordKind::Finding)
    }

    /// Only the operator writes their own views: no other operator's change to refuse.
    fn check_seen(&self, _tx: &Connection, _seen: &[(i64, i64)]) -> Result<()> {
        Ok(())
    }

    fn reach(&self, _tx: &Connection) -> Result<super::scope::Reach> {
        Ok(super::scope::Reach::Records(Vec::new()))
    }

    fn apply(&self, tx: &Connection, ctx: &Ctx) -> Result<Outcome> {
        let who = ctx.operator.as_str();
        let name = self.name_of().to_string();
        let old = views::get(tx, who, &name)?;
        let (message, details) = match self {
            ViewChange::Save { filter, .. } => {
                save(tx, ctx, &name, filter)?;
                let d = json!({
                    "name": name, "replaced": old.is_some(),
                    "status": filter.status, "rule": filter.rule, "unit": filter.station,
                    "severity": filter.severity, "level": filter.level, "text": filter.text,
                    "suppressed": suppressed_str(filter.suppressed),
                });
                (
                    Done::ViewSaved {
                        name: name.clone(),
                        replaced: old.is_some(),
                    },
                    d,
                )
            }
            ViewChange::Delete { .. } => {
                let Some(v) = old else {
                    return Err(no_view(&name));
                };
                tx.execute("DELETE FROM saved_views WHERE id = ?1", [v.id])?;
                (
                    Done::ViewDeleted { name: name.clone() },
                    json!({"name": name, "was_pinned": v.pinned}),
                )
            }
            ViewChange::Pin { pinned, .. } => {
                let Some(v) = old else {
                    return Err(no_view(&name));
                };
                if *pinned {
                    tx.execute(
                        "UPDATE saved_views SET pinned = 0, version = version + 1
                          WHERE operator = ?1 AND pinned = 1 AND id <> ?2",
                        params![who, v.id],
                    )?;
                }
                tx.execute(
                    "UPDATE saved_views SET pinned = ?1, version = version + 1 WHERE id = ?2",
                    params![i64::from(*pinned), v.id],
                )?;
                (
                    Done::ViewPinned {
                        name: name.clone(),
                        pinned: *pinned,
                    },
                    json!({"name": name, "pinned": pinned}),
                )
            }
        };
        actionlog::append(
            tx,
            ctx,
            Command::name(self),
            &format!("view:{who}/{name}"),
            &details,
        )?;
        Ok(Outcome {
            message,
            changed: 1,
        })
    }
}

fn no_view(name: &str) -> JichaError {
    JichaError::invalid(ViewWrong::NoView {
        name: crate::text::escape(name).into_owned(),
    })
}

fn save(tx: &Connection, ctx: &Ctx, name: &str, f: &Filter) -> Result<()> {
    tx.execute(
        "INSERT INTO saved_views(operator, name, status, rule, unit, severity, level, text,
                                 suppressed, saved_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT(operator, name) DO UPDATE SET
           status = excluded.status, rule = excluded.rule, unit = excluded.unit,
           severity = excluded.severity, level = excluded.level, text = excluded.text,
           suppressed = excluded.suppressed, saved_at = excluded.saved_at,
           version = saved_views.version + 1",
        params![
            ctx.operator,
            name,
            f.status,
            f.rule,
            f.station,
            f.severity,
            f.level,
            f.text,
            suppressed_str(f.suppressed),
            ctx.now_utc()
        ],
    )?;
    Ok(())
}
