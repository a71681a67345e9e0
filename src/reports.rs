//! The daily / weekly / monthly report (日报 周报 月报) of workflow.md: every figure of its table,
//! overall, by responsible unit and by rule, computed as of the end of `to`.
//!
//! A finding's status at the end of a day comes from `finding_status_history` (the last change
//! on or before that day; `new` from its first scan until the first change); whether it was
//! suppressed that day comes from the whitelist entries in force that day.

use crate::error::{JichaError, Result};
use crate::findings::SUPPRESSED_SQL;
use chrono::{Days, NaiveDate};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    pub themes_with_findings: u64,
    pub themes_ticketed: u64,
    pub initiation_rate: Option<f64>,
    pub tickets_issued: u64,
    pub tickets_completed: u64,
    pub completion_rate: Option<f64>,
    pub findings_to_rectify: u64,
    pub findings_rectified: u64,
    pub rectification_rate: Option<f64>,
    pub tickets_overdue: u64,
    pub overdue_rate: Option<f64>,
    pub open_before: u64,
    pub open_after: u64,
    pub cumulative_completion_rate: Option<f64>,
    /// Per rule only: (open after − open before) / open before (指标改变率).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator_change_rate: Option<Option<f64>>,
}

impl Figures {
    fn finish(&mut self) {
        self.initiation_rate = ratio(self.themes_ticketed, self.themes_with_findings);
        self.completion_rate = ratio(self.tickets_completed, self.tickets_issued);
        self.rectification_rate = ratio(self.findings_rectified, self.findings_to_rectify);
        self.overdue_rate = ratio(self.tickets_overdue, self.tickets_issued);
        self.cumulative_completion_rate = (self.open_before > 0)
            .then(|| (self.open_before as f64 - self.open_after as f64) / self.open_before as f64);
    }
}

/// An exact ratio, or None (shown `—` / `null`) when the denominator is 0.
fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

#[derive(Debug, Clone, Serialize)]
pub struct OverdueTicket {
    pub number: String,
    pub unit: String,
    pub state: String,
    pub issued_on: String,
    pub due_on: String,
    pub approved_on: Option<String>,
    pub days_late: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub from: String,
    pub to: String,
    #[serde(flatten)]
    pub total: Figures,
    pub by_unit: BTreeMap<String, Figures>,
    pub by_rule: BTreeMap<String, Figures>,
    /// Units best first: completion rate, then rectification rate, then fewest overdue.
    pub unit_ranking: Vec<String>,
    pub overdue: Vec<OverdueTicket>,
}

