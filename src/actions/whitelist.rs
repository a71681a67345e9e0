//! Whitelist entries (白名单): add, extend, revoke, and a reviewer's approval of a long one.

use super::{later_date, non_empty, Action, Outcome};
use crate::actionlog;
use crate::context::Ctx;
use crate::error::{JichaError, Result};
use crate::i18n::errors::Field;
use crate::i18n::outcomes::Done;
use crate::i18n::refusals::WhitelistWrong;
use crate::thresholds::Thresholds;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;

pub(super) fn check_input(action: &Action) -> Result<()> {
    match action {
        Action::WhitelistAdd { reason, .. } => non_empty(reason, Field::WhitelistReason),
        Action::WhitelistExtend { days, .. } if *days < 1 => {
            Err(JichaError::invalid(WhitelistWrong::BadDays { days: *days }))
        }
        Action::WhitelistExtend { reason, .. } => non_empty(reason, Field::ExtensionReason),
        Action::WhitelistRevoke { reason, .. } => non_empty(reason, Field::RevocationReason),
        _ => Ok(()),
    }
}

pub(super) fn apply(tx: &Connection, ctx: &Ctx, action: &Action) -> Result<Outcome> {
    match action {
        Action::WhitelistAdd {
            rule,
            cust_no,
            reason,
            days,
        } => whitelist_add(tx, ctx, rule, cust_no, reason, *days),
        Action::WhitelistExtend { id, days, reason } => {
            whitelist_extend(tx, ctx, *id, *days, reason)
        }
        Action::WhitelistRevoke { id, reason } => {
            let e = crate::whitelist::get(tx, *id, ctx.today)?;
            if e.revoked_on.is_some() {
                return Err(JichaError::invalid(WhitelistWrong::AlreadyRevoked {
                    id: *id,
                }));
            }
            tx.execute(
                "UPDATE whitelist SET revoked_on = ?1, revoked_by = ?2, revoke_reason = ?3, version = version + 1 WHERE id = ?4",
                params![ctx.today.to_string(), ctx.operator, reason, id],
            )?;
            actionlog::append(
                tx,
                ctx,
                action.name(),
                &format!("whitelist:{id}"),
                &json!({ "reason": reason }),
            )?;
            Ok(Outcome {
                message: Done::WhitelistRevoked { id: *id },
                changed: 1,
            })
        }
        Action::WhitelistApprove { id } => whitelist_approve(tx, ctx, *id),
        _ => unreachable!("{} is not a whitelist action", action.name()),
    }
}

