//! Every change an operator can make, as one action type that the CLI and the UI both go
//! through: checked for permission, applied in one transaction, and logged in the action log.
//! (Import and scan are longer jobs with their own modules; they follow the same three steps.)

use crate::actionlog;
use crate::context::{Ctx, Role};
use crate::db::Dataset;
use crate::error::{JichaError, Result};
use crate::states::{FindingStatus, Mover, Resolution};
use crate::thresholds::{self, Thresholds};
use crate::tickets::{self, Step};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Confirm {
        ids: Vec<i64>,
    },
    Close {
        ids: Vec<i64>,
        resolution: String,
        note: Option<String>,
    },
    Reopen {
        ids: Vec<i64>,
    },
    Note {
        ids: Vec<i64>,
        text: String,
    },
    WhitelistAdd {
        rule: String,
        cust_no: String,
        reason: String,
        days: Option<i64>,
    },
    WhitelistExtend {
        id: i64,
        days: i64,
        reason: String,
    },
    WhitelistRevoke {
        id: i64,
        reason: String,
    },
    WhitelistApprove {
        id: i64,
    },
    ThresholdSet {
        name: String,
        value: String,
    },
    OperatorAdd {
        login: String,
        role: String,
        name: Option<String>,
    },
    TicketCreate {
        findings: Vec<i64>,
        unit: Option<String>,
        person: Option<String>,
        due: Option<NaiveDate>,
        requirement: String,
    },
    TicketAck {
        number: String,
    },
    TicketSubmit {
        number: String,
        cause: String,
        measures: String,
        recovered: Option<f64>,
    },
    TicketApprove {
        number: String,
    },
    TicketReturn {
        number: String,
        reason: String,
    },
    TicketCancel {
        number: String,
        reason: String,
    },
}

