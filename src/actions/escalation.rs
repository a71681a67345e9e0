//! Issuing and closing the 稽查工作督办单 (escalation notices): one run on the business date,
//! through `actions::run` like every change — permission, one transaction, one action-log
//! record. What it changes is `escalation::plan`'s answer, read inside that transaction; a run
//! that would change nothing writes nothing and logs nothing, so running it twice a day (cron,
//! then a scan) is the same as running it once.
//!
//! Who: an auditor or above of the audit centre (`jicha escalation run`, for cron). After a
//! scan the run follows on its own, as its own transaction right after the scan's, under the
//! scanning operator: the scan is dataset-wide, and the notices it leads to are the same
//! whoever triggers them; the log record names the trigger.

use super::{Command, Outcome};
use crate::actionlog;
use crate::context::{Ctx, Role};
use crate::db::Dataset;
use crate::error::{JichaError, Result};
use crate::escalation::{self, Closed, Plan, ToIssue};
use crate::i18n::errors::RecordKind;
use crate::i18n::escalation::EscalationWrong;
use crate::i18n::outcomes::Done;
use crate::thresholds::Thresholds;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;

/// What started a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// `jicha escalation run`: the audit centre's, refused to an operator bound to a unit.
    Command,
    /// Right after a scan (CLI or UI), under the scanning operator.
    Scan,
}

impl Trigger {
    fn as_str(self) -> &'static str {
        match self {
            Trigger::Command => "command",
            Trigger::Scan => "scan",
        }
    }
}

/// One run of the escalation notices on the business date.
#[derive(Debug, Clone, PartialEq)]
pub struct EscalationRun {
    pub trigger: Trigger,
}

/// Runs the notices on `ctx.today`: issues, supersedes and closes as [`escalation::plan`] says.
pub fn run(ds: &mut Dataset, ctx: &Ctx, trigger: Trigger) -> Result<Outcome> {
    let step = EscalationRun { trigger };
    let mut outcomes = super::run(ds, ctx, &[(&step, &[][..])])?;
    Ok(outcomes.remove(0))
}

impl Command for EscalationRun {
    fn name(&self) -> &'static str {
        "escalation.run"
    }

    fn required_role(&self) -> Role {
        Role::Auditor
    }

    fn check_input(&self) -> Result<()> {
        Ok(())
    }

    fn seen_records(&self) -> (&'static str, RecordKind) {
        ("tickets", RecordKind::Ticket)
    }

    /// A run reads the tickets as they are inside its transaction: no screen's versions.
    fn check_seen(&self, _tx: &Connection, _seen: &[(i64, i64)]) -> Result<()> {
        Ok(())
    }

    /// No unit's records as the scope check sees them: after a scan the run is the dataset's,
    /// whoever scanned; `escalation run` by a bound operator is refused in `apply`, by name.
    fn reach(&self, _tx: &Connection) -> Result<super::scope::Reach> {
        Ok(super::scope::Reach::Records(Vec::new()))
    }

    fn apply(&self, tx: &Connection, ctx: &Ctx) -> Result<Outcome> {
        if let (Trigger::Command, Some(unit)) = (self.trigger, &ctx.unit) {
            return Err(JichaError::invalid(EscalationWrong::NotAuditCentre {
                unit: unit.clone(),
                role: ctx.role.as_str().to_string(),
            }));
        }
        refuse_later_notice(tx, ctx)?;
        // A notice lists overdue tickets: a limit of 0 would list tickets due today.
        let limit = Thresholds::load(tx)?.int(escalation::THRESHOLD).max(1);
        let plan = escalation::plan(tx, ctx.today, limit)?;
        let done = apply_plan(tx, ctx, &plan, limit)?;
        let open = escalation::open_count(tx)? as usize;
        let changed = done.issued.len() + done.resolved.len() + done.superseded.len();
        if changed > 0 {
            actionlog::append(
                tx,
                ctx,
                self.name(),
                &done.target(),
                &json!({
                    "trigger": self.trigger.as_str(),
                    "escalate_after_days": limit,
                    "issued": done.issued_json,
                    "superseded": done.superseded,
                    "resolved": done.resolved,
                    "open": open,
                }),
            )?;
        }
        Ok(Outcome {
            message: Done::EscalationsRun {
                issued: done.issued,
                resolved: done.resolved,
                superseded: done.superseded,
                open,
            },
            changed,
        })
    }
}

