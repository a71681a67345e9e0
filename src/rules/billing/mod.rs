//! The bill-based rules (BIL-01..14), THF-01 and the archive rules that read bills (ARC-10,
//! ARC-11, ARC-14: `archive`), in one ordered pass over `bills` joined to the active
//! customer, in primary-key order (customer, then period: no sort). Each customer's
//! rows up to the month of D are kept (a year or two of months) and judged when the next
//! customer starts: runs, gaps, "the three previous periods" and "the latest three" are then
//! plain look-ups in a sorted slice. Meters, suspension rows and metering-system events come in
//! the same customer order and are merged in as each customer starts (`streams`), so no rule
//! asks the database anything per customer.

mod archive;
mod gaps;
mod periods;
mod streams;
mod theft;
mod view;

use super::Hit;
use crate::dates::{period_index, period_of};
use crate::error::{JichaError, Result};
use crate::progress::{self, Progress};
use crate::thresholds::Thresholds;
use chrono::{Days, NaiveDate};
use rusqlite::{Connection, Row, Rows, ToSql};
use std::cmp::Ordering;
use std::ops::ControlFlow;
use streams::Merged;
use view::Bill;

/// Price (元/kWh) assumed for an amount at stake when neither the bill nor the customer's other
/// months give one: a typical average sales tariff.
pub const DEFAULT_PRICE_YUAN_PER_KWH: f64 = 0.6;

pub use archive::RULES as ARCHIVE_RULES;

/// The bill rules this pass evaluates (and `ARCHIVE_RULES`).
pub const RULES: &[&str] = &[
    "BIL-01", "BIL-02", "BIL-03", "BIL-04", "BIL-05", "BIL-06", "BIL-07", "BIL-08", "BIL-09",
    "BIL-10", "BIL-11", "BIL-12", "BIL-13", "BIL-14", "THF-01",
];

/// The active customers, in primary-key order, with the archive fields the rules read; and
/// their bills, read separately in the bills table's own primary-key order (customer, then
/// period): two ordered reads merged here instead of a join. A join reads the customer's
/// columns again with every bill row and seeks into the bills once per customer; the merge
/// reads each row once, sequentially (a third less SQLite time on the 1M demo). `{range}` is
/// the part of the customer numbers one worker reads (`Range::sql`), empty for all.
const CUSTOMERS_SQL: &str = "
    SELECT cust_no, category, hslm, capacity_kva, opened_on, price_code
    FROM customers WHERE status = 'active'{range}
    ORDER BY cust_no";

const BILLS_SQL: &str = "
    SELECT cust_no, period, prev_reading, curr_reading, multiplier, kwh, loss_kwh, amount, paid
    FROM bills WHERE period <= :max_period{range}
    ORDER BY cust_no, period";

/// Per customer with meters: how many, the multiplier and number of the (first) meter, and
/// the first meter whose multiplier is not CT × PT (MTR-01, a THF-01 signal).
const METERS_SQL: &str = "
    SELECT cust_no, count(*), min(meter_no), max(multiplier),
           min(CASE WHEN abs(multiplier - ct_ratio * pt_ratio) > :tol THEN meter_no END)
    FROM meters{range} GROUP BY cust_no ORDER BY cust_no";

/// Suspension and reduction rows in primary-key order (cust_no first: no sort).
const SUSPENSIONS_SQL: &str = "
    SELECT cust_no, kind, start_on, end_on FROM suspensions{range} ORDER BY cust_no";

/// External findings inside THF-01's event window (a few rows: the sort is small), the most
/// recent first within a customer.
const EVENTS_SQL: &str = "
    SELECT cust_no, rule_name, detected_on FROM external_findings
    WHERE detected_on >= :from AND detected_on <= :as_of{range}
    ORDER BY cust_no, detected_on DESC, rule_name";

struct Params {
    formula_tol: f64,
    base: f64,
    base_yuan: f64,
    surge: f64,
    drop: f64,
    zero_run: usize,
    resident_max: f64,
    capacity_hours: f64,
    yoy: f64,
    low_load_min_kva: f64,
    low_load_hours: f64,
    event_keywords: Vec<String>,
}

