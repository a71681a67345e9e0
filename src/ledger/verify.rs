//! The read side: does the state agree with what jicha sealed into the log?

use super::canon::{content, differing_fields, TableShape};
use super::seal::digest_entry;
use super::sources::{source_digest, SourceDigest};
use super::{AUDITED, SEAL_KEY, SOURCES};
use crate::error::Result;
use crate::i18n::state_verify::{StateNote, StateProblem};
use rusqlite::Connection;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// At most this many rows are named per table and kind of difference; the rest are counted.
const NAMED_PER_TABLE: usize = 20;

#[derive(Debug, Default, Clone)]
pub struct StateReport {
    /// Differences between the state and the log, each naming what differs. Empty: agrees.
    pub problems: Vec<StateProblem>,
    /// What cannot be verified and why (not a failure).
    pub notes: Vec<StateNote>,
    /// Audited rows compared with the ledger.
    pub rows_checked: u64,
    /// Source tables compared with their sealed digest.
    pub sources_checked: usize,
}

struct Seal {
    log_seq: i64,
    /// The log record's action: a baseline after the first is legitimate only on a
    /// re-anchoring (`log reanchor`), which takes a new one on purpose.
    action: String,
    baseline: bool,
    first: i64,
    last: i64,
    rows: u64,
    digest: String,
    sources: HashMap<String, SourceDigest>,
    changed_outside: Vec<String>,
}

struct Latest {
    hash: Option<String>,
    vals: Option<String>,
    log_seq: i64,
}

/// Checks the seals against the ledger, every audited row against its latest sealed ledger
/// entry and every source table against its latest sealed digest, in one read snapshot.
pub fn verify(conn: &Connection) -> Result<StateReport> {
    let tx = conn.unchecked_transaction()?;
    let mut report = StateReport::default();
    let seals = read_seals(&tx, &mut report)?;
    // Each file is read at its own snapshot, the workflow file's first (the seals above): an
    // import whose facts committed after it but whose log record is not written yet (its
    // landing, `import::land`, follows the facts commit) is pending, not a change outside jicha.
    let pending = Pending::read(&tx)?;
    let latest = check_ledger(&tx, &seals, &mut report)?;
    let baselines: Vec<i64> = seals
        .iter()
        .filter(|s| s.baseline)
        .map(|s| s.log_seq)
        .collect();
    let reanchored: HashSet<i64> = seals
        .iter()
        .filter(|s| s.baseline && s.action == crate::actionlog::anchor::REANCHOR_ACTION)
        .map(|s| s.log_seq)
        .collect();
    match baselines.first() {
        None if latest.is_empty() => {
            report.notes.push(StateNote::NoLedgerYet);
            return Ok(report);
        }
        Some(&b) if b > 1 => report
            .notes
            .push(StateNote::StartsAtBaseline { log_seq: b }),
        _ => {}
    }
    for later in baselines.iter().skip(1) {
        if reanchored.contains(later) {
            report.notes.push(StateNote::Reanchored { log_seq: *later });
            continue;
        }
        report
            .problems
            .push(StateProblem::SecondBaseline { log_seq: *later });
    }
    for s in &seals {
        for row in &s.changed_outside {
            report.problems.push(StateProblem::ChangedBeforeWrite {
                row: row.clone(),
                log_seq: s.log_seq,
            });
        }
    }
    for (name, volatile) in AUDITED {
        let shape = TableShape::read(&tx, name, volatile)?;
        check_table(&tx, &shape, &latest, &pending, &mut report)?;
    }
    check_sources(&tx, &seals, &pending, &mut report)?;
    Ok(report)
}

