//! `jicha findings` (the list in every format) and `jicha finding …` (triage, show).

use super::args::*;
use super::format::{headers, in_lang, Format};
use super::{csv_err, output, print_outcome, Session};
use crate::actions::{self, Action};
use crate::context::Lang;
use crate::error::{JichaError, Result};
use crate::findings::{self, Filter, SortKey, Suppressed};
use crate::i18n::archive;
use crate::i18n::cli::{say, Col, Msg};
use crate::i18n::evidence;
use crate::output::table::pad;
use crate::text;
use output::{for_stdout, json_for_stdout, Table};
use std::io::Write;

#[allow(clippy::too_many_lines)] // the `findings` command: its filter, then one short arm per output format
pub(super) fn list_findings(s: &Session, a: FindingsArgs) -> Result<()> {
    let filter = Filter {
        status: a.status.map(|v| v.as_str().to_string()),
        rule: a.rule,
        station: a.unit,
        severity: a.severity.map(|v| v.as_str().to_string()),
        level: a.level,
        text: a.text,
        suppressed: match a.suppressed {
            SuppressedArg::Include => Suppressed::Include,
            SuppressedArg::Hide => Suppressed::Hide,
            SuppressedArg::Only => Suppressed::Only,
        },
        ..Filter::default()
    };
    let sort = SortKey::parse(a.sort.as_str())?;
    let lang = s.ctx.lang;
    let stdout = output::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let today = s.ctx.today;
    match a.format {
        Format::Table => {
            let mut t = Table::new(
                &mut out,
                &headers(
                    lang,
                    &[
                        (Col::Id, 7),
                        (Col::Rule, 8),
                        (Col::CustNo, 15),
                        (Col::Name, 16),
                        (Col::Subject, 10),
                        (Col::Status, 9),
                        (Col::Sev, 6),
                        (Col::Lvl, 3),
                        (Col::LastSeen, 10),
                        (Col::Amount, 10),
                        (Col::Evidence, 70),
                    ],
                ),
            )?;
            let mut n = 0u64;
            findings::for_each(&s.ds.conn, &filter, sort, a.desc, a.limit, today, |f| {
                n += 1;
                let status = status_cell(
                    lang,
                    f.status.as_str(),
                    f.resolution.map(|r| r.as_str()),
                    f.suppressed,
                );
                let severity = match lang {
                    Lang::En => f.severity.clone(),
                    Lang::Zh => crate::i18n::severity(lang, &f.severity).to_string(),
                };
                t.row(&[
                    &f.id.to_string(),
                    &f.rule,
                    &f.cust_no,
                    &f.cust_name,
                    &f.subject,
                    &status,
                    &severity,
                    &f.level.map(|l| l.to_string()).unwrap_or_default(),
                    &f.last_seen,
                    &f.amount_yuan.map(|a| format!("{a:.2}")).unwrap_or_default(),
                    &evidence::render(lang, &f.evidence),
                ])?;
                Ok(())
            })?;
            drop(t);
            writeln!(out, "{}", say(lang, Msg::FindingsCount, &[("n", &n)]))?;
        }
        Format::Xlsx => {
            let (book, _) = crate::output::xlsx::findings::workbook(lang, |row| {
                findings::for_each(&s.ds.conn, &filter, sort, a.desc, a.limit, today, |f| {
                    row(f)
                })
            })?;
            crate::output::xlsx::emit(&book)?;
        }
        Format::Csv => {
            output::csv_start(&mut out)?;
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(FINDING_COLUMNS).map_err(csv_err)?;
            findings::for_each(&s.ds.conn, &filter, sort, a.desc, a.limit, today, |f| {
                let level = f.level.map(|l| l.to_string()).unwrap_or_default();
                let amount = f.amount_yuan.map(|a| format!("{a:.2}")).unwrap_or_default();
                let id = f.id.to_string();
                let version = f.version.to_string();
                let record: [&str; 17] = [
                    &id,
                    &f.rule,
                    &f.cust_no,
                    &f.subject,
                    f.status.as_str(),
                    f.resolution.map_or("", |r| r.as_str()),
                    &f.severity,
                    &level,
                    &f.first_seen,
                    &f.last_seen,
                    if f.suppressed { "true" } else { "false" },
                    &evidence::render(lang, &f.evidence),
                    &amount,
                    &f.cust_name,
                    &f.station,
                    if f.recurred { "true" } else { "false" },
                    &version,
                ];
                w.write_record(record.iter().map(|c| for_stdout(c).into_owned()))
                    .map_err(csv_err)
            })?;
            w.flush()?;
        }
        Format::Json => {
            write!(out, "[")?;
            let mut first = true;
            findings::for_each(&s.ds.conn, &filter, sort, a.desc, a.limit, today, |f| {
                if !first {
                    write!(out, ",")?;
                }
                first = false;
                let v = serde_json::json!({
                    "id": f.id, "rule": f.rule, "cust_no": f.cust_no, "subject": f.subject,
                    "status": f.status, "resolution": f.resolution, "severity": f.severity,
                    "level": f.level, "first_seen": f.first_seen, "last_seen": f.last_seen,
                    "suppressed": f.suppressed, "amount_yuan": f.amount_yuan,
                    // The sentence in English, the values as stable identifiers (null for text).
                    "evidence": evidence::render(Lang::En, &f.evidence),
                    "evidence_values": evidence::values(&f.evidence),
                    "cust_name": f.cust_name, "station": f.station, "recurred": f.recurred,
                    "version": f.version,
                });
                write!(out, "\n{}", json_for_stdout(v.to_string()))?;
                Ok(())
            })?;
            writeln!(out, "\n]")?;
        }
    }
    out.flush()?;
    Ok(())
}

