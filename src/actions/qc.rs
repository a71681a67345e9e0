//! The changes of the QC of audit work (稽查质检): drawing a month's sample and scoring a
//! sampled ticket's checklist item. A `Command` of its own, through `super::run`.
//!
//! Roles and reach: both are a reviewer's. A sample covers every unit (the audit centre's to
//! draw). A score is a judgment of another unit's work — refused for a reviewer bound to the
//! ticket's unit or a unit below it — so it reaches no record of the scorer's own scope (the
//! scope check would otherwise refuse every reviewer of another unit).

use super::scope::Reach;
use super::{Command, Outcome};
use crate::actionlog;
use crate::context::{Ctx, Role};
use crate::db::Dataset;
use crate::error::{JichaError, Result};
use crate::i18n::errors::RecordKind;
use crate::i18n::outcomes::Done;
use crate::i18n::qc::{QcDone, QcWrong};
use crate::qc::{sample, Month};
use crate::units::Hierarchy;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;

#[derive(Debug, Clone, PartialEq)]
pub enum QcAction {
    /// Draw the month's sample for every unit with approved tickets not yet sampled; `seed`
    /// defaults to the month's number (YYYYMM).
    Sample { month: String, seed: Option<u64> },
    /// One checklist item (1–6) of a sampled ticket: pass or fail, with a note (needed to fail).
    Score {
        ticket: String,
        item: i64,
        passed: bool,
        note: String,
    },
}

pub fn perform(ds: &mut Dataset, ctx: &Ctx, action: &QcAction) -> Result<Outcome> {
    let mut out = super::run(ds, ctx, &[(action, &[][..])])?;
    Ok(out.remove(0))
}

impl Command for QcAction {
    fn name(&self) -> &'static str {
        match self {
            QcAction::Sample { .. } => "qc.sample",
            QcAction::Score { .. } => "qc.score",
        }
    }

    fn required_role(&self) -> Role {
        Role::Reviewer
    }

    fn check_input(&self) -> Result<()> {
        match self {
            QcAction::Sample { month, .. } => Month::parse(month).map(|_| ()),
            QcAction::Score {
                item, passed, note, ..
            } => {
                if !(1..=6).contains(item) {
                    return Err(JichaError::invalid(QcWrong::BadItem { given: *item }));
                }
                if !passed && note.trim().is_empty() {
                    return Err(JichaError::invalid(QcWrong::NeedText { flag: "--note" }));
                }
                Ok(())
            }
        }
    }

    fn seen_records(&self) -> (&'static str, RecordKind) {
        ("tickets", RecordKind::Ticket)
    }

    fn reach(&self, _tx: &Connection) -> Result<Reach> {
        match self {
            QcAction::Sample { .. } => Ok(Reach::EveryUnit),
            QcAction::Score { .. } => Ok(Reach::Records(Vec::new())),
        }
    }

    fn apply(&self, tx: &Connection, ctx: &Ctx) -> Result<Outcome> {
        let said = match self {
            QcAction::Sample { month, seed } => draw(tx, ctx, month, *seed)?,
            QcAction::Score {
                ticket,
                item,
                passed,
                note,
            } => score(tx, ctx, ticket, *item, *passed, note)?,
        };
        Ok(Outcome {
            message: Done::Qc { said },
            changed: 1,
        })
    }
}

fn draw(tx: &Connection, ctx: &Ctx, month: &str, seed: Option<u64>) -> Result<QcDone> {
    let m = Month::parse(month)?;
    let seed = seed.unwrap_or_else(|| sample::default_seed(&m));
    let ratio = crate::thresholds::Thresholds::load(tx)?.num("qc_sample_ratio");
    let mut done: Vec<serde_json::Value> = Vec::new();
    let (mut tickets, mut population) = (0, 0);
    for (unit, pop) in sample::population(tx, &m)? {
        let drawn: Option<i64> = tx
            .query_row(
                "SELECT id FROM qc_samples WHERE month = ?1 AND unit = ?2",
                params![m.label, unit],
                |r| r.get(0),
            )
            .optional()?;
        if drawn.is_some() {
            continue;
        }
        let chosen = sample::choose(seed, &m.label, &unit, &pop, ratio);
        let digest = sample::digest(&pop);
        tx.execute(
            "INSERT INTO qc_samples(month, unit, seed, ratio, population, digest, drawn_by, drawn_at, drawn_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                m.label,
                unit,
                seed as i64,
                ratio,
                pop.len() as i64,
                digest,
                ctx.operator,
                ctx.now_utc(),
                ctx.today.to_string()
            ],
        )?;
        let id = tx.last_insert_rowid();
        for (tid, _) in &chosen {
            tx.execute(
                "INSERT INTO qc_sample_tickets(sample_id, ticket_id) VALUES (?1, ?2)",
                params![id, tid],
            )?;
        }
        tickets += chosen.len();
        population += pop.len();
        done.push(json!({
            "unit": unit, "population": pop.len(), "digest": digest,
            "tickets": chosen.iter().map(|c| c.1.clone()).collect::<Vec<_>>(),
        }));
    }
    if done.is_empty() {
        return Err(JichaError::invalid(QcWrong::NothingToSample {
            month: m.label,
        }));
    }
    let units = done.len();
    actionlog::append(
        tx,
        ctx,
        "qc.sample",
        &format!("qc_month:{}", m.label),
        &json!({ "seed": seed, "ratio": ratio, "units": done }),
    )?;
    Ok(QcDone::Sampled {
        month: m.label,
        seed,
        units,
        tickets,
        population,
    })
}

fn score(
    tx: &Connection,
    ctx: &Ctx,
    number: &str,
    item: i64,
    passed: bool,
    note: &str,
) -> Result<QcDone> {
    let t = crate::tickets::get(tx, number, ctx.today)?;
    let sampled: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM qc_sample_tickets WHERE ticket_id = ?1)",
        [t.id],
        |r| r.get(0),
    )?;
    if !sampled {
        return Err(JichaError::invalid(QcWrong::NotSampled {
            ticket: number.to_string(),
        }));
    }
    if let Some(mine) = &ctx.unit {
        let h = Hierarchy::load(tx)?;
        if h.within(mine, &t.unit) {
            return Err(JichaError::invalid(QcWrong::OwnUnit {
                ticket: number.to_string(),
                ticket_unit: t.unit.clone(),
                unit: mine.clone(),
            }));
        }
    }
    let old: Option<(bool, String)> = tx
        .query_row(
            "SELECT passed, note FROM qc_scores WHERE ticket_id = ?1 AND item = ?2",
            params![t.id, item],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    tx.execute(
        "INSERT INTO qc_scores(ticket_id, item, passed, note, scored_by, scored_unit, scored_at, scored_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(ticket_id, item) DO UPDATE SET passed = excluded.passed, note = excluded.note,
            scored_by = excluded.scored_by, scored_unit = excluded.scored_unit,
            scored_at = excluded.scored_at, scored_on = excluded.scored_on, version = version + 1",
        params![
            t.id,
            item,
            passed,
            note.trim(),
            ctx.operator,
            ctx.unit,
            ctx.now_utc(),
            ctx.today.to_string()
        ],
    )?;
    actionlog::append(
        tx,
        ctx,
        "qc.score",
        &format!("ticket:{number}"),
        &json!({ "item": item, "passed": passed, "note": note.trim(),
                 "old": old.map(|(p, n)| json!({ "passed": p, "note": n })) }),
    )?;
    Ok(QcDone::Scored {
        ticket: number.to_string(),
        item: item as u8,
        passed,
    })
}