impl Action {
    /// The name logged in the action log.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Confirm { .. } => "finding.confirm",
            Action::Close { .. } => "finding.close",
            Action::Reopen { .. } => "finding.reopen",
            Action::Note { .. } => "finding.note",
            Action::WhitelistAdd { .. } => "whitelist.add",
            Action::WhitelistExtend { .. } => "whitelist.extend",
            Action::WhitelistRevoke { .. } => "whitelist.revoke",
            Action::WhitelistApprove { .. } => "whitelist.approve",
            Action::ThresholdSet { .. } => "thresholds.set",
            Action::OperatorAdd { .. } => "operator.add",
            Action::TicketCreate { .. } => "ticket.create",
            Action::TicketAck { .. } => "ticket.ack",
            Action::TicketSubmit { .. } => "ticket.submit",
            Action::TicketApprove { .. } => "ticket.approve",
            Action::TicketReturn { .. } => "ticket.return",
            Action::TicketCancel { .. } => "ticket.cancel",
        }
    }

    pub fn required_role(&self) -> Role {
        match self {
            Action::WhitelistApprove { .. }
            | Action::TicketApprove { .. }
            | Action::TicketReturn { .. } => Role::Reviewer,
            Action::ThresholdSet { .. } | Action::OperatorAdd { .. } => Role::Admin,
            _ => Role::Auditor,
        }
    }

    /// How many findings the action touches (bulk actions ask for confirmation with this).
    pub fn finding_count(&self) -> usize {
        match self {
            Action::Confirm { ids }
            | Action::Close { ids, .. }
            | Action::Reopen { ids }
            | Action::Note { ids, .. } => ids.len(),
            Action::TicketCreate { findings, .. } => findings.len(),
            _ => 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// One line for the operator.
    pub message: String,
    /// How many records changed.
    pub changed: usize,
}

pub fn perform(ds: &mut Dataset, ctx: &Ctx, action: &Action) -> Result<Outcome> {
    perform_seen(ds, ctx, action, &[])
}

/// Like `perform`, but first checks that each `(id, version)` the screen showed is still
/// current, so a change never silently overwrites another operator's later one.
pub fn perform_seen(
    ds: &mut Dataset,
    ctx: &Ctx,
    action: &Action,
    seen: &[(i64, i64)],
) -> Result<Outcome> {
    perform_all(ds, ctx, std::slice::from_ref(action), seen)
}

/// Several actions as one unit of work (`finding confirm --text`: the confirmation and its
/// note): every one is checked before anything is written, then all are applied in one
/// transaction, so either all of them land or none does. `seen` is checked once, first, against
/// the records of the first action.
pub fn perform_all(
    ds: &mut Dataset,
    ctx: &Ctx,
    actions: &[Action],
    seen: &[(i64, i64)],
) -> Result<Outcome> {
    let Some(first) = actions.first() else {
        return Err(JichaError::invalid("nothing to do"));
    };
    for action in actions {
        ctx.require(action.required_role(), action.name())?;
        check_input(action)?;
    }
    ds.write(|tx| {
        check_seen(tx, first, seen)?;
        let mut messages = Vec::with_capacity(actions.len());
        let mut changed = 0;
        for action in actions {
            let outcome = apply(tx, ctx, action)?;
            messages.push(outcome.message);
            changed += outcome.changed;
        }
        Ok(Outcome {
            message: messages.join("; "),
            changed,
        })
    })
}

/// Several actions, each with the versions its screen showed, in one transaction: every one
/// applied, or (at the first refusal) none. The UI whitelists several marked findings so.
pub fn perform_all_seen(
    ds: &mut Dataset,
    ctx: &Ctx,
    steps: &[(Action, Vec<(i64, i64)>)],
) -> Result<Vec<Outcome>> {
    for (action, _) in steps {
        ctx.require(action.required_role(), action.name())?;
        check_input(action)?;
    }
    ds.write(|tx| {
        steps
            .iter()
            .map(|(action, seen)| {
                check_seen(tx, action, seen)?;
                apply(tx, ctx, action)
            })
            .collect()
    })
}

/// Input checks that need no data: done before taking the write lock.
fn check_input(action: &Action) -> Result<()> {
    let need_ids = |ids: &Vec<i64>| {
        if ids.is_empty() {
            Err(JichaError::invalid("name at least one finding id"))
        } else {
            Ok(())
        }
    };
    match action {
        Action::Confirm { ids } | Action::Reopen { ids } => need_ids(ids),
        Action::Close {
            ids,
            resolution,
            note,
        } => {
            need_ids(ids)?;
            let Ok(parsed) = resolution.parse::<Resolution>() else {
                return Err(JichaError::invalid(format!(
                    "unknown resolution `{resolution}`; use rectified, false_positive or no_action"
                )));
            };
            match note {
                None if parsed.needs_note() => Err(JichaError::invalid(format!(
                    "closing as {resolution} needs a note explaining why (--text)"
                ))),
                Some(n) if n.trim().is_empty() => Err(JichaError::invalid(
                    "the note must not be empty; leave out --text to close without one",
                )),
                _ => Ok(()),
            }
        }
        Action::Note { ids, text } => {
            need_ids(ids)?;
            non_empty(text, "the note")
        }
        Action::WhitelistAdd { reason, .. } => non_empty(reason, "a whitelist entry's reason"),
        Action::WhitelistExtend { days, .. } if *days < 1 => Err(JichaError::invalid(format!(
            "--days must be 1 or more, not {days}"
        ))),
        Action::WhitelistExtend { reason, .. } => non_empty(reason, "the extension's reason"),
        Action::WhitelistRevoke { reason, .. } => non_empty(reason, "the revocation's reason"),
        Action::WhitelistApprove { .. } => Ok(()),
        // Tickets check their fields against the ticket's state, inside the transaction.
        Action::TicketCreate { .. }
        | Action::TicketAck { .. }
        | Action::TicketSubmit { .. }
        | Action::TicketApprove { .. }
        | Action::TicketReturn { .. }
        | Action::TicketCancel { .. } => Ok(()),
        Action::ThresholdSet { name, value } => thresholds::validate(name, value).map(|_| ()),
        Action::OperatorAdd { login, role, .. } => {
            Role::parse(role)?;
            if login.is_empty() || login.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(JichaError::invalid(
                    "an operator's login is their system login name: no spaces or control characters",
                ));
            }
            Ok(())
        }
    }
}

