//! The quality evaluation (营销服务工作质量评价) and theme analysis (主题分析) for people and
//! files: aligned text, Markdown, CSV and JSON. The figures are computed by `crate::quality`.

use super::stream::{self, for_stdout, json_for_stdout};
use super::table::{csv_err, section};
use crate::context::Lang;
use crate::error::{JichaError, Result};
use crate::quality::theme::Theme;
use crate::quality::Drill;
use crate::quality::{self, Evaluation, Level, Period, TrendPoint, UnitScore};
use crate::text;
use std::io::Write;

/// How a quality or theme command prints: the report formats, defined with every other
/// `--format` set in one place.
pub use crate::cli::format::ReportFormat as OutFormat;
/// `emit_rows` is not handed xlsx: each command writes its workbook itself (`output::xlsx`).
fn no_xlsx_here() -> JichaError {
    JichaError::Usage("--format xlsx: not for this table; use --format csv".into())
}

/// Numbers for people: two decimals, trailing zeros dropped.
pub fn num(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

fn opt(v: Option<f64>) -> String {
    v.map(num).unwrap_or_else(|| "—".into())
}

pub fn print_json<T: serde::Serialize>(v: &T) -> Result<()> {
    let mut out = stream::stdout().lock();
    writeln!(
        out,
        "{}",
        json_for_stdout(serde_json::to_string_pretty(v).expect("serializable"))
    )?;
    Ok(())
}

/// Rows as CSV (cells escaped unless `--raw`) or as an aligned text / Markdown table.
pub fn emit_rows(
    format: OutFormat,
    title: &str,
    header: &[&str],
    rows: &[Vec<String>],
) -> Result<()> {
    let mut out = stream::stdout().lock();
    match format {
        OutFormat::Xlsx => return Err(no_xlsx_here()),
        OutFormat::Csv => {
            stream::csv_start(&mut out)?;
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(header).map_err(csv_err)?;
            for r in rows {
                w.write_record(r.iter().map(|c| for_stdout(c).into_owned()))
                    .map_err(csv_err)?;
            }
            w.flush()?;
        }
        OutFormat::Text | OutFormat::Md | OutFormat::Json => {
            let mut s = String::new();
            table(&mut s, format == OutFormat::Md, title, header, rows);
            out.write_all(s.as_bytes())?;
        }
    }
    Ok(())
}

/// A titled table; every cell is escaped, since it is headed for a person's terminal.
pub fn table(out: &mut String, markdown: bool, title: &str, header: &[&str], rows: &[Vec<String>]) {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| text::escape(c).into_owned()).collect())
        .collect();
    section(out, markdown, title, header, &rows);
}

const UNIT_HEADER: [&str; 11] = [
    "#",
    "unit",
    "parent",
    "主要 main",
    "过程 process",
    "业务 business",
    "直接扣分 direct",
    "奖励加分 bonus",
    "综合得分 composite",
    "not applicable (—)",
    "level",
];

fn unit_row(u: &UnitScore) -> Vec<String> {
    vec![
        u.rank.to_string(),
        u.unit.clone(),
        u.parent.clone().unwrap_or_default(),
        num(u.main),
        num(u.process),
        num(u.business),
        num(u.direct),
        num(u.bonus),
        num(u.composite),
        u.not_applicable.join(","),
        u.level.as_str().into(),
    ]
}

