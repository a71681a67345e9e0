//! The export key (`e`) on the findings list and the reports screen: it asks for the file with
//! `jicha-<what>-<date>.xlsx` filled in, writes the list as filtered (the report of the period
//! on screen) on the loader's thread, says on the status line how many rows went where, and
//! asks before it replaces an existing file.

mod ui_fixture;

use calamine::{open_workbook, Data, Reader, Xlsx};
use crossterm::event::KeyCode;
use jicha::context::{Lang, Role};
use jicha::ui::app::App;
use jicha::ui::dialog::{Choice, Prompt};
use std::path::Path;
use ui_fixture::*;

fn status_line(app: &App) -> String {
    app.status_text().map(|(_, s)| s).unwrap_or_default()
}

/// `e`, the default name replaced by `path`, Enter.
fn export_to(a: &mut App, path: &Path) -> String {
    press(a, &[key('e')]);
    file_to(a, path)
}

/// The file prompt open: the default name replaced by `path`, Enter.
fn file_to(a: &mut App, path: &Path) -> String {
    let default = match a.dialog_as::<Prompt>() {
        Some(p) => p.text(),
        None => panic!("export asks for the file"),
    };
    for _ in 0..default.chars().count() {
        press(a, &[code(KeyCode::Backspace)]);
    }
    type_text(a, &path.display().to_string());
    press(a, &[code(KeyCode::Enter)]);
    default
}

fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let range = book.worksheet_range(name).unwrap();
    range.rows().map(<[Data]>::to_vec).collect()
}

#[test]
fn the_findings_list_is_exported_as_filtered_and_a_file_is_replaced_only_when_asked() {
    let (d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    press(&mut a, &[key('2')]);
    // Only the high-severity ones.
    press(&mut a, &[key('v')]);
    let shown = list(&a).total().unwrap();
    let all = {
        let mut b = app(&p, "auditor1", Role::Auditor, Lang::Zh);
        press(&mut b, &[key('2')]);
        list(&b).total().unwrap()
    };
    assert!(
        shown > 0 && shown < all,
        "the filter narrows the list: {shown} of {all}"
    );
    let out = d.path().join("list.xlsx");
    let default = export_to(&mut a, &out);
    assert_eq!(default, "./jicha-findings-2026-11-02.xlsx");
    assert!(a.dialog().is_none());
    assert_eq!(
        status_line(&a),
        format!("已导出 {shown} 行到 {}", out.display())
    );
    let rows = sheet(&out, "异常清单");
    assert_eq!(rows.len(), shown + 1, "a header and the filtered rows");
    assert_eq!(rows[0][2], Data::String("户号".into()));
    let severity = rows[0]
        .iter()
        .position(|h| h == &Data::String("严重程度".into()))
        .unwrap();
    assert!(rows[1..]
        .iter()
        .all(|r| r[severity] == Data::String("高".into())));
    // The same name again: asked first; keeping it (the default choice) writes nothing.
    let before = std::fs::read(&out).unwrap();
    std::fs::write(&out, b"mine").unwrap();
    export_to(&mut a, &out);
    assert!(a.dialog_as::<Choice>().is_some(), "asks before replacing");
    press(&mut a, &[code(KeyCode::Enter)]);
    assert_eq!(std::fs::read(&out).unwrap(), b"mine");
    assert_eq!(status_line(&a), "未导出");
    // Replacing it when asked to.
    export_to(&mut a, &out);
    press(&mut a, &[code(KeyCode::Down), code(KeyCode::Enter)]);
    assert_eq!(std::fs::read(&out).unwrap().len(), before.len());
    assert!(status_line(&a).starts_with("已导出"), "{}", status_line(&a));
    // A directory that does not exist: the status line says so and nothing is left behind.
    export_to(&mut a, &d.path().join("no/such/dir/x.xlsx"));
    assert!(status_line(&a).contains("未导出"), "{}", status_line(&a));
    let left: Vec<String> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn the_report_on_screen_is_exported_with_a_sheet_per_breakdown() {
    let (d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('6')]);
    let out = d.path().join("report.xlsx");
    // The format is asked first, Excel under the mark; the file defaults to the dataset's
    // directory.
    press(&mut a, &[key('e')]);
    let formats = a.dialog_as::<Choice>().expect("asks for the format");
    assert_eq!(formats.sel, 2);
    press(&mut a, &[code(KeyCode::Enter)]);
    let default = file_to(&mut a, &out);
    assert_eq!(
        default,
        d.path()
            .join("jicha-report-2026-11-02-2026-11-02.xlsx")
            .display()
            .to_string()
    );
    assert!(
        status_line(&a).starts_with("Exported"),
        "{}",
        status_line(&a)
    );
    let book: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "Figures",
            "Business indicators",
            "By unit",
            "By rule",
            "Unit ranking",
            "Overdue tickets"
        ]
        .map(String::from)
    );
    let figures = sheet(&out, "Figures");
    assert_eq!(
        figures[1][1],
        Data::String("2026-11-02 .. 2026-11-02".into())
    );
}

#[test]
fn the_export_key_is_in_the_footer_and_the_help() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2')]);
    let text = screen(&mut a, 120, 30);
    assert!(text.contains("export xlsx"), "{text}");
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
    assert!(help.contains("export the filtered list to Excel"), "{help}");
    assert!(
        help.contains("export the report as Markdown, CSV or Excel"),
        "{help}"
    );
}
