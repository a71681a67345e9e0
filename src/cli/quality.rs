//! `jicha quality …` (营销服务工作质量评价) and `jicha theme …` (主题分析): the evaluation,
//! its indicators, values, deductions, bonuses, trend and drill-down, and theme analysis.
//! Every change goes through `quality::actions::perform`, like the UI's.

use super::args::Global;
use super::output::{for_stdout, json_for_stdout};
use super::{csv_err, open, Session};
use crate::error::{JichaError, Result};
use crate::quality::actions::{perform, QualityAction};
use crate::quality::indicators::{self, IndicatorPatch, IndicatorSpec};
use crate::quality::score::Drill;
use crate::quality::theme::Theme;
use crate::quality::{
    self, Direction, Evaluation, Kind, Level, Period, Selector, Source, TrendPoint, UnitScore,
};
use crate::text;
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write;

/// What `run` is asked to do: the `quality` or the `theme` command.
#[derive(Debug)]
pub enum Invocation {
    Quality(QualityArgs),
    Theme(ThemeArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum OutFormat {
    Text,
    Md,
    Json,
    Csv,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct QualityArgs {
    /// Period: a month 2026-11, a half-year 2026-H1 / 2026-H2, or a year 2026; default the
    /// business date's month.
    #[arg(long)]
    pub period: Option<String>,
    #[arg(long, value_enum, default_value_t = OutFormat::Text)]
    pub format: OutFormat,
    #[command(subcommand)]
    pub verb: Option<QualityVerb>,
}

#[derive(Debug, Subcommand)]
pub enum QualityVerb {
    /// Indicators (指标): add, edit, enable, disable, list.
    Indicator {
        #[command(subcommand)]
        verb: IndicatorVerb,
    },
    /// Hand-entered values of manual indicators.
    Value {
        #[command(subcommand)]
        verb: ValueVerb,
    },
    /// Deductions: `business` (业务评价, from an audit ticket) or `direct` (直接扣分).
    Deduct {
        #[command(subcommand)]
        verb: DeductVerb,
    },
    /// 奖励加分: bonus points for a unit.
    Bonus {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        points: f64,
        #[arg(long)]
        reason: String,
        /// Default the business date.
        #[arg(long, value_parser = parse_date)]
        date: Option<chrono::NaiveDate>,
    },
    /// Revoke a wrong deduction or bonus entry (it stays on record, no longer counting).
    Revoke {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// Deduction and bonus entries of a period.
    Entries {
        #[arg(long)]
        period: Option<String>,
        /// A station, or a district (with its stations' entries).
        #[arg(long)]
        unit: Option<String>,
        /// Include revoked entries.
        #[arg(long)]
        all: bool,
        #[arg(long, value_enum, default_value_t = OutFormat::Text)]
        format: OutFormat,
    },
    /// Direct-deduction levels and their points.
    Level {
        #[command(subcommand)]
        verb: LevelVerb,
    },
    /// A unit's scores over past periods.
    Trend {
        #[arg(long)]
        unit: String,
        /// The last period (its length sets the step); default the business date's month.
        #[arg(long)]
        period: Option<String>,
        #[arg(long, default_value_t = 6)]
        periods: usize,
        #[arg(long, value_enum, default_value_t = OutFormat::Text)]
        format: OutFormat,
    },
    /// What is behind a unit's score: indicators, entries, tickets, findings.
    Drill {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        period: Option<String>,
        #[arg(long, value_enum, default_value_t = OutFormat::Text)]
        format: OutFormat,
    },
}

#[derive(Debug, Subcommand)]
pub enum IndicatorVerb {
    Add {
        /// 业务类别, e.g. 电费管理, 计量管理, 业扩报装.
        #[arg(long)]
        category: String,
        #[arg(long)]
        name: String,
        /// main (主要指标) or process (过程指标).
        #[arg(long)]
        kind: String,
        /// The unit level evaluated: station or district.
        #[arg(long, default_value = "station")]
        level: String,
        /// 基本值: the value that earns 0 points.
        #[arg(long, allow_hyphen_values = true)]
        base: f64,
        /// 满分值: the value that earns the full score.
        #[arg(long, allow_hyphen_values = true)]
        full_mark: f64,
        /// The points the indicator is worth.
        #[arg(long)]
        full_score: f64,
        /// higher (正向) or lower (反向) is better.
        #[arg(long)]
        direction: String,
        /// manual, completion_rate, overdue_rate, rectification_rate, findings_per_1000 or
        /// amount_recovered (rates are fractions: 0.9 = 90%).
        #[arg(long, default_value = "manual")]
        source: String,
    },
    Edit {
        id: i64,
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        level: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        base: Option<f64>,
        #[arg(long, allow_hyphen_values = true)]
        full_mark: Option<f64>,
        #[arg(long)]
        full_score: Option<f64>,
        #[arg(long)]
        direction: Option<String>,
        #[arg(long)]
        source: Option<String>,
    },
    Enable {
        id: i64,
    },
    Disable {
        id: i64,
    },
    List {
        #[arg(long, value_enum, default_value_t = OutFormat::Text)]
        format: OutFormat,
    },
}

#[derive(Debug, Subcommand)]
pub enum ValueVerb {
    /// Enter (or correct) a manual indicator's value for a unit and period.
    Set {
        #[arg(long)]
        indicator: i64,
        #[arg(long)]
        unit: String,
        #[arg(long)]
        period: String,
        #[arg(long, allow_hyphen_values = true)]
        value: f64,
    },
}

#[derive(Debug, Subcommand)]
pub enum DeductVerb {
    /// 业务评价 deduction: an audit ticket found the unit's errors.
    Business {
        #[arg(long)]
        ticket: String,
        #[arg(long)]
        points: f64,
        #[arg(long)]
        reason: String,
        /// Default the ticket's responsible unit.
        #[arg(long)]
        unit: Option<String>,
        /// Default the business date.
        #[arg(long, value_parser = parse_date)]
        date: Option<chrono::NaiveDate>,
    },
    /// 直接扣分 for a marketing error or accident (营销差错, 责任事故); points by level.
    Direct {
        #[arg(long)]
        unit: String,
        /// A level of `jicha quality level list` (minor, major, accident, …).
        #[arg(long)]
        level: String,
        #[arg(long)]
        reason: String,
        #[arg(long, value_parser = parse_date)]
        date: Option<chrono::NaiveDate>,
    },
}

#[derive(Debug, Subcommand)]
pub enum LevelVerb {
    List,
    Set {
        level: String,
        points: f64,
        #[arg(long)]
        label: Option<String>,
    },
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["rule", "category"])))]
pub struct ThemeArgs {
    /// A rule id (BIL-05) or an external rule (EXT:<source>:<code>).
    #[arg(long)]
    pub rule: Option<String>,
    /// archive, billing, metering, business, service, theft, or external (every EXT rule).
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long, value_parser = parse_date)]
    pub from: Option<chrono::NaiveDate>,
    #[arg(long, value_parser = parse_date)]
    pub to: Option<chrono::NaiveDate>,
    /// text, csv (one row per district, station and month) or json.
    #[arg(long, value_enum, default_value_t = OutFormat::Text)]
    pub format: OutFormat,
}

