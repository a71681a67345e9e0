//! One customer's bill rows as the rules look them up: the row k months back, the same month a
//! year before, the mean of the three previous periods, the customer's price.

use super::DEFAULT_PRICE_YUAN_PER_KWH;
use crate::dates::period_from_index;
use crate::rules::num::{eq, gt};

#[derive(Debug, Clone, Copy)]
pub(super) struct Bill {
    /// The period as a month index (`dates::period_index`).
    pub idx: i32,
    pub prev: f64,
    pub curr: f64,
    pub mult: f64,
    pub kwh: f64,
    pub loss: f64,
    pub amount: f64,
    /// ARC-11's balance is `amount − paid`.
    pub paid: f64,
}

/// One customer's rows, sorted by period, unique: the row `k` months before row `i` is
/// `bills[i - k]` whenever it exists, because rows are distinct months in order.
pub(super) struct View<'a> {
    pub bills: &'a [Bill],
}

impl View<'_> {
    pub fn back(&self, i: usize, k: usize) -> Option<&Bill> {
        let b = self.bills.get(i.checked_sub(k)?)?;
        (b.idx == self.bills[i].idx - k as i32).then_some(b)
    }

    pub fn year_before(&self, i: usize) -> Option<&Bill> {
        let want = self.bills[i].idx - 12;
        self.bills[..i]
            .binary_search_by_key(&want, |b| b.idx)
            .ok()
            .map(|j| &self.bills[j])
    }

    /// The three previous periods' rows when all three exist.
    pub fn prev3(&self, i: usize) -> Option<[&Bill; 3]> {
        Some([self.back(i, 1)?, self.back(i, 2)?, self.back(i, 3)?])
    }

    /// The mean kWh of the three previous periods when all three exist.
    pub fn mean3_kwh(&self, i: usize) -> Option<f64> {
        Some(self.prev3(i)?.iter().map(|b| b.kwh).sum::<f64>() / 3.0)
    }

    /// BIL-01: the previous period's current reading when it differs from this prev_reading.
    pub fn discontinuity(&self, i: usize) -> Option<f64> {
        let prev = self.back(i, 1)?;
        (!eq(self.bills[i].prev, prev.curr)).then_some(prev.curr)
    }

    /// 元/kWh: this bill's own average price when it has one, else the customer's other
    /// months', else the default.
    pub fn price(&self, i: usize) -> f64 {
        let b = &self.bills[i];
        if gt(b.kwh, 0.0) && gt(b.amount, 0.0) {
            b.amount / b.kwh
        } else {
            self.price_elsewhere(i)
        }
    }

    /// The customer's average price over its other months with energy and money billed.
    pub fn price_elsewhere(&self, i: usize) -> f64 {
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

/// `2026-02..04`: a run of months as evidence names it.
pub(super) fn span(first: i32, last: i32) -> String {
    format!(
        "{}..{}",
        period_from_index(first),
        &period_from_index(last)[5..]
    )
}
