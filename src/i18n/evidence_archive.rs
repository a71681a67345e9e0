//! The sentences of the archive kinds ARC-10..15 and the business kind SUS-04, split from
//! `evidence.rs` (which lists every kind in its one `match` and sends these here). 元 and kWh
//! go through `fmt` (grouped, two decimals), voltages, capacities and prices through `plain`.

use super::evidence::{app_kind_word, category_word};
use crate::context::Lang;
use crate::rules::evidence::{Evidence, PfBasis};
use crate::rules::num::{fmt, plain};

/// The sentence of an ARC-10..15 or SUS-04 kind; `evidence::describe` sends only those here.
pub(super) fn describe(lang: Lang, e: &Evidence) -> String {
    let zh = lang == Lang::Zh;
    match e {
        Evidence::Arc10 { .. } | Evidence::Arc11 { .. } => arc10_11(lang, e),
        Evidence::Arc12 {
            address,
            chars,
            min_chars,
            no_keyword,
        } => arc12(zh, address.as_deref(), *chars, *min_chars, *no_keyword),
        Evidence::Arc13 { .. } | Evidence::Arc14 { .. } => arc13_14(lang, e),
        Evidence::Arc15 {
            category,
            voltage_kv,
            capacity_kva,
            pf_standard,
            due,
            basis,
        } => arc15(
            lang,
            category,
            *voltage_kv,
            *capacity_kva,
            *pf_standard,
            *due,
            *basis,
        ),
        Evidence::Sus04 {
            row_kind,
            start_on,
            app_no,
            app_kind,
            reduce_start_on,
            since,
            until,
            years,
        } => {
            let app = app_no.as_deref().zip(app_kind.as_deref());
            sus04(
                lang,
                row_kind,
                start_on,
                app,
                reduce_start_on.as_deref(),
                since,
                until.as_deref(),
                *years,
            )
        }
        other => unreachable!("{} is not an archive kind", other.kind()),
    }
}

fn arc10_11(lang: Lang, e: &Evidence) -> String {
    let zh = lang == Lang::Zh;
    match e {
        Evidence::Arc10 {
            opened_on,
            period,
            next_period,
            first_bill,
            as_of,
        } => {
            if zh {
                let first = first_bill
                    .as_deref()
                    .map_or("尚无账单".to_string(), |p| format!("首期账单 {p}"));
                format!("{opened_on} 立户，{period} 及 {next_period} 均无账单（{first}，统计日 {as_of}）")
            } else {
                let first = first_bill
                    .as_deref()
                    .map_or("no bill yet".to_string(), |p| format!("first bill {p}"));
                format!("opened {opened_on}, no bill for {period} nor {next_period} ({first}, as-of {as_of})")
            }
        }
        Evidence::Arc11 {
            bills,
            through,
            unpaid,
            min_yuan,
        } => {
            let (u, m) = (fmt(*unpaid), fmt(*min_yuan));
            if zh {
                format!("{through} 及以前 {bills} 期账单欠费 {u} 元 > {m} 元（arrears_min_yuan）")
            } else {
                format!(
                    "{bills} bills up to {through} leave {u} 元 unpaid > {m} 元 (arrears_min_yuan)"
                )
            }
        }
        _ => unreachable!("ARC-10 or ARC-11"),
    }
}

fn arc13_14(lang: Lang, e: &Evidence) -> String {
    let zh = lang == Lang::Zh;
    match e {
        Evidence::Arc13 {
            app_kind,
            completed_on,
            days,
            recent_days,
            voltage_kv,
            capacity_kva,
            min_kva,
        } => {
            let (v, c, m) = (plain(*voltage_kv), plain(*capacity_kva), plain(*min_kva));
            if zh {
                let kind = app_kind_word(lang, app_kind);
                format!("{v} kV、{c} kVA（≥ {m} kVA）专变客户，{kind}申请 {completed_on} 完成，距统计日 {days} 天（≤ {recent_days}）")
            } else {
                format!("{v} kV, {c} kVA (≥ {m} kVA), {app_kind} application completed {completed_on}, {days} days before as-of (≤ {recent_days})")
            }
        }
        Evidence::Arc14 {
            price_code,
            first,
            last,
            kwh,
            amount,
            price,
            bound,
            below,
        } => {
            let (k, a, p, b) = (fmt(*kwh), fmt(*amount), plain(*price), plain(*bound));
            let (cmp, side) = if *below { ("<", "min") } else { (">", "max") };
            let name = format!("price_{side}_{}", price_code.to_ascii_lowercase());
            if zh {
                format!("{first}..{last} 电费 {a} 元 / 电量 {k} kWh = 平均电价 {p} 元/kWh {cmp} {b}（{price_code}，{name}）")
            } else {
                format!("{first}..{last}: {a} 元 / {k} kWh = {p} 元/kWh {cmp} {b} ({price_code}, {name})")
            }
        }
        _ => unreachable!("ARC-13 or ARC-14"),
    }
}