fn parse_date(s: &str) -> std::result::Result<chrono::NaiveDate, String> {
    crate::dates::parse_arg(s)
}

pub fn run(g: &Global, invocation: Invocation) -> Result<()> {
    match invocation {
        Invocation::Theme(a) => theme_cmd(&open(g)?, a),
        Invocation::Quality(a) => {
            let mut s = open(g)?;
            match a.verb {
                None => {
                    let p = period_or_month(&s, a.period.as_deref())?;
                    let e = quality::evaluate(&s.ds.conn, &p)?;
                    print_evaluation(&e, a.format)
                }
                Some(verb) => verb_cmd(&mut s, verb),
            }
        }
    }
}

fn period_or_month(s: &Session, p: Option<&str>) -> Result<Period> {
    match p {
        Some(p) => Period::parse(p),
        None => Ok(Period::month_of(s.ctx.today)),
    }
}

fn act(s: &mut Session, action: QualityAction) -> Result<()> {
    let outcome = perform(&mut s.ds, &s.ctx, &action)?;
    // The change stands whatever happens to stdout (a closed pipe): not a reported failure.
    let _ = writeln!(
        super::output::stdout(),
        "{}",
        text::escape(&outcome.message)
    );
    Ok(())
}

fn verb_cmd(s: &mut Session, verb: QualityVerb) -> Result<()> {
    match verb {
        QualityVerb::Indicator { verb } => indicator_cmd(s, verb),
        QualityVerb::Value {
            verb:
                ValueVerb::Set {
                    indicator,
                    unit,
                    period,
                    value,
                },
        } => act(
            s,
            QualityAction::ValueSet {
                indicator,
                unit,
                period,
                value,
            },
        ),
        QualityVerb::Deduct { verb } => act(
            s,
            match verb {
                DeductVerb::Business {
                    ticket,
                    points,
                    reason,
                    unit,
                    date,
                } => QualityAction::BusinessDeduct {
                    ticket,
                    points,
                    reason,
                    unit,
                    date,
                },
                DeductVerb::Direct {
                    unit,
                    level,
                    reason,
                    date,
                } => QualityAction::DirectDeduct {
                    unit,
                    level,
                    reason,
                    date,
                },
            },
        ),
        QualityVerb::Bonus {
            unit,
            points,
            reason,
            date,
        } => act(
            s,
            QualityAction::Bonus {
                unit,
                points,
                reason,
                date,
            },
        ),
        QualityVerb::Revoke { id, reason } => act(s, QualityAction::EntryRevoke { id, reason }),
        QualityVerb::Level { verb } => match verb {
            LevelVerb::Set {
                level,
                points,
                label,
            } => act(
                s,
                QualityAction::LevelSet {
                    level,
                    points,
                    label,
                },
            ),
            LevelVerb::List => {
                let rows: Vec<Vec<String>> = quality::levels(&s.ds.conn)?
                    .into_iter()
                    .map(|l| vec![l.level, num(l.points), l.label])
                    .collect();
                let mut out = String::new();
                table(
                    &mut out,
                    false,
                    "直接扣分 levels",
                    &["level", "points", "label"],
                    &rows,
                );
                write!(super::output::stdout(), "{out}")?;
                Ok(())
            }
        },
        QualityVerb::Entries {
            period,
            unit,
            all,
            format,
        } => {
            let p = period_or_month(s, period.as_deref())?;
            let (from, to) = p.range();
            let scope = match &unit {
                Some(u) => {
                    let units = quality::Units::load(&s.ds.conn)?;
                    units.check(u)?;
                    let mut scope = units.stations_of(u);
                    if !scope.contains(u) {
                        scope.push(u.clone());
                    }
                    Some(scope)
                }
                None => None,
            };
            let list = quality::entries(&s.ds.conn, from, to, scope.as_deref(), all)?;
            print_entries(&list, &p, format)
        }
        QualityVerb::Trend {
            unit,
            period,
            periods,
            format,
        } => {
            let p = period_or_month(s, period.as_deref())?;
            let points = quality::trend(&s.ds.conn, &unit, &p, periods)?;
            print_trend(&unit, &points, format)
        }
        QualityVerb::Drill {
            unit,
            period,
            format,
        } => {
            let p = period_or_month(s, period.as_deref())?;
            let d = quality::drill(&s.ds.conn, &unit, &p)?;
            print_drill(&d, format)
        }
    }
}

