//! An operator bound to a unit in the UI: the header says the unit beside the role, a change
//! outside the unit is refused on the status line like any refusal (nothing written), and the
//! ticket form refuses a unit the organisation does not know, suggesting the nearest names.

mod ui_fixture;

use jicha::context::{Ctx, Lang, Role};
use jicha::ui::app::{App, Tone};
use jicha::ui::dialog::Form;
use ui_fixture::*;

const GUAN: &str = "城关供电所";

fn bound_app(p: &std::path::Path, lang: Lang) -> App {
    let ctx = Ctx {
        unit: Some(GUAN.into()),
        ..ctx("auditor1", Role::Auditor, lang)
    };
    app_with(p, ctx, "default", true, false)
}

fn status_of(app: &App, id: i64) -> String {
    app.ds
        .conn
        .query_row("SELECT status FROM findings WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap()
}

#[test]
fn the_header_shows_the_bound_unit_beside_the_role() {
    let (_d, p) = dataset();
    for (lang, role) in [(Lang::En, "auditor"), (Lang::Zh, "稽查员")] {
        let mut a = bound_app(&p, lang);
        for (w, h) in [(80, 24), (120, 30)] {
            let s = screen(&mut a, w, h);
            let top = s.lines().next().unwrap();
            assert!(
                top.contains(&format!("auditor1 ({role} · {GUAN})")),
                "{w}x{h} {lang:?}: {top}"
            );
        }
    }
    // The audit centre's header stays as it was.
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    let s = screen(&mut a, 120, 30);
    assert!(
        s.lines().next().unwrap().contains("auditor1 (auditor)"),
        "{s}"
    );
}

#[test]
fn a_change_outside_the_unit_is_refused_on_the_status_line() {
    let (_d, p) = dataset();
    for lang in [Lang::En, Lang::Zh] {
        let mut a = bound_app(&p, lang);
        // The list in severity order starts with finding 5 (C003, 开发区供电所).
        press(&mut a, &[key('2')]);
        assert_eq!(list(&a).window[0].id, 5);
        press(&mut a, &[key('c')]);
        let s = a.status.as_ref().expect("a refusal");
        assert_eq!(s.tone, Tone::Error, "{}", s.text);
        let want = match lang {
            Lang::En => "is outside your unit 城关供电所 (auditor)",
            Lang::Zh => "不在你所属单位 城关供电所 的范围内（你的角色：稽查员）",
        };
        assert!(s.text.contains(want), "{}", s.text);
        assert!(s.text.contains("开发区供电所"), "{}", s.text);
        assert_eq!(status_of(&a, 5), "new", "nothing written");
        let shown = screen(&mut a, 80, 24);
        assert!(shown.contains("城关供电所"), "{shown}");
    }
    // Inside the unit the same key confirms: finding 4 (C001, 城关供电所).
    let mut a = bound_app(&p, Lang::En);
    press(&mut a, &[key('2'), key('j')]);
    assert_eq!(list(&a).window[1].id, 4);
    press(&mut a, &[key('c')]);
    let s = a.status.as_ref().expect("an outcome");
    assert_eq!(s.tone, Tone::Info, "{}", s.text);
    assert_eq!(status_of(&a, 4), "confirmed");
}

#[test]
fn the_ticket_form_refuses_an_unknown_unit_with_the_nearest_names() {
    let (_d, p) = dataset();
    for (lang, want) in [
        (Lang::En, "did you mean 城关供电所"),
        (Lang::Zh, "是否要找 城关供电所"),
    ] {
        let mut a = app(&p, "auditor1", Role::Auditor, lang);
        // Findings 5 (开发区) and 4 (城关): mixed stations, the unit is typed.
        press(&mut a, &[key('2'), key(' '), key(' '), key('t')]);
        type_text(&mut a, "现场核查");
        press(&mut a, &[ctrl('s')]);
        type_text(&mut a, "城关所");
        press(&mut a, &[ctrl('s')]);
        match a.dialog_as::<Form>() {
            Some(f) => {
                assert_eq!(f.focus, 1, "the unit field is pointed at");
                let e = f.error.as_deref().unwrap();
                assert!(e.contains(want), "{e}");
            }
            _ => panic!("the form stays open"),
        }
        for (w, h) in [(80, 24), (120, 30)] {
            let s = screen(&mut a, w, h);
            assert!(s.contains("城关所"), "{w}x{h}: {s}");
        }
        assert_eq!(status_of(&a, 5), "new");
    }
}
