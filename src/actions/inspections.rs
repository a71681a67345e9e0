//! On-site inspections' write side (现场稽查): plan one from findings (or for a ticket's
//! findings), record its result from the 现场处理单, cancel it; and a ticket created so that it
//! needs a recorded inspection before it is submitted. A `Command` of its own, performed
//! through `actions::run` like every change: permission, input, one transaction, scope, the
//! log. The read side is `crate::inspections`.
//!
//! Recording drives the findings through `states.rs` (`Mover::Inspection`): 不属实 closes a
//! finding as `false_positive` with the account as its note (a finding on a ticket too: the
//! ticket's approval then leaves it closed so); 属实 and 部分属实 confirm a new finding, and
//! leave a confirmed or ticketed one where it is (on the ticket that asked for the visit).

use super::{scope, set_finding_status, Action, Command, Outcome};
use crate::context::{Ctx, Role};
use crate::db::Dataset;
use crate::error::{JichaError, Result};
use crate::i18n::errors::RecordKind;
use crate::i18n::inspections::{InspDone, InspectionWrong};
use crate::i18n::outcomes::Done;
use crate::inspections::{self, store, Determination, InspState, Method, Verdict};
use crate::states::{FindingStatus, Mover, Resolution};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;
use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;

/// An inspection to plan.
#[derive(Debug, Clone, PartialEq)]
pub struct NewInspection {
    /// The findings to check; empty with `ticket`: every finding of that ticket.
    pub findings: Vec<i64>,
    pub method: Method,
    pub planned_on: NaiveDate,
    pub inspectors: Vec<String>,
    /// A campaign id, stored as given.
    pub campaign: Option<String>,
    /// The ticket that asks for the visit (`JC-…`).
    pub ticket: Option<String>,
}

/// What the visit found of one finding.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingResult {
    pub finding: i64,
    pub outcome: Verdict,
    pub determination: Determination,
    /// 追补电量 kWh.
    pub back_kwh: Option<f64>,
    /// 追补电费 元.
    pub back_yuan: Option<f64>,
    /// 违约使用电费 元.
    pub penalty_yuan: Option<f64>,
}

