//! The billing half of `jicha demo --delta`: a bill of the new period for every active customer
//! billed in the export's last period (its readings continued, the same consumption), a first
//! bill for the customers opened in that period, and a few edited readings of the last period
//! — most that HIS-01 must report, some exactly at its bound (moved by exactly
//! `reading_edit_min_kwh` 100 kWh, which is also exactly `reading_edit_ratio` 0.2 of an old
//! kWh of at least 500), which it must not.

use super::delta_archive::{
    Archive, FirstBill, Plan, Report, FIRST_BILL, PICK_READING, READING_KIND,
};
use super::delta_csv::{self, cents, key, plain, replaced, Fields, Input, Out};
use super::rng::Rng;
use crate::error::{JichaError, Result};
use crate::i18n::demo_delta::DeltaWrong;
use chrono::{Months, NaiveDate};
use csv::ByteRecord;
use std::collections::HashSet;
use std::path::Path;

/// Reading edits among the customers: a tenth of the archive edits' share.
pub const READING_SHARE: f64 = 0.1;
/// The kWh a reading edit HIS-01 must report moves by at least.
const EDIT_KWH: f64 = 500.0;
/// `reading_edit_min_kwh` as data/thresholds.toml ships it: an edit at the bound moves exactly this.
const BOUND_KWH: f64 = 100.0;
/// … and `reading_edit_ratio`: at the bound, the old kWh is at least BOUND_KWH / this.
const BOUND_RATIO: f64 = 0.2;
/// A first bill's price, 元 per kWh, in cents.
const FIRST_PRICE_CENTS: f64 = 60.0;

/// The export's last billing period.
pub fn last_period(from: &Path, progress: Report) -> Result<String> {
    let mut inp = Input::open(from, "bills.csv")?;
    let period = inp.col("period")?;
    let mut last: Vec<u8> = Vec::new();
    while inp.next(progress)? {
        if inp.field(period) > last.as_slice() {
            last = inp.field(period).to_vec();
        }
    }
    let last = String::from_utf8_lossy(&last).into_owned();
    if crate::dates::parse_period(&last).is_none() {
        return Err(JichaError::invalid(DeltaWrong::NoBills));
    }
    Ok(last)
}

#[derive(Debug, Default)]
pub struct Bills {
    pub new_bills: u64,
    pub first_bills: u64,
    pub reading_edits: u64,
    pub at_bound: u64,
    /// (customer, period) HIS-01 must report.
    pub his01: Vec<(String, String)>,
}

struct Cols {
    cust: usize,
    period: usize,
    read_on: usize,
    prev: usize,
    curr: usize,
    mult: usize,
    kwh: usize,
    loss: usize,
    amount: usize,
    paid: usize,
}

/// A bill's figures.
#[derive(Debug, Clone, Copy)]
struct Bill {
    read_on: NaiveDate,
    prev: f64,
    curr: f64,
    mult: f64,
    kwh: f64,
    loss: f64,
    amount: i64,
    paid: i64,
}

impl Bill {
    fn read(f: &Fields<'_>, c: &Cols) -> Result<Bill> {
        Ok(Bill {
            read_on: f.date(c.read_on)?,
            prev: f.num(c.prev)?,
            curr: f.num(c.curr)?,
            mult: f.num(c.mult)?,
            kwh: f.num(c.kwh)?,
            loss: f.num(c.loss)?,
            amount: f.cents(c.amount)?,
            paid: f.cents(c.paid)?,
        })
    }

    fn into_record(self, template: &ByteRecord, c: &Cols, period: Option<&str>) -> ByteRecord {
        let read_on = self.read_on.to_string();
        let fields = [
            plain(self.prev),
            plain(self.curr),
            plain(self.mult),
            plain(self.kwh),
            plain(self.loss),
            cents(self.amount),
            cents(self.paid),
        ];
        let mut changes: Vec<(usize, &[u8])> = vec![(c.read_on, read_on.as_bytes())];
        for (i, v) in [c.prev, c.curr, c.mult, c.kwh, c.loss, c.amount, c.paid]
            .into_iter()
            .zip(&fields)
        {
            changes.push((i, v.as_bytes()));
        }
        if let Some(p) = period {
            changes.push((c.period, p.as_bytes()));
        }
        replaced(template, &changes)
    }

    /// The same price per kWh at `kwh` (the amount kept when there was no kWh to price by).
    fn repriced(&self, kwh: f64) -> i64 {
        if self.kwh > 0.0 {
            (self.amount as f64 * kwh / self.kwh).round() as i64
        } else {
            self.amount
        }
    }

