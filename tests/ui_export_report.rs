//! The reports screen's export in the three formats of `jicha report --format … --out`:
//! Markdown and CSV (with the byte-order mark `--out` writes) beside the xlsx of
//! tests/ui_export.rs; the default file is in the dataset's directory and names the unit; an
//! existing file is replaced only when asked.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::ui::app::App;
use jicha::ui::dialog::{Choice, Prompt};
use jicha::ui::screen::reports::Reports;
use std::path::Path;
use ui_fixture::*;

fn status_line(app: &App) -> String {
    app.status_text().map(|(_, s)| s).unwrap_or_default()
}

/// `e`, the format by its number, then the file prompt's default taken as it is.
fn export_default(a: &mut App, number: char) -> String {
    press(a, &[key('e')]);
    assert!(a.dialog_as::<Choice>().is_some(), "asks for the format");
    press(a, &[key(number)]);
    let default = a.dialog_as::<Prompt>().expect("asks for the file").text();
    press(a, &[code(KeyCode::Enter)]);
    default
}

/// The report the CLI computes for the same period and unit, rendered as it renders it.
fn cli_report(p: &Path, unit: Option<&str>) -> jicha::reports::Report {
    let ds = Dataset::open(p).unwrap();
    jicha::reports::compute_for(&ds.conn, day(TODAY), day(TODAY), unit).unwrap()
}

#[test]
fn the_report_is_exported_as_markdown_beside_the_dataset() {
    let (d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    press(&mut a, &[key('6')]);
    let default = export_default(&mut a, '1');
    let out = d.path().join("jicha-report-2026-11-02-2026-11-02.md");
    assert_eq!(default, out.display().to_string());
    assert_eq!(
        status_line(&a),
        format!("已将报表（md）导出到 {}", out.display())
    );
    let written = std::fs::read_to_string(&out).unwrap();
    let want = jicha::output::report::render_text(&cli_report(&p, None), true, Lang::Zh);
    assert_eq!(written, want);
    assert!(written.contains('|'), "a Markdown table: {written}");
}

#[test]
fn the_report_of_a_unit_is_exported_as_csv_with_a_byte_order_mark() {
    let (d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('6')]);
    // The unit tree: the first unit under "every unit".
    press(
        &mut a,
        &[key('u'), code(KeyCode::Down), code(KeyCode::Enter)],
    );
    let unit = a
        .screen_state::<Reports>()
        .unwrap()
        .unit
        .clone()
        .expect("a unit is chosen");
    let default = export_default(&mut a, '2');
    let out = d
        .path()
        .join(format!("jicha-report-2026-11-02-2026-11-02-{unit}.csv"));
    assert_eq!(default, out.display().to_string());
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "BOM first");
    let mut want = Vec::new();
    jicha::output::report::write_csv(&cli_report(&p, Some(&unit)), &mut want).unwrap();
    assert_eq!(&bytes[3..], &want[..]);
    // The same again: asked first; keeping it writes nothing.
    std::fs::write(&out, b"mine").unwrap();
    export_default(&mut a, '2');
    assert!(a.dialog_as::<Choice>().is_some(), "asks before replacing");
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(std::fs::read(&out).unwrap(), b"mine");
    assert_eq!(status_line(&a), "Not exported");
    // Replacing it when asked to.
    export_default(&mut a, '2');
    press(&mut a, &[code(KeyCode::Down), code(KeyCode::Enter)]);
    assert_eq!(std::fs::read(&out).unwrap(), bytes);
    assert!(status_line(&a).starts_with("Exported the report (csv)"));
}

#[test]
fn the_format_question_cancels_without_writing() {
    let (d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('6'), key('e'), code(KeyCode::Esc)]);
    assert!(a.dialog().is_none());
    let written: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("jicha-report"))
        .collect();
    assert!(written.is_empty());
}