/// A replay of an earlier day after a later one would supersede newer notices with older ones.
fn refuse_later_notice(tx: &Connection, ctx: &Ctx) -> Result<()> {
    let later: Option<(String, String)> = tx
        .query_row(
            "SELECT number, issued_on FROM escalations WHERE issued_on > ?1
             ORDER BY issued_on DESC, id DESC LIMIT 1",
            [ctx.today.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match later {
        Some((number, issued_on)) => Err(JichaError::invalid(EscalationWrong::LaterNotice {
            number,
            issued_on,
            today: ctx.today.to_string(),
        })),
        None => Ok(()),
    }
}

#[derive(Default)]
struct Applied {
    issued: Vec<String>,
    issued_json: Vec<serde_json::Value>,
    resolved: Vec<String>,
    superseded: Vec<String>,
}

impl Applied {
    /// The log record's target: every notice the run touched.
    fn target(&self) -> String {
        let mut all: Vec<&str> = self
            .issued
            .iter()
            .chain(&self.superseded)
            .chain(&self.resolved)
            .map(String::as_str)
            .collect();
        all.sort_unstable();
        all.dedup();
        format!("escalation:{}", all.join(","))
    }
}

fn apply_plan(tx: &Connection, ctx: &Ctx, plan: &Plan, limit: i64) -> Result<Applied> {
    let today = ctx.today.to_string();
    let mut done = Applied::default();
    for (id, number) in &plan.resolve {
        close(tx, *id, &today, Closed::Resolved, None)?;
        done.resolved.push(number.clone());
    }
    let prefix = format!("DB-{}-", ctx.today.format("%Y%m%d"));
    let mut seq: i64 = tx.query_row(
        "SELECT count(*) FROM escalations WHERE number LIKE ?1 || '%'",
        [&prefix],
        |r| r.get(0),
    )?;
    for issue in &plan.issue {
        seq += 1;
        let number = format!("{prefix}{seq:03}");
        let id = insert(tx, ctx, issue, &number, limit)?;
        if let Some((old, old_number, _)) = &issue.supersedes {
            close(tx, *old, &today, Closed::Superseded, Some(id))?;
            done.superseded.push(old_number.clone());
        }
        done.issued_json.push(json!({
            "number": number,
            "unit": issue.unit,
            "head": issue.head,
            "tickets": issue.tickets.iter().map(|t| json!({
                "ticket": t.number, "days_overdue": t.days_overdue
            })).collect::<Vec<_>>(),
        }));
        done.issued.push(number);
    }
    Ok(done)
}

fn insert(tx: &Connection, ctx: &Ctx, issue: &ToIssue, number: &str, limit: i64) -> Result<i64> {
    let round = issue.supersedes.as_ref().map_or(1, |(_, _, r)| r + 1);
    tx.execute(
        "INSERT INTO escalations(number, unit, head, issued_on, issued_by, limit_days, round)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            number,
            issue.unit,
            issue.head,
            ctx.today.to_string(),
            ctx.operator,
            limit,
            round
        ],
    )?;
    let id = tx.last_insert_rowid();
    let mut listed = tx.prepare_cached(
        "INSERT INTO escalation_tickets(escalation_id, ticket_id, days_overdue) VALUES (?1, ?2, ?3)",
    )?;
    for t in &issue.tickets {
        listed.execute(params![id, t.ticket_id, t.days_overdue])?;
    }
    Ok(id)
}

fn close(tx: &Connection, id: i64, on: &str, why: Closed, by: Option<i64>) -> Result<()> {
    tx.execute(
        "UPDATE escalations SET closed_on = ?2, closed_reason = ?3, superseded_by = ?4,
                version = version + 1
         WHERE id = ?1 AND closed_on IS NULL",
        params![id, on, why.as_str(), by],
    )?;
    Ok(())
}
