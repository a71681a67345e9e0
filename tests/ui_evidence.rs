//! The UI shows evidence values in the operator's language: the detail screen (evidence and
//! 检查内容), the findings list and the dashboard's alerts.

mod ui_fixture;

use crossterm::event::KeyCode;
use jicha::context::{Lang, Role};
use jicha::rules::evidence::{Evidence, TheftSignal};
use ui_fixture::*;

/// The fixture with findings 5 (THF-01) and 2 (BIL-05) holding evidence values, as a scan
/// writes them.
fn dataset_with_values() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, path) = dataset();
    let thf = Evidence::Thf01 {
        level: 2,
        signals: vec![
            TheftSignal::MeterMismatch {
                meter_no: "M003".into(),
            },
            TheftSignal::ZeroLatest {
                period: "2026-10".into(),
            },
        ],
    };
    let bil = Evidence::Bil05 {
        amount: -12.0,
        kwh: 20.0,
    };
    let conn = rusqlite::Connection::open(&path).unwrap();
    for (id, e) in [(5, thf), (2, bil)] {
        conn.execute(
            "UPDATE findings SET evidence = ?1 WHERE id = ?2",
            rusqlite::params![e.to_stored(), id],
        )
        .unwrap();
    }
    (dir, path)
}

#[test]
fn detail_list_and_dashboard_speak_the_operators_language() {
    let (_d, p) = dataset_with_values();

    let mut z = app(&p, "auditor1", Role::Auditor, Lang::Zh);
    let dash = screen(&mut z, 160, 48);
    assert!(dash.contains("可疑等级 2"), "{dash}");
    press(&mut z, &[key('2')]);
    let list = screen(&mut z, 160, 48);
    assert!(list.contains("电费 -12 元 < 0"), "{list}");
    assert!(!list.contains(r#"{"kind""#), "{list}");
    press(&mut z, &[code(KeyCode::Enter)]);
    let detail = screen(&mut z, 160, 48);
    assert!(detail.contains("依据: 可疑等级 2，2 项信号"), "{detail}");
    assert!(detail.contains("最近一期 2026-10 电量为零"), "{detail}");
    assert!(detail.contains("以下六项信号中两项及以上成立"), "{detail}");
    assert!(!detail.contains("signals"), "{detail}");

    let mut a = app(&p, "auditor1", Role::Auditor, Lang::En);
    press(&mut a, &[key('2'), code(KeyCode::Enter)]);
    let detail = screen(&mut a, 160, 48);
    assert!(
        detail.contains("level 2, 2 signals: meter M003"),
        "{detail}"
    );
    assert!(detail.contains("two or more of"), "{detail}");
    assert!(!detail.contains("可疑等级"), "{detail}");
}
