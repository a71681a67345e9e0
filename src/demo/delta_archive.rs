//! The archive half of `jicha demo --delta`: which customers' archive rows (customers.csv) or
//! meters (meters.csv) change overnight, how, and whether a completed application backs the
//! change — what HIS-02 tells apart.
//!
//! A share `edit_ratio` of the customers is picked by a hash of (seed, customer number), so the
//! choice is the same in every file and on every machine. An active customer with no
//! application completed near the delta's import month gets a change of a field HIS-02
//! watches (capacity, category and price code, billing mode, or — with a single meter — the
//! meter's CT ratio and multiplier), half of them backed by a new application completed on the
//! first day of that month; the others (and closed or otherwise busy customers) a new phone
//! number, which HIS-02 does not watch.

use super::delta_csv::{self, key, plain, replaced, Input, Out};
use super::names;
use super::rng::Rng;
use crate::error::Result;
use crate::progress::Progress;
use chrono::{NaiveDate, TimeDelta};
use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;
use std::path::Path;

pub type Report<'a> = &'a mut dyn FnMut(&Progress) -> ControlFlow<()>;

/// Random streams of the delta (the demo's own use other numbers).
pub const PICK_ARCHIVE: u64 = 101;
pub const PICK_READING: u64 = 102;
const EDIT_KIND: u64 = 103;
pub const READING_KIND: u64 = 104;
pub const FIRST_BILL: u64 = 105;

/// The dates and shares one delta is made with.
#[derive(Debug, Clone)]
pub struct Plan {
    pub seed: u64,
    pub edit_ratio: f64,
    /// The export's last billing period, and the new one this delta bills.
    pub end: String,
    pub period: String,
    /// The month whose days the delta is meant to be imported and scanned as of (the one after
    /// `period`), its first and last day.
    pub month: String,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// `change_basis_days` as data/thresholds.toml ships it: the window HIS-02 looks back.
    pub basis_days: i64,
}

impl Plan {
    /// Whether the customer is picked for stream `stream` at share `ratio`.
    pub fn picked(&self, stream: u64, cust: &[u8], ratio: f64) -> bool {
        Rng::stream(self.seed, stream, key(cust)).unit() < ratio
    }

    pub fn rng(&self, stream: u64, cust: &[u8]) -> Rng {
        let mut r = Rng::stream(self.seed, stream, key(cust));
        r.next_u64();
        r
    }

    /// The application that backs a change: completed on the first day of the import month,
    /// so that every import date of that month lies within `basis_days` after it.
    fn basis(&self) -> (NaiveDate, NaiveDate) {
        (self.first - TimeDelta::days(5), self.first)
    }
}

/// How one picked customer changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Capacity,
    Category,
    Billing,
    Meter,
    /// A field HIS-02 does not watch.
    Phone,
}

impl Edit {
    pub fn watched(self) -> bool {
        self != Edit::Phone
    }
}

/// What a new customer's first bill is made from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FirstBill {
    /// Its meter's multiplier (1 until the meters pass has read it).
    pub mult: f64,
    pub capacity_kva: f64,
    /// 高供低计: the bill carries the transformer's loss.
    pub hslm: bool,
}

/// An application the delta adds.
#[derive(Debug, Clone)]
pub struct NewApp {
    pub app_no: String,
    pub cust_no: String,
    pub kind: &'static str,
    pub accepted_on: NaiveDate,
    pub completed_on: NaiveDate,
    pub limit_days: i64,
}

/// What the customers and meters passes found, for the bills and applications passes and the
/// summary.
#[derive(Debug, Default)]
pub struct Archive {
    pub closed: HashSet<Vec<u8>>,
    /// Customers whose only meter changes ratio: the factor their bills' multiplier takes.
    pub meter_factor: HashMap<Vec<u8>, f64>,
    /// Meter edits still to write, with whether an application backs them.
    meter_edits: HashMap<Vec<u8>, bool>,
    /// Active customers opened in the export's last period, first billed in the new one.
    pub first_bills: HashMap<Vec<u8>, FirstBill>,
    pub apps: Vec<NewApp>,
    /// (customer, subject) HIS-02 must report.
    pub his02: Vec<(String, String)>,
    pub customers: u64,
    pub edited: u64,
    pub watched: u64,
    pub backed: u64,
}

