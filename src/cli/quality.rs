//! `jicha quality …` (营销服务工作质量评价) and `jicha theme …` (主题分析): the evaluation,
//! its indicators, values, deductions, bonuses, trend and drill-down, and theme analysis.
//! Every change goes through `quality::actions::perform`, like the UI's.

use super::args::Global;
use super::help::quality as ex;
use super::{open, Session};
use crate::error::{JichaError, Result};
use crate::output::quality::{
    emit_rows, num, print_drill, print_entries, print_evaluation, print_json, print_theme,
    print_trend, table,
};
use crate::quality::actions::{perform, QualityAction};
use crate::quality::indicators::{self, IndicatorPatch, IndicatorSpec};
use crate::quality::{self, Direction, Kind, Level, Period, Selector, Source};
use crate::text;
use clap::{Args, Subcommand};
use std::io::Write;

/// What `run` is asked to do: the `quality` or the `theme` command.
#[derive(Debug)]
pub enum Invocation {
    Quality(QualityArgs),
    Theme(ThemeArgs),
}

pub use crate::output::quality::OutFormat;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct QualityArgs {
    /// Period: a month 2026-11, a quarter 2026-Q4, a half-year 2026-H1 / 2026-H2, or a year 2026; default the
    /// business date's month.
    #[arg(long)]
    pub period: Option<String>,
    /// How the evaluation is written.
    #[arg(long, value_enum, default_value_t = OutFormat::Text)]
    pub format: OutFormat,
    #[command(flatten)]
    pub out: super::out::OutArgs,
    #[command(subcommand)]
    pub verb: Option<QualityVerb>,
}

