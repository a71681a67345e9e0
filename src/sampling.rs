//! 抽检 (sampling), the read side and the draw: a reproducible random sample of a rule's or a
//! campaign's open findings (or of their customers), stratified by supply station. Drawing and
//! storing a sample is an action (`actions::sampling`); this module computes what it draws.
//!
//! - **Population**: the open findings (`new`, `confirmed`, `ticketed`) of the rule, or of the
//!   campaign (`campaigns::members`), whose customer's station lies under the unit given (all
//!   stations without one); `of customers` takes their distinct customers instead. Each
//!   station's items are ordered by id (finding ids as numbers, customer numbers as text).
//! - **Size**: of a station with n items, ceil(ratio × n) — at least one of a non-empty station.
//! - **Draw**: per station, a partial Fisher–Yates shuffle of its ordered items driven by
//!   SplitMix64 seeded with `seed XOR fnv1a64(station)`, so one station's draw does not depend
//!   on the others; uniform indices by rejection (no modulo bias). The algorithm is written
//!   here, not taken from a crate whose output may change: the same seed on the same
//!   population gives the same sample on every run and machine.
//! - **Fingerprint**: SHA-256 over the population's items, station by station in name order,
//!   each `station TAB item LF`, logged with the sample so a later check can tell whether the
//!   population was the same.

use crate::campaigns;
use crate::error::{JichaError, Result};
use crate::i18n::campaigns::CampaignWrong;
use crate::units::Hierarchy;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// What a sample is drawn from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Basis {
    Rule(String),
    Campaign(String),
}

impl Basis {
    pub fn label(&self) -> String {
        match self {
            Basis::Rule(r) => r.clone(),
            Basis::Campaign(c) => c.clone(),
        }
    }
}

/// What is sampled: findings, or the customers they are about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Of {
    Findings,
    Customers,
}

impl Of {
    pub fn as_str(self) -> &'static str {
        match self {
            Of::Findings => "findings",
            Of::Customers => "customers",
        }
    }
}

/// The population, station by station (name order), each station's items by id.
pub type Population = BTreeMap<String, Vec<String>>;

/// Open findings of the basis, with their stations, under `unit` (None: every station).
pub fn population(
    conn: &Connection,
    basis: &Basis,
    unit: Option<&str>,
    of: Of,
) -> Result<Population> {
    let rows: Vec<(i64, String, String)> = match basis {
        Basis::Rule(rule) => {
            let mut stmt = conn.prepare(
                "SELECT f.id, f.cust_no, c.station FROM findings f
                 JOIN customers c ON c.cust_no = f.cust_no
                 WHERE f.rule = ?1 AND f.status IN ('new', 'confirmed', 'ticketed')
                 ORDER BY f.id",
            )?;
            let rows = stmt.query_map([rule], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        }
        Basis::Campaign(number) => {
            let c = campaigns::get(conn, number)?;
            campaigns::members(conn, &c)?
                .into_iter()
                .filter(|m| matches!(m.status.as_str(), "new" | "confirmed" | "ticketed"))
                .map(|m| (m.id, m.cust_no, m.station))
                .collect()
        }
    };
    let under: Option<Vec<String>> = match unit {
        Some(u) => {
            let h = Hierarchy::load(conn)?;
            let name = h.resolve(u.trim())?.name.clone();
            Some(h.subtree(&name).into_iter().map(str::to_string).collect())
        }
        None => None,
    };
    let mut pop = Population::new();
    for (id, cust_no, station) in rows {
        if under.as_ref().is_some_and(|u| !u.contains(&station)) {
            continue;
        }
        let item = match of {
            Of::Findings => id.to_string(),
            Of::Customers => cust_no,
        };
        pop.entry(station).or_default().push(item);
    }
    for items in pop.values_mut() {
        match of {
            Of::Findings => items.sort_by_key(|i| i.parse::<i64>().unwrap_or(i64::MAX)),
            Of::Customers => items.sort(),
        }
        items.dedup();
    }
    Ok(pop)
}

/// The population's open findings by customer (`cust_no` → finding ids, by id): what a
/// sample of customers is inspected on.
pub fn population_findings(
    conn: &Connection,
    basis: &Basis,
    unit: Option<&str>,
) -> Result<BTreeMap<String, Vec<i64>>> {
    let pop = population(conn, basis, unit, Of::Findings)?;
    let mut out: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    let mut stmt = conn.prepare_cached("SELECT cust_no FROM findings WHERE id = ?1")?;
    for id in pop.values().flatten().filter_map(|i| i.parse::<i64>().ok()) {
        let cust: String = stmt.query_row([id], |r| r.get(0))?;
        out.entry(cust).or_default().push(id);
    }
    Ok(out)
}

/// How many items of a station of `n` are drawn: ceil(ratio × n), at least one when n > 0.
/// The product is taken a hair low so that 0.1 × 30 (3.0000000000000004) is 3.
pub fn count_for(ratio: f64, n: usize) -> usize {
    if n == 0 {
        return 0;
    }
    let k = (ratio * n as f64 - 1e-9).ceil();
    (k.max(1.0) as usize).min(n)
}

/// SplitMix64 (Steele, Lea, Flood 2014): a small generator with a fixed, documented output.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n (n > 0), by rejection of the top partial range.
    pub fn below(&mut self, n: u64) -> u64 {
        let limit = (u64::MAX / n) * n;
        loop {
            let x = self.next_u64();
            if x < limit {
                return x % n;
            }
        }
    }
}

