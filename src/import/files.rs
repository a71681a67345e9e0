//! Which files of an export directory are imported, in which order, and which are ignored.

use super::contract::{FileSpec, FILES};
use super::errors::{Warnings, MAX_SHOWN};
use crate::error::{JichaError, Result};
use crate::fsutil::{self, FileError};
use crate::text::escape;
use std::collections::BinaryHeap;
use std::fs::File;
use std::path::Path;

pub struct Planned {
    pub spec: &'static FileSpec,
    /// Opened and checked to be a regular file when planned; read from its start by each
    /// attempt of the import.
    pub file: File,
    pub size: u64,
}

/// The contract's files found in `dir`, customers first, each opened; every other entry becomes
/// a warning.
pub fn plan(dir: &Path, warnings: &mut Warnings) -> Result<Vec<Planned>> {
    if !dir.is_dir() {
        return Err(JichaError::invalid(format!(
            "{}: not a directory; give the directory that holds the export's CSV files",
            escape(&dir.display().to_string())
        )));
    }
    let mut found: Vec<Option<Planned>> = FILES.iter().map(|_| None).collect();
    // The alphabetically first names that will be shown, and a count of the others: a
    // directory of a million stray files costs a count.
    let mut others: BinaryHeap<String> = BinaryHeap::new();
    let mut unshown = 0u64;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        match FILES.iter().position(|s| s.file == name) {
            Some(i) => {
                let path = entry.path();
                // Opened now, without blocking, and checked through the descriptor: the import
                // holds the dataset's write lock while it reads, so it must not wait on a pipe.
                let (file, meta) = fsutil::open_regular_file(&path).map_err(|e| match e {
                    FileError::NotRegular(_) => JichaError::Import(vec![format!(
                        "{name}: {e}; put the export's CSV files in the directory as regular files (not pipes, devices or directories)"
                    )]),
                    other => JichaError::invalid(format!("{name}: cannot be read: {other}")),
                })?;
                found[i] = Some(Planned {
                    spec: FILES[i],
                    file,
                    size: meta.len(),
                });
            }
            None => {
                others.push(name);
                if others.len() > MAX_SHOWN {
                    others.pop();
                    unshown += 1;
                }
            }
        }
    }
    for name in others.into_sorted_vec() {
        let hint = FILES
            .iter()
            .find(|s| s.file.eq_ignore_ascii_case(&name))
            .map(|s| format!(" (names are case-sensitive: did you mean {}?)", s.file))
            .unwrap_or_default();
        warnings.add(|| {
            format!(
                "{}: not a file of the data contract; ignored{hint}",
                escape(&name)
            )
        });
    }
    warnings.add_unshown(unshown);
    if found[0].is_none() {
        return Err(JichaError::Import(vec![format!(
            "{}: customers.csv is missing; an export needs customers.csv (the other files are optional)",
            escape(&dir.display().to_string())
        )]));
    }
    Ok(found.into_iter().flatten().collect())
}
