//! Figures are never cut: the reports and theme screens at 80×24, 120×30 and 200×50 in both
//! languages on a dataset with six-figure counts, a rate far below zero and amounts of
//! trillions; bars share one scale; the quality drill-down writes rates as percentages; a unit
//! with no name is not ranked; the 30-day trend carries days without a scan.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use std::path::PathBuf;
use ui_fixture::*;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 30), (200, 50)];

/// The UI fixture plus 120,000 open findings of 开发区供电所 (C003) first seen today, each of
/// 1,000,000,000 元: counts of six figures, a cumulative rate far below −1000 %, amounts of
/// fifteen digits.
fn big_dataset() -> (tempfile::TempDir, PathBuf) {
    let (d, p) = dataset();
    let mut ds = Dataset::open(&p).unwrap();
    ds.write(|tx| {
        tx.execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120000)
             INSERT INTO findings(rule, cust_no, subject, status, severity, evidence, amount_yuan,
                                  first_seen, last_seen, first_scan, last_scan, status_date)
             SELECT 'ARC-04', 'C003', 'big-' || i, 'new', 'high', 'x', 1000000000.0,
                    '2026-11-02', '2026-11-02', 30, 30, '2026-11-02' FROM n;",
        )?;
        Ok(())
    })
    .unwrap();
    drop(ds);
    (d, p)
}

/// No cell of the body (below the header, above the key line) is cut with `…`.
fn assert_nothing_cut(s: &str, what: &str) {
    let lines: Vec<&str> = s.lines().collect();
    for (i, l) in lines.iter().enumerate().skip(2) {
        if i + 1 == lines.len() {
            break;
        }
        assert!(!l.contains('…'), "{what}: line {i} is cut:\n{s}");
    }
}

#[test]
fn reports_figures_are_whole_at_every_size() {
    let (_d, p) = big_dataset();
    for lang in [Lang::En, Lang::Zh] {
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        press(&mut a, &[key('6'), key('p'), key('p')]);
        let r = a
            .screen_state::<jicha::ui::screen::reports::Reports>()
            .unwrap()
            .data
            .clone()
            .expect("the report");
        let open = jicha::output::table::pct(r.total.cumulative_completion_rate);
        assert!(open.len() > 8, "a rate wider than the usual column: {open}");
        for (w, h) in SIZES {
            let s = screen(&mut a, w, h);
            assert_nothing_cut(&s, &format!("reports {lang:?} {w}x{h}"));
            assert!(s.contains(&open), "{lang:?} {w}x{h}: {open} whole:\n{s}");
            assert!(
                s.contains("120,00"),
                "{lang:?} {w}x{h}: the count whole:\n{s}"
            );
        }
        // The open-findings chart too.
        press(&mut a, &[key('m')]);
        for (w, h) in SIZES {
            let s = screen(&mut a, w, h);
            assert_nothing_cut(&s, &format!("reports chart {lang:?} {w}x{h}"));
        }
    }
}

#[test]
fn theme_figures_are_whole_at_every_size() {
    let (_d, p) = big_dataset();
    for lang in [Lang::En, Lang::Zh] {
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        press(&mut a, &[key('8')]);
        for (w, h) in SIZES {
            let s = screen(&mut a, w, h);
            assert_nothing_cut(&s, &format!("theme {lang:?} {w}x{h}"));
            assert!(s.contains("120,001"), "{lang:?} {w}x{h}:\n{s}");
        }
        // A district's stations.
        press(&mut a, &[code(KeyCode::Enter)]);
        for (w, h) in SIZES {
            let s = screen(&mut a, w, h);
            assert_nothing_cut(&s, &format!("theme stations {lang:?} {w}x{h}"));
        }
    }
}

/// The bar of each chart row: the count of full blocks (`█`, or `#` in ASCII) on it, by the
/// row's first word.
fn bars(s: &str, names: &[&str]) -> Vec<usize> {
    names
        .iter()
        .map(|n| {
            // The chart's panel of the line: the one that starts with the name and writes 元.
            let seg = s
                .lines()
                .flat_map(|l| l.split('│'))
                .rfind(|seg| seg.starts_with(&format!("{n} ")) && seg.contains('元'))
                .unwrap_or_else(|| panic!("no bar for {n}:\n{s}"));
            seg.chars().filter(|c| *c == '█' || *c == '#').count()
        })
        .collect()
}

