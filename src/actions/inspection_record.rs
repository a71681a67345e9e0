//! Recording an inspection's result (the 现场处理单): checked against the planned inspection,
//! written in the transaction `actions::run` opened, the findings driven as
//! `inspections::drive` says, one action-log record naming every attachment's SHA-256.

use super::inspections::{drive, planned, Driven, Recording};
use crate::context::Ctx;
use crate::error::{JichaError, Result};
use crate::i18n::inspections::{InspDone, InspectionWrong};
use crate::inspections::InspState;
use rusqlite::{params, Connection};
use serde_json::json;

#[allow(clippy::too_many_lines)] // one recording's checks and writes, in the order its transaction needs them
pub(super) fn apply(tx: &Connection, ctx: &Ctx, r: &Recording) -> Result<InspDone> {
    let i = planned(tx, ctx, &r.number)?;
    if r.visit_on > ctx.today {
        return Err(JichaError::invalid(InspectionWrong::VisitInFuture {
            visit: r.visit_on.to_string(),
            today: ctx.today.to_string(),
        }));
    }
    if r.visit_on.to_string() < i.created_on {
        return Err(JichaError::invalid(InspectionWrong::VisitBeforeCreated {
            visit: r.visit_on.to_string(),
            created: i.created_on.clone(),
        }));
    }
    let ids = super::inspections::inspection_findings(tx, &i.number)?;
    if let Some(x) = r.results.iter().find(|x| !ids.contains(&x.finding)) {
        return Err(JichaError::invalid(InspectionWrong::NotInInspection {
            id: x.finding,
            number: i.number.clone(),
        }));
    }
    let missing: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|id| !r.results.iter().any(|x| x.finding == *id))
        .collect();
    if !missing.is_empty() {
        return Err(JichaError::invalid(InspectionWrong::NoOutcome {
            ids: missing,
            number: i.number.clone(),
        }));
    }
    let today = ctx.today.to_string();
    tx.execute(
        "UPDATE inspections SET state = ?1, visit_on = ?2, account = ?3, recorded_by = ?4,
                recorded_on = ?5, version = version + 1 WHERE id = ?6",
        params![
            InspState::Recorded,
            r.visit_on.to_string(),
            r.account.trim(),
            ctx.operator,
            today,
            i.id
        ],
    )?;
    let mut set = tx.prepare_cached(
        "UPDATE inspection_findings SET outcome = ?3, determination = ?4, back_kwh = ?5,
                back_yuan = ?6, penalty_yuan = ?7
         WHERE inspection_id = ?1 AND finding_id = ?2",
    )?;
    for x in &r.results {
        set.execute(params![
            i.id,
            x.finding,
            x.outcome,
            x.determination,
            x.back_kwh,
            x.back_yuan,
            x.penalty_yuan
        ])?;
    }
    let mut add = tx.prepare_cached(
        "INSERT INTO inspection_attachments(inspection_id, sha256, file_name, bytes, added_by, added_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for a in &r.attachments {
        add.execute(params![
            i.id,
            a.sha256,
            a.file_name,
            a.bytes.len() as i64,
            ctx.operator,
            today
        ])?;
    }
    // The recording's record first, then each finding's move (its own record) follows it.
    crate::actionlog::append(
        tx,
        ctx,
        "inspection.record",
        &format!("inspection:{}", i.number),
        &json!({
            "visit_on": r.visit_on.to_string(),
            "account": r.account.trim(),
            "results": r.results.iter().map(|x| json!({
                "finding": x.finding, "outcome": x.outcome.as_str(),
                "determination": x.determination.as_str(), "back_kwh": x.back_kwh,
                "back_yuan": x.back_yuan, "penalty_yuan": x.penalty_yuan,
            })).collect::<Vec<_>>(),
            "attachments": r.attachments.iter().map(|a| json!({
                "sha256": a.sha256, "file_name": a.file_name, "bytes": a.bytes.len(),
            })).collect::<Vec<_>>(),
            "ticket": i.ticket,
        }),
    )?;
    let (mut closed, mut confirmed, mut kept) = (0, 0, 0);
    for x in &r.results {
        match drive(tx, ctx, &i.number, x, &r.account)? {
            Driven::Closed => closed += 1,
            Driven::Confirmed => confirmed += 1,
            Driven::Kept => kept += 1,
        }
    }
    Ok(InspDone::Recorded {
        number: i.number,
        closed,
        confirmed,
        kept,
        attachments: r.attachments.len(),
    })
}
