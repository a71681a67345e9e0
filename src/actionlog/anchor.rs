//! The log anchor `NAME.loghead`: the latest `seq hash` of the log, kept outside the dataset so
//! a truncated tail or a chain rewritten with fresh hashes shows. It is never silently made
//! anew: once a dataset's log has records, a missing, unreadable, foreign, rolled-back or
//! contradicted anchor refuses every write until an admin has looked and runs
//! `jicha log reanchor --reason …`, which is itself a log record (and witnessed). A lagging
//! anchor (a writer killed between its commit and the anchor update) is moved on by the next
//! write, after it has checked that the anchored record is still in the chain unchanged.
//!
//! Format, one line: `SEQ HASH dataset=ID since=SINCE` where SINCE is the record from which the
//! anchor vouches (0: since the dataset's first record; else a `log.reanchor` record). The old
//! two-field `SEQ HASH` is read too and upgraded by the next write.

use super::GENESIS_HASH;
use crate::context::Lang;
use crate::error::{JichaError, Result};
use crate::i18n::backup::{AnchorProblem, BackupWrong};
use crate::i18n::dataset::DatasetWrong;
use rusqlite::{Connection, OptionalExtension};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The action a re-established anchor points at.
pub const REANCHOR_ACTION: &str = "log.reanchor";
/// Leftover temporary anchors older than this belong to a writer that died.
const STALE_AFTER: Duration = Duration::from_secs(60);
/// An anchor is one short line; anything larger is not one.
const MAX_ANCHOR_BYTES: u64 = 4096;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    pub hash: String,
    /// None in the old format, which did not name its dataset.
    pub dataset: Option<String>,
    pub since: i64,
}

impl Anchor {
    fn line(&self) -> String {
        format!(
            "{} {} dataset={} since={}\n",
            self.seq,
            self.hash,
            self.dataset.as_deref().unwrap_or("-"),
            self.since
        )
    }
}

/// What the anchor file holds.
#[derive(Debug)]
pub enum Read {
    Absent,
    Unreadable(String),
    Present(Anchor),
}

/// The file beside the dataset that holds the anchor. Beside the file itself when `db` is a
/// link (where SQLite keeps its -wal too), so the anchor cannot be swapped by linking.
pub fn sidecar_path(db: &Path) -> PathBuf {
    let real = std::fs::canonicalize(db).unwrap_or_else(|_| match (db.parent(), db.file_name()) {
        (Some(dir), Some(name)) => std::fs::canonicalize(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        })
        .map(|d| d.join(name))
        .unwrap_or_else(|_| db.to_path_buf()),
        _ => db.to_path_buf(),
    });
    let mut name = real.file_name().unwrap_or_default().to_os_string();
    name.push(".loghead");
    real.with_file_name(name)
}

/// Refuses a dataset whose side files (anchor, WAL, shared memory, rollback journal) are links
/// or not regular files: a planted link would send jicha's writes to another file.
pub fn refuse_linked_sidecars(db: &Path) -> Result<()> {
    let anchor = sidecar_path(db);
    // SQLite keeps its side files beside the file itself when `db` is a link.
    let real = std::fs::canonicalize(db).unwrap_or_else(|_| db.to_path_buf());
    let mut paths = vec![anchor];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = real.file_name().unwrap_or_default().to_os_string();
        name.push(suffix);
        paths.push(real.with_file_name(name));
    }
    for p in paths {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() || !m.file_type().is_file() => {
                return Err(said(BackupWrong::SideFileLink {
                    path: p.display().to_string(),
                    symlink: m.file_type().is_symlink(),
                }));
            }
            _ => {}
        }
    }
    Ok(())
}

