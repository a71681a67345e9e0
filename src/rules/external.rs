//! Anomalies found by other systems (external_findings): each row is a hit of the rule
//! `EXT:<source>:<rule_code>`, with the source's own severity and evidence.

use super::catalogue::external_rule_id;
use super::evidence::Evidence;
use super::{Hit, Severity};
use crate::error::Result;
use rusqlite::Connection;
use std::collections::BTreeSet;

/// Reports every external finding; returns the external rule ids seen.
pub fn run(conn: &Connection, sink: &mut dyn FnMut(Hit) -> Result<()>) -> Result<BTreeSet<String>> {
    let mut stmt = conn.prepare(
        "SELECT source, rule_code, rule_name, cust_no, subject, detected_on, severity, evidence
         FROM external_findings ORDER BY source, rule_code, cust_no, subject",
    )?;
    let mut rows = stmt.query([])?;
    let mut rules = BTreeSet::new();
    while let Some(r) = rows.next()? {
        let rule = external_rule_id(&r.get::<_, String>(0)?, &r.get::<_, String>(1)?);
        let name: String = r.get(2)?;
        let detected_on: String = r.get(5)?;
        let evidence: Option<String> = r.get(7)?;
        let severity: String = r.get(6)?;
        let subject: String = r.get(4)?;
        rules.insert(rule.clone());
        sink(Hit {
            rule,
            cust_no: r.get(3)?,
            subject: if subject.is_empty() {
                "-".into()
            } else {
                subject
            },
            // The table's CHECK constraint allows only high, medium and low.
            severity: Severity::parse(&severity).unwrap_or(Severity::Medium),
            level: None,
            evidence: Evidence::External {
                rule_name: name,
                detected_on,
                text: evidence.filter(|e| !e.is_empty()),
            }
            .to_stored(),
            amount_yuan: None,
        })?;
    }
    Ok(rules)
}
