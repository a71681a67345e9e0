//! `--out FILE` and `--bom` of the listing commands: where their output goes and whether CSV
//! starts with a byte-order mark.

use super::args::{Command, OperatorVerb, ThresholdsVerb, TicketVerb, WhitelistVerb};
use super::format::{Format, ReportFormat};
use crate::error::Result;
use crate::output::stream::{self, OutFile};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args, Clone, Default)]
pub struct OutArgs {
    /// Write to FILE instead of standard output; FILE is replaced only once the output is
    /// complete. Needed for --format xlsx on a terminal.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// CSV starts with a UTF-8 byte-order mark, so Excel on a Chinese Windows desk reads it as
    /// UTF-8. Default: on with --out (not with --raw), off to a pipe; --bom=false turns it off.
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true,
          default_missing_value = "true")]
    pub bom: Option<bool>,
}

/// The `--out`/`--bom` of a command that has them, and whether it is to write a workbook.
fn out_args(command: &Command) -> Option<(&OutArgs, bool)> {
    use super::quality::{IndicatorVerb, QualityVerb};
    let xlsx = |f: &Format| *f == Format::Xlsx;
    let report_xlsx = |f: &ReportFormat| *f == ReportFormat::Xlsx;
    match command {
        Command::Findings(a) => Some((&a.out, xlsx(&a.format))),
        Command::Report { out, format, .. } => Some((out, report_xlsx(format))),
        Command::Whitelist {
            verb: WhitelistVerb::List { out, format, .. },
        }
        | Command::Ticket {
            verb: TicketVerb::List { out, format, .. },
        }
        | Command::Import { out, format, .. }
        | Command::Scan { out, format, .. }
        | Command::Log { out, format, .. }
        | Command::Thresholds {
            verb: ThresholdsVerb::Show { out, format },
        }
        | Command::Operator {
            verb: OperatorVerb::List { out, format },
        } => Some((out, xlsx(format))),
        Command::Quality(a) => match &a.verb {
            None => Some((&a.out, report_xlsx(&a.format))),
            Some(
                QualityVerb::Entries { out, format, .. }
                | QualityVerb::Trend { out, format, .. }
                | QualityVerb::Drill { out, format, .. }
                | QualityVerb::Indicator {
                    verb: IndicatorVerb::List { out, format },
                },
            ) => Some((out, report_xlsx(format))),
            Some(_) => None,
        },
        Command::Theme(a) => Some((&a.out, report_xlsx(&a.format))),
        Command::Escalation {
            verb: super::escalation::EscalationVerb::List { out, format, .. },
        } => Some((out, xlsx(format))),
        Command::Campaign {
            verb: super::campaigns::CampaignVerb::Report { out, format, .. },
        } => Some((out, report_xlsx(format))),
        Command::Qc {
            verb: super::qc::QcVerb::Report { out, format, .. },
        } => Some((out, report_xlsx(format))),
        _ => None,
    }
}

/// Before the command runs: the BOM setting, and the `--out` file the output goes to. A
/// workbook headed for a terminal is refused here, before a scan or an import is done whose
/// summary could then not be shown.
pub fn begin(command: &Command) -> Result<Option<OutFile>> {
    let args = out_args(command);
    stream::set_bom(args.and_then(|(a, _)| a.bom));
    let file = match args.and_then(|(a, _)| a.out.as_deref()) {
        Some(path) => Some(OutFile::open(path)?),
        None => None,
    };
    if args.is_some_and(|(_, xlsx)| xlsx) {
        crate::output::xlsx::refuse_terminal()?;
    }
    Ok(file)
}

/// After it ran: a complete output moved into place; after a failure, FILE as it was.
pub fn end(file: Option<OutFile>, result: Result<()>) -> Result<()> {
    result?;
    match file {
        Some(f) => f.finish(),
        None => Ok(()),
    }
}
