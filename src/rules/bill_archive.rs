//! ARC-10 新立户未按期抄表收费, ARC-11 在用客户欠费 and ARC-14 平均电价异常: the archive rules that
//! read a customer's bills, judged in one read of the bills in key order (cust_no, period)
//! merged with the active customers in the same order. As three queries they cost three
//! passes over the largest table (a scan for the earliest period, one for the unpaid sums and
//! two seeks per customer for the latest three bills); one ordered read is the cheapest.

use super::evidence::Evidence;
use super::num::{self, TOL};
use super::{catalogue, Hit};
use crate::dates::{period_from_index, period_index, period_of};
use crate::error::Result;
use crate::thresholds::Thresholds;
use chrono::NaiveDate;
use rusqlite::{named_params, Connection};

pub const RULES: [&str; 3] = ["ARC-10", "ARC-11", "ARC-14"];

/// The thresholds and dates the three rules judge by.
struct Limits {
    as_of: NaiveDate,
    /// Month index of D.
    month: i32,
    /// ARC-11: the last period counted (month(D) − arrears_grace_months).
    through: i32,
    min_yuan: f64,
    min_kwh: f64,
    /// ARC-14's bounds by price code.
    bounds: [(&'static str, f64, f64); 4],
}

/// One active customer and what its bills showed so far.
struct Cust {
    ordinal: u32,
    cust_no: String,
    /// Month index of opened_on (P).
    opened: Option<i32>,
    price_code: String,
    first: Option<i32>,
    billed_p: bool,
    billed_p1: bool,
    unpaid: f64,
    unpaid_bills: i64,
    /// The latest three bills: (period, kwh, amount), oldest first.
    last3: Vec<(i32, f64, f64)>,
}

/// An ARC-10 candidate decided only once the earliest bill period is known.
struct Opening {
    ordinal: u32,
    opened: i32,
    first: Option<i32>,
}

/// Runs the three rules; returns whether ARC-10 ran (only once the dataset holds bill rows).
pub fn run(
    conn: &Connection,
    th: &Thresholds,
    as_of: NaiveDate,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
) -> Result<bool> {
    let month = period_index(&period_of(as_of)).expect("valid month");
    let grace = i32::try_from(th.int("arrears_grace_months")).unwrap_or(i32::MAX);
    let bound = |code: &'static str, lc: &str| {
        (
            code,
            th.num(&format!("price_min_{lc}")),
            th.num(&format!("price_max_{lc}")),
        )
    };
    let lim = Limits {
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
    };
    let any_bills: bool =
        conn.query_row("SELECT EXISTS (SELECT 1 FROM bills)", [], |r| r.get(0))?;
    let mut custs = conn.prepare(
        "SELECT cust_no, opened_on, price_code FROM customers WHERE status = 'active'
         ORDER BY cust_no",
    )?;
    let mut custs = custs.query([])?;
    let mut bills = conn.prepare(
        "SELECT cust_no, period, kwh, amount, paid FROM bills WHERE period <= :max
         ORDER BY cust_no, period",
    )?;
    let mut bills = bills.query(named_params! {":max": period_of(as_of)})?;
    let mut earliest: Option<i32> = None;
    let mut openings: Vec<Opening> = Vec::new();
    let mut cur: Option<Cust> = None;
    let mut ordinal = 0u32;
    let mut custs_done = false;
    while let Some(b) = bills.next()? {
        let bill_cust = b.get_ref(0)?.as_str().unwrap_or_default();
        let Some(period) = period_index(b.get_ref(1)?.as_str().unwrap_or_default()) else {
            continue;
        };
        earliest = Some(earliest.map_or(period, |e| e.min(period)));
        // `cur` is the first active customer not yet judged whose number is not below the
        // bills read; a customer passed over has no (more) bills. Bills of a customer that is
        // not active match none and are skipped.
        if cur.as_ref().is_some_and(|c| c.cust_no.as_str() < bill_cust) {
            finish(cur.take().expect("checked"), &lim, &mut openings, sink)?;
        }
        while cur.is_none() && !custs_done {
            let Some(c) = custs.next()? else {
                custs_done = true;
                break;
            };
            let next = new_cust(c, ordinal)?;
            ordinal += 1;
            if next.cust_no.as_str() < bill_cust {
                finish(next, &lim, &mut openings, sink)?;
            } else {
                cur = Some(next);
            }
        }
        if let Some(c) = cur.as_mut().filter(|c| c.cust_no.as_str() == bill_cust) {
            let (kwh, amount, paid): (f64, f64, f64) = (b.get(2)?, b.get(3)?, b.get(4)?);
            c.add(period, kwh, amount, paid, &lim);
        }
    }
    if let Some(done) = cur.take() {
        finish(done, &lim, &mut openings, sink)?;
    }
    if !custs_done {
        while let Some(c) = custs.next()? {
            finish(new_cust(c, ordinal)?, &lim, &mut openings, sink)?;
            ordinal += 1;
        }
    }
    drop(custs);
    if any_bills {
        arc10(conn, earliest, &openings, &lim, sink)?;
    }
    Ok(any_bills)
}

fn new_cust(r: &rusqlite::Row<'_>, ordinal: u32) -> Result<Cust> {
    let opened_on = r.get_ref(1)?.as_str().unwrap_or_default();
    Ok(Cust {
        ordinal,
        cust_no: r.get(0)?,
        opened: opened_on.get(..7).and_then(period_index),
        price_code: r.get(2)?,
        first: None,
        billed_p: false,
        billed_p1: false,
        unpaid: 0.0,
        unpaid_bills: 0,
        last3: Vec::with_capacity(3),
    })
}

impl Cust {
    fn add(&mut self, period: i32, kwh: f64, amount: f64, paid: f64, lim: &Limits) {
        self.first.get_or_insert(period);
        if let Some(p) = self.opened {
            self.billed_p |= period == p;
            self.billed_p1 |= period == p + 1;
        }
        // Bills paid in full add exactly 0; the evidence counts the bills with a balance.
        if period <= lim.through && amount != paid {
            self.unpaid += amount - paid;
            self.unpaid_bills += 1;
        }
        if self.last3.len() == 3 {
            self.last3.remove(0);
        }
        self.last3.push((period, kwh, amount));
    }
}

/// ARC-11 and ARC-14 of a customer whose bills are all read; its ARC-10 candidacy is kept.
fn finish(
    c: Cust,
    lim: &Limits,
    openings: &mut Vec<Opening>,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
) -> Result<()> {
    if let Some(p) = c.opened {
        if lim.month > p + 1 && !c.billed_p && !c.billed_p1 {
            openings.push(Opening {
                ordinal: c.ordinal,
                opened: p,
                first: c.first,
            });
        }
    }
    // ARC-11: the 0.005 tolerance; rounding to 1e-6 removes binary noise of the sum only.
    let unpaid = (c.unpaid * 1e6).round() / 1e6;
    if num::gt(unpaid, lim.min_yuan) {
        let through = period_from_index(lim.through);
        sink(hit(
            "ARC-11",
            &c.cust_no,
            "-".into(),
            Evidence::Arc11 {
                bills: c.unpaid_bills,
                through,
                unpaid,
                min_yuan: lim.min_yuan,
            },
            Some(unpaid),
        ))?;
    }
    arc14(&c, lim, sink)
}

fn arc14(c: &Cust, lim: &Limits, sink: &mut dyn FnMut(Hit) -> Result<()>) -> Result<()> {
    if c.last3.len() < 3 {
        return Ok(());
    }
    let kwh: f64 = c.last3.iter().map(|b| b.1).sum();
    let amount: f64 = c.last3.iter().map(|b| b.2).sum();
    let Some(&(_, lo, hi)) = lim.bounds.iter().find(|b| b.0 == c.price_code) else {
        return Ok(());
    };
    if !num::ge(kwh, lim.min_kwh) || kwh <= 0.0 {
        return Ok(());
    }
    let price = amount / kwh;
    let below = price < lo - TOL;
    if !below && price <= hi + TOL {
        return Ok(());
    }
    let (first, last) = (c.last3[0].0, c.last3[2].0);
    sink(hit(
        "ARC-14",
        &c.cust_no,
        period_from_index(last),
        Evidence::Arc14 {
            price_code: c.price_code.clone(),
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

/// ARC-10 over the candidates, now that the earliest bill period (up to the month of D) is
/// known; the customers' numbers and opening dates are read again only for the hits.
fn arc10(
    conn: &Connection,
    earliest: Option<i32>,
    openings: &[Opening],
    lim: &Limits,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
) -> Result<()> {
    let Some(e) = earliest else { return Ok(()) };
    let mut hits = openings.iter().filter(|o| o.opened >= e).peekable();
    if hits.peek().is_none() {
        return Ok(());
    }
    let mut stmt = conn.prepare(
        "SELECT cust_no, opened_on FROM customers WHERE status = 'active' ORDER BY cust_no",
    )?;
    let mut rows = stmt.query([])?;
    let mut ordinal = 0u32;
    for o in hits {
        let mut row = None;
        while ordinal <= o.ordinal {
            row = rows
                .next()?
                .map(|r| -> Result<(String, String)> { Ok((r.get(0)?, r.get(1)?)) });
            ordinal += 1;
        }
        let Some(row) = row else { break };
        let (cust_no, opened_on) = row?;
        sink(hit(
            "ARC-10",
            &cust_no,
            period_from_index(o.opened),
            Evidence::Arc10 {
                opened_on,
                period: period_from_index(o.opened),
                next_period: period_from_index(o.opened + 1),
                first_bill: o.first.map(period_from_index),
                as_of: lim.as_of.to_string(),
            },
            None,
        ))?;
    }
    Ok(())
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
