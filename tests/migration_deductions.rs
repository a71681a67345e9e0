//! Migration 12 (deductions at dispatch, accountability, QC) on a dataset made at schema 11,
//! built from the SQL of migrations 1–11 with a hash-chained action log written the way
//! jicha writes it: it opens with the new code, keeps its tickets and their history, `log
//! verify`'s chain and state checks pass, the standard is seeded (2 / 1 / 0.5 by severity),
//! the old ticket has no deduction, and a ticket created after the upgrade records its
//! proposed business deduction.

mod common;
use common::old_log::write_log;
use common::*;
use jicha::actions::{perform, Action};
use jicha::context::Role;
use jicha::db::migrations::{user_version, APPLICATION_ID, SCHEMA_VERSION};
use jicha::db::Dataset;
use rusqlite::Connection;

const SCHEMA_11: &[&str] = &[
    include_str!("../src/db/sql/001_init.sql"),
    include_str!("../src/db/sql/002_tickets.sql"),
    include_str!("../src/db/sql/003_quality.sql"),
    include_str!("../src/db/sql/004_state_ledger.sql"),
    include_str!("../src/db/sql/005_site_rules.sql"),
    include_str!("../src/db/sql/006_units.sql"),
    include_str!("../src/db/sql/007_review_chain.sql"),
    include_str!("../src/db/sql/008_escalations.sql"),
    include_str!("../src/db/sql/009_quality_levels.sql"),
    include_str!("../src/db/sql/010_inspections.sql"),
    include_str!("../src/db/sql/011_campaigns.sql"),
];

