//! Drawing a sample (抽检): a `Command` of its own, an auditor or above, one transaction. The
//! population is read inside the transaction, drawn with the seed given
//! (`sampling::draw`), stored (`samples`, `sample_items`) and logged with the seed, the
//! population's size and SHA-256, and every drawn item.
//!
//! With an [`InspectPlan`] (`jicha sample --inspect`) the drawn sample becomes on-site
//! inspections in the same transaction: **one inspection per unit** (supply station) holding
//! that station's drawn findings (of a sample of customers: the drawn customers' open findings
//! of the basis), so each crew visits one station with one 现场处理单. A drawn finding that is
//! whitelisted or already on a planned inspection is left out of the inspections (named in the
//! log and the outcome), not refused: the sample itself stays what the seed drew. The
//! sample's log record names the inspections; each inspection has its own `inspection.create`
//! record naming the sample.

use super::scope::{unit_target, Reach};
use super::{Command, Outcome};
use crate::actionlog;
use crate::context::{Ctx, Role};
use crate::error::{JichaError, Result};
use crate::i18n::campaigns::{CampaignDone, CampaignWrong};
use crate::i18n::errors::RecordKind;
use crate::i18n::outcomes::Done;
use crate::inspections::Method;
use crate::rules::directory::Directory;
use crate::sampling::{self, Basis, Of};
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde_json::json;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct SampleDraw {
    pub basis: Basis,
    pub unit: Option<String>,
    pub ratio: f64,
    pub seed: u64,
    pub of: Of,
    /// Turn the sample into inspections at once (`--inspect`); None: the sample only.
    pub inspect: Option<InspectPlan>,
}

/// How the inspections made from a sample are planned.
#[derive(Debug, Clone, PartialEq)]
pub struct InspectPlan {
    pub inspectors: Vec<String>,
    pub planned_on: NaiveDate,
    pub method: Method,
}

/// Draws and stores one sample.
pub fn perform(ds: &mut crate::db::Dataset, ctx: &Ctx, s: &SampleDraw) -> Result<Outcome> {
    let mut out = super::run(ds, ctx, &[(s, &[][..])])?;
    Ok(out.remove(0))
}

/// Refuses a ratio outside (0, 1] (NaN too).
pub fn check_ratio(ratio: f64) -> Result<()> {
    if ratio > 0.0 && ratio <= 1.0 {
        Ok(())
    } else {
        Err(JichaError::invalid(CampaignWrong::BadRatio {
            given: ratio.to_string(),
        }))
    }
}

impl Command for SampleDraw {
    fn name(&self) -> &'static str {
        "sample.draw"
    }

    fn required_role(&self) -> Role {
        Role::Auditor
    }

    fn check_input(&self) -> Result<()> {
        check_ratio(self.ratio)?;
        match &self.inspect {
            Some(p) if p.inspectors.iter().all(|i| i.trim().is_empty()) => Err(
                JichaError::invalid(crate::i18n::inspections::InspectionWrong::NeedInspectors),
            ),
            _ => Ok(()),
        }
    }

    fn seen_records(&self) -> (&'static str, RecordKind) {
        ("findings", RecordKind::Finding)
    }

    fn check_seen(&self, _tx: &Connection, _seen: &[(i64, i64)]) -> Result<()> {
        Ok(())
    }

    /// The unit sampled; every unit without one.
    fn reach(&self, tx: &Connection) -> Result<Reach> {
        match self.unit.as_deref().filter(|u| !u.trim().is_empty()) {
            Some(u) => {
                super::scope::require_known_unit(tx, Some(u))?;
                Ok(Reach::Records(vec![unit_target(u.trim())]))
            }
            None => Ok(Reach::EveryUnit),
        }
    }

    fn apply(&self, tx: &Connection, ctx: &Ctx) -> Result<Outcome> {
        if let Basis::Rule(rule) = &self.basis {
            if Directory::load(tx)?.get(rule).is_none() && !rule.starts_with("EXT:") {
                return Err(JichaError::invalid(CampaignWrong::UnknownRule {
                    rule: rule.clone(),
                }));
            }
        }
        let unit = self
            .unit
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty());
        let pop = sampling::population(tx, &self.basis, unit, self.of)?;
        let size: usize = pop.values().map(Vec::len).sum();
        if size == 0 {
            return Err(JichaError::invalid(CampaignWrong::EmptyPopulation {
                basis: self.basis.label(),
            }));
        }
        let sha = sampling::population_sha256(&pop);
        let drawn = sampling::draw(&pop, self.ratio, self.seed);
        let number = next_number(tx, ctx)?;
        let (rule, campaign) = match &self.basis {
            Basis::Rule(r) => (Some(r.as_str()), None),
            Basis::Campaign(c) => (None, Some(c.trim())),
        };
        tx.execute(
            "INSERT INTO samples(number, rule, campaign, unit, of_what, ratio, seed, population,
                                 population_sha256, drawn_by, drawn_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                number,
                rule,
                campaign,
                unit,
                self.of.as_str(),
                self.ratio,
                self.seed.to_string(),
                size as i64,
                sha,
                ctx.operator,
                ctx.today.to_string()
            ],
        )?;
        let id = tx.last_insert_rowid();
        let mut insert = tx.prepare_cached(
            "INSERT INTO sample_items(sample_id, item, station, position) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (station, items) in &drawn {
            for (pos, item) in items.iter().enumerate() {
                insert.execute(params![id, item, station, pos as i64])?;
            }
        }
        let count: usize = drawn.values().map(Vec::len).sum();
        let made = match &self.inspect {
            Some(plan) => inspect(tx, ctx, self, unit, &number, &drawn, plan)?,
            None => Made::default(),
        };
        let mut detail = json!({
            "rule": rule, "campaign": campaign, "unit": unit, "of": self.of.as_str(),
            "ratio": self.ratio, "seed": self.seed.to_string(),
            "population": size, "population_sha256": sha, "sample": drawn,
        });
        if self.inspect.is_some() {
            detail["inspections"] = json!(made.numbers);
            detail["not_inspected"] = json!(made.left_out);
        }
        actionlog::append(tx, ctx, self.name(), &format!("sample:{number}"), &detail)?;
        let sampled = Done::Campaign {
            done: CampaignDone::SampleDrawn {
                number,
                population: size,
                drawn: count,
                seed: self.seed.to_string(),
            },
        };
        let message = if self.inspect.is_none() {
            sampled
        } else {
            let mut each = vec![sampled];
            each.extend(made.done);
            if !made.left_out.is_empty() {
                each.push(Done::Campaign {
                    done: CampaignDone::SampleNotInspected {
                        ids: made.left_out.iter().map(|(id, _)| *id).collect(),
                    },
                });
            }
            Done::Several { each }
        };
        Ok(Outcome {
            message,
            changed: count,
        })
    }
}

