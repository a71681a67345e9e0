//! The review chain and the archive of tickets (workflow.md, "Tickets"; issue 13 item 3):
//! `review_levels` 1 (as before: a reviewer approves a submitted ticket) or 2 (a reviewer of the
//! ticket's unit or a unit above it reviews first → `reviewed` 待复核, then a reviewer of the
//! audit centre approves), and `archived` 已归档 after approval, read-only.
//!
//! The fixture's tickets here are for 城关供电所 (customers C1, C2), under 西湖区; 城北供电所
//! (C3) is under 拱墅区. A bound operator is a `Ctx` with `unit: Some(..)`.

mod common;
use common::*;
use jicha::actions::{perform, Action};
use jicha::context::{Ctx, Lang, Role};
use jicha::db::Dataset;
use jicha::tickets;

const DAY: &str = "2026-11-02";

fn bound(who: &str, role: Role, unit: &str) -> Ctx {
    Ctx {
        unit: Some(unit.into()),
        ..ctx(who, role, DAY)
    }
}

fn centre(who: &str) -> Ctx {
    ctx(who, Role::Reviewer, DAY)
}

fn levels(ds: &mut Dataset, n: &str) {
    perform(
        ds,
        &ctx("admin1", Role::Admin, DAY),
        &Action::ThresholdSet {
            name: "review_levels".into(),
            value: n.into(),
        },
    )
    .unwrap();
}

/// A ticket on findings `ids` (城关供电所), submitted by `by`; its number.
fn submitted(ds: &mut Dataset, ids: &[i64], by: &Ctx) -> String {
    let out = perform(
        ds,
        &ctx("auditor1", Role::Auditor, DAY),
        &Action::TicketCreate {
            findings: ids.to_vec(),
            unit: None,
            person: None,
            due: None,
            requirement: "核实并整改".into(),
        },
    )
    .unwrap();
    let text = out.text(Lang::En);
    let number = text
        .split_whitespace()
        .find(|w| w.starts_with("JC-"))
        .unwrap()
        .to_string();
    submit(ds, &number, by);
    number
}

fn submit(ds: &mut Dataset, number: &str, by: &Ctx) {
    perform(
        ds,
        by,
        &Action::TicketSubmit {
            number: number.into(),
            cause: "档案录入错误".into(),
            measures: "已更正".into(),
            recovered: None,
        },
    )
    .unwrap();
}

fn state(ds: &Dataset, number: &str) -> String {
    tickets::get(&ds.conn, number, day(DAY))
        .unwrap()
        .state
        .to_string()
}

fn log_len(ds: &Dataset) -> i64 {
    ds.conn
        .query_row("SELECT count(*) FROM action_log", [], |r| r.get(0))
        .unwrap()
}

/// Performs `a` as `who`, expecting a refusal that contains `words`; checks nothing was written.
fn refused(ds: &mut Dataset, who: &Ctx, a: Action, words: &[&str]) -> String {
    let before = log_len(ds);
    let e = perform(ds, who, &a).unwrap_err().to_string();
    for w in words {
        assert!(
            e.contains(w),
            "{a:?} by {}: `{w}` not in: {e}",
            who.operator
        );
    }
    assert_eq!(log_len(ds), before, "a refusal writes nothing");
    e
}

fn review(n: &str) -> Action {
    Action::TicketReview { number: n.into() }
}

fn approve(n: &str) -> Action {
    Action::TicketApprove { number: n.into() }
}

fn archive(n: &str) -> Action {
    Action::TicketArchive { number: n.into() }
}

fn ret(n: &str, reason: &str) -> Action {
    Action::TicketReturn {
        number: n.into(),
        reason: reason.into(),
    }
}

