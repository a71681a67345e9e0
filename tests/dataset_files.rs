//! What opening and creating a dataset does to the files on disk: a file that is not a jicha
//! dataset is refused without a byte of it changed; a new dataset appears only complete (a
//! failed or killed first import leaves none, and nothing a later import refuses); a user who
//! may only read the file can read and verify it; a full disk is said in words.

mod common;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_jicha");

fn jicha(db: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(["--today", "2026-11-23", "--lang", "en"])
        .args(args)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn demo_export(dir: &Path, customers: u32) -> PathBuf {
    let export = dir.join(format!("export{customers}"));
    let out = Command::new(BIN)
        .args([
            "demo",
            "--customers",
            &customers.to_string(),
            "--end",
            "2026-10",
            "--out",
        ])
        .arg(&export)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    export
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Runs every kind of command on `path` and checks each is refused with `expect` in its
/// message while the directory (the file's bytes, no -wal or -shm) stays as it was.
fn refused_untouched(path: &Path, expect: &str) {
    let dir = path.parent().unwrap();
    let before = std::fs::read(path).unwrap();
    let listing = names(dir);
    let elsewhere = tempfile::tempdir().unwrap();
    let export = demo_export(elsewhere.path(), 5);
    for args in [
        vec!["findings"],
        vec!["log", "verify"],
        vec!["finding", "note", "1", "--text", "x"],
        vec!["import", export.to_str().unwrap()],
    ] {
        let out = jicha(path, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(expect), "{args:?}: {err}");
        assert!(err.contains("nothing was changed"), "{args:?}: {err}");
        assert_eq!(
            std::fs::read(path).unwrap(),
            before,
            "{args:?} changed the file"
        );
        assert_eq!(names(dir), listing, "{args:?} left files beside it");
    }
}

#[test]
fn another_programs_sqlite_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.sqlite");
    {
        let conn = rusqlite::Connection::open(&other).unwrap();
        conn.execute_batch(
            "PRAGMA application_id = 42; CREATE TABLE t(x); INSERT INTO t VALUES (1);",
        )
        .unwrap();
    }
    refused_untouched(&other, "not a jicha dataset (application id 0x2a)");
    // Still in rollback mode: the header's version bytes say 1, not 2 (WAL).
    let bytes = std::fs::read(&other).unwrap();
    assert_eq!((bytes[18], bytes[19]), (1, 1));
}

#[test]
fn an_empty_file_is_refused_and_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.jicha");
    std::fs::write(&empty, b"").unwrap();
    refused_untouched(&empty, "is an empty file, not a jicha dataset");
    assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0);
}

#[test]
fn a_text_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("notes.jicha");
    std::fs::write(
        &junk,
        "SQLite format 3 is what this text says, but it is not one.\n".repeat(3),
    )
    .unwrap();
    refused_untouched(&junk, "not a jicha dataset (not an SQLite file)");
}

#[test]
fn a_failed_first_import_leaves_no_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let export = demo_export(dir.path(), 20);
    // A quote opened and never closed: the import fails after it started loading.
    let bills = export.join("bills.csv");
    let mut text = std::fs::read_to_string(&bills).unwrap();
    text.push_str("\"3301000001,2026-10\n");
    std::fs::write(&bills, text).unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let db = home.join("audit.jicha");
    let out = jicha(&db, &["import", export.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("created dataset"),
        "{}",
        stderr(&out)
    );
    assert_eq!(names(&home), Vec::<String>::new(), "nothing left behind");
    // And the path is free for a good import.
    let good = demo_export(&dir.path().join("good"), 20);
    let out = jicha(&db, &["import", good.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        names(&home),
        ["audit.jicha", "audit.jicha.facts", "audit.jicha.loghead"]
    );
}

#[test]
fn a_killed_first_import_leaves_nothing_a_later_import_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let export = demo_export(dir.path(), 1500);
    let home = dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let db = home.join("audit.jicha");
    // Kill the first import at moments spread over its life.
    let mut killed_midway = 0;
    for delay_ms in [5u64, 20, 40, 80, 120, 200, 300, 450] {
        let mut child = Command::new(BIN)
            .arg("--db")
            .arg(&db)
            .args(["--today", "2026-11-23", "import"])
            .arg(&export)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let status = child.wait().unwrap();
        if db.exists() {
            // It finished first: a complete dataset, which a later open accepts.
            assert!(
                jicha(&db, &["log", "verify"]).status.success(),
                "a dataset in place is complete"
            );
            break;
        }
        if !status.success() {
            killed_midway += 1;
        }
        // Only the temporary files of the build are left, named so that no open looks at them:
        // the dataset's (`.audit.jicha.…`) and the facts file's, which is built under a
        // temporary name beside the dataset's temporary file (`..audit.jicha.….building.facts.…`).
        for name in names(&home) {
            assert!(
                name.starts_with(".audit.jicha.") || name.starts_with("..audit.jicha."),
                "{name}"
            );
        }
    }
    assert!(killed_midway > 0, "no import was killed before it finished");
    // Leftovers of a dead build older than a few seconds are cleaned by the next creation.
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    for name in names(&home) {
        if name.ends_with(".building") {
            std::fs::File::options()
                .write(true)
                .open(home.join(&name))
                .unwrap()
                .set_modified(old)
                .unwrap();
        }
    }
    let _ = std::fs::remove_file(&db);
    let _ = std::fs::remove_file(home.join("audit.jicha.loghead"));
    let small = demo_export(&dir.path().join("small"), 20);
    let out = jicha(&db, &["import", small.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        names(&home),
        ["audit.jicha", "audit.jicha.facts", "audit.jicha.loghead"]
    );
}

#[test]
fn a_write_that_runs_out_of_pages_says_the_disk_is_full() {
    // SQLite's page limit gives the same SQLITE_FULL as a full disk, without one.
    let dir = tempfile::tempdir().unwrap();
    let export = demo_export(dir.path(), 200);
    let mut ds = jicha::db::Dataset::create(
        &dir.path().join("t.jicha"),
        "admin1",
        "2026-01-01T00:00:00Z",
    )
    .unwrap();
    let pages: i64 = ds
        .conn
        .query_row("PRAGMA facts.page_count", [], |r| r.get(0))
        .unwrap();
    // The import writes the facts file (`db::facts`).
    ds.conn
        .execute_batch(&format!("PRAGMA facts.max_page_count = {}", pages + 2))
        .unwrap();
    let ctx = common::ctx("admin1", jicha::context::Role::Admin, "2026-11-23");
    let err = jicha::import::import_dir(&mut ds, &ctx, &export, &mut jicha::progress::silent)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!(
            "the disk holding {} is full; nothing was written (free space and retry)",
            dir.path().display()
        )
    );
    let imports: i64 = ds
        .conn
        .query_row("SELECT count(*) FROM imports", [], |r| r.get(0))
        .unwrap();
    assert_eq!(imports, 0, "nothing was written");
}

