//! Opening files a user points jicha at (keymaps, export files) without trusting what they are.
//!
//! A path may name a FIFO (opening it blocks until a writer appears), a device such as
//! `/dev/zero` (endless), or a directory. These helpers look before opening, open without
//! blocking, then check what was actually opened (`fstat` on the descriptor, so a path swapped in
//! between is still caught), and read at most one byte past a size limit. Symlinks are followed:
//! these are the user's own inputs, not files jicha creates.

use std::fmt;
use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::os::unix::io::AsRawFd;
use std::path::Path;

/// Why a file was not opened or read.
#[derive(Debug)]
pub enum FileError {
    /// Not a regular file; says what it is ("a directory", "a FIFO (named pipe)", …).
    NotRegular(&'static str),
    /// Larger than the limit, in bytes.
    TooLarge(u64),
    Io(io::Error),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::NotRegular(what) => write!(f, "is {what}, not a regular file"),
            FileError::TooLarge(limit) => {
                write!(f, "is larger than {} (the limit)", human_bytes(*limit))
            }
            FileError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for FileError {}

impl From<io::Error> for FileError {
    fn from(e: io::Error) -> Self {
        FileError::Io(e)
    }
}

/// `1024` → "1 KiB", `65536` → "64 KiB", `1048576` → "1 MiB"; other sizes in bytes.
pub fn human_bytes(n: u64) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

/// What a non-regular file is, for messages; `None` for a regular file or the null device,
/// which reads as an empty file (`--keymap-override /dev/null` is the usual "no override").
fn refused_kind(meta: &Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        None
    } else if t.is_dir() {
        Some("a directory")
    } else if t.is_fifo() {
        Some("a FIFO (named pipe)")
    } else if t.is_char_device() {
        if is_null_device(meta) {
            None
        } else {
            Some("a character device")
        }
    } else if t.is_block_device() {
        Some("a block device")
    } else if t.is_socket() {
        Some("a socket")
    } else {
        Some("not a file")
    }
}

fn is_null_device(meta: &Metadata) -> bool {
    std::fs::metadata("/dev/null")
        .map(|null| null.file_type().is_char_device() && null.rdev() == meta.rdev())
        .unwrap_or(false)
}

/// Opens `path` for reading if it is a regular file (or `/dev/null`), never blocking on a FIFO.
/// Returns the file and its metadata as seen through the open descriptor.
pub fn open_regular_file(path: &Path) -> Result<(File, Metadata), FileError> {
    // Look first, so a device is not even opened (opening some has side effects) …
    if let Some(what) = refused_kind(&std::fs::metadata(path)?) {
        return Err(FileError::NotRegular(what));
    }
    // … then open without blocking (a FIFO swapped in since would block an ordinary open) and
    // check what the descriptor really is.
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)?;
    let meta = file.metadata()?;
    if let Some(what) = refused_kind(&meta) {
        return Err(FileError::NotRegular(what));
    }
    // Reads of a regular file ignore O_NONBLOCK; cleared anyway so the descriptor is ordinary.
    // SAFETY: fcntl on a descriptor this function owns, with integer arguments only.
    unsafe {
        let flags = libc::fcntl(file.as_raw_fd(), libc::F_GETFL);
        if flags >= 0 {
            libc::fcntl(file.as_raw_fd(), libc::F_SETFL, flags & !libc::O_NONBLOCK);
        }
    }
    Ok((file, meta))
}

/// Reads a regular file of at most `limit` bytes; refuses anything else at once, reading at
/// most `limit + 1` bytes (a file may grow after its size was checked).
pub fn read_small_regular_file(path: &Path, limit: u64) -> Result<Vec<u8>, FileError> {
    let (file, meta) = open_regular_file(path)?;
    if meta.len() > limit {
        return Err(FileError::TooLarge(limit));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(FileError::TooLarge(limit));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human_bytes(64 * 1024), "64 KiB");
        assert_eq!(human_bytes(1 << 20), "1 MiB");
        assert_eq!(human_bytes(1000), "1000 bytes");
    }

    #[test]
    fn regular_small_file_is_read_and_others_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k.toml");
        std::fs::write(&p, b"abc").unwrap();
        assert_eq!(read_small_regular_file(&p, 3).unwrap(), b"abc");
        assert!(matches!(
            read_small_regular_file(&p, 2),
            Err(FileError::TooLarge(2))
        ));
        assert!(matches!(
            read_small_regular_file(dir.path(), 10),
            Err(FileError::NotRegular("a directory"))
        ));
        assert!(matches!(
            read_small_regular_file(Path::new("/dev/zero"), 10),
            Err(FileError::NotRegular("a character device"))
        ));
        assert_eq!(
            read_small_regular_file(Path::new("/dev/null"), 10).unwrap(),
            b""
        );
    }

    #[test]
    fn fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("fifo");
        let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo with a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read_small_regular_file(&p, 10).unwrap_err();
        assert_eq!(e.to_string(), "is a FIFO (named pipe), not a regular file");
    }
}
