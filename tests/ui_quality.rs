//! The quality evaluation (7) and theme analysis (8) screens: keys in, what an operator sees,
//! and the file the export writes.
//!
//! On top of the UI fixture: ticket JC-20261102-001 for findings 1 and 2 (城关供电所, C001),
//! a business deduction of 5 on it dated 2026-11-02, a direct deduction `major` (3 points)
//! against 城关 dated 2026-10-15, and a bonus of 2 for 开发区供电所 dated 2026-11-01.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::actions::{perform as act, Action};
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::quality::actions::{perform, QualityAction as Q};
use jicha::quality::Selector;
use jicha::ui::app::{App, ScreenId};
use jicha::ui::dialog::{DialogKind, Prompt};
use jicha::ui::render;
use jicha::ui::screen::quality::Quality;
use jicha::ui::screen::quality_drill::{drill_items, DrillItem, QualityDrill};
use jicha::ui::screen::quality_value::Ask;
use jicha::ui::screen::theme::ThemeScreen;
use jicha::ui::screen::ticket_page::TicketPage;
use std::path::{Path, PathBuf};
use ui_fixture::*;

const GUAN: &str = "城关供电所";
const KAIFA: &str = "开发区供电所";
const XIHU: &str = "西湖区";

fn quality_dataset() -> (tempfile::TempDir, PathBuf) {
    let (d, p) = dataset();
    let mut ds = Dataset::open(&p).unwrap();
    act(
        &mut ds,
        &ctx("auditor1", Role::Auditor, Lang::En),
        &Action::TicketCreate {
            findings: vec![1, 2],
            unit: None,
            person: None,
            due: None,
            requirement: "整改".into(),
        },
    )
    .unwrap();
    let rev = ctx("reviewer1", Role::Reviewer, Lang::En);
    for q in [
        Q::BusinessDeduct {
            ticket: "JC-20261102-001".into(),
            points: 5.0,
            reason: "抄表差错".into(),
            unit: None,
            date: Some(day("2026-11-02")),
        },
        Q::DirectDeduct {
            unit: GUAN.into(),
            level: "major".into(),
            reason: "差错".into(),
            date: Some(day("2026-10-15")),
        },
        Q::Bonus {
            unit: KAIFA.into(),
            points: 2.0,
            reason: "追补电费突出".into(),
            date: Some(day("2026-11-01")),
        },
    ] {
        perform(&mut ds, &rev, &q).unwrap();
    }
    drop(ds);
    (d, p)
}

fn q(a: &App) -> &Quality {
    a.screen_state::<Quality>().unwrap()
}

fn qd(a: &App) -> &QualityDrill {
    a.screen_state::<QualityDrill>().unwrap()
}

fn th(a: &App) -> &ThemeScreen {
    a.screen_state::<ThemeScreen>().unwrap()
}

fn both(name: &str, app: &mut App) {
    insta::assert_snapshot!(format!("{name}_80x24"), screen(app, 80, 24));
    insta::assert_snapshot!(format!("{name}_160x48"), screen(app, 160, 48));
}

fn composite(app: &App, unit: &str) -> f64 {
    q(app)
        .data
        .as_ref()
        .and_then(|e| e.unit(unit))
        .map(|u| u.composite)
        .unwrap()
}

/// Moves the cursor of the quality ranking to `unit`.
fn cursor_to(app: &mut App, unit: &str) {
    let at = q(app).rows().iter().position(|u| u.unit == unit).unwrap();
    press(app, &[key('g')]);
    for _ in 0..at {
        press(app, &[key('j')]);
    }
    assert_eq!(q(app).current().unwrap().unit, unit);
}

