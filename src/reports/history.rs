//! The findings' figures of the report, from their status history, in one set query grouped by
//! (station, rule): open on some day of the range, to rectify and rectified, open and
//! suppressed at the end of the day before `from` and at the end of `to`.
//!
//! A finding's status at the end of day t is that of its last history row dated t or earlier
//! (`new` from its first scan when it has no row by then: datasets older than the history).
//! It was open on some day of `[from, to]` when it was open at the end of the day before, or
//! one of its rows dated in the range is open, or it was on a ticket issued in the range (that
//! made it `ticketed` that day).

use crate::error::Result;
use rusqlite::Connection;

/// The findings' counts of one (station, rule).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindingCounts {
    /// The customer's station ('' when the finding has no customer).
    pub station: String,
    pub rule: String,
    pub monitored: u64,
    /// On a ticket issued in the range and not cancelled by the end of `to`.
    pub ticketed: u64,
    pub to_rectify: u64,
    pub rectified: u64,
    pub open_before: u64,
    pub open_after: u64,
    pub suppressed_before: u64,
    pub suppressed_after: u64,
}

/// The whitelist match of `findings.rs`'s `SUPPRESSED_SQL`, on a day given as a parameter.
fn suppressed_on(day: &str) -> String {
    crate::findings::SUPPRESSED_SQL.replace(":today", day)
}

const OPEN: &str = "('new','confirmed','ticketed')";

pub fn counts(conn: &Connection, from: &str, to: &str, before: &str) -> Result<Vec<FindingCounts>> {
    let sql = format!(
        "WITH h AS (
             SELECT finding_id,
                    max(CASE WHEN business_date <= :before THEN id END) AS idb,
                    max(CASE WHEN business_date <= :to THEN id END) AS ida,
                    max(business_date BETWEEN :from AND :to AND status IN {OPEN}) AS open_in,
                    max(business_date BETWEEN :from AND :to AND status IN ('confirmed','ticketed')) AS rect_in
             FROM finding_status_history GROUP BY finding_id),
         tk AS (
             SELECT DISTINCT tf.finding_id FROM tickets t JOIN ticket_findings tf ON tf.ticket_id = t.id
             WHERE t.issued_on BETWEEN :from AND :to AND (t.cancelled_on IS NULL OR t.cancelled_on > :to)),
         s AS (
             SELECT coalesce(c.station, '') AS station, f.rule, f.cust_no, f.id,
                    CASE WHEN h.idb IS NOT NULL THEN hb.status WHEN f.first_seen <= :before THEN 'new' END AS sb,
                    CASE WHEN h.ida IS NOT NULL THEN ha.status ELSE 'new' END AS sa,
                    CASE WHEN h.ida IS NOT NULL THEN ha.resolution END AS ra,
                    coalesce(h.open_in, 0) AS open_in, coalesce(h.rect_in, 0) AS rect_in,
                    h.ida IS NULL AS no_history,
                    tk.finding_id IS NOT NULL AS on_ticket
             FROM findings f
             LEFT JOIN customers c ON c.cust_no = f.cust_no
             LEFT JOIN h ON h.finding_id = f.id
             LEFT JOIN finding_status_history hb ON hb.id = h.idb
             LEFT JOIN finding_status_history ha ON ha.id = h.ida
             LEFT JOIN tk ON tk.finding_id = f.id
             WHERE f.first_seen <= :to),
         g AS (
             SELECT station, rule, on_ticket, sa, ra,
                    coalesce(sb IN {OPEN}, 0) AS ob,
                    sa IN {OPEN} AS oa,
                    coalesce(sb IN ('confirmed','ticketed'), 0) OR rect_in OR on_ticket AS tr,
                    coalesce(sb IN {OPEN}, 0) OR open_in OR no_history OR on_ticket AS mon,
                    CASE WHEN sb IN {OPEN} THEN {sb_supp} ELSE 0 END AS supp_b,
                    CASE WHEN sa IN {OPEN} THEN {sa_supp} ELSE 0 END AS supp_a
             FROM s f)
         SELECT station, rule, sum(mon), sum(on_ticket), sum(tr),
                sum(tr AND sa = 'closed' AND ra IS 'rectified'),
                sum(ob), sum(oa), sum(supp_b), sum(supp_a)
         FROM g GROUP BY station, rule ORDER BY station, rule",
        sb_supp = suppressed_on(":before"),
        sa_supp = suppressed_on(":to"),
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(
        rusqlite::named_params! {":from": from, ":to": to, ":before": before},
        |r| {
            let n = |i: usize| r.get::<_, i64>(i).map(|v| v as u64);
            Ok(FindingCounts {
                station: r.get(0)?,
                rule: r.get(1)?,
                monitored: n(2)?,
                ticketed: n(3)?,
                to_rectify: n(4)?,
                rectified: n(5)?,
                open_before: n(6)?,
                open_after: n(7)?,
                suppressed_before: n(8)?,
                suppressed_after: n(9)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