#[allow(clippy::too_many_lines)] // one arm per output format; each lays out the same evaluation
pub fn print_evaluation(e: &Evaluation, format: OutFormat, lang: Lang) -> Result<()> {
    match format {
        OutFormat::Json => print_json(e),
        OutFormat::Xlsx => super::xlsx::emit(&super::xlsx::quality::evaluation(lang, e)?.0),
        OutFormat::Csv => {
            // One row per unit; each enabled indicator adds a value and a score column.
            let mut header: Vec<String> = [
                "level",
                "rank",
                "unit",
                "parent",
                "main",
                "process",
                "business",
                "business_deductions",
                "direct",
                "bonus",
                "composite",
                "not_applicable",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            for i in &e.indicators {
                header.push(format!("ind{}_value", i.id));
                header.push(format!("ind{}_score", i.id));
            }
            let frac = |v: f64| format!("{v:.4}");
            let rows: Vec<Vec<String>> = e
                .levels()
                .into_iter()
                .flat_map(|l| e.ranked(l))
                .map(|u| {
                    let mut r = vec![
                        u.level.as_str().to_string(),
                        u.rank.to_string(),
                        u.unit.clone(),
                        u.parent.clone().unwrap_or_default(),
                        frac(u.main),
                        frac(u.process),
                        frac(u.business),
                        frac(u.business_deductions),
                        frac(u.direct),
                        frac(u.bonus),
                        frac(u.composite),
                        u.not_applicable.join(";"),
                    ];
                    for i in &e.indicators {
                        let s = u.indicators.iter().find(|s| s.id == i.id);
                        let value = s.and_then(|s| s.value);
                        let score = s.and_then(|s| s.score);
                        r.push(value.map(frac).unwrap_or_default());
                        r.push(score.map(frac).unwrap_or_default());
                    }
                    r
                })
                .collect();
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            emit_rows(OutFormat::Csv, "", &header, &rows)
        }
        OutFormat::Text | OutFormat::Md => {
            let md = format == OutFormat::Md;
            let mut out = String::new();
            let title = format!(
                "营销服务工作质量评价 quality evaluation {} ({} .. {})",
                e.period, e.from, e.to
            );
            out.push_str(&if md { format!("# {title}\n") } else { title });
            out.push_str(&format!("\n{}\n", formula(&e.weights)));
            out.push_str(
                "— not applicable (denominator 0 / not entered): left out of its part; a part with none scores 100\n",
            );
            for level in e.levels() {
                let rows: Vec<Vec<String>> = e.ranked(level).into_iter().map(unit_row).collect();
                table(&mut out, md, &level_title(level), &UNIT_HEADER, &rows);
            }
            let rows: Vec<Vec<String>> = e
                .indicators
                .iter()
                .map(|i| {
                    vec![
                        i.id.to_string(),
                        i.category.clone(),
                        i.name.clone(),
                        i.kind.label_zh().into(),
                        i.level.as_str().into(),
                        i.source.as_str().into(),
                        num(i.base_value),
                        num(i.full_value),
                        num(i.full_score),
                    ]
                })
                .collect();
            table(
                &mut out,
                md,
                "enabled indicators (parts normalised to 100 over the applicable ones)",
                &[
                    "id",
                    "category",
                    "name",
                    "kind",
                    "level",
                    "source",
                    "base",
                    "full_mark",
                    "full_score",
                ],
                &rows,
            );
            stream::stdout().lock().write_all(out.as_bytes())?;
            Ok(())
        }
    }
}

/// The composite's formula with the weights in force.
pub fn formula(w: &quality::Weights) -> String {
    let pct = |v: f64| num(v * 100.0);
    format!(
        "综合得分 = 主要 × {}% + 过程 × {}% + 业务 × {}% − 直接扣分 + 奖励加分",
        pct(w.main),
        pct(w.process),
        pct(w.business)
    )
}

fn level_title(l: Level) -> String {
    let en = match l {
        Level::Station => "stations",
        Level::County => "counties (main/process from their own pooled figures; business = mean of their units')",
        Level::City => "cities (main/process from their own pooled figures; business = mean of their units')",
        Level::Province => "provinces (main/process from their own pooled figures; business = mean of their units')",
        Level::Department => "departments",
    };
    format!("{} {en}", l.unit_level().zh())
}

fn entry_rows(list: &[quality::Entry]) -> Vec<Vec<String>> {
    list.iter()
        .map(|e| {
            vec![
                e.id.to_string(),
                e.kind.clone(),
                e.unit.clone(),
                e.on_date.clone(),
                num(e.points),
                e.level.clone().unwrap_or_default(),
                e.ticket.clone().unwrap_or_default(),
                e.reason.clone(),
                e.entered_by.clone(),
                e.revoked_on.clone().unwrap_or_default(),
            ]
        })
        .collect()
}

const ENTRY_HEADER: [&str; 10] = [
    "id",
    "kind",
    "unit",
    "date",
    "points",
    "level",
    "ticket",
    "reason",
    "entered_by",
    "revoked_on",
];

pub fn print_entries(
    list: &[quality::Entry],
    p: &Period,
    format: OutFormat,
    lang: Lang,
) -> Result<()> {
    match format {
        OutFormat::Json => return print_json(&list),
        OutFormat::Xlsx => {
            return super::xlsx::emit(&super::xlsx::quality_detail::entries(lang, list)?.0)
        }
        OutFormat::Text | OutFormat::Md | OutFormat::Csv => {}
    }
    emit_rows(
        format,
        &format!("扣分/加分 entries {p}"),
        &ENTRY_HEADER,
        &entry_rows(list),
    )
}

pub fn print_trend(unit: &str, points: &[TrendPoint], format: OutFormat, lang: Lang) -> Result<()> {
    match format {
        OutFormat::Json => return print_json(&points),
        OutFormat::Xlsx => {
            let book = super::xlsx::quality_detail::trend(lang, unit, points)?;
            return super::xlsx::emit(&book.0);
        }
        OutFormat::Text | OutFormat::Md | OutFormat::Csv => {}
    }
    let rows: Vec<Vec<String>> = points
        .iter()
        .map(|t| {
            vec![
                t.period.clone(),
                num(t.composite),
                num(t.main),
                num(t.process),
                num(t.business),
                num(t.direct),
                num(t.bonus),
                format!("{}/{}", t.rank, t.of),
            ]
        })
        .collect();
    emit_rows(
        format,
        &format!("趋势 trend of {unit}"),
        &[
            "period",
            "composite",
            "main",
            "process",
            "business",
            "direct",
            "bonus",
            "rank",
        ],
        &rows,
    )
}

#[allow(clippy::too_many_lines)] // one arm per output format; each lays out the same drill-down
pub fn print_drill(d: &Drill, format: OutFormat, lang: Lang) -> Result<()> {
    match format {
        OutFormat::Json => print_json(d),
        OutFormat::Xlsx => super::xlsx::emit(&super::xlsx::quality_detail::drill(lang, d)?.0),
        OutFormat::Csv => Err(JichaError::invalid(
            "usage: drill prints text, md, json or xlsx (it has several tables; xlsx writes a sheet for each)",
        )),
        OutFormat::Text | OutFormat::Md => {
            let md = format == OutFormat::Md;
            let u = &d.score;
            // Escaped before the newline is added, so the newline stays a newline.
            let mut out = text::escape(&format!(
                "{} {} — {}: composite {} (rank {}), main {}, process {}, business {} (−{}), direct −{}, bonus +{}",
                u.level.as_str(),
                u.unit,
                d.period,
                num(u.composite),
                u.rank,
                num(u.main),
                num(u.process),
                num(u.business),
                num(u.business_deductions),
                num(u.direct),
                num(u.bonus)
            ))
            .into_owned()
                + "\n";
            let rows: Vec<Vec<String>> = u
                .indicators
                .iter()
                .map(|i| {
                    vec![
                        i.id.to_string(),
                        i.name.clone(),
                        i.kind.as_str().into(),
                        i.source.as_str().into(),
                        opt(i.value),
                        opt(i.score),
                        num(i.full_score),
                    ]
                })
                .collect();
            table(
                &mut out,
                md,
                "indicators",
                &["id", "name", "kind", "source", "value", "score", "of"],
                &rows,
            );
            table(
                &mut out,
                md,
                "deductions and bonuses",
                &ENTRY_HEADER,
                &entry_rows(&d.entries),
            );
            let rows: Vec<Vec<String>> = d
                .tickets
                .iter()
                .map(|t| {
                    vec![
                        t.ticket.number.clone(),
                        t.ticket.unit.clone(),
                        t.ticket.state.to_string(),
                        t.ticket.issued_on.clone(),
                        t.ticket.due_on.clone(),
                        t.ticket.approved_on.clone().unwrap_or_default(),
                        if t.ticket.overdue { "yes" } else { "" }.into(),
                        opt(t.ticket.recovered_yuan),
                        num(t.deducted),
                    ]
                })
                .collect();
            table(
                &mut out,
                md,
                "tickets",
                &[
                    "number",
                    "unit",
                    "state",
                    "issued",
                    "due",
                    "approved",
                    "overdue",
                    "recovered",
                    "deducted",
                ],
                &rows,
            );
            let rows: Vec<Vec<String>> = d
                .findings
                .iter()
                .map(|f| {
                    vec![
                        f.id.to_string(),
                        f.rule.clone(),
                        f.cust_no.clone(),
                        f.station.clone(),
                        f.first_seen.clone(),
                        f.status.to_string(),
                        opt(f.amount_yuan),
                        f.ticket.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            table(
                &mut out,
                md,
                "findings first detected in the period",
                &[
                    "id",
                    "rule",
                    "cust_no",
                    "station",
                    "first_seen",
                    "status",
                    "amount",
                    "ticket",
                ],
                &rows,
            );
            stream::stdout().lock().write_all(out.as_bytes())?;
            Ok(())
        }
    }
}

pub fn print_theme(t: &Theme, format: OutFormat, lang: Lang) -> Result<()> {
    match format {
        OutFormat::Json => print_json(t),
        OutFormat::Xlsx => super::xlsx::emit(&super::xlsx::quality::theme(lang, t)?.0),
        OutFormat::Csv => {
            let rows: Vec<Vec<String>> = t
                .rows()
                .into_iter()
                .map(|r| {
                    vec![
                        r.parent,
                        r.station,
                        r.month,
                        r.counts.findings.to_string(),
                        format!("{:.2}", r.counts.amount_yuan),
                        r.counts.open.to_string(),
                        r.counts.rectified.to_string(),
                    ]
                })
                .collect();
            emit_rows(
                OutFormat::Csv,
                "",
                &[
                    "parent",
                    "station",
                    "month",
                    "findings",
                    "amount_yuan",
                    "open",
                    "rectified",
                ],
                &rows,
            )
        }
        OutFormat::Text | OutFormat::Md => {
            let range = match (&t.from, &t.to) {
                (None, None) => "all dates".to_string(),
                (f, to) => format!(
                    "{} .. {}",
                    f.as_deref().unwrap_or("…"),
                    to.as_deref().unwrap_or("…")
                ),
            };
            let mut out = format!(
                "主题分析 theme: {} ({range})\n  {} findings, {} 元 at stake, {} open, {} rectified\n",
                text::escape(&t.selector),
                t.total.findings,
                num(t.total.amount_yuan),
                t.total.open,
                t.total.rectified
            );
            let mut rows = Vec::new();
            let counts = |c: &quality::theme::Counts| {
                vec![
                    c.findings.to_string(),
                    num(c.amount_yuan),
                    c.open.to_string(),
                    c.rectified.to_string(),
                ]
            };
            fn walk(
                n: &quality::theme::UnitNode,
                depth: usize,
                rows: &mut Vec<Vec<String>>,
                counts: &dyn Fn(&quality::theme::Counts) -> Vec<String>,
            ) {
                let pad = "  ".repeat(depth);
                rows.push([vec![format!("{pad}{}", n.unit)], counts(&n.counts)].concat());
                if n.children.is_empty() {
                    for m in &n.months {
                        rows.push(
                            [vec![format!("{pad}  {}", m.month)], counts(&m.counts)].concat(),
                        );
                    }
                }
                for c in &n.children {
                    walk(c, depth + 1, rows, counts);
                }
            }
            for n in &t.units {
                walk(n, 0, &mut rows, &counts);
            }
            table(
                &mut out,
                format == OutFormat::Md,
                "unit tree → station → month",
                &["where", "findings", "amount_yuan", "open", "rectified"],
                &rows,
            );
            stream::stdout().lock().write_all(out.as_bytes())?;
            Ok(())
        }
    }
}