fn status_line(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn quality_screens() {
    let (_d, p) = quality_dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('7')]);
    cursor_to(&mut a, GUAN);
    both("quality_en", &mut a);
    let mut z = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    press(&mut z, &[key('7')]);
    both("quality_zh", &mut z);
    // Districts, then a district's stations.
    press(&mut a, &[key('v')]);
    insta::assert_snapshot!("quality_districts_en_80x24", screen(&mut a, 80, 24));
    cursor_to(&mut a, XIHU);
    press(&mut a, &[code(KeyCode::Enter)]);
    insta::assert_snapshot!("quality_district_stations_en_80x24", screen(&mut a, 80, 24));
    // A station's drill-down.
    cursor_to(&mut a, GUAN);
    press(&mut a, &[code(KeyCode::Enter)]);
    both("quality_drill_en", &mut a);
    press(&mut z, &[code(KeyCode::Enter)]);
    insta::assert_snapshot!("quality_drill_zh_80x24", screen(&mut z, 80, 24));
}

#[test]
fn quality_without_colour_in_ascii() {
    let (_d, p) = quality_dataset();
    let mut a = app_with(
        &p,
        ctx("auditor1", Role::Auditor, Lang::En),
        "default",
        false,
        true,
    );
    press(&mut a, &[key('7')]);
    cursor_to(&mut a, GUAN);
    let s = screen(&mut a, 80, 24);
    // Braille and box lines are not ASCII: without them the chart is `*` and `.`.
    let plot: String = s.lines().skip(14).collect();
    assert!(plot
        .chars()
        .all(|c| c.is_ascii() || ('\u{4e00}'..='\u{9fff}').contains(&c)));
    assert!(plot.contains('*'));
    insta::assert_snapshot!("quality_no_color_ascii_80x24", s);
}

#[test]
fn switching_the_period_changes_the_numbers() {
    let (_d, p) = quality_dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('7')]);
    assert_eq!(q(&a).period.label(), "2026-11");
    let nov = composite(&a, GUAN);
    assert_eq!(q(&a).data.as_ref().unwrap().period, "2026-11");
    // The next period is in the future: the key does nothing.
    press(&mut a, &[key(']')]);
    assert_eq!(q(&a).period.label(), "2026-11");
    press(&mut a, &[key('[')]);
    assert_eq!(q(&a).period.label(), "2026-10");
    assert_eq!(q(&a).data.as_ref().unwrap().period, "2026-10");
    let oct = composite(&a, GUAN);
    assert_ne!(
        nov, oct,
        "October carries the direct deduction, November the business one"
    );
    // October: 3 points of direct deduction against 城关 and nothing else of its own.
    let u = q(&a).data.as_ref().unwrap().unit(GUAN).unwrap().clone();
    assert!((u.direct - 3.0).abs() < 1e-9);
    let screen_text = screen(&mut a, 160, 48);
    assert!(screen_text.contains("2026-10"));
    assert!(screen_text.contains(&format!("{:.1}", oct)));
    // The trend ends with the period shown and covers 6 of its length.
    let (unit, period, pts) = q(&a).trend.clone().unwrap();
    assert_eq!(unit, q(&a).current().unwrap().unit);
    assert_eq!(period.label(), "2026-10");
    assert_eq!(pts.len(), 6);
    assert_eq!(pts.last().unwrap().period, "2026-10");
    // Quarter, half-year, then year, then back to the month.
    press(&mut a, &[key('p')]);
    assert_eq!(q(&a).period.label(), "2026-Q4");
    assert_eq!(q(&a).data.as_ref().unwrap().period, "2026-Q4");
    assert!(screen(&mut a, 80, 24).contains("[Quarter]"));
    press(&mut a, &[key('[')]);
    assert_eq!(q(&a).period.label(), "2026-Q3");
    press(&mut a, &[key(']'), key('p')]);
    assert_eq!(q(&a).period.label(), "2026-H2");
    assert_eq!(q(&a).data.as_ref().unwrap().period, "2026-H2");
    press(&mut a, &[key('p')]);
    assert_eq!(q(&a).period.label(), "2026");
    // Back to months: the one holding the year's end, never past the business date.
    press(&mut a, &[key('p')]);
    assert_eq!(q(&a).period.label(), "2026-11");
}

