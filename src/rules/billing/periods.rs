//! The period rules: each bill row of one customer judged against its own values, the rows
//! before it and the customer's archive, suspension rows and meters. `judge` also runs the
//! run and gap rules (`gaps`) and THF-01 (`theft`) for the customer.

use super::view::{span, Bill, View};
use super::{gaps, round2, theft, Customer, Params};
use crate::dates::period_from_index;
use crate::error::Result;
use crate::rules::evidence::{Change, Evidence};
use crate::rules::num::{eq, exceeds, ge, gt, lt};
use crate::rules::{catalogue, Hit};

/// Reports one finding of a period rule: rule, period (month index), evidence, amount at stake.
pub(super) type Emit<'a> = dyn FnMut(&'static str, i32, Evidence, Option<f64>) -> Result<()> + 'a;

/// Every period rule and THF-01 for one customer.
pub(super) fn judge(
    c: &Customer,
    bills: &[Bill],
    p: &Params,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
) -> Result<()> {
    let v = View { bills };
    {
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
        for i in 0..bills.len() {
            readings(&v, i, p, &mut emit)?;
            changes(&v, i, p, &mut emit)?;
            money(&v, i, &mut emit)?;
            limits(c, &v, i, p, &mut emit)?;
        }
        gaps::zero_runs(bills, p, &mut emit)?;
        gaps::missing_months(bills, &mut emit)?;
    }
    theft::judge(c, &v, p, sink)
}

/// BIL-01 continuity, BIL-02 formula, BIL-12 multiplier change.
fn readings(v: &View, i: usize, p: &Params, emit: &mut Emit) -> Result<()> {
    let b = &v.bills[i];
    if let Some(prev_curr) = v.discontinuity(i) {
        let evidence = Evidence::Bil01 {
            prev_reading: b.prev,
            prev_period: period_from_index(b.idx - 1),
            prev_curr,
        };
        emit("BIL-01", b.idx, evidence, None)?;
    }

    // BIL-02 amount at stake: |kWh difference| × this bill's average price.
    let formula = (b.curr - b.prev) * b.mult + b.loss;
    let diff = b.kwh - formula;
    if exceeds(diff.abs(), p.formula_tol) {
        let evidence = Evidence::Bil02 {
            kwh: b.kwh,
            curr: b.curr,
            prev: b.prev,
            multiplier: b.mult,
            loss: b.loss,
            formula,
            off: diff.abs(),
            tolerance: p.formula_tol,
        };
        emit(
            "BIL-02",
            b.idx,
            evidence,
            Some(round2(diff.abs() * v.price(i))),
        )?;
    }

    if let Some(prev) = v.back(i, 1).filter(|prev| !eq(prev.mult, b.mult)) {
        let evidence = Evidence::Bil12 {
            multiplier: b.mult,
            prev_period: period_from_index(prev.idx),
            prev_multiplier: prev.mult,
        };
        emit("BIL-12", b.idx, evidence, None)?;
    }
    Ok(())
}

/// Above `surge` or below `drop` times `mean`: which, and the ratio passed.
fn change(value: f64, mean: f64, p: &Params) -> Option<(Change, f64)> {
    if gt(value, mean * p.surge) {
        Some((Change::Surge, p.surge))
    } else if lt(value, mean * p.drop) {
        Some((Change::Drop, p.drop))
    } else {
        None
    }
}

/// BIL-03 on kWh and BIL-13 on the amount: against the mean of the three previous periods
/// (looked up once for both).
fn changes(v: &View, i: usize, p: &Params, emit: &mut Emit) -> Result<()> {
    let Some(prev3) = v.prev3(i) else {
        return Ok(());
    };
    let b = &v.bills[i];
    let of = || span(b.idx - 3, b.idx - 1);
    let mean = prev3.iter().map(|q| q.kwh).sum::<f64>() / 3.0;
    if ge(mean, p.base) {
        if let Some((change, limit)) = change(b.kwh, mean, p) {
            let evidence = Evidence::Bil03 {
                change,
                kwh: b.kwh,
                mean,
                of: of(),
                ratio: (mean != 0.0).then(|| b.kwh / mean),
                limit,
            };
            emit("BIL-03", b.idx, evidence, None)?;
        }
    }
    let mean = prev3.iter().map(|q| q.amount).sum::<f64>() / 3.0;
    if ge(mean, p.base_yuan) {
        if let Some((change, limit)) = change(b.amount, mean, p) {
            let evidence = Evidence::Bil13 {
                change,
                amount: b.amount,
                mean,
                of: of(),
                ratio: (mean != 0.0).then(|| b.amount / mean),
                limit,
            };
            emit("BIL-13", b.idx, evidence, None)?;
        }
    }
    Ok(())
}

