//! Tickets and reports in the UI: keys in, dataset out, and what an operator sees.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::actions::{perform, Action};
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::ui::app::{App, ScreenId, Tone};
use jicha::ui::dialog::{Confirm, DialogKind, Form};
use jicha::ui::screen::reports::Reports;
use jicha::ui::screen::ticket_page::TicketPage;
use jicha::ui::screen::tickets::Tickets;
use std::path::Path;
use ui_fixture::*;

fn status_of(app: &App, id: i64) -> (String, Option<String>) {
    app.ds
        .conn
        .query_row(
            "SELECT status, resolution FROM findings WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

fn ticket(app: &App, number: &str) -> jicha::tickets::Ticket {
    jicha::tickets::get(&app.ds.conn, number, day(TODAY)).unwrap()
}

fn status_line(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn question(app: &App) -> String {
    match app.dialog_as::<Confirm>() {
        Some(Confirm { question, .. }) => question.clone(),
        _ => panic!("expected a confirmation"),
    }
}

fn both(name: &str, app: &mut App) {
    insta::assert_snapshot!(format!("{name}_80x24"), screen(app, 80, 24));
    insta::assert_snapshot!(format!("{name}_160x48"), screen(app, 160, 48));
}

/// Findings 4 and 2 (both 城关供电所) marked, a ticket made of them from the form.
/// The list in severity order is 5, 4, 2, 1, 6, 9, 3.
fn ticket_from_two_marked(a: &mut App) -> String {
    press(a, &[key('2'), key('j'), key(' '), key(' ')]);
    assert_eq!(list(a).marked.len(), 2);
    press(a, &[key('t')]);
    assert!(a.dialog_kind() == Some(DialogKind::Form));
    type_text(a, "核实负电费原因并追补电费\n两周内反馈");
    press(a, &[ctrl('s')]);
    let q = question(a);
    assert!(q.contains("2 findings"), "{q}");
    assert!(q.contains("城关供电所"), "the unit is prefilled: {q}");
    press(a, &[key('y')]);
    assert_eq!(
        a.status.as_ref().unwrap().tone,
        Tone::Info,
        "{}",
        status_line(a)
    );
    "JC-20261102-001".to_string()
}

#[test]
fn create_from_two_marked_findings() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    let n = ticket_from_two_marked(&mut a);
    for id in [4, 2] {
        assert_eq!(status_of(&a, id).0, "ticketed", "finding {id}");
    }
    assert_eq!(status_of(&a, 5).0, "new");
    assert!(list(&a).marked.is_empty());
    // The list on screen shows them ticketed.
    let shown: Vec<(i64, String)> = list(&a)
        .window
        .iter()
        .map(|r| (r.id, r.status.to_string()))
        .collect();
    assert!(shown.contains(&(4, "ticketed".into())), "{shown:?}");
    assert!(shown.contains(&(2, "ticketed".into())), "{shown:?}");
    let t = ticket(&a, &n);
    assert_eq!(t.unit, "城关供电所");
    assert_eq!(t.requirement, "核实负电费原因并追补电费\n两周内反馈");
    assert_eq!(t.due_on, "2026-11-09", "default: high severity, 7 days");
    assert_eq!(t.findings, 2);
    // The header counts it and the dashboard lists it.
    press(&mut a, &[key('1')]);
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("JC-20261102-001"), "{s}");
}

#[test]
fn the_form_refuses_an_empty_requirement_and_a_bad_date() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    // Findings 5 (开发区) and 4 (城关): mixed stations, the unit is left empty.
    press(&mut a, &[key('2'), key(' '), key(' '), key('t'), ctrl('s')]);
    match a.dialog_as::<Form>() {
        Some(f) => {
            assert!(f.error.as_deref().unwrap().contains("requirement"));
            assert_eq!(f.fields[1].text(), "", "mixed stations: no unit prefilled");
        }
        _ => panic!("the form stays open"),
    }
    type_text(&mut a, "现场核查");
    press(&mut a, &[ctrl('s')]);
    match a.dialog_as::<Form>() {
        Some(f) => assert_eq!(f.focus, 1, "the unit is asked for"),
        _ => panic!("the form stays open"),
    }
    type_text(&mut a, "城关供电所");
    press(&mut a, &[code(KeyCode::Tab), code(KeyCode::Tab)]);
    type_text(&mut a, "2026-10-01");
    press(&mut a, &[ctrl('s')]);
    match a.dialog_as::<Form>() {
        Some(f) => assert!(f.error.as_deref().unwrap().contains("YYYY-MM-DD")),
        _ => panic!("a date in the past is refused in the form"),
    }
    assert_eq!(status_of(&a, 5).0, "new");
}