/// Every log record that carries a seal, in order. A record whose details cannot be read is
/// the chain's business (`actionlog::verify` names it), not a seal.
fn read_seals(conn: &Connection, report: &mut StateReport) -> Result<Vec<Seal>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT seq, details ->> '$.\"{SEAL_KEY}\"', action FROM action_log
         WHERE json_valid(details) AND json_type(details, '$.\"{SEAL_KEY}\"') IS NOT NULL ORDER BY seq"
    ))?;
    let mut rows = stmt.query([])?;
    let mut seals = Vec::new();
    while let Some(r) = rows.next()? {
        let log_seq: i64 = r.get(0)?;
        let seal: serde_json::Value = match r
            .get::<_, String>(1)
            .ok()
            .and_then(|d| serde_json::from_str(&d).ok())
        {
            Some(d @ serde_json::Value::Object(_)) => d,
            _ => {
                report
                    .problems
                    .push(StateProblem::SealUnreadable { log_seq });
                continue;
            }
        };
        let rows = seal["rows"].as_u64().unwrap_or(0);
        let first = seal["first"].as_i64().unwrap_or(0);
        let last = seal["last"].as_i64().unwrap_or(first - 1);
        seals.push(Seal {
            log_seq,
            action: r.get::<_, String>(2).unwrap_or_default(),
            baseline: seal["baseline"].as_bool().unwrap_or(false),
            first,
            last: if rows == 0 { first - 1 } else { last },
            rows,
            digest: seal["digest"].as_str().unwrap_or_default().to_string(),
            sources: serde_json::from_value(seal["sources"].clone()).unwrap_or_default(),
            changed_outside: serde_json::from_value(seal["changed_outside"].clone())
                .unwrap_or_default(),
        });
    }
    Ok(seals)
}

/// Walks the ledger in order: each row must lie in exactly one seal's range and every seal's
/// digest must match its rows. Returns the latest sealed entry of every row.
fn check_ledger(
    conn: &Connection,
    seals: &[Seal],
    report: &mut StateReport,
) -> Result<HashMap<(String, String), Latest>> {
    // A seal's range, by its first ledger row, to find the seal of each ledger row.
    let ranged: Vec<&Seal> = seals.iter().filter(|s| s.rows > 0).collect();
    for pair in ranged.windows(2) {
        if pair[1].first <= pair[0].last {
            report.problems.push(StateProblem::OverlappingSeals {
                a: pair[0].log_seq,
                b: pair[1].log_seq,
                a_rows: (pair[0].first, pair[0].last),
                b_rows: (pair[1].first, pair[1].last),
            });
        }
    }
    let mut digests: Vec<(Sha256, u64)> = ranged.iter().map(|_| (Sha256::new(), 0)).collect();
    let mut latest = HashMap::new();
    let mut unsealed = Vec::new();
    let mut stmt =
        conn.prepare("SELECT seq, tbl, row_key, hash, vals FROM state_ledger ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    let mut at = 0usize;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let (tbl, key): (String, String) = (r.get(1)?, r.get(2)?);
        let (hash, vals): (Option<String>, Option<String>) = (r.get(3)?, r.get(4)?);
        while at < ranged.len() && ranged[at].last < seq {
            at += 1;
        }
        let Some(seal) = ranged.get(at).filter(|s| s.first <= seq) else {
            unsealed.push(format!("{seq} ({tbl} {key})"));
            continue;
        };
        digest_entry(
            &mut digests[at].0,
            seq,
            &tbl,
            &key,
            hash.as_deref(),
            vals.as_deref(),
        );
        digests[at].1 += 1;
        latest.insert(
            (tbl, key),
            Latest {
                hash,
                vals,
                log_seq: seal.log_seq,
            },
        );
    }
    for (seal, (h, n)) in ranged.iter().zip(digests) {
        if n != seal.rows || hex::encode(h.finalize()) != seal.digest {
            report.problems.push(StateProblem::LedgerRowsChanged {
                first: seal.first,
                last: seal.last,
                log_seq: seal.log_seq,
                present: n,
                rows: seal.rows,
            });
        }
    }
    if !unsealed.is_empty() {
        let more = unsealed.len().saturating_sub(NAMED_PER_TABLE);
        unsealed.truncate(NAMED_PER_TABLE);
        report.problems.push(StateProblem::UnsealedRows {
            rows: unsealed,
            more,
        });
    }
    Ok(latest)
}

