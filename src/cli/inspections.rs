//! `jicha inspection create|list|show|record|cancel`: on-site inspections (现场稽查).

use super::{csv_err, output, print_outcome, Session};
use crate::actions::inspections::{self as act, FindingResult};
use crate::error::{JichaError, Result};
use crate::i18n::inspections::InspectionWrong;
use crate::inspections::{self, Determination, Filter, InspState, Method, Verdict};
use crate::output::inspection as layout;
use crate::text;
use clap::{builder::PossibleValuesParser, Subcommand, ValueEnum};
use output::{for_stdout, json_for_stdout};
use std::io::Write;
use std::path::PathBuf;

pub const INSPECTION: &str = "Examples:
  jicha inspection create --findings 12,13 --planned 2026-12-05 --inspectors 张工,李工
  jicha inspection list --overdue
  jicha inspection record XC-20261201-001 --visit 2026-12-05 --finding 12 --outcome true \\
      --determination theft --back-kwh 1200 --back-yuan 780 --penalty-yuan 2340 \\
      --account \"表计接线被改动\" --attach photo1.jpg";

pub const INSPECTION_CREATE: &str = "Examples:
  jicha inspection create --findings 12,13 --planned 2026-12-05 --inspectors 张工,李工
  jicha inspection create --ticket JC-20261201-001 --method records --inspectors 王工";

pub const INSPECTION_LIST: &str = "Examples:
  jicha inspection list
  jicha inspection list --overdue --format csv";

pub const INSPECTION_SHOW: &str = "Examples:
  jicha inspection show XC-20261201-001
  jicha inspection show XC-20261201-001 --format json";

pub const INSPECTION_RECORD: &str = "Examples:
  jicha inspection record XC-20261201-001 --visit 2026-12-05 --outcome false --account \"现场核实无异常\"
  jicha inspection record XC-20261201-001 --visit 2026-12-05 \\
      --finding 12 --outcome true --determination theft --back-kwh 1200 --back-yuan 780 --penalty-yuan 2340 \\
      --finding 13 --outcome false --determination none --back-kwh 0 --back-yuan 0 --penalty-yuan 0 \\
      --account \"12 号表计接线被改动；13 号属正常\" --attach form.pdf --attach photo1.jpg";

pub const INSPECTION_CANCEL: &str = "Examples:
  jicha inspection cancel XC-20261201-001 --reason \"客户已销户\"";

/// How an inspection list is written.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Csv,
    Json,
}