    /// The next month: readings continued, the same consumption over `factor` × the
    /// multiplier (a meter whose CT changed turns slower), paid in full.
    fn next(&self, factor: f64) -> Bill {
        let mult = self.mult * factor;
        let turns = ((self.kwh - self.loss).max(0.0) / mult).round();
        let kwh = turns * mult + self.loss;
        let amount = self.repriced(kwh);
        Bill {
            read_on: self.read_on + Months::new(1),
            prev: self.curr,
            curr: self.curr + turns,
            mult,
            kwh,
            loss: self.loss,
            amount,
            paid: amount,
        }
    }

    /// Edits the readings: `Some(true)` for an edit HIS-01 must report (≥ 500 kWh moved),
    /// `Some(false)` for one exactly at its bound. Lowered where the bill's own turns allow it
    /// (a reading under-recorded), raised otherwise.
    fn edit(&mut self, rng: &mut Rng) -> bool {
        let at_bound = self.kwh >= BOUND_KWH / BOUND_RATIO
            && (BOUND_KWH / self.mult).fract() == 0.0
            && rng.below(4) == 0;
        let turns = if at_bound {
            BOUND_KWH / self.mult
        } else {
            (EDIT_KWH / self.mult).ceil().max(1.0)
        };
        let moved = turns * self.mult;
        let sign = if self.curr - self.prev >= turns && self.kwh >= moved {
            -1.0
        } else {
            1.0
        };
        let kwh = self.kwh + sign * moved;
        let amount = self.repriced(kwh);
        self.paid = if self.paid == self.amount {
            amount
        } else {
            self.paid.min(amount)
        };
        self.amount = amount;
        self.curr += sign * turns;
        self.kwh = kwh;
        !at_bound
    }
}

/// Writes bills.csv: every row as it was, the last period's few edited, a new period's bill
/// after each customer's last, first bills in their customers' place.
pub fn bills(
    from: &Path,
    out_dir: &Path,
    plan: &Plan,
    a: &Archive,
    progress: Report,
) -> Result<Bills> {
    let mut inp = Input::open(from, "bills.csv")?;
    let c = Cols {
        cust: inp.col("cust_no")?,
        period: inp.col("period")?,
        read_on: inp.col("read_on")?,
        prev: inp.col("prev_reading")?,
        curr: inp.col("curr_reading")?,
        mult: inp.col("multiplier")?,
        kwh: inp.col("kwh")?,
        loss: inp.col("loss_kwh")?,
        amount: inp.col("amount")?,
        paid: inp.col("paid")?,
    };
    let mut out = delta_csv::create(out_dir, "bills.csv", &inp.header)?;
    let mut firsts: Vec<(&Vec<u8>, &FirstBill)> = a.first_bills.iter().collect();
    firsts.sort_by(|x, y| x.0.cmp(y.0));
    let mut firsts = firsts.into_iter().peekable();
    let mut done = Bills::default();
    let mut seen: HashSet<u64> = HashSet::new();
    // The row before, not yet written: it may be its customer's last.
    let mut held: Option<ByteRecord> = None;
    while inp.next(progress)? {
        let cust = inp.field(c.cust);
        let same = held.as_ref().is_some_and(|h| h.get(c.cust) == Some(cust));
        if !same {
            if let Some(h) = held.take() {
                last_of_customer(&inp, &h, &c, plan, a, &mut out, &mut done)?;
            }
            if !seen.insert(key(cust)) {
                return Err(JichaError::invalid(DeltaWrong::BillsNotGrouped {
                    line: inp.row().line(),
                    cust: crate::text::escape(inp.text(c.cust)).into_owned(),
                }));
            }
            // First bills of customers before this one; one with bills of its own has none.
            while let Some((fc, fb)) = firsts.next_if(|(fc, _)| fc.as_slice() <= cust) {
                if fc.as_slice() < cust {
                    first_bill(&inp.header, fc, fb, &c, plan, &mut out)?;
                    done.first_bills += 1;
                }
            }
        } else if let Some(h) = held.take() {
            delta_csv::write(&mut out, &h)?;
        }
        held = Some(inp.rec.clone());
    }
    if let Some(h) = held.take() {
        last_of_customer(&inp, &h, &c, plan, a, &mut out, &mut done)?;
    }
    for (fc, fb) in firsts {
        first_bill(&inp.header, fc, fb, &c, plan, &mut out)?;
        done.first_bills += 1;
    }
    delta_csv::finish(out)?;
    Ok(done)
}

