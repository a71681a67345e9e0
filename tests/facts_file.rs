//! The facts file (`<dataset>.facts`, issue 15 item 4): made with the dataset, attached on
//! every open, refused when missing or foreign, written by the import without the workflow
//! lock, named by `log verify` when edited behind jicha's back, copied by `jicha backup`.

use jicha::context::{Ctx, Lang, Role};
use jicha::db::{facts, Dataset};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

fn ctx(lang: Lang) -> Ctx {
    Ctx {
        operator: "admin1".into(),
        role: Role::Admin,
        today: "2026-11-20".parse().unwrap(),
        lang,
        unit: None,
    }
}

fn demo(dir: &Path, customers: u64) -> PathBuf {
    let export = dir.join("export");
    let opts = jicha::demo::DemoOptions {
        customers,
        months: 8,
        seed: 5,
        end_period: "2026-10".into(),
    };
    jicha::demo::write_demo(&export, &opts, &mut jicha::progress::silent).unwrap();
    export
}

/// A dataset with a demo import in it.
fn imported(customers: u64) -> (tempfile::TempDir, PathBuf, Dataset) {
    let dir = tempfile::tempdir().unwrap();
    let export = demo(dir.path(), customers);
    let db = dir.path().join("t.jicha");
    let mut ds = Dataset::create(&db, "admin1", "2026-01-01T00:00:00Z").unwrap();
    jicha::import::import_dir(
        &mut ds,
        &ctx(Lang::En),
        &export,
        &mut jicha::progress::silent,
    )
    .unwrap();
    (dir, db, ds)
}

fn count(conn: &rusqlite::Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn txn_state(conn: &rusqlite::Connection, schema: &str) -> i32 {
    let name = std::ffi::CString::new(schema).unwrap();
    unsafe { rusqlite::ffi::sqlite3_txn_state(conn.handle(), name.as_ptr()) }
}

#[test]
fn a_new_dataset_has_both_files_and_the_facts_tables_live_in_the_facts_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.jicha");
    let ds = Dataset::create(&db, "admin1", "2026-01-01T00:00:00Z").unwrap();
    let facts_file = facts::path_of(&db);
    assert!(
        facts_file.exists(),
        "{} made with the dataset",
        facts_file.display()
    );
    assert_eq!(
        jicha::db::header::read(&facts_file).unwrap(),
        jicha::db::header::FileKind::Sqlite {
            application_id: facts::APPLICATION_ID as u32,
            wal: true
        }
    );
    for table in facts::TABLES {
        assert_eq!(
            facts::schema_of(&ds.conn, table).unwrap(),
            "facts",
            "{table}"
        );
        let in_main = count(
            &ds.conn,
            &format!("SELECT count(*) FROM main.sqlite_schema WHERE name = '{table}'"),
        );
        assert_eq!(in_main, 0, "{table} is not in the workflow file");
    }
    // Unqualified names reach the facts tables.
    assert_eq!(count(&ds.conn, "SELECT count(*) FROM customers"), 0);
    assert_eq!(
        count(
            &ds.conn,
            "SELECT count(*) FROM main.sqlite_schema WHERE name = 'findings'"
        ),
        1
    );
    // Nothing of the build is left behind.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("building"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn a_missing_facts_file_is_refused_in_both_languages_and_nothing_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.jicha");
    drop(Dataset::create(&db, "admin1", "2026-01-01T00:00:00Z").unwrap());
    let facts_file = facts::path_of(&db);
    std::fs::remove_file(&facts_file).unwrap();
    let e = Dataset::open(&db).err().expect("refused");
    let en = e.to_string();
    assert!(en.contains("facts file") && en.contains("missing"), "{en}");
    assert!(en.contains(&facts_file.display().to_string()), "{en}");
    assert!(en.contains("restore both files"), "{en}");
    let zh = e.text(Lang::Zh);
    assert!(zh.contains("事实文件") && zh.contains("不见了"), "{zh}");
    assert!(
        !facts_file.exists(),
        "opening made no new, empty facts file"
    );
}

#[test]
fn another_datasets_facts_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.jicha"), dir.path().join("b.jicha"));
    drop(Dataset::create(&a, "admin1", "2026-01-01T00:00:00Z").unwrap());
    drop(Dataset::create(&b, "admin1", "2026-01-01T00:00:00Z").unwrap());
    std::fs::copy(facts::path_of(&b), facts::path_of(&a)).unwrap();
    let e = Dataset::open(&a).err().expect("refused");
    assert!(
        e.to_string().contains("is not this dataset's facts file"),
        "{e}"
    );
    assert!(e.text(Lang::Zh).contains("不是该数据集的事实文件"));
    // A file that is no facts file at all.
    std::fs::copy(&b, facts::path_of(&a)).unwrap();
    let e = Dataset::open(&a).err().expect("refused");
    assert!(
        e.to_string().contains("is not this dataset's facts file"),
        "{e}"
    );
}

#[test]
fn a_workflow_write_locks_the_workflow_file_only_and_a_facts_write_the_facts_file_only() {
    let (_dir, _db, mut ds) = imported(20);
    let tx = jicha::db::begin_workflow_write(&mut ds.conn).unwrap();
    assert_eq!(txn_state(&tx, "main"), rusqlite::ffi::SQLITE_TXN_WRITE);
    assert_ne!(txn_state(&tx, "facts"), rusqlite::ffi::SQLITE_TXN_WRITE);
    drop(tx);
    ds.write_facts(|tx| {
        assert_eq!(txn_state(tx, "facts"), rusqlite::ffi::SQLITE_TXN_WRITE);
        assert_ne!(txn_state(tx, "main"), rusqlite::ffi::SQLITE_TXN_WRITE);
        Ok(())
    })
    .unwrap();
    // A facts transaction that writes the workflow file is refused, and rolled back.
    let before = count(&ds.conn, "SELECT count(*) FROM main.action_log");
    let e = ds
        .write_facts(|tx| {
            tx.execute("INSERT INTO main.meta(key, value) VALUES ('x', 'y')", [])?;
            Ok(())
        })
        .unwrap_err();
    assert!(e.to_string().contains("wrote the workflow file"), "{e}");
    assert_eq!(
        count(&ds.conn, "SELECT count(*) FROM main.meta WHERE key = 'x'"),
        0
    );
    assert_eq!(
        count(&ds.conn, "SELECT count(*) FROM main.action_log"),
        before
    );
}

