//! 专项稽查 (campaigns): which findings belong to one (scope and period), its progress per unit
//! rolled up the tree (exact 应查/实查/属实/已整改 for a small hand-built dataset), tickets
//! carrying it (named, or the one open campaign by default), 举一反三, closing, bad input.

mod common;
use common::*;
use jicha::actions::campaigns::{perform as act, CampaignAction, NewCampaign};
use jicha::actions::{perform, Action};
use jicha::campaigns::{self, progress::Figures, Kind, Method};
use jicha::context::{Lang, Role};

/// The fixture with a unit tree and three more findings:
/// 杭州供电公司 > 西湖区 > 城关供电所 (C1, C2); 杭州供电公司 > 拱墅区 > 城北供电所 (C3).
/// ARC-01 findings: 3 (C2), 5 (C3) from the fixture, 6 (C3, seen in October only), 7 (C1,
/// first seen 2026-11-10), 8 (C2).
fn dataset() -> (tempfile::TempDir, jicha::db::Dataset) {
    let (d, mut ds) = fixture();
    ds.write(|tx| {
        tx.execute_batch(
            "INSERT INTO units(name, parent, level, head, import_id, src_line) VALUES
               ('杭州供电公司', NULL, 'city', NULL, 1, 2),
               ('西湖区', '杭州供电公司', 'county', NULL, 1, 3),
               ('拱墅区', '杭州供电公司', 'county', NULL, 1, 4),
               ('城关供电所', '西湖区', 'station', NULL, 1, 5),
               ('城北供电所', '拱墅区', 'station', NULL, 1, 6);
             INSERT INTO findings(id, rule, cust_no, subject, status, severity, evidence, first_seen, last_seen, first_scan, last_scan, status_date) VALUES
               (6, 'ARC-01', 'C3', 'old', 'new', 'low', 'e', '2026-10-01', '2026-10-05', 1, 1, '2026-10-01'),
               (7, 'ARC-01', 'C1', '-', 'new', 'low', 'e', '2026-11-10', '2026-11-10', 1, 1, '2026-11-10'),
               (8, 'ARC-01', 'C2', 'b', 'new', 'low', 'e', '2026-11-01', '2026-11-01', 1, 1, '2026-11-01');",
        )?;
        Ok(())
    })
    .unwrap();
    (d, ds)
}

fn new_campaign(name: &str, rules: &[&str], units: &[&str]) -> NewCampaign {
    NewCampaign {
        name: name.into(),
        kind: Kind::Special,
        method: Method::Online,
        rules: rules.iter().map(|s| s.to_string()).collect(),
        units: units.iter().map(|s| s.to_string()).collect(),
        categories: Vec::new(),
        from: day("2026-11-01"),
        to: day("2026-11-30"),
        owner: None,
    }
}

fn create(ds: &mut jicha::db::Dataset, c: NewCampaign) -> String {
    let a = ctx("auditor1", Role::Auditor, "2026-11-02");
    let out = act(ds, &a, &CampaignAction::Create(c)).unwrap();
    word(&out.text(Lang::En), "ZX-")
}

fn word(text: &str, prefix: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == ':')
        .find(|w| w.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix} in {text}"))
        .to_string()
}

fn ticket_create(findings: &[i64]) -> Action {
    Action::TicketCreate {
        findings: findings.to_vec(),
        unit: None,
        person: None,
        due: None,
        requirement: "核实".into(),
    }
}

fn ticket(ds: &mut jicha::db::Dataset, findings: &[i64]) -> String {
    let a = ctx("auditor1", Role::Auditor, "2026-11-02");
    word(
        &perform(ds, &a, &ticket_create(findings))
            .unwrap()
            .text(Lang::En),
        "JC-",
    )
}

fn campaign_of(ds: &jicha::db::Dataset, ticket: &str) -> Option<String> {
    ds.conn
        .query_row(
            "SELECT campaign FROM tickets WHERE number = ?1",
            [ticket],
            |r| r.get(0),
        )
        .unwrap()
}

