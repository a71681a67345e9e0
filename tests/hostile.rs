//! Hostile text end to end: names, addresses, evidence and notes carrying ESC/CSI/OSC sequences,
//! an OSC 52 clipboard write, BEL, CR, TAB, NUL, DEL, the C1 controls U+009B (CSI) and U+009D
//! (OSC) and the bidi overrides and isolates are imported byte for byte, stored byte for byte,
//! and never reach a terminal as controls: not through the UI (rendered by the real crossterm
//! backend into a byte buffer, every escape sequence parsed), not through the CLI on a
//! terminal (a real pty). CSV and JSON asked for with `--raw` keep the bytes (without it they
//! are escaped to a pipe too: tests/cli_escape.rs).

mod common;
mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::context::{Ctx, Lang, Role};
use jicha::db::Dataset;
use jicha::ui::app::App;
use jicha::ui::render;
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use ui_fixture::{code, key, press, type_text};

const BIN: &str = env!("CARGO_BIN_EXE_jicha");
const TODAY: &str = "2026-11-02";

/// Every kind of hostile character the spec names, with some text around each.
fn payload() -> String {
    [
        "<csi>\u{1b}[2J\u{1b}[31m",
        "<osc-title>\u{1b}]0;pwned\u{7}",
        "<osc52>\u{1b}]52;c;cm0gLXJmIH4K\u{7}",
        "<osc-st>\u{1b}]8;;http://evil\u{1b}\\",
        "<bel>\u{7}<cr>\r<tab>\t<nul>\u{0}<del>\u{7f}",
        "<c1-csi>\u{9b}2J<c1-osc>\u{9d}0;x\u{9c}",
        "<bidi>\u{202a}\u{202b}\u{202c}\u{202d}\u{202e}",
        "<iso>\u{2066}\u{2067}\u{2068}\u{2069}<end>",
    ]
    .concat()
}

/// The single characters two names may differ by.
const SNEAKY: [char; 18] = [
    '\u{1b}', '\u{7}', '\r', '\t', '\u{0}', '\u{7f}', '\u{9b}', '\u{9d}', '\u{202a}', '\u{202b}',
    '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{200b}',
];

/// The evidence the scan writes for the external finding: its rule name, date and evidence.
fn external_evidence() -> String {
    format!("rule{p}, detected 2026-11-01: 证据{p}", p = payload())
}

fn hostile_name() -> String {
    format!("商店{}", payload())
}

fn ctx(lang: Lang) -> Ctx {
    Ctx {
        unit: None,
        operator: jicha::context::os_login(),
        role: Role::Admin,
        today: jicha::dates::parse_date(TODAY).unwrap(),
        lang,
    }
}

fn csv_file(path: &Path, header: &str, rows: &[Vec<String>]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(header.split(',')).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
}

fn customer(no: &str, name: &str, address: &str, station: &str) -> Vec<String> {
    // Resident price code with a business word in the name: rule ARC-04 puts the name in the
    // evidence it writes.
    format!("{no}|{name}|{address}|联系人|13800000000|resident|RES|single|0.22|8||0|0|{station}|西湖区|2020-01-05|active|")
        .split('|')
        .map(str::to_string)
        .collect()
}

struct Data {
    _dir: tempfile::TempDir,
    db: PathBuf,
    export: PathBuf,
}

