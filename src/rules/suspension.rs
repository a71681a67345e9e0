//! SUS-01 一年内暂停超期或超次: suspensions within the 365 days ending on D, counted by rows
//! and by days, where days covered by overlapping rows count once. In Rust because merging
//! overlapping intervals is a loop, not a query.

use super::evidence::Evidence;
use super::{catalogue, Hit};
use crate::dates::parse_date;
use crate::error::Result;
use crate::thresholds::Thresholds;
use chrono::{Days, NaiveDate};
use rusqlite::{named_params, Connection};

pub const RULE: &str = "SUS-01";

pub fn run(
    conn: &Connection,
    th: &Thresholds,
    as_of: NaiveDate,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
) -> Result<()> {
    let max_times = th.int("suspend_max_times");
    let max_days = th.int("suspend_max_days");
    // The 365 days ending on D: D − 364 ..= D.
    let window_start = as_of - Days::new(364);
    let mut stmt = conn.prepare(
        "SELECT s.cust_no, s.start_on, s.end_on
         FROM suspensions s JOIN customers c ON c.cust_no = s.cust_no
         WHERE c.status = 'active' AND s.kind = 'suspend'
           AND s.start_on <= :as_of AND s.end_on >= :window_start
         ORDER BY s.cust_no, s.start_on",
    )?;
    let mut rows = stmt.query(named_params! {
        ":as_of": as_of.to_string(),
        ":window_start": window_start.to_string(),
    })?;
    let mut cur: Option<Acc> = None;
    while let Some(r) = rows.next()? {
        let cust: String = r.get(0)?;
        let (Some(start), Some(end)) = (
            parse_date(&r.get::<_, String>(1)?),
            parse_date(&r.get::<_, String>(2)?),
        ) else {
            continue;
        };
        if cur.as_ref().is_some_and(|a| a.cust_no != cust) {
            let done = cur.take().expect("checked");
            done.finish(window_start, as_of, max_times, max_days, sink)?;
        }
        let acc = cur.get_or_insert_with(|| Acc::new(cust));
        acc.add(start.max(window_start), end.min(as_of));
    }
    if let Some(done) = cur {
        done.finish(window_start, as_of, max_times, max_days, sink)?;
    }
    Ok(())
}

/// One customer's suspensions in start order, merged as they come.
struct Acc {
    cust_no: String,
    times: i64,
    days: i64,
    /// The merged interval still open (clipped to the window).
    open: Option<(NaiveDate, NaiveDate)>,
}

impl Acc {
    fn new(cust_no: String) -> Acc {
        Acc {
            cust_no,
            times: 0,
            days: 0,
            open: None,
        }
    }

    fn add(&mut self, start: NaiveDate, end: NaiveDate) {
        self.times += 1;
        if end < start {
            return;
        }
        match self.open {
            // Rows come in start order: overlapping or touching rows extend the open interval.
            Some((s, e)) if start <= e => self.open = Some((s, e.max(end))),
            Some((s, e)) => {
                self.days += span(s, e);
                self.open = Some((start, end));
            }
            None => self.open = Some((start, end)),
        }
    }

    fn finish(
        mut self,
        window_start: NaiveDate,
        as_of: NaiveDate,
        max_times: i64,
        max_days: i64,
        sink: &mut dyn FnMut(Hit) -> Result<()>,
    ) -> Result<()> {
        if let Some((s, e)) = self.open.take() {
            self.days += span(s, e);
        }
        if self.times <= max_times && self.days <= max_days {
            return Ok(());
        }
        let def = catalogue::find(RULE).expect("in catalogue");
        sink(Hit {
            rule: RULE.to_string(),
            cust_no: self.cust_no,
            subject: "-".to_string(),
            severity: def.severity,
            level: None,
            evidence: Evidence::Sus01 {
                window_start: window_start.to_string(),
                as_of: as_of.to_string(),
                times: self.times,
                max_times,
                days: self.days,
                max_days,
            }
            .to_stored(),
            amount_yuan: None,
        })
    }
}

/// Days in an inclusive date range.
fn span(s: NaiveDate, e: NaiveDate) -> i64 {
    (e - s).num_days() + 1
}
