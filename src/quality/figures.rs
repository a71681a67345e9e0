//! The figures of one unit and period that the computed indicators are made of, counted with
//! the definitions of workflow.md "Reports" (problem-based, as of the end of the period):
//!
//! - problems dispatched: findings on tickets issued in the period and not cancelled by its
//!   end, counted for the ticket's unit (`tickets.unit`);
//! - problems completed: of those, the ones whose ticket was approved by the end of the period
//!   (`approved_on` ≤ end; an archived ticket was approved);
//! - problems overdue: of those, the ones whose ticket was approved after its `due_on`, or is
//!   not approved by the end of the period and the end is after `due_on`;
//! - findings to rectify: findings whose status was `confirmed` or `ticketed` at some moment
//!   of some day of the period (by their status history), counted for the customer's station;
//! - findings rectified: of those, the ones closed as `rectified` at the end of the period;
//! - findings first detected in the period and the station's active customers at its end
//!   (findings_per_1000); 元 recovered on tickets approved in the period, applicable when the
//!   unit had a ticket issued or approved in it.
//!
//! A unit's figures are its *own*: a parent's are the sums over its whole subtree (`pooled`),
//! so that its rates are pooled ratios, never the mean of its children's rates.

use super::indicators::Source;
use crate::error::Result;
use crate::units::Hierarchy;
use chrono::NaiveDate;
use rusqlite::Connection;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Figures {
    pub dispatched: u64,
    pub completed: u64,
    pub overdue: u64,
    pub to_rectify: u64,
    pub rectified: u64,
    pub findings: u64,
    pub active_customers: u64,
    /// Tickets issued (not cancelled) or approved in the period: what an amount recovered
    /// is judged on.
    pub recovery_tickets: u64,
    pub recovered: f64,
    /// QC checklist items scored / passed on the unit's sampled tickets (`qc::score_counts`).
    pub qc_scored: u64,
    pub qc_passed: u64,
}

impl Figures {
    fn add(&mut self, o: &Figures) {
        self.dispatched += o.dispatched;
        self.completed += o.completed;
        self.overdue += o.overdue;
        self.to_rectify += o.to_rectify;
        self.rectified += o.rectified;
        self.findings += o.findings;
        self.active_customers += o.active_customers;
        self.recovery_tickets += o.recovery_tickets;
        self.recovered += o.recovered;
        self.qc_scored += o.qc_scored;
        self.qc_passed += o.qc_passed;
    }

    /// A computed indicator's value; None (not applicable) when its denominator is 0 — no
    /// problem dispatched, nothing to rectify, no customer, no ticket issued or approved.
    pub fn metric(&self, source: Source) -> Option<f64> {
        let ratio = |n: u64, d: u64| (d > 0).then(|| n as f64 / d as f64);
        match source {
            Source::Manual => None,
            Source::CompletionRate => ratio(self.completed, self.dispatched),
            Source::OverdueRate => ratio(self.overdue, self.dispatched),
            Source::RectificationRate => ratio(self.rectified, self.to_rectify),
            Source::FindingsPer1000 => {
                ratio(self.findings, self.active_customers).map(|r| r * 1000.0)
            }
            Source::AmountRecovered => (self.recovery_tickets > 0).then_some(self.recovered),
            Source::QcScore => ratio(self.qc_passed, self.qc_scored),
        }
    }
}

