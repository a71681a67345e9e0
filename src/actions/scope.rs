//! Operators bound to a unit (`operator add --unit U`): they see everything but act only on
//! records of U's subtree (`Hierarchy::subtree`) — findings whose customer's station lies in it,
//! whitelist entries of such customers, tickets whose responsible unit does. An operator without
//! a unit is the audit centre and acts everywhere.
//!
//! Every [`Command`] states what it reaches ([`Command::reach`], a required method, so a new
//! change cannot leave it out), and [`super::run`] checks it with [`check`] inside the
//! transaction, before `apply`: a refusal writes nothing and logs nothing. A bulk change is
//! refused whole when any of its records is outside, naming how many and the first.

use super::{Action, Command};
use crate::context::Ctx;
use crate::error::{JichaError, OutOfScope, Result, ScopeTarget};
use crate::i18n::errors::TargetKind;
use crate::units::Hierarchy;
use rusqlite::{Connection, OptionalExtension};

/// What a change acts on, as the scope check sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Reach {
    /// These records, each with its unit. A record that does not exist is left out (the change
    /// itself refuses it, by name).
    Records(Vec<ScopeTarget>),
    /// Every unit at once (thresholds, site rules, the operator list, quality indicators):
    /// only the audit centre may.
    EveryUnit,
}

/// The scope step of [`super::run`]: nothing to read for the audit centre; for a bound operator,
/// the command's reach against their unit's subtree. `tree` is loaded once per transaction.
pub(super) fn check<C: Command + ?Sized>(
    tx: &Connection,
    ctx: &Ctx,
    command: &C,
    tree: &mut Option<Hierarchy>,
) -> Result<()> {
    if ctx.unit.is_none() {
        return Ok(());
    }
    let reach = command.reach(tx)?;
    if tree.is_none() {
        *tree = Some(Hierarchy::load(tx)?);
    }
    let h = tree.as_ref().expect("loaded above");
    require_within(ctx, h, command.name(), &reach)
}

/// Refuses when `ctx` is bound to a unit and any record of `reach` lies outside its subtree
/// (or the change reaches every unit): the refusal names the action, how many records are
/// outside, the first with its unit, and the operator's unit and role.
pub fn require_within(ctx: &Ctx, h: &Hierarchy, action: &str, reach: &Reach) -> Result<()> {
    let Some(mine) = ctx.unit.as_deref() else {
        return Ok(());
    };
    let refuse = |first: Option<ScopeTarget>, outside: usize, of: usize| {
        Err(JichaError::OutOfScope(Box::new(OutOfScope {
            action: action.to_string(),
            first,
            outside,
            of,
            mine: mine.to_string(),
            role: ctx.role.as_str(),
        })))
    };
    match reach {
        Reach::EveryUnit => refuse(None, 0, 0),
        Reach::Records(targets) => {
            let inside = |t: &&ScopeTarget| t.unit.as_deref().is_some_and(|u| h.within(u, mine));
            let outside: Vec<&ScopeTarget> = targets.iter().filter(|t| !inside(t)).collect();
            match outside.first() {
                None => Ok(()),
                Some(first) => refuse(Some((*first).clone()), outside.len(), targets.len()),
            }
        }
    }
}

/// Refuses a typed unit the tree does not know, suggesting the nearest names
/// (`Hierarchy::resolve`). None or blank: nothing typed (the default unit applies).
pub fn require_known_unit(conn: &Connection, unit: Option<&str>) -> Result<()> {
    let Some(unit) = unit.filter(|u| !u.trim().is_empty()) else {
        return Ok(());
    };
    // The usual case, a known name, without building the tree.
    let known = conn
        .query_row(
            "SELECT 1 WHERE EXISTS (SELECT 1 FROM units WHERE name = ?1)
                OR (NOT EXISTS (SELECT 1 FROM units)
                    AND (EXISTS (SELECT 1 FROM customers WHERE station = ?1)
                         OR EXISTS (SELECT 1 FROM customers WHERE district = ?1)))",
            [unit],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if known {
        return Ok(());
    }
    Hierarchy::load(conn)?.resolve(unit).map(|_| ())
}

/// A unit named by a change (a ticket's responsible unit, a bonus's unit).
pub fn unit_target(unit: &str) -> ScopeTarget {
    ScopeTarget {
        kind: TargetKind::Unit,
        id: unit.to_string(),
        unit: Some(unit.to_string()),
    }
}

/// The findings `ids` with their customers' stations (a finding that does not exist is left
/// out).
pub fn finding_targets(tx: &Connection, ids: &[i64]) -> Result<Vec<ScopeTarget>> {
    let mut stmt = tx.prepare_cached(
        "SELECT c.station FROM findings f LEFT JOIN customers c ON c.cust_no = f.cust_no
         WHERE f.id = ?1",
    )?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(station) = stmt
            .query_row([id], |r| r.get::<_, Option<String>>(0))
            .optional()?
        {
            out.push(ScopeTarget {
                kind: TargetKind::Finding,
                id: id.to_string(),
                unit: station.filter(|s| !s.is_empty()),
            });
        }
    }
    Ok(out)
}