/// A finding's status as the table shows it: with its resolution, or marked whitelisted.
/// Under zh the values are the Chinese names (the CSV and JSON keep the stored text).
fn status_cell(lang: Lang, status: &str, resolution: Option<&str>, suppressed: bool) -> String {
    let name = |s: &str| in_lang(lang, s, crate::i18n::status(lang, s));
    match (resolution, suppressed) {
        (Some(r), _) => match lang {
            Lang::En => format!("{status}:{r}"),
            Lang::Zh => format!("{}：{}", name(status), crate::i18n::resolution(lang, r)),
        },
        (None, true) => format!("{}{}", name(status), Msg::WhitelistedMark.text(lang)),
        (None, false) => name(status),
    }
}

/// `version` is what `finding … --seen ID:VERSION` takes.
const FINDING_COLUMNS: [&str; 17] = [
    "id",
    "rule",
    "cust_no",
    "subject",
    "status",
    "resolution",
    "severity",
    "level",
    "first_seen",
    "last_seen",
    "suppressed",
    "evidence",
    "amount_yuan",
    "cust_name",
    "station",
    "recurred",
    "version",
];

pub(super) fn finding(s: &mut Session, verb: FindingVerb) -> Result<()> {
    let (action, extra_note, seen) = match verb {
        FindingVerb::Confirm { ids, text, seen } => (Action::Confirm { ids }, text, seen),
        FindingVerb::Close {
            ids,
            resolution,
            text,
            seen,
        } => (
            Action::Close {
                ids,
                resolution: resolution.as_str().to_string(),
                note: text,
            },
            None,
            seen,
        ),
        FindingVerb::Note { ids, text, seen } => (Action::Note { ids, text }, None, seen),
        FindingVerb::Reopen { ids, text, seen } => (Action::Reopen { ids }, text, seen),
        FindingVerb::Show { id } => return show_finding(s, id),
    };
    let ids = match &action {
        Action::Confirm { ids }
        | Action::Reopen { ids }
        | Action::Close { ids, .. }
        | Action::Note { ids, .. } => ids.clone(),
        _ => Vec::new(),
    };
    if let Some((id, _)) = seen.seen.iter().find(|(id, _)| !ids.contains(id)) {
        return Err(JichaError::invalid(
            crate::i18n::refusals_cli::CliWrong::SeenNotActedOn { id: *id },
        ));
    }
    // The status change and its note are one unit: both land or neither does.
    let mut all = vec![action];
    if let Some(text) = extra_note {
        all.push(Action::Note { ids, text });
    }
    let outcome = actions::perform_all(&mut s.ds, &s.ctx, &all, &seen.seen)?;
    print_outcome(&outcome, s.ctx.lang);
    Ok(())
}