#[test]
fn one_level_is_as_before_and_has_no_first_review() {
    let (_d, mut ds) = fixture();
    let auditor = ctx("auditor1", Role::Auditor, DAY);
    let n = submitted(&mut ds, &[1, 3], &auditor);
    // No first review with one level: the verb says to approve instead.
    refused(
        &mut ds,
        &centre("rev1"),
        review(&n),
        &["review_levels is 1", "approve"],
    );
    // A reviewer bound to another unit's subtree does not review this one.
    refused(
        &mut ds,
        &bound("rev_north", Role::Reviewer, "城北供电所"),
        approve(&n),
        &["城关供电所", "城北供电所", "reviewer"],
    );
    // The station's own reviewer approves: submitted → approved, findings rectified.
    perform(
        &mut ds,
        &bound("rev_station", Role::Reviewer, "城关供电所"),
        &approve(&n),
    )
    .unwrap();
    let t = tickets::get(&ds.conn, &n, day(DAY)).unwrap();
    assert_eq!(t.state, "approved");
    assert_eq!(t.approved_by.as_deref(), Some("rev_station"));
    assert_eq!(t.reviewed_by, None, "one level: no first review recorded");
    assert_eq!(status(&ds, 1), ("closed".into(), Some("rectified".into())));
    assert_eq!(status(&ds, 3), ("closed".into(), Some("rectified".into())));
    assert_state_verifies(&ds);
}

#[test]
fn two_levels_unit_first_then_the_audit_centre() {
    let (_d, mut ds) = fixture();
    levels(&mut ds, "2");
    let n = submitted(&mut ds, &[1, 3], &ctx("auditor1", Role::Auditor, DAY));
    // The audit centre cannot skip the first review.
    refused(
        &mut ds,
        &centre("revc1"),
        approve(&n),
        &["first review", "jicha ticket review"],
    );
    // A reviewer of a unit that does not hold the ticket's unit cannot give the first review.
    refused(
        &mut ds,
        &bound("rev_north", Role::Reviewer, "拱墅区"),
        review(&n),
        &["城关供电所", "拱墅区"],
    );
    // An auditor cannot review at all.
    refused(
        &mut ds,
        &bound("aud_west", Role::Auditor, "西湖区"),
        review(&n),
        &["reviewer"],
    );
    // A reviewer of 西湖区 (above 城关供电所) gives the first review: submitted → reviewed.
    let unit_rev = bound("rev_west", Role::Reviewer, "西湖区");
    perform(&mut ds, &unit_rev, &review(&n)).unwrap();
    let t = tickets::get(&ds.conn, &n, day(DAY)).unwrap();
    assert_eq!(t.state, "reviewed");
    assert_eq!(t.reviewed_by.as_deref(), Some("rev_west"));
    assert_eq!(t.reviewed_on.as_deref(), Some(DAY));
    assert_eq!(t.approved_on, None);
    // Reviewed is still open work: its findings stay ticketed, on this ticket.
    assert_eq!(status(&ds, 1).0, "ticketed");
    assert_eq!(
        tickets::open_ticket_of(&ds.conn, 1).unwrap().as_deref(),
        Some(n.as_str())
    );
    assert!(tickets::list(&ds.conn, Some("open"), day(DAY))
        .unwrap()
        .iter()
        .any(|t| t.number == n));
    // The unit's reviewer cannot give the second review: it is the audit centre's.
    refused(
        &mut ds,
        &unit_rev,
        approve(&n),
        &["second review", "audit centre", "西湖区"],
    );
    // Nor can anyone give the first review twice.
    refused(&mut ds, &centre("revc1"), review(&n), &["reviewed"]);
    perform(&mut ds, &centre("revc1"), &approve(&n)).unwrap();
    let t = tickets::get(&ds.conn, &n, day(DAY)).unwrap();
    assert_eq!(t.state, "approved");
    assert_eq!(t.approved_by.as_deref(), Some("revc1"));
    assert_eq!(t.approved_on.as_deref(), Some(DAY));
    assert_eq!(t.reviewed_by.as_deref(), Some("rev_west"), "kept beside it");
    assert_eq!(status(&ds, 1), ("closed".into(), Some("rectified".into())));
    assert_eq!(status(&ds, 3), ("closed".into(), Some("rectified".into())));
    assert_state_verifies(&ds);
}

