//! 专项稽查 in the terminal UI: 举一反三 from the finding detail (a key, a question, the
//! campaign made and logged), the campaigns screen from the dashboard with the selected
//! campaign's progress per unit at 80×24 and 120×30 in both languages, and the export key
//! writing the report's workbook.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::ui::app::App;
use jicha::ui::screen::campaigns::Campaigns;
use ui_fixture::*;

fn status_line(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// Opens finding 3 (ARC-01 at 城关供电所) through the search, then spreads its rule.
fn spread_from_detail(a: &mut App) {
    press(a, &[key('2'), key('/')]);
    type_text(a, "contact\n");
    press(a, &[code(KeyCode::Enter)]);
    let s = screen(a, 120, 30);
    assert_eq!(detail(a).map(|d| d.id), Some(3), "{s}");
    press(a, &[key('S')]);
    press(a, &[key('y')]);
}

#[test]
fn spread_from_the_detail_makes_a_logged_special_campaign() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    spread_from_detail(&mut a);
    assert_eq!(
        status_line(&a),
        "campaign ZX-20261102-001 spreads rule ARC-01 of finding 3 to every unit: 2 finding(s) in its scope now"
    );
    let ds = Dataset::open(&p).unwrap();
    let c = jicha::campaigns::get(&ds.conn, "ZX-20261102-001").unwrap();
    assert_eq!(c.rules, vec!["ARC-01".to_string()]);
    assert_eq!(c.source_finding, Some(3));
    let logged: i64 = ds
        .conn
        .query_row(
            "SELECT count(*) FROM action_log WHERE action = 'campaign.spread' AND operator = 'auditor1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(logged, 1);
}

#[test]
fn a_viewer_is_refused_and_nothing_is_made() {
    let (_d, p) = dataset();
    let mut a = app(&p, "viewer9", Role::Viewer, Lang::Zh);
    spread_from_detail(&mut a);
    assert!(
        status_line(&a).contains("需要稽查员角色"),
        "{}",
        status_line(&a)
    );
    let ds = Dataset::open(&p).unwrap();
    assert!(jicha::campaigns::list(&ds.conn, false).unwrap().is_empty());
}

#[test]
fn the_campaigns_screen_shows_progress_per_unit_at_both_sizes_and_languages() {
    let (d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    spread_from_detail(&mut a);
    for lang in [Lang::En, Lang::Zh] {
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        press(&mut a, &[key('1'), key('z')]);
        let st = a.screen_state::<Campaigns>().expect("the campaigns screen");
        assert_eq!(st.list.len(), 1);
        let (_, progress) = st.progress.as_ref().expect("progress loaded");
        // ARC-01: finding 3 (confirmed, 城关供电所) and 8 (new, Riverside station).
        assert_eq!(progress.total.due, 2);
        assert_eq!(progress.total.checked, 1);
        assert_eq!(progress.total.confirmed, 1);
        for (w, h) in [(80, 24), (120, 30)] {
            let s = screen(&mut a, w, h);
            let (due, total, kind) = match lang {
                Lang::En => ("To check", "Total", "special"),
                Lang::Zh => ("应查", "合计", "专项"),
            };
            assert!(s.contains("ZX-20261102-001"), "{lang:?} {w}x{h}:\n{s}");
            assert!(
                s.contains(due) && s.contains(total),
                "{lang:?} {w}x{h}:\n{s}"
            );
            assert!(s.contains(kind), "{lang:?} {w}x{h}:\n{s}");
            assert!(s.contains("城关供电所"), "{lang:?} {w}x{h}:\n{s}");
            assert!(s.contains("Riverside station"), "{lang:?} {w}x{h}:\n{s}");
            let total_line = s.lines().find(|l| l.contains(total)).unwrap();
            assert!(
                total_line
                    .split_whitespace()
                    .filter(|w| *w == "2" || *w == "1")
                    .count()
                    >= 3,
                "{lang:?} {w}x{h}: {total_line}"
            );
        }
    }
    // The export key writes the report's workbook where the operator says.
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('1'), key('z'), key('e')]);
    let out = d.path().join("zx.xlsx");
    press(&mut a, &[ctrl('u')]);
    type_text(&mut a, &format!("{}\n", out.display()));
    assert!(
        status_line(&a).starts_with("Exported"),
        "{}",
        status_line(&a)
    );
    assert!(std::fs::read(&out).unwrap().starts_with(b"PK"));
}
