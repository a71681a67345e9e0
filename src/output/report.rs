//! The report (日报 周报 月报) as text, Markdown and CSV, for the CLI's `report` and the UI's
//! export. The figures are computed by `crate::reports`; the figure table below is the one
//! list of them, in workflow.md's order, that every layout (and the workbook) walks.

use super::table::{csv_err, pct, section};
use crate::context::Lang;
use crate::error::Result;
use crate::i18n::report::{level, ReportWord as W};
use crate::i18n::ticket_state;
use crate::reports::{Figures, Kpi, Kpis, Report};

/// A figure's value: a count or a rate (None: denominator 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Val {
    Count(u64),
    Rate(Option<f64>),
}

impl Val {
    pub fn text(self) -> String {
        match self {
            Val::Count(n) => n.to_string(),
            Val::Rate(r) => pct(r),
        }
    }

    /// As CSV writes it: a count, a rate as a fraction, empty for none.
    fn csv(self) -> String {
        match self {
            Val::Count(n) => n.to_string(),
            Val::Rate(r) => frac(r),
        }
    }
}

fn frac(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.6}")).unwrap_or_default()
}

/// Every figure of the table (but `kpis`): its JSON key, its name, its value.
pub fn figure_rows(f: &Figures) -> [(&'static str, W, Val); 24] {
    use Val::{Count as N, Rate as R};
    [
        (
            "themes_monitored",
            W::ThemesMonitored,
            N(f.themes_monitored),
        ),
        ("themes_ticketed", W::ThemesTicketed, N(f.themes_ticketed)),
        ("initiation_rate", W::InitiationRate, R(f.initiation_rate)),
        (
            "problems_dispatched",
            W::ProblemsDispatched,
            N(f.problems_dispatched),
        ),
        (
            "problems_completed",
            W::ProblemsCompleted,
            N(f.problems_completed),
        ),
        ("completion_rate", W::CompletionRate, R(f.completion_rate)),
        (
            "findings_to_rectify",
            W::FindingsToRectify,
            N(f.findings_to_rectify),
        ),
        (
            "findings_rectified",
            W::FindingsRectified,
            N(f.findings_rectified),
        ),
        (
            "rectification_rate",
            W::RectificationRate,
            R(f.rectification_rate),
        ),
        (
            "problems_overdue",
            W::ProblemsOverdue,
            N(f.problems_overdue),
        ),
        ("overdue_rate", W::OverdueRate, R(f.overdue_rate)),
        ("open_before", W::OpenBefore, N(f.open_before)),
        ("open_after", W::OpenAfter, N(f.open_after)),
        (
            "suppressed_before",
            W::SuppressedBefore,
            N(f.suppressed_before),
        ),
        (
            "suppressed_after",
            W::SuppressedAfter,
            N(f.suppressed_after),
        ),
        (
            "cumulative_completion_rate",
            W::CumulativeRate,
            R(f.cumulative_completion_rate),
        ),
        ("tickets_issued", W::TicketsIssued, N(f.tickets_issued)),
        (
            "tickets_completed",
            W::TicketsCompleted,
            N(f.tickets_completed),
        ),
        ("tickets_overdue", W::TicketsOverdue, N(f.tickets_overdue)),
        ("whitelist_added", W::WhitelistAdded, N(f.whitelist_added)),
        (
            "whitelist_extended",
            W::WhitelistExtended,
            N(f.whitelist_extended),
        ),
        (
            "whitelist_revoked",
            W::WhitelistRevoked,
            N(f.whitelist_revoked),
        ),
        (
            "whitelist_active_after",
            W::WhitelistActive,
            N(f.whitelist_active_after),
        ),
        (
            "whitelist_long_active_after",
            W::WhitelistLong,
            N(f.whitelist_long_active_after),
        ),
    ]
}

/// How a business indicator's values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KpiKind {
    Rate,
    Price,
    Amount,
}

impl KpiKind {
    pub fn text(self, v: Option<f64>) -> String {
        match (self, v) {
            (_, None) => "—".into(),
            (KpiKind::Rate, v) => pct(v),
            (KpiKind::Price, Some(v)) => format!("{v:.4}"),
            (KpiKind::Amount, Some(v)) => format!("{v:.0}"),
        }
    }
}

