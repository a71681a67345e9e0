//! The hash-chained action log (操作日志). Each record's hash covers the previous record's hash
//! and every field of its own, so an edited, deleted, swapped or inserted record breaks the chain
//! at that record and `verify` names it. The program only appends. The anchor outside the
//! dataset (`anchor`) and the witness in syslog (`witness`) catch what a consistent rewrite of
//! the whole file would hide; `audit` runs every check for `jicha log verify`.

pub mod anchor;
pub mod witness;

pub use anchor::{refuse_linked_sidecars, sidecar_path};

use crate::context::Ctx;
use crate::error::Result;
use crate::i18n::log_verify::{ChainBreak, LogNote, LogProblem, WitnessProblem};
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::path::{Path, PathBuf};

pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, serde::Serialize)]
pub struct LogRecord {
    pub seq: i64,
    pub at_utc: String,
    pub business_date: String,
    pub operator: String,
    pub action: String,
    pub target: String,
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of a record: SHA-256 over its previous hash and each of its fields (not its own
/// `hash`), length-prefixed so that moving text from one field to the next changes the hash.
pub fn record_hash(rec: &LogRecord) -> String {
    let mut h = Sha256::new();
    let seq = rec.seq.to_string();
    for field in [
        rec.prev_hash.as_str(),
        &seq,
        &rec.at_utc,
        &rec.business_date,
        &rec.operator,
        &rec.action,
        &rec.target,
        &rec.details,
    ] {
        h.update((field.len() as u64).to_le_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
}

/// The records the current transaction on this thread has appended, so that after its commit
/// `update_sidecar` witnesses exactly them. A record continues the run only when it follows the
/// run's last record by seq and by hash, so a rolled-back transaction's run is never reused.
struct Pending {
    conn: usize,
    dataset: String,
    first: i64,
    last: i64,
    last_hash: String,
}

thread_local! {
    static PENDING: RefCell<Option<Pending>> = const { RefCell::new(None) };
}

/// The dataset file behind a connection, None for an in-memory or temporary database.
fn db_path(conn: &Connection) -> Option<PathBuf> {
    conn.path().filter(|p| !p.is_empty()).map(PathBuf::from)
}

/// Appends one record inside the caller's write transaction; returns its sequence number.
/// The transaction's first record is refused when the log anchor does not vouch for the log
/// (see `anchor::before_first_append`): nothing is written then.
pub fn append(
    conn: &Connection,
    ctx: &Ctx,
    action: &str,
    target: &str,
    details: &serde_json::Value,
) -> Result<i64> {
    append_checked(conn, ctx, action, target, details, true)
}

/// `append` without the anchor check: only for `log reanchor`, whose record is what makes the
/// anchor valid again.
pub(crate) fn append_unanchored(
    conn: &Connection,
    ctx: &Ctx,
    action: &str,
    target: &str,
    details: &serde_json::Value,
) -> Result<i64> {
    append_checked(conn, ctx, action, target, details, false)
}

fn append_checked(
    conn: &Connection,
    ctx: &Ctx,
    action: &str,
    target: &str,
    details: &serde_json::Value,
    check_anchor: bool,
) -> Result<i64> {
    // The record also seals the state changes made since the previous one (src/ledger).
    let details = &*crate::ledger::with_seal(conn, details)?;
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM action_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev_hash) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS_HASH.to_string()),
    };
    let conn_key = conn as *const Connection as usize;
    let continuing = PENDING.with(|p| {
        p.borrow()
            .as_ref()
            .is_some_and(|p| p.conn == conn_key && p.last + 1 == seq && p.last_hash == prev_hash)
    });
    let dataset = match (continuing, db_path(conn)) {
        (true, _) => None,
        (false, Some(db)) if check_anchor => Some(anchor::before_first_append(&db, conn)?),
        (false, Some(_)) => Some(ensure_dataset_id(conn)?),
        (false, None) => Some(String::new()),
    };
    let mut rec = LogRecord {
        seq,
        at_utc: ctx.now_utc(),
        business_date: ctx.today.to_string(),
        operator: ctx.operator.clone(),
        action: action.to_string(),
        target: target.to_string(),
        details: details.to_string(),
        prev_hash,
        hash: String::new(),
    };
    rec.hash = record_hash(&rec);
    conn.execute(
        "INSERT INTO action_log(seq, at_utc, business_date, operator, action, target, details, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            rec.seq,
            rec.at_utc,
            rec.business_date,
            rec.operator,
            rec.action,
            rec.target,
            rec.details,
            rec.prev_hash,
            rec.hash
        ],
    )?;
    PENDING.with(|p| {
        let mut p = p.borrow_mut();
        match (dataset, p.as_mut()) {
            (None, Some(run)) => {
                run.last = seq;
                run.last_hash = rec.hash.clone();
            }
            (dataset, _) => {
                *p = Some(Pending {
                    conn: conn_key,
                    dataset: dataset.unwrap_or_default(),
                    first: seq,
                    last: seq,
                    last_hash: rec.hash.clone(),
                })
            }
        }
    });
    Ok(seq)
}

