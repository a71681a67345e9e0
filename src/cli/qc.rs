//! `jicha deduction standard list|set`, `deduction adjust|direct` (deductions at dispatch) and
//! `jicha qc month|sample|score|report` (稽查质检), and the deduction and accountability lines
//! of `ticket show`.

use super::format::{Format, ReportFormat};
use super::{csv_err, output, print_outcome, Session};
use crate::actions::deductions::{self as act, DeductionAction};
use crate::actions::qc::{self as qc_act, QcAction};
use crate::context::Lang;
use crate::deductions;
use crate::error::{JichaError, Result};
use crate::i18n::qc::{severity_word, QcWord as W};
use crate::output::qc as layout;
use crate::qc::{self, Month};
use crate::text;
use clap::{Subcommand, ValueEnum};
use output::{for_stdout, json_for_stdout};
use std::io::Write;

pub const DEDUCTION: &str = "Examples:
  jicha deduction standard list
  jicha deduction standard set BIL-05 high 3
  jicha deduction adjust JC-20261104-001 --points 1 --reason 'only one of the two bills was wrong'
  jicha deduction direct JC-20261104-001 --level major --reason '电价执行错误 18 个月'";

pub const QC: &str = "Examples:
  jicha qc month --month 2026-11
  jicha qc sample --month 2026-11 --seed 42
  jicha qc score JC-20261104-001 --item 2 --fail --note '原因分析未指出抄表员漏抄'
  jicha qc report --month 2026-11 --format md > qc-2026-11.md";

const STANDARD: &str = "Examples:
  jicha deduction standard list
  jicha deduction standard set category:large_industry high 5";

const ADJUST: &str = "Examples:
  jicha deduction adjust JC-20261104-001 --points 1 --reason '两条异常为同一差错'";

const DIRECT: &str = "Examples:
  jicha deduction direct JC-20261104-001 --level major --reason '电价执行错误 18 个月'";

const STANDARD_LIST: &str = "Examples:
  jicha deduction standard list
  jicha deduction standard list --format csv > standard.csv";

const STANDARD_SET: &str = "Examples:
  jicha deduction standard set BIL-05 high 3
  jicha deduction standard set '*' low 0";

const QC_MONTH: &str = "Examples:
  jicha qc month --month 2026-11
  jicha qc month --month 2026-11 --format csv";

const QC_SAMPLE: &str = "Examples:
  jicha qc sample --month 2026-11
  jicha qc sample --month 2026-11 --seed 42";

const QC_SCORE: &str = "Examples:
  jicha qc score JC-20261104-001 --item 1 --pass
  jicha qc score JC-20261104-001 --item 5 --fail --note '未写明量质期'";

const QC_REPORT: &str = "Examples:
  jicha qc report --month 2026-11
  jicha qc report --month 2026-11 --format md --out qc-2026-11.md";

/// The accountability outcome named at `ticket submit` (问责结果).
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum AccountabilityArg {
    /// 无: no one is held to account.
    None,
    /// 批评教育: criticism and education.
    Criticism,
    /// 考核: assessment (a penalty in the staff evaluation).
    Assessment,
    /// 移交纪检: referred to discipline inspection.
    Discipline,
}

