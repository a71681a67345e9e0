//! The bill-based rules (BIL-01..10) and THF-01, in one ordered pass over `bills` joined to
//! the active customer, in primary-key order (customer, then period: no sort). Each customer's
//! rows up to the month of D are kept (a year or two of months) and judged when the next
//! customer starts: runs, "the three previous periods" and "the latest three" are then plain
//! look-ups in a sorted slice.

use super::evidence::{Change, Evidence, TheftSignal};
use super::num::{eq, exceeds, ge, gt, lt};
use super::{catalogue, Hit, Severity};
use crate::dates::{period_from_index, period_index, period_of};
use crate::error::{JichaError, Result};
use crate::progress::{self, Progress};
use crate::thresholds::Thresholds;
use chrono::NaiveDate;
use rusqlite::{named_params, Connection, Row};
use std::ops::ControlFlow;

/// Price (元/kWh) assumed for an amount at stake when neither the bill nor the customer's other
/// months give one: a typical average sales tariff.
pub const DEFAULT_PRICE_YUAN_PER_KWH: f64 = 0.6;

/// The rules this pass evaluates.
pub const RULES: &[&str] = &[
    "BIL-01", "BIL-02", "BIL-03", "BIL-04", "BIL-05", "BIL-06", "BIL-07", "BIL-08", "BIL-09",
    "BIL-10", "THF-01",
];

/// CROSS JOIN makes SQLite keep customers as the outer loop: one primary-key seek into bills
/// per customer instead of one customer look-up per bill row. Both loops follow their primary
/// keys, so the ORDER BY needs no sort.
const BILLS_SQL: &str = "
    SELECT b.cust_no, b.period, b.prev_reading, b.curr_reading, b.multiplier, b.kwh, b.loss_kwh,
           b.amount, c.category, c.hslm, c.capacity_kva
    FROM customers c CROSS JOIN bills b ON b.cust_no = c.cust_no
    WHERE c.status = 'active' AND b.period <= :max_period
    ORDER BY c.cust_no, b.period";

/// Per customer with meters: how many, the multiplier and number of the (first) meter, and
/// the first meter whose multiplier is not CT × PT (MTR-01, a THF-01 signal).
const METERS_SQL: &str = "
    SELECT cust_no, count(*), min(meter_no), max(multiplier),
           min(CASE WHEN abs(multiplier - ct_ratio * pt_ratio) > :tol THEN meter_no END)
    FROM meters GROUP BY cust_no ORDER BY cust_no";

struct Params {
    formula_tol: f64,
    base: f64,
    surge: f64,
    drop: f64,
    zero_run: usize,
    resident_max: f64,
    capacity_hours: f64,
    yoy: f64,
}

#[derive(Debug, Clone, Copy)]
struct Bill {
    idx: i32,
    prev: f64,
    curr: f64,
    mult: f64,
    kwh: f64,
    loss: f64,
    amount: f64,
}

#[derive(Debug, Default)]
struct Meters {
    count: i64,
    meter_no: String,
    multiplier: f64,
    mismatched: Option<String>,
}

struct Customer {
    cust_no: String,
    resident: bool,
    hslm: bool,
    capacity: f64,
    meters: Meters,
}

