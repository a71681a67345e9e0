//! 抽检 from the campaigns screen by keys: the sample key opens the form for the campaign
//! under the cursor; with inspectors it plans the inspections in the same change (as `jicha
//! sample --campaign … --inspect`), checked afterwards with the CLI's read side; bad input is
//! refused in the form at its field.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::context::{Lang, Role};
use jicha::db::Dataset;
use jicha::ui::app::App;
use jicha::ui::dialog::{DialogKind, Form};
use ui_fixture::*;

fn status_line(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// A campaign spread from finding 3's rule (ARC-01), then the campaigns screen.
fn campaign_screen(a: &mut App) {
    press(a, &[key('2'), key('/')]);
    type_text(a, "contact\n");
    press(a, &[code(KeyCode::Enter), key('S'), key('y')]);
    assert!(
        status_line(a).contains("ZX-20261102-001"),
        "{}",
        status_line(a)
    );
    press(a, &[key('1'), key('z')]);
}

fn clear_field(a: &mut App) {
    let n = a.dialog_as::<Form>().map(|f| {
        let f = &f.fields[f.focus];
        f.text().chars().count()
    });
    for _ in 0..n.unwrap_or(0) {
        press(a, &[code(KeyCode::Backspace)]);
    }
}

#[test]
fn a_sample_with_inspectors_plans_its_inspections() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    campaign_screen(&mut a);
    press(&mut a, &[key('s')]);
    assert!(a.dialog_kind() == Some(DialogKind::Form));
    // Ratio 2 is refused at its field.
    clear_field(&mut a);
    type_text(&mut a, "2");
    press(&mut a, &[ctrl('s')]);
    let f = a.dialog_as::<Form>().expect("still open");
    assert_eq!(f.focus, 0);
    assert!(
        f.error.as_deref().unwrap_or("").contains("抽检比例"),
        "{:?}",
        f.error
    );
    clear_field(&mut a);
    type_text(&mut a, "1");
    press(&mut a, &[code(KeyCode::Tab)]);
    type_text(&mut a, "5");
    press(
        &mut a,
        &[code(KeyCode::Tab), code(KeyCode::Tab), code(KeyCode::Tab)],
    );
    type_text(&mut a, "张工，李工");
    insta::assert_snapshot!("campaign_sample_form_zh_80x24", screen(&mut a, 80, 24));
    press(&mut a, &[ctrl('s')]);
    assert!(a.dialog().is_none(), "{}", status_line(&a));
    let st = status_line(&a);
    assert!(st.contains("抽检 CY-20261102-001"), "{st}");

    let ds = Dataset::open(&p).unwrap();
    let s = jicha::sampling::get(&ds.conn, "CY-20261102-001").unwrap();
    assert_eq!(s.campaign.as_deref(), Some("ZX-20261102-001"));
    assert_eq!(s.seed, "5");
    assert_eq!(s.drawn, s.population, "ratio 1 draws everything");
    let items = jicha::sampling::items(&ds.conn, s.id).unwrap();
    let made = jicha::inspections::list(&ds.conn, &Default::default(), day(TODAY)).unwrap();
    assert!(!made.is_empty());
    let details: String = ds
        .conn
        .query_row(
            "SELECT details FROM action_log WHERE action = 'sample.draw'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&details).unwrap();
    let left_out = v["not_inspected"].as_array().unwrap().len();
    let mut inspected = 0;
    for i in &made {
        // One inspection per station, of that station's drawn findings.
        let (_, drawn) = items
            .iter()
            .find(|(s, _)| *s == i.unit)
            .expect("its station's");
        assert_eq!(made.iter().filter(|x| x.unit == i.unit).count(), 1);
        assert_eq!(i.campaign.as_deref(), Some("ZX-20261102-001"));
        assert_eq!(i.inspectors, ["张工", "李工"]);
        let ids: Vec<String> = ds
            .conn
            .prepare("SELECT finding_id FROM inspection_findings WHERE inspection_id = ?1")
            .unwrap()
            .query_map([i.id], |r| r.get::<_, i64>(0))
            .unwrap()
            .map(|x| x.unwrap().to_string())
            .collect();
        assert!(
            ids.iter().all(|id| drawn.contains(id)),
            "{ids:?} of {drawn:?}"
        );
        inspected += ids.len();
    }
    assert_eq!(
        inspected + left_out,
        s.drawn as usize,
        "each drawn finding inspected or named"
    );
}

#[test]
fn a_sample_without_inspectors_is_the_sample_only_in_english() {
    let (_d, p) = dataset();
    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    campaign_screen(&mut a);
    press(&mut a, &[key('s')]);
    insta::assert_snapshot!("campaign_sample_form_en_120x30", screen(&mut a, 120, 30));
    press(&mut a, &[ctrl('s')]);
    assert!(
        status_line(&a).starts_with("sample CY-20261102-001:"),
        "{}",
        status_line(&a)
    );
    let ds = Dataset::open(&p).unwrap();
    assert_eq!(jicha::sampling::list(&ds.conn).unwrap().len(), 1);
    assert!(
        jicha::inspections::list(&ds.conn, &Default::default(), day(TODAY))
            .unwrap()
            .is_empty()
    );
}