#[test]
fn drill_from_district_to_station_to_a_finding_and_a_ticket() {
    let (_d, p) = quality_dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('7'), key('v')]);
    cursor_to(&mut a, XIHU);
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(a.screen, ScreenId::Quality);
    assert_eq!(q(&a).within.as_deref(), Some(XIHU));
    let units: Vec<String> = q(&a).rows().iter().map(|u| u.unit.clone()).collect();
    assert_eq!(units, vec![GUAN.to_string()]);
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(a.screen, ScreenId::QualityDrill);
    let d = qd(&a).data.as_ref().unwrap().clone();
    assert_eq!(d.score.unit, GUAN);
    let items = drill_items(&d);
    // The business deduction, the ticket, then findings 1, 2, 4, 6, 9 first seen in November.
    let at = items
        .iter()
        .position(|it| matches!(it, DrillItem::Finding(i) if d.findings[*i].id == 2))
        .unwrap();
    for _ in 0..at {
        press(&mut a, &[key('j')]);
    }
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(a.screen, ScreenId::Detail);
    assert_eq!(detail(&a).unwrap().id, 2);
    // Back to the drill-down, then the ticket line opens the ticket's page.
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_eq!(a.screen, ScreenId::QualityDrill);
    let tk = items
        .iter()
        .position(|it| matches!(it, DrillItem::Ticket(_)))
        .unwrap();
    press(&mut a, &[key('g')]);
    for _ in 0..tk {
        press(&mut a, &[key('j')]);
    }
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(a.screen, ScreenId::Ticket);
    assert_eq!(
        a.screen_state::<TicketPage>().unwrap().number,
        "JC-20261102-001"
    );
    // Esc walks back: drill-down, the county's units, the counties.
    press(&mut a, &[code(KeyCode::Esc), code(KeyCode::Esc)]);
    assert_eq!(a.screen, ScreenId::Quality);
    assert_eq!(q(&a).within.as_deref(), Some(XIHU));
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_eq!(q(&a).within, None);
    assert_eq!(q(&a).level, Some(jicha::quality::Level::County));
    assert_eq!(q(&a).current().unwrap().unit, XIHU);
}

/// Theme on billing (BIL-05: findings 2 and 4, both 城关 in November).
fn billing(a: &mut App) {
    press(a, &[key('8'), key('c')]);
    assert!(matches!(
        th(a).selector,
        Selector::Category(jicha::rules::catalogue::Category::Billing)
    ));
}

#[test]
fn theme_screens() {
    let (_d, p) = quality_dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('8')]);
    both("theme_archive_en", &mut a);
    let mut z = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    press(&mut z, &[key('8')]);
    insta::assert_snapshot!("theme_archive_zh_80x24", screen(&mut z, 80, 24));
    // Archive: district → station → months (line chart) → findings.
    press(&mut a, &[code(KeyCode::Enter)]);
    insta::assert_snapshot!("theme_stations_en_80x24", screen(&mut a, 80, 24));
    press(&mut a, &[code(KeyCode::Enter)]);
    both("theme_months_en", &mut a);
    press(&mut a, &[code(KeyCode::Enter)]);
    insta::assert_snapshot!("theme_findings_en_80x24", screen(&mut a, 80, 24));
}

#[test]
fn theme_drills_to_the_findings_of_a_station_month() {
    let (_d, p) = quality_dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    billing(&mut a);
    let t = th(&a).data.as_ref().unwrap();
    assert_eq!(t.total.findings, 2);
    assert_eq!(th(&a).items()[0].0, XIHU);
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(th(&a).items()[0].0, GUAN);
    press(&mut a, &[code(KeyCode::Enter)]);
    let months: Vec<String> = th(&a).items().iter().map(|(m, _)| m.to_string()).collect();
    assert_eq!(months, vec!["2026-11".to_string()]);
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(th(&a).depth(), 3);
    let ids: Vec<i64> = th(&a)
        .findings
        .as_ref()
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, vec![2, 4]);
    press(&mut a, &[key('j'), code(KeyCode::Enter)]);
    assert_eq!(a.screen, ScreenId::Detail);
    assert_eq!(detail(&a).unwrap().id, 4);
    // Esc: back to the list, then up the levels to the counties.
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_eq!((a.screen, th(&a).depth()), (ScreenId::Theme, 3));
    press(
        &mut a,
        &[code(KeyCode::Esc), code(KeyCode::Esc), code(KeyCode::Esc)],
    );
    assert_eq!(th(&a).depth(), 0);
    // A single rule as the theme: ARC-04 has findings 1 (城关) and 6 (城关).
    press(&mut a, &[key('r')]);
    type_text(&mut a, "arc-04");
    press(&mut a, &[code(KeyCode::Enter)]);
    assert!(a.dialog().is_none());
    assert_eq!(th(&a).selector, Selector::Rule("ARC-04".into()));
    assert_eq!(th(&a).data.as_ref().unwrap().total.findings, 2);
    // An unknown rule is refused in the prompt.
    press(&mut a, &[key('r')]);
    for _ in 0..6 {
        press(&mut a, &[code(KeyCode::Backspace)]);
    }
    type_text(&mut a, "NOPE-1");
    press(&mut a, &[code(KeyCode::Enter)]);
    match a.dialog_as::<Prompt>() {
        Some(p) => assert!(p.error.as_deref().unwrap().contains("unknown rule")),
        _ => panic!("the prompt stays open with the error"),
    }
}

