//! The QC month (稽查质检) laid out as text, Markdown and CSV, the same for `qc report` and
//! `qc month`; JSON is the `MonthReport` itself. Dataset text is escaped by the caller.

use crate::context::Lang;
use crate::i18n::qc::{item_name, QcWord as W};
use crate::output::table::{pad, pad_left, pct};
use crate::qc::{MonthReport, UnitSample, UnitSummary};

pub const CSV_HEADER: &[&str] = &[
    "unit",
    "gap_days",
    "no_scan_days",
    "no_triage_days",
    "sampled_tickets",
    "items_scored",
    "items_passed",
    "qc_score",
    "whitelist_entries",
    "whitelist_long",
    "whitelist_renewals",
    "whitelist_worse",
];

pub fn csv_row(l: &UnitSummary) -> Vec<String> {
    vec![
        l.unit.clone(),
        l.gap_days.to_string(),
        l.no_scan.to_string(),
        l.no_triage.to_string(),
        l.sampled.to_string(),
        l.scored.to_string(),
        l.passed.to_string(),
        l.score.map(|s| format!("{s:.4}")).unwrap_or_default(),
        l.whitelist.to_string(),
        l.long.to_string(),
        l.renewals.to_string(),
        l.worse.to_string(),
    ]
}

fn mark(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "✓",
        Some(false) => "✗",
        None => "·",
    }
}

/// The item marks of a sampled ticket: `1✓ 2✗ 3· …`.
pub fn item_marks(items: &[Option<bool>; 6]) -> String {
    items
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{}{}", i + 1, mark(*v)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn heading(out: &mut String, md: bool, level: usize, text: &str) {
    if md {
        out.push_str(&format!("{} {text}\n\n", "#".repeat(level)));
    } else {
        out.push_str(&format!("{text}\n"));
    }
}

fn sample_lines(out: &mut String, lang: Lang, md: bool, s: &UnitSample) {
    let head = format!(
        "{}  {} {}  {} {}  SHA-256 {}",
        s.unit,
        W::Seed.text(lang),
        s.seed,
        W::Population.text(lang),
        s.population,
        &s.digest[..12.min(s.digest.len())]
    );
    if md {
        out.push_str(&format!("- **{head}**\n"));
    } else {
        out.push_str(&format!("  {head}\n"));
    }
    for t in &s.tickets {
        let line = format!(
            "{}  {}  {}/{}",
            t.number,
            item_marks(&t.items),
            t.passed(),
            t.scored()
        );
        out.push_str(&if md {
            format!("  - `{line}`\n")
        } else {
            format!("    {line}\n")
        });
        for (i, n) in t.notes.iter().enumerate() {
            if let Some(n) = n {
                let note = format!("{} {}: {n}", i + 1, item_name(lang, i as u8 + 1));
                out.push_str(&if md {
                    format!("    - {note}\n")
                } else {
                    format!("      {note}\n")
                });
            }
        }
    }
}