pub fn read(db: &Path) -> Read {
    use std::io::Read as _;
    use std::os::unix::fs::OpenOptionsExt;
    let path = sidecar_path(db);
    let meta = match std::fs::symlink_metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Read::Absent,
        Err(e) => return Read::Unreadable(e.to_string()),
    };
    if meta.file_type().is_symlink() {
        return Read::Unreadable("it is a symbolic link".into());
    }
    if !meta.file_type().is_file() {
        return Read::Unreadable("it is not a regular file".into());
    }
    if meta.len() > MAX_ANCHOR_BYTES {
        return Read::Unreadable(format!("it holds {} bytes, not one line", meta.len()));
    }
    let mut text = String::new();
    let opened = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(&path)
        .and_then(|f| f.take(MAX_ANCHOR_BYTES).read_to_string(&mut text));
    if let Err(e) = opened {
        return Read::Unreadable(e.to_string());
    }
    match parse(&text) {
        Ok(a) => Read::Present(a),
        Err(why) => Read::Unreadable(why),
    }
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn parse(text: &str) -> std::result::Result<Anchor, String> {
    let garbage = || "it is not `SEQ HASH dataset=ID since=SEQ`".to_string();
    let line = text.strip_suffix('\n').unwrap_or(text);
    if line.contains('\n') {
        return Err(garbage());
    }
    let tokens: Vec<&str> = line.split(' ').collect();
    let seq: i64 = tokens
        .first()
        .and_then(|t| t.parse().ok())
        .filter(|s| *s >= 0)
        .ok_or_else(garbage)?;
    let hash = tokens
        .get(1)
        .filter(|h| is_hex(h, 64))
        .ok_or_else(garbage)?;
    if seq == 0 && *hash != GENESIS_HASH {
        return Err(garbage());
    }
    let (dataset, since) = match tokens.len() {
        2 => (None, 0),
        4 => {
            let id = tokens[2].strip_prefix("dataset=").ok_or_else(garbage)?;
            let since: i64 = tokens[3]
                .strip_prefix("since=")
                .and_then(|s| s.parse().ok())
                .filter(|s| (0..=seq).contains(s))
                .ok_or_else(garbage)?;
            let id = (id != "-").then(|| id.to_string());
            if id.as_deref().is_some_and(|i| !is_hex(i, 32)) {
                return Err(garbage());
            }
            (id, since)
        }
        _ => return Err(garbage()),
    };
    Ok(Anchor {
        seq,
        hash: hash.to_string(),
        dataset,
        since,
    })
}

/// How the anchor stands against the chain.
#[derive(Debug)]
pub enum Standing {
    /// No record and no anchor yet: a dataset nobody has changed.
    Fresh,
    Agrees(Anchor),
    /// The anchored record is in the chain unchanged; records after it are not anchored yet.
    Lagging {
        anchor: Anchor,
        head: i64,
    },
    Missing {
        head: i64,
    },
    Unreadable(String),
    /// The anchor names another dataset, or this one has lost its id.
    OtherDataset {
        anchor: String,
        ours: Option<String>,
    },
    /// The log ends before the anchored record.
    Truncated {
        anchor: Anchor,
        head: Option<i64>,
    },
    /// The anchored record is not in the log although later ones are.
    RecordMissing(Anchor),
    /// The anchored record is there with another hash.
    Differs(Anchor),
}

impl Standing {
    /// Whether an ordinary write may go ahead (and, after it, move the anchor on).
    pub fn allows_writes(&self) -> bool {
        matches!(
            self,
            Standing::Fresh | Standing::Agrees(_) | Standing::Lagging { .. }
        )
    }

    /// What `log verify` reports, None when the anchor agrees.
    pub fn problem(&self, db: &Path) -> Option<String> {
        self.problem_in(db, Lang::En)
    }

    /// The same, in `lang`.
    pub fn problem_in(&self, db: &Path, lang: Lang) -> Option<String> {
        self.problem_said(db).map(|p| p.text(lang))
    }

    /// The same, as a value.
    pub fn problem_said(&self, db: &Path) -> Option<AnchorProblem> {
        let file = sidecar_path(db).display().to_string();
        Some(match self {
            Standing::Fresh | Standing::Agrees(_) => return None,
            Standing::Lagging { anchor, head } => AnchorProblem::Lagging {
                recorded: anchor.seq,
                head: *head,
            },
            Standing::Missing { head } => AnchorProblem::Missing { file, head: *head },
            Standing::Unreadable(why) => AnchorProblem::Unreadable {
                file,
                why: why.to_string(),
            },
            Standing::OtherDataset {
                anchor,
                ours: Some(ours),
            } => AnchorProblem::OtherDataset {
                file,
                anchor: anchor.clone(),
                ours: ours.clone(),
            },
            Standing::OtherDataset { anchor, ours: None } => AnchorProblem::NoId {
                file,
                anchor: anchor.clone(),
            },
            Standing::Truncated { anchor, head } => AnchorProblem::Truncated {
                first_gone: head.map_or(1, |l| l + 1),
                recorded: anchor.seq,
            },
            Standing::RecordMissing(a) => AnchorProblem::RecordMissing { seq: a.seq },
            Standing::Differs(a) => AnchorProblem::Differs { seq: a.seq },
        })
    }
}

