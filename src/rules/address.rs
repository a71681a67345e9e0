//! ARC-12 用电地址不规范: the supply address empty, shorter than `address_min_chars` code points,
//! or holding none of `address_keywords`. In Rust because the length is of "the field as
//! given" and SQLite's `length()` stops at a NUL, which the data contract allows in text.

use super::evidence::Evidence;
use super::{catalogue, Hit};
use crate::error::Result;
use crate::thresholds::Thresholds;
use rusqlite::Connection;

pub const RULE: &str = "ARC-12";

pub fn run(
    conn: &Connection,
    th: &Thresholds,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
) -> Result<()> {
    let min_chars = th.int("address_min_chars");
    let keywords: Vec<String> = th
        .list("address_keywords")
        .into_iter()
        .filter(|k| !k.is_empty())
        .collect();
    let def = catalogue::find(RULE).expect("in catalogue");
    let mut stmt = conn.prepare(
        "SELECT cust_no, address FROM customers WHERE status = 'active' ORDER BY cust_no",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let address: Option<String> = r.get(1)?;
        let address = address.filter(|a| !a.is_empty());
        let chars = address.as_deref().map_or(0, |a| a.chars().count()) as i64;
        let has_keyword = address
            .as_deref()
            .is_some_and(|a| keywords.iter().any(|k| a.contains(k.as_str())));
        if address.is_some() && chars >= min_chars && has_keyword {
            continue;
        }
        sink(Hit {
            rule: RULE.to_string(),
            cust_no: r.get(0)?,
            subject: "-".to_string(),
            severity: def.severity,
            level: None,
            evidence: Evidence::Arc12 {
                address,
                chars,
                min_chars,
                no_keyword: !has_keyword,
            }
            .to_stored(),
            amount_yuan: None,
        })?;
    }
    Ok(())
}
