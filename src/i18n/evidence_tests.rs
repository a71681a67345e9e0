//! Every evidence kind and every rule name and description in both languages: Chinese with no
//! English left in it, English with no Chinese.

use super::evidence::{describe, render, values};
use crate::context::Lang;
use crate::rules::evidence::{Change, DateBasis, Evidence, TheftSignal, KINDS};
use crate::rules::RULES;
use std::collections::BTreeSet;

/// ASCII words Chinese text may keep: units, tariff codes and the CT/PT of 互感器 — what the
/// operators' own documents write in Latin letters. Any other ASCII word in Chinese text is
/// untranslated unless it is an identifier (holds a digit or `_`: a threshold name such as
/// `suspend_min_days`, a period, a meter number).
const ZH_ASCII_ALLOWED: &[&str] = &[
    "kWh", "kVA", "kV", "V", "CT", "PT", "RES", "COM", "IND", "AGR",
];

/// The ASCII words of Chinese text that are neither allowed nor identifiers.
fn untranslated_in_zh(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit() || c == '_'))
        .filter(|w| !ZH_ASCII_ALLOWED.contains(w))
        .map(str::to_string)
        .collect()
}

/// Chinese characters and CJK punctuation in English text; 元, the currency the figures are
/// in, is the one allowed (English evidence has always written `12.50 元`).
fn chinese_in_en(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| {
            matches!(*c as u32, 0x3000..=0x303F | 0x3400..=0x9FFF | 0xFF00..=0xFFEF) && *c != '元'
        })
        .collect()
}

/// One value of every kind. Text that comes from the dataset (names, models, meter numbers)
/// is ASCII with digits, so that it passes both checks and what is checked is the sentence.
fn samples() -> Vec<Evidence> {
    let mut all = other_samples();
    all.extend(billing_samples());
    all.extend(super::evidence_archive::samples());
    all.extend(super::evidence_history::samples());
    all
}

fn other_samples() -> Vec<Evidence> {
    let s = |v: &str| v.to_string();
    vec![
        Evidence::Arc01 {
            contact_empty: true,
            phone_empty: false,
            bad_phone: Some(s("12-34")),
        },
        Evidence::Arc02 {
            capacity_kva: 8001.0,
            voltage_kv: 10.0,
            max_kva: 8000.0,
            bound: s("mv10_max_kva"),
        },
        Evidence::Arc03 {
            category: s("resident"),
            tariff: s("RES"),
            price_code: s("COM"),
        },
        Evidence::Arc04 {
            name: s("N1"),
            keywords: vec![s("K1"), s("K2")],
        },
        Evidence::Arc05 {
            billing_mode: s("single"),
        },
        Evidence::Arc06 {
            capacity_kva: 400.0,
            min_kva: 315.0,
        },
        Evidence::Arc07 {
            category: s("commercial"),
            capacity_kva: 200.0,
            min_kva: 100.0,
        },
        Evidence::Arc08 {
            opened_on: s("2020-01-01"),
            cutoff: s("2023-06-15"),
            years: 3,
            as_of: s("2026-06-15"),
        },
        Evidence::Arc09 {
            closed_on: Some(s("2026-01-31")),
            bills: 3,
            unpaid: 120.5,
        },
        Evidence::Mtr01 {
            multiplier: 40.006,
            ct_ratio: 40.0,
            pt_ratio: 1.0,
        },
        Evidence::Mtr02 {
            basis: DateBasis::Installed,
            date: s("2015-01-01"),
            cutoff: s("2018-06-15"),
            years: 8,
            as_of: s("2026-06-15"),
        },
        Evidence::Mtr03 { model: s("DD28") },
        Evidence::Mtr04 {
            capacity_kva: 630.0,
            max_kva: 500.0,
        },
        Evidence::Mtr05 {},
        Evidence::Sus01 {
            window_start: s("2025-06-16"),
            as_of: s("2026-06-15"),
            times: 3,
            max_times: 2,
            days: 187,
            max_days: 183,
        },
        Evidence::Sus02 {
            start_on: s("2026-03-01"),
            end_on: s("2026-03-10"),
            days: 10,
            min_days: 15,
        },
        Evidence::Sus03 {
            start_on: s("2026-01-01"),
            end_on: s("2026-02-01"),
            days: 32,
            short: true,
            limit: 183,
        },
        Evidence::Con01None {},
        Evidence::Con01Expired {
            expires_on: s("2025-12-31"),
            as_of: s("2026-06-15"),
        },
        Evidence::Svc01 {
            app_kind: s("increase"),
            accepted_on: s("2026-05-01"),
            completed_on: None,
            as_of: s("2026-06-15"),
            days: 45,
            limit_days: 20.0,
        },
    ]
}

