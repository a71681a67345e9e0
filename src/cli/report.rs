//! `jicha report`: the report of workflow.md over a date range.

use super::args::*;
use super::{output, Session};
use crate::error::Result;
use output::{for_stdout, json_for_stdout};
use std::io::Write;

pub(super) fn report_cmd(
    s: &Session,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    unit: Option<&str>,
    format: ReportFormat,
) -> Result<()> {
    let r = crate::reports::compute_for(&s.ds.conn, from, to, unit)?;
    let stdout = output::stdout();
    let mut out = stdout.lock();
    match format {
        ReportFormat::Json => writeln!(
            out,
            "{}",
            json_for_stdout(serde_json::to_string_pretty(&r).expect("serializable"))
        )?,
        ReportFormat::Xlsx => {
            crate::output::xlsx::emit(&crate::output::xlsx::report::workbook(s.ctx.lang, &r)?.0)?
        }
        ReportFormat::Csv => {
            output::csv_start(&mut out)?;
            let mut buf = Vec::new();
            crate::output::report::write_csv(&r, &mut buf)?;
            out.write_all(
                for_stdout(&String::from_utf8_lossy(&buf))
                    .replace('␊', "\n")
                    .as_bytes(),
            )?;
        }
        ReportFormat::Text | ReportFormat::Md => {
            let text =
                crate::output::report::render_text(&r, format == ReportFormat::Md, s.ctx.lang);
            out.write_all(for_stdout(&text).replace('␊', "\n").as_bytes())?;
        }
    }
    Ok(())
}