fn non_empty(s: &str, what: &str) -> Result<()> {
    if s.trim().is_empty() {
        Err(JichaError::invalid(format!("{what} must not be empty")))
    } else {
        Ok(())
    }
}

fn check_seen(conn: &Connection, action: &Action, seen: &[(i64, i64)]) -> Result<()> {
    let (table, what) = match action {
        Action::WhitelistExtend { .. }
        | Action::WhitelistRevoke { .. }
        | Action::WhitelistApprove { .. } => ("whitelist", "whitelist entry"),
        Action::TicketAck { .. }
        | Action::TicketSubmit { .. }
        | Action::TicketApprove { .. }
        | Action::TicketReturn { .. }
        | Action::TicketCancel { .. } => ("tickets", "ticket"),
        _ => ("findings", "finding"),
    };
    let mut stmt = conn.prepare_cached(&format!("SELECT version FROM {table} WHERE id = ?1"))?;
    for (id, version) in seen {
        match stmt.query_row([id], |r| r.get::<_, i64>(0)).optional()? {
            None => return Err(JichaError::invalid(format!("there is no {what} {id}"))),
            Some(now) if now != *version => return Err(JichaError::Stale(format!("{what} {id}"))),
            Some(_) => {}
        }
    }
    Ok(())
}

fn apply(tx: &Connection, ctx: &Ctx, action: &Action) -> Result<Outcome> {
    match action {
        Action::Confirm { ids } => {
            transition(tx, ctx, action, ids, FindingStatus::Confirmed, None, None)
        }
        Action::Close {
            ids,
            resolution,
            note,
        } => transition(
            tx,
            ctx,
            action,
            ids,
            FindingStatus::Closed,
            Some(resolution.parse()?),
            note.as_deref(),
        ),
        Action::Reopen { ids } => transition(tx, ctx, action, ids, FindingStatus::New, None, None),
        Action::Note { ids, text } => {
            for id in ids {
                load_finding(tx, *id)?;
                add_note(tx, ctx, *id, text)?;
                actionlog::append(
                    tx,
                    ctx,
                    action.name(),
                    &format!("finding:{id}"),
                    &json!({ "text": text }),
                )?;
            }
            Ok(Outcome {
                message: format!("note added to {}", plural(ids.len(), "finding")),
                changed: ids.len(),
            })
        }
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
                return Err(JichaError::invalid(format!(
                    "whitelist entry {id} is already revoked"
                )));
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
                message: format!(
                    "whitelist entry {id} revoked; its findings are back in the queues"
                ),
                changed: 1,
            })
        }
        Action::WhitelistApprove { id } => whitelist_approve(tx, ctx, *id),
        Action::TicketCreate {
            findings,
            unit,
            person,
            due,
            requirement,
        } => tickets::create(
            tx,
            ctx,
            &tickets::NewTicket {
                findings,
                unit: unit.as_deref(),
                person: person.as_deref(),
                due: *due,
                requirement,
            },
        ),
        Action::TicketAck { number } => tickets::step(tx, ctx, number, &Step::Ack),
        Action::TicketSubmit {
            number,
            cause,
            measures,
            recovered,
        } => tickets::step(
            tx,
            ctx,
            number,
            &Step::Submit {
                cause,
                measures,
                recovered: *recovered,
            },
        ),
        Action::TicketApprove { number } => tickets::step(tx, ctx, number, &Step::Approve),
        Action::TicketReturn { number, reason } => {
            tickets::step(tx, ctx, number, &Step::Return { reason })
        }
        Action::TicketCancel { number, reason } => {
            tickets::step(tx, ctx, number, &Step::Cancel { reason })
        }
        Action::ThresholdSet { name, value } => {
            let value = thresholds::validate(name, value)?;
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
                message: format!(
                    "{name} = {value} (was {}); the next scan uses it",
                    old.unwrap_or_default()
                ),
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
                    return Err(JichaError::invalid(format!(
                        "{login} is the only admin; make someone else admin first"
                    )));
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
                    Some(o) => format!("{login}: role {o} → {role}"),
                    None => format!("{login} added as {role}"),
                },
                changed: 1,
            })
        }
    }
}