/// Each unit's own figures in `[from, to]`, only those `needed` sources use.
pub fn own(
    conn: &Connection,
    needed: &[Source],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeMap<String, Figures>> {
    let mut out: BTreeMap<String, Figures> = BTreeMap::new();
    let needs = |s: &[Source]| needed.iter().any(|n| s.contains(n));
    let (f, t) = (from.to_string(), to.to_string());
    if needs(&[Source::CompletionRate, Source::OverdueRate]) {
        problems(conn, &f, &t, &mut out)?;
    }
    if needs(&[Source::RectificationRate]) {
        to_rectify(conn, &f, &t, &mut out)?;
    }
    if needs(&[Source::FindingsPer1000]) {
        per_customer(conn, &f, &t, &mut out)?;
    }
    if needs(&[Source::AmountRecovered]) {
        let mut stmt = conn.prepare(
            "SELECT unit, count(*),
                    sum(CASE WHEN state IN ('approved', 'archived') AND approved_on BETWEEN ?1 AND ?2
                             THEN coalesce(recovered_yuan, 0) ELSE 0 END)
             FROM tickets
             WHERE (state IN ('approved', 'archived') AND approved_on BETWEEN ?1 AND ?2)
                OR (issued_on BETWEEN ?1 AND ?2
                    AND NOT (state = 'cancelled' AND coalesce(cancelled_on, '') <= ?2))
             GROUP BY unit",
        )?;
        let mut rows = stmt.query([&f, &t])?;
        while let Some(r) = rows.next()? {
            let e = out.entry(r.get(0)?).or_default();
            e.recovery_tickets = r.get::<_, i64>(1)? as u64;
            e.recovered = r.get(2)?;
        }
    }
    if needs(&[Source::QcScore]) {
        for (unit, (scored, passed)) in crate::qc::score_counts(conn, from, to)? {
            let e = out.entry(unit).or_default();
            e.qc_scored = scored;
            e.qc_passed = passed;
        }
    }
    Ok(out)
}

fn problems(
    conn: &Connection,
    f: &str,
    t: &str,
    out: &mut BTreeMap<String, Figures>,
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT t.unit, t.due_on,
                CASE WHEN t.state IN ('approved', 'archived') AND t.approved_on <= ?2
                     THEN t.approved_on END,
                count(tf.finding_id)
         FROM tickets t JOIN ticket_findings tf ON tf.ticket_id = t.id
         WHERE t.issued_on BETWEEN ?1 AND ?2
           AND NOT (t.state = 'cancelled' AND coalesce(t.cancelled_on, '') <= ?2)
         GROUP BY t.id",
    )?;
    let mut rows = stmt.query([f, t])?;
    while let Some(r) = rows.next()? {
        let due: String = r.get(1)?;
        let approved: Option<String> = r.get(2)?;
        let n = r.get::<_, i64>(3)? as u64;
        let e = out.entry(r.get(0)?).or_default();
        e.dispatched += n;
        let overdue = match &approved {
            Some(a) => a.as_str() > due.as_str(),
            None => t > due.as_str(),
        };
        if approved.is_some() {
            e.completed += n;
        }
        if overdue {
            e.overdue += n;
        }
    }
    Ok(())
}

fn to_rectify(
    conn: &Connection,
    f: &str,
    t: &str,
    out: &mut BTreeMap<String, Figures>,
) -> Result<()> {
    // The status at the start of `from` is the last change dated before it; a change dated
    // in the range is a status held at some moment of that day; the status at the end of `to`
    // is the last change dated by then. Only findings that were ever confirmed or ticketed by
    // the end of `to` can qualify: one pass over the history picks them, so the correlated
    // look-ups run for those few rather than for every finding.
    let mut stmt = conn.prepare(
        "SELECT c.station,
           (SELECT h.status FROM finding_status_history h
             WHERE h.finding_id = f.id AND h.business_date < ?1 ORDER BY h.id DESC LIMIT 1),
           EXISTS (SELECT 1 FROM finding_status_history h
             WHERE h.finding_id = f.id AND h.business_date BETWEEN ?1 AND ?2
               AND h.status IN ('confirmed', 'ticketed')),
           (SELECT h.status = 'closed' AND h.resolution = 'rectified' FROM finding_status_history h
             WHERE h.finding_id = f.id AND h.business_date <= ?2 ORDER BY h.id DESC LIMIT 1)
         FROM findings f JOIN customers c ON c.cust_no = f.cust_no
         WHERE f.id IN (SELECT finding_id FROM finding_status_history
                        WHERE status IN ('confirmed', 'ticketed') AND business_date <= ?2)",
    )?;
    let mut rows = stmt.query([f, t])?;
    while let Some(r) = rows.next()? {
        let before: Option<String> = r.get(1)?;
        let during: bool = r.get(2)?;
        let held = during || matches!(before.as_deref(), Some("confirmed" | "ticketed"));
        if !held {
            continue;
        }
        let rectified: Option<bool> = r.get(3)?;
        let e = out.entry(r.get(0)?).or_default();
        e.to_rectify += 1;
        e.rectified += u64::from(rectified == Some(true));
    }
    Ok(())
}

fn per_customer(
    conn: &Connection,
    f: &str,
    t: &str,
    out: &mut BTreeMap<String, Figures>,
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT c.station, count(*) FROM findings f JOIN customers c ON c.cust_no = f.cust_no
         WHERE f.first_seen BETWEEN ?1 AND ?2 GROUP BY c.station",
    )?;
    let mut rows = stmt.query([f, t])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?).or_default().findings = r.get::<_, i64>(1)? as u64;
    }
    // Active at the end of the period: opened by then and not closed by then.
    let mut stmt = conn.prepare(
        "SELECT station, count(*) FROM customers
         WHERE opened_on <= ?1 AND (status = 'active' OR closed_on > ?1) GROUP BY station",
    )?;
    let mut rows = stmt.query([t])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?).or_default().active_customers = r.get::<_, i64>(1)? as u64;
    }
    Ok(())
}

/// Every unit of the tree with the sums of its subtree's own figures (itself included).
pub fn pooled(h: &Hierarchy, own: &BTreeMap<String, Figures>) -> BTreeMap<String, Figures> {
    h.units()
        .map(|u| {
            let mut sum = Figures::default();
            for n in h.subtree(&u.name) {
                if let Some(o) = own.get(n) {
                    sum.add(o);
                }
            }
            (u.name.clone(), sum)
        })
        .collect()
}
