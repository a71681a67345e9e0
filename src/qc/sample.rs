//! The QC sample (抽检) of a month's approved tickets, per unit: reproducible from its seed.
//!
//! The population of a unit is its tickets (`tickets.unit`) approved in the month (state
//! approved or archived, `approved_on` in it), ordered by number. Its size is
//! `max(1, ⌈qc_sample_ratio × n⌉)` (the ratio must be reached: 004 part 8 (4) 抽检比例是否达到要求),
//! at most n. The draw: a ChaCha8 stream seeded with SHA-256 of `"<seed>\n<month>\n<unit>"`,
//! a partial Fisher–Yates shuffle taking index `i + next_u64() mod (n − i)` for each place `i`;
//! the chosen tickets are listed by number. The same seed, month, unit and population always
//! give the same tickets, whatever other units exist; the population's digest (SHA-256 of its
//! numbers, one a line) is stored and logged beside the seed, so a later change of the
//! population is visible.

use crate::error::Result;
use crate::qc::Month;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::Connection;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The default seed of a month when none is given: its number, `YYYYMM` (written down with
/// the sample, so anyone can draw it again).
pub fn default_seed(m: &Month) -> u64 {
    m.label.replace('-', "").parse().expect("a YYYY-MM label")
}

/// Approved tickets of the month by unit: `(id, number)` by number.
pub fn population(conn: &Connection, m: &Month) -> Result<BTreeMap<String, Vec<(i64, String)>>> {
    let mut stmt = conn.prepare(
        "SELECT unit, id, number FROM tickets
         WHERE state IN ('approved', 'archived') AND approved_on BETWEEN ?1 AND ?2
         ORDER BY unit, number",
    )?;
    let mut out: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
    let rows = stmt.query_map([m.from.to_string(), m.to.to_string()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (unit, id, number) = row?;
        out.entry(unit).or_default().push((id, number));
    }
    Ok(out)
}

pub fn size(n: usize, ratio: f64) -> usize {
    if n == 0 {
        return 0;
    }
    let k = (ratio.max(0.0) * n as f64 - 1e-9).ceil() as usize;
    k.clamp(1, n)
}

pub fn digest(numbers: &[(i64, String)]) -> String {
    let mut h = Sha256::new();
    for (_, n) in numbers {
        h.update(n.as_bytes());
        h.update(b"\n");
    }
    hex::encode(h.finalize())
}

/// The indices (into `n` items) chosen for `unit`, in draw order.
pub fn draw(seed: u64, month: &str, unit: &str, n: usize, k: usize) -> Vec<usize> {
    let key: [u8; 32] = Sha256::digest(format!("{seed}\n{month}\n{unit}").as_bytes()).into();
    let mut rng = ChaCha8Rng::from_seed(key);
    let mut idx: Vec<usize> = (0..n).collect();
    for i in 0..k.min(n) {
        let j = i + (rng.next_u64() % (n - i) as u64) as usize;
        idx.swap(i, j);
    }
    idx.truncate(k.min(n));
    idx
}

/// The tickets chosen from `pop` (by number).
pub fn choose(
    seed: u64,
    month: &str,
    unit: &str,
    pop: &[(i64, String)],
    ratio: f64,
) -> Vec<(i64, String)> {
    let mut chosen: Vec<(i64, String)> = draw(seed, month, unit, pop.len(), size(pop.len(), ratio))
        .into_iter()
        .map(|i| pop[i].clone())
        .collect();
    chosen.sort_by(|a, b| a.1.cmp(&b.1));
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_reaches_the_ratio_and_at_least_one() {
        assert_eq!(size(0, 0.1), 0);
        assert_eq!(size(1, 0.1), 1);
        assert_eq!(size(10, 0.1), 1);
        assert_eq!(size(11, 0.1), 2);
        assert_eq!(size(20, 0.1), 2);
        assert_eq!(size(5, 1.0), 5);
        assert_eq!(size(5, 0.0), 1);
    }

    #[test]
    fn the_same_seed_draws_the_same_and_another_differs() {
        let a = draw(7, "2026-11", "城东供电所", 50, 5);
        assert_eq!(a, draw(7, "2026-11", "城东供电所", 50, 5));
        assert_eq!(a.len(), 5);
        let mut s = a.clone();
        s.sort();
        s.dedup();
        assert_eq!(s.len(), 5, "no index twice");
        assert_ne!(a, draw(8, "2026-11", "城东供电所", 50, 5));
    }
}
