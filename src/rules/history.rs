//! The rules over source history (rules.md "History rules", issue 15): HIS-01 抄表示数被修改
//! and HIS-02 档案关键字段变更无业务依据. Both read `source_history` (what re-imports
//! replaced, `import::history`) beside the live rows: a dataset imported once has no history
//! and so no hit. In Rust because each version is compared field by field with the current
//! row, and HIS-02 looks for an application in a window before each import's date.

use super::evidence::Evidence;
use super::{catalogue, num, Hit};
use crate::dates::{parse_date, period_of};
use crate::error::Result;
use crate::thresholds::Thresholds;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde_json::Value as Json;
use std::collections::{BTreeMap, HashMap};

pub const READINGS: &str = "HIS-01";
pub const FIELDS: &str = "HIS-02";
pub const RULES: [&str; 2] = [READINGS, FIELDS];

/// The customers' fields HIS-02 watches, and the meters'.
pub const CUSTOMER_FIELDS: [&str; 5] = [
    "category",
    "price_code",
    "billing_mode",
    "capacity_kva",
    "voltage_kv",
];
pub const METER_FIELDS: [&str; 3] = ["multiplier", "ct_ratio", "pt_ratio"];

fn f(v: &Json, name: &str) -> f64 {
    v.get(name).and_then(Json::as_f64).unwrap_or(0.0)
}

pub fn run(
    conn: &Connection,
    th: &Thresholds,
    as_of: NaiveDate,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
) -> Result<()> {
    readings(conn, th, as_of, sink)?;
    fields(conn, th, as_of, sink)
}

/// The version of a bill that moved most, kept per (customer, period).
struct Edit {
    evidence: Evidence,
    moved: f64,
    amount: Option<f64>,
}

/// HIS-01: each active customer's bill row (period ≤ month of D) against every earlier
/// version of it; the version whose kWh differs most among those that pass names the finding.
fn readings(
    conn: &Connection,
    th: &Thresholds,
    as_of: NaiveDate,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
) -> Result<()> {
    let min_kwh = th.num("reading_edit_min_kwh");
    let ratio = th.num("reading_edit_ratio");
    let def = catalogue::find(READINGS).expect("in catalogue");
    let mut stmt = conn.prepare(
        "SELECT b.cust_no, b.period, b.prev_reading, b.curr_reading, b.kwh, b.amount,
                h.old, h.since_import, h.replaced_by, coalesce(i.business_date, '')
         FROM source_history h
         JOIN bills b ON b.cust_no = h.cust_no AND b.period = json_extract(h.key, '$[1]')
         JOIN customers c ON c.cust_no = b.cust_no
         LEFT JOIN imports i ON i.id = h.replaced_by
         WHERE h.file = 'bills.csv' AND h.kind = 'changed' AND c.status = 'active'
           AND b.period <= ?1
         ORDER BY b.cust_no, b.period, h.id",
    )?;
    let mut rows = stmt.query([period_of(as_of)])?;
    let mut best: BTreeMap<(String, String), Edit> = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let (cust, period): (String, String) = (r.get(0)?, r.get(1)?);
        let (prev, curr, kwh, amount): (f64, f64, f64, f64) =
            (r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
        let old: Json = serde_json::from_str(&r.get::<_, String>(6)?).unwrap_or(Json::Null);
        let (prev_was, curr_was, kwh_was) = (
            f(&old, "prev_reading"),
            f(&old, "curr_reading"),
            f(&old, "kwh"),
        );
        if num::eq(prev, prev_was) && num::eq(curr, curr_was) {
            continue;
        }
        let moved = (kwh - kwh_was).abs();
        if !(num::gt(moved, min_kwh) || num::gt(moved, ratio * kwh_was.abs())) {
            continue;
        }
        let price = if num::gt(kwh.abs(), 0.0) {
            Some(amount / kwh)
        } else {
            let amount_was = f(&old, "amount");
            num::gt(kwh_was.abs(), 0.0).then(|| amount_was / kwh_was)
        };
        let edit = Edit {
            evidence: Evidence::His01 {
                period: period.clone(),
                prev_reading_was: prev_was,
                curr_reading_was: curr_was,
                kwh_was,
                prev_reading: prev,
                curr_reading: curr,
                kwh,
                kwh_moved: moved,
                since_import: r.get(7)?,
                replaced_by: r.get(8)?,
                replaced_on: r.get(9)?,
                min_kwh,
                ratio,
            },
            moved,
            amount: price.map(|p| (moved * p).abs()),
        };
        let key = (cust, period);
        if best.get(&key).is_none_or(|b| moved > b.moved) {
            best.insert(key, edit);
        }
    }
    for ((cust, period), e) in best {
        sink(Hit {
            rule: READINGS.to_string(),
            cust_no: cust,
            subject: period,
            severity: def.severity,
            level: None,
            evidence: e.evidence.to_stored(),
            amount_yuan: e.amount,
        })?;
    }
    Ok(())
}