impl Params {
    fn new(th: &Thresholds) -> Params {
        Params {
            formula_tol: th.num("formula_tolerance_kwh"),
            base: th.num("change_min_base_kwh"),
            base_yuan: th.num("change_min_base_yuan"),
            surge: th.num("surge_ratio"),
            drop: th.num("drop_ratio"),
            zero_run: th.int("zero_run_periods").max(1) as usize,
            resident_max: th.num("resident_max_kwh"),
            capacity_hours: th.num("capacity_hours"),
            yoy: th.num("yoy_drop_ratio"),
            low_load_min_kva: th.num("low_load_min_kva"),
            low_load_hours: th.num("low_load_hours"),
            // An empty keyword would be contained in every name.
            event_keywords: th
                .list("theft_event_keywords")
                .into_iter()
                .filter(|k| !k.is_empty())
                .collect(),
        }
    }
}

#[derive(Debug, Default)]
struct Meters {
    count: i64,
    meter_no: String,
    multiplier: f64,
    mismatched: Option<String>,
}

/// A suspension (`suspend`) or capacity reduction (`reduce`) row as the months it overlaps:
/// it shares a day with calendar month P exactly when `first ≤ P ≤ last`.
#[derive(Debug, Clone, Copy)]
struct Stop {
    suspend: bool,
    first: i32,
    last: i32,
}

/// A metering-system event (THF-01 signal 6): an external finding whose name holds a keyword.
#[derive(Debug, Clone)]
struct Event {
    rule_name: String,
    detected_on: String,
}

struct Customer {
    cust_no: String,
    resident: bool,
    hslm: bool,
    capacity: f64,
    meters: Meters,
    stops: Vec<Stop>,
    /// The most recent event inside the window, if any.
    event: Option<Event>,
}

impl Customer {
    /// Whether period `idx` is overlapped by a `suspend` row (or, with `or_reduce`, also by a
    /// `reduce` row) of the customer.
    fn stopped_in(&self, idx: i32, or_reduce: bool) -> bool {
        self.stops
            .iter()
            .any(|s| (s.suspend || or_reduce) && s.first <= idx && idx <= s.last)
    }
}

/// The other files' rows, each merged in customer order as the bills pass reaches a customer.
struct Sides<'s> {
    meters: Merged<'s, Meters>,
    stops: Merged<'s, Stop>,
    events: Merged<'s, Event>,
}

impl Sides<'_> {
    fn customer(&mut self, r: &Row, cust: &str, p: &Params) -> Result<Customer> {
        let mut meters = Meters::default();
        self.meters.take_for(cust, |m| meters = m)?;
        let mut stops = Vec::new();
        self.stops.take_for(cust, |s| stops.push(s))?;
        let mut event = None;
        self.events.take_for(cust, |e| {
            if event.is_none() && p.event_keywords.iter().any(|k| e.rule_name.contains(k)) {
                event = Some(e);
            }
        })?;
        Ok(Customer {
            cust_no: cust.to_string(),
            resident: text(r, 1)? == "resident",
            hslm: r.get::<_, i64>(2)? == 1,
            capacity: r.get(3)?,
            meters,
            stops,
            event,
        })
    }
}

/// Runs the pass over every active customer; returns whether ARC-10 ran (only once the
/// dataset holds bill rows).
pub fn run(
    conn: &Connection,
    th: &Thresholds,
    as_of: NaiveDate,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
    progress: progress::Callback,
) -> Result<bool> {
    let total = active_customers(conn, &Range::ALL)?;
    let part = run_range(conn, th, as_of, &Range::ALL, sink, &mut |done| {
        report(progress, done, total)
    })?;
    finish(conn, vec![part], sink)
}

