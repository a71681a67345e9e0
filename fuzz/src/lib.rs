//! The checks behind the fuzz targets, shared with nothing else: each takes fuzzer bytes and
//! asserts the invariants the in-`cargo test` smoke fuzzer (`tests/fuzz_smoke.rs`) asserts.

use jicha::context::{Ctx, Lang, Role};
use std::ffi::OsString;

/// A keymap parses, or fails with lines of `file:line: what`.
pub fn check_keymap(text: &str) {
    for base in [
        None,
        Some(jicha::ui::load_keymap("default", Some(std::path::Path::new("/dev/null"))).unwrap()),
    ] {
        if let Err(e) = jicha::ui::keymap::parse_keymap("fuzz.toml", text, base) {
            for line in e.lines() {
                let rest = line
                    .strip_prefix("fuzz.toml:")
                    .unwrap_or_else(|| panic!("no file: {line}"));
                let n = rest.split(':').next().unwrap();
                assert!(n.parse::<usize>().is_ok(), "no line number: {line}");
            }
        }
    }
}

/// Splits bytes into customers.csv and bills.csv (at the first 0xFF), imports them into a fresh
/// dataset, and renders the outcome through `text::escape`: Ok, or an import error whose every
/// line is `file:line: ...` (or the count of errors not shown).
pub fn check_import(data: &[u8]) {
    // One dataset and export directory for the whole run: creating a dataset per input costs
    // ~40 ms; a failed import writes nothing and a good one only upserts.
    struct Env {
        _dir: tempfile::TempDir,
        export: std::path::PathBuf,
        ds: jicha::db::Dataset,
    }
    thread_local! {
        static ENV: std::cell::RefCell<Option<Env>> = const { std::cell::RefCell::new(None) };
    }
    let (cust, bills) = match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let ctx = Ctx {
        operator: "fuzz".into(),
        role: Role::Admin,
        today: jicha::dates::parse_date("2026-03-02").unwrap(),
        lang: Lang::En,
    };
    ENV.with(|env| {
        let mut env = env.borrow_mut();
        let env = env.get_or_insert_with(|| {
            let dir = tempfile::tempdir().unwrap();
            let export = dir.path().join("export");
            std::fs::create_dir(&export).unwrap();
            let ds = jicha::db::Dataset::create(
                &dir.path().join("f.jicha"),
                "fuzz",
                "2026-01-01T00:00:00Z",
            )
            .unwrap();
            Env {
                _dir: dir,
                export,
                ds,
            }
        });
        std::fs::write(env.export.join("customers.csv"), cust).unwrap();
        let bills_path = env.export.join("bills.csv");
        if bills.is_empty() {
            let _ = std::fs::remove_file(&bills_path);
        } else {
            std::fs::write(&bills_path, bills).unwrap();
        }
        match jicha::import::import_dir(
            &mut env.ds,
            &ctx,
            &env.export,
            &mut jicha::progress::silent,
        ) {
            Ok(summary) => assert_safe(&jicha::text::sanitize(&summary.to_string())),
            Err(jicha::JichaError::Import(lines)) => {
                assert!(!lines.is_empty());
                for l in &lines {
                    assert!(
                        is_located(l) || (l.starts_with("… and ") && l.ends_with(" more errors")),
                        "unlocated import error: {l:?}"
                    );
                    assert_safe(&jicha::text::sanitize(l));
                }
            }
            Err(e) => panic!("import failed other than with an import error: {e}"),
        }
    });
}

/// `customers.csv:12: ...`
pub fn is_located(line: &str) -> bool {
    let Some((file, rest)) = line.split_once(".csv:") else {
        return false;
    };
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    !file.is_empty() && !digits.is_empty() && rest[digits.len()..].starts_with(": ")
}

pub fn assert_safe(s: &str) {
    assert!(
        !s.chars().any(|c| c.is_control() && c != '\n'),
        "control survived: {s:?}"
    );
}

