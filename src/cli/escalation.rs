//! `jicha escalation run|list|show`: the 稽查工作督办单 (escalation notices).

use super::format::Format;
use super::{csv_err, output, print_outcome, Session};
use crate::actions::escalation::{self as run_action, Trigger};
use crate::error::Result;
use crate::escalation::{self, Escalation};
use crate::i18n::escalation::{say, EscWord as W};
use crate::output::escalation as layout;
use crate::output::table::pad;
use crate::text;
use clap::{Subcommand, ValueEnum};
use output::{for_stdout, json_for_stdout};
use std::io::Write;

pub const ESCALATION: &str = "Examples:
  jicha escalation run
  jicha escalation list --open
  jicha escalation show DB-20261204-001 --format md";

pub const ESCALATION_RUN: &str = "Examples:
  jicha --db audit.jicha escalation run
  jicha --db audit.jicha --today 2026-12-04 escalation run";

pub const ESCALATION_LIST: &str = "Examples:
  jicha escalation list --open
  jicha escalation list --format xlsx --out escalations.xlsx";

pub const ESCALATION_SHOW: &str = "Examples:
  jicha escalation show DB-20261204-001
  jicha escalation show DB-20261204-001 --format md > notice.md";

/// How a notice is printed.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum NoticeFormat {
    /// Aligned text for reading.
    Text,
    /// Markdown, for mail and wikis.
    Md,
}

#[derive(Debug, Subcommand)]
pub enum EscalationVerb {
    /// Issue the day's notices and close those no longer needed (audit centre; for cron).
    #[command(after_help = ESCALATION_RUN)]
    Run,
    /// List the notices, oldest first.
    #[command(after_help = ESCALATION_LIST)]
    List {
        /// Only the open notices (at most one per unit).
        #[arg(long)]
        open: bool,
        /// How the list is written.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[command(flatten)]
        out: crate::cli::out::OutArgs,
    },
    /// One notice, printable: addressee, dates, its overdue tickets, signature lines.
    #[command(after_help = ESCALATION_SHOW)]
    Show {
        /// The notice number (DB-YYYYMMDD-NNN).
        number: String,
        /// How the notice is written.
        #[arg(long, value_enum, default_value_t = NoticeFormat::Text)]
        format: NoticeFormat,
    },
}

pub(super) fn escalation_cmd(s: &mut Session, verb: EscalationVerb) -> Result<()> {
    match verb {
        EscalationVerb::Run => {
            let outcome = run_action::run(&mut s.ds, &s.ctx, Trigger::Command)?;
            print_outcome(&outcome, s.ctx.lang);
            Ok(())
        }
        EscalationVerb::List { open, format, .. } => {
            let list = escalation::list(&s.ds.conn, open)?;
            print_list(s, &list, format)
        }
        EscalationVerb::Show { number, format } => {
            let e = escalation::get(&s.ds.conn, number.trim())?;
            let tickets = escalation::listed(&s.ds.conn, e.id)?;
            let page = layout::notice(s.ctx.lang, &e, &tickets, format == NoticeFormat::Md);
            write!(
                output::stdout(),
                "{}",
                text::escape(&page).replace('␊', "\n")
            )?;
            Ok(())
        }
    }
}

fn print_list(s: &Session, list: &[Escalation], format: Format) -> Result<()> {
    let lang = s.ctx.lang;
    let stdout = output::stdout();
    let mut out = stdout.lock();
    match format {
        Format::Json => {
            let rows = list
                .iter()
                .map(|e| {
                    let tickets = escalation::listed(&s.ds.conn, e.id)?;
                    let mut v = serde_json::to_value(e).expect("serializable");
                    v["listed"] = serde_json::to_value(tickets).expect("serializable");
                    Ok(v)
                })
                .collect::<Result<Vec<_>>>()?;
            let json = serde_json::to_string_pretty(&rows).expect("serializable");
            writeln!(out, "{}", json_for_stdout(json))?;
        }
        Format::Xlsx => {
            let rows = list
                .iter()
                .map(|e| Ok((e.clone(), escalation::listed(&s.ds.conn, e.id)?)))
                .collect::<Result<Vec<_>>>()?;
            crate::output::xlsx::emit(&crate::output::xlsx::escalation::notices(lang, &rows)?.0)?
        }
        Format::Csv => {
            output::csv_start(&mut out)?;
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "number",
                "unit",
                "head",
                "issued_on",
                "issued_by",
                "round",
                "tickets",
                "closed_on",
                "closed_reason",
                "superseded_by",
            ])
            .map_err(csv_err)?;
            for e in list {
                let rec = [
                    e.number.clone(),
                    e.unit.clone(),
                    e.head.clone().unwrap_or_default(),
                    e.issued_on.clone(),
                    e.issued_by.clone(),
                    e.round.to_string(),
                    e.tickets.to_string(),
                    e.closed_on.clone().unwrap_or_default(),
                    e.closed_reason
                        .map(|c| c.as_str().to_string())
                        .unwrap_or_default(),
                    e.superseded_by.clone().unwrap_or_default(),
                ];
                w.write_record(rec.iter().map(|c| for_stdout(c).into_owned()))
                    .map_err(csv_err)?;
            }
            w.flush()?;
        }
        Format::Table => {
            let table = table_text(lang, list);
            write!(out, "{}", text::escape(&table).replace('␊', "\n"))?;
        }
    }
    Ok(())
}

/// The list as aligned columns, headers in the interface language.
fn table_text(lang: crate::context::Lang, list: &[Escalation]) -> String {
    let heads = [
        W::Number.text(lang),
        W::Unit.text(lang),
        W::Head.text(lang),
        W::IssuedOn.text(lang),
        W::Round.text(lang),
        W::Tickets.text(lang),
        W::State.text(lang),
    ];
    let rows: Vec<[String; 7]> = list
        .iter()
        .map(|e| {
            [
                e.number.clone(),
                e.unit.clone(),
                e.head.clone().unwrap_or_else(|| "-".into()),
                e.issued_on.clone(),
                e.round.to_string(),
                e.tickets.to_string(),
                layout::state(lang, e),
            ]
        })
        .collect();
    let mut widths: Vec<usize> = heads.iter().map(|h| text::width(h)).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(text::width(c));
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let l: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| pad(c, *w)).collect();
        format!("{}\n", l.join("  ").trim_end())
    };
    let mut out = line(heads.to_vec());
    for r in &rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out.push_str(&say(lang, W::Count, &[("n", &list.len())]));
    out.push('\n');
    out
}
