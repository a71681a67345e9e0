//! A deterministic smoke fuzzer that runs in CI (`cargo test`): a seeded generator mutates
//! valid inputs — CSV exports, keymap files and key names, action logs — a few thousand cases
//! per target, and each case must not panic and must keep its invariant:
//! - import: Ok, or `JichaError::Import` whose every line is `file.csv:LINE: …` (or the count
//!   of errors not shown), and the message is terminal-safe once escaped;
//! - keymap: Ok, or an error whose every line is `file:LINE: …`;
//! - log: `verify` answers (never a read error, never a panic), and a log it calls intact with
//!   the same head and length is unchanged;
//! - cli: argument vectors from the real clap command tree, run in-process on a copy of a
//!   seeded dataset, never panic, exit 0, 1 or 2, print nothing that drives a terminal and no
//!   raw SQLite error (`jicha::fuzz_args::run_checked`).
//!
//! The same checks are the bodies of the cargo-fuzz targets in `fuzz/` (coverage-guided, run by
//! `tests/fuzz.sh`). Set `JICHA_FUZZ_CASES` to run more cases per target.

use jicha::context::{Ctx, Lang, Role};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// xorshift64*: small, seeded, repeatable.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

fn cases(default: usize) -> usize {
    std::env::var("JICHA_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Byte strings worth splicing in: CSV syntax, encodings, numbers and dates at their edges,
/// controls, hostile sequences, wide characters.
const TOKENS: &[&[u8]] = &[
    b",",
    b"\"",
    b"\"\"",
    b"\n",
    b"\r\n",
    b"\r",
    b"\xef\xbb\xbf",
    b"\xff",
    b"\xc3",
    b"\xe4\xb8",
    b"\x00",
    b"\x1b[2J",
    b"\x1b]52;c;aGk=\x07",
    "\u{9b}".as_bytes(),
    "\u{202e}".as_bytes(),
    "供电所".as_bytes(),
    b"-1",
    b"0",
    b"1e309",
    b"NaN",
    b"99999999999999999999999",
    b"2026-02-30",
    b"9999-12-31",
    b"0000-00-00",
    b"2026-13",
    b"",
    b" ",
    b"cust_no",
    b"C1",
    b"[",
    b"]",
    b"=",
    b"#",
    b"'",
    b"Ctrl-",
    b"c-",
    b"Alt-",
    b"m-",
    b"F99",
    b"\\u",
    "中".as_bytes(),
];

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(v.len() + 1);
        match rng.below(7) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] = rng.next() as u8;
            }
            1 => v.insert(at, rng.next() as u8),
            2 if !v.is_empty() => {
                let end = (at + 1 + rng.below(16)).min(v.len());
                v.drain(at.min(end)..end);
            }
            3 => {
                let t = rng.pick(TOKENS);
                v.splice(at..at, t.iter().copied());
            }
            4 if !v.is_empty() => {
                // Duplicate a slice (a repeated row or key).
                let start = rng.below(v.len());
                let end = (start + 1 + rng.below(80)).min(v.len());
                let piece = v[start..end].to_vec();
                v.splice(at..at, piece);
            }
            5 => v.truncate(at),
            _ => {
                let t = rng.pick(TOKENS);
                if let Some(i) = v.iter().position(|&b| b == b',' || b == b'"') {
                    v.splice(i..i, t.iter().copied());
                }
            }
        }
    }
    v
}

fn run_case(what: &str, case: usize, input: &[u8], f: impl FnOnce()) {
    if let Err(p) = catch_unwind(AssertUnwindSafe(f)) {
        let msg = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        panic!(
            "{what} case {case} failed: {msg}\ninput: {:?}",
            String::from_utf8_lossy(input)
        );
    }
}

// ---- import -------------------------------------------------------------------------------

const CUSTOMERS: &str = "cust_no,name,address,contact,phone,category,price_code,billing_mode,voltage_kv,capacity_kva,pf_standard,hslm,temporary,station,district,opened_on,status,closed_on
C1,张三商店,杭州市西湖区文三路1号,李四,13800000000,commercial,COM,single,0.38,50,0.90,0,0,城西供电所,西湖区,2020-01-05,active,
C2,\"Li, \"\"Four\"\"\",addr,王五,13800000001,resident,RES,single,0.22,8,,0,0,城西供电所,西湖区,2021-03-01,closed,2025-12-31
";
const BILLS: &str =
    "cust_no,period,read_on,prev_reading,curr_reading,multiplier,kwh,loss_kwh,amount,paid