fn approve(ds: &mut jicha::db::Dataset, number: &str) {
    let a = ctx("auditor1", Role::Auditor, "2026-11-03");
    let r = ctx("reviewer1", Role::Reviewer, "2026-11-04");
    let n = number.to_string();
    perform(ds, &a, &Action::TicketAck { number: n.clone() }).unwrap();
    perform(
        ds,
        &a,
        &Action::TicketSubmit {
            number: n.clone(),
            cause: "录入错误".into(),
            measures: "已更正".into(),
            recovered: None,
        },
    )
    .unwrap();
    perform(ds, &r, &Action::TicketApprove { number: n }).unwrap();
}

fn figs(due: u64, checked: u64, confirmed: u64, rectified: u64) -> Figures {
    Figures {
        due,
        checked,
        confirmed,
        rectified,
    }
}

#[test]
fn progress_per_unit_is_hand_computed_and_rolled_up_the_tree() {
    let (_d, mut ds) = dataset();
    let zx = create(&mut ds, new_campaign("电话号码专项", &["ARC-01"], &[]));
    assert_eq!(zx, "ZX-20261102-001");
    let c = campaigns::get(&ds.conn, &zx).unwrap();
    let members: Vec<i64> = campaigns::members(&ds.conn, &c)
        .unwrap()
        .iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(
        members,
        vec![3, 5, 7, 8],
        "6 was seen before the period only"
    );

    // 3: ticketed (carries the campaign by default) and approved → rectified.
    let t = ticket(&mut ds, &[3]);
    assert_eq!(campaign_of(&ds, &t).as_deref(), Some(zx.as_str()));
    approve(&mut ds, &t);
    // 5: closed as a false positive → checked, not confirmed. 8: confirmed. 7: still new.
    let a = ctx("auditor1", Role::Auditor, "2026-11-05");
    perform(
        &mut ds,
        &a,
        &Action::Close {
            ids: vec![5],
            resolution: "false_positive".into(),
            note: Some("号码已核实".into()),
        },
    )
    .unwrap();
    perform(&mut ds, &a, &Action::Confirm { ids: vec![8] }).unwrap();

    let p = campaigns::progress(&ds.conn, &c).unwrap();
    let by: Vec<(&str, usize, Figures)> = p
        .units
        .iter()
        .map(|u| (u.unit.as_str(), u.depth, u.figures))
        .collect();
    assert_eq!(
        by,
        vec![
            ("杭州供电公司", 0, figs(4, 3, 2, 1)),
            ("拱墅区", 1, figs(1, 1, 0, 0)),
            ("城北供电所", 2, figs(1, 1, 0, 0)),
            ("西湖区", 1, figs(3, 2, 2, 1)),
            ("城关供电所", 2, figs(3, 2, 2, 1)),
        ]
    );
    assert_eq!(p.total, figs(4, 3, 2, 1));
    assert_eq!(p.total.confirmed_rate(), Some(2.0 / 3.0));

    // The report carries the definition on top, the figures and the footnote.
    let text = jicha::output::campaign::render_text(&c, &p, "2026-11-05", false, Lang::Zh);
    assert!(
        text.contains("专项稽查报告 ZX-20261102-001 — 电话号码专项"),
        "{text}"
    );
    assert!(text.contains("应查") && text.contains("属实率"), "{text}");
    assert!(text.contains("属实：确认异常、已派单"), "{text}");
    let mut csv = Vec::new();
    jicha::output::campaign::write_csv(&p, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.contains("城关供电所,station,2,3,2,2,1,0.6667,1.0000,0.5000"),
        "{csv}"
    );
    assert!(csv.ends_with("*,,,4,3,2,1,0.7500,0.6667,0.5000\n"), "{csv}");
}

