//! `jicha demo`: a realistic, deterministic demo export — the CSV files of data-contract.md —
//! with planted anomalies of every built-in rule, near misses beside them, and external
//! findings.
//!
//! **Scan it as of any day in the month after `end_period`** (e.g. end_period 2026-06 → as-of
//! 2026-07-01 … 2026-07-31). The planted hits fire and the near misses stay silent for every
//! such day, under the default thresholds of `data/thresholds.toml`; date-dependent near
//! misses sit on the last day of that month, the one boundary that holds for the whole month.
//!
//! The output is a pure function of (customers, months, seed, end_period). Rows are streamed:
//! memory stays constant however many customers are asked for.

mod delta;
mod delta_archive;
mod delta_bills;
mod delta_csv;
mod gen;
mod names;
mod plant;
mod rng;
mod units;

use crate::context::Lang;
use crate::dates::{parse_period, period_from_index};
use crate::error::{JichaError, Result};
use crate::i18n::cli::{self, Msg};
use crate::i18n::refusals_cli::CliWrong;
use crate::progress::{Callback, Progress};
use chrono::{Datelike, Months, NaiveDate};
use std::fmt;
use std::fs::File;
use std::io::BufWriter;
use std::ops::ControlFlow;
use std::path::Path;

pub use delta::{write_delta, DeltaOptions, DeltaSummary};
pub use plant::{MIN_MONTHS, YOY_MONTHS};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    pub customers: u64,
    pub months: u32,
    pub seed: u64,
    /// `YYYY-MM`: the last billing period of the export.
    pub end_period: String,
}

/// The files of the export, in the order of data-contract.md (units.csv, optional there,
/// last: the importer checks it once everything is read).
pub const FILES: [&str; 8] = [
    "customers.csv",
    "meters.csv",
    "bills.csv",
    "suspensions.csv",
    "contracts.csv",
    "applications.csv",
    "external_findings.csv",
    "units.csv",
];

/// Largest history the demo writes (20 years).
pub const MAX_MONTHS: u32 = 240;

