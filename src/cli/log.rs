//! `jicha log`: the action log (a table, or every field of each record as CSV or JSON for
//! external auditors), `log verify` and `log reanchor`.

use super::args::*;
use super::format::{col, write_records};
use super::{output, Session};
use crate::error::{JichaError, Result};
use crate::i18n::cli::{say, Col, Msg};
use crate::{actionlog, text};
use serde_json::json;
use std::io::Write;

/// `limit` < 0: every record.
pub(super) fn log_cmd(
    s: &mut Session,
    limit: i64,
    format: Format,
    verb: Option<LogVerb>,
) -> Result<()> {
    match verb {
        Some(LogVerb::Verify { witness }) => verify(s, witness.as_deref()),
        Some(LogVerb::Reanchor { reason }) => {
            let seq = actionlog::anchor::reanchor(&mut s.ds, &s.ctx, &reason)?;
            let line = say(s.ctx.lang, Msg::Reanchored, &[("seq", &seq)]);
            writeln!(output::stdout(), "{line}")?;
            Ok(())
        }
        None => list(s, limit, format),
    }
}

fn list(s: &Session, limit: i64, format: Format) -> Result<()> {
    let records = actionlog::recent(&s.ds.conn, limit)?;
    if format == Format::Xlsx {
        let book = crate::output::xlsx::records::log(s.ctx.lang, &records)?;
        return crate::output::xlsx::emit(&book.0);
    }
    if format == Format::Table {
        let columns = [
            col("seq", Col::Seq, 6),
            col("at_utc", Col::AtUtc, 24),
            col("business_date", Col::Date, 10),
            col("operator", Col::Operator, 12),
            col("action", Col::Action, 18),
            col("target", Col::Target, 16),
            col("details", Col::Details, 80),
        ];
        let rows: Vec<Vec<serde_json::Value>> = records
            .iter()
            .map(|r| {
                vec![
                    json!(r.seq.to_string()),
                    json!(r.at_utc),
                    json!(r.business_date),
                    json!(r.operator),
                    json!(r.action),
                    json!(r.target),
                    json!(r.details),
                ]
            })
            .collect();
        return write_records(format, s.ctx.lang, &columns, &rows);
    }
    // Every field of the record, exactly as stored and hashed, so an auditor can recompute
    // the chain: `details` is the stored JSON text, not re-serialised.
    let columns = [
        col("seq", Col::Seq, 0),
        col("at_utc", Col::AtUtc, 0),
        col("business_date", Col::Date, 0),
        col("operator", Col::Operator, 0),
        col("action", Col::Action, 0),
        col("target", Col::Target, 0),
        col("details", Col::Details, 0),
        col("prev_hash", Col::Details, 0),
        col("hash", Col::Details, 0),
    ];
    let rows: Vec<Vec<serde_json::Value>> = records
        .iter()
        .map(|r| {
            vec![
                json!(r.seq),
                json!(r.at_utc),
                json!(r.business_date),
                json!(r.operator),
                json!(r.action),
                json!(r.target),
                json!(r.details),
                json!(r.prev_hash),
                json!(r.hash),
            ]
        })
        .collect();
    write_records(format, s.ctx.lang, &columns, &rows)
}

fn verify(s: &mut Session, witness: Option<&std::path::Path>) -> Result<()> {
    let lang = s.ctx.lang;
    let mut report = actionlog::audit(&s.ds.path, &s.ds.conn, witness)?;
    // The state against the log (src/ledger): checked even when the chain is broken, so
    // that every difference is named at once.
    let state = crate::ledger::verify(&s.ds.conn)?;
    report.add_state(&state);
    for note in &report.notes {
        writeln!(output::stdout(), "{}", text::escape(&note.text(lang)))?;
    }
    if report.problems.is_empty() {
        let witnessed = match witness {
            Some(_) => Msg::EveryRecordWitnessed.text(lang),
            None => "",
        };
        let verified = say(
            lang,
            Msg::LogVerified,
            &[
                ("n", &report.records),
                ("witnessed", &witnessed),
                ("hash", &report.last_hash),
            ],
        );
        writeln!(output::stdout(), "{verified}")?;
        let state_line = say(
            lang,
            Msg::StateVerified,
            &[
                ("rows", &state.rows_checked),
                ("sources", &state.sources_checked),
            ],
        );
        writeln!(output::stdout(), "{state_line}")?;
        return Ok(());
    }
    let head = say(
        lang,
        Msg::LogNotVerified,
        &[("n", &report.records), ("count", &report.problems.len())],
    );
    let problems: Vec<String> = report.problems.iter().map(|p| p.text(lang)).collect();
    Err(JichaError::Dataset(format!(
        "{head}\n  - {}",
        problems.join("\n  - ")
    )))
}
