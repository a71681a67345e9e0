//! Files written for the user (`--out FILE`, the UI's exports): through a new temporary file
//! beside the target, moved into place only once complete, so nobody ever opens half a file;
//! created and moved with the user's own rights even when jicha runs setgid.

use crate::{privilege, safefile};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A new, empty temporary file beside `target`, for the caller to fill and then `place`.
pub fn temp_beside(target: &Path) -> std::io::Result<(PathBuf, File)> {
    if target.file_name().is_none() {
        return Err(std::io::Error::other("not a file name"));
    }
    privilege::as_real_user(|| {
        let tmp = safefile::temp_name_for(target)?;
        let f = safefile::create_new(&tmp, 0o666)?;
        Ok((tmp, f))
    })
}

/// Moves the complete temporary file `tmp` to `target`. Without `overwrite`, a file already
/// at `target` (one that appeared since the user was asked, too) is left alone and the move
/// fails with `AlreadyExists`. `tmp` is removed whatever happens.
pub fn place(tmp: &Path, target: &Path, overwrite: bool) -> std::io::Result<()> {
    let moved = privilege::as_real_user(|| {
        if overwrite {
            std::fs::rename(tmp, target)
        } else {
            rename_noreplace(tmp, target)
        }
    });
    if moved.is_err() {
        let _ = std::fs::remove_file(tmp);
    }
    moved?;
    // The rename itself is durable only once the directory is synced.
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// Writes `bytes` to `target` completely or not at all (see `place`).
pub fn write_file(target: &Path, bytes: &[u8], overwrite: bool) -> std::io::Result<()> {
    let (tmp, mut f) = temp_beside(target)?;
    let filled = f.write_all(bytes).and_then(|()| f.sync_all());
    drop(f);
    if let Err(e) = filled {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    place(&tmp, target, overwrite)
}

/// rename(2) that refuses to replace: renameat2(RENAME_NOREPLACE), else (a file system or a
/// kernel before 3.15 without it) a hard link, which fails on an existing name just the same.
/// The system call is made directly: glibc's `renameat2()` wrapper is a 2.28 symbol, and the
/// release binary must load on glibc 2.17 (RELEASE.md).
fn rename_noreplace(tmp: &Path, target: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        std::ffi::CString::new(p.as_os_str().as_bytes())
            .map_err(|_| std::io::Error::other("a NUL byte in the file name"))
    };
    let (from, to) = (c(tmp)?, c(target)?);
    // SAFETY: two NUL-terminated paths relative to the working directory.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            libc::RENAME_NOREPLACE,
        )
    };
    if r == 0 {
        return Ok(());
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS) => {
            std::fs::hard_link(tmp, target)?;
            std::fs::remove_file(tmp)
        }
        _ => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_existing_file_is_kept_unless_overwriting_and_no_temporary_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.xlsx");
        std::fs::write(&target, b"old").unwrap();
        let e = write_file(&target, b"new", false).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        write_file(&target, b"new", true).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left behind");
    }
}
