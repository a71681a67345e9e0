//! Output meant for people is escaped however it leaves the process. Data carrying an OSC 52
//! clipboard write, an OSC 0 title change, the C1 CSI U+009B, DEL, CR, TAB and the bidi
//! override U+202E (customer name, address, station, evidence, notes, reasons) goes through
//! every list and report format to a pipe — `jicha findings --format csv | cat` ends on a
//! terminal just as well — and no control byte, C1 or bidi character comes out. With `--raw`
//! CSV and JSON carry the bytes as stored.

mod common;
use std::path::Path;
use std::process::{Command, Output};

const TODAY: &str = "2026-11-02";

/// `--operator` (acting as the fixture's operators) is for root only.
fn skipped_without_root() -> bool {
    if jicha::context::is_root() {
        return false;
    }
    assert!(std::env::var_os("CI").is_none(), "CI runs as root");
    eprintln!("skipped: needs root for --operator");
    true
}

fn payload() -> String {
    "<osc52>\u{1b}]52;c;cm0gLXJmIH4K\u{7}<title>\u{1b}]0;pwned\u{7}<c1>\u{9b}2J<del>\u{7f}<cr>\r<tab>\t<rlo>\u{202e}<end>"
        .to_string()
}

fn jicha(db: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_jicha"))
        .arg("--db")
        .arg(db)
        .args(["--today", TODAY, "--lang", "en", "--operator", "admin1"])
        .args(args)
        .env_remove("JICHA_DB")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The fixture with the payload in C1's name, address and station, in finding 1's evidence, in
/// a note, a whitelist reason and a ticket's requirement.
fn dataset() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, mut ds) = common::fixture();
    let p = payload();
    ds.write(|tx| {
        tx.execute(
            "UPDATE customers SET name = '商店' || ?1, address = '路' || ?1, station = '站' || ?1
             WHERE cust_no = 'C1'",
            [&p],
        )?;
        tx.execute(
            "UPDATE findings SET evidence = '证据' || ?1 WHERE id = 1",
            [&p],
        )?;
        Ok(())
    })
    .unwrap();
    let db = ds.path.clone();
    drop(ds);
    jicha(
        &db,
        &["finding", "note", "1,2", "--text", &format!("note{p}")],
    );
    jicha(
        &db,
        &[
            "whitelist",
            "add",
            "--rule",
            "ARC-01",
            "--cust",
            "C2",
            "--reason",
            &format!("reason{p}"),
        ],
    );
    jicha(
        &db,
        &[
            "ticket",
            "create",
            "--findings",
            "2",
            "--requirement",
            &format!("req{p}"),
            "--person",
            &format!("person{p}"),
        ],
    );
    (dir, db)
}

/// Nothing in `out` can drive a terminal: no C0 control but LF (and the CR of a CRLF), no DEL,
/// no C1 control, no bidi or invisible format character.
fn assert_escaped(out: &[u8], what: &str) -> String {
    let text = String::from_utf8(out.to_vec()).unwrap_or_else(|_| panic!("{what}: UTF-8"));
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        let crlf = c == '\r' && bytes.get(i + 1) == Some(&b'\n');
        assert!(
            c == '\n' || crlf || !jicha::text::is_unsafe(c),
            "{what}: raw {:?} at {i}: {:?}",
            c,
            &text[text.floor_char_boundary(i.saturating_sub(40))
                ..text.ceil_char_boundary((i + 40).min(text.len()))]
        );
    }
    text
}

fn commands() -> Vec<Vec<&'static str>> {
    let range = ["--from", "2026-10-01", "--to", "2026-11-30"];
    let mut all: Vec<Vec<&str>> = Vec::new();
    for f in ["table", "csv", "json"] {
        all.push(vec!["findings", "--format", f]);
        all.push(vec!["whitelist", "list", "--format", f]);
        all.push(vec!["ticket", "list", "--format", f]);
    }
    for f in ["text", "md", "csv", "json"] {
        let mut r = vec!["report"];
        r.extend(range);
        r.extend(["--format", f]);
        all.push(r);
        all.push(vec!["quality", "--period", "2026-11", "--format", f]);
        all.push(vec!["theme", "--category", "archive", "--format", f]);
    }
    all.push(vec!["finding", "show", "1"]);
    all.push(vec!["ticket", "show", "JC-20261102-001"]);
    all.push(vec!["log", "--limit", "50"]);
    all
}

