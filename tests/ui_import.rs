//! The import screen (F7, `:import`): the permission checked before anything opens, the
//! directory browser that starts in the dataset's directory and shows the contract files each
//! directory holds, the import on its own thread, the error list of a refused export (nothing
//! written), what a successful import brought, and the scan offered after it.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::ui::app::{App, ScreenId};
use jicha::ui::dialog::{Choice, DialogKind, Prompt};
use jicha::ui::screen::import::{ImportScreen, Outcome};
use jicha::ui::screen::import_dirs::{Browse, Entry};
use std::path::{Path, PathBuf};
use ui_fixture::*;

const CUSTOMERS_H: &str = "cust_no,name,address,contact,phone,category,price_code,billing_mode,voltage_kv,capacity_kva,pf_standard,hslm,temporary,station,district,opened_on,status,closed_on";

/// An export directory `name` beside the dataset with a customers.csv of `rows`.
fn export(dataset: &Path, name: &str, rows: &[String]) -> PathBuf {
    let dir = dataset.parent().unwrap().join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let mut s = format!("{CUSTOMERS_H}\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    std::fs::write(dir.join("customers.csv"), s).unwrap();
    dir
}

fn customer(no: &str, category: &str) -> String {
    format!("{no},新户商店,杭州市西湖区文三路1号,李四,13800000000,{category},COM,single,0.38,50,0.90,0,0,城关供电所,西湖区,2020-01-05,active,")
}

fn imp(a: &App) -> &ImportScreen {
    a.screen_state::<ImportScreen>().unwrap()
}

fn status_line(a: &App) -> String {
    a.status_text().map(|(_, s)| s).unwrap_or_default()
}

fn customers(p: &Path) -> i64 {
    let ds = Dataset::open(p).unwrap();
    ds.conn
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap()
}

/// Waits for the import thread to answer; the run loop's tick picks the answer up.
fn wait_import(a: &mut App) {
    for _ in 0..3000 {
        if imp(a).job.is_none() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        a.tick();
    }
    a.settle();
    assert!(imp(a).job.is_none(), "the import answered");
}

/// Moves the open browser's mark to the line that opens `dir` and takes it.
fn open_in_browser(a: &mut App, dir: &Path) {
    let at = {
        let b = a.dialog_tag::<Browse>().expect("the browser is open");
        let want = Entry::Open(dir.canonicalize().unwrap());
        b.entries.iter().position(|e| *e == want).expect("listed")
    };
    for _ in 0..at {
        press(a, &[code(KeyCode::Down)]);
    }
    press(a, &[code(KeyCode::Enter)]);
}

/// The browser's first line: import the directory shown.
fn import_here(a: &mut App) {
    assert!(a.dialog_tag::<Browse>().is_some(), "the browser is open");
    press(a, &[code(KeyCode::Enter)]);
}

#[test]
fn an_export_picked_in_the_browser_is_imported_and_a_scan_is_offered() {
    let (_d, p) = dataset();
    let before = customers(&p);
    let dir = export(&p, "export-1102", &[customer("C900", "commercial")]);
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[code(KeyCode::F(7))]);
    assert_eq!(a.screen, ScreenId::Import);
    // It starts in the dataset's directory and says what each directory holds.
    let items = &a.dialog_as::<Choice>().expect("the browser").items;
    assert!(
        items.iter().any(|i| i == "export-1102/ · customers"),
        "{items:?}"
    );
    open_in_browser(&mut a, &dir);
    let here = &a.dialog_as::<Choice>().unwrap().items[0];
    assert_eq!(here, "Import this directory · customers");
    import_here(&mut a);
    wait_import(&mut a);
    match &imp(&a).last {
        Some((from, Outcome::Imported { files, .. })) => {
            assert_eq!(from, &dir.canonicalize().unwrap());
            assert_eq!(files[0].file, "customers.csv");
            assert_eq!((files[0].rows, files[0].inserted), (1, 1));
        }
        other => panic!("imported: {other:?}"),
    }
    assert_eq!(customers(&p), before + 1);
    // A scan is offered; taking it runs the scan key (not connected in tests: it says so).
    let offer = a.dialog_as::<Choice>().expect("a scan is offered");
    assert_eq!(offer.title, "Imported. Scan the dataset now?");
    press(&mut a, &[code(KeyCode::Enter)]);
    assert!(
        status_line(&a).contains("not available in this build"),
        "{}",
        status_line(&a)
    );
    // The browser starts where the last import came from.
    press(&mut a, &[code(KeyCode::Enter)]);
    let b = a.dialog_tag::<Browse>().unwrap();
    assert_eq!(b.dir, dir.canonicalize().unwrap());
}

