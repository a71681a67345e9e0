//! Tickets through `actions::perform`: numbering, due dates, states, findings following.

mod common;
use common::*;
use jicha::actions::{perform, Action};
use jicha::context::Role;
use jicha::tickets;

fn create(ids: &[i64]) -> Action {
    Action::TicketCreate {
        findings: ids.to_vec(),
        unit: None,
        person: Some("赵工".into()),
        due: None,
        requirement: "核实户名并改为商业电价".into(),
    }
}

#[test]
#[allow(clippy::too_many_lines)] // one scenario, step by step; split, its steps would lose the state they share
fn full_loop_closes_findings_as_rectified() {
    let (_d, mut ds) = fixture();
    let a = ctx("auditor1", Role::Auditor, "2026-11-02");
    let out = perform(&mut ds, &a, &create(&[1, 3])).unwrap();
    assert!(
        out.text(jicha::context::Lang::En)
            .contains("JC-20261102-001"),
        "{}",
        out.text(jicha::context::Lang::En)
    );
    let t = tickets::get(&ds.conn, "JC-20261102-001", day("2026-11-02")).unwrap();
    assert_eq!(t.unit, "城关供电所", "default unit: the customers' station");
    assert_eq!(t.due_on, "2026-11-09", "worst finding high: 7 days");
    assert_eq!(t.state, "dispatched");
    assert_eq!(status(&ds, 1).0, "ticketed");
    assert_eq!(status(&ds, 3).0, "ticketed");

    // A second ticket the same day gets the next number; low severity gives 30 days.
    let out = perform(
        &mut ds,
        &a,
        &Action::TicketCreate {
            findings: vec![5],
            unit: None,
            person: None,
            due: None,
            requirement: "补录电话".into(),
        },
    )
    .unwrap();
    assert!(
        out.text(jicha::context::Lang::En)
            .contains("JC-20261102-002"),
        "{}",
        out.text(jicha::context::Lang::En)
    );
    assert_eq!(
        tickets::get(&ds.conn, "JC-20261102-002", day("2026-11-02"))
            .unwrap()
            .due_on,
        "2026-12-02"
    );

    let n = "JC-20261102-001".to_string();
    perform(&mut ds, &a, &Action::TicketAck { number: n.clone() }).unwrap();
    let err = perform(
        &mut ds,
        &a,
        &Action::TicketSubmit {
            number: n.clone(),
            cause: "".into(),
            measures: "x".into(),
            recovered: None,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("--cause"), "{err}");
    perform(
        &mut ds,
        &a,
        &Action::TicketSubmit {
            number: n.clone(),
            cause: "档案录入错误".into(),
            measures: "已改电价并追补".into(),
            recovered: Some(1234.5),
        },
    )
    .unwrap();
    // Approval is a reviewer's.
    let err = perform(&mut ds, &a, &Action::TicketApprove { number: n.clone() }).unwrap_err();
    assert!(err.to_string().contains("needs the reviewer role"), "{err}");
    let r = ctx("rev1", Role::Reviewer, "2026-11-05");
    perform(
        &mut ds,
        &r,
        &Action::TicketReturn {
            number: n.clone(),
            reason: "缺少追补凭证".into(),
        },
    )
    .unwrap();
    assert_eq!(
        tickets::get(&ds.conn, &n, day("2026-11-05")).unwrap().state,
        "returned"
    );
    perform(
        &mut ds,
        &a,
        &Action::TicketSubmit {
            number: n.clone(),
            cause: "档案录入错误".into(),
            measures: "补充凭证".into(),
            recovered: Some(1234.5),
        },
    )
    .unwrap();
    perform(&mut ds, &r, &Action::TicketApprove { number: n.clone() }).unwrap();
    let t = tickets::get(&ds.conn, &n, day("2026-11-06")).unwrap();
    assert_eq!(t.state, "approved");
    assert!(!t.overdue);
    assert_eq!(status(&ds, 1), ("closed".into(), Some("rectified".into())));
    assert_eq!(status(&ds, 3), ("closed".into(), Some("rectified".into())));
    let states: Vec<String> = tickets::events(&ds.conn, t.id)
        .unwrap()
        .into_iter()
        .map(|e| e.to_state)
        .collect();
    assert_eq!(
        states,
        [
            "dispatched",
            "rectifying",
            "submitted",
            "returned",
            "submitted",
            "approved"
        ]
    );
    assert!(jicha::actionlog::verify(&ds.conn)
        .unwrap()
        .first_broken
        .is_none());
    assert_state_verifies(&ds);
}

#[test]
fn reviewer_cannot_approve_own_submission() {
    let (_d, mut ds) = fixture();
    let r = ctx("rev1", Role::Reviewer, "2026-11-02");
    perform(&mut ds, &r, &create(&[2])).unwrap();
    let n = "JC-20261102-001".to_string();
    perform(
        &mut ds,
        &r,
        &Action::TicketSubmit {
            number: n.clone(),
            cause: "c".into(),
            measures: "m".into(),
            recovered: None,
        },
    )
    .unwrap();
    let err = perform(&mut ds, &r, &Action::TicketApprove { number: n.clone() }).unwrap_err();
    assert!(err.to_string().contains("another reviewer"), "{err}");
    perform(
        &mut ds,
        &ctx("rev2", Role::Reviewer, "2026-11-03"),
        &Action::TicketApprove { number: n },
    )
    .unwrap();
    assert_state_verifies(&ds);
}

#[test]
fn cancel_puts_findings_back_to_confirmed() {
    let (_d, mut ds) = fixture();
    let a = ctx("auditor1", Role::Auditor, "2026-11-02");
    perform(&mut ds, &a, &create(&[1, 2])).unwrap();
    let err = perform(
        &mut ds,
        &a,
        &Action::TicketCancel {
            number: "JC-20261102-001".into(),
            reason: " ".into(),
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("needs a reason"), "{err}");
    perform(
        &mut ds,
        &a,
        &Action::TicketCancel {
            number: "JC-20261102-001".into(),
            reason: "重复派单".into(),
        },
    )
    .unwrap();
    assert_eq!(status(&ds, 1).0, "confirmed");
    assert_eq!(status(&ds, 2).0, "confirmed");
    let err = perform(
        &mut ds,
        &a,
        &Action::TicketAck {
            number: "JC-20261102-001".into(),
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("is cancelled"), "{err}");
    // Back in the queue, they can go on a new ticket.
    perform(&mut ds, &a, &create(&[1, 2])).unwrap();
    assert_state_verifies(&ds);
}

#[test]
fn a_finding_goes_on_one_open_ticket_and_mixed_stations_need_a_unit() {
    let (_d, mut ds) = fixture();
    let a = ctx("auditor1", Role::Auditor, "2026-11-02");
    perform(&mut ds, &a, &create(&[1])).unwrap();
    let err = perform(&mut ds, &a, &create(&[1, 2])).unwrap_err();
    assert!(
        err.to_string().contains("on ticket JC-20261102-001"),
        "{err}"
    );
    assert_eq!(status(&ds, 2).0, "new", "nothing half done");
    let err = perform(&mut ds, &a, &create(&[2, 5])).unwrap_err();
    assert!(err.to_string().contains("2 supply stations"), "{err}");
    perform(
        &mut ds,
        &a,
        &Action::TicketCreate {
            findings: vec![2, 5],
            unit: Some("城关供电所".into()),
            person: None,
            due: None,
            requirement: "r".into(),
        },
    )
    .unwrap();
    // Manual close of a ticketed finding is refused: the ticket decides.
    let err = perform(
        &mut ds,
        &a,
        &Action::Close {
            ids: vec![2],
            resolution: "rectified".into(),
            note: None,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("open ticket"), "{err}");
    assert_state_verifies(&ds);
}

#[test]
fn overdue_open_and_completed_late() {
    let (_d, mut ds) = fixture();
    let a = ctx("auditor1", Role::Auditor, "2026-11-02");
    perform(&mut ds, &a, &create(&[2])).unwrap(); // due 2026-11-09
    let n = "JC-20261102-001";
    assert!(
        !tickets::get(&ds.conn, n, day("2026-11-09"))
            .unwrap()
            .overdue,
        "due day itself is not overdue"
    );
    assert!(
        tickets::get(&ds.conn, n, day("2026-11-10"))
            .unwrap()
            .overdue
    );
    assert_eq!(
        tickets::list(&ds.conn, Some("overdue"), day("2026-11-10"))
            .unwrap()
            .len(),
        1
    );
    perform(
        &mut ds,
        &ctx("auditor1", Role::Auditor, "2026-11-11"),
        &Action::TicketSubmit {
            number: n.into(),
            cause: "c".into(),
            measures: "m".into(),
            recovered: None,
        },
    )
    .unwrap();
    perform(
        &mut ds,
        &ctx("rev1", Role::Reviewer, "2026-11-12"),
        &Action::TicketApprove { number: n.into() },
    )
    .unwrap();
    let t = tickets::get(&ds.conn, n, day("2026-12-01")).unwrap();
    assert!(t.overdue, "approved after due: completed late");
    assert_eq!(t.approved_on.as_deref(), Some("2026-11-12"));
    assert_state_verifies(&ds);
}

#[test]
fn a_default_due_date_past_2200_is_refused() {
    let (_d, mut ds) = fixture();
    let a = ctx("auditor1", Role::Auditor, "2200-12-28");
    let err = perform(
        &mut ds,
        &a,
        &Action::TicketCreate {
            findings: vec![1],
            unit: None,
            person: None,
            due: None,
            requirement: "核实".into(),
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("2200-12-31"), "{err}");
    assert!(err.to_string().contains("--due"), "says what to do: {err}");
    assert_eq!(status(&ds, 1).0, "new");
}