fn indicator_cmd(s: &mut Session, verb: IndicatorVerb) -> Result<()> {
    match verb {
        IndicatorVerb::Add {
            category,
            name,
            kind,
            level,
            base,
            full_mark,
            full_score,
            direction,
            source,
        } => act(
            s,
            QualityAction::IndicatorAdd(IndicatorSpec {
                category,
                name,
                kind: Kind::parse(&kind)?,
                level: Level::parse(&level)?,
                base_value: base,
                full_value: full_mark,
                full_score,
                direction: Direction::parse(&direction)?,
                source: Source::parse(&source)?,
            }),
        ),
        IndicatorVerb::Edit {
            id,
            category,
            name,
            kind,
            level,
            base,
            full_mark,
            full_score,
            direction,
            source,
        } => act(
            s,
            QualityAction::IndicatorEdit {
                id,
                patch: IndicatorPatch {
                    category,
                    name,
                    kind: kind.as_deref().map(Kind::parse).transpose()?,
                    level: level.as_deref().map(Level::parse).transpose()?,
                    base_value: base,
                    full_value: full_mark,
                    full_score,
                    direction: direction.as_deref().map(Direction::parse).transpose()?,
                    source: source.as_deref().map(Source::parse).transpose()?,
                },
            },
        ),
        IndicatorVerb::Enable { id } => {
            act(s, QualityAction::IndicatorEnable { id, enabled: true })
        }
        IndicatorVerb::Disable { id } => {
            act(s, QualityAction::IndicatorEnable { id, enabled: false })
        }
        IndicatorVerb::List { format } => {
            let list = indicators::list(&s.ds.conn)?;
            if format == OutFormat::Json {
                return print_json(&list);
            }
            let header = [
                "id",
                "enabled",
                "category",
                "name",
                "kind",
                "level",
                "source",
                "direction",
                "base",
                "full_mark",
                "full_score",
            ];
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|i| {
                    vec![
                        i.id.to_string(),
                        if i.enabled { "yes" } else { "no" }.into(),
                        i.category.clone(),
                        i.name.clone(),
                        i.kind.as_str().into(),
                        i.level.as_str().into(),
                        i.source.as_str().into(),
                        i.direction.as_str().into(),
                        num(i.base_value),
                        num(i.full_value),
                        num(i.full_score),
                    ]
                })
                .collect();
            emit_rows(format, "指标 indicators", &header, &rows)
        }
    }
}