#[test]
fn every_format_to_a_pipe_is_escaped() {
    if skipped_without_root() {
        return;
    }
    let (_dir, db) = dataset();
    let mut saw_payload = 0;
    for args in commands() {
        let out = jicha(&db, &args);
        let text = assert_escaped(&out.stdout, &format!("{args:?}"));
        if text.contains("␛]52;c;") || text.contains("\\u001b]52;c;") {
            saw_payload += 1;
        }
        if args.contains(&"csv") {
            // Escaped inside the fields: still CSV with rows of one width.
            let mut r = csv::ReaderBuilder::new()
                .flexible(args[0] == "report")
                .from_reader(out.stdout.as_slice());
            for rec in r.records() {
                rec.unwrap_or_else(|e| panic!("{args:?}: not CSV: {e}"));
            }
        }
        if args.contains(&"json") {
            serde_json::from_slice::<serde_json::Value>(&out.stdout)
                .unwrap_or_else(|e| panic!("{args:?}: not JSON: {e}"));
        }
    }
    assert!(
        saw_payload >= 10,
        "the payload is shown, escaped, in most outputs ({saw_payload})"
    );

    // The escapes are visible and say what was there.
    let csv = String::from_utf8(jicha(&db, &["findings", "--format", "csv"]).stdout).unwrap();
    assert!(csv.contains("商店<osc52>␛]52;c;cm0gLXJmIH4K␇<title>␛]0;pwned␇<c1>⟨U+009B⟩2J<del>␡<cr>␍<tab>␉<rlo>⟨U+202E⟩<end>"), "{csv}");
    let json = String::from_utf8(jicha(&db, &["findings", "--format", "json"]).stdout).unwrap();
    assert!(
        json.contains("\\u009b2J") && json.contains("\\u202e"),
        "{json}"
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .any(|f| f["cust_name"] == format!("商店{}", payload())),
        "escaped JSON still parses to the stored value"
    );
}

#[test]
fn raw_keeps_the_bytes_for_programs() {
    if skipped_without_root() {
        return;
    }
    let (_dir, db) = dataset();
    let name = format!("商店{}", payload());
    let out = jicha(&db, &["--raw", "findings", "--format", "csv"]);
    assert!(
        out.stdout.windows(4).any(|w| w == b"\x1b]52"),
        "raw ESC kept"
    );
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let col = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "cust_name")
        .unwrap();
    let names: Vec<String> = r.records().map(|r| r.unwrap()[col].to_string()).collect();
    assert!(names.contains(&name), "{names:?}");

    let out = jicha(&db, &["findings", "--format", "json", "--raw"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains('\u{9b}') && text.contains('\u{202e}'),
        "C1 and bidi kept raw"
    );
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(v.as_array().unwrap().iter().any(|f| f["cust_name"] == name));

    for args in [
        vec!["--raw", "whitelist", "list", "--format", "csv"],
        vec!["--raw", "ticket", "list", "--format", "csv"],
        vec![
            "--raw",
            "report",
            "--from",
            "2026-10-01",
            "--to",
            "2026-11-30",
            "--format",
            "md",
        ],
    ] {
        let out = jicha(&db, &args);
        assert!(
            out.stdout.windows(5).any(|w| w == b"\x1b]52;")
                || out.stdout.windows(2).any(|w| w == "\u{9b}".as_bytes()),
            "{args:?}: raw bytes kept: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    // Tables are for reading: escaped even with --raw.
    let out = jicha(&db, &["--raw", "findings"]);
    assert_escaped(&out.stdout, "findings table with --raw");
}

#[test]
fn raw_is_documented() {
    if skipped_without_root() {
        return;
    }
    let (_dir, db) = dataset();
    let help = String::from_utf8(jicha(&db, &["findings", "--help"]).stdout).unwrap();
    assert!(help.contains("--raw"), "{help}");
    assert!(help.contains("pipe or a file"), "{help}");
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(readme.contains("--raw"), "README documents --raw");
}
