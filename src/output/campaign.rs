//! The campaign report (专项稽查报告, the handbooks' automatic audit report): the campaign's
//! definition on top, then 应查、实查和稽查结果 per unit down the tree, then the definitions of
//! the figures. Text, Markdown, CSV and JSON here; the workbook in `xlsx/campaign.rs`. Dataset
//! text (names, units) is left as stored: the front end escapes the page once.

use crate::campaigns::progress::{Figures, Progress};
use crate::campaigns::Campaign;
use crate::context::Lang;
use crate::i18n::campaigns::CampWord as W;
use crate::output::table::{pct, section};
use serde::Serialize;

/// A scope list as people read it: its items, or "all" when empty.
pub fn scope_list(lang: Lang, items: &[String]) -> String {
    if items.is_empty() {
        W::All.text(lang).to_string()
    } else {
        let sep = if lang == Lang::Zh { "、" } else { ", " };
        items.join(sep)
    }
}

fn categories(lang: Lang, items: &[String]) -> Vec<String> {
    items
        .iter()
        .map(|c| match lang {
            Lang::En => c.clone(),
            Lang::Zh => crate::i18n::archive::category(lang, c)
                .unwrap_or(c)
                .to_string(),
        })
        .collect()
}

/// The campaign's state as people read it.
pub fn state(lang: Lang, c: &Campaign) -> &'static str {
    if c.is_open() {
        W::Open.text(lang)
    } else {
        W::ClosedWord.text(lang)
    }
}

/// The definition of the campaign, label by label.
pub fn definition(lang: Lang, c: &Campaign) -> Vec<(&'static str, String)> {
    let (kind, method) = match lang {
        Lang::En => (c.kind.as_str(), c.method.as_str()),
        Lang::Zh => (c.kind.zh(), c.method.zh()),
    };
    let mut rows = vec![
        (W::Number.text(lang), c.number.clone()),
        (W::Name.text(lang), c.name.clone()),
        (W::Kind.text(lang), kind.to_string()),
        (W::Method.text(lang), method.to_string()),
        (W::Rules.text(lang), scope_list(lang, &c.rules)),
        (W::Units.text(lang), scope_list(lang, &c.units)),
        (
            W::Categories.text(lang),
            scope_list(lang, &categories(lang, &c.categories)),
        ),
        (
            W::Period.text(lang),
            format!("{} – {}", c.period_from, c.period_to),
        ),
        (W::Owner.text(lang), c.owner.clone()),
        (W::State.text(lang), state(lang, c).to_string()),
        (
            W::CreatedBy.text(lang),
            format!("{} {}", c.created_by, c.created_on),
        ),
    ];
    if let Some(on) = &c.closed_on {
        rows.push((W::ClosedOn.text(lang), on.clone()));
    }
    if let Some(f) = c.source_finding {
        rows.push((W::SourceFinding.text(lang), f.to_string()));
    }
    rows
}

/// The column headers of the per-unit table.
pub fn headers(lang: Lang) -> [&'static str; 8] {
    [
        W::Unit.text(lang),
        W::Due.text(lang),
        W::Checked.text(lang),
        W::Confirmed.text(lang),
        W::Rectified.text(lang),
        W::CheckedRate.text(lang),
        W::ConfirmedRate.text(lang),
        W::RectifiedRate.text(lang),
    ]
}

fn cells(name: String, f: &Figures) -> Vec<String> {
    vec![
        name,
        f.due.to_string(),
        f.checked.to_string(),
        f.confirmed.to_string(),
        f.rectified.to_string(),
        pct(f.checked_rate()),
        pct(f.confirmed_rate()),
        pct(f.rectified_rate()),
    ]
}

