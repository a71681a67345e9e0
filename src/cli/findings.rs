//! `jicha findings` (the list in every format) and `jicha finding …` (triage, show).

use super::args::*;
use super::{csv_err, output, print_outcome, Session};
use crate::actions::{self, Action};
use crate::context::Lang;
use crate::error::{JichaError, Result};
use crate::findings::{self, Filter, SortKey, Suppressed};
use crate::text;
use output::{for_stdout, json_for_stdout, Table};
use std::io::Write;

#[allow(clippy::too_many_lines)] // the `findings` command: its filter, then one short arm per output format
pub(super) fn list_findings(s: &Session, a: FindingsArgs) -> Result<()> {
    let filter = Filter {
        status: a.status,
        rule: a.rule,
        station: a.station,
        severity: a.severity,
        level: a.level,
        text: a.text,
        suppressed: match a.suppressed.as_str() {
            "include" => Suppressed::Include,
            "hide" => Suppressed::Hide,
            "only" => Suppressed::Only,
            other => {
                return Err(JichaError::invalid(format!(
                    "--suppressed {other}: use include, hide or only"
                )))
            }
        },
    };
    let sort = SortKey::parse(&a.sort)?;
    let stdout = output::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let today = s.ctx.today;
    match a.format {
        Format::Table => {
            let mut t = Table::new(
                &mut out,
                &[
                    ("id", 7),
                    ("rule", 8),
                    ("cust_no", 15),
                    ("name", 16),
                    ("subject", 10),
                    ("status", 9),
                    ("sev", 6),
                    ("lvl", 3),
                    ("last_seen", 10),
                    ("amount", 10),
                    ("evidence", 70),
                ],
            )?;
            let mut n = 0u64;
            findings::for_each(&s.ds.conn, &filter, sort, a.desc, a.limit, today, |f| {
                n += 1;
                let status = match (&f.resolution, f.suppressed) {
                    (Some(r), _) => format!("{}:{}", f.status, r),
                    (None, true) => format!("{}(wl)", f.status),
                    (None, false) => f.status.clone(),
                };
                t.row(&[
                    &f.id.to_string(),
                    &f.rule,
                    &f.cust_no,
                    &f.cust_name,
                    &f.subject,
                    &status,
                    &f.severity,
                    &f.level.map(|l| l.to_string()).unwrap_or_default(),
                    &f.last_seen,
                    &f.amount_yuan.map(|a| format!("{a:.2}")).unwrap_or_default(),
                    &f.evidence,
                ])?;
                Ok(())
            })?;
            drop(t);
            writeln!(out, "({n} findings)")?;
        }
        Format::Csv => {
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
                    &f.status,
                    f.resolution.as_deref().unwrap_or(""),
                    &f.severity,
                    &level,
                    &f.first_seen,
                    &f.last_seen,
                    if f.suppressed { "true" } else { "false" },
                    &f.evidence,
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
                    "suppressed": f.suppressed, "evidence": f.evidence, "amount_yuan": f.amount_yuan,
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
                resolution,
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
        return Err(JichaError::invalid(format!(
            "--seen names finding {id}, which this command does not act on"
        )));
    }
    // The status change and its note are one unit: both land or neither does.
    let mut all = vec![action];
    if let Some(text) = extra_note {
        all.push(Action::Note { ids, text });
    }
    let outcome = actions::perform_all(&mut s.ds, &s.ctx, &all, &seen.seen)?;
    print_outcome(&outcome);
    Ok(())
}

pub(super) fn show_finding(s: &Session, id: i64) -> Result<()> {
    let d = findings::detail(&s.ds.conn, id, s.ctx.today)?;
    let zh = s.ctx.lang == Lang::Zh;
    let f = &d.row;
    let rule = crate::rules::catalogue::find(&f.rule);
    let mut out = String::new();
    let name = rule.map(|r| r.name(zh)).unwrap_or("");
    out.push_str(&format!(
        "finding {}  {} {}  [{}]  version {}\n",
        f.id, f.rule, name, f.severity, f.version
    ));
    if let Some(r) = rule {
        out.push_str(&format!("  checks:   {}\n", r.checks));
    }
    out.push_str(&format!(
        "  status:   {}{}{}{}\n",
        f.status,
        f.resolution
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default(),
        if f.suppressed { "  [whitelisted]" } else { "" },
        if f.recurred { "  [recurred]" } else { "" }
    ));
    out.push_str(&format!(
        "  subject:  {}\n  seen:     {} .. {}\n",
        f.subject, f.first_seen, f.last_seen
    ));
    out.push_str(&format!("  evidence: {}\n", f.evidence));
    if let Some(a) = f.amount_yuan {
        out.push_str(&format!("  at stake: {a:.2} 元\n"));
    }
    if let Some(c) = &d.customer {
        out.push_str(&format!(
            "customer {} {}  {} / {}\n  {} {} {}  {} kV  {} kVA  {}\n",
            c.cust_no,
            c.name,
            c.district,
            c.station,
            c.category,
            c.price_code,
            c.billing_mode,
            c.voltage_kv,
            c.capacity_kva,
            c.status
        ));
    }
    for m in &d.meters {
        out.push_str(&format!(
            "meter {} {}  CT {} × PT {} = ×{}  verified {}\n",
            m.meter_no,
            m.model,
            m.ct_ratio,
            m.pt_ratio,
            m.multiplier,
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
            "note {} {}: {}\n",
            n.business_date, n.author, n.text
        ));
    }
    for h in &d.history {
        out.push_str(&format!(
            "log #{} {} {} {} {}\n",
            h.seq, h.business_date, h.operator, h.action, h.details
        ));
    }
    write!(
        output::stdout(),
        "{}",
        text::escape(&out).replace('␊', "\n")
    )?;
    Ok(())
}