C1,2026-01,2026-01-25,100,200,1,100,0,60.5,60.5
C1,2026-02,2026-02-25,200,330,1,130,0,78.0,0
C2,2026-01,2026-01-25,0,0,1,0,0,0,0
";

fn is_located(line: &str) -> bool {
    let Some((file, rest)) = line.split_once(".csv:") else {
        return false;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    !file.is_empty() && digits > 0 && rest[digits..].starts_with(": ")
}

#[test]
fn import_never_panics_and_locates_every_error() {
    let n = cases(1500);
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    std::fs::create_dir(&export).unwrap();
    let ctx = Ctx {
        unit: None,
        operator: "fuzz".into(),
        role: Role::Admin,
        today: jicha::dates::parse_date("2026-03-02").unwrap(),
        lang: Lang::En,
    };
    // One dataset for all cases: a failed import writes nothing, a good one only upserts.
    let mut ds =
        jicha::db::Dataset::create(&dir.path().join("f.jicha"), "fuzz", "2026-01-01T00:00:00Z")
            .unwrap();
    let mut rng = Rng(0x5EED_0001);
    let (mut ok, mut refused) = (0, 0);
    let started = std::time::Instant::now();
    for case in 0..n {
        let target = rng.below(3);
        let cust = if target == 1 {
            CUSTOMERS.as_bytes().to_vec()
        } else {
            mutate(&mut rng, CUSTOMERS.as_bytes())
        };
        let bills = if target == 0 {
            BILLS.as_bytes().to_vec()
        } else {
            mutate(&mut rng, BILLS.as_bytes())
        };
        std::fs::write(export.join("customers.csv"), &cust).unwrap();
        std::fs::write(export.join("bills.csv"), &bills).unwrap();
        let mut input = cust.clone();
        input.extend_from_slice(b"\n----- bills.csv -----\n");
        input.extend_from_slice(&bills);
        run_case("import", case, &input, || {
            match jicha::import::import_dir(&mut ds, &ctx, &export, &mut jicha::progress::silent) {
                Ok(summary) => {
                    ok += 1;
                    let shown = jicha::text::sanitize(&summary.to_string()).into_owned();
                    assert!(!shown
                        .chars()
                        .any(|c| jicha::text::is_unsafe(c) && c != '\n'));
                }
                Err(jicha::JichaError::Import(lines)) => {
                    refused += 1;
                    assert!(!lines.is_empty(), "an import error with no line");
                    for l in &lines {
                        assert!(
                            is_located(l)
                                || (l.starts_with("… and ") && l.ends_with(" more errors")),
                            "unlocated import error line: {l:?}"
                        );
                        let shown = jicha::text::sanitize(l);
                        assert!(!shown
                            .chars()
                            .any(|c| jicha::text::is_unsafe(c) && c != '\n'));
                    }
                }
                Err(e) => panic!("import failed without a located error: {e}"),
            }
        });
    }
    eprintln!(
        "import: {n} cases ({ok} imported, {refused} refused) in {:?}",
        started.elapsed()
    );
    assert!(ok > 0 && refused > 0, "the mutations reach both outcomes");
    let v = jicha::actionlog::verify(&ds.conn).unwrap();
    assert!(v.first_broken.is_none(), "{:?}", v.first_broken);
}

// ---- keymap -------------------------------------------------------------------------------

fn keymap_error_is_located(file: &str, e: &str) -> bool {
    e.lines().all(|l| {
        l.strip_prefix(file)
            .and_then(|r| r.strip_prefix(':'))
            .is_some_and(|r| {
                let d = r.bytes().take_while(u8::is_ascii_digit).count();
                d > 0 && r[d..].starts_with(": ")
            })
    })
}

#[test]
fn keymap_parser_never_panics_and_locates_every_error() {
    let n = cases(4000);
    let default =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("keymaps/default.toml"))
            .unwrap();
    let vim =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("keymaps/vim.toml"))
            .unwrap();
    let small =
        "[global]\nquit = [\"q\", \"Ctrl-c\"]\n[findings]\nconfirm = \"c\"\nnote = \"Alt-n\"\n";
    let seeds = [default.as_str(), vim.as_str(), small];
    let base = jicha::ui::load_keymap("default", Some(Path::new("/dev/null"))).unwrap();
    let mut rng = Rng(0x5EED_0002);
    let (mut ok, mut refused) = (0, 0);
    let started = std::time::Instant::now();
    for case in 0..n {
        let seed = rng.pick(&seeds).as_bytes();
        let bytes = mutate(&mut rng, seed);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let with_base = rng.below(2) == 0;
        run_case("keymap", case, &bytes, || {
            let r =
                jicha::ui::keymap::parse_keymap("km.toml", &text, with_base.then(|| base.clone()));
            match r {
                Ok(_) => ok += 1,
                Err(e) => {
                    refused += 1;
                    assert!(keymap_error_is_located("km.toml", &e), "unlocated: {e}");
                }
            }
        });
    }
    eprintln!(
        "keymap: {n} cases ({ok} parsed, {refused} refused) in {:?}",
        started.elapsed()
    );
    assert!(ok > 0 && refused > 0);
}