/// A customer's last bill: edited if picked, followed by the new period's when it is of the
/// export's last period and the customer is active.
fn last_of_customer(
    inp: &Input,
    rec: &ByteRecord,
    c: &Cols,
    plan: &Plan,
    a: &Archive,
    out: &mut Out,
    done: &mut Bills,
) -> Result<()> {
    let f = inp.fields(rec);
    let cust = f.field(c.cust);
    if f.field(c.period) != plan.end.as_bytes() || a.closed.contains(cust) {
        return delta_csv::write(out, rec);
    }
    let mut bill = Bill::read(&f, c)?;
    if plan.picked(PICK_READING, cust, plan.edit_ratio * READING_SHARE) {
        let mut rng = plan.rng(READING_KIND, cust);
        done.reading_edits += 1;
        if bill.edit(&mut rng) {
            let cust = String::from_utf8_lossy(cust).into_owned();
            done.his01.push((cust, plan.end.clone()));
        } else {
            done.at_bound += 1;
        }
        delta_csv::write(out, &bill.into_record(rec, c, None))?;
    } else {
        delta_csv::write(out, rec)?;
    }
    let factor = a.meter_factor.get(cust).copied().unwrap_or(1.0);
    let next = bill.next(factor);
    delta_csv::write(out, &next.into_record(rec, c, Some(&plan.period)))?;
    done.new_bills += 1;
    Ok(())
}

/// The first bill of a customer opened in the export's last period: readings from 0, some
/// 50–150 hours of its capacity, a transformer's loss where it is metered on the low side.
fn first_bill(
    header: &ByteRecord,
    cust: &[u8],
    first: &FirstBill,
    c: &Cols,
    plan: &Plan,
    out: &mut Out,
) -> Result<()> {
    let mut rng = plan.rng(FIRST_BILL, cust);
    let target = first.capacity_kva.max(1.0) * rng.range(50, 150) as f64;
    let turns = (target / first.mult).round().max(1.0);
    let metered = turns * first.mult;
    let loss = if first.hslm {
        (first.capacity_kva * 1.3).round() + (metered * 0.015).round()
    } else {
        0.0
    };
    let (y, m) = crate::dates::parse_period(&plan.period).expect("a period");
    let amount = ((metered + loss) * FIRST_PRICE_CENTS).round() as i64;
    let bill = Bill {
        read_on: NaiveDate::from_ymd_opt(y, m, 25).expect("day 25"),
        prev: 0.0,
        curr: turns,
        mult: first.mult,
        kwh: metered + loss,
        loss,
        amount,
        paid: amount,
    };
    let mut template = ByteRecord::new();
    for _ in header.iter() {
        template.push_field(b"");
    }
    let template = replaced(&template, &[(c.cust, cust)]);
    delta_csv::write(out, &bill.into_record(&template, c, Some(&plan.period)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bill(prev: f64, curr: f64, mult: f64, kwh: f64) -> Bill {
        Bill {
            read_on: NaiveDate::from_ymd_opt(2026, 6, 20).unwrap(),
            prev,
            curr,
            mult,
            kwh,
            loss: 0.0,
            amount: (kwh * 50.0) as i64,
            paid: (kwh * 50.0) as i64,
        }
    }

    #[test]
    fn the_next_month_continues_the_readings() {
        let b = bill(1000.0, 1300.0, 1.0, 300.0);
        let n = b.next(1.0);
        assert_eq!(
            (n.prev, n.curr, n.kwh, n.amount),
            (1300.0, 1600.0, 300.0, b.amount)
        );
        assert_eq!(n.read_on, NaiveDate::from_ymd_opt(2026, 7, 20).unwrap());
        // A CT doubled: half the turns for the same consumption.
        let b = bill(100.0, 130.0, 40.0, 1200.0);
        let n = b.next(2.0);
        assert_eq!((n.mult, n.curr - n.prev, n.kwh), (80.0, 15.0, 1200.0));
    }

    #[test]
    fn an_edit_moves_the_kwh_past_or_exactly_at_the_bound() {
        for seed in 0..64 {
            let mut rng = Rng::stream(seed, 1, 1);
            let mut b = bill(1000.0, 2000.0, 1.0, 1000.0);
            let hit = b.edit(&mut rng);
            let moved = (b.kwh - 1000.0).abs();
            assert_eq!(moved, if hit { EDIT_KWH } else { BOUND_KWH });
            assert_eq!((b.curr - 2000.0).abs(), moved);
            assert!(b.curr >= b.prev);
        }
        // Too few turns to lower by 500: raised instead.
        let mut b = bill(1000.0, 1100.0, 1.0, 100.0);
        assert!(b.edit(&mut Rng::stream(1, 1, 1)));
        assert_eq!((b.curr, b.kwh), (1600.0, 600.0));
        // A multiplier that does not divide 100 is never at the bound.
        for seed in 0..64 {
            let mut b = bill(10.0, 40.0, 30.0, 900.0);
            assert!(b.edit(&mut Rng::stream(seed, 1, 1)));
        }
    }
}
