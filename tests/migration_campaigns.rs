//! Migration 11 (campaigns, samples): a dataset of the schema before it, with a ticket and its
//! history, opens with the new tables and `tickets.campaign` added, the ticket and its events
//! as they were, and a campaign over its finding then counts it as checked and confirmed.

use jicha::campaigns::{self, progress::Figures};

#[test]
fn a_dataset_before_campaigns_upgrades_in_place_and_keeps_its_tickets() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v9.jicha");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA journal_mode=WAL;").unwrap();
    for sql in [
        include_str!("../src/db/sql/001_init.sql"),
        include_str!("../src/db/sql/002_tickets.sql"),
        include_str!("../src/db/sql/003_quality.sql"),
        include_str!("../src/db/sql/004_state_ledger.sql"),
        include_str!("../src/db/sql/005_site_rules.sql"),
        include_str!("../src/db/sql/006_units.sql"),
        include_str!("../src/db/sql/007_review_chain.sql"),
        include_str!("../src/db/sql/008_escalations.sql"),
        include_str!("../src/db/sql/009_quality_levels.sql"),
    ] {
        conn.execute_batch(sql).unwrap();
    }
    conn.execute_batch(&format!(
        "PRAGMA user_version = 9; PRAGMA application_id = {};
         INSERT INTO customers VALUES
           ('C1','张三',NULL,'张三','13800000000','resident','RES','single',0.22,8,NULL,0,0,'城关供电所','西湖区','2020-01-01','active',NULL,1,2);
         INSERT INTO scans(id, started_at, finished_at, business_date, as_of, operator, thresholds, summary)
           VALUES (1,'t','t','2026-11-01','2026-11-01','admin1','{{}}','{{}}');
         INSERT INTO findings(id, rule, cust_no, subject, status, severity, evidence, first_seen, last_seen, first_scan, last_scan, status_date)
           VALUES (1,'ARC-01','C1','-','ticketed','low','e','2026-11-01','2026-11-01',1,1,'2026-11-02');
         INSERT INTO tickets(id, number, state, unit, requirement, issued_by, issued_on, due_on)
           VALUES (1, 'JC-20261102-001', 'rectifying', '城关供电所', '核实', 'auditor1', '2026-11-02', '2026-11-09');
         INSERT INTO ticket_findings(ticket_id, finding_id) VALUES (1, 1);
         INSERT INTO ticket_events(ticket_id, business_date, at_utc, operator, from_state, to_state, details)
           VALUES (1, '2026-11-02', '2026-11-02T01:00:00Z', 'auditor1', NULL, 'dispatched', '{{}}'),
                  (1, '2026-11-03', '2026-11-03T01:00:00Z', 'auditor1', 'dispatched', 'rectifying', '{{}}');",
        jicha::db::migrations::APPLICATION_ID
    ))
    .unwrap();
    drop(conn);

    let mut ds = jicha::db::Dataset::open(&path).unwrap();
    assert_eq!(
        jicha::db::migrations::user_version(&ds.conn).unwrap(),
        jicha::db::migrations::SCHEMA_VERSION
    );
    let today = jicha::dates::parse_date("2026-11-13").unwrap();
    let t = jicha::tickets::get(&ds.conn, "JC-20261102-001", today).unwrap();
    assert_eq!(t.state.as_str(), "rectifying");
    assert_eq!(jicha::tickets::events(&ds.conn, t.id).unwrap().len(), 2);
    let campaign: Option<String> = ds
        .conn
        .query_row("SELECT campaign FROM tickets WHERE id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(campaign, None);
    assert!(campaigns::list(&ds.conn, false).unwrap().is_empty());
    assert!(jicha::sampling::list(&ds.conn).unwrap().is_empty());

    let ctx = jicha::context::Ctx {
        unit: None,
        operator: "admin1".into(),
        role: jicha::context::Role::Auditor,
        today,
        lang: jicha::context::Lang::En,
    };
    let spread = jicha::actions::campaigns::CampaignAction::Spread {
        finding: 1,
        name: None,
        to: None,
    };
    jicha::actions::campaigns::perform(&mut ds, &ctx, &spread).unwrap();
    let c = campaigns::list(&ds.conn, true).unwrap().remove(0);
    let p = campaigns::progress(&ds.conn, &c).unwrap();
    assert_eq!(
        p.total,
        Figures {
            due: 1,
            checked: 1,
            confirmed: 1,
            rectified: 0
        }
    );
}
