//! Putting a new dataset in place atomically. It is built under a temporary name in the same
//! directory — `.NAME.PID-NANOS.building`, created with `O_EXCL` (never through a symlink) and
//! `flock`ed while it is built — then, closed and checkpointed, renamed to NAME with
//! `RENAME_NOREPLACE`, so an existing dataset is never overwritten and nobody ever sees a half
//! made one. When another process placed its dataset first, ours is thrown away and theirs used.
//! A build killed half way leaves only its temporary files, which opens never look at and the
//! next build removes (its lock is free and it is older than `STALE_AFTER`).

use std::ffi::CString;
use std::fs::File;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A temporary file whose builder's lock is free is left alone until it is this old (closes the
/// instant between its creation and its builder taking the lock).
const STALE_AFTER: Duration = Duration::from_secs(10);
const SUFFIX: &str = ".building";

/// A dataset being built under its temporary name.
pub struct Building {
    temp: PathBuf,
    /// Holds the `flock` that tells other builders this file is alive.
    _lock: File,
    placed: bool,
}

/// The directory `path` is in (`.` for a bare file name).
pub fn dir_of(path: &Path) -> PathBuf {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => d.to_path_buf(),
        None => PathBuf::from("."),
    }
}

fn temp_prefix(path: &Path) -> std::ffi::OsString {
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(path.file_name().unwrap_or_default());
    prefix.push(".");
    prefix
}

impl Building {
    /// Creates the (empty) temporary file beside `path`, after removing stale ones of earlier
    /// builds of `path`. In a setgid directory it is made group-writable before SQLite creates
    /// its -wal and -shm files (which take the database file's mode).
    pub fn start(path: &Path) -> std::io::Result<Building> {
        let dir = dir_of(path);
        std::fs::create_dir_all(&dir)?;
        remove_stale(&dir, path);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let mut name = temp_prefix(path);
        name.push(format!("{}-{nanos:x}{SUFFIX}", std::process::id()));
        let temp = dir.join(name);
        let lock = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&temp)?;
        let mut building = Building {
            temp,
            _lock: lock,
            placed: false,
        };
        flock(&building._lock, libc::LOCK_EX)?;
        share_with_group_if_setgid(&dir, &mut building._lock)?;
        Ok(building)
    }

    /// The temporary file to build the dataset in.
    pub fn temp(&self) -> &Path {
        &self.temp
    }

    /// Renames the built (closed) dataset to `path` unless a dataset is there already; its log
    /// anchor follows it. Returns false, having removed ours, when another was there first.
    pub fn place(mut self, path: &Path) -> std::io::Result<bool> {
        let dir = dir_of(path);
        File::open(&self.temp)?.sync_all()?;
        match rename_noreplace(&self.temp, path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
            Err(e) => return Err(e),
        }
        self.placed = true;
        // Its facts file follows it (a new dataset is never opened before both are placed
        // by the process that built them; see `facts`).
        super::facts::place_beside(&self.temp, path)?;
        // The dataset at `path` is ours now: an anchor already there can only describe a log
        // that no longer exists, so ours replaces it (or, when ours has no records yet, it goes).
        let ours = crate::actionlog::sidecar_path(&self.temp);
        let theirs = crate::actionlog::sidecar_path(path);
        if ours.exists() {
            std::fs::rename(&ours, &theirs)?;
        } else if std::fs::symlink_metadata(&theirs).is_ok() {
            std::fs::remove_file(&theirs)?;
        }
        File::open(&dir)?.sync_all()?;
        Ok(true)
    }
}

impl Drop for Building {
    /// Whatever stopped the build (an error, a lost race, a panic), its files go.
    fn drop(&mut self) {
        if !self.placed {
            remove_build_files(&self.temp);
        }
    }
}

/// The temporary file and the files SQLite and the log put beside it.
fn remove_build_files(temp: &Path) {
    let facts = super::facts::path_of(temp);
    let mut companions = vec![
        temp.to_path_buf(),
        crate::actionlog::sidecar_path(temp),
        facts.clone(),
    ];
    for suffix in ["-wal", "-shm", "-journal"] {
        for file in [temp, facts.as_path()] {
            let mut p = file.as_os_str().to_os_string();
            p.push(suffix);
            companions.push(PathBuf::from(p));
        }
    }
    // The log's sidecar is written through `safefile` (`NAME.tmp-<hex>`, then renamed): a build
    // killed between the two leaves that temporary file too.
    let sidecar = crate::actionlog::sidecar_path(temp);
    if let (Some(dir), Some(name)) = (sidecar.parent(), sidecar.file_name()) {
        let mut tmp_prefix = name.to_os_string();
        tmp_prefix.push(".tmp-");
        if let Ok(entries) = std::fs::read_dir(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        }) {
            for entry in entries.flatten() {
                if entry
                    .file_name()
                    .as_bytes()
                    .starts_with(tmp_prefix.as_bytes())
                {
                    companions.push(entry.path());
                }
            }
        }
    }
    // The facts file of the build is itself built under a temporary name beside it
    // (`facts::build_from`): a build killed meanwhile leaves that one too.
    if let Some(dir) = facts.parent() {
        let prefix = temp_prefix(&facts);
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                let n = entry.file_name();
                let b = n.as_bytes();
                if b.starts_with(prefix.as_bytes()) && b.ends_with(SUFFIX.as_bytes()) {
                    companions.push(entry.path());
                    for suffix in ["-wal", "-shm", "-journal"] {
                        let mut p = entry.path().into_os_string();
                        p.push(suffix);
                        companions.push(PathBuf::from(p));
                    }
                }
            }
        }
    }
    for p in companions {
        let _ = std::fs::remove_file(p);
    }
}