fn export_to(a: &mut App, path: &Path) {
    press(a, &[key('e')]);
    let default = match a.dialog_as::<Prompt>() {
        Some(p) => p.text(),
        _ => panic!("export asks for the file"),
    };
    for _ in 0..default.chars().count() {
        press(a, &[code(KeyCode::Backspace)]);
    }
    type_text(a, &path.display().to_string());
    press(a, &[code(KeyCode::Enter)]);
}

#[test]
fn export_writes_the_theme_rows_as_csv() {
    let (d, p) = quality_dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    billing(&mut a);
    press(&mut a, &[key('e')]);
    match a.dialog_as::<Prompt>() {
        Some(p) => assert_eq!(p.text(), "./theme-billing-2026-11-02.csv"),
        _ => panic!("export asks for the file, with the default filled in"),
    }
    press(&mut a, &[code(KeyCode::Esc)]);
    let out = d.path().join("billing.csv");
    export_to(&mut a, &out);
    assert!(a.dialog().is_none(), "{}", status_line(&a));
    assert!(status_line(&a).contains(&out.display().to_string()));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "\u{feff}parent,station,month,findings,amount_yuan,open,rectified\n\
         西湖区,城关供电所,2026-11,2,111.00,2,0\n"
    );
    // Archive spans three stations and two months; the file is replaced whole.
    press(
        &mut a,
        &[key('c'), key('c'), key('c'), key('c'), key('c'), key('c')],
    );
    assert!(matches!(
        th(&a).selector,
        Selector::Category(jicha::rules::catalogue::Category::Archive)
    ));
    export_to(&mut a, &out);
    let text = std::fs::read_to_string(&out).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    let expect: Vec<String> = std::iter::once(
        "\u{feff}parent,station,month,findings,amount_yuan,open,rectified".to_string(),
    )
    .chain(th(&a).data.as_ref().unwrap().rows().iter().map(|r| {
        format!(
            "{},{},{},{},{:.2},{},{}",
            r.parent,
            r.station,
            r.month,
            r.counts.findings,
            r.counts.amount_yuan,
            r.counts.open,
            r.counts.rectified
        )
    }))
    .collect();
    assert_eq!(rows, expect);
    assert!(rows.len() >= 4, "{text}");
    // No temporary file is left beside it.
    let left: Vec<String> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // A directory that does not exist: the prompt says why and stays open.
    export_to(&mut a, &d.path().join("no/such/dir/x.csv"));
    assert!(a.dialog_as::<Prompt>().is_some_and(|p| p.error.is_some()));
}

#[test]
fn help_lists_the_new_keys() {
    let (_d, p) = quality_dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('?')]);
    let text: String = render::help_lines(&a)
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
                + "\n"
        })
        .collect();
    for want in [
        "quality evaluation",
        "theme analysis",
        "previous period",
        "export the theme as CSV",
        "Quality evaluation",
        "Theme analysis",
    ] {
        assert!(text.contains(want), "{want} missing from\n{text}");
    }
}