#[test]
fn key_names_never_panic() {
    let n = cases(20000);
    let parts: &[&str] = &[
        "c", "C", "-", "ctrl", "Ctrl-", "c-", "alt-", "m-", "M-", "中", "é", "F", "f1", "2",
        "Enter", "x", " ", "\u{0}", "\u{1b}", "⟨", "🙂", "Page", "Down",
    ];
    let mut rng = Rng(0x5EED_0003);
    for case in 0..n {
        let mut s = String::new();
        for _ in 0..1 + rng.below(4) {
            s.push_str(parts[rng.below(parts.len())]);
        }
        run_case("key name", case, s.as_bytes(), || {
            if let Some(k) = jicha::ui::keymap::Key::parse(&s) {
                // What a key prints as parses back to the same key.
                let shown = k
                    .to_string()
                    .replace('↑', "Up")
                    .replace('↓', "Down")
                    .replace('←', "Left")
                    .replace('→', "Right");
                assert_eq!(
                    jicha::ui::keymap::Key::parse(&shown),
                    Some(k),
                    "{s:?} → {shown:?}"
                );
            }
        });
    }
}

// ---- action log ---------------------------------------------------------------------------

fn dump(conn: &rusqlite::Connection) -> Vec<String> {
    let mut st = conn
        .prepare(
            "SELECT quote(seq)||quote(at_utc)||quote(business_date)||quote(operator)||quote(action)||
                    quote(target)||quote(details)||quote(prev_hash)||quote(hash) FROM action_log ORDER BY seq",
        )
        .unwrap();
    let rows = st.query_map([], |r| r.get(0)).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

#[test]
fn log_verifier_never_panics_on_random_edits() {
    let n = cases(3000);
    let ctx = Ctx {
        unit: None,
        operator: "fuzz".into(),
        role: Role::Admin,
        today: jicha::dates::parse_date("2026-03-02").unwrap(),
        lang: Lang::En,
    };
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
    let mut rng = Rng(0x5EED_0004);
    let (mut broken, mut intact) = (0, 0);
    let started = std::time::Instant::now();
    for case in 0..n {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE action_log (seq INTEGER PRIMARY KEY, at_utc TEXT NOT NULL,
               business_date TEXT NOT NULL, operator TEXT NOT NULL, action TEXT NOT NULL,
               target TEXT NOT NULL, details TEXT NOT NULL, prev_hash TEXT NOT NULL,
               hash TEXT NOT NULL);",
        )
        .unwrap();
        for i in 0..10 {
            jicha::actionlog::append(
                &conn,
                &ctx,
                "finding.note",
                &format!("finding:{i}"),
                &serde_json::json!({ "i": i }),
            )
            .unwrap();
        }
        let before = jicha::actionlog::verify(&conn).unwrap();
        let original = dump(&conn);
        let mut script = Vec::new();
        for _ in 0..1 + rng.below(3) {
            let seq = rng.below(12) as i64;
            let field = *rng.pick(&FIELDS);
            let value: Vec<u8> = mutate(&mut rng, b"2026-03-02T00:00:00.000Z");
            let sql = match rng.below(6) {
                0 => format!("UPDATE OR IGNORE action_log SET {field} = ?1 WHERE seq = {seq}"),
                1 => format!(
                    "UPDATE OR IGNORE action_log SET {field} = CAST(?1 AS TEXT) WHERE seq = {seq}"
                ),
                2 => format!("DELETE FROM action_log WHERE seq = {seq} AND length(?1) >= 0"),
                3 => format!("DELETE FROM action_log WHERE seq >= {seq} AND length(?1) >= 0"),
                4 => format!(
                    "UPDATE OR IGNORE action_log SET {field} = (SELECT {field} FROM action_log o
                       WHERE o.seq = action_log.seq + 1) WHERE seq = {seq} AND length(?1) >= 0"
                ),
                _ => format!(
                    "UPDATE OR IGNORE action_log SET {field} = {field} || CAST(?1 AS TEXT) WHERE seq = {seq}"
                ),
            };
            let _ = conn.execute(&sql, [&value]);
            script.extend_from_slice(sql.as_bytes());
            script.push(b'\n');
        }
        run_case("log", case, &script, || {
            let after =
                jicha::actionlog::verify(&conn).expect("verify answers, never a read error");
            match after.first_broken {
                Some(b) => {
                    broken += 1;
                    assert!(!b.why.to_string().is_empty());
                }
                None => {
                    intact += 1;
                    if after.records == before.records && after.last_hash == before.last_hash {
                        assert_eq!(dump(&conn), original, "a changed log verified intact");
                    }
                }
            }
        });
    }
    eprintln!(
        "log: {n} cases ({broken} broken, {intact} intact) in {:?}",
        started.elapsed()
    );
    assert!(broken > 0 && intact > 0);
}