/// The 现场处理单 of one inspection.
#[derive(Debug, Clone, PartialEq)]
pub struct Recording {
    pub number: String,
    pub visit_on: NaiveDate,
    pub results: Vec<FindingResult>,
    pub account: String,
    /// Read and hashed before the transaction ([`store::prepare`]).
    pub attachments: Vec<store::Prepared>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum InspectionCommand {
    Create(NewInspection),
    Record(Recording),
    Cancel {
        number: String,
        reason: String,
    },
    /// `ticket create --require-inspection`: the ticket's creation (an `Action::TicketCreate`)
    /// and the requirement, in one transaction.
    TicketRequiring(Action),
    /// `ticket create --campaign C --require-inspection`: the ticket dispatched for campaign
    /// `C` (as `CampaignAction::Ticket` does) and the requirement, in one transaction.
    TicketRequiringFor {
        create: Action,
        campaign: String,
    },
}

/// Plans an inspection of `findings` (or of ticket `ticket`'s findings when `findings` is
/// empty). The public entry other areas (campaigns, sampling) call.
#[allow(clippy::too_many_arguments)]
pub fn create_for(
    ds: &mut Dataset,
    ctx: &Ctx,
    findings: &[i64],
    method: Method,
    planned_on: NaiveDate,
    inspectors: Vec<String>,
    campaign: Option<String>,
    ticket: Option<String>,
) -> Result<Outcome> {
    let cmd = InspectionCommand::Create(NewInspection {
        findings: findings.to_vec(),
        method,
        planned_on,
        inspectors,
        campaign,
        ticket,
    });
    perform(ds, ctx, &cmd, &[])
}

/// Records the result of inspection `number`: the attachment files are read and hashed first
/// (a missing one refuses everything), put into the store, then the recording is one
/// transaction; a refusal takes the files it stored back out. `seen`: the inspection's
/// `(id, version)` as the screen showed it.
#[allow(clippy::too_many_arguments)]
pub fn record(
    ds: &mut Dataset,
    ctx: &Ctx,
    number: &str,
    visit_on: NaiveDate,
    results: Vec<FindingResult>,
    account: &str,
    attachments: &[PathBuf],
    seen: &[(i64, i64)],
) -> Result<Outcome> {
    let prepared = attachments
        .iter()
        .map(|p| store::prepare(p))
        .collect::<Result<Vec<_>>>()?;
    let cmd = InspectionCommand::Record(Recording {
        number: number.trim().to_string(),
        visit_on,
        results,
        account: account.to_string(),
        attachments: prepared.clone(),
    });
    ctx.require(cmd.required_role(), cmd.name())?;
    cmd.check_input()?;
    let fresh = store::put(&ds.path, &prepared)?;
    let done = perform(ds, ctx, &cmd, seen);
    if done.is_err() {
        store::take_back(&fresh);
    }
    done
}

pub fn cancel(
    ds: &mut Dataset,
    ctx: &Ctx,
    number: &str,
    reason: &str,
    seen: &[(i64, i64)],
) -> Result<Outcome> {
    let cmd = InspectionCommand::Cancel {
        number: number.trim().to_string(),
        reason: reason.to_string(),
    };
    perform(ds, ctx, &cmd, seen)
}

/// Creates the ticket `create` (an `Action::TicketCreate`) requiring a recorded inspection
/// before it is submitted.
pub fn create_ticket_requiring(ds: &mut Dataset, ctx: &Ctx, create: Action) -> Result<Outcome> {
    perform(ds, ctx, &InspectionCommand::TicketRequiring(create), &[])
}

/// Creates the ticket `create` for campaign `campaign`, requiring a recorded inspection before
/// it is submitted: both in one transaction.
pub fn create_campaign_ticket_requiring(
    ds: &mut Dataset,
    ctx: &Ctx,
    create: Action,
    campaign: String,
) -> Result<Outcome> {
    let cmd = InspectionCommand::TicketRequiringFor { create, campaign };
    perform(ds, ctx, &cmd, &[])
}

pub fn perform(
    ds: &mut Dataset,
    ctx: &Ctx,
    cmd: &InspectionCommand,
    seen: &[(i64, i64)],
) -> Result<Outcome> {
    let mut outcomes = super::run(ds, ctx, &[(cmd, seen)])?;
    Ok(outcomes.remove(0))
}

/// Whether finding `id` is still `ticketed` (a ticket's approval or cancellation moves only
/// those: one closed as 不属实 by an inspection stays closed).
pub fn still_ticketed(tx: &Connection, id: i64) -> Result<bool> {
    let status: Option<FindingStatus> = tx
        .query_row("SELECT status FROM findings WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(status == Some(FindingStatus::Ticketed))
}

fn refuse<T>(w: InspectionWrong) -> Result<T> {
    Err(JichaError::invalid(w))
}

fn check_amount(flag: &str, v: Option<f64>) -> Result<()> {
    match v {
        Some(x) if !x.is_finite() || x < 0.0 => refuse(InspectionWrong::NegativeAmount {
            flag: flag.to_string(),
            value: x.to_string(),
        }),
        _ => Ok(()),
    }
}

impl Command for InspectionCommand {
    fn name(&self) -> &'static str {
        match self {
            InspectionCommand::Create(_) => "inspection.create",
            InspectionCommand::Record(_) => "inspection.record",
            InspectionCommand::Cancel { .. } => "inspection.cancel",
            InspectionCommand::TicketRequiring(_) => "ticket.create",
            InspectionCommand::TicketRequiringFor { .. } => "ticket.create",
        }
    }

    fn required_role(&self) -> Role {
        Role::Auditor
    }

    fn check_input(&self) -> Result<()> {
        match self {
            InspectionCommand::Create(n) => {
                if n.inspectors.iter().all(|i| i.trim().is_empty()) {
                    return refuse(InspectionWrong::NeedInspectors);
                }
                if n.findings.is_empty() && n.ticket.is_none() {
                    return refuse(InspectionWrong::NeedFindings);
                }
                let mut once = HashSet::new();
                match n.findings.iter().find(|id| !once.insert(**id)) {
                    Some(id) => refuse(InspectionWrong::DuplicateFinding { id: *id }),
                    None => Ok(()),
                }
            }
            InspectionCommand::Record(r) => {
                if r.account.trim().is_empty() {
                    return refuse(InspectionWrong::NeedAccount);
                }
                let mut once = HashSet::new();
                for x in &r.results {
                    if !once.insert(x.finding) {
                        return refuse(InspectionWrong::DuplicateFinding { id: x.finding });
                    }
                    check_amount("--back-kwh", x.back_kwh)?;
                    check_amount("--back-yuan", x.back_yuan)?;
                    check_amount("--penalty-yuan", x.penalty_yuan)?;
                }
                Ok(())
            }
            InspectionCommand::Cancel { reason, .. } if reason.trim().is_empty() => {
                refuse(InspectionWrong::NeedReason)
            }
            InspectionCommand::Cancel { .. } => Ok(()),
            InspectionCommand::TicketRequiring(a) => a.check_input_of_ticket(),
            InspectionCommand::TicketRequiringFor { create, .. } => create.check_input_of_ticket(),
        }
    }

    fn seen_records(&self) -> (&'static str, RecordKind) {
        match self {
            InspectionCommand::Create(_) => ("findings", RecordKind::Finding),
            InspectionCommand::TicketRequiring(_) => ("findings", RecordKind::Finding),
            InspectionCommand::TicketRequiringFor { .. } => ("findings", RecordKind::Finding),
            _ => ("inspections", RecordKind::Inspection),
        }
    }

    fn reach(&self, tx: &Connection) -> Result<scope::Reach> {
        let ids = match self {
            InspectionCommand::TicketRequiring(a) => return scope::action_reach(tx, a),
            InspectionCommand::TicketRequiringFor { create, .. } => {
                return scope::action_reach(tx, create)
            }
            InspectionCommand::Create(n) if n.findings.is_empty() => {
                let mut targets = Vec::new();
                if let Some(t) = &n.ticket {
                    targets.extend(scope::ticket_target(tx, t)?);
                    if let Some(id) = ticket_id(tx, t)? {
                        let ids = crate::tickets::finding_ids(tx, id)?;
                        targets.extend(scope::finding_targets(tx, &ids)?);
                    }
                }
                return Ok(scope::Reach::Records(targets));
            }
            InspectionCommand::Create(n) => n.findings.clone(),
            InspectionCommand::Record(Recording { number, .. })
            | InspectionCommand::Cancel { number, .. } => inspection_findings(tx, number)?,
        };
        Ok(scope::Reach::Records(scope::finding_targets(tx, &ids)?))
    }

    fn apply(&self, tx: &Connection, ctx: &Ctx) -> Result<Outcome> {
        let done = match self {
            InspectionCommand::Create(n) => create(tx, ctx, n)?,
            InspectionCommand::Record(r) => super::inspection_record::apply(tx, ctx, r)?,
            InspectionCommand::Cancel { number, reason } => cancel_in(tx, ctx, number, reason)?,
            InspectionCommand::TicketRequiring(a) => return require(tx, ctx, a, None),
            InspectionCommand::TicketRequiringFor { create, campaign } => {
                return require(tx, ctx, create, Some(campaign))
            }
        };
        Ok(Outcome {
            message: Done::Inspection { done },
            changed: 1,
        })
    }
}

impl Action {
    /// The input checks of a ticket's creation (none need data: they are made inside the
    /// transaction).
    fn check_input_of_ticket(&self) -> Result<()> {
        <Action as Command>::check_input(self)
    }
}

fn ticket_id(tx: &Connection, number: &str) -> Result<Option<i64>> {
    Ok(tx
        .query_row("SELECT id FROM tickets WHERE number = ?1", [number], |r| {
            r.get(0)
        })
        .optional()?)
}

/// The finding ids of inspection `number` (none when there is no such inspection).
pub(super) fn inspection_findings(tx: &Connection, number: &str) -> Result<Vec<i64>> {
    let mut stmt = tx.prepare_cached(
        "SELECT x.finding_id FROM inspection_findings x JOIN inspections i ON i.id = x.inspection_id
         WHERE i.number = ?1 ORDER BY x.finding_id",
    )?;
    let ids = stmt
        .query_map([number], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// The findings to check and the unit: the ticket's (its findings, its unit) or the findings'
/// one station.
fn findings_and_unit(tx: &Connection, ctx: &Ctx, n: &NewInspection) -> Result<(Vec<i64>, String)> {
    let mut ids = n.findings.clone();
    let mut ticket_unit = None;
    if let Some(number) = &n.ticket {
        let t = crate::tickets::get(tx, number, ctx.today)?;
        if !t.state.is_open() {
            return refuse(InspectionWrong::TicketNotOpen {
                number: number.clone(),
                state: t.state.as_str().to_string(),
            });
        }
        let on_ticket = crate::tickets::finding_ids(tx, t.id)?;
        if ids.is_empty() {
            ids = on_ticket;
        } else if let Some(id) = ids.iter().find(|id| !on_ticket.contains(id)) {
            return refuse(InspectionWrong::FindingNotOnTicket {
                id: *id,
                ticket: number.clone(),
            });
        }
        ticket_unit = Some(t.unit);
    }
    if ids.is_empty() {
        return refuse(InspectionWrong::NeedFindings);
    }
    let mut not_open = (Vec::new(), Vec::new());
    let mut suppressed = Vec::new();
    let mut stations = BTreeSet::new();
    for &id in &ids {
        if crate::findings::version_of(tx, id).is_none() {
            return refuse(InspectionWrong::NoFinding { id });
        }
        let f = crate::findings::get(tx, id, ctx.today)?;
        if !f.status.is_open() {
            not_open.0.push(id);
            not_open.1.push(f.status.as_str().to_string());
        } else if f.suppressed {
            suppressed.push(id);
        }
        stations.insert(f.station);
    }
    if !not_open.0.is_empty() {
        return refuse(InspectionWrong::NotInspectable {
            ids: not_open.0,
            statuses: not_open.1,
        });
    }
    if !suppressed.is_empty() {
        return refuse(InspectionWrong::Whitelisted { ids: suppressed });
    }
    for &id in &ids {
        if let Some(number) = inspections::planned_of(tx, id)? {
            return refuse(InspectionWrong::AlreadyPlanned { id, number });
        }
    }
    let unit = match ticket_unit {
        Some(u) => u,
        None if stations.len() == 1 => stations.into_iter().next().expect("one station"),
        None => {
            return refuse(InspectionWrong::ManyStations {
                stations: stations.into_iter().collect(),
            })
        }
    };
    if unit.trim().is_empty() {
        return refuse(InspectionWrong::NoStation);
    }
    Ok((ids, unit))
}

fn create(tx: &Connection, ctx: &Ctx, n: &NewInspection) -> Result<InspDone> {
    Ok(create_with(tx, ctx, n, None)?.1)
}

/// Plans inspection `n` inside a sample's draw (`sample --inspect`): its log record names
/// the sample. Gives the inspection's number and what was done.
pub(super) fn create_from_sample(
    tx: &Connection,
    ctx: &Ctx,
    n: &NewInspection,
    sample: &str,
) -> Result<(String, InspDone)> {
    create_with(tx, ctx, n, Some(sample))
}

fn create_with(
    tx: &Connection,
    ctx: &Ctx,
    n: &NewInspection,
    sample: Option<&str>,
) -> Result<(String, InspDone)> {
    if n.planned_on < ctx.today {
        return refuse(InspectionWrong::PlannedInPast {
            planned: n.planned_on.to_string(),
            today: ctx.today.to_string(),
        });
    }
    let (ids, unit) = findings_and_unit(tx, ctx, n)?;
    let inspectors: Vec<String> = n
        .inspectors
        .iter()
        .map(|i| i.trim().to_string())
        .filter(|i| !i.is_empty())
        .collect();
    let campaign = n.campaign.as_ref().map(|c| c.trim().to_string());
    let prefix = format!("XC-{}-", ctx.today.format("%Y%m%d"));
    let seq: i64 = tx.query_row(
        "SELECT count(*) FROM inspections WHERE number LIKE ?1 || '%'",
        [&prefix],
        |r| r.get(0),
    )?;
    let number = format!("{prefix}{:03}", seq + 1);
    tx.execute(
        "INSERT INTO inspections(number, state, method, inspectors, planned_on, unit, campaign,
                                 ticket, created_by, created_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            number,
            InspState::Planned,
            n.method,
            serde_json::to_string(&inspectors).expect("serializable"),
            n.planned_on.to_string(),
            unit,
            campaign,
            n.ticket,
            ctx.operator,
            ctx.today.to_string()
        ],
    )?;
    let id = tx.last_insert_rowid();
    let mut add = tx.prepare_cached(
        "INSERT INTO inspection_findings(inspection_id, finding_id) VALUES (?1, ?2)",
    )?;
    for f in &ids {
        add.execute(params![id, f])?;
    }
    let mut detail = json!({
        "findings": ids, "method": n.method.as_str(), "inspectors": inspectors,
        "planned_on": n.planned_on.to_string(), "unit": unit,
        "campaign": campaign, "ticket": n.ticket,
    });
    if let Some(sample) = sample {
        detail["sample"] = json!(sample);
    }
    crate::actionlog::append(
        tx,
        ctx,
        "inspection.create",
        &format!("inspection:{number}"),
        &detail,
    )?;
    let done = InspDone::Planned {
        number: number.clone(),
        unit,
        planned_on: n.planned_on.to_string(),
        findings: ids.len(),
    };
    Ok((number, done))
}

/// The planned inspection `number`, refused by name when there is none or it is done.
pub(super) fn planned(tx: &Connection, ctx: &Ctx, number: &str) -> Result<inspections::Inspection> {
    let i = inspections::get(tx, number, ctx.today)?;
    if i.state != InspState::Planned {
        return refuse(InspectionWrong::NotPlanned {
            number: i.number,
            state: i.state.as_str().to_string(),
        });
    }
    Ok(i)
}

fn cancel_in(tx: &Connection, ctx: &Ctx, number: &str, reason: &str) -> Result<InspDone> {
    let i = planned(tx, ctx, number)?;
    tx.execute(
        "UPDATE inspections SET state = ?1, cancelled_on = ?2, cancel_reason = ?3,
                version = version + 1 WHERE id = ?4",
        params![
            InspState::Cancelled,
            ctx.today.to_string(),
            reason.trim(),
            i.id
        ],
    )?;
    crate::actionlog::append(
        tx,
        ctx,
        "inspection.cancel",
        &format!("inspection:{}", i.number),
        &json!({ "reason": reason.trim(), "findings": i.findings }),
    )?;
    Ok(InspDone::Cancelled { number: i.number })
}

/// The ticket's creation (for `campaign` when one is named), then the requirement.
fn require(tx: &Connection, ctx: &Ctx, create: &Action, campaign: Option<&str>) -> Result<Outcome> {
    if !matches!(create, Action::TicketCreate { .. }) {
        unreachable!("{} is not a ticket's creation", create.name());
    }
    let created = match campaign {
        Some(c) => super::tickets::create_for_campaign(tx, ctx, create, c)?,
        None => <Action as Command>::apply(create, tx, ctx)?,
    };
    let Done::TicketDispatched { number, .. } = &created.message else {
        unreachable!("a ticket's creation says which ticket");
    };
    tx.execute(
        "UPDATE tickets SET requires_inspection = 1 WHERE number = ?1",
        [number],
    )?;
    crate::actionlog::append(
        tx,
        ctx,
        "ticket.require_inspection",
        &format!("ticket:{number}"),
        &json!({ "requires_inspection": true }),
    )?;
    let required = Done::Inspection {
        done: InspDone::Required {
            number: number.clone(),
        },
    };
    Ok(Outcome {
        message: Done::Several {
            each: vec![created.message, required],
        },
        changed: created.changed,
    })
}

/// A finding's move by a recorded inspection, through `states.rs`.
pub(super) fn drive(
    tx: &Connection,
    ctx: &Ctx,
    number: &str,
    r: &FindingResult,
    account: &str,
) -> Result<Driven> {
    let status: FindingStatus = tx.query_row(
        "SELECT status FROM findings WHERE id = ?1",
        [r.finding],
        |x| x.get(0),
    )?;
    let detail = json!({ "inspection": number, "outcome": r.outcome.as_str() });
    match r.outcome {
        Verdict::False if status.can_go_to(FindingStatus::Closed, Mover::Inspection) => {
            tx.execute(
                "INSERT INTO finding_notes(finding_id, author, at_utc, business_date, text)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    r.finding,
                    ctx.operator,
                    ctx.now_utc(),
                    ctx.today.to_string(),
                    format!("[{number}] {}", account.trim())
                ],
            )?;
            let mut d = detail;
            d["resolution"] = json!(Resolution::FalsePositive);
            set_finding_status(
                tx,
                ctx,
                r.finding,
                FindingStatus::Closed,
                Some(Resolution::FalsePositive),
                "finding.close",
                d,
            )?;
            Ok(Driven::Closed)
        }
        Verdict::True | Verdict::Partly
            if status.can_go_to(FindingStatus::Confirmed, Mover::Inspection) =>
        {
            set_finding_status(
                tx,
                ctx,
                r.finding,
                FindingStatus::Confirmed,
                None,
                "finding.confirm",
                detail,
            )?;
            Ok(Driven::Confirmed)
        }
        _ => Ok(Driven::Kept),
    }
}

/// What a recording did to one finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Driven {
    Closed,
    Confirmed,
    Kept,
}