fn whitelist_add(
    tx: &Connection,
    ctx: &Ctx,
    rule: &str,
    cust_no: &str,
    reason: &str,
    days: Option<i64>,
) -> Result<Outcome> {
    let th = Thresholds::load(tx)?;
    let days = days.unwrap_or(th.int("whitelist_default_days"));
    let max = th.int("whitelist_max_days");
    if !(1..=max).contains(&days) {
        return Err(JichaError::invalid(WhitelistWrong::FreezePeriod {
            max,
            days,
        }));
    }
    let known_rule = rule == "*"
        || crate::rules::catalogue::find(rule).is_some()
        || (crate::rules::site::is_site_id(rule)
            && crate::rules::site::store::get(tx, rule)?.is_some())
        || tx
            .query_row(
                "SELECT 1 FROM findings WHERE rule = ?1 LIMIT 1",
                [rule],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
    if !known_rule {
        return Err(JichaError::invalid(WhitelistWrong::UnknownRule {
            rule: rule.to_string(),
        }));
    }
    let exists = tx
        .query_row(
            "SELECT 1 FROM customers WHERE cust_no = ?1",
            [cust_no],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if !exists {
        return Err(JichaError::invalid(WhitelistWrong::NoCustomer {
            cust_no: cust_no.to_string(),
        }));
    }
    let starts = ctx.today;
    let expires = later_date(starts, days)?;
    let needs_review = days > th.int("whitelist_review_days");
    let effective = (!needs_review).then(|| starts.to_string());
    tx.execute(
        "INSERT INTO whitelist(rule, cust_no, reason, author, created_at, starts_on, expires_on, effective_from,
                               requested_by, requested_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            rule,
            cust_no,
            reason,
            ctx.operator,
            ctx.now_utc(),
            starts.to_string(),
            expires.to_string(),
            effective,
            needs_review.then_some(&ctx.operator),
            needs_review.then_some(reason),
        ],
    )?;
    let id = tx.last_insert_rowid();
    actionlog::append(
        tx,
        ctx,
        "whitelist.add",
        &format!("whitelist:{id}"),
        &json!({ "rule": rule, "cust_no": cust_no, "reason": reason, "days": days,
                 "expires_on": expires.to_string(), "awaits_approval": needs_review }),
    )?;
    let message = if needs_review {
        Done::WhitelistAwaits {
            id,
            rule: rule.to_string(),
            cust_no: cust_no.to_string(),
            days,
            review_days: th.int("whitelist_review_days"),
        }
    } else {
        Done::WhitelistAdded {
            id,
            rule: rule.to_string(),
            cust_no: cust_no.to_string(),
            until: expires.to_string(),
        }
    };
    Ok(Outcome {
        message,
        changed: 1,
    })
}

fn whitelist_extend(
    tx: &Connection,
    ctx: &Ctx,
    id: i64,
    days: i64,
    reason: &str,
) -> Result<Outcome> {
    let th = Thresholds::load(tx)?;
    let e = crate::whitelist::get(tx, id, ctx.today)?;
    if e.state == "revoked" || e.state == "expired" {
        return Err(JichaError::invalid(WhitelistWrong::Ended {
            id,
            state: e.state.to_string(),
        }));
    }
    let base = e.requested_expires_on.as_deref().unwrap_or(&e.expires_on);
    let base = stored_date(base, id)?;
    let starts = stored_date(&e.starts_on, id)?;
    // The length is checked before any date is computed from the operator's `--days`.
    let total = (base - starts).num_days().saturating_add(days);
    let max = th.int("whitelist_max_days");
    if total > max {
        return Err(JichaError::invalid(WhitelistWrong::TooLong {
            id,
            total,
            starts: e.starts_on.clone(),
            max,
        }));
    }
    let new_expiry = later_date(base, days)?;
    let review = th.int("whitelist_review_days");
    let pending = e.effective_from.is_some() && total > review;
    if pending {
        tx.execute(
            "UPDATE whitelist SET requested_expires_on = ?1, requested_by = ?2, requested_reason = ?3, version = version + 1 WHERE id = ?4",
            params![new_expiry.to_string(), ctx.operator, reason, id],
        )?;
    } else {
        tx.execute(
            "UPDATE whitelist SET expires_on = ?1, version = version + 1 WHERE id = ?2",
            params![new_expiry.to_string(), id],
        )?;
    }
    actionlog::append(
        tx,
        ctx,
        "whitelist.extend",
        &format!("whitelist:{id}"),
        &json!({ "days": days, "reason": reason, "old_expires_on": e.expires_on,
                 "new_expires_on": new_expiry.to_string(), "awaits_approval": pending }),
    )?;
    let message = if pending {
        Done::ExtensionAwaits {
            id,
            until: new_expiry.to_string(),
            total,
            review_days: review,
            in_force_until: e.expires_on.clone(),
        }
    } else {
        Done::WhitelistExtended {
            id,
            until: new_expiry.to_string(),
        }
    };
    Ok(Outcome {
        message,
        changed: 1,
    })
}

fn whitelist_approve(tx: &Connection, ctx: &Ctx, id: i64) -> Result<Outcome> {
    let e = crate::whitelist::get(tx, id, ctx.today)?;
    let waiting = e.effective_from.is_none() || e.requested_expires_on.is_some();
    if !waiting || e.state == "revoked" || e.state == "expired" {
        return Err(JichaError::invalid(WhitelistWrong::NotWaiting {
            id,
            state: e.state.to_string(),
        }));
    }
    let asked_by = e.requested_by.as_deref().unwrap_or(&e.author);
    if asked_by == ctx.operator {
        return Err(JichaError::invalid(WhitelistWrong::OwnRequest { id }));
    }
    let message = if let Some(new_expiry) = &e.requested_expires_on {
        tx.execute(
            "UPDATE whitelist SET expires_on = requested_expires_on, requested_expires_on = NULL,
                    approved_by = ?1, version = version + 1 WHERE id = ?2",
            params![ctx.operator, id],
        )?;
        Done::ExtensionApproved {
            id,
            until: new_expiry.clone(),
        }
    } else {
        let from = std::cmp::max(ctx.today.to_string(), e.starts_on.clone());
        tx.execute(
            "UPDATE whitelist SET effective_from = ?1, approved_by = ?2, version = version + 1 WHERE id = ?3",
            params![from, ctx.operator, id],
        )?;
        Done::WhitelistApproved {
            id,
            from,
            until: e.expires_on.clone(),
        }
    };
    actionlog::append(
        tx,
        ctx,
        "whitelist.approve",
        &format!("whitelist:{id}"),
        &json!({ "asked_by": asked_by }),
    )?;
    Ok(Outcome {
        message,
        changed: 1,
    })
}

fn stored_date(s: &str, whitelist_id: i64) -> Result<NaiveDate> {
    crate::dates::parse_date(s).ok_or_else(|| {
        JichaError::invalid(crate::i18n::refusals_cli::CliWrong::StoredNotDate {
            whitelist_id,
            value: s.to_string(),
        })
    })
}
