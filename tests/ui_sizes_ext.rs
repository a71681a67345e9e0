//! Issue 16 item 3: an external rule's id (`EXT:采集系统:CJ-011`, CJK inside) on the findings
//! list and the dashboard at 80×24 and 120×30, both languages: the rule column is no wider
//! than `RULE_W_MAX`, the id cut there by display width (never inside a wide character), and
//! every row's columns line up with the heading's as they do without it.

mod ui_fixture;

use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::text::width;
/// `columns::RULE_W_MAX`, as the issue asks: the built-in and site ids whole, no wider.
const RULE_W_MAX: usize = 13;
use ui_fixture::*;

const EXT: &str = "EXT:采集系统:CJ-011";

fn with_external() -> (tempfile::TempDir, std::path::PathBuf) {
    let (d, p) = dataset();
    let mut ds = Dataset::open(&p).unwrap();
    ds.write(|tx| {
        tx.execute(
            "INSERT INTO findings(id, rule, cust_no, subject, status, resolution, severity, level, evidence, amount_yuan, first_seen, last_seen, first_scan, last_scan, recurred, status_date) VALUES
               (20, ?1, 'C003', '2026-10', 'new', NULL, 'high', NULL, '采集终端离线 72 小时', 8800.0, '2026-11-02', '2026-11-02', 30, 30, 0, '2026-11-02')",
            [EXT],
        )?;
        Ok(())
    })
    .unwrap();
    drop(ds);
    (d, p)
}

/// The screen's lines as drawn (without the test backend's note on wide characters).
fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(|l| {
            let l = l.split("\" Hidden").next().unwrap_or(l);
            l.trim_matches('"').to_string()
        })
        .collect()
}

/// The display column where `word` starts on `line`.
fn col_of(line: &str, word: &str) -> Option<usize> {
    line.find(word).map(|at| width(&line[..at]))
}

#[test]
fn an_external_rule_is_cut_by_display_width_and_its_row_lines_up() {
    let (_d, plain) = dataset();
    let (_e, ext) = with_external();
    for (lang, tag, new) in [(Lang::En, "en", "new "), (Lang::Zh, "zh", "新发现")] {
        let mut a = app(&ext, "auditor1", Role::Auditor, lang);
        let mut b = app(&plain, "auditor1", Role::Auditor, lang);
        press(&mut a, &[key('2')]);
        press(&mut b, &[key('2')]);
        for (w, h) in [(80, 24), (120, 30)] {
            let s = screen(&mut a, w, h);
            let without = lines(&screen(&mut b, w, h));
            let l = lines(&s);
            // The heading widens the rule column by at most what `RULE_W_MAX` allows.
            let (rule_word, status_word) = match lang {
                Lang::En => ("Rule", "Status"),
                Lang::Zh => ("规则", "状态"),
            };
            let head = l.iter().find(|x| x.contains('#')).unwrap();
            let head_plain = without.iter().find(|x| x.contains('#')).unwrap();
            let span = |h: &str| col_of(h, status_word).unwrap() - col_of(h, rule_word).unwrap();
            assert!(span(head) <= RULE_W_MAX + 1, "{tag} {w}x{h}: {head}\n{s}");
            assert!(
                span(head) <= span(head_plain) + RULE_W_MAX - 6,
                "{tag} {w}x{h}"
            );
            // The external rule's row: cut within the column, the status where every row has it.
            let row = l.iter().find(|x| x.contains("EXT:")).expect("the row");
            let thf = l.iter().find(|x| x.contains("THF-01")).unwrap();
            assert!(!row.contains(EXT), "{tag} {w}x{h}: cut\n{s}");
            let rule_at = col_of(row, "EXT:").unwrap();
            let status_at = col_of(row, new).unwrap();
            assert!(
                status_at - rule_at <= RULE_W_MAX + 1,
                "{tag} {w}x{h}: the rule column is wider than {RULE_W_MAX}\n{s}"
            );
            assert_eq!(status_at, col_of(thf, new).unwrap(), "{tag} {w}x{h}\n{s}");
            assert_eq!(
                status_at,
                col_of(head, status_word).unwrap(),
                "{tag} {w}x{h}\n{s}"
            );
            assert_eq!(width(row), width(thf), "{tag} {w}x{h}: rows as wide\n{s}");
            insta::assert_snapshot!(format!("ext_findings_{tag}_{w}x{h}"), s);
        }
        // The dashboard's alerts and rule counts keep their columns too.
        press(&mut a, &[key('1')]);
        press(&mut b, &[key('1')]);
        for (w, h) in [(80, 24), (120, 30)] {
            let s = screen(&mut a, w, h);
            let l = lines(&s);
            let without = lines(&screen(&mut b, w, h));
            let alert = |l: &[String]| -> usize {
                let thf = l.iter().find(|x| x.contains("THF-01")).unwrap();
                col_of(thf, "宏达").unwrap()
            };
            assert!(
                alert(&l) <= alert(&without) + RULE_W_MAX - 6,
                "{tag} {w}x{h}: alerts\n{s}"
            );
            let ext = l.iter().find(|x| x.contains("EXT:")).unwrap();
            let thf = l.iter().find(|x| x.contains("THF-01")).unwrap();
            assert_eq!(
                col_of(ext, "宏达"),
                col_of(thf, "宏达"),
                "{tag} {w}x{h}\n{s}"
            );
            assert!(!s.contains(EXT), "{tag} {w}x{h}: cut\n{s}");
            insta::assert_snapshot!(format!("ext_dashboard_{tag}_{w}x{h}"), s);
        }
    }
}
