//! Evidence as values (rules.md "Evidence"): which rule, which numbers, which threshold, kept as
//! JSON in `findings.evidence` so that it is rendered in the operator's language
//! (`crate::i18n::evidence`). Text that is not evidence JSON (an older dataset, a site rule's
//! own text) stays text and is shown as it is.
//!
//! A new rule adds its kind here, in `evidence_kinds!` below: the renderer's `match` then does
//! not compile until the kind has its English and Chinese sentence, and the all-kinds test in
//! `crate::i18n::evidence` fails until it has a sample.

use serde::{Deserialize, Serialize};

/// Declares the `Evidence` enum, one variant per kind, serialized with its kind in `"kind"`,
/// and `KINDS`, every kind's name.
macro_rules! evidence_kinds {
    ($( $(#[$doc:meta])* $variant:ident = $kind:literal { $($field:ident : $ty:ty),* $(,)? } )*) => {
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "kind")]
        pub enum Evidence {
            $( $(#[$doc])* #[serde(rename = $kind)] $variant { $($field: $ty),* }, )*
        }

        /// Every kind's stored name.
        pub const KINDS: &[&str] = &[$($kind),*];

        impl Evidence {
            /// The kind's stored name (`"BIL-03"`, `"CON-01.expired"` …).
            pub fn kind(&self) -> &'static str {
                match self {
                    $(Evidence::$variant { .. } => $kind,)*
                }
            }
        }
    };
}

evidence_kinds! {
    /// ARC-01: what is missing or wrong; `bad_phone` is a phone that is neither form.
    Arc01 = "ARC-01" { contact_empty: bool, phone_empty: bool, bad_phone: Option<String> }
    /// ARC-02: `bound` names the threshold that gave `max_kva`.
    Arc02 = "ARC-02" { capacity_kva: f64, voltage_kv: f64, max_kva: f64, bound: String }
    Arc03 = "ARC-03" { category: String, tariff: String, price_code: String }
    Arc04 = "ARC-04" { name: String, keywords: Vec<String> }
    Arc05 = "ARC-05" { billing_mode: String }
    Arc06 = "ARC-06" { capacity_kva: f64, min_kva: f64 }
    Arc07 = "ARC-07" { category: String, capacity_kva: f64, min_kva: f64 }
    Arc08 = "ARC-08" { opened_on: String, cutoff: String, years: i64, as_of: String }
    /// ARC-09: `bills` counted up to the month of D, `unpaid` = Σ(amount − paid) in 元.
    Arc09 = "ARC-09" { closed_on: Option<String>, bills: i64, unpaid: f64 }
    /// ARC-10: opened in `period` (P); no bill for P nor `next_period` (P + 1) as of `as_of`;
    /// `first_bill` the customer's first period billed so far, if any.
    Arc10 = "ARC-10" { opened_on: String, period: String, next_period: String, first_bill: Option<String>, as_of: String }
    /// ARC-11: `unpaid` = Σ(amount − paid) of the `bills` rows with period ≤ `through`.
    Arc11 = "ARC-11" { bills: i64, through: String, unpaid: f64, min_yuan: f64 }
    /// ARC-12: `address` None when empty; `chars` its length in code points.
    Arc12 = "ARC-12" { address: Option<String>, chars: i64, min_chars: i64, no_keyword: bool }
    /// ARC-13: one application completed `days` before D (≤ `recent_days`).
    Arc13 = "ARC-13" { app_kind: String, completed_on: String, days: i64, recent_days: i64, voltage_kv: f64, capacity_kva: f64, min_kva: f64 }
    /// ARC-14: over the bills `first..last`; `below` when under the tariff's minimum (then
    /// `bound` is it), else above its maximum.
    Arc14 = "ARC-14" { price_code: String, first: String, last: String, kwh: f64, amount: f64, price: f64, bound: f64, below: bool }
    /// ARC-15: the standard set and the one `due` for the customer, and why (`basis`).
    Arc15 = "ARC-15" { category: String, voltage_kv: f64, capacity_kva: f64, pf_standard: f64, due: f64, basis: PfBasis }
    Mtr01 = "MTR-01" { multiplier: f64, ct_ratio: f64, pt_ratio: f64 }
    /// MTR-02: `date` is `verified_on`, or `installed_on` for a meter never verified.
    Mtr02 = "MTR-02" { basis: DateBasis, date: String, cutoff: String, years: i64, as_of: String }
    Mtr03 = "MTR-03" { model: String }
    Mtr04 = "MTR-04" { capacity_kva: f64, max_kva: f64 }
    Mtr05 = "MTR-05" {}
    /// SUS-01 over `window_start..as_of`; the renderer names whichever limit was passed.
    Sus01 = "SUS-01" { window_start: String, as_of: String, times: i64, max_times: i64, days: i64, max_days: i64 }
    Sus02 = "SUS-02" { start_on: String, end_on: String, days: i64, min_days: i64 }
    /// SUS-03: `short` when below `reduce_min_days` (then `limit` is it), else above `reduce_max_days`.
    Sus03 = "SUS-03" { start_on: String, end_on: String, days: i64, short: bool, limit: i64 }
    /// SUS-04: a `row_kind` row starting `start_on`, within `years` years after `since`
    /// (before `until`, None when beyond any date): the completion of application `app_no` when it is Some, else the
    /// end of the reduction that started `reduce_start_on`.
    Sus04 = "SUS-04" { row_kind: String, start_on: String, app_no: Option<String>, app_kind: Option<String>, reduce_start_on: Option<String>, since: String, until: Option<String>, years: i64 }
    Con01None = "CON-01.none" {}
    Con01Expired = "CON-01.expired" { expires_on: String, as_of: String }
    /// SVC-01: `completed_on` None while the application is open (counted to `as_of`).
    Svc01 = "SVC-01" { app_kind: String, accepted_on: String, completed_on: Option<String>, as_of: String, days: i64, limit_days: f64 }
    Bil01 = "BIL-01" { prev_reading: f64, prev_period: String, prev_curr: f64 }
    Bil02 = "BIL-02" { kwh: f64, curr: f64, prev: f64, multiplier: f64, loss: f64, formula: f64, off: f64, tolerance: f64 }
    /// BIL-03: `of` the three previous periods (`2026-02..04`), `ratio` = kwh / mean (None
    /// when the mean is zero, possible only with change_min_base_kwh set to 0), `limit` the
    /// ratio passed (surge_ratio or drop_ratio).
    Bil03 = "BIL-03" { change: Change, kwh: f64, mean: f64, of: String, ratio: Option<f64>, limit: f64 }
    Bil04 = "BIL-04" { periods: i64, span: String, min_run: i64 }
    Bil05 = "BIL-05" { amount: f64, kwh: f64 }
    /// BIL-06: `price` (元/kWh) the amount at stake was reckoned at.
    Bil06 = "BIL-06" { kwh: f64, price: f64 }
    Bil07 = "BIL-07" { kwh: f64, max_kwh: f64 }
    Bil08 = "BIL-08" { kwh: f64 }
    Bil09 = "BIL-09" { kwh: f64, capacity_kva: f64, hours: f64, limit: f64 }
    Bil10 = "BIL-10" { bill_multiplier: f64, meter_no: String, meter_multiplier: f64, misbilled_kwh: f64 }
    /// BIL-11: `period` has no row; the billed months either side of the gap.
    Bil11 = "BIL-11" { period: String, billed_before: String, billed_after: String }
    Bil12 = "BIL-12" { multiplier: f64, prev_period: String, prev_multiplier: f64 }
    /// BIL-13: BIL-03's values on the amount (元).
    Bil13 = "BIL-13" { change: Change, amount: f64, mean: f64, of: String, ratio: Option<f64>, limit: f64 }
    Bil14 = "BIL-14" { kwh: f64, capacity_kva: f64, hours: f64, limit: f64 }
    Thf01 = "THF-01" { level: i64, signals: Vec<TheftSignal> }
    /// An external system's finding: its rule name, date and its own text (kept as given).
    External = "EXT" { rule_name: String, detected_on: String, text: Option<String> }
    /// HIS-01: the bill of `period` as import `since_import` saw it (`*_was`) and as it is now
    /// (replaced by import `replaced_by` on `replaced_on`); `kwh_moved` = |kwh − kwh_was|.
    His01 = "HIS-01" { period: String, prev_reading_was: f64, curr_reading_was: f64, kwh_was: f64, prev_reading: f64, curr_reading: f64, kwh: f64, kwh_moved: f64, since_import: i64, replaced_by: i64, replaced_on: String, min_kwh: f64, ratio: f64 }
    /// HIS-02: `field` (of meter `meter_no` when Some) went `old` → `new` in import `import`
    /// of `seen_on`, no application completed in the `basis_days` days before.
    His02 = "HIS-02" { field: String, meter_no: Option<String>, old: String, new: String, import: i64, seen_on: String, basis_days: i64 }
}

/// MTR-02: which date the rotation is reckoned from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateBasis {
    Verified,
    Installed,
}