#[test]
fn ack_submit_with_cjk_then_approve_by_another_reviewer() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    let n = ticket_from_two_marked(&mut a);
    press(&mut a, &[key('5')]);
    assert_eq!(a.screen, ScreenId::Tickets);
    assert_eq!(
        a.screen_state::<Tickets>()
            .unwrap()
            .current()
            .unwrap()
            .number,
        n
    );
    press(&mut a, &[key('a')]);
    assert_eq!(ticket(&a, &n).state, "rectifying", "{}", status_line(&a));
    // Submit from the ticket's page.
    press(&mut a, &[code(KeyCode::Enter), key('s')]);
    assert_eq!(a.screen, ScreenId::Ticket);
    type_text(&mut a, "表计接线错误，负电费系退补冲正\n已现场更正");
    press(&mut a, &[code(KeyCode::Tab)]);
    type_text(&mut a, "更换接线盒，加装封印");
    press(&mut a, &[code(KeyCode::Tab)]);
    type_text(&mut a, "111.5");
    press(&mut a, &[ctrl('s')]);
    assert!(a.dialog().is_none());
    let t = ticket(&a, &n);
    assert_eq!(t.state, "submitted", "{}", status_line(&a));
    assert_eq!(
        t.cause.as_deref(),
        Some("表计接线错误，负电费系退补冲正\n已现场更正")
    );
    assert_eq!(t.measures.as_deref(), Some("更换接线盒，加装封印"));
    assert_eq!(t.recovered_yuan, Some(111.5));
    assert_eq!(t.submitted_by.as_deref(), Some("auditor1"));
    // An auditor cannot approve: refused at the key, with the role named.
    press(&mut a, &[key('A')]);
    assert_eq!(a.status.as_ref().unwrap().tone, Tone::Error);
    assert!(status_line(&a).contains("reviewer"), "{}", status_line(&a));
    assert_eq!(ticket(&a, &n).state, "submitted");

    let mut b = app(&p, "reviewer1", Role::Reviewer, Lang::En);
    press(&mut b, &[key('5')]);
    assert_eq!(
        b.screen_state::<Tickets>()
            .unwrap()
            .current()
            .unwrap()
            .number,
        n
    );
    press(&mut b, &[key('A')]);
    let q = question(&b);
    assert!(q.contains(&n) && q.contains("2 findings"), "{q}");
    press(&mut b, &[key('y')]);
    let t = ticket(&b, &n);
    assert_eq!(t.state, "approved", "{}", status_line(&b));
    assert_eq!(t.approved_by.as_deref(), Some("reviewer1"));
    for id in [4, 2] {
        assert_eq!(
            status_of(&b, id),
            ("closed".to_string(), Some("rectified".to_string()))
        );
    }
    // The first operator's page shows the change after its next poll.
    a.refresh();
    a.settle();
    assert_eq!(
        a.screen_state::<TicketPage>()
            .unwrap()
            .ticket
            .as_ref()
            .unwrap()
            .state,
        "approved"
    );
}

#[test]
fn return_with_a_reason_then_cancel_puts_findings_back_to_confirmed() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    let n = ticket_from_two_marked(&mut a);
    press(&mut a, &[key('5'), key('s')]);
    type_text(&mut a, "原因");
    press(&mut a, &[code(KeyCode::Tab)]);
    type_text(&mut a, "措施");
    press(&mut a, &[ctrl('s')]);
    assert_eq!(ticket(&a, &n).state, "submitted", "{}", status_line(&a));

    let mut b = app(&p, "reviewer1", Role::Reviewer, Lang::Zh);
    press(&mut b, &[key('5'), key('R')]);
    assert!(b.dialog_kind() == Some(DialogKind::Editor));
    type_text(&mut b, "整改措施不完整，请补充现场照片");
    press(&mut b, &[ctrl('s')]);
    assert_eq!(ticket(&b, &n).state, "returned", "{}", status_line(&b));
    let ev = jicha::tickets::events(&b.ds.conn, ticket(&b, &n).id).unwrap();
    let last = ev.last().unwrap();
    assert_eq!(last.to_state, "returned");
    assert!(last.details.contains("整改措施不完整"), "{}", last.details);

    // Cancel from the page: a reason, then a question naming the ticket and the count.
    press(&mut a, &[code(KeyCode::Enter), key('X')]);
    type_text(&mut a, "重复派单");
    press(&mut a, &[ctrl('s')]);
    let q = question(&a);
    assert!(
        q.contains(&n) && q.contains("2 findings") && q.contains("confirmed"),
        "{q}"
    );
    assert_eq!(
        ticket(&a, &n).state,
        "returned",
        "nothing before the answer"
    );
    press(&mut a, &[key('y')]);
    assert_eq!(ticket(&a, &n).state, "cancelled", "{}", status_line(&a));
    for id in [4, 2] {
        assert_eq!(status_of(&a, id).0, "confirmed", "finding {id}");
    }
}

