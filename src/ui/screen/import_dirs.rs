//! The import screen's directory browser: a directory's subdirectories, each with the data
//! contract's files it holds (`customers.csv`, `bills.csv.gz`, …), shown as a pick list
//! (`Choice`) whose first lines import the directory shown, go up, or take a typed path.

use crate::context::Lang;
use crate::import::contract::FILES;
use crate::ui::dialog::Choice;
use crate::ui::render::esc;
use std::path::{Path, PathBuf};

/// At most this many subdirectories are listed (sorted by name); the rest are counted.
pub const MAX_SUBDIRS: usize = 200;

crate::bilingual_messages! {
    pub enum DirMsg {
        Title => "Import: choose the export directory", "导入 · 选择导出目录";
        ImportHere => "Import this directory", "导入此目录";
        Up => ".. (parent directory)", "..（上级目录）";
        TypePath => "Type a path …", "输入路径 …";
        NoContract => "no data-contract files", "无数据契约文件";
        TypeTitle => "Import from the directory", "从此目录导入";
        NotADir => "Not a directory; type the export directory's path", "不是目录；请输入导出目录的路径";
    }
}

/// What each line of the pick list does.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// Import the directory shown.
    ImportHere(PathBuf),
    /// Show this directory (the parent, or a subdirectory).
    Open(PathBuf),
    /// Ask for a path.
    Type,
}

/// The tag of the browser's pick list: what each of its lines does.
pub struct Browse {
    pub dir: PathBuf,
    pub entries: Vec<Entry>,
}

/// The tag of the typed-path prompt.
pub struct TypedPath;

/// The contract's files in `dir` (plain or `.gz`), in the contract's order; empty when the
/// directory cannot be read.
pub fn contract_files(dir: &Path) -> Vec<String> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let names: Vec<String> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let mut out = Vec::new();
    for spec in FILES {
        let gz = format!("{}.gz", spec.file);
        if let Some(n) = names.iter().find(|n| *n == spec.file || **n == gz) {
            out.push(n.clone());
        }
    }
    out
}

/// `dir`'s subdirectories (not hidden), sorted by name, at most `MAX_SUBDIRS`, and how many
/// more there are.
pub fn subdirs(dir: &Path) -> (Vec<PathBuf>, usize) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return (Vec::new(), 0);
    };
    let mut all: Vec<PathBuf> = rd
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter(|e| e.path().is_dir())
        .map(|e| e.path())
        .collect();
    all.sort();
    let more = all.len().saturating_sub(MAX_SUBDIRS);
    all.truncate(MAX_SUBDIRS);
    (all, more)
}

/// The files a directory holds, as the list shows them: `customers bills.gz …` (the `.csv`
/// every contract file ends in left out, so that eight names fit at 80 columns).
fn holds(lang: Lang, files: &[String]) -> String {
    if files.is_empty() {
        return DirMsg::NoContract.text(lang).to_string();
    }
    let short: Vec<String> = files.iter().map(|f| f.replacen(".csv", "", 1)).collect();
    esc(&short.join(" "))
}

/// The pick list for `dir`: import it, its parent, a typed path, then its subdirectories.
pub fn browser(dir: &Path, lang: Lang) -> Choice {
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let here = contract_files(&dir);
    let mut items = vec![format!(
        "{} · {}",
        DirMsg::ImportHere.text(lang),
        holds(lang, &here)
    )];
    let mut entries = vec![Entry::ImportHere(dir.clone())];
    if let Some(parent) = dir.parent() {
        items.push(DirMsg::Up.text(lang).to_string());
        entries.push(Entry::Open(parent.to_path_buf()));
    }
    items.push(DirMsg::TypePath.text(lang).to_string());
    entries.push(Entry::Type);
    let (subs, more) = subdirs(&dir);
    for s in subs {
        let name = s
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let files = contract_files(&s);
        items.push(format!("{}/ · {}", esc(&name), holds(lang, &files)));
        entries.push(Entry::Open(s));
    }
    if more > 0 {
        items.push(match lang {
            Lang::En => format!("… and {more} more directories (type a path)"),
            Lang::Zh => format!("… 另有 {more} 个目录（请输入路径）"),
        });
        entries.push(Entry::Type);
    }
    let colon = match lang {
        Lang::En => ": ",
        Lang::Zh => "：",
    };
    let title = format!(
        "{}{colon}{}",
        DirMsg::Title.text(lang),
        esc(&dir.display().to_string())
    );
    let mut c = Choice::new(title, items, Browse { dir, entries });
    c.numbered = false;
    c.size = (100, None);
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_lists_its_subdirectories_with_the_contract_files_they_hold() {
        let d = tempfile::tempdir().unwrap();
        let exp = d.path().join("export-1102");
        std::fs::create_dir(&exp).unwrap();
        std::fs::write(exp.join("bills.csv.gz"), b"").unwrap();
        std::fs::write(exp.join("customers.csv"), b"").unwrap();
        std::fs::write(exp.join("notes.txt"), b"").unwrap();
        std::fs::create_dir(d.path().join("empty")).unwrap();
        std::fs::create_dir(d.path().join(".hidden")).unwrap();
        assert_eq!(contract_files(&exp), ["customers.csv", "bills.csv.gz"]);
        let c = browser(d.path(), Lang::En);
        assert!(c.items[0].starts_with("Import this directory · no data-contract files"));
        assert_eq!(c.items[1], ".. (parent directory)");
        assert_eq!(c.items[2], "Type a path …");
        assert_eq!(c.items[3], "empty/ · no data-contract files");
        assert_eq!(c.items[4], "export-1102/ · customers bills.gz");
        assert_eq!(
            c.items.len(),
            5,
            "hidden directories and files are not listed"
        );
        let tag = c.tag.downcast_ref::<Browse>().unwrap();
        assert_eq!(
            tag.entries[4],
            Entry::Open(d.path().canonicalize().unwrap().join("export-1102"))
        );
    }
}
