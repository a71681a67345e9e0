//! The two-level review and the archive in the UI (issue 13 item 3): the ticket page shows who
//! gave the first review, who approved, who archived; its footer offers the review, approve and
//! archive keys only where the ticket's state allows them; the queues include 待复核 and 已归档.

mod ui_fixture;

use jicha::actions::{perform, Action};
use jicha::context::{Ctx, Lang, Role};
use jicha::db::Dataset;
use jicha::ui::app::{App, ScreenId, Tone};
use jicha::ui::dialog::Confirm;
use jicha::ui::screen::ticket_page::TicketPage;
use jicha::ui::screen::tickets::Tickets;
use std::path::Path;
use ui_fixture::*;

const N: &str = "JC-20261102-001";

/// review_levels = 2 and ticket N (findings 2 and 4, 城关供电所 under 西湖区) submitted by
/// auditor1.
fn two_levels_with_a_submitted_ticket(p: &Path) {
    let mut ds = Dataset::open(p).unwrap();
    let at = |who: &str, role| ctx(who, role, Lang::En);
    perform(
        &mut ds,
        &at("admin1", Role::Admin),
        &Action::ThresholdSet {
            name: "review_levels".into(),
            value: "2".into(),
        },
    )
    .unwrap();
    let a = at("auditor1", Role::Auditor);
    perform(
        &mut ds,
        &a,
        &Action::TicketCreate {
            findings: vec![2, 4],
            unit: None,
            person: Some("赵工".into()),
            due: None,
            requirement: "核实负电费原因".into(),
        },
    )
    .unwrap();
    perform(
        &mut ds,
        &a,
        &Action::TicketSubmit {
            number: N.into(),
            cause: "表计接线错误".into(),
            measures: "更换接线盒".into(),
            recovered: Some(111.5),
        },
    )
    .unwrap();
}

fn bound(who: &str, unit: &str, lang: Lang) -> Ctx {
    Ctx {
        unit: Some(unit.into()),
        ..ctx(who, Role::Reviewer, lang)
    }
}

fn state(app: &App) -> String {
    jicha::tickets::get(&app.ds.conn, N, day(TODAY))
        .unwrap()
        .state
        .to_string()
}

/// The footer as drawn (the key hints while no outcome is shown).
fn footer(app: &mut App, w: u16, h: u16) -> String {
    let s = screen(app, w, h);
    s.lines().last().unwrap().to_string()
}

/// The keys the screen on top offers in its footer, by their keymap names.
fn offered(app: &App) -> Vec<&'static str> {
    app.current()
        .unwrap()
        .hints()
        .iter()
        .map(|a| a.name())
        .collect()
}

fn question(app: &App) -> String {
    match app.dialog_as::<Confirm>() {
        Some(Confirm { question, .. }) => question.clone(),
        _ => panic!("expected a confirmation"),
    }
}

