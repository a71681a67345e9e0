//! Argument vectors for the command-line fuzzers (`fuzz/fuzz_targets/cli.rs`, coverage-guided,
//! and the deterministic smoke run in `tests/fuzz_smoke.rs`): walked from the real clap
//! command tree, so every subcommand, option and flag is reached, with values at their edges
//! (huge, negative, empty, dates outside the calendar or the accepted years, unicode, control
//! characters) or taken from the seed dataset (real ids, customers, stations). Both fuzzers
//! run the vectors in-process with [`crate::cli::run_in_process`] against a copy of [`seed`].

use crate::cli::args::Cli;
use clap::{Arg, ArgAction, Command, CommandFactory, Parser};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Where the choices come from: a seeded generator, or the fuzzer's bytes.
pub trait Choices {
    /// A number below `n` (0 when `n` is 0, or once the fuzzer's bytes run out).
    fn below(&mut self, n: usize) -> usize;

    /// True `percent` times in 100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// A short run of arbitrary bytes.
    fn bytes(&mut self) -> Vec<u8> {
        let n = self.below(12);
        (0..n).map(|_| self.below(256) as u8).collect()
    }
}

/// The fuzzer's input read as a stream of choices.
pub struct FuzzBytes<'a> {
    data: &'a [u8],
}

impl<'a> FuzzBytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        FuzzBytes { data }
    }
}

impl Choices for FuzzBytes<'_> {
    fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        let take = if n <= 256 { 1 } else { 2 };
        let (head, rest) = self.data.split_at(take.min(self.data.len()));
        self.data = rest;
        let v = head
            .iter()
            .fold(0usize, |acc, &b| acc << 8 | usize::from(b));
        v % n
    }

    fn bytes(&mut self) -> Vec<u8> {
        let n = self.below(16).min(self.data.len());
        let (head, rest) = self.data.split_at(n);
        self.data = rest;
        head.to_vec()
    }
}

/// Values at the edges of what the options take.
const EDGES: &[&str] = &[
    "0",
    "1",
    "2",
    "-1",
    "-0",
    "07",
    "0.5",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "999999999999",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "18446744073709551615",
    "99999999999999999999999",
    "",
    " ",
    "0000-01-01",
    "9999-12-31",
    "2026-02-30",
    "2026-02-29",
    "2028-02-29",
    "1900-01-01",
    "1899-12-31",
    "2200-12-31",
    "2201-01-01",
    "2026-11-02",
    "2026-10-01",
    "2026-11-30",
    "2026-11",
    "2026-13",
    "2026-00",
    "2026-H1",
    "2026-H2",
    "2026-H3",
    "2026",
    "9999",
    "0000",
    "2026中",
    "20中-H1",
    "中文名称",
    "🙂",
    "\u{1b}]52;c;cm0gLXJmIH4K\u{7}",
    "\u{1b}]0;title\u{7}",
    "\u{1b}[2J",
    "\u{9b}2J",
    "\u{202e}abc",
    "\u{0}",
    "\r\n",
    "\t",
    "\u{7f}",
    "a,b",
    "1,1",
    "1,2,3",
    ",",
    ":",
    "1:1",
    "1:-1",
    "1:9223372036854775807",
    "-",
    "--",
    "*",
    "%",
    "_",
    "'",
    "\"",
    "\\",
    "EXT:采集系统:X1",
    "EXT::",
    "ARC-01",
    "BIL-05",
    "THF-01",
    "rectified",
    "false_positive",
    "no_action",
    "admin",
    "viewer",
    "auditor",
    "reviewer",
    "open",
    "overdue",
    "dispatched",
    "submitted",
    "include",
    "only",
    "hide",
    "history",
    "pending",
    "expiring",
    "severity",
    "amount",
    "customer",
    "minor",
    "major",
    "accident",
    "billing",
    "archive",
    "external",
    "station",
    "district",
    "manual",
    "completion_rate",
    "higher",
    "lower",
    "main",
    "process",
    "surge_ratio",
    "whitelist_max_days",
    "due_days_high",
    "/",
    ".",
    "/dev/null",
];

/// Options the fuzzers do not vary: the harness picks the dataset; the keymap and ASCII
/// borders are for the UI, which never starts in-process; a log directory would be written
/// wherever a fuzzed path points.
const FIXED: &[&str] = &["db", "keymap", "ascii", "log_dir", "help", "version"];