/// A seed for a draw given none (`sample` without `--seed`, the UI's form with its seed
/// empty): the clock's nanoseconds mixed with the process id. Printed and logged with the draw.
pub fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    SplitMix64::new(nanos ^ ((std::process::id() as u64) << 32)).next_u64()
}

/// FNV-1a, 64 bits: the station's part of its generator's seed.
pub fn fnv1a64(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// The items drawn of one station's ordered items, in the order they were drawn.
pub fn draw_station(items: &[String], station: &str, ratio: f64, seed: u64) -> Vec<String> {
    let k = count_for(ratio, items.len());
    let mut rng = SplitMix64::new(seed ^ fnv1a64(station));
    let mut idx: Vec<usize> = (0..items.len()).collect();
    for i in 0..k {
        let j = i + rng.below((items.len() - i) as u64) as usize;
        idx.swap(i, j);
    }
    idx[..k].iter().map(|&i| items[i].clone()).collect()
}

/// The sample of the whole population: per station, its drawn items in draw order.
pub fn draw(pop: &Population, ratio: f64, seed: u64) -> BTreeMap<String, Vec<String>> {
    pop.iter()
        .map(|(station, items)| (station.clone(), draw_station(items, station, ratio, seed)))
        .collect()
}

/// SHA-256 (hex) of the population: `station TAB item LF`, station by station, items by id.
pub fn population_sha256(pop: &Population) -> String {
    let mut h = Sha256::new();
    for (station, items) in pop {
        for i in items {
            h.update(station.as_bytes());
            h.update(b"\t");
            h.update(i.as_bytes());
            h.update(b"\n");
        }
    }
    format!("{:x}", h.finalize())
}

/// A drawn sample as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sample {
    pub id: i64,
    pub number: String,
    pub rule: Option<String>,
    pub campaign: Option<String>,
    pub unit: Option<String>,
    pub of: String,
    pub ratio: f64,
    pub seed: String,
    pub population: i64,
    pub population_sha256: String,
    pub drawn: i64,
    pub drawn_by: String,
    pub drawn_on: String,
}

const COLUMNS: &str = "s.id, s.number, s.rule, s.campaign, s.unit, s.of_what, s.ratio, s.seed,
    s.population, s.population_sha256,
    (SELECT count(*) FROM sample_items i WHERE i.sample_id = s.id), s.drawn_by, s.drawn_on";

fn from_row(r: &Row) -> rusqlite::Result<Sample> {
    Ok(Sample {
        id: r.get(0)?,
        number: r.get(1)?,
        rule: r.get(2)?,
        campaign: r.get(3)?,
        unit: r.get(4)?,
        of: r.get(5)?,
        ratio: r.get(6)?,
        seed: r.get(7)?,
        population: r.get(8)?,
        population_sha256: r.get(9)?,
        drawn: r.get(10)?,
        drawn_by: r.get(11)?,
        drawn_on: r.get(12)?,
    })
}

/// Every sample, oldest first.
pub fn list(conn: &Connection) -> Result<Vec<Sample>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM samples s ORDER BY s.id"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The sample `number` (CY-…), or a refusal naming it.
pub fn get(conn: &Connection, number: &str) -> Result<Sample> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM samples s WHERE s.number = ?1"),
        [number.trim()],
        from_row,
    )
    .optional()?
    .ok_or_else(|| {
        JichaError::invalid(CampaignWrong::NoSample {
            number: number.trim().to_string(),
        })
    })
}

/// The items of sample `sample_id`, grouped by unit (the item's station, in name order), each
/// unit's in draw order: what an inspection round is planned from.
pub fn items(conn: &Connection, sample_id: i64) -> Result<Vec<(String, Vec<String>)>> {
    let mut stmt = conn.prepare(
        "SELECT station, item FROM sample_items WHERE sample_id = ?1 ORDER BY station, position",
    )?;
    let rows = stmt.query_map(params![sample_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for row in rows {
        let (station, item) = row?;
        match out.last_mut() {
            Some((s, items)) if *s == station => items.push(item),
            _ => out.push((station, vec![item])),
        }
    }
    Ok(out)
}