#[test]
fn a_reviewer_cannot_approve_their_own_submission() {
    let (_d, p) = dataset();
    let mut r = app(&p, "reviewer1", Role::Reviewer, Lang::En);
    let n = ticket_from_two_marked(&mut r);
    press(&mut r, &[key('5'), key('s')]);
    type_text(&mut r, "原因分析");
    press(&mut r, &[code(KeyCode::Tab)]);
    type_text(&mut r, "整改措施");
    // Refused at the key, before any question.
    press(&mut r, &[ctrl('s'), key('A')]);
    assert_eq!(r.status.as_ref().unwrap().tone, Tone::Error);
    assert!(
        status_line(&r).contains("another reviewer must approve it"),
        "{}",
        status_line(&r)
    );
    let s = screen(&mut r, 80, 24);
    assert!(s.contains("yourself"), "the refusal is on screen:\n{s}");
    assert_eq!(ticket(&r, &n).state, "submitted");
    assert_eq!(status_of(&r, 4).0, "ticketed");
}

#[test]
fn a_ticket_changed_by_another_operator_is_refused_as_stale() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    let n = ticket_from_two_marked(&mut a);
    press(&mut a, &[key('5')]);
    // Someone acknowledges it after this screen was drawn.
    let mut ds = Dataset::open(&p).unwrap();
    perform(
        &mut ds,
        &ctx("auditor2", Role::Auditor, Lang::En),
        &Action::TicketAck { number: n.clone() },
    )
    .unwrap();
    press(&mut a, &[key('X')]);
    type_text(&mut a, "不需要");
    press(&mut a, &[ctrl('s'), key('y')]);
    assert_eq!(a.status.as_ref().unwrap().tone, Tone::Error);
    assert_eq!(ticket(&a, &n).state, "rectifying", "{}", status_line(&a));
}

// ---- what an operator sees -----------------------------------------------------------------

fn at(who: &str, role: Role, date: &str) -> jicha::context::Ctx {
    let mut c = ctx(who, role, Lang::En);
    c.today = day(date);
    c
}

/// Five tickets: one overdue (rectifying), one due within 3 days, one submitted with a CJK
/// cause, one approved, one cancelled.
fn seed_tickets(p: &Path) {
    let mut ds = Dataset::open(p).unwrap();
    let mut run = |c: jicha::context::Ctx, a: Action| {
        perform(&mut ds, &c, &a).unwrap();
    };
    let create =
        |f: &[i64], person: Option<&str>, due: Option<&str>, req: &str| Action::TicketCreate {
            findings: f.to_vec(),
            unit: None,
            person: person.map(String::from),
            due: due.map(day),
            requirement: req.into(),
        };
    let au = |d: &str| at("auditor1", Role::Auditor, d);
    run(
        au("2026-10-25"),
        create(&[3], None, Some("2026-10-30"), "核实联系人信息并补录"),
    );
    run(
        au("2026-10-26"),
        Action::TicketAck {
            number: "JC-20261025-001".into(),
        },
    );
    run(
        au("2026-10-28"),
        create(&[5], Some("赵工"), None, "现场核查计量装置，追补电量"),
    );
    run(
        au("2026-11-01"),
        create(&[9], None, None, "Replace the obsolete meter"),
    );
    run(
        at("auditor2", Role::Auditor, "2026-11-02"),
        Action::TicketSubmit {
            number: "JC-20261101-001".into(),
            cause: "Model out of service".into(),
            measures: "Meter replaced".into(),
            recovered: None,
        },
    );
    run(
        at("reviewer1", Role::Reviewer, "2026-11-02"),
        Action::TicketApprove {
            number: "JC-20261101-001".into(),
        },
    );
    run(
        au(TODAY),
        create(&[4, 2], None, None, "核实负电费原因并追补电费\n两周内反馈"),
    );
    run(
        au(TODAY),
        Action::TicketAck {
            number: "JC-20261102-001".into(),
        },
    );
    run(
        au(TODAY),
        Action::TicketSubmit {
            number: "JC-20261102-001".into(),
            cause: "表计接线错误，负电费系退补冲正\n已现场更正".into(),
            measures: "更换接线盒，加装封印".into(),
            recovered: Some(111.5),
        },
    );
    run(
        au(TODAY),
        create(&[1], None, None, "Check the business name"),
    );
    run(
        au(TODAY),
        Action::TicketCancel {
            number: "JC-20261102-002".into(),
            reason: "duplicate of another ticket".into(),
        },
    );
}