pub fn compute(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Report> {
    if from > to {
        return Err(JichaError::invalid(format!(
            "--from {from} is after --to {to}"
        )));
    }
    let (f, t) = (from.to_string(), to.to_string());
    let before = (from - Days::new(1)).to_string();
    let mut total = Figures::default();
    let mut by_unit: BTreeMap<String, Figures> = BTreeMap::new();
    let mut by_rule: BTreeMap<String, Figures> = BTreeMap::new();

    // Findings first detected in the range: themes with findings.
    {
        let mut stmt = conn.prepare(
            "SELECT DISTINCT f.rule, coalesce(c.station, '') FROM findings f LEFT JOIN customers c ON c.cust_no = f.cust_no
             WHERE f.first_seen BETWEEN ?1 AND ?2",
        )?;
        let mut rows = stmt.query([&f, &t])?;
        let mut rules = std::collections::BTreeSet::new();
        let mut unit_rules = std::collections::BTreeSet::new();
        while let Some(r) = rows.next()? {
            let rule: String = r.get(0)?;
            let unit: String = r.get(1)?;
            rules.insert(rule.clone());
            unit_rules.insert((unit, rule));
        }
        total.themes_with_findings = rules.len() as u64;
        for rule in rules {
            by_rule.entry(rule).or_default().themes_with_findings = 1;
        }
        for (unit, _) in unit_rules {
            by_unit.entry(unit).or_default().themes_with_findings += 1;
        }
    }

    // Tickets issued in the range and not cancelled by the end of `to`, with their findings.
    let mut overdue = Vec::new();
    {
        let mut stmt = conn.prepare(
            "SELECT t.id, t.number, t.unit, t.state, t.issued_on, t.due_on,
                    CASE WHEN t.approved_on <= ?2 THEN t.approved_on END
             FROM tickets t
             WHERE t.issued_on BETWEEN ?1 AND ?2 AND (t.cancelled_on IS NULL OR t.cancelled_on > ?2)
             ORDER BY t.issued_on, t.id",
        )?;
        let mut find = conn.prepare(
            "SELECT f.rule,
                    (SELECT h.status = 'closed' AND h.resolution = 'rectified' FROM finding_status_history h
                     WHERE h.finding_id = f.id AND h.business_date <= ?2 ORDER BY h.id DESC LIMIT 1)
             FROM ticket_findings tf JOIN findings f ON f.id = tf.finding_id WHERE tf.ticket_id = ?1",
        )?;
        let mut rows = stmt.query([&f, &t])?;
        let mut ticketed_rules = std::collections::BTreeSet::new();
        let mut unit_ticketed_rules = std::collections::BTreeSet::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let number: String = r.get(1)?;
            let unit: String = r.get(2)?;
            let state: String = r.get(3)?;
            let issued_on: String = r.get(4)?;
            let due_on: String = r.get(5)?;
            let approved_on: Option<String> = r.get(6)?;
            let completed = approved_on.is_some();
            let late = match &approved_on {
                Some(a) => a > &due_on,
                None => t > due_on,
            };
            let u = by_unit.entry(unit.clone()).or_default();
            for fig in [&mut total, u] {
                fig.tickets_issued += 1;
                fig.tickets_completed += completed as u64;
                fig.tickets_overdue += late as u64;
            }
            if late {
                let end = approved_on.as_deref().unwrap_or(&t);
                let days_late = (crate::dates::parse_date(end).expect("stored date")
                    - crate::dates::parse_date(&due_on).expect("stored date"))
                .num_days();
                overdue.push(OverdueTicket {
                    number,
                    unit: unit.clone(),
                    state,
                    issued_on,
                    due_on,
                    approved_on: approved_on.clone(),
                    days_late,
                });
            }
            let mut frows = find.query([id.to_string(), t.clone()])?;
            while let Some(fr) = frows.next()? {
                let rule: String = fr.get(0)?;
                let rectified: bool = fr.get::<_, Option<bool>>(1)?.unwrap_or(false);
                ticketed_rules.insert(rule.clone());
                unit_ticketed_rules.insert((unit.clone(), rule.clone()));
                let ru = by_rule.entry(rule).or_default();
                ru.findings_to_rectify += 1;
                ru.findings_rectified += rectified as u64;
                let u = by_unit.entry(unit.clone()).or_default();
                u.findings_to_rectify += 1;
                u.findings_rectified += rectified as u64;
                total.findings_to_rectify += 1;
                total.findings_rectified += rectified as u64;
            }
        }
        total.themes_ticketed = ticketed_rules.len() as u64;
        for rule in ticketed_rules {
            by_rule.entry(rule).or_default().themes_ticketed = 1;
        }
        for (unit, _) in unit_ticketed_rules {
            by_unit.entry(unit).or_default().themes_ticketed += 1;
        }
    }

    // Open findings at the end of the day before `from` and at the end of `to`.
    for (day, after) in [(&before, false), (&t, true)] {
        for (unit, rule, n) in open_at(conn, day)? {
            let targets = [
                &mut total,
                by_unit.entry(unit).or_default(),
                by_rule.entry(rule).or_default(),
            ];
            for fig in targets {
                if after {
                    fig.open_after += n;
                } else {
                    fig.open_before += n;
                }
            }
        }
    }

    total.finish();
    for fig in by_unit.values_mut() {
        fig.finish();
    }
    for fig in by_rule.values_mut() {
        fig.finish();
        fig.indicator_change_rate =
            Some((fig.open_before > 0).then(|| {
                (fig.open_after as f64 - fig.open_before as f64) / fig.open_before as f64
            }));
    }
    let mut unit_ranking: Vec<String> = by_unit
        .iter()
        .filter(|(_, fig)| fig.tickets_issued > 0)
        .map(|(u, _)| u.clone())
        .collect();
    unit_ranking.sort_by(|a, b| {
        let key = |u: &String| {
            let fig = &by_unit[u];
            (
                -fig.completion_rate.unwrap_or(0.0),
                -fig.rectification_rate.unwrap_or(0.0),
                fig.overdue_rate.unwrap_or(0.0),
            )
        };
        key(a)
            .partial_cmp(&key(b))
            .expect("rates are finite")
            .then(a.cmp(b))
    });
    overdue.sort_by(|a, b| b.days_late.cmp(&a.days_late).then(a.number.cmp(&b.number)));
    Ok(Report {
        from: f,
        to: t,
        total,
        by_unit,
        by_rule,
        unit_ranking,
        overdue,
    })
}

