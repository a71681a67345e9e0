//! The 督办单 (escalation notices) on the dashboard: the count in the header, the escalated
//! units in the ticket panel at 80×24 and 120×30 in both languages, and the key that lists
//! the open notices and shows one.

mod ui_fixture;

use jicha::actions::escalation::{run, Trigger};
use jicha::actions::{perform, Action};
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::ui::app::App;
use jicha::ui::dialog::{Choice, DialogKind, Page};
use std::path::Path;
use ui_fixture::*;

/// Two tickets issued 2026-10-20, both past escalate_after_days on TODAY (2026-11-02):
/// 城关供电所's (head 张所长) due 2026-10-25, 开发区供电所's (no head) due 2026-10-28.
fn escalated(path: &Path) {
    let mut ds = Dataset::open(path).unwrap();
    ds.write(|tx| {
        tx.execute_batch(
            "INSERT INTO units(name, parent, level, head, import_id, src_line) VALUES
               ('西湖区', NULL, 'county', NULL, 1, 2),
               ('滨江区', NULL, 'county', NULL, 1, 3),
               ('East', NULL, 'county', NULL, 1, 4),
               ('城关供电所', '西湖区', 'station', '张所长', 1, 5),
               ('开发区供电所', '滨江区', 'station', NULL, 1, 6),
               ('Riverside station', 'East', 'station', NULL, 1, 7);",
        )?;
        Ok(())
    })
    .unwrap();
    let mut a = ctx("auditor1", Role::Auditor, Lang::En);
    a.today = day("2026-10-20");
    for (finding, due) in [(1, "2026-10-25"), (5, "2026-10-28")] {
        perform(
            &mut ds,
            &a,
            &Action::TicketCreate {
                findings: vec![finding],
                unit: None,
                person: None,
                due: Some(day(due)),
                requirement: "核实并整改".into(),
            },
        )
        .unwrap();
    }
    let centre = ctx("auditor1", Role::Auditor, Lang::En);
    run(&mut ds, &centre, Trigger::Command).unwrap();
}

fn status_line(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn the_dashboard_shows_the_open_notices_and_their_units_at_both_sizes_and_languages() {
    let (_d, p) = dataset();
    escalated(&p);
    for lang in [Lang::En, Lang::Zh] {
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        for (w, h) in [(80, 24), (120, 30)] {
            let s = screen(&mut a, w, h);
            let (units, alerts, queue) = match lang {
                Lang::En => (
                    "Escalations 2: 城关供电所, 开发区供电所",
                    "Daily alerts",
                    "JC-20261020-001",
                ),
                Lang::Zh => (
                    "督办单 2：城关供电所、开发区供电所",
                    "今日预警",
                    "JC-20261020-001",
                ),
            };
            assert!(s.contains(units), "{lang:?} {w}x{h}:\n{s}");
            // Nothing important gives way: the alerts, the queue's most urgent ticket, the
            // header's counts.
            assert!(s.contains(alerts), "{lang:?} {w}x{h}:\n{s}");
            assert!(s.contains(queue), "{lang:?} {w}x{h}:\n{s}");
            let header = s.lines().nth(1).unwrap();
            let expiring = if lang == Lang::En {
                "whitelist expiring"
            } else {
                "白名单将到期"
            };
            assert!(header.contains(expiring), "{lang:?} {w}x{h}: {header}");
            if lang == Lang::Zh || w >= 120 {
                let count = if lang == Lang::En {
                    "Escalations 2"
                } else {
                    "督办单 2"
                };
                assert!(header.contains(count), "{lang:?} {w}x{h}: {header}");
            }
        }
    }
}

#[test]
fn the_key_lists_the_open_notices_and_shows_one() {
    let (_d, p) = dataset();
    escalated(&p);
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    press(&mut a, &[key('e')]);
    assert_eq!(a.dialog_kind(), Some(DialogKind::Choice));
    let items = a.dialog_as::<Choice>().unwrap().items.clone();
    assert_eq!(items.len(), 2);
    assert!(
        items[0].contains("DB-20261102-001") && items[0].contains("城关供电所"),
        "{items:?}"
    );
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("督办中的督办单"), "{s}");

    press(&mut a, &[code(crossterm::event::KeyCode::Enter)]);
    assert_eq!(
        a.dialog_kind(),
        Some(DialogKind::Page),
        "{}",
        status_line(&a)
    );
    let page = a.dialog_as::<Page>().unwrap().lines.join("\n");
    for want in [
        "稽查工作督办单",
        "编号：DB-20261102-001",
        "致：城关供电所 负责人 张所长",
        "JC-20261020-001",
        "接收单位负责人签字",
    ] {
        assert!(page.contains(want), "`{want}` missing:\n{page}");
    }
    let line = page
        .lines()
        .find(|l| l.contains("JC-20261020-001"))
        .unwrap();
    assert!(
        line.split_whitespace().any(|w| w == "8"),
        "8 days overdue: {line}"
    );
    for (w, h) in [(80, 24), (120, 30)] {
        let s = screen(&mut a, w, h);
        assert!(s.contains("稽查工作督办单"), "{w}x{h}:\n{s}");
        assert!(s.contains("JC-20261020-001"), "{w}x{h}:\n{s}");
    }
    // The second notice, by its number in the list: addressed to the unit itself.
    press(&mut a, &[key('x'), key('e'), key('2')]);
    let page = a.dialog_as::<Page>().unwrap().lines.join("\n");
    assert!(
        page.contains("致：开发区供电所 （未登记负责人：直接发至该单位）"),
        "{page}"
    );
    press(&mut a, &[key('x')]);
    assert_eq!(a.dialog_kind(), None);
}

#[test]
fn the_key_says_so_when_no_notice_is_open() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('e')]);
    assert_eq!(a.dialog_kind(), None);
    assert_eq!(status_line(&a), "No open escalation notice.");
    let s = screen(&mut a, 80, 24);
    assert!(!s.contains("Escalations"), "{s}");
}
