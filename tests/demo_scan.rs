//! The demo export through the real importer and rule pack: every rule fires exactly as often
//! as the demo planted it (so the near misses just inside each threshold do not fire).

use jicha::context::{Ctx, Lang, Role};
use jicha::db::Dataset;
use jicha::demo::{write_demo, DemoOptions};

#[test]
fn the_real_scan_finds_exactly_what_the_demo_planted() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    let opts = DemoOptions {
        customers: 2000,
        months: 12,
        seed: 7,
        end_period: "2026-10".into(),
    };
    let summary = write_demo(&export, &opts, &mut jicha::progress::silent).unwrap();
    let mut ds = Dataset::create(
        &dir.path().join("d.jicha"),
        "tester",
        "2026-01-01T00:00:00Z",
    )
    .unwrap();
    // Any day of the month after the last billing period.
    for as_of in ["2026-11-01", "2026-11-30"] {
        let ctx = Ctx {
            unit: None,
            operator: "tester".into(),
            role: Role::Admin,
            today: jicha::dates::parse_date(as_of).unwrap(),
            lang: Lang::En,
        };
        if as_of == "2026-11-01" {
            jicha::import::import_dir(&mut ds, &ctx, &export, &mut jicha::progress::silent)
                .unwrap();
        }
        let scan =
            jicha::scan::run_scan(&mut ds, &ctx, ctx.today, &mut jicha::progress::silent).unwrap();
        for rule in jicha::rules::RULES {
            let hits = scan
                .per_rule
                .iter()
                .find(|c| c.rule == rule.id)
                .map_or(0, |c| c.hits);
            assert_eq!(
                hits,
                summary.planted(rule.id),
                "{} as of {as_of}: scan found {hits}",
                rule.id
            );
            // Source-history rules need two imports (tests/rules_history.rs).
            if !rule.id.starts_with("HIS-") {
                assert!(hits > 0, "{} has no hit in the demo", rule.id);
            }
        }
        let ext: u64 = scan
            .per_rule
            .iter()
            .filter(|c| c.rule.starts_with("EXT:"))
            .map(|c| c.hits)
            .sum();
        let planted_ext: u64 = summary
            .planted
            .iter()
            .filter(|(r, _)| r.starts_with("EXT:"))
            .map(|(_, n)| n)
            .sum();
        assert_eq!(ext, planted_ext);
        assert!(ext > 0);
    }
}