/// The number of meters of each picked customer (a meter edit needs exactly one).
pub fn meter_counts(from: &Path, plan: &Plan, progress: Report) -> Result<HashMap<Vec<u8>, u32>> {
    let mut out = HashMap::new();
    if !from.join("meters.csv").exists() {
        return Ok(out);
    }
    let mut inp = Input::open(from, "meters.csv")?;
    let cust = inp.col("cust_no")?;
    while inp.next(progress)? {
        let c = inp.field(cust);
        if plan.picked(PICK_ARCHIVE, c, plan.edit_ratio) {
            *out.entry(c.to_vec()).or_insert(0) += 1;
        }
    }
    Ok(out)
}

struct CustomerCols {
    cust: usize,
    category: usize,
    price: usize,
    billing: usize,
    capacity: usize,
    phone: usize,
    status: usize,
    opened: usize,
    hslm: usize,
}

/// Writes customers.csv with the picked customers' edits.
pub fn customers(
    from: &Path,
    out_dir: &Path,
    plan: &Plan,
    busy: &HashSet<Vec<u8>>,
    meters: &HashMap<Vec<u8>, u32>,
    progress: Report,
) -> Result<Archive> {
    let mut inp = Input::open(from, "customers.csv")?;
    let cols = CustomerCols {
        cust: inp.col("cust_no")?,
        category: inp.col("category")?,
        price: inp.col("price_code")?,
        billing: inp.col("billing_mode")?,
        capacity: inp.col("capacity_kva")?,
        phone: inp.col("phone")?,
        status: inp.col("status")?,
        opened: inp.col("opened_on")?,
        hslm: inp.col("hslm")?,
    };
    let mut out = delta_csv::create(out_dir, "customers.csv", &inp.header)?;
    let mut a = Archive::default();
    while inp.next(progress)? {
        let index = a.customers;
        a.customers += 1;
        let cust = inp.field(cols.cust).to_vec();
        let active = inp.field(cols.status) == b"active";
        if !active {
            a.closed.insert(cust.clone());
        } else if crate::dates::period_of(inp.date(cols.opened)?) == plan.end {
            let first = FirstBill {
                mult: 1.0,
                capacity_kva: inp.num(cols.capacity)?,
                hslm: inp.field(cols.hslm) == b"1",
            };
            a.first_bills.insert(cust.clone(), first);
        }
        if !plan.picked(PICK_ARCHIVE, &cust, plan.edit_ratio) {
            delta_csv::write(&mut out, &inp.rec)?;
            continue;
        }
        let mut rng = plan.rng(EDIT_KIND, &cust);
        let single_meter = meters.get(&cust) == Some(&1);
        let edit = choose(
            &mut rng,
            active && !busy.contains(&cust),
            single_meter,
            inp.field(cols.category),
        );
        let backed = edit.watched() && rng.below(2) == 0;
        let rec = edit_customer(&inp, &cols, edit, &mut rng)?;
        let cust_text = String::from_utf8_lossy(&cust).into_owned();
        a.edited += 1;
        if edit.watched() {
            a.watched += 1;
        }
        if backed {
            a.backed += 1;
            let (accepted_on, completed_on) = plan.basis();
            let (kind, limit_days) = if edit == Edit::Capacity {
                ("increase", 15)
            } else {
                ("change", 10)
            };
            a.apps.push(NewApp {
                app_no: format!("YK{:010}N{}", index + 1, plan.period.replace('-', "")),
                cust_no: cust_text.clone(),
                kind,
                accepted_on,
                completed_on,
                limit_days,
            });
        } else if edit.watched() && edit != Edit::Meter {
            for (field, i) in [
                ("category", cols.category),
                ("price_code", cols.price),
                ("billing_mode", cols.billing),
                ("capacity_kva", cols.capacity),
            ] {
                if rec.get(i) != inp.rec.get(i) {
                    a.his02.push((cust_text.clone(), field.to_string()));
                }
            }
        }
        if edit == Edit::Meter {
            a.meter_edits.insert(cust.clone(), backed);
            a.meter_factor.insert(cust, 2.0);
        }
        delta_csv::write(&mut out, &rec)?;
    }
    delta_csv::finish(out)?;
    Ok(a)
}