#[test]
fn theme_bars_share_one_scale() {
    let (_d, p) = dataset();
    for ascii in [false, true] {
        let mut a = app_with(
            &p,
            ctx("auditor1", Role::Auditor, Lang::En),
            "default",
            false,
            ascii,
        );
        press(&mut a, &[key('8')]);
        for (w, h) in SIZES {
            let s = screen(&mut a, w, h);
            let s = s.replace('|', "│");
            // 西湖区 has 3 findings, East and 滨江区 1 each.
            let b = bars(&s, &["西湖区", "East", "滨江区"]);
            assert_eq!(
                b[1], b[2],
                "{w}x{h} ascii={ascii}: equal counts, equal bars {b:?}"
            );
            let third = b[0] as f64 / 3.0;
            assert!(
                (b[1] as f64 - third).abs() <= 1.0,
                "{w}x{h} ascii={ascii}: 1 is a third of 3: {b:?}\n{s}"
            );
        }
    }
}

#[test]
fn the_quality_drill_down_writes_rates_as_percentages() {
    let (_d, p) = dataset();
    for lang in [Lang::En, Lang::Zh] {
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        press(&mut a, &[key('7')]);
        let at = a
            .screen_state::<jicha::ui::screen::quality::Quality>()
            .unwrap()
            .rows()
            .iter()
            .position(|u| u.unit == "城关供电所")
            .unwrap();
        press(&mut a, &[key('g')]);
        for _ in 0..at {
            press(&mut a, &[key('j')]);
        }
        press(&mut a, &[code(KeyCode::Enter)]);
        let s = screen(&mut a, 80, 24);
        for name in ["稽查问题完成率", "异常问题整改完成率", "稽查超期率"] {
            let line = s
                .lines()
                .find(|l| l.contains(&format!("{name}:")))
                .unwrap_or_else(|| panic!("{name}:\n{s}"));
            let value = line.split(&format!("{name}:")).nth(1).unwrap();
            let value = value.split_whitespace().next().unwrap();
            assert!(
                value.ends_with('%') || value == "—",
                "{lang:?}: {name} shows `{value}`:\n{s}"
            );
        }
    }
}

#[test]
fn a_unit_without_a_name_is_not_ranked() {
    let (_d, p) = dataset();
    let mut ds = Dataset::open(&p).unwrap();
    ds.write(|tx| {
        tx.execute_batch(
            "INSERT INTO customers SELECT 'C009', '无名户', address, contact, phone, category,
                    price_code, billing_mode, voltage_kv, capacity_kva, pf_standard, hslm,
                    temporary, '-', district, opened_on, status, closed_on, import_id, 99
             FROM customers WHERE cust_no = 'C002';",
        )?;
        Ok(())
    })
    .unwrap();
    drop(ds);
    for (lang, shown) in [(Lang::En, "(no unit)"), (Lang::Zh, "（无单位）")] {
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        press(&mut a, &[key('7')]);
        let q = a
            .screen_state::<jicha::ui::screen::quality::Quality>()
            .unwrap();
        let e = q.data.as_ref().expect("the evaluation");
        let dash = e.unit("-").expect("the unit `-` is evaluated");
        assert_eq!(dash.rank, 0, "not ranked");
        let stations = e.ranked(dash.level);
        assert_eq!(stations.last().unwrap().unit, "-", "listed last");
        assert!(stations
            .iter()
            .all(|u| u.unit == "-" || u.of == stations.len() - 1));
        let s = screen(&mut a, 120, 30);
        assert!(s.contains(shown), "{lang:?}:\n{s}");
        assert!(!s.contains("│  - "), "{lang:?}: no unit named `-`:\n{s}");
    }
}

#[test]
fn the_trend_carries_days_without_a_scan() {
    let (_d, p) = dataset();
    let mut ds = Dataset::open(&p).unwrap();
    // Scans 11 to 13 (three days in the middle of the window) move out of it.
    ds.write(|tx| {
        tx.execute_batch(
            "UPDATE scans SET business_date = '2026-01-01' WHERE id BETWEEN 11 AND 13;",
        )?;
        Ok(())
    })
    .unwrap();
    let d = jicha::findings::dashboard(&ds.conn, day(TODAY)).unwrap();
    let bil = d.rules.iter().find(|r| r.rule == "BIL-05").unwrap();
    // Day index n is scan n + 1: days 10, 11, 12 have no scan and carry day 9's count.
    let t = &bil.trend;
    assert_eq!(t.len(), 30);
    assert!(t[9] > 0, "{t:?}");
    assert_eq!(&t[10..13], &[t[9]; 3], "{t:?}");
    assert!(!t.contains(&0), "no gaps of zero: {t:?}");
}