#[test]
fn nobody_reviews_their_own_submission_at_either_level() {
    let (_d, mut ds) = fixture();
    levels(&mut ds, "2");
    // Level 1: the unit's reviewer submitted it themselves.
    let unit_rev = bound("rev_station", Role::Reviewer, "城关供电所");
    let n = submitted(&mut ds, &[1], &unit_rev);
    refused(
        &mut ds,
        &unit_rev,
        review(&n),
        &["you submitted", "another reviewer"],
    );
    refused(&mut ds, &unit_rev, ret(&n, "x"), &["you submitted"]);
    // Level 2: the audit centre's reviewer submitted it.
    let m = submitted(&mut ds, &[3], &centre("revc1"));
    perform(&mut ds, &unit_rev, &review(&m)).unwrap();
    refused(
        &mut ds,
        &centre("revc1"),
        approve(&m),
        &["you submitted", "another reviewer"],
    );
    refused(&mut ds, &centre("revc1"), ret(&m, "x"), &["you submitted"]);
    perform(&mut ds, &centre("revc2"), &approve(&m)).unwrap();
    assert_eq!(state(&ds, &m), "approved");
}

/// Reading: "the same person cannot pass both levels of one submission". The audit centre may
/// give a first review (it holds every unit), but then a second review by the same person
/// would be no second review: refused, and another centre reviewer approves.
#[test]
fn the_same_reviewer_cannot_pass_both_levels() {
    let (_d, mut ds) = fixture();
    levels(&mut ds, "2");
    let n = submitted(&mut ds, &[1], &ctx("auditor1", Role::Auditor, DAY));
    perform(&mut ds, &centre("revc1"), &review(&n)).unwrap();
    assert_eq!(state(&ds, &n), "reviewed");
    let e = refused(
        &mut ds,
        &centre("revc1"),
        approve(&n),
        &["first review", "another reviewer"],
    );
    assert!(e.contains(&n), "{e}");
    refused(&mut ds, &centre("revc1"), ret(&n, "x"), &["first review"]);
    perform(&mut ds, &centre("revc2"), &approve(&n)).unwrap();
    assert_eq!(state(&ds, &n), "approved");
}

#[test]
fn a_return_at_the_second_level_needs_both_reviews_again() {
    let (_d, mut ds) = fixture();
    levels(&mut ds, "2");
    let auditor = ctx("auditor1", Role::Auditor, DAY);
    let unit_rev = bound("rev_west", Role::Reviewer, "西湖区");
    let n = submitted(&mut ds, &[1, 3], &auditor);
    perform(&mut ds, &unit_rev, &review(&n)).unwrap();
    refused(&mut ds, &centre("revc1"), ret(&n, "  "), &["reason"]);
    perform(&mut ds, &centre("revc1"), &ret(&n, "缺少追补凭证")).unwrap();
    // Back to the unit (returned: rectifying again, it resubmits from here), with the reason.
    let t = tickets::get(&ds.conn, &n, day(DAY)).unwrap();
    assert_eq!(t.state, "returned");
    assert_eq!(
        t.reviewed_by, None,
        "the first review was of the returned submission"
    );
    let ev = tickets::events(&ds.conn, t.id).unwrap();
    let last = ev.last().unwrap();
    assert_eq!(
        (last.from_state.as_deref(), last.to_state.as_str()),
        (Some("reviewed"), "returned")
    );
    assert!(last.details.contains("缺少追补凭证"), "{}", last.details);
    let line = jicha::i18n::ticket_history::line(Lang::En, last);
    assert!(
        line.contains("returned at the second review: 缺少追补凭证") && line.contains("revc1"),
        "{line}"
    );
    // The unit may take it up again (rectifying) and resubmit: both levels are needed again.
    perform(&mut ds, &auditor, &Action::TicketAck { number: n.clone() }).unwrap();
    assert_eq!(state(&ds, &n), "rectifying");
    submit(&mut ds, &n, &auditor);
    refused(&mut ds, &centre("revc1"), approve(&n), &["first review"]);
    perform(&mut ds, &unit_rev, &review(&n)).unwrap();
    perform(&mut ds, &centre("revc1"), &approve(&n)).unwrap();
    assert_eq!(state(&ds, &n), "approved");

    // A return at the first level goes back to the unit the same way.
    let m = submitted(&mut ds, &[2], &auditor);
    perform(&mut ds, &unit_rev, &ret(&m, "照片不清")).unwrap();
    assert_eq!(state(&ds, &m), "returned");
    assert_state_verifies(&ds);
}

