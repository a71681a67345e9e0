//! `jicha demo --delta --from DIR --out DIR2`: the next night's export of a demo export (issue
//! 15, "Deltas are cheap"), written as a full export (every row, as the marketing system sends
//! it each night) so that it imports with plain `jicha import`:
//!
//! - a share `edit_ratio` (1 %) of the customers with an archive edit (`delta_archive.rs`):
//!   capacity, category and price code, billing mode or a meter's CT ratio and multiplier —
//!   half of them backed by a new application, which HIS-02 accepts — or a new phone number,
//!   which HIS-02 does not watch;
//! - a bill of the next period for every active customer billed in the last one, and a first
//!   bill for the customers opened then (`delta_bills.rs`);
//! - a tenth of that share with the last period's readings edited: most for HIS-01, some
//!   exactly at its bound.
//!
//! Every other row is copied as it was. The output is a pure function of the input, the seed
//! and the share: the same arguments write the same bytes. Import it, and scan it, as of any
//! day of the month after the new period (`DeltaSummary::as_of_month`): then, under the
//! default thresholds, HIS-01 and HIS-02 report exactly `his01` and `his02` of the summary
//! among the changes this delta makes. Memory: a few bytes per customer (which ones are
//! closed, which bills were seen), the rows streamed.

use super::delta_archive::{self, Archive, NewApp, Plan, Report};
use super::delta_bills::{self, Bills};
use super::delta_csv::{self, Input};
use super::{prepare_dir, FILES};
use crate::context::Lang;
use crate::error::{JichaError, Result};
use crate::i18n::cli::fill;
use crate::i18n::demo_delta::{DeltaMsg, DeltaWrong};
use chrono::{Months, NaiveDate, TimeDelta};
use csv::ByteRecord;
use std::fmt;
use std::path::Path;

/// `change_basis_days` of data/thresholds.toml.
const BASIS_DAYS: i64 = 30;

#[derive(Debug, Clone, PartialEq)]
pub struct DeltaOptions {
    pub seed: u64,
    /// The share of customers with an archive edit (0 < r ≤ 1); a tenth of it get an edited
    /// reading.
    pub edit_ratio: f64,
}

impl Default for DeltaOptions {
    fn default() -> Self {
        DeltaOptions {
            seed: 1,
            edit_ratio: 0.01,
        }
    }
}

/// What a delta wrote, and the findings it plants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeltaSummary {
    /// The new billing period.
    pub period: String,
    /// `YYYY-MM`: the month whose days the delta is to be imported and scanned as of.
    pub as_of_month: String,
    pub customers: u64,
    /// Customers whose archive row or meter changed.
    pub archive_edits: u64,
    /// … of a field HIS-02 watches, and of those backed by a new application.
    pub watched: u64,
    pub backed: u64,
    /// Bills of the last period whose readings were edited, and of those exactly at HIS-01's
    /// bound.
    pub reading_edits: u64,
    pub at_bound: u64,
    /// Bills of the new period: continued, and first bills of new customers.
    pub new_bills: u64,
    pub first_bills: u64,
    pub applications: u64,
    /// (customer, period) HIS-01 reports, sorted.
    pub his01: Vec<(String, String)>,
    /// (customer, subject) HIS-02 reports, sorted.
    pub his02: Vec<(String, String)>,
}

impl DeltaSummary {
    /// What `jicha demo --delta` prints.
    pub fn text(&self, lang: Lang) -> String {
        let say = |m: DeltaMsg, values: &[(&str, &dyn fmt::Display)]| fill(m.text(lang), values);
        let basis = self.as_of_month.clone() + "-01";
        [
            say(
                DeltaMsg::Period,
                &[
                    ("period", &self.period),
                    ("bills", &(self.new_bills + self.first_bills)),
                    ("month", &self.as_of_month),
                ],
            ),
            say(
                DeltaMsg::Archive,
                &[
                    ("n", &self.archive_edits),
                    ("watched", &self.watched),
                    ("backed", &self.backed),
                    ("basis", &basis),
                ],
            ),
            say(
                DeltaMsg::Readings,
                &[
                    ("n", &self.reading_edits),
                    ("hits", &(self.reading_edits - self.at_bound)),
                    ("near", &self.at_bound),
                ],
            ),
            say(
                DeltaMsg::Expected,
                &[("his01", &self.his01.len()), ("his02", &self.his02.len())],
            ),
        ]
        .join("\n")
    }
}

impl fmt::Display for DeltaSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// The files the delta copies as they are.
const COPIED: [&str; 4] = [
    "suspensions.csv",
    "contracts.csv",
    "external_findings.csv",
    "units.csv",
];

