//! The QC screen (稽查质检): reached with `c` on the quality screen, scoring a sampled
//! ticket's items by keys (pass; fail with a note), zh and en, 80×24 and 120×30.
//!
//! On top of the UI fixture (today 2026-11-02): ticket JC-20261102-001 for finding 1
//! (城关供电所), submitted by auditor1 and approved by reviewer1 the same day; the sample of
//! 2026-11 drawn (one approved ticket: it is the sample).

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::actions::qc::{perform as qc, QcAction};
use jicha::actions::{perform as act, Action};
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::ui::dialog::{DialogKind, Prompt};
use jicha::ui::screen::qc::QcScreen;
use jicha::ui::screen::ticket_page::TicketPage;
use std::path::PathBuf;
use ui_fixture::*;

const T: &str = "JC-20261102-001";

fn qc_dataset() -> (tempfile::TempDir, PathBuf) {
    let (d, p) = dataset();
    let mut ds = Dataset::open(&p).unwrap();
    let a = ctx("auditor1", Role::Auditor, Lang::En);
    let r = ctx("reviewer1", Role::Reviewer, Lang::En);
    act(
        &mut ds,
        &a,
        &Action::TicketCreate {
            findings: vec![1],
            unit: None,
            person: None,
            due: None,
            requirement: "核实户名".into(),
        },
    )
    .unwrap();
    act(
        &mut ds,
        &a,
        &Action::TicketSubmit {
            number: T.into(),
            cause: "户名未更新".into(),
            measures: "已改为居民户名".into(),
            recovered: None,
        },
    )
    .unwrap();
    act(&mut ds, &r, &Action::TicketApprove { number: T.into() }).unwrap();
    qc(
        &mut ds,
        &r,
        &QcAction::Sample {
            month: "2026-11".into(),
            seed: None,
        },
    )
    .unwrap();
    drop(ds);
    (d, p)
}

fn st(a: &jicha::ui::app::App) -> &QcScreen {
    a.screen_state::<QcScreen>().unwrap()
}

fn scores(p: &std::path::Path) -> Vec<(i64, bool, String)> {
    let ds = Dataset::open(p).unwrap();
    let mut s = ds
        .conn
        .prepare("SELECT item, passed, note FROM qc_scores ORDER BY item")
        .unwrap();
    s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn a_reviewer_scores_items_by_keys() {
    let (_d, p) = qc_dataset();
    let mut a = app(&p, "reviewer1", Role::Reviewer, Lang::En);
    press(&mut a, &[key('7'), key('c')]);
    assert_eq!(st(&a).month, "2026-11");
    let tickets: Vec<String> = st(&a).tickets().iter().map(|t| t.number.clone()).collect();
    assert_eq!(tickets, [T]);
    for (w, h) in [(80, 24), (120, 30)] {
        let s = screen(&mut a, w, h);
        assert!(s.contains("QC of audit work 2026-11"), "{s}");
        assert!(s.contains(T), "{s}");
        assert!(s.contains("1· 2· 3· 4· 5· 6·"), "{s}");
    }
    // Item 1 passes.
    press(&mut a, &[key('p')]);
    assert_eq!(scores(&p), [(1, true, String::new())]);
    // Item 2 fails: the note is asked for; an empty one is refused in the dialog.
    press(&mut a, &[code(KeyCode::Right), key('f')]);
    assert_eq!(a.dialog_kind(), Some(DialogKind::Prompt));
    press(&mut a, &[code(KeyCode::Enter)]);
    assert!(a.dialog_as::<Prompt>().is_some_and(|p| p.error.is_some()));
    type_text(&mut a, "原因分析未到位");
    press(&mut a, &[code(KeyCode::Enter)]);
    assert!(a.dialog().is_none());
    assert_eq!(
        scores(&p),
        [
            (1, true, String::new()),
            (2, false, "原因分析未到位".to_string())
        ]
    );
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("1✓ 2✗ 3·"), "{s}");
    // The unit's QC score: 1 of 2 items.
    let u = st(&a).report.as_ref().unwrap();
    let g = u.units.iter().find(|u| u.unit == "城关供电所").unwrap();
    assert_eq!((g.scored, g.passed), (2, 1));
}

#[test]
fn the_qc_screen_in_chinese_fits_80x24() {
    let (_d, p) = qc_dataset();
    let mut z = app(&p, "reviewer1", Role::Reviewer, Lang::Zh);
    press(&mut z, &[key('7'), key('c')]);
    let s = screen(&mut z, 80, 24);
    assert!(s.contains("稽查质检 2026-11"), "{s}");
    assert!(s.contains("审核通过工单抽检"), "{s}");
    assert!(s.contains(T), "{s}");
    assert!(s.contains("白名单管理检查"), "{s}");
    // The previous month has no sample.
    press(&mut z, &[key('[')]);
    assert_eq!(st(&z).month, "2026-10");
    let s = screen(&mut z, 80, 24);
    assert!(s.contains("尚未抽样"), "{s}");
}

#[test]
fn the_ticket_page_shows_the_proposed_deduction() {
    let (_d, p) = qc_dataset();
    let mut ds = Dataset::open(&p).unwrap();
    act(
        &mut ds,
        &ctx("auditor1", Role::Auditor, Lang::En),
        &Action::TicketCreate {
            findings: vec![2],
            unit: None,
            person: None,
            due: None,
            requirement: "退补电费".into(),
        },
    )
    .unwrap();
    drop(ds);
    for (lang, says) in [
        (Lang::En, "business 城关供电所 −2 points (proposed 2)"),
        (Lang::Zh, "业务评价 城关供电所 −2 分 (拟扣 2)"),
    ] {
        let mut a = app(&p, "reviewer1", Role::Reviewer, lang);
        press(&mut a, &[key('5'), code(KeyCode::Enter)]);
        let page = a.screen_state::<TicketPage>().unwrap();
        assert_eq!(page.number, "JC-20261102-002");
        assert_eq!(page.deductions.len(), 1);
        assert_eq!(page.deductions[0].points, 2.0);
        for (w, h) in [(80, 24), (120, 30)] {
            let s = screen(&mut a, w, h);
            assert!(s.contains(says), "{w}x{h}: {s}");
        }
    }
}