/// The dataset's stable id (meta `dataset_id`), None before its first logged write.
pub fn dataset_id(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = 'dataset_id'", [], |r| {
            r.get(0)
        })
        .optional()?)
}

fn head(conn: &Connection) -> Result<Option<i64>> {
    Ok(conn.query_row("SELECT max(seq) FROM action_log", [], |r| r.get(0))?)
}

/// Whether the chain holds `seq` with `hash` (None: no such record). Compared in SQL: a hash
/// stored as a blob or as bytes that are not UTF-8 is a mismatch, not a read error.
fn record_matches(conn: &Connection, seq: i64, hash: &str) -> Result<Option<bool>> {
    if seq == 0 {
        return Ok(Some(hash == GENESIS_HASH));
    }
    Ok(conn
        .query_row(
            "SELECT typeof(hash) = 'text' AND hash = ?2 FROM action_log WHERE seq = ?1",
            rusqlite::params![seq, hash],
            |r| r.get(0),
        )
        .optional()?)
}

/// Compares the anchor with the chain. The file is read before the chain, so a writer that
/// commits meanwhile can only make the chain longer than the anchor, never shorter.
pub fn standing(db: &Path, conn: &Connection) -> Result<Standing> {
    let file = read(db);
    let ours = dataset_id(conn)?;
    let head = head(conn)?;
    let anchor = match file {
        Read::Absent => {
            // A dataset that has an id has had an anchor: its absence is never "fresh".
            return Ok(match (head, &ours) {
                (None, None) => Standing::Fresh,
                (h, _) => Standing::Missing {
                    head: h.unwrap_or(0),
                },
            });
        }
        Read::Unreadable(why) => return Ok(Standing::Unreadable(why)),
        Read::Present(a) => a,
    };
    if let Some(theirs) = &anchor.dataset {
        let fresh_seq0 = ours.is_none() && head.is_none() && anchor.seq == 0;
        if ours.as_deref() != Some(theirs.as_str()) && !fresh_seq0 {
            return Ok(Standing::OtherDataset {
                anchor: theirs.clone(),
                ours,
            });
        }
    }
    if head.unwrap_or(0) < anchor.seq {
        return Ok(Standing::Truncated { anchor, head });
    }
    Ok(match record_matches(conn, anchor.seq, &anchor.hash)? {
        None => Standing::RecordMissing(anchor),
        Some(false) => Standing::Differs(anchor),
        Some(true) if head.unwrap_or(0) > anchor.seq => Standing::Lagging {
            head: head.unwrap_or(0),
            anchor,
        },
        Some(true) => Standing::Agrees(anchor),
    })
}

/// The check before a transaction appends its first record: refuses when the anchor does not
/// vouch for the log, so no write can paper over a truncation, rewrite or removed anchor. On a
/// dataset's first record it gives the dataset its id and writes the first anchor (at record
/// 0, which can never be ahead of the data). Returns the dataset id.
pub fn before_first_append(db: &Path, conn: &Connection) -> Result<String> {
    let st = standing(db, conn)?;
    if !st.allows_writes() {
        return Err(said(BackupWrong::WriteNotVouched {
            problem: st.problem_said(db).unwrap_or_default(),
        }));
    }
    let id = match dataset_id(conn)? {
        Some(id) => id,
        None => {
            // A first anchor written by a transaction that then rolled back names the id to use.
            let id = match (&st, read(db)) {
                (Standing::Fresh, _) => None,
                (_, Read::Present(a)) if a.seq == 0 => a.dataset,
                _ => None,
            };
            let id = match id {
                Some(id) => id,
                None => crate::safefile::random_hex(16)?,
            };
            conn.execute(
                "INSERT INTO meta(key, value) VALUES ('dataset_id', ?1)",
                [&id],
            )?;
            id
        }
    };
    if matches!(st, Standing::Fresh) {
        write(
            db,
            &Anchor {
                seq: 0,
                hash: GENESIS_HASH.to_string(),
                dataset: Some(id.clone()),
                since: 0,
            },
        )?;
    }
    Ok(id)
}