struct FindingState {
    status: FindingStatus,
    resolution: Option<Resolution>,
}

fn load_finding(conn: &Connection, id: i64) -> Result<FindingState> {
    conn.query_row(
        "SELECT status, resolution FROM findings WHERE id = ?1",
        [id],
        |r| {
            Ok(FindingState {
                status: r.get(0)?,
                resolution: r.get(1)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| JichaError::invalid(format!("there is no finding {id}")))
}

/// A note is a change like any other: it bumps the finding's version, so an action taken on a
/// screen drawn before someone's "do not close" note is refused as stale.
fn add_note(conn: &Connection, ctx: &Ctx, id: i64, text: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO finding_notes(finding_id, author, at_utc, business_date, text) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, ctx.operator, ctx.now_utc(), ctx.today.to_string(), text],
    )?;
    conn.execute(
        "UPDATE findings SET version = version + 1 WHERE id = ?1",
        [id],
    )?;
    Ok(())
}

/// Moves findings to `to` (all or none). Findings already there are left alone and counted;
/// a finding that cannot make the move refuses the whole action, naming it.
fn transition(
    tx: &Connection,
    ctx: &Ctx,
    action: &Action,
    ids: &[i64],
    to: FindingStatus,
    resolution: Option<Resolution>,
    note: Option<&str>,
) -> Result<Outcome> {
    let mut changed = 0;
    let mut unchanged = 0;
    for &id in ids {
        let f = load_finding(tx, id)?;
        if f.status == to && f.resolution == resolution {
            unchanged += 1;
            continue;
        }
        if !f.status.can_go_to(to, Mover::Operator) {
            let why = match (to, f.status) {
                (_, FindingStatus::Ticketed) => {
                    "it is on an open ticket; the ticket's approval or cancellation moves it"
                }
                (FindingStatus::Confirmed, _) => "only new findings can be confirmed",
                (FindingStatus::Closed, _) => "only new or confirmed findings can be closed",
                _ => "only closed or cleared findings can be reopened",
            };
            return Err(JichaError::invalid(format!(
                "finding {id} is {}: {why}; nothing was changed",
                f.status
            )));
        }
        if let Some(text) = note.filter(|n| !n.trim().is_empty()) {
            add_note(tx, ctx, id, text)?;
        }
        set_finding_status(
            tx,
            ctx,
            id,
            to,
            resolution,
            action.name(),
            json!({ "resolution": resolution, "note": note, "bulk": ids.len() }),
        )?;
        changed += 1;
    }
    let verb = match to {
        FindingStatus::New => "reopened",
        other => other.as_str(),
    };
    let mut message = format!("{} {verb}", plural(changed, "finding"));
    if unchanged > 0 {
        message.push_str(&format!(" ({unchanged} already {verb})"));
    }
    Ok(Outcome { message, changed })
}

/// Moves one finding to `to`: bumps its version, records the status history row and one
/// action-log record (`details` plus `from` and `to`). Callers have checked the move is allowed.
pub(crate) fn set_finding_status(
    tx: &Connection,
    ctx: &Ctx,
    id: i64,
    to: FindingStatus,
    resolution: Option<Resolution>,
    log_action: &str,
    mut details: serde_json::Value,
) -> Result<()> {
    let from = load_finding(tx, id)?.status;
    let today = ctx.today.to_string();
    tx.execute(
        "UPDATE findings SET status = ?1, resolution = ?2, status_date = ?3, version = version + 1 WHERE id = ?4",
        params![to, resolution, today, id],
    )?;
    tx.execute(
        "INSERT INTO finding_status_history(finding_id, business_date, status, resolution, operator)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, today, to, resolution, ctx.operator],
    )?;
    details["from"] = json!(from);
    details["to"] = json!(to);
    actionlog::append(tx, ctx, log_action, &format!("finding:{id}"), &details)?;
    Ok(())
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
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
        return Err(JichaError::invalid(format!(
            "a whitelist freeze period is 1 to {max} days, not {days}"
        )));
    }
    let known_rule = rule == "*"
        || crate::rules::catalogue::find(rule).is_some()
        || tx
            .query_row(
                "SELECT 1 FROM findings WHERE rule = ?1 LIMIT 1",
                [rule],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
    if !known_rule {
        return Err(JichaError::invalid(format!(
            "unknown rule `{rule}`; give a rule id such as ARC-01, an EXT:<source>:<code> rule, or * for every rule"
        )));
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
        return Err(JichaError::invalid(format!(
            "there is no customer {cust_no}"
        )));
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
        format!(
            "whitelist entry {id} ({rule}, {cust_no}, {days} days) awaits a reviewer's approval: longer than {} days",
            th.int("whitelist_review_days")
        )
    } else {
        format!("whitelist entry {id}: {rule} for {cust_no} suppressed until {expires}")
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
        return Err(JichaError::invalid(format!(
            "whitelist entry {id} is {}; add a new entry instead",
            e.state
        )));
    }
    let base = e.requested_expires_on.as_deref().unwrap_or(&e.expires_on);
    let base = stored_date(base, id)?;
    let starts = stored_date(&e.starts_on, id)?;
    // The length is checked before any date is computed from the operator's `--days`.
    let total = (base - starts).num_days().saturating_add(days);
    let max = th.int("whitelist_max_days");
    if total > max {
        return Err(JichaError::invalid(format!(
            "whitelist entry {id} would then last {total} days from {}; the most is {max}",
            e.starts_on
        )));
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
        format!(
            "extension of whitelist entry {id} to {new_expiry} awaits a reviewer's approval ({total} days > {review}); it stays in force until {}",
            e.expires_on
        )
    } else {
        format!("whitelist entry {id} now expires on {new_expiry}")
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
        return Err(JichaError::invalid(format!(
            "whitelist entry {id} is {} and waits for no approval",
            e.state
        )));
    }
    let asked_by = e.requested_by.as_deref().unwrap_or(&e.author);
    if asked_by == ctx.operator {
        return Err(JichaError::invalid(format!(
            "you asked for whitelist entry {id} yourself; another reviewer must approve it"
        )));
    }
    let message = if let Some(new_expiry) = &e.requested_expires_on {
        tx.execute(
            "UPDATE whitelist SET expires_on = requested_expires_on, requested_expires_on = NULL,
                    approved_by = ?1, version = version + 1 WHERE id = ?2",
            params![ctx.operator, id],
        )?;
        format!("extension approved: whitelist entry {id} now expires on {new_expiry}")
    } else {
        let from = std::cmp::max(ctx.today.to_string(), e.starts_on.clone());
        tx.execute(
            "UPDATE whitelist SET effective_from = ?1, approved_by = ?2, version = version + 1 WHERE id = ?3",
            params![from, ctx.operator, id],
        )?;
        format!(
            "whitelist entry {id} approved: in force from {from} until {}",
            e.expires_on
        )
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

/// `days` after `d`, refused when that falls outside the years jicha accepts.
fn later_date(d: NaiveDate, days: i64) -> Result<NaiveDate> {
    crate::dates::add_days(d, days).ok_or_else(|| {
        JichaError::invalid(format!(
            "{days} days after {d} is past {}-12-31, the last date jicha accepts",
            crate::dates::LAST_YEAR
        ))
    })
}

fn stored_date(s: &str, whitelist_id: i64) -> Result<NaiveDate> {
    crate::dates::parse_date(s).ok_or_else(|| {
        JichaError::Dataset(format!(
            "whitelist entry {whitelist_id} holds `{s}` where a date belongs; `jicha log verify` checks the dataset"
        ))
    })
}