#[test]
fn a_unit_and_category_scope_counts_the_subtree_only() {
    let (_d, mut ds) = dataset();
    let mut n = new_campaign("西湖区居民", &[], &["西湖区"]);
    n.categories = vec!["resident".into()];
    let zx = create(&mut ds, n);
    let c = campaigns::get(&ds.conn, &zx).unwrap();
    let ids: Vec<i64> = campaigns::members(&ds.conn, &c)
        .unwrap()
        .iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(ids, vec![1, 2, 3, 4, 7, 8]);
    let mut n = new_campaign("商业", &[], &["西湖区"]);
    n.categories = vec!["commercial".into()];
    let zx = create(&mut ds, n);
    let c = campaigns::get(&ds.conn, &zx).unwrap();
    assert!(campaigns::members(&ds.conn, &c).unwrap().is_empty());
    // A named unit is listed even with nothing due.
    let p = campaigns::progress(&ds.conn, &c).unwrap();
    assert_eq!(p.units.len(), 1);
    assert_eq!(p.units[0].unit, "西湖区");
    assert_eq!(p.units[0].figures, figs(0, 0, 0, 0));
}

#[test]
fn a_ticket_carries_its_campaign_by_default_only_when_there_is_one() {
    let (_d, mut ds) = dataset();
    let a = create(&mut ds, new_campaign("A", &["ARC-01"], &[]));
    let b = create(&mut ds, new_campaign("B", &[], &["西湖区"]));
    // 4 (BIL-05 at 城关) is in B only; 3 (ARC-01 at 城关) is in both: no default.
    let t4 = ticket(&mut ds, &[4]);
    assert_eq!(campaign_of(&ds, &t4).as_deref(), Some(b.as_str()));
    let t3 = ticket(&mut ds, &[3]);
    assert_eq!(campaign_of(&ds, &t3), None);
    // Named: it must hold every finding.
    let au = ctx("auditor1", Role::Auditor, "2026-11-02");
    let e = act(
        &mut ds,
        &au,
        &CampaignAction::Ticket {
            create: ticket_create(&[1, 8]),
            campaign: a.clone(),
        },
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("finding(s) 1 do not belong to campaign"),
        "{e}"
    );
    assert_eq!(jicha::tickets::open_ticket_of(&ds.conn, 8).unwrap(), None);
    let out = act(
        &mut ds,
        &au,
        &CampaignAction::Ticket {
            create: ticket_create(&[8]),
            campaign: a.clone(),
        },
    )
    .unwrap();
    let t8 = word(&out.text(Lang::En), "JC-");
    assert_eq!(campaign_of(&ds, &t8).as_deref(), Some(a.as_str()));
    assert_eq!(campaigns::tickets_of(&ds.conn, &a).unwrap(), vec![t8]);
    // Closed: no more tickets, no second closing.
    act(&mut ds, &au, &CampaignAction::Close { number: a.clone() }).unwrap();
    let e = act(
        &mut ds,
        &au,
        &CampaignAction::Ticket {
            create: ticket_create(&[7]),
            campaign: a.clone(),
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("is closed"), "{e}");
    let e = act(&mut ds, &au, &CampaignAction::Close { number: a }).unwrap_err();
    assert!(e.to_string().contains("is closed"), "{e}");
    assert_state_verifies(&ds);
}

#[test]
fn spread_makes_a_special_campaign_of_the_rule_over_every_unit_logged() {
    let (_d, mut ds) = dataset();
    let au = ctx("auditor1", Role::Auditor, "2026-11-12");
    let out = act(
        &mut ds,
        &au,
        &CampaignAction::Spread {
            finding: 5,
            name: None,
            to: None,
        },
    )
    .unwrap();
    assert_eq!(
        out.text(Lang::En),
        "campaign ZX-20261112-001 spreads rule ARC-01 of finding 5 to every unit: 4 finding(s) in its scope now"
    );
    let c = campaigns::get(&ds.conn, "ZX-20261112-001").unwrap();
    assert_eq!(c.kind, Kind::Special);
    assert_eq!(c.rules, vec!["ARC-01".to_string()]);
    assert!(c.units.is_empty());
    assert_eq!(c.source_finding, Some(5));
    assert_eq!(
        (c.period_from.as_str(), c.period_to.as_str()),
        ("2026-11-01", "2027-02-10")
    );
    let (action, target): (String, String) = ds
        .conn
        .query_row(
            "SELECT action, target FROM action_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (action.as_str(), target.as_str()),
        ("campaign.spread", "campaign:ZX-20261112-001")
    );

    // Every unit: an operator bound to a station may not.
    let mut bound = ctx("auditor2", Role::Auditor, "2026-11-12");
    bound.unit = Some("城关供电所".into());
    let e = act(
        &mut ds,
        &bound,
        &CampaignAction::Spread {
            finding: 3,
            name: None,
            to: None,
        },
    )
    .unwrap_err();
    assert!(matches!(e, jicha::error::JichaError::OutOfScope(_)), "{e}");
    // … but may run one over its own unit.
    act(
        &mut ds,
        &bound,
        &CampaignAction::Create(new_campaign("所内", &[], &["城关供电所"])),
    )
    .unwrap();
}

#[test]
fn bad_input_is_refused_with_what_to_fix() {
    let (_d, mut ds) = dataset();
    let au = ctx("auditor1", Role::Auditor, "2026-11-02");
    let e = act(
        &mut ds,
        &au,
        &CampaignAction::Create(new_campaign("x", &["ARC-99"], &[])),
    )
    .unwrap_err();
    assert!(e.to_string().contains("unknown rule `ARC-99`"), "{e}");
    let e = act(
        &mut ds,
        &au,
        &CampaignAction::Create(new_campaign("x", &[], &["城关供電所"])),
    )
    .unwrap_err();
    assert!(e.to_string().contains("城关供电所"), "nearest name: {e}");
    let e = act(
        &mut ds,
        &au,
        &CampaignAction::Create(new_campaign(" ", &[], &[])),
    )
    .unwrap_err();
    assert!(e.to_string().contains("needs a name"), "{e}");
    let mut n = new_campaign("x", &[], &[]);
    n.to = day("2026-10-01");
    let e = act(&mut ds, &au, &CampaignAction::Create(n)).unwrap_err();
    assert!(e.to_string().contains("before it starts"), "{e}");
    let mut n = new_campaign("x", &[], &[]);
    n.categories = vec!["industrial".into()];
    let e = act(&mut ds, &au, &CampaignAction::Create(n)).unwrap_err();
    assert!(e.to_string().contains("unknown customer category"), "{e}");
    let v = ctx("viewer1", Role::Viewer, "2026-11-02");
    let e = act(
        &mut ds,
        &v,
        &CampaignAction::Create(new_campaign("x", &[], &[])),
    )
    .unwrap_err();
    assert!(e.to_string().contains("auditor"), "{e}");
    let e = campaigns::get(&ds.conn, "ZX-1").unwrap_err();
    assert!(e.to_string().contains("no campaign ZX-1"), "{e}");
    assert!(campaigns::list(&ds.conn, false).unwrap().is_empty());
}

#[test]
fn a_campaign_edited_behind_jichas_back_is_named_by_the_state_check() {
    let (_d, mut ds) = dataset();
    let zx = create(&mut ds, new_campaign("电话号码专项", &["ARC-01"], &[]));
    assert_state_verifies(&ds);
    ds.conn
        .execute("UPDATE campaigns SET rules = '[]' WHERE number = ?1", [&zx])
        .unwrap();
    let report = jicha::ledger::verify(&ds.conn).unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| format!("{p:?}").contains("table: \"campaigns\"")
                && format!("{p:?}").contains("rules")),
        "{:#?}",
        report.problems
    );
}