/// While an import's facts transaction is open (held here mid-run), another connection's
/// operator action commits: it does not wait for the import.
#[test]
fn an_operator_action_commits_while_an_import_holds_the_facts_file() {
    let (_dir, db, mut ds) = imported(200);
    jicha::scan::run_scan(
        &mut ds,
        &ctx(Lang::En),
        "2026-10-31".parse().unwrap(),
        &mut jicha::progress::silent,
    )
    .unwrap();
    let finding: i64 = count(&ds.conn, "SELECT min(id) FROM findings");
    let (started_tx, started_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let importer = std::thread::spawn(move || {
        ds.write_facts(|tx| {
            tx.execute("UPDATE customers SET name = name || '·'", [])?;
            started_tx.send(()).unwrap();
            // Held open until the operator's action has committed.
            release_rx.recv().unwrap();
            Ok(())
        })
        .unwrap();
        ds
    });
    started_rx.recv().unwrap();
    let (done_tx, done_rx) = mpsc::channel();
    let operator = std::thread::spawn(move || {
        let mut other = Dataset::open(&db).unwrap();
        let r = jicha::actions::perform(
            &mut other,
            &ctx(Lang::En),
            &jicha::actions::Action::Note {
                ids: vec![finding],
                text: "checked on site".into(),
            },
        );
        done_tx
            .send(r.map(|_| ()).map_err(|e| e.to_string()))
            .unwrap();
    });
    // A safety net against a hang, not a measurement: the action waits for nothing here.
    let got = done_rx.recv_timeout(Duration::from_secs(60));
    release_tx.send(()).unwrap();
    operator.join().unwrap();
    let ds = importer.join().unwrap();
    assert_eq!(
        got.expect("the action finished while the facts file was held"),
        Ok(())
    );
    let notes = count(&ds.conn, "SELECT count(*) FROM finding_notes");
    assert_eq!(notes, 1);
    let renamed = count(
        &ds.conn,
        "SELECT count(*) FROM customers WHERE name LIKE '%·'",
    );
    assert!(renamed > 0);
}

#[test]
fn an_edit_of_the_facts_file_behind_jichas_back_is_named_by_log_verify() {
    let (dir, db, mut ds) = imported(40);
    // A re-import of a changed customer writes source history.
    let csv = dir.path().join("export").join("customers.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut fields: Vec<String> = lines[1].split(',').map(str::to_string).collect();
    fields[1].push('改');
    lines[1] = fields.join(",");
    std::fs::write(&csv, lines.join("\n") + "\n").unwrap();
    jicha::import::import_dir(
        &mut ds,
        &ctx(Lang::En),
        &dir.path().join("export"),
        &mut jicha::progress::silent,
    )
    .unwrap();
    assert_eq!(count(&ds.conn, "SELECT count(*) FROM source_history"), 1);
    let clean = jicha::ledger::verify(&ds.conn).unwrap();
    assert!(clean.problems.is_empty(), "{:#?}", clean.problems);
    drop(ds);
    let raw = rusqlite::Connection::open(facts::path_of(&db)).unwrap();
    raw.execute("UPDATE imports SET operator = 'mallory' WHERE id = 1", [])
        .unwrap();
    raw.execute("UPDATE source_history SET old = '{}'", [])
        .unwrap();
    raw.execute(
        "UPDATE customers SET name = 'x' WHERE cust_no = (SELECT min(cust_no) FROM customers)",
        [],
    )
    .unwrap();
    drop(raw);
    let ds = Dataset::open(&db).unwrap();
    let report = jicha::ledger::verify(&ds.conn).unwrap();
    let said: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert!(said.iter().any(|p| p.starts_with("imports")), "{said:#?}");
    assert!(
        said.iter().any(|p| p.starts_with("source_history")),
        "{said:#?}"
    );
    assert!(said.iter().any(|p| p.starts_with("customers")), "{said:#?}");
}

#[test]
fn backup_copies_both_files_and_the_copy_opens_and_verifies() {
    let (dir, _db, mut ds) = imported(25);
    let dest = dir.path().join("copy.jicha");
    let summary = jicha::backup::backup(
        &mut ds,
        &ctx(Lang::En),
        &dest,
        &jicha::backup::Options::default(),
        &mut jicha::progress::silent,
    )
    .unwrap();
    assert!(facts::path_of(&dest).exists());
    assert!(summary.bytes > std::fs::metadata(&dest).unwrap().len());
    let checked = jicha::backup::verify_copy(&dest).unwrap();
    checked.verdict().unwrap();
    let customers = count(&ds.conn, "SELECT count(*) FROM customers");
    let copy = Dataset::open(&dest).unwrap();
    assert_eq!(
        count(&copy.conn, "SELECT count(*) FROM customers"),
        customers
    );
    assert!(customers > 0);
    drop(copy);
    // A copy without its facts file is no copy.
    std::fs::remove_file(facts::path_of(&dest)).unwrap();
    assert!(jicha::backup::verify_copy(&dest).is_err());
}
