//! What `jicha import` and `jicha scan` print: their summaries as a table in the interface
//! language (aligned by display width, so Chinese lines up), CSV or JSON.

use super::format::{col, write_records, Format};
use super::{clear_progress, open, output, progress_line};
use crate::context::Lang;
use crate::error::Result;
use crate::i18n::cli::{say, Col, Msg};
use crate::import::ImportSummary;
use crate::output::table::{pad, pad_left};
use crate::output::xlsx;
use crate::scan::{RuleCount, ScanSummary};
use crate::text;
use serde_json::json;
use std::io::Write;

/// `jicha scan`.
pub(super) fn scan_cmd(
    g: &super::args::Global,
    as_of: Option<chrono::NaiveDate>,
    format: Format,
    full: bool,
) -> Result<()> {
    let mut s = open(g)?;
    let as_of = as_of.unwrap_or(s.ctx.today);
    let started = std::time::Instant::now();
    let mode = if full {
        crate::scan::Mode::Full
    } else {
        crate::scan::Mode::Auto
    };
    let summary = crate::scan::run_scan_with(&mut s.ds, &s.ctx, as_of, mode, &mut progress_line())?;
    crate::diag::timed("scan", summary.totals.hits, started);
    clear_progress();
    // The escalation notices follow the scan, as an action of their own (its own transaction,
    // after the scan's): said on stderr, so the scan's CSV or JSON stays what it was.
    let escalated = crate::actions::escalation::run(
        &mut s.ds,
        &s.ctx,
        crate::actions::escalation::Trigger::Scan,
    );
    print_scan(&summary, format, s.ctx.lang)?;
    let outcome = escalated?;
    if outcome.changed > 0 {
        eprintln!("jicha: {}", text::escape(&outcome.text(s.ctx.lang)));
    }
    Ok(())
}

/// The UI's scan job (the scan key): the scan, then the day's escalation notices as an action
/// of their own right after it; one line for the status bar.
pub fn scan_for_ui(
    path: &std::path::Path,
    ctx: &crate::context::Ctx,
    as_of: chrono::NaiveDate,
    progress: crate::progress::Callback,
) -> std::result::Result<String, String> {
    let mut ds = crate::db::Dataset::open(path).map_err(|e| e.to_string())?;
    let s = crate::scan::run_scan(&mut ds, ctx, as_of, progress).map_err(|e| e.to_string())?;
    let t = &s.totals;
    let line = say(
        ctx.lang,
        Msg::UiScanDone,
        &[
            ("id", &s.scan_id),
            ("hits", &t.hits),
            ("new", &t.new),
            ("reopened", &t.reopened),
            ("cleared", &t.cleared),
            ("suppressed", &t.suppressed),
        ],
    );
    let sep = if ctx.lang == Lang::Zh { "；" } else { "; " };
    Ok(
        match crate::actions::escalation::run(
            &mut ds,
            ctx,
            crate::actions::escalation::Trigger::Scan,
        ) {
            Ok(o) if o.changed > 0 => format!("{line}{sep}{}", o.text(ctx.lang)),
            Ok(_) => line,
            Err(e) => format!("{line}{sep}{}", e.text(ctx.lang)),
        },
    )
}

pub(super) fn print_scan(summary: &ScanSummary, format: Format, lang: Lang) -> Result<()> {
    match format {
        Format::Xlsx => xlsx::emit(&xlsx::summaries::scan(lang, summary)?.0),
        Format::Table => {
            let text = scan_text(summary, lang);
            writeln!(output::stdout(), "{}", text::sanitize(&text))?;
            Ok(())
        }
        Format::Json => {
            let json = serde_json::to_string_pretty(&summary.to_json()).expect("serializable");
            writeln!(output::stdout(), "{}", output::json_for_stdout(json))?;
            Ok(())
        }
        Format::Csv => {
            let columns = [
                col("rule", Col::Rule, 0),
                col("hits", Col::Hits, 0),
                col("new", Col::New, 0),
                col("again", Col::Again, 0),
                col("again_closed", Col::Again, 0),
                col("cleared", Col::Cleared, 0),
                col("reopened", Col::Reopened, 0),
                col("suppressed", Col::Suppressed, 0),
            ];
            let rows: Vec<Vec<serde_json::Value>> = summary
                .per_rule
                .iter()
                .chain(std::iter::once(&summary.totals))
                .map(|c| {
                    vec![
                        json!(c.rule),
                        json!(c.hits),
                        json!(c.new),
                        json!(c.again),
                        json!(c.again_closed),
                        json!(c.cleared),
                        json!(c.reopened),
                        json!(c.suppressed),
                    ]
                })
                .collect();
            write_records(format, lang, &columns, &rows)
        }
    }
}

