//! Every change an operator can make goes through one write path, whichever front end asks
//! for it: a [`Command`] is checked for the role it needs (named in a refusal), its input is
//! checked before the write lock is taken, and it is applied in one transaction that also
//! appends its action-log record(s) — all or nothing. [`run`] is that skeleton; the triage
//! actions ([`Action`]) and the quality actions ([`quality::QualityAction`]) both go through it.
//! Each area's rules live in its own file: findings, whitelist, tickets, admin, quality.
//! (Import and scan are longer jobs with their own modules; they follow the same three steps.)

mod admin;
pub mod campaigns;
pub mod deductions;
pub mod escalation;
mod findings;
mod inspection_record;
pub mod inspections;
pub mod qc;
pub mod quality;
pub mod sampling;
pub mod scope;
pub mod site_rules;
mod ticket_review;
mod tickets;
pub mod undo;
pub mod views;
mod whitelist;

use crate::context::{Ctx, Role};
use crate::db::Dataset;
use crate::error::{JichaError, Result};
use crate::i18n::errors::{Field, RecordKind};
use crate::i18n::outcomes::Done;
use crate::i18n::refusals::ActionWrong;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

pub(crate) use findings::set_finding_status;
pub use findings::NOTE_MAX_CHARS;
pub use tickets::{NewTicket, Step};

/// One change, as the write path sees it. A new kind of change implements this (or becomes a
/// variant of [`Action`]) and is performed through [`run`]; nothing else opens a transaction.
pub trait Command {
    /// The name logged in the action log and named when the role is missing.
    fn name(&self) -> &'static str;
    /// The least role that may perform it.
    fn required_role(&self) -> Role;
    /// Checks that need no data: done before the write lock is taken.
    fn check_input(&self) -> Result<()>;
    /// The table and the kind of the records `seen` versions refer to.
    fn seen_records(&self) -> (&'static str, RecordKind);
    /// Refuses the change when a record the screen showed, `(id, version)`, has changed (or
    /// gone) since. Inside the transaction, before `apply`.
    fn check_seen(&self, tx: &Connection, seen: &[(i64, i64)]) -> Result<()> {
        check_versions(tx, self.seen_records(), seen)
    }
    /// What the change acts on, each record with its unit ([`scope::Reach`]): an operator bound
    /// to a unit acts only inside its subtree ([`scope::check`], before `apply`, only for a
    /// bound operator). Inside the transaction.
    fn reach(&self, tx: &Connection) -> Result<scope::Reach>;
    /// The change itself, inside the transaction: refuses (nothing is written) or applies it and
    /// appends its action-log record(s) with [`crate::actionlog::append`].
    fn apply(&self, tx: &Connection, ctx: &Ctx) -> Result<Outcome>;
}

/// The skeleton every change goes through: permission, input, then one transaction in which each
/// step's `seen` versions are checked, its reach checked against the operator's unit, and the
/// step applied. Either every step lands or none.
pub fn run<C: Command>(
    ds: &mut Dataset,
    ctx: &Ctx,
    steps: &[(&C, &[(i64, i64)])],
) -> Result<Vec<Outcome>> {
    for (command, _) in steps {
        ctx.require(command.required_role(), command.name())?;
        command.check_input()?;
    }
    ds.write(|tx| {
        let mut tree = None;
        steps
            .iter()
            .map(|(command, seen)| {
                command.check_seen(tx, seen)?;
                scope::check(tx, ctx, *command, &mut tree)?;
                command.apply(tx, ctx)
            })
            .collect()
    })
}

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
        /// The unit they act for (`--unit`); None: the audit centre. Re-adding a login sets
        /// its role and unit as given.
        unit: Option<String>,
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
    /// The first of two reviews (`review_levels` = 2): submitted → reviewed (待复核).
    TicketReview {
        number: String,
    },
    /// Approved → archived (已归档), by the audit centre: read-only from then on.
    TicketArchive {
        number: String,
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
            Action::TicketReview { .. } => "ticket.review",
            Action::TicketArchive { .. } => "ticket.archive",
        }
    }

    pub fn required_role(&self) -> Role {
        match self {
            Action::WhitelistApprove { .. }
            | Action::TicketApprove { .. }
            | Action::TicketReturn { .. }
            | Action::TicketReview { .. }
            | Action::TicketArchive { .. } => Role::Reviewer,
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
    /// What happened; `text` is its one line for the operator.
    pub message: Done,
    /// How many records changed.
    pub changed: usize,
}

impl Outcome {
    /// The one line for the operator, in `lang`.
    pub fn text(&self, lang: crate::context::Lang) -> String {
        self.message.text(lang)
    }
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
    if actions.is_empty() {
        return Err(JichaError::invalid(ActionWrong::NothingToDo));
    }
    let steps: Vec<(&Action, &[(i64, i64)])> = actions
        .iter()
        .enumerate()
        .map(|(i, a)| (a, if i == 0 { seen } else { &[][..] }))
        .collect();
    let outcomes = run(ds, ctx, &steps)?;
    let changed = outcomes.iter().map(|o| o.changed).sum();
    let mut each: Vec<Done> = outcomes.into_iter().map(|o| o.message).collect();
    let message = if each.len() == 1 {
        each.remove(0)
    } else {
        Done::Several { each }
    };
    Ok(Outcome { message, changed })
}

/// Several actions, each with the versions its screen showed, in one transaction: every one
/// applied, or (at the first refusal) none. The UI whitelists several marked findings so.
pub fn perform_all_seen(
    ds: &mut Dataset,
    ctx: &Ctx,
    steps: &[(Action, Vec<(i64, i64)>)],
) -> Result<Vec<Outcome>> {
    let steps: Vec<(&Action, &[(i64, i64)])> =
        steps.iter().map(|(a, seen)| (a, seen.as_slice())).collect();
    run(ds, ctx, &steps)
}

impl Command for Action {
    fn name(&self) -> &'static str {
        Action::name(self)
    }

    fn required_role(&self) -> Role {
        Action::required_role(self)
    }

    fn check_input(&self) -> Result<()> {
        match self {
            Action::Confirm { .. }
            | Action::Close { .. }
            | Action::Reopen { .. }
            | Action::Note { .. } => findings::check_input(self),
            Action::WhitelistAdd { .. }
            | Action::WhitelistExtend { .. }
            | Action::WhitelistRevoke { .. }
            | Action::WhitelistApprove { .. } => whitelist::check_input(self),
            // Tickets check their fields against the ticket's state, inside the transaction.
            Action::TicketCreate { .. }
            | Action::TicketAck { .. }
            | Action::TicketSubmit { .. }
            | Action::TicketApprove { .. }
            | Action::TicketReturn { .. }
            | Action::TicketCancel { .. }
            | Action::TicketReview { .. }
            | Action::TicketArchive { .. } => Ok(()),
            Action::ThresholdSet { .. } | Action::OperatorAdd { .. } => admin::check_input(self),
        }
    }

    fn seen_records(&self) -> (&'static str, RecordKind) {
        match self {
            Action::WhitelistExtend { .. }
            | Action::WhitelistRevoke { .. }
            | Action::WhitelistApprove { .. } => ("whitelist", RecordKind::WhitelistEntry),
            Action::TicketAck { .. }
            | Action::TicketSubmit { .. }
            | Action::TicketApprove { .. }
            | Action::TicketReturn { .. }
            | Action::TicketCancel { .. }
            | Action::TicketReview { .. }
            | Action::TicketArchive { .. } => ("tickets", RecordKind::Ticket),
            _ => ("findings", RecordKind::Finding),
        }
    }

    fn reach(&self, tx: &Connection) -> Result<scope::Reach> {
        scope::action_reach(tx, self)
    }

    fn apply(&self, tx: &Connection, ctx: &Ctx) -> Result<Outcome> {
        match self {
            Action::Confirm { .. }
            | Action::Close { .. }
            | Action::Reopen { .. }
            | Action::Note { .. } => findings::apply(tx, ctx, self),
            Action::WhitelistAdd { .. }
            | Action::WhitelistExtend { .. }
            | Action::WhitelistRevoke { .. }
            | Action::WhitelistApprove { .. } => whitelist::apply(tx, ctx, self),
            Action::TicketCreate { .. }
            | Action::TicketAck { .. }
            | Action::TicketSubmit { .. }
            | Action::TicketApprove { .. }
            | Action::TicketReturn { .. }
            | Action::TicketCancel { .. }
            | Action::TicketReview { .. }
            | Action::TicketArchive { .. } => tickets::apply(tx, ctx, self),
            Action::ThresholdSet { .. } | Action::OperatorAdd { .. } => admin::apply(tx, ctx, self),
        }
    }
}

