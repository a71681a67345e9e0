//! `jicha log`: the action log, `log verify` and `log reanchor`.

use super::args::*;
use super::{output, Session};
use crate::error::{JichaError, Result};
use crate::{actionlog, text};
use output::Table;
use std::io::Write;

pub(super) fn log_cmd(s: &mut Session, limit: i64, verb: Option<LogVerb>) -> Result<()> {
    match verb {
        Some(LogVerb::Verify { witness }) => {
            let mut report = actionlog::audit(&s.ds.path, &s.ds.conn, witness.as_deref())?;
            // The state against the log (src/ledger): checked even when the chain is broken, so
            // that every difference is named at once.
            let state = crate::ledger::verify(&s.ds.conn)?;
            report
                .notes
                .extend(state.notes.iter().map(|n| format!("state: {n}")));
            report
                .problems
                .extend(state.problems.iter().map(|p| format!("state: {p}")));
            for note in &report.notes {
                writeln!(output::stdout(), "{}", text::escape(note))?;
            }
            if report.problems.is_empty() {
                writeln!(
                    output::stdout(),
                    "action log verified: {} records, chain intact, anchor file agrees{}; latest hash {}",
                    report.records,
                    if witness.is_some() { ", every record witnessed" } else { "" },
                    report.last_hash
                )?;
                writeln!(
                    output::stdout(),
                    "state verified: {} audited rows agree with the state ledger, {} source tables with their sealed digests",
                    state.rows_checked, state.sources_checked
                )?;
                return Ok(());
            }
            Err(JichaError::Dataset(format!(
                "action log NOT verified ({} records read), {} problem(s):\n  - {}",
                report.records,
                report.problems.len(),
                report.problems.join("\n  - ")
            )))
        }
        Some(LogVerb::Reanchor { reason }) => {
            let seq = actionlog::anchor::reanchor(&mut s.ds, &s.ctx, &reason)?;
            writeln!(
                output::stdout(),
                "the log anchor was re-established at record {seq} (a log.reanchor record); `jicha log verify` now vouches for the log from there on, the witness for before"
            )?;
            Ok(())
        }
        None => {
            let stdout = output::stdout();
            let mut t = Table::new(
                stdout.lock(),
                &[
                    ("seq", 6),
                    ("at_utc", 24),
                    ("date", 10),
                    ("operator", 12),
                    ("action", 18),
                    ("target", 16),
                    ("details", 80),
                ],
            )?;
            for r in actionlog::recent(&s.ds.conn, limit)? {
                t.row(&[
                    &r.seq.to_string(),
                    &r.at_utc,
                    &r.business_date,
                    &r.operator,
                    &r.action,
                    &r.target,
                    &r.details,
                ])?;
            }
            Ok(())
        }
    }
}