/// The business indicators of 指标改变率: JSON key, name, how written, values.
pub fn kpi_rows(k: &Kpis) -> [(&'static str, W, KpiKind, Kpi); 4] {
    [
        (
            "collection_rate",
            W::CollectionRate,
            KpiKind::Rate,
            k.collection_rate,
        ),
        (
            "average_price",
            W::AveragePrice,
            KpiKind::Price,
            k.average_price,
        ),
        ("kwh", W::Kwh, KpiKind::Amount, k.kwh),
        (
            "open_findings",
            W::OpenFindings,
            KpiKind::Amount,
            k.open_findings,
        ),
    ]
}

/// The unit as a report shows it: '' (findings without a customer) named.
pub fn unit_label(lang: Lang, u: &str) -> String {
    if u.is_empty() {
        W::NoUnit.text(lang).to_string()
    } else {
        u.to_string()
    }
}

/// The readable text report (markdown = false) or its Markdown form; the figures' names in
/// both languages, the tables' columns in `lang`.
pub fn render_text(r: &Report, markdown: bool, lang: Lang) -> String {
    let mut out = String::new();
    let scope = r
        .unit
        .clone()
        .unwrap_or_else(|| W::AllUnits.text(lang).to_string());
    let title = format!(
        "{} {} .. {} · {} {scope}",
        W::Title.both(),
        r.from,
        r.to,
        W::Scope.both()
    );
    let periods = format!(
        "{}: {} .. {} ({} {} .. {})",
        W::BillingPeriods.both(),
        r.billing_periods.0,
        r.billing_periods.1,
        W::Before.both(),
        r.previous_periods.0,
        r.previous_periods.1
    );
    if markdown {
        out.push_str(&format!(
            "# {title}\n\n{periods}\n\n| figure | value |\n|---|---|\n"
        ));
        for (_, label, v) in figure_rows(&r.total) {
            out.push_str(&format!("| {} | {} |\n", label.both(), v.text()));
        }
    } else {
        out.push_str(&format!("{title}\n{periods}\n\n"));
        for (_, label, v) in figure_rows(&r.total) {
            let l = label.both();
            out.push_str(&format!(
                "  {} {:>8}\n",
                super::table::pad(&l, 58),
                v.text()
            ));
        }
    }
    kpi_section(&mut out, r, markdown, lang);
    breakdowns(&mut out, r, markdown, lang);
    out
}

/// The business indicators of 指标改变率: previous range, this range, change.
fn kpi_section(out: &mut String, r: &Report, markdown: bool, lang: Lang) {
    let t = |w: W| w.text(lang);
    if let Some(k) = &r.total.kpis {
        let rows: Vec<Vec<String>> = kpi_rows(k)
            .iter()
            .map(|(_, w, kind, v)| {
                vec![
                    w.both(),
                    kind.text(v.before),
                    kind.text(v.after),
                    pct(v.change_rate),
                ]
            })
            .collect();
        let head = [t(W::Indicator), t(W::Before), t(W::After), t(W::Change)];
        section(out, markdown, &W::Kpis.both(), &head, &rows);
    }
}

/// By unit, by rule, the ranking and the overdue tickets.
fn breakdowns(out: &mut String, r: &Report, markdown: bool, lang: Lang) {
    let t = |w: W| w.text(lang);
    let unit_head = [
        t(W::Unit),
        t(W::Level),
        t(W::ProblemsDispatched),
        t(W::CompletionRate),
        t(W::RectificationRate),
        t(W::OverdueRate),
        t(W::InitiationRate),
        t(W::OpenBefore),
        t(W::OpenAfter),
        t(W::SuppressedAfter),
        t(W::CumulativeRate),
    ];
    section(
        out,
        markdown,
        &W::ByUnit.both(),
        &unit_head,
        &unit_rows(r, lang, markdown),
    );
    let rule_head = [
        t(W::Rule),
        t(W::ProblemsDispatched),
        t(W::CompletionRate),
        t(W::FindingsToRectify),
        t(W::RectificationRate),
        t(W::OpenBefore),
        t(W::OpenAfter),
        t(W::SuppressedAfter),
        t(W::OpenChangeRate),
    ];
    section(out, markdown, &W::ByRule.both(), &rule_head, &rule_rows(r));
    let rank_head = [
        t(W::Rank),
        t(W::Unit),
        t(W::CompletionRate),
        t(W::RectificationRate),
        t(W::OverdueRate),
    ];
    section(
        out,
        markdown,
        &W::Ranking.both(),
        &rank_head,
        &rank_rows(r, lang),
    );
    let overdue_head = [
        t(W::Ticket),
        t(W::Unit),
        t(W::State),
        t(W::DueOn),
        t(W::DaysLate),
        t(W::Problems),
    ];
    section(
        out,
        markdown,
        &W::OverdueList.both(),
        &overdue_head,
        &overdue_rows(r, lang),
    );
}

/// One row per unit, in the hierarchy's order (indented by depth in text).
fn unit_rows(r: &Report, lang: Lang, markdown: bool) -> Vec<Vec<String>> {
    r.unit_tree
        .iter()
        .filter_map(|row| r.by_unit.get(&row.name).map(|f| (row, f)))
        .map(|(row, f)| {
            let indent = if markdown { "" } else { "  " };
            vec![
                format!(
                    "{}{}",
                    indent.repeat(row.depth),
                    unit_label(lang, &row.name)
                ),
                row.level.map(|l| level(lang, l)).unwrap_or("—").to_string(),
                f.problems_dispatched.to_string(),
                pct(f.completion_rate),
                pct(f.rectification_rate),
                pct(f.overdue_rate),
                pct(f.initiation_rate),
                f.open_before.to_string(),
                f.open_after.to_string(),
                f.suppressed_after.to_string(),
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
                f.problems_dispatched.to_string(),
                pct(f.completion_rate),
                f.findings_to_rectify.to_string(),
                pct(f.rectification_rate),
                f.open_before.to_string(),
                f.open_after.to_string(),
                f.suppressed_after.to_string(),
                pct(f.open_change_rate.flatten()),
            ]
        })
        .collect()
}

/// Units by completion rate, best first.
fn rank_rows(r: &Report, lang: Lang) -> Vec<Vec<String>> {
    r.unit_ranking
        .iter()
        .enumerate()
        .filter_map(|(i, u)| r.by_unit.get(u).map(|f| (i, u, f)))
        .map(|(i, u, f)| {
            vec![
                (i + 1).to_string(),
                unit_label(lang, u),
                pct(f.completion_rate),
                pct(f.rectification_rate),
                pct(f.overdue_rate),
            ]
        })
        .collect()
}

/// One row per overdue ticket.
fn overdue_rows(r: &Report, lang: Lang) -> Vec<Vec<String>> {
    r.overdue
        .iter()
        .map(|o| {
            vec![
                o.number.clone(),
                unit_label(lang, &o.unit),
                ticket_state(lang, &o.state).to_string(),
                o.due_on.clone(),
                o.days_late.to_string(),
                o.problems.to_string(),
            ]
        })
        .collect()
}

/// One CSV row per scope (total, each unit in tree order, each rule), one column per figure
/// named by its JSON key (the business indicators as `<key>_before|after|change_rate`); rates
/// as fractions, empty where the denominator is 0.
pub fn write_csv(r: &Report, out: impl std::io::Write) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let blank = Figures::default();
    let mut header: Vec<String> = ["scope", "name", "parent", "level"]
        .map(String::from)
        .to_vec();
    header.extend(figure_rows(&blank).iter().map(|(k, _, _)| k.to_string()));
    for (k, ..) in kpi_rows(&Kpis::default()) {
        for part in ["before", "after", "change_rate"] {
            header.push(format!("{k}_{part}"));
        }
    }
    header.push("open_change_rate".into());
    w.write_record(&header).map_err(csv_err)?;
    let mut row = |scope: &str, name: &str, parent: &str, lvl: &str, fig: &Figures| -> Result<()> {
        let mut rec: Vec<String> = vec![scope.into(), name.into(), parent.into(), lvl.into()];
        rec.extend(figure_rows(fig).iter().map(|(_, _, v)| v.csv()));
        match &fig.kpis {
            Some(k) => {
                for (.., v) in kpi_rows(k) {
                    rec.extend([frac(v.before), frac(v.after), frac(v.change_rate)]);
                }
            }
            None => rec.extend(std::iter::repeat_n(String::new(), 12)),
        }
        rec.push(frac(fig.open_change_rate.flatten()));
        w.write_record(&rec).map_err(csv_err)
    };
    row("total", r.unit.as_deref().unwrap_or(""), "", "", &r.total)?;
    for u in &r.unit_tree {
        if let Some(fig) = r.by_unit.get(&u.name) {
            let lvl = u.level.map(|l| l.as_str()).unwrap_or("");
            row("unit", &u.name, u.parent.as_deref().unwrap_or(""), lvl, fig)?;
        }
    }
    for (rule, fig) in &r.by_rule {
        row("rule", rule, "", "", fig)?;
    }
    w.flush()?;
    Ok(())
}