#[test]
fn a_refused_export_shows_each_error_with_its_line_and_writes_nothing() {
    let (_d, p) = dataset();
    let before = customers(&p);
    let rows = [
        customer("C901", "commercial"),
        customer("C902", "spaceship"),
        customer("C903", "moon"),
    ];
    let dir = export(&p, "bad", &rows);
    let mut a = app(&p, "admin1", Role::Admin, Lang::Zh);
    // `:import`, then a typed path.
    press(&mut a, &[key(':')]);
    type_text(&mut a, "import\n");
    assert_eq!(a.screen, ScreenId::Import);
    let at = a
        .dialog_tag::<Browse>()
        .unwrap()
        .entries
        .iter()
        .position(|e| *e == Entry::Type)
        .unwrap();
    for _ in 0..at {
        press(&mut a, &[code(KeyCode::Down)]);
    }
    press(&mut a, &[code(KeyCode::Enter)]);
    let typed = a.dialog_as::<Prompt>().expect("asks for the path").text();
    for _ in 0..typed.chars().count() {
        press(&mut a, &[code(KeyCode::Backspace)]);
    }
    type_text(&mut a, "/no/such/dir\n");
    assert_eq!(
        a.dialog_kind(),
        Some(DialogKind::Prompt),
        "stays: not a directory"
    );
    for _ in 0.."/no/such/dir".len() {
        press(&mut a, &[code(KeyCode::Backspace)]);
    }
    type_text(&mut a, &format!("{}\n", dir.display()));
    import_here(&mut a);
    wait_import(&mut a);
    let lines = match &imp(&a).last {
        Some((_, Outcome::Refused(lines))) => lines.clone(),
        other => panic!("refused: {other:?}"),
    };
    assert!(lines.len() >= 2, "{lines:?}");
    assert!(lines[0].starts_with("customers.csv:3"), "{lines:?}");
    assert!(lines[1].starts_with("customers.csv:4"), "{lines:?}");
    assert_eq!(customers(&p), before, "nothing written");
    assert!(a.dialog().is_none(), "no scan is offered after a refusal");
    assert!(
        status_line(&a).contains("导入被拒绝"),
        "{}",
        status_line(&a)
    );
    // The list scrolls.
    press(&mut a, &[key('j')]);
    assert_eq!(imp(&a).scroll, 1);
    press(&mut a, &[key('g')]);
    for (w, h) in [(80, 24), (120, 30), (200, 50)] {
        let text = screen(&mut a, w, h);
        assert!(text.contains("customers.csv:3"), "{w}x{h}:\n{text}");
        assert!(text.contains("customers.csv:4"), "{w}x{h}:\n{text}");
    }
}

#[test]
fn a_viewer_is_refused_before_the_browser_opens() {
    let (_d, p) = dataset();
    let mut a = app(&p, "someone", Role::Viewer, Lang::En);
    press(&mut a, &[code(KeyCode::F(7))]);
    assert!(a.dialog().is_none(), "nothing opens");
    assert_ne!(a.screen, ScreenId::Import);
    assert!(status_line(&a).contains("auditor"), "{}", status_line(&a));
}

/// The import screen as drawn, with the temporary directory replaced by a fixed path.
fn shown(a: &mut App, dir: &Path, w: u16, h: u16) -> String {
    let fixed = PathBuf::from("/srv/export/1102");
    let st = a.screen_state_mut::<ImportScreen>().unwrap();
    st.dir = Some(fixed.clone());
    if let Some((from, _)) = st.last.as_mut() {
        *from = fixed;
    }
    a.status = None;
    let _ = dir;
    screen(a, w, h)
}

#[test]
fn the_import_screens_at_three_sizes_in_both_languages() {
    for lang in [Lang::Zh, Lang::En] {
        let (_d, p) = dataset();
        let good = export(&p, "good", &[customer("C900", "commercial")]);
        let bad = export(
            &p,
            "bad",
            &[customer("C902", "spaceship"), customer("C903", "moon")],
        );
        let mut a = app(&p, "admin1", Role::Admin, lang);
        let tag = match lang {
            Lang::Zh => "zh",
            Lang::En => "en",
        };
        for (name, dir) in [("imported", &good), ("refused", &bad)] {
            press(&mut a, &[code(KeyCode::F(7))]);
            if a.dialog().is_none() {
                press(&mut a, &[code(KeyCode::Enter)]);
            }
            open_in_browser(&mut a, dir);
            import_here(&mut a);
            wait_import(&mut a);
            if a.dialog().is_some() {
                // "Not now" to the scan offer.
                press(&mut a, &[code(KeyCode::Down), code(KeyCode::Enter)]);
            }
            for (w, h) in [(80, 24), (120, 30), (200, 50)] {
                let text = shown(&mut a, dir, w, h);
                assert!(!text.contains("/tmp"), "{text}");
                insta::assert_snapshot!(format!("import_{name}_{tag}_{w}x{h}"), text);
            }
            // Back to the parent for the next one.
            a.screen_state_mut::<ImportScreen>().unwrap().dir = Some(p.parent().unwrap().into());
            press(&mut a, &[code(KeyCode::Esc)]);
        }
    }
}

#[test]
fn the_import_key_and_command_are_in_the_help_and_both_keymaps() {
    let (_d, p) = dataset();
    for km in ["default", "vim"] {
        let mut a = app_with(&p, ctx("admin1", Role::Admin, Lang::En), km, true, false);
        press(&mut a, &[code(KeyCode::F(7))]);
        assert_eq!(a.screen, ScreenId::Import, "{km}");
    }
    let mut a = app(&p, "admin1", Role::Admin, Lang::En);
    press(&mut a, &[key('?')]);
    let help: String = jicha::ui::render::help_lines(&a)
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
                + "\n"
        })
        .collect();
    assert!(
        help.contains("import an export directory (as `jicha import DIR`)"),
        "{help}"
    );
    assert!(help.contains(":import"), "{help}");
}
