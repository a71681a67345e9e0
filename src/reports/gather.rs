//! The base counts of the report, each from its set query, added into the sink: findings per
//! (station, rule), tickets with their problems per rule, whitelist entries per (station,
//! rule), bill sums per station.

use super::rollup::Sink;
use super::{history, kpis, tickets, whitelist as wl, OverdueTicket};
use crate::error::Result;
use rusqlite::Connection;

pub(super) fn findings(
    sink: &mut Sink,
    conn: &Connection,
    f: &str,
    t: &str,
    before: &str,
) -> Result<()> {
    for c in history::counts(conn, f, t, before)? {
        let rule = c.rule.clone();
        sink.add(&c.station, Some(&c.rule), |x| {
            if c.monitored > 0 {
                x.monitored_rules.insert(rule.clone());
            }
            if c.ticketed > 0 {
                x.ticketed_rules.insert(rule.clone());
            }
            x.findings_to_rectify += c.to_rectify;
            x.findings_rectified += c.rectified;
            x.open_before += c.open_before;
            x.open_after += c.open_after;
            x.suppressed_before += c.suppressed_before;
            x.suppressed_after += c.suppressed_after;
        });
    }
    Ok(())
}

/// The tickets issued in the range (per ticket and per problem, by the ticket's unit and by
/// rule); returns the overdue ones in scope.
pub(super) fn tickets(
    sink: &mut Sink,
    conn: &Connection,
    f: &str,
    t: &str,
) -> Result<Vec<OverdueTicket>> {
    let mut overdue = Vec::new();
    for tk in tickets::issued(conn, f, t)? {
        let n: u64 = tk.problems.values().sum();
        let (done, late) = (tk.completed() as u64, tk.late as u64);
        if !sink.in_scope(&tk.unit) {
            continue;
        }
        sink.add(&tk.unit, None, |x| {
            x.tickets_issued += 1;
            x.tickets_completed += done;
            x.tickets_overdue += late;
            x.problems_dispatched += n;
            x.problems_completed += done * n;
            x.problems_overdue += late * n;
        });
        for (rule, k) in &tk.problems {
            let x = sink.rules.entry(rule.clone()).or_default();
            x.tickets_issued += 1;
            x.tickets_completed += done;
            x.tickets_overdue += late;
            x.problems_dispatched += k;
            x.problems_completed += done * k;
            x.problems_overdue += late * k;
        }
        if tk.late {
            overdue.push(OverdueTicket {
                number: tk.number,
                unit: tk.unit,
                state: tk.state,
                issued_on: tk.issued_on,
                due_on: tk.due_on,
                approved_on: tk.approved_on,
                days_late: tk.days_late,
                problems: n,
            });
        }
    }
    overdue.sort_by(|a, b| b.days_late.cmp(&a.days_late).then(a.number.cmp(&b.number)));
    Ok(overdue)
}

/// Whitelist entries by their customer's station; by rule unless the entry is for every rule.
pub(super) fn whitelist(sink: &mut Sink, conn: &Connection, f: &str, t: &str) -> Result<()> {
    let review_days = crate::thresholds::Thresholds::load(conn)?.int("whitelist_review_days");
    for w in wl::counts(conn, f, t, review_days)? {
        let rule = (w.rule != "*").then_some(w.rule.as_str());
        sink.add(&w.station, rule, |x| {
            x.whitelist_added += w.added;
            x.whitelist_extended += w.extended;
            x.whitelist_revoked += w.revoked;
            x.whitelist_active_after += w.active_after;
            x.whitelist_long_active_after += w.long_active_after;
        });
    }
    Ok(())
}

pub(super) fn bills(
    sink: &mut Sink,
    conn: &Connection,
    range: &(String, String),
    previous: &(String, String),
    memo: bool,
) -> Result<()> {
    for (station, b, a) in kpis::bill_sums(conn, range, previous, memo)? {
        sink.add(&station, None, |x| {
            x.bills_before.add(&b);
            x.bills_after.add(&a);
        });
    }
    Ok(())
}