fn theme_cmd(s: &Session, a: ThemeArgs) -> Result<()> {
    let selector = match (&a.rule, &a.category) {
        (Some(r), None) => Selector::rule(&s.ds.conn, r)?,
        (None, Some(c)) => Selector::category(c)?,
        _ => return Err(JichaError::invalid("usage: give --rule R or --category C")),
    };
    let t = quality::theme(&s.ds.conn, &selector, a.from, a.to)?;
    print_theme(&t, a.format)
}

/// Numbers for people: two decimals, trailing zeros dropped.
fn num(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

fn opt(v: Option<f64>) -> String {
    v.map(num).unwrap_or_else(|| "—".into())
}

fn print_json<T: serde::Serialize>(v: &T) -> Result<()> {
    let mut out = super::output::stdout().lock();
    writeln!(
        out,
        "{}",
        json_for_stdout(serde_json::to_string_pretty(v).expect("serializable"))
    )?;
    Ok(())
}

/// Rows as CSV (cells escaped unless `--raw`) or as an aligned text / Markdown table.
fn emit_rows(format: OutFormat, title: &str, header: &[&str], rows: &[Vec<String>]) -> Result<()> {
    let mut out = super::output::stdout().lock();
    match format {
        OutFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(header).map_err(csv_err)?;
            for r in rows {
                w.write_record(r.iter().map(|c| for_stdout(c).into_owned()))
                    .map_err(csv_err)?;
            }
            w.flush()?;
        }
        OutFormat::Text | OutFormat::Md | OutFormat::Json => {
            let mut s = String::new();
            table(&mut s, format == OutFormat::Md, title, header, rows);
            out.write_all(s.as_bytes())?;
        }
    }
    Ok(())
}