fn arc12(zh: bool, address: Option<&str>, chars: i64, min_chars: i64, no_keyword: bool) -> String {
    let Some(a) = address else {
        return if zh {
            "用电地址为空"
        } else {
            "address empty"
        }
        .into();
    };
    let mut why = Vec::new();
    if chars < min_chars {
        why.push(if zh {
            format!("{chars} 个字符 < {min_chars}（address_min_chars）")
        } else {
            format!("{chars} characters < {min_chars} (address_min_chars)")
        });
    }
    if no_keyword {
        why.push(if zh {
            "不含 address_keywords 中任一字样".to_string()
        } else {
            "none of address_keywords".to_string()
        });
    }
    if zh {
        format!("用电地址“{a}”：{}", why.join("；"))
    } else {
        format!("address \"{a}\": {}", why.join("; "))
    }
}

fn arc15(
    lang: Lang,
    category: &str,
    voltage_kv: f64,
    capacity_kva: f64,
    pf: f64,
    due: f64,
    basis: PfBasis,
) -> String {
    let (v, c) = (plain(voltage_kv), plain(capacity_kva));
    let (pf, due) = (format!("{pf:.2}"), format!("{due:.2}"));
    if lang == Lang::Zh {
        let cat = category_word(lang, category);
        let why = match basis {
            PfBasis::Agriculture => "农业生产".to_string(),
            PfBasis::LargeIndustryHv => "10 kV 及以上、容量 ≥ pf_high_min_kva 的大工业".to_string(),
            PfBasis::Other => "非农业、非高压大工业".to_string(),
        };
        format!("{cat}客户 {v} kV、{c} kVA，力率考核标准 {pf}，应为 {due}（{why}）")
    } else {
        let why = match basis {
            PfBasis::Agriculture => "agriculture",
            PfBasis::LargeIndustryHv => {
                "large_industry at 10 kV or above with capacity ≥ pf_high_min_kva"
            }
            PfBasis::Other => "neither agriculture nor HV large_industry",
        };
        format!("{category} at {v} kV, {c} kVA: power-factor standard {pf}, due {due} ({why})")
    }
}

#[allow(clippy::too_many_arguments)] // the evidence's fields, one each
fn sus04(
    lang: Lang,
    row_kind: &str,
    start_on: &str,
    app: Option<(&str, &str)>,
    reduce_start_on: Option<&str>,
    since: &str,
    until: Option<&str>,
    years: i64,
) -> String {
    if lang == Lang::Zh {
        let row = match row_kind {
            "suspend" => "暂停",
            "reduce" => "减容",
            other => other,
        };
        let after = match app {
            Some((no, kind)) => format!("{}申请 {no} 于 {since} 完成", app_kind_word(lang, kind)),
            None => format!("减容 {}..{since} 期满", reduce_start_on.unwrap_or_default()),
        };
        let until = until.map_or(String::new(), |u| format!("，早于 {u}"));
        format!("{row}自 {start_on} 起，{after}后 {years} 年内（recent_change_years{until}）")
    } else {
        let after = match app {
            Some((no, kind)) => format!("{kind} application {no} completed {since}"),
            None => format!(
                "the reduction {}..{since} ended",
                reduce_start_on.unwrap_or_default()
            ),
        };
        let until = until.map_or(String::new(), |u| format!(", before {u}"));
        format!("{row_kind} from {start_on}, within {years} years after {after} (recent_change_years{until})")
    }
}

/// One value of every kind of this file, for the all-kinds test of `evidence_tests.rs`.
#[cfg(test)]
pub(super) fn samples() -> Vec<Evidence> {
    let s = |v: &str| v.to_string();
    vec![
        Evidence::Arc10 {
            opened_on: s("2026-03-10"),
            period: s("2026-03"),
            next_period: s("2026-04"),
            first_bill: Some(s("2026-05")),
            as_of: s("2026-06-15"),
        },
        Evidence::Arc11 {
            bills: 2,
            through: s("2026-04"),
            unpaid: 250.5,
            min_yuan: 100.0,
        },
        Evidence::Arc12 {
            address: Some(s("A1")),
            chars: 2,
            min_chars: 6,
            no_keyword: true,
        },
        Evidence::Arc13 {
            app_kind: s("increase"),
            completed_on: s("2026-05-01"),
            days: 45,
            recent_days: 90,
            voltage_kv: 10.0,
            capacity_kva: 315.0,
            min_kva: 100.0,
        },
        Evidence::Arc14 {
            price_code: s("RES"),
            first: s("2026-04"),
            last: s("2026-06"),
            kwh: 450.0,
            amount: 112.5,
            price: 0.25,
            bound: 0.3,
            below: true,
        },
        Evidence::Arc15 {
            category: s("large_industry"),
            voltage_kv: 10.0,
            capacity_kva: 200.0,
            pf_standard: 0.85,
            due: 0.9,
            basis: PfBasis::LargeIndustryHv,
        },
        Evidence::Sus04 {
            row_kind: s("suspend"),
            start_on: s("2026-03-01"),
            app_no: Some(s("YK01")),
            app_kind: Some(s("increase")),
            reduce_start_on: None,
            since: s("2025-06-01"),
            until: Some(s("2027-06-01")),
            years: 2,
        },
        Evidence::Sus04 {
            row_kind: s("reduce"),
            start_on: s("2026-03-01"),
            app_no: None,
            app_kind: None,
            reduce_start_on: Some(s("2025-01-01")),
            since: s("2025-08-01"),
            until: Some(s("2027-08-01")),
            years: 2,
        },
    ]
}