/// The whole month as text or Markdown.
pub fn text(lang: Lang, r: &MonthReport, md: bool) -> String {
    let mut out = String::new();
    heading(
        &mut out,
        md,
        1,
        &format!("{} {} ({})", W::Title.text(lang), r.month, r.as_of),
    );
    if !md {
        out.push('\n');
    }
    heading(&mut out, md, 2, W::Gaps.text(lang));
    for g in &r.gaps {
        let days = if g.days.is_empty() {
            W::NoGaps.text(lang).to_string()
        } else {
            g.days
                .iter()
                .map(|d| {
                    let why = match (d.no_scan, d.no_triage) {
                        (true, true) => {
                            format!("{}+{}", W::NoScan.text(lang), W::NoTriage.text(lang))
                        }
                        (true, false) => W::NoScan.text(lang).to_string(),
                        _ => W::NoTriage.text(lang).to_string(),
                    };
                    format!("{} {why}", &d.date[5..])
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let indent = "  ".repeat(g.depth);
        out.push_str(&if md {
            format!("{indent}- {} ({}): {days}\n", g.unit, g.days.len())
        } else {
            format!("  {indent}{} ({}): {days}\n", g.unit, g.days.len())
        });
    }
    out.push('\n');
    heading(&mut out, md, 2, W::Sample.text(lang));
    if r.samples.is_empty() {
        out.push_str(&format!("  {}\n", W::NotDrawn.text(lang)));
    }
    for s in &r.samples {
        sample_lines(&mut out, lang, md, s);
    }
    out.push('\n');
    heading(&mut out, md, 2, W::Score.text(lang));
    score_table(&mut out, lang, md, r);
    out.push('\n');
    heading(
        &mut out,
        md,
        2,
        &format!(
            "{} (> {} d = {})",
            W::Whitelist.text(lang),
            r.whitelist.review_days,
            W::Long.text(lang)
        ),
    );
    whitelist_table(&mut out, lang, md, r);
    out
}

fn table(out: &mut String, md: bool, heads: &[String], widths: &[usize], rows: &[Vec<String>]) {
    if md {
        out.push_str(&format!("| {} |\n", heads.join(" | ")));
        out.push_str(&format!("|{}\n", "---|".repeat(heads.len())));
        for r in rows {
            out.push_str(&format!("| {} |\n", r.join(" | ").replace('\n', " ")));
        }
        return;
    }
    let line = |cells: &[String]| {
        cells
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(i, (c, w))| if i == 0 { pad(c, *w) } else { pad_left(c, *w) })
            .collect::<Vec<_>>()
            .join("  ")
    };
    out.push_str(&format!("  {}\n", line(heads).trim_end()));
    for r in rows {
        out.push_str(&format!("  {}\n", line(r).trim_end()));
    }
}

fn score_table(out: &mut String, lang: Lang, md: bool, r: &MonthReport) {
    let heads = [
        W::Unit.text(lang).to_string(),
        W::Ticket.text(lang).to_string(),
        W::Items.text(lang).to_string(),
        W::Pass.text(lang).to_string(),
        W::Score.text(lang).to_string(),
    ];
    let rows: Vec<Vec<String>> = r
        .scores
        .iter()
        .map(|s| {
            vec![
                format!("{}{}", "  ".repeat(s.depth), s.unit),
                s.tickets.to_string(),
                s.scored.to_string(),
                s.passed.to_string(),
                pct(s.score),
            ]
        })
        .collect();
    table(out, md, &heads, &[24, 6, 6, 6, 8], &rows);
}

fn whitelist_table(out: &mut String, lang: Lang, md: bool, r: &MonthReport) {
    let heads = [
        W::Unit.text(lang).to_string(),
        W::Rule.text(lang).to_string(),
        W::Entries.text(lang).to_string(),
        W::MeanDays.text(lang).to_string(),
        W::MaxDays.text(lang).to_string(),
        W::Renewals.text(lang).to_string(),
        W::Long.text(lang).to_string(),
    ];
    let rows: Vec<Vec<String>> = r
        .whitelist
        .rows
        .iter()
        .map(|w| {
            vec![
                w.unit.clone(),
                w.rule.clone(),
                w.entries.to_string(),
                format!("{:.1}", w.mean_days),
                w.max_days.to_string(),
                w.renewals.to_string(),
                w.long.to_string(),
            ]
        })
        .collect();
    if rows.is_empty() {
        out.push_str(&format!("  {}\n", W::NoGaps.text(lang)));
    } else {
        table(out, md, &heads, &[16, 8, 6, 8, 6, 6, 6], &rows);
    }
    if !r.whitelist.worse.is_empty() {
        out.push_str(&format!("\n  {}:\n", W::Worse.text(lang)));
        for w in &r.whitelist.worse {
            out.push_str(&format!(
                "  {}#{} {} {} {}: {}\n",
                if md { "- " } else { "" },
                w.entry,
                w.unit,
                w.rule,
                w.cust_no,
                why_worse(lang, w)
            ));
        }
    }
}

/// Why a frozen entry is listed as worse: its customer's new findings, then each rise
/// (`THF level rose 12 (4→2, 2026-11-10)`). Unescaped.
pub fn why_worse(lang: Lang, w: &crate::qc::whitelist::Worse) -> String {
    let mut parts = Vec::new();
    if !w.findings.is_empty() {
        let ids = w.findings.iter().map(|i| i.to_string()).collect::<Vec<_>>();
        parts.push(format!("{} {}", W::NewFinding.text(lang), ids.join(", ")));
    }
    for r in &w.rises {
        let what = match r.what {
            "level" => W::ThfRose,
            _ => W::SeverityRose,
        };
        let (from, to) = match r.what {
            "level" => (r.from.clone(), r.to.clone()),
            _ => (
                crate::i18n::qc::severity_word(lang, &r.from).to_string(),
                crate::i18n::qc::severity_word(lang, &r.to).to_string(),
            ),
        };
        parts.push(format!(
            "{} {} ({from}→{to}, {})",
            what.text(lang),
            r.finding,
            r.on
        ));
    }
    parts.join(if lang == Lang::Zh { "；" } else { "; " })
}

/// One deduction of a ticket as a line (`ticket show`, the ticket page): kind, unit, points,
/// what the standard proposed, whether it counts, the adjustment. Unescaped.
pub fn deduction_line(lang: Lang, d: &crate::deductions::TicketDeduction) -> String {
    let kind = if d.kind == "business" {
        W::Business.text(lang).to_string()
    } else {
        format!(
            "{} {}",
            W::Direct.text(lang),
            d.level.as_deref().unwrap_or("")
        )
    };
    let counted = if d.entry.is_some() {
        String::new()
    } else {
        format!(", {}", W::NotCounted.text(lang))
    };
    let mut line = format!(
        "{kind} {} −{} {} ({} {}{counted})",
        d.unit,
        d.points,
        W::Points.text(lang),
        W::Proposed.text(lang),
        d.proposed
    );
    if let (Some(by), Some(on)) = (&d.adjusted_by, &d.adjusted_on) {
        line.push_str(&format!(
            "  {} {by} {on}: {}",
            W::AdjustedBy.text(lang),
            d.adjust_reason.as_deref().unwrap_or("")
        ));
    }
    line
}

/// The accountability named at submission as a line. Unescaped.
pub fn accountability_line(lang: Lang, a: &crate::deductions::Accountability) -> String {
    format!(
        "{}: {}  {}: {}",
        W::Responsible.text(lang),
        a.person.as_deref().unwrap_or("-"),
        W::Accountability.text(lang),
        a.outcome
            .as_deref()
            .map(|o| crate::i18n::qc::accountability_word(lang, o))
            .unwrap_or("-")
    )
}