pub(super) fn show_finding(s: &Session, id: i64) -> Result<()> {
    let d = findings::detail(&s.ds.conn, id, s.ctx.today)?;
    let lang = s.ctx.lang;
    let zh = lang == Lang::Zh;
    let t = |m: Msg| m.text(lang);
    // The labels of the indented lines, padded to one width (by display width, for CJK).
    let labels = [
        Msg::Checks,
        Msg::StatusLabel,
        Msg::SubjectLabel,
        Msg::SeenLabel,
        Msg::EvidenceLabel,
        Msg::AtStakeLabel,
    ];
    let width = 1 + labels.iter().map(|m| text::width(t(*m))).max().unwrap_or(0);
    let label = |m: Msg| pad(t(m), width);
    let value = |v: &str, f: fn(Lang, &str) -> &'static str| in_lang(lang, v, f(lang, v));
    let f = &d.row;
    let mut out = String::new();
    let name = d.rule_name(zh);
    out.push_str(&format!(
        "{} {}  {} {}  [{}]  {} {}\n",
        t(Msg::FindingHead),
        f.id,
        f.rule,
        name,
        value(&f.severity, crate::i18n::severity),
        t(Msg::Version),
        f.version
    ));
    if let Some(r) = &d.rule {
        out.push_str(&format!(
            "  {}{}\n",
            label(Msg::Checks),
            r.checks(lang == Lang::Zh)
        ));
    }
    out.push_str(&format!(
        "  {}{}{}{}{}\n",
        label(Msg::StatusLabel),
        value(f.status.as_str(), crate::i18n::status),
        f.resolution
            .map(|r| format!(" ({})", value(r.as_str(), crate::i18n::resolution)))
            .unwrap_or_default(),
        if f.suppressed {
            format!("  {}", t(Msg::WhitelistedFlag))
        } else {
            String::new()
        },
        if f.recurred {
            format!("  {}", t(Msg::RecurredFlag))
        } else {
            String::new()
        }
    ));
    out.push_str(&format!(
        "  {}{}\n  {}{} .. {}\n",
        label(Msg::SubjectLabel),
        f.subject,
        label(Msg::SeenLabel),
        f.first_seen,
        f.last_seen
    ));
    out.push_str(&format!(
        "  {}{}\n",
        label(Msg::EvidenceLabel),
        evidence::render(lang, &f.evidence)
    ));
    if let Some(a) = f.amount_yuan {
        out.push_str(&format!("  {}{a:.2} 元\n", label(Msg::AtStakeLabel)));
    }
    out.push_str(&finding_context(&d, lang));
    write!(
        output::stdout(),
        "{}",
        text::escape(&out).replace('␊', "\n")
    )?;
    Ok(())
}

/// What `finding show` prints after the finding itself: its customer, meters, bills, notes
/// and history.
fn finding_context(d: &findings::FindingDetail, lang: Lang) -> String {
    let t = |m: Msg| m.text(lang);
    let zh = lang == Lang::Zh;
    // Under zh the archive's codes read as their Chinese names; English keeps the codes.
    let word = |name: fn(Lang, &str) -> Option<&'static str>, code: &str| {
        in_lang(lang, code, name(lang, code).unwrap_or(code))
    };
    let mut out = String::new();
    if let Some(c) = &d.customer {
        out.push_str(&format!(
            "{} {} {}  {} / {}\n  {} {} {}  {} kV  {} kVA  {}\n",
            t(Msg::CustomerHead),
            c.cust_no,
            c.name,
            c.district,
            c.station,
            word(archive::category, &c.category),
            c.price_code,
            word(archive::pricing, &c.billing_mode),
            c.voltage_kv,
            c.capacity_kva,
            word(archive::customer_status, &c.status)
        ));
    }
    for m in &d.meters {
        out.push_str(&format!(
            "{} {} {}  CT {} × PT {} = ×{}  {} {}\n",
            t(Msg::MeterHead),
            m.meter_no,
            m.model,
            m.ct_ratio,
            m.pt_ratio,
            m.multiplier,
            t(Msg::VerifiedLabel),
            m.verified_on.as_deref().unwrap_or(&m.installed_on)
        ));
    }
    for b in &d.bills {
        out.push_str(&format!(
            "  {}  {:>10.0} kWh  {:>10.2} 元\n",
            b.period, b.kwh, b.amount
        ));
    }
    for n in &d.notes {
        out.push_str(&format!(
            "{} {} {}{} {}\n",
            t(Msg::NoteHead),
            n.business_date,
            n.author,
            if zh { "：" } else { ":" },
            n.text
        ));
    }
    for h in &d.history {
        out.push_str(&format!(
            "{} #{} {}\n",
            t(Msg::LogHead),
            h.seq,
            crate::i18n::history::line(lang, h)
        ));
    }
    out
}
