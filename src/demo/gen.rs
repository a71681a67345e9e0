//! One customer at a time: its archive row, meters, a bill per month, suspensions, contracts,
//! applications and external findings, written straight to the CSV writers (nothing is kept
//! per customer beyond one small history of monthly kWh, reused across customers).
//!
//! Natural customers are generated clean: every built-in rule stays silent on them for a scan
//! as of any day in the month after `end_period` (the bounds that guarantee it are noted where
//! the values are drawn). Planted cases (`plant.rs`) then break exactly one rule each, or sit
//! exactly on a threshold on the non-firing side; each is commented with the condition it meets.

use super::names::{self, DISTRICTS};
use super::plant::{Case, EXTERNAL, YOY_MONTHS};
use super::rng::Rng;
use super::{Ctx, Writers};
use crate::dates::years_before;
use chrono::{Datelike, Months, NaiveDate, TimeDelta};
use std::io::Write;

/// One CSV record assembled in a reused buffer, so that streaming millions of rows allocates
/// nothing per row.
pub struct Row {
    buf: String,
    ends: Vec<usize>,
}

impl Row {
    pub fn new() -> Row {
        Row {
            buf: String::with_capacity(512),
            ends: Vec::with_capacity(20),
        }
    }

    fn start(&mut self) -> &mut Row {
        self.buf.clear();
        self.ends.clear();
        self
    }

    fn end_field(&mut self) -> &mut Row {
        self.ends.push(self.buf.len());
        self
    }

    fn s(&mut self, v: &str) -> &mut Row {
        self.buf.push_str(v);
        self.end_field()
    }

    fn i(&mut self, v: i64) -> &mut Row {
        if v < 0 {
            self.buf.push('-');
        }
        push_digits(&mut self.buf, v.unsigned_abs(), 1);
        self.end_field()
    }

    /// An amount in 元 from cents, always with two decimals.
    fn cents(&mut self, c: i64) -> &mut Row {
        if c < 0 {
            self.buf.push('-');
        }
        let a = c.unsigned_abs();
        push_digits(&mut self.buf, a / 100, 1);
        self.buf.push('.');
        push_digits(&mut self.buf, a % 100, 2);
        self.end_field()
    }

    fn date(&mut self, d: NaiveDate) -> &mut Row {
        push_digits(&mut self.buf, d.year().unsigned_abs() as u64, 4);
        self.buf.push('-');
        push_digits(&mut self.buf, u64::from(d.month()), 2);
        self.buf.push('-');
        push_digits(&mut self.buf, u64::from(d.day()), 2);
        self.end_field()
    }

    fn opt_date(&mut self, d: Option<NaiveDate>) -> &mut Row {
        match d {
            Some(d) => self.date(d),
            None => self.end_field(),
        }
    }

    fn bit(&mut self, b: bool) -> &mut Row {
        self.s(if b { "1" } else { "0" })
    }

    fn write<W: Write>(&self, w: &mut csv::Writer<W>) -> csv::Result<()> {
        let mut start = 0;
        w.write_record(self.ends.iter().map(|&end| {
            let field = &self.buf[start..end];
            start = end;
            field
        }))
    }
}

/// Where a customer's rows go, with the buffers reused from one customer to the next.
pub struct Sink {
    pub w: Writers,
    pub row: Row,
    /// Monthly kWh of the current customer by month of the window (None: no bill).
    pub hist: Vec<Option<i64>>,
    pub tally: Tally,
}

/// Decimal digits of `v`, zero-padded to `width`, without going through `core::fmt` (the
/// bills file is mostly numbers, and this is the hot loop of a million-customer export).
fn push_digits(buf: &mut String, mut v: u64, width: usize) {
    let mut tmp = [0u8; 20];
    let mut k = tmp.len();
    loop {
        k -= 1;
        tmp[k] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for _ in (tmp.len() - k)..width {
        buf.push('0');
    }
    buf.push_str(std::str::from_utf8(&tmp[k..]).expect("ASCII digits"));
}

/// Row counts per file.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    pub meters: u64,
    pub bills: u64,
    pub suspensions: u64,
    pub contracts: u64,
    pub applications: u64,
    pub external: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cat {
    Resident,
    Commercial,
    Industry,
    Agriculture,
}

impl Cat {
    fn as_str(self) -> &'static str {
        match self {
            Cat::Resident => "resident",
            Cat::Commercial => "commercial",
            Cat::Industry => "large_industry",
            Cat::Agriculture => "agriculture",
        }
    }

    fn price(self) -> &'static str {
        match self {
            Cat::Resident => "RES",
            Cat::Commercial => "COM",
            Cat::Industry => "IND",
            Cat::Agriculture => "AGR",
        }
    }

    /// Tariff in 1/10,000 元 per kWh.
    fn tariff(self) -> i64 {
        match self {
            Cat::Resident => 5380,
            Cat::Commercial => 7500,
            Cat::Industry => 6500,
            Cat::Agriculture => 5000,
        }
    }

    /// Monthly consumption factors, January first. Bounded so that with the noise below no
    /// natural month is a BIL-03 surge (> 3.0×) or drop (< 0.3×) against the mean of the
    /// three months before it, nor a year-on-year fall below 0.5× (THF-01): the widest swings
    /// are residents' July vs April–June (≤ 2.1×) and October vs July–September (≥ 0.47×).
    fn season(self) -> &'static [f64; 12] {
        match self {
            Cat::Resident => &[
                1.35, 1.25, 0.95, 0.85, 0.85, 1.05, 1.5, 1.6, 1.1, 0.85, 0.95, 1.25,
            ],
            Cat::Commercial => &[
                1.0, 0.8, 1.0, 1.0, 1.05, 1.15, 1.25, 1.25, 1.1, 1.0, 1.0, 1.05,
            ],
            Cat::Industry => &[
                1.0, 0.85, 1.0, 1.0, 1.0, 1.0, 1.05, 1.05, 1.0, 1.0, 1.0, 1.0,
            ],
            Cat::Agriculture => &[0.7, 0.7, 0.8, 1.0, 1.2, 1.4, 1.6, 1.6, 1.2, 0.9, 0.8, 0.7],
        }
    }

    fn noise(self) -> f64 {
        match self {
            Cat::Resident | Cat::Agriculture => 0.12,
            Cat::Commercial => 0.10,
            Cat::Industry => 0.08,
        }
    }
}

/// Planted customers consume steadily (±5 %), so that the one month a case changes is the
/// only month that can cross a threshold.
const FLAT: [f64; 12] = [1.0; 12];
const FLAT_NOISE: f64 = 0.05;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kv {
    V022,
    V038,
    V10,
    V35,
    V110,
}

impl Kv {
    fn as_str(self) -> &'static str {
        match self {
            Kv::V022 => "0.22",
            Kv::V038 => "0.38",
            Kv::V10 => "10",
            Kv::V35 => "35",
            Kv::V110 => "110",
        }
    }

    fn is_low(self) -> bool {
        matches!(self, Kv::V022 | Kv::V038)
    }
}

#[derive(Debug, Clone, Copy)]
struct Elec {
    kv: Kv,
    cap: i64,
    hslm: bool,
    pf: &'static str,
    billing: &'static str,
}

const fn low(kv: Kv, cap: i64) -> Elec {
    Elec {
        kv,
        cap,
        hslm: false,
        pf: "",
        billing: "single",
    }
}

const fn high(kv: Kv, cap: i64, hslm: bool, pf: &'static str, billing: &'static str) -> Elec {
    Elec {
        kv,
        cap,
        hslm,
        pf,
        billing,
    }
}

struct Meter {
    model: &'static str,
    ct: i64,
    pt: i64,
    mult: i64,
    installed: NaiveDate,
    verified: Option<NaiveDate>,
}

/// CT ratio for low-voltage metering: primary current ≥ 1.2 × the full-load current
/// (≈ 1.52 A per kVA at 380 V), from the standard primaries, over 5 A.
fn lv_ct(cap: i64) -> i64 {
    const PRIMARY: [i64; 13] = [
        50, 75, 100, 150, 200, 300, 400, 500, 600, 800, 1000, 1500, 2000,
    ];
    let need = cap as f64 * 1.52 * 1.2;
    PRIMARY
        .iter()
        .copied()
        .find(|&p| p as f64 >= need)
        .unwrap_or(2000)
        / 5
}

/// CT ratio for high-voltage metering.
fn hv_ct(cap: i64, kv: Kv) -> i64 {
    const PRIMARY: [i64; 16] = [
        10, 15, 20, 30, 40, 50, 75, 100, 150, 200, 300, 400, 600, 800, 1000, 1500,
    ];
    let volts = match kv {
        Kv::V35 => 35.0,
        Kv::V110 => 110.0,
        _ => 10.0,
    };
    let need = cap as f64 / (1.732 * volts) * 1.2;
    PRIMARY
        .iter()
        .copied()
        .find(|&p| p as f64 >= need)
        .unwrap_or(1500)
        / 5
}