/// Imports customers (hostile name, address, station; twins differing by one control each) and
/// external findings with hostile evidence through `import_dir`, scans, and adds a hostile note.
fn dataset() -> Data {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    std::fs::create_dir(&export).unwrap();
    let db = dir.path().join("hostile.jicha");
    let mut rows = vec![customer(
        "HX0001",
        &hostile_name(),
        &format!("路{}", payload()),
        &format!("站{}", payload()),
    )];
    rows.push(customer("TW00", "Tw商店n", "addr", "城关供电所"));
    for (i, c) in SNEAKY.iter().enumerate() {
        rows.push(customer(
            &format!("TW{:02}", i + 1),
            &format!("Tw商店{c}n"),
            "addr",
            "城关供电所",
        ));
    }
    csv_file(
        &export.join("customers.csv"),
        "cust_no,name,address,contact,phone,category,price_code,billing_mode,voltage_kv,capacity_kva,pf_standard,hslm,temporary,station,district,opened_on,status,closed_on",
        &rows,
    );
    csv_file(
        &export.join("external_findings.csv"),
        "source,rule_code,rule_name,cust_no,subject,detected_on,severity,evidence",
        &[vec![
            "采集系统".into(),
            "X1".into(),
            format!("rule{}", payload()),
            "HX0001".into(),
            "-".into(),
            "2026-11-01".into(),
            "high".into(),
            format!("证据{}", payload()),
        ]],
    );
    let ctx = ctx(Lang::En);
    let mut ds =
        Dataset::create(&db, &ctx.operator, "2026-01-01T00:00:00Z").expect("create dataset");
    jicha::import::import_dir(&mut ds, &ctx, &export, &mut jicha::progress::silent)
        .expect("hostile text imports");
    jicha::scan::run_scan(&mut ds, &ctx, ctx.today, &mut jicha::progress::silent).unwrap();
    let ids: Vec<i64> = {
        let mut st = ds
            .conn
            .prepare("SELECT id FROM findings WHERE cust_no = 'HX0001'")
            .unwrap();
        let r = st.query_map([], |r| r.get(0)).unwrap();
        r.collect::<Result<_, _>>().unwrap()
    };
    assert!(ids.len() >= 2, "ARC-04 and the external finding: {ids:?}");
    jicha::actions::perform(
        &mut ds,
        &ctx,
        &jicha::actions::Action::Note {
            ids,
            text: format!("note{}", payload()),
        },
    )
    .unwrap();
    Data {
        _dir: dir,
        db,
        export,
    }
}

#[test]
fn hostile_text_is_stored_byte_for_byte() {
    let d = dataset();
    let conn = common::raw(&d.db);
    let one = |sql: &str| -> Vec<u8> { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let p = payload();
    assert_eq!(
        one("SELECT CAST(name AS BLOB) FROM customers WHERE cust_no = 'HX0001'"),
        hostile_name().into_bytes()
    );
    assert_eq!(
        one("SELECT CAST(address AS BLOB) FROM customers WHERE cust_no = 'HX0001'"),
        format!("路{p}").into_bytes()
    );
    assert_eq!(
        one("SELECT CAST(station AS BLOB) FROM customers WHERE cust_no = 'HX0001'"),
        format!("站{p}").into_bytes()
    );
    let evidence: Vec<Vec<u8>> = {
        let mut st = conn
            .prepare("SELECT CAST(evidence AS BLOB) FROM findings WHERE cust_no = 'HX0001'")
            .unwrap();
        let r = st.query_map([], |r| r.get(0)).unwrap();
        r.collect::<Result<_, _>>().unwrap()
    };
    assert_eq!(
        one("SELECT CAST(evidence AS BLOB) FROM external_findings"),
        format!("证据{p}").into_bytes()
    );
    // Findings keep evidence as values (JSON, which escapes control characters): what an
    // operator reads, the English sentence, carries the external text byte for byte.
    let read: Vec<Vec<u8>> = evidence
        .iter()
        .map(|e| {
            let stored = String::from_utf8(e.clone()).unwrap();
            jicha::i18n::evidence::render(Lang::En, &stored).into_bytes()
        })
        .collect();
    assert!(
        read.contains(&external_evidence().into_bytes()),
        "external evidence changed on the way to the finding"
    );
    let note = one("SELECT CAST(text AS BLOB) FROM finding_notes LIMIT 1");
    assert_eq!(note, format!("note{p}").into_bytes());
    for (i, c) in SNEAKY.iter().enumerate() {
        let name = one(&format!(
            "SELECT CAST(name AS BLOB) FROM customers WHERE cust_no = 'TW{:02}'",
            i + 1
        ));
        assert_eq!(name, format!("Tw商店{c}n").into_bytes());
    }
}

// ---- the UI through the real crossterm backend ------------------------------------------------

fn app(db: &Path, w: u16, h: u16) -> App {
    let km = jicha::ui::load_keymap("default", Some(Path::new("/dev/null"))).unwrap();
    let mut app = App::new(
        db.to_path_buf(),
        ctx(Lang::En),
        km,
        jicha::ui::theme::Theme::new(true, false),
        None,
    )
    .unwrap();
    app.resize(w, h);
    app.settle();
    app
}

/// A `Vec<u8>` the backend writes into and the test reads afterwards (the backend keeps its
/// writer to itself).
#[derive(Clone, Default)]
struct Sink(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The bytes crossterm would send to the terminal for one full frame of `app`.
fn crossterm_bytes(app: &App, w: u16, h: u16) -> Vec<u8> {
    let sink = Sink::default();
    let mut t = Terminal::with_options(
        CrosstermBackend::new(sink.clone()),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, w, h)),
        },
    )
    .unwrap();
    t.draw(|f| render::draw(f, app)).unwrap();
    let out = sink.0.borrow().clone();
    assert!(out.len() > 500, "a frame was written");
    out
}