/// A schema-11 file: customers C1, C2 at 城关供电所, findings 1 (ticketed, high) and 2 (new,
/// medium), ticket JC-20261102-001 (rectifying, finding 1) with two events, and the log of
/// its dispatch and acknowledgement.
fn schema_11_file(path: &std::path::Path) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;")
        .unwrap();
    for sql in SCHEMA_11 {
        conn.execute_batch(sql).unwrap();
    }
    conn.execute_batch(&format!(
        "PRAGMA user_version = 11; PRAGMA application_id = {APPLICATION_ID};
         INSERT INTO customers VALUES
           ('C1','张三',NULL,'张三','13800000000','resident','RES','single',0.22,8,NULL,0,0,'城关供电所','西湖区','2020-01-01','active',NULL,1,2),
           ('C2','李四',NULL,'李四','13800000001','resident','RES','single',0.22,8,NULL,0,0,'城关供电所','西湖区','2020-01-01','active',NULL,1,3);
         INSERT INTO scans(id, started_at, finished_at, business_date, as_of, operator, thresholds, summary)
           VALUES (1,'t','t','2026-11-01','2026-11-01','admin1','{{}}','{{}}');
         INSERT INTO findings(id, rule, cust_no, subject, status, severity, evidence, first_seen, last_seen, first_scan, last_scan, status_date) VALUES
           (1,'ARC-04','C1','-','ticketed','high','e','2026-11-01','2026-11-01',1,1,'2026-11-02'),
           (2,'BIL-05','C2','2026-09','new','medium','e','2026-11-01','2026-11-01',1,1,'2026-11-01');
         INSERT INTO tickets(id, number, state, unit, requirement, issued_by, issued_on, due_on, version)
           VALUES (1, 'JC-20261102-001', 'rectifying', '城关供电所', '核实', 'auditor1', '2026-11-02', '2026-11-09', 2);
         INSERT INTO ticket_findings(ticket_id, finding_id) VALUES (1, 1);
         INSERT INTO ticket_events(ticket_id, business_date, at_utc, operator, from_state, to_state, details)
           VALUES (1, '2026-11-02', '2026-11-02T01:00:00Z', 'auditor1', NULL, 'dispatched', '{{}}'),
                  (1, '2026-11-03', '2026-11-03T01:00:00Z', 'auditor1', 'dispatched', 'rectifying', '{{}}');"
    ))
    .unwrap();
    write_log(
        path,
        &conn,
        &[
            (
                "2026-11-02T01:00:00Z",
                "2026-11-02",
                "auditor1",
                "ticket.create",
                "ticket:JC-20261102-001",
                r#"{"findings":[1],"unit":"城关供电所"}"#,
            ),
            (
                "2026-11-03T01:00:00Z",
                "2026-11-03",
                "auditor1",
                "ticket.ack",
                "ticket:JC-20261102-001",
                "{}",
            ),
        ],
    );
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_schema_11_dataset_upgrades_keeps_its_tickets_verifies_and_records_deductions_after() {
    const { assert!(SCHEMA_VERSION >= 12) };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v11.jicha");
    schema_11_file(&path);

    let mut ds = Dataset::open(&path).unwrap();
    assert_eq!(user_version(&ds.conn).unwrap(), SCHEMA_VERSION);
    let t = jicha::tickets::get(&ds.conn, "JC-20261102-001", day("2026-11-05")).unwrap();
    assert_eq!(t.state, "rectifying");
    assert_eq!(jicha::tickets::events(&ds.conn, t.id).unwrap().len(), 2);
    assert_eq!(jicha::tickets::finding_ids(&ds.conn, t.id).unwrap(), [1]);
    assert!(jicha::deductions::of_ticket(&ds.conn, t.id)
        .unwrap()
        .is_empty());
    let seeded: String = ds
        .conn
        .query_row(
            "SELECT group_concat(severity || '=' || points, ' ') FROM
               (SELECT * FROM deduction_standard WHERE subject = '*' ORDER BY points DESC)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(seeded, "high=2.0 medium=1.0 low=0.5");
    assert_eq!(
        count(&ds.conn, "SELECT count(*) FROM ticket_accountability"),
        0
    );
    // `log verify`: the chain written at schema 11 holds; no ledger yet, nothing to disagree.
    let chain = jicha::actionlog::verify(&ds.conn).unwrap();
    assert_eq!(chain.records, 2);
    assert!(chain.first_broken.is_none());
    assert_state_verifies(&ds);

    // A ticket after the upgrade: finding 2 (medium) costs 城关供电所 1 point at dispatch.
    let a = ctx("auditor1", Role::Auditor, "2026-11-05");
    let out = perform(
        &mut ds,
        &a,
        &Action::TicketCreate {
            findings: vec![2],
            unit: None,
            person: None,
            due: None,
            requirement: "核实".into(),
        },
    )
    .unwrap();
    assert!(out
        .text(jicha::context::Lang::En)
        .contains("JC-20261105-001"));
    let t2 = jicha::tickets::get(&ds.conn, "JC-20261105-001", a.today).unwrap();
    let d = jicha::deductions::of_ticket(&ds.conn, t2.id).unwrap();
    assert_eq!(d.len(), 1);
    assert_eq!(
        (
            d[0].kind.as_str(),
            d[0].unit.as_str(),
            d[0].proposed,
            d[0].points
        ),
        ("business", "城关供电所", 1.0, 1.0)
    );
    // The old ticket goes on: submitted naming the person responsible.
    let submit = jicha::actions::deductions::SubmitAccountable {
        submit: Action::TicketSubmit {
            number: "JC-20261102-001".into(),
            cause: "漏录".into(),
            measures: "已补录".into(),
            recovered: None,
        },
        person: Some("赵工".into()),
        outcome: Some("criticism".into()),
    };
    jicha::actions::deductions::submit(&mut ds, &a, &submit).unwrap();
    let acc = jicha::deductions::accountability(&ds.conn, t.id)
        .unwrap()
        .unwrap();
    assert_eq!(acc.outcome.as_deref(), Some("criticism"));
    let chain = jicha::actionlog::verify(&ds.conn).unwrap();
    assert!(chain.records > 2);
    assert!(chain.first_broken.is_none());
    assert_state_verifies(&ds);
    assert_eq!(
        jicha::tickets::events(&ds.conn, t.id).unwrap().len(),
        3,
        "its history and the submission"
    );
    drop(ds);
    // `jicha log verify` itself: chain, anchor and state agree.
    let (code, out, err) = jicha::cli::run_in_process([
        "jicha",
        "--db",
        path.to_str().unwrap(),
        "--today",
        "2026-11-05",
        "log",
        "verify",
    ]);
    let (out, err) = (
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    );
    assert_eq!(code, 0, "{out}{err}");
}
