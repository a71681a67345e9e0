//! Typed text is kept: `n` at the ticket confirmation goes back to the form with its text, the
//! resubmission after 退回 starts from the last submission, a whitelist entry's customer is
//! checked before its reason is typed, the note editor wraps CJK by display width and follows
//! the cursor, and a note has a length limit (the editor and the action alike). Popups over
//! CJK text keep their border corners.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::actions::{perform, Action, NOTE_MAX_CHARS};
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::ui::app::App;
use jicha::ui::dialog::{DialogKind, Editor, Form, Prompt};
use ui_fixture::*;

fn form_texts(a: &App) -> Vec<String> {
    a.dialog_as::<Form>()
        .expect("the form is open")
        .fields
        .iter()
        .map(|f| f.text())
        .collect()
}

#[test]
fn no_at_the_ticket_confirmation_goes_back_to_the_form_with_its_text() {
    for lang in [Lang::En, Lang::Zh] {
        let (_d, p) = dataset();
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        press(&mut a, &[key('2'), key('j'), key('t')]);
        assert_eq!(a.dialog_kind(), Some(DialogKind::Form));
        type_text(&mut a, "核实负电费原因\n并追补电费");
        press(&mut a, &[code(KeyCode::Tab), code(KeyCode::Tab)]);
        type_text(&mut a, "李工");
        press(&mut a, &[ctrl('s')]);
        assert_eq!(a.dialog_kind(), Some(DialogKind::Confirm));
        press(&mut a, &[key('n')]);
        assert_eq!(a.dialog_kind(), Some(DialogKind::Form), "{lang:?}");
        let texts = form_texts(&a);
        assert_eq!(texts[0], "核实负电费原因\n并追补电费");
        assert_eq!(texts[1], "城关供电所");
        assert_eq!(texts[2], "李工");
        // Still the same form: saving asks again, and `y` then creates the ticket.
        press(&mut a, &[ctrl('s')]);
        assert_eq!(a.dialog_kind(), Some(DialogKind::Confirm));
        press(&mut a, &[key('y')]);
        let n: i64 =
            a.ds.conn
                .query_row("SELECT count(*) FROM tickets", [], |r| r.get(0))
                .unwrap();
        assert_eq!(n, 1);
    }
}

#[test]
fn the_resubmit_form_after_a_return_holds_the_last_submission() {
    let (_d, p) = dataset();
    let mut ds = Dataset::open(&p).unwrap();
    let au = ctx("auditor1", Role::Auditor, Lang::En);
    let rv = ctx("reviewer1", Role::Reviewer, Lang::En);
    perform(
        &mut ds,
        &au,
        &Action::TicketCreate {
            findings: vec![4],
            unit: None,
            person: None,
            due: None,
            requirement: "整改".into(),
        },
    )
    .unwrap();
    let number = "JC-20261102-001".to_string();
    perform(
        &mut ds,
        &au,
        &Action::TicketSubmit {
            number: number.clone(),
            cause: "表计接线错误\n已现场更正".into(),
            measures: "更换接线盒".into(),
            recovered: Some(99.5),
        },
    )
    .unwrap();
    perform(
        &mut ds,
        &rv,
        &Action::TicketReturn {
            number: number.clone(),
            reason: "缺现场照片".into(),
        },
    )
    .unwrap();
    drop(ds);
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    press(&mut a, &[key('5')]);
    let t = a
        .screen_state::<jicha::ui::screen::tickets::Tickets>()
        .unwrap()
        .current()
        .unwrap()
        .clone();
    assert_eq!(t.state, "returned");
    press(&mut a, &[key('s')]);
    assert_eq!(
        form_texts(&a),
        // The person responsible and the accountability were left empty the first time.
        ["表计接线错误\n已现场更正", "更换接线盒", "99.5", "", ""]
    );
}