/// Subcommands left out: `demo` writes an export wherever `--out` points, at any size asked;
/// `backup` a copy of the dataset wherever DEST points (tests/backup.rs covers it).
const LEFT_OUT: &[&str] = &["demo", "backup"];

/// One argument vector, without the program name.
pub fn argv(c: &mut impl Choices, known: &[String]) -> Vec<OsString> {
    let root = Cli::command();
    let mut tokens: Vec<OsString> = Vec::new();
    let mut cmd = &root;
    // Global options: placed before the subcommand here; clap takes them anywhere.
    let globals: Vec<&Arg> = root
        .get_arguments()
        .filter(|a| a.is_global_set() && !FIXED.contains(&a.get_id().as_str()))
        .collect();
    for a in globals {
        let likely = if a.get_id() == "operator" { 85 } else { 20 };
        if c.chance(likely) {
            push_arg(c, a, known, &mut tokens);
        }
    }
    let mut depth = 0;
    loop {
        let subs: Vec<&Command> = cmd
            .get_subcommands()
            .filter(|s| !LEFT_OUT.contains(&s.get_name()))
            .collect();
        if depth > 0 {
            let own: Vec<&Arg> = cmd
                .get_arguments()
                .filter(|a| !a.is_global_set() && !FIXED.contains(&a.get_id().as_str()))
                .collect();
            let (positional, options): (Vec<&Arg>, Vec<&Arg>) =
                own.into_iter().partition(|a| a.is_positional());
            for a in options {
                let likely = if a.is_required_set() { 97 } else { 35 };
                if c.chance(likely) {
                    push_arg(c, a, known, &mut tokens);
                }
            }
            for a in positional {
                let likely = if a.is_required_set() { 97 } else { 50 };
                if c.chance(likely) {
                    tokens.push(value(c, a, known));
                }
            }
        }
        if subs.is_empty() {
            break;
        }
        let must = depth == 0 || cmd.is_subcommand_required_set();
        if !must && c.chance(25) {
            break;
        }
        cmd = subs[c.below(subs.len())];
        tokens.push(cmd.get_name().into());
        depth += 1;
    }
    mutate(c, &mut tokens, known);
    tokens
}

fn push_arg(c: &mut impl Choices, a: &Arg, known: &[String], tokens: &mut Vec<OsString>) {
    let Some(long) = a.get_long() else {
        return;
    };
    let takes_value = matches!(a.get_action(), ArgAction::Set | ArgAction::Append);
    if !takes_value {
        tokens.push(format!("--{long}").into());
        return;
    }
    let v = value(c, a, known);
    if c.chance(20) {
        let mut t = OsString::from(format!("--{long}="));
        t.push(v);
        tokens.push(t);
    } else {
        tokens.push(format!("--{long}").into());
        tokens.push(v);
    }
}

/// Words an option takes that its type does not tell (it is a plain string).
fn words_for(id: &str) -> &'static [&'static str] {
    match id {
        "operator" => &OPERATORS,
        "lang" => &["en", "zh"],
        "status" => &["new", "confirmed", "ticketed", "closed", "cleared", "open"],
        "resolution" => crate::findings::RESOLUTIONS,
        "role" => &["viewer", "auditor", "reviewer", "admin"],
        "view" => &["active", "pending", "expiring", "history"],
        "state" => &[
            "open",
            "overdue",
            "dispatched",
            "rectifying",
            "submitted",
            "approved",
        ],
        "suppressed" => &["include", "hide", "only"],
        "sort" => &[
            "severity",
            "amount",
            "first_seen",
            "last_seen",
            "rule",
            "customer",
            "id",
        ],
        "severity" => &["high", "medium", "low"],
        "kind" => &["main", "process"],
        "level" => &["station", "district", "minor", "major", "accident"],
        "direction" => &["higher", "lower"],
        "source" => &[
            "manual",
            "completion_rate",
            "overdue_rate",
            "amount_recovered",
        ],
        "category" => &[
            "archive", "billing", "metering", "business", "service", "theft", "external",
        ],
        "period" => &[
            "2026-11", "2026-10", "2026-H2", "2026", "1900-01", "2200-12", "2200",
        ],
        _ => &[],
    }
}

