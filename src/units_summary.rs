//! What each unit of the organisation holds, rolled up its subtree (workflow.md: a unit's
//! scope is `Hierarchy::subtree`): customers (by their station), open and overdue tickets (by
//! `tickets.unit`), and the operators bound to it. `jicha unit list|show` reads these; they
//! are grouped counts in SQL, added up the tree here (the tree is small, the tables are not).

use crate::error::Result;
use crate::states::TicketState;
use crate::units::Hierarchy;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;

/// One unit's counts over its subtree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub customers: u64,
    pub open_tickets: u64,
    /// Open tickets past their due date on the business date.
    pub overdue_tickets: u64,
}

/// Every unit's counts over its subtree, by name.
pub fn counts(
    conn: &Connection,
    h: &Hierarchy,
    today: NaiveDate,
) -> Result<BTreeMap<String, Counts>> {
    let mut own: BTreeMap<String, Counts> = BTreeMap::new();
    let mut stmt = conn.prepare("SELECT station, count(*) FROM customers GROUP BY station")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (station, n) = row?;
        own.entry(station).or_default().customers += n as u64;
    }
    let done = TicketState::sql_list(TicketState::DONE);
    let mut stmt = conn.prepare(&format!(
        "SELECT unit, count(*), sum(?1 > due_on) FROM tickets WHERE state NOT IN ({done}) GROUP BY unit"
    ))?;
    let rows = stmt.query_map([today.to_string()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (unit, open, overdue) = row?;
        let c = own.entry(unit).or_default();
        c.open_tickets += open as u64;
        c.overdue_tickets += overdue as u64;
    }
    let mut out: BTreeMap<String, Counts> = h
        .units()
        .map(|u| (u.name.clone(), Counts::default()))
        .collect();
    for (unit, c) in own {
        if !h.contains(&unit) {
            // A ticket's unit typed before the tree had it: counted nowhere.
            continue;
        }
        for u in std::iter::once(unit.as_str()).chain(h.ancestors(&unit)) {
            let t = out.get_mut(u).expect("every ancestor is a unit");
            t.customers += c.customers;
            t.open_tickets += c.open_tickets;
            t.overdue_tickets += c.overdue_tickets;
        }
    }
    Ok(out)
}

/// An operator bound to a unit (`operators.unit`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Operator {
    pub login: String,
    pub name: Option<String>,
    pub role: String,
}

