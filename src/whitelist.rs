//! Whitelist entries (白名单) and their freeze periods: the read side. Changes go through
//! `actions` (add, extend, revoke, approve).
//!
//! An entry suppresses matching findings on date t when `effective_from <= t < expires_on` and
//! it was not revoked by t (see `findings::SUPPRESSED_SQL`). An entry longer than
//! `whitelist_review_days` has no `effective_from` until a reviewer approves it; an extension
//! past that length waits in `requested_expires_on` while the entry keeps its current expiry.

use crate::error::{JichaError, Result};
use crate::i18n::errors::RecordKind;
use crate::i18n::queries::QueryWrong;
use crate::i18n::refusals::ActionWrong;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// In force today.
    Active,
    /// A new long entry or a long extension waiting for a reviewer.
    Pending,
    /// In force today and expiring within 7 days.
    Expiring,
    /// Every entry, newest first, including expired and revoked ones.
    History,
}

impl View {
    pub fn parse(s: &str) -> Result<View> {
        match s {
            "active" => Ok(View::Active),
            "pending" => Ok(View::Pending),
            "expiring" => Ok(View::Expiring),
            "history" | "all" => Ok(View::History),
            other => Err(JichaError::invalid(QueryWrong::UnknownView {
                given: other.to_string(),
            })),
        }
    }

    fn where_sql(self) -> &'static str {
        match self {
            View::Active => ACTIVE_SQL,
            View::Pending => "revoked_on IS NULL AND (effective_from IS NULL OR requested_expires_on IS NOT NULL) AND :today < expires_on",
            View::Expiring => "effective_from <= :today AND :today < expires_on AND revoked_on IS NULL AND expires_on <= date(:today, '+7 days')",
            View::History => "1",
        }
    }
}

const ACTIVE_SQL: &str =
    "effective_from IS NOT NULL AND effective_from <= :today AND :today < expires_on AND revoked_on IS NULL";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub id: i64,
    pub rule: String,
    pub cust_no: String,
    pub reason: String,
    pub author: String,
    pub starts_on: String,
    pub expires_on: String,
    pub effective_from: Option<String>,
    pub approved_by: Option<String>,
    pub requested_expires_on: Option<String>,
    pub requested_by: Option<String>,
    pub revoked_on: Option<String>,
    pub revoked_by: Option<String>,
    pub revoke_reason: Option<String>,
    pub version: i64,
    /// What it is on the day asked: active, pending, expired or revoked.
    pub state: String,
}

const COLUMNS: &str =
    "id, rule, cust_no, reason, author, starts_on, expires_on, effective_from, approved_by,
    requested_expires_on, requested_by, revoked_on, revoked_by, revoke_reason, version,
    CASE WHEN revoked_on IS NOT NULL AND revoked_on <= :today THEN 'revoked'
         WHEN :today >= expires_on THEN 'expired'
         WHEN effective_from IS NULL THEN 'pending'
         WHEN effective_from > :today THEN 'scheduled'
         ELSE 'active' END";

fn read(r: &Row) -> rusqlite::Result<Entry> {
    Ok(Entry {
        id: r.get(0)?,
        rule: r.get(1)?,
        cust_no: r.get(2)?,
        reason: r.get(3)?,
        author: r.get(4)?,
        starts_on: r.get(5)?,
        expires_on: r.get(6)?,
        effective_from: r.get(7)?,
        approved_by: r.get(8)?,
        requested_expires_on: r.get(9)?,
        requested_by: r.get(10)?,
        revoked_on: r.get(11)?,
        revoked_by: r.get(12)?,
        revoke_reason: r.get(13)?,
        version: r.get(14)?,
        state: r.get(15)?,
    })
}

pub fn list(conn: &Connection, view: View, today: NaiveDate) -> Result<Vec<Entry>> {
    let order = if view == View::History {
        "id DESC"
    } else {
        "expires_on, id"
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM whitelist WHERE {} ORDER BY {order}",
        view.where_sql()
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::named_params! {":today": today.to_string()}, read)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn count(conn: &Connection, view: View, today: NaiveDate) -> Result<u64> {
    let sql = format!("SELECT count(*) FROM whitelist WHERE {}", view.where_sql());
    Ok(conn.query_row(
        &sql,
        rusqlite::named_params! {":today": today.to_string()},
        |r| r.get::<_, i64>(0),
    )? as u64)
}

pub fn get(conn: &Connection, id: i64, today: NaiveDate) -> Result<Entry> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM whitelist WHERE id = :id"),
        rusqlite::named_params! {":id": id, ":today": today.to_string()},
        read,
    )
    .optional()?
    .ok_or_else(|| {
        JichaError::invalid(ActionWrong::NoRecord {
            kind: RecordKind::WhitelistEntry,
            id: id.to_string(),
        })
    })
}
