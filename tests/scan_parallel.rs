//! The rule pack on several connections finds exactly what it finds on one: the same hits,
//! row for row, and the same coverage, with the bill pass split into ranges of customers.

mod common;
use jicha::context::{Ctx, Lang, Role};
use jicha::db::Dataset;
use jicha::demo::{write_demo, DemoOptions};
use jicha::rules::{parallel, Coverage, Hit};
use jicha::thresholds::Thresholds;

type Row = (
    String,
    String,
    String,
    String,
    Option<i64>,
    String,
    Option<f64>,
);

fn evaluate(ds: &Dataset, threads: usize, as_of: chrono::NaiveDate) -> (Vec<Row>, Coverage) {
    let tx = ds.conn.unchecked_transaction().unwrap();
    let th = Thresholds::load(&tx).unwrap();
    evaluate_in(&tx, &th, threads, as_of)
}

/// As `evaluate`, inside a read transaction already open (its snapshot taken by `th`'s read).
fn evaluate_in(
    tx: &rusqlite::Connection,
    th: &Thresholds,
    threads: usize,
    as_of: chrono::NaiveDate,
) -> (Vec<Row>, Coverage) {
    let mut hits: Vec<Row> = Vec::new();
    let mut sink = |h: Hit| {
        hits.push((
            h.rule,
            h.cust_no,
            h.subject,
            h.severity.as_str().to_string(),
            h.level,
            h.evidence,
            h.amount_yuan,
        ));
        Ok(())
    };
    let cov = parallel::evaluate(
        tx,
        th,
        as_of,
        threads,
        &mut sink,
        &mut jicha::progress::silent,
    )
    .unwrap();
    hits.sort_by(|a, b| (&a.0, &a.1, &a.2).cmp(&(&b.0, &b.1, &b.2)));
    (hits, cov)
}

/// A demo export of `customers` × `months` (seed `seed`) imported into a new dataset file (the
/// workers open it by path), with an admin's context dated 2026-11-20.
fn imported_demo(customers: u64, months: u32, seed: u64) -> (tempfile::TempDir, Dataset, Ctx) {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    let opts = DemoOptions {
        customers,
        months,
        seed,
        end_period: "2026-10".into(),
    };
    write_demo(&export, &opts, &mut jicha::progress::silent).unwrap();
    let mut ds = Dataset::create(
        &dir.path().join("d.jicha"),
        "tester",
        "2026-01-01T00:00:00Z",
    )
    .unwrap();
    let ctx = Ctx {
        unit: None,
        operator: "tester".into(),
        role: Role::Admin,
        today: jicha::dates::parse_date("2026-11-20").unwrap(),
        lang: Lang::En,
    };
    jicha::import::import_dir(&mut ds, &ctx, &export, &mut jicha::progress::silent).unwrap();
    (dir, ds, ctx)
}

#[test]
fn several_connections_find_the_same_hits_as_one() {
    let (_dir, ds, _ctx) = imported_demo(6000, 14, 11);

    // Before the first bill period too (ARC-10 is then decided at the end of the pass, across
    // the ranges), and after the last.
    for as_of in ["2026-11-20", "2025-10-15"] {
        let as_of = jicha::dates::parse_date(as_of).unwrap();
        let (one, cov1) = evaluate(&ds, 1, as_of);
        assert!(one.len() > 100, "the demo plants hits: {}", one.len());
        let rules: std::collections::BTreeSet<&str> = one.iter().map(|h| h.0.as_str()).collect();
        if as_of == jicha::dates::parse_date("2026-11-20").unwrap() {
            for rule in ["BIL-03", "THF-01", "ARC-11", "ARC-10", "BIL-11"] {
                assert!(rules.contains(rule), "{rule} fires in the demo: {rules:?}");
            }
        }
        for threads in [2, 3, 5] {
            let (many, cov) = evaluate(&ds, threads, as_of);
            assert_eq!(many.len(), one.len(), "{threads} threads, as of {as_of}");
            for (a, b) in one.iter().zip(&many) {
                assert_eq!(a, b, "{threads} threads, as of {as_of}");
            }
            let mut c1 = cov1.rules.clone();
            let mut c = cov.rules.clone();
            c1.sort_by(|a, b| a.rule.cmp(&b.rule));
            c.sort_by(|a, b| a.rule.cmp(&b.rule));
            assert_eq!(c1, c, "coverage, {threads} threads");
        }
    }
}