/// Checks that every ESC in `out` starts a well-formed CSI sequence (`ESC [` parameter bytes,
/// intermediate bytes, one final byte) and no other control reaches the terminal; returns the
/// text with the sequences removed.
fn assert_only_backend_csi(out: &[u8], what: &str) -> String {
    let mut text = Vec::new();
    let mut i = 0;
    while i < out.len() {
        let b = out[i];
        if b == 0x1b {
            assert_eq!(
                out.get(i + 1),
                Some(&b'['),
                "{what}: ESC not followed by '[' (OSC or other escape) at byte {i}: {:?}",
                String::from_utf8_lossy(&out[i..(i + 24).min(out.len())])
            );
            let mut j = i + 2;
            while j < out.len() && (0x30..=0x3f).contains(&out[j]) {
                j += 1;
            }
            while j < out.len() && (0x20..=0x2f).contains(&out[j]) {
                j += 1;
            }
            assert!(
                j < out.len() && (0x40..=0x7e).contains(&out[j]),
                "{what}: malformed CSI at byte {i}: {:?}",
                String::from_utf8_lossy(&out[i..(i + 24).min(out.len())])
            );
            i = j + 1;
            continue;
        }
        assert!(
            b >= 0x20 && b != 0x7f,
            "{what}: raw control byte {b:#04x} at {i}: {:?}",
            String::from_utf8_lossy(&out[i.saturating_sub(20)..(i + 20).min(out.len())])
        );
        text.push(b);
        i += 1;
    }
    let text = String::from_utf8(text).unwrap_or_else(|e| panic!("{what}: not UTF-8: {e}"));
    assert_no_invisible(&text, what);
    text
}

fn assert_no_invisible(text: &str, what: &str) {
    for c in text.chars() {
        let bad = c.is_control()
            || ('\u{80}'..='\u{9f}').contains(&c)
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
            || ('\u{200b}'..='\u{200f}').contains(&c);
        assert!(!bad, "{what}: U+{:04X} reached the terminal", c as u32);
    }
}

/// Opens the finding list filtered to `cust`, as an operator would.
fn open_list(app: &mut App, cust: &str) {
    press(app, &[key('2'), key('/')]);
    type_text(app, cust);
    press(app, &[code(KeyCode::Enter)]);
}

#[test]
fn ui_frames_carry_no_control_from_the_data() {
    let d = dataset();
    for (w, h) in [(80u16, 24u16), (160, 48)] {
        let mut a = app(&d.db, w, h);
        let dash = assert_only_backend_csi(&crossterm_bytes(&a, w, h), "dashboard");
        assert!(
            dash.contains("X1") || dash.contains("ARC-04"),
            "dashboard shows the rules"
        );

        open_list(&mut a, "HX0001");
        let list = assert_only_backend_csi(&crossterm_bytes(&a, w, h), "finding list");
        assert!(list.contains("HX0001"), "the hostile finding is listed");
        // At 80 columns the Customer column (beside Unit) is cut after the first placeholder.
        let shown = if w >= 160 {
            "商店<csi>␛[2J"
        } else {
            "商店<csi"
        };
        assert!(
            list.contains(shown),
            "the name shows its controls as placeholders: {list}"
        );

        press(&mut a, &[code(KeyCode::Enter)]);
        let detail = assert_only_backend_csi(&crossterm_bytes(&a, w, h), "finding detail");
        assert!(detail.contains("HX0001"), "detail of the hostile customer");
        assert!(detail.contains("␛"), "escaped text is shown, not dropped");
        if w >= 160 {
            for placeholder in ["⟨U+009B⟩", "⟨U+202E⟩", "⟨U+2066⟩", "␀", "␡", "␇", "␍", "␉"]
            {
                assert!(detail.contains(placeholder), "{placeholder} in {detail}");
            }
        }
    }
}

