//! `jicha whitelist …`: add, extend, revoke, approve, list.

use super::args::*;
use super::format::headers;
use super::{csv_err, output, perform, Session};
use crate::actions::Action;
use crate::context::Lang;
use crate::error::Result;
use crate::i18n::cli::{say, Col, Msg};
use crate::whitelist;
use output::{for_stdout, json_for_stdout, Table};
use std::io::Write;

pub(super) fn whitelist_cmd(s: &mut Session, verb: WhitelistVerb) -> Result<()> {
    let action = match verb {
        WhitelistVerb::Add {
            rule,
            cust,
            reason,
            days,
        } => Action::WhitelistAdd {
            rule,
            cust_no: cust,
            reason,
            days,
        },
        WhitelistVerb::Extend { id, days, reason } => Action::WhitelistExtend { id, days, reason },
        WhitelistVerb::Revoke { id, reason } => Action::WhitelistRevoke { id, reason },
        WhitelistVerb::Approve { id } => Action::WhitelistApprove { id },
        WhitelistVerb::List { view, format, .. } => {
            let entries = whitelist::list(
                &s.ds.conn,
                whitelist::View::parse(view.as_str())?,
                s.ctx.today,
            )?;
            return print_whitelist(&entries, format, s.ctx.lang);
        }
    };
    perform(s, action)
}

pub(super) fn print_whitelist(
    entries: &[whitelist::Entry],
    format: Format,
    lang: Lang,
) -> Result<()> {
    let stdout = output::stdout();
    let mut out = stdout.lock();
    match format {
        Format::Json => writeln!(
            out,
            "{}",
            json_for_stdout(serde_json::to_string_pretty(entries).expect("serializable"))
        )?,
        Format::Xlsx => {
            crate::output::xlsx::emit(&crate::output::xlsx::lists::whitelist(lang, entries)?.0)?
        }
        Format::Csv => {
            output::csv_start(&mut out)?;
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "id",
                "rule",
                "cust_no",
                "state",
                "starts_on",
                "expires_on",
                "author",
                "approved_by",
                "reason",
            ])
            .map_err(csv_err)?;
            for e in entries {
                let id = e.id.to_string();
                let rec = [
                    id.as_str(),
                    &e.rule,
                    &e.cust_no,
                    &match lang {
                        Lang::En => e.state.clone(),
                        Lang::Zh => crate::i18n::wl_state(lang, &e.state).to_string(),
                    },
                    &e.starts_on,
                    &e.expires_on,
                    &e.author,
                    e.approved_by.as_deref().unwrap_or(""),
                    &e.reason,
                ];
                w.write_record(rec.iter().map(|c| for_stdout(c).into_owned()))
                    .map_err(csv_err)?;
            }
            w.flush()?;
        }
        Format::Table => {
            let mut t = Table::new(
                &mut out,
                &headers(
                    lang,
                    &[
                        (Col::Id, 5),
                        (Col::Rule, 8),
                        (Col::CustNo, 15),
                        (Col::State, 9),
                        (Col::StartsOn, 10),
                        (Col::ExpiresOn, 10),
                        (Col::Author, 10),
                        (Col::Reason, 60),
                    ],
                ),
            )?;
            for e in entries {
                let expires = match &e.requested_expires_on {
                    Some(r) => format!("{}→{r}", e.expires_on),
                    None => e.expires_on.clone(),
                };
                t.row(&[
                    &e.id.to_string(),
                    &e.rule,
                    &e.cust_no,
                    &match lang {
                        Lang::En => e.state.clone(),
                        Lang::Zh => crate::i18n::wl_state(lang, &e.state).to_string(),
                    },
                    &e.starts_on,
                    &expires,
                    &e.author,
                    &e.reason,
                ])?;
            }
            drop(t);
            let n = entries.len();
            writeln!(out, "{}", say(lang, Msg::EntriesCount, &[("n", &n)]))?;
        }
    }
    Ok(())
}