fn ensure_dataset_id(conn: &Connection) -> Result<String> {
    if let Some(id) = anchor::dataset_id(conn)? {
        return Ok(id);
    }
    let id = crate::safefile::random_hex(16)?;
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('dataset_id', ?1)",
        [&id],
    )?;
    Ok(id)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The sequence number of the first record that does not verify.
    pub seq: i64,
    pub why: ChainBreak,
}

#[derive(Debug, Clone)]
pub struct Verification {
    pub records: u64,
    pub last_hash: String,
    pub first_broken: Option<Broken>,
}

/// Walks the whole chain in sequence order and names the first record that breaks it.
///
/// A record is named by the sequence number where the chain first fails: the first missing
/// number when records were removed or renumbered, else the record whose link or content does
/// not match. A field that is not text (a blob, a number where text belongs, bytes that are not
/// UTF-8) is itself a break at that record, not a read error that would hide which record it is.
pub fn verify(conn: &Connection) -> Result<Verification> {
    let mut stmt = conn.prepare(
        "SELECT seq, at_utc, business_date, operator, action, target, details, prev_hash, hash
         FROM action_log ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut expected_seq = 1i64;
    let mut prev_hash = GENESIS_HASH.to_string();
    let mut records = 0u64;
    while let Some(r) = rows.next()? {
        records += 1;
        let broken = |seq: i64, why: ChainBreak| Verification {
            records,
            last_hash: prev_hash.clone(),
            first_broken: Some(Broken { seq, why }),
        };
        let rec = match row_to_record_checked(r) {
            Ok(rec) => rec,
            Err((seq, why)) => {
                // A record whose seq itself is unreadable is named by its position.
                return Ok(broken(seq.unwrap_or(expected_seq), why));
            }
        };
        if rec.seq > expected_seq {
            return Ok(broken(
                expected_seq,
                ChainBreak::Missing {
                    expected: expected_seq,
                    found: rec.seq,
                },
            ));
        }
        if rec.seq < expected_seq {
            return Ok(broken(
                rec.seq,
                ChainBreak::OutOfPlace {
                    seq: rec.seq,
                    expected: expected_seq,
                },
            ));
        }
        if rec.prev_hash != prev_hash {
            return Ok(broken(rec.seq, ChainBreak::LinkDiffers));
        }
        let want = record_hash(&rec);
        if rec.hash != want {
            return Ok(broken(rec.seq, ChainBreak::HashDiffers));
        }
        prev_hash = rec.hash;
        expected_seq += 1;
    }
    Ok(Verification {
        records,
        last_hash: prev_hash,
        first_broken: None,
    })
}

/// Reads a record for `verify`, refusing values the program never writes: a seq that is not an
/// integer, a field that is not UTF-8 text. Err carries the seq when it could be read.
fn row_to_record_checked(
    r: &rusqlite::Row,
) -> std::result::Result<LogRecord, (Option<i64>, ChainBreak)> {
    use rusqlite::types::ValueRef;
    let seq = match r.get_ref(0) {
        Ok(ValueRef::Integer(n)) => n,
        _ => return Err((None, ChainBreak::SeqNotInteger)),
    };
    const NAMES: [&str; 9] = [
        "seq",
        "at_utc",
        "business_date",
        "operator",
        "action",
        "target",
        "details",
        "prev_hash",
        "hash",
    ];
    let mut fields: Vec<String> = Vec::with_capacity(8);
    for (i, name) in NAMES.iter().enumerate().skip(1) {
        let text = match r.get_ref(i) {
            Ok(ValueRef::Text(b)) => std::str::from_utf8(b).ok().map(str::to_string),
            _ => None,
        };
        match text {
            Some(t) => fields.push(t),
            None => {
                return Err((
                    Some(seq),
                    ChainBreak::FieldNotText {
                        field: name.to_string(),
                    },
                ))
            }
        }
    }
    let mut f = fields.into_iter();
    let mut next = || f.next().unwrap_or_default();
    Ok(LogRecord {
        seq,
        at_utc: next(),
        business_date: next(),
        operator: next(),
        action: next(),
        target: next(),
        details: next(),
        prev_hash: next(),
        hash: next(),
    })
}

fn row_to_record(r: &rusqlite::Row) -> rusqlite::Result<LogRecord> {
    Ok(LogRecord {
        seq: r.get(0)?,
        at_utc: r.get(1)?,
        business_date: r.get(2)?,
        operator: r.get(3)?,
        action: r.get(4)?,
        target: r.get(5)?,
        details: r.get(6)?,
        prev_hash: r.get(7)?,
        hash: r.get(8)?,
    })
}

/// The newest `limit` records, newest first.
pub fn recent(conn: &Connection, limit: i64) -> Result<Vec<LogRecord>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at_utc, business_date, operator, action, target, details, prev_hash, hash
         FROM action_log ORDER BY seq DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], row_to_record)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One page of the log, newest first: `limit` records after skipping the `offset` newest
