//! The report (日报 周报 月报) as text, Markdown and CSV, for the CLI's `report` and the UI's
//! export. The figures are computed by `crate::reports`.

use super::table::{csv_err, pct, section};
use crate::error::Result;
use crate::reports::{Figures, Report};

const FIGURE_LABELS: [(&str, &str); 14] = [
    ("themes_with_findings", "themes with findings"),
    ("themes_ticketed", "themes ticketed"),
    ("initiation_rate", "稽查异常问题发起率 initiation rate"),
    ("tickets_issued", "tickets issued"),
    ("tickets_completed", "tickets completed"),
    ("completion_rate", "稽查问题完成率 completion rate"),
    ("findings_to_rectify", "findings to rectify"),
    ("findings_rectified", "findings rectified"),
    (
        "rectification_rate",
        "异常问题整改完成率 rectification rate",
    ),
    ("tickets_overdue", "tickets overdue"),
    ("overdue_rate", "稽查超期率 overdue rate"),
    ("open_before", "open before the range"),
    ("open_after", "open at the end"),
    (
        "cumulative_completion_rate",
        "累计完成率 cumulative completion rate",
    ),
];

fn figure_values(fig: &Figures) -> [String; 14] {
    [
        fig.themes_with_findings.to_string(),
        fig.themes_ticketed.to_string(),
        pct(fig.initiation_rate),
        fig.tickets_issued.to_string(),
        fig.tickets_completed.to_string(),
        pct(fig.completion_rate),
        fig.findings_to_rectify.to_string(),
        fig.findings_rectified.to_string(),
        pct(fig.rectification_rate),
        fig.tickets_overdue.to_string(),
        pct(fig.overdue_rate),
        fig.open_before.to_string(),
        fig.open_after.to_string(),
        pct(fig.cumulative_completion_rate),
    ]
}

/// The readable text report (markdown = false) or its Markdown form.
pub fn render_text(r: &Report, markdown: bool) -> String {
    let mut out = String::new();
    let title = format!("稽查报表 audit report {} .. {}", r.from, r.to);
    if markdown {
        out.push_str(&format!("# {title}\n\n| figure | value |\n|---|---|\n"));
        for ((_, label), v) in FIGURE_LABELS.iter().zip(figure_values(&r.total)) {
            out.push_str(&format!("| {label} | {v} |\n"));
        }
    } else {
        out.push_str(&format!("{title}\n\n"));
        for ((_, label), v) in FIGURE_LABELS.iter().zip(figure_values(&r.total)) {
            out.push_str(&format!("  {:<44} {v:>8}\n", label));
        }
    }
    let unit_header = [
        "unit",
        "issued",
        "done",
        "completion",
        "rectified",
        "overdue",
        "open",
        "cumulative",
    ];
    section(
        &mut out,
        markdown,
        "By unit (供电所)",
        &unit_header,
        &unit_rows(r),
    );
    let rule_header = [
        "rule",
        "detected",
        "to rectify",
        "rectified",
        "open before",
        "open after",
        "change",
    ];
    section(
        &mut out,
        markdown,
        "By rule (指标改变率)",
        &rule_header,
        &rule_rows(r),
    );
    section(
        &mut out,
        markdown,
        "Unit ranking",
        &["#", "unit", "completion"],
        &rank_rows(r),
    );
    section(
        &mut out,
        markdown,
        "Overdue tickets (超期)",
        &["ticket", "unit", "state", "due", "days late"],
        &overdue_rows(r),
    );
    out
}

/// One row per responsible unit.
fn unit_rows(r: &Report) -> Vec<Vec<String>> {
    r.by_unit
        .iter()
        .map(|(u, f)| {
            vec![
                u.clone(),
                f.tickets_issued.to_string(),
                f.tickets_completed.to_string(),
                pct(f.completion_rate),
                pct(f.rectification_rate),
                pct(f.overdue_rate),
                f.open_after.to_string(),
                pct(f.cumulative_completion_rate),
            ]
        })
        .collect()
}

/// One row per rule.
fn rule_rows(r: &Report) -> Vec<Vec<String>> {
    r.by_rule
        .iter()
        .map(|(rule, f)| {
            vec![
                rule.clone(),
                f.themes_with_findings.to_string(),
                f.findings_to_rectify.to_string(),
                f.findings_rectified.to_string(),
                f.open_before.to_string(),
                f.open_after.to_string(),
                pct(f.indicator_change_rate.flatten()),
            ]
        })
        .collect()
}

/// Units by completion rate, best first.
fn rank_rows(r: &Report) -> Vec<Vec<String>> {
    r.unit_ranking
        .iter()
        .enumerate()
        .map(|(i, u)| {
            vec![
                (i + 1).to_string(),
                u.clone(),
                pct(r.by_unit[u].completion_rate),
            ]
        })
        .collect()
}

/// One row per overdue ticket.
fn overdue_rows(r: &Report) -> Vec<Vec<String>> {
    r.overdue
        .iter()
        .map(|o| {
            vec![
                o.number.clone(),
                o.unit.clone(),
                o.state.to_string(),
                o.due_on.clone(),
                o.days_late.to_string(),
            ]
        })
        .collect()
}

/// One CSV row per scope (total, each unit, each rule), one column per figure; rates as fractions.
pub fn write_csv(r: &Report, out: impl std::io::Write) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["scope", "name"];
    header.extend(FIGURE_LABELS.iter().map(|(k, _)| *k));
    header.push("indicator_change_rate");
    w.write_record(&header).map_err(csv_err)?;
    let frac = |x: Option<f64>| x.map(|v| format!("{v:.6}")).unwrap_or_default();
    let mut row = |scope: &str, name: &str, fig: &Figures| -> Result<()> {
        let rec = vec![
            scope.to_string(),
            name.to_string(),
            fig.themes_with_findings.to_string(),
            fig.themes_ticketed.to_string(),
            frac(fig.initiation_rate),
            fig.tickets_issued.to_string(),
            fig.tickets_completed.to_string(),
            frac(fig.completion_rate),
            fig.findings_to_rectify.to_string(),
            fig.findings_rectified.to_string(),
            frac(fig.rectification_rate),
            fig.tickets_overdue.to_string(),
            frac(fig.overdue_rate),
            fig.open_before.to_string(),
            fig.open_after.to_string(),
            frac(fig.cumulative_completion_rate),
            frac(fig.indicator_change_rate.flatten()),
        ];
        w.write_record(&rec).map_err(csv_err)
    };
    row("total", "", &r.total)?;
    for (u, fig) in &r.by_unit {
        row("unit", u, fig)?;
    }
    for (rule, fig) in &r.by_rule {
        row("rule", rule, fig)?;
    }
    w.flush()?;
    Ok(())
}