#[test]
fn a_whitelist_customer_is_checked_before_the_reason() {
    for (lang, said) in [
        (Lang::En, "there is no customer C999"),
        (Lang::Zh, "没有户号为 C999 的用户"),
    ] {
        let (_d, p) = dataset();
        let mut ds = Dataset::open(&p).unwrap();
        perform(
            &mut ds,
            &ctx("admin1", Role::Admin, Lang::En),
            &Action::ThresholdSet {
                name: "whitelist_max_days".into(),
                value: "180".into(),
            },
        )
        .unwrap();
        drop(ds);
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        press(&mut a, &[key('4'), key('a')]);
        type_text(&mut a, "C999\n");
        match a.dialog_as::<Prompt>() {
            Some(pr) => assert!(
                pr.error.as_deref().unwrap_or("").contains(said),
                "{:?}",
                pr.error
            ),
            None => panic!("the customer prompt stays open with the refusal"),
        }
        // A known customer goes on to the rule.
        for _ in 0..4 {
            press(&mut a, &[code(KeyCode::Backspace)]);
        }
        type_text(&mut a, "C003\n");
        assert_eq!(a.dialog_kind(), Some(DialogKind::Prompt));
        assert!(a.dialog_as::<Prompt>().unwrap().error.is_none());
        // Days beyond the freeze period are refused before the reason.
        type_text(&mut a, "\n");
        for _ in 0..2 {
            press(&mut a, &[code(KeyCode::Backspace)]);
        }
        type_text(&mut a, "365\n");
        assert_eq!(a.dialog_kind(), Some(DialogKind::Prompt), "{lang:?}");
        let err = a
            .dialog_as::<Prompt>()
            .unwrap()
            .error
            .clone()
            .unwrap_or_default();
        assert!(err.contains("180"), "{err}");
        // Within it, the reason is asked.
        for _ in 0..3 {
            press(&mut a, &[code(KeyCode::Backspace)]);
        }
        type_text(&mut a, "30\n");
        assert_eq!(a.dialog_kind(), Some(DialogKind::Editor));
    }
}

fn editor(a: &App) -> &Editor {
    a.dialog_as::<Editor>().expect("the note editor")
}

#[test]
fn the_note_editor_wraps_long_cjk_lines_and_follows_the_cursor() {
    let (_d, p) = dataset();
    for (w, h) in [(80, 24), (120, 30)] {
        let mut a = app(&p, "auditor1", Role::Auditor, Lang::Zh);
        press(&mut a, &[key('2'), key('a')]);
        // One long line of CJK with a marker at its end: far wider than the editor.
        let long = format!("{}终点", "现场核查发现表计接线错误".repeat(80));
        type_text(&mut a, &long);
        let s = screen(&mut a, w, h);
        assert!(
            s.contains("终点"),
            "{w}x{h}: the end of the line, where the cursor is, is in view:\n{s}"
        );
        assert!(s.contains("现场核查"), "{w}x{h}: the text wraps:\n{s}");
        // The counter shows the length against the limit.
        let n = long.chars().count();
        assert!(s.contains(&format!("{n}/{NOTE_MAX_CHARS}")), "{s}");
        // Home of the line: its first row is back in view.
        press(&mut a, &[code(KeyCode::Home)]);
        let s = screen(&mut a, w, h);
        assert!(!s.contains("终点"), "{w}x{h}: scrolled back up:\n{s}");
    }
}

#[test]
fn wrapping_never_splits_a_wide_character() {
    use jicha::ui::dialog::editor::{cursor_at, wrap_rows};
    let lines = vec!["ab城关供电所x".to_string(), String::new()];
    let rows = wrap_rows(&lines, 5);
    // "ab城" (4 columns: 关 would make 6), "关供" , "电所x", then the empty line.
    let spans: Vec<(usize, usize, usize)> = rows.iter().map(|r| (r.line, r.start, r.end)).collect();
    assert_eq!(spans, [(0, 0, 3), (0, 3, 5), (0, 5, 8), (1, 0, 0)]);
    assert_eq!(cursor_at(&lines, &rows, (0, 4)), (1, 2));
    assert_eq!(cursor_at(&lines, &rows, (0, 8)), (2, 5));
    assert_eq!(cursor_at(&lines, &rows, (1, 0)), (3, 0));
}