pub fn run(
    conn: &Connection,
    th: &Thresholds,
    as_of: NaiveDate,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
    progress: progress::Callback,
) -> Result<()> {
    let p = Params {
        formula_tol: th.num("formula_tolerance_kwh"),
        base: th.num("change_min_base_kwh"),
        surge: th.num("surge_ratio"),
        drop: th.num("drop_ratio"),
        zero_run: th.int("zero_run_periods").max(1) as usize,
        resident_max: th.num("resident_max_kwh"),
        capacity_hours: th.num("capacity_hours"),
        yoy: th.num("yoy_drop_ratio"),
    };
    let total: u64 = conn.query_row(
        "SELECT count(*) FROM customers WHERE status = 'active'",
        [],
        |r| r.get::<_, i64>(0),
    )? as u64;

    let mut mstmt = conn.prepare(METERS_SQL)?;
    let mut mrows = mstmt.query(named_params! {":tol": super::num::TOL})?;
    let mut next_meters: Option<(String, Meters)> = read_meters(mrows.next()?)?;

    let mut stmt = conn.prepare(BILLS_SQL)?;
    let mut rows = stmt.query(named_params! {":max_period": period_of(as_of)})?;
    let mut cur: Option<Customer> = None;
    let mut bills: Vec<Bill> = Vec::with_capacity(64);
    let mut done = 0u64;
    while let Some(r) = rows.next()? {
        let cust = text(r, 0)?;
        if cur.as_ref().is_none_or(|c| c.cust_no != cust) {
            if let Some(c) = cur.take() {
                judge(&c, &bills, &p, sink)?;
                done += 1;
                if done.is_multiple_of(4096) {
                    report(progress, done, total)?;
                }
            }
            bills.clear();
            // Meters come in the same cust_no order: skip those of customers without bills.
            let mut meters = Meters::default();
            while let Some((m_cust, _)) = &next_meters {
                if m_cust.as_str() > cust {
                    break;
                }
                let (m_cust, m) = next_meters.take().expect("checked");
                next_meters = read_meters(mrows.next()?)?;
                if m_cust == cust {
                    meters = m;
                    break;
                }
            }
            cur = Some(Customer {
                cust_no: cust.to_string(),
                resident: text(r, 8)? == "resident",
                hslm: r.get::<_, i64>(9)? == 1,
                capacity: r.get(10)?,
                meters,
            });
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
        });
    }
    if let Some(c) = cur {
        judge(&c, &bills, &p, sink)?;
        done += 1;
    }
    report(progress, done, total)
}

fn report(progress: progress::Callback, done: u64, total: u64) -> Result<()> {
    let at = Progress {
        stage: "bills (BIL, THF)".into(),
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

fn read_meters(r: Option<&Row>) -> Result<Option<(String, Meters)>> {
    let Some(r) = r else { return Ok(None) };
    Ok(Some((
        r.get(0)?,
        Meters {
            count: r.get(1)?,
            meter_no: r.get(2)?,
            multiplier: r.get(3)?,
            mismatched: r.get(4)?,
        },
    )))
}

/// One customer's rows, sorted by period, unique: the row `k` months before row `i` is
/// `bills[i - k]` whenever it exists, because rows are distinct months in order.
struct View<'a> {
    bills: &'a [Bill],
}

impl View<'_> {
    fn back(&self, i: usize, k: usize) -> Option<&Bill> {
        let b = self.bills.get(i.checked_sub(k)?)?;
        (b.idx == self.bills[i].idx - k as i32).then_some(b)
    }

    fn year_before(&self, i: usize) -> Option<&Bill> {
        let want = self.bills[i].idx - 12;
        self.bills[..i]
            .binary_search_by_key(&want, |b| b.idx)
            .ok()
            .map(|j| &self.bills[j])
    }

    /// The mean kWh of the three previous periods when all three exist.
    fn mean3(&self, i: usize) -> Option<f64> {
        let (a, b, c) = (self.back(i, 1)?, self.back(i, 2)?, self.back(i, 3)?);
        Some((a.kwh + b.kwh + c.kwh) / 3.0)
    }

    /// BIL-01: the previous period's current reading when it differs from this prev_reading.
    fn discontinuity(&self, i: usize) -> Option<f64> {
        let prev = self.back(i, 1)?;
        (!eq(self.bills[i].prev, prev.curr)).then_some(prev.curr)
    }

    /// 元/kWh: this bill's own average price when it has one, else the customer's other
    /// months', else the default.
    fn price(&self, i: usize) -> f64 {
        let b = &self.bills[i];
        if gt(b.kwh, 0.0) && gt(b.amount, 0.0) {
            b.amount / b.kwh
        } else {
            self.price_elsewhere(i)
        }
    }

    /// The customer's average price over its other months with energy and money billed.
    fn price_elsewhere(&self, i: usize) -> f64 {
        let (mut kwh, mut amount) = (0.0, 0.0);
        for (j, b) in self.bills.iter().enumerate() {
            if j != i && gt(b.kwh, 0.0) && gt(b.amount, 0.0) {
                kwh += b.kwh;
                amount += b.amount;
            }
        }
        if kwh > 0.0 {
            amount / kwh
        } else {
            DEFAULT_PRICE_YUAN_PER_KWH
        }
    }
}

