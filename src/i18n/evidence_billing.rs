//! The sentences of the bill-based kinds (BIL-01..10; BIL-11..14 are in `evidence_billing_more`)
//! and THF-01, split from `evidence.rs`
//! (which lists every kind in its one `match` and sends these here). kWh, readings and 元 go
//! through `fmt`, as the billing rules have always printed them.

use crate::context::Lang;
use crate::rules::evidence::{Change, Evidence, TheftSignal};
use crate::rules::num::fmt;

/// The sentence of a bill-based kind; `evidence::describe` sends only those here.
#[allow(clippy::too_many_lines)] // one arm per kind, both languages side by side
pub(super) fn describe(lang: Lang, e: &Evidence) -> String {
    let zh = lang == Lang::Zh;
    match e {
        Evidence::Bil01 {
            prev_reading,
            prev_period,
            prev_curr,
        } => {
            let (a, b) = (fmt(*prev_reading), fmt(*prev_curr));
            if zh {
                format!("上次示数 {a} ≠ {prev_period} 本次示数 {b}")
            } else {
                format!("prev_reading {a} ≠ {prev_period} curr_reading {b}")
            }
        }
        Evidence::Bil02 {
            kwh,
            curr,
            prev,
            multiplier,
            loss,
            formula,
            off,
            tolerance,
        } => {
            let [k, c, p, m, l, f, o, t] =
                [kwh, curr, prev, multiplier, loss, formula, off, tolerance].map(|v| fmt(*v));
            if zh {
                format!("电量 {k} kWh，而（本次示数 {c} − 上次示数 {p}）× 倍率 {m} + 变损 {l} = {f}（相差 {o} > {t}）")
            } else {
                format!(
                    "kwh {k} vs (curr {c} − prev {p}) × {m} + loss {l} = {f} (off by {o} > {t})"
                )
            }
        }
        Evidence::Bil03 {
            change,
            kwh,
            mean,
            of,
            ratio,
            limit,
        } => {
            let (k, m, l) = (fmt(*kwh), fmt(*mean), fmt(*limit));
            let (ratio, sign) = ratio_and_sign(*ratio, *change);
            if zh {
                format!("电量 {k} kWh，为 {of} 均值 {m} 的 {ratio} 倍（{sign} {l}）")
            } else {
                format!("kwh {k} vs mean {m} of {of} (×{ratio} {sign} {l})")
            }
        }
        Evidence::Bil04 {
            periods,
            span,
            min_run,
        } => {
            if zh {
                format!("{span} 连续 {periods} 个月电量为零（≥ {min_run}）")
            } else {
                format!("kwh 0 in {periods} consecutive periods {span} (≥ {min_run})")
            }
        }
        Evidence::Bil05 { amount, kwh } => {
            let (a, k) = (fmt(*amount), fmt(*kwh));
            if zh {
                format!("电费 {a} 元 < 0（电量 {k} kWh）")
            } else {
                format!("amount {a} 元 < 0 (kwh {k})")
            }
        }
        Evidence::Bil06 { kwh, price } => {
            let k = fmt(*kwh);
            if zh {
                format!("计费电量 {k} kWh，电费 0 元（涉及金额 ≈ 电量 × {price:.4} 元/kWh）")
            } else {
                format!("kwh {k} billed, amount 0 元 (at stake ≈ kwh × {price:.4} 元/kWh)")
            }
        }
        Evidence::Bil07 { kwh, max_kwh } => {
            let (k, m) = (fmt(*kwh), fmt(*max_kwh));
            if zh {
                format!("居民月电量 {k} kWh > {m}（resident_max_kwh）")
            } else {
                format!("resident kwh {k} > {m} (resident_max_kwh)")
            }
        }
        Evidence::Bil08 { kwh } => {
            let k = fmt(*kwh);
            if zh {
                format!("高供低计：电量 {k} kWh，变损电量为 0")
            } else {
                format!("HV supply, LV metering: kwh {k} with loss_kwh 0")
            }
        }
        Evidence::Bil09 {
            kwh,
            capacity_kva,
            hours,
            limit,
        } => {
            let [k, c, h, l] = [kwh, capacity_kva, hours, limit].map(|v| fmt(*v));
            if zh {
                format!("电量 {k} kWh > 容量 {c} kVA × {h} 小时 = {l}")
            } else {
                format!("kwh {k} > capacity {c} kVA × {h} h = {l}")
            }
        }
        Evidence::Bil10 {
            bill_multiplier,
            meter_no,
            meter_multiplier,
            misbilled_kwh,
        } => {
            let [b, m, x] = [bill_multiplier, meter_multiplier, misbilled_kwh].map(|v| fmt(*v));
            if zh {
                format!("账单计费倍率 {b} ≠ 表计 {meter_no} 倍率 {m}（错计电量 {x} kWh）")
            } else {
                format!(
                    "bill multiplier {b} ≠ meter {meter_no} multiplier {m} ({x} kWh mis-billed)"
                )
            }
        }
        Evidence::Thf01 { level, signals } => {
            let n = signals.len();
            let each: Vec<String> = signals.iter().map(|s| signal(lang, s)).collect();
            if zh {
                format!("可疑等级 {level}，{n} 项信号：{}", each.join("；"))
            } else {
                format!("level {level}, {n} signals: {}", each.join("; "))
            }
        }
        other => unreachable!("{} is not a bill-based evidence kind", other.kind()),
    }
}

