//! The lists and the detail (issue 16): sorting starts at the top of the new order and `↑`/`↓`
//! mean one direction for every column, moves typed before the new order arrives apply to it,
//! the recurred filter, the evidence's horizontal scroll, the detail's last page, the
//! whitelist's 户号 at 80 columns, amounts with 元.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::context::{Lang, Role};
use jicha::ui::app::App;
use ui_fixture::*;

fn ids(a: &App) -> Vec<i64> {
    list(a).window.iter().map(|r| r.id).collect()
}

#[test]
fn a_new_order_starts_at_its_top_and_the_arrow_means_one_direction_for_every_column() {
    let (_d, p) = dataset();
    for lang in [Lang::En, Lang::Zh] {
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        press(&mut a, &[key('2'), key('j'), key('j'), key('j')]);
        assert_eq!(list(&a).cursor, 3);
        // Amount: largest first, the cursor on it (the top of the new order is shown).
        press(&mut a, &[key('o')]);
        assert_eq!(list(&a).cursor, 0, "the selection goes to the first row");
        assert_eq!(list(&a).current().map(|r| r.id), Some(5), "52,000 元 first");
        let s = screen(&mut a, 120, 30);
        let (down, up) = match lang {
            Lang::En => ("↓ largest first", "↑ smallest first"),
            Lang::Zh => ("↓ 从大到小", "↑ 从小到大"),
        };
        assert!(s.contains(down), "{s}");
        assert!(s.contains("52000.00 元"), "{s}");
        // Reversed: smallest first, and the arrow turns.
        press(&mut a, &[key('j'), key('O')]);
        assert_eq!(list(&a).cursor, 0);
        assert!(screen(&mut a, 120, 30).contains(up));
        let amounts: Vec<f64> = list(&a)
            .window
            .iter()
            .map(|r| r.amount_yuan.unwrap_or(0.0))
            .collect();
        assert!(amounts.windows(2).all(|w| w[0] <= w[1]), "{amounts:?}");
        // Id, not reversed: `↑` is smallest first here too.
        press(&mut a, &[key('O')]);
        for _ in 0..5 {
            press(&mut a, &[key('o')]);
        }
        assert_eq!(list(&a).sort, jicha::findings::SortKey::Id);
        assert!(screen(&mut a, 120, 30).contains(up));
        let got = ids(&a);
        let mut sorted = got.clone();
        sorted.sort();
        assert_eq!(got, sorted);
        press(&mut a, &[key('O')]);
        assert!(screen(&mut a, 120, 30).contains(down));
        assert_eq!(list(&a).current().map(|r| r.id), Some(9));
    }
}

#[test]
fn a_move_typed_before_the_new_order_arrives_applies_to_the_new_order() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2')]);
    // `o G` in one go, as typed: G is for the list sorted by amount.
    a.handle(key('o'));
    a.handle(key('G'));
    a.settle();
    let n = list(&a).total().unwrap();
    assert_eq!(list(&a).cursor, n - 1);
    a.handle(key('O'));
    a.handle(key('g'));
    a.settle();
    assert_eq!(list(&a).cursor, 0);
}

#[test]
fn the_recurred_filter_lists_only_findings_that_came_back() {
    let (_d, p) = dataset();
    for (lang, word) in [(Lang::En, "recurred only"), (Lang::Zh, "仅复发")] {
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        press(&mut a, &[key('2')]);
        let all = list(&a).total();
        press(&mut a, &[key('f')]);
        assert_eq!(ids(&a), [4], "finding 4 recurred");
        assert!(screen(&mut a, 120, 30).contains(word));
        press(&mut a, &[key('f')]);
        assert_eq!(list(&a).total(), all);
    }
}

#[test]
fn the_evidence_scrolls_sideways_without_splitting_a_character() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2')]);
    let s = screen(&mut a, 200, 50);
    assert!(s.contains("kWh fell 70% (mean 100,000"), "{s}");
    press(&mut a, &[code(KeyCode::Right)]);
    assert_eq!(list(&a).hscroll, 10);
    let s = screen(&mut a, 200, 50);
    assert!(s.contains("…% (mean 100,000"), "{s}");
    assert!(!s.contains("kWh fell 70%"), "{s}");
    press(&mut a, &[code(KeyCode::Left)]);
    assert!(screen(&mut a, 200, 50).contains("kWh fell 70% (mean"));
    // The new keys are in the help, generated from the keymap.
    press(&mut a, &[key('?')]);
    let mut seen = false;
    for _ in 0..6 {
        if screen(&mut a, 200, 50).contains("choose the columns") {
            seen = true;
            break;
        }
        press(&mut a, &[code(KeyCode::PageDown)]);
    }
    assert!(seen, "the help lists the column chooser");
}

#[test]
fn columns_grow_with_the_width() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2')]);
    let narrow = screen(&mut a, 80, 24);
    let wide = screen(&mut a, 200, 50);
    for head in ["Cust no", "First seen", "THF", "Resolution", "Evidence"] {
        assert!(wide.contains(head), "{head} at 200: {wide}");
    }
    assert!(!narrow.contains("Resolution"), "{narrow}");
    // Amounts carry their unit and are whole at every width.
    assert!(narrow.contains("52000.00 元"), "{narrow}");
    assert!(wide.contains("52000.00 元"));
    let mut z = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    press(&mut z, &[key('2')]);
    let wide = screen(&mut z, 200, 50);
    for head in ["户号", "首次发现", "窃电等级", "处理结果", "依据"] {
        assert!(wide.contains(head), "{head} at 200: {wide}");
    }
}

