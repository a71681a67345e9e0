//! Campaigns (专项稽查): create, close, spread from one finding (举一反三), and a ticket
//! dispatched for a named campaign. A `Command` of its own, through `actions::run` like every
//! change: an auditor or above (as dispatching a ticket), one transaction, one log record.
//!
//! Scope: a campaign over named units reaches those units; one over every unit (no units, or
//! 举一反三, which spreads to every unit) reaches every unit and is the audit centre's.

use super::scope::{unit_target, Reach};
use super::{Action, Command, Outcome};
use crate::actionlog;
use crate::campaigns::{self, Kind, Method, CATEGORIES};
use crate::context::{Ctx, Role};
use crate::error::{JichaError, Result};
use crate::i18n::campaigns::{CampaignDone, CampaignWrong};
use crate::i18n::errors::RecordKind;
use crate::i18n::outcomes::Done;
use crate::rules::directory::Directory;
use crate::units::Hierarchy;
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde_json::json;

/// How long a 举一反三 campaign tracks the other units by default: a quarter.
pub const SPREAD_DAYS: i64 = 90;

/// What a new campaign is.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCampaign {
    pub name: String,
    pub kind: Kind,
    pub method: Method,
    pub rules: Vec<String>,
    pub units: Vec<String>,
    pub categories: Vec<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// None: the operator creating it.
    pub owner: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CampaignAction {
    Create(NewCampaign),
    Close {
        number: String,
    },
    /// 举一反三: a special campaign of the finding's rule over every unit, from the finding's
    /// first_seen to `to` (default: today + 90 days, a quarter of tracking).
    Spread {
        finding: i64,
        name: Option<String>,
        to: Option<NaiveDate>,
    },
    /// A ticket dispatched for the campaign `campaign` (it must exist, be open and hold every
    /// finding): `create` is the ticket's `Action::TicketCreate`.
    Ticket {
        create: Action,
        campaign: String,
    },
}

/// Performs one campaign action.
pub fn perform(ds: &mut crate::db::Dataset, ctx: &Ctx, a: &CampaignAction) -> Result<Outcome> {
    let mut out = super::run(ds, ctx, &[(a, &[][..])])?;
    Ok(out.remove(0))
}

impl Command for CampaignAction {
    fn name(&self) -> &'static str {
        match self {
            CampaignAction::Create(_) => "campaign.create",
            CampaignAction::Close { .. } => "campaign.close",
            CampaignAction::Spread { .. } => "campaign.spread",
            CampaignAction::Ticket { create, .. } => create.name(),
        }
    }

    fn required_role(&self) -> Role {
        Role::Auditor
    }

    fn check_input(&self) -> Result<()> {
        match self {
            CampaignAction::Create(c) => {
                if c.name.trim().is_empty() {
                    return Err(JichaError::invalid(CampaignWrong::NeedName));
                }
                if c.to < c.from {
                    return Err(JichaError::invalid(CampaignWrong::BadPeriod {
                        from: c.from.to_string(),
                        to: c.to.to_string(),
                    }));
                }
                for cat in &c.categories {
                    if !CATEGORIES.contains(&cat.as_str()) {
                        return Err(JichaError::invalid(CampaignWrong::UnknownCategory {
                            given: cat.clone(),
                        }));
                    }
                }
                Ok(())
            }
            CampaignAction::Ticket { create, .. } => create.check_input(),
            _ => Ok(()),
        }
    }

    fn seen_records(&self) -> (&'static str, RecordKind) {
        ("findings", RecordKind::Finding)
    }

    fn check_seen(&self, _tx: &Connection, _seen: &[(i64, i64)]) -> Result<()> {
        Ok(())
    }

    fn reach(&self, tx: &Connection) -> Result<Reach> {
        match self {
            CampaignAction::Create(c) if c.units.is_empty() => Ok(Reach::EveryUnit),
            CampaignAction::Create(c) => {
                let h = Hierarchy::load(tx)?;
                let units = resolve_units(&h, &c.units)?;
                Ok(Reach::Records(
                    units.iter().map(|u| unit_target(u)).collect(),
                ))
            }
            CampaignAction::Close { number } => {
                let c = campaigns::get(tx, number)?;
                Ok(if c.units.is_empty() {
                    Reach::EveryUnit
                } else {
                    Reach::Records(c.units.iter().map(|u| unit_target(u)).collect())
                })
            }
            CampaignAction::Spread { .. } => Ok(Reach::EveryUnit),
            CampaignAction::Ticket { create, .. } => super::scope::action_reach(tx, create),
        }
    }

    fn apply(&self, tx: &Connection, ctx: &Ctx) -> Result<Outcome> {
        match self {
            CampaignAction::Create(c) => create(tx, ctx, c, None, self.name()),
            CampaignAction::Close { number } => close(tx, ctx, number),
            CampaignAction::Spread { finding, name, to } => {
                spread(tx, ctx, *finding, name.as_deref(), *to)
            }
            CampaignAction::Ticket { create, campaign } => {
                super::tickets::create_for_campaign(tx, ctx, create, campaign)
            }
        }
    }
}

/// Each typed unit as the tree names it (a typo is refused with the nearest names).
fn resolve_units(h: &Hierarchy, typed: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for t in typed {
        let name = h.resolve(t.trim())?.name.clone();
        if !out.contains(&name) {
            out.push(name);
        }
    }
    Ok(out)
}

