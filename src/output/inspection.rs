//! An inspection's list and page as text, its CSV row: the same for the CLI and the UI's page.
//! Never reads the database; the caller escapes the text once, as it goes to a terminal.

use crate::context::Lang;
use crate::i18n::inspections::InspWord as W;
use crate::inspections::{Attachment, Checked, Inspection};
use crate::output::table::pad;

/// The CSV columns (stable English keys).
pub const CSV_HEADERS: [&str; 12] = [
    "number",
    "state",
    "method",
    "unit",
    "planned_on",
    "overdue",
    "visit_on",
    "inspectors",
    "findings",
    "ticket",
    "campaign",
    "created_by",
];

pub fn csv_row(i: &Inspection) -> [String; 12] {
    [
        i.number.clone(),
        i.state.as_str().to_string(),
        i.method.as_str().to_string(),
        i.unit.clone(),
        i.planned_on.clone(),
        i.overdue.to_string(),
        i.visit_on.clone().unwrap_or_default(),
        i.inspectors.join(";"),
        i.findings.to_string(),
        i.ticket.clone().unwrap_or_default(),
        i.campaign.clone().unwrap_or_default(),
        i.created_by.clone(),
    ]
}

/// The columns of the text list and the UI's list: (label, width).
pub fn columns() -> [(W, usize); 8] {
    [
        (W::Number, 15),
        (W::State, 8),
        (W::Method, 8),
        (W::Unit, 14),
        (W::PlannedOn, 10),
        (W::Overdue, 7),
        (W::Findings, 4),
        (W::Inspectors, 16),
    ]
}

/// One inspection's cells in the order of [`columns`].
pub fn cells(lang: Lang, i: &Inspection) -> [String; 8] {
    [
        i.number.clone(),
        i.state.label(lang),
        i.method.label(lang),
        i.unit.clone(),
        i.planned_on.clone(),
        if i.overdue {
            W::Overdue.text(lang).to_string()
        } else {
            String::new()
        },
        i.findings.to_string(),
        i.inspectors
            .join(if lang == Lang::Zh { "、" } else { ", " }),
    ]
}

/// The text list: a header line, one line per inspection, the count.
pub fn table(lang: Lang, list: &[Inspection]) -> String {
    let cols = columns();
    let line = |cells: Vec<String>| {
        let mut s = cells
            .iter()
            .zip(cols.iter())
            .map(|(c, (_, w))| pad(c, *w))
            .collect::<Vec<_>>()
            .join("  ");
        s.truncate(s.trim_end().len());
        s + "\n"
    };
    let mut out = line(cols.iter().map(|(w, _)| w.text(lang).to_string()).collect());
    for i in list {
        out.push_str(&line(cells(lang, i).to_vec()));
    }
    out.push_str(&format!("{} {}\n", list.len(), W::Count.text(lang)));
    out
}

fn amount(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.2}")).unwrap_or_else(|| "-".into())
}

/// The lines of one inspection's page (its findings with outcomes, account, attachments).
pub fn page_lines(
    lang: Lang,
    i: &Inspection,
    checked: &[Checked],
    files: &[Attachment],
) -> Vec<String> {
    let sep = if lang == Lang::Zh { "：" } else { ": " };
    let l = |w: W| format!("{}{sep}", w.text(lang));
    let mut out = vec![format!(
        "{} {}  [{}]{}",
        W::Title.text(lang),
        i.number,
        i.state.label(lang),
        if i.overdue {
            format!("  {}", W::Overdue.text(lang))
        } else {
            String::new()
        }
    )];
    out.push(format!(
        "  {}{}  {}{}  {}{}",
        l(W::Unit),
        i.unit,
        l(W::Method),
        i.method.label(lang),
        l(W::PlannedOn),
        i.planned_on
    ));
    out.push(format!(
        "  {}{}  {}{} ({})",
        l(W::Inspectors),
        i.inspectors
            .join(if lang == Lang::Zh { "、" } else { ", " }),
        l(W::CreatedBy),
        i.created_by,
        i.created_on
    ));
    if let Some(t) = &i.ticket {
        out.push(format!("  {}{t}", l(W::Ticket)));
    }
    if let Some(c) = &i.campaign {
        out.push(format!("  {}{c}", l(W::Campaign)));
    }
    if let Some(v) = &i.visit_on {
        out.push(format!(
            "  {}{v}  {}{} ({})",
            l(W::VisitOn),
            l(W::RecordedBy),
            i.recorded_by.as_deref().unwrap_or("-"),
            i.recorded_on.as_deref().unwrap_or("-")
        ));
    }
    if let Some(a) = &i.account {
        out.push(format!("  {}{a}", l(W::Account)));
    }
    if let Some(r) = &i.cancel_reason {
        out.push(format!(
            "  {}{r} ({})",
            l(W::Cancelled),
            i.cancelled_on.as_deref().unwrap_or("-")
        ));
    }
    out.push(format!("{}{sep}", W::Findings.text(lang)));
    for c in checked {
        out.push(format!(
            "  {} {} {} {} [{}]",
            c.finding,
            c.rule,
            c.cust_no,
            c.subject,
            crate::i18n::status(lang, &c.status)
        ));
        if let Some(o) = c.outcome {
            out.push(format!(
                "      {}{}  {}{}  {}{} kWh  {}{}  {}{}",
                l(W::Outcome),
                o.label(lang),
                l(W::Determination),
                c.determination.map(|d| d.label(lang)).unwrap_or_default(),
                l(W::BackKwh),
                amount(c.back_kwh),
                l(W::BackYuan),
                amount(c.back_yuan),
                l(W::Penalty),
                amount(c.penalty_yuan)
            ));
        }
    }
    out.push(format!("{}{sep}", W::Attachments.text(lang)));
    if files.is_empty() {
        out.push(format!("  {}", W::None.text(lang)));
    }
    for a in files {
        out.push(format!(
            "  {}  {} B  sha256:{}",
            a.file_name, a.bytes, a.sha256
        ));
    }
    out
}

/// The page as one text (lines ending in `\n`).
pub fn page(lang: Lang, i: &Inspection, checked: &[Checked], files: &[Attachment]) -> String {
    page_lines(lang, i, checked, files)
        .into_iter()
        .map(|l| l + "\n")
        .collect()
}
