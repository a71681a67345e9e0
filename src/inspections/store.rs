//! The attachments' store: photos and scanned 现场处理单 kept beside the dataset, by content,
//! at `<dataset file>.files/sha256/<first 2 hex>/<64 hex>`. A file is written once, through a
//! temporary file renamed into place (a reader never sees half of it); the same content
//! recorded twice is one file. Its SHA-256 is in `inspection_attachments` and in the
//! action-log record of the recording, so `jicha log verify` ([`verify`]) names an attachment
//! that went missing or whose content no longer has its hash (a replaced photo).

use crate::error::{JichaError, Result};
use crate::i18n::inspections::InspectionWrong;
use rusqlite::Connection;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The largest attachment accepted (a scanned form or a photo; not a video).
pub const LIMIT: u64 = 64 << 20;

/// The store's folder for the dataset at `db`.
pub fn root(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".files");
    PathBuf::from(name).join("sha256")
}

/// Where the content with hash `sha256` (64 lowercase hex) is kept.
pub fn path_of(db: &Path, sha256: &str) -> PathBuf {
    root(db).join(sha256.get(..2).unwrap_or("xx")).join(sha256)
}

/// A file read and hashed, ready to be stored and recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub sha256: String,
    /// The original file name (its last component), as the operator named it.
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// Reads `path` (a regular file of at most [`LIMIT`] bytes) and hashes it; a missing or
/// unreadable file is refused by name.
pub fn prepare(path: &Path) -> Result<Prepared> {
    let shown = path.display().to_string();
    if !path.exists() {
        return Err(JichaError::invalid(InspectionWrong::AttachmentMissing {
            path: shown,
        }));
    }
    let bytes = crate::fsutil::read_small_regular_file(path, LIMIT).map_err(|e| {
        JichaError::invalid(InspectionWrong::AttachmentUnreadable {
            path: shown.clone(),
            why: e.to_string(),
        })
    })?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or(shown);
    Ok(Prepared {
        sha256: hex::encode(Sha256::digest(&bytes)),
        file_name,
        bytes,
    })
}

/// Puts the prepared files into the store of `db`; returns the paths it newly wrote (so a
/// refused recording can take them back out). Content already there with its hash is kept.
pub fn put(db: &Path, files: &[Prepared]) -> Result<Vec<PathBuf>> {
    let mut fresh = Vec::new();
    for f in files {
        let target = path_of(db, &f.sha256);
        if hash_of(&target).as_deref() == Some(f.sha256.as_str()) {
            continue;
        }
        let dir = target.parent().expect("a store path has a folder");
        let stored = std::fs::create_dir_all(dir)
            .and_then(|_| crate::safefile::replace_with(&target, 0o644, &f.bytes, |_| Ok(())));
        if let Err(e) = stored {
            take_back(&fresh);
            return Err(JichaError::invalid(InspectionWrong::AttachmentStore {
                path: dir.display().to_string(),
                why: e.to_string(),
            }));
        }
        fresh.push(target);
    }
    Ok(fresh)
}

/// Removes files [`put`] wrote for a recording that was then refused: the same content
/// recorded by nobody else (it was not in the store before).
pub fn take_back(fresh: &[PathBuf]) {
    for p in fresh {
        let _ = std::fs::remove_file(p);
    }
}

/// The SHA-256 of the file at `path`, None when it cannot be read.
fn hash_of(path: &Path) -> Option<String> {
    let bytes = crate::fsutil::read_small_regular_file(path, LIMIT).ok()?;
    Some(hex::encode(Sha256::digest(&bytes)))
}

/// What is wrong with one recorded attachment.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub inspection: String,
    pub file_name: String,
    pub sha256: String,
    /// True: the file is gone; false: its content no longer has the recorded hash.
    pub missing: bool,
}

/// Every recorded attachment of the dataset at `db` against the store.
pub fn verify(db: &Path, conn: &Connection) -> Result<Vec<Problem>> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'inspection_attachments')",
        [],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare(
        "SELECT i.number, a.file_name, a.sha256 FROM inspection_attachments a
         JOIN inspections i ON i.id = a.inspection_id ORDER BY a.id",
    )?;
    let rows: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut problems = Vec::new();
    for (inspection, file_name, sha256) in rows {
        let path = path_of(db, &sha256);
        let missing = !path.exists();
        if missing || hash_of(&path).as_deref() != Some(sha256.as_str()) {
            problems.push(Problem {
                inspection,
                file_name,
                sha256,
                missing,
            });
        }
    }
    Ok(problems)
}