#[derive(Debug, Subcommand)]
pub enum QualityVerb {
    /// Indicators (指标): add, edit, enable, disable, list.
    #[command(after_help = ex::INDICATOR)]
    Indicator {
        #[command(subcommand)]
        verb: IndicatorVerb,
    },
    /// Hand-entered values of manual indicators.
    #[command(after_help = ex::VALUE)]
    Value {
        #[command(subcommand)]
        verb: ValueVerb,
    },
    /// Deductions: `business` (业务评价, from an audit ticket) or `direct` (直接扣分).
    #[command(after_help = ex::DEDUCT)]
    Deduct {
        #[command(subcommand)]
        verb: DeductVerb,
    },
    /// 奖励加分: bonus points for a unit.
    #[command(after_help = ex::BONUS)]
    Bonus {
        /// A unit of the organisation (`jicha unit list`): station, county, …, department.
        #[arg(long)]
        unit: String,
        /// Points added.
        #[arg(long)]
        points: f64,
        /// Why (kept with the entry).
        #[arg(long)]
        reason: String,
        /// Default the business date.
        #[arg(long, value_parser = parse_date)]
        date: Option<chrono::NaiveDate>,
    },
    /// Revoke a wrong deduction or bonus entry (it stays on record, no longer counting).
    #[command(after_help = ex::REVOKE)]
    Revoke {
        /// The entry id, as `quality entries` shows it.
        id: i64,
        /// Why it is revoked.
        #[arg(long)]
        reason: String,
    },
    /// Deduction and bonus entries of a period.
    #[command(after_help = ex::ENTRIES)]
    Entries {
        /// The period (2026-11, 2026-Q4, 2026-H2, 2026); default the business date's month.
        #[arg(long)]
        period: Option<String>,
        /// A unit of the organisation (with the entries of every unit below it).
        #[arg(long)]
        unit: Option<String>,
        /// Include revoked entries.
        #[arg(long)]
        all: bool,
        /// How the list is written.
        #[arg(long, value_enum, default_value_t = OutFormat::Text)]
        format: OutFormat,
        #[command(flatten)]
        out: super::out::OutArgs,
    },
    /// Direct-deduction levels and their points.
    #[command(after_help = ex::LEVEL)]
    Level {
        #[command(subcommand)]
        verb: LevelVerb,
    },
    /// A unit's scores over past periods.
    #[command(after_help = ex::TREND)]
    Trend {
        /// A unit of the organisation (`jicha unit list`): station, county, …, department.
        #[arg(long)]
        unit: String,
        /// The last period (its length sets the step); default the business date's month.
        #[arg(long)]
        period: Option<String>,
        /// How many periods, ending with --period.
        #[arg(long, default_value_t = 6)]
        periods: usize,
        /// How the trend is written.
        #[arg(long, value_enum, default_value_t = OutFormat::Text)]
        format: OutFormat,
        #[command(flatten)]
        out: super::out::OutArgs,
    },
    /// What is behind a unit's score: indicators, entries, tickets, findings.
    #[command(after_help = ex::DRILL)]
    Drill {
        /// A unit of the organisation (`jicha unit list`): station, county, …, department.
        #[arg(long)]
        unit: String,
        /// The period; default the business date's month.
        #[arg(long)]
        period: Option<String>,
        /// How the drill-down is written (xlsx: a sheet per table).
        #[arg(long, value_enum, default_value_t = OutFormat::Text)]
        format: OutFormat,
        #[command(flatten)]
        out: super::out::OutArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum IndicatorVerb {
    /// Add an indicator.
    #[command(after_help = ex::INDICATOR_ADD)]
    Add {
        /// 业务类别, e.g. 电费管理, 计量管理, 业扩报装.
        #[arg(long)]
        category: String,
        /// The indicator's name.
        #[arg(long)]
        name: String,
        /// main (主要指标) or process (过程指标).
        #[arg(long, value_parser = choices(Kind::ALL.iter().map(|v| v.as_str())))]
        kind: String,
        /// The unit level evaluated (station, county, city, province, department; district = county).
        #[arg(long, default_value = "station", value_parser = choices(Level::ALL.iter().map(|v| v.as_str()).chain(["district"])))]
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
        #[arg(long, value_parser = choices(Direction::ALL.iter().map(|v| v.as_str())))]
        direction: String,
        /// Where the value comes from: manual, or computed (rates are fractions: 0.9 = 90%).
        #[arg(long, default_value = "manual", value_parser = choices(Source::ALL.iter().map(|v| v.as_str())))]
        source: String,
    },
    /// Change an indicator; only the options given change.
    #[command(after_help = ex::INDICATOR_EDIT)]
    Edit {
        /// The indicator id, as `quality indicator list` shows it.
        id: i64,
        /// 业务类别.
        #[arg(long)]
        category: Option<String>,
        /// The indicator's name.
        #[arg(long)]
        name: Option<String>,
        /// main (主要指标) or process (过程指标).
        #[arg(long, value_parser = choices(Kind::ALL.iter().map(|v| v.as_str())))]
        kind: Option<String>,
        /// The unit level evaluated (station, county, city, province, department; district = county).
        #[arg(long, value_parser = choices(Level::ALL.iter().map(|v| v.as_str()).chain(["district"])))]
        level: Option<String>,
        /// 基本值: the value that earns 0 points.
        #[arg(long, allow_hyphen_values = true)]
        base: Option<f64>,
        /// 满分值: the value that earns the full score.
        #[arg(long, allow_hyphen_values = true)]
        full_mark: Option<f64>,
        /// The points the indicator is worth.
        #[arg(long)]
        full_score: Option<f64>,
        /// higher (正向) or lower (反向) is better.
        #[arg(long, value_parser = choices(Direction::ALL.iter().map(|v| v.as_str())))]
        direction: Option<String>,
        /// Where the value comes from.
        #[arg(long, value_parser = choices(Source::ALL.iter().map(|v| v.as_str())))]
        source: Option<String>,
    },
    /// Count an indicator in evaluations again.
    #[command(after_help = ex::INDICATOR_ENABLE)]
    Enable {
        /// The indicator id.
        id: i64,
    },
    /// Stop counting an indicator (its values are kept).
    #[command(after_help = ex::INDICATOR_DISABLE)]
    Disable {
        /// The indicator id.
        id: i64,
    },
    /// Every indicator with its scoring.
    #[command(after_help = ex::INDICATOR_LIST)]
    List {
        /// How the list is written.
        #[arg(long, value_enum, default_value_t = OutFormat::Text)]
        format: OutFormat,
        #[command(flatten)]
        out: super::out::OutArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum ValueVerb {
    /// Enter (or correct) a manual indicator's value for a unit and period.
    #[command(after_help = ex::VALUE)]
    Set {
        /// The indicator id.
        #[arg(long)]
        indicator: i64,
        /// A unit of the organisation (`jicha unit list`): station, county, …, department.
        #[arg(long)]
        unit: String,
        /// The period (2026-11, 2026-Q4, 2026-H2, 2026).
        #[arg(long)]
        period: String,
        /// The value (rates as fractions: 0.9 = 90%).
        #[arg(long, allow_hyphen_values = true)]
        value: f64,
    },
}

#[derive(Debug, Subcommand)]
pub enum DeductVerb {
    /// 业务评价 deduction: an audit ticket found the unit's errors.
    #[command(after_help = ex::DEDUCT_BUSINESS)]
    Business {
        /// The ticket number (JC-YYYYMMDD-NNN).
        #[arg(long)]
        ticket: String,
        /// Points deducted.
        #[arg(long)]
        points: f64,
        /// Why (kept with the entry).
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
    #[command(after_help = ex::DEDUCT_DIRECT)]
    Direct {
        /// A unit of the organisation (`jicha unit list`): station, county, …, department.
        #[arg(long)]
        unit: String,
        /// A level of `jicha quality level list` (minor, major, accident, …).
        #[arg(long)]
        level: String,
        /// Why (kept with the entry).
        #[arg(long)]
        reason: String,
        /// Default the business date.
        #[arg(long, value_parser = parse_date)]
        date: Option<chrono::NaiveDate>,
    },
}

#[derive(Debug, Subcommand)]
pub enum LevelVerb {
    /// Every direct-deduction level and its points.
    #[command(after_help = ex::LEVEL)]
    List,
    /// Admin: set a level's points (and label); new entries use them, old ones keep theirs.
    #[command(after_help = ex::LEVEL_SET)]
    Set {
        /// The level's name (minor, major, accident, or a new one).
        level: String,
        /// Points deducted at this level.
        points: f64,
        /// The level's label as people read it (e.g. 一般差错).
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
    /// Every rule of a category; external is every EXT rule.
    #[arg(long, value_parser = theme_categories())]
    pub category: Option<String>,
    /// Only findings first detected on or after this date (open when not given).
    #[arg(long, value_parser = parse_date)]
    pub from: Option<chrono::NaiveDate>,
    /// Only findings first detected on or before this date (open when not given).
    #[arg(long, value_parser = parse_date)]
    pub to: Option<chrono::NaiveDate>,
    /// Only this unit's subtree (a unit of `jicha unit list`).
    #[arg(long)]
    pub unit: Option<String>,
    /// text, csv (one row per station and month, with its parent unit) or json.
    #[arg(long, value_enum, default_value_t = OutFormat::Text)]
    pub format: OutFormat,
    #[command(flatten)]
    pub out: super::out::OutArgs,
}

/// A closed set of the quality domain as clap choices (usage error and `--help` list).
fn choices(values: impl Iterator<Item = &'static str>) -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(values.map(clap::builder::PossibleValue::new))
}

/// The rule categories `theme --category` takes.
fn theme_categories() -> clap::builder::PossibleValuesParser {
    use clap::builder::PossibleValue;
    let names = [
        "archive", "billing", "metering", "business", "service", "theft",
    ];
    clap::builder::PossibleValuesParser::new(
        names
            .into_iter()
            .map(PossibleValue::new)
            .chain([PossibleValue::new("external").alias("ext")]),
    )
}

fn parse_date(
    s: &str,
) -> std::result::Result<chrono::NaiveDate, crate::i18n::refusals_cli::CliWrong> {
    crate::dates::parse_arg_said(s)
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
                    print_evaluation(&e, a.format, s.ctx.lang)
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
        text::escape(&outcome.text(s.ctx.lang))
    );
    Ok(())
}

#[allow(clippy::too_many_lines)] // one short arm per `quality` subcommand
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
            ..
        } => {
            let p = period_or_month(s, period.as_deref())?;
            let (from, to) = p.range();
            let scope = match &unit {
                Some(u) => {
                    let h = crate::units::Hierarchy::load(&s.ds.conn)?;
                    h.resolve(u)?;
                    Some(
                        h.subtree(u)
                            .into_iter()
                            .map(str::to_string)
                            .collect::<Vec<_>>(),
                    )
                }
                None => None,
            };
            let list = quality::entries(&s.ds.conn, from, to, scope.as_deref(), all)?;
            print_entries(&list, &p, format, s.ctx.lang)
        }
        QualityVerb::Trend {
            unit,
            period,
            periods,
            format,
            ..
        } => {
            let p = period_or_month(s, period.as_deref())?;
            let points = quality::trend(&s.ds.conn, &unit, &p, periods)?;
            print_trend(&unit, &points, format, s.ctx.lang)
        }
        QualityVerb::Drill {
            unit,
            period,
            format,
            ..
        } => {
            let p = period_or_month(s, period.as_deref())?;
            let d = quality::drill(&s.ds.conn, &unit, &p)?;
            print_drill(&d, format, s.ctx.lang)
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
                level: Level::read(&level)?,
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
                    level: level.as_deref().map(Level::read).transpose()?,
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
        IndicatorVerb::List { format, .. } => indicator_list(s, format),
    }
}

/// `quality indicator list`.
fn indicator_list(s: &Session, format: OutFormat) -> Result<()> {
    let list = indicators::list(&s.ds.conn)?;
    match format {
        OutFormat::Json => return print_json(&list),
        OutFormat::Xlsx => {
            let book = crate::output::xlsx::quality_detail::indicators(s.ctx.lang, &list)?;
            return crate::output::xlsx::emit(&book.0);
        }
        OutFormat::Text | OutFormat::Md | OutFormat::Csv => {}
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

fn theme_cmd(s: &Session, a: ThemeArgs) -> Result<()> {
    let selector = match (&a.rule, &a.category) {
        (Some(r), None) => Selector::rule(&s.ds.conn, r)?,
        (None, Some(c)) => Selector::category(c)?,
        _ => {
            return Err(JichaError::invalid(
                crate::i18n::refusals_cli::CliWrong::ThemeNeedsSelector,
            ))
        }
    };
    let t = quality::theme::theme_in(&s.ds.conn, &selector, a.from, a.to, a.unit.as_deref())?;
    print_theme(&t, a.format, s.ctx.lang)
}