/// Writes the next night's export of `from` into `out`. On any error, or a `Break` from the
/// callback, the files written so far are removed.
pub fn write_delta(
    from: &Path,
    out: &Path,
    opts: &DeltaOptions,
    progress: Report,
) -> Result<DeltaSummary> {
    if !(opts.edit_ratio > 0.0 && opts.edit_ratio <= 1.0) {
        return Err(JichaError::invalid(DeltaWrong::EditRatio {
            given: opts.edit_ratio.to_string(),
        }));
    }
    let shown = |p: &Path| crate::text::escape(&p.display().to_string()).into_owned();
    for file in ["customers.csv", "bills.csv"] {
        if !from.join(file).is_file() {
            return Err(JichaError::invalid(DeltaWrong::FromMissing {
                path: shown(from),
                file: file.into(),
            }));
        }
    }
    if out.exists() && out.canonicalize()? == from.canonicalize()? {
        return Err(JichaError::invalid(DeltaWrong::SameDir {
            path: shown(out),
        }));
    }
    prepare_dir(out)?;
    let result = generate(from, out, opts, progress);
    if result.is_err() {
        for f in FILES {
            let _ = std::fs::remove_file(out.join(f));
        }
    }
    result
}

fn plan(opts: &DeltaOptions, end: String) -> Plan {
    let (y, m) = crate::dates::parse_period(&end).expect("checked period");
    let end_first = NaiveDate::from_ymd_opt(y, m, 1).expect("a period's first day");
    let first = end_first + Months::new(2);
    let month_of = |d: NaiveDate| crate::dates::period_of(d);
    Plan {
        seed: opts.seed,
        edit_ratio: opts.edit_ratio,
        end,
        period: month_of(end_first + Months::new(1)),
        month: month_of(first),
        first,
        last: first + Months::new(1) - TimeDelta::days(1),
        basis_days: BASIS_DAYS,
    }
}

fn generate(
    from: &Path,
    out: &Path,
    opts: &DeltaOptions,
    progress: Report,
) -> Result<DeltaSummary> {
    let end = delta_bills::last_period(from, progress)?;
    let plan = plan(opts, end);
    let busy = delta_archive::busy_customers(from, &plan, progress)?;
    let counts = delta_archive::meter_counts(from, &plan, progress)?;
    let mut archive = delta_archive::customers(from, out, &plan, &busy, &counts, progress)?;
    delta_archive::meters(from, out, &mut archive, progress)?;
    let bills = delta_bills::bills(from, out, &plan, &archive, progress)?;
    applications(from, out, &archive.apps, progress)?;
    for file in COPIED {
        if from.join(file).is_file() {
            std::fs::copy(from.join(file), out.join(file))?;
        }
    }
    Ok(summary(plan, archive, bills))
}

fn summary(plan: Plan, a: Archive, b: Bills) -> DeltaSummary {
    let mut his01 = b.his01;
    his01.sort();
    let mut his02 = a.his02;
    his02.sort();
    DeltaSummary {
        period: plan.period,
        as_of_month: plan.month,
        customers: a.customers,
        archive_edits: a.edited,
        watched: a.watched,
        backed: a.backed,
        reading_edits: b.reading_edits,
        at_bound: b.at_bound,
        new_bills: b.new_bills,
        first_bills: b.first_bills,
        applications: a.apps.len() as u64,
        his01,
        his02,
    }
}

/// Writes applications.csv: the rows as they were with the new ones in app_no order.
fn applications(from: &Path, out: &Path, apps: &[NewApp], progress: Report) -> Result<()> {
    let mut apps: Vec<&NewApp> = apps.iter().collect();
    apps.sort_by(|a, b| a.app_no.cmp(&b.app_no));
    let mut apps = apps.into_iter().peekable();
    let existing = from.join("applications.csv").is_file();
    if !existing && apps.peek().is_none() {
        return Ok(());
    }
    let mut inp = if existing {
        Some(Input::open(from, "applications.csv")?)
    } else {
        None
    };
    let header = match &inp {
        Some(i) => i.header.clone(),
        None => ByteRecord::from(
            crate::import::contract::APPLICATIONS
                .columns
                .iter()
                .map(|c| c.name)
                .collect::<Vec<_>>(),
        ),
    };
    let mut w = delta_csv::create(out, "applications.csv", &header)?;
    if let Some(inp) = &mut inp {
        let no = inp.col("app_no")?;
        while inp.next(progress)? {
            while let Some(a) = apps.next_if(|a| a.app_no.as_bytes() < inp.field(no)) {
                delta_csv::write(&mut w, &app_row(&header, a))?;
            }
            delta_csv::write(&mut w, &inp.rec)?;
        }
    }
    for a in apps {
        delta_csv::write(&mut w, &app_row(&header, a))?;
    }
    delta_csv::finish(w)
}

fn app_row(header: &ByteRecord, a: &NewApp) -> ByteRecord {
    header
        .iter()
        .map(|h| match h {
            b"app_no" => a.app_no.clone(),
            b"cust_no" => a.cust_no.clone(),
            b"kind" => a.kind.to_string(),
            b"accepted_on" => a.accepted_on.to_string(),
            b"completed_on" => a.completed_on.to_string(),
            b"limit_days" => a.limit_days.to_string(),
            _ => String::new(),
        })
        .collect::<Vec<_>>()
        .into()
}
