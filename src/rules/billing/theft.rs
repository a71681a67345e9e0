//! THF-01 违约窃电可疑等级: six signals, the first five over the customer's latest three bill
//! rows, the sixth a metering-system event (an external finding whose name holds one of
//! `theft_event_keywords`, detected within `theft_event_days` before D). Two or more make a
//! finding of level `max(1, 6 − signals)`.

use super::view::View;
use super::{Customer, Params};
use crate::dates::period_from_index;
use crate::error::Result;
use crate::rules::evidence::{Evidence, TheftSignal};
use crate::rules::num::{eq, ge, lt};
use crate::rules::{Hit, Severity};

pub(super) fn judge(
    c: &Customer,
    v: &View,
    p: &Params,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
) -> Result<()> {
    let Some(latest) = v.bills.last() else {
        return Ok(());
    };
    let signals = signals(c, v, p);
    if signals.len() < 2 {
        return Ok(());
    }
    let level = (6 - signals.len() as i64).max(1);
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
    })
}

/// The signals that hold, in the order rules.md numbers them. `v` has at least one row.
fn signals(c: &Customer, v: &View, p: &Params) -> Vec<TheftSignal> {
    let n = v.bills.len();
    let latest3 = n.saturating_sub(3)..n;
    let mut signals = Vec::new();

    let drop = latest3.clone().find_map(|i| {
        let mean = v.mean3_kwh(i).filter(|m| ge(*m, p.base))?;
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

    // The pass kept only events inside the window whose name holds a keyword.
    if let Some(e) = &c.event {
        signals.push(TheftSignal::Event {
            rule_name: e.rule_name.clone(),
            detected_on: e.detected_on.clone(),
        });
    }
    signals
}
