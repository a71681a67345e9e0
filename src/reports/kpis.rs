//! The business indicators (营销关键指标) of 指标改变率: sums of the bill rows of active
//! customers, per station, over the billing periods the range touches and over as many months
//! just before them. Rates are taken from the sums of a unit's whole subtree, never averaged.

use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

/// The billing periods (`YYYY-MM`, first and last) the range touches, and the previous range:
/// the same number of months just before.
pub fn periods(from: NaiveDate, to: NaiveDate) -> ((String, String), (String, String)) {
    let (a, b) = (
        crate::dates::period_index(&crate::dates::period_of(from)).unwrap_or(0),
        crate::dates::period_index(&crate::dates::period_of(to)).unwrap_or(0),
    );
    let n = b - a + 1;
    let p = crate::dates::period_from_index;
    ((p(a), p(b)), (p(a - n), p(a - 1)))
}

/// Sums of bill rows: `paid` and `amount` over rows with `amount > 0`; `amount` and `kwh`
/// over all rows.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BillSums {
    pub paid_pos: f64,
    pub amount_pos: f64,
    pub amount: f64,
    pub kwh: f64,
    pub rows: u64,
}

impl BillSums {
    pub fn add(&mut self, o: &BillSums) {
        self.paid_pos += o.paid_pos;
        self.amount_pos += o.amount_pos;
        self.amount += o.amount;
        self.kwh += o.kwh;
        self.rows += o.rows;
    }

    fn collection_rate(&self) -> Option<f64> {
        (self.amount_pos > 0.0).then(|| self.paid_pos / self.amount_pos)
    }

    fn average_price(&self) -> Option<f64> {
        (self.kwh != 0.0).then(|| self.amount / self.kwh)
    }
}

/// One indicator over the previous range (`before`) and the range (`after`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Kpi {
    pub before: Option<f64>,
    pub after: Option<f64>,
    /// (after − before) / before; None when either is missing or before is 0.
    pub change_rate: Option<f64>,
}

impl Kpi {
    pub fn of(before: Option<f64>, after: Option<f64>) -> Kpi {
        let change_rate = match (before, after) {
            (Some(b), Some(a)) if b != 0.0 => Some((a - b) / b),
            _ => None,
        };
        Kpi {
            before,
            after,
            change_rate,
        }
    }
}

/// 指标改变率: `collection_rate` 电费回收率, `average_price` 平均电价 (元/kWh), `kwh` 售电量,
/// `open_findings` 异常存量 (open before / open after).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Kpis {
    pub collection_rate: Kpi,
    pub average_price: Kpi,
    pub kwh: Kpi,
    pub open_findings: Kpi,
}

impl Kpis {
    pub fn of(before: &BillSums, after: &BillSums, open_before: u64, open_after: u64) -> Kpis {
        Kpis {
            collection_rate: Kpi::of(before.collection_rate(), after.collection_rate()),
            average_price: Kpi::of(before.average_price(), after.average_price()),
            kwh: Kpi::of(Some(before.kwh), Some(after.kwh)),
            open_findings: Kpi::of(Some(open_before as f64), Some(open_after as f64)),
        }
    }
}

/// (station, previous range's sums, range's sums) per station.
type StationSums = Vec<(String, BillSums, BillSums)>;

/// The sums of the last few (dataset, import, months) asked for. Reading every active
/// customer's bill rows of 2n months is most of a report's time on a large dataset (a million
/// customers: seconds), and the reports screen asks again after every change anyone makes;
/// the rows only change with an import, which the key names (`memo::import_key`).
static CACHE: super::memo::Memo<(super::memo::ImportKey, String, String, String), StationSums> =
    super::memo::Memo::new();

/// (station, previous range's sums, range's sums) of the bill rows of active customers.
pub fn bill_sums(
    conn: &Connection,
    range: &(String, String),
    previous: &(String, String),
    memo: bool,
) -> Result<StationSums> {
    if !memo {
        return read_sums(conn, range, previous);
    }
    let Some(import) = super::memo::import_key(conn)? else {
        return read_sums(conn, range, previous);
    };
    let key = (import, range.0.clone(), range.1.clone(), previous.0.clone());
    CACHE.get_or(key, || read_sums(conn, range, previous))
}

fn read_sums(
    conn: &Connection,
    range: &(String, String),
    previous: &(String, String),
) -> Result<StationSums> {
    let mut stmt = conn.prepare(
        "SELECT c.station, b.period >= :a0,
                total(CASE WHEN b.amount > 0 THEN b.paid END), total(CASE WHEN b.amount > 0 THEN b.amount END),
                total(b.amount), total(b.kwh), count(*)
         FROM customers c JOIN bills b ON b.cust_no = c.cust_no AND b.period BETWEEN :p0 AND :a1
         WHERE c.status = 'active'
         GROUP BY 1, 2 ORDER BY 1, 2",
    )?;
    let mut rows = stmt.query(rusqlite::named_params! {
        ":a0": range.0, ":a1": range.1, ":p0": previous.0,
    })?;
    let mut out: Vec<(String, BillSums, BillSums)> = Vec::new();
    while let Some(r) = rows.next()? {
        let station: String = r.get(0)?;
        let after: bool = r.get(1)?;
        let sums = BillSums {
            paid_pos: r.get(2)?,
            amount_pos: r.get(3)?,
            amount: r.get(4)?,
            kwh: r.get(5)?,
            rows: r.get::<_, i64>(6)? as u64,
        };
        if out.last().map(|o| &o.0) != Some(&station) {
            out.push((station, BillSums::default(), BillSums::default()));
        }
        let last = out.last_mut().expect("pushed");
        if after {
            last.2 = sums;
        } else {
            last.1 = sums;
        }
    }
    Ok(out)
}
