//! The incremental rescan gives exactly what a full scan gives: random deltas (archive edits,
//! bill edits in and out of the as-of window, gone rows, new months, applications, meters,
//! external findings, an earlier bill than any, operators' triage), each round imported into
//! one dataset, copied, and scanned incrementally on the original and in full on the copy; the
//! findings and their status history compared row for row.

use jicha::context::{Ctx, Lang, Role};
use jicha::db::Dataset;
use jicha::demo::{write_demo, DemoOptions};
use jicha::import::{import_dir_with, Encoding, ImportOptions};
use jicha::rules::incremental::{self, FullBecause, Kind};
use jicha::scan::{run_scan_with, Mode};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A small deterministic generator (the test needs no crate for it).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// One CSV file of the export: its header and rows.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn read(path: &Path) -> Table {
        let mut r = csv::Reader::from_path(path).unwrap();
        let header = r.headers().unwrap().iter().map(str::to_string).collect();
        let rows = r
            .records()
            .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
            .collect();
        Table { header, rows }
    }
    fn write(&self, path: &Path) {
        let mut w = csv::Writer::from_path(path).unwrap();
        w.write_record(&self.header).unwrap();
        for r in &self.rows {
            w.write_record(r).unwrap();
        }
        w.flush().unwrap();
    }
    fn col(&self, name: &str) -> usize {
        self.header.iter().position(|h| h == name).unwrap()
    }
}

fn ctx(today: &str) -> Ctx {
    Ctx {
        unit: None,
        operator: "tester".into(),
        role: Role::Admin,
        today: jicha::dates::parse_date(today).unwrap(),
        lang: Lang::En,
    }
}

fn demo(dir: &Path, customers: u64, seed: u64) -> (PathBuf, Dataset) {
    let export = dir.join("export");
    let opts = DemoOptions {
        customers,
        months: 14,
        seed,
        end_period: "2026-10".into(),
    };
    write_demo(&export, &opts, &mut jicha::progress::silent).unwrap();
    let mut ds = Dataset::create(&dir.join("a.jicha"), "tester", "2026-01-01T00:00:00Z").unwrap();
    import(&mut ds, &export, "2026-11-20", false);
    (export, ds)
}

fn import(ds: &mut Dataset, export: &Path, today: &str, full: bool) {
    let options = ImportOptions {
        encoding: Encoding::Utf8,
        delta: !full,
    };
    import_dir_with(
        ds,
        &ctx(today),
        export,
        options,
        &mut jicha::progress::silent,
    )
    .unwrap();
}

fn as_of() -> chrono::NaiveDate {
    jicha::dates::parse_date("2026-11-20").unwrap()
}

/// Every column of every finding, and the status history, as text.
fn findings(ds: &Dataset) -> Vec<String> {
    let mut out = Vec::new();
    for sql in [
        "SELECT * FROM findings ORDER BY id",
        "SELECT * FROM finding_status_history ORDER BY id",
        "SELECT * FROM scan_rule_counts ORDER BY scan_id, rule",
    ] {
        let mut stmt = ds.conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            let cells: Vec<String> = (0..n)
                .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                .collect();
            out.push(cells.join("|"));
        }
    }
    out
}