#[test]
fn dashboard_with_ticket_queues() {
    let (_d, p) = dataset();
    seed_tickets(&p);
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("overdue tickets 1"), "{s}");
    both("dashboard_tickets_en", &mut a);
    // Tab twice to the ticket panel; Enter opens the first (overdue) ticket.
    press(
        &mut a,
        &[code(KeyCode::Tab), code(KeyCode::Tab), code(KeyCode::Enter)],
    );
    assert_eq!(a.screen, ScreenId::Ticket);
    assert_eq!(
        a.screen_state::<TicketPage>().unwrap().number,
        "JC-20261025-001"
    );
}

#[test]
fn tickets_list_and_page() {
    let (_d, p) = dataset();
    seed_tickets(&p);
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('5')]);
    let order: Vec<String> = a
        .screen_state::<Tickets>()
        .unwrap()
        .rows
        .as_ref()
        .unwrap()
        .iter()
        .map(|t| t.number.clone())
        .collect();
    assert_eq!(
        order,
        ["JC-20261025-001", "JC-20261028-001", "JC-20261102-001"],
        "overdue first, then due within 3 days"
    );
    both("tickets_open_en", &mut a);
    // open → dispatched → rectifying → submitted → reviewed → returned → approved.
    press(&mut a, &vec![key('v'); 6]);
    assert_eq!(a.screen_state::<Tickets>().unwrap().view_name(), "approved");
    insta::assert_snapshot!("tickets_approved_en_80x24", screen(&mut a, 80, 24));
    // → archived → cancelled → overdue → open.
    press(&mut a, &vec![key('v'); 4]);
    assert_eq!(a.screen_state::<Tickets>().unwrap().view_name(), "open");
    press(&mut a, &[key('j'), key('j'), code(KeyCode::Enter)]);
    assert_eq!(a.screen, ScreenId::Ticket);
    both("ticket_page_en", &mut a);
    // Enter on a finding opens its detail; Esc comes back to the ticket.
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(a.screen, ScreenId::Detail);
    press(&mut a, &[code(KeyCode::Esc)]);
    assert_eq!(a.screen, ScreenId::Ticket);

    let mut z = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    press(&mut z, &[key('5')]);
    insta::assert_snapshot!("tickets_open_zh_80x24", screen(&mut z, 80, 24));
    press(&mut z, &[key('j'), key('j'), code(KeyCode::Enter)]);
    insta::assert_snapshot!("ticket_page_zh_80x24", screen(&mut z, 80, 24));
}

#[test]
fn ticket_forms() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), key('j'), key(' '), key(' '), key('t')]);
    type_text(&mut a, "核实负电费原因");
    insta::assert_snapshot!("ticket_create_form_80x24", screen(&mut a, 80, 24));
    press(&mut a, &[ctrl('s')]);
    insta::assert_snapshot!("ticket_create_confirm_80x24", screen(&mut a, 80, 24));
    press(&mut a, &[key('y'), key('5'), key('s')]);
    type_text(&mut a, "表计接线错误\n已现场更正");
    press(&mut a, &[code(KeyCode::Tab)]);
    insta::assert_snapshot!("ticket_submit_form_80x24", screen(&mut a, 80, 24));
}

#[test]
fn reports_screen() {
    let (_d, p) = dataset();
    seed_tickets(&p);
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('6')]);
    assert_eq!(a.screen, ScreenId::Reports);
    assert!(a.screen_state::<Reports>().unwrap().data.is_some());
    both("reports_today_en", &mut a);
    press(&mut a, &[key('p'), key('p')]);
    let r = a.screen_state::<Reports>().unwrap().data.as_ref().unwrap();
    assert_eq!((r.from.as_str(), r.to.as_str()), ("2026-11-01", TODAY));
    both("reports_month_en", &mut a);
    press(&mut a, &[key('m')]);
    insta::assert_snapshot!("reports_month_open_chart_en_80x24", screen(&mut a, 80, 24));

    let mut z = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    press(&mut z, &[key('6'), key('p'), key('p')]);
    insta::assert_snapshot!("reports_month_zh_80x24", screen(&mut z, 80, 24));

    // ASCII bars without colour.
    let mut n = app_with(
        &p,
        ctx("auditor1", Role::Auditor, Lang::En),
        "default",
        false,
        true,
    );
    press(&mut n, &[key('6'), key('p'), key('p')]);
    let s = screen(&mut n, 80, 24);
    assert!(!s.contains('█') && !s.contains('─'), "{s}");
    insta::assert_snapshot!("reports_month_ascii_80x24", s);
}
