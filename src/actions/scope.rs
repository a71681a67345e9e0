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
/// the command's reach against their unit's subtree. `tree` keeps what was learnt of the tree
/// across the steps of one transaction.
pub(super) fn check<C: Command + ?Sized>(
    tx: &Connection,
    ctx: &Ctx,
    command: &C,
    tree: &mut Option<Tree>,
) -> Result<()> {
    let Some(mine) = ctx.unit.as_deref() else {
        return Ok(());
    };
    let reach = command.reach(tx)?;
    let tree = match tree {
        Some(t) => t,
        None => tree.insert(Tree::open(tx)?),
    };
    refusal(ctx, command.name(), &reach, |unit| {
        tree.within(tx, unit, mine)
    })
}

/// Refuses when `ctx` is bound to a unit and any record of `reach` lies outside its subtree
/// (or the change reaches every unit): the refusal names the action, how many records are
/// outside, the first with its unit, and the operator's unit and role.
pub fn require_within(ctx: &Ctx, h: &Hierarchy, action: &str, reach: &Reach) -> Result<()> {
    let Some(mine) = ctx.unit.as_deref() else {
        return Ok(());
    };
    refusal(ctx, action, reach, |unit| Ok(h.within(unit, mine)))
}

fn refusal(
    ctx: &Ctx,
    action: &str,
    reach: &Reach,
    mut within: impl FnMut(&str) -> Result<bool>,
) -> Result<()> {
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
    let targets = match reach {
        Reach::EveryUnit => return refuse(None, 0, 0),
        Reach::Records(targets) => targets,
    };
    let mut outside: Vec<&ScopeTarget> = Vec::new();
    for t in targets {
        let inside = match t.unit.as_deref() {
            Some(u) => within(u)?,
            None => false,
        };
        if !inside {
            outside.push(t);
        }
    }
    match outside.first() {
        None => Ok(()),
        Some(first) => refuse(Some((*first).clone()), outside.len(), targets.len()),
    }
}

/// What the scope check needs of the unit tree, read as little as it can: the imported tree
/// (`units.csv`: a small table) whole; without one, only the stations a change reaches, each
/// up to its district as `Hierarchy::load` derives it (the district most of its customers
/// are in), so a bound operator's change never groups every customer under the write lock.
pub(super) enum Tree {
    Imported(Hierarchy),
    Derived(std::collections::HashMap<(String, String), bool>),
}

impl Tree {
    fn open(tx: &Connection) -> Result<Tree> {
        let imported: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM units)", [], |r| r.get(0))?;
        Ok(if imported {
            Tree::Imported(Hierarchy::load(tx)?)
        } else {
            Tree::Derived(Default::default())
        })
    }

    /// `Hierarchy::within(unit, mine)`, the same answer as the whole tree would give.
    fn within(&mut self, tx: &Connection, unit: &str, mine: &str) -> Result<bool> {
        if unit == mine {
            return Ok(true);
        }
        match self {
            Tree::Imported(h) => Ok(h.within(unit, mine)),
            Tree::Derived(seen) => {
                let key = (unit.to_string(), mine.to_string());
                if let Some(&known) = seen.get(&key) {
                    return Ok(known);
                }
                let answer = derived_within(tx, unit, mine)?;
                seen.insert(key, answer);
                Ok(answer)
            }
        }
    }
}

/// Up the derived tree from `unit`: a station's parent is its customers' main district (a
/// county root, unless that name is itself a station: a data oddity, followed like any
/// parent); a district has none.
fn derived_within(tx: &Connection, unit: &str, mine: &str) -> Result<bool> {
    let mut parent_of = tx.prepare_cached(
        "SELECT district FROM customers WHERE station = ?1
         GROUP BY district ORDER BY count(*) DESC, district LIMIT 1",
    )?;
    let mut at = unit.to_string();
    let mut path = vec![at.clone()];
    while let Some(p) = parent_of
        .query_row([&at], |r| r.get::<_, String>(0))
        .optional()?
    {
        if p == mine {
            return Ok(true);
        }
        if path.contains(&p) {
            break;
        }
        path.push(p.clone());
        at = p;
    }
    Ok(false)
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

/// Whitelist entries `ids` with their customers' stations (the undo of an entry added).
pub fn whitelist_targets(tx: &Connection, ids: &[i64]) -> Result<Vec<ScopeTarget>> {
    let mut out = Vec::new();
    for id in ids {
        out.extend(whitelist_target(tx, *id)?);
    }
    Ok(out)
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
        | Action::TicketCancel { number, .. }
        | Action::TicketReview { number }
        | Action::TicketArchive { number } => ticket_target(tx, number)?.into_iter().collect(),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The derived tree read station by station gives `Hierarchy::within`'s answer for every
    /// pair, also for a station whose customers lie in two districts and a district named like
    /// a station.
    #[test]
    fn the_derived_shortcut_agrees_with_the_whole_tree() {
        let dir = tempfile::tempdir().unwrap();
        let mut ds =
            crate::db::Dataset::create(&dir.path().join("t.jicha"), "a", "2026-01-01T00:00:00Z")
                .unwrap();
        let rows = [
            ("C1", "城关供电所", "西湖区"),
            ("C2", "城关供电所", "西湖区"),
            ("C3", "城关供电所", "拱墅区"),
            ("C4", "城北供电所", "拱墅区"),
            ("C5", "留下供电所", "城北供电所"),
        ];
        ds.write(|tx| {
            for (i, (cust, station, district)) in rows.iter().enumerate() {
                tx.execute(
                    "INSERT INTO customers VALUES (?1,'n',NULL,'c','1','resident','RES','single',
                     0.22,8,NULL,0,0,?2,?3,'2020-01-01','active',NULL,1,?4)",
                    rusqlite::params![cust, station, district, i as i64 + 2],
                )?;
            }
            Ok(())
        })
        .unwrap();
        let h = Hierarchy::load(&ds.conn).unwrap();
        let mut names: Vec<String> = h.units().map(|u| u.name.clone()).collect();
        names.push("营销部".into());
        let mut tree = Tree::open(&ds.conn).unwrap();
        assert!(matches!(tree, Tree::Derived(_)));
        let mut inside = 0;
        for u in &names {
            for mine in &names {
                let want = h.within(u, mine);
                assert_eq!(
                    tree.within(&ds.conn, u, mine).unwrap(),
                    want,
                    "{u} in {mine}"
                );
                inside += usize::from(want && u != mine);
            }
        }
        // 城关→西湖区, 城北→拱墅区, 留下→城北供电所→拱墅区: four pairs below another unit.
        assert_eq!(inside, 4);
    }
}