/// Each `(id, version)` of `seen` against the `version` column of `table`.
fn check_versions(
    conn: &Connection,
    (table, kind): (&str, RecordKind),
    seen: &[(i64, i64)],
) -> Result<()> {
    if seen.is_empty() {
        return Ok(());
    }
    let mut stmt = conn.prepare_cached(&format!("SELECT version FROM {table} WHERE id = ?1"))?;
    for (id, version) in seen {
        match stmt.query_row([id], |r| r.get::<_, i64>(0)).optional()? {
            None => {
                return Err(JichaError::invalid(ActionWrong::NoRecord {
                    kind,
                    id: id.to_string(),
                }))
            }
            Some(now) if now != *version => return Err(JichaError::stale(kind, id)),
            Some(_) => {}
        }
    }
    Ok(())
}

fn non_empty(s: &str, what: Field) -> Result<()> {
    if s.trim().is_empty() {
        Err(JichaError::invalid(ActionWrong::Empty { what }))
    } else {
        Ok(())
    }
}

/// `days` after `d`, refused when that falls outside the years jicha accepts.
fn later_date(d: NaiveDate, days: i64) -> Result<NaiveDate> {
    crate::dates::add_days(d, days).ok_or_else(|| {
        JichaError::invalid(ActionWrong::PastLastDate {
            days,
            from: d.to_string(),
            last_year: crate::dates::LAST_YEAR,
        })
    })
}
