//! Triage, whitelist, thresholds and operators through `actions::perform`: permission,
//! one transaction, one log record each.

mod common;
use common::*;
use jicha::actions::{perform, perform_seen, Action};
use jicha::context::Role;
use jicha::db::Dataset;
use jicha::findings::{self, Filter, SortKey, Suppressed};
use jicha::{actionlog, JichaError};

fn log_count(ds: &Dataset) -> i64 {
    ds.conn
        .query_row("SELECT count(*) FROM action_log", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn confirm_close_reopen_with_history_and_log() {
    let (_d, mut ds) = fixture();
    let a = ctx("auditor1", Role::Auditor, "2026-11-02");
    let out = perform(&mut ds, &a, &Action::Confirm { ids: vec![1, 2] }).unwrap();
    assert_eq!(out.changed, 2);
    assert_eq!(status(&ds, 1).0, "confirmed");
    // Confirming again is a no-op, not an error.
    let out = perform(&mut ds, &a, &Action::Confirm { ids: vec![1] }).unwrap();
    assert_eq!(out.changed, 0);
    assert!(
        out.text(jicha::context::Lang::En).contains("already"),
        "{}",
        out.text(jicha::context::Lang::En)
    );

    let close = Action::Close {
        ids: vec![1],
        resolution: "rectified".into(),
        note: None,
    };
    perform(&mut ds, &a, &close).unwrap();
    assert_eq!(status(&ds, 1), ("closed".into(), Some("rectified".into())));
    perform(&mut ds, &a, &Action::Reopen { ids: vec![1] }).unwrap();
    assert_eq!(status(&ds, 1), ("new".into(), None));

    let hist: Vec<String> = ds
        .conn
        .prepare("SELECT status FROM finding_status_history WHERE finding_id = 1 ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(hist, ["confirmed", "closed", "new"]);
    let h = actionlog::for_target(&ds.conn, "finding:1").unwrap();
    assert_eq!(
        h.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(),
        ["finding.confirm", "finding.close", "finding.reopen"]
    );
    assert!(actionlog::verify(&ds.conn).unwrap().first_broken.is_none());
    assert_state_verifies(&ds);
}

#[test]
fn false_positive_needs_a_note_and_stores_it() {
    let (_d, mut ds) = fixture();
    let a = ctx("auditor1", Role::Auditor, "2026-11-02");
    let err = perform(
        &mut ds,
        &a,
        &Action::Close {
            ids: vec![3],
            resolution: "false_positive".into(),
            note: None,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("needs a note"), "{err}");
    assert_eq!(status(&ds, 3).0, "new");
    perform(
        &mut ds,
        &a,
        &Action::Close {
            ids: vec![3],
            resolution: "false_positive".into(),
            note: Some("电话已核实：\n客户为独居老人".into()),
        },
    )
    .unwrap();
    let notes = findings::notes(&ds.conn, 3).unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].text, "电话已核实：\n客户为独居老人");
    assert_eq!(notes[0].author, "auditor1");
    assert_state_verifies(&ds);
}

#[test]
fn bulk_action_is_all_or_nothing() {
    let (_d, mut ds) = fixture();
    let a = ctx("auditor1", Role::Auditor, "2026-11-02");
    perform(
        &mut ds,
        &a,
        &Action::Close {
            ids: vec![4],
            resolution: "rectified".into(),
            note: None,
        },
    )
    .unwrap();
    let before = log_count(&ds);
    // Finding 4 is closed, so confirming 2, 3 and 4 together must change none of them.
    let err = perform(&mut ds, &a, &Action::Confirm { ids: vec![2, 3, 4] }).unwrap_err();
    assert!(err.to_string().contains("finding 4 is closed"), "{err}");
    assert_eq!(status(&ds, 2).0, "new");
    assert_eq!(status(&ds, 3).0, "new");
    assert_eq!(log_count(&ds), before);
    let err = perform(&mut ds, &a, &Action::Confirm { ids: vec![2, 99] }).unwrap_err();
    assert!(err.to_string().contains("no finding 99"), "{err}");
    assert_eq!(status(&ds, 2).0, "new");
    assert_state_verifies(&ds);
}

#[test]
fn refusals_name_the_role_needed() {
    let (_d, mut ds) = fixture();
    let v = ctx("someone", Role::Viewer, "2026-11-02");
    let err = perform(&mut ds, &v, &Action::Confirm { ids: vec![1] }).unwrap_err();
    assert!(
        matches!(
            err,
            JichaError::Refused {
                needed: "auditor",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("needs the auditor role"), "{err}");
    let a = ctx("auditor1", Role::Auditor, "2026-11-02");
    let err = perform(
        &mut ds,
        &a,
        &Action::ThresholdSet {
            name: "surge_ratio".into(),
            value: "2.5".into(),
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("needs the admin role"), "{err}");
    assert_eq!(status(&ds, 1).0, "new");
    assert_state_verifies(&ds);
}

#[test]
fn stale_change_is_refused() {
    let (d, mut ds) = fixture();
    let a = ctx("auditor1", Role::Auditor, "2026-11-02");
    let shown = findings::get(&ds.conn, 2, day("2026-11-02")).unwrap();
    // Another operator, another connection, changes it first.
    let mut other = Dataset::open(&d.path().join("t.jicha")).unwrap();
    perform(
        &mut other,
        &ctx("auditor2", Role::Auditor, "2026-11-02"),
        &Action::Confirm { ids: vec![2] },
    )
    .unwrap();
    let err = perform_seen(
        &mut ds,
        &a,
        &Action::Close {
            ids: vec![2],
            resolution: "rectified".into(),
            note: None,
        },
        &[(2, shown.version)],
    )
    .unwrap_err();
    assert!(matches!(err, JichaError::Stale(_)), "{err}");
    assert_eq!(status(&ds, 2).0, "confirmed");
    assert_state_verifies(&ds);
}

#[test]
fn whitelist_suppresses_until_expiry_or_revocation() {
    let (_d, mut ds) = fixture();
    let a = ctx("auditor1", Role::Auditor, "2026-11-02");
    let open_ids = |ds: &Dataset, today: &str| {
        findings::ordered_ids(
            &ds.conn,
            &Filter {
                suppressed: Suppressed::Hide,
                ..Filter::default()
            },
            SortKey::Id,
            false,
            day(today),
        )
        .unwrap()
    };
    assert_eq!(open_ids(&ds, "2026-11-02"), [1, 2, 3, 4, 5]);
    perform(
        &mut ds,
        &a,
        &Action::WhitelistAdd {
            rule: "BIL-05".into(),
            cust_no: "C1".into(),
            reason: "退费冲正".into(),
            days: Some(10),
        },
    )
    .unwrap();
    assert_eq!(open_ids(&ds, "2026-11-02"), [1, 3, 4, 5]);
    assert_eq!(
        open_ids(&ds, "2026-11-11"),
        [1, 3, 4, 5],
        "last day of a 10-day freeze"
    );
    assert_eq!(
        open_ids(&ds, "2026-11-12"),
        [1, 2, 3, 4, 5],
        "back on its own at expiry"
    );
    // '*' covers every rule of the customer; revocation ends it at once.
    perform(
        &mut ds,
        &a,
        &Action::WhitelistAdd {
            rule: "*".into(),
            cust_no: "C2".into(),
            reason: "专项核查中".into(),
            days: None,
        },
    )
    .unwrap();
    assert_eq!(open_ids(&ds, "2026-11-02"), [1, 5]);
    let id: i64 = ds
        .conn
        .query_row("SELECT max(id) FROM whitelist", [], |r| r.get(0))
        .unwrap();
    perform(
        &mut ds,
        &a,
        &Action::WhitelistRevoke {
            id,
            reason: "核查结束".into(),
        },
    )
    .unwrap();
    assert_eq!(open_ids(&ds, "2026-11-02"), [1, 3, 4, 5]);
    let err = perform(
        &mut ds,
        &a,
        &Action::WhitelistAdd {
            rule: "BIL-05".into(),
            cust_no: "C9".into(),
            reason: "x".into(),
            days: None,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("no customer C9"), "{err}");
    let err = perform(
        &mut ds,
        &a,
        &Action::WhitelistAdd {
            rule: "BIL-05".into(),
            cust_no: "C1".into(),
            reason: "x".into(),
            days: Some(366),
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("1 to 365 days"), "{err}");
    assert_state_verifies(&ds);
}

#[test]
fn long_whitelist_entry_waits_for_another_reviewer() {
    let (_d, mut ds) = fixture();
    let r1 = ctx("rev1", Role::Reviewer, "2026-11-02");
    let out = perform(
        &mut ds,
        &r1,
        &Action::WhitelistAdd {
            rule: "ARC-01".into(),
            cust_no: "C2".into(),
            reason: "长期".into(),
            days: Some(91),
        },
    )
    .unwrap();
    assert!(
        out.text(jicha::context::Lang::En)
            .contains("awaits a reviewer"),
        "{}",
        out.text(jicha::context::Lang::En)
    );
    let hidden = findings::count(
        &ds.conn,
        &Filter {
            suppressed: Suppressed::Only,
            ..Filter::default()
        },
        day("2026-11-03"),
    )
    .unwrap();
    assert_eq!(hidden, 0, "not in force before approval");
    let err = perform(&mut ds, &r1, &Action::WhitelistApprove { id: 1 }).unwrap_err();
    assert!(err.to_string().contains("another reviewer"), "{err}");
    let a = ctx("auditor1", Role::Auditor, "2026-11-03");
    let err = perform(&mut ds, &a, &Action::WhitelistApprove { id: 1 }).unwrap_err();
    assert!(err.to_string().contains("needs the reviewer role"), "{err}");
    perform(
        &mut ds,
        &ctx("rev2", Role::Reviewer, "2026-11-03"),
        &Action::WhitelistApprove { id: 1 },
    )
    .unwrap();
    let hidden = findings::count(
        &ds.conn,
        &Filter {
            suppressed: Suppressed::Only,
            ..Filter::default()
        },
        day("2026-11-03"),
    )
    .unwrap();
    assert_eq!(hidden, 1);
    assert_state_verifies(&ds);
}

#[test]
fn threshold_set_is_validated_and_logged() {
    let (_d, mut ds) = fixture();
    let admin = ctx("admin1", Role::Admin, "2026-11-02");
    perform(
        &mut ds,
        &admin,
        &Action::ThresholdSet {
            name: "surge_ratio".into(),
            value: "2.5".into(),
        },
    )
    .unwrap();
    let th = jicha::thresholds::Thresholds::load(&ds.conn).unwrap();
    assert_eq!(th.num("surge_ratio"), 2.5);
    let err = perform(
        &mut ds,
        &admin,
        &Action::ThresholdSet {
            name: "surge_ratio".into(),
            value: "-1".into(),
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("number of 0 or more"), "{err}");
    let rec = &actionlog::recent(&ds.conn, 1).unwrap()[0];
    assert_eq!(rec.action, "thresholds.set");
    assert!(
        rec.details.contains("\"old\":\"3\"") || rec.details.contains("\"old\":\"3.0\""),
        "{}",
        rec.details
    );
    assert_state_verifies(&ds);
}

#[test]
fn the_last_admin_cannot_be_demoted() {
    let (_d, mut ds) = fixture();
    let admin = ctx("admin1", Role::Admin, "2026-11-02");
    let err = perform(
        &mut ds,
        &admin,
        &Action::OperatorAdd {
            login: "admin1".into(),
            role: "auditor".into(),
            name: None,
            unit: None,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("only admin"), "{err}");
    perform(
        &mut ds,
        &admin,
        &Action::OperatorAdd {
            login: "wang".into(),
            role: "auditor".into(),
            name: Some("王稽查".into()),
            unit: None,
        },
    )
    .unwrap();
    assert_eq!(
        jicha::context::role_of(&ds.conn, "wang").unwrap(),
        Role::Auditor
    );
    assert_eq!(
        jicha::context::role_of(&ds.conn, "nobody").unwrap(),
        Role::Viewer
    );
    assert_state_verifies(&ds);
}

#[test]
fn a_note_since_the_screen_was_drawn_makes_a_close_stale() {
    let (d, mut ds) = fixture();
    let a = ctx("auditor1", Role::Auditor, "2026-11-02");
    let shown = findings::get(&ds.conn, 2, day("2026-11-02")).unwrap();
    // Another operator, on another connection, writes "DO NOT CLOSE" after the screen was drawn.
    let mut other = Dataset::open(&d.path().join("t.jicha")).unwrap();
    perform(
        &mut other,
        &ctx("auditor2", Role::Auditor, "2026-11-02"),
        &Action::Note {
            ids: vec![2],
            text: "DO NOT CLOSE: the meter is being replaced".into(),
        },
    )
    .unwrap();
    let close = Action::Close {
        ids: vec![2],
        resolution: "rectified".into(),
        note: None,
    };
    let err = perform_seen(&mut ds, &a, &close, &[(2, shown.version)]).unwrap_err();
    assert!(matches!(err, JichaError::Stale(_)), "{err}");
    assert!(
        err.to_string().contains("finding 2 was changed"),
        "the message names the finding: {err}"
    );
    assert_eq!(status(&ds, 2).0, "new", "nothing was closed");
    // Read again (the note is now on screen), the close goes through.
    let fresh = findings::get(&ds.conn, 2, day("2026-11-02")).unwrap();
    assert!(fresh.version > shown.version);
    perform_seen(&mut ds, &a, &close, &[(2, fresh.version)]).unwrap();
    assert_eq!(status(&ds, 2).0, "closed");
}

#[test]
fn actions_performed_together_land_together_or_not_at_all() {
    let (_d, mut ds) = fixture();
    let a = ctx("auditor1", Role::Auditor, "2026-11-02");
    let before = log_count(&ds);
    // The second step is bad input: refused before the first is written.
    let err = jicha::actions::perform_all(
        &mut ds,
        &a,
        &[
            Action::Confirm { ids: vec![5] },
            Action::Note {
                ids: vec![5],
                text: " ".into(),
            },
        ],
        &[],
    )
    .unwrap_err();
    assert!(err.to_string().contains("must not be empty"), "{err}");
    assert_eq!(status(&ds, 5).0, "new");
    assert_eq!(log_count(&ds), before);
    // The second step fails inside the transaction (a finding that does not exist): the first
    // is rolled back with it.
    let err = jicha::actions::perform_all(
        &mut ds,
        &a,
        &[
            Action::Confirm { ids: vec![5] },
            Action::Note {
                ids: vec![5, 99],
                text: "checked".into(),
            },
        ],
        &[],
    )
    .unwrap_err();
    assert!(err.to_string().contains("no finding 99"), "{err}");
    assert_eq!(status(&ds, 5).0, "new");
    assert_eq!(log_count(&ds), before);
    let out = jicha::actions::perform_all(
        &mut ds,
        &a,
        &[
            Action::Confirm { ids: vec![5] },
            Action::Note {
                ids: vec![5],
                text: "checked".into(),
            },
        ],
        &[],
    )
    .unwrap();
    assert_eq!(status(&ds, 5).0, "confirmed");
    assert_eq!(log_count(&ds), before + 2);
    let said = out.text(jicha::context::Lang::En);
    assert!(
        said.contains("confirmed") && said.contains("note"),
        "{said}"
    );
}

#[test]
fn an_empty_note_on_a_rectified_close_is_refused_not_dropped() {
    let (_d, mut ds) = fixture();
    let a = ctx("auditor1", Role::Auditor, "2026-11-02");
    let err = perform(
        &mut ds,
        &a,
        &Action::Close {
            ids: vec![1],
            resolution: "rectified".into(),
            note: Some("  ".into()),
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("must not be empty"), "{err}");
    assert_eq!(status(&ds, 1).0, "new");
}

#[test]
fn whitelist_extension_by_an_absurd_number_of_days_is_refused_without_panic() {
    let (_d, mut ds) = fixture();
    let a = ctx("auditor1", Role::Auditor, "2026-11-02");
    perform(
        &mut ds,
        &a,
        &Action::WhitelistAdd {
            rule: "ARC-01".into(),
            cust_no: "C2".into(),
            reason: "装表中".into(),
            days: Some(30),
        },
    )
    .unwrap();
    for days in [999_999_999_999, i64::MAX] {
        let err = perform(
            &mut ds,
            &a,
            &Action::WhitelistExtend {
                id: 1,
                days,
                reason: "longer".into(),
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains("the most is 365"), "{days}: {err}");
    }
}

#[test]
fn computed_dates_past_2200_are_refused() {
    let (_d, mut ds) = fixture();
    let admin = ctx("admin1", Role::Admin, "2200-12-01");
    perform(
        &mut ds,
        &admin,
        &Action::ThresholdSet {
            name: "whitelist_max_days".into(),
            value: "36500".into(),
        },
    )
    .unwrap();
    let err = perform(
        &mut ds,
        &ctx("rev1", Role::Reviewer, "2200-12-01"),
        &Action::WhitelistAdd {
            rule: "ARC-01".into(),
            cust_no: "C2".into(),
            reason: "long".into(),
            days: Some(60),
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("2200-12-31"), "{err}");
    assert_eq!(
        ds.conn
            .query_row("SELECT count(*) FROM whitelist", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        0
    );
}