/// Adds manual indicators as an admin: an enabled station one (returned), a disabled station
/// one and a district one, which the picker must leave out.
fn manual_indicators(p: &Path) -> i64 {
    use jicha::quality::indicators::{Direction, IndicatorSpec, Kind, Level as L, Source};
    let mut ds = Dataset::open(p).unwrap();
    let admin = ctx("admin1", Role::Admin, Lang::En);
    let spec = |name: &str, level: L| IndicatorSpec {
        category: "营销管理".into(),
        name: name.into(),
        kind: Kind::Process,
        level,
        base_value: 0.9,
        full_value: 1.0,
        full_score: 50.0,
        direction: Direction::Higher,
        source: Source::Manual,
    };
    for (name, level) in [
        ("电费回收率", L::Station),
        ("停用指标", L::Station),
        ("区县回收率", L::County),
    ] {
        perform(&mut ds, &admin, &Q::IndicatorAdd(spec(name, level))).unwrap();
    }
    let id: i64 = ds
        .conn
        .query_row(
            "SELECT id FROM quality_indicators WHERE name = '电费回收率'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let off: i64 = ds
        .conn
        .query_row(
            "SELECT id FROM quality_indicators WHERE name = '停用指标'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    perform(
        &mut ds,
        &admin,
        &Q::IndicatorEnable {
            id: off,
            enabled: false,
        },
    )
    .unwrap();
    id
}

fn stored(p: &Path, id: i64) -> (Option<f64>, i64) {
    let ds = Dataset::open(p).unwrap();
    let v = jicha::quality::indicators::manual_value(&ds.conn, id, GUAN, "2026-11").unwrap();
    let logs: i64 = ds
        .conn
        .query_row(
            "SELECT count(*) FROM action_log WHERE action = 'quality.value.set' AND target = ?1",
            [format!("indicator:{id}")],
            |r| r.get(0),
        )
        .unwrap();
    (v, logs)
}

/// Opens 城关's drill-down for the period on screen.
fn drill_guan(a: &mut App) {
    press(a, &[key('7')]);
    cursor_to(a, GUAN);
    press(a, &[code(KeyCode::Enter)]);
    assert_eq!(a.screen, ScreenId::QualityDrill);
}

#[test]
fn a_reviewer_enters_a_manual_value_on_the_drill_down() {
    let (_d, p) = quality_dataset();
    let id = manual_indicators(&p);
    let mut a = app(&p, "reviewer1", Role::Reviewer, Lang::En);
    drill_guan(&mut a);
    assert!(screen(&mut a, 160, 48).contains("电费回收率: — not applicable"));
    press(&mut a, &[key('e')]);
    match a.dialog_tag::<Ask>() {
        Some(Ask::Indicator { unit, items, .. }) => {
            assert_eq!(unit, GUAN);
            let names: Vec<&str> = items.iter().map(|i| i.name.as_str()).collect();
            assert_eq!(names, vec!["电费回收率"], "enabled, manual, station only");
        }
        _ => panic!("e opens the indicator picker"),
    }
    press(&mut a, &[code(KeyCode::Enter)]);
    assert!(a.dialog_kind() == Some(DialogKind::Prompt));
    let s = screen(&mut a, 160, 48);
    assert!(s.contains("Value of 电费回收率"), "{s}");
    assert!(
        s.contains("base 0.9 (0 points) → full mark 1 (50 points)"),
        "{s}"
    );
    type_text(&mut a, "0.95");
    press(&mut a, &[code(KeyCode::Enter)]);
    assert!(a.dialog().is_none(), "{}", status_line(&a));
    assert!(
        status_line(&a).contains("电费回收率"),
        "{}",
        status_line(&a)
    );
    assert_eq!(stored(&p, id), (Some(0.95), 1));
    // Halfway from base to full mark: 25 of 50 points, on the drill-down at once.
    let s = screen(&mut a, 160, 48);
    assert!(s.contains("电费回收率: 0.95 → 25.0/50.0"), "{s}");
    let d = qd(&a).data.as_ref().unwrap();
    let i = d.score.indicators.iter().find(|i| i.id == id).unwrap();
    assert_eq!(i.value, Some(0.95));
    // The ranking behind it was asked again too.
    let u = q(&a).data.as_ref().unwrap().unit(GUAN).unwrap();
    assert_eq!(
        u.indicators.iter().find(|i| i.id == id).unwrap().value,
        Some(0.95)
    );
    // Entering again shows the old value and replaces it; from the ranking this time.
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_eq!(a.screen, ScreenId::Quality);
    cursor_to(&mut a, GUAN);
    press(&mut a, &[key('e'), key('1')]);
    match a.dialog_as::<Prompt>() {
        Some(p) => assert_eq!(p.text(), "0.95"),
        _ => panic!("1 picks the first indicator"),
    }
    for _ in 0..4 {
        press(&mut a, &[code(KeyCode::Backspace)]);
    }
    type_text(&mut a, "1");
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(stored(&p, id), (Some(1.0), 2));
    assert!(status_line(&a).contains("was 0.95"), "{}", status_line(&a));
}

#[test]
fn entering_a_value_is_refused_below_reviewer() {
    let (_d, p) = quality_dataset();
    let id = manual_indicators(&p);
    for role in [Role::Auditor, Role::Viewer] {
        let mut a = app(&p, "someone", role, Lang::En);
        drill_guan(&mut a);
        press(&mut a, &[key('e')]);
        assert!(a.dialog().is_none());
        let s = screen(&mut a, 160, 48);
        assert!(
            s.contains("quality.value.set needs the reviewer role"),
            "{s}"
        );
        assert_eq!(stored(&p, id), (None, 0));
    }
}

#[test]
fn a_value_that_is_not_a_number_stays_in_the_prompt() {
    let (_d, p) = quality_dataset();
    let id = manual_indicators(&p);
    let mut a = app(&p, "reviewer1", Role::Reviewer, Lang::Zh);
    drill_guan(&mut a);
    press(&mut a, &[key('e'), code(KeyCode::Enter)]);
    for bad in ["0,95", "abc", "NaN", "inf", "1e3", "", "1.2.3"] {
        type_text(&mut a, bad);
        press(&mut a, &[code(KeyCode::Enter)]);
        match a.dialog_as::<Prompt>() {
            Some(p) => {
                assert!(p.error.as_deref().unwrap().contains("请输入数字"), "{bad}")
            }
            _ => panic!("{bad} is refused in the prompt"),
        }
        for _ in 0..bad.chars().count() {
            press(&mut a, &[code(KeyCode::Backspace)]);
        }
    }
    assert!(screen(&mut a, 160, 48).contains("请输入数字"));
    press(&mut a, &[code(KeyCode::Esc)]);
    assert!(a.dialog().is_none());
    assert_eq!(stored(&p, id), (None, 0));
}

#[test]
fn no_manual_indicator_says_so() {
    let (_d, p) = quality_dataset();
    let mut a = app(&p, "reviewer1", Role::Reviewer, Lang::En);
    drill_guan(&mut a);
    press(&mut a, &[key('e')]);
    assert!(a.dialog().is_none());
    assert!(status_line(&a).contains("No enabled manual indicator evaluates stations"));
}

/// The period keys on a unit's drill-down move the ranking behind it, and the drill-down
/// follows with the same period.
#[test]
fn a_period_key_on_the_drill_down_moves_the_ranking_too() {
    let (_d, p) = quality_dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    drill_guan(&mut a);
    assert_eq!(qd(&a).period.label(), "2026-11");
    press(&mut a, &[key('[')]);
    assert_eq!(a.screen, ScreenId::QualityDrill);
    assert_eq!(q(&a).period.label(), "2026-10");
    assert_eq!(q(&a).data.as_ref().unwrap().period, "2026-10");
    assert_eq!(qd(&a).period.label(), "2026-10");
    assert_eq!(qd(&a).unit, GUAN);
    assert!(qd(&a).data.is_some());
    // Back on the ranking, it shows the period the drill-down moved to.
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_eq!(a.screen, ScreenId::Quality);
    assert_eq!(q(&a).period.label(), "2026-10");
}