/// BIL-05 negative amount, BIL-06 energy billed at zero.
fn money(v: &View, i: usize, emit: &mut Emit) -> Result<()> {
    let b = &v.bills[i];
    if lt(b.amount, 0.0) {
        // BIL-05 amount at stake: the negative amount itself.
        let evidence = Evidence::Bil05 {
            amount: b.amount,
            kwh: b.kwh,
        };
        emit("BIL-05", b.idx, evidence, Some(round2(b.amount.abs())))?;
    }
    if gt(b.kwh, 0.0) && eq(b.amount, 0.0) {
        // BIL-06 amount at stake: the kWh at the customer's price in its other months.
        let price = v.price_elsewhere(i);
        let evidence = Evidence::Bil06 { kwh: b.kwh, price };
        emit("BIL-06", b.idx, evidence, Some(round2(b.kwh * price)))?;
    }
    Ok(())
}

/// The rules that hold a bill against the customer's archive and meters: BIL-07 resident
/// limit, BIL-08 高供低计 loss, BIL-09 capacity limit, BIL-10 meter multiplier, BIL-14 low
/// load.
fn limits(c: &Customer, v: &View, i: usize, p: &Params, emit: &mut Emit) -> Result<()> {
    let b = &v.bills[i];
    if c.resident && gt(b.kwh, p.resident_max) {
        let evidence = Evidence::Bil07 {
            kwh: b.kwh,
            max_kwh: p.resident_max,
        };
        emit("BIL-07", b.idx, evidence, None)?;
    }

    // 非暂停期间: a month a suspension overlaps may rightly carry no transformer loss.
    if c.hslm && gt(b.kwh, 0.0) && eq(b.loss, 0.0) && !c.stopped_in(b.idx, false) {
        emit("BIL-08", b.idx, Evidence::Bil08 { kwh: b.kwh }, None)?;
    }

    let limit = c.capacity * p.capacity_hours;
    if gt(b.kwh, limit) {
        let evidence = Evidence::Bil09 {
            kwh: b.kwh,
            capacity_kva: c.capacity,
            hours: p.capacity_hours,
            limit,
        };
        emit("BIL-09", b.idx, evidence, None)?;
    }

    if c.meters.count == 1 && !eq(b.mult, c.meters.multiplier) {
        // BIL-10 amount at stake: the kWh the wrong multiplier mis-billed,
        // (curr − prev) × |meter multiplier − bill multiplier|, at this bill's price.
        let misbilled = (b.curr - b.prev).abs() * (c.meters.multiplier - b.mult).abs();
        let evidence = Evidence::Bil10 {
            bill_multiplier: b.mult,
            meter_no: c.meters.meter_no.clone(),
            meter_multiplier: c.meters.multiplier,
            misbilled_kwh: misbilled,
        };
        emit(
            "BIL-10",
            b.idx,
            evidence,
            Some(round2(misbilled * v.price(i))),
        )?;
    }

    let low = c.capacity * p.low_load_hours;
    if !c.resident
        && ge(c.capacity, p.low_load_min_kva)
        && gt(b.kwh, 0.0)
        && lt(b.kwh, low)
        && !c.stopped_in(b.idx, true)
    {
        let evidence = Evidence::Bil14 {
            kwh: b.kwh,
            capacity_kva: c.capacity,
            hours: p.low_load_hours,
            limit: low,
        };
        emit("BIL-14", b.idx, evidence, None)?;
    }
    Ok(())
}
