//! The finding detail shows the customer's source changes (issue 15: `jicha changes`' module):
//! field, old → new, which imports, newest first; a few lines, and a key for all of them.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::ui::dialog::DialogKind;
use std::path::Path;
use ui_fixture::*;

/// `n` changes of C003's bill of 2026-05 (kwh 1000+i → 2000+i), import i+1 replacing import i,
/// and a capacity change of C001 (someone else's).
fn changes(path: &Path, n: i64) {
    let mut ds = Dataset::open(path).unwrap();
    ds.write(|tx| {
        for i in 1..=n + 1 {
            tx.execute(
                "INSERT INTO imports(id, at_utc, business_date, operator, source_dir, summary)
                 VALUES (?1, 't', ?2, 'admin1', '/x', '{}')",
                rusqlite::params![i, format!("2026-10-{:02}", i)],
            )?;
        }
        for i in 1..=n {
            tx.execute(
                "INSERT INTO source_history(file, key, cust_no, kind, old, new, since_import, replaced_by)
                 VALUES ('bills.csv', '[\"C003\",\"2026-05\"]', 'C003', 'changed', ?1, ?2, ?3, ?4)",
                rusqlite::params![
                    format!("{{\"kwh\": {}}}", 1000 + i),
                    format!("{{\"kwh\": {}}}", 2000 + i),
                    i,
                    i + 1
                ],
            )?;
        }
        tx.execute(
            "INSERT INTO source_history(file, key, cust_no, kind, old, new, since_import, replaced_by)
             VALUES ('customers.csv', '[\"C001\"]', 'C001', 'changed', '{\"capacity_kva\": 8}',
                     '{\"capacity_kva\": 80}', 1, 2)",
            [],
        )?;
        Ok(())
    })
    .unwrap();
}

/// The detail of finding 5 (C003).
fn opened(path: &Path, lang: Lang) -> jicha::ui::app::App {
    let mut app = app(path, "auditor1", Role::Auditor, lang);
    press(&mut app, &[key(':')]);
    type_text(&mut app, "cust C003");
    press(&mut app, &[code(KeyCode::Enter)]);
    press(&mut app, &[code(KeyCode::Enter)]);
    assert_eq!(detail(&app).unwrap().id, 5);
    app
}

#[test]
fn the_detail_shows_the_newest_changes_and_a_key_for_all() {
    let (_d, path) = dataset();
    changes(&path, 5);
    let mut app = opened(&path, Lang::En);
    let shown = detail(&app).unwrap();
    assert_eq!(shown.changes.len(), 5, "only C003's changes");
    let s = screen(&mut app, 120, 30);
    assert!(s.contains("Source changes (5)"), "{s}");
    assert!(s.contains("kwh 1005 → 2005"), "the newest first\n{s}");
    assert!(!s.contains("kwh 1001 → 2001"), "only a few lines\n{s}");
    assert!(s.contains("2 more: H shows all"), "{s}");
    assert!(
        !s.contains("capacity_kva"),
        "another customer's change is not shown"
    );
    press(&mut app, &[key('H')]);
    assert_eq!(app.dialog_kind(), Some(DialogKind::Page));
    let s = screen(&mut app, 120, 30);
    assert!(
        s.contains("kwh 1001 → 2001") && s.contains("import 1 → 2"),
        "{s}"
    );
    insta::assert_snapshot!("detail_changes_all_en_120x30", s);
}

#[test]
fn without_changes_the_detail_says_so_in_both_languages() {
    let (_d, path) = dataset();
    for (lang, word) in [
        (Lang::En, "No source changes for this customer."),
        (Lang::Zh, "该户没有源数据变更。"),
    ] {
        let mut app = opened(&path, lang);
        let s = screen(&mut app, 200, 50);
        assert!(s.contains(word), "{s}");
    }
    changes(&path, 2);
    let mut app = opened(&path, Lang::Zh);
    let s = screen(&mut app, 200, 50);
    assert!(
        s.contains("源数据变更 (2)") && s.contains("导入 1 → 2"),
        "{s}"
    );
    assert!(!s.contains("按 H 查看全部"), "all shown: no key line\n{s}");
    insta::assert_snapshot!("detail_changes_zh_200x50", s);
}
