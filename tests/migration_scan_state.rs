//! A dataset of schema 14 (before the incremental rescan's `scan_state`) with a scan and a
//! confirmed finding: it opens with the table added, the finding as it was; the first scan
//! after is full (the last scan left no state) and keeps the finding's identity and status,
//! the one after it is incremental.

use jicha::context::{Ctx, Lang, Role};
use jicha::rules::incremental::{self, FullBecause, Kind};
use jicha::scan::{run_scan_with, Mode};

#[test]
#[allow(clippy::too_many_lines)] // one old-schema file built, opened and scanned twice, in order
fn version_14_dataset_gains_scan_state_and_its_next_scan_is_full() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v14.jicha");
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
        include_str!("../src/db/sql/010_inspections.sql"),
        include_str!("../src/db/sql/011_campaigns.sql"),
        include_str!("../src/db/sql/012_deductions_qc.sql"),
        include_str!("../src/db/sql/013_source_history.sql"),
        include_str!("../src/db/sql/014_saved_views.sql"),
    ] {
        conn.execute_batch(sql).unwrap();
    }
    // C1 has no contact person: ARC-01 fires for it. Its one bill gives the earliest period.
    conn.execute_batch(&format!(
        "PRAGMA user_version = 14; PRAGMA application_id = {};
         INSERT INTO imports(id, at_utc, business_date, operator, source_dir, summary)
           VALUES (1, '2026-11-01T01:00:00Z', '2026-11-01', 'auditor1', '/x', '{{}}');
         INSERT INTO customers VALUES ('C1','张三','杭州市西湖区文三路1号',NULL,'13800000000','resident','RES','single',0.22,8,NULL,0,0,'城关供电所','西湖区','2020-01-01','active',NULL,1,2);
         INSERT INTO bills VALUES ('C1','2026-10','2026-10-20',100,200,1,100,0,60,60,1,2);
         INSERT INTO scans(id, started_at, finished_at, business_date, as_of, operator, thresholds, summary)
           VALUES (1, '2026-11-01T02:00:00Z', '2026-11-01T02:00:05Z', '2026-11-01', '2026-11-01', 'auditor1', '{{}}', '{{}}');
         INSERT INTO findings(id, rule, cust_no, subject, status, severity, evidence, first_seen, last_seen,
                              first_scan, last_scan, status_date)
           VALUES (7, 'ARC-01', 'C1', '-', 'confirmed', 'low', '{{\"kind\":\"ARC-01\",\"contact_empty\":true,\"phone_empty\":false,\"bad_phone\":null}}',
                   '2026-11-01', '2026-11-01', 1, 1, '2026-11-02');",
        jicha::db::migrations::APPLICATION_ID
    ))
    .unwrap();
    drop(conn);

    let mut ds = jicha::db::Dataset::open(&path).unwrap();
    assert_eq!(
        jicha::db::migrations::user_version(&ds.conn).unwrap(),
        jicha::db::migrations::SCHEMA_VERSION
    );
    let states: i64 = ds
        .conn
        .query_row("SELECT count(*) FROM scan_state", [], |r| r.get(0))
        .unwrap();
    assert_eq!(states, 0);
    let as_of = jicha::dates::parse_date("2026-11-01").unwrap();
    {
        let tx = ds.conn.unchecked_transaction().unwrap();
        let th = jicha::thresholds::Thresholds::load(&tx).unwrap();
        assert_eq!(
            incremental::plan(&tx, &th, as_of, false).unwrap(),
            Err(FullBecause::NoState)
        );
    }
    let ctx = Ctx {
        unit: None,
        operator: "centre1".into(),
        role: Role::Auditor,
        today: jicha::dates::parse_date("2026-11-03").unwrap(),
        lang: Lang::En,
    };
    let s = run_scan_with(
        &mut ds,
        &ctx,
        as_of,
        Mode::Auto,
        &mut jicha::progress::silent,
    )
    .unwrap();
    assert_eq!((s.kind, s.rejudged), (Kind::Full, 1));
    let f: (i64, String, i64, i64) = ds
        .conn
        .query_row(
            "SELECT id, status, first_scan, last_scan FROM findings WHERE rule = 'ARC-01' AND cust_no = 'C1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(f, (7, "confirmed".to_string(), 1, s.scan_id));
    let again = run_scan_with(
        &mut ds,
        &ctx,
        as_of,
        Mode::Auto,
        &mut jicha::progress::silent,
    )
    .unwrap();
    assert_eq!(again.kind, Kind::Incremental);
    assert_eq!(
        again.per_rule,
        s.per_rule
            .iter()
            .map(|c| {
                let mut c = c.clone();
                // Found again: nothing new, nothing cleared the second time.
                c.again = c.hits;
                c.new = 0;
                c.cleared = 0;
                c.reopened = 0;
                c
            })
            .collect::<Vec<_>>()
    );
}