fn check_rules(tx: &Connection, rules: &[String]) -> Result<Vec<String>> {
    let dir = Directory::load(tx)?;
    let mut out = Vec::new();
    for r in rules {
        let r = r.trim();
        let known = dir.get(r).is_some() || r.starts_with("EXT:");
        if !known {
            return Err(JichaError::invalid(CampaignWrong::UnknownRule {
                rule: r.to_string(),
            }));
        }
        if !out.iter().any(|o| o == r) {
            out.push(r.to_string());
        }
    }
    Ok(out)
}

fn check_owner(tx: &Connection, ctx: &Ctx, owner: Option<&str>) -> Result<String> {
    let Some(login) = owner.map(str::trim).filter(|o| !o.is_empty()) else {
        return Ok(ctx.operator.clone());
    };
    let known: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM operators WHERE login = ?1)",
        [login],
        |r| r.get(0),
    )?;
    if !known && login != ctx.operator {
        return Err(JichaError::invalid(CampaignWrong::UnknownOwner {
            login: login.to_string(),
        }));
    }
    Ok(login.to_string())
}

fn next_number(tx: &Connection, ctx: &Ctx) -> Result<String> {
    let prefix = format!("ZX-{}-", ctx.today.format("%Y%m%d"));
    let seq: i64 = tx.query_row(
        "SELECT count(*) FROM campaigns WHERE number LIKE ?1 || '%'",
        [&prefix],
        |r| r.get(0),
    )?;
    Ok(format!("{prefix}{:03}", seq + 1))
}

fn create(
    tx: &Connection,
    ctx: &Ctx,
    c: &NewCampaign,
    source: Option<i64>,
    action: &str,
) -> Result<Outcome> {
    let rules = check_rules(tx, &c.rules)?;
    let units = resolve_units(&Hierarchy::load(tx)?, &c.units)?;
    let mut categories = c.categories.clone();
    categories.dedup();
    let owner = check_owner(tx, ctx, c.owner.as_deref())?;
    let number = next_number(tx, ctx)?;
    let json = |v: &[String]| serde_json::to_string(v).expect("serializable");
    tx.execute(
        "INSERT INTO campaigns(number, name, kind, method, rules, units, categories, period_from,
                               period_to, owner, source_finding, created_by, created_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            number,
            c.name.trim(),
            c.kind.as_str(),
            c.method.as_str(),
            json(&rules),
            json(&units),
            json(&categories),
            c.from.to_string(),
            c.to.to_string(),
            owner,
            source,
            ctx.operator,
            ctx.today.to_string()
        ],
    )?;
    let stored = campaigns::get(tx, &number)?;
    let findings = campaigns::members(tx, &stored)?.len();
    actionlog::append(
        tx,
        ctx,
        action,
        &format!("campaign:{number}"),
        &json!({
            "name": stored.name, "kind": c.kind.as_str(), "method": c.method.as_str(),
            "rules": rules, "units": units, "categories": categories,
            "from": stored.period_from, "to": stored.period_to, "owner": owner,
            "source_finding": source, "findings": findings,
        }),
    )?;
    let done = match source {
        None => CampaignDone::Created {
            number,
            name: stored.name,
            findings,
        },
        Some(finding) => CampaignDone::Spread {
            number,
            rule: rules.first().cloned().unwrap_or_default(),
            finding,
            findings,
        },
    };
    Ok(Outcome {
        message: Done::Campaign { done },
        changed: 1,
    })
}

fn close(tx: &Connection, ctx: &Ctx, number: &str) -> Result<Outcome> {
    let c = campaigns::get(tx, number)?;
    if !c.is_open() {
        return Err(JichaError::invalid(CampaignWrong::Closed {
            number: c.number,
        }));
    }
    tx.execute(
        "UPDATE campaigns SET state = 'closed', closed_by = ?2, closed_on = ?3,
                version = version + 1 WHERE id = ?1",
        params![c.id, ctx.operator, ctx.today.to_string()],
    )?;
    let figures = campaigns::progress(tx, &c)?.total;
    actionlog::append(
        tx,
        ctx,
        "campaign.close",
        &format!("campaign:{}", c.number),
        &json!({ "progress": figures }),
    )?;
    Ok(Outcome {
        message: Done::Campaign {
            done: CampaignDone::Closed { number: c.number },
        },
        changed: 1,
    })
}

fn spread(
    tx: &Connection,
    ctx: &Ctx,
    finding: i64,
    name: Option<&str>,
    to: Option<NaiveDate>,
) -> Result<Outcome> {
    let f = crate::findings::get(tx, finding, ctx.today)?;
    let from = NaiveDate::parse_from_str(&f.first_seen, "%Y-%m-%d").unwrap_or(ctx.today);
    let to = to
        .or_else(|| crate::dates::add_days(ctx.today, SPREAD_DAYS))
        .unwrap_or(ctx.today)
        .max(from);
    let rule_name = Directory::load(tx)?
        .name(&f.rule, ctx.lang == crate::context::Lang::Zh)
        .map(str::to_string)
        .unwrap_or_else(|| f.rule.clone());
    let name = match name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => n.to_string(),
        None => match ctx.lang {
            crate::context::Lang::Zh => format!("举一反三：{rule_name}（{}）", f.rule),
            crate::context::Lang::En => format!("Spread: {rule_name} ({})", f.rule),
        },
    };
    let c = NewCampaign {
        name,
        kind: Kind::Special,
        method: Method::Online,
        rules: vec![f.rule.clone()],
        units: Vec::new(),
        categories: Vec::new(),
        from,
        to,
        owner: None,
    };
    create(tx, ctx, &c, Some(finding), "campaign.spread")
}