/// Removes the files of earlier builds of `path` that died: their lock is free and they are
/// older than `STALE_AFTER`. Best effort: a file we cannot judge is left alone.
fn remove_stale(dir: &Path, path: &Path) {
    let prefix = temp_prefix(path);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let bytes = name.as_bytes();
        if !bytes.starts_with(prefix.as_bytes()) || !bytes.ends_with(SUFFIX.as_bytes()) {
            continue;
        }
        let temp = dir.join(&name);
        if is_stale(&temp) {
            remove_build_files(&temp);
        }
    }
}

fn is_stale(temp: &Path) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(temp) else {
        return false;
    };
    let old = meta
        .modified()
        .ok()
        .and_then(|m| m.elapsed().ok())
        .is_some_and(|age| age > STALE_AFTER);
    if !meta.file_type().is_file() || !old {
        return false;
    }
    // Opening and closing the file must not drop the SQLite locks of a build in this process.
    super::held::unless_held(temp, || {
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NONBLOCK)
            .open(temp)
            .is_ok_and(|file| flock(&file, libc::LOCK_EX | libc::LOCK_NB).is_ok())
    })
    .unwrap_or(false)
}

fn flock(file: &File, how: libc::c_int) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: a valid descriptor owned by `file`.
    if unsafe { libc::flock(file.as_raw_fd(), how) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// A dataset created in a setgid directory is meant to be shared by that directory's group:
/// make it group-writable, so that another member can carry on — and recover the WAL — after
/// the first one's process died.
fn share_with_group_if_setgid(dir: &Path, file: &mut File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if std::fs::metadata(dir)?.permissions().mode() & 0o2000 != 0 {
        file.set_permissions(std::fs::Permissions::from_mode(0o660))?;
    }
    Ok(())
}

/// `rename(from, to)` that fails with `AlreadyExists` instead of replacing `to`. Where the file
/// system has no `RENAME_NOREPLACE`, a hard link (which never replaces) and an unlink.
fn rename_noreplace(from: &Path, to: &Path) -> std::io::Result<()> {
    let c_from = CString::new(from.as_os_str().as_bytes())?;
    let c_to = CString::new(to.as_os_str().as_bytes())?;
    // SAFETY: two NUL-terminated paths that outlive the call.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            c_from.as_ptr(),
            libc::AT_FDCWD,
            c_to.as_ptr(),
            libc::RENAME_NOREPLACE,
        )
    };
    if rc == 0 {
        return Ok(());
    }
    let err = std::io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::ENOSYS) | Some(libc::EINVAL) => {
            std::fs::hard_link(from, to)?;
            std::fs::remove_file(from)
        }
        _ => Err(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_replaces_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&a, "new").unwrap();
        std::fs::write(&b, "existing").unwrap();
        let err = rename_noreplace(&a, &b).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "existing");
        std::fs::remove_file(&b).unwrap();
        rename_noreplace(&a, &b).unwrap();
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "new");
        assert!(!a.exists());
    }

    #[test]
    fn stale_builds_go_live_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.jicha");
        let live = Building::start(&path).unwrap();
        // A build that died: no lock, old.
        let dead = dir.path().join(".a.jicha.1-ff.building");
        std::fs::write(&dead, "").unwrap();
        let mut dead_wal = dead.as_os_str().to_os_string();
        dead_wal.push("-wal");
        std::fs::write(&dead_wal, "").unwrap();
        // Killed while it wrote its log sidecar through a temporary file.
        let mut dead_sidecar_tmp = crate::actionlog::sidecar_path(&dead).into_os_string();
        dead_sidecar_tmp.push(".tmp-0123456789abcdef");
        std::fs::write(&dead_sidecar_tmp, "").unwrap();
        let old = std::time::SystemTime::now() - 2 * STALE_AFTER;
        for p in [live.temp(), dead.as_path()] {
            File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_modified(old)
                .unwrap();
        }
        let other = Building::start(&path).unwrap();
        assert!(!dead.exists(), "a dead build is removed");
        assert!(!Path::new(&dead_wal).exists(), "with its WAL");
        assert!(
            !Path::new(&dead_sidecar_tmp).exists(),
            "with its sidecar's temporary file"
        );
        assert!(live.temp().exists(), "a live (locked) build is kept");
        drop(live);
        drop(other);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