/// The inspections made from a sample.
#[derive(Debug, Default)]
struct Made {
    numbers: Vec<String>,
    done: Vec<Done>,
    /// Drawn findings left out, with why (`whitelisted`, `planned:XC-…`).
    left_out: Vec<(i64, String)>,
}

/// One inspection per station of the drawn sample (see the module's note).
fn inspect(
    tx: &Connection,
    ctx: &Ctx,
    s: &SampleDraw,
    unit: Option<&str>,
    number: &str,
    drawn: &BTreeMap<String, Vec<String>>,
    plan: &InspectPlan,
) -> Result<Made> {
    let by_customer = match s.of {
        Of::Findings => None,
        Of::Customers => Some(sampling::population_findings(tx, &s.basis, unit)?),
    };
    let campaign = match &s.basis {
        Basis::Campaign(c) => Some(c.trim().to_string()),
        Basis::Rule(_) => None,
    };
    let mut made = Made::default();
    for (station, items) in drawn {
        let mut ids: Vec<i64> = match &by_customer {
            None => items.iter().filter_map(|i| i.parse().ok()).collect(),
            Some(map) => items
                .iter()
                .flat_map(|c| map.get(c).cloned().unwrap_or_default())
                .collect(),
        };
        ids.sort_unstable();
        ids.dedup();
        let mut keep = Vec::new();
        for id in ids {
            if crate::findings::get(tx, id, ctx.today)?.suppressed {
                made.left_out.push((id, "whitelisted".into()));
            } else if let Some(x) = crate::inspections::planned_of(tx, id)? {
                made.left_out.push((id, format!("planned:{x}")));
            } else {
                keep.push(id);
            }
        }
        if keep.is_empty() || station.trim().is_empty() {
            made.left_out
                .extend(keep.into_iter().map(|id| (id, "no station".to_string())));
            continue;
        }
        let n = super::inspections::NewInspection {
            findings: keep,
            method: plan.method,
            planned_on: plan.planned_on,
            inspectors: plan.inspectors.clone(),
            campaign: campaign.clone(),
            ticket: None,
        };
        let (inspection, done) = super::inspections::create_from_sample(tx, ctx, &n, number)?;
        made.numbers.push(inspection);
        made.done.push(Done::Inspection { done });
    }
    Ok(made)
}

fn next_number(tx: &Connection, ctx: &Ctx) -> Result<String> {
    let prefix = format!("CY-{}-", ctx.today.format("%Y%m%d"));
    let seq: i64 = tx.query_row(
        "SELECT count(*) FROM samples WHERE number LIKE ?1 || '%'",
        [&prefix],
        |r| r.get(0),
    )?;
    Ok(format!("{prefix}{:03}", seq + 1))
}
