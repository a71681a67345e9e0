//! ARC-10 新立户未按期抄表收费, ARC-11 在用客户欠费 and ARC-14 平均电价异常: the archive rules that
//! read a customer's bills, judged in the bill pass from the rows it already holds for each
//! customer (a second ordered read of the largest table cost a fifth of the 1M scan).
//!
//! ARC-10 compares a customer's opening month with the earliest bill period of the whole
//! dataset, known only at the end of the pass. The earliest period seen so far only falls, so
//! a candidate opened at or after it fires for certain and is reported at once; one opened
//! before it (nearly every customer opened before the bill history starts) is kept as three
//! numbers and decided in `finish`, where only the few that fire after all are named by a
//! second read of the customers.

use super::view::Bill;
use crate::dates::{period_from_index, period_index, period_of};
use crate::error::Result;
use crate::rules::evidence::Evidence;
use crate::rules::num::{self, TOL};
use crate::rules::{catalogue, Hit};
use crate::thresholds::Thresholds;
use chrono::NaiveDate;
use rusqlite::{named_params, Connection};

pub const RULES: [&str; 3] = ["ARC-10", "ARC-11", "ARC-14"];

/// An active customer's archive fields the three rules read.
pub(super) struct Archive<'a> {
    pub cust_no: &'a str,
    pub opened_on: &'a str,
    pub price_code: &'a str,
}

/// An ARC-10 candidate decided once the earliest bill period is known: the customer's place
/// among the active customers in number order, its opening month and first bill period.
struct Opening {
    ordinal: u32,
    opened: i32,
    first: Option<i32>,
}