fn billing_samples() -> Vec<Evidence> {
    let s = |v: &str| v.to_string();
    vec![
        Evidence::Bil01 {
            prev_reading: 150.0,
            prev_period: s("2026-04"),
            prev_curr: 100.0,
        },
        Evidence::Bil02 {
            kwh: 101.01,
            curr: 100.0,
            prev: 0.0,
            multiplier: 1.0,
            loss: 0.0,
            formula: 100.0,
            off: 1.01,
            tolerance: 1.0,
        },
        Evidence::Bil03 {
            change: Change::Surge,
            kwh: 12340.0,
            mean: 2105.0,
            of: s("2026-06..08"),
            ratio: Some(12340.0 / 2105.0),
            limit: 3.0,
        },
        Evidence::Bil03 {
            change: Change::Drop,
            kwh: 0.0,
            mean: 0.0,
            of: s("2026-06..08"),
            ratio: None,
            limit: 0.3,
        },
        Evidence::Bil04 {
            periods: 6,
            span: s("2025-10..03"),
            min_run: 3,
        },
        Evidence::Bil05 {
            amount: -20.0,
            kwh: 100.0,
        },
        Evidence::Bil06 {
            kwh: 100.0,
            price: 0.6,
        },
        Evidence::Bil07 {
            kwh: 3500.0,
            max_kwh: 3000.0,
        },
        Evidence::Bil08 { kwh: 1200.0 },
        Evidence::Bil09 {
            kwh: 50000.0,
            capacity_kva: 50.0,
            hours: 744.0,
            limit: 37200.0,
        },
        Evidence::Bil10 {
            bill_multiplier: 40.0,
            meter_no: s("M3"),
            meter_multiplier: 80.0,
            misbilled_kwh: 400.0,
        },
        Evidence::Bil11 {
            period: s("2026-03"),
            billed_before: s("2026-02"),
            billed_after: s("2026-05"),
        },
        Evidence::Bil12 {
            multiplier: 40.0,
            prev_period: s("2026-04"),
            prev_multiplier: 30.0,
        },
        Evidence::Bil13 {
            change: Change::Drop,
            amount: 10.0,
            mean: 100.0,
            of: s("2026-02..04"),
            ratio: Some(0.1),
            limit: 0.3,
        },
        Evidence::Bil14 {
            kwh: 400.0,
            capacity_kva: 200.0,
            hours: 5.0,
            limit: 1000.0,
        },
        Evidence::Thf01 {
            level: 1,
            signals: all_signals(),
        },
        Evidence::External {
            rule_name: s("R1"),
            detected_on: s("2026-06-01"),
            text: Some(s("T1")),
        },
    ]
}

fn all_signals() -> Vec<TheftSignal> {
    let s = |v: &str| v.to_string();
    vec![
        TheftSignal::Drop {
            period: s("2026-06"),
            kwh: 100.0,
            mean: 1000.0,
            ratio: 0.3,
        },
        TheftSignal::YearOnYear {
            period: s("2026-05"),
            kwh: 400.0,
            last_period: s("2025-05"),
            last_kwh: 1000.0,
            ratio: 0.5,
        },
        TheftSignal::MeterMismatch { meter_no: s("M1") },
        TheftSignal::Discontinuity {
            period: s("2026-04"),
            prev_reading: 150.0,
            prev_curr: 100.0,
        },
        TheftSignal::ZeroLatest {
            period: s("2026-06"),
        },
        TheftSignal::Event {
            rule_name: s("CJ011"),
            detected_on: s("2026-06-01"),
        },
    ]
}