pub fn operators_of(conn: &Connection, unit: &str) -> Result<Vec<Operator>> {
    let mut stmt =
        conn.prepare("SELECT login, name, role FROM operators WHERE unit = ?1 ORDER BY login")?;
    let rows = stmt.query_map([unit], |r| {
        Ok(Operator {
            login: r.get(0)?,
            name: r.get(1)?,
            role: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An open ticket of a unit's subtree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenTicket {
    pub number: String,
    pub unit: String,
    pub state: String,
    pub due_on: String,
    pub overdue: bool,
}

/// The open tickets whose unit is in `unit`'s subtree, overdue first, then by due date; at
/// most `limit` of them.
pub fn open_tickets(
    conn: &Connection,
    h: &Hierarchy,
    unit: &str,
    today: NaiveDate,
    limit: usize,
) -> Result<Vec<OpenTicket>> {
    let units: Vec<&str> = h.subtree(unit);
    let list = serde_json::to_string(&units).expect("strings serialize");
    let done = TicketState::sql_list(TicketState::DONE);
    let mut stmt = conn.prepare(&format!(
        "SELECT number, unit, state, due_on, ?2 > due_on AS overdue FROM tickets
          WHERE state NOT IN ({done}) AND unit IN (SELECT value FROM json_each(?1))
          ORDER BY overdue DESC, due_on, id LIMIT ?3"
    ))?;
    let rows = stmt.query_map(
        rusqlite::params![list, today.to_string(), limit as i64],
        |r| {
            Ok(OpenTicket {
                number: r.get(0)?,
                unit: r.get(1)?,
                state: r.get(2)?,
                due_on: r.get(3)?,
                overdue: r.get(4)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every unit's open findings (new, confirmed, ticketed; by their customer's station) over its
/// subtree, by name: the unit tree screen's count.
pub fn open_findings(conn: &Connection, h: &Hierarchy) -> Result<BTreeMap<String, u64>> {
    let open = serde_json::to_string(crate::findings::OPEN_STATUSES).expect("strings serialize");
    let mut stmt = conn.prepare(
        "SELECT c.station, count(*) FROM findings f JOIN customers c ON c.cust_no = f.cust_no
          WHERE f.status IN (SELECT value FROM json_each(?1)) GROUP BY c.station",
    )?;
    let mut out: BTreeMap<String, u64> = h.units().map(|u| (u.name.clone(), 0)).collect();
    for row in stmt.query_map([open], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })? {
        let (station, n) = row?;
        if !h.contains(&station) {
            continue;
        }
        for u in std::iter::once(station.as_str()).chain(h.ancestors(&station)) {
            *out.get_mut(u).expect("every ancestor is a unit") += n as u64;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::{Unit, UnitLevel};

    #[test]
    fn counts_roll_up_the_tree() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE customers (cust_no TEXT, station TEXT);
             CREATE TABLE tickets (id INTEGER PRIMARY KEY, number TEXT, unit TEXT, state TEXT, due_on TEXT);
             INSERT INTO customers VALUES ('1','甲所'),('2','甲所'),('3','乙所');
             INSERT INTO tickets(number, unit, state, due_on) VALUES
               ('T1','甲所','dispatched','2026-01-01'), ('T2','县','submitted','2026-12-31'),
               ('T3','乙所','approved','2026-01-01'), ('T4','别处','dispatched','2026-01-01');",
        )
        .unwrap();
        let u = |n: &str, p: Option<&str>, level| Unit {
            name: n.into(),
            parent: p.map(Into::into),
            level,
            head: None,
        };
        let h = Hierarchy::from_units(vec![
            u("市", None, UnitLevel::City),
            u("县", Some("市"), UnitLevel::County),
            u("甲所", Some("县"), UnitLevel::Station),
            u("乙所", Some("县"), UnitLevel::Station),
        ]);
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let c = counts(&conn, &h, today).unwrap();
        assert_eq!(
            c["市"],
            Counts {
                customers: 3,
                open_tickets: 2,
                overdue_tickets: 1
            }
        );
        assert_eq!(c["乙所"].customers, 1);
        assert_eq!(c["乙所"].open_tickets, 0, "approved is not open");
        let open = open_tickets(&conn, &h, "县", today, 10).unwrap();
        let numbers: Vec<&str> = open.iter().map(|t| t.number.as_str()).collect();
        assert_eq!(numbers, vec!["T1", "T2"], "overdue first");
        assert!(open[0].overdue && !open[1].overdue);
    }

    #[test]
    fn open_findings_roll_up_by_the_customers_station() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE customers (cust_no TEXT, station TEXT);
             CREATE TABLE findings (id INTEGER PRIMARY KEY, cust_no TEXT, status TEXT);
             INSERT INTO customers VALUES ('1','甲所'),('2','乙所'),('3','别处');
             INSERT INTO findings(cust_no, status) VALUES
               ('1','new'), ('1','confirmed'), ('2','ticketed'), ('2','closed'), ('3','new');",
        )
        .unwrap();
        let u = |n: &str, p: Option<&str>, level| Unit {
            name: n.into(),
            parent: p.map(Into::into),
            level,
            head: None,
        };
        let h = Hierarchy::from_units(vec![
            u("县", None, UnitLevel::County),
            u("甲所", Some("县"), UnitLevel::Station),
            u("乙所", Some("县"), UnitLevel::Station),
        ]);
        let c = open_findings(&conn, &h).unwrap();
        assert_eq!(
            c["县"], 3,
            "closed is not open; a station outside the tree counts nowhere"
        );
        assert_eq!(c["甲所"], 2);
        assert_eq!(c["乙所"], 1);
    }
}
