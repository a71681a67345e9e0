//! SQLite's and the OS's errors about the dataset file, put in words an operator can act on.
//! Every place that opens, creates or writes the dataset passes its errors through `explain`.

use super::busy;
use crate::error::JichaError;
use crate::i18n::dataset::DatasetWrong;
use rusqlite::ErrorCode;
use std::path::Path;

/// The directory that holds `path` (for "the disk holding DIR").
fn dir_of(path: &Path) -> std::path::PathBuf {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => d.to_path_buf(),
        None => std::path::PathBuf::from("."),
    }
}

/// What went wrong with the storage under the dataset, if that is what `e` is.
enum Storage {
    Full,
    Io(String),
}

fn storage_kind(path: &Path, e: &JichaError) -> Option<Storage> {
    match e {
        JichaError::Sql(rusqlite::Error::SqliteFailure(f, msg)) => match f.code {
            ErrorCode::DiskFull => Some(Storage::Full),
            // SQLite reports some failures for want of space as I/O errors (growing the -shm
            // file, for one), without the OS's reason: the file system's free space tells.
            ErrorCode::SystemIoFailure if is_out_of_space(&dir_of(path)) => Some(Storage::Full),
            ErrorCode::SystemIoFailure => Some(Storage::Io(
                msg.clone().unwrap_or_else(|| "disk I/O error".into()),
            )),
            _ => None,
        },
        JichaError::Io(io) => match io.raw_os_error() {
            Some(libc::ENOSPC) | Some(libc::EDQUOT) => Some(Storage::Full),
            Some(libc::EIO) => Some(Storage::Io(io.to_string())),
            _ => None,
        },
        _ => None,
    }
}

/// Whether the file system holding `dir` has (next to) no space left for us: less than
/// 64 KiB (a few pages) free to unprivileged users, or no free inode.
fn is_out_of_space(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c_dir) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: a NUL-terminated path and a zeroed struct for statvfs to fill.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(c_dir.as_ptr(), &mut st) } != 0 {
        return false;
    }
    #[allow(clippy::useless_conversion)] // the field types differ between targets
    let free = u64::from(st.f_bavail).saturating_mul(u64::from(st.f_frsize));
    free < 64 * 1024 || (st.f_files > 0 && st.f_favail == 0)
}

/// Rewords a failure of a unit of work on the dataset at `path`: a full disk and I/O errors say
/// what happened and what to do, a dataset that stayed busy says so; anything else is returned
/// as it is. Only used where the unit was rolled back, hence "nothing was written".
pub fn explain(path: &Path, doing: &str, e: JichaError) -> JichaError {
    if busy::is_busy(&e) {
        return busy::busy_message(path, doing);
    }
    match storage_kind(path, &e) {
        Some(Storage::Full) => JichaError::DatasetSaid(DatasetWrong::DiskFull {
            dir: dir_of(path).display().to_string(),
        }),
        Some(Storage::Io(what)) => JichaError::DatasetSaid(DatasetWrong::DiskIo {
            dir: dir_of(path).display().to_string(),
            what,
            doing: doing.to_string(),
        }),
        None => e,
    }
}

/// Whether a write failed because the file is read-only for this user.
pub fn is_read_only(e: &JichaError) -> bool {
    matches!(e, JichaError::Sql(rusqlite::Error::SqliteFailure(f, _)) if f.code == ErrorCode::ReadOnly)
}

/// Errors of opening a file that turned out not to be a usable dataset.
pub fn not_a_dataset(path: &Path, e: JichaError) -> JichaError {
    match &e {
        JichaError::Sql(rusqlite::Error::SqliteFailure(f, _))
            if f.code == ErrorCode::NotADatabase || f.code == ErrorCode::DatabaseCorrupt =>
        {
            JichaError::DatasetSaid(DatasetWrong::NotADataset {
                path: path.display().to_string(),
                why: e.to_string(),
            })
        }
        JichaError::Sql(rusqlite::Error::SqliteFailure(f, _))
            if f.code == ErrorCode::CannotOpen =>
        {
            JichaError::DatasetSaid(DatasetWrong::CannotOpen {
                path: path.display().to_string(),
                why: e.to_string(),
            })
        }
        _ => explain(path, "opening the dataset", e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite(code: i32) -> JichaError {
        JichaError::Sql(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(code),
            None,
        ))
    }

    #[test]
    fn disk_full_and_io_errors_are_explained() {
        let p = Path::new("/srv/audit/a.jicha");
        for e in [
            sqlite(rusqlite::ffi::SQLITE_FULL),
            JichaError::Io(std::io::Error::from_raw_os_error(libc::ENOSPC)),
        ] {
            assert_eq!(
                explain(p, "importing", e).to_string(),
                "the disk holding /srv/audit is full; nothing was written (free space and retry)"
            );
        }
        let io = explain(p, "importing", sqlite(rusqlite::ffi::SQLITE_IOERR_WRITE)).to_string();
        assert!(
            io.starts_with("the disk holding /srv/audit reported an I/O error"),
            "{io}"
        );
        assert!(io.contains("nothing was written"), "{io}");
        let other = explain(p, "importing", JichaError::invalid("bad")).to_string();
        assert_eq!(other, "bad");
    }
}