// ---- command line -------------------------------------------------------------------------

impl jicha::fuzz_args::Choices for Rng {
    fn below(&mut self, n: usize) -> usize {
        Rng::below(self, n)
    }
}

/// Argument vectors walked from the real clap command tree (`jicha::fuzz_args`), each run
/// in-process against a fresh copy of a small seeded dataset: no panic, exit status 0, 1 or 2,
/// nothing on stdout or stderr that could drive a terminal, no raw SQLite error.
#[test]
fn cli_arguments_never_panic() {
    use jicha::fuzz_args;
    if !jicha::context::is_root() {
        // The seed dataset's operators are acted as with `--operator`, which is for root only.
        assert!(std::env::var_os("CI").is_none(), "CI runs as root");
        eprintln!("skipped: needs root for --operator");
        return;
    }
    let n = cases(250);
    let dir = tempfile::tempdir().unwrap();
    let seed = fuzz_args::seed(dir.path()).expect("seed dataset");
    let known = fuzz_args::known_values(&seed);
    assert!(known.len() > 20, "{known:?}");
    let work = dir.path().join("work.jicha");
    let mut rng = Rng(0x5EED_0004);
    let mut codes = [0usize; 3];
    let started = std::time::Instant::now();
    for case in 0..n {
        // One to three commands in a row on the same copy: a change, then what reads it.
        let runs: Vec<_> = (0..1 + rng.below(3))
            .map(|_| fuzz_args::argv(&mut rng, &known))
            .collect();
        fuzz_args::fresh_copy(&seed, &work).unwrap();
        let shown = format!("{runs:?}");
        run_case("cli", case, shown.as_bytes(), || {
            for args in &runs {
                let code = fuzz_args::run_checked(&work, args).expect("the generator stays inside");
                codes[usize::from(code)] += 1;
            }
        });
    }
    eprintln!(
        "cli: {n} cases of 1-3 commands (exit 0: {}, 1: {}, 2: {}) in {:?}",
        codes[0],
        codes[1],
        codes[2],
        started.elapsed()
    );
    assert!(
        codes.iter().all(|&c| c > 0),
        "the vectors reach success, refusal and bad usage: {codes:?}"
    );
}

/// What the coverage-guided CLI fuzzer (`fuzz/fuzz_targets/cli.rs`) found, kept as cases.
#[test]
fn cli_fuzzer_findings_stay_fixed() {
    use jicha::fuzz_args;
    if !jicha::context::is_root() {
        assert!(std::env::var_os("CI").is_none(), "CI runs as root");
        eprintln!("skipped: needs root for --operator");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let seed = fuzz_args::seed(dir.path()).expect("seed dataset");
    let work = dir.path().join("work.jicha");
    let found: &[(&[&str], u8)] = &[
        // A u64 LIMIT past i64::MAX reached SQLite as a real: a raw "datatype mismatch".
        (
            &[
                "--operator=fuzz-admin",
                "findings",
                "--limit",
                "18446744073709551615",
                "--format",
                "csv",
            ],
            0,
        ),
        // Found by hand while writing the fuzzer: a period split inside a character panicked.
        (
            &["--operator=fuzz-admin", "quality", "--period", "2026中"],
            1,
        ),
        (
            &[
                "--operator=fuzz-auditor",
                "whitelist",
                "extend",
                "1",
                "--days",
                "999999999999",
                "--reason",
                "r",
            ],
            1,
        ),
        (
            &[
                "--operator=fuzz-auditor",
                "--today",
                "9999-12-31",
                "ticket",
                "create",
                "--findings",
                "3",
                "--requirement",
                "r",
            ],
            2,
        ),
    ];
    for (args, want) in found {
        fuzz_args::fresh_copy(&seed, &work).unwrap();
        let args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
        let code = fuzz_args::run_checked(&work, &args).expect("runs");
        assert_eq!(code, *want, "{args:?}");
    }
}
