//! Exporting what a screen shows to an Excel file (the findings list as filtered, the report
//! of the period): the export key asks for the file name with the default filled in, asks
//! again before replacing an existing file, and writes on the loader's thread, off the render
//! path; the status line says how many rows went where. The workbooks are the CLI's
//! (`crate::output::xlsx`).

use super::Cx;
use crate::context::Lang;
use crate::text::escape;
use crate::ui::dialog::{Choice, Prompt, Value};
use crate::ui::loader::Loaded;
use std::path::PathBuf;

/// The loader's slot of an export being written.
pub const SLOT: &str = "export";

crate::bilingual_messages! {
    pub enum ExportMsg {
        PromptFindings => "Export the filtered findings to the Excel file", "将当前筛选的异常清单导出为 Excel 文件";
        PromptReport => "Export the report to the Excel file", "将当前报表导出为 Excel 文件";
        Exists => "The file exists already", "文件已存在";
        Replace => "Replace it", "覆盖";
        Keep => "Keep it (do not export)", "保留原文件（不导出）";
        NotExported => "Not exported", "未导出";
        NothingYet => "Nothing to export yet", "尚无可导出的内容";
    }
}

/// What an export dialog is asking.
#[derive(Debug, Clone)]
pub enum Ask {
    /// The file name.
    File,
    /// Whether to replace the existing file at this path.
    Replace(PathBuf),
}

/// A file to write: where, and whether the operator agreed to replace what is there.
pub struct Target {
    pub path: PathBuf,
    pub replace: bool,
}

/// What the loader answers when the file is written.
pub struct Written {
    pub rows: u64,
    pub path: PathBuf,
}

/// `jicha-<stem>.xlsx` in the current directory.
pub fn default_name(stem: &str) -> String {
    format!("./jicha-{stem}.xlsx")
}

/// Opens the file-name prompt.
pub fn ask_file(cx: &mut Cx, title: ExportMsg, default: String) {
    let mut p = Prompt::new(title.text(cx.lang()).to_string(), Some(default), Ask::File);
    p.empty_clears = false;
    cx.dialog(p);
}

/// An answer to one of the export dialogs: the target once it is settled, None while another
/// question is open or when the operator let it be.
pub fn reply(ask: &Ask, value: Value, cx: &mut Cx) -> Option<Target> {
    let lang = cx.lang();
    match (ask, value) {
        (Ask::File, Value::Text(text)) => {
            let name = text.trim();
            if name.is_empty() {
                cx.info(ExportMsg::NotExported.text(lang));
                return None;
            }
            let path = PathBuf::from(name);
            if std::fs::symlink_metadata(&path).is_ok() {
                let title = format!(
                    "{}: {}",
                    ExportMsg::Exists.text(lang),
                    escape(&path.display().to_string())
                );
                let items = vec![
                    ExportMsg::Keep.text(lang).to_string(),
                    ExportMsg::Replace.text(lang).to_string(),
                ];
                cx.dialog(Choice::new(title, items, Ask::Replace(path)));
                return None;
            }
            Some(Target {
                path,
                replace: false,
            })
        }
        (Ask::Replace(path), Value::Choice(1)) => Some(Target {
            path: path.clone(),
            replace: true,
        }),
        (Ask::Replace(_), _) => {
            cx.info(ExportMsg::NotExported.text(lang));
            None
        }
        _ => None,
    }
}

/// Writes the workbook `build` makes to the target, on the loader's thread. `build` returns
/// the workbook's bytes and how many rows it holds.
pub fn write<F>(target: Target, cx: &mut Cx, build: F)
where
    F: FnOnce(&crate::db::Dataset) -> crate::Result<(Vec<u8>, u64)> + Send + 'static,
{
    cx.info(exporting(cx.lang(), &target.path));
    cx.load(SLOT, move |ds| {
        let (bytes, rows) = build(ds)?;
        crate::output::save::write_file(&target.path, &bytes, target.replace)
            .map_err(|e| crate::JichaError::invalid(format!("{}: {e}", target.path.display())))?;
        Ok(Written {
            rows,
            path: target.path,
        })
    });
}

/// The loader's answer to `write`, on the status line.
pub fn done(answer: Loaded, cx: &mut Cx) {
    match answer.take::<Written>() {
        Ok(w) => cx.info(exported(cx.lang(), w.rows, &w.path)),
        Err(e) => cx.error(format!(
            "{}: {}",
            ExportMsg::NotExported.text(cx.lang()),
            escape(&e)
        )),
    }
}

fn exporting(lang: Lang, path: &std::path::Path) -> String {
    let path = escape(&path.display().to_string()).into_owned();
    match lang {
        Lang::En => format!("Exporting to {path} …"),
        Lang::Zh => format!("正在导出到 {path} …"),
    }
}

pub fn exported(lang: Lang, rows: u64, path: &std::path::Path) -> String {
    let path = escape(&path.display().to_string()).into_owned();
    match lang {
        Lang::En => format!("Exported {rows} rows to {path}"),
        Lang::Zh => format!("已导出 {rows} 行到 {path}"),
    }
}