/// The report as aligned text or Markdown, as of `as_of`.
pub fn render_text(c: &Campaign, p: &Progress, as_of: &str, md: bool, lang: Lang) -> String {
    let mut out = String::new();
    let title = format!("{} {} — {}", W::ReportTitle.text(lang), c.number, c.name);
    if md {
        out.push_str(&format!("# {title}\n\n"));
        for (label, value) in definition(lang, c) {
            out.push_str(&format!("- **{label}**: {value}\n"));
        }
        out.push_str(&format!("- **{}**: {as_of}\n", W::AsOf.text(lang)));
    } else {
        out.push_str(&format!("{title}\n"));
        let defs = definition(lang, c);
        let width = defs
            .iter()
            .map(|(l, _)| crate::text::width(l))
            .max()
            .unwrap_or(0);
        for (label, value) in defs {
            out.push_str(&format!(
                "  {} {value}\n",
                crate::output::table::pad(label, width)
            ));
        }
        out.push_str(&format!(
            "  {} {as_of}\n",
            crate::output::table::pad(W::AsOf.text(lang), width)
        ));
    }
    let indent = if md { "" } else { "  " };
    let mut rows: Vec<Vec<String>> = p
        .units
        .iter()
        .map(|u| cells(format!("{}{}", indent.repeat(u.depth), u.unit), &u.figures))
        .collect();
    rows.push(cells(W::Total.text(lang).to_string(), &p.total));
    section(
        &mut out,
        md,
        W::ResultsTitle.text(lang),
        &headers(lang),
        &rows,
    );
    out.push_str(&format!("\n{}\n", W::Footnote.text(lang)));
    out
}

/// The stable English CSV: one row per unit, then the total (`unit` = `*`).
pub fn write_csv(p: &Progress, out: &mut Vec<u8>) -> crate::error::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let rate = |r: Option<f64>| r.map(|v| format!("{v:.4}")).unwrap_or_default();
    w.write_record([
        "unit",
        "level",
        "depth",
        "due",
        "checked",
        "confirmed",
        "rectified",
        "checked_rate",
        "confirmed_rate",
        "rectified_rate",
    ])
    .map_err(crate::output::table::csv_err)?;
    let mut row = |unit: &str, level: &str, depth: String, f: &Figures| {
        w.write_record([
            unit.to_string(),
            level.to_string(),
            depth,
            f.due.to_string(),
            f.checked.to_string(),
            f.confirmed.to_string(),
            f.rectified.to_string(),
            rate(f.checked_rate()),
            rate(f.confirmed_rate()),
            rate(f.rectified_rate()),
        ])
        .map_err(crate::output::table::csv_err)
    };
    for u in &p.units {
        row(&u.unit, u.level, u.depth.to_string(), &u.figures)?;
    }
    row("*", "", String::new(), &p.total)?;
    w.flush()?;
    Ok(())
}

/// The JSON report: the campaign, the date, the progress and the definitions.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    pub campaign: &'a Campaign,
    pub as_of: &'a str,
    pub units: Vec<JsonUnit<'a>>,
    pub total: JsonFigures,
    pub definitions: &'static str,
}

#[derive(Debug, Serialize)]
pub struct JsonUnit<'a> {
    pub unit: &'a str,
    pub level: &'a str,
    pub depth: usize,
    #[serde(flatten)]
    pub figures: JsonFigures,
}

/// The figures with their rates (`null` when the denominator is 0).
#[derive(Debug, Serialize)]
pub struct JsonFigures {
    pub due: u64,
    pub checked: u64,
    pub confirmed: u64,
    pub rectified: u64,
    pub checked_rate: Option<f64>,
    pub confirmed_rate: Option<f64>,
    pub rectified_rate: Option<f64>,
}

impl From<&Figures> for JsonFigures {
    fn from(f: &Figures) -> JsonFigures {
        JsonFigures {
            due: f.due,
            checked: f.checked,
            confirmed: f.confirmed,
            rectified: f.rectified,
            checked_rate: f.checked_rate(),
            confirmed_rate: f.confirmed_rate(),
            rectified_rate: f.rectified_rate(),
        }
    }
}

pub fn json<'a>(c: &'a Campaign, p: &'a Progress, as_of: &'a str) -> Report<'a> {
    Report {
        campaign: c,
        as_of,
        units: p
            .units
            .iter()
            .map(|u| JsonUnit {
                unit: &u.unit,
                level: u.level,
                depth: u.depth,
                figures: (&u.figures).into(),
            })
            .collect(),
        total: (&p.total).into(),
        definitions: W::Footnote.text(Lang::En),
    }
}