/// Active customers in `range`: what the pass's progress counts to.
pub fn active_customers(conn: &Connection, range: &Range) -> Result<u64> {
    let sql = format!(
        "SELECT count(*) FROM customers WHERE status = 'active'{}",
        range.clause(false)
    );
    let n: i64 = conn.query_row(&sql, &*range.params(), |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The customers one worker judges: numbers from `lo` (inclusive) to `hi` (exclusive), in
/// SQLite's BINARY order; None is open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Range {
    pub lo: Option<String>,
    pub hi: Option<String>,
}

impl Range {
    pub const ALL: Range = Range { lo: None, hi: None };

    /// The condition on `cust_no`, after a WHERE (`and`) or as the WHERE itself.
    fn clause(&self, first: bool) -> String {
        let mut parts = Vec::new();
        if self.lo.is_some() {
            parts.push("cust_no >= :lo");
        }
        if self.hi.is_some() {
            parts.push("cust_no < :hi");
        }
        if parts.is_empty() {
            return String::new();
        }
        format!(
            "{}{}",
            if first { " WHERE " } else { " AND " },
            parts.join(" AND ")
        )
    }

    fn params(&self) -> Vec<(&'static str, &dyn ToSql)> {
        let mut p: Vec<(&'static str, &dyn ToSql)> = Vec::new();
        if let Some(lo) = &self.lo {
            p.push((":lo", lo));
        }
        if let Some(hi) = &self.hi {
            p.push((":hi", hi));
        }
        p
    }

    fn sql(&self, template: &str, first: bool) -> String {
        template.replace("{range}", &self.clause(first))
    }
}

/// The pass over one range of customers. `tick` hears how many of its customers are judged
/// (every 4096, and once at the end) and may cancel. What it returns goes to [`finish`], with
/// the other ranges' parts.
pub fn run_range(
    conn: &Connection,
    th: &Thresholds,
    as_of: NaiveDate,
    range: &Range,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
    tick: &mut dyn FnMut(u64) -> Result<()>,
) -> Result<Part> {
    let p = Params::new(th);
    let mut archive = archive::ArchiveRules::new(conn, th, as_of, range.lo.clone())?;
    let event_days = u64::try_from(th.int("theft_event_days")).unwrap_or(0);
    let from = as_of
        .checked_sub_days(Days::new(event_days))
        .unwrap_or(NaiveDate::MIN);
    let (from, as_of_text, max_period) = (from.to_string(), as_of.to_string(), period_of(as_of));
    let mut mstmt = conn.prepare(&range.sql(METERS_SQL, true))?;
    let mut sstmt = conn.prepare(&range.sql(SUSPENSIONS_SQL, true))?;
    let mut estmt = conn.prepare(&range.sql(EVENTS_SQL, false))?;
    let mut mparams = range.params();
    let tol = super::num::TOL;
    mparams.push((":tol", &tol));
    let mut eparams = range.params();
    eparams.push((":from", &from));
    eparams.push((":as_of", &as_of_text));
    let mut sides = Sides {
        meters: Merged::new(mstmt.query(&*mparams)?, read_meters)?,
        stops: Merged::new(sstmt.query(&*range.params())?, read_stop)?,
        events: Merged::new(estmt.query(&*eparams)?, read_event)?,
    };

    let mut cstmt = conn.prepare(&range.sql(CUSTOMERS_SQL, false))?;
    let mut customers = cstmt.query(&*range.params())?;
    let mut bstmt = conn.prepare(&range.sql(BILLS_SQL, false))?;
    let mut bparams = range.params();
    bparams.push((":max_period", &max_period));
    let mut stream = BillStream::new(bstmt.query(&*bparams)?)?;
    let mut bills: Vec<Bill> = Vec::with_capacity(64);
    let mut done = 0u64;
    while let Some(r) = customers.next()? {
        let cust = text(r, 0)?;
        bills.clear();
        let with_bills = stream.take_for(cust, &mut bills)?;
        let c = Current {
            customer: sides.customer(r, cust, &p)?,
            opened_on: text(r, 4)?.to_string(),
            price_code: text(r, 5)?.to_string(),
            with_bills,
        };
        judge(&c, &bills, &p, &mut archive, sink)?;
        done += 1;
        if done.is_multiple_of(4096) {
            tick(done)?;
        }
    }
    tick(done)?;
    Ok(Part { archive })
}

/// What a range's pass leaves for the end: the ARC-10 candidates that only the earliest bill
/// period of the whole dataset decides.
pub struct Part {
    archive: archive::ArchiveRules,
}

/// Decides what the ranges left open, with all of them known; returns whether ARC-10 ran.
pub fn finish(
    conn: &Connection,
    parts: Vec<Part>,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
) -> Result<bool> {
    archive::finish(conn, parts.into_iter().map(|p| p.archive).collect(), sink)
}

/// The bills of the pass's range in primary-key order, one row ahead: each customer takes its
/// own rows; rows of customers the pass does not judge (not active) are stepped over.
struct BillStream<'s> {
    rows: Rows<'s>,
    /// The customer of the row ahead (a buffer reused row after row), `None` past the end.
    cust: Option<String>,
    /// The row ahead, `None` when its period is not a month.
    bill: Option<Bill>,
}

impl<'s> BillStream<'s> {
    fn new(rows: Rows<'s>) -> Result<Self> {
        let mut s = BillStream {
            rows,
            cust: Some(String::new()),
            bill: None,
        };
        s.advance()?;
        Ok(s)
    }

    fn advance(&mut self) -> Result<()> {
        let Some(r) = self.rows.next()? else {
            self.cust = None;
            return Ok(());
        };
        let buf = self.cust.get_or_insert_with(String::new);
        buf.clear();
        buf.push_str(text(r, 0)?);
        self.bill = match period_index(text(r, 1)?) {
            Some(idx) => Some(Bill {
                idx,
                prev: r.get(2)?,
                curr: r.get(3)?,
                mult: r.get(4)?,
                kwh: r.get(5)?,
                loss: r.get(6)?,
                amount: r.get(7)?,
                paid: r.get(8)?,
            }),
            None => None,
        };
        Ok(())
    }

    /// Moves `cust`'s bills (those with a month for a period) into `out`; returns whether it has
    /// any bill row at all. Customers must be asked for in ascending order.
    fn take_for(&mut self, cust: &str, out: &mut Vec<Bill>) -> Result<bool> {
        let mut any = false;
        while let Some(c) = &self.cust {
            match c.as_str().cmp(cust) {
                Ordering::Greater => break,
                Ordering::Less => self.advance()?,
                Ordering::Equal => {
                    any = true;
                    out.extend(self.bill);
                    self.advance()?;
                }
            }
        }
        Ok(any)
    }
}

/// The customer the pass is reading, with the archive fields ARC-10/11/14 need.
struct Current {
    customer: Customer,
    opened_on: String,
    price_code: String,
    /// Whether it has any bill row up to the month of D (the bill rules judge only those).
    with_bills: bool,
}

fn judge(
    c: &Current,
    bills: &[Bill],
    p: &Params,
    archive: &mut archive::ArchiveRules,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
) -> Result<()> {
    if c.with_bills {
        periods::judge(&c.customer, bills, p, sink)?;
    }
    let a = archive::Archive {
        cust_no: &c.customer.cust_no,
        opened_on: &c.opened_on,
        price_code: &c.price_code,
    };
    archive.customer(&a, bills, sink)
}

fn report(progress: progress::Callback, done: u64, total: u64) -> Result<()> {
    let at = Progress {
        stage: "bills (BIL, THF, ARC-10/11/14)".into(),
        done,
        total,
    };
    match progress(&at) {
        ControlFlow::Continue(()) => Ok(()),
        ControlFlow::Break(()) => Err(JichaError::Cancelled),
    }
}

fn text<'r>(r: &'r Row, i: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(i)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn read_meters(r: &Row) -> Result<(String, Meters)> {
    Ok((
        r.get(0)?,
        Meters {
            count: r.get(1)?,
            meter_no: r.get(2)?,
            multiplier: r.get(3)?,
            mismatched: r.get(4)?,
        },
    ))
}

/// A row whose dates are not `YYYY-MM-DD`, or that ends before it starts, shares no day with
/// any month: it becomes an empty range (`first > last`).
fn read_stop(r: &Row) -> Result<(String, Stop)> {
    let (start, end) = (text(r, 2)?, text(r, 3)?);
    let month = |d: &str| d.get(..7).and_then(period_index);
    let (first, last) = match (month(start), month(end)) {
        (Some(f), Some(l)) if start <= end => (f, l),
        _ => (1, 0),
    };
    Ok((
        r.get(0)?,
        Stop {
            suspend: text(r, 1)? == "suspend",
            first,
            last,
        },
    ))
}

fn read_event(r: &Row) -> Result<(String, Event)> {
    Ok((
        r.get(0)?,
        Event {
            rule_name: r.get(1)?,
            detected_on: r.get(2)?,
        },
    ))
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