#[test]
fn an_archived_ticket_is_read_only() {
    let (_d, mut ds) = fixture();
    levels(&mut ds, "2");
    let auditor = ctx("auditor1", Role::Auditor, DAY);
    let n = submitted(&mut ds, &[1, 3], &auditor);
    // Only an approved ticket is archived.
    refused(&mut ds, &centre("revc1"), archive(&n), &["approved"]);
    perform(
        &mut ds,
        &bound("rev_west", Role::Reviewer, "西湖区"),
        &review(&n),
    )
    .unwrap();
    perform(&mut ds, &centre("revc1"), &approve(&n)).unwrap();
    // Archiving is the audit centre's, and a reviewer's (or admin's).
    refused(
        &mut ds,
        &bound("rev_station", Role::Reviewer, "城关供电所"),
        archive(&n),
        &["audit centre", "城关供电所"],
    );
    refused(&mut ds, &auditor, archive(&n), &["reviewer"]);
    perform(&mut ds, &ctx("admin1", Role::Admin, DAY), &archive(&n)).unwrap();
    let t = tickets::get(&ds.conn, &n, day(DAY)).unwrap();
    assert_eq!(t.state, "archived");
    assert_eq!(t.archived_by.as_deref(), Some("admin1"));
    assert_eq!(t.archived_on.as_deref(), Some(DAY));
    assert_eq!(
        t.approved_on.as_deref(),
        Some(DAY),
        "it was approved, and keeps the date"
    );
    assert_eq!(status(&ds, 1), ("closed".into(), Some("rectified".into())));
    assert_eq!(status(&ds, 3), ("closed".into(), Some("rectified".into())));
    assert_eq!(tickets::open_ticket_of(&ds.conn, 1).unwrap(), None);

    let c = centre("revc2");
    let every = [
        (&auditor, Action::TicketAck { number: n.clone() }),
        (
            &auditor,
            Action::TicketSubmit {
                number: n.clone(),
                cause: "c".into(),
                measures: "m".into(),
                recovered: None,
            },
        ),
        (
            &auditor,
            Action::TicketCancel {
                number: n.clone(),
                reason: "r".into(),
            },
        ),
        (&c, ret(&n, "r")),
        (&c, approve(&n)),
        (&c, review(&n)),
        (&c, archive(&n)),
    ];
    for (who, a) in every {
        refused(&mut ds, who, a, &["archived", "read-only"]);
    }
    let zh = perform(&mut ds, &c, &approve(&n))
        .unwrap_err()
        .text(Lang::Zh);
    assert!(zh.contains("已归档") && zh.contains("只读"), "{zh}");

    let listed = |s: &str| -> Vec<String> {
        tickets::list(&ds.conn, Some(s), day(DAY))
            .unwrap()
            .into_iter()
            .map(|t| t.number)
            .collect()
    };
    assert_eq!(listed("archived"), [n.as_str()]);
    assert!(listed("open").is_empty() && listed("approved").is_empty());
    assert_state_verifies(&ds);
}