/// How one inspection is written.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ShowFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum InspectionVerb {
    /// Plan an on-site inspection of findings, or of a ticket's findings.
    #[command(after_help = INSPECTION_CREATE)]
    Create {
        /// Finding ids, comma-separated (default with --ticket: every finding of the ticket).
        #[arg(long, value_delimiter = ',', value_name = "ID,ID…")]
        findings: Vec<i64>,
        /// The ticket that asks for the visit (JC-…).
        #[arg(long, value_name = "NUMBER")]
        ticket: Option<String>,
        /// How the check is made: onsite (现场), phone (电话), records (资料核查).
        #[arg(long, default_value = "onsite",
              value_parser = PossibleValuesParser::new(["onsite", "phone", "records"]))]
        method: String,
        /// The planned date; default today.
        #[arg(long, value_parser = super::args::parse_date_arg, value_name = "DATE")]
        planned: Option<chrono::NaiveDate>,
        /// Who goes, comma-separated.
        #[arg(
            long,
            required = true,
            value_delimiter = ',',
            value_name = "NAME,NAME…"
        )]
        inspectors: Vec<String>,
        /// The campaign (专项稽查) it belongs to, by id.
        #[arg(long, value_name = "ID")]
        campaign: Option<String>,
    },
    /// List inspections, oldest planned first.
    #[command(after_help = INSPECTION_LIST)]
    List {
        /// Only inspections in this state.
        #[arg(long, value_parser = PossibleValuesParser::new(["planned", "recorded", "cancelled"]))]
        state: Option<String>,
        /// Only the overdue ones: planned before today and not recorded.
        #[arg(long)]
        overdue: bool,
        /// Only the inspections of this ticket.
        #[arg(long, value_name = "NUMBER")]
        ticket: Option<String>,
        /// How the list is written.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// One inspection: its findings with their outcomes, the account, the attachments.
    #[command(after_help = INSPECTION_SHOW)]
    Show {
        /// The inspection number (XC-YYYYMMDD-NNN).
        number: String,
        /// How the inspection is written.
        #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
    },
    /// Record the result (现场处理单): the findings' outcomes drive them.
    #[command(after_help = INSPECTION_RECORD)]
    Record {
        /// The inspection number.
        number: String,
        /// The date of the visit; default today.
        #[arg(long, value_parser = super::args::parse_date_arg, value_name = "DATE")]
        visit: Option<chrono::NaiveDate>,
        /// A finding of the inspection (repeat; default: every finding of it). --outcome,
        /// --determination and the amounts are given once (for every finding) or once per
        /// --finding, in the same order.
        #[arg(long, value_name = "ID")]
        finding: Vec<i64>,
        /// true (属实), false (不属实: closes the finding as false_positive), partly (部分属实).
        #[arg(long, required = true,
              value_parser = PossibleValuesParser::new(["true", "false", "partly"]))]
        outcome: Vec<String>,
        /// none, violation (违约用电), theft (窃电); default none.
        #[arg(long, value_parser = PossibleValuesParser::new(["none", "violation", "theft"]))]
        determination: Vec<String>,
        /// 追补电量, kWh.
        #[arg(long, value_name = "KWH", allow_negative_numbers = true)]
        back_kwh: Vec<f64>,
        /// 追补电费, yuan.
        #[arg(long, value_name = "YUAN", allow_negative_numbers = true)]
        back_yuan: Vec<f64>,
        /// 违约使用电费, yuan.
        #[arg(long, value_name = "YUAN", allow_negative_numbers = true)]
        penalty_yuan: Vec<f64>,
        /// The written account of the visit (现场处理情况).
        #[arg(long, required = true)]
        account: String,
        /// A photo or scanned form to keep with it (repeat).
        #[arg(long, value_name = "FILE")]
        attach: Vec<PathBuf>,
    },
    /// Cancel a planned inspection.
    #[command(after_help = INSPECTION_CANCEL)]
    Cancel {
        /// The inspection number.
        number: String,
        /// Why (kept in the log).
        #[arg(long, required = true)]
        reason: String,
    },
}

pub(super) fn inspection_cmd(s: &mut Session, verb: InspectionVerb) -> Result<()> {
    let outcome = match verb {
        InspectionVerb::Create {
            findings,
            ticket,
            method,
            planned,
            inspectors,
            campaign,
        } => act::create_for(
            &mut s.ds,
            &s.ctx,
            &findings,
            Method::parse(&method)?,
            planned.unwrap_or(s.ctx.today),
            inspectors,
            campaign,
            ticket,
        )?,
        InspectionVerb::List {
            state,
            overdue,
            ticket,
            format,
        } => {
            let filter = Filter {
                state: state.as_deref().map(InspState::parse).transpose()?,
                overdue,
                ticket,
            };
            let list = inspections::list(&s.ds.conn, &filter, s.ctx.today)?;
            return print_list(s, &list, format);
        }
        InspectionVerb::Show { number, format } => return show(s, &number, format),
        InspectionVerb::Record {
            number,
            visit,
            finding,
            outcome,
            determination,
            back_kwh,
            back_yuan,
            penalty_yuan,
            account,
            attach,
        } => {
            let i = inspections::get(&s.ds.conn, &number, s.ctx.today)?;
            let ids = if finding.is_empty() {
                inspections::checked(&s.ds.conn, i.id)?
                    .iter()
                    .map(|c| c.finding)
                    .collect()
            } else {
                finding
            };
            let form = Form {
                outcome,
                determination,
                back_kwh,
                back_yuan,
                penalty_yuan,
            };
            let results = form.results(&ids)?;
            act::record(
                &mut s.ds,
                &s.ctx,
                &number,
                visit.unwrap_or(s.ctx.today),
                results,
                &account,
                &attach,
                &[],
            )?
        }
        InspectionVerb::Cancel { number, reason } => {
            act::cancel(&mut s.ds, &s.ctx, &number, &reason, &[])?
        }
    };
    print_outcome(&outcome, s.ctx.lang);
    Ok(())
}

