//! Names to complete and to pick from (the UI's command line and pickers): ticket numbers,
//! customer numbers by prefix, operator logins. Read side only; each answer is small (a limit
//! or a short table).

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

/// Ticket numbers, newest first, at most `limit`.
pub fn ticket_numbers(conn: &Connection, limit: usize) -> Result<Vec<String>> {
    let mut st =
        conn.prepare("SELECT number FROM tickets ORDER BY issued_on DESC, id DESC LIMIT ?1")?;
    let rows = st.query_map([limit as i64], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Customer numbers starting with `prefix` (with the customer's name), in order, at most
/// `limit`. Uses the primary key: `>= prefix` and `< prefix + U+10FFFF`.
pub fn customers_from(
    conn: &Connection,
    prefix: &str,
    limit: usize,
) -> Result<Vec<(String, String)>> {
    let mut st = conn.prepare(
        "SELECT cust_no, COALESCE(name, '') FROM customers
          WHERE cust_no >= ?1 AND cust_no < ?1 || char(1114111) ORDER BY cust_no LIMIT ?2",
    )?;
    let rows = st.query_map(params![prefix, limit as i64], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether a customer number exists.
pub fn customer_exists(conn: &Connection, cust_no: &str) -> Result<bool> {
    Ok(conn
        .prepare("SELECT 1 FROM customers WHERE cust_no = ?1")?
        .exists([cust_no])?)
}

/// Operator logins with their names (empty when none), by login.
pub fn operators(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut st = conn.prepare("SELECT login, COALESCE(name, '') FROM operators ORDER BY login")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// `(id, version)` of each finding of `ids` that exists, in `ids`' order.
pub fn finding_versions(conn: &Connection, ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    let mut by_id = std::collections::HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let list = chunk
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let mut st = conn.prepare(&format!(
            "SELECT id, version FROM findings WHERE id IN ({list})"
        ))?;
        let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (id, v) = row?;
            by_id.insert(id, v);
        }
    }
    Ok(ids
        .iter()
        .filter_map(|id| by_id.get(id).map(|v| (*id, *v)))
        .collect())
}

/// `(id, version)` of the whitelist entries `ids` that exist, in the order given (the undo
/// key remembers what an entry added was left at).
pub fn whitelist_versions(conn: &Connection, ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let v: Option<i64> = conn
            .query_row("SELECT version FROM whitelist WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        out.extend(v.map(|v| (*id, v)));
    }
    Ok(out)
}
