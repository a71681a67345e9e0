//! The whitelist figures of the report, per (customer's station, rule of the entry): entries
//! created, extended and revoked in the range; active at the end of `to`, and of those the
//! ones longer than `whitelist_review_days` (004 part 8 QC: 冻结周期是否合理).

use crate::error::Result;
use rusqlite::Connection;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WhitelistCounts {
    pub station: String,
    /// The entry's rule, `*` for every rule.
    pub rule: String,
    pub added: u64,
    pub extended: u64,
    pub revoked: u64,
    pub active_after: u64,
    pub long_active_after: u64,
}

pub fn counts(
    conn: &Connection,
    from: &str,
    to: &str,
    review_days: i64,
) -> Result<Vec<WhitelistCounts>> {
    // An entry is created on its `starts_on` (the business date of `whitelist add`); it is
    // extended on the business date of its `whitelist.extend` record; active as
    // `findings::SUPPRESSED_SQL` says.
    let mut stmt = conn.prepare(
        "WITH ext AS (
             SELECT DISTINCT CAST(substr(a.target, 11) AS INTEGER) AS id FROM action_log a
             WHERE a.action = 'whitelist.extend' AND a.business_date BETWEEN :from AND :to
               AND a.target LIKE 'whitelist:%'),
         e AS (
             SELECT coalesce(c.station, '') AS station, w.rule,
                    w.starts_on BETWEEN :from AND :to AS added,
                    w.id IN (SELECT id FROM ext) AS extended,
                    coalesce(w.revoked_on BETWEEN :from AND :to, 0) AS revoked,
                    (w.effective_from IS NOT NULL AND w.effective_from <= :to AND :to < w.expires_on
                     AND (w.revoked_on IS NULL OR :to < w.revoked_on)) AS active,
                    julianday(w.expires_on) - julianday(w.starts_on) > :review AS long
             FROM whitelist w LEFT JOIN customers c ON c.cust_no = w.cust_no)
         SELECT station, rule, sum(added), sum(extended), sum(revoked), sum(active),
                sum(active AND long)
         FROM e GROUP BY station, rule ORDER BY station, rule",
    )?;
    let rows = stmt.query_map(
        rusqlite::named_params! {":from": from, ":to": to, ":review": review_days},
        |r| {
            let n = |i: usize| r.get::<_, i64>(i).map(|v| v as u64);
            Ok(WhitelistCounts {
                station: r.get(0)?,
                rule: r.get(1)?,
                added: n(2)?,
                extended: n(3)?,
                revoked: n(4)?,
                active_after: n(5)?,
                long_active_after: n(6)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