/// A 10-record log in memory, edited by the fuzzer's bytes (which record, which field, what
/// value); `verify` never panics and a changed chain is never reported intact with the same
/// head.
pub fn check_log(data: &[u8]) {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.execute_batch(
        "CREATE TABLE action_log (seq INTEGER PRIMARY KEY, at_utc TEXT NOT NULL, business_date TEXT NOT NULL,
           operator TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, details TEXT NOT NULL,
           prev_hash TEXT NOT NULL, hash TEXT NOT NULL);",
    )
    .unwrap();
    let ctx = Ctx {
        operator: "fuzz".into(),
        role: Role::Admin,
        today: jicha::dates::parse_date("2026-03-02").unwrap(),
        lang: Lang::En,
    };
    for i in 0..10 {
        jicha::actionlog::append(
            &conn,
            &ctx,
            "note",
            &format!("finding:{i}"),
            &serde_json::json!({"i": i}),
        )
        .unwrap();
    }
    let before = jicha::actionlog::verify(&conn).unwrap();
    let original = dump(&conn);
    const FIELDS: [&str; 9] = [
        "seq",
        "at_utc",
        "business_date",
        "operator",
        "action",
        "target",
        "details",
        "prev_hash",
        "hash",
    ];
    for chunk in data.chunks(6) {
        if chunk.len() < 3 {
            break;
        }
        let seq = i64::from(chunk[0] % 12);
        let field = FIELDS[usize::from(chunk[1]) % FIELDS.len()];
        let value = &chunk[2..];
        let sql = match chunk[1] / 16 % 4 {
            0 => format!("UPDATE OR IGNORE action_log SET {field} = ?1 WHERE seq = {seq}"),
            1 => format!("UPDATE OR IGNORE action_log SET {field} = CAST(?1 AS TEXT) WHERE seq = {seq}"),
            2 => format!("DELETE FROM action_log WHERE seq = {seq} AND length(?1) >= 0"),
            _ => format!("UPDATE OR IGNORE action_log SET {field} = {field} || CAST(?1 AS TEXT) WHERE seq = {seq}"),
        };
        let _ = conn.execute(&sql, [value]);
    }
    let after = jicha::actionlog::verify(&conn).unwrap();
    match after.first_broken {
        Some(b) => assert!(!b.why.is_empty()),
        // Intact with the same head and length: nothing may have changed.
        None if after.records == before.records && after.last_hash == before.last_hash => {
            assert_eq!(
                dump(&conn),
                original,
                "a changed log verified with the same head"
            )
        }
        None => {}
    }
}

/// Every record, each value quoted with its type, in order.
pub fn dump(conn: &rusqlite::Connection) -> Vec<String> {
    let mut st = conn
        .prepare(
            "SELECT quote(seq)||quote(at_utc)||quote(business_date)||quote(operator)||quote(action)||
                    quote(target)||quote(details)||quote(prev_hash)||quote(hash) FROM action_log ORDER BY seq",
        )
        .unwrap();
    let rows = st.query_map([], |r| r.get(0)).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

/// An argument vector from bytes (see `fuzz_targets/cli.rs`), run by
/// `jicha::fuzz_args::run_checked` against a fresh copy of the seed dataset, which is
/// built once per process in a temporary directory.
pub fn check_cli(data: &[u8]) {
    use jicha::fuzz_args;
    use std::os::unix::ffi::OsStringExt;
    struct Env {
        _dir: tempfile::TempDir,
        seed: std::path::PathBuf,
        work: std::path::PathBuf,
        known: Vec<String>,
    }
    thread_local! {
        static ENV: std::cell::RefCell<Option<Env>> = const { std::cell::RefCell::new(None) };
    }
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    ENV.with(|env| {
        let mut env = env.borrow_mut();
        let env = env.get_or_insert_with(|| {
            // What the few commands outside the in-process capture print (import and `log
            // verify` summaries) is not the fuzzer's business: fd 1 goes to /dev/null.
            silence_stdout();
            let dir = tempfile::tempdir().unwrap();
            let seed = fuzz_args::seed(dir.path()).expect("seed dataset");
            let known = fuzz_args::known_values(&seed);
            let work = dir.path().join("work.jicha");
            Env {
                _dir: dir,
                seed,
                work,
                known,
            }
        });
        fuzz_args::fresh_copy(&env.seed, &env.work).unwrap();
        if mode % 4 == 0 {
            let args: Vec<OsString> = rest
                .split(|&b| b == 0)
                .map(|a| OsString::from_vec(a.to_vec()))
                .collect();
            fuzz_args::run_checked(&env.work, &args);
        } else {
            // One to three commands in a row on the same copy: a change, then what reads it.
            let mut choices = fuzz_args::FuzzBytes::new(rest);
            for _ in 0..=mode % 4 {
                let args = fuzz_args::argv(&mut choices, &env.known);
                fuzz_args::run_checked(&env.work, &args);
            }
        }
    });
}

fn silence_stdout() {
    use std::os::fd::AsRawFd;
    let null = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/null")
        .unwrap();
    // SAFETY: dup2 onto fd 1 of a descriptor we own; libFuzzer reports on stderr.
    unsafe {
        libc::dup2(null.as_raw_fd(), 1);
    }
}