#[test]
fn a_bill_range_judges_only_its_customers_and_the_parts_add_up() {
    let (_dir, ds, ctx) = imported_demo(3000, 13, 5);
    let th = Thresholds::load(&ds.conn).unwrap();
    let as_of = ctx.today;
    let all = jicha::rules::billing::active_customers(&ds.conn, &jicha::rules::billing::Range::ALL)
        .unwrap();
    let mid: String = ds
        .conn
        .query_row(
            "SELECT cust_no FROM customers WHERE status = 'active' ORDER BY cust_no LIMIT 1 OFFSET 1500",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let low = jicha::rules::billing::Range {
        lo: None,
        hi: Some(mid.clone()),
    };
    let high = jicha::rules::billing::Range {
        lo: Some(mid.clone()),
        hi: None,
    };
    let mut counted = 0;
    let mut parts = Vec::new();
    for range in [&low, &high] {
        let mut hits = Vec::new();
        let mut sink = |h: Hit| {
            hits.push(h);
            Ok(())
        };
        let mut last = 0;
        let part =
            jicha::rules::billing::run_range(&ds.conn, &th, as_of, range, &mut sink, &mut |d| {
                last = d;
                Ok(())
            })
            .unwrap();
        parts.push(part);
        counted += last;
        assert_eq!(
            last,
            jicha::rules::billing::active_customers(&ds.conn, range).unwrap()
        );
        for h in &hits {
            let inside = range.lo.as_ref().is_none_or(|lo| h.cust_no >= *lo)
                && range.hi.as_ref().is_none_or(|hi| h.cust_no < *hi);
            assert!(inside, "{} is outside {:?}", h.cust_no, range);
        }
        assert!(!hits.is_empty());
    }
    assert_eq!(counted, all);
    assert_eq!(
        1500,
        jicha::rules::billing::active_customers(&ds.conn, &low).unwrap()
    );
}

#[test]
fn workers_that_see_a_later_import_leave_the_scan_to_the_callers_snapshot() {
    let (dir, ds, ctx) = imported_demo(3000, 13, 7);
    let as_of = ctx.today;
    let (before, _) = evaluate(&ds, 1, as_of);
    // An active customer ARC-01 (contact or phone missing) does not flag yet.
    let flagged: std::collections::BTreeSet<&str> = before
        .iter()
        .filter(|h| h.0 == "ARC-01")
        .map(|h| h.1.as_str())
        .collect();
    let active: Vec<String> = {
        let mut stmt = ds
            .conn
            .prepare("SELECT cust_no FROM customers WHERE status = 'active' ORDER BY cust_no")
            .unwrap();
        let rows = stmt.query_map([], |r| r.get(0)).unwrap();
        rows.map(Result::unwrap).collect()
    };
    let cust = active
        .iter()
        .find(|c| !flagged.contains(c.as_str()))
        .expect("a customer ARC-01 does not flag")
        .clone();

    let tx = ds.conn.unchecked_transaction().unwrap();
    let th = Thresholds::load(&tx).unwrap();
    // Each file's snapshot begins at its first read there (ARCHITECTURE.md "Readers and
    // copies"): read the facts file too, so the caller's snapshot holds both.
    let _: i64 = tx
        .query_row("SELECT count(*) FROM imports", [], |r| r.get(0))
        .unwrap();
    // Another import lands after the caller's snapshot and before the workers open theirs.
    let other = common::raw(&dir.path().join("d.jicha"));
    other
        .busy_timeout(std::time::Duration::from_secs(10))
        .unwrap();
    other
        .execute(
            "INSERT INTO imports(at_utc, business_date, operator, source_dir, summary)
             VALUES ('2026-11-20T09:00:00Z', '2026-11-20', 'tester', 'later', '{}')",
            [],
        )
        .unwrap();
    other
        .execute(
            "UPDATE customers SET phone = '', contact = '' WHERE cust_no = ?1",
            [&cust],
        )
        .unwrap();
    let (during, _) = evaluate_in(&tx, &th, 2, as_of);
    assert_eq!(
        during, before,
        "the hits of the caller's snapshot, row for row"
    );
    drop(tx);

    // The change is real: a scan begun after it sees it, on several connections too.
    let (after, _) = evaluate(&ds, 2, as_of);
    assert!(
        after.iter().any(|h| h.0 == "ARC-01" && h.1 == cust),
        "ARC-01 flags {cust} once the later import is seen"
    );
}