#[test]
fn a_note_beyond_the_limit_is_refused_in_the_editor_and_by_the_action() {
    let (_d, p) = dataset();
    let long = "备".repeat(NOTE_MAX_CHARS + 1);
    for (lang, said) in [(Lang::En, "at most 2000"), (Lang::Zh, "最多 2000")] {
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        press(&mut a, &[key('2'), key('a')]);
        type_text(&mut a, &long);
        press(&mut a, &[ctrl('s')]);
        assert_eq!(
            a.dialog_kind(),
            Some(DialogKind::Editor),
            "the text is kept"
        );
        let e = editor(&a);
        assert!(
            e.error.as_deref().unwrap_or("").contains(said),
            "{:?}",
            e.error
        );
        assert_eq!(e.chars(), NOTE_MAX_CHARS + 1);
        // One character less is saved.
        press(&mut a, &[code(KeyCode::Backspace), ctrl('s')]);
        assert!(
            a.dialog().is_none(),
            "{:?}",
            a.status.as_ref().map(|s| &s.text)
        );
    }
    // The action (what the CLI calls) refuses it alike, and writes nothing.
    let mut ds = Dataset::open(&p).unwrap();
    let e = perform(
        &mut ds,
        &ctx("auditor1", Role::Auditor, Lang::Zh),
        &Action::Note {
            ids: vec![3],
            text: long.clone(),
        },
    )
    .unwrap_err();
    assert!(
        e.text(Lang::Zh).contains("最多 2000"),
        "{}",
        e.text(Lang::Zh)
    );
    let e = perform(
        &mut ds,
        &ctx("auditor1", Role::Auditor, Lang::En),
        &Action::Close {
            ids: vec![3],
            resolution: "false_positive".into(),
            note: Some(long),
        },
    )
    .unwrap_err();
    assert!(
        e.text(Lang::En).contains("at most 2000"),
        "{}",
        e.text(Lang::En)
    );
}

/// The popup titled `title` starts with its corner: `┌ title`, not the second half of a wide
/// character of the screen below it.
fn assert_corners(s: &str, title: &str, what: &str) {
    let line = s
        .lines()
        .find(|l| l.contains(&format!(" {title}")) && l.contains('┐'))
        .unwrap_or_else(|| panic!("{what}: no popup titled {title}:\n{s}"));
    assert!(
        line.contains(&format!("┌ {title}")),
        "{what}: the popup lost its corner:\n{s}"
    );
}

#[test]
fn popups_over_cjk_text_keep_their_border_corners() {
    let (_d, p) = dataset();
    for (w, h) in [(80, 24), (120, 30)] {
        let mut a = app(&p, "auditor1", Role::Auditor, Lang::Zh);
        // The note editor over the findings list, then over the detail.
        press(&mut a, &[key('2'), key('a')]);
        assert_corners(&screen(&mut a, w, h), "批注", &format!("list note {w}x{h}"));
        press(&mut a, &[code(KeyCode::F(10))]);
        press(&mut a, &[code(KeyCode::Enter), key('a')]);
        assert_corners(
            &screen(&mut a, w, h),
            "批注",
            &format!("detail note {w}x{h}"),
        );
        press(&mut a, &[code(KeyCode::F(10))]);
        // The ticket form and its confirmation.
        press(&mut a, &[key('t')]);
        type_text(&mut a, "核实");
        assert_corners(
            &screen(&mut a, w, h),
            "新建稽查工单",
            &format!("ticket form {w}x{h}"),
        );
        press(&mut a, &[ctrl('s')]);
        assert_corners(
            &screen(&mut a, w, h),
            "请确认",
            &format!("ticket question {w}x{h}"),
        );
        press(&mut a, &[key('n'), code(KeyCode::F(10)), key('y')]);
        assert!(a.dialog().is_none());
    }
}