fn span(first: i32, last: i32) -> String {
    format!(
        "{}..{}",
        period_from_index(first),
        &period_from_index(last)[5..]
    )
}

/// Every period rule and THF-01 for one customer.
#[allow(clippy::too_many_lines)] // every period rule over one customer in one pass over the bills; each rule is a few lines sharing `emit`
fn judge(
    c: &Customer,
    bills: &[Bill],
    p: &Params,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
) -> Result<()> {
    let v = View { bills };
    let mut emit = |rule: &'static str, idx: i32, evidence: Evidence, amount: Option<f64>| {
        let def = catalogue::find(rule).expect("billing rules are in the catalogue");
        sink(Hit {
            rule: rule.to_string(),
            cust_no: c.cust_no.clone(),
            subject: period_from_index(idx),
            severity: def.severity,
            level: None,
            evidence: evidence.to_stored(),
            amount_yuan: amount,
        })
    };
    for (i, b) in bills.iter().enumerate() {
        if let Some(prev_curr) = v.discontinuity(i) {
            emit(
                "BIL-01",
                b.idx,
                Evidence::Bil01 {
                    prev_reading: b.prev,
                    prev_period: period_from_index(b.idx - 1),
                    prev_curr,
                },
                None,
            )?;
        }

        // BIL-02 amount at stake: |kWh difference| × this bill's average price.
        let formula = (b.curr - b.prev) * b.mult + b.loss;
        let diff = b.kwh - formula;
        if exceeds(diff.abs(), p.formula_tol) {
            emit(
                "BIL-02",
                b.idx,
                Evidence::Bil02 {
                    kwh: b.kwh,
                    curr: b.curr,
                    prev: b.prev,
                    multiplier: b.mult,
                    loss: b.loss,
                    formula,
                    off: diff.abs(),
                    tolerance: p.formula_tol,
                },
                Some(round2(diff.abs() * v.price(i))),
            )?;
        }

        if let Some(mean) = v.mean3(i).filter(|m| ge(*m, p.base)) {
            let change = if gt(b.kwh, mean * p.surge) {
                Some((Change::Surge, p.surge))
            } else if lt(b.kwh, mean * p.drop) {
                Some((Change::Drop, p.drop))
            } else {
                None
            };
            if let Some((change, limit)) = change {
                let evidence = Evidence::Bil03 {
                    change,
                    kwh: b.kwh,
                    mean,
                    of: span(b.idx - 3, b.idx - 1),
                    ratio: (mean != 0.0).then(|| b.kwh / mean),
                    limit,
                };
                emit("BIL-03", b.idx, evidence, None)?;
            }
        }

        if lt(b.amount, 0.0) {
            // BIL-05 amount at stake: the negative amount itself.
            emit(
                "BIL-05",
                b.idx,
                Evidence::Bil05 {
                    amount: b.amount,
                    kwh: b.kwh,
                },
                Some(round2(b.amount.abs())),
            )?;
        }

        if gt(b.kwh, 0.0) && eq(b.amount, 0.0) {
            // BIL-06 amount at stake: the kWh at the customer's price in its other months.
            let price = v.price_elsewhere(i);
            emit(
                "BIL-06",
                b.idx,
                Evidence::Bil06 { kwh: b.kwh, price },
                Some(round2(b.kwh * price)),
            )?;
        }

        if c.resident && gt(b.kwh, p.resident_max) {
            emit(
                "BIL-07",
                b.idx,
                Evidence::Bil07 {
                    kwh: b.kwh,
                    max_kwh: p.resident_max,
                },
                None,
            )?;
        }

        if c.hslm && gt(b.kwh, 0.0) && eq(b.loss, 0.0) {
            emit("BIL-08", b.idx, Evidence::Bil08 { kwh: b.kwh }, None)?;
        }

        let limit = c.capacity * p.capacity_hours;
        if gt(b.kwh, limit) {
            emit(
                "BIL-09",
                b.idx,
                Evidence::Bil09 {
                    kwh: b.kwh,
                    capacity_kva: c.capacity,
                    hours: p.capacity_hours,
                    limit,
                },
                None,
            )?;
        }

        if c.meters.count == 1 && !eq(b.mult, c.meters.multiplier) {
            // BIL-10 amount at stake: the kWh the wrong multiplier mis-billed,
            // (curr − prev) × |meter multiplier − bill multiplier|, at this bill's price.
            let misbilled = (b.curr - b.prev).abs() * (c.meters.multiplier - b.mult).abs();
            emit(
                "BIL-10",
                b.idx,
                Evidence::Bil10 {
                    bill_multiplier: b.mult,
                    meter_no: c.meters.meter_no.clone(),
                    meter_multiplier: c.meters.multiplier,
                    misbilled_kwh: misbilled,
                },
                Some(round2(misbilled * v.price(i))),
            )?;
        }
    }

    zero_runs(bills, p, &mut emit)?;

    if let Some((level, signals)) = theft(c, &v, p) {
        let latest = bills.last().expect("theft needs bills");
        sink(Hit {
            rule: "THF-01".to_string(),
            cust_no: c.cust_no.clone(),
            subject: period_from_index(latest.idx),
            severity: if level <= 2 {
                Severity::High
            } else {
                Severity::Medium
            },
            level: Some(level),
            evidence: Evidence::Thf01 { level, signals }.to_stored(),
            amount_yuan: None,
        })?;
    }
    Ok(())
}

