//! Which files of an export directory are imported, in which order, and which are ignored.

use super::contract::{FileSpec, FILES};
use crate::error::{JichaError, Result};
use crate::text::escape;
use std::path::{Path, PathBuf};

pub struct Planned {
    pub spec: &'static FileSpec,
    pub path: PathBuf,
    pub size: u64,
}

/// The contract's files found in `dir`, customers first; every other entry becomes a warning.
pub fn plan(dir: &Path, warnings: &mut Vec<String>) -> Result<Vec<Planned>> {
    if !dir.is_dir() {
        return Err(JichaError::invalid(format!(
            "{}: not a directory; give the directory that holds the export's CSV files",
            escape(&dir.display().to_string())
        )));
    }
    let mut found: Vec<Option<Planned>> = FILES.iter().map(|_| None).collect();
    let mut others = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        match FILES.iter().position(|s| s.file == name) {
            Some(i) => {
                let meta = std::fs::metadata(entry.path())?;
                if !meta.is_file() {
                    return Err(JichaError::Import(vec![format!(
                        "{name}: not a regular file"
                    )]));
                }
                found[i] = Some(Planned {
                    spec: FILES[i],
                    path: entry.path(),
                    size: meta.len(),
                });
            }
            None => others.push(name),
        }
    }
    others.sort();
    for name in others {
        let hint = FILES
            .iter()
            .find(|s| s.file.eq_ignore_ascii_case(&name))
            .map(|s| format!(" (names are case-sensitive: did you mean {}?)", s.file))
            .unwrap_or_default();
        warnings.push(format!(
            "{}: not a file of the data contract; ignored{hint}",
            escape(&name)
        ));
    }
    if found[0].is_none() {
        return Err(JichaError::Import(vec![format!(
            "{}: customers.csv is missing; an export needs customers.csv (the other files are optional)",
            escape(&dir.display().to_string())
        )]));
    }
    Ok(found.into_iter().flatten().collect())
}