/// What was written, and the planted-case manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub customers: u64,
    pub meters: u64,
    pub bills: u64,
    pub suspensions: u64,
    pub contracts: u64,
    pub applications: u64,
    pub external_findings: u64,
    /// Units of the organisation (units.csv).
    pub units: u64,
    /// Expected findings per rule id (every built-in rule in catalogue order, then the
    /// `EXT:<source>:<code>` rules), for a scan as of any day of `as_of_month`.
    pub planted: Vec<(&'static str, u64)>,
    /// Near misses per rule id: cases exactly at (or just inside) a threshold that must not fire.
    pub near_misses: Vec<(&'static str, u64)>,
    /// THF-01 findings per level (1 most likely … 4).
    pub thf_levels: Vec<(u8, u64)>,
    /// `YYYY-MM`: the month whose days are the intended as-of dates.
    pub as_of_month: String,
}

impl DemoSummary {
    pub fn planted(&self, rule: &str) -> u64 {
        self.planted
            .iter()
            .find(|(r, _)| *r == rule)
            .map_or(0, |(_, n)| *n)
    }
}

impl DemoSummary {
    /// What `jicha demo` prints: rows per file, then the planted findings per rule.
    pub fn text(&self, lang: Lang) -> String {
        let say = |m: Msg, values: &[(&str, &dyn fmt::Display)]| cli::say(lang, m, values);
        let rows = [
            ("customers.csv", self.customers),
            ("meters.csv", self.meters),
            ("bills.csv", self.bills),
            ("suspensions.csv", self.suspensions),
            ("contracts.csv", self.contracts),
            ("applications.csv", self.applications),
            ("external_findings.csv", self.external_findings),
            ("units.csv", self.units),
        ];
        let mut out = String::new();
        for (file, n) in rows {
            let (file, n) = (format!("{file:<22}"), format!("{:>12}", grouped(n)));
            out += &say(Msg::DemoFileRows, &[("file", &file), ("n", &n)]);
            out.push('\n');
        }
        out += &say(Msg::DemoPlanted, &[("month", &self.as_of_month)]);
        out.push('\n');
        for (rule, n) in &self.planted {
            let near = self
                .near_misses
                .iter()
                .find(|(r, _)| r == rule)
                .map_or(0, |(_, k)| *k);
            // Padded by display width: external rule ids can hold Chinese source names.
            let pad = " ".repeat(22usize.saturating_sub(crate::text::width(rule)));
            out += &format!("  {rule}{pad} {n:>8}");
            if near > 0 {
                out += "   ";
                out += &say(Msg::DemoNearMisses, &[("n", &near)]);
            }
            out.push('\n');
        }
        let levels: Vec<String> = self
            .thf_levels
            .iter()
            .map(|(l, n)| say(Msg::DemoLevel, &[("level", l), ("n", n)]))
            .collect();
        let sep = if lang == Lang::Zh { "，" } else { ", " };
        out + &say(Msg::DemoThfLevels, &[("levels", &levels.join(sep))])
    }
}

impl fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

fn grouped(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (k, ch) in s.chars().enumerate() {
        if k > 0 && (s.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// The last complete billing month before `today`: the default `end_period`.
pub fn default_end_period(today: NaiveDate) -> String {
    let first = today.with_day(1).expect("day 1 exists");
    let prev = first - Months::new(1);
    format!("{:04}-{:02}", prev.year(), prev.month())
}

/// Dates derived from the options, shared by the generators.
pub(crate) struct Ctx {
    seed: u64,
    months: u32,
    /// Month index (year × 12 + month − 1) of the first period of the window.
    first_idx: i32,
    /// The window's periods, oldest first.
    periods: Vec<String>,
    end_period: String,
    /// Last day of end_period.
    end_last: NaiveDate,
    /// First and last day of the month after end_period: the as-of month.
    next_first: NaiveDate,
    next_last: NaiveDate,
}

impl Ctx {
    fn new(opts: &DemoOptions) -> Result<Ctx> {
        let (y, m) = parse_period(&opts.end_period).ok_or_else(|| {
            JichaError::invalid(CliWrong::DemoEndPeriod {
                given: opts.end_period.clone(),
            })
        })?;
        let end_idx = y * 12 + m as i32 - 1;
        let first_idx = end_idx - opts.months as i32 + 1;
        if first_idx < 2000 * 12 || end_idx > 2200 * 12 {
            return Err(JichaError::invalid(CliWrong::DemoWindow {
                months: opts.months,
                end: opts.end_period.clone(),
            }));
        }
        let next_first = NaiveDate::from_ymd_opt(y, m, 1).expect("valid period") + Months::new(1);
        let next_last = next_first + Months::new(1) - chrono::TimeDelta::days(1);
        Ok(Ctx {
            seed: opts.seed,
            months: opts.months,
            first_idx,
            periods: (first_idx..=end_idx).map(period_from_index).collect(),
            end_period: opts.end_period.clone(),
            end_last: next_first - chrono::TimeDelta::days(1),
            next_first,
            next_last,
        })
    }
}

type Csv = csv::Writer<BufWriter<File>>;

pub(crate) struct Writers {
    customers: Csv,
    meters: Csv,
    bills: Csv,
    suspensions: Csv,
    contracts: Csv,
    applications: Csv,
    external: Csv,
}

/// Each file's header: the importer's data contract, so writer and reader cannot disagree.
/// (`gen.rs` writes each row's fields in this order: the data-contract.md order.)
fn header(file: &str) -> Vec<&'static str> {
    let spec = crate::import::contract::FILES
        .iter()
        .find(|s| s.file == file)
        .expect("every demo file is in the data contract");
    spec.columns.iter().map(|c| c.name).collect()
}

impl Writers {
    fn create(dir: &Path) -> Result<Writers> {
        let mut ws = Vec::with_capacity(FILES.len());
        // units.csv is not streamed with the customers: `units::write` writes it whole.
        for file in FILES.into_iter().filter(|f| *f != "units.csv") {
            // Bills are most of the bytes: a large buffer keeps writes few and big.
            let cap = if file == "bills.csv" {
                4 << 20
            } else {
                1 << 20
            };
            let f = File::create(dir.join(file))?;
            let mut w = csv::WriterBuilder::new()
                .buffer_capacity(64 << 10)
                .from_writer(BufWriter::with_capacity(cap, f));
            w.write_record(header(file)).map_err(io_err)?;
            ws.push(w);
        }
        let mut it = ws.into_iter();
        let mut next = || it.next().expect("seven writers");
        Ok(Writers {
            customers: next(),
            meters: next(),
            bills: next(),
            suspensions: next(),
            contracts: next(),
            applications: next(),
            external: next(),
        })
    }

    fn finish(self) -> Result<()> {
        for w in [
            self.customers,
            self.meters,
            self.bills,
            self.suspensions,
            self.contracts,
            self.applications,
            self.external,
        ] {
            let buf = w
                .into_inner()
                .map_err(|e| JichaError::Io(std::io::Error::other(e.to_string())))?;
            let file = buf
                .into_inner()
                .map_err(|e| JichaError::Io(e.into_error()))?;
            file.sync_all()?;
        }
        Ok(())
    }
}

fn io_err(e: csv::Error) -> JichaError {
    JichaError::Io(std::io::Error::from(e))
}

/// Refuses a directory holding anything but a previous demo's files, so a mistyped `--out`
/// never clobbers unrelated data.
fn prepare_dir(out: &Path) -> Result<()> {
    let shown = |p: &Path| crate::text::escape(&p.display().to_string()).into_owned();
    if out.exists() {
        if !out.is_dir() {
            return Err(JichaError::invalid(CliWrong::DemoOutNotDir {
                path: shown(out),
            }));
        }
        for entry in std::fs::read_dir(out)? {
            let entry = entry?;
            let name = entry.file_name();
            let ours =
                name.to_str().is_some_and(|n| FILES.contains(&n)) && entry.file_type()?.is_file();
            if !ours {
                return Err(JichaError::invalid(CliWrong::DemoOutNotEmpty {
                    path: shown(out),
                    name: format!("{name:?}"),
                }));
            }
        }
    } else {
        std::fs::create_dir_all(out)?;
    }
    Ok(())
}

/// Writes the demo export into `out` and returns what it wrote, with the planted-case
/// manifest. Reports progress every 10,000 customers; a `Break` from the callback cancels and
/// removes the partly written files.
pub fn write_demo(out: &Path, opts: &DemoOptions, progress: Callback) -> Result<DemoSummary> {
    if opts.customers == 0 {
        return Err(JichaError::invalid(CliWrong::DemoNoCustomers));
    }
    if !(MIN_MONTHS..=MAX_MONTHS).contains(&opts.months) {
        return Err(JichaError::invalid(CliWrong::DemoMonths {
            months: opts.months,
            min: MIN_MONTHS,
            max: MAX_MONTHS,
        }));
    }
    let ctx = Ctx::new(opts)?;
    prepare_dir(out)?;
    let result = generate(out, opts, &ctx, progress);
    if result.is_err() {
        for f in FILES {
            let _ = std::fs::remove_file(out.join(f));
        }
    }
    result
}

fn generate(out: &Path, opts: &DemoOptions, ctx: &Ctx, progress: Callback) -> Result<DemoSummary> {
    let mut sink = gen::Sink {
        w: Writers::create(out)?,
        row: gen::Row::new(),
        hist: Vec::with_capacity(opts.months as usize),
        tally: gen::Tally::default(),
    };
    let mut planted: Vec<(&'static str, u64)> =
        crate::rules::RULES.iter().map(|r| (r.id, 0)).collect();
    planted.extend(plant::EXTERNAL.iter().map(|x| (x.rule_id, 0)));
    let mut near: Vec<(&'static str, u64)> = Vec::new();
    let mut levels = [0u64; 4];
    let total = opts.customers;
    let report = |done: u64, progress: &mut dyn FnMut(&Progress) -> ControlFlow<()>| {
        progress(&Progress {
            stage: "customers".into(),
            done,
            total,
        })
    };
    if report(0, progress).is_break() {
        return Err(JichaError::Cancelled);
    }
    let blocks = total.div_ceil(plant::BLOCK);
    for block in 0..blocks {
        let layout = plant::Layout::for_block(opts.seed, block);
        for pos in 0..plant::BLOCK {
            let i = block * plant::BLOCK + pos;
            if i >= total {
                break;
            }
            let slot = layout.at(pos);
            gen::customer(i, slot, ctx, &mut sink).map_err(io_err)?;
            if let Some((case, _)) = slot {
                for rule in plant::expected(case) {
                    if let Some(entry) = planted.iter_mut().find(|(r, _)| r == rule) {
                        entry.1 += 1;
                    }
                }
                if let Some(level) = plant::thf_level(case, opts.months) {
                    levels[level as usize - 1] += 1;
                }
                let def = plant::CASES
                    .iter()
                    .find(|d| d.case == case)
                    .expect("case listed");
                for rule in def.near_for {
                    match near.iter_mut().find(|(r, _)| r == rule) {
                        Some(entry) => entry.1 += 1,
                        None => near.push((rule, 1)),
                    }
                }
            }
            if (i + 1).is_multiple_of(10_000) && report(i + 1, progress).is_break() {
                return Err(JichaError::Cancelled);
            }
        }
    }
    let tally = sink.tally;
    sink.w.finish()?;
    let units = units::write(out)?;
    if !total.is_multiple_of(10_000) && report(total, progress).is_break() {
        return Err(JichaError::Cancelled);
    }
    near.sort_by_key(|(r, _)| crate::rules::RULES.iter().position(|d| d.id == *r));
    Ok(DemoSummary {
        customers: total,
        meters: tally.meters,
        bills: tally.bills,
        suspensions: tally.suspensions,
        contracts: tally.contracts,
        applications: tally.applications,
        external_findings: tally.external,
        units,
        planted,
        near_misses: near,
        thf_levels: (1..=4u8).zip(levels).collect(),
        as_of_month: period_from_index(ctx.first_idx + opts.months as i32),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_end_period_is_last_complete_month() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(default_end_period(d(2026, 7, 15)), "2026-06");
        assert_eq!(default_end_period(d(2026, 1, 1)), "2025-12");
        assert_eq!(default_end_period(d(2024, 3, 31)), "2024-02");
    }

    #[test]
    fn every_case_is_listed_once_and_first_block_fits() {
        let total: u32 = plant::CASES.iter().map(|d| d.first).sum();
        assert!(
            total as u64 <= plant::BLOCK / 5,
            "first block too dense: {total}"
        );
        for (k, a) in plant::CASES.iter().enumerate() {
            assert!(
                a.first >= plant::variants(a.case),
                "{:?}: every variant in block 0",
                a.case
            );
            assert!(
                plant::CASES[k + 1..].iter().all(|b| b.case != a.case),
                "{:?} twice",
                a.case
            );
        }
    }
}
