//! What a file is, told from its first 100 bytes (the SQLite database header) read directly,
//! without an SQLite connection: opening one could already write to the file (recover a hot
//! journal, switch it to WAL, turn an empty file into a database) before we know it is ours.

use std::io::Read;
use std::path::Path;

/// The length of the SQLite database header.
const HEADER_LEN: usize = 100;
const MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// Bytes 18 and 19 (file format write / read version): 2 in WAL mode, 1 in rollback mode.
const WRITE_VERSION: usize = 18;
const READ_VERSION: usize = 19;
/// Bytes 68..72: `PRAGMA application_id`, big-endian.
const APPLICATION_ID: usize = 68;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Zero bytes: SQLite would make a new database of it.
    Empty,
    /// Not an SQLite database (too short or the wrong magic).
    NotSqlite,
    Sqlite {
        application_id: u32,
        /// The header says WAL mode (both version bytes are 2).
        wal: bool,
    },
}

/// Reads the header of `path`. Opens the file for reading only, so it never changes it.
pub fn read(path: &Path) -> std::io::Result<FileKind> {
    let mut file = std::fs::File::open(path)?;
    let mut buf = [0u8; HEADER_LEN];
    let mut len = 0;
    while len < HEADER_LEN {
        match file.read(&mut buf[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(classify(&buf[..len]))
}

/// Classifies the first bytes of a file (at most `HEADER_LEN` of them).
pub fn classify(bytes: &[u8]) -> FileKind {
    if bytes.is_empty() {
        return FileKind::Empty;
    }
    if bytes.len() < HEADER_LEN || &bytes[..MAGIC.len()] != MAGIC {
        return FileKind::NotSqlite;
    }
    let id = &bytes[APPLICATION_ID..APPLICATION_ID + 4];
    FileKind::Sqlite {
        application_id: u32::from_be_bytes([id[0], id[1], id[2], id[3]]),
        wal: bytes[WRITE_VERSION] == 2 && bytes[READ_VERSION] == 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(app_id: u32, version: u8) -> Vec<u8> {
        let mut h = vec![0u8; HEADER_LEN];
        h[..16].copy_from_slice(MAGIC);
        h[WRITE_VERSION] = version;
        h[READ_VERSION] = version;
        h[APPLICATION_ID..APPLICATION_ID + 4].copy_from_slice(&app_id.to_be_bytes());
        h
    }

    #[test]
    fn classifies_headers() {
        assert_eq!(classify(b""), FileKind::Empty);
        assert_eq!(classify(b"SQLite format 3\0"), FileKind::NotSqlite);
        assert_eq!(classify(&[b'x'; HEADER_LEN]), FileKind::NotSqlite);
        assert_eq!(
            classify(&header(0x4A43_4841, 2)),
            FileKind::Sqlite {
                application_id: 0x4A43_4841,
                wal: true
            }
        );
        assert_eq!(
            classify(&header(7, 1)),
            FileKind::Sqlite {
                application_id: 7,
                wal: false
            }
        );
    }

    #[test]
    fn reads_what_sqlite_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.sqlite");
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA application_id = 1234; CREATE TABLE t(x);")
            .unwrap();
        assert_eq!(
            read(&path).unwrap(),
            FileKind::Sqlite {
                application_id: 1234,
                wal: false
            }
        );
        conn.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(()))
            .unwrap();
        drop(conn);
        assert_eq!(
            read(&path).unwrap(),
            FileKind::Sqlite {
                application_id: 1234,
                wal: true
            }
        );
    }
}
