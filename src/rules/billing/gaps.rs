//! The rules over the sequence of a customer's months rather than one row: BIL-04 runs of zero
//! kWh and BIL-11 months missing between the first and last bill.

use super::periods::Emit;
use super::view::{span, Bill};
use super::Params;
use crate::dates::period_from_index;
use crate::error::Result;
use crate::rules::evidence::Evidence;
use crate::rules::num::eq;

/// BIL-04: one finding per run of consecutive zero-kWh months at least `zero_run` long.
pub(super) fn zero_runs(bills: &[Bill], p: &Params, emit: &mut Emit) -> Result<()> {
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
            let evidence = Evidence::Bil04 {
                periods: len as i64,
                span: span(bills[i].idx, bills[j - 1].idx),
                min_run: p.zero_run as i64,
            };
            emit("BIL-04", bills[i].idx, evidence, None)?;
        }
        i = j;
    }
    Ok(())
}

/// BIL-11: one finding per calendar month with no row strictly between the first and last
/// bill periods (the pass holds only rows at or before the month of D). The evidence names the
/// billed months on either side of the gap.
pub(super) fn missing_months(bills: &[Bill], emit: &mut Emit) -> Result<()> {
    for pair in bills.windows(2) {
        let (before, after) = (pair[0].idx, pair[1].idx);
        for missing in before + 1..after {
            let evidence = Evidence::Bil11 {
                period: period_from_index(missing),
                billed_before: period_from_index(before),
                billed_after: period_from_index(after),
            };
            emit("BIL-11", missing, evidence, None)?;
        }
    }
    Ok(())
}