/// The repeated flags of `record`, each given once (for every finding) or once per finding.
struct Form {
    outcome: Vec<String>,
    determination: Vec<String>,
    back_kwh: Vec<f64>,
    back_yuan: Vec<f64>,
    penalty_yuan: Vec<f64>,
}

/// The `i`th of `values` given for `n` findings: the one value, or the `i`th; None when the
/// flag was not given.
fn nth<T: Clone>(flag: &str, values: &[T], n: usize, i: usize) -> Result<Option<T>> {
    match values.len() {
        0 => Ok(None),
        1 => Ok(Some(values[0].clone())),
        k if k == n => Ok(Some(values[i].clone())),
        k => Err(JichaError::invalid(InspectionWrong::CountMismatch {
            flag: flag.to_string(),
            given: k,
            findings: n,
        })),
    }
}

impl Form {
    fn results(&self, ids: &[i64]) -> Result<Vec<FindingResult>> {
        let n = ids.len();
        ids.iter()
            .enumerate()
            .map(|(i, &finding)| {
                let outcome = nth("--outcome", &self.outcome, n, i)?.unwrap_or_default();
                let determination = nth("--determination", &self.determination, n, i)?;
                Ok(FindingResult {
                    finding,
                    outcome: Verdict::parse(&outcome)?,
                    determination: match determination {
                        Some(d) => Determination::parse(&d)?,
                        None => Determination::None,
                    },
                    back_kwh: nth("--back-kwh", &self.back_kwh, n, i)?,
                    back_yuan: nth("--back-yuan", &self.back_yuan, n, i)?,
                    penalty_yuan: nth("--penalty-yuan", &self.penalty_yuan, n, i)?,
                })
            })
            .collect()
    }
}

fn print_list(s: &Session, list: &[inspections::Inspection], format: ListFormat) -> Result<()> {
    let lang = s.ctx.lang;
    let stdout = output::stdout();
    let mut out = stdout.lock();
    match format {
        ListFormat::Json => {
            let json = serde_json::to_string_pretty(list).expect("serializable");
            writeln!(out, "{}", json_for_stdout(json))?;
        }
        ListFormat::Csv => {
            output::csv_start(&mut out)?;
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(layout::CSV_HEADERS).map_err(csv_err)?;
            for i in list {
                let rec = layout::csv_row(i);
                w.write_record(rec.iter().map(|c| for_stdout(c).into_owned()))
                    .map_err(csv_err)?;
            }
            w.flush()?;
        }
        ListFormat::Table => {
            let table = layout::table(lang, list);
            write!(out, "{}", text::escape(&table).replace('␊', "\n"))?;
        }
    }
    Ok(())
}

fn show(s: &Session, number: &str, format: ShowFormat) -> Result<()> {
    let i = inspections::get(&s.ds.conn, number, s.ctx.today)?;
    let checked = inspections::checked(&s.ds.conn, i.id)?;
    let files = inspections::attachments(&s.ds.conn, i.id)?;
    let mut out = output::stdout();
    match format {
        ShowFormat::Json => {
            let mut v = serde_json::to_value(&i).expect("serializable");
            v["checked"] = serde_json::to_value(&checked).expect("serializable");
            v["attachments"] = serde_json::to_value(&files).expect("serializable");
            let store: Vec<String> = files
                .iter()
                .map(|a| {
                    inspections::store::path_of(&s.ds.path, &a.sha256)
                        .display()
                        .to_string()
                })
                .collect();
            v["attachment_paths"] = serde_json::to_value(store).expect("serializable");
            let json = serde_json::to_string_pretty(&v).expect("serializable");
            writeln!(out, "{}", json_for_stdout(json))?;
        }
        ShowFormat::Text => {
            let page = layout::page(s.ctx.lang, &i, &checked, &files);
            write!(out, "{}", text::escape(&page).replace('␊', "\n"))?;
        }
    }
    Ok(())
}