/// (unit, rule, count) of findings open at the end of `day`: first detected by then, status
/// new / confirmed / ticketed at the end of that day, and not suppressed that day.
fn open_at(conn: &Connection, day: &str) -> Result<Vec<(String, String, u64)>> {
    let sql = format!(
        "SELECT station, rule, count(*) FROM (
             SELECT coalesce(c.station, '') AS station, f.rule,
                    coalesce((SELECT h.status FROM finding_status_history h
                              WHERE h.finding_id = f.id AND h.business_date <= :today
                              ORDER BY h.id DESC LIMIT 1), 'new') AS st
             FROM findings f LEFT JOIN customers c ON c.cust_no = f.cust_no
             WHERE f.first_seen <= :today AND NOT {SUPPRESSED_SQL})
         WHERE st IN ('new','confirmed','ticketed')
         GROUP BY station, rule"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::named_params! {":today": day}, |r| {
        Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A rate as a percentage, or `—` when its denominator is 0.
pub fn pct(rate: Option<f64>) -> String {
    match rate {
        Some(r) => format!("{:.1}%", r * 100.0),
        None => "—".to_string(),
    }
}

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
    let unit_rows: Vec<Vec<String>> = r
        .by_unit
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
        .collect();
    section(
        &mut out,
        markdown,
        "By unit (供电所)",
        &unit_header,
        &unit_rows,
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
    let rule_rows: Vec<Vec<String>> = r
        .by_rule
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
        .collect();
    section(
        &mut out,
        markdown,
        "By rule (指标改变率)",
        &rule_header,
        &rule_rows,
    );
    let rank_rows: Vec<Vec<String>> = r
        .unit_ranking
        .iter()
        .enumerate()
        .map(|(i, u)| {
            vec![
                (i + 1).to_string(),
                u.clone(),
                pct(r.by_unit[u].completion_rate),
            ]
        })
        .collect();
    section(
        &mut out,
        markdown,
        "Unit ranking",
        &["#", "unit", "completion"],
        &rank_rows,
    );
    let overdue_rows: Vec<Vec<String>> = r
        .overdue
        .iter()
        .map(|o| {
            vec![
                o.number.clone(),
                o.unit.clone(),
                o.state.clone(),
                o.due_on.clone(),
                o.days_late.to_string(),
            ]
        })
        .collect();
    section(
        &mut out,
        markdown,
        "Overdue tickets (超期)",
        &["ticket", "unit", "state", "due", "days late"],
        &overdue_rows,
    );
    out
}

/// A titled table as aligned text (columns by display width, so CJK lines up) or Markdown.
pub fn section(
    out: &mut String,
    markdown: bool,
    title: &str,
    header: &[&str],
    rows: &[Vec<String>],
) {
    if markdown {
        out.push_str(&format!(
            "\n## {title}\n\n| {} |\n|{}\n",
            header.join(" | "),
            "---|".repeat(header.len())
        ));
        for r in rows {
            // A `|` in a cell would split it into two columns.
            let cells: Vec<String> = r.iter().map(|c| c.replace('|', "\\|")).collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        if rows.is_empty() {
            out.push_str("| (none) |\n");
        }
        return;
    }
    out.push_str(&format!("\n{title}\n"));
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| crate::text::width(&r[i]))
                .chain([crate::text::width(header[i])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let mut s = String::from(" ");
        for (c, w) in cells.iter().zip(&widths) {
            s.push(' ');
            s.push_str(&crate::text::fit(c, *w));
        }
        s.trim_end().to_string() + "\n"
    };
    out.push_str(&line(header.to_vec()));
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    if rows.is_empty() {
        out.push_str("  (none)\n");
    }
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

fn csv_err(e: csv::Error) -> JichaError {
    JichaError::Io(std::io::Error::other(e.to_string()))
}