fn value(c: &mut impl Choices, a: &Arg, known: &[String]) -> OsString {
    let possible = a.get_possible_values();
    if !possible.is_empty() && c.chance(80) {
        return possible[c.below(possible.len())].get_name().into();
    }
    let words = words_for(a.get_id().as_str());
    if !words.is_empty() && c.chance(70) {
        return words[c.below(words.len())].into();
    }
    let list = a.get_value_delimiter().is_some() && c.chance(30);
    let n = if list { 1 + c.below(4) } else { 1 };
    let kind = Kind::of(a);
    let parts: Vec<OsString> = (0..n)
        .map(|_| match kind {
            Some(kind) if c.chance(75) => typed_value(c, kind, known),
            _ => one_value(c, known),
        })
        .collect();
    let mut out = OsString::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push(",");
        }
        out.push(p);
    }
    out
}

/// What a typed option takes, so that most values get past clap to the command itself.
#[derive(Clone, Copy)]
enum Kind {
    Number,
    Date,
    Seen,
}

impl Kind {
    fn of(a: &Arg) -> Option<Kind> {
        use std::any::TypeId;
        let t = a.get_value_parser().type_id();
        let numbers = [
            TypeId::of::<i64>(),
            TypeId::of::<u64>(),
            TypeId::of::<u32>(),
            TypeId::of::<usize>(),
            TypeId::of::<f64>(),
        ];
        if numbers.iter().any(|n| t == *n) {
            Some(Kind::Number)
        } else if t == TypeId::of::<chrono::NaiveDate>() {
            Some(Kind::Date)
        } else if t == TypeId::of::<(i64, i64)>() {
            Some(Kind::Seen)
        } else {
            None
        }
    }
}

const NUMBERS: &[&str] = &[
    "0",
    "1",
    "2",
    "3",
    "5",
    "30",
    "90",
    "365",
    "366",
    "1000",
    "-1",
    "0.5",
    "1e309",
    "999999999999",
    "9223372036854775807",
    "18446744073709551615",
];

const DATES: &[&str] = &[
    "1900-01-01",
    "2200-12-31",
    "2200-12-28",
    "2026-01-01",
    "2026-10-31",
    "2026-11-01",
    "2026-11-02",
    "2026-11-30",
    "2027-06-30",
    "2028-02-29",
    "2026-02-30",
    "1899-12-31",
    "2201-01-01",
    "0000-01-01",
    "9999-12-31",
];

fn typed_value(c: &mut impl Choices, kind: Kind, known: &[String]) -> OsString {
    let numeric: Vec<&String> = known.iter().filter(|k| k.parse::<i64>().is_ok()).collect();
    let number = |c: &mut dyn FnMut(usize) -> usize| -> String {
        if !numeric.is_empty() && c(2) == 0 {
            numeric[c(numeric.len())].clone()
        } else {
            NUMBERS[c(NUMBERS.len())].to_string()
        }
    };
    let mut below = |n: usize| c.below(n);
    match kind {
        Kind::Number => number(&mut below).into(),
        Kind::Date => DATES[below(DATES.len())].into(),
        Kind::Seen => {
            let id = number(&mut below);
            format!("{id}:{}", below(4)).into()
        }
    }
}

fn one_value(c: &mut impl Choices, known: &[String]) -> OsString {
    match c.below(10) {
        0..=3 if !known.is_empty() => known[c.below(known.len())].clone().into(),
        0..=6 => EDGES[c.below(EDGES.len())].into(),
        7 => {
            // An edge or known value with one character changed, dropped or added.
            let base = if c.chance(50) && !known.is_empty() {
                known[c.below(known.len())].clone()
            } else {
                EDGES[c.below(EDGES.len())].to_string()
            };
            let mut chars: Vec<char> = base.chars().collect();
            let at = c.below(chars.len() + 1);
            let odd = [
                '\u{1b}', '\u{9b}', '\u{202e}', '中', '-', '9', '0', ':', ',', '\u{0}',
            ];
            match c.below(3) {
                0 if at < chars.len() => {
                    chars.remove(at);
                }
                1 if at < chars.len() => chars[at] = odd[c.below(odd.len())],
                _ => chars.insert(at, odd[c.below(odd.len())]),
            }
            chars.into_iter().collect::<String>().into()
        }
        8 => "x".repeat(1 + c.below(5000)).into(),
        _ if c.chance(25) => {
            use std::os::unix::ffi::OsStringExt;
            OsString::from_vec(c.bytes())
        }
        _ => String::from_utf8_lossy(&c.bytes()).into_owned().into(),
    }
}

