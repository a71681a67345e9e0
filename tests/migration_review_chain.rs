//! Migration 7 (the review chain): a schema-6 dataset with tickets is upgraded in place on open.
//! `tickets` is rebuilt (SQLite cannot change its state CHECK) with foreign keys on, while
//! `ticket_findings` and `ticket_events` refer to it; every ticket keeps its fields, its
//! findings and its history, the state ledger still agrees, and the new states are admitted.

mod common;
use common::*;
use jicha::actions::{perform, Action};
use jicha::context::Role;
use jicha::db::migrations::{user_version, APPLICATION_ID, SCHEMA_VERSION};
use jicha::db::Dataset;
use jicha::tickets;
use rusqlite::Connection;

const SCHEMA_6: &[&str] = &[
    include_str!("../src/db/sql/001_init.sql"),
    include_str!("../src/db/sql/002_tickets.sql"),
    include_str!("../src/db/sql/003_quality.sql"),
    include_str!("../src/db/sql/004_state_ledger.sql"),
    include_str!("../src/db/sql/005_site_rules.sql"),
    include_str!("../src/db/sql/006_units.sql"),
];

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// A dataset as jicha's schema 6 made it: two tickets (one approved, one submitted) with their
/// findings and five events (ids 10–14).
fn schema_6_file(path: &std::path::Path) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;")
        .unwrap();
    for sql in SCHEMA_6 {
        conn.execute_batch(sql).unwrap();
    }
    conn.execute_batch(&format!(
        "PRAGMA user_version = 6; PRAGMA application_id = {APPLICATION_ID};
         INSERT INTO customers VALUES ('C1','张三商店',NULL,'张三','13800000000','resident','RES','single',0.22,8,NULL,0,0,'城关供电所','西湖区','2020-01-01','active',NULL,1,2);
         INSERT INTO scans(id, started_at, finished_at, business_date, as_of, operator, thresholds, summary)
           VALUES (1,'t','t','2026-11-01','2026-11-01','admin1','{{}}','{{}}');
         INSERT INTO findings(id, rule, cust_no, subject, status, severity, evidence, amount_yuan, first_seen, last_seen, first_scan, last_scan, status_date) VALUES
           (1,'ARC-04','C1','-','closed','high','e',NULL,'2026-11-01','2026-11-01',1,1,'2026-11-03'),
           (2,'BIL-05','C1','2026-09','ticketed','high','e',12.0,'2026-11-01','2026-11-01',1,1,'2026-11-02');
         UPDATE findings SET resolution = 'rectified' WHERE id = 1;
         INSERT INTO tickets(id, number, state, unit, person, requirement, issued_by, issued_on, due_on,
                             cause, measures, recovered_yuan, submitted_by, submitted_on, approved_by, approved_on, version)
           VALUES (1,'JC-20261102-001','approved','城关供电所','赵工','核实','auditor1','2026-11-02','2026-11-09',
                   '原因','措施',12.5,'auditor1','2026-11-03','rev1','2026-11-03',4),
                  (2,'JC-20261102-002','submitted','城关供电所',NULL,'补录','auditor1','2026-11-02','2026-11-09',
                   '原因','措施',NULL,'auditor1','2026-11-03',NULL,NULL,3);
         INSERT INTO ticket_findings VALUES (1,1),(2,2);
         INSERT INTO ticket_events(id, ticket_id, business_date, at_utc, operator, from_state, to_state, details) VALUES
           (10,1,'2026-11-02','2026-11-02T01:00:00Z','auditor1',NULL,'dispatched','{{\"unit\":\"城关供电所\"}}'),
           (11,1,'2026-11-03','2026-11-03T01:00:00Z','auditor1','dispatched','submitted','{{\"cause\":\"原因\"}}'),
           (12,1,'2026-11-03','2026-11-03T02:00:00Z','rev1','submitted','approved','{{\"late\":false}}'),
           (13,2,'2026-11-02','2026-11-02T01:05:00Z','auditor1',NULL,'dispatched','{{}}'),
           (14,2,'2026-11-03','2026-11-03T01:05:00Z','auditor1','dispatched','submitted','{{}}');"
    ))
    .unwrap();
    // Schema 6 refuses the new states.
    assert!(conn
        .execute("UPDATE tickets SET state = 'reviewed' WHERE id = 2", [])
        .is_err());
}

