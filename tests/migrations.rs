//! A dataset made by an older jicha (schema version 1) is upgraded on open, its data kept.

#[test]
fn version_1_dataset_is_upgraded_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.jicha");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA journal_mode=WAL;").unwrap();
    conn.execute_batch(include_str!("../src/db/sql/001_init.sql"))
        .unwrap();
    conn.execute_batch(&format!(
        "PRAGMA user_version = 1; PRAGMA application_id = {};
         INSERT INTO customers VALUES ('C1','张三',NULL,'张三','13800000000','resident','RES','single',0.22,8,NULL,0,0,'城关供电所','西湖区','2020-01-01','active',NULL,1,2);",
        jicha::db::migrations::APPLICATION_ID
    ))
    .unwrap();
    drop(conn);

    let ds = jicha::db::Dataset::open(&path).unwrap();
    assert_eq!(
        jicha::db::migrations::user_version(&ds.conn).unwrap(),
        jicha::db::migrations::SCHEMA_VERSION
    );
    const { assert!(jicha::db::migrations::SCHEMA_VERSION > 1) };
    let name: String = ds
        .conn
        .query_row("SELECT name FROM customers WHERE cust_no = 'C1'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(name, "张三");
    // The tables of later versions exist now.
    let tickets: i64 = ds
        .conn
        .query_row("SELECT count(*) FROM tickets", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tickets, 0);
}

/// A dataset of schema 6 (before the escalation notices) with a ticket and its history: it
/// opens with the 督办单 tables added, the ticket and its events as they were, and a run of
/// the notices then escalates that ticket.
#[test]
fn version_6_dataset_gains_the_escalation_tables_and_keeps_its_tickets() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v6.jicha");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA journal_mode=WAL;").unwrap();
    for sql in [
        include_str!("../src/db/sql/001_init.sql"),
        include_str!("../src/db/sql/002_tickets.sql"),
        include_str!("../src/db/sql/003_quality.sql"),
        include_str!("../src/db/sql/004_state_ledger.sql"),
        include_str!("../src/db/sql/005_site_rules.sql"),
        include_str!("../src/db/sql/006_units.sql"),
    ] {
        conn.execute_batch(sql).unwrap();
    }
    conn.execute_batch(&format!(
        "PRAGMA user_version = 6; PRAGMA application_id = {};
         INSERT INTO tickets(id, number, state, unit, requirement, issued_by, issued_on, due_on)
           VALUES (1, 'JC-20261102-001', 'rectifying', '城关供电所', '核实户名', 'auditor1', '2026-11-02', '2026-11-09');
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
    let t = jicha::tickets::get(
        &ds.conn,
        "JC-20261102-001",
        jicha::dates::parse_date("2026-11-13").unwrap(),
    )
    .unwrap();
    assert_eq!(
        (t.state.as_str(), t.unit.as_str()),
        ("rectifying", "城关供电所")
    );
    assert_eq!(jicha::tickets::events(&ds.conn, t.id).unwrap().len(), 2);
    assert!(jicha::escalation::list(&ds.conn, false).unwrap().is_empty());

    let ctx = jicha::context::Ctx {
        unit: None,
        operator: "centre1".into(),
        role: jicha::context::Role::Auditor,
        today: jicha::dates::parse_date("2026-11-13").unwrap(),
        lang: jicha::context::Lang::En,
    };
    jicha::actions::escalation::run(&mut ds, &ctx, jicha::actions::escalation::Trigger::Command)
        .unwrap();
    let open = jicha::escalation::list(&ds.conn, true).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].unit, "城关供电所");
    let listed = jicha::escalation::listed(&ds.conn, open[0].id).unwrap();
    assert_eq!(listed[0].days_overdue, 4);
}