/// (the UI's log screen fetches only the rows it shows).
pub fn page(conn: &Connection, offset: i64, limit: i64) -> Result<Vec<LogRecord>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at_utc, business_date, operator, action, target, details, prev_hash, hash
         FROM action_log ORDER BY seq DESC LIMIT ?1 OFFSET ?2",
    )?;
    let rows = stmt.query_map([limit, offset], row_to_record)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The SQL condition "the record holds every word of the search" (ASCII letters without
/// case) and its parameters: `?1`, `?2`, … in order, after `first` earlier ones.
fn search_where(text: &str, first: usize) -> (String, Vec<String>) {
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    let cond = (0..words.len())
        .map(|i| {
            format!(
                "instr(lower(CAST(seq AS TEXT) || ' ' || at_utc || ' ' || operator || ' ' || action || ' ' || target || ' ' || details), ?{})",
                first + i + 1
            )
        })
        .collect::<Vec<_>>()
        .join(" AND ");
    (if cond.is_empty() { "1".into() } else { cond }, words)
}

/// The UI's search of the log: how many records match `text` (every word, in the operator,
/// action, target, change, time or number) and one page of them, newest first.
pub fn search_page(
    conn: &Connection,
    text: &str,
    offset: i64,
    limit: i64,
) -> Result<(u64, Vec<LogRecord>)> {
    let (cond, words) = search_where(text, 0);
    let n: i64 = conn.query_row(
        &format!("SELECT count(*) FROM action_log WHERE {cond}"),
        rusqlite::params_from_iter(words.iter()),
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare(&format!(
        "SELECT seq, at_utc, business_date, operator, action, target, details, prev_hash, hash
         FROM action_log WHERE {cond} ORDER BY seq DESC LIMIT {limit} OFFSET {offset}"
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(words.iter()), row_to_record)?;
    Ok((n.max(0) as u64, rows.collect::<rusqlite::Result<_>>()?))
}

/// The UI's n / N over the whole log: from the record at position `from` (newest first),
/// the next match further down (`older`) or up, wrapping round; `(position, k, m)`: where it
/// is, and that it is the k-th of m matches. None when nothing matches.
pub fn search_next(
    conn: &Connection,
    text: &str,
    from: u64,
    older: bool,
) -> Result<Option<(u64, u64, u64)>> {
    let (cond, words) = search_where(text, 0);
    let params = || rusqlite::params_from_iter(words.iter());
    let m: i64 = conn.query_row(
        &format!("SELECT count(*) FROM action_log WHERE {cond}"),
        params(),
        |r| r.get(0),
    )?;
    if m == 0 {
        return Ok(None);
    }
    let here: Option<i64> = conn
        .query_row(
            "SELECT seq FROM action_log ORDER BY seq DESC LIMIT 1 OFFSET ?1",
            [from as i64],
            |r| r.get(0),
        )
        .optional()?;
    let here = here.unwrap_or(0);
    let (cmp, order) = if older { ("<", "DESC") } else { (">", "ASC") };
    let after: Option<i64> = conn
        .query_row(
            &format!(
                "SELECT seq FROM action_log WHERE seq {cmp} {here} AND {cond} ORDER BY seq {order} LIMIT 1"
            ),
            params(),
            |r| r.get(0),
        )
        .optional()?;
    let seq = match after {
        Some(s) => s,
        // Round the end: the first match from the other end.
        None => conn.query_row(
            &format!("SELECT seq FROM action_log WHERE {cond} ORDER BY seq {order} LIMIT 1"),
            params(),
            |r| r.get(0),
        )?,
    };
    let pos = position_of(conn, seq)?;
    let k: i64 = conn.query_row(
        &format!("SELECT count(*) FROM action_log WHERE seq >= {seq} AND {cond}"),
        params(),
        |r| r.get(0),
    )?;
    Ok(Some((pos, k as u64, m as u64)))
}

/// Where record `seq` is in the log, newest first (0 for the newest).
pub fn position_of(conn: &Connection, seq: i64) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM action_log WHERE seq > ?1",
        [seq],
        |r| r.get(0),
    )?;
    Ok(n.max(0) as u64)
}

/// How many records the log holds.
pub fn count(conn: &Connection) -> Result<u64> {
    let n: i64 = conn.query_row("SELECT count(*) FROM action_log", [], |r| r.get(0))?;
    Ok(n.max(0) as u64)
}

/// Every record about one target (e.g. `finding:42`), oldest first: a finding's history.
pub fn for_target(conn: &Connection, target: &str) -> Result<Vec<LogRecord>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at_utc, business_date, operator, action, target, details, prev_hash, hash
         FROM action_log WHERE target = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([target], row_to_record)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// After a commit: sends the records this transaction appended to the witness, moves a
/// lagging anchor on, and removes temporary anchors that killed writers left behind.
pub fn update_sidecar(db: &Path, conn: &Connection) -> Result<()> {
    let conn_key = conn as *const Connection as usize;
    let run = PENDING.with(|p| p.borrow_mut().take());
    if let Some(run) = run.filter(|r| r.conn == conn_key && !r.dataset.is_empty()) {
        // Only a run that is really in the committed chain is witnessed.
        let committed: Option<String> = conn
            .query_row(
                "SELECT hash FROM action_log WHERE seq = ?1",
                [run.last],
                |r| r.get(0),
            )
            .optional()?;
        if committed.as_deref() == Some(run.last_hash.as_str()) {
            witness::send(&witness::Head {
                dataset: run.dataset,
                first: run.first,
                seq: run.last,
                hash: run.last_hash,
            });
        }
    }
    anchor::advance(db, conn)?;
    anchor::remove_stale_temps(db);
    Ok(())
}

/// Compares the chain with the anchor: None when they agree, else what is wrong (a lagging
/// anchor included).
pub fn check_sidecar(db: &Path, conn: &Connection) -> Result<Option<String>> {
    Ok(anchor::standing(db, conn)?.problem(db))
}

/// Everything `jicha log verify` finds: `problems` (any one fails the verification) and
/// `notes` the operator should read even when it passes; values, said in the operator's
/// language where they are shown.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub records: u64,
    pub last_hash: String,
    pub problems: Vec<LogProblem>,
    pub notes: Vec<LogNote>,
}