#[test]
fn the_details_last_page_is_full() {
    let (_d, p) = dataset();
    for lang in [Lang::En, Lang::Zh] {
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        press(&mut a, &[key('2'), code(KeyCode::Enter)]);
        for (w, h) in [(80u16, 24u16), (120, 30)] {
            screen(&mut a, w, h);
            for k in [code(KeyCode::End), code(KeyCode::PageDown)] {
                press(&mut a, &[k]);
                let d = detail(&a).unwrap();
                assert_eq!(d.scroll, d.max_scroll.get(), "{w}x{h}");
                let s = screen(&mut a, w, h);
                // The row under the pane's top border has text: not a blank pane.
                let rows: Vec<&str> = s.lines().collect();
                let top = rows.iter().position(|l| l.contains("#5")).unwrap();
                let first = rows[top + 1].trim_matches(|c| c == '"' || c == '│' || c == ' ');
                assert!(!first.is_empty(), "{w}x{h}: {s}");
                // And up from there moves at once (not from a scroll past the end).
                press(&mut a, &[code(KeyCode::Up)]);
                let d = detail(&a).unwrap();
                assert_eq!(d.scroll + 1, d.max_scroll.get().max(1));
            }
        }
    }
}

#[test]
fn the_whitelist_shows_the_whole_cust_no_at_80_columns() {
    let (_d, p) = dataset();
    let mut ds = jicha::db::Dataset::open(&p).unwrap();
    ds.write(|tx| {
        tx.execute_batch(
            "INSERT INTO whitelist(id, rule, cust_no, reason, author, created_at, starts_on, expires_on, effective_from, approved_by) VALUES
               (4,'BIL-05','330100000012345','长期空置房屋，业主在外地务工，每季度核实一次','auditor1','2026-10-01T00:00:00Z','2026-10-01','2027-01-01','2026-10-01',NULL);",
        )?;
        Ok(())
    })
    .unwrap();
    drop(ds);
    for lang in [Lang::En, Lang::Zh] {
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        press(&mut a, &[key('4')]);
        let s = screen(&mut a, 80, 24);
        assert!(s.contains("330100000012345"), "{s}");
        assert!(s.contains("2027-01-01"), "{s}");
    }
}

/// An external rule (`EXT:<source>:<code>`) carries what the export says: its name, its
/// severity and a description, in the list, the detail and the rules screen.
#[test]
fn an_external_rule_has_its_name_severity_and_description() {
    let (_d, p) = dataset();
    let mut ds = jicha::db::Dataset::open(&p).unwrap();
    let evidence = jicha::rules::evidence::Evidence::External {
        rule_name: "疑似窃电用户".into(),
        detected_on: "2026-11-01".into(),
        text: Some("夜间负荷异常".into()),
    }
    .to_stored();
    ds.write(|tx| {
        tx.execute(
            "INSERT INTO external_findings VALUES ('95598','R07','疑似窃电用户','C002','-','2026-11-01','high','夜间负荷异常',1,2)",
            [],
        )?;
        tx.execute(
            "INSERT INTO findings(id, rule, cust_no, subject, status, resolution, severity, level, evidence, amount_yuan, first_seen, last_seen, first_scan, last_scan, recurred, status_date)
             VALUES (10,'EXT:95598:R07','C002','-','new',NULL,'high',NULL,?1,NULL,'2026-11-02','2026-11-02',30,30,0,'2026-11-02')",
            [&evidence],
        )?;
        Ok(())
    })
    .unwrap();
    let dir = jicha::rules::directory::Directory::load(&ds.conn).unwrap();
    let e = dir.get("EXT:95598:R07").expect("in the directory");
    assert_eq!(e.name(true), "疑似窃电用户");
    assert_eq!(e.severity.as_str(), "high");
    assert!(e.checks(false).contains("95598"), "{}", e.checks(false));
    // Gone from a later export: the name the finding kept, severity medium (the default).
    ds.write(|tx| {
        tx.execute("DELETE FROM external_findings", [])?;
        Ok(())
    })
    .unwrap();
    let e = jicha::rules::directory::entry_in(&ds.conn, "EXT:95598:R07")
        .unwrap()
        .unwrap();
    assert_eq!(
        (e.name(false), e.severity.as_str()),
        ("疑似窃电用户", "medium")
    );
    ds.write(|tx| {
        tx.execute(
            "INSERT INTO external_findings VALUES ('95598','R07','疑似窃电用户','C002','-','2026-11-01','high','夜间负荷异常',1,2)",
            [],
        )?;
        Ok(())
    })
    .unwrap();
    drop(ds);
    for lang in [Lang::En, Lang::Zh] {
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        press(&mut a, &[key('2'), key('/')]);
        type_text(&mut a, "EXT:\n");
        assert_eq!(ids(&a), [10]);
        let s = screen(&mut a, 80, 24);
        assert!(s.contains("EXT:95598:R07"), "the id whole: {s}");
        press(&mut a, &[code(KeyCode::Enter)]);
        let s = screen(&mut a, 120, 30);
        assert!(s.contains("EXT:95598:R07 疑似窃电用户"), "{s}");
        assert!(s.contains("95598") && s.contains("R07"), "{s}");
        let checks = match lang {
            Lang::En => "Rule R07 of the external system",
            Lang::Zh => "外部系统“95598”的规则 R07",
        };
        assert!(s.contains(checks), "{s}");
    }
}
