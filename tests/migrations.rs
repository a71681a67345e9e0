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
