//! The level history of findings (migration 17, `finding_levels`): each scan records, in its
//! findings transaction, the severity and THF-01 level of every finding it saw whose values
//! differ from the last ones recorded (a first sighting included). Storing changes only keeps
//! the table small; a finding's values at any scan are those of its latest row at or before
//! that scan. The whitelist audit reads it to tell a customer who got worse while frozen.

use crate::error::Result;
use crate::rules::Severity;
use rusqlite::{named_params, Connection};
use serde::Serialize;

/// Records the severity and level changes of the findings scan `scan` saw (their `last_scan`
/// is it), dated `today`. Called by `scan::run` inside its findings transaction.
pub fn record(tx: &Connection, scan: i64, today: &str) -> Result<usize> {
    let n = tx.execute(
        "INSERT INTO finding_levels(finding_id, scan_id, seen_on, severity, level)
         SELECT f.id, :scan, :today, f.severity, f.level FROM findings f
         WHERE f.last_scan = :scan
           AND NOT EXISTS (
               SELECT 1 FROM finding_levels l
               WHERE l.id = (SELECT max(m.id) FROM finding_levels m WHERE m.finding_id = f.id)
                 AND l.severity IS f.severity AND l.level IS f.level)
         ORDER BY f.id",
        named_params! {":scan": scan, ":today": today},
    )?;
    Ok(n)
}

/// A rise of one finding: its severity went up, or its THF-01 level went up (a smaller
/// number: level 1 is the most likely theft).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rise {
    pub finding: i64,
    pub rule: String,
    /// The scan's business date.
    pub on: String,
    /// `severity` or `level`.
    pub what: &'static str,
    pub from: String,
    pub to: String,
}

/// Low < medium < high; an unknown word below low.
fn rank(severity: &str) -> Option<Severity> {
    Severity::parse(severity)
}

/// The rises of customer `cust_no`'s findings recorded on a day after `after` and before
/// `before`, and on or before `until`, by finding then date: each row compared with the one
/// before it of the same finding.
pub fn rises(
    conn: &Connection,
    cust_no: &str,
    after: &str,
    before: &str,
    until: &str,
) -> Result<Vec<Rise>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.finding_id, f.rule, l.seen_on, l.severity, l.level
         FROM finding_levels l JOIN findings f ON f.id = l.finding_id
         WHERE f.cust_no = ?1 AND l.seen_on < ?2 ORDER BY l.finding_id, l.id",
    )?;
    type Row = (i64, String, String, String, Option<i64>);
    let rows: Vec<Row> = stmt
        .query_map(rusqlite::params![cust_no, before], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for pair in rows.windows(2) {
        let (p, c) = (&pair[0], &pair[1]);
        let inside = c.2.as_str() > after && c.2.as_str() <= until;
        if p.0 != c.0 || !inside {
            continue;
        }
        let rise = |what, from: String, to: String| Rise {
            finding: c.0,
            rule: c.1.clone(),
            on: c.2.clone(),
            what,
            from,
            to,
        };
        if rank(&c.3) > rank(&p.3) {
            out.push(rise("severity", p.3.clone(), c.3.clone()));
        }
        if let (Some(was), Some(now)) = (p.4, c.4) {
            if now < was {
                out.push(rise("level", was.to_string(), now.to_string()));
            }
        }
    }
    Ok(out)
}