#[test]
fn names_differing_by_one_invisible_character_render_differently() {
    let d = dataset();
    let mut a = app(&d.db, 160, 48);
    open_list(&mut a, "TW");
    let mut t = Terminal::new(TestBackend::new(160, 48)).unwrap();
    t.draw(|f| render::draw(f, &a)).unwrap();
    let screen = t.backend().to_string();
    // The Customer cell of each twin's row, keyed by its customer number.
    let mut cells = std::collections::BTreeMap::new();
    for line in screen.lines() {
        let Some(pos) = line
            .match_indices("TW")
            .map(|(p, _)| p)
            .find(|&p| line[p + 2..].bytes().take(2).all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        {
            let no = &line[pos..pos + 4];
            let after = &line[pos + 4..];
            let name = after
                .trim_start()
                .split("城关")
                .next()
                .unwrap()
                .trim_end()
                .to_string();
            cells.insert(no.to_string(), name);
        }
    }
    assert_eq!(
        cells.len(),
        SNEAKY.len() + 1,
        "every twin listed:\n{screen}"
    );
    let distinct: std::collections::BTreeSet<&String> = cells.values().collect();
    assert_eq!(
        distinct.len(),
        cells.len(),
        "two names look alike on screen: {cells:#?}"
    );
}

// ---- the command line -------------------------------------------------------------------------

/// Runs the binary with stdout and stderr on a fresh pty (a terminal, as over SSH); returns what
/// it wrote there.
fn on_pty(args: &[&str]) -> Vec<u8> {
    // SAFETY: plain libc pty calls on descriptors we own; each is checked.
    let (master, slave) = unsafe {
        let m = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
        assert!(m >= 0, "posix_openpt");
        assert_eq!(libc::grantpt(m), 0);
        assert_eq!(libc::unlockpt(m), 0);
        let name = std::ffi::CStr::from_ptr(libc::ptsname(m)).to_owned();
        let s = libc::open(name.as_ptr(), libc::O_RDWR | libc::O_NOCTTY);
        assert!(s >= 0, "open pty slave");
        (OwnedFd::from_raw_fd(m), OwnedFd::from_raw_fd(s))
    };
    let mut master = std::fs::File::from(master);
    let reader = {
        let mut m = master.try_clone().unwrap();
        std::thread::spawn(move || {
            let mut out = Vec::new();
            let mut buf = [0u8; 4096];
            // EIO once the last slave descriptor is closed.
            while let Ok(n) = m.read(&mut buf) {
                if n == 0 {
                    break;
                }
                out.extend_from_slice(&buf[..n]);
            }
            out
        })
    };
    let status = Command::new(BIN)
        .args(args)
        .env_remove("JICHA_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::from(slave))
        .status()
        .unwrap();
    let _ = status;
    let out = reader.join().unwrap();
    let _ = &mut master;
    out
}

/// Pty output: `\r\n` line ends (the line discipline's), nothing else from C0, no ESC at all.
fn assert_clean_terminal_text(out: &[u8], what: &str) -> String {
    for (i, &b) in out.iter().enumerate() {
        let ok =
            b >= 0x20 && b != 0x7f || b == b'\n' || b == b'\r' && out.get(i + 1) == Some(&b'\n');
        assert!(
            ok,
            "{what}: raw control {b:#04x} at {i}: {:?}",
            String::from_utf8_lossy(&out[i.saturating_sub(30)..(i + 30).min(out.len())])
        );
    }
    let text = String::from_utf8(out.to_vec()).expect("UTF-8");
    assert_no_invisible(&text.replace("\r\n", "\n").replace('\n', " "), what);
    text
}

fn db_args(db: &Path) -> Vec<String> {
    vec![
        "--db".into(),
        db.display().to_string(),
        "--today".into(),
        TODAY.into(),
        "--lang".into(),
        "en".into(),
    ]
}

#[test]
fn cli_on_a_terminal_sends_no_controls() {
    let d = dataset();
    let base = db_args(&d.db);
    let run = |extra: &[&str]| {
        let mut a: Vec<&str> = base.iter().map(String::as_str).collect();
        a.extend_from_slice(extra);
        on_pty(&a)
    };
    for format in ["table", "csv", "json"] {
        let out = run(&["findings", "--format", format, "--text", "HX0001"]);
        let text = assert_clean_terminal_text(&out, &format!("findings --format {format}"));
        assert!(text.contains("HX0001"), "{format}: {text}");
        if format == "json" {
            // JSON stays JSON: the characters are written as escapes that parse back to them.
            for e in ["\\u001b", "\\u007f", "\\u009b", "\\u202e", "\\u2069"] {
                assert!(text.contains(e), "json: {e} escape: {text}");
            }
        } else {
            assert!(
                text.contains("␛"),
                "{format}: the ESC is shown as ␛: {text}"
            );
        }
    }
    let id: i64 = rusqlite::Connection::open(&d.db)
        .unwrap()
        .query_row(
            "SELECT min(id) FROM findings WHERE cust_no = 'HX0001'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let out = run(&["finding", "show", &id.to_string()]);
    let text = assert_clean_terminal_text(&out, "finding show");
    assert!(text.contains("note<csi>␛[2J"), "{text}");
    let out = run(&["log", "--limit", "5"]);
    assert_clean_terminal_text(&out, "log");

    // An error carrying data: a bill for a customer number full of controls.
    let bad = d.export.parent().unwrap().join("bad");
    std::fs::create_dir(&bad).unwrap();
    std::fs::copy(d.export.join("customers.csv"), bad.join("customers.csv")).unwrap();
    csv_file(
        &bad.join("bills.csv"),
        "cust_no,period,read_on,prev_reading,curr_reading,multiplier,kwh,loss_kwh,amount,paid",
        &[format!("N{}|2026-09|2026-09-25|1|2|1|1|0|1|1", payload())
            .split('|')
            .map(str::to_string)
            .collect()],
    );
    let out = run(&["import", bad.to_str().unwrap()]);
    let text = assert_clean_terminal_text(&out, "import error");
    assert!(text.contains("bills.csv:2"), "error names the line: {text}");
    assert!(
        text.contains("N<csi>␛[2J"),
        "the bad value is shown escaped: {text}"
    );
    assert!(
        !text.contains("⟨U+241B⟩") && !text.contains("⟨U+27E8⟩"),
        "escaped twice: {text}"
    );
}

#[test]
fn csv_and_json_with_raw_keep_the_bytes() {
    let d = dataset();
    let mut args = db_args(&d.db);
    args.extend(["--raw", "findings", "--text", "HX0001", "--format"].map(String::from));
    let run = |format: &str| {
        let out = Command::new(BIN)
            .args(&args)
            .arg(format)
            .env_remove("JICHA_DB")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let csv_out = run("csv");
    let mut r = csv::Reader::from_reader(&csv_out[..]);
    let headers = r.headers().unwrap().clone();
    let name_col = headers.iter().position(|h| h == "cust_name").unwrap();
    let ev_col = headers.iter().position(|h| h == "evidence").unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r[name_col] == hostile_name()));
    assert!(rows.iter().any(|r| r[ev_col] == external_evidence()));

    let json: serde_json::Value = serde_json::from_slice(&run("json")).unwrap();
    let items = json.as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|f| f["cust_name"] == hostile_name()));
    assert!(items.iter().any(|f| f["evidence"] == external_evidence()));
}

#[test]
fn json_on_a_terminal_stays_valid_and_equal() {
    // Escaped for the terminal, the JSON must still parse to the very same values.
    let d = dataset();
    let mut a = db_args(&d.db);
    a.extend(["findings", "--text", "HX0001", "--format", "json"].map(String::from));
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let out = on_pty(&a);
    let text = String::from_utf8(out).unwrap().replace("\r\n", "\n");
    let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON on a terminal");
    let items = json.as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|f| f["cust_name"] == hostile_name()));
}