/// After a commit: moves a lagging anchor on to the log's head (and upgrades an old-format
/// one). Any other standing is left as it is, for `log verify` to report.
pub fn advance(db: &Path, conn: &Connection) -> Result<()> {
    let (anchor, head) = match standing(db, conn)? {
        Standing::Lagging { anchor, head } => (anchor, head),
        Standing::Agrees(anchor) if anchor.dataset.is_none() => {
            let seq = anchor.seq;
            (anchor, seq)
        }
        _ => return Ok(()),
    };
    let Some(id) = dataset_id(conn)? else {
        return Ok(());
    };
    let hash: String =
        conn.query_row("SELECT hash FROM action_log WHERE seq = ?1", [head], |r| {
            r.get(0)
        })?;
    write(
        db,
        &Anchor {
            seq: head,
            hash,
            dataset: Some(id),
            since: anchor.since,
        },
    )?;
    Ok(())
}

/// Writes the anchor through a new temporary file with an unpredictable name, created with
/// `O_EXCL|O_NOFOLLOW`; its mode (and, for root, owner) follow the dataset, set on the new
/// file's descriptor, so other operators of the dataset can read and move it on.
pub(crate) fn write(db: &Path, anchor: &Anchor) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let path = sidecar_path(db);
    let real_db = std::fs::canonicalize(db).ok();
    let like = real_db.as_deref().and_then(|p| std::fs::metadata(p).ok());
    let mode = like.as_ref().map_or(0o644, |m| m.mode() & 0o666);
    crate::safefile::replace_with(&path, mode, anchor.line().as_bytes(), |f| {
        f.set_permissions(std::fs::Permissions::from_mode(mode))?;
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } == 0 {
            if let Some(m) = &like {
                std::os::unix::fs::fchown(f, Some(m.uid()), Some(m.gid()))?;
            }
        }
        Ok(())
    })?;
    Ok(())
}

/// Re-establishes the anchor after an admin has checked the log: appends a `log.reanchor`
/// record naming who, why and what the anchor said, and anchors the log from that record on.
/// Refused when the anchor already vouches for the log or the chain itself is broken.
pub fn reanchor(
    ds: &mut crate::db::Dataset,
    ctx: &crate::context::Ctx,
    reason: &str,
) -> Result<i64> {
    ctx.require(crate::context::Role::Admin, "log reanchor")?;
    if reason.trim().is_empty() || reason.chars().any(char::is_control) {
        return Err(JichaError::invalid(BackupWrong::ReanchorReason));
    }
    let v = super::verify(&ds.conn)?;
    if let Some(b) = v.first_broken {
        return Err(said(BackupWrong::ChainBroken {
            seq: b.seq,
            why: b.why.to_string(),
        }));
    }
    let db = ds.path.clone();
    let st = standing(&db, &ds.conn)?;
    if st.allows_writes() {
        return Err(JichaError::invalid(BackupWrong::AnchorVouches));
    }
    let previous = st.problem(&db).unwrap_or_default();
    let seq = ds.write(|tx| {
        // The state is re-baselined with the anchor: changes whose records may be gone stop
        // being reported, and from this record on the state is checked against the log again.
        let unsealed_removed = crate::ledger::rebaseline(tx)?;
        super::append_unanchored(
            tx,
            ctx,
            REANCHOR_ACTION,
            "log",
            &serde_json::json!({
                "reason": reason,
                "anchor_was": previous,
                "records_before": v.records,
                "unsealed_ledger_rows_removed": unsealed_removed,
            }),
        )
    })?;
    let id = dataset_id(&ds.conn)?.ok_or_else(|| said(BackupWrong::NoIdAfterReanchor))?;
    let hash: String =
        ds.conn
            .query_row("SELECT hash FROM action_log WHERE seq = ?1", [seq], |r| {
                r.get(0)
            })?;
    write(
        &db,
        &Anchor {
            seq,
            hash,
            dataset: Some(id),
            since: seq,
        },
    )?;
    Ok(seq)
}