/// One THF-01 signal.
fn signal(lang: Lang, s: &TheftSignal) -> String {
    let zh = lang == Lang::Zh;
    match s {
        TheftSignal::Drop {
            period,
            kwh,
            mean,
            ratio,
        } => {
            let (k, m) = (fmt(*kwh), fmt(*mean));
            if zh {
                format!("{period} 电量突减 {k} kWh < 均值 {m} × {ratio}")
            } else {
                format!("drop {period} kwh {k} < mean {m} × {ratio}")
            }
        }
        TheftSignal::YearOnYear {
            period,
            kwh,
            last_period,
            last_kwh,
            ratio,
        } => {
            let (k, lk) = (fmt(*kwh), fmt(*last_kwh));
            if zh {
                format!("同比下降 {period} 电量 {k} kWh < {last_period} 电量 {lk} kWh × {ratio}")
            } else {
                format!("year-on-year fall {period} kwh {k} < {last_period} kwh {lk} × {ratio}")
            }
        }
        TheftSignal::MeterMismatch { meter_no } => {
            if zh {
                format!("表计 {meter_no} 计费倍率 ≠ CT 变比 × PT 变比")
            } else {
                format!("meter {meter_no} multiplier ≠ CT × PT")
            }
        }
        TheftSignal::Discontinuity {
            period,
            prev_reading,
            prev_curr,
        } => {
            let (a, b) = (fmt(*prev_reading), fmt(*prev_curr));
            if zh {
                format!("示数不连续 {period} 上次示数 {a} ≠ 上月本次示数 {b}")
            } else {
                format!("reading discontinuity {period} prev_reading {a} ≠ curr_reading {b}")
            }
        }
        TheftSignal::ZeroLatest { period } => {
            if zh {
                format!("最近一期 {period} 电量为零")
            } else {
                format!("zero kwh in latest period {period}")
            }
        }
        TheftSignal::Event {
            rule_name,
            detected_on,
        } => {
            if zh {
                format!("计量自动化事件「{rule_name}」（{detected_on} 发现）")
            } else {
                format!("metering event \"{rule_name}\" detected {detected_on}")
            }
        }
    }
}

/// BIL-03 and BIL-13: the ratio to the mean as shown (∞ on a zero mean) and the sign of the
/// bound it passed.
pub(super) fn ratio_and_sign(ratio: Option<f64>, change: Change) -> (String, &'static str) {
    let ratio = ratio.map_or("∞".to_string(), |r| format!("{r:.2}"));
    let sign = match change {
        Change::Surge => ">",
        Change::Drop => "<",
    };
    (ratio, sign)
}