impl Report {
    /// Adds the state check's problems and notes (src/ledger), which `log verify` and
    /// `backup --verify` report with the log's.
    pub fn add_state(&mut self, state: &crate::ledger::StateReport) {
        self.notes.extend(
            state
                .notes
                .iter()
                .map(|note| LogNote::State { note: note.clone() }),
        );
        self.problems
            .extend(state.problems.iter().map(|problem| LogProblem::State {
                problem: problem.clone(),
            }));
    }
}

/// Runs every check of the log: the chain, the anchor, and (given an export) the witness.
/// Further checks (the state cross-check) add their problems to the same report.
/// How long `audit` lets a lagging anchor catch up before it reports it: a writer moves the
/// anchor on just after its commit (waiting at most `db::ANCHOR_WAIT` for the lock), so a lag
/// that outlives this is a writer that died between the two, or records appended outside jicha.
const ANCHOR_GRACE: std::time::Duration = std::time::Duration::from_secs(3);

/// The anchor's standing once any writer that just committed has had time to move it on.
fn settled_standing(db: &Path, conn: &Connection) -> Result<anchor::Standing> {
    let deadline = std::time::Instant::now() + ANCHOR_GRACE;
    loop {
        let st = anchor::standing(db, conn)?;
        if !matches!(st, anchor::Standing::Lagging { .. }) || std::time::Instant::now() >= deadline
        {
            return Ok(st);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

pub fn audit(db: &Path, conn: &Connection, witness_file: Option<&Path>) -> Result<Report> {
    // Outside evidence is read before the chain: a writer committing meanwhile can then only
    // make the chain longer than what the evidence saw, never shorter.
    let witnessed = witness_file.map(witness::read_file).transpose()?;
    let st = settled_standing(db, conn)?;
    let v = verify(conn)?;
    let mut report = Report {
        records: v.records,
        last_hash: v.last_hash,
        ..Report::default()
    };
    if let Some(b) = v.first_broken {
        report.problems.push(LogProblem::Broken {
            seq: b.seq,
            why: b.why,
            records: v.records,
        });
    }
    if let Some(problem) = st.problem_said(db) {
        report.problems.push(LogProblem::Anchor { problem });
    }
    // The inspections' attachments against their recorded hashes (a replaced photo).
    report.problems.extend(
        crate::inspections::store::verify(db, conn)?
            .into_iter()
            .map(|p| LogProblem::Attachment {
                inspection: p.inspection,
                file_name: p.file_name,
                sha256: p.sha256,
                missing: p.missing,
            }),
    );
    match anchor::since_note(conn, &st)? {
        Some(Ok(note)) => report.notes.push(note),
        Some(Err(p)) => report.problems.push(p),
        None => {}
    }
    if let Some(w) = witnessed {
        match anchor::dataset_id(conn)? {
            Some(id) => {
                let (problems, summary) = witness::check(conn, &id, &w)?;
                report.problems.extend(
                    problems
                        .into_iter()
                        .map(|problem| LogProblem::Witness { problem }),
                );
                report.notes.extend(summary);
            }
            None if v.records > 0 => report.problems.push(LogProblem::Witness {
                problem: WitnessProblem::NoDatasetId,
            }),
            None => {}
        }
    }
    Ok(report)
}