/// Now and then the vector is bent: a token dropped, repeated, or an edge value put anywhere.
fn mutate(c: &mut impl Choices, tokens: &mut Vec<OsString>, known: &[String]) {
    if tokens.is_empty() {
        return;
    }
    match c.below(30) {
        0 => {
            let i = c.below(tokens.len());
            tokens.remove(i);
        }
        1 => {
            let i = c.below(tokens.len());
            let t = tokens[i].clone();
            tokens.insert(i, t);
        }
        2 => {
            let i = c.below(tokens.len() + 1);
            tokens.insert(i, one_value(c, known));
        }
        3 => {
            let i = c.below(tokens.len());
            let j = c.below(tokens.len());
            tokens.swap(i, j);
        }
        _ => {}
    }
}

/// The operators of the seed dataset: an admin, an auditor, a reviewer and a viewer.
pub const OPERATORS: [&str; 4] = ["fuzz-admin", "fuzz-auditor", "fuzz-reviewer", "fuzz-viewer"];

/// Builds the seed dataset in `dir`: a small demo export (40 customers, 8 months) imported and
/// scanned as of 2026-11-02, the four operators, a note, a whitelist entry, a ticket and a
/// quality entry, so that commands acting on existing records find some. Returns its path.
pub fn seed(dir: &Path) -> Result<PathBuf, String> {
    let db = dir.join("seed.jicha");
    let export = dir.join("export");
    let run = |args: &[&str]| -> Result<String, String> {
        let mut full: Vec<OsString> = vec!["jicha".into(), "--db".into(), db.clone().into()];
        full.extend(["--today", "2026-11-02", "--lang", "en"].map(OsString::from));
        full.extend(args.iter().map(OsString::from));
        let (code, out, err) = crate::cli::run_in_process(full);
        if code == 0 {
            Ok(String::from_utf8_lossy(&out).into_owned())
        } else {
            Err(format!("{args:?}: {}", String::from_utf8_lossy(&err)))
        }
    };
    let export_s = export.to_string_lossy().into_owned();
    run(&[
        "demo",
        "--out",
        &export_s,
        "--customers",
        "40",
        "--months",
        "8",
    ])?;
    let admin = ["--operator", OPERATORS[0]];
    run(&[&admin[..], &["import", &export_s]].concat())?;
    run(&[&admin[..], &["scan"]].concat())?;
    for (login, role) in OPERATORS[1..].iter().zip(["auditor", "reviewer", "viewer"]) {
        run(&[&admin[..], &["operator", "add", login, "--role", role]].concat())?;
    }
    let auditor = ["--operator", OPERATORS[1]];
    run(&[
        &auditor[..],
        &["finding", "note", "1", "--text", "seed note"],
    ]
    .concat())?;
    run(&[&auditor[..], &["finding", "confirm", "2"]].concat())?;
    let cust: String = rusqlite::Connection::open(&db)
        .and_then(|c| {
            c.query_row("SELECT cust_no FROM findings WHERE id = 3", [], |r| {
                r.get(0)
            })
        })
        .map_err(|e| e.to_string())?;
    run(&[
        &auditor[..],
        &[
            "whitelist",
            "add",
            "--rule",
            "*",
            "--cust",
            &cust,
            "--reason",
            "seed",
            "--days",
            "200",
        ],
    ]
    .concat())?;
    run(&[
        &auditor[..],
        &[
            "ticket",
            "create",
            "--findings",
            "2",
            "--requirement",
            "seed",
        ],
    ]
    .concat())?;
    Ok(db)
}

/// Values worth trying as arguments: ids, numbers and names that exist in the seed dataset.
pub fn known_values(db: &Path) -> Vec<String> {
    let Ok(conn) = rusqlite::Connection::open(db) else {
        return Vec::new();
    };
    // The customers live in the facts file beside it (`db::facts`).
    let _held = crate::db::facts::attach(&conn, db, crate::db::facts::Mode::ReadOnly);
    let queries = [
        "SELECT id FROM findings ORDER BY id LIMIT 6",
        "SELECT max(id) FROM findings",
        "SELECT max(id) + 1 FROM findings",
        "SELECT id FROM whitelist",
        "SELECT number FROM tickets",
        "SELECT cust_no FROM customers LIMIT 3",
        "SELECT DISTINCT station FROM customers LIMIT 3",
        "SELECT DISTINCT district FROM customers LIMIT 2",
        "SELECT DISTINCT rule FROM findings LIMIT 4",
        "SELECT name FROM thresholds LIMIT 6",
        "SELECT id FROM quality_indicators LIMIT 3",
        "SELECT login FROM operators",
    ];
    let mut out = Vec::new();
    for q in queries {
        let Ok(mut st) = conn.prepare(q) else {
            continue;
        };
        let Ok(rows) = st.query_map([], |r| {
            Ok(match r.get_ref(0)? {
                rusqlite::types::ValueRef::Integer(i) => i.to_string(),
                rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                _ => String::new(),
            })
        }) else {
            continue;
        };
        out.extend(rows.flatten().filter(|v| !v.is_empty()));
    }
    out
}