/// A small tmpfs, mounted for the test (root only); None where it cannot be.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(kib: u32) -> Option<SmallDisk> {
        if !jicha::context::is_root() {
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(SmallDisk { dir })
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[test]
fn a_first_import_onto_a_full_disk_says_so_and_leaves_nothing() {
    let Some(disk) = SmallDisk::mount(5 * 1024) else {
        eprintln!("skipped: mounting a small tmpfs needs root");
        return;
    };
    let src = tempfile::tempdir().unwrap();
    let export = demo_export(src.path(), 2000);
    let db = disk.dir.path().join("audit.jicha");
    let out = jicha(&db, &["import", export.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "jicha: the disk holding {} is full; nothing was written (free space and retry)\n",
            disk.dir.path().display()
        )
    );
    assert_eq!(
        names(disk.dir.path()),
        Vec::<String>::new(),
        "nothing left behind"
    );

    // A dataset that fits, then a disk filled up by something else: a note says so too.
    let small = demo_export(src.path(), 5);
    let out = jicha(&db, &["import", small.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = jicha(&db, &["scan"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let filler = disk.dir.path().join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).unwrap();
        while f.write_all(&[0u8; 4096]).is_ok() {}
    }
    let big_note = "说明".repeat(20_000);
    let out = jicha(&db, &["finding", "note", "1", "--text", &big_note]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is full; nothing was written (free space and retry)"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_file(&filler).unwrap();
    let out = jicha(
        &db,
        &["finding", "note", "1", "--text", "after the disk was freed"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(jicha(&db, &["log", "verify"]).status.success());
}

const READER: &str = "jicha_t_reader";

fn as_reader(bin: &Path, db: &Path, args: &[&str]) -> Output {
    Command::new("runuser")
        .args(["-u", READER, "--"])
        .arg(bin)
        .arg("--db")
        .arg(db)
        .args(["--today", "2026-11-23", "--lang", "en"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_user_who_may_only_read_can_list_and_verify() {
    if !jicha::context::is_root() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run this test as root"
        );
        eprintln!("skipped: creating a test user needs root");
        return;
    }
    let _ = Command::new("useradd")
        .args(["-M", "-s", "/bin/sh", READER])
        .output();
    let top = tempfile::tempdir().unwrap();
    std::fs::set_permissions(top.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let bin = top.path().join("jicha");
    std::fs::copy(BIN, &bin).unwrap();
    let export = demo_export(top.path(), 50);
    // A directory the reader cannot write, a dataset file only its owner can write.
    let home = top.path().join("audit");
    std::fs::create_dir(&home).unwrap();
    std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o755)).unwrap();
    let db = home.join("audit.jicha");
    assert!(jicha(&db, &["import", export.to_str().unwrap()])
        .status
        .success());
    assert!(jicha(&db, &["scan"]).status.success());
    // An auditor, so that a note is refused for the file's sake, not the role's.
    let out = jicha(&db, &["operator", "add", READER, "--role", "auditor"]);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let before = std::fs::read(&db).unwrap();
    let listing = names(&home);
    // Nobody has it open, so there is no -shm file the reader could use, and it may not
    // create one: the hardest case for a reader of a WAL dataset.
    assert_eq!(
        listing,
        ["audit.jicha", "audit.jicha.facts", "audit.jicha.loghead"]
    );

    let out = as_reader(&bin, &db, &["findings", "--limit", "3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("findings)"));
    let out = as_reader(&bin, &db, &["log", "verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = as_reader(
        &bin,
        &db,
        &["finding", "note", "1", "--text", "should not land"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("you can read this dataset but not change it"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the reader changed nothing"
    );
    assert_eq!(names(&home), listing);

    // While a writer has it open (its -wal and -shm there, read-only for the reader), with a
    // change not yet in the main file: the reader reads through them and sees the change.
    let writer = rusqlite::Connection::open(&db).unwrap();
    writer
        .execute(
            "UPDATE findings SET evidence = 'seen by the reader' WHERE id = 1",
            [],
        )
        .unwrap();
    assert!(home.join("audit.jicha-shm").exists());
    let out = as_reader(&bin, &db, &["finding", "show", "1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("seen by the reader"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    drop(writer);
}
