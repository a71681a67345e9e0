//! SUS-04 新装增容或减容期满后2年内再办暂停减容: a suspension or reduction that starts within
//! `recent_change_years` years after a new connection or capacity increase was completed, or
//! strictly after the end of another reduction and within those years of it. In Rust because
//! each row is compared with the customer's other rows and applications, and "n years after"
//! is calendar arithmetic (29 February + 1 year is 28 February), which SQLite's `+n years`
//! does not do.

use super::evidence::Evidence;
use super::{catalogue, Hit};
use crate::dates::parse_date;
use crate::error::Result;
use crate::thresholds::Thresholds;
use chrono::{Months, NaiveDate};
use rusqlite::Connection;
use std::collections::HashMap;

pub const RULE: &str = "SUS-04";

/// One suspension or reduction row of the customer being judged.
struct Row {
    kind: String,
    start: NaiveDate,
    end: NaiveDate,
}

/// A completed new or increase application.
struct App {
    app_no: String,
    kind: String,
    completed: NaiveDate,
}

/// What a row started too soon after: the date it is reckoned from and the evidence's fields.
struct Basis {
    since: NaiveDate,
    until: Option<NaiveDate>,
    app: Option<(String, String)>,
    reduce_start: Option<NaiveDate>,
}

pub fn run(
    conn: &Connection,
    th: &Thresholds,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
) -> Result<()> {
    let years = th.int("recent_change_years");
    let months = u32::try_from(years.saturating_mul(12)).unwrap_or(u32::MAX);
    let mut rows_of = conn.prepare(
        "SELECT s.cust_no, s.kind, s.start_on, s.end_on
         FROM suspensions s JOIN customers c ON c.cust_no = s.cust_no
         WHERE c.status = 'active'
         ORDER BY s.cust_no, s.start_on, s.kind",
    )?;
    // The application part applies only once the dataset holds application rows (rules.md
    // Terms); without any, this map is simply empty. Read once, not once per customer:
    // `applications` has no index on cust_no, and a query per customer with suspensions is a
    // full scan each (50 s of a 1M-customer scan).
    let apps_by_cust = load_apps(conn)?;
    let no_apps: Vec<App> = Vec::new();
    let mut all = rows_of.query([])?;
    let mut cust: Option<String> = None;
    let mut rows: Vec<Row> = Vec::new();
    loop {
        let next = all.next()?;
        let next_cust: Option<String> = next.map(|r| r.get(0)).transpose()?;
        if cust.is_some() && cust != next_cust {
            let c = cust.take().expect("checked");
            let apps = apps_by_cust.get(&c).unwrap_or(&no_apps);
            judge(&c, &rows, apps, months, years, sink)?;
            rows.clear();
        }
        let Some(r) = next else { break };
        cust = next_cust;
        let (Some(start), Some(end)) = (
            parse_date(&r.get::<_, String>(2)?),
            parse_date(&r.get::<_, String>(3)?),
        ) else {
            continue;
        };
        rows.push(Row {
            kind: r.get(1)?,
            start,
            end,
        });
    }
    Ok(())
}

/// Every completed new or increase application of a customer, by customer, in completion order.
fn load_apps(conn: &Connection) -> Result<HashMap<String, Vec<App>>> {
    let mut stmt = conn.prepare(
        "SELECT cust_no, app_no, kind, completed_on FROM applications
         WHERE cust_no IS NOT NULL AND kind IN ('new', 'increase') AND completed_on IS NOT NULL
         ORDER BY cust_no, completed_on, app_no",
    )?;
    let mut out: HashMap<String, Vec<App>> = HashMap::new();
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        if let Some(completed) = parse_date(&r.get::<_, String>(3)?) {
            out.entry(r.get(0)?).or_default().push(App {
                app_no: r.get(1)?,
                kind: r.get(2)?,
                completed,
            });
        }
    }
    Ok(out)
}

/// `x` plus the rule's years, calendar-wise (29 February becomes 28 February); None when that
/// is past any date (a threshold of thousands of years): then there is no upper bound.
fn after(x: NaiveDate, months: u32) -> Option<NaiveDate> {
    x.checked_add_months(Months::new(months))
}

/// "Within n years after X": X ≤ date < X + n years.
fn within(date: NaiveDate, x: NaiveDate, until: Option<NaiveDate>) -> bool {
    x <= date && until.is_none_or(|u| date < u)
}

/// Every row that started too soon after an application or another reduction; the basis
/// named is the most recent one before the row (an application on a tie).
fn judge(
    cust: &str,
    rows: &[Row],
    apps: &[App],
    months: u32,
    years: i64,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
) -> Result<()> {
    let def = catalogue::find(RULE).expect("in catalogue");
    for (k, row) in rows.iter().enumerate() {
        let mut best: Option<Basis> = None;
        let mut consider = |b: Basis| {
            if best.as_ref().is_none_or(|cur| b.since > cur.since) {
                best = Some(b);
            }
        };
        for a in apps {
            let until = after(a.completed, months);
            if within(row.start, a.completed, until) {
                consider(Basis {
                    since: a.completed,
                    until,
                    app: Some((a.app_no.clone(), a.kind.clone())),
                    reduce_start: None,
                });
            }
        }
        for (j, other) in rows.iter().enumerate() {
            // Another reduction that ended before this row starts: strictly after its end_on.
            if j == k || other.kind != "reduce" || other.end >= row.start {
                continue;
            }
            let until = after(other.end, months);
            if within(row.start, other.end, until) {
                consider(Basis {
                    since: other.end,
                    until,
                    app: None,
                    reduce_start: Some(other.start),
                });
            }
        }
        let Some(b) = best else { continue };
        let (app_no, app_kind) = b.app.unzip();
        sink(Hit {
            rule: RULE.to_string(),
            cust_no: cust.to_string(),
            subject: format!("{}:{}", row.kind, row.start),
            severity: def.severity,
            level: None,
            evidence: Evidence::Sus04 {
                row_kind: row.kind.clone(),
                start_on: row.start.to_string(),
                app_no,
                app_kind,
                reduce_start_on: b.reduce_start.map(|d| d.to_string()),
                since: b.since.to_string(),
                until: b.until.map(|d| d.to_string()),
                years,
            }
            .to_stored(),
            amount_yuan: None,
        })?;
    }
    Ok(())
}