fn status_line(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// 西湖区's reviewer gives the first review from the list and the page; the second is refused.
fn first_review_by_west(p: &Path) {
    // 西湖区's reviewer: the list's footer offers the first review, not the approval.
    let mut u = app_with(
        p,
        bound("rev_west", "西湖区", Lang::En),
        "default",
        true,
        false,
    );
    jicha::ui::screen::tickets::TK_VIEWS
        .iter()
        .find(|v| **v == "reviewed")
        .expect("a reviewed queue");
    press(&mut u, &[key('5')]);
    assert_eq!(
        u.screen_state::<Tickets>()
            .unwrap()
            .current()
            .unwrap()
            .number,
        N
    );
    let f = footer(&mut u, 80, 24);
    assert!(
        f.contains("V first review") && f.contains("R return"),
        "{f}"
    );
    assert!(!f.contains("approve") && !f.contains("ack"), "{f}");
    press(&mut u, &[code(crossterm::event::KeyCode::Enter)]);
    assert_eq!(u.screen, ScreenId::Ticket);
    press(&mut u, &[key('V')]);
    let q = question(&u);
    assert!(q.contains(N) && q.contains("first review"), "{q}");
    press(&mut u, &[key('y')]);
    assert_eq!(state(&u), "reviewed", "{}", status_line(&u));
    let page = screen(&mut u, 80, 24);
    assert!(
        page.contains("State: reviewed") && page.contains("First review: 2026-11-02 by rev_west"),
        "{page}"
    );
    assert_eq!(offered(&u), ["approve", "return", "cancel", "open", "back"]);
    // The unit's reviewer cannot give the second review: refused, saying whose it is.
    press(&mut u, &[key('A'), key('y')]);
    assert_eq!(u.status.as_ref().unwrap().tone, Tone::Error);
    assert!(
        status_line(&u).contains("audit centre"),
        "{}",
        status_line(&u)
    );
    assert_eq!(state(&u), "reviewed");
}

/// The audit centre approves from its 待复核 queue, then archives; the archived page refuses
/// every transition key at once.
fn centre_approves_and_archives(p: &Path) {
    // The audit centre approves from its queue of reviewed tickets (待复核).
    let mut c = app(p, "reviewer1", Role::Reviewer, Lang::Zh);
    press(&mut c, &[key('5')]);
    // Its open queue: the reviewed ticket offers the approval, no longer the first review.
    let f = footer(&mut c, 80, 24);
    assert!(f.contains("A 通过") && !f.contains("V 初审"), "{f}");
    while c.screen_state::<Tickets>().unwrap().view_name() != "reviewed" {
        press(&mut c, &[key('v')]);
    }
    let list = screen(&mut c, 80, 24);
    assert!(
        list.contains("[待复核 1]") && list.contains("已归档 0"),
        "{list}"
    );
    insta::assert_snapshot!("review_queue_zh_80x24", list);
    press(
        &mut c,
        &[code(crossterm::event::KeyCode::Enter), key('A'), key('y')],
    );
    assert_eq!(state(&c), "approved", "{}", status_line(&c));
    let page = screen(&mut c, 80, 24);
    assert!(
        page.contains("初审: 2026-11-02 经办 rev_west")
            && page.contains("复核: 2026-11-02 经办 reviewer1"),
        "{page}"
    );
    assert_eq!(offered(&c), ["archive", "open", "back"]);
    press(&mut c, &[key('Z')]);
    assert!(question(&c).contains("只读"), "{}", question(&c));
    press(&mut c, &[key('y')]);
    assert_eq!(state(&c), "archived", "{}", status_line(&c));
    insta::assert_snapshot!("archived_page_zh_80x24", screen(&mut c, 80, 24));
    assert_eq!(offered(&c), ["open", "back"]);
    // Any transition key on it is refused at once, saying why; no dialog opens.
    for k in ['X', 'a', 's', 'A', 'R'] {
        press(&mut c, &[key(k)]);
        assert!(c.dialog().is_none(), "{k} opened a dialog");
        assert!(
            status_line(&c).contains("已归档"),
            "{k}: {}",
            status_line(&c)
        );
    }
    assert_eq!(state(&c), "archived");
}

/// The archived ticket's page at 80×24 and 120×30 in both languages: every step of the chain
/// shown whole.
fn archived_page_everywhere(p: &Path) {
    // The same page in English at 120×30: the whole chain, each step whole, beside the history.
    let mut e = app(p, "auditor1", Role::Auditor, Lang::En);
    press(&mut e, &[key('5')]);
    while e.screen_state::<Tickets>().unwrap().view_name() != "archived" {
        press(&mut e, &[key('v')]);
    }
    press(&mut e, &[code(crossterm::event::KeyCode::Enter)]);
    assert_eq!(e.screen_state::<TicketPage>().unwrap().number, N);
    let page = screen(&mut e, 120, 30);
    for part in [
        "Submitted: 2026-11-02 by auditor1",
        "First review: 2026-11-02 by rev_west",
        "Approved: 2026-11-02 by reviewer1",
        "Archived: 2026-11-02 by reviewer1",
    ] {
        assert!(page.contains(part), "{part}:\n{page}");
    }
    insta::assert_snapshot!("archived_page_en_120x30", page);

    // Every supported size, both languages: each step of the chain shown whole.
    let mut z = app(p, "auditor1", Role::Auditor, Lang::Zh);
    press(&mut z, &[key('5')]);
    while z.screen_state::<Tickets>().unwrap().view_name() != "archived" {
        press(&mut z, &[key('v')]);
    }
    press(&mut z, &[code(crossterm::event::KeyCode::Enter)]);
    let parts = |lang| match lang {
        Lang::En => [
            "First review: 2026-11-02 by rev_west",
            "Approved: 2026-11-02 by reviewer1",
            "Archived: 2026-11-02 by reviewer1",
        ],
        Lang::Zh => [
            "初审: 2026-11-02 经办 rev_west",
            "复核: 2026-11-02 经办 reviewer1",
            "归档: 2026-11-02 经办 reviewer1",
        ],
    };
    for (a, lang) in [(&mut e, Lang::En), (&mut z, Lang::Zh)] {
        for (w, h) in [(80, 24), (120, 30)] {
            let page = screen(a, w, h);
            for part in parts(lang) {
                assert!(page.contains(part), "{w}×{h} {lang:?}: {part}\n{page}");
            }
        }
    }
}

#[test]
fn first_review_by_the_unit_then_the_centre_approves_and_archives() {
    let (_d, p) = dataset();
    two_levels_with_a_submitted_ticket(&p);
    first_review_by_west(&p);
    centre_approves_and_archives(&p);
    archived_page_everywhere(&p);
}