/// BIL-04: one finding per run of consecutive zero-kWh months at least `zero_run` long.
fn zero_runs(
    bills: &[Bill],
    p: &Params,
    emit: &mut impl FnMut(&'static str, i32, Evidence, Option<f64>) -> Result<()>,
) -> Result<()> {
    let mut i = 0;
    while i < bills.len() {
        if !eq(bills[i].kwh, 0.0) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < bills.len() && eq(bills[j].kwh, 0.0) && bills[j].idx == bills[j - 1].idx + 1 {
            j += 1;
        }
        let len = j - i;
        if len >= p.zero_run {
            emit(
                "BIL-04",
                bills[i].idx,
                Evidence::Bil04 {
                    periods: len as i64,
                    span: span(bills[i].idx, bills[j - 1].idx),
                    min_run: p.zero_run as i64,
                },
                None,
            )?;
        }
        i = j;
    }
    Ok(())
}

/// THF-01 over the latest three rows: the signals that hold, and the level when two or more do.
fn theft(c: &Customer, v: &View, p: &Params) -> Option<(i64, Vec<TheftSignal>)> {
    let n = v.bills.len();
    if n == 0 {
        return None;
    }
    let latest3 = n.saturating_sub(3)..n;
    let mut signals = Vec::new();

    let drop = latest3.clone().find_map(|i| {
        let mean = v.mean3(i).filter(|m| ge(*m, p.base))?;
        let b = &v.bills[i];
        lt(b.kwh, mean * p.drop).then(|| TheftSignal::Drop {
            period: period_from_index(b.idx),
            kwh: b.kwh,
            mean,
            ratio: p.drop,
        })
    });
    signals.extend(drop);

    let yoy = latest3.clone().find_map(|i| {
        let b = &v.bills[i];
        let ly = v.year_before(i)?;
        (ge(b.kwh, p.base) && ge(ly.kwh, p.base) && lt(b.kwh, ly.kwh * p.yoy)).then(|| {
            TheftSignal::YearOnYear {
                period: period_from_index(b.idx),
                kwh: b.kwh,
                last_period: period_from_index(ly.idx),
                last_kwh: ly.kwh,
                ratio: p.yoy,
            }
        })
    });
    signals.extend(yoy);

    if let Some(m) = &c.meters.mismatched {
        signals.push(TheftSignal::MeterMismatch {
            meter_no: m.clone(),
        });
    }

    let disc = latest3.clone().find_map(|i| {
        let prev_curr = v.discontinuity(i)?;
        let b = &v.bills[i];
        Some(TheftSignal::Discontinuity {
            period: period_from_index(b.idx),
            prev_reading: b.prev,
            prev_curr,
        })
    });
    signals.extend(disc);

    let last = &v.bills[n - 1];
    if eq(last.kwh, 0.0) {
        signals.push(TheftSignal::ZeroLatest {
            period: period_from_index(last.idx),
        });
    }

    (signals.len() >= 2).then(|| (6 - signals.len() as i64, signals))
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