/// Which signal it is; exhaustive, so a new signal does not compile until it has a sample.
fn signal_no(s: &TheftSignal) -> usize {
    match s {
        TheftSignal::Drop { .. } => 0,
        TheftSignal::YearOnYear { .. } => 1,
        TheftSignal::MeterMismatch { .. } => 2,
        TheftSignal::Discontinuity { .. } => 3,
        TheftSignal::ZeroLatest { .. } => 4,
        TheftSignal::Event { .. } => 5,
    }
}

#[test]
fn samples_cover_every_kind_and_signal() {
    let got: BTreeSet<&str> = samples().iter().map(Evidence::kind).collect();
    let want: BTreeSet<&str> = KINDS.iter().copied().collect();
    assert_eq!(got, want, "every evidence kind needs a sample here");
    let signals: BTreeSet<usize> = all_signals().iter().map(signal_no).collect();
    assert_eq!(signals, (0..6).collect());
}

#[test]
fn every_kind_renders_in_both_languages() {
    for e in samples() {
        let stored = e.to_stored();
        let en = render(Lang::En, &stored);
        let zh = render(Lang::Zh, &stored);
        assert_eq!(en, describe(Lang::En, &e));
        assert!(!en.is_empty() && !zh.is_empty(), "{}", e.kind());
        assert_ne!(en, zh, "{}: Chinese is the English", e.kind());
        assert!(
            untranslated_in_zh(&zh).is_empty(),
            "{}: untranslated {:?} in {zh}",
            e.kind(),
            untranslated_in_zh(&zh)
        );
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{}: no Chinese in {zh}",
            e.kind()
        );
        assert!(
            chinese_in_en(&en).is_empty(),
            "{}: Chinese {:?} in {en}",
            e.kind(),
            chinese_in_en(&en)
        );
        assert!(!en.contains('{') && !zh.contains('{'), "{}", e.kind());
    }
}

#[test]
fn the_spec_example_reads_as_written() {
    let e = Evidence::Bil03 {
        change: Change::Surge,
        kwh: 12340.0,
        mean: 2105.0,
        of: "2026-06..08".into(),
        ratio: Some(12340.0 / 2105.0),
        limit: 3.0,
    };
    assert_eq!(
        describe(Lang::Zh, &e),
        "电量 12,340 kWh，为 2026-06..08 均值 2,105 的 5.86 倍（> 3）"
    );
    assert_eq!(
        describe(Lang::En, &e),
        "kwh 12,340 vs mean 2,105 of 2026-06..08 (×5.86 > 3)"
    );
}

#[test]
fn text_that_is_not_evidence_values_shows_as_it_is() {
    for text in [
        "phone empty",
        "电压断相, detected 2026-06-01: A相失压 3 天",
        "",
        "{not json",
        r#"{"kind":"X-01","note":"a site rule's own JSON"}"#,
        r#"{"kind":"BIL-05","amount":"not a number","kwh":1}"#,
    ] {
        assert_eq!(render(Lang::Zh, text), text);
        assert_eq!(render(Lang::En, text), text);
        assert_eq!(values(text), None);
    }
    let stored = Evidence::Bil05 {
        amount: -20.0,
        kwh: 100.0,
    }
    .to_stored();
    let v = values(&stored).unwrap();
    assert_eq!(v["kind"], "BIL-05");
    assert_eq!(v["amount"], -20.0);
}

#[test]
fn the_checks_see_what_they_are_for() {
    assert_eq!(
        untranslated_in_zh("容量 8,001 kVA（mv10_max_kva）"),
        Vec::<String>::new()
    );
    assert_eq!(untranslated_in_zh("电量 100 kwh billed"), ["kwh", "billed"]);
    assert_eq!(chinese_in_en("amount 12 元 < 0"), Vec::<char>::new());
    assert_eq!(chinese_in_en("level 1，2 signals"), ['，']);
}

#[test]
fn every_rule_name_and_description_in_both_languages() {
    for r in RULES {
        for zh in [r.name(true), r.checks(true)] {
            assert!(
                untranslated_in_zh(zh).is_empty(),
                "{}: untranslated {:?} in {zh}",
                r.id,
                untranslated_in_zh(zh)
            );
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}: {zh}",
                r.id
            );
        }
        for en in [r.name(false), r.checks(false)] {
            assert!(!en.is_empty(), "{}", r.id);
            assert!(chinese_in_en(en).is_empty(), "{}: Chinese in {en}", r.id);
        }
    }
}
