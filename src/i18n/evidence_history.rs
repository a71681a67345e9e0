//! The sentences of the history kinds HIS-01 and HIS-02 (rules over source history), split from
//! `evidence.rs`, which sends these here. kWh go through `fmt`, readings and values through
//! `plain`.

use crate::context::Lang;
use crate::rules::evidence::Evidence;
use crate::rules::num::{fmt, plain};

/// The sentence of a HIS-01 or HIS-02 kind; `evidence::describe` sends only those here.
pub(super) fn describe(lang: Lang, e: &Evidence) -> String {
    let zh = lang == Lang::Zh;
    match e {
        Evidence::His01 {
            period,
            prev_reading_was,
            curr_reading_was,
            kwh_was,
            prev_reading,
            curr_reading,
            kwh,
            kwh_moved,
            since_import,
            replaced_by,
            replaced_on,
            min_kwh,
            ratio,
        } => {
            let (pw, cw, p, c) = (
                plain(*prev_reading_was),
                plain(*curr_reading_was),
                plain(*prev_reading),
                plain(*curr_reading),
            );
            let (kw, k, m, mk) = (fmt(*kwh_was), fmt(*kwh), fmt(*kwh_moved), plain(*min_kwh));
            let r = plain(*ratio);
            if zh {
                format!("{period} 示数由 {pw}–{cw}（导入 {since_import}）改为 {p}–{c}（导入 {replaced_by}，{replaced_on}），电量 {kw} → {k} kWh，变化 {m} kWh（> {mk} kWh 或原电量的 {r}）")
            } else {
                format!("{period} readings {pw}–{cw} (import {since_import}) became {p}–{c} (import {replaced_by}, {replaced_on}); kWh {kw} → {k}, moved {m} (> {mk} kWh or {r} of the earlier kWh)")
            }
        }
        Evidence::His02 {
            field,
            meter_no,
            old,
            new,
            import,
            seen_on,
            basis_days,
        } => {
            let (field, old, new) = if zh {
                (
                    field_zh(field),
                    super::evidence::category_word(lang, old),
                    super::evidence::category_word(lang, new),
                )
            } else {
                (field.as_str(), old.as_str(), new.as_str())
            };
            match (meter_no, zh) {
            (Some(m), true) => format!("计量装置 {m} 的 {field} 由 {old} 改为 {new}（导入 {import}，{seen_on}），此前 {basis_days} 天内无该客户完成的业扩流程"),
            (None, true) => format!("{field} 由 {old} 改为 {new}（导入 {import}，{seen_on}），此前 {basis_days} 天内无该客户完成的业扩流程"),
            (Some(m), false) => format!("meter {m} {field} changed {old} → {new} (import {import}, {seen_on}) with no application of the customer completed in the {basis_days} days before"),
            (None, false) => format!("{field} changed {old} → {new} (import {import}, {seen_on}) with no application of the customer completed in the {basis_days} days before"),
            }
        }
        _ => String::new(),
    }
}

/// A watched field's Chinese name (HIS-02).
fn field_zh(field: &str) -> &str {
    match field {
        "category" => "用电类别",
        "price_code" => "执行电价",
        "billing_mode" => "计费方式",
        "capacity_kva" => "合同容量",
        "voltage_kv" => "供电电压",
        "multiplier" => "倍率",
        "ct_ratio" => "CT 变比",
        "pt_ratio" => "PT 变比",
        other => other,
    }
}

/// One value of each history kind, for the all-kinds test.
#[cfg(test)]
pub(super) fn samples() -> Vec<Evidence> {
    let s = |x: &str| x.to_string();
    vec![
        Evidence::His01 {
            period: s("2026-05"),
            prev_reading_was: 1000.0,
            curr_reading_was: 1200.0,
            kwh_was: 200.0,
            prev_reading: 1000.0,
            curr_reading: 1050.0,
            kwh: 50.0,
            kwh_moved: 150.0,
            since_import: 1,
            replaced_by: 2,
            replaced_on: s("2026-06-02"),
            min_kwh: 100.0,
            ratio: 0.2,
        },
        Evidence::His02 {
            field: s("category"),
            meter_no: None,
            old: s("commercial"),
            new: s("resident"),
            import: 2,
            seen_on: s("2026-06-02"),
            basis_days: 30,
        },
        Evidence::His02 {
            field: s("multiplier"),
            meter_no: Some(s("M0001")),
            old: s("40"),
            new: s("20"),
            import: 2,
            seen_on: s("2026-06-02"),
            basis_days: 30,
        },
    ]
}