/// A titled table; every cell is escaped, since it is headed for a person's terminal.
fn table(out: &mut String, markdown: bool, title: &str, header: &[&str], rows: &[Vec<String>]) {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| text::escape(c).into_owned()).collect())
        .collect();
    crate::reports::section(out, markdown, title, header, &rows);
}

const UNIT_HEADER: [&str; 11] = [
    "#",
    "unit",
    "parent/stations",
    "主要 main",
    "过程 process",
    "业务 business",
    "直接扣分 direct",
    "奖励加分 bonus",
    "综合得分 composite",
    "unvalued",
    "level",
];

fn unit_row(u: &UnitScore) -> Vec<String> {
    vec![
        u.rank.to_string(),
        u.unit.clone(),
        match u.level {
            Level::Station => u.parent.clone().unwrap_or_default(),
            Level::District => u.stations.join(","),
        },
        num(u.main),
        num(u.process),
        num(u.business),
        num(u.direct),
        num(u.bonus),
        num(u.composite),
        u.unvalued.join(","),
        u.level.as_str().into(),
    ]
}

fn print_evaluation(e: &Evaluation, format: OutFormat) -> Result<()> {
    match format {
        OutFormat::Json => print_json(e),
        OutFormat::Csv => {
            // One row per unit; each enabled indicator adds a value and a score column.
            let mut header: Vec<String> = [
                "level",
                "rank",
                "unit",
                "parent",
                "main",
                "process",
                "business",
                "business_deductions",
                "direct",
                "bonus",
                "composite",
                "unvalued",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            for i in &e.indicators {
                header.push(format!("ind{}_value", i.id));
                header.push(format!("ind{}_score", i.id));
            }
            let frac = |v: f64| format!("{v:.4}");
            let rows: Vec<Vec<String>> = e
                .stations
                .iter()
                .chain(&e.districts)
                .map(|u| {
                    let mut r = vec![
                        u.level.as_str().to_string(),
                        u.rank.to_string(),
                        u.unit.clone(),
                        u.parent.clone().unwrap_or_default(),
                        frac(u.main),
                        frac(u.process),
                        frac(u.business),
                        frac(u.business_deductions),
                        frac(u.direct),
                        frac(u.bonus),
                        frac(u.composite),
                        u.unvalued.join(";"),
                    ];
                    for i in &e.indicators {
                        let s = u.indicators.iter().find(|s| s.id == i.id);
                        let value = s.and_then(|s| s.value);
                        let score = s.and_then(|s| s.score);
                        r.push(value.map(frac).unwrap_or_default());
                        r.push(score.map(frac).unwrap_or_default());
                    }
                    r
                })
                .collect();
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            emit_rows(OutFormat::Csv, "", &header, &rows)
        }
        OutFormat::Text | OutFormat::Md => {
            let md = format == OutFormat::Md;
            let mut out = String::new();
            let title = format!(
                "营销服务工作质量评价 quality evaluation {} ({} .. {})",
                e.period, e.from, e.to
            );
            out.push_str(&if md { format!("# {title}\n") } else { title });
            out.push_str(
                "\n综合得分 = 主要 × 50% + 过程 × 10% + 业务 × 40% − 直接扣分 + 奖励加分\n",
            );
            let rows: Vec<Vec<String>> = e.stations.iter().map(unit_row).collect();
            table(&mut out, md, "供电所 stations", &UNIT_HEADER, &rows);
            let rows: Vec<Vec<String>> = e.districts.iter().map(unit_row).collect();
            table(
                &mut out,
                md,
                "区县 districts (mean of their stations)",
                &UNIT_HEADER,
                &rows,
            );
            let rows: Vec<Vec<String>> = e
                .indicators
                .iter()
                .map(|i| {
                    vec![
                        i.id.to_string(),
                        i.category.clone(),
                        i.name.clone(),
                        i.kind.label_zh().into(),
                        i.level.as_str().into(),
                        i.source.as_str().into(),
                        num(i.base_value),
                        num(i.full_value),
                        num(i.full_score),
                    ]
                })
                .collect();
            table(
                &mut out,
                md,
                "enabled indicators (parts normalised to 100 over the valued ones)",
                &[
                    "id",
                    "category",
                    "name",
                    "kind",
                    "level",
                    "source",
                    "base",
                    "full_mark",
                    "full_score",
                ],
                &rows,
            );
            super::output::stdout().lock().write_all(out.as_bytes())?;
            Ok(())
        }
    }
}

fn entry_rows(list: &[quality::Entry]) -> Vec<Vec<String>> {
    list.iter()
        .map(|e| {
            vec![
                e.id.to_string(),
                e.kind.clone(),
                e.unit.clone(),
                e.on_date.clone(),
                num(e.points),
                e.level.clone().unwrap_or_default(),
                e.ticket.clone().unwrap_or_default(),
                e.reason.clone(),
                e.entered_by.clone(),
                e.revoked_on.clone().unwrap_or_default(),
            ]
        })
        .collect()
}

const ENTRY_HEADER: [&str; 10] = [
    "id",
    "kind",
    "unit",
    "date",
    "points",
    "level",
    "ticket",
    "reason",
    "entered_by",
    "revoked_on",
];

fn print_entries(list: &[quality::Entry], p: &Period, format: OutFormat) -> Result<()> {
    if format == OutFormat::Json {
        return print_json(&list);
    }
    emit_rows(
        format,
        &format!("扣分/加分 entries {p}"),
        &ENTRY_HEADER,
        &entry_rows(list),
    )
}

fn print_trend(unit: &str, points: &[TrendPoint], format: OutFormat) -> Result<()> {
    if format == OutFormat::Json {
        return print_json(&points);
    }
    let rows: Vec<Vec<String>> = points
        .iter()
        .map(|t| {
            vec![
                t.period.clone(),
                num(t.composite),
                num(t.main),
                num(t.process),
                num(t.business),
                num(t.direct),
                num(t.bonus),
                format!("{}/{}", t.rank, t.of),
            ]
        })
        .collect();
    emit_rows(
        format,
        &format!("趋势 trend of {unit}"),
        &[
            "period",
            "composite",
            "main",
            "process",
            "business",
            "direct",
            "bonus",
            "rank",
        ],
        &rows,
    )
}

fn print_drill(d: &Drill, format: OutFormat) -> Result<()> {
    match format {
        OutFormat::Json => print_json(d),
        OutFormat::Csv => Err(JichaError::invalid(
            "usage: drill prints text, md or json (it has several tables)",
        )),
        OutFormat::Text | OutFormat::Md => {
            let md = format == OutFormat::Md;
            let u = &d.score;
            // Escaped before the newline is added, so the newline stays a newline.
            let mut out = text::escape(&format!(
                "{} {} — {}: composite {} (rank {}), main {}, process {}, business {} (−{}), direct −{}, bonus +{}",
                u.level.as_str(),
                u.unit,
                d.period,
                num(u.composite),
                u.rank,
                num(u.main),
                num(u.process),
                num(u.business),
                num(u.business_deductions),
                num(u.direct),
                num(u.bonus)
            ))
            .into_owned()
                + "\n";
            let rows: Vec<Vec<String>> = u
                .indicators
                .iter()
                .map(|i| {
                    vec![
                        i.id.to_string(),
                        i.name.clone(),
                        i.kind.as_str().into(),
                        i.source.as_str().into(),
                        opt(i.value),
                        opt(i.score),
                        num(i.full_score),
                    ]
                })
                .collect();
            table(
                &mut out,
                md,
                "indicators",
                &["id", "name", "kind", "source", "value", "score", "of"],
                &rows,
            );
            table(
                &mut out,
                md,
                "deductions and bonuses",
                &ENTRY_HEADER,
                &entry_rows(&d.entries),
            );
            let rows: Vec<Vec<String>> = d
                .tickets
                .iter()
                .map(|t| {
                    vec![
                        t.ticket.number.clone(),
                        t.ticket.unit.clone(),
                        t.ticket.state.clone(),
                        t.ticket.issued_on.clone(),
                        t.ticket.due_on.clone(),
                        t.ticket.approved_on.clone().unwrap_or_default(),
                        if t.ticket.overdue { "yes" } else { "" }.into(),
                        opt(t.ticket.recovered_yuan),
                        num(t.deducted),
                    ]
                })
                .collect();
            table(
                &mut out,
                md,
                "tickets",
                &[
                    "number",
                    "unit",
                    "state",
                    "issued",
                    "due",
                    "approved",
                    "overdue",
                    "recovered",
                    "deducted",
                ],
                &rows,
            );
            let rows: Vec<Vec<String>> = d
                .findings
                .iter()
                .map(|f| {
                    vec![
                        f.id.to_string(),
                        f.rule.clone(),
                        f.cust_no.clone(),
                        f.station.clone(),
                        f.first_seen.clone(),
                        f.status.clone(),
                        opt(f.amount_yuan),
                        f.ticket.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            table(
                &mut out,
                md,
                "findings first detected in the period",
                &[
                    "id",
                    "rule",
                    "cust_no",
                    "station",
                    "first_seen",
                    "status",
                    "amount",
                    "ticket",
                ],
                &rows,
            );
            super::output::stdout().lock().write_all(out.as_bytes())?;
            Ok(())
        }
    }
}

fn print_theme(t: &Theme, format: OutFormat) -> Result<()> {
    match format {
        OutFormat::Json => print_json(t),
        OutFormat::Csv => {
            let rows: Vec<Vec<String>> = t
                .rows()
                .into_iter()
                .map(|r| {
                    vec![
                        r.district,
                        r.station,
                        r.month,
                        r.counts.findings.to_string(),
                        format!("{:.2}", r.counts.amount_yuan),
                        r.counts.open.to_string(),
                        r.counts.rectified.to_string(),
                    ]
                })
                .collect();
            emit_rows(
                OutFormat::Csv,
                "",
                &[
                    "district",
                    "station",
                    "month",
                    "findings",
                    "amount_yuan",
                    "open",
                    "rectified",
                ],
                &rows,
            )
        }
        OutFormat::Text | OutFormat::Md => {
            let range = match (&t.from, &t.to) {
                (None, None) => "all dates".to_string(),
                (f, to) => format!(
                    "{} .. {}",
                    f.as_deref().unwrap_or("…"),
                    to.as_deref().unwrap_or("…")
                ),
            };
            let mut out = format!(
                "主题分析 theme: {} ({range})\n  {} findings, {} 元 at stake, {} open, {} rectified\n",
                text::escape(&t.selector),
                t.total.findings,
                num(t.total.amount_yuan),
                t.total.open,
                t.total.rectified
            );
            let mut rows = Vec::new();
            let counts = |c: &quality::theme::Counts| {
                vec![
                    c.findings.to_string(),
                    num(c.amount_yuan),
                    c.open.to_string(),
                    c.rectified.to_string(),
                ]
            };
            for d in &t.districts {
                rows.push([vec![d.district.clone()], counts(&d.counts)].concat());
                for s in &d.stations {
                    rows.push([vec![format!("  {}", s.station)], counts(&s.counts)].concat());
                    for m in &s.months {
                        rows.push([vec![format!("    {}", m.month)], counts(&m.counts)].concat());
                    }
                }
            }
            table(
                &mut out,
                format == OutFormat::Md,
                "district → station → month",
                &["where", "findings", "amount_yuan", "open", "rectified"],
                &rows,
            );
            super::output::stdout().lock().write_all(out.as_bytes())?;
            Ok(())
        }
    }
}
