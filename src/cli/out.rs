//! `--out FILE` and `--bom` of the listing commands: where their output goes and whether CSV
//! starts with a byte-order mark.

use super::args::{Command, OperatorVerb, ThresholdsVerb, TicketVerb, WhitelistVerb};
use super::format::Format;
use crate::error::JichaError;
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

/// The `--out`/`--bom` of a command that has them.
fn out_args(command: &Command) -> Option<&OutArgs> {
    match command {
        Command::Findings(a) => Some(&a.out),
        Command::Report { out, .. } => Some(out),
        Command::Whitelist {
            verb: WhitelistVerb::List { out, .. },
        } => Some(out),
        Command::Ticket {
            verb: TicketVerb::List { out, .. },
        } => Some(out),
        Command::Quality(a) => Some(&a.out),
        Command::Theme(a) => Some(&a.out),
        _ => None,
    }
}

/// Before the command runs: the BOM setting, and the `--out` file the output goes to.
pub fn begin(command: &Command) -> Result<Option<OutFile>> {
    if xlsx_not_offered(command) {
        return Err(JichaError::Usage(
            "--format xlsx: a workbook is written for findings, whitelist list, ticket list, \
             report, quality and theme; use csv or json here"
                .into(),
        ));
    }
    let args = out_args(command);
    stream::set_bom(args.and_then(|a| a.bom));
    match args.and_then(|a| a.out.as_deref()) {
        Some(path) => Ok(Some(OutFile::open(path)?)),
        None => Ok(None),
    }
}

/// `--format xlsx` on a summary or record list that has no workbook: refused before the
/// command runs (a scan or an import would otherwise be done before the format is refused).
fn xlsx_not_offered(command: &Command) -> bool {
    matches!(
        command,
        Command::Scan {
            format: Format::Xlsx,
            ..
        } | Command::Import {
            format: Format::Xlsx,
            ..
        } | Command::Log {
            format: Format::Xlsx,
            ..
        } | Command::Thresholds {
            verb: ThresholdsVerb::Show {
                format: Format::Xlsx
            }
        } | Command::Operator {
            verb: OperatorVerb::List {
                format: Format::Xlsx
            }
        }
    )
}

/// After it ran: a complete output moved into place; after a failure, FILE as it was.
pub fn end(file: Option<OutFile>, result: Result<()>) -> Result<()> {
    result?;
    match file {
        Some(f) => f.finish(),
        None => Ok(()),
    }
}