pub(super) struct ArchiveRules {
    as_of: NaiveDate,
    /// Month index of D.
    month: i32,
    /// ARC-11: the last period counted (month(D) − arrears_grace_months).
    through: i32,
    min_yuan: f64,
    min_kwh: f64,
    /// ARC-14's bounds by price code.
    bounds: [(&'static str, f64, f64); 4],
    any_bills: bool,
    /// The earliest bill period (≤ the month of D) seen so far, over every customer.
    earliest: Option<i32>,
    openings: Vec<Opening>,
    /// Active customers judged so far.
    ordinal: u32,
    /// Where the pass's range of customers starts (None: at the first): `finish` reads the
    /// candidates' numbers from there.
    lo: Option<String>,
}

impl ArchiveRules {
    /// Reads what the pass cannot see: whether there are bills at all, and the earliest period
    /// of the bills of customers that are not active (few: a seek each).
    pub(super) fn new(
        conn: &Connection,
        th: &Thresholds,
        as_of: NaiveDate,
        lo: Option<String>,
    ) -> Result<Self> {
        let month = period_index(&period_of(as_of)).expect("valid month");
        let grace = i32::try_from(th.int("arrears_grace_months")).unwrap_or(i32::MAX);
        let bound = |code: &'static str, lc: &str| {
            (
                code,
                th.num(&format!("price_min_{lc}")),
                th.num(&format!("price_max_{lc}")),
            )
        };
        let any_bills: bool =
            conn.query_row("SELECT EXISTS (SELECT 1 FROM bills)", [], |r| r.get(0))?;
        let mut inactive = conn.prepare(
            "SELECT b.period FROM customers c CROSS JOIN bills b
             WHERE b.cust_no = c.cust_no AND c.status <> 'active' AND b.period <= :max",
        )?;
        let mut rows = inactive.query(named_params! {":max": period_of(as_of)})?;
        let mut earliest: Option<i32> = None;
        while let Some(r) = rows.next()? {
            if let Some(p) = period_index(r.get_ref(0)?.as_str().unwrap_or_default()) {
                earliest = Some(earliest.map_or(p, |e| e.min(p)));
            }
        }
        Ok(ArchiveRules {
            as_of,
            month,
            through: month.saturating_sub(grace),
            min_yuan: th.num("arrears_min_yuan"),
            min_kwh: th.num("avg_price_min_kwh"),
            bounds: [
                bound("RES", "res"),
                bound("COM", "com"),
                bound("IND", "ind"),
                bound("AGR", "agr"),
            ],
            any_bills,
            earliest,
            openings: Vec::new(),
            ordinal: 0,
            lo,
        })
    }

    /// ARC-10, ARC-11 and ARC-14 of one active customer from its bills (sorted by period, up
    /// to the month of D, possibly none). Called for every active customer in number order.
    pub(super) fn customer(
        &mut self,
        a: &Archive,
        bills: &[Bill],
        sink: &mut dyn FnMut(Hit) -> Result<()>,
    ) -> Result<()> {
        let ordinal = self.ordinal;
        self.ordinal += 1;
        if let Some(first) = bills.first() {
            self.earliest = Some(self.earliest.map_or(first.idx, |e| e.min(first.idx)));
        }
        if let Some(p) = a.opened_on.get(..7).and_then(period_index) {
            let billed = |m: i32| bills.iter().any(|b| b.idx == m);
            if self.any_bills && self.month > p + 1 && !billed(p) && !billed(p + 1) {
                let first = bills.first().map(|b| b.idx);
                if self.earliest.is_some_and(|e| p >= e) {
                    sink(self.arc10(a.cust_no, a.opened_on, p, first))?;
                } else {
                    self.openings.push(Opening {
                        ordinal,
                        opened: p,
                        first,
                    });
                }
            }
        }
        self.arc11(a, bills, sink)?;
        self.arc14(a, bills, sink)
    }

    fn arc10(&self, cust_no: &str, opened_on: &str, p: i32, first: Option<i32>) -> Hit {
        hit(
            "ARC-10",
            cust_no,
            period_from_index(p),
            Evidence::Arc10 {
                opened_on: opened_on.to_string(),
                period: period_from_index(p),
                next_period: period_from_index(p + 1),
                first_bill: first.map(period_from_index),
                as_of: self.as_of.to_string(),
            },
            None,
        )
    }

    fn arc11(
        &self,
        a: &Archive,
        bills: &[Bill],
        sink: &mut dyn FnMut(Hit) -> Result<()>,
    ) -> Result<()> {
        let (mut unpaid, mut unpaid_bills) = (0.0, 0i64);
        for b in bills.iter().filter(|b| b.idx <= self.through) {
            // Bills paid in full add exactly 0; the evidence counts the bills with a balance.
            if b.amount != b.paid {
                unpaid += b.amount - b.paid;
                unpaid_bills += 1;
            }
        }
        // The 0.005 tolerance; rounding to 1e-6 removes binary noise of the sum only.
        let unpaid = (unpaid * 1e6).round() / 1e6;
        if !num::gt(unpaid, self.min_yuan) {
            return Ok(());
        }
        sink(hit(
            "ARC-11",
            a.cust_no,
            "-".into(),
            Evidence::Arc11 {
                bills: unpaid_bills,
                through: period_from_index(self.through),
                unpaid,
                min_yuan: self.min_yuan,
            },
            Some(unpaid),
        ))
    }

    fn arc14(
        &self,
        a: &Archive,
        bills: &[Bill],
        sink: &mut dyn FnMut(Hit) -> Result<()>,
    ) -> Result<()> {
        let Some(last3) = bills.len().checked_sub(3).map(|k| &bills[k..]) else {
            return Ok(());
        };
        let kwh: f64 = last3.iter().map(|b| b.kwh).sum();
        let amount: f64 = last3.iter().map(|b| b.amount).sum();
        let Some(&(_, lo, hi)) = self.bounds.iter().find(|b| b.0 == a.price_code) else {
            return Ok(());
        };
        if !num::ge(kwh, self.min_kwh) || kwh <= 0.0 {
            return Ok(());
        }
        let price = amount / kwh;
        let below = price < lo - TOL;
        if !below && price <= hi + TOL {
            return Ok(());
        }
        let (first, last) = (last3[0].idx, last3[2].idx);
        sink(hit(
            "ARC-14",
            a.cust_no,
            period_from_index(last),
            Evidence::Arc14 {
                price_code: a.price_code.to_string(),
                first: period_from_index(first),
                last: period_from_index(last),
                kwh,
                amount,
                price,
                bound: if below { lo } else { hi },
                below,
            },
            None,
        ))
    }

    /// The ARC-10 candidates this range kept undecided that fire after all, given the earliest
    /// bill period `e` of every range.
    fn finish_range(
        &self,
        conn: &Connection,
        e: i32,
        sink: &mut dyn FnMut(Hit) -> Result<()>,
    ) -> Result<()> {
        let mut late = self.openings.iter().filter(|o| o.opened >= e).peekable();
        if late.peek().is_none() {
            return Ok(());
        }
        let from = if self.lo.is_some() {
            " AND cust_no >= :lo"
        } else {
            ""
        };
        let mut stmt = conn.prepare(&format!(
            "SELECT cust_no, opened_on FROM customers WHERE status = 'active'{from} ORDER BY cust_no"
        ))?;
        let mut rows = match &self.lo {
            Some(lo) => stmt.query(named_params! {":lo": lo})?,
            None => stmt.query([])?,
        };
        let mut ordinal = 0u32;
        for o in late {
            let mut row = None;
            while ordinal <= o.ordinal {
                row = rows
                    .next()?
                    .map(|r| -> Result<(String, String)> { Ok((r.get(0)?, r.get(1)?)) });
                ordinal += 1;
            }
            let Some(row) = row else { break };
            let (cust_no, opened_on) = row?;
            sink(self.arc10(&cust_no, &opened_on, o.opened, o.first))?;
        }
        Ok(())
    }
}

/// The ARC-10 candidates kept undecided by every range that fire after all, now that the
/// earliest bill period is known. Returns whether ARC-10 ran (only once the dataset holds bill
/// rows).
pub(super) fn finish(
    conn: &Connection,
    parts: Vec<ArchiveRules>,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
) -> Result<bool> {
    if !parts.iter().any(|p| p.any_bills) {
        return Ok(false);
    }
    let Some(e) = parts.iter().filter_map(|p| p.earliest).min() else {
        return Ok(true);
    };
    for part in &parts {
        part.finish_range(conn, e, sink)?;
    }
    Ok(true)
}

fn hit(rule: &str, cust_no: &str, subject: String, e: Evidence, amount: Option<f64>) -> Hit {
    Hit {
        rule: rule.to_string(),
        cust_no: cust_no.to_string(),
        subject,
        severity: catalogue::find(rule).expect("in catalogue").severity,
        level: None,
        evidence: e.to_stored(),
        amount_yuan: amount,
    }
}