fn pt_of(kv: Kv) -> i64 {
    match kv {
        Kv::V10 => 100,
        Kv::V35 => 350,
        Kv::V110 => 1100,
        _ => 1,
    }
}

fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    d + TimeDelta::days(n)
}

fn rand_date(rng: &mut Rng, lo: NaiveDate, hi: NaiveDate) -> NaiveDate {
    if hi <= lo {
        return lo;
    }
    add_days(lo, rng.range(0, (hi - lo).num_days()))
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The date of day `day` (clamped to 28) of the period with month index `pidx`.
fn day_of_period(pidx: i32, day: u32) -> NaiveDate {
    ymd(
        pidx.div_euclid(12),
        pidx.rem_euclid(12) as u32 + 1,
        day.min(28),
    )
}

fn period_index_of(d: NaiveDate) -> i32 {
    d.year() * 12 + d.month0() as i32
}

fn random_cat(rng: &mut Rng) -> Cat {
    match rng.below(100) {
        0..=84 => Cat::Resident,
        85..=94 => Cat::Commercial,
        95..=96 => Cat::Industry,
        _ => Cat::Agriculture,
    }
}

/// Natural supply voltage, capacity and billing for a category, all inside every archive rule:
/// 220 V ≤ 10 kVA, 380 V ≤ 80 kVA for non-residents (no power-factor standard needed below
/// 100 kVA), 10 kV ≤ 6300 kVA with a standard set, two-part billing for large industry and for
/// commercial ≥ 315 kVA, and 高供低计 only up to 400 kVA.
fn electrical(cat: Cat, big_resident: bool, rng: &mut Rng) -> Elec {
    match cat {
        Cat::Resident if big_resident => low(Kv::V022, *rng.pick(&[8, 10])),
        Cat::Resident if rng.chance(0.9) => low(Kv::V022, *rng.pick(&[4, 4, 6, 6, 8, 10])),
        Cat::Resident => low(Kv::V038, *rng.pick(&[12, 15, 20, 25, 30])),
        Cat::Commercial if rng.chance(0.75) => {
            low(Kv::V038, *rng.pick(&[10, 15, 20, 30, 40, 50, 63, 80]))
        }
        Cat::Commercial => {
            let cap = *rng.pick(&[160, 200, 250, 315, 400, 500, 630]);
            let billing = if cap >= 315 { "two_part" } else { "single" };
            // 0.85: the standard due for a commercial customer (ARC-15).
            high(Kv::V10, cap, cap <= 400, "0.85", billing)
        }
        Cat::Industry => {
            let (kv, cap) = match rng.below(20) {
                0..=13 => (
                    Kv::V10,
                    *rng.pick(&[
                        315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500, 3150, 4000, 5000,
                        6300,
                    ]),
                ),
                14..=18 => (
                    Kv::V35,
                    *rng.pick(&[3150, 5000, 6300, 8000, 10000, 12500, 16000, 20000]),
                ),
                _ => (Kv::V110, *rng.pick(&[20000, 31500, 40000, 50000, 63000])),
            };
            high(kv, cap, kv == Kv::V10 && cap <= 400, "0.90", "two_part")
        }
        Cat::Agriculture if rng.chance(0.85) => {
            low(Kv::V038, *rng.pick(&[10, 15, 20, 30, 40, 50, 63, 80]))
        }
        Cat::Agriculture => high(
            Kv::V10,
            *rng.pick(&[100, 125, 160, 200, 250]),
            true,
            "0.80",
            "single",
        ),
    }
}

/// The main meter that fits the supply: direct up to 40 kVA at low voltage, CT on the low side
/// for larger low-voltage and 高供低计 supplies, CT × PT on the high side otherwise.
fn standard_meter(e: &Elec, rng: &mut Rng) -> (&'static str, i64, i64) {
    match e.kv {
        Kv::V022 => (
            if rng.chance(0.7) {
                "DDZY666"
            } else {
                "DDZY285C"
            },
            1,
            1,
        ),
        _ if e.kv.is_low() || e.hslm => {
            let model = if rng.chance(0.7) {
                "DTZY341"
            } else {
                "DTZY1296"
            };
            let ct = if e.kv.is_low() && e.cap <= 40 {
                1
            } else {
                lv_ct(e.cap)
            };
            (model, ct, 1)
        }
        kv => ("DSZY331", hv_ct(e.cap, kv), pt_of(kv)),
    }
}

/// Everything about a customer that the rows are written from.
struct Customer {
    cust_no: String,
    name: String,
    address: String,
    contact: String,
    phone: String,
    cat: Cat,
    price: &'static str,
    elec: Elec,
    temporary: bool,
    district: &'static str,
    station: &'static str,
    opened_on: NaiveDate,
    closed_on: Option<NaiveDate>,
    meters: Vec<Meter>,
    base: f64,
    season: &'static [f64; 12],
    noise: f64,
    tariff: i64,
    read_day: u32,
    reading: i64,
    arrears: bool,
}

/// Customers (and what hangs off them) for one index.
pub fn customer(i: u64, slot: Option<(Case, u32)>, ctx: &Ctx, out: &mut Sink) -> csv::Result<()> {
    let mut rng = Rng::stream(ctx.seed, 1, i);
    let case = slot.map(|s| s.0);
    let nth = slot.map_or(0, |s| s.1);
    let n = ctx.months as usize;
    // Mid-history month for single-month plants: three periods exist before it, and it lies
    // before the latest three periods that THF-01 looks at.
    let pt = 3 + rng.below(n as u64 - 6) as usize;
    let c = build(i, case, nth, ctx, &mut rng);
    write_customer(&c, out)?;
    for (k, m) in c.meters.iter().enumerate() {
        out.row
            .start()
            .s(&meter_no(i, k))
            .s(&c.cust_no)
            .s(m.model)
            .i(m.ct)
            .i(m.pt)
            .i(m.mult)
            .date(m.installed)
            .opt_date(m.verified)
            .write(&mut out.w.meters)?;
        out.tally.meters += 1;
    }
    bills(&c, case, nth, pt, ctx, &mut rng, out)?;
    suspensions(&c, case, nth, pt, ctx, &mut rng, out)?;
    contracts(&c, case, nth, ctx, &mut rng, out)?;
    applications(i, &c, case, nth, ctx, &mut rng, out)?;
    // An external finding: the Ext cases'; THF-01's metering event (电能表失压) for Thf6,
    // detected within 25 days of the end of end_period (inside theft_event_days 92 of any D of
    // the next month), and for its near miss 93–120 days before the first day of that month
    // (outside the window for every D of it).
    let event = match case {
        Some(Case::Ext(k)) => Some((k, add_days(ctx.end_last, -rng.range(0, 25)))),
        Some(Case::Thf6) => Some((0, add_days(ctx.end_last, -rng.range(0, 25)))),
        Some(Case::ThfEventNear) => Some((0, add_days(ctx.next_first, -rng.range(93, 120)))),
        _ => None,
    };
    if let Some((k, detected_on)) = event {
        let x = &EXTERNAL[k as usize];
        let subject = if x.by_meter {
            meter_no(i, 0)
        } else {
            ctx.end_period.clone()
        };
        out.row
            .start()
            .s(x.source)
            .s(x.code)
            .s(x.name)
            .s(&c.cust_no)
            .s(&subject)
            .date(detected_on)
            .s(x.severity)
            .s(x.evidence)
            .write(&mut out.w.external)?;
        out.tally.external += 1;
    }
    Ok(())
}

fn meter_no(i: u64, k: usize) -> String {
    format!("3330001{:012}{:03}", i + 1, k + 1)
}

fn write_customer(c: &Customer, out: &mut Sink) -> csv::Result<()> {
    out.row
        .start()
        .s(&c.cust_no)
        .s(&c.name)
        .s(&c.address)
        .s(&c.contact)
        .s(&c.phone)
        .s(c.cat.as_str())
        .s(c.price)
        .s(c.elec.billing)
        .s(c.elec.kv.as_str())
        .i(c.elec.cap)
        .s(c.elec.pf)
        .bit(c.elec.hslm)
        .bit(c.temporary)
        .s(c.station)
        .s(c.district)
        .date(c.opened_on)
        .s(if c.closed_on.is_some() {
            "closed"
        } else {
            "active"
        })
        .opt_date(c.closed_on)
        .write(&mut out.w.customers)
}

#[allow(clippy::too_many_lines)] // one short arm per planted case
fn build(i: u64, case: Option<Case>, nth: u32, ctx: &Ctx, rng: &mut Rng) -> Customer {
    use Case::*;
    let n = ctx.months as i64;
    let district = &DISTRICTS[rng.below(DISTRICTS.len() as u64) as usize];
    let station = rng.pick(district.stations);

    // The category a case needs; natural customers draw the ~85/10/2/3 mix.
    let cat = match (case, nth) {
        (Some(Arc02 | Arc02Near), 0) => Cat::Resident,
        (Some(Arc02 | Arc02Near), 1) => Cat::Commercial,
        (Some(Arc02 | Arc02Near), _) => Cat::Industry,
        (Some(Arc03), 0) => Cat::Resident,
        (Some(Arc03), 1) => Cat::Commercial,
        (Some(Arc03), _) => Cat::Agriculture,
        (
            Some(Arc04 | Arc04Near | Arc09 | Arc09Near | Bil01 | Bil01Near | Bil02 | Bil02Near),
            _,
        ) => Cat::Resident,
        (Some(Bil04 | Bil04Near | Bil0506Near | Bil05 | Bil06 | Bil07 | Bil07Near), _) => {
            Cat::Resident
        }
        (Some(Bil03), k) if k % 2 == 1 => Cat::Resident,
        (Some(Arc06 | Arc06Near | Arc08 | Arc08Near | Bil03 | Bil03Near), _) => Cat::Commercial,
        (Some(Bil08 | Bil08Near | Bil09 | Bil09Near | Bil10 | Bil10Near), _) => Cat::Commercial,
        (Some(Thf4 | Thf3 | Thf2 | Thf1 | ThfNear), _) => Cat::Commercial,
        (Some(Bil11 | Bil11Near | Bil12 | Bil12Near | Bil13 | Bil13Near), _) => Cat::Commercial,
        (Some(Bil14 | Bil14Near | Bil08SuspNear | Thf6 | ThfEventNear), _) => Cat::Commercial,
        (Some(Arc07), k) if k % 2 == 1 => Cat::Agriculture,
        (Some(Arc07 | Arc07Near), _) => Cat::Commercial,
        (Some(Mtr03), 0 | 1) | (Some(Mtr03Near), 0) => Cat::Resident,
        (Some(Mtr03 | Mtr03Near), _) => Cat::Commercial,
        (Some(Mtr01), 0) => Cat::Commercial,
        (Some(Arc05 | Mtr01 | Mtr01Near | Mtr04 | Mtr04Near), _) => Cat::Industry,
        (Some(Sus01 | Sus01Near | Sus02 | Sus02Near | Sus03 | Sus03Near), _) => Cat::Industry,
        (Some(Arc11 | Arc11Near | Svc01 | Svc01Near), _) | (Some(Arc14), 1) => Cat::Commercial,
        (Some(Arc14 | Arc14Near), _) => Cat::Resident,
        (Some(Arc13 | Sus04 | Sus04Near), _) | (Some(Arc13Near), 0) => Cat::Industry,
        (Some(Arc13Near), _) | (Some(Arc15), 2) => Cat::Commercial,
        (Some(Arc15), 0) => Cat::Agriculture,
        (Some(Arc15 | Arc15Near), _) => Cat::Industry,
        _ => random_cat(rng),
    };

    // Resident consumption: most 60–300 kWh a month, some 300–700, 1 % big users up to 1,200
    // (at most 1,200 × 1.6 × 1.12 ≈ 2,150 < resident_max_kwh 3,000, and within 4 kVA × 744).
    let (resident_base, big) = match rng.below(100) {
        0..=89 => (60.0 + rng.unit() * 240.0, false),
        90..=98 => (300.0 + rng.unit() * 400.0, false),
        _ => (900.0 + rng.unit() * 300.0, true),
    };
    let mut elec = electrical(cat, big, rng);
    // Planted shapes. Each line states the archive condition it meets.
    elec = match (case, nth) {
        // ARC-02: 220 V with 15 kVA > low220_max_kva 10.
        (Some(Arc02), 0) => low(Kv::V022, 15),
        // ARC-02: 380 V with 160 kVA > low380_max_kva 100 (power factor set: ARC-07 silent).
        (Some(Arc02), 1) => Elec {
            pf: "0.85",
            ..low(Kv::V038, 160)
        },
        // ARC-02: 10 kV with 10,000 kVA > mv10_max_kva 8,000.
        (Some(Arc02), _) => high(Kv::V10, 10000, false, "0.90", "two_part"),
        // Near ARC-02: exactly 10 kVA at 220 V, 100 kVA at 380 V, 8,000 kVA at 10 kV (≤, silent).
        (Some(Arc02Near), 0) => low(Kv::V022, 10),
        (Some(Arc02Near), 1) => Elec {
            pf: "0.85",
            ..low(Kv::V038, 100)
        },
        (Some(Arc02Near), _) => high(Kv::V10, 8000, false, "0.90", "two_part"),
        // ARC-05: large industry billed single-part.
        (Some(Arc05), _) => Elec {
            billing: "single",
            ..elec
        },
        // ARC-06: commercial 400 / 500 kVA ≥ large_industry_min_kva 315, billed single-part.
        (Some(Arc06), k) => high(
            Kv::V10,
            [400, 500][k as usize % 2],
            k.is_multiple_of(2),
            "0.85",
            "single",
        ),
        // Near ARC-06: 315 kVA but two-part; 250 kVA (< 315) single-part.
        (Some(Arc06Near), 0) => high(Kv::V10, 315, true, "0.85", "two_part"),
        (Some(Arc06Near), _) => high(Kv::V10, 250, true, "0.85", "single"),
        // ARC-07: non-resident 200 kVA (10 kV) / 100 kVA (380 V, exactly pf_min_kva) without a
        // power-factor standard.
        (Some(Arc07), k) if k % 2 == 1 => low(Kv::V038, 100),
        (Some(Arc07), _) => high(Kv::V10, 200, true, "", "single"),
        // Near ARC-07: 98 kVA < pf_min_kva 100, no standard.
        (Some(Arc07Near), _) => low(Kv::V038, 98),
        // Commercial 380 V, 30 kVA on a direct meter: room for a 4.5× surge below 30 × 744.
        (Some(Bil03 | Bil03Near), _) if cat == Cat::Commercial => low(Kv::V038, 30),
        (Some(Bil07 | Bil07Near), _) => low(Kv::V022, 10),
        (Some(Bil08 | Bil08Near), _) => high(Kv::V10, 200, true, "0.85", "single"),
        (Some(Bil09 | Bil09Near), _) => low(Kv::V038, 50),
        (Some(Bil10 | Bil10Near), _) => Elec {
            pf: "0.85",
            ..low(Kv::V038, 100)
        },
        (Some(Thf4 | Thf3 | Thf2 | Thf1 | ThfNear | Mtr01), 0..) if cat == Cat::Commercial => {
            low(Kv::V038, 80)
        }
        // Issue 12: BIL-13 on a 30 kVA direct meter as BIL-03; BIL-12 and BIL-14 at 100 kVA
        // (CT 200/5 = 40; exactly low_load_min_kva); BIL-08 near miss as BIL-08; THF-01 with
        // the event as the other THF-01 cases.
        (Some(Bil13 | Bil13Near), _) => low(Kv::V038, 30),
        (Some(Bil12 | Bil12Near | Bil14 | Bil14Near), _) => Elec {
            pf: "0.85",
            ..low(Kv::V038, 100)
        },
        (Some(Bil08SuspNear), _) => high(Kv::V10, 200, true, "0.85", "single"),
        (Some(Thf6 | ThfEventNear), _) => low(Kv::V038, 80),
        // Near MTR-01: 35 kV, 3,150 kVA → CT 75/5 = 15, PT 35000/100 = 350, multiplier 5,250.
        (Some(Mtr01Near), _) => high(Kv::V35, 3150, false, "0.90", "two_part"),
        // MTR-04: 630 kVA ≥ hslm_max_kva 500 metered on the low side.
        (Some(Mtr04), _) => high(Kv::V10, 630, true, "0.90", "two_part"),
        // Near MTR-04: 400 kVA, the largest standard transformer below 500, 高供低计.
        (Some(Mtr04Near), _) => high(Kv::V10, 400, true, "0.90", "two_part"),
        (Some(Mtr03), 0 | 1) | (Some(Mtr03Near), 0) => low(Kv::V022, 6),
        (Some(Mtr03 | Mtr03Near), _) => low(Kv::V038, 30),
        // MTR-01 on an HV meter: 10 kV, 1,000 kVA, metered on the high side (CT 75/5 × PT 100).
        (Some(Mtr01), _) if cat == Cat::Industry => high(Kv::V10, 1000, false, "0.90", "two_part"),
        (Some(Arc03), 2) | (Some(Arc08 | Arc08Near), _) => low(Kv::V038, 40),
        // SVC-01 cases on a 380 V supply, so that no application of theirs is an ARC-13 focus.
        (Some(Svc01 | Svc01Near), _) => low(Kv::V038, 40),
        // Near ARC-13: 100 kVA (≥ focus_min_kva) but at 380 V, below 10 kV.
        (Some(Arc13Near), 1) => Elec {
            pf: "0.85",
            ..low(Kv::V038, 100)
        },
        // ARC-15: agriculture on 0.85 (0.80 due); large industry at 10 kV, 400 kVA on 0.85
        // (0.90 due); commercial at 10 kV on 0.90 (0.85 due).
        (Some(Arc15), 0) => high(Kv::V10, 160, true, "0.85", "single"),
        (Some(Arc15), 1) => high(Kv::V10, 400, true, "0.85", "two_part"),
        (Some(Arc15), _) => high(Kv::V10, 200, true, "0.90", "single"),
        // Near ARC-15: large industry at 10 kV and exactly pf_high_min_kva 160 kVA on 0.90;
        // at 125 kVA (< 160) on 0.85.
        (Some(Arc15Near), 0) => high(Kv::V10, 160, true, "0.90", "two_part"),
        (Some(Arc15Near), _) => high(Kv::V10, 125, true, "0.85", "two_part"),
        _ => elec,
    };

    let town = station.town;
    let mut name = match cat {
        Cat::Resident => names::person(rng),
        Cat::Commercial => names::commercial_name(rng, town),
        Cat::Industry => names::industry_name(rng, town),
        Cat::Agriculture => names::agriculture_name(rng, town),
    };
    let mut price = cat.price();
    match (case, nth) {
        // ARC-03: category and tariff disagree (resident on COM, commercial on IND,
        // agriculture on RES — named without any business keyword, so ARC-04 stays silent).
        (Some(Arc03), 0) => price = "COM",
        (Some(Arc03), 1) => price = "IND",
        (Some(Arc03), _) => {
            price = "RES";
            name = format!("{}村灌溉站", names::village(rng));
        }
        // ARC-04: resident tariff (RES) with 饭店 / 超市 / 批发 in the name.
        (Some(Arc04), 0) => name = format!("{}记饭店", names::surname(rng)),
        (Some(Arc04), 1) => name = format!("{}{}超市", names::town_word(town), names::brand(rng)),
        (Some(Arc04), _) => name = format!("{}{}批发部", names::town_word(town), names::brand(rng)),
        // Near ARC-04: surnames 公孙 and 商 hold 公 and 商 but no keyword (公司, 商行, 商店).
        (Some(Arc04Near), 0) => name = format!("公孙{}", names::given(rng)),
        (Some(Arc04Near), _) => name = format!("商{}", names::given(rng)),
        (Some(Arc08 | Arc08Near), _) => {
            name = format!("杭州{}建设工程有限公司（施工临时用电）", names::brand(rng))
        }
        _ => {}
    }
    let residence = cat == Cat::Resident;
    let mut address = names::address(rng, district.name, station, residence);
    match (case, nth) {
        // ARC-12: empty; 5 code points (< address_min_chars 6); no keyword of address_keywords.
        (Some(Arc12), 0) => address.clear(),
        (Some(Arc12), 1) => address = "西湖区3号".into(),
        (Some(Arc12), _) => address = format!("杭州市{}文三", district.name),
        // Near ARC-12: exactly 6 code points, with 路 and 号.
        (Some(Arc12Near), _) => address = "文三路88号".into(),
        _ => {}
    }
    let mut contact = if residence && case != Some(Arc04) {
        name.clone()
    } else {
        names::person(rng)
    };
    let mut phone = if rng.chance(if residence { 0.92 } else { 0.7 }) {
        names::mobile(rng)
    } else {
        names::landline(rng)
    };
    match (case, nth) {
        // ARC-01: contact empty; phone empty; a mobile one digit short; a mobile with a
        // full-width digit (full-width digits are not digits).
        (Some(Arc01), 0) => contact.clear(),
        (Some(Arc01), 1) => phone.clear(),
        (Some(Arc01), 2) => {
            phone = names::mobile(rng);
            phone.pop();
        }
        (Some(Arc01), _) => {
            phone = names::mobile(rng);
            phone.pop();
            phone.push('８');
        }
        // Near ARC-01: landline with a 7-digit local number; 2-digit area code without `-`.
        (Some(Arc01Near), 0) => phone = format!("0571-8{:06}", rng.below(1_000_000)),
        (Some(Arc01Near), _) => phone = format!("0106{:07}", rng.below(10_000_000)),
        _ => {}
    }

    // Dates. Natural customers opened long before the window; a few are new, closed or
    // temporary. Planted customers are plain long-standing accounts unless the case says.
    let window_first = day_of_period(ctx.first_idx, 1);
    let long_ago_hi = add_days(window_first, -400);
    let mut opened_on = rand_date(rng, ymd(1995, 1, 1), long_ago_hi);
    let mut closed_on = None;
    let mut temporary = false;
    let mut arrears = false;
    let closed_in = |rng: &mut Rng, lo: i64| {
        let t = rng.range(lo, n - 2) as i32;
        day_of_period(ctx.first_idx + t, rng.range(25, 28) as u32)
    };
    match case {
        None => match rng.below(1000) {
            // A new connection at 10 kV or above is completed (opened) more than
            // focus_recent_days 90 before the month of D, so it is no ARC-13 focus.
            0..=29 if !elec.kv.is_low() => {
                opened_on = rand_date(
                    rng,
                    add_days(window_first, 1),
                    add_days(ctx.next_first, -92),
                )
            }
            0..=29 => {
                opened_on = rand_date(rng, add_days(window_first, 1), add_days(ctx.end_last, -35))
            }
            30..=49 => closed_on = Some(closed_in(rng, 1)),
            50..=54 if cat == Cat::Commercial && elec.kv.is_low() => {
                // Temporary supply opened within two years: well inside temporary_max_years 3.
                temporary = true;
                opened_on = rand_date(
                    rng,
                    add_days(ctx.next_first, -700),
                    add_days(ctx.end_last, -40),
                );
                name = format!("杭州{}建设工程有限公司（施工临时用电）", names::brand(rng));
            }
            55..=74 => arrears = true,
            _ => {}
        },
        // ARC-08: temporary, opened 4–5 years before the month of D: opened_on < D − 3 years.
        Some(Arc08) => {
            temporary = true;
            opened_on = add_days(years_before(ctx.next_first, 4), -rng.range(0, 300));
        }
        // Near ARC-08: opened exactly 3 years before the last day of the month of D, so
        // opened_on ≥ D − 3 years for every D of that month.
        Some(Arc08Near) => {
            temporary = true;
            opened_on = years_before(ctx.next_last, 3);
        }
        // ARC-09 and closed near misses close inside the window.
        Some(Arc09 | Mtr05Near) => closed_on = Some(closed_in(rng, 3)),
        Some(Con01Near) if nth % 2 == 1 => closed_on = Some(closed_in(rng, 3)),
        // Near ARC-09: closed in the first month of the window, so it has exactly one bill.
        Some(Arc09Near) => closed_on = Some(day_of_period(ctx.first_idx, 27)),
        Some(Con01Near) => opened_on = rand_date(rng, ymd(1995, 1, 1), ymd(2005, 12, 31)),
        // ARC-10: opened in the window's first month (the earliest bill period), or in a
        // month up to four before the end; first billed two months later (`bills`), so
        // neither P nor P + 1 has a bill and the month of D is after P + 1.
        Some(Arc10) => {
            let k = if nth == 0 { 0 } else { rng.range(1, n - 4) };
            opened_on = day_of_period(ctx.first_idx + k as i32, rng.range(1, 28) as u32);
        }
        // Near ARC-10: opened in end_period, so the month of D is P + 1, not after it, and
        // no bill yet; opened in the month before the earliest bill period and first billed
        // in its second month (P is before the earliest period).
        Some(Arc10Near) if nth == 0 => {
            opened_on = day_of_period(ctx.first_idx + n as i32 - 1, rng.range(1, 28) as u32)
        }
        Some(Arc10Near) => opened_on = day_of_period(ctx.first_idx - 1, rng.range(1, 28) as u32),
        _ => {}
    }

    // Meters.
    let (model, ct, pt_ratio) = standard_meter(&elec, rng);
    let mut meter = Meter {
        model,
        ct,
        pt: pt_ratio,
        mult: ct * pt_ratio,
        installed: opened_on,
        verified: None,
    };
    let seven_years = years_before(ctx.next_first, 7);
    if opened_on < window_first {
        meter.installed = rand_date(
            rng,
            opened_on.max(years_before(ctx.next_first, 12)),
            add_days(ctx.end_last, -60),
        );
    }
    // Verified (or installed, when verified is empty) within the last seven years: inside
    // rotation_years 8 for any D.
    meter.verified = if meter.installed >= seven_years {
        (!rng.chance(0.3)).then_some(meter.installed)
    } else {
        Some(rand_date(rng, seven_years, add_days(ctx.end_last, -30)))
    };
    match (case, nth) {
        // MTR-01: multiplier ≠ CT × PT — CT 150/5 = 30 recorded as 20; a 10 kV HV meter whose
        // multiplier leaves out the PT (CT only). Bills use the recorded multiplier, so
        // BIL-10 stays silent. THF-01 cases carry the same mismatch as one of their signals.
        (Some(Mtr01 | Thf4 | Thf3 | Thf2 | Thf1 | Thf6 | ThfEventNear), _) if meter.ct == 30 => {
            meter.mult = 20
        }
        (Some(Mtr01), _) => meter.mult = meter.ct,
        // Bil10: CT 200/5 = 40 on the meter; one bill uses 30 (below).
        // MTR-02: verified 9 years and more before the month of D; installed 10 years before
        // with no verification date.
        (Some(Mtr02), k) if k.is_multiple_of(2) => {
            let v = add_days(years_before(ctx.next_first, 9), -rng.range(0, 400));
            meter.installed = add_days(v, -rng.range(100, 1500));
            meter.verified = Some(v);
        }
        (Some(Mtr02), _) => {
            meter.installed = add_days(years_before(ctx.next_first, 10), -rng.range(0, 300));
            meter.verified = None;
        }
        // Near MTR-02: verified exactly 8 years before the last day of the month of D, so
        // verified_on ≥ D − 8 years for every D of that month.
        (Some(Mtr02Near), _) => {
            let v = years_before(ctx.next_last, 8);
            meter.installed = add_days(v, -rng.range(0, 1500));
            meter.verified = Some(v);
        }
        // MTR-03: obsolete models (one in lower case: compared ignoring ASCII case).
        (Some(Mtr03), 0) => meter.model = "DD862",
        (Some(Mtr03), 1) => meter.model = "dd28",
        (Some(Mtr03), _) => meter.model = "DT8",
        // Near MTR-03: models that merely start like obsolete ones (not in the list).
        (Some(Mtr03Near), 0) => meter.model = "DD862-4",
        (Some(Mtr03Near), _) => meter.model = "DT862",
        _ => {}
    }
    // A meter replaced long ago (MTR-02 cases) means the account is at least as old.
    if opened_on < window_first {
        opened_on = opened_on.min(add_days(meter.installed, -1));
    }
    let mut meters = Vec::with_capacity(2);
    let has_meter = !matches!(case, Some(Mtr05 | Mtr05Near));
    let hv = !elec.kv.is_low() && !elec.hslm;
    // BIL-12 cases change the bill multiplier: a second meter keeps BIL-10 (one meter only)
    // out of it.
    let second = matches!(case, Some(Bil10Near | Bil12 | Bil12Near))
        || (case.is_none() && hv && rng.chance(0.2));
    if has_meter {
        // MTR-05: active customer with no meter row; near: a closed one (rules skip closed).
        meters.push(meter);
    }
    if second {
        // A second meter (sub-metered lighting): BIL-10 applies only with exactly one meter.
        // Fitted at the main meter's latest verification, so it is as recent as that one.
        let installed = meters[0].verified.unwrap_or(meters[0].installed);
        meters.push(Meter {
            model: "DTZY341",
            ct: 1,
            pt: 1,
            mult: 1,
            installed,
            verified: Some(installed),
        });
    }

    let planted = case.is_some();
    let base = match cat {
        _ if matches!(case, Some(Bil04 | Bil04Near | Bil0506Near)) => 25.0 + rng.unit() * 20.0,
        // Near ARC-14: at most 45 × 1.05 × 3 ≈ 142 kWh in the latest three bills (< 300).
        _ if case == Some(Arc14Near) && nth == 1 => 25.0 + rng.unit() * 20.0,
        _ if matches!(case, Some(Bil07 | Bil07Near)) => 2000.0 + rng.unit() * 300.0,
        _ if matches!(case, Some(Bil09 | Bil09Near)) => elec.cap as f64 * 744.0 * 0.6,
        // BIL-14: 13 hours of the capacity a month, so that one month just below 5 hours is
        // no BIL-03 / BIL-13 drop (≥ 0.3 × the mean).
        _ if matches!(case, Some(Bil14 | Bil14Near)) => elec.cap as f64 * 13.0,
        Cat::Resident if planted => {
            150.0 + rng.unit() * 250.0 + if case == Some(Bil03) { 150.0 } else { 0.0 }
        }
        Cat::Resident => resident_base,
        Cat::Commercial if planted => elec.cap as f64 * 744.0 * 0.15,
        Cat::Commercial => elec.cap as f64 * 744.0 * (0.08 + rng.unit() * 0.22),
        Cat::Industry => elec.cap as f64 * 744.0 * (0.2 + rng.unit() * 0.3),
        Cat::Agriculture => elec.cap as f64 * 744.0 * (0.05 + rng.unit() * 0.15),
    };
    let bill_mult = meters.first().map_or(1, |m| m.mult);
    let reading = if bill_mult >= 100 {
        rng.range(100, 9000)
    } else {
        rng.range(1000, 90000)
    };
    Customer {
        cust_no: format!("33010{:010}", i + 1),
        name,
        address,
        contact,
        phone,
        cat,
        price,
        elec,
        temporary,
        district: district.name,
        station: station.name,
        opened_on,
        closed_on,
        meters,
        base,
        season: if planted { &FLAT } else { cat.season() },
        noise: if planted { FLAT_NOISE } else { cat.noise() },
        tariff: match (case, nth) {
            // ARC-14: resident at 0.25 元/kWh (< price_min_res 0.30), commercial at 1.60
            // (> price_max_com 1.50). Near: resident at exactly 0.30 (kWh × 30 cents, exact);
            // a low-use resident at 0.25 whose latest three bills hold < avg_price_min_kwh.
            (Some(Arc14), 0) | (Some(Arc14Near), 1) => 2500,
            (Some(Arc14), _) => 16000,
            (Some(Arc14Near), _) => 3000,
            _ => cat.tariff(),
        },
        read_day: rng.range(3, 25) as u32,
        reading,
        arrears,
    }
}

fn sum3(hist: &[Option<i64>], t: usize) -> i64 {
    hist[t - 3..t].iter().map(|k| k.unwrap_or(0)).sum()
}

#[allow(clippy::too_many_lines)] // one customer's billing history with its planted defects; every month reads the running meter state of the one before
fn bills(
    c: &Customer,
    case: Option<Case>,
    nth: u32,
    pt: usize,
    ctx: &Ctx,
    rng: &mut Rng,
    out: &mut Sink,
) -> csv::Result<()> {
    use Case::*;
    let n = ctx.months as usize;
    let hist = &mut out.hist;
    hist.clear();
    hist.resize(n, None);
    let opened = period_index_of(c.opened_on);
    // A customer opened inside the window is first billed the month after opening.
    let mut first_t = if opened >= ctx.first_idx {
        (opened - ctx.first_idx + 1) as usize
    } else {
        0
    };
    match (case, nth) {
        // ARC-10: first billed in P + 2. Near: opened before the window, first billed in the
        // window's second month.
        (Some(Arc10), _) => first_t += 1,
        (Some(Arc10Near), 1) => first_t = 1,
        _ => {}
    }
    let last_t = c
        .closed_on
        .map_or(n - 1, |d| (period_index_of(d) - ctx.first_idx) as usize);
    let mut prev_curr = if first_t > 0 { 0 } else { c.reading };
    let meter_mult = c.meters.first().map_or(1, |m| m.mult);
    // Zero runs: BIL-04 hits of 3, 4 or 5 months (≥ zero_run_periods 3), near misses of 2,
    // and a single zero month; on low-use residents (mean < change_min_base_kwh 100, so the
    // zero months are no BIL-03 drop), ending before the latest three periods where it fits.
    let zero_len = match case {
        Some(Bil04) => 3 + nth as usize % 3,
        Some(Bil04Near) => 2,
        Some(Bil0506Near) => 1,
        _ => 0,
    };
    let zero_start = 1 + rng.below((n as u64).saturating_sub(3 + zero_len as u64).max(1)) as usize;
    for t in first_t..=last_t.min(n - 1) {
        let pidx = ctx.first_idx + t as i32;
        let month = pidx.rem_euclid(12) as usize;
        let noise = 1.0 + c.noise * (2.0 * rng.unit() - 1.0);
        let natural = (c.base * c.season[month] * noise).round().max(1.0) as i64;
        let mut mult = meter_mult;
        let mut exact: Option<i64> = None;
        let mut jump = 0i64;
        let mut offset = 0i64;
        let mut loss_set: Option<i64> = None;
        let mut amount_set: Option<i64> = None;
        // (numerator, denominator) the month's usual amount is scaled by.
        let mut amount_scale: Option<(i64, i64)> = None;
        let mut unpaid = c.arrears && t == last_t;
        let mut skip = false;
        match case {
            // BIL-01: prev_reading ≠ the previous period's curr_reading (a forward jump of
            // 30–90 or a rollback of 20–60); kWh follows this bill's own readings (BIL-02 silent).
            Some(Bil01) if t == pt => {
                jump = if nth.is_multiple_of(2) {
                    rng.range(30, 90)
                } else {
                    -rng.range(20, 60)
                }
            }
            // Near BIL-01: the bill of month pt is missing while the meter kept counting; the
            // next bill's prev_reading differs from the last billed curr_reading, but its
            // previous period has no row, so BIL-01 does not apply.
            Some(Bil01Near) if t == pt => skip = true,
            // BIL-02: kWh differs from (curr − prev) × multiplier + loss by 10 + 20 % or by
            // −(5 + 25 %) of the metered kWh: well over formula_tolerance_kwh 1.
            Some(Bil02) if t == pt => {
                offset = if nth.is_multiple_of(2) {
                    10 + natural / 5
                } else {
                    -(natural / 4 + 5)
                }
            }
            // Near BIL-02: off by exactly 1 kWh (integers, exact in binary): not > 1.
            Some(Bil02Near) if t == pt => offset = 1,
            // BIL-03: 4.5 × the mean of the three previous months (> surge_ratio 3.0), or
            // 0.15 × that mean (< drop_ratio 0.3); means ≥ 150 kWh ≥ change_min_base_kwh.
            Some(Bil03) if t == pt => {
                let s = sum3(hist, t);
                exact = Some(if nth.is_multiple_of(2) {
                    (s * 3 + 1) / 2
                } else {
                    (s / 20).max(1)
                });
            }
            // Near BIL-03: the month before is trimmed so the three-month sum divides by 3
            // (surge) or 30 (drop); then kWh = exactly 3.0 × mean or exactly 0.3 × mean.
            Some(Bil03Near) if t + 1 == pt => {
                let s = hist[t - 2].unwrap_or(0) + hist[t - 1].unwrap_or(0);
                let modulus = if nth.is_multiple_of(2) { 3 } else { 30 };
                exact = Some(natural - (s + natural) % modulus);
            }
            Some(Bil03Near) if t == pt => {
                let s = sum3(hist, t);
                exact = Some(if nth.is_multiple_of(2) { s } else { s / 10 });
                // The amount at BIL-13's bound too: exactly the three amounts' sum (3.0 × their
                // mean), or the cent at or just above a tenth of it (0.3 × their mean).
                let a = sum3_amounts(hist, t, c.tariff);
                amount_set = Some(if nth.is_multiple_of(2) {
                    a
                } else {
                    (a + 9) / 10
                });
            }
            Some(Bil04 | Bil04Near | Bil0506Near)
                if (zero_start..zero_start + zero_len).contains(&t) =>
            {
                exact = Some(0)
            }
            // BIL-05: a refund bill, amount −20 to −80 % of the usual with kWh > 0 (a BIL-13
            // drop too; less than the usual amount, so no BIL-13 surge in the months after).
            Some(Bil05) if t == pt => amount_scale = Some((-rng.range(20, 80), 100)),
            // BIL-06: kWh > 0 billed at 0.00.
            Some(Bil06) if t == pt => amount_set = Some(0),
            // BIL-07: resident 3,600–4,200 kWh > resident_max_kwh 3,000 (mean ≥ 1,900: no
            // surge; 10 kVA × 744 = 7,440: no BIL-09). Near: exactly 3,000.
            Some(Bil07) if t == pt => exact = Some(rng.range(3600, 4200)),
            Some(Bil07Near) if t == pt => exact = Some(3000),
            // BIL-08: 高供低计 with kWh > 0 and loss_kwh 0. Near: loss 1 kWh.
            Some(Bil08) if t == pt => loss_set = Some(0),
            Some(Bil08Near) if t == pt => loss_set = Some(1),
            // BIL-09: 50 kVA, kWh = 1.2 × 50 × 744 = 44,640 > capacity × capacity_hours 37,200
            // (2× the mean: no surge). Near: exactly 37,200 (multiplier 20 divides it).
            Some(Bil09) if t == pt => exact = Some(round_up(c.elec.cap * 744 * 6 / 5 + 1, mult)),
            Some(Bil09Near) if t == pt => exact = Some(c.elec.cap * 744),
            // BIL-10: the only meter has multiplier 40; this bill uses 30.
            Some(Bil10) if t == pt => mult = meter_mult * 3 / 4,
            // ARC-09: the closing bill left unpaid (amount − paid ≥ several 元 > 0.01).
            Some(Arc09) if t == last_t => unpaid = true,
            // THF-01 level 4: MTR-01 mismatch (meter) + BIL-01 break in period n−2.
            Some(Thf4) if t == n - 2 => jump = rng.range(40, 90),
            // Level 3: + a drop in the latest period to 3 × multiplier = 60 kWh (< 0.3 × mean
            // ≈ 8,900, and < 100 so no year-on-year signal), not zero.
            Some(Thf3) if t == n - 3 => jump = rng.range(40, 90),
            Some(Thf3) if t == n - 1 => exact = Some(3 * mult),
            // Level 2: break in n−3, drop to 60 kWh in n−2, zero latest (also a drop).
            // Level 1 (≥ 15 months): n−3 also falls to 0.45 × the same month a year before
            // (< yoy_drop_ratio 0.5, both ≥ 100; ≥ 0.4 × its own three-month mean: no drop).
            Some(Thf2 | Thf1 | Thf6) if t == n - 3 => {
                jump = rng.range(40, 90);
                if matches!(case, Some(Thf1 | Thf6)) && ctx.months >= YOY_MONTHS {
                    let last_year = hist[t - 12].unwrap_or(0);
                    exact = Some(last_year * 45 / 100 / mult * mult);
                }
            }
            Some(Thf2 | Thf1 | Thf6) if t == n - 2 => exact = Some(3 * mult),
            Some(Thf2 | Thf1 | Thf6) if t == n - 1 => exact = Some(0),
            // Near THF-01: one signal only (a drop to 90 kWh in the latest period): BIL-03 fires,
            // THF-01 needs two.
            Some(ThfNear) if t == n - 1 => exact = Some(3 * mult),
            // BIL-11: the bill of month pt is missing (the meter kept counting; BIL-01 does not
            // apply without the previous row). Near: the bills stop two months before the end:
            // unbilled months after the last bill are not between bills.
            Some(Bil11) if t == pt => skip = true,
            Some(Bil11Near) if t + 2 >= n => skip = true,
            // BIL-12: from month pt on the bills use multiplier 60 (CT 300/5) instead of 40,
            // same kWh; two meters keep BIL-10 silent. Near: the change follows a missing
            // month, so its previous period has no row (that month is a BIL-11 hit).
            Some(Bil12) if t >= pt => {
                mult = meter_mult * 3 / 2;
                exact = Some(natural);
            }
            Some(Bil12Near) if t == pt => skip = true,
            Some(Bil12Near) if t > pt => {
                mult = meter_mult * 3 / 2;
                exact = Some(natural);
            }
            // BIL-13: the amount 4 × (surge, > surge_ratio 3.0) or 0.15 × (drop, < drop_ratio
            // 0.3) the usual with the kWh unchanged (BIL-03 silent); means ≥ 1,500 元 ≥
            // change_min_base_yuan 50. Near: exactly the three previous amounts' sum (3.0 ×).
            Some(Bil13) if t == pt => {
                amount_scale = Some(if nth.is_multiple_of(2) {
                    (4, 1)
                } else {
                    (15, 100)
                })
            }
            Some(Bil13Near) if t == pt => amount_set = Some(sum3_amounts(hist, t, c.tariff)),
            // BIL-14: 100 kVA (= low_load_min_kva), 480 kWh < 100 × low_load_hours 5 = 500
            // in month pt, with no suspension or reduction. Near: the same month overlapped by
            // a suspension starting on its last day (in `suspensions`).
            Some(Bil14 | Bil14Near) if t == pt => exact = Some((c.elec.cap * 5 - 1) / mult * mult),
            // Near BIL-08: loss 0 in month pt, which a suspension overlaps (in `suspensions`).
            Some(Bil08SuspNear) if t == pt => loss_set = Some(0),
            _ => {}
        }
        // The meter turns by the consumption over its own ratio; the bill multiplies by the
        // multiplier it uses (the meter's, except the BIL-10 case).
        let diff = match exact {
            Some(m) => m / mult,
            None => ((natural as f64 / meter_mult as f64).round() as i64).max(1),
        };
        if skip {
            prev_curr += diff;
            continue;
        }
        let metered = diff * mult;
        let loss = loss_set.unwrap_or(if c.elec.hslm && metered > 0 {
            // Transformer iron loss (~1.3 kWh per kVA a month) plus 1.5 % copper loss.
            c.elec.cap * 13 / 10 + metered * 15 / 1000
        } else {
            0
        });
        let kwh = metered + loss + offset;
        let prev = prev_curr + jump;
        let curr = prev + diff;
        let usual = amount_of(kwh, c.tariff);
        let mut amount = match (amount_set, amount_scale) {
            (Some(a), _) => a,
            (None, Some((num, den))) => usual * num / den,
            (None, None) => usual,
        };
        let mut paid = if unpaid { 0 } else { amount };
        // ARC-11 (planted on commercial customers, whose bills are several hundred 元): the
        // bill of month(D) − 2 left unpaid; three older bills 40 元 short each (120 > 100).
        // Near: the latest bill unpaid (inside arrears_grace_months 2); the bill of
        // month(D) − 2 exactly 100.00 元 short (not > arrears_min_yuan 100).
        match (case, nth) {
            (Some(Arc11), 0) if t == n - 2 => paid = 0,
            (Some(Arc11Near), 0) if t == n - 1 => paid = 0,
            (Some(Arc11), _) if (n - 5..n - 2).contains(&t) => paid = amount - 4000,
            (Some(Arc11Near), _) if t == n - 2 => paid = amount - 10000,
            _ => {}
        }
        if case == Some(Arc09Near) {
            // Near ARC-09: the only bill short by one cent, with amount chosen so that even a
            // binary-float `amount − paid` is ≤ 0.01 (e.g. 36.01 − 36.00 = 0.00999…).
            for _ in 0..1000 {
                if amount as f64 / 100.0 - (amount - 1) as f64 / 100.0 <= 0.01 {
                    break;
                }
                amount += 1;
            }
            paid = amount - 1;
        }
        out.row
            .start()
            .s(&c.cust_no)
            .s(&ctx.periods[t])
            .date(day_of_period(pidx, c.read_day))
            .i(prev)
            .i(curr)
            .i(mult)
            .i(kwh)
            .i(loss)
            .cents(amount)
            .cents(paid)
            .write(&mut out.w.bills)?;
        out.tally.bills += 1;
        hist[t] = Some(kwh);
        prev_curr = curr;
    }
    Ok(())
}

/// A month's amount in cents at `tariff` (1/10,000 元 per kWh), rounded to the cent.
fn amount_of(kwh: i64, tariff: i64) -> i64 {
    (kwh * tariff + 50) / 100
}

/// The usual amounts (cents) of the three months before `t`.
fn sum3_amounts(hist: &[Option<i64>], t: usize, tariff: i64) -> i64 {
    hist[t - 3..t]
        .iter()
        .map(|k| amount_of(k.unwrap_or(0), tariff))
        .sum()
}

/// The applications of the ARC-13 and SUS-04 cases: (with cust_no, kind, accepted,
/// completed, limit), each within its limit (SVC-01 silent).
fn recent_change_applications(
    c: &Customer,
    case: Option<Case>,
    nth: u32,
    ctx: &Ctx,
    rng: &mut Rng,
) -> Vec<(bool, &'static str, NaiveDate, Option<NaiveDate>, i64)> {
    use Case::*;
    let end = ctx.end_last;
    let mut rows = Vec::new();
    match (case, nth) {
        // ARC-13 (10 kV and above, ≥ 315 kVA): an increase / a change completed in the last 20
        // days of end_period, within focus_recent_days 90 before every D of the next month.
        (Some(Arc13), 0) => {
            let done = add_days(end, -rng.range(0, 19));
            rows.push((
                true,
                "increase",
                add_days(done, -rng.range(5, 50)),
                Some(done),
                60,
            ));
        }
        (Some(Arc13), _) => {
            let done = add_days(end, -rng.range(0, 19));
            rows.push((
                true,
                "change",
                add_days(done, -rng.range(1, 10)),
                Some(done),
                10,
            ));
        }
        // Near ARC-13: completed 91 days before the first day of the month of D (one day
        // before the window of its first D); a recent increase at 380 V.
        (Some(Arc13Near), 0) => {
            let done = add_days(ctx.next_first, -91);
            rows.push((
                true,
                "increase",
                add_days(done, -rng.range(5, 50)),
                Some(done),
                60,
            ));
        }
        (Some(Arc13Near), _) => {
            let done = add_days(end, -rng.range(0, 19));
            rows.push((
                true,
                "increase",
                add_days(done, -rng.range(1, 15)),
                Some(done),
                15,
            ));
        }
        // The increase SUS-04 (and its near miss) reckon from.
        (Some(Sus04 | Sus04Near), 0) => {
            let done = sus04_completed(c, ctx, case == Some(Sus04Near));
            rows.push((true, "increase", add_days(done, -30), Some(done), 60));
        }
        _ => {}
    }
    rows
}

/// Natural customers that may suspend or reduce (`suspensions`).
fn may_suspend(c: &Customer) -> bool {
    c.elec.billing == "two_part" && c.closed_on.is_none()
}

/// Natural customers connected within 540 days of the month after end_period carry their
/// `new` application (`applications`).
fn has_new_application(c: &Customer, ctx: &Ctx) -> bool {
    c.opened_on >= add_days(ctx.next_first, -540)
}

/// When the SUS-04 cases' increase was completed: 421–575 days before the end of end_period
/// (well before ARC-13's 90 days), or 1,021–1,175 for the near miss, whose suspension starts
/// two years later; spread by the customer's reading day, so both functions that need it
/// agree without drawing.
fn sus04_completed(c: &Customer, ctx: &Ctx, near: bool) -> NaiveDate {
    let back = if near { 1000 } else { 400 };
    add_days(ctx.end_last, -back - 7 * i64::from(c.read_day))
}

fn round_up(v: i64, m: i64) -> i64 {
    (v + m - 1) / m * m
}

fn suspensions(
    c: &Customer,
    case: Option<Case>,
    nth: u32,
    pt: usize,
    ctx: &Ctx,
    rng: &mut Rng,
    out: &mut Sink,
) -> csv::Result<()> {
    use Case::*;
    let end = ctx.end_last;
    let mut rows: Vec<(&str, NaiveDate, i64)> = Vec::new();
    match (case, nth) {
        (None, _) if c.elec.billing == "two_part" && c.closed_on.is_none() => {
            // Natural: at most one suspension of 30–90 days (≤ 2 times, ≤ 183 days, ≥ 15 days)
            // and one reduction of 200–600 days (inside 183..730).
            if rng.chance(0.3) {
                rows.push((
                    "suspend",
                    rand_date(rng, add_days(ctx.next_first, -700), add_days(end, -100)),
                    rng.range(30, 90),
                ));
            }
            if rng.chance(0.15) {
                rows.push((
                    "reduce",
                    rand_date(rng, add_days(ctx.next_first, -900), add_days(end, -200)),
                    rng.range(200, 600),
                ));
            }
            // SUS-04: a suspension never starts after the reduction ended (it is moved to end
            // before the reduction starts), and a customer connected within the window, whose
            // `new` application is on record, has none within two years of it: none at all.
            if let [(_, s, len), ("reduce", r, r_len)] = rows.as_mut_slice() {
                if *s > add_days(*r, *r_len - 1) {
                    *s = add_days(*r, -*len - 1);
                }
            }
            if has_new_application(c, ctx) {
                rows.clear();
            }
        }
        // SUS-01 by count: three suspensions of 20–30 days starting ~300, ~200 and ~100 days
        // before the month of D: all inside the 365 days ending on any D of that month
        // (3 > suspend_max_times 2; each ≥ 15 days so SUS-02 stays silent).
        (Some(Sus01), k) if k.is_multiple_of(2) => {
            for back in [300, 200, 100] {
                let start = add_days(ctx.next_first, -back + rng.range(0, 10));
                rows.push(("suspend", start, rng.range(20, 30)));
            }
        }
        // SUS-01 by days: one suspension of 200–240 days ending within 20 days of the end of
        // end_period: > suspend_max_days 183 inside the window for any D of the next month.
        (Some(Sus01), _) => {
            let len = rng.range(200, 240);
            let stop = add_days(end, -rng.range(0, 20));
            rows.push(("suspend", add_days(stop, 1 - len), len));
        }
        // Near SUS-01: two suspensions (= suspend_max_times) of 91 + 92 = 183 days
        // (= suspend_max_days), not overlapping, both inside the window for any D.
        (Some(Sus01Near), _) => {
            rows.push(("suspend", add_days(end, -300), 91));
            rows.push(("suspend", add_days(end, -150), 92));
        }
        // SUS-02: 7–12 days < suspend_min_days 15. Near: exactly 15 days.
        (Some(Sus02), _) => rows.push((
            "suspend",
            add_days(end, -rng.range(150, 600)),
            rng.range(7, 12),
        )),
        (Some(Sus02Near), _) => rows.push(("suspend", add_days(end, -rng.range(150, 600)), 15)),
        // SUS-03: a reduction of 90–150 days (< 183) or 760–900 days (> 730).
        (Some(Sus03), k) if k.is_multiple_of(2) => rows.push((
            "reduce",
            add_days(end, -rng.range(200, 600)),
            rng.range(90, 150),
        )),
        (Some(Sus03), _) => rows.push(("reduce", add_days(end, -1000), rng.range(760, 900))),
        // Near SUS-03: exactly 183 and exactly 730 days.
        (Some(Sus03Near), k) if k.is_multiple_of(2) => {
            rows.push(("reduce", add_days(end, -rng.range(200, 600)), 183))
        }
        (Some(Sus03Near), _) => rows.push(("reduce", add_days(end, -1000), 730)),
        // Near BIL-14 / BIL-08: a 20-day suspension from the last day of month pt, so that it
        // shares that one day with pt (≥ suspend_min_days 15; one row: SUS-01 silent).
        (Some(Bil14Near | Bil08SuspNear), _) => {
            let last_day = add_days(day_of_period(ctx.first_idx + pt as i32 + 1, 1), -1);
            rows.push(("suspend", last_day, 20));
        }
        // SUS-04: a suspension 100 days after an increase was completed (application below);
        // a reduction starting 30–130 days after another ended.
        (Some(Sus04), 0) => {
            rows.push(("suspend", add_days(sus04_completed(c, ctx, false), 100), 30))
        }
        (Some(Sus04), _) => {
            let first = add_days(end, -900);
            rows.push(("reduce", first, 200));
            rows.push(("reduce", add_days(first, 199 + rng.range(30, 130)), 300));
        }
        // Near SUS-04: a suspension starting exactly two years after the increase (not within);
        // a suspension starting on the day a reduction ended (not strictly after).
        (Some(Sus04Near), 0) => {
            let start = sus04_completed(c, ctx, true)
                .checked_add_months(Months::new(24))
                .expect("date in range");
            rows.push(("suspend", start, 30));
        }
        (Some(Sus04Near), _) => {
            let first = add_days(end, -900);
            rows.push(("reduce", first, 200));
            rows.push(("suspend", add_days(first, 199), 30));
        }
        _ => {}
    }
    for (kind, start, days) in rows {
        out.row
            .start()
            .s(&c.cust_no)
            .s(kind)
            .date(start)
            // end_on is inclusive: end − start + 1 = days.
            .date(add_days(start, days - 1))
            .i((c.elec.cap / 2).max(1))
            .write(&mut out.w.suspensions)?;
        out.tally.suspensions += 1;
    }
    Ok(())
}

fn contracts(
    c: &Customer,
    case: Option<Case>,
    nth: u32,
    ctx: &Ctx,
    rng: &mut Rng,
    out: &mut Sink,
) -> csv::Result<()> {
    use Case::*;
    let mut rows: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    match (case, nth) {
        // CON-01: no contract at all.
        (Some(Con01), k) if k.is_multiple_of(2) => {}
        // CON-01: the only contract expired 30–200 days before the month of D.
        (Some(Con01), _) => {
            let expires = add_days(ctx.next_first, -rng.range(30, 200));
            rows.push((add_days(years_before(expires, 5), 1), expires));
        }
        // Near CON-01: an old expired contract and a renewal expiring on the last day of the
        // month of D: the latest expires_on is never before D.
        (Some(Con01Near), k) if k.is_multiple_of(2) => {
            let renewed = add_days(years_before(ctx.next_last, 5), 1);
            rows.push((add_days(years_before(renewed, 5), 0), add_days(renewed, -1)));
            rows.push((renewed, ctx.next_last));
        }
        // Near CON-01: a closed customer without a contract (rules look at active ones).
        (Some(Con01Near), _) => {}
        _ => {
            // Natural: signed within the last four years (or at opening), for five years, so
            // it runs at least a year past the month of D.
            let lo = c.opened_on.max(years_before(ctx.next_first, 4));
            let signed = rand_date(rng, lo, ctx.end_last);
            let expires = signed
                .checked_add_months(Months::new(60))
                .expect("date in range");
            let old_signed = years_before(signed, 5);
            if c.cat != Cat::Resident && old_signed >= c.opened_on && rng.chance(0.1) {
                rows.push((old_signed, add_days(signed, -1)));
            }
            rows.push((signed, expires));
        }
    }
    for (k, (signed, expires)) in rows.into_iter().enumerate() {
        out.row
            .start()
            .s(&format!("HT{}{:02}", c.cust_no, k + 1))
            .s(&c.cust_no)
            .date(signed)
            .date(expires)
            .write(&mut out.w.contracts)?;
        out.tally.contracts += 1;
    }
    Ok(())
}

fn applications(
    i: u64,
    c: &Customer,
    case: Option<Case>,
    nth: u32,
    ctx: &Ctx,
    rng: &mut Rng,
    out: &mut Sink,
) -> csv::Result<()> {
    use Case::*;
    let hv = !c.elec.kv.is_low();
    let new_limit = if hv {
        60
    } else if c.cat == Cat::Resident {
        7
    } else {
        15
    };
    let end = ctx.end_last;
    // (with cust_no, kind, accepted, completed, limit)
    let mut rows: Vec<(bool, &str, NaiveDate, Option<NaiveDate>, i64)> = Vec::new();
    match (case, nth) {
        (None, _) => {
            // Natural, all within their limits: the connection of a recent customer; an
            // occasional increase or change; rarely an open HV application for a new
            // connection accepted in the last 20 days of end_period (≤ 51 days by any D < 60).
            if has_new_application(c, ctx) {
                let accepted = add_days(c.opened_on, -rng.range(1, new_limit - 1));
                rows.push((true, "new", accepted, Some(c.opened_on), new_limit));
            }
            if rng.chance(0.02) && c.closed_on.is_none() {
                // Customers that may suspend change, never increase (SUS-04).
                let (kind, limit) = if c.cat != Cat::Resident && rng.chance(0.6) && !may_suspend(c)
                {
                    ("increase", if hv { 60 } else { 15 })
                } else {
                    ("change", 10)
                };
                let lo = add_days(c.opened_on, 30).max(add_days(ctx.next_first, -730));
                let accepted = rand_date(rng, lo, add_days(end, -limit));
                let completed = add_days(accepted, rng.range(1, limit));
                // At 10 kV or above (all ≥ 100 kVA), completed more than focus_recent_days 90
                // before any D of the month after end_period, or left out: no ARC-13 focus.
                if !(hv && completed > add_days(ctx.next_first, -91)) {
                    rows.push((true, kind, accepted, Some(completed), limit));
                }
            }
            if rng.chance(0.003) {
                rows.push((false, "new", add_days(end, -rng.range(0, 19)), None, 60));
            }
        }
        // SVC-01: an increase completed 8–40 days past its 15-day limit.
        (Some(Svc01), 0) => {
            let accepted = add_days(end, -rng.range(120, 300));
            rows.push((
                true,
                "increase",
                accepted,
                Some(add_days(accepted, 15 + rng.range(8, 40))),
                15,
            ));
        }
        // SVC-01: a change still open, accepted 20–60 days beyond its 10-day limit before the
        // month of D.
        (Some(Svc01), 1) => {
            rows.push((
                true,
                "change",
                add_days(ctx.next_first, -10 - rng.range(20, 60)),
                None,
                10,
            ));
        }
        // SVC-01: a new HV connection with no 户号 yet, open 30–90 days past its 60-day limit.
        (Some(Svc01), _) => {
            rows.push((
                false,
                "new",
                add_days(ctx.next_first, -60 - rng.range(30, 90)),
                None,
                60,
            ));
        }
        // Near SVC-01: completed exactly 15 days after acceptance (limit 15); an open HV
        // application accepted 60 days before the last day of the month of D (limit 60):
        // D − accepted ≤ 60 for every D of that month.
        (Some(Svc01Near), 0) => {
            let accepted = add_days(end, -rng.range(60, 300));
            rows.push((true, "increase", accepted, Some(add_days(accepted, 15)), 15));
        }
        (Some(Svc01Near), _) => rows.push((false, "new", add_days(ctx.next_last, -60), None, 60)),
        (Some(Arc13 | Arc13Near | Sus04 | Sus04Near), _) => {
            rows.extend(recent_change_applications(c, case, nth, ctx, rng));
        }
        _ => {}
    }
    for (k, (with_cust, kind, accepted, completed, limit)) in rows.into_iter().enumerate() {
        out.row
            .start()
            .s(&format!("YK{:010}{:02}", i + 1, k + 1))
            .s(if with_cust { &c.cust_no } else { "" })
            .s(kind)
            .date(accepted)
            .opt_date(completed)
            .i(limit)
            .write(&mut out.w.applications)?;
        out.tally.applications += 1;
    }
    Ok(())
}