/// The edit of a picked customer: a watched field only where HIS-02 judges the change (an
/// active customer) and no earlier application could back it by chance (`free`).
fn choose(rng: &mut Rng, free: bool, single_meter: bool, category: &[u8]) -> Edit {
    if !free {
        return Edit::Phone;
    }
    match rng.below(10) {
        0..=2 => Edit::Capacity,
        3 if category != b"large_industry" => Edit::Category,
        3 => Edit::Capacity,
        4 => Edit::Billing,
        5..=7 if single_meter => Edit::Meter,
        5..=7 => Edit::Capacity,
        _ => Edit::Phone,
    }
}

fn edit_customer(
    inp: &Input,
    cols: &CustomerCols,
    edit: Edit,
    rng: &mut Rng,
) -> Result<csv::ByteRecord> {
    Ok(match edit {
        Edit::Capacity => {
            let cap = inp.num(cols.capacity)?;
            let step = ((cap / 4.0 / 5.0).round() * 5.0).max(50.0);
            replaced(&inp.rec, &[(cols.capacity, plain(cap + step).as_bytes())])
        }
        Edit::Category => {
            let (cat, price): (&[u8], &[u8]) = match inp.field(cols.category) {
                b"commercial" => (b"resident", b"RES"),
                _ => (b"commercial", b"COM"),
            };
            replaced(&inp.rec, &[(cols.category, cat), (cols.price, price)])
        }
        Edit::Billing => {
            let to: &[u8] = match inp.field(cols.billing) {
                b"two_part" => b"single",
                _ => b"two_part",
            };
            replaced(&inp.rec, &[(cols.billing, to)])
        }
        Edit::Meter => inp.rec.clone(),
        Edit::Phone => {
            let mut phone = names::mobile(rng);
            if phone.as_bytes() == inp.field(cols.phone) {
                phone = names::landline(rng);
            }
            replaced(&inp.rec, &[(cols.phone, phone.as_bytes())])
        }
    })
}

/// Writes meters.csv: a meter edit doubles the CT ratio and with it the multiplier; notes the
/// multiplier of the customers first billed in the new period.
pub fn meters(from: &Path, out_dir: &Path, a: &mut Archive, progress: Report) -> Result<()> {
    if !from.join("meters.csv").exists() {
        return Ok(());
    }
    let mut inp = Input::open(from, "meters.csv")?;
    let (no, cust, ct, mult) = (
        inp.col("meter_no")?,
        inp.col("cust_no")?,
        inp.col("ct_ratio")?,
        inp.col("multiplier")?,
    );
    let mut out: Out = delta_csv::create(out_dir, "meters.csv", &inp.header)?;
    while inp.next(progress)? {
        let c = inp.field(cust);
        if let Some(first) = a.first_bills.get_mut(c) {
            first.mult = inp.num(mult)?;
        }
        let Some(&backed) = a.meter_edits.get(c) else {
            delta_csv::write(&mut out, &inp.rec)?;
            continue;
        };
        let factor = a.meter_factor.get(c).copied().unwrap_or(1.0);
        let (new_ct, new_mult) = (plain(inp.num(ct)? * factor), plain(inp.num(mult)? * factor));
        if !backed {
            let cust_text = String::from_utf8_lossy(c).into_owned();
            for field in ["ct_ratio", "multiplier"] {
                a.his02
                    .push((cust_text.clone(), format!("meter {}:{field}", inp.text(no))));
            }
        }
        let rec = replaced(
            &inp.rec,
            &[(ct, new_ct.as_bytes()), (mult, new_mult.as_bytes())],
        );
        delta_csv::write(&mut out, &rec)?;
    }
    delta_csv::finish(out)
}

/// Customers with an application completed within `basis_days` before any day of the import
/// month: a change of theirs could be backed by it, so the delta changes no watched field of
/// theirs (the expected findings then hold for every import date of that month).
pub fn busy_customers(from: &Path, plan: &Plan, progress: Report) -> Result<HashSet<Vec<u8>>> {
    let mut out = HashSet::new();
    if !from.join("applications.csv").exists() {
        return Ok(out);
    }
    let mut inp = Input::open(from, "applications.csv")?;
    let (cust, done) = (inp.col("cust_no")?, inp.col("completed_on")?);
    let from_day = plan.first - TimeDelta::days(plan.basis_days);
    while inp.next(progress)? {
        if inp.field(done).is_empty() || inp.field(cust).is_empty() {
            continue;
        }
        let d = inp.date(done)?;
        if from_day <= d && d <= plan.last {
            out.insert(inp.field(cust).to_vec());
        }
    }
    Ok(out)
}