#[test]
fn a_schema_6_file_with_tickets_and_events_is_upgraded_in_place() {
    const { assert!(SCHEMA_VERSION >= 7) };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v6.jicha");
    schema_6_file(&path);

    let ds = Dataset::open(&path).unwrap();
    let c = &ds.conn;
    assert_eq!(user_version(c).unwrap(), SCHEMA_VERSION);
    let fk_on: i64 = count(c, "PRAGMA foreign_keys");
    assert_eq!(fk_on, 1, "the dataset was upgraded with foreign keys on");
    assert_eq!(count(c, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    // Every ticket with its fields, in the same columns; the new ones empty.
    let t = tickets::get(c, "JC-20261102-001", day("2026-11-05")).unwrap();
    assert_eq!(
        (
            t.id,
            t.state.as_str(),
            t.unit.as_str(),
            t.person.as_deref(),
            t.recovered_yuan,
            t.approved_by.as_deref(),
            t.approved_on.as_deref(),
            t.version,
            t.findings
        ),
        (
            1,
            "approved",
            "城关供电所",
            Some("赵工"),
            Some(12.5),
            Some("rev1"),
            Some("2026-11-03"),
            4,
            1
        )
    );
    assert_eq!(
        (t.reviewed_by, t.reviewed_on, t.archived_by, t.archived_on),
        (None, None, None, None)
    );
    let columns: Vec<String> = {
        let mut s = c
            .prepare("SELECT name FROM pragma_table_info('tickets')")
            .unwrap();
        s.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    // Migrations 10 and 11 append `requires_inspection` and `campaign` after the review
    // chain's columns.
    assert_eq!(
        &columns[columns.len() - 7..columns.len() - 2],
        [
            "version",
            "reviewed_by",
            "reviewed_on",
            "archived_by",
            "archived_on"
        ],
        "old columns keep their order (the ledger hashes them in it), new ones last"
    );
    assert_eq!(
        &columns[columns.len() - 2..],
        ["requires_inspection", "campaign"]
    );
    history_and_links_kept(c);
    // The new states are admitted, nothing else is.
    c.execute("UPDATE tickets SET state = 'reviewed' WHERE id = 2", [])
        .unwrap();
    c.execute("UPDATE tickets SET state = 'archived' WHERE id = 1", [])
        .unwrap();
    assert!(c
        .execute("UPDATE tickets SET state = 'bogus' WHERE id = 1", [])
        .is_err());
    // A ticket still cannot point at nothing.
    assert!(c
        .execute("INSERT INTO ticket_events(ticket_id, business_date, at_utc, operator, to_state, details) VALUES (99,'d','t','o','x','{}')", [])
        .is_err());
}

/// The upgraded file's history (ids kept), finding links, indexes; no scratch table left.
fn history_and_links_kept(c: &Connection) {
    // The history, with its ids.
    let ev = tickets::events(c, 1).unwrap();
    let states: Vec<&str> = ev.iter().map(|e| e.to_state.as_str()).collect();
    assert_eq!(states, ["dispatched", "submitted", "approved"]);
    assert_eq!(ev[2].operator, "rev1");
    let ids: String = c
        .query_row(
            "SELECT group_concat(id) FROM (SELECT id FROM ticket_events ORDER BY id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(ids, "10,11,12,13,14");
    let links: String = c
        .query_row(
            "SELECT group_concat(ticket_id || ':' || finding_id) FROM (SELECT * FROM ticket_findings ORDER BY 1, 2)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(links, "1:1,2:2");
    assert_eq!(
        tickets::open_ticket_of(c, 2).unwrap().as_deref(),
        Some("JC-20261102-002")
    );
    let indexes = count(
        c,
        "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'tickets'
           AND name IN ('tickets_state', 'tickets_issued')",
    );
    assert_eq!(indexes, 2);
    assert_eq!(
        count(
            c,
            "SELECT count(*) FROM sqlite_schema WHERE name LIKE '%v7%' OR name LIKE 'm7%'"
        ),
        0,
        "no scratch table is left"
    );
}

/// The log of what made `schema_6_file`'s tickets, chained and anchored as jicha left it.
fn log_of_schema_6(path: &std::path::Path) {
    let conn = Connection::open(path).unwrap();
    let create = |n: &str| format!("{{\"findings\":[{n}],\"unit\":\"城关供电所\"}}");
    let (c1, c2) = (create("1"), create("2"));
    common::old_log::write_log(
        path,
        &conn,
        &[
            (
                "2026-11-02T01:00:00Z",
                "2026-11-02",
                "auditor1",
                "ticket.create",
                "ticket:JC-20261102-001",
                &c1,
            ),
            (
                "2026-11-02T01:05:00Z",
                "2026-11-02",
                "auditor1",
                "ticket.create",
                "ticket:JC-20261102-002",
                &c2,
            ),
            (
                "2026-11-03T01:00:00Z",
                "2026-11-03",
                "auditor1",
                "ticket.submit",
                "ticket:JC-20261102-001",
                "{}",
            ),
            (
                "2026-11-03T01:05:00Z",
                "2026-11-03",
                "auditor1",
                "ticket.submit",
                "ticket:JC-20261102-002",
                "{}",
            ),
            (
                "2026-11-03T02:00:00Z",
                "2026-11-03",
                "rev1",
                "ticket.approve",
                "ticket:JC-20261102-001",
                "{}",
            ),
        ],
    );
    drop(conn);
}

/// A schema-6 file built from SQL (`schema_6_file`) with the log of what made its two
/// tickets, chained as jicha chains it: after the upgrade `log verify`'s chain and state checks
/// agree, and its submitted ticket goes on through the new chain.
#[test]
fn an_upgraded_dataset_still_verifies_and_its_tickets_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v6.jicha");
    schema_6_file(&path);
    log_of_schema_6(&path);

    let mut ds = Dataset::open(&path).unwrap();
    assert_eq!(user_version(&ds.conn).unwrap(), SCHEMA_VERSION);
    let chain = jicha::actionlog::verify(&ds.conn).unwrap();
    assert_eq!(chain.records, 5);
    assert!(chain.first_broken.is_none());
    assert_state_verifies(&ds);
    let n = "JC-20261102-002".to_string();
    let t = tickets::get(&ds.conn, &n, day("2026-11-03")).unwrap();
    assert_eq!(t.state, "submitted");
    assert_eq!(tickets::events(&ds.conn, t.id).unwrap().len(), 2);

    // The upgraded ticket goes through both levels and the archive.
    let admin = ctx("admin1", Role::Admin, "2026-11-03");
    perform(
        &mut ds,
        &admin,
        &Action::ThresholdSet {
            name: "review_levels".into(),
            value: "2".into(),
        },
    )
    .unwrap();
    let unit_rev = jicha::context::Ctx {
        unit: Some("城关供电所".into()),
        ..ctx("rev_station", Role::Reviewer, "2026-11-03")
    };
    perform(
        &mut ds,
        &unit_rev,
        &Action::TicketReview { number: n.clone() },
    )
    .unwrap();
    perform(
        &mut ds,
        &ctx("revc1", Role::Reviewer, "2026-11-03"),
        &Action::TicketApprove { number: n.clone() },
    )
    .unwrap();
    perform(
        &mut ds,
        &admin,
        &Action::TicketArchive { number: n.clone() },
    )
    .unwrap();
    assert_eq!(
        tickets::get(&ds.conn, &n, day("2026-11-03")).unwrap().state,
        "archived"
    );
    assert_eq!(status(&ds, 2), ("closed".into(), Some("rectified".into())));
    assert_state_verifies(&ds);
    let chain = jicha::actionlog::verify(&ds.conn).unwrap();
    assert!(chain.records > 5);
    assert!(chain.first_broken.is_none());
}