/// A copy of the dataset file as it is now (the WAL folded in first).
fn copy(ds: &Dataset, to: &Path) -> Dataset {
    ds.conn
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    // The dataset file and its side files (the log head that vouches for it).
    let from = PathBuf::from(ds.conn.path().unwrap());
    let (dir, name) = (
        from.parent().unwrap(),
        from.file_name().unwrap().to_str().unwrap(),
    );
    let to_name = to.file_name().unwrap().to_str().unwrap();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let f = e.file_name().into_string().unwrap();
        if let Some(rest) = f.strip_prefix(name) {
            if rest != "-shm" && rest != "-wal" {
                std::fs::copy(e.path(), dir.join(format!("{to_name}{rest}"))).unwrap();
            }
        } else if f.starts_with(to_name) && (f.ends_with("-shm") || f.ends_with("-wal")) {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
    Dataset::open(to).unwrap()
}

/// One round's random delta, written over the export; returns whether rows went (a full
/// import is needed for them to be gone).
#[allow(clippy::too_many_lines)] // one round's delta, file by file, in the order the rows are edited
fn delta(export: &Path, rng: &mut Rng, round: usize) -> bool {
    let mut customers = Table::read(&export.join("customers.csv"));
    let mut bills = Table::read(&export.join("bills.csv"));
    let mut meters = Table::read(&export.join("meters.csv"));
    let mut apps = Table::read(&export.join("applications.csv"));
    let mut external = Table::read(&export.join("external_findings.csv"));
    let n = customers.rows.len();
    let mut gone = false;
    // Archive edits on about 1 % of customers.
    let (cap, phone, status, addr, cat) = (
        customers.col("capacity_kva"),
        customers.col("phone"),
        customers.col("status"),
        customers.col("address"),
        customers.col("price_code"),
    );
    for _ in 0..(n / 100).max(2) {
        let k = rng.below(n);
        let row = &mut customers.rows[k];
        match rng.below(5) {
            0 => {
                let v: f64 = row[cap].parse().unwrap_or(0.0);
                row[cap] = format!("{}", v + [50.0, 400.0, 900.0][rng.below(3)]);
            }
            1 => row[phone] = ["", "12", "13800000000"][rng.below(3)].to_string(),
            2 => {
                if row[status] == "active" && rng.chance(50) {
                    row[status] = "closed".into();
                    row[status + 1] = "2026-10-15".into();
                } else {
                    row[addr] = String::new();
                }
            }
            3 => row[cat] = ["RES", "COM", "IND"][rng.below(3)].to_string(),
            _ => row[addr] = format!("{}路{}号", row[addr], round),
        }
    }
    // Bill edits inside the window (period up to the as-of month) and after it.
    let (kwh, curr, period, amount) = (
        bills.col("kwh"),
        bills.col("curr_reading"),
        bills.col("period"),
        bills.col("amount"),
    );
    for _ in 0..(n / 100).max(2) {
        let k = rng.below(bills.rows.len());
        let row = &mut bills.rows[k];
        let v: f64 = row[kwh].parse().unwrap_or(0.0);
        let add = [0.0, 150.0, 3000.0][rng.below(3)];
        row[kwh] = format!("{}", if rng.chance(30) { 0.0 } else { v + add });
        let c: f64 = row[curr].parse().unwrap_or(0.0);
        row[curr] = format!("{}", c + add);
        if rng.chance(30) {
            row[amount] = "0".into();
        }
    }
    // A new month for every customer: after the as-of month (no rule reads it) most rounds,
    // the as-of month itself for a few customers now and then.
    let next = jicha::dates::period_from_index(
        jicha::dates::period_index("2026-11").unwrap() + round as i32,
    );
    let month_rows: Vec<Vec<String>> = bills
        .rows
        .iter()
        .filter(|r| r[period] == "2026-10")
        .cloned()
        .collect();
    for mut r in month_rows {
        if round == 0 && !rng.chance(10) {
            continue;
        }
        r[period] = next.clone();
        bills.rows.push(r);
    }
    // Now and then a bill earlier than any: ARC-10's earliest period moves.
    if round % 7 == 3 {
        let mut r = bills.rows[rng.below(bills.rows.len())].clone();
        r[period] = "2023-01".into();
        bills.rows.push(r);
    }
    // Gone rows: a bill and a meter leave a full export.
    if round % 4 == 2 {
        for _ in 0..3 {
            let k = rng.below(bills.rows.len());
            bills.rows.remove(k);
        }
        let k = rng.below(meters.rows.len());
        meters.rows.remove(k);
        gone = true;
    }
    // Meter multipliers.
    let mult = meters.col("multiplier");
    for _ in 0..2 {
        let k = rng.below(meters.rows.len());
        meters.rows[k][mult] = ["1", "40", "80"][rng.below(3)].to_string();
    }
    // A new application: an increase completed shortly before D (ARC-13, SUS-04, HIS-02).
    let cust = customers.rows[rng.below(n)][0].clone();
    apps.rows.push(vec![
        format!("YKT{round:04}{}", rng.below(1000)),
        cust,
        "increase".into(),
        "2026-09-01".into(),
        "2026-11-10".into(),
        "60".into(),
    ]);
    // A metering-system event for THF-01.
    let cust = customers.rows[rng.below(n)][0].clone();
    external.rows.push(vec![
        "采集系统".into(),
        format!("CJ-9{round:02}"),
        "电能表开盖".into(),
        cust.clone(),
        format!("M{cust}"),
        "2026-11-05".into(),
        "high".into(),
        "开盖记录".into(),
    ]);
    customers.write(&export.join("customers.csv"));
    bills.write(&export.join("bills.csv"));
    meters.write(&export.join("meters.csv"));
    apps.write(&export.join("applications.csv"));
    external.write(&export.join("external_findings.csv"));
    gone
}

/// Operators' triage between scans: some findings confirmed, closed as rectified (a recurrence
/// when they fire again) or as false positives.
fn triage(ds: &Dataset, rng: &mut Rng) {
    let ids: Vec<i64> = {
        let mut stmt = ds
            .conn
            .prepare("SELECT id FROM findings WHERE status = 'new' ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    for id in ids {
        let (status, resolution) = match rng.below(20) {
            0 => ("confirmed", None),
            1 => ("closed", Some("rectified")),
            2 => ("closed", Some("false_positive")),
            _ => continue,
        };
        ds.conn
            .execute(
                "UPDATE findings SET status = ?1, resolution = ?2, version = version + 1 WHERE id = ?3",
                rusqlite::params![status, resolution, id],
            )
            .unwrap();
    }
}

#[test]
fn incremental_rescans_find_what_full_scans_find() {
    let dir = tempfile::tempdir().unwrap();
    let (export, mut a) = demo(dir.path(), 1200, 5);
    let first = run_scan_with(
        &mut a,
        &ctx("2026-11-20"),
        as_of(),
        Mode::Auto,
        &mut jicha::progress::silent,
    )
    .unwrap();
    assert_eq!(first.kind, Kind::Full, "nothing to carry over yet");
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut incremental_rounds = 0;
    // What the incremental rescans changed: the rounds must exercise the whole lifecycle.
    let mut moved = jicha::scan::RuleCount::default();
    for round in 0..20 {
        let today = format!("2026-11-{:02}", 21 + round % 9);
        let gone = delta(&export, &mut rng, round);
        import(&mut a, &export, &today, gone);
        triage(&a, &mut rng);
        let mut b = copy(&a, &dir.path().join("b.jicha"));
        let c = ctx(&today);
        let inc = run_scan_with(
            &mut a,
            &c,
            as_of(),
            Mode::Auto,
            &mut jicha::progress::silent,
        )
        .unwrap();
        let full = run_scan_with(
            &mut b,
            &c,
            as_of(),
            Mode::Full,
            &mut jicha::progress::silent,
        )
        .unwrap();
        assert_eq!(full.kind, Kind::Full);
        if inc.kind == Kind::Incremental {
            incremental_rounds += 1;
            moved.new += inc.totals.new;
            moved.cleared += inc.totals.cleared;
            moved.reopened += inc.totals.reopened;
            moved.again_closed += inc.totals.again_closed;
            assert!(
                inc.rejudged < full.rejudged,
                "round {round}: {} of {} customers re-judged",
                inc.rejudged,
                full.rejudged
            );
        }
        assert_eq!(
            inc.per_rule, full.per_rule,
            "round {round}: counts per rule"
        );
        let (fa, fb) = (findings(&a), findings(&b));
        assert_eq!(fa.len(), fb.len(), "round {round}: rows");
        for (x, y) in fa.iter().zip(&fb) {
            assert_eq!(x, y, "round {round} ({:?} scan)", inc.kind);
        }
    }
    assert!(
        moved.new > 0 && moved.cleared > 0 && moved.reopened > 0 && moved.again_closed > 0,
        "the incremental rescans saw new, cleared, reopened and closed findings: {moved:?}"
    );
    // The earliest bill period moves in rounds 3, 10 and 17: those (and nothing else) are full.
    assert!(
        incremental_rounds >= 15,
        "only {incremental_rounds} of 20 rescans were incremental"
    );
}

/// The customers in the scope of a rescan after an import (plan run in a read transaction).
fn scope_after(ds: &Dataset) -> (std::result::Result<u64, FullBecause>, BTreeSet<String>) {
    let tx = ds.conn.unchecked_transaction().unwrap();
    let th = jicha::thresholds::Thresholds::load(&tx).unwrap();
    let plan = incremental::plan(&tx, &th, as_of(), false).unwrap();
    let mut set = BTreeSet::new();
    if plan.is_ok() {
        let mut stmt = tx.prepare("SELECT cust_no FROM temp.scan_scope").unwrap();
        set = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
    }
    incremental::drop_scope(&tx).unwrap();
    (plan.map(|p| p.customers), set)
}

#[test]
fn the_changed_customers_are_those_with_rows_changed_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let (export, mut a) = demo(dir.path(), 300, 9);
    run_scan_with(
        &mut a,
        &ctx("2026-11-20"),
        as_of(),
        Mode::Auto,
        &mut jicha::progress::silent,
    )
    .unwrap();
    let holder: String = a
        .conn
        .query_row(
            "SELECT earliest_cust FROM scan_state ORDER BY scan_id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    // Nothing changed: only the holder of the earliest bill period is judged again.
    let (plan, set) = scope_after(&a);
    assert_eq!(plan, Ok(1));
    assert_eq!(set, BTreeSet::from([holder.clone()]));

    let mut customers = Table::read(&export.join("customers.csv"));
    let mut bills = Table::read(&export.join("bills.csv"));
    let mut meters = Table::read(&export.join("meters.csv"));
    let phone = customers.col("phone");
    let edited = customers.rows[10][0].clone();
    customers.rows[10][phone] = "1".into();
    let (period, kwh) = (bills.col("period"), bills.col("kwh"));
    // A bill in the window changed; another customer's bill after the as-of month added.
    let in_window = bills
        .rows
        .iter()
        .position(|r| r[0] != edited && r[0] != holder && r[period] == "2026-05")
        .unwrap();
    bills.rows[in_window][kwh] = "99999".into();
    let billed = bills.rows[in_window][0].clone();
    let mut later = bills
        .rows
        .iter()
        .find(|r| r[0] != edited && r[0] != billed && r[0] != holder)
        .unwrap()
        .clone();
    later[period] = "2026-12".into();
    bills.rows.push(later.clone());
    // A meter gone (full import).
    let meter_cust = meters
        .rows
        .iter()
        .find(|r| ![&edited, &billed, &holder, &later[0]].contains(&&r[1]))
        .unwrap()[1]
        .clone();
    meters.rows.retain(|r| r[1] != meter_cust);
    customers.write(&export.join("customers.csv"));
    bills.write(&export.join("bills.csv"));
    meters.write(&export.join("meters.csv"));
    import(&mut a, &export, "2026-11-21", true);

    let (plan, set) = scope_after(&a);
    let want = BTreeSet::from([edited, billed, meter_cust, holder]);
    assert_eq!(set, want, "the bill after the as-of month changes nobody");
    assert_eq!(plan, Ok(4));

    // Another as-of date, or --full: a full scan.
    let tx = a.conn.unchecked_transaction().unwrap();
    let th = jicha::thresholds::Thresholds::load(&tx).unwrap();
    let other = jicha::dates::parse_date("2026-11-25").unwrap();
    assert_eq!(
        incremental::plan(&tx, &th, other, false).unwrap(),
        Err(FullBecause::AsOf)
    );
    assert_eq!(
        incremental::plan(&tx, &th, as_of(), true).unwrap(),
        Err(FullBecause::Asked)
    );
}

#[test]
fn a_rescan_says_which_kind_ran_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let (_export, mut a) = demo(dir.path(), 200, 3);
    let c = ctx("2026-11-20");
    let s1 = run_scan_with(
        &mut a,
        &c,
        as_of(),
        Mode::Auto,
        &mut jicha::progress::silent,
    )
    .unwrap();
    let s2 = run_scan_with(
        &mut a,
        &c,
        as_of(),
        Mode::Auto,
        &mut jicha::progress::silent,
    )
    .unwrap();
    let s3 = run_scan_with(
        &mut a,
        &c,
        as_of(),
        Mode::Full,
        &mut jicha::progress::silent,
    )
    .unwrap();
    assert_eq!(
        (s1.kind, s2.kind, s3.kind),
        (Kind::Full, Kind::Incremental, Kind::Full)
    );
    assert_eq!(s2.rejudged, 1);
    assert_eq!(s3.rejudged, 200);
    assert_eq!(s2.totals.hits, s1.totals.hits);
    assert_eq!(s2.totals.again, s1.totals.hits);
    let en = jicha::cli::load::scan_text(&s2, Lang::En);
    let zh = jicha::cli::load::scan_text(&s2, Lang::Zh);
    assert!(en.contains("incremental scan: 1 customers"), "{en}");
    assert!(
        zh.contains("增量扫描：重新判断上次扫描以来数据有变化的 1 户客户"),
        "{zh}"
    );
    let zh_full = jicha::cli::load::scan_text(&s3, Lang::Zh);
    assert!(
        zh_full.contains("全量扫描：判断全部 200 户客户"),
        "{zh_full}"
    );
    let kinds: Vec<String> = {
        let mut stmt = a
            .conn
            .prepare("SELECT kind FROM scan_state ORDER BY scan_id")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(kinds, ["full", "incremental", "full"]);
}