/// ARC-15: which branch of the power-factor standard applies (功率因数调整电费办法).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PfBasis {
    /// Agriculture: 0.80.
    Agriculture,
    /// Large industry at 10 kV or above with capacity ≥ pf_high_min_kva: 0.90.
    LargeIndustryHv,
    /// Any other non-resident customer: 0.85.
    Other,
}

/// BIL-03 (and later amount rules): above `surge_ratio` or below `drop_ratio`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Surge,
    Drop,
}

/// One THF-01 signal that held, with its values (rules.md "Theft suspicion").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "signal", rename_all = "snake_case")]
pub enum TheftSignal {
    Drop {
        period: String,
        kwh: f64,
        mean: f64,
        ratio: f64,
    },
    YearOnYear {
        period: String,
        kwh: f64,
        last_period: String,
        last_kwh: f64,
        ratio: f64,
    },
    MeterMismatch {
        meter_no: String,
    },
    Discontinuity {
        period: String,
        prev_reading: f64,
        prev_curr: f64,
    },
    ZeroLatest {
        period: String,
    },
    /// A metering-system event: an external finding's name and date.
    Event {
        rule_name: String,
        detected_on: String,
    },
}

impl Evidence {
    /// The text kept in `findings.evidence`: JSON, its kind first, field order fixed, so the
    /// same values always give the same text (a rescan then sees no change).
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).expect("evidence values serialize")
    }

    /// The values of stored evidence; None for text that is not evidence of a known kind.
    pub fn from_stored(stored: &str) -> Option<Evidence> {
        if !stored.starts_with('{') {
            return None;
        }
        serde_json::from_str(stored).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_text_round_trips_and_plain_text_is_not_evidence() {
        let e = Evidence::Bil05 {
            amount: -20.0,
            kwh: 100.0,
        };
        let s = e.to_stored();
        assert!(s.starts_with(r#"{"kind":"BIL-05""#), "{s}");
        assert_eq!(Evidence::from_stored(&s), Some(e));
        assert_eq!(Evidence::from_stored("phone empty"), None);
        assert_eq!(Evidence::from_stored(r#"{"kind":"NOPE-1"}"#), None);
        assert_eq!(
            Evidence::from_stored(r#"{"kind":"BIL-05","amount":1}"#),
            None
        );
    }

    #[test]
    fn kinds_are_unique() {
        let mut k = KINDS.to_vec();
        k.sort();
        k.dedup();
        assert_eq!(k.len(), KINDS.len());
    }
}