/// The ticket `number` with its responsible unit (none when there is no such ticket).
pub fn ticket_target(tx: &Connection, number: &str) -> Result<Option<ScopeTarget>> {
    let unit = tx
        .query_row(
            "SELECT unit FROM tickets WHERE number = ?1",
            [number],
            |r| r.get::<_, String>(0),
        )
        .optional()?;
    Ok(unit.map(|u| ScopeTarget {
        kind: TargetKind::Ticket,
        id: number.to_string(),
        unit: Some(u),
    }))
}

fn customer_target(tx: &Connection, cust_no: &str) -> Result<Option<ScopeTarget>> {
    let station = tx
        .query_row(
            "SELECT station FROM customers WHERE cust_no = ?1",
            [cust_no],
            |r| r.get::<_, String>(0),
        )
        .optional()?;
    Ok(station.map(|s| ScopeTarget {
        kind: TargetKind::Customer,
        id: cust_no.to_string(),
        unit: Some(s).filter(|s| !s.is_empty()),
    }))
}

fn whitelist_target(tx: &Connection, id: i64) -> Result<Option<ScopeTarget>> {
    let station = tx
        .query_row(
            "SELECT c.station FROM whitelist w LEFT JOIN customers c ON c.cust_no = w.cust_no
             WHERE w.id = ?1",
            [id],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?;
    Ok(station.map(|s| ScopeTarget {
        kind: TargetKind::WhitelistEntry,
        id: id.to_string(),
        unit: s.filter(|s| !s.is_empty()),
    }))
}

/// The operator `login` as they are now, with their unit (None: the audit centre); none when
/// they are not in the list yet.
fn operator_target(tx: &Connection, login: &str) -> Result<Option<ScopeTarget>> {
    let unit = tx
        .query_row(
            "SELECT unit FROM operators WHERE login = ?1",
            [login],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?;
    Ok(unit.map(|u| ScopeTarget {
        kind: TargetKind::Operator,
        id: login.to_string(),
        unit: u,
    }))
}

/// What each [`Action`] acts on. No `_` arm: a new action must say.
pub(super) fn action_reach(tx: &Connection, action: &Action) -> Result<Reach> {
    let records = match action {
        Action::Confirm { ids }
        | Action::Close { ids, .. }
        | Action::Reopen { ids }
        | Action::Note { ids, .. } => finding_targets(tx, ids)?,
        Action::WhitelistAdd { cust_no, .. } => customer_target(tx, cust_no)?.into_iter().collect(),
        Action::WhitelistExtend { id, .. }
        | Action::WhitelistRevoke { id, .. }
        | Action::WhitelistApprove { id } => whitelist_target(tx, *id)?.into_iter().collect(),
        // Its findings, and the unit it is sent to when one is typed (the default, the
        // findings' one station, is among the findings already). A typo is said as such.
        Action::TicketCreate { findings, unit, .. } => {
            let mut t = finding_targets(tx, findings)?;
            if let Some(u) = unit.as_deref().filter(|u| !u.trim().is_empty()) {
                require_known_unit(tx, Some(u))?;
                t.push(unit_target(u));
            }
            t
        }
        Action::TicketAck { number }
        | Action::TicketSubmit { number, .. }
        | Action::TicketApprove { number }
        | Action::TicketReturn { number, .. }
        | Action::TicketCancel { number, .. } => ticket_target(tx, number)?.into_iter().collect(),
        Action::ThresholdSet { .. } => return Ok(Reach::EveryUnit),
        // Binding someone to a unit is within the admin's unit when both the unit and the
        // operator's present one are; an audit-centre operator reaches every unit.
        Action::OperatorAdd { unit: None, .. } => return Ok(Reach::EveryUnit),
        Action::OperatorAdd {
            login,
            unit: Some(u),
            ..
        } => {
            require_known_unit(tx, Some(u))?;
            let mut t = vec![unit_target(u)];
            t.extend(operator_target(tx, login)?);
            t
        }
    };
    Ok(Reach::Records(records))
}