/// Puts a fresh copy of the seed dataset (and its log anchor) at `work`.
pub fn fresh_copy(seed: &Path, work: &Path) -> std::io::Result<()> {
    // Both files of the dataset: the workflow file and its facts file (`db::facts`).
    let work_facts = crate::db::facts::path_of(work);
    for file in [work, work_facts.as_path()] {
        for suffix in ["-wal", "-shm"] {
            let mut p = file.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
    std::fs::copy(seed, work)?;
    let seed_facts = crate::db::facts::path_of(seed);
    if seed_facts.exists() {
        std::fs::copy(seed_facts, work_facts)?;
    }
    let anchor = crate::actionlog::sidecar_path(seed);
    if anchor.exists() {
        std::fs::copy(anchor, crate::actionlog::sidecar_path(work))?;
    }
    Ok(())
}

/// `args` with every `--out FILE` of a listing command pointed beside the dataset, so that a
/// vector never writes where its random words say.
fn in_sandbox(db: &Path, args: &[OsString]) -> Vec<OsString> {
    use std::os::unix::ffi::OsStrExt;
    let out = db.with_file_name("fuzz-out");
    let mut next_is_out = false;
    args.iter()
        .map(|a| {
            let was_out = std::mem::replace(&mut next_is_out, a == "--out");
            if was_out {
                out.clone().into_os_string()
            } else if a.as_bytes().starts_with(b"--out=") {
                let mut t = OsString::from("--out=");
                t.push(&out);
                t
            } else {
                a.clone()
            }
        })
        .collect()
}

/// Runs `args` (without the program name) against the dataset at `db` in-process and checks
/// what must hold for any argument vector: the exit status is 0, 1 or 2; nothing printed can
/// drive a terminal (unless `--raw` asked for the bytes); no raw SQLite error reaches the
/// user. Panics (the fuzzers' failure) otherwise, and when the command itself panics.
/// Returns None, running nothing, for a vector that would leave the sandbox: another `--db`,
/// `demo` (which writes wherever `--out` points) or `backup` (wherever DEST points).
pub fn run_checked(db: &Path, args: &[OsString]) -> Option<u8> {
    use std::os::unix::ffi::OsStrExt;
    if args
        .iter()
        .any(|a| a == "--db" || a.as_bytes().starts_with(b"--db="))
    {
        return None;
    }
    let mut full: Vec<OsString> = vec!["jicha".into(), "--db".into(), db.into()];
    full.extend(in_sandbox(db, args));
    if let Ok(cli) = Cli::try_parse_from(&full) {
        if matches!(
            cli.command,
            Some(crate::cli::args::Command::Demo { .. } | crate::cli::args::Command::Backup(_))
        ) {
            return None;
        }
    }
    let (code, out, err) = crate::cli::run_in_process(full);
    let err = String::from_utf8_lossy(&err);
    assert!(matches!(code, 0..=2), "exit status {code}: {err}");
    assert!(
        !err.chars().any(|c| crate::text::is_unsafe(c) && c != '\n'),
        "a control character on stderr: {err:?}"
    );
    for raw_sqlite in [
        "constraint failed",
        "SQL logic error",
        "datatype mismatch",
        "no such column",
        "no such table",
    ] {
        assert!(!err.contains(raw_sqlite), "a raw SQLite error: {err}");
    }
    // A workbook is binary by request (refused on a terminal), and the byte-order mark that
    // starts CSV asked for with `--bom` is ours, not data.
    let xlsx = args
        .iter()
        .any(|a| a == "xlsx" || a.as_bytes().ends_with(b"=xlsx"));
    if !xlsx && !args.iter().any(|a| a == "--raw") {
        let out = String::from_utf8_lossy(&out);
        let out = out.strip_prefix('\u{feff}').unwrap_or(&out);
        let bytes = out.as_bytes();
        if let Some((i, c)) = out.char_indices().find(|&(i, c)| {
            crate::text::is_unsafe(c)
                && c != '\n'
                && !(c == '\r' && bytes.get(i + 1) == Some(&b'\n'))
        }) {
            panic!("raw {c:?} at {i} of stdout: {out:?}");
        }
    }
    Some(code)
}