#[test]
fn the_history_shows_every_state_and_who_moved_it() {
    let (_d, mut ds) = fixture();
    levels(&mut ds, "2");
    let auditor = ctx("auditor1", Role::Auditor, DAY);
    let unit_rev = bound("rev_west", Role::Reviewer, "西湖区");
    let n = submitted(&mut ds, &[1], &auditor);
    perform(&mut ds, &unit_rev, &review(&n)).unwrap();
    perform(&mut ds, &centre("revc1"), &ret(&n, "补充照片")).unwrap();
    submit(&mut ds, &n, &auditor);
    perform(&mut ds, &unit_rev, &review(&n)).unwrap();
    perform(&mut ds, &centre("revc1"), &approve(&n)).unwrap();
    perform(&mut ds, &centre("revc2"), &archive(&n)).unwrap();
    let t = tickets::get(&ds.conn, &n, day(DAY)).unwrap();
    let ev = tickets::events(&ds.conn, t.id).unwrap();
    let moves: Vec<(&str, &str)> = ev
        .iter()
        .map(|e| (e.to_state.as_str(), e.operator.as_str()))
        .collect();
    assert_eq!(
        moves,
        [
            ("dispatched", "auditor1"),
            ("submitted", "auditor1"),
            ("reviewed", "rev_west"),
            ("returned", "revc1"),
            ("submitted", "auditor1"),
            ("reviewed", "rev_west"),
            ("approved", "revc1"),
            ("archived", "revc2"),
        ]
    );
    let en: Vec<String> = ev
        .iter()
        .map(|e| jicha::i18n::ticket_history::line(Lang::En, e))
        .collect();
    assert!(en[2].contains("rev_west first review passed"), "{}", en[2]);
    assert!(
        en[6].contains("revc1 approved at the second review (first review by rev_west)"),
        "{}",
        en[6]
    );
    assert!(en[7].contains("revc2 archived"), "{}", en[7]);
    let zh: Vec<String> = ev
        .iter()
        .map(|e| jicha::i18n::ticket_history::line(Lang::Zh, e))
        .collect();
    assert!(
        zh[2].contains("初审通过") && zh[2].contains("待复核"),
        "{}",
        zh[2]
    );
    assert!(zh[6].contains("复核通过（初审人 rev_west）"), "{}", zh[6]);
    assert!(zh[7].contains("已归档"), "{}", zh[7]);
    // The action log names each step so.
    let actions: Vec<String> = {
        let mut stmt = ds
            .conn
            .prepare("SELECT action FROM action_log WHERE target = ?1 ORDER BY seq")
            .unwrap();
        stmt.query_map([format!("ticket:{n}")], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(
        actions,
        [
            "ticket.create",
            // Issue 14: the business deduction proposed at dispatch, in the same transaction.
            "deduction.propose",
            "ticket.submit",
            "ticket.review",
            "ticket.return",
            "ticket.submit",
            "ticket.review",
            "ticket.approve",
            "ticket.archive"
        ]
    );
}

#[test]
fn review_levels_refuses_anything_but_one_or_two() {
    let (_d, mut ds) = fixture();
    let admin = ctx("admin1", Role::Admin, DAY);
    for bad in ["3", "0", "1.5", "two"] {
        refused(
            &mut ds,
            &admin,
            Action::ThresholdSet {
                name: "review_levels".into(),
                value: bad.into(),
            },
            &["review_levels"],
        );
    }
    let e = refused(
        &mut ds,
        &admin,
        Action::ThresholdSet {
            name: "review_levels".into(),
            value: "3".into(),
        },
        &["1 or 2", "`3`"],
    );
    assert!(!e.is_empty());
    assert_eq!(tickets::review_levels(&ds.conn).unwrap(), 1);
    levels(&mut ds, "2");
    assert_eq!(tickets::review_levels(&ds.conn).unwrap(), 2);
}
