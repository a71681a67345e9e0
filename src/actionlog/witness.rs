//! The witness: every commit that appends to the log also sends its range and head
//! (`dataset=ID first=A seq=B hash=H`) to syslog (ident `jicha`, facility LOG_AUTHPRIV), which
//! the utility forwards off the machine and operators cannot rewrite. `jicha log verify
//! --witness FILE` checks the chain against such lines taken from a journal or syslog export:
//! a witnessed head that differs is a rewrite, one beyond the log's end a truncation or
//! rollback, a record inside the witnessed history that no commit witnessed was not appended by
//! jicha (or its writer died between commit and syslog), records after the last witnessed one
//! are not witnessed yet.
//!
//! For tests and installs without syslog, `JICHA_WITNESS_FILE=PATH` appends the lines to PATH
//! instead, honoured only when jicha does not run with the dataset group's rights.

use crate::error::{JichaError, Result};
use rusqlite::Connection;
use std::collections::BTreeMap;
use std::path::Path;

/// What starts the witness part of a syslog line.
pub const MARK: &str = "jicha log head:";
/// The environment variable that sends witness lines to a file instead of syslog.
pub const FILE_ENV: &str = "JICHA_WITNESS_FILE";
/// At most this many examples of each kind of problem are named; the rest are counted.
const EXAMPLES: usize = 5;
/// Syslog lines are short; a longer line in an export is skipped without being held whole.
const MAX_LINE: u64 = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub dataset: String,
    pub first: i64,
    pub seq: i64,
    pub hash: String,
}

impl Head {
    pub fn line(&self) -> String {
        format!(
            "{MARK} dataset={} first={} seq={} hash={}",
            self.dataset, self.first, self.seq, self.hash
        )
    }
}

/// Sends one commit's head to the witness. A failure is reported, never fatal: the data is
/// already committed, and `log verify --witness` will show the record as unwitnessed.
pub fn send(head: &Head) {
    let line = head.line();
    if let Some(path) = crate::privilege::trusted_env(FILE_ENV) {
        if let Err(e) = append_line(Path::new(&path), &line) {
            eprintln!(
                "jicha: warning: could not write the log witness to {}: {e}",
                Path::new(&path).display()
            );
        }
        return;
    }
    to_syslog(&line);
}

fn append_line(path: &Path, line: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)?;
    // One write of the whole line: O_APPEND keeps concurrent writers' lines whole.
    f.write_all(format!("{line}\n").as_bytes())
}

fn to_syslog(line: &str) {
    static OPEN: std::sync::Once = std::sync::Once::new();
    OPEN.call_once(|| {
        // SAFETY: the ident is a static C string that outlives every later syslog call.
        unsafe { libc::openlog(c"jicha".as_ptr(), libc::LOG_PID, libc::LOG_AUTHPRIV) };
    });
    let Ok(msg) = std::ffi::CString::new(line) else {
        return;
    };
    // SAFETY: a constant "%s" format with one C string argument.
    unsafe {
        libc::syslog(
            libc::LOG_AUTHPRIV | libc::LOG_NOTICE,
            c"%s".as_ptr(),
            msg.as_ptr(),
        )
    };
}

/// The witness lines found in an export, by dataset.
#[derive(Debug, Default)]
pub struct Witness {
    pub heads: Vec<Head>,
    /// Line numbers of lines that carry the mark but cannot be read.
    pub unreadable: Vec<u64>,
}

