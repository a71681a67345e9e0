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
use rusqlite::types::ValueRef;
use rusqlite::{named_params, Connection, Row};
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

/// Customers are the outer loop (a LEFT JOIN keeps its left table outside): one primary-key
/// seek into bills per customer instead of one customer look-up per bill row, and an active
/// customer without bills still comes, as one row of NULL bill columns (ARC-10 looks for
/// exactly those). Both loops follow their primary keys, so the ORDER BY needs no sort.
const BILLS_SQL: &str = "
    SELECT c.cust_no, b.period, b.prev_reading, b.curr_reading, b.multiplier, b.kwh, b.loss_kwh,
           b.amount, c.category, c.hslm, c.capacity_kva, b.paid, c.opened_on, c.price_code
    FROM customers c LEFT JOIN bills b ON b.cust_no = c.cust_no AND b.period <= :max_period
    WHERE c.status = 'active'
    ORDER BY c.cust_no, b.period";

/// Per customer with meters: how many, the multiplier and number of the (first) meter, and
/// the first meter whose multiplier is not CT × PT (MTR-01, a THF-01 signal).
const METERS_SQL: &str = "
    SELECT cust_no, count(*), min(meter_no), max(multiplier),
           min(CASE WHEN abs(multiplier - ct_ratio * pt_ratio) > :tol THEN meter_no END)
    FROM meters GROUP BY cust_no ORDER BY cust_no";

/// Suspension and reduction rows in primary-key order (cust_no first: no sort).
const SUSPENSIONS_SQL: &str = "
    SELECT cust_no, kind, start_on, end_on FROM suspensions ORDER BY cust_no";

/// External findings inside THF-01's event window (a few rows: the sort is small), the most
/// recent first within a customer.
const EVENTS_SQL: &str = "
    SELECT cust_no, rule_name, detected_on FROM external_findings
    WHERE detected_on >= :from AND detected_on <= :as_of
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
            resident: text(r, 8)? == "resident",
            hslm: r.get::<_, i64>(9)? == 1,
            capacity: r.get(10)?,
            meters,
            stops,
            event,
        })
    }
}

/// Runs the pass; returns whether ARC-10 ran (only once the dataset holds bill rows).
pub fn run(
    conn: &Connection,
    th: &Thresholds,
    as_of: NaiveDate,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
    progress: progress::Callback,
) -> Result<bool> {
    let p = Params::new(th);
    let total: u64 = conn.query_row(
        "SELECT count(*) FROM customers WHERE status = 'active'",
        [],
        |r| r.get::<_, i64>(0),
    )? as u64;
    let mut archive = archive::ArchiveRules::new(conn, th, as_of)?;

    let event_days = u64::try_from(th.int("theft_event_days")).unwrap_or(0);
    let from = as_of
        .checked_sub_days(Days::new(event_days))
        .unwrap_or(NaiveDate::MIN);
    let mut mstmt = conn.prepare(METERS_SQL)?;
    let mut sstmt = conn.prepare(SUSPENSIONS_SQL)?;
    let mut estmt = conn.prepare(EVENTS_SQL)?;
    let mut sides = Sides {
        meters: Merged::new(
            mstmt.query(named_params! {":tol": super::num::TOL})?,
            read_meters,
        )?,
        stops: Merged::new(sstmt.query([])?, read_stop)?,
        events: Merged::new(
            estmt.query(named_params! {":from": from.to_string(), ":as_of": as_of.to_string()})?,
            read_event,
        )?,
    };

    let mut stmt = conn.prepare(BILLS_SQL)?;
    let mut rows = stmt.query(named_params! {":max_period": period_of(as_of)})?;
    let mut cur: Option<Current> = None;
    let mut bills: Vec<Bill> = Vec::with_capacity(64);
    let mut done = 0u64;
    while let Some(r) = rows.next()? {
        let cust = text(r, 0)?;
        if cur.as_ref().is_none_or(|c| c.customer.cust_no != cust) {
            if let Some(c) = cur.take() {
                judge(&c, &bills, &p, &mut archive, sink)?;
                done += 1;
                if done.is_multiple_of(4096) {
                    report(progress, done, total)?;
                }
            }
            bills.clear();
            cur = Some(Current {
                customer: sides.customer(r, cust, &p)?,
                opened_on: text(r, 12)?.to_string(),
                price_code: text(r, 13)?.to_string(),
                with_bills: false,
            });
        }
        // No bill row: the LEFT JOIN's NULLs for a customer without bills.
        if r.get_ref(1)? == ValueRef::Null {
            continue;
        }
        if let Some(c) = cur.as_mut() {
            c.with_bills = true;
        }
        let Some(idx) = period_index(text(r, 1)?) else {
            continue;
        };
        bills.push(Bill {
            idx,
            prev: r.get(2)?,
            curr: r.get(3)?,
            mult: r.get(4)?,
            kwh: r.get(5)?,
            loss: r.get(6)?,
            amount: r.get(7)?,
            paid: r.get(11)?,
        });
    }
    if let Some(c) = cur {
        judge(&c, &bills, &p, &mut archive, sink)?;
        done += 1;
    }
    report(progress, done, total)?;
    archive.finish(conn, sink)
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