/// Compares every row of one audited table with its latest sealed ledger entry.
fn check_table(
    conn: &Connection,
    shape: &TableShape,
    latest: &HashMap<(String, String), Latest>,
    pending: &Pending,
    report: &mut StateReport,
) -> Result<()> {
    let mut named = Named::default();
    let mut seen = HashSet::new();
    let mut stmt = conn.prepare(&shape.select_all_sql())?;
    let offset = usize::from(!shape.without_rowid);
    let mut rows = stmt.query([])?;
    let table = shape.name;
    while let Some(r) = rows.next()? {
        report.rows_checked += 1;
        let key = shape.key_text(&shape.key_of_row(r)?);
        let now = content(shape, |i| r.get_ref(i + offset))?;
        if pending.rows.contains(&(table.to_string(), key.clone())) {
            continue;
        }
        match latest.get(&(table.to_string(), key.clone())) {
            None => named.push(
                &mut report.problems,
                StateProblem::Inserted {
                    table: table.to_string(),
                    key: key.clone(),
                },
            ),
            Some(l) => match (&l.hash, &l.vals) {
                (None, _) => named.push(
                    &mut report.problems,
                    StateProblem::DeletedButBack {
                        table: table.to_string(),
                        key: key.clone(),
                        log_seq: l.log_seq,
                    },
                ),
                (Some(h), vals) if *h != now.hash => named.push(
                    &mut report.problems,
                    StateProblem::Changed {
                        table: table.to_string(),
                        key: key.clone(),
                        log_seq: l.log_seq,
                        fields: differing_fields(vals.as_deref().unwrap_or("{}"), &now.vals),
                    },
                ),
                _ => {}
            },
        }
        seen.insert(key);
    }
    let mut gone: Vec<(&String, &Latest)> = latest
        .iter()
        .filter(|((t, k), l)| t == table && l.hash.is_some() && !seen.contains(k))
        .map(|((_, k), l)| (k, l))
        .collect();
    gone.sort_by(|a, b| a.0.cmp(b.0));
    for (key, l) in gone {
        named.push(
            &mut report.problems,
            StateProblem::Deleted {
                table: table.to_string(),
                key: key.clone(),
                log_seq: l.log_seq,
                values: l.vals.as_deref().unwrap_or("{}").to_string(),
            },
        );
    }
    named.finish(&mut report.problems, table);
    Ok(())
}

/// Names the first rows that differ in a table and counts the rest.
#[derive(Default)]
struct Named {
    count: usize,
}

impl Named {
    fn push(&mut self, problems: &mut Vec<StateProblem>, line: StateProblem) {
        self.count += 1;
        if self.count <= NAMED_PER_TABLE {
            problems.push(line);
        }
    }

    fn finish(self, problems: &mut Vec<StateProblem>, table: &str) {
        if self.count > NAMED_PER_TABLE {
            problems.push(StateProblem::MoreRows {
                table: table.to_string(),
                count: self.count - NAMED_PER_TABLE,
            });
        }
    }
}

/// Compares each source table with the digest its latest seal recorded.
fn check_sources(
    conn: &Connection,
    seals: &[Seal],
    pending: &Pending,
    report: &mut StateReport,
) -> Result<()> {
    for table in SOURCES {
        let Some((log_seq, sealed)) = seals
            .iter()
            .rev()
            .find_map(|s| s.sources.get(*table).map(|d| (s.log_seq, d)))
        else {
            continue;
        };
        // A pending import changed the source tables after the last seal: they must be as its
        // facts commit digested them.
        let want = pending.sources.get(*table).unwrap_or(sealed);
        let now = source_digest(conn, table)?;
        report.sources_checked += 1;
        if now != *want {
            report.problems.push(StateProblem::SourceDiffers {
                table: table.to_string(),
                log_seq,
                then: want.rows,
                now: now.rows,
            });
        }
    }
    Ok(())
}

/// The imports in the facts file whose log record is not written yet (`import::land`): their
/// audited rows (their `imports` row, the source history rows they replaced) and the source
/// digests the latest of them stored with its facts commit.
#[derive(Default)]
struct Pending {
    rows: HashSet<(String, String)>,
    sources: std::collections::BTreeMap<&'static str, SourceDigest>,
}

impl Pending {
    fn read(conn: &Connection) -> Result<Pending> {
        let ids = crate::import::land::pending(conn)?;
        if ids.is_empty() {
            return Ok(Pending::default());
        }
        let mut rows = HashSet::new();
        let mut stmt =
            conn.prepare("SELECT id FROM facts.source_history WHERE replaced_by = ?1")?;
        for id in &ids {
            rows.insert(("imports".to_string(), id.to_string()));
            let history = stmt.query_map([id], |r| r.get::<_, i64>(0))?;
            for h in history {
                rows.insert(("source_history".to_string(), h?.to_string()));
            }
        }
        Ok(Pending {
            rows,
            sources: super::facts::stored_digests(conn)?,
        })
    }
}
