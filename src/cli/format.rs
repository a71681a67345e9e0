//! `--format`: the one set of output formats every listing command takes, defined here only,
//! so a new format is one variant (each command's `match` then says how it writes it), and the
//! writer of simple record lists (thresholds, operators, the action log, summaries).

use crate::context::Lang;
use crate::error::Result;
use crate::i18n::cli::Col;
use crate::output::stream::{self as output, for_stdout, json_for_stdout, Table};
use clap::ValueEnum;
use std::io::Write;

/// How a listing is written.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Aligned columns for reading: escaped, headers in the interface language.
    Table,
    /// Comma-separated values with stable English headers, for spreadsheets and scripts.
    Csv,
    /// A JSON array of objects with stable English keys, for programs.
    Json,
    /// An Excel workbook (with --out FILE): 户号 and 表号 as text, headers in the interface
    /// language.
    Xlsx,
}

/// How a report (prose with tables) is written.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    /// Aligned text for reading.
    #[value(alias = "table")]
    Text,
    /// Markdown, for mail and wikis.
    Md,
    /// JSON with stable English keys.
    Json,
    /// Comma-separated values.
    Csv,
    /// An Excel workbook, a sheet per breakdown (with --out FILE).
    Xlsx,
}

/// `--format xlsx` reaching `write_records`: each command writes its workbook itself
/// (`output::xlsx`) and never hands xlsx on; this is the answer should one get through.
fn xlsx_refused() -> crate::error::JichaError {
    crate::error::JichaError::Usage("--format xlsx: not for this command".into())
}

/// A stored code as people read it: the code itself under en (what scripts and the spec
/// name), its Chinese name under zh.
pub fn in_lang(lang: Lang, code: &str, zh_name: &str) -> String {
    match lang {
        Lang::En => code.to_string(),
        Lang::Zh => zh_name.to_string(),
    }
}

/// One column of a record list: its stable key (CSV header, JSON key), its header for people
/// and its width in terminal columns.
pub struct Column {
    pub key: &'static str,
    pub label: Col,
    pub width: usize,
}

pub const fn col(key: &'static str, label: Col, width: usize) -> Column {
    Column { key, label, width }
}

/// Writes `rows` (one value per column) to stdout as a table, CSV or a JSON array of objects.
/// JSON keeps each value's type; the table and CSV show strings as they are and `null` empty.
pub fn write_records(
    format: Format,
    lang: Lang,
    columns: &[Column],
    rows: &[Vec<serde_json::Value>],
) -> Result<()> {
    let stdout = output::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match format {
        Format::Xlsx => return Err(xlsx_refused()),
        Format::Table => {
            let header: Vec<(Col, usize)> = columns.iter().map(|c| (c.label, c.width)).collect();
            let header = headers(lang, &header);
            let mut t = Table::new(&mut out, &header)?;
            for r in rows {
                let cells: Vec<String> = r.iter().map(cell_text).collect();
                let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
                t.row(&cells)?;
            }
        }
        Format::Csv => {
            output::csv_start(&mut out)?;
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(columns.iter().map(|c| c.key))
                .map_err(super::csv_err)?;
            for r in rows {
                w.write_record(r.iter().map(|v| for_stdout(&cell_text(v)).into_owned()))
                    .map_err(super::csv_err)?;
            }
            w.flush()?;
        }
        Format::Json => {
            let list: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    let object = columns
                        .iter()
                        .zip(r)
                        .map(|(c, v)| (c.key.to_string(), v.clone()))
                        .collect::<serde_json::Map<_, _>>();
                    serde_json::Value::Object(object)
                })
                .collect();
            let json = serde_json::to_string_pretty(&list).expect("serializable");
            writeln!(out, "{}", json_for_stdout(json))?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Table headers in `lang`, each column at least as wide as its header (CJK counts two).
pub fn headers(lang: Lang, columns: &[(Col, usize)]) -> Vec<(&'static str, usize)> {
    columns
        .iter()
        .map(|(c, w)| {
            let label = c.text(lang);
            (label, (*w).max(crate::text::width(label)))
        })
        .collect()
}

fn cell_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
