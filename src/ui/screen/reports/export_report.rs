//! The reports screen's export: the report on screen (its period and unit) as Markdown, CSV or
//! Excel, made by the same code as `jicha report --format md|csv|xlsx --out FILE` (CSV with
//! the byte-order mark `--out` puts in by default). The export key asks for the format, then
//! for the file with `jicha-report-<from>-<to>[-<unit>].<ext>` in the dataset's directory
//! filled in; an existing file is replaced only when the operator says so (`screen::export`);
//! the file is written on the loader's thread and the status line says where.

use super::super::export::{self as xport, Target};
use super::super::Cx;
use crate::context::Lang;
use crate::reports::Report;
use crate::text::escape;
use crate::ui::dialog::{Choice, Prompt};
use crate::ui::loader::Loaded;
use std::path::{Path, PathBuf};

/// The loader's slot of a report being written.
pub const SLOT: &str = "report-export";

crate::bilingual_messages! {
    pub enum RpExportMsg {
        Format => "Export the report as", "报表导出格式";
        Md => "Markdown (.md)", "Markdown 文本（.md）";
        Csv => "CSV (.csv, opens in Excel)", "CSV（.csv，可用 Excel 打开）";
        Xlsx => "Excel workbook (.xlsx), a sheet per breakdown", "Excel 工作簿（.xlsx），每项分表";
        File => "Export the report to the file", "将当前报表导出到文件";
        FileNote => "In the dataset's directory unless you type another path", "默认在数据集所在目录，可改为其他路径";
    }
}

/// The formats, in the order the format question lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Md,
    Csv,
    Xlsx,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Md, Format::Csv, Format::Xlsx];

    pub fn ext(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    fn label(self) -> RpExportMsg {
        match self {
            Format::Md => RpExportMsg::Md,
            Format::Csv => RpExportMsg::Csv,
            Format::Xlsx => RpExportMsg::Xlsx,
        }
    }
}

/// The format question's tag.
pub struct PickFormat;

/// Opens the format question, Excel under the cursor (what the key exported before).
pub fn ask_format(cx: &mut Cx) {
    let lang = cx.lang();
    let items = Format::ALL
        .iter()
        .map(|f| f.label().text(lang).to_string())
        .collect();
    let mut c = Choice::new(
        RpExportMsg::Format.text(lang).to_string(),
        items,
        PickFormat,
    );
    c.sel = 2;
    c.size = (64, None);
    cx.dialog(c);
}

/// Opens the file-name question for `fmt`, the default in the dataset's directory.
pub fn ask_file(cx: &mut Cx, r: &Report, fmt: Format) {
    let default = default_path(&cx.ds.path, &r.from, &r.to, r.unit.as_deref(), fmt);
    let lang = cx.lang();
    let mut p = Prompt::new(
        RpExportMsg::File.text(lang).to_string(),
        Some(default.display().to_string()),
        xport::Ask::File,
    );
    p.note = Some(RpExportMsg::FileNote.text(lang).to_string());
    p.empty_clears = false;
    cx.dialog(p);
}

/// `<dataset dir>/jicha-report-<from>-<to>[-<unit>].<ext>`; a unit name's path separators and
/// control characters become `_`.
pub fn default_path(
    dataset: &Path,
    from: &str,
    to: &str,
    unit: Option<&str>,
    fmt: Format,
) -> PathBuf {
    let dir = match dataset.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let unit = unit
        .map(|u| {
            let safe: String = u
                .chars()
                .map(|c| {
                    if c == '/' || c == '\\' || c.is_control() || c.is_whitespace() {
                        '_'
                    } else {
                        c
                    }
                })
                .collect();
            format!("-{safe}")
        })
        .unwrap_or_default();
    dir.join(format!("jicha-report-{from}-{to}{unit}.{}", fmt.ext()))
}

/// The file's bytes, as `jicha report --format … --out FILE` writes them.
pub fn bytes(r: &Report, fmt: Format, lang: Lang) -> crate::Result<Vec<u8>> {
    use crate::output::stream::for_stdout;
    Ok(match fmt {
        Format::Xlsx => crate::output::xlsx::report::workbook(lang, r)?.0,
        Format::Csv => {
            let mut buf = Vec::new();
            crate::output::report::write_csv(r, &mut buf)?;
            let text = for_stdout(&String::from_utf8_lossy(&buf)).replace('␊', "\n");
            // `--out` starts CSV with a byte-order mark, so Excel reads it as UTF-8.
            let mut out = "\u{feff}".as_bytes().to_vec();
            out.extend_from_slice(text.as_bytes());
            out
        }
        Format::Md => {
            let text = crate::output::report::render_text(r, true, lang);
            for_stdout(&text).replace('␊', "\n").into_bytes()
        }
    })
}

/// What the loader answers once the file is written.
pub struct Written {
    pub path: PathBuf,
    pub fmt: Format,
}

/// Writes the report to the target on the loader's thread.
pub fn write(target: Target, r: Box<Report>, fmt: Format, cx: &mut Cx) {
    let lang = cx.lang();
    cx.info(exporting(lang, &target.path));
    cx.load(SLOT, move |_| {
        let data = bytes(&r, fmt, lang)?;
        crate::output::save::write_file(&target.path, &data, target.replace)
            .map_err(|e| crate::JichaError::invalid(format!("{}: {e}", target.path.display())))?;
        Ok(Written {
            path: target.path,
            fmt,
        })
    });
}

/// The loader's answer to `write`, on the status line.
pub fn done(answer: Loaded, cx: &mut Cx) {
    let lang = cx.lang();
    match answer.take::<Written>() {
        Ok(w) => cx.info(exported(lang, w.fmt, &w.path)),
        Err(e) => cx.error(format!(
            "{}: {}",
            xport::ExportMsg::NotExported.text(lang),
            escape(&e)
        )),
    }
}

fn exporting(lang: Lang, path: &Path) -> String {
    let path = escape(&path.display().to_string()).into_owned();
    match lang {
        Lang::En => format!("Exporting the report to {path} …"),
        Lang::Zh => format!("正在导出报表到 {path} …"),
    }
}

/// `Exported the report (csv) to PATH`.
pub fn exported(lang: Lang, fmt: Format, path: &Path) -> String {
    let path = escape(&path.display().to_string()).into_owned();
    match lang {
        Lang::En => format!("Exported the report ({}) to {path}", fmt.ext()),
        Lang::Zh => format!("已将报表（{}）导出到 {path}", fmt.ext()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_name_is_beside_the_dataset_and_names_period_unit_and_format() {
        let (from, to) = ("2026-11-01", "2026-11-02");
        let unit = Some("城东/米市巷 所");
        let p = default_path(Path::new("/data/jicha/set.db"), from, to, unit, Format::Csv);
        assert_eq!(
            p,
            PathBuf::from("/data/jicha/jicha-report-2026-11-01-2026-11-02-城东_米市巷_所.csv")
        );
        let p = default_path(Path::new("set.db"), from, to, None, Format::Md);
        assert_eq!(p, PathBuf::from("./jicha-report-2026-11-01-2026-11-02.md"));
    }
}
