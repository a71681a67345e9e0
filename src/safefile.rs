//! Files jicha creates beside the dataset or at a path the user gave: always a new file under an
//! unpredictable name (`O_CREAT|O_EXCL|O_NOFOLLOW`), so a link planted for the name cannot turn a
//! write into a write elsewhere, and the mode is set on the descriptor jicha created, never by
//! path on a file it did not create.

use std::fs::File;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// 16 hex digits from the kernel's random source: not guessable like a pid or a clock.
///
/// Through the system call, not glibc's `getrandom()`: that function is glibc 2.25's, and the
/// release binary must load on glibc 2.17 (CentOS 7, RELEASE.md). A kernel without the call
/// (before 3.17) is read through `/dev/urandom` instead.
pub fn random_hex(bytes: usize) -> std::io::Result<String> {
    let mut buf = vec![0u8; bytes];
    let mut filled = 0;
    while filled < buf.len() {
        // SAFETY: the pointer and length describe the unfilled tail of `buf`.
        let n = unsafe {
            libc::syscall(
                libc::SYS_getrandom,
                buf[filled..].as_mut_ptr(),
                buf.len() - filled,
                0,
            )
        };
        if n < 0 {
            let e = std::io::Error::last_os_error();
            match e.raw_os_error() {
                Some(libc::EINTR) => continue,
                Some(libc::ENOSYS) => {
                    use std::io::Read;
                    File::open("/dev/urandom")?.read_exact(&mut buf[filled..])?;
                    break;
                }
                _ => return Err(e),
            }
        }
        filled += n as usize;
    }
    Ok(hex::encode(buf))
}

/// The temporary name used for `target`: `NAME.tmp-<16 hex>` in the same directory, so that a
/// rename moves it into place atomically.
pub fn temp_name_for(target: &Path) -> std::io::Result<PathBuf> {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}", random_hex(8)?));
    Ok(target.with_file_name(name))
}

/// The umask the process started with. `main` reads it first thing, while there is one thread:
/// reading a umask means setting it.
pub fn original_umask() -> u32 {
    static ORIGINAL: OnceLock<u32> = OnceLock::new();
    *ORIGINAL.get_or_init(|| {
        // SAFETY: umask cannot fail; the second call puts the old value back.
        let old = unsafe { libc::umask(0) };
        unsafe { libc::umask(old) };
        #[allow(clippy::useless_conversion)] // mode_t is u32 on Linux, u16 on macOS
        u32::from(old)
    })
}

/// SQLite creates a dataset's -wal and -shm files with the dataset's mode, but through open(),
/// which applies the umask, and corrects the mode with fchmod afterwards: a writer killed in
/// between leaves a -wal its group may not write, and every other operator is then read-only
/// until an admin repairs it. So in a group-shared (setgid) directory jicha leaves the group's
/// bits out of its umask and those files are born with the dataset's mode. Files jicha creates
/// for the user (`create_new`) still follow the user's own umask.
pub fn share_new_files_with_group_if_setgid(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let shared = std::fs::metadata(dir).is_ok_and(|m| m.permissions().mode() & 0o2000 != 0);
    if shared {
        let keep = original_umask() & !0o060;
        // SAFETY: umask cannot fail.
        unsafe { libc::umask(keep as libc::mode_t) };
    }
}

/// Creates a brand-new file at `path` (fails if anything, a link included, is already there)
/// with `mode` less the user's umask.
pub fn create_new(path: &Path, mode: u32) -> std::io::Result<File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode & !original_umask())
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
}

/// Writes `bytes` to `target` through a new temporary file beside it (write, fsync, rename):
/// a reader sees the old file or the new one, never half of it. `prepare` may adjust the new
/// file through its descriptor (mode, owner) before it is renamed into place.
pub fn replace_with(
    target: &Path,
    mode: u32,
    bytes: &[u8],
    prepare: impl FnOnce(&File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::io::Write;
    let tmp = temp_name_for(target)?;
    let mut f = create_new(&tmp, mode)?;
    let result = (|| {
        prepare(&f)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result?;
    // The rename itself is durable only once the directory is synced.
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn files_opened_in_a_setgid_directory_are_born_group_writable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o2770)).unwrap();
        let before = original_umask();
        // SAFETY: umask cannot fail; the test restores it.
        unsafe { libc::umask(0o022) };
        share_new_files_with_group_if_setgid(dir.path());
        // What SQLite does for a -wal: open() with the dataset's mode, umask applied.
        let wal = dir.path().join("x.jicha-wal");
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o660)
            .open(&wal)
            .unwrap();
        unsafe { libc::umask(before as libc::mode_t) };
        let mode = std::fs::metadata(&wal).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o660, "the group keeps write access to a new -wal");
    }

    use super::*;

    #[test]
    fn temp_names_differ_and_a_planted_link_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("x.csv");
        let a = temp_name_for(&target).unwrap();
        let b = temp_name_for(&target).unwrap();
        assert_ne!(a, b);
        assert!(a.to_string_lossy().contains("x.csv.tmp-"));

        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        assert!(create_new(&link, 0o644).is_err());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    }

    #[test]
    fn replace_with_writes_the_whole_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        std::fs::write(&target, "old").unwrap();
        replace_with(&target, 0o644, b"new", |_| Ok(())).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
