//! Which files of an export directory are imported, in which order, and which are ignored.
//! Each contract file may also be gzip-compressed (`customers.csv.gz`), not both.

use super::contract::{FileSpec, FILES};
use super::decode::{Counting, Decode, Encoding, Gunzip};
use super::errors::{Warnings, MAX_SHOWN};
use super::records::Records;
use crate::context::Lang;
use crate::error::{JichaError, Result};
use crate::fsutil::{self, FileError};
use crate::i18n::import_read::ExportProblem;
use crate::text::escape;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, OnceLock};

pub struct Planned {
    /// For a compressed file, a spec named `….csv.gz`, so every message names the file as it is.
    pub spec: &'static FileSpec,
    /// Opened and checked to be a regular file when planned; read from its start by each
    /// attempt of the import.
    pub file: File,
    pub size: u64,
    pub gzip: bool,
    pub encoding: Encoding,
}

/// What the CSV reader reads: the file, decompressed and re-encoded as needed.
pub type Input<'a> = Box<dyn Read + Send + 'a>;

impl Planned {
    /// The file's records from its start; progress (`bytes_read`) counts the file's own bytes.
    pub fn records(&self) -> std::io::Result<Records<Input<'_>>> {
        let mut file = &self.file;
        file.seek(SeekFrom::Start(0))?;
        Ok(self.records_of(file))
    }

    /// The file's records from its start, read at a position of their own (the file's offset
    /// is left alone), beside a `records()` still being read.
    pub fn records_beside(&self) -> std::io::Result<Records<Input<'_>>> {
        Ok(self.records_of(ReadAt {
            file: &self.file,
            pos: 0,
        }))
    }

    fn records_of<'a>(&self, file: impl Read + Send + 'a) -> Records<Input<'a>> {
        let raw = Arc::new(AtomicU64::new(0));
        let counted = Counting::new(file, Arc::clone(&raw));
        let uncompressed: Input<'a> = if self.gzip {
            Box::new(Gunzip::new(counted))
        } else {
            Box::new(counted)
        };
        let text: Input<'a> = match self.encoding {
            // UTF-8 is checked field by field, where the message can name the column.
            Encoding::Utf8 => uncompressed,
            Encoding::Gb18030 => Box::new(Decode::new(uncompressed, self.encoding)),
        };
        Records::counting_raw(text, raw)
    }
}

/// Positioned reads of a file, from an offset of its own.
struct ReadAt<'a> {
    file: &'a File,
    pos: u64,
}

impl Read for ReadAt<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::os::unix::fs::FileExt;
        let n = self.file.read_at(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

/// The contract's specs named for their compressed files (`customers.csv.gz`, …), made once.
fn gzip_specs() -> &'static [FileSpec] {
    static SPECS: OnceLock<Vec<FileSpec>> = OnceLock::new();
    SPECS.get_or_init(|| {
        FILES
            .iter()
            .map(|s| FileSpec {
                file: Box::leak(format!("{}.gz", s.file).into_boxed_str()),
                ..**s
            })
            .collect()
    })
}

/// The contract file `name` is, and whether it is the compressed one.
fn contract_file(name: &str) -> Option<(usize, bool)> {
    if let Some(i) = FILES.iter().position(|s| s.file == name) {
        return Some((i, false));
    }
    let plain = name.strip_suffix(".gz")?;
    FILES
        .iter()
        .position(|s| s.file == plain)
        .map(|i| (i, true))
}

/// The contract's files found in `dir`, customers first, each opened; every other entry becomes
/// a warning.
pub fn plan(
    dir: &Path,
    encoding: Encoding,
    warnings: &mut Warnings,
    lang: Lang,
) -> Result<Vec<Planned>> {
    let shown_dir = || escape(&dir.display().to_string()).into_owned();
    if !dir.is_dir() {
        return Err(JichaError::invalid(
            ExportProblem::NotDirectory { dir: shown_dir() }.text(lang),
        ));
    }
    let mut found: Vec<Option<Planned>> = FILES.iter().map(|_| None).collect();
    // The alphabetically first names that will be shown, and a count of the others: a
    // directory of a million stray files costs a count.
    let mut others: BinaryHeap<String> = BinaryHeap::new();
    let mut unshown = 0u64;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        match contract_file(&name) {
            Some((i, gzip)) => {
                if found[i].is_some() {
                    let problem = ExportProblem::PlainAndGzip {
                        dir: shown_dir(),
                        file: FILES[i].file.to_string(),
                    };
                    return Err(JichaError::Import(vec![problem.text(lang)]));
                }
                let path = entry.path();
                // Opened now, without blocking, and checked through the descriptor: the import
                // holds the dataset's write lock while it reads, so it must not wait on a pipe.
                let (file, meta) = fsutil::open_regular_file(&path).map_err(|e| match e {
                    FileError::NotRegular(kind) => {
                        JichaError::Import(vec![ExportProblem::NotRegular {
                            name: escape(&name).into_owned(),
                            kind: kind.to_string(),
                        }
                        .text(lang)])
                    }
                    other => super::read_errors::cannot_read(&escape(&name), &other, lang),
                })?;
                found[i] = Some(Planned {
                    spec: if gzip { &gzip_specs()[i] } else { FILES[i] },
                    file,
                    size: meta.len(),
                    gzip,
                    encoding,
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
            .find(|s| {
                let plain = name.strip_suffix(".gz").unwrap_or(&name);
                s.file.eq_ignore_ascii_case(plain)
            })
            .map(|s| s.file.to_string());
        warnings.add(|| {
            ExportProblem::NotContractFile {
                name: escape(&name).into_owned(),
                hint,
            }
            .text(lang)
        });
    }
    warnings.add_unshown(unshown);
    if found[0].is_none() {
        return Err(JichaError::Import(vec![ExportProblem::NoCustomers {
            dir: shown_dir(),
        }
        .text(lang)]));
    }
    Ok(found.into_iter().flatten().collect())
}