/// Reads the witness lines out of a syslog or journal export: any line with `MARK` in it, the
/// syslog prefix before it ignored.
pub fn read_file(path: &Path) -> Result<Witness> {
    use crate::i18n::refusals_cli::CliWrong;
    use std::io::{BufRead, Read};
    let meta = std::fs::metadata(path).map_err(|e| {
        JichaError::invalid(CliWrong::WitnessUnreadable {
            path: path.display().to_string(),
            why: e.to_string(),
        })
    })?;
    if !meta.is_file() {
        return Err(JichaError::invalid(CliWrong::WitnessNotFile {
            path: path.display().to_string(),
        }));
    }
    let mut reader = std::io::BufReader::new(std::fs::File::open(path)?);
    let mut w = Witness::default();
    let mut buf = Vec::new();
    let mut lineno = 0u64;
    loop {
        buf.clear();
        if (&mut reader).take(MAX_LINE).read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        lineno += 1;
        if buf.last() != Some(&b'\n') && buf.len() as u64 == MAX_LINE {
            // Longer than any syslog line: skip the rest of it in bounded pieces.
            let mut rest = Vec::new();
            loop {
                rest.clear();
                let n = (&mut reader).take(MAX_LINE).read_until(b'\n', &mut rest)?;
                if n == 0 || rest.last() == Some(&b'\n') {
                    break;
                }
            }
            if String::from_utf8_lossy(&buf).contains(MARK) {
                w.unreadable.push(lineno);
            }
            continue;
        }
        let text = String::from_utf8_lossy(&buf);
        let Some(at) = text.find(MARK) else {
            continue;
        };
        match parse_head(&text[at + MARK.len()..]) {
            Some(h) => w.heads.push(h),
            None => w.unreadable.push(lineno),
        }
    }
    Ok(w)
}

