//! `jicha demo --delta` (issue 15, "Deltas are cheap"): the next night's export of a demo export
//! is the same bytes for the same seed, imports cleanly, and HIS-01 / HIS-02 report exactly the
//! rows the generator edited for them (not the edits at HIS-01's bound, not those backed by an
//! application, not the fields HIS-02 does not watch).

use chrono::NaiveDate;
use jicha::context::{Ctx, Lang, Role};
use jicha::db::Dataset;
use jicha::demo::{write_delta, write_demo, DeltaOptions, DeltaSummary, DemoOptions};
use jicha::import::{import_dir, ImportSummary};
use jicha::progress;
use jicha::rules::{history, Hit};
use jicha::thresholds::Thresholds;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn demo(dir: &Path, customers: u64) {
    let opts = DemoOptions {
        customers,
        months: 12,
        seed: 3,
        end_period: "2026-06".into(),
    };
    write_demo(dir, &opts, &mut progress::silent).unwrap();
}

fn delta(from: &Path, out: &Path, seed: u64, edit_ratio: f64) -> DeltaSummary {
    let opts = DeltaOptions { seed, edit_ratio };
    write_delta(from, out, &opts, &mut progress::silent).unwrap()
}

fn ctx(day: &str) -> Ctx {
    Ctx {
        unit: None,
        operator: "tester".into(),
        role: Role::Admin,
        today: jicha::dates::parse_date(day).unwrap(),
        lang: Lang::En,
    }
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn file<'a>(s: &'a ImportSummary, name: &str) -> &'a jicha::import::FileSummary {
    s.files.iter().find(|f| f.file == name).unwrap()
}

fn hits(ds: &Dataset, as_of: NaiveDate) -> Vec<Hit> {
    let mut out = Vec::new();
    history::run(&ds.conn, &Thresholds::defaults(), as_of, &mut |h| {
        out.push(h);
        Ok(())
    })
    .unwrap();
    out
}

fn pairs(hits: &[Hit], rule: &str) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = hits
        .iter()
        .filter(|h| h.rule == rule)
        .map(|h| (h.cust_no.clone(), h.subject.clone()))
        .collect();
    v.sort();
    v
}

struct Tmp {
    _tmp: TempDir,
    base: PathBuf,
    root: PathBuf,
}

fn tmp_with_demo(customers: u64) -> Tmp {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().to_path_buf();
    let base = root.join("base");
    demo(&base, customers);
    Tmp {
        _tmp: tmp,
        base,
        root,
    }
}

#[test]
fn the_same_seed_writes_the_same_bytes_and_another_seed_other_edits() {
    let t = tmp_with_demo(400);
    let a = delta(&t.base, &t.root.join("a"), 5, 0.1);
    let b = delta(&t.base, &t.root.join("b"), 5, 0.1);
    assert_eq!(a, b);
    assert_eq!(files(&t.root.join("a")), files(&t.root.join("b")));
    let c = delta(&t.base, &t.root.join("c"), 6, 0.1);
    assert_ne!(a.his02, c.his02);
    let read = |d: &str, f: &str| std::fs::read(t.root.join(d).join(f)).unwrap();
    assert_ne!(read("a", "customers.csv"), read("c", "customers.csv"));
    // Files the delta does not change are copied as they are.
    for f in [
        "suspensions.csv",
        "contracts.csv",
        "external_findings.csv",
        "units.csv",
    ] {
        assert_eq!(read("a", f), std::fs::read(t.base.join(f)).unwrap(), "{f}");
    }
    assert_eq!(
        (a.period.as_str(), a.as_of_month.as_str()),
        ("2026-07", "2026-08")
    );
}

