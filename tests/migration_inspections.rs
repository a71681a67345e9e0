//! Migration 10 (on-site inspections): a dataset of schema version 9 upgrades in place, its
//! tickets keep their state and history, an old ticket requires no inspection, and an
//! inspection can be planned for it at once.

mod common;
use common::*;
use jicha::context::{Lang, Role};

#[test]
fn version_9_dataset_gains_the_inspection_tables_and_keeps_its_tickets() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.jicha");
    let conn = rusqlite::Connection::open(&path).unwrap();
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
           ('C1','张三商店',NULL,'张三','13800000000','resident','RES','single',0.22,8,NULL,0,0,'城关供电所','西湖区','2020-01-01','active',NULL,1,2);
         INSERT INTO scans(id, started_at, finished_at, business_date, as_of, operator, thresholds, summary)
           VALUES (1,'t','t','2026-11-01','2026-11-01','admin1','{{}}','{{}}');
         INSERT INTO findings(id, rule, cust_no, subject, status, severity, evidence, amount_yuan, first_seen, last_seen, first_scan, last_scan, status_date) VALUES
           (1,'ARC-04','C1','-','ticketed','high','e',NULL,'2026-11-01','2026-11-01',1,1,'2026-11-02');
         INSERT INTO tickets(id, number, state, unit, requirement, issued_by, issued_on, due_on)
           VALUES (1, 'JC-20261102-001', 'rectifying', '城关供电所', '核实户名', 'auditor1', '2026-11-02', '2026-11-09');
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
    const { assert!(jicha::db::migrations::SCHEMA_VERSION >= 10) };
    let t = jicha::tickets::get(&ds.conn, "JC-20261102-001", day("2026-11-05")).unwrap();
    assert_eq!(t.state.as_str(), "rectifying");
    assert_eq!(jicha::tickets::events(&ds.conn, t.id).unwrap().len(), 2);
    let required: Option<i64> = ds
        .conn
        .query_row(
            "SELECT requires_inspection FROM tickets WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(required, None, "an old ticket requires no inspection");

    let a = ctx("auditor1", Role::Auditor, "2026-11-05");
    let out = jicha::actions::inspections::create_for(
        &mut ds,
        &a,
        &[],
        jicha::inspections::Method::Records,
        day("2026-11-06"),
        vec!["张工".into()],
        None,
        Some("JC-20261102-001".into()),
    )
    .unwrap();
    assert!(
        out.text(Lang::En).contains("XC-20261105-001"),
        "{}",
        out.text(Lang::En)
    );
    // The old ticket submits without a recorded inspection.
    jicha::actions::perform(
        &mut ds,
        &a,
        &jicha::actions::Action::TicketSubmit {
            number: "JC-20261102-001".into(),
            cause: "c".into(),
            measures: "m".into(),
            recovered: None,
        },
    )
    .unwrap();
}
