//! `jicha changes`: what re-imports changed in the imported export (source history), field by
//! field, old → new, with the imports involved; newest first. The read side is
//! `crate::history`.

use super::{output, Session};
use crate::context::Lang;
use crate::error::{JichaError, Result};
use crate::history::{self, Change, Filter, Since};
use clap::ValueEnum;
use output::{for_stdout, json_for_stdout};
use serde_json::json;
use std::io::Write;

/// `--format` of `jicha changes`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ChangesFormat {
    /// Aligned text for reading.
    Text,
    /// Comma-separated values with stable English headers, for spreadsheets and scripts.
    Csv,
    /// A JSON array of objects with stable English keys, for programs.
    Json,
}

fn bad_since(lang: Lang, given: &str) -> JichaError {
    let given = crate::text::escape(given).into_owned();
    JichaError::Usage(match lang {
        Lang::En => format!(
            "--since {given}: give an import number (jicha log shows them) or a date YYYY-MM-DD"
        ),
        Lang::Zh => format!("--since {given}：请给出导入编号（见 jicha log）或日期 YYYY-MM-DD"),
    })
}

pub(super) fn changes_cmd(
    s: &Session,
    since: Option<&str>,
    file: Option<String>,
    cust: Option<String>,
    format: ChangesFormat,
) -> Result<()> {
    let lang = s.ctx.lang;
    let since = match since {
        Some(t) => Some(Since::parse(t).ok_or_else(|| bad_since(lang, t))?),
        None => None,
    };
    let filter = Filter {
        since,
        file,
        cust,
        limit: None,
    };
    let list = history::list(&s.ds.conn, &filter)?;
    let stdout = output::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match format {
        ChangesFormat::Text => text(&mut out, lang, &list)?,
        ChangesFormat::Csv => csv(&mut out, &list)?,
        ChangesFormat::Json => {
            let rows: Vec<serde_json::Value> = list.iter().map(to_json).collect();
            let t = serde_json::to_string_pretty(&rows).expect("serializable");
            writeln!(out, "{}", json_for_stdout(t))?;
        }
    }
    out.flush()?;
    Ok(())
}

fn text(out: &mut dyn Write, lang: Lang, list: &[Change]) -> Result<()> {
    if list.is_empty() {
        writeln!(
            out,
            "{}",
            match lang {
                Lang::En => "no changes",
                Lang::Zh => "无变更",
            }
        )?;
        return Ok(());
    }
    for c in list {
        writeln!(out, "{}", history::one_line(c, lang))?;
    }
    Ok(())
}

fn csv(out: &mut dyn Write, list: &[Change]) -> Result<()> {
    output::csv_start(out)?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "id",
        "file",
        "key",
        "cust_no",
        "kind",
        "field",
        "old",
        "new",
        "since_import",
        "replaced_by",
        "replaced_on",
    ])
    .map_err(super::csv_err)?;
    for c in list {
        for f in &c.fields {
            let cells = [
                c.id.to_string(),
                c.file.clone(),
                c.key.join("/"),
                c.cust_no.clone().unwrap_or_default(),
                c.kind.clone(),
                f.field.clone(),
                history::shown(&f.old),
                f.new.as_ref().map(history::shown).unwrap_or_default(),
                c.since_import.to_string(),
                c.replaced_by.to_string(),
                c.replaced_on.clone(),
            ];
            w.write_record(cells.iter().map(|v| for_stdout(v).into_owned()))
                .map_err(super::csv_err)?;
        }
    }
    w.flush()?;
    Ok(())
}

fn to_json(c: &Change) -> serde_json::Value {
    let fields: Vec<serde_json::Value> = c
        .fields
        .iter()
        .map(|f| json!({"field": f.field, "old": f.old, "new": f.new}))
        .collect();
    json!({
        "id": c.id, "file": c.file, "key": c.key, "cust_no": c.cust_no, "kind": c.kind,
        "since_import": c.since_import, "replaced_by": c.replaced_by,
        "replaced_on": c.replaced_on, "fields": fields,
    })
}