/// The scan summary for people: a head line, hits per rule with a total row, what changed.
pub fn scan_text(summary: &ScanSummary, lang: Lang) -> String {
    let mut out = say(
        lang,
        Msg::ScanHead,
        &[
            ("id", &summary.scan_id),
            ("as_of", &summary.as_of),
            ("date", &summary.business_date),
        ],
    );
    out.push('\n');
    let kind = match summary.kind {
        crate::rules::incremental::Kind::Full => Msg::ScanKindFull,
        crate::rules::incremental::Kind::Incremental => Msg::ScanKindIncremental,
    };
    out.push_str(&say(lang, kind, &[("n", &summary.rejudged)]));
    out.push('\n');
    let counts = [
        Col::Hits,
        Col::New,
        Col::Again,
        Col::Cleared,
        Col::Reopened,
        Col::Suppressed,
    ];
    let widths: Vec<usize> = counts
        .iter()
        .enumerate()
        .map(|(i, c)| text::width(c.text(lang)).max(if i == 5 { 10 } else { 8 }))
        .collect();
    let mut line = |label: &str, cells: [String; 6]| {
        let mut l = pad(label, 24);
        for (cell, w) in cells.iter().zip(&widths) {
            l.push(' ');
            l.push_str(&pad_left(cell, *w));
        }
        out.push_str(&l);
        out.push('\n');
    };
    line(
        Col::Rule.text(lang),
        counts.map(|c| c.text(lang).to_string()),
    );
    for c in &summary.per_rule {
        // External rule ids carry imported text: never let it reach the terminal raw.
        let name: String = c.rule.chars().filter(|ch| !ch.is_control()).collect();
        line(&name, numbers(c));
    }
    let total = match lang {
        Lang::En => summary.totals.rule.clone(),
        Lang::Zh => Msg::Total.text(lang).to_string(),
    };
    line(&total, numbers(&summary.totals));
    let t = &summary.totals;
    out.push_str(&say(
        lang,
        Msg::ScanTotals,
        &[
            ("hits", &t.hits),
            ("new", &t.new),
            ("again", &t.again),
            ("again_closed", &t.again_closed),
            ("cleared", &t.cleared),
            ("reopened", &t.reopened),
            ("suppressed", &t.suppressed),
        ],
    ));
    out
}

fn numbers(c: &RuleCount) -> [String; 6] {
    [c.hits, c.new, c.again, c.cleared, c.reopened, c.suppressed].map(|n| n.to_string())
}

/// What `jicha import` prints once the import is committed.
pub(super) fn print_import(summary: &ImportSummary, format: Format, lang: Lang) -> Result<()> {
    match format {
        Format::Xlsx => xlsx::emit(&xlsx::summaries::import(lang, summary)?.0),
        Format::Table => {
            let text = import_text(summary, lang);
            write!(output::stdout(), "{}", text::sanitize(&text))?;
            Ok(())
        }
        Format::Json => {
            let files: Vec<serde_json::Value> = summary
                .files
                .iter()
                .map(|f| {
                    json!({"file": f.file, "rows": f.rows, "inserted": f.inserted, "updated": f.updated})
                })
                .collect();
            let v = json!({
                "import_id": summary.import_id,
                "source_dir": summary.source_dir,
                "files": files,
                "warnings": summary.warnings,
                "warnings_total": summary.warnings_total,
            });
            let json = serde_json::to_string_pretty(&v).expect("serializable");
            writeln!(output::stdout(), "{}", output::json_for_stdout(json))?;
            Ok(())
        }
        Format::Csv => {
            let columns = [
                col("file", Col::File, 0),
                col("rows", Col::Rows, 0),
                col("inserted", Col::Inserted, 0),
                col("updated", Col::Updated, 0),
            ];
            let rows: Vec<Vec<serde_json::Value>> = summary
                .files
                .iter()
                .map(|f| {
                    vec![
                        json!(f.file),
                        json!(f.rows),
                        json!(f.inserted),
                        json!(f.updated),
                    ]
                })
                .collect();
            write_records(format, lang, &columns, &rows)
        }
    }
}

/// The import summary for people: where from, rows per file, then the warnings.
pub fn import_text(summary: &ImportSummary, lang: Lang) -> String {
    let dir = text::escape(&summary.source_dir);
    let mut out = say(
        lang,
        Msg::ImportHead,
        &[("id", &summary.import_id), ("dir", &dir)],
    );
    out.push('\n');
    for f in &summary.files {
        let n = |v: u64| pad_left(&v.to_string(), 10);
        let row = say(
            lang,
            Msg::ImportFileRow,
            &[
                ("rows", &n(f.rows)),
                ("new", &n(f.inserted)),
                ("updated", &n(f.updated)),
            ],
        );
        out.push_str(&format!("  {} {row}\n", pad(&f.file, 22)));
    }
    match summary.warnings_total {
        0 => {}
        1 => out.push_str(&format!("{}\n", Msg::OneWarning.text(lang))),
        n => out.push_str(&format!("{}\n", say(lang, Msg::Warnings, &[("n", &n)]))),
    }
    for w in &summary.warnings {
        out.push_str(&format!("  {w}\n"));
    }
    out
}