/// What `log verify` says about a re-established anchor, or a problem when the record it
/// points at is not a re-anchoring.
pub fn since_note(
    conn: &Connection,
    st: &Standing,
) -> Result<Option<std::result::Result<String, String>>> {
    let anchor = match st {
        Standing::Agrees(a) | Standing::Lagging { anchor: a, .. } => a,
        _ => return Ok(None),
    };
    if anchor.since == 0 {
        return Ok(None);
    }
    let rec: Option<(String, String, String, String)> = conn
        .query_row(
            "SELECT action, operator, at_utc, details FROM action_log WHERE seq = ?1",
            [anchor.since],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    Ok(Some(match rec {
        Some((action, who, at, details)) if action == REANCHOR_ACTION => {
            let reason = serde_json::from_str::<serde_json::Value>(&details)
                .ok()
                .and_then(|d| d["reason"].as_str().map(str::to_string))
                .unwrap_or_default();
            Ok(format!(
                "the anchor was re-established at record {} by {who} at {at} (reason: {reason}); before that record only the witness can show a truncation or rewrite",
                anchor.since
            ))
        }
        _ => Err(format!(
            "the anchor says it was re-established at record {}, but that record is not a re-anchoring: the anchor file was forged",
            anchor.since
        )),
    }))
}

/// Removes temporary anchors left by writers that were killed before their rename: only
/// regular files (not links, not hard-linked) with jicha's names for this dataset
/// (`NAME.loghead.tmp-<hex>`, and `NAME.loghead.<pid>` of older versions), older than a minute
/// so a live writer's file is left alone, and belonging to the dataset's sharing (owned by this
/// user or in the dataset's group). Failures are ignored: it is housekeeping.
pub fn remove_stale_temps(db: &Path) {
    let anchor = sidecar_path(db);
    let (Some(dir), Some(name)) = (anchor.parent(), anchor.file_name()) else {
        return;
    };
    let prefix = format!("{}.", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let dataset_gid = std::fs::metadata(db).ok().map(|m| m.gid());
    // SAFETY: geteuid has no preconditions.
    let me = unsafe { libc::geteuid() };
    for e in entries.flatten() {
        let file_name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let ours = rest.strip_prefix("tmp-").is_some_and(|h| is_hex(h, 16))
            || (!rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()));
        if !ours {
            continue;
        }
        let path = e.path();
        let Ok(m) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let old = m
            .modified()
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= STALE_AFTER);
        let shared = m.uid() == me || me == 0 || Some(m.gid()) == dataset_gid;
        if m.file_type().is_file() && m.nlink() == 1 && old && shared {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// A refusal about the dataset's files, said in the operator's language when shown.
fn said(wrong: BackupWrong) -> JichaError {
    JichaError::DatasetSaid(DatasetWrong::Backup { wrong })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_formats_and_refuses_garbage() {
        let h = "ab".repeat(32);
        let id = "cd".repeat(16);
        assert_eq!(
            parse(&format!("7 {h}\n")).unwrap(),
            Anchor {
                seq: 7,
                hash: h.clone(),
                dataset: None,
                since: 0
            }
        );
        let a = parse(&format!("7 {h} dataset={id} since=3\n")).unwrap();
        assert_eq!(
            (a.seq, a.since, a.dataset.as_deref()),
            (7, 3, Some(id.as_str()))
        );
        assert_eq!(parse(&a.line()).unwrap(), a);
        for bad in [
            String::new(),
            "garbage".into(),
            format!("-1 {h}"),
            format!("7 {}", &h[..63]),
            format!("7 {h} dataset={id} since=8"),
            format!("7 {h} dataset=xyz since=0"),
            format!("7 {h}\n8 {h}\n"),
            format!("0 {h}"),
        ] {
            assert!(parse(&bad).is_err(), "{bad:?} was accepted");
        }
    }
}
