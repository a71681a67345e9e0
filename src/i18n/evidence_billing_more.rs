//! The sentences of the bill-based kinds added with issue 12 (BIL-11..14), beside
//! `evidence_billing` (BIL-01..10, THF-01). kWh and 元 go through `fmt`.

use super::evidence_billing::ratio_and_sign;
use crate::context::Lang;
use crate::rules::evidence::Evidence;
use crate::rules::num::fmt;

/// The sentence of BIL-11..14; `evidence::describe` sends only those here.
pub(super) fn describe(lang: Lang, e: &Evidence) -> String {
    let zh = lang == Lang::Zh;
    match e {
        Evidence::Bil11 {
            period,
            billed_before,
            billed_after,
        } => {
            if zh {
                format!("{period} 无账单（前后账单期为 {billed_before} 与 {billed_after}）")
            } else {
                format!("no bill for {period} (billed {billed_before} and {billed_after})")
            }
        }
        Evidence::Bil12 {
            multiplier,
            prev_period,
            prev_multiplier,
        } => {
            let (m, pm) = (fmt(*multiplier), fmt(*prev_multiplier));
            if zh {
                format!("计费倍率 {m}，上月 {prev_period} 为 {pm}")
            } else {
                format!("multiplier {m}, was {pm} in {prev_period}")
            }
        }
        Evidence::Bil13 {
            change,
            amount,
            mean,
            of,
            ratio,
            limit,
        } => {
            let (a, m, l) = (fmt(*amount), fmt(*mean), fmt(*limit));
            let (ratio, sign) = ratio_and_sign(*ratio, *change);
            if zh {
                format!("电费 {a} 元，为 {of} 均值 {m} 元的 {ratio} 倍（{sign} {l}）")
            } else {
                format!("amount {a} 元 vs mean {m} 元 of {of} (×{ratio} {sign} {l})")
            }
        }
        Evidence::Bil14 {
            kwh,
            capacity_kva,
            hours,
            limit,
        } => {
            let [k, c, h, l] = [kwh, capacity_kva, hours, limit].map(|v| fmt(*v));
            if zh {
                format!("电量 {k} kWh < 容量 {c} kVA × {h} 小时 = {l}（非暂停减容期间）")
            } else {
                format!("kwh {k} < capacity {c} kVA × {h} h = {l} (not suspended or reduced)")
            }
        }
        other => unreachable!("{} is not a BIL-11..14 evidence kind", other.kind()),
    }
}
