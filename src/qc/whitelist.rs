//! The whitelist audit of QC item (6) 白名单管理是否符合要求，冻结周期是否合理, for a month:
//! the entries in force at some moment of the month (effective from on or before its last day,
//! ending — expiry or revocation — after its first), per unit (the customer's station) and
//! rule: how many, their freeze lengths (`expires_on − starts_on`, days), renewals (the
//! `whitelist.extend` records of those entries up to the month's end), long entries (a freeze
//! over `whitelist_review_days`), and each entry whose customer got worse while frozen, within
//! the same window — after the entry's start and before its end (or the month's end, or the
//! business date, whichever comes first): a new finding of that customer (any rule) first seen
//! in it, or a scan in it that raised one of the customer's findings' severity or its THF-01
//! level (level 4 → 2 is a rise: level 1 is the most likely theft), read from the level
//! history (`qc::levels`, migration 17).

use crate::error::Result;
use crate::qc::Month;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleRow {
    pub unit: String,
    pub rule: String,
    pub entries: u64,
    pub mean_days: f64,
    pub max_days: i64,
    pub renewals: u64,
    pub long: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Worse {
    pub entry: i64,
    pub unit: String,
    pub rule: String,
    pub cust_no: String,
    /// The new findings' ids.
    pub findings: Vec<i64>,
    /// Severity or THF-level rises of the customer's findings during the freeze.
    pub rises: Vec<crate::qc::levels::Rise>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Audit {
    pub review_days: i64,
    pub rows: Vec<RuleRow>,
    pub worse: Vec<Worse>,
}

pub fn audit(conn: &Connection, m: &Month, today: NaiveDate) -> Result<Audit> {
    let review_days = crate::thresholds::Thresholds::load(conn)?.int("whitelist_review_days");
    let end = today.min(m.to).to_string();
    let (f, t) = (m.from.to_string(), m.to.to_string());
    let mut stmt = conn.prepare(
        "SELECT w.id, coalesce(c.station, ''), w.rule, w.cust_no, w.starts_on,
                CAST(julianday(w.expires_on) - julianday(w.starts_on) AS INTEGER),
                (SELECT count(*) FROM action_log a WHERE a.action = 'whitelist.extend'
                   AND a.target = 'whitelist:' || w.id AND a.business_date <= :t),
                min(w.expires_on, coalesce(w.revoked_on, w.expires_on))
         FROM whitelist w LEFT JOIN customers c ON c.cust_no = w.cust_no
         WHERE w.effective_from IS NOT NULL AND w.effective_from <= :t
           AND min(w.expires_on, coalesce(w.revoked_on, w.expires_on)) > :f
         ORDER BY 2, 3, w.id",
    )?;
    type Row = (i64, String, String, String, String, i64, i64, String);
    let rows: Vec<Row> = stmt
        .query_map(rusqlite::named_params! {":f": f, ":t": t}, |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut groups: BTreeMap<(String, String), RuleRow> = BTreeMap::new();
    let mut new_findings = conn.prepare(
        "SELECT id FROM findings WHERE cust_no = ?1 AND first_seen > ?2 AND first_seen < ?3
           AND first_seen <= ?4 ORDER BY id",
    )?;
    let mut worse = Vec::new();
    for (id, unit, rule, cust_no, starts, days, renewals, ends) in rows {
        let g = groups
            .entry((unit.clone(), rule.clone()))
            .or_insert_with(|| RuleRow {
                unit: unit.clone(),
                rule: rule.clone(),
                entries: 0,
                mean_days: 0.0,
                max_days: 0,
                renewals: 0,
                long: 0,
            });
        g.entries += 1;
        g.mean_days += days as f64;
        g.max_days = g.max_days.max(days);
        g.renewals += renewals as u64;
        g.long += u64::from(days > review_days);
        let found: Vec<i64> = new_findings
            .query_map(rusqlite::params![cust_no, starts, ends, end], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let rises = crate::qc::levels::rises(conn, &cust_no, &starts, &ends, &end)?;
        if !found.is_empty() || !rises.is_empty() {
            worse.push(Worse {
                entry: id,
                unit,
                rule,
                cust_no,
                findings: found,
                rises,
            });
        }
    }
    let rows = groups
        .into_values()
        .map(|mut g| {
            g.mean_days = (g.mean_days / g.entries as f64 * 10.0).round() / 10.0;
            g
        })
        .collect();
    Ok(Audit {
        review_days,
        rows,
        worse,
    })
}