#[test]
fn the_delta_imports_cleanly_and_the_history_rules_find_exactly_its_edits() {
    let t = tmp_with_demo(2000);
    let next = t.root.join("next");
    let d = delta(&t.base, &next, 11, 0.05);
    // Enough of every kind that the comparison below means something.
    assert!(d.his01.len() >= 3, "{d:?}");
    assert!(d.his02.len() >= 10, "{d:?}");
    assert!(d.backed >= 5 && d.archive_edits > d.watched, "{d:?}");
    assert_eq!(d.new_bills + d.first_bills, {
        let bills = std::fs::read_to_string(next.join("bills.csv")).unwrap();
        let base = std::fs::read_to_string(t.base.join("bills.csv")).unwrap();
        (bills.lines().count() - base.lines().count()) as u64
    });

    let mut ds =
        Dataset::create(&t.root.join("d.jicha"), "tester", "2026-07-01T00:00:00Z").unwrap();
    import_dir(&mut ds, &ctx("2026-07-10"), &t.base, &mut progress::silent).unwrap();
    let s = import_dir(&mut ds, &ctx("2026-08-20"), &next, &mut progress::silent).unwrap();
    let bills = file(&s, "bills.csv");
    assert_eq!(bills.inserted, d.new_bills + d.first_bills);
    assert_eq!(bills.updated, d.reading_edits);
    assert_eq!(
        file(&s, "customers.csv").updated + file(&s, "meters.csv").updated,
        d.archive_edits
    );
    assert_eq!(file(&s, "applications.csv").inserted, d.applications);
    assert_eq!(file(&s, "contracts.csv").updated, 0);

    for day in [20, 25, 31] {
        let found = hits(&ds, NaiveDate::from_ymd_opt(2026, 8, day).unwrap());
        assert_eq!(pairs(&found, "HIS-01"), d.his01, "as of 2026-08-{day}");
        assert_eq!(pairs(&found, "HIS-02"), d.his02, "as of 2026-08-{day}");
    }
}

#[test]
fn a_delta_continues_a_delta() {
    let t = tmp_with_demo(300);
    let first = t.root.join("first");
    let second = t.root.join("second");
    let a = delta(&t.base, &first, 2, 0.1);
    let b = delta(&first, &second, 2, 0.1);
    assert_eq!(
        (b.period.as_str(), b.as_of_month.as_str()),
        ("2026-08", "2026-09")
    );
    assert_eq!(b.new_bills, a.new_bills + a.first_bills);
    let mut ds =
        Dataset::create(&t.root.join("d.jicha"), "tester", "2026-07-01T00:00:00Z").unwrap();
    for (dir, day) in [
        (&t.base, "2026-07-10"),
        (&first, "2026-08-10"),
        (&second, "2026-09-10"),
    ] {
        import_dir(&mut ds, &ctx(day), dir, &mut progress::silent).unwrap();
    }
    let n: i64 = ds
        .conn
        .query_row(
            "SELECT count(*) FROM bills WHERE period = '2026-08'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n as u64, b.new_bills);
}

#[test]
fn bad_arguments_are_refused_and_nothing_is_written() {
    let t = tmp_with_demo(50);
    let out = t.root.join("out");
    let refused = |from: &Path, out: &Path, ratio: f64| {
        let opts = DeltaOptions {
            seed: 1,
            edit_ratio: ratio,
        };
        write_delta(from, out, &opts, &mut progress::silent)
            .unwrap_err()
            .to_string()
    };
    for ratio in [0.0, -0.5, 1.5, f64::NAN] {
        let e = refused(&t.base, &out, ratio);
        assert!(e.contains("--edit-ratio"), "{e}");
    }
    let e = refused(&t.base, &t.base, 0.01);
    assert!(e.contains("is the --from directory"), "{e}");
    let e = refused(&t.root.join("nowhere"), &out, 0.01);
    assert!(e.contains("has no customers.csv"), "{e}");
    assert!(!out.exists() || std::fs::read_dir(&out).unwrap().next().is_none());
    // A bills.csv whose customer's bills are apart.
    let bad = t.root.join("bad");
    std::fs::create_dir(&bad).unwrap();
    std::fs::copy(t.base.join("customers.csv"), bad.join("customers.csv")).unwrap();
    let bills = std::fs::read_to_string(t.base.join("bills.csv")).unwrap();
    let mut lines: Vec<&str> = bills.lines().collect();
    let moved = lines.remove(1);
    lines.push(moved);
    std::fs::write(bad.join("bills.csv"), lines.join("\n") + "\n").unwrap();
    let e = refused(&bad, &out, 0.01);
    assert!(e.contains("bills.csv:") && e.contains("together"), "{e}");
    assert!(
        std::fs::read_dir(&out).unwrap().next().is_none(),
        "nothing left behind"
    );
}

#[test]
fn the_summary_reads_in_both_languages() {
    let t = tmp_with_demo(100);
    let d = delta(&t.base, &t.root.join("n"), 1, 0.2);
    let en = d.text(Lang::En);
    let zh = d.text(Lang::Zh);
    assert!(
        en.contains("2026-07") && en.contains("2026-08") && en.contains("HIS-02"),
        "{en}"
    );
    assert!(zh.contains("次日导出") && zh.contains("HIS-01"), "{zh}");
    assert_eq!(en.lines().count(), zh.lines().count());
}