impl AccountabilityArg {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountabilityArg::None => "none",
            AccountabilityArg::Criticism => "criticism",
            AccountabilityArg::Assessment => "assessment",
            AccountabilityArg::Discipline => "discipline",
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum DeductionVerb {
    /// The deduction standard (扣分标准): the points a finding costs its unit at dispatch.
    #[command(after_help = STANDARD)]
    Standard {
        #[command(subcommand)]
        verb: StandardVerb,
    },
    /// Reviewer: change a ticket's business deduction, with a reason (0: none counts).
    #[command(after_help = ADJUST)]
    Adjust {
        /// The ticket number.
        ticket: String,
        /// The points that count from now on, 0 to 100.
        #[arg(long)]
        points: f64,
        /// Why the standard's proposal is changed.
        #[arg(long)]
        reason: String,
    },
    /// Reviewer: a direct deduction (营销差错 / 责任事故) the ticket triggered, at a level.
    #[command(after_help = DIRECT)]
    Direct {
        /// The ticket number.
        ticket: String,
        /// The level (`quality level list`): minor, major, accident, …
        #[arg(long)]
        level: String,
        /// The error or accident.
        #[arg(long)]
        reason: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum StandardVerb {
    /// The standard's rows: rule rows first, then category rows, then `*`.
    #[command(after_help = STANDARD_LIST)]
    List {
        /// How the rows are written.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Admin: set a row's points (added when new).
    #[command(after_help = STANDARD_SET)]
    Set {
        /// A rule id (BIL-05), category:resident|commercial|large_industry|agriculture, or *.
        subject: String,
        /// high, medium or low.
        severity: String,
        /// Points per finding, 0 to 100 (0: no deduction).
        points: f64,
    },
}

#[derive(Debug, Subcommand)]
pub enum QcVerb {
    /// The month per unit: 稽查例日 gaps, sample and QC score, whitelist audit, one line each.
    #[command(after_help = QC_MONTH)]
    Month {
        /// The month, YYYY-MM.
        #[arg(long)]
        month: String,
        /// How the lines are written.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Reviewer: draw the month's sample of approved tickets per unit (qc_sample_ratio).
    #[command(after_help = QC_SAMPLE)]
    Sample {
        /// The month, YYYY-MM.
        #[arg(long)]
        month: String,
        /// The seed of the draw; default the month's number (YYYYMM).
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Reviewer of another unit: score a sampled ticket on a checklist item, pass or fail.
    #[command(after_help = QC_SCORE)]
    Score {
        /// The ticket number.
        ticket: String,
        /// The item, 1 to 6: 描述清晰, 分析准确, 要求明确, 时限合理, 措施明确与量质期, 落实到位.
        #[arg(long)]
        item: i64,
        /// The item passes.
        #[arg(long, conflicts_with = "fail", required_unless_present = "fail")]
        pass: bool,
        /// The item fails (needs --note).
        #[arg(long)]
        fail: bool,
        /// What was found.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// The month's QC report: gaps, samples with their scores, QC score, whitelist audit.
    #[command(after_help = QC_REPORT)]
    Report {
        /// The month, YYYY-MM.
        #[arg(long)]
        month: String,
        /// How the report is written (csv: one line per unit).
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        #[command(flatten)]
        out: crate::cli::out::OutArgs,
    },
}

pub(super) fn deduction_cmd(s: &mut Session, verb: DeductionVerb) -> Result<()> {
    let action = match verb {
        DeductionVerb::Standard {
            verb: StandardVerb::List { format },
        } => return print_standard(s, format),
        DeductionVerb::Standard {
            verb:
                StandardVerb::Set {
                    subject,
                    severity,
                    points,
                },
        } => DeductionAction::StandardSet {
            subject,
            severity,
            points,
        },
        DeductionVerb::Adjust {
            ticket,
            points,
            reason,
        } => DeductionAction::Adjust {
            ticket,
            points,
            reason,
        },
        DeductionVerb::Direct {
            ticket,
            level,
            reason,
        } => DeductionAction::Direct {
            ticket,
            level,
            reason,
        },
    };
    let outcome = act::perform(&mut s.ds, &s.ctx, &action)?;
    print_outcome(&outcome, s.ctx.lang);
    Ok(())
}

fn print_standard(s: &Session, format: Format) -> Result<()> {
    let rows = deductions::standard(&s.ds.conn)?;
    let lang = s.ctx.lang;
    let stdout = output::stdout();
    let mut out = stdout.lock();
    match format {
        Format::Json => {
            let json = serde_json::to_string_pretty(&rows).expect("serializable");
            writeln!(out, "{}", json_for_stdout(json))?;
        }
        Format::Csv | Format::Xlsx => {
            if format == Format::Xlsx {
                return Err(JichaError::Usage(
                    "--format xlsx: not for this command; use csv".into(),
                ));
            }
            output::csv_start(&mut out)?;
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(["subject", "severity", "points", "updated_at", "updated_by"])
                .map_err(csv_err)?;
            for r in &rows {
                let rec = [
                    r.subject.clone(),
                    r.severity.clone(),
                    r.points.to_string(),
                    r.updated_at.clone().unwrap_or_default(),
                    r.updated_by.clone().unwrap_or_default(),
                ];
                w.write_record(rec.iter().map(|c| for_stdout(c).into_owned()))
                    .map_err(csv_err)?;
            }
            w.flush()?;
        }
        Format::Table => {
            let mut t = format!(
                "{}  {}  {}\n",
                crate::output::table::pad(W::Subject.text(lang), 24),
                crate::output::table::pad(W::Severity.text(lang), 8),
                W::Points.text(lang)
            );
            for r in &rows {
                t.push_str(&format!(
                    "{}  {}  {}\n",
                    crate::output::table::pad(&r.subject, 24),
                    crate::output::table::pad(severity_word(lang, &r.severity), 8),
                    r.points
                ));
            }
            write!(out, "{}", text::escape(&t).replace('␊', "\n"))?;
        }
    }
    Ok(())
}

pub(super) fn qc_cmd(s: &mut Session, verb: QcVerb) -> Result<()> {
    let action = match verb {
        QcVerb::Month { month, format } => {
            let m = Month::parse(&month)?;
            let r = qc::month_report(&s.ds.conn, &m, s.ctx.today)?;
            return print_month(s.ctx.lang, &r, format);
        }
        QcVerb::Report { month, format, .. } => {
            let m = Month::parse(&month)?;
            let r = qc::month_report(&s.ds.conn, &m, s.ctx.today)?;
            return print_report(s.ctx.lang, &r, format);
        }
        QcVerb::Sample { month, seed } => QcAction::Sample { month, seed },
        QcVerb::Score {
            ticket,
            item,
            pass,
            note,
            ..
        } => QcAction::Score {
            ticket,
            item,
            passed: pass,
            note,
        },
    };
    let outcome = qc_act::perform(&mut s.ds, &s.ctx, &action)?;
    print_outcome(&outcome, s.ctx.lang);
    Ok(())
}

fn write_csv(r: &qc::MonthReport) -> Result<()> {
    let stdout = output::stdout();
    let mut out = stdout.lock();
    output::csv_start(&mut out)?;
    let mut w = csv::Writer::from_writer(&mut out);
    w.write_record(layout::CSV_HEADER).map_err(csv_err)?;
    for u in &r.units {
        w.write_record(
            layout::csv_row(u)
                .iter()
                .map(|c| for_stdout(c).into_owned()),
        )
        .map_err(csv_err)?;
    }
    w.flush()?;
    Ok(())
}

fn write_json(r: &qc::MonthReport) -> Result<()> {
    let json = serde_json::to_string_pretty(r).expect("serializable");
    writeln!(output::stdout(), "{}", json_for_stdout(json))?;
    Ok(())
}

fn print_month(lang: Lang, r: &qc::MonthReport, format: Format) -> Result<()> {
    match format {
        Format::Json => write_json(r),
        Format::Csv => write_csv(r),
        Format::Xlsx => Err(JichaError::Usage(
            "--format xlsx: not for this command; use csv".into(),
        )),
        Format::Table => {
            let heads: Vec<String> = [
                W::Unit.text(lang),
                W::Gaps.text(lang).split(' ').next().unwrap_or(""),
                W::NoScan.text(lang),
                W::NoTriage.text(lang),
                W::Ticket.text(lang),
                W::Items.text(lang),
                W::Pass.text(lang),
                W::Score.text(lang),
                W::Whitelist.text(lang).split(' ').next().unwrap_or(""),
                W::Long.text(lang),
                W::Renewals.text(lang),
                W::Worse.text(lang).split(' ').next().unwrap_or(""),
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            let mut t = format!(
                "{} {}\n{}\n",
                W::Title.text(lang),
                r.month,
                heads.join("  ")
            );
            for u in &r.units {
                let mut cells = layout::csv_row(u);
                cells[0] = format!("{}{}", "  ".repeat(u.depth), u.unit);
                cells[7] = crate::output::table::pct(u.score);
                t.push_str(&format!("{}\n", cells.join("  ")));
            }
            write!(output::stdout(), "{}", text::escape(&t).replace('␊', "\n"))?;
            Ok(())
        }
    }
}

fn print_report(lang: Lang, r: &qc::MonthReport, format: ReportFormat) -> Result<()> {
    match format {
        ReportFormat::Json => write_json(r),
        ReportFormat::Csv => write_csv(r),
        ReportFormat::Xlsx => Err(JichaError::Usage(
            "--format xlsx: not for this command; use csv".into(),
        )),
        ReportFormat::Text | ReportFormat::Md => {
            let t = layout::text(lang, r, format == ReportFormat::Md);
            write!(output::stdout(), "{}", text::escape(&t).replace('␊', "\n"))?;
            Ok(())
        }
    }
}

/// The deduction and accountability lines of `ticket show` (unescaped: the caller escapes).
pub(super) fn ticket_lines(s: &Session, ticket_id: i64) -> Result<String> {
    let lang = s.ctx.lang;
    let mut out = String::new();
    let list = deductions::of_ticket(&s.ds.conn, ticket_id)?;
    if !list.is_empty() {
        out.push_str(&format!("{}\n", W::Deductions.text(lang)));
    }
    for d in &list {
        out.push_str(&format!("  {}\n", layout::deduction_line(lang, d)));
    }
    if let Some(a) = deductions::accountability(&s.ds.conn, ticket_id)? {
        out.push_str(&format!("  {}\n", layout::accountability_line(lang, &a)));
    }
    Ok(out)
}