fn parse_head(rest: &str) -> Option<Head> {
    let mut fields: BTreeMap<&str, &str> = BTreeMap::new();
    for token in rest.split_whitespace() {
        let (k, v) = token.split_once('=')?;
        if fields.insert(k, v).is_some() {
            return None;
        }
    }
    let hex = |s: &str, n: usize| {
        s.len() == n
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    let dataset = *fields.get("dataset")?;
    let hash = *fields.get("hash")?;
    let first: i64 = fields.get("first")?.parse().ok()?;
    let seq: i64 = fields.get("seq")?.parse().ok()?;
    if fields.len() != 4 || !hex(dataset, 32) || !hex(hash, 64) || first < 1 || first > seq {
        return None;
    }
    Some(Head {
        dataset: dataset.into(),
        first,
        seq,
        hash: hash.into(),
    })
}

/// Checks the chain against the witness; returns the problems (empty when every record is
/// witnessed and every witnessed head agrees) and a summary for the operator.
#[allow(clippy::too_many_lines)] // the witness checks in the order `log verify` reports them; each is a few lines, and one problem list runs through them all
pub fn check(conn: &Connection, dataset: &str, w: &Witness) -> Result<(Vec<String>, String)> {
    let mut problems = Vec::new();
    if !w.unreadable.is_empty() {
        problems.push(format!(
            "witness: {} line(s) carry the jicha log mark but cannot be read (line {}): forged or damaged",
            w.unreadable.len(),
            list(&w.unreadable)
        ));
    }
    let mine: Vec<&Head> = w.heads.iter().filter(|h| h.dataset == dataset).collect();
    if mine.is_empty() {
        let mut others: BTreeMap<&str, usize> = BTreeMap::new();
        for h in &w.heads {
            *others.entry(h.dataset.as_str()).or_default() += 1;
        }
        let seen = if others.is_empty() {
            "it holds no jicha log heads at all".to_string()
        } else {
            format!(
                "it holds heads of dataset(s) {}",
                others
                    .iter()
                    .map(|(d, n)| format!("{d} ({n})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        problems.push(format!(
            "witness: no line for this dataset (id {dataset}); {seen}. Either the export is of the wrong machine or period, or this dataset's id was changed"
        ));
        return Ok((problems, String::new()));
    }
    // The chain's hashes by seq; a hash that is not text never matches.
    let mut stmt = conn.prepare(
        "SELECT seq, CASE WHEN typeof(hash) = 'text' THEN hash END FROM action_log
         WHERE typeof(seq) = 'integer' ORDER BY seq",
    )?;
    let chain: BTreeMap<i64, Option<String>> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let log_end = chain.keys().next_back().copied().unwrap_or(0);

    let mut differs = Vec::new();
    let mut missing = Vec::new();
    let mut beyond = Vec::new();
    for h in &mine {
        match chain.get(&h.seq) {
            Some(Some(hash)) if *hash == h.hash => {}
            Some(_) => differs.push(h.seq as u64),
            None if h.seq > log_end => beyond.push(h.seq as u64),
            None => missing.push(h.seq as u64),
        }
    }
    let top = mine.iter().map(|h| h.seq).max().unwrap_or(0);
    if !beyond.is_empty() {
        problems.push(format!(
            "witness: the log ends at record {log_end}, but the witness saw record {top}: record(s) {} were removed (the log was truncated or rolled back)",
            span(log_end + 1, top)
        ));
    }
    if !differs.is_empty() {
        differs.sort_unstable();
        differs.dedup();
        problems.push(format!(
            "witness: record {} differs from the hash the witness saw when it was committed: the log was rewritten",
            list(&differs)
        ));
    }
    if !missing.is_empty() {
        missing.sort_unstable();
        missing.dedup();
        problems.push(format!(
            "witness: record {}, which the witness saw committed, is missing from the log",
            list(&missing)
        ));
    }
    // Coverage: every record up to the last witnessed one must lie in a witnessed commit.
    let mut ranges: Vec<(i64, i64)> = mine.iter().map(|h| (h.first, h.seq)).collect();
    ranges.sort_unstable();
    let mut gaps: Vec<(i64, i64)> = Vec::new();
    let mut next = 1i64;
    for (a, b) in ranges {
        if a > next {
            gaps.push((next, a - 1));
        }
        next = next.max(b + 1);
    }
    let gaps: Vec<(i64, i64)> = gaps
        .into_iter()
        .filter_map(|(a, b)| (a <= log_end).then_some((a, b.min(log_end))))
        .collect();
    if !gaps.is_empty() {
        let shown: Vec<String> = gaps
            .iter()
            .take(EXAMPLES)
            .map(|&(a, b)| span(a, b))
            .collect();
        let more = gaps.len().saturating_sub(EXAMPLES);
        problems.push(format!(
            "witness: record(s) {}{} were never witnessed although later ones were: they were appended outside jicha, or their writer was killed between its commit and its syslog line; compare them with the journal",
            shown.join(", "),
            if more > 0 { format!(" and {more} more ranges") } else { String::new() }
        ));
    }
    if log_end > top {
        problems.push(format!(
            "witness: record(s) {} come after the last witnessed record {top}: they are not witnessed (export the journal again; if they are still not there, jicha did not write them)",
            span(top + 1, log_end)
        ));
    }
    let summary = format!(
        "witness: {} line(s) for this dataset, last witnessed record {top}",
        mine.len()
    );
    Ok((problems, summary))
}

fn span(a: i64, b: i64) -> String {
    if a == b {
        a.to_string()
    } else {
        format!("{a}–{b}")
    }
}

fn list(v: &[u64]) -> String {
    let shown: Vec<String> = v.iter().take(EXAMPLES).map(u64::to_string).collect();
    let more = v.len().saturating_sub(EXAMPLES);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_heads_after_a_syslog_prefix_and_flags_bad_ones() {
        let id = "0f".repeat(16);
        let h = "a1".repeat(32);
        let good = Head {
            dataset: id.clone(),
            first: 3,
            seq: 4,
            hash: h.clone(),
        };
        assert_eq!(parse_head(&good.line()[MARK.len()..]).as_ref(), Some(&good));
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("w");
        std::fs::write(
            &f,
            format!(
                "Dec  1 09:00:00 host jicha[42]: {}\nunrelated\n{MARK} dataset={id} first=5 seq=4 hash={h}\n{MARK} dataset={id} seq=4 hash={h}\n",
                good.line()
            ),
        )
        .unwrap();
        let w = read_file(&f).unwrap();
        assert_eq!(w.heads, vec![good.clone()]);
        assert_eq!(w.unreadable, vec![3, 4]);

        // A line longer than any syslog line is skipped, the next one still read.
        let long = format!("{MARK} {}\n{}\n", "x".repeat(200_000), good.line());
        std::fs::write(&f, long).unwrap();
        let w = read_file(&f).unwrap();
        assert_eq!((w.heads, w.unreadable), (vec![good], vec![1]));
    }
}
