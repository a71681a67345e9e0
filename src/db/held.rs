//! Which dataset files this process has open through SQLite. Closing any descriptor of a file
//! drops every POSIX lock this process holds on it, SQLite's included: the shared lock by which
//! SQLite tells other processes that the WAL is in use would be gone, and another process could
//! checkpoint and delete the WAL under our feet. So a file's header is read directly only while
//! no connection of this process has the file open (a file held open was checked already).

use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::sync::Mutex;

/// (device, inode, connections) of every file held open.
static HELD: Mutex<Vec<(u64, u64, usize)>> = Mutex::new(Vec::new());

/// One connection's claim on its file; released when dropped.
pub struct Held {
    key: Option<(u64, u64)>,
}

fn key(path: &Path) -> Option<(u64, u64)> {
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

fn lock() -> std::sync::MutexGuard<'static, Vec<(u64, u64, usize)>> {
    HELD.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs `read` (which opens and closes the file) unless this process holds `path` open;
/// None when it does. No connection can claim the file meanwhile.
pub fn unless_held<T>(path: &Path, read: impl FnOnce() -> T) -> Option<T> {
    let held = lock();
    match key(path) {
        Some(k) if held.iter().any(|&(d, i, _)| (d, i) == k) => None,
        _ => Some(read()),
    }
}

/// Claims `path` for a connection about to use it.
pub fn hold(path: &Path) -> Held {
    let mut held = lock();
    let key = key(path);
    if let Some((dev, ino)) = key {
        match held.iter_mut().find(|e| (e.0, e.1) == (dev, ino)) {
            Some(e) => e.2 += 1,
            None => held.push((dev, ino, 1)),
        }
    }
    Held { key }
}

impl Drop for Held {
    fn drop(&mut self) {
        let Some(k) = self.key else { return };
        let mut held = lock();
        if let Some(pos) = held.iter().position(|&(d, i, _)| (d, i) == k) {
            held[pos].2 -= 1;
            if held[pos].2 == 0 {
                held.swap_remove(pos);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_file_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, "x").unwrap();
        assert_eq!(unless_held(&p, || 1), Some(1));
        let a = hold(&p);
        let b = hold(&p);
        assert_eq!(unless_held(&p, || 1), None);
        drop(a);
        assert_eq!(unless_held(&p, || 1), None);
        drop(b);
        assert_eq!(unless_held(&p, || 1), Some(1));
    }
}