/// One change of a watched field, as history holds it.
struct FieldEdit {
    cust: String,
    subject: String,
    field: String,
    meter_no: Option<String>,
    old: String,
    new: String,
    import: i64,
    seen_on: Option<NaiveDate>,
}

/// A value as the evidence shows it: text as it is, numbers plainly.
fn text_of(v: &Json) -> String {
    match v {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        Json::Number(_) => num::plain(v.as_f64().unwrap_or(0.0)),
        other => other.to_string(),
    }
}

fn changed(a: &Json, b: &Json) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => !num::eq(x, y),
        _ => a != b,
    }
}

/// Every change of a watched field of an active customer (or its meters) seen by an import
/// on or before D, in history order.
fn field_edits(conn: &Connection, as_of: NaiveDate) -> Result<Vec<FieldEdit>> {
    let mut stmt = conn.prepare(
        "SELECT h.cust_no, h.file, h.key, h.old, h.new, h.replaced_by, coalesce(i.business_date, '')
         FROM source_history h
         JOIN customers c ON c.cust_no = h.cust_no
         LEFT JOIN imports i ON i.id = h.replaced_by
         WHERE h.kind = 'changed' AND h.file IN ('customers.csv', 'meters.csv')
           AND c.status = 'active' AND coalesce(i.business_date, '') <= ?1
         ORDER BY h.cust_no, h.id",
    )?;
    let mut rows = stmt.query([as_of.to_string()])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let cust: String = r.get(0)?;
        let file: String = r.get(1)?;
        let old: Json = serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or(Json::Null);
        let new: Json = r
            .get::<_, Option<String>>(4)?
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(Json::Null);
        let meter_no = (file == "meters.csv").then(|| {
            serde_json::from_str::<Vec<String>>(&r.get::<_, String>(2).unwrap_or_default())
                .ok()
                .and_then(|k| k.into_iter().next())
                .unwrap_or_default()
        });
        let watched: &[&str] = if meter_no.is_some() {
            &METER_FIELDS
        } else {
            &CUSTOMER_FIELDS
        };
        let import: i64 = r.get(5)?;
        let seen_on = parse_date(&r.get::<_, String>(6)?);
        for field in watched {
            let (o, n) = (
                old.get(*field).unwrap_or(&Json::Null),
                new.get(*field).unwrap_or(&Json::Null),
            );
            if !changed(o, n) {
                continue;
            }
            let subject = match &meter_no {
                Some(m) => format!("meter {m}:{field}"),
                None => field.to_string(),
            };
            out.push(FieldEdit {
                cust: cust.clone(),
                subject,
                field: field.to_string(),
                meter_no: meter_no.clone(),
                old: text_of(o),
                new: text_of(n),
                import,
                seen_on,
            });
        }
    }
    Ok(out)
}

/// Completion dates of every completed application, by customer (read only when some watched
/// field changed: `applications` has no index on cust_no).
fn completions(conn: &Connection) -> Result<HashMap<String, Vec<NaiveDate>>> {
    let mut stmt = conn.prepare(
        "SELECT cust_no, completed_on FROM applications
         WHERE cust_no IS NOT NULL AND completed_on IS NOT NULL",
    )?;
    let mut q = stmt.query([])?;
    let mut out: HashMap<String, Vec<NaiveDate>> = HashMap::new();
    while let Some(r) = q.next()? {
        if let Some(d) = parse_date(&r.get::<_, String>(1)?) {
            out.entry(r.get(0)?).or_default().push(d);
        }
    }
    Ok(out)
}

/// HIS-02: a watched field's change with no application of the customer completed within
/// `change_basis_days` days before the date of the import that saw it
/// (`seen − days ≤ completed_on ≤ seen`); the latest such change names the finding.
fn fields(
    conn: &Connection,
    th: &Thresholds,
    as_of: NaiveDate,
    sink: &mut dyn FnMut(Hit) -> Result<()>,
) -> Result<()> {
    let days = th.int("change_basis_days");
    let def = catalogue::find(FIELDS).expect("in catalogue");
    let edits = field_edits(conn, as_of)?;
    if edits.is_empty() {
        return Ok(());
    }
    let apps = completions(conn)?;
    let mut latest: BTreeMap<(String, String), FieldEdit> = BTreeMap::new();
    for e in edits {
        let backed = e.seen_on.is_some_and(|seen| {
            let from = seen - chrono::Duration::days(days.max(0));
            apps.get(&e.cust)
                .is_some_and(|ds| ds.iter().any(|d| from <= *d && *d <= seen))
        });
        if !backed {
            latest.insert((e.cust.clone(), e.subject.clone()), e);
        }
    }
    for ((cust, subject), e) in latest {
        sink(Hit {
            rule: FIELDS.to_string(),
            cust_no: cust,
            subject,
            severity: def.severity,
            level: None,
            evidence: Evidence::His02 {
                field: e.field,
                meter_no: e.meter_no,
                old: e.old,
                new: e.new,
                import: e.import,
                seen_on: e.seen_on.map(|d| d.to_string()).unwrap_or_default(),
                basis_days: days,
            }
            .to_stored(),
            amount_yuan: None,
        })?;
    }
    Ok(())
}
