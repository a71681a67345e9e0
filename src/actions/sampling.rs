//! Drawing a sample (抽检): a `Command` of its own, an auditor or above, one transaction. The
//! population is read inside the transaction, drawn with the seed given
//! (`sampling::draw`), stored (`samples`, `sample_items`) and logged with the seed, the
//! population's size and SHA-256, and every drawn item.

use super::scope::{unit_target, Reach};
use super::{Command, Outcome};
use crate::actionlog;
use crate::context::{Ctx, Role};
use crate::error::{JichaError, Result};
use crate::i18n::campaigns::{CampaignDone, CampaignWrong};
use crate::i18n::errors::RecordKind;
use crate::i18n::outcomes::Done;
use crate::rules::directory::Directory;
use crate::sampling::{self, Basis, Of};
use rusqlite::{params, Connection};
use serde_json::json;

#[derive(Debug, Clone, PartialEq)]
pub struct SampleDraw {
    pub basis: Basis,
    pub unit: Option<String>,
    pub ratio: f64,
    pub seed: u64,
    pub of: Of,
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
        check_ratio(self.ratio)
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
        actionlog::append(
            tx,
            ctx,
            self.name(),
            &format!("sample:{number}"),
            &json!({
                "rule": rule, "campaign": campaign, "unit": unit, "of": self.of.as_str(),
                "ratio": self.ratio, "seed": self.seed.to_string(),
                "population": size, "population_sha256": sha, "sample": drawn,
            }),
        )?;
        Ok(Outcome {
            message: Done::Campaign {
                done: CampaignDone::SampleDrawn {
                    number,
                    population: size,
                    drawn: count,
                    seed: self.seed.to_string(),
                },
            },
            changed: count,
        })
    }
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
