//! Stored evidence as a sentence in the operator's language (rules.md "Evidence"). Evidence
//! values (`crate::rules::evidence::Evidence`) give one sentence per kind, English and Chinese
//! side by side below; anything else stored (an external system's or a site rule's own text, an
//! older dataset's English sentence) is shown as it is. Callers escape the result for the
//! terminal like any dataset text: the values inside come from the dataset.

use crate::context::Lang;
use crate::rules::evidence::{DateBasis, Evidence};
use crate::rules::num::plain;

/// The sentence for stored evidence text.
pub fn render(lang: Lang, stored: &str) -> String {
    match Evidence::from_stored(stored) {
        Some(e) => describe(lang, &e),
        None => stored.to_string(),
    }
}

/// The structured values of stored evidence as JSON (for `--format json`), None for text.
pub fn values(stored: &str) -> Option<serde_json::Value> {
    Evidence::from_stored(stored).map(|e| serde_json::to_value(e).expect("evidence serializes"))
}

/// One sentence per kind. English keeps the wording the rules have always written; numbers go
/// through `fmt` (grouped, two decimals) for kWh and 元, `plain` (as printed before, `%g`) for
/// ratios, voltages and capacities of the archive and metering rules.
#[allow(clippy::too_many_lines)] // one arm per evidence kind, both languages side by side so none lacks a translation
pub fn describe(lang: Lang, e: &Evidence) -> String {
    let zh = lang == Lang::Zh;
    match e {
        Evidence::Arc01 {
            contact_empty,
            phone_empty,
            bad_phone,
        } => {
            let mut parts: Vec<String> = Vec::new();
            if *contact_empty {
                parts.push(
                    if zh {
                        "联系人为空"
                    } else {
                        "contact empty"
                    }
                    .into(),
                );
            }
            if *phone_empty {
                parts.push(
                    if zh {
                        "联系电话为空"
                    } else {
                        "phone empty"
                    }
                    .into(),
                );
            } else if let Some(p) = bad_phone {
                parts.push(if zh {
                    format!("联系电话“{p}”既非手机号（1 + 10 位数字）也非固定电话（0 + 2-3 位区号，可带 -，7-8 位号码）")
                } else {
                    format!("phone \"{p}\" is neither a mobile (1 + 10 digits) nor a landline (0 + 2-3 digit area code, optional -, 7-8 digits)")
                });
            }
            parts.join(if zh { "；" } else { "; " })
        }
        Evidence::Arc02 {
            capacity_kva: c,
            voltage_kv: v,
            max_kva: m,
            bound,
        } => {
            let (c, v, m) = (plain(*c), plain(*v), plain(*m));
            if zh {
                format!("容量 {c} kVA，供电电压 {v} kV，超过上限 {m} kVA（{bound}）")
            } else {
                format!("capacity {c} kVA at {v} kV > {m} kVA ({bound})")
            }
        }
        Evidence::Arc03 {
            category,
            tariff,
            price_code,
        } => {
            if zh {
                let cat = category_word(lang, category);
                format!("用电类别{cat}应执行电价 {tariff}，实际执行 {price_code}")
            } else {
                format!("category {category} needs tariff {tariff}, is on {price_code}")
            }
        }
        Evidence::Arc04 { name, keywords } => {
            if zh {
                let k: Vec<String> = keywords.iter().map(|k| format!("“{k}”")).collect();
                format!("执行居民电价 RES，但户名“{name}”含经营字样{}", k.join("、"))
            } else {
                let k: Vec<String> = keywords.iter().map(|k| format!("\"{k}\"")).collect();
                format!(
                    "tariff RES but the name \"{name}\" contains {}",
                    k.join(", ")
                )
            }
        }
        Evidence::Arc05 { billing_mode } => {
            if zh {
                let mode = billing_mode_word(lang, billing_mode);
                format!("大工业客户按{mode}计费，未执行两部制")
            } else {
                format!("large_industry billed {billing_mode}, not two_part")
            }
        }
        Evidence::Arc06 {
            capacity_kva: c,
            min_kva: m,
        } => {
            let (c, m) = (plain(*c), plain(*m));
            if zh {
                format!("一般工商业客户容量 {c} kVA ≥ {m} kVA（large_industry_min_kva），仍按单一制计费")
            } else {
                format!("commercial, capacity {c} kVA ≥ {m} kVA (large_industry_min_kva), billed single")
            }
        }
        Evidence::Arc07 {
            category,
            capacity_kva: c,
            min_kva: m,
        } => {
            let (c, m) = (plain(*c), plain(*m));
            if zh {
                let cat = category_word(lang, category);
                format!("{cat}客户容量 {c} kVA ≥ {m} kVA（pf_min_kva），未设力率考核标准")
            } else {
                format!(
                    "{category}, capacity {c} kVA ≥ {m} kVA (pf_min_kva), no power-factor standard"
                )
            }
        }
        Evidence::Arc08 {
            opened_on,
            cutoff,
            years,
            as_of,
        } => {
            if zh {
                format!("临时用电自 {opened_on} 起，早于 {cutoff}（统计日 {as_of} 前 {years} 年）")
            } else {
                format!("temporary since {opened_on}, before {cutoff} ({years} years before as-of {as_of})")
            }
        }
        Evidence::Arc09 {
            closed_on,
            bills,
            unpaid,
        } => {
            if zh {
                let when = closed_on
                    .as_deref()
                    .map_or("（无销户日期）".into(), |d| format!("{d} "));
                format!("{when}销户，{bills} 笔账单未结清 {unpaid:.2} 元（应收 − 实收 > 0.01）")
            } else {
                let when = closed_on.as_deref().unwrap_or("(no date)");
                format!("closed {when}, {bills} bills leave {unpaid:.2} 元 unpaid (amount − paid > 0.01)")
            }
        }
        Evidence::Mtr01 {
            multiplier,
            ct_ratio,
            pt_ratio,
        } => {
            let product = plain(ct_ratio * pt_ratio);
            let (m, ct, pt) = (plain(*multiplier), plain(*ct_ratio), plain(*pt_ratio));
            if zh {
                format!("计费倍率 {m} ≠ CT 变比 {ct} × PT 变比 {pt} = {product}")
            } else {
                format!("multiplier {m} ≠ CT {ct} × PT {pt} = {product}")
            }
        }
        Evidence::Mtr02 {
            basis,
            date,
            cutoff,
            years,
            as_of,
        } => {
            if zh {
                let b = match basis {
                    DateBasis::Verified => "检定",
                    DateBasis::Installed => "安装",
                };
                format!("{date} {b}，早于 {cutoff}（统计日 {as_of} 前 {years} 年）")
            } else {
                let b = match basis {
                    DateBasis::Verified => "verified",
                    DateBasis::Installed => "installed",
                };
                format!("{b} {date}, before {cutoff} ({years} years before as-of {as_of})")
            }
        }
        Evidence::Mtr03 { model } => {
            if zh {
                format!("表计型号 {model} 属淘汰型号（obsolete_models）")
            } else {
                format!("model {model} is obsolete (obsolete_models)")
            }
        }
        Evidence::Mtr04 {
            capacity_kva: c,
            max_kva: m,
        } => {
            let (c, m) = (plain(*c), plain(*m));
            if zh {
                format!("高供低计，容量 {c} kVA ≥ {m} kVA（hslm_max_kva）")
            } else {
                format!("HV supply, LV metering at capacity {c} kVA ≥ {m} kVA (hslm_max_kva)")
            }
        }
        Evidence::Mtr05 {} => if zh {
            "计量装置档案中无该户表计"
        } else {
            "no meter on record in meters.csv"
        }
        .into(),
        Evidence::Sus01 {
            window_start,
            as_of,
            times,
            max_times,
            days,
            max_days,
        } => {
            let mut why = Vec::new();
            if times > max_times {
                why.push(if zh {
                    format!("暂停 {times} 次 > {max_times}（suspend_max_times）")
                } else {
                    format!("{times} suspensions > {max_times} (suspend_max_times)")
                });
            }
            if days > max_days {
                why.push(if zh {
                    format!("暂停 {days} 天 > {max_days}（suspend_max_days）")
                } else {
                    format!("{days} suspended days > {max_days} (suspend_max_days)")
                });
            }
            if zh {
                format!("{window_start}..{as_of}：{}", why.join("；"))
            } else {
                format!("{window_start}..{as_of}: {}", why.join("; "))
            }
        }
        Evidence::Sus02 {
            start_on,
            end_on,
            days,
            min_days,
        } => {
            if zh {
                format!("暂停 {start_on}..{end_on}：{days} 天 < {min_days}（suspend_min_days）")
            } else {
                format!(
                    "suspended {start_on}..{end_on}: {days} days < {min_days} (suspend_min_days)"
                )
            }
        }
        Evidence::Sus03 {
            start_on,
            end_on,
            days,
            short,
            limit,
        } => {
            let (cmp, name) = if *short {
                ("<", "reduce_min_days")
            } else {
                (">", "reduce_max_days")
            };
            if zh {
                format!("减容 {start_on}..{end_on}：{days} 天 {cmp} {limit}（{name}）")
            } else {
                format!("reduced {start_on}..{end_on}: {days} days {cmp} {limit} ({name})")
            }
        }
        Evidence::Con01None {} => if zh {
            "无供用电合同记录"
        } else {
            "no supply contract on record"
        }
        .into(),
        Evidence::Con01Expired { expires_on, as_of } => {
            if zh {
                format!("最近一份合同 {expires_on} 到期，早于统计日 {as_of}")
            } else {
                format!("latest contract expired {expires_on}, before as-of {as_of}")
            }
        }
        Evidence::Svc01 {
            app_kind,
            accepted_on,
            completed_on,
            as_of,
            days,
            limit_days,
        } => {
            let limit = plain(*limit_days);
            if zh {
                let kind = app_kind_word(lang, app_kind);
                let done = match completed_on {
                    Some(d) => format!("{d} 完成"),
                    None => format!("截至 {as_of} 未完成"),
                };
                format!("{kind}申请 {accepted_on} 受理，{done}：{days} 天 > 时限 {limit} 天")
            } else {
                let done = match completed_on {
                    Some(d) => format!("completed {d}"),
                    None => format!("open at {as_of}"),
                };
                format!("{app_kind} application accepted {accepted_on}, {done}: {days} days > limit {limit}")
            }
        }
        Evidence::External {
            rule_name,
            detected_on,
            text,
        } => match (text.as_deref().filter(|t| !t.is_empty()), zh) {
            (Some(t), true) => format!("{rule_name}，{detected_on} 发现：{t}"),
            (None, true) => format!("{rule_name}，{detected_on} 发现"),
            (Some(t), false) => format!("{rule_name}, detected {detected_on}: {t}"),
            (None, false) => format!("{rule_name}, detected {detected_on}"),
        },
        Evidence::Bil01 { .. }
        | Evidence::Bil02 { .. }
        | Evidence::Bil03 { .. }
        | Evidence::Bil04 { .. }
        | Evidence::Bil05 { .. }
        | Evidence::Bil06 { .. }
        | Evidence::Bil07 { .. }
        | Evidence::Bil08 { .. }
        | Evidence::Bil09 { .. }
        | Evidence::Bil10 { .. }
        | Evidence::Thf01 { .. } => super::evidence_billing::describe(lang, e),
        Evidence::Bil11 { .. }
        | Evidence::Bil12 { .. }
        | Evidence::Bil13 { .. }
        | Evidence::Bil14 { .. } => super::evidence_billing_more::describe(lang, e),
        Evidence::Arc10 { .. }
        | Evidence::Arc11 { .. }
        | Evidence::Arc12 { .. }
        | Evidence::Arc13 { .. }
        | Evidence::Arc14 { .. }
        | Evidence::Arc15 { .. }
        | Evidence::Sus04 { .. } => super::evidence_archive::describe(lang, e),
        Evidence::His01 { .. } | Evidence::His02 { .. } => {
            super::evidence_history::describe(lang, e)
        }
    }
}

/// A customer category (`customers.category`) in Chinese; English keeps the identifier, as the
/// evidence has always said. A value outside the contract's set shows as it is.
pub(super) fn category_word(lang: Lang, c: &str) -> &str {
    match (lang, c) {
        (Lang::Zh, "resident") => "居民生活",
        (Lang::Zh, "commercial") => "一般工商业",
        (Lang::Zh, "large_industry") => "大工业",
        (Lang::Zh, "agriculture") => "农业生产",
        _ => c,
    }
}

fn billing_mode_word(lang: Lang, m: &str) -> &str {
    match (lang, m) {
        (Lang::Zh, "single") => "单一制",
        (Lang::Zh, "two_part") => "两部制",
        _ => m,
    }
}

pub(super) fn app_kind_word(lang: Lang, k: &str) -> &str {
    match (lang, k) {
        (Lang::Zh, "new") => "新装",
        (Lang::Zh, "increase") => "增容",
        (Lang::Zh, "change") => "变更",
        _ => k,
    }
}
